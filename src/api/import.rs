//! `POST /api/v1/consultants/import/json-resume`: a JSON Resume document, mapped by
//! [`crate::import::json_resume`] and upserted like `PUT /consultants/external/json-resume/{id}`.

use actix_web::{HttpRequest, HttpResponse, post, web};
use chrono::Utc;

use super::error::{ApiError, ApiResult, ErrorCode, Problem};
use super::extract::{JsonBody, Params};
use super::resources;
use crate::domain::valid_external_id;
use crate::import::json_resume;
use crate::service::AppState;
use crate::store::Consultants;

/// The `source` imported consultants get.
pub const SOURCE: &str = "json-resume";

/// Import a JSON Resume.
#[utoipa::path(
    tag = "Consultants",
    operation_id = "import_json_resume",
    description = "Maps a [JSON Resume](https://jsonresume.org/schema) document (English or Swedish) to a consultant and upserts it with `source` = `json-resume` and `external_id` = the `external_id` parameter, else `basics.email` (lower case): 201 when created, 200 when it replaced the earlier import. `basics.name`/`email`/`location.city`/`location.countryCode` map directly; `skills[].name` and `skills[].keywords[]` become skills (level words such as `Advanced`/`Avancerad` → 1–5); a skill's `years` is the length of the `work` periods whose text names it (overlaps counted once) and `experience_years` the length of all of them; `languages[]` names (English or Swedish) → ISO 639-1 and fluency words (`Native speaker`, `Modersmål`, `Full professional`, `Flytande`, …) → CEFR. What cannot be mapped is left out and listed in the `Staffmatch-Import-Skipped` header.",
    params(("external_id" = Option<String>, Query, description = "The id to upsert under (default: `basics.email`)")),
    request_body(content = serde_json::Map<String, serde_json::Value>, content_type = "application/json", example = json!({
        "basics": {"name": "Anna Lindqvist", "email": "anna@example.se", "location": {"city": "Malmö", "countryCode": "SE"}},
        "work": [{"name": "Region Skåne", "position": "IT-projektledare", "startDate": "2016-03-01", "highlights": ["Ledde ITIL-införandet"]}],
        "skills": [{"name": "Projektledning", "level": "Avancerad", "keywords": ["ITIL", "Agil projektledning"]}],
        "languages": [{"language": "Svenska", "fluency": "Modersmål"}, {"language": "English", "fluency": "Full professional proficiency"}]
    })),
    responses(
        (status = 200, description = "Replaced the earlier import", body = crate::api::dto::Consultant,
            headers(("Staffmatch-Import-Skipped" = String, description = "`field: reason; …` for what was left out"))),
        (status = 201, description = "Created", body = crate::api::dto::Consultant),
        (status = 422, description = "No name, no id (email or parameter), or invalid values", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/consultants/import/json-resume")]
pub async fn import_json_resume(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: JsonBody,
) -> ApiResult<HttpResponse> {
    let mut p = Params::from_request(&req)?;
    let given = p.raw("external_id").map(str::to_string);
    if given.as_deref().is_some_and(|id| !valid_external_id(id)) {
        p.reject("external_id", "must be 1–200 characters without '/' or control characters");
    }
    p.finish()?;
    if !body.0.is_object() {
        return Err(
            ApiError::new(ErrorCode::ValidationFailed, "a JSON Resume is an object").field("", "must be an object")
        );
    }
    let mapped = json_resume::map(&body.0, Utc::now().date_naive());
    let Some(external_id) = given.or(mapped.email.clone()) else {
        return Err(ApiError::new(ErrorCode::ValidationFailed, "the resume needs an id")
            .field("basics.email", "is required unless the external_id parameter is given"));
    };
    // The e-mail stands in for the id: one that cannot be an id is the body's fault, not the
    // path's (it answered 400 "the ATS reference in the path is invalid", issue 24).
    if !valid_external_id(&external_id) {
        return Err(ApiError::new(ErrorCode::ValidationFailed, "1 field is invalid").field(
            "basics.email",
            "cannot serve as the record's id (1–200 characters without '/' or control characters); pass the external_id parameter",
        ));
    }
    let res = resources::put_external::<Consultants>(state, req, SOURCE, &external_id, JsonBody(mapped.consultant))
        .await
        .map_err(|mut e| {
            for f in &mut e.errors {
                if ["name", "email", "location"].iter().any(|k| f.field == *k || f.field.starts_with(&format!("{k}.")))
                {
                    f.field = format!("basics.{}", f.field);
                }
            }
            e
        })?;
    let mut res = res;
    if !mapped.skipped.is_empty() {
        let text: String =
            mapped.skipped.join("; ").chars().filter(|c| c.is_ascii() && !c.is_ascii_control()).collect();
        if let Ok(v) = actix_web::http::header::HeaderValue::from_str(&text) {
            res.headers_mut().insert(actix_web::http::header::HeaderName::from_static("staffmatch-import-skipped"), v);
        }
    }
    Ok(res)
}
