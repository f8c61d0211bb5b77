//! A load-independent probe of the matching engine for before/after comparisons: builds the
//! synthetic index (seed 42, as `benches/matching.rs`) and ranks all 64 assignments once in
//! `rank_all`, so an instruction counter can measure just that function:
//!
//! ```sh
//! cargo build --release --features synth --example engine_profile
//! valgrind --tool=callgrind --collect-atstart=no --toggle-collect='engine_profile::rank_all' \
//!     target/release/examples/engine_profile must 100000
//! ```
//!
//! Modes: `must` (the assignments as generated), `scan` (must-haves removed: a full scan),
//! `near` (`max_missing = 1`). Prints wall time per query and a checksum of the ranked ids and
//! scores, which must not change when the engine is optimised. The index is clustered as the
//! service's is (`UNCLUSTERED=1`: left in insertion order).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::hint::black_box;

/// The allocator the service runs with (`src/main.rs`), so allocation costs are the service's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::time::Instant;

use staffmatch::matching::synth::SynthGraph;
use staffmatch::matching::{AssignmentQuery, ConsultantIndex, MatchOptions, MatchPage};

#[path = "../benches/support/synth_engine.rs"]
mod synth_engine;

#[inline(never)]
fn rank_all(idx: &ConsultantIndex, qs: &[AssignmentQuery], g: &SynthGraph, o: &MatchOptions) -> Vec<MatchPage> {
    qs.iter().map(|q| black_box(idx.rank(q, g, o))).collect()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mode = args.get(1).map_or("must", String::as_str);
    let n: usize = args.get(2).map_or(100_000, |s| s.parse().unwrap());
    let reps: usize = args.get(3).map_or(1, |s| s.parse().unwrap());
    let g = SynthGraph::new();
    let (qs, o) = synth_engine::mode_queries(mode, 64).expect("the mode is must, scan or near");
    let mut idx = synth_engine::unclustered_index(n);
    // As the service holds it after loading; UNCLUSTERED=1 keeps the insertion order.
    if std::env::var_os("UNCLUSTERED").is_some() {
        idx.shrink_to_fit();
    } else {
        let t = Instant::now();
        idx = idx.clustered();
        eprintln!("clustered in {} ms", t.elapsed().as_millis());
    }
    let t = Instant::now();
    let mut pages = Vec::new();
    for _ in 0..reps {
        pages = rank_all(&idx, &qs, &g, &o);
    }
    let per = t.elapsed().as_secs_f64() * 1e6 / (reps * qs.len()) as f64;
    let mut sum: u64 = 0;
    for p in &pages {
        sum = sum.wrapping_mul(31).wrapping_add(p.total as u64 * 7 + p.total_eligible as u64);
        for m in &p.items {
            sum = sum.wrapping_mul(31).wrapping_add(m.id.as_u128() as u64 ^ m.score.to_bits());
        }
    }
    println!(
        "mode={mode} n={n}: {per:.1} µs/query (wall), checksum {sum:016x}, {:.0} B/consultant",
        idx.memory_bytes() as f64 / n as f64
    );
}
