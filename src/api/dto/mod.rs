//! Wire types: what the API sends, with `ToSchema` so the OpenAPI document shows exactly
//! this. Request bodies are read by `domain::*Input::parse` (which names every offending
//! field); their documented shapes are the `*Write` types here. The consultant's and the
//! assignment's types have a module each; what both and the lists share is here.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::domain::{self, SkillRef};

mod assignment;
mod components;
mod consultant;

pub use assignment::*;
pub use components::*;
pub use consultant::*;

macro_rules! wire_enum {
    ($(#[$meta:meta])* $name:ident from $domain:ty { $($variant:ident = $wire:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
        pub enum $name {
            $(
                #[doc = $wire]
                #[serde(rename = $wire)]
                #[schema(rename = $wire)]
                $variant
            ),+
        }

        impl $name {
            /// Every value on the wire, in order.
            #[cfg(test)]
            pub const WIRE: &'static [&'static str] = &[$($wire),+];
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

pub(super) fn resolved(r: &Option<SkillRef>) -> Option<ResolvedSkill> {
    r.as_ref().map(|r| ResolvedSkill { skill_id: r.skill_id.clone(), method: r.method.into() })
}

pub(super) fn location(l: &Option<domain::Location>) -> Option<Location> {
    l.as_ref().map(|l| Location { city: l.city.clone(), country: l.country.map(|c| c.to_string()) })
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

/// The body of a batch upsert: 1–1,000 items, each a record's body. An item that breaks a
/// rule does not fail the request: it is reported in its own result.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BatchRequest<T: ToSchema> {
    /// The records to create or upsert, in order.
    #[schema(min_items = 1, max_items = 1000)]
    pub items: Vec<T>,
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// The OpenAPI enum of a wire type, as a generated client reads it.
    fn documented<T: utoipa::PartialSchema>() -> Vec<String> {
        let schema = serde_json::to_value(T::schema()).unwrap();
        schema["enum"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect()
    }

    /// Regression for issue 24: the document said `Sk1`, `OnHold`, `Native` while the wire
    /// carries `sk1`, `on_hold`, `native`, so typed clients failed to decode every record.
    #[test]
    fn documented_enum_values_are_the_wire_values() {
        assert_eq!(documented::<CefrLevel>(), CefrLevel::WIRE);
        assert_eq!(documented::<ClearanceLevel>(), ClearanceLevel::WIRE);
        assert_eq!(documented::<WorkMode>(), WorkMode::WIRE);
        assert_eq!(documented::<AssignmentStatus>(), AssignmentStatus::WIRE);
        assert_eq!(documented::<ResolveMethod>(), ResolveMethod::WIRE);
        assert_eq!(serde_json::to_string(&ClearanceLevel::Sk1).unwrap(), "\"sk1\"");
        assert_eq!(serde_json::to_string(&AssignmentStatus::OnHold).unwrap(), "\"on_hold\"");
    }
}
