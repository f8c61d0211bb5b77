//! Near-miss spellings: the rules for how far a name may be from a label or alias and still
//! resolve to it, and the index over the folded names that finds such names cheaply.
//!
//! Near-miss rules (chosen from the cases in `tests_resolve.rs`; the comment there says what
//! each case showed): the allowed number of edits (optimal string alignment: insert, delete,
//! substitute, swap two neighbours) depends on the length of the shorter of the two folded
//! names — see [`max_edits`]. Below eight letters a single substituted letter is not accepted
//! (only a swap, a missing or an extra letter), below twelve letters the first letter must
//! agree, digits must always agree ("ISO 27003" is not ISO 27001), and when two different
//! skills are equally close the name stays unresolved.

use std::collections::HashMap;
use std::ops::RangeInclusive;

use super::normalize::{fold, normalize};
use super::vocab::NameEntry;
use super::vocab::{Resolution, SkillIdx, Via};
use crate::domain::ResolveMethod;

/// The most edits a near miss may need, given the letters in the shorter of the two names.
///
/// * up to 5 letters: none. One edit turns short names into other real names
///   ("Scala"/"Scale", "Perl"/"Pearl", "Lean"/"Learn", "CSS"/"CSV", "Jira"/"Jura").
/// * 6–7 letters: one, but not a plain substitution (see [`SUBSTITUTION_FROM`]).
/// * 8–11 letters: one ("Kuberntes", "Waterfal", "Teamwrok"). Two would let the Swedish
///   word "Informatik" become the ETL tool Informatica.
/// * 12–19 letters: two ("Konflikhantering", "Systemförvaltningen").
/// * 20 letters and more: three.
pub(crate) fn max_edits(len: usize) -> usize {
    match len {
        0..=5 => 0,
        6..=11 => 1,
        12..=19 => 2,
        _ => 3,
    }
}

/// From this many letters a near miss may substitute a letter. Below it, a substitution
/// mostly yields a different real word ("Sprint"/"Spring", "Packet"/"Packer",
/// "Docket"/"Docker", "Flatter"/"Flutter"), while typos of short names are mostly swaps,
/// missing or doubled letters ("Dokcer", "Pyhton", "Jenkis").
const SUBSTITUTION_FROM: usize = 8;

/// Below this many letters a near miss must keep the first letter
/// ("Jython"/"Python", "Rocker"/"Docker", "Readership"/"Leadership").
const SAME_FIRST_BELOW: usize = 12;

/// True when `a` and `b` have the same length and differ in exactly one position.
fn is_substitution(a: &str, b: &str) -> bool {
    let (mut ai, mut bi) = (a.chars(), b.chars());
    let mut diffs = 0;
    loop {
        match (ai.next(), bi.next()) {
            (Some(x), Some(y)) => diffs += usize::from(x != y),
            (None, None) => return diffs == 1,
            _ => return false,
        }
    }
}

#[derive(Debug, Clone)]
struct FuzzyKey {
    /// Folded key.
    text: String,
    /// Letters in `text`.
    len: usize,
    /// The digits of `text`, in order: a near miss may not change them.
    digits: Digits,
    /// Words in the normalised `surface` (what text search compares with an n-gram's).
    words: usize,
    idx: SkillIdx,
    surface: String,
}

/// All folded labels and aliases, sorted by length, with a [`Sketch`] of each for the scans
/// in [`FuzzyIndex::near`] and [`FuzzyIndex::any_near_with_words`].
///
/// Why a scan and not an inverted index: there are a few thousand keys, and a query only
/// reads the keys whose length is close to its own (a few hundred at most, a few dozen
/// when the first letter must agree). Comparing two bit masks per key rules out nearly all
/// of them in a handful of instructions, which costs less than looking up and merging
/// bigram posting lists (the earlier design) or the hundreds of hash look-ups per query of
/// a deletion-neighbourhood (SymSpell) index at two and three edits.
#[derive(Debug, Clone, Default)]
pub(crate) struct FuzzyIndex {
    /// Sorted by (letters, text, skill, surface): the keys of a length band are one
    /// contiguous id range, and ties always break the same way.
    keys: Vec<FuzzyKey>,
    /// `sketches[id]` sketches `keys[id]`.
    sketches: Vec<Sketch>,
    /// All keys in one group, for queries that may match any key.
    by_len: Runs,
    /// Grouped by first letter, for queries whose matches must keep the first letter.
    by_first: Runs,
    /// Grouped by number of words, for [`FuzzyIndex::any_near_with_words`].
    by_words: Runs,
}

/// Key ids sorted by a group (a first letter, a number of words), then by length, then by
/// id: the keys of one group within a length band are one contiguous run, in id order.
/// Each id's group, length and character classes are stored beside it, so that a scan
/// reads contiguous memory.
#[derive(Debug, Clone, Default)]
struct Runs {
    ids: Vec<u32>,
    /// (group, letters) of `ids[i]`, for the binary searches.
    group_len: Vec<(u32, usize)>,
    /// The character classes of `ids[i]` ([`Sketch::chars`]).
    classes: Vec<u64>,
}

impl Runs {
    fn new(sketches: &[Sketch], group: impl Fn(usize) -> u32) -> Self {
        let mut ids: Vec<u32> = (0..sketches.len() as u32).collect();
        // Ids are in length order already, so (group, id) order is (group, length, id) order.
        ids.sort_by_key(|&id| (group(id as usize), id));
        let group_len = ids.iter().map(|&id| (group(id as usize), sketches[id as usize].len)).collect();
        let classes = ids.iter().map(|&id| sketches[id as usize].chars).collect();
        Runs { ids, group_len, classes }
    }

    /// The ids of `group` in the query's length band whose character classes are close
    /// enough to the query's, in id order. The class test rules out about 97 % of the keys
    /// of a band on the bench's ad; it runs on its own here, so that the loop stays small.
    fn candidates<'a>(&'a self, group: u32, query: &Query<'_>) -> impl Iterator<Item = usize> + 'a {
        let band = query.band();
        let lo = self.group_len.partition_point(|&g| g < (group, *band.start()));
        let hi = self.group_len.partition_point(|&g| g <= (group, *band.end())).max(lo);
        let (chars, edits) = (query.sketch.chars, query.edits);
        let close = self.classes[lo..hi].iter().map(move |&c| classes_within(chars, c, edits));
        self.ids[lo..hi].iter().zip(close).filter(|&(_, close)| close).map(|(&id, _)| id as usize)
    }
}

/// The digits of a name, in order, as one value that compares in a single instruction in
/// the common case.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Digits {
    /// Up to [`Digits::PACKED_MAX`] digits in base 11, one place per digit holding the
    /// digit plus one, so that no digits is 0 and "0" and "00" differ.
    Packed(u64),
    /// More digits than fit (a phone number in text; no name in the data has that many).
    Long(Box<str>),
}

impl Digits {
    /// 18 places are at most 11^18 - 1 < 2^64 (19 would not fit).
    const PACKED_MAX: usize = 18;

    fn of(s: &str) -> Self {
        let digits = s.bytes().filter(u8::is_ascii_digit);
        if digits.clone().count() > Self::PACKED_MAX {
            return Digits::Long(digits.map(char::from).collect());
        }
        Digits::Packed(digits.fold(0, |v, d| v * 11 + u64::from(d - b'0') + 1))
    }
}

/// A few bits summarising a folded name, enough to rule most keys out before an edit
/// distance is computed. Every test in [`Sketch::may_be_within`] follows from what a single
/// edit can change, so a key it rules out is never within the limit (the property test in
/// `tests_near.rs` checks the scan against a search without it).
#[derive(Debug, Clone, Copy, Default)]
struct Sketch {
    /// Letters (chars) in the name.
    len: usize,
    /// Its first letter (a space for an empty name).
    first: char,
    /// One bit per class of the characters present (see [`char_bit`]).
    chars: u64,
    /// One bit per bucket of the bigrams of `^name$` present (see [`gram_bit`]).
    grams: u128,
}

/// The bit of a character class: one per letter a–z, digit and space, the rest hashed
/// onto the remaining bits.
fn char_bit(c: char) -> u64 {
    let bit = match c {
        'a'..='z' => c as u32 - 'a' as u32,
        '0'..='9' => 26 + c as u32 - '0' as u32,
        ' ' => 36,
        _ => 37 + c as u32 % 27,
    };
    1u64 << bit
}

/// The bucket bit of a bigram (`'\u{2}'` and `'\u{3}'` pad the start and the end).
fn gram_bit(a: char, b: char) -> u128 {
    let h = (a as u32).wrapping_mul(0x9e37_79b1) ^ (b as u32).wrapping_mul(0x85eb_ca77);
    1u128 << (h >> 25)
}

/// True when each of the class masks `a` and `b` has at most `edits` bits the other lacks
/// (the first test of [`Sketch::may_be_within`], alone). For the one to three edits allowed
/// here, clearing the lowest set bit `edits` times is cheaper than `count_ones`, which
/// compiles to a dozen instructions on the portable x86-64 target (no `popcnt`).
fn classes_within(a: u64, b: u64, edits: usize) -> bool {
    let drop = |x: u64| x & x.wrapping_sub(1);
    let (only_a, only_b) = (a & !b, b & !a);
    match edits {
        0 => only_a | only_b == 0,
        1 => drop(only_a) | drop(only_b) == 0,
        2 => drop(drop(only_a)) | drop(drop(only_b)) == 0,
        3 => drop(drop(drop(only_a))) | drop(drop(drop(only_b))) == 0,
        _ => only_a.count_ones() as usize <= edits && only_b.count_ones() as usize <= edits,
    }
}

impl Sketch {
    fn of(text: &str) -> Self {
        let mut s = Sketch { first: text.chars().next().unwrap_or(' '), ..Sketch::default() };
        let mut prev = '\u{2}';
        for c in text.chars() {
            s.len += 1;
            s.chars |= char_bit(c);
            s.grams |= gram_bit(prev, c);
            prev = c;
        }
        s.grams |= gram_bit(prev, '\u{3}');
        s
    }

    /// False when `self` and `other` are certainly more than `edits` edits apart. One edit
    /// (insert, delete, substitute, swap) changes the length by at most one, adds at most
    /// one character class and removes at most one, and destroys at most three bigrams
    /// (a swap) while creating at most three; hashing classes and bigrams onto bits only
    /// merges them, which cannot raise those counts.
    fn may_be_within(&self, other: &Sketch, edits: usize) -> bool {
        let edits = edits as u32;
        self.len.abs_diff(other.len) <= edits as usize
            && (self.chars & !other.chars).count_ones() <= edits
            && (other.chars & !self.chars).count_ones() <= edits
            && (self.grams & !other.grams).count_ones() <= 3 * edits
            && (other.grams & !self.grams).count_ones() <= 3 * edits
    }
}

/// A folded name being looked up, with what the scan compares.
struct Query<'q> {
    text: &'q str,
    sketch: Sketch,
    digits: Digits,
    /// The most edits any key may be away ([`max_edits`] of the query's length).
    edits: usize,
}

impl<'q> Query<'q> {
    /// `None` when the name is too short to have near misses.
    fn new(text: &'q str) -> Option<Self> {
        let sketch = Sketch::of(text);
        let edits = max_edits(sketch.len);
        (edits > 0).then(|| Query { text, sketch, digits: Digits::of(text), edits })
    }

    /// Only keys whose length is within `edits` of the query's can be within the limit.
    fn band(&self) -> RangeInclusive<usize> {
        self.sketch.len.saturating_sub(self.edits)..=self.sketch.len + self.edits
    }

    /// True when matches must keep the first letter: their candidates are one run of
    /// `FuzzyIndex::by_first`.
    fn same_first(&self) -> bool {
        self.sketch.len < SAME_FIRST_BELOW
    }
}

impl FuzzyIndex {
    pub(crate) fn new(names: &HashMap<String, NameEntry>) -> Self {
        let mut keys: Vec<(FuzzyKey, Sketch)> = names
            .iter()
            .map(|(key, e)| {
                let text = fold(key);
                let sketch = Sketch::of(&text);
                let key = FuzzyKey {
                    len: sketch.len,
                    digits: Digits::of(&text),
                    words: normalize(&e.surface).split(' ').count(),
                    text,
                    idx: e.idx,
                    surface: e.surface.clone(),
                };
                (key, sketch)
            })
            .collect();
        keys.sort_by(|(a, _), (b, _)| (a.len, &a.text, a.idx, &a.surface).cmp(&(b.len, &b.text, b.idx, &b.surface)));
        keys.dedup_by(|(a, _), (b, _)| a.text == b.text && a.idx == b.idx);
        let (keys, sketches): (Vec<FuzzyKey>, Vec<Sketch>) = keys.into_iter().unzip();
        let by_len = Runs::new(&sketches, |_| 0);
        let by_first = Runs::new(&sketches, |id| sketches[id].first as u32);
        let by_words = Runs::new(&sketches, |id| u32::try_from(keys[id].words).unwrap_or(u32::MAX));
        FuzzyIndex { keys, sketches, by_len, by_first, by_words }
    }

    /// Keys within the near-miss limits of the folded name `q`, with their edit distance,
    /// in id order.
    fn near(&self, q: &str) -> Vec<(usize, usize)> {
        let Some(query) = Query::new(q) else {
            return Vec::new();
        };
        let candidates = if query.same_first() {
            self.by_first.candidates(query.sketch.first as u32, &query)
        } else {
            self.by_len.candidates(0, &query)
        };
        candidates.filter_map(|id| self.check(id, &query)).collect()
    }

    /// True when some key whose name has `words` words is within the near-miss limits of
    /// the folded name `q`. When false, no near miss of `q` is a name of `words` words, so
    /// text search need not look for the nearest: it only keeps n-gram matches on names
    /// with as many words. Reads only those keys, and stops at the first hit.
    pub(crate) fn any_near_with_words(&self, q: &str, words: usize) -> bool {
        let Some(query) = Query::new(q) else {
            return false;
        };
        if query.same_first() {
            let mut candidates = self.by_first.candidates(query.sketch.first as u32, &query);
            candidates.any(|id| self.keys[id].words == words && self.check(id, &query).is_some())
        } else {
            let Ok(group) = u32::try_from(words) else {
                return false;
            };
            self.by_words.candidates(group, &query).any(|id| self.check(id, &query).is_some())
        }
    }

    /// The edit distance from the query to key `id` if the key is within the near-miss
    /// limits; for candidates whose character classes are close enough. The rest of the
    /// sketch rules out most of them, and the edit distance decides.
    fn check(&self, id: usize, query: &Query<'_>) -> Option<(usize, usize)> {
        let (sketch, key) = (&self.sketches[id], &self.keys[id]);
        let shorter = sketch.len.min(query.sketch.len);
        let allowed = max_edits(shorter);
        if !query.sketch.may_be_within(sketch, allowed) || key.digits != query.digits {
            return None;
        }
        let d = strsim::osa_distance(query.text, &key.text);
        let substituted = shorter < SUBSTITUTION_FROM && is_substitution(query.text, &key.text);
        (d <= allowed && !substituted).then_some((id, d))
    }

    /// The single closest skill to the folded name `q`, if exactly one skill is closest.
    pub(crate) fn nearest(&self, q: &str) -> Option<Resolution> {
        let found = self.near(q);
        let best = found.iter().map(|&(_, d)| d).min()?;
        let mut winners = found.iter().filter(|&&(_, d)| d == best).map(|&(id, _)| &self.keys[id]);
        let first = winners.next()?;
        if winners.any(|k| k.idx != first.idx) {
            return None; // two skills equally close: never guess
        }
        let longer = first.len.max(q.chars().count()).max(1);
        Some(Resolution {
            skill: Some(first.idx),
            method: Some(ResolveMethod::Fuzzy),
            via: Via::NearMiss,
            similarity: 1.0 - best as f32 / longer as f32,
            matched: Some(first.surface.clone()),
        })
    }

    /// Every skill with a key within near-miss limits of `q`, closest first.
    pub(crate) fn near_skills(&self, q: &str) -> Vec<(SkillIdx, usize)> {
        let mut v: Vec<(SkillIdx, usize)> = self.near(q).into_iter().map(|(id, d)| (self.keys[id].idx, d)).collect();
        v.sort_unstable_by_key(|&(idx, d)| (d, idx));
        v
    }

    /// Every folded key with its skill (for search).
    pub(crate) fn keys(&self) -> impl Iterator<Item = (&str, SkillIdx)> {
        self.keys.iter().map(|k| (k.text.as_str(), k.idx))
    }
}

#[cfg(test)]
#[path = "tests_near.rs"]
mod tests;
