//! The inverted index: skill key → the slots holding it, sorted by slot, each entry carrying
//! that skill's years and level so must-have minimums are checked without reading records.

use std::cell::RefCell;
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
        (m.years == 0 || (self.years != UNKNOWN_TENTHS && self.years >= m.years)) && self.level >= m.level
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
/// candidates, and every other group's postings are scanned once, each looked up in a
/// slot → candidate map, so the cost is a few instructions per posting however the lists
/// overlap. Values are computed later, and only for the candidates that pass the other gates.
pub(crate) fn intersect_hits(groups: &[Group<'_>], n_must: usize, n_slots: usize, out: &mut Candidates) {
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
    // Per candidate number (1-based; 0 is a sink for postings of non-candidates): how many
    // groups it has met so far, in order. A candidate is still in when it has met every group
    // before the current one. The sink never matches.
    let mut met = vec![1u32; n + 1];
    met[0] = u32::MAX;
    let mut col = vec![Hit::default(); n + 1];
    let mut alive = n;
    CANDIDATE_OF.with_borrow_mut(|pos| {
        if pos.len() < n_slots {
            pos.resize(n_slots, 0);
        }
        for (c, &slot) in out.slots.iter().enumerate() {
            pos[slot as usize] = c as u32 + 1;
        }
        for (gi, g) in rest.iter().enumerate() {
            let done = gi as u32 + 1;
            alive = 0;
            // Half the postings belong to candidates, unpredictably: the common path has no
            // branch on it (non-candidates write to the sink).
            for list in &g.lists {
                for p in list.iter() {
                    let c = pos.get(p.slot as usize).map_or(0, |&c| c as usize);
                    let Some(&m) = met.get(c) else { continue };
                    let meets = p.meets(g.mins);
                    let ok = m == done && meets;
                    if m == done + 1 && meets {
                        // The slot again in this group (a key listed twice, or the key and a
                        // narrower one): keep the better skill.
                        if let Some(h) = col.get_mut(c) {
                            *h = h.best(Hit::of(p), g.mins);
                        }
                        continue;
                    }
                    if let Some(m) = met.get_mut(c) {
                        *m += u32::from(ok);
                    }
                    if let Some(h) = col.get_mut(if m <= done { c } else { 0 }) {
                        *h = Hit::of(p);
                    }
                    alive += usize::from(ok);
                }
            }
            out.hits[g.must * n..(g.must + 1) * n].copy_from_slice(&col[1..]);
            if alive == 0 {
                break;
            }
        }
        for &slot in &out.slots {
            pos[slot as usize] = 0;
        }
    });
    // Keep the candidates that met every group, in slot order, and their hits.
    let all = rest.len() as u32 + 1;
    let keep: Vec<usize> = if alive == 0 { Vec::new() } else { (0..n).filter(|&c| met[c + 1] == all).collect() };
    let k = keep.len();
    let mut hits = Vec::with_capacity(n_must * k);
    for i in 0..n_must {
        hits.extend(keep.iter().map(|&c| out.hits[i * n + c]));
    }
    out.hits = hits;
    for (to, &c) in keep.iter().enumerate() {
        out.slots[to] = out.slots[c];
    }
    out.slots.truncate(k);
}

thread_local! {
    /// Per thread, slot → candidate number + 1 (0: not a candidate); all zeros between calls.
    static CANDIDATE_OF: RefCell<Vec<u32>> = const { RefCell::new(Vec::new()) };
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
