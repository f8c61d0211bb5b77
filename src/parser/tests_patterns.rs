//! Issue 28: the kinds of phrase that ads nobody here had seen tripped on, each in new
//! sentences in both languages: requirements in prose outside any section, years shared
//! between skills, a preference inside a must line, the most specific skill, short forms,
//! and no skill without evidence.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::tests::parse;
use crate::domain::{Cefr, ClearanceLevel};

fn must(p: &super::ParsedAd) -> Vec<(&str, Option<f32>)> {
    p.assignment.must_have.iter().map(|r| (r.skill.as_str(), r.min_years)).collect()
}

fn can(p: &super::ParsedAd) -> Vec<&str> {
    p.assignment.can_have.iter().map(|r| r.skill.as_str()).collect()
}

#[test]
fn vetting_and_citizenship_in_a_closing_paragraph_are_requirements() {
    let ad = "Drifttekniker\n\nKrav\n- Windows Server\n\nMeriterande\n- PowerShell\n\n\
              Arbetet sker i Kiruna. Tjänsten kräver placering i säkerhetsklass 1 efter säkerhetsprövning, \
              och svenskt medborgarskap är ett krav.\n";
    let p = parse(ad);
    assert_eq!(p.assignment.clearance.required_level, ClearanceLevel::Sk1);
    assert_eq!(p.assignment.clearance.citizenship.iter().map(|c| c.to_string()).collect::<Vec<_>>(), ["SE"]);
    let e = p.evidence.iter().find(|e| e.field == "clearance.required_level").unwrap();
    assert!(e.text.contains("säkerhetsklass 1"), "{e:?}");
    assert!(p.unrecognized.is_empty(), "{:?}", p.unrecognized);

    let ad = "Engineer\n\nRequirements\n- Linux\n\nNice to have\n- Ansible\n\n\
              The role is based in Luleå. Candidates must be EU citizens and hold security clearance level 3.\n";
    let p = parse(ad);
    assert_eq!(p.assignment.clearance.required_level, ClearanceLevel::Sk3);
    assert_eq!(p.assignment.clearance.citizenship.len(), 27);
    assert_eq!(can(&p), ["Ansible"]);
}

#[test]
fn a_sua_vetted_supplier_is_a_clearance_requirement() {
    let p = parse(
        "Konsult\nKrav\n- Informationssäkerhet\n\nLeverantören ska vara SUA-prövad och konsulten säkerhetsprövad.\n",
    );
    assert_eq!(p.assignment.clearance.required_level, ClearanceLevel::Sk3);
}

#[test]
fn years_shared_between_skills_go_to_each() {
    let p = parse("Consultant\nRequirements\n- 12+ years of software development, at least 5 of them with Scala\n");
    assert_eq!(must(&p), [("Software development", Some(12.0)), ("Scala", Some(5.0))]);
    let p = parse("Konsult\nKrav\n- Minst 9 års erfarenhet av IT-drift, varav 4 i AWS\n");
    assert_eq!(must(&p), [("IT operations", Some(9.0)), ("Amazon Web Services", Some(4.0))]);
    let p = parse("Konsult\nKrav\n- Minst 6 års erfarenhet av informationssäkerhet, varav minst 2 år med ISO 27001\n");
    assert_eq!(must(&p), [("Information security", Some(6.0)), ("ISO 27001", Some(2.0))]);
}

#[test]
fn a_preference_inside_a_must_line_makes_only_what_follows_a_merit() {
    let cases: [(&str, &str, &str); 6] = [
        ("Konsult\nSkall-krav\n- Brandväggar, gärna Check Point\n", "Firewalls", "Check Point"),
        ("Konsult\nKrav\n- Linux, helst Red Hat Enterprise Linux\n", "Linux", "Red Hat Enterprise Linux"),
        ("Consultant\nRequirements\n- Python, preferably also Django\n", "Python", "Django"),
        ("Consultant\nRequirements\n- Experience with PostgreSQL, ideally MongoDB too\n", "PostgreSQL", "MongoDB"),
        ("Konsult\nKrav\n- Erfarenhet av Java. Det är meriterande om du har arbetat med Quarkus.\n", "Java", "Quarkus"),
        ("Consultant\nRequirements\n- Docker. Experience with Helm is a plus.\n", "Docker", "Helm"),
    ];
    for (ad, gate, merit) in cases {
        let p = parse(ad);
        assert_eq!(must(&p), [(gate, None)], "{ad}");
        assert_eq!(can(&p), [merit], "{ad}");
    }
    // "är ett plus" in a sentence of its own.
    let p = parse("Konsult\nKrav\n- Erfarenhet av Jenkins. Kunskap om GitLab är ett plus.\n");
    assert_eq!((must(&p), can(&p)), (vec![("Jenkins", None)], vec!["GitLab"]));
}

#[test]
fn the_most_specific_skill_wins() {
    let p = parse("Konsult\nKrav\n- Erfarenhet av projektledning inom IT-infrastruktur\n");
    assert_eq!(must(&p), [("IT infrastructure project management", None)]);
    let p = parse("Consultant\nRequirements\n- 6 years of project management within IT infrastructure\n");
    assert_eq!(must(&p), [("IT infrastructure project management", Some(6.0))]);
    let p = parse("Konsult\nKrav\n- Projektledning av infrastrukturprojekt\n");
    assert_eq!(must(&p), [("IT infrastructure project management", None)]);
    // The general skill stays when nothing narrower fits.
    let p = parse("Konsult\nKrav\n- Projektledning inom bank och finans\n");
    assert_eq!(must(&p), [("Project management", None)]);
}

#[test]
fn short_forms_and_informal_names_resolve_without_look_alikes() {
    let p = parse(
        "Consultant\nMust have\n- Sys admin (Linux)\n- Infra automation\n- k8s\n- Risk mgmt\n\nNice to have\n- Azure Dev Ops\n",
    );
    assert_eq!(
        must(&p),
        [
            ("System administration", None),
            ("Linux", None),
            ("Infrastructure automation", None),
            ("Kubernetes", None),
            ("Risk management", None)
        ]
    );
    assert_eq!(can(&p), ["Azure DevOps"]);
    let p = parse("Konsult\nKrav\n- Proj.led. av större infraprojekt, minst 5 år\n- Förvaltn. av verksamhetssystem\n");
    assert_eq!(must(&p), [("IT infrastructure project management", Some(5.0)), ("Application management", None)]);
    // Alone, a short form is a word: no skill.
    let p = parse("Konsult\nKrav\n- Dev, Ops och Mgmt i samma team\n");
    assert!(p.assignment.must_have.is_empty(), "{:?}", must(&p));
}

#[test]
fn every_skill_has_evidence_and_generic_words_invent_none() {
    let ad = "Systemutvecklare\n\nOm uppdraget\nDu kommer att planera, testa, leda och automatisera arbetet och \
              sätta nya tjänster i drift.\n\nKrav\n- Java\n- Kubernetes i drift\n\nMeriterande\n- Gärna Kafka\n";
    let p = parse(ad);
    assert_eq!(must(&p), [("Java", None), ("Kubernetes", None)]);
    assert_eq!(can(&p), ["Apache Kafka"]);
    for n in &p.requirements {
        assert!(!n.evidence.is_empty() && n.line > 0, "{n:?}");
    }
}

#[test]
fn languages_take_the_nearest_level_and_merits_in_a_list_stay_merits() {
    let p =
        parse("Consultant\nRequirements\n- Go\n\nYou speak Finnish fluently and Swedish well. Norwegian is a merit.\n");
    let langs: Vec<_> = p.assignment.languages.iter().map(|l| (l.code.to_string(), l.min_level, l.required)).collect();
    assert_eq!(
        langs,
        [("fi".to_string(), Cefr::C1, true), ("sv".to_string(), Cefr::B2, true), ("no".to_string(), Cefr::B2, false)]
    );
}

#[test]
fn a_flattened_table_keeps_its_requirement_column() {
    let ad = "Konsult\nKompetens | År | Krav/Merit\nAzure | minst 4 år | Krav\nTerraform | | Merit\n\
              Start: 2026-09-01 | Slut: 2027-02-26 | Omfattning: 75 %\n";
    let p = parse(ad);
    assert_eq!(must(&p), [("Microsoft Azure", Some(4.0))]);
    assert_eq!(can(&p), ["Terraform"]);
    assert_eq!(p.assignment.end_date.map(|d| d.to_string()).as_deref(), Some("2027-02-26"));
    assert_eq!(p.assignment.extent_percent, Some(75));
}
