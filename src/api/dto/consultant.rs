//! The consultant's wire types: the body written and the record read.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::{CefrLevel, ClearanceLevel, Location, ResolvedSkill, WorkMode, location, resolved};
use crate::domain::ConsultantInput;
use crate::store::Record;

/// A consultant's skill.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ConsultantSkill {
    /// The skill as written (1–120 characters), in Swedish or English; kept exactly.
    #[schema(example = "IT infrastructure project management")]
    pub name: String,
    /// Years of experience with it, 0–60.
    #[schema(example = 8, minimum = 0, maximum = 60)]
    pub years: Option<f32>,
    /// Level 1 (aware) … 5 (expert).
    #[schema(example = 4, minimum = 1, maximum = 5)]
    pub level: Option<u8>,
    /// The canonical skill it resolved to, if any (read-only).
    #[schema(read_only)]
    pub resolved: Option<ResolvedSkill>,
}

/// A spoken and written language.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Language {
    /// ISO 639-1 code, lower case.
    #[schema(example = "sv", pattern = "^[a-z]{2}$")]
    pub code: String,
    /// CEFR level or native.
    pub level: CefrLevel,
}

/// A consultant's clearance and citizenship (sensitive).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ClearanceProfile {
    /// Highest clearance held (default none).
    pub level: ClearanceLevel,
    /// ISO 3166-1 alpha-2 citizenships, upper case.
    #[schema(example = json!(["SE"]))]
    pub citizenships: Vec<String>,
    /// Willing to undergo security vetting (default false).
    pub willing_to_undergo: bool,
}

/// The body of a consultant create, replace or upsert. Only `name` is required; unknown
/// fields are rejected; read-only fields (`id`, `version`, `created_at`, `updated_at`,
/// `skills[].resolved`) are ignored so a read can be edited and written back.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!(consultant_example()))]
pub struct ConsultantWrite {
    /// The ATS that owns this record, e.g. `teamtailor` (a-z, 0-9, `.`, `_`, `-`; 1–64).
    pub source: Option<String>,
    /// The ATS's id; unique together with `source`.
    pub external_id: Option<String>,
    /// Full name (required, 1–200 characters).
    pub name: String,
    /// E-mail address.
    pub email: Option<String>,
    /// Where the consultant is based.
    pub location: Option<Location>,
    /// Accepted work modes, no duplicates.
    pub work_modes: Option<Vec<WorkMode>>,
    /// First day available (YYYY-MM-DD).
    pub available_from: Option<NaiveDate>,
    /// Share of full time available, 0–100.
    #[schema(minimum = 0, maximum = 100)]
    pub capacity_percent: Option<u8>,
    /// Total professional experience in years, 0–60.
    pub experience_years: Option<f32>,
    /// Skills (at most 200, names unique ignoring case).
    pub skills: Option<Vec<ConsultantSkill>>,
    /// Languages (codes unique).
    pub languages: Option<Vec<Language>>,
    /// Clearance and citizenship.
    pub clearance: Option<ClearanceProfile>,
}

/// A stored consultant.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Consultant {
    /// Server-made id.
    pub id: Uuid,
    /// +1 on each change; also the `ETag`.
    #[schema(example = 1)]
    pub version: i64,
    /// Creation time (RFC 3339).
    pub created_at: DateTime<Utc>,
    /// Last change (RFC 3339).
    pub updated_at: DateTime<Utc>,
    /// The ATS that owns this record.
    pub source: Option<String>,
    /// The ATS's id.
    pub external_id: Option<String>,
    /// Full name.
    pub name: String,
    /// E-mail address.
    pub email: Option<String>,
    /// Where the consultant is based.
    pub location: Option<Location>,
    /// Accepted work modes.
    pub work_modes: Vec<WorkMode>,
    /// First day available.
    pub available_from: Option<NaiveDate>,
    /// Share of full time available.
    pub capacity_percent: Option<u8>,
    /// Total professional experience in years.
    pub experience_years: Option<f32>,
    /// Skills in the order given.
    pub skills: Vec<ConsultantSkill>,
    /// Languages.
    pub languages: Vec<Language>,
    /// Clearance and citizenship. Sensitive: present only for API keys with the `sensitive`
    /// (or `admin`) scope; left out otherwise.
    #[schema(required = false)]
    pub clearance: ClearanceProfile,
}

/// A stored consultant as the `object` of her webhook events: her API representation.
pub fn consultant_object(r: &Record<ConsultantInput>) -> Option<serde_json::Value> {
    serde_json::to_value(Consultant::from(r)).ok()
}

impl From<&Record<ConsultantInput>> for Consultant {
    fn from(r: &Record<ConsultantInput>) -> Self {
        let c = &r.data;
        Consultant {
            id: r.meta.id,
            version: r.meta.version,
            created_at: r.meta.created_at,
            updated_at: r.meta.updated_at,
            source: c.source.as_ref().map(|s| s.source.clone()),
            external_id: c.source.as_ref().map(|s| s.external_id.clone()),
            name: c.name.clone(),
            email: c.email.clone(),
            location: location(&c.location),
            work_modes: c.work_modes.iter().map(|m| (*m).into()).collect(),
            available_from: c.available_from,
            capacity_percent: c.capacity_percent,
            experience_years: c.experience_years,
            skills: c
                .skills
                .iter()
                .map(|s| ConsultantSkill {
                    name: s.name.clone(),
                    years: s.years,
                    level: s.level.map(|l| l.get()),
                    resolved: resolved(&s.resolved),
                })
                .collect(),
            languages: c
                .languages
                .iter()
                .map(|l| Language { code: l.code.to_string(), level: l.level.into() })
                .collect(),
            clearance: ClearanceProfile {
                level: c.clearance.level.into(),
                citizenships: c.clearance.citizenships.iter().map(ToString::to_string).collect(),
                willing_to_undergo: c.clearance.willing_to_undergo,
            },
        }
    }
}

/// The example consultant used in the documentation: a Swedish IT project manager.
pub fn consultant_example() -> serde_json::Value {
    serde_json::json!({
        "source": "teamtailor", "external_id": "c-1029",
        "name": "Anna Lindqvist", "email": "anna@example.se",
        "location": {"city": "Malmö", "country": "SE"},
        "work_modes": ["onsite", "hybrid"],
        "available_from": "2025-09-01", "capacity_percent": 100,
        "experience_years": 12,
        "skills": [
            {"name": "IT infrastructure project management", "years": 8, "level": 4},
            {"name": "Agil projektledning", "years": 6, "level": 4},
            {"name": "Vattenfallsmetoden", "years": 10, "level": 4},
            {"name": "IT-säkerhet", "years": 5, "level": 3},
            {"name": "ITIL 4", "years": 4, "level": 3},
            {"name": "Jira", "years": 7, "level": 4}
        ],
        "languages": [{"code": "sv", "level": "native"}, {"code": "en", "level": "C1"}],
        "clearance": {"level": "none", "citizenships": ["SE"], "willing_to_undergo": true}
    })
}
