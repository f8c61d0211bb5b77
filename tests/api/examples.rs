//! Every example in the OpenAPI document validates against its own schema, `$ref`s resolved
//! (issue 24: the Swagger UI example for `POST /assignments` sent `"required_level": "Sk1"`,
//! which the API refuses). Swagger UI sends these examples as they stand, and generated
//! clients show them, so an example that breaks its schema is a broken promise.

use serde_json::{Value, json};

/// Where an example sits and the JSON pointer of the schema it must satisfy.
struct Example {
    at: String,
    schema: String,
    value: Value,
}

/// Escapes a key for a JSON pointer.
fn token(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// A JSON pointer as a URI fragment: `{`, `}` and other characters a fragment cannot hold
/// percent-encoded.
fn fragment(pointer: &str) -> String {
    pointer
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' | b'+' | b':' | b'@' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Collects every example: `example`/`examples` of a schema (the schema itself), and of a
/// parameter or media type (its `schema`).
fn collect(node: &Value, at: &str, parent_key: &str, out: &mut Vec<Example>) {
    match node {
        Value::Object(map) => {
            // A `properties` map's keys are field names, not keywords.
            if parent_key != "properties" {
                let schema = if map.contains_key("schema") { format!("{at}/schema") } else { at.to_string() };
                if let Some(v) = map.get("example") {
                    out.push(Example { at: format!("{at}/example"), schema: schema.clone(), value: v.clone() });
                }
                match map.get("examples") {
                    // JSON Schema: an array of values.
                    Some(Value::Array(values)) => {
                        for (i, v) in values.iter().enumerate() {
                            let ex =
                                Example { at: format!("{at}/examples/{i}"), schema: schema.clone(), value: v.clone() };
                            out.push(ex);
                        }
                    }
                    // OpenAPI: named Example objects with a `value`.
                    Some(Value::Object(named)) => {
                        for (name, ex) in named {
                            if let Some(v) = ex.get("value") {
                                let e = Example {
                                    at: format!("{at}/examples/{name}"),
                                    schema: schema.clone(),
                                    value: v.clone(),
                                };
                                out.push(e);
                            }
                        }
                    }
                    _ => {}
                }
            }
            for (k, v) in map {
                if k == "example" || k == "examples" {
                    continue;
                }
                collect(v, &format!("{at}/{}", token(k)), k, out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                collect(v, &format!("{at}/{i}"), "", out);
            }
        }
        _ => {}
    }
}

#[test]
fn every_example_in_the_spec_validates_against_its_schema() {
    let spec = serde_json::to_value(staffmatch::api::openapi()).unwrap();
    let mut examples = Vec::new();
    collect(&spec, "", "", &mut examples);
    assert!(examples.len() > 50, "only {} examples found", examples.len());
    let mut bad = Vec::new();
    for ex in &examples {
        // The whole document is the root, so `#/components/schemas/…` references resolve.
        let mut root = spec.clone();
        root["$ref"] = json!(format!("#{}", fragment(&ex.schema)));
        let validator = jsonschema::draft202012::options()
            .should_validate_formats(true)
            .build(&root)
            .unwrap_or_else(|e| panic!("the schema at {} does not compile: {e}", ex.schema));
        let errors: Vec<String> =
            validator.iter_errors(&ex.value).map(|e| format!("{} at {}", e, e.instance_path)).collect();
        if !errors.is_empty() {
            bad.push(format!("{}: {}", ex.at, errors.join("; ")));
        }
    }
    assert!(bad.is_empty(), "{} of {} examples break their schema:\n{}", bad.len(), examples.len(), bad.join("\n"));
}

/// Generated clients name a function after each operation id: two operations with one id
/// leave one of them unreachable (or the generator refuses the document).
#[test]
fn every_operation_has_its_own_id() {
    let spec = serde_json::to_value(staffmatch::api::openapi()).unwrap();
    let mut seen = std::collections::BTreeMap::new();
    let mut clashes = Vec::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let Some(id) = op.get("operationId").and_then(Value::as_str) else {
                clashes.push(format!("{method} {path} has no operationId"));
                continue;
            };
            if let Some(first) = seen.insert(id.to_string(), format!("{method} {path}")) {
                clashes.push(format!("{id}: {first} and {method} {path}"));
            }
        }
    }
    assert!(clashes.is_empty(), "operation ids that are missing or shared: {clashes:#?}");
}
