//! One consultant scored for one assignment, whatever the gates say: the answer to "why is
//! she not on the list?" and "what would it take?", from either side
//! (`GET /assignments/{id}/matches/{consultant_id}`, `GET /consultants/{id}/matches/{assignment_id}`).
//! The score, explanation and gaps are the ones a ranking gives the same pair.

use actix_web::{HttpRequest, HttpResponse, get, web};
use chrono::Utc;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::error::{ApiError, ApiResult, ErrorCode, Problem, store_error};
use super::extract::Params;
use super::match_items::Seen;
use super::match_items::{AssignmentMatch, ConsultantMatch, assignment_item, consultant_item};
use super::matches::{WeightParams, json_response, overrides, rank_error, weights_with};
use super::what_if::{self, WhatIfOut};
use crate::matching::SCORE_VERSION;
use crate::service::AppState;
use crate::service::audit::Asked;
use crate::service::engine::Card;
use crate::service::rankings::{PairStanding, View};
use crate::store::Consultants;

/// One consultant scored for one assignment.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PairMatch<'a> {
    /// The assignment.
    pub assignment_id: Uuid,
    /// The scoring rules' version.
    pub score_version: u32,
    /// The normalised weights used.
    pub weights: super::dto::Weights,
    /// Where the consultant stands among the eligible ones: 1 + how many score higher (ties
    /// share a rank); null when not eligible.
    #[schema(example = 3)]
    pub rank: Option<usize>,
    /// How many consultants are eligible for the assignment.
    #[schema(example = 42)]
    pub total_eligible: usize,
    /// The consultant's score, explanation and gaps, as a ranking lists them.
    #[serde(flatten)]
    pub consultant: ConsultantMatch<'a>,
    /// What would change the result: the changes that make the consultant eligible and the
    /// single changes that add the most points, in words and as merge patches of her profile.
    pub what_if: WhatIfOut,
}

/// One consultant scored for a stored assignment.
#[utoipa::path(
    tag = "Matching",
    description = "Scores one consultant for a stored assignment whatever the gates say: `eligible`, the score, the explanation per requirement and the `gaps` in words, exactly as a ranking of that assignment would list this consultant (with `include_ineligible=true`), and where an eligible consultant stands (`rank` among `total_eligible`; ties share a rank). For a recruiter asked why someone is not on the list, or what they lack. `what_if` says what would change the result: `eligible_if`, the smallest set of changes that makes an ineligible consultant eligible (each as `needed` against what she `has`), `eligible_patch`, all of them as one RFC 7396 merge patch of the consultant (PATCH her with it and the pair is eligible), and `score_gain`, the three single changes that add the most points (a missing can-have, a must-have's years or level, a language level, total experience), each with its exact `points` and its own `patch`. Patches carry whole arrays (`skills`, `languages`, `clearance.citizenships`), as merge patches replace arrays. Clearance and citizenship changes are left out without the `sensitive` scope (`hidden_conditions` counts them). `decision` is the latest decision recorded about the pair. `w_*` override weights as in the ranking.",
    params(
        ("id" = Uuid, Path, description = "Assignment id"),
        ("consultant_id" = Uuid, Path, description = "Consultant id"),
        WeightParams,
    ),
    responses(
        (status = 200, description = "The consultant scored for the assignment", body = PairMatch,
            headers(("Staffmatch-Audit-Id" = Uuid, description = "The id of this score's audit record (`GET /audit/rankings`)"))),
        (status = 400, description = "Malformed id or bad weight override", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such assignment or consultant", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/assignments/{id}/matches/{consultant_id}")]
pub async fn for_pair(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> ApiResult<HttpResponse> {
    let (assignment_id, consultant_id, overrides) = pair_params(&req, &path, ["id", "consultant_id"])?;
    let rec =
        state.store.get::<Consultants>(consultant_id).await.map_err(|e| store_error("consultant", consultant_id, e))?;
    let today = Utc::now().date_naive();
    // A card of the record read here: the explanation points into its skill list.
    let card = Card::new(
        rec.data.name.clone(),
        rec.data.source.as_ref().map(|s| s.external_id.clone()),
        rec.data.skills.iter().map(|s| s.name.as_str().into()).collect(),
    );
    let sensitive = crate::auth::sees_sensitive();
    let reweigh = |w| weights_with(w, &overrides);
    let asked = Asked::new("GET /assignments/{id}/matches/{consultant_id}", overrides);
    let body = state
        .score_for_assignment(&asked, assignment_id, consultant_id, &rec.data, today, reweigh, |t, p: PairStanding| {
            let what_if = what_if::render(t, &rec.data, p.what_if, p.scored.score, sensitive);
            serde_json::to_vec(&PairMatch {
                assignment_id,
                score_version: SCORE_VERSION,
                weights: p.weights.into(),
                rank: p.rank,
                total_eligible: p.total_eligible,
                consultant: consultant_item(t, Some(&card), p.scored, Seen::explained(sensitive), p.decision.as_ref()),
                what_if,
            })
        })
        .await
        .map_err(rank_error)?;
    json_response(body)
}

/// The two path ids (named `names`) and the `w_*` overrides, all checked before anything is
/// looked up, every bad one named.
fn pair_params(
    req: &HttpRequest,
    path: &(String, String),
    names: [&str; 2],
) -> ApiResult<(Uuid, Uuid, [Option<f64>; 6])> {
    let (a, b) = (Uuid::parse_str(&path.0).ok(), Uuid::parse_str(&path.1).ok());
    let mut p = Params::from_request(req)?;
    let overrides = overrides(&mut p);
    let checked = p.finish();
    let (Some(a), Some(b), Ok(())) = (a, b, &checked) else {
        let mut e = checked.err().unwrap_or_else(|| ApiError::new(ErrorCode::InvalidParameter, ""));
        for (name, raw, bad) in [(names[0], &path.0, a.is_none()), (names[1], &path.1, b.is_none())] {
            if bad {
                e = e.field(name, format!("must be a UUID such as 0192f3c4-5d6e-7f80-9a1b-2c3d4e5f6a7b, got {raw:?}"));
            }
        }
        e.detail = match e.errors.len() {
            1 => "1 parameter is invalid".into(),
            n => format!("{n} parameters are invalid"),
        };
        return Err(e);
    };
    Ok((a, b, overrides))
}

/// One assignment scored for one consultant.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AssignmentPairMatch<'a> {
    /// The consultant.
    pub consultant_id: Uuid,
    /// The scoring rules' version.
    pub score_version: u32,
    /// Whether the assignment is open and not past `expires_at` today: only such assignments
    /// are ranked for consultants (`GET /consultants/{id}/matches`). A closed or expired one is
    /// still scored here, without a rank.
    pub open: bool,
    /// Where the assignment stands among the open assignments the consultant is eligible for:
    /// 1 + how many score higher (ties share a rank); null when the consultant is not
    /// eligible or the assignment is not open.
    #[schema(example = 2)]
    pub rank: Option<usize>,
    /// How many open assignments the consultant is eligible for.
    #[schema(example = 7)]
    pub total_eligible: usize,
    /// The assignment's score, explanation and gaps, as the consultant's ranking lists them.
    #[serde(flatten)]
    pub assignment: AssignmentMatch<'a>,
    /// What would change the result: the changes to the consultant's profile that make her
    /// eligible and the single changes that add the most points, as merge patches of it.
    pub what_if: WhatIfOut,
}

/// One assignment scored for a consultant.
#[utoipa::path(
    tag = "Matching",
    description = "Scores one stored assignment for a consultant whatever the gates say: `eligible`, the score, the explanation per requirement and the `gaps` in words, exactly as the consultant's ranking (`GET /consultants/{id}/matches` with `include_ineligible=true`) lists that assignment, and, when the assignment is `open` and the consultant eligible, its `rank` among the `total_eligible` open assignments (ties share a rank). For a recruiter asked why an assignment is missing from a consultant's list. A closed or expired assignment is scored too, with `open: false` and no rank. `what_if` and `decision` as for `GET /assignments/{id}/matches/{consultant_id}` (the patches are of the consultant). `w_*` override weights as in the ranking (applied to every open assignment when ranking).",
    params(
        ("id" = Uuid, Path, description = "Consultant id"),
        ("assignment_id" = Uuid, Path, description = "Assignment id"),
        WeightParams,
    ),
    responses(
        (status = 200, description = "The assignment scored for the consultant", body = AssignmentPairMatch,
            headers(("Staffmatch-Audit-Id" = Uuid, description = "The id of this score's audit record (`GET /audit/rankings`)"))),
        (status = 400, description = "Malformed id or bad weight override", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such consultant or assignment", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/consultants/{id}/matches/{assignment_id}")]
pub async fn for_consultant_pair(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> ApiResult<HttpResponse> {
    let (consultant_id, assignment_id, overrides) = pair_params(&req, &path, ["id", "assignment_id"])?;
    let rec =
        state.store.get::<Consultants>(consultant_id).await.map_err(|e| store_error("consultant", consultant_id, e))?;
    let today = Utc::now().date_naive();
    let sensitive = crate::auth::sees_sensitive();
    let reweigh = |w| weights_with(w, &overrides);
    let render = |v: View<'_>, card: &Card, p: PairStanding| {
        let what_if = what_if::render(v.taxonomy, &rec.data, p.what_if, p.scored.score, sensitive);
        let decision = p.decision.as_ref();
        serde_json::to_vec(&AssignmentPairMatch {
            consultant_id,
            score_version: SCORE_VERSION,
            open: p.open,
            rank: p.rank,
            total_eligible: p.total_eligible,
            assignment: assignment_item(
                v.taxonomy,
                v.engine,
                card,
                p.scored,
                p.weights,
                Seen::explained(sensitive),
                decision,
            ),
            what_if,
        })
    };
    let asked = Asked::new("GET /consultants/{id}/matches/{assignment_id}", overrides);
    let body = state
        .score_for_consultant(&asked, consultant_id, &rec.data, assignment_id, today, reweigh, render)
        .await
        .map_err(rank_error)?;
    json_response(body)
}
