//! Skill matching and the hard gates: must-have skills (same or narrower key, with years and
//! level at least the minimum), clearance and citizenship. Required languages are gated in
//! [`super::components`], next to their score.
//!
//! Years are compared in tenths of a year: a consultant with exactly `min_years` passes.

use super::explain::{Relation, years_text};
use super::record::{PSkill, View, tenths};
use crate::domain::{ClearanceRequirement, SkillLevel};

/// Value of a met must-have with no depth beyond its minimum; depth adds up to the rest.
pub const MUST_MET_BASE: f64 = 0.6;
/// Most a present but too shallow must-have can earn (scaled by how close it comes).
pub const MUST_PARTIAL_MAX: f64 = 0.3;
/// Years beyond the minimum at which a must-have's depth saturates.
pub const DEPTH_YEARS: f64 = 5.0;
/// Credit for a can-have met only through a broader skill.
pub const BROADER_CREDIT: f64 = 0.5;
/// Most a can-have below its years/level can earn (scaled by how close it comes).
pub const WANT_PARTIAL_MAX: f64 = 0.5;

/// The consultant skill chosen for one requested skill.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct SkillMatch {
    /// Position in the consultant's list.
    pub pos: usize,
    pub relation: Relation,
    /// Years and level at least the minimum.
    pub meets: bool,
    /// The item's value, 0–1.
    pub value: f64,
}

/// A requirement's minimums in the record's units: years in tenths (0 = none), level (0 = none).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Mins {
    pub years: u16,
    pub level: u8,
}

impl Mins {
    /// No minimums: any holder of the skill meets them.
    pub const NONE: Mins = Mins { years: 0, level: 0 };

    pub fn new(min_years: Option<f32>, min_level: Option<SkillLevel>) -> Self {
        Mins { years: min_years.map_or(0, tenths), level: min_level.map_or(0, SkillLevel::get) }
    }
}

/// Whether a skill meets the minimums, and if not how close it comes (0–1, the worst dimension;
/// an unstated value counts as 0).
pub(crate) fn thresholds(s: &PSkill, m: Mins) -> (bool, f64) {
    let mut closeness: f64 = 1.0;
    let mut meets = true;
    if m.years > 0 {
        let have = s.years().map_or(0, |_| s.years);
        if have < m.years {
            meets = false;
            closeness = closeness.min(f64::from(have) / f64::from(m.years));
        }
    }
    if m.level > 0 && s.level < m.level {
        meets = false;
        closeness = closeness.min(f64::from(s.level) / f64::from(m.level));
    }
    (meets, if meets { 1.0 } else { closeness })
}

/// Depth beyond the minimum, 0–1: the mean of the stated signals (years beyond the minimum,
/// saturating after [`DEPTH_YEARS`]; level between the minimum and 5); 0 when neither is stated.
pub(crate) fn depth(s: &PSkill, m: Mins) -> f64 {
    mean_depth(s.years().map(|_| years_depth(s.years, m)), s.level().map(|l| level_depth(l, m)))
}

/// The years signal of [`depth`] for stated years (in tenths).
#[inline]
pub(crate) fn years_depth(years: u16, m: Mins) -> f64 {
    ((f64::from(years) / 10.0 - f64::from(m.years) / 10.0) / DEPTH_YEARS).clamp(0.0, 1.0)
}

/// The level signal of [`depth`] for a stated level.
#[inline]
pub(crate) fn level_depth(level: u8, m: Mins) -> f64 {
    let min = m.level.max(1);
    if min >= 5 { 1.0 } else { ((f64::from(level) - f64::from(min)) / (5.0 - f64::from(min))).clamp(0.0, 1.0) }
}

/// [`depth`] from its signals, those stated.
#[inline]
pub(crate) fn mean_depth(years: Option<f64>, level: Option<f64>) -> f64 {
    let mut sum = 0.0;
    let mut n = 0.0;
    if let Some(y) = years {
        sum += y;
        n += 1.0;
    }
    if let Some(l) = level {
        sum += l;
        n += 1.0;
    }
    if n > 0.0 { sum / n } else { 0.0 }
}

/// The value of a met must-have of the given [`depth`].
#[inline]
pub(crate) fn met(depth: f64) -> f64 {
    MUST_MET_BASE + (1.0 - MUST_MET_BASE) * depth
}

/// A consultant skill against a must-have it relates to (same or narrower).
pub(crate) fn must_match(pos: usize, s: &PSkill, relation: Relation, m: Mins) -> SkillMatch {
    let (meets, closeness) = thresholds(s, m);
    let value = if meets { met(depth(s, m)) } else { MUST_PARTIAL_MAX * closeness };
    SkillMatch { pos, relation, meets, value }
}

/// A consultant skill against a can-have it relates to: same or narrower key earns 1, a
/// broader key [`BROADER_CREDIT`]; below the item's years/level, at most [`WANT_PARTIAL_MAX`] of that.
pub(crate) fn want_match(pos: usize, s: &PSkill, relation: Relation, m: Mins) -> SkillMatch {
    let (meets, closeness) = thresholds(s, m);
    let factor = if relation == Relation::Broader { BROADER_CREDIT } else { 1.0 };
    let value = factor * if meets { 1.0 } else { WANT_PARTIAL_MAX * closeness };
    SkillMatch { pos, relation, meets, value }
}

/// Whether `m` should replace `best` (skills are offered in position order): a higher value,
/// or an equal one through the same key rather than a related one.
pub(crate) fn better(m: &SkillMatch, best: Option<&SkillMatch>) -> bool {
    match best {
        None => true,
        Some(b) => {
            m.value > b.value || (m.value == b.value && m.relation == Relation::Same && b.relation != Relation::Same)
        }
    }
}

/// The gap for a present but too shallow skill: `Kubernetes: 3 years, needs 5`.
pub(crate) fn shallow_gap(label: &str, s: &PSkill, min_years: Option<f32>, min_level: Option<SkillLevel>) -> String {
    let mut parts = Vec::new();
    if let Some(min) = min_years.filter(|m| tenths(*m) > 0) {
        let need = years_text(f64::from(tenths(min)) / 10.0);
        match s.years() {
            None => parts.push(format!("years not stated, needs {need}")),
            Some(y) if s.years < tenths(min) => parts.push(format!("{} years, needs {need}", years_text(y))),
            Some(_) => {}
        }
    }
    if let Some(min) = min_level.map(SkillLevel::get) {
        match s.level() {
            None => parts.push(format!("level not stated, needs {min}")),
            Some(l) if l < min => parts.push(format!("level {l}, needs {min}")),
            Some(_) => {}
        }
    }
    format!("{label}: {}", parts.join("; "))
}

/// Clearance gate: `(passes, only because willing to undergo vetting)`.
pub(crate) fn clearance(r: View<'_>, req: &ClearanceRequirement) -> (bool, bool) {
    if r.hot.clearance >= req.required_level {
        (true, false)
    } else if req.accept_willing && r.hot.willing {
        (true, true)
    } else {
        (false, false)
    }
}

/// Citizenship gate: passes when no citizenship is listed or the consultant holds one listed.
pub(crate) fn citizenship(r: View<'_>, req: &ClearanceRequirement) -> bool {
    req.citizenship.is_empty() || r.citizenships().any(|c| req.citizenship.iter().any(|q| q.bytes() == c))
}
