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
use utoipa::ToSchema;

use super::dto::{CefrLevel, ClearanceLevel};
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
    pub patch: ProfilePatch,
}

/// What would change the result.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WhatIfOut {
    /// The smallest set of changes that makes the consultant eligible: one per failing gate;
    /// empty when eligible.
    pub eligible_if: Vec<NeededChange>,
    /// All of `eligible_if` as one RFC 7396 merge patch of the consultant (`{}` when eligible):
    /// `PATCH /consultants/{id}` with it and the pair is eligible.
    #[schema(example = json!({"languages": [{"code": "sv", "level": "C1"}, {"code": "en", "level": "C1"}]}))]
    pub eligible_patch: ProfilePatch,
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
fn years(y: f32) -> Option<f64> {
    y.to_string().parse::<f64>().ok().filter(|y| y.is_finite())
}

/// A skill of the patch: name, years, level.
type SkillRow = (String, Option<f32>, Option<u8>);

/// A change as an RFC 7396 merge patch of the consultant: only the fields it changes, each
/// array whole (a merge patch replaces arrays).
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
#[schema(example = json!({"skills": [{"name": "Kubernetes", "years": 4.0, "level": 3}, {"name": "ITIL"}]}))]
pub struct ProfilePatch {
    /// The consultant's skills as stored, the changed ones changed, the added ones at the end.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub skills: Option<Vec<PatchSkill>>,
    /// Her languages as stored, the changed ones changed, the added ones at the end.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub languages: Option<Vec<PatchLanguage>>,
    /// Clearance changes (shown only with the `sensitive` scope).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub clearance: Option<PatchClearance>,
    /// Total years of experience.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = 8.0, nullable = false)]
    pub experience_years: Option<f64>,
}

/// One skill of a [`ProfilePatch`], as `ConsultantWrite` takes it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PatchSkill {
    /// The skill's name (an added taxonomy skill by its English label).
    #[schema(example = "Kubernetes")]
    pub name: String,
    /// Years of use.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = 4.0, nullable = false)]
    pub years: Option<f64>,
    /// Level, 1 to 5.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = 3, minimum = 1, maximum = 5, nullable = false)]
    pub level: Option<u8>,
}

/// One language of a [`ProfilePatch`].
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PatchLanguage {
    /// ISO 639-1 code.
    #[schema(example = "sv")]
    pub code: String,
    /// CEFR level.
    pub level: CefrLevel,
}

/// The clearance changes of a [`ProfilePatch`]: a merge patch keeps the fields it leaves out.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct PatchClearance {
    /// The clearance level needed.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub level: Option<ClearanceLevel>,
    /// Willing to undergo vetting.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub willing_to_undergo: Option<bool>,
    /// Her citizenships as stored plus the one needed (ISO 3166-1 alpha-2).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = json!(["SE"]), nullable = false)]
    pub citizenships: Option<Vec<String>>,
}

/// The merge patch that makes all of `changes` to `c`.
fn patch<'c>(t: &Taxonomy, c: &ConsultantInput, changes: impl Iterator<Item = &'c Change>) -> ProfilePatch {
    let mut skills: Option<Vec<SkillRow>> = None;
    let mut languages: Option<Vec<(&str, Cefr)>> = None;
    let mut clearance = PatchClearance::default();
    let mut out = ProfilePatch::default();
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
                let list =
                    languages.get_or_insert_with(|| c.languages.iter().map(|l| (l.code.as_str(), l.level)).collect());
                match list.iter_mut().find(|(have, _)| *have == code.as_str()) {
                    Some((_, have)) => *have = (*have).max(*level),
                    None => list.push((code.as_str(), *level)),
                }
            }
            Change::Clearance { level } => {
                clearance.level = Some(c.clearance.level.max(*level).into());
            }
            Change::WillingToUndergo => {
                clearance.willing_to_undergo = Some(true);
            }
            Change::Citizenship { code } => {
                let list = clearance
                    .citizenships
                    .get_or_insert_with(|| c.clearance.citizenships.iter().map(|c| c.as_str().to_string()).collect());
                if !list.iter().any(|have| have == code.as_str()) {
                    list.push(code.as_str().to_string());
                }
            }
            Change::Experience { years: y } => {
                out.experience_years = years(*y);
            }
        }
    }
    out.skills = skills.map(|list| {
        list.into_iter().map(|(name, y, level)| PatchSkill { name, years: y.and_then(years), level }).collect()
    });
    out.languages = languages.map(|list| {
        list.into_iter().map(|(code, level)| PatchLanguage { code: code.to_string(), level: level.into() }).collect()
    });
    if clearance.level.is_some() || clearance.willing_to_undergo.is_some() || clearance.citizenships.is_some() {
        out.clearance = Some(clearance);
    }
    out
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
