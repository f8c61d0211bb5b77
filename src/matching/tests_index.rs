//! Listing, paging, index maintenance and the reverse direction.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use uuid::Uuid;

use super::tests::{TestGraph, consultant, need, query, run, skill, today};
use super::*;
use crate::domain::{Cefr, LanguageCode, LanguageRequirement};

fn index_of(cs: &[ConsultantVector]) -> ConsultantIndex {
    let mut idx = ConsultantIndex::new();
    cs.iter().cloned().for_each(|c| idx.upsert(c));
    idx
}

fn with_id(mut c: ConsultantVector, id: u128) -> ConsultantVector {
    c.id = Uuid::from_u128(id);
    c
}

#[test]
fn near_miss_mode_lists_those_missing_few_must_haves_as_ineligible() {
    let mut q = query();
    q.must = vec![need(7, None, None), need(8, None, None), need(9, None, None)];
    let full = with_id(
        ConsultantVector {
            skills: vec![skill(7, None, None), skill(8, None, None), skill(9, None, None)],
            ..consultant()
        },
        1,
    );
    let one_off =
        with_id(ConsultantVector { skills: vec![skill(7, None, None), skill(8, None, None)], ..consultant() }, 2);
    let two_off = with_id(ConsultantVector { skills: vec![skill(7, None, None)], ..consultant() }, 3);
    let no_swedish = with_id(ConsultantVector { languages: vec![], ..one_off.clone() }, 4);
    let idx = index_of(&[full, one_off, two_off, no_swedish]);
    let g = TestGraph::new();
    let ids = |p: &MatchPage| p.items.iter().map(|m| m.id.as_u128()).collect::<Vec<_>>();
    let mut o = MatchOptions::new(today());
    let page = idx.rank(&q, &g, &o);
    assert_eq!((ids(&page), page.total_eligible, page.total), (vec![1], 1, 1));
    o.max_missing = 1;
    let page = idx.rank(&q, &g, &o);
    assert_eq!((ids(&page), page.total_eligible, page.total), (vec![1, 2], 1, 2));
    assert!(!page.items[1].eligible);
    assert_eq!(page.items[1].missing_must, 1);
    assert_eq!(page.items[1].gaps, ["skill 9: not in the profile"]);
    o.max_missing = 3;
    assert_eq!(ids(&idx.rank(&q, &g, &o)), vec![1, 2, 3]);
    o = MatchOptions { include_ineligible: true, ..MatchOptions::new(today()) };
    assert_eq!(idx.rank(&q, &g, &o).total, 4);
}

#[test]
fn paging_min_score_and_ties_by_id() {
    let cs: Vec<ConsultantVector> = (1..=5u128).rev().map(|i| with_id(consultant(), i)).collect();
    let idx = index_of(&cs);
    let g = TestGraph::new();
    let o = MatchOptions { limit: 2, offset: 1, ..MatchOptions::new(today()) };
    let page = idx.rank(&query(), &g, &o);
    assert_eq!(page.items.iter().map(|m| m.id.as_u128()).collect::<Vec<_>>(), vec![2, 3]);
    assert_eq!((page.total_eligible, page.total), (5, 5));
    let o = MatchOptions { min_score: Some(100.1), ..MatchOptions::new(today()) };
    let page = idx.rank(&query(), &g, &o);
    assert_eq!((page.items.len(), page.total_eligible), (0, 0));
}

#[test]
fn updates_and_removals_are_seen_by_the_next_ranking() {
    let g = TestGraph::new();
    let o = MatchOptions::new(today());
    let mut idx = index_of(&[with_id(consultant(), 1), with_id(consultant(), 2)]);
    assert_eq!(idx.rank(&query(), &g, &o).total_eligible, 2);
    idx.upsert(ConsultantVector { skills: vec![skill(8, Some(1.0), None)], ..with_id(consultant(), 2) });
    assert_eq!(idx.rank(&query(), &g, &o).total_eligible, 1);
    assert!(idx.remove(Uuid::from_u128(1)));
    assert!(!idx.remove(Uuid::from_u128(1)));
    assert_eq!(idx.rank(&query(), &g, &o).total_eligible, 0);
    idx.upsert(with_id(consultant(), 3));
    assert_eq!((idx.len(), idx.contains(Uuid::from_u128(3))), (2, true));
    assert_eq!(idx.rank(&query(), &g, &o).items[0].id, Uuid::from_u128(3));
}

#[test]
fn assignments_are_ranked_for_a_consultant() {
    let mut hard = query();
    hard.must.push(need(99, None, None));
    let qs = vec![(Uuid::from_u128(10), hard), (Uuid::from_u128(11), query())];
    let page = rank_assignments(&consultant(), &qs, &TestGraph::new(), &MatchOptions::new(today()));
    assert_eq!(page.items.iter().map(|m| m.id.as_u128()).collect::<Vec<_>>(), vec![11]);
    assert_eq!(page.items[0].score, run(&consultant(), &query()).score);
}

#[test]
fn the_synthetic_generator_is_deterministic() {
    assert_eq!(synth::generate_consultants(50, 3), synth::generate_consultants(50, 3));
    assert_ne!(synth::generate_consultants(5, 3), synth::generate_consultants(5, 4));
    assert_eq!(synth::generate_assignments(20, 3), synth::generate_assignments(20, 3));
}

#[test]
fn the_synthetic_assignments_admit_about_one_percent() {
    let g = synth::SynthGraph::new();
    let mut idx = ConsultantIndex::new();
    synth::consultants(1).take(5_000).for_each(|c| idx.upsert(c));
    let qs = synth::generate_assignments(20, 1);
    let o = MatchOptions::new(synth::base_day());
    let eligible: usize = qs.iter().map(|(_, q)| idx.rank(q, &g, &o).total_eligible).sum();
    let rate = eligible as f64 / (20.0 * 5_000.0);
    assert!((0.003..0.03).contains(&rate), "{rate}");
}

/// Scores everyone with [`score`] and sorts: the reference for synthetic data, eligible only.
fn brute_force_eligible(
    cs: &[ConsultantVector],
    q: &AssignmentQuery,
    g: &dyn SkillGraph,
    o: &MatchOptions,
) -> MatchPage {
    let mut listed: Vec<ScoredMatch> = cs
        .iter()
        .map(|c| score(c, q, g, o.today))
        .filter(|m| m.eligible && o.min_score.is_none_or(|s| m.score >= s))
        .collect();
    listed.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.id.cmp(&b.id)));
    MatchPage {
        total_eligible: listed.len(),
        total: listed.len(),
        items: listed.into_iter().skip(o.offset).take(o.limit).collect(),
    }
}

/// More candidates than one chunk of bound-ordered evaluation (256), with and without
/// must-haves (one broad must-have of several posting lists, with and without a minimum the
/// postings must check per candidate), pages and a minimum score: the pruned index still ranks like brute force.
#[test]
fn bound_ordered_pruning_ranks_synthetic_data_like_brute_force() {
    use super::synth::{SynthGraph, base_day, generate_assignments, generate_consultants};
    let g = SynthGraph::new();
    let cs = generate_consultants(1_500, 7);
    let idx = index_of(&cs);
    let plain = MatchOptions::new(base_day());
    let paged = MatchOptions { offset: 5, limit: 10, ..plain.clone() };
    let min = MatchOptions { min_score: Some(70.0), ..plain.clone() };
    let (mut broad_eligible, mut spoken_eligible, mut rare_eligible) = (0, 0, 0);
    for (_, q) in generate_assignments(8, 7) {
        let open = AssignmentQuery { must: vec![], ..q.clone() };
        // Key 0 is the most common category, with narrower keys: a group of several lists.
        let mut broad = AssignmentQuery { must: q.must[..1].to_vec(), languages: vec![], ..q.clone() };
        broad.must[0].key = 0;
        broad.clearance = Default::default();
        let mut deep = broad.clone();
        deep.must[0].min_years = Some(3.0);
        // The assignment's own languages, decided by the gate bitmaps: the language terms of
        // the bound are read only for candidates whose upper bound may still enter.
        let spoken = AssignmentQuery { languages: q.languages.clone(), ..broad.clone() };
        // Danish and Norwegian are too rare for gate bitmaps: the gate and the language
        // component come from the records.
        let mut rare = broad.clone();
        rare.languages = [("da", Cefr::B1, true), ("no", Cefr::B2, false), ("sv", Cefr::C1, false)]
            .map(|(code, min_level, required)| LanguageRequirement {
                code: LanguageCode::parse(code).unwrap(),
                min_level,
                required,
            })
            .to_vec();
        let cases = [(&q, &plain), (&open, &plain), (&open, &paged), (&open, &min), (&q, &min)];
        let broad_cases = [
            (&broad, &plain),
            (&broad, &paged),
            (&broad, &min),
            (&deep, &plain),
            (&deep, &min),
            (&spoken, &plain),
            (&spoken, &paged),
        ];
        let rare_cases = [(&rare, &plain), (&rare, &min)];
        for (q, o) in cases.into_iter().chain(broad_cases).chain(rare_cases) {
            assert_eq!(idx.rank(q, &g, o), brute_force_eligible(&cs, q, &g, o));
        }
        broad_eligible += idx.rank(&broad, &g, &plain).total_eligible;
        spoken_eligible += idx.rank(&spoken, &g, &plain).total_eligible;
        rare_eligible += idx.rank(&rare, &g, &plain).total_eligible;
    }
    // On average the broad queries pass more candidates than one chunk.
    assert!(broad_eligible > 8 * 256, "{broad_eligible}");
    assert!(spoken_eligible > 8 * 256, "{spoken_eligible}");
    assert!(rare_eligible > 0, "{rare_eligible}");
}

/// A clustered index (slots reordered by skills, as the service holds it after loading or
/// compacting) ranks exactly as the index it came from, in every mode, takes writes as before,
/// and stays as compact.
#[test]
fn a_clustered_index_ranks_as_before_and_takes_writes() {
    use crate::matching::synth::{SynthGraph, base_day, consultants, generate_assignments};
    let n = cluster::MIN_CONSULTANTS + 500;
    let cs: Vec<ConsultantVector> = consultants(3).take(n).collect();
    let mut plain = index_of(&cs);
    plain.shrink_to_fit();
    let mut clustered = plain.parts().clustered();
    assert_eq!(clustered.len(), n);
    assert!(
        (0..n as u32).any(|slot| clustered.record(slot).map(|r| r.id) != plain.record(slot).map(|r| r.id)),
        "the slots were reordered"
    );
    assert!(clustered.memory_bytes() <= plain.memory_bytes() + plain.memory_bytes() / 100);
    let g = SynthGraph::new();
    let qs = generate_assignments(24, 3);
    let modes = [
        MatchOptions::new(base_day()),
        MatchOptions { max_missing: 1, ..MatchOptions::new(base_day()) },
        MatchOptions { include_ineligible: true, limit: 5, ..MatchOptions::new(base_day()) },
        MatchOptions { min_score: Some(40.0), ..MatchOptions::new(base_day()) },
    ];
    let same = |a: &ConsultantIndex, b: &ConsultantIndex| {
        for (_, q) in &qs {
            let scan = AssignmentQuery { must: vec![], ..q.clone() };
            for q in [q, &scan] {
                for o in &modes {
                    let (x, y) = (a.rank(q, &g, o), b.rank(q, &g, o));
                    assert_eq!((x.total, x.total_eligible), (y.total, y.total_eligible));
                    let key = |p: &MatchPage| p.items.iter().map(|m| (m.id, m.score.to_bits())).collect::<Vec<_>>();
                    assert_eq!(key(&x), key(&y));
                }
            }
        }
    };
    same(&plain, &clustered);
    // Writes after clustering: an update, a removal and a newcomer, in both indexes.
    let mut top = cs[7].clone();
    top.skills.clear();
    for idx in [&mut plain, &mut clustered] {
        idx.upsert(top.clone());
        assert!(idx.remove(cs[11].id));
        idx.upsert(with_id(cs[13].clone(), 42));
    }
    assert!(!clustered.contains(cs[11].id) && clustered.contains(Uuid::from_u128(42)));
    same(&plain, &clustered);
    // Clustering the clustered index again changes nothing a ranking shows.
    same(&clustered, &clustered.clone().clustered());
}
