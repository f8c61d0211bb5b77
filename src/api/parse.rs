//! `POST /api/v1/assignments/parse`: a job ad as plain text in, a draft assignment with
//! evidence out. Nothing is stored.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::dto::AssignmentWrite;
use super::error::{ApiError, ApiResult, ErrorCode, Problem};
use super::extract::read_body;
use crate::parser::{ParseError, parse_ad};
use crate::service::AppState;

/// The largest ad accepted, in bytes.
pub const MAX_AD_BYTES: usize = 256 * 1024;

/// Where a value of the draft came from.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Evidence {
    /// JSON path in the draft, e.g. `must_have[0]`, `languages[1]`, `expires_at`.
    #[schema(example = "must_have[0]")]
    pub field: String,
    /// The line of the ad, trimmed.
    #[schema(example = "At least 5 years of experience managing IT infrastructure projects")]
    pub text: String,
    /// 1-based line number.
    #[schema(example = 6)]
    pub line: usize,
}

/// The draft and what it was built from.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ParsedAd {
    /// A draft in the shape of `POST /assignments`, ready to review and store. Skills are
    /// named by their canonical English label.
    pub assignment: AssignmentWrite,
    /// Every extracted value with the line it came from.
    pub evidence: Vec<Evidence>,
    /// Requirement-like lines that yielded nothing, for a person to look at.
    pub unrecognized: Vec<String>,
}

/// Parse a job ad.
#[utoipa::path(
    tag = "Assignments",
    description = "Reads an ad in Swedish, English or both (`text/plain`, UTF-8, up to 256 KiB): must-have and can-have sections and cues (\"Krav\", \"Skall-krav\", \"Meriterande\", \"Bör-krav\", \"Required\", \"Nice to have\", \"is a plus\" …), skills resolved with the taxonomy, years of experience, languages with levels, security clearance and citizenship, title, client, city, work mode, dates and extent. Nothing is stored.",
    request_body(content = String, content_type = "text/plain", example = "IT Project Manager Infrastructure\nWorkplace: Malmö, Sverige\nExpires: September 15, 2025\nMain requirements:\n  • At least 5 years of experience managing IT infrastructure projects\n  • Fluent in both Swedish and English, spoken and written\n  • Willingness to undergo security clearance; Swedish citizenship required for some clients\nRecommended hard skills:\n  • Service management knowledge"),
    responses(
        (status = 200, description = "The draft with evidence", body = ParsedAd),
        (status = 400, description = "Not UTF-8", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Over 256 KiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not text/plain", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Empty text", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/assignments/parse")]
pub async fn parse(state: web::Data<AppState>, req: HttpRequest, mut payload: web::Payload) -> ApiResult<HttpResponse> {
    let ct = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let essence = ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if essence != "text/plain" {
        return Err(ApiError::new(ErrorCode::UnsupportedMediaType, "send the ad as text/plain; charset=utf-8")
            .field("Content-Type", "must be text/plain"));
    }
    let body = read_body(&req, &mut payload, MAX_AD_BYTES).await?;
    let text = String::from_utf8(body.to_vec()).map_err(|e| {
        ApiError::new(
            ErrorCode::InvalidEncoding,
            format!("the text is not valid UTF-8 (at byte {})", e.utf8_error().valid_up_to()),
        )
    })?;
    let skills = state.skills.clone();
    let parsed = web::block(move || {
        let t = skills.read();
        parse_ad(&text, &t)
    })
    .await
    .map_err(|e| ApiError::internal(&e))?;
    let parsed = match parsed {
        Ok(p) => p,
        Err(ParseError::Empty) => {
            return Err(
                ApiError::new(ErrorCode::ValidationFailed, "the ad text is empty").field("", "must not be empty")
            );
        }
    };
    let mut draft = parsed.assignment;
    state.prepare_assignment(&mut draft);
    Ok(HttpResponse::Ok().json(ParsedAd {
        assignment: AssignmentWrite::from(&draft),
        evidence: parsed
            .evidence
            .into_iter()
            .map(|e| Evidence { field: e.field, text: e.text, line: e.line })
            .collect(),
        unrecognized: parsed.unrecognized,
    }))
}
