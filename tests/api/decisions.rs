//! Recruiters' decisions: the override rule (a reason to reject one of the engine's top 10 or
//! to shortlist someone it does not list), the latest decision on every ranking item,
//! `exclude_decided`, the lists on both sides and the `decision.created` event.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, fields, json, problem, spawn_app};

/// An assignment with one must-have: Kubernetes for at least a year.
async fn assignment(app: &TestApp) -> String {
    let body = json!({"title": "Platform engineer", "must_have": [{"skill": "Kubernetes", "min_years": 1}]});
    app.create("/api/v1/assignments", &body).await["id"].as_str().unwrap().to_string()
}

/// A consultant with `years` of Kubernetes (none: without it, so not eligible).
async fn consultant(app: &TestApp, name: &str, years: Option<f64>) -> String {
    let skills = match years {
        Some(y) => json!([{"name": "Kubernetes", "years": y}]),
        None => json!([{"name": "Excel", "years": 3}]),
    };
    let body = json!({"name": name, "skills": skills});
    app.create("/api/v1/consultants", &body).await["id"].as_str().unwrap().to_string()
}

async fn decide(app: &TestApp, assignment: &str, body: Value) -> (StatusCode, Value) {
    json(app.post(&format!("/api/v1/assignments/{assignment}/decisions"), &body).await).await
}

/// Twelve eligible consultants, "Consultant n" with 1 + 0.4 (n − 1) years of Kubernetes (below
/// the depth where must-haves saturate, so n = 12 ranks first, n = 1 last), and one who is not
/// eligible; their ids by n (index 0: not eligible).
async fn bench(app: &TestApp) -> Vec<String> {
    let mut ids = vec![consultant(app, "Nobody Eligible", None).await];
    for n in 1..=12 {
        ids.push(consultant(app, &format!("Consultant {n}"), Some(1.0 + 0.4 * f64::from(n - 1))).await);
    }
    ids
}

#[actix_web::test]
async fn rejecting_one_of_the_top_ten_or_shortlisting_someone_unlisted_needs_a_reason() {
    let app = spawn_app().await;
    let a = assignment(&app).await;
    let ids = bench(&app).await;
    // Consultant 12 ranks first, 3 ranks 10th, 2 ranks 11th.
    let (status, body) = decide(&app, &a, json!({"consultant_id": ids[12], "decision": "rejected"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["code"], "validation_failed");
    assert_eq!(fields(&body), ["reason"]);
    assert!(body["errors"][0]["message"].as_str().unwrap().contains("rank 1"), "{body}");
    let (status, body) =
        decide(&app, &a, json!({"consultant_id": ids[3], "decision": "rejected", "reason": " "})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a blank reason is no reason: {body}");

    let reason = "Prefers remote work; told us on 2026-12-04.";
    let (status, made) = decide(
        &app,
        &a,
        json!({"consultant_id": ids[3], "decision": "rejected", "reason": reason, "audit_id": "r-77"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    assert_eq!(made["decision"], "rejected");
    assert_eq!(made["reason"], reason);
    assert_eq!(made["audit_id"], "r-77");
    assert_eq!((made["engine_eligible"].clone(), made["engine_rank"].clone()), (json!(true), json!(10)));
    assert_eq!(made["overrides_engine"], true);
    assert_eq!(made["assignment_id"], a.as_str());
    assert_eq!(made["created_by"], "env-admin");

    // Ranked 11th: not an override, no reason needed.
    let (status, made) = decide(&app, &a, json!({"consultant_id": ids[2], "decision": "rejected"})).await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    assert_eq!((made["engine_rank"].clone(), made["overrides_engine"].clone()), (json!(11), json!(false)));
    assert!(made["reason"].is_null());

    // Not listed: shortlisting needs a reason, rejecting does not.
    let (status, body) = decide(&app, &a, json!({"consultant_id": ids[0], "decision": "shortlisted"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body["errors"][0]["message"].as_str().unwrap().contains("does not list"), "{body}");
    let (status, made) = decide(
        &app,
        &a,
        json!({"consultant_id": ids[0], "decision": "shortlisted", "reason": "Runs our k3s cluster."}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    assert_eq!((made["engine_eligible"].clone(), made["engine_rank"].clone()), (json!(false), Value::Null));
    assert_eq!(made["overrides_engine"], true);
    let (status, made) = decide(&app, &a, json!({"consultant_id": ids[0], "decision": "rejected"})).await;
    assert_eq!((status, made["overrides_engine"].clone()), (StatusCode::CREATED, json!(false)));
    // Listed: shortlisting, placing and withdrawing need none.
    for d in ["shortlisted", "placed", "withdrawn"] {
        let (status, made) = decide(&app, &a, json!({"consultant_id": ids[12], "decision": d})).await;
        assert_eq!((status, made["overrides_engine"].clone()), (StatusCode::CREATED, json!(false)), "{d}: {made}");
    }
}

#[actix_web::test]
async fn a_bad_decision_names_every_field_and_unknown_ids_answer_404() {
    let app = spawn_app().await;
    let a = assignment(&app).await;
    let c = consultant(&app, "Anna", Some(3.0)).await;
    let body = json!({"consultant_id": "nope", "decision": "hired", "reason": 7, "colour": "red"});
    let res = app.post(&format!("/api/v1/assignments/{a}/decisions"), &body).await;
    let body = problem(res, 422, "validation_failed").await;
    assert_eq!(fields(&body), ["consultant_id", "decision", "reason", "colour"]);
    let unknown = "0192f3c4-5d6e-7f80-9a1b-2c3d4e5f6a7b";
    let res = app
        .post(&format!("/api/v1/assignments/{a}/decisions"), &json!({"consultant_id": unknown, "decision": "placed"}))
        .await;
    let body = problem(res, 404, "not_found").await;
    assert_eq!(fields(&body), ["consultant_id"]);
    let res = app
        .post(&format!("/api/v1/assignments/{unknown}/decisions"), &json!({"consultant_id": c, "decision": "placed"}))
        .await;
    problem(res, 404, "not_found").await;
    for path in [format!("/api/v1/assignments/{unknown}/decisions"), format!("/api/v1/consultants/{unknown}/decisions")]
    {
        problem(app.get(&path).await, 404, "not_found").await;
    }
}

/// The `decision` of each item of a ranking, by consultant name.
fn decisions_by_name(page: &Value) -> Vec<(String, Value)> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["name"].as_str().unwrap().to_string(), i["decision"]["decision"].clone()))
        .collect()
}

#[actix_web::test]
async fn ranking_items_carry_the_latest_decision_and_exclude_decided_leaves_out_the_rejected_and_placed() {
    let app = spawn_app().await;
    let a = assignment(&app).await;
    let ids = bench(&app).await;
    let reason = json!("Not available before spring.");
    // Consultant 12: shortlisted, then rejected (the latest counts); 11: placed; 10: withdrawn;
    // 9: shortlisted.
    for (who, d) in [(12, "shortlisted"), (12, "rejected"), (11, "placed"), (10, "withdrawn"), (9, "shortlisted")] {
        let (status, body) =
            decide(&app, &a, json!({"consultant_id": ids[who], "decision": d, "reason": reason})).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    let (status, all) = json(app.get(&format!("/api/v1/assignments/{a}/matches?limit=5")).await).await;
    assert_eq!(status, StatusCode::OK, "{all}");
    assert_eq!(all["total_eligible"], 12);
    let want = [
        ("Consultant 12", json!("rejected")),
        ("Consultant 11", json!("placed")),
        ("Consultant 10", json!("withdrawn")),
        ("Consultant 9", json!("shortlisted")),
        ("Consultant 8", Value::Null),
    ];
    let want: Vec<(String, Value)> = want.into_iter().map(|(n, d)| (n.to_string(), d)).collect();
    assert_eq!(decisions_by_name(&all), want);
    assert_eq!(all["items"][0]["decision"]["reason"], reason);
    assert!(all["items"][4]["decision"].is_null());

    let (status, open) =
        json(app.get(&format!("/api/v1/assignments/{a}/matches?limit=3&exclude_decided=true")).await).await;
    assert_eq!(status, StatusCode::OK, "{open}");
    assert_eq!(open["total_eligible"], 10);
    assert_eq!(open["total"], 10);
    let names: Vec<String> = decisions_by_name(&open).into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, ["Consultant 10", "Consultant 9", "Consultant 8"]);
    let (_, second) =
        json(app.get(&format!("/api/v1/assignments/{a}/matches?limit=3&offset=3&exclude_decided=true")).await).await;
    let names: Vec<String> = decisions_by_name(&second).into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, ["Consultant 7", "Consultant 6", "Consultant 5"]);

    // From the consultant's side, and the pair scores.
    let (_, theirs) = json(app.get(&format!("/api/v1/consultants/{}/matches", ids[12])).await).await;
    assert_eq!(theirs["items"][0]["decision"]["decision"], "rejected", "{theirs}");
    let (_, theirs) =
        json(app.get(&format!("/api/v1/consultants/{}/matches?exclude_decided=true", ids[12])).await).await;
    assert_eq!(theirs["items"], json!([]), "{theirs}");
    let (_, pair) = json(app.get(&format!("/api/v1/assignments/{a}/matches/{}", ids[11])).await).await;
    assert_eq!(pair["decision"]["decision"], "placed", "{pair}");
    let (_, pair) = json(app.get(&format!("/api/v1/consultants/{}/matches/{a}", ids[8])).await).await;
    assert!(pair["decision"].is_null(), "{pair}");
}

#[actix_web::test]
async fn decisions_are_listed_from_both_sides_page_by_page_and_raise_decision_created() {
    let app = spawn_app().await;
    let hook =
        app.create("/api/v1/webhooks", &json!({"url": "http://127.0.0.1:9/hook", "events": ["decision.*"]})).await;
    let (a, b) = (assignment(&app).await, assignment(&app).await);
    let anna = consultant(&app, "Anna", Some(4.0)).await;
    let erik = consultant(&app, "Erik", Some(2.0)).await;
    let reason = "Client interview went badly.";
    for (asg, who, d) in
        [(&a, &anna, "shortlisted"), (&a, &erik, "shortlisted"), (&b, &anna, "placed"), (&a, &anna, "rejected")]
    {
        let (status, body) = decide(&app, asg, json!({"consultant_id": who, "decision": d, "reason": reason})).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    let (status, first) = json(app.get(&format!("/api/v1/assignments/{a}/decisions?limit=2")).await).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    let cursor = first["next_cursor"].as_str().unwrap();
    let (_, rest) = json(app.get(&format!("/api/v1/assignments/{a}/decisions?limit=2&cursor={cursor}")).await).await;
    assert!(rest["next_cursor"].is_null());
    let listed: Vec<(Value, Value)> = first["items"]
        .as_array()
        .unwrap()
        .iter()
        .chain(rest["items"].as_array().unwrap())
        .map(|d| (d["consultant_id"].clone(), d["decision"].clone()))
        .collect();
    assert_eq!(
        listed,
        [(json!(anna), json!("shortlisted")), (json!(erik), json!("shortlisted")), (json!(anna), json!("rejected"))]
    );
    let (_, hers) = json(app.get(&format!("/api/v1/consultants/{anna}/decisions")).await).await;
    let hers: Vec<(Value, Value)> =
        hers["items"].as_array().unwrap().iter().map(|d| (d["assignment_id"].clone(), d["decision"].clone())).collect();
    assert_eq!(hers, [(json!(a), json!("shortlisted")), (json!(b), json!("placed")), (json!(a), json!("rejected"))]);

    let (_, log) = json(app.get(&format!("/api/v1/webhooks/{}/deliveries", hook["id"].as_str().unwrap())).await).await;
    let types: Vec<&str> = log["items"].as_array().unwrap().iter().map(|d| d["event_type"].as_str().unwrap()).collect();
    assert_eq!(types, ["decision.created"; 4]);
}
