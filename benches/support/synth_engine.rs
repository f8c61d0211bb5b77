//! The engine benchmarks' synthetic set-up, shared by `benches/matching.rs`,
//! `benches/latency.rs` and `examples/engine_profile.rs` so they all measure the same index
//! and the same assignments (seed 42).

use staffmatch::matching::synth::{base_day, consultants, generate_assignments};
use staffmatch::matching::{AssignmentQuery, ConsultantIndex, MatchOptions};

/// The seed of every synthetic consultant and assignment the benchmarks use.
pub const SEED: u64 = 42;

/// `n` synthetic consultants in an index as built by upserts, before clustering.
pub fn unclustered_index(n: usize) -> ConsultantIndex {
    let mut idx = ConsultantIndex::new();
    consultants(SEED).take(n).for_each(|c| idx.upsert(c));
    idx
}

/// The index as the service holds it after loading: built, then clustered by skills.
#[allow(dead_code, reason = "not every user of this module builds a clustered index through it")]
pub fn clustered_index(n: usize) -> ConsultantIndex {
    unclustered_index(n).clustered()
}

/// `count` synthetic assignments and the options for a mode: `must` (as generated), `scan`
/// (must-haves removed: a full scan) or `near` (`max_missing = 1`); `None` for another mode.
#[allow(dead_code, reason = "not every user of this module picks a mode")]
pub fn mode_queries(mode: &str, count: usize) -> Option<(Vec<AssignmentQuery>, MatchOptions)> {
    let mut o = MatchOptions::new(base_day());
    let mut qs: Vec<AssignmentQuery> = generate_assignments(count, SEED).into_iter().map(|(_, q)| q).collect();
    match mode {
        "must" => {}
        "scan" => qs.iter_mut().for_each(|q| q.must.clear()),
        "near" => o.max_missing = 1,
        _ => return None,
    }
    Some((qs, o))
}
