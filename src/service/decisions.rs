//! Recruiters' decisions: recording one (with the override rule and its `decision.created`
//! event in the same transaction) and where the engine stood when it was made.
//!
//! The override rule: a `reason` is required when a recruiter rejects a consultant the engine
//! ranks in the top [`OVERRIDE_TOP`] for the assignment, or shortlists one it does not list
//! (not eligible). The check scores the pair now, with the assignment's own weights, exactly
//! as `GET /assignments/{id}/matches/{consultant_id}` does; every decision records that
//! standing (`eligible`, `engine_rank`) and whether it overrode the engine.

use chrono::Utc;
use serde_json::Value;
use uuid::Uuid;

use super::AppState;
use super::rankings::{PairStanding, RankError};
use crate::domain::DecisionInput;
use crate::domain::decision::OVERRIDE_TOP;
use crate::store::{Consultants, Decision, OutboxEvent, StoreError};
use crate::webhooks::{Event, payload};

/// Why a decision was not recorded.
#[derive(Debug, thiserror::Error)]
pub enum DecisionError {
    /// No stored assignment with this id.
    #[error("no assignment with id {0}")]
    NoAssignment(Uuid),
    /// No stored consultant with this id.
    #[error("no consultant with id {0}")]
    NoConsultant(Uuid),
    /// The decision overrides the engine and gives no reason.
    #[error("a reason is required")]
    ReasonRequired {
        /// Whether the engine finds the consultant eligible.
        eligible: bool,
        /// Where the engine ranks the consultant (`None`: not listed).
        rank: Option<usize>,
    },
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The standing could not be worked out.
    #[error("the pair could not be scored: {0}")]
    Scoring(String),
}

impl AppState {
    /// Records `input` about a consultant for assignment `assignment_id`, made by API key
    /// `created_by`; `render` gives the decision as the API shows it (the event's `data`).
    pub async fn record_decision(
        &self,
        assignment_id: Uuid,
        input: DecisionInput,
        created_by: Option<String>,
        render: impl Fn(&Decision) -> Value,
    ) -> Result<Decision, DecisionError> {
        let consultant_id = input.consultant_id;
        let rec = match self.store.get::<Consultants>(consultant_id).await {
            Ok(rec) => rec,
            Err(StoreError::NotFound) => return Err(DecisionError::NoConsultant(consultant_id)),
            Err(e) => return Err(e.into()),
        };
        let today = Utc::now().date_naive();
        let same = Ok::<_, std::convert::Infallible>;
        let standing = |_: &crate::taxonomy::Taxonomy, p: PairStanding| (p.scored.eligible, p.rank);
        // The override check scores the pair: recorded in the audit like every score.
        let asked = super::audit::Asked::new("POST /assignments/{id}/decisions", [None; 6]);
        let (eligible, rank) = self
            .score_for_assignment(&asked, assignment_id, consultant_id, &rec.data, today, same, standing)
            .await
            .map_err(|e| match e {
                RankError::NoAssignment(id) => DecisionError::NoAssignment(id),
                RankError::Store(e) | RankError::Audit(e) => DecisionError::Store(e),
                other => DecisionError::Scoring(other.to_string()),
            })?
            .value;
        let overrides = input.overrides(eligible, rank);
        if overrides && input.reason.is_none() {
            return Err(DecisionError::ReasonRequired { eligible, rank });
        }
        let d = Decision {
            id: Uuid::now_v7(),
            assignment_id,
            consultant_id,
            decision: input.decision,
            reason: input.reason,
            audit_id: input.audit_id,
            eligible,
            engine_rank: rank.map(|r| u32::try_from(r).unwrap_or(u32::MAX)),
            overrides,
            created_by,
            created_at: Utc::now(),
        };
        let event = self.decision_event(&d, &render).await?;
        self.store.insert_decision(&d, event.as_ref()).await?;
        self.decided.record(d.clone());
        Ok(d)
    }

    /// The `decision.created` outbox event for `d`, when some subscription wants it.
    async fn decision_event(
        &self,
        d: &Decision,
        render: &impl Fn(&Decision) -> Value,
    ) -> Result<Option<OutboxEvent>, StoreError> {
        const TYPE: &str = "decision.created";
        let hooks = self.hooks.get(&self.store).await?;
        let wanted: Vec<Uuid> = hooks.iter().filter(|w| w.wants(TYPE, None)).map(|w| w.id).collect();
        if wanted.is_empty() {
            return Ok(None);
        }
        let id = Uuid::now_v7();
        let body = payload(id, &Event::DecisionCreated { decision: render(d) }, Utc::now());
        Ok(Some(OutboxEvent { id, event_type: TYPE.to_string(), payload: body, hooks: wanted }))
    }
}

/// Rejecting a consultant the engine ranks this high or higher needs a reason.
pub const OVERRIDE_RANK: usize = OVERRIDE_TOP;

/// A page of decisions and the id to continue after when there are more.
#[derive(Debug, Clone, PartialEq)]
pub struct DecisionList {
    /// The page, oldest first.
    pub items: Vec<Decision>,
    /// The last id of the page when more follow.
    pub next_after: Option<Uuid>,
}

impl AppState {
    /// The decisions about assignment `id`, a page at a time; `NotFound` when there is no
    /// such assignment.
    pub async fn assignment_decisions(
        &self,
        id: Uuid,
        after: Option<Uuid>,
        limit: u64,
    ) -> Result<DecisionList, StoreError> {
        self.store.get::<crate::store::Assignments>(id).await?;
        let (items, next_after) = self.store.decisions_for_assignment(id, after, limit).await?;
        Ok(DecisionList { items, next_after })
    }

    /// The decisions about consultant `id`, a page at a time; `NotFound` when there is no
    /// such consultant.
    pub async fn consultant_decisions(
        &self,
        id: Uuid,
        after: Option<Uuid>,
        limit: u64,
    ) -> Result<DecisionList, StoreError> {
        self.store.get::<Consultants>(id).await?;
        let (items, next_after) = self.store.decisions_for_consultant(id, after, limit).await?;
        Ok(DecisionList { items, next_after })
    }
}
