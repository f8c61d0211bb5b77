//! The `sensitive` rule on the way in, as the API answers it: a key without the `sensitive`
//! scope may not state clearance or citizenship conditions (consultants' `clearance`,
//! assignments' `clearance`) in any request, and its writes never change them. Which fields
//! a body states is the service's rule ([`crate::service::writes::document::named`]); the
//! writes apply it themselves, the ad-hoc match body through [`forbid_stating`]. The way out
//! (responses, explanations, gaps) is [`super::auth::redact`] and [`super::match_items`].
//!
//! Why writes are refused rather than ignored: silently dropping a field the client sent
//! would acknowledge a write that did not happen as asked; a 403 naming the field tells the
//! integrator exactly which key to use instead.

use serde_json::Value;

use super::error::{ApiError, ApiResult, ErrorCode};
use crate::service::writes::document::named;

/// The gap shown, once, in place of every unmet clearance or citizenship condition to a key
/// without the `sensitive` scope: eligibility still applies, the condition is not named.
pub const HIDDEN_CONDITION_UNMET: &str = "a condition that needs the sensitive scope is unmet";

/// 403 naming every sensitive field `body` states, unless the caller holds `sensitive`.
pub fn forbid_stating(body: &Value, paths: &[&str], prefix: &str) -> ApiResult<()> {
    if paths.is_empty() || crate::auth::sees_sensitive() {
        return Ok(());
    }
    let fields = named(body, paths);
    if fields.is_empty() { Ok(()) } else { Err(forbidden(&fields, prefix)) }
}

/// The 403 for stating `fields` without the `sensitive` scope; `prefix` is put before each
/// field (`items[3].` in a batch).
pub fn forbidden(fields: &[String], prefix: &str) -> ApiError {
    let mut e = ApiError::new(
        ErrorCode::Forbidden,
        "clearance and citizenship conditions can only be stated or changed with an API key that has the `sensitive` scope",
    );
    for f in fields {
        e = e.field(format!("{prefix}{f}"), "needs an API key with the `sensitive` scope");
    }
    e
}
