//! The resources the API serves as records with a life cycle: the [`ApiResource`] trait
//! (what the shared handlers in `resources.rs` and `sync.rs` need to know of a resource) and
//! its two implementations, consultants and assignments.

use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;

use super::dto;
use crate::domain::{AssignmentInput, ConsultantInput, FieldErrors};
use crate::service::AppState;
use crate::store::{Assignments, Consultants, Record, Resource};

/// A resource served over HTTP.
pub trait ApiResource: Resource + 'static {
    /// Singular noun for messages, e.g. "consultant".
    const KIND: &'static str;
    /// Collection path under `/api/v1`, e.g. "consultants".
    const PATH: &'static str;
    /// The response representation.
    type Dto: Serialize + utoipa::ToSchema + for<'a> From<&'a Record<Self::Input>>;
    /// Dotted paths left out of responses to keys without the `sensitive` scope, which such
    /// keys may not state in requests either ([`super::sensitive`]).
    const SENSITIVE: &'static [&'static str] = &[];
    /// Validates a request body.
    fn parse(body: &Value) -> Result<Self::Input, FieldErrors>;
    /// Derived data computed before storing (e.g. resolving skill names).
    fn prepare(state: &AppState, input: &mut Self::Input);
    /// Keeps in-memory views (the match index) in step after a committed write.
    fn written(state: &AppState, record: &Record<Self::Input>);
    /// Keeps in-memory views in step after a committed delete.
    fn deleted(state: &AppState, id: Uuid);
    /// The `match.found` pairs a committed write creates, scoring at least `min_score`:
    /// `(assignment_id, consultant_id, score)`.
    fn matches(state: &AppState, record: &Record<Self::Input>, min_score: f64) -> Vec<(Uuid, Uuid, f64)>;
}

impl ApiResource for Consultants {
    const KIND: &'static str = "consultant";
    const PATH: &'static str = "consultants";
    type Dto = dto::Consultant;
    const SENSITIVE: &'static [&'static str] =
        &["clearance.level", "clearance.citizenships", "clearance.willing_to_undergo"];

    fn parse(body: &serde_json::Value) -> Result<ConsultantInput, FieldErrors> {
        ConsultantInput::parse(body)
    }
    fn prepare(state: &AppState, input: &mut ConsultantInput) {
        state.prepare_consultant(input);
    }
    fn written(state: &AppState, record: &Record<ConsultantInput>) {
        state.consultant_written(record);
    }
    fn deleted(state: &AppState, id: Uuid) {
        state.consultant_deleted(id);
    }
    fn matches(state: &AppState, record: &Record<ConsultantInput>, min_score: f64) -> Vec<(Uuid, Uuid, f64)> {
        let found = state.match_events_for_consultant(record, min_score);
        found.into_iter().map(|(a, score)| (a, record.meta.id, score)).collect()
    }
}

impl ApiResource for Assignments {
    const KIND: &'static str = "assignment";
    const PATH: &'static str = "assignments";
    type Dto = dto::Assignment;
    const SENSITIVE: &'static [&'static str] =
        &["clearance.required_level", "clearance.citizenship", "clearance.accept_willing"];

    fn parse(body: &serde_json::Value) -> Result<AssignmentInput, FieldErrors> {
        AssignmentInput::parse(body)
    }
    fn prepare(state: &AppState, input: &mut AssignmentInput) {
        state.prepare_assignment(input);
    }
    fn written(state: &AppState, record: &Record<AssignmentInput>) {
        state.assignment_written(record);
    }
    fn deleted(state: &AppState, id: Uuid) {
        state.assignment_deleted(id);
    }
    fn matches(state: &AppState, record: &Record<AssignmentInput>, min_score: f64) -> Vec<(Uuid, Uuid, f64)> {
        let found = state.match_events_for_assignment(record.meta.id, min_score);
        found.into_iter().map(|(c, score)| (record.meta.id, c, score)).collect()
    }
}
