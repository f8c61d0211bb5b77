//! The compact consultant record both [`super::score`] and [`super::ConsultantIndex`] score
//! from, so the two can never disagree: years in tenths (`u16`), levels and CEFR ranks in
//! bytes, the city as an interned id, dates as day numbers.

use std::mem::size_of;

use chrono::{Datelike, NaiveDate};
use uuid::Uuid;

use super::vector::{ConsultantVector, SkillEntry, SkillKey};
use crate::domain::ResolveMethod;
use crate::domain::{ClearanceLevel, WorkMode};

/// Marks an unknown `u16` tenths value.
pub(crate) const UNKNOWN_TENTHS: u16 = u16::MAX;
/// Marks an unknown day number.
pub(crate) const UNKNOWN_DAY: i32 = i32::MIN;
/// Marks an unknown capacity.
pub(crate) const UNKNOWN_CAPACITY: u8 = u8::MAX;
/// The city id of a consultant without a city.
pub(crate) const NO_CITY: u32 = 0;
/// A city id no consultant has (a query city nobody lives in).
pub(crate) const ABSENT_CITY: u32 = u32::MAX;

/// One skill in 8 bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct PSkill {
    pub key: SkillKey,
    /// Years in tenths, or [`UNKNOWN_TENTHS`].
    pub years: u16,
    /// Level 1–5, 0 when unknown.
    pub level: u8,
    /// How the text was resolved, as a byte (3: free text).
    pub resolved: u8,
}

impl PSkill {
    pub fn new(s: &SkillEntry) -> Self {
        PSkill {
            key: s.key,
            years: s.years.map_or(UNKNOWN_TENTHS, tenths),
            level: s.level.map_or(0, |l| l.get()),
            resolved: match s.resolved {
                Some(ResolveMethod::Exact) => 0,
                Some(ResolveMethod::Alias) => 1,
                Some(ResolveMethod::Fuzzy) => 2,
                None => 3,
            },
        }
    }

    /// Years, if known.
    pub fn years(&self) -> Option<f64> {
        (self.years != UNKNOWN_TENTHS).then(|| f64::from(self.years) / 10.0)
    }

    /// Level, if known.
    pub fn level(&self) -> Option<u8> {
        (self.level != 0).then_some(self.level)
    }

    pub fn resolved(&self) -> Option<ResolveMethod> {
        match self.resolved {
            0 => Some(ResolveMethod::Exact),
            1 => Some(ResolveMethod::Alias),
            2 => Some(ResolveMethod::Fuzzy),
            _ => None,
        }
    }
}

/// Years as tenths, saturating; NaN counts as unknown, negatives as 0.
pub(crate) fn tenths(y: f32) -> u16 {
    if y.is_nan() {
        UNKNOWN_TENTHS
    } else {
        (f64::from(y) * 10.0).round().clamp(0.0, f64::from(UNKNOWN_TENTHS - 1)) as u16
    }
}

/// A date as a day number.
pub(crate) fn day(d: NaiveDate) -> i32 {
    d.num_days_from_ce()
}

/// Languages kept inline in a [`Record`]; more go to its `extra` allocation.
pub(crate) const INLINE_LANGS: usize = 4;
/// Citizenships kept inline in a [`Record`]; more go to its `extra` allocation.
pub(crate) const INLINE_CITS: usize = 2;

/// A consultant, compact, in two parts: the [`Hot`] 32 bytes every candidate of a ranking is
/// bounded from, and this record (64 bytes), read for the few scored in full and for the gates
/// the bitmaps do not decide. The first [`INLINE_LANGS`] languages (code, code, CEFR rank) and
/// [`INLINE_CITS`] citizenships live inline; any more share one allocation (`extra`, behind a
/// thin pointer: few consultants need it): languages × 3 bytes, then 2-byte country codes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Record {
    pub id: Uuid,
    pub skills: Box<[PSkill]>,
    pub langs: [[u8; 3]; INLINE_LANGS],
    pub cits: [[u8; 2]; INLINE_CITS],
    pub extra: Option<Box<Overflow>>,
    pub n_cits: u8,
    pub n_langs: u8,
}

/// What a ranking bounds every candidate from, in 32 bytes (two to a cache line): the skill
/// key signature, availability, experience, place, work modes and clearance.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Hot {
    /// The skill keys held, hashed ([`Sig`]): a can-have none of whose keys is in it cannot
    /// be met, which bounds the can-have component without reading the skills.
    pub sig: Sig,
    pub available_from: i32,
    pub city: u32,
    pub experience: u16,
    pub country: [u8; 2],
    pub capacity: u8,
    /// Bit per [`WorkMode`] (onsite 1, hybrid 2, remote 4); 0 = no stated preference.
    pub modes: u8,
    pub clearance: ClearanceLevel,
    pub willing: bool,
}

impl Hot {
    /// Packs a vector; `city` is the interned id of its city ([`NO_CITY`] when it has none).
    pub fn new(v: &ConsultantVector, city: u32) -> Self {
        Hot {
            sig: Sig::of_keys(v.skills.iter().map(|s| s.key)),
            available_from: v.available_from.map_or(UNKNOWN_DAY, day),
            city,
            experience: v.experience_years.map_or(UNKNOWN_TENTHS, tenths),
            country: v.country.map_or([0, 0], |c| c.bytes()),
            capacity: v.capacity_percent.unwrap_or(UNKNOWN_CAPACITY),
            modes: v.work_modes.iter().fold(0, |m, w| m | mode_bit(*w)),
            clearance: v.clearance,
            willing: v.willing_to_undergo,
        }
    }

    /// Total experience in years, if known.
    pub fn experience(&self) -> Option<f64> {
        (self.experience != UNKNOWN_TENTHS).then(|| f64::from(self.experience) / 10.0)
    }
}

/// A consultant as scoring reads it: both parts.
#[derive(Clone, Copy, Debug)]
pub(crate) struct View<'a> {
    pub hot: &'a Hot,
    pub rec: &'a Record,
}

impl View<'_> {
    /// [`Record::language_rank`].
    #[inline]
    pub fn language_rank(&self, code: [u8; 2]) -> u8 {
        self.rec.language_rank(code)
    }

    /// [`Record::citizenships`].
    pub fn citizenships(&self) -> impl Iterator<Item = [u8; 2]> + '_ {
        self.rec.citizenships()
    }
}

/// The languages and citizenships beyond those a [`Record`] keeps inline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Overflow {
    bytes: Box<[u8]>,
}

/// A set of skill keys as 128 hashed bits, one per key. A key whose bit is clear is not in
/// the set; a set bit may come from another key. With 5–30 keys per consultant about one bit
/// in six is set, so a can-have of one key is wrongly taken as possibly met about one time in
/// six (one in four with 64 bits, which made twice as many candidates need a full evaluation).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Sig([u64; 2]);

impl Sig {
    /// The set of one key.
    #[inline]
    pub fn of(k: SkillKey) -> Self {
        let bit = k.wrapping_mul(0x9E37_79B9) >> 25;
        let mut words = [0; 2];
        words[(bit >> 6) as usize] = 1 << (bit & 63);
        Sig(words)
    }

    /// The set of some keys.
    pub fn of_keys(keys: impl IntoIterator<Item = SkillKey>) -> Self {
        keys.into_iter().fold(Sig::default(), |s, k| {
            let one = Sig::of(k);
            Sig([s.0[0] | one.0[0], s.0[1] | one.0[1]])
        })
    }

    /// Whether the two sets may share a key (they share a bit).
    #[inline]
    pub fn meets(self, other: Sig) -> bool {
        (self.0[0] & other.0[0]) | (self.0[1] & other.0[1]) != 0
    }

    /// The bits, folded into one word (for touching a record).
    pub fn folded(self) -> u64 {
        self.0[0] ^ self.0[1]
    }
}

/// The bit of a work mode in [`Hot::modes`].
pub(crate) fn mode_bit(m: WorkMode) -> u8 {
    match m {
        WorkMode::Onsite => 1,
        WorkMode::Hybrid => 2,
        WorkMode::Remote => 4,
    }
}

impl Record {
    /// Packs a vector (its [`Hot`] part apart). At most 255 languages are kept (the domain
    /// allows 30).
    pub fn new(v: &ConsultantVector) -> Self {
        let all_langs = &v.languages[..v.languages.len().min(255)];
        let all_cits = &v.citizenships[..v.citizenships.len().min(255)];
        let mut langs = [[0u8; 3]; INLINE_LANGS];
        let mut cits = [[0u8; 2]; INLINE_CITS];
        let mut extra = Vec::new();
        for (i, (code, level)) in all_langs.iter().enumerate() {
            let [a, b] = code.bytes();
            match langs.get_mut(i) {
                Some(slot) => *slot = [a, b, level.rank()],
                None => extra.extend_from_slice(&[a, b, level.rank()]),
            }
        }
        for (i, c) in all_cits.iter().enumerate() {
            match cits.get_mut(i) {
                Some(slot) => *slot = c.bytes(),
                None => extra.extend_from_slice(&c.bytes()),
            }
        }
        let extra = (!extra.is_empty()).then(|| Box::new(Overflow { bytes: extra.into_boxed_slice() }));
        Record {
            langs,
            cits,
            n_cits: all_cits.len() as u8,
            id: v.id,
            skills: v.skills.iter().map(PSkill::new).collect(),
            extra,
            n_langs: all_langs.len() as u8,
        }
    }

    /// The languages and citizenships kept out of line.
    fn extra(&self) -> &[u8] {
        self.extra.as_deref().map_or(&[], |o| &o.bytes)
    }

    fn extra_langs(&self) -> usize {
        usize::from(self.n_langs).saturating_sub(INLINE_LANGS)
    }

    /// The best CEFR rank (1–7) held in a language, 0 when absent.
    #[inline]
    pub fn language_rank(&self, code: [u8; 2]) -> u8 {
        let mut best = 0;
        for l in &self.langs[..usize::from(self.n_langs).min(INLINE_LANGS)] {
            if l[0] == code[0] && l[1] == code[1] {
                best = best.max(l[2]);
            }
        }
        if usize::from(self.n_langs) > INLINE_LANGS {
            for c in self.extra()[..self.extra_langs() * 3].chunks_exact(3) {
                if c[0] == code[0] && c[1] == code[1] {
                    best = best.max(c[2]);
                }
            }
        }
        best
    }

    /// The codes of the languages held (a code listed twice comes twice).
    pub fn language_codes(&self) -> impl Iterator<Item = [u8; 2]> + '_ {
        let inline = self.langs[..usize::from(self.n_langs).min(INLINE_LANGS)].iter().map(|l| [l[0], l[1]]);
        inline.chain(self.extra()[..self.extra_langs() * 3].chunks_exact(3).map(|c| [c[0], c[1]]))
    }

    /// Citizenships as 2-byte codes.
    pub fn citizenships(&self) -> impl Iterator<Item = [u8; 2]> + '_ {
        let inline = self.cits[..usize::from(self.n_cits).min(INLINE_CITS)].iter().copied();
        inline.chain(self.extra()[self.extra_langs() * 3..].chunks_exact(2).map(|c| [c[0], c[1]]))
    }

    /// Heap bytes owned by this record.
    pub fn heap_bytes(&self) -> usize {
        std::mem::size_of_val(&*self.skills) + self.extra.as_ref().map_or(0, |o| size_of::<Overflow>() + o.bytes.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_stay_compact() {
        assert_eq!(std::mem::size_of::<PSkill>(), 8);
        assert_eq!(std::mem::size_of::<Option<Record>>(), 64);
        assert_eq!(std::mem::size_of::<Hot>(), 32);
    }
}
