//! The audit's writer: one task appends the ranking records, grouping the records of
//! concurrent calls into one transaction, so that N rankings at once pay for one commit (one
//! sync to disk) instead of N queued behind each other on the write lock.
//!
//! A call submits its record as soon as it knows the items, before it renders its answer, and
//! waits for the commit only before the answer goes out: the commit runs while the page is
//! written. Nothing is answered until its record is durable; a record that cannot be written
//! fails its call.
//!
//! The look-up of "every ranking that listed her" is filled by the same task off the answer's
//! path, when no record has come for a moment: small sorted batches (`Store::list_ranking_audits`),
//! looking for new records between them, so a ranking that arrives meanwhile waits for one
//! batch at most. The look-up is keyed by consultant, so each entry dirties a random page:
//! listed on each commit it cost a ranking more than the ranking itself. Readers take records
//! not listed yet from their items, so nothing waits for it; only a backlog of
//! [`LIST_BACKLOG`] records (a load without pause) is listed between commits.

use std::time::Duration;

use tokio::sync::{mpsc, oneshot};
use uuid::Uuid;

use crate::store::{RankingAudit, Store, StoreError};

/// At most this many records go into one transaction (each with up to a page of items).
const MAX_GROUP: usize = 64;

/// Records listed in the look-up per transaction.
const LIST_BATCH: u64 = 100;
/// Listing starts once no record has come for this long...
const LIST_WHEN_IDLE: Duration = Duration::from_secs(2);
/// ...or, under a load without pause, once this many records wait.
const LIST_BACKLOG: usize = 20_000;

/// What a caller waits on: whether its group committed (the error's text if not).
type Done = oneshot::Sender<Result<(), String>>;

/// Submits records to the writer task.
#[derive(Clone)]
pub struct AuditLog {
    tx: mpsc::UnboundedSender<(RankingAudit, Done)>,
}

/// A submitted record: its id, and the commit to wait for before answering.
#[must_use = "a ranking may not be answered before its record is durable"]
pub struct Receipt {
    id: Uuid,
    done: oneshot::Receiver<Result<(), String>>,
}

impl Receipt {
    /// Waits until the record is committed; its id.
    pub async fn durable(self) -> Result<Uuid, StoreError> {
        let failed = |why: String| StoreError::Database(sea_orm::DbErr::Custom(format!("audit not written: {why}")));
        // A record the writer never took has its sender dropped: the receiver says so.
        match self.done.await {
            Ok(Ok(())) => Ok(self.id),
            Ok(Err(why)) => Err(failed(why)),
            Err(_) => Err(failed("the audit writer stopped".into())),
        }
    }
}

impl AuditLog {
    /// Starts the writer on the current runtime.
    pub fn spawn(store: Store) -> (AuditLog, actix_web::rt::task::JoinHandle<()>) {
        let (tx, rx) = mpsc::unbounded_channel();
        (AuditLog { tx }, actix_web::rt::spawn(write(store, rx)))
    }

    /// Hands `record` to the writer; callable from any thread (the blocking pool included).
    pub fn submit(&self, record: RankingAudit) -> Receipt {
        let id = record.id;
        let (done, rx) = oneshot::channel();
        if cfg!(feature = "unaudited") {
            let _ = done.send(Ok(()));
        } else {
            // If the writer is gone, the message (and its sender) is dropped here.
            let _ = self.tx.send((record, done));
        }
        Receipt { id, done: rx }
    }
}

/// The writer: takes what is queued (at least one record, at most [`MAX_GROUP`]), commits it
/// in one transaction, answers each caller; lists committed records in the look-up when idle
/// (or when [`LIST_BACKLOG`] wait); until every [`AuditLog`] is gone.
async fn write(store: Store, mut rx: mpsc::UnboundedReceiver<(RankingAudit, Done)>) {
    let mut records = Vec::with_capacity(MAX_GROUP);
    let mut waiting = Vec::with_capacity(MAX_GROUP);
    // Records committed and not listed yet, roughly (at start: perhaps an earlier run's).
    let mut backlog = 1usize;
    // Whether the last thing done was a listing batch (then the next follows at once).
    let mut listing = false;
    loop {
        let wait = match (backlog, listing) {
            (0, _) => None,
            (_, true) => Some(Duration::ZERO),
            (_, false) => Some(LIST_WHEN_IDLE),
        };
        let next = match wait {
            Some(d) => tokio::time::timeout(d, rx.recv()).await,
            None => Ok(rx.recv().await),
        };
        let (record, done) = match next {
            Ok(Some(first)) => first,
            Ok(None) => break,
            Err(_idle) => {
                (backlog, listing) = match list_batch(&store).await {
                    Some(n) if n as u64 == LIST_BATCH => (backlog.saturating_sub(n).max(1), true),
                    Some(_) => (0, false),
                    // Failed: try again after the next quiet moment.
                    None => (backlog, false),
                };
                continue;
            }
        };
        listing = false;
        records.push(record);
        waiting.push(done);
        while records.len() < MAX_GROUP {
            match rx.try_recv() {
                Ok((record, done)) => {
                    records.push(record);
                    waiting.push(done);
                }
                Err(_) => break,
            }
        }
        let result = store.append_ranking_audits(&records).await.map_err(|e| e.to_string());
        match &result {
            Ok(()) => backlog += records.len(),
            Err(e) => {
                tracing::error!(error = %e, records = records.len(), "audit records not written; their rankings fail")
            }
        }
        records.clear();
        for done in waiting.drain(..) {
            // A caller that went away (its client hung up) needs no answer.
            let _ = done.send(result.clone());
        }
        if backlog >= LIST_BACKLOG
            && let Some(n) = list_batch(&store).await
        {
            backlog = backlog.saturating_sub(n);
        }
    }
}

/// Lists one batch; how many records it listed (`None`: it failed, logged).
async fn list_batch(store: &Store) -> Option<usize> {
    match store.list_ranking_audits(LIST_BATCH).await {
        Ok(n) => Some(n),
        Err(e) => {
            tracing::warn!(error = %e, "audit records not listed yet; retrying later");
            None
        }
    }
}
