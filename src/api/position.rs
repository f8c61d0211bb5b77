//! Read-your-writes across replicas: `Staffmatch-Index-Position`.
//!
//! A write answers with the position of its change in the change feed (an opaque token; the
//! replica that answers has applied the write already). A request that carries a position,
//! in the header or as `?min_position=`, is held until this replica's index has applied it
//! — at most `STAFFMATCH_READ_WAIT_MS` (1 s by default) — and answered 503 with
//! `Retry-After: 1` if it has not; any replica behind a load balancer then answers as the
//! one that took the write would. Runs inside the gate, so only authenticated requests wait.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, ResponseError, web};

use super::error::{ApiError, ErrorCode};
use crate::service::AppState;

/// The header, on write answers and on requests.
pub const POSITION_HEADER: HeaderName = HeaderName::from_static("staffmatch-index-position");
/// The query parameter.
pub const MIN_POSITION: &str = "min_position";

/// The position a request asks for (`Ok(None)`: none), naming the offending field.
fn wanted(req: &ServiceRequest) -> Result<Option<u64>, ApiError> {
    let parse = |field: &str, raw: &str| {
        raw.trim().parse::<u64>().map(Some).map_err(|_| {
            ApiError::new(ErrorCode::InvalidParameter, "the index position is not one this service issued")
                .field(field, "must be a position from a Staffmatch-Index-Position header")
        })
    };
    let mut best = None;
    if let Some(v) = req.headers().get(&POSITION_HEADER) {
        let raw = v.to_str().map_err(|_| {
            ApiError::new(ErrorCode::InvalidParameter, "the index position is not one this service issued")
                .field("Staffmatch-Index-Position", "must be visible ASCII")
        })?;
        best = parse("Staffmatch-Index-Position", raw)?;
    }
    let query = web::Query::<std::collections::HashMap<String, String>>::from_query(req.query_string());
    if let Ok(q) = query
        && let Some(raw) = q.get(MIN_POSITION)
    {
        best = best.max(parse(MIN_POSITION, raw)?);
    }
    Ok(best)
}

/// Waits for a requested position before anything else answers: runs outside the
/// idempotency middleware, so a malformed position is refused (400) and a replayed answer
/// waits like a fresh one.
pub async fn wait<B: MessageBody + 'static>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return next.call(req).await.map(ServiceResponse::map_into_boxed_body);
    };
    match wanted(&req) {
        Err(e) => return Ok(req.into_response(e.error_response())),
        Ok(Some(position)) if !state.feed.wait_for(position).await => {
            let e = ApiError::new(
                ErrorCode::Unavailable,
                "this replica has not yet applied the change at that position; retry shortly",
            )
            .with_header(header::RETRY_AFTER, "1");
            return Ok(req.into_response(e.error_response()));
        }
        Ok(_) => {}
    }
    next.call(req).await.map(ServiceResponse::map_into_boxed_body)
}

/// Runs the request and puts the position of any write it made on the answer: inside the
/// idempotency middleware, so a replayed answer carries the position of the original write.
pub async fn stamp<B: MessageBody + 'static>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let (res, written) = crate::service::feed::tracked(next.call(req)).await;
    let mut res = res?.map_into_boxed_body();
    if let Some(p) = written
        && let Ok(v) = HeaderValue::from_str(&p.to_string())
    {
        res.headers_mut().insert(POSITION_HEADER, v);
    }
    Ok(res)
}

/// Documents the header, the parameter and the 503 on every `/api/v1` operation.
pub fn document(spec: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::header::HeaderBuilder;
    use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
    use utoipa::openapi::{ContentBuilder, ObjectBuilder, Ref, RefOr, Required, ResponseBuilder, Type};

    let string = || ObjectBuilder::new().schema_type(Type::String).build();
    // Decimal digits that fit a u64: what a write's header carries and `wanted` accepts.
    let position = || ObjectBuilder::new().schema_type(Type::String).pattern(Some("^[0-9]{1,19}$")).build();
    let text = "Read your own write on any replica: the `Staffmatch-Index-Position` a write answered with. The request waits (at most 1 s by default) until this replica's index has applied that write, else answers 503 with `Retry-After`.";
    for (path, item) in spec.paths.paths.iter_mut() {
        if !(path == "/api/v1" || path.starts_with("/api/v1/")) {
            continue;
        }
        let ops = [
            ("GET", item.get.as_mut()),
            ("PUT", item.put.as_mut()),
            ("POST", item.post.as_mut()),
            ("DELETE", item.delete.as_mut()),
            ("PATCH", item.patch.as_mut()),
        ];
        for (method, op) in ops {
            let Some(op) = op else { continue };
            let reads = crate::auth::required_scope(method, path) == crate::auth::Scope::Read;
            let r = &mut op.responses.responses;
            if reads {
                let params = op.parameters.get_or_insert_with(Vec::new);
                for (name, at) in
                    [("Staffmatch-Index-Position", ParameterIn::Header), (MIN_POSITION, ParameterIn::Query)]
                {
                    params.push(RefOr::T(
                        ParameterBuilder::new()
                            .name(name)
                            .parameter_in(at)
                            .required(Required::False)
                            .description(Some(text))
                            .schema(Some(position()))
                            .example(Some(serde_json::json!("48213")))
                            .build(),
                    ));
                }
                r.entry("503".into()).or_insert_with(|| {
                    RefOr::T(
                        ResponseBuilder::new()
                            .description("This replica has not applied the requested index position within the wait (`service_unavailable`), or the database is unreachable")
                            .content(
                                "application/problem+json",
                                ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem"))).build(),
                            )
                            .header(
                                "Retry-After",
                                HeaderBuilder::new().schema(Some(string())).description(Some("Seconds to wait")).build(),
                            )
                            .build(),
                    )
                });
            } else {
                for (status, resp) in r.iter_mut() {
                    if let (true, RefOr::T(resp)) = (status.starts_with('2'), resp) {
                        resp.headers.insert(
                            "Staffmatch-Index-Position".into(),
                            RefOr::T(HeaderBuilder::new()
                                .schema(Some(string()))
                                .description(Some("The position of this write in the change feed (opaque). Send it back on reads (header or `?min_position=`) to read this write on any replica."))
                                .build()),
                        );
                    }
                }
            }
        }
    }
}
