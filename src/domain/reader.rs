//! A JSON reader that validates a request body into domain types and collects *every*
//! problem it finds, each with the JSON path of the offending field (`skills[0].years`).
//!
//! serde's derive stops at the first error; recruiters fixing a 40-field ATS payload want
//! all of them at once, so bodies are parsed as `serde_json::Value` and read here.

use chrono::NaiveDate;
use serde_json::{Map, Value};

use super::vocab::VocabError;

/// One offending field: its JSON path and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// JSON path, e.g. `skills[0].years`; empty for the body itself.
    pub field: String,
    /// What is wrong, in words a user can act on.
    pub message: String,
}

/// The problems found in one body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    /// Records a problem at `field`.
    pub fn push(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(FieldError { field: field.into(), message: message.into() });
    }

    /// True when nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(value)` when nothing was recorded, else the errors.
    pub fn finish<T>(self, value: T) -> Result<T, FieldErrors> {
        if self.0.is_empty() { Ok(value) } else { Err(self) }
    }
}

/// Joins a parent path and a key.
pub fn join(parent: &str, key: &str) -> String {
    if parent.is_empty() { key.to_string() } else { format!("{parent}.{key}") }
}

/// Joins a parent path and an array index.
pub fn index(parent: &str, i: usize) -> String {
    format!("{parent}[{i}]")
}

/// Names a JSON value's type for messages.
pub fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Reads the fields of one JSON object, recording problems in a shared [`FieldErrors`].
/// Call [`ObjectReader::finish`] at the end to report fields that were not expected.
pub struct ObjectReader<'a> {
    map: &'a Map<String, Value>,
    path: String,
    seen: Vec<&'static str>,
}

impl<'a> ObjectReader<'a> {
    /// Starts reading `value` at `path`; records an error and returns `None` when it is not an object.
    pub fn new(value: &'a Value, path: &str, errs: &mut FieldErrors) -> Option<Self> {
        match value {
            Value::Object(map) => Some(ObjectReader { map, path: path.to_string(), seen: Vec::new() }),
            other => {
                errs.push(path, format!("must be an object, got {}", type_name(other)));
                None
            }
        }
    }

    /// The path of `key` inside this object.
    pub fn path_of(&self, key: &str) -> String {
        join(&self.path, key)
    }

    /// The raw value of `key`, treating `null` as absent.
    pub fn raw(&mut self, key: &'static str) -> Option<&'a Value> {
        self.seen.push(key);
        match self.map.get(key) {
            None | Some(Value::Null) => None,
            Some(v) => Some(v),
        }
    }

    /// A required field: records "is required" when absent or null.
    pub fn required<T>(
        &mut self,
        key: &'static str,
        errs: &mut FieldErrors,
        read: impl FnOnce(&'a Value, &str, &mut FieldErrors) -> Option<T>,
    ) -> Option<T> {
        let path = self.path_of(key);
        match self.raw(key) {
            Some(v) => read(v, &path, errs),
            None => {
                errs.push(path, "is required");
                None
            }
        }
    }

    /// An optional field.
    pub fn optional<T>(
        &mut self,
        key: &'static str,
        errs: &mut FieldErrors,
        read: impl FnOnce(&'a Value, &str, &mut FieldErrors) -> Option<T>,
    ) -> Option<T> {
        let path = self.path_of(key);
        self.raw(key).and_then(|v| read(v, &path, errs))
    }

    /// Records every field that was not read as unknown.
    pub fn finish(self, errs: &mut FieldErrors) {
        let mut unknown: Vec<&String> = self.map.keys().filter(|k| !self.seen.contains(&k.as_str())).collect();
        unknown.sort();
        for k in unknown {
            errs.push(join(&self.path, k), "is not a known field");
        }
    }
}

/// Reads a string, trimmed, with a length limit in characters; `min_len` 1 rejects blanks.
pub fn string(min_len: usize, max_len: usize) -> impl Fn(&Value, &str, &mut FieldErrors) -> Option<String> + Copy {
    move |v, path, errs| match v {
        Value::String(s) => {
            let t = s.trim();
            let n = t.chars().count();
            if n < min_len {
                errs.push(
                    path,
                    if min_len == 1 {
                        "must not be blank".to_string()
                    } else {
                        format!("must be at least {min_len} characters")
                    },
                );
                None
            } else if n > max_len {
                errs.push(path, format!("must be at most {max_len} characters, got {n}"));
                None
            } else if t.chars().any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r') {
                errs.push(path, "must not contain control characters");
                None
            } else {
                Some(t.to_string())
            }
        }
        other => {
            errs.push(path, format!("must be a string, got {}", type_name(other)));
            None
        }
    }
}

/// Reads a number within `min..=max` (inclusive).
pub fn number(min: f64, max: f64) -> impl Fn(&Value, &str, &mut FieldErrors) -> Option<f64> + Copy {
    move |v, path, errs| match v.as_f64() {
        Some(n) if v.is_number() && n.is_finite() && (min..=max).contains(&n) => Some(n),
        Some(n) if v.is_number() => {
            errs.push(path, format!("must be between {min} and {max}, got {n}"));
            None
        }
        _ => {
            errs.push(path, format!("must be a number, got {}", type_name(v)));
            None
        }
    }
}

/// Reads an integer within `min..=max` (inclusive).
pub fn integer(min: i64, max: i64) -> impl Fn(&Value, &str, &mut FieldErrors) -> Option<i64> + Copy {
    move |v, path, errs| match v.as_i64() {
        Some(n) if (min..=max).contains(&n) => Some(n),
        Some(n) => {
            errs.push(path, format!("must be between {min} and {max}, got {n}"));
            None
        }
        None if v.is_number() => {
            errs.push(path, format!("must be a whole number between {min} and {max}, got {v}"));
            None
        }
        None => {
            errs.push(path, format!("must be an integer, got {}", type_name(v)));
            None
        }
    }
}

/// Reads a boolean.
pub fn boolean(v: &Value, path: &str, errs: &mut FieldErrors) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        other => {
            errs.push(path, format!("must be true or false, got {}", type_name(other)));
            None
        }
    }
}

/// Reads a calendar date `YYYY-MM-DD`.
pub fn date(v: &Value, path: &str, errs: &mut FieldErrors) -> Option<NaiveDate> {
    match v {
        Value::String(s) => match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
            Ok(d) => Some(d),
            Err(_) => {
                errs.push(path, format!("must be a date as YYYY-MM-DD, got {s:?}"));
                None
            }
        },
        other => {
            errs.push(path, format!("must be a date string YYYY-MM-DD, got {}", type_name(other)));
            None
        }
    }
}

/// Reads a string and parses it with a vocabulary parser.
pub fn vocab<T>(
    parse: fn(&str) -> Result<T, VocabError>,
) -> impl Fn(&Value, &str, &mut FieldErrors) -> Option<T> + Copy {
    move |v, path, errs| match v {
        Value::String(s) => match parse(s) {
            Ok(t) => Some(t),
            Err(e) => {
                errs.push(path, e.0);
                None
            }
        },
        other => {
            errs.push(path, format!("must be a string, got {}", type_name(other)));
            None
        }
    }
}

/// Reads an array of at most `max` items, each with `item`, keeping each item's index;
/// items that fail are dropped (their errors recorded), so the caller can go on checking the rest.
pub fn array<T>(
    max: usize,
    mut item: impl FnMut(&Value, &str, &mut FieldErrors) -> Option<T>,
) -> impl FnOnce(&Value, &str, &mut FieldErrors) -> Option<Vec<(usize, T)>> {
    move |v, path, errs| match v {
        Value::Array(items) => {
            if items.len() > max {
                errs.push(path, format!("must have at most {max} items, got {}", items.len()));
                return None;
            }
            let mut out = Vec::with_capacity(items.len());
            for (i, it) in items.iter().enumerate() {
                if let Some(t) = item(it, &index(path, i), errs) {
                    out.push((i, t));
                }
            }
            Some(out)
        }
        other => {
            errs.push(path, format!("must be an array, got {}", type_name(other)));
            None
        }
    }
}

/// Records a "duplicate" error for each item whose key appeared earlier in the list.
pub fn no_duplicates<T, K: PartialEq>(
    items: &[(usize, T)],
    path: &str,
    field: &str,
    key: impl Fn(&T) -> K,
    errs: &mut FieldErrors,
) {
    for (n, (i, it)) in items.iter().enumerate() {
        let k = key(it);
        if let Some((first, _)) = items[..n].iter().find(|(_, other)| key(other) == k) {
            let p = index(path, *i);
            let p = if field.is_empty() { p } else { join(&p, field) };
            errs.push(p, format!("duplicates item {first}"));
        }
    }
}
