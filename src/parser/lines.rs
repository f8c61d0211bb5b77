//! Line segmentation: bullets and numbering, headings (with or without a colon, Markdown
//! `#` or `**bold**`), label–value lines ("Workplace: Malmö") and sentences inside prose.

use super::cues::{Cue, bare_heading_cue, heading_cue};

/// One line of the ad.
#[derive(Debug, Clone)]
pub(crate) struct Line<'a> {
    /// 1-based line number.
    pub no: usize,
    /// The line as written, trimmed (what evidence quotes).
    pub raw: &'a str,
    /// The line without its bullet, list number or Markdown decoration.
    pub body: &'a str,
    /// Whether the line carried a bullet or a list number.
    pub item: bool,
}

impl Line<'_> {
    /// The line as evidence quotes it: as written, a wrapped line joined by single spaces.
    pub fn quote(&self) -> String {
        if self.raw.contains(['\n', '\r']) {
            self.raw.split_whitespace().collect::<Vec<_>>().join(" ")
        } else {
            self.raw.to_string()
        }
    }
}

/// What a line is, structurally.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape<'a> {
    /// Opens a section of the given kind (`None`: an unknown heading, which closes the section).
    Heading(Option<Cue>),
    /// "Krav: Java, Kubernetes": a cue label with content; the content has the cue's kind.
    Inline(Cue, &'a str),
    /// Anything else.
    Text,
}

/// Whether a line is a row of cells split by dashes between spaces: "SQL Server – 5 – krav",
/// "ABAP – – nice" (an empty cell between).
pub(crate) fn dash_cells(l: &str) -> bool {
    l.split_whitespace().filter(|w| *w == "–").count() >= 2
}

/// A row of a table flattened to text ("Power BI | 4+ | Must", "Krav | Erfarenhet", cells
/// split by `sep`): a
/// header whose first cell is a cue opens a section; a row whose last cell is a cue is
/// an inline cue for the cells before it.
fn table_row<'a>(body: &'a str, sep: &str) -> Option<Shape<'a>> {
    // An empty cell may hold a dash ("ABAP – – nice", "TOGAF | - | Must").
    let cells: Vec<&str> = body
        .split(sep)
        .map(|c| c.trim().trim_start_matches(['–', '-', '—']).trim())
        .filter(|c| !c.is_empty())
        .collect();
    let [first, .., last] = cells.as_slice() else {
        return None;
    };
    // "Skill | Years | Requirement", "Kompetens | Nivå | Krav/Merit": a header of columns.
    let one_word = first.split_whitespace().count() == 1;
    if one_word && heading_cue(first) == Some(Cue::Skills) && !body.contains(|c: char| c.is_ascii_digit()) {
        return Some(Shape::Heading(None));
    }
    if let Some(cue) = bare_heading_cue(last.trim_end_matches(['.', '!'])) {
        let cut = body.rfind(sep).map_or(body, |i| &body[..i]);
        return Some(Shape::Inline(cue, cut.trim().trim_end_matches(sep).trim()));
    }
    bare_heading_cue(first).map(|cue| Shape::Heading(Some(cue)))
}

/// Removes a leading bullet ("-", "*", "•", "–", "·", "▪", "o "), list number ("1.", "2)",
/// "(3)", "a)", "K1.", "SK2:") and Markdown decoration ("#", "**…**").
pub(crate) fn strip_marker(s: &str) -> (&str, bool) {
    let mut body = s.trim();
    let mut item = false;
    // Markdown headings.
    let hashes = body.trim_start_matches('#');
    if hashes.len() != body.len() && hashes.starts_with(' ') {
        body = hashes.trim();
    }
    for bullet in ['•', '-', '*', '–', '—', '·', '▪', '◦', '●', '○', '►', '✓', '✔'] {
        if let Some(rest) = body.strip_prefix(bullet) {
            // "**bold**" is decoration, not a bullet.
            if bullet == '*' && rest.starts_with('*') {
                break;
            }
            if rest.starts_with(char::is_whitespace) || bullet != '-' && bullet != '*' {
                body = rest.trim();
                item = true;
                break;
            }
        }
    }
    if !item && let Some(rest) = strip_number(body) {
        body = rest;
        item = true;
    }
    // "**Krav**" / "__Krav__".
    for deco in ["**", "__"] {
        if let Some(inner) = body.strip_prefix(deco) {
            body = inner.trim();
            if let Some(i) = body.find(deco) {
                let (head, tail) = body.split_at(i);
                let tail = &tail[deco.len()..];
                // Keep "**Krav:** Java" as "Krav: Java" would need allocation; the label is the
                // decorated part, so only strip when nothing but punctuation follows.
                if tail.trim().chars().all(|c| c == ':' || c.is_whitespace()) {
                    body = head.trim();
                } else {
                    body = s.trim();
                }
            }
        }
    }
    (body, item)
}

/// "1.", "12)", "(3)", "a)", "K1.", "SK2:", "B3 " followed by whitespace → the rest.
fn strip_number(s: &str) -> Option<&str> {
    let b = s.as_bytes();
    let mut i = 0;
    let paren = b.first() == Some(&b'(');
    if paren {
        i = 1;
    }
    let letters = b[i..].iter().take_while(|c| c.is_ascii_uppercase()).count().min(3);
    let digits = b[i + letters..].iter().take_while(|c| c.is_ascii_digit()).count();
    let lower = if letters == 0 && digits == 0 && b.get(i).is_some_and(u8::is_ascii_lowercase) { 1 } else { 0 };
    if digits == 0 && lower == 0 {
        return None;
    }
    if digits > 3 {
        return None;
    }
    let mut j = i + letters + digits + lower;
    // A letter alone ("a") needs a closing ")" or "."; a number may have "." ")" ":" or nothing
    // when a code ("K1") precedes it.
    match b.get(j) {
        Some(b'.') | Some(b')') => j += 1,
        Some(b':') if letters > 0 => j += 1,
        Some(c) if c.is_ascii_whitespace() && letters > 1 && digits > 0 => {}
        _ => return None,
    }
    if paren && b.get(j - 1) != Some(&b')') {
        return None;
    }
    // "1.5 years" is not a list number: require whitespace after the marker.
    if !b.get(j).is_some_and(u8::is_ascii_whitespace) {
        return None;
    }
    s.get(j..).map(str::trim)
}

/// The most words of a heading written as a sentence ending in a colon.
const HEADING_SENTENCE_WORDS: usize = 9;

/// Decides what a line is.
pub(crate) fn shape<'a>(line: &Line<'a>) -> Shape<'a> {
    let body = line.body;
    if body.is_empty() {
        return Shape::Text;
    }
    // "Competence profile (Skill – Years – Must/Can)": a heading that names its table's columns.
    if let Some(head) = body.strip_suffix(')')
        && let Some((head, columns)) = head.rsplit_once('(')
        && (dash_cells(columns) || columns.matches('|').count() >= 2)
        && head.split_whitespace().count() <= 4
    {
        return Shape::Heading(heading_cue(head));
    }
    if body.contains('|')
        && let Some(row) = table_row(body, "|")
    {
        return row;
    }
    // "SQL Server – 5 – krav": cells split by dashes between spaces.
    if dash_cells(body)
        && let Some(row) = table_row(body, " – ")
    {
        return row;
    }
    if let Some((label, value)) = body.split_once(':') {
        let words = label.split_whitespace().count();
        // "Det är ett plus om du har:": a heading that ends the line may be a short sentence.
        let ends_line = value.trim().is_empty();
        let max_words = if ends_line { HEADING_SENTENCE_WORDS } else { 6 };
        let label_ok = words > 0 && words <= max_words && !label.ends_with(|c: char| c.is_ascii_digit());
        if label_ok {
            let value = value.trim_matches(|c: char| c.is_whitespace() || matches!(c, '*' | '_'));
            let cue = heading_cue(label);
            if value.is_empty() {
                // "Erfarenhet av:" as a bullet introduces sub-items of its own section.
                if line.item && cue.is_none() {
                    return Shape::Text;
                }
                return Shape::Heading(cue);
            }
            return match cue {
                Some(c @ (Cue::Must | Cue::Can | Cue::Languages | Cue::Skills)) => Shape::Inline(c, value),
                _ => Shape::Text,
            };
        }
    }
    let words = body.split_whitespace().count();
    if body.ends_with('?') && words <= 15 && !line.item {
        let cue = bare_heading_cue(body.trim_end_matches('?')).or_else(|| question_cue(body)).unwrap_or(Cue::Other);
        return Shape::Heading(Some(cue));
    }
    // "3. Requirements", "4. Merits": a numbered section heading of a formal call-off.
    let numbered = line.item && line.raw.starts_with(|c: char| c.is_ascii_digit());
    if !line.item || numbered || line.raw.starts_with('#') {
        let trimmed = body.trim_end_matches(['.', '!', ':']);
        // "3. Bör-krav (meriterande vid utvärdering)": a closing bracket only glosses.
        let unglossed = match trimmed.trim_end().strip_suffix(')').and_then(|l| l.rsplit_once('(')) {
            Some((head, _)) => head.split_whitespace().count(),
            None => words,
        };
        if let Some(cue) = bare_heading_cue(trimmed).filter(|_| !numbered || unglossed <= 3) {
            return Shape::Heading(Some(cue));
        }
        if line.raw.starts_with('#') {
            return Shape::Heading(heading_cue(trimmed));
        }
    }
    Shape::Text
}

fn question_cue(q: &str) -> Option<Cue> {
    let t = super::text::Tokens::new(q);
    t.has_any(&["vem söker vi", "vem är du", "who are you", "who are we looking for", "vad behöver du"])
        .then_some(Cue::Must)
}

/// Short forms whose period does not end a sentence ("Proj. Mgmt", "min. 5 years",
/// "förvaltn. av system"), lower case, without the period.
const ABBREVIATIONS: &[&str] = &[
    "sv",
    "erf",
    "el",
    "motsv",
    "proj",
    "mgmt",
    "mgt",
    "eng",
    "dev",
    "admin",
    "adm",
    "min",
    "max",
    "approx",
    "ca",
    "resp",
    "inkl",
    "incl",
    "förvaltn",
    "förv",
    "utv",
    "mgr",
    "sr",
    "jr",
    "tech",
    "dept",
    "avd",
    "bl",
    "ev",
    "exkl",
    "excl",
    "ff",
    "infra",
    "sys",
    "prof",
    "ing",
    "cert",
    "req",
    "yrs",
    "yr",
    "st",
];

/// Splits a line into sentences at ". ", "! ", "? " and ";" (a period after a digit or a
/// single letter, as in "1." or "t.ex.", after a known short form such as "Proj." or
/// "förvaltn.", or before a lower-case word, does not end a sentence).
pub(crate) fn sentences(s: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = s.as_bytes();
    for (i, c) in s.char_indices() {
        let end = match c {
            ';' => true,
            '.' | '!' | '?' => {
                let next_ws = bytes.get(i + 1).is_none_or(u8::is_ascii_whitespace);
                let word: String = s[start..i].chars().rev().take_while(|c| c.is_alphanumeric()).collect();
                let before_word = s[start..i - word.len()].chars().next_back();
                let forward: String = word.chars().rev().collect::<String>().to_lowercase();
                // "Brandväggsadm.", "systemförvaltn.": a compound cut short.
                let short_form = ABBREVIATIONS.contains(&forward.as_str()) || crate::taxonomy::is_cut_short(&forward);
                // "t.ex.", "proj.led.": a dot inside the word; not ".NET." after a space.
                let dotted = before_word == Some('.')
                    && s[start..i - word.len() - 1].chars().next_back().is_some_and(char::is_alphanumeric);
                // "CV:t.", "API:et.": the ending of an abbreviated noun ends a sentence.
                let ending = before_word == Some(':');
                let abbreviation = (word.chars().count() == 1 && !ending) || dotted || short_form;
                // "1. Minst 5 år": a list number, not an end ("English C1. Swedish B2" and
                // "… 2026-01-30. Start …" do end).
                let prev_digit = !word.is_empty()
                    && word.len() <= 2
                    && word.chars().all(|c| c.is_ascii_digit())
                    && s[start..i].trim() == word;
                // "… förvaltn. av …": a sentence does not go on in lower case.
                let lower_next = s[i + 1..].trim_start().starts_with(char::is_lowercase);
                next_ws && !(c == '.' && (prev_digit || abbreviation || lower_next))
            }
            _ => false,
        };
        if end {
            let piece = &s[start..=i];
            if !piece.trim().is_empty() {
                out.push((start, piece));
            }
            start = i + c.len_utf8();
        }
    }
    if start < s.len() && !s[start..].trim().is_empty() {
        out.push((start, &s[start..]));
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn line(s: &str) -> Line<'_> {
        let (body, item) = strip_marker(s);
        Line { no: 1, raw: s, body, item }
    }

    #[test]
    fn markers_are_stripped() {
        let cases = [
            ("  • At least 5 years", "At least 5 years", true),
            ("- Java", "Java", true),
            ("* Java", "Java", true),
            ("1. Java", "Java", true),
            ("2) Kubernetes", "Kubernetes", true),
            ("(3) Azure", "Azure", true),
            ("a) ITIL", "ITIL", true),
            ("SK1. Konsulten ska ha", "Konsulten ska ha", true),
            ("K2: Minst 5 år", "Minst 5 år", true),
            ("## Krav", "Krav", false),
            ("**Meriterande**", "Meriterande", false),
            ("1.5 years of Java", "1.5 years of Java", false),
            ("-5 grader", "-5 grader", false),
            ("2025-10-01 start", "2025-10-01 start", false),
        ];
        for (raw, body, item) in cases {
            assert_eq!(strip_marker(raw), (body, item), "{raw}");
        }
    }

    #[test]
    fn shapes_distinguish_headings_inline_cues_and_text() {
        assert_eq!(shape(&line("Main requirements:")), Shape::Heading(Some(Cue::Must)));
        assert_eq!(shape(&line("Krav")), Shape::Heading(Some(Cue::Must)));
        assert_eq!(shape(&line("Conclusion:")), Shape::Heading(Some(Cue::Other)));
        assert_eq!(shape(&line("Training as an IT project manager:")), Shape::Heading(None));
        assert_eq!(shape(&line("Meriterande: ITIL")), Shape::Inline(Cue::Can, "ITIL"));
        assert_eq!(shape(&line("Workplace: Malmö, Sverige")), Shape::Text);
        assert_eq!(shape(&line("What are the tasks of an IT project manager?")), Shape::Heading(Some(Cue::Other)));
        assert_eq!(shape(&line("Technical skills")), Shape::Text);
    }

    #[test]
    fn sentences_split_on_terminators_but_not_numbers() {
        let s = "Vi söker en utvecklare. Erfarenhet av t.ex. Java är meriterande; Azure krävs. Version 1.5 ok";
        let parts: Vec<&str> = sentences(s).into_iter().map(|(_, p)| p.trim()).collect();
        assert_eq!(
            parts,
            ["Vi söker en utvecklare.", "Erfarenhet av t.ex. Java är meriterande;", "Azure krävs.", "Version 1.5 ok"]
        );
        let s = "Proj. Mgmt experience, min. 7 years. Förvaltn. av system. Klart";
        let parts: Vec<&str> = sentences(s).into_iter().map(|(_, p)| p.trim()).collect();
        assert_eq!(parts, ["Proj. Mgmt experience, min. 7 years.", "Förvaltn. av system.", "Klart"]);
        // A noun's ending after a colon is a word, not a one-letter abbreviation.
        let s = "Det ska framgå av CV:t. Arbetet sker i Visby.";
        let parts: Vec<&str> = sentences(s).into_iter().map(|(_, p)| p.trim()).collect();
        assert_eq!(parts, ["Det ska framgå av CV:t.", "Arbetet sker i Visby."]);
    }
}
