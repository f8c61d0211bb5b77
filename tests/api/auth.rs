//! API keys, scopes and the sensitive-field rule; the scope matrix is generated from the
//! OpenAPI route table so that a new route cannot be left open.

use reqwest::{Method, StatusCode};
use serde_json::json;
use staffmatch::auth::{Scope, required_scope};

use crate::helpers::{consultant, fresh_db, json, problem, spawn_app, spawn_app_with};

/// Every documented `/api/v1` operation as (method, concrete path, documented path).
pub(crate) fn api_operations() -> Vec<(Method, String, String)> {
    let spec = serde_json::to_value(staffmatch::api::openapi()).unwrap();
    let mut ops = Vec::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        if !path.starts_with("/api/v1") {
            continue;
        }
        let concrete = path
            .split('/')
            .map(|seg| match seg {
                "{id}" => "0192f3c4-5d6e-7f80-9a1b-2c3d4e5f6a7b".to_string(),
                s if s.starts_with('{') => "x1".to_string(),
                s => s.to_string(),
            })
            .collect::<Vec<_>>()
            .join("/");
        for method in item.as_object().unwrap().keys() {
            let m = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            ops.push((m, concrete.clone(), path.clone()));
        }
    }
    assert!(ops.len() >= 20, "the route table looks too small: {ops:?}");
    ops
}

#[actix_web::test]
async fn every_api_route_answers_401_without_a_key_and_403_without_its_scope() {
    let app = spawn_app().await;
    let lacking = |needed: Scope| -> Vec<&'static str> {
        Scope::ALL.into_iter().filter(|s| *s != needed && *s != Scope::Admin).map(Scope::as_str).collect()
    };
    let keys = [
        (Scope::Read, app.key_with(&lacking(Scope::Read)).await),
        (Scope::Write, app.key_with(&lacking(Scope::Write)).await),
        (Scope::Admin, app.key_with(&lacking(Scope::Admin)).await),
        (Scope::Audit, app.key_with(&lacking(Scope::Audit)).await),
        (Scope::Privacy, app.key_with(&lacking(Scope::Privacy)).await),
    ];
    for (method, path, documented) in api_operations() {
        let needed = required_scope(method.as_str(), &path);
        let res = app.request_as(None, method.clone(), &path).json(&json!({})).send().await.unwrap();
        assert!(res.headers().contains_key("www-authenticate"), "{method} {documented}");
        let body = problem(res, 401, "unauthorized").await;
        assert_eq!(body["errors"][0]["field"], "Authorization", "{method} {documented}");

        let key = &keys.iter().find(|(s, _)| *s == needed).expect("a key lacking each scope").1;
        let res = app.request_as(Some(key), method.clone(), &path).json(&json!({})).send().await.unwrap();
        let body = problem(res, 403, "forbidden").await;
        assert!(body["detail"].as_str().unwrap().contains(needed.as_str()), "{method} {documented}: {body}");
    }
}

#[actix_web::test]
async fn open_routes_need_no_key() {
    let app = spawn_app().await;
    for path in ["/healthz", "/readyz", "/metrics", "/api-docs/openapi.json", "/swagger-ui/"] {
        let res = app.request_as(None, Method::GET, path).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{path}");
    }
}

#[actix_web::test]
async fn a_missing_key_gets_a_complete_401_problem() {
    let app = spawn_app().await;
    let res = app.request_as(None, Method::GET, "/api/v1/consultants").send().await.unwrap();
    assert_eq!(res.headers()["www-authenticate"], "Bearer realm=\"staffmatch\"");
    let (status, mut body) = json(res).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    body.as_object_mut().unwrap().remove("request_id");
    assert_eq!(
        body,
        json!({
            "type": "https://staffmatch.dev/problems/unauthorized",
            "title": "A valid API key is required",
            "status": 401,
            "detail": "this endpoint needs an API key: send `Authorization: Bearer <key>`",
            "code": "unauthorized",
            "errors": [{"field": "Authorization", "message": "this endpoint needs an API key: send `Authorization: Bearer <key>`"}]
        })
    );
}

#[actix_web::test]
async fn a_key_without_the_scope_gets_a_complete_403_problem() {
    let app = spawn_app().await;
    let reader = app.key_with(&["read"]).await;
    let res =
        app.request_as(Some(&reader), Method::POST, "/api/v1/consultants").json(&consultant("A")).send().await.unwrap();
    assert_eq!(
        res.headers()["www-authenticate"],
        "Bearer realm=\"staffmatch\", error=\"insufficient_scope\", scope=\"write\""
    );
    let (status, mut body) = json(res).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    body.as_object_mut().unwrap().remove("request_id");
    assert_eq!(
        body,
        json!({
            "type": "https://staffmatch.dev/problems/forbidden",
            "title": "The API key lacks a required scope",
            "status": 403,
            "detail": "POST /api/v1/consultants needs an API key with the `write` scope",
            "code": "forbidden",
            "errors": [{"field": "Authorization", "message": "the key lacks the `write` scope"}]
        })
    );
}

#[actix_web::test]
async fn unknown_malformed_and_revoked_keys_get_401() {
    let app = spawn_app().await;
    let res = app.request_as(Some("sm_nope"), Method::GET, "/api/v1/consultants").send().await.unwrap();
    let body = problem(res, 401, "unauthorized").await;
    assert_eq!(body["detail"], "the API key is not valid");
    let res = app
        .request_as(None, Method::GET, "/api/v1/consultants")
        .header("authorization", "Basic abc")
        .send()
        .await
        .unwrap();
    problem(res, 401, "unauthorized").await;

    let created = app.create("/api/v1/api-keys", &json!({"name": "sync", "scopes": ["read"]})).await;
    let key = created["key"].as_str().unwrap();
    let res = app.request_as(Some(key), Method::GET, "/api/v1/consultants").send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let res = app.delete(&format!("/api/v1/api-keys/{}", created["id"].as_str().unwrap())).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let res = app.request_as(Some(key), Method::GET, "/api/v1/consultants").send().await.unwrap();
    let body = problem(res, 401, "unauthorized").await;
    assert_eq!(body["detail"], "the API key has been revoked");
}

#[actix_web::test]
async fn an_expired_key_gets_401() {
    let app = spawn_app().await;
    let store = staffmatch::store::Store::connect(app.db.url(), 1).await.unwrap();
    let key = "sm_expired_key_for_this_test";
    let past = chrono::Utc::now() - chrono::Duration::minutes(1);
    let hash = staffmatch::auth::hash_key(key);
    store.insert_api_key("old", "sm_expir", &hash, &["read".to_string()], Some(past), None).await.unwrap();
    let res = app.request_as(Some(key), Method::GET, "/api/v1/consultants").send().await.unwrap();
    let body = problem(res, 401, "unauthorized").await;
    assert_eq!(body["detail"], "the API key has expired");
}

#[actix_web::test]
async fn a_key_secret_is_shown_once_and_lists_never_show_secrets() {
    let app = spawn_app().await;
    let created = app
        .create(
            "/api/v1/api-keys",
            &json!({"name": "Teamtailor synk", "scopes": ["read", "write"], "expires_at": "2099-01-01T00:00:00Z"}),
        )
        .await;
    let key = created["key"].as_str().unwrap();
    assert!(key.starts_with("sm_") && key.len() >= 46, "{key}");
    assert_eq!(created["scopes"], json!(["read", "write"]));
    assert_eq!(created["expires_at"], "2099-01-01T00:00:00Z");
    let (status, list) = json(app.get("/api/v1/api-keys").await).await;
    assert_eq!(status, StatusCode::OK);
    let text = list.to_string();
    assert!(!text.contains(key), "a list must not hold secrets");
    let item = list["items"].as_array().unwrap().iter().find(|k| k["id"] == created["id"]).unwrap();
    assert_eq!(item["name"], "Teamtailor synk");
    assert_eq!(item["prefix"], &key[..8]);
    assert!(item.get("key").is_none());
}

#[actix_web::test]
async fn a_bad_key_request_names_every_field() {
    let app = spawn_app().await;
    let res = app.post("/api/v1/api-keys", &json!({"scopes": ["root"], "expires_at": "yesterday"})).await;
    let body = problem(res, 422, "validation_failed").await;
    assert_eq!(crate::helpers::fields(&body), ["name", "scopes[0]", "expires_at"]);
}

#[actix_web::test]
async fn without_an_admin_key_setting_the_first_start_makes_one_and_later_starts_do_not() {
    let app = spawn_app_with(fresh_db().await, |s| s.admin_key = None).await;
    let key = app.bootstrap_key.clone().expect("a bootstrap key on first start");
    let res = app.request_as(Some(&key), Method::GET, "/api/v1/api-keys").send().await.unwrap();
    let (status, list) = json(res).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list["items"][0]["name"], "bootstrap");
    assert_eq!(list["items"][0]["scopes"], json!(["admin"]));
    let db = app.stop().await;
    let app = spawn_app_with(db, |s| s.admin_key = None).await;
    assert_eq!(app.bootstrap_key, None);
    let res = app.request_as(Some(&key), Method::GET, "/api/v1/consultants").send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "the bootstrap key keeps working");
}

#[actix_web::test]
async fn sensitive_fields_are_left_out_for_keys_without_the_sensitive_scope() {
    let app = spawn_app().await;
    let mut body = consultant("Anna Lindqvist");
    body["clearance"] = json!({"level": "sk2", "citizenships": ["SE"], "willing_to_undergo": true});
    let created = app.create("/api/v1/consultants", &body).await;
    assert_eq!(created["clearance"]["level"], "sk2", "the admin key sees everything");
    let assignment = app
        .create(
            "/api/v1/assignments",
            &json!({"title": "Drifttekniker", "clearance": {"required_level": "sk3", "citizenship": ["SE"]}}),
        )
        .await;
    let id = created["id"].as_str().unwrap();
    let aid = assignment["id"].as_str().unwrap();

    let reader = app.key_with(&["read"]).await;
    let (_, c) =
        json(app.request_as(Some(&reader), Method::GET, &format!("/api/v1/consultants/{id}")).send().await.unwrap())
            .await;
    assert!(c.get("clearance").is_none(), "{c}");
    assert_eq!(c["name"], "Anna Lindqvist");
    let (_, list) = json(app.request_as(Some(&reader), Method::GET, "/api/v1/consultants").send().await.unwrap()).await;
    assert!(list["items"][0].get("clearance").is_none());
    let (_, a) =
        json(app.request_as(Some(&reader), Method::GET, &format!("/api/v1/assignments/{aid}")).send().await.unwrap())
            .await;
    // The assignment's conditions are sensitive too: reading them off assignments would tell
    // a key without the scope what the people ranked for them hold (issue 22).
    assert!(a.get("clearance").is_none(), "{a}");

    let trusted = app.key_with(&["read", "sensitive"]).await;
    let (_, c) =
        json(app.request_as(Some(&trusted), Method::GET, &format!("/api/v1/consultants/{id}")).send().await.unwrap())
            .await;
    assert_eq!(c["clearance"], json!({"level": "sk2", "citizenships": ["SE"], "willing_to_undergo": true}));
    let (_, a) =
        json(app.request_as(Some(&trusted), Method::GET, &format!("/api/v1/assignments/{aid}")).send().await.unwrap())
            .await;
    assert_eq!(a["clearance"]["citizenship"], json!(["SE"]));
}

#[actix_web::test]
async fn a_replace_from_a_key_without_sensitive_keeps_the_hidden_fields() {
    let app = spawn_app().await;
    let mut body = consultant("Anna Lindqvist");
    body["clearance"] = json!({"level": "sk2", "citizenships": ["SE"], "willing_to_undergo": true});
    let created = app.create("/api/v1/consultants", &body).await;
    let id = created["id"].as_str().unwrap();
    let writer = app.key_with(&["read", "write"]).await;
    let path = format!("/api/v1/consultants/{id}");
    let (_, mut seen) = json(app.request_as(Some(&writer), Method::GET, &path).send().await.unwrap()).await;
    seen["capacity_percent"] = json!(60);
    let res = app.request_as(Some(&writer), Method::PUT, &path).json(&seen).send().await.unwrap();
    let (status, after) = json(res).await;
    assert_eq!(status, StatusCode::OK, "{after}");
    assert!(after.get("clearance").is_none());
    let (_, full) = json(app.get(&path).await).await;
    assert_eq!(full["capacity_percent"], 60);
    assert_eq!(full["clearance"], json!({"level": "sk2", "citizenships": ["SE"], "willing_to_undergo": true}));
}
