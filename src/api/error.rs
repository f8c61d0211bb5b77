//! The one error type of the HTTP layer, rendered as RFC 9457 `application/problem+json`.
//!
//! Every error has a stable [`ErrorCode`]: a snake_case name clients can switch on, an HTTP
//! status and a `type` URI. Internal causes are logged with their chain and never sent to
//! the client.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::domain::{FieldError, FieldErrors};
use crate::store::StoreError;

/// The closed table of error codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    /// The body is not valid JSON.
    MalformedJson,
    /// The body is not valid UTF-8 text.
    InvalidEncoding,
    /// A query or path parameter is malformed or out of range.
    InvalidParameter,
    /// A header (e.g. `If-Match`) is malformed.
    InvalidHeader,
    /// The body is valid JSON but breaks a rule.
    ValidationFailed,
    /// No such resource.
    NotFound,
    /// No such route.
    RouteNotFound,
    /// The route exists, the method does not.
    MethodNotAllowed,
    /// `If-Match` names an old version.
    PreconditionFailed,
    /// The write conflicts with another record (e.g. the same `source` + `external_id`).
    Conflict,
    /// The body is larger than allowed.
    PayloadTooLarge,
    /// The body did not arrive in time.
    RequestTimeout,
    /// The body's content type is not accepted here.
    UnsupportedMediaType,
    /// Something failed on our side.
    Internal,
    /// A dependency (the database) is not available.
    Unavailable,
    /// No API key, or one that is invalid, revoked or expired.
    Unauthorized,
    /// The API key lacks the scope the route needs.
    Forbidden,
    /// The API key's rate limit is used up.
    RateLimited,
    /// An `Idempotency-Key` was reused with a different request.
    IdempotencyConflict,
    /// A request with the same `Idempotency-Key` is still running.
    IdempotencyInProgress,
    /// Deletions from that long ago are no longer kept: the client must sync in full.
    DeletionsExpired,
}

impl ErrorCode {
    /// Every code, for the documentation table.
    pub const ALL: &'static [ErrorCode] = &[
        ErrorCode::MalformedJson,
        ErrorCode::InvalidEncoding,
        ErrorCode::InvalidParameter,
        ErrorCode::InvalidHeader,
        ErrorCode::ValidationFailed,
        ErrorCode::NotFound,
        ErrorCode::RouteNotFound,
        ErrorCode::MethodNotAllowed,
        ErrorCode::PreconditionFailed,
        ErrorCode::Conflict,
        ErrorCode::PayloadTooLarge,
        ErrorCode::RequestTimeout,
        ErrorCode::UnsupportedMediaType,
        ErrorCode::Internal,
        ErrorCode::Unavailable,
        ErrorCode::Unauthorized,
        ErrorCode::Forbidden,
        ErrorCode::RateLimited,
        ErrorCode::IdempotencyConflict,
        ErrorCode::IdempotencyInProgress,
        ErrorCode::DeletionsExpired,
    ];

    /// The stable snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::MalformedJson => "malformed_json",
            ErrorCode::InvalidEncoding => "invalid_encoding",
            ErrorCode::InvalidParameter => "invalid_parameter",
            ErrorCode::InvalidHeader => "invalid_header",
            ErrorCode::ValidationFailed => "validation_failed",
            ErrorCode::NotFound => "not_found",
            ErrorCode::RouteNotFound => "route_not_found",
            ErrorCode::MethodNotAllowed => "method_not_allowed",
            ErrorCode::PreconditionFailed => "precondition_failed",
            ErrorCode::Conflict => "conflict",
            ErrorCode::PayloadTooLarge => "payload_too_large",
            ErrorCode::RequestTimeout => "request_timeout",
            ErrorCode::UnsupportedMediaType => "unsupported_media_type",
            ErrorCode::Internal => "internal_error",
            ErrorCode::Unavailable => "service_unavailable",
            ErrorCode::Unauthorized => "unauthorized",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::IdempotencyConflict => "idempotency_conflict",
            ErrorCode::IdempotencyInProgress => "idempotency_in_progress",
            ErrorCode::DeletionsExpired => "deletions_expired",
        }
    }

    /// The HTTP status.
    pub fn status(self) -> StatusCode {
        match self {
            ErrorCode::MalformedJson
            | ErrorCode::InvalidEncoding
            | ErrorCode::InvalidParameter
            | ErrorCode::InvalidHeader => StatusCode::BAD_REQUEST,
            ErrorCode::ValidationFailed => StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::NotFound | ErrorCode::RouteNotFound => StatusCode::NOT_FOUND,
            ErrorCode::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ErrorCode::PreconditionFailed => StatusCode::PRECONDITION_FAILED,
            ErrorCode::Conflict => StatusCode::CONFLICT,
            ErrorCode::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
            ErrorCode::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            ErrorCode::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::Unauthorized => StatusCode::UNAUTHORIZED,
            ErrorCode::Forbidden => StatusCode::FORBIDDEN,
            ErrorCode::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            ErrorCode::IdempotencyConflict => StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::IdempotencyInProgress => StatusCode::CONFLICT,
            ErrorCode::DeletionsExpired => StatusCode::GONE,
        }
    }

    /// A short, fixed human title.
    pub fn title(self) -> &'static str {
        match self {
            ErrorCode::MalformedJson => "The request body is not valid JSON",
            ErrorCode::InvalidEncoding => "The request body is not valid UTF-8",
            ErrorCode::InvalidParameter => "A request parameter is invalid",
            ErrorCode::InvalidHeader => "A request header is invalid",
            ErrorCode::ValidationFailed => "The request body breaks validation rules",
            ErrorCode::NotFound => "Resource not found",
            ErrorCode::RouteNotFound => "No such route",
            ErrorCode::MethodNotAllowed => "Method not allowed on this route",
            ErrorCode::PreconditionFailed => "The resource has changed",
            ErrorCode::Conflict => "The request conflicts with stored data",
            ErrorCode::PayloadTooLarge => "The request body is too large",
            ErrorCode::RequestTimeout => "The request body did not arrive in time",
            ErrorCode::UnsupportedMediaType => "Unsupported content type",
            ErrorCode::Internal => "Internal server error",
            ErrorCode::Unavailable => "Service unavailable",
            ErrorCode::Unauthorized => "A valid API key is required",
            ErrorCode::Forbidden => "The API key lacks a required scope",
            ErrorCode::RateLimited => "Too many requests",
            ErrorCode::IdempotencyConflict => "The Idempotency-Key was used with a different request",
            ErrorCode::IdempotencyInProgress => "A request with this Idempotency-Key is in progress",
            ErrorCode::DeletionsExpired => "Deletions from that long ago are no longer kept",
        }
    }

    /// The `type` URI: stable, and documented in the README's error table.
    pub fn type_uri(self) -> String {
        format!("https://staffmatch.dev/problems/{}", self.as_str().replace('_', "-"))
    }
}

/// One offending field in a problem.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ProblemField {
    /// JSON path of the field (`skills[0].years`), or the parameter or header name.
    #[schema(example = "skills[0].years")]
    pub field: String,
    /// What is wrong with it.
    #[schema(example = "must be between 0 and 60, got 75")]
    pub message: String,
}

/// An RFC 9457 problem document.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "type": "https://staffmatch.dev/problems/validation-failed",
    "title": "The request body breaks validation rules",
    "status": 422,
    "detail": "2 fields are invalid",
    "code": "validation_failed",
    "errors": [
        {"field": "name", "message": "is required"},
        {"field": "skills[0].years", "message": "must be between 0 and 60, got 75"}
    ]
}))]
pub struct Problem {
    /// A URI naming the kind of problem.
    #[serde(rename = "type")]
    pub kind: String,
    /// A short summary of the kind of problem.
    pub title: String,
    /// The HTTP status.
    pub status: u16,
    /// What went wrong this time.
    pub detail: String,
    /// The stable error code (snake_case).
    pub code: String,
    /// Every offending field (empty when the problem is not about fields).
    pub errors: Vec<ProblemField>,
    /// The request id, for support.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

/// An error answered to the client.
#[derive(Debug)]
pub struct ApiError {
    /// Which kind.
    pub code: ErrorCode,
    /// What went wrong this time.
    pub detail: String,
    /// Offending fields.
    pub errors: Vec<FieldError>,
    /// Extra response headers (e.g. the current `ETag` on 412).
    pub headers: Vec<(header::HeaderName, String)>,
}

impl ApiError {
    /// An error of `code` with a detail message.
    pub fn new(code: ErrorCode, detail: impl Into<String>) -> Self {
        ApiError { code, detail: detail.into(), errors: Vec::new(), headers: Vec::new() }
    }

    /// Adds an offending field.
    pub fn field(mut self, field: impl Into<String>, message: impl Into<String>) -> Self {
        self.errors.push(FieldError { field: field.into(), message: message.into() });
        self
    }

    /// 422 naming every offending field.
    pub fn validation(errs: FieldErrors) -> Self {
        let n = errs.0.len();
        ApiError {
            code: ErrorCode::ValidationFailed,
            detail: if n == 1 { "1 field is invalid".to_string() } else { format!("{n} fields are invalid") },
            errors: errs.0,
            headers: Vec::new(),
        }
    }

    /// 404 for a resource kind and id.
    pub fn not_found(kind: &str, id: impl std::fmt::Display) -> Self {
        ApiError::new(ErrorCode::NotFound, format!("no {kind} with id {id}"))
    }

    /// 500, logging the cause (which never reaches the client).
    pub fn internal(cause: &(dyn std::error::Error + 'static)) -> Self {
        let mut chain = cause.to_string();
        let mut source = cause.source();
        while let Some(s) = source {
            chain.push_str(": ");
            chain.push_str(&s.to_string());
            source = s.source();
        }
        tracing::error!(error = %crate::telemetry::Clean(&chain), "internal error");
        ApiError::new(ErrorCode::Internal, "an internal error occurred; it has been logged")
    }

    /// Renders the problem document.
    pub fn problem(&self, request_id: Option<String>) -> Problem {
        Problem {
            kind: self.code.type_uri(),
            title: self.code.title().to_string(),
            status: self.code.status().as_u16(),
            detail: self.detail.clone(),
            code: self.code.as_str().to_string(),
            errors: self
                .errors
                .iter()
                .map(|e| ProblemField { field: e.field.clone(), message: e.message.clone() })
                .collect(),
            request_id,
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code.as_str(), self.detail)
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.code.status()
    }

    fn error_response(&self) -> HttpResponse {
        let request_id = crate::telemetry::current_request_id();
        let body = serde_json::to_vec(&self.problem(request_id)).unwrap_or_default();
        let mut res = HttpResponse::build(self.code.status());
        res.insert_header((header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json")));
        for (name, value) in &self.headers {
            if let Ok(v) = HeaderValue::from_str(value) {
                res.insert_header((name.clone(), v));
            }
        }
        res.body(body)
    }
}

impl From<FieldErrors> for ApiError {
    fn from(errs: FieldErrors) -> Self {
        ApiError::validation(errs)
    }
}

/// Maps store errors for a resource kind (`"consultant"`, `"assignment"`).
pub fn store_error(kind: &str, id: impl std::fmt::Display, e: StoreError) -> ApiError {
    match e {
        StoreError::NotFound => ApiError::not_found(kind, id),
        StoreError::VersionMismatch { current } => ApiError {
            code: ErrorCode::PreconditionFailed,
            detail: format!(
                "If-Match does not name the current version of {kind} {id}, which is {current}; read it again and retry"
            ),
            errors: vec![FieldError { field: "If-Match".into(), message: format!("current version is \"{current}\"") }],
            headers: vec![(header::ETAG, format!("\"{current}\""))],
        },
        StoreError::Exists { current } => ApiError {
            code: ErrorCode::PreconditionFailed,
            detail: format!(
                "{kind} {id} already exists (version {current}) and If-None-Match: * asks to create only; read it, or send If-Match: \"{current}\" to replace it"
            ),
            errors: vec![FieldError {
                field: "If-None-Match".into(),
                message: format!("the record exists, at version \"{current}\""),
            }],
            headers: vec![(header::ETAG, format!("\"{current}\""))],
        },
        StoreError::Duplicate { existing } => {
            let detail = match existing {
                Some(other) => format!("another {kind} ({other}) already has this source and external_id"),
                None => format!("another {kind} already has this source and external_id"),
            };
            ApiError::new(ErrorCode::Conflict, detail)
                .field("external_id", "is already used by another record of this source")
        }
        StoreError::Database(ref db) if is_unavailable(db) => {
            tracing::error!(error = %e, "database unavailable");
            ApiError::new(ErrorCode::Unavailable, "the database is not reachable; retry shortly")
                .with_header(header::RETRY_AFTER, "5")
        }
        other => ApiError::internal(&other),
    }
}

fn is_unavailable(e: &sea_orm::DbErr) -> bool {
    matches!(e, sea_orm::DbErr::ConnectionAcquire(_) | sea_orm::DbErr::Conn(_))
}

impl ApiError {
    /// Adds a response header.
    pub fn with_header(mut self, name: header::HeaderName, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }
}

/// A convenience alias.
pub type ApiResult<T> = Result<T, ApiError>;

/// The `detail` of a 404 for a malformed id is the same as for a missing one; a helper
/// for parsing path ids.
pub fn parse_id(raw: &str) -> ApiResult<Uuid> {
    Uuid::parse_str(raw).map_err(|_| {
        ApiError::new(ErrorCode::InvalidParameter, format!("{raw:?} is not a valid id"))
            .field("id", "must be a UUID such as 0192f3c4-5d6e-7f80-9a1b-2c3d4e5f6a7b")
    })
}
