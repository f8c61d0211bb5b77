//! Request extraction that fails with problem+json: JSON bodies (content type, size limit,
//! syntax), `If-Match`, `If-None-Match`, and typed query parameters that name the offending
//! parameter.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::StreamExt;
use serde_json::Value;

use super::error::{ApiError, ApiResult, ErrorCode};
use crate::store::Expect;

/// The largest JSON body accepted, in bytes (batch bodies of 1,000 profiles fit).
pub const MAX_JSON_BYTES: usize = 8 * 1024 * 1024;

/// A JSON request body, already checked for content type, size and syntax.
pub struct JsonBody(pub Value);

/// Whether a content type names JSON (`application/json`, `application/*+json`).
fn is_json(ct: &str) -> bool {
    let essence = ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// Reads the whole body up to `limit` bytes, within the service's body timeout
/// (`STAFFMATCH_BODY_TIMEOUT_SECS`): a client trickling its body answers 408 instead of
/// holding a worker's connection for ever (actix times out the headers only).
pub async fn read_body<S>(req: &HttpRequest, payload: &mut S, limit: usize) -> ApiResult<web::BytesMut>
where
    S: futures_util::Stream<Item = Result<web::Bytes, actix_web::error::PayloadError>> + Unpin,
{
    if let Some(len) = req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<usize>().ok())
        && len > limit
    {
        return Err(too_large(limit));
    }
    let timeout = req
        .app_data::<web::Data<crate::service::AppState>>()
        .map_or(std::time::Duration::from_secs(30), |s| s.body_timeout);
    match actix_web::rt::time::timeout(timeout, read_all(payload, limit)).await {
        Ok(read) => read,
        Err(_) => Err(ApiError::new(
            ErrorCode::RequestTimeout,
            format!("the body did not arrive within {} s", timeout.as_secs()),
        )
        .with_header(header::CONNECTION, "close")),
    }
}

async fn read_all<S>(payload: &mut S, limit: usize) -> ApiResult<web::BytesMut>
where
    S: futures_util::Stream<Item = Result<web::Bytes, actix_web::error::PayloadError>> + Unpin,
{
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk =
            chunk.map_err(|e| ApiError::new(ErrorCode::MalformedJson, format!("could not read the body: {e}")))?;
        if body.len() + chunk.len() > limit {
            return Err(too_large(limit));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

fn too_large(limit: usize) -> ApiError {
    ApiError::new(ErrorCode::PayloadTooLarge, format!("the body must be at most {limit} bytes"))
}

impl FromRequest for JsonBody {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let mut payload = payload.take();
        Box::pin(async move {
            let ct = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
            if !is_json(ct) {
                let got = if ct.is_empty() { "no Content-Type".to_string() } else { format!("Content-Type {ct:?}") };
                return Err(ApiError::new(
                    ErrorCode::UnsupportedMediaType,
                    format!("send the body as application/json (got {got})"),
                )
                .field("Content-Type", "must be application/json"));
            }
            let body = read_body(&req, &mut payload, MAX_JSON_BYTES).await?;
            let value: Value = serde_json::from_slice(&body).map_err(|e| {
                ApiError::new(
                    ErrorCode::MalformedJson,
                    format!("invalid JSON at line {}, column {}: {e}", e.line(), e.column()),
                )
            })?;
            Ok(JsonBody(value))
        })
    }
}

/// A version no record ever has (versions start at 1): what an `If-Match` naming no version
/// this API could have sent asks for.
const NO_VERSION: i64 = 0;

/// Parses `If-Match` (`"3"`, `W/"3"` or `*`): `Some(version)` when a version is named. A value
/// that names no version this API sent (`null`, `3`, a foreign tag) is evaluated, not refused
/// (RFC 9110 §13.1.1): it matches no version, so the write is refused with 412 when the record
/// exists, and a missing record is still 404 (§13.2.1). It was a 400, though the schema
/// allowed such values (issue 24).
pub fn if_match(req: &HttpRequest) -> ApiResult<Option<i64>> {
    let Some(raw) = req.headers().get(header::IF_MATCH) else {
        return Ok(None);
    };
    let s = raw.to_str().unwrap_or("").trim();
    if s == "*" {
        return Ok(None);
    }
    Ok(Some(tag_version(s).unwrap_or(NO_VERSION)))
}

/// What an upsert by ATS id requires, from `If-Match` (`"3"`: that version; `*`: that the
/// record exists) and `If-None-Match` (`*`: that it does not: create only). A write understands
/// no other `If-None-Match`, and not both headers at once.
pub fn upsert_expect(req: &HttpRequest) -> ApiResult<Expect> {
    let none_match = req.headers().get(header::IF_NONE_MATCH);
    let is_any = |v: &header::HeaderValue| v.to_str().is_ok_and(|s| s.trim() == "*");
    match (req.headers().get(header::IF_MATCH), none_match) {
        // Evaluated as RFC 9110 §13.2.2 orders them, the two never hold together: If-Match
        // needs the record to exist, If-None-Match: * needs it not to (it was a 400, issue 24).
        (Some(_), Some(v)) if is_any(v) => Err(ApiError::new(
            ErrorCode::PreconditionFailed,
            "If-Match (replace only) and If-None-Match: * (create only) cannot both hold; send one of them",
        )
        .field("If-None-Match", "cannot hold together with If-Match")),
        (None, Some(v)) if is_any(v) => Ok(Expect::Absent),
        (_, Some(_)) => Err(ApiError::new(ErrorCode::InvalidHeader, "on a write If-None-Match can only be *")
            .field("If-None-Match", "must be * (create only)")),
        // `if_match` reads `*` as no version: any existing record.
        (Some(_), None) => Ok(if_match(req)?.map_or(Expect::Exists, Expect::Version)),
        (None, None) => Ok(Expect::Any),
    }
}

/// The version an entity tag this API sends names: `"3"`, or weakly `W/"3"`.
fn tag_version(tag: &str) -> Option<i64> {
    let tag = tag.strip_prefix("W/").unwrap_or(tag);
    tag.strip_prefix('"')?.strip_suffix('"')?.parse().ok()
}

/// Whether the request's `If-None-Match` names `version` (weakly, `W/"3"` as `"3"`; one of a
/// list; or `*`): the client's copy is current, and a read may answer 304. A tag this API
/// could not have sent simply does not match (RFC 9110 §13.1.2: the condition is evaluated,
/// never refused).
pub fn none_match(req: &HttpRequest, version: i64) -> bool {
    let Some(raw) = req.headers().get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    raw.split(',').map(str::trim).any(|tag| tag == "*" || tag_version(tag) == Some(version))
}

/// Query parameters as strings, read into typed values that name the offending parameter.
pub struct Params {
    map: HashMap<String, String>,
    errors: Vec<(String, String)>,
}

impl Params {
    /// Reads the query string.
    pub fn from_request(req: &HttpRequest) -> ApiResult<Params> {
        let map = web::Query::<HashMap<String, String>>::from_query(req.query_string())
            .map_err(|e| ApiError::new(ErrorCode::InvalidParameter, format!("the query string is malformed: {e}")))?
            .into_inner();
        Ok(Params { map, errors: Vec::new() })
    }

    /// The raw text of a parameter.
    pub fn raw(&self, name: &str) -> Option<&str> {
        self.map.get(name).map(String::as_str)
    }

    /// An integer in `min..=max`.
    pub fn int(&mut self, name: &str, min: u64, max: u64) -> Option<u64> {
        let raw = self.map.get(name)?;
        match raw.parse::<u64>() {
            Ok(n) if (min..=max).contains(&n) => Some(n),
            _ => {
                self.errors.push((name.to_string(), format!("must be an integer from {min} to {max}, got {raw:?}")));
                None
            }
        }
    }

    /// A finite number in `min..=max`.
    pub fn number(&mut self, name: &str, min: f64, max: f64) -> Option<f64> {
        let raw = self.map.get(name)?;
        match raw.parse::<f64>() {
            Ok(n) if n.is_finite() && (min..=max).contains(&n) => Some(n),
            _ => {
                self.errors.push((name.to_string(), format!("must be a number from {min} to {max}, got {raw:?}")));
                None
            }
        }
    }

    /// `true` or `false`.
    pub fn boolean(&mut self, name: &str) -> Option<bool> {
        let raw = self.map.get(name)?;
        match raw.as_str() {
            "true" => Some(true),
            "false" => Some(false),
            _ => {
                self.errors.push((name.to_string(), format!("must be true or false, got {raw:?}")));
                None
            }
        }
    }

    /// Records a problem with a parameter.
    pub fn reject(&mut self, name: &str, message: impl Into<String>) {
        self.errors.push((name.to_string(), message.into()));
    }

    /// Fails with every parameter problem found, or returns `Ok`.
    pub fn finish(self) -> ApiResult<()> {
        if self.errors.is_empty() {
            return Ok(());
        }
        let n = self.errors.len();
        let mut e = ApiError::new(
            ErrorCode::InvalidParameter,
            if n == 1 {
                "1 query parameter is invalid".to_string()
            } else {
                format!("{n} query parameters are invalid")
            },
        );
        for (f, m) in self.errors {
            e = e.field(f, m);
        }
        Err(e)
    }
}
