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
    HttpResponse::Ok().json(Health { status: "ok".into(), checks: vec![] })
}

/// Readiness: the database answers. 503 otherwise, so a load balancer stops sending traffic.
#[utoipa::path(tag = "Operations", description = "Checks that the database answers and the match index is loaded; 503 with the failing check otherwise. Needs no key.", responses(
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
    let ok = db == "ok";
    // The index is built before the server listens, so a serving process always has it.
    let indexed = state.index_stats().consultants;
    let body = Health {
        status: if ok { "ok".into() } else { "unavailable".into() },
        checks: vec![
            Check { name: "database".into(), status: db },
            Check { name: "match_index".into(), status: format!("ok ({indexed} consultants)") },
        ],
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
    let gauges = [
        ("staffmatch_index_consultants", "Consultants in the match index.", consultants as f64),
        ("staffmatch_index_assignments", "Assignments held for matching.", assignments as f64),
        ("staffmatch_index_bytes", "Approximate memory of the consultant index.", index_bytes as f64),
        ("staffmatch_index_compactions", "Compactions of the consultant index since start.", compactions as f64),
        ("staffmatch_db_pool_connections", "Open database connections.", pool.0 as f64),
        ("staffmatch_db_pool_idle_connections", "Idle database connections.", pool.1 as f64),
    ];
    HttpResponse::Ok().content_type("text/plain; version=0.0.4; charset=utf-8").body(metrics.render(&gauges))
}
