//! `/api/v1/skills`: search the taxonomy, read a skill with its relations, resolve names,
//! and (admin) add skills and aliases at run time.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use super::error::{ApiError, ApiResult, ErrorCode, Problem, store_error};
use super::extract::{JsonBody, Params};
use crate::domain::reader::{FieldErrors, ObjectReader, array, string};
use crate::service::AppState;
use crate::service::skills::AdditionError;
use crate::taxonomy::{SkillDef, SkillIdx, Taxonomy};

/// A skill named in a relation or a resolution.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SkillRef {
    /// Stable id.
    #[schema(example = "agile-project-management")]
    pub id: String,
    /// English label.
    #[schema(example = "Agile project management")]
    pub label_en: String,
    /// Swedish label.
    #[schema(example = "Agil projektledning")]
    pub label_sv: String,
}

/// A canonical skill with its names and relations.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Skill {
    /// Stable id.
    #[schema(example = "scrum")]
    pub id: String,
    /// English label.
    #[schema(example = "Scrum")]
    pub label_en: String,
    /// Swedish label.
    #[schema(example = "Scrum")]
    pub label_sv: String,
    /// Category.
    #[schema(example = "project-management")]
    pub category: String,
    /// Aliases and abbreviations, both languages.
    pub aliases: Vec<String>,
    /// Direct broader skills: a must-have for one of these is met by this skill.
    pub broader: Vec<SkillRef>,
    /// Direct narrower skills.
    pub narrower: Vec<SkillRef>,
    /// Related skills (no credit, for browsing).
    pub related: Vec<SkillRef>,
    /// The general knowledge this skill implies: a must-have for one of these is met by this
    /// skill ("implied by" in match explanations).
    #[schema(example = json!([{"id": "it-infrastructure", "label_en": "IT infrastructure", "label_sv": "IT-infrastruktur"}]))]
    pub implies: Vec<SkillRef>,
}

fn skill_ref(t: &Taxonomy, idx: SkillIdx) -> Option<SkillRef> {
    t.skill(idx).map(|s| SkillRef { id: s.id.clone(), label_en: s.label_en.clone(), label_sv: s.label_sv.clone() })
}

fn skill(t: &Taxonomy, idx: SkillIdx) -> Option<Skill> {
    let s = t.skill(idx)?;
    let refs = |v: &[SkillIdx]| v.iter().filter_map(|i| skill_ref(t, *i)).collect::<Vec<_>>();
    Some(Skill {
        id: s.id.clone(),
        label_en: s.label_en.clone(),
        label_sv: s.label_sv.clone(),
        category: s.category.clone(),
        aliases: s.aliases.clone(),
        broader: refs(&s.broader),
        narrower: refs(&s.narrower),
        related: refs(&s.related),
        implies: refs(&s.implies),
    })
}

/// A page of skills.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SkillPage {
    /// Best matches first (or by id when `q` is empty).
    pub items: Vec<Skill>,
    /// Pass as `cursor` for the next page; null on the last.
    pub next_cursor: Option<String>,
}

/// Search the taxonomy.
#[utoipa::path(
    tag = "Skills",
    description = "Searches labels in both languages, aliases and abbreviations (prefix, substring and near-miss), best match first. Without `q`, lists every skill by id.",
    params(
        ("q" = Option<String>, Query, description = "Search text, e.g. `projektled` or `k8s` (at most 200 characters)", max_length = 200),
        ("limit" = Option<u64>, Query, description = "Page size, 1–200 (default 20)", minimum = 1, maximum = 200),
        ("cursor" = Option<String>, Query, description = "From a previous page's `next_cursor`"),
    ),
    responses(
        (status = 200, description = "Matching skills", body = SkillPage),
        (status = 400, description = "Bad parameter", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/skills")]
pub async fn search(state: web::Data<AppState>, req: HttpRequest) -> ApiResult<HttpResponse> {
    let mut p = Params::from_request(&req)?;
    let limit = p.int("limit", 1, 200).unwrap_or(20) as usize;
    let q = p.raw("q").unwrap_or("").to_string();
    if q.chars().count() > 200 {
        p.reject("q", "must be at most 200 characters");
    }
    // An empty `cursor=` is the first page (generated clients send it for an unset parameter).
    let offset = match p.raw("cursor").filter(|c| !c.is_empty()) {
        Some(c) => decode_offset(c).unwrap_or_else(|| {
            p.reject("cursor", "is not a cursor this API returned");
            0
        }),
        None => 0,
    };
    p.finish()?;
    let (items, total) = state.skills.view(|t| {
        let hits = t.search(&q);
        let items: Vec<Skill> = hits.iter().skip(offset).take(limit).filter_map(|i| skill(t, *i)).collect();
        (items, hits.len())
    });
    let next = (offset.saturating_add(limit) < total).then(|| encode_offset(offset + limit));
    Ok(HttpResponse::Ok().json(SkillPage { items, next_cursor: next }))
}

/// A skills cursor has the form of a list cursor (so one documented pattern covers both, and
/// every string of that form is a valid position): the offset as the 128-bit number of its id.
fn encode_offset(n: usize) -> String {
    super::sync::encode_cursor(uuid::Uuid::from_u128(n as u128))
}

fn decode_offset(s: &str) -> Option<usize> {
    // An offset past any list is a valid, empty page.
    super::sync::decode_cursor(s).map(|id| usize::try_from(id.as_u128()).unwrap_or(usize::MAX))
}

/// Get a skill with its relations.
#[utoipa::path(
    tag = "Skills",
    description = "One canonical skill: its Swedish and English labels, aliases, category and its broader, narrower and related skills.",
    params(("id" = String, Path, description = "Skill id, e.g. `scrum`")),
    responses(
        (status = 200, description = "The skill", body = Skill),
        (status = 404, description = "No such skill", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/skills/{id}")]
pub async fn get_skill(state: web::Data<AppState>, id: web::Path<String>) -> ApiResult<HttpResponse> {
    let found = state
        .skills
        .view(|t| t.index_of(&id).and_then(|i| skill(t, i)))
        .ok_or_else(|| ApiError::not_found("skill", &*id))?;
    Ok(HttpResponse::Ok().json(found))
}

/// `POST /skills/resolve` body.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"names": ["Agil projektledning", "k8s", "ITIL 4", "Kubernets", "Javascript", "Underwater basket weaving"]}))]
pub struct ResolveRequest {
    /// 1–500 names as users and ATSs write them.
    pub names: Vec<String>,
}

/// How one name resolved.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ResolveResult {
    /// The name as given.
    pub input: String,
    /// The canonical skill, or null when the name is not in the taxonomy (it is then kept as free text and matches only the identical text).
    pub skill: Option<SkillRef>,
    /// `exact` (a label), `alias` (alias or abbreviation), `fuzzy` (spelling without diacritics or a near miss) or `none`.
    #[schema(example = "alias")]
    pub method: String,
    /// 1.0 for exact, alias and diacritics-only matches; lower for a near miss; 0 when unresolved.
    pub similarity: f32,
    /// Which name it went through, in words ("Swedish label", "alias", "near-miss spelling"…).
    #[schema(example = "alias")]
    pub via: String,
    /// The label or alias it hit.
    pub matched: Option<String>,
}

/// Results in request order.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ResolveResponse {
    /// One per input name.
    pub results: Vec<ResolveResult>,
}

/// Resolve skill names to canonical skills.
#[utoipa::path(
    tag = "Skills",
    description = "Resolves each name: exact label in Swedish or English → alias/abbreviation → the same spelling without diacritics → a near-miss spelling under thresholds that get stricter as names get shorter (names under six letters are never fuzzed, so Java never becomes JavaScript). A name that resolves to nothing is reported with `method: none`.",
    request_body(content = ResolveRequest, content_type = "application/json"),
    responses(
        (status = 200, description = "One result per name", body = ResolveResponse),
        (status = 422, description = "Invalid body", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/skills/resolve")]
pub async fn resolve(state: web::Data<AppState>, body: JsonBody) -> ApiResult<HttpResponse> {
    let mut errs = FieldErrors::default();
    let names = ObjectReader::new(&body.0, "", &mut errs).and_then(|mut r| {
        let names = r.required("names", &mut errs, array(500, string(1, 200)));
        r.finish(&mut errs);
        names
    });
    if body.0.get("names").and_then(Value::as_array).is_some_and(Vec::is_empty) {
        errs.push("names", "must hold at least one name");
    }
    let names = errs.finish(names.unwrap_or_default())?;
    let results = state.skills.view(|t| {
        names
            .into_iter()
            .map(|(_, input)| {
                let r = t.resolve(&input);
                ResolveResult {
                    skill: r.skill.and_then(|i| skill_ref(t, i)),
                    method: r.method.map_or("none", crate::domain::ResolveMethod::as_str).to_string(),
                    similarity: r.similarity,
                    via: r.via.describe().to_string(),
                    matched: r.matched.clone(),
                    input,
                }
            })
            .collect()
    });
    Ok(HttpResponse::Ok().json(ResolveResponse { results }))
}

/// A skill to add at run time.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"id": "sambandscentral", "label_en": "Communications centre operations", "label_sv": "Sambandscentral", "category": "public-sector", "aliases": ["SamC"], "broader": [], "related": []}))]
pub struct NewSkill {
    /// Stable id, `[a-z0-9-]`.
    pub id: String,
    /// English label.
    pub label_en: String,
    /// Swedish label.
    pub label_sv: String,
    /// Category.
    pub category: String,
    /// Aliases (optional).
    pub aliases: Option<Vec<String>>,
    /// Ids of broader skills (optional).
    pub broader: Option<Vec<String>>,
    /// Ids of related skills (optional).
    pub related: Option<Vec<String>>,
}

fn parse_new_skill(v: &Value) -> Result<SkillDef, FieldErrors> {
    let mut errs = FieldErrors::default();
    let Some(mut r) = ObjectReader::new(v, "", &mut errs) else { return Err(errs) };
    let id = r.required("id", &mut errs, string(1, 100));
    let label_en = r.required("label_en", &mut errs, string(1, 120));
    let label_sv = r.required("label_sv", &mut errs, string(1, 120));
    let category = r.required("category", &mut errs, string(1, 60));
    let list = |r: &mut ObjectReader<'_>, k: &'static str, e: &mut FieldErrors| {
        r.optional(k, e, array(100, string(1, 120)))
            .map(|v| v.into_iter().map(|(_, s)| s).collect())
            .unwrap_or_default()
    };
    let aliases = list(&mut r, "aliases", &mut errs);
    let broader = list(&mut r, "broader", &mut errs);
    let related = list(&mut r, "related", &mut errs);
    r.finish(&mut errs);
    let def = SkillDef {
        id: id.unwrap_or_default(),
        label_en: label_en.unwrap_or_default(),
        label_sv: label_sv.unwrap_or_default(),
        category: category.unwrap_or_default(),
        aliases,
        broader,
        related,
        // Implications are curated in the data files, where tests guard them as a whole.
        implies: Vec::new(),
    };
    errs.finish(def)
}

fn addition_error(e: AdditionError) -> ApiError {
    match e {
        AdditionError::Taxonomy(t) => {
            ApiError::new(ErrorCode::ValidationFailed, t.to_string()).field("", t.to_string())
        }
        AdditionError::UnknownSkill(id) => ApiError::not_found("skill", id),
        AdditionError::Store(s) => store_error("skill", "", s),
    }
}

async fn after_addition(state: &AppState) -> ApiResult<()> {
    let (consultants, assignments) =
        state.skills.reresolve(&state.store).await.map_err(|e| store_error("skill", "", e))?;
    for c in &consultants {
        state.consultant_written(c);
    }
    for a in &assignments {
        state.assignment_written(a);
    }
    tracing::info!(consultants = consultants.len(), assignments = assignments.len(), "re-resolved stored skills");
    Ok(())
}

/// Add a skill (admin).
#[utoipa::path(
    tag = "Skills",
    description = "Adds a canonical skill at run time, validated like the built-in data (unique id, labels and aliases not used by another skill, known broader ids, no cycles). It is persisted, and stored profiles and requirements that name it are re-resolved at once; the match index follows without a restart.",
    request_body(content = NewSkill, content_type = "application/json"),
    responses(
        (status = 201, description = "Added", body = Skill),
        (status = 422, description = "Invalid or clashing", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/skills")]
pub async fn add_skill(state: web::Data<AppState>, body: JsonBody) -> ApiResult<HttpResponse> {
    let def = parse_new_skill(&body.0)?;
    let idx = state.skills.add_skill(&state.store, def).await.map_err(addition_error)?;
    after_addition(&state).await?;
    let s = state
        .skills
        .view(|t| skill(t, idx))
        .ok_or_else(|| ApiError::new(ErrorCode::Internal, "the added skill vanished"))?;
    Ok(HttpResponse::Created().insert_header(("Location", format!("/api/v1/skills/{}", s.id))).json(s))
}

/// `POST /skills/{id}/aliases` body.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"alias": "Infraprojektledning"}))]
pub struct NewAlias {
    /// The new alias (1–120 characters).
    pub alias: String,
}

/// Add an alias to a skill (admin).
#[utoipa::path(
    tag = "Skills",
    description = "Adds an alias or abbreviation. Refused (422) if it already names another skill. Persisted; stored records re-resolved at once.",
    params(("id" = String, Path, description = "Skill id")),
    request_body(content = NewAlias, content_type = "application/json"),
    responses(
        (status = 201, description = "Added", body = Skill),
        (status = 404, description = "No such skill", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid or clashing", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/skills/{id}/aliases")]
pub async fn add_alias(state: web::Data<AppState>, id: web::Path<String>, body: JsonBody) -> ApiResult<HttpResponse> {
    let mut errs = FieldErrors::default();
    let alias = ObjectReader::new(&body.0, "", &mut errs).and_then(|mut r| {
        let a = r.required("alias", &mut errs, string(1, 120));
        r.finish(&mut errs);
        a
    });
    let alias = errs.finish(alias.unwrap_or_default())?;
    let idx = state.skills.add_alias(&state.store, &id, &alias).await.map_err(addition_error)?;
    after_addition(&state).await?;
    let s =
        state.skills.view(|t| skill(t, idx)).ok_or_else(|| ApiError::new(ErrorCode::Internal, "the skill vanished"))?;
    Ok(HttpResponse::Created().json(s))
}

/// Registers the skill routes (`/skills/resolve` before `/skills/{id}`).
pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(resolve).service(search).service(add_skill).service(add_alias).service(get_skill);
}
