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
fn met_value(p: &Posting, m: Mins) -> f64 {
    let s = PSkill { key: 0, years: p.years, level: p.level, resolved: 0 };
    gates::must_match(0, &s, Relation::Same, m).value
}

/// Slots meeting every group, with each must-have's value (see [`met_value`]): `vals` holds
/// `n_must` values per returned slot, in query order. Groups come sorted by size, the rarest
/// first; its values are filled in last, for the survivors only.
pub(crate) fn intersect_meeting(groups: &[Group<'_>], n_must: usize, vals: &mut Vec<f64>) -> Vec<u32> {
    vals.clear();
    let Some((first, rest)) = groups.split_first() else {
        return Vec::new();
    };
    let mut cand = union_meeting(std::slice::from_ref(first));
    vals.resize(cand.len() * n_must, 0.0);
    for g in rest {
        if cand.is_empty() {
            break;
        }
        merge_values(g, &mut cand, vals, n_must);
    }
    merge_values(first, &mut cand, vals, n_must);
    cand
}

/// Keeps the candidates (sorted slots, with `n_must` values each) that meet `g`, setting their
/// value for `g`'s must-have: the best of their postings that meet its minimums.
fn merge_values(g: &Group<'_>, cand: &mut Vec<u32>, vals: &mut Vec<f64>, n_must: usize) {
    let mut cursors = vec![0usize; g.lists.len()];
    // Galloping pays off only when a list is much longer than the candidates.
    let gallops: Vec<bool> = g.lists.iter().map(|l| l.len() > 16 * cand.len()).collect();
    let mut kept = 0;
    for i in 0..cand.len() {
        let x = cand[i];
        let mut best = f64::NEG_INFINITY;
        for ((l, c), gal) in g.lists.iter().zip(cursors.iter_mut()).zip(&gallops) {
            if *gal {
                *c = gallop(l, *c, x);
            } else {
                while *c < l.len() && l[*c].slot < x {
                    *c += 1;
                }
            }
            for p in l[*c..].iter().take_while(|p| p.slot == x) {
                if p.meets(g.mins) {
                    best = best.max(met_value(p, g.mins));
                }
            }
        }
        if best > f64::NEG_INFINITY {
            cand[kept] = x;
            vals.copy_within(i * n_must..(i + 1) * n_must, kept * n_must);
            vals[kept * n_must + g.must] = best;
            kept += 1;
        }
    }
    cand.truncate(kept);
    vals.truncate(kept * n_must);
}

/// The first index at or after `lo` whose slot is `>= x` (exponential, then binary search).
fn gallop(s: &[Posting], mut lo: usize, x: u32) -> usize {
    if lo >= s.len() || s[lo].slot >= x {
        return lo;
    }
    let mut step = 1;
    let mut hi = lo + 1;
    while hi < s.len() && s[hi].slot < x {
        lo = hi;
        step *= 2;
        hi = lo + step;
    }
    let hi = hi.min(s.len());
    lo + 1 + s[lo + 1..hi].partition_point(|p| p.slot < x)
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
            let ps: Vec<Posting> = v.iter().map(|s| Posting { slot: *s, years: 0, level: 0 }).collect();
            let lo = lo.min(v.len());
            let want = lo + v[lo..].partition_point(|&e| e < x);
            // gallop assumes the answer is at or after lo, which holds when v[..lo] < x.
            if v[..lo].iter().all(|&e| e < x) {
                prop_assert_eq!(gallop(&ps, lo, x), want);
            }
        }
    }
}
