//! The `/api/v1` gate: authenticates the API key, checks the scope the route needs, applies
//! the key's rate limit and adds the `RateLimit-*` headers. Also the redaction of sensitive
//! fields for keys without the `sensitive` scope.
//!
//! The gate authorises the *route the router will serve*, never the raw path string: it takes
//! the path after the router's own percent-decoding (`match_info`, the same `Url` the router
//! matches on) and finds the resource pattern it matches (`/api/v1/api-keys/{id}`); the scope
//! follows from the method and that pattern. So `/%61pi/v1/api-keys`, which the router serves
//! as `/api/v1/api-keys`, needs `admin` like the plain spelling (finding 1 of issue 22).

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage, ResponseError, web};
use serde_json::Value;

use super::error::{ApiError, ErrorCode, store_error};
use crate::auth::{self, AuthFailure, Caller, Scope};
use crate::ratelimit::Decision;
use crate::service::AppState;

/// The path prefix the gate guards.
pub const API_PREFIX: &str = "/api/v1";

/// Whether a route pattern (or a documented path) is under [`API_PREFIX`].
pub fn is_api_route(pattern: &str) -> bool {
    pattern == API_PREFIX || pattern.starts_with("/api/v1/")
}

/// The route a request will be served by: the path as the router sees it (percent-decoded
/// by the router's own rules) and the pattern of the resource it matches, if any.
pub struct Route {
    /// The decoded path.
    pub path: String,
    /// The matched resource pattern, e.g. `/api/v1/consultants/{id}`.
    pub pattern: Option<String>,
}

impl Route {
    /// The route of `req`, worked out before the router runs, from the same decoded path and
    /// the same resource definitions.
    pub fn of(req: &ServiceRequest) -> Route {
        let path = req.match_info().as_str().to_string();
        let pattern = req.resource_map().match_pattern(&path);
        Route { path, pattern }
    }

    /// Whether the gate guards it: every `/api/v1` route, and any unmatched path that looks
    /// like one in any letter case (it gets 401 before its 404, so nothing is learnt without
    /// a key).
    pub fn guarded(&self) -> bool {
        match &self.pattern {
            Some(p) => is_api_route(p),
            None => self.path.get(..5).is_some_and(|head| head.eq_ignore_ascii_case("/api/")),
        }
    }

    /// What decides the scope: the pattern, or the decoded path when nothing matched.
    pub fn scope_key(&self) -> &str {
        self.pattern.as_deref().unwrap_or(&self.path)
    }
}

fn unauthorized(f: AuthFailure) -> ApiError {
    let challenge = match f {
        AuthFailure::Missing => "Bearer realm=\"staffmatch\"".to_string(),
        other => format!("Bearer realm=\"staffmatch\", error=\"invalid_token\", error_description=\"{}\"", {
            match other {
                AuthFailure::Malformed => "malformed",
                AuthFailure::Revoked => "revoked",
                AuthFailure::Expired => "expired",
                _ => "invalid",
            }
        }),
    };
    ApiError::new(ErrorCode::Unauthorized, f.detail())
        .field("Authorization", f.detail())
        .with_header(header::WWW_AUTHENTICATE, challenge)
}

fn forbidden(needed: Scope, method: &str, path: &str) -> ApiError {
    ApiError::new(
        ErrorCode::Forbidden,
        format!("{method} {path} needs an API key with the `{}` scope", needed.as_str()),
    )
    .field("Authorization", format!("the key lacks the `{}` scope", needed.as_str()))
    .with_header(
        header::WWW_AUTHENTICATE,
        format!("Bearer realm=\"staffmatch\", error=\"insufficient_scope\", scope=\"{}\"", needed.as_str()),
    )
}

fn anonymous_limited(d: &Decision) -> ApiError {
    ApiError::new(
        ErrorCode::RateLimited,
        format!(
            "too many requests without a valid API key from this address; retry in {} s",
            d.retry_after_secs.max(1)
        ),
    )
    .with_header(header::RETRY_AFTER, d.retry_after_secs.max(1).to_string())
}

fn rate_headers(d: &Decision) -> [(HeaderName, String); 3] {
    [
        (HeaderName::from_static("ratelimit-limit"), d.limit.to_string()),
        (HeaderName::from_static("ratelimit-remaining"), d.remaining.to_string()),
        (HeaderName::from_static("ratelimit-reset"), d.reset_secs.to_string()),
    ]
}

/// Middleware on the whole app that guards everything under `/api/v1`.
pub async fn gate<B: MessageBody + 'static>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<EitherBody<B>>, Error> {
    let route = Route::of(&req);
    if !route.guarded() {
        return next.call(req).await.map(ServiceResponse::map_into_left_body);
    }
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        let e = ApiError::new(ErrorCode::Internal, "the application state is missing");
        return Ok(req.into_response(e.error_response()).map_into_right_body());
    };
    let method = req.method().as_str().to_string();
    let needed = auth::required_scope(&method, route.scope_key());
    let path = route.path;
    let header = req.headers().get(header::AUTHORIZATION).map(|v| v.to_str().unwrap_or(""));
    // Requests without a valid key are limited per client address (the socket's, not a
    // forwarded header a client could make up). Over the budget, only keys known to be
    // valid without a lookup get through, so guessing costs no database work.
    let client = req.peer_addr().map_or_else(|| "unknown".to_string(), |a| a.ip().to_string());
    if !state.anon_limiter.has_token(&client) && !state.keyring.knows(header) {
        let d = state.anon_limiter.check(&client);
        return Ok(req.into_response(anonymous_limited(&d).error_response()).map_into_right_body());
    }
    let caller: Caller = match state.keyring.authenticate(header).await {
        Ok(Ok(caller)) => caller,
        Ok(Err(f)) => {
            if state.anon_limiter.enabled() {
                state.anon_limiter.check(&client);
            }
            return Ok(req.into_response(unauthorized(f).error_response()).map_into_right_body());
        }
        Err(e) => return Ok(req.into_response(store_error("API key", "", e).error_response()).map_into_right_body()),
    };
    tracing::Span::current().record("key_id", caller.key_id.as_str());
    let decision = state.limiter.enabled().then(|| state.limiter.check(&caller.key_id));
    let limited = |mut e: ApiError| {
        if let Some(d) = &decision {
            for (name, value) in rate_headers(d) {
                e = e.with_header(name, value);
            }
        }
        e
    };
    if let Some(d) = decision.filter(|d| !d.allowed) {
        let e = ApiError::new(
            ErrorCode::RateLimited,
            format!("this API key's rate limit is used up; retry in {} s", d.retry_after_secs),
        )
        .with_header(header::RETRY_AFTER, d.retry_after_secs.to_string());
        return Ok(req.into_response(limited(e).error_response()).map_into_right_body());
    }
    if !caller.scopes.allows(needed) {
        return Ok(req
            .into_response(limited(forbidden(needed, &method, &path)).error_response())
            .map_into_right_body());
    }
    let sensitive = caller.scopes.allows(Scope::Sensitive);
    let key_id = caller.key_id.clone();
    req.extensions_mut().insert(caller);
    let mut res = auth::with_caller(key_id, sensitive, next.call(req)).await?;
    if let Some(d) = &decision {
        for (name, value) in rate_headers(d) {
            if let Ok(v) = HeaderValue::from_str(&value) {
                res.headers_mut().insert(name, v);
            }
        }
    }
    Ok(res.map_into_left_body())
}

/// Removes `paths` (dotted, e.g. `clearance.citizenships`) from a response document unless
/// the caller holds the `sensitive` scope; an object left empty is removed too.
pub fn redact(doc: &mut Value, paths: &[&str]) {
    if auth::sees_sensitive() {
        return;
    }
    for path in paths {
        remove_path(doc, path);
    }
}

fn remove_path(doc: &mut Value, path: &str) {
    let Value::Object(map) = doc else { return };
    match path.split_once('.') {
        None => {
            map.remove(path);
        }
        Some((head, rest)) => {
            if let Some(child) = map.get_mut(head) {
                remove_path(child, rest);
                if child.as_object().is_some_and(serde_json::Map::is_empty) {
                    map.remove(head);
                }
            }
        }
    }
}

/// Documents what the gate and the idempotency layer add to every `/api/v1` operation:
/// the bearer requirement, 401/403/429 answers and, on POST, the `Idempotency-Key`
/// header. Applied to the whole document, so routes added later are documented too.
pub fn document(spec: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::header::HeaderBuilder;
    use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
    use utoipa::openapi::security::SecurityRequirement;
    use utoipa::openapi::{ContentBuilder, Ref, RefOr, Required, ResponseBuilder, Type};

    let string = || utoipa::openapi::ObjectBuilder::new().schema_type(Type::String).build();
    let integer = || utoipa::openapi::ObjectBuilder::new().schema_type(Type::Integer).build();
    let problem = |description: &str| {
        ResponseBuilder::new().description(description).content(
            "application/problem+json",
            ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem"))).build(),
        )
    };
    for (path, item) in spec.paths.paths.iter_mut() {
        if !is_api_route(path) {
            continue;
        }
        let ops = [
            ("GET", item.get.as_mut()),
            ("PUT", item.put.as_mut()),
            ("POST", item.post.as_mut()),
            ("DELETE", item.delete.as_mut()),
            ("PATCH", item.patch.as_mut()),
            ("HEAD", item.head.as_mut()),
            ("OPTIONS", item.options.as_mut()),
        ];
        for (method, op) in ops {
            let Some(op) = op else { continue };
            let needed = auth::required_scope(method, path).as_str();
            if op.security.as_ref().is_none_or(Vec::is_empty) {
                op.security = Some(vec![SecurityRequirement::new("bearer", Vec::<String>::new())]);
            }
            let r = &mut op.responses.responses;
            r.entry("401".into()).or_insert_with(|| {
                RefOr::T(
                    problem("No API key, or an unknown, revoked or expired one (`unauthorized`)")
                        .header(
                            "WWW-Authenticate",
                            HeaderBuilder::new()
                                .schema(Some(string()))
                                .description(Some("`Bearer realm=\"staffmatch\"…`"))
                                .build(),
                        )
                        .build(),
                )
            });
            let states_conditions = matches!(method, "POST" | "PUT" | "PATCH")
                && (path.starts_with("/api/v1/consultants") || path.starts_with("/api/v1/assignments"));
            r.entry("403".into()).or_insert_with(|| {
                let text = if states_conditions {
                    format!(
                        "The API key lacks the `{needed}` scope, or the body states `clearance` without the `sensitive` scope (`forbidden`, naming each such field)"
                    )
                } else {
                    format!("The API key lacks the `{needed}` scope (`forbidden`)")
                };
                RefOr::T(problem(&text).build())
            });
            r.entry("429".into()).or_insert_with(|| {
                RefOr::T(
                    problem("The API key's rate limit is used up (`rate_limited`)")
                        .header(
                            "Retry-After",
                            HeaderBuilder::new()
                                .schema(Some(integer()))
                                .description(Some("Seconds until a request is allowed"))
                                .build(),
                        )
                        .build(),
                )
            });
            if crate::api::idempotency::applies_to(method, path) {
                r.entry("409".into()).or_insert_with(|| {
                    RefOr::T(
                        problem("A request with the same Idempotency-Key is still running (`idempotency_in_progress`)")
                            .build(),
                    )
                });
                let params = op.parameters.get_or_insert_with(Vec::new);
                let already = params.iter().any(|p| matches!(p, RefOr::T(p) if p.name == "Idempotency-Key"));
                if !already {
                    params.push(RefOr::T(
                        ParameterBuilder::new()
                            .name("Idempotency-Key")
                            .parameter_in(ParameterIn::Header)
                            .required(Required::False)
                            .description(Some(
                                "Makes a retry safe (Stripe semantics): the same key with the same request within 24 h gets the first response again, with `Idempotent-Replayed: true`; with a different request, 422 `idempotency_conflict`. Keys are per API key; 1–255 visible ASCII characters, e.g. a UUID.",
                            ))
                            .schema(Some(string()))
                            // No example: Swagger UI would send the same key with every
                            // request, and a key reused with another body is refused (422).
                            .build(),
                    ));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[actix_web::test]
    async fn redaction_removes_nested_fields_and_empty_parents_only_without_the_scope() {
        let doc = json!({"name": "A", "clearance": {"level": "sk3", "citizenships": ["SE"]}});
        let mut d = doc.clone();
        auth::with_sensitive(false, async { redact(&mut d, &["clearance.level", "clearance.citizenships"]) }).await;
        assert_eq!(d, json!({"name": "A"}));
        let mut d = doc.clone();
        auth::with_sensitive(false, async { redact(&mut d, &["clearance.level"]) }).await;
        assert_eq!(d, json!({"name": "A", "clearance": {"citizenships": ["SE"]}}));
        let mut d = doc.clone();
        auth::with_sensitive(true, async { redact(&mut d, &["clearance.level"]) }).await;
        assert_eq!(d, doc);
    }
}
