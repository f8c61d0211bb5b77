//! Logging with `tracing` (text by default, JSON lines with `STAFFMATCH_LOG_FORMAT=json`),
//! request ids, and the request middleware that logs and measures every request.

use std::time::Instant;

use actix_web::Error;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::web;
use tracing::Instrument;
use tracing_subscriber::EnvFilter;

use crate::metrics::Metrics;

tokio::task_local! {
    static REQUEST_ID: String;
}

/// The header carrying the request id, both ways.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// The log filter when `RUST_LOG` is not set.
pub const DEFAULT_FILTER: &str = "info,sqlx=warn,sea_orm=warn";

/// Installs the global subscriber with `RUST_LOG`, or `default_filter` when it is unset.
/// `json` selects JSON lines. Safe to call twice (the second call does nothing), which the
/// tests rely on.
pub fn init(json: bool, default_filter: &str) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_filter));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let _ = if json { builder.json().flatten_event(true).try_init() } else { builder.try_init() };
}

/// The id of the request being handled on this task, if any.
pub fn current_request_id() -> Option<String> {
    REQUEST_ID.try_with(Clone::clone).ok()
}

fn incoming_id(req: &ServiceRequest) -> String {
    req.headers()
        .get(REQUEST_ID_HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|s| !s.is_empty() && s.len() <= 128 && s.bytes().all(|b| b.is_ascii_graphic()))
        .map(str::to_string)
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string())
}

/// Middleware: assigns a request id (or keeps a sane incoming `X-Request-Id`), opens a
/// span, logs the outcome and records metrics by route pattern and status. The route joins
/// the span when the response is ready, so the outcome's log line carries it.
pub async fn observe(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let start = Instant::now();
    let id = incoming_id(&req);
    let method = req.method().to_string();
    let metrics = req.app_data::<web::Data<Metrics>>().cloned();
    // The route pattern is read once the router has matched the request: before, it would
    // be found by matching the path against the route patterns a second time.
    let span = tracing::info_span!("request", request_id = %id, %method, route = tracing::field::Empty);
    let res = REQUEST_ID.scope(id.clone(), next.call(req).instrument(span.clone())).await;
    let elapsed = start.elapsed();
    match res {
        Ok(mut res) => {
            let route = res.request().match_pattern().unwrap_or_else(|| "unmatched".to_string());
            span.record("route", route.as_str());
            let status = res.status().as_u16();
            if let Ok(v) = HeaderValue::from_str(&id) {
                res.headers_mut().insert(HeaderName::from_static(REQUEST_ID_HEADER), v);
            }
            if let Some(m) = metrics {
                m.observe_request(&method, &route, status, elapsed);
            }
            span.in_scope(|| {
                let ms = elapsed.as_secs_f64() * 1000.0;
                if status >= 500 {
                    tracing::error!(status, elapsed_ms = ms, "request failed");
                } else {
                    tracing::info!(status, elapsed_ms = ms, "request");
                }
            });
            Ok(res)
        }
        Err(e) => Err(e),
    }
}
