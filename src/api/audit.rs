//! `GET /api/v1/audit/rankings`: the audit of every call that scored people (scope `audit`;
//! `admin` implies it), filtered by assignment, by consultant (every record that listed or
//! scored her) and by time, a page at a time.

use actix_web::{HttpRequest, HttpResponse, get, web};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::error::{ApiResult, Problem, store_error};
use super::extract::Params;
use super::sync;
use crate::service::AppState;
use crate::store::{AuditFilter, RankingAudit};

/// One item a ranking returned.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AuditedItem {
    /// The consultant listed (in a consultant's ranking: the assignment); a random
    /// pseudonym once the consultant was erased.
    pub id: Uuid,
    /// Its rank (place in the list among the eligible; for a pair score, where it stands);
    /// null when not ranked (ineligible).
    #[schema(example = 1)]
    pub rank: Option<u32>,
    /// Its score, 0–100.
    #[schema(example = 87.5)]
    pub score: f64,
    /// Whether it passed the gates.
    pub eligible: bool,
}

/// The record of one call that scored people.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AuditRecord {
    /// The record's id, as sent in the call's `Staffmatch-Audit-Id` header.
    pub id: Uuid,
    /// When the call was answered.
    pub at: DateTime<Utc>,
    /// The id of the API key that made the call (`env-admin` for the configured admin key);
    /// never the secret.
    #[schema(example = "0192f3c4-5d6e-7f80-9a1b-2c3d4e5f6a7b")]
    pub key_id: String,
    /// The request id (`X-Request-Id`), to find the call in the logs.
    pub request_id: Option<String>,
    /// What was called: `GET /assignments/{id}/matches`, `POST /matches`,
    /// `GET /consultants/{id}/matches`, the pair scores, or `match.found`.
    #[schema(example = "GET /assignments/{id}/matches")]
    pub endpoint: String,
    /// The assignment ranked for or scored.
    pub assignment_id: Option<Uuid>,
    /// The consultant a reverse ranking or pair score was made for (a pseudonym once she
    /// was erased).
    pub consultant_id: Option<Uuid>,
    /// For `POST /matches`: the hex SHA-256 of the query's body (the query itself is not kept).
    pub query_digest: Option<String>,
    /// The parameters: `limit`, `offset`, `min_score`, `include_ineligible`, `max_missing`,
    /// the `w_*` overrides given; `min_score` for `match.found`.
    #[schema(value_type = Object, example = json!({"limit": 20, "offset": 0, "min_score": null, "include_ineligible": false, "max_missing": 0, "w_languages": 0.3}))]
    pub params: serde_json::Value,
    /// The scoring rules' version.
    #[schema(example = 3)]
    pub score_version: u32,
    /// The weights used: by component; in a consultant's ranking, by assignment id.
    #[schema(value_type = Object, example = json!({"must_have": 0.35, "can_have": 0.25, "languages": 0.15, "experience": 0.1, "availability": 0.1, "location": 0.05}))]
    pub weights: serde_json::Value,
    /// How many were eligible (all pages).
    pub total_eligible: u64,
    /// The items returned, in order.
    pub items: Vec<AuditedItem>,
}

impl From<RankingAudit> for AuditRecord {
    fn from(a: RankingAudit) -> Self {
        AuditRecord {
            id: a.id,
            at: a.at,
            key_id: a.key_id,
            request_id: a.request_id,
            endpoint: a.endpoint,
            assignment_id: a.assignment_id,
            consultant_id: a.consultant_id,
            query_digest: a.query_digest,
            params: a.params,
            score_version: a.score_version,
            weights: a.weights,
            total_eligible: a.total_eligible,
            items: a
                .items
                .into_iter()
                .map(|i| AuditedItem { id: i.id, rank: i.rank, score: i.score, eligible: i.eligible })
                .collect(),
        }
    }
}

/// A page of audit records.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AuditPage {
    /// The records, oldest first.
    pub items: Vec<AuditRecord>,
    /// Pass as `cursor` to get the next page; null on the last page.
    pub next_cursor: Option<String>,
}

fn uuid_param(p: &mut Params, name: &str) -> Option<Uuid> {
    let raw = p.raw(name)?.to_string();
    match Uuid::parse_str(&raw) {
        Ok(id) => Some(id),
        Err(_) => {
            p.reject(name, format!("must be a UUID such as 0192f3c4-5d6e-7f80-9a1b-2c3d4e5f6a7b, got {raw:?}"));
            None
        }
    }
}

/// List the audit of rankings.
#[utoipa::path(
    operation_id = "list_ranking_audits",
    tag = "Audit",
    summary = "List the audit of rankings.",
    description = "Every call that scored people — both ranking directions, the pair scores, `POST /matches` and the `match.found` computations — appended one record before its answer went out: when, which API key (its id) and request, the endpoint, the assignment (or a digest of an ad-hoc query), the parameters, `score_version`, the weights, `total_eligible` and the items returned (id, rank, score, eligible). The record's id was sent as `Staffmatch-Audit-Id`. `assignment_id` keeps the records of rankings for that assignment or that listed it; `consultant_id` those that listed or scored her, or ranked assignments for her; `since` those made at or after a time. Oldest first; follow `next_cursor`. Records are kept for `STAFFMATCH_AUDIT_RETENTION_DAYS` (default 365, at least 183). An erased consultant's id is replaced by a random pseudonym. Needs the `audit` scope (`admin` implies it).",
    params(
        ("assignment_id" = Option<Uuid>, Query, description = "Only records for or listing this assignment"),
        ("consultant_id" = Option<Uuid>, Query, description = "Only records that listed or scored this consultant"),
        ("since" = Option<DateTime<Utc>>, Query, description = "Only records made at or after this time (RFC 3339)", example = "2026-12-01T00:00:00Z"),
        ("cursor" = Option<String>, Query, description = "Opaque cursor from a previous page's `next_cursor`"),
        ("limit" = Option<u64>, Query, description = "Page size, 1–500 (default 50)", minimum = 1, maximum = 500),
    ),
    responses(
        (status = 200, description = "A page of audit records", body = AuditPage),
        (status = 400, description = "Bad filter, `limit` or `cursor`, every one named", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The key lacks the `audit` scope", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/audit/rankings")]
pub async fn rankings(state: web::Data<AppState>, req: HttpRequest) -> ApiResult<HttpResponse> {
    let mut p = Params::from_request(&req)?;
    let (limit, after) = sync::page(&mut p);
    let filter = AuditFilter {
        assignment_id: uuid_param(&mut p, "assignment_id"),
        consultant_id: uuid_param(&mut p, "consultant_id"),
        since: sync::time(&mut p, "since"),
    };
    p.finish()?;
    state.audit_log.flush().await.map_err(|e| store_error("audit record", "", e))?;
    let (items, next) =
        state.store.ranking_audits(&filter, after, limit).await.map_err(|e| store_error("audit record", "", e))?;
    Ok(HttpResponse::Ok().json(AuditPage {
        items: items.into_iter().map(AuditRecord::from).collect(),
        next_cursor: next.map(sync::encode_cursor),
    }))
}

/// Registers the audit routes.
pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(rankings);
}
