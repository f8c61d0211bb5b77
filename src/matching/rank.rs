//! Ranking the indexed consultants for an assignment ([`ConsultantIndex::rank`]).
//!
//! Candidates for a query:
//! - eligible only (`max_missing = 0`, no `include_ineligible`): a bitmap of the slots holding
//!   every must-have (its own key or a narrower one), the word-wise AND of the common keys'
//!   bitmaps (a rare key's postings set its bits, at its minimums), ANDed again with the
//!   bitmaps of the required languages, clearance and citizenships ([`GateBits`]). Each
//!   survivor's record is then checked (only for the gates the bitmaps could not decide, and
//!   for the minimums of must-haves whose dense lists may hold the key too shallowly) and
//!   bounded from the record alone, with the must-have component at 1 and the can-haves
//!   bounded by the record's key signature ([`Bounder`]). When the bitmaps decided every gate,
//!   that bound first takes the language terms at their most, and only candidates whose
//!   bound can still enter once the best ones are settled have their languages read. Best
//!   bound first, a chunk of candidates gets its exact must-have component from the postings
//!   and a tighter bound, then the best its exact can-have component from the postings too,
//!   and is read and offered only while that bound can still enter the top k; once the top k
//!   beat the best bound left, the rest are only counted;
//! - near-miss (`max_missing = N` < number of must-haves): anyone listed meets all but at
//!   most N must-haves, so meets one of any N + 1 of them: the union over the N + 1 rarest;
//! - a full scan only without must-haves, with `include_ineligible`, or when N ≥ the number
//!   of must-haves.
//!

use super::bitmap::{self, set_bits};
use super::bound::Bounder;
use super::evaluate::{Listing, can_component, evaluate, evaluate_exact, evaluate_known, known};
use super::groups::{Group, MustValues, Wanted, holders, union_meeting};
use super::index::ConsultantIndex;
use super::postings::Hit;
use super::prepare::Prepared;
use super::record::ABSENT_CITY;
use super::refine::{First, Refine, best_chunk, best_first};
use super::vector::{AssignmentQuery, MatchOptions, SkillGraph};
use super::{MatchPage, Ranker, full};

/// Candidates are bounded in blocks of this many: their records are touched together (so
/// their loads overlap), then bounded while still in cache. Touching all of them first lost
/// them again at 1M (~10k candidates, 1.3 MB of records, plus the must-have columns streamed
/// in): blocks of 64 / 128 / 512 / 2,048 ran 2.55 / 2.45 / 2.5 / 2.5 ms a query against 4.0.
const TOUCH_BLOCK: usize = 128;

impl ConsultantIndex {
    /// Ranks the indexed consultants for an assignment. Gives exactly the items and scores of
    /// scoring every consultant with [`super::score`] and sorting.
    pub fn rank(&self, q: &AssignmentQuery, g: &dyn SkillGraph, o: &MatchOptions) -> MatchPage {
        let city = q.city.as_deref().map(|c| self.cities.get(c).copied().unwrap_or(ABSENT_CITY));
        let p = Prepared::new(q, g, city, o.today);
        let mut ranker = Ranker::new(o);
        let n_must = q.must.len();
        let scan = n_must == 0 || o.include_ineligible || o.max_missing as usize >= n_must;
        if o.include_ineligible || o.max_missing > 0 {
            // Some listed results fail must-haves: every candidate is evaluated in full.
            let listing = Listing { include_ineligible: o.include_ineligible, max_missing: o.max_missing };
            let mut scratch = Vec::new();
            let mut visit = |slot: u32| {
                if let Some(r) = self.view(slot) {
                    ranker.offer(&evaluate(r, &p, Some(listing), None, &mut scratch), r.rec.id, slot);
                }
            };
            if scan {
                (0..self.records.len() as u32).for_each(&mut visit);
            } else {
                let words = bitmap::words(self.records.len());
                union_meeting(&self.groups(q, &p)[..o.max_missing as usize + 1], words).into_iter().for_each(visit);
            }
        } else if scan {
            // Eligible only, no must-haves: the gate bitmaps drop those failing a gate they
            // decide; the first bound (exact but for the can-haves) settles most others while
            // they are in cache, in slot order (storing 100k bounds cost more than it saved).
            let min_score = o.min_score.filter(|m| !m.is_nan());
            let mut best = Vec::new();
            let mut all = vec![!0u64; bitmap::words(self.records.len())];
            let bounder = self.bounder(q, &p, self.gates.filter(q, &mut all));
            for slot in set_bits(&all) {
                // Free slots pass the bitmaps of gates not asked: the record tells them apart.
                let Some(r) = self.view(slot) else { continue };
                let Some(bound) = bounder.bound(r.hot, slot, || Some(r.rec)) else { continue };
                if min_score.is_some_and(|m| bound < m) {
                    continue;
                }
                if min_score.is_none() && ranker.cannot_enter(bound) {
                    ranker.count_unranked_eligible(1);
                } else if let Some(k) = known(r, &p, 1.0) {
                    ranker.offer(&evaluate_known(r, &p, &k, &mut best), r.rec.id, slot);
                }
            }
        } else {
            self.rank_eligible(q, &p, o, &mut ranker);
        }
        ranker.finish(|r| self.view(r.slot).map(|v| full(v, &p, v.rec.id)))
    }

    /// The first-bound tables of a ranking; `decided`: the gate bitmaps decided every gate.
    fn bounder<'p>(&'p self, q: &AssignmentQuery, p: &'p Prepared<'p>, decided: bool) -> Bounder<'p> {
        let planes: Vec<_> = q.languages.iter().map(|l| self.gates.language_planes(l.code.bytes())).collect();
        Bounder::new(p, decided, &planes)
    }

    /// Each must-have's postings with its minimums, the rarest first.
    fn groups<'s>(&'s self, q: &AssignmentQuery, p: &Prepared<'_>) -> Vec<Group<'s>> {
        let mut musts: Vec<Group<'_>> = q
            .must
            .iter()
            .zip(&p.must_desc)
            .zip(&p.mins)
            .enumerate()
            .map(|(must, ((n, d), mins))| Group::new(self.postings.lists(n.key, d), *mins, must))
            .collect();
        musts.sort_by_key(|g| g.size);
        musts
    }

    /// Eligible only, with must-haves, in three passes:
    /// - the candidates are the slots holding every must-have ([`holders`]) that pass the gate
    ///   bitmaps;
    /// - each candidate's record is checked (the gates the bitmaps cannot decide, the
    ///   minimums of must-haves whose holders may be too shallow) and bounded with the
    ///   must-have component at its most, 1, without any other look-up: every candidate left
    ///   is eligible;
    /// - best first bound, a candidate that may still enter the top k gets its exact
    ///   must-have component from the postings and a tighter bound, then its exact can-have
    ///   component ([`Wanted`]), and is read and offered only while that bound can enter.
    ///   Once the top k beat a first bound, the rest are only counted.
    ///
    /// When the bitmaps decided every gate and no `min_score` is asked, the first bound is
    /// staged: the bound pass takes the language terms at their most ([`Bounder::upper`]);
    /// the best chunk of those is made exact and settled, which fills the top k, and of the
    /// rest only the candidates whose upper bound can still enter are made exact and settled,
    /// the others counted. At 1M consultants 72% of the candidates skip their language
    /// look-ups (61% at 100k): 826 → 710 µs a ranking, 100k unchanged.
    fn rank_eligible(&self, q: &AssignmentQuery, p: &Prepared<'_>, o: &MatchOptions, ranker: &mut Ranker) {
        let n_must = q.must.len();
        let min_score = o.min_score.filter(|m| !m.is_nan());
        let mut groups = self.groups(q, p);
        let mut cand = holders(&mut groups, bitmap::words(self.records.len()));
        let decided = self.gates.filter(q, &mut cand);
        let checked: Vec<&Group<'_>> = groups.iter().filter(|g| !g.exact()).collect();
        std::hint::black_box(groups.iter().flat_map(|g| &g.lists).fold(0, |x, l| x ^ l.warm()));
        let bounder = self.bounder(q, p, decided);
        // Every candidate is eligible once the bitmaps decided the gates: without `min_score`,
        // one the top k beat on its upper bound need only be counted ([`Bounder::upper`]).
        let staged = decided && min_score.is_none();
        let mut bounded: Vec<First> = Vec::with_capacity(cand.iter().map(|w| w.count_ones() as usize).sum());
        bitmap::for_each_block::<TOUCH_BLOCK>(&cand, |block| {
            // Touch the block's hot parts first: a tight loop of independent loads lets the
            // processor fetch many at once, so the bound below finds them in cache. Only free
            // slots lack a record, and they hold no postings: no candidate's record is read
            // here unless a gate or a language needs it.
            let touched = block.iter().fold(0u64, |acc, &slot| {
                acc ^ self.hot.get(slot as usize).map_or(0, |h| h.sig.folded() ^ u64::from(h.modes))
            });
            std::hint::black_box(touched);
            for &slot in block {
                let Some(h) = self.hot.get(slot as usize) else { continue };
                if !checked.iter().all(|g| g.met_by(slot)) {
                    continue;
                }
                if staged {
                    bounded.push((bounder.upper(h), slot));
                    continue;
                }
                let record = || self.record(slot);
                let Some(bound) = bounder.bound(h, slot, record) else { continue };
                if min_score.is_some_and(|m| bound < m) {
                    continue;
                }
                bounded.push((bound, slot));
            }
        });
        let values = MustValues::new(&p.mins[..n_must]);
        let mut hits = vec![Hit::default(); n_must];
        let mut refine_must = |slot: u32, bound: f64| {
            for g in &groups {
                *hits.get_mut(g.must)? = g.best_hit(slot)?;
            }
            // Summed in query order, as `evaluate` does, so the value is bit-identical.
            let must = (0..n_must).fold(0.0, |s, i| s + values.value(i, hits[i])) / n_must as f64;
            Some((bounder.with_must(bound, must), must))
        };
        let wanted: Vec<Wanted<'_>> =
            p.can_keys.iter().zip(&p.mins[n_must..]).map(|(keys, m)| Wanted::new(&self.postings, keys, *m)).collect();
        let mut refine_can = |slot: u32, bound: f64| {
            let h = self.hot.get(slot as usize)?;
            let can = can_component(p, wanted.iter().map(|w| w.value(slot, h.sig)));
            Some((bounder.with_can(bound, h, can), can))
        };
        let mut score = |slot: u32, must: f64, can: f64, ranker: &mut Ranker| {
            if let Some(r) = self.view(slot)
                && let Some(k) = known(r, p, must)
            {
                ranker.offer(&evaluate_exact(p, &k, can), r.rec.id, slot);
            }
        };
        if !staged {
            let refine = Refine { must: refine_must, can: refine_can };
            best_first(bounded, ranker, min_score, refine, score);
            return;
        }
        // Staged: the best upper bounds are bounded and settled first, which fills the top k;
        // of the rest, only those whose upper bound can still enter are bounded and settled.
        let with_languages = |upper: f64, slot: u32| {
            let record = || self.record(slot);
            Some((bounder.with_languages(upper, slot, record)?, slot))
        };
        let (head, rest, _) = best_chunk(&mut bounded);
        let mut first: Vec<First> = Vec::with_capacity(head.len());
        first.extend(head.iter().filter_map(|&(upper, slot)| with_languages(upper, slot)));
        best_first(first, ranker, None, Refine { must: &mut refine_must, can: &mut refine_can }, &mut score);
        let mut counted = 0;
        let mut more: Vec<First> = Vec::with_capacity(rest.len());
        for &(upper, slot) in rest.iter() {
            if ranker.cannot_enter(upper) {
                counted += 1;
            } else if let Some(bounded) = with_languages(upper, slot) {
                more.push(bounded);
            }
        }
        ranker.count_unranked_eligible(counted);
        best_first(more, ranker, None, Refine { must: refine_must, can: refine_can }, score);
    }
}
