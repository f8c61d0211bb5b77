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

/// The bench's ad: the four fixtures repeated, cut back to whole lines just under 5 KiB.
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
    let cut = ad[..5 * 1024].rfind('\n').unwrap_or(ad.len());
    ad.truncate(cut);
    ad
}

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

fn main() {
    let reps: usize = std::env::args().nth(1).map_or(1, |s| s.parse().unwrap());
    let no_skills = std::env::args().nth(2).is_some_and(|m| m == "none");
    let t = Taxonomy::builtin().expect("built-in taxonomy");
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
