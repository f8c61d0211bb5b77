//! Webhooks: a local receiver checks signatures, fails on purpose and sees the retry;
//! deliveries survive a restart; private URLs are refused; match.found honours min_score.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, consultant, fresh_db, json, problem, spawn_app, spawn_app_on, spawn_app_with};

const SECRET: &str = "whsec_test_secret_0123456789";

/// One request the receiver saw.
#[derive(Clone, Debug)]
struct Seen {
    event_id: String,
    signature_ok: bool,
    body: Value,
    answered: u16,
}

/// A webhook receiver on a free port: answers 500 to the first `fail_first` requests, or
/// to everything while `accept` is false.
#[derive(Clone)]
struct Receiver {
    seen: Arc<Mutex<Vec<Seen>>>,
    fail_first: usize,
    accept: Arc<Mutex<bool>>,
    url: String,
}

async fn receive(req: HttpRequest, body: web::Bytes, r: web::Data<Receiver>) -> HttpResponse {
    let text = String::from_utf8(body.to_vec()).unwrap();
    let header = |n: &str| req.headers().get(n).map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    let signature_ok = staffmatch::webhooks::verify(SECRET, &header("staffmatch-signature"), &text);
    let mut seen = r.seen.lock().unwrap();
    let ok = seen.len() >= r.fail_first && *r.accept.lock().unwrap();
    let answered = if ok { 200 } else { 500 };
    seen.push(Seen {
        event_id: header("staffmatch-event-id"),
        signature_ok,
        body: serde_json::from_str(&text).unwrap(),
        answered,
    });
    HttpResponse::build(actix_web::http::StatusCode::from_u16(answered).unwrap()).finish()
}

fn receiver(fail_first: usize) -> Receiver {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let r = Receiver {
        seen: Arc::default(),
        fail_first,
        accept: Arc::new(Mutex::new(true)),
        url: format!("http://127.0.0.1:{port}/hook"),
    };
    let data = web::Data::new(r.clone());
    let server = HttpServer::new(move || App::new().app_data(data.clone()).default_service(web::to(receive)))
        .listen(listener)
        .unwrap()
        .workers(1)
        .run();
    actix_web::rt::spawn(server);
    r
}

impl Receiver {
    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    /// Waits (polling, up to 20 s) until `pred` holds for what was received.
    async fn wait_for(&self, what: &str, pred: impl Fn(&[Seen]) -> bool) -> Vec<Seen> {
        for _ in 0..800 {
            let seen = self.seen();
            if pred(&seen) {
                return seen;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!("timed out waiting for {what}: {:?}", self.seen());
    }
}

async fn subscribe(app: &TestApp, url: &str, events: Value) -> Value {
    app.create("/api/v1/webhooks", &json!({"url": url, "secret": SECRET, "events": events})).await
}

async fn deliveries(app: &TestApp, webhook_id: &str) -> Vec<Value> {
    let (status, body) = json(app.get(&format!("/api/v1/webhooks/{webhook_id}/deliveries")).await).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["items"].as_array().unwrap().clone()
}

#[actix_web::test]
async fn a_signed_event_is_retried_after_a_failure_and_logged() {
    let app = spawn_app().await;
    let rx = receiver(1);
    let hook = subscribe(&app, &rx.url, json!(["consultant.*"])).await;
    assert_eq!(hook["secret"], SECRET);
    let hook_id = hook["id"].as_str().unwrap();
    app.create("/api/v1/assignments", &json!({"title": "Not subscribed"})).await;
    let created = app.create("/api/v1/consultants", &consultant("Karin Nyström")).await;

    let seen = rx.wait_for("a retry that succeeds", |s| s.iter().any(|x| x.answered == 200)).await;
    assert_eq!(seen.len(), 2, "{seen:?}");
    assert!(seen.iter().all(|s| s.signature_ok), "{seen:?}");
    assert_eq!(seen[0].event_id, seen[1].event_id, "a retry keeps the event id");
    assert_eq!(seen[0].body, seen[1].body);
    let body = &seen[1].body;
    assert_eq!(body["type"], "consultant.created");
    assert_eq!(body["id"].as_str().unwrap(), seen[1].event_id);
    assert_eq!(body["data"]["object"]["name"], "Karin Nyström");
    assert_eq!(body["data"]["id"], created["id"]);

    let mut log = deliveries(&app, hook_id).await;
    for _ in 0..200 {
        if log[0]["state"] == "succeeded" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
        log = deliveries(&app, hook_id).await;
    }
    assert_eq!(log.len(), 1, "only consultant events: {log:?}");
    assert_eq!(log[0]["state"], "succeeded");
    assert_eq!(log[0]["event_type"], "consultant.created");
    let attempts = log[0]["attempts"].as_array().unwrap();
    assert_eq!(attempts.len(), 2);
    assert_eq!(attempts[0]["status_code"], 500);
    assert_eq!(attempts[0]["error"], "receiver answered 500");
    assert_eq!(attempts[1]["status_code"], 200);
    assert!(attempts[1]["error"].is_null());
}

#[actix_web::test]
async fn updates_and_deletes_are_delivered_too() {
    let app = spawn_app().await;
    let rx = receiver(0);
    subscribe(&app, &rx.url, json!(["*"])).await;
    let created = app.create("/api/v1/consultants", &consultant("Anna")).await;
    let id = created["id"].as_str().unwrap();
    let res = app
        .send_json(reqwest::Method::PATCH, &format!("/api/v1/consultants/{id}"), &json!({"capacity_percent": 50}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(app.delete(&format!("/api/v1/consultants/{id}")).await.status(), StatusCode::NO_CONTENT);
    let seen = rx.wait_for("three events", |s| s.len() >= 3).await;
    let mut types: Vec<_> = seen.iter().map(|s| s.body["type"].as_str().unwrap().to_string()).collect();
    types.sort();
    assert_eq!(types, ["consultant.created", "consultant.deleted", "consultant.updated"]);
    let deleted = seen.iter().find(|s| s.body["type"] == "consultant.deleted").unwrap();
    assert_eq!(deleted.body["data"], json!({"id": id}));
}

#[actix_web::test]
async fn a_pending_delivery_survives_a_restart() {
    let app = spawn_app().await;
    let rx = receiver(0);
    *rx.accept.lock().unwrap() = false;
    subscribe(&app, &rx.url, json!(["consultant.created"])).await;
    app.create("/api/v1/consultants", &consultant("Omstart Olsson")).await;
    rx.wait_for("a failed attempt", |s| !s.is_empty()).await;
    let db = app.stop().await;
    let failed_before = rx.seen().len();
    *rx.accept.lock().unwrap() = true;

    let app = spawn_app_on(db).await;
    let seen = rx.wait_for("delivery after the restart", |s| s.iter().any(|x| x.answered == 200)).await;
    assert!(seen.len() > failed_before);
    let ok = seen.iter().find(|x| x.answered == 200).unwrap();
    assert_eq!(ok.event_id, seen[0].event_id, "the same event, not a new one");
    assert_eq!(ok.body["data"]["object"]["name"], "Omstart Olsson");
    drop(app);
}

#[actix_web::test]
async fn private_and_loopback_urls_are_refused_unless_allowed() {
    let app = spawn_app_with(fresh_db().await, |s| s.webhook_allow_private = false).await;
    for url in [
        "http://127.0.0.1:9000/hook",
        "http://10.0.0.5/hook",
        "http://169.254.169.254/latest",
        "http://[::1]/x",
        "http://localhost/x",
    ] {
        let res = app.post("/api/v1/webhooks", &json!({"url": url, "events": ["consultant.*"]})).await;
        let body = problem(res, 422, "validation_failed").await;
        assert_eq!(crate::helpers::fields(&body), ["url"], "{url}: {body}");
    }
    let res = app
        .post("/api/v1/webhooks", &json!({"url": "ftp://x", "events": ["nope"], "min_score": 101, "extra": 1}))
        .await;
    let body = problem(res, 422, "validation_failed").await;
    assert_eq!(crate::helpers::fields(&body), ["extra", "url", "events[0]", "min_score"]);
}

#[actix_web::test]
async fn subscriptions_are_listed_without_secrets_and_can_be_deleted() {
    let app = spawn_app().await;
    let hook = app
        .create("/api/v1/webhooks", &json!({"url": "http://127.0.0.1:9/x", "events": ["match.found"], "min_score": 80}))
        .await;
    assert!(hook["secret"].as_str().unwrap().starts_with("whsec_"), "a secret is made when none is given");
    let (_, list) = json(app.get("/api/v1/webhooks").await).await;
    assert_eq!(list["items"][0]["id"], hook["id"]);
    assert!(list["items"][0].get("secret").is_none());
    let id = hook["id"].as_str().unwrap();
    assert_eq!(app.delete(&format!("/api/v1/webhooks/{id}")).await.status(), StatusCode::NO_CONTENT);
    problem(app.delete(&format!("/api/v1/webhooks/{id}")).await, 404, "not_found").await;
    problem(app.get(&format!("/api/v1/webhooks/{id}/deliveries")).await, 404, "not_found").await;
}

#[actix_web::test]
async fn match_found_is_sent_only_above_the_subscriptions_min_score() {
    use staffmatch::webhooks::{Event, emit};

    let app = spawn_app().await;
    let rx = receiver(0);
    let hook = app
        .create(
            "/api/v1/webhooks",
            &json!({"url": rx.url, "secret": SECRET, "events": ["match.found"], "min_score": 80}),
        )
        .await;
    let store = staffmatch::store::Store::connect(app.db.url(), 1).await.unwrap();
    let (a, c) = (uuid::Uuid::now_v7(), uuid::Uuid::now_v7());
    let low = Event::MatchFound { assignment_id: a, consultant_id: c, score: 79.9, details: json!({}) };
    assert_eq!(emit(&store, low).await.unwrap(), None);
    let high =
        Event::MatchFound { assignment_id: a, consultant_id: c, score: 87.4, details: json!({"must_have": 1.0}) };
    let event_id = emit(&store, high).await.unwrap().expect("queued");
    let seen = rx.wait_for("the match", |s| !s.is_empty()).await;
    assert_eq!(seen[0].event_id, event_id.to_string());
    assert_eq!(seen[0].body["data"]["score"], 87.4);
    assert_eq!(seen[0].body["data"]["consultant_id"], c.to_string());
    assert_eq!(deliveries(&app, hook["id"].as_str().unwrap()).await.len(), 1);
}

#[actix_web::test]
async fn storing_a_consultant_who_matches_an_open_assignment_raises_match_found() {
    let app = spawn_app().await;
    let rx = receiver(0);
    app.create(
        "/api/v1/webhooks",
        &json!({"url": rx.url, "secret": SECRET, "events": ["match.found"], "min_score": 10}),
    )
    .await;
    let assignment = app
        .create("/api/v1/assignments", &json!({"title": "Kubernetes-tekniker", "must_have": [{"skill": "Kubernetes"}]}))
        .await;
    // Nobody matches yet: storing the assignment raises nothing.
    let bystander = app.create("/api/v1/consultants", &json!({"name": "Ola", "skills": [{"name": "COBOL"}]})).await;
    let consultant =
        app.create("/api/v1/consultants", &json!({"name": "Nils", "skills": [{"name": "k8s", "years": 4}]})).await;
    let seen = rx.wait_for("match.found", |s| !s.is_empty()).await;
    assert!(seen.iter().all(|s| s.signature_ok));
    let data = &seen[0].body["data"];
    assert_eq!(seen[0].body["type"], "match.found", "{}", seen[0].body);
    assert_eq!(data["assignment_id"], assignment["id"]);
    assert_eq!(data["consultant_id"], consultant["id"]);
    assert!(data["score"].as_f64().unwrap() >= 10.0);
    assert!(seen.iter().all(|s| s.body["data"]["consultant_id"] != bystander["id"]));

    // The reverse: a new assignment the stored consultant fits.
    let second = app
        .create(
            "/api/v1/assignments",
            &json!({"title": "Plattformsteam", "must_have": [{"skill": "Kubernetes", "min_years": 3}]}),
        )
        .await;
    let seen = rx.wait_for("the reverse match", |s| s.len() >= 2).await;
    assert_eq!(seen[1].body["data"]["assignment_id"], second["id"]);
    assert_eq!(seen[1].body["data"]["consultant_id"], consultant["id"]);
}

#[actix_web::test]
async fn an_event_is_queued_with_its_change_and_never_for_a_refused_write() {
    let app = spawn_app().await;
    let rx = receiver(0);
    let hook = subscribe(&app, &rx.url, json!(["consultant.*"])).await;
    let hook_id = hook["id"].as_str().unwrap().to_string();
    let created = app.create("/api/v1/consultants", &consultant("Anna")).await;
    let path = format!("/api/v1/consultants/{}", created["id"].as_str().unwrap());
    rx.wait_for("the created event", |s| s.len() == 1).await;

    // A refused write (stale If-Match) queues nothing: the event lives in the write's transaction.
    let res =
        app.request(Method::PUT, &path).header("If-Match", "\"7\"").json(&consultant("Anna B")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::PRECONDITION_FAILED);
    let res = app.send_json(Method::PUT, &path, &consultant("Anna Berg")).await;
    assert_eq!(res.status(), StatusCode::OK);
    let seen = rx.wait_for("the updated event", |s| s.len() == 2).await;
    assert_eq!(seen[1].body["type"], "consultant.updated");
    assert_eq!(seen[1].body["data"]["object"]["name"], "Anna Berg");
    // The same content again (a re-push, a patch that sets what is there) changes nothing.
    let (status, again) = json(app.send_json(Method::PUT, &path, &consultant("Anna Berg")).await).await;
    assert_eq!((status, &again["version"]), (StatusCode::OK, &json!(2)));
    let (status, patched) = json(app.send_json(Method::PATCH, &path, &json!({"name": "Anna Berg"})).await).await;
    assert_eq!((status, &patched["version"]), (StatusCode::OK, &json!(2)));
    assert_eq!(
        deliveries(&app, &hook_id).await.len(),
        2,
        "one delivery per committed change, none for the refused write or the ones that changed nothing"
    );
}
