//! The in-memory consultant index: compact records in slots, an id → slot map, and an
//! inverted index from skill key to the sorted slots that hold it (with the skill's years and
//! level, so must-have minimums are checked in the postings). How a ranking finds and orders
//! its candidates is in `rank.rs` and `refine.rs`.
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

use super::cluster;
use super::gatebits::GateBits;
use super::postings::Postings;
use super::record::{Hot, NO_CITY, Record, View};
use super::vector::{ConsultantVector, SkillKey};

/// Compact, searchable consultant vectors. `Send + Sync`; the service wraps it in a lock.
#[derive(Debug, Default, Clone)]
pub struct ConsultantIndex {
    /// By slot: the record, `None` for a free slot.
    pub(super) records: Vec<Option<Record>>,
    /// By slot: what every candidate is bounded from (the default for a free slot).
    pub(super) hot: Vec<Hot>,
    pub(super) slots: HashMap<Uuid, u32>,
    pub(super) free: Vec<u32>,
    pub(super) postings: Postings,
    /// Interned cities; ids start at 1 ([`NO_CITY`] is 0).
    pub(super) cities: HashMap<Box<str>, u32>,
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn index_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<ConsultantIndex>();
    }
}
