//! Webhooks: events, their signed delivery and the guard against private URLs.
//!
//! Writes put an event in the durable outbox ([`emit`]): one `webhook_events` row and a
//! `webhook_deliveries` row per interested subscription, in one transaction. The
//! [`worker`] sends due deliveries, signs each attempt (`Staffmatch-Signature:
//! t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`), and retries failures with
//! exponential backoff and jitter until the retry window (72 h by default) is over; every
//! attempt is logged on the delivery. Receivers de-duplicate on `Staffmatch-Event-Id`.

pub mod url;
pub mod worker;

use chrono::{DateTime, SecondsFormat, Utc};
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;
use uuid::Uuid;

use crate::store::{Change, OutboxEvent, Record, Store, StoreError, WebhookRow, Written};

/// Every event type; subscriptions may also use `consultant.*`, `assignment.*`, `match.*`,
/// `decision.*` or `*`.
pub const EVENT_TYPES: &[&str] = &[
    "consultant.created",
    "consultant.updated",
    "consultant.deleted",
    "consultant.expiring",
    "assignment.created",
    "assignment.updated",
    "assignment.deleted",
    "match.found",
    "decision.created",
];

/// Whether `pattern` is a valid subscription pattern.
pub fn valid_pattern(pattern: &str) -> bool {
    pattern == "*"
        || EVENT_TYPES.contains(&pattern)
        || pattern.strip_suffix(".*").is_some_and(|p| ["consultant", "assignment", "match", "decision"].contains(&p))
}

/// What happened to a stored resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Made.
    Created,
    /// Changed.
    Updated,
    /// Removed.
    Deleted,
}

/// An event to deliver.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// A consultant or assignment was created, updated or deleted.
    Resource {
        /// `consultant` or `assignment`.
        kind: &'static str,
        /// What happened.
        action: Action,
        /// The resource's id.
        id: Uuid,
        /// Its representation after the change (`None` for deletes).
        object: Option<Value>,
    },
    /// A consultant scores at least a subscription's `min_score` for an open assignment
    /// (after either was stored or updated).
    MatchFound {
        /// The assignment.
        assignment_id: Uuid,
        /// The consultant.
        consultant_id: Uuid,
        /// The score, 0–100; compared with each subscription's `min_score`.
        score: f64,
        /// Extra detail (breakdown, explanation), sent as is.
        details: Value,
    },
    /// A recruiter recorded a decision about a consultant for an assignment.
    DecisionCreated {
        /// The decision as the API shows it.
        decision: Value,
    },
    /// A consultant will be erased by the retention (`STAFFMATCH_CONSULTANT_RETENTION_DAYS`)
    /// unless she is updated before `erase_after`: the ATS may ask her for consent to keep
    /// her data. No personal data beyond her ids.
    Expiring {
        /// The consultant.
        id: Uuid,
        /// Her ATS reference, if any.
        source: Option<crate::domain::SourceRef>,
        /// When she was last updated.
        updated_at: DateTime<Utc>,
        /// When the retention erases her.
        erase_after: DateTime<Utc>,
    },
}

impl Action {
    /// `created`, `updated` or `deleted`.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Created => "created",
            Action::Updated => "updated",
            Action::Deleted => "deleted",
        }
    }
}

impl Event {
    /// The event type, e.g. `consultant.updated`.
    pub fn event_type(&self) -> String {
        match self {
            Event::Resource { kind, action, .. } => format!("{kind}.{}", action.as_str()),
            Event::MatchFound { .. } => "match.found".to_string(),
            Event::DecisionCreated { .. } => "decision.created".to_string(),
            Event::Expiring { .. } => "consultant.expiring".to_string(),
        }
    }

    /// The match score a `match.found` event carries (compared with subscriptions' `min_score`).
    pub fn score(&self) -> Option<f64> {
        match self {
            Event::MatchFound { score, .. } => Some(*score),
            Event::Resource { .. } | Event::DecisionCreated { .. } | Event::Expiring { .. } => None,
        }
    }

    fn data(&self) -> Value {
        match self {
            Event::Resource { id, object: Some(object), .. } => json!({"id": id, "object": object}),
            Event::Resource { id, object: None, .. } => json!({"id": id}),
            Event::MatchFound { assignment_id, consultant_id, score, details } => {
                json!({"assignment_id": assignment_id, "consultant_id": consultant_id, "score": score, "details": details})
            }
            Event::DecisionCreated { decision } => decision.clone(),
            Event::Expiring { id, source, updated_at, erase_after } => json!({
                "id": id,
                "source": source.as_ref().map(|s| &s.source),
                "external_id": source.as_ref().map(|s| &s.external_id),
                "updated_at": updated_at.to_rfc3339_opts(SecondsFormat::Micros, true),
                "erase_after": erase_after.to_rfc3339_opts(SecondsFormat::Micros, true),
            }),
        }
    }
}

/// The body sent for an event.
pub fn payload(id: Uuid, event: &Event, at: DateTime<Utc>) -> String {
    json!({
        "id": id,
        "type": event.event_type(),
        "created_at": at.to_rfc3339_opts(SecondsFormat::Micros, true),
        "data": event.data(),
    })
    .to_string()
}

/// The outbox events of one resource kind for the subscriptions in `hooks`, as the store
/// asks for them inside each write's transaction (see `store::Events`). `render` gives a
/// record's API representation, sent as the event's `object`; it runs only when some
/// subscription wants the event.
pub fn resource_events<'h, T>(
    hooks: &'h [WebhookRow],
    kind: &'static str,
    render: impl Fn(&Record<T>) -> Option<Value> + Sync + 'h,
) -> impl Fn(Change<'_, T>) -> Option<OutboxEvent> + Sync + 'h {
    move |change| {
        let (action, id, record) = match change {
            Change::Written(rec, Written::Created) => (Action::Created, rec.meta.id, Some(rec)),
            Change::Written(rec, Written::Updated) => (Action::Updated, rec.meta.id, Some(rec)),
            Change::Written(_, Written::Unchanged) => return None,
            Change::Deleted(id) => (Action::Deleted, id, None),
        };
        let event_type = format!("{kind}.{}", action.as_str());
        let wanted: Vec<Uuid> = hooks.iter().filter(|w| w.wants(&event_type, None)).map(|w| w.id).collect();
        if wanted.is_empty() {
            return None;
        }
        let object = record.and_then(&render);
        let event = Event::Resource { kind, action, id, object };
        let event_id = Uuid::now_v7();
        Some(OutboxEvent { id: event_id, event_type, payload: payload(event_id, &event, Utc::now()), hooks: wanted })
    }
}

/// `event` as an outbox row for the subscriptions in `hooks` that want it (`None`: nobody
/// does), for a caller that stores it in a transaction of its own.
pub fn outbox_event(hooks: &[WebhookRow], event: &Event) -> Option<OutboxEvent> {
    let event_type = event.event_type();
    let wanted: Vec<Uuid> = hooks.iter().filter(|w| w.wants(&event_type, event.score())).map(|w| w.id).collect();
    if wanted.is_empty() {
        return None;
    }
    let id = Uuid::now_v7();
    Some(OutboxEvent { id, event_type, payload: payload(id, event, Utc::now()), hooks: wanted })
}

/// Puts `event` in the outbox for every subscription that wants it. Returns the event id
/// when at least one delivery was queued. This is the hook for `match.found`:
/// `webhooks::emit(&state.store, Event::MatchFound { … }).await`.
pub async fn emit(store: &Store, event: Event) -> Result<Option<Uuid>, StoreError> {
    let id = Uuid::now_v7();
    let body = payload(id, &event, Utc::now());
    let n = store.enqueue_event(id, &event.event_type(), &body, event.score()).await?;
    Ok((n > 0).then_some(id))
}

/// The `Staffmatch-Signature` value for `body` sent at unix time `t`.
pub fn signature(secret: &str, t: i64, body: &str) -> String {
    format!("t={t},v1={}", crate::auth::hex(&sign(secret, t, body)))
}

fn sign(secret: &str, t: i64, body: &str) -> Vec<u8> {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = match Hmac::<Sha256>::new_from_slice(secret.as_bytes()) {
        Ok(m) => m,
        Err(_) => return Vec::new(),
    };
    mac.update(t.to_string().as_bytes());
    mac.update(b".");
    mac.update(body.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

/// Checks a `Staffmatch-Signature` header (for receivers and tests), in constant time.
pub fn verify(secret: &str, header: &str, body: &str) -> bool {
    let mut t = None;
    let mut v1 = None;
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", x)) => t = x.parse::<i64>().ok(),
            Some(("v1", x)) => v1 = Some(x.to_string()),
            _ => {}
        }
    }
    let (Some(t), Some(v1)) = (t, v1) else { return false };
    let want = crate::auth::hex(&sign(secret, t, body));
    subtle::ConstantTimeEq::ct_eq(want.as_bytes(), v1.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_verify_and_tampering_is_caught() {
        let sig = signature("whsec_test", 1_700_000_000, "{\"a\":1}");
        assert!(sig.starts_with("t=1700000000,v1="));
        assert!(verify("whsec_test", &sig, "{\"a\":1}"));
        assert!(!verify("whsec_test", &sig, "{\"a\":2}"));
        assert!(!verify("other", &sig, "{\"a\":1}"));
    }

    #[test]
    fn patterns_and_event_types() {
        for ok in ["*", "consultant.*", "match.found", "assignment.deleted", "decision.created", "decision.*"] {
            assert!(valid_pattern(ok), "{ok}");
        }
        for bad in ["", "consultant", "skill.*", "consultant.exploded"] {
            assert!(!valid_pattern(bad), "{bad}");
        }
        let e = Event::Resource { kind: "consultant", action: Action::Deleted, id: Uuid::nil(), object: None };
        assert_eq!(e.event_type(), "consultant.deleted");
    }
}
