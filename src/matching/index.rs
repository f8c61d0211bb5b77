//! The in-memory consultant index: compact records in slots, an id → slot map, and an
//! inverted index from skill key to the sorted slots that hold it (with the skill's years and
//! level, so must-have minimums are checked in the postings).
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
//! Slot order: [`ConsultantIndex::clustered`] puts consultants with similar skills side by
//! side ([`cluster`]), so a ranking's candidates share cache lines; the service clusters after
//! loading and at compaction. Results never depend on slot order.
//!
//! Memory (see [`ConsultantIndex::memory_bytes`]): 96 bytes per slot (a record of 64 and a hot
//! part of 32), 8 bytes per skill in the record and 8 per posting, the bitmaps of common keys
//! (2 more bytes per posting and 3/16 byte per slot each) and gates, the id map; about 475
//! bytes per synthetic consultant.

use std::collections::HashMap;
use std::mem::size_of;

use uuid::Uuid;

use super::bitmap::{self, set_bits};
use super::cluster;
use super::gatebits::GateBits;
use super::postings::{Group, Hit, MustValues, Postings, Wanted, holders, union_meeting};
use super::record::{ABSENT_CITY, Hot, NO_CITY, Record, View};
use super::score::{Bounder, Listing, Prepared, can_component, evaluate, evaluate_exact, evaluate_known, known};
use super::vector::{AssignmentQuery, ConsultantVector, MatchOptions, SkillGraph, SkillKey};
use super::{MatchPage, Ranker, full};

/// Compact, searchable consultant vectors. `Send + Sync`; the service wraps it in a lock.
#[derive(Debug, Default, Clone)]
pub struct ConsultantIndex {
    /// By slot: the record, `None` for a free slot.
    records: Vec<Option<Record>>,
    /// By slot: what every candidate is bounded from (the default for a free slot).
    hot: Vec<Hot>,
    slots: HashMap<Uuid, u32>,
    free: Vec<u32>,
    postings: Postings,
    /// Interned cities; ids start at 1 ([`NO_CITY`] is 0).
    cities: HashMap<Box<str>, u32>,
    /// The language, clearance and citizenship gates as bitmaps.
    pub(super) gates: GateBits,
}

fn distinct_keys(r: &Record) -> Vec<SkillKey> {
    let mut keys: Vec<SkillKey> = r.skills.iter().map(|s| s.key).collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// The keys under which `old` and `new` post differently: a key's postings are its skills'
/// years and levels in skill order, so a key whose sequence is the same in both keeps its
/// postings as they are.
fn changed_keys(old: &Record, new: &Record) -> Vec<SkillKey> {
    let postings = |r: &Record, k: SkillKey| {
        let held = r.skills.iter().filter(move |s| s.key == k);
        held.map(|s| (s.years, s.level)).collect::<Vec<_>>()
    };
    let mut keys: Vec<SkillKey> = old.skills.iter().chain(&new.skills).map(|s| s.key).collect();
    keys.sort_unstable();
    keys.dedup();
    keys.retain(|&k| postings(old, k) != postings(new, k));
    keys
}

impl ConsultantIndex {
    /// An empty index.
    pub fn new() -> Self {
        Self::default()
    }

    /// How many consultants are indexed.
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// Whether the index is empty.
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// Whether a consultant is indexed.
    pub fn contains(&self, id: Uuid) -> bool {
        self.slots.contains_key(&id)
    }

    /// Adds a consultant or replaces the one with the same id.
    pub fn upsert(&mut self, v: ConsultantVector) {
        let city = match v.city.as_deref() {
            None => NO_CITY,
            Some(c) => match self.cities.get(c) {
                Some(id) => *id,
                None => {
                    let id = self.cities.len() as u32 + 1;
                    self.cities.insert(c.into(), id);
                    id
                }
            },
        };
        self.put(Record::new(&v), Hot::new(&v, city));
    }

    /// Adds a consultant's two parts (its city interned already), or replaces the consultant
    /// with the same id.
    fn put(&mut self, rec: Record, hot: Hot) {
        let (slot, old) = match self.slots.get(&rec.id) {
            Some(&slot) => (slot, self.records[slot as usize].take()),
            None => {
                let slot = match self.free.pop() {
                    Some(slot) => slot,
                    None => {
                        self.records.push(None);
                        self.hot.push(Hot::default());
                        (self.records.len() - 1) as u32
                    }
                };
                self.slots.insert(rec.id, slot);
                (slot, None)
            }
        };
        let universe = self.records.len();
        match &old {
            // An update re-posts only the keys whose postings differ: a posting list is a
            // sorted vector, so each removal and insertion moves its tail, and an ATS update
            // seldom changes the skills (a name, a date, the capacity).
            Some(old) => {
                for k in changed_keys(old, &rec) {
                    self.postings.unpost(k, slot, universe);
                    rec.skills.iter().filter(|s| s.key == k).for_each(|s| self.postings.post(s, slot, universe));
                }
            }
            None => rec.skills.iter().for_each(|s| self.postings.post(s, slot, universe)),
        }
        self.records[slot as usize] = Some(rec);
        self.hot[slot as usize] = hot;
        let new = self.records[slot as usize].as_ref().map(|r| (r, &hot));
        self.gates.set(slot, old.as_ref(), new, &self.records);
    }

    /// Removes a consultant; false when it was not indexed.
    pub fn remove(&mut self, id: Uuid) -> bool {
        let Some(slot) = self.slots.remove(&id) else {
            return false;
        };
        let universe = self.records.len();
        if let Some(rec) = self.records[slot as usize].take() {
            distinct_keys(&rec).into_iter().for_each(|k| self.postings.unpost(k, slot, universe));
            self.gates.set(slot, Some(&rec), None, &self.records);
        }
        self.hot[slot as usize] = Hot::default();
        self.free.push(slot);
        true
    }

    /// The number of slots (in use or free).
    #[cfg(test)]
    pub(super) fn records_len(&self) -> usize {
        self.records.len()
    }

    /// The record in a slot.
    #[inline]
    pub(super) fn record(&self, slot: u32) -> Option<&Record> {
        self.records.get(slot as usize).and_then(Option::as_ref)
    }

    /// The consultant in a slot, both parts.
    #[inline]
    pub(super) fn view(&self, slot: u32) -> Option<View<'_>> {
        Some(View { hot: self.hot.get(slot as usize)?, rec: self.record(slot)? })
    }

    /// Releases spare capacity (call after a bulk load).
    pub fn shrink_to_fit(&mut self) {
        self.records.shrink_to_fit();
        self.hot.shrink_to_fit();
        self.slots.shrink_to_fit();
        self.free.shrink_to_fit();
        self.postings.shrink_to_fit(self.records.len());
        self.gates.shrink_to_fit(self.records.len());
    }

    /// The same consultants in a new, compact index whose slots follow `cluster::order`
    /// ([`Parts::clustered`]).
    pub fn clustered(self) -> ConsultantIndex {
        Parts {
            consultants: self.records.into_iter().zip(self.hot).filter_map(|(r, h)| Some((r?, h))).collect(),
            cities: self.cities,
        }
        .clustered()
    }

    /// A copy of the consultants, to be rebuilt clustered ([`Parts::clustered`]) without
    /// holding up the index meanwhile.
    pub fn parts(&self) -> Parts {
        let consultants = self.records.iter().zip(&self.hot).filter_map(|(r, h)| Some((r.clone()?, *h))).collect();
        Parts { consultants, cities: self.cities.clone() }
    }

    /// Bytes held by the index: records, their skills, languages and citizenships, the id
    /// map, the postings and the city table (allocator overhead not included).
    pub fn memory_bytes(&self) -> usize {
        let records = self.records.capacity() * size_of::<Option<Record>>()
            + self.hot.capacity() * size_of::<Hot>()
            + self.records.iter().flatten().map(Record::heap_bytes).sum::<usize>();
        let slots = self.slots.capacity() * (size_of::<(Uuid, u32)>() + 1);
        let postings = self.postings.memory_bytes();
        let cities = self.cities.capacity() * (size_of::<(Box<str>, u32)>() + 1)
            + self.cities.keys().map(|c| c.len()).sum::<usize>();
        let gates = self.gates.memory_bytes();
        size_of::<Self>() + records + slots + self.free.capacity() * size_of::<u32>() + postings + cities + gates
    }

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

/// The consultants of a [`ConsultantIndex`] without its postings and bitmaps
/// ([`ConsultantIndex::parts`]).
#[derive(Debug)]
pub struct Parts {
    consultants: Vec<(Record, Hot)>,
    cities: HashMap<Box<str>, u32>,
}

impl Parts {
    /// The consultants in a new, compact index whose slots follow `cluster::order`:
    /// consultants with similar skills side by side, so a ranking's candidates lie close
    /// together in memory. Rankings are the same in any slot order; on the synthetic data they
    /// run 10–14% faster clustered at 100k consultants and about 25% faster at 1M
    /// (`docs/PERFORMANCE.md`). Fewer than `cluster::MIN_CONSULTANTS` (16,384) keep their order.
    pub fn clustered(self) -> ConsultantIndex {
        let order = cluster::order(&self.consultants.iter().map(|(r, _)| &*r.skills).collect::<Vec<_>>());
        let mut by_position: Vec<Option<(Record, Hot)>> = self.consultants.into_iter().map(Some).collect();
        let mut index = ConsultantIndex { cities: self.cities, ..ConsultantIndex::default() };
        index.records.reserve_exact(by_position.len());
        index.hot.reserve_exact(by_position.len());
        index.slots.reserve(by_position.len());
        for i in order {
            if let Some((rec, hot)) = by_position.get_mut(i).and_then(Option::take) {
                index.put(rec, hot);
            }
        }
        index.shrink_to_fit();
        index
    }
}

/// Candidates are bounded in blocks of this many: their records are touched together (so
/// their loads overlap), then bounded while still in cache. Touching all of them first lost
/// them again at 1M (~10k candidates, 1.3 MB of records, plus the must-have columns streamed
/// in): blocks of 64 / 128 / 512 / 2,048 ran 2.55 / 2.45 / 2.5 / 2.5 ms a query against 4.0.
const TOUCH_BLOCK: usize = 128;

/// A candidate in [`best_first`] with its tighter bound, its exact must-have component and,
/// once refined again, its exact can-have component (then its bound is all but exact).
struct Refined {
    bound: f64,
    must: f64,
    can: Option<f64>,
    slot: u32,
}

/// How [`best_first`] tightens a candidate's bound, in two steps: `must(slot, bound)` gives
/// the bound with the exact must-have component and that component (`None` when the slot
/// turns out not to meet a must-have); `can(slot, bound)` the bound with the exact can-have
/// component as well, and that component.
struct Refine<M, C> {
    must: M,
    can: C,
}

impl PartialEq for Refined {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other).is_eq()
    }
}

impl Eq for Refined {}

impl PartialOrd for Refined {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Refined {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.bound.total_cmp(&other.bound)
    }
}

/// First bounds are taken a chunk of about this many at a time ([`best_chunk`]: the best
/// ones left, not sorted) and all refined for the must-have component in one tight loop,
/// whose independent look-ups overlap. A ranking refines a few hundred of its candidates, so
/// most rankings take one chunk; A/B at 100k / 1M consultants: one at a time in sorted order
/// 97.8 / 731 µs a query, chunks of 128 95.3 / 728, 256 94.9 / 695, 512 102.2 / 657
/// (`docs/PERFORMANCE.md`).
const FIRST_CHUNK: usize = 256;

/// Candidates given their can-have component together, at most ([`best_first`]): the best
/// one and up to three more waiting for it. Paired A/B at 100k, medians of 12: 139.2 → 135.0
/// and 139.9 → 136.3 µs (8 together: 136.9); at 1M no change (`docs/PERFORMANCE.md`).
const CAN_BATCH: usize = 4;

/// A candidate's first bound and its slot.
type First = (f64, u32);

/// First bounds sampled to pick [`best_chunk`]'s threshold.
const SAMPLE: usize = 64;

/// Splits `first` into a chunk of about its best [`FIRST_CHUNK`] bounds (all of them when
/// there are not more), the rest, and a bound no bound in the rest exceeds (−∞ when it is
/// empty). The chunk is every bound at or above a threshold taken from an evenly spaced
/// sample, found in one pass: a selection did the same in ten times the instructions. Should
/// ties make the chunk much larger, its best `FIRST_CHUNK` are selected after all.
fn best_chunk(first: &mut [First]) -> (&mut [First], &mut [First], f64) {
    let n = first.len();
    if n <= FIRST_CHUNK {
        return (first, &mut [], f64::NEG_INFINITY);
    }
    let step = n / SAMPLE;
    let mut sample: [f64; SAMPLE] = std::array::from_fn(|i| first[i * step].0);
    // The sample's best `pick + 1` stand for the best `(pick + 1) × step` of all.
    let pick = ((SAMPLE * FIRST_CHUNK + n / 2) / n).clamp(1, SAMPLE) - 1;
    let desc = |a: &f64, b: &f64| b.total_cmp(a);
    let threshold = *sample.select_nth_unstable_by(pick, desc).1;
    let (mut taken, mut below) = (0, f64::NEG_INFINITY);
    for i in 0..n {
        let bound = first[i].0;
        if bound >= threshold {
            first.swap(i, taken);
            taken += 1;
        } else {
            below = below.max(bound);
        }
    }
    if taken == 0 || taken > 4 * FIRST_CHUNK {
        // (None taken only with a NaN threshold: select from all, so the chunk is never empty.)
        let within = if taken == 0 { n } else { taken };
        first[..within].select_nth_unstable_by(FIRST_CHUNK - 1, |a, b| desc(&a.0, &b.0));
        below = below.max(first[FIRST_CHUNK - 1].0);
        taken = FIRST_CHUNK;
    }
    let (head, rest) = first.split_at_mut(taken);
    (head, rest, below)
}

/// Settles eligible candidates, best bound first. Each comes with a first bound (`first`:
/// bound, slot); the best ones are refined a chunk at a time ([`Refine`]: first the must-have
/// component from the postings, [`FIRST_CHUNK`] at once, skipping and counting those the top
/// k already beat) and wait in a heap with the tighter bound; the best one there is refined
/// again (the can-have component, together with up to [`CAN_BATCH`]` - 1` next best also
/// waiting for it) and waits again; once the best bound left is a twice-refined one, that
/// candidate is scored (`score(slot, must, can, ranker)`, which offers it). The next chunk
/// is taken once the best bound in the heap falls below the best first bound left out of the
/// chunks.
/// Without `min_score`, once the kept top k beat the best bound left, every candidate left is
/// only counted: its score is at most its bound. With it, every candidate is scored unless a
/// bound falls below it. Ties in bound may come in any order; the kept top k and the counts do
/// not depend on it.
fn best_first<M, C>(
    mut first: Vec<First>,
    ranker: &mut Ranker,
    min_score: Option<f64>,
    mut refine: Refine<M, C>,
    mut score: impl FnMut(u32, f64, f64, &mut Ranker),
) where
    M: FnMut(u32, f64) -> Option<(f64, f64)>,
    C: FnMut(u32, f64) -> Option<(f64, f64)>,
{
    let keep = |bound: f64| min_score.is_none_or(|m| bound >= m);
    let mut rest: &mut [First] = &mut first;
    // Sized for a chunk ([`best_chunk`] takes up to 4 × `FIRST_CHUNK`): no regrowth in most
    // rankings.
    let mut refined = std::collections::BinaryHeap::with_capacity(rest.len().min(4 * FIRST_CHUNK));
    let mut batch: Vec<Refined> = Vec::with_capacity(rest.len().min(4 * FIRST_CHUNK));
    // At least every first bound left in `rest`; −∞ once it is empty.
    let mut ceiling = f64::NEG_INFINITY;
    loop {
        let top = refined.peek().map_or(f64::NEG_INFINITY, |r: &Refined| r.bound);
        if (!rest.is_empty() && top < ceiling) || refined.is_empty() {
            if rest.is_empty() {
                return;
            }
            let (head, tail, below) = best_chunk(std::mem::take(&mut rest));
            rest = tail;
            ceiling = below;
            if min_score.is_none() && ranker.cannot_enter(head.iter().fold(top, |m, c| m.max(c.0))) {
                ranker.count_unranked_eligible(head.len() + rest.len() + refined.len());
                return;
            }
            // Without `min_score`, one the kept top k already beat is only counted.
            let mut beaten = 0;
            batch.extend(head.iter().filter_map(|&(bound, slot)| {
                if min_score.is_none() && ranker.cannot_enter(bound) {
                    beaten += 1;
                    return None;
                }
                let (bound, must) = (refine.must)(slot, bound)?;
                keep(bound).then_some(Refined { bound, must, can: None, slot })
            }));
            ranker.count_unranked_eligible(beaten);
            refined.extend(batch.drain(..));
            continue;
        }
        if min_score.is_none() && ranker.cannot_enter(top.max(ceiling)) {
            ranker.count_unranked_eligible(rest.len() + refined.len());
            return;
        }
        match refined.pop() {
            Some(Refined { must, can: Some(can), slot, .. }) => score(slot, must, can, ranker),
            Some(first @ Refined { can: None, .. }) => {
                // The next best waiting for the same refinement go with it: their look-ups
                // overlap, and most of them would be refined next anyway.
                batch.push(first);
                while batch.len() < CAN_BATCH
                    && let Some(next) = refined.peek_mut()
                    && next.can.is_none()
                {
                    batch.push(std::collections::binary_heap::PeekMut::pop(next));
                }
                for Refined { bound, must, slot, .. } in batch.drain(..) {
                    if let Some((bound, can)) = (refine.can)(slot, bound)
                        && keep(bound)
                    {
                        refined.push(Refined { bound, must, can: Some(can), slot });
                    }
                }
            }
            None => return,
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    /// Whatever the bounds (all tied, few values, distinct, a NaN), a chunk is never empty nor
    /// over 4 × `FIRST_CHUNK` once there are more, holds no bound below one left out, and
    /// the bound it reports is at least every bound left out: what `best_first` relies on.
    #[test]
    fn best_chunk_takes_the_best_and_bounds_the_rest() {
        let mut rng = crate::matching::synth::SplitMix64::new(5);
        for n in [0, 1, 255, 256, 257, 300, 1_000, 5_000, 40_000] {
            for values in [1, 3, 50, u64::MAX] {
                let mut first: Vec<(f64, u32)> =
                    (0..n).map(|s| ((rng.below(values.min(1 << 40)) as f64) / 7.0, s as u32)).collect();
                if n > 600 && values == 50 {
                    first[n / 2].0 = f64::NAN;
                }
                let nan = first.iter().any(|f| f.0.is_nan());
                let (head, rest, below) = best_chunk(&mut first);
                assert_eq!(head.len() + rest.len(), n);
                assert!(n == 0 || !head.is_empty(), "n {n} values {values}");
                if n > FIRST_CHUNK {
                    assert!(head.len() <= 4 * FIRST_CHUNK, "n {n} values {values}: {}", head.len());
                }
                if rest.is_empty() {
                    assert_eq!(below, f64::NEG_INFINITY);
                }
                let rest_max = rest.iter().map(|r| r.0).fold(f64::NEG_INFINITY, f64::max);
                assert!(rest_max <= below, "n {n} values {values}");
                if !nan {
                    assert!(head.iter().all(|h| h.0 >= rest_max), "n {n} values {values}");
                }
                let mut slots: Vec<u32> = head.iter().chain(rest.iter()).map(|c| c.1).collect();
                slots.sort_unstable();
                assert!(slots.iter().copied().eq(0..n as u32));
            }
        }
    }

    #[test]
    fn index_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<ConsultantIndex>();
    }
}
