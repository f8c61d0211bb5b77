//! The adverse-impact report on a sample built by hand: every rate, the median and both
//! impact ratios are worked out in this file from the engine's documented scoring, then
//! compared with the report. Also: it needs `audit` and `sensitive`, names unknown ids, and
//! stores nothing of the categories (no idempotency record either).

use reqwest::{Method, StatusCode};
use sea_orm::{ConnectionTrait, Database, Statement};
use serde_json::{Value, json};

use crate::helpers::{TestApp, fields, json, problem, spawn_app};

/// One must-have, Kubernetes for at least a year; nothing else asked, so every other
/// component is 1 and an eligible consultant with `y` years scores
/// 100 × (0.35 × (0.6 + 0.4 × (y − 1) / 5) + 0.65) = 86 + 2.8 × (y − 1).
async fn assignment(app: &TestApp) -> String {
    let body = json!({"title": "Platform engineer", "must_have": [{"skill": "Kubernetes", "min_years": 1}]});
    app.create("/api/v1/assignments", &body).await["id"].as_str().unwrap().to_string()
}

fn score(years: Option<f64>) -> f64 {
    years.map_or(0.0, |y| 86.0 + 2.8 * (y - 1.0))
}

async fn consultant(app: &TestApp, years: Option<f64>) -> String {
    let skills = match years {
        Some(y) => json!([{"name": "Kubernetes", "years": y}]),
        None => json!([{"name": "Excel", "years": 4}]),
    };
    app.create("/api/v1/consultants", &json!({"name": "Someone", "skills": skills})).await["id"]
        .as_str()
        .unwrap()
        .to_string()
}

/// The sample: category → the Kubernetes years of its consultants (`None`: not eligible).
fn sample() -> Vec<(Option<&'static str>, Option<f64>)> {
    vec![
        (Some("group a"), Some(5.0)),
        (Some("group a"), Some(4.0)),
        (Some("group a"), Some(3.0)),
        (Some("group a"), None),
        (Some("group b"), Some(1.0)),
        (Some("group b"), None),
        (Some("group b"), None),
        (Some("group b"), Some(2.0)),
        (Some("group c"), Some(5.0)),
        (None, Some(3.0)),
    ]
}

async fn report(app: &TestApp, key: Option<&str>, body: &Value) -> reqwest::Response {
    app.request_as(key, Method::POST, "/api/v1/audit/impact").json(body).send().await.unwrap()
}

fn close(a: &Value, b: f64) -> bool {
    a.as_f64().is_some_and(|a| (a - b).abs() < 1e-6)
}

#[actix_web::test]
async fn the_report_gives_the_rates_and_ratios_worked_out_by_hand() {
    let app = spawn_app().await;
    let a = assignment(&app).await;
    let mut groups = serde_json::Map::new();
    for (category, years) in sample() {
        groups.insert(consultant(&app, years).await, category.map_or(Value::Null, |c| json!(c)));
    }
    // By hand. Scores: a 97.2, 94.4, 91.6, 0; b 86.0, 0, 0, 88.8; c 97.2; unknown 91.6.
    // Sorted: 0 0 0 86.0 88.8 | 91.6 91.6 94.4 97.2 97.2 → median (88.8 + 91.6) / 2 = 90.2.
    let mut all: Vec<f64> = sample().iter().map(|(_, y)| score(*y)).collect();
    all.sort_by(f64::total_cmp);
    let median = (all[4] + all[5]) / 2.0;
    assert!((median - 90.2).abs() < 1e-9);
    // Selection: a 3/4, b 2/4, c 1/1. Above the median: a 3/4, b 0/4, c 1/1.
    // min_share 0.15: c has 1 of 10 pairs, left out; the highest rates are a's: 0.75 and 0.75.
    // Ratios: a 1 and 1; b (0.5 / 0.75) and (0 / 0.75): flagged.
    let body = json!({"assignment_ids": [a], "groups": groups, "min_share": 0.15});
    let (status, r) = json(report(&app, app.key.as_deref(), &body).await).await;
    assert_eq!(status, StatusCode::OK, "{r}");
    assert!(close(&r["median_score"], median), "{r}");
    assert_eq!((r["pairs"].clone(), r["unknown"].clone()), (json!(10), json!(1)));
    assert_eq!((r["consultants"].clone(), r["assignments"].clone()), (json!(10), json!(1)));
    assert_eq!(r["excluded_categories"], json!(["group c"]));
    assert!(close(&r["highest_selection_rate"], 0.75) && close(&r["highest_scoring_rate"], 0.75), "{r}");
    let cats = r["categories"].as_array().unwrap();
    let names: Vec<&str> = cats.iter().map(|c| c["category"].as_str().unwrap()).collect();
    assert_eq!(names, ["group a", "group b", "group c"]);
    let (ga, gb, gc) = (&cats[0], &cats[1], &cats[2]);
    assert_eq!((ga["n"].clone(), gb["n"].clone(), gc["n"].clone()), (json!(4), json!(4), json!(1)));
    for (c, sel, scoring) in [(ga, 3.0 / 4.0, 3.0 / 4.0), (gb, 2.0 / 4.0, 0.0), (gc, 1.0, 1.0)] {
        assert!(close(&c["selection_rate"], sel) && close(&c["scoring_rate"], scoring), "{c}");
    }
    assert!(close(&ga["selection_impact_ratio"], 1.0) && close(&ga["scoring_impact_ratio"], 1.0), "{ga}");
    assert_eq!((ga["flagged"].clone(), ga["excluded"].clone()), (json!(false), json!(false)));
    assert!(close(&gb["selection_impact_ratio"], 0.5 / 0.75) && close(&gb["scoring_impact_ratio"], 0.0), "{gb}");
    assert_eq!(gb["flagged"], true);
    assert!(gc["selection_impact_ratio"].is_null() && gc["scoring_impact_ratio"].is_null(), "{gc}");
    assert_eq!((gc["flagged"].clone(), gc["excluded"].clone()), (json!(false), json!(true)));
    assert!(close(&gc["share"], 0.1));

    // With every category in (min_share 0), c's perfect rates set the bar: a's ratios are 0.75.
    let body = json!({"assignment_ids": [a], "groups": groups, "min_share": 0});
    let (_, r) = json(report(&app, app.key.as_deref(), &body).await).await;
    let ga = &r["categories"][0];
    assert!(close(&ga["selection_impact_ratio"], 0.75) && close(&ga["scoring_impact_ratio"], 0.75), "{ga}");
    assert_eq!(ga["flagged"], true);

    // "open": every open assignment; a second one doubles the pairs.
    assignment(&app).await;
    let (_, r) =
        json(report(&app, app.key.as_deref(), &json!({"assignment_ids": "open", "groups": groups})).await).await;
    assert_eq!(
        (r["pairs"].clone(), r["assignments"].clone(), r["min_share"].clone()),
        (json!(20), json!(2), json!(0.02))
    );
}

#[actix_web::test]
async fn the_report_needs_audit_and_sensitive_and_names_what_is_wrong() {
    let app = spawn_app().await;
    let a = assignment(&app).await;
    let c = consultant(&app, Some(2.0)).await;
    let body = json!({"assignment_ids": [a], "groups": {c.clone(): "x"}});
    for scopes in [&["audit"][..], &["sensitive", "read", "write"][..]] {
        let key = app.key_with(scopes).await;
        let body = problem(report(&app, Some(&key), &body).await, 403, "forbidden").await;
        assert_eq!(fields(&body), ["Authorization"], "{scopes:?}");
    }
    let auditor = app.key_with(&["audit", "sensitive"]).await;
    let res = report(&app, Some(&auditor), &body).await;
    assert_eq!(res.status(), StatusCode::OK);

    let unknown = "0192f3c4-5d6e-7f80-9a1b-2c3d4e5f6a7b";
    let bad = json!({"assignment_ids": [a], "groups": {unknown: "x", c.clone(): null}});
    let body = problem(report(&app, Some(&auditor), &bad).await, 422, "validation_failed").await;
    assert_eq!(fields(&body), [format!("groups.{unknown}")]);
    let bad = json!({"assignment_ids": [unknown], "groups": {c.clone(): "x"}});
    let body = problem(report(&app, Some(&auditor), &bad).await, 422, "validation_failed").await;
    assert_eq!(fields(&body), ["assignment_ids"]);
    let bad = json!({"assignment_ids": "all", "groups": [], "min_share": -1, "extra": true});
    let body = problem(report(&app, Some(&auditor), &bad).await, 422, "validation_failed").await;
    assert_eq!(fields(&body), ["assignment_ids", "groups", "min_share", "extra"]);
}

#[actix_web::test]
async fn categories_are_never_stored_not_even_as_an_idempotent_answer() {
    let app = spawn_app().await;
    let a = assignment(&app).await;
    let c = consultant(&app, Some(2.0)).await;
    let body = json!({"assignment_ids": [a], "groups": {c.clone(): "a very particular category"}});
    for _ in 0..2 {
        let res = app
            .request(Method::POST, "/api/v1/audit/impact")
            .header("idempotency-key", "audit-1")
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        assert!(res.headers().get("idempotent-replayed").is_none());
        let text = res.text().await.unwrap();
        assert!(!text.contains(&c), "the answer maps no consultant to a category: {text}");
    }
    let db = app.stop().await;
    let conn = Database::connect(db.url()).await.unwrap();
    let count =
        |table: &str| Statement::from_string(conn.get_database_backend(), format!("SELECT COUNT(*) AS n FROM {table}"));
    for table in ["idempotency_keys", "decisions", "webhook_events"] {
        let row = conn.query_one_raw(count(table)).await.unwrap().unwrap();
        let n: i64 = row.try_get("", "n").unwrap();
        assert_eq!(n, 0, "{table} holds a row after an audit");
    }
    conn.close().await.unwrap();
}
