//! Matching endpoints: consultants ranked for a stored or an unsaved assignment, and open
//! assignments ranked for a consultant. This module parses options and weight overrides and
//! calls the service's read path (`service::rankings`), which ranks under its locks;
//! `match_items` renders the results.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::Utc;
use serde::Serialize;
use uuid::Uuid;

use super::error::{ApiError, ApiResult, Problem, parse_id, store_error};
use super::extract::{JsonBody, Params};
use super::match_items::{
    AssignmentMatch, AssignmentMatches, ConsultantMatch, ConsultantMatches, Seen, assignment_item, consultant_item,
};
use crate::domain::{AssignmentInput, WEIGHT_COMPONENTS, Weights, WeightsError};
use crate::matching::{AssignmentQuery, MatchOptions, MatchPage, SCORE_VERSION};
use crate::service::AppState;
use crate::service::audit::{Asked, Audited};
use crate::service::engine::Card;
use crate::service::rankings::{Decided, Decisions, RankError, View};
use crate::service::writes::Resource;
use crate::store::Consultants;

/// The query parameters of every matching endpoint (documentation; `parse_query` reads
/// them and names each offending one).
#[derive(Debug, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[expect(dead_code, reason = "documents the parameters; parse_query reads them from the query string")]
pub struct MatchParams {
    /// Page size, 1–200 (default 20).
    #[param(minimum = 1, maximum = 200)]
    limit: Option<u64>,
    /// Results to skip, 0–10000 (default 0).
    #[param(minimum = 0, maximum = 10000)]
    offset: Option<u64>,
    /// Leave out results scoring below this (0–100).
    #[param(minimum = 0, maximum = 100)]
    min_score: Option<f64>,
    /// Also list those who fail a gate, with their gaps (default false).
    include_ineligible: Option<bool>,
    /// Near-miss mode: also list those who miss at most this many must-haves (0–50).
    #[param(minimum = 0, maximum = 50)]
    max_missing: Option<u32>,
    /// Leave out those whose latest decision for the pair is `rejected` or `placed` (default
    /// false): consultants ranked for an assignment, or assignments ranked for a consultant.
    /// The totals leave them out too. An unsaved assignment has no decisions.
    exclude_decided: Option<bool>,
    /// Write each item's explanation and gaps (default true). `false` leaves them empty
    /// (and the page says `explained: false`): ids, scores, eligibility and the breakdown
    /// only, for integrations that rank and show their own views: a 20-item page of ~6 KB
    /// instead of ~44 KB. The ranking, the totals and the audit record are the same.
    explain: Option<bool>,
}

/// The per-request weight overrides of the matching endpoints (documentation; [`overrides`]
/// reads them).
#[derive(Debug, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[expect(dead_code, reason = "documents the parameters; overrides reads them from the query string")]
pub struct WeightParams {
    /// Weight override for must-have strength, 0–1000 (the weights are normalised; not all
    /// may be 0).
    #[param(minimum = 0, maximum = 1000)]
    w_must_have: Option<f64>,
    /// Weight override for can-have coverage.
    #[param(minimum = 0, maximum = 1000)]
    w_can_have: Option<f64>,
    /// Weight override for languages.
    #[param(minimum = 0, maximum = 1000)]
    w_languages: Option<f64>,
    /// Weight override for experience.
    #[param(minimum = 0, maximum = 1000)]
    w_experience: Option<f64>,
    /// Weight override for availability.
    #[param(minimum = 0, maximum = 1000)]
    w_availability: Option<f64>,
    /// Weight override for location and work mode.
    #[param(minimum = 0, maximum = 1000)]
    w_location: Option<f64>,
}

struct Query {
    options: MatchOptions,
    overrides: [Option<f64>; 6],
    exclude_decided: bool,
    explain: bool,
}

fn parse_query(req: &HttpRequest) -> ApiResult<Query> {
    let mut p = Params::from_request(req)?;
    let today = Utc::now().date_naive();
    let mut options = MatchOptions::new(today);
    if let Some(n) = p.int("limit", 1, 200) {
        options.limit = n as usize;
    }
    if let Some(n) = p.int("offset", 0, 10_000) {
        options.offset = n as usize;
    }
    options.min_score = p.number("min_score", 0.0, 100.0);
    options.include_ineligible = p.boolean("include_ineligible").unwrap_or(false);
    options.max_missing = p.int("max_missing", 0, 50).unwrap_or(0) as u32;
    let exclude_decided = p.boolean("exclude_decided").unwrap_or(false);
    let explain = p.boolean("explain").unwrap_or(true);
    let overrides = overrides(&mut p);
    p.finish()?;
    Ok(Query { options, overrides, exclude_decided, explain })
}

/// The `w_*` weight overrides; a bad one is rejected on `p`.
pub(super) fn overrides(p: &mut Params) -> [Option<f64>; 6] {
    let mut overrides = [None; 6];
    for (slot, name) in overrides.iter_mut().zip(WEIGHT_COMPONENTS) {
        *slot = p.number(&format!("w_{name}"), 0.0, 1000.0);
    }
    overrides
}

/// Applies `w_*` overrides: each replaces its component of the assignment's (normalised)
/// weights; the result is normalised again.
pub(super) fn weights_with(base: Weights, overrides: &[Option<f64>; 6]) -> ApiResult<Weights> {
    if overrides.iter().all(Option::is_none) {
        return Ok(base);
    }
    let mut raw = base.as_array();
    for (w, o) in raw.iter_mut().zip(overrides) {
        if let Some(o) = o {
            *w = *o;
        }
    }
    // Name the parameter at fault: the invalid one, or when all would be zero the overrides
    // that set zeros (the assignment's own weights were valid before them).
    Weights::new(raw).map_err(|e| {
        let mut err = ApiError::new(super::error::ErrorCode::InvalidParameter, "the weight overrides are invalid");
        match e {
            WeightsError::Invalid { component } => err = err.field(format!("w_{component}"), e.to_string()),
            WeightsError::AllZero => {
                for (name, o) in WEIGHT_COMPONENTS.iter().zip(overrides) {
                    if o.is_some() {
                        err = err.field(format!("w_{name}"), e.to_string());
                    }
                }
            }
        }
        err
    })
}

/// The HTTP answer for a ranking that could not be made.
pub(super) fn rank_error(e: RankError<ApiError>) -> ApiError {
    match e {
        RankError::NoAssignment(id) => ApiError::not_found("assignment", id),
        RankError::Weights(e) => e,
        RankError::Blocking(why) => ApiError::internal(&std::io::Error::other(why)),
        RankError::Store(e) => super::error::store_error("decision", "", e),
        RankError::Audit(e) => ApiError::internal(&e),
    }
}

/// The header that carries the id of the call's audit record (`GET /audit/rankings`).
pub(super) const AUDIT_ID_HEADER: &str = "staffmatch-audit-id";

/// Ranks consultants for `query` through the service and writes the page while the
/// service holds the consultants' texts (no per-item copies).
async fn rank_consultants(
    state: &AppState,
    asked: &Asked,
    assignment_id: Option<Uuid>,
    query: crate::matching::AssignmentQuery,
    options: MatchOptions,
    exclude_decided: bool,
    explain: bool,
) -> ApiResult<HttpResponse> {
    let weights = query.weights;
    // Read the caller's right here: the ranking may run on another thread.
    let seen = Seen { sensitive: crate::auth::sees_sensitive(), explain };
    let decided = Decided { assignment: assignment_id, exclude: exclude_decided };
    let body = state
        .rank_consultants(asked, query, options, decided, move |v: View<'_>, page: MatchPage, decisions: &Decisions| {
            let items: Vec<ConsultantMatch<'_>> = page
                .items
                .into_iter()
                .map(|m| {
                    let decision = decisions.get(&m.id);
                    consultant_item(v.taxonomy, v.engine.cards.get(&m.id), m, seen, decision)
                })
                .collect();
            let n = items.len();
            let matches = ConsultantMatches {
                assignment_id,
                total_eligible: page.total_eligible,
                total: page.total,
                score_version: SCORE_VERSION,
                weights: weights.into(),
                explained: explain,
                items,
            };
            page_body(&matches, n)
        })
        .await
        .map_err(rank_error)?;
    json_response(body)
}

/// A page of matches as JSON, written into a buffer sized for it up front (~2 KB per item
/// with its explanation): `HttpResponse::json` starts small and regrew a 20-item page (~40 KB)
/// nine times.
fn page_body<T: Serialize>(page: &T, items: usize) -> Result<Vec<u8>, serde_json::Error> {
    let mut body = Vec::with_capacity(1024 + items * 2048);
    serde_json::to_writer(&mut body, page)?;
    Ok(body)
}

/// 200 with a JSON body written by [`page_body`] and the audit record's id.
pub(super) fn json_response(body: Audited<Result<Vec<u8>, serde_json::Error>>) -> ApiResult<HttpResponse> {
    let audit_id = body.audit_id.to_string();
    let body = body.value.map_err(|e| ApiError::internal(&e))?;
    Ok(HttpResponse::Ok()
        .content_type(actix_web::http::header::ContentType::json())
        .insert_header((AUDIT_ID_HEADER, audit_id))
        .body(body))
}

const MATCH_PARAMS_DOC: &str = "Eligible consultants only unless `include_ineligible=true`; `max_missing=N` also lists those who miss at most N must-haves (near-miss mode). Score 0–100 = 100 × Σ weight × component; the explanation's points add up to the score. Defaults: weights must_have 0.35, can_have 0.25, languages 0.15, experience 0.10, availability 0.10, location 0.05 (or the assignment's own); `w_*` replace single components, then all are normalised.";

/// Consultants ranked for a stored assignment.
#[utoipa::path(
    tag = "Matching",
    description = MATCH_PARAMS_DOC,
    params(
        ("id" = Uuid, Path, description = "Assignment id"),
        MatchParams,
        WeightParams,
    ),
    responses(
        (status = 200, description = "Ranked consultants", body = ConsultantMatches,
            headers(("Staffmatch-Audit-Id" = Uuid, description = "The id of this ranking's audit record (`GET /audit/rankings`)"))),
        (status = 400, description = "Bad parameter", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such assignment", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/assignments/{id}/matches")]
pub async fn for_assignment(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = parse_id(&id)?;
    let q = parse_query(&req)?;
    let query = state.assignment_query(id, |w| weights_with(w, &q.overrides)).map_err(rank_error)?;
    let asked = Asked::new("GET /assignments/{id}/matches", q.overrides);
    rank_consultants(&state, &asked, Some(id), query, q.options, q.exclude_decided, q.explain).await
}

/// Consultants ranked for an unsaved assignment.
#[utoipa::path(
    tag = "Matching",
    description = "The body is an assignment, validated exactly like `POST /assignments` but not stored; the answer is the same as if it were stored and matched. Query parameters as for `GET /assignments/{id}/matches`.",
    params(MatchParams, WeightParams),
    request_body(content = super::dto::AssignmentWrite, content_type = "application/json"),
    responses(
        (status = 200, description = "Ranked consultants", body = ConsultantMatches,
            headers(("Staffmatch-Audit-Id" = Uuid, description = "The id of this ranking's audit record (`GET /audit/rankings`)"))),
        (status = 403, description = "The key lacks `read`, or states a clearance or citizenship condition without the `sensitive` scope (`forbidden`, naming each such field)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid assignment", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/matches")]
pub async fn for_unsaved(state: web::Data<AppState>, req: HttpRequest, body: JsonBody) -> ApiResult<HttpResponse> {
    let q = parse_query(&req)?;
    super::sensitive::forbid_stating(&body.0, <crate::store::Assignments as Resource>::SENSITIVE, "")?;
    let mut input = AssignmentInput::parse(&body.0)?;
    state.prepare_assignment(&mut input);
    let query = state.unsaved_query(&input, |w| weights_with(w, &q.overrides))?;
    let asked = Asked::adhoc("POST /matches", q.overrides, &body.0);
    rank_consultants(&state, &asked, None, query, q.options, false, q.explain).await
}

/// Open assignments ranked for a consultant.
#[utoipa::path(
    tag = "Matching",
    description = "Ranks the open, unexpired assignments for the consultant, with the same gates, scores and explanations as the other direction.",
    params(
        ("id" = Uuid, Path, description = "Consultant id"),
        MatchParams,
        WeightParams,
    ),
    responses(
        (status = 200, description = "Ranked assignments", body = AssignmentMatches,
            headers(("Staffmatch-Audit-Id" = Uuid, description = "The id of this ranking's audit record (`GET /audit/rankings`)"))),
        (status = 404, description = "No such consultant", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/consultants/{id}/matches")]
pub async fn for_consultant(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = parse_id(&id)?;
    let q = parse_query(&req)?;
    let rec = state.store.get::<Consultants>(id).await.map_err(|e| store_error("consultant", id, e))?;
    let seen = Seen { sensitive: crate::auth::sees_sensitive(), explain: q.explain };
    let render =
        |v: View<'_>, open: &[(Uuid, AssignmentQuery)], card: &Card, page: MatchPage, decisions: &Decisions| {
            let items: Vec<AssignmentMatch<'_>> = page
                .items
                .into_iter()
                .map(|m| {
                    // The weights this assignment was scored with, overrides included.
                    let weights = open.iter().find(|(aid, _)| *aid == m.id).map(|(_, q)| q.weights).unwrap_or_default();
                    let decision = decisions.get(&m.id);
                    assignment_item(v.taxonomy, v.engine, card, m, weights, seen, decision)
                })
                .collect();
            let n = items.len();
            let matches = AssignmentMatches {
                consultant_id: id,
                total_eligible: page.total_eligible,
                total: page.total,
                score_version: SCORE_VERSION,
                explained: q.explain,
                items,
            };
            page_body(&matches, n)
        };
    let asked = Asked::new("GET /consultants/{id}/matches", q.overrides);
    let reweigh = |w| weights_with(w, &q.overrides);
    let body = state
        .rank_assignments_for(&asked, id, &rec.data, &q.options, q.exclude_decided, reweigh, render)
        .await
        .map_err(rank_error)?;
    json_response(body)
}
