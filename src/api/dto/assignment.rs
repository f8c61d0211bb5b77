//! The assignment's wire types: the body written, the record read, its requirements and
//! weights.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::{
    AssignmentStatus, CefrLevel, ClearanceLevel, Location, ResolvedSkill, Weights, WorkMode, location, resolved,
};
use crate::domain::AssignmentInput;
use crate::store::Record;

/// A must-have competence: every eligible consultant has it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Requirement {
    /// The skill as written (1–120 characters).
    #[schema(example = "IT infrastructure project management")]
    pub skill: String,
    /// Minimum years, 0–60.
    #[schema(example = 5)]
    pub min_years: Option<f32>,
    /// Minimum level 1–5.
    #[schema(minimum = 1, maximum = 5)]
    pub min_level: Option<u8>,
    /// The canonical skill it resolved to, if any (read-only).
    #[schema(read_only)]
    pub resolved: Option<ResolvedSkill>,
}

/// A can-have competence: adds to the score, never excludes.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Preference {
    /// The skill as written.
    #[schema(example = "Service management")]
    pub skill: String,
    /// Relative weight among the can-haves, > 0 and ≤ 100 (default 1; always present when read).
    #[schema(example = 2.0, required = false)]
    pub weight: f32,
    /// Years that earn full credit.
    pub min_years: Option<f32>,
    /// Level that earns full credit.
    #[schema(minimum = 1, maximum = 5)]
    pub min_level: Option<u8>,
    /// The canonical skill it resolved to, if any (read-only).
    #[schema(read_only)]
    pub resolved: Option<ResolvedSkill>,
}

/// A personal quality (communication, pedagogy, teamwork …), assessed in an interview: every
/// match explanation lists it (`kind: "quality"`, `status: "to_assess"`, 0 points, naming
/// the profile's skill that speaks to it, if any). It never gates and is not scored, unless
/// it carries a `weight`: then it scores exactly like a can-have of that weight (status
/// `met`, `partial` or `missing`). To gate on a quality, name it in `must_have` instead.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"skill": "Pedagogy"}))]
pub struct Quality {
    /// The quality as written (1–120 characters); unique ignoring case, and not also a
    /// must-have or can-have.
    #[schema(example = "Pedagogy")]
    pub skill: String,
    /// Weight among the can-haves, > 0 and ≤ 100; absent or null: to assess in interview,
    /// not scored.
    #[schema(example = json!(null))]
    pub weight: Option<f32>,
    /// The canonical skill it resolved to, if any (read-only).
    #[schema(read_only)]
    pub resolved: Option<ResolvedSkill>,
}

/// A language the assignment asks for.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LanguageRequirement {
    /// ISO 639-1 code.
    #[schema(example = "sv")]
    pub code: String,
    /// Lowest acceptable level (default B2).
    pub min_level: CefrLevel,
    /// A gate when true (the default); a merit when false.
    pub required: bool,
}

/// Security vetting the assignment demands.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ClearanceRequirement {
    /// Lowest acceptable clearance (default none).
    pub required_level: ClearanceLevel,
    /// Accepted citizenships; empty means no condition.
    #[schema(example = json!(["SE"]))]
    pub citizenship: Vec<String>,
    /// Whether a consultant willing to undergo vetting meets `required_level` (default false).
    pub accept_willing: bool,
}

/// The body of an assignment create, replace or upsert. Only `title` is required; unknown
/// fields are rejected; read-only fields are ignored.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!(assignment_example()))]
pub struct AssignmentWrite {
    /// The ATS that owns this record.
    pub source: Option<String>,
    /// The ATS's id; unique together with `source`.
    pub external_id: Option<String>,
    /// Title (required, 1–200 characters).
    pub title: String,
    /// End client.
    pub client: Option<String>,
    /// Free text, up to 20,000 characters.
    pub description: Option<String>,
    /// Where the work is.
    pub location: Option<Location>,
    /// How the work is done.
    pub work_mode: Option<WorkMode>,
    /// First day (YYYY-MM-DD).
    pub start_date: Option<NaiveDate>,
    /// Last day; not before `start_date`.
    pub end_date: Option<NaiveDate>,
    /// Last day to apply.
    pub expires_at: Option<NaiveDate>,
    /// Share of full time, 0–100.
    pub extent_percent: Option<u8>,
    /// Overall experience asked for, in years.
    pub min_experience_years: Option<f32>,
    /// Gates (at most 200, unique ignoring case).
    pub must_have: Option<Vec<Requirement>>,
    /// Merits (at most 200, unique, none also a must-have).
    pub can_have: Option<Vec<Preference>>,
    /// Personal qualities to assess in interview (at most 200, unique, none also a must-have
    /// or can-have); scored only when weighted.
    pub qualities: Option<Vec<Quality>>,
    /// Languages.
    pub languages: Option<Vec<LanguageRequirement>>,
    /// Clearance and citizenship. Only a key with the `sensitive` scope may state it (403
    /// otherwise); a parsed draft leaves it out when the ad states no such condition.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clearance: Option<ClearanceRequirement>,
    /// Score weights for this assignment (service defaults otherwise).
    pub weights: Option<Weights>,
    /// Life cycle (default open).
    pub status: Option<AssignmentStatus>,
}

/// A stored assignment.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Assignment {
    /// Server-made id.
    pub id: Uuid,
    /// +1 on each change; also the `ETag`.
    pub version: i64,
    /// Creation time (RFC 3339).
    pub created_at: DateTime<Utc>,
    /// Last change (RFC 3339).
    pub updated_at: DateTime<Utc>,
    /// The ATS that owns this record.
    pub source: Option<String>,
    /// The ATS's id.
    pub external_id: Option<String>,
    /// Title.
    pub title: String,
    /// End client.
    pub client: Option<String>,
    /// Free text.
    pub description: Option<String>,
    /// Where the work is.
    pub location: Option<Location>,
    /// How the work is done.
    pub work_mode: Option<WorkMode>,
    /// First day.
    pub start_date: Option<NaiveDate>,
    /// Last day.
    pub end_date: Option<NaiveDate>,
    /// Last day to apply.
    pub expires_at: Option<NaiveDate>,
    /// Share of full time.
    pub extent_percent: Option<u8>,
    /// Overall experience asked for.
    pub min_experience_years: Option<f32>,
    /// Gates.
    pub must_have: Vec<Requirement>,
    /// Merits.
    pub can_have: Vec<Preference>,
    /// Personal qualities to assess in interview (scored only when weighted).
    pub qualities: Vec<Quality>,
    /// Languages.
    pub languages: Vec<LanguageRequirement>,
    /// Clearance and citizenship conditions. Sensitive: present only for API keys with the
    /// `sensitive` (or `admin`) scope; left out otherwise.
    #[schema(required = false)]
    pub clearance: ClearanceRequirement,
    /// The assignment's own weights (normalised), or null for the service defaults.
    pub weights: Option<Weights>,
    /// Life cycle.
    pub status: AssignmentStatus,
}

impl From<&AssignmentInput> for AssignmentWrite {
    fn from(a: &AssignmentInput) -> Self {
        let full = assignment_fields(a);
        AssignmentWrite {
            source: full.source,
            external_id: full.external_id,
            title: full.title,
            client: full.client,
            description: full.description,
            location: full.location,
            work_mode: full.work_mode,
            start_date: full.start_date,
            end_date: full.end_date,
            expires_at: full.expires_at,
            extent_percent: full.extent_percent,
            min_experience_years: full.min_experience_years,
            must_have: Some(full.must_have),
            can_have: Some(full.can_have),
            qualities: Some(full.qualities),
            languages: Some(full.languages),
            clearance: (a.clearance != crate::domain::ClearanceRequirement::default()).then_some(full.clearance),
            weights: full.weights,
            status: Some(full.status),
        }
    }
}

fn assignment_fields(a: &AssignmentInput) -> Assignment {
    assignment_from(
        &crate::store::Meta {
            id: Uuid::nil(),
            version: 0,
            created_at: DateTime::UNIX_EPOCH,
            updated_at: DateTime::UNIX_EPOCH,
        },
        a,
    )
}

impl From<&Record<AssignmentInput>> for Assignment {
    fn from(r: &Record<AssignmentInput>) -> Self {
        assignment_from(&r.meta, &r.data)
    }
}

fn assignment_from(meta: &crate::store::Meta, a: &AssignmentInput) -> Assignment {
    Assignment {
        id: meta.id,
        version: meta.version,
        created_at: meta.created_at,
        updated_at: meta.updated_at,
        source: a.source.as_ref().map(|s| s.source.clone()),
        external_id: a.source.as_ref().map(|s| s.external_id.clone()),
        title: a.title.clone(),
        client: a.client.clone(),
        description: a.description.clone(),
        location: location(&a.location),
        work_mode: a.work_mode.map(Into::into),
        start_date: a.start_date,
        end_date: a.end_date,
        expires_at: a.expires_at,
        extent_percent: a.extent_percent,
        min_experience_years: a.min_experience_years,
        must_have: a
            .must_have
            .iter()
            .map(|m| Requirement {
                skill: m.skill.clone(),
                min_years: m.min_years,
                min_level: m.min_level.map(|l| l.get()),
                resolved: resolved(&m.resolved),
            })
            .collect(),
        can_have: a
            .can_have
            .iter()
            .map(|c| Preference {
                skill: c.skill.clone(),
                weight: c.weight,
                min_years: c.min_years,
                min_level: c.min_level.map(|l| l.get()),
                resolved: resolved(&c.resolved),
            })
            .collect(),
        qualities: a
            .qualities
            .iter()
            .map(|q| Quality { skill: q.skill.clone(), weight: q.weight, resolved: resolved(&q.resolved) })
            .collect(),
        languages: a
            .languages
            .iter()
            .map(|l| LanguageRequirement {
                code: l.code.to_string(),
                min_level: l.min_level.into(),
                required: l.required,
            })
            .collect(),
        clearance: ClearanceRequirement {
            required_level: a.clearance.required_level.into(),
            citizenship: a.clearance.citizenship.iter().map(ToString::to_string).collect(),
            accept_willing: a.clearance.accept_willing,
        },
        weights: a.weights.map(Into::into),
        status: a.status.into(),
    }
}

/// The example assignment used in the documentation: the IT Project Manager Infrastructure posting.
pub fn assignment_example() -> serde_json::Value {
    serde_json::json!({
        "source": "teamtailor", "external_id": "job-77",
        "title": "IT Project Manager Infrastructure", "client": "Nexer Infrastructure",
        "description": "IT Project Manager with experience in digitalization projects for assignments in Malmö and Karlskrona.",
        "location": {"city": "Malmö", "country": "SE"}, "work_mode": "onsite",
        "start_date": "2025-10-01", "end_date": "2026-03-31", "expires_at": "2025-09-15",
        "extent_percent": 100,
        "min_experience_years": 5,
        "must_have": [
            {"skill": "IT infrastructure project management", "min_years": 5},
            {"skill": "Agile project management"},
            {"skill": "Waterfall project management"},
            {"skill": "IT security"},
            {"skill": "Project management tools"}
        ],
        "can_have": [{"skill": "Service management", "weight": 2.0}, {"skill": "IT frameworks"}],
        "qualities": [{"skill": "Pedagogy"}, {"skill": "Communication"}, {"skill": "Teamwork", "weight": 1.0}],
        "languages": [{"code": "sv", "min_level": "C1", "required": true},
                      {"code": "en", "min_level": "C1", "required": true}],
        "clearance": {"required_level": "sk3", "citizenship": ["SE"], "accept_willing": true},
        "weights": {"must_have": 0.35, "can_have": 0.25, "languages": 0.15,
                    "experience": 0.1, "availability": 0.1, "location": 0.05},
        "status": "open"
    })
}
