//! The taxonomy's vocabulary: skill indices, skills and their definitions, how a name was
//! resolved ([`Via`], [`Resolution`], with `domain::ResolveMethod`), mentions in text, and what a name in the
//! lookup maps points at. Depends on nothing else in the taxonomy.

use crate::domain::ResolveMethod;

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
    /// How it was resolved: exact label, alias, or fuzzy (diacritics folded, a compound, a
    /// near miss); `None` when it was not. The one enum for this from the taxonomy to the wire.
    pub method: Option<ResolveMethod>,
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
        Resolution { skill: None, method: None, via: Via::Unresolved, similarity: 0.0, matched: None }
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

/// What a normalised label or alias points at.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct NameEntry {
    /// The skill.
    pub idx: SkillIdx,
    /// English label, Swedish label or alias.
    pub via: Via,
    /// The name as written in the data.
    pub surface: String,
}

/// A folded key's skill, or `None` when two skills fold to the same spelling.
pub(crate) type FoldedEntry = Option<NameEntry>;
