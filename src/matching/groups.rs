//! What a ranking reads from the postings: the must-have groups ([`Group`]: a must-have's lists
//! with its minimums), the slots holding every must-have ([`holders`]) or meeting one
//! ([`union_meeting`]), the values of met must-haves from per-ranking tables ([`MustValues`],
//! exactly [`met_value`]) and a can-have's value from its lists ([`Wanted`]).
//!
//! Builds on [`super::postings`] (the lists themselves), which imports nothing from here.

use super::bitmap::{set_bits, word_bit};
use super::explain::Relation;
use super::gates::{self, Mins};
use super::postings::{Hit, List, Posting, Postings};
use super::record::{Sig, UNKNOWN_TENTHS};
use super::vector::SkillKey;

/// A must-have's postings with its minimums.
pub(crate) struct Group<'a> {
    pub size: usize,
    pub lists: Vec<&'a List>,
    pub mins: Mins,
    /// The must-have's position in the query.
    pub must: usize,
    /// The slots with a posting meeting the minimums in one of the sparse lists, once
    /// [`holders`] has marked them (`None` before, or without sparse lists): look-ups skip the
    /// sparse lists for every other slot. A must-have with narrower skills often
    /// has a dozen sparse lists, and few candidates are in any of them.
    pub sparse: Option<Vec<u64>>,
}

impl<'a> Group<'a> {
    pub fn new(lists: Vec<&'a List>, mins: Mins, must: usize) -> Self {
        Group { size: lists.iter().map(|l| l.postings.len()).sum(), lists, mins, must, sparse: None }
    }
}

/// Sets in `out` (of `words` words) the slots of a group: every slot of a dense list (its
/// minimums are checked later, per candidate), and the slots of a sparse list's postings that
/// meet the minimums, which are also kept in the group ([`Group::sparse`]).
fn group_bits(g: &mut Group<'_>, words: usize, out: &mut Vec<u64>) {
    out.clear();
    out.resize(words, 0);
    let mut sparse = Vec::new();
    for list in &g.lists {
        match list.bits() {
            Some(bits) => out.iter_mut().zip(bits).for_each(|(o, b)| *o |= b),
            None => {
                sparse.resize(words, 0);
                mark_meeting(&list.postings, g.mins, &mut sparse);
            }
        }
    }
    if !sparse.is_empty() {
        out.iter_mut().zip(&sparse).for_each(|(o, s)| *o |= s);
        g.sparse = Some(sparse);
    }
}

/// Sets in `out` the slots of the postings that meet `mins`.
fn mark_meeting(postings: &[Posting], mins: Mins, out: &mut [u64]) {
    for p in postings.iter().filter(|p| p.meets(mins)) {
        let (w, bit) = word_bit(p.slot);
        if let Some(o) = out.get_mut(w) {
            *o |= bit;
        }
    }
}

/// The slots (of `words` × 64) that may meet every group: a bitmap, the AND of the groups'
/// [`group_bits`]. Groups come rarest first; a group of one dense list is ANDed in place.
pub(crate) fn holders(groups: &mut [Group<'_>], words: usize) -> Vec<u64> {
    let mut all = Vec::new();
    let Some((first, rest)) = groups.split_first_mut() else {
        return all;
    };
    group_bits(first, words, &mut all);
    let mut tmp = Vec::new();
    for g in rest {
        if let [list] = g.lists[..]
            && let Some(bits) = list.bits()
        {
            let n = bits.len().min(all.len());
            all[..n].iter_mut().zip(&bits[..n]).for_each(|(a, b)| *a &= b);
            all[n..].fill(0);
        } else {
            group_bits(g, words, &mut tmp);
            all.iter_mut().zip(&tmp).for_each(|(a, t)| *a &= t);
        }
    }
    all
}

/// The sorted, distinct slots (of `words` × 64) that meet at least one group.
pub(crate) fn union_meeting(groups: &[Group<'_>], words: usize) -> Vec<u32> {
    let mut bits = vec![0u64; words];
    for g in groups {
        g.lists.iter().for_each(|l| mark_meeting(&l.postings, g.mins, &mut bits));
    }
    set_bits(&bits).collect()
}

/// The value [`gates::must_match`] gives a posting that meets the minimums: the same for every
/// relation, so the best posting of a slot gives the must-have's exact value in the score.
pub(crate) fn met_value(years: u16, level: u8, m: Mins) -> f64 {
    gates::must_match(0, &Hit { years, level }.skill(), Relation::Same, m).value
}

impl Hit {
    /// Keeps the better of two meeting skills of one slot (rare: the key listed twice, or
    /// the key and a narrower one). Equal values keep the first: only the value matters.
    fn best(self, other: Hit, m: Mins) -> Hit {
        if met_value(other.years, other.level, m) > met_value(self.years, self.level, m) { other } else { self }
    }
}

/// The values of met must-haves, from per-ranking tables of [`gates::depth`]'s two signals:
/// per must-have, the years signal by years beyond the minimum and the level signal by level.
/// A ranking values thousands of candidates' must-haves; the tables are ~75 entries each.
pub(crate) struct MustValues(Vec<DepthTable>);

/// One must-have's minimums and its two signal tables.
struct DepthTable {
    mins: Mins,
    years: [f64; YEAR_CELLS],
    levels: [f64; LEVEL_CELLS],
}

/// Year cells per must-have: 0–63 tenths beyond the minimum, 64 for 6.4 years or more (where the
/// signal has saturated at 1).
const YEAR_CELLS: usize = 65;
/// Levels 0 (unknown, never read) to 7.
const LEVEL_CELLS: usize = 8;

impl MustValues {
    pub fn new(mins: &[Mins]) -> Self {
        MustValues(
            mins.iter()
                .map(|&m| DepthTable {
                    mins: m,
                    years: std::array::from_fn(|c| {
                        let years = u32::from(m.years) + c as u32;
                        gates::years_depth(years.min(u32::from(UNKNOWN_TENTHS - 1)) as u16, m)
                    }),
                    levels: std::array::from_fn(|l| gates::level_depth(l as u8, m)),
                })
                .collect(),
        )
    }

    /// The value of must-have `i` met by `h` (which meets its minimums): exactly [`met_value`].
    #[inline]
    pub fn value(&self, i: usize, h: Hit) -> f64 {
        let Some(t) = self.0.get(i) else { return 0.0 };
        if h.level >= LEVEL_CELLS as u8 {
            return met_value(h.years, h.level, t.mins);
        }
        let y = (h.years != UNKNOWN_TENTHS)
            .then(|| t.years[usize::from(h.years.saturating_sub(t.mins.years)).min(YEAR_CELLS - 1)]);
        let l = (h.level != 0).then(|| t.levels[usize::from(h.level)]);
        gates::met(gates::mean_depth(y, l))
    }
}

impl Group<'_> {
    /// Whether every slot [`holders`] gives for this group meets its minimums: it asks for
    /// none, or it has no dense list (a sparse list's slots are marked only where they meet).
    /// Otherwise a holder may hold the key too shallowly, and [`Group::met_by`] tells.
    pub fn exact(&self) -> bool {
        self.mins == Mins::NONE || self.lists.iter().all(|l| l.bits().is_none())
    }

    /// Whether `slot`, one of the group's holders, meets the minimums: a sparse list marked it
    /// ([`holders`] marks only postings that meet them), or a dense list holds a meeting skill.
    #[inline]
    pub fn met_by(&self, slot: u32) -> bool {
        self.in_sparse(slot)
            || self.lists.iter().filter(|l| l.bits().is_some()).any(|l| {
                let mut met = false;
                l.hits(slot, |h| met |= h.meets(self.mins));
                met
            })
    }

    /// The skill of `slot` that meets the must-have best: the best of its postings in the
    /// group's lists that meets the minimums (`None` when none does). Sparse lists are
    /// searched only for the slots [`holders`] marked in them.
    #[inline]
    pub fn best_hit(&self, slot: u32) -> Option<Hit> {
        let sparse = self.in_sparse(slot);
        let mut best: Option<Hit> = None;
        for list in self.lists.iter().filter(|l| sparse || l.bits().is_some()) {
            list.hits(slot, |h| {
                if h.meets(self.mins) {
                    best = Some(best.map_or(h, |b| b.best(h, self.mins)));
                }
            });
        }
        best
    }

    /// Whether a sparse list of the group holds `slot` at the minimums ([`Group::sparse`]).
    #[inline]
    fn in_sparse(&self, slot: u32) -> bool {
        let (w, bit) = word_bit(slot);
        self.sparse.as_ref().is_some_and(|s| s.get(w).is_some_and(|x| x & bit != 0))
    }
}

/// A can-have's postings: per key that serves it, the key's list, how it relates and its
/// [`Sig`] bit, so a candidate's value is found without reading its skills.
pub(crate) struct Wanted<'a> {
    lists: Vec<(&'a List, Relation, Sig)>,
    mins: Mins,
}

impl<'a> Wanted<'a> {
    /// From the keys serving the can-have (`keys`, as [`super::prepare::Prepared::can_keys`]).
    pub fn new(postings: &'a Postings, keys: &[(SkillKey, Relation)], mins: Mins) -> Self {
        let lists = keys.iter().filter_map(|&(k, relation)| Some((postings.get(k)?, relation, Sig::of(k)))).collect();
        Wanted { lists, mins }
    }

    /// The can-have's value for the consultant in `slot` whose key signature is `sig`: the best
    /// [`gates::want_match`] value of its postings in the lists, 0 without any, which is what
    /// scoring its skills gives. Lists whose key is not in the signature are not searched.
    #[inline]
    pub fn value(&self, slot: u32, sig: Sig) -> f64 {
        let mut best: f64 = 0.0;
        for (list, relation, bit) in &self.lists {
            if sig.meets(*bit) {
                list.hits(slot, |h| best = best.max(gates::want_match(0, &h.skill(), *relation, self.mins).value));
            }
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tables give every meeting skill exactly the value [`met_value`] computes, bit for
    /// bit: years on and past the saturation point, unknown years or level, levels 0–7 and a
    /// level that does not fit the table.
    #[test]
    fn must_values_equal_met_value_bit_for_bit() {
        let mins: Vec<Mins> = [(0, 0), (20, 0), (0, 3), (35, 2), (50, 5), (UNKNOWN_TENTHS - 2, 0)]
            .into_iter()
            .map(|(years, level)| Mins { years, level })
            .collect();
        let values = MustValues::new(&mins);
        for (i, m) in mins.iter().enumerate() {
            let years = (0..120).map(|c| m.years.saturating_add(c)).chain([UNKNOWN_TENTHS - 1, UNKNOWN_TENTHS]);
            for y in years {
                for level in (m.level..=9).chain([0]) {
                    let h = Hit { years: y, level };
                    if !h.meets(*m) {
                        continue;
                    }
                    let (got, want) = (values.value(i, h), met_value(y, level, *m));
                    assert_eq!(got.to_bits(), want.to_bits(), "must {i} years {y} level {level}: {got} vs {want}");
                }
            }
        }
    }
}
