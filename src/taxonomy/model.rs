//! The [`Taxonomy`]: the skills and the lookup maps built from them, with its basic queries
//! (skills, relations, [`Taxonomy::meets`]). Built by `data.rs`; name resolution, search
//! and finding skills in text are `impl Taxonomy` blocks in their own files.

use std::collections::HashMap;

use super::near::FuzzyIndex;
use super::parts::Parts;
use super::prefixes::NamePrefixes;
use super::vocab::{FoldedEntry, NameEntry, Skill, SkillDef, SkillIdx};

/// The taxonomy: skills plus the lookup maps built from them. Cheap to query, immutable
/// except through [`Taxonomy::add_skill`] and [`Taxonomy::add_alias`], which validate like
/// the data loader does and rebuild the maps.
#[derive(Debug, Clone)]
pub struct Taxonomy {
    /// The definitions the taxonomy was built from, in index order.
    pub(super) defs: Vec<SkillDef>,
    /// Where each definition came from ("cloud.toml", "runtime"), for error messages.
    pub(super) origins: Vec<String>,
    pub(super) skills: Vec<Skill>,
    pub(super) by_id: HashMap<String, SkillIdx>,
    /// Normalised label or alias → skill.
    pub(super) names: HashMap<String, NameEntry>,
    /// Folded (diacritics removed) label or alias → skill, when unambiguous.
    pub(super) folded: HashMap<String, FoldedEntry>,
    pub(super) fuzzy: FuzzyIndex,
    pub(super) ancestors: Vec<Vec<SkillIdx>>,
    pub(super) descendants: Vec<Vec<SkillIdx>>,
    pub(super) implied_by: Vec<Vec<SkillIdx>>,
    /// The most words in any normalised label or alias (bounds n-grams in text).
    pub(super) max_words: usize,
    /// Leading words of every name, exact and folded (prunes n-grams in text).
    pub(super) prefixes: NamePrefixes,
    /// Every word of every name, and generic heads: the parts of compounds.
    pub(super) parts: Parts,
}

impl Taxonomy {
    /// Number of canonical skills.
    pub fn len(&self) -> usize {
        self.skills.len()
    }

    /// True when the taxonomy holds no skills.
    pub fn is_empty(&self) -> bool {
        self.skills.is_empty()
    }

    /// The skill at `idx`, if any.
    pub fn skill(&self, idx: SkillIdx) -> Option<&Skill> {
        self.skills.get(idx as usize)
    }

    /// All skills, in index order.
    pub fn skills(&self) -> &[Skill] {
        &self.skills
    }

    /// The index of the skill with this id.
    pub fn index_of(&self, id: &str) -> Option<SkillIdx> {
        self.by_id.get(id).copied()
    }

    /// Transitive broader skills of `idx`, excluding itself, sorted. Empty for an unknown index.
    pub fn ancestors(&self, idx: SkillIdx) -> &[SkillIdx] {
        self.ancestors.get(idx as usize).map_or(&[], Vec::as_slice)
    }

    /// Transitive narrower skills of `idx`, excluding itself, sorted. Empty for an unknown index.
    pub fn descendants(&self, idx: SkillIdx) -> &[SkillIdx] {
        self.descendants.get(idx as usize).map_or(&[], Vec::as_slice)
    }

    /// The skills that imply `idx`, directly or through a chain of implications and broader
    /// skills, excluding `idx` itself and its narrower skills, sorted. Such a skill meets a
    /// requirement for `idx` ("IT infrastructure project management" meets "IT
    /// infrastructure"). Empty for an unknown index.
    pub fn implied_by(&self, idx: SkillIdx) -> &[SkillIdx] {
        self.implied_by.get(idx as usize).map_or(&[], Vec::as_slice)
    }

    /// Whether a holder of `have` meets a requirement for `want`: the same skill, a narrower
    /// one, or one that implies it.
    pub fn meets(&self, have: SkillIdx, want: SkillIdx) -> bool {
        have == want
            || self.ancestors(have).binary_search(&want).is_ok()
            || self.implied_by(want).binary_search(&have).is_ok()
    }
}
