//! Parsing speed: a 5 KB ad (the four test-ad fixtures repeated) must parse
//! in well under 2 ms, and so must every ad of the corpus (`tests/fixtures/ads/` and
//! `tests/fixtures/ads-heldout/`, one benchmark each in the group `corpus`). Run with
//! `cargo bench --bench parser`.

#![allow(missing_docs, reason = "criterion_group! generates undocumented functions")]

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use staffmatch::parser::{SkillList, parse_ad, parse_ad_with};
use staffmatch::taxonomy::Taxonomy;

#[path = "support/five_kb_ad.rs"]
mod ad;
use ad::five_kb_ad;

fn bench(c: &mut Criterion) {
    let Ok(taxonomy) = Taxonomy::builtin() else {
        return;
    };
    let ad = five_kb_ad();
    c.bench_function(&format!("parse_ad {} bytes", ad.len()), |b| b.iter(|| parse_ad(black_box(&ad), &taxonomy)));
    // The parser's own share: the same ad with a skill source that finds nothing.
    let none = SkillList::default();
    c.bench_function("parse_ad_with, no skill lookup, same ad", |b| b.iter(|| parse_ad_with(black_box(&ad), &none)));
    // The taxonomy's share: the same text looked up line by line.
    c.bench_function("find_in_text per line, same ad", |b| {
        b.iter(|| ad.lines().map(|l| taxonomy.find_in_text(black_box(l)).len()).sum::<usize>())
    });
    // Every corpus ad on its own: each must stay under 2 ms.
    let mut group = c.benchmark_group("corpus");
    group.sample_size(20).warm_up_time(Duration::from_millis(300)).measurement_time(Duration::from_millis(700));
    for (name, text) in corpus() {
        group.bench_function(&name, |b| b.iter(|| parse_ad(black_box(&text), &taxonomy)));
    }
    group.finish();
}

/// The corpus ads, by file name.
fn corpus() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut out = Vec::new();
    for dir in ["ads", "ads-heldout"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else { continue };
        for path in entries.filter_map(|e| e.ok()).map(|e| e.path()) {
            if path.extension().is_some_and(|e| e == "txt")
                && let (Some(stem), Ok(text)) = (path.file_stem(), std::fs::read_to_string(&path))
            {
                out.push((format!("{dir}/{}", stem.to_string_lossy()), text));
            }
        }
    }
    out.sort();
    out
}

criterion_group!(benches, bench);
criterion_main!(benches);
