//! The published contract made exact, applied to the whole OpenAPI document after the
//! handlers' own annotations (so routes added later are covered without registration):
//!
//! - every error an operation can answer, by the kind of operation: a body brings 400
//!   (`malformed_json`), 408, 413, 415 and 422; a parameter brings 400 (`invalid_parameter`,
//!   `invalid_header`); a path parameter 404; `If-Match` 412; every `/api/v1` operation 503
//!   when the database is down — each as `application/problem+json`;
//! - the exact syntax of the parameters several operations share (`If-Match`, `cursor`,
//!   `source`, `external_id`, `Idempotency-Key` …), so a schema-valid request is never refused;
//! - `links` from each create or upsert to the operations that read, change or delete what it
//!   made, so a client (or a stateful test) can follow the new id.
//!
//! The gate's own answers (401, 403, 429) are documented by [`super::auth::document`].

use utoipa::openapi::path::{Operation, Parameter, ParameterIn, ParameterStyle};
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, RefOr, Response, ResponseBuilder, Schema};

/// `If-Match` as the API reads it: one entity tag it sent (`"3"`, or weakly `W/"3"`) or `*`.
pub const IF_MATCH_PATTERN: &str = r#"^(\*|(W/)?"[0-9]{1,18}")$"#;
/// A list cursor: what `next_cursor` holds (a tag byte and a record id, base64url), or empty
/// for the first page. Every string of this form is a valid position.
pub const CURSOR_PATTERN: &str = "^(|A[Q-Za-f][A-Za-z0-9_-]{20}[AEIMQUYcgkosw048])$";
/// An ATS name: 1–64 characters of `a-z 0-9 . _ -`.
pub const SOURCE_PATTERN: &str = "^[a-z0-9._-]{1,64}$";
/// An ATS id: 1–200 characters, no `/` and no control characters.
pub const EXTERNAL_ID_PATTERN: &str = "^[^/\\u0000-\\u001f\\u007f-\\u009f]{1,200}$";
/// An `Idempotency-Key`: 1–255 visible ASCII characters.
pub const IDEMPOTENCY_KEY_PATTERN: &str = "^[!-~]{1,255}$";

/// Applies the whole contract to `spec`.
pub fn document(spec: &mut OpenApi) {
    for (path, item) in spec.paths.paths.iter_mut() {
        let ops = [
            ("GET", item.get.as_mut()),
            ("PUT", item.put.as_mut()),
            ("POST", item.post.as_mut()),
            ("DELETE", item.delete.as_mut()),
            ("PATCH", item.patch.as_mut()),
        ];
        for (method, op) in ops {
            let Some(op) = op else { continue };
            exact_parameters(method, op);
            error_answers(path, op);
        }
    }
    exact_bodies(spec);
    super::links::document(spec);
}

/// Text a field accepts once trimmed: at least one character that is not white space (as Rust
/// trims it) and no control characters but tab and line breaks.
pub const NON_BLANK_PATTERN: &str = "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f]*[^\\u0000-\\u0020\\u007f-\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000][^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f]*$";

/// Request bodies whose rules the handlers' types cannot carry: the names to resolve and the
/// text of an ad.
fn exact_bodies(spec: &mut OpenApi) {
    use serde_json::json;
    let text = json!({"type": "string", "minLength": 1, "maxLength": 200, "pattern": NON_BLANK_PATTERN});
    let resolve = json!({"type": "object", "description": "`POST /skills/resolve` body.", "required": ["names"],
        "additionalProperties": false,
        "properties": {"names": {"type": "array", "minItems": 1, "maxItems": 500, "items": text,
            "description": "1–500 names as users and ATSs write them (each 1–200 characters, not blank)."}},
        "example": {"names": ["Agil projektledning", "k8s", "ITIL 4", "Kubernets", "Javascript", "Underwater basket weaving"]}});
    if let (Some(components), Some(s)) = (spec.components.as_mut(), schema(resolve)) {
        components.schemas.insert("ResolveRequest".to_string(), s);
    }
    let ad = spec.paths.paths.get_mut("/api/v1/assignments/parse").and_then(|i| i.post.as_mut());
    if let Some(RefOr::T(body)) = ad.and_then(|op| op.request_body.as_mut())
        && let Some(RefOr::T(content)) = body.content.get_mut("text/plain")
    {
        // Any text that is not all white space (as Rust trims it).
        let not_blank =
            "[^\\u0009-\\u000d\\u0020\\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]";
        content.schema = schema(json!({"type": "string", "pattern": not_blank}));
    }
}

fn schema(json: serde_json::Value) -> Option<RefOr<Schema>> {
    serde_json::from_value(json).ok()
}

/// Gives the shared parameters their exact syntax.
fn exact_parameters(method: &str, op: &mut Operation) {
    use serde_json::json;
    let Some(params) = op.parameters.as_mut() else { return };
    for p in params.iter_mut() {
        let RefOr::T(p) = p else { continue };
        let exact = match (&p.parameter_in, p.name.as_str()) {
            (ParameterIn::Header, "If-Match") => Some(json!({"type": "string", "pattern": IF_MATCH_PATTERN})),
            // On a write only `*` (create only) is understood; reads evaluate any tag.
            (ParameterIn::Header, "If-None-Match") if method != "GET" => Some(json!({"type": "string", "enum": ["*"]})),
            (ParameterIn::Header, "Idempotency-Key") => {
                Some(json!({"type": "string", "pattern": IDEMPOTENCY_KEY_PATTERN}))
            }
            (ParameterIn::Query, "cursor") => Some(json!({"type": "string", "pattern": CURSOR_PATTERN})),
            (ParameterIn::Path | ParameterIn::Query, "source") => {
                Some(json!({"type": "string", "pattern": SOURCE_PATTERN}))
            }
            (ParameterIn::Path | ParameterIn::Query, "external_id") => {
                Some(json!({"type": "string", "pattern": EXTERNAL_ID_PATTERN}))
            }
            (ParameterIn::Query, "status") => {
                // One state or several, comma-separated: a form-style array that is not exploded.
                p.style = Some(ParameterStyle::Form);
                p.explode = Some(false);
                Some(
                    json!({"type": "array", "minItems": 1, "items": {"$ref": "#/components/schemas/AssignmentStatus"}}),
                )
            }
            _ => None,
        };
        if let Some(s) = exact.and_then(schema) {
            p.schema = Some(s);
        }
    }
}

/// Why an operation of some kind can answer a status: `(status, code, reason)`.
fn reasons(path: &str, op: &Operation) -> Vec<(&'static str, &'static str, &'static str)> {
    let params = op.parameters.as_deref().unwrap_or_default();
    let named = |p: &RefOr<Parameter>, f: &dyn Fn(&Parameter) -> bool| matches!(p, RefOr::T(p) if f(p));
    let has = |f: &dyn Fn(&Parameter) -> bool| params.iter().any(|p| named(p, f));
    let mut out = Vec::new();
    if let Some(body) = &op.request_body {
        let text = matches!(body, RefOr::T(b) if b.content.keys().any(|ct| ct.starts_with("text/")));
        if text {
            out.push(("400", "invalid_encoding", "the body is not UTF-8 text"));
        } else {
            out.push(("400", "malformed_json", "the body is not valid JSON"));
        }
        out.push(("408", "request_timeout", "the body did not arrive in time"));
        out.push(("413", "payload_too_large", "the body is larger than allowed"));
        out.push(("415", "unsupported_media_type", "the body's Content-Type is not one listed here"));
        out.push(("422", "validation_failed", "the body breaks a rule; `errors` names every offending field"));
    }
    if has(&|p| matches!(p.parameter_in, ParameterIn::Path | ParameterIn::Query)) {
        out.push(("400", "invalid_parameter", "a path or query parameter is malformed or out of range"));
    }
    if has(&|p| matches!(p.parameter_in, ParameterIn::Header)) {
        out.push(("400", "invalid_header", "a header (`If-Match`, `Idempotency-Key` …) is malformed"));
    }
    if has(&|p| matches!(p.parameter_in, ParameterIn::Path)) {
        out.push(("404", "not_found", "nothing has this id"));
    }
    if has(&|p| p.name == "If-Match" || (p.name == "If-None-Match" && op.request_body.is_some())) {
        out.push(("412", "precondition_failed", "`If-Match` (or `If-None-Match: *`) does not hold"));
    }
    if has(&|p| p.name == "Idempotency-Key") {
        out.push(("422", "idempotency_conflict", "the `Idempotency-Key` was used with another request"));
        out.push(("410", "gone", "the answer stored for this `Idempotency-Key` held data of a person since erased"));
    }
    if super::auth::is_api_route(path) {
        out.push(("503", "service_unavailable", "the database is not reachable; retry after `Retry-After` seconds"));
    }
    out
}

/// Documents every error answer the operation's kind implies, as problem+json; an answer the
/// handler already documents keeps its text and gains the reasons it does not name.
fn error_answers(path: &str, op: &mut Operation) {
    let found = reasons(path, op);
    for (status, code, reason) in found {
        let line = format!("`{code}`: {reason}.");
        match op.responses.responses.get_mut(status) {
            Some(RefOr::T(r)) => {
                if !r.description.contains(code) {
                    r.description = format!("{}. {line}", r.description.trim_end().trim_end_matches('.'));
                }
                ensure_problem_body(r);
            }
            Some(RefOr::Ref(_)) => {}
            None => {
                let r = ResponseBuilder::new().description(line).build();
                let mut r = r;
                ensure_problem_body(&mut r);
                op.responses.responses.insert(status.to_string(), RefOr::T(r));
            }
        }
    }
}

fn ensure_problem_body(r: &mut Response) {
    if !r.content.contains_key("application/problem+json") {
        r.content.insert(
            "application/problem+json".to_string(),
            RefOr::T(ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem"))).build()),
        );
    }
}
