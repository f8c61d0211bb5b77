//! The known parts of compounds ([`Parts`]): every word of every name, written and folded,
//! and the generic heads. Built with the taxonomy; `compound.rs` splits words into them.

use std::collections::HashSet;

use super::normalize::fold;

/// Generic heads: a compound ending in one names the skill before it ("Kubernetesmiljöer",
/// "nätverkssäkerhetsarbete", "Javautvecklare").
pub(super) const HEADS: &[&str] = &[
    "arbete",
    "arbetet",
    "arbeten",
    "kunskap",
    "kunskaper",
    "kompetens",
    "erfarenhet",
    "erfarenheter",
    "expertis",
    "kunnande",
    "miljö",
    "miljöer",
    "miljön",
    "frågor",
    "området",
    "specialist",
    "expert",
    "tekniker",
    "utvecklare",
    "utveckling",
    "konsult",
    "ingenjör",
];

/// The shortest part inside a word, in letters (across a hyphen any name counts: "IT-").
pub(super) const MIN_PART: usize = 3;

/// Known parts: every word of every normalised name, in its written and its folded
/// spelling, and the generic heads.
#[derive(Debug, Clone, Default)]
pub(crate) struct Parts {
    words: HashSet<String>,
    /// The first [`MIN_PART`] letters of every part: a word starting otherwise is no
    /// compound, which most words of running text learn from one look-up.
    starts: HashSet<String>,
}

impl Parts {
    /// From the normalised names.
    pub(crate) fn new<'a>(names: impl Iterator<Item = &'a str>) -> Self {
        let mut words = HashSet::new();
        for name in names {
            for w in name.split(' ').filter(|w| w.chars().count() >= 2) {
                words.insert(fold(w));
                words.insert(w.to_owned());
            }
        }
        for h in HEADS {
            words.insert(fold(h));
            words.insert((*h).to_owned());
        }
        let starts = words.iter().filter_map(|w| Some(w[..w.char_indices().nth(MIN_PART)?.0].to_owned())).collect();
        Parts { words, starts }
    }

    pub(super) fn has(&self, w: &str) -> bool {
        self.words.contains(w)
    }

    /// Whether some part starts like `rest` (its first [`MIN_PART`] letters).
    pub(super) fn may_start(&self, rest: &str) -> bool {
        match rest.char_indices().nth(MIN_PART) {
            Some((at, _)) => self.starts.contains(&rest[..at]),
            None => self.words.contains(rest),
        }
    }
}
