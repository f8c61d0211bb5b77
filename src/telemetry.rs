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

/// Whether a client's `X-Request-Id` is kept: 1–128 characters of letters, digits and
/// `-_.:`, enough for UUIDs and trace ids and nothing that could forge a log line or a field
/// in one. Anything else is replaced by a fresh id.
fn safe_request_id(s: &str) -> bool {
    (1..=128).contains(&s.len())
        && s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
}

fn incoming_id(req: &ServiceRequest) -> String {
    req.headers()
        .get(REQUEST_ID_HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|s| safe_request_id(s))
        .map(str::to_string)
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string())
}

/// The method as a metrics label and log field: the standard methods by name, any other
/// (a client may send any token) as `OTHER`, so made-up methods cannot grow `/metrics`.
fn method_label(m: &actix_web::http::Method) -> &'static str {
    use actix_web::http::Method;
    match *m {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        Method::TRACE => "TRACE",
        Method::CONNECT => "CONNECT",
        _ => "OTHER",
    }
}

/// A user-supplied string made safe for a log line: control characters (newlines, ESC …)
/// are escaped as `\n`, `\u{1b}`, so no client can start a forged line or colour a
/// terminal. Use it for every logged string a client chose (`name = %Clean(&name)`).
pub struct Clean<'a>(pub &'a str);

impl std::fmt::Display for Clean<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use std::fmt::Write;
        for c in self.0.chars() {
            if c.is_control() {
                for e in c.escape_default() {
                    f.write_char(e)?;
                }
            } else {
                f.write_char(c)?;
            }
        }
        Ok(())
    }
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
    let method = method_label(req.method());
    let metrics = req.app_data::<web::Data<Metrics>>().cloned();
    // The route pattern is read once the router has matched the request: before, it would
    // be found by matching the path against the route patterns a second time.
    // `key_id` is filled in by the gate once the caller is known: every request's log line
    // says which API key acted (its id, never the secret).
    let span = tracing::info_span!(
        "request",
        request_id = %id,
        method,
        route = tracing::field::Empty,
        key_id = tracing::field::Empty
    );
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
                m.observe_request(method, &route, status, elapsed);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_escapes_control_characters_and_keeps_the_rest() {
        assert_eq!(Clean("Malmö sync").to_string(), "Malmö sync");
        assert_eq!(Clean("a\nINFO forged\u{1b}[31m").to_string(), "a\\nINFO forged\\u{1b}[31m");
    }

    #[test]
    fn request_ids_are_kept_only_in_a_safe_format() {
        for ok in ["4f9c2b6e-7d1a-4c1e-9a59-2f4b8e0d6c11", "trace:abc.123_x"] {
            assert!(safe_request_id(ok), "{ok}");
        }
        for bad in ["", "a b", "a\nb", "x=1", "\"quoted\"", &"a".repeat(129)] {
            assert!(!safe_request_id(bad), "{bad:?}");
        }
    }
}
