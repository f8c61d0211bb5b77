//! `staffmatch --demo`: the sample dataset, loaded once. Over 200 consultants
//! ([`people`]) and a dozen assignments (`data/demo/assignments.toml`, the seed
//! posting read by the service's own ad parser) are written with source `staffmatch-demo`
//! through the service's batch write ([`writes::batch`], the one behind
//! `POST /api/v1/{consultants,assignments}/batch`), so validation, skill resolution, the
//! match index and webhook events see them as they would see an ATS's sync.
//!
//! Loaded once: when the seed posting is already stored, nothing is written, so a restart
//! keeps whatever the user changed. The batches are upserts by ATS id, so a load cut short
//! (the assignments are written last) is completed by the next start without doubles.

use chrono::{Datelike, Days, Months, NaiveDate};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::api::dto::AssignmentWrite;
use crate::domain::SourceRef;
use crate::service::AppState;
use crate::service::writes::{self, Documented};
use crate::store::{Assignments, Consultants, StoreError, Written};

mod people;

/// The `source` of every demo record.
pub const DEMO_SOURCE: &str = "staffmatch-demo";
/// The ATS id of the seed posting, the demo's first example.
pub const SEED_ID: &str = "seed-it-project-manager-infrastructure";
/// The ATS id of the consultant of the README's walk-through, the demo's pair example.
pub const PAIR_CONSULTANT_ID: &str = "anna-lindqvist";

const ASSIGNMENTS: &str = include_str!("../../data/demo/assignments.toml");
const SEED_AD: &str = include_str!("../../data/demo/seed-it-project-manager-infrastructure.txt");

/// What a start with `--demo` found or wrote.
#[derive(Debug, Clone)]
pub struct DemoLoad {
    /// Whether this start wrote the sample (false: it was there already).
    pub loaded: bool,
    /// Consultants and assignments this start created.
    pub created: (usize, usize),
    /// The stored seed posting's id.
    pub seed: Uuid,
    /// The stored pair example's id, unless the user deleted it.
    pub pair: Option<Uuid>,
}

/// Loads the sample unless it is there, and says where its examples are.
pub async fn load(state: &AppState) -> anyhow::Result<DemoLoad> {
    let mut load = DemoLoad { loaded: false, created: (0, 0), seed: Uuid::nil(), pair: None };
    match stored::<Assignments>(state, SEED_ID).await? {
        Some(id) => load.seed = id,
        None => {
            let today = chrono::Utc::now().date_naive();
            let people = people::consultants(DEMO_SOURCE, today)?;
            load.created.0 = write::<Consultants>(state, people).await?;
            load.created.1 = write::<Assignments>(state, assignments(state, today)?).await?;
            load.loaded = true;
            load.seed = stored::<Assignments>(state, SEED_ID)
                .await?
                .ok_or_else(|| anyhow::anyhow!("the demo's seed posting was written but cannot be read back"))?;
        }
    }
    load.pair = stored::<Consultants>(state, PAIR_CONSULTANT_ID).await?;
    Ok(load)
}

/// The id of the demo record of `R` with ATS id `external_id`, if stored.
async fn stored<R: writes::Resource>(state: &AppState, external_id: &str) -> anyhow::Result<Option<Uuid>> {
    let s = SourceRef { source: DEMO_SOURCE.to_string(), external_id: external_id.to_string() };
    match state.store.get_by_source::<R>(&s).await {
        Ok(rec) => Ok(Some(rec.meta.id)),
        Err(StoreError::NotFound) => Ok(None),
        Err(e) => Err(anyhow::anyhow!("cannot read the demo {} {external_id}: {e}", R::KIND)),
    }
}

/// Writes `items` as one `POST …/batch` would (with every scope), returning how many it
/// created. Any item refused fails the load: the sample is ours and must be valid.
async fn write<R: Documented>(state: &AppState, items: Vec<Value>) -> anyhow::Result<usize> {
    let mut created = 0;
    for chunk in items.chunks(writes::MAX_BATCH) {
        let outcomes = crate::auth::with_sensitive(true, writes::batch::<R>(state, chunk))
            .await
            .map_err(|e| anyhow::anyhow!("the demo {}s were refused: {e}", R::KIND))?;
        let mut problems = Vec::new();
        for (i, outcome) in outcomes.iter().enumerate() {
            match outcome {
                Ok((_, Written::Created)) => created += 1,
                Ok(_) => {}
                Err(e) => problems.push(format!("item {i}: {e}")),
            }
        }
        if !problems.is_empty() {
            let n = problems.len();
            problems.truncate(5);
            anyhow::bail!("{n} demo {}s were refused: {}", R::KIND, problems.join("; "));
        }
    }
    Ok(created)
}

fn days(today: NaiveDate, n: i64) -> NaiveDate {
    today.checked_add_days(Days::new(n.max(0).unsigned_abs())).unwrap_or(today)
}

/// Replaces the relative dates of a data-file entry (`start_in_days`, `months`,
/// `expires_in_days`) with real ones counted from `today`; the start is moved to a Monday.
fn date_fields(doc: &mut serde_json::Map<String, Value>, today: NaiveDate) {
    let mut take = |k: &str| doc.remove(k).and_then(|v| v.as_i64());
    let (start, months, expires) = (take("start_in_days"), take("months"), take("expires_in_days"));
    if let Some(s) = start {
        let mut start = days(today, s);
        while start.weekday() != chrono::Weekday::Mon {
            start = days(start, 1);
        }
        doc.insert("start_date".into(), json!(start.to_string()));
        if let Some(m) = months {
            let end = start.checked_add_months(Months::new(u32::try_from(m).unwrap_or(6))).unwrap_or(start);
            doc.insert("end_date".into(), json!(end.to_string()));
        }
    }
    if let Some(e) = expires {
        doc.insert("expires_at".into(), json!(days(today, e).to_string()));
    }
}

/// The sample assignments as API bodies: the seed posting as the ad parser drafts it, then
/// those of the data file.
fn assignments(state: &AppState, today: NaiveDate) -> anyhow::Result<Vec<Value>> {
    let file: toml::Table = toml::from_str(ASSIGNMENTS)?;
    let parsed = state
        .skills
        .view(|t| crate::parser::parse_ad(SEED_AD, t))
        .map_err(|_| anyhow::anyhow!("the demo's seed posting is empty"))?;
    let mut seed = serde_json::to_value(AssignmentWrite::from(&parsed.assignment))?;
    let seed_dates = file.get("seed").map(serde_json::to_value).transpose()?.unwrap_or_else(|| json!({}));
    let mut out = Vec::new();
    if let (Value::Object(doc), Value::Object(dates)) = (&mut seed, seed_dates) {
        doc.extend(dates);
        date_fields(doc, today);
        doc.insert("source".into(), json!(DEMO_SOURCE));
        doc.insert("external_id".into(), json!(SEED_ID));
        doc.insert("status".into(), json!("open"));
    }
    out.push(seed);
    for entry in file.get("assignment").and_then(|a| a.as_array()).into_iter().flatten() {
        let mut doc = serde_json::to_value(entry)?;
        if let Value::Object(map) = &mut doc {
            date_fields(map, today);
            map.insert("source".into(), json!(DEMO_SOURCE));
        }
        out.push(doc);
    }
    Ok(out)
}

/// The lines `--demo` logs once the server listens at `base` (`http://host:port`): where
/// to look first, in Swagger UI or with curl.
pub fn guide(load: &DemoLoad, base: &str) -> Vec<String> {
    let seed = load.seed;
    let mut lines = vec![
        format!("open {base}/swagger-ui/ and press Authorize with the admin key, then try:"),
        format!(
            "the ranking of the seed posting: {base}/swagger-ui/#/Matching/for_assignment with id {seed} \
             (GET {base}/api/v1/assignments/{seed}/matches?limit=10)"
        ),
    ];
    if let Some(pair) = load.pair {
        lines.push(format!(
            "one consultant's score for it: {base}/swagger-ui/#/Matching/for_pair with id {seed} and \
             consultant_id {pair} (GET {base}/api/v1/assignments/{seed}/matches/{pair})"
        ));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_dates_become_real_ones_starting_on_a_monday() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        let mut doc = json!({"title": "x", "start_in_days": 3, "months": 6, "expires_in_days": 10});
        let Value::Object(map) = &mut doc else { panic!() };
        date_fields(map, today);
        assert_eq!(
            doc,
            json!({"title": "x", "start_date": "2026-12-14", "end_date": "2027-06-14", "expires_at": "2026-12-17"})
        );
    }
}
