//! Issue 26: the audit of every ranking, a person's export and erasure (searched for
//! afterwards in every table, every GET answer and, on SQLite, the database and WAL files),
//! and the retention that expires a back-dated consultant.

use reqwest::{Method, StatusCode};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement};
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestDb, json, problem, spawn_app, spawn_app_with};

/// Her personal values: none may survive her erasure.
const NAME: &str = "Zelda Quixotesdottir";
const EMAIL: &str = "zelda.q@example.org";
const EXTERNAL_ID: &str = "zq-4711-ats";
const SKILL: &str = "Quokkaherding";

fn zelda() -> Value {
    json!({
        "name": NAME, "email": EMAIL, "source": "teamtailor", "external_id": EXTERNAL_ID,
        "location": {"city": "Malmö", "country": "SE"}, "work_modes": ["onsite"],
        "skills": [{"name": "Java", "years": 8, "level": 4}, {"name": SKILL, "years": 3}],
        "languages": [{"code": "sv", "level": "native"}]
    })
}

fn java_role() -> Value {
    json!({"title": "Java-utvecklare", "must_have": [{"skill": "Java", "min_years": 2}]})
}

/// A subscription to every event at an address nobody answers: its deliveries stay pending.
async fn subscribe_all(app: &TestApp) -> String {
    let hook = app
        .create(
            "/api/v1/webhooks",
            &json!({"url": "http://127.0.0.1:9/hook", "secret": "whsec_test_secret_0123456789", "events": ["*"]}),
        )
        .await;
    hook["id"].as_str().unwrap().to_string()
}

async fn db_of(app: &TestApp) -> DatabaseConnection {
    Database::connect(app.db.url()).await.unwrap()
}

/// Every row of every table, as (table, row text).
async fn all_rows(db: &DatabaseConnection) -> Vec<(String, String)> {
    let backend = db.get_database_backend();
    let tables_sql = match backend {
        DbBackend::Sqlite => "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
        _ => "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()",
    };
    let tables: Vec<String> = db
        .query_all_raw(Statement::from_string(backend, tables_sql))
        .await
        .unwrap()
        .iter()
        .map(|r| r.try_get::<String>("", "name").unwrap())
        .collect();
    assert!(tables.len() >= 15, "{tables:?}");
    let mut rows = Vec::new();
    for t in tables {
        let sql = match backend {
            DbBackend::Sqlite => {
                let cols: Vec<String> = db
                    .query_all_raw(Statement::from_string(backend, format!("PRAGMA table_info(\"{t}\")")))
                    .await
                    .unwrap()
                    .iter()
                    .map(|r| r.try_get::<String>("", "name").unwrap())
                    .collect();
                let parts: Vec<String> = cols.iter().map(|c| format!("COALESCE(CAST(\"{c}\" AS TEXT), '')")).collect();
                format!("SELECT {} AS row FROM \"{t}\"", parts.join(" || '|' || "))
            }
            _ => format!("SELECT row_to_json(x)::text AS row FROM \"{t}\" x"),
        };
        for r in db.query_all_raw(Statement::from_string(backend, sql)).await.unwrap() {
            let text = r.try_get::<String>("", "row").unwrap_or_default();
            // bytea columns are shown as hex by row_to_json: look for her values there too.
            rows.push((t.clone(), text));
        }
    }
    rows
}

fn hex_of(s: &str) -> String {
    s.bytes().map(|b| format!("{b:02x}")).collect()
}

/// Whether `text` holds any of `needles`, plainly or hex-encoded.
fn holds(text: &str, needles: &[&str]) -> Option<String> {
    needles.iter().find(|n| text.contains(*n) || text.contains(&hex_of(n))).map(|n| n.to_string())
}

#[actix_web::test]
async fn every_scoring_endpoint_appends_an_audit_record_with_its_contents() {
    let app = spawn_app().await;
    subscribe_all(&app).await;
    let a = app.create("/api/v1/assignments", &java_role()).await;
    let aid = a["id"].as_str().unwrap().to_string();
    let c = app.create("/api/v1/consultants", &zelda()).await;
    let cid = c["id"].as_str().unwrap().to_string();
    let calls = [
        (
            Method::GET,
            format!("/api/v1/assignments/{aid}/matches?limit=5&w_languages=0.5"),
            "GET /assignments/{id}/matches",
        ),
        (
            Method::GET,
            format!("/api/v1/assignments/{aid}/matches/{cid}"),
            "GET /assignments/{id}/matches/{consultant_id}",
        ),
        (Method::GET, format!("/api/v1/consultants/{cid}/matches"), "GET /consultants/{id}/matches"),
        (
            Method::GET,
            format!("/api/v1/consultants/{cid}/matches/{aid}"),
            "GET /consultants/{id}/matches/{assignment_id}",
        ),
        (Method::POST, "/api/v1/matches?include_ineligible=true".to_string(), "POST /matches"),
    ];
    let mut ids = Vec::new();
    for (method, path, endpoint) in &calls {
        let res = app.request(method.clone(), path).json(&java_role()).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        let audit_id = res.headers()["staffmatch-audit-id"].to_str().unwrap().to_string();
        ids.push((audit_id, *endpoint));
    }
    let (status, page) = json(app.get(&format!("/api/v1/audit/rankings?consultant_id={cid}&limit=50")).await).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let records = page["items"].as_array().unwrap();
    for (audit_id, endpoint) in &ids {
        let r = records.iter().find(|r| r["id"] == *audit_id.as_str()).unwrap_or_else(|| panic!("{endpoint}: {page}"));
        assert_eq!(r["endpoint"], *endpoint);
        assert_eq!(r["key_id"], "env-admin", "{r}");
        assert!(r["request_id"].as_str().is_some_and(|s| !s.is_empty()), "{r}");
        assert!(r["score_version"].as_u64().unwrap() >= 1);
        assert_eq!(r["total_eligible"], 1, "{r}");
        let item = &r["items"][0];
        assert_eq!(item["rank"], 1, "{r}");
        assert_eq!(item["eligible"], true, "{r}");
        assert!(item["score"].as_f64().unwrap() > 0.0, "{r}");
    }
    // The first call's parameters and weights, and the items as (id, rank, score, eligible).
    let first = records.iter().find(|r| r["id"] == *ids[0].0.as_str()).unwrap();
    assert_eq!(first["assignment_id"], *aid.as_str());
    assert_eq!(first["params"]["limit"], 5);
    assert_eq!(first["params"]["w_languages"], 0.5);
    assert_eq!(first["items"][0]["id"], *cid.as_str());
    let w = first["weights"].as_object().unwrap();
    assert_eq!(w.len(), 6, "{first}");
    assert!((w.values().map(|v| v.as_f64().unwrap()).sum::<f64>() - 1.0).abs() < 1e-9);
    // The ad-hoc query is recorded as a digest, not stored.
    let adhoc = records.iter().find(|r| r["endpoint"] == "POST /matches").unwrap();
    assert_eq!(adhoc["query_digest"].as_str().unwrap().len(), 64);
    assert_eq!(adhoc["params"]["include_ineligible"], true);
    // The reverse ranking lists the assignment, with its weights by assignment id.
    let reverse = records.iter().find(|r| r["endpoint"] == "GET /consultants/{id}/matches").unwrap();
    assert_eq!(reverse["consultant_id"], *cid.as_str());
    assert_eq!(reverse["items"][0]["id"], *aid.as_str());
    assert!(reverse["weights"][aid.as_str()].is_object(), "{reverse}");
    // match.found, computed when she was stored, is audited too.
    let found = records.iter().find(|r| r["endpoint"] == "match.found").expect("match.found audited");
    assert_eq!(found["consultant_id"], *cid.as_str());
    assert_eq!(found["items"][0]["id"], *aid.as_str());
    // By assignment and by time; another key without `audit` is refused.
    let (_, by_a) = json(app.get(&format!("/api/v1/audit/rankings?assignment_id={aid}")).await).await;
    assert!(by_a["items"].as_array().unwrap().len() >= 6, "{by_a}");
    let (_, later) = json(app.get("/api/v1/audit/rankings?since=2999-01-01T00:00:00Z").await).await;
    assert_eq!(later["items"], json!([]));
    let reader = app.key_with(&["read", "sensitive"]).await;
    let res = app.request_as(Some(&reader), Method::GET, "/api/v1/audit/rankings").send().await.unwrap();
    problem(res, 403, "forbidden").await;
    let auditor = app.key_with(&["audit"]).await;
    let res =
        app.request_as(Some(&auditor), Method::GET, "/api/v1/audit/rankings?consultant_id=x").send().await.unwrap();
    let body = problem(res, 400, "invalid_parameter").await;
    assert_eq!(body["errors"][0]["field"], "consultant_id");
}

/// Concurrent rankings share commits (the audit's writer groups them): each answer still has
/// its own record, with its own parameters and items, readable once the answer is out.
#[actix_web::test]
async fn concurrent_rankings_each_get_their_own_durable_record() {
    let app = spawn_app().await;
    let a = app.create("/api/v1/assignments", &java_role()).await;
    let aid = a["id"].as_str().unwrap().to_string();
    let c = app.create("/api/v1/consultants", &zelda()).await;
    let cid = c["id"].as_str().unwrap().to_string();
    let calls = (1..=24).map(|limit| {
        let path = format!("/api/v1/assignments/{aid}/matches?limit={limit}");
        let req = app.request(Method::GET, &path);
        async move {
            let res = req.send().await.unwrap();
            assert_eq!(res.status(), StatusCode::OK);
            (limit, res.headers()["staffmatch-audit-id"].to_str().unwrap().to_string())
        }
    });
    let answered = futures_util::future::join_all(calls).await;
    let (status, page) = json(app.get(&format!("/api/v1/audit/rankings?assignment_id={aid}&limit=100")).await).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let records = page["items"].as_array().unwrap();
    for (limit, audit_id) in &answered {
        let r = records.iter().find(|r| r["id"] == *audit_id.as_str()).unwrap_or_else(|| panic!("{audit_id}: {page}"));
        assert_eq!(r["params"]["limit"], *limit, "{r}");
        assert_eq!(r["items"][0]["id"], *cid.as_str(), "{r}");
    }
    let mut ids: Vec<&String> = answered.iter().map(|(_, id)| id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 24, "every answer names its own record");
}

/// How many audit records wait to be listed in the look-up of "every ranking that listed her".
async fn unlisted(db: &DatabaseConnection) -> i64 {
    let sql = "SELECT COUNT(*) AS n FROM ranking_audits WHERE listed = false";
    let row = db.query_one_raw(Statement::from_string(db.get_database_backend(), sql)).await.unwrap().unwrap();
    row.try_get::<i64>("", "n").unwrap()
}

/// A record is found by the consultant it listed whether the writer has listed it in the
/// look-up yet or not, and her erasure reaches both.
#[actix_web::test]
async fn records_are_found_and_erased_before_and_after_they_are_listed() {
    let app = spawn_app().await;
    let db = db_of(&app).await;
    let a = app.create("/api/v1/assignments", &java_role()).await;
    let aid = a["id"].as_str().unwrap().to_string();
    let c = app.create("/api/v1/consultants", &zelda()).await;
    let cid = c["id"].as_str().unwrap().to_string();
    let rank = || async {
        let res = app.get(&format!("/api/v1/assignments/{aid}/matches")).await;
        assert_eq!(res.status(), StatusCode::OK);
        res.headers()["staffmatch-audit-id"].to_str().unwrap().to_string()
    };
    let first = rank().await;
    // Reading the audit moves it from the journal into the database; the writer lists
    // records once it has been idle a moment.
    let (status, _) = json(app.get(&format!("/api/v1/audit/rankings?assignment_id={aid}")).await).await;
    assert_eq!(status, StatusCode::OK);
    eventually("the records listed", async || unlisted(&db).await == 0).await;
    // This one is answered at once, before it is listed (the writer waits for a quiet moment).
    let second = rank().await;
    let (_, page) = json(app.get(&format!("/api/v1/audit/rankings?consultant_id={cid}&limit=50")).await).await;
    let found: Vec<&str> = page["items"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert!(found.contains(&first.as_str()) && found.contains(&second.as_str()), "{page}");
    let res = app.request(Method::POST, &format!("/api/v1/consultants/{cid}/erase")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    eventually("the records listed", async || unlisted(&db).await == 0).await;
    // (The deletion list and the change feed keep her bare id by design, for sync.)
    let left: Vec<_> = all_rows(&db)
        .await
        .into_iter()
        .filter(|(table, row)| table.starts_with("ranking_audit") && holds(row, &[&cid]).is_some())
        .collect();
    assert!(left.is_empty(), "the audit still holds her id: {left:?}");
    // Both records are still there, counted under her pseudonym.
    let (_, by_a) = json(app.get(&format!("/api/v1/audit/rankings?assignment_id={aid}&limit=50")).await).await;
    let ids: Vec<&str> = by_a["items"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert!(ids.contains(&first.as_str()) && ids.contains(&second.as_str()), "{by_a}");
}

#[actix_web::test]
async fn a_short_audit_retention_is_refused_at_start_with_a_clear_message() {
    let mut settings = staffmatch::config::Settings::for_tests("sqlite::memory:");
    settings.audit_retention_days = 90;
    let err = staffmatch::startup::Application::build(&settings).await.err().expect("refused").to_string();
    assert!(err.contains("STAFFMATCH_AUDIT_RETENTION_DAYS") && err.contains("183"), "{err}");
}

/// Every GET route of the spec with its placeholders filled with her ids and the assignment's.
fn get_paths(cid: &str, aid: &str) -> Vec<String> {
    let spec = serde_json::to_value(staffmatch::api::openapi()).unwrap();
    let mut out = Vec::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        if item.get("get").is_none() {
            continue;
        }
        for id in [cid, aid] {
            let concrete = path
                .replace("{id}", id)
                .replace("{consultant_id}", cid)
                .replace("{assignment_id}", aid)
                .replace("{source}", "teamtailor")
                .replace("{external_id}", EXTERNAL_ID)
                .replace("{_:.*}", "");
            out.push(concrete);
        }
    }
    out.sort();
    out.dedup();
    out
}

#[actix_web::test]
async fn after_an_export_and_an_erasure_nothing_holds_her_name_ids_or_skills() {
    let app = spawn_app().await;
    subscribe_all(&app).await;
    let a = app.create("/api/v1/assignments", &java_role()).await;
    let aid = a["id"].as_str().unwrap().to_string();
    // Stored with an idempotency key: the cached response holds her.
    let res = app
        .request(Method::POST, "/api/v1/consultants")
        .header("idempotency-key", "zelda-1")
        .json(&zelda())
        .send()
        .await
        .unwrap();
    let (status, c) = json(res).await;
    assert_eq!(status, StatusCode::CREATED, "{c}");
    let cid = c["id"].as_str().unwrap().to_string();
    assert_eq!(app.get(&format!("/api/v1/assignments/{aid}/matches")).await.status(), StatusCode::OK);
    assert_eq!(app.get(&format!("/api/v1/consultants/{cid}/matches")).await.status(), StatusCode::OK);
    // A recruiter's decision about her, its reason naming her.
    let reason = format!("{NAME} starts elsewhere in May");
    let decision = json!({"consultant_id": cid, "decision": "withdrawn", "reason": reason});
    let (status, d) = json(app.post(&format!("/api/v1/assignments/{aid}/decisions"), &decision).await).await;
    assert_eq!(status, StatusCode::CREATED, "{d}");

    // The export: one document with everything.
    let privacy = app.key_with(&["privacy"]).await;
    let res =
        app.request_as(Some(&privacy), Method::GET, &format!("/api/v1/consultants/{cid}/export")).send().await.unwrap();
    assert_eq!(res.headers()["cache-control"], "no-store");
    let (status, doc) = json(res).await;
    assert_eq!(status, StatusCode::OK, "{doc}");
    assert_eq!(doc["profile"]["name"], NAME);
    assert_eq!(doc["profile"]["skills"].as_array().unwrap().len(), 2);
    assert_eq!(doc["sync"]["external_id"], EXTERNAL_ID);
    let decisions = doc["decisions"].as_array().unwrap();
    assert_eq!((decisions.len(), &decisions[0]["reason"]), (1, &json!(reason)), "{doc}");
    let rankings = doc["rankings"].as_array().unwrap();
    let listed = rankings.iter().find(|r| r["endpoint"] == "GET /assignments/{id}/matches").expect("listed");
    assert_eq!(
        (listed["assignment_id"].as_str(), listed["rank"].as_u64(), listed["role"].as_str()),
        (Some(aid.as_str()), Some(1), Some("listed"))
    );
    assert!(rankings.iter().any(|r| r["role"] == "her_assignments"), "{doc}");
    assert!(rankings.iter().any(|r| r["endpoint"] == "match.found"), "{doc}");
    let types: Vec<&str> =
        doc["webhook_events"].as_array().unwrap().iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert!(types.contains(&"consultant.created") && types.contains(&"match.found"), "{types:?}");
    let how = &doc["how_scores_are_computed"];
    assert!(how["score_version"].as_u64().unwrap() >= 1 && how["default_weights"]["must_have"].is_number(), "{how}");
    assert!(how["text"].as_str().unwrap().len() > 200);
    // By ATS id, the same person.
    let (_, by_ext) =
        json(app.get(&format!("/api/v1/consultants/external/teamtailor/{EXTERNAL_ID}/export")).await).await;
    assert_eq!(by_ext["profile"]["id"], *cid.as_str());
    // A key with only read or write may neither export nor erase.
    let writer = app.key_with(&["read", "write", "sensitive"]).await;
    let res =
        app.request_as(Some(&writer), Method::POST, &format!("/api/v1/consultants/{cid}/erase")).send().await.unwrap();
    problem(res, 403, "forbidden").await;

    // The erasure.
    let res =
        app.request_as(Some(&privacy), Method::POST, &format!("/api/v1/consultants/{cid}/erase")).send().await.unwrap();
    let (status, done) = json(res).await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert!(done["erasure_id"].is_string());
    let res =
        app.request_as(Some(&privacy), Method::POST, &format!("/api/v1/consultants/{cid}/erase")).send().await.unwrap();
    problem(res, 404, "not_found").await;
    // The idempotent retry replays nothing of her and does not run again.
    let res = app
        .request(Method::POST, "/api/v1/consultants")
        .header("idempotency-key", "zelda-1")
        .json(&zelda())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::GONE);
    assert!(!res.text().await.unwrap().contains(NAME));
    // The audit keeps its records, under a pseudonym.
    let (_, audit) = json(app.get(&format!("/api/v1/audit/rankings?assignment_id={aid}")).await).await;
    let records = audit["items"].as_array().unwrap();
    let listing = records.iter().find(|r| r["endpoint"] == "GET /assignments/{id}/matches").expect("kept");
    let pseudonym = listing["items"][0]["id"].as_str().unwrap().to_string();
    assert_ne!(pseudonym, cid);
    let reverse = records.iter().find(|r| r["endpoint"] == "GET /consultants/{id}/matches").expect("kept");
    assert_eq!(reverse["consultant_id"], *pseudonym.as_str(), "one pseudonym per erasure: {audit}");

    // Every GET answer: nothing of her, and her id only where sync needs it.
    let personal = [NAME, EMAIL, EXTERNAL_ID, SKILL];
    for path in get_paths(&cid, &aid) {
        let res = app.get(&path).await;
        let ok = res.status().is_success();
        let body = res.text().await.unwrap();
        // A 404 names the id asked for; only answers with data must not hold her ids.
        let searched: &[&str] = if ok { &personal } else { &[NAME, EMAIL, SKILL] };
        assert_eq!(holds(&body, searched), None, "GET {path}: {body}");
        if ok && !path.ends_with("/consultants/deleted") {
            assert!(!body.contains(cid.as_str()), "GET {path} holds her id: {body}");
        }
    }
    let (_, deleted) = json(app.get("/api/v1/consultants/deleted").await).await;
    assert_eq!(deleted["items"][0]["id"], *cid.as_str());
    assert_eq!(deleted["items"][0]["external_id"], Value::Null, "{deleted}");

    // Every row of every table: her id only in the deletion record and the deletion event.
    let db = db_of(&app).await;
    for (table, row) in all_rows(&db).await {
        assert_eq!(holds(&row, &personal), None, "{table}: {row}");
        // The replicas' change feed keeps the `delete` row until its retention (24 h).
        let sync_needs = table == "deletions"
            || (table == "webhook_events" && row.contains("consultant.deleted"))
            || (table == "change_feed" && row.contains(r#""op":"delete""#));
        if !sync_needs {
            assert!(!row.contains(cid.as_str()), "{table} holds her id: {row}");
        }
    }
    db.close().await.ok();

    // On SQLite, neither the database file nor the WAL holds her bytes once the server stops.
    let db = app.stop().await;
    if let TestDb::Sqlite { path, .. } = &db {
        for file in [path.clone(), std::path::PathBuf::from(format!("{}-wal", path.display()))] {
            let Ok(bytes) = std::fs::read(&file) else { continue };
            for needle in personal {
                let found = bytes.windows(needle.len()).any(|w| w == needle.as_bytes());
                assert!(!found, "{needle} is in {}", file.display());
            }
        }
    }
}

/// Sets consultant `id`'s `updated_at` `days` back.
async fn back_date(db: &DatabaseConnection, id: &str, days: i64) {
    let at = chrono::Utc::now() - chrono::TimeDelta::days(days);
    let sql = match db.get_database_backend() {
        DbBackend::Sqlite => "UPDATE consultants SET updated_at = ? WHERE id = ?",
        _ => "UPDATE consultants SET updated_at = $1 WHERE id = $2",
    };
    let id = uuid::Uuid::parse_str(id).unwrap();
    let res = db
        .execute_raw(Statement::from_sql_and_values(db.get_database_backend(), sql, [at.into(), id.into()]))
        .await
        .unwrap();
    assert_eq!(res.rows_affected(), 1);
}

/// Polls `f` until it holds (the housekeeping runs every second here).
async fn eventually<F: AsyncFnMut() -> bool>(what: &str, mut f: F) {
    for _ in 0..200 {
        if f().await {
            return;
        }
        actix_web::rt::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("{what} did not happen");
}

async fn expiring_events(app: &TestApp, id: &str) -> usize {
    let (_, doc) = json(app.get(&format!("/api/v1/consultants/{id}/export")).await).await;
    doc["webhook_events"].as_array().map_or(0, |e| e.iter().filter(|e| e["type"] == "consultant.expiring").count())
}

#[actix_web::test]
async fn the_retention_announces_then_erases_a_back_dated_consultant() {
    // First without retention: back-date and list who is next.
    let app = spawn_app().await;
    subscribe_all(&app).await;
    let old = app
        .create("/api/v1/consultants", &json!({"name": "Old Timer", "source": "teamtailor", "external_id": "old-1"}))
        .await;
    let soon = app
        .create("/api/v1/consultants", &json!({"name": "Soon Gone", "external_id": "soon-1", "source": "teamtailor"}))
        .await;
    let fresh = app.create("/api/v1/consultants", &json!({"name": "Fresh Face"})).await;
    let (old, soon, fresh) = (old["id"].as_str().unwrap(), soon["id"].as_str().unwrap(), fresh["id"].as_str().unwrap());
    let db = db_of(&app).await;
    back_date(&db, old, 731).await;
    back_date(&db, soon, 710).await;
    let cutoff = (chrono::Utc::now() - chrono::TimeDelta::days(700)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let (status, next) = json(app.get(&format!("/api/v1/consultants?stale_before={cutoff}")).await).await;
    assert_eq!(status, StatusCode::OK, "{next}");
    let mut listed: Vec<&str> = next["items"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).collect();
    listed.sort();
    let mut want = vec![old, soon];
    want.sort();
    assert_eq!(listed, want);
    db.close().await.ok();
    // Then with two years' retention and a round every second.
    let app = spawn_app_with(app.stop().await, |s| {
        s.consultant_retention_days = 730;
        s.housekeeping_secs = 1;
    })
    .await;
    // The one past the retention is erased; the one within 30 days of it is announced.
    eventually("the erasure", async || {
        app.get(&format!("/api/v1/consultants/{old}")).await.status() == StatusCode::NOT_FOUND
    })
    .await;
    eventually("the expiry notice", async || expiring_events(&app, soon).await == 1).await;
    let (_, doc) = json(app.get(&format!("/api/v1/consultants/{soon}/export")).await).await;
    let notice =
        doc["webhook_events"].as_array().unwrap().iter().find(|e| e["type"] == "consultant.expiring").unwrap().clone();
    assert_eq!(notice["payload"]["data"]["external_id"], "soon-1");
    assert!(notice["payload"]["data"]["erase_after"].is_string());
    assert!(!notice["payload"].to_string().contains("Soon Gone"), "{notice}");
    // Once per expiry: a later round (proven by a third consultant's notice) sends no other.
    let db = db_of(&app).await;
    back_date(&db, fresh, 705).await;
    db.close().await.ok();
    eventually("the second notice", async || expiring_events(&app, fresh).await == 1).await;
    assert_eq!(expiring_events(&app, soon).await, 1);
    assert_eq!(app.get(&format!("/api/v1/consultants/{soon}")).await.status(), StatusCode::OK);
    // The erased one is listed as deleted by id only.
    let (_, deleted) = json(app.get("/api/v1/consultants/deleted").await).await;
    assert_eq!(deleted["items"][0]["id"], old);
    assert_eq!(deleted["items"][0]["external_id"], Value::Null);
}

/// On a SQLite file a ranking's record is durable in the audit's journal before its answer
/// goes out, and moved into the database afterwards: records a crash left in the journal are
/// in the audit after the next start, and a record already moved is not counted twice.
#[actix_web::test]
async fn records_a_crash_left_in_the_journal_are_in_the_audit_after_the_next_start() {
    use staffmatch::store::journal::{JournalDir, encode};
    use staffmatch::store::{AuditItem, RankingAudit};
    let db = crate::helpers::fresh_db().await;
    let TestDb::Sqlite { path, .. } = &db else { return }; // PostgreSQL: records go straight in.
    let path = path.clone();
    let app = crate::helpers::spawn_app_on(db).await;
    let a = app.create("/api/v1/assignments", &java_role()).await;
    let aid = a["id"].as_str().unwrap().to_string();
    let res = app.get(&format!("/api/v1/assignments/{aid}/matches")).await;
    let answered = res.headers()["staffmatch-audit-id"].to_str().unwrap().to_string();
    let db = app.stop().await;
    let TestDb::Sqlite { path: p, .. } = &db else { unreachable!() };
    assert_eq!(p, &path);
    // What a crash leaves: a segment (numbered after those of the run) holding a record
    // that never reached the database, and one that did.
    let journal = JournalDir::beside(&path);
    let ghost = uuid::Uuid::now_v7();
    let lost = RankingAudit {
        id: uuid::Uuid::now_v7(),
        at: chrono::Utc::now(),
        key_id: "env-admin".into(),
        request_id: Some("req-before-the-crash".into()),
        endpoint: "GET /assignments/{id}/matches".into(),
        assignment_id: Some(ghost),
        consultant_id: None,
        query_digest: None,
        params: json!({ "limit": 20 }),
        score_version: 1,
        weights: json!({ "must_have": 1.0 }),
        total_eligible: 1,
        items: vec![AuditItem { id: uuid::Uuid::now_v7(), rank: Some(1), score: 71.5, eligible: true }],
    };
    let mut again = lost.clone();
    again.id = answered.parse().unwrap();
    let mut frames = Vec::new();
    encode(1000, &lost, &mut frames).unwrap();
    encode(1000, &again, &mut frames).unwrap();
    journal.open_segment(1000).unwrap().append(&frames).unwrap();
    let app = crate::helpers::spawn_app_on(db).await;
    let (status, page) = json(app.get(&format!("/api/v1/audit/rankings?assignment_id={ghost}")).await).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{page}");
    assert_eq!(items[0]["id"], lost.id.to_string());
    assert_eq!(items[0]["request_id"], "req-before-the-crash");
    assert_eq!(items[0]["items"][0]["score"], 71.5);
    let (_, all) = json(app.get("/api/v1/audit/rankings?limit=100").await).await;
    let times = all["items"].as_array().unwrap().iter().filter(|r| r["id"] == answered.as_str()).count();
    assert_eq!(times, 1, "the record moved before the crash is there once: {all}");
}
