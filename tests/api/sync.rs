//! Incremental sync: `updated_since` on the list endpoints, combined with the cursor.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{consultant, fresh_db, json, problem, spawn_app, spawn_app_on, spawn_app_with};

#[actix_web::test]
async fn updated_since_keeps_changed_records_in_a_stable_paged_order() {
    let app = spawn_app().await;
    let mut made = Vec::new();
    for i in 1..=5 {
        made.push(app.create("/api/v1/consultants", &consultant(&format!("Konsult {i}"))).await);
    }
    let since = made[2]["updated_at"].as_str().unwrap().to_string();
    let id1 = made[0]["id"].as_str().unwrap();
    let res =
        app.send_json(Method::PATCH, &format!("/api/v1/consultants/{id1}"), &json!({"capacity_percent": 80})).await;
    assert_eq!(res.status(), StatusCode::OK);

    let q = |extra: &str| format!("/api/v1/consultants?limit=2&updated_since={}{extra}", since.replace('+', "%2B"));
    let (status, page1) = json(app.get(&q("")).await).await;
    assert_eq!(status, StatusCode::OK, "{page1}");
    let names = |p: &serde_json::Value| -> Vec<String> {
        p["items"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap().to_string()).collect()
    };
    assert_eq!(names(&page1), ["Konsult 1", "Konsult 3"], "creation order, changed ones only");
    let cursor = page1["next_cursor"].as_str().unwrap();
    let (_, page2) = json(app.get(&q(&format!("&cursor={cursor}"))).await).await;
    assert_eq!(names(&page2), ["Konsult 4", "Konsult 5"]);
    assert!(page2["next_cursor"].is_null(), "{page2}");

    let (_, all) = json(app.get("/api/v1/assignments?updated_since=2000-01-01T00:00:00+00:00").await).await;
    assert_eq!(all["items"], json!([]), "an unencoded + offset is accepted");
    let res = app.get("/api/v1/consultants?updated_since=yesterday").await;
    let body = problem(res, 400, "invalid_parameter").await;
    assert_eq!(body["errors"][0]["field"], "updated_since");
}

/// An ATS reconciles its own records (`source`), a recruiter lists the assignments in some
/// states (`status`); both combine with `updated_since` and keep the paged order.
#[actix_web::test]
async fn lists_filter_by_ats_and_by_assignment_status_across_pages() {
    let app = spawn_app().await;
    for (i, source) in
        [Some("teamtailor"), None, Some("jobylon"), Some("teamtailor"), Some("teamtailor")].iter().enumerate()
    {
        let mut c = consultant(&format!("Konsult {}", i + 1));
        if let Some(s) = source {
            c["source"] = json!(s);
            c["external_id"] = json!(format!("c-{i}"));
        }
        app.create("/api/v1/consultants", &c).await;
    }
    let names = |p: &serde_json::Value, field: &str| -> Vec<String> {
        p["items"].as_array().unwrap().iter().map(|c| c[field].as_str().unwrap().to_string()).collect()
    };
    let (status, page1) = json(app.get("/api/v1/consultants?source=teamtailor&limit=2").await).await;
    assert_eq!(status, StatusCode::OK, "{page1}");
    assert_eq!(names(&page1, "name"), ["Konsult 1", "Konsult 4"]);
    let cursor = page1["next_cursor"].as_str().unwrap();
    let (_, page2) =
        json(app.get(&format!("/api/v1/consultants?source=teamtailor&limit=2&cursor={cursor}")).await).await;
    assert_eq!(names(&page2, "name"), ["Konsult 5"]);
    assert!(page2["next_cursor"].is_null(), "{page2}");
    let (_, none) = json(app.get("/api/v1/consultants?source=workday").await).await;
    assert_eq!(none["items"], json!([]));

    for (title, status) in
        [("Utkast", "draft"), ("Öppet", "open"), ("Pausat", "on_hold"), ("Tillsatt", "filled"), ("Öppet 2", "open")]
    {
        app.create("/api/v1/assignments", &json!({"title": title, "status": status})).await;
    }
    let (_, open) = json(app.get("/api/v1/assignments?status=open").await).await;
    assert_eq!(names(&open, "title"), ["Öppet", "Öppet 2"]);
    let (_, some) = json(app.get("/api/v1/assignments?status=open,on_hold&limit=2").await).await;
    assert_eq!(names(&some, "title"), ["Öppet", "Pausat"]);
    let cursor = some["next_cursor"].as_str().unwrap();
    let (_, rest) =
        json(app.get(&format!("/api/v1/assignments?status=open,on_hold&limit=2&cursor={cursor}")).await).await;
    assert_eq!(names(&rest, "title"), ["Öppet 2"]);

    let body = problem(
        app.get("/api/v1/assignments?status=open,archived&source=Team%20Tailor").await,
        400,
        "invalid_parameter",
    )
    .await;
    let mut named = crate::helpers::fields(&body);
    named.sort_unstable();
    assert_eq!(named, ["source", "status"], "every bad filter is named: {body}");
    assert!(body.to_string().contains("archived"), "{body}");
}

#[actix_web::test]
async fn a_full_resync_marks_only_the_records_that_changed() {
    let app = spawn_app().await;
    let people = |edited: &str| {
        let items: Vec<serde_json::Value> = (1..=3)
            .map(|i| {
                let mut c = consultant(if i == 2 { edited } else { ["", "Konsult 1", "", "Konsult 3"][i] });
                c["source"] = json!("teamtailor");
                c["external_id"] = json!(format!("c-{i}"));
                c
            })
            .collect();
        json!({ "items": items })
    };
    let (status, first) = json(app.post("/api/v1/consultants/batch", &people("Konsult 2")).await).await;
    assert_eq!((status, &first["created"]), (StatusCode::OK, &json!(3)), "{first}");
    let path = "/api/v1/consultants/external/teamtailor/c-3";
    let (_, before) = json(app.get(path).await).await;
    // Anything stored from here on is newer than the first sync.
    let marker = app.create("/api/v1/consultants", &consultant("Markör")).await;
    let since = marker["updated_at"].as_str().unwrap().replace('+', "%2B");

    // The ATS's next full sync sends all three again, one of them edited meanwhile.
    let (_, second) = json(app.post("/api/v1/consultants/batch", &people("Konsult 2 Ek")).await).await;
    let outcome: Vec<(&str, i64)> = second["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["status"].as_str().unwrap(), r["version"].as_i64().unwrap()))
        .collect();
    assert_eq!(outcome, [("unchanged", 1), ("updated", 2), ("unchanged", 1)]);
    let (status, same) = json(app.send_json(Method::PUT, path, &consultant("Konsult 3")).await).await;
    assert_eq!((status, &same["version"], &same["updated_at"]), (StatusCode::OK, &json!(1), &before["updated_at"]));

    let (_, changed) = json(app.get(&format!("/api/v1/consultants?updated_since={since}")).await).await;
    let names: Vec<&str> = changed["items"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Konsult 2 Ek", "Markör"], "a downstream reader sees what changed, not the whole re-push");
}

/// The ids on a page of `GET …/deleted`.
fn deleted_ids(page: &serde_json::Value) -> Vec<String> {
    page["items"].as_array().unwrap().iter().map(|d| d["id"].as_str().unwrap().to_string()).collect()
}

#[actix_web::test]
async fn deletions_since_a_sync_are_listed_for_clients_that_poll() {
    let app = spawn_app().await;
    let id = |v: &serde_json::Value| v["id"].as_str().unwrap().to_string();
    let early = app.create("/api/v1/consultants", &consultant("Tidig")).await;
    assert_eq!(app.delete(&format!("/api/v1/consultants/{}", id(&early))).await.status(), StatusCode::NO_CONTENT);
    // The previous sync started here.
    let marker = app.create("/api/v1/consultants", &consultant("Markör")).await;
    let since = marker["updated_at"].as_str().unwrap().replace('+', "%2B");

    let mut from_ats = consultant("Anna Lindqvist");
    from_ats["source"] = json!("teamtailor");
    from_ats["external_id"] = json!("c-2");
    let anna = app.create("/api/v1/consultants", &from_ats).await;
    let bertil = app.create("/api/v1/consultants", &consultant("Bertil")).await;
    let kept = app.create("/api/v1/consultants", &consultant("Cecilia")).await;
    let task = app.create("/api/v1/assignments", &json!({"title": "IT-projektledare"})).await;
    assert_eq!(app.delete("/api/v1/consultants/external/teamtailor/c-2").await.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.delete(&format!("/api/v1/consultants/{}", id(&bertil))).await.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.delete(&format!("/api/v1/assignments/{}", id(&task))).await.status(), StatusCode::NO_CONTENT);

    let (status, page) = json(app.get(&format!("/api/v1/consultants/deleted?since={since}")).await).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(deleted_ids(&page), [id(&anna), id(&bertil)], "deleted since the marker, in id order: {page}");
    assert_eq!((&page["items"][0]["source"], &page["items"][0]["external_id"]), (&json!("teamtailor"), &json!("c-2")));
    assert!(page["items"][1]["source"].is_null() && page["items"][1]["external_id"].is_null(), "{page}");
    let time = |v: &serde_json::Value| chrono::DateTime::parse_from_rfc3339(v.as_str().unwrap()).unwrap();
    assert!(time(&page["items"][1]["deleted_at"]) >= time(&marker["updated_at"]), "{page}");
    assert!(page["next_cursor"].is_null());
    let (_, listed) = json(app.get(&format!("/api/v1/consultants?updated_since={since}")).await).await;
    let names: Vec<&str> = listed["items"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Markör", "Cecilia"], "the list holds what is still there: {listed}");
    assert_eq!(id(&listed["items"][1]), id(&kept));

    // A page at a time, and everything kept when no time is given.
    let (_, first) = json(app.get(&format!("/api/v1/consultants/deleted?since={since}&limit=1")).await).await;
    assert_eq!(deleted_ids(&first), [id(&anna)]);
    let cursor = first["next_cursor"].as_str().unwrap();
    let (_, second) =
        json(app.get(&format!("/api/v1/consultants/deleted?since={since}&limit=1&cursor={cursor}")).await).await;
    assert_eq!(deleted_ids(&second), [id(&bertil)]);
    assert!(second["next_cursor"].is_null(), "{second}");
    let (_, all) = json(app.get("/api/v1/consultants/deleted").await).await;
    assert_eq!(deleted_ids(&all), [id(&early), id(&anna), id(&bertil)]);
    let (_, tasks) = json(app.get(&format!("/api/v1/assignments/deleted?since={since}")).await).await;
    assert_eq!(deleted_ids(&tasks), [id(&task)], "each resource lists its own deletions");

    // A restart loses nothing.
    let app = spawn_app_on(app.stop().await).await;
    let (_, again) = json(app.get("/api/v1/consultants/deleted").await).await;
    assert_eq!(deleted_ids(&again), deleted_ids(&all));

    let body =
        problem(app.get("/api/v1/consultants/deleted?since=last-week&cursor=nope").await, 400, "invalid_parameter")
            .await;
    let mut named: Vec<&str> =
        body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    named.sort_unstable();
    assert_eq!(named, ["cursor", "since"], "every bad parameter is named: {body}");
}

#[actix_web::test]
async fn asking_for_deletions_older_than_those_kept_or_recorded_says_to_sync_in_full() {
    use migration::{DELETIONS_MIGRATION, seaql_migrations as applied};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};

    let days_ago = |d: i64| (chrono::Utc::now() - chrono::Duration::days(d)).to_rfc3339().replace('+', "%2B");
    let app = spawn_app_with(fresh_db().await, |s| s.deletion_retention_days = 30).await;
    let res = app.get("/api/v1/assignments/deleted?since=2020-01-01T00:00:00Z").await;
    let body = problem(res, 410, "deletions_expired").await;
    assert_eq!(body["errors"][0]["field"], "since", "{body}");
    assert!(body["detail"].as_str().unwrap().contains("kept for 30 days"), "{body}");
    // Within the retention, but before this release recorded deletions at all.
    let res = app.get(&format!("/api/v1/assignments/deleted?since={}", days_ago(29))).await;
    let body = problem(res, 410, "deletions_expired").await;
    assert!(body["detail"].as_str().unwrap().contains("recorded since"), "{body}");

    // Installed 60 days ago: the retention is the limit.
    let db = sea_orm::Database::connect(app.db.url()).await.unwrap();
    applied::Entity::update_many()
        .col_expr(
            applied::Column::AppliedAt,
            Expr::value((chrono::Utc::now() - chrono::Duration::days(60)).timestamp()),
        )
        .filter(applied::Column::Version.eq(DELETIONS_MIGRATION))
        .exec(&db)
        .await
        .unwrap();
    db.close().await.unwrap();
    let app = spawn_app_with(app.stop().await, |s| s.deletion_retention_days = 30).await;
    let (status, page) = json(app.get(&format!("/api/v1/assignments/deleted?since={}", days_ago(29))).await).await;
    assert_eq!((status, page), (StatusCode::OK, json!({"items": [], "next_cursor": null})));
    problem(app.get(&format!("/api/v1/assignments/deleted?since={}", days_ago(31))).await, 410, "deletions_expired")
        .await;

    // Kept forever: only the time they were first recorded limits.
    let forever = spawn_app_with(app.stop().await, |s| s.deletion_retention_days = 0).await;
    let res = forever.get(&format!("/api/v1/assignments/deleted?since={}", days_ago(59))).await;
    assert_eq!(res.status(), StatusCode::OK);
    problem(forever.get("/api/v1/assignments/deleted?since=2020-01-01T00:00:00Z").await, 410, "deletions_expired")
        .await;
}

#[actix_web::test]
async fn deletions_past_their_retention_are_pruned() {
    let app = spawn_app().await;
    for name in ["Gammal", "Ny"] {
        let c = app.create("/api/v1/consultants", &consultant(name)).await;
        let res = app.delete(&format!("/api/v1/consultants/{}", c["id"].as_str().unwrap())).await;
        assert_eq!(res.status(), StatusCode::NO_CONTENT);
    }
    let (_, all) = json(app.get("/api/v1/consultants/deleted").await).await;
    let ids = deleted_ids(&all);
    assert_eq!(ids.len(), 2);
    back_date_deletion(app.db.url(), &ids[0], 91).await;
    // The housekeeping runs as the service starts, then every ten minutes.
    let app = spawn_app_on(app.stop().await).await;
    until_only_listed(&app, &ids[1..]).await;
}

/// Raising the retention cannot bring back what was pruned: a client asking for deletions
/// since a time whose deletions were pruned under the shorter retention is told to sync in
/// full, not handed a list that looks complete.
#[actix_web::test]
async fn after_the_retention_is_raised_pruned_deletions_are_not_reported_as_none() {
    use migration::{DELETIONS_MIGRATION, seaql_migrations as applied};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};

    let days_ago = |d: i64| (chrono::Utc::now() - chrono::Duration::days(d)).to_rfc3339().replace('+', "%2B");
    let app = spawn_app_with(fresh_db().await, |s| s.deletion_retention_days = 30).await;
    let mut ids = Vec::new();
    for name in ["Gammal", "Ny"] {
        let c = app.create("/api/v1/consultants", &consultant(name)).await;
        ids.push(c["id"].as_str().unwrap().to_string());
        assert_eq!(app.delete(&format!("/api/v1/consultants/{}", ids.last().unwrap())).await.status(), 204);
    }
    // Recorded for 200 days; the first deletion 31 days old, past a 30-day retention.
    let db = sea_orm::Database::connect(app.db.url()).await.unwrap();
    let back = |d: i64| chrono::Utc::now() - chrono::Duration::days(d);
    applied::Entity::update_many()
        .col_expr(applied::Column::AppliedAt, Expr::value(back(200).timestamp()))
        .filter(applied::Column::Version.eq(DELETIONS_MIGRATION))
        .exec(&db)
        .await
        .unwrap();
    db.close().await.unwrap();
    back_date_deletion(app.db.url(), &ids[0], 31).await;
    let app = spawn_app_with(app.stop().await, |s| s.deletion_retention_days = 30).await;
    until_only_listed(&app, &ids[1..]).await;

    // Kept for a year from now on: the 31-day-old deletion is gone all the same.
    let app = spawn_app_with(app.stop().await, |s| s.deletion_retention_days = 365).await;
    let body = problem(
        app.get(&format!("/api/v1/consultants/deleted?since={}", days_ago(40))).await,
        410,
        "deletions_expired",
    )
    .await;
    assert!(body["detail"].as_str().unwrap().contains("pruned under a shorter retention"), "{body}");
    assert_eq!(body["errors"][0]["field"], "since", "{body}");
    let (status, page) = json(app.get(&format!("/api/v1/consultants/deleted?since={}", days_ago(29))).await).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(deleted_ids(&page), ids[1..], "within what was kept, the list is complete");
    // Before the retention itself, the retention is the reason given.
    let body =
        problem(app.get("/api/v1/consultants/deleted?since=2020-01-01T00:00:00Z").await, 410, "deletions_expired")
            .await;
    assert!(body["detail"].as_str().unwrap().contains("kept for 365 days"), "{body}");
}

/// Moves the recorded deletion of `id` `days` into the past.
async fn back_date_deletion(url: &str, id: &str, days: i64) {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
    use staffmatch::store::entities::deletion;

    let db = sea_orm::Database::connect(url).await.unwrap();
    deletion::Entity::update_many()
        .col_expr(deletion::Column::DeletedAt, Expr::value(chrono::Utc::now() - chrono::Duration::days(days)))
        .filter(deletion::Column::Id.eq(uuid::Uuid::parse_str(id).unwrap()))
        .exec(&db)
        .await
        .unwrap();
    db.close().await.unwrap();
}

/// Waits (up to 10 s) until the consultant deletions listed are exactly `ids`: the
/// housekeeping runs as the service starts, then every ten minutes.
async fn until_only_listed(app: &crate::helpers::TestApp, ids: &[String]) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let (_, left) = json(app.get("/api/v1/consultants/deleted").await).await;
        if deleted_ids(&left) == ids {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "not pruned: {left}");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// `?cursor=` with no value is the first page, not a 400: the schema allows an empty string
/// and generated clients send one for an unset parameter (issue 24).
#[actix_web::test]
async fn an_empty_cursor_is_the_first_page() {
    let app = spawn_app().await;
    app.create("/api/v1/consultants", &consultant("Anna")).await;
    for path in ["/api/v1/consultants?cursor=", "/api/v1/assignments?cursor=&limit=5", "/api/v1/skills?q=scrum&cursor="]
    {
        let (status, body) = json(app.get(path).await).await;
        assert_eq!(status, StatusCode::OK, "{path}: {body}");
    }
    let (_, page) = json(app.get("/api/v1/consultants?cursor=").await).await;
    assert_eq!(page["items"][0]["name"], "Anna");
    let res = app.get("/api/v1/consultants?cursor=garbage").await;
    problem(res, 400, "invalid_parameter").await;
}
