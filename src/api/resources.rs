//! The request handling consultants and assignments share, written once over
//! [`ApiResource`]; the annotated handlers in `consultants.rs` and `assignments.rs` are
//! one-line calls into it, so that each endpoint still has its own OpenAPI entry.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::Value;
use uuid::Uuid;

use super::dto::{BatchItemResult, BatchResponse, ListResponse};
use super::error::{ApiError, ApiResult, ErrorCode, parse_id, store_error};
use super::extract::{JsonBody, Params, if_match, none_match, upsert_expect};
use super::kinds::ApiResource;
use super::sensitive::forbid_stating;
use super::sync;
use crate::domain::{FieldErrors, READ_ONLY_FIELDS, SourceRef, valid_external_id, valid_source};
use crate::service::AppState;
use crate::store::{Change, OutboxEvent, Record, StoreError, WebhookRow, Written};
use crate::webhooks::Event;

/// The most items one batch request may carry.
pub const MAX_BATCH: usize = 1_000;

fn etag(version: i64) -> String {
    format!("\"{version}\"")
}

/// A read: 304 with the `ETag` alone when the client's `If-None-Match` names the current
/// version, else the record.
fn respond_read<R: ApiResource>(req: &HttpRequest, rec: &Record<R::Input>) -> HttpResponse {
    if none_match(req, rec.meta.version) {
        return HttpResponse::NotModified().insert_header((header::ETAG, etag(rec.meta.version))).finish();
    }
    respond::<R>(actix_web::http::StatusCode::OK, rec)
}

fn respond<R: ApiResource>(status: actix_web::http::StatusCode, rec: &Record<R::Input>) -> HttpResponse {
    let mut res = HttpResponse::build(status);
    res.insert_header((header::ETAG, etag(rec.meta.version)));
    if status == actix_web::http::StatusCode::CREATED {
        res.insert_header((header::LOCATION, format!("/api/v1/{}/{}", R::PATH, rec.meta.id)));
    }
    res.json(render::<R>(rec))
}

/// The response document of a record, without sensitive fields unless the caller may see them.
pub fn render<R: ApiResource>(rec: &Record<R::Input>) -> Value {
    let mut doc = serde_json::to_value(R::Dto::from(rec)).unwrap_or(Value::Null);
    super::auth::redact(&mut doc, R::SENSITIVE);
    doc
}

fn parse_body<R: ApiResource>(state: &AppState, body: &Value) -> ApiResult<R::Input> {
    let mut input = R::parse(body)?;
    R::prepare(state, &mut input);
    Ok(input)
}

/// After a committed write: keeps in-memory views in step ([`ApiResource::written`]) and
/// raises `match.found`. The write's own `consultant.*`/`assignment.*` event is already in
/// the outbox: the store wrote it in the write's transaction ([`outbox`]).
async fn after_write<R: ApiResource>(state: &AppState, rec: &Record<R::Input>, written: Written) {
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

/// After a committed delete: [`ApiResource::deleted`] and the webhook event.
fn after_delete<R: ApiResource>(state: &AppState, id: Uuid) {
    R::deleted(state, id);
}

/// The webhook subscriptions (a short-lived copy), for the outbox of a write.
async fn subscriptions(state: &AppState) -> ApiResult<std::sync::Arc<Vec<WebhookRow>>> {
    state.hooks.get(&state.store).await.map_err(|e| store_error("webhook subscription", "", e))
}

/// The outbox events of a write of `R`, stored in the write's own transaction.
fn outbox<R: ApiResource>(hooks: &[WebhookRow]) -> impl Fn(Change<'_, R::Input>) -> Option<OutboxEvent> + Sync + '_ {
    crate::webhooks::resource_events(hooks, R::KIND, |rec| serde_json::to_value(R::Dto::from(rec)).ok())
}

fn hides_sensitive<R: ApiResource>() -> bool {
    !R::SENSITIVE.is_empty() && !crate::auth::sees_sensitive()
}

/// A key without the `sensitive` scope never sees the sensitive fields, so a full replace
/// from it keeps their stored values where the body leaves them out instead of clearing
/// them (a read-modify-write must not wipe what the writer could not read).
fn keep_hidden<R: ApiResource>(doc: &mut Value, current: &Record<R::Input>) {
    let Ok(stored) = serde_json::to_value(R::Dto::from(current)) else { return };
    let Value::Object(_) = doc else { return };
    for path in R::SENSITIVE {
        let parts: Vec<&str> = path.split('.').collect();
        let Some(value) = parts.iter().try_fold(&stored, |v, k| v.get(k)) else { continue };
        let mut target = &mut *doc;
        for (i, k) in parts.iter().enumerate() {
            let Value::Object(map) = target else { break };
            if i + 1 == parts.len() {
                map.entry(k.to_string()).or_insert_with(|| value.clone());
                break;
            }
            let child = map.entry(k.to_string()).or_insert_with(|| Value::Object(serde_json::Map::new()));
            if child.is_null() {
                *child = Value::Object(serde_json::Map::new());
            }
            target = child;
        }
    }
}

/// For a key without `sensitive`, a batch item that names a stored record (by its ATS id)
/// keeps that record's sensitive fields, as a `PUT` does: the item is an upsert, and the key
/// could not have read what it would otherwise clear. `None`: the item stands as sent.
async fn kept_hidden<R: ApiResource>(state: &AppState, item: &Value) -> ApiResult<Option<Value>> {
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
        Err(e) => Err(store_error(R::KIND, format!("{}/{}", s.source, s.external_id), e)),
    }
}

/// Parses the `{source}/{external_id}` path pair.
pub fn source_ref(source: &str, external_id: &str) -> ApiResult<SourceRef> {
    let mut e = ApiError::new(ErrorCode::InvalidParameter, "the ATS reference in the path is invalid");
    if !valid_source(source) {
        e = e.field("source", "must be 1–64 characters of a-z, 0-9, '.', '_' or '-'");
    }
    if !valid_external_id(external_id) {
        e = e.field("external_id", "must be 1–200 characters without '/' or control characters");
    }
    if e.errors.is_empty() {
        Ok(SourceRef { source: source.to_string(), external_id: external_id.to_string() })
    } else {
        Err(e)
    }
}

/// `POST /{path}`
pub async fn create<R: ApiResource>(state: web::Data<AppState>, body: JsonBody) -> ApiResult<HttpResponse> {
    forbid_stating(&body.0, R::SENSITIVE, "")?;
    let input = parse_body::<R>(&state, &body.0)?;
    let hooks = subscriptions(&state).await?;
    let rec =
        state.store.create::<R>(&input, &outbox::<R>(&hooks)).await.map_err(|e| store_error(R::KIND, "(new)", e))?;
    after_write::<R>(&state, &rec, Written::Created).await;
    Ok(respond::<R>(actix_web::http::StatusCode::CREATED, &rec))
}

/// `GET /{path}/{id}`
pub async fn get<R: ApiResource>(state: web::Data<AppState>, req: HttpRequest, id: &str) -> ApiResult<HttpResponse> {
    let id = parse_id(id)?;
    let rec = state.store.get::<R>(id).await.map_err(|e| store_error(R::KIND, id, e))?;
    Ok(respond_read::<R>(&req, &rec))
}

/// `GET /{path}`
pub async fn list<R: ApiResource>(state: web::Data<AppState>, req: HttpRequest) -> ApiResult<HttpResponse> {
    let mut p = Params::from_request(&req)?;
    let (limit, after) = sync::page(&mut p);
    let filter = sync::list_filter::<R>(&mut p);
    p.finish()?;
    let page = state.store.list_filtered::<R>(after, limit, &filter).await.map_err(|e| store_error(R::KIND, "", e))?;
    Ok(HttpResponse::Ok().json(ListResponse {
        items: page.items.iter().map(render::<R>).collect::<Vec<_>>(),
        next_cursor: page.next_after.map(sync::encode_cursor),
    }))
}

/// `PUT /{path}/{id}`
pub async fn replace<R: ApiResource>(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: &str,
    body: JsonBody,
) -> ApiResult<HttpResponse> {
    let id = parse_id(id)?;
    let expected = if_match(&req)?;
    forbid_stating(&body.0, R::SENSITIVE, "")?;
    let mut doc = body.0;
    if hides_sensitive::<R>() {
        let current = state.store.get::<R>(id).await.map_err(|e| store_error(R::KIND, id, e))?;
        keep_hidden::<R>(&mut doc, &current);
    }
    let input = parse_body::<R>(&state, &doc)?;
    store_replacement::<R>(&state, id, &input, expected).await
}

/// Replaces record `id` with `input` (only at `version`, when given) together with its
/// outbox event, keeps the in-memory views in step and answers 200 with the new version.
async fn store_replacement<R: ApiResource>(
    state: &AppState,
    id: Uuid,
    input: &R::Input,
    version: Option<i64>,
) -> ApiResult<HttpResponse> {
    let hooks = subscriptions(state).await?;
    let (rec, written) = state
        .store
        .replace::<R>(id, input, version, &outbox::<R>(&hooks))
        .await
        .map_err(|e| store_error(R::KIND, id, e))?;
    after_write::<R>(state, &rec, written).await;
    Ok(respond::<R>(actix_web::http::StatusCode::OK, &rec))
}

/// `PATCH /{path}/{id}` with an RFC 7396 JSON merge patch.
pub async fn patch<R: ApiResource>(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: &str,
    body: JsonBody,
) -> ApiResult<HttpResponse> {
    let id = parse_id(id)?;
    let expected = if_match(&req)?;
    if !body.0.is_object() {
        return Err(ApiError::new(ErrorCode::ValidationFailed, "a merge patch must be a JSON object")
            .field("", "must be an object"));
    }
    forbid_stating(&body.0, R::SENSITIVE, "")?;
    let current = state.store.get::<R>(id).await.map_err(|e| store_error(R::KIND, id, e))?;
    let mut doc = serde_json::to_value(R::Dto::from(&current)).map_err(|e| ApiError::internal(&e))?;
    if let Value::Object(map) = &mut doc {
        for k in READ_ONLY_FIELDS {
            map.remove(*k);
        }
    }
    merge_patch(&mut doc, &body.0);
    let input = parse_body::<R>(&state, &doc)?;
    // Without If-Match the patch applies to the version read above, so a concurrent
    // change in between is detected rather than overwritten.
    let version = expected.unwrap_or(current.meta.version);
    store_replacement::<R>(&state, id, &input, Some(version)).await
}

/// `DELETE /{path}/{id}`
pub async fn delete<R: ApiResource>(state: web::Data<AppState>, req: HttpRequest, id: &str) -> ApiResult<HttpResponse> {
    let id = parse_id(id)?;
    let expected = if_match(&req)?;
    let hooks = subscriptions(&state).await?;
    state.store.delete::<R>(id, expected, &outbox::<R>(&hooks)).await.map_err(|e| store_error(R::KIND, id, e))?;
    after_delete::<R>(&state, id);
    Ok(HttpResponse::NoContent().finish())
}

/// `GET /{path}/external/{source}/{external_id}`
pub async fn get_external<R: ApiResource>(
    state: web::Data<AppState>,
    req: HttpRequest,
    source: &str,
    ext: &str,
) -> ApiResult<HttpResponse> {
    let s = source_ref(source, ext)?;
    let rec =
        state.store.get_by_source::<R>(&s).await.map_err(|e| store_error(R::KIND, format!("{source}/{ext}"), e))?;
    Ok(respond_read::<R>(&req, &rec))
}

/// `PUT /{path}/external/{source}/{external_id}`
pub async fn put_external<R: ApiResource>(
    state: web::Data<AppState>,
    req: HttpRequest,
    source: &str,
    ext: &str,
    body: JsonBody,
) -> ApiResult<HttpResponse> {
    let s = source_ref(source, ext)?;
    let expected = upsert_expect(&req)?;
    forbid_stating(&body.0, R::SENSITIVE, "")?;
    // The path names the record: fill in what the body leaves out, reject what contradicts it.
    let mut doc = body.0;
    if hides_sensitive::<R>() {
        match state.store.get_by_source::<R>(&s).await {
            Ok(current) => keep_hidden::<R>(&mut doc, &current),
            Err(StoreError::NotFound) => {}
            Err(e) => return Err(store_error(R::KIND, format!("{source}/{ext}"), e)),
        }
    }
    let mut errs = FieldErrors::default();
    if let Value::Object(map) = &mut doc {
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
    let input = parse_body::<R>(&state, &doc)?;
    let hooks = subscriptions(&state).await?;
    let (rec, written) = state
        .store
        .upsert::<R>(&s, input, expected, &outbox::<R>(&hooks))
        .await
        .map_err(|e| store_error(R::KIND, format!("{source}/{ext}"), e))?;
    after_write::<R>(&state, &rec, written).await;
    let status = match written {
        Written::Created => actix_web::http::StatusCode::CREATED,
        Written::Updated | Written::Unchanged => actix_web::http::StatusCode::OK,
    };
    Ok(respond::<R>(status, &rec))
}

/// `DELETE /{path}/external/{source}/{external_id}`
pub async fn delete_external<R: ApiResource>(
    state: web::Data<AppState>,
    req: HttpRequest,
    source: &str,
    ext: &str,
) -> ApiResult<HttpResponse> {
    let s = source_ref(source, ext)?;
    let expected = if_match(&req)?;
    let hooks = subscriptions(&state).await?;
    let id = state
        .store
        .delete_by_source::<R>(&s, expected, &outbox::<R>(&hooks))
        .await
        .map_err(|e| store_error(R::KIND, format!("{source}/{ext}"), e))?;
    after_delete::<R>(&state, id);
    Ok(HttpResponse::NoContent().finish())
}

/// `POST /{path}/batch`: validates every item, writes the valid ones in one transaction
/// ([`crate::store::Store::batch`]: multi-row statements, item results as if written one by
/// one) and reports per item.
pub async fn batch<R: ApiResource>(state: web::Data<AppState>, body: JsonBody) -> ApiResult<HttpResponse> {
    let items = match body.0.get("items") {
        Some(Value::Array(items)) => items,
        _ => {
            return Err(ApiError::new(ErrorCode::ValidationFailed, "the body must be {\"items\": [...]}")
                .field("items", "is required and must be an array"));
        }
    };
    if let Value::Object(map) = &body.0
        && let Some(k) = map.keys().find(|k| k.as_str() != "items")
    {
        return Err(
            ApiError::new(ErrorCode::ValidationFailed, "1 field is invalid").field(k.clone(), "is not a known field")
        );
    }
    if items.is_empty() || items.len() > MAX_BATCH {
        return Err(ApiError::new(ErrorCode::ValidationFailed, "1 field is invalid")
            .field("items", format!("must hold 1 to {MAX_BATCH} items, got {}", items.len())));
    }
    let mut results: Vec<Option<BatchItemResult>> = vec![None; items.len()];
    let mut valid = Vec::new();
    let mut seen: std::collections::HashMap<SourceRef, usize> = std::collections::HashMap::new();
    for (i, item) in items.iter().enumerate() {
        if let Err(e) = forbid_stating(item, R::SENSITIVE, &format!("items[{i}].")) {
            results[i] = Some(failed(i, &e));
            continue;
        }
        let kept;
        let item = match kept_hidden::<R>(&state, item).await {
            Ok(Some(doc)) => {
                kept = doc;
                &kept
            }
            Ok(None) => item,
            Err(e) => {
                results[i] = Some(failed(i, &e));
                continue;
            }
        };
        match parse_body::<R>(&state, item) {
            Ok(input) => {
                // The same ATS id twice in one batch is ambiguous: reject the later one.
                if let Some(s) = R::source_of(&input)
                    && let Some(first) = seen.insert(s.clone(), i)
                {
                    seen.insert(s.clone(), first);
                    let e =
                        ApiError::new(ErrorCode::Conflict, format!("item {first} has the same source and external_id"))
                            .field(format!("items[{i}].external_id"), format!("duplicates items[{first}]"));
                    results[i] = Some(failed(i, &e));
                    continue;
                }
                valid.push((i, input));
            }
            Err(e) => {
                let mut e = e;
                for f in &mut e.errors {
                    f.field =
                        if f.field.is_empty() { format!("items[{i}]") } else { format!("items[{i}].{}", f.field) };
                }
                results[i] = Some(failed(i, &e));
            }
        }
    }
    let (indices, inputs): (Vec<usize>, Vec<R::Input>) = valid.into_iter().unzip();
    let hooks = subscriptions(&state).await?;
    let written =
        state.store.batch::<R>(inputs, &outbox::<R>(&hooks)).await.map_err(|e| store_error(R::KIND, "", e))?;
    let (mut created, mut updated, mut unchanged) = (0, 0, 0);
    for (i, outcome) in indices.iter().zip(written) {
        results[*i] = Some(match outcome {
            Ok((rec, w)) => {
                after_write::<R>(&state, &rec, w).await;
                let status = match w {
                    Written::Created => {
                        created += 1;
                        "created"
                    }
                    Written::Updated => {
                        updated += 1;
                        "updated"
                    }
                    Written::Unchanged => {
                        unchanged += 1;
                        "unchanged"
                    }
                };
                BatchItemResult {
                    index: *i,
                    status: status.into(),
                    id: Some(rec.meta.id),
                    version: Some(rec.meta.version),
                    problem: None,
                }
            }
            Err(e) => {
                let mut e = store_error(R::KIND, format!("items[{i}]"), e);
                for f in &mut e.errors {
                    f.field = format!("items[{i}].{}", f.field);
                }
                failed(*i, &e)
            }
        });
    }
    let items: Vec<BatchItemResult> = results.into_iter().flatten().collect();
    let failed_n = items.iter().filter(|r| r.status == "error").count();
    Ok(HttpResponse::Ok().json(BatchResponse { created, updated, unchanged, failed: failed_n, items }))
}

fn failed(index: usize, e: &ApiError) -> BatchItemResult {
    BatchItemResult { index, status: "error".into(), id: None, version: None, problem: Some(e.problem(None)) }
}

/// RFC 7396: objects merge recursively, `null` removes, anything else replaces.
pub fn merge_patch(target: &mut Value, patch: &Value) {
    match patch {
        Value::Object(p) => {
            if !target.is_object() {
                *target = Value::Object(serde_json::Map::new());
            }
            if let Value::Object(t) = target {
                for (k, v) in p {
                    if v.is_null() {
                        t.remove(k);
                    } else {
                        merge_patch(t.entry(k.clone()).or_insert(Value::Null), v);
                    }
                }
            }
        }
        other => *target = other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn merge_patch_follows_rfc_7396() {
        let mut doc = json!({"a": "b", "c": {"d": "e", "f": "g"}});
        merge_patch(&mut doc, &json!({"a": "z", "c": {"f": null}}));
        assert_eq!(doc, json!({"a": "z", "c": {"d": "e"}}));
        let mut doc = json!({"a": [1, 2]});
        merge_patch(&mut doc, &json!({"a": [3]}));
        assert_eq!(doc, json!({"a": [3]}));
    }
}
