//! Property tests: any text parses without panicking, in bounded time, into a valid draft
//! whose evidence quotes real lines.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;

use super::tests::{assert_evidence_quotes, assert_valid, taxonomy};
use super::*;

/// Words the recognisers react to, so random ads exercise them.
const VOCAB: &[&str] = &[
    "Krav",
    "Meriterande",
    "Skall-krav:",
    "Bör-krav",
    "Requirements:",
    "Nice to have",
    "•",
    "-",
    "*",
    "1.",
    "2)",
    "(3)",
    "SK1.",
    "#",
    "**",
    ":",
    "?",
    ";",
    ",",
    ".",
    "(",
    ")",
    "\n",
    "\n",
    "\r\n",
    "minst",
    "5",
    "års",
    "+",
    "years",
    "erfarenhet",
    "av",
    "Java",
    "Kubernetes",
    "ITIL",
    "svenska",
    "English",
    "fluent",
    "flytande",
    "modersmål",
    "C1",
    "säkerhetsklass",
    "2",
    "security",
    "clearance",
    "willing",
    "citizenship",
    "Swedish",
    "medborgarskap",
    "Expires:",
    "15",
    "september",
    "2025",
    "2025-10-01",
    "Start:",
    "6",
    "månader",
    "100",
    "%",
    "heltid",
    "remote",
    "distans",
    "på plats",
    "två dagar i veckan på kontoret",
    "Malmö",
    "Ort:",
    "Kund:",
    "We at",
    "Acme",
    "are",
    "is a plus",
    "är meriterande",
    "(VCP eller motsvarande)",
    "VMware",
    "och har",
];

fn ad_like() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(VOCAB), 0..120).prop_map(|w| w.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_string_parses_or_is_empty(s in any::<String>()) {
        match parse_ad(&s, taxonomy()) {
            Err(ParseError::Empty) => prop_assert!(s.trim().is_empty()),
            Ok(p) => {
                prop_assert!(!s.trim().is_empty());
                prop_assert!(!p.assignment.title.is_empty());
                assert_evidence_quotes(&s, &p);
            }
        }
    }

    #[test]
    fn ad_like_text_gives_a_valid_draft(s in ad_like()) {
        if let Ok(p) = parse_ad(&s, taxonomy()) {
            assert_valid(&p);
            assert_evidence_quotes(&s, &p);
        }
    }
}

#[test]
fn long_pathological_inputs_finish_quickly() {
    let cases = [
        "(".repeat(200_000),
        "1. ".repeat(80_000),
        "minst 5 ".repeat(6_000),
        "Krav:\n".repeat(40_000),
        "• Java, ".repeat(30_000),
        format!("Title\n{}", "a".repeat(250_000)),
        "2025-10-01 ".repeat(20_000),
        "\u{feff}ö\u{301}".repeat(60_000),
    ];
    for text in &cases {
        let started = std::time::Instant::now();
        let p = parse_ad(text, taxonomy()).unwrap();
        assert_valid(&p);
        // Generous for unoptimised builds; the release bench is the real figure.
        assert!(started.elapsed().as_secs() < 20, "{} bytes took {:?}", text.len(), started.elapsed());
    }
}
