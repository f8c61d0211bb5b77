//! Implication (a specialty meets the general knowledge it rests on), personal qualities
//! (to assess unless weighted) and the place as the assignment wrote it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use uuid::Uuid;

use super::tests::{TestGraph, consultant, need, query, run, skill, today, want};
use super::*;

/// In [`TestGraph`]: 200 and its narrower 201 imply 300.
const SPECIALTY: SkillKey = 200;
const NARROWER_SPECIALTY: SkillKey = 201;
const GENERAL: SkillKey = 300;

fn with_skills(id: u128, skills: Vec<SkillEntry>) -> ConsultantVector {
    ConsultantVector { id: Uuid::from_u128(id), skills, ..consultant() }
}

fn item<'m>(m: &'m ScoredMatch, requirement: &str) -> &'m Explanation {
    m.explanation.iter().find(|e| &*e.requirement == requirement).unwrap()
}

#[test]
fn a_must_have_of_general_knowledge_is_met_by_a_specialty_that_implies_it() {
    let mut q = query();
    q.must = vec![need(7, Some(5.0), None), need(GENERAL, Some(3.0), None)];
    let c = with_skills(1, vec![skill(7, Some(10.0), Some(5)), skill(SPECIALTY, Some(9.0), None)]);
    let m = run(&c, &q);
    assert!(m.eligible, "{:?}", m.gaps);
    let e = item(&m, "skill 300");
    assert_eq!(
        (e.status, e.relation, e.skill_key, e.consultant_skill),
        (Status::Met, Some(Relation::Implied), Some(SPECIALTY), Some(1))
    );
    // Full credit, with the specialty's years: as deep as the same skill with those years.
    let same = run(&with_skills(1, vec![skill(7, Some(10.0), Some(5)), skill(GENERAL, Some(9.0), None)]), &q);
    assert_eq!(m.score, same.score);
    // Through a narrower skill of the specialty too.
    let narrower = with_skills(2, vec![skill(7, Some(10.0), Some(5)), skill(NARROWER_SPECIALTY, Some(9.0), None)]);
    assert!(run(&narrower, &q).eligible);
    // The years the requirement asks still count: two years of the specialty are too few.
    let short = with_skills(3, vec![skill(7, Some(10.0), Some(5)), skill(SPECIALTY, Some(2.0), None)]);
    let m = run(&short, &q);
    assert!(!m.eligible);
    assert_eq!(m.gaps[0], "skill 300: 2 years, needs 3");
}

#[test]
fn general_knowledge_never_meets_the_specialty() {
    let mut q = query();
    q.must = vec![need(SPECIALTY, None, None)];
    let m = run(&with_skills(1, vec![skill(GENERAL, Some(9.0), Some(5))]), &q);
    assert!(!m.eligible);
    assert_eq!(item(&m, "skill 200").status, Status::Missing);
}

#[test]
fn a_can_have_is_met_in_full_through_implication() {
    let mut q = query();
    q.can = vec![want(GENERAL, 1.0)];
    let m = run(&with_skills(1, vec![skill(7, Some(10.0), Some(5)), skill(SPECIALTY, None, None)]), &q);
    assert_eq!(m.breakdown.can_have, 1.0);
    assert_eq!(item(&m, "skill 300").relation, Some(Relation::Implied));
}

#[test]
fn the_index_finds_and_scores_implying_profiles_like_scoring_each() {
    let mut q = query();
    q.must = vec![need(7, None, None), need(GENERAL, Some(3.0), None)];
    q.can = vec![want(GENERAL, 1.0), want(8, 2.0)];
    let cs = [
        with_skills(1, vec![skill(7, Some(10.0), Some(5)), skill(SPECIALTY, Some(9.0), None)]),
        with_skills(2, vec![skill(7, Some(4.0), None), skill(NARROWER_SPECIALTY, Some(4.0), Some(3))]),
        with_skills(3, vec![skill(7, Some(4.0), None), skill(GENERAL, Some(6.0), None), skill(8, None, None)]),
        with_skills(4, vec![skill(7, Some(4.0), None), skill(SPECIALTY, Some(1.0), None)]),
        with_skills(5, vec![skill(7, Some(4.0), None)]),
    ];
    let mut idx = ConsultantIndex::new();
    cs.iter().cloned().for_each(|c| idx.upsert(c));
    let g = TestGraph::new();
    let page = idx.rank(&q, &g, &MatchOptions::new(today()));
    let mut want: Vec<ScoredMatch> = cs.iter().map(|c| score(c, &q, &g, today())).filter(|m| m.eligible).collect();
    want.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.id.cmp(&b.id)));
    assert_eq!(page.items, want);
    assert_eq!(page.total_eligible, 3);
}

#[test]
fn unweighted_qualities_are_listed_to_assess_and_never_change_the_score() {
    let base = query();
    let mut q = base.clone();
    q.qualities =
        vec![Quality { key: 11, label: "Pedagogy".into() }, Quality { key: 1, label: "Communication".into() }];
    let c = ConsultantVector { skills: vec![skill(7, Some(10.0), Some(5)), skill(100, None, None)], ..consultant() };
    let (plain, with) = (run(&c, &base), run(&c, &q));
    assert_eq!((with.score, with.eligible, with.breakdown), (plain.score, plain.eligible, plain.breakdown));
    let qualities: Vec<_> = with.explanation.iter().filter(|e| e.kind == Kind::Quality).collect();
    assert_eq!(qualities.len(), 2);
    assert!(qualities.iter().all(|e| e.status == Status::ToAssess && e.points == 0.0));
    // Named on the profile (narrower skill 100 speaks to 1), or not at all (11).
    assert_eq!((qualities[0].consultant_skill, qualities[1].consultant_skill), (None, Some(1)));
    assert_eq!(qualities[1].relation, Some(Relation::Narrower));
    // Listed right after the can-haves.
    let kinds: Vec<Kind> = with.explanation.iter().map(|e| e.kind).collect();
    let at = kinds.iter().position(|k| *k == Kind::Quality).unwrap();
    assert_eq!(kinds[at - 1], Kind::CanHave);
}

#[test]
fn a_weighted_quality_scores_exactly_like_a_can_have_of_that_weight() {
    let c = ConsultantVector { skills: vec![skill(7, Some(10.0), Some(5)), skill(11, None, None)], ..consultant() };
    let mut as_can = query();
    as_can.can.push(want(11, 3.0));
    let mut as_quality = query();
    as_quality.can.push(Want { quality: true, label: "Pedagogy".into(), ..want(11, 3.0) });
    let (a, b) = (run(&c, &as_can), run(&c, &as_quality));
    assert_eq!((a.score, a.breakdown), (b.score, b.breakdown));
    let e = item(&b, "Pedagogy");
    assert_eq!((e.kind, e.status), (Kind::Quality, Status::Met));
    assert!(e.points > 0.0);
}

#[test]
fn regression_gap_texts_keep_the_casing_of_the_assignments_city() {
    let mut q = query();
    q.city_label = Some("Malmö".into());
    let c = ConsultantVector { city: Some("lund".into()), ..consultant() };
    let m = run(&c, &q);
    assert!(m.gaps.iter().any(|g| g.as_str() == "not based in Malmö, SE"), "{:?}", m.gaps);
}
