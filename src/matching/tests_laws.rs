//! Property tests for the engine's laws: the index ranks exactly as brute force, points add
//! up to the score, met can-haves and weight on perfect components never lower a score,
//! ineligible consultants stay out, insertion order does not matter.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;
use uuid::Uuid;

use super::tests::{TestGraph, day, today};
use super::*;
use crate::domain::{
    Cefr, ClearanceLevel, ClearanceRequirement, CountryCode, LanguageCode, LanguageRequirement, ResolveMethod,
    SkillLevel, Weights, WorkMode,
};

// 200 and 201 imply 300 in `TestGraph`: the laws hold through implication too.
const KEYS: [SkillKey; 11] = [1, 10, 11, 100, 2, 3, 4, 200, 201, 300, FREE_TEXT_BASE + 5];
const CITIES: [&str; 3] = ["malmö", "lund", "umeå"];

fn key() -> impl Strategy<Value = SkillKey> {
    prop::sample::select(&KEYS[..])
}

fn level() -> impl Strategy<Value = Option<SkillLevel>> {
    prop::option::of((1i64..=5).prop_map(|l| SkillLevel::new(l).unwrap()))
}

fn years() -> impl Strategy<Value = Option<f32>> {
    prop::option::of((0u16..120).prop_map(|t| f32::from(t) / 10.0))
}

fn cefr() -> impl Strategy<Value = Cefr> {
    prop::sample::select(Cefr::ALL)
}

fn language() -> impl Strategy<Value = LanguageCode> {
    prop::sample::select(&["sv", "en", "de"][..]).prop_map(|c| LanguageCode::parse(c).unwrap())
}

fn country() -> impl Strategy<Value = CountryCode> {
    prop::sample::select(&["SE", "DK"][..]).prop_map(|c| CountryCode::parse(c).unwrap())
}

fn date() -> impl Strategy<Value = Option<chrono::NaiveDate>> {
    prop::option::of((0u64..120).prop_map(|d| day("2025-12-01") + chrono::Days::new(d)))
}

prop_compose! {
    fn consultant()(id in any::<u16>(),
                    skills in prop::collection::vec((key(), years(), level(), 0usize..4), 0..6),
                    languages in prop::collection::vec((language(), cefr()), 0..3),
                    clearance in prop::sample::select(ClearanceLevel::ALL),
                    citizenships in prop::collection::vec(country(), 0..2),
                    willing in any::<bool>(),
                    city in prop::option::of(prop::sample::select(&CITIES[..])),
                    country in prop::option::of(country()),
                    modes in prop::sample::subsequence(WorkMode::ALL, 0..=3),
                    from in date(),
                    cap in prop::option::of(prop::sample::select(&[50u8, 80, 100][..])),
                    exp in prop::option::of(0u16..30)) -> ConsultantVector {
        let resolved = [Some(ResolveMethod::Exact), Some(ResolveMethod::Alias), Some(ResolveMethod::Fuzzy), None];
        ConsultantVector {
            id: Uuid::from_u128(u128::from(id)),
            skills: skills.into_iter().map(|(key, years, level, r)| SkillEntry { key, years, level, resolved: resolved[r] }).collect(),
            languages, clearance, citizenships, willing_to_undergo: willing,
            city: city.map(str::to_string), country, work_modes: modes,
            available_from: from, capacity_percent: cap, experience_years: exp.map(f32::from),
        }
    }
}

prop_compose! {
    fn query()(must in prop::collection::vec((key(), prop::option::of(0u8..6), level()), 0..3),
               can in prop::collection::vec((key(), 0u8..4, prop::option::of(0u8..6), level()), 0..4),
               languages in prop::collection::vec((language(), cefr(), any::<bool>()), 0..3),
               required_level in prop::sample::select(ClearanceLevel::ALL),
               citizenship in prop::collection::vec(country(), 0..2),
               accept_willing in any::<bool>(),
               min_exp in prop::option::of(0u8..15),
               city in prop::option::of(prop::sample::select(&CITIES[..])),
               country in prop::option::of(country()),
               mode in prop::option::of(prop::sample::select(WorkMode::ALL)),
               start in date(), end in date(),
               extent in prop::option::of(prop::sample::select(&[0u8, 50, 100][..])),
               raw in prop::array::uniform6(0u8..5)) -> AssignmentQuery {
        let raw = raw.map(f64::from);
        AssignmentQuery {
            must: must.into_iter().map(|(key, y, min_level)| Need { key, label: format!("s{key}").into(), min_years: y.map(f32::from), min_level }).collect(),
            can: can.into_iter().map(|(key, w, y, min_level)| Want { key, label: format!("s{key}").into(), weight: f32::from(w), min_years: y.map(f32::from), min_level, quality: false }).collect(),
            qualities: vec![], city_label: None,
            languages: languages.into_iter().map(|(code, min_level, required)| LanguageRequirement { code, min_level, required }).collect(),
            clearance: ClearanceRequirement { required_level, citizenship, accept_willing },
            min_experience_years: min_exp.map(f32::from),
            city: city.map(str::to_string), country, work_mode: mode,
            start_date: start, end_date: end, extent_percent: extent,
            weights: Weights::new(raw).unwrap_or_default(),
        }
    }
}

prop_compose! {
    fn options()(limit in 0usize..8, offset in 0usize..4, min_score in prop::option::of(0.0f64..80.0),
                 include_ineligible in any::<bool>(), max_missing in 0u32..3) -> MatchOptions {
        MatchOptions { limit, offset, min_score, include_ineligible, max_missing, today: today() }
    }
}

fn unique(cs: Vec<ConsultantVector>) -> Vec<ConsultantVector> {
    let mut seen = std::collections::HashSet::new();
    cs.into_iter().filter(|c| seen.insert(c.id)).collect()
}

/// The reference: score everyone, list by the documented rules, sort, page.
fn brute_force(cs: &[ConsultantVector], q: &AssignmentQuery, o: &MatchOptions) -> MatchPage {
    let g = TestGraph::new();
    let without_musts = AssignmentQuery { must: vec![], ..q.clone() };
    let mut listed: Vec<ScoredMatch> = cs
        .iter()
        .map(|c| (score(c, q, &g, o.today), score(c, &without_musts, &g, o.today).eligible))
        .filter(|(m, other_ok)| m.eligible || o.include_ineligible || (*other_ok && m.missing_must <= o.max_missing))
        .map(|(m, _)| m)
        .filter(|m| o.min_score.is_none_or(|s| m.score >= s))
        .collect();
    listed.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.id.cmp(&b.id)));
    MatchPage {
        total_eligible: listed.iter().filter(|m| m.eligible).count(),
        total: listed.len(),
        items: listed.into_iter().skip(o.offset).take(o.limit).collect(),
    }
}

fn index_of(cs: &[ConsultantVector]) -> ConsultantIndex {
    let mut idx = ConsultantIndex::new();
    cs.iter().cloned().for_each(|c| idx.upsert(c));
    idx
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn the_index_ranks_exactly_like_brute_force(cs in prop::collection::vec(consultant(), 0..25), q in query(), o in options()) {
        let cs = unique(cs);
        let got = index_of(&cs).rank(&q, &TestGraph::new(), &o);
        prop_assert_eq!(got, brute_force(&cs, &q, &o));
    }

    /// Consultants updated in place (the index re-posts only the keys whose postings differ)
    /// rank exactly like brute force over their last versions: updates that keep every
    /// skill, that keep some and add others, and that replace them all.
    #[test]
    fn updates_in_place_rank_like_brute_force(
        before in prop::collection::vec(consultant(), 1..20),
        after in prop::collection::vec(consultant(), 0..25),
        q in query(),
        o in options(),
    ) {
        let mut now = unique(before);
        let mut idx = index_of(&now);
        for (i, mut c) in after.into_iter().enumerate() {
            let at = i % now.len();
            c.id = now[at].id;
            match i % 3 {
                0 => c.skills = now[at].skills.clone(),
                1 => c.skills.extend(now[at].skills.iter().skip(1).cloned()),
                _ => {}
            }
            idx.upsert(c.clone());
            now[at] = c;
        }
        prop_assert_eq!(idx.rank(&q, &TestGraph::new(), &o), brute_force(&now, &q, &o));
    }

    /// The ranking's bounds never fall below the score: the first bound (must-haves at their
    /// most), the tighter one with the exact must-have component, and the tightest with the
    /// exact can-have component as well. A bound below the score
    /// would prune a consultant wrongly. Unless the gate bitmaps decided them, the bound also
    /// checks the clearance, citizenship and required-language gates.
    #[test]
    fn bounds_are_never_below_the_score(c in consultant(), q in query(), gates_decided in any::<bool>()) {
        let g = TestGraph::new();
        let m = score(&c, &q, &g, today());
        let (rec, hot) = parts(&c);
        let p = Prepared::new(&q, &g, local_city(&c, &q), today());
        let bounder = bound::Bounder::new(&p, gates_decided, &[]);
        let first = bounder.bound(&hot, 0, || Some(&rec));
        prop_assert_eq!(first.is_some(), gates_decided || evaluate::cheap_gates(record::View { hot: &hot, rec: &rec }, &q));
        if let Some(first) = first {
            prop_assert!(first >= m.score, "{} vs {}", first, m.score);
            let tighter = bounder.with_must(first, m.breakdown.must_have);
            prop_assert!(tighter >= m.score, "{} vs {}", tighter, m.score);
            let tightest = bounder.with_can(tighter, &hot, m.breakdown.can_have);
            prop_assert!(tightest >= m.score, "{} vs {}", tightest, m.score);
        }
    }

    #[test]
    fn points_add_up_to_the_score(c in consultant(), q in query()) {
        let m = score(&c, &q, &TestGraph::new(), today());
        let sum: f64 = m.explanation.iter().map(|e| e.points).sum();
        prop_assert!((sum - m.score).abs() < 1e-9, "{} vs {}", sum, m.score);
        prop_assert!((0.0..=100.0).contains(&m.score));
        for v in m.breakdown.as_array() {
            prop_assert!((0.0..=1.0).contains(&v));
        }
    }

    #[test]
    fn adding_a_met_can_have_never_lowers_a_score(c in consultant(), q in query(), pick in any::<prop::sample::Index>(), w in 1u8..4) {
        prop_assume!(!c.skills.is_empty());
        let have = &c.skills[pick.index(c.skills.len())];
        let before = score(&c, &q, &TestGraph::new(), today());
        let mut more = q.clone();
        more.can.push(Want { key: have.key, label: "met".into(), weight: f32::from(w), min_years: None, min_level: None, quality: false });
        let after = score(&c, &more, &TestGraph::new(), today());
        prop_assert!(after.score >= before.score - 1e-9, "{} < {}", after.score, before.score);
    }

    #[test]
    fn more_weight_on_a_perfect_component_never_lowers_a_score(c in consultant(), q in query(), extra in 0.1f64..5.0) {
        let g = TestGraph::new();
        let before = score(&c, &q, &g, today());
        for (i, v) in before.breakdown.as_array().iter().enumerate() {
            if *v == 1.0 {
                let mut raw = q.weights.as_array();
                raw[i] += extra;
                let heavier = AssignmentQuery { weights: Weights::new(raw).unwrap(), ..q.clone() };
                let after = score(&c, &heavier, &g, today());
                prop_assert!(after.score >= before.score - 1e-9, "component {}: {} < {}", i, after.score, before.score);
            }
        }
    }

    #[test]
    fn an_ineligible_consultant_is_never_listed_by_default(cs in prop::collection::vec(consultant(), 0..25), q in query()) {
        let page = index_of(&unique(cs)).rank(&q, &TestGraph::new(), &MatchOptions { limit: 100, ..MatchOptions::new(today()) });
        prop_assert!(page.items.iter().all(|m| m.eligible && m.missing_must == 0));
        prop_assert_eq!(page.total, page.total_eligible);
    }

    #[test]
    fn insertion_order_and_churn_do_not_change_the_ranking(cs in prop::collection::vec(consultant(), 0..25), q in query(), o in options()) {
        let cs = unique(cs);
        let g = TestGraph::new();
        let forward = index_of(&cs).rank(&q, &g, &o);
        let mut reversed = cs.clone();
        reversed.reverse();
        prop_assert_eq!(&index_of(&reversed).rank(&q, &g, &o), &forward);
        // Insert decoys and old versions, then replace and remove them.
        let mut churned = ConsultantIndex::new();
        for (i, c) in cs.iter().enumerate() {
            churned.upsert(ConsultantVector { skills: vec![], ..c.clone() });
            churned.upsert(ConsultantVector { id: Uuid::from_u128(1 << 100 | i as u128), ..c.clone() });
        }
        for (i, c) in cs.iter().enumerate() {
            churned.upsert(c.clone());
            prop_assert!(churned.remove(Uuid::from_u128(1 << 100 | i as u128)));
        }
        prop_assert_eq!(churned.len(), cs.len());
        prop_assert_eq!(churned.rank(&q, &g, &o), forward);
    }

    #[test]
    fn ranking_assignments_matches_scoring_each_pair(c in consultant(), qs in prop::collection::vec(query(), 0..12), o in options()) {
        let g = TestGraph::new();
        let qs: Vec<(Uuid, AssignmentQuery)> = qs.into_iter().enumerate().map(|(i, q)| (Uuid::from_u128(i as u128 * 7 % 12), q)).collect();
        let mut listed: Vec<ScoredMatch> = qs
            .iter()
            .map(|(id, q)| {
                let other_ok = score(&c, &AssignmentQuery { must: vec![], ..q.clone() }, &g, o.today).eligible;
                (ScoredMatch { id: *id, ..score(&c, q, &g, o.today) }, other_ok)
            })
            .filter(|(m, other_ok)| m.eligible || o.include_ineligible || (*other_ok && m.missing_must <= o.max_missing))
            .map(|(m, _)| m)
            .filter(|m| o.min_score.is_none_or(|s| m.score >= s))
            .collect();
        listed.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.id.cmp(&b.id)));
        let want = MatchPage {
            total_eligible: listed.iter().filter(|m| m.eligible).count(),
            total: listed.len(),
            items: listed.into_iter().skip(o.offset).take(o.limit).collect(),
        };
        prop_assert_eq!(rank_assignments(&c, &qs, &g, &o), want);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn a_ranking_without_some_consultants_is_a_ranking_of_an_index_without_them(
        cs in prop::collection::vec(consultant(), 0..25), q in query(), o in options(), drop in prop::collection::vec(any::<prop::sample::Index>(), 0..5)) {
        let cs = unique(cs);
        let mut excluded: Vec<Uuid> = if cs.is_empty() { vec![] } else { drop.iter().map(|i| i.get(&cs).id).collect() };
        excluded.push(Uuid::from_u128(u128::MAX)); // not indexed: ignored
        let kept: Vec<ConsultantVector> = cs.iter().filter(|c| !excluded.contains(&c.id)).cloned().collect();
        let got = index_of(&cs).rank_excluding(&q, &TestGraph::new(), &o, &excluded);
        prop_assert_eq!(got, brute_force(&kept, &q, &o));
    }

    #[test]
    fn applying_eligible_if_makes_the_pair_eligible(c in consultant(), q in query()) {
        let g = TestGraph::new();
        let w = what_if(&c, &q, &g, today());
        prop_assert_eq!(w.eligible_if.is_empty(), score(&c, &q, &g, today()).eligible);
        let mut changed = c.clone();
        apply_changes(&mut changed, &w.eligible_if.iter().map(|n| n.change.clone()).collect::<Vec<_>>());
        prop_assert!(score(&changed, &q, &g, today()).eligible, "{:?}", w.eligible_if);
    }

    #[test]
    fn each_score_gain_adds_exactly_its_points_and_the_best_come_first(c in consultant(), q in query()) {
        let g = TestGraph::new();
        let before = score(&c, &q, &g, today()).score;
        let w = what_if(&c, &q, &g, today());
        prop_assert!(w.score_gain.len() <= GAINS);
        prop_assert!(w.score_gain.windows(2).all(|p| p[0].points >= p[1].points));
        for gain in &w.score_gain {
            let mut changed = c.clone();
            apply_changes(&mut changed, std::slice::from_ref(&gain.change));
            let after = score(&changed, &q, &g, today()).score;
            prop_assert!(gain.points > 0.0);
            prop_assert!((after - before - gain.points).abs() < 1e-9, "{gain:?}: {before} → {after}");
        }
    }
}
