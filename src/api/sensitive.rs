//! The `sensitive` rule on the way in: a key without the `sensitive` scope may not state
//! clearance or citizenship conditions (consultants' `clearance`, assignments' `clearance`)
//! in any request, and its writes never change them. The way out (responses, explanations,
//! gaps) is [`super::auth::redact`] and [`super::match_items`].
//!
//! Why writes are refused rather than ignored: silently dropping a field the client sent
//! would acknowledge a write that did not happen as asked; a 403 naming the field tells the
//! integrator exactly which key to use instead.

use serde_json::Value;

use super::error::{ApiError, ApiResult, ErrorCode};

/// The gap shown, once, in place of every unmet clearance or citizenship condition to a key
/// without the `sensitive` scope: eligibility still applies, the condition is not named.
pub const HIDDEN_CONDITION_UNMET: &str = "a condition that needs the sensitive scope is unmet";

/// The fields of `body` among the `paths` (`parent.child`, or a top-level name) that it
/// names, in the order of `paths`: a child present even as `null`, or its parent alone when
/// the parent is present but not a non-empty object (`"clearance": null`, `{}`, `"sk1"`),
/// since that states the whole condition (to its defaults, or away).
pub fn named(body: &Value, paths: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for path in paths {
        let stated = match path.split_once('.') {
            None => body.get(*path).is_some().then(|| (*path).to_string()),
            Some((parent, child)) => match body.get(parent) {
                None => None,
                Some(Value::Object(m)) if !m.is_empty() => m.contains_key(child).then(|| (*path).to_string()),
                Some(_) => Some(parent.to_string()),
            },
        };
        if let Some(field) = stated
            && !out.contains(&field)
        {
            out.push(field);
        }
    }
    out
}

/// 403 naming every sensitive field `body` states, unless the caller holds `sensitive`.
/// `prefix` is put before each field (`items[3].` in a batch).
pub fn forbid_stating(body: &Value, paths: &[&str], prefix: &str) -> ApiResult<()> {
    if paths.is_empty() || crate::auth::sees_sensitive() {
        return Ok(());
    }
    let fields = named(body, paths);
    if fields.is_empty() {
        return Ok(());
    }
    let mut e = ApiError::new(
        ErrorCode::Forbidden,
        "clearance and citizenship conditions can only be stated or changed with an API key that has the `sensitive` scope",
    );
    for f in fields {
        e = e.field(format!("{prefix}{f}"), "needs an API key with the `sensitive` scope");
    }
    Err(e)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const PATHS: &[&str] = &["clearance.level", "clearance.citizenships", "clearance.willing_to_undergo"];

    #[test]
    fn every_stated_field_is_named_even_as_null_and_a_bare_parent_names_itself() {
        assert!(named(&json!({"name": "A"}), PATHS).is_empty());
        assert_eq!(named(&json!({"clearance": {"level": "sk3"}}), PATHS), ["clearance.level"]);
        assert_eq!(
            named(&json!({"clearance": {"level": null, "citizenships": ["SE"]}}), PATHS),
            ["clearance.level", "clearance.citizenships"]
        );
        assert_eq!(named(&json!({"clearance": null}), PATHS), ["clearance"]);
        assert_eq!(named(&json!({"clearance": {}}), PATHS), ["clearance"]);
        assert_eq!(named(&json!({"clearance": "sk1"}), PATHS), ["clearance"]);
    }
}
