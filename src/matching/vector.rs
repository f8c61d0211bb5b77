//! Engine inputs: a consultant as a sparse skill vector plus languages, clearance, place and
//! availability ([`ConsultantVector`]), an assignment as gates and preferences
//! ([`AssignmentQuery`]), and the skill relations the engine consults ([`SkillGraph`]).
//!
//! Pure data: no IO, no web framework, database or async runtime.

use chrono::NaiveDate;
use std::sync::Arc;
use uuid::Uuid;

use crate::domain::{Cefr, ClearanceLevel, ClearanceRequirement, CountryCode, LanguageCode, LanguageRequirement};
use crate::domain::{ResolveMethod, SkillLevel, Weights, WorkMode};

/// A skill as the engine sees it. Keys below [`FREE_TEXT_BASE`] are canonical taxonomy skills;
/// keys from [`FREE_TEXT_BASE`] up are interned free text, which matches only itself.
pub type SkillKey = u32;

/// The first key used for interned free-text skills.
pub const FREE_TEXT_BASE: SkillKey = 1 << 31;

/// Broader/narrower relations between skills, and implication, as transitive closures.
///
/// Every method returns keys sorted ascending, without `k` itself; free-text keys have no
/// relations. The service implements this over the taxonomy.
pub trait SkillGraph {
    /// Every broader skill of `k` (its parents, their parents, …), sorted.
    fn ancestors(&self, k: SkillKey) -> &[SkillKey];
    /// Every narrower skill of `k` (its children, their children, …), sorted.
    fn descendants(&self, k: SkillKey) -> &[SkillKey];
    /// Every skill that implies `k` (the general knowledge it rests on), through chains of
    /// implications and broader skills, without `k`'s narrower skills, sorted. Such a skill
    /// meets a requirement for `k` in full, like a narrower one. None by default.
    fn implied_by(&self, _k: SkillKey) -> &[SkillKey] {
        &[]
    }
}

/// A [`SkillGraph`] without relations: every skill matches only itself.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoRelations;

impl SkillGraph for NoRelations {
    fn ancestors(&self, _k: SkillKey) -> &[SkillKey] {
        &[]
    }
    fn descendants(&self, _k: SkillKey) -> &[SkillKey] {
        &[]
    }
}

/// One skill on a consultant's profile.
#[derive(Clone, Debug, PartialEq)]
pub struct SkillEntry {
    /// The resolved skill.
    pub key: SkillKey,
    /// Years with the skill, if stated. Compared at a resolution of 0.1 years.
    pub years: Option<f32>,
    /// Self-assessed level, if stated.
    pub level: Option<SkillLevel>,
    /// How the consultant's text was resolved to a canonical skill; `None`: it matched none
    /// and is kept as interned free text (reported in explanations).
    pub resolved: Option<ResolveMethod>,
}

/// A consultant in the form the engine ranks.
#[derive(Clone, Debug, PartialEq)]
pub struct ConsultantVector {
    /// The consultant's id.
    pub id: Uuid,
    /// Skills in the consultant's own order; explanations report positions in this list.
    pub skills: Vec<SkillEntry>,
    /// Languages with their CEFR level.
    pub languages: Vec<(LanguageCode, Cefr)>,
    /// Security clearance held.
    pub clearance: ClearanceLevel,
    /// Citizenships held.
    pub citizenships: Vec<CountryCode>,
    /// Whether the consultant is willing to undergo security vetting.
    pub willing_to_undergo: bool,
    /// Home city, already normalised to lower case.
    pub city: Option<String>,
    /// Home country.
    pub country: Option<CountryCode>,
    /// Accepted work modes; empty means no stated preference (treated as flexible).
    pub work_modes: Vec<WorkMode>,
    /// First day available; `None` means not stated.
    pub available_from: Option<NaiveDate>,
    /// Capacity in percent of full time; `None` means not stated.
    pub capacity_percent: Option<u8>,
    /// Total professional experience in years. Compared at a resolution of 0.1 years.
    pub experience_years: Option<f32>,
}

/// A must-have skill: a gate.
#[derive(Clone, Debug, PartialEq)]
pub struct Need {
    /// The skill; the consultant's same key or any narrower key meets it.
    pub key: SkillKey,
    /// The label shown in explanations and gaps (shared: every explained result names it).
    pub label: Arc<str>,
    /// Minimum years with the skill; a consultant skill without stated years fails it.
    pub min_years: Option<f32>,
    /// Minimum level; a consultant skill without a stated level fails it.
    pub min_level: Option<SkillLevel>,
}

/// A can-have skill: adds to the score, never gates.
#[derive(Clone, Debug, PartialEq)]
pub struct Want {
    /// The skill; the same or a narrower key earns full credit, a broader key half.
    pub key: SkillKey,
    /// The label shown in explanations (shared: every explained result names it).
    pub label: Arc<str>,
    /// Relative weight among the can-haves.
    pub weight: f32,
    /// Years that earn full credit.
    pub min_years: Option<f32>,
    /// Level that earns full credit.
    pub min_level: Option<SkillLevel>,
    /// A personal quality the assignment weighted: scored like any can-have, explained as a
    /// quality.
    pub quality: bool,
}

/// A personal quality the assignment lists without a weight: shown in every explanation as
/// "to assess in interview", never scored.
#[derive(Clone, Debug, PartialEq)]
pub struct Quality {
    /// The skill (the profile's same, narrower or implying skill is named in the explanation).
    pub key: SkillKey,
    /// The label shown in explanations.
    pub label: Arc<str>,
}

/// An assignment in the form the engine ranks for.
#[derive(Clone, Debug, PartialEq)]
pub struct AssignmentQuery {
    /// Must-have skills (gates).
    pub must: Vec<Need>,
    /// Can-have skills (weighted merits), weighted qualities among them.
    pub can: Vec<Want>,
    /// Personal qualities without a weight: to assess in an interview, not scored.
    pub qualities: Vec<Quality>,
    /// Languages: required ones gate, optional ones are merits.
    pub languages: Vec<LanguageRequirement>,
    /// Clearance and citizenship gates.
    pub clearance: ClearanceRequirement,
    /// Minimum total experience (a merit, not a gate).
    pub min_experience_years: Option<f32>,
    /// City of the work place, normalised to lower case.
    pub city: Option<String>,
    /// The city as the assignment writes it ("Malmö"), for explanations and gaps; `city`
    /// when absent.
    pub city_label: Option<String>,
    /// Country of the work place.
    pub country: Option<CountryCode>,
    /// How the work is done; `None` is scored like on-site when a place is given.
    pub work_mode: Option<WorkMode>,
    /// First day; `None` means as soon as possible (the reference day).
    pub start_date: Option<NaiveDate>,
    /// Last day, if known.
    pub end_date: Option<NaiveDate>,
    /// Extent in percent of full time.
    pub extent_percent: Option<u8>,
    /// Validated, normalised component weights.
    pub weights: Weights,
}

impl Default for AssignmentQuery {
    fn default() -> Self {
        AssignmentQuery {
            must: Vec::new(),
            can: Vec::new(),
            qualities: Vec::new(),
            languages: Vec::new(),
            clearance: ClearanceRequirement::default(),
            min_experience_years: None,
            city: None,
            city_label: None,
            country: None,
            work_mode: None,
            start_date: None,
            end_date: None,
            extent_percent: None,
            weights: Weights::DEFAULT,
        }
    }
}

/// Paging and filtering of a ranking.
#[derive(Clone, Debug, PartialEq)]
pub struct MatchOptions {
    /// Items per page.
    pub limit: usize,
    /// Items to skip (after sorting).
    pub offset: usize,
    /// Leave out results scoring below this (0–100).
    pub min_score: Option<f64>,
    /// Also list consultants who fail gates (they carry `eligible: false` and their gaps).
    pub include_ineligible: bool,
    /// Near-miss mode: also list those who fail only must-haves, at most this many of them
    /// (they stay `eligible: false`). 0 turns it off.
    pub max_missing: u32,
    /// The reference day for availability (passed in so results are reproducible).
    pub today: NaiveDate,
}

impl MatchOptions {
    /// The defaults of the HTTP contract (limit 20, eligible only) for the given reference day.
    pub fn new(today: NaiveDate) -> Self {
        MatchOptions { limit: 20, offset: 0, min_score: None, include_ineligible: false, max_missing: 0, today }
    }
}
