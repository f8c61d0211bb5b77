//! The audit's writer. A call submits its record as soon as it knows the items, before it
//! renders its answer, and waits for the record to be durable only before the answer goes
//! out, so the sync to disk runs while the page is written. Nothing is answered until its
//! record is durable; a record that cannot be written fails its call. The records of
//! concurrent calls are grouped, so N rankings at once pay for one sync.
//!
//! On a SQLite file the records go through the journal (`store::journal`): one thread
//! appends each group to a preallocated segment and syncs its data, a task then moves them
//! into the database in large transactions, off the answers' path. Those who read the audit
//! in the database (its API, an export, an erasure) [`AuditLog::flush`] first. A crash
//! leaves them in the journal, and the next start moves them. On PostgreSQL (where replicas
//! share the database and need no local disk) and an in-memory SQLite, groups are inserted
//! directly, one transaction each.
//!
//! The look-up of "every ranking that listed her" is filled off the answer's path when no
//! record has come for a moment: small sorted batches (`Store::list_ranking_audits`), looking
//! for new records between them. The look-up is keyed by consultant, so each entry dirties a
//! random page: listed on each commit it cost a ranking more than the ranking itself.
//! Readers take records not listed yet from their items, so nothing waits for it; only a
//! backlog of [`LIST_BACKLOG`] records (a load without pause) is listed between commits.

use std::sync::mpsc as std_mpsc;
use std::time::{Duration, Instant};

use tokio::sync::{mpsc, oneshot};
use uuid::Uuid;

use crate::store::journal::{JournalDir, Segment, encode};
use crate::store::{RankingAudit, Store, StoreError};

/// At most this many records go into one transaction (each with up to a page of items).
const MAX_GROUP: usize = 64;

/// Records moved from the journal into the database per transaction...
const MOVE_BATCH: usize = 256;
/// ...after a record waited at most this long for others to share the transaction.
const MOVE_DELAY: Duration = Duration::from_millis(200);

/// Records listed in the look-up per transaction.
const LIST_BATCH: u64 = 100;
/// Listing starts once no record has come for this long...
const LIST_WHEN_IDLE: Duration = Duration::from_secs(2);
/// ...or, under a load without pause, once this many records wait.
const LIST_BACKLOG: usize = 20_000;

/// What a caller waits on: whether its group committed (the error's text if not).
type Done = oneshot::Sender<Result<(), String>>;

/// Submits records to the writer.
#[derive(Clone)]
pub struct AuditLog {
    sink: Sink,
}

#[derive(Clone)]
enum Sink {
    /// Straight into the database, grouped (PostgreSQL, an in-memory SQLite).
    Direct(mpsc::UnboundedSender<(RankingAudit, Done)>),
    /// Into the journal's thread (a SQLite file).
    Journal(std_mpsc::Sender<Msg>),
}

/// What the journal's thread is asked.
enum Msg {
    /// Make this record durable.
    Record(Box<RankingAudit>, Done),
    /// Answer once every record submitted before is in the database.
    Flush(Done),
}

/// What the journal's thread hands the task that moves records into the database.
enum Move {
    /// Durable in the journal; to be inserted.
    Records(Vec<RankingAudit>),
    /// The journal went on to a new segment after this one.
    Closed(u64),
    /// Answer once everything before is inserted.
    Barrier(Done),
}

/// A submitted record: its id, and the commit to wait for before answering.
#[must_use = "a ranking may not be answered before its record is durable"]
pub struct Receipt {
    id: Uuid,
    done: oneshot::Receiver<Result<(), String>>,
}

fn not_written(why: String) -> StoreError {
    StoreError::Database(sea_orm::DbErr::Custom(format!("audit not written: {why}")))
}

/// What the writer answered; a message it never took has its sender dropped, which the
/// receiver reports.
async fn answered(done: oneshot::Receiver<Result<(), String>>) -> Result<(), StoreError> {
    match done.await {
        Ok(result) => result.map_err(not_written),
        Err(_) => Err(not_written("the audit writer stopped".into())),
    }
}

impl Receipt {
    /// Waits until the record is committed; its id.
    pub async fn durable(self) -> Result<Uuid, StoreError> {
        answered(self.done).await.map(|()| self.id)
    }
}

impl AuditLog {
    /// Starts the writer on the current runtime: with `journal` (a SQLite file's), first
    /// moves what an earlier run left in it into the database.
    pub async fn start(
        store: Store,
        journal: Option<JournalDir>,
    ) -> Result<(AuditLog, actix_web::rt::task::JoinHandle<()>), StoreError> {
        let Some(dir) = journal else {
            let (tx, rx) = mpsc::unbounded_channel();
            return Ok((AuditLog { sink: Sink::Direct(tx) }, actix_web::rt::spawn(write(store, rx))));
        };
        let io = |e: std::io::Error| not_written(format!("audit journal: {e}"));
        let recovered = dir.recover().map_err(io)?;
        if !recovered.records.is_empty() {
            let n = store.append_missing_ranking_audits(&recovered.records).await?;
            tracing::info!(records = recovered.records.len(), inserted = n, "audit journal recovered");
        }
        for n in &recovered.segments {
            dir.retire(*n).map_err(io)?;
        }
        let (tx, rx) = std_mpsc::channel();
        let (mover_tx, mover_rx) = mpsc::unbounded_channel();
        let writer = dir.clone();
        std::thread::Builder::new()
            .name("audit-journal".into())
            .spawn(move || journal_thread(writer, recovered.next, rx, mover_tx))
            .map_err(io)?;
        Ok((AuditLog { sink: Sink::Journal(tx) }, actix_web::rt::spawn(mover(store, mover_rx, dir))))
    }

    /// Hands `record` to the writer; callable from any thread (the blocking pool included).
    pub fn submit(&self, record: RankingAudit) -> Receipt {
        let id = record.id;
        let (done, rx) = oneshot::channel();
        if cfg!(feature = "unaudited") {
            let _ = done.send(Ok(()));
        } else {
            // If the writer is gone, the message (and its sender) is dropped here.
            match &self.sink {
                Sink::Direct(tx) => drop(tx.send((record, done))),
                Sink::Journal(tx) => drop(tx.send(Msg::Record(Box::new(record), done))),
            }
        }
        Receipt { id, done: rx }
    }

    /// Waits until every record submitted before is in the database, for those who read
    /// the audit there (its API, an export, an erasure, a stop).
    pub async fn flush(&self) -> Result<(), StoreError> {
        let Sink::Journal(tx) = &self.sink else { return Ok(()) };
        let (done, rx) = oneshot::channel();
        let _ = tx.send(Msg::Flush(done));
        answered(rx).await
    }
}

/// The journal's thread: takes what is queued (at least one record, at most [`MAX_GROUP`]),
/// writes it into the segment with one data sync, answers each caller and hands the records
/// to [`mover`]; until every [`AuditLog`] is gone. The first segment, numbered `first`, is
/// made when the first record comes.
fn journal_thread(dir: JournalDir, first: u64, rx: std_mpsc::Receiver<Msg>, mover: mpsc::UnboundedSender<Move>) {
    let mut segment = Lazy { number: first, open: None };
    let mut group = Vec::with_capacity(MAX_GROUP);
    let mut waiting = Vec::with_capacity(MAX_GROUP);
    let mut frames = Vec::new();
    while let Ok(first) = rx.recv() {
        let mut next = Some(first);
        while let Some(msg) = next.take() {
            match msg {
                Msg::Record(record, done) => {
                    group.push(*record);
                    waiting.push(done);
                }
                Msg::Flush(done) => {
                    commit(&dir, &mut segment, &mut group, &mut waiting, &mut frames, &mover);
                    // A flush also closes a segment in use, so that no live segment keeps a
                    // record the database has since changed (an erasure's pseudonym).
                    if segment.open.as_ref().is_some_and(|s| !s.is_empty()) {
                        rotate(&mut segment, &mover);
                    }
                    let _ = mover.send(Move::Barrier(done));
                }
            }
            if group.len() < MAX_GROUP {
                next = rx.try_recv().ok();
            }
        }
        commit(&dir, &mut segment, &mut group, &mut waiting, &mut frames, &mover);
    }
}

/// The segment in use, made when first needed.
struct Lazy {
    number: u64,
    open: Option<Segment>,
}

/// Goes on to the next segment (made when first needed); the records of the closed one are
/// moved, then it is retired.
fn rotate(segment: &mut Lazy, mover: &mpsc::UnboundedSender<Move>) {
    if let Some(closed) = segment.open.take() {
        segment.number = closed.number + 1;
        let _ = mover.send(Move::Closed(closed.number));
    }
}

/// Writes `group` durably, answers its callers and hands it to the mover.
fn commit(
    dir: &JournalDir,
    segment: &mut Lazy,
    group: &mut Vec<RankingAudit>,
    waiting: &mut Vec<Done>,
    frames: &mut Vec<u8>,
    mover: &mpsc::UnboundedSender<Move>,
) {
    if group.is_empty() {
        return;
    }
    let result = write_group(dir, segment, group, frames, mover);
    match &result {
        Ok(()) => drop(mover.send(Move::Records(std::mem::take(group)))),
        Err(e) => {
            tracing::error!(error = %e, records = group.len(), "audit records not written; their rankings fail");
            group.clear();
        }
    }
    for done in waiting.drain(..) {
        // A caller that went away (its client hung up) needs no answer.
        let _ = done.send(result.clone());
    }
}

/// Encodes `group` into `frames` and writes them into the segment in use (the next one when
/// they do not fit).
fn write_group(
    dir: &JournalDir,
    segment: &mut Lazy,
    group: &[RankingAudit],
    frames: &mut Vec<u8>,
    mover: &mpsc::UnboundedSender<Move>,
) -> Result<(), String> {
    let encode_all = |number: u64, frames: &mut Vec<u8>| {
        frames.clear();
        group.iter().try_for_each(|r| encode(number, r, frames)).map_err(|e| e.to_string())
    };
    encode_all(segment.number, frames)?;
    if segment.open.as_ref().is_some_and(|s| !s.is_empty() && !s.fits(frames.len())) {
        rotate(segment, mover);
        // The frames carry the segment's number.
        encode_all(segment.number, frames)?;
    }
    let open = match &mut segment.open {
        Some(open) => open,
        None => segment.open.insert(dir.open_segment(segment.number).map_err(|e| format!("audit journal: {e}"))?),
    };
    open.append(frames).map_err(|e| format!("audit journal: {e}"))
}

/// Moves the journal's records into the database in large transactions: a record waits up
/// to [`MOVE_DELAY`] for others to share its transaction (one commit for many, where one per
/// record cost as much CPU as a ranking), at once for a flush. Retires the segments whose
/// records are all in, before answering a flush (so a clean stop leaves none to read at the
/// next start); lists records in the look-up when idle. A failed insert keeps its records
/// (they are durable in the journal) and is tried again after a second.
async fn mover(store: Store, mut rx: mpsc::UnboundedReceiver<Move>, dir: JournalDir) {
    let mut pending: Vec<RankingAudit> = Vec::new();
    let mut closed = Vec::new();
    let mut barriers: Vec<Done> = Vec::new();
    // When the oldest pending record came (or the failed insert is to be tried again).
    let mut due: Option<Instant> = None;
    let mut lister = Lister::new();
    let mut open = true;
    while open || !pending.is_empty() {
        let next = match (open, due.map(|at| at.saturating_duration_since(Instant::now())).or(lister.wait())) {
            (false, _) => Ok(None),
            (true, Some(d)) => tokio::time::timeout(d, rx.recv()).await,
            (true, None) => Ok(rx.recv().await),
        };
        let mut take = |m: Move, pending: &mut Vec<RankingAudit>, due: &mut Option<Instant>| match m {
            Move::Records(r) => {
                if pending.is_empty() {
                    *due = Some(Instant::now() + MOVE_DELAY);
                }
                pending.extend(r);
            }
            Move::Closed(n) => closed.push(n),
            Move::Barrier(d) => barriers.push(d),
        };
        match next {
            Ok(Some(m)) => take(m, &mut pending, &mut due),
            Ok(None) => open = false,
            Err(_idle) if due.is_none() => {
                lister.idle(&store).await;
                continue;
            }
            Err(_due) => {}
        }
        while let Ok(m) = rx.try_recv() {
            take(m, &mut pending, &mut due);
        }
        lister.busy();
        let now = due.is_some_and(|at| at <= Instant::now()) || !open;
        if !(now || !barriers.is_empty() || pending.len() >= MOVE_BATCH) {
            continue;
        }
        let mut failed = None;
        let mut moved = 0;
        while !pending.is_empty() {
            let n = pending.len().min(MOVE_BATCH);
            match store.append_ranking_audits(&pending[..n]).await {
                Ok(()) => {
                    pending.drain(..n);
                    moved += n;
                }
                Err(e) => {
                    tracing::error!(error = %e, records = pending.len(), "audit records not moved from the journal yet; retrying");
                    failed = Some(e.to_string());
                    break;
                }
            }
        }
        due = match &failed {
            Some(_) if open => Some(Instant::now() + Duration::from_secs(1)),
            Some(_) => break,
            None => None,
        };
        if pending.is_empty() && !closed.is_empty() {
            retire(&dir, std::mem::take(&mut closed)).await;
        }
        for done in barriers.drain(..) {
            let _ = done.send(failed.clone().map_or(Ok(()), Err));
        }
        lister.committed(&store, moved).await;
    }
}

/// Retires segments whose records are all in the database (file operations, off the
/// runtime's threads).
async fn retire(dir: &JournalDir, segments: Vec<u64>) {
    let dir = dir.clone();
    let _ = actix_web::rt::task::spawn_blocking(move || {
        for n in segments {
            if let Err(e) = dir.retire(n) {
                tracing::warn!(error = %e, segment = n, "an audit journal segment could not be retired");
            }
        }
    })
    .await;
}

/// When records committed to the database are listed in the look-up of "every ranking that
/// listed her": once no record has come for [`LIST_WHEN_IDLE`], then batch after batch, or
/// between commits once [`LIST_BACKLOG`] wait. Shared by both writers.
struct Lister {
    /// Records committed and not listed yet, roughly (at start: perhaps an earlier run's).
    backlog: usize,
    /// Whether the last thing done was a listing batch (then the next follows at once).
    listing: bool,
}

impl Lister {
    fn new() -> Lister {
        Lister { backlog: 1, listing: false }
    }

    /// How long to wait for a record before listing (`None`: nothing to list).
    fn wait(&self) -> Option<Duration> {
        match (self.backlog, self.listing) {
            (0, _) => None,
            (_, true) => Some(Duration::ZERO),
            (_, false) => Some(LIST_WHEN_IDLE),
        }
    }

    /// Nothing came for [`Lister::wait`]: lists one batch.
    async fn idle(&mut self, store: &Store) {
        (self.backlog, self.listing) = match list_batch(store).await {
            Some(n) if n as u64 == LIST_BATCH => (self.backlog.saturating_sub(n).max(1), true),
            Some(_) => (0, false),
            // Failed: try again after the next quiet moment.
            None => (self.backlog, false),
        };
    }

    /// Records came: listing waits for the next quiet moment.
    fn busy(&mut self) {
        self.listing = false;
    }

    /// `n` records were committed; under a backlog one batch is listed now.
    async fn committed(&mut self, store: &Store, n: usize) {
        self.backlog += n;
        if self.backlog >= LIST_BACKLOG
            && let Some(k) = list_batch(store).await
        {
            self.backlog = self.backlog.saturating_sub(k);
        }
    }
}

/// The writer: takes what is queued (at least one record, at most [`MAX_GROUP`]), commits it
/// in one transaction, answers each caller; lists committed records in the look-up when idle
/// (or when [`LIST_BACKLOG`] wait); until every [`AuditLog`] is gone.
async fn write(store: Store, mut rx: mpsc::UnboundedReceiver<(RankingAudit, Done)>) {
    let mut records = Vec::with_capacity(MAX_GROUP);
    let mut waiting = Vec::with_capacity(MAX_GROUP);
    let mut lister = Lister::new();
    loop {
        let next = match lister.wait() {
            Some(d) => tokio::time::timeout(d, rx.recv()).await,
            None => Ok(rx.recv().await),
        };
        let (record, done) = match next {
            Ok(Some(first)) => first,
            Ok(None) => break,
            Err(_idle) => {
                lister.idle(&store).await;
                continue;
            }
        };
        lister.busy();
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
        if let Err(e) = &result {
            tracing::error!(error = %e, records = records.len(), "audit records not written; their rankings fail");
        }
        let committed = if result.is_ok() { records.len() } else { 0 };
        records.clear();
        for done in waiting.drain(..) {
            // A caller that went away (its client hung up) needs no answer.
            let _ = done.send(result.clone());
        }
        lister.committed(&store, committed).await;
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
