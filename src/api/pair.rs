//! One consultant scored for one assignment, whatever the gates say: the answer to "why is
//! she not on the list?" and "what would it take?" (`GET /assignments/{id}/matches/{consultant_id}`).
//! The score, explanation and gaps are the ones a ranking gives the same pair.

use actix_web::{HttpRequest, HttpResponse, get, web};
use chrono::Utc;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::error::{ApiError, ApiResult, ErrorCode, Problem, store_error};
use super::extract::Params;
use super::matches::{BLOCKING_SCAN, ConsultantMatch, WeightParams, consultant_item, overrides, weights_with};
use crate::engine::{Card, Graph};
use crate::matching::{MatchOptions, SCORE_VERSION};
use crate::startup::AppState;
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
    // Both ids and the query are checked before anything is looked up, every bad one named.
    let (a, c) = (Uuid::parse_str(&path.0).ok(), Uuid::parse_str(&path.1).ok());
    let mut p = Params::from_request(&req)?;
    let overrides = overrides(&mut p);
    let checked = p.finish();
    let (Some(assignment_id), Some(consultant_id), Ok(())) = (a, c, &checked) else {
        let mut e = checked.err().unwrap_or_else(|| ApiError::new(ErrorCode::InvalidParameter, ""));
        for (name, raw, bad) in [("id", &path.0, a.is_none()), ("consultant_id", &path.1, c.is_none())] {
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
