//! The taxonomy as the running service uses it: one shared, updatable copy; resolution of
//! the skill names in profiles and requirements when they are stored; run-time additions
//! that are persisted, replayed at start and applied to stored records at once.

use std::sync::{Arc, RwLock, RwLockReadGuard};

use serde::{Deserialize, Serialize};

use crate::domain::{AssignmentInput, ConsultantInput, SkillRef};
use crate::store::{Assignments, Consultants, Store, StoreError, TaxonomyAddition};
use crate::taxonomy::{Resolution, SkillDef, SkillIdx, Taxonomy, TaxonomyError};

/// The payload of a stored alias addition.
#[derive(Debug, Serialize, Deserialize)]
struct AliasPayload {
    alias: String,
}

/// A stored skill addition (the same fields as [`SkillDef`]).
#[derive(Debug, Serialize, Deserialize)]
struct SkillPayload {
    id: String,
    label_en: String,
    label_sv: String,
    category: String,
    aliases: Vec<String>,
    broader: Vec<String>,
    related: Vec<String>,
}

impl From<&SkillDef> for SkillPayload {
    fn from(d: &SkillDef) -> Self {
        SkillPayload {
            id: d.id.clone(),
            label_en: d.label_en.clone(),
            label_sv: d.label_sv.clone(),
            category: d.category.clone(),
            aliases: d.aliases.clone(),
            broader: d.broader.clone(),
            related: d.related.clone(),
        }
    }
}

impl From<SkillPayload> for SkillDef {
    fn from(p: SkillPayload) -> Self {
        SkillDef {
            id: p.id,
            label_en: p.label_en,
            label_sv: p.label_sv,
            category: p.category,
            aliases: p.aliases,
            broader: p.broader,
            related: p.related,
            // Run-time additions carry no implications (see `api::skills`).
            implies: Vec::new(),
        }
    }
}

/// Why a run-time addition failed.
#[derive(Debug, thiserror::Error)]
pub enum AdditionError {
    /// The taxonomy refused it (duplicate name, unknown broader id, cycle…).
    #[error(transparent)]
    Taxonomy(#[from] TaxonomyError),
    /// No skill with that id.
    #[error("no skill with id {0}")]
    UnknownSkill(String),
    /// Persisting failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Applies a stored addition to `t`.
fn apply_addition(t: &mut Taxonomy, a: &TaxonomyAddition) -> Result<(), String> {
    match a.kind.as_str() {
        "skill" => serde_json::from_str::<SkillPayload>(&a.payload)
            .map_err(|e| e.to_string())
            .and_then(|p| t.add_skill(p.into()).map(|_| ()).map_err(|e| e.to_string())),
        "alias" => serde_json::from_str::<AliasPayload>(&a.payload).map_err(|e| e.to_string()).and_then(|p| {
            let idx = t.index_of(&a.skill_id).ok_or_else(|| format!("no skill {}", a.skill_id))?;
            t.add_alias(idx, &p.alias).map_err(|e| e.to_string())
        }),
        other => Err(format!("unknown addition kind {other}")),
    }
}

/// The shared taxonomy.
#[derive(Clone)]
pub struct Skills {
    inner: Arc<RwLock<Taxonomy>>,
}

/// The stored reference of a resolution (`None` when unresolved).
pub fn skill_ref(t: &Taxonomy, r: &Resolution) -> Option<SkillRef> {
    let skill = t.skill(r.skill?)?;
    Some(SkillRef { skill_id: skill.id.clone(), method: r.method? })
}

impl Skills {
    /// The built-in taxonomy with the stored additions replayed on top. An addition that no
    /// longer applies (the built-in data now has it) is logged and skipped.
    pub async fn load(store: &Store) -> anyhow::Result<Skills> {
        let mut t = Taxonomy::builtin()?;
        for a in store.taxonomy_additions().await? {
            if let Err(e) = apply_addition(&mut t, &a) {
                tracing::warn!(kind = %crate::telemetry::Clean(&a.kind), skill_id = %crate::telemetry::Clean(&a.skill_id), error = %crate::telemetry::Clean(&e), "skipping a stored taxonomy addition");
            }
        }
        tracing::info!(skills = t.len(), "taxonomy loaded");
        Ok(Skills { inner: Arc::new(RwLock::new(t)) })
    }

    /// Applies an addition another replica stored (read from the change feed). One this
    /// taxonomy holds already is refused by the taxonomy and skipped: applying is idempotent.
    pub fn apply_stored(&self, a: &TaxonomyAddition) {
        let applied = self.update(|t| apply_addition(t, a).map_err(AdditionError::UnknownSkill));
        if let Err(e) = applied {
            tracing::debug!(error = %crate::telemetry::Clean(&e.to_string()), "a taxonomy addition from the feed was not applied");
        }
    }

    /// Takes over the taxonomy of `fresh` (a full reload).
    pub fn replace_with(&self, fresh: Skills) {
        let t = fresh.read().clone();
        match self.inner.write() {
            Ok(mut g) => *g = t,
            Err(poisoned) => *poisoned.into_inner() = t,
        }
    }

    /// Wraps a taxonomy (tests, tools).
    pub fn new(t: Taxonomy) -> Skills {
        Skills { inner: Arc::new(RwLock::new(t)) }
    }

    /// Runs `f` on the taxonomy as it is now; the lock is held only inside. What the HTTP
    /// layer uses, so no handler holds a lock of its own.
    pub fn view<R>(&self, f: impl FnOnce(&Taxonomy) -> R) -> R {
        f(&self.read())
    }

    /// A read view. Writers hold the lock only to swap in an updated copy.
    pub fn read(&self) -> RwLockReadGuard<'_, Taxonomy> {
        match self.inner.read() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    /// Resolves every skill name of a consultant.
    pub fn resolve_consultant(&self, c: &mut ConsultantInput) {
        let t = self.read();
        for s in &mut c.skills {
            s.resolved = skill_ref(&t, &t.resolve(&s.name));
        }
    }

    /// Resolves every skill name of an assignment.
    pub fn resolve_assignment(&self, a: &mut AssignmentInput) {
        let t = self.read();
        for m in &mut a.must_have {
            m.resolved = skill_ref(&t, &t.resolve(&m.skill));
        }
        for c in &mut a.can_have {
            c.resolved = skill_ref(&t, &t.resolve(&c.skill));
        }
        for q in &mut a.qualities {
            q.resolved = skill_ref(&t, &t.resolve(&q.skill));
        }
    }

    fn update<T>(&self, f: impl FnOnce(&mut Taxonomy) -> Result<T, AdditionError>) -> Result<T, AdditionError> {
        // Build the new taxonomy on a copy so readers never see a half-applied change.
        let mut copy = self.read().clone();
        let out = f(&mut copy)?;
        match self.inner.write() {
            Ok(mut g) => *g = copy,
            Err(poisoned) => *poisoned.into_inner() = copy,
        }
        Ok(out)
    }

    /// Adds a skill, persists it, and re-resolves stored records that may now match it.
    pub async fn add_skill(&self, store: &Store, def: SkillDef) -> Result<SkillIdx, AdditionError> {
        let payload = serde_json::to_string(&SkillPayload::from(&def)).unwrap_or_default();
        let id = def.id.clone();
        let idx = self.update(|t| Ok(t.add_skill(def)?))?;
        store.add_taxonomy_addition("skill", &id, &payload).await?;
        Ok(idx)
    }

    /// Adds an alias to skill `skill_id`, persists it, and re-resolves stored records.
    pub async fn add_alias(&self, store: &Store, skill_id: &str, alias: &str) -> Result<SkillIdx, AdditionError> {
        let idx = self.update(|t| {
            let idx = t.index_of(skill_id).ok_or_else(|| AdditionError::UnknownSkill(skill_id.to_string()))?;
            t.add_alias(idx, alias)?;
            Ok(idx)
        })?;
        let payload = serde_json::to_string(&AliasPayload { alias: alias.to_string() }).unwrap_or_default();
        store.add_taxonomy_addition("alias", skill_id, &payload).await?;
        Ok(idx)
    }

    /// Re-resolves the records that had unresolved skill names, storing those whose
    /// resolution changed. Returns the consultant and assignment records that changed.
    pub async fn reresolve(
        &self,
        store: &Store,
    ) -> Result<(Vec<crate::store::ConsultantRecord>, Vec<crate::store::AssignmentRecord>), StoreError> {
        let (consultants, assignments) = store.records_with_unresolved_skills().await?;
        let mut changed_c = Vec::new();
        for id in consultants {
            let Ok(mut rec) = store.get::<Consultants>(id).await else { continue };
            let before = rec.data.skills.iter().map(|s| s.resolved.clone()).collect::<Vec<_>>();
            self.resolve_consultant(&mut rec.data);
            if rec.data.skills.iter().map(|s| s.resolved.clone()).collect::<Vec<_>>() != before {
                store.refresh::<Consultants>(&rec).await?;
                changed_c.push(rec);
            }
        }
        let mut changed_a = Vec::new();
        for id in assignments {
            let Ok(mut rec) = store.get::<Assignments>(id).await else { continue };
            let before = rec.data.clone();
            self.resolve_assignment(&mut rec.data);
            if rec.data != before {
                store.refresh::<Assignments>(&rec).await?;
                changed_a.push(rec);
            }
        }
        Ok((changed_c, changed_a))
    }
}
