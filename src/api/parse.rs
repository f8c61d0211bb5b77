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

/// Why one skill of the draft is where it is, for the person reviewing the draft.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "field": "can_have[1]", "skill": "IT infrastructure", "kind": "general_knowledge", "confidence": 0.8,
    "evidence": "• Technical background with good understanding of IT systems, IT infrastructure, and IT security",
    "line": 8,
    "hint": "general knowledge: made a can-have; whoever has the must-have IT infrastructure project management meets it"
}))]
pub struct RequirementNote {
    /// Where the skill is in the draft: `must_have[0]`, `can_have[2]`, `qualities[1]`.
    #[schema(example = "qualities[0]")]
    pub field: String,
    /// The skill's canonical English label, as in the draft.
    #[schema(example = "Pedagogy")]
    pub skill: String,
    /// `competency`: a verifiable competency, a gate when stated as a requirement, else a
    /// can-have; `general_knowledge`: background ("good understanding of …", "… basics",
    /// "förståelse för …"), a can-have, never a gate, met in full by a specialty that implies
    /// it; `quality`: a personal quality (the taxonomy's soft skills), listed under
    /// `qualities`, to assess in interview.
    #[schema(example = "quality")]
    pub kind: String,
    /// 0–1: how sure the parser is of the skill and its kind (the spelling's similarity times
    /// the certainty of the cue; knowledge asked under a must-have heading is 0.8). Review
    /// the lowest first.
    #[schema(example = 0.9)]
    pub confidence: f32,
    /// The line that decided its kind, trimmed.
    #[schema(example = "• Pedagogical and communicative working style")]
    pub evidence: String,
    /// 1-based number of that line.
    #[schema(example = 10)]
    pub line: usize,
    /// What to review: "competency stated as a requirement: a gate", "merit: a can-have",
    /// "general knowledge: made a can-have", "soft skill: moved to qualities, to assess in
    /// interview (name it in must_have to gate on it)", and "read from a compound of known
    /// parts" or "read from a near-miss spelling, check the skill" when the words were not a
    /// name of the skill.
    #[schema(example = "soft skill: moved to qualities, to assess in interview (name it in must_have to gate on it)")]
    pub hint: String,
}

/// The draft and what it was built from.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ParsedAd {
    /// A draft in the shape of `POST /assignments`, ready to review and store as it is.
    /// Skills are named by their canonical English label; only verifiable competencies
    /// stated as requirements are must-haves; personal qualities are under `qualities`.
    pub assignment: AssignmentWrite,
    /// Every extracted value with the line it came from.
    pub evidence: Vec<Evidence>,
    /// One note per skill of the draft (must-haves, can-haves, then qualities): its kind, a
    /// confidence, the deciding line and a review hint.
    pub requirements: Vec<RequirementNote>,
    /// Requirement-like lines that yielded nothing, for a person to look at.
    pub unrecognized: Vec<String>,
}

/// Parse a job ad.
#[utoipa::path(
    tag = "Assignments",
    description = "Reads an ad in Swedish, English or both (`text/plain`, UTF-8, up to 256 KiB): must-have and can-have sections and cues (\"Krav\", \"Skall-krav\", \"Meriterande\", \"Bör-krav\", \"Required\", \"Nice to have\", \"is a plus\" …), skills resolved with the taxonomy (Swedish compounds included), years of experience, languages with levels, security clearance and citizenship, title, client, city, work mode, dates and extent. Only a verifiable competency stated as a requirement becomes a must-have gate; background knowledge (\"good understanding of IT systems\", \"IT security basics\") becomes a can-have, and personal qualities (communication, pedagogy, teamwork …) go to `qualities`, to assess in interview. `requirements` says why, per skill. The draft can be stored as it is with `POST /assignments`. Nothing is stored here.",
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
    let parsed = web::block(move || skills.view(|t| parse_ad(&text, t))).await.map_err(|e| ApiError::internal(&e))?;
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
        requirements: parsed
            .requirements
            .into_iter()
            .map(|n| RequirementNote {
                field: n.field,
                skill: n.skill,
                kind: n.kind.as_str().to_string(),
                confidence: n.confidence,
                evidence: n.evidence,
                line: n.line,
                hint: n.hint,
            })
            .collect(),
        unrecognized: parsed.unrecognized,
    }))
}
