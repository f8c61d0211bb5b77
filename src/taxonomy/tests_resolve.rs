//! The resolution table: positive cases in both languages and look-alike pairs that must
//! stay apart. The near-miss limits in `near.rs` were chosen from these cases:
//!
//! * Typos people actually make in skill names are overwhelmingly one edit: two neighbours
//!   swapped ("Dokcer", "Pyhton", "Kubernetse"), a missing letter ("Jenkis", "Kuberntes",
//!   "Projektlednig") or a doubled one ("Ledarskapp"). Only long Swedish compounds and
//!   inflected forms need two ("Systemförvaltningen", "Konflikhantering").
//! * The look-alikes that must stay apart are different: at five letters and fewer any single
//!   edit reaches another real name ("Scala"/"Scale", "Perl"/"Pearl", "Lean"/"Learn"), so short
//!   names are never fuzzed. At six and seven letters a *substituted* letter does the same
//!   ("Sprint"/"Spring", "Packet"/"Packer", "Docket"/"Docker", "Flatter"/"Flutter") while swaps
//!   and missing letters are still typos — so substitutions need eight letters. A different
//!   first letter below twelve letters is another word ("Jython"/"Python", "Rocker"/"Docker",
//!   "Readership"/"Leadership"). Two edits at ten letters turn the Swedish "Informatik" into
//!   the ETL tool Informatica, so two edits need twelve letters. A changed digit is another
//!   standard or version ("ISO 27003"/"ISO 27001"). The pairs are in `tests_lookalikes.rs`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;

use crate::domain::ResolveMethod;
use crate::domain::ResolveMethod::{Alias, Exact, Fuzzy};

pub(super) fn taxonomy() -> Taxonomy {
    Taxonomy::builtin().unwrap()
}

/// (input, expected skill id, expected method)
const POSITIVE: &[(&str, &str, ResolveMethod)] = &[
    // Industries
    ("Energibranschen", "energy-sector", Exact),
    ("energy industry", "energy-sector", Alias),
    ("Bank och finans", "banking-finance", Exact),
    ("financial services", "banking-finance", Alias),
    ("Försäkringsbranschen", "insurance-sector", Alias),
    ("Detaljhandeln", "retail-sector", Alias),
    ("tillverkande industri", "manufacturing-industry", Alias),
    ("Fordonsindustrin", "automotive-industry", Alias),
    ("Logistikbranschen", "logistics-transport", Alias),
    ("IEC 62304", "medical-devices", Alias),
    ("Medtech", "medical-devices", Alias),
    ("Life science", "pharma-life-science", Alias),
    // English labels
    ("Project management", "project-management", Exact),
    ("IT infrastructure project management", "it-infrastructure-project-management", Exact),
    ("Agile project management", "agile-project-management", Exact),
    ("Waterfall", "waterfall", Exact),
    ("IT security", "it-security", Exact),
    ("Project management tools", "project-management-tools", Exact),
    ("IT service management", "itsm", Exact),
    ("IT frameworks", "it-frameworks", Exact),
    ("Server systems", "server-systems", Exact),
    ("Leadership", "leadership", Exact),
    ("Planning", "planning", Exact),
    ("Strategic thinking", "strategic-thinking", Exact),
    ("Communication", "communication", Exact),
    ("Reliability", "reliability", Exact),
    ("Teamwork", "teamwork", Exact),
    ("Conflict management", "conflict-management", Exact),
    ("Application management", "application-management", Exact),
    ("Kubernetes", "kubernetes", Exact),
    ("VMware", "vmware", Exact),
    ("ITIL", "itil", Exact),
    ("Scrum", "scrum", Exact),
    ("SAFe", "safe", Exact),
    ("Kanban", "kanban", Exact),
    ("PRINCE2", "prince2", Exact),
    ("Microsoft Azure", "azure", Exact),
    ("Azure DevOps", "azure-devops", Exact),
    ("Amazon Web Services", "aws", Exact),
    ("Google Cloud Platform", "gcp", Exact),
    ("Docker", "docker", Exact),
    ("Red Hat OpenShift", "openshift", Exact),
    ("ISO 27001", "iso-27001", Exact),
    ("SIEM", "siem", Exact),
    ("Java", "java", Exact),
    ("JavaScript", "javascript", Exact),
    ("TypeScript", "typescript", Exact),
    ("C", "c", Exact),
    ("C#", "csharp", Exact),
    ("C++", "cpp", Exact),
    ("F#", "fsharp", Exact),
    (".NET", "dotnet", Exact),
    ("Node.js", "nodejs", Exact),
    ("CI/CD", "ci-cd", Exact),
    ("Go", "go", Exact),
    ("SQL", "sql", Exact),
    ("PostgreSQL", "postgresql", Exact),
    ("SAP", "sap", Exact),
    ("Public procurement", "public-procurement", Exact),
    ("Fortinet", "fortinet", Exact),
    ("SD-WAN", "sd-wan", Exact),
    ("Hyper-V", "hyper-v", Exact),
    ("Windows Server", "windows-server", Exact),
    ("Power BI", "power-bi", Exact),
    ("Machine learning", "machine-learning", Exact),
    ("ServiceNow", "servicenow", Exact),
    ("Jira", "jira", Exact),
    // versions are stripped before lookup
    ("ITIL 4", "itil", Exact),
    ("ITIL v3", "itil", Exact),
    ("itil version 4", "itil", Exact),
    ("Windows Server 2019", "windows-server", Exact),
    ("Java 17", "java", Exact),
    ("Python 3.x", "python", Exact),
    ("Angular 17", "angular", Exact),
    ("SAFe 6.0", "safe", Exact),
    ("VMware vSphere 8", "vmware", Alias),
    // case, whitespace and punctuation
    ("  project   MANAGEMENT ", "project-management", Exact),
    ("kubernetes.", "kubernetes", Exact),
    ("c#", "csharp", Exact),
    ("NODE.JS", "nodejs", Exact),
    // Swedish labels
    ("Projektledning", "project-management", Exact),
    ("Agil projektledning", "agile-project-management", Exact),
    ("Systemförvaltning", "application-management", Exact),
    ("Ledarskap", "leadership", Exact),
    ("Kommunikation", "communication", Exact),
    ("Planering", "planning", Exact),
    ("Konflikthantering", "conflict-management", Exact),
    ("Samarbetsförmåga", "teamwork", Exact),
    ("Pålitlighet", "reliability", Exact),
    ("Organisationsförmåga", "organisational-skills", Exact),
    ("Strategiskt tänkande", "strategic-thinking", Exact),
    ("Pedagogik", "pedagogy", Exact),
    ("IT-säkerhet", "it-security", Exact),
    ("IT säkerhet", "it-security", Exact),
    ("Informationssäkerhet", "information-security", Exact),
    ("Säkerhetsskydd", "protective-security", Exact),
    ("Offentlig upphandling", "public-procurement", Exact),
    ("Kravställning", "requirements-specification", Exact),
    ("Nätverk", "networking", Exact),
    ("NÄTVERK", "networking", Exact),
    ("Na\u{308}tverk", "networking", Exact),
    ("Brandväggar", "firewalls", Exact),
    ("Molntjänster", "cloud-computing", Exact),
    ("Virtualisering", "virtualisation", Exact),
    ("Agila metoder", "agile-methods", Exact),
    ("Vattenfallsmetoden", "waterfall", Exact),
    ("Projektledningsverktyg", "project-management-tools", Exact),
    ("IT-ramverk", "it-frameworks", Exact),
    ("Serversystem", "server-systems", Exact),
    ("Incidenthantering", "incident-management", Exact),
    ("Förändringsledning", "change-leadership", Exact),
    ("Verksamhetsarkitektur", "enterprise-architecture", Exact),
    ("Maskininlärning", "machine-learning", Exact),
    ("Affärssystem", "erp", Exact),
    ("Säkerhetsprövning", "security-clearance", Exact),
    ("Kravhantering", "requirements-management", Exact),
    ("Versionshantering", "version-control", Exact),
    ("Infrastruktur som kod", "infrastructure-as-code", Exact),
    ("Systemutveckling", "software-development", Exact),
    ("Förfrågningsunderlag", "tender-documents", Exact),
    ("Ramavtal", "framework-agreements", Exact),
    ("Dataskyddsförordningen", "gdpr", Exact),
    // aliases and abbreviations, both languages
    ("k8s", "kubernetes", Alias),
    ("K8S", "kubernetes", Alias),
    ("ITIL4", "itil", Alias),
    ("ITIL Foundation", "itil", Alias),
    ("LOU", "public-procurement", Alias),
    ("PM tools", "project-management-tools", Alias),
    ("infraprojektledning", "it-infrastructure-project-management", Alias),
    ("Infrastructure project management", "it-infrastructure-project-management", Alias),
    ("Projektledare", "project-management", Alias),
    ("agile", "agile-methods", Alias),
    ("agila arbetssätt", "agile-methods", Alias),
    ("AKS", "azure-kubernetes-service", Alias),
    ("EKS", "aws-eks", Alias),
    ("GKE", "gke", Alias),
    ("AWS", "aws", Alias),
    ("GCP", "gcp", Alias),
    ("Azure", "azure", Alias),
    ("M365", "microsoft-365", Alias),
    ("Office 365", "microsoft-365", Alias),
    ("AD", "active-directory", Alias),
    ("Azure AD", "entra-id", Alias),
    ("IAM", "identity-and-access-management", Alias),
    ("Behörighetshantering", "identity-and-access-management", Alias),
    ("SSO", "single-sign-on", Alias),
    ("MFA", "mfa", Alias),
    ("SOC", "security-operations", Alias),
    ("EDR", "endpoint-security", Alias),
    ("NIS2", "nis2", Alias),
    ("NIS 2", "nis2", Alias),
    ("Cybersäkerhetslagen", "nis2", Alias),
    ("ISO/IEC 27001:2022", "iso-27001", Alias),
    ("ISO27001", "iso-27001", Alias),
    ("säkerhetsskyddslagen", "protective-security", Alias),
    ("JS", "javascript", Alias),
    ("golang", "go", Alias),
    ("csharp", "csharp", Alias),
    ("C sharp", "csharp", Alias),
    ("cpp", "cpp", Alias),
    ("dotnet", "dotnet", Alias),
    (".NET Core", "dotnet", Alias),
    ("ASP.NET Core", "aspnet", Alias),
    ("nodejs", "nodejs", Alias),
    ("ReactJS", "react", Alias),
    ("Postgres", "postgresql", Alias),
    ("MSSQL", "sql-server", Alias),
    ("SQL Server 2019", "sql-server", Alias),
    ("PL/SQL", "pl-sql", Exact),
    ("RHEL", "red-hat-enterprise-linux", Alias),
    ("ESXi", "vmware", Alias),
    ("vCenter", "vmware", Alias),
    ("HyperV", "hyper-v", Alias),
    ("SCCM", "sccm", Alias),
    ("GenAI", "generative-ai", Alias),
    ("LLM", "generative-ai", Alias),
    ("RPA", "rpa", Alias),
    ("BPMN", "business-process-modelling", Alias),
    ("SLA", "service-level-management", Alias),
    ("CMDB", "configuration-management-itsm", Alias),
    ("helpdesk", "service-desk", Alias),
    ("PSM I", "scrum-master", Alias),
    ("Prince 2", "prince2", Alias),
    ("IPMA level C", "ipma", Alias),
    ("MS Project", "ms-project", Alias),
    ("förvaltning", "application-management", Alias),
    ("applikationsförvaltning", "application-management", Alias),
    ("Team player", "teamwork", Alias),
    ("lagspelare", "teamwork", Alias),
    ("stresstålig", "resilience", Alias),
    ("Leadership skills", "leadership", Alias),
    ("Strategic competence", "strategic-thinking", Alias),
    ("Knowledge of server systems", "server-systems", Alias),
    ("organizational skills", "organisational-skills", Alias),
    ("Conflict resolution", "conflict-management", Alias),
    ("communication skills", "communication", Alias),
    ("kommunikativ", "communication", Alias),
    ("Service management", "itsm", Alias),
    ("IT infrastructure projects", "it-infrastructure-project-management", Alias),
    ("upphandling", "public-procurement", Alias),
    ("digitalisering", "digital-transformation", Alias),
    // spelled without diacritics
    ("Natverk", "networking", Fuzzy),
    ("Sakerhetsskydd", "protective-security", Fuzzy),
    ("Systemforvaltning", "application-management", Fuzzy),
    ("Kravstallning", "requirements-specification", Fuzzy),
    ("Palitlighet", "reliability", Fuzzy),
    ("Forandringsledning", "change-leadership", Fuzzy),
    ("Brandvaggar", "firewalls", Fuzzy),
    ("Informationssakerhet", "information-security", Fuzzy),
    ("IT-sakerhet", "it-security", Fuzzy),
    ("Forfragningsunderlag", "tender-documents", Fuzzy),
    ("Samarbetsformaga", "teamwork", Fuzzy),
    ("Maskininlarning", "machine-learning", Fuzzy),
    ("Affarssystem", "erp", Fuzzy),
    ("Sakerhetsprovning", "security-clearance", Fuzzy),
    ("Arendehantering", "request-fulfilment", Fuzzy),
    // near-miss spellings
    ("Kuberntes", "kubernetes", Fuzzy),
    ("Kubernetse", "kubernetes", Fuzzy),
    ("Projektlednig", "project-management", Fuzzy),
    ("Projektledninng", "project-management", Fuzzy),
    ("Systemförvaltnig", "application-management", Fuzzy),
    ("Systemförvaltningen", "application-management", Fuzzy),
    ("Ansibel", "ansible", Fuzzy),
    ("Dokcer", "docker", Fuzzy),
    ("Terrafrom", "terraform", Fuzzy),
    ("Jenkis", "jenkins", Fuzzy),
    ("PostgreSLQ", "postgresql", Fuzzy),
    ("Elasticsearh", "elasticsearch", Fuzzy),
    ("ServiceNwo", "servicenow", Fuzzy),
    ("Confluense", "confluence", Fuzzy),
    ("Kommunikaton", "communication", Fuzzy),
    ("Ledarskapp", "leadership", Fuzzy),
    ("Konflikhantering", "conflict-management", Fuzzy),
    ("Informationsäkerhet", "information-security", Fuzzy),
    ("Virtualsation", "virtualisation", Fuzzy),
    ("Kravhanterng", "requirements-management", Fuzzy),
    ("Pedagogick", "pedagogy", Fuzzy),
    ("Leadershp", "leadership", Fuzzy),
    ("Teamwrok", "teamwork", Fuzzy),
    ("Waterfal", "waterfall", Fuzzy),
    ("Microsft Azure", "azure", Fuzzy),
    ("Amazon Web Servies", "aws", Fuzzy),
    ("Kanbna", "kanban", Fuzzy),
    ("Javscript", "javascript", Fuzzy),
    ("Typescirpt", "typescript", Fuzzy),
    ("Pyhton", "python", Fuzzy),
    ("Kotiln", "kotlin", Fuzzy),
    ("Angluar", "angular", Fuzzy),
    ("Djnago", "django", Fuzzy),
    ("Säkerhetskydd", "protective-security", Fuzzy),
    ("Upphandlnig", "public-procurement", Fuzzy),
    ("Offentlig upphandlig", "public-procurement", Fuzzy),
    ("Mathlab", "matlab", Fuzzy),
    ("Fortan", "fortran", Fuzzy),
    ("Agil projektlednign", "agile-project-management", Fuzzy),
    ("IT infrastucture project managment", "it-infrastructure-project-management", Fuzzy),
];

pub(super) fn id_of(t: &Taxonomy, r: &Resolution) -> Option<String> {
    r.skill.map(|i| t.skill(i).unwrap().id.clone())
}

#[test]
fn resolution_table_positive_cases() {
    let t = taxonomy();
    assert!(POSITIVE.len() >= 150, "{} positive cases", POSITIVE.len());
    let mut failures = Vec::new();
    for &(input, want, method) in POSITIVE {
        let r = t.resolve(input);
        if id_of(&t, &r).as_deref() != Some(want) || r.method != Some(method) {
            failures.push(format!("{input:?}: want {want} by {method:?}, got {:?} by {:?}", id_of(&t, &r), r.method));
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn via_and_matched_report_which_name_was_hit() {
    let t = taxonomy();
    let r = t.resolve("Agil projektledning");
    assert_eq!((r.via, r.matched.as_deref(), r.similarity), (Via::LabelSv, Some("Agil projektledning"), 1.0));
    let r = t.resolve("agile project management");
    assert_eq!((r.via, r.matched.as_deref()), (Via::LabelEn, Some("Agile project management")));
    let r = t.resolve("K8s");
    assert_eq!((r.via, r.matched.as_deref()), (Via::Alias, Some("k8s")));
    let r = t.resolve("Natverk");
    assert_eq!((r.method, r.via, r.matched.as_deref(), r.similarity), (Some(Fuzzy), Via::Folded, Some("Nätverk"), 1.0));
    let r = t.resolve("Kuberntes");
    assert_eq!((r.method, r.via, r.matched.as_deref()), (Some(Fuzzy), Via::NearMiss, Some("Kubernetes")));
    assert!((r.similarity - 0.9).abs() < 1e-6, "{}", r.similarity);
    assert_eq!(Via::LabelSv.describe(), "Swedish label");
    assert_eq!(Fuzzy.as_str(), "fuzzy");
}

#[test]
fn unknown_and_empty_names_stay_unresolved() {
    let t = taxonomy();
    for name in ["", "   ", "!!", "Quantum basket weaving", "xyz", "Erlangen", "Stockholm"] {
        assert_eq!(t.resolve(name), Resolution::unresolved(), "{name:?}");
    }
    assert_eq!(Resolution::unresolved().via.describe(), "not in the taxonomy");
    assert_eq!(Resolution::unresolved().method, None);
}
