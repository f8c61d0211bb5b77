//! No personal data in logs or metrics (issue 26): the server's log lines, captured at
//! `debug` for every target during a full walk-through (writes, rankings both ways, pair
//! scores, an ad-hoc query, an invalid write, an export, an erasure), and `/metrics`, hold
//! none of the walk-through's names, e-mails, skill texts, clearance or citizenship. Its own
//! binary, so that its subscriber is the process's global one before any server starts.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

#[expect(dead_code, reason = "the shared helpers of the API tests; this binary uses a few")]
#[path = "api/helpers.rs"]
mod helpers;

use std::io::Write;
use std::sync::Mutex;

use reqwest::Method;
use serde_json::json;

static CAPTURED: Mutex<Vec<u8>> = Mutex::new(Vec::new());

/// Appends log output to [`CAPTURED`].
struct Capture;

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        CAPTURED.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

const NAME: &str = "Ingrid Unikadottir";
const EMAIL: &str = "ingrid.unika@example.org";
const SKILL: &str = "Snöbollskastning";
const CLEARANCE: &str = "sk1";
const CITIZENSHIP: &str = "LI";

#[actix_web::test]
async fn a_full_walk_through_logs_no_personal_data_at_debug() {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new("debug"))
        .with_ansi(false)
        .with_writer(|| Capture)
        .init();
    let app = helpers::spawn_app().await;
    app.create(
        "/api/v1/webhooks",
        &json!({"url": "http://127.0.0.1:9/hook", "secret": "whsec_test_secret_0123456789", "events": ["*"]}),
    )
    .await;
    let person = json!({
        "name": NAME, "email": EMAIL, "source": "teamtailor", "external_id": "iu-1",
        "skills": [{"name": "Java", "years": 6, "level": 4}, {"name": SKILL, "years": 2}],
        "languages": [{"code": "sv", "level": "native"}],
        "clearance": {"level": CLEARANCE, "citizenships": [CITIZENSHIP]}
    });
    let role = json!({"title": "Java-utvecklare", "must_have": [{"skill": "Java"}, {"skill": SKILL}],
                      "clearance": {"required_level": CLEARANCE, "citizenship": [CITIZENSHIP]}});
    let a = app.create("/api/v1/assignments", &role).await;
    let c = app.create("/api/v1/consultants", &person).await;
    let (aid, cid) = (a["id"].as_str().unwrap(), c["id"].as_str().unwrap());
    let mut patched = person.clone();
    patched["skills"][1]["years"] = json!(3);
    let calls = [
        (Method::PUT, "/api/v1/consultants/external/teamtailor/iu-1".to_string(), Some(patched)),
        (Method::GET, format!("/api/v1/assignments/{aid}/matches?include_ineligible=true"), None),
        (Method::GET, format!("/api/v1/assignments/{aid}/matches/{cid}"), None),
        (Method::GET, format!("/api/v1/consultants/{cid}/matches"), None),
        (Method::GET, format!("/api/v1/consultants/{cid}/matches/{aid}"), None),
        (Method::POST, "/api/v1/matches".to_string(), Some(role.clone())),
        (Method::POST, "/api/v1/skills/resolve".to_string(), Some(json!({"names": [SKILL]}))),
        // Refused writes: the errors name fields, never echo the values into the log.
        (
            Method::POST,
            "/api/v1/consultants".to_string(),
            Some(
                json!({"name": NAME, "email": format!("{EMAIL} not valid"), "skills": [{"name": SKILL, "years": -1}]}),
            ),
        ),
        (Method::GET, format!("/api/v1/consultants/{cid}"), None),
        (Method::GET, format!("/api/v1/consultants/{cid}/export"), None),
        (Method::GET, "/api/v1/audit/rankings".to_string(), None),
        (Method::POST, format!("/api/v1/consultants/{cid}/erase"), None),
    ];
    for (method, path, body) in calls {
        let mut req = app.request(method.clone(), &path);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let status = req.send().await.unwrap().status();
        assert!(status.as_u16() < 500, "{method} {path}: {status}");
    }
    let metrics = app.request(Method::GET, "/metrics").send().await.unwrap().text().await.unwrap();
    app.stop().await;
    let logs = String::from_utf8_lossy(&CAPTURED.lock().unwrap()).to_string();
    // The capture works: the walk-through's requests are in it, at debug too.
    assert!(logs.contains("/api/v1/consultants") && logs.contains("DEBUG"), "{logs}");
    for (what, text) in [("the log", &logs), ("/metrics", &metrics)] {
        for needle in [NAME, EMAIL, SKILL, &SKILL.to_lowercase(), "snobollskastning"] {
            assert!(!text.contains(needle), "{what} holds {needle:?}");
        }
        for needle in
            [format!("\"{CLEARANCE}\""), format!("={CLEARANCE}"), format!("\"{CITIZENSHIP}\""), "citizenships".into()]
        {
            assert!(!text.contains(&needle), "{what} holds {needle:?}");
        }
    }
}
