//! What would change a result ([`what_if`]): the smallest set of profile changes that makes
//! an ineligible consultant eligible, and the single changes that would add the most points.
//!
//! Every change is a [`Change`] the caller can turn into a merge patch of the profile, and
//! every figure comes from scoring the changed profile with [`super::score`], so the laws hold
//! by construction: applying all of `eligible_if` makes the pair eligible, and applying one
//! `score_gain` entry raises the score by exactly its `points` (same day, same weights).
//!
//! - **Eligible if**: one change per failing gate, in gate order: each unmet must-have (raise
//!   the years or level of the profile's skill that comes closest, or add the skill at its
//!   minimums), each required language below its minimum (hold it at the minimum), the
//!   clearance (willing to undergo vetting when the assignment accepts that, else the level)
//!   and the citizenship (the first one the assignment lists). No gate passes with fewer.
//! - **Score gain**: every single change that earns points — a can-have added or raised to
//!   its minimums, a must-have met, or its years raised to [`DEPTH_YEARS`] beyond the
//!   minimum, or its level to 5, a language raised to its minimum or to C2, total experience
//!   raised to the minimum — scored in full; the [`GAINS`] best, most points first, ties in
//!   requirement order.

use std::sync::Arc;

use chrono::NaiveDate;

use super::components;
use super::evaluate::match_skills;
use super::explain::{Kind, language_label, years_text};
use super::gates::{self, DEPTH_YEARS, Mins, SkillMatch};
use super::prepare::Prepared;
use super::record::View;
use super::vector::{AssignmentQuery, ConsultantVector, FREE_TEXT_BASE, SkillEntry, SkillGraph, SkillKey};
use super::{local_city, parts, score};
use crate::domain::{Cefr, ClearanceLevel, CountryCode, LanguageCode, ResolveMethod, SkillLevel};

/// How many single changes [`WhatIf::score_gain`] lists.
pub const GAINS: usize = 3;
/// Years a profile may state at most (the domain's limit).
const MAX_YEARS: f32 = crate::domain::MAX_YEARS as f32;

/// One change to a consultant's profile.
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    /// The profile's skill at `pos` gets these years and level (`None`: unchanged).
    RaiseSkill {
        /// Position in the profile's skill list.
        pos: usize,
        /// New years.
        years: Option<f32>,
        /// New level.
        level: Option<SkillLevel>,
    },
    /// A skill is added at the end of the list.
    AddSkill {
        /// The skill (a taxonomy key, or free text the requirement's label names).
        key: SkillKey,
        /// The requirement's label.
        label: Arc<str>,
        /// Years to state.
        years: Option<f32>,
        /// Level to state.
        level: Option<SkillLevel>,
    },
    /// The language is held at `level` at least (added when absent).
    Language {
        /// The language.
        code: LanguageCode,
        /// The level.
        level: Cefr,
    },
    /// Clearance `level` is held.
    Clearance {
        /// The level.
        level: ClearanceLevel,
    },
    /// The consultant is willing to undergo security vetting.
    WillingToUndergo,
    /// Citizenship `code` is held too.
    Citizenship {
        /// The country.
        code: CountryCode,
    },
    /// Total experience is `years`.
    Experience {
        /// The years.
        years: f32,
    },
}

/// A gate the profile fails and the change that passes it.
#[derive(Clone, Debug, PartialEq)]
pub struct Needed {
    /// `MustHave`, `Language`, `Clearance` or `Citizenship`.
    pub kind: Kind,
    /// The requirement as the assignment states it.
    pub requirement: Arc<str>,
    /// What the gate asks: `5 years, level 4`, `C1`, `sk3`, `SE or NO`.
    pub needed: String,
    /// What the profile holds: `3 years, level 2`, `B2`, `not on the profile`.
    pub has: String,
    /// The change that passes it.
    pub change: Change,
}

/// A single change and the points it adds.
#[derive(Clone, Debug, PartialEq)]
pub struct Gain {
    /// What the change is about.
    pub kind: Kind,
    /// The requirement as the assignment states it.
    pub requirement: Arc<str>,
    /// The change in words: `add ITIL`, `Kubernetes: 3 → 8 years`.
    pub text: String,
    /// The score after the change minus the score before (exact).
    pub points: f64,
    /// The score after the change.
    pub score_after: f64,
    /// The change.
    pub change: Change,
}

/// What would change one pair's result.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct WhatIf {
    /// The smallest set of changes that makes the pair eligible; empty when it is.
    pub eligible_if: Vec<Needed>,
    /// The single changes that add the most points, most first (at most [`GAINS`]).
    pub score_gain: Vec<Gain>,
}

/// What would change the result of consultant `c` for assignment `q` on `today`.
pub fn what_if(c: &ConsultantVector, q: &AssignmentQuery, g: &dyn SkillGraph, today: NaiveDate) -> WhatIf {
    let (rec, hot) = parts(c);
    let r = View { hot: &hot, rec: &rec };
    let p = Prepared::new(q, g, local_city(c, q), today);
    let mut best = Vec::new();
    match_skills(r, &p, &mut best);
    let base = score(c, q, g, today).score;
    let n_must = q.must.len();
    let mut eligible_if = Vec::new();
    let mut candidates: Vec<(Kind, Arc<str>, String, Change)> = Vec::new();
    for (i, need) in q.must.iter().enumerate() {
        let m = best[i];
        let mins = p.mins[i];
        if !m.is_some_and(|m| m.meets) {
            let change = meet(c, m, need.key, &need.label, mins);
            let has = match m {
                Some(m) => held(&c.skills[m.pos]),
                None => "not on the profile".to_string(),
            };
            eligible_if.push(Needed {
                kind: Kind::MustHave,
                requirement: need.label.clone(),
                needed: minimums(mins),
                has,
                change: change.clone(),
            });
            candidates.push((Kind::MustHave, need.label.clone(), describe(&change, c, &need.label), change));
        } else if let Some(m) = m {
            candidates.extend(deeper(c, m, mins).into_iter().map(|ch| {
                let text = describe(&ch, c, &need.label);
                (Kind::MustHave, need.label.clone(), text, ch)
            }));
        }
    }
    let can_best = &best[n_must..];
    for (j, w) in q.can.iter().enumerate() {
        let m = can_best[j];
        if m.is_some_and(|m| m.value >= 1.0) {
            continue;
        }
        let mins = p.mins[n_must + j];
        let change = match m.filter(|m| m.relation != super::Relation::Broader) {
            Some(m) => meet(c, Some(m), w.key, &w.label, mins),
            None => meet(c, None, w.key, &w.label, mins),
        };
        let kind = if w.quality { Kind::Quality } else { Kind::CanHave };
        candidates.push((kind, w.label.clone(), describe(&change, c, &w.label), change));
    }
    let texts = p.texts();
    for (i, lr) in q.languages.iter().enumerate() {
        let have = r.language_rank(lr.code.bytes());
        let min = lr.min_level.rank();
        let label = &texts.languages[i];
        if have < min {
            let change = Change::Language { code: lr.code, level: lr.min_level };
            if lr.required {
                eligible_if.push(Needed {
                    kind: Kind::Language,
                    requirement: label.clone(),
                    needed: lr.min_level.to_string(),
                    has: cefr_name(have).to_string(),
                    change: change.clone(),
                });
            }
            candidates.push((Kind::Language, label.clone(), describe(&change, c, label), change));
        } else if have < Cefr::C2.rank() {
            let change = Change::Language { code: lr.code, level: Cefr::C2 };
            candidates.push((Kind::Language, label.clone(), describe(&change, c, label), change));
        }
    }
    gate_changes(r, &p, c, &mut eligible_if);
    if components::experience_value(r, p.min_experience) < 1.0 {
        let years = f32::from(p.min_experience) / 10.0;
        let change = Change::Experience { years };
        candidates.push((Kind::Experience, texts.experience.clone(), describe(&change, c, ""), change));
    }
    let mut score_gain: Vec<Gain> = candidates
        .into_iter()
        .filter_map(|(kind, requirement, text, change)| {
            let mut changed = c.clone();
            apply(&mut changed, std::slice::from_ref(&change));
            let score_after = score(&changed, q, g, today).score;
            let points = score_after - base;
            (points > 0.0005).then_some(Gain { kind, requirement, text, points, score_after, change })
        })
        .collect();
    // Stable: equal points keep requirement order.
    score_gain.sort_by(|a, b| b.points.total_cmp(&a.points));
    score_gain.truncate(GAINS);
    WhatIf { eligible_if, score_gain }
}

/// The clearance and citizenship gates' changes, when they fail.
fn gate_changes(r: View<'_>, p: &Prepared<'_>, c: &ConsultantVector, out: &mut Vec<Needed>) {
    let req = &p.q.clearance;
    let texts = p.texts();
    if !gates::clearance(r, req).0 {
        let (needed, change) = if req.accept_willing {
            (format!("{}, or willing to undergo vetting", req.required_level), Change::WillingToUndergo)
        } else {
            (req.required_level.to_string(), Change::Clearance { level: req.required_level })
        };
        let willing = if req.accept_willing { ", not willing to undergo vetting" } else { "" };
        out.push(Needed {
            kind: Kind::Clearance,
            requirement: texts.clearance.clone(),
            needed,
            has: format!("{}{willing}", c.clearance),
            change,
        });
    }
    if !gates::citizenship(r, req)
        && let Some(code) = req.citizenship.first()
    {
        let held: Vec<&str> = c.citizenships.iter().map(|c| c.as_str()).collect();
        out.push(Needed {
            kind: Kind::Citizenship,
            requirement: texts.citizenship.clone(),
            needed: texts.citizenships.clone(),
            has: if held.is_empty() { "none stated".into() } else { held.join(", ") },
            change: Change::Citizenship { code: *code },
        });
    }
}

/// The change that meets a skill requirement with `key` and minimums `mins`: raise the
/// related profile skill `m` (or one with the same key) to the minimums, else add the skill.
fn meet(c: &ConsultantVector, m: Option<SkillMatch>, key: SkillKey, label: &Arc<str>, mins: Mins) -> Change {
    let pos = m.map(|m| m.pos).or_else(|| c.skills.iter().position(|s| s.key == key));
    let years = (mins.years > 0).then(|| f32::from(mins.years) / 10.0);
    let level = SkillLevel::new(i64::from(mins.level)).ok();
    match pos {
        Some(pos) => {
            let s = &c.skills[pos];
            let short_years = years.filter(|y| s.years.is_none_or(|have| have < *y));
            let short_level = level.filter(|l| s.level.is_none_or(|have| have < *l));
            Change::RaiseSkill { pos, years: short_years, level: short_level }
        }
        None => Change::AddSkill { key, label: label.clone(), years, level },
    }
}

/// The changes that deepen a met must-have: years to [`DEPTH_YEARS`] beyond the minimum,
/// level to 5.
fn deeper(c: &ConsultantVector, m: SkillMatch, mins: Mins) -> Vec<Change> {
    let s = &c.skills[m.pos];
    let mut out = Vec::new();
    let full_years = (f32::from(mins.years) / 10.0 + DEPTH_YEARS as f32).min(MAX_YEARS);
    if s.years.is_none_or(|y| y < full_years) {
        out.push(Change::RaiseSkill { pos: m.pos, years: Some(full_years), level: None });
    }
    let top = SkillLevel::new(i64::from(SkillLevel::MAX)).ok();
    if s.level.is_none_or(|l| l.get() < SkillLevel::MAX) {
        out.push(Change::RaiseSkill { pos: m.pos, years: None, level: top });
    }
    out
}

/// Applies `changes` in order, as the merge patch of them would (skills and languages are
/// added at the end of their lists).
pub fn apply(c: &mut ConsultantVector, changes: &[Change]) {
    for change in changes {
        match change {
            Change::RaiseSkill { pos, years, level } => {
                // Changes only raise: two changes to one skill keep the higher of each.
                if let Some(s) = c.skills.get_mut(*pos) {
                    s.years = match (s.years, *years) {
                        (Some(have), Some(to)) => Some(have.max(to)),
                        (have, to) => to.or(have),
                    };
                    s.level = s.level.max(*level);
                }
            }
            Change::AddSkill { key, years, level, .. } => {
                // Canonical skills are added under their own label, which resolves exactly.
                let resolved = (*key < FREE_TEXT_BASE).then_some(ResolveMethod::Exact);
                c.skills.push(SkillEntry { key: *key, years: *years, level: *level, resolved });
            }
            Change::Language { code, level } => match c.languages.iter_mut().find(|(have, _)| have == code) {
                Some((_, have)) => *have = (*have).max(*level),
                None => c.languages.push((*code, *level)),
            },
            Change::Clearance { level } => c.clearance = c.clearance.max(*level),
            Change::WillingToUndergo => c.willing_to_undergo = true,
            Change::Citizenship { code } => {
                if !c.citizenships.contains(code) {
                    c.citizenships.push(*code);
                }
            }
            Change::Experience { years } => c.experience_years = Some(*years),
        }
    }
}

/// Minimums in words: `5 years, level 4`, or `on the profile` when none are set.
fn minimums(m: Mins) -> String {
    let mut parts = Vec::new();
    if m.years > 0 {
        parts.push(format!("{} years", years_text(f64::from(m.years) / 10.0)));
    }
    if m.level > 0 {
        parts.push(format!("level {}", m.level));
    }
    if parts.is_empty() { "on the profile".to_string() } else { parts.join(", ") }
}

/// What a profile skill states: `3 years, level 2`, `years and level not stated`.
fn held(s: &SkillEntry) -> String {
    let years = s.years.map_or("years not stated".to_string(), |y| format!("{} years", years_text(f64::from(y))));
    let level = s.level.map_or("level not stated".to_string(), |l| format!("level {}", l.get()));
    format!("{years}, {level}")
}

/// A CEFR rank in words (`none` when absent).
fn cefr_name(rank: u8) -> &'static str {
    Cefr::ALL.get(usize::from(rank).wrapping_sub(1)).map_or("none", |c| c.as_str())
}

/// A change in words, for the requirement `label`.
fn describe(change: &Change, c: &ConsultantVector, label: &str) -> String {
    let y = |v: f32| years_text(f64::from(v));
    match change {
        Change::RaiseSkill { pos, years, level } => {
            let s = c.skills.get(*pos);
            let mut parts = Vec::new();
            if let Some(to) = years {
                let from = s.and_then(|s| s.years).map_or("not stated".to_string(), y);
                parts.push(format!("{from} → {} years", y(*to)));
            }
            if let Some(to) = level {
                let from = s.and_then(|s| s.level).map_or("not stated".to_string(), |l| l.get().to_string());
                parts.push(format!("level {from} → {}", to.get()));
            }
            format!("{label}: {}", parts.join(", "))
        }
        Change::AddSkill { years, level, .. } => {
            let mut parts = Vec::new();
            if let Some(v) = years {
                parts.push(format!("{} years", y(*v)));
            }
            if let Some(l) = level {
                parts.push(format!("level {}", l.get()));
            }
            if parts.is_empty() { format!("add {label}") } else { format!("add {label} ({})", parts.join(", ")) }
        }
        Change::Language { code, level } => {
            let name = language_label(*code);
            match c.languages.iter().find(|(have, _)| have == code) {
                Some((_, have)) => format!("{name}: {have} → {level}"),
                None => format!("add {name} at {level}"),
            }
        }
        Change::Experience { years } => match c.experience_years {
            Some(have) => format!("experience: {} → {} years", y(have), y(*years)),
            None => format!("state {} years of experience", y(*years)),
        },
        Change::Clearance { level } => format!("clearance {level}"),
        Change::WillingToUndergo => "willing to undergo vetting".to_string(),
        Change::Citizenship { code } => format!("citizenship {code}"),
    }
}
