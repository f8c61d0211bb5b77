//! Look-alike names that must stay apart (see `tests_resolve.rs` for what they showed
//! about the near-miss limits).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::tests_resolve::{id_of, taxonomy};
use super::*;

/// Look-alike pairs: resolving the first must never give the second. When the first is a
/// name in the taxonomy it must resolve to its own skill; otherwise it must stay unresolved.
const NEGATIVE: &[(&str, &str)] = &[
    ("Java", "javascript"),
    ("JavaScript", "java"),
    ("Integration design", "ux-design"),
    ("inför", "infor"),
    ("Dynamics ERP", "dynamics-crm"),
    ("Microsoft Dynamics ERP", "dynamics-crm"),
    ("C", "csharp"),
    ("C#", "c"),
    ("C", "cpp"),
    ("C++", "c"),
    ("F#", "csharp"),
    ("SQL", "nosql"),
    ("NoSQL", "sql"),
    ("Scala", "scrum"),
    ("Scrum", "scala"),
    ("TypeScript", "javascript"),
    ("Git", "go"),
    ("React", "redux"),
    ("Redux", "react"),
    ("Azure DevOps", "azure"),
    ("Azure", "azure-devops"),
    ("ISO 27002", "iso-27001"),
    ("ISO 27003", "iso-27001"),
    ("Jython", "python"),
    ("Scale", "scala"),
    ("Scalar", "scala"),
    ("Just", "rust"),
    ("Pearl", "perl"),
    ("Shift", "swift"),
    ("Sprint", "spring"),
    ("Packet", "packer"),
    ("Docket", "docker"),
    ("Rocker", "docker"),
    ("Flatter", "flutter"),
    ("Sensible", "ansible"),
    ("Granada", "grafana"),
    ("Linus", "linux"),
    ("Unix", "unity"),
    ("Unity", "unix"),
    ("CSV", "css"),
    ("XAML", "json"),
    ("Azur", "azure"),
    ("Jura", "jira"),
    ("Learn", "lean"),
    ("LeSS", "lean"),
    ("PMP", "php"),
    ("PHP", "pmp"),
    ("Ada", "kammarkollegiet"),
    ("Adda", "ada"),
    ("Fortran", "fortnox"),
    ("Fortnox", "fortran"),
    ("Spring", "spring-boot"),
    ("Windows", "windows-server"),
    ("Windows Server", "windows-client"),
    ("Security", "security-clearance"),
    ("Planning", "project-planning"),
    ("Självledarskap", "leadership"),
    ("MySQL", "sql-server"),
    ("MSSQL", "mysql"),
    ("PostgreSQL", "plpgsql"),
    ("BGP", "business-continuity"),
    ("BCP", "bgp"),
    ("NAS", "network-access-control"),
    ("NAC", "storage"),
    ("VPN", "aws-vpc"),
    ("VPC", "vpn"),
    ("SOA", "security-operations"),
    ("DMS", "dns-dhcp"),
    ("GitLab", "github"),
    ("GitHub", "gitlab"),
    ("Apache Spark", "apache-kafka"),
    ("Apache Flume", "apache-flink"),
    ("Apache Storm", "search-engines"),
    ("TeamCity", "teamwork"),
    ("Informatik", "informatica"),
    ("Readership", "leadership"),
    ("Fragile", "agile-methods"),
    ("Exel", "excel"),
];

#[test]
fn resolution_table_negative_pairs_stay_apart() {
    let t = taxonomy();
    assert!(NEGATIVE.len() >= 40, "{} negative pairs", NEGATIVE.len());
    let mut failures = Vec::new();
    for &(input, other) in NEGATIVE {
        assert!(t.index_of(other).is_some(), "unknown id {other}");
        let r = t.resolve(input);
        let got = id_of(&t, &r);
        if got.as_deref() == Some(other) {
            failures.push(format!("{input:?} resolved to {other}"));
        }
        if matches!(r.method, Some(crate::domain::ResolveMethod::Fuzzy)) && r.via == Via::NearMiss {
            failures.push(format!("{input:?} was fuzzed to {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}

/// Swedish compounds of known parts, with and without a hyphen or a linking -s-, and the
/// skill each must resolve to.
const COMPOUNDS: &[(&str, &str)] = &[
    ("IT-infrastrukturprojektledning", "it-infrastructure-project-management"),
    ("Scrumledare", "scrum-master"),
    ("nätverkssäkerhetsarbete", "network-security"),
    ("Natverkssakerhetsarbete", "network-security"),
    ("Molnsäkerhetsarbete", "cloud-security"),
    ("Kubernetesmiljöer", "kubernetes"),
    ("Javautvecklare", "java"),
    ("IT-säkerhetskunskap", "it-security"),
    ("Projektledningserfarenhet", "project-management"),
    ("Agilprojektledning", "agile-project-management"),
    ("ITIL-kunskaper", "itil"),
];

/// Look-alikes of compounds: words that contain a skill's name, or split into known parts,
/// but are not that skill. Resolving the first must never give the second.
const NOT_COMPOUNDS: &[(&str, &str)] = &[
    ("Gitarrist", "git"),
    ("Rustning", "rust"),
    ("Reactor", "react"),
    ("Sparkcykel", "apache-spark"),
    ("Säkerhetschef", "chef"),
    ("Javaskript", "java"),
    ("Scrumptious", "scrum"),
    ("Pythonorm", "python"),
    ("Projektering", "project-management"),
    ("Ledarskapsutbildning", "training-delivery"),
    ("Nätverkskabel", "networking"),
    ("Testledarskap", "leadership"),
    ("Linuxkunskapare", "linux"),
    ("Kanslist", "kanban"),
];

#[test]
fn swedish_compounds_of_known_parts_resolve() {
    let t = taxonomy();
    let mut failures = Vec::new();
    for &(input, want) in COMPOUNDS {
        assert!(t.index_of(want).is_some(), "unknown id {want}");
        let r = t.resolve(input);
        if id_of(&t, &r).as_deref() != Some(want) {
            failures.push(format!("{input:?} → {:?} ({:?}), want {want}", id_of(&t, &r), r.via));
        } else if r.via != Via::Compound
            || r.method != Some(crate::domain::ResolveMethod::Fuzzy)
            || r.similarity != COMPOUND_SIMILARITY
        {
            failures.push(format!("{input:?} resolved {:?}/{:?}/{}", r.method, r.via, r.similarity));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn look_alikes_are_not_split_into_something_else() {
    let t = taxonomy();
    let mut failures = Vec::new();
    for &(input, other) in NOT_COMPOUNDS {
        assert!(t.index_of(other).is_some(), "unknown id {other}");
        let r = t.resolve(input);
        if id_of(&t, &r).as_deref() == Some(other) {
            failures.push(format!("{input:?} resolved to {other} via {:?}", r.via));
        }
        if r.via == Via::Compound {
            failures.push(format!("{input:?} was read as a compound of {:?}", id_of(&t, &r)));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn compounds_are_found_in_text_with_their_whole_span() {
    let t = taxonomy();
    let text = "Erfarenhet av IT-infrastrukturprojektledning, som Scrumledare och av nätverkssäkerhetsarbete.";
    let found: Vec<(String, &str)> =
        t.find_in_text(text).iter().map(|m| (t.skill(m.skill).unwrap().id.clone(), &text[m.start..m.end])).collect();
    let want = [
        ("it-infrastructure-project-management".to_string(), "IT-infrastrukturprojektledning"),
        ("scrum-master".to_string(), "Scrumledare"),
        ("network-security".to_string(), "nätverkssäkerhetsarbete"),
    ];
    assert_eq!(found, want);
}
