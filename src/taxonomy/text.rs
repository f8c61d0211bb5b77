//! Finding skills named inside free text (a requirement line, a CV sentence): every
//! n-gram of words is looked up as an exact label, alias or diacritics-free spelling; a
//! long word, or words joined by hyphens, may be a Swedish compound of known parts
//! (`compound.rs`); only long n-grams may match as near misses. Overlaps are settled by the
//! longest match.
//!
//! Speed: the text is tokenised, normalised and folded once; n-grams are grown word by word
//! from each position in reused buffers and stop growing as soon as no name starts with
//! them ([`NamePrefixes`]) and a near miss is no longer possible. Near-miss searches, the
//! costly step, are remembered per call (per document with [`MentionFinder`]), so repeated
//! words cost one search. Work is linear in the length of the text.

use std::borrow::Cow;
use std::collections::HashMap;

use super::abbrev;
use super::model::Taxonomy;
use super::normalize::{Token, fold, is_version_token, normalize, tokenize};
use super::vocab::{Mention, Resolution, SkillIdx};
use crate::domain::ResolveMethod;

/// Shortest folded n-gram (in letters) that may match as a near-miss spelling in text.
/// Shorter words in running text are too often other words that happen to be one edit
/// away from a skill.
const TEXT_NEAR_MISS_MIN: usize = 8;

/// Longest n-gram (in words) tried as a near miss; exact lookups use the taxonomy's
/// longest name.
const TEXT_NEAR_MISS_MAX_WORDS: usize = 4;

/// Words before a one- or two-letter grade ("nivå C", "level B", "klass A"), which is then
/// no skill name.
const GRADE_WORDS: &[&str] = &["nivå", "niva", "level", "klass", "class", "grade", "betyg", "kategori", "category"];

/// Skill names that are also everyday English or Swedish words. In text they count only
/// when capitalised ("Go", "Spring", "SAFe" are skills; "go", "spring", "safe" are words).
const COMMON_WORDS: &[&str] = &[
    "access",
    "airflow",
    "ant",
    "bash",
    "chef",
    "consul",
    "cypress",
    "dart",
    "elm",
    "envoy",
    "excel",
    "express",
    "flask",
    "flow",
    "flux",
    "forms",
    "go",
    "helm",
    "hive",
    "jest",
    "lean",
    "less",
    "make",
    "nomad",
    "office",
    "outlook",
    "packer",
    "pig",
    "planner",
    "project",
    "puppet",
    "rest",
    "ruby",
    "rust",
    "safe",
    "salt",
    "shell",
    "spark",
    "spring",
    "storm",
    "support",
    "swift",
    "teams",
    "test",
    "unity",
    "vault",
    "word",
    // Generic words that are also aliases: "build pipelines", "automation of reports".
    "automation",
    "automatisering",
    "pipelines",
];

/// Words that name no skill after the given words: "i drift" is "in production".
const IN_USE: &[(&str, &[&str])] = &[("drift", &["i", "in", "idrift"]), ("produktion", &["i"])];

/// True when the text between two words ends a phrase, so no skill name spans it: a
/// comma, semicolon, colon, bracket, quote, sentence end or blank line. Spaces, hyphens,
/// slashes and `&` join the words of one name ("IT-säkerhet", "CI/CD", "Routing & switching"),
/// and so does one line break: the parser hands over a line wrapped mid-sentence as one
/// ("Experience of tender\n    evaluation is a plus"), never two lines of a list.
fn breaks_phrase(gap: &str) -> bool {
    gap.matches('\n').count() > 1 || gap.chars().any(|c| !(c.is_whitespace() || c == '-' || c == '/' || c == '&'))
}

/// Whether each word of a phrase found in text is near its counterpart in the name it
/// resembles, not only the phrase as a whole: a word of three letters or fewer must agree
/// ("Dynamics ERP" is not "Dynamics CRM"); a longer one may differ by one edit ("Scrum
/// Mastr"), or more only in its ending ("requirements analyst" is requirements analysis,
/// but "integration design" is not interaction design).
fn words_near(phrase: &str, name: &str) -> bool {
    phrase.split(' ').zip(name.split(' ')).all(|(x, y)| {
        if x == y {
            return true;
        }
        let letters = x.chars().count().min(y.chars().count());
        if letters <= 3 {
            return false;
        }
        let same_start = x.chars().zip(y.chars()).take_while(|(a, b)| a == b).count();
        strsim::osa_distance(x, y) <= 1 || same_start + 3 >= letters
    })
}

/// Function words of English and Swedish. A phrase containing one is never matched as a
/// near miss: such phrases are running text ("erfarenhet av", "experience with"), and
/// skipping them keeps near-miss matching, the costly step, off most n-grams.
const FUNCTION_WORDS: &[&str] = &[
    "a", "all", "als", "an", "and", "are", "as", "at", "att", "av", "be", "by", "de", "den", "det", "du", "efter",
    "eller", "en", "ett", "for", "from", "för", "god", "goda", "good", "har", "has", "have", "i", "in", "inom", "is",
    "med", "minst", "new", "och", "of", "om", "on", "or", "our", "på", "samt", "sig", "skills", "som", "strong", "the",
    "till", "to", "um", "vi", "we", "with", "years", "you", "your", "år", "är",
];

/// A possible mention: tokens `first..last` (inclusive) name `skill`.
struct Candidate {
    first: usize,
    last: usize,
    skill: SkillIdx,
    resolution: Resolution,
}

fn method_rank(m: Option<ResolveMethod>) -> u8 {
    match m {
        Some(ResolveMethod::Exact | ResolveMethod::Alias) => 0,
        Some(ResolveMethod::Fuzzy) => 1,
        None => 2,
    }
}

/// Searches remembered across the pieces of a document: near-miss results by folded
/// n-gram, compound results by normalised n-gram (`None`: no match).
#[derive(Debug, Default)]
struct Memory {
    near_misses: HashMap<String, Option<Resolution>>,
    compounds: HashMap<String, Option<Resolution>>,
}

/// The shortest word (in letters) tried as a compound in text: shorter words are rarely
/// compounds, and every word tried costs a few look-ups.
const TEXT_COMPOUND_MIN: usize = 7;

/// Whether the words between two tokens are joined by a hyphen only, as the parts of a
/// Swedish compound after an abbreviation are ("IT-infrastrukturprojektledning").
fn hyphen_only(gap: &str) -> bool {
    gap == "-" || gap == "\u{2010}" || gap == "\u{2011}"
}

/// Finds skills in the pieces of one document (the sentences of an ad) exactly like
/// [`Taxonomy::find_in_text`], but remembers near-miss searches across the pieces, because
/// a document repeats its words and each search costs more than the rest of the look-up.
/// Borrows the taxonomy, so what it remembers cannot outlive a change to the taxonomy.
#[derive(Debug)]
pub struct MentionFinder<'t> {
    taxonomy: &'t Taxonomy,
    memory: Memory,
}

impl<'t> MentionFinder<'t> {
    /// Remembers at most this many searches (a few hundred kilobytes), so that a huge
    /// document cannot make the memory grow with it; later searches are simply not kept.
    pub(super) const REMEMBERED: usize = 4096;

    /// A finder with nothing remembered yet.
    pub fn new(taxonomy: &'t Taxonomy) -> Self {
        MentionFinder { taxonomy, memory: Memory::default() }
    }

    /// What [`Taxonomy::find_in_text`] returns for `text`.
    pub fn find(&mut self, text: &str) -> Vec<Mention> {
        self.taxonomy.find_mentions(text, &mut self.memory, Self::REMEMBERED)
    }

    /// How many near-miss searches it remembers.
    #[cfg(test)]
    pub(super) fn remembered(&self) -> usize {
        self.memory.near_misses.len()
    }
}

/// The remembered answer for `key`, or `search`'s, remembered while `memo` holds fewer than
/// `remembered`.
fn remember(
    memo: &mut HashMap<String, Option<Resolution>>,
    key: &str,
    remembered: usize,
    search: impl FnOnce() -> Option<Resolution>,
) -> Option<Resolution> {
    if let Some(r) = memo.get(key) {
        return r.clone();
    }
    let r = search();
    if memo.len() < remembered {
        memo.insert(key.to_owned(), r.clone());
    }
    r
}

impl Taxonomy {
    /// Every skill named inside `text`, in text order, without overlaps (the longest match
    /// wins; at equal length an exact or alias match beats a fuzzy one). Spans are byte
    /// offsets into `text` and include a version that directly follows ("ITIL 4").
    /// Short or common words count only when written as in the data; a word of at least
    /// seven letters (or words joined by hyphens) may be a compound of known parts; and
    /// near-miss spellings are considered only for n-grams of at least eight letters with
    /// the same number of words as the name they resemble. To look up many pieces of one document,
    /// [`MentionFinder`] does the same with less work.
    pub fn find_in_text(&self, text: &str) -> Vec<Mention> {
        self.find_mentions(text, &mut Memory::default(), usize::MAX)
    }

    /// [`Taxonomy::find_in_text`], reusing and adding to the near-miss and compound results
    /// in `memory` while each holds fewer than `remembered`.
    fn find_mentions(&self, text: &str, memory: &mut Memory, remembered: usize) -> Vec<Mention> {
        let tokens = tokenize(text);
        // Per word, once: the folded spelling (folding is per character, so the folded
        // n-gram is the folded words joined by spaces), its length in characters, and
        // whether it is a function word.
        let folded: Vec<Cow<'_, str>> = tokens
            .iter()
            .map(|t| if t.norm.is_ascii() { Cow::from(t.norm.as_str()) } else { fold(&t.norm).into() })
            .collect();
        let letters: Vec<usize> = folded.iter().map(|f| f.chars().count()).collect();
        let function: Vec<bool> = tokens.iter().map(|t| FUNCTION_WORDS.contains(&t.norm.as_str())).collect();
        let mut candidates = Vec::new();
        let (mut key, mut fkey) = (String::new(), String::new());
        for i in 0..tokens.len() {
            key.clear();
            fkey.clear();
            let (mut fletters, mut has_function, mut hyphenated, mut short) = (0, false, true, false);
            for n in 1..=self.max_words.min(tokens.len() - i) {
                let last = i + n - 1;
                if n > 1 {
                    let gap = &text[tokens[last - 1].end..tokens[last].start];
                    // "Proj. Mgmt": the period of a short form does not end the phrase.
                    let short_period = gap.trim_end() == "." && abbrev::is_short_form(&tokens[last - 1].norm);
                    if breaks_phrase(gap) && !short_period {
                        break;
                    }
                    hyphenated &= hyphen_only(gap);
                    key.push(' ');
                    fkey.push(' ');
                    fletters += 1;
                }
                key.push_str(&tokens[last].norm);
                fkey.push_str(&folded[last]);
                fletters += letters[last];
                has_function |= function[last];
                short |= abbrev::is_short_form(&tokens[last].norm);
                let exact = self.prefixes.exact.contains(&key);
                let folds = self.prefixes.folded.contains(&fkey);
                // A phrase with a function word never matches as a near miss (see
                // FUNCTION_WORDS), nor does any longer phrase that contains it.
                let fuzzy = n <= TEXT_NEAR_MISS_MAX_WORDS && !has_function;
                // A compound is one word, or words joined by hyphens only; never across a
                // function word.
                let compound = hyphenated && !has_function && letters[last] >= TEXT_COMPOUND_MIN;
                if !(exact || folds || fuzzy || compound || short) {
                    break;
                }
                let words = &tokens[i..=last];
                let exact_hit = if exact { self.lookup_exact(&key) } else { None };
                let exact_hit = if exact_hit.is_none() && short { self.lookup_short_forms(&key) } else { exact_hit };
                let folded_hit = if exact_hit.is_none() && folds { self.lookup_folded(&key, &fkey) } else { None };
                let resolution = if let Some(r) = exact_hit.or(folded_hit) {
                    self.plausible_in_text(text, words, &key, r)
                } else if let Some(r) = compound
                    .then(|| remember(&mut memory.compounds, &key, remembered, || self.compound(&key)))
                    .flatten()
                {
                    Some(r)
                } else if fuzzy && fletters >= TEXT_NEAR_MISS_MIN {
                    remember(&mut memory.near_misses, &fkey, remembered, || self.near_miss_in_text(&fkey, n))
                } else {
                    None
                };
                if let Some(resolution) = resolution
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

    /// The near-miss resolution of an n-gram of `words` words (`folded` is its folded
    /// key), kept only when the name it resembles has as many words. Most n-grams resemble
    /// no name of their word count, which the index tells by reading only those names.
    fn near_miss_in_text(&self, folded: &str, words: usize) -> Option<Resolution> {
        if !self.fuzzy().any_near_with_words(folded, words) {
            return None;
        }
        let r = self.fuzzy().nearest(folded)?;
        let same_words = r.matched.as_deref().is_some_and(|m| {
            let name = fold(&normalize(m));
            name.split(" ").count() == words && words_near(folded, &name)
        });
        same_words.then_some(r)
    }

    /// Keeps a single-word match on a one- or two-letter name only when the text spells it
    /// exactly (case included) like one of the skill's names ("C", "R", "AI", "AD"), and on
    /// a common word only when it is capitalised.
    fn plausible_in_text(&self, text: &str, words: &[Token], key: &str, r: Resolution) -> Option<Resolution> {
        let [word] = words else {
            // "R&S" as written is routing and switching; "r s" among single letters is nothing.
            if words.iter().all(|w| w.norm.chars().count() <= 1) {
                let (first, last) = (words.first()?, words.last()?);
                let written = text.get(first.start..last.end)?;
                let skill = self.skill(r.skill?)?;
                let mut names = [&skill.label_en, &skill.label_sv].into_iter().chain(skill.aliases.iter());
                return names.any(|n| n.eq_ignore_ascii_case(written)).then_some(r);
            }
            return Some(r);
        };
        let written = &text[word.start..word.end];
        let before = text[..word.start].trim_end().rsplit(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
        if key.chars().count() <= 2 {
            // "IPMA nivå C", "level B", "klass A": a grade, not a language or a tool.
            if GRADE_WORDS.contains(&before.to_lowercase().as_str()) {
                return None;
            }
            let skill = self.skill(r.skill?)?;
            let mut names = [&skill.label_en, &skill.label_sv].into_iter().chain(skill.aliases.iter());
            return names.any(|n| n.trim() == written).then_some(r);
        }
        if COMMON_WORDS.contains(&key) {
            return written.chars().next().is_some_and(char::is_uppercase).then_some(r);
        }
        // "k8s i drift", "satt i drift": in production, not IT operations.
        if IN_USE.iter().any(|(w, p)| *w == key && p.contains(&before.to_lowercase().as_str())) {
            return None;
        }
        Some(r)
    }
}
