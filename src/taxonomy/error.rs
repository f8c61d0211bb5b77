//! Errors from loading or extending the taxonomy. Each message names the skills and the
//! file involved so whoever edits the data can fix it without reading code.

use super::SkillIdx;

/// Why skill data (a data file or a run-time addition) was rejected.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TaxonomyError {
    /// A data file is not valid TOML or does not have the expected shape.
    #[error("{file}: cannot read skill data: {message}")]
    Parse {
        /// The data file.
        file: String,
        /// What the TOML parser said.
        message: String,
    },
    /// An id is empty or contains characters other than `a-z`, `0-9` and `-`.
    #[error(
        "{origin}: skill id {id:?} is invalid; use lower-case letters, digits and single hyphens, like \"project-management\""
    )]
    InvalidId {
        /// Where the skill was defined.
        origin: String,
        /// The offending id.
        id: String,
    },
    /// Two skills share an id.
    #[error("skill id {id:?} is defined twice: in {first} and in {second}")]
    DuplicateId {
        /// The id.
        id: String,
        /// Where it was first defined.
        first: String,
        /// Where it was defined again.
        second: String,
    },
    /// A label is missing or normalises to nothing.
    #[error("{origin}: skill {id:?} has no {which} label; every skill needs both label_en and label_sv")]
    MissingLabel {
        /// Where the skill was defined.
        origin: String,
        /// The skill.
        id: String,
        /// "English" or "Swedish".
        which: &'static str,
    },
    /// An alias or the category normalises to nothing.
    #[error("{origin}: skill {id:?} has an empty {what}")]
    EmptyName {
        /// Where the skill was defined.
        origin: String,
        /// The skill.
        id: String,
        /// "alias" or "category".
        what: &'static str,
    },
    /// Two skills share a label or alias after normalisation.
    #[error(
        "the name {name:?} (normalised {key:?}) belongs to both {first:?} and {second:?}; remove it from one of them"
    )]
    DuplicateName {
        /// The name as written on the second skill.
        name: String,
        /// Its normalised form.
        key: String,
        /// The skill that already had it.
        first: String,
        /// The skill that also claims it.
        second: String,
    },
    /// A broader or related id does not exist.
    #[error("{origin}: skill {id:?} lists {target:?} as {relation}, but no skill has that id")]
    UnknownReference {
        /// Where the skill was defined.
        origin: String,
        /// The skill holding the reference.
        id: String,
        /// "broader", "related" or "implies".
        relation: &'static str,
        /// The missing id.
        target: String,
    },
    /// A skill lists itself as broader or related.
    #[error("{origin}: skill {id:?} lists itself as {relation}")]
    SelfReference {
        /// Where the skill was defined.
        origin: String,
        /// The skill.
        id: String,
        /// "broader", "related" or "implies".
        relation: &'static str,
    },
    /// The broader relation loops.
    #[error("broader relations form a cycle: {}; a skill cannot be broader than itself", path.join(" → "))]
    Cycle {
        /// The ids along the cycle, first id repeated at the end.
        path: Vec<String>,
    },
    /// An implication the hierarchy already says, or says the other way round.
    #[error("{origin}: skill {id:?} implies {target:?}, but {why}; remove the implication")]
    Implication {
        /// Where the skill was defined.
        origin: String,
        /// The skill holding the implication.
        id: String,
        /// The implied skill.
        target: String,
        /// Why it is rejected.
        why: &'static str,
    },
    /// A chain of implications (through broader skills, perhaps) leads back to its start.
    #[error("implications form a cycle: {}; a skill cannot imply itself", path.join(" ⇒ "))]
    ImplicationCycle {
        /// The ids along the cycle, first id repeated at the end.
        path: Vec<String>,
    },
    /// A skill index that does not exist.
    #[error("no skill has index {idx}")]
    UnknownIndex {
        /// The index.
        idx: SkillIdx,
    },
}
