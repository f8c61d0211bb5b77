//! Where and how the work is done: the city (a labelled line such as "Workplace: Malmö,
//! Sverige" or "Ort: Göteborg", else the first known city named anywhere), the country, and
//! the work mode ("på plats" → onsite, "två dagar i veckan på kontoret" → hybrid,
//! "remote"/"distans" → remote).

use super::places::{city_in, country_in};
use super::text::{Tokens, small_number};
use crate::domain::{Location, WorkMode};

/// Labels that introduce a place.
const PLACE_LABELS: &[&str] = &[
    "workplace",
    "location",
    "ort",
    "placeringsort",
    "placering",
    "plats",
    "arbetsort",
    "arbetsplats",
    "stad",
    "city",
    "uppdragsort",
    "leveransort",
    "kontor",
    "office",
    "place of work",
    "based in",
];

/// A place found on a line: city as written (or the known spelling) and the country.
pub(crate) fn labelled_place(body: &str) -> Option<Location> {
    let (label, value) = body.split_once(':')?;
    let lt = Tokens::new(label);
    if !PLACE_LABELS.iter().any(|l| lt.match_at(0, l).is_some_and(|s| s.last == lt.len())) {
        return None;
    }
    let value = value.trim_matches(|c: char| c.is_whitespace() || matches!(c, '*' | '_'));
    let vt = Tokens::new(value);
    let country = country_in(&vt);
    if let Some((city, cc)) = city_in(&vt) {
        return Some(Location { city: Some(city.to_string()), country: country.or(cc) });
    }
    // An unknown place: the first part, if it looks like a name ("Ystad, Sverige").
    let first = value.split([',', '/', '(', ';', '.']).next().unwrap_or("").trim();
    let ft = Tokens::new(first);
    let is_name = first.chars().next().is_some_and(char::is_uppercase)
        && ft.len() <= 3
        && country_in(&ft).is_none()
        && mode_in(&ft).is_none();
    let city = (is_name && !first.is_empty()).then(|| first.to_string());
    (city.is_some() || country.is_some()).then_some(Location { city, country })
}

const REMOTE: &[&str] =
    &["remote*", "distans*", "på distans", "work from home", "working from home", "hemifrån", "fjärrarbete", "wfh"];
const ONSITE: &[&str] = &[
    "på plats",
    "onsite",
    "on site",
    "on premise*",
    "hos kunden",
    "på kontoret",
    "in the office",
    "at the office",
    "at the client*",
    "kundens lokaler",
    "office",
    "kontoret",
    "plats hos kund*",
];
const HYBRID: &[&str] = &[
    "hybrid",
    "hybridarbete",
    "hybridarbetsplats",
    "hybridmodell*",
    "delvis på distans",
    "delvis distans",
    "partly remote",
    "partially remote",
    "del av tiden",
];
/// Words after "hybrid" that make it a kind of technology or method, not a way of working:
/// "hybrid cloud", "hybrid identity", "hybrid project methods".
const NOT_WORK_AFTER_HYBRID: &[&str] = &[
    "cloud",
    "moln*",
    "it",
    "identit*",
    "project*",
    "projekt*",
    "environment*",
    "miljö*",
    "infrastru*",
    "scenari*",
    "method*",
    "metod*",
    "setup",
    "solution*",
    "lösning*",
    "deployment*",
    "networks",
    "nätverk*",
];
/// Remote work stated whole: an occasional visit to the office does not make it hybrid
/// ("fully remote, with an optional team day at the office once a month").
const FULLY_REMOTE: &[&str] = &[
    "fully remote",
    "full remote",
    "entirely remote",
    "completely remote",
    "100 remote",
    "helt på distans",
    "helt distans",
    "helt remote",
    "100 distans",
];
/// Some of the time, without a number: with remote work, a mix ("distans ok vissa dagar i
/// veckan", "remote some days").
const SOME_DAYS: &[&str] = &[
    "vissa dagar",
    "några dagar",
    "enstaka dagar",
    "some days",
    "certain days",
    "a few days",
    "some of the time",
    "mondays",
    "tuesdays",
    "wednesdays",
    "thursdays",
    "fridays",
    "måndagar",
    "tisdagar",
    "onsdagar",
    "torsdagar",
    "fredagar",
    "rest of the week",
    "resten av veckan",
];
const NEGATION: &[&str] = &["no", "not", "ej", "inte", "ingen", "icke", "never", "aldrig", "cannot"];

/// The work mode one sentence states, if any.
pub(crate) fn mode_in(t: &Tokens<'_>) -> Option<WorkMode> {
    let working = t.has_any(HYBRID)
        && t.all_of(HYBRID).iter().any(|(_, s)| !NOT_WORK_AFTER_HYBRID.iter().any(|w| t.match_at(s.last, w).is_some()));
    if working {
        return Some(WorkMode::Hybrid);
    }
    if t.has_any(FULLY_REMOTE) {
        return Some(WorkMode::Remote);
    }
    let remote = t.first_of(REMOTE);
    let onsite = t.has_any(ONSITE);
    if remote.is_none() && !onsite {
        return None;
    }
    // "två dagar i veckan på kontoret", "3 days a week on site".
    let days_a_week = (0..t.len()).any(|i| {
        small_number(t.low(i)).is_some_and(|n| (1..=4).contains(&n))
            && matches!(t.low(i + 1), "dagar" | "dag" | "days" | "day")
            && (matches!(t.low(i + 2), "vecka" | "veckan" | "week" | "v")
                || t.match_at(i + 2, "i veckan").is_some()
                || t.match_at(i + 2, "per vecka").is_some()
                || t.match_at(i + 2, "a week").is_some()
                || t.match_at(i + 2, "per week").is_some()
                || t.match_at(i + 2, "each week").is_some())
    });
    if (days_a_week || t.has_any(SOME_DAYS)) && (onsite || remote.is_some()) {
        return Some(WorkMode::Hybrid);
    }
    match (remote, onsite) {
        (Some((_, span)), _) => {
            let negated = (span.first.saturating_sub(3)..span.first).any(|i| NEGATION.contains(&t.low(i)))
                || (span.last..(span.last + 4).min(t.len())).any(|i| NEGATION.contains(&t.low(i)));
            if negated {
                Some(WorkMode::Onsite)
            } else if onsite {
                Some(WorkMode::Hybrid)
            } else {
                Some(WorkMode::Remote)
            }
        }
        (None, true) => Some(WorkMode::Onsite),
        (None, false) => None,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn place(s: &str) -> Option<(Option<String>, Option<String>)> {
        labelled_place(s).map(|l| (l.city, l.country.map(|c| c.to_string())))
    }

    #[test]
    fn labelled_places() {
        let some = |c: &str, cc: &str| Some((Some(c.to_string()), Some(cc.to_string())));
        assert_eq!(place("Workplace: Malmö, Sverige"), some("Malmö", "SE"));
        assert_eq!(place("Ort: Göteborg"), some("Göteborg", "SE"));
        assert_eq!(place("Location: Gothenburg / hybrid"), some("Göteborg", "SE"));
        assert_eq!(place("Placeringsort: Ystad, Sverige"), some("Ystad", "SE"));
        assert_eq!(place("Location: Remote"), None);
        assert_eq!(place("Expires: September 15, 2025"), None);
    }

    #[test]
    fn work_modes() {
        let mode = |s: &str| mode_in(&Tokens::new(s));
        assert_eq!(mode("Du arbetar två dagar i veckan på kontoret"), Some(WorkMode::Hybrid));
        assert_eq!(mode("Arbetet sker på plats hos kunden"), Some(WorkMode::Onsite));
        assert_eq!(mode("Fully remote"), Some(WorkMode::Remote));
        assert_eq!(mode("Möjlighet att arbeta på distans"), Some(WorkMode::Remote));
        assert_eq!(mode("Distansarbete är inte möjligt"), Some(WorkMode::Onsite));
        assert_eq!(mode("No remote work"), Some(WorkMode::Onsite));
        assert_eq!(mode("Hybrid, 3 days a week in the office"), Some(WorkMode::Hybrid));
        assert_eq!(mode("We manage IT infrastructure projects"), None);
    }
}
