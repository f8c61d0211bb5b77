//! Paging, filters and incremental sync for the list endpoints: the opaque cursor, the
//! `limit`, `cursor`, time and filter parameters, and the list of deletions
//! (`GET /{path}/deleted`) that lets a client syncing by polling learn what was removed.

use actix_web::{HttpRequest, HttpResponse, web};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::dto::{Deleted, ListResponse};
use super::error::{ApiError, ApiResult, ErrorCode, store_error};
use super::extract::Params;
use super::kinds::ApiResource;
use crate::domain::{AssignmentStatus, valid_source};
use crate::service::AppState;
use crate::store::ListFilter;

/// Default page size of lists.
pub const DEFAULT_LIMIT: u64 = 50;
/// Largest page size of lists.
pub const MAX_LIMIT: u64 = 500;

/// `limit` (default [`DEFAULT_LIMIT`]) and the id to continue after (`cursor`); a bad value
/// is rejected on `p`. An empty `cursor=` is the first page, as generated clients send it for
/// an unset parameter (and the schema allows it).
pub fn page(p: &mut Params) -> (u64, Option<Uuid>) {
    let limit = p.int("limit", 1, MAX_LIMIT).unwrap_or(DEFAULT_LIMIT);
    let after = match p.raw("cursor").filter(|c| !c.is_empty()).map(decode_cursor) {
        Some(None) => {
            p.reject("cursor", "is not a cursor this API returned; pass next_cursor from the previous page");
            None
        }
        read => read.flatten(),
    };
    (limit, after)
}

/// The RFC 3339 time in parameter `name`; a bad value is rejected on `p`.
pub fn time(p: &mut Params, name: &str) -> Option<DateTime<Utc>> {
    // An unencoded '+' in a query string arrives as a space.
    let raw = p.raw(name)?.replace(' ', "+");
    match DateTime::parse_from_rfc3339(&raw) {
        Ok(t) => Some(t.with_timezone(&Utc)),
        Err(_) => {
            p.reject(name, "must be an RFC 3339 time such as 2025-09-01T00:00:00Z");
            None
        }
    }
}

/// The list's filters: `updated_since`, `source` and, for resources with a life cycle (only
/// assignments have one, so their states are the vocabulary), `status` (one state or several,
/// comma-separated); each bad one is rejected on `p`.
pub(super) fn list_filter<R: ApiResource>(p: &mut Params) -> ListFilter {
    let updated_since = time(p, "updated_since");
    let source = p.raw("source").map(str::to_string);
    if let Some(s) = &source
        && !valid_source(s)
    {
        p.reject("source", format!("must be an ATS name of 1–64 characters a-z, 0-9, '.', '_' or '-', got {s:?}"));
    }
    let statuses = match (R::col_status(), p.raw("status").map(str::to_string)) {
        (Some(_), Some(raw)) => {
            let parsed: Result<Vec<String>, _> =
                raw.split(',').map(|s| AssignmentStatus::parse(s.trim()).map(|s| s.to_string())).collect();
            match parsed {
                Ok(statuses) => Some(statuses),
                Err(e) => {
                    p.reject("status", e.to_string());
                    None
                }
            }
        }
        _ => None,
    };
    // Consultants only: who the retention (`STAFFMATCH_CONSULTANT_RETENTION_DAYS`) erases next.
    let updated_before = if R::KIND == "consultant" { time(p, "stale_before") } else { None };
    ListFilter { updated_since, updated_before, source, statuses }
}

/// `GET /{path}/deleted`: the records deleted at or after `since`, in id order, a page at a
/// time. A `since` before the deletions still kept, before they were first recorded, or before
/// those pruned under an earlier, shorter retention answers 410 `deletions_expired`, so a
/// client that fell that far behind knows to sync in full rather than miss a deletion.
pub async fn deleted<R: ApiResource>(state: web::Data<AppState>, req: HttpRequest) -> ApiResult<HttpResponse> {
    let mut p = Params::from_request(&req)?;
    let (limit, after) = page(&mut p);
    let since = time(&mut p, "since");
    p.finish()?;
    if let Some(since) = since {
        let kept_from = state.deletion_retention.map(|keep| Utc::now() - keep);
        let recorded = state.deletions_recorded_since;
        // Read each time: another replica's housekeeping may have pruned since.
        let pruned = state.store.deletions_pruned_before().await.map_err(|e| store_error(R::KIND, "", e))?;
        // Pruned under an earlier, shorter retention: beyond what the present one covers.
        let pruned = pruned.filter(|p| kept_from.is_none_or(|k| *p > k));
        let horizon = [kept_from, pruned].into_iter().flatten().fold(recorded, DateTime::max);
        if since < horizon {
            return Err(expired(R::KIND, horizon, state.deletion_retention, recorded, pruned));
        }
    }
    let (items, next_after) =
        state.store.deletions::<R>(after, limit, since).await.map_err(|e| store_error(R::KIND, "", e))?;
    Ok(HttpResponse::Ok().json(ListResponse {
        items: items.into_iter().map(Deleted::from).collect::<Vec<_>>(),
        next_cursor: next_after.map(encode_cursor),
    }))
}

/// The 410 for a `since` before `horizon`, saying why: deletions are kept for `keep`,
/// recorded since `recorded` (when this release was installed), and those before `pruned`
/// were pruned under an earlier, shorter retention.
fn expired(
    kind: &str,
    horizon: DateTime<Utc>,
    keep: Option<chrono::TimeDelta>,
    recorded: DateTime<Utc>,
    pruned: Option<DateTime<Utc>>,
) -> ApiError {
    let at = |t: DateTime<Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let mut why = match keep {
        Some(keep) => format!("they are kept for {} days and recorded since {}", keep.num_days(), at(recorded)),
        None => format!("they are recorded since {}", at(recorded)),
    };
    if let Some(pruned) = pruned {
        why.push_str(&format!("; those before {} were pruned under a shorter retention", at(pruned)));
    }
    let detail = format!(
        "no deletions before {} are listed ({why}); list every {kind} again (a full sync), then ask for deletions since the time that sync started",
        at(horizon)
    );
    ApiError::new(ErrorCode::DeletionsExpired, detail).field("since", format!("must not be before {}", at(horizon)))
}

/// The cursor continuing after `id`.
pub fn encode_cursor(id: Uuid) -> String {
    let mut bytes = vec![1u8];
    bytes.extend_from_slice(id.as_bytes());
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The id a cursor continues after; `None` for a string no cursor has.
pub fn decode_cursor(s: &str) -> Option<Uuid> {
    let bytes = URL_SAFE_NO_PAD.decode(s).ok()?;
    match bytes.split_first() {
        Some((1, rest)) => Uuid::from_slice(rest).ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_garbage() {
        let id = Uuid::now_v7();
        assert_eq!(decode_cursor(&encode_cursor(id)), Some(id));
        assert_eq!(decode_cursor("not-a-cursor"), None);
        assert_eq!(decode_cursor(""), None);
    }
}
