//! JSON Resume (<https://jsonresume.org/schema>) → a consultant document, in English or
//! Swedish. Pure: serde_json and chrono only.
//!
//! - `basics.name`, `basics.email`, `basics.location.city` / `countryCode`;
//! - `skills[].name` and `skills[].keywords[]` become skills (keywords inherit the level);
//!   level words (`Beginner` … `Master`, `Nybörjare` … `Expert`, or 1–5) map to 1–5;
//! - a skill's `years` is the length of the `work` periods whose text (company, position,
//!   summary, highlights) names it, overlapping periods counted once; `experience_years` is
//!   the length of all `work` periods together;
//! - `languages[]`: names in English or Swedish → ISO 639-1, fluency words → CEFR.
//!
//! What cannot be mapped is left out and reported in `skipped`.

use chrono::NaiveDate;
use serde_json::{Map, Value, json};

/// The mapped document and what was left out.
#[derive(Debug, Clone, PartialEq)]
pub struct Mapped {
    /// A consultant body (without `source` / `external_id`).
    pub consultant: Value,
    /// The e-mail, the default external id.
    pub email: Option<String>,
    /// `field: reason` for everything left out.
    pub skipped: Vec<String>,
}

const LANGUAGES: &[(&str, &[&str])] = &[
    ("sv", &["swedish", "svenska"]),
    ("en", &["english", "engelska"]),
    ("fi", &["finnish", "finska"]),
    ("da", &["danish", "danska"]),
    ("no", &["norwegian", "norska", "norsk", "bokmål", "nynorsk"]),
    ("de", &["german", "tyska", "deutsch"]),
    ("fr", &["french", "franska", "français"]),
    ("es", &["spanish", "spanska", "español"]),
    ("it", &["italian", "italienska"]),
    ("nl", &["dutch", "nederländska", "holländska"]),
    ("pl", &["polish", "polska"]),
    ("pt", &["portuguese", "portugisiska"]),
    ("ru", &["russian", "ryska"]),
    ("ar", &["arabic", "arabiska"]),
    ("zh", &["chinese", "mandarin", "kinesiska"]),
    ("ja", &["japanese", "japanska"]),
    ("hi", &["hindi"]),
    ("tr", &["turkish", "turkiska"]),
    ("fa", &["persian", "farsi", "persiska"]),
    ("uk", &["ukrainian", "ukrainska"]),
    ("et", &["estonian", "estniska"]),
    ("is", &["icelandic", "isländska"]),
];

/// ISO 639-1 code of a language name (English or Swedish) or of a code itself.
pub fn language_code(name: &str) -> Option<&'static str> {
    let n = name.trim().to_lowercase();
    LANGUAGES.iter().find(|(code, names)| *code == n || names.contains(&n.as_str())).map(|(code, _)| *code)
}

/// CEFR level (or `native`) of a fluency description.
pub fn cefr(fluency: &str) -> Option<&'static str> {
    let f = fluency.trim().to_lowercase();
    for level in ["a1", "a2", "b1", "b2", "c1", "c2"] {
        if f == level || f.starts_with(&format!("{level} ")) || f.starts_with(&format!("{level}-")) {
            return Some(match level {
                "a1" => "A1",
                "a2" => "A2",
                "b1" => "B1",
                "b2" => "B2",
                "c1" => "C1",
                _ => "C2",
            });
        }
    }
    let has = |words: &[&str]| words.iter().any(|w| f.contains(w));
    // Most specific first: "limited working" before "working", "mycket god" before "god".
    if has(&["native", "modersmål", "mother tongue", "first language"]) {
        Some("native")
    } else if has(&["bilingual", "tvåspråkig"]) {
        Some("C2")
    } else if has(&["limited working", "begränsad"]) {
        Some("B1")
    } else if has(&["full professional", "fluent", "flytande", "mycket god", "advanced", "avancerad", "proficient"]) {
        Some("C1")
    } else if has(&["professional working", "working proficiency", "good", "god", "goda", "upper intermediate"]) {
        Some("B2")
    } else if has(&["intermediate", "conversational", "medel", "konversation"]) {
        Some("B1")
    } else if has(&["elementary", "basic", "grundläggande", "hjälplig", "viss"]) {
        Some("A2")
    } else if has(&["beginner", "nybörjare"]) {
        Some("A1")
    } else {
        None
    }
}

/// Skill level 1–5 of a level word or number.
pub fn skill_level(level: &str) -> Option<u8> {
    let l = level.trim().to_lowercase();
    if let Ok(n) = l.parse::<u8>() {
        return (1..=5).contains(&n).then_some(n);
    }
    let table: &[(&[&str], u8)] = &[
        (&["master", "expert", "specialist"], 5),
        (&["advanced", "senior", "avancerad", "mycket god", "erfaren"], 4),
        (&["intermediate", "medel", "god", "good", "proficient"], 3),
        (&["beginner", "novice", "basic", "grundläggande", "junior"], 2),
        (&["aware", "nybörjare", "introductory"], 1),
    ];
    table.iter().find(|(words, _)| words.iter().any(|w| l.contains(w))).map(|(_, n)| *n)
}

fn date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .or_else(|| NaiveDate::parse_from_str(&format!("{s}-01"), "%Y-%m-%d").ok())
        .or_else(|| NaiveDate::parse_from_str(&format!("{s}-01-01"), "%Y-%m-%d").ok())
}

/// Total length in years of the union of `periods`.
fn union_years(mut periods: Vec<(NaiveDate, NaiveDate)>) -> f64 {
    periods.sort();
    let mut days = 0i64;
    let mut current: Option<(NaiveDate, NaiveDate)> = None;
    for (s, e) in periods {
        current = match current {
            Some((cs, ce)) if s <= ce => Some((cs, ce.max(e))),
            Some((cs, ce)) => {
                days += (ce - cs).num_days();
                Some((s, e))
            }
            None => Some((s, e)),
        };
    }
    if let Some((cs, ce)) = current {
        days += (ce - cs).num_days();
    }
    ((days as f64 / 365.25) * 10.0).round() / 10.0
}

fn mentions(text: &str, skill: &str) -> bool {
    let skill = skill.trim().to_lowercase();
    if skill.is_empty() {
        return false;
    }
    text.match_indices(&skill).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + skill.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

fn str_at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    path.iter().try_fold(v, |v, k| v.get(k))?.as_str().map(str::trim).filter(|s| !s.is_empty())
}

/// Maps a JSON Resume document; `today` ends open-ended work periods.
pub fn map(resume: &Value, today: NaiveDate) -> Mapped {
    let mut skipped = Vec::new();
    let mut out = Map::new();
    if let Some(name) = str_at(resume, &["basics", "name"]) {
        out.insert("name".into(), json!(name));
    }
    let email = str_at(resume, &["basics", "email"]).map(str::to_lowercase);
    if let Some(e) = &email {
        out.insert("email".into(), json!(e));
    }
    let city = str_at(resume, &["basics", "location", "city"]);
    let country = str_at(resume, &["basics", "location", "countryCode"]).map(str::to_uppercase);
    if city.is_some() || country.is_some() {
        out.insert("location".into(), json!({"city": city, "country": country}));
    }

    // Work periods with their text, for years per skill and in total.
    let mut work: Vec<((NaiveDate, NaiveDate), String)> = Vec::new();
    for (i, w) in resume.get("work").and_then(Value::as_array).into_iter().flatten().enumerate() {
        let start = w.get("startDate").and_then(Value::as_str).and_then(date);
        let end = match w.get("endDate").and_then(Value::as_str).filter(|s| !s.trim().is_empty()) {
            Some(s) => date(s),
            None => Some(today),
        };
        let (Some(start), Some(end)) = (start, end) else {
            skipped.push(format!("work[{i}]: no usable startDate/endDate"));
            continue;
        };
        let end = end.min(today);
        if end <= start {
            continue;
        }
        let mut text = String::new();
        for k in ["name", "position", "summary", "description"] {
            if let Some(s) = w.get(k).and_then(Value::as_str) {
                text.push_str(s);
                text.push('\n');
            }
        }
        for h in w.get("highlights").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str) {
            text.push_str(h);
            text.push('\n');
        }
        work.push(((start, end), text.to_lowercase()));
    }
    if !work.is_empty() {
        let total = union_years(work.iter().map(|(p, _)| *p).collect()).min(60.0);
        out.insert("experience_years".into(), json!(total));
    }

    let mut skills: Vec<Value> = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    let mut add = |name: &str, level: Option<u8>, field: String, skipped: &mut Vec<String>| {
        let name = name.trim();
        let key = name.to_lowercase();
        if name.is_empty() || seen.contains(&key) {
            return;
        }
        if name.chars().count() > 120 || skills.len() >= 200 {
            skipped.push(format!("{field}: too long, or more than 200 skills"));
            return;
        }
        seen.push(key);
        let periods: Vec<_> = work.iter().filter(|(_, t)| mentions(t, name)).map(|(p, _)| *p).collect();
        let mut s = Map::new();
        s.insert("name".into(), json!(name));
        if !periods.is_empty() {
            s.insert("years".into(), json!(union_years(periods).min(60.0)));
        }
        if let Some(l) = level {
            s.insert("level".into(), json!(l));
        }
        skills.push(Value::Object(s));
    };
    for (i, s) in resume.get("skills").and_then(Value::as_array).into_iter().flatten().enumerate() {
        let level = s.get("level").and_then(Value::as_str).and_then(|l| {
            let mapped = skill_level(l);
            if mapped.is_none() {
                skipped.push(format!("skills[{i}].level: {l:?} is not a level this importer knows"));
            }
            mapped
        });
        if let Some(name) = s.get("name").and_then(Value::as_str) {
            add(name, level, format!("skills[{i}].name"), &mut skipped);
        }
        for (j, k) in s.get("keywords").and_then(Value::as_array).into_iter().flatten().enumerate() {
            if let Some(k) = k.as_str() {
                add(k, level, format!("skills[{i}].keywords[{j}]"), &mut skipped);
            }
        }
    }
    if !skills.is_empty() {
        out.insert("skills".into(), Value::Array(skills));
    }

    let mut languages: Vec<Value> = Vec::new();
    for (i, l) in resume.get("languages").and_then(Value::as_array).into_iter().flatten().enumerate() {
        let name = l.get("language").and_then(Value::as_str).unwrap_or("");
        let Some(code) = language_code(name) else {
            skipped.push(format!("languages[{i}].language: {name:?} is not a language this importer knows"));
            continue;
        };
        let fluency = l.get("fluency").and_then(Value::as_str).unwrap_or("");
        let Some(level) = cefr(fluency) else {
            skipped.push(format!("languages[{i}].fluency: {fluency:?} cannot be mapped to CEFR"));
            continue;
        };
        if languages.iter().any(|x| x["code"] == code) {
            continue;
        }
        languages.push(json!({"code": code, "level": level}));
    }
    if !languages.is_empty() {
        out.insert("languages".into(), Value::Array(languages));
    }
    Mapped { consultant: Value::Object(out), email, skipped }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fluency_words_map_to_cefr_in_english_and_swedish() {
        let cases = [
            ("Native speaker", Some("native")),
            ("Modersmål", Some("native")),
            ("Full Professional", Some("C1")),
            ("Flytande", Some("C1")),
            ("Professional working proficiency", Some("B2")),
            ("Limited working proficiency", Some("B1")),
            ("Goda kunskaper", Some("B2")),
            ("Mycket goda kunskaper", Some("C1")),
            ("Elementary proficiency", Some("A2")),
            ("Grundläggande", Some("A2")),
            ("B2", Some("B2")),
            ("Klingon-ish", None),
        ];
        for (word, want) in cases {
            assert_eq!(cefr(word), want, "{word}");
        }
        assert_eq!(language_code("Svenska"), Some("sv"));
        assert_eq!(language_code("English"), Some("en"));
        assert_eq!(language_code("Norska"), Some("no"));
        assert_eq!(language_code("Klingon"), None);
        assert_eq!(skill_level("Master"), Some(5));
        assert_eq!(skill_level("Nybörjare"), Some(1));
        assert_eq!(skill_level("3"), Some(3));
    }

    #[test]
    fn years_come_from_the_work_periods_that_name_a_skill_counted_once() {
        let resume = serde_json::json!({
            "basics": {"name": "Anna", "email": "Anna@Example.se", "location": {"city": "Malmö", "countryCode": "se"}},
            "work": [
                {"name": "A", "startDate": "2015-01-01", "endDate": "2019-01-01", "highlights": ["Ledde ITIL-införande", "Kubernetes"]},
                {"name": "B", "startDate": "2018-01-01", "endDate": "2020-01-01", "summary": "ITIL and Java"},
                {"name": "C", "startDate": "2020-01-01", "summary": "JavaScript"}
            ],
            "skills": [{"name": "Service management", "level": "Advanced", "keywords": ["ITIL", "Java"]}],
            "languages": [{"language": "Svenska", "fluency": "Modersmål"}, {"language": "Klingon", "fluency": "Fluent"}]
        });
        let today = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
        let m = map(&resume, today);
        let c = &m.consultant;
        assert_eq!(m.email.as_deref(), Some("anna@example.se"));
        assert_eq!(c["location"], json!({"city": "Malmö", "country": "SE"}));
        assert_eq!(c["experience_years"], 10.0);
        assert_eq!(c["skills"][0], json!({"name": "Service management", "level": 4}));
        assert_eq!(c["skills"][1], json!({"name": "ITIL", "years": 5.0, "level": 4}), "2015–2020, overlap once");
        assert_eq!(c["skills"][2], json!({"name": "Java", "years": 2.0, "level": 4}), "not inside JavaScript");
        assert_eq!(c["languages"], json!([{"code": "sv", "level": "native"}]));
        assert_eq!(m.skipped, ["languages[1].language: \"Klingon\" is not a language this importer knows"]);
    }
}
