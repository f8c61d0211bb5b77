//! The annotated CRUD handlers of consultants and assignments. One macro writes both
//! sets, so the two resources cannot drift apart; each handler is a call into
//! [`super::resources`], and each carries its own OpenAPI operation.

macro_rules! resource_handlers {
    (
        resource = $res:ty, tag = $tag:literal, kind = $kind:literal,
        write = $write:ty, dto = $dto:ty,
        collection = $collection:literal, item = $item:literal,
        external = $external:literal, batch = $batch:literal, deleted = $deleted:literal,
        batch_example = $batch_example:expr,
        list_filters = [$($list_filters:tt)*] $(,)?
    ) => {
        use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, put, web};

        use crate::api::dto::{BatchRequest, BatchResponse, Deleted, ListResponse};
        use crate::api::error::{ApiResult, Problem};
        use crate::api::extract::JsonBody;
        use crate::api::resources as r;
        use crate::service::AppState;

        #[doc = concat!("Create a ", $kind, ".")]
        #[utoipa::path(
            tag = $tag,
            operation_id = concat!("create_", $kind),
            summary = concat!("Create a ", $kind, "."),
            description = concat!("Stores a new ", $kind, ". Skill names are resolved to the taxonomy and the text given is kept. Answers 201 with `Location` and `ETag`. A `source` + `external_id` already in use answers 409; prefer `PUT /", $collection, "/external/{source}/{external_id}` for ATS data."),
            request_body(content = $write, content_type = "application/json"),
            responses(
                (status = 201, description = "Created", body = $dto,
                    headers(("ETag" = String, description = "The version, quoted"), ("Location" = String, description = "The new resource's URL"))),
                (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
                (status = 409, description = "source + external_id already used", body = Problem, content_type = "application/problem+json"),
                (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
                (status = 415, description = "Not application/json", body = Problem, content_type = "application/problem+json"),
                (status = 422, description = "Invalid fields, every one named", body = Problem, content_type = "application/problem+json"),
            ),
            security(("bearer" = []))
        )]
        #[post($collection)]
        pub async fn create(state: web::Data<AppState>, body: JsonBody) -> ApiResult<HttpResponse> {
            r::create::<$res>(state, body).await
        }

        #[doc = concat!("List ", $kind, "s.")]
        #[utoipa::path(
            tag = $tag,
            operation_id = concat!("list_", $kind, "s"),
            summary = concat!("List ", $kind, "s."),
            description = concat!("Lists in creation order (oldest first), `limit` at a time; `updated_since` keeps only records changed since then, `source` only those from one ATS (and for assignments `status` only those in the states given). Pass `next_cursor` as `cursor` to get the next page; a page with `next_cursor: null` is the last. Every record appears exactly once across the pages, even while others are added. Records deleted since are listed at `GET ", $deleted, "`."),
            params(
                ("limit" = Option<u64>, Query, description = "Page size, 1–500 (default 50)", minimum = 1, maximum = 500),
                ("cursor" = Option<String>, Query, description = "Opaque cursor from a previous page's `next_cursor`"),
                ("updated_since" = Option<chrono::DateTime<chrono::Utc>>, Query, description = "Only records changed at or after this time (RFC 3339), for incremental sync. Pages keep the creation order, so keep the same `updated_since` while following `next_cursor`; for the next sync pass the time you started this one (minus a little clock skew).", example = "2025-09-01T00:00:00Z"),
                ("source" = Option<String>, Query, description = "Only records from this ATS (their `source`), e.g. for an integration reconciling its own records. Keep the same filters while following `next_cursor`.", example = "teamtailor"),
                $($list_filters)*
            ),
            responses(
                (status = 200, description = "A page", body = ListResponse<$dto>),
                (status = 400, description = "Bad `limit`, `cursor` or filter, every one named", body = Problem, content_type = "application/problem+json"),
            ),
            security(("bearer" = []))
        )]
        #[get($collection)]
        pub async fn list(state: web::Data<AppState>, req: HttpRequest) -> ApiResult<HttpResponse> {
            r::list::<$res>(state, req).await
        }

        #[doc = concat!("List deleted ", $kind, "s.")]
        #[utoipa::path(
            tag = $tag,
            operation_id = concat!("list_deleted_", $kind, "s"),
            summary = concat!("List deleted ", $kind, "s."),
            description = concat!("For clients that sync by polling: the ", $kind, "s deleted at or after `since`, in id order, `limit` at a time (follow `next_cursor` as in the list). Pair it with the list's `updated_since`: after a sync that started at T, ask both for changes and for deletions since T. Every delete (by id or by ATS id) is recorded in the delete's own transaction, so an acknowledged delete is always listed. Deletions are kept for `STAFFMATCH_DELETION_RETENTION_DAYS` (default 90) and recorded since the release that added this list was installed; a `since` before either, or before deletions pruned under an earlier, shorter retention, answers 410 `deletions_expired`: list everything again instead. A record deleted and then created again under the same ATS id has a new id."),
            params(
                ("since" = Option<chrono::DateTime<chrono::Utc>>, Query, description = "Only deletions at or after this time (RFC 3339)", example = "2026-12-01T00:00:00Z"),
                ("limit" = Option<u64>, Query, description = "Page size, 1–500 (default 50)", minimum = 1, maximum = 500),
                ("cursor" = Option<String>, Query, description = "Opaque cursor from a previous page's `next_cursor`"),
            ),
            responses(
                (status = 200, description = "A page of deletions", body = ListResponse<Deleted>),
                (status = 400, description = "Bad `since`, `limit` or `cursor`", body = Problem, content_type = "application/problem+json"),
                (status = 410, description = "`since` is before the deletions still kept, first recorded or pruned: sync in full", body = Problem, content_type = "application/problem+json"),
            ),
            security(("bearer" = []))
        )]
        #[get($deleted)]
        pub async fn deleted(state: web::Data<AppState>, req: HttpRequest) -> ApiResult<HttpResponse> {
            crate::api::sync::deleted::<$res>(state, req).await
        }

        #[doc = concat!("Get a ", $kind, ".")]
        #[utoipa::path(
            tag = $tag,
            operation_id = concat!("get_", $kind),
            summary = concat!("Get a ", $kind, "."),
            description = "With `If-None-Match: \"<version>\"` (the `ETag` of your copy) the answer is 304 without a body while that version is current, so polling an unchanged record costs nothing to transfer.",
            params(
                ("id" = uuid::Uuid, Path, description = "The id"),
                ("If-None-Match" = Option<String>, Header, description = "The ETag of your copy, e.g. \"3\" (a list, W/\"3\" and * are understood)"),
            ),
            responses(
                (status = 200, description = "Found", body = $dto, headers(("ETag" = String, description = "The version, quoted"))),
                (status = 304, description = "Not modified: If-None-Match names the current version", headers(("ETag" = String, description = "The version, quoted"))),
                (status = 400, description = "Malformed id", body = Problem, content_type = "application/problem+json"),
                (status = 404, description = "No such id", body = Problem, content_type = "application/problem+json"),
            ),
            security(("bearer" = []))
        )]
        #[get($item)]
        pub async fn get(state: web::Data<AppState>, req: HttpRequest, path: web::Path<String>) -> ApiResult<HttpResponse> {
            r::get::<$res>(state, req, &path).await
        }

        #[doc = concat!("Replace a ", $kind, ".")]
        #[utoipa::path(
            tag = $tag,
            operation_id = concat!("replace_", $kind),
            summary = concat!("Replace a ", $kind, "."),
            description = "Replaces every field (absent ones are cleared). With `If-Match: \"<version>\"` the write only happens if the stored version is that one (else 412). A body that leaves the record exactly as it is writes nothing: 200 with the version, `updated_at` and `ETag` unchanged, and no webhook event.",
            params(
                ("id" = uuid::Uuid, Path, description = "The id"),
                ("If-Match" = Option<String>, Header, description = "Expected version, e.g. \"3\""),
            ),
            request_body(content = $write, content_type = "application/json"),
            responses(
                (status = 200, description = "Replaced (or already held exactly this content)", body = $dto, headers(("ETag" = String, description = "The version after the write, quoted"))),
                (status = 404, description = "No such id", body = Problem, content_type = "application/problem+json"),
                (status = 409, description = "source + external_id used by another record", body = Problem, content_type = "application/problem+json"),
                (status = 412, description = "Stale If-Match", body = Problem, content_type = "application/problem+json"),
                (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
            ),
            security(("bearer" = []))
        )]
        #[put($item)]
        pub async fn replace(
            state: web::Data<AppState>,
            req: HttpRequest,
            path: web::Path<String>,
            body: JsonBody,
        ) -> ApiResult<HttpResponse> {
            r::replace::<$res>(state, req, &path, body).await
        }

        #[doc = concat!("Patch a ", $kind, ".")]
        #[utoipa::path(
            tag = $tag,
            operation_id = concat!("patch_", $kind),
            summary = concat!("Patch a ", $kind, "."),
            description = "Applies an RFC 7396 JSON merge patch (`application/merge-patch+json` or `application/json`): fields given replace, `null` removes, objects merge, arrays are replaced whole. The result is validated like a full write. Without `If-Match` a concurrent change between read and write answers 412 instead of being overwritten. A patch that changes nothing writes nothing (version and `updated_at` stay, no webhook event).",
            params(
                ("id" = uuid::Uuid, Path, description = "The id"),
                ("If-Match" = Option<String>, Header, description = "Expected version, e.g. \"3\""),
            ),
            request_body(content = serde_json::Map<String, serde_json::Value>, content_type = "application/merge-patch+json", example = json!({"capacity_percent": 50, "email": null})),
            responses(
                (status = 200, description = "Patched", body = $dto, headers(("ETag" = String, description = "The version after the patch, quoted"))),
                (status = 404, description = "No such id", body = Problem, content_type = "application/problem+json"),
                (status = 412, description = "Stale If-Match", body = Problem, content_type = "application/problem+json"),
                (status = 422, description = "The patched document is invalid", body = Problem, content_type = "application/problem+json"),
            ),
            security(("bearer" = []))
        )]
        #[patch($item)]
        pub async fn patch(
            state: web::Data<AppState>,
            req: HttpRequest,
            path: web::Path<String>,
            body: JsonBody,
        ) -> ApiResult<HttpResponse> {
            r::patch::<$res>(state, req, &path, body).await
        }

        #[doc = concat!("Delete a ", $kind, ".")]
        #[utoipa::path(
            tag = $tag,
            operation_id = concat!("delete_", $kind),
            summary = concat!("Delete a ", $kind, "."),
            description = concat!("Deletes the ", $kind, " and takes it out of matching at once; answers 204. With `If-Match` only that version is deleted (412 otherwise). The deletion is listed at `GET ", $deleted, "` for clients that sync by polling."),
            params(
                ("id" = uuid::Uuid, Path, description = "The id"),
                ("If-Match" = Option<String>, Header, description = "Expected version, e.g. \"3\""),
            ),
            responses(
                (status = 204, description = "Deleted"),
                (status = 404, description = "No such id", body = Problem, content_type = "application/problem+json"),
                (status = 412, description = "Stale If-Match", body = Problem, content_type = "application/problem+json"),
            ),
            security(("bearer" = []))
        )]
        #[delete($item)]
        pub async fn delete(state: web::Data<AppState>, req: HttpRequest, path: web::Path<String>) -> ApiResult<HttpResponse> {
            r::delete::<$res>(state, req, &path).await
        }

        #[doc = concat!("Get a ", $kind, " by its ATS id.")]
        #[utoipa::path(
            tag = $tag,
            operation_id = concat!("get_", $kind, "_by_external_id"),
            summary = concat!("Get a ", $kind, " by its ATS id."),
            description = "With `If-None-Match: \"<version>\"` the answer is 304 without a body while that version is current.",
            params(
                ("source" = String, Path, description = "The ATS, e.g. teamtailor"),
                ("external_id" = String, Path, description = "The ATS's id"),
                ("If-None-Match" = Option<String>, Header, description = "The ETag of your copy, e.g. \"3\""),
            ),
            responses(
                (status = 200, description = "Found", body = $dto, headers(("ETag" = String, description = "The version, quoted"))),
                (status = 304, description = "Not modified: If-None-Match names the current version", headers(("ETag" = String, description = "The version, quoted"))),
                (status = 404, description = "Not found", body = Problem, content_type = "application/problem+json"),
            ),
            security(("bearer" = []))
        )]
        #[get($external)]
        pub async fn get_external(
            state: web::Data<AppState>,
            req: HttpRequest,
            path: web::Path<(String, String)>,
        ) -> ApiResult<HttpResponse> {
            r::get_external::<$res>(state, req, &path.0, &path.1).await
        }

        #[doc = concat!("Create or replace a ", $kind, " by its ATS id.")]
        #[utoipa::path(
            tag = $tag,
            operation_id = concat!("upsert_", $kind, "_by_external_id"),
            summary = concat!("Create or replace a ", $kind, " by its ATS id."),
            description = "Idempotent upsert: 201 when created, 200 when it replaced the record with this `source` + `external_id`. Sending the same body again leaves one record and changes nothing: the second answer is 200 with the same version and `updated_at`, and no `*.updated` webhook event is sent, so an ATS may re-push a full sync without marking every record changed for `updated_since` readers. `source`/`external_id` in the body may be left out; if given they must match the path. Conditions: `If-None-Match: *` creates only (412 with the current `ETag` when the record exists), `If-Match: *` replaces only and `If-Match: \"3\"` replaces only that version (404 when there is no record, 412 when it is at another version).",
            params(
                ("source" = String, Path, description = "The ATS, e.g. teamtailor"),
                ("external_id" = String, Path, description = "The ATS's id"),
                ("If-Match" = Option<String>, Header, description = "Replace only: the expected version, e.g. \"3\", or * for any"),
                ("If-None-Match" = Option<String>, Header, description = "* to create only"),
            ),
            request_body(content = $write, content_type = "application/json"),
            responses(
                (status = 200, description = "Updated, or unchanged when the record already held exactly this content", body = $dto),
                (status = 201, description = "Created", body = $dto),
                (status = 400, description = "A malformed If-Match, an If-None-Match other than *, or both", body = Problem, content_type = "application/problem+json"),
                (status = 404, description = "If-Match was sent and no record has this ATS id", body = Problem, content_type = "application/problem+json"),
                (status = 412, description = "Stale If-Match, or If-None-Match: * and the record exists", body = Problem, content_type = "application/problem+json",
                    headers(("ETag" = String, description = "The current version, quoted"))),
                (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
            ),
            security(("bearer" = []))
        )]
        #[put($external)]
        pub async fn put_external(
            state: web::Data<AppState>,
            req: HttpRequest,
            path: web::Path<(String, String)>,
            body: JsonBody,
        ) -> ApiResult<HttpResponse> {
            r::put_external::<$res>(state, req, &path.0, &path.1, body).await
        }

        #[doc = concat!("Delete a ", $kind, " by its ATS id.")]
        #[utoipa::path(
            tag = $tag,
            operation_id = concat!("delete_", $kind, "_by_external_id"),
            summary = concat!("Delete a ", $kind, " by its ATS id."),
            description = concat!("Deletes the ", $kind, " that `source` + `external_id` name, as `DELETE ", $item, "` does; answers 204, 404 when there is none."),
            params(
                ("source" = String, Path, description = "The ATS, e.g. teamtailor"),
                ("external_id" = String, Path, description = "The ATS's id"),
                ("If-Match" = Option<String>, Header, description = "Expected version, e.g. \"3\""),
            ),
            responses(
                (status = 204, description = "Deleted"),
                (status = 404, description = "Not found", body = Problem, content_type = "application/problem+json"),
            ),
            security(("bearer" = []))
        )]
        #[delete($external)]
        pub async fn delete_external(
            state: web::Data<AppState>,
            req: HttpRequest,
            path: web::Path<(String, String)>,
        ) -> ApiResult<HttpResponse> {
            r::delete_external::<$res>(state, req, &path.0, &path.1).await
        }

        #[doc = concat!("Upsert many ", $kind, "s.")]
        #[utoipa::path(
            tag = $tag,
            operation_id = concat!("batch_upsert_", $kind, "s"),
            summary = concat!("Upsert many ", $kind, "s."),
            description = "`{\"items\": [...]}` with 1–1,000 items. Items with `source` + `external_id` are upserted, others created; an item whose record already holds exactly its content is `unchanged` (nothing written, version kept, no webhook event). Every item is validated on its own; a bad item is reported (its problem names fields as `items[i].…`) and does not stop the others, which are committed together. The answer lists one result per item, in order.",
            request_body(content = BatchRequest<$write>, content_type = "application/json", example = $batch_example),
            responses(
                (status = 200, description = "Per-item results", body = BatchResponse),
                (status = 422, description = "Not an items array, or too many", body = Problem, content_type = "application/problem+json"),
            ),
            security(("bearer" = []))
        )]
        #[post($batch)]
        pub async fn batch(state: web::Data<AppState>, body: JsonBody) -> ApiResult<HttpResponse> {
            r::batch::<$res>(state, body).await
        }

        /// Registers this resource's routes (the external, batch and deleted routes before
        /// `{id}`).
        pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
            cfg.service(batch)
                .service(deleted)
                .service(get_external)
                .service(put_external)
                .service(delete_external)
                .service(create)
                .service(list)
                .service(get)
                .service(replace)
                .service(patch)
                .service(delete);
        }
    };
}

/// `/api/v1/consultants…`
pub mod consultants {
    resource_handlers!(
        resource = crate::store::Consultants,
        tag = "Consultants",
        kind = "consultant",
        write = crate::api::dto::ConsultantWrite,
        dto = crate::api::dto::Consultant,
        collection = "/consultants",
        item = "/consultants/{id}",
        external = "/consultants/external/{source}/{external_id}",
        batch = "/consultants/batch",
        deleted = "/consultants/deleted",
        batch_example =
            json!({"items": [{"source": "teamtailor", "external_id": "c-1", "name": "Anna Lindqvist"}, {"name": ""}]}),
        list_filters = [
            ("stale_before" = Option<chrono::DateTime<chrono::Utc>>, Query, description = "Only consultants last updated before this time (RFC 3339): with `STAFFMATCH_CONSULTANT_RETENTION_DAYS` set, pass now minus that many days (plus 30 to see who gets a `consultant.expiring` event) to list who the retention erases next.", example = "2025-01-01T00:00:00Z"),
        ],
    );
}

/// `/api/v1/assignments…`
pub mod assignments {
    resource_handlers!(
        resource = crate::store::Assignments,
        tag = "Assignments",
        kind = "assignment",
        write = crate::api::dto::AssignmentWrite,
        dto = crate::api::dto::Assignment,
        collection = "/assignments",
        item = "/assignments/{id}",
        external = "/assignments/external/{source}/{external_id}",
        batch = "/assignments/batch",
        deleted = "/assignments/deleted",
        batch_example = json!({"items": [{"source": "teamtailor", "external_id": "job-77", "title": "IT Project Manager Infrastructure"}, {"title": ""}]}),
        list_filters = [
            ("status" = Option<String>, Query, description = "Only assignments in this state, or in any of several comma-separated: `draft`, `open`, `on_hold`, `filled`, `closed` (the stored status; an `open` assignment past `expires_at` is still `open` here, though no longer matched).", example = json!(["open", "on_hold"])),
        ],
    );
}
