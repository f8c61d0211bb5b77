//! The request handling consultants and assignments share, written once over
//! [`ApiResource`]; the annotated handlers in `consultants.rs` and `assignments.rs` are
//! one-line calls into it, so that each endpoint still has its own OpenAPI entry. Writes
//! extract what the request says, call one function of the service's write path
//! ([`crate::service::writes`]) and render its outcome.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::Value;

use super::dto::{BatchItemResult, BatchResponse, ListResponse};
use super::error::{ApiError, ApiResult, ErrorCode, parse_id, store_error};
use super::extract::{JsonBody, Params, if_match, none_match, upsert_expect};
use super::kinds::ApiResource;
use super::sensitive::forbidden;
use super::sync;
use crate::domain::{SourceRef, valid_external_id, valid_source};
use crate::service::AppState;
use crate::service::writes::{self, MAX_BATCH, WriteError};
use crate::store::{Record, Written};

fn etag(version: i64) -> String {
    format!("\"{version}\"")
}

/// A read: 304 with the `ETag` alone when the client's `If-None-Match` names the current
/// version, else the record.
fn respond_read<R: ApiResource>(req: &HttpRequest, rec: &Record<R::Input>) -> HttpResponse {
    if none_match(req, rec.meta.version) {
        return HttpResponse::NotModified().insert_header((header::ETAG, etag(rec.meta.version))).finish();
    }
    respond::<R>(StatusCode::OK, rec)
}

fn respond<R: ApiResource>(status: StatusCode, rec: &Record<R::Input>) -> HttpResponse {
    let mut res = HttpResponse::build(status);
    res.insert_header((header::ETAG, etag(rec.meta.version)));
    if status == StatusCode::CREATED {
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

/// The problem a refused write answers with.
fn write_error(e: WriteError) -> ApiError {
    match e {
        WriteError::Sensitive(fields) => forbidden(&fields, ""),
        WriteError::Invalid(errs) => errs.into(),
        WriteError::Store { kind, id, error } => store_error(kind, id, error),
        WriteError::DuplicateInBatch { first } => {
            ApiError::new(ErrorCode::Conflict, format!("item {first} has the same source and external_id"))
                .field("external_id", format!("duplicates items[{first}]"))
        }
    }
}

/// The problem of batch item `i`: as [`write_error`], with every field under `items[i]`.
fn item_error(i: usize, e: WriteError) -> ApiError {
    let mut e = match e {
        WriteError::Store { kind, error, .. } => store_error(kind, format!("items[{i}]"), error),
        other => write_error(other),
    };
    for f in &mut e.errors {
        f.field = if f.field.is_empty() { format!("items[{i}]") } else { format!("items[{i}].{}", f.field) };
    }
    e
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
    let rec = writes::create::<R>(&state, &body.0).await.map_err(write_error)?;
    Ok(respond::<R>(StatusCode::CREATED, &rec))
}

/// `GET /{path}/{id}`
pub async fn get<R: ApiResource>(state: web::Data<AppState>, req: HttpRequest, id: &str) -> ApiResult<HttpResponse> {
    let id = parse_id(id)?;
    if let Some(rec) = R::held(&state, id) {
        return Ok(respond_read::<R>(&req, &rec));
    }
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
    let (rec, _) = writes::replace::<R>(&state, id, expected, body.0).await.map_err(write_error)?;
    Ok(respond::<R>(StatusCode::OK, &rec))
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
    let (rec, _) = writes::patch::<R>(&state, id, expected, &body.0).await.map_err(write_error)?;
    Ok(respond::<R>(StatusCode::OK, &rec))
}

/// `DELETE /{path}/{id}`
pub async fn delete<R: ApiResource>(state: web::Data<AppState>, req: HttpRequest, id: &str) -> ApiResult<HttpResponse> {
    let id = parse_id(id)?;
    let expected = if_match(&req)?;
    writes::delete::<R>(&state, id, expected).await.map_err(write_error)?;
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

/// `PUT /{path}/external/{source}/{external_id}`: 201 when it created the record.
pub async fn put_external<R: ApiResource>(
    state: web::Data<AppState>,
    req: HttpRequest,
    source: &str,
    ext: &str,
    body: JsonBody,
) -> ApiResult<HttpResponse> {
    let s = source_ref(source, ext)?;
    let expected = upsert_expect(&req)?;
    let (rec, written) = writes::upsert::<R>(&state, &s, expected, body.0).await.map_err(write_error)?;
    let status = match written {
        Written::Created => StatusCode::CREATED,
        Written::Updated | Written::Unchanged => StatusCode::OK,
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
    writes::delete_by_source::<R>(&state, &s, expected).await.map_err(write_error)?;
    Ok(HttpResponse::NoContent().finish())
}

/// `POST /{path}/batch`: checks the envelope, has the service write the items
/// ([`writes::batch`]) and reports per item.
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
    let outcomes = writes::batch::<R>(&state, items).await.map_err(write_error)?;
    let (mut created, mut updated, mut unchanged) = (0, 0, 0);
    let items: Vec<BatchItemResult> = outcomes
        .into_iter()
        .enumerate()
        .map(|(index, outcome)| match outcome {
            Ok((rec, w)) => {
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
                    index,
                    status: status.into(),
                    id: Some(rec.meta.id),
                    version: Some(rec.meta.version),
                    problem: None,
                }
            }
            Err(e) => BatchItemResult {
                index,
                status: "error".into(),
                id: None,
                version: None,
                problem: Some(item_error(index, e).problem(None)),
            },
        })
        .collect();
    let failed = items.iter().filter(|r| r.status == "error").count();
    Ok(HttpResponse::Ok().json(BatchResponse { created, updated, unchanged, failed, items }))
}
