//! Bitmaps of the gates that do not involve skills — required languages, clearance,
//! citizenship — by slot, so a ranking drops the candidates failing them with a few word-wise
//! operations instead of reading each one's record (about 40% of the must-have candidates of
//! the synthetic assignments fail one).
//!
//! - Clearance: two bit-planes of the level (`none` 0 … `sk1` 3) and a bitmap of those willing
//!   to undergo vetting.
//! - Languages: three bit-planes of the best CEFR rank held (0 when not held), for each
//!   language held by at least 1/[`COMMON_SHARE`] of the slots.
//! - Citizenships: a bitmap (one plane) per country held by at least as many.
//!
//! A language or country without planes is not filtered here (the record check in the ranking
//! still applies); one nobody holds empties the candidates. The filter is exact: it removes a
//! slot only when the record check would.

use std::collections::HashMap;
use std::mem::size_of;

use super::bitmap;
use super::record::{Hot, Record};
use super::vector::AssignmentQuery;
use crate::domain::ClearanceLevel;

/// A language or country gets its bitmaps once held by 1/`COMMON_SHARE` of the slots (and by
/// 64 at least); it loses them below a quarter of that, on [`GateBits::shrink_to_fit`].
const COMMON_SHARE: usize = 64;

/// Bit-planes of a small number per slot: plane `i` holds bit `i`.
#[derive(Clone, Debug)]
pub(crate) struct Planes<const N: usize>([Vec<u64>; N]);

impl<const N: usize> Default for Planes<N> {
    fn default() -> Self {
        Planes(std::array::from_fn(|_| Vec::new()))
    }
}

impl<const N: usize> Planes<N> {
    fn set(&mut self, slot: u32, value: u8) {
        for (i, plane) in self.0.iter_mut().enumerate() {
            bitmap::put(plane, slot, value >> i & 1 == 1);
        }
    }

    /// The value of a slot.
    #[inline]
    pub fn get(&self, slot: u32) -> u8 {
        let (w, bit) = bitmap::word_bit(slot);
        let mut v = 0;
        for (i, plane) in self.0.iter().enumerate() {
            v |= u8::from(plane.get(w).is_some_and(|x| x & bit != 0)) << i;
        }
        v
    }

    /// The slots of word `w` whose value is at least `min`.
    #[inline]
    fn at_least(&self, w: usize, min: u8) -> u64 {
        let (mut greater, mut equal) = (0u64, !0u64);
        for i in (0..N).rev() {
            let b = self.0[i].get(w).copied().unwrap_or(0);
            let m = if min >> i & 1 == 1 { !0 } else { 0 };
            greater |= equal & b & !m;
            equal &= !(b ^ m);
        }
        greater | equal
    }

    /// Keeps in `cand` the slots whose value is at least `min` or whose bit is set in `or`
    /// (which may be shorter: missing words count as 0). Where every plane and `cand` have the
    /// word, loops the compiler vectorises; the rest (the planes' zero tail) word by word.
    fn keep_at_least_or(&self, cand: &mut [u64], min: u8, or: &[u64]) {
        let n = self.0.iter().map(Vec::len).chain([cand.len()]).min().unwrap_or(0);
        let k = or.len().min(n);
        let (with_or, rest) = cand.split_at_mut(k);
        let (without_or, tail) = rest.split_at_mut(n - k);
        self.keep_words(with_or, 0, min, &or[..k]);
        self.keep_words(without_or, k, min, &[]);
        for (w, c) in tail.iter_mut().enumerate() {
            *c &= self.at_least(n + w, min) | or.get(n + w).copied().unwrap_or(0);
        }
    }

    /// [`Planes::keep_at_least_or`] for the words `from..from + cand.len()`, all within every
    /// plane; `or` is as long as `cand`, or empty.
    #[inline]
    fn keep_words(&self, cand: &mut [u64], from: usize, min: u8, or: &[u64]) {
        let len = cand.len();
        let planes: [&[u64]; N] = std::array::from_fn(|i| &self.0[i][from..from + len]);
        let mask: [u64; N] = std::array::from_fn(|i| if min >> i & 1 == 1 { !0 } else { 0 });
        let word = |w: usize| {
            let (mut greater, mut equal) = (0u64, !0u64);
            for i in (0..N).rev() {
                let b = planes[i][w];
                greater |= equal & b & !mask[i];
                equal &= !(b ^ mask[i]);
            }
            greater | equal
        };
        if or.is_empty() {
            cand.iter_mut().enumerate().for_each(|(w, c)| *c &= word(w));
        } else {
            cand.iter_mut().zip(&or[..len]).enumerate().for_each(|(w, (c, o))| *c &= word(w) | o);
        }
    }

    fn bytes(&self) -> usize {
        self.0.iter().map(|p| p.capacity() * size_of::<u64>()).sum()
    }
}

/// How many slots hold each code, and the bit-planes of the common ones' values (a language's
/// best rank; 1 for a citizenship held).
#[derive(Clone, Debug)]
pub(super) struct ByCode<const N: usize> {
    held: HashMap<[u8; 2], u32>,
    pub(super) maps: HashMap<[u8; 2], Planes<N>>,
    /// The codes a record holds, each once.
    codes: fn(&Record) -> Vec<[u8; 2]>,
    /// A record's value for a code (0: not held).
    value: fn(&Record, [u8; 2]) -> u8,
}

impl<const N: usize> ByCode<N> {
    fn new(codes: fn(&Record) -> Vec<[u8; 2]>, value: fn(&Record, [u8; 2]) -> u8) -> Self {
        ByCode { held: HashMap::new(), maps: HashMap::new(), codes, value }
    }

    /// Moves `slot` from the codes `old` holds to those `new` holds: the counts, and the planes
    /// of common codes; a code just become common gets planes built from `records`.
    fn update(&mut self, slot: u32, old: Option<&Record>, new: Option<&Record>, records: &[Option<Record>]) {
        for code in old.map(self.codes).unwrap_or_default() {
            self.count(code, -1);
            if let Some(planes) = self.maps.get_mut(&code) {
                planes.set(slot, 0);
            }
        }
        let Some(new) = new else { return };
        for code in (self.codes)(new) {
            self.count(code, 1);
            if let Some(planes) = self.maps.get_mut(&code) {
                planes.set(slot, (self.value)(new, code));
            } else if self.common(code, records.len()) {
                let mut planes = Planes::default();
                for (s, r) in records.iter().enumerate() {
                    if let Some(r) = r {
                        planes.set(s as u32, (self.value)(r, code));
                    }
                }
                self.maps.insert(code, planes);
            }
        }
    }

    fn count(&mut self, code: [u8; 2], delta: i32) {
        let n = self.held.entry(code).or_default();
        *n = n.saturating_add_signed(delta);
        if *n == 0 {
            self.held.remove(&code);
        }
    }

    /// Whether the bitmaps decide a code: it has them, or nobody holds it.
    fn decides(&self, code: [u8; 2]) -> bool {
        self.maps.contains_key(&code) || !self.held.contains_key(&code)
    }

    fn common(&self, code: [u8; 2], universe: usize) -> bool {
        self.held.get(&code).is_some_and(|&n| n >= 64 && n as usize * COMMON_SHARE >= universe)
    }
}

/// The gate bitmaps of an index.
#[derive(Clone, Debug)]
pub(crate) struct GateBits {
    clearance: Planes<2>,
    willing: Vec<u64>,
    pub(super) languages: ByCode<3>,
    pub(super) citizenships: ByCode<1>,
}

impl Default for GateBits {
    fn default() -> Self {
        GateBits {
            clearance: Planes::default(),
            willing: Vec::new(),
            languages: ByCode::new(|r| distinct(r.language_codes()), |r, code| r.language_rank(code)),
            citizenships: ByCode::new(
                |r| distinct(r.citizenships()),
                |r, code| u8::from(r.citizenships().any(|c| c == code)),
            ),
        }
    }
}

/// Codes, each once.
fn distinct(codes: impl Iterator<Item = [u8; 2]>) -> Vec<[u8; 2]> {
    let mut codes: Vec<[u8; 2]> = codes.collect();
    codes.sort_unstable();
    codes.dedup();
    codes
}

impl GateBits {
    /// Records `new` (with its [`Hot`] part) in `slot`, replacing `old`. `records` is the
    /// index's slots (for building the bitmaps of a language or country that has just become
    /// common), `new` included.
    pub fn set(&mut self, slot: u32, old: Option<&Record>, new: Option<(&Record, &Hot)>, records: &[Option<Record>]) {
        let (new, hot) = (new.map(|n| n.0), new.map(|n| n.1));
        self.clearance.set(slot, hot.map_or(0, |h| clearance_rank(h.clearance)));
        bitmap::put(&mut self.willing, slot, hot.is_some_and(|h| h.willing));
        self.languages.update(slot, old, new, records);
        self.citizenships.update(slot, old, new, records);
    }

    /// The bit-planes of a language's best rank by slot, when it is common enough to have them.
    pub fn language_planes(&self, code: [u8; 2]) -> Option<&Planes<3>> {
        self.languages.maps.get(&code)
    }

    /// Drops the bitmaps of codes that have become rare among `records`.
    pub fn shrink_to_fit(&mut self, universe: usize) {
        let rare = |held: &HashMap<[u8; 2], u32>, code: &[u8; 2]| {
            held.get(code).is_none_or(|&n| n < 64 || n as usize * COMMON_SHARE * 4 < universe)
        };
        let held = &self.languages.held;
        self.languages.maps.retain(|code, _| !rare(held, code));
        let held = &self.citizenships.held;
        self.citizenships.maps.retain(|code, _| !rare(held, code));
    }

    /// Clears in `cand` the slots that fail a gate of `q` the bitmaps can decide. True when
    /// they decide every gate of `q`: then every slot left passes clearance, citizenship and
    /// the required languages.
    pub fn filter(&self, q: &AssignmentQuery, cand: &mut [u64]) -> bool {
        let mut decided = true;
        for lr in q.languages.iter().filter(|lr| lr.required) {
            let code = lr.code.bytes();
            let min = lr.min_level.rank();
            match self.languages.maps.get(&code) {
                Some(planes) => planes.keep_at_least_or(cand, min, &[]),
                None if self.languages.decides(code) => cand.fill(0),
                None => decided = false,
            }
        }
        let req = &q.clearance;
        if req.required_level > ClearanceLevel::None {
            let min = clearance_rank(req.required_level);
            let willing: &[u64] = if req.accept_willing { &self.willing } else { &[] };
            self.clearance.keep_at_least_or(cand, min, willing);
        }
        if !req.citizenship.is_empty() {
            let codes: Vec<[u8; 2]> = req.citizenship.iter().map(|c| c.bytes()).collect();
            // Filter only when every listed country is decided.
            if codes.iter().all(|c| self.citizenships.decides(*c)) {
                let maps: Vec<&Planes<1>> = codes.iter().filter_map(|c| self.citizenships.maps.get(c)).collect();
                for (w, c) in cand.iter_mut().enumerate() {
                    *c &= maps.iter().fold(0, |any, m| any | m.at_least(w, 1));
                }
            } else {
                decided = false;
            }
        }
        decided
    }

    pub fn memory_bytes(&self) -> usize {
        let codes = |n: usize| n * (size_of::<([u8; 2], u32)>() + 1);
        self.clearance.bytes()
            + self.willing.capacity() * size_of::<u64>()
            + codes(self.languages.held.capacity() + self.citizenships.held.capacity())
            + self.languages.maps.values().map(Planes::bytes).sum::<usize>()
            + self.citizenships.maps.values().map(Planes::bytes).sum::<usize>()
    }
}

fn clearance_rank(c: ClearanceLevel) -> u8 {
    match c {
        ClearanceLevel::None => 0,
        ClearanceLevel::Sk3 => 1,
        ClearanceLevel::Sk2 => 2,
        ClearanceLevel::Sk1 => 3,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::domain::{Cefr, ClearanceRequirement, CountryCode, LanguageCode, LanguageRequirement};
    use crate::matching::evaluate::cheap_gates;
    use crate::matching::synth::SplitMix64;
    use crate::matching::tests::{consultant, query};
    use crate::matching::{ConsultantIndex, ConsultantVector};

    const LANGS: [&str; 6] = ["sv", "en", "fi", "de", "da", "no"];
    const LANDS: [&str; 4] = ["SE", "FI", "DK", "NO"];
    const LEVELS: [Cefr; 7] = [Cefr::A1, Cefr::A2, Cefr::B1, Cefr::B2, Cefr::C1, Cefr::C2, Cefr::Native];
    const CLEARANCES: [ClearanceLevel; 4] =
        [ClearanceLevel::None, ClearanceLevel::Sk3, ClearanceLevel::Sk2, ClearanceLevel::Sk1];

    fn pick<T: Copy>(rng: &mut SplitMix64, xs: &[T]) -> T {
        xs[rng.below(xs.len() as u64) as usize]
    }

    /// Up to 7 languages (so some live outside the record's inline four, some twice) and up to
    /// 3 citizenships; "no" and "NO" are rare, so they stay without bitmaps.
    fn person(rng: &mut SplitMix64) -> ConsultantVector {
        let n_langs = rng.below(8) as usize;
        let languages = (0..n_langs)
            .map(|_| {
                let code = if rng.chance(0.002) { "no" } else { pick(rng, &LANGS[..5]) };
                (LanguageCode::parse(code).unwrap(), pick(rng, &LEVELS))
            })
            .collect();
        let citizenships = (0..rng.below(4))
            .map(|_| CountryCode::parse(if rng.chance(0.004) { "NO" } else { pick(rng, &LANDS[..3]) }).unwrap())
            .collect();
        ConsultantVector {
            id: rng.uuid(),
            languages,
            citizenships,
            clearance: pick(rng, &CLEARANCES),
            willing_to_undergo: rng.chance(0.5),
            ..consultant()
        }
    }

    /// Random consultants added, replaced and removed; after each round, random assignments'
    /// gates: the bitmaps keep exactly the slots whose records pass the record check.
    #[test]
    fn the_filter_keeps_exactly_who_passes_the_record_gates() {
        let mut rng = SplitMix64::new(5);
        let mut idx = ConsultantIndex::new();
        let mut ids = Vec::new();
        let mut exact = 0;
        for round in 0..12 {
            for _ in 0..400 {
                let c = person(&mut rng);
                match rng.below(5) {
                    0 if !ids.is_empty() => {
                        idx.remove(ids.swap_remove(rng.below(ids.len() as u64) as usize));
                    }
                    1 if !ids.is_empty() => idx.upsert(ConsultantVector { id: pick(&mut rng, &ids), ..c }),
                    _ => {
                        ids.push(c.id);
                        idx.upsert(c);
                    }
                }
            }
            if round % 4 == 3 {
                idx.shrink_to_fit();
            }
            for _ in 0..40 {
                let mut q = query();
                q.languages = (0..rng.below(3))
                    .map(|_| LanguageRequirement {
                        code: LanguageCode::parse(pick(&mut rng, &LANGS)).unwrap(),
                        min_level: pick(&mut rng, &LEVELS),
                        required: rng.chance(0.8),
                    })
                    .collect();
                q.clearance = ClearanceRequirement {
                    required_level: pick(&mut rng, &CLEARANCES),
                    citizenship: (0..rng.below(3))
                        .map(|_| CountryCode::parse(pick(&mut rng, &LANDS)).unwrap())
                        .collect(),
                    accept_willing: rng.chance(0.5),
                };
                let (kept, passing) = idx.gate_check(&q);
                // Never drops one who passes; exact when every code asked has bitmaps.
                assert!(passing.iter().all(|s| kept.contains(s)), "round {round}: {q:?}");
                let g = &idx.gates;
                let decided = q.languages.iter().filter(|l| l.required).all(|l| g.languages.decides(l.code.bytes()))
                    && q.clearance.citizenship.iter().all(|c| g.citizenships.decides(c.bytes()));
                if decided {
                    assert_eq!(kept, passing, "round {round}: {q:?}");
                    exact += 1;
                }
            }
        }
        assert!(exact > 200, "{exact}");
        assert!(idx.gates.languages.maps.len() >= 4 && idx.gates.citizenships.maps.len() >= 2);
        assert!(!idx.gates.languages.maps.contains_key(b"no") && idx.gates.languages.held.contains_key(b"no"));
        assert!(!idx.gates.citizenships.maps.contains_key(b"NO") && idx.gates.citizenships.held.contains_key(b"NO"));
    }

    impl ConsultantIndex {
        /// The slots the bitmaps keep, and the slots whose records pass the gates.
        fn gate_check(&self, q: &AssignmentQuery) -> (Vec<u32>, Vec<u32>) {
            let mut all = vec![!0u64; bitmap::words(self.records_len())];
            self.gates.filter(q, &mut all);
            let kept = bitmap::set_bits(&all).filter(|&s| self.record(s).is_some()).collect();
            let passing =
                (0..self.records_len() as u32).filter(|&s| self.view(s).is_some_and(|r| cheap_gates(r, q))).collect();
            (kept, passing)
        }
    }
}
