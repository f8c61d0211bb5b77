//! The adverse-impact report ([`impact`]) in the manner of NYC Local Law 144 for a scoring
//! tool: over a sample of consultant–assignment pairs, each with the auditor's category for
//! the consultant (or none), the share of each category's pairs that are eligible (the
//! selection rate) and that score strictly above the median of the whole sample (the scoring
//! rate), each divided by the highest category's rate (the impact ratios); a category with
//! either ratio below [`FOUR_FIFTHS`] is flagged. A pair's score is the engine's score when
//! eligible and 0 when not. Categories with less than `min_share` of the sample are listed but
//! left out of the ratios (and of the highest rates). Pairs without a category count in the
//! sample (and its median) and as `unknown`, in no category.
//!
//! Pure and deterministic: categories in name order. The categories are only ever held here,
//! in memory, for the one computation.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use uuid::Uuid;

use super::evaluate::evaluate;
use super::index::ConsultantIndex;
use super::prepare::Prepared;
use super::record::ABSENT_CITY;
use super::vector::{AssignmentQuery, SkillGraph};

/// The four-fifths rule: an impact ratio below this signals adverse impact.
pub const FOUR_FIFTHS: f64 = 0.8;

/// One pair of the sample: the consultant's category (if known), whether the pair is
/// eligible, and its score (the engine's when eligible, else 0).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PairOutcome<'a> {
    /// The auditor's category for the consultant; `None`: unknown.
    pub category: Option<&'a str>,
    /// Whether the pair passes every gate.
    pub eligible: bool,
    /// The engine's score when eligible, else 0.
    pub score: f64,
}

/// One category's figures.
#[derive(Clone, Debug, PartialEq)]
pub struct CategoryReport {
    /// The category as the auditor named it.
    pub category: String,
    /// Its pairs.
    pub n: usize,
    /// Its share of the sample's pairs.
    pub share: f64,
    /// The share of its pairs that are eligible.
    pub selection_rate: f64,
    /// The share of its pairs that score strictly above the sample's median.
    pub scoring_rate: f64,
    /// `selection_rate` over the highest category's; `None` when left out (under
    /// `min_share`) or when no category has any selection.
    pub selection_impact_ratio: Option<f64>,
    /// `scoring_rate` over the highest category's; `None` as above.
    pub scoring_impact_ratio: Option<f64>,
    /// Either ratio below [`FOUR_FIFTHS`].
    pub flagged: bool,
    /// Under `min_share`: listed, left out of the ratios.
    pub excluded: bool,
}

/// The report.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct ImpactReport {
    /// Every category, in name order.
    pub categories: Vec<CategoryReport>,
    /// The median score of all pairs (0 for an empty sample).
    pub median_score: f64,
    /// Pairs whose consultant has no category.
    pub unknown: usize,
    /// Pairs in the sample.
    pub pairs: usize,
    /// The categories under `min_share`, in name order.
    pub excluded: Vec<String>,
    /// The highest selection rate among the categories in the ratios.
    pub highest_selection_rate: f64,
    /// The highest scoring rate among the categories in the ratios.
    pub highest_scoring_rate: f64,
}

/// The median of `scores` (the mean of the middle two for an even count; 0 when empty).
pub fn median(scores: &mut [f64]) -> f64 {
    scores.sort_by(f64::total_cmp);
    let n = scores.len();
    match n {
        0 => 0.0,
        _ if n % 2 == 1 => scores[n / 2],
        _ => (scores[n / 2 - 1] + scores[n / 2]) / 2.0,
    }
}

/// The report over `sample`, leaving categories under `min_share` (0–1) of it out of the ratios.
pub fn impact(sample: &[PairOutcome<'_>], min_share: f64) -> ImpactReport {
    let mut scores: Vec<f64> = sample.iter().map(|p| p.score).collect();
    let median_score = median(&mut scores);
    // Per category: pairs, eligible pairs, pairs above the median.
    let mut counts: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new();
    let mut unknown = 0;
    for p in sample {
        let Some(c) = p.category else {
            unknown += 1;
            continue;
        };
        let e = counts.entry(c).or_default();
        e.0 += 1;
        e.1 += usize::from(p.eligible);
        e.2 += usize::from(p.score > median_score);
    }
    let total = sample.len();
    let share = |n: usize| if total == 0 { 0.0 } else { n as f64 / total as f64 };
    let rate = |k: usize, n: usize| if n == 0 { 0.0 } else { k as f64 / n as f64 };
    let included = |n: usize| share(n) >= min_share;
    let mut highest_selection_rate: f64 = 0.0;
    let mut highest_scoring_rate: f64 = 0.0;
    for &(n, sel, above) in counts.values().filter(|(n, _, _)| included(*n)) {
        highest_selection_rate = highest_selection_rate.max(rate(sel, n));
        highest_scoring_rate = highest_scoring_rate.max(rate(above, n));
    }
    let ratio = |r: f64, top: f64| (top > 0.0).then(|| r / top);
    let mut excluded = Vec::new();
    let categories = counts
        .into_iter()
        .map(|(category, (n, sel, above))| {
            let (selection_rate, scoring_rate) = (rate(sel, n), rate(above, n));
            let inside = included(n);
            if !inside {
                excluded.push(category.to_string());
            }
            let selection_impact_ratio = ratio(selection_rate, highest_selection_rate).filter(|_| inside);
            let scoring_impact_ratio = ratio(scoring_rate, highest_scoring_rate).filter(|_| inside);
            let low = |r: Option<f64>| r.is_some_and(|r| r < FOUR_FIFTHS);
            CategoryReport {
                category: category.to_string(),
                n,
                share: share(n),
                selection_rate,
                scoring_rate,
                selection_impact_ratio,
                scoring_impact_ratio,
                flagged: low(selection_impact_ratio) || low(scoring_impact_ratio),
                excluded: !inside,
            }
        })
        .collect();
    ImpactReport {
        categories,
        median_score,
        unknown,
        pairs: total,
        excluded,
        highest_selection_rate,
        highest_scoring_rate,
    }
}

impl ConsultantIndex {
    /// Each of `ids` scored for `q` on `today`, without explanation: `(eligible, score)`,
    /// `None` for an id not in the index. The same gates and scores as a ranking.
    pub fn outcomes(
        &self,
        q: &AssignmentQuery,
        g: &dyn SkillGraph,
        today: NaiveDate,
        ids: &[Uuid],
    ) -> Vec<Option<(bool, f64)>> {
        let city = q.city.as_deref().map(|c| self.cities.get(c).copied().unwrap_or(ABSENT_CITY));
        let p = Prepared::new(q, g, city, today);
        let mut scratch = Vec::new();
        ids.iter()
            .map(|id| {
                let r = self.view(*self.slots.get(id)?)?;
                let e = evaluate(r, &p, None, None, &mut scratch);
                Some((e.eligible, e.score))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(category: Option<&str>, score: f64) -> PairOutcome<'_> {
        PairOutcome { category, eligible: score > 0.0, score }
    }

    #[test]
    fn the_median_is_the_middle_or_the_mean_of_the_middle_two() {
        assert_eq!(median(&mut []), 0.0);
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&mut [4.0, 1.0, 2.0, 3.0]), 2.5);
    }

    #[test]
    fn small_categories_are_listed_but_left_out_of_the_ratios() {
        let mut sample = vec![pair(Some("a"), 80.0); 60];
        sample.extend(vec![pair(Some("b"), 0.0); 39]);
        sample.push(pair(Some("c"), 0.0));
        let r = impact(&sample, 0.02);
        assert_eq!(r.excluded, ["c"]);
        let c = &r.categories[2];
        assert!(c.excluded && !c.flagged && c.selection_impact_ratio.is_none());
        assert_eq!(r.categories[1].selection_impact_ratio, Some(0.0));
        assert!(r.categories[1].flagged);
        assert_eq!(r.highest_selection_rate, 1.0);
    }

    #[test]
    fn without_any_selection_there_is_no_ratio_and_no_flag() {
        let r = impact(&[pair(Some("a"), 0.0), pair(Some("b"), 0.0), pair(None, 0.0)], 0.0);
        assert!(r.categories.iter().all(|c| c.selection_impact_ratio.is_none() && !c.flagged));
        assert_eq!(r.unknown, 1);
        assert_eq!(r.pairs, 3);
    }
}
