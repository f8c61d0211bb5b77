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
use super::match_items::{AssignmentMatch, ConsultantMatch, assignment_item, card_of, consultant_item};
use super::matches::{BLOCKING_SCAN, WeightParams, open_queries_with, overrides, weights_with};
use crate::matching::{MatchOptions, SCORE_VERSION, ScoredMatch, rank_assignments};
use crate::service::AppState;
use crate::service::engine::{Card, Graph};
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
}

/// One consultant scored for a stored assignment.
#[utoipa::path(
    tag = "Matching",
    description = "Scores one consultant for a stored assignment whatever the gates say: `eligible`, the score, the explanation per requirement and the `gaps` in words, exactly as a ranking of that assignment would list this consultant (with `include_ineligible=true`), and where an eligible consultant stands (`rank` among `total_eligible`; ties share a rank). For a recruiter asked why someone is not on the list, or what they lack. `w_*` override weights as in the ranking.",
    params(
        ("id" = Uuid, Path, description = "Assignment id"),
        ("consultant_id" = Uuid, Path, description = "Consultant id"),
        WeightParams,
    ),
    responses(
        (status = 200, description = "The consultant scored for the assignment", body = PairMatch),
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
    let query = state.engine.read().assignments.get(&assignment_id).map(|a| a.query.clone());
    let mut query = query.ok_or_else(|| ApiError::not_found("assignment", assignment_id))?;
    query.weights = weights_with(query.weights, &overrides)?;
    let rec =
        state.store.get::<Consultants>(consultant_id).await.map_err(|e| store_error("consultant", consultant_id, e))?;
    let today = Utc::now().date_naive();
    let m = {
        let t = state.skills.read();
        let vector = state.engine.read().vector_unsaved(&t, consultant_id, &rec.data);
        crate::matching::score(&vector, &query, &Graph(&t), today)
    };
    let standing = {
        let (skills, engine, query, own) =
            (state.skills.clone(), state.engine.clone(), query.clone(), m.eligible.then_some(m.score));
        move || {
            let (t, e) = (skills.read(), engine.read());
            let mut o = MatchOptions::new(today);
            o.limit = 1;
            let all = e.index.rank(&query, &Graph(&t), &o).total_eligible;
            // Those scoring strictly higher: at or above the next float up.
            let above = own.map(|s| {
                o.min_score = Some(s.next_up());
                e.index.rank(&query, &Graph(&t), &o).total_eligible
            });
            (all, above)
        }
    };
    // Without must-haves the rankings are full scans: off the async workers when large.
    let (total_eligible, above) = if query.must.is_empty() && state.engine.read().index.len() > BLOCKING_SCAN {
        web::block(standing).await.map_err(|e| ApiError::internal(&e))?
    } else {
        standing()
    };
    // A card of the record read here: the explanation points into its skill list.
    let card = Card::new(
        rec.data.name.clone(),
        rec.data.source.as_ref().map(|s| s.external_id.clone()),
        rec.data.skills.iter().map(|s| s.name.as_str().into()).collect(),
    );
    let consultant = consultant_item(&state.skills.read(), Some(&card), m, crate::auth::sees_sensitive());
    Ok(HttpResponse::Ok().json(PairMatch {
        assignment_id,
        score_version: SCORE_VERSION,
        weights: query.weights.into(),
        rank: above.map(|n| n + 1),
        total_eligible,
        consultant,
    }))
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
}

/// One assignment scored for a consultant.
#[utoipa::path(
    tag = "Matching",
    description = "Scores one stored assignment for a consultant whatever the gates say: `eligible`, the score, the explanation per requirement and the `gaps` in words, exactly as the consultant's ranking (`GET /consultants/{id}/matches` with `include_ineligible=true`) lists that assignment, and, when the assignment is `open` and the consultant eligible, its `rank` among the `total_eligible` open assignments (ties share a rank). For a recruiter asked why an assignment is missing from a consultant's list. A closed or expired assignment is scored too, with `open: false` and no rank. `w_*` override weights as in the ranking (applied to every open assignment when ranking).",
    params(
        ("id" = Uuid, Path, description = "Consultant id"),
        ("assignment_id" = Uuid, Path, description = "Assignment id"),
        WeightParams,
    ),
    responses(
        (status = 200, description = "The assignment scored for the consultant", body = AssignmentPairMatch),
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
    let (t, e) = (state.skills.read(), state.engine.read());
    let entry = e.assignments.get(&assignment_id).ok_or_else(|| ApiError::not_found("assignment", assignment_id))?;
    let open = entry.is_matchable(today);
    let mut query = entry.query.clone();
    query.weights = weights_with(query.weights, &overrides)?;
    let vector = e.vector_unsaved(&t, consultant_id, &rec.data);
    // Items of the reverse ranking carry the assignment's id.
    let m = ScoredMatch { id: assignment_id, ..crate::matching::score(&vector, &query, &Graph(&t), today) };
    // Standing among the open assignments, ranked as the consultant's list ranks them.
    let others = open_queries_with(&e, today, &overrides)?;
    let mut o = MatchOptions::new(today);
    o.limit = 1;
    let total_eligible = rank_assignments(&vector, &others, &Graph(&t), &o).total_eligible;
    let rank = (open && m.eligible).then(|| {
        // Those scoring strictly higher: at or above the next float up.
        o.min_score = Some(m.score.next_up());
        rank_assignments(&vector, &others, &Graph(&t), &o).total_eligible + 1
    });
    let mut fresh = None;
    let card = card_of(&e.cards, consultant_id, &rec.data, &mut fresh);
    let weights = query.weights;
    let assignment = assignment_item(&t, &e, card, m, weights, sensitive);
    Ok(HttpResponse::Ok().json(AssignmentPairMatch {
        consultant_id,
        score_version: SCORE_VERSION,
        open,
        rank,
        total_eligible,
        assignment,
    }))
}
