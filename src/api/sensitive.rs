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

/// The fields of `body` among the dotted `paths` that it names (present, even as `null`).
/// A parent that is present but not an object (`"clearance": null`) names itself.
pub fn named(body: &Value, paths: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for path in paths {
        let mut node = body;
        let mut walked = Vec::new();
        for part in path.split('.') {
            let Value::Object(map) = node else {
                // A present non-object parent (null, a string …) states the whole condition.
                let parent = walked.join(".");
                if !walked.is_empty() && !out.contains(&parent) {
                    out.push(parent);
                }
                break;
            };
            let Some(child) = map.get(part) else { break };
            walked.push(part);
            node = child;
            if walked.len() == path.split('.').count() && !out.iter().any(|o| o == path) {
                out.push((*path).to_string());
            }
        }
    }
    // An empty object (`"clearance": {}`) still states the condition (to its defaults).
    for path in paths {
        if let Some((parent, _)) = path.split_once('.')
            && body.get(parent).is_some_and(|v| v.as_object().is_some_and(serde_json::Map::is_empty))
            && !out.iter().any(|o| o == parent)
        {
            out.push(parent.to_string());
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
