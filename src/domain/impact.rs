//! The body of an adverse-impact report request (`POST /audit/impact`), parsed and validated:
//! which assignments (`assignment_ids`, or `"open"`), the auditor's category per consultant
//! (`groups`, a category or null) and `min_share`. The categories are held in memory for the
//! one computation and never stored.

use serde_json::Value;
use uuid::Uuid;

use super::reader::{FieldErrors, ObjectReader, array, join, number, string, type_name};

/// The most consultants one report may name.
pub const MAX_GROUPS: usize = 100_000;
/// The most assignments one report may name.
pub const MAX_ASSIGNMENTS: usize = 1_000;
/// The longest category name, in characters.
pub const MAX_CATEGORY: usize = 100;
/// The `min_share` used when none is given (the 2% NYC LL144 audits may set aside).
pub const DEFAULT_MIN_SHARE: f64 = 0.02;

/// Which assignments the sample pairs the consultants with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditScope {
    /// The open, unexpired assignments on the day of the report.
    Open,
    /// These assignments (any status).
    Ids(Vec<Uuid>),
}

/// A validated impact report request.
#[derive(Debug, Clone, PartialEq)]
pub struct ImpactRequest {
    /// The assignments.
    pub assignments: AuditScope,
    /// Each consultant with the auditor's category (`None`: unknown), in id order.
    pub groups: Vec<(Uuid, Option<String>)>,
    /// Categories with less than this share (0–1) of the pairs are left out of the ratios.
    pub min_share: f64,
}

impl ImpactRequest {
    /// Parses the body, collecting every problem with its path.
    pub fn parse(body: &Value) -> Result<Self, FieldErrors> {
        let mut errs = FieldErrors::default();
        let Some(mut r) = ObjectReader::new(body, "", &mut errs) else {
            return Err(errs);
        };
        let assignments = r.required("assignment_ids", &mut errs, |v, p, e| match v {
            Value::String(s) if s == "open" => Some(AuditScope::Open),
            Value::Array(items) => {
                let ids = array(MAX_ASSIGNMENTS, |v, p, e| uuid(v, p, e, "an assignment id"))(v, p, e)?;
                if items.is_empty() {
                    e.push(p, "must name at least one assignment, or be \"open\"");
                    return None;
                }
                let mut ids: Vec<Uuid> = ids.into_iter().map(|(_, id)| id).collect();
                ids.sort_unstable();
                ids.dedup();
                Some(AuditScope::Ids(ids))
            }
            other => {
                e.push(p, format!("must be an array of assignment ids or \"open\", got {}", type_name(other)));
                None
            }
        });
        let groups = r.required("groups", &mut errs, |v, p, e| {
            let Value::Object(map) = v else {
                e.push(p, format!("must be an object of consultant id → category or null, got {}", type_name(v)));
                return None;
            };
            if map.is_empty() || map.len() > MAX_GROUPS {
                e.push(p, format!("must name 1–{MAX_GROUPS} consultants, got {}", map.len()));
                return None;
            }
            let mut out = Vec::with_capacity(map.len());
            for (key, value) in map {
                let path = join(p, key);
                let Ok(id) = Uuid::parse_str(key) else {
                    e.push(path, "must be keyed by a consultant id (a UUID)");
                    continue;
                };
                match value {
                    Value::Null => out.push((id, None)),
                    other => {
                        if let Some(c) = string(1, MAX_CATEGORY)(other, &path, e) {
                            out.push((id, Some(c)));
                        }
                    }
                }
            }
            out.sort_by_key(|(id, _)| *id);
            Some(out)
        });
        let min_share = r.optional("min_share", &mut errs, number(0.0, 1.0));
        r.finish(&mut errs);
        match (assignments, groups) {
            (Some(assignments), Some(groups)) if errs.is_empty() => {
                Ok(ImpactRequest { assignments, groups, min_share: min_share.unwrap_or(DEFAULT_MIN_SHARE) })
            }
            _ => Err(errs),
        }
    }
}

/// A UUID string (`what` names it in the message).
fn uuid(v: &Value, path: &str, errs: &mut FieldErrors, what: &str) -> Option<Uuid> {
    let s = string(1, 64)(v, path, errs)?;
    match Uuid::parse_str(&s) {
        Ok(id) => Some(id),
        Err(_) => {
            errs.push(path, format!("must be {what} (a UUID), got {s:?}"));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use serde_json::json;

    use super::*;

    #[test]
    fn open_or_ids_and_every_bad_field_named() {
        let id = Uuid::nil().to_string();
        let ok = ImpactRequest::parse(&json!({"assignment_ids": "open", "groups": {id.clone(): "a"}})).unwrap();
        assert_eq!(ok.assignments, AuditScope::Open);
        assert_eq!(ok.min_share, DEFAULT_MIN_SHARE);
        let bad = ImpactRequest::parse(&json!({"assignment_ids": ["x"], "groups": {"y": 3, id: 4}, "min_share": 2}))
            .unwrap_err();
        let fields: Vec<&str> = bad.0.iter().map(|f| f.field.as_str()).collect();
        // Fields in the body's order.
        assert_eq!(
            fields,
            ["assignment_ids[0]", "groups.y", "groups.00000000-0000-0000-0000-000000000000", "min_share"]
        );
    }
}
