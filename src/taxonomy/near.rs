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

use super::normalize::fold;
use super::resolve::NameEntry;
use super::{Method, Resolution, SkillIdx, Via};

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
    idx: SkillIdx,
    surface: String,
}

/// All folded labels and aliases, sorted by length, with a [`Sketch`] of each for the scan
/// in [`FuzzyIndex::near`].
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
    /// Key ids sorted by (first letter, letters, id), for queries whose matches must keep
    /// the first letter: their candidates are one contiguous run.
    by_first: Vec<u32>,
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
    fn of(chars: &[char]) -> Self {
        let mut s = Sketch { len: chars.len(), first: chars.first().copied().unwrap_or(' '), ..Sketch::default() };
        let mut prev = '\u{2}';
        for &c in chars {
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

impl FuzzyIndex {
    pub(crate) fn new(names: &HashMap<String, NameEntry>) -> Self {
        let mut keys: Vec<(FuzzyKey, Sketch)> = names
            .iter()
            .map(|(key, e)| {
                let text = fold(key);
                let chars: Vec<char> = text.chars().collect();
                let sketch = Sketch::of(&chars);
                let key = FuzzyKey {
                    len: chars.len(),
                    digits: Digits::of(&text),
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
        let mut by_first: Vec<u32> = (0..keys.len() as u32).collect();
        by_first.sort_by_key(|&id| (sketches[id as usize].first, id));
        FuzzyIndex { keys, sketches, by_first }
    }

    /// Keys within the near-miss limits of the folded name `q`, with their edit distance,
    /// in id order.
    fn near(&self, q: &str) -> Vec<(usize, usize)> {
        let chars: Vec<char> = q.chars().collect();
        let k = max_edits(chars.len());
        if k == 0 {
            return Vec::new();
        }
        let query = Sketch::of(&chars);
        let q_digits = Digits::of(q);
        let len = chars.len();
        let mut out = Vec::new();
        // Only keys whose length is within k of the query's can be within k edits: one id
        // range, or, when the first letter must agree, one run of `by_first`. In it, the
        // character classes alone rule out about 97 % of the keys on the bench's ad (no
        // key allows more edits than k), so that test runs first, on its own.
        if len < SAME_FIRST_BELOW {
            let first_len = |&id: &u32| (self.sketches[id as usize].first, self.sketches[id as usize].len);
            let lo = self.by_first.partition_point(|id| first_len(id) < (query.first, len.saturating_sub(k)));
            let hi = self.by_first.partition_point(|id| first_len(id) <= (query.first, len + k));
            for &id in &self.by_first[lo..hi] {
                let id = id as usize;
                if classes_within(query.chars, self.sketches[id].chars, k) {
                    out.extend(self.check(id, q, &query, &q_digits));
                }
            }
        } else {
            let lo = self.sketches.partition_point(|s| s.len + k < len);
            let hi = self.sketches.partition_point(|s| s.len <= len + k);
            for (id, sketch) in (lo..).zip(&self.sketches[lo..hi]) {
                if classes_within(query.chars, sketch.chars, k) {
                    out.extend(self.check(id, q, &query, &q_digits));
                }
            }
        }
        out
    }

    /// The edit distance from `q` to key `id` if the key is within the near-miss limits.
    fn check(&self, id: usize, q: &str, query: &Sketch, q_digits: &Digits) -> Option<(usize, usize)> {
        let (sketch, key) = (&self.sketches[id], &self.keys[id]);
        let shorter = sketch.len.min(query.len);
        let allowed = max_edits(shorter);
        if !query.may_be_within(sketch, allowed) || key.digits != *q_digits {
            return None;
        }
        let d = strsim::osa_distance(q, &key.text);
        let substituted = shorter < SUBSTITUTION_FROM && is_substitution(q, &key.text);
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
            method: Method::Fuzzy,
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
