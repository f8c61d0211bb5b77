//! The write path of consultants and assignments, written once over [`Resource`]: the
//! `sensitive` rule on the way in, validation into a domain input, skill resolution, the
//! store's life-cycle call together with its outbox event, then the match index and
//! `match.found`. The HTTP handlers (`api::resources`) and the `--demo` loader call these
//! functions; they return the stored record and what the write did, or a [`WriteError`]
//! that the caller renders.
//!
//! Rendering is the caller's: [`Documented::document`] (supplied by the API) is the record
//! as its clients read it, the `object` of its webhook event and the document a merge
//! patch or a hidden-field keep works on.

mod batch;
pub mod document;
mod kinds;

use serde_json::Value;
use uuid::Uuid;

use super::AppState;
use crate::domain::{FieldErrors, READ_ONLY_FIELDS, SourceRef};
use crate::store::{self, Change, Expect, OutboxEvent, Record, StoreError, WebhookRow, Written};
use crate::webhooks::Event;

pub use batch::{BatchItem, MAX_BATCH, batch};

/// A resource the service writes: consultants and assignments.
pub trait Resource: store::Resource + 'static {
    /// Singular noun for messages and events, e.g. "consultant".
    const KIND: &'static str;
    /// Dotted paths a key without the `sensitive` scope may neither read nor state.
    const SENSITIVE: &'static [&'static str] = &[];
    /// Validates a body.
    fn parse(body: &Value) -> Result<Self::Input, FieldErrors>;
    /// Derived data computed before storing (e.g. resolving skill names).
    fn prepare(state: &AppState, input: &mut Self::Input);
    /// Keeps in-memory views (the match index) in step after a committed write.
    fn written(state: &AppState, record: &Record<Self::Input>);
    /// Keeps in-memory views in step after a committed delete.
    fn deleted(state: &AppState, id: Uuid);
    /// The `match.found` pairs a committed write creates, scoring at least `min_score`:
    /// `(assignment_id, consultant_id, score)`.
    fn matches(state: &AppState, record: &Record<Self::Input>, min_score: f64) -> Vec<(Uuid, Uuid, f64)>;
}

/// A [`Resource`] with its client-facing document, which the API supplies: the wire is
/// not the service's to define.
pub trait Documented: Resource {
    /// The record as clients read it (with every field), `None` if it cannot be rendered.
    fn document(record: &Record<Self::Input>) -> Option<Value>;
}

/// Why a write was refused.
#[derive(Debug)]
pub enum WriteError {
    /// The body states these `sensitive` fields and the caller does not hold the scope.
    Sensitive(Vec<String>),
    /// The body is invalid.
    Invalid(FieldErrors),
    /// The store refused or failed: `kind` and `id` name what was being read or written.
    Store {
        /// What was being read or written ("consultant", "webhook subscription").
        kind: &'static str,
        /// Which one, as the caller named it (an id, `source/external_id`, "(new)").
        id: String,
        /// The store's error.
        error: StoreError,
    },
    /// A batch item names the same ATS record as the earlier item `first`.
    DuplicateInBatch {
        /// The earlier item's index.
        first: usize,
    },
}

impl WriteError {
    fn store(kind: &'static str, id: impl std::fmt::Display, error: StoreError) -> Self {
        WriteError::Store { kind, id: id.to_string(), error }
    }
}

impl From<FieldErrors> for WriteError {
    fn from(errs: FieldErrors) -> Self {
        WriteError::Invalid(errs)
    }
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::Sensitive(fields) => write!(f, "needs the sensitive scope: {}", fields.join(", ")),
            WriteError::Invalid(errs) => {
                let list: Vec<String> = errs.0.iter().map(|e| format!("{}: {}", e.field, e.message)).collect();
                write!(f, "invalid: {}", list.join("; "))
            }
            WriteError::Store { kind, id, error } => write!(f, "{kind} {id}: {error}"),
            WriteError::DuplicateInBatch { first } => write!(f, "the same source and external_id as item {first}"),
        }
    }
}

impl std::error::Error for WriteError {}

/// What a write answers with.
pub type Outcome<T> = Result<T, WriteError>;

fn hides_sensitive<R: Resource>() -> bool {
    !R::SENSITIVE.is_empty() && !crate::auth::sees_sensitive()
}

/// Refuses a body that states a `sensitive` field, unless the caller holds the scope.
fn forbid_stating<R: Resource>(body: &Value) -> Outcome<()> {
    if !hides_sensitive::<R>() {
        return Ok(());
    }
    let fields = document::named(body, R::SENSITIVE);
    if fields.is_empty() { Ok(()) } else { Err(WriteError::Sensitive(fields)) }
}

/// For a caller without `sensitive`: the stored record's sensitive fields go into `doc`
/// where it leaves them out ([`document::keep_hidden`]).
fn keep_hidden<R: Documented>(doc: &mut Value, current: &Record<R::Input>) {
    if let Some(stored) = R::document(current) {
        document::keep_hidden(doc, &stored, R::SENSITIVE);
    }
}

fn parse<R: Resource>(state: &AppState, body: &Value) -> Outcome<R::Input> {
    let mut input = R::parse(body)?;
    R::prepare(state, &mut input);
    Ok(input)
}

/// The webhook subscriptions (a short-lived copy), for the outbox of a write.
async fn subscriptions(state: &AppState) -> Outcome<std::sync::Arc<Vec<WebhookRow>>> {
    state.hooks.get(&state.store).await.map_err(|e| WriteError::store("webhook subscription", "", e))
}

/// The outbox events of a write of `R`, stored in the write's own transaction.
fn outbox<R: Documented>(hooks: &[WebhookRow]) -> impl Fn(Change<'_, R::Input>) -> Option<OutboxEvent> + Sync + '_ {
    crate::webhooks::resource_events(hooks, R::KIND, R::document)
}

/// After a committed write: keeps in-memory views in step ([`Resource::written`]) and
/// raises `match.found`. The write's own `consultant.*`/`assignment.*` event is already in
/// the outbox: the store wrote it in the write's transaction ([`outbox`]).
async fn after_write<R: Resource>(state: &AppState, rec: &Record<R::Input>, written: Written) {
    if written == Written::Unchanged {
        return; // the views already hold this content
    }
    R::written(state, rec);
    // match.found: only worth ranking when some subscription listens for it. These events
    // are derived (a ranking), so they are queued after the commit.
    if let Some(min_score) = state.match_found_threshold().await {
        let found = R::matches(state, rec, min_score);
        // Recorded like every ranking, and not sent unrecorded; the write itself is
        // committed, so a failure is logged, not answered.
        let pairs: Vec<(Uuid, f64)> =
            found.iter().map(|(a, c, s)| (if R::KIND == "assignment" { *c } else { *a }, *s)).collect();
        if let Err(e) = state.audit_match_found(R::KIND, rec.meta.id, &pairs, min_score).await {
            tracing::error!(error = %e, "could not record a match.found ranking in the audit; its events are not sent");
            return;
        }
        for (assignment_id, consultant_id, score) in found {
            let details = serde_json::json!({"trigger": R::KIND, "score_version": crate::matching::SCORE_VERSION});
            state.emit(Event::MatchFound { assignment_id, consultant_id, score, details }).await;
        }
    }
}

/// Creates a record from `body`.
pub async fn create<R: Documented>(state: &AppState, body: &Value) -> Outcome<Record<R::Input>> {
    forbid_stating::<R>(body)?;
    let input = parse::<R>(state, body)?;
    let hooks = subscriptions(state).await?;
    let rec = state
        .store
        .create::<R>(&input, &outbox::<R>(&hooks))
        .await
        .map_err(|e| WriteError::store(R::KIND, "(new)", e))?;
    after_write::<R>(state, &rec, Written::Created).await;
    Ok(rec)
}

/// Replaces record `id` with `body` (only at `version`, when given). A caller without
/// `sensitive` keeps the stored sensitive fields.
pub async fn replace<R: Documented>(
    state: &AppState,
    id: Uuid,
    version: Option<i64>,
    mut body: Value,
) -> Outcome<(Record<R::Input>, Written)> {
    forbid_stating::<R>(&body)?;
    if hides_sensitive::<R>() {
        let current = state.store.get::<R>(id).await.map_err(|e| WriteError::store(R::KIND, id, e))?;
        keep_hidden::<R>(&mut body, &current);
    }
    let input = parse::<R>(state, &body)?;
    store_replacement::<R>(state, id, &input, version).await
}

/// Applies the RFC 7396 merge patch `patch` (an object) to record `id`, at `version` when
/// given, else at the version it was read at, so a concurrent change in between is detected
/// rather than overwritten.
pub async fn patch<R: Documented>(
    state: &AppState,
    id: Uuid,
    version: Option<i64>,
    patch: &Value,
) -> Outcome<(Record<R::Input>, Written)> {
    forbid_stating::<R>(patch)?;
    let current = state.store.get::<R>(id).await.map_err(|e| WriteError::store(R::KIND, id, e))?;
    let mut doc = R::document(&current).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut doc {
        for k in READ_ONLY_FIELDS {
            map.remove(*k);
        }
    }
    document::merge_patch(&mut doc, patch);
    let input = parse::<R>(state, &doc)?;
    store_replacement::<R>(state, id, &input, Some(version.unwrap_or(current.meta.version))).await
}

async fn store_replacement<R: Documented>(
    state: &AppState,
    id: Uuid,
    input: &R::Input,
    version: Option<i64>,
) -> Outcome<(Record<R::Input>, Written)> {
    let hooks = subscriptions(state).await?;
    let (rec, written) = state
        .store
        .replace::<R>(id, input, version, &outbox::<R>(&hooks))
        .await
        .map_err(|e| WriteError::store(R::KIND, id, e))?;
    after_write::<R>(state, &rec, written).await;
    Ok((rec, written))
}

/// Creates or replaces the record with ATS reference `s` from `body`, as `expect` allows.
/// The reference fills in the body's `source`/`external_id` where it leaves them out; a
/// body that contradicts it is invalid.
pub async fn upsert<R: Documented>(
    state: &AppState,
    s: &SourceRef,
    expect: Expect,
    mut body: Value,
) -> Outcome<(Record<R::Input>, Written)> {
    let name = format!("{}/{}", s.source, s.external_id);
    forbid_stating::<R>(&body)?;
    if hides_sensitive::<R>() {
        match state.store.get_by_source::<R>(s).await {
            Ok(current) => keep_hidden::<R>(&mut body, &current),
            Err(StoreError::NotFound) => {}
            Err(e) => return Err(WriteError::store(R::KIND, name, e)),
        }
    }
    let mut errs = FieldErrors::default();
    if let Value::Object(map) = &mut body {
        for (field, want) in [("source", &s.source), ("external_id", &s.external_id)] {
            match map.get(field) {
                None | Some(Value::Null) => {
                    map.insert(field.to_string(), Value::String(want.clone()));
                }
                Some(Value::String(v)) if v == want => {}
                Some(v) => errs.push(field, format!("must match the path ({want:?}) or be left out, got {v}")),
            }
        }
    }
    if !errs.is_empty() {
        return Err(errs.into());
    }
    let input = parse::<R>(state, &body)?;
    let hooks = subscriptions(state).await?;
    let (rec, written) = state
        .store
        .upsert::<R>(s, input, expect, &outbox::<R>(&hooks))
        .await
        .map_err(|e| WriteError::store(R::KIND, name, e))?;
    after_write::<R>(state, &rec, written).await;
    Ok((rec, written))
}

/// Deletes record `id` (only at `version`, when given).
pub async fn delete<R: Documented>(state: &AppState, id: Uuid, version: Option<i64>) -> Outcome<()> {
    let hooks = subscriptions(state).await?;
    state.store.delete::<R>(id, version, &outbox::<R>(&hooks)).await.map_err(|e| WriteError::store(R::KIND, id, e))?;
    R::deleted(state, id);
    Ok(())
}

/// Deletes the record with ATS reference `s` (only at `version`, when given); its id.
pub async fn delete_by_source<R: Documented>(state: &AppState, s: &SourceRef, version: Option<i64>) -> Outcome<Uuid> {
    let hooks = subscriptions(state).await?;
    let id = state
        .store
        .delete_by_source::<R>(s, version, &outbox::<R>(&hooks))
        .await
        .map_err(|e| WriteError::store(R::KIND, format!("{}/{}", s.source, s.external_id), e))?;
    R::deleted(state, id);
    Ok(id)
}
