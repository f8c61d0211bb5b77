//! Tests of finding skills inside free text: lines from the seed posting and Swedish lines.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;

fn taxonomy() -> Taxonomy {
    Taxonomy::builtin().unwrap()
}

/// The ids found in `text`, in order, with the text each mention covers.
fn found(t: &Taxonomy, text: &str) -> Vec<(String, String)> {
    t.find_in_text(text)
        .iter()
        .map(|m| (t.skill(m.skill).unwrap().id.clone(), text[m.start..m.end].to_owned()))
        .collect()
}

fn ids(t: &Taxonomy, text: &str) -> Vec<String> {
    found(t, text).into_iter().map(|(id, _)| id).collect()
}

#[test]
fn swedish_requirement_lines() {
    let t = taxonomy();
    assert_eq!(
        found(&t, "Gedigen erfarenhet av systemförvaltning, minst 4 år"),
        [("application-management".to_owned(), "systemförvaltning".to_owned())]
    );
    assert_eq!(found(&t, "VMware (VCP eller motsvarande)")[0], ("vmware".to_owned(), "VMware".to_owned()));
    assert_eq!(
        ids(&t, "Erfarenhet av agil projektledning och ITIL 4 samt god kommunikativ förmåga"),
        ["agile-project-management", "itil", "communication"]
    );
    assert_eq!(
        ids(&t, "Du har kunskap om offentlig upphandling (LOU) och kravställning"),
        ["public-procurement", "public-procurement", "requirements-specification"]
    );
    assert_eq!(
        ids(&t, "Drift av Kubernetes (k8s) och Docker i Azure"),
        ["it-operations", "kubernetes", "kubernetes", "docker", "azure"]
    );
    assert_eq!(
        ids(&t, "Vi ser gärna att du har arbetat med IT-säkerhet och säkerhetsskydd"),
        ["it-security", "protective-security"]
    );
    assert_eq!(ids(&t, "Meriterande: Natverk, brandvaggar och Palo Alto"), ["networking", "firewalls", "palo-alto"]);
}

#[test]
fn seed_posting_lines() {
    let t = taxonomy();
    let cases: &[(&str, &[&str])] = &[
        ("IT infrastructure project management", &["it-infrastructure-project-management"]),
        ("Agile project management methodologies", &["agile-project-management"]),
        ("Waterfall project management methodologies", &["waterfall"]),
        ("IT security basics", &["it-security"]),
        ("Project management tools usage", &["project-management-tools"]),
        ("Service management knowledge", &["itsm"]),
        ("Familiarity with IT frameworks", &["it-frameworks"]),
        ("Collaboration and teamwork", &["teamwork"]),
        ("Strong communication skills", &["communication"]),
        ("Pedagogical approach to team coordination", &["pedagogy", "coordination"]),
        (
            "At least 5 years of experience managing IT infrastructure projects",
            &["it-infrastructure-project-management"],
        ),
        (
            "Technical background with good understanding of IT systems, IT infrastructure, and IT security",
            &["it-systems", "it-systems", "it-infrastructure", "it-security"],
        ),
        ("Knowledge of server systems", &["server-systems"]),
        (
            "Willingness to undergo security clearance; Swedish citizenship required for some clients",
            &["security-clearance", "swedish-language"], // "Swedish" read as the language
        ),
        ("Fluent in both Swedish and English, spoken and written", &["swedish-language", "english-language"]),
    ];
    for (line, want) in cases {
        assert_eq!(ids(&t, line), *want, "{line:?}");
    }
}

#[test]
fn longest_match_wins_and_mentions_do_not_overlap() {
    let t = taxonomy();
    let text = "Certified Scrum Master with Azure DevOps, Red Hat OpenShift and Windows Server 2022";
    assert_eq!(
        found(&t, text),
        [
            ("scrum-master".to_owned(), "Certified Scrum Master".to_owned()),
            ("azure-devops".to_owned(), "Azure DevOps".to_owned()),
            ("openshift".to_owned(), "Red Hat OpenShift".to_owned()),
            ("windows-server".to_owned(), "Windows Server 2022".to_owned()),
        ]
    );
    let mentions = t.find_in_text(text);
    assert!(mentions.windows(2).all(|w| w[0].end <= w[1].start));
}

#[test]
fn symbols_in_names_survive_and_offsets_are_bytes() {
    let t = taxonomy();
    let text = "Utveckling i C#, C++, .NET och Node.js; även C.";
    assert_eq!(ids(&t, text), ["software-development", "csharp", "cpp", "dotnet", "nodejs", "c"]);
    for m in t.find_in_text(text) {
        assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end));
    }
    let sv = "Säkerhetsskydd";
    let m = &t.find_in_text(sv)[0];
    assert_eq!((m.start, m.end), (0, sv.len()));
}

#[test]
fn short_and_common_words_are_not_guessed() {
    let t = taxonomy();
    // "go", "spring", "rest", "safe", "c", "r", "ai" as ordinary words or in the wrong case
    assert!(ids(&t, "We go for a walk in spring to rest and stay safe").is_empty());
    assert!(ids(&t, "a b c d e r s t").is_empty());
    assert!(ids(&t, "Vi har ett stort fokus på kunden").is_empty());
    // ...but the skills written as skills count
    assert_eq!(ids(&t, "Go, Spring Boot, REST and SAFe"), ["go", "spring-boot", "api-development", "safe"]);
    assert_eq!(ids(&t, "Erfarenhet av AI och R"), ["artificial-intelligence", "r-language"]);
}

#[test]
fn near_misses_only_for_long_words_with_the_same_word_count() {
    let t = taxonomy();
    let m = t.find_in_text("Erfarenhet av Kuberntes och systemförvaltningen");
    let got: Vec<(&str, Option<crate::domain::ResolveMethod>)> =
        m.iter().map(|m| (t.skill(m.skill).unwrap().id.as_str(), m.resolution.method)).collect();
    let fuzzy = Some(crate::domain::ResolveMethod::Fuzzy);
    assert_eq!(got, [("kubernetes", fuzzy), ("application-management", fuzzy)]);
    // "Sprint" is a word, not a misspelt Spring; "projektledning i" is not a misspelt name
    assert_eq!(ids(&t, "Sprint planning"), ["planning"]);
    assert_eq!(found(&t, "projektledning i Malmö"), [("project-management".to_owned(), "projektledning".to_owned())]);
}

#[test]
fn empty_text_has_no_mentions() {
    let t = taxonomy();
    assert!(t.find_in_text("").is_empty());
    assert!(t.find_in_text(" ,.;").is_empty());
}

#[test]
fn decomposed_input_keeps_offsets_into_the_original_text() {
    let t = taxonomy();
    let text = "Erfarenhet av Na\u{308}tverk.";
    let m = t.find_in_text(text);
    assert_eq!(m.len(), 1);
    assert_eq!(t.skill(m[0].skill).unwrap().id, "networking");
    assert_eq!(&text[m[0].start..m[0].end], "Na\u{308}tverk");
}

#[test]
fn names_do_not_span_punctuation_between_phrases() {
    let t = taxonomy();
    assert_eq!(ids(&t, "Agile, project management"), ["agile-methods", "project-management"]);
    assert_eq!(ids(&t, "Agile project management"), ["agile-project-management"]);
    assert_eq!(ids(&t, "Säkerhet. Skydd"), ["it-security"]);
    assert_eq!(ids(&t, "CI/CD och IT-säkerhet"), ["ci-cd", "it-security"]);
}

/// Regression: a run-on "sentence" of 256 KiB took seconds (debug builds: minutes) because
/// every n-gram was normalised, folded and near-miss searched on its own. It must simply
/// return, with mentions inside the text that do not overlap.
#[test]
fn a_256_kib_run_on_sentence_returns() {
    let t = taxonomy();
    let inputs = [
        "minst 5 ".repeat(32 * 1024),
        "Kubernetesutvecklare systemförvaltningen Projektledningen ".repeat(4 * 1024),
        // Distinct long words, so that remembering near-miss searches does not help.
        (0..24_000).map(|i| format!("konfigurering{i:x}q ")).collect::<String>(),
    ];
    for text in &inputs {
        let text = &text[..text.floor_char_boundary(256 * 1024)];
        let mentions = t.find_in_text(text);
        assert!(mentions.windows(2).all(|w| w[0].end <= w[1].start));
        assert!(mentions.last().is_none_or(|m| m.end <= text.len()));
    }
}

/// The test ads, line by line and as one text, twice over: a finder that remembers
/// near-miss searches across pieces finds exactly what `find_in_text` finds in each piece.
#[test]
fn a_mention_finder_finds_what_find_in_text_finds() {
    let t = taxonomy();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ads");
    let mut ads: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap()).collect();
    ads.sort();
    let mut finder = MentionFinder::new(&t);
    for _ in 0..2 {
        for ad in &ads {
            for piece in ad.lines().chain([ad.as_str()]) {
                assert_eq!(finder.find(piece), t.find_in_text(piece), "{piece:?}");
            }
        }
    }
    // Misspelt names, twice: the second time the near misses come from the finder's memory.
    let text = "Kuberntes och Systemförvaltningen, Konflikhantering";
    assert_eq!(finder.find(text), t.find_in_text(text));
    assert_eq!(finder.find(text), t.find_in_text(text));
    assert_eq!(ids(&t, text), ["kubernetes", "application-management", "conflict-management"]);
}

/// A finder keeps only so many searches, however long the document: beyond that it still
/// finds the same skills.
#[test]
fn a_mention_finder_remembers_a_bounded_number_of_searches() {
    let t = taxonomy();
    let mut finder = MentionFinder::new(&t);
    let words: String = (0..5_000).map(|i| format!("konfigurering{i:x}q ")).collect();
    assert_eq!(finder.find(&words), t.find_in_text(&words));
    assert_eq!(finder.remembered(), MentionFinder::REMEMBERED);
    let text = "Kuberntes och Systemförvaltningen";
    assert_eq!(finder.find(text), t.find_in_text(text));
    assert_eq!(ids(&t, text), ["kubernetes", "application-management"]);
}

#[test]
fn each_word_of_a_near_miss_phrase_must_be_near_its_counterpart() {
    let t = taxonomy();
    // Within the phrase's allowance, but a three-letter word changed: short names are never
    // fuzzed, inside a phrase either.
    assert!(!ids(&t, "Erfarenhet av Dynamics CMR krävs").contains(&"dynamics-crm".to_string()));
    // A typo in a longer word of the phrase still counts.
    assert!(
        ids(&t, "Certified Scrum Mastr wanted").contains(&"scrum-master".to_string()),
        "{:?}",
        ids(&t, "Certified Scrum Mastr wanted")
    );
}
