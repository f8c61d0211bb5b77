//! The taxonomy over HTTP: search, relations, resolution, resolution of stored profiles,
//! and run-time additions that stored records and restarts pick up.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{fields, json, problem, spawn_app, spawn_app_on};

#[actix_web::test]
async fn search_finds_skills_in_both_languages_and_by_alias() {
    let app = spawn_app().await;
    for (q, id) in [
        ("Projektledning", "project-management"),
        ("k8s", "kubernetes"),
        ("systemförvaltning", "application-management"),
    ] {
        let (status, page) = json(app.get(&format!("/api/v1/skills?q={q}&limit=5")).await).await;
        assert_eq!(status, StatusCode::OK);
        let ids: Vec<&str> = page["items"].as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap()).collect();
        assert_eq!(ids.first().copied(), Some(id), "{q}: {ids:?}");
    }
    let (_, all) = json(app.get("/api/v1/skills?limit=200").await).await;
    assert_eq!(all["items"].as_array().unwrap().len(), 200);
    let next = all["next_cursor"].as_str().unwrap();
    let (_, page2) = json(app.get(&format!("/api/v1/skills?limit=200&cursor={next}")).await).await;
    assert_ne!(page2["items"][0]["id"], all["items"][0]["id"]);
}

#[actix_web::test]
async fn a_skill_is_served_with_its_relations() {
    let app = spawn_app().await;
    let (status, scrum) = json(app.get("/api/v1/skills/scrum").await).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(scrum["label_en"], "Scrum");
    assert!(scrum["broader"].as_array().unwrap().iter().any(|b| b["id"] == "agile-methods"), "{scrum}");
    assert!(scrum["narrower"].as_array().unwrap().iter().any(|b| b["id"] == "scrum-master"), "{scrum}");
    problem(app.get("/api/v1/skills/no-such-skill").await, 404, "not_found").await;
}

#[actix_web::test]
async fn resolve_reports_method_and_similarity_for_each_name() {
    let app = spawn_app().await;
    let body =
        json!({"names": ["Agil projektledning", "k8s", "ITIL 4", "Kubernets", "Java", "Underwater basket weaving"]});
    let (status, res) = json(app.post("/api/v1/skills/resolve", &body).await).await;
    assert_eq!(status, StatusCode::OK);
    let r = res["results"].as_array().unwrap();
    assert_eq!(
        (r[0]["skill"]["id"].as_str(), r[0]["method"].as_str()),
        (Some("agile-project-management"), Some("exact"))
    );
    assert_eq!(r[0]["via"], "Swedish label");
    assert_eq!((r[1]["skill"]["id"].as_str(), r[1]["method"].as_str()), (Some("kubernetes"), Some("alias")));
    assert_eq!(r[2]["skill"]["id"], "itil");
    assert_eq!((r[3]["skill"]["id"].as_str(), r[3]["method"].as_str()), (Some("kubernetes"), Some("fuzzy")));
    assert!(r[3]["similarity"].as_f64().unwrap() < 1.0);
    assert_eq!(r[4]["skill"]["id"], "java");
    assert_eq!((r[5]["skill"].clone(), r[5]["method"].as_str()), (serde_json::Value::Null, Some("none")));
    let bad =
        problem(app.post("/api/v1/skills/resolve", &json!({"names": [""], "x": 1})).await, 422, "validation_failed")
            .await;
    assert_eq!(fields(&bad), ["names[0]", "x"]);
}

#[actix_web::test]
async fn stored_skills_carry_their_resolution_and_keep_the_text_given() {
    let app = spawn_app().await;
    let body = json!({"name": "Anna", "skills": [{"name": "Agil projektledning"}, {"name": "k8s"}, {"name": "Kaffebryggning"}]});
    let created = app.create("/api/v1/consultants", &body).await;
    let s = &created["skills"];
    assert_eq!(
        s[0],
        json!({"name": "Agil projektledning", "years": null, "level": null, "resolved": {"skill_id": "agile-project-management", "method": "exact"}})
    );
    assert_eq!(s[1]["resolved"], json!({"skill_id": "kubernetes", "method": "alias"}));
    assert_eq!(s[2]["resolved"], serde_json::Value::Null);
}

#[actix_web::test]
async fn an_alias_added_at_run_time_resolves_stored_profiles_and_survives_a_restart() {
    let app = spawn_app().await;
    let created =
        app.create("/api/v1/consultants", &json!({"name": "Anna", "skills": [{"name": "Kaffebryggning"}]})).await;
    let path = format!("/api/v1/consultants/{}", created["id"].as_str().unwrap());

    let (status, skill) = json(app.post("/api/v1/skills", &json!({"id": "coffee-brewing", "label_en": "Coffee brewing", "label_sv": "Kaffekokning", "category": "soft-skills"})).await).await;
    assert_eq!(status, StatusCode::CREATED, "{skill}");
    let (status, skill) =
        json(app.post("/api/v1/skills/coffee-brewing/aliases", &json!({"alias": "Kaffebryggning"})).await).await;
    assert_eq!(status, StatusCode::CREATED, "{skill}");
    assert_eq!(skill["aliases"], json!(["Kaffebryggning"]));

    let (_, read) = json(app.get(&path).await).await;
    assert_eq!(read["skills"][0]["resolved"], json!({"skill_id": "coffee-brewing", "method": "alias"}));
    assert_eq!(read["version"], 1, "derived data is not a change");

    let clash = problem(
        app.post("/api/v1/skills/coffee-brewing/aliases", &json!({"alias": "k8s"})).await,
        422,
        "validation_failed",
    )
    .await;
    assert!(clash["detail"].as_str().unwrap().contains("kubernetes"), "{clash}");
    problem(app.post("/api/v1/skills/nope/aliases", &json!({"alias": "x"})).await, 404, "not_found").await;

    let app = spawn_app_on(app.stop().await).await;
    let (_, res) = json(app.post("/api/v1/skills/resolve", &json!({"names": ["Kaffebryggning"]})).await).await;
    assert_eq!(res["results"][0]["skill"]["id"], "coffee-brewing");
}
