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
//! 2. an alias or abbreviation, also with its short forms written out or glued ("Proj.
//!    Mgmt" → project management, "Sys admin" → system administration, "Azure Dev Ops" →
//!    Azure DevOps; `abbrev.rs`), exact names only;
//! 3. the same spelling without diacritics ("Natverk" → Nätverk), reported as
//!    `ResolveMethod::Fuzzy` via [`Via::Folded`] with similarity 1.0, because the letters are the
//!    same and only the accents differ;
//! 4. a Swedish compound of known parts ("Scrumledare", "IT-infrastrukturprojektledning",
//!    "nätverkssäkerhetsarbete"), reported as `ResolveMethod::Fuzzy` via [`Via::Compound`]
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
//! Anything else resolves to no method (`None`): the caller keeps it as a free-text skill keyed by
//! [`normalize`]. All lookup maps are built once at construction, so resolution is a few
//! hash lookups plus, for unknown names only, a scan of bit-mask sketches of the names of
//! similar length and an edit distance for the handful the sketches do not rule out.
//!
//! This module is pure: it imports no web framework, database or async runtime (the layer
//! rule CI checks by grepping for those crates' names), and it is the only home of `strsim`
//! in the crate.

mod abbrev;
mod compound;
mod data;
mod error;
mod implies;
mod model;
mod near;
mod normalize;
mod parts;
mod prefixes;
mod resolve;
mod search;
mod text;
mod vocab;

#[cfg(test)]
mod tests_abbrev;
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

pub(crate) use abbrev::is_cut_short;
pub use compound::COMPOUND_SIMILARITY;
pub use error::TaxonomyError;
pub use model::Taxonomy;
pub use normalize::{fold, normalize};
pub use text::MentionFinder;
pub use vocab::{Mention, QUALITY_CATEGORY, Resolution, Skill, SkillDef, SkillIdx, Via};
