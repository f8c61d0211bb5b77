//! Per-key rate limits: headers on every answer, 429 with Retry-After when used up.

use reqwest::{Method, StatusCode};

use crate::helpers::{fresh_db, problem, spawn_app, spawn_app_with};

#[actix_web::test]
async fn a_key_gets_its_burst_then_429_with_retry_after_and_other_keys_are_unaffected() {
    let app = spawn_app_with(fresh_db().await, |s| {
        s.rate_limit_per_minute = 1;
        s.rate_limit_burst = 3;
    })
    .await;
    // Making the second key takes the admin key's first token.
    let other = app.key_with(&["read"]).await;
    let res = app.get("/api/v1/consultants").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["ratelimit-limit"], "3");
    assert_eq!(res.headers()["ratelimit-remaining"], "1");
    assert!(res.headers()["ratelimit-reset"].to_str().unwrap().parse::<u64>().unwrap() > 0);
    let res = app.get("/api/v1/consultants/not-a-uuid").await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST, "errors count too");
    assert_eq!(res.headers()["ratelimit-remaining"], "0");

    let res = app.get("/api/v1/consultants").await;
    assert_eq!(res.headers()["ratelimit-remaining"], "0");
    let retry_after: u64 = res.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    let body = problem(res, 429, "rate_limited").await;
    assert!(body["detail"].as_str().unwrap().contains("retry in"));

    let res = app.request_as(Some(&other), Method::GET, "/api/v1/consultants").send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["ratelimit-remaining"], "2");
    let res = app.request_as(None, Method::GET, "/healthz").send().await.unwrap();
    assert!(res.headers().get("ratelimit-limit").is_none(), "open routes are not limited");
}

#[actix_web::test]
async fn with_limits_off_no_headers_are_sent() {
    let app = spawn_app().await;
    let res = app.get("/api/v1/consultants").await;
    assert!(res.headers().get("ratelimit-limit").is_none());
}
