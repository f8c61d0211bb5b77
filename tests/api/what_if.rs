//! `what_if` on the pair scores, and its two laws as property tests through the real API:
//! PATCHing a consultant with `eligible_patch` makes the pair eligible, and PATCHing a fresh
//! copy of her with one `score_gain` entry's `patch` raises the pair's score by exactly its
//! `points` (to the 0.001 scores are given in). Random profiles and assignments over skills
//! related in the taxonomy (Kubernetes is narrower than Container orchestration, Docker than
//! Containers) and one free-text skill.

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, json, spawn_app};

const SKILLS: [&str; 8] = [
    "Kubernetes",
    "Container orchestration",
    "Docker",
    "Containers",
    "Terraform",
    "ITIL",
    "PostgreSQL",
    "Quantum knitting",
];
const CEFR: [&str; 7] = ["A1", "A2", "B1", "B2", "C1", "C2", "native"];

fn years() -> impl Strategy<Value = Option<f64>> {
    prop::option::of((0u32..=20).prop_map(|h| f64::from(h) / 2.0))
}

fn level() -> impl Strategy<Value = Option<u8>> {
    prop::option::of(1u8..=5)
}

/// A skill entry (consultant) or requirement (assignment) with optional years and level.
fn entry(name: &str, key: &str, y: Option<f64>, l: Option<u8>, years_key: &str, level_key: &str) -> Value {
    let mut e = json!({key: name});
    if let Some(y) = y {
        e[years_key] = json!(y);
    }
    if let Some(l) = l {
        e[level_key] = json!(l);
    }
    e
}

prop_compose! {
    fn profile()(skills in prop::sample::subsequence(SKILLS.to_vec(), 0..5),
                 depth in prop::collection::vec((years(), level()), 5),
                 langs in prop::collection::vec((prop::sample::select(&["sv", "en"][..]), prop::sample::select(&CEFR[..])), 0..3),
                 clearance in prop::sample::select(&["none", "sk3", "sk2"][..]),
                 citizenships in prop::sample::subsequence(vec!["SE", "DK"], 0..3),
                 willing in any::<bool>(),
                 experience in prop::option::of(0u32..15)) -> Value {
        let skills: Vec<Value> = skills.iter().zip(&depth).map(|(s, (y, l))| entry(s, "name", *y, *l, "years", "level")).collect();
        let mut seen = Vec::new();
        let languages: Vec<Value> = langs.into_iter().filter(|(c, _)| { let new = !seen.contains(c); seen.push(*c); new })
            .map(|(code, level)| json!({"code": code, "level": level})).collect();
        let mut p = json!({"name": "Random Consultant", "skills": skills, "languages": languages,
                           "clearance": {"level": clearance, "citizenships": citizenships, "willing_to_undergo": willing}});
        if let Some(e) = experience {
            p["experience_years"] = json!(e);
        }
        p
    }
}

prop_compose! {
    fn posting()(picked in prop::sample::subsequence(SKILLS.to_vec(), 0..6),
                 n_must in 0usize..3,
                 mins in prop::collection::vec((prop::option::of(1u32..7), level(), 1u32..4), 6),
                 langs in prop::sample::subsequence(vec!["sv", "en"], 0..3),
                 lang_levels in prop::collection::vec((prop::sample::select(&CEFR[..6]), any::<bool>()), 2),
                 required_level in prop::sample::select(&["none", "sk3"][..]),
                 citizenship in prop::sample::subsequence(vec!["SE"], 0..2),
                 accept_willing in any::<bool>(),
                 min_experience in prop::option::of(1u32..10)) -> Value {
        let n_must = n_must.min(picked.len());
        let must: Vec<Value> = picked[..n_must].iter().zip(&mins)
            .map(|(s, (y, l, _))| entry(s, "skill", y.map(f64::from), *l, "min_years", "min_level")).collect();
        let can: Vec<Value> = picked[n_must..].iter().zip(&mins[n_must..])
            .map(|(s, (y, l, w))| { let mut e = entry(s, "skill", y.map(f64::from), *l, "min_years", "min_level"); e["weight"] = json!(w); e })
            .collect();
        let languages: Vec<Value> = langs.iter().zip(&lang_levels)
            .map(|(code, (min, required))| json!({"code": code, "min_level": min, "required": required})).collect();
        let mut a = json!({"title": "Random assignment", "must_have": must, "can_have": can, "languages": languages,
                           "clearance": {"required_level": required_level, "citizenship": citizenship, "accept_willing": accept_willing}});
        if let Some(m) = min_experience {
            a["min_experience_years"] = json!(m);
        }
        a
    }
}

async fn pair(app: &TestApp, assignment: &str, consultant: &str) -> Value {
    let (status, body) = json(app.get(&format!("/api/v1/assignments/{assignment}/matches/{consultant}")).await).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

async fn patch(app: &TestApp, consultant: &str, patch: &Value) {
    let res = app
        .request(Method::PATCH, &format!("/api/v1/consultants/{consultant}"))
        .header("content-type", "application/merge-patch+json")
        .body(patch.to_string())
        .send()
        .await
        .unwrap();
    let (status, body) = json(res).await;
    assert_eq!(status, StatusCode::OK, "PATCH {patch}: {body}");
}

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap().to_string()
}

/// Random (profile, posting) pairs, `cases` of them, deterministic per test.
fn cases(cases: u32) -> Vec<(Value, Value)> {
    let mut runner = TestRunner::new(Config { cases, ..Config::default() });
    let strategy = (profile(), posting());
    (0..cases).map(|_| strategy.new_tree(&mut runner).unwrap().current()).collect()
}

#[actix_web::test]
async fn patching_a_consultant_with_eligible_patch_makes_the_pair_eligible() {
    let app = spawn_app().await;
    let mut ineligible = 0;
    for (profile, posting) in cases(48) {
        let a = id(&app.create("/api/v1/assignments", &posting).await);
        let c = id(&app.create("/api/v1/consultants", &profile).await);
        let before = pair(&app, &a, &c).await;
        let w = &before["what_if"];
        assert_eq!(w["eligible_if"].as_array().unwrap().is_empty(), before["eligible"] == true, "{before}");
        assert_eq!(w["hidden_conditions"], 0);
        if before["eligible"] == true {
            assert_eq!(w["eligible_patch"], json!({}));
            continue;
        }
        ineligible += 1;
        patch(&app, &c, &w["eligible_patch"]).await;
        let after = pair(&app, &a, &c).await;
        assert_eq!(after["eligible"], true, "{posting}\n{profile}\n{w}\n{after}");
        assert_eq!(after["what_if"]["eligible_if"], json!([]));
    }
    assert!(ineligible >= 10, "the cases hardly test the law: {ineligible} ineligible");
}

#[actix_web::test]
async fn patching_with_one_score_gain_raises_the_score_by_exactly_its_points() {
    let app = spawn_app().await;
    let mut gains = 0;
    for (profile, posting) in cases(32) {
        let a = id(&app.create("/api/v1/assignments", &posting).await);
        let c = id(&app.create("/api/v1/consultants", &profile).await);
        let before = pair(&app, &a, &c).await;
        let score = before["score"].as_f64().unwrap();
        let listed = before["what_if"]["score_gain"].as_array().unwrap().clone();
        assert!(listed.len() <= 3);
        for g in &listed {
            gains += 1;
            // A fresh copy of the profile, so each patch applies to the one it was made for.
            let copy = id(&app.create("/api/v1/consultants", &profile).await);
            patch(&app, &copy, &g["patch"]).await;
            let after = pair(&app, &a, &copy).await["score"].as_f64().unwrap();
            let points = g["points"].as_f64().unwrap();
            assert!(points > 0.0, "{g}");
            assert!((after - score - points).abs() < 1e-6, "{g}: {score} → {after}\n{posting}\n{profile}");
        }
        let points: Vec<f64> = listed.iter().map(|g| g["points"].as_f64().unwrap()).collect();
        assert!(points.windows(2).all(|p| p[0] >= p[1]), "most points first: {points:?}");
    }
    assert!(gains >= 30, "the cases hardly test the law: {gains} gains");
}

#[actix_web::test]
async fn what_if_names_needed_against_held_and_hides_clearance_without_the_sensitive_scope() {
    let app = spawn_app().await;
    let posting = json!({"title": "Ops lead", "must_have": [{"skill": "Kubernetes", "min_years": 5}],
                         "can_have": [{"skill": "ITIL"}],
                         "languages": [{"code": "sv", "min_level": "C1", "required": true}],
                         "clearance": {"required_level": "sk3", "citizenship": ["SE"], "accept_willing": false}});
    let a = id(&app.create("/api/v1/assignments", &posting).await);
    let profile = json!({"name": "Anna", "skills": [{"name": "Kubernetes", "years": 3, "level": 4}],
                         "languages": [{"code": "sv", "level": "B2"}],
                         "clearance": {"level": "none", "citizenships": ["DK"]}});
    let c = id(&app.create("/api/v1/consultants", &profile).await);
    let w = pair(&app, &a, &c).await["what_if"].clone();
    assert_eq!(
        w["eligible_if"],
        json!([
            {"requirement": "Kubernetes", "kind": "must_have", "needed": "5 years", "has": "3 years, level 4"},
            {"requirement": "Swedish (sv) C1", "kind": "language", "needed": "C1", "has": "B2"},
            {"requirement": "clearance sk3", "kind": "clearance", "needed": "sk3", "has": "none"},
            {"requirement": "citizenship SE", "kind": "citizenship", "needed": "SE", "has": "DK"}
        ])
    );
    assert_eq!(
        w["eligible_patch"],
        json!({"skills": [{"name": "Kubernetes", "years": 5.0, "level": 4}],
               "languages": [{"code": "sv", "level": "C1"}],
               "clearance": {"level": "sk3", "citizenships": ["DK", "SE"]}})
    );
    let itil = w["score_gain"].as_array().unwrap().iter().find(|g| g["requirement"] == "ITIL").unwrap();
    assert_eq!(itil["change"], "add ITIL");
    assert_eq!(itil["kind"], "can_have");
    assert_eq!(itil["patch"], json!({"skills": [{"name": "Kubernetes", "years": 3.0, "level": 4}, {"name": "ITIL"}]}));

    let reader = app.key_with(&["read"]).await;
    let res = app
        .request_as(Some(&reader), Method::GET, &format!("/api/v1/consultants/{c}/matches/{a}"))
        .send()
        .await
        .unwrap();
    let (_, body) = json(res).await;
    let w = &body["what_if"];
    let kinds: Vec<&str> = w["eligible_if"].as_array().unwrap().iter().map(|n| n["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["must_have", "language"]);
    assert_eq!(w["hidden_conditions"], 2);
    assert!(w["eligible_patch"].get("clearance").is_none(), "{w}");
    let text = body.to_string();
    assert!(!text.contains("sk3") && !text.contains("DK"), "{text}");
}
