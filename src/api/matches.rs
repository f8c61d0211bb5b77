//! Matching endpoints: consultants ranked for a stored or an unsaved assignment, and open
//! assignments ranked for a consultant. The ranking is the pure engine's; this module
//! parses options, builds the query and renders the explanation in words.

use std::sync::Arc;

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::error::{ApiError, ApiResult, Problem, parse_id, store_error};
use super::extract::{JsonBody, Params};
use crate::domain::{AssignmentInput, ConsultantInput, WEIGHT_COMPONENTS, Weights};
use crate::engine::{Card, EngineState, Graph};
use crate::matching::{Explanation, Gap, Kind, MatchOptions, Resolved, SCORE_VERSION, ScoredMatch, rank_assignments};
use crate::startup::AppState;
use crate::store::Consultants;
use crate::taxonomy::{Taxonomy, Via};

/// Full scans (no must-have to narrow the candidates) over more consultants than this run
/// on the blocking pool, off the async workers.
pub(super) const BLOCKING_SCAN: usize = 20_000;

/// Per-component score, each 0–1.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Breakdown {
    /// Must-have strength beyond the minimum (1 when there are none).
    pub must_have: f64,
    /// Weighted can-have coverage (1 when there are none).
    pub can_have: f64,
    /// Languages beyond the minimum (1 when none are asked).
    pub languages: f64,
    /// Experience against `min_experience_years`.
    pub experience: f64,
    /// Availability within the window and extent.
    pub availability: f64,
    /// Location and work mode.
    pub location: f64,
}

/// How one requirement was met.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ExplanationItem<'a> {
    /// The requirement as the assignment states it ("ITIL", "Swedish (sv) C1", …).
    #[schema(value_type = String, example = "ITIL")]
    pub requirement: std::sync::Arc<str>,
    /// `must_have`, `can_have`, `language`, `clearance`, `citizenship`, `experience`, `availability`, `location`.
    #[schema(example = "can_have")]
    pub kind: &'static str,
    /// `met`, `partial` or `missing`.
    #[schema(example = "met")]
    pub status: &'static str,
    /// The consultant's own skill text and how it reached the requirement: "ITIL v4 (alias)",
    /// "Agil projektledning (Swedish label)", "Scrum Master (English label, narrower skill)".
    #[schema(value_type = Option<String>, example = "Agil projektledning (Swedish label)")]
    pub matched_by: Option<MatchedBy<'a>>,
    /// Points this item adds to the score; all items' points add up to `score`.
    #[schema(example = 6.2)]
    pub points: f64,
}

/// One ranked consultant.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ConsultantMatch<'a> {
    /// The consultant.
    pub consultant_id: Uuid,
    /// The ATS's id.
    #[schema(value_type = Option<String>)]
    pub external_id: Option<&'a str>,
    /// Full name.
    #[schema(value_type = String)]
    pub name: &'a str,
    /// 0–100.
    #[schema(example = 87.4)]
    pub score: f64,
    /// False when a must-have, required language, clearance or citizenship condition is unmet.
    pub eligible: bool,
    /// Per-component values.
    pub breakdown: Breakdown,
    /// Per requirement.
    pub explanation: Vec<ExplanationItem<'a>>,
    /// What is missing, in plain words.
    #[schema(example = json!(["no Swedish (sv) at C1 or above (has B2)"]))]
    pub gaps: Vec<String>,
}

/// Consultants ranked for an assignment.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ConsultantMatches<'a> {
    /// The stored assignment; null for `POST /matches`.
    pub assignment_id: Option<Uuid>,
    /// How many consultants are eligible (all pages).
    pub total_eligible: usize,
    /// How many results are listed under these options (all pages).
    pub total: usize,
    /// The scoring rules' version.
    pub score_version: u32,
    /// The normalised weights used.
    pub weights: super::dto::Weights,
    /// This page, best first; ties by id.
    pub items: Vec<ConsultantMatch<'a>>,
}

/// One ranked assignment.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AssignmentMatch<'a> {
    /// The assignment.
    pub assignment_id: Uuid,
    /// The ATS's id.
    pub external_id: Option<String>,
    /// Title.
    pub title: String,
    /// 0–100.
    pub score: f64,
    /// See `ConsultantMatch.eligible`.
    pub eligible: bool,
    /// Per-component values.
    pub breakdown: Breakdown,
    /// Per requirement.
    pub explanation: Vec<ExplanationItem<'a>>,
    /// What is missing.
    pub gaps: Vec<String>,
    /// The normalised weights this assignment was scored with.
    pub weights: super::dto::Weights,
}

/// Open assignments ranked for a consultant.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AssignmentMatches<'a> {
    /// The consultant.
    pub consultant_id: Uuid,
    /// How many open assignments the consultant is eligible for.
    pub total_eligible: usize,
    /// How many results are listed under these options (all pages).
    pub total: usize,
    /// The scoring rules' version.
    pub score_version: u32,
    /// This page, best first.
    pub items: Vec<AssignmentMatch<'a>>,
}

/// The query parameters of every matching endpoint (documentation; `parse_query` reads
/// them and names each offending one).
#[derive(Debug, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[expect(dead_code, reason = "documents the parameters; parse_query reads them from the query string")]
pub struct MatchParams {
    /// Page size, 1–200 (default 20).
    limit: Option<u64>,
    /// Results to skip, 0–10000 (default 0).
    offset: Option<u64>,
    /// Leave out results scoring below this (0–100).
    min_score: Option<f64>,
    /// Also list those who fail a gate, with their gaps (default false).
    include_ineligible: Option<bool>,
    /// Near-miss mode: also list those who miss at most this many must-haves (0–50).
    max_missing: Option<u32>,
}

/// The per-request weight overrides of the matching endpoints (documentation; [`overrides`]
/// reads them).
#[derive(Debug, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[expect(dead_code, reason = "documents the parameters; overrides reads them from the query string")]
pub struct WeightParams {
    /// Weight override for must-have strength (≥ 0; all weights are normalised).
    w_must_have: Option<f64>,
    /// Weight override for can-have coverage.
    w_can_have: Option<f64>,
    /// Weight override for languages.
    w_languages: Option<f64>,
    /// Weight override for experience.
    w_experience: Option<f64>,
    /// Weight override for availability.
    w_availability: Option<f64>,
    /// Weight override for location and work mode.
    w_location: Option<f64>,
}

struct Query {
    options: MatchOptions,
    overrides: [Option<f64>; 6],
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
    let overrides = overrides(&mut p);
    p.finish()?;
    Ok(Query { options, overrides })
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
    Weights::new(raw).map_err(|m| {
        ApiError::new(super::error::ErrorCode::InvalidParameter, "the weight overrides are invalid")
            .field("w_must_have", m)
    })
}

/// Renders the engine's explanation. `matched_by` names the consultant's own text and how
/// it reached the requirement: which name of the skill it is ("Swedish label", "alias",
/// "near-miss spelling", "same text" for free text) and whether through a narrower or
/// broader skill.
fn explanation<'a>(explanation: Vec<Explanation>, skills: &'a [Arc<str>], vias: &[Via]) -> Vec<ExplanationItem<'a>> {
    explanation
        .into_iter()
        .map(|e| {
            let matched_by =
                e.consultant_skill.and_then(|i| Some((skills.get(i)?, vias.get(i)?))).map(|(text, via)| {
                    let via = match e.resolved {
                        Some(Resolved::FreeText) | None => "same text",
                        Some(_) => via.describe(),
                    };
                    let relation = match e.relation {
                        Some(crate::matching::Relation::Narrower) => ", narrower skill",
                        Some(crate::matching::Relation::Broader) => ", broader skill, partial credit",
                        _ => "",
                    };
                    MatchedBy { text, via, relation }
                });
            ExplanationItem {
                requirement: e.requirement,
                kind: e.kind.as_str(),
                status: e.status.as_str(),
                matched_by,
                points: round(e.points),
            }
        })
        .collect()
}

/// A `matched_by` text, `ITIL v4 (alias, narrower skill)`: the consultant's own skill text
/// (borrowed from the card) and two fixed phrases, written straight into the response. This
/// runs for every item of every result (~200 a page): built as strings, they were ~200
/// allocations and copies a request, and through `format!` ~8% of it. Holding the card's
/// shared text instead (an `Arc` clone per item) put a contended atomic increment on each:
/// ~5% of the server's samples at 4 connections (`perf`). So the page is written while the
/// card is borrowed (`docs/PERFORMANCE.md`).
#[derive(Debug, Clone)]
pub struct MatchedBy<'a> {
    text: &'a str,
    via: &'static str,
    relation: &'static str,
}

impl std::fmt::Display for MatchedBy<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for part in [self.text, " (", self.via, self.relation, ")"] {
            f.write_str(part)?;
        }
        Ok(())
    }
}

impl Serialize for MatchedBy<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Gaps as the caller may see them: without the `sensitive` scope, what a consultant holds
/// in clearance and citizenship is left out (the gate's outcome still shows:
/// `clearance sk2 required (details need the sensitive scope)`).
fn gaps(gaps: Vec<Gap>, sensitive: bool) -> Vec<String> {
    gaps.into_iter()
        .map(|g| match g.kind {
            Kind::Clearance | Kind::Citizenship if !sensitive => {
                let head = g.text.split_once(" (").map_or(g.text.as_str(), |(head, _)| head);
                format!("{head} (details need the sensitive scope)")
            }
            _ => g.text,
        })
        .collect()
}

fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

fn breakdown(m: &ScoredMatch) -> Breakdown {
    let b = m.breakdown;
    Breakdown {
        must_have: round(b.must_have),
        can_have: round(b.can_have),
        languages: round(b.languages),
        experience: round(b.experience),
        availability: round(b.availability),
        location: round(b.location),
    }
}

pub(super) fn consultant_item<'a>(
    t: &Taxonomy,
    card: Option<&'a Card>,
    m: ScoredMatch,
    sensitive: bool,
) -> ConsultantMatch<'a> {
    ConsultantMatch {
        consultant_id: m.id,
        external_id: card.and_then(|c| c.external_id.as_deref()),
        name: card.map_or("", |c| c.name.as_str()),
        score: round(m.score),
        eligible: m.eligible,
        breakdown: breakdown(&m),
        explanation: card.map_or_else(Vec::new, |c| explanation(m.explanation, &c.skills, c.vias(t))),
        gaps: gaps(m.gaps, sensitive),
    }
}

/// The card to explain a consultant's matches with: the engine's, whose resolutions are worked
/// out once and kept, unless it was written after `c` was read (its skills differ), as
/// explanations point into `c`'s skill list; then a fresh one, kept in `fresh`.
pub(super) fn card_of<'c>(
    cards: &'c std::collections::HashMap<Uuid, Card>,
    id: Uuid,
    c: &ConsultantInput,
    fresh: &'c mut Option<Card>,
) -> &'c Card {
    match cards.get(&id) {
        Some(card) if card.skills.iter().map(|s| &**s).eq(c.skills.iter().map(|s| s.name.as_str())) => card,
        _ => fresh.insert(Card::new(String::new(), None, c.skills.iter().map(|s| s.name.as_str().into()).collect())),
    }
}

/// One assignment scored for the consultant of `card`, as the reverse ranking lists it.
pub(super) fn assignment_item<'a>(
    t: &Taxonomy,
    e: &EngineState,
    card: &'a Card,
    m: ScoredMatch,
    weights: Weights,
    sensitive: bool,
) -> AssignmentMatch<'a> {
    let a = e.assignments.get(&m.id);
    AssignmentMatch {
        assignment_id: m.id,
        external_id: a.and_then(|a| a.external_id.clone()),
        title: a.map(|a| a.title.clone()).unwrap_or_default(),
        score: round(m.score),
        eligible: m.eligible,
        breakdown: breakdown(&m),
        explanation: explanation(m.explanation, &card.skills, card.vias(t)),
        weights: weights.into(),
        gaps: gaps(m.gaps, sensitive),
    }
}

async fn rank_consultants(
    state: &AppState,
    assignment_id: Option<Uuid>,
    query: crate::matching::AssignmentQuery,
    options: MatchOptions,
) -> ApiResult<HttpResponse> {
    let weights = query.weights;
    // Read the caller's right here: the ranking may run on another thread.
    let sensitive = crate::auth::sees_sensitive();
    let scan = query.must.is_empty() || options.include_ineligible;
    let full_scan = scan && state.engine.read().index.len() > BLOCKING_SCAN;
    // The page is written while the cards are borrowed under the locks (no per-item copies or
    // reference counts of the consultants' texts), on the blocking pool with the ranking
    // when that is large.
    let run = {
        let (skills, engine) = (state.skills.clone(), state.engine.clone());
        move || {
            let t = skills.read();
            let e = engine.read();
            let page = e.index.rank(&query, &Graph(&t), &options);
            let items: Vec<ConsultantMatch<'_>> =
                page.items.into_iter().map(|m| consultant_item(&t, e.cards.get(&m.id), m, sensitive)).collect();
            let n = items.len();
            let matches = ConsultantMatches {
                assignment_id,
                total_eligible: page.total_eligible,
                total: page.total,
                score_version: SCORE_VERSION,
                weights: weights.into(),
                items,
            };
            page_body(&matches, n)
        }
    };
    let body = if full_scan { web::block(run).await.map_err(|e| ApiError::internal(&e))? } else { run() };
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

/// 200 with a JSON body written by [`page_body`].
fn json_response(body: Result<Vec<u8>, serde_json::Error>) -> ApiResult<HttpResponse> {
    let body = body.map_err(|e| ApiError::internal(&e))?;
    Ok(HttpResponse::Ok().content_type(actix_web::http::header::ContentType::json()).body(body))
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
        (status = 200, description = "Ranked consultants", body = ConsultantMatches),
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
    let query = state.engine.read().assignments.get(&id).map(|a| a.query.clone());
    let mut query = query.ok_or_else(|| ApiError::not_found("assignment", id))?;
    query.weights = weights_with(query.weights, &q.overrides)?;
    rank_consultants(&state, Some(id), query, q.options).await
}

/// Consultants ranked for an unsaved assignment.
#[utoipa::path(
    tag = "Matching",
    description = "The body is an assignment, validated exactly like `POST /assignments` but not stored; the answer is the same as if it were stored and matched. Query parameters as for `GET /assignments/{id}/matches`.",
    params(MatchParams, WeightParams),
    request_body(content = super::dto::AssignmentWrite, content_type = "application/json"),
    responses(
        (status = 200, description = "Ranked consultants", body = ConsultantMatches),
        (status = 422, description = "Invalid assignment", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/matches")]
pub async fn for_unsaved(state: web::Data<AppState>, req: HttpRequest, body: JsonBody) -> ApiResult<HttpResponse> {
    let q = parse_query(&req)?;
    let mut input = AssignmentInput::parse(&body.0)?;
    state.prepare_assignment(&mut input);
    let mut query = {
        let t = state.skills.read();
        state.engine.read().query_unsaved(&t, &input)
    };
    query.weights = weights_with(query.weights, &q.overrides)?;
    rank_consultants(&state, None, query, q.options).await
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
        (status = 200, description = "Ranked assignments", body = AssignmentMatches),
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
    let t = state.skills.read();
    let e = state.engine.read();
    let vector = e.vector_unsaved(&t, id, &rec.data);
    let mut open = e.open_queries(q.options.today);
    for (_, query) in &mut open {
        query.weights = weights_with(query.weights, &q.overrides)?;
    }
    let page = rank_assignments(&vector, &open, &Graph(&t), &q.options);
    let mut fresh = None;
    let card = card_of(&e.cards, id, &rec.data, &mut fresh);
    let sensitive = crate::auth::sees_sensitive();
    let items: Vec<AssignmentMatch<'_>> = page
        .items
        .into_iter()
        .map(|m| {
            // The weights this assignment was scored with, overrides included.
            let weights = open.iter().find(|(aid, _)| *aid == m.id).map(|(_, q)| q.weights).unwrap_or_default();
            assignment_item(&t, &e, card, m, weights, sensitive)
        })
        .collect();
    let n = items.len();
    let matches = AssignmentMatches {
        consultant_id: id,
        total_eligible: page.total_eligible,
        total: page.total,
        score_version: SCORE_VERSION,
        items,
    };
    json_response(page_body(&matches, n))
}

/// Registers the matching routes (before the generic `{id}` routes).
pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(for_assignment)
        .service(super::pair::for_pair)
        .service(for_consultant)
        .service(super::pair::for_consultant_pair)
        .service(for_unsaved);
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// Written straight into the response, `matched_by` is the same JSON string as the joined
    /// text, escapes included.
    #[test]
    fn matched_by_serialises_as_its_joined_text() {
        let m = MatchedBy { text: "C \"sharp\"\n\\ ö", via: "alias", relation: ", narrower skill" };
        let joined = "C \"sharp\"\n\\ ö (alias, narrower skill)";
        assert_eq!(m.to_string(), joined);
        assert_eq!(serde_json::to_string(&m).unwrap(), serde_json::to_string(joined).unwrap());
    }
}
