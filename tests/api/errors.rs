//! Bad input: every rule named at once, malformed JSON, content types, body limits.

use reqwest::Method;
use serde_json::json;

use crate::helpers::{fields, problem, spawn_app};

#[actix_web::test]
async fn every_offending_consultant_field_is_named_in_one_answer() {
    let app = spawn_app().await;
    let body = json!({
        "source": "Team Tailor", "external_id": "c/1",
        "name": "   ",
        "email": "not-an-email",
        "location": {"city": "Malmö", "country": "se"},
        "work_modes": ["onsite", "office", "onsite"],
        "available_from": "2025-13-01",
        "capacity_percent": 120,
        "experience_years": -1,
        "skills": [{"name": "Java", "years": 61, "level": 0}, {"name": "java"}, {"years": 2}, "Scrum"],
        "languages": [{"code": "swe", "level": "C1"}, {"code": "en", "level": "fluent"}, {"code": "en", "level": "C1"}],
        "clearance": {"level": "secret", "citizenships": ["Sweden"], "willing_to_undergo": "yes"},
        "favourite_colour": "blue"
    });
    let res = app.post("/api/v1/consultants", &body).await;
    let body = problem(res, 422, "validation_failed").await;
    assert_eq!(
        fields(&body),
        [
            "source",
            "external_id",
            "name",
            "email",
            "location.country",
            "work_modes[1]",
            "work_modes[2]",
            "available_from",
            "capacity_percent",
            "experience_years",
            "skills[0].years",
            "skills[0].level",
            "skills[2].name",
            "skills[3]",
            "skills[1].name",
            "languages[0].code",
            "languages[1].level",
            "clearance.level",
            "clearance.citizenships[0]",
            "clearance.willing_to_undergo",
            "favourite_colour",
        ]
    );
    assert_eq!(body["detail"], "21 fields are invalid");
    assert_eq!(body["type"], "https://staffmatch.dev/problems/validation-failed");
    assert_eq!(body["title"], "The request body breaks validation rules");
    assert_eq!(body["errors"][10], json!({"field": "skills[0].years", "message": "must be between 0 and 60, got 61"}));
    assert_eq!(body["errors"][14], json!({"field": "skills[1].name", "message": "duplicates item 0"}));
    assert!(body["request_id"].is_string());
}

#[actix_web::test]
async fn every_offending_assignment_field_is_named_in_one_answer() {
    let app = spawn_app().await;
    let body = json!({
        "title": "",
        "work_mode": "office",
        "start_date": "2026-03-01", "end_date": "2026-01-31",
        "extent_percent": 101,
        "min_experience_years": 70,
        "must_have": [{"skill": "Scrum", "min_years": 2, "min_level": 6}, {"skill": "scrum"}],
        "can_have": [{"skill": "SCRUM", "weight": 0}, {"skill": "ITIL", "weight": 2}],
        "languages": [{"code": "sv", "min_level": "fluent"}],
        "clearance": {"required_level": "topsecret", "citizenship": ["se"]},
        "weights": {"must_have": -1, "colour": 1},
        "status": "published"
    });
    let res = app.post("/api/v1/assignments", &body).await;
    let body = problem(res, 422, "validation_failed").await;
    assert_eq!(
        fields(&body),
        [
            "title",
            "work_mode",
            "extent_percent",
            "min_experience_years",
            "must_have[0].min_level",
            "must_have[1].skill",
            "can_have[0].weight",
            "languages[0].min_level",
            "clearance.required_level",
            "clearance.citizenship[0]",
            "weights.must_have",
            "weights.colour",
            "status",
            "end_date",
            "can_have[0].skill",
        ]
    );
    let weights = json!({"title": "x", "weights": {"must_have": 0, "can_have": 0, "languages": 0, "experience": 0, "availability": 0, "location": 0}});
    let body = problem(app.post("/api/v1/assignments", &weights).await, 422, "validation_failed").await;
    assert_eq!(body["errors"], json!([{"field": "weights", "message": "at least one weight must be greater than 0"}]));
    let both = json!({"title": "x", "must_have": [{"skill": "ITIL"}], "can_have": [{"skill": "itil"}]});
    let body = problem(app.post("/api/v1/assignments", &both).await, 422, "validation_failed").await;
    assert_eq!(body["errors"], json!([{"field": "can_have[0].skill", "message": "\"itil\" is already a must-have"}]));
}

#[actix_web::test]
async fn malformed_json_gets_400_with_the_position() {
    let app = spawn_app().await;
    let res = app
        .request(Method::POST, "/api/v1/consultants")
        .header("content-type", "application/json")
        .body("{\"name\": \"Anna\",\n \"skills\": [}")
        .send()
        .await
        .unwrap();
    let body = problem(res, 400, "malformed_json").await;
    assert!(body["detail"].as_str().unwrap().starts_with("invalid JSON at line 2, column"), "{body}");
    let res = app.post("/api/v1/consultants", &json!(["not", "an", "object"])).await;
    let body = problem(res, 422, "validation_failed").await;
    assert_eq!(body["errors"], json!([{"field": "", "message": "must be an object, got an array"}]));
}

#[actix_web::test]
async fn a_body_that_is_not_json_gets_415() {
    let app = spawn_app().await;
    let res = app
        .request(Method::POST, "/api/v1/consultants")
        .header("content-type", "text/plain")
        .body("name=Anna")
        .send()
        .await
        .unwrap();
    let body = problem(res, 415, "unsupported_media_type").await;
    assert_eq!(fields(&body), ["Content-Type"]);
    let res = app.request(Method::POST, "/api/v1/consultants").body("{}").send().await.unwrap();
    problem(res, 415, "unsupported_media_type").await;
}

#[actix_web::test]
async fn a_body_over_the_limit_gets_413() {
    let app = spawn_app().await;
    let big = format!("{{\"name\": \"{}\"}}", "a".repeat(staffmatch::api::extract::MAX_JSON_BYTES));
    let res = app
        .request(Method::POST, "/api/v1/consultants")
        .header("content-type", "application/json")
        .body(big)
        .send()
        .await
        .unwrap();
    problem(res, 413, "payload_too_large").await;
}

#[actix_web::test]
async fn unknown_routes_and_methods_get_problems_too() {
    let app = spawn_app().await;
    let body = problem(app.get("/api/v1/nothing-here").await, 404, "route_not_found").await;
    assert_eq!(body["detail"], "no route for GET /api/v1/nothing-here");
}
