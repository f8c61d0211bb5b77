//! The inverted index: skill key → the slots holding it, sorted by slot, each entry carrying
//! that skill's years and level so must-have minimums are checked without reading records.

use std::collections::HashMap;
use std::mem::size_of;

use super::explain::Relation;
use super::gates::{self, Mins};
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
    /// Whether this skill meets a requirement's minimums (the gate of [`super::gates::thresholds`]).
    pub fn meets(&self, m: Mins) -> bool {
        // Bitwise, not short-circuit: no branches in the merge's inner loop.
        ((m.years == 0) | ((self.years != UNKNOWN_TENTHS) & (self.years >= m.years))) & (self.level >= m.level)
    }
}

/// Key → postings.
#[derive(Clone, Debug, Default)]
pub(crate) struct Postings(HashMap<SkillKey, Vec<Posting>>);

impl Postings {
    pub fn post(&mut self, s: &PSkill, slot: u32) {
        let list = self.0.entry(s.key).or_default();
        let at = if list.last().is_none_or(|p| p.slot <= slot) {
            list.len()
        } else {
            list.partition_point(|p| p.slot <= slot)
        };
        list.insert(at, Posting { slot, years: s.years, level: s.level });
    }

    pub fn unpost(&mut self, k: SkillKey, slot: u32) {
        if let Some(list) = self.0.get_mut(&k) {
            let from = list.partition_point(|p| p.slot < slot);
            let to = from + list[from..].partition_point(|p| p.slot == slot);
            list.drain(from..to);
            if list.is_empty() {
                self.0.remove(&k);
            }
        }
    }

    /// The lists of a key and its narrower keys.
    pub fn lists(&self, key: SkillKey, desc: &[SkillKey]) -> Vec<&[Posting]> {
        std::iter::once(&key).chain(desc).filter_map(|k| self.0.get(k).map(Vec::as_slice)).collect()
    }

    pub fn shrink_to_fit(&mut self) {
        self.0.values_mut().for_each(Vec::shrink_to_fit);
        self.0.shrink_to_fit();
    }

    pub fn memory_bytes(&self) -> usize {
        self.0.capacity() * (size_of::<(SkillKey, Vec<Posting>)>() + 1)
            + self.0.values().map(|l| l.capacity() * size_of::<Posting>()).sum::<usize>()
    }
}

/// A must-have's postings with its minimums.
pub(crate) struct Group<'a> {
    pub size: usize,
    pub lists: Vec<&'a [Posting]>,
    pub mins: Mins,
    /// The must-have's position in the query.
    pub must: usize,
}

/// The sorted, distinct slots that meet at least one group.
pub(crate) fn union_meeting(groups: &[Group<'_>]) -> Vec<u32> {
    let mut all: Vec<u32> = groups
        .iter()
        .flat_map(|g| g.lists.iter().flat_map(move |l| l.iter().filter(move |p| p.meets(g.mins)).map(|p| p.slot)))
        .collect();
    all.sort_unstable();
    all.dedup();
    all
}

/// The value [`gates::must_match`] gives a posting that meets the minimums: the same for every
/// relation, so the best posting of a slot gives the must-have's exact value in the score.
pub(crate) fn met_value(years: u16, level: u8, m: Mins) -> f64 {
    let s = PSkill { key: 0, years, level, resolved: 0 };
    gates::must_match(0, &s, Relation::Same, m).value
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

    /// Keeps the better of two meeting skills of one slot (rare: the key listed twice, or
    /// the key and a narrower one). Equal values keep the first: only the value matters.
    fn best(self, other: Hit, m: Mins) -> Hit {
        if met_value(other.years, other.level, m) > met_value(self.years, self.level, m) { other } else { self }
    }
}

/// Must-have values by (years beyond the minimum, level), each computed on first use: a
/// ranking values thousands of candidates' must-haves but sees few distinct cells.
pub(crate) struct MustValues {
    mins: Vec<Mins>,
    /// NaN until computed.
    cells: Vec<f64>,
}

/// Year cells per must-have: 0–63 tenths beyond the minimum, 64 for 6.4 years or more (where the
/// depth has saturated, so every such skill has the same value), 65 for years not stated.
const YEAR_CELLS: usize = 66;
/// Level cells per year cell: levels 0 (unknown) to 7.
const LEVEL_CELLS: usize = 8;

impl MustValues {
    pub fn new(mins: &[Mins]) -> Self {
        MustValues { mins: mins.to_vec(), cells: vec![f64::NAN; mins.len() * YEAR_CELLS * LEVEL_CELLS] }
    }

    /// The value of must-have `i` met by `h`: exactly [`met_value`].
    #[inline]
    pub fn value(&mut self, i: usize, h: Hit) -> f64 {
        let m = self.mins[i];
        if h.level >= LEVEL_CELLS as u8 {
            return met_value(h.years, h.level, m);
        }
        let y = if h.years == UNKNOWN_TENTHS {
            YEAR_CELLS - 1
        } else {
            usize::from(h.years.saturating_sub(m.years).min(64))
        };
        let at = (i * YEAR_CELLS + y) * LEVEL_CELLS + usize::from(h.level);
        let v = self.cells[at];
        if !v.is_nan() {
            return v;
        }
        let v = met_value(h.years, h.level, m);
        self.cells[at] = v;
        v
    }
}

/// Slots meeting every must-have, sorted, with a [`Hit`] per must-have: column-major, the
/// hits of must-have `i` (in query order) are `hits[i * slots.len()..][..slots.len()]`.
#[derive(Debug, Default)]
pub(crate) struct Candidates {
    pub slots: Vec<u32>,
    pub hits: Vec<Hit>,
}

impl Candidates {
    /// Candidate `c`'s hit for must-have `i`.
    #[inline]
    pub fn hit(&self, i: usize, c: usize) -> Hit {
        self.hits[i * self.slots.len() + c]
    }
}

/// Fills `out` with the slots meeting every group, each with its best meeting skill per
/// must-have. Groups come sorted by size, the rarest first: its meeting postings seed the
/// candidates, and every other group filters the surviving ones in a linear merge with each
/// of its lists. The merge reads both sides in order (no cache misses) and has no branch on
/// whether a posting belongs to a candidate (about half do, unpredictably). Values are
/// computed later, and only for the candidates that pass the other gates.
pub(crate) fn intersect_hits(groups: &[Group<'_>], n_must: usize, out: &mut Candidates) {
    out.slots.clear();
    out.hits.clear();
    let Some((first, rest)) = groups.split_first() else {
        return;
    };
    let seeded = seed(first, &mut out.slots);
    let n = out.slots.len();
    out.hits.resize(n_must * n, Hit::default());
    out.hits[first.must * n..(first.must + 1) * n].copy_from_slice(&seeded);
    if rest.is_empty() || n == 0 {
        return;
    }
    // The surviving candidates as (slot, candidate number), in slot order.
    let mut alive: Vec<(u32, u32)> = out.slots.iter().enumerate().map(|(c, &slot)| (slot, c as u32)).collect();
    let mut found: Vec<bool> = Vec::with_capacity(n);
    for g in rest {
        let col = &mut out.hits[g.must * n..(g.must + 1) * n];
        found.clear();
        found.resize(alive.len(), false);
        for list in &g.lists {
            merge_group(&alive, list, g.mins, col, &mut found);
        }
        let mut kept = 0;
        for i in 0..alive.len() {
            if found[i] {
                alive[kept] = alive[i];
                kept += 1;
            }
        }
        alive.truncate(kept);
        if alive.is_empty() {
            break;
        }
    }
    // Keep the survivors, in slot order, and their hits.
    let k = alive.len();
    let mut hits = Vec::with_capacity(n_must * k);
    for i in 0..n_must {
        hits.extend(alive.iter().map(|&(_, c)| out.hits[i * n + c as usize]));
    }
    out.hits = hits;
    out.slots.clear();
    out.slots.extend(alive.iter().map(|&(slot, _)| slot));
}

/// One list of a group against the surviving candidates: marks in `found` those with a
/// posting meeting `mins`, and records its skill (the best one, when a slot has several).
#[inline]
fn merge_group(alive: &[(u32, u32)], list: &[Posting], mins: Mins, col: &mut [Hit], found: &mut [bool]) {
    let (mut i, mut j) = (0, 0);
    while let (Some(&(a, c)), Some(p)) = (alive.get(i), list.get(j)) {
        let b = p.slot;
        let ok = (a == b) & p.meets(mins);
        let (Some(f), Some(h)) = (found.get_mut(i), col.get_mut(c as usize)) else { break };
        if ok & *f {
            // The slot again in this group (a key listed twice, or the key and a narrower
            // one): keep the better skill. Rare.
            *h = h.best(Hit::of(p), mins);
        } else {
            let first = ok & !*f;
            *h = if first { Hit::of(p) } else { *h };
            *f |= ok;
        }
        // Stay on a candidate while its slot may repeat in the list.
        i += usize::from(a < b);
        j += usize::from(b <= a);
    }
}

/// The candidates of the rarest group (its meeting postings, one per slot, into `slots`)
/// and their hits.
fn seed(g: &Group<'_>, slots: &mut Vec<u32>) -> Vec<Hit> {
    let mut merged: Vec<Posting>;
    let list: &[Posting] = if let [list] = g.lists[..] {
        // One list is sorted by slot already.
        list
    } else {
        merged = g.lists.iter().flat_map(|l| l.iter().copied()).collect();
        merged.sort_unstable_by_key(|p| p.slot);
        &merged
    };
    let mut hits: Vec<Hit> = Vec::with_capacity(list.len());
    slots.reserve(list.len());
    let mut last = u32::MAX;
    for p in list {
        if !p.meets(g.mins) {
            continue;
        }
        if p.slot == last {
            // The same slot again (a key listed twice, or the key and a narrower one).
            if let Some(h) = hits.last_mut() {
                *h = h.best(Hit::of(p), g.mins);
            }
            continue;
        }
        last = p.slot;
        slots.push(p.slot);
        hits.push(Hit::of(p));
    }
    hits
}
