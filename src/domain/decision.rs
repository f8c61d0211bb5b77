//! A recruiter's decision about a consultant for an assignment, parsed and validated from
//! JSON: who (`consultant_id`), what (`decision`), why (`reason`, required for overrides, which
//! the service decides) and from which ranking (`audit_id`, optional).

use serde_json::Value;
use uuid::Uuid;

use super::reader::{FieldErrors, ObjectReader, string, vocab};
use super::vocab::DecisionKind;

/// The longest `reason` accepted, in characters.
pub const MAX_REASON: usize = 2000;
/// The longest `audit_id` accepted, in characters.
pub const MAX_AUDIT_ID: usize = 64;

/// A validated decision (the body of `POST /assignments/{id}/decisions`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionInput {
    /// The consultant decided about.
    pub consultant_id: Uuid,
    /// What was decided.
    pub decision: DecisionKind,
    /// Why, in the recruiter's words (trimmed; `None` when absent or blank).
    pub reason: Option<String>,
    /// The `Staffmatch-Audit-Id` of the ranking the decision was made from, if given.
    pub audit_id: Option<String>,
}

impl DecisionInput {
    /// Parses a decision body, collecting every problem with its path.
    pub fn parse(body: &Value) -> Result<Self, FieldErrors> {
        let mut errs = FieldErrors::default();
        let Some(mut r) = ObjectReader::new(body, "", &mut errs) else {
            return Err(errs);
        };
        let consultant_id = r.required("consultant_id", &mut errs, |v, p, e| {
            let s = string(1, 64)(v, p, e)?;
            match Uuid::parse_str(&s) {
                Ok(id) => Some(id),
                Err(_) => {
                    e.push(p, format!("must be a consultant id (a UUID), got {s:?}"));
                    None
                }
            }
        });
        let decision = r.required("decision", &mut errs, vocab(DecisionKind::parse));
        // A blank reason is no reason: it is checked as absent, not refused as blank.
        let reason = r.optional("reason", &mut errs, |v, p, e| match v.as_str() {
            Some(s) if s.trim().is_empty() => None,
            _ => string(1, MAX_REASON)(v, p, e),
        });
        let audit_id = r.optional("audit_id", &mut errs, |v, p, e| {
            let s = string(1, MAX_AUDIT_ID)(v, p, e)?;
            if s.bytes().all(|b| b.is_ascii_graphic()) {
                Some(s)
            } else {
                e.push(p, "must be the Staffmatch-Audit-Id of a ranking (visible ASCII characters)");
                None
            }
        });
        r.finish(&mut errs);
        match (consultant_id, decision) {
            (Some(consultant_id), Some(decision)) if errs.is_empty() => {
                Ok(DecisionInput { consultant_id, decision, reason, audit_id })
            }
            _ => {
                if errs.is_empty() {
                    errs.push("", "is invalid");
                }
                Err(errs)
            }
        }
    }

    /// Whether this decision overrides the engine: rejecting someone it ranks in the top
    /// [`OVERRIDE_TOP`] (`rank`: 1 + how many score higher, `None` when not listed), or
    /// shortlisting someone it does not list (`eligible` false).
    pub fn overrides(&self, eligible: bool, rank: Option<usize>) -> bool {
        match self.decision {
            DecisionKind::Rejected => rank.is_some_and(|r| r <= OVERRIDE_TOP),
            DecisionKind::Shortlisted => !eligible,
            DecisionKind::Placed | DecisionKind::Withdrawn => false,
        }
    }
}

/// Rejecting a consultant ranked this high or higher is an override that needs a reason.
pub const OVERRIDE_TOP: usize = 10;

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use serde_json::json;

    use super::*;

    #[test]
    fn every_bad_field_is_named() {
        let e = DecisionInput::parse(&json!({"consultant_id": "x", "decision": "hired", "audit_id": 3, "extra": 1}))
            .unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["consultant_id", "decision", "audit_id", "extra"]);
    }

    #[test]
    fn overrides_are_top_ten_rejections_and_unlisted_shortlists() {
        let id = Uuid::nil().to_string();
        let d = |kind: &str| DecisionInput::parse(&json!({"consultant_id": id, "decision": kind})).unwrap();
        assert!(d("rejected").overrides(true, Some(10)));
        assert!(!d("rejected").overrides(true, Some(11)));
        assert!(!d("rejected").overrides(false, None));
        assert!(d("shortlisted").overrides(false, None));
        assert!(!d("shortlisted").overrides(true, Some(40)));
        assert!(!d("placed").overrides(false, None));
        let blank = DecisionInput::parse(&json!({"consultant_id": id, "decision": "rejected", "reason": "  "}));
        assert_eq!(blank.unwrap().reason, None);
    }
}
