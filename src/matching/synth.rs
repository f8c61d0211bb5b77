//! A deterministic synthetic data generator for benchmarks, load scripts and property tests:
//! the same `(n, seed)` gives the same data forever (own SplitMix64, no external RNG).
//!
//! - [`SKILL_COUNT`] skill keys with Zipf-like popularity (key 0 the most common); the first
//!   [`CATEGORY_COUNT`] keys are broad categories, every other key `k` is a narrower skill
//!   of category `k % CATEGORY_COUNT` ([`SynthGraph`]).
//! - Consultants belong to one of [`ROLE_COUNT`] roles; each role has core skills its
//!   members usually hold, so skills co-occur as they do in real profiles. 5–30 skills each,
//!   mostly Swedish and English, some Finnish, Danish, Norwegian, German; clearances, cities.
//! - Assignments pick a role and 2–6 must-haves from its core (some with `min_years`),
//!   Swedish/English requirements and sometimes clearance, so that about 1% of consultants
//!   are eligible.
//!
//! Not part of the production engine: compiled only for the crate's unit tests and with the
//! cargo feature `synth`, which the engine benchmarks (`benches/matching.rs`,
//! `benches/latency.rs`) and the examples `engine_profile` and `synth_json` require
//! (`cargo bench --bench latency --features synth`). Nothing in the engine imports it.

use chrono::{Days, NaiveDate};
use uuid::Uuid;

use super::vector::{AssignmentQuery, ConsultantVector, Need, SkillEntry, SkillGraph, SkillKey, Want};
use crate::domain::ResolveMethod;
use crate::domain::{
    Cefr, ClearanceLevel, ClearanceRequirement, CountryCode, LanguageCode, LanguageRequirement, SkillLevel, Weights,
    WorkMode,
};

/// How many skill keys the generator uses.
pub const SKILL_COUNT: u32 = 400;
/// How many of them are broad categories.
pub const CATEGORY_COUNT: u32 = 40;
/// How many consultant roles (skill clusters) there are.
pub const ROLE_COUNT: usize = 24;
const CORE: usize = 8;
const EXTRA: usize = 16;

/// SplitMix64: a tiny, fast, well-mixed deterministic generator.
#[derive(Clone, Debug)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`; 0 gives 0).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64 }
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// A random UUID (version bits untouched; ids only need to be distinct and stable).
    pub fn uuid(&mut self) -> Uuid {
        Uuid::from_u64_pair(self.next_u64(), self.next_u64())
    }

    /// Picks by weights.
    fn weighted<T: Copy>(&mut self, items: &[(T, f64)]) -> Option<T> {
        let total: f64 = items.iter().map(|(_, w)| w).sum();
        let mut x = self.unit() * total;
        for (t, w) in items {
            if x < *w {
                return Some(*t);
            }
            x -= w;
        }
        items.last().map(|(t, _)| *t)
    }
}

/// The synthetic taxonomy: categories `0..CATEGORY_COUNT`, every other key narrower than
/// `k % CATEGORY_COUNT`.
#[derive(Clone, Debug)]
pub struct SynthGraph {
    ancestors: Vec<Vec<SkillKey>>,
    descendants: Vec<Vec<SkillKey>>,
}

impl SynthGraph {
    /// Builds the graph.
    pub fn new() -> Self {
        let mut ancestors = vec![Vec::new(); SKILL_COUNT as usize];
        let mut descendants = vec![Vec::new(); SKILL_COUNT as usize];
        for k in CATEGORY_COUNT..SKILL_COUNT {
            let parent = k % CATEGORY_COUNT;
            ancestors[k as usize].push(parent);
            descendants[parent as usize].push(k);
        }
        SynthGraph { ancestors, descendants }
    }
}

impl Default for SynthGraph {
    fn default() -> Self {
        Self::new()
    }
}

impl SkillGraph for SynthGraph {
    fn ancestors(&self, k: SkillKey) -> &[SkillKey] {
        self.ancestors.get(k as usize).map_or(&[], Vec::as_slice)
    }
    fn descendants(&self, k: SkillKey) -> &[SkillKey] {
        self.descendants.get(k as usize).map_or(&[], Vec::as_slice)
    }
}

/// Skill popularity and role clusters, shared by both generators.
struct Model {
    zipf_cdf: Vec<f64>,
    roles: Vec<Vec<SkillKey>>,
}

impl Model {
    fn new() -> Self {
        let mut acc = 0.0;
        let zipf_cdf = (0..SKILL_COUNT)
            .map(|r| {
                acc += 1.0 / f64::from(r + 1).powf(0.9);
                acc
            })
            .collect();
        let mut rng = SplitMix64::new(0x05EE_D0F4_01E5);
        let roles = (0..ROLE_COUNT)
            .map(|_| {
                let mut keys: Vec<SkillKey> = Vec::with_capacity(CORE + EXTRA);
                while keys.len() < CORE + EXTRA {
                    let k = rng.below(u64::from(SKILL_COUNT - CATEGORY_COUNT)) as SkillKey + CATEGORY_COUNT;
                    if !keys.contains(&k) {
                        keys.push(k);
                    }
                }
                keys
            })
            .collect();
        Model { zipf_cdf, roles }
    }

    fn zipf(&self, rng: &mut SplitMix64) -> SkillKey {
        let total = self.zipf_cdf.last().copied().unwrap_or(1.0);
        let x = rng.unit() * total;
        self.zipf_cdf.partition_point(|c| *c <= x).min(SKILL_COUNT as usize - 1) as SkillKey
    }
}

const CITIES: [(&str, f64); 16] = [
    ("stockholm", 30.0),
    ("göteborg", 14.0),
    ("malmö", 10.0),
    ("uppsala", 5.0),
    ("linköping", 5.0),
    ("västerås", 4.0),
    ("örebro", 4.0),
    ("norrköping", 3.0),
    ("helsingborg", 3.0),
    ("jönköping", 3.0),
    ("umeå", 3.0),
    ("lund", 4.0),
    ("luleå", 2.0),
    ("karlstad", 2.0),
    ("gävle", 2.0),
    ("sundsvall", 2.0),
];

fn lang(code: &str) -> Option<LanguageCode> {
    LanguageCode::parse(code).ok()
}

fn country(code: &str) -> Option<CountryCode> {
    CountryCode::parse(code).ok()
}

/// The reference day the synthetic availability dates are spread around (2026-01-01).
pub fn base_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default()
}

fn consultant(m: &Model, rng: &mut SplitMix64) -> ConsultantVector {
    let role = &m.roles[rng.below(ROLE_COUNT as u64) as usize];
    let n = 5 + rng.below(26) as usize;
    let mut keys: Vec<SkillKey> = role[..CORE].iter().copied().filter(|_| rng.chance(0.75)).collect();
    keys.truncate(n);
    let mut tries = 0;
    while keys.len() < n && tries < 200 {
        tries += 1;
        let k = if rng.chance(0.4) { role[rng.below(role.len() as u64) as usize] } else { m.zipf(rng) };
        if !keys.contains(&k) {
            keys.push(k);
        }
    }
    let skills = keys
        .into_iter()
        .map(|key| SkillEntry {
            key,
            years: rng.chance(0.9).then(|| (1 + rng.below(150)) as f32 / 10.0),
            level: rng.chance(0.85).then(|| SkillLevel::new(1 + rng.below(5) as i64).ok()).flatten(),
            resolved: *[
                Some(ResolveMethod::Exact),
                Some(ResolveMethod::Exact),
                Some(ResolveMethod::Alias),
                Some(ResolveMethod::Fuzzy),
            ]
            .get(rng.below(4) as usize)
            .unwrap_or(&Some(ResolveMethod::Exact)),
        })
        .collect();
    let mut languages = Vec::new();
    let levels = [(Cefr::B1, 1.0), (Cefr::B2, 3.0), (Cefr::C1, 4.0), (Cefr::C2, 2.0), (Cefr::Native, 1.0)];
    if rng.chance(0.88) {
        let lvl = if rng.chance(0.75) { Some(Cefr::Native) } else { rng.weighted(&levels) };
        languages.extend(lang("sv").zip(lvl));
    }
    if rng.chance(0.95) {
        languages.extend(lang("en").zip(rng.weighted(&levels)));
    }
    for (code, p) in [("fi", 0.05), ("da", 0.03), ("no", 0.03), ("de", 0.08)] {
        if rng.chance(p) {
            languages.extend(lang(code).zip(rng.weighted(&levels)));
        }
    }
    let clearance = rng
        .weighted(&[
            (ClearanceLevel::None, 80.0),
            (ClearanceLevel::Sk3, 12.0),
            (ClearanceLevel::Sk2, 6.0),
            (ClearanceLevel::Sk1, 2.0),
        ])
        .unwrap_or(ClearanceLevel::None);
    let mut citizenships: Vec<CountryCode> = Vec::new();
    let home = if rng.chance(0.88) { "SE" } else { ["FI", "DK", "NO", "DE", "PL"][rng.below(5) as usize] };
    citizenships.extend(country(home));
    if rng.chance(0.05) {
        citizenships.extend(country(["SE", "FI", "GB"][rng.below(3) as usize]).filter(|c| c.as_str() != home));
    }
    let work_modes = if rng.chance(0.15) {
        Vec::new()
    } else {
        let mut w: Vec<WorkMode> = WorkMode::ALL.iter().copied().filter(|_| rng.chance(0.6)).collect();
        if w.is_empty() {
            w.push(WorkMode::Hybrid);
        }
        w
    };
    ConsultantVector {
        id: rng.uuid(),
        skills,
        languages,
        clearance,
        citizenships,
        willing_to_undergo: rng.chance(0.5),
        city: rng.weighted(&CITIES.map(|(c, w)| (c, w))).map(str::to_string),
        country: if rng.chance(0.96) { country("SE") } else { country("DK") },
        work_modes,
        available_from: rng.chance(0.9).then(|| base_day() + Days::new(rng.below(120))),
        capacity_percent: rng
            .chance(0.9)
            .then(|| *[100u8, 100, 100, 80, 50].get(rng.below(5) as usize).unwrap_or(&100)),
        experience_years: rng.chance(0.95).then(|| (1 + rng.below(30)) as f32),
    }
}

/// `n` consultants from `seed`, always the same.
pub fn generate_consultants(n: usize, seed: u64) -> Vec<ConsultantVector> {
    consultants(seed).take(n).collect()
}

/// An endless stream of consultants from `seed` (the first `n` equal
/// [`generate_consultants`]`(n, seed)`), for loading large indexes without holding the vectors.
pub fn consultants(seed: u64) -> impl Iterator<Item = ConsultantVector> {
    let m = Model::new();
    let mut rng = SplitMix64::new(seed);
    std::iter::repeat_with(move || consultant(&m, &mut rng))
}

fn assignment(m: &Model, rng: &mut SplitMix64) -> AssignmentQuery {
    let role = &m.roles[rng.below(ROLE_COUNT as u64) as usize];
    let n_must = 2 + rng.below(5) as usize;
    let mut core: Vec<SkillKey> = role[..CORE].to_vec();
    let mut must = Vec::with_capacity(n_must);
    while must.len() < n_must && !core.is_empty() {
        let key = core.swap_remove(rng.below(core.len() as u64) as usize);
        must.push(Need {
            key,
            label: format!("skill {key}").into(),
            min_years: rng.chance(0.2).then(|| (1 + rng.below(3)) as f32),
            min_level: None,
        });
    }
    let can = (0..rng.below(7))
        .map(|_| {
            let key = if rng.chance(0.6) { role[CORE + rng.below(EXTRA as u64) as usize] } else { m.zipf(rng) };
            Want {
                key,
                label: format!("skill {key}").into(),
                weight: (1 + rng.below(3)) as f32,
                min_years: rng.chance(0.3).then(|| (2 + rng.below(4)) as f32),
                min_level: rng.chance(0.2).then(|| SkillLevel::new(3).ok()).flatten(),
                quality: false,
            }
        })
        .collect();
    let mut languages = Vec::new();
    if rng.chance(0.6) {
        languages.extend(lang("sv").map(|code| LanguageRequirement { code, min_level: Cefr::C1, required: true }));
    }
    if rng.chance(0.6) {
        let min_level = if rng.chance(0.5) { Cefr::B2 } else { Cefr::C1 };
        languages.extend(lang("en").map(|code| LanguageRequirement { code, min_level, required: true }));
    }
    if rng.chance(0.1) {
        languages.extend(lang("de").map(|code| LanguageRequirement { code, min_level: Cefr::B2, required: false }));
    }
    let clearance = if rng.chance(0.1) {
        ClearanceRequirement {
            required_level: ClearanceLevel::Sk3,
            citizenship: country("SE").into_iter().collect(),
            accept_willing: rng.chance(0.6),
        }
    } else {
        ClearanceRequirement::default()
    };
    let start = base_day() + Days::new(rng.below(90));
    AssignmentQuery {
        must,
        can,
        qualities: Vec::new(),
        languages,
        clearance,
        min_experience_years: rng.chance(0.5).then(|| (2 + rng.below(8)) as f32),
        city: rng.weighted(&CITIES.map(|(c, w)| (c, w))).map(str::to_string),
        city_label: None,
        country: country("SE"),
        work_mode: rng.weighted(&[(WorkMode::Onsite, 3.0), (WorkMode::Hybrid, 5.0), (WorkMode::Remote, 2.0)]),
        start_date: Some(start),
        end_date: rng.chance(0.8).then(|| start + Days::new(90 + rng.below(270))),
        extent_percent: Some(if rng.chance(0.7) { 100 } else { 50 }),
        weights: Weights::DEFAULT,
    }
}

/// `n` assignments (with ids) from `seed`, always the same.
pub fn generate_assignments(n: usize, seed: u64) -> Vec<(Uuid, AssignmentQuery)> {
    let m = Model::new();
    let mut rng = SplitMix64::new(seed ^ 0xA55A_5AA5_F00D_CAFE);
    (0..n).map(|_| (rng.uuid(), assignment(&m, &mut rng))).collect()
}
