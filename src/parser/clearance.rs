//! Security vetting and citizenship: "Willingness to undergo security clearance",
//! "säkerhetsprövning", "placering i säkerhetsklass 2", "SK1", "Swedish citizenship required",
//! "svenskt medborgarskap krävs".
//!
//! A clearance mentioned without a class is taken as `sk3`: säkerhetsklass 3 is the class
//! most Swedish security-cleared consultant roles are placed in, and the lowest that
//! involves vetting at all, so it never over-states the requirement. "Willing to undergo",
//! "genomgå säkerhetsprövning" and the like set `accept_willing`: the consultant will be
//! vetted for the assignment rather than having to hold a clearance already.

use super::text::{Span, Tokens, small_number};
use crate::domain::{ClearanceLevel, CountryCode};

/// What one sentence says about clearance.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct FoundClearance {
    /// The class asked for, if the sentence mentions vetting.
    pub level: Option<ClearanceLevel>,
    /// Whether a consultant willing to be vetted is enough.
    pub willing: bool,
    /// Citizenships accepted.
    pub citizenship: Vec<CountryCode>,
    /// Tokens used, so skill search can skip them.
    pub spans: Vec<Span>,
}

const VETTING: &[&str] = &[
    "security clearance*",
    "security cleared",
    "security vetting",
    "security class",
    "security check*",
    "clearance",
    "vetting",
    "vetted",
    "säkerhetsprövning*",
    "säkerhetsprövad*",
    "säkerhetsprövas",
    "säkerhetsklass*",
    "säkerhetsskyddsklass*",
    "säkerhetsskyddsavtal",
    "registerkontroll*",
    "sua",
    "sua prövad*",
    "sk1",
    "sk2",
    "sk3",
];

/// Words that let a consultant be vetted for the assignment rather than hold a clearance
/// already: a willingness, or a vetting still to come ("will be carried out before start").
const WILLING: &[&str] = &[
    "willing*",
    "villig*",
    "beredd*",
    "prepared to",
    "undergo*",
    "genomgå*",
    "be able to obtain",
    "kunna erhålla",
    "kommer att genomföras",
    "kommer att göras",
    "genomförs",
    "will be carried out",
    "will be conducted",
    "will be performed",
    "will be done",
    "before start*",
    "carried out before",
    "prior to start*",
    "before the assignment*",
    "innan uppdraget*",
    "innan start*",
    "före start*",
    "efter säkerhetsprövning*",
    "efter genomförd säkerhetsprövning*",
    "after security vetting",
    "after vetting",
    "following security vetting",
    "subject to security vetting",
    "subject to vetting",
    "will be vetted",
    "efter att",
    "genomfört säkerhetsprövning*",
    "after the",
    "will be security vetted",
    "säkerhetsprövas",
    "kommer att säkerhetsprövas",
    // "tidigare prövning är inget krav": a clearance held already is not asked for.
    "able to pass",
    "kunna godkännas",
    "godkännas i",
    "be approved in",
    "inget krav",
    "är inte ett krav",
    "krävs inte",
    "behöver inte",
    "not required",
    "is not a requirement",
    "need not",
    "does not need",
    "do not need",
];

/// Phrases that say no vetting is asked for.
const NO_VETTING: &[&str] = &[
    "does not require",
    "do not require",
    "no security",
    "no clearance",
    "no vetting",
    "not needed",
    "is not necessary",
    "krävs ingen",
    "kräver ingen",
    "ingen säkerhetsprövning",
    "inte säkerhetsklassat",
    "inte placerat i säkerhetsklass",
    "är inte placerat",
    "not placed in",
    "not security classified",
    "inte aktuell",
    "ej aktuell",
    "not applicable",
    "not relevant",
];

/// Words that ask for a clearance held already, whatever else the sentence says.
const ALREADY: &[&str] = &["already", "redan", "currently hold*", "innehar", "inneha"];

const CITIZENSHIP: &[&str] = &["citizen*", "medborgar*", "nationality"];

/// The law and the field a vetting sentence names for context ("Uppdraget omfattas av
/// säkerhetsskyddslagen och är placerat i säkerhetsklass 3"): part of the clearance, not a
/// skill asked for.
const VETTING_CONTEXT: &[&str] = &[
    "säkerhetsskyddslag*",
    "säkerhetsskydd",
    "protective security act",
    "swedish protective security act",
    "protective security",
    "security protection act",
];

const NATIONALITIES: &[(&str, &[&str])] = &[
    ("swedish", &["SE"]),
    ("svensk*", &["SE"]),
    ("sweden", &["SE"]),
    ("sverige", &["SE"]),
    ("danish", &["DK"]),
    ("dansk*", &["DK"]),
    ("norwegian", &["NO"]),
    ("norsk*", &["NO"]),
    ("finnish", &["FI"]),
    ("finsk*", &["FI"]),
    ("nordic", &["SE", "DK", "NO", "FI", "IS"]),
    ("nordisk*", &["SE", "DK", "NO", "FI", "IS"]),
    ("eu", EU),
    ("european union", EU),
    ("europeiska unionen", EU),
];

/// The member states of the European Union: "EU citizen", "EU-medborgare".
const EU: &[&str] = &[
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT", "LU", "LV",
    "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
];

/// Whether a sentence puts vetting or citizenship to the consultant or the assignment
/// ("Konsulten kommer att genomgå säkerhetsprövning", not "We build systems for clients with
/// security clearance needs").
pub(crate) fn mentions(t: &Tokens<'_>) -> bool {
    const WHO: &[&str] = &[
        "konsult*",
        "du",
        "dig",
        "you",
        "candidate*",
        "kandidat*",
        "uppdraget",
        "assignment",
        "the role",
        "rollen",
        "placera*",
        "placed",
        // A vetting done before the start, or one that will be done, is the consultant's.
        "innan start",
        "före start",
        "before start",
        "before the start",
        "prior to start",
        "innan tillträde",
        "kommer att genomföras",
        "will be carried out",
        "will be conducted",
        "will be performed",
    ];
    (t.has_any(VETTING) || t.has_any(CITIZENSHIP)) && t.has_any(WHO)
}

/// Reads clearance and citizenship from one sentence.
pub(crate) fn find(t: &Tokens<'_>) -> FoundClearance {
    let mut out = FoundClearance::default();
    let vetting = t.all_of(VETTING);
    for (_, span) in &vetting {
        out.spans.push(*span);
        let level = class_at(t, *span).unwrap_or(ClearanceLevel::Sk3);
        out.level = out.level.max(Some(level));
    }
    if out.level.is_some() {
        out.spans.extend(t.all_of(VETTING_CONTEXT).into_iter().map(|(_, s)| s));
    }
    // "must already hold a clearance or be willing to undergo vetting": held already is one
    // way, not the only one.
    let either = || {
        t.first_of(ALREADY).is_some_and(|(_, a)| {
            t.first_of(WILLING).is_some_and(|(_, w)| (a.last..w.first).any(|i| matches!(t.low(i), "or" | "eller")))
        })
    };
    // "The assignment does not require a security clearance", "Ingen säkerhetsprövning
    // krävs": no level from this sentence; if another sentence asks for one, a clearance
    // held already is not asked for.
    if out.level.is_some() && t.has_any(NO_VETTING) {
        out.level = None;
        out.willing = true;
    } else if out.level.is_some() && t.has_any(WILLING) && (!t.has_any(ALREADY) || either()) {
        out.willing = true;
    }
    if t.has_any(CITIZENSHIP) {
        let names: Vec<&str> = NATIONALITIES.iter().map(|(n, _)| *n).collect();
        for (k, span) in t.all_of(&names) {
            out.spans.push(span);
            for code in NATIONALITIES.get(k).map_or(&[][..], |(_, c)| c) {
                if let Ok(c) = CountryCode::parse(code)
                    && !out.citizenship.contains(&c)
                {
                    out.citizenship.push(c);
                }
            }
        }
        out.spans.extend(t.all_of(CITIZENSHIP).into_iter().map(|(_, s)| s));
    }
    out
}

/// The class named at or just after a vetting word: "SK2", "säkerhetsklass 1",
/// "security class 2", "säkerhetsklass (3)".
fn class_at(t: &Tokens<'_>, span: Span) -> Option<ClearanceLevel> {
    let word = t.low(span.first);
    let digit = match word.strip_prefix("sk") {
        Some(d @ ("1" | "2" | "3")) => d.parse().ok(),
        _ if word.starts_with("säkerhetsklass")
            || word.starts_with("säkerhetsskyddsklass")
            || t.match_at(span.first, "security class").is_some()
            || t.match_at(span.first, "security clearance*").is_some() =>
        {
            // "säkerhetsklass 2", "security clearance level 1", "security class 3", "security
            // clearance at level 2", "säkerhetsklass på nivå 2".
            (span.last..(span.last + 4).min(t.len()))
                .find(|&i| !matches!(t.low(i), "level" | "nivå" | "at" | "på" | "of" | "i" | "in"))
                .and_then(|i| small_number(t.low(i)))
        }
        _ => None,
    };
    match digit {
        Some(1) => Some(ClearanceLevel::Sk1),
        Some(2) => Some(ClearanceLevel::Sk2),
        Some(3) => Some(ClearanceLevel::Sk3),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn found(s: &str) -> (Option<ClearanceLevel>, bool, Vec<String>) {
        let f = find(&Tokens::new(s));
        (f.level, f.willing, f.citizenship.iter().map(|c| c.to_string()).collect())
    }

    #[test]
    fn vetting_and_classes() {
        use ClearanceLevel::*;
        let cases = [
            ("Willingness to undergo security clearance", Some(Sk3), true),
            ("Konsulten ska genomgå säkerhetsprövning", Some(Sk3), true),
            ("Placering i säkerhetsklass 2", Some(Sk2), false),
            ("Säkerhetsklass 1 krävs", Some(Sk1), false),
            ("Security clearance level 2 required", Some(Sk2), false),
            ("SK1", Some(Sk1), false),
            ("Leverantören ska vara SUA-prövad", Some(Sk3), false),
            ("Tjänsten kräver placering i säkerhetsklass 1", Some(Sk1), false),
            ("Säkerhetsprövning kommer att genomföras innan uppdraget startar", Some(Sk3), true),
            ("The client requires security vetting before start", Some(Sk3), true),
            ("The consultant must already be placed in security class 2", Some(Sk2), false),
            ("Tjänsten kräver placering i säkerhetsklass 1 efter säkerhetsprövning", Some(Sk1), true),
            ("Konsulten ska redan vara placerad i säkerhetsklass 2 före start", Some(Sk2), false),
            ("Vi arbetar agilt", Option::None, false),
        ];
        for (s, level, willing) in cases {
            let (l, w, _) = found(s);
            assert_eq!((l, w), (level, willing), "{s}");
        }
    }

    #[test]
    fn citizenship_needs_a_citizenship_word() {
        let (_, _, c) =
            found("Willingness to undergo security clearance; Swedish citizenship required for some clients");
        assert_eq!(c, ["SE"]);
        assert_eq!(found("svenskt medborgarskap krävs").2, ["SE"]);
        assert_eq!(found("Nordic citizenship").2, ["SE", "DK", "NO", "FI", "IS"]);
        assert!(found("Swedish (Proficient)").2.is_empty());
        assert_eq!(found("Konsulten måste vara EU-medborgare").2.len(), 27);
        assert_eq!(found("must be an EU citizen").2.len(), 27);
    }
}
