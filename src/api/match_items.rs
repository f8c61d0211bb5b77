//! The items of the matching responses and how the engine's results become them: the
//! per-requirement explanation in words (`matched_by`: the consultant's own text and how it
//! matched), gaps filtered by scope, rounded scores. Shared by the rankings (`matches`) and the
//! pair scores (`pair`).

use std::borrow::Cow;
use std::sync::Arc;

use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::decisions::DecisionSummary;
use super::dto::Breakdown;
use crate::domain::{Components, Weights};
use crate::matching::{Explanation, Gap, Kind, Relation, ScoredMatch};
use crate::service::engine::{Card, EngineState};
use crate::store::Decision;
use crate::taxonomy::{Taxonomy, Via};

/// How one requirement was met.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ExplanationItem<'a> {
    /// The requirement as the assignment states it ("ITIL", "Swedish (sv) C1", …).
    #[schema(value_type = String, example = "ITIL")]
    pub requirement: std::sync::Arc<str>,
    /// `must_have`, `can_have`, `quality`, `language`, `clearance`, `citizenship`,
    /// `experience`, `availability`, `location` (items come in this order).
    #[schema(example = "can_have")]
    pub kind: &'static str,
    /// `met`, `partial` or `missing`; `to_assess` for a personal quality the assignment does
    /// not weight: to assess in interview, 0 points.
    #[schema(example = "met")]
    pub status: &'static str,
    /// The consultant's own skill text and how it reached the requirement: "ITIL v4 (alias)",
    /// "Agil projektledning (Swedish label)", "Scrum Master (English label, narrower skill)",
    /// "IT-infrastrukturprojektledning (compound of known parts, implied by IT infrastructure
    /// project management)".
    #[schema(value_type = Option<String>, example = "Agil projektledning (Swedish label)")]
    pub matched_by: Option<MatchedBy<'a>>,
    /// When the profile meets the requirement through a skill that implies it (general
    /// knowledge a specific competency rests on): that skill's canonical label.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "IT infrastructure project management")]
    pub implied_by: Option<String>,
    /// Points this item adds to the score; all items' points add up to `score`.
    #[schema(example = 6.2)]
    pub points: f64,
}

/// One ranked consultant.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ConsultantMatch<'a> {
    /// The consultant.
    pub consultant_id: Uuid,
    /// The ATS's id.
    #[schema(value_type = Option<String>)]
    pub external_id: Option<&'a str>,
    /// Full name.
    #[schema(value_type = String)]
    pub name: &'a str,
    /// 0–100.
    #[schema(example = 87.4)]
    pub score: f64,
    /// False when a must-have, required language, clearance or citizenship condition is unmet.
    pub eligible: bool,
    /// Per-component values.
    pub breakdown: Breakdown,
    /// Per requirement (empty when the call asked `explain=false`).
    pub explanation: Vec<ExplanationItem<'a>>,
    /// What is missing, in plain words (empty when the call asked `explain=false`).
    #[schema(example = json!(["no Swedish (sv) at C1 or above (has B2)"]))]
    pub gaps: Vec<String>,
    /// The latest decision recorded about this consultant for this assignment
    /// (`POST /assignments/{id}/decisions`); null when none (always for `POST /matches`).
    pub decision: Option<DecisionSummary>,
}

/// Consultants ranked for an assignment.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ConsultantMatches<'a> {
    /// The stored assignment; null for `POST /matches`.
    pub assignment_id: Option<Uuid>,
    /// How many consultants are eligible (all pages).
    pub total_eligible: usize,
    /// How many results are listed under these options (all pages).
    pub total: usize,
    /// The scoring rules' version.
    pub score_version: u32,
    /// The normalised weights used.
    pub weights: super::dto::Weights,
    /// Whether the items carry their explanation and gaps (false when the call asked
    /// `explain=false`).
    pub explained: bool,
    /// This page, best first; ties by id.
    pub items: Vec<ConsultantMatch<'a>>,
}

/// One ranked assignment.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AssignmentMatch<'a> {
    /// The assignment.
    pub assignment_id: Uuid,
    /// The ATS's id.
    pub external_id: Option<String>,
    /// Title.
    pub title: String,
    /// 0–100.
    pub score: f64,
    /// See `ConsultantMatch.eligible`.
    pub eligible: bool,
    /// Per-component values.
    pub breakdown: Breakdown,
    /// Per requirement (empty when the call asked `explain=false`).
    pub explanation: Vec<ExplanationItem<'a>>,
    /// What is missing (empty when the call asked `explain=false`).
    pub gaps: Vec<String>,
    /// The normalised weights this assignment was scored with.
    pub weights: super::dto::Weights,
    /// The latest decision recorded about the consultant for this assignment; null when none.
    pub decision: Option<DecisionSummary>,
}

/// Open assignments ranked for a consultant.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AssignmentMatches<'a> {
    /// The consultant.
    pub consultant_id: Uuid,
    /// How many open assignments the consultant is eligible for.
    pub total_eligible: usize,
    /// How many results are listed under these options (all pages).
    pub total: usize,
    /// The scoring rules' version.
    pub score_version: u32,
    /// Whether the items carry their explanation and gaps (false when the call asked
    /// `explain=false`).
    pub explained: bool,
    /// This page, best first.
    pub items: Vec<AssignmentMatch<'a>>,
}

/// Renders the engine's explanation. `matched_by` names the consultant's own text and how
/// it reached the requirement: which name of the skill it is ("Swedish label", "alias",
/// "near-miss spelling", "same text" for free text) and whether through a narrower or
/// broader skill.
fn explanation<'a>(
    t: &Taxonomy,
    explanation: Vec<Explanation>,
    skills: &'a [Arc<str>],
    vias: &[Via],
    sensitive: bool,
) -> Vec<ExplanationItem<'a>> {
    explanation
        .into_iter()
        .filter(|e| shown(e.kind, sensitive))
        .map(|e| {
            // The canonical label of the skill that implied the requirement (rare: a string then).
            let implied_by = match (e.relation, e.skill_key) {
                (Some(Relation::Implied), Some(k)) => t.skill(k).map(|s| s.label_en.clone()),
                _ => None,
            };
            let matched_by =
                e.consultant_skill.and_then(|i| Some((skills.get(i)?, vias.get(i)?))).map(|(text, via)| {
                    let via = match e.resolved {
                        None => "same text",
                        Some(_) => via.describe(),
                    };
                    let relation = match (e.relation, &implied_by) {
                        (Some(Relation::Narrower), _) => Cow::Borrowed(", narrower skill"),
                        (Some(Relation::Broader), _) => Cow::Borrowed(", broader skill, partial credit"),
                        (Some(Relation::Implied), Some(label)) => Cow::Owned(format!(", implied by {label}")),
                        _ => Cow::Borrowed(""),
                    };
                    MatchedBy { text, via, relation }
                });
            ExplanationItem {
                requirement: e.requirement,
                kind: e.kind.as_str(),
                status: e.status.as_str(),
                matched_by,
                implied_by,
                points: round(e.points),
            }
        })
        .collect()
}

/// A `matched_by` text, `ITIL v4 (alias, narrower skill)`: the consultant's own skill text
/// (borrowed from the card) and two fixed phrases, written straight into the response. This
/// runs for every item of every result (~200 a page): built as strings, they were ~200
/// allocations and copies a request, and through `format!` ~8% of it. Holding the card's
/// shared text instead (an `Arc` clone per item) put a contended atomic increment on each:
/// ~5% of the server's samples at 4 connections (`perf`). So the page is written while the
/// card is borrowed (`docs/PERFORMANCE.md`).
#[derive(Debug, Clone)]
pub struct MatchedBy<'a> {
    text: &'a str,
    via: &'static str,
    /// A fixed phrase, or for a requirement met through implication "…, implied by <label>".
    relation: Cow<'static, str>,
}

impl std::fmt::Display for MatchedBy<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for part in [self.text, " (", self.via, &self.relation, ")"] {
            f.write_str(part)?;
        }
        Ok(())
    }
}

impl Serialize for MatchedBy<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Gaps as the caller may see them. Without the `sensitive` scope no clearance or
/// citizenship condition is named in any form (neither what is required nor what the
/// consultant holds): every such unmet gate becomes one
/// [`HIDDEN_CONDITION_UNMET`](super::sensitive::HIDDEN_CONDITION_UNMET). Eligibility still applies.
fn gaps(gaps: Vec<Gap>, sensitive: bool) -> Vec<String> {
    let mut hidden = false;
    let mut out: Vec<String> = gaps
        .into_iter()
        .filter_map(|g| match g.kind {
            Kind::Clearance | Kind::Citizenship if !sensitive => {
                hidden = true;
                None
            }
            _ => Some(g.text),
        })
        .collect();
    if hidden {
        out.push(super::sensitive::HIDDEN_CONDITION_UNMET.to_string());
    }
    out
}

/// Whether an explanation item may be shown: clearance and citizenship items only to keys
/// with the `sensitive` scope (they carry no points, so the items still add up to the score).
fn shown(kind: Kind, sensitive: bool) -> bool {
    sensitive || !matches!(kind, Kind::Clearance | Kind::Citizenship)
}

fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

fn breakdown(m: &ScoredMatch) -> Breakdown {
    Breakdown(Components::from_array(m.breakdown.as_array().map(round)))
}

/// What the caller sees of an item: sensitive conditions (the scope), and the explanation
/// and gaps (`explain`, default true).
#[derive(Debug, Clone, Copy)]
pub(super) struct Seen {
    /// The key has the `sensitive` scope.
    pub sensitive: bool,
    /// The explanation and gaps are written (`explain=false` leaves them empty).
    pub explain: bool,
}

impl Seen {
    /// Everything the key may see, explanation included.
    pub fn explained(sensitive: bool) -> Seen {
        Seen { sensitive, explain: true }
    }
}

pub(super) fn consultant_item<'a>(
    t: &Taxonomy,
    card: Option<&'a Card>,
    m: ScoredMatch,
    seen: Seen,
    decision: Option<&Decision>,
) -> ConsultantMatch<'a> {
    let Seen { sensitive, explain } = seen;
    ConsultantMatch {
        consultant_id: m.id,
        external_id: card.and_then(|c| c.external_id.as_deref()),
        name: card.map_or("", |c| c.name.as_str()),
        score: round(m.score),
        eligible: m.eligible,
        breakdown: breakdown(&m),
        explanation: match card {
            Some(c) if explain => explanation(t, m.explanation, &c.skills, c.vias(t), sensitive),
            _ => Vec::new(),
        },
        gaps: if explain { gaps(m.gaps, sensitive) } else { Vec::new() },
        decision: decision.map(DecisionSummary::from),
    }
}

/// One assignment scored for the consultant of `card`, as the reverse ranking lists it.
pub(super) fn assignment_item<'a>(
    t: &Taxonomy,
    e: &EngineState,
    card: &'a Card,
    m: ScoredMatch,
    weights: Weights,
    seen: Seen,
    decision: Option<&Decision>,
) -> AssignmentMatch<'a> {
    let Seen { sensitive, explain } = seen;
    let a = e.assignments.get(&m.id).map(|a| &a.record.data);
    AssignmentMatch {
        assignment_id: m.id,
        external_id: a.and_then(|a| a.source.as_ref()).map(|s| s.external_id.clone()),
        title: a.map(|a| a.title.clone()).unwrap_or_default(),
        score: round(m.score),
        eligible: m.eligible,
        breakdown: breakdown(&m),
        explanation: if explain {
            explanation(t, m.explanation, &card.skills, card.vias(t), sensitive)
        } else {
            Vec::new()
        },
        weights: weights.into(),
        gaps: if explain { gaps(m.gaps, sensitive) } else { Vec::new() },
        decision: decision.map(DecisionSummary::from),
    }
}
#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// Written straight into the response, `matched_by` is the same JSON string as the joined
    /// text, escapes included.
    #[test]
    fn matched_by_serialises_as_its_joined_text() {
        let m = MatchedBy { text: "C \"sharp\"\n\\ ö", via: "alias", relation: Cow::Borrowed(", narrower skill") };
        let joined = "C \"sharp\"\n\\ ö (alias, narrower skill)";
        assert_eq!(m.to_string(), joined);
        assert_eq!(serde_json::to_string(&m).unwrap(), serde_json::to_string(joined).unwrap());
    }
}
