//! A person's data, exported (`GET /consultants/{id}/export`, GDPR Art. 15 and 20) or erased
//! (`POST /consultants/{id}/erase`, Art. 17), by id or by ATS id. Scope `privacy` (`admin`
//! implies it). The export is one JSON document, typed here ([`ConsultantExport`]).

use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::dto::{Consultant, Weights};
use super::error::{ApiError, ApiResult, Problem, parse_id};
use super::resources::source_ref;
use crate::domain::WEIGHT_COMPONENTS;
use crate::matching::SCORE_VERSION;
use crate::service::AppState;
use crate::service::privacy::{PersonData, PrivacyError};
use crate::store::Subject;

/// Her record as the ATS integration knows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SyncRecord {
    /// The ATS she came from.
    pub source: Option<String>,
    /// Her id in that ATS.
    pub external_id: Option<String>,
    /// When her record was created here.
    pub created_at: DateTime<Utc>,
    /// When it last changed (the retention counts from here).
    pub updated_at: DateTime<Utc>,
    /// Its version.
    pub version: i64,
}

/// A ranking or score that involved her, from the audit.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ExportedRanking {
    /// The audit record (`GET /audit/rankings`).
    pub audit_id: Uuid,
    /// When.
    pub at: DateTime<Utc>,
    /// What was called.
    #[schema(example = "GET /assignments/{id}/matches")]
    pub endpoint: String,
    /// The assignment she was ranked for or that was ranked for her (null for an ad-hoc query).
    pub assignment_id: Option<Uuid>,
    /// `listed`: she was in a list of consultants or scored for an assignment;
    /// `her_assignments`: assignments were ranked for her.
    #[schema(example = "listed")]
    pub role: &'static str,
    /// The rank (null when not ranked).
    pub rank: Option<u32>,
    /// The score, 0–100.
    pub score: f64,
    /// Whether the gates were passed.
    pub eligible: bool,
}

/// A webhook event about her.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ExportedEvent {
    /// The event id.
    pub id: Uuid,
    /// Its type.
    #[serde(rename = "type")]
    #[schema(example = "consultant.updated")]
    pub event_type: String,
    /// When it was queued.
    pub created_at: DateTime<Utc>,
    /// The body sent to subscribers.
    #[schema(value_type = Object)]
    pub payload: serde_json::Value,
}

/// An earlier record of hers that was deleted.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ExportedDeletion {
    /// The id it had.
    pub id: Uuid,
    /// When it was deleted.
    pub deleted_at: DateTime<Utc>,
}

/// How scores are computed, in plain words.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ScoringExplained {
    /// The version of the scoring rules in force.
    pub score_version: u32,
    /// The default weights (an assignment may set its own; a ranking may override them).
    pub default_weights: Weights,
    /// The explanation.
    pub text: String,
}

/// Everything staffmatch holds about a consultant.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ConsultantExport {
    /// When this export was made.
    pub exported_at: DateTime<Utc>,
    /// Her profile, with each skill's resolution in the taxonomy.
    pub profile: Consultant,
    /// Her sync record.
    pub sync: SyncRecord,
    /// Every audited ranking or score that listed or scored her, oldest first.
    pub rankings: Vec<ExportedRanking>,
    /// Whether `rankings` was cut (over 100,000 records; read the rest at `GET /audit/rankings`).
    pub rankings_truncated: bool,
    /// Webhook events about her (created, updated, matched), as sent.
    pub webhook_events: Vec<ExportedEvent>,
    /// Deletions of earlier records with her ATS id.
    pub deletions: Vec<ExportedDeletion>,
    /// Recruiters' decisions about her for assignments (shortlisted, rejected, placed,
    /// withdrawn), with their reasons, oldest first.
    pub decisions: Vec<super::decisions::DecisionOut>,
    /// How scores are computed.
    pub how_scores_are_computed: ScoringExplained,
}

/// The answer to an erasure.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ErasureDone {
    /// The erasure's record (it holds when, which key and the audit pseudonym; nothing of her).
    pub erasure_id: Uuid,
    /// When she was erased.
    pub erased_at: DateTime<Utc>,
}

const SCORING_TEXT: &str = "A consultant is first checked against the assignment's gates: every must-have skill (the same skill, a narrower one or one that implies it, with at least the years and level asked), the languages marked required, and any security clearance and citizenship asked. Only those who pass are eligible and ranked; a recruiter may ask to see the others with what they lack. The score, 0 to 100, is 100 × the sum over six components of weight × how well the component is met (each 0 to 1): must-have strength (how far the must-have skills go beyond the minimum), can-have coverage, languages, experience (years against the minimum asked), availability (start date and capacity) and location (work mode and place). The weights below are the defaults; an assignment can set its own and a recruiter can change them for one ranking (every ranking records the weights it used). Personal qualities an assignment lists are never scored: they are left to an interview. Ties are broken by id, so the same data always gives the same order. The score uses only these profile fields; it does not use name, e-mail, age, gender, ethnicity, photos or any other personal characteristic. It is an aid for a recruiter, who decides.";

fn export_doc(d: PersonData) -> ConsultantExport {
    let id = d.record.meta.id;
    let mut rankings = Vec::new();
    for a in &d.rankings {
        if a.consultant_id == Some(id) {
            for it in &a.items {
                rankings.push(ExportedRanking {
                    audit_id: a.id,
                    at: a.at,
                    endpoint: a.endpoint.clone(),
                    // A pair score from the assignment's side lists her as the item.
                    assignment_id: if it.id == id { a.assignment_id } else { Some(it.id) },
                    role: if it.id == id { "listed" } else { "her_assignments" },
                    rank: it.rank,
                    score: it.score,
                    eligible: it.eligible,
                });
            }
        } else if let Some(it) = a.items.iter().find(|it| it.id == id) {
            rankings.push(ExportedRanking {
                audit_id: a.id,
                at: a.at,
                endpoint: a.endpoint.clone(),
                assignment_id: a.assignment_id,
                role: "listed",
                rank: it.rank,
                score: it.score,
                eligible: it.eligible,
            });
        }
    }
    let m = &d.record.meta;
    let source = d.record.data.source.as_ref();
    ConsultantExport {
        exported_at: Utc::now(),
        profile: Consultant::from(&d.record),
        sync: SyncRecord {
            source: source.map(|s| s.source.clone()),
            external_id: source.map(|s| s.external_id.clone()),
            created_at: m.created_at,
            updated_at: m.updated_at,
            version: m.version,
        },
        rankings,
        rankings_truncated: d.rankings_truncated,
        webhook_events: d
            .events
            .into_iter()
            .map(|e| ExportedEvent { id: e.id, event_type: e.event_type, created_at: e.created_at, payload: e.payload })
            .collect(),
        deletions: d.deletions.into_iter().map(|x| ExportedDeletion { id: x.id, deleted_at: x.deleted_at }).collect(),
        decisions: d.decisions.iter().map(super::decisions::DecisionOut::from).collect(),
        how_scores_are_computed: ScoringExplained {
            score_version: SCORE_VERSION,
            default_weights: crate::domain::Weights::default().into(),
            text: format!("{SCORING_TEXT} Components, in order: {}.", WEIGHT_COMPONENTS.join(", ")),
        },
    }
}

fn privacy_error(e: PrivacyError, who: impl std::fmt::Display) -> ApiError {
    match e {
        PrivacyError::NotFound => ApiError::not_found("consultant", who),
        PrivacyError::Store(e) => ApiError::internal(&e),
    }
}

async fn export(state: &AppState, who: Subject, shown: String) -> ApiResult<HttpResponse> {
    let data = state.export_consultant(&who).await.map_err(|e| privacy_error(e, shown))?;
    Ok(HttpResponse::Ok().insert_header((actix_web::http::header::CACHE_CONTROL, "no-store")).json(export_doc(data)))
}

async fn erase(state: &AppState, who: Subject, shown: String) -> ApiResult<HttpResponse> {
    let done = state.erase_consultant(&who, "request").await.map_err(|e| privacy_error(e, shown))?;
    Ok(HttpResponse::Ok().json(ErasureDone { erasure_id: done.id, erased_at: done.at }))
}

const EXPORT_DOC: &str = "One JSON document with everything staffmatch holds about the consultant, for a subject access request (GDPR Art. 15) or portability (Art. 20): her profile with each skill's resolution, her sync record, every audited ranking or score that listed or scored her (when, which assignment, rank, score), the webhook events about her as sent, deletions of earlier records with her ATS id, recruiters' decisions about her (shortlisted, rejected, placed, with their reasons), and how scores are computed with the weights and score version in force. Includes clearance and citizenship. Needs the `privacy` scope (`admin` implies it). Answered with `Cache-Control: no-store`.";

const ERASE_DOC: &str = "Erases the consultant everywhere (GDPR Art. 17), in one transaction: her record and its skills and languages; the match index; recruiters' decisions about her, whose reasons may name her; the data in webhook events about her (queued deliveries send the redacted body); cached idempotent responses holding her data (a retry with the key answers 410); in the audit her id becomes a random pseudonym that nothing maps back. The deletion list keeps only her id (no ATS id) and a `consultant.deleted` event with only her id goes to subscribers, so copies elsewhere are removed. The erasure is recorded (when, which key, the pseudonym) without personal data. On SQLite deleted content is zeroed and the WAL checkpointed before the answer; on PostgreSQL a VACUUM of the touched tables follows. Needs the `privacy` scope (`admin` implies it).";

/// Export a consultant's data.
#[utoipa::path(
    operation_id = "export_consultant",
    tag = "Privacy",
    summary = "Export a consultant's data.",
    description = EXPORT_DOC,
    params(("id" = Uuid, Path, description = "Consultant id")),
    responses(
        (status = 200, description = "Everything held about her", body = ConsultantExport),
        (status = 400, description = "Malformed id", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The key lacks the `privacy` scope", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such consultant", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/consultants/{id}/export")]
pub async fn export_by_id(state: web::Data<AppState>, id: web::Path<String>) -> ApiResult<HttpResponse> {
    let id = parse_id(&id)?;
    export(&state, Subject::Id(id), id.to_string()).await
}

/// Export a consultant's data by her ATS id.
#[utoipa::path(
    operation_id = "export_consultant_by_external_id",
    tag = "Privacy",
    summary = "Export a consultant's data by her ATS id.",
    description = EXPORT_DOC,
    params(
        ("source" = String, Path, description = "The ATS, e.g. `teamtailor`"),
        ("external_id" = String, Path, description = "Her id in that ATS"),
    ),
    responses(
        (status = 200, description = "Everything held about her", body = ConsultantExport),
        (status = 400, description = "Malformed ATS reference", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The key lacks the `privacy` scope", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such consultant", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/consultants/external/{source}/{external_id}/export")]
pub async fn export_by_external_id(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> ApiResult<HttpResponse> {
    let s = source_ref(&path.0, &path.1)?;
    let shown = format!("{}/{}", path.0, path.1);
    export(&state, Subject::Source(s), shown).await
}

/// Erase a consultant.
#[utoipa::path(
    operation_id = "erase_consultant",
    tag = "Privacy",
    summary = "Erase a consultant.",
    description = ERASE_DOC,
    params(("id" = Uuid, Path, description = "Consultant id")),
    responses(
        (status = 200, description = "Erased", body = ErasureDone),
        (status = 400, description = "Malformed id", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The key lacks the `privacy` scope", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such consultant", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/consultants/{id}/erase")]
pub async fn erase_by_id(state: web::Data<AppState>, id: web::Path<String>) -> ApiResult<HttpResponse> {
    let id = parse_id(&id)?;
    erase(&state, Subject::Id(id), id.to_string()).await
}

/// Erase a consultant by her ATS id.
#[utoipa::path(
    operation_id = "erase_consultant_by_external_id",
    tag = "Privacy",
    summary = "Erase a consultant by her ATS id.",
    description = ERASE_DOC,
    params(
        ("source" = String, Path, description = "The ATS, e.g. `teamtailor`"),
        ("external_id" = String, Path, description = "Her id in that ATS"),
    ),
    responses(
        (status = 200, description = "Erased", body = ErasureDone),
        (status = 400, description = "Malformed ATS reference", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The key lacks the `privacy` scope", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such consultant", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/consultants/external/{source}/{external_id}/erase")]
pub async fn erase_by_external_id(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> ApiResult<HttpResponse> {
    let s = source_ref(&path.0, &path.1)?;
    let shown = format!("{}/{}", path.0, path.1);
    erase(&state, Subject::Source(s), shown).await
}

/// Registers the privacy routes (before the consultants' generic `{id}` routes).
pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(export_by_external_id).service(erase_by_external_id).service(export_by_id).service(erase_by_id);
}
