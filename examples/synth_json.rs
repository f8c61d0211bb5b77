//! Writes the engine's deterministic synthetic data as API request bodies, for load tests
//! over HTTP (`benches/http/load.sh`).
//!
//! `cargo run --release --features synth --example synth_json -- consultants N [SEED]` prints NDJSON, one
//! consultant body per line; `… assignments N [SEED]` prints one assignment body per line.
//! Synthetic skill keys are mapped onto the first skills of the built-in taxonomy, named by
//! their English label, so the service resolves them exactly like real data.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use serde_json::{Value, json};
use staffmatch::matching::synth::{consultants, generate_assignments};
use staffmatch::matching::{AssignmentQuery, ConsultantVector};
use staffmatch::taxonomy::Taxonomy;

fn label(t: &Taxonomy, key: u32) -> String {
    let idx = key % t.len() as u32;
    t.skill(idx).map(|s| s.label_en.clone()).unwrap_or_else(|| format!("skill {key}"))
}

fn capital(city: &Option<String>) -> Option<String> {
    city.as_ref().map(|c| {
        let mut chars = c.chars();
        chars.next().map(|f| f.to_uppercase().collect::<String>() + chars.as_str()).unwrap_or_default()
    })
}

fn consultant(t: &Taxonomy, i: usize, c: &ConsultantVector) -> Value {
    let mut seen = std::collections::HashSet::new();
    let skills: Vec<Value> = c
        .skills
        .iter()
        .filter(|s| seen.insert(label(t, s.key).to_lowercase()))
        .map(|s| json!({"name": label(t, s.key), "years": s.years.map(|y| (f64::from(y) * 10.0).round() / 10.0), "level": s.level.map(|l| l.get())}))
        .collect();
    json!({
        "source": "synth", "external_id": format!("c-{i}"),
        "name": format!("Konsult {i}"),
        "location": {"city": capital(&c.city), "country": c.country.map(|x| x.to_string())},
        "work_modes": c.work_modes.iter().map(|m| m.as_str()).collect::<Vec<_>>(),
        "available_from": c.available_from, "capacity_percent": c.capacity_percent,
        "experience_years": c.experience_years,
        "skills": skills,
        "languages": c.languages.iter().map(|(code, level)| json!({"code": code.as_str(), "level": level.as_str()})).collect::<Vec<_>>(),
        "clearance": {"level": c.clearance.as_str(), "citizenships": c.citizenships.iter().map(|x| x.as_str()).collect::<Vec<_>>(), "willing_to_undergo": c.willing_to_undergo}
    })
}

fn assignment(t: &Taxonomy, i: usize, q: &AssignmentQuery) -> Value {
    let must: Vec<String> = q.must.iter().map(|n| label(t, n.key)).collect();
    let mut seen: std::collections::HashSet<String> = must.iter().map(|m| m.to_lowercase()).collect();
    json!({
        "source": "synth", "external_id": format!("a-{i}"),
        "title": format!("Uppdrag {i}"),
        "location": {"city": capital(&q.city), "country": q.country.map(|x| x.to_string())},
        "work_mode": q.work_mode.map(|m| m.as_str()),
        "start_date": q.start_date, "end_date": q.end_date, "extent_percent": q.extent_percent,
        "min_experience_years": q.min_experience_years,
        "must_have": q.must.iter().zip(&must).map(|(n, l)| json!({"skill": l, "min_years": n.min_years, "min_level": n.min_level.map(|x| x.get())})).collect::<Vec<_>>(),
        "can_have": q.can.iter().filter(|w| seen.insert(label(t, w.key).to_lowercase())).map(|w| json!({"skill": label(t, w.key), "weight": w.weight})).collect::<Vec<_>>(),
        "languages": q.languages.iter().map(|l| json!({"code": l.code.as_str(), "min_level": l.min_level.as_str(), "required": l.required})).collect::<Vec<_>>(),
        "clearance": {"required_level": q.clearance.required_level.as_str(), "citizenship": q.clearance.citizenship.iter().map(|x| x.as_str()).collect::<Vec<_>>(), "accept_willing": q.clearance.accept_willing}
    })
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let what = args.get(1).map(String::as_str).unwrap_or("consultants");
    let n: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1000);
    let seed: u64 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(42);
    let t = Taxonomy::builtin().expect("taxonomy");
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    use std::io::Write;
    match what {
        "assignments" => {
            for (i, (_, q)) in generate_assignments(n, seed).iter().enumerate() {
                writeln!(out, "{}", assignment(&t, i, q)).unwrap();
            }
        }
        _ => {
            for (i, c) in consultants(seed).take(n).enumerate() {
                writeln!(out, "{}", consultant(&t, i, &c)).unwrap();
            }
        }
    }
}
