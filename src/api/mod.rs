//! The HTTP API: handlers, wire types, problem+json errors and the OpenAPI document.
//! Handlers are thin: extract, convert, call the store or engine, map the result.

pub mod audit;
pub mod auth;
pub mod contract;
pub mod decisions;
pub mod dto;
pub mod error;
pub mod extract;
pub mod handlers;
pub mod idempotency;
pub mod impact;
pub mod import;
pub mod keys;
pub mod kinds;
pub mod links;
pub mod match_items;
pub mod matches;
pub mod ops;
pub mod pair;
pub mod parse;
pub mod position;
pub mod privacy;
pub mod resources;
pub mod sensitive;
pub mod skills;
pub mod sync;
pub mod webhooks;
pub mod what_if;

use actix_web::HttpRequest;
use actix_web::body::MessageBody;
use actix_web::dev::ServiceResponse;
use actix_web::http::header;
use actix_web::middleware::ErrorHandlerResponse;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::AppExt;

use error::{ApiError, ErrorCode};

/// The top of the OpenAPI document; paths are collected as routes are registered.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "staffmatch",
        description = "Consultant-to-assignment matching for IT consultancies. Stores assignments (job postings) and consultant profiles and ranks matches with a weighted, explainable scoring engine that separates must-have from can-have competencies.\n\nAll `/api/v1` calls take `Authorization: Bearer <api key>` (use **Authorize**); the scope each needs is named in its 403 answer. Each answer to a known key carries `RateLimit-Limit` (the key's bucket size), `RateLimit-Remaining` and `RateLimit-Reset` (seconds until the bucket is full); 429 comes with `Retry-After`. POSTs take an optional `Idempotency-Key`. Errors are RFC 9457 `application/problem+json` with a stable `code` and an `errors` list naming every offending field.",
        license(name = "MIT OR Apache-2.0"),
    ),
    modifiers(&BearerAuth),
    tags(
        (name = "Consultants", description = "Consultant profiles: skills, languages, clearance, availability."),
        (name = "Assignments", description = "Assignments (job postings) with must-have and can-have competencies."),
        (name = "Matching", description = "Consultants ranked for an assignment and assignments for a consultant, with per-requirement explanations."),
        (name = "Skills", description = "The bilingual (Swedish/English) skill taxonomy: search, relations, name resolution."),
        (name = "API keys", description = "Scoped API keys (admin only). Scopes: `read`, `write`, `admin` (implies all), `sensitive` (citizenship and clearance details), `audit` (the audit of rankings, adverse-impact reports), `privacy` (export and erase a person)."),
        (name = "Decisions", description = "Recruiters' decisions on record (shortlisted, rejected, placed, withdrawn), with the reason for every override of the ranking."),
        (name = "Webhooks", description = "Signed event deliveries (admin only): `consultant.*`, `assignment.*`, `match.found`, `decision.created`, with retries and a delivery log."),
        (name = "Audit", description = "The audit of every call that scored people (scope `audit`): who, when, what was asked and what was returned; and bias audits (`audit` and `sensitive`): adverse-impact reports by category, categories never stored."),
        (name = "Privacy", description = "A person's data exported (GDPR Art. 15, 20) or erased everywhere (Art. 17) (scope `privacy`)."),
        (name = "Operations", description = "Health, readiness and metrics; no key needed."),
    ),
    components(schemas(error::Problem, error::ProblemField))
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("An API key: the bootstrap admin key or one made with POST /api/v1/api-keys."))
                    .build(),
            ),
        );
    }
}

/// Registers every `/api/v1` route.
pub fn api_v1(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    // The matching routes first, before the generic `{id}` routes.
    cfg.service(matches::for_assignment)
        .service(pair::for_pair)
        .service(matches::for_consultant)
        .service(pair::for_consultant_pair)
        .service(matches::for_unsaved);
    decisions::routes(cfg);
    cfg.service(impact::impact);
    cfg.service(parse::parse);
    cfg.service(import::import_json_resume);
    privacy::routes(cfg);
    audit::routes(cfg);
    handlers::consultants::routes(cfg);
    handlers::assignments::routes(cfg);
    skills::routes(cfg);
    keys::routes(cfg);
    webhooks::routes(cfg);
}

/// Registers the operational routes.
pub fn operations(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(ops::healthz).service(ops::readyz).service(ops::metrics);
}

/// The complete OpenAPI document, exactly as served at `/api-docs/openapi.json`.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let (_, spec) = actix_web::App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(operations)
        .service(utoipa_actix_web::scope("/api/v1").configure(api_v1))
        .split_for_parts();
    let mut spec = spec;
    auth::document(&mut spec);
    position::document(&mut spec);
    contract::document(&mut spec);
    spec
}

/// The answer for a path no route matches.
/// A path some route serves with other methods answers 405 with `Allow` (RFC 9110 §15.5.6),
/// not 404: the methods come from the OpenAPI route table, the same list the spec shows.
pub async fn route_not_found(req: HttpRequest) -> actix_web::HttpResponse {
    if let Some(allowed) = req.match_pattern().and_then(|p| allowed_methods().get(&p)) {
        let allow = allowed.join(", ");
        let e = ApiError::new(
            ErrorCode::MethodNotAllowed,
            format!("{} is not served on this path; it takes {allow}", req.method()),
        )
        .with_header(header::ALLOW, allow);
        return actix_web::ResponseError::error_response(&e);
    }
    actix_web::ResponseError::error_response(&ApiError::new(
        ErrorCode::RouteNotFound,
        format!("no route for {} {}", req.method(), req.path()),
    ))
}

/// Middleware (inside the gate): a method a literal path does not take answers 405 with
/// `Allow`, even where a parameter route also matches the path: `PUT /api/v1/assignments/parse`
/// is not a replace of an assignment with the id "parse" (it answered 415 or 400, issue 24).
pub async fn literal_methods<B: MessageBody + 'static>(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<B>,
) -> actix_web::Result<ServiceResponse<actix_web::body::EitherBody<B>>> {
    let path = req.match_info().as_str();
    if !path.contains('{')
        && let Some(allowed) = allowed_methods().get(path)
        && !allowed.contains(&req.method().as_str())
    {
        let allow = allowed.join(", ");
        let e = ApiError::new(
            ErrorCode::MethodNotAllowed,
            format!("{} is not served on this path; it takes {allow}", req.method()),
        )
        .with_header(header::ALLOW, allow);
        return Ok(req.into_response(actix_web::ResponseError::error_response(&e)).map_into_right_body());
    }
    next.call(req).await.map(ServiceResponse::map_into_left_body)
}

/// Each documented path's methods, upper case, in the spec's order (computed once).
fn allowed_methods() -> &'static std::collections::HashMap<String, Vec<&'static str>> {
    static ALLOWED: std::sync::OnceLock<std::collections::HashMap<String, Vec<&'static str>>> =
        std::sync::OnceLock::new();
    ALLOWED.get_or_init(|| {
        let spec = openapi();
        spec.paths
            .paths
            .iter()
            .map(|(path, item)| {
                let ops = [
                    ("GET", item.get.is_some()),
                    ("HEAD", item.get.is_some() || item.head.is_some()),
                    ("POST", item.post.is_some()),
                    ("PUT", item.put.is_some()),
                    ("PATCH", item.patch.is_some()),
                    ("DELETE", item.delete.is_some()),
                    ("OPTIONS", item.options.is_some()),
                ];
                (path.clone(), ops.into_iter().filter(|(_, on)| *on).map(|(m, _)| m).collect())
            })
            .collect()
    })
}

/// Turns any error response that is not already problem+json (405s, errors raised by
/// actix itself) into one, so clients see a single error format.
pub fn problemize<B: MessageBody + 'static>(res: ServiceResponse<B>) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let is_problem =
        res.headers().get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"application/problem+json"));
    if is_problem {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let status = res.status();
    let code = match status.as_u16() {
        400 => ErrorCode::InvalidParameter,
        404 => ErrorCode::RouteNotFound,
        405 => ErrorCode::MethodNotAllowed,
        413 => ErrorCode::PayloadTooLarge,
        415 => ErrorCode::UnsupportedMediaType,
        503 => ErrorCode::Unavailable,
        _ => ErrorCode::Internal,
    };
    let detail = status.canonical_reason().unwrap_or("error").to_string();
    let (req, _) = res.into_parts();
    let mut body = actix_web::ResponseError::error_response(&ApiError::new(code, detail));
    *body.status_mut() = status;
    Ok(ErrorHandlerResponse::Response(ServiceResponse::new(req, body).map_into_right_body()))
}
