//! Parsing speed: a 5 KB ad (the seed posting followed by two of the test ads) must parse
//! in well under 2 ms. Run with `cargo bench --bench parser`.

#![allow(missing_docs, reason = "criterion_group! generates undocumented functions")]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use staffmatch::parser::{SkillList, parse_ad, parse_ad_with};
use staffmatch::taxonomy::Taxonomy;

/// Just under 5 KiB of ad text in both languages, deterministic.
fn five_kb_ad() -> String {
    let parts = [
        include_str!("../tests/fixtures/ads/en-inline-cues-security.txt"),
        include_str!("../tests/fixtures/ads/sv-systemforvaltare-bullets.txt"),
        include_str!("../tests/fixtures/ads/en-devops-markdown.txt"),
        include_str!("../tests/fixtures/ads/sv-upphandling-skallkrav.txt"),
    ];
    let mut ad = String::new();
    for p in parts.iter().cycle() {
        if ad.len() >= 5 * 1024 {
            break;
        }
        ad.push_str(p);
        ad.push('\n');
    }
    // Cut back to whole lines, just under 5 KiB.
    let cut = ad[..5 * 1024].rfind('\n').unwrap_or(ad.len());
    ad.truncate(cut);
    ad
}

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
