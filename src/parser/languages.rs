//! Natural-language requirements: "Fluent in both Swedish and English", "Svenska (modersmål)",
//! "goda kunskaper i engelska", "Danish is an advantage", "English B2".
//!
//! Levels: native/modersmål → native; fluent/flytande/proficient/excellent/mycket goda → C1;
//! good/goda/working knowledge → B2; basic/grundläggande → A2; CEFR codes as written. A
//! language without a level word is taken at B2 (the contract's default).

use super::phrases::CAN_IN_SENTENCE;
use super::text::{Span, Tokens};
use crate::domain::{Cefr, LanguageCode};

/// A language found in a sentence.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FoundLanguage {
    /// ISO 639-1 code.
    pub code: LanguageCode,
    /// Level asked for.
    pub level: Cefr,
    /// False when the clause marks it as a merit ("is an advantage").
    pub required: bool,
    /// The tokens that named it, so skill search can skip them.
    pub span: Span,
}

const LANGUAGES: &[(&str, &str)] = &[
    ("swedish", "sv"),
    ("svenska", "sv"),
    ("english", "en"),
    ("engelska", "en"),
    ("danish", "da"),
    ("danska", "da"),
    ("norwegian", "no"),
    ("norska", "no"),
    ("finnish", "fi"),
    ("finska", "fi"),
    ("german", "de"),
    ("tyska", "de"),
    ("french", "fr"),
    ("franska", "fr"),
    ("spanish", "es"),
    ("spanska", "es"),
    ("dutch", "nl"),
    ("nederländska", "nl"),
    ("polish", "pl"),
    ("polska", "pl"),
    ("italian", "it"),
    ("italienska", "it"),
    ("russian", "ru"),
    ("ryska", "ru"),
    ("arabic", "ar"),
    ("arabiska", "ar"),
    ("icelandic", "is"),
    ("isländska", "is"),
    ("estonian", "et"),
    ("estniska", "et"),
];

const LEVELS: &[(&str, Cefr)] = &[
    ("native", Cefr::Native),
    ("native speaker", Cefr::Native),
    ("mother tongue", Cefr::Native),
    ("first language", Cefr::Native),
    ("modersmål*", Cefr::Native),
    ("förstaspråk", Cefr::Native),
    ("fluent*", Cefr::C1),
    ("flytande", Cefr::C1),
    ("proficient", Cefr::C1),
    ("proficiency", Cefr::C1),
    ("excellent", Cefr::C1),
    ("utmärkt*", Cefr::C1),
    ("mycket god*", Cefr::C1),
    ("very good", Cefr::C1),
    ("obehindrat", Cefr::C1),
    ("full professional", Cefr::C1),
    ("good", Cefr::B2),
    ("well", Cefr::B2),
    ("väl", Cefr::B2),
    ("god", Cefr::B2),
    ("goda", Cefr::B2),
    ("gott", Cefr::B2),
    ("bra", Cefr::B2),
    ("working knowledge", Cefr::B2),
    ("professional working", Cefr::B2),
    ("basic", Cefr::A2),
    ("grundläggande", Cefr::A2),
    ("elementary", Cefr::A2),
    ("a1", Cefr::A1),
    ("a2", Cefr::A2),
    ("b1", Cefr::B1),
    ("b2", Cefr::B2),
    ("c1", Cefr::C1),
    ("c2", Cefr::C2),
];

/// Words that make a sentence about language even outside a language section.
const LANGUAGE_CONTEXT: &[&str] = &[
    "language*",
    "språk*",
    "speak*",
    "spoken",
    "written",
    "writing",
    "tal",
    "tala*",
    "skrift*",
    "skriva*",
    "skriftlig*",
    "muntlig*",
    "behärska*",
    "kunskaper i",
    "knowledge of",
    "communicat*",
    "kommunicera*",
];

/// Words that, right after a nationality, show it is not about a language.
const NOT_LANGUAGE_AFTER: &[&str] = &[
    "citizen*",
    "medborgar*",
    "national*",
    "security",
    "clearance",
    "company",
    "companies",
    "authorit*",
    "public",
    "market",
    "government",
    "kolleg*",
    "colleague*",
    "team*",
    "kunder",
    "customers",
    "clients",
    "företag*",
    "bolag*",
    "myndighet*",
    "kontor*",
    "office*",
    "dotterbolag*",
    "subsidiar*",
];

/// Finds languages in one sentence. `in_language_context` is true inside requirement and
/// language sections, where a bare "Swedish" is enough; elsewhere a level word or a word
/// about language must be present.
pub(crate) fn find(t: &Tokens<'_>, in_language_context: bool, merit: bool) -> Vec<FoundLanguage> {
    let names: Vec<&str> = LANGUAGES.iter().map(|(n, _)| *n).collect();
    let level_words: Vec<&str> = LEVELS.iter().map(|(w, _)| *w).collect();
    let mut hits: Vec<(usize, Span)> = t
        .all_of(&names)
        .into_iter()
        .filter(|(_, s)| !NOT_LANGUAGE_AFTER.iter().any(|w| t.match_at(s.last, w).is_some()))
        .collect();
    // "Sv. flytande i tal och skrift", "Eng. goda kunskaper": a language cut short, with its
    // period, right before its level.
    for i in 0..t.len() {
        let name = match t.low(i) {
            "sv" | "sve" => "svenska",
            "eng" => "engelska",
            _ => continue,
        };
        let level_next = level_words.iter().any(|w| t.match_at(i + 1, w).is_some());
        if t.gap_after(i).starts_with('.')
            && level_next
            && let Some(k) = names.iter().position(|n| *n == name)
        {
            hits.push((k, Span { first: i, last: i + 1 }));
        }
    }
    hits.sort_by_key(|(_, s)| s.first);
    if hits.is_empty() {
        return Vec::new();
    }
    // In text order, longest first and never overlapping: "mycket goda", not the "goda" in it.
    let levels: Vec<(Cefr, Span)> =
        t.all_of(&level_words).into_iter().filter_map(|(k, s)| LEVELS.get(k).map(|(_, l)| (*l, s))).collect();
    if !in_language_context && levels.is_empty() && !t.has_any(LANGUAGE_CONTEXT) {
        return Vec::new();
    }
    let clause_of = clauses(t);
    // A lone level in a clause of its own ("Swedish and English, both fluent") covers them all.
    let sentence_level = match levels.as_slice() {
        [(only, s)] if !hits.iter().any(|(_, h)| clause_of.get(h.first) == clause_of.get(s.first)) => Some(*only),
        _ => None,
    };
    // Which clauses carry a merit phrase, computed once (linear in the sentence).
    let mut clause_merit = vec![false; clause_of.last().map_or(1, |c| c + 1)];
    for i in 0..t.len() {
        if CAN_IN_SENTENCE.iter().any(|p| t.match_at(i, p).is_some())
            && let Some(m) = clause_of.get(i).and_then(|c| clause_merit.get_mut(*c))
        {
            *m = true;
        }
    }
    let starts: Vec<usize> = hits.iter().map(|(_, h)| h.first).collect();
    // Whether the level `s` leads into the language starting at token `next`: "… och goda
    // kunskaper i engelska", "… and a good command of English".
    let leads_into = |s: &Span, next: usize| {
        clause_of.get(next) == clause_of.get(s.first)
            && (s.last..next).all(|i| t.match_at(i, "kunskap*").is_some() || LEAD_IN.contains(&t.low(i)))
    };
    let mut out = Vec::new();
    for &(k, span) in &hits {
        let Some(code) = LANGUAGES.get(k).and_then(|(_, c)| LanguageCode::parse(c).ok()) else {
            continue;
        };
        let clause = clause_of.get(span.first).copied().unwrap_or(0);
        let in_clause = |s: &Span| clause_of.get(s.first).copied() == Some(clause);
        // Levels are in text order: binary search for the nearest one on each side.
        let split = levels.partition_point(|(_, s)| s.last <= span.first);
        let before = split.checked_sub(1).and_then(|i| levels.get(i)).filter(|(_, s)| in_clause(s));
        let next = starts.iter().copied().find(|&n| n >= span.last);
        let after = levels
            .get(split)
            .filter(|(_, s)| s.first >= span.last && in_clause(s))
            .filter(|(_, s)| !next.is_some_and(|n| s.last <= n && leads_into(s, n)));
        // The nearer of the two ("English fluently and Swedish well": Swedish is good, not
        // fluent); at equal distance the one before, as in "goda kunskaper i engelska".
        // "Swedish fluently and English at a good level": a level trailing the language before
        // is that one's when this one has its own after it.
        let prev_end = hits.iter().map(|(_, h)| h.last).filter(|&e| e <= span.first).max();
        let before = before.filter(|(_, s)| after.is_none() || prev_end.is_none_or(|e| s.first < e));
        let nearest = match (before, after) {
            (Some(b), Some(a)) if a.1.first - span.last < span.first - b.1.last => Some(a),
            (b, a) => b.or(a),
        };
        let stated = nearest.map(|(l, _)| *l).or(sentence_level);
        let merit_here = clause_merit.get(clause).copied().unwrap_or(false);
        // "fluent English, Swedish nice to have": where clauses judge themselves, the
        // sentence's merit cue is theirs, not every language's.
        let merit = merit && !clause_merit.iter().any(|m| *m);
        out.push((
            stated.is_some(),
            FoundLanguage { code, level: stated.unwrap_or(Cefr::B2), required: !(merit || merit_here), span },
        ));
    }
    // "Engelska räcker på grundläggande nivå, men viss dokumentation är på engelska": the
    // language named again without a level is the same requirement, not a second one at B2.
    let with_level: Vec<LanguageCode> = out.iter().filter(|(stated, _)| *stated).map(|(_, l)| l.code).collect();
    out.into_iter().filter(|(stated, l)| *stated || !with_level.contains(&l.code)).map(|(_, l)| l).collect()
}

/// Words between a level and the language it qualifies: "goda kunskaper i", "good command
/// of", "skills in".
const LEAD_IN: &[&str] =
    &["i", "in", "of", "av", "på", "knowledge", "skills", "command", "kunskaper", "kunskap", "färdigheter", "a"];

/// For each token, the index of its clause (clauses are separated by "," and ";").
fn clauses(t: &Tokens<'_>) -> Vec<usize> {
    let mut out = Vec::with_capacity(t.len());
    let mut clause = 0;
    for i in 0..t.len() {
        out.push(clause);
        if t.gap_after(i).contains([',', ';']) {
            clause += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn langs(s: &str, ctx: bool) -> Vec<(String, Cefr, bool)> {
        find(&Tokens::new(s), ctx, false).into_iter().map(|l| (l.code.to_string(), l.level, l.required)).collect()
    }

    fn l(code: &str, level: Cefr, required: bool) -> (String, Cefr, bool) {
        (code.to_string(), level, required)
    }

    #[test]
    fn levels_bind_to_the_nearest_language() {
        assert_eq!(
            langs("Fluent in both Swedish and English, spoken and written", false),
            [l("sv", Cefr::C1, true), l("en", Cefr::C1, true)]
        );
        assert_eq!(
            langs("Svenska som modersmål och goda kunskaper i engelska", false),
            [l("sv", Cefr::Native, true), l("en", Cefr::B2, true)]
        );
        assert_eq!(
            langs("You speak English fluently and Swedish well", false),
            [l("en", Cefr::C1, true), l("sv", Cefr::B2, true)]
        );
        assert_eq!(langs("Swedish (Proficient)", true), [l("sv", Cefr::C1, true)]);
        assert_eq!(langs("English B2", true), [l("en", Cefr::B2, true)]);
        assert_eq!(langs("Basic German", false), [l("de", Cefr::A2, true)]);
        assert_eq!(langs("Svenska", true), [l("sv", Cefr::B2, true)]);
    }

    #[test]
    fn merit_clauses_are_not_required() {
        assert_eq!(
            langs("Fluent English, Danish is an advantage", false),
            [l("en", Cefr::C1, true), l("da", Cefr::B2, false)]
        );
    }

    #[test]
    fn nationalities_are_not_languages() {
        assert!(langs("Swedish citizenship required", true).is_empty());
        assert!(langs("We work with Swedish companies", false).is_empty());
        assert!(langs("svenskt medborgarskap krävs", true).is_empty());
    }
}
