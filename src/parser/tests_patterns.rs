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

/// A date of the draft as ISO text.
fn day(d: Option<chrono::NaiveDate>) -> Option<String> {
    d.map(|d| d.to_string())
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
    let p = parse("Konsult\nKrav\n- Projektledning inom gruvnäringen\n");
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
    assert_eq!(day(p.assignment.end_date).as_deref(), Some("2027-02-26"));
    assert_eq!(p.assignment.extent_percent, Some(75));
}

#[test]
fn vetting_and_citizenship_under_a_description_heading_are_requirements() {
    let p = parse(
        "Förvaltningsledare\n\nVi söker dig som har\n• Erfarenhet av systemförvaltning\n\n\
         Övrigt\nStart i mars. Uppdraget kräver svenskt medborgarskap och placering i säkerhetsklass 2.\n",
    );
    assert_eq!(must(&p), [("Application management", None)]);
    assert_eq!(p.assignment.clearance.required_level, ClearanceLevel::Sk2);
    assert_eq!(p.assignment.clearance.citizenship.iter().map(|c| c.to_string()).collect::<Vec<_>>(), ["SE"]);
    // A description that only mentions a clearance in passing asks for nothing.
    let p = parse(
        "Engineer\n\nAbout us\nWe build systems for clients with security clearance needs.\n\nRequirements\n- Go\n",
    );
    assert_eq!(p.assignment.clearance.required_level, ClearanceLevel::None);
}

#[test]
fn years_hold_for_a_list_but_not_for_a_new_phrase() {
    let p = parse("Dev\nRequirements\n- At least 6 years in backend development and hands-on Docker experience\n");
    assert_eq!(must(&p), [("Backend development", Some(6.0)), ("Docker", None)]);
    let p = parse("Dev\nRequirements\n- 6 years with Java, Spring Boot and Kafka\n");
    assert_eq!(must(&p), [("Java", Some(6.0)), ("Spring Boot", Some(6.0)), ("Apache Kafka", Some(6.0))]);
    let p = parse("Konsult\nKrav\n- Minst 4 års erfarenhet av Windows Server samt god kännedom om nätverk\n");
    assert_eq!(must(&p), [("Windows Server", Some(4.0)), ("Networking", None)]);
}

#[test]
fn a_narrower_skill_written_before_a_broader_one_names_it() {
    let p = parse("Consultant\nRequirements\n- Experience with NIS2 compliance audits\n");
    assert_eq!(must(&p), [("NIS2 Directive", None)]);
}

#[test]
fn good_knowledge_of_a_skill_under_a_must_heading_is_a_gate() {
    let p = parse("Konsult\nSkall-krav\n- Goda kunskaper i PostgreSQL\n- God förståelse för IT-infrastruktur\n");
    assert_eq!(must(&p), [("PostgreSQL", None)]);
    assert_eq!(can(&p), ["IT infrastructure"]);
    let p = parse("Manager\nRequirements\n- Strong background in vendor management\n");
    assert_eq!(p.assignment.must_have.len(), 1);
}

#[test]
fn each_date_takes_the_role_of_its_own_sentence() {
    let p = parse("Dev\nStart as soon as possible, end 2027-06-30. Apply by 2027-01-15.\nRequirements\n- Rust\n");
    let a = &p.assignment;
    assert_eq!(a.start_date, None);
    assert_eq!(day(a.end_date).as_deref(), Some("2027-06-30"));
    assert_eq!(day(a.expires_at).as_deref(), Some("2027-01-15"));
    let p = parse("Konsult\nSista dag för svar: 2027-02-01\nKrav\n- Java\n");
    assert_eq!(day(p.assignment.expires_at).as_deref(), Some("2027-02-01"));
}

#[test]
fn years_in_a_table_cell_or_a_labelled_row() {
    let p = parse("Dev\n\nSkill | Years | Requirement\nGo | 5+ | Must\nRust | - | Merit\n");
    assert_eq!(must(&p), [("Go", Some(5.0))]);
    let p = parse("Dev\nSkill: Python – 4 years – must\nSkill: Django – merit\n");
    assert_eq!(must(&p), [("Python", Some(4.0))]);
    // The assignment's own length is not experience.
    let p = parse("Dev\nKrav\n- Java\n- Uppdraget löper 2 år med option på förlängning\n");
    assert_eq!(must(&p), [("Java", None)]);
}

#[test]
fn sentences_end_after_a_level_or_a_product_name() {
    let p = parse("Dev\nLanguage: English C1. Swedish B2 is a plus.\n");
    let langs: Vec<_> = p.assignment.languages.iter().map(|l| (l.code.to_string(), l.min_level, l.required)).collect();
    assert_eq!(langs, [("en".to_string(), Cefr::C1, true), ("sv".to_string(), Cefr::B2, false)]);
    let p = parse("Dev\nKrav\n- Minst 5 år med .NET. Du har även erfarenhet av Docker.\n");
    assert_eq!(must(&p), [(".NET", Some(5.0)), ("Docker", None)]);
}

#[test]
fn a_vetting_still_to_come_accepts_the_willing() {
    let p = parse("Dev\nKrav\n- Java\n\nSäkerhetsprövning kommer att genomföras innan uppdraget startar.\n");
    assert!(p.assignment.clearance.accept_willing);
    let p = parse("Dev\nRequirements\n- Java\n\nThe consultant must already be placed in security class 2.\n");
    assert!(!p.assignment.clearance.accept_willing);
    assert_eq!(p.assignment.clearance.required_level, ClearanceLevel::Sk2);
}

#[test]
fn a_topic_label_is_not_a_skill() {
    let p = parse("Dev\nRequirements\n- Java\nSecurity: the client requires security vetting before start.\n");
    assert_eq!(must(&p), [("Java", None)]);
    assert_eq!(p.assignment.clearance.required_level, ClearanceLevel::Sk3);
    // A label that is the skill keeps it.
    let p = parse("Dev\nKrav\nAnsible: minst 3 års erfarenhet i produktion\n");
    assert_eq!(must(&p), [("Ansible", Some(3.0))]);
}

#[test]
fn a_general_skill_linked_to_a_narrower_one_gives_way_to_it() {
    let p =
        parse("Dev\nRequirements\n- Container orchestration w/ Kubernetes\n- Configuration management using Ansible\n");
    let skills: Vec<&str> = must(&p).into_iter().map(|(s, _)| s).collect();
    assert!(skills.contains(&"Kubernetes") && skills.contains(&"Ansible"), "{skills:?}");
    assert!(!skills.contains(&"Infrastructure automation"), "{skills:?}");
    let p = parse("Consultant\nRequirements\n- Experience of cloud platforms such as Microsoft Azure\n");
    assert_eq!(must(&p), [("Microsoft Azure", None)]);
}

#[test]
fn a_table_with_a_column_of_years_and_swedish_must_cells() {
    let p = parse("Konsult\n\nKompetens | År | Krav\nJava | 6 | Skall\nKotlin | 2 | Bör\nSpring Boot | - | Ska\n");
    assert_eq!(must(&p), [("Java", Some(6.0)), ("Spring Boot", None)]);
    assert_eq!(can(&p), ["Kotlin"]);
    // Without a column of years a bare number may be a level: no years.
    let p = parse("Konsult\n\nKompetens | Nivå | Krav\nJava | 4 | Skall\n");
    assert_eq!(must(&p), [("Java", None)]);
}

#[test]
fn a_heading_with_a_gloss_in_brackets_keeps_its_kind() {
    let p = parse(
        "Call-off\n\nMandatory requirements (shall)\nR1. Experience of Go.\n\nDesirable requirements (should)\nD1. Experience of Rust.\n",
    );
    assert_eq!(must(&p), [("Go", None)]);
    assert_eq!(can(&p), ["Rust"]);
}

#[test]
fn a_merit_in_brackets_judges_only_what_it_holds() {
    let p = parse("Dev\nSkill: Java (Kotlin preferred) – 5 years – must\n");
    assert_eq!(must(&p), [("Java", Some(5.0))]);
    assert_eq!(can(&p), ["Kotlin"]);
    // A bare verdict in brackets judges what precedes it.
    let p = parse("Dev\nSpråk: Svenska, flytande (krav). Engelska, goda kunskaper (merit).\n");
    let en = p.assignment.languages.iter().find(|l| l.code.to_string() == "en").unwrap();
    assert!(!en.required);
}

#[test]
fn a_negation_takes_back_what_it_follows() {
    let p = parse("Dev\nRequirements\n- Go\nSwedish is not required, but fluent English is.\n");
    let langs: Vec<String> = p.assignment.languages.iter().map(|l| l.code.to_string()).collect();
    assert_eq!(langs, ["en"]);
    let p = parse("Konsult\nKrav\n- Java\n- Kubernetes är inget krav\n");
    assert_eq!(must(&p), [("Java", None)]);
}

#[test]
fn each_language_takes_the_level_written_for_it() {
    let p = parse("Konsult\nKrav\n- Mycket goda kunskaper i svenska och goda kunskaper i engelska\n");
    let langs: Vec<_> = p.assignment.languages.iter().map(|l| (l.code.to_string(), l.min_level)).collect();
    assert_eq!(langs, [("sv".to_string(), Cefr::C1), ("en".to_string(), Cefr::B2)]);
}

#[test]
fn years_of_a_quality_make_it_a_competency() {
    let p = parse("Konsult\nKrav\n- Minst 5 års erfarenhet av IT-drift, varav 3 år som teamledare\n");
    assert_eq!(must(&p), [("IT operations", Some(5.0)), ("Team leadership", Some(3.0))]);
}

#[test]
fn a_grade_letter_is_not_a_skill() {
    let p = parse("Projektledare\nKrav\n- Certifiering enligt IPMA nivå C\n");
    assert!(!must(&p).iter().any(|(s, _)| *s == "C"), "{:?}", must(&p));
}

#[test]
fn a_compound_cut_short_is_read_whole() {
    let p = parse("Tekniker\nKrav\n- Brandväggsadm. minst 3 år\n");
    assert_eq!(must(&p), [("Firewalls", Some(3.0))]);
}

#[test]
fn rows_split_by_dashes_under_a_heading_of_years() {
    let p = parse(
        "Lead\n\nRequirements (skill – min. years – must/merit)\nGo – 5 – must\nRust – 2 – merit\nNorwegian – fluent – must\n",
    );
    assert_eq!(must(&p), [("Go", Some(5.0))]);
    assert_eq!(can(&p), ["Rust"]);
    let langs: Vec<_> = p.assignment.languages.iter().map(|l| (l.code.to_string(), l.min_level, l.required)).collect();
    assert_eq!(langs, [("no".to_string(), Cefr::C1, true)]);
}

#[test]
fn a_share_written_in_words_or_of_a_total() {
    let p = parse("Dev\nRequirements\n- At least eight years of backend development, at least four of which with Go\n");
    assert_eq!(must(&p), [("Backend development", Some(8.0)), ("Go", Some(4.0))]);
    let p =
        parse("Dev\nRequirements (skill – years)\nCloud migration – 7 – must, at least 2 of the 7 years with AWS\n");
    assert_eq!(must(&p), [("Cloud migration", Some(7.0)), ("Amazon Web Services", Some(2.0))]);
}

#[test]
fn a_forward_preference_holds_to_the_end_of_its_clause() {
    let p = parse("Dev\nRequirements\n- You write Go, ideally also Rust, and you have run services on Kubernetes.\n");
    assert_eq!(must(&p), [("Go", None), ("Kubernetes", None)]);
    assert_eq!(can(&p), ["Rust"]);
}

#[test]
fn a_level_after_the_second_language_is_its_own() {
    let p = parse("Dev\nRequirements\n- You speak Swedish fluently and English at a good level.\n");
    let langs: Vec<_> = p.assignment.languages.iter().map(|l| (l.code.to_string(), l.min_level)).collect();
    assert_eq!(langs, [("sv".to_string(), Cefr::C1), ("en".to_string(), Cefr::B2)]);
}

#[test]
fn a_requirement_wrapped_over_two_lines_is_read_whole() {
    // A paragraph pasted with hard line breaks: the citizenship, the place and the
    // certificate each sit astride a break.
    let ad = "Drifttekniker till Boden\n\nVi söker en tekniker med minst sex års erfarenhet av Windows Server och\n\
              god kännedom om PowerShell. Uppdraget är placerat i säkerhetsklass 2 och svenskt\n\
              medborgarskap krävs. Arbetet utförs på\nplats i Boden.\n";
    let p = parse(ad);
    assert_eq!(p.assignment.clearance.citizenship.iter().map(|c| c.to_string()).collect::<Vec<_>>(), ["SE"]);
    assert_eq!(p.assignment.work_mode, Some(crate::domain::WorkMode::Onsite));
    let e = p.evidence.iter().find(|e| e.field == "clearance.citizenship").unwrap();
    assert!(e.text.contains("svenskt medborgarskap krävs"), "{e:?}");
    let ad = "Network consultant\n\nYou need at least five years with enterprise networks and a valid CCNA certificate.\n\
              A current AWS Solutions Architect certification is\nrequired.\n";
    assert!(can(&parse(ad)).is_empty());
    assert!(must(&parse(ad)).iter().any(|(s, _)| s.starts_with("AWS")), "{:?}", must(&parse(ad)));
}

#[test]
fn empty_cells_of_a_dashed_table_keep_the_row() {
    let ad = "Konsult\n\nKompetens – år – krav/merit\nJava – 5 – krav\nGradle – – merit\nSvenska, flytande – – krav\n";
    let p = parse(ad);
    assert_eq!(must(&p), [("Java", Some(5.0))]);
    assert_eq!(can(&p), ["Gradle"]);
    assert_eq!(p.assignment.languages[0].min_level, Cefr::C1);
}

#[test]
fn swedish_ordinal_days_and_cv_deadlines_are_dates() {
    let p = parse("Konsult\nKrav\n- Java\n\nStart den 3:e maj 2027. Skicka ditt CV senast den 12/4 2027.\n");
    assert_eq!(day(p.assignment.start_date).as_deref(), Some("2027-05-03"));
    assert_eq!(day(p.assignment.expires_at).as_deref(), Some("2027-04-12"));
}

#[test]
fn a_short_form_read_with_its_field_names_the_narrower_skill() {
    // "Proj.led. inom IT" is already IT project management; with "-infra" after it, the
    // broader name joins the field: IT infrastructure project management.
    let p = parse("Konsult\nKrav\n- Proj.led. inom IT-infra, minst 6 år\n");
    assert_eq!(must(&p), [("IT infrastructure project management", Some(6.0))]);
    // "Linux administration" names Linux itself.
    let p = parse("Konsult\nKrav\n- Sys admin i Linux-miljöer, minst 4 år\n");
    assert_eq!(must(&p), [("Linux", Some(4.0))]);
}

#[test]
fn vetting_still_to_come_accepts_the_willing() {
    let p = parse(
        "Konsult\nKrav\n- Java\n\nUppdraget är placerat i säkerhetsklass 3. Konsulten kommer att säkerhetsprövas; \
         en tidigare prövning är inget krav.\n",
    );
    assert_eq!(p.assignment.clearance.required_level, ClearanceLevel::Sk3);
    assert!(p.assignment.clearance.accept_willing);
    let p = parse(
        "Engineer\nRequirements\n- Java\n\nThis role is in security class 2. You will be vetted by the client before start.\n",
    );
    assert_eq!(p.assignment.clearance.required_level, ClearanceLevel::Sk2);
    assert!(p.assignment.clearance.accept_willing);
    let p = parse("Engineer\nRequirements\n- Java\n\nSecurity class 2 applies and you must already be vetted.\n");
    assert!(!p.assignment.clearance.accept_willing);
}

#[test]
fn a_row_s_years_cell_holds_for_the_skill_its_share_came_from() {
    let p = parse("Konsult\n\nKompetens | År | Krav\nSystemutveckling, varav minst 3 år i Go | 9+ år | Krav\n");
    assert_eq!(must(&p), [("Software development", Some(9.0)), ("Go", Some(3.0))]);
    let p = parse("Consultant\n\nSkill – years – must/nice\nData modelling, ideally with dbt – 4 – must\n");
    assert_eq!(must(&p), [("Database design", Some(4.0))]);
    assert_eq!(can(&p), ["dbt"]);
}

#[test]
fn remote_some_days_is_hybrid_and_fully_remote_stays_remote() {
    use crate::domain::WorkMode;
    let mode = |s: &str| parse(&format!("Konsult\nKrav\n- Java\n\n{s}\n")).assignment.work_mode;
    assert_eq!(mode("Ort: Borås, distans går bra vissa dagar."), Some(WorkMode::Hybrid));
    assert_eq!(mode("Based in Lund; remote work is fine on some days."), Some(WorkMode::Hybrid));
    assert_eq!(
        mode("The role is fully remote, with a visit to the office in Lund twice a year."),
        Some(WorkMode::Remote)
    );
    assert_eq!(mode("Uppdraget utförs helt på distans, med en träff på kontoret per kvartal."), Some(WorkMode::Remote));
}

#[test]
fn a_general_skill_named_as_built_in_a_narrower_one_gives_way() {
    let p = parse("Engineer\nMust have\n- Container orchestration clusters run on Kubernetes\n");
    assert_eq!(must(&p), [("Kubernetes", None)]);
    // Joined by "and", both stay.
    let p = parse("Engineer\nMust have\n- CI/CD and GitHub Actions\n");
    assert_eq!(must(&p), [("CI/CD", None), ("GitHub Actions", None)]);
}

#[test]
fn a_skill_name_wrapped_onto_the_next_line_is_found() {
    let p = parse(
        "Analyst\n\nRequirements\nS1. The consultant shall have led public procurements. Experience of tender\n    evaluation is a plus.\n",
    );
    assert_eq!(can(&p), ["Tender evaluation"]);
    // A blank line between two lines is never one name.
    let p = parse("Analyst\n\nRequirements\n- Microsoft Azure\n\nDevOps is a plus\n");
    assert!(!must(&p).iter().any(|(s, _)| *s == "Azure DevOps"), "{:?}", must(&p));
}

#[test]
fn expected_skills_and_a_need_heading_are_requirements() {
    let p = parse("Developer\n\nWhat we need from you\n- Kotlin\n\nSolid SQL skills are expected.\n");
    assert_eq!(must(&p), [("Kotlin", None), ("SQL", None)]);
    let p = parse("Utvecklare\n\nGoda kunskaper i Python förutsätts i rollen.\n");
    assert_eq!(must(&p), [("Python", None)]);
    // A duty the consultant is expected to carry out is no requirement.
    let p = parse("PM\n\nMust have\n- Jira\n\nThe consultant is expected to ensure a handover to operations.\n");
    assert_eq!(must(&p), [("Jira", None)]);
}

#[test]
fn an_english_day_of_month_is_a_date() {
    let p = parse("Consultant\nRequirements\n- Java\n\nDeadline: 3rd of March 2027\n");
    assert_eq!(day(p.assignment.expires_at).as_deref(), Some("2027-03-03"));
}

#[test]
fn years_cell_with_a_gloss_and_being_used_to_a_tool() {
    let p = parse(
        "PM\n\nRequirements\nSkill | Years | Must/Nice\nIT-arkitektur | 7+ (varav 2 som lösningsarkitekt) | Must\n",
    );
    assert_eq!(must(&p).first(), Some(&("IT architecture", Some(7.0))));
    let p = parse(
        "Tester\n\nWe believe you have 6+ years of software testing. You are used to running load tests in JMeter.\n",
    );
    assert!(must(&p).contains(&("Performance testing", None)), "{:?}", must(&p));
    let p = parse(
        "Testare\n\nDu har minst 6 års erfarenhet av mjukvarutestning och är van vid att skriva tester i Cypress.\n",
    );
    assert!(must(&p).contains(&("Cypress", None)), "{:?}", must(&p));
}

#[test]
fn running_a_product_is_a_skill_in_the_product() {
    let p = parse("Tekniker\nKrav\n- Erfarenhet av drift av Exchange Server\n- Förvaltning av Active Directory\n");
    let names: Vec<&str> = must(&p).into_iter().map(|(s, _)| s).collect();
    assert!(!names.contains(&"IT operations") && !names.contains(&"Application management"), "{names:?}");
    assert!(names.contains(&"Active Directory"), "{names:?}");
    let p = parse("Tester\nRequirements\n- Experience of testing against WCAG 2.1\n");
    assert_eq!(must(&p), [("Web accessibility", None)]);
    // Two skills filed directly under both: "k8s i Azure" is AKS.
    let p = parse("Engineer\nMust have\n- Hands-on k8s in Azure\n");
    assert_eq!(must(&p), [("Azure Kubernetes Service", None)]);
}

#[test]
fn a_heading_naming_its_columns_opens_a_table_with_years() {
    let p = parse("Utvecklare\n\nKompetensprofil (Kompetens – År – Krav/Merit)\nGo – 4 – Krav\nRust – – Merit\n");
    assert_eq!(must(&p), [("Go", Some(4.0))]);
    assert_eq!(can(&p), ["Rust"]);
    assert!(p.unrecognized.is_empty(), "{:?}", p.unrecognized);
}

#[test]
fn a_requirement_put_to_the_candidate_counts_under_a_description_heading() {
    let ad = "Utvecklare\n\nKrav\n- Java\n\nOm uppdraget\nDu kommer att leda arbetet i teamet.\n\n\
              Det är ett krav att du har arbetat med Kafka i produktion.\n";
    assert_eq!(must(&parse(ad)), [("Java", None), ("Apache Kafka", None)]);
    let ad = "Developer\n\nMust have\n- Docker\n\nResponsibilities\nYou will design services.\n\n\
              We are looking for someone with 8+ years of software development, at least 3 of them with Scala.\n";
    assert_eq!(must(&parse(ad)), [("Docker", None), ("Software development", Some(8.0)), ("Scala", Some(3.0))]);
    // Duties under the heading stay duties.
    let ad = "Developer\n\nMust have\n- Docker\n\nResponsibilities\nYou will build services in Kotlin as required by the team.\n";
    assert_eq!(must(&parse(ad)), [("Docker", None)]);
}

#[test]
fn held_already_or_willing_accepts_the_willing() {
    let p = parse(
        "Engineer\nRequirements\n- Java\n\nSecurity clearance level 2 applies. You must either already hold a clearance \
         or be willing to undergo security vetting.\n",
    );
    assert!(p.assignment.clearance.accept_willing);
}

#[test]
fn a_language_named_again_without_a_level_keeps_its_level() {
    let p = parse(
        "Konsult\nKrav\n- Java\n\nEngelska räcker på grundläggande nivå, men en del dokument är skrivna på engelska.\n",
    );
    assert_eq!(p.assignment.languages.len(), 1);
    assert_eq!(p.assignment.languages[0].min_level, Cefr::A2);
}

#[test]
fn a_preference_ends_before_a_later_verdict_and_a_big_plus_is_a_merit() {
    let p = parse(
        "Tekniker\n\nDu ska ha drivit nätverk i produktion, helst med Juniper, och grundläggande kunskaper i Python krävs.\n",
    );
    assert!(must(&p).iter().any(|(s, _)| *s == "Python"), "{:?}", must(&p));
    assert_eq!(can(&p), ["Juniper Networks"]);
    let p = parse("Engineer\n\nYou have at least 5 years with networks. Holding a CCIE is a big plus.\n");
    assert_eq!(can(&p), ["CCIE"]);
}

#[test]
fn a_good_understanding_of_a_method_is_a_gate_but_of_a_broad_field_background() {
    let p = parse("Agil coach\n\nKrav\n- God förståelse för Kanban\n- God förståelse för IT-infrastruktur\n");
    assert_eq!(must(&p), [("Kanban", None)]);
    assert_eq!(can(&p), ["IT infrastructure"]);
}

#[test]
fn a_broader_skill_after_a_narrower_one_names_its_purpose() {
    let p = parse("Utvecklare\nKrav\n- Erfarenhet av Subversion för versionshantering\n");
    assert_eq!(must(&p), [("Subversion", None)]);
}

#[test]
fn a_near_miss_among_a_skill_s_details_is_no_skill() {
    let p = parse("Engineer\nMust have\n- Ansible (roles, inventories, remote backends)\n");
    assert_eq!(must(&p), [("Ansible", None)]);
}

#[test]
fn a_swedish_word_with_its_diacritics_is_not_an_ascii_product_name() {
    let p = parse("Förvaltningsledare\nKrav\n- Kravställning inför upphandling\n");
    assert!(!must(&p).iter().any(|(s, _)| *s == "Infor M3"), "{:?}", must(&p));
}

#[test]
fn also_needed_is_needed_and_an_application_deadline_in_prose() {
    let p = parse(
        "Analyst\n\nYou have five years in a SOC. You also need a good knowledge of Splunk. \
         Please submit your application no later than 4 February 2027.\n",
    );
    assert!(must(&p).contains(&("Splunk", None)), "{:?}", must(&p));
    assert_eq!(day(p.assignment.expires_at).as_deref(), Some("2027-02-04"));
}

#[test]
fn merit_phrases_recruiters_use_and_a_merit_that_is_no_requirement() {
    let ad = "Konsult\n\nKunskap i PowerShell är meriterande men inget krav. Experience with Docker would be \
              beneficial. Knowledge of Python would be an asset. Exposure to Kubernetes is welcome. We value \
              experience with Jira. It would be great if you know React.\n";
    let p = parse(ad);
    let mut got = can(&p);
    got.sort_unstable();
    assert_eq!(got, ["Docker", "Jira", "Kubernetes", "PowerShell", "Python", "React"]);
}

#[test]
fn a_clearance_to_be_passed_and_its_level_after_a_preposition() {
    let p = parse("Konsult\nKrav\n- Java\n\nThe consultant must be able to pass a security clearance at level 1.\n");
    assert_eq!(p.assignment.clearance.required_level, ClearanceLevel::Sk1);
    assert!(p.assignment.clearance.accept_willing);
    let p = parse("Konsult\nKrav\n- Java\n\nKonsulten ska godkännas i säkerhetsprövning för säkerhetsklass 2.\n");
    assert_eq!(p.assignment.clearance.required_level, ClearanceLevel::Sk2);
    assert!(p.assignment.clearance.accept_willing);
}

#[test]
fn a_period_whose_first_day_borrows_the_year_and_an_end_cue_between_two_dates() {
    let p = parse("Konsult\nKrav\n- Java\n\nUppdragsperiod: 2 mars – 30 september 2027\n");
    assert_eq!(day(p.assignment.start_date).as_deref(), Some("2027-03-02"));
    assert_eq!(day(p.assignment.end_date).as_deref(), Some("2027-09-30"));
    let p = parse("Konsult\nKrav\n- Java\n\nUppdraget pågår 2027-04-06 t.o.m. 2027-11-30.\n");
    assert_eq!(day(p.assignment.start_date).as_deref(), Some("2027-04-06"));
    assert_eq!(day(p.assignment.end_date).as_deref(), Some("2027-11-30"));
    let p = parse("Konsult\nKrav\n- Java\n\nSlutdatum 2027-11-30 eller enligt överenskommelse.\n");
    assert_eq!(p.assignment.start_date, None);
}

#[test]
fn short_forms_between_and_around_skills() {
    let p = parse(
        "Konsult\nKrav\n- Systemförvaltn. enl. pm3\n- Proj.led. erf. från ERP-projekt\n- Testautomatisering (QA)\n- Sec Ops\n",
    );
    assert_eq!(
        must(&p),
        [("pm3", None), ("ERP project management", None), ("Test automation", None), ("Security operations", None)]
    );
}

#[test]
fn a_clause_of_duties_names_no_requirement() {
    let ad = "Utvecklare\n\nDu kommer att arbeta med Azure och Terraform, och du har minst 3 års erfarenhet av Kubernetes. \
              You will work closely with our Kafka team, and you have at least 4 years of Java. \
              You will need solid experience of Ansible.\n";
    assert_eq!(must(&parse(ad)), [("Kubernetes", Some(3.0)), ("Java", Some(4.0)), ("Ansible", None)]);
}

#[test]
fn numbered_section_headings_of_a_call_off() {
    let ad = "Call-off\n\n1. Background\nThe client runs Java services.\n\n2. Requirements\n- Minimum 5 years of Kotlin\n\n\
              3. Merits\n- Gradle\n\n4. Languages\nEnglish, fluent.\n";
    let p = parse(ad);
    assert_eq!(must(&p), [("Kotlin", Some(5.0))]);
    assert_eq!(can(&p), ["Gradle"]);
    // A numbered requirement is no heading.
    let p = parse("Konsult\n\nKrav\n1. Java\n2. Kommunikation\n");
    assert_eq!(must(&p), [("Java", None)]);
}

#[test]
fn a_related_skill_opening_a_bracket_glosses_the_one_before() {
    let p =
        parse("PM\nRequirements\n- Experience of hybrid project methods (agile sprints within a stage-gate model)\n");
    assert_eq!(must(&p), [("Hybrid project management", None)]);
}

#[test]
fn hybrid_technology_is_no_way_of_working_and_vidare_is_a_filler() {
    use crate::domain::WorkMode;
    let ad = "IAM\n\nKonsulten ska vidare ha god förståelse för Active Directory, inklusive hybridscenarier och hybrid identity.\n\
              Arbetet utförs på plats i Härnösand.\n";
    let p = parse(ad);
    assert_eq!(p.assignment.work_mode, Some(WorkMode::Onsite));
    assert_eq!(must(&p), [("Active Directory", None)]);
    let p = parse("Dev\nKrav\n- Java\n\nHybrid: två dagar på kontoret i Lund.\n");
    assert_eq!(p.assignment.work_mode, Some(WorkMode::Hybrid));
}

#[test]
fn vetting_and_requirements_under_other_and_a_clearance_not_required() {
    let ad = "DBA\n\nKrav\n- SQL Server\n\nÖvrigt\nEftersom servrarna kör Linux ska konsulten även ha erfarenhet av Ansible.\n\n\
              Konsulten kommer att genomgå säkerhetsprövning och placeras i säkerhetsklass 2 innan start.\n";
    let p = parse(ad);
    assert!(must(&p).contains(&("Ansible", None)), "{:?}", must(&p));
    assert_eq!(p.assignment.clearance.required_level, ClearanceLevel::Sk2);
    assert!(p.assignment.clearance.accept_willing);
    let p = parse(
        "Engineer\nRequirements\n- Go\n\nThe assignment does not require a security clearance. EU citizenship is required.\n",
    );
    assert_eq!(p.assignment.clearance.required_level, ClearanceLevel::None);
    assert!(!p.assignment.clearance.accept_willing);
    assert_eq!(p.assignment.clearance.citizenship.len(), 27);
}

#[test]
fn three_stems_share_one_head() {
    let p = parse("ITSM\nKrav\n- Erfarenhet av incident-, problem- och ändringshantering\n");
    assert_eq!(must(&p), [("Incident management", None), ("Problem management", None), ("IT change management", None)]);
}

#[test]
fn a_merit_after_a_comma_judges_its_own_clause_and_a_lead_in_opens_a_list() {
    let ad = "Utvecklare\n\nVi söker dig som\n- har erfarenhet av Docker, k8s är ett plus\n- har arbetat med Docker, Kubernetes och Helm är meriterande\n\n\
              Det är meriterande om du\n- har arbetat inom offentlig sektor\n";
    let p = parse(ad);
    assert_eq!(must(&p), [("Docker", None)]);
    let mut c = can(&p);
    c.sort_unstable();
    assert_eq!(c, ["Helm", "Kubernetes", "Public sector experience"]);
    // A merit phrase right after the comma judges what precedes it.
    let p = parse("Konsult\nKrav\n- erfarenhet av Terraform, är ett plus\n");
    assert_eq!(can(&p), ["Terraform"]);
}

#[test]
fn context_words_after_a_language_and_abbreviations_with_an_ampersand() {
    let ad = "Konsult\n\nKrav\n- Gedigen erfarenhet av R&S i större nät\n\n\
              Teamet har finska kollegor, så du behöver vara flytande i svenska och engelska.\n";
    let p = parse(ad);
    assert_eq!(must(&p), [("Routing and switching", None)]);
    let mut codes: Vec<String> = p.assignment.languages.iter().map(|l| l.code.to_string()).collect();
    codes.sort_unstable();
    assert_eq!(codes, ["en", "sv"]);
}

#[test]
fn a_vetting_not_in_question_and_office_days_with_remote_days() {
    use crate::domain::WorkMode;
    let p = parse("Konsult\nKrav\n- Java\n\nNågon säkerhetsprövning är inte aktuell för uppdraget.\n");
    assert_eq!(p.assignment.clearance.required_level, ClearanceLevel::None);
    let p = parse(
        "Consultant\nRequirements\n- Java\n\nYou work from the office in Lund on Mondays and remotely the rest of the week.\n",
    );
    assert_eq!(p.assignment.work_mode, Some(WorkMode::Hybrid));
    let p = parse("Konsult\nKrav\n- Java\n\nUppdragsslut: 31 mars 2027. Sista dag för att lämna anbud: 2027-01-20.\n");
    assert_eq!(day(p.assignment.end_date).as_deref(), Some("2027-03-31"));
    assert_eq!(day(p.assignment.expires_at).as_deref(), Some("2027-01-20"));
    let p = parse("Dev\n\nLanguage: fluent English, Swedish nice to have\n");
    let en = p.assignment.languages.iter().find(|l| l.code.to_string() == "en").unwrap();
    assert!(en.required);
}

#[test]
fn a_platform_shared_by_two_names_and_a_skill_applied_to_a_general_one() {
    // "Azure Monitor and governance": the second name is Azure's governance.
    let p = parse("Konsult\nKrav\n- God kunskap om Azure Monitor och governance\n");
    assert_eq!(must(&p), [("Azure Monitor", None), ("Azure governance", None)]);
    // A skill applied to a general one names what it works on.
    let p = parse("Consultant\nRequirements\n- Hands-on backup and restore of databases in production\n");
    assert_eq!(must(&p), [("Backup and recovery", None)]);
    let p = parse("Konsult\nKrav\n- Erfarenhet av säkerhetskopiering av databaser\n");
    assert_eq!(must(&p), [("Backup and recovery", None)]);
}

#[test]
fn weight_words_typos_and_familiarity_with_a_product() {
    // A merit with a weight word, and a clause that borrows the verdict ("as would …").
    let p = parse(
        "Consultant\n\nYou need Java. Experience from the energy sector would be a big advantage, as would knowledge of Jira.\n",
    );
    assert_eq!(must(&p), [("Java", None)]);
    assert_eq!(can(&p), ["Energy sector", "Jira"]);
    // A misspelt preference word still judges what follows it.
    let p = parse("Consultant\nMust have\n- Python, preferrably Django\n- Java (Spring Boot is prefered)\n");
    assert_eq!(must(&p), [("Python", None), ("Java", None)]);
    assert_eq!(can(&p), ["Django", "Spring Boot"]);
    // Familiarity with a named product under a must heading is asked: one knows it or not.
    let p = parse("Analyst\nMust have\n- Familiarity with Splunk\n\nNice to have\n- Familiarity with ISO 27001\n");
    assert_eq!(must(&p), [("Splunk", None)]);
    assert_eq!(can(&p), ["ISO 27001"]);
    // "FE"/"BE" before development name the web tiers.
    let p = parse("Dev\nMust haves\n- 4+ yrs BE development\n");
    assert_eq!(must(&p), [("Backend development", Some(4.0))]);
}

#[test]
fn where_the_work_is_done_and_more_preference_words() {
    // A broader skill after "i"/"in", with a narrower one of it named before: the place.
    let p = parse("Konsult\nMeriterande\n- har arbetat med SAP-behörigheter och rollutformning i SAP\n");
    assert_eq!(can(&p), ["SAP security and authorisations"]);
    // "The cloud" as where things run is no skill asked for.
    let p = parse("Konsult\nKrav\n- Erfarenhet av Intune, och av att flytta klienter till molnet\n");
    assert!(!can(&p).contains(&"Cloud computing") && !must(&p).iter().any(|(s, _)| *s == "Cloud computing"));
    // "företrädesvis", "med fördel", "with a preference for" judge what follows them.
    let p = parse(
        "Konsult\nSkall-krav\n- Goda kunskaper i Windows Server, företrädesvis 2022\n- Python, med fördel Django\n",
    );
    assert_eq!(must(&p), [("Windows Server", None), ("Python", None)]);
    assert_eq!(can(&p), ["Django"]);
    let p = parse("Engineer\nRequirements\n- Scripting, with a preference for PowerShell\n");
    assert_eq!(can(&p), ["PowerShell"]);
}

#[test]
fn a_bracket_listing_narrower_skills_asks_for_those() {
    let p = parse("Konsult\nMeriterande\n- Containrar (Docker, Podman)\n- Molnplattformar (AWS eller GCP)\n");
    assert_eq!(can(&p), ["Docker", "Podman", "Amazon Web Services", "Google Cloud Platform"]);
    // A bracket of examples, or one holding other words, keeps the general skill.
    let p = parse("Consultant\nRequirements\n- Containers (e.g. Docker, Podman)\n");
    assert_eq!(must(&p).first(), Some(&("Containers", None)));
    let p = parse("Consultant\nRequirements\n- Containers (Docker in production, Podman)\n");
    assert_eq!(must(&p).first(), Some(&("Containers", None)));
}

#[test]
fn a_slash_shares_the_modifier_and_a_good_understanding_of_a_domain_is_asked() {
    // "IT Infra/Ops": the word after the slash is read with "IT".
    let p = parse("Engineer\nRequirements\n- 8+ years in IT Infra/Ops\n");
    assert_eq!(must(&p), [("IT infrastructure", Some(8.0)), ("IT operations", Some(8.0))]);
    // A domain with no narrower skills is no broad field: a good understanding of it is
    // asked; one of a broad field stays background.
    let p = parse("Konsult\nKrav\n- God förståelse för ekonomiprocesser\n- God förståelse för IT-infrastruktur\n");
    assert_eq!(must(&p), [("Finance and accounting processes", None)]);
    assert_eq!(can(&p), ["IT infrastructure"]);
}

#[test]
fn a_call_off_header_a_based_on_qualifier_and_a_town_anywhere_in_sweden() {
    let ad = "Avrop: Testledare\nRamavtal: IT-konsulttjänster, område Informationssäkerhet\nBeställare: Region Gotland\n\n\
              Krav\n- ITIL-baserad incidenthantering\n- Ledningssystem för informationssäkerhet baserat på ISO 27001\n\n\
              Övrigt\nDet ska framgå av CV:t. Därutöver är det ett krav att konsulten har erfarenhet av riskhantering.\n\n\
              Placering: Tomelilla. Arbetet sker i kundens lokaler.\n";
    let p = parse(ad);
    assert_eq!(must(&p), [("Incident management", None), ("ISO 27001", None), ("Risk management", None)]);
    assert!(can(&p).is_empty(), "{:?}", can(&p));
    assert_eq!(p.assignment.location.as_ref().and_then(|l| l.city.as_deref()), Some("Tomelilla"));
    // A bracket of merits after a skill keeps both, each with its kind.
    let p = parse("Engineer\nMust have\n- Azure (AKS is a plus)\n");
    assert_eq!(must(&p), [("Microsoft Azure", None)]);
    assert_eq!(can(&p), ["Azure Kubernetes Service"]);
}

#[test]
fn a_language_cut_short_a_vetting_before_the_start_and_what_is_needed() {
    let p = parse(
        "Konsult\n\nSkall\n- Sv. flytande i tal och skrift\n- Java\n\nÖvrigt\nSäkerhetsprövning genomförs innan start.\n",
    );
    let sv = p.assignment.languages.iter().find(|l| l.code.to_string() == "sv").unwrap();
    assert_eq!((sv.min_level, sv.required), (Cefr::C1, true));
    assert_eq!(p.assignment.clearance.required_level, ClearanceLevel::Sk3);
    assert!(p.assignment.clearance.accept_willing);
    // "Sv" without its level is no language; a vetting of the client's own staff is no requirement.
    let p = parse(
        "Konsult\n\nKrav\n- Java\n\nOm oss\nVi har kontor i Sv. Lund. Kunden arbetar med säkerhetsprövning av sin personal.\n",
    );
    assert!(p.assignment.languages.is_empty());
    assert_eq!(p.assignment.clearance.required_level, ClearanceLevel::None);
    let p = parse(
        "Consultant\n\nRequirements\n- Java\n\nOther\nGood English is needed, since the documentation is in English.\n",
    );
    assert_eq!(
        p.assignment.languages.iter().map(|l| (l.code.to_string(), l.min_level)).collect::<Vec<_>>(),
        [("en".to_string(), Cefr::B2)]
    );
}

#[test]
fn a_name_wrapped_across_lines_and_a_relative_clause_of_the_environment() {
    let ad = "Konsult\n\nDet är meriterande om du har goda kunskaper i verktyget Microsoft Dynamics 365\n\
              Business Central, som kunden använder idag, och av MES-system i en tillverkande miljö.\n";
    let p = parse(ad);
    assert_eq!(can(&p), ["Dynamics 365 Business Central", "Manufacturing execution systems"]);
    // Labelled lines stay apart however wide.
    let p = parse(
        "Konsult\n\nMust have: Databricks; Apache Spark (4+ yrs); Python; Azure Data Factory\nNice to have: dbt\n",
    );
    assert_eq!(can(&p), ["dbt"]);
}

#[test]
fn a_heading_of_both_kinds_lets_each_line_say_which() {
    let ad = "Konsult\n\nKrav och meriter\nVi söker en konsult med minst 6 års erfarenhet av Java. Erfarenhet av Kotlin.\n- Config mgmt tooling\n";
    let p = parse(ad);
    assert_eq!(must(&p), [("Java", Some(6.0))]);
    assert_eq!(can(&p), ["Kotlin", "Configuration management tools"]);
}
