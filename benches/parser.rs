//! Parsing speed: a 5 KB ad (the four test-ad fixtures repeated) must parse
//! in well under 2 ms. Run with `cargo bench --bench parser`.

#![allow(missing_docs, reason = "criterion_group! generates undocumented functions")]

use std::hint::black_box;

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
}

criterion_group!(benches, bench);
criterion_main!(benches);
