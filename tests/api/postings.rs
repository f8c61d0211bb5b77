//! End to end, as a recruiter uses the service: a real posting pasted into
//! `POST /assignments/parse`, the draft stored unchanged, a dozen consultants written the way
//! people write their profiles, and the ranking judged as a recruiter would judge it.
//!
//! Each posting lives in `tests/fixtures/postings/` with its profiles
//! (`<name>.profiles.json`, the contract's consultant shape) and a recruiter's judgments
//! (`<name>.judgments.json`): who must be eligible, who must not (and which gap must say
//! why), pairwise orders, the top one, and texts no gap may contain (personal qualities and
//! background knowledge never gate). Every judgment carries the one-line reason a recruiter
//! would give. One generic runner checks them all and reports every failure at once, with
//! the parsed requirements and the evidence (score, gaps, explanation) beside each.

use std::collections::HashMap;
use std::path::PathBuf;

use reqwest::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::helpers::{TestApp, json, spawn_app};

/// A recruiter's judgments on one posting.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Judgments {
    /// The ad as plain text, beside this file.
    posting: String,
    /// A JSON array of consultants, beside this file.
    profiles: String,
    eligible: Vec<Verdict>,
    ineligible: Vec<Verdict>,
    above: Vec<Order>,
    top: Verdict,
    #[serde(default)]
    never_in_gaps: Vec<Forbidden>,
}

/// "`who` must (not) be eligible, because `why`"; for the ineligible, a gap must mention one
/// of `gap_mentions` (case-insensitive), so they are left out for the right reason.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Verdict {
    who: String,
    why: String,
    #[serde(default)]
    gap_mentions: Vec<String>,
}

/// "`higher` ranks above `lower`, because `why`".
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Order {
    higher: String,
    lower: String,
    why: String,
}

/// "No consultant's gaps mention `text` (case-insensitive), because `why`".
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Forbidden {
    text: String,
    why: String,
}

fn fixture(file: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/postings").join(file)
}

fn read(file: &str) -> String {
    let path = fixture(file);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("fixture {}: {e}", path.display()))
}

/// The judgments and profiles of `name`, checked for fixture mistakes (a judgment naming
/// nobody, two profiles with one name) before anything runs.
fn load(name: &str) -> (Judgments, String, Vec<Value>) {
    let file = format!("{name}.judgments.json");
    let judgments: Judgments =
        serde_json::from_str(&read(&file)).unwrap_or_else(|e| panic!("fixture {file} is malformed: {e}"));
    let posting = read(&judgments.posting);
    let profiles: Vec<Value> = serde_json::from_str(&read(&judgments.profiles))
        .unwrap_or_else(|e| panic!("fixture {} is malformed: {e}", judgments.profiles));
    assert!(profiles.len() >= 12, "{}: a posting is judged against at least 12 profiles", judgments.profiles);
    let mut names: Vec<&str> = profiles.iter().map(|p| p["name"].as_str().expect("every profile has a name")).collect();
    names.sort_unstable();
    let before = names.len();
    names.dedup();
    assert_eq!(names.len(), before, "{}: profile names must be unique", judgments.profiles);
    let judged = judgments.eligible.iter().chain(&judgments.ineligible).chain([&judgments.top]).map(|v| &v.who);
    let ordered = judgments.above.iter().flat_map(|o| [&o.higher, &o.lower]);
    for who in judged.chain(ordered) {
        assert!(names.binary_search(&who.as_str()).is_ok(), "{file} judges {who:?}, who has no profile");
    }
    (judgments, posting, profiles)
}

/// Parses the posting, stores the draft unchanged, writes the profiles in one batch and
/// returns the draft and the full ranking (ineligible consultants included).
async fn parse_store_rank(app: &TestApp, posting: String, profiles: Vec<Value>) -> (Value, Vec<Value>) {
    let parsed = app.parse_ad(posting).await;
    let draft = parsed["assignment"].clone();
    let stored = app.create("/api/v1/assignments", &draft).await;

    let n = profiles.len();
    let (status, batch) = json(app.post("/api/v1/consultants/batch", &json!({"items": profiles})).await).await;
    assert_eq!(status, StatusCode::OK, "batch: {batch}");
    assert_eq!(batch["failed"], 0, "every profile is a valid consultant: {batch}");

    let path =
        format!("/api/v1/assignments/{}/matches?include_ineligible=true&limit=200", stored["id"].as_str().unwrap());
    let (status, ranking) = json(app.get(&path).await).await;
    assert_eq!(status, StatusCode::OK, "matches: {ranking}");
    let items = ranking["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), n, "every profile is listed with include_ineligible: {ranking}");
    (draft, items)
}

/// One ranked consultant, as the failure messages show it.
struct Ranked<'a> {
    /// 1-based place in the full ranking.
    place: usize,
    item: &'a Value,
}

impl Ranked<'_> {
    fn eligible(&self) -> bool {
        self.item["eligible"].as_bool().unwrap()
    }

    fn score(&self) -> f64 {
        self.item["score"].as_f64().unwrap()
    }

    fn gaps(&self) -> Vec<&str> {
        self.item["gaps"].as_array().unwrap().iter().map(|g| g.as_str().unwrap()).collect()
    }

    /// `#3 score 71.2 eligible`, the breakdown, the gaps.
    fn summary(&self) -> String {
        let verdict = if self.eligible() { "eligible" } else { "NOT eligible" };
        format!(
            "#{} score {:.1} {verdict}; breakdown {}; gaps {:?}",
            self.place,
            self.score(),
            self.item["breakdown"],
            self.gaps()
        )
    }

    /// The explanation items whose status is in `statuses` (all when empty), one a line:
    /// `requirement [kind] status — matched_by (points)`.
    fn explanation(&self, statuses: &[&str]) -> String {
        let lines: Vec<String> = self.item["explanation"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| statuses.is_empty() || statuses.iter().any(|s| e["status"] == *s))
            .map(|e| {
                let text = |key: &str| e[key].as_str().unwrap_or("?").to_string();
                let by = e["matched_by"].as_str().map(|m| format!(" — {m}")).unwrap_or_default();
                let (req, kind, status) = (text("requirement"), text("kind"), text("status"));
                format!("        {req} [{kind}] {status}{by} ({} pts)", e["points"])
            })
            .collect();
        if lines.is_empty() { "        (none)".to_string() } else { lines.join("\n") }
    }
}

/// The requirements the parser made, for the head of a failure report.
fn draft_summary(draft: &Value) -> String {
    let list = |key: &str| -> String {
        let items = draft[key].as_array().map(Vec::as_slice).unwrap_or_default();
        let names: Vec<String> = items
            .iter()
            .map(|s| match s["min_years"].as_f64() {
                Some(y) => format!("{} ({y} y)", s["skill"].as_str().unwrap_or("?")),
                None => s["skill"].as_str().unwrap_or("?").to_string(),
            })
            .collect();
        names.join(", ")
    };
    let mut out = format!("  must_have: {}\n  can_have: {}\n", list("must_have"), list("can_have"));
    for key in ["qualities", "languages", "clearance", "location", "work_mode"] {
        if !draft[key].is_null() {
            out.push_str(&format!("  {key}: {}\n", draft[key]));
        }
    }
    out
}

/// The skills of each profile as its consultant wrote them: `Nätverkssäkerhetsarbete 7 y, CCNA`.
fn written_skills(profiles: &[Value]) -> HashMap<String, String> {
    profiles
        .iter()
        .map(|p| {
            let skills: Vec<String> = p["skills"]
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or_default()
                .iter()
                .map(|s| match s["years"].as_f64() {
                    Some(y) => format!("{} {y} y", s["name"].as_str().unwrap_or("?")),
                    None => s["name"].as_str().unwrap_or("?").to_string(),
                })
                .collect();
            (p["name"].as_str().unwrap_or("?").to_string(), skills.join(", "))
        })
        .collect()
}

/// Checks every judgment against the ranking; returns one message per failed judgment.
/// `written` holds each profile's skills as written, shown beside eligibility failures.
fn judge(j: &Judgments, items: &[Value], written: &HashMap<String, String>) -> Vec<String> {
    let by_name: HashMap<&str, Ranked<'_>> = items
        .iter()
        .enumerate()
        .map(|(i, item)| (item["name"].as_str().unwrap(), Ranked { place: i + 1, item }))
        .collect();
    let get = |who: &str| by_name.get(who).unwrap_or_else(|| panic!("{who} is missing from the ranking"));
    let mut failures = Vec::new();

    for v in &j.eligible {
        let r = get(&v.who);
        if !r.eligible() {
            failures.push(format!(
                "[eligible] {} must be eligible: {}\n    got {}\n    profile skills: {}\n    unmet requirements:\n{}",
                v.who,
                v.why,
                r.summary(),
                written[&v.who],
                r.explanation(&["missing", "partial"])
            ));
        }
    }
    for v in &j.ineligible {
        let r = get(&v.who);
        if r.eligible() {
            failures.push(format!(
                "[ineligible] {} must NOT be eligible: {}\n    got {}\n    profile skills: {}\n    explanation:\n{}",
                v.who,
                v.why,
                r.summary(),
                written[&v.who],
                r.explanation(&[])
            ));
        } else if !v.gap_mentions.is_empty() {
            let gaps = r.gaps().join(" | ").to_lowercase();
            if !v.gap_mentions.iter().any(|m| gaps.contains(&m.to_lowercase())) {
                failures.push(format!(
                    "[ineligible, wrong reason] {} is left out, but no gap mentions any of {:?}: {}\n    got {}",
                    v.who,
                    v.gap_mentions,
                    v.why,
                    r.summary()
                ));
            }
        }
    }
    for o in &j.above {
        let (hi, lo) = (get(&o.higher), get(&o.lower));
        if hi.place > lo.place {
            failures.push(format!(
                "[order] {} must rank above {}: {}\n    {}: {}\n{}\n    {}: {}\n{}",
                o.higher,
                o.lower,
                o.why,
                o.higher,
                hi.summary(),
                hi.explanation(&[]),
                o.lower,
                lo.summary(),
                lo.explanation(&[])
            ));
        }
    }
    let first = items.iter().find(|i| i["eligible"] == true).and_then(|i| i["name"].as_str());
    if first != Some(j.top.who.as_str()) {
        let eligible: Vec<String> = items
            .iter()
            .filter(|i| i["eligible"] == true)
            .take(3)
            .map(|i| format!("{} ({:.1})", i["name"].as_str().unwrap(), i["score"].as_f64().unwrap()))
            .collect();
        let r = get(&j.top.who);
        failures.push(format!(
            "[top] {} must be the first eligible consultant: {}\n    got first eligible: {:?}; top three eligible: {:?}\n    {}: {}\n{}",
            j.top.who,
            j.top.why,
            first,
            eligible,
            j.top.who,
            r.summary(),
            r.explanation(&[])
        ));
    }
    for f in &j.never_in_gaps {
        let needle = f.text.to_lowercase();
        let hits: Vec<String> = items
            .iter()
            .flat_map(|i| {
                let name = i["name"].as_str().unwrap();
                let gaps = i["gaps"].as_array().unwrap().iter().filter_map(Value::as_str);
                gaps.filter(|g| g.to_lowercase().contains(&needle)).map(move |g| format!("{name}: {g:?}"))
            })
            .collect();
        if !hits.is_empty() {
            failures.push(format!(
                "[never a gate] no gap may mention {:?}: {}\n    found in {} profile(s): {}",
                f.text,
                f.why,
                hits.len(),
                hits.join("; ")
            ));
        }
    }
    failures
}

/// Runs posting `name` through parse → store → rank and asserts every judgment.
async fn run(name: &str) {
    let (judgments, posting, profiles) = load(name);
    let written = written_skills(&profiles);
    let app = spawn_app().await;
    let (draft, items) = parse_store_rank(&app, posting, profiles).await;
    let failures = judge(&judgments, &items, &written);
    let total = judgments.eligible.len()
        + judgments.ineligible.len()
        + judgments.above.len()
        + 1
        + judgments.never_in_gaps.len();
    assert!(
        failures.is_empty(),
        "{name}: {} of {total} recruiter judgments failed.\nThe parsed draft (stored unchanged):\n{}\n{}\n",
        failures.len(),
        draft_summary(&draft),
        failures.join("\n\n")
    );
}

#[actix_web::test]
async fn the_seed_posting_ranks_the_people_a_recruiter_would_call() {
    run("seed-it-project-manager-infrastructure").await;
}

#[actix_web::test]
async fn a_swedish_public_sector_call_off_gates_on_its_skall_krav_only() {
    run("sv-natverkssakerhet-avrop").await;
}

#[actix_web::test]
async fn an_english_platform_engineer_ad_ranks_the_people_a_recruiter_would_call() {
    run("en-platform-engineer-stockholm").await;
}
