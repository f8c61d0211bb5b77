//! Field-level precision, recall and F1 of the ad parser on the hand-written corpus: the
//! development ads (`tests/fixtures/ads/`) and the held-out ads (`tests/fixtures/ads-heldout/`),
//! reported apart, per language and together.
//!
//! ```sh
//! cargo run --example parser_score                  # the development set
//! cargo run --example parser_score -- -v            # plus every miss on the development ads
//! cargo run --example parser_score -- --heldout     # plus the held-out set's table
//! cargo run --example parser_score -- --show <name or file>  # one ad's draft
//! ```
//!
//! The held-out ads' misses are never printed, and their table only on request: they are
//! measured once a change is finished, never while tuning.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::path::Path;

use staffmatch::taxonomy::Taxonomy;

#[path = "../tests/support/ad_score.rs"]
mod ad_score;

fn main() {
    let verbose = std::env::args().any(|a| a == "-v");
    let taxonomy = Taxonomy::builtin().expect("the built-in taxonomy loads");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    // `--show <name>`: one development ad's draft, notes and unrecognised lines.
    let args: Vec<String> = std::env::args().collect();
    if let Some(name) = args.iter().position(|a| a == "--show").and_then(|i| args.get(i + 1)) {
        // A development ad's name, or the path of any ad file.
        let path = if Path::new(name).is_file() { name.into() } else { root.join("ads").join(format!("{name}.txt")) };
        let text = std::fs::read_to_string(path).expect("a development ad or an ad file");
        let p = staffmatch::parser::parse_ad(&text, &taxonomy).expect("parses");
        for n in &p.requirements {
            println!("{:<14} {:<40} {:?} line {} {:?}", n.field, n.skill, n.kind, n.line, n.hint);
        }
        let a = &p.assignment;
        let years: Vec<_> = a.must_have.iter().map(|r| (&r.skill, r.min_years)).collect();
        println!("must years {years:?}");
        println!("languages {:?}", a.languages);
        println!("clearance {:?}", a.clearance);
        println!(
            "dates {:?} – {:?}, expires {:?}; extent {:?}; {:?} {:?}",
            a.start_date, a.end_date, a.expires_at, a.extent_percent, a.location, a.work_mode
        );
        println!("unrecognized {:?}", p.unrecognized);
        return;
    }
    let dev = ad_score::score_dir(&root.join("ads"), &taxonomy);
    if verbose {
        for ad in dev.ads.iter().filter(|a| !a.misses.is_empty()) {
            println!("{}: {}", ad.name, ad.misses.join("; "));
        }
        println!();
    }
    println!("{}", dev.table("development set (tests/fixtures/ads)"));
    if std::env::args().any(|a| a == "--heldout") {
        let held = ad_score::score_dir(&root.join("ads-heldout"), &taxonomy);
        println!("{}", held.table("held-out set (tests/fixtures/ads-heldout)"));
    }
}
