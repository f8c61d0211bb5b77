//! An assignment made ready for ranking ([`Prepared`]): its graph look-ups (the keys that meet
//! each requirement and how), minimums, cleaned can-have weights, dates as day numbers, the
//! points of each weight and the per-rank language values, resolved once per ranking rather
//! than once per consultant. The location table and the explanation texts are built on first
//! use (in [`super::components`] and [`super::texts`]).
//!
//! Imports no scoring: the components, bounds and evaluation build on this, never the reverse.

use super::explain::Relation;
use super::gates::Mins;
use super::keytable::KeyTable;
use super::record::{Sig, UNKNOWN_DAY, day, tenths};
use super::relations::{anc, desc, implying, meeting};
use super::texts::Texts;
use super::vector::{AssignmentQuery, SkillGraph, SkillKey};
use crate::domain::Cefr;
use chrono::NaiveDate;
use std::borrow::Cow;
use std::cell::OnceCell;

/// An assignment with its graph look-ups and dates resolved once per ranking.
pub(crate) struct Prepared<'a> {
    pub q: &'a AssignmentQuery,
    /// The skill relations the ranking uses (for explaining qualities).
    pub g: &'a dyn SkillGraph,
    /// Per must-have, the other keys that meet it: narrower and implying ones, sorted
    /// (borrowed from the graph unless some skill implies it).
    pub must_desc: Vec<Cow<'a, [SkillKey]>>,
    /// Every requirement's skill keys (same, narrower, implying, broader) → the requirements
    /// they serve.
    pub table: KeyTable,
    /// Minimums per requirement: must-haves first, then can-haves.
    pub mins: Vec<Mins>,
    /// Can-have weights, cleaned (finite, ≥ 0; all zero become equal).
    pub can_w: Vec<f64>,
    pub can_w_sum: f64,
    /// The query city's id in the record's city space ([`super::record::ABSENT_CITY`] when no
    /// consultant has it), `None` when no city is asked.
    pub city: Option<u32>,
    pub start: i32,
    pub end: i32,
    pub today: i32,
    /// 100 × each weight.
    pub pts: [f64; 6],
    /// Per asked language, its value for every CEFR rank a consultant may hold (0–7).
    pub lang_values: Vec<[f64; 8]>,
    /// Per can-have, the [`super::record::Hot::sig`] bits of the keys that meet it in full (same, narrower or
    /// implying) and of the broader keys that earn [`super::gates::BROADER_CREDIT`].
    pub can_masks: Vec<(Sig, Sig)>,
    /// Per can-have, the keys that serve it and how (same, then narrower, implying, broader; a
    /// key once, with its first relation, as in [`Prepared::table`]).
    pub can_keys: Vec<Vec<(SkillKey, Relation)>>,
    /// `min_experience_years` in tenths (0: none asked).
    pub min_experience: u16,
    /// The location value per work-mode bits (0–7), [`super::components::Place`] of the city and of the country;
    /// built on first use (ranking many assignments for one consultant never needs it).
    pub(super) location_values: OnceCell<[f64; 8 * 3 * 3]>,
    /// The requirement texts of the explanation, built on first use.
    texts: OnceCell<Texts>,
}

impl<'a> Prepared<'a> {
    pub fn new(q: &'a AssignmentQuery, g: &'a dyn SkillGraph, city: Option<u32>, today: NaiveDate) -> Self {
        let mut can_w: Vec<f64> =
            q.can.iter().map(|w| f64::from(w.weight)).map(|w| if w.is_finite() && w > 0.0 { w } else { 0.0 }).collect();
        if can_w.iter().all(|w| *w == 0.0) {
            can_w.iter_mut().for_each(|w| *w = 1.0);
        }
        let n_must = q.must.len() as u32;
        let mut pairs = Vec::new();
        for (i, n) in q.must.iter().enumerate() {
            pairs.push((i as u32, n.key, Relation::Same));
            pairs.extend(desc(g, n.key).iter().map(|k| (i as u32, *k, Relation::Narrower)));
            pairs.extend(implying(g, n.key).iter().map(|k| (i as u32, *k, Relation::Implied)));
        }
        let mut can_masks = Vec::with_capacity(q.can.len());
        let mut can_keys = Vec::with_capacity(q.can.len());
        for (j, w) in q.can.iter().enumerate() {
            let req = n_must + j as u32;
            let from = pairs.len();
            pairs.push((req, w.key, Relation::Same));
            pairs.extend(desc(g, w.key).iter().map(|k| (req, *k, Relation::Narrower)));
            pairs.extend(implying(g, w.key).iter().map(|k| (req, *k, Relation::Implied)));
            pairs.extend(anc(g, w.key).iter().map(|k| (req, *k, Relation::Broader)));
            let mut keys: Vec<(SkillKey, Relation)> = Vec::with_capacity(pairs.len() - from);
            for &(_, k, relation) in &pairs[from..] {
                if !keys.iter().any(|(seen, _)| *seen == k) {
                    keys.push((k, relation));
                }
            }
            can_keys.push(keys);
            let full = Sig::of_keys(
                std::iter::once(w.key).chain(desc(g, w.key).iter().copied()).chain(implying(g, w.key).iter().copied()),
            );
            can_masks.push((full, Sig::of_keys(anc(g, w.key).iter().copied())));
        }
        Prepared {
            q,
            g,
            must_desc: q.must.iter().map(|n| meeting(g, n.key)).collect(),
            table: KeyTable::new(pairs),
            mins: q
                .must
                .iter()
                .map(|n| Mins::new(n.min_years, n.min_level))
                .chain(q.can.iter().map(|w| Mins::new(w.min_years, w.min_level)))
                .collect(),
            can_w_sum: can_w.iter().sum(),
            can_w,
            city,
            start: q.start_date.map_or(UNKNOWN_DAY, day),
            end: q.end_date.map_or(UNKNOWN_DAY, day),
            today: day(today),
            pts: q.weights.as_array().map(|w| 100.0 * w),
            lang_values: q
                .languages
                .iter()
                .map(|lr| std::array::from_fn(|have| language_value(have as u8, lr.min_level.rank())))
                .collect(),
            can_masks,
            can_keys,
            min_experience: q.min_experience_years.map_or(0, tenths),
            location_values: OnceCell::new(),
            texts: OnceCell::new(),
        }
    }

    /// The day availability is measured from: the start date, or today when that is later.
    pub fn start_day(&self) -> i32 {
        self.start.max(self.today)
    }

    /// Whether the assignment has a start or an end date (without either, every start fits).
    pub fn dated(&self) -> bool {
        self.start != UNKNOWN_DAY || self.end != UNKNOWN_DAY
    }

    /// The assignment's explanation texts.
    pub fn texts(&self) -> &Texts {
        self.texts.get_or_init(|| Texts::new(self.q))
    }
}

/// One language's value for a consultant holding it at CEFR rank `have` (0 when absent) against
/// a minimum rank `min`: met earns 0.7 plus 0.3 × how far above the minimum (native is the top),
/// below earns 0.5 × have/min.
pub(crate) fn language_value(have: u8, min: u8) -> f64 {
    if have >= min {
        let top = Cefr::Native.rank();
        let above = if min >= top { 1.0 } else { f64::from(have - min) / f64::from(top - min) };
        0.7 + 0.3 * above
    } else {
        0.5 * f64::from(have) / f64::from(min)
    }
}
