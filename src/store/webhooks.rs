//! Webhook subscriptions, the event outbox and deliveries with their attempt logs.

use chrono::{DateTime, SubsecRound, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::entities::{webhook, webhook_delivery as delivery, webhook_event as event};
use super::feed::FeedKind;
use super::{Store, StoreError};

/// An event ready for the outbox, with the subscriptions that want it.
#[derive(Debug, Clone, PartialEq)]
pub struct OutboxEvent {
    /// The event id (also sent as `Staffmatch-Event-Id`).
    pub id: Uuid,
    /// E.g. `consultant.updated`.
    pub event_type: String,
    /// The signed body.
    pub payload: String,
    /// The subscriptions to deliver it to.
    pub hooks: Vec<Uuid>,
}

/// Writes an event and one pending delivery per subscription on `c` (a transaction of the
/// caller's, so the event commits or rolls back with the change it reports).
pub(crate) async fn insert_outbox<C: sea_orm::ConnectionTrait>(c: &C, e: &OutboxEvent) -> Result<(), sea_orm::DbErr> {
    let t = now();
    event::Entity::insert(event_row(e, t)).exec_without_returning(c).await?;
    delivery::Entity::insert_many(delivery_rows(e, t)).exec_without_returning(c).await?;
    Ok(())
}

/// [`insert_outbox`] for many events, in multi-row statements (a batch write's events).
pub(crate) async fn insert_outbox_many(
    txn: &sea_orm::DatabaseTransaction,
    events: &[OutboxEvent],
) -> Result<(), sea_orm::DbErr> {
    let t = now();
    super::bulk::insert::<event::Entity>(txn, events.iter().map(|e| event_row(e, t)).collect()).await?;
    super::bulk::insert::<delivery::Entity>(txn, events.iter().flat_map(|e| delivery_rows(e, t)).collect()).await
}

fn event_row(e: &OutboxEvent, t: DateTime<Utc>) -> event::ActiveModel {
    event::ActiveModel {
        id: Set(e.id),
        event_type: Set(e.event_type.clone()),
        payload: Set(e.payload.clone()),
        created_at: Set(t),
    }
}

fn delivery_rows(e: &OutboxEvent, t: DateTime<Utc>) -> impl Iterator<Item = delivery::ActiveModel> + '_ {
    e.hooks.iter().map(move |w| delivery::ActiveModel {
        id: Set(Uuid::now_v7()),
        webhook_id: Set(*w),
        event_id: Set(e.id),
        state: Set("pending".to_string()),
        attempt_count: Set(0),
        next_attempt_at: Set(t),
        attempts: Set("[]".to_string()),
        created_at: Set(t),
        updated_at: Set(t),
    })
}

/// A subscription.
#[derive(Debug, Clone, PartialEq)]
pub struct WebhookRow {
    /// Its id.
    pub id: Uuid,
    /// Where events are POSTed.
    pub url: String,
    /// The HMAC key.
    pub secret: String,
    /// Event patterns (`consultant.*`, `match.found`, `*`).
    pub events: Vec<String>,
    /// Smallest `match.found` score delivered.
    pub min_score: Option<f64>,
    /// A note.
    pub description: Option<String>,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// The id of the API key that made it.
    pub created_by: Option<String>,
}

impl WebhookRow {
    /// Whether this subscription wants an event of `event_type` (with `score` for matches).
    pub fn wants(&self, event_type: &str, score: Option<f64>) -> bool {
        let listed = self.events.iter().any(|p| {
            p == "*"
                || p == event_type
                || p.strip_suffix(".*").is_some_and(|pre| event_type.split('.').next() == Some(pre))
        });
        let high_enough = match (self.min_score, score) {
            (Some(min), Some(s)) => s >= min,
            _ => true,
        };
        listed && high_enough
    }
}

/// One delivery attempt, as logged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttemptLog {
    /// When it was made.
    pub at: DateTime<Utc>,
    /// The receiver's HTTP status, if it answered.
    pub status_code: Option<u16>,
    /// What went wrong (connection error, timeout, non-2xx).
    pub error: Option<String>,
    /// How long it took.
    pub duration_ms: u64,
}

/// A delivery of one event to one subscription.
#[derive(Debug, Clone, PartialEq)]
pub struct DeliveryRow {
    /// Its id.
    pub id: Uuid,
    /// The subscription.
    pub webhook_id: Uuid,
    /// The event (also sent as `Staffmatch-Event-Id`).
    pub event_id: Uuid,
    /// The event's type.
    pub event_type: String,
    /// `pending`, `succeeded` or `failed`.
    pub state: String,
    /// Attempts so far.
    pub attempts: Vec<AttemptLog>,
    /// When the next attempt is due (pending only).
    pub next_attempt_at: DateTime<Utc>,
    /// When the event was queued.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

/// A delivery that is due, with what is needed to send it.
#[derive(Debug, Clone)]
pub struct DueDelivery {
    /// The delivery.
    pub id: Uuid,
    /// The event id.
    pub event_id: Uuid,
    /// The event type.
    pub event_type: String,
    /// The body to send.
    pub payload: String,
    /// The receiver.
    pub url: String,
    /// The HMAC key.
    pub secret: String,
    /// Attempts so far.
    pub attempt_count: i32,
    /// When the event was queued.
    pub created_at: DateTime<Utc>,
    /// The due time this worker saw (the claim compares it).
    pub next_attempt_at: DateTime<Utc>,
}

/// What an attempt leads to.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum AttemptOutcome {
    /// Delivered.
    Succeeded,
    /// Try again at this time.
    RetryAt(DateTime<Utc>),
    /// Give up.
    GaveUp,
}

fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

fn from_model(m: webhook::Model) -> WebhookRow {
    WebhookRow {
        id: m.id,
        url: m.url,
        secret: m.secret,
        events: m.events.split(',').filter(|s| !s.is_empty()).map(str::to_string).collect(),
        min_score: m.min_score,
        description: m.description,
        created_at: m.created_at,
        created_by: m.created_by,
    }
}

impl Store {
    /// Stores a subscription.
    pub async fn insert_webhook(
        &self,
        url: &str,
        secret: &str,
        events: &[String],
        min_score: Option<f64>,
        description: Option<&str>,
        created_by: Option<&str>,
    ) -> Result<WebhookRow, StoreError> {
        let m = webhook::Model {
            id: Uuid::now_v7(),
            url: url.to_string(),
            secret: secret.to_string(),
            events: events.join(","),
            min_score,
            description: description.map(str::to_string),
            created_at: now(),
            created_by: created_by.map(str::to_string),
        };
        let active = webhook::ActiveModel {
            id: Set(m.id),
            url: Set(m.url.clone()),
            secret: Set(m.secret.clone()),
            events: Set(m.events.clone()),
            min_score: Set(m.min_score),
            description: Set(m.description.clone()),
            created_at: Set(m.created_at),
            created_by: Set(m.created_by.clone()),
        };
        let _guard = self.write_guard().await;
        let txn = self.conn().begin().await?;
        webhook::Entity::insert(active).exec_without_returning(&txn).await?;
        self.feed_append(&txn, FeedKind::Webhook.as_str(), "write", vec![m.id.to_string()]).await?;
        txn.commit().await?;
        Ok(from_model(m))
    }

    /// Every subscription, oldest first.
    pub async fn list_webhooks(&self) -> Result<Vec<WebhookRow>, StoreError> {
        let rows = webhook::Entity::find().order_by_asc(webhook::Column::Id).all(self.conn()).await?;
        Ok(rows.into_iter().map(from_model).collect())
    }

    /// One subscription.
    pub async fn get_webhook(&self, id: Uuid) -> Result<WebhookRow, StoreError> {
        webhook::Entity::find_by_id(id).one(self.conn()).await?.map(from_model).ok_or(StoreError::NotFound)
    }

    /// Deletes a subscription and its deliveries.
    pub async fn delete_webhook(&self, id: Uuid) -> Result<(), StoreError> {
        let _guard = self.write_guard().await;
        let txn = self.conn().begin().await?;
        delivery::Entity::delete_many().filter(delivery::Column::WebhookId.eq(id)).exec(&txn).await?;
        let res = webhook::Entity::delete_many().filter(webhook::Column::Id.eq(id)).exec(&txn).await?;
        if res.rows_affected == 0 {
            txn.rollback().await?;
            return Err(StoreError::NotFound);
        }
        self.feed_append(&txn, FeedKind::Webhook.as_str(), "delete", vec![id.to_string()]).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Queues an event for every subscription that wants it, in one transaction; returns
    /// how many deliveries were queued (an event nobody wants is not stored).
    pub async fn enqueue_event(
        &self,
        id: Uuid,
        event_type: &str,
        payload: &str,
        score: Option<f64>,
    ) -> Result<usize, StoreError> {
        let hooks: Vec<Uuid> =
            self.list_webhooks().await?.into_iter().filter(|w| w.wants(event_type, score)).map(|w| w.id).collect();
        if hooks.is_empty() {
            return Ok(0);
        }
        let n = hooks.len();
        let event = OutboxEvent { id, event_type: event_type.to_string(), payload: payload.to_string(), hooks };
        let _guard = self.write_guard().await;
        let txn = self.conn().begin().await?;
        insert_outbox(&txn, &event).await?;
        txn.commit().await?;
        Ok(n)
    }

    /// Pending deliveries due by now, earliest first.
    pub async fn due_deliveries(&self, limit: u64) -> Result<Vec<DueDelivery>, StoreError> {
        let rows = delivery::Entity::find()
            .filter(delivery::Column::State.eq("pending"))
            .filter(delivery::Column::NextAttemptAt.lte(now()))
            .order_by_asc(delivery::Column::NextAttemptAt)
            .limit(limit)
            .all(self.conn())
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for d in rows {
            let (Some(w), Some(e)) = (
                webhook::Entity::find_by_id(d.webhook_id).one(self.conn()).await?,
                event::Entity::find_by_id(d.event_id).one(self.conn()).await?,
            ) else {
                continue;
            };
            out.push(DueDelivery {
                id: d.id,
                event_id: e.id,
                event_type: e.event_type,
                payload: e.payload,
                url: w.url,
                secret: w.secret,
                attempt_count: d.attempt_count,
                created_at: d.created_at,
                next_attempt_at: d.next_attempt_at,
            });
        }
        Ok(out)
    }

    /// Claims a due delivery for `lease_until` (so another worker or replica skips it);
    /// false when someone else claimed it first.
    pub async fn claim_delivery(&self, d: &DueDelivery, lease_until: DateTime<Utc>) -> Result<bool, StoreError> {
        let _guard = self.write_guard().await;
        let res = delivery::Entity::update_many()
            .col_expr(delivery::Column::NextAttemptAt, Expr::value(lease_until.trunc_subsecs(6)))
            .filter(delivery::Column::Id.eq(d.id))
            .filter(delivery::Column::State.eq("pending"))
            .filter(delivery::Column::NextAttemptAt.eq(d.next_attempt_at))
            .exec(self.conn())
            .await?;
        Ok(res.rows_affected == 1)
    }

    /// Logs an attempt and moves the delivery on.
    pub async fn record_attempt(
        &self,
        id: Uuid,
        attempt: AttemptLog,
        outcome: AttemptOutcome,
    ) -> Result<(), StoreError> {
        let _guard = self.write_guard().await;
        let Some(d) = delivery::Entity::find_by_id(id).one(self.conn()).await? else {
            return Ok(()); // the subscription was deleted meanwhile
        };
        let mut log: Vec<AttemptLog> = serde_json::from_str(&d.attempts).unwrap_or_default();
        log.push(attempt);
        let (state, next) = match outcome {
            AttemptOutcome::Succeeded => ("succeeded", d.next_attempt_at),
            AttemptOutcome::RetryAt(t) => ("pending", t.trunc_subsecs(6)),
            AttemptOutcome::GaveUp => ("failed", d.next_attempt_at),
        };
        delivery::Entity::update_many()
            .col_expr(delivery::Column::State, Expr::value(state))
            .col_expr(delivery::Column::AttemptCount, Expr::value(d.attempt_count + 1))
            .col_expr(delivery::Column::NextAttemptAt, Expr::value(next))
            .col_expr(delivery::Column::Attempts, Expr::value(serde_json::to_string(&log).unwrap_or_default()))
            .col_expr(delivery::Column::UpdatedAt, Expr::value(now()))
            .filter(delivery::Column::Id.eq(id))
            .exec(self.conn())
            .await?;
        Ok(())
    }

    /// A subscription's deliveries, newest first.
    pub async fn list_deliveries(&self, webhook_id: Uuid, limit: u64) -> Result<Vec<DeliveryRow>, StoreError> {
        let rows = delivery::Entity::find()
            .filter(delivery::Column::WebhookId.eq(webhook_id))
            .order_by_desc(delivery::Column::Id)
            .limit(limit)
            .all(self.conn())
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for d in rows {
            let event_type =
                event::Entity::find_by_id(d.event_id).one(self.conn()).await?.map(|e| e.event_type).unwrap_or_default();
            out.push(DeliveryRow {
                id: d.id,
                webhook_id: d.webhook_id,
                event_id: d.event_id,
                event_type,
                state: d.state,
                attempts: serde_json::from_str(&d.attempts).unwrap_or_default(),
                next_attempt_at: d.next_attempt_at,
                created_at: d.created_at,
                updated_at: d.updated_at,
            });
        }
        Ok(out)
    }
}
