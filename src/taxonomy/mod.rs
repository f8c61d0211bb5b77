//! The bilingual (Swedish/English) skill taxonomy: canonical skills with labels in both
//! languages, aliases and abbreviations, a category, and broader/narrower/related relations.
//!
//! The data lives in `data/skills/*.toml` and is compiled into the binary
//! ([`Taxonomy::builtin`]); nothing is read from disk at run time. Skills are addressed by a
//! dense [`SkillIdx`] (`0..len()`, in load order) and by a stable string id; persist ids,
//! never indices, because indices shift when the data changes.
//!
//! Resolving a name ([`Taxonomy::resolve`]) tries, in order:
//! 1. the exact label in either language, after [`normalize`];
//! 2. an alias or abbreviation;
//! 3. the same spelling without diacritics ("Natverk" → Nätverk), reported as
//!    [`Method::Fuzzy`] via [`Via::Folded`] with similarity 1.0, because the letters are the
//!    same and only the accents differ;
//! 4. a Swedish compound of known parts ("Scrumledare", "IT-infrastrukturprojektledning",
//!    "nätverkssäkerhetsarbete"), reported as [`Method::Fuzzy`] via [`Via::Compound`]
//!    (`compound.rs`);
//! 5. a near-miss spelling (optimal-string-alignment edit distance from `strsim`) under a
//!    limit that shrinks with the length of the name: names shorter than six letters are
//!    never fuzzed, digits must agree exactly, and a tie between two skills is no match.
//!
//! Relations: `broader` (what a skill is: Scrum is an agile method) and `implies` (what a
//! skill rests on: IT infrastructure project management implies IT infrastructure; see
//! `implies.rs`). A requirement is met by the same skill, a narrower one, or one that
//! implies it ([`Taxonomy::meets`]).
//!
//! Anything else is [`Method::None`]: the caller keeps it as a free-text skill keyed by
//! [`normalize`]. All lookup maps are built once at construction, so resolution is a few
//! hash lookups plus, for unknown names only, a scan of bit-mask sketches of the names of
//! similar length and an edit distance for the handful the sketches do not rule out.
//!
//! This module is pure: it imports no web framework, database or async runtime (the layer
//! rule CI checks by grepping for those crates' names), and it is the only home of `strsim`
//! in the crate.

mod compound;
mod data;
mod error;
mod implies;
mod near;
mod normalize;
mod resolve;
mod search;
mod text;

#[cfg(test)]
mod tests_data;
#[cfg(test)]
mod tests_implies;
#[cfg(test)]
mod tests_lookalikes;
#[cfg(test)]
mod tests_resolve;
#[cfg(test)]
mod tests_text;

use std::collections::HashMap;

pub use compound::COMPOUND_SIMILARITY;
pub use error::TaxonomyError;
pub use normalize::{fold, normalize};
pub use text::MentionFinder;

use near::FuzzyIndex;
use resolve::{FoldedEntry, NameEntry};

/// Dense index of a canonical skill, `0..Taxonomy::len()`.
pub type SkillIdx = u32;

/// A canonical skill, with its relations as dense indices.
#[derive(Debug, Clone)]
pub struct Skill {
    /// Stable slug, `[a-z0-9-]`, e.g. `"it-infrastructure-project-management"`.
    pub id: String,
    /// English label.
    pub label_en: String,
    /// Swedish label.
    pub label_sv: String,
    /// Category (by default the data file's name, e.g. `"cloud"`).
    pub category: String,
    /// Aliases and abbreviations in both languages, as written in the data.
    pub aliases: Vec<String>,
    /// Direct broader skills (Scrum → agile methods).
    pub broader: Vec<SkillIdx>,
    /// Direct narrower skills: the inverse of `broader`, sorted.
    pub narrower: Vec<SkillIdx>,
    /// Related skills (symmetric, sorted), no hierarchy implied.
    pub related: Vec<SkillIdx>,
    /// The general knowledge this skill directly implies, sorted (see [`Taxonomy::implied_by`]).
    pub implies: Vec<SkillIdx>,
}

/// The category of personal qualities (communication, pedagogy, teamwork …): they are
/// assessed in an interview, not gated on, unless a recruiter makes one a must-have.
pub const QUALITY_CATEGORY: &str = "soft-skills";

impl Skill {
    /// Whether the skill is a personal quality ([`QUALITY_CATEGORY`]).
    pub fn is_quality(&self) -> bool {
        self.category == QUALITY_CATEGORY
    }
}

/// How a name was resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Exact label, in either language, after normalisation.
    Exact,
    /// A listed alias or abbreviation.
    Alias,
    /// Same spelling without diacritics, or a near-miss spelling.
    Fuzzy,
    /// Not resolved.
    None,
}

impl Method {
    /// The wire spelling: `"exact"`, `"alias"`, `"fuzzy"` or `"none"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Exact => "exact",
            Method::Alias => "alias",
            Method::Fuzzy => "fuzzy",
            Method::None => "none",
        }
    }
}

/// Which name of the skill a resolution went through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// The English label.
    LabelEn,
    /// The Swedish label.
    LabelSv,
    /// An alias or abbreviation.
    Alias,
    /// A label or alias spelled without its diacritics.
    Folded,
    /// A near-miss spelling of a label or alias.
    NearMiss,
    /// A Swedish compound of known parts ("Scrumledare", "IT-infrastrukturprojektledning").
    Compound,
    /// Nothing matched.
    Unresolved,
}

impl Via {
    /// A phrase for explanations: "English label", "Swedish label", "alias",
    /// "spelling without diacritics", "near-miss spelling", "compound of known parts",
    /// "not in the taxonomy".
    pub fn describe(self) -> &'static str {
        match self {
            Via::LabelEn => "English label",
            Via::LabelSv => "Swedish label",
            Via::Alias => "alias",
            Via::Folded => "spelling without diacritics",
            Via::NearMiss => "near-miss spelling",
            Via::Compound => "compound of known parts",
            Via::Unresolved => "not in the taxonomy",
        }
    }
}

/// The outcome of resolving one name.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolution {
    /// The canonical skill, or `None` for a free-text skill.
    pub skill: Option<SkillIdx>,
    /// How it was resolved.
    pub method: Method,
    /// Which name of the skill it went through.
    pub via: Via,
    /// 1.0 for exact, alias and diacritics-folded matches; `1 - edits / longer length`
    /// for a near miss; 0.0 when unresolved.
    pub similarity: f32,
    /// The label or alias, as written in the data, that the name hit.
    pub matched: Option<String>,
}

impl Resolution {
    /// The resolution of a name that is not in the taxonomy.
    pub fn unresolved() -> Self {
        Resolution { skill: None, method: Method::None, via: Via::Unresolved, similarity: 0.0, matched: None }
    }
}

/// A skill named inside a longer text.
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    /// Byte offset of the first byte of the mention in the text.
    pub start: usize,
    /// Byte offset one past the mention's last byte.
    pub end: usize,
    /// The skill named.
    pub skill: SkillIdx,
    /// How the words were resolved.
    pub resolution: Resolution,
}

/// A skill as written in the data or added at run time: relations by id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SkillDef {
    /// Stable slug, `[a-z0-9-]`.
    pub id: String,
    /// English label.
    pub label_en: String,
    /// Swedish label.
    pub label_sv: String,
    /// Category, e.g. `"cloud"`.
    pub category: String,
    /// Aliases and abbreviations, either language.
    pub aliases: Vec<String>,
    /// Ids of the direct broader skills.
    pub broader: Vec<String>,
    /// Ids of related skills.
    pub related: Vec<String>,
    /// Ids of the general skills this one implies.
    pub implies: Vec<String>,
}

/// The taxonomy: skills plus the lookup maps built from them. Cheap to query, immutable
/// except through [`Taxonomy::add_skill`] and [`Taxonomy::add_alias`], which validate like
/// the data loader does and rebuild the maps.
#[derive(Debug, Clone)]
pub struct Taxonomy {
    /// The definitions the taxonomy was built from, in index order.
    defs: Vec<SkillDef>,
    /// Where each definition came from ("cloud.toml", "runtime"), for error messages.
    origins: Vec<String>,
    skills: Vec<Skill>,
    by_id: HashMap<String, SkillIdx>,
    /// Normalised label or alias → skill.
    names: HashMap<String, NameEntry>,
    /// Folded (diacritics removed) label or alias → skill, when unambiguous.
    folded: HashMap<String, FoldedEntry>,
    fuzzy: FuzzyIndex,
    ancestors: Vec<Vec<SkillIdx>>,
    descendants: Vec<Vec<SkillIdx>>,
    implied_by: Vec<Vec<SkillIdx>>,
    /// The most words in any normalised label or alias (bounds n-grams in text).
    max_words: usize,
    /// Leading words of every name, exact and folded (prunes n-grams in text).
    prefixes: text::NamePrefixes,
    /// Every word of every name, and generic heads: the parts of compounds.
    parts: compound::Parts,
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

    /// Adds a skill at run time, validated exactly like the data files. Returns its index
    /// (always the next free one, so existing indices stay valid).
    pub fn add_skill(&mut self, def: SkillDef) -> Result<SkillIdx, TaxonomyError> {
        let mut defs = self.defs.clone();
        let mut origins = self.origins.clone();
        defs.push(def);
        origins.push("runtime".to_owned());
        *self = data::build(defs, origins)?;
        Ok(self.skills.len() as SkillIdx - 1)
    }

    /// Adds an alias to the skill at `idx`. Fails if the index is unknown or the alias
    /// (after normalisation) already names another skill; adding a name the skill already
    /// has is a no-op.
    pub fn add_alias(&mut self, idx: SkillIdx, alias: &str) -> Result<(), TaxonomyError> {
        if self.skill(idx).is_none() {
            return Err(TaxonomyError::UnknownIndex { idx });
        }
        let key = normalize(alias);
        if self.names.get(&key).is_some_and(|e| e.idx == idx) {
            return Ok(());
        }
        let mut defs = self.defs.clone();
        defs[idx as usize].aliases.push(alias.to_owned());
        *self = data::build(defs, self.origins.clone())?;
        Ok(())
    }
}
