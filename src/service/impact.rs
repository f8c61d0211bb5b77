//! The adverse-impact report: the service gathers the sample (every consultant named in the
//! request paired with every assignment asked for, scored by the engine under the read
//! locks, off the async workers when large) and the pure engine computes the report
//! ([`crate::matching::impact`]). The categories live only in this request's memory: nothing
//! here writes to the store, the logs or the audit records.

use chrono::NaiveDate;
use uuid::Uuid;

use super::AppState;
use super::engine::Graph;
use super::rankings::BLOCKING_SCAN;
use crate::domain::impact::{AuditScope, ImpactRequest};
use crate::matching::{ImpactReport, PairOutcome, impact};

/// The most pairs one report's sample may hold (about 24 bytes each while it is computed).
pub const MAX_PAIRS: usize = 5_000_000;

/// Why a report could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ImpactError {
    /// Some assignments asked for are not stored.
    #[error("unknown assignments")]
    UnknownAssignments(Vec<Uuid>),
    /// Some consultants named are not stored.
    #[error("unknown consultants")]
    UnknownConsultants(Vec<Uuid>),
    /// The sample would hold more than [`MAX_PAIRS`] pairs.
    #[error("the sample would hold {0} pairs")]
    TooLarge(usize),
    /// The blocking pool failed.
    #[error("the report could not run: {0}")]
    Blocking(String),
}

/// A report and the size of its sample.
#[derive(Debug, Clone, PartialEq)]
pub struct Impact {
    /// The report.
    pub report: ImpactReport,
    /// The assignments in the sample.
    pub assignments: usize,
    /// The consultants in the sample.
    pub consultants: usize,
}

impl AppState {
    /// The adverse-impact report for `req` on `today`.
    pub async fn impact_report(&self, req: ImpactRequest, today: NaiveDate) -> Result<Impact, ImpactError> {
        let (skills, engine) = (self.skills.clone(), self.engine.clone());
        let pairs = req.groups.len().saturating_mul(match &req.assignments {
            AuditScope::Ids(ids) => ids.len(),
            AuditScope::Open => engine.read().assignments.len(),
        });
        if pairs > MAX_PAIRS {
            return Err(ImpactError::TooLarge(pairs));
        }
        let run = move || {
            let (t, e) = (skills.read(), engine.read());
            let queries = match &req.assignments {
                AuditScope::Open => e.open_queries(today),
                AuditScope::Ids(ids) => {
                    let missing: Vec<Uuid> = ids.iter().filter(|id| !e.assignments.contains_key(id)).copied().collect();
                    if !missing.is_empty() {
                        return Err(ImpactError::UnknownAssignments(missing));
                    }
                    ids.iter().filter_map(|id| Some((*id, e.assignments.get(id)?.query.clone()))).collect()
                }
            };
            let missing: Vec<Uuid> = req.groups.iter().map(|(id, _)| *id).filter(|id| !e.index.contains(*id)).collect();
            if !missing.is_empty() {
                return Err(ImpactError::UnknownConsultants(missing));
            }
            let ids: Vec<Uuid> = req.groups.iter().map(|(id, _)| *id).collect();
            let mut sample = Vec::with_capacity(ids.len() * queries.len());
            for (_, q) in &queries {
                let outcomes = e.index.outcomes(q, &Graph(&t), today, &ids);
                for ((_, category), outcome) in req.groups.iter().zip(outcomes) {
                    let (eligible, score) = outcome.unwrap_or((false, 0.0));
                    let score = if eligible { score } else { 0.0 };
                    sample.push(PairOutcome { category: category.as_deref(), eligible, score });
                }
            }
            let report = impact(&sample, req.min_share);
            Ok(Impact { report, assignments: queries.len(), consultants: ids.len() })
        };
        if pairs > BLOCKING_SCAN {
            actix_web::rt::task::spawn_blocking(run).await.map_err(|e| ImpactError::Blocking(e.to_string()))?
        } else {
            run()
        }
    }
}
