//! The inverted index: skill key → the slots holding it, sorted by slot, each entry carrying
//! that skill's years and level so must-have minimums are checked without reading records.
//! Lists of common keys also keep a bitmap of their slots ([`List`]): the slots holding every
//! must-have are then a word-wise AND of bitmaps, and a slot's posting a popcount away.
//! What a ranking makes of the lists (must-have groups, met-value tables, can-have look-ups)
//! is in [`super::groups`], which builds on this file.

use std::collections::HashMap;
use std::mem::size_of;

use super::bitmap::word_bit;
use super::gates::Mins;
use super::record::{PSkill, UNKNOWN_TENTHS};
use super::vector::SkillKey;

/// One consultant skill in a posting list (8 bytes). A consultant listing a key twice has two.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Posting {
    pub slot: u32,
    /// Years in tenths, or [`UNKNOWN_TENTHS`].
    pub years: u16,
    /// Level 1–5, 0 when unknown.
    pub level: u8,
}

impl Posting {
    /// Whether this skill meets a requirement's minimums.
    pub fn meets(&self, m: Mins) -> bool {
        meets(self.years, self.level, m)
    }
}

/// Whether a skill of `years` (tenths) and `level` meets a requirement's minimums (the gate of
/// [`super::gates::thresholds`]). Bitwise, not short-circuit: no branches in scanning loops.
#[inline]
fn meets(years: u16, level: u8, m: Mins) -> bool {
    ((m.years == 0) | ((years != UNKNOWN_TENTHS) & (years >= m.years))) & (level >= m.level)
}

/// The postings of one key, sorted by slot. A list holding a large share of the slot space
/// ([`DENSE_SHARE`]) also keeps a [`Dense`] view, so a slot is found in constant time and the
/// holders of several keys are a word-wise AND.
#[derive(Clone, Debug, Default)]
pub(crate) struct List {
    pub postings: Vec<Posting>,
    dense: Option<Dense>,
}

/// A list becomes dense when it holds at least 1/`DENSE_SHARE` of the slots (and at least 64
/// postings), and stops being dense below 1/(4 × `DENSE_SHARE`): the bitmap and word offsets
/// then cost at most 6 bytes per posting (24 while it lingers), and the skill column 2 more.
const DENSE_SHARE: usize = 32;
/// Marks a word of [`Dense::first`] holding a slot with several postings (a key listed twice).
const SHARED: u32 = 1 << 31;

/// A bitmap of the slots in a list; per 64-slot word, the index of the word's first posting;
/// and every posting's years and level packed in two bytes ([`pack`]). A slot's posting is at
/// `first + popcount(bits below it)`, and its packed skill a 2-byte read from a column a
/// quarter the size of the postings. A word where some slot has several postings, or a skill
/// does not pack, is marked [`SHARED`] and its postings searched instead.
#[derive(Clone, Debug, Default)]
struct Dense {
    bits: Vec<u64>,
    first: Vec<u32>,
    attrs: Vec<u16>,
}

/// Years in tenths (13 bits, all ones when unknown) and level (3 bits); `None` when they do
/// not fit (819.1 years or more, or a level over 7).
fn pack(p: &Posting) -> Option<u16> {
    // 0x1FFF itself is the unknown marker, so a stated 819.1 years does not pack.
    let years = if p.years == UNKNOWN_TENTHS { Some(0x1FFF) } else { (p.years < 0x1FFF).then_some(p.years) };
    years.filter(|_| p.level <= 7).map(|y| (y << 3) | u16::from(p.level))
}

/// The skill of a packed posting.
#[inline]
fn unpack(a: u16) -> Hit {
    let years = a >> 3;
    Hit { years: if years == 0x1FFF { UNKNOWN_TENTHS } else { years }, level: (a & 7) as u8 }
}

impl Dense {
    fn of(postings: &[Posting]) -> Self {
        let words = postings.last().map_or(0, |p| word_bit(p.slot).0 + 1);
        let mut d = Dense {
            bits: Vec::with_capacity(words),
            first: Vec::with_capacity(words),
            attrs: Vec::with_capacity(postings.len()),
        };
        for (i, p) in postings.iter().enumerate() {
            d.insert(p, i, i);
        }
        d
    }

    /// Records posting `p` inserted at index `at` of a list that held `len` postings before.
    fn insert(&mut self, p: &Posting, at: usize, len: usize) {
        let (w, bit) = word_bit(p.slot);
        if w >= self.bits.len() {
            // Every earlier posting lies in the covered words, so before this one.
            self.bits.resize(w + 1, 0);
            self.first.resize(w + 1, len as u32);
        }
        let packed = pack(p);
        if self.bits[w] & bit != 0 || packed.is_none() {
            self.first[w] |= SHARED;
        }
        self.bits[w] |= bit;
        self.first[w + 1..].iter_mut().for_each(|f| *f += 1);
        self.attrs.insert(at, packed.unwrap_or(0));
    }

    /// Records the removal of postings `from..to`, a slot's.
    fn remove(&mut self, slot: u32, from: usize, to: usize) {
        let (w, bit) = word_bit(slot);
        if let Some(word) = self.bits.get_mut(w) {
            *word &= !bit;
            self.first[w + 1..].iter_mut().for_each(|f| *f -= (to - from) as u32);
            self.attrs.drain(from..to);
        }
    }

    fn bytes(&self) -> usize {
        self.bits.capacity() * size_of::<u64>()
            + self.first.capacity() * size_of::<u32>()
            + self.attrs.capacity() * size_of::<u16>()
    }
}

impl List {
    /// Calls `f` with the skill of each posting of `slot` (none when the slot does not hold
    /// the key; several when it lists the key twice). Dense lists answer with a bit test and
    /// a 2-byte read; sparse lists, and words marked [`SHARED`], by binary search.
    #[inline]
    pub fn hits(&self, slot: u32, mut f: impl FnMut(Hit)) {
        let mut from = 0;
        if let Some(d) = &self.dense {
            let (w, bit) = word_bit(slot);
            let (Some(&word), Some(&first)) = (d.bits.get(w), d.first.get(w)) else { return };
            if word & bit == 0 {
                return;
            }
            if first & SHARED == 0 {
                if let Some(&a) = d.attrs.get(first as usize + (word & (bit - 1)).count_ones() as usize) {
                    f(unpack(a));
                }
                return;
            }
            from = (first & !SHARED) as usize;
        }
        let rest = self.postings.get(from..).unwrap_or(&[]);
        let rest = &rest[rest.partition_point(|p| p.slot < slot)..];
        rest.iter().take_while(|p| p.slot == slot).for_each(|p| f(Hit::of(p)));
    }

    /// Reads one value per cache line of what [`List::hits`] reads (a dense view's offsets and
    /// skills, a sparse list's postings), in order, so the hardware streams it into cache ahead
    /// of scattered reads.
    pub fn warm(&self) -> u64 {
        match &self.dense {
            Some(d) => {
                let a = d.attrs.iter().step_by(32).fold(0u64, |x, &v| x ^ u64::from(v));
                d.first.iter().step_by(16).fold(a, |x, &v| x ^ u64::from(v))
            }
            None => self.postings.iter().step_by(8).fold(0, |x, p| x ^ u64::from(p.slot)),
        }
    }

    /// The bitmap of the slots in this list, when it is dense.
    pub fn bits(&self) -> Option<&[u64]> {
        self.dense.as_ref().map(|d| d.bits.as_slice())
    }

    /// Makes the list dense or sparse as its share of `universe` slots calls for.
    fn retune(&mut self, universe: usize) {
        let n = self.postings.len();
        if self.dense.is_none() && n >= 64 && n * DENSE_SHARE >= universe {
            self.dense = Some(Dense::of(&self.postings));
        } else if self.dense.is_some() && (n < 64 || n * DENSE_SHARE * 4 < universe) {
            self.dense = None;
        }
    }
}

/// Key → postings.
#[derive(Clone, Debug, Default)]
pub(crate) struct Postings(HashMap<SkillKey, List>);

impl Postings {
    /// Adds a slot's skill; `universe` is the number of slots in use.
    pub fn post(&mut self, s: &PSkill, slot: u32, universe: usize) {
        let list = self.0.entry(s.key).or_default();
        let postings = &mut list.postings;
        let at = if postings.last().is_none_or(|p| p.slot <= slot) {
            postings.len()
        } else {
            postings.partition_point(|p| p.slot <= slot)
        };
        let posting = Posting { slot, years: s.years, level: s.level };
        if let Some(d) = &mut list.dense {
            d.insert(&posting, at, postings.len());
        }
        postings.insert(at, posting);
        list.retune(universe);
    }

    /// Removes every posting of `slot` under `k`.
    pub fn unpost(&mut self, k: SkillKey, slot: u32, universe: usize) {
        if let Some(list) = self.0.get_mut(&k) {
            let from = list.postings.partition_point(|p| p.slot < slot);
            let to = from + list.postings[from..].partition_point(|p| p.slot == slot);
            if let Some(d) = &mut list.dense
                && to > from
            {
                d.remove(slot, from, to);
            }
            list.postings.drain(from..to);
            if list.postings.is_empty() {
                self.0.remove(&k);
            } else {
                list.retune(universe);
            }
        }
    }

    /// The list of a key.
    pub fn get(&self, key: SkillKey) -> Option<&List> {
        self.0.get(&key)
    }

    /// The lists of a key and its narrower keys.
    pub fn lists(&self, key: SkillKey, desc: &[SkillKey]) -> Vec<&List> {
        std::iter::once(&key).chain(desc).filter_map(|k| self.get(*k)).collect()
    }

    /// Releases spare capacity and settles which lists are dense for `universe` slots (dense
    /// views are rebuilt, so words marked [`SHARED`] by since-removed postings are cleared).
    pub fn shrink_to_fit(&mut self, universe: usize) {
        for list in self.0.values_mut() {
            list.postings.shrink_to_fit();
            list.dense = None;
            list.retune(universe);
        }
        self.0.shrink_to_fit();
    }

    pub fn memory_bytes(&self) -> usize {
        self.0.capacity() * (size_of::<(SkillKey, List)>() + 1)
            + self
                .0
                .values()
                .map(|l| l.postings.capacity() * size_of::<Posting>() + l.dense.as_ref().map_or(0, Dense::bytes))
                .sum::<usize>()
    }
}

/// The skill (years and level) that meets a must-have for a candidate: the best of its
/// postings in the must-have's lists.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Hit {
    pub years: u16,
    pub level: u8,
}

impl Hit {
    fn of(p: &Posting) -> Self {
        Hit { years: p.years, level: p.level }
    }

    /// The skill as the gates rate one (its key plays no part there).
    pub(super) fn skill(self) -> PSkill {
        PSkill { key: 0, years: self.years, level: self.level, resolved: 0 }
    }

    /// Whether this skill meets a requirement's minimums.
    #[inline]
    pub(super) fn meets(self, m: Mins) -> bool {
        meets(self.years, self.level, m)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::matching::bitmap::set_bits;
    use crate::matching::synth::SplitMix64;

    /// What `List::hits` must give: every posting of the slot, by a plain scan.
    fn scan(list: &List, slot: u32) -> Vec<Hit> {
        list.postings.iter().filter(|p| p.slot == slot).map(Hit::of).collect()
    }

    fn hits(list: &List, slot: u32) -> Vec<Hit> {
        let mut out = Vec::new();
        list.hits(slot, |h| out.push(h));
        out
    }

    /// Random posts and removals over 3,000 slots and 4 keys, with (rarely) keys listed twice
    /// and skills that do not pack: every list answers like a scan, dense or not, before and
    /// after a rebuild, and a dense list's bitmap is exactly its slots. Most dense words stay
    /// unmarked, so the bit-test-and-popcount path is what answers most look-ups.
    #[test]
    fn dense_lists_answer_like_a_scan_through_updates() {
        const SLOTS: usize = 3_000;
        let mut rng = SplitMix64::new(9);
        let mut postings = Postings::default();
        let mut held: Vec<Vec<SkillKey>> = vec![Vec::new(); SLOTS];
        let (mut dense_seen, mut fast) = (false, 0);
        for round in 0..20_000 {
            let slot = rng.below(SLOTS as u64) as u32;
            for &k in &held[slot as usize] {
                postings.unpost(k, slot, SLOTS);
            }
            held[slot as usize].clear();
            for _ in 0..rng.below(3) {
                let mut key = rng.below(4) as SkillKey;
                if held[slot as usize].contains(&key) && !rng.chance(0.05) {
                    key = (key + 1) % 4;
                }
                let years = match rng.below(100) {
                    0..=9 => UNKNOWN_TENTHS,
                    10 => 0x1FFE + rng.below(3) as u16,
                    11 => 9_000 + rng.below(1_000) as u16,
                    _ => rng.below(200) as u16,
                };
                let level = if rng.chance(0.005) { 9 } else { rng.below(6) as u8 };
                postings.post(&PSkill { key, years, level, resolved: 0 }, slot, SLOTS);
                held[slot as usize].push(key);
            }
            if round % 5_000 == 4_999 {
                postings.shrink_to_fit(SLOTS);
            }
            if round % 500 != 499 {
                continue;
            }
            for key in 0..4 {
                let Some(list) = postings.0.get(&key) else { continue };
                if let (Some(bits), Some(d)) = (list.bits(), &list.dense) {
                    dense_seen = true;
                    let mut slots: Vec<u32> = list.postings.iter().map(|p| p.slot).collect();
                    slots.dedup();
                    assert_eq!(set_bits(bits).collect::<Vec<_>>(), slots);
                    fast += slots.iter().filter(|s| d.first[word_bit(**s).0] & SHARED == 0).count();
                }
                for s in 0..SLOTS as u32 {
                    let (mut got, mut want) = (hits(list, s), scan(list, s));
                    got.sort_by_key(|h| (h.years, h.level));
                    want.sort_by_key(|h| (h.years, h.level));
                    assert_eq!(got, want, "key {key} slot {s} round {round}");
                }
            }
        }
        assert!(fast > 50_000, "{fast}");
        assert!(dense_seen);
    }
}
