//! The JSON a write starts from, worked on before it is parsed: which `sensitive` fields a
//! body states ([`named`]), the stored sensitive fields a writer that cannot read them keeps
//! ([`keep_hidden`]), and RFC 7396 merge patches ([`merge_patch`]).

use serde_json::Value;

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

/// Copies into `doc` the values at `paths` of `stored` (the stored record's document) that
/// `doc` leaves out, so a full replace from a writer who could not read them keeps them
/// instead of clearing them (a read-modify-write must not wipe what the writer could not read).
pub fn keep_hidden(doc: &mut Value, stored: &Value, paths: &[&str]) {
    let Value::Object(_) = doc else { return };
    for path in paths {
        let parts: Vec<&str> = path.split('.').collect();
        let Some(value) = parts.iter().try_fold(stored, |v, k| v.get(k)) else { continue };
        let mut target = &mut *doc;
        for (i, k) in parts.iter().enumerate() {
            let Value::Object(map) = target else { break };
            if i + 1 == parts.len() {
                map.entry(k.to_string()).or_insert_with(|| value.clone());
                break;
            }
            let child = map.entry(k.to_string()).or_insert_with(|| Value::Object(serde_json::Map::new()));
            if child.is_null() {
                *child = Value::Object(serde_json::Map::new());
            }
            target = child;
        }
    }
}

/// RFC 7396: objects merge recursively, `null` removes, anything else replaces.
pub fn merge_patch(target: &mut Value, patch: &Value) {
    match patch {
        Value::Object(p) => {
            if !target.is_object() {
                *target = Value::Object(serde_json::Map::new());
            }
            if let Value::Object(t) = target {
                for (k, v) in p {
                    if v.is_null() {
                        t.remove(k);
                    } else {
                        merge_patch(t.entry(k.clone()).or_insert(Value::Null), v);
                    }
                }
            }
        }
        other => *target = other.clone(),
    }
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

    #[test]
    fn hidden_fields_left_out_are_kept_and_stated_ones_stand() {
        let stored = json!({"name": "A", "clearance": {"level": "sk2", "citizenships": ["SE"]}});
        let mut doc = json!({"name": "B", "clearance": null});
        keep_hidden(&mut doc, &stored, PATHS);
        assert_eq!(doc, json!({"name": "B", "clearance": {"level": "sk2", "citizenships": ["SE"]}}));
        let mut doc = json!({"name": "B", "clearance": {"level": "sk1"}});
        keep_hidden(&mut doc, &stored, PATHS);
        assert_eq!(doc, json!({"name": "B", "clearance": {"level": "sk1", "citizenships": ["SE"]}}));
    }

    #[test]
    fn merge_patch_follows_rfc_7396() {
        let mut doc = json!({"a": "b", "c": {"d": "e", "f": "g"}});
        merge_patch(&mut doc, &json!({"a": "z", "c": {"f": null}}));
        assert_eq!(doc, json!({"a": "z", "c": {"d": "e"}}));
        let mut doc = json!({"a": [1, 2]});
        merge_patch(&mut doc, &json!({"a": [3]}));
        assert_eq!(doc, json!({"a": [3]}));
    }
}
