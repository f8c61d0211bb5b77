//! The gate authorises the route the router serves, whatever the spelling of its path:
//! percent-encoded letters (`/%61pi/v1/api-keys`), lower- or upper-case hex, and mixed letter
//! case. Generated from the OpenAPI route table, like the scope matrix in `auth.rs`, so every
//! route is covered (regressions for finding 1 of issue 22: an encoded path minted admin keys
//! without any key).

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, TestRunner};
use reqwest::{Method, StatusCode};
use serde_json::json;
use staffmatch::auth::{Scope, required_scope};

use crate::auth::api_operations;
use crate::helpers::{TestApp, problem, spawn_app};

/// `path` with the byte at `i` written as `%XX` (hex in upper or lower case).
fn encode_at(path: &str, i: usize, lower: bool) -> String {
    let b = path.as_bytes()[i];
    let hex = if lower { format!("%{b:02x}") } else { format!("%{b:02X}") };
    format!("{}{hex}{}", &path[..i], &path[i + 1..])
}

/// `path` with every byte in `at` percent-encoded.
fn encode_all(path: &str, at: &[bool], lower: bool) -> String {
    path.bytes()
        .zip(at.iter().chain(std::iter::repeat(&false)))
        .map(|(b, &enc)| match (enc && b != b'/', lower) {
            (true, true) => format!("%{b:02x}"),
            (true, false) => format!("%{b:02X}"),
            (false, _) => (b as char).to_string(),
        })
        .collect()
}

/// Keys that each lack one of the scopes a route may need.
async fn lacking_keys(app: &TestApp) -> Vec<(Scope, String)> {
    let mut keys = Vec::new();
    for needed in [Scope::Read, Scope::Write, Scope::Admin, Scope::Audit, Scope::Privacy] {
        let others: Vec<&str> =
            Scope::ALL.into_iter().filter(|s| *s != needed && *s != Scope::Admin).map(Scope::as_str).collect();
        keys.push((needed, app.key_with(&others).await));
    }
    keys
}

/// Sends `method path` without a key and with a key lacking the route's scope; both must be
/// refused exactly as for the plain spelling.
async fn assert_refused(app: &TestApp, keys: &[(Scope, String)], method: &Method, path: &str, needed: Scope) {
    let res = app.request_as(None, method.clone(), path).json(&json!({})).send().await.unwrap();
    let status = res.status();
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{method} {path} without a key answered {status}");
    let key = &keys.iter().find(|(s, _)| *s == needed).unwrap().1;
    let res = app.request_as(Some(key), method.clone(), path).json(&json!({})).send().await.unwrap();
    let body = problem(res, 403, "forbidden").await;
    assert!(body["detail"].as_str().unwrap().contains(needed.as_str()), "{method} {path}: {body}");
}

#[actix_web::test]
async fn every_route_with_any_one_byte_percent_encoded_needs_its_key_and_scope() {
    let app = spawn_app().await;
    let keys = lacking_keys(&app).await;
    for (method, path, _) in api_operations() {
        let needed = required_scope(method.as_str(), &path);
        for i in 0..path.len() {
            if path.as_bytes()[i] == b'/' {
                continue; // `%2F` is not a separator to the router: another path, tested below
            }
            assert_refused(&app, &keys, &method, &encode_at(&path, i, i % 2 == 0), needed).await;
        }
    }
}

#[actix_web::test]
async fn random_encodings_of_admin_routes_never_serve_without_an_admin_key() {
    let app = spawn_app().await;
    let keys = lacking_keys(&app).await;
    let ops = api_operations();
    let mut runner = TestRunner::new(Config { cases: 256, ..Config::default() });
    let strategy = (0..ops.len(), proptest::collection::vec(proptest::bool::weighted(0.3), 64), proptest::bool::ANY);
    for _ in 0..256 {
        let (op, at, lower) = strategy.new_tree(&mut runner).unwrap().current();
        let (method, path, _) = &ops[op];
        let needed = required_scope(method.as_str(), path);
        assert_refused(&app, &keys, method, &encode_all(path, &at, lower), needed).await;
    }
}

#[actix_web::test]
async fn other_letter_cases_and_encoded_separators_reach_no_route() {
    let app = spawn_app().await;
    let admin_less = app.key_with(&["read", "write", "sensitive"]).await;
    for (method, path, _) in api_operations() {
        let variants = [
            path.to_uppercase(),
            path.replacen("/api/", "/API/", 1),
            path.replacen("/v1/", "/V1/", 1),
            path.replacen("/api/v1/", "/api%2Fv1/", 1),
        ];
        for variant in variants {
            let res = app.request_as(None, method.clone(), &variant).json(&json!({})).send().await.unwrap();
            let status = res.status();
            assert!(
                status == StatusCode::UNAUTHORIZED || status == StatusCode::NOT_FOUND,
                "{method} {variant} without a key answered {status}"
            );
            let res =
                app.request_as(Some(&admin_less), method.clone(), &variant).json(&json!({})).send().await.unwrap();
            let status = res.status();
            assert!(
                status == StatusCode::NOT_FOUND || status == StatusCode::FORBIDDEN,
                "{method} {variant} with a non-admin key answered {status}"
            );
        }
    }
}

/// The exploit as reported: no key, `/%61pi/v1/api-keys`, an admin key minted.
#[actix_web::test]
async fn an_encoded_path_cannot_mint_an_admin_key() {
    let app = spawn_app().await;
    for path in ["/%61pi/v1/api-keys", "/ap%69/v1/api-keys", "/api/v%31/api-keys", "/api/v1/api%2Dkeys"] {
        let res = app
            .request_as(None, Method::POST, path)
            .json(&json!({"name": "x", "scopes": ["admin"]}))
            .send()
            .await
            .unwrap();
        problem(res, 401, "unauthorized").await;
    }
    let reader = app.key_with(&["read"]).await;
    for path in ["/api/v1/api%2Dkeys", "/api/v1/%77ebhooks", "/api/v1/%73kills"] {
        let method = if path.ends_with("kills") { Method::POST } else { Method::GET };
        let res = app
            .request_as(Some(&reader), method, path)
            .json(&json!({"id": "x", "label_en": "X", "label_sv": "X"}))
            .send()
            .await
            .unwrap();
        problem(res, 403, "forbidden").await;
    }
    // The encoded spelling of an allowed route still works: it is the same route.
    let res = app.request_as(Some(&reader), Method::GET, "/api/v1/%63onsultants").send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
}
