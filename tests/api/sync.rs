//! Incremental sync: `updated_since` on the list endpoints, combined with the cursor.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{consultant, json, problem, spawn_app};

#[actix_web::test]
async fn updated_since_keeps_changed_records_in_a_stable_paged_order() {
    let app = spawn_app().await;
    let mut made = Vec::new();
    for i in 1..=5 {
        made.push(app.create("/api/v1/consultants", &consultant(&format!("Konsult {i}"))).await);
    }
    let since = made[2]["updated_at"].as_str().unwrap().to_string();
    let id1 = made[0]["id"].as_str().unwrap();
    let res =
        app.send_json(Method::PATCH, &format!("/api/v1/consultants/{id1}"), &json!({"capacity_percent": 80})).await;
    assert_eq!(res.status(), StatusCode::OK);

    let q = |extra: &str| format!("/api/v1/consultants?limit=2&updated_since={}{extra}", since.replace('+', "%2B"));
    let (status, page1) = json(app.get(&q("")).await).await;
    assert_eq!(status, StatusCode::OK, "{page1}");
    let names = |p: &serde_json::Value| -> Vec<String> {
        p["items"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap().to_string()).collect()
    };
    assert_eq!(names(&page1), ["Konsult 1", "Konsult 3"], "creation order, changed ones only");
    let cursor = page1["next_cursor"].as_str().unwrap();
    let (_, page2) = json(app.get(&q(&format!("&cursor={cursor}"))).await).await;
    assert_eq!(names(&page2), ["Konsult 4", "Konsult 5"]);
    assert!(page2["next_cursor"].is_null(), "{page2}");

    let (_, all) = json(app.get("/api/v1/assignments?updated_since=2000-01-01T00:00:00+00:00").await).await;
    assert_eq!(all["items"], json!([]), "an unencoded + offset is accepted");
    let res = app.get("/api/v1/consultants?updated_since=yesterday").await;
    let body = problem(res, 400, "invalid_parameter").await;
    assert_eq!(body["errors"][0]["field"], "updated_since");
}

#[actix_web::test]
async fn a_full_resync_marks_only_the_records_that_changed() {
    let app = spawn_app().await;
    let people = |edited: &str| {
        let items: Vec<serde_json::Value> = (1..=3)
            .map(|i| {
                let mut c = consultant(if i == 2 { edited } else { ["", "Konsult 1", "", "Konsult 3"][i] });
                c["source"] = json!("teamtailor");
                c["external_id"] = json!(format!("c-{i}"));
                c
            })
            .collect();
        json!({ "items": items })
    };
    let (status, first) = json(app.post("/api/v1/consultants/batch", &people("Konsult 2")).await).await;
    assert_eq!((status, &first["created"]), (StatusCode::OK, &json!(3)), "{first}");
    let path = "/api/v1/consultants/external/teamtailor/c-3";
    let (_, before) = json(app.get(path).await).await;
    // Anything stored from here on is newer than the first sync.
    let marker = app.create("/api/v1/consultants", &consultant("Markör")).await;
    let since = marker["updated_at"].as_str().unwrap().replace('+', "%2B");

    // The ATS's next full sync sends all three again, one of them edited meanwhile.
    let (_, second) = json(app.post("/api/v1/consultants/batch", &people("Konsult 2 Ek")).await).await;
    let outcome: Vec<(&str, i64)> = second["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["status"].as_str().unwrap(), r["version"].as_i64().unwrap()))
        .collect();
    assert_eq!(outcome, [("unchanged", 1), ("updated", 2), ("unchanged", 1)]);
    let (status, same) = json(app.send_json(Method::PUT, path, &consultant("Konsult 3")).await).await;
    assert_eq!((status, &same["version"], &same["updated_at"]), (StatusCode::OK, &json!(1), &before["updated_at"]));

    let (_, changed) = json(app.get(&format!("/api/v1/consultants?updated_since={since}")).await).await;
    let names: Vec<&str> = changed["items"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Konsult 2 Ek", "Markör"], "a downstream reader sees what changed, not the whole re-push");
}
