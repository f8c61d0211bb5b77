//! Imports: JSON Resume over HTTP, and the streaming file importer (`staffmatch import`).

use std::io::Write;

use reqwest::StatusCode;
use serde_json::{Value, json};
use staffmatch::import::file::{Options, Steps, import_consultants};

use crate::helpers::{TestApp, fields, fresh_db, json, problem, spawn_app};

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/json-resume/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

async fn import(app: &TestApp, query: &str, body: &Value) -> reqwest::Response {
    app.post(&format!("/api/v1/consultants/import/json-resume{query}"), body).await
}

#[actix_web::test]
async fn a_swedish_resume_is_mapped_and_upserted_by_email() {
    let app = spawn_app().await;
    let resume = fixture("anna-lindqvist.sv.json");
    let (status, c) = json(import(&app, "", &resume).await).await;
    assert_eq!(status, StatusCode::CREATED, "{c}");
    assert_eq!(c["source"], "json-resume");
    assert_eq!(c["external_id"], "anna.lindqvist@example.se");
    assert_eq!(c["name"], "Anna Lindqvist");
    assert_eq!(c["location"], json!({"city": "Malmö", "country": "SE"}));
    assert_eq!(
        c["languages"],
        json!([{"code": "sv", "level": "native"}, {"code": "en", "level": "C1"}, {"code": "de", "level": "A2"}])
    );
    let skills = c["skills"].as_array().unwrap();
    let skill = |n: &str| skills.iter().find(|s| s["name"] == n).unwrap_or_else(|| panic!("{n} in {skills:?}")).clone();
    assert_eq!(skill("IT infrastructure project management")["level"], 4);
    assert!(skill("ITIL")["years"].as_f64().unwrap() >= 8.0, "named in the Region Skåne job since 2016");
    assert!((skill("VMware")["years"].as_f64().unwrap() - 3.6).abs() < 0.01, "2012-08 to 2016-02");
    assert!(c["experience_years"].as_f64().unwrap() >= 12.0);

    let (status, again) = json(import(&app, "", &resume).await).await;
    assert_eq!(status, StatusCode::OK, "the second import upserts the first");
    assert_eq!((&again["id"], &again["version"]), (&c["id"], &json!(1)), "the same resume changes nothing");
    let mut edited = resume.clone();
    edited["basics"]["name"] = json!("Anna Lindqvist Berg");
    let (status, replaced) = json(import(&app, "", &edited).await).await;
    assert_eq!((status, &replaced["id"], &replaced["version"]), (StatusCode::OK, &c["id"], &json!(2)));
    assert_eq!(replaced["name"], "Anna Lindqvist Berg");
}

#[actix_web::test]
async fn every_sample_resume_imports_and_unknown_languages_are_reported() {
    let app = spawn_app().await;
    for (name, query) in [
        ("anna-lindqvist.sv.json", ""),
        ("erik-johansson.en.json", ""),
        ("sara-nilsson.sv.json", ""),
        ("james-smith.en.json", "?external_id=james-smith"),
    ] {
        let res = import(&app, query, &fixture(name)).await;
        let skipped = res.headers().get("staffmatch-import-skipped").map(|v| v.to_str().unwrap().to_string());
        let (status, c) = json(res).await;
        assert_eq!(status, StatusCode::CREATED, "{name}: {c}");
        match name {
            "sara-nilsson.sv.json" => {
                assert_eq!(
                    skipped.as_deref(),
                    Some("languages[3].language: \"Klingon\" is not a language this importer knows")
                );
                assert_eq!(c["languages"][2], json!({"code": "fi", "level": "A2"}));
            }
            "erik-johansson.en.json" => {
                assert_eq!(c["external_id"], "erik.johansson@example.com");
                assert_eq!(c["location"]["city"], "Göteborg");
                let rust = c["skills"].as_array().unwrap().iter().find(|s| s["name"] == "Rust").unwrap().clone();
                assert_eq!(rust["level"], 4);
            }
            "james-smith.en.json" => {
                assert_eq!(c["external_id"], "james-smith");
                assert_eq!(c["languages"], json!([{"code": "en", "level": "native"}, {"code": "sv", "level": "B1"}]));
            }
            _ => assert!(skipped.is_none(), "{name}: {skipped:?}"),
        }
    }
    let (_, list) = json(app.get("/api/v1/consultants").await).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 4);
}

#[actix_web::test]
async fn a_resume_without_an_id_or_name_is_refused_naming_the_field() {
    let app = spawn_app().await;
    let res = import(&app, "", &json!({"basics": {"name": "Utan Epost"}})).await;
    let body = problem(res, 422, "validation_failed").await;
    assert_eq!(fields(&body), ["basics.email"]);
    let res = import(&app, "?external_id=x-1", &json!({"basics": {"email": "a@b.se"}})).await;
    let body = problem(res, 422, "validation_failed").await;
    assert_eq!(fields(&body), ["basics.name"]);
}

/// The importer's steps as the CLI runs them, without skill resolution.
fn steps() -> Steps<'static> {
    Steps { prepare: &|_| {}, render: &staffmatch::api::dto::consultant_object }
}

fn write_file(lines: u64, bad: &[u64]) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!("staffmatch-import-{}.ndjson", uuid::Uuid::new_v4()));
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    for i in 1..=lines {
        if bad.contains(&i) {
            if i % 2 == 0 {
                writeln!(f, "{{\"name\": \"Trasig\", ").unwrap();
            } else {
                writeln!(f, "{{\"name\": \"\", \"capacity_percent\": 150}}").unwrap();
            }
        } else {
            writeln!(
                f,
                "{{\"source\":\"ats\",\"external_id\":\"c-{i}\",\"name\":\"Konsult {i}\",\"experience_years\":{}}}",
                i % 30
            )
            .unwrap();
        }
    }
    f.flush().unwrap();
    path
}

#[actix_web::test]
async fn the_importer_streams_a_large_file_and_reports_bad_lines() {
    // 100k lines on SQLite; fewer on PostgreSQL, where each row is a network round trip.
    let lines: u64 = if std::env::var("TEST_DATABASE_URL").is_ok() { 5_000 } else { 100_000 };
    let bad = [7, 4_242, lines - 1];
    let path = write_file(lines, &bad);
    let db = fresh_db().await;
    let store = staffmatch::store::Store::connect(db.url(), 2).await.unwrap();
    store.migrate().await.unwrap();
    let opts = Options { batch_size: 1_000, resume_from: None, limit: None };
    let mut batches = 0;
    let summary = import_consultants(&store, &path, &opts, &steps(), &mut |_| batches += 1).await.unwrap();
    assert_eq!(summary.read, lines);
    assert_eq!(summary.created, lines - 3);
    assert_eq!(summary.updated, 0);
    let rejected: Vec<_> = summary.rejected.iter().map(|r| r.line).collect();
    assert_eq!(rejected, bad);
    assert!(summary.rejected[0].reason.contains("name"), "{:?}", summary.rejected[0]);
    assert!(summary.rejected[1].reason.starts_with("invalid JSON"), "{:?}", summary.rejected[1]);
    assert!(batches as u64 >= lines / 1_000);
    assert!(!staffmatch::import::file::checkpoint_path(&path).exists(), "a finished import leaves no checkpoint");
    std::fs::remove_file(&path).unwrap();
}

#[actix_web::test]
async fn an_interrupted_import_continues_from_its_checkpoint() {
    let path = write_file(250, &[]);
    let db = fresh_db().await;
    let store = staffmatch::store::Store::connect(db.url(), 2).await.unwrap();
    store.migrate().await.unwrap();
    let first = Options { batch_size: 40, resume_from: None, limit: Some(100) };
    let s = import_consultants(&store, &path, &first, &steps(), &mut |_| {}).await.unwrap();
    assert_eq!((s.read, s.created, s.next_line), (100, 100, Some(101)));
    let checkpoint = staffmatch::import::file::checkpoint_path(&path);
    assert_eq!(std::fs::read_to_string(&checkpoint).unwrap().trim(), "101");

    let rest = Options { batch_size: 40, resume_from: None, limit: None };
    let s = import_consultants(&store, &path, &rest, &steps(), &mut |_| {}).await.unwrap();
    assert_eq!((s.started_at, s.read, s.created, s.updated), (101, 150, 150, 0));

    let again = Options { batch_size: 40, resume_from: Some(241), limit: None };
    let s = import_consultants(&store, &path, &again, &steps(), &mut |_| {}).await.unwrap();
    assert_eq!(
        (s.read, s.created, s.updated, s.unchanged),
        (10, 0, 0, 10),
        "ATS ids are upserted, not duplicated; the same lines change nothing"
    );
    std::fs::remove_file(&path).unwrap();
}

#[actix_web::test]
async fn the_import_command_prints_a_summary() {
    let path = std::env::temp_dir().join(format!("staffmatch-import-{}.json", uuid::Uuid::new_v4()));
    std::fs::write(&path, r#"[{"name": "Åsa"}, {"name": ""}, {"source": "ats", "external_id": "1", "name": "Örjan"}]"#)
        .unwrap();
    let db = fresh_db().await;
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_staffmatch"))
        .args(["import", "consultants"])
        .arg(&path)
        .env("DATABASE_URL", db.url())
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success(), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("created: 2\n"), "{stdout}");
    assert!(stdout.contains("rejected: 1\n  line 2: name: "), "{stdout}");
    std::fs::remove_file(&path).unwrap();
}

#[actix_web::test]
async fn imported_consultants_raise_webhook_events() {
    let path = write_file(3, &[2]);
    let db = fresh_db().await;
    let store = staffmatch::store::Store::connect(db.url(), 2).await.unwrap();
    store.migrate().await.unwrap();
    let hook = store
        .insert_webhook("http://127.0.0.1:9/x", "whsec_0123456789abcdef", &["consultant.*".into()], None, None, None)
        .await
        .unwrap();
    let opts = Options { batch_size: 10, resume_from: None, limit: None };
    let s = import_consultants(&store, &path, &opts, &steps(), &mut |_| {}).await.unwrap();
    assert_eq!(s.created, 2);
    let queued = store.list_deliveries(hook.id, 10).await.unwrap();
    assert_eq!(queued.len(), 2);
    assert!(queued.iter().all(|d| d.event_type == "consultant.created" && d.state == "pending"));
    std::fs::remove_file(&path).unwrap();
}

#[actix_web::test]
async fn imported_resumes_are_matched_like_any_profile() {
    let app = spawn_app().await;
    for (name, query) in [
        ("anna-lindqvist.sv.json", ""),
        ("erik-johansson.en.json", ""),
        ("james-smith.en.json", "?external_id=james-smith"),
        ("sara-nilsson.sv.json", ""),
    ] {
        let (status, c) = json(import(&app, query, &fixture(name)).await).await;
        assert_eq!(status, StatusCode::CREATED, "{name}: {c}");
    }
    // Skills written in Swedish inside the resume ("Agil projektledning") meet English requirements.
    let assignment = json!({
        "title": "IT-projektledare infrastruktur",
        "must_have": [{"skill": "IT infrastructure project management"}, {"skill": "Agile project management"}],
        "can_have": [{"skill": "ITIL"}],
        "languages": [{"code": "sv", "min_level": "C1"}]
    });
    let (status, res) = json(app.post("/api/v1/matches", &assignment).await).await;
    assert_eq!(status, StatusCode::OK, "{res}");
    let names: Vec<&str> = res["items"].as_array().unwrap().iter().map(|i| i["name"].as_str().unwrap()).collect();
    assert_eq!(names.first().copied(), Some("Anna Lindqvist"), "{res}");
    let agile = res["items"][0]["explanation"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["requirement"] == "Agile project management")
        .unwrap();
    assert_eq!(agile["matched_by"], "Agil projektledning (Swedish label)");
}

/// Regression for issue 24: a resume whose `basics.email` (its default id) could not be an ATS
/// id answered 400 "the ATS reference in the path is invalid"; the fault is in the body, and a
/// bad `external_id` parameter is named as the query parameter it is.
#[actix_web::test]
async fn a_resume_whose_email_cannot_be_an_id_is_a_422_naming_basics_email() {
    let app = spawn_app().await;
    let resume = json!({"basics": {"name": "Anna Lindqvist", "email": "anna/lindqvist@example.se"}});
    let body = problem(import(&app, "", &resume).await, 422, "validation_failed").await;
    assert_eq!(fields(&body), ["basics.email"]);
    let body = problem(import(&app, "?external_id=a%2Fb", &resume).await, 400, "invalid_parameter").await;
    assert_eq!(fields(&body), ["external_id"]);
    let (status, _) = json(import(&app, "?external_id=c-1029", &resume).await).await;
    assert_eq!(status, StatusCode::CREATED);
}
