//! A load-independent probe of the job-ad parser for before/after comparisons: parses the
//! 5 KB ad of `benches/parser.rs` once in `parse_all` (or `reps` times), so an instruction
//! counter can measure just that function:
//!
//! ```sh
//! cargo build --release --example parser_profile
//! valgrind --tool=callgrind --collect-atstart=no --toggle-collect='parser_profile::parse_all' \
//!     target/release/examples/parser_profile
//! target/release/examples/parser_profile 200     # wall time per parse + checksum
//! target/release/examples/parser_profile 1 none  # the parser alone: a skill source that finds nothing
//! target/release/examples/parser_profile 5 worst # 256 KiB pathological inputs, best of 5 runs each
//! ```
//!
//! Prints the wall time per parse and a checksum of the parsed draft (its `Debug` text) and
//! of the mentions `find_in_text` finds line by line, which must not change when the parser
//! or the taxonomy is optimised.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::hash::{DefaultHasher, Hash, Hasher};
use std::hint::black_box;
use std::time::Instant;

use staffmatch::parser::{ParsedAd, SkillList, parse_ad, parse_ad_with};
use staffmatch::taxonomy::Taxonomy;

#[path = "../benches/support/five_kb_ad.rs"]
mod ad;
use ad::five_kb_ad;

/// `parse_ad` (`taxonomy` given), or the parser alone with a skill source that finds nothing.
#[inline(never)]
fn parse_all(ad: &str, taxonomy: Option<&Taxonomy>, reps: usize) -> Option<ParsedAd> {
    let mut last = None;
    for _ in 0..reps {
        last = match taxonomy {
            Some(t) => parse_ad(black_box(ad), t).ok(),
            None => parse_ad_with(black_box(ad), &SkillList::default()).ok(),
        };
    }
    last
}

/// Inputs of 256 KiB that make the most n-grams or the most near-miss searches: repeated
/// requirement phrases, and distinct 17-letter words (nothing to remember) as one run-on
/// sentence, under a requirements heading, and as bullets.
fn worst_cases() -> Vec<(&'static str, String)> {
    let cut = |s: String| s[..s.floor_char_boundary(256 * 1024)].to_owned();
    let words = |n: usize| (0..n).map(|i| format!("konfigurering{i:04x} ")).collect::<String>();
    vec![
        ("\"minst 5 \" repeated", cut("minst 5 ".repeat(40_000))),
        (
            "a requirement sentence repeated",
            cut("minst 5 års erfarenhet av Kubernetes och systemförvaltning ".repeat(5_000)),
        ),
        ("distinct 17-letter words", cut(words(30_000))),
        ("the same under \"Krav:\"", cut(format!("Krav:\n{}", words(30_000)))),
        (
            "bullets of distinct words under \"Krav:\"",
            cut((0..30_000).fold(String::from("Krav:\n"), |mut s, i| {
                s.push_str(&format!("• Erfarenhet av konfigurering{i:04x} och systemutveckling{i:04x}\n"));
                s
            })),
        ),
    ]
}

/// The best of `reps` wall times of `f`, in milliseconds.
fn best_ms(reps: usize, mut f: impl FnMut()) -> f64 {
    (0..reps.max(1))
        .map(|_| {
            let started = Instant::now();
            f();
            started.elapsed().as_secs_f64() * 1e3
        })
        .fold(f64::INFINITY, f64::min)
}

fn main() {
    let reps: usize = std::env::args().nth(1).map_or(1, |s| s.parse().unwrap());
    let mode = std::env::args().nth(2).unwrap_or_default();
    let no_skills = mode == "none";
    let t = Taxonomy::builtin().expect("built-in taxonomy");
    if mode == "worst" {
        for (name, text) in worst_cases() {
            let parse = best_ms(reps, || drop(black_box(parse_ad(black_box(&text), &t))));
            let find = best_ms(reps, || drop(black_box(t.find_in_text(black_box(&text)))));
            println!("{name} ({} bytes): parse_ad {parse:.1} ms, find_in_text {find:.1} ms", text.len());
        }
        return;
    }
    let ad = five_kb_ad();
    let started = Instant::now();
    let parsed = parse_all(&ad, (!no_skills).then_some(&t), reps);
    let per = started.elapsed().as_secs_f64() * 1e3 / reps as f64;
    let mut h = DefaultHasher::new();
    format!("{parsed:?}").hash(&mut h);
    for line in ad.lines() {
        format!("{:?}", t.find_in_text(line)).hash(&mut h);
    }
    println!("{} bytes: {per:.3} ms/parse (wall), checksum {:016x}", ad.len(), h.finish());
}
