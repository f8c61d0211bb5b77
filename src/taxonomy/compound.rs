//! Swedish compounds: a word glued from known parts ("IT-infrastrukturprojektledning",
//! "Scrumledare", "nätverkssäkerhetsarbete") resolves to the skill its parts name.
//!
//! Swedish writes as one word what English writes as a phrase, with a hyphen after an
//! abbreviation ("IT-") and often a linking *s* between parts ("nätverk**s**säkerhet"). No
//! data file can list every compound, but the parts are in the data already: every word of
//! every label and alias is a known part, and so are a few generic heads ([`HEADS`]:
//! "-arbete", "-kunskap", "-erfarenhet" …) that add nothing to the skill they follow.
//!
//! A name's last word is split into known parts of at least three letters, each optionally
//! followed by a linking *s*; words before it (joined by a hyphen or a space) are parts as
//! they stand. Then the parts of the last word are regrouped, every way that keeps their order
//! (a boundary is either kept glued, as written, or opened into a space, dropping its linking
//! *s*), and each reading is looked up as written, with a generic head dropped, and turned
//! around with a preposition ("projektledning inom IT-infrastruktur"). The first reading that
//! names a skill wins, in a fixed order: fewer opened boundaries first, then the reading as
//! written before the turned-around ones, then the head kept before the head dropped. So a
//! compound resolves only when *all* its letters are accounted for by names of one skill:
//! a word that merely contains a skill name ("Gitarrist", "Rustning", "Reactor") does not.
//!
//! Resolutions through a compound are reported as `ResolveMethod::Fuzzy` via [`Via::Compound`]
//! with similarity [`COMPOUND_SIMILARITY`]: every letter is accounted for, but the reading is
//! inferred.

use super::model::Taxonomy;
use super::normalize::fold;
use super::parts::{HEADS, MIN_PART, Parts};
use super::vocab::{Resolution, Via};
use crate::domain::ResolveMethod;

/// Similarity reported for a compound of known parts.
pub const COMPOUND_SIMILARITY: f32 = 0.95;

/// Prepositions of the turned-around reading: "<head> inom <modifier>".
const PREPOSITIONS: &[&str] = &["inom", "av", "för", "i", "med", "på"];

/// The shortest word tried as a compound: two parts.
const MIN_WORD: usize = 2 * MIN_PART;
/// The most parts a word is split into, and the most splittings tried per word.
const MAX_PARTS: usize = 5;
const MAX_SPLITS: usize = 8;

/// One part of a word: its byte range, and whether a linking *s* follows it.
#[derive(Clone, Copy, Debug)]
struct Piece {
    start: usize,
    end: usize,
    linked: bool,
}

/// The ways to split `word` into known parts (at most [`MAX_SPLITS`], longest first parts
/// first), each of at least two parts.
fn splits(parts: &Parts, word: &str) -> Vec<Vec<Piece>> {
    let mut out = Vec::new();
    let mut stack = Vec::new();
    split_from(parts, word, 0, &mut stack, &mut out);
    out
}

fn split_from(parts: &Parts, word: &str, at: usize, stack: &mut Vec<Piece>, out: &mut Vec<Vec<Piece>>) {
    if out.len() >= MAX_SPLITS || stack.len() >= MAX_PARTS {
        return;
    }
    let rest = &word[at..];
    if !parts.may_start(rest) {
        return;
    }
    // Candidate ends, longest part first, at char boundaries: parts of at least MIN_PART
    // letters (a later part's length is checked before it is searched).
    let ends = rest.char_indices().map(|(i, c)| i + c.len_utf8()).skip(MIN_PART - 1);
    let ends: Vec<usize> = ends.collect();
    for &len in ends.iter().rev() {
        let piece = &rest[..len];
        if !parts.has(piece) {
            continue;
        }
        let end = at + len;
        if end == word.len() {
            if !stack.is_empty() {
                let mut done = stack.clone();
                done.push(Piece { start: at, end, linked: false });
                out.push(done);
            }
            continue;
        }
        for linked in [false, true] {
            let next = if linked {
                if !word[end..].starts_with('s') {
                    continue;
                }
                end + 1
            } else {
                end
            };
            if word[next..].chars().count() < MIN_PART {
                continue;
            }
            stack.push(Piece { start: at, end, linked });
            split_from(parts, word, next, stack, out);
            stack.pop();
        }
    }
}

impl Taxonomy {
    /// Resolves a normalised key whose last word is a compound of known parts, or `None`.
    pub(crate) fn compound(&self, key: &str) -> Option<Resolution> {
        let (head_words, last) = match key.rsplit_once(' ') {
            Some((before, last)) => (before, last),
            None => ("", key),
        };
        let prefix: Vec<&str> = head_words.split(' ').filter(|w| !w.is_empty()).collect();
        let mut readings: Vec<(u32, Vec<String>)> = Vec::new();
        if !prefix.is_empty() {
            // Words joined by a hyphen ("ITIL-kunskaper") are parts already.
            readings.push((0, key.split(' ').map(str::to_owned).collect()));
        }
        let long = last.chars().count() >= MIN_WORD;
        for pieces in splits(&self.parts, last).into_iter().filter(|_| long) {
            let boundaries = pieces.len() - 1;
            // Every grouping but "all glued", which is the word as written.
            for mask in 1u32..(1 << boundaries) {
                let mut words: Vec<String> = prefix.iter().map(|w| (*w).to_owned()).collect();
                let mut unit = String::new();
                for (b, p) in pieces.iter().enumerate() {
                    unit.push_str(&last[p.start..p.end]);
                    let open = b < boundaries && mask & (1 << b) != 0;
                    if b == boundaries || open {
                        words.push(std::mem::take(&mut unit));
                    } else if p.linked {
                        unit.push('s');
                    }
                }
                readings.push((mask.count_ones(), words));
            }
        }
        // Fewer opened boundaries first; stable, so longer first parts come first within.
        readings.sort_by_key(|(opened, _)| *opened);
        readings.iter().find_map(|(_, words)| self.reading(words))
    }

    /// The first skill one grouping of a compound names: as written, turned around with a
    /// preposition, then the same without a generic head.
    fn reading(&self, words: &[String]) -> Option<Resolution> {
        let head_dropped = match words.split_last() {
            Some((last, rest)) if !rest.is_empty() && HEADS.contains(&last.as_str()) => Some(rest),
            _ => None,
        };
        [Some(words), head_dropped].into_iter().flatten().find_map(|w| self.phrase(w))
    }

    fn phrase(&self, words: &[String]) -> Option<Resolution> {
        if let Some(r) = self.name(&words.join(" ")) {
            return Some(r);
        }
        for j in 1..words.len() {
            let (modifier, head) = words.split_at(j);
            for prep in PREPOSITIONS {
                if let Some(r) = self.name(&format!("{} {prep} {}", head.join(" "), modifier.join(" "))) {
                    return Some(r);
                }
            }
        }
        None
    }

    fn name(&self, key: &str) -> Option<Resolution> {
        let hit = self.lookup_exact(key).or_else(|| self.lookup_folded(key, &fold(key)))?;
        Some(Resolution {
            method: Some(ResolveMethod::Fuzzy),
            via: Via::Compound,
            similarity: COMPOUND_SIMILARITY,
            ..hit
        })
    }
}
