//! `Idempotency-Key` on POST, with Stripe's semantics.
//!
//! The first POST with a key runs and its response (status, body, `Content-Type`,
//! `Location`, `ETag`) is stored for 24 hours under (API key, Idempotency-Key). A retry with
//! the same key and the same request (method, path, query and body, hashed) gets that
//! response again with `Idempotent-Replayed: true`; the same key with a different request
//! answers 422 `idempotency_conflict`. The key row is inserted *before* the request runs, in
//! a statement of its own, against a primary key: of two concurrent retries exactly one
//! runs, the other waits (polling) for its result, or answers 409 `idempotency_in_progress`
//! if it takes longer than [`WAIT`]. A response with status 500 or above is not kept, so
//! the request may be retried. `POST /api/v1/api-keys` is left out ([`applies_to`]): its
//! answer holds a secret that must not be stored; so are the audits (`POST /api/v1/audit/…`),
//! whose bodies hold categories of people that must never be stored.

use std::time::Duration;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage, HttpResponse, ResponseError, web};
use sha2::{Digest, Sha256};

use crate::api::error::{ApiError, ErrorCode, store_error};
use crate::api::extract::{MAX_JSON_BYTES, read_body};
use crate::auth::Caller;
use crate::service::AppState;
use crate::store::{IdempotencyBegin, StoredResponse};

/// The request header.
pub const IDEMPOTENCY_KEY: &str = "idempotency-key";
/// The response header marking a replay.
pub const REPLAYED: &str = "idempotent-replayed";
/// How long a concurrent retry waits for the first request before answering 409.
pub const WAIT: Duration = Duration::from_secs(10);
const POLL: Duration = Duration::from_millis(25);
/// Response headers stored and replayed.
const KEPT_HEADERS: [HeaderName; 4] =
    [header::CONTENT_TYPE, header::LOCATION, header::ETAG, super::position::POSITION_HEADER];

fn bad_key() -> ApiError {
    ApiError::new(ErrorCode::InvalidHeader, "Idempotency-Key must be 1–255 visible ASCII characters, e.g. a UUID")
        .field("Idempotency-Key", "must be 1–255 visible ASCII characters")
}

fn replay(stored: &StoredResponse) -> HttpResponse {
    let mut res = HttpResponse::build(StatusCode::from_u16(stored.status).unwrap_or(StatusCode::OK));
    for (name, value) in &stored.headers {
        if let (Ok(n), Ok(v)) = (HeaderName::try_from(name.as_str()), HeaderValue::from_str(value)) {
            res.insert_header((n, v));
        }
    }
    res.insert_header((HeaderName::from_static(REPLAYED), HeaderValue::from_static("true")));
    res.body(stored.body.clone())
}

fn request_hash(req: &ServiceRequest, body: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(req.method().as_str().as_bytes());
    h.update(b" ");
    h.update(req.match_info().as_str().as_bytes());
    h.update(b"?");
    h.update(req.query_string().as_bytes());
    h.update(b"\n");
    h.update(body);
    crate::auth::hex(&h.finalize())
}

/// Whether `Idempotency-Key` is honoured on `method path`: POSTs under `/api/v1`, except
/// key creation, whose answer (the new secret) must never be stored, and the audits, whose
/// requests carry categories of people that must never be stored (they store nothing, so a
/// retry is safe without a key).
pub fn applies_to(method: &str, path: &str) -> bool {
    method == "POST"
        && path.starts_with("/api/v1/")
        && !path.starts_with("/api/v1/api-keys")
        && !path.starts_with("/api/v1/audit/")
}

/// Middleware (inside the auth gate): applies `Idempotency-Key` to POSTs under `/api/v1`.
pub async fn middleware<B: MessageBody + 'static>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    // The path as the router serves it, so an encoded spelling of a route is the same route.
    let applies = applies_to(req.method().as_str(), req.match_info().as_str());
    let key = req.headers().get(IDEMPOTENCY_KEY).map(|v| v.to_str().map(str::to_string));
    let caller = req.extensions().get::<Caller>().cloned();
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let (Some(key), true, Some(caller), Some(state)) = (key, applies, caller, state) else {
        return next.call(req).await.map(ServiceResponse::map_into_boxed_body);
    };
    let key = match key {
        Ok(k) if !k.is_empty() && k.len() <= 255 && k.bytes().all(|b| b.is_ascii_graphic()) => k,
        _ => return Ok(req.into_response(bad_key().error_response())),
    };
    let (http_req, mut payload) = req.into_parts();
    let body = match read_body(&http_req, &mut payload, MAX_JSON_BYTES).await {
        Ok(b) => b.freeze(),
        Err(e) => return Ok(ServiceResponse::new(http_req, e.error_response())),
    };
    let req = ServiceRequest::from_parts(http_req, Payload::from(body.clone()));
    let hash = request_hash(&req, &body);
    let owner = caller.key_id.as_str();
    let begun = state.store.idempotency_begin(owner, &key, &hash).await;
    let existing = match begun {
        Ok(IdempotencyBegin::Started) => None,
        Ok(IdempotencyBegin::Existing(rec)) => Some(rec),
        Err(e) => return Ok(req.into_response(store_error("idempotency key", &key, e).error_response())),
    };
    if let Some(mut rec) = existing {
        if rec.request_hash != hash {
            let e = ApiError::new(
                ErrorCode::IdempotencyConflict,
                "this Idempotency-Key was used with a different request; use a new key for a new request",
            )
            .field("Idempotency-Key", "was first used with another method, path or body");
            return Ok(req.into_response(e.error_response()));
        }
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            if let Some(stored) = &rec.response {
                return Ok(req.into_response(replay(stored)));
            }
            if tokio::time::Instant::now() >= deadline {
                break;
            }
            tokio::time::sleep(POLL).await;
            match state.store.idempotency_get(owner, &key).await {
                Ok(Some(r)) => rec = r,
                Ok(None) | Err(_) => break,
            }
        }
        let e = ApiError::new(
            ErrorCode::IdempotencyInProgress,
            "a request with this Idempotency-Key is still being processed; retry shortly",
        )
        .with_header(header::RETRY_AFTER, "1");
        return Ok(req.into_response(e.error_response()));
    }
    let res = match next.call(req).await {
        Ok(res) => res,
        Err(e) => {
            let _ = state.store.idempotency_abandon(owner, &key).await;
            return Err(e);
        }
    };
    if res.status().is_server_error() {
        let _ = state.store.idempotency_abandon(owner, &key).await;
        return Ok(res.map_into_boxed_body());
    }
    let (http_req, res) = res.into_parts();
    let status = res.status().as_u16();
    let headers: Vec<(String, String)> = KEPT_HEADERS
        .iter()
        .filter_map(|n| Some((n.as_str().to_string(), res.headers().get(n)?.to_str().ok()?.to_string())))
        .collect();
    let (head, body) = res.into_parts();
    let bytes = match actix_web::body::to_bytes(body).await {
        Ok(b) => b,
        Err(_) => {
            let _ = state.store.idempotency_abandon(owner, &key).await;
            let e = ApiError::new(ErrorCode::Internal, "the response could not be read");
            return Ok(ServiceResponse::new(http_req, e.error_response()));
        }
    };
    if let Err(e) = state.store.idempotency_complete(owner, &key, status, &headers, &bytes).await {
        tracing::error!(error = %e, "could not store the idempotent response; the key is released");
        let _ = state.store.idempotency_abandon(owner, &key).await;
    }
    Ok(ServiceResponse::new(http_req, head.set_body(bytes).map_into_boxed_body()))
}
