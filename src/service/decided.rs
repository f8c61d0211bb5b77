//! The latest decision per (assignment, consultant) pair, held in memory, so that a ranking
//! shows and filters decisions without a database round trip. It mirrors the `decisions`
//! table: loaded at start (and on a replica's full reload), updated by the write that
//! commits a decision or an erasure, and on the other replicas by the change feed, whose
//! `decision` rows name the assignment whose decisions changed (re-read there). A plain
//! deletion keeps decisions in the table, and so here.

use std::collections::HashMap;
use std::sync::{Arc, PoisonError, RwLock};

use uuid::Uuid;

use super::rankings::Decisions;
use crate::store::Decision;

/// The latest decisions, per assignment, per consultant. Cheap to clone (shared). Each
/// assignment's map is shared with the rankings that read it (a pointer, not a copy, on
/// the ranking's path); a write copies the one map it changes.
#[derive(Clone, Default)]
pub struct DecisionIndex {
    by_assignment: Arc<RwLock<HashMap<Uuid, Arc<Decisions>>>>,
}

impl DecisionIndex {
    /// The index of `decisions`, oldest first (a later one about a pair replaces an earlier).
    pub fn new(decisions: impl IntoIterator<Item = Decision>) -> DecisionIndex {
        let index = DecisionIndex::default();
        index.replace_all(decisions);
        index
    }

    /// Replaces everything (a replica's full reload).
    pub fn replace_all(&self, decisions: impl IntoIterator<Item = Decision>) {
        let mut map: HashMap<Uuid, Arc<Decisions>> = HashMap::new();
        for d in decisions {
            Arc::make_mut(map.entry(d.assignment_id).or_default()).insert(d.consultant_id, d);
        }
        *self.by_assignment.write().unwrap_or_else(PoisonError::into_inner) = map;
    }

    /// The latest decision about each consultant for assignment `id`.
    pub fn for_assignment(&self, id: Uuid) -> Arc<Decisions> {
        let map = self.by_assignment.read().unwrap_or_else(PoisonError::into_inner);
        map.get(&id).cloned().unwrap_or_default()
    }

    /// The latest decision about consultant `id` for each assignment.
    pub fn for_consultant(&self, id: Uuid) -> Decisions {
        let map = self.by_assignment.read().unwrap_or_else(PoisonError::into_inner);
        map.iter().filter_map(|(aid, pairs)| pairs.get(&id).map(|d| (*aid, d.clone()))).collect()
    }

    /// The latest decision about one pair.
    pub fn pair(&self, assignment_id: Uuid, consultant_id: Uuid) -> Option<Decision> {
        let map = self.by_assignment.read().unwrap_or_else(PoisonError::into_inner);
        map.get(&assignment_id).and_then(|pairs| pairs.get(&consultant_id)).cloned()
    }

    /// A decision was committed (it is the pair's latest: ids grow with time).
    pub fn record(&self, d: Decision) {
        let mut map = self.by_assignment.write().unwrap_or_else(PoisonError::into_inner);
        Arc::make_mut(map.entry(d.assignment_id).or_default()).insert(d.consultant_id, d);
    }

    /// Assignment `id`'s latest decisions as the database now holds them.
    pub fn replace_assignment(&self, id: Uuid, decisions: Decisions) {
        let mut map = self.by_assignment.write().unwrap_or_else(PoisonError::into_inner);
        if decisions.is_empty() {
            map.remove(&id);
        } else {
            map.insert(id, Arc::new(decisions));
        }
    }

    /// Consultant `id` was erased, with every decision about her.
    pub fn forget_consultant(&self, id: Uuid) {
        let mut map = self.by_assignment.write().unwrap_or_else(PoisonError::into_inner);
        map.retain(|_, pairs| {
            if pairs.contains_key(&id) {
                Arc::make_mut(pairs).remove(&id);
            }
            !pairs.is_empty()
        });
    }
}
