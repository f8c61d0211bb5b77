//! `Idempotency-Key` on POST: replays, conflicts, per-key scoping, parallel retries, expiry.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, consultant, json, problem, spawn_app};

async fn post_with_key(app: &TestApp, key: &str, body: &Value) -> reqwest::Response {
    app.request(Method::POST, "/api/v1/consultants").header("idempotency-key", key).json(body).send().await.unwrap()
}

async fn count_consultants(app: &TestApp) -> usize {
    let (_, list) = json(app.get("/api/v1/consultants?limit=500").await).await;
    list["items"].as_array().unwrap().len()
}

#[actix_web::test]
async fn a_retry_with_the_same_key_and_body_replays_the_first_response() {
    let app = spawn_app().await;
    let body = consultant("Åsa Öberg");
    let first = post_with_key(&app, "k-1", &body).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    assert!(first.headers().get("idempotent-replayed").is_none());
    let location = first.headers()["location"].clone();
    let (_, created) = json(first).await;

    let again = post_with_key(&app, "k-1", &body).await;
    assert_eq!(again.status(), StatusCode::CREATED);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    assert_eq!(again.headers()["location"], location);
    assert_eq!(again.headers()["etag"], "\"1\"");
    assert_eq!(again.headers()["content-type"], "application/json");
    let (_, replayed) = json(again).await;
    assert_eq!(replayed, created);
    assert_eq!(count_consultants(&app).await, 1);
}

#[actix_web::test]
async fn the_same_key_with_another_body_is_a_422_conflict() {
    let app = spawn_app().await;
    assert_eq!(post_with_key(&app, "k-2", &consultant("Anna")).await.status(), StatusCode::CREATED);
    let res = post_with_key(&app, "k-2", &consultant("Bertil")).await;
    let body = problem(res, 422, "idempotency_conflict").await;
    assert_eq!(body["errors"][0]["field"], "Idempotency-Key");
    assert_eq!(count_consultants(&app).await, 1);
}

#[actix_web::test]
async fn idempotency_keys_belong_to_one_api_key() {
    let app = spawn_app().await;
    let other = app.key_with(&["read", "write"]).await;
    assert_eq!(post_with_key(&app, "shared", &consultant("Anna")).await.status(), StatusCode::CREATED);
    let res = app
        .request_as(Some(&other), Method::POST, "/api/v1/consultants")
        .header("idempotency-key", "shared")
        .json(&consultant("Anna"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    assert!(res.headers().get("idempotent-replayed").is_none());
    assert_eq!(count_consultants(&app).await, 2);
}

#[actix_web::test]
async fn parallel_retries_with_one_key_create_one_record() {
    let app = spawn_app().await;
    let body = consultant("Parallell Per");
    let sends = (0..12).map(|_| post_with_key(&app, "burst", &body));
    let responses = futures_util::future::join_all(sends).await;
    let mut ids = std::collections::HashSet::new();
    for res in responses {
        let status = res.status();
        let (_, b) = json(res).await;
        match status {
            StatusCode::CREATED => {
                ids.insert(b["id"].as_str().unwrap().to_string());
            }
            StatusCode::CONFLICT => assert_eq!(b["code"], "idempotency_in_progress"),
            other => panic!("unexpected {other}: {b}"),
        }
    }
    assert_eq!(ids.len(), 1, "{ids:?}");
    assert_eq!(count_consultants(&app).await, 1);
}

#[actix_web::test]
async fn a_validation_failure_is_replayed_too_and_a_bad_key_is_refused() {
    let app = spawn_app().await;
    let bad = json!({"name": ""});
    let first = problem(post_with_key(&app, "k-3", &bad).await, 422, "validation_failed").await;
    let again = post_with_key(&app, "k-3", &bad).await;
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    let mut again = problem(again, 422, "validation_failed").await;
    again["request_id"] = first["request_id"].clone();
    assert_eq!(again, first);
    let res = post_with_key(&app, &"x".repeat(256), &consultant("A")).await;
    problem(res, 400, "invalid_header").await;
}

#[actix_web::test]
async fn keys_older_than_a_day_are_forgotten_and_pruned() {
    use sea_orm::{EntityTrait, sea_query::Expr};
    use staffmatch::store::entities::idempotency_key;

    let app = spawn_app().await;
    assert_eq!(post_with_key(&app, "old", &consultant("Anna")).await.status(), StatusCode::CREATED);
    let db = sea_orm::Database::connect(app.db.url()).await.unwrap();
    let long_ago = chrono::Utc::now() - chrono::Duration::hours(25);
    idempotency_key::Entity::update_many()
        .col_expr(idempotency_key::Column::CreatedAt, Expr::value(long_ago))
        .exec(&db)
        .await
        .unwrap();
    let res = post_with_key(&app, "old", &consultant("Bertil")).await;
    assert_eq!(res.status(), StatusCode::CREATED, "an expired key is free again");
    assert!(res.headers().get("idempotent-replayed").is_none());

    idempotency_key::Entity::update_many()
        .col_expr(idempotency_key::Column::CreatedAt, Expr::value(long_ago))
        .exec(&db)
        .await
        .unwrap();
    let store = staffmatch::store::Store::connect(app.db.url(), 1).await.unwrap();
    assert_eq!(store.prune_idempotency().await.unwrap(), 1);
}

#[actix_web::test]
async fn key_creation_is_never_replayed_so_its_secret_is_never_stored() {
    let app = spawn_app().await;
    let body = json!({"name": "ci", "scopes": ["read"]});
    let send = || app.request(Method::POST, "/api/v1/api-keys").header("idempotency-key", "same").json(&body).send();
    let (_, a) = json(send().await.unwrap()).await;
    let res = send().await.unwrap();
    assert!(res.headers().get("idempotent-replayed").is_none());
    let (_, b) = json(res).await;
    assert_ne!(a["key"], b["key"]);
}
