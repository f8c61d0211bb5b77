//! The matching engine: ranks consultants for an assignment (through a [`ConsultantIndex`])
//! and assignments for a consultant ([`rank_assignments`]), and explains every score.
//!
//! Pure and synchronous: no IO, no web framework, database or async runtime. Inputs are
//! [`ConsultantVector`]s and [`AssignmentQuery`]s; outputs are [`MatchPage`]s of
//! [`ScoredMatch`]es.
//!
//! # Eligibility (gates)
//! A consultant is eligible when every gate passes:
//! - every must-have skill is on the profile as the same skill or a narrower one, with
//!   `years >= min_years` and `level >= min_level` where those are given (years compared to
//!   0.1 year; a skill without stated years fails a `min_years`, without a level a `min_level`);
//! - every `required` language at `min_level` or above (`native` ranks above C2);
//! - clearance at least `required_level`, or `accept_willing` and the consultant is willing
//!   to undergo vetting;
//! - when the assignment lists citizenships, the consultant holds one of them.
//!
//! Ineligible consultants are left out unless `include_ineligible` is set, or — near-miss mode,
//! `max_missing = N` — they fail only must-haves, at most N of them.
//!
//! # Score
//! `score = 100 × Σ weight × component`, each component 0–1 (see [`Breakdown`]; the rules
//! are documented in `evaluate` and `components`). The explanation distributes every component's
//! points over its items, so their points add up to the score; a component with nothing asked
//! is worth 1 and shows one "… not asked" item.
//!
//! # Order
//! Score descending (`f64::total_cmp`), ties by id ascending; top-k selection, no full sort.

/// Word-wise bitmaps of slots: setting, testing and listing bits.
mod bitmap;
/// Upper bounds on a score from a record's hot part, for pruning a ranking (`Bounder`).
mod bound;
/// Slot order: consultants with similar skills placed together in memory.
mod cluster;
/// The soft components other than skills (languages, experience, availability, location).
mod components;
/// An explanation as it is built (`Detail`), and the must-have and gate items.
mod detail;
/// Gates, components and score of one record: the one scoring path and its exact shortcuts.
mod evaluate;
/// A ranking without some consultants (those already rejected or placed).
mod exclude;
/// The result types: `ScoredMatch`, `Breakdown`, explanation items and gaps.
mod explain;
/// Per-slot bitmaps and bit-planes of the gates (clearance, citizenship, languages).
mod gatebits;
/// Must-have and can-have matching of one skill, depth values, the clearance and citizenship gates.
mod gates;
/// What a ranking reads from the postings: must-have groups, met-value tables, can-have look-ups.
mod groups;
/// The adverse-impact report: selection and scoring rates per category, impact ratios.
mod impact;
/// `ConsultantIndex`: records, postings and gate bitmaps kept up to date by upserts and removals.
mod index;
/// Skill key → the requirements it serves and how (`KeyTable`).
mod keytable;
/// The inverted index: skill key → posting lists, with dense bitmap views.
mod postings;
/// An assignment made ready for ranking (`Prepared`), once per ranking.
mod prepare;
/// Unweighted personal qualities: "to assess in interview" items.
mod qualities;
/// How a ranking finds, bounds and scores its candidates in the index.
mod rank;
/// A consultant as the index stores it: the hot part read by every ranking and the record.
mod record;
/// Best-bound-first refinement of bounded candidates.
mod refine;
/// The skill-graph look-ups a requirement's keys come from (narrower, broader, implying).
mod relations;
/// Deterministic synthetic data; unit tests and the `synth` feature only (benches, examples).
#[cfg(any(test, feature = "synth"))]
pub mod synth;
/// An assignment's explanation texts, written once per ranking (`Texts`).
mod texts;
/// Top-k selection by score, ties by id.
mod topk;
/// The engine's inputs: `ConsultantVector`, `AssignmentQuery`, `SkillGraph`, options.
mod vector;
/// What would change a result: the changes that make a pair eligible, those that add most points.
mod whatif;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_implied;
#[cfg(test)]
mod tests_index;
#[cfg(test)]
mod tests_laws;

pub use components::LATE_DAYS;
pub use explain::{
    Breakdown, Explanation, Gap, Kind, MatchPage, Relation, SCORE_VERSION, ScoredMatch, Status, language_label,
    language_name,
};
pub use gates::{BROADER_CREDIT, DEPTH_YEARS, MUST_MET_BASE, MUST_PARTIAL_MAX, WANT_PARTIAL_MAX};
pub use impact::{CategoryReport, FOUR_FIFTHS, ImpactReport, PairOutcome, impact, median};
pub use index::{ConsultantIndex, Parts};
pub use vector::{
    AssignmentQuery, ConsultantVector, FREE_TEXT_BASE, MatchOptions, Need, NoRelations, Quality, SkillEntry,
    SkillGraph, SkillKey, Want,
};
pub use whatif::{Change, GAINS, Gain, Needed, WhatIf, apply as apply_changes, what_if};

use chrono::NaiveDate;
use uuid::Uuid;

use detail::Detail;
use evaluate::{Listing, evaluate};
use prepare::Prepared;
use record::{ABSENT_CITY, Hot, NO_CITY, Record, View};
use topk::{Ranked, TopK};

/// Scores one consultant against one assignment, in full (explanation and gaps included),
/// whatever the gates say. `today` is the availability reference day.
pub fn score(c: &ConsultantVector, q: &AssignmentQuery, g: &dyn SkillGraph, today: NaiveDate) -> ScoredMatch {
    let (rec, hot) = parts(c);
    let p = Prepared::new(q, g, local_city(c, q), today);
    full(View { hot: &hot, rec: &rec }, &p, c.id)
}

/// Ranks assignments for one consultant (items carry the assignment ids), with the same
/// gates, listing rules, scores and order as [`ConsultantIndex::rank`].
pub fn rank_assignments(
    c: &ConsultantVector,
    qs: &[(Uuid, AssignmentQuery)],
    g: &dyn SkillGraph,
    o: &MatchOptions,
) -> MatchPage {
    let (rec, hot) = parts(c);
    let rec = View { hot: &hot, rec: &rec };
    let listing = Listing { include_ineligible: o.include_ineligible, max_missing: o.max_missing };
    let mut ranker = Ranker::new(o);
    let mut scratch = Vec::new();
    for (i, (id, q)) in qs.iter().enumerate() {
        // Without include_ineligible only must-haves may fail: skip failing gates before preparing.
        if !o.include_ineligible && !evaluate::cheap_gates(rec, q) {
            continue;
        }
        let p = Prepared::new(q, g, local_city(c, q), o.today);
        let e = evaluate(rec, &p, Some(listing), None, &mut scratch);
        ranker.offer(&e, *id, i as u32);
    }
    ranker.finish(|r| {
        let (id, q) = qs.get(r.slot as usize)?;
        Some(full(rec, &Prepared::new(q, g, local_city(c, q), o.today), *id))
    })
}

/// One consultant's two parts, outside an index: its city, if any, is city 1 of a
/// one-consultant city space ([`local_city`]).
pub(crate) fn parts(c: &ConsultantVector) -> (Record, Hot) {
    (Record::new(c), Hot::new(c, if c.city.is_some() { 1 } else { NO_CITY }))
}

/// The query city in a one-consultant city space: 1 is the consultant's city.
fn local_city(c: &ConsultantVector, q: &AssignmentQuery) -> Option<u32> {
    q.city.as_deref().map(|qc| if c.city.as_deref() == Some(qc) { 1 } else { ABSENT_CITY })
}

/// The full result for one record.
pub(crate) fn full(rec: View<'_>, p: &Prepared<'_>, id: Uuid) -> ScoredMatch {
    // One item per requirement and per component, at most: no regrowth.
    let mut d = Detail { explanation: Vec::with_capacity(p.mins.len() + p.q.languages.len() + 8), ..Detail::default() };
    let e = evaluate(rec, p, None, Some(&mut d), &mut Vec::new());
    let mut explanation = d.explanation;
    // Languages are evaluated with the gates; list items in `Kind` order (stable within a kind).
    explanation.sort_by_key(|e| e.kind as u8);
    let mut gaps = d.gate_gaps;
    gaps.extend(d.soft_gaps);
    ScoredMatch {
        id,
        score: e.score,
        eligible: e.eligible,
        missing_must: e.missing_must,
        breakdown: e.breakdown,
        explanation,
        gaps,
    }
}

/// Counts, filters and keeps the top `offset + limit` of the listed results.
pub(crate) struct Ranker {
    top: TopK,
    min_score: Option<f64>,
    offset: usize,
    limit: usize,
    total: usize,
    total_eligible: usize,
}

impl Ranker {
    pub fn new(o: &MatchOptions) -> Self {
        Ranker {
            top: TopK::new(o.offset.saturating_add(o.limit)),
            min_score: o.min_score.filter(|m| !m.is_nan()),
            offset: o.offset,
            limit: o.limit,
            total: 0,
            total_eligible: 0,
        }
    }

    pub fn offer(&mut self, e: &evaluate::Eval, id: Uuid, slot: u32) {
        if !e.listed || self.min_score.is_some_and(|m| e.score < m) {
            return;
        }
        self.total += 1;
        self.total_eligible += usize::from(e.eligible);
        self.top.push(Ranked { score: e.score, id, slot });
    }

    /// Counts `n` eligible results known to pass `min_score` and to rank below the kept ones.
    pub fn count_unranked_eligible(&mut self, n: usize) {
        self.total += n;
        self.total_eligible += n;
    }

    /// Whether a result scoring at most `bound` is sure not to enter the kept top `k`: the kept
    /// set is full and its worst scores strictly more (an equal score could still win on id).
    pub fn cannot_enter(&self, bound: f64) -> bool {
        self.top.worst().is_some_and(|w| bound < w.score)
    }

    pub fn finish(self, mut build: impl FnMut(&Ranked) -> Option<ScoredMatch>) -> MatchPage {
        let items = self.top.into_sorted().iter().skip(self.offset).take(self.limit).filter_map(&mut build).collect();
        MatchPage { total_eligible: self.total_eligible, total: self.total, items }
    }
}
