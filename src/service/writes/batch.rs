//! Batch writes: every item validated on its own, the valid ones written in one
//! transaction ([`crate::store::Store::batch`]: multi-row statements, item results as if
//! written one by one), one result per item.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use serde_json::Value;

use super::{
    Documented, Outcome, WriteError, after_write, forbid_stating, hides_sensitive, keep_hidden, outbox, parse,
};
use crate::domain::SourceRef;
use crate::service::AppState;
use crate::store::{Record, StoreError, Written};

/// The most items one batch may carry.
pub const MAX_BATCH: usize = 1_000;

/// What became of one item of a batch: the stored record and what the write did to it, or
/// why the item was refused.
pub type BatchItem<T> = Result<(Record<T>, Written), WriteError>;

/// For a caller without `sensitive`, an item that names a stored record (by its ATS id)
/// keeps that record's sensitive fields, as an upsert by ATS id does: the caller could not
/// have read what it would otherwise clear. `None`: the item stands as sent.
async fn kept_hidden<R: Documented>(state: &AppState, item: &Value) -> Outcome<Option<Value>> {
    if !hides_sensitive::<R>() {
        return Ok(None);
    }
    let text = |k: &str| item.get(k).and_then(Value::as_str).map(str::to_string);
    let (Some(source), Some(external_id)) = (text("source"), text("external_id")) else { return Ok(None) };
    let s = SourceRef { source, external_id };
    match state.store.get_by_source::<R>(&s).await {
        Ok(current) => {
            let mut doc = item.clone();
            keep_hidden::<R>(&mut doc, &current);
            Ok(Some(doc))
        }
        Err(StoreError::NotFound) => Ok(None),
        Err(e) => Err(WriteError::store(R::KIND, format!("{}/{}", s.source, s.external_id), e)),
    }
}

/// Checks and prepares one item: the `sensitive` rule, hidden fields kept, validation.
async fn prepare_item<R: Documented>(state: &AppState, item: &Value) -> Outcome<R::Input> {
    forbid_stating::<R>(item)?;
    match kept_hidden::<R>(state, item).await? {
        Some(doc) => parse::<R>(state, &doc),
        None => parse::<R>(state, item),
    }
}

/// Writes `items` (at most [`MAX_BATCH`], each a body as for an upsert by ATS id or a
/// create) and answers one result per item, in order. The same ATS id twice is ambiguous:
/// the later item is refused. `Err`: nothing was written.
pub async fn batch<R: Documented>(state: &AppState, items: &[Value]) -> Outcome<Vec<BatchItem<R::Input>>> {
    let mut results: Vec<Option<BatchItem<R::Input>>> = Vec::with_capacity(items.len());
    let mut valid = Vec::new();
    let mut seen: HashMap<SourceRef, usize> = HashMap::new();
    for (i, item) in items.iter().enumerate() {
        let refused = match prepare_item::<R>(state, item).await {
            Ok(input) => {
                let first = R::source_of(&input).and_then(|s| match seen.entry(s.clone()) {
                    Entry::Occupied(o) => Some(*o.get()),
                    Entry::Vacant(v) => {
                        v.insert(i);
                        None
                    }
                });
                match first {
                    Some(first) => Some(WriteError::DuplicateInBatch { first }),
                    None => {
                        valid.push((i, input));
                        None
                    }
                }
            }
            Err(e) => Some(e),
        };
        results.push(refused.map(Err));
    }
    let (indices, inputs): (Vec<usize>, Vec<R::Input>) = valid.into_iter().unzip();
    let hooks = super::subscriptions(state).await?;
    let written =
        state.store.batch::<R>(inputs, &outbox::<R>(&hooks)).await.map_err(|e| WriteError::store(R::KIND, "", e))?;
    for (i, outcome) in indices.into_iter().zip(written) {
        results[i] = Some(match outcome {
            Ok((rec, w)) => {
                after_write::<R>(state, &rec, w).await;
                Ok((rec, w))
            }
            Err(e) => Err(WriteError::store(R::KIND, format!("item {i}"), e)),
        });
    }
    Ok(results.into_iter().flatten().collect())
}
