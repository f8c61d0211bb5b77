//! `/api/v1/api-keys`: create (the secret shown once), list and revoke API keys. Admin only.

use actix_web::{HttpMessage, HttpRequest, HttpResponse, delete, get, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use super::dto::ListResponse;
use super::error::{ApiError, ApiResult, Problem, parse_id, store_error};
use super::extract::JsonBody;
use crate::auth::{self, Caller, Scope};
use crate::domain::FieldErrors;
use crate::service::AppState;
use crate::store::ApiKeyRow;
use crate::telemetry::Clean;

/// The body of `POST /api/v1/api-keys`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"name": "teamtailor sync", "scopes": ["read", "write"], "expires_at": "2027-01-01T00:00:00Z"}))]
pub struct NewApiKey {
    /// What the key is for (1–200 characters).
    pub name: String,
    /// At least one of `read`, `write`, `admin` (implies all), `sensitive` (see citizenship and clearance details),
    /// `audit` (adverse-impact reports).
    #[schema(example = json!(["read", "write"]))]
    pub scopes: Vec<String>,
    /// When the key stops working (RFC 3339, in the future); never when left out.
    pub expires_at: Option<DateTime<Utc>>,
}

/// A key as listed: never the secret.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ApiKey {
    /// The key's id.
    pub id: uuid::Uuid,
    /// What the key is for.
    #[schema(example = "teamtailor sync")]
    pub name: String,
    /// The first characters of the secret, to recognise it.
    #[schema(example = "sm_Q2xh")]
    pub prefix: String,
    /// Its scopes.
    #[schema(example = json!(["read", "write"]))]
    pub scopes: Vec<String>,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// When it stops working; null for never.
    pub expires_at: Option<DateTime<Utc>>,
    /// When it was revoked; null while active.
    pub revoked_at: Option<DateTime<Utc>>,
    /// The id of the key that made it (`env-admin`: `STAFFMATCH_ADMIN_KEY`); null for the
    /// bootstrap key the server made itself and for keys made before this was recorded.
    #[schema(example = "env-admin")]
    pub created_by: Option<String>,
}

/// A new key, with its secret: shown this once, never again.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ApiKeyCreated {
    /// The key's id (for revoking it).
    pub id: uuid::Uuid,
    /// The secret: send it as `Authorization: Bearer <key>`. Store it now; only its hash is kept.
    #[schema(example = "sm_Q2xhc3NpZmllZCBieSBkZXNpZ24uIE5vdCBhIHJlYWwga2V5")]
    pub key: String,
    /// What the key is for.
    pub name: String,
    /// Its scopes.
    pub scopes: Vec<String>,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// When it stops working; null for never.
    pub expires_at: Option<DateTime<Utc>>,
    /// The id of the key that made it.
    #[schema(example = "env-admin")]
    pub created_by: Option<String>,
}

impl From<&ApiKeyRow> for ApiKey {
    fn from(r: &ApiKeyRow) -> Self {
        ApiKey {
            id: r.id,
            name: r.name.clone(),
            prefix: r.prefix.clone(),
            scopes: r.scopes.clone(),
            created_at: r.created_at,
            expires_at: r.expires_at,
            revoked_at: r.revoked_at,
            created_by: r.created_by.clone(),
        }
    }
}

fn parse_new_key(body: &Value) -> Result<NewApiKey, FieldErrors> {
    let mut errs = FieldErrors::default();
    let Some(map) = body.as_object() else {
        errs.push("", "must be an object");
        return Err(errs);
    };
    for k in map.keys() {
        if !["name", "scopes", "expires_at"].contains(&k.as_str()) {
            errs.push(k.clone(), "is not a known field");
        }
    }
    let name = match map.get("name") {
        Some(Value::String(s)) if s.chars().any(char::is_control) => {
            errs.push("name", "must not contain control characters (line breaks, tabs, escapes)");
            String::new()
        }
        Some(Value::String(s)) if !s.trim().is_empty() && s.chars().count() <= 200 => s.trim().to_string(),
        Some(Value::String(_)) => {
            errs.push("name", "must be 1–200 characters");
            String::new()
        }
        None | Some(Value::Null) => {
            errs.push("name", "is required");
            String::new()
        }
        Some(_) => {
            errs.push("name", "must be a string");
            String::new()
        }
    };
    let mut scopes: Vec<String> = Vec::new();
    match map.get("scopes") {
        Some(Value::Array(items)) if !items.is_empty() => {
            for (i, item) in items.iter().enumerate() {
                match item.as_str().and_then(Scope::parse) {
                    Some(s) if !scopes.iter().any(|x| x == s.as_str()) => scopes.push(s.as_str().to_string()),
                    Some(_) => errs.push(format!("scopes[{i}]"), "is listed twice"),
                    None => errs
                        .push(format!("scopes[{i}]"), "must be one of read, write, admin, sensitive, audit, privacy"),
                }
            }
        }
        None | Some(Value::Null) => errs.push("scopes", "is required"),
        Some(_) => errs.push("scopes", "must be a non-empty array of read, write, admin, sensitive, audit, privacy"),
    }
    let expires_at = match map.get("expires_at") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => match DateTime::parse_from_rfc3339(s) {
            Ok(t) if t.with_timezone(&Utc) > Utc::now() => Some(t.with_timezone(&Utc)),
            Ok(_) => {
                errs.push("expires_at", "must be in the future");
                None
            }
            Err(_) => {
                errs.push("expires_at", "must be an RFC 3339 time such as 2027-01-01T00:00:00Z");
                None
            }
        },
        Some(_) => {
            errs.push("expires_at", "must be an RFC 3339 time such as 2027-01-01T00:00:00Z");
            None
        }
    };
    if errs.is_empty() { Ok(NewApiKey { name, scopes, expires_at }) } else { Err(errs) }
}

/// Create an API key.
#[utoipa::path(
    tag = "API keys",
    operation_id = "create_api_key",
    description = "Makes a key with the given scopes (admin only). The answer is the only time the secret `key` is shown: only its SHA-256 hash is stored. Scopes: `read` (GET, and the computing POSTs `/matches`, `/skills/resolve`, `/assignments/parse`), `write` (other POST, PUT, PATCH, DELETE), `admin` (API keys and webhooks; implies every scope), `sensitive` (read and state clearance and citizenship: consultants' and assignments' `clearance`, and those conditions in match explanations and gaps; without it, writes keep the stored values and a body that names them is refused with 403), `audit` (read the audit of rankings, `GET /audit/rankings`, and adverse-impact reports, `POST /audit/impact`, which needs `sensitive` too), `privacy` (export and erase a person's data: `GET /consultants/{id}/export`, `POST /consultants/{id}/erase` and the same by ATS id).",
    request_body(content = NewApiKey, content_type = "application/json"),
    responses(
        (status = 201, description = "Created; the secret is in `key`", body = ApiKeyCreated),
        (status = 401, description = "No or bad key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin key", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/api-keys")]
pub async fn create_api_key(state: web::Data<AppState>, req: HttpRequest, body: JsonBody) -> ApiResult<HttpResponse> {
    let new = parse_new_key(&body.0)?;
    let by = acting_key(&req);
    let key = auth::generate_key().map_err(|e| ApiError::internal(&e))?;
    let row = state
        .store
        .insert_api_key(
            &new.name,
            &auth::key_prefix(&key),
            &auth::hash_key(&key),
            &new.scopes,
            new.expires_at,
            by.as_deref(),
        )
        .await
        .map_err(|e| store_error("API key", "(new)", e))?;
    tracing::info!(
        key_id = %row.id, name = %Clean(&row.name), scopes = ?row.scopes, by = by.as_deref().unwrap_or("-"),
        "API key created"
    );
    let created = ApiKeyCreated {
        id: row.id,
        key,
        name: row.name,
        scopes: row.scopes,
        created_at: row.created_at,
        expires_at: row.expires_at,
        created_by: row.created_by,
    };
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/api-keys/{}", created.id)))
        .insert_header(("Cache-Control", "no-store"))
        .json(created))
}

/// List API keys.
#[utoipa::path(
    tag = "API keys",
    operation_id = "list_api_keys",
    description = "Every key, revoked ones included, oldest first; never the secrets. The bootstrap key from `STAFFMATCH_ADMIN_KEY` is configuration, not stored, and is not listed.",
    responses(
        (status = 200, description = "All keys (one page)", body = ListResponse<ApiKey>),
        (status = 401, description = "No or bad key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin key", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/api-keys")]
pub async fn list_api_keys(state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    let rows = state.store.list_api_keys().await.map_err(|e| store_error("API key", "", e))?;
    Ok(HttpResponse::Ok().json(ListResponse { items: rows.iter().map(ApiKey::from).collect(), next_cursor: None }))
}

/// Revoke an API key.
#[utoipa::path(
    tag = "API keys",
    operation_id = "revoke_api_key",
    description = "Revokes the key at once: later calls with it answer 401. Revoking a revoked key is fine (204).",
    params(("id" = uuid::Uuid, Path, description = "The key's id")),
    responses(
        (status = 204, description = "Revoked"),
        (status = 401, description = "No or bad key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin key", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such key", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[delete("/api-keys/{id}")]
pub async fn revoke_api_key(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = parse_id(&path)?;
    let row = state.store.revoke_api_key(id).await.map_err(|e| store_error("API key", id, e))?;
    state.keyring.forget_cached();
    let by = acting_key(&req);
    tracing::info!(key_id = %row.id, by = by.as_deref().unwrap_or("-"), "API key revoked");
    Ok(HttpResponse::NoContent().finish())
}

/// The id of the API key making this request (set by the gate).
pub(super) fn acting_key(req: &HttpRequest) -> Option<String> {
    req.extensions().get::<Caller>().map(|c| c.key_id.clone())
}

/// Registers the routes.
pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(create_api_key).service(list_api_keys).service(revoke_api_key);
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_new_key_body_names_every_bad_field() {
        let errs =
            parse_new_key(&json!({"scopes": ["read", "root", "read"], "expires_at": "2001-01-01T00:00:00Z", "x": 1}))
                .unwrap_err();
        let fields: Vec<_> = errs.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["x", "name", "scopes[1]", "scopes[2]", "expires_at"]);
        let ok = parse_new_key(&json!({"name": "ci", "scopes": ["read"]})).unwrap();
        assert_eq!(ok.scopes, ["read"]);
    }
}
