//! The audit of rankings (AI Act Art. 12): every call that scores people appends one record
//! before its answer goes out: who asked (the API key's id, the request id), what
//! (endpoint, assignment or a digest of the ad-hoc query, parameters), with which rules
//! (`score_version`, weights) and what came back (each item's id, rank, score, eligibility).
//! The read path (`rankings`) builds the record from the page it ranked; this module turns
//! it into the stored form and appends it. A record that cannot be written fails the call:
//! no ranking goes out unrecorded.

use chrono::Utc;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::AppState;
use crate::domain::{WEIGHT_COMPONENTS, Weights};
use crate::matching::{MatchOptions, SCORE_VERSION, ScoredMatch};
use crate::store::{AuditItem, RankingAudit, StoreError};

/// The key id recorded for rankings the service makes on its own (none today: `match.found`
/// is recorded under the key whose write caused it).
pub const SYSTEM_KEY: &str = "system";

/// What the caller asked for, as the audit records it.
#[derive(Debug, Clone)]
pub struct Asked {
    /// The endpoint, e.g. `GET /assignments/{id}/matches`.
    pub endpoint: &'static str,
    /// The `w_*` overrides given, in [`WEIGHT_COMPONENTS`] order.
    pub overrides: [Option<f64>; 6],
    /// Hex SHA-256 of an ad-hoc query's body.
    pub query_digest: Option<String>,
}

impl Asked {
    /// A call of `endpoint` with these overrides.
    pub fn new(endpoint: &'static str, overrides: [Option<f64>; 6]) -> Asked {
        Asked { endpoint, overrides, query_digest: None }
    }

    /// An ad-hoc query (`POST /matches`): its body is recorded as a digest, not stored.
    pub fn adhoc(endpoint: &'static str, overrides: [Option<f64>; 6], body: &Value) -> Asked {
        let digest = crate::auth::hex(&Sha256::digest(body.to_string().as_bytes()));
        Asked { endpoint, overrides, query_digest: Some(digest) }
    }
}

/// An answer and the id of its audit record (sent as `Staffmatch-Audit-Id`).
#[derive(Debug)]
pub struct Audited<R> {
    /// The answer.
    pub value: R,
    /// The audit record's id.
    pub audit_id: Uuid,
}

/// The weights as a JSON object by component name.
pub fn weights_json(w: &Weights) -> Value {
    Value::Object(WEIGHT_COMPONENTS.iter().zip(w.as_array()).map(|(n, v)| (n.to_string(), json!(v))).collect())
}

/// The parameters of a call: the options that shape the list and the overrides given.
fn params(options: Option<&MatchOptions>, overrides: &[Option<f64>; 6]) -> Value {
    let mut m = Map::new();
    if let Some(o) = options {
        m.insert("limit".into(), json!(o.limit));
        m.insert("offset".into(), json!(o.offset));
        m.insert("min_score".into(), json!(o.min_score));
        m.insert("include_ineligible".into(), json!(o.include_ineligible));
        m.insert("max_missing".into(), json!(o.max_missing));
    }
    for (name, o) in WEIGHT_COMPONENTS.iter().zip(overrides) {
        if let Some(v) = o {
            m.insert(format!("w_{name}"), json!(v));
        }
    }
    Value::Object(m)
}

/// A page's items as audited: eligible items ranked by their place in the list (`offset`
/// counted), ineligible ones unranked.
pub fn page_items(items: &[ScoredMatch], offset: usize) -> Vec<AuditItem> {
    items
        .iter()
        .enumerate()
        .map(|(i, m)| AuditItem {
            id: m.id,
            rank: m.eligible.then_some((offset + i + 1) as u32),
            score: m.score,
            eligible: m.eligible,
        })
        .collect()
}

/// What one scoring call produced, for its record.
pub struct Scored<'a> {
    /// What was asked.
    pub asked: &'a Asked,
    /// The list options (`None` for pair scores and `match.found`).
    pub options: Option<&'a MatchOptions>,
    /// Extra parameters (e.g. `match.found`'s threshold).
    pub extra: Option<(&'static str, Value)>,
    /// The assignment ranked for or scored.
    pub assignment_id: Option<Uuid>,
    /// The consultant ranked for or scored.
    pub consultant_id: Option<Uuid>,
    /// The weights used (an object by component, or by assignment id for a consultant's list).
    pub weights: Value,
    /// How many were eligible.
    pub total_eligible: usize,
    /// The items returned.
    pub items: Vec<AuditItem>,
}

impl AppState {
    /// The record of a scoring call, with the caller's key and request id (read here, on the
    /// request's task: they are task-locals).
    pub fn audit_record(&self, s: Scored<'_>) -> RankingAudit {
        let mut params = params(s.options, &s.asked.overrides);
        if let (Some((k, v)), Value::Object(m)) = (s.extra, &mut params) {
            m.insert(k.to_string(), v);
        }
        RankingAudit {
            id: Uuid::now_v7(),
            at: Utc::now(),
            key_id: crate::auth::current_key_id().unwrap_or_else(|| SYSTEM_KEY.to_string()),
            request_id: crate::telemetry::current_request_id(),
            endpoint: s.asked.endpoint.to_string(),
            assignment_id: s.assignment_id,
            consultant_id: s.consultant_id,
            query_digest: s.asked.query_digest.clone(),
            params,
            score_version: SCORE_VERSION,
            weights: s.weights,
            total_eligible: s.total_eligible as u64,
            items: s.items,
        }
    }

    /// Appends the record of a scoring call, durably; returns its id.
    pub async fn audit(&self, s: Scored<'_>) -> Result<Uuid, StoreError> {
        let record = self.audit_record(s);
        self.audit_log.submit(record).durable().await
    }

    /// Records a `match.found` computation after a write of `kind` (`consultant` or
    /// `assignment`) `id`: the pairs found, best first, as `(other id, score)`.
    pub async fn audit_match_found(
        &self,
        kind: &str,
        id: Uuid,
        found: &[(Uuid, f64)],
        min_score: f64,
    ) -> Result<Uuid, StoreError> {
        let asked = Asked::new("match.found", [None; 6]);
        let (assignment_id, consultant_id) = if kind == "assignment" { (Some(id), None) } else { (None, Some(id)) };
        let weights = if kind == "assignment" {
            self.engine.read().assignments.get(&id).map_or(Value::Null, |a| weights_json(&a.query.weights))
        } else {
            let e = self.engine.read();
            let by_assignment = found
                .iter()
                .filter_map(|(a, _)| e.assignments.get(a).map(|q| (a.to_string(), weights_json(&q.query.weights))));
            Value::Object(by_assignment.collect())
        };
        let items = found
            .iter()
            .enumerate()
            .map(|(i, (other, score))| AuditItem {
                id: *other,
                rank: Some(i as u32 + 1),
                score: *score,
                eligible: true,
            })
            .collect();
        self.audit(Scored {
            asked: &asked,
            options: None,
            extra: Some(("min_score", json!(min_score))),
            assignment_id,
            consultant_id,
            weights,
            total_eligible: found.len(),
            items,
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_parameters_record_the_list_options_and_only_the_overrides_given() {
        let mut o = MatchOptions::new(chrono::NaiveDate::from_ymd_opt(2026, 12, 7).unwrap());
        o.limit = 5;
        o.include_ineligible = true;
        let p = params(Some(&o), &[None, None, Some(0.5), None, None, None]);
        assert_eq!(p["limit"], 5);
        assert_eq!(p["include_ineligible"], true);
        assert_eq!(p["w_languages"], 0.5);
        assert!(p.get("w_must_have").is_none());
        assert_eq!(params(None, &[None; 6]), json!({}));
    }

    #[test]
    fn an_ad_hoc_query_is_recorded_as_a_digest_of_its_body() {
        let a = Asked::adhoc("POST /matches", [None; 6], &json!({"title": "Java"}));
        let b = Asked::adhoc("POST /matches", [None; 6], &json!({"title": "Rust"}));
        assert_eq!(a.query_digest.as_ref().map(String::len), Some(64));
        assert_ne!(a.query_digest, b.query_digest);
        assert_eq!(Asked::new("GET /x", [None; 6]).query_digest, None);
    }

    #[test]
    fn weights_are_recorded_by_component_name() {
        let w = weights_json(&Weights::default());
        assert_eq!(w.as_object().map(|m| m.len()), Some(WEIGHT_COMPONENTS.len()));
        assert_eq!(w["must_have"], json!(Weights::default().as_array()[0]));
    }
}
