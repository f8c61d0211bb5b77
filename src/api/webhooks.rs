//! `/api/v1/webhooks`: subscriptions and their delivery logs. Admin only.

use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use super::dto::ListResponse;
use super::error::{ApiError, ApiResult, Problem, parse_id, store_error};
use super::extract::{JsonBody, Params};
use crate::domain::FieldErrors;
use crate::service::AppState;
use crate::store::{AttemptLog, DeliveryRow, WebhookRow};
use crate::webhooks::{self, EVENT_TYPES};

/// The body of `POST /api/v1/webhooks`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"url": "https://ats.example.com/hooks/staffmatch", "secret": "whsec_5f0c8d1e2b7a4c9e", "events": ["consultant.*", "match.found"], "min_score": 75.0}))]
pub struct NewWebhook {
    /// Where to POST events: `http` or `https`; loopback, private and link-local addresses are
    /// refused unless `STAFFMATCH_WEBHOOK_ALLOW_PRIVATE=true`.
    pub url: String,
    /// The HMAC-SHA256 signing key (16–255 characters); made for you when left out.
    pub secret: Option<String>,
    /// Event types or patterns: `consultant.created|updated|deleted`, `assignment.created|updated|deleted`,
    /// `match.found`, `decision.created`, `consultant.*`, `assignment.*`, `match.*`, `decision.*`, `*`. A write that leaves a
    /// record exactly as it was raises no event.
    #[schema(example = json!(["consultant.*", "match.found"]))]
    pub events: Vec<String>,
    /// Only `match.found` events with at least this score (0–100) are sent.
    pub min_score: Option<f64>,
    /// A note (at most 500 characters).
    pub description: Option<String>,
}

/// A subscription (never the secret, except in the answer that made it).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Webhook {
    /// Its id.
    pub id: uuid::Uuid,
    /// Where events are POSTed.
    pub url: String,
    /// Event types or patterns.
    pub events: Vec<String>,
    /// Smallest `match.found` score sent.
    pub min_score: Option<f64>,
    /// A note.
    pub description: Option<String>,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// The id of the API key that made it (`env-admin`: `STAFFMATCH_ADMIN_KEY`).
    #[schema(example = "env-admin")]
    pub created_by: Option<String>,
    /// The signing secret: only in the answer to `POST /webhooks`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
}

/// One delivery attempt.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DeliveryAttempt {
    /// When it was made.
    pub at: DateTime<Utc>,
    /// The receiver's HTTP status, when it answered.
    pub status_code: Option<u16>,
    /// What went wrong; null on success.
    pub error: Option<String>,
    /// How long it took.
    pub duration_ms: u64,
}

/// The delivery of one event to this subscription.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Delivery {
    /// Its id (sent as `Staffmatch-Delivery-Id`).
    pub id: uuid::Uuid,
    /// The event's id (sent as `Staffmatch-Event-Id`; the same on every retry: de-duplicate on it).
    pub event_id: uuid::Uuid,
    /// The event type.
    #[schema(example = "consultant.created")]
    pub event_type: String,
    /// `pending` (will be tried at `next_attempt_at`), `succeeded` or `failed` (retries exhausted).
    #[schema(example = "succeeded")]
    pub state: String,
    /// When the next attempt is due (pending deliveries).
    pub next_attempt_at: Option<DateTime<Utc>>,
    /// Every attempt, oldest first.
    pub attempts: Vec<DeliveryAttempt>,
    /// When the event was queued.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

impl From<&WebhookRow> for Webhook {
    fn from(w: &WebhookRow) -> Self {
        Webhook {
            id: w.id,
            url: w.url.clone(),
            events: w.events.clone(),
            min_score: w.min_score,
            description: w.description.clone(),
            created_at: w.created_at,
            created_by: w.created_by.clone(),
            secret: None,
        }
    }
}

impl From<&AttemptLog> for DeliveryAttempt {
    fn from(a: &AttemptLog) -> Self {
        DeliveryAttempt { at: a.at, status_code: a.status_code, error: a.error.clone(), duration_ms: a.duration_ms }
    }
}

impl From<&DeliveryRow> for Delivery {
    fn from(d: &DeliveryRow) -> Self {
        Delivery {
            id: d.id,
            event_id: d.event_id,
            event_type: d.event_type.clone(),
            state: d.state.clone(),
            next_attempt_at: (d.state == "pending").then_some(d.next_attempt_at),
            attempts: d.attempts.iter().map(DeliveryAttempt::from).collect(),
            created_at: d.created_at,
            updated_at: d.updated_at,
        }
    }
}

async fn parse_new_webhook(body: &Value, allow_private: bool) -> Result<NewWebhook, FieldErrors> {
    let mut errs = FieldErrors::default();
    let Some(map) = body.as_object() else {
        errs.push("", "must be an object");
        return Err(errs);
    };
    for k in map.keys() {
        if !["url", "secret", "events", "min_score", "description"].contains(&k.as_str()) {
            errs.push(k.clone(), "is not a known field");
        }
    }
    let text = |errs: &mut FieldErrors, f: &str, min: usize, max: usize| -> Option<String> {
        match map.get(f) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if (min..=max).contains(&s.chars().count()) => Some(s.clone()),
            Some(_) => {
                errs.push(f, format!("must be a string of {min}–{max} characters"));
                None
            }
        }
    };
    let url = text(&mut errs, "url", 1, 2048);
    match &url {
        Some(u) => {
            if let Err(why) = webhooks::url::check(u, allow_private).await {
                errs.push("url", why.to_string());
            }
        }
        None if !map.contains_key("url") || map["url"].is_null() => errs.push("url", "is required"),
        None => {}
    }
    let secret = text(&mut errs, "secret", 16, 255);
    let description = text(&mut errs, "description", 0, 500);
    let mut events = Vec::new();
    match map.get("events") {
        Some(Value::Array(items)) if !items.is_empty() => {
            for (i, item) in items.iter().enumerate() {
                match item.as_str() {
                    Some(p) if webhooks::valid_pattern(p) => {
                        if !events.iter().any(|e| e == p) {
                            events.push(p.to_string());
                        }
                    }
                    _ => errs.push(
                        format!("events[{i}]"),
                        format!(
                            "must be one of {}, or consultant.*, assignment.*, match.*, decision.*, *",
                            EVENT_TYPES.join(", ")
                        ),
                    ),
                }
            }
        }
        None | Some(Value::Null) => errs.push("events", "is required"),
        Some(_) => errs.push("events", "must be a non-empty array of event types"),
    }
    let min_score = match map.get("min_score") {
        None | Some(Value::Null) => None,
        Some(v) => match v.as_f64() {
            Some(n) if (0.0..=100.0).contains(&n) => Some(n),
            _ => {
                errs.push("min_score", "must be a number from 0 to 100");
                None
            }
        },
    };
    match url {
        Some(url) if errs.is_empty() => Ok(NewWebhook { url, secret, events, min_score, description }),
        _ => Err(errs),
    }
}

/// Subscribe to events.
#[utoipa::path(
    tag = "Webhooks",
    operation_id = "create_webhook",
    description = "Events are POSTed as JSON `{\"id\", \"type\", \"created_at\", \"data\"}` with headers `Staffmatch-Event-Id` (the same on every retry: de-duplicate on it), `Staffmatch-Event-Type`, `Staffmatch-Delivery-Id` and `Staffmatch-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, \"<t>.<raw body>\")>`. Verify the signature over the raw body and reject old `t`. Any 2xx is success; anything else (or no answer within 10 s) is retried with exponential backoff and jitter for 72 hours. `data` holds `id` and `object` (the full resource, sensitive fields included) for `consultant.*`/`assignment.*`, only `id` for deletes, and `assignment_id`, `consultant_id`, `score`, `details` for `match.found`, and the decision (as `GET /assignments/{id}/decisions` lists it) for `decision.created`.",
    request_body(content = NewWebhook, content_type = "application/json"),
    responses(
        (status = 201, description = "Subscribed; `secret` is shown only here", body = Webhook),
        (status = 422, description = "Invalid fields, e.g. a private URL", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/webhooks")]
pub async fn create_webhook(state: web::Data<AppState>, req: HttpRequest, body: JsonBody) -> ApiResult<HttpResponse> {
    let new = parse_new_webhook(&body.0, state.allow_private_webhooks).await?;
    let by = super::keys::acting_key(&req);
    let secret = match new.secret {
        Some(s) => s,
        None => crate::auth::generate_key().map_err(|e| ApiError::internal(&e))?.replacen("sm_", "whsec_", 1),
    };
    let row = state
        .store
        .insert_webhook(&new.url, &secret, &new.events, new.min_score, new.description.as_deref(), by.as_deref())
        .await
        .map_err(|e| store_error("webhook", "(new)", e))?;
    tracing::info!(webhook_id = %row.id, by = by.as_deref().unwrap_or("-"), "webhook subscription created");
    state.hooks.invalidate();
    let mut out = Webhook::from(&row);
    out.secret = Some(secret);
    Ok(HttpResponse::Created().insert_header(("Location", format!("/api/v1/webhooks/{}", row.id))).json(out))
}

/// List subscriptions.
#[utoipa::path(
    tag = "Webhooks",
    operation_id = "list_webhooks",
    description = "Every subscription, oldest first, without their signing secrets (shown only when a subscription is made).",
    responses((status = 200, description = "Every subscription (one page), without secrets", body = ListResponse<Webhook>)),
    security(("bearer" = []))
)]
#[get("/webhooks")]
pub async fn list_webhooks(state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    let rows = state.store.list_webhooks().await.map_err(|e| store_error("webhook", "", e))?;
    Ok(HttpResponse::Ok().json(ListResponse { items: rows.iter().map(Webhook::from).collect(), next_cursor: None }))
}

/// Delete a subscription.
#[utoipa::path(
    tag = "Webhooks",
    operation_id = "delete_webhook",
    description = "Stops deliveries at once; pending ones are dropped with the delivery log.",
    params(("id" = uuid::Uuid, Path, description = "The subscription's id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such subscription", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[delete("/webhooks/{id}")]
pub async fn delete_webhook(state: web::Data<AppState>, path: web::Path<String>) -> ApiResult<HttpResponse> {
    let id = parse_id(&path)?;
    state.store.delete_webhook(id).await.map_err(|e| store_error("webhook", id, e))?;
    state.hooks.invalidate();
    Ok(HttpResponse::NoContent().finish())
}

/// A subscription's delivery log.
#[utoipa::path(
    tag = "Webhooks",
    operation_id = "list_webhook_deliveries",
    description = "Deliveries, newest first, each with every attempt (time, receiver status, error, duration).",
    params(
        ("id" = uuid::Uuid, Path, description = "The subscription's id"),
        ("limit" = Option<u64>, Query, description = "How many, 1–500 (default 50)", minimum = 1, maximum = 500),
    ),
    responses(
        (status = 200, description = "The newest deliveries", body = ListResponse<Delivery>),
        (status = 404, description = "No such subscription", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/webhooks/{id}/deliveries")]
pub async fn list_deliveries(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = parse_id(&path)?;
    let mut p = Params::from_request(&req)?;
    let limit = p.int("limit", 1, 500).unwrap_or(50);
    p.finish()?;
    state.store.get_webhook(id).await.map_err(|e| store_error("webhook", id, e))?;
    let rows = state.store.list_deliveries(id, limit).await.map_err(|e| store_error("webhook", id, e))?;
    Ok(HttpResponse::Ok().json(ListResponse { items: rows.iter().map(Delivery::from).collect(), next_cursor: None }))
}

/// Registers the routes.
pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(create_webhook).service(list_webhooks).service(delete_webhook).service(list_deliveries);
}
