//! The in-memory consultant index: compact records in slots, an id → slot map, and an
//! inverted index from skill key to the sorted slots that hold it.
//!
//! Candidates for a query:
//! - eligible only (`max_missing = 0`, no `include_ineligible`): the intersection of every
//!   must-have's postings (its own key's and its narrower keys' lists), rarest first with
//!   galloping search, so only consultants holding every must-have are scored;
//! - near-miss (`max_missing = N` < number of must-haves): anyone who misses at most N
//!   must-haves holds one of any N + 1 of them, so the union of the N + 1 rarest must-haves'
//!   postings;
//! - a full scan only without must-haves, with `include_ineligible`, or when N ≥ the number
//!   of must-haves.

use std::collections::HashMap;
use std::mem::size_of;

use uuid::Uuid;

use super::record::{ABSENT_CITY, NO_CITY, Record};
use super::score::{Listing, Prepared, cheap_bound, evaluate};
use super::vector::{AssignmentQuery, ConsultantVector, MatchOptions, SkillGraph, SkillKey};
use super::{MatchPage, Ranker, full};

/// Compact, searchable consultant vectors. `Send + Sync`; the service wraps it in a lock.
#[derive(Debug, Default, Clone)]
pub struct ConsultantIndex {
    records: Vec<Option<Record>>,
    slots: HashMap<Uuid, u32>,
    free: Vec<u32>,
    postings: HashMap<SkillKey, Vec<u32>>,
    /// Interned cities; ids start at 1 ([`NO_CITY`] is 0).
    cities: HashMap<Box<str>, u32>,
}

fn distinct_keys(r: &Record) -> Vec<SkillKey> {
    let mut keys: Vec<SkillKey> = r.skills.iter().map(|s| s.key).collect();
    keys.sort_unstable();
    keys.dedup();
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
        let rec = Record::new(&v, city);
        let new_keys = distinct_keys(&rec);
        let slot = match self.slots.get(&v.id) {
            Some(&slot) => {
                let old_keys = self.records[slot as usize].as_ref().map(distinct_keys).unwrap_or_default();
                for k in old_keys.iter().filter(|k| new_keys.binary_search(k).is_err()) {
                    self.unpost(*k, slot);
                }
                for k in new_keys.iter().filter(|k| old_keys.binary_search(k).is_err()) {
                    self.post(*k, slot);
                }
                self.records[slot as usize] = Some(rec);
                return;
            }
            None => match self.free.pop() {
                Some(slot) => {
                    self.records[slot as usize] = Some(rec);
                    slot
                }
                None => {
                    self.records.push(Some(rec));
                    (self.records.len() - 1) as u32
                }
            },
        };
        self.slots.insert(v.id, slot);
        for k in new_keys {
            self.post(k, slot);
        }
    }

    /// Removes a consultant; false when it was not indexed.
    pub fn remove(&mut self, id: Uuid) -> bool {
        let Some(slot) = self.slots.remove(&id) else {
            return false;
        };
        if let Some(rec) = self.records[slot as usize].take() {
            for k in distinct_keys(&rec) {
                self.unpost(k, slot);
            }
        }
        self.free.push(slot);
        true
    }

    fn post(&mut self, k: SkillKey, slot: u32) {
        let list = self.postings.entry(k).or_default();
        match list.last() {
            Some(&last) if last >= slot => {
                if let Err(at) = list.binary_search(&slot) {
                    list.insert(at, slot);
                }
            }
            _ => list.push(slot),
        }
    }

    fn unpost(&mut self, k: SkillKey, slot: u32) {
        if let Some(list) = self.postings.get_mut(&k) {
            if let Ok(at) = list.binary_search(&slot) {
                list.remove(at);
            }
            if list.is_empty() {
                self.postings.remove(&k);
            }
        }
    }

    /// Releases spare capacity (call after a bulk load).
    pub fn shrink_to_fit(&mut self) {
        self.records.shrink_to_fit();
        self.slots.shrink_to_fit();
        self.free.shrink_to_fit();
        self.postings.values_mut().for_each(Vec::shrink_to_fit);
        self.postings.shrink_to_fit();
    }

    /// Bytes held by the index: records, their skills, languages and citizenships, the id
    /// map, the postings and the city table (allocator overhead not included).
    pub fn memory_bytes(&self) -> usize {
        let records = self.records.capacity() * size_of::<Option<Record>>()
            + self.records.iter().flatten().map(Record::heap_bytes).sum::<usize>();
        let slots = self.slots.capacity() * (size_of::<(Uuid, u32)>() + 1);
        let postings = self.postings.capacity() * (size_of::<(SkillKey, Vec<u32>)>() + 1)
            + self.postings.values().map(|l| l.capacity() * size_of::<u32>()).sum::<usize>();
        let cities = self.cities.capacity() * (size_of::<(Box<str>, u32)>() + 1)
            + self.cities.keys().map(|c| c.len()).sum::<usize>();
        size_of::<Self>() + records + slots + self.free.capacity() * size_of::<u32>() + postings + cities
    }

    /// The postings of a must-have: its own key's list and its narrower keys' lists.
    fn lists<'s>(&'s self, key: SkillKey, desc: &[SkillKey]) -> Vec<&'s [u32]> {
        std::iter::once(&key).chain(desc).filter_map(|k| self.postings.get(k).map(Vec::as_slice)).collect()
    }

    /// Ranks the indexed consultants for an assignment. Gives exactly the items and scores of
    /// scoring every consultant with [`super::score`] and sorting.
    pub fn rank(&self, q: &AssignmentQuery, g: &dyn SkillGraph, o: &MatchOptions) -> MatchPage {
        let city = q.city.as_deref().map(|c| self.cities.get(c).copied().unwrap_or(ABSENT_CITY));
        let p = Prepared::new(q, g, city, o.today);
        let listing = Listing { include_ineligible: o.include_ineligible, max_missing: o.max_missing };
        let mut ranker = Ranker::new(o);
        let mut scratch = Vec::new();
        // Eligible only, with threshold-free must-haves that every candidate holds: the cheap
        // gates and a score bound decide most candidates without reading their skills.
        let prunable = !o.include_ineligible
            && o.max_missing == 0
            && p.mins[..q.must.len()].iter().all(|m| m.years == 0 && m.level == 0);
        let min_score = o.min_score.filter(|m| !m.is_nan());
        let mut visit = |slot: u32| {
            if let Some(Some(r)) = self.records.get(slot as usize) {
                if prunable {
                    let Some(bound) = cheap_bound(r, &p) else { return };
                    if min_score.is_some_and(|m| bound < m) {
                        return;
                    }
                    if min_score.is_none() && ranker.cannot_enter(bound) {
                        ranker.count_unranked_eligible();
                        return;
                    }
                }
                ranker.offer(&evaluate(r, &p, Some(listing), None, &mut scratch), r.id, slot);
            }
        };
        let n_must = q.must.len();
        if n_must == 0 || o.include_ineligible || o.max_missing as usize >= n_must {
            (0..self.records.len() as u32).for_each(&mut visit);
        } else {
            let mut musts: Vec<(usize, Vec<&[u32]>)> = q
                .must
                .iter()
                .zip(&p.must_desc)
                .map(|(n, d)| {
                    let lists = self.lists(n.key, d);
                    (lists.iter().map(|l| l.len()).sum(), lists)
                })
                .collect();
            musts.sort_by_key(|(n, _)| *n);
            let candidates = if o.max_missing == 0 {
                intersect(&musts)
            } else {
                let lists: Vec<&[u32]> =
                    musts.iter().take(o.max_missing as usize + 1).flat_map(|(_, l)| l.iter().copied()).collect();
                union(&lists)
            };
            candidates.into_iter().for_each(&mut visit);
        }
        ranker.finish(|r| self.records.get(r.slot as usize).and_then(Option::as_ref).map(|rec| full(rec, &p, rec.id)))
    }
}

/// The sorted, distinct union of sorted lists.
fn union(lists: &[&[u32]]) -> Vec<u32> {
    match lists {
        [] => Vec::new(),
        [one] => one.to_vec(),
        _ => {
            let mut all: Vec<u32> = lists.iter().flat_map(|l| l.iter().copied()).collect();
            all.sort_unstable();
            all.dedup();
            all
        }
    }
}

/// Slots present in every group (a group is present when any of its lists holds the slot);
/// groups come sorted by size, the rarest first.
fn intersect(groups: &[(usize, Vec<&[u32]>)]) -> Vec<u32> {
    let Some(((_, first), rest)) = groups.split_first() else {
        return Vec::new();
    };
    let mut cand = union(first);
    for (_, lists) in rest {
        if cand.is_empty() {
            break;
        }
        let mut cursors = vec![0usize; lists.len()];
        // Galloping pays off only when a list is much longer than the candidates.
        let gallops: Vec<bool> = lists.iter().map(|l| l.len() > 16 * cand.len()).collect();
        cand.retain(|&x| {
            let mut found = false;
            for ((l, c), g) in lists.iter().zip(cursors.iter_mut()).zip(&gallops) {
                if *g {
                    *c = gallop(l, *c, x);
                } else {
                    while *c < l.len() && l[*c] < x {
                        *c += 1;
                    }
                }
                found |= l.get(*c) == Some(&x);
            }
            found
        });
    }
    cand
}

/// The first index at or after `lo` whose value is `>= x` (exponential, then binary search).
fn gallop(s: &[u32], mut lo: usize, x: u32) -> usize {
    if lo >= s.len() || s[lo] >= x {
        return lo;
    }
    let mut step = 1;
    let mut hi = lo + 1;
    while hi < s.len() && s[hi] < x {
        lo = hi;
        step *= 2;
        hi = lo + step;
    }
    let hi = hi.min(s.len());
    lo + 1 + s[lo + 1..hi].partition_point(|&v| v < x)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn gallop_finds_the_lower_bound(mut v in prop::collection::vec(0u32..500, 0..100), lo in 0usize..120, x in 0u32..520) {
            v.sort_unstable();
            let lo = lo.min(v.len());
            let want = lo + v[lo..].partition_point(|&e| e < x);
            // gallop assumes the answer is at or after lo, which holds when v[..lo] < x.
            if v[..lo].iter().all(|&e| e < x) {
                prop_assert_eq!(gallop(&v, lo, x), want);
            }
        }
    }

    #[test]
    fn index_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<ConsultantIndex>();
    }
}
