//! Recruiters' decisions on record (`POST|GET /assignments/{id}/decisions`,
//! `GET /consultants/{id}/decisions`): the wire types, the override rule's answer, and the
//! short form ranking items carry (`decision`).

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::dto::ListResponse;
use super::error::{ApiError, ApiResult, ErrorCode, Problem, parse_id, store_error};
use super::extract::{JsonBody, Params};
use super::keys::acting_key;
use super::sync::{encode_cursor, page};
use crate::domain::{DecisionInput, DecisionKind};
use crate::service::AppState;
use crate::service::decisions::{DecisionError, DecisionList, OVERRIDE_RANK};
use crate::store::Decision;

/// What a recruiter decided.
#[derive(Debug, Clone, Copy, Serialize, serde::Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DecisionValue {
    /// Put on the shortlist.
    Shortlisted,
    /// Turned down.
    Rejected,
    /// Placed on the assignment.
    Placed,
    /// Withdrawn from consideration.
    Withdrawn,
}

impl From<DecisionKind> for DecisionValue {
    fn from(k: DecisionKind) -> Self {
        match k {
            DecisionKind::Shortlisted => DecisionValue::Shortlisted,
            DecisionKind::Rejected => DecisionValue::Rejected,
            DecisionKind::Placed => DecisionValue::Placed,
            DecisionKind::Withdrawn => DecisionValue::Withdrawn,
        }
    }
}

/// A decision to record.
// Deserialize only for `deny_unknown_fields`, which the schema shows as
// `additionalProperties: false`: the parser refuses unknown fields (422).
#[derive(Debug, Clone, serde::Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"consultant_id": "0192f3c4-5d6e-7f80-9a1b-2c3d4e5f6a7b", "decision": "rejected", "reason": "Prefers a remote assignment; told us on the phone 2026-12-04.", "audit_id": "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"}))]
#[expect(dead_code, reason = "documents the body; DecisionInput::parse reads it")]
pub struct DecisionWrite {
    /// The consultant decided about.
    consultant_id: Uuid,
    /// What was decided.
    decision: DecisionValue,
    /// Why, in the recruiter's words (up to 2,000 characters). Required for an override:
    /// rejecting a consultant the engine ranks in its top 10 for the assignment, or
    /// shortlisting one it does not list (not eligible).
    reason: Option<String>,
    /// The `Staffmatch-Audit-Id` of the ranking the decision was made from.
    audit_id: Option<String>,
}

/// A decision on record.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"id": "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c", "assignment_id": "0192f3c4-5d6e-7f80-9a1b-2c3d4e5f6a70", "consultant_id": "0192f3c4-5d6e-7f80-9a1b-2c3d4e5f6a7b", "decision": "rejected", "reason": "Prefers a remote assignment.", "audit_id": null, "engine_eligible": true, "engine_rank": 2, "overrides_engine": true, "created_by": "0192f3c4-0000-7000-8000-000000000001", "created_at": "2026-12-07T09:30:00Z"}))]
pub struct DecisionOut {
    /// Its id.
    pub id: Uuid,
    /// The assignment.
    pub assignment_id: Uuid,
    /// The consultant.
    pub consultant_id: Uuid,
    /// What was decided.
    pub decision: DecisionValue,
    /// Why.
    pub reason: Option<String>,
    /// The ranking it was made from.
    pub audit_id: Option<String>,
    /// Whether the engine found the consultant eligible when the decision was made.
    pub engine_eligible: bool,
    /// Where the engine ranked the consultant then among the eligible (1 + how many scored
    /// higher); null when not listed.
    pub engine_rank: Option<u32>,
    /// Whether the decision overrode the engine (a rejection from its top 10, or a shortlist
    /// of someone it did not list); such decisions always carry a reason.
    pub overrides_engine: bool,
    /// The id of the API key that recorded it.
    pub created_by: Option<String>,
    /// When it was recorded.
    pub created_at: DateTime<Utc>,
}

impl From<&Decision> for DecisionOut {
    fn from(d: &Decision) -> Self {
        DecisionOut {
            id: d.id,
            assignment_id: d.assignment_id,
            consultant_id: d.consultant_id,
            decision: d.decision.into(),
            reason: d.reason.clone(),
            audit_id: d.audit_id.clone(),
            engine_eligible: d.eligible,
            engine_rank: d.engine_rank,
            overrides_engine: d.overrides,
            created_by: d.created_by.clone(),
            created_at: d.created_at,
        }
    }
}

/// The latest decision about a pair, as ranking items carry it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DecisionSummary {
    /// The decision's id.
    pub id: Uuid,
    /// What was decided.
    pub decision: DecisionValue,
    /// Why.
    pub reason: Option<String>,
    /// When.
    pub created_at: DateTime<Utc>,
}

impl From<&Decision> for DecisionSummary {
    fn from(d: &Decision) -> Self {
        DecisionSummary { id: d.id, decision: d.decision.into(), reason: d.reason.clone(), created_at: d.created_at }
    }
}

/// The HTTP answer for a decision that was not recorded.
fn decision_error(e: DecisionError) -> ApiError {
    match e {
        DecisionError::NoAssignment(id) => ApiError::not_found("assignment", id),
        DecisionError::NoConsultant(id) => {
            ApiError::not_found("consultant", id).field("consultant_id", "no consultant has this id")
        }
        DecisionError::ReasonRequired { eligible, rank } => {
            let why = match rank {
                Some(r) if eligible => format!(
                    "is required to reject a consultant the engine ranks in its top {OVERRIDE_RANK} for this assignment (rank {r})"
                ),
                _ => "is required to shortlist a consultant the engine does not list (not eligible)".to_string(),
            };
            ApiError::new(ErrorCode::ValidationFailed, "this decision overrides the ranking: give a reason")
                .field("reason", why)
        }
        DecisionError::Store(e) => store_error("decision", "", e),
        DecisionError::Scoring(why) => ApiError::internal(&std::io::Error::other(why)),
    }
}

/// Records a decision.
#[utoipa::path(
    operation_id = "create_decision",
    tag = "Decisions",
    description = "Records a recruiter's decision about a consultant for this assignment: `shortlisted`, `rejected`, `placed` or `withdrawn`. Decisions are kept, never changed: a later one about the same consultant supersedes the earlier as the one rankings show (`decision` on each item), and the earlier stays listed. A `reason` is required for an override: rejecting a consultant the engine ranks in its top 10 for the assignment, or shortlisting one it does not list (not eligible), judged by scoring the pair now with the assignment's own weights; every decision records that standing (`engine_eligible`, `engine_rank`) and `overrides_engine`. Queues the `decision.created` webhook event in the same transaction.",
    params(("id" = Uuid, Path, description = "Assignment id")),
    request_body(content = DecisionWrite, content_type = "application/json"),
    responses(
        (status = 201, description = "The decision on record", body = DecisionOut),
        (status = 404, description = "No such assignment, or no such consultant (`consultant_id` named)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid body, every field named; or an override without a `reason`", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/assignments/{id}/decisions")]
pub async fn create(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<String>,
    body: JsonBody,
) -> ApiResult<HttpResponse> {
    let id = parse_id(&id)?;
    let input = DecisionInput::parse(&body.0)?;
    let render = |d: &Decision| serde_json::to_value(DecisionOut::from(d)).unwrap_or_default();
    let d = state.record_decision(id, input, acting_key(&req), render).await.map_err(decision_error)?;
    Ok(HttpResponse::Created().json(DecisionOut::from(&d)))
}

/// The `limit` and `cursor` of a decision list.
fn list_params(req: &HttpRequest) -> ApiResult<(u64, Option<Uuid>)> {
    let mut p = Params::from_request(req)?;
    let paging = page(&mut p);
    p.finish()?;
    Ok(paging)
}

/// A page of decisions as the lists answer it.
fn list_response(list: DecisionList) -> HttpResponse {
    HttpResponse::Ok().json(ListResponse {
        items: list.items.iter().map(DecisionOut::from).collect::<Vec<_>>(),
        next_cursor: list.next_after.map(encode_cursor),
    })
}

/// Decisions about an assignment.
#[utoipa::path(
    operation_id = "list_assignment_decisions",
    tag = "Decisions",
    description = "Every decision recorded for the assignment, oldest first, `limit` at a time (follow `next_cursor`); superseded ones included.",
    params(
        ("id" = Uuid, Path, description = "Assignment id"),
        ("limit" = Option<u64>, Query, description = "Page size, 1–500 (default 50)", minimum = 1, maximum = 500),
        ("cursor" = Option<String>, Query, description = "Opaque cursor from a previous page's `next_cursor`"),
    ),
    responses(
        (status = 200, description = "A page of decisions", body = ListResponse<DecisionOut>),
        (status = 400, description = "Bad `limit` or `cursor`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such assignment", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/assignments/{id}/decisions")]
pub async fn for_assignment(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = parse_id(&id)?;
    let (limit, after) = list_params(&req)?;
    let list = state.assignment_decisions(id, after, limit).await.map_err(|e| store_error("assignment", id, e))?;
    Ok(list_response(list))
}

/// Decisions about a consultant.
#[utoipa::path(
    operation_id = "list_consultant_decisions",
    tag = "Decisions",
    description = "Every decision recorded about the consultant, for any assignment, oldest first, `limit` at a time (follow `next_cursor`); superseded ones included.",
    params(
        ("id" = Uuid, Path, description = "Consultant id"),
        ("limit" = Option<u64>, Query, description = "Page size, 1–500 (default 50)", minimum = 1, maximum = 500),
        ("cursor" = Option<String>, Query, description = "Opaque cursor from a previous page's `next_cursor`"),
    ),
    responses(
        (status = 200, description = "A page of decisions", body = ListResponse<DecisionOut>),
        (status = 400, description = "Bad `limit` or `cursor`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such consultant", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/consultants/{id}/decisions")]
pub async fn for_consultant(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = parse_id(&id)?;
    let (limit, after) = list_params(&req)?;
    let list = state.consultant_decisions(id, after, limit).await.map_err(|e| store_error("consultant", id, e))?;
    Ok(list_response(list))
}

/// Registers the routes.
pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(create).service(for_assignment).service(for_consultant);
}
