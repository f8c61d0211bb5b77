//! `--demo`: the sample dataset is loaded through the API's write path on the first start,
//! and never again.

use serde_json::Value;

use crate::helpers::{TestApp, fresh_db, json, spawn_app_with};

/// Every record of a list, following `next_cursor`.
async fn all(app: &TestApp, path: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut url = format!("{path}?limit=500&source=staffmatch-demo");
    loop {
        let (status, page) = json(app.get(&url).await).await;
        assert_eq!(status, 200, "{page}");
        out.extend(page["items"].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_str() {
            Some(c) => url = format!("{path}?limit=500&source=staffmatch-demo&cursor={c}"),
            None => return out,
        }
    }
}

async fn seed_posting(app: &TestApp) -> Value {
    let res = app.get("/api/v1/assignments/external/staffmatch-demo/seed-it-project-manager-infrastructure").await;
    let (status, body) = json(res).await;
    assert_eq!(status, 200, "{body}");
    body
}

#[actix_web::test]
async fn the_demo_ranks_eligible_consultants_with_explanations_for_the_seed_posting() {
    let app = spawn_app_with(fresh_db().await, |s| s.demo = true).await;
    let consultants = all(&app, "/api/v1/consultants").await;
    let assignments = all(&app, "/api/v1/assignments").await;
    assert!(consultants.len() >= 200, "{} consultants", consultants.len());
    assert!(assignments.len() >= 10, "{} assignments", assignments.len());

    // Swedish and English profiles, from across Sweden, with languages and some clearances.
    let skill_texts: Vec<&str> =
        consultants.iter().flat_map(|c| c["skills"].as_array().unwrap()).filter_map(|s| s["name"].as_str()).collect();
    assert!(skill_texts.contains(&"Projektledning inom IT-infrastruktur"));
    assert!(skill_texts.contains(&"IT infrastructure project management"));
    let cities: std::collections::BTreeSet<&str> =
        consultants.iter().filter_map(|c| c["location"]["city"].as_str()).collect();
    assert!(cities.contains("Malmö") && cities.contains("Luleå") && cities.len() >= 12, "{cities:?}");
    assert!(consultants.iter().all(|c| !c["languages"].as_array().unwrap().is_empty()));
    assert!(consultants.iter().any(|c| c["clearance"]["level"] == "sk2"));

    // The seed posting is the ad as the parser read it, open, its dates still ahead.
    let seed = seed_posting(&app).await;
    assert_eq!(seed["title"], "IT Project Manager Infrastructure");
    assert_eq!(seed["location"]["city"], "Malmö");
    assert_eq!(seed["status"], "open");
    assert_eq!(seed["must_have"][0]["skill"], "IT infrastructure project management");
    let today = chrono::Utc::now().date_naive().to_string();
    assert!(seed["expires_at"].as_str().unwrap() > today.as_str(), "{}", seed["expires_at"]);

    let id = seed["id"].as_str().unwrap();
    let (status, ranking) = json(app.get(&format!("/api/v1/assignments/{id}/matches?limit=50")).await).await;
    assert_eq!(status, 200, "{ranking}");
    let items = ranking["items"].as_array().unwrap();
    assert!(items.len() >= 3, "only {} eligible: {ranking}", items.len());
    for item in items {
        assert_eq!(item["eligible"], true);
        let explanation = item["explanation"].as_array().unwrap();
        assert!(
            explanation.iter().any(|e| e["kind"] == "must_have" && e["status"] == "met"),
            "{} has no met must-have in {explanation:?}",
            item["name"]
        );
    }
    // The pair example the log names scores as it ranks.
    let anna = consultants.iter().find(|c| c["name"] == "Anna Lindqvist").unwrap();
    let listed = items.iter().find(|i| i["consultant_id"] == anna["id"]).expect("Anna Lindqvist is eligible");
    let (status, pair) =
        json(app.get(&format!("/api/v1/assignments/{id}/matches/{}", anna["id"].as_str().unwrap())).await).await;
    assert_eq!(status, 200, "{pair}");
    assert_eq!(pair["score"], listed["score"]);
}

#[actix_web::test]
async fn a_second_demo_start_loads_nothing_and_keeps_what_the_user_changed() {
    let app = spawn_app_with(fresh_db().await, |s| s.demo = true).await;
    let before = (all(&app, "/api/v1/consultants").await, all(&app, "/api/v1/assignments").await);
    // The user deletes one demo consultant and renames another.
    let gone = before.0[10]["id"].as_str().unwrap().to_string();
    let res = app.delete(&format!("/api/v1/consultants/{gone}")).await;
    assert_eq!(res.status(), 204);
    let kept = before.0[11]["id"].as_str().unwrap().to_string();
    let res = app
        .send_json(
            reqwest::Method::PATCH,
            &format!("/api/v1/consultants/{kept}"),
            &serde_json::json!({"name": "Ny Person"}),
        )
        .await;
    assert_eq!(res.status(), 200);

    let app = spawn_app_with(app.stop().await, |s| s.demo = true).await;
    let after = (all(&app, "/api/v1/consultants").await, all(&app, "/api/v1/assignments").await);
    assert_eq!(after.0.len(), before.0.len() - 1, "the deleted consultant stays deleted");
    assert_eq!(after.1.len(), before.1.len());
    assert!(after.0.iter().all(|c| c["id"] != gone.as_str()));
    let renamed = after.0.iter().find(|c| c["id"] == kept.as_str()).unwrap();
    assert_eq!(renamed["name"], "Ny Person");
    let versions = |v: &[Value]| v.iter().map(|r| (r["id"].clone(), r["version"].clone())).collect::<Vec<_>>();
    assert_eq!(versions(&after.1), versions(&before.1), "no assignment was written again");
}

#[actix_web::test]
async fn a_start_without_demo_loads_no_sample() {
    let app = spawn_app_with(fresh_db().await, |_| {}).await;
    assert!(all(&app, "/api/v1/consultants").await.is_empty());
    let res = app.get("/api/v1/assignments/external/staffmatch-demo/seed-it-project-manager-infrastructure").await;
    assert_eq!(res.status(), 404);
}
