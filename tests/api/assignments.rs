//! Assignments: the seed posting stored and read back, life cycle on the shared code.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{json, problem, spawn_app};

#[actix_web::test]
async fn the_seed_posting_is_stored_and_read_back_exactly() {
    let app = spawn_app().await;
    let example = staffmatch::api::dto::assignment_example();
    let created = app.create("/api/v1/assignments", &example).await;
    let (status, read) = json(app.get(&format!("/api/v1/assignments/{}", created["id"].as_str().unwrap())).await).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(read, created);
    for field in
        ["title", "client", "location", "work_mode", "start_date", "end_date", "expires_at", "extent_percent", "status"]
    {
        assert_eq!(read[field], example[field], "{field}");
    }
    assert_eq!(read["must_have"][0]["skill"], "IT infrastructure project management");
    assert_eq!(read["must_have"][0]["min_years"], 5.0);
    assert_eq!(read["can_have"][0]["weight"], 2.0);
    assert_eq!(read["can_have"][1]["weight"], 1.0, "weight defaults to 1");
    assert_eq!(read["languages"], example["languages"]);
    assert_eq!(read["clearance"], example["clearance"]);
    assert_eq!(read["weights"]["must_have"], 0.35);
}

#[actix_web::test]
async fn defaults_apply_when_only_a_title_is_given() {
    let app = spawn_app().await;
    let created = app.create("/api/v1/assignments", &json!({"title": "Systemförvaltare, Karlskrona kommun"})).await;
    assert_eq!(created["title"], "Systemförvaltare, Karlskrona kommun");
    assert_eq!(created["status"], "open");
    assert_eq!(created["must_have"], json!([]));
    assert_eq!(created["clearance"], json!({"required_level": "none", "citizenship": [], "accept_willing": false}));
    assert_eq!(created["weights"], serde_json::Value::Null);
}

#[actix_web::test]
async fn assignments_upsert_patch_and_delete_by_ats_id() {
    let app = spawn_app().await;
    let path = "/api/v1/assignments/external/teamtailor/job-77";
    let (status, first) =
        json(app.send_json(Method::PUT, path, &staffmatch::api::dto::assignment_example()).await).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    // The ATS pushes the same posting again (weights, must-haves, languages and all): no change.
    let (status, again) =
        json(app.send_json(Method::PUT, path, &staffmatch::api::dto::assignment_example()).await).await;
    assert_eq!(status, StatusCode::OK, "{again}");
    assert_eq!((&again["version"], &again["updated_at"]), (&json!(1), &first["updated_at"]));
    let id_path = format!("/api/v1/assignments/{}", first["id"].as_str().unwrap());
    let (status, patched) = json(app.send_json(Method::PATCH, &id_path, &json!({"status": "filled"})).await).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!((&patched["status"], &patched["version"]), (&json!("filled"), &json!(2)));
    assert_eq!(patched["must_have"], first["must_have"]);
    assert_eq!(app.delete(path).await.status(), StatusCode::NO_CONTENT);
    problem(app.get(&id_path).await, 404, "not_found").await;
}
