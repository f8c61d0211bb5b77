//! Hardening around the gate (issue 22, findings 5–10): limits on traffic without a valid
//! key, a bounded metrics label for methods, safe request ids and log fields, a deadline on
//! request bodies, IPv6 forms of internal addresses refused as webhook URLs, and who made
//! each key and subscription.

use std::io::{Read, Write};

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{fresh_db, json, problem, spawn_app, spawn_app_with};

#[actix_web::test]
async fn requests_without_a_valid_key_are_limited_per_address_but_known_keys_pass() {
    let app = spawn_app_with(fresh_db().await, |s| {
        s.anon_rate_limit_per_minute = 6;
        s.anon_rate_limit_burst = 5;
    })
    .await;
    for i in 0..5 {
        let res =
            app.request_as(Some(&format!("sm_guess_{i}")), Method::GET, "/api/v1/consultants").send().await.unwrap();
        problem(res, 401, "unauthorized").await;
    }
    // The budget is spent: the next guess is refused before any key lookup, and so is a request without a key.
    for key in [Some("sm_guess_next"), None] {
        let res = app.request_as(key, Method::GET, "/api/v1/consultants").send().await.unwrap();
        assert!(res.headers().contains_key("retry-after"));
        let body = problem(res, 429, "rate_limited").await;
        assert!(body["detail"].as_str().unwrap().contains("without a valid API key"), "{body}");
    }
    // A key known to be valid still works from the same address.
    let res = app.get("/api/v1/consultants").await;
    assert_eq!(res.status(), StatusCode::OK);
}

#[actix_web::test]
async fn an_unknown_key_is_remembered_so_repeating_it_costs_no_lookup() {
    let app = spawn_app().await;
    let key = "sm_made_up_key_presented_twice";
    let res = app.request_as(Some(key), Method::GET, "/api/v1/consultants").send().await.unwrap();
    problem(res, 401, "unauthorized").await;
    // Stored behind the service's back: only a fresh lookup could find it.
    let store = staffmatch::store::Store::connect(app.db.url(), 1).await.unwrap();
    let hash = staffmatch::auth::hash_key(key);
    store.insert_api_key("late", "sm_made_", &hash, &["read".to_string()], None, None).await.unwrap();
    let res = app.request_as(Some(key), Method::GET, "/api/v1/consultants").send().await.unwrap();
    problem(res, 401, "unauthorized").await;
}

#[actix_web::test]
async fn made_up_methods_share_one_metrics_label() {
    let app = spawn_app().await;
    for i in 0..20 {
        let method = Method::from_bytes(format!("MADEUP{i}X{}", "Q".repeat(150)).as_bytes()).unwrap();
        app.request_as(None, method, "/healthz").send().await.unwrap();
    }
    let metrics = app.request_as(None, Method::GET, "/metrics").send().await.unwrap().text().await.unwrap();
    assert!(!metrics.contains("MADEUP"), "made-up methods reached /metrics");
    assert!(metrics.contains("method=\"OTHER\""), "{metrics}");
}

#[actix_web::test]
async fn request_ids_in_an_unsafe_format_are_replaced_and_safe_ones_kept() {
    let app = spawn_app().await;
    for (sent, kept) in [("trace-4f9c.2b6e:01", true), ("x\" status=500", false), ("a=b", false), ("\u{7f}ab", false)] {
        let Ok(value) = reqwest::header::HeaderValue::from_bytes(sent.as_bytes()) else { continue };
        let res = app.request_as(None, Method::GET, "/healthz").header("x-request-id", value).send().await.unwrap();
        let got = res.headers()["x-request-id"].to_str().unwrap().to_string();
        assert_eq!(got == sent, kept, "sent {sent:?}, got {got:?}");
        assert!(got.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b)), "{got:?}");
    }
}

#[actix_web::test]
async fn key_names_with_control_characters_are_refused() {
    let app = spawn_app().await;
    for name in ["sync\nINFO forged line", "x\u{1b}[31mred"] {
        let res = app.post("/api/v1/api-keys", &json!({"name": name, "scopes": ["read"]})).await;
        let body = problem(res, 422, "validation_failed").await;
        assert_eq!(crate::helpers::fields(&body), ["name"]);
    }
}

#[actix_web::test]
async fn a_body_sent_too_slowly_gets_408() {
    let app = spawn_app_with(fresh_db().await, |s| s.body_timeout_secs = 1).await;
    let addr = app.address.trim_start_matches("http://").to_string();
    let key = app.key.clone().unwrap();
    let started = std::time::Instant::now();
    // A blocking client on its own thread, awaited, so the server's runtime keeps running.
    let answer = actix_web::rt::task::spawn_blocking(move || {
        let mut s = std::net::TcpStream::connect(addr).unwrap();
        s.set_read_timeout(Some(std::time::Duration::from_secs(10))).unwrap();
        let head = format!(
            "POST /api/v1/consultants HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {key}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{{\"na"
        );
        s.write_all(head.as_bytes()).unwrap();
        let mut buf = [0u8; 2048];
        let n = s.read(&mut buf).unwrap_or(0);
        String::from_utf8_lossy(&buf[..n]).to_string()
    })
    .await
    .unwrap();
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("request_timeout"), "{answer}");
    assert!(started.elapsed() < std::time::Duration::from_secs(8));
}

#[actix_web::test]
async fn webhook_urls_in_ipv6_forms_of_internal_addresses_are_refused() {
    let app = spawn_app_with(fresh_db().await, |s| s.webhook_allow_private = false).await;
    for url in ["http://[::127.0.0.1]/", "http://[::7f00:1]/", "http://[64:ff9b::7f00:1]/", "http://[2002:7f00:1::1]/"]
    {
        let res = app.post("/api/v1/webhooks", &json!({"url": url, "events": ["*"]})).await;
        let body = problem(res, 422, "validation_failed").await;
        assert_eq!(crate::helpers::fields(&body), ["url"], "{url}: {body}");
    }
}

#[actix_web::test]
async fn keys_and_subscriptions_record_the_key_that_made_them() {
    let app = spawn_app().await;
    let first = app.create("/api/v1/api-keys", &json!({"name": "ops", "scopes": ["admin"]})).await;
    assert_eq!(first["created_by"], "env-admin");
    let first_key = first["key"].as_str().unwrap();
    let res = app
        .request_as(Some(first_key), Method::POST, "/api/v1/api-keys")
        .json(&json!({"name": "ci", "scopes": ["read"]}))
        .send()
        .await
        .unwrap();
    let (status, second) = json(res).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(second["created_by"], first["id"]);
    let res = app
        .request_as(Some(first_key), Method::POST, "/api/v1/webhooks")
        .json(&json!({"url": "http://127.0.0.1:9/hook", "events": ["*"]}))
        .send()
        .await
        .unwrap();
    let (status, hook) = json(res).await;
    assert_eq!(status, StatusCode::CREATED, "{hook}");
    assert_eq!(hook["created_by"], first["id"]);
    let (_, keys) = json(app.get("/api/v1/api-keys").await).await;
    let listed = keys["items"].as_array().unwrap().iter().find(|k| k["id"] == second["id"]).unwrap();
    assert_eq!(listed["created_by"], first["id"]);
    let (_, hooks) = json(app.get("/api/v1/webhooks").await).await;
    assert_eq!(hooks["items"][0]["created_by"], first["id"]);
}
