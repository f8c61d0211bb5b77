//! Operational endpoints: liveness, readiness and Prometheus metrics. No key needed.

use actix_web::{HttpResponse, get, web};
use serde::Serialize;
use utoipa::ToSchema;

use crate::metrics::Metrics;
use crate::startup::AppState;

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
#[utoipa::path(tag = "Operations", responses((status = 200, description = "Alive", body = Health)))]
#[get("/healthz")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(Health { status: "ok".into(), checks: vec![] })
}

/// Readiness: the database answers. 503 otherwise, so a load balancer stops sending traffic.
#[utoipa::path(tag = "Operations", responses(
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
    let body = Health {
        status: if ok { "ok".into() } else { "unavailable".into() },
        checks: vec![Check { name: "database".into(), status: db }],
    };
    if ok { HttpResponse::Ok().json(body) } else { HttpResponse::ServiceUnavailable().json(body) }
}

/// Prometheus metrics in the text exposition format.
#[utoipa::path(tag = "Operations", responses((status = 200, description = "Metrics", content_type = "text/plain; version=0.0.4", body = String)))]
#[get("/metrics")]
pub async fn metrics(state: web::Data<AppState>, metrics: web::Data<Metrics>) -> HttpResponse {
    let pool = state.store.pool_stats();
    let gauges = [
        ("staffmatch_db_pool_connections", "Open database connections.", pool.0 as f64),
        ("staffmatch_db_pool_idle_connections", "Idle database connections.", pool.1 as f64),
    ];
    HttpResponse::Ok().content_type("text/plain; version=0.0.4; charset=utf-8").body(metrics.render(&gauges))
}
