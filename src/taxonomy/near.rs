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
    first: char,
    /// The digits of `text`, in order: a near miss may not change them.
    digits: String,
    /// The distinct padded bigrams of `text`, sorted (see [`bigrams`]).
    grams: Vec<(char, char)>,
    idx: SkillIdx,
    surface: String,
}

/// All folded labels and aliases with a padded-bigram inverted index.
#[derive(Debug, Clone, Default)]
pub(crate) struct FuzzyIndex {
    keys: Vec<FuzzyKey>,
    grams: HashMap<(char, char), Vec<u32>>,
}

/// Distinct bigrams of `^text$`.
fn bigrams(chars: &[char]) -> Vec<(char, char)> {
    let mut padded = Vec::with_capacity(chars.len() + 2);
    padded.push('\u{2}');
    padded.extend_from_slice(chars);
    padded.push('\u{3}');
    let mut out: Vec<(char, char)> = padded.windows(2).map(|w| (w[0], w[1])).collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// How many bigrams two sorted, distinct bigram lists have in common.
fn shared(a: &[(char, char)], b: &[(char, char)]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

impl FuzzyIndex {
    pub(crate) fn new(names: &HashMap<String, NameEntry>) -> Self {
        let mut keys: Vec<FuzzyKey> = names
            .iter()
            .map(|(key, e)| {
                let text = fold(key);
                let chars: Vec<char> = text.chars().collect();
                FuzzyKey {
                    len: chars.len(),
                    first: chars.first().copied().unwrap_or(' '),
                    digits: digits(&text),
                    grams: bigrams(&chars),
                    text,
                    idx: e.idx,
                    surface: e.surface.clone(),
                }
            })
            .collect();
        // Sorted by length, so the keys of a length band are one contiguous id range and
        // posting lists can be cut to it; then by text, so ties always break the same way.
        keys.sort_by(|a, b| (a.len, &a.text, a.idx, &a.surface).cmp(&(b.len, &b.text, b.idx, &b.surface)));
        keys.dedup_by(|a, b| a.text == b.text && a.idx == b.idx);
        let mut grams: HashMap<(char, char), Vec<u32>> = HashMap::new();
        for (id, key) in keys.iter().enumerate() {
            for &g in &key.grams {
                grams.entry(g).or_default().push(id as u32);
            }
        }
        FuzzyIndex { keys, grams }
    }

    /// Keys within the near-miss limits of the folded name `q`, with their edit distance.
    fn near(&self, q: &str) -> Vec<(usize, usize)> {
        let chars: Vec<char> = q.chars().collect();
        let k = max_edits(chars.len());
        let Some(&first) = chars.first() else {
            return Vec::new();
        };
        if k == 0 {
            return Vec::new();
        }
        let grams = bigrams(&chars);
        // Each edit destroys at most three bigrams (a swap), so a key within k edits
        // shares at least |grams| - 3k of them.
        let need = grams.len().saturating_sub(3 * k).max(1);
        // Only keys whose length is within k of the query's can be within k edits.
        let lo = self.keys.partition_point(|x| x.len + k < chars.len());
        let hi = self.keys.partition_point(|x| x.len <= chars.len() + k);
        // The posting lists cut to that length band. A key sharing `need` of the query's
        // bigrams is in at least one of any `|grams| - need + 1` of those lists, so only the
        // shortest ones are read for candidates (instead of counting over every list);
        // each candidate's shared bigrams are then counted against its own sorted list.
        let mut lists: Vec<&[u32]> = grams
            .iter()
            .map(|g| {
                self.grams.get(g).map_or(&[][..], |list| {
                    let start = list.partition_point(|&id| (id as usize) < lo);
                    let end = list.partition_point(|&id| (id as usize) < hi);
                    &list[start..end]
                })
            })
            .collect();
        lists.sort_unstable_by_key(|l| l.len());
        let probe = (grams.len() + 1).saturating_sub(need);
        let mut candidates: Vec<u32> = lists.iter().take(probe).flat_map(|l| l.iter().copied()).collect();
        candidates.sort_unstable();
        candidates.dedup();
        let q_digits = digits(q);
        let mut out = Vec::new();
        for id in candidates {
            let id = id as usize;
            let key = &self.keys[id];
            let shorter = key.len.min(chars.len());
            let allowed = max_edits(shorter);
            // The cheap checks first; the digit strings last, since comparing them calls
            // memcmp (35 % of the time when done before the bigram count).
            if key.len.abs_diff(chars.len()) > allowed
                || (chars.len() < SAME_FIRST_BELOW && key.first != first)
                || shared(&grams, &key.grams) < need
                || key.digits != q_digits
            {
                continue;
            }
            let d = strsim::osa_distance(q, &key.text);
            if d > allowed || (shorter < SUBSTITUTION_FROM && is_substitution(q, &key.text)) {
                continue;
            }
            out.push((id, d));
        }
        out
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
