//! Searching skills by a query in either language: exact, prefix, word-prefix, substring
//! and near-miss hits over labels and aliases, best first.

use std::collections::HashMap;

use super::model::Taxonomy;
use super::normalize::{fold, normalize};
use super::vocab::SkillIdx;

/// How well a key matched the query; lower is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Rank {
    Equal,
    Prefix,
    WordPrefix,
    Substring,
    NearMiss,
}

impl Taxonomy {
    /// Skills whose labels (both languages) or aliases match `q`, best first: equal name,
    /// then name starting with `q`, then a word starting with `q`, then `q` anywhere, then
    /// near-miss spellings. Comparison ignores case, punctuation, version suffixes and
    /// diacritics. Ties go to the shorter English label, then the id. An empty (or
    /// all-punctuation) query returns every skill, ordered by id.
    pub fn search(&self, q: &str) -> Vec<SkillIdx> {
        let key = normalize(q);
        if key.is_empty() {
            let mut all: Vec<SkillIdx> = (0..self.len() as SkillIdx).collect();
            all.sort_by(|&a, &b| self.skills[a as usize].id.cmp(&self.skills[b as usize].id));
            return all;
        }
        let q = fold(&key);
        let word_q = format!(" {q}");
        let mut best: HashMap<SkillIdx, Rank> = HashMap::new();
        let mut note = |idx: SkillIdx, rank: Rank| {
            let slot = best.entry(idx).or_insert(rank);
            *slot = (*slot).min(rank);
        };
        for (text, idx) in self.fuzzy().keys() {
            let rank = if text == q {
                Rank::Equal
            } else if text.starts_with(&q) {
                Rank::Prefix
            } else if text.contains(&word_q) {
                Rank::WordPrefix
            } else if text.contains(&q) {
                Rank::Substring
            } else {
                continue;
            };
            note(idx, rank);
        }
        for (idx, _) in self.fuzzy().near_skills(&q) {
            note(idx, Rank::NearMiss);
        }
        let mut hits: Vec<(SkillIdx, Rank)> = best.into_iter().collect();
        hits.sort_by(|&(a, ra), &(b, rb)| {
            let (sa, sb) = (&self.skills[a as usize], &self.skills[b as usize]);
            ra.cmp(&rb).then(sa.label_en.len().cmp(&sb.label_en.len())).then(sa.id.cmp(&sb.id))
        });
        hits.into_iter().map(|(idx, _)| idx).collect()
    }
}
