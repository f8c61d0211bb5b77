//! `POST /audit/impact`: the adverse-impact report (needs `audit` and `sensitive`). The
//! auditor's categories arrive in the body, are used for the one computation and are never
//! stored: not in the database, the logs or the audit records, and the route takes no
//! `Idempotency-Key` (whose record would keep the answer). The answer holds only aggregates
//! per category, never which consultant is in which.

use actix_web::{HttpResponse, post, web};
use chrono::Utc;
use serde::Serialize;
use utoipa::ToSchema;

use super::error::{ApiError, ApiResult, ErrorCode, Problem};
use super::extract::JsonBody;
use crate::domain::impact::ImpactRequest;
use crate::matching::{CategoryReport, FOUR_FIFTHS};
use crate::service::AppState;
use crate::service::impact::{Impact, ImpactError, MAX_PAIRS};

/// The request.
// Deserialize only for `deny_unknown_fields`, which the schema shows as
// `additionalProperties: false`: the parser refuses unknown fields (422).
#[derive(Debug, Clone, serde::Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"assignment_ids": "open", "groups": {"0192f3c4-5d6e-7f80-9a1b-2c3d4e5f6a7b": "women", "0192f3c4-5d6e-7f80-9a1b-2c3d4e5f6a7c": "men", "0192f3c4-5d6e-7f80-9a1b-2c3d4e5f6a7d": null}, "min_share": 0.02}))]
#[expect(dead_code, reason = "documents the body; ImpactRequest::parse reads it")]
pub struct ImpactWrite {
    /// The assignments to pair the consultants with: ids (any status, up to 1,000), or
    /// `"open"` for the open, unexpired ones today. Consultants × assignments: at most
    /// 5,000,000 pairs.
    #[schema(schema_with = assignment_ids_schema)]
    assignment_ids: serde_json::Value,
    /// Consultant id → the auditor's category for her (up to 100 characters), or null when
    /// unknown; up to 100,000 consultants. Never stored.
    #[schema(schema_with = groups_schema)]
    groups: serde_json::Value,
    /// Categories with less than this share (0–1) of the pairs are listed but left out of the
    /// impact ratios (default 0.02).
    #[schema(minimum = 0.0, maximum = 1.0)]
    min_share: Option<f64>,
}

/// `assignment_ids`: up to 1,000 assignment ids, or the word `"open"`.
fn assignment_ids_schema() -> utoipa::openapi::Schema {
    use utoipa::openapi::schema::{ArrayBuilder, KnownFormat, ObjectBuilder, OneOfBuilder, SchemaFormat, Type};
    let id = ObjectBuilder::new().schema_type(Type::String).format(Some(SchemaFormat::KnownFormat(KnownFormat::Uuid)));
    OneOfBuilder::new()
        .description(Some(
            "The assignments to pair the consultants with: ids (any status, up to 1,000), or `\"open\"` for the \
             open, unexpired ones today. Consultants × assignments: at most 5,000,000 pairs.",
        ))
        .item(ArrayBuilder::new().items(id).min_items(Some(1)).max_items(Some(1_000)))
        .item(ObjectBuilder::new().schema_type(Type::String).enum_values(Some(["open"])))
        .build()
        .into()
}

/// `groups`: consultant id → category (1–100 characters) or null.
fn groups_schema() -> utoipa::openapi::Schema {
    use utoipa::openapi::schema::{ObjectBuilder, SchemaType, Type};
    let category = ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
        .min_length(Some(1))
        .max_length(Some(100));
    ObjectBuilder::new()
        .schema_type(Type::Object)
        .description(Some(
            "Consultant id → the auditor's category for her (1–100 characters), or null when unknown; up to \
             100,000 consultants. Never stored.",
        ))
        .additional_properties(Some(category))
        .build()
        .into()
}

/// One category's figures.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CategoryOut {
    /// The category as the request named it.
    #[schema(example = "women")]
    pub category: String,
    /// Its pairs (consultants in it × assignments).
    pub n: usize,
    /// Its share of all pairs.
    pub share: f64,
    /// The share of its pairs that are eligible.
    pub selection_rate: f64,
    /// The share of its pairs scoring strictly above `median_score` (an ineligible pair
    /// scores 0).
    pub scoring_rate: f64,
    /// `selection_rate` over the highest category's; null when the category is under
    /// `min_share` or no category has an eligible pair.
    pub selection_impact_ratio: Option<f64>,
    /// `scoring_rate` over the highest category's; null as above.
    pub scoring_impact_ratio: Option<f64>,
    /// Either impact ratio below 0.8 (the four-fifths rule): a sign of adverse impact.
    pub flagged: bool,
    /// Under `min_share`: listed, but left out of the ratios.
    pub excluded: bool,
}

/// The report.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ImpactOut {
    /// Every category named, in name order.
    pub categories: Vec<CategoryOut>,
    /// The median score of all pairs (ineligible pairs score 0).
    pub median_score: f64,
    /// Pairs whose consultant's category is null.
    pub unknown: usize,
    /// Pairs in the sample.
    pub pairs: usize,
    /// Consultants in the sample.
    pub consultants: usize,
    /// Assignments in the sample.
    pub assignments: usize,
    /// The `min_share` applied.
    pub min_share: f64,
    /// The categories under `min_share`, left out of the ratios.
    pub excluded_categories: Vec<String>,
    /// The highest selection rate among the categories in the ratios (their denominator).
    pub highest_selection_rate: f64,
    /// The highest scoring rate among the categories in the ratios.
    pub highest_scoring_rate: f64,
    /// The impact ratio below which a category is flagged (0.8).
    pub threshold: f64,
}

fn round(x: f64, places: i32) -> f64 {
    let f = 10f64.powi(places);
    (x * f).round() / f
}

impl From<&CategoryReport> for CategoryOut {
    fn from(c: &CategoryReport) -> Self {
        CategoryOut {
            category: c.category.clone(),
            n: c.n,
            share: round(c.share, 6),
            selection_rate: round(c.selection_rate, 6),
            scoring_rate: round(c.scoring_rate, 6),
            selection_impact_ratio: c.selection_impact_ratio.map(|r| round(r, 6)),
            scoring_impact_ratio: c.scoring_impact_ratio.map(|r| round(r, 6)),
            flagged: c.flagged,
            excluded: c.excluded,
        }
    }
}

fn impact_error(e: ImpactError) -> ApiError {
    let list = |ids: &[uuid::Uuid]| ids.iter().map(|id| id.to_string()).collect::<Vec<_>>().join(", ");
    match e {
        ImpactError::UnknownAssignments(ids) => ApiError::new(ErrorCode::ValidationFailed, "1 field is invalid")
            .field("assignment_ids", format!("no assignment has these ids: {}", list(&ids))),
        ImpactError::UnknownConsultants(ids) => {
            let mut err = ApiError::new(
                ErrorCode::ValidationFailed,
                format!("{} consultants named in groups are not stored", ids.len()),
            );
            for id in ids.iter().take(100) {
                err = err.field(format!("groups.{id}"), "no consultant has this id");
            }
            err
        }
        ImpactError::TooLarge(n) => ApiError::new(
            ErrorCode::ValidationFailed,
            format!("the sample would hold {n} pairs, more than {MAX_PAIRS}: audit fewer consultants or assignments at a time"),
        )
        .field("groups", format!("consultants × assignments must be at most {MAX_PAIRS}")),
        ImpactError::Blocking(why) => ApiError::internal(&std::io::Error::other(why)),
    }
}

/// An adverse-impact report.
#[utoipa::path(
    operation_id = "impact_report",
    tag = "Audit",
    description = "A bias audit of the scoring in the manner of NYC Local Law 144. The sample is every pair of a consultant named in `groups` with an assignment in `assignment_ids` (or every open, unexpired one for `\"open\"`); a pair's score is the engine's score when eligible and 0 when not, with each assignment's own weights, today. Per category: `n` pairs, `selection_rate` (share of pairs eligible), `scoring_rate` (share scoring strictly above the median of all pairs), and each divided by the highest category's rate (`selection_impact_ratio`, `scoring_impact_ratio`); `flagged` when either is below 0.8 (the four-fifths rule). Pairs of consultants whose category is null count in the sample and its median and as `unknown`; categories under `min_share` of the pairs are listed with `excluded: true` and left out of the ratios. Needs the `audit` and `sensitive` scopes. The categories are never stored — not in the database, the logs or the audit records — and this route takes no `Idempotency-Key`; the answer holds only aggregates per category. See docs/COMPLIANCE.md.",
    request_body(content = ImpactWrite, content_type = "application/json"),
    responses(
        (status = 200, description = "The report", body = ImpactOut),
        (status = 403, description = "The key lacks `audit`, or lacks `sensitive` (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid body, every field named, or ids that are not stored", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/audit/impact")]
pub async fn impact(state: web::Data<AppState>, body: JsonBody) -> ApiResult<HttpResponse> {
    if !crate::auth::sees_sensitive() {
        return Err(ApiError::new(
            ErrorCode::Forbidden,
            "POST /api/v1/audit/impact needs an API key with the `audit` and `sensitive` scopes",
        )
        .field("Authorization", "the key lacks the `sensitive` scope"));
    }
    let req = ImpactRequest::parse(&body.0)?;
    let min_share = req.min_share;
    let Impact { report, assignments, consultants } =
        state.impact_report(req, Utc::now().date_naive()).await.map_err(impact_error)?;
    Ok(HttpResponse::Ok().json(ImpactOut {
        categories: report.categories.iter().map(CategoryOut::from).collect(),
        median_score: round(report.median_score, 3),
        unknown: report.unknown,
        pairs: report.pairs,
        consultants,
        assignments,
        min_share,
        excluded_categories: report.excluded,
        highest_selection_rate: round(report.highest_selection_rate, 6),
        highest_scoring_rate: round(report.highest_scoring_rate, 6),
        threshold: FOUR_FIFTHS,
    }))
}
