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
        if matches!(r.method, Method::Fuzzy) && r.via == Via::NearMiss {
            failures.push(format!("{input:?} was fuzzed to {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}
