//! The sample consultants of `--demo`, made from `data/demo/people.toml`: role archetypes
//! with coherent skill mixes, names, cities across Sweden, origins. A fixed seed and a
//! generator of our own (SplitMix64) make the same people on every machine; only the dates
//! count from the day of the load. The answer is a list of API bodies, written through the
//! same path as `POST /api/v1/consultants/batch` ([`super::demo`]).

use std::collections::HashSet;

use chrono::{Days, NaiveDate};
use serde::Deserialize;
use serde_json::{Value, json};

/// The lists the people are drawn from.
const PEOPLE: &str = include_str!("../../data/demo/people.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct People {
    seed: u64,
    count: usize,
    first_names_sv: Vec<String>,
    surnames_sv: Vec<String>,
    origins: Vec<Origin>,
    cities: Vec<City>,
    archetype: Vec<Archetype>,
    consultant: Vec<toml::Table>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Origin {
    citizenship: String,
    language: String,
    weight: u32,
    first_names: Vec<String>,
    surnames: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct City {
    city: String,
    weight: u32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Archetype {
    #[expect(dead_code, reason = "names the archetype for whoever reads the data file")]
    role: String,
    weight: u32,
    skills: Vec<SkillMix>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SkillMix {
    en: String,
    sv: String,
    years: [u32; 2],
    level: [u32; 2],
    p: f64,
}

/// The work modes people accept, in proportion.
const WORK_MODES: [&[&str]; 5] =
    [&["onsite", "hybrid"], &["hybrid"], &["hybrid", "remote"], &["onsite", "hybrid", "remote"], &["remote"]];

/// SplitMix64: tiny, fast and the same everywhere, which is all a sample needs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
    fn weighted<'a, T>(&mut self, xs: &'a [T], weight: impl Fn(&T) -> u32) -> &'a T {
        let total: u64 = xs.iter().map(|x| u64::from(weight(x))).sum();
        let mut at = self.next() % total.max(1);
        for x in xs {
            let w = u64::from(weight(x));
            if at < w {
                return x;
            }
            at -= w;
        }
        &xs[xs.len() - 1]
    }
}

/// Lower-case ASCII for an e-mail's local part: "Öberg" → "oberg", "O'Brien" → "obrien",
/// "Wiśniewski" → "wisniewski", "Søren" → "soren".
fn ascii_fold(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    s.nfd()
        .filter_map(|c| match c.to_lowercase().next().unwrap_or(c) {
            'ø' => Some('o'),
            'ł' => Some('l'),
            'æ' => Some('a'),
            'ß' => Some('s'),
            c if c.is_ascii_alphanumeric() => Some(c),
            _ => None,
        })
        .collect()
}

fn date_in(today: NaiveDate, days: i64) -> String {
    let d = if days >= 0 {
        today.checked_add_days(Days::new(days.unsigned_abs()))
    } else {
        today.checked_sub_days(Days::new(days.unsigned_abs()))
    };
    d.unwrap_or(today).to_string()
}

/// The sample consultants as API bodies (source `source`, ATS ids `c-001` … and the names
/// of the hand-written ones), dates counted from `today`.
pub fn consultants(source: &str, today: NaiveDate) -> anyhow::Result<Vec<Value>> {
    let people: People = toml::from_str(PEOPLE)?;
    anyhow::ensure!(
        !people.archetype.is_empty()
            && !people.cities.is_empty()
            && !people.first_names_sv.is_empty()
            && !people.surnames_sv.is_empty()
            && !people.origins.is_empty()
            && people.origins.iter().all(|o| !o.first_names.is_empty() && !o.surnames.is_empty()),
        "data/demo/people.toml needs names, archetypes, cities and origins with names"
    );
    let mut rng = Rng(people.seed);
    let mut names: HashSet<String> = HashSet::new();
    let mut out = Vec::with_capacity(people.count + people.consultant.len());
    for t in &people.consultant {
        let mut doc = serde_json::to_value(t)?;
        if let Value::Object(map) = &mut doc {
            if let Some(days) = map.remove("available_in_days").and_then(|v| v.as_i64()) {
                map.insert("available_from".into(), json!(date_in(today, days)));
            }
            map.insert("source".into(), json!(source));
            if let Some(name) = map.get("name").and_then(Value::as_str) {
                names.insert(name.to_string());
            }
        }
        out.push(doc);
    }
    for i in 0..people.count {
        let origin = rng.chance(0.18).then(|| rng.weighted(&people.origins, |o| o.weight));
        let (firsts, lasts) = match origin {
            Some(o) => (&o.first_names, &o.surnames),
            None => (&people.first_names_sv, &people.surnames_sv),
        };
        let (mut first, mut last) = (rng.pick(firsts), rng.pick(lasts));
        for _ in 0..50 {
            if !names.contains(&format!("{first} {last}")) {
                break;
            }
            (first, last) = (rng.pick(firsts), rng.pick(lasts));
        }
        let name = format!("{first} {last}");
        names.insert(name.clone());
        out.push(person(&people, &mut rng, i, &name, first, last, origin, source, today));
    }
    Ok(out)
}

/// One generated consultant; `origin` is where one who moved to Sweden comes from.
#[expect(clippy::too_many_arguments, reason = "one call site, each argument a different part of the person")]
fn person(
    people: &People,
    rng: &mut Rng,
    i: usize,
    name: &str,
    first: &str,
    last: &str,
    origin: Option<&Origin>,
    source: &str,
    today: NaiveDate,
) -> Value {
    let writes_swedish = origin.is_none() && rng.chance(0.65);
    let archetype = rng.weighted(&people.archetype, |a| a.weight);
    let seniority = rng.unit();
    let career = (2.0 + seniority * 22.0).round();
    let mut skills = Vec::new();
    for mix in &archetype.skills {
        if !rng.chance(mix.p) {
            continue;
        }
        let [ylo, yhi] = mix.years;
        let share = seniority * (0.7 + 0.3 * rng.unit());
        let years = (f64::from(ylo) + f64::from(yhi.saturating_sub(ylo)) * share).round().clamp(1.0, career.max(1.0));
        let [llo, lhi] = mix.level;
        let lean = (seniority + (rng.unit() - 0.5) * 0.4).clamp(0.0, 1.0);
        let level = (f64::from(llo) + f64::from(lhi.saturating_sub(llo)) * lean).round();
        let text = if writes_swedish { &mix.sv } else { &mix.en };
        skills.push(json!({"name": text, "years": years, "level": level as u32}));
    }
    let (languages, citizenships) = if let Some(origin) = origin {
        let mut langs = vec![json!({"code": origin.language, "level": "native"})];
        if origin.language != "en" {
            langs.push(json!({"code": "en", "level": rng.pick(&["C1", "C1", "C2", "B2"])}));
        }
        langs.push(json!({"code": "sv", "level": rng.pick(&["A2", "B1", "B2", "B2", "C1"])}));
        let mut cits = vec![origin.citizenship.clone()];
        if rng.chance(0.3) {
            cits.push("SE".to_string());
        }
        (langs, cits)
    } else {
        let mut langs = vec![
            json!({"code": "sv", "level": "native"}),
            json!({"code": "en", "level": rng.pick(&["B2", "C1", "C1", "C1", "C2"])}),
        ];
        if rng.chance(0.12) {
            let (code, level) = *rng.pick(&[("de", "B1"), ("fr", "A2"), ("fi", "native"), ("es", "B1"), ("no", "B2")]);
            langs.push(json!({"code": code, "level": level}));
        }
        let mut cits = vec!["SE".to_string()];
        if rng.chance(0.05) {
            cits.push(rng.pick(&["FI", "NO", "DK", "DE"]).to_string());
        }
        (langs, cits)
    };
    let swedish_citizen = citizenships.iter().any(|c| c == "SE");
    let level = match (swedish_citizen, rng.unit()) {
        (true, u) if u < 0.03 => "sk1",
        (true, u) if u < 0.11 => "sk2",
        (true, u) if u < 0.21 => "sk3",
        _ => "none",
    };
    let willing = rng.chance(if swedish_citizen { 0.75 } else { 0.4 });
    let city = &rng.weighted(&people.cities, |c| c.weight).city;
    let modes = *rng.pick(&WORK_MODES);
    let available = rng.below(120) as i64 - 20;
    json!({
        "source": source,
        "external_id": format!("c-{:03}", i + 1),
        "name": name,
        "email": format!("{}.{}@example.se", ascii_fold(first), ascii_fold(last)),
        "location": {"city": city, "country": "SE"},
        "work_modes": modes,
        "available_from": date_in(today, available),
        "capacity_percent": *rng.pick(&[100, 100, 100, 80, 80, 50]),
        "experience_years": career,
        "skills": skills,
        "languages": languages,
        "clearance": {"level": level, "citizenships": citizenships, "willing_to_undergo": willing},
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 7).unwrap()
    }

    #[test]
    fn the_same_day_makes_the_same_people() {
        assert_eq!(consultants("demo", day()).unwrap(), consultants("demo", day()).unwrap());
    }

    #[test]
    fn every_person_is_someone_else_with_an_ats_id_of_their_own() {
        let people = consultants("demo", day()).unwrap();
        assert!(people.len() >= 200, "{}", people.len());
        let names: HashSet<&str> = people.iter().filter_map(|p| p["name"].as_str()).collect();
        let ids: HashSet<&str> = people.iter().filter_map(|p| p["external_id"].as_str()).collect();
        assert_eq!(names.len(), people.len());
        assert_eq!(ids.len(), people.len());
    }

    #[test]
    fn profiles_come_in_swedish_and_english_from_across_sweden() {
        let people = consultants("demo", day()).unwrap();
        let texts: Vec<&str> =
            people.iter().flat_map(|p| p["skills"].as_array().unwrap()).filter_map(|s| s["name"].as_str()).collect();
        assert!(texts.contains(&"Agil projektledning") && texts.contains(&"Agile project management"));
        let cities: HashSet<&str> = people.iter().filter_map(|p| p["location"]["city"].as_str()).collect();
        assert!(cities.len() >= 12, "{cities:?}");
        assert!(people.iter().any(|p| p["clearance"]["level"] != "none"));
        assert!(people.iter().any(|p| !p["clearance"]["citizenships"].as_array().unwrap().contains(&json!("SE"))));
    }

    #[test]
    fn ascii_fold_keeps_letters_and_digits_only() {
        assert_eq!(ascii_fold("Öberg"), "oberg");
        assert_eq!(ascii_fold("O'Brien"), "obrien");
        assert_eq!(ascii_fold("Linnéa"), "linnea");
        assert_eq!(ascii_fold("Wiśniewski"), "wisniewski");
        assert_eq!(ascii_fold("Søren"), "soren");
        assert_eq!(ascii_fold("Şahin"), "sahin");
    }
}
