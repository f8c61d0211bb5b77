//! Scoring one consultant record against one prepared assignment: the gates, the six
//! components, and (on request) the explanation and gaps. This is the single code path behind
//! [`super::score`], [`super::rank_assignments`] and [`super::ConsultantIndex::rank`], so
//! all three agree exactly; the index's shortcuts ([`known`], [`evaluate_known`],
//! [`evaluate_exact`]) give the same bits.
//!
//! Must-haves: each counts equally. Met: [`gates::MUST_MET_BASE`] plus the rest scaled by depth
//! beyond the minimum (years beyond `min_years`, saturating after [`gates::DEPTH_YEARS`]
//! extra years; level between `min_level` and 5; the mean of whichever is stated, 0 when
//! neither). Present but too shallow: up to [`gates::MUST_PARTIAL_MAX`]. Absent: 0.
//!
//! Can-haves: weighted by their `weight` (all zero counts as equal). Same or narrower skill
//! meeting the item's years/level: 1; broader skill: [`gates::BROADER_CREDIT`]; below the
//! years/level: up to [`gates::WANT_PARTIAL_MAX`] of that, by how close it comes.

use super::components;
use super::detail::{Detail, gate_items, must_item, plain};
use super::explain::{Breakdown, Explanation, Kind, Status};
use super::gates::{self, SkillMatch};
use super::prepare::Prepared;
use super::qualities;
use super::record::View;
use super::vector::AssignmentQuery;

/// Who gets listed: `None` scores everyone in full.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Listing {
    pub include_ineligible: bool,
    pub max_missing: u32,
}

/// The outcome for one consultant; `score` and `breakdown` are meaningful only when `listed`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Eval {
    pub listed: bool,
    pub eligible: bool,
    pub missing_must: u32,
    pub score: f64,
    pub breakdown: Breakdown,
}

/// The best consultant skill for every requirement (must-haves first, then can-haves), in one
/// pass over the consultant's skills, offered in position order.
pub(crate) fn match_skills(r: View<'_>, p: &Prepared<'_>, best: &mut Vec<Option<SkillMatch>>) {
    let n_must = p.q.must.len();
    best.clear();
    best.resize(p.mins.len(), None);
    for (pos, s) in r.rec.skills.iter().enumerate() {
        for t in p.table.get(s.key) {
            let i = t.req as usize;
            let m = if i < n_must {
                gates::must_match(pos, s, t.relation, p.mins[i])
            } else {
                gates::want_match(pos, s, t.relation, p.mins[i])
            };
            if gates::better(&m, best[i].as_ref()) {
                best[i] = Some(m);
            }
        }
    }
}

/// The gates that do not involve skills: clearance, citizenship, required languages.
pub(crate) fn cheap_gates(r: View<'_>, q: &AssignmentQuery) -> bool {
    gates::clearance(r, &q.clearance).0
        && gates::citizenship(r, &q.clearance)
        && components::required_languages(r, &q.languages)
}

/// For a consultant scored from its skills: the cheap gates and every component but the
/// can-haves, exactly as [`evaluate`] computes them, with the must-have component given
/// (`must`, from the postings). `None` when a gate fails.
pub(crate) fn known(r: View<'_>, p: &Prepared<'_>, must: f64) -> Option<Known> {
    let q = p.q;
    if !gates::clearance(r, &q.clearance).0 || !gates::citizenship(r, &q.clearance) {
        return None;
    }
    let languages = languages_if_met(r, p)?;
    let (date_fit, cap_fit) = components::availability_fits(r, p);
    Some(Known {
        must,
        languages,
        experience: components::experience_value(r, p.min_experience),
        availability: (date_fit + cap_fit) / 2.0,
        location: p.location_value(r.hot),
    })
}
/// The language component when every required language is met (the value
/// [`components::languages`] gives, from the prepared per-rank values), else `None`.
#[inline]
fn languages_if_met(r: View<'_>, p: &Prepared<'_>) -> Option<f64> {
    let langs = &p.q.languages;
    if langs.is_empty() {
        return Some(1.0);
    }
    let mut sum = 0.0;
    for (lr, values) in langs.iter().zip(&p.lang_values) {
        let have = r.language_rank(lr.code.bytes());
        if lr.required && have < lr.min_level.rank() {
            return None;
        }
        sum += values[usize::from(have.min(7))];
    }
    Some(sum / langs.len() as f64)
}

/// The components [`known`] computes for a candidate that passes every gate and meets every
/// must-have: all but the can-have component.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Known {
    pub must: f64,
    pub languages: f64,
    pub experience: f64,
    pub availability: f64,
    pub location: f64,
}

/// What [`evaluate`] (with a listing, without detail) gives a candidate [`known`] passed
/// with the exact must-have component: only the can-haves are left to compute, in one pass
/// over the skills. The values are the same bits: the best value per can-have (what
/// [`gates::better`] keeps) and the same sums in the same order.
pub(crate) fn evaluate_known(r: View<'_>, p: &Prepared<'_>, k: &Known, best: &mut Vec<f64>) -> Eval {
    let n_must = p.q.must.len();
    best.clear();
    best.resize(p.q.can.len(), 0.0);
    for (pos, s) in r.rec.skills.iter().enumerate() {
        for t in p.table.get(s.key) {
            if let Some(j) = (t.req as usize).checked_sub(n_must) {
                let v = gates::want_match(pos, s, t.relation, p.mins[n_must + j]).value;
                best[j] = best[j].max(v);
            }
        }
    }
    evaluate_exact(p, k, can_component(p, best.iter().copied()))
}

/// The can-have component from each can-have's best value, in query order (the sum
/// [`evaluate`] makes, so the same bits).
#[inline]
pub(crate) fn can_component(p: &Prepared<'_>, best: impl Iterator<Item = f64>) -> f64 {
    if p.q.can.is_empty() {
        return 1.0;
    }
    let mut can_sum = 0.0;
    for (w, v) in p.can_w.iter().zip(best) {
        can_sum += w * v;
    }
    can_sum / p.can_w_sum
}

/// What [`evaluate`] gives a candidate [`known`] passed, with its can-have component given
/// (from [`can_component`]).
pub(crate) fn evaluate_exact(p: &Prepared<'_>, k: &Known, can: f64) -> Eval {
    let breakdown = Breakdown {
        must_have: k.must,
        can_have: can,
        languages: k.languages,
        experience: k.experience,
        availability: k.availability,
        location: k.location,
    };
    let b = breakdown.as_array();
    let score = (0..6).map(|i| p.pts[i] * b[i]).sum::<f64>().clamp(0.0, 100.0);
    Eval { listed: true, eligible: true, missing_must: 0, score, breakdown }
}

/// Gates, components and score of one record; `listing` allows an early exit for those who
/// will not be listed, `detail` collects the explanation and gaps; `best` is scratch space.
pub(crate) fn evaluate(
    r: View<'_>,
    p: &Prepared<'_>,
    listing: Option<Listing>,
    mut detail: Option<&mut Detail>,
    best: &mut Vec<Option<SkillMatch>>,
) -> Eval {
    let q = p.q;
    let skip = Eval { listed: false, eligible: false, missing_must: 0, score: 0.0, breakdown: Breakdown::default() };
    let cap = match listing {
        Some(l) if !l.include_ineligible && detail.is_none() => Some(l.max_missing),
        _ => None,
    };
    // Without include_ineligible only must-haves may fail: check the cheap gates first.
    let (clear_ok, via_willing) = gates::clearance(r, &q.clearance);
    let cit_ok = gates::citizenship(r, &q.clearance);
    if cap.is_some() && !cheap_gates(r, q) {
        return skip;
    }
    match_skills(r, p, best);
    // Must-haves.
    let n_must = q.must.len();
    let mut missing = 0u32;
    let mut must_sum = 0.0;
    for (i, m) in best[..n_must].iter().enumerate() {
        let value = m.map_or(0.0, |m| m.value);
        if !m.is_some_and(|m| m.meets) {
            missing += 1;
            if cap.is_some_and(|c| missing > c) {
                return skip;
            }
        }
        must_sum += value;
        if let Some(d) = detail.as_deref_mut() {
            must_item(d, p, r, i, *m, p.pts[0] * value / n_must as f64);
        }
    }
    let must = if n_must == 0 { 1.0 } else { must_sum / n_must as f64 };
    if n_must == 0
        && let Some(d) = detail.as_deref_mut()
    {
        d.explanation.push(plain(Kind::MustHave, "no must-have skills asked".into(), Status::Met, p.pts[0]));
    }
    // The other gates.
    let (languages, lang_ok) = components::languages(r, p, p.pts[2], detail.as_deref_mut());
    let other_ok = lang_ok && clear_ok && cit_ok;
    let eligible = other_ok && missing == 0;
    let listed = match listing {
        None => true,
        Some(l) => eligible || l.include_ineligible || (other_ok && missing <= l.max_missing),
    };
    if !listed && detail.is_none() {
        return skip;
    }
    if let Some(d) = detail.as_deref_mut() {
        gate_items(d, r, p, clear_ok, via_willing, cit_ok);
    }
    // Can-haves.
    let mut can_sum = 0.0;
    for (j, w) in q.can.iter().enumerate() {
        let m = best[n_must + j];
        let value = m.map_or(0.0, |m| m.value);
        can_sum += p.can_w[j] * value;
        if let Some(d) = detail.as_deref_mut() {
            d.explanation.push(Explanation {
                kind: if w.quality { Kind::Quality } else { Kind::CanHave },
                requirement: w.label.clone(),
                status: if value >= 1.0 {
                    Status::Met
                } else if value > 0.0 {
                    Status::Partial
                } else {
                    Status::Missing
                },
                consultant_skill: m.map(|m| m.pos),
                resolved: m.and_then(|m| r.rec.skills[m.pos].resolved()),
                relation: m.map(|m| m.relation),
                skill_key: m.map(|m| r.rec.skills[m.pos].key),
                points: p.pts[1] * p.can_w[j] * value / p.can_w_sum,
            });
        }
    }
    let can = if q.can.is_empty() { 1.0 } else { can_sum / p.can_w_sum };
    if q.can.is_empty()
        && let Some(d) = detail.as_deref_mut()
    {
        d.explanation.push(plain(Kind::CanHave, "no can-have skills asked".into(), Status::Met, p.pts[1]));
    }
    if let Some(d) = detail.as_deref_mut() {
        qualities::items(d, r, p);
    }
    let experience = components::experience(r, p, p.pts[3], detail.as_deref_mut());
    let availability = components::availability(r, p, p.pts[4], detail.as_deref_mut());
    let location = components::location(r, p, p.pts[5], detail);
    let breakdown = Breakdown { must_have: must, can_have: can, languages, experience, availability, location };
    let b = breakdown.as_array();
    let score = (0..6).map(|i| p.pts[i] * b[i]).sum::<f64>().clamp(0.0, 100.0);
    Eval { listed, eligible, missing_must: missing, score, breakdown }
}
