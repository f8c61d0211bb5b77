//! Wire types: what the API sends, with `ToSchema` so the OpenAPI document shows exactly
//! this. Request bodies are read by `domain::*Input::parse` (which names every offending
//! field); their documented shapes are the `*Write` types here.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::domain::{self, AssignmentInput, ConsultantInput, SkillRef};
use crate::store::Record;

macro_rules! wire_enum {
    ($(#[$meta:meta])* $name:ident from $domain:ty { $($variant:ident = $wire:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
        pub enum $name {
            $(
                #[doc = $wire]
                #[serde(rename = $wire)]
                $variant
            ),+
        }

        impl From<$domain> for $name {
            fn from(v: $domain) -> Self {
                match v { $(<$domain>::$variant => $name::$variant),+ }
            }
        }
    };
}

wire_enum!(
    /// CEFR language level; `native` ranks above C2.
    CefrLevel from domain::Cefr { A1 = "A1", A2 = "A2", B1 = "B1", B2 = "B2", C1 = "C1", C2 = "C2", Native = "native" }
);
wire_enum!(
    /// Swedish security clearance (säkerhetsklass), ordered none < sk3 < sk2 < sk1.
    ClearanceLevel from domain::ClearanceLevel { None = "none", Sk3 = "sk3", Sk2 = "sk2", Sk1 = "sk1" }
);
wire_enum!(
    /// How work is done.
    WorkMode from domain::WorkMode { Onsite = "onsite", Hybrid = "hybrid", Remote = "remote" }
);
wire_enum!(
    /// Assignment life cycle; only `open` assignments are matched for consultants.
    AssignmentStatus from domain::AssignmentStatus {
        Draft = "draft", Open = "open", OnHold = "on_hold", Filled = "filled", Closed = "closed"
    }
);
wire_enum!(
    /// How a skill name was resolved to the taxonomy.
    ResolveMethod from domain::ResolveMethod { Exact = "exact", Alias = "alias", Fuzzy = "fuzzy" }
);

/// A place.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Location {
    /// City as written, e.g. "Malmö" (1–100 characters).
    #[schema(example = "Malmö")]
    pub city: Option<String>,
    /// ISO 3166-1 alpha-2 country code, upper case.
    #[schema(example = "SE", pattern = "^[A-Z]{2}$")]
    pub country: Option<String>,
}

/// The canonical skill a name resolved to (read-only; ignored on input).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ResolvedSkill {
    /// Stable taxonomy id.
    #[schema(example = "it-infrastructure-project-management")]
    pub skill_id: String,
    /// How the name was resolved.
    pub method: ResolveMethod,
}

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

fn resolved(r: &Option<SkillRef>) -> Option<ResolvedSkill> {
    r.as_ref().map(|r| ResolvedSkill { skill_id: r.skill_id.clone(), method: r.method.into() })
}

fn location(l: &Option<domain::Location>) -> Option<Location> {
    l.as_ref().map(|l| Location { city: l.city.clone(), country: l.country.map(|c| c.to_string()) })
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
    /// Relative weight among the can-haves, > 0 and ≤ 100 (default 1).
    #[schema(example = 2.0)]
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
    /// Accepted citizenships; empty means no condition. Sensitive: in responses, present only
    /// for API keys with the `sensitive` (or `admin`) scope.
    #[schema(example = json!(["SE"]))]
    pub citizenship: Vec<String>,
    /// Whether a consultant willing to undergo vetting meets `required_level` (default false).
    pub accept_willing: bool,
}

/// Score weights. Any subset may be given (the rest take the defaults); each must be finite
/// and ≥ 0, not all 0; they are normalised to sum to 1.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Weights {
    /// Must-have strength beyond the minimum (default 0.35).
    #[schema(example = 0.35)]
    pub must_have: f64,
    /// Can-have coverage (default 0.25).
    #[schema(example = 0.25)]
    pub can_have: f64,
    /// Languages (default 0.15).
    #[schema(example = 0.15)]
    pub languages: f64,
    /// Overall experience (default 0.10).
    #[schema(example = 0.1)]
    pub experience: f64,
    /// Availability (default 0.10).
    #[schema(example = 0.1)]
    pub availability: f64,
    /// Location and work mode (default 0.05).
    #[schema(example = 0.05)]
    pub location: f64,
}

impl From<domain::Weights> for Weights {
    fn from(w: domain::Weights) -> Self {
        Weights {
            must_have: w.must_have,
            can_have: w.can_have,
            languages: w.languages,
            experience: w.experience,
            availability: w.availability,
            location: w.location,
        }
    }
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
    /// Languages.
    pub languages: Option<Vec<LanguageRequirement>>,
    /// Clearance and citizenship.
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
    /// Languages.
    pub languages: Vec<LanguageRequirement>,
    /// Clearance and citizenship.
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
            languages: Some(full.languages),
            clearance: Some(full.clearance),
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

/// A page of a list.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ListResponse<T: ToSchema> {
    /// The items on this page, oldest first.
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page; null on the last page.
    pub next_cursor: Option<String>,
}

/// A deleted record, as listed for clients that sync by polling.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"id": "01936f0e-8a4b-7c3d-9e2f-3a4b5c6d7e8f", "source": "teamtailor", "external_id": "c-1029", "deleted_at": "2026-12-06T09:30:00Z"}))]
pub struct Deleted {
    /// The id the record had.
    pub id: Uuid,
    /// The ATS it came from, if it had an ATS id.
    pub source: Option<String>,
    /// Its id in that ATS.
    pub external_id: Option<String>,
    /// When it was deleted.
    pub deleted_at: DateTime<Utc>,
}

impl From<crate::store::Deletion> for Deleted {
    fn from(d: crate::store::Deletion) -> Self {
        let (source, external_id) = d.source.map_or((None, None), |s| (Some(s.source), Some(s.external_id)));
        Deleted { id: d.id, source, external_id, deleted_at: d.deleted_at }
    }
}

/// The outcome of one batch item.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct BatchItemResult {
    /// Position of the item in the request.
    pub index: usize,
    /// `created`, `updated`, `unchanged` (the record already held exactly this content:
    /// nothing was written, its version stays and no webhook event is sent) or `error`.
    #[schema(example = "created")]
    pub status: String,
    /// The record's id, unless the item was rejected.
    pub id: Option<Uuid>,
    /// The record's version after the item, unless it was rejected.
    pub version: Option<i64>,
    /// Why the item was rejected (its `errors` name fields inside the item).
    pub problem: Option<super::error::Problem>,
}

/// The result of a batch upsert: one entry per item, in request order.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct BatchResponse {
    /// Items that created a record.
    pub created: usize,
    /// Items that updated an existing record.
    pub updated: usize,
    /// Items whose record already held exactly their content (not written again).
    #[serde(default)]
    pub unchanged: usize,
    /// Items rejected.
    pub failed: usize,
    /// Per-item outcomes.
    pub items: Vec<BatchItemResult>,
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
        "languages": [{"code": "sv", "min_level": "C1", "required": true},
                      {"code": "en", "min_level": "C1", "required": true}],
        "clearance": {"required_level": "sk3", "citizenship": ["SE"], "accept_willing": true},
        "weights": {"must_have": 0.35, "can_have": 0.25, "languages": 0.15,
                    "experience": 0.1, "availability": 0.1, "location": 0.05},
        "status": "open"
    })
}
