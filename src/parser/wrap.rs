//! Splitting an ad into lines, joining lines of prose wrapped mid-sentence (a paragraph
//! pasted from a PDF or an e-mail) back into one.

use super::cues::bare_heading_cue;
use super::lines::{Line, dash_cells, strip_marker};

/// Splits text into lines (LF, CRLF or a lone CR each end one line), numbered from 1.
/// A line of prose wrapped onto the next (a paragraph pasted from a PDF or an e-mail) is
/// joined back into one line, numbered as its first: see [`continues`].
pub(crate) fn split_lines<'a>(text: &'a str) -> Vec<Line<'a>> {
    let mut out = Vec::new();
    let line = |l: &'a str, no: usize| {
        let raw = l.trim();
        let (body, item) = strip_marker(raw);
        Line { no, raw, body, item }
    };
    // Each physical line's byte span.
    let mut spans = Vec::new();
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\n' || bytes[i] == b'\r' {
            spans.push((start, i));
            if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                i += 1;
            }
            start = i + 1;
        }
        i += 1;
    }
    spans.push((start, text.len()));
    let mut k = 0;
    while k < spans.len() {
        let (first, mut end) = spans[k];
        let no = k + 1;
        while let Some(&(next_start, next_end)) = spans.get(k + 1) {
            if !continues(&text[first..end], &text[next_start..next_end]) {
                break;
            }
            end = next_end;
            k += 1;
        }
        push_line(&mut out, line(&text[first..end], no));
        k += 1;
    }
    out
}

/// Adds a line; a row of labelled cells ("Start: 2026-01-26 | End: 2026-06-26 | Extent:
/// 80%"), a table flattened to text, becomes one line per cell, each quoting the whole row.
fn push_line<'a>(out: &mut Vec<Line<'a>>, l: Line<'a>) {
    let labelled = l.body.split('|').filter(|c| c.contains(':')).count();
    if labelled < 2 {
        out.push(l);
        return;
    }
    for cell in l.body.split('|').map(str::trim).filter(|c| !c.is_empty()) {
        out.push(Line { no: l.no, raw: l.raw, body: cell, item: false });
    }
}

/// A line of at least this many words that does not end a sentence may wrap onto the next.
const WRAPPED_WORDS: usize = 8;

/// Characters of a line as wide as a hard-wrapped paragraph's (most wrap at 65–80).
const WRAP_WIDTH: usize = 60;

/// A shorter line of at least this many words wraps only when it ends on a word no sentence
/// ends on and the next line goes on in lower case.
const SHORT_WRAPPED_WORDS: usize = 4;

/// Words a line of prose does not end on unless the sentence goes on in the next line.
const RUNS_ON: &[&str] = &[
    "och",
    "eller",
    "samt",
    "i",
    "av",
    "med",
    "inom",
    "för",
    "på",
    "till",
    "om",
    "som",
    "att",
    "från",
    "mot",
    "vid",
    "en",
    "ett",
    "den",
    "det",
    "är",
    "har",
    "ha",
    "minst",
    "kunna",
    "du",
    "din",
    "ditt",
    "dina",
    "vi",
    "kring",
    "efter",
    "både",
    "än",
    "även",
    "också",
    "varav",
    "the",
    "of",
    "with",
    "in",
    "and",
    "or",
    "to",
    "for",
    "on",
    "at",
    "a",
    "an",
    "as",
    "by",
    "from",
    "including",
    "such",
    "is",
    "are",
    "be",
    "have",
    "has",
    "your",
    "you",
    "we",
    "our",
    "least",
    "than",
    "both",
    "into",
    "within",
    "using",
    "via",
    "also",
    "which",
    "who",
    "that",
    "this",
];

/// Whether `next` carries on the sentence `prev` (a line of prose or a long list item) left
/// unfinished: `prev` has at least [`WRAPPED_WORDS`] words (see [`SHORT_WRAPPED_WORDS`]) and no closing punctuation, `next`
/// is neither a list item nor a heading nor a table row, and either `next` goes on in lower
/// case, or `prev` ends on a comma or a word no sentence ends on ("med", "of"), or `next` is
/// indented under a list item ("1. Minst 8 års erfarenhet …\n   av …").
pub(crate) fn continues(prev: &str, next: &str) -> bool {
    let (p, n) = (prev.trim(), next.trim());
    let row = |l: &str| l.contains('|') || dash_cells(l);
    if p.is_empty() || n.is_empty() || row(p) || row(n) || n.starts_with('#') {
        return false;
    }
    if p.ends_with(['.', '!', '?', ':', ';']) || strip_marker(n).1 {
        return false;
    }
    let lower_next = n.starts_with(char::is_lowercase);
    let last = p.rsplit(|c: char| c.is_whitespace()).next().unwrap_or("").to_lowercase();
    let runs_on = p.ends_with([',', '-', '–', '/', '&']) || RUNS_ON.contains(&last.as_str());
    let words = p.split_whitespace().count();
    let wraps = if words < WRAPPED_WORDS {
        // A shorter line wraps only when both sides say so ("… certification is\nrequired.").
        words >= SHORT_WRAPPED_WORDS && runs_on && lower_next
    } else {
        let indented_under_item = next.starts_with([' ', '\t']) && strip_marker(p).1;
        // "… erfarenhet av Microsoft Dynamics 365\nBusiness Central, …": a line of prose as
        // wide as a wrapped paragraph, that ends on a number, goes on with a name.
        // A list without bullets has lines that end on a name too ("… inom IT-infrastruktur\nGoda
        // kunskaper i ITIL"): only a number before prose that goes on with punctuation.
        let ends_on_name = last.chars().next().is_some_and(|c| c.is_ascii_digit()) && n.contains([',', '.']);
        // Not a "Label: value" line, nor before one ("Must have: …; Azure Data Factory\nNice to
        // have: …").
        let labelled = |l: &str| l.split_once(':').is_some_and(|(a, _)| a.split_whitespace().count() <= 4);
        let wide = p.chars().count() >= WRAP_WIDTH && !strip_marker(p).1 && !labelled(p) && !labelled(n);
        lower_next || runs_on || indented_under_item || (wide && ends_on_name)
    };
    // "Krav", "Meriterande": a heading, unless it goes on in lower case ("… is\nrequired.").
    wraps && (lower_next || bare_heading_cue(n.trim_end_matches(['.', ':'])).is_none())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::split_lines;

    #[test]
    fn a_wrapped_sentence_is_one_line() {
        let bodies = |t: &str| {
            split_lines(t)
                .into_iter()
                .map(|l| (l.no, l.body.split_whitespace().collect::<Vec<_>>().join(" ")))
                .collect::<Vec<_>>()
        };
        // Prose wrapped mid-sentence: in lower case, after a comma, after a word no sentence ends on.
        let text = "Du behöver ha minst fem års erfarenhet av Linux, varav två år med RHEL i\nproduktion. Svenskt medborgarskap krävs och arbetet sker på\nplats i Piteå.\n\nTo be considered you need six years with routing and switching,\nand solid knowledge of BGP. You must have administered firewalls from\nPalo Alto Networks in production.";
        assert_eq!(
            bodies(text),
            [
                (1, "Du behöver ha minst fem års erfarenhet av Linux, varav två år med RHEL i produktion. Svenskt medborgarskap krävs och arbetet sker på plats i Piteå.".to_string()),
                (4, String::new()),
                (5, "To be considered you need six years with routing and switching, and solid knowledge of BGP. You must have administered firewalls from Palo Alto Networks in production.".to_string()),
            ]
        );
        // A list item's indented continuation joins it; the next item does not.
        let items = "1. Erfarenhet av att leda acceptanstest tillsammans med verksamheten. Meriterande om\n   detta skett i kommunal verksamhet.\n2. Erfarenhet av Jira";
        let got = split_lines(items);
        assert_eq!(got.len(), 2);
        assert!(got[0].item && got[0].body.ends_with("kommunal verksamhet."));
        assert_eq!(
            got[0].quote(),
            "1. Erfarenhet av att leda acceptanstest tillsammans med verksamheten. Meriterande om detta skett i kommunal verksamhet."
        );
    }

    #[test]
    fn lists_headings_and_rows_are_never_joined() {
        let count = |t: &str| split_lines(t).len();
        // Unpunctuated lines of a list without bullets, each starting in upper case.
        assert_eq!(
            count(
                "Minst fem års erfarenhet av projektledning inom IT-infrastruktur\nGoda kunskaper i ITIL och förändringsledning i stora organisationer\nSvenska och engelska flytande i tal och skrift"
            ),
            3
        );
        // A short heading, a heading cue, a table row and a bullet.
        assert_eq!(count("Krav\nerfarenhet av Java"), 2);
        assert_eq!(count("We are looking for someone with a long track record of delivery in\nMeriterande"), 2);
        assert_eq!(count("Skill: Python (PySpark preferred) – 3 years – must\nSkill: dbt – nice to have"), 2);
        assert_eq!(count("Power BI | 4 | Must and the rest of the cells here for\nthe next row | 3 | Krav"), 2);
        assert_eq!(count("You will be working with a number of teams across the whole group and\n- Kubernetes"), 2);
    }
}
