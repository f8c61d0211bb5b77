//! Batch writes (`POST …/batch` and `Store::batch`): written with multi-row statements, but
//! item by item the same results as single writes in order, on SQLite and PostgreSQL.

use reqwest::{Method, StatusCode};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, TransactionTrait};
use serde_json::{Value, json};
use staffmatch::domain::{ConsultantInput, SourceRef};
use staffmatch::store::entities::{
    assignment_language, assignment_skill, consultant, consultant_language, consultant_skill,
};
use staffmatch::store::{Consultants, Expect, Store, Written, no_events};
use uuid::Uuid;

use crate::helpers::{fresh_db, json, spawn_app};

/// The child rows (skills, languages) stored for consultant `id`.
async fn child_rows(url: &str, id: &str) -> (u64, u64) {
    let db = sea_orm::Database::connect(url).await.unwrap();
    let id = Uuid::parse_str(id).unwrap();
    let skills = consultant_skill::Entity::find()
        .filter(consultant_skill::Column::ConsultantId.eq(id))
        .count(&db)
        .await
        .unwrap();
    let languages = consultant_language::Entity::find()
        .filter(consultant_language::Column::ConsultantId.eq(id))
        .count(&db)
        .await
        .unwrap();
    db.close().await.unwrap();
    (skills, languages)
}

fn person(external_id: Option<&str>, name: &str, skills: &[&str], languages: &[&str]) -> Value {
    let mut body = json!({
        "name": name,
        "skills": skills.iter().map(|s| json!({"name": s, "years": 3})).collect::<Vec<_>>(),
        "languages": languages.iter().map(|c| json!({"code": c, "level": "C1"})).collect::<Vec<_>>(),
    });
    if let Some(e) = external_id {
        body["source"] = json!("teamtailor");
        body["external_id"] = json!(e);
    }
    body
}

fn statuses(body: &Value) -> Vec<&str> {
    body["items"].as_array().unwrap().iter().map(|r| r["status"].as_str().unwrap()).collect()
}

#[actix_web::test]
async fn a_batch_mixing_new_and_stored_ats_ids_creates_and_updates_with_their_child_rows() {
    let app = spawn_app().await;
    let first = person(None, "Anna Lindqvist", &["ITIL", "Java"], &["sv", "en"]);
    let res = app.send_json(reqwest::Method::PUT, "/api/v1/consultants/external/teamtailor/c-1", &first).await;
    let (status, anna) = json(res).await;
    assert_eq!(status, StatusCode::CREATED, "{anna}");
    let anna_id = anna["id"].as_str().unwrap();

    let items = json!({"items": [
        person(Some("c-2"), "Erik Nilsson", &["Kubernetes"], &["sv"]),
        person(Some("c-1"), "Anna Berg", &["ITIL", "Scrum", "Go"], &["de"]),
        person(None, "Sofia Ek", &[], &[]),
    ]});
    let (status, body) = json(app.post("/api/v1/consultants/batch", &items).await).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(statuses(&body), ["created", "updated", "created"]);
    assert_eq!(
        (body["created"].as_u64(), body["updated"].as_u64(), body["failed"].as_u64()),
        (Some(2), Some(1), Some(0))
    );
    let results = body["items"].as_array().unwrap();
    assert_eq!(results[1]["id"], anna_id, "the stored record is updated, not duplicated");
    assert_eq!(results[1]["version"], 2);
    assert_eq!((results[0]["version"].as_i64(), results[2]["version"].as_i64()), (Some(1), Some(1)));

    let res = app.get(&format!("/api/v1/consultants/{anna_id}")).await;
    assert_eq!(res.headers().get("etag").unwrap(), "\"2\"");
    let (_, read) = json(res).await;
    assert_eq!(read["name"], "Anna Berg");
    assert_eq!(read["created_at"], anna["created_at"]);
    assert!(read["updated_at"].as_str().unwrap() > anna["updated_at"].as_str().unwrap(), "{read}");
    assert_eq!(child_rows(app.db.url(), anna_id).await, (3, 1), "the old child rows are replaced");
    assert_eq!(child_rows(app.db.url(), results[0]["id"].as_str().unwrap()).await, (1, 1));
    assert_eq!(child_rows(app.db.url(), results[2]["id"].as_str().unwrap()).await, (0, 0));

    // The same batch again: the records with ATS ids hold that content already and are left
    // as they are; the item without one is created again.
    let (_, again) = json(app.post("/api/v1/consultants/batch", &items).await).await;
    assert_eq!(statuses(&again), ["unchanged", "unchanged", "created"]);
    assert_eq!(
        (again["created"].as_u64(), again["updated"].as_u64(), again["unchanged"].as_u64()),
        (Some(1), Some(0), Some(2))
    );
    assert_eq!(again["items"][0]["id"], results[0]["id"]);
    assert_eq!((again["items"][0]["version"].as_i64(), again["items"][1]["version"].as_i64()), (Some(1), Some(2)));
    let (_, reread) = json(app.get(&format!("/api/v1/consultants/{anna_id}")).await).await;
    assert_eq!((&reread["version"], &reread["updated_at"]), (&read["version"], &read["updated_at"]));
    assert_eq!(child_rows(app.db.url(), anna_id).await, (3, 1));

    // One changed item among unchanged ones: only it is written.
    let mut changed = items.clone();
    changed["items"][0]["name"] = json!("Erik Nilsson Ek");
    let (_, third) = json(app.post("/api/v1/consultants/batch", &changed).await).await;
    assert_eq!(statuses(&third), ["updated", "unchanged", "created"]);
    assert_eq!((third["items"][0]["version"].as_i64(), third["items"][1]["version"].as_i64()), (Some(2), Some(2)));
    assert_eq!(child_rows(app.db.url(), results[0]["id"].as_str().unwrap()).await, (1, 1));
    // One record at a time: child rows follow the skills and languages, whatever else changes.
    let anna_path = format!("/api/v1/consultants/{anna_id}");
    let (status, _) = json(app.send_json(Method::PATCH, &anna_path, &json!({"name": "Anna B"})).await).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(child_rows(app.db.url(), anna_id).await, (3, 1));
    let skills = json!({"skills": [{"name": "Kubernetes"}], "languages": [{"code": "sv", "level": "C2"}, {"code": "en", "level": "B2"}]});
    let (status, patched) = json(app.send_json(Method::PATCH, &anna_path, &skills).await).await;
    assert_eq!((status, patched["skills"].as_array().map(Vec::len)), (StatusCode::OK, Some(1)));
    assert_eq!(child_rows(app.db.url(), anna_id).await, (1, 2));
    let (_, list) = json(app.get("/api/v1/consultants").await).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 5);

    // A deleted consultant takes its child rows with it; the others keep theirs.
    assert_eq!(app.delete(&format!("/api/v1/consultants/{anna_id}")).await.status(), StatusCode::NO_CONTENT);
    assert_eq!(child_rows(app.db.url(), anna_id).await, (0, 0));
    assert_eq!(child_rows(app.db.url(), results[0]["id"].as_str().unwrap()).await, (1, 1));
}

fn input(external_id: Option<&str>, name: &str, skills: &[&str]) -> ConsultantInput {
    ConsultantInput::parse(&person(external_id, name, skills, &["sv"])).unwrap()
}

#[actix_web::test]
async fn an_ats_id_named_twice_in_one_store_batch_is_created_then_updated() {
    // The HTTP endpoint rejects a repeated ATS id; the file importer passes it to the store.
    let db = fresh_db().await;
    let store = Store::connect(db.url(), 2).await.unwrap();
    store.migrate().await.unwrap();
    let stored = SourceRef { source: "teamtailor".into(), external_id: "c-9".into() };
    let (old, _) =
        store.upsert::<Consultants>(&stored, input(None, "Old", &["Java"]), Expect::Any, &no_events).await.unwrap();

    let inputs = [
        input(Some("c-1"), "A", &["ITIL", "Java"]),
        input(None, "B", &["Go"]),
        input(Some("c-9"), "C", &["Rust"]),
        input(Some("c-1"), "D", &["ITIL", "Java", "Scrum"]),
        input(Some("c-9"), "E", &[]),
        input(Some("c-1"), "F", &["Kubernetes", "Docker", "Scrum", "Go"]),
        // The same content again: nothing to write.
        input(Some("c-1"), "F", &["Kubernetes", "Docker", "Scrum", "Go"]),
        // Back to what was stored before the batch: a change from "E", and the stored child
        // rows are already these.
        input(Some("c-9"), "Old", &["Java"]),
    ];
    let out = store.batch::<Consultants>(inputs.to_vec(), &no_events).await.unwrap();
    let got: Vec<(Uuid, i64, Written)> =
        out.iter().map(|r| r.as_ref().map(|(rec, w)| (rec.meta.id, rec.meta.version, *w)).unwrap()).collect();
    let new = got[0].0;
    assert_eq!(
        got,
        [
            (new, 1, Written::Created),
            (got[1].0, 1, Written::Created),
            (old.meta.id, 2, Written::Updated),
            (new, 2, Written::Updated),
            (old.meta.id, 3, Written::Updated),
            (new, 3, Written::Updated),
            (new, 3, Written::Unchanged),
            (old.meta.id, 4, Written::Updated),
        ]
    );
    let created_at = out[0].as_ref().unwrap().0.meta.created_at;
    assert_eq!(out[5].as_ref().unwrap().0.meta.created_at, created_at, "an update keeps created_at");

    let c1 = SourceRef { source: "teamtailor".into(), external_id: "c-1".into() };
    let last = store.get_by_source::<Consultants>(&c1).await.unwrap();
    assert_eq!((last.data.name.as_str(), last.meta.version), ("F", 3), "the last item's content is stored");
    assert_eq!(last, out[5].as_ref().unwrap().0, "what the batch answered is what is read back");
    assert_eq!(child_rows(db.url(), &new.to_string()).await, (4, 1));
    let c9 = store.get::<Consultants>(old.meta.id).await.unwrap();
    assert_eq!((c9.data.name.as_str(), c9.meta.version, c9.meta.created_at), ("Old", 4, old.meta.created_at));
    assert_eq!(child_rows(db.url(), &old.meta.id.to_string()).await, (1, 1));
}

#[actix_web::test]
async fn a_batch_queues_one_event_per_written_item_in_its_transaction() {
    let db = fresh_db().await;
    let store = Store::connect(db.url(), 2).await.unwrap();
    store.migrate().await.unwrap();
    let hook = store
        .insert_webhook("http://127.0.0.1:9/x", "whsec_0123456789abcdef", &["consultant.*".into()], None, None, None)
        .await
        .unwrap();
    let hooks = store.list_webhooks().await.unwrap();
    let events = staffmatch::webhooks::resource_events::<ConsultantInput>(&hooks, "consultant", |rec| {
        Some(json!({"name": rec.data.name}))
    });
    let inputs = [input(Some("c-1"), "A", &[]), input(None, "B", &[]), input(Some("c-1"), "C", &[])];
    let out = store.batch::<Consultants>(inputs.to_vec(), &events).await.unwrap();
    assert!(out.iter().all(Result::is_ok));
    let mut queued: Vec<String> =
        store.list_deliveries(hook.id, 10).await.unwrap().into_iter().map(|d| d.event_type).collect();
    queued.sort();
    assert_eq!(queued, ["consultant.created", "consultant.created", "consultant.updated"]);
}

#[actix_web::test]
async fn an_item_colliding_with_a_concurrent_insert_is_written_alone_and_the_rest_commit() {
    // Another transaction inserts c-2 and commits while the batch runs. On PostgreSQL the
    // batch's look-up cannot see the uncommitted row, so the multi-row insert meets it and
    // skips c-2, which is then written alone and updates the row; on SQLite the batch waits
    // for the other writer and finds the row. Either way: created, updated, created.
    let app = spawn_app().await;
    let db = sea_orm::Database::connect(app.db.url()).await.unwrap();
    let other = db.begin().await.unwrap();
    let now = chrono::Utc::now();
    let theirs = Uuid::now_v7();
    consultant::Entity::insert(consultant::ActiveModel {
        id: Set(theirs),
        source: Set(Some("teamtailor".into())),
        external_id: Set(Some("c-2".into())),
        name: Set("Inserted elsewhere".into()),
        email: Set(None),
        city: Set(None),
        country: Set(None),
        work_modes: Set(String::new()),
        available_from: Set(None),
        capacity_percent: Set(None),
        experience_years: Set(None),
        clearance_level: Set("none".into()),
        citizenships: Set(String::new()),
        willing_to_undergo: Set(false),
        skills: Set("[]".into()),
        languages: Set("[]".into()),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    })
    .exec_without_returning(&other)
    .await
    .unwrap();

    let items = json!({"items": [
        person(Some("c-1"), "Anna", &["ITIL"], &["sv"]),
        person(Some("c-2"), "Erik", &["Java", "Go"], &["sv", "en"]),
        person(Some("c-3"), "Sofia", &["Scrum"], &[]),
    ]});
    let (res, ()) = tokio::join!(app.post("/api/v1/consultants/batch", &items), async {
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        other.commit().await.unwrap();
    });
    let (status, body) = json(res).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(statuses(&body), ["created", "updated", "created"], "{body}");
    assert_eq!(body["items"][1]["id"], theirs.to_string());
    assert_eq!(body["items"][1]["version"], 2);
    let (_, read) = json(app.get("/api/v1/consultants/external/teamtailor/c-2").await).await;
    assert_eq!((read["name"].as_str(), read["version"].as_i64()), (Some("Erik"), Some(2)));
    assert_eq!(child_rows(app.db.url(), &theirs.to_string()).await, (2, 2));
    for i in [0, 2] {
        let id = body["items"][i]["id"].as_str().unwrap();
        assert_eq!(child_rows(app.db.url(), id).await, (1, if i == 0 { 1 } else { 0 }));
    }
    db.close().await.unwrap();
}

#[actix_web::test]
async fn an_assignment_batch_writes_must_and_can_rows_and_replaces_them_on_update() {
    let app = spawn_app().await;
    let mut stored = staffmatch::api::dto::assignment_example();
    stored["source"] = json!("teamtailor");
    stored["external_id"] = json!("job-77");
    let res = app.send_json(reqwest::Method::PUT, "/api/v1/assignments/external/teamtailor/job-77", &stored).await;
    let (status, first) = json(res).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");

    let items = json!({"items": [
        {"title": "Ny", "must_have": [{"skill": "ITIL"}], "can_have": [{"skill": "Java"}, {"skill": "Go"}],
         "languages": [{"code": "sv", "min_level": "C1"}]},
        {"source": "teamtailor", "external_id": "job-77", "title": "Uppdaterad", "must_have": [{"skill": "Scrum"}]},
    ]});
    let (status, body) = json(app.post("/api/v1/assignments/batch", &items).await).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(statuses(&body), ["created", "updated"]);
    assert_eq!((body["items"][1]["id"].clone(), body["items"][1]["version"].as_i64()), (first["id"].clone(), Some(2)));

    let db = sea_orm::Database::connect(app.db.url()).await.unwrap();
    let rows = |id: &Value| {
        let id = Uuid::parse_str(id.as_str().unwrap()).unwrap();
        let db = &db;
        async move {
            let skills = assignment_skill::Entity::find()
                .filter(assignment_skill::Column::AssignmentId.eq(id))
                .all(db)
                .await
                .unwrap()
                .into_iter()
                .map(|r| (r.kind, r.position, r.name))
                .collect::<Vec<_>>();
            let languages = assignment_language::Entity::find()
                .filter(assignment_language::Column::AssignmentId.eq(id))
                .count(db)
                .await
                .unwrap();
            (skills, languages)
        }
    };
    let (mut skills, languages) = rows(&body["items"][0]["id"]).await;
    skills.sort();
    assert_eq!(
        skills,
        [("can".into(), 0, "Java".into()), ("can".into(), 1, "Go".into()), ("must".into(), 0, "ITIL".into())]
    );
    assert_eq!(languages, 1);
    let (skills, languages) = rows(&first["id"]).await;
    assert_eq!(skills, [("must".to_string(), 0, "Scrum".to_string())], "the stored rows are replaced");
    assert_eq!(languages, 0);
    let (_, read) = json(app.get("/api/v1/assignments/external/teamtailor/job-77").await).await;
    assert_eq!((read["title"].as_str(), read["version"].as_i64()), (Some("Uppdaterad"), Some(2)));

    // A deleted assignment takes its child rows with it.
    let res = app.delete(&format!("/api/v1/assignments/{}", body["items"][0]["id"].as_str().unwrap())).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(rows(&body["items"][0]["id"]).await, (vec![], 0));
    db.close().await.unwrap();
}
