//! Criterion benchmarks of the matching engine on deterministic synthetic data
//! (`staffmatch::matching::synth`): ranking with must-haves at 10k, 100k and 1M consultants,
//! a full scan (no must-haves) and near-miss mode at 100k, ranking assignments for one
//! consultant, index build time, and index memory per consultant (printed).
//!
//! Run: `cargo bench --bench matching --features synth` (add a filter such as `rank_must/100000` to run one).

#![allow(missing_docs, reason = "criterion_group! generates undocumented functions")]

use std::hint::black_box;

/// The allocator the service runs with (`src/main.rs`), so allocation costs are the service's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::time::Duration;

use criterion::{BatchSize, BenchmarkId, Criterion, criterion_group, criterion_main};
use staffmatch::matching::synth::{SynthGraph, base_day, generate_assignments, generate_consultants};
use staffmatch::matching::{AssignmentQuery, ConsultantIndex, MatchOptions, rank_assignments};
use uuid::Uuid;

#[path = "support/synth_engine.rs"]
mod synth_engine;
use synth_engine::SEED;

const QUERIES: usize = 64;

fn report(n: usize, idx: &ConsultantIndex, qs: &[(Uuid, AssignmentQuery)], g: &SynthGraph, o: &MatchOptions) {
    let eligible: usize = qs.iter().map(|(_, q)| idx.rank(q, g, o).total_eligible).sum();
    eprintln!(
        "[matching] n={n}: index {:.1} MB, {:.0} B/consultant, mean eligible {:.2}% per assignment",
        idx.memory_bytes() as f64 / 1e6,
        idx.memory_bytes() as f64 / n as f64,
        100.0 * eligible as f64 / (qs.len() * n) as f64
    );
}

fn ranking(c: &mut Criterion) {
    let g = SynthGraph::new();
    let o = MatchOptions::new(base_day());
    let qs = generate_assignments(QUERIES, SEED);
    let mut group = c.benchmark_group("rank_must");
    group.sample_size(20).measurement_time(Duration::from_secs(3)).warm_up_time(Duration::from_secs(1));
    for n in [10_000usize, 100_000, 1_000_000] {
        let idx = synth_engine::clustered_index(n);
        report(n, &idx, &qs, &g, &o);
        let mut i = 0;
        group.bench_with_input(BenchmarkId::from_parameter(n), &idx, |b, idx| {
            b.iter(|| {
                i = (i + 1) % qs.len();
                black_box(idx.rank(&qs[i].1, &g, &o))
            })
        });
        if n == 100_000 {
            drop(group);
            scans(c, &idx, &qs, &g, &o);
            group = c.benchmark_group("rank_must");
            group.sample_size(20).measurement_time(Duration::from_secs(3)).warm_up_time(Duration::from_secs(1));
        }
    }
    group.finish();
}

fn scans(c: &mut Criterion, idx: &ConsultantIndex, qs: &[(Uuid, AssignmentQuery)], g: &SynthGraph, o: &MatchOptions) {
    let mut group = c.benchmark_group("rank_100k");
    group.sample_size(20).measurement_time(Duration::from_secs(3)).warm_up_time(Duration::from_secs(1));
    let open: Vec<AssignmentQuery> = qs.iter().map(|(_, q)| AssignmentQuery { must: vec![], ..q.clone() }).collect();
    let mut i = 0;
    group.bench_function("full_scan_no_must", |b| {
        b.iter(|| {
            i = (i + 1) % open.len();
            black_box(idx.rank(&open[i], g, o))
        })
    });
    let near = MatchOptions { max_missing: 1, ..o.clone() };
    group.bench_function("near_miss_max_missing_1", |b| {
        b.iter(|| {
            i = (i + 1) % qs.len();
            black_box(idx.rank(&qs[i].1, g, &near))
        })
    });
    group.finish();
}

fn reverse(c: &mut Criterion) {
    let g = SynthGraph::new();
    let o = MatchOptions::new(base_day());
    let qs = generate_assignments(1_000, SEED);
    let cs = generate_consultants(QUERIES, SEED);
    let mut group = c.benchmark_group("rank_assignments");
    group.sample_size(20).measurement_time(Duration::from_secs(3)).warm_up_time(Duration::from_secs(1));
    let mut i = 0;
    group.bench_function("1000_assignments", |b| {
        b.iter(|| {
            i = (i + 1) % cs.len();
            black_box(rank_assignments(&cs[i], &qs, &g, &o))
        })
    });
    group.finish();
}

fn building(c: &mut Criterion) {
    let vectors = generate_consultants(100_000, SEED);
    let mut group = c.benchmark_group("build");
    group.sample_size(10).measurement_time(Duration::from_secs(5)).warm_up_time(Duration::from_secs(1));
    group.bench_function("index_100k", |b| {
        b.iter_batched(
            || vectors.clone(),
            |vs| {
                let mut idx = ConsultantIndex::new();
                vs.into_iter().for_each(|v| idx.upsert(v));
                black_box(idx)
            },
            BatchSize::PerIteration,
        )
    });
    let mut built = ConsultantIndex::new();
    vectors.iter().cloned().for_each(|v| built.upsert(v));
    group.bench_function("cluster_100k", |b| {
        b.iter_batched(|| built.parts(), |parts| black_box(parts.clustered()), BatchSize::PerIteration)
    });
    group.finish();
}

criterion_group!(benches, ranking, reverse, building);
criterion_main!(benches);
