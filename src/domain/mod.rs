//! Domain types, parsed at the edge: whatever reaches the store or the matching engine has
//! already been validated here. Pure: no actix, sea-orm, utoipa or tokio.

pub mod assignment;
pub mod consultant;
pub mod decision;
pub mod impact;
pub mod reader;
pub mod vocab;
pub mod weights;

pub use assignment::{AssignmentInput, ClearanceRequirement, LanguageRequirement, Preference, Quality, Requirement};
pub use consultant::{ClearanceProfile, ConsultantInput, ConsultantSkill, LanguageSkill};
pub use decision::DecisionInput;
pub use reader::{FieldError, FieldErrors};
pub use vocab::{
    AssignmentStatus, Cefr, ClearanceLevel, CountryCode, DecisionKind, LanguageCode, SkillLevel, WorkMode,
};
pub use weights::{Components, WEIGHT_COMPONENTS, Weights, WeightsError};

use reader::{ObjectReader, string, vocab as vocab_field};
use serde_json::Value;

/// Server-managed fields accepted (and ignored) at the top of a body, so that a client can
/// write back what it read.
pub const READ_ONLY_FIELDS: &[&str] = &["id", "version", "created_at", "updated_at"];

/// The most skills one profile or one requirement list may hold.
pub const MAX_SKILLS: usize = 200;
/// The most years any experience field accepts.
pub const MAX_YEARS: f64 = 60.0;

/// How a skill name was resolved to a canonical taxonomy skill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResolveMethod {
    /// A label in English or Swedish, after normalisation.
    Exact,
    /// An alias or abbreviation.
    Alias,
    /// A near-miss spelling or a spelling without diacritics.
    Fuzzy,
}

impl ResolveMethod {
    /// The wire spelling: `exact`, `alias` or `fuzzy`.
    pub fn as_str(self) -> &'static str {
        match self {
            ResolveMethod::Exact => "exact",
            ResolveMethod::Alias => "alias",
            ResolveMethod::Fuzzy => "fuzzy",
        }
    }

    /// Parses the wire spelling.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "exact" => Some(ResolveMethod::Exact),
            "alias" => Some(ResolveMethod::Alias),
            "fuzzy" => Some(ResolveMethod::Fuzzy),
            _ => None,
        }
    }
}

/// The canonical skill a free-text skill name resolved to, decided when the record is stored.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SkillRef {
    /// The taxonomy's stable skill id, e.g. `kubernetes`.
    pub skill_id: String,
    /// How the name was resolved.
    pub method: ResolveMethod,
}

/// Where someone is based or where work happens.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Location {
    /// City, as written ("Malmö").
    pub city: Option<String>,
    /// ISO 3166-1 alpha-2 country.
    pub country: Option<CountryCode>,
}

/// An applicant tracking system's own identifier for a record: unique per `source`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SourceRef {
    /// The system, e.g. `teamtailor`.
    pub source: String,
    /// Its id there, e.g. `c-1029`.
    pub external_id: String,
}

/// Checks an ATS source name: 1–64 characters of `a-z 0-9 . _ -`.
pub fn valid_source(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-'))
}

/// Checks an external id: 1–200 printable characters without `/`.
pub fn valid_external_id(s: &str) -> bool {
    !s.is_empty() && s.chars().count() <= 200 && !s.chars().any(|c| c.is_control() || c == '/')
}

fn parse_source(r: &mut ObjectReader<'_>, errs: &mut reader::FieldErrors) -> Option<SourceRef> {
    let source_path = r.path_of("source");
    let ext_path = r.path_of("external_id");
    let source = r.optional("source", errs, |v, p, e| {
        let s = string(1, 64)(v, p, e)?;
        if valid_source(&s) {
            Some(s)
        } else {
            e.push(p, "must be 1–64 characters of a-z, 0-9, '.', '_' or '-' (e.g. \"teamtailor\")");
            None
        }
    });
    let external_id = r.optional("external_id", errs, |v, p, e| {
        let s = string(1, 200)(v, p, e)?;
        if valid_external_id(&s) {
            Some(s)
        } else {
            e.push(p, "must be 1–200 characters without '/' or control characters");
            None
        }
    });
    match (source, external_id) {
        (Some(source), Some(external_id)) => Some(SourceRef { source, external_id }),
        (Some(_), None) if !errs.0.iter().any(|e| e.field == ext_path) => {
            errs.push(ext_path, "is required when source is given");
            None
        }
        (None, Some(_)) if !errs.0.iter().any(|e| e.field == source_path) => {
            errs.push(source_path, "is required when external_id is given");
            None
        }
        _ => None,
    }
}

fn parse_location(v: &Value, path: &str, errs: &mut reader::FieldErrors) -> Option<Location> {
    let mut r = ObjectReader::new(v, path, errs)?;
    let city = r.optional("city", errs, string(1, 100));
    let country = r.optional("country", errs, vocab_field(CountryCode::parse));
    r.finish(errs);
    Some(Location { city, country })
}
