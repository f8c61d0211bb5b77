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

/// `GET /assignments/{id}` is served from the replica's memory: the document and ETag are
/// the ones the write answered, the same after an edit and a restart (then loaded from the
/// database), without the sensitive fields for a key that lacks the scope, and a 304 for
/// the current version.
#[actix_web::test]
async fn an_assignment_is_read_from_memory_exactly_as_stored() {
    let app = spawn_app().await;
    let created = app.create("/api/v1/assignments", &staffmatch::api::dto::assignment_example()).await;
    let path = format!("/api/v1/assignments/{}", created["id"].as_str().unwrap());
    let mut edit = staffmatch::api::dto::assignment_example();
    edit["title"] = json!("IT Project Manager Infrastructure, Karlskrona");
    let res = app.request(Method::PUT, &path).header("if-match", "\"1\"").json(&edit).send().await.unwrap();
    let (status, edited) = json(res).await;
    assert_eq!(status, StatusCode::OK, "{edited}");
    let reader = app.key_with(&["read"]).await;
    let read = async |app: &crate::helpers::TestApp, key: Option<&str>| {
        let res = app.request_as(key, Method::GET, &path).send().await.unwrap();
        let etag = res.headers()["etag"].to_str().unwrap().to_string();
        let (status, body) = json(res).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        (etag, body)
    };
    let admin = app.key.clone();
    assert_eq!(read(&app, admin.as_deref()).await, ("\"2\"".to_string(), edited.clone()));
    let mut redacted = edited.clone();
    redacted.as_object_mut().unwrap().remove("clearance");
    assert_eq!(read(&app, Some(&reader)).await, ("\"2\"".to_string(), redacted.clone()));
    let res = app.request(Method::GET, &path).header("if-none-match", "\"2\"").send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_MODIFIED);
    let app = crate::helpers::spawn_app_on(app.stop().await).await;
    assert_eq!(read(&app, admin.as_deref()).await, ("\"2\"".to_string(), edited));
    assert_eq!(read(&app, Some(&reader)).await, ("\"2\"".to_string(), redacted));
    // Deleted: gone from memory and from the database.
    assert_eq!(app.delete(&path).await.status(), StatusCode::NO_CONTENT);
    problem(app.get(&path).await, 404, "not_found").await;
}
