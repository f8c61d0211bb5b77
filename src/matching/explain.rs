//! Engine outputs: a scored match with its per-component [`Breakdown`], the per-requirement
//! [`Explanation`] whose points add up to the score, and plain-word gaps.

use std::sync::Arc;

use uuid::Uuid;

use super::vector::SkillKey;
use crate::domain::LanguageCode;
use crate::domain::ResolveMethod;

/// The version of the scoring rules; bumped whenever a score for the same data could change.
pub const SCORE_VERSION: u32 = 2;

/// Each component's value, 0–1, before weighting: must-haves beyond their minimum and
/// can-have coverage (1 when none are asked), languages beyond their minimum (1 when none are
/// asked), experience against the minimum (1 when none is asked), start date and capacity
/// against the window and extent, place and work mode.
pub type Breakdown = crate::domain::Components<f64>;

/// What an explanation item is about; explanations list their items in this order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A must-have skill.
    MustHave,
    /// A can-have skill.
    CanHave,
    /// A personal quality: to assess in an interview, or scored like a can-have when weighted.
    Quality,
    /// A language.
    Language,
    /// The clearance level.
    Clearance,
    /// The citizenship condition.
    Citizenship,
    /// Total experience.
    Experience,
    /// Start date or capacity.
    Availability,
    /// Place and work mode.
    Location,
}

impl Kind {
    /// The wire spelling (snake_case).
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::MustHave => "must_have",
            Kind::CanHave => "can_have",
            Kind::Language => "language",
            Kind::Clearance => "clearance",
            Kind::Citizenship => "citizenship",
            Kind::Experience => "experience",
            Kind::Availability => "availability",
            Kind::Location => "location",
            Kind::Quality => "quality",
        }
    }
}

/// How far a requirement is met.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Status {
    /// Fully met: the item earns all its points.
    Met,
    /// Partly met: some points (a broader skill, too few years, a later start …); for clearance,
    /// accepted only because the consultant is willing to undergo vetting.
    Partial,
    /// Not met.
    Missing,
    /// Not scored: a personal quality to assess in an interview.
    ToAssess,
}

impl Status {
    /// The wire spelling: `met`, `partial`, `missing`, `to_assess`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::Partial => "partial",
            Status::Missing => "missing",
            Status::ToAssess => "to_assess",
        }
    }
}

/// How the consultant's skill relates to the requested one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Relation {
    /// The same skill.
    Same,
    /// A narrower skill of the requested one (full credit).
    Narrower,
    /// A skill that implies the requested one: general knowledge it rests on (full credit,
    /// as a narrower skill).
    Implied,
    /// A broader skill of the requested one (partial credit, can-haves only).
    Broader,
}

impl Relation {
    /// The wire spelling: `same`, `narrower`, `implied`, `broader`.
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::Same => "same",
            Relation::Narrower => "narrower",
            Relation::Implied => "implied",
            Relation::Broader => "broader",
        }
    }
}

/// One requirement's outcome and the points it contributes.
#[derive(Clone, Debug, PartialEq)]
pub struct Explanation {
    /// What the item is about.
    pub kind: Kind,
    /// The requirement in words: a skill label, `Swedish (sv) C1`, `clearance sk3` …; shared
    /// with the query and the other results, so explaining a page copies no text.
    pub requirement: Arc<str>,
    /// Met, partial or missing.
    pub status: Status,
    /// Position in the consultant's skill list of the skill that matched.
    pub consultant_skill: Option<usize>,
    /// How that skill's text was resolved to a canonical skill; `None` for free text (or no
    /// skill of the consultant's).
    pub resolved: Option<ResolveMethod>,
    /// How that skill relates to the requested one.
    pub relation: Option<Relation>,
    /// That skill's key (it names what implied the requirement, for [`Relation::Implied`]).
    pub skill_key: Option<SkillKey>,
    /// Points contributed; the points of all items add up to the score.
    pub points: f64,
}

/// One shortfall in plain words (`Kubernetes: 3 years, needs 5`), with the kind of
/// requirement it is about, so callers can treat some kinds apart (clearance and citizenship
/// details are personal data).
#[derive(Clone, Debug, PartialEq)]
pub struct Gap {
    /// What the shortfall is about.
    pub kind: Kind,
    /// The shortfall in words.
    pub text: String,
}

impl Gap {
    pub(crate) fn new(kind: Kind, text: impl Into<String>) -> Self {
        Gap { kind, text: text.into() }
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl PartialEq<&str> for Gap {
    fn eq(&self, other: &&str) -> bool {
        self.text == *other
    }
}

/// One ranked result.
#[derive(Clone, Debug, PartialEq)]
pub struct ScoredMatch {
    /// The consultant's id (or the assignment's, when ranking assignments for a consultant).
    pub id: Uuid,
    /// 0–100: 100 × Σ weight × component.
    pub score: f64,
    /// Every gate passed: must-haves, required languages, clearance, citizenship.
    pub eligible: bool,
    /// How many must-haves are not met.
    pub missing_must: u32,
    /// Component values before weighting.
    pub breakdown: Breakdown,
    /// Per-requirement outcomes; their points add up to `score`.
    pub explanation: Vec<Explanation>,
    /// Shortfalls in plain words, gate failures first.
    pub gaps: Vec<Gap>,
}

/// One page of a ranking.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct MatchPage {
    /// How many eligible results pass `min_score` (all of them, not just this page).
    pub total_eligible: usize,
    /// How many results are listed over all pages (eligible plus any ineligible ones asked for).
    pub total: usize,
    /// The page, best first; ties broken by id ascending.
    pub items: Vec<ScoredMatch>,
}

/// The English name of a language, for explanations (`None` for codes outside the table).
pub fn language_name(code: LanguageCode) -> Option<&'static str> {
    Some(match code.as_str() {
        "sv" => "Swedish",
        "en" => "English",
        "fi" => "Finnish",
        "da" => "Danish",
        "no" => "Norwegian",
        "nb" => "Norwegian Bokmål",
        "nn" => "Norwegian Nynorsk",
        "de" => "German",
        "fr" => "French",
        "es" => "Spanish",
        "it" => "Italian",
        "nl" => "Dutch",
        "pl" => "Polish",
        "pt" => "Portuguese",
        "ru" => "Russian",
        "uk" => "Ukrainian",
        "et" => "Estonian",
        "lv" => "Latvian",
        "lt" => "Lithuanian",
        "is" => "Icelandic",
        "ar" => "Arabic",
        "fa" => "Persian",
        "tr" => "Turkish",
        "zh" => "Chinese",
        "ja" => "Japanese",
        "hi" => "Hindi",
        "se" => "Northern Sami",
        _ => return None,
    })
}

/// A language as shown to people: `Swedish (sv)`, or just the code when it has no name here.
pub fn language_label(code: LanguageCode) -> String {
    match language_name(code) {
        Some(name) => format!("{name} ({code})"),
        None => code.as_str().to_string(),
    }
}

/// Years for people: `5`, `2.5`.
pub(crate) fn years_text(y: f64) -> String {
    let r = (y * 10.0).round() / 10.0;
    if r.fract() == 0.0 { format!("{r:.0}") } else { format!("{r:.1}") }
}
