//! The JSON shapes of the list columns (`skills`, `must_have`, …) and the small text
//! encodings (comma-separated codes) used on the main rows.

use serde::{Deserialize, Serialize};

use crate::domain::{ResolveMethod, SkillLevel, SkillRef, vocab::VocabError};

/// One skill entry in a JSON list column; the same shape serves consultants' skills and
/// assignments' must/can-haves.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct SkillJson {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub years: Option<f32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<f32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skill_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
}

impl SkillJson {
    pub fn resolved(&self) -> Option<SkillRef> {
        let id = self.skill_id.clone()?;
        let method = self.method.as_deref().and_then(ResolveMethod::parse)?;
        Some(SkillRef { skill_id: id, method })
    }

    pub fn level(&self) -> Result<Option<SkillLevel>, VocabError> {
        self.level.map(|l| SkillLevel::new(i64::from(l))).transpose()
    }

    pub fn set_resolved(&mut self, r: &Option<SkillRef>) {
        self.skill_id = r.as_ref().map(|r| r.skill_id.clone());
        self.method = r.as_ref().map(|r| r.method.as_str().to_string());
    }
}

/// A language entry in a JSON list column.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct LanguageJson {
    pub code: String,
    pub level: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required: Option<bool>,
}

/// Joins codes with commas.
pub(crate) fn join_codes<T: std::fmt::Display>(items: &[T]) -> String {
    items.iter().map(ToString::to_string).collect::<Vec<_>>().join(",")
}

/// Splits a comma-separated column and parses each part.
pub(crate) fn split_codes<T>(s: &str, parse: fn(&str) -> Result<T, VocabError>) -> Result<Vec<T>, VocabError> {
    s.split(',').filter(|p| !p.is_empty()).map(parse).collect()
}

/// The method column of a child row.
pub(crate) fn method_of(r: &Option<SkillRef>) -> String {
    r.as_ref().map_or("none", |r| r.method.as_str()).to_string()
}
