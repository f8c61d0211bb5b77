//! Field-level scoring of the ad parser against hand-written expected extractions
//! (`tests/fixtures/ads*/<name>.expected.json`, format in `tests/fixtures/ads-heldout/README.md`).
//!
//! Shared by `examples/parser_score.rs` (prints the tables) and `tests/parser_corpus.rs`
//! (asserts the development set's thresholds). Every field is counted as true positives,
//! false positives and false negatives: skills and languages as sets, the rest as one value
//! per ad (a wrong value is both a false positive and a false negative).
#![allow(dead_code, reason = "the example and the test use different parts")]

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use serde_json::Value;
use staffmatch::parser::{ParsedAd, parse_ad};
use staffmatch::taxonomy::Taxonomy;

/// The fields scored, in print order.
pub const FIELDS: &[&str] =
    &["must", "can", "years", "languages", "clearance", "citizenship", "dates", "extent", "location", "work_mode"];

/// The member states of the EU, which an expected `"EU"` citizenship stands for.
const EU: &[&str] = &[
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT", "LU", "LV",
    "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
];

/// True positives, false positives, false negatives.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct Count {
    pub tp: u32,
    pub fp: u32,
    pub fn_: u32,
}

impl Count {
    fn add(&mut self, o: Count) {
        self.tp += o.tp;
        self.fp += o.fp;
        self.fn_ += o.fn_;
    }

    /// Precision (1 when nothing was predicted).
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }

    /// Recall (1 when nothing was expected).
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }

    /// F1 (1 when nothing was expected nor predicted).
    pub fn f1(&self) -> f64 {
        let d = 2 * self.tp + self.fp + self.fn_;
        if d == 0 { 1.0 } else { f64::from(2 * self.tp) / f64::from(d) }
    }
}

fn ratio(a: u32, b: u32) -> f64 {
    if b == 0 { 1.0 } else { f64::from(a) / f64::from(b) }
}

/// One ad's score: counts per field, and what was missed or invented.
#[derive(Debug, Default)]
pub struct AdScore {
    pub name: String,
    pub lang: String,
    pub fields: BTreeMap<&'static str, Count>,
    /// "field: -expected" and "field: +predicted" lines.
    pub misses: Vec<String>,
}

/// Scores on a set of ads, per language and together.
#[derive(Debug, Default)]
pub struct Report {
    pub ads: Vec<AdScore>,
}

impl Report {
    /// Counts per field over the ads of one language (`None`: all), plus `overall`.
    pub fn totals(&self, lang: Option<&str>) -> BTreeMap<&'static str, Count> {
        let mut out: BTreeMap<&'static str, Count> = BTreeMap::new();
        for ad in self.ads.iter().filter(|a| lang.is_none_or(|l| a.lang == l)) {
            for (f, c) in &ad.fields {
                out.entry(f).or_default().add(*c);
                out.entry("overall").or_default().add(*c);
            }
        }
        out
    }

    /// The number of ads in one language (`None`: all).
    pub fn count(&self, lang: Option<&str>) -> usize {
        self.ads.iter().filter(|a| lang.is_none_or(|l| a.lang == l)).count()
    }

    /// A table: a row per field, columns P/R/F1 for sv, en and all.
    pub fn table(&self, title: &str) -> String {
        let mut s = String::new();
        let langs = [Some("sv"), Some("en"), None];
        let _ = writeln!(
            s,
            "{title}: {} ads ({} sv, {} en)",
            self.count(None),
            self.count(Some("sv")),
            self.count(Some("en"))
        );
        let _ = writeln!(s, "{:<12} {:>20} {:>20} {:>20}", "field", "sv P/R/F1", "en P/R/F1", "all P/R/F1");
        let totals: Vec<_> = langs.iter().map(|l| self.totals(*l)).collect();
        for f in FIELDS.iter().chain(&["overall"]) {
            let _ = write!(s, "{f:<12}");
            for t in &totals {
                let c = t.get(f).copied().unwrap_or_default();
                let _ = write!(s, " {:>6.3}/{:>5.3}/{:>5.3}", c.precision(), c.recall(), c.f1());
            }
            s.push('\n');
        }
        s
    }
}

/// Parses and scores every `*.txt` with an `*.expected.json` beside it in `dir`.
pub fn score_dir(dir: &Path, taxonomy: &Taxonomy) -> Report {
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect::<Vec<_>>())
        .unwrap_or_default();
    names.sort();
    let mut report = Report::default();
    for path in names.iter().filter(|p| p.extension().is_some_and(|e| e == "txt")) {
        let want_path = path.with_extension("expected.json");
        let (Ok(text), Ok(want)) = (std::fs::read_to_string(path), std::fs::read_to_string(&want_path)) else {
            continue;
        };
        let want: Value = match serde_json::from_str(&want) {
            Ok(v) => v,
            Err(e) => panic!("{}: {e}", want_path.display()),
        };
        let name = path.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_default();
        let parsed = match parse_ad(&text, taxonomy) {
            Ok(p) => p,
            Err(e) => panic!("{name}: {e}"),
        };
        report.ads.push(score(&name, &parsed, &want));
    }
    report
}

/// Scores one parsed ad against its expected extraction.
pub fn score(name: &str, p: &ParsedAd, want: &Value) -> AdScore {
    let a = &p.assignment;
    let mut s = AdScore {
        name: name.to_string(),
        lang: want["lang"].as_str().unwrap_or("?").to_string(),
        ..AdScore::default()
    };
    let strs = |v: &Value| -> Vec<String> {
        v.as_array().map(|a| a.iter().filter_map(|x| x.as_str().map(str::to_string)).collect()).unwrap_or_default()
    };
    // Skills.
    let want_must: Vec<String> = want["must"]
        .as_array()
        .map(|a| a.iter().filter_map(|m| m["skill"].as_str().map(str::to_string)).collect())
        .unwrap_or_default();
    let got_must: Vec<String> = a.must_have.iter().map(|r| r.skill.clone()).collect();
    set(&mut s, "must", &want_must, &got_must, alt);
    let got_can: Vec<String> = a.can_have.iter().map(|r| r.skill.clone()).collect();
    // A can-have is a label, or an object like a must-have's when it states years.
    let want_can: Vec<String> = want["can"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c.as_str().or_else(|| c["skill"].as_str()).map(str::to_string))
        .collect();
    set(&mut s, "can", &want_can, &got_can, alt);
    // Years, over must and can.
    let want_years: Vec<String> = want["must"]
        .as_array()
        .into_iter()
        .flatten()
        .chain(want["can"].as_array().into_iter().flatten())
        .filter_map(|m| Some(format!("{}={}", m["skill"].as_str()?, m["years"].as_f64()?)))
        .collect();
    let got_years: Vec<String> = a
        .must_have
        .iter()
        .map(|r| (&r.skill, r.min_years))
        .chain(a.can_have.iter().map(|r| (&r.skill, r.min_years)))
        .filter_map(|(k, y)| Some(format!("{k}={}", f64::from(y?))))
        .collect();
    set(&mut s, "years", &want_years, &got_years, |w, g| {
        let (wl, wy) = w.rsplit_once('=').unwrap_or((w, ""));
        let (gl, gy) = g.rsplit_once('=').unwrap_or((g, ""));
        alt(wl, gl) && wy == gy
    });
    // Languages.
    let want_langs: Vec<String> = want["languages"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|l| {
            format!("{} {} {}", l["code"].as_str().unwrap_or(""), l["level"].as_str().unwrap_or(""), l["required"])
        })
        .collect();
    let got_langs: Vec<String> =
        a.languages.iter().map(|l| format!("{} {} {}", l.code, l.min_level, l.required)).collect();
    set(&mut s, "languages", &want_langs, &got_langs, |w, g| w == g);
    // Clearance: level and willingness as one value, citizenship as one set.
    let c = &want["clearance"];
    let want_level = c["level"].as_str().unwrap_or("none");
    let want_clear = (want_level != "none").then(|| format!("{want_level} willing={}", c["accept_willing"]));
    let got_level = a.clearance.required_level.to_string();
    let got_clear = (got_level != "none").then(|| format!("{got_level} willing={}", a.clearance.accept_willing));
    one(&mut s, "clearance", want_clear, got_clear);
    let mut want_cit: Vec<String> = strs(&c["citizenship"])
        .iter()
        .flat_map(|x| if x == "EU" { EU.iter().map(|e| e.to_string()).collect() } else { vec![x.clone()] })
        .collect();
    want_cit.sort();
    let mut got_cit: Vec<String> = a.clearance.citizenship.iter().map(|c| c.to_string()).collect();
    got_cit.sort();
    let show = |v: &[String]| (!v.is_empty()).then(|| if v.len() == EU.len() { "EU".to_string() } else { v.join(",") });
    one(&mut s, "citizenship", show(&want_cit), show(&got_cit));
    // Dates, extent, place, work mode.
    for (k, got) in [("start", a.start_date), ("end", a.end_date), ("expires", a.expires_at)] {
        let w = want[k].as_str().map(|d| format!("{k} {d}"));
        one(&mut s, "dates", w, got.map(|d| format!("{k} {d}")));
    }
    one(&mut s, "extent", want["extent"].as_u64().map(|x| x.to_string()), a.extent_percent.map(|x| x.to_string()));
    let city = a.location.as_ref().and_then(|l| l.city.clone());
    one(&mut s, "location", want["city"].as_str().map(str::to_string), city);
    one(&mut s, "work_mode", want["work_mode"].as_str().map(str::to_string), a.work_mode.map(|m| m.to_string()));
    s
}

/// Whether an expected label (`A|B` accepts either) names a predicted one.
fn alt(want: &str, got: &str) -> bool {
    want.split('|').any(|w| w == got)
}

/// Scores a set: each expected item matches at most one predicted item.
fn set(s: &mut AdScore, field: &'static str, want: &[String], got: &[String], eq: impl Fn(&str, &str) -> bool) {
    let mut used = vec![false; got.len()];
    let mut c = Count::default();
    for w in want {
        match (0..got.len()).find(|&i| !used[i] && eq(w, &got[i])) {
            Some(i) => {
                used[i] = true;
                c.tp += 1;
            }
            None => {
                c.fn_ += 1;
                s.misses.push(format!("{field}: -{w}"));
            }
        }
    }
    for (g, u) in got.iter().zip(&used) {
        if !u {
            c.fp += 1;
            s.misses.push(format!("{field}: +{g}"));
        }
    }
    s.fields.entry(field).or_default().add(c);
}

/// Scores one value: right, wrong (a false positive and a false negative), missing or extra.
fn one(s: &mut AdScore, field: &'static str, want: Option<String>, got: Option<String>) {
    let mut c = Count::default();
    match (&want, &got) {
        (Some(w), Some(g)) if w == g => c.tp += 1,
        _ => {
            if let Some(w) = &want {
                c.fn_ += 1;
                s.misses.push(format!("{field}: -{w}"));
            }
            if let Some(g) = &got {
                c.fp += 1;
                s.misses.push(format!("{field}: +{g}"));
            }
        }
    }
    s.fields.entry(field).or_default().add(c);
}
