//! Consultant CRUD, upsert by ATS id, batch, pagination and versions.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{consultant, fields, json, problem, spawn_app, spawn_app_on};

#[actix_web::test]
async fn creating_a_consultant_returns_201_with_location_etag_and_the_stored_profile() {
    let app = spawn_app().await;
    let example = staffmatch::api::dto::consultant_example();
    let res = app.post("/api/v1/consultants", &example).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    assert_eq!(res.headers()["etag"], "\"1\"");
    let location = res.headers()["location"].to_str().unwrap().to_string();
    let (_, body) = json(res).await;
    assert_eq!(location, format!("/api/v1/consultants/{}", body["id"].as_str().unwrap()));
    assert_eq!(body["version"], 1);
    assert_eq!(body["name"], "Anna Lindqvist");
    assert_eq!(body["skills"][1]["name"], "Agil projektledning");
    assert_eq!(body["languages"], example["languages"]);
    assert_eq!(body["clearance"], example["clearance"]);

    let (status, read) = json(app.get(&location).await).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(read, body);
}

#[actix_web::test]
async fn swedish_text_round_trips_exactly() {
    let app = spawn_app().await;
    let body = json!({
        "name": "Åsa Åberg-Öström",
        "location": {"city": "Malmö", "country": "SE"},
        "skills": [{"name": "IT-säkerhet"}, {"name": "Systemförvaltning"}, {"name": "Kravställning & upphandling (LOU)"}]
    });
    let created = app.create("/api/v1/consultants", &body).await;
    let (_, read) = json(app.get(&format!("/api/v1/consultants/{}", created["id"].as_str().unwrap())).await).await;
    assert_eq!(read["name"], "Åsa Åberg-Öström");
    assert_eq!(read["location"]["city"], "Malmö");
    let names: Vec<&str> = read["skills"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["IT-säkerhet", "Systemförvaltning", "Kravställning & upphandling (LOU)"]);
}

#[actix_web::test]
async fn unknown_and_malformed_ids_get_404_and_400() {
    let app = spawn_app().await;
    let missing = uuid::Uuid::now_v7();
    let body = problem(app.get(&format!("/api/v1/consultants/{missing}")).await, 404, "not_found").await;
    assert_eq!(body["detail"], format!("no consultant with id {missing}"));
    let body = problem(app.get("/api/v1/consultants/not-a-uuid").await, 400, "invalid_parameter").await;
    assert_eq!(fields(&body), ["id"]);
}

#[actix_web::test]
async fn put_replaces_the_profile_and_a_stale_if_match_gets_412() {
    let app = spawn_app().await;
    let created = app.create("/api/v1/consultants", &consultant("Erik Nilsson")).await;
    let path = format!("/api/v1/consultants/{}", created["id"].as_str().unwrap());

    let res = app
        .request(Method::PUT, &path)
        .header("If-Match", "\"1\"")
        .json(&json!({"name": "Erik Nilsson", "capacity_percent": 50}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["etag"], "\"2\"");
    let (status, replaced) = json(res).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(replaced["version"], 2);
    assert_eq!(replaced["capacity_percent"], 50);
    assert_eq!(replaced["skills"], json!([]), "PUT replaces every field");
    assert_eq!(replaced["created_at"], created["created_at"]);

    let res =
        app.request(Method::PUT, &path).header("If-Match", "\"1\"").json(&consultant("Erik")).send().await.unwrap();
    assert_eq!(res.headers()["etag"], "\"2\"", "412 tells the current version");
    let body = problem(res, 412, "precondition_failed").await;
    assert_eq!(fields(&body), ["If-Match"]);
    let (_, still) = json(app.get(&path).await).await;
    assert_eq!(still["name"], "Erik Nilsson");

    // A value naming no version this API sent matches no version (RFC 9110): 412, not 400.
    let res =
        app.request(Method::PUT, &path).header("If-Match", "three").json(&consultant("Erik")).send().await.unwrap();
    problem(res, 412, "precondition_failed").await;
}

/// Regression for issue 24: `If-Match: null` on DELETE answered 400, though the schema allowed
/// any string. A tag naming no version is evaluated (RFC 9110 §13.1.1): the record exists, so
/// the condition fails (412) and nothing is deleted; a missing record is still 404.
#[actix_web::test]
async fn if_match_null_on_delete_is_a_failed_precondition_not_a_400() {
    let app = spawn_app().await;
    let created = app.create("/api/v1/consultants", &consultant("Erik Nilsson")).await;
    let path = format!("/api/v1/consultants/{}", created["id"].as_str().unwrap());
    for value in ["null", "0", "\"\"", "W/\"abc\""] {
        let res = app.request(Method::DELETE, &path).header("If-Match", value).send().await.unwrap();
        assert_eq!(res.headers()["etag"], "\"1\"", "{value}: 412 tells the current version");
        problem(res, 412, "precondition_failed").await;
    }
    assert_eq!(app.get(&path).await.status(), StatusCode::OK, "nothing was deleted");
    let missing = format!("/api/v1/consultants/{}", uuid::Uuid::now_v7());
    let res = app.request(Method::DELETE, &missing).header("If-Match", "null").send().await.unwrap();
    problem(res, 404, "not_found").await;
    let res = app.request(Method::DELETE, &path).header("If-Match", "\"1\"").send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
}

#[actix_web::test]
async fn a_read_profile_can_be_written_back_unchanged() {
    let app = spawn_app().await;
    let created = app.create("/api/v1/consultants", &staffmatch::api::dto::consultant_example()).await;
    let path = format!("/api/v1/consultants/{}", created["id"].as_str().unwrap());
    let (status, replaced) = json(app.send_json(Method::PUT, &path, &created).await).await;
    assert_eq!(status, StatusCode::OK, "{replaced}");
    assert_eq!(replaced["skills"], created["skills"]);
    assert_eq!(
        (&replaced["version"], &replaced["updated_at"]),
        (&json!(1), &created["updated_at"]),
        "what was read back is stored exactly as it was: nothing changed"
    );
}

#[actix_web::test]
async fn patch_merges_fields_and_null_removes_them() {
    let app = spawn_app().await;
    let mut body = consultant("Karin Berg");
    body["email"] = json!("karin@example.se");
    let created = app.create("/api/v1/consultants", &body).await;
    let path = format!("/api/v1/consultants/{}", created["id"].as_str().unwrap());
    let res = app
        .request(Method::PATCH, &path)
        .header("content-type", "application/merge-patch+json")
        .body(r#"{"email": null, "capacity_percent": 80, "location": {"city": "Karlskrona"}}"#)
        .send()
        .await
        .unwrap();
    let (status, patched) = json(res).await;
    assert_eq!(status, StatusCode::OK, "{patched}");
    assert_eq!(patched["email"], Value::Null);
    assert_eq!(patched["capacity_percent"], 80);
    assert_eq!(patched["location"], json!({"city": "Karlskrona", "country": "SE"}));
    assert_eq!(patched["skills"], created["skills"]);
    assert_eq!(patched["version"], 2);

    let res = app.send_json(Method::PATCH, &path, &json!({"capacity_percent": 101, "name": null})).await;
    let body = problem(res, 422, "validation_failed").await;
    assert_eq!(fields(&body), ["name", "capacity_percent"]);
}

#[actix_web::test]
async fn delete_removes_the_consultant() {
    let app = spawn_app().await;
    let created = app.create("/api/v1/consultants", &consultant("Lars Holm")).await;
    let path = format!("/api/v1/consultants/{}", created["id"].as_str().unwrap());
    let res = app.request(Method::DELETE, &path).header("If-Match", "\"9\"").send().await.unwrap();
    problem(res, 412, "precondition_failed").await;
    assert_eq!(app.delete(&path).await.status(), StatusCode::NO_CONTENT);
    problem(app.get(&path).await, 404, "not_found").await;
    problem(app.delete(&path).await, 404, "not_found").await;
}

#[actix_web::test]
async fn upsert_by_external_id_creates_then_updates_the_same_record() {
    let app = spawn_app().await;
    let path = "/api/v1/consultants/external/teamtailor/c-1029";
    let (status, first) = json(app.send_json(Method::PUT, path, &consultant("Anna Lindqvist")).await).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(first["source"], "teamtailor");
    assert_eq!(first["external_id"], "c-1029");
    let (status, second) = json(app.send_json(Method::PUT, path, &consultant("Anna Lindqvist")).await).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(second["id"], first["id"]);
    assert_eq!(
        (&second["version"], &second["updated_at"]),
        (&json!(1), &first["updated_at"]),
        "the same body changes nothing"
    );
    let (status, third) = json(app.send_json(Method::PUT, path, &consultant("Anna Lindqvist-Berg")).await).await;
    assert_eq!((status, &third["id"], &third["version"]), (StatusCode::OK, &first["id"], &json!(2)));

    let (_, list) = json(app.get("/api/v1/consultants").await).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    let (_, read) = json(app.get(path).await).await;
    assert_eq!(read["id"], first["id"]);

    let mut other = consultant("Anna");
    other["external_id"] = json!("c-9");
    let body = problem(app.send_json(Method::PUT, path, &other).await, 422, "validation_failed").await;
    assert_eq!(fields(&body), ["external_id"]);

    assert_eq!(app.delete(path).await.status(), StatusCode::NO_CONTENT);
    problem(app.get(path).await, 404, "not_found").await;
}

#[actix_web::test]
async fn an_upsert_by_ats_id_can_be_create_only_or_replace_only() {
    let app = spawn_app().await;
    let path = "/api/v1/consultants/external/teamtailor/c-42";
    let put = |name: &str, header: Option<(&'static str, &'static str)>| {
        let mut req = app.request(Method::PUT, path).json(&consultant(name));
        if let Some((k, v)) = header {
            req = req.header(k, v);
        }
        req.send()
    };
    // Replace only: nothing to replace yet, and nothing is created.
    for tag in ["*", "\"1\""] {
        problem(put("Anna", Some(("If-Match", tag))).await.unwrap(), 404, "not_found").await;
    }
    // Create only: the first creates, the second is refused with the current ETag.
    let res = put("Anna", Some(("If-None-Match", "*"))).await.unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let res = put("Anna Ändrad", Some(("If-None-Match", "*"))).await.unwrap();
    assert_eq!(res.headers()["etag"], "\"1\"");
    let body = problem(res, 412, "precondition_failed").await;
    assert_eq!(fields(&body), ["If-None-Match"]);
    let (_, read) = json(app.get(path).await).await;
    assert_eq!((&read["name"], &read["version"]), (&json!("Anna"), &json!(1)), "the refused write changed nothing");
    // Replace only, now that it exists.
    let (status, replaced) = json(put("Anna Lindqvist", Some(("If-Match", "*"))).await.unwrap()).await;
    assert_eq!((status, &replaced["version"]), (StatusCode::OK, &json!(2)));

    let body = problem(put("Anna", Some(("If-None-Match", "\"2\""))).await.unwrap(), 400, "invalid_header").await;
    assert_eq!(fields(&body), ["If-None-Match"]);
    let both = app
        .request(Method::PUT, path)
        .header("If-Match", "\"2\"")
        .header("If-None-Match", "*")
        .json(&consultant("Anna"))
        .send()
        .await
        .unwrap();
    // Replace only and create only never hold together (RFC 9110 evaluates both): 412.
    let body = problem(both, 412, "precondition_failed").await;
    assert_eq!(fields(&body), ["If-None-Match"]);
}

#[actix_web::test]
async fn a_second_record_with_the_same_ats_id_gets_409() {
    let app = spawn_app().await;
    let mut body = consultant("Anna");
    body["source"] = json!("teamtailor");
    body["external_id"] = json!("c-1");
    let first = app.create("/api/v1/consultants", &body).await;
    let res = app.post("/api/v1/consultants", &body).await;
    let problem = problem(res, 409, "conflict").await;
    assert!(problem["detail"].as_str().unwrap().contains(first["id"].as_str().unwrap()), "{problem}");
}

#[actix_web::test]
async fn a_batch_with_a_bad_item_commits_the_good_ones() {
    let app = spawn_app().await;
    let items = json!({"items": [
        {"source": "teamtailor", "external_id": "c-1", "name": "Anna Lindqvist"},
        {"name": "", "skills": [{"name": "Java", "years": 99}]},
        {"name": "Erik Nilsson"},
        {"source": "teamtailor", "external_id": "c-1", "name": "Anna again"}
    ]});
    let (status, body) = json(app.post("/api/v1/consultants/batch", &items).await).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        (body["created"].as_u64(), body["updated"].as_u64(), body["failed"].as_u64()),
        (Some(2), Some(0), Some(2))
    );
    let results = body["items"].as_array().unwrap();
    assert_eq!(
        results.iter().map(|r| r["status"].as_str().unwrap()).collect::<Vec<_>>(),
        ["created", "error", "created", "error"]
    );
    assert_eq!(fields(&results[1]["problem"]), ["items[1].name", "items[1].skills[0].years"]);
    assert_eq!(fields(&results[3]["problem"]), ["items[3].external_id"]);
    let (_, list) = json(app.get("/api/v1/consultants").await).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 2);

    // The same ATS id again updates instead of duplicating.
    let again = json!({"items": [{"source": "teamtailor", "external_id": "c-1", "name": "Anna Lindqvist Berg"}]});
    let (_, body) = json(app.post("/api/v1/consultants/batch", &again).await).await;
    assert_eq!(body["updated"], 1);
    let body =
        problem(app.post("/api/v1/consultants/batch", &json!({"items": []})).await, 422, "validation_failed").await;
    assert_eq!(fields(&body), ["items"]);
}

#[actix_web::test]
async fn pagination_visits_every_row_exactly_once() {
    let app = spawn_app().await;
    let items: Vec<Value> = (0..23).map(|i| json!({"name": format!("Konsult {i}")})).collect();
    let (status, _) = json(app.post("/api/v1/consultants/batch", &json!({"items": items})).await).await;
    assert_eq!(status, StatusCode::OK);
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/consultants?limit=5&cursor={c}"),
            None => "/api/v1/consultants?limit=5".to_string(),
        };
        let (status, page) = json(app.get(&path).await).await;
        assert_eq!(status, StatusCode::OK);
        pages += 1;
        seen.extend(page["items"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap().to_string()));
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    assert_eq!(pages, 5);
    let expected: Vec<String> = (0..23).map(|i| format!("Konsult {i}")).collect();
    assert_eq!(seen, expected, "creation order, each once");
    let body = problem(app.get("/api/v1/consultants?cursor=bogus&limit=501").await, 400, "invalid_parameter").await;
    assert_eq!(fields(&body), ["limit", "cursor"]);
}

#[actix_web::test]
async fn a_restart_loses_nothing() {
    let app = spawn_app().await;
    let created = app.create("/api/v1/consultants", &consultant("Sofia Ek")).await;
    let db = app.stop().await;
    let app = spawn_app_on(db).await;
    let (status, read) = json(app.get(&format!("/api/v1/consultants/{}", created["id"].as_str().unwrap())).await).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(read, created);
}

#[actix_web::test]
async fn a_read_answers_304_while_the_clients_version_is_current() {
    let app = spawn_app().await;
    let path = "/api/v1/consultants/external/teamtailor/c-7";
    let (_, first) = json(app.send_json(Method::PUT, path, &consultant("Anna Lindqvist")).await).await;
    let by_id = format!("/api/v1/consultants/{}", first["id"].as_str().unwrap());
    let read = |p: String, tag: &'static str| {
        let req = app.request(Method::GET, &p).header("If-None-Match", tag);
        async move { req.send().await.unwrap() }
    };
    let external = path.to_string();
    for (p, tag) in [(&by_id, "\"1\""), (&by_id, "W/\"1\""), (&external, "\"9\", \"1\""), (&by_id, "*")] {
        let res = read(p.clone(), tag).await;
        assert_eq!(
            (res.status(), res.headers()["etag"].to_str().unwrap()),
            (StatusCode::NOT_MODIFIED, "\"1\""),
            "{p} {tag}"
        );
        assert!(res.bytes().await.unwrap().is_empty(), "a 304 has no body");
    }
    // Another version, or a tag this API never sends, reads the record.
    for tag in ["\"2\"", "\"abc\"", "1"] {
        let (status, body) = json(read(by_id.clone(), tag).await).await;
        assert_eq!((status, &body["version"]), (StatusCode::OK, &json!(1)), "{tag}");
    }
    // A change makes the client's copy stale; re-sending the same content does not.
    app.send_json(Method::PUT, path, &consultant("Anna Lindqvist")).await;
    assert_eq!(read(by_id.clone(), "\"1\"").await.status(), StatusCode::NOT_MODIFIED);
    app.send_json(Method::PUT, path, &consultant("Anna Berg")).await;
    let (status, body) = json(read(by_id.clone(), "\"1\"").await).await;
    assert_eq!((status, &body["name"], &body["version"]), (StatusCode::OK, &json!("Anna Berg"), &json!(2)));
    assert_eq!(read(path.to_string(), "\"2\"").await.status(), StatusCode::NOT_MODIFIED);
}
