//! The assignment's title, client and extent.
//!
//! Title: a labelled line ("Title:", "Roll:", "Befattning:") or else the first line that is
//! not a label or a heading. Client: "Uppdragsgivare:", "Kund:", "Client:", or "We at Nexer
//! Infrastructure are …", "Vi på Acme söker …", "on behalf of …", "på uppdrag av …".
//! Extent: "100 %", "Omfattning: 50 %", "heltid"/"full-time" (100).

use super::text::{Tokens, small_number, truncate_chars};

const TITLE_LABELS: &[&str] = &[
    "title",
    "job title",
    "titel",
    "roll",
    "role",
    "befattning",
    "tjänst",
    "position",
    "uppdragstitel",
    "rubrik",
    "uppdrag",
    "assignment",
    "avrop",
    "annons",
    "annonstitel",
];

const CLIENT_LABELS: &[&str] = &[
    "uppdragsgivare",
    "kund",
    "slutkund",
    "client",
    "end client",
    "customer",
    "beställare",
    "upphandlande myndighet",
    "upphandlande organisation",
    "myndighet",
    "organisation",
    "organization",
    "company",
    "företag",
];

const EXTENT_CUES: &[&str] = &[
    "omfattning",
    "extent",
    "scope",
    "beläggning",
    "tjänstgöringsgrad",
    "sysselsättningsgrad",
    "arbetstid",
    "workload",
    "utilization",
    "utilisation",
    "allocation",
    "heltid",
    "deltid",
    "full time",
    "fulltime",
    "full-time",
    "part time",
    "fte",
];

/// The value of a "Label: value" line when the label is one of `labels`.
fn labelled<'a>(body: &'a str, labels: &[&str]) -> Option<&'a str> {
    let (label, value) = body.split_once(':')?;
    let lt = Tokens::new(label);
    let value = value.trim_matches(|c: char| c.is_whitespace() || matches!(c, '*' | '_' | '.'));
    (labels.iter().any(|l| lt.match_at(0, l).is_some_and(|s| s.last == lt.len())) && !value.is_empty()).then_some(value)
}

/// A title given by a label.
pub(crate) fn labelled_title(body: &str) -> Option<String> {
    let v = labelled(body, TITLE_LABELS)?;
    (v.split_whitespace().count() <= 15).then(|| truncate_chars(v, 200).to_string())
}

/// Whether a line is a "Label: value" line with a short label (so not a fallback title).
pub(crate) fn is_label_line(body: &str) -> bool {
    body.split_once(':').is_some_and(|(label, value)| !value.trim().is_empty() && label.split_whitespace().count() <= 4)
}

/// The client named on a line.
pub(crate) fn client(body: &str, t: &Tokens<'_>) -> Option<String> {
    if let Some(v) = labelled(body, CLIENT_LABELS) {
        return Some(truncate_chars(v, 200).to_string());
    }
    // "We at X are/is/…", "Vi på X söker/är/…", "on behalf of X", "på uppdrag av X".
    let intro = ["we at", "vi på", "vi hos", "on behalf of", "på uppdrag av", "our client"];
    let (_, span) = t.first_of(&intro)?;
    let stop = [
        "are", "is", "have", "has", "seek*", "looking", "söker", "är", "har", "letar", "we", "vi", "who", "som", "för",
        "for", "to", "inom", "within", "in", "i",
    ];
    let mut end = span.last;
    while end < t.len()
        && end < span.last + 6
        && !stop.iter().any(|w| t.match_at(end, w).is_some())
        && !t.gap_before(end).contains([',', '.', ';', '('])
    {
        end += 1;
    }
    if end == span.last {
        return None;
    }
    let (start, stop_at) = t.bytes(super::text::Span { first: span.last, last: end });
    let name = t.text.get(start..stop_at)?.trim();
    name.chars().next().is_some_and(char::is_uppercase).then(|| name.to_string())
}

/// Words after a percentage that make it something else than the extent ("100% remote").
const NOT_EXTENT_AFTER: &[&str] = &["remote", "distans", "on", "onsite", "på", "of", "av", "travel", "resor"];

/// The share of full time a line states. `dated`: the line gives the assignment's dates, so
/// a bare percentage on it is its extent ("runs from … to … at 100%", "(80%)").
pub(crate) fn extent(t: &Tokens<'_>, dated: bool) -> Option<u8> {
    if !t.has_any(EXTENT_CUES) && !dated {
        return None;
    }
    for i in 0..t.len() {
        let w = t.low(i);
        if w.is_empty() || w.len() > 3 || !w.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let percent = t.gap_after(i).trim_start().starts_with('%') || matches!(t.low(i + 1), "procent" | "percent");
        let word_after = if t.gap_after(i).trim_start().starts_with('%') { i + 1 } else { i + 2 };
        if percent
            && (t.has_any(EXTENT_CUES) || !NOT_EXTENT_AFTER.contains(&t.low(word_after)))
            && let Ok(n) = w.parse::<u8>()
            && (1..=100).contains(&n)
        {
            return Some(n);
        }
    }
    if t.has_any(&["heltid", "full time", "fulltime", "heltidsuppdrag"]) {
        return Some(100);
    }
    // "Omfattning: ca 20 timmar per vecka", "Extent: 4 days a week": of a 40-hour, 5-day week.
    if !t.has_any(EXTENT_CUES) {
        return None;
    }
    (0..t.len()).find_map(|i| {
        let n = small_number(t.low(i)).filter(|n| *n > 0)?;
        let (unit, of_week) = match t.low(i + 1) {
            "timmar" | "tim" | "h" | "hours" | "hrs" | "timmars" => (40, i + 2),
            "dagar" | "dag" | "days" | "day" => (5, i + 2),
            _ => return None,
        };
        let weekly =
            (of_week..(of_week + 3).min(t.len())).any(|j| matches!(t.low(j), "vecka" | "veckan" | "week" | "v"));
        (weekly && n <= unit).then(|| u8::try_from(n * 100 / unit).ok()).flatten()
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn clients_from_labels_and_phrases() {
        let c = |s: &str| client(s, &Tokens::new(s));
        assert_eq!(
            c("We at Nexer Infrastructure are looking for an IT Project Manager").as_deref(),
            Some("Nexer Infrastructure")
        );
        assert_eq!(c("Uppdragsgivare: Trafikverket").as_deref(), Some("Trafikverket"));
        assert_eq!(c("Kund: Region Skåne.").as_deref(), Some("Region Skåne"));
        assert_eq!(c("Vi på Acme Consulting söker en arkitekt").as_deref(), Some("Acme Consulting"));
        assert_eq!(c("We at the company are"), None);
        assert_eq!(c("Kunden är nöjd"), None);
    }

    #[test]
    fn extent_needs_a_cue() {
        let e = |s: &str| extent(&Tokens::new(s), false);
        let dated = |s: &str| extent(&Tokens::new(s), true);
        assert_eq!(dated("The assignment runs from 2026-03-16 to 2026-09-30 at 100%, hybrid"), Some(100));
        assert_eq!(dated("Pågår från 2026-03-02 till 2026-12-31 på 80 procent."), Some(80));
        assert_eq!(dated("Start 2026-01-01, 100% remote"), None);
        assert_eq!(e("Omfattning: 100 %"), Some(100));
        assert_eq!(e("Extent: 50%"), Some(50));
        assert_eq!(e("Heltid"), Some(100));
        assert_eq!(e("Omfattning: ca 20 timmar per vecka"), Some(50));
        assert_eq!(e("Extent: 4 days a week"), Some(80));
        assert_eq!(e("Extent: 32 hours/week"), Some(80));
        assert_eq!(e("Arbetet sker 3 dagar per vecka på plats"), None);
        assert_eq!(e("Deltid 80 procent"), Some(80));
        assert_eq!(e("100% remote"), None);
    }

    #[test]
    fn titles_from_labels() {
        assert_eq!(labelled_title("Roll: Systemförvaltare").as_deref(), Some("Systemförvaltare"));
        assert_eq!(labelled_title("Workplace: Malmö"), None);
    }
}
