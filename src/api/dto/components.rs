//! The score components on the wire. Weights and a match's per-component values are both
//! `domain::Components<f64>`, the one type that names the six components; the two wire types
//! here wrap it unchanged (`serde(transparent)`) and give each its own documented schema.

use serde::{Deserialize, Serialize};
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
use utoipa::openapi::{RefOr, Schema};
use utoipa::{PartialSchema, ToSchema};

use crate::domain::{self, Components, WEIGHT_COMPONENTS};

/// Score weights: any subset may be given, the rest take the defaults.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Weights(pub Components<f64>);

impl From<domain::Weights> for Weights {
    fn from(w: domain::Weights) -> Self {
        Weights(w.components())
    }
}

impl PartialSchema for Weights {
    fn schema() -> RefOr<Schema> {
        let d = domain::Weights::DEFAULT.as_array();
        components_schema(
            "Score weights. Any subset may be given (the rest take the defaults); each must be finite\n\
             and ≥ 0, not all 0; they are normalised to sum to 1.",
            [
                "Must-have strength beyond the minimum (default 0.35).",
                "Can-have coverage (default 0.25).",
                "Languages (default 0.15).",
                "Overall experience (default 0.10).",
                "Availability (default 0.10).",
                "Location and work mode (default 0.05).",
            ],
            Some(d),
        )
    }
}

impl ToSchema for Weights {}

/// Per-component score, each 0–1.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Breakdown(pub Components<f64>);

impl PartialSchema for Breakdown {
    fn schema() -> RefOr<Schema> {
        components_schema(
            "Per-component score, each 0–1.",
            [
                "Must-have strength beyond the minimum (1 when there are none).",
                "Weighted can-have coverage (1 when there are none).",
                "Languages beyond the minimum (1 when none are asked).",
                "Experience against `min_experience_years`.",
                "Availability within the window and extent.",
                "Location and work mode.",
            ],
            None,
        )
    }
}

impl ToSchema for Breakdown {}

/// An object with one required double per component, in [`WEIGHT_COMPONENTS`] order.
#[expect(deprecated, reason = "`example` is what the derived schemas of the other wire types carry too")]
fn components_schema(description: &str, fields: [&str; 6], examples: Option<[f64; 6]>) -> RefOr<Schema> {
    let mut object = ObjectBuilder::new().schema_type(Type::Object).description(Some(description));
    for (i, name) in WEIGHT_COMPONENTS.into_iter().enumerate() {
        object = object.required(name);
        let property = ObjectBuilder::new()
            .schema_type(Type::Number)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Double)))
            .description(Some(fields[i]))
            .example(examples.map(|e| serde_json::json!(e[i])));
        object = object.property(name, property);
    }
    RefOr::T(Schema::Object(object.build()))
}
