//! Phrases inside a sentence that judge it: which make it a merit, a requirement, or a
//! requirement stated outright, and which judge only what follows them or what a bracket
//! holds. The headings that open whole sections are in `cues`.

use super::text::{Tokens, brackets};

/// Phrases that make a sentence a merit wherever it stands.
pub(crate) const CAN_IN_SENTENCE: &[&str] = &[
    "is a plus",
    "are a plus",
    "a plus",
    "ett plus",
    "stort plus",
    "klart plus",
    "extra plus",
    "big plus",
    "great plus",
    "huge plus",
    "definite plus",
    "is an advantage",
    "an advantage",
    // "a clear advantage", "a great advantage": the article before a weighing word.
    "a advantage",
    "advantageous",
    "är meriterande",
    "meriterande",
    "en fördel",
    "nice to have",
    "önskvärt",
    "önskvärd",
    "önskvärda",
    "meritorious",
    "is a merit",
    "a merit",
    "merit",
    "preferably",
    "företrädesvis",
    "ideally",
    "idealt",
    "gärna",
    "helst",
    "bonus",
    "bör",
    "bör ha",
    "interest in",
    "intresse för",
    "intresserad av",
    "interested in",
    "preferred",
    "föredras",
    "appreciated",
    "uppskattas",
    "välkommet",
    "välkommen",
    "desirable",
    "beneficial",
    "an asset",
    "is welcome",
    "are welcome",
    "we value",
    "would be great",
    "would be nice",
    "nice if",
    "good to have",
    "ett mervärde",
    "added value",
    "ser vi positivt på",
    "är positivt",
];

/// Preference words that judge what follows them, not the whole sentence: "Nätverkssäkerhet,
/// gärna Fortinet" keeps network security a gate and makes Fortinet a merit; "Kotlin,
/// preferably also Jetpack Compose"; "Gärna erfarenhet av X" (nothing before: all merits).
pub(crate) const PREFER_FORWARD: &[&str] = &[
    "preferably",
    "företrädesvis",
    "with a preference for",
    "med fördel",
    "ideally",
    "idealt",
    "gärna",
    "helst",
    "meriterande om",
    "meriterande att",
    "är meriterande om",
    "är meriterande att",
    "är ett plus om",
    "är en fördel om",
    "is a plus if",
    "is an advantage if",
    "ett plus om",
    "en fördel om",
    "a plus if",
    "an advantage if",
    "if possible",
    "om möjligt",
];

/// Whether every merit phrase of a sentence is a forward preference ([`PREFER_FORWARD`]):
/// such a sentence keeps the kind its section gives it, and only what follows the
/// preference word becomes a merit.
pub(crate) fn only_forward_preferences(t: &Tokens<'_>) -> bool {
    // Most sentences have neither a forward preference nor a bracket: decided in one scan.
    if !t.has_any(PREFER_FORWARD) && !t.text.contains('(') {
        return false;
    }
    let forward = t.all_of(PREFER_FORWARD);
    let bracketed = bracketed_merits(t);
    if forward.is_empty() && bracketed.is_empty() {
        return false;
    }
    let merits = t.all_of(CAN_IN_SENTENCE);
    merits.iter().all(|(_, s)| {
        let at = t.bytes(*s).0;
        forward.iter().any(|(_, f)| f.first <= s.first && s.first < f.last)
            || bracketed.iter().any(|(o, c)| *o <= at && at < *c)
    })
}

/// Byte ranges of brackets that hold a merit phrase: "Python (PySpark preferred)", "Java
/// (gärna Kotlin)". What they name is a merit; the rest of the sentence keeps its kind.
pub(crate) fn bracketed_merits(t: &Tokens<'_>) -> Vec<(usize, usize)> {
    let mut out = brackets(t.text);
    out.retain(|&(o, c)| {
        let inner = Tokens::new(t.text.get(o + 1..c).unwrap_or(""));
        // "(merit)", "(a plus)" alone judge what precedes them: not a bracket of merits.
        let cue_words = inner.all_of(CAN_IN_SENTENCE).iter().map(|(_, s)| s.last - s.first).max();
        inner.has_any(PREFER_FORWARD) || cue_words.is_some_and(|n| inner.len() > n)
    });
    out
}

/// Phrases that make a sentence a requirement (used where no heading says so).
pub(crate) const MUST_IN_SENTENCE: &[&str] = &[
    "krav",
    "*krav",
    "krävs",
    "required",
    "requirement*",
    "must",
    "måste",
    "ska ha",
    "skall ha",
    "ska kunna",
    "skall kunna",
    "ska vara",
    "skall vara",
    "mandatory",
    "minst",
    "at least",
    "minimum",
    "du har",
    "you have",
    "you bring",
    "du behärskar",
    "du är certifierad",
    "you are certified",
    "you hold",
    "are used to",
    "är van",
    "are familiar with",
    "är bekant med",
    "är förtrogen med",
    "you are experienced",
    "du är erfaren",
    "vi ser att du",
    "behöver ha",
    "du behöver",
    "you need",
    "you will need",
    "we require",
    "vi kräver",
    "require",
    "is needed",
    "are needed",
    "is essential",
    "are essential",
    "behövs",
];

/// Phrases that state a requirement outright, wherever the sentence stands.
pub(crate) const STRONG_MUST: &[&str] = &[
    "krävs",
    "kräver",
    "required",
    "requires",
    "mandatory",
    "must have",
    "must be",
    "must hold",
    "måste ha",
    "måste vara",
    "är ett krav",
    "is a requirement",
    "ska ha",
    "skall ha",
    "we require",
    "vi kräver",
    "kräver vi",
    "behöver ha",
    "du behöver",
    "you need",
    "you will need",
    "is expected $",
    "are expected $",
    "förväntas $",
    "förutsätts",
    "is a must",
    "a must",
    "är ett måste",
    "ett måste",
    "is essential",
    "are essential",
    "är nödvändig*",
];
