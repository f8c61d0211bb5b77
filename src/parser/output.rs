//! What the parser answers: the draft with its evidence, a note per requirement saying
//! why it is where it is, and the lines that yielded nothing.

use std::fmt;

use crate::domain::AssignmentInput;

/// Where in the ad a value of the draft came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    /// JSON path in the draft: `must_have[0]`, `languages[1]`, `clearance.required_level`, `expires_at` …
    pub field: String,
    /// The source line's text (trimmed).
    pub text: String,
    /// 1-based line number.
    pub line: usize,
}

/// The kind of a requirement the parser found (see `kinds`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequirementKind {
    /// A verifiable competency: a gate when stated as a requirement, else a can-have.
    Competency,
    /// Background knowledge ("good understanding of IT systems"): a can-have, never a gate.
    GeneralKnowledge,
    /// A personal quality: listed under `qualities`, to assess in interview.
    Quality,
}

impl RequirementKind {
    /// The wire spelling: `competency`, `general_knowledge`, `quality`.
    pub fn as_str(self) -> &'static str {
        match self {
            RequirementKind::Competency => "competency",
            RequirementKind::GeneralKnowledge => "general_knowledge",
            RequirementKind::Quality => "quality",
        }
    }
}

/// Why one skill of the draft is where it is: for a person reviewing the draft.
#[derive(Debug, Clone, PartialEq)]
pub struct RequirementNote {
    /// Where it is in the draft: `must_have[0]`, `can_have[2]`, `qualities[1]`.
    pub field: String,
    /// The skill's canonical label.
    pub skill: String,
    /// Its kind.
    pub kind: RequirementKind,
    /// 0–1: how sure the parser is of the skill and its kind (the spelling's similarity times
    /// the certainty of the cue); review the lowest first.
    pub confidence: f32,
    /// The line that decided its kind, trimmed.
    pub evidence: String,
    /// 1-based number of that line.
    pub line: usize,
    /// A review hint: "soft skill: moved to qualities, …", "general knowledge: made a
    /// can-have", "competency stated as a requirement: a gate" …
    pub hint: String,
}

/// The result of parsing an ad.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedAd {
    /// The draft; skills are named by their canonical English label.
    pub assignment: AssignmentInput,
    /// One entry per (field, source line).
    pub evidence: Vec<Evidence>,
    /// One note per skill of the draft (must-haves, can-haves, then qualities).
    pub requirements: Vec<RequirementNote>,
    /// Requirement-like lines that yielded nothing.
    pub unrecognized: Vec<String>,
}

/// Why an ad could not be parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParseError {
    /// The text is empty or only whitespace.
    Empty,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseError::Empty => f.write_str("the ad text is empty"),
        }
    }
}

impl std::error::Error for ParseError {}
