//! The matching engine as the running service holds it: the consultant index and the
//! assignment queries in memory, built from the database at start and kept in step with
//! every committed write before it is acknowledged, so a match right after a write sees it.
//!
//! This is glue: it turns stored domain records into the pure engine's vectors (skill
//! names to keys through the taxonomy, free text interned) and back into what an answer
//! needs (names, the consultant's own skill text).

use std::collections::HashMap;
use std::sync::{Arc, OnceLock, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use uuid::Uuid;

use crate::domain::{AssignmentInput, AssignmentStatus, ConsultantInput, ResolveMethod, SkillRef, Weights};
use crate::matching::{
    AssignmentQuery, ConsultantIndex, ConsultantVector, FREE_TEXT_BASE, Need, Quality, SkillEntry, SkillGraph,
    SkillKey, Want,
};
use crate::store::{Assignments, Consultants, Model, Record, Resource, Store, StoreError};
use crate::taxonomy::{Taxonomy, Via, normalize};

/// A key no consultant has: what an unknown free-text requirement of an unsaved query maps to.
const NO_KEY: SkillKey = SkillKey::MAX;

/// The taxonomy's relations, as the engine asks for them.
pub struct Graph<'a>(pub &'a Taxonomy);

impl SkillGraph for Graph<'_> {
    fn ancestors(&self, k: SkillKey) -> &[SkillKey] {
        if k < FREE_TEXT_BASE { self.0.ancestors(k) } else { &[] }
    }
    fn descendants(&self, k: SkillKey) -> &[SkillKey] {
        if k < FREE_TEXT_BASE { self.0.descendants(k) } else { &[] }
    }
    fn implied_by(&self, k: SkillKey) -> &[SkillKey] {
        if k < FREE_TEXT_BASE { self.0.implied_by(k) } else { &[] }
    }
}

/// What an answer shows about a consultant besides the score.
#[derive(Debug, Clone)]
pub struct Card {
    /// Full name.
    pub name: String,
    /// The ATS's id.
    pub external_id: Option<String>,
    /// The skills as written, in profile order (explanations point into this list; shared
    /// with the `matched_by` texts of the answers that name them).
    pub skills: Vec<Arc<str>>,
    /// How each skill's text resolves in the taxonomy, worked out on the card's first
    /// explanation (resolving every skill of every consultant at start would cost seconds).
    vias: OnceLock<Box<[Via]>>,
}

impl Card {
    /// A card for a consultant's name, ATS id and skill texts.
    pub fn new(name: String, external_id: Option<String>, skills: Vec<Arc<str>>) -> Self {
        Card { name, external_id, skills, vias: OnceLock::new() }
    }

    /// How each skill's text resolves, in profile order.
    pub fn vias(&self, t: &Taxonomy) -> &[Via] {
        self.vias.get_or_init(|| self.skills.iter().map(|s| t.resolve(s).via).collect())
    }
}

/// A stored assignment, ready to rank for.
#[derive(Debug, Clone)]
pub struct AssignmentEntry {
    /// The engine query, with the assignment's own (or the default) weights.
    pub query: AssignmentQuery,
    /// The record as stored (served by `GET /assignments/{id}` without a database read).
    pub record: Arc<Record<AssignmentInput>>,
}

impl AssignmentEntry {
    /// Open and not expired on `today`: what consultants are matched against.
    pub fn is_matchable(&self, today: NaiveDate) -> bool {
        let a = &self.record.data;
        a.status == AssignmentStatus::Open && a.expires_at.is_none_or(|d| d >= today)
    }
}

/// Everything behind the engine's lock.
#[derive(Default)]
pub struct EngineState {
    /// The consultant index.
    pub index: ConsultantIndex,
    /// Display data per consultant.
    pub cards: HashMap<Uuid, Card>,
    /// Every stored assignment.
    pub assignments: HashMap<Uuid, AssignmentEntry>,
    free_text: HashMap<String, SkillKey>,
    churn: Churn,
    /// How often the index was compacted since start ([`Engine::compact_if_due`]).
    pub compactions: u64,
    /// The version held of each record (`i64::MAX`: deleted), so that a late, older copy
    /// (the writer's own apply racing the change feed's) never replaces a newer one.
    versions: HashMap<Uuid, i64>,
}

/// Consultant writes since the index was last compacted, and when the last one came.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
struct Churn {
    writes: u64,
    last: Option<Instant>,
}

impl Churn {
    fn note(&mut self) {
        self.writes += 1;
        self.last = Some(Instant::now());
    }

    fn due(&self, idle: Duration, min_writes: u64) -> bool {
        self.writes >= min_writes.max(1) && self.last.is_some_and(|t| t.elapsed() >= idle)
    }
}

impl EngineState {
    fn key(&mut self, t: &Taxonomy, name: &str, r: &Option<SkillRef>) -> (SkillKey, Option<ResolveMethod>) {
        if let Some(r) = r
            && let Some(idx) = t.index_of(&r.skill_id)
        {
            return (idx, Some(r.method));
        }
        let norm = normalize(name);
        let next = FREE_TEXT_BASE + self.free_text.len() as SkillKey;
        (*self.free_text.entry(norm).or_insert(next), None)
    }

    fn lookup(&self, t: &Taxonomy, name: &str, r: &Option<SkillRef>) -> SkillKey {
        match r.as_ref().and_then(|r| t.index_of(&r.skill_id)) {
            Some(idx) => idx,
            None => self.free_text.get(&normalize(name)).copied().unwrap_or(NO_KEY),
        }
    }

    /// The engine vector of a consultant, interning its free-text skills.
    pub fn vector(&mut self, t: &Taxonomy, id: Uuid, c: &ConsultantInput) -> ConsultantVector {
        consultant_vector(id, c, |name, r| self.key(t, name, r))
    }

    /// The engine query of a stored assignment: its free-text requirements get keys that
    /// later profiles with the same text will share.
    pub fn query(&mut self, t: &Taxonomy, a: &AssignmentInput) -> AssignmentQuery {
        assignment_query(a, |name, r| self.key(t, name, r).0)
    }

    /// The engine query of an unsaved assignment: lookup only, so an unknown free-text
    /// requirement matches nobody and the interner never grows from queries.
    pub fn query_unsaved(&self, t: &Taxonomy, a: &AssignmentInput) -> AssignmentQuery {
        assignment_query(a, |name, r| self.lookup(t, name, r))
    }

    /// The engine vector of a consultant without interning (a stored consultant's texts
    /// are interned already).
    pub fn vector_unsaved(&self, t: &Taxonomy, id: Uuid, c: &ConsultantInput) -> ConsultantVector {
        consultant_vector(id, c, |name, r| {
            let key = self.lookup(t, name, r);
            let how = r.as_ref().filter(|_| key < FREE_TEXT_BASE).map(|r| r.method);
            (key, how)
        })
    }

    /// The assignments open and unexpired on `today` with their queries, cloned so that a
    /// request may adjust them (weight overrides).
    pub fn open_queries(&self, today: NaiveDate) -> Vec<(Uuid, AssignmentQuery)> {
        self.assignments.iter().filter(|(_, a)| a.is_matchable(today)).map(|(id, a)| (*id, a.query.clone())).collect()
    }

    /// Records `version` of `id` unless a newer one (or the deletion) is held.
    fn newer(&mut self, id: Uuid, version: i64) -> bool {
        let held = self.versions.entry(id).or_insert(version);
        if *held > version {
            return false;
        }
        *held = version;
        true
    }

    fn put_consultant(&mut self, t: &Taxonomy, rec: &Record<ConsultantInput>) {
        if !self.newer(rec.meta.id, rec.meta.version) {
            return;
        }
        let v = self.vector(t, rec.meta.id, &rec.data);
        self.index.upsert(v);
        self.cards.insert(
            rec.meta.id,
            Card::new(
                rec.data.name.clone(),
                rec.data.source.as_ref().map(|s| s.external_id.clone()),
                rec.data.skills.iter().map(|s| s.name.as_str().into()).collect(),
            ),
        );
    }

    fn put_assignment(&mut self, t: &Taxonomy, rec: &Record<AssignmentInput>) {
        if !self.newer(rec.meta.id, rec.meta.version) {
            return;
        }
        let query = self.query(t, &rec.data);
        self.assignments.insert(rec.meta.id, AssignmentEntry { query, record: Arc::new(rec.clone()) });
    }
}

fn consultant_vector(
    id: Uuid,
    c: &ConsultantInput,
    mut key: impl FnMut(&str, &Option<SkillRef>) -> (SkillKey, Option<ResolveMethod>),
) -> ConsultantVector {
    let skills = c
        .skills
        .iter()
        .map(|s| {
            let (key, resolved) = key(&s.name, &s.resolved);
            SkillEntry { key, years: s.years, level: s.level, resolved }
        })
        .collect();
    let location = c.location.clone().unwrap_or_default();
    ConsultantVector {
        id,
        skills,
        languages: c.languages.iter().map(|l| (l.code, l.level)).collect(),
        clearance: c.clearance.level,
        citizenships: c.clearance.citizenships.clone(),
        willing_to_undergo: c.clearance.willing_to_undergo,
        city: location.city.map(|s| city_key(&s)),
        country: location.country,
        work_modes: c.work_modes.clone(),
        available_from: c.available_from,
        capacity_percent: c.capacity_percent,
        experience_years: c.experience_years,
    }
}

fn assignment_query(a: &AssignmentInput, mut key: impl FnMut(&str, &Option<SkillRef>) -> SkillKey) -> AssignmentQuery {
    let must = a
        .must_have
        .iter()
        .map(|m| Need {
            key: key(&m.skill, &m.resolved),
            label: m.skill.as_str().into(),
            min_years: m.min_years,
            min_level: m.min_level,
        })
        .collect();
    let mut can: Vec<Want> = a
        .can_have
        .iter()
        .map(|c| Want {
            key: key(&c.skill, &c.resolved),
            label: c.skill.as_str().into(),
            weight: c.weight,
            min_years: c.min_years,
            min_level: c.min_level,
            quality: false,
        })
        .collect();
    // A weighted quality scores like a can-have; the others are only shown, to assess.
    let mut qualities = Vec::new();
    for q in &a.qualities {
        let (k, label) = (key(&q.skill, &q.resolved), q.skill.as_str().into());
        match q.weight {
            Some(weight) => can.push(Want { key: k, label, weight, min_years: None, min_level: None, quality: true }),
            None => qualities.push(Quality { key: k, label }),
        }
    }
    let location = a.location.clone().unwrap_or_default();
    AssignmentQuery {
        must,
        can,
        qualities,
        languages: a.languages.clone(),
        clearance: a.clearance.clone(),
        min_experience_years: a.min_experience_years,
        city_label: location.city.as_deref().map(|s| s.trim().to_owned()),
        city: location.city.map(|s| city_key(&s)),
        country: location.country,
        work_mode: a.work_mode,
        start_date: a.start_date,
        end_date: a.end_date,
        extent_percent: a.extent_percent,
        weights: a.weights.unwrap_or(Weights::DEFAULT),
    }
}

/// Cities compare case-insensitively, trimmed.
pub fn city_key(city: &str) -> String {
    city.trim().to_lowercase()
}

/// The shared engine.
#[derive(Clone, Default)]
pub struct Engine {
    inner: Arc<RwLock<EngineState>>,
}

impl Engine {
    /// Builds the index and the assignment queries from the database.
    ///
    /// Consultants' rows are read a page at a time here while a blocking thread decodes the
    /// pages already read and indexes them, so the database's work (its own thread for
    /// SQLite, its server for PostgreSQL) and the decoding and indexing overlap instead of
    /// taking turns. A row that does not decode fails the load, as any read of it would.
    pub async fn load(store: &Store, t: &Taxonomy) -> anyhow::Result<Engine> {
        const PAGE: u64 = 5_000;
        let started = std::time::Instant::now();
        let (tx, mut rx) = tokio::sync::mpsc::channel::<Vec<Model<Consultants>>>(2);
        let taxonomy = t.clone();
        let builder = tokio::task::spawn_blocking(move || {
            let mut state = EngineState::default();
            while let Some(page) = rx.blocking_recv() {
                for row in page {
                    state.put_consultant(&taxonomy, &Consultants::from_model(row)?);
                }
            }
            state.index = std::mem::take(&mut state.index).clustered();
            Ok::<_, StoreError>(state)
        });
        // A send fails only when the builder has stopped (a row that does not decode, or a
        // panic): reading stops, and the builder's result below says why.
        let consultants =
            store.for_each_row_page::<Consultants>(PAGE, async |page| tx.send(page).await.is_ok()).await?;
        drop(tx);
        let mut state = builder.await.map_err(|e| anyhow::anyhow!("building the match index failed: {e}"))??;
        let assignments = store
            .for_each_page::<Assignments>(PAGE, async |page| page.iter().for_each(|rec| state.put_assignment(t, rec)))
            .await?;
        tracing::info!(
            consultants,
            assignments,
            index_bytes = state.index.memory_bytes(),
            elapsed_ms = started.elapsed().as_millis() as u64,
            "match index loaded"
        );
        Ok(Engine { inner: Arc::new(RwLock::new(state)) })
    }

    /// A read view.
    pub fn read(&self) -> RwLockReadGuard<'_, EngineState> {
        match self.inner.read() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    fn write(&self) -> RwLockWriteGuard<'_, EngineState> {
        match self.inner.write() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    /// A consultant was stored.
    pub fn consultant_written(&self, t: &Taxonomy, rec: &Record<ConsultantInput>) {
        let mut s = self.write();
        s.put_consultant(t, rec);
        s.churn.note();
    }

    /// A consultant was deleted.
    pub fn consultant_deleted(&self, id: Uuid) {
        let mut s = self.write();
        s.index.remove(id);
        s.cards.remove(&id);
        s.versions.insert(id, i64::MAX);
        s.churn.note();
    }

    /// Whether at least `min_writes` consultants were written or deleted since the last
    /// compaction and none for `idle` (a read lock, nothing else).
    pub fn compaction_due(&self, idle: Duration, min_writes: u64) -> bool {
        self.read().churn.due(idle, min_writes)
    }

    /// Compacts the consultant index if a compaction is due ([`Engine::compaction_due`]):
    /// rebuilds it with its slots clustered by skills
    /// ([`crate::matching::Parts::clustered`]) and swaps it in, unless a consultant was
    /// written meanwhile (then the next due check tries again). Returns the index's bytes
    /// before and after, or `None`.
    ///
    /// An index that grows through the API holds its vectors at their doubled capacities
    /// (599 bytes per consultant for 100k synthetic ones, against 475 compacted) and its
    /// slots in the order consultants came, which ranks 10–25% slower than clustered. The
    /// rebuild runs on a copy of the consultants taken under a read lock, so matching and writes
    /// go on meanwhile (0.2–0.4 s at 100k, about 3 s at 1M, with the copy's memory on top);
    /// only the swap takes the write lock.
    pub fn compact_if_due(&self, idle: Duration, min_writes: u64) -> Option<(usize, usize)> {
        let (parts, seen) = {
            let s = self.read();
            if !s.churn.due(idle, min_writes) {
                return None;
            }
            (s.index.parts(), s.churn)
        };
        let fresh = parts.clustered();
        let mut s = self.write();
        if s.churn != seen {
            return None;
        }
        let before = s.index.memory_bytes();
        s.index = fresh;
        s.churn = Churn::default();
        s.compactions += 1;
        Some((before, s.index.memory_bytes()))
    }

    /// An assignment was stored.
    pub fn assignment_written(&self, t: &Taxonomy, rec: &Record<AssignmentInput>) {
        self.write().put_assignment(t, rec);
    }

    /// An assignment was deleted.
    pub fn assignment_deleted(&self, id: Uuid) {
        let mut s = self.write();
        s.assignments.remove(&id);
        s.versions.insert(id, i64::MAX);
    }

    /// Takes over the state of `fresh` (a full reload: the change feed was pruned past this
    /// replica's place in it).
    pub fn replace_with(&self, fresh: Engine) {
        let state = std::mem::take(&mut *fresh.write());
        *self.write() = state;
    }
}

/// The most `match.found` events one write raises.
pub const MAX_MATCH_EVENTS: usize = 100;

fn event_options(today: NaiveDate, min_score: f64) -> crate::matching::MatchOptions {
    let mut o = crate::matching::MatchOptions::new(today);
    o.limit = MAX_MATCH_EVENTS;
    o.min_score = Some(min_score);
    o
}

impl Engine {
    /// Open assignments the stored consultant is eligible for, scoring at least `min_score`
    /// (best first, at most [`MAX_MATCH_EVENTS`]).
    pub fn matches_for_consultant(
        &self,
        t: &Taxonomy,
        rec: &Record<ConsultantInput>,
        min_score: f64,
        today: NaiveDate,
    ) -> Vec<(Uuid, f64)> {
        let s = self.read();
        let vector = s.vector_unsaved(t, rec.meta.id, &rec.data);
        let o = event_options(today, min_score);
        let ranked = crate::matching::rank_assignments(&vector, &s.open_queries(today), &Graph(t), &o);
        ranked.items.iter().map(|m| (m.id, m.score)).collect()
    }

    /// Consultants eligible for the stored assignment `id` when it is open, scoring at least
    /// `min_score` (best first, at most [`MAX_MATCH_EVENTS`]).
    pub fn matches_for_assignment(&self, t: &Taxonomy, id: Uuid, min_score: f64, today: NaiveDate) -> Vec<(Uuid, f64)> {
        let s = self.read();
        let Some(a) = s.assignments.get(&id).filter(|a| a.is_matchable(today)) else { return Vec::new() };
        let ranked = s.index.rank(&a.query, &Graph(t), &event_options(today, min_score));
        ranked.items.iter().map(|m| (m.id, m.score)).collect()
    }
}
