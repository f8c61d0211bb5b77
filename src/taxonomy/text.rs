//! Finding skills named inside free text (a requirement line, a CV sentence): every
//! n-gram of words is looked up as an exact label, alias or diacritics-free spelling;
//! only long n-grams may match as near misses. Overlaps are settled by the longest match.

use super::normalize::{Token, fold, is_version_token, normalize, tokenize};
use super::{Mention, Method, Resolution, SkillIdx, Taxonomy};

/// Shortest folded n-gram (in letters) that may match as a near-miss spelling in text.
/// Shorter words in running text are too often other words that happen to be one edit
/// away from a skill.
const TEXT_NEAR_MISS_MIN: usize = 8;

/// Longest n-gram (in words) tried as a near miss; exact lookups use the taxonomy's
/// longest name.
const TEXT_NEAR_MISS_MAX_WORDS: usize = 4;

/// Skill names that are also everyday English or Swedish words. In text they count only
/// when capitalised ("Go", "Spring", "SAFe" are skills; "go", "spring", "safe" are words).
const COMMON_WORDS: &[&str] = &[
    "access", "airflow", "ant", "bash", "chef", "consul", "cypress", "dart", "elm", "envoy", "excel", "express",
    "flask", "flow", "forms", "go", "helm", "hive", "jest", "lean", "less", "make", "nomad", "office", "outlook",
    "packer", "pig", "planner", "project", "puppet", "rest", "ruby", "rust", "safe", "salt", "shell", "spark",
    "spring", "storm", "support", "swift", "teams", "test", "unity", "vault", "word",
];

/// A possible mention: tokens `first..last` (inclusive) name `skill`.
struct Candidate {
    first: usize,
    last: usize,
    skill: SkillIdx,
    resolution: Resolution,
}

fn method_rank(m: Method) -> u8 {
    match m {
        Method::Exact | Method::Alias => 0,
        Method::Fuzzy => 1,
        Method::None => 2,
    }
}

impl Taxonomy {
    /// Every skill named inside `text`, in text order, without overlaps (the longest match
    /// wins; at equal length an exact or alias match beats a fuzzy one). Spans are byte
    /// offsets into `text` and include a version that directly follows ("ITIL 4").
    /// Short or common words count only when written as in the data, and near-miss
    /// spellings are considered only for n-grams of at least eight letters with the same
    /// number of words as the name they resemble.
    pub fn find_in_text(&self, text: &str) -> Vec<Mention> {
        let tokens = tokenize(text);
        let mut candidates = Vec::new();
        let mut key = String::new();
        for i in 0..tokens.len() {
            key.clear();
            for n in 1..=self.max_words.min(tokens.len() - i) {
                let last = i + n - 1;
                if n > 1 {
                    key.push(' ');
                }
                key.push_str(&tokens[last].norm);
                if let Some(resolution) = self.resolve_ngram(text, &tokens[i..=last], &key)
                    && let Some(skill) = resolution.skill
                {
                    candidates.push(Candidate { first: i, last, skill, resolution });
                }
            }
        }
        let span = |c: &Candidate| tokens[c.last].end - tokens[c.first].start;
        candidates.sort_by(|a, b| {
            span(b)
                .cmp(&span(a))
                .then(method_rank(a.resolution.method).cmp(&method_rank(b.resolution.method)))
                .then(a.first.cmp(&b.first))
        });
        let mut taken = vec![false; tokens.len()];
        let mut mentions = Vec::new();
        for c in candidates {
            if taken[c.first..=c.last].iter().any(|&t| t) {
                continue;
            }
            let mut last = c.last;
            while let Some(next) = tokens.get(last + 1) {
                let gap = &text[tokens[last].end..next.start];
                if taken[last + 1] || !gap.chars().all(char::is_whitespace) || !is_version_token(&next.norm) {
                    break;
                }
                last += 1;
            }
            taken[c.first..=last].iter_mut().for_each(|t| *t = true);
            mentions.push(Mention {
                start: tokens[c.first].start,
                end: tokens[last].end,
                skill: c.skill,
                resolution: c.resolution,
            });
        }
        mentions.sort_by_key(|m| m.start);
        mentions
    }

    /// Resolves one n-gram of text (`key` is its words' normalised forms joined by spaces).
    fn resolve_ngram(&self, text: &str, words: &[Token], key: &str) -> Option<Resolution> {
        if let Some(r) = self.lookup_exact(key) {
            return self.plausible_in_text(text, words, key, r);
        }
        let folded = fold(key);
        if let Some(r) = self.lookup_folded(&folded) {
            return self.plausible_in_text(text, words, key, r);
        }
        if words.len() > TEXT_NEAR_MISS_MAX_WORDS || folded.chars().count() < TEXT_NEAR_MISS_MIN {
            return None;
        }
        let r = self.fuzzy().nearest(&folded)?;
        let same_words = r.matched.as_deref().is_some_and(|m| normalize(m).split(' ').count() == words.len());
        same_words.then_some(r)
    }

    /// Keeps a single-word match on a one- or two-letter name only when the text spells it
    /// exactly (case included) like one of the skill's names ("C", "R", "AI", "AD"), and on
    /// a common word only when it is capitalised.
    fn plausible_in_text(&self, text: &str, words: &[Token], key: &str, r: Resolution) -> Option<Resolution> {
        let [word] = words else {
            return Some(r);
        };
        let written = &text[word.start..word.end];
        if key.chars().count() <= 2 {
            let skill = self.skill(r.skill?)?;
            let mut names = [&skill.label_en, &skill.label_sv].into_iter().chain(skill.aliases.iter());
            return names.any(|n| n.trim() == written).then_some(r);
        }
        if COMMON_WORDS.contains(&key) {
            return written.chars().next().is_some_and(char::is_uppercase).then_some(r);
        }
        Some(r)
    }
}
