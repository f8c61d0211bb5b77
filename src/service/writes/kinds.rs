//! What the write path needs to know of consultants and assignments ([`Resource`]); their
//! client-facing documents ([`super::Documented`]) come from the API.

use serde_json::Value;
use uuid::Uuid;

use super::Resource;
use crate::domain::{AssignmentInput, ConsultantInput, FieldErrors};
use crate::service::AppState;
use crate::store::{Assignments, Consultants, Record};

impl Resource for Consultants {
    const KIND: &'static str = "consultant";
    const SENSITIVE: &'static [&'static str] =
        &["clearance.level", "clearance.citizenships", "clearance.willing_to_undergo"];

    fn parse(body: &Value) -> Result<ConsultantInput, FieldErrors> {
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

impl Resource for Assignments {
    const KIND: &'static str = "assignment";
    const SENSITIVE: &'static [&'static str] =
        &["clearance.required_level", "clearance.citizenship", "clearance.accept_willing"];

    fn parse(body: &Value) -> Result<AssignmentInput, FieldErrors> {
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
