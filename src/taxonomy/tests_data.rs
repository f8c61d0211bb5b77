//! Tests of the built-in data and of validation.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;

use super::*;

fn builtin() -> Taxonomy {
    Taxonomy::builtin().unwrap_or_else(|e| panic!("built-in data must load: {e}"))
}

#[test]
fn builtin_data_loads_with_at_least_600_skills() {
    let t = builtin();
    assert!(t.len() >= 600, "only {} skills", t.len());
    assert!(!t.is_empty());
}

#[test]
fn every_skill_has_both_labels_a_category_and_a_valid_id() {
    let t = builtin();
    for s in t.skills() {
        assert!(!s.label_en.trim().is_empty(), "{} lacks label_en", s.id);
        assert!(!s.label_sv.trim().is_empty(), "{} lacks label_sv", s.id);
        assert!(!s.category.is_empty(), "{} lacks a category", s.id);
        assert!(s.id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'), "{}", s.id);
    }
}

#[test]
fn no_normalised_label_or_alias_maps_to_two_skills() {
    let t = builtin();
    let mut owner: HashMap<String, &str> = HashMap::new();
    for s in t.skills() {
        let names = [&s.label_en, &s.label_sv].into_iter().chain(s.aliases.iter());
        for name in names {
            let key = normalize(name);
            assert!(!key.is_empty(), "{}: {name:?} normalises to nothing", s.id);
            if let Some(other) = owner.insert(key.clone(), &s.id) {
                assert_eq!(other, s.id, "{key:?} belongs to both {other} and {}", s.id);
            }
        }
    }
}

#[test]
fn every_name_resolves_to_its_own_skill() {
    let t = builtin();
    for (i, s) in t.skills().iter().enumerate() {
        for name in [&s.label_en, &s.label_sv].into_iter().chain(s.aliases.iter()) {
            let r = t.resolve(name);
            assert_eq!(r.skill, Some(i as SkillIdx), "{name:?} of {}", s.id);
            assert!(matches!(
                r.method,
                Some(crate::domain::ResolveMethod::Exact | crate::domain::ResolveMethod::Alias)
            ));
        }
    }
}

#[test]
fn relations_are_consistent_and_acyclic() {
    let t = builtin();
    for (i, s) in t.skills().iter().enumerate() {
        let i = i as SkillIdx;
        assert!(!t.ancestors(i).contains(&i), "{} is its own ancestor", s.id);
        assert!(!t.descendants(i).contains(&i), "{} is its own descendant", s.id);
        for &b in &s.broader {
            assert!(t.skill(b).unwrap().narrower.contains(&i));
            assert!(t.ancestors(i).contains(&b));
            assert!(t.descendants(b).contains(&i));
        }
        for &r in &s.related {
            assert!(t.skill(r).unwrap().related.contains(&i), "related must be symmetric");
        }
        assert!(t.ancestors(i).windows(2).all(|w| w[0] < w[1]), "ancestors sorted");
        assert!(t.descendants(i).windows(2).all(|w| w[0] < w[1]), "descendants sorted");
    }
}

#[test]
fn scrum_is_an_agile_method_and_azure_devops_is_not_azure() {
    let t = builtin();
    let id = |s: &str| t.index_of(s).unwrap();
    assert!(t.ancestors(id("scrum")).contains(&id("agile-methods")));
    assert!(t.ancestors(id("scrum-master")).contains(&id("agile-methods")));
    assert!(t.ancestors(id("agile-project-management")).contains(&id("project-management")));
    assert!(!t.ancestors(id("azure-devops")).contains(&id("azure")));
    assert!(t.skill(id("azure-devops")).unwrap().related.contains(&id("azure")));
    assert!(t.descendants(id("agile-methods")).contains(&id("safe")));
    assert!(t.ancestors(id("vmware")).contains(&id("it-infrastructure")));
    assert!(t.ancestors(id("openshift")).contains(&id("kubernetes")));
}

#[test]
fn seed_posting_skills_exist() {
    let t = builtin();
    for id in [
        "it-infrastructure-project-management",
        "agile-project-management",
        "waterfall",
        "it-security",
        "project-management-tools",
        "itsm",
        "it-frameworks",
        "server-systems",
        "leadership",
        "planning",
        "strategic-thinking",
        "communication",
        "reliability",
        "teamwork",
        "organisational-skills",
        "conflict-management",
        "pedagogy",
        "application-management",
        "vmware",
        "kubernetes",
        "itil",
        "security-clearance",
    ] {
        assert!(t.index_of(id).is_some(), "missing {id}");
    }
}

#[test]
fn search_with_empty_query_lists_everything_by_id() {
    let t = builtin();
    let all = t.search("  ");
    assert_eq!(all.len(), t.len());
    let ids: Vec<&str> = all.iter().map(|&i| t.skill(i).unwrap().id.as_str()).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]));
}

#[test]
fn search_finds_both_languages_prefixes_and_near_misses() {
    let t = builtin();
    let first = |q: &str| t.skill(t.search(q)[0]).unwrap().id.clone();
    assert_eq!(first("projektledning"), "project-management");
    assert_eq!(first("Project management"), "project-management");
    assert_eq!(first("kubern"), "kubernetes");
    assert_eq!(first("k8s"), "kubernetes");
    assert_eq!(first("säkerhetssk"), "protective-security");
    assert_eq!(first("Kuberentes"), "kubernetes");
    let agile = t.search("agil");
    assert!(agile.contains(&t.index_of("agile-project-management").unwrap()));
    assert!(agile.contains(&t.index_of("agile-methods").unwrap()));
    assert!(t.search("zzzqqq").is_empty());
}

const MINI: &str = r#"
skill = [
  { id = "agile-methods", label_en = "Agile methods", label_sv = "Agila metoder", aliases = ["agile"] },
  { id = "scrum", label_en = "Scrum", label_sv = "Scrum", broader = ["agile-methods"] },
]
"#;

fn mini() -> Taxonomy {
    Taxonomy::from_sources(&[("mini.toml", MINI)]).unwrap()
}

fn def(id: &str, en: &str, sv: &str) -> SkillDef {
    SkillDef { id: id.into(), label_en: en.into(), label_sv: sv.into(), category: "test".into(), ..SkillDef::default() }
}

#[test]
fn category_defaults_to_the_file_name() {
    assert_eq!(mini().skill(0).unwrap().category, "mini");
}

#[test]
fn duplicate_alias_across_skills_is_rejected_naming_both() {
    let bad = r#"skill = [
      { id = "a", label_en = "Alpha", label_sv = "Alfa", aliases = ["shared name"] },
      { id = "b", label_en = "Beta", label_sv = "Beta", aliases = ["Shared-Name"] },
    ]"#;
    let err = Taxonomy::from_sources(&[("x.toml", bad)]).unwrap_err();
    assert!(matches!(&err, TaxonomyError::DuplicateName { first, second, .. } if first == "a" && second == "b"));
    assert!(err.to_string().contains("\"a\"") && err.to_string().contains("\"b\""), "{err}");
}

#[test]
fn unknown_broader_id_is_rejected() {
    let bad = r#"skill = [{ id = "a", label_en = "A thing", label_sv = "En sak", broader = ["nope"] }]"#;
    let err = Taxonomy::from_sources(&[("x.toml", bad)]).unwrap_err();
    assert!(matches!(err, TaxonomyError::UnknownReference { ref target, .. } if target == "nope"), "{err}");
}

#[test]
fn broader_cycle_is_rejected_with_its_path() {
    let bad = r#"skill = [
      { id = "a", label_en = "Aaa", label_sv = "Aaa", broader = ["b"] },
      { id = "b", label_en = "Bbb", label_sv = "Bbb", broader = ["c"] },
      { id = "c", label_en = "Ccc", label_sv = "Ccc", broader = ["a"] },
    ]"#;
    let err = Taxonomy::from_sources(&[("x.toml", bad)]).unwrap_err();
    let TaxonomyError::Cycle { path } = &err else { panic!("{err}") };
    assert_eq!(path.first(), path.last());
    assert_eq!(path.len(), 4);
}

#[test]
fn invalid_ids_missing_labels_and_bad_toml_are_rejected() {
    let cases = [
        (r#"skill = [{ id = "Bad Id", label_en = "X", label_sv = "X" }]"#, "invalid"),
        (r#"skill = [{ id = "x", label_en = "X" }]"#, "Swedish"),
        (r#"skill = [{ id = "x", label_en = "X", label_sv = "X", colour = "red" }]"#, "cannot read"),
        (
            r#"skill = [{ id = "x", label_en = "X", label_sv = "X" }, { id = "x", label_en = "Y", label_sv = "Y" }]"#,
            "twice",
        ),
        (r#"skill = [{ id = "x", label_en = "X", label_sv = "X", broader = ["x"] }]"#, "itself"),
    ];
    for (src, want) in cases {
        let err = Taxonomy::from_sources(&[("x.toml", src)]).unwrap_err();
        assert!(err.to_string().contains(want), "{src}: {err}");
    }
}

#[test]
fn add_skill_validates_and_appends() {
    let mut t = mini();
    let idx =
        t.add_skill(SkillDef { broader: vec!["agile-methods".into()], ..def("kanban", "Kanban", "Kanban") }).unwrap();
    assert_eq!(idx, 2);
    assert_eq!(t.resolve("kanban").skill, Some(2));
    assert!(t.ancestors(2).contains(&0));
    assert!(t.skill(0).unwrap().narrower.contains(&2));
    let err = t.add_skill(def("kanban", "Other", "Annan")).unwrap_err();
    assert!(matches!(err, TaxonomyError::DuplicateId { .. }));
    let err = t.add_skill(def("scrum-2", "Scrum", "Scrum")).unwrap_err();
    assert!(matches!(err, TaxonomyError::DuplicateName { .. }));
    let err = t.add_skill(SkillDef { broader: vec!["missing".into()], ..def("x", "Xx", "Xx") }).unwrap_err();
    assert!(matches!(err, TaxonomyError::UnknownReference { .. }));
    assert_eq!(t.len(), 3, "failed additions leave the taxonomy unchanged");
}

#[test]
fn add_alias_resolves_and_refuses_names_of_other_skills() {
    let mut t = mini();
    t.add_alias(1, "scrummetodik").unwrap();
    assert_eq!(t.resolve("Scrummetodik").skill, Some(1));
    assert_eq!(t.resolve("Scrummetodik").method, Some(crate::domain::ResolveMethod::Alias));
    t.add_alias(1, "Scrum").unwrap();
    assert!(matches!(t.add_alias(1, "Agile"), Err(TaxonomyError::DuplicateName { .. })));
    assert!(matches!(t.add_alias(9, "x"), Err(TaxonomyError::UnknownIndex { idx: 9 })));
}

#[test]
fn normalize_is_idempotent_on_every_name() {
    let t = builtin();
    for s in t.skills() {
        for name in [&s.label_en, &s.label_sv].into_iter().chain(s.aliases.iter()) {
            let once = normalize(name);
            assert_eq!(normalize(&once), once, "{name:?}");
            assert_eq!(fold(&fold(&once)), fold(&once), "{name:?}");
        }
    }
}

#[test]
fn lookups_are_the_same_on_every_build() {
    // Hash maps iterate in a random order; what resolution and search report must not.
    let (a, b) = (builtin(), builtin());
    for q in ["Natverk", "Kuberntes", "Sakerhetsskydd", "IT-sakerhet", "projekt", "sql"] {
        assert_eq!(a.resolve(q), b.resolve(q), "{q}");
        assert_eq!(a.search(q), b.search(q), "{q}");
    }
}
