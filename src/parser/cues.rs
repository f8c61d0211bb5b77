//! Heading cues in English and Swedish: which headings open a must-have, can-have, language
//! or skill-list section, and which headings close one. The phrases inside a sentence that
//! make it a requirement or a merit are in `phrases`.

use super::text::Tokens;

/// What a section heading (or an inline cue) says about the lines under it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cue {
    /// Gates: "Krav", "Requirements", "Must have", "Skall-krav" …
    Must,
    /// Merits: "Meriterande", "Nice to have", "Bör-krav" …
    Can,
    /// Natural languages: "Språk", "Languages".
    Languages,
    /// A bare list of skills ("Soft skills", "Frameworks", "Tekniker"): taken as merits.
    Skills,
    /// A known non-requirement section ("Responsibilities", "Arbetsuppgifter", "Vi erbjuder").
    Other,
}

/// Can-have heading words; checked before must-have ones because "Bör-krav" contains "krav".
const CAN_HEADINGS: &[&str] = &[
    "recommended",
    "nice to have",
    "nice*",
    "good to have",
    "meriterande",
    "merit*",
    "bör",
    "börkrav",
    "bör krav",
    "önskv*",
    "önskemål",
    "desirable",
    "desired",
    "preferred",
    "preferable",
    "bonus",
    "plus",
    "can",
    "can have",
    "optional",
    "advantage*",
    "fördel*",
    "should",
    "should requirements",
    "evaluated",
    "evaluated requirements",
    "evaluation criteria",
    "utvärderings*",
    "meritorious",
    "meriting",
    "mervärde*",
    "poängsätt*",
    "viktning*",
    "viktade*",
    "krav som poängsätts",
    "krav som viktas",
];

const LANGUAGE_HEADINGS: &[&str] = &["language*", "språk*", "natural language*"];

const MUST_HEADINGS: &[&str] = &[
    "requirement*",
    "required",
    "require",
    "must",
    "must have",
    "krav",
    "*krav",
    "kravprofil",
    "obligatorisk*",
    "mandatory",
    "essential",
    "qualification*",
    "kvalifikation*",
    "om dig",
    "about you",
    "your profile",
    "din profil",
    "profil",
    "profile",
    "vi söker dig som",
    "vi söker dig som har",
    "vi söker dig som är",
    "vi söker",
    "vad vi söker",
    "vi tror att du",
    "vi tror att du har",
    "we are looking for",
    "we're looking for",
    "we are looking for someone who",
    "we are looking for someone with",
    "what you need",
    "what you'll need",
    "what you will need",
    "what we need",
    "what we need from you",
    "what we expect",
    "what we expect from you",
    "what you should have",
    "what you should bring",
    "vad vi behöver",
    "vad vi förväntar oss",
    "vad vi förväntar oss av dig",
    "det här förväntar vi oss",
    "din bakgrund",
    "your background",
    "det här behöver du ha",
    "det här behöver du",
    "behöver du ha",
    "du behöver ha",
    "vad du behöver",
    "this is what you need",
    "who you are",
    "vem är du",
    "vem söker vi",
    "who are we looking for",
    "what we are looking for",
    "what you bring",
    "du har",
    "you have",
    "kompetenskrav",
    "shall",
    "shall requirements",
    "ska krav",
    "skall",
    "ska",
];

/// Heading words an ad may misspell ("Requirments", "Meriterade", "Kvalifikationr"), with
/// the cue each stands for; a word of six letters or more one edit away is read as it.
const MISSPELT: &[(&str, Cue)] = &[
    ("requirements", Cue::Must),
    ("requirement", Cue::Must),
    ("qualifications", Cue::Must),
    ("kvalifikationer", Cue::Must),
    ("obligatoriska", Cue::Must),
    ("meriterande", Cue::Can),
    ("meritorious", Cue::Can),
    ("önskvärt", Cue::Can),
    ("languages", Cue::Languages),
];

/// Whether two words are at most one edit apart (insertion, deletion, substitution or a
/// swap of neighbours).
fn one_edit(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let (short, long) = if a.len() <= b.len() { (&a, &b) } else { (&b, &a) };
    if long.len() - short.len() > 1 {
        return false;
    }
    let p = short.iter().zip(long.iter()).take_while(|(x, y)| x == y).count();
    if short.len() == long.len() {
        let swapped = p + 1 < short.len() && short[p] == long[p + 1] && short[p + 1] == long[p];
        let rest = if swapped { p + 2 } else { p + 1 };
        short.get(rest..) == long.get(rest..)
    } else {
        short.get(p..) == long.get(p + 1..)
    }
}

/// The cue of a misspelt heading word in `t`, if any.
fn misspelt(t: &Tokens<'_>) -> Option<Cue> {
    (0..t.len()).find_map(|i| {
        let w = t.low(i);
        let long = w.chars().count() >= 6;
        MISSPELT.iter().find(|(word, _)| long && one_edit(w, word)).map(|(_, c)| *c)
    })
}

const SKILL_HEADINGS: &[&str] = &[
    "skills",
    "skill",
    "kompetens*",
    "competenc*",
    "framework*",
    "tekni*",
    "technolog*",
    "teknolog*",
    "verktyg",
    "tools",
    "stack",
    "kunskap*",
    "certifi*",
];

const OTHER_HEADINGS: &[&str] = &[
    "responsibilit*",
    "arbetsuppgifter",
    "uppgifter",
    "tasks",
    "duties",
    "about us",
    "om oss",
    "om uppdraget",
    "about the assignment",
    "about the role",
    "om rollen",
    "om tjänsten",
    "vi erbjuder",
    "vad vi erbjuder",
    "we offer",
    "what we offer",
    "beskrivning",
    "description",
    "uppdragsbeskrivning",
    "bakgrund",
    "background",
    "conclusion",
    "sammanfattning",
    "övrigt",
    "other",
    "ansökan",
    "how to apply",
    "kontakt",
    "contact",
    "practical details",
    "practical information",
    "praktisk information",
    "praktiska detaljer",
    "praktiskt",
    "details",
    "detaljer",
    "villkor",
    "terms",
    "about the client",
    "om kunden",
    "the client",
    "kunden",
    "uppdraget",
    "the assignment",
    "the role",
    "rollen",
    // The header of a call-off: who buys, under which agreement, which reference.
    "framework agreement",
    "ramavtal",
    "contracting authority",
    "beställare",
    "upphandlande myndighet",
    "reference",
    "referens",
    "avropsnummer",
];

/// Classifies a heading's text (without its colon).
pub(crate) fn heading_cue(label: &str) -> Option<Cue> {
    let t = Tokens::new(label);
    if t.len() == 0 {
        return None;
    }
    // "Krav och meriter", "Requirements and merits": both kinds under one heading; each line
    // says which it is.
    if t.has_any(CAN_HEADINGS) && t.has_any(MUST_HEADINGS) && t.has_any(&["och", "and", "samt"]) {
        Some(Cue::Skills)
    } else if t.has_any(CAN_HEADINGS) {
        Some(Cue::Can)
    } else if t.has_any(LANGUAGE_HEADINGS) {
        Some(Cue::Languages)
    } else if t.has_any(MUST_HEADINGS) {
        Some(Cue::Must)
    } else if t.has_any(OTHER_HEADINGS) {
        Some(Cue::Other)
    } else if t.has_any(SKILL_HEADINGS) {
        Some(Cue::Skills)
    } else {
        misspelt(&t)
    }
}

/// Whether a bare line (no colon, no bullet) is exactly a cue heading such as "Krav" or
/// "Competencies Must", ignoring case and trailing punctuation.
pub(crate) fn bare_heading_cue(line: &str) -> Option<Cue> {
    // "Mandatory requirements (shall)", "Bör-krav (utvärderas)": the bracket only glosses.
    let line = match line.trim_end().strip_suffix(')').and_then(|l| l.rsplit_once('(')) {
        Some((head, _)) if !head.trim().is_empty() => head,
        _ => line,
    };
    let t = Tokens::new(line);
    if t.len() == 0 || t.len() > 5 {
        return None;
    }
    // "Desirable requirements", "Mandatory requirements", "Obligatoriska krav": a short
    // heading of requirements takes the kind of its qualifier.
    let last = t.low(t.len() - 1);
    if (2..=4).contains(&t.len())
        && (last.starts_with("requirement")
            || last.ends_with("krav")
            || last == "criteria"
            || last == "kriterier"
            || last.starts_with("qualification")
            || last.starts_with("kvalifikation")
            || last.starts_with("merit"))
        && let Some(cue) = heading_cue(line)
    {
        return Some(cue);
    }
    let whole = |list: &[&str]| list.iter().any(|p| t.match_at(0, p).is_some_and(|s| s.last == t.len()));
    // "Swedish – fluent – must", "Java | 5 | Krav": a row of cells, not a heading.
    let cells = line.contains(" – ") || line.contains(" - ") || line.contains('|');
    let with_prefix = |list: &[&str]| {
        // "Competencies Must", "Hard skills", "Tekniska kunskaper": a qualifier then the cue.
        !cells && (0..t.len()).any(|i| list.iter().any(|p| t.match_at(i, p).is_some_and(|s| s.last == t.len())))
    };
    if whole(CAN_HEADINGS) || (t.len() <= 3 && with_prefix(&["can", "meriterande", "bör krav", "nice to have"])) {
        Some(Cue::Can)
    } else if whole(LANGUAGE_HEADINGS) {
        Some(Cue::Languages)
    } else if whole(MUST_HEADINGS) || (t.len() <= 3 && with_prefix(&["must", "krav", "*krav", "requirements"])) {
        Some(Cue::Must)
    } else if whole(OTHER_HEADINGS) {
        Some(Cue::Other)
    } else if t.len() <= 2 {
        misspelt(&t)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn headings_are_classified_in_both_languages() {
        let cases = [
            ("Main requirements", Some(Cue::Must)),
            ("Required hard skills", Some(Cue::Must)),
            ("Recommended hard skills", Some(Cue::Can)),
            ("Competencies Must", Some(Cue::Must)),
            ("Competencies Can", Some(Cue::Can)),
            ("Skall-krav", Some(Cue::Must)),
            ("Ska-krav", Some(Cue::Must)),
            ("Obligatoriska krav", Some(Cue::Must)),
            ("Bör-krav", Some(Cue::Can)),
            ("Meriterande", Some(Cue::Can)),
            ("Önskvärt", Some(Cue::Can)),
            ("Natural languages", Some(Cue::Languages)),
            ("Språkkrav", Some(Cue::Languages)),
            ("Soft skills", Some(Cue::Skills)),
            ("Responsibilities", Some(Cue::Other)),
            ("Arbetsuppgifter", Some(Cue::Other)),
            ("Training as an IT project manager", None),
            ("Requirments", Some(Cue::Must)),
            ("Meriternade", Some(Cue::Can)),
            ("Should requirements", Some(Cue::Can)),
            ("Shall requirements", Some(Cue::Must)),
            ("Utvärderingskrav", Some(Cue::Can)),
            ("Mervärdeskrav", Some(Cue::Can)),
            ("Preferred qualifications", Some(Cue::Can)),
            ("Minimum qualifications", Some(Cue::Must)),
            ("Additional merits", Some(Cue::Can)),
            ("Krav som poängsätts", Some(Cue::Can)),
        ];
        for (label, want) in cases {
            assert_eq!(heading_cue(label), want, "{label}");
        }
    }

    #[test]
    fn bare_headings_must_be_the_whole_line() {
        assert_eq!(bare_heading_cue("Krav"), Some(Cue::Must));
        assert_eq!(bare_heading_cue("Competencies Must"), Some(Cue::Must));
        assert_eq!(bare_heading_cue("Nice to have"), Some(Cue::Can));
        assert_eq!(bare_heading_cue("Technical skills"), None);
        assert_eq!(bare_heading_cue("Knowledge of server systems"), None);
        assert_eq!(bare_heading_cue("Krav på erfarenhet av Java och Kubernetes i produktion"), None);
        assert_eq!(bare_heading_cue("Requirments"), Some(Cue::Must));
        assert_eq!(bare_heading_cue("Requests"), None);
    }

    #[test]
    fn one_edit_apart() {
        assert!(one_edit("requirments", "requirements"));
        assert!(one_edit("reqiurements", "requirements"));
        assert!(one_edit("meriterand", "meriterande"));
        assert!(!one_edit("retirements", "requirements"));
        assert!(!one_edit("merit", "meriterande"));
    }
}
