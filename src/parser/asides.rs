//! What a sentence names without asking for it: examples of a skill in brackets ("VMware
//! (VCP eller motsvarande)") and what a clause of duties or of the client's environment
//! names ("Du kommer att arbeta med Azure, …").

use super::skills::FoundSkill;
use super::text::{Tokens, brackets};

/// Phrases that open a clause of duties or of the client's environment, not of requirements.
const DUTIES: &[&str] = &[
    "du kommer att",
    "you will",
    "you'll",
    "you ll",
    "i rollen ingår",
    "i rollen kommer du",
    "i uppdraget ingår",
    "uppdraget innebär",
    "rollen innebär",
    "du ansvarar för",
    "you are responsible for",
    "you will be responsible",
    "the role involves",
    "the assignment involves",
    "vi använder",
    "we use",
    "teamet använder",
    "the team uses",
    "kunden använder",
    "the client uses",
];

/// Words in a parenthesis that make its skills examples of the skill before it:
/// "VMware (VCP eller motsvarande)".
const EQUIVALENT: &[&str] = &[
    "eller motsvarande",
    "or equivalent",
    "or similar",
    "eller liknande",
    "or comparable",
    "t ex",
    "till exempel",
    "e g",
    "for example",
];

/// Drops skills named inside a parenthesis of examples that follows another skill.
pub(super) fn drop_examples(sentence: &str, mentions: &mut Vec<FoundSkill<'_>>) {
    let mut ranges = brackets(sentence);
    if ranges.is_empty() {
        return;
    }
    let first_start = mentions.first().map(|m| m.start);
    // Parentheses are matched innermost-last and so not nested here; sort to binary search.
    ranges.sort_unstable();
    let examples: Vec<bool> =
        ranges.iter().map(|(o, c)| Tokens::new(sentence.get(o + 1..*c).unwrap_or("")).has_any(EQUIVALENT)).collect();
    mentions.retain(|m| {
        let i = ranges.partition_point(|(o, _)| *o < m.start);
        let Some(k) = i
            .checked_sub(1)
            .filter(|&k| ranges.get(k).is_some_and(|(o, c)| m.end <= *c && first_start.is_some_and(|f| f < *o)))
        else {
            return true;
        };
        // Examples of the skill before ("VMware (VCP eller motsvarande)") are not asked for;
        // nor is a near-miss spelling among the details of a skill ("Terraform (modules,
        // state handling, remote backends)" names no backend development).
        !(examples.get(k).copied().unwrap_or(false) || m.similarity < crate::taxonomy::COMPOUND_SIMILARITY)
    });
}

/// Drops what a clause of duties or of the client's environment names: "Du kommer att
/// arbeta med Azure, och du har minst 3 års erfarenhet av Kubernetes" asks for Kubernetes
/// only. The clause runs to the next clause break (`clause_breaks`, byte offsets).
pub(super) fn drop_duties(t: &Tokens<'_>, clause_breaks: &[usize], mentions: &mut Vec<FoundSkill<'_>>) {
    let duties: Vec<(usize, usize)> = t
        .all_of(DUTIES)
        .into_iter()
        .filter(|(_, s)| {
            !matches!(t.low(s.last), "need" | "needs" | "behöva" | "have" | "ha" | "bring" | "be" | "vara")
        })
        .map(|(_, s)| {
            let from = t.bytes(s).0;
            let mut to = clause_breaks.iter().copied().find(|&c| c > from).unwrap_or(t.text.len());
            // "Business Central, som kunden använder idag, och MES": a relative clause ends at
            // its comma.
            let relative = s.first.checked_sub(1).is_some_and(|i| matches!(t.low(i), "som" | "which" | "that"));
            if relative && let Some(comma) = t.text.get(from..to).and_then(|r| r.find(',')) {
                to = from + comma;
            }
            (from, to)
        })
        .collect();
    mentions.retain(|m| !duties.iter().any(|&(from, to)| from <= m.start && m.start < to));
}
