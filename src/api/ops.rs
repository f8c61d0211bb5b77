//! Operational endpoints: liveness, readiness and Prometheus metrics. No key needed.

use actix_web::{HttpResponse, get, web};
use serde::Serialize;
use utoipa::ToSchema;

use crate::metrics::Metrics;
use crate::service::AppState;

/// Health answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// `ok`, or `unavailable` with the reason in `checks`.
    #[schema(example = "ok")]
    pub status: String,
    /// Each dependency's state.
    pub checks: Vec<Check>,
    /// The change-feed position this replica's index has reached (readiness only; opaque):
    /// every write whose `Staffmatch-Index-Position` is below it is applied here.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "48213")]
    pub index_position: Option<String>,
    /// Seconds since this replica's index last held every committed change (readiness only;
    /// 0 on SQLite, where one process makes and applies every write).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = 0.12)]
    pub index_lag_seconds: Option<f64>,
}

/// One dependency's state.
#[derive(Debug, Serialize, ToSchema)]
pub struct Check {
    /// What was checked.
    #[schema(example = "database")]
    pub name: String,
    /// `ok` or the failure.
    #[schema(example = "ok")]
    pub status: String,
}

/// Liveness: the process is up.
#[utoipa::path(
    tag = "Operations",
    description = "Answers 200 while the process serves HTTP; checks nothing else. Needs no key. Use it as a liveness probe; use `/readyz` to decide whether to send traffic.",
    responses((status = 200, description = "Alive", body = Health))
)]
#[get("/healthz")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(Health {
        status: "ok".into(),
        checks: vec![],
        index_position: None,
        index_lag_seconds: None,
    })
}

/// Readiness: the database answers. 503 otherwise, so a load balancer stops sending traffic.
#[utoipa::path(tag = "Operations", description = "Checks that the database answers, the match index is loaded and, with several replicas on PostgreSQL, that the index follows the change feed within `STAFFMATCH_MAX_INDEX_LAG_SECS` (`index_lag_seconds`); 503 with the failing check otherwise. Reports the feed position reached (`index_position`). Needs no key.", responses(
    (status = 200, description = "Ready", body = Health),
    (status = 503, description = "Not ready", body = Health),
))]
#[get("/readyz")]
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let db = match state.store.ping().await {
        Ok(()) => "ok".to_string(),
        Err(e) => {
            tracing::warn!(error = %e, "readiness: database unreachable");
            "unreachable".to_string()
        }
    };
    let feed = state.feed.status();
    let ok = db == "ok" && feed.healthy;
    // The index is built before the server listens, so a serving process always has it.
    let indexed = state.index_stats().consultants;
    let lag = if feed.healthy {
        format!("ok ({:.2} s behind)", feed.lag_seconds)
    } else {
        format!("lagging ({:.1} s behind the database)", feed.lag_seconds)
    };
    let body = Health {
        status: if ok { "ok".into() } else { "unavailable".into() },
        checks: vec![
            Check { name: "database".into(), status: db },
            Check { name: "match_index".into(), status: format!("ok ({indexed} consultants)") },
            Check { name: "change_feed".into(), status: lag },
        ],
        index_position: Some(feed.position),
        index_lag_seconds: Some(feed.lag_seconds),
    };
    if ok { HttpResponse::Ok().json(body) } else { HttpResponse::ServiceUnavailable().json(body) }
}

/// Prometheus metrics in the text exposition format.
#[utoipa::path(
    tag = "Operations",
    description = "Request counts and latency histograms by method, route pattern and status, in the Prometheus text format. Needs no key; holds no personal data.",
    responses((status = 200, description = "Metrics", content_type = "text/plain; version=0.0.4", body = String))
)]
#[get("/metrics")]
pub async fn metrics(state: web::Data<AppState>, metrics: web::Data<Metrics>) -> HttpResponse {
    let pool = state.store.pool_stats();
    let stats = state.index_stats();
    let (consultants, assignments, index_bytes, compactions) =
        (stats.consultants, stats.assignments, stats.bytes, stats.compactions);
    let feed = state.feed.status();
    let gauges = [
        (
            "staffmatch_index_lag_seconds",
            "Seconds since the match index last held every change committed to the database.",
            feed.lag_seconds,
        ),
        ("staffmatch_index_feed_applied", "Changes from other replicas applied since start.", feed.applied as f64),
        ("staffmatch_index_reloads", "Full reloads of the index after falling behind the feed.", feed.reloads as f64),
        ("staffmatch_index_consultants", "Consultants in the match index.", consultants as f64),
        ("staffmatch_index_assignments", "Assignments held for matching.", assignments as f64),
        ("staffmatch_index_bytes", "Approximate memory of the consultant index.", index_bytes as f64),
        ("staffmatch_index_compactions", "Compactions of the consultant index since start.", compactions as f64),
        ("staffmatch_db_pool_connections", "Open database connections.", pool.0 as f64),
        ("staffmatch_db_pool_idle_connections", "Idle database connections.", pool.1 as f64),
    ];
    HttpResponse::Ok().content_type("text/plain; version=0.0.4; charset=utf-8").body(metrics.render(&gauges))
}
