//! Unit tests: every gate at its boundaries, every component, explanations, listing and paging.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;

use chrono::NaiveDate;
use uuid::Uuid;

use super::*;
use crate::domain::{
    Cefr, ClearanceLevel, ClearanceRequirement, CountryCode, LanguageCode, LanguageRequirement, SkillLevel, Weights,
    WorkMode,
};

/// 1 is broader than 10 and 11; 10 is broader than 100.
pub(crate) struct TestGraph {
    anc: HashMap<SkillKey, Vec<SkillKey>>,
    desc: HashMap<SkillKey, Vec<SkillKey>>,
    implied: HashMap<SkillKey, Vec<SkillKey>>,
}

impl TestGraph {
    /// 10 and 11 are narrower than 1, 100 narrower than 10; 200 (a specialty, say
    /// infrastructure project management) implies 300 (general knowledge, infrastructure),
    /// and so does 201, narrower than 200.
    pub(crate) fn new() -> Self {
        let anc = HashMap::from([(10, vec![1]), (11, vec![1]), (100, vec![1, 10]), (201, vec![200])]);
        let desc = HashMap::from([(1, vec![10, 11, 100]), (10, vec![100]), (200, vec![201])]);
        let implied = HashMap::from([(300, vec![200, 201])]);
        TestGraph { anc, desc, implied }
    }
}

impl SkillGraph for TestGraph {
    fn ancestors(&self, k: SkillKey) -> &[SkillKey] {
        self.anc.get(&k).map_or(&[], Vec::as_slice)
    }
    fn descendants(&self, k: SkillKey) -> &[SkillKey] {
        self.desc.get(&k).map_or(&[], Vec::as_slice)
    }
    fn implied_by(&self, k: SkillKey) -> &[SkillKey] {
        self.implied.get(&k).map_or(&[], Vec::as_slice)
    }
}

pub(crate) fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

pub(crate) fn today() -> NaiveDate {
    day("2026-01-01")
}

pub(crate) fn lang(c: &str) -> LanguageCode {
    LanguageCode::parse(c).unwrap()
}

pub(crate) fn land(c: &str) -> CountryCode {
    CountryCode::parse(c).unwrap()
}

pub(crate) fn skill(key: SkillKey, years: Option<f32>, level: Option<u8>) -> SkillEntry {
    SkillEntry {
        key,
        years,
        level: level.map(|l| SkillLevel::new(l.into()).unwrap()),
        resolved: Some(crate::domain::ResolveMethod::Exact),
    }
}

pub(crate) fn need(key: SkillKey, min_years: Option<f32>, min_level: Option<u8>) -> Need {
    Need {
        key,
        label: format!("skill {key}").into(),
        min_years,
        min_level: min_level.map(|l| SkillLevel::new(l.into()).unwrap()),
    }
}

pub(crate) fn want(key: SkillKey, weight: f32) -> Want {
    Want { key, label: format!("skill {key}").into(), weight, min_years: None, min_level: None, quality: false }
}

/// A consultant who is strong on every component of [`query`].
pub(crate) fn consultant() -> ConsultantVector {
    ConsultantVector {
        id: Uuid::from_u128(1),
        skills: vec![skill(7, Some(10.0), Some(5)), skill(8, Some(6.0), Some(4))],
        languages: vec![(lang("sv"), Cefr::Native), (lang("en"), Cefr::C2)],
        clearance: ClearanceLevel::Sk2,
        citizenships: vec![land("SE")],
        willing_to_undergo: false,
        city: Some("malmö".into()),
        country: Some(land("SE")),
        work_modes: vec![WorkMode::Onsite, WorkMode::Hybrid],
        available_from: Some(day("2025-12-01")),
        capacity_percent: Some(100),
        experience_years: Some(12.0),
    }
}

pub(crate) fn query() -> AssignmentQuery {
    AssignmentQuery {
        must: vec![need(7, Some(5.0), None)],
        can: vec![want(8, 2.0)],
        qualities: vec![],
        languages: vec![LanguageRequirement { code: lang("sv"), min_level: Cefr::C1, required: true }],
        clearance: ClearanceRequirement {
            required_level: ClearanceLevel::Sk3,
            citizenship: vec![],
            accept_willing: false,
        },
        min_experience_years: Some(5.0),
        city: Some("malmö".into()),
        city_label: None,
        country: Some(land("SE")),
        work_mode: Some(WorkMode::Onsite),
        start_date: Some(day("2026-02-01")),
        end_date: Some(day("2026-06-30")),
        extent_percent: Some(100),
        weights: Weights::DEFAULT,
    }
}

pub(crate) fn run(c: &ConsultantVector, q: &AssignmentQuery) -> ScoredMatch {
    score(c, q, &TestGraph::new(), today())
}

fn points(m: &ScoredMatch) -> f64 {
    m.explanation.iter().map(|e| e.points).sum()
}

#[test]
fn a_strong_consultant_is_eligible_and_points_add_up_to_the_score() {
    let m = run(&consultant(), &query());
    assert!(m.eligible, "{:?}", m.gaps);
    assert!(m.gaps.is_empty(), "{:?}", m.gaps);
    assert!((points(&m) - m.score).abs() < 1e-9);
    assert!(m.score > 90.0 && m.score <= 100.0, "{}", m.score);
    assert_eq!(m.breakdown.can_have, 1.0);
    assert_eq!(m.breakdown.location, 1.0);
}

#[test]
fn min_years_gate_at_its_boundaries() {
    // (consultant years, min_years, eligible, gap)
    let cases: [(Option<f32>, f32, bool, Option<&str>); 6] = [
        (Some(5.0), 5.0, true, None),
        (Some(4.9), 5.0, false, Some("skill 7: 4.9 years, needs 5")),
        (Some(0.3), 0.3, true, None),
        (Some(2.5), 2.5, true, None),
        (None, 5.0, false, Some("skill 7: years not stated, needs 5")),
        (Some(0.0), 0.0, true, None),
    ];
    for (years, min, eligible, gap) in cases {
        let mut c = consultant();
        c.skills[0].years = years;
        let mut q = query();
        q.must[0].min_years = Some(min);
        let m = run(&c, &q);
        assert_eq!(m.eligible, eligible, "{years:?} vs {min}");
        assert_eq!(m.gaps.first().map(Gap::as_str), gap, "{years:?} vs {min}");
        assert_eq!(m.missing_must, u32::from(!eligible));
    }
}

#[test]
fn min_level_gate_at_its_boundaries() {
    for (level, min, eligible) in [(Some(4), 4, true), (Some(3), 4, false), (None, 1, false), (Some(5), 5, true)] {
        let mut c = consultant();
        c.skills[0].level = level.map(|l| SkillLevel::new(l).unwrap());
        let mut q = query();
        q.must[0].min_level = Some(SkillLevel::new(min).unwrap());
        assert_eq!(run(&c, &q).eligible, eligible, "{level:?} vs {min}");
    }
}

#[test]
fn a_narrower_skill_meets_a_must_have_and_a_broader_one_does_not() {
    let mut c = consultant();
    c.skills.push(skill(100, Some(6.0), None));
    let mut q = query();
    q.must = vec![need(1, Some(5.0), None)];
    let m = run(&c, &q);
    assert!(m.eligible);
    let e = &m.explanation[0];
    assert_eq!((e.status, e.relation, e.consultant_skill), (Status::Met, Some(Relation::Narrower), Some(2)));

    q.must = vec![need(100, None, None)];
    c.skills = vec![skill(10, Some(6.0), None)];
    let m = run(&c, &q);
    assert!(!m.eligible);
    assert_eq!(m.gaps[0], "skill 100: not in the profile");
}

#[test]
fn can_haves_give_full_credit_for_narrower_and_half_for_broader() {
    let mut c = consultant();
    for (have, credit, relation) in
        [(10, 1.0, Relation::Same), (100, 1.0, Relation::Narrower), (1, BROADER_CREDIT, Relation::Broader)]
    {
        c.skills = vec![skill(7, Some(10.0), Some(5)), skill(have, Some(3.0), None)];
        let mut q = query();
        q.can = vec![want(10, 1.0)];
        let m = run(&c, &q);
        assert_eq!(m.breakdown.can_have, credit, "{have}");
        assert_eq!(m.explanation[1].relation, Some(relation));
        assert_eq!(m.explanation[1].consultant_skill, Some(1));
    }
}

#[test]
fn can_have_weights_and_thresholds_scale_the_credit() {
    let mut q = query();
    q.can = vec![want(8, 3.0), want(99, 1.0)];
    assert!((run(&consultant(), &q).breakdown.can_have - 0.75).abs() < 1e-12);
    q.can = vec![Want { min_years: Some(12.0), ..want(8, 1.0) }];
    // 6 of 12 years: half of the partial maximum.
    assert!((run(&consultant(), &q).breakdown.can_have - WANT_PARTIAL_MAX * 0.5).abs() < 1e-12);
    q.can.clear();
    assert_eq!(run(&consultant(), &q).breakdown.can_have, 1.0);
}

#[test]
fn must_have_strength_grows_beyond_the_minimum_and_saturates() {
    let mut q = query();
    q.must = vec![need(7, Some(5.0), None)];
    let mut c = consultant();
    c.skills[0] = skill(7, Some(5.0), None);
    assert!((run(&c, &q).breakdown.must_have - MUST_MET_BASE).abs() < 1e-12);
    c.skills[0] = skill(7, Some(7.5), None);
    assert!((run(&c, &q).breakdown.must_have - (MUST_MET_BASE + (1.0 - MUST_MET_BASE) * 0.5)).abs() < 1e-12);
    c.skills[0] = skill(7, Some(30.0), Some(5));
    assert_eq!(run(&c, &q).breakdown.must_have, 1.0);
    q.must.clear();
    assert_eq!(run(&c, &q).breakdown.must_have, 1.0);
}

#[test]
fn language_gate_ranks_native_above_c2() {
    // (held, asked, eligible)
    let cases = [
        (Some(Cefr::Native), Cefr::C2, true),
        (Some(Cefr::C2), Cefr::C2, true),
        (Some(Cefr::C1), Cefr::C2, false),
        (Some(Cefr::C2), Cefr::Native, false),
        (None, Cefr::A1, false),
    ];
    for (held, asked, eligible) in cases {
        let mut c = consultant();
        c.languages = held.map(|l| (lang("sv"), l)).into_iter().collect();
        let mut q = query();
        q.languages[0].min_level = asked;
        let m = run(&c, &q);
        assert_eq!(m.eligible, eligible, "{held:?} vs {asked}");
    }
    let mut c = consultant();
    c.languages = vec![(lang("sv"), Cefr::B2)];
    assert_eq!(run(&c, &query()).gaps, ["no Swedish (sv) at C1 or above (has B2)"]);
    c.languages.clear();
    assert_eq!(run(&c, &query()).gaps, ["no Swedish (sv) at C1 or above"]);
}

#[test]
fn optional_languages_are_merits_not_gates() {
    let mut q = query();
    q.languages = vec![LanguageRequirement { code: lang("de"), min_level: Cefr::B2, required: false }];
    let m = run(&consultant(), &q);
    assert!(m.eligible);
    assert_eq!(m.breakdown.languages, 0.0);
    q.languages.clear();
    assert_eq!(run(&consultant(), &q).breakdown.languages, 1.0);
    q.languages = vec![LanguageRequirement { code: lang("sv"), min_level: Cefr::C1, required: true }];
    assert_eq!(run(&consultant(), &q).breakdown.languages, 1.0, "native is the top");
}

#[test]
fn clearance_gate_table() {
    use ClearanceLevel::*;
    // (held, required, accept_willing, willing, eligible, status)
    let cases = [
        (Sk1, Sk2, false, false, true, Status::Met),
        (Sk2, Sk1, false, false, false, Status::Missing),
        (Sk2, Sk2, false, false, true, Status::Met),
        (None, Sk3, true, true, true, Status::Partial),
        (None, Sk3, false, true, false, Status::Missing),
        (Sk3, Sk2, true, false, false, Status::Missing),
    ];
    for (held, required, accept_willing, willing, eligible, status) in cases {
        let mut c = consultant();
        c.clearance = held;
        c.willing_to_undergo = willing;
        let mut q = query();
        q.clearance = ClearanceRequirement { required_level: required, citizenship: vec![], accept_willing };
        let m = run(&c, &q);
        assert_eq!(m.eligible, eligible, "{held} vs {required}");
        let e = m.explanation.iter().find(|e| e.kind == Kind::Clearance).unwrap();
        assert_eq!(e.status, status);
    }
    let mut c = consultant();
    c.clearance = Sk3;
    let mut q = query();
    q.clearance = ClearanceRequirement { required_level: Sk2, citizenship: vec![], accept_willing: true };
    assert_eq!(run(&c, &q).gaps, ["clearance sk2 required (has sk3, not willing to undergo vetting)"]);
}

#[test]
fn citizenship_gate_table() {
    // (held, listed, eligible)
    let cases: [(&[&str], &[&str], bool); 5] = [
        (&["SE"], &[], true),
        (&[], &[], true),
        (&["DK"], &["SE"], false),
        (&["DK", "SE"], &["SE", "NO"], true),
        (&[], &["SE"], false),
    ];
    for (held, listed, eligible) in cases {
        let mut c = consultant();
        c.citizenships = held.iter().map(|s| land(s)).collect();
        let mut q = query();
        q.clearance.citizenship = listed.iter().map(|s| land(s)).collect();
        assert_eq!(run(&c, &q).eligible, eligible, "{held:?} vs {listed:?}");
    }
    // Willing to undergo vetting, but with the wrong citizenship.
    let mut c = consultant();
    c.clearance = ClearanceLevel::None;
    c.willing_to_undergo = true;
    c.citizenships = vec![land("DK")];
    let mut q = query();
    q.clearance = ClearanceRequirement {
        required_level: ClearanceLevel::Sk3,
        citizenship: vec![land("SE")],
        accept_willing: true,
    };
    let m = run(&c, &q);
    assert!(!m.eligible);
    assert_eq!(m.gaps, ["citizenship SE required (has DK)"]);
}

#[test]
fn experience_component_table() {
    for (have, min, value) in [
        (Some(12.0), Some(5.0), 1.0),
        (Some(2.5), Some(5.0), 0.5),
        (None, Some(5.0), 0.5),
        (None, None, 1.0),
        (Some(5.0), Some(5.0), 1.0),
    ] {
        let mut c = consultant();
        c.experience_years = have;
        let mut q = query();
        q.min_experience_years = min;
        assert_eq!(run(&c, &q).breakdown.experience, value, "{have:?} vs {min:?}");
    }
}

#[test]
fn availability_component_table() {
    // (available_from, capacity, start, end, extent, value)
    let cases = [
        (Some("2026-02-01"), Some(100), Some("2026-02-01"), Some("2026-02-10"), Some(100), 1.0),
        (Some("2026-02-06"), Some(100), Some("2026-02-01"), Some("2026-02-10"), Some(100), 0.75),
        (Some("2026-03-01"), Some(50), Some("2026-02-01"), Some("2026-02-10"), Some(100), 0.25),
        (None, None, Some("2026-02-01"), None, Some(100), 0.5),
        (None, None, None, None, None, 1.0),
        (Some("2026-01-31"), Some(100), None, None, Some(100), 1.0),
        (Some("2026-03-02"), Some(100), Some("2026-01-01"), None, None, 1.0 - 60.0 / LATE_DAYS / 2.0),
    ];
    for (from, cap, start, end, extent, value) in cases {
        let mut c = consultant();
        c.available_from = from.map(day);
        c.capacity_percent = cap;
        let mut q = query();
        (q.start_date, q.end_date, q.extent_percent) = (start.map(day), end.map(day), extent);
        let got = run(&c, &q).breakdown.availability;
        assert!((got - value).abs() < 1e-12, "{from:?} {start:?}: {got} vs {value}");
    }
}

#[test]
fn location_component_table() {
    use WorkMode::*;
    // (consultant city, country, modes, asked mode, asked city, value)
    type Case<'a> = (Option<&'a str>, &'a str, &'a [WorkMode], Option<WorkMode>, Option<&'a str>, f64);
    let cases: [Case; 9] = [
        (Some("malmö"), "SE", &[Onsite], Some(Onsite), Some("malmö"), 1.0),
        (Some("lund"), "SE", &[Onsite], Some(Onsite), Some("malmö"), 0.5),
        (Some("lund"), "DK", &[Onsite], Some(Onsite), Some("malmö"), 0.0),
        (Some("malmö"), "SE", &[Remote], Some(Onsite), Some("malmö"), 0.0),
        (Some("malmö"), "SE", &[Hybrid], Some(Onsite), Some("malmö"), 0.5),
        (Some("umeå"), "SE", &[Remote], Some(Remote), Some("malmö"), 1.0),
        (Some("umeå"), "SE", &[Onsite], Some(Remote), None, 0.5),
        (Some("lund"), "SE", &[], Some(Hybrid), Some("malmö"), 0.3 + 0.7 * 0.5),
        (None, "SE", &[], None, None, 1.0),
    ];
    for (city, country, modes, mode, at, value) in cases {
        let mut c = consultant();
        (c.city, c.country, c.work_modes) = (city.map(str::to_string), Some(land(country)), modes.to_vec());
        let mut q = query();
        (q.work_mode, q.city) = (mode, at.map(str::to_string));
        let got = run(&c, &q).breakdown.location;
        assert!((got - value).abs() < 1e-12, "{city:?} {modes:?} {mode:?} {at:?}: {got} vs {value}");
    }
}

#[test]
fn languages_and_citizenships_beyond_the_inline_ones_still_count() {
    let mut c = consultant();
    c.languages = ["en", "de", "fi", "da", "no"].iter().map(|l| (lang(l), Cefr::B1)).collect();
    c.languages.push((lang("sv"), Cefr::C1));
    c.citizenships = vec![land("DK"), land("NO"), land("SE")];
    let mut q = query();
    q.clearance.citizenship = vec![land("SE")];
    assert!(run(&c, &q).eligible);
    c.citizenships.pop();
    assert_eq!(run(&c, &q).gaps, ["citizenship SE required (has DK, NO)"]);
}
