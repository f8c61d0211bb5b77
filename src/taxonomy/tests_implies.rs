//! Implication: the edges the issue names, the laws that guard the curated edges over the
//! whole taxonomy (no developer becomes a project manager, no skill implies a personal
//! quality), and the validation of implication data.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::tests_resolve::taxonomy;
use super::*;

fn idx(t: &Taxonomy, id: &str) -> SkillIdx {
    t.index_of(id).unwrap_or_else(|| panic!("no skill {id}"))
}

#[test]
fn a_specific_competency_meets_the_general_knowledge_it_rests_on() {
    let t = taxonomy();
    let cases = [
        ("it-infrastructure-project-management", "it-infrastructure"),
        ("it-infrastructure-project-management", "project-management"),
        ("it-infrastructure-project-management", "it-systems"),
        ("jira", "project-management-tools"),
        ("azure-kubernetes-service", "kubernetes"),
        ("prince2", "project-management"),
        ("pmp", "project-management"),
        ("infrastructure-architecture", "it-infrastructure"),
        ("sre", "monitoring"),
        ("argo-cd", "git"),
    ];
    for (have, want) in cases {
        assert!(t.meets(idx(&t, have), idx(&t, want)), "{have} should meet {want}");
    }
    let infra = idx(&t, "it-infrastructure");
    assert!(t.implied_by(infra).contains(&idx(&t, "it-infrastructure-project-management")));
    assert_eq!(t.skill(idx(&t, "it-infrastructure-project-management")).unwrap().implies, [infra]);
}

#[test]
fn general_knowledge_never_meets_the_specialty() {
    let t = taxonomy();
    for (have, want) in [
        ("it-infrastructure", "it-infrastructure-project-management"),
        ("project-management", "it-infrastructure-project-management"),
        ("kubernetes", "azure-kubernetes-service"),
        ("project-management-tools", "jira"),
    ] {
        assert!(!t.meets(idx(&t, have), idx(&t, want)), "{have} must not meet {want}");
    }
}

/// Management requirements a developer must never meet.
const MANAGEMENT: &[&str] = &[
    "project-management",
    "it-project-management",
    "agile-project-management",
    "programme-management",
    "portfolio-management",
    "people-management",
    "it-management",
];

/// Categories of technical skills: development, data, operations, security.
const TECHNICAL: &[&str] = &[
    "languages",
    "frameworks",
    "databases",
    "containers-devops",
    "data-ai",
    "cloud",
    "infrastructure",
    "networks",
    "security",
    "service-management",
];

/// What developers and testers put on their profiles from the project-management data:
/// working in Scrum, with Jira, on requirements, is not managing projects.
const DEVELOPER_PRACTICES: &[&str] = &[
    "agile-methods",
    "scrum",
    "scrum-master",
    "product-owner",
    "kanban",
    "extreme-programming",
    "safe",
    "lean",
    "waterfall",
    "project-methodologies",
    "project-management-tools",
    "jira",
    "confluence",
    "azure-boards",
    "trello",
    "miro",
    "requirements-management",
    "risk-management",
    "project-planning",
];

#[test]
fn no_chain_of_relations_turns_a_developer_into_a_project_manager() {
    let t = taxonomy();
    let mut holders: Vec<SkillIdx> = t
        .skills()
        .iter()
        .enumerate()
        .filter(|(_, s)| TECHNICAL.contains(&s.category.as_str()))
        .map(|(i, _)| i as SkillIdx)
        .collect();
    assert!(holders.len() > 300, "{} technical skills", holders.len());
    holders.extend(DEVELOPER_PRACTICES.iter().map(|id| idx(&t, id)));
    let mut failures = Vec::new();
    for &have in &holders {
        for want in MANAGEMENT {
            if t.meets(have, idx(&t, want)) {
                failures.push(format!("{} meets {want}", t.skill(have).unwrap().id));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn no_skill_implies_a_personal_quality() {
    let t = taxonomy();
    let mut failures = Vec::new();
    for (i, s) in t.skills().iter().enumerate() {
        if s.is_quality() {
            for &by in t.implied_by(i as SkillIdx) {
                failures.push(format!("{} implies the quality {}", t.skill(by).unwrap().id, s.id));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn implied_by_leaves_out_the_skill_and_its_narrower_skills_and_agrees_with_the_closure() {
    let t = taxonomy();
    let direct: Vec<Vec<SkillIdx>> = t.skills().iter().map(|s| s.implies.clone()).collect();
    let ancestors: Vec<Vec<SkillIdx>> = (0..t.len() as SkillIdx).map(|i| t.ancestors(i).to_vec()).collect();
    for r in 0..t.len() as SkillIdx {
        let by = t.implied_by(r);
        assert!(by.windows(2).all(|w| w[0] < w[1]), "sorted");
        assert!(!by.contains(&r));
        assert!(by.iter().all(|s| t.descendants(r).binary_search(s).is_err()));
    }
    for s in 0..t.len() as SkillIdx {
        let meets = implies::closure(s, &ancestors, &direct).unwrap();
        for r in 0..t.len() as SkillIdx {
            assert_eq!(meets.binary_search(&r).is_ok(), t.meets(s, r), "{s} → {r}");
        }
    }
}

fn build(toml: &str) -> Result<Taxonomy, TaxonomyError> {
    Taxonomy::from_sources(&[("t.toml", toml)])
}

#[test]
fn implications_are_followed_through_broader_skills_and_chains() {
    let t = build(
        r#"skill = [
  { id = "infra", label_en = "Infra", label_sv = "Infra" },
  { id = "servers", label_en = "Servers", label_sv = "Servrar", broader = ["infra"] },
  { id = "pm", label_en = "PM", label_sv = "PL" },
  { id = "infra-pm", label_en = "Infra PM", label_sv = "Infra PL", broader = ["pm"], implies = ["servers"] },
  { id = "senior-infra-pm", label_en = "Senior infra PM", label_sv = "Senior infra PL", broader = ["infra-pm"] },
]"#,
    )
    .unwrap();
    let [infra, servers, pm, ipm, senior] =
        ["infra", "servers", "pm", "infra-pm", "senior-infra-pm"].map(|i| idx(&t, i));
    assert_eq!(t.implied_by(servers), [ipm, senior]);
    assert_eq!(t.implied_by(infra), [ipm, senior]);
    assert!(t.implied_by(pm).is_empty(), "narrower skills meet it already");
    assert!(t.meets(senior, infra));
    assert!(!t.meets(infra, ipm));
}

#[test]
fn a_cycle_of_implications_is_rejected_naming_it() {
    let err = build(
        r#"skill = [
  { id = "a", label_en = "Aaa", label_sv = "Aaa", implies = ["b"] },
  { id = "b", label_en = "Bbb", label_sv = "Bbb", broader = ["c"] },
  { id = "c", label_en = "Ccc", label_sv = "Ccc", implies = ["a"] },
]"#,
    )
    .unwrap_err();
    assert_eq!(err, TaxonomyError::ImplicationCycle { path: vec!["a".into(), "b".into(), "c".into(), "a".into()] });
    assert_eq!(err.to_string(), "implications form a cycle: a ⇒ b ⇒ c ⇒ a; a skill cannot imply itself");
}

#[test]
fn implications_that_repeat_or_reverse_the_hierarchy_are_rejected() {
    let up = build(
        r#"skill = [
  { id = "a", label_en = "Aaa", label_sv = "Aaa" },
  { id = "b", label_en = "Bbb", label_sv = "Bbb", broader = ["a"], implies = ["a"] },
]"#,
    )
    .unwrap_err();
    assert!(matches!(&up, TaxonomyError::Implication { id, target, .. } if id == "b" && target == "a"), "{up}");
    let down = build(
        r#"skill = [
  { id = "a", label_en = "Aaa", label_sv = "Aaa", implies = ["b"] },
  { id = "b", label_en = "Bbb", label_sv = "Bbb", broader = ["a"] },
]"#,
    )
    .unwrap_err();
    assert!(down.to_string().contains("narrower skill"), "{down}");
    let unknown = build(r#"skill = [{ id = "a", label_en = "Aaa", label_sv = "Aaa", implies = ["zz"] }]"#).unwrap_err();
    assert!(matches!(unknown, TaxonomyError::UnknownReference { relation: "implies", .. }), "{unknown}");
    let itself = build(r#"skill = [{ id = "a", label_en = "Aaa", label_sv = "Aaa", implies = ["a"] }]"#).unwrap_err();
    assert!(matches!(itself, TaxonomyError::SelfReference { relation: "implies", .. }), "{itself}");
}
