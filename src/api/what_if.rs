//! `what_if` on the pair scores: the engine's [`WhatIf`] in words and as RFC 7396 merge
//! patches of the consultant, which an ATS can show and apply (`PATCH /consultants/{id}`).
//!
//! A merge patch replaces arrays whole, so a patch that touches `skills`, `languages` or
//! `clearance.citizenships` carries the full new array: the profile's entries as stored, the
//! changed ones changed, the added ones at the end (the engine scores them in that order).
//! An added taxonomy skill is named by its English label, which resolves to the same skill.
//! Without the `sensitive` scope, clearance and citizenship changes are neither shown nor
//! patched; `hidden_conditions` says how many were left out.

use std::sync::Arc;

use serde::Serialize;
use serde_json::{Map, Value, json};
use utoipa::ToSchema;

use crate::domain::{Cefr, ConsultantInput};
use crate::matching::{Change, FREE_TEXT_BASE, Kind, WhatIf};
use crate::taxonomy::Taxonomy;

/// A gate the profile fails, and what it would take.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NeededChange {
    /// The requirement as the assignment states it.
    #[schema(value_type = String, example = "Swedish (sv) C1")]
    pub requirement: Arc<str>,
    /// `must_have`, `language`, `clearance` or `citizenship`.
    #[schema(example = "language")]
    pub kind: &'static str,
    /// What the requirement asks.
    #[schema(example = "C1")]
    pub needed: String,
    /// What the profile holds.
    #[schema(example = "B2")]
    pub has: String,
}

/// One change to the profile and the points it would add.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ScoreGain {
    /// The requirement as the assignment states it.
    #[schema(value_type = String, example = "ITIL")]
    pub requirement: Arc<str>,
    /// `must_have`, `can_have`, `quality`, `language` or `experience`.
    #[schema(example = "can_have")]
    pub kind: &'static str,
    /// The change in words.
    #[schema(example = "add ITIL")]
    pub change: String,
    /// The points the score would gain (the new score, rounded as scores are, minus the
    /// present one).
    #[schema(example = 4.2)]
    pub points: f64,
    /// The change as an RFC 7396 merge patch of the consultant.
    #[schema(value_type = Object, example = json!({"skills": [{"name": "Kubernetes", "years": 4.0, "level": 3}, {"name": "ITIL"}]}))]
    pub patch: Value,
}

/// What would change the result.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WhatIfOut {
    /// The smallest set of changes that makes the consultant eligible: one per failing gate;
    /// empty when eligible.
    pub eligible_if: Vec<NeededChange>,
    /// All of `eligible_if` as one RFC 7396 merge patch of the consultant (`{}` when eligible):
    /// `PATCH /consultants/{id}` with it and the pair is eligible.
    #[schema(value_type = Object, example = json!({"languages": [{"code": "sv", "level": "C1"}, {"code": "en", "level": "C1"}]}))]
    pub eligible_patch: Value,
    /// The three single changes that would add the most points, most first (a missing can-have,
    /// a must-have's years or level, a language's level, total experience), each with its patch.
    pub score_gain: Vec<ScoreGain>,
    /// Clearance or citizenship changes in `eligible_if` left out because the API key lacks
    /// the `sensitive` scope (0 with it); when above 0, `eligible_patch` alone does not make
    /// the pair eligible.
    pub hidden_conditions: usize,
}

/// Renders `w` for consultant `c` (as stored) whose pair scores `score` now.
pub fn render(t: &Taxonomy, c: &ConsultantInput, w: WhatIf, score: f64, sensitive: bool) -> WhatIfOut {
    let shown = |k: Kind| sensitive || !matches!(k, Kind::Clearance | Kind::Citizenship);
    let hidden_conditions = w.eligible_if.iter().filter(|n| !shown(n.kind)).count();
    let visible: Vec<_> = w.eligible_if.into_iter().filter(|n| shown(n.kind)).collect();
    let eligible_patch = patch(t, c, visible.iter().map(|n| &n.change));
    let eligible_if = visible
        .into_iter()
        .map(|n| NeededChange { requirement: n.requirement, kind: n.kind.as_str(), needed: n.needed, has: n.has })
        .collect();
    let score_gain = w
        .score_gain
        .into_iter()
        .map(|g| ScoreGain {
            patch: patch(t, c, std::iter::once(&g.change)),
            requirement: g.requirement,
            kind: g.kind.as_str(),
            change: g.text,
            points: round(round(g.score_after) - round(score)),
        })
        .collect();
    WhatIfOut { eligible_if, eligible_patch, score_gain, hidden_conditions }
}

fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// Years as JSON: the shortest decimal that reads back as the same `f32`.
fn years(y: f32) -> Value {
    y.to_string().parse::<f64>().ok().and_then(serde_json::Number::from_f64).map_or(Value::Null, Value::Number)
}

/// A skill of the patch: name, years, level.
type SkillRow = (String, Option<f32>, Option<u8>);

/// One skill entry of the patch.
fn skill_entry(name: &str, y: Option<f32>, level: Option<u8>) -> Value {
    let mut m = Map::new();
    m.insert("name".into(), json!(name));
    if let Some(y) = y {
        m.insert("years".into(), years(y));
    }
    if let Some(l) = level {
        m.insert("level".into(), json!(l));
    }
    Value::Object(m)
}

/// The merge patch that makes all of `changes` to `c`.
fn patch<'c>(t: &Taxonomy, c: &ConsultantInput, changes: impl Iterator<Item = &'c Change>) -> Value {
    let mut skills: Option<Vec<SkillRow>> = None;
    let mut languages: Option<Vec<(String, String)>> = None;
    let mut clearance = Map::new();
    let mut citizenships: Option<Vec<String>> = None;
    let mut out = Map::new();
    for change in changes {
        match change {
            Change::RaiseSkill { pos, years, level } => {
                let list = skills.get_or_insert_with(|| own_skills(c));
                if let Some((_, y, l)) = list.get_mut(*pos) {
                    *y = max_of(*y, *years);
                    *l = max_of(*l, level.map(|l| l.get()));
                }
            }
            Change::AddSkill { key, label, years, level } => {
                let list = skills.get_or_insert_with(|| own_skills(c));
                let name = match t.skill(*key).filter(|_| *key < FREE_TEXT_BASE) {
                    Some(s) => s.label_en.clone(),
                    None => label.to_string(),
                };
                let level = level.map(|l| l.get());
                match list.iter_mut().skip(c.skills.len()).find(|(n, _, _)| *n == name) {
                    Some((_, y, l)) => {
                        *y = max_of(*y, *years);
                        *l = max_of(*l, level);
                    }
                    None => list.push((name, *years, level)),
                }
            }
            Change::Language { code, level } => {
                let list = languages.get_or_insert_with(|| {
                    c.languages.iter().map(|l| (l.code.as_str().to_string(), l.level.as_str().to_string())).collect()
                });
                match list.iter_mut().find(|(have, _)| have == code.as_str()) {
                    Some((_, l)) => {
                        if Cefr::parse(l).is_ok_and(|have| have < *level) {
                            *l = level.as_str().to_string();
                        }
                    }
                    None => list.push((code.as_str().to_string(), level.as_str().to_string())),
                }
            }
            Change::Clearance { level } => {
                clearance.insert("level".into(), json!(c.clearance.level.max(*level).as_str()));
            }
            Change::WillingToUndergo => {
                clearance.insert("willing_to_undergo".into(), json!(true));
            }
            Change::Citizenship { code } => {
                let list = citizenships
                    .get_or_insert_with(|| c.clearance.citizenships.iter().map(|c| c.as_str().to_string()).collect());
                if !list.iter().any(|have| have == code.as_str()) {
                    list.push(code.as_str().to_string());
                }
            }
            Change::Experience { years: y } => {
                out.insert("experience_years".into(), years(*y));
            }
        }
    }
    if let Some(list) = skills {
        let entries = list.iter().map(|(n, y, l)| skill_entry(n, *y, *l)).collect();
        out.insert("skills".into(), Value::Array(entries));
    }
    if let Some(list) = languages {
        out.insert(
            "languages".into(),
            list.iter().map(|(code, level)| json!({"code": code, "level": level})).collect(),
        );
    }
    if let Some(list) = citizenships {
        clearance.insert("citizenships".into(), json!(list));
    }
    if !clearance.is_empty() {
        out.insert("clearance".into(), Value::Object(clearance));
    }
    Value::Object(out)
}

/// The profile's own skills as stored: name, years, level.
fn own_skills(c: &ConsultantInput) -> Vec<SkillRow> {
    c.skills.iter().map(|s| (s.name.clone(), s.years, s.level.map(|l| l.get()))).collect()
}

fn max_of<T: PartialOrd + Copy>(a: Option<T>, b: Option<T>) -> Option<T> {
    match (a, b) {
        (Some(a), Some(b)) => Some(if b > a { b } else { a }),
        (a, None) => a,
        (None, b) => b,
    }
}
