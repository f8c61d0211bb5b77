//! Issue 28: short forms and informal names resolve, look-alikes (Swedish compounds and
//! English product names) never merge, and more resolution cases in both languages.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::tests_resolve::{id_of, taxonomy};
use crate::domain::ResolveMethod;
use crate::domain::ResolveMethod::{Alias, Exact, Fuzzy};

/// (input, expected skill id, expected method): short forms, informal names, Swedish and
/// English spellings, versions and cases.
const MORE: &[(&str, &str, ResolveMethod)] = &[
    // Short forms written out or glued (abbrev.rs).
    ("Proj. Mgmt", "project-management", Alias),
    ("proj mgmt", "project-management", Alias),
    ("Project Mgmt", "project-management", Alias),
    ("Project mgt", "project-management", Alias),
    ("Risk mgmt", "risk-management", Alias),
    ("Risk Mgmt.", "risk-management", Alias),
    ("Sys admin", "system-administration-role", Alias),
    ("Sys. Admin", "system-administration-role", Alias),
    ("sys adm", "system-administration-role", Alias),
    ("Sysadm", "system-administration-role", Alias),
    ("Azure admin", "azure-administration", Alias),
    ("Azure Dev Ops", "azure-devops", Alias),
    ("Infra automation", "infrastructure-automation", Alias),
    ("Infra as code", "infrastructure-as-code", Alias),
    ("Infra projects", "it-infrastructure-project-management", Alias),
    ("IT infra", "it-infrastructure", Alias),
    ("Network Eng.", "networking", Alias),
    ("network eng", "networking", Alias),
    ("IT Ops", "it-operations", Alias),
    ("proj.led.", "project-management", Alias),
    ("Proj.led", "project-management", Alias),
    ("projled", "project-management", Alias),
    ("förvaltn.", "application-management", Alias),
    ("K8s", "kubernetes", Alias),
    ("k8s admin", "kubernetes", Alias),
    ("Config mgmt tools", "configuration-management-tools", Alias),
    ("DB admin", "database-administration", Alias),
    ("Incident mgmt", "incident-management", Alias),
    ("Problem mgmt", "problem-management", Alias),
    ("Release mgmt", "release-management", Alias),
    ("Test mgmt", "test-management", Alias),
    ("Stakeholder mgmt", "stakeholder-management", Alias),
    ("Vulnerability mgmt", "vulnerability-management", Alias),
    ("Identity and access mgmt", "identity-and-access-management", Alias),
    ("Service level mgmt", "service-level-management", Alias),
    ("Knowledge mgmt", "knowledge-management", Alias),
    ("Change mgmt", "change-management-itsm", Alias),
    ("Programme mgmt", "programme-management", Alias),
    ("Product mgmt", "product-management", Alias),
    ("Requirements mgmt", "requirements-management", Alias),
    ("Contract mgmt", "contract-management", Alias),
    ("Budget mgmt", "budget-management", Alias),
    ("Data eng.", "data-engineering", Alias),
    ("Software dev", "software-development", Alias),
    ("Web dev", "web-development", Alias),
    ("Frontend dev", "frontend-development", Alias),
    ("Backend dev", "backend-development", Alias),
    ("Full-stack dev", "fullstack-development", Alias),
    ("Mobile app dev", "mobile-development", Alias),
    ("Database admin", "database-administration", Alias),
    // Aliases added for issue 28.
    ("infraprojekt", "it-infrastructure-project-management", Alias),
    ("Infrastructure projects", "it-infrastructure-project-management", Alias),
    ("IT-infrastrukturprojekt", "it-infrastructure-project-management", Alias),
    ("Prestandatest", "performance-testing", Alias),
    ("prestandatester", "performance-testing", Alias),
    ("Riskanalyser", "risk-management", Alias),
    ("Finance processes", "finance-processes", Alias),
    ("Financial processes", "finance-processes", Alias),
    ("Azure Machine Learning", "azure-machine-learning", Exact),
    ("Azure ML", "azure-machine-learning", Alias),
    // Labels in either language, any case.
    ("IT INFRASTRUCTURE PROJECT MANAGEMENT", "it-infrastructure-project-management", Exact),
    ("projektledning inom it-infrastruktur", "it-infrastructure-project-management", Exact),
    ("Systemförvaltning", "application-management", Exact),
    ("systemadministration", "system-administration-role", Exact),
    ("Nätverkssäkerhet", "network-security", Exact),
    ("Informationssäkerhet", "information-security", Exact),
    ("IT-drift", "it-operations", Exact),
    ("it drift", "it-operations", Exact),
    ("Riskhantering", "risk-management", Exact),
    ("Testledning", "test-management", Exact),
    ("Servicedesk", "service-desk", Exact),
    ("Offentlig upphandling", "public-procurement", Exact),
    ("Infrastruktur som kod", "infrastructure-as-code", Exact),
    ("Infrastrukturautomation", "infrastructure-automation", Exact),
    ("Ekonomiprocesser", "finance-processes", Exact),
    ("Prestandatestning", "performance-testing", Exact),
    ("Routing and switching", "routing-switching", Exact),
    ("Network operations", "network-operations", Exact),
    ("Security operations", "security-operations", Exact),
    ("Security incident response", "incident-response", Exact),
    ("Threat intelligence", "threat-intelligence", Exact),
    ("Threat modelling", "cyber-threat-modelling", Exact),
    ("Identity and access management", "identity-and-access-management", Exact),
    ("Enterprise architecture", "enterprise-architecture", Exact),
    ("Integration architecture", "integration-architecture", Exact),
    ("Security architecture", "security-architecture", Exact),
    ("Event-driven architecture", "event-driven-architecture", Exact),
    ("Mobile app development", "mobile-development", Exact),
    ("Android development", "android", Exact),
    ("Data analysis", "data-analytics", Exact),
    ("Data engineering", "data-engineering", Exact),
    ("Machine learning", "machine-learning", Exact),
    ("ServiceNow development", "servicenow-development", Exact),
    ("Incident management", "incident-management", Exact),
    ("IT change management", "change-management-itsm", Exact),
    ("Configuration management database", "configuration-management-itsm", Exact),
    ("Test automation", "test-automation", Exact),
    ("Performance testing", "performance-testing", Exact),
    ("Public sector experience", "public-sector", Exact),
    ("Swedish protective security", "protective-security", Exact),
    ("Risk and vulnerability analysis", "risk-and-vulnerability-analysis", Exact),
    ("NIS2 Directive", "nis2", Exact),
    ("OT and industrial networks", "ot-networks", Exact),
    ("Finance and accounting processes", "finance-processes", Exact),
    // Products with versions and vendors.
    ("ITIL 4", "itil", Exact),
    ("ITIL v3", "itil", Exact),
    ("Windows Server 2022", "windows-server", Exact),
    ("SQL Server 2019", "sql-server", Alias),
    ("SQL Server", "sql-server", Alias),
    ("Microsoft SQL Server", "sql-server", Exact),
    ("Red Hat Enterprise Linux", "red-hat-enterprise-linux", Exact),
    ("RHEL", "red-hat-enterprise-linux", Alias),
    ("RHEL 9", "red-hat-enterprise-linux", Alias),
    ("OpenShift", "openshift", Alias),
    ("Red Hat OpenShift", "openshift", Exact),
    ("Amazon EKS", "aws-eks", Exact),
    ("Amazon ECS", "aws-ecs", Exact),
    ("AKS", "azure-kubernetes-service", Alias),
    ("Azure Kubernetes Service", "azure-kubernetes-service", Exact),
    ("GitHub Actions", "github-actions", Exact),
    ("Azure Data Factory", "azure-data-factory", Exact),
    ("Microsoft Fabric", "microsoft-fabric", Exact),
    ("Microsoft Entra ID", "entra-id", Exact),
    ("Microsoft Sentinel", "microsoft-sentinel", Exact),
    ("Splunk", "splunk", Exact),
    ("ISO 27001", "iso-27001", Exact),
    ("ISO/IEC 27001", "iso-27001", Alias),
    ("Fortinet", "fortinet", Exact),
    ("Palo Alto Networks", "palo-alto", Exact),
    ("CCNP", "ccnp", Exact),
    ("SD-WAN", "sd-wan", Exact),
    ("TOPdesk", "topdesk", Exact),
    ("ServiceNow", "servicenow", Exact),
    ("Zabbix", "zabbix", Exact),
    ("Hyper-V", "hyper-v", Exact),
    ("Bicep", "azure-bicep", Exact),
    ("Azure Monitor", "azure-monitor", Exact),
    ("SAP S/4HANA", "sap-s4hana", Exact),
    ("SAP FI/CO", "sap-fico", Exact),
    ("SAP BW", "sap-bw", Exact),
    ("Raindance", "raindance", Exact),
    ("pm3", "pm3", Exact),
    ("PPS", "pps", Exact),
    ("TOGAF", "togaf", Exact),
    ("ArchiMate", "archimate", Exact),
    ("MuleSoft", "mulesoft", Exact),
    ("Playwright", "playwright", Exact),
    ("Cypress", "cypress", Exact),
    ("scikit-learn", "scikit-learn", Exact),
    ("pandas", "pandas", Exact),
    ("MLOps", "mlops", Exact),
    ("Jetpack Compose", "android", Alias),
    // Spellings without diacritics.
    ("Natverkssakerhet", "network-security", Fuzzy),
    ("Systemforvaltning", "application-management", Fuzzy),
    ("Offentlig upphandlig", "public-procurement", Fuzzy),
];

#[test]
fn more_names_resolve_in_both_languages() {
    let t = taxonomy();
    assert!(MORE.len() >= 150, "{} cases", MORE.len());
    let mut failures = Vec::new();
    for &(input, want, method) in MORE {
        assert!(t.index_of(want).is_some(), "unknown id {want}");
        let r = t.resolve(input);
        if id_of(&t, &r).as_deref() != Some(want) || r.method != Some(method) {
            failures.push(format!("{input:?}: want {want} by {method:?}, got {:?} by {:?}", id_of(&t, &r), r.method));
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}

/// Look-alikes that must never merge: short forms alone, Swedish compounds and English
/// product names. Resolving the first must never give the second.
const NEVER: &[(&str, &str)] = &[
    // A short form alone is a word, not a skill.
    ("Ops", "it-operations"),
    ("Dev", "software-development"),
    ("Mgmt", "project-management"),
    ("Admin", "system-administration-role"),
    ("Eng", "networking"),
    ("Proj", "project-management"),
    ("Sys", "system-administration-role"),
    ("Dev team", "software-development"),
    ("FinOps", "it-operations"),
    ("Mgmt tools", "project-management"),
    // Swedish compounds and their look-alikes.
    ("Ändringshantering", "change-leadership"),
    ("Förändringsledning", "change-management-itsm"),
    ("Incidenthantering", "problem-management"),
    ("Problemhantering", "incident-management"),
    ("Testautomatisering", "infrastructure-automation"),
    ("Nätverkande", "networking"),
    ("Nätverkssäkerhet", "networking"),
    ("Informationssäkerhet", "it-security"),
    ("IT-säkerhet", "information-security"),
    ("Molnsäkerhet", "cloud-computing"),
    ("Driftsäkerhet", "it-operations"),
    ("Riskkapital", "risk-management"),
    ("Säkerhetsvakt", "it-security"),
    ("Testamente", "software-testing"),
    ("Testledare", "software-testing"),
    ("Projektil", "project-management"),
    ("Projektör", "project-management"),
    ("Avtalsrätt", "contract-management"),
    ("Versionshantering", "release-management"),
    ("Releasehantering", "change-management-itsm"),
    ("Infrastrukturautomation", "it-infrastructure"),
    ("Prestandatest", "penetration-testing"),
    ("Penetrationstest", "performance-testing"),
    ("Systemförvaltare", "application-management"),
    ("Servicedesk", "service-delivery-management"),
    ("Kravhantering", "requirements-specification"),
    ("Databasadministration", "databases"),
    // English product names.
    ("Azure Functions", "aws-lambda"),
    ("AWS Lambda", "azure-functions"),
    ("Amazon EKS", "aws-ecs"),
    ("Amazon ECS", "aws-eks"),
    ("Amazon EKS", "kubernetes"),
    ("Azure Kubernetes Service", "kubernetes"),
    ("Google Cloud Run", "gcp-compute-engine"),
    ("Google Compute Engine", "cloud-run"),
    ("GitHub Actions", "github"),
    ("GitHub", "github-actions"),
    ("GitLab", "github-actions"),
    ("SQLite", "sql-server"),
    ("MariaDB", "mysql"),
    ("MySQL", "mariadb"),
    ("Oracle Linux", "oracle-database"),
    ("Oracle Database", "oracle-linux"),
    ("Oracle ERP", "oracle-database"),
    ("Red Hat OpenShift", "red-hat-enterprise-linux"),
    ("RHEL", "openshift"),
    ("Microsoft Sentinel", "microsoft-defender"),
    ("Microsoft Defender", "microsoft-sentinel"),
    ("Elastic Security", "elasticsearch"),
    ("Elasticsearch", "elastic-security"),
    ("Jira Service Management", "jira"),
    ("Jira", "jira-service-management"),
    ("Power BI", "power-platform"),
    ("Power Platform", "power-bi"),
    ("Microsoft Teams", "teams-telephony"),
    ("Azure DevOps", "devops"),
    ("DevOps", "azure-devops"),
    ("Azure Machine Learning", "machine-learning"),
    ("Azure Machine Learning", "azure-openai"),
    ("Incident response", "incident-management"),
    ("Incident management", "incident-response"),
    ("Penetration testing", "performance-testing"),
    ("Release Train Engineer", "release-management"),
    ("Product owner", "product-management"),
    ("Test automation", "infrastructure-automation"),
    ("Network engineering", "network-security"),
];

#[test]
fn look_alikes_never_merge() {
    let t = taxonomy();
    assert!(NEVER.len() >= 60, "{} pairs", NEVER.len());
    let mut failures = Vec::new();
    for &(input, other) in NEVER {
        assert!(t.index_of(other).is_some(), "unknown id {other}");
        let r = t.resolve(input);
        if id_of(&t, &r).as_deref() == Some(other) {
            failures.push(format!("{input:?} resolved to {other} via {:?}", r.via));
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn short_forms_in_text_resolve_and_alone_name_nothing() {
    let t = taxonomy();
    let ids = |text: &str| -> Vec<String> {
        t.find_in_text(text).iter().map(|m| t.skill(m.skill).unwrap().id.clone()).collect()
    };
    assert_eq!(
        ids("Proj. Mgmt of small infra projects"),
        ["project-management", "it-infrastructure-project-management"]
    );
    assert_eq!(ids("Sys admin experience with Windows Server"), ["system-administration-role", "windows-server"]);
    assert_eq!(ids("Azure Dev Ops"), ["azure-devops"]);
    assert_eq!(ids("k8s i drift"), ["kubernetes"]);
    assert!(ids("Ops-erfarenhet, Dev och Mgmt").is_empty());
    // "FE"/"BE" before "development": the web tiers; "be" the verb names nothing.
    assert_eq!(ids("5+ yrs FE development"), ["frontend-development"]);
    assert_eq!(ids("some BE dev with Node.js"), ["backend-development", "nodejs"]);
    assert!(ids("you will be developing and FE is iron").is_empty());
}
