//! Health, readiness, metrics, the OpenAPI document and Swagger UI.

use reqwest::StatusCode;

use crate::helpers::{consultant, json, spawn_app};

#[actix_web::test]
async fn health_and_readiness_answer_without_a_key() {
    let app = spawn_app().await;
    let (status, body) = json(app.get("/healthz").await).await;
    assert_eq!((status, body["status"].as_str()), (StatusCode::OK, Some("ok")));
    let (status, body) = json(app.get("/readyz").await).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["checks"][0], serde_json::json!({"name": "database", "status": "ok"}));
}

#[actix_web::test]
async fn metrics_count_requests_by_route_and_status() {
    let app = spawn_app().await;
    app.create("/api/v1/consultants", &consultant("Anna")).await;
    app.get("/api/v1/consultants/not-a-uuid").await;
    let res = app.get("/metrics").await;
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/plain"));
    let text = res.text().await.unwrap();
    assert!(
        text.contains(r#"staffmatch_http_requests_total{method="POST",route="/api/v1/consultants",status="201"} 1"#),
        "{text}"
    );
    assert!(
        text.contains(
            r#"staffmatch_http_requests_total{method="GET",route="/api/v1/consultants/{id}",status="400"} 1"#
        ),
        "{text}"
    );
    assert!(text.contains("staffmatch_http_request_duration_seconds_bucket"));
    assert!(text.contains("staffmatch_db_pool_connections"));
}

#[actix_web::test]
async fn every_response_carries_a_request_id_and_keeps_a_given_one() {
    let app = spawn_app().await;
    let res =
        app.request(reqwest::Method::GET, "/healthz").header("x-request-id", "ats-trace-42").send().await.unwrap();
    assert_eq!(res.headers()["x-request-id"], "ats-trace-42");
    let res = app.get("/healthz").await;
    assert_eq!(res.headers()["x-request-id"].len(), 36);
}

#[actix_web::test]
async fn the_served_spec_matches_the_committed_openapi_json() {
    let app = spawn_app().await;
    let (status, served) = json(app.get("/api-docs/openapi.json").await).await;
    assert_eq!(status, StatusCode::OK);
    let committed: serde_json::Value =
        serde_json::from_str(include_str!("../../openapi/openapi.json")).expect("openapi/openapi.json is JSON");
    assert!(
        served == committed,
        "openapi/openapi.json is out of date: run `cargo run -- openapi > openapi/openapi.json` and commit it"
    );
    let generated = serde_json::to_value(staffmatch::api::openapi()).unwrap();
    assert_eq!(generated, served);
}

#[actix_web::test]
async fn the_spec_documents_every_endpoint_with_bearer_auth() {
    let spec = serde_json::to_value(staffmatch::api::openapi()).unwrap();
    let paths = spec["paths"].as_object().unwrap();
    for p in [
        "/api/v1/consultants",
        "/api/v1/consultants/{id}",
        "/api/v1/consultants/external/{source}/{external_id}",
        "/api/v1/consultants/batch",
        "/api/v1/assignments",
        "/api/v1/assignments/{id}",
        "/api/v1/assignments/external/{source}/{external_id}",
        "/api/v1/assignments/batch",
        "/healthz",
        "/readyz",
        "/metrics",
    ] {
        assert!(paths.contains_key(p), "{p} is not documented");
    }
    assert_eq!(spec["components"]["securitySchemes"]["bearer"]["scheme"], "bearer");
    assert_eq!(spec["components"]["schemas"]["ConsultantWrite"]["example"]["location"]["city"], "Malmö");
    assert_eq!(
        spec["components"]["schemas"]["AssignmentWrite"]["example"]["title"],
        "IT Project Manager Infrastructure"
    );
}

/// Swagger UI lists operations by their summary: an operation without one shows a bare path
/// (the consultant and assignment CRUD did, issue 24).
#[actix_web::test]
async fn every_operation_has_a_summary_and_a_description() {
    let spec = serde_json::to_value(staffmatch::api::openapi()).unwrap();
    let mut missing = Vec::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            for field in ["summary", "description"] {
                if op[field].as_str().is_none_or(|s| s.trim().is_empty()) {
                    missing.push(format!("{method} {path}: no {field}"));
                }
            }
        }
    }
    assert!(missing.is_empty(), "{missing:#?}");
}

#[actix_web::test]
async fn swagger_ui_is_served_from_vendored_assets() {
    let app = spawn_app().await;
    let res = app.get("/swagger-ui/").await;
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    assert!(html.contains("swagger-ui"), "{html}");
    assert!(!html.contains("https://"), "Swagger UI must not load assets from the internet");
    let res = app.get("/swagger-ui/swagger-initializer.js").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains("/api-docs/openapi.json"));
}

/// The value of an unlabelled metric.
fn metric(text: &str, name: &str) -> f64 {
    text.lines()
        .find_map(|l| l.strip_prefix(name).and_then(|v| v.strip_prefix(' ')))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("no {name} in {text}"))
}

/// An index grown through the API (vectors at doubled capacities) is compacted once
/// consultant writes pause: its memory drops, the compaction is counted once, and matching
/// answers exactly as before.
#[actix_web::test]
async fn the_match_index_is_compacted_once_writes_pause() {
    let app = crate::helpers::spawn_app_with(crate::helpers::fresh_db().await, |s| {
        s.index_compact_idle_ms = 3_000;
        s.index_compact_min_writes = 100;
    })
    .await;
    let items: Vec<_> = (0..300).map(|i| consultant(&format!("Consultant {i}"))).collect();
    let (status, body) = json(app.post("/api/v1/consultants/batch", &serde_json::json!({"items": items})).await).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let posting =
        serde_json::json!({"title": "Säkerhetsansvarig", "must_have": [{"skill": "IT-säkerhet", "min_years": 5}]});
    let (_, ranked) = json(app.post("/api/v1/matches?limit=5", &posting).await).await;
    let text = app.get("/metrics").await.text().await.unwrap();
    assert_eq!(metric(&text, "staffmatch_index_compactions"), 0.0, "compacted while writes were recent");
    let grown = metric(&text, "staffmatch_index_bytes");

    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let text = loop {
        let text = app.get("/metrics").await.text().await.unwrap();
        if metric(&text, "staffmatch_index_compactions") > 0.0 || std::time::Instant::now() > deadline {
            break text;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    assert_eq!(metric(&text, "staffmatch_index_compactions"), 1.0, "{text}");
    assert!(metric(&text, "staffmatch_index_bytes") < grown, "not smaller than {grown}: {text}");
    assert_eq!(metric(&text, "staffmatch_index_consultants"), 300.0);
    let (_, again) = json(app.post("/api/v1/matches?limit=5", &posting).await).await;
    assert_eq!(again, ranked);
    assert_eq!(again["total_eligible"], 300, "{again}");

    // No writes since: no second compaction.
    tokio::time::sleep(std::time::Duration::from_millis(4_000)).await;
    let text = app.get("/metrics").await.text().await.unwrap();
    assert_eq!(metric(&text, "staffmatch_index_compactions"), 1.0);
}

/// A method a known path does not take is 405 with `Allow`, not 404 (issue 24: `TRACE
/// /healthz` answered 404).
#[actix_web::test]
async fn an_undeclared_method_on_a_known_path_is_405_with_allow() {
    let app = spawn_app().await;
    for (method, path, allow) in [
        ("TRACE", "/healthz", "GET, HEAD"),
        ("POST", "/metrics", "GET, HEAD"),
        ("DELETE", "/readyz", "GET, HEAD"),
        ("GET", "/api/v1/matches", "POST"),
        ("PATCH", "/api/v1/consultants", "GET, HEAD, POST"),
    ] {
        let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let res = app.request(m, path).send().await.unwrap();
        assert_eq!(res.headers().get("allow").map(|v| v.to_str().unwrap()), Some(allow), "{method} {path}");
        crate::helpers::problem(res, 405, "method_not_allowed").await;
    }
    let res = app.get("/api/v1/no-such-thing").await;
    crate::helpers::problem(res, 404, "route_not_found").await;
}

/// Regression for issue 24: `PUT /api/v1/assignments/parse` was served as a replace of an
/// assignment with the id "parse" (415 or 400), not as a method the path does not take.
#[actix_web::test]
async fn put_on_the_parse_path_is_405_not_a_replace_of_an_assignment_named_parse() {
    let app = spawn_app().await;
    for (method, path, allow) in [
        ("PUT", "/api/v1/assignments/parse", "POST"),
        ("DELETE", "/api/v1/consultants/batch", "POST"),
        ("PATCH", "/api/v1/assignments/deleted", "GET, HEAD"),
        ("GET", "/api/v1/skills/resolve", "POST"),
    ] {
        let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let res = app.request(m, path).header("content-type", "text/plain").body("x").send().await.unwrap();
        assert_eq!(res.headers().get("allow").map(|v| v.to_str().unwrap()), Some(allow), "{method} {path}");
        crate::helpers::problem(res, 405, "method_not_allowed").await;
    }
}

/// Every answer an operation can give is documented as problem+json, by the kind of
/// operation (issue 24: 400, 415 and 410 answers were missing from 14 operations).
#[actix_web::test]
async fn no_operation_lacks_the_error_answers_its_kind_can_give() {
    let spec = serde_json::to_value(staffmatch::api::openapi()).unwrap();
    let mut missing = Vec::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let params = op["parameters"].as_array().cloned().unwrap_or_default();
            let has = |f: &dyn Fn(&serde_json::Value) -> bool| params.iter().any(f);
            let mut needed: Vec<&str> = Vec::new();
            if path.starts_with("/api/v1/") {
                needed.extend(["401", "403", "429", "503"]);
            }
            if op.get("requestBody").is_some() {
                needed.extend(["400", "408", "413", "415", "422"]);
            }
            if !params.is_empty() {
                needed.push("400");
            }
            if has(&|p| p["in"] == "path") {
                needed.push("404");
            }
            if has(&|p| p["name"] == "If-Match") {
                needed.push("412");
            }
            for status in needed {
                let r = &op["responses"][status];
                let schema = &r["content"]["application/problem+json"]["schema"]["$ref"];
                if schema != "#/components/schemas/Problem" || r["description"].as_str().is_none_or(str::is_empty) {
                    missing.push(format!("{method} {path}: {status}"));
                }
            }
            for (status, r) in op["responses"].as_object().unwrap() {
                // (`/readyz` answers 503 with its readiness report, not a problem.)
                let is_error = path.starts_with("/api/v1/") && (status.starts_with('4') || status.starts_with('5'));
                if is_error && r["content"]["application/problem+json"].is_null() {
                    missing.push(format!("{method} {path}: {status} is not problem+json"));
                }
            }
        }
    }
    assert!(missing.is_empty(), "{missing:#?}");
}

/// Every operation that makes a record links to the operations on the record it made, each
/// link naming an operation that exists and takes an `id` (the stateful contract test follows
/// them).
#[actix_web::test]
async fn creates_link_to_the_operations_on_what_they_made() {
    let spec = serde_json::to_value(staffmatch::api::openapi()).unwrap();
    let mut ops = std::collections::HashMap::new();
    for item in spec["paths"].as_object().unwrap().values() {
        for op in item.as_object().unwrap().values() {
            ops.insert(op["operationId"].as_str().unwrap().to_string(), op.clone());
        }
    }
    for (from, status) in
        [("create_consultant", "201"), ("create_assignment", "201"), ("upsert_consultant_by_external_id", "200")]
    {
        let links = ops[from]["responses"][status]["links"].as_object().unwrap();
        assert!(links.len() >= 4, "{from}: {links:?}");
        for link in links.values() {
            let target = &ops[link["operationId"].as_str().unwrap()];
            let takes_id = target["parameters"].as_array().unwrap().iter().any(|p| p["name"] == "id");
            assert!(takes_id, "{from} links to {link}");
            assert_eq!(link["parameters"]["id"], "$response.body#/id");
        }
    }
}
