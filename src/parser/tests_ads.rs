//! Ads written for these tests in other layouts than the seeds: Swedish and English,
//! bullets, Markdown, numbered lists, prose, a public-sector call for tender, inline cues.
//! Each asserts the whole draft a recruiter would write, and a few evidence lines.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::tests::{Want, check, lines_of};
use crate::domain::{Cefr, ClearanceLevel, WorkMode};

macro_rules! ad {
    ($name:literal) => {
        include_str!(concat!("../../tests/fixtures/ads/", $name, ".txt"))
    };
}

#[test]
fn a_swedish_bulleted_ad_with_bare_headings() {
    let p = check(
        ad!("sv-systemforvaltare-bullets"),
        &Want {
            title: "Systemförvaltare Windows/VMware",
            client: Some("Region Halland"),
            city: Some("Halmstad"),
            work_mode: Some(WorkMode::Hybrid),
            start: Some("2025-11-03"),
            end: Some("2026-05-02"),
            expires: Some("2025-10-20"),
            extent: Some(100),
            must: &[("Application management", Some(4.0)), ("VMware", None), ("Windows Server", None)],
            can: &["PowerShell", "ITIL"],
            languages: &[("sv", Cefr::C1, true), ("en", Cefr::B2, false)],
            clearance: (ClearanceLevel::Sk2, &["SE"], false),
            ..Want::default()
        },
    );
    assert_eq!(lines_of(&p, "work_mode"), [10]);
    assert_eq!(lines_of(&p, "end_date"), [6]);
    assert_eq!(lines_of(&p, "must_have[0]"), [13]);
    assert_eq!(lines_of(&p, "must_have[1]"), [14]);
    assert_eq!(lines_of(&p, "clearance.required_level"), [17]);
    assert_eq!(lines_of(&p, "can_have[0]"), [20]);
    assert!(p.unrecognized.is_empty(), "{:?}", p.unrecognized);
}

#[test]
fn an_english_markdown_ad() {
    let p = check(
        ad!("en-devops-markdown"),
        &Want {
            title: "Senior DevOps Engineer",
            client: Some("Nordic Payments AB"),
            city: Some("Stockholm"),
            work_mode: Some(WorkMode::Remote),
            start: Some("2025-12-01"),
            end: Some("2026-05-31"),
            expires: Some("2025-11-10"),
            must: &[("Kubernetes", Some(5.0)), ("Terraform", None), ("Python", Some(3.0))],
            can: &["Azure DevOps"],
            languages: &[("en", Cefr::C1, true), ("da", Cefr::B2, false)],
            ..Want::default()
        },
    );
    assert_eq!(lines_of(&p, "title"), [1]);
    assert_eq!(lines_of(&p, "languages[1]"), [20]);
}

#[test]
fn swedish_prose_with_cues_inside_sentences() {
    let p = check(
        ad!("sv-prosa-javautvecklare"),
        &Want {
            title: "Javautvecklare till Linköping",
            client: Some("Acme Consulting"),
            city: Some("Linköping"),
            work_mode: Some(WorkMode::Onsite),
            expires: Some("2025-09-30"),
            must: &[("Java", Some(5.0)), ("Spring Boot", Some(5.0))],
            can: &["Apache Kafka", "Software development"],
            languages: &[("sv", Cefr::C1, true), ("en", Cefr::B2, false)],
            clearance: (ClearanceLevel::Sk3, &["SE"], true),
            ..Want::default()
        },
    );
    assert_eq!(p.assignment.can_have[1].min_years, Some(8.0));
    assert_eq!(lines_of(&p, "clearance.required_level"), [5]);
}

#[test]
fn an_english_numbered_list_with_inline_cues() {
    check(
        ad!("en-numbered-data-engineer"),
        &Want {
            title: "Data Engineer, 50% engagement",
            client: Some("Northwind Logistics"),
            city: Some("Göteborg"),
            work_mode: Some(WorkMode::Hybrid),
            start: Some("2026-01-12"),
            end: Some("2026-06-30"),
            extent: Some(50),
            must: &[("Apache Spark", Some(3.0)), ("SQL", None), ("Databricks", None)],
            can: &["Power BI", "dbt", "Snowflake"],
            languages: &[("sv", Cefr::C1, true), ("en", Cefr::B2, true)],
            ..Want::default()
        },
    );
}

#[test]
fn a_public_sector_call_for_tender_with_skall_and_bor_krav() {
    let p = check(
        ad!("sv-upphandling-skallkrav"),
        &Want {
            title: "IT-projektledare infrastruktur",
            client: Some("Trafikverket"),
            city: Some("Borlänge"),
            work_mode: Some(WorkMode::Onsite),
            start: Some("2026-02-01"),
            end: Some("2027-01-31"),
            expires: Some("2025-12-15"),
            extent: Some(80),
            must: &[("IT project management", Some(6.0)), ("Public procurement", None), ("Change leadership", None)],
            can: &["PRINCE2", "ITIL", "Information security", "ISO 27001"],
            languages: &[("sv", Cefr::C1, true)],
            clearance: (ClearanceLevel::Sk3, &[], true),
            ..Want::default()
        },
    );
    assert_eq!(lines_of(&p, "must_have[0]"), [9]);
    assert_eq!(lines_of(&p, "can_have[0]"), [16]);
    assert_eq!(lines_of(&p, "clearance.accept_willing"), [12]);
}

#[test]
fn english_prose_mixing_required_and_a_plus_in_one_sentence() {
    check(
        ad!("en-inline-cues-security"),
        &Want {
            title: "Network Security Architect",
            client: Some("Swedish Armed Forces supplier"),
            city: Some("Karlstad"),
            work_mode: Some(WorkMode::Onsite),
            extent: Some(100),
            must: &[("Network security", Some(8.0)), ("Firewalls", Some(8.0)), ("Cisco networking", None)],
            can: &["Palo Alto Networks"],
            languages: &[("en", Cefr::C1, true), ("sv", Cefr::B2, true)],
            clearance: (ClearanceLevel::Sk2, &["SE"], true),
            ..Want::default()
        },
    );
}

#[test]
fn a_swedish_about_you_section_and_a_duration() {
    let p = check(
        ad!("sv-om-dig-hybrid"),
        &Want {
            title: "Scrum Master till bank i Malmö",
            client: Some("Skandinaviska Banken"),
            city: Some("Malmö"),
            work_mode: Some(WorkMode::Hybrid),
            start: Some("2025-10-01"),
            end: Some("2026-09-30"),
            extent: Some(60),
            // "god förståelse för SAFe" under "Om dig": a good understanding of a method is
            // asked as a competency (only of a broad field is it background).
            must: &[("Scrum Master", Some(3.0)), ("SAFe", None)],
            can: &["Jira"],
            languages: &[("sv", Cefr::C1, true), ("en", Cefr::C1, true)],
            ..Want::default()
        },
    );
    // A soft-skill line under a requirement heading that names no skill is reported.
    assert_eq!(p.unrecognized, ["Du är en trygg och lyhörd ledare."]);
    // "Vi erbjuder" is not a requirement section: Java, React and AWS are not read.
    assert!(p.evidence.iter().all(|e| e.line != 17));
}
