//! A person's data exported (GDPR Art. 15 and 20) or erased (Art. 17). The export gathers
//! everything held about a consultant: her record, every audited ranking that listed or
//! scored her, the webhook events about her, her sync and deletion records. The erasure
//! removes her through the store's one delete path (`Store::erase_consultant`: rows, audit
//! pseudonym, redacted events and cached responses, the erasure's own record), takes her out
//! of the match index, and makes the storage let go of the bytes.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::AppState;
use crate::domain::ConsultantInput;
use crate::store::{AuditFilter, Consultants, Deletion, Erasure, RankingAudit, Record, StoreError, Subject};

/// At most this many audit records go into one export (a year of daily rankings of one
/// person is far fewer); more are cut and the export says so.
pub const MAX_EXPORTED_RANKINGS: usize = 100_000;

/// An outbox event about a person.
#[derive(Debug, Clone)]
pub struct EventAbout {
    /// The event id (`Staffmatch-Event-Id`).
    pub id: Uuid,
    /// Its type.
    pub event_type: String,
    /// When it was queued.
    pub created_at: DateTime<Utc>,
    /// The body sent, parsed.
    pub payload: serde_json::Value,
}

/// Everything held about a consultant.
#[derive(Debug, Clone)]
pub struct PersonData {
    /// Her record.
    pub record: Record<ConsultantInput>,
    /// Audit records that listed or scored her, or ranked assignments for her.
    pub rankings: Vec<RankingAudit>,
    /// Whether `rankings` was cut at [`MAX_EXPORTED_RANKINGS`].
    pub rankings_truncated: bool,
    /// Outbox events about her.
    pub events: Vec<EventAbout>,
    /// Deletions of earlier records with her ATS reference.
    pub deletions: Vec<Deletion>,
    /// Recruiters' decisions about her, oldest first.
    pub decisions: Vec<crate::store::Decision>,
}

/// Why a person could not be exported or erased.
#[derive(Debug, thiserror::Error)]
pub enum PrivacyError {
    /// No such consultant.
    #[error("no such consultant")]
    NotFound,
    /// The store failed.
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for PrivacyError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => PrivacyError::NotFound,
            e => PrivacyError::Store(e),
        }
    }
}

impl AppState {
    async fn consultant_of(&self, who: &Subject) -> Result<Record<ConsultantInput>, PrivacyError> {
        Ok(match who {
            Subject::Id(id) => self.store.get::<Consultants>(*id).await?,
            Subject::Source(s) => self.store.get_by_source::<Consultants>(s).await?,
        })
    }

    /// Everything held about consultant `who`.
    pub async fn export_consultant(&self, who: &Subject) -> Result<PersonData, PrivacyError> {
        let record = self.consultant_of(who).await?;
        let id = record.meta.id;
        self.audit_log.flush().await?;
        let filter = AuditFilter { consultant_id: Some(id), ..AuditFilter::default() };
        let (mut rankings, mut after) = (Vec::new(), None);
        loop {
            let (page, next) = self.store.ranking_audits(&filter, after, 500).await?;
            rankings.extend(page);
            after = next;
            if after.is_none() || rankings.len() >= MAX_EXPORTED_RANKINGS {
                break;
            }
        }
        let rankings_truncated = after.is_some();
        let events = self
            .store
            .events_about(id)
            .await?
            .into_iter()
            .map(|(id, event_type, created_at, payload)| EventAbout {
                id,
                event_type,
                created_at,
                payload: serde_json::from_str(&payload).unwrap_or(serde_json::Value::Null),
            })
            .collect();
        let deletions = match &record.data.source {
            Some(s) => self.store.deletions_of(s).await?,
            None => Vec::new(),
        };
        let decisions = self.store.all_decisions_for_consultant(id).await?;
        Ok(PersonData { record, rankings, rankings_truncated, events, deletions, decisions })
    }

    /// Erases consultant `who` everywhere (see the module doc) and makes the storage let go
    /// of her bytes; `reason` is `request` or `retention`. Returns the erasure's record (no
    /// personal data in it).
    pub async fn erase_consultant(&self, who: &Subject, reason: &str) -> Result<Erasure, PrivacyError> {
        let erasure = self.erase_only(who, reason).await?;
        self.reclaim().await;
        Ok(erasure)
    }

    /// [`AppState::erase_consultant`] without reclaiming the storage, for a caller that
    /// erases many and reclaims once ([`AppState::reclaim`]).
    pub async fn erase_only(&self, who: &Subject, reason: &str) -> Result<Erasure, PrivacyError> {
        let record = self.consultant_of(who).await?;
        // Every record that listed her is in the database before it is pseudonymised.
        self.audit_log.flush().await?;
        // Her deletion is announced (`consultant.deleted`, with only her id) so that copies
        // kept by subscribers are removed too.
        let hooks = self.hooks.get(&self.store).await?;
        let events = crate::webhooks::resource_events(&hooks, "consultant", |_| None);
        let key_id = crate::auth::current_key_id().unwrap_or_else(|| reason.to_string());
        let (id, erasure) =
            self.store.erase_consultant(&Subject::Id(record.meta.id), &record.data, &key_id, reason, &events).await?;
        self.consultant_deleted(id);
        self.decided.forget_consultant(id);
        tracing::info!(erasure_id = %erasure.id, reason, "a person was erased");
        Ok(erasure)
    }

    /// After an erasure: on SQLite the WAL is checkpointed and truncated before the answer;
    /// on PostgreSQL the `VACUUM` runs in the background (it can take a while on a large
    /// table and holds no lock that blocks reads or writes).
    pub async fn reclaim(&self) {
        if self.store.backend() == "postgres" {
            let store = self.store.clone();
            actix_web::rt::spawn(async move {
                if let Err(e) = store.reclaim_erased().await {
                    tracing::warn!(error = %e, "VACUUM after an erasure failed; autovacuum will reclaim the rows");
                }
            });
        } else if let Err(e) = self.store.reclaim_erased().await {
            tracing::warn!(error = %e, "the WAL checkpoint after an erasure failed");
        }
    }
}
