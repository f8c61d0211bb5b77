//! The read path of rankings: every answer that scores people goes through here. The
//! service takes the locks (taxonomy, then index), builds or looks up the query, applies
//! weight overrides, decides when a ranking is large enough for the blocking pool, ranks,
//! and hands the page to the caller's `render` while the locks are held, so the HTTP layer
//! writes its items borrowing the consultants' texts instead of copying them.
//!
//! Weight overrides come in as a function of the query's own weights (`reweigh`), so that
//! the HTTP layer keeps naming its own parameters in errors and this module knows nothing of
//! them.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDate;
use uuid::Uuid;

use super::AppState;
use super::audit::{Asked, Audited, Scored, page_items, weights_json};
use super::engine::{Card, EngineState, Graph};
use crate::domain::{AssignmentInput, ConsultantInput, DecisionKind, Weights};
use crate::matching::{AssignmentQuery, MatchOptions, MatchPage, ScoredMatch, WhatIf, rank_assignments, what_if};
use crate::store::{Decision, StoreError};
use crate::taxonomy::Taxonomy;

/// The latest decision per consultant (ranking an assignment) or per assignment (ranking a
/// consultant's assignments).
pub type Decisions = HashMap<Uuid, Decision>;

/// Whose decisions a ranking of consultants shows, and whether it leaves out those rejected
/// or placed.
#[derive(Debug, Clone, Copy, Default)]
pub struct Decided {
    /// The stored assignment ranked (`None` for an unsaved one: no decisions).
    pub assignment: Option<Uuid>,
    /// Leave out the consultants whose latest decision is `rejected` or `placed`.
    pub exclude: bool,
}

/// Whether a decision takes the consultant out of a ranking that leaves out the decided.
pub fn settles(d: &Decision) -> bool {
    matches!(d.decision, DecisionKind::Rejected | DecisionKind::Placed)
}

/// Full scans (no must-have to narrow the candidates) over more consultants than this run
/// on the blocking pool, off the async workers.
pub const BLOCKING_SCAN: usize = 20_000;

/// What a renderer may read while the ranking's locks are held.
pub struct View<'a> {
    /// The taxonomy the ranking resolved names with.
    pub taxonomy: &'a Taxonomy,
    /// The match index's state: cards (consultants' texts), assignment entries.
    pub engine: &'a EngineState,
}

/// Why a ranking could not be made.
#[derive(Debug, thiserror::Error)]
pub enum RankError<E> {
    /// No stored assignment with this id.
    #[error("no assignment with id {0}")]
    NoAssignment(Uuid),
    /// The weight overrides were refused.
    #[error("the weight overrides are invalid")]
    Weights(E),
    /// The blocking pool failed (the ranking panicked or the pool is gone).
    #[error("the ranking could not run: {0}")]
    Blocking(String),
    /// The audit record could not be written, so the ranking is not answered.
    #[error("the ranking could not be recorded in the audit")]
    Audit(#[source] StoreError),
    /// The decisions could not be read.
    #[error("the decisions could not be read")]
    Store(#[source] StoreError),
}

/// One pair scored, and where it stands among the eligible.
pub struct PairStanding {
    /// The pair's score, explanation and gaps, as a ranking lists it.
    pub scored: ScoredMatch,
    /// The weights it was scored with (overrides applied).
    pub weights: Weights,
    /// How many are eligible in the list the pair belongs to.
    pub total_eligible: usize,
    /// 1 + how many score strictly higher (ties share a rank); `None` when not ranked.
    pub rank: Option<usize>,
    /// For the consultant's side: whether the assignment is open (only open ones are ranked).
    pub open: bool,
    /// What would make the pair eligible and what would add the most points.
    pub what_if: WhatIf,
    /// The latest decision about the pair, if any.
    pub decision: Option<Decision>,
}

impl AppState {
    /// The query of stored assignment `id`, weights reweighed.
    pub fn assignment_query<E>(
        &self,
        id: Uuid,
        reweigh: impl Fn(Weights) -> Result<Weights, E>,
    ) -> Result<AssignmentQuery, RankError<E>> {
        let query = self.engine.read().assignments.get(&id).map(|a| a.query.clone());
        let mut query = query.ok_or(RankError::NoAssignment(id))?;
        query.weights = reweigh(query.weights).map_err(RankError::Weights)?;
        Ok(query)
    }

    /// The query of an assignment that is not stored, weights reweighed.
    pub fn unsaved_query<E>(
        &self,
        input: &AssignmentInput,
        reweigh: impl Fn(Weights) -> Result<Weights, E>,
    ) -> Result<AssignmentQuery, E> {
        let mut query = {
            let t = self.skills.read();
            self.engine.read().query_unsaved(&t, input)
        };
        query.weights = reweigh(query.weights)?;
        Ok(query)
    }

    /// Ranks the consultants for `query` (stored assignment `decided.assignment`, or an
    /// ad-hoc one) and renders the page, with the latest decision per consultant, under the
    /// locks; a full scan over a large index runs on the blocking pool. With
    /// `decided.exclude`, those whose latest decision is `rejected` or `placed` are left out
    /// of the page and the totals. The ranking is recorded in the audit before it is returned.
    pub async fn rank_consultants<R, E>(
        &self,
        asked: &Asked,
        query: AssignmentQuery,
        options: MatchOptions,
        decided: Decided,
        render: impl FnOnce(View<'_>, MatchPage, &Decisions) -> R + Send + 'static,
    ) -> Result<Audited<R>, RankError<E>>
    where
        R: Send + 'static,
    {
        let assignment_id = decided.assignment;
        let decisions = match assignment_id {
            Some(id) => self.decided.for_assignment(id),
            None => Arc::default(),
        };
        let excluded: Vec<Uuid> = if decided.exclude {
            decisions.values().filter(|d| settles(d)).map(|d| d.consultant_id).collect()
        } else {
            Vec::new()
        };
        let scan = query.must.is_empty() || options.include_ineligible;
        let large = scan && self.engine.read().index.len() > BLOCKING_SCAN;
        let (skills, engine) = (self.skills.clone(), self.engine.clone());
        // The record is made here (the caller's key and request id are this task's) and
        // handed to the audit's writer as soon as the page is known, so that its commit runs
        // while the page is rendered; the answer waits for it below.
        let mut record = self.audit_record(Scored {
            asked,
            options: Some(&options),
            extra: None,
            assignment_id,
            consultant_id: None,
            weights: weights_json(&query.weights),
            total_eligible: 0,
            items: Vec::new(),
        });
        let log = self.audit_log.clone();
        let o = options;
        let run = move || {
            let t = skills.read();
            let e = engine.read();
            let page = e.index.rank_excluding(&query, &Graph(&t), &o, &excluded);
            record.items = page_items(&page.items, o.offset);
            record.total_eligible = page.total_eligible as u64;
            let receipt = log.submit(record);
            (render(View { taxonomy: &t, engine: &e }, page, &decisions), receipt)
        };
        let (value, receipt) = if large {
            actix_web::rt::task::spawn_blocking(run).await.map_err(|e| RankError::Blocking(e.to_string()))?
        } else {
            run()
        };
        let audit_id = receipt.durable().await.map_err(RankError::Audit)?;
        Ok(Audited { value, audit_id })
    }

    /// Ranks the open, unexpired assignments for a consultant (`id`, as read from the
    /// store) and renders the page under the locks, with the reweighed queries it ranked,
    /// the consultant's card and her latest decision per assignment; with `exclude_decided`,
    /// the assignments whose latest decision about her is `rejected` or `placed` are left
    /// out. Recorded in the audit before it is returned.
    #[expect(
        clippy::too_many_arguments,
        reason = "the consultant, the options, the overrides, the renderer and the audit"
    )]
    pub async fn rank_assignments_for<R, E>(
        &self,
        asked: &Asked,
        id: Uuid,
        consultant: &ConsultantInput,
        options: &MatchOptions,
        exclude_decided: bool,
        reweigh: impl Fn(Weights) -> Result<Weights, E>,
        render: impl FnOnce(View<'_>, &[(Uuid, AssignmentQuery)], &Card, MatchPage, &Decisions) -> R,
    ) -> Result<Audited<R>, RankError<E>> {
        let decisions = self.decided.for_consultant(id);
        let mut record = self.audit_record(Scored {
            asked,
            options: Some(options),
            extra: None,
            assignment_id: None,
            consultant_id: Some(id),
            weights: serde_json::Value::Null,
            total_eligible: 0,
            items: Vec::new(),
        });
        let (value, receipt) = {
            let t = self.skills.read();
            let e = self.engine.read();
            let vector = e.vector_unsaved(&t, id, consultant);
            let mut open = open_queries(&e, options.today, &reweigh).map_err(RankError::Weights)?;
            if exclude_decided {
                open.retain(|(aid, _)| !decisions.get(aid).is_some_and(settles));
            }
            let page = rank_assignments(&vector, &open, &Graph(&t), options);
            record.items = page_items(&page.items, options.offset);
            // Each listed assignment's weights (its own, overrides applied).
            let weights: serde_json::Map<String, serde_json::Value> = record
                .items
                .iter()
                .filter_map(|it| open.iter().find(|(a, _)| *a == it.id))
                .map(|(a, q)| (a.to_string(), weights_json(&q.weights)))
                .collect();
            record.weights = serde_json::Value::Object(weights);
            record.total_eligible = page.total_eligible as u64;
            // Committed while the page is rendered; the answer waits for it below.
            let receipt = self.audit_log.submit(record);
            let mut fresh = None;
            let card = card_of(&e, id, consultant, &mut fresh);
            (render(View { taxonomy: &t, engine: &e }, &open, card, page, &decisions), receipt)
        };
        let audit_id = receipt.durable().await.map_err(RankError::Audit)?;
        Ok(Audited { value, audit_id })
    }

    /// A consultant scored for stored assignment `assignment_id`, and her standing among the
    /// eligible consultants (counting them is a full scan without must-haves: on the blocking
    /// pool when the index is large); rendered with the taxonomy held.
    #[expect(
        clippy::too_many_arguments,
        reason = "the pair, its day, the overrides, the renderer and what the audit records"
    )]
    pub async fn score_for_assignment<R, E>(
        &self,
        asked: &Asked,
        assignment_id: Uuid,
        consultant_id: Uuid,
        consultant: &ConsultantInput,
        today: NaiveDate,
        reweigh: impl Fn(Weights) -> Result<Weights, E>,
        render: impl FnOnce(&Taxonomy, PairStanding) -> R,
    ) -> Result<Audited<R>, RankError<E>> {
        let query = self.assignment_query(assignment_id, reweigh)?;
        let decision = self.decided.pair(assignment_id, consultant_id);
        let (scored, what_if) = {
            let t = self.skills.read();
            let vector = self.engine.read().vector_unsaved(&t, consultant_id, consultant);
            let g = Graph(&t);
            (crate::matching::score(&vector, &query, &g, today), what_if(&vector, &query, &g, today))
        };
        let large = query.must.is_empty() && self.engine.read().index.len() > BLOCKING_SCAN;
        let (skills, engine, weights) = (self.skills.clone(), self.engine.clone(), query.weights);
        let own = scored.eligible.then_some(scored.score);
        let count = move || {
            let (t, e) = (skills.read(), engine.read());
            let mut o = MatchOptions::new(today);
            o.limit = 1;
            let all = e.index.rank(&query, &Graph(&t), &o).total_eligible;
            // Those scoring strictly higher: at or above the next float up.
            let above = own.map(|s| {
                o.min_score = Some(s.next_up());
                e.index.rank(&query, &Graph(&t), &o).total_eligible
            });
            (all, above)
        };
        let (total_eligible, above) = if large {
            actix_web::rt::task::spawn_blocking(count).await.map_err(|e| RankError::Blocking(e.to_string()))?
        } else {
            count()
        };
        let rank = above.map(|n| n + 1);
        let standing = PairStanding { scored, weights, total_eligible, rank, open: true, what_if, decision };
        let audit_id = self.audit_pair(asked, assignment_id, consultant_id, consultant_id, &standing).await?;
        let value = render(&self.skills.read(), standing);
        Ok(Audited { value, audit_id })
    }

    /// Stored assignment `assignment_id` scored for a consultant, whether it is open, and its
    /// standing among the open assignments she is eligible for; rendered under the locks
    /// with her card.
    #[expect(
        clippy::too_many_arguments,
        reason = "the pair, its day, the overrides, the renderer and what the audit records"
    )]
    pub async fn score_for_consultant<R, E>(
        &self,
        asked: &Asked,
        consultant_id: Uuid,
        consultant: &ConsultantInput,
        assignment_id: Uuid,
        today: NaiveDate,
        reweigh: impl Fn(Weights) -> Result<Weights, E>,
        render: impl FnOnce(View<'_>, &Card, PairStanding) -> R,
    ) -> Result<Audited<R>, RankError<E>> {
        let decision = self.decided.pair(assignment_id, consultant_id);
        let standing = self.pair_for_consultant(consultant_id, consultant, assignment_id, today, reweigh, decision)?;
        let audit_id = self.audit_pair(asked, assignment_id, consultant_id, assignment_id, &standing).await?;
        let (t, e) = (self.skills.read(), self.engine.read());
        let mut fresh = None;
        let card = card_of(&e, consultant_id, consultant, &mut fresh);
        Ok(Audited { value: render(View { taxonomy: &t, engine: &e }, card, standing), audit_id })
    }

    /// [`AppState::score_for_consultant`]'s scoring, under the locks.
    fn pair_for_consultant<E>(
        &self,
        consultant_id: Uuid,
        consultant: &ConsultantInput,
        assignment_id: Uuid,
        today: NaiveDate,
        reweigh: impl Fn(Weights) -> Result<Weights, E>,
        decision: Option<Decision>,
    ) -> Result<PairStanding, RankError<E>> {
        let (t, e) = (self.skills.read(), self.engine.read());
        let entry = e.assignments.get(&assignment_id).ok_or(RankError::NoAssignment(assignment_id))?;
        let open = entry.is_matchable(today);
        let mut query = entry.query.clone();
        query.weights = reweigh(query.weights).map_err(RankError::Weights)?;
        let vector = e.vector_unsaved(&t, consultant_id, consultant);
        // Items of the reverse ranking carry the assignment's id.
        let scored = ScoredMatch { id: assignment_id, ..crate::matching::score(&vector, &query, &Graph(&t), today) };
        let what_if = what_if(&vector, &query, &Graph(&t), today);
        // Standing among the open assignments, ranked as the consultant's list ranks them.
        let others = open_queries(&e, today, &reweigh).map_err(RankError::Weights)?;
        let mut o = MatchOptions::new(today);
        o.limit = 1;
        let total_eligible = rank_assignments(&vector, &others, &Graph(&t), &o).total_eligible;
        let rank = (open && scored.eligible).then(|| {
            o.min_score = Some(scored.score.next_up());
            rank_assignments(&vector, &others, &Graph(&t), &o).total_eligible + 1
        });
        Ok(PairStanding { scored, weights: query.weights, total_eligible, rank, open, what_if, decision })
    }

    /// Records a pair score: `item` (the consultant or the assignment scored) with its rank.
    async fn audit_pair<E>(
        &self,
        asked: &Asked,
        assignment_id: Uuid,
        consultant_id: Uuid,
        item: Uuid,
        p: &PairStanding,
    ) -> Result<Uuid, RankError<E>> {
        let it = crate::store::AuditItem {
            id: item,
            rank: p.rank.map(|r| r as u32),
            score: p.scored.score,
            eligible: p.scored.eligible,
        };
        self.audit(Scored {
            asked,
            options: None,
            extra: None,
            assignment_id: Some(assignment_id),
            consultant_id: Some(consultant_id),
            weights: weights_json(&p.weights),
            total_eligible: p.total_eligible,
            items: vec![it],
        })
        .await
        .map_err(RankError::Audit)
    }
}

impl AppState {
    /// The `match.found` pairs a committed consultant write creates: open assignments she is
    /// eligible for, scoring at least `min_score`, best first (at most
    /// [`super::engine::MAX_MATCH_EVENTS`]), as `(assignment_id, score)`.
    pub fn match_events_for_consultant(
        &self,
        rec: &crate::store::Record<ConsultantInput>,
        min_score: f64,
    ) -> Vec<(Uuid, f64)> {
        let today = chrono::Utc::now().date_naive();
        self.engine.matches_for_consultant(&self.skills.read(), rec, min_score, today)
    }

    /// The `match.found` pairs a committed write of assignment `id` creates, as
    /// `(consultant_id, score)`.
    pub fn match_events_for_assignment(&self, id: Uuid, min_score: f64) -> Vec<(Uuid, f64)> {
        let today = chrono::Utc::now().date_naive();
        self.engine.matches_for_assignment(&self.skills.read(), id, min_score, today)
    }

    /// What the index holds, for readiness and metrics.
    pub fn index_stats(&self) -> IndexStats {
        let e = self.engine.read();
        IndexStats {
            consultants: e.index.len(),
            assignments: e.assignments.len(),
            bytes: e.index.memory_bytes(),
            compactions: e.compactions,
        }
    }
}

/// The size of the match index.
#[derive(Debug, Clone, Copy)]
pub struct IndexStats {
    /// Consultants indexed.
    pub consultants: usize,
    /// Assignments held for matching.
    pub assignments: usize,
    /// Approximate memory of the consultant index.
    pub bytes: usize,
    /// Compactions since start.
    pub compactions: u64,
}

/// The queries of the open, unexpired assignments on `today`, each reweighed: what a
/// consultant's assignments are ranked against.
fn open_queries<E>(
    e: &EngineState,
    today: NaiveDate,
    reweigh: &impl Fn(Weights) -> Result<Weights, E>,
) -> Result<Vec<(Uuid, AssignmentQuery)>, E> {
    let mut open = e.open_queries(today);
    for (_, q) in &mut open {
        q.weights = reweigh(q.weights)?;
    }
    Ok(open)
}

/// The card to explain a consultant's matches with: the engine's, whose resolutions are worked
/// out once and kept, unless it was written after `c` was read (its skills differ), as
/// explanations point into `c`'s skill list; then a fresh one, kept in `fresh`.
fn card_of<'c>(e: &'c EngineState, id: Uuid, c: &ConsultantInput, fresh: &'c mut Option<Card>) -> &'c Card {
    match e.cards.get(&id) {
        Some(card) if card.skills.iter().map(|s| &**s).eq(c.skills.iter().map(|s| s.name.as_str())) => card,
        _ => fresh.insert(Card::new(String::new(), None, c.skills.iter().map(|s| s.name.as_str().into()).collect())),
    }
}
