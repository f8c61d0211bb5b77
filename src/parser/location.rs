//! Where and how the work is done: the city (a labelled line such as "Workplace: Malmö,
//! Sverige" or "Ort: Göteborg", else the first known city named anywhere), the country, and
//! the work mode ("på plats" → onsite, "två dagar i veckan på kontoret" → hybrid,
//! "remote"/"distans" → remote).

use std::collections::HashMap;
use std::sync::OnceLock;

use super::text::{Tokens, small_number};
use crate::domain::{CountryCode, Location, WorkMode};

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

/// Swedish cities and towns (plus the Nordic capitals), as written locally, with the country.
const CITIES: &[(&str, &str)] = &[
    ("Stockholm", "SE"),
    ("Göteborg", "SE"),
    ("Gothenburg", "SE"),
    ("Malmö", "SE"),
    ("Uppsala", "SE"),
    ("Västerås", "SE"),
    ("Örebro", "SE"),
    ("Linköping", "SE"),
    ("Helsingborg", "SE"),
    ("Jönköping", "SE"),
    ("Norrköping", "SE"),
    ("Lund", "SE"),
    ("Umeå", "SE"),
    ("Gävle", "SE"),
    ("Borås", "SE"),
    ("Södertälje", "SE"),
    ("Eskilstuna", "SE"),
    ("Halmstad", "SE"),
    ("Växjö", "SE"),
    ("Karlstad", "SE"),
    ("Sundsvall", "SE"),
    ("Östersund", "SE"),
    ("Trollhättan", "SE"),
    ("Luleå", "SE"),
    ("Kalmar", "SE"),
    ("Kristianstad", "SE"),
    ("Karlskrona", "SE"),
    ("Skövde", "SE"),
    ("Falun", "SE"),
    ("Borlänge", "SE"),
    ("Visby", "SE"),
    ("Kiruna", "SE"),
    ("Skellefteå", "SE"),
    ("Örnsköldsvik", "SE"),
    ("Nyköping", "SE"),
    ("Varberg", "SE"),
    ("Uddevalla", "SE"),
    ("Motala", "SE"),
    ("Karlskoga", "SE"),
    ("Solna", "SE"),
    ("Kista", "SE"),
    ("Sundbyberg", "SE"),
    ("Sollentuna", "SE"),
    ("Nacka", "SE"),
    ("Huddinge", "SE"),
    ("Täby", "SE"),
    ("Mölndal", "SE"),
    ("Enköping", "SE"),
    ("Ängelholm", "SE"),
    ("Arvika", "SE"),
    ("Boden", "SE"),
    ("Sandviken", "SE"),
    ("Hudiksvall", "SE"),
    ("Söderhamn", "SE"),
    ("Härnösand", "SE"),
    ("Kramfors", "SE"),
    ("Piteå", "SE"),
    ("Gällivare", "SE"),
    ("Mora", "SE"),
    ("Ludvika", "SE"),
    ("Avesta", "SE"),
    ("Köping", "SE"),
    ("Västervik", "SE"),
    ("Oskarshamn", "SE"),
    ("Värnamo", "SE"),
    ("Ljungby", "SE"),
    ("Hässleholm", "SE"),
    ("Landskrona", "SE"),
    ("Trelleborg", "SE"),
    ("Lidköping", "SE"),
    ("Alingsås", "SE"),
    ("Kungsbacka", "SE"),
    ("Katrineholm", "SE"),
    ("Strängnäs", "SE"),
    ("Norrtälje", "SE"),
    ("Märsta", "SE"),
    ("Arlanda", "SE"),
    ("Lidingö", "SE"),
    ("Järfälla", "SE"),
    ("Haninge", "SE"),
    // Municipal seats and towns across the country, one word each (names that are also
    // common words, such as Vara, Skara, Mark or Berg, are left out: a line naming them
    // names no place).
    ("Ystad", "SE"),
    ("Simrishamn", "SE"),
    ("Tomelilla", "SE"),
    ("Sjöbo", "SE"),
    ("Skurup", "SE"),
    ("Svedala", "SE"),
    ("Vellinge", "SE"),
    ("Höllviken", "SE"),
    ("Eslöv", "SE"),
    ("Hörby", "SE"),
    ("Höör", "SE"),
    ("Kävlinge", "SE"),
    ("Lomma", "SE"),
    ("Staffanstorp", "SE"),
    ("Arlöv", "SE"),
    ("Bjuv", "SE"),
    ("Åstorp", "SE"),
    ("Klippan", "SE"),
    ("Perstorp", "SE"),
    ("Örkelljunga", "SE"),
    ("Höganäs", "SE"),
    ("Båstad", "SE"),
    ("Laholm", "SE"),
    ("Falkenberg", "SE"),
    ("Hyltebruk", "SE"),
    ("Partille", "SE"),
    ("Kungälv", "SE"),
    ("Stenungsund", "SE"),
    ("Lysekil", "SE"),
    ("Munkedal", "SE"),
    ("Kungshamn", "SE"),
    ("Strömstad", "SE"),
    ("Tanumshede", "SE"),
    ("Bengtsfors", "SE"),
    ("Åmål", "SE"),
    ("Mellerud", "SE"),
    ("Vänersborg", "SE"),
    ("Grästorp", "SE"),
    ("Götene", "SE"),
    ("Mariestad", "SE"),
    ("Töreboda", "SE"),
    ("Hova", "SE"),
    ("Karlsborg", "SE"),
    ("Hjo", "SE"),
    ("Tidaholm", "SE"),
    ("Falköping", "SE"),
    ("Herrljunga", "SE"),
    ("Vårgårda", "SE"),
    ("Tranemo", "SE"),
    ("Svenljunga", "SE"),
    ("Ulricehamn", "SE"),
    ("Bollebygd", "SE"),
    ("Kinna", "SE"),
    ("Lerum", "SE"),
    ("Gislaved", "SE"),
    ("Gnosjö", "SE"),
    ("Vaggeryd", "SE"),
    ("Habo", "SE"),
    ("Mullsjö", "SE"),
    ("Aneby", "SE"),
    ("Eksjö", "SE"),
    ("Sävsjö", "SE"),
    ("Nässjö", "SE"),
    ("Tranås", "SE"),
    ("Vetlanda", "SE"),
    ("Alvesta", "SE"),
    ("Tingsryd", "SE"),
    ("Lessebo", "SE"),
    ("Åseda", "SE"),
    ("Markaryd", "SE"),
    ("Älmhult", "SE"),
    ("Hultsfred", "SE"),
    ("Vimmerby", "SE"),
    ("Högsby", "SE"),
    ("Mönsterås", "SE"),
    ("Emmaboda", "SE"),
    ("Nybro", "SE"),
    ("Torsås", "SE"),
    ("Borgholm", "SE"),
    ("Mörbylånga", "SE"),
    ("Ronneby", "SE"),
    ("Karlshamn", "SE"),
    ("Olofström", "SE"),
    ("Sölvesborg", "SE"),
    ("Osby", "SE"),
    ("Bromölla", "SE"),
    ("Svalöv", "SE"),
    ("Finspång", "SE"),
    ("Mjölby", "SE"),
    ("Boxholm", "SE"),
    ("Ödeshög", "SE"),
    ("Vadstena", "SE"),
    ("Åtvidaberg", "SE"),
    ("Kisa", "SE"),
    ("Valdemarsvik", "SE"),
    ("Söderköping", "SE"),
    ("Flen", "SE"),
    ("Vingåker", "SE"),
    ("Oxelösund", "SE"),
    ("Trosa", "SE"),
    ("Gnesta", "SE"),
    ("Sala", "SE"),
    ("Fagersta", "SE"),
    ("Arboga", "SE"),
    ("Kungsör", "SE"),
    ("Hallstahammar", "SE"),
    ("Surahammar", "SE"),
    ("Norberg", "SE"),
    ("Kumla", "SE"),
    ("Hallsberg", "SE"),
    ("Askersund", "SE"),
    ("Laxå", "SE"),
    ("Lindesberg", "SE"),
    ("Hällefors", "SE"),
    ("Degerfors", "SE"),
    ("Fjugesta", "SE"),
    ("Kristinehamn", "SE"),
    ("Filipstad", "SE"),
    ("Hagfors", "SE"),
    ("Torsby", "SE"),
    ("Sunne", "SE"),
    ("Säffle", "SE"),
    ("Grums", "SE"),
    ("Forshaga", "SE"),
    ("Munkfors", "SE"),
    ("Skoghall", "SE"),
    ("Charlottenberg", "SE"),
    ("Årjäng", "SE"),
    ("Storfors", "SE"),
    ("Orsa", "SE"),
    ("Rättvik", "SE"),
    ("Leksand", "SE"),
    ("Malung", "SE"),
    ("Vansbro", "SE"),
    ("Älvdalen", "SE"),
    ("Smedjebacken", "SE"),
    ("Hedemora", "SE"),
    ("Säter", "SE"),
    ("Gagnef", "SE"),
    ("Bollnäs", "SE"),
    ("Ljusdal", "SE"),
    ("Edsbyn", "SE"),
    ("Bergsjö", "SE"),
    ("Ockelbo", "SE"),
    ("Hofors", "SE"),
    ("Sollefteå", "SE"),
    ("Timrå", "SE"),
    ("Ånge", "SE"),
    ("Strömsund", "SE"),
    ("Krokom", "SE"),
    ("Åre", "SE"),
    ("Sveg", "SE"),
    ("Bräcke", "SE"),
    ("Lycksele", "SE"),
    ("Vilhelmina", "SE"),
    ("Storuman", "SE"),
    ("Sorsele", "SE"),
    ("Malå", "SE"),
    ("Norsjö", "SE"),
    ("Vindeln", "SE"),
    ("Vännäs", "SE"),
    ("Nordmaling", "SE"),
    ("Robertsfors", "SE"),
    ("Bjurholm", "SE"),
    ("Dorotea", "SE"),
    ("Åsele", "SE"),
    ("Kalix", "SE"),
    ("Haparanda", "SE"),
    ("Övertorneå", "SE"),
    ("Pajala", "SE"),
    ("Jokkmokk", "SE"),
    ("Arjeplog", "SE"),
    ("Arvidsjaur", "SE"),
    ("Älvsbyn", "SE"),
    ("Överkalix", "SE"),
    ("Tyresö", "SE"),
    ("Tumba", "SE"),
    ("Nynäshamn", "SE"),
    ("Sigtuna", "SE"),
    ("Vallentuna", "SE"),
    ("Åkersberga", "SE"),
    ("Vaxholm", "SE"),
    ("Gustavsberg", "SE"),
    ("Ekerö", "SE"),
    ("Nykvarn", "SE"),
    ("Danderyd", "SE"),
    ("Knivsta", "SE"),
    ("Tierp", "SE"),
    ("Östhammar", "SE"),
    ("Heby", "SE"),
    ("Bålsta", "SE"),
    ("Skärholmen", "SE"),
    ("Köpenhamn", "DK"),
    ("Copenhagen", "DK"),
    ("Oslo", "NO"),
    ("Helsingfors", "FI"),
    ("Helsinki", "FI"),
];

const COUNTRIES: &[(&str, &str)] = &[
    ("sverige", "SE"),
    ("sweden", "SE"),
    ("danmark", "DK"),
    ("denmark", "DK"),
    ("norge", "NO"),
    ("norway", "NO"),
    ("finland", "FI"),
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

/// The first known city named in a text, with its country.
pub(crate) fn city_in(t: &Tokens<'_>) -> Option<(&'static str, Option<CountryCode>)> {
    static BY_NAME: OnceLock<HashMap<String, (&'static str, &'static str)>> = OnceLock::new();
    let by_name = BY_NAME.get_or_init(|| CITIES.iter().map(|&(c, cc)| (c.to_lowercase(), (c, cc))).collect());
    t.toks.iter().find_map(|tok| {
        by_name
            .get(tok.low.as_str())
            .map(|&(c, cc)| (if c == "Gothenburg" { "Göteborg" } else { c }, CountryCode::parse(cc).ok()))
    })
}

fn country_in(t: &Tokens<'_>) -> Option<CountryCode> {
    t.toks
        .iter()
        .find_map(|tok| COUNTRIES.iter().find(|(c, _)| *c == tok.low).and_then(|(_, cc)| CountryCode::parse(cc).ok()))
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
