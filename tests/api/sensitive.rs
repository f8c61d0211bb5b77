//! The `sensitive` scope holds on every path: a key without it neither reads nor states nor
//! changes clearance and citizenship, in answers, explanations, gaps or writes (issue 22,
//! findings 2–4). The walk over every route is generated from the OpenAPI route table.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::auth::api_operations;
use crate::helpers::{TestApp, fields, json, problem, spawn_app};

/// Stored values nothing without `sensitive` may reveal: sk2 and Iceland (`IS`) on the
/// consultant, sk1 and Liechtenstein (`LI`) on the assignment.
fn seeded_consultant() -> Value {
    json!({
        "source": "ats", "external_id": "c-1", "name": "Anna Lindqvist",
        "skills": [{"name": "ITIL", "years": 6}],
        "languages": [{"code": "sv", "level": "native"}],
        "clearance": {"level": "sk2", "citizenships": ["IS"], "willing_to_undergo": true}
    })
}

fn seeded_assignment() -> Value {
    json!({
        "source": "ats", "external_id": "a-1", "title": "Förvaltningsledare",
        "must_have": [{"skill": "ITIL"}],
        "clearance": {"required_level": "sk1", "citizenship": ["LI"], "accept_willing": false}
    })
}

/// Whether `text` holds `word` with no ASCII letter either side.
fn has_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back().is_some_and(|c| c.is_ascii_alphabetic());
        let after = text[i + word.len()..].chars().next().is_some_and(|c| c.is_ascii_alphabetic());
        !before && !after
    })
}

/// Every trace of the seeded sensitive values or of the conditions themselves.
fn leaks(text: &str) -> Vec<&'static str> {
    let mut found: Vec<&'static str> = ["sk1", "sk2", "\"clearance\"", "citizenship", "willing", "clearance sk"]
        .into_iter()
        .filter(|n| text.contains(n))
        .collect();
    found.extend(["IS", "LI"].into_iter().filter(|w| has_word(text, w)));
    found
}

struct Seeded {
    consultant: String,
    assignment: String,
}

async fn seed(app: &TestApp) -> Seeded {
    let c = app.create("/api/v1/consultants", &seeded_consultant()).await;
    let a = app.create("/api/v1/assignments", &seeded_assignment()).await;
    Seeded { consultant: c["id"].as_str().unwrap().into(), assignment: a["id"].as_str().unwrap().into() }
}

/// A concrete path for a documented one, naming the seeded records.
fn concrete(documented: &str, s: &Seeded) -> String {
    let on_assignments = documented.starts_with("/api/v1/assignments");
    documented
        .replace("{consultant_id}", &s.consultant)
        .replace("{assignment_id}", &s.assignment)
        .replace(
            "{id}",
            if documented.contains("/skills/") {
                "itil"
            } else if documented.contains("/api-keys/") || documented.contains("/webhooks/") {
                "0192f3c4-5d6e-7f80-9a1b-2c3d4e5f6a7b"
            } else if on_assignments {
                &s.assignment
            } else {
                &s.consultant
            },
        )
        .replace("{source}", "ats")
        .replace("{external_id}", if on_assignments { "a-1" } else { "c-1" })
}

/// A body a client without `sensitive` would send: valid, and naming no sensitive field.
fn body_for(method: &Method, documented: &str) -> Value {
    let consultant = json!({"name": "Anna Lindqvist", "skills": [{"name": "ITIL", "years": 7}]});
    let assignment = json!({"title": "Förvaltningsledare IT", "must_have": [{"skill": "ITIL"}]});
    match (method.as_str(), documented) {
        ("POST", "/api/v1/consultants/batch") => {
            json!({"items": [{"source": "ats", "external_id": "c-1", "name": "Anna Lindqvist", "skills": [{"name": "ITIL"}]}]})
        }
        ("POST", "/api/v1/assignments/batch") => {
            json!({"items": [{"source": "ats", "external_id": "a-1", "title": "Förvaltningsledare", "must_have": [{"skill": "ITIL"}]}]})
        }
        ("PATCH", _) if documented.starts_with("/api/v1/consultants") => json!({"name": "Anna L. Lindqvist"}),
        ("PATCH", _) => json!({"title": "Förvaltningsledare (ändrad)"}),
        ("POST" | "PUT", "/api/v1/matches") => assignment,
        ("POST", "/api/v1/skills/resolve") => json!({"names": ["ITIL", "Scrum"]}),
        ("POST" | "PUT", p) if p.starts_with("/api/v1/consultants") => consultant,
        ("POST" | "PUT", p) if p.starts_with("/api/v1/assignments") => assignment,
        _ => json!({}),
    }
}

#[actix_web::test]
async fn no_route_reveals_clearance_or_citizenship_to_a_key_without_sensitive() {
    let app = spawn_app().await;
    let s = seed(&app).await;
    let key = app.key_with(&["read", "write"]).await;
    let mut walked = 0;
    // Deletes last: they would take the records the other routes read.
    let mut ops = api_operations();
    ops.sort_by_key(|(m, _, _)| *m == Method::DELETE);
    for (method, _, documented) in ops {
        let path = concrete(&documented, &s);
        let req = app.request_as(Some(&key), method.clone(), &path);
        let req = if documented.ends_with("/parse") {
            req.header("content-type", "text/plain").body("Förvaltningsledare\nSkallkrav:\n- ITIL, minst 3 år\n")
        } else {
            req.json(&body_for(&method, &documented))
        };
        let res = req.send().await.unwrap();
        let status = res.status();
        let text = res.text().await.unwrap();
        let found = leaks(&text);
        assert!(found.is_empty(), "{method} {documented} ({status}) shows {found:?}: {text}");
        walked += 1;
        if method == Method::GET && documented.contains("matches") {
            assert_eq!(status, StatusCode::OK, "{method} {documented}: {text}");
        }
    }
    assert!(walked >= 40, "walked only {walked} operations");
}

#[actix_web::test]
async fn writes_without_sensitive_keep_the_clearance_they_cannot_see() {
    let app = spawn_app().await;
    let s = seed(&app).await;
    let key = app.key_with(&["read", "write"]).await;
    let send = |method: Method, path: String, body: Value| {
        let req = app.request_as(Some(&key), method, &path).json(&body);
        async move { req.send().await.unwrap() }
    };
    // A batch item and PUTs that leave clearance out keep it (the batch used to reset it).
    let items =
        json!({"items": [{"source": "ats", "external_id": "c-1", "name": "Anna", "skills": [{"name": "ITIL"}]}]});
    let (status, res) = json(send(Method::POST, "/api/v1/consultants/batch".into(), items).await).await;
    assert_eq!((status, &res["items"][0]["status"]), (StatusCode::OK, &json!("updated")), "{res}");
    let res = send(Method::PUT, "/api/v1/consultants/external/ats/c-1".into(), json!({"name": "Anna"})).await;
    assert_eq!(res.status(), StatusCode::OK);
    let body = json!({"source": "ats", "external_id": "c-1", "name": "Anna"});
    let res = send(Method::PUT, format!("/api/v1/consultants/{}", s.consultant), body).await;
    assert_eq!(res.status(), StatusCode::OK);
    let items = json!({"items": [{"source": "ats", "external_id": "a-1", "title": "Förvaltningsledare"}]});
    let (status, res) = json(send(Method::POST, "/api/v1/assignments/batch".into(), items).await).await;
    assert_eq!((status, &res["items"][0]["status"]), (StatusCode::OK, &json!("updated")), "{res}");

    // Writes that name them are refused, each field named.
    let cases = [
        (
            Method::PUT,
            format!("/api/v1/consultants/{}", s.consultant),
            json!({"name": "A", "clearance": {"level": "none"}}),
            vec!["clearance.level"],
        ),
        (Method::PATCH, format!("/api/v1/consultants/{}", s.consultant), json!({"clearance": null}), vec!["clearance"]),
        (
            Method::PATCH,
            format!("/api/v1/consultants/{}", s.consultant),
            json!({"clearance": {"citizenships": ["SE"], "willing_to_undergo": false}}),
            vec!["clearance.citizenships", "clearance.willing_to_undergo"],
        ),
        (
            Method::POST,
            "/api/v1/consultants".into(),
            json!({"name": "B", "clearance": {"level": "sk3"}}),
            vec!["clearance.level"],
        ),
        (
            Method::PUT,
            "/api/v1/consultants/external/ats/c-1".into(),
            json!({"name": "A", "clearance": {}}),
            vec!["clearance"],
        ),
        (
            Method::PATCH,
            format!("/api/v1/assignments/{}", s.assignment),
            json!({"clearance": {"citizenship": ["SE"]}}),
            vec!["clearance.citizenship"],
        ),
        (
            Method::PUT,
            format!("/api/v1/assignments/{}", s.assignment),
            json!({"title": "T", "clearance": {"required_level": "none"}}),
            vec!["clearance.required_level"],
        ),
        (
            Method::POST,
            "/api/v1/assignments".into(),
            json!({"title": "T", "clearance": {"accept_willing": true}}),
            vec!["clearance.accept_willing"],
        ),
    ];
    for (method, path, body, want) in cases {
        let res = send(method.clone(), path.clone(), body).await;
        let p = problem(res, 403, "forbidden").await;
        assert_eq!(fields(&p), want, "{method} {path}: {p}");
    }
    let items = json!({"items": [
        {"source": "ats", "external_id": "c-1", "name": "Anna", "clearance": {"level": "none"}},
        {"source": "ats", "external_id": "c-2", "name": "Bo"}
    ]});
    let (_, res) = json(send(Method::POST, "/api/v1/consultants/batch".into(), items).await).await;
    assert_eq!(res["items"][0]["problem"]["code"], "forbidden", "{res}");
    assert_eq!(fields(&res["items"][0]["problem"]), ["items[0].clearance.level"]);
    assert_eq!(res["items"][1]["status"], "created", "one refused item does not sink the others: {res}");

    // The stored values are untouched.
    let (_, c) = json(app.get(&format!("/api/v1/consultants/{}", s.consultant)).await).await;
    assert_eq!(c["clearance"], seeded_consultant()["clearance"], "{c}");
    let (_, a) = json(app.get(&format!("/api/v1/assignments/{}", s.assignment)).await).await;
    assert_eq!(a["clearance"], seeded_assignment()["clearance"], "{a}");
}

/// Finding 2: stating conditions in an ad-hoc ranking would read every consultant's level
/// and citizenship off `met`/`missing`.
#[actix_web::test]
async fn an_ad_hoc_ranking_may_not_state_conditions_without_sensitive() {
    let app = spawn_app().await;
    seed(&app).await;
    let reader = app.key_with(&["read"]).await;
    for (clearance, want) in [
        (json!({"required_level": "sk1"}), vec!["clearance.required_level"]),
        (json!({"citizenship": ["DK"]}), vec!["clearance.citizenship"]),
        (
            json!({"required_level": "sk3", "accept_willing": true}),
            vec!["clearance.required_level", "clearance.accept_willing"],
        ),
    ] {
        let body = json!({"title": "Probe", "must_have": [{"skill": "ITIL"}], "clearance": clearance});
        let res = app
            .request_as(Some(&reader), Method::POST, "/api/v1/matches?include_ineligible=true")
            .json(&body)
            .send()
            .await
            .unwrap();
        let p = problem(res, 403, "forbidden").await;
        assert_eq!(fields(&p), want, "{p}");
    }
    // With the scope, the same probe is an ordinary ranking.
    let body = json!({"title": "Probe", "must_have": [{"skill": "ITIL"}], "clearance": {"required_level": "sk1"}});
    let (status, res) = json(app.post("/api/v1/matches?include_ineligible=true", &body).await).await;
    assert_eq!(status, StatusCode::OK, "{res}");
    assert!(res["items"][0]["gaps"].to_string().contains("sk1"), "{res}");
}

/// Eligibility still applies without the scope: the hidden conditions gate as before.
#[actix_web::test]
async fn hidden_conditions_still_gate_and_say_only_that_one_is_unmet() {
    let app = spawn_app().await;
    let s = seed(&app).await;
    let reader = app.key_with(&["read"]).await;
    let path = format!("/api/v1/assignments/{}/matches?include_ineligible=true", s.assignment);
    let (_, res) = json(app.request_as(Some(&reader), Method::GET, &path).send().await.unwrap()).await;
    let item = &res["items"][0];
    assert_eq!(item["eligible"], false, "{res}");
    assert_eq!(res["total_eligible"], 0);
    assert_eq!(item["gaps"], json!(["a condition that needs the sensitive scope is unmet"]));
    let kinds: Vec<&str> =
        item["explanation"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert!(!kinds.contains(&"clearance") && !kinds.contains(&"citizenship"), "{kinds:?}");
    let pair = format!("/api/v1/consultants/{}/matches/{}", s.consultant, s.assignment);
    let (_, res) = json(app.request_as(Some(&reader), Method::GET, &pair).send().await.unwrap()).await;
    assert!(leaks(&res.to_string()).is_empty(), "{res}");
}
