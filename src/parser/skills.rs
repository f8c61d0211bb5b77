//! Finding skills in a sentence, behind one small trait so the parser does not care where
//! the vocabulary comes from (the taxonomy in production, a fixed list in unit tests).

use std::cell::RefCell;

use super::specific::refined;
use super::text::Tokens;
use crate::taxonomy::{Mention, MentionFinder, Taxonomy};

/// A skill named inside a text.
#[derive(Debug, Clone, PartialEq)]
pub struct FoundSkill<'s> {
    /// Byte offset where the mention starts.
    pub start: usize,
    /// Byte offset just past the mention.
    pub end: usize,
    /// The skill's canonical English label, which the draft names it by.
    pub label: &'s str,
    /// A personal quality (the taxonomy's soft skills): to assess in interview, never a gate.
    pub quality: bool,
    /// How sure the words name the skill: 1.0 for a label or alias, less for a compound or a
    /// near-miss spelling.
    pub similarity: f32,
    /// A specific skill (a tool, product, language or method: under a broader skill, with
    /// no narrower ones):
    /// knowledge of it is a competency ("goda kunskaper i PowerShell"), unlike knowledge of
    /// a broad field ("goda kunskaper i Linux", "understanding of networking").
    pub specific: bool,
    /// A broad field: at the top of the taxonomy (no broader skill) with narrower skills under
    /// it: "IT systems knowledge",
    /// "IT infrastructure". Knowledge of it stays background even when required outright.
    pub field: bool,
}

impl<'s> FoundSkill<'s> {
    /// A competency found by an exact name.
    pub fn exact(start: usize, end: usize, label: &'s str) -> Self {
        FoundSkill { start, end, label, quality: false, similarity: 1.0, specific: false, field: true }
    }
}

/// Something that can find skills in free text.
pub trait SkillSource {
    /// Every skill mentioned in `text`, with byte offsets into `text`.
    fn find_skills<'s>(&'s self, text: &str) -> Vec<FoundSkill<'s>>;

    /// Whether a holder of the skill labelled `have` meets a requirement for the one labelled
    /// `want` through implication or as a narrower skill (labels as in [`FoundSkill`]).
    /// Without relations, never.
    fn meets(&self, _have: &str, _want: &str) -> bool {
        false
    }
}

impl SkillSource for Taxonomy {
    fn find_skills<'s>(&'s self, text: &str) -> Vec<FoundSkill<'s>> {
        found(self, refined(self, text, self.find_in_text(text)))
    }

    fn meets(&self, have: &str, want: &str) -> bool {
        match (self.resolve(have).skill, self.resolve(want).skill) {
            (Some(h), Some(w)) => h != w && Taxonomy::meets(self, h, w),
            _ => false,
        }
    }
}

fn found(taxonomy: &Taxonomy, mentions: Vec<Mention>) -> Vec<FoundSkill<'_>> {
    mentions
        .into_iter()
        .filter_map(|m| {
            let skill = taxonomy.skill(m.skill)?;
            Some(FoundSkill {
                start: m.start,
                end: m.end,
                label: skill.label_en.as_str(),
                quality: skill.is_quality(),
                similarity: m.resolution.similarity,
                specific: taxonomy.descendants(m.skill).is_empty() && !taxonomy.ancestors(m.skill).is_empty(),
                field: taxonomy.ancestors(m.skill).is_empty() && !taxonomy.descendants(m.skill).is_empty(),
            })
        })
        .collect()
}

/// The taxonomy as the skill source of one ad: finds the same skills as the taxonomy
/// itself, through a [`MentionFinder`] that remembers near-miss searches across the ad's
/// sentences. [`super::parse_ad`] parses with it.
#[derive(Debug)]
pub struct AdSkills<'t> {
    taxonomy: &'t Taxonomy,
    finder: RefCell<MentionFinder<'t>>,
}

impl<'t> AdSkills<'t> {
    /// A source for one ad; make a new one per ad.
    pub fn new(taxonomy: &'t Taxonomy) -> Self {
        AdSkills { taxonomy, finder: RefCell::new(MentionFinder::new(taxonomy)) }
    }
}

impl SkillSource for AdSkills<'_> {
    fn find_skills<'s>(&'s self, text: &str) -> Vec<FoundSkill<'s>> {
        // The parser never asks again while an answer is being found, so the borrow cannot
        // fail; were it to, the taxonomy answers without the memory.
        let mentions = match self.finder.try_borrow_mut() {
            Ok(mut finder) => finder.find(text),
            Err(_) => self.taxonomy.find_in_text(text),
        };
        found(self.taxonomy, refined(self.taxonomy, text, mentions))
    }

    fn meets(&self, have: &str, want: &str) -> bool {
        SkillSource::meets(self.taxonomy, have, want)
    }
}

/// A fixed list of `(phrase, label)` pairs matched as whole words, ignoring case: a
/// dependency-free [`SkillSource`] for tests and for callers with a small vocabulary.
#[derive(Debug, Clone, Default)]
pub struct SkillList {
    entries: Vec<(String, String)>,
}

impl SkillList {
    /// Builds a list from `(phrase, canonical label)` pairs. Longer phrases win where two
    /// overlap.
    pub fn new<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut entries: Vec<(String, String)> = pairs
            .into_iter()
            .map(|(p, l)| {
                (Tokens::new(p).toks.iter().map(|t| t.low.as_str()).collect::<Vec<_>>().join(" "), l.to_string())
            })
            .collect();
        entries.retain(|(p, _)| !p.is_empty());
        entries.sort_by_key(|(p, _)| std::cmp::Reverse(p.split(' ').count()));
        SkillList { entries }
    }
}

impl SkillSource for SkillList {
    fn find_skills<'s>(&'s self, text: &str) -> Vec<FoundSkill<'s>> {
        let t = Tokens::new(text);
        let phrases: Vec<&str> = self.entries.iter().map(|(p, _)| p.as_str()).collect();
        t.all_of(&phrases)
            .into_iter()
            .filter_map(|(k, span)| {
                let (start, end) = t.bytes(span);
                self.entries.get(k).map(|(_, label)| FoundSkill::exact(start, end, label.as_str()))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn skill_lists_match_whole_words_longest_first() {
        let list = SkillList::new([
            ("Java", "Java"),
            ("JavaScript", "JavaScript"),
            ("project management", "Project management"),
            ("agile project management", "Agile project management"),
        ]);
        let found = list.find_skills("Agile project management and JavaScript, not Javanese");
        let labels: Vec<&str> = found.iter().map(|f| f.label).collect();
        assert_eq!(labels, ["Agile project management", "JavaScript"]);
        assert_eq!(found[0].start, 0);
        assert_eq!(found[0].end, 24);
    }
}
