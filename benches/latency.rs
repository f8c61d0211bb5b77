//! Per-query latency of the matching engine: the percentiles the targets name.
//!
//! `benches/matching.rs` (criterion) times a stream of rankings that rotates over 64
//! assignments, so its figure is the *mean* time of a ranking. The targets are percentiles
//! of single rankings ("p50 < 100 µs"), and the assignments differ widely in cost (a few
//! hundred to a few thousand eligible consultants each), so the mean sits above the median.
//! This bench times every ranking of the same rotating stream on its own and prints the
//! distribution: p50, p90, p99, max and the mean, per index size.
//!
//! Run: `cargo bench --bench latency --features synth` (all sizes), or `cargo bench --bench latency --features synth -- 100000`.
//! `LATENCY_SECS` sets the measuring time per size (default 5 s, after 1 s of warm-up).
//! `LATENCY_MODE=scan` removes the must-haves (a full scan), `near` sets `max_missing = 1`.

#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, reason = "a benchmark binary")]

use std::hint::black_box;
use std::time::{Duration, Instant};

/// The allocator the service runs with (`src/main.rs`), so allocation costs are the service's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use staffmatch::matching::synth::SynthGraph;

#[path = "support/synth_engine.rs"]
mod synth_engine;

const QUERIES: usize = 64;

/// The `q`-quantile of sorted samples (nearest rank).
fn quantile(sorted: &[Duration], q: f64) -> Duration {
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

fn main() {
    // `cargo bench` passes `--bench`; any other argument is an index size to run.
    let sizes: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let sizes = if sizes.is_empty() { vec![10_000, 100_000, 1_000_000] } else { sizes };
    let secs: f64 = std::env::var("LATENCY_SECS").ok().and_then(|s| s.parse().ok()).unwrap_or(5.0);
    let mode = std::env::var("LATENCY_MODE").unwrap_or_else(|_| "must".into());
    let g = SynthGraph::new();
    let Some((qs, o)) = synth_engine::mode_queries(&mode, QUERIES) else {
        panic!("LATENCY_MODE must be must, scan or near, not {mode}")
    };
    println!("mode={mode}, {QUERIES} assignments in rotation, each ranking timed alone (µs)");
    println!("{:>9} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8}", "n", "rankings", "p50", "p90", "p99", "max", "mean");
    for n in sizes {
        let idx = synth_engine::clustered_index(n);
        let run = |budget: Duration, samples: &mut Vec<Duration>| {
            let start = Instant::now();
            let mut i = 0;
            // Whole rounds, so every assignment weighs the same in the distribution.
            while i % QUERIES != 0 || start.elapsed() < budget {
                let t = Instant::now();
                black_box(idx.rank(black_box(&qs[i % QUERIES]), &g, &o));
                samples.push(t.elapsed());
                i += 1;
            }
        };
        run(Duration::from_secs(1), &mut Vec::new());
        let mut samples = Vec::with_capacity(1 << 20);
        run(Duration::from_secs_f64(secs), &mut samples);
        let mean = samples.iter().sum::<Duration>() / samples.len() as u32;
        samples.sort_unstable();
        println!(
            "{n:>9} {:>8} {:>8.1} {:>8.1} {:>8.1} {:>8.1} {:>8.1}",
            samples.len(),
            micros(quantile(&samples, 0.5)),
            micros(quantile(&samples, 0.9)),
            micros(quantile(&samples, 0.99)),
            micros(*samples.last().unwrap()),
            micros(mean)
        );
    }
}
