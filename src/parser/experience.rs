//! Years of experience: "At least 5 years of experience managing …", "5+ years", "minst 5 års
//! erfarenhet av …", "Gedigen erfarenhet av systemförvaltning, minst 4 år", "3–5 years".

use super::text::{Tokens, small_number};

/// A number of years found in a sentence, at a byte offset (to bind it to the nearest skill).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Years {
    /// The lower bound asked for.
    pub years: f32,
    /// Byte offset of the number in the sentence.
    pub at: usize,
    /// A share of years stated before ("10+ years of development, at least 4 of them with
    /// Kotlin", "minst 8 års erfarenhet av IT-drift, varav 3 i Azure"): it binds only to
    /// skills after it.
    pub share: bool,
    /// A table cell of its own ("SAP FI, of which 4 on S/4HANA – 8 – must", "| 10+ years |"):
    /// the row's years, for every skill of the row that states none nearer.
    pub cell: bool,
}

/// Words that make the number after them a share of years stated before.
const SHARE_BEFORE: &[&str] = &["varav", "därav", "of which", "of these", "of those", "including"];

/// Words that make the number before them a share: "4 of them", "3 av dem".
const SHARE_AFTER: &[&str] =
    &["of them", "of these", "of those", "of which", "of the", "av dem", "av dessa", "av vilka", "av de"];

const YEAR_WORDS: &[&str] = &["år", "års", "year", "years", "yrs", "yr", "årig", "åriga", "års"];

const EXPERIENCE: &[&str] = &[
    "experience*",
    "erfaren*",
    "worked",
    "working",
    "arbetat",
    "jobbat",
    "background",
    "bakgrund",
    "managing",
    "yrkes*",
    "track record",
];

/// Words of a sentence about the assignment's length, not about experience.
const DURATION: &[&str] = &[
    "uppdrag*",
    "assignment*",
    "contract*",
    "avtal*",
    "period*",
    "option*",
    "förläng*",
    "extension*",
    "extend*",
    "months",
    "månader",
    "duration",
    "löper",
    "runs",
    "lasts",
    "varar",
    "engagement",
];

const QUALIFIERS: &[&str] = &["at least", "minst", "minimum", "min", "more than", "över", "mer än", "over"];

/// Years of experience in one sentence (of a requirement). In a sentence about the
/// assignment's length, a number of years without a word about experience or a qualifier
/// such as "at least" is taken to be that length.
pub(crate) fn find(t: &Tokens<'_>, years_column: bool) -> Vec<Years> {
    let mut out = Vec::new();
    // Read in a requirement, a number of years is of experience unless the sentence is
    // about the assignment's length ("Skill: Terraform – 3 years – must").
    let context = t.has_any(EXPERIENCE) || !t.has_any(DURATION);
    let shares = t.all_of(SHARE_BEFORE);
    // Where each share phrase ("of them", "of the") starts and ends, found once.
    let share_after = t.all_of(SHARE_AFTER);
    for i in 0..t.len() {
        let years_word =
            YEAR_WORDS.contains(&t.low(i + 1)) || (t.low(i + 1) == "of" && YEAR_WORDS.contains(&t.low(i + 2)));
        // "varav minst 3 år", "of which at least 3 years", "varav 3 i Azure", "4 of them".
        let share_after_here = share_after.iter().any(|(_, s)| s.first == i + 1);
        let share = shares.iter().any(|(_, s)| s.last <= i && i - s.last <= 2) || share_after_here;
        // A bare share must be written in digits ("varav en del" is no number of years), unless
        // a share phrase follows it ("three of which").
        let digits = t.low(i).bytes().all(|b| b.is_ascii_digit());
        // "of which at least three as a test manager": a number word of two or more after a
        // share phrase counts too ("varav en del" does not).
        let word_number = small_number(t.low(i)).is_some_and(|n| n >= 2);
        let counted = digits || (share_after_here && small_number(t.low(i)).is_some()) || (share && word_number);
        if !(years_word || share && counted || digits && (plus_cell(t, i) || years_column && bare_cell(t, i))) {
            continue;
        }
        // "during the last 5 years", "under de senaste fem åren": a window of time, not
        // experience.
        if i >= 1 && matches!(t.low(i - 1), "last" | "past" | "senaste" | "recent" | "förra") {
            continue;
        }
        // "3 of the 6 years": the 6 is the total the share is of, stated before.
        if share_after.iter().any(|&(k, s)| s.last == i && matches!(SHARE_AFTER.get(k), Some(&("of the" | "av de")))) {
            continue;
        }
        let Some(years) = years_at(t, i) else {
            continue;
        };
        let plus = t.gap_after(i).trim_start().starts_with('+');
        // "6 years of project management", "8 years in DevOps": years of something done.
        let of_something = years_word && matches!(t.low(i + 2), "of" | "in" | "with" | "as" | "som" | "inom");
        let qualified = plus || of_something || (i >= 1 && QUALIFIERS.iter().any(|q| qualifier_ends_at(t, i, q)));
        if !(context || qualified) {
            continue;
        }
        if let Some(tok) = t.toks.get(i) {
            let cell = !share && own_cell(t, i);
            out.push(Years { years, at: tok.start, share, cell });
        }
    }
    // A share of no total stated in the sentence ("with Java during at least 3 of the last 5
    // years") is years of its own.
    if out.iter().all(|y| y.share) {
        for y in &mut out {
            y.share = false;
        }
    }
    out
}

/// Whether the years at token `i` fill a table cell of their own: "| 10+ years |", "– 8 –",
/// "– 3 år – krav".
fn own_cell(t: &Tokens<'_>, i: usize) -> bool {
    let edge = |g: &str| g.starts_with(['|', '–', '—']) || g.starts_with("- ");
    let before = t.gap_before(i).trim_end();
    // The cell may go on with "+" and a word for years: "10+ years |".
    let mut j = i;
    if YEAR_WORDS.contains(&t.low(j + 1)) {
        j += 1;
    }
    let after = t.gap_after(j).trim_start().trim_start_matches('+').trim_start();
    (before.ends_with(['|', '–', '—']) || before.ends_with(" -"))
        && (after.is_empty() || edge(after) || after.starts_with('('))
}

/// Whether token `i` is a table cell of its own reading "N+" ("Power BI | 4+ | Must"): a
/// number of years in a skills table. A bare number without the plus may be a level.
fn plus_cell(t: &Tokens<'_>, i: usize) -> bool {
    let after = t.gap_after(i).trim();
    let before = t.gap_before(i).trim();
    // "8+ (min. 4 of those leading migrations) |": a gloss in brackets may follow.
    before.ends_with('|')
        && after
            .strip_prefix('+')
            .map(str::trim_start)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(['|', '(']))
}

/// Whether token `i` is a cell of its own holding only a number: "Cisco | 3" in a table
/// whose header names a column of years.
fn bare_cell(t: &Tokens<'_>, i: usize) -> bool {
    // Cells are split by pipes, or by dashes between spaces ("Azure – 3 – must").
    let cell_edge = |g: &str| g.starts_with(['|', '–', '—']) || g.starts_with("- ") || g == "-";
    let after = t.gap_after(i).trim_start();
    let before = t.gap_before(i).trim_end();
    (before.ends_with(['|', '–', '—']) || before.ends_with(" -"))
        && (after.trim().is_empty() || cell_edge(after) || after.starts_with(','))
}

/// The number at token `i`: "5", "fem", "1,5"/"1.5" (decimal), or the lower end of "3-5"/"3–5".
fn years_at(t: &Tokens<'_>, i: usize) -> Option<f32> {
    let n = small_number(t.low(i))?;
    if n == 0 || n > 60 {
        return None;
    }
    let mut years = n as f32;
    if i >= 1 {
        let gap = t.gap_before(i);
        // "1,5 år" / "1.5 years": the previous token is the whole part.
        if (gap == "," || gap == ".")
            && let Some(whole) = small_number(t.low(i - 1))
            && t.low(i).len() == 1
        {
            years = whole as f32 + n as f32 / 10.0;
        }
        // "3-5 years" / "3–5 år": take the lower bound.
        if matches!(gap.trim(), "-" | "–" | "—" | "to" | "till")
            && let Some(low) = small_number(t.low(i - 1))
            && low < n
        {
            years = low as f32;
        }
    }
    Some(years)
}

fn qualifier_ends_at(t: &Tokens<'_>, i: usize, q: &str) -> bool {
    let words = q.split(' ').count();
    // Allow one token between ("minst 3-5 år", "at least 1,5 years").
    (1..=2).any(|gap| i >= words + gap - 1 && t.match_at(i + 1 - gap - words, q).is_some())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn years(s: &str) -> Vec<f32> {
        find(&Tokens::new(s), false).into_iter().map(|y| y.years).collect()
    }

    #[test]
    fn a_share_of_years_is_marked() {
        let f = find(&Tokens::new("10+ years of development, at least 4 of them with Kotlin"), false);
        assert_eq!(f.iter().map(|y| y.share).collect::<Vec<_>>(), [false, true]);
        let f = find(&Tokens::new("Minst 6 års erfarenhet av systemförvaltning, varav 3 år enligt pm3"), false);
        assert_eq!(f.iter().map(|y| y.share).collect::<Vec<_>>(), [false, true]);
    }

    #[test]
    fn years_in_both_languages() {
        let cases: [(&str, &[f32]); 20] = [
            ("At least 5 years of experience managing IT infrastructure projects", &[5.0]),
            ("5+ years of Java", &[5.0]),
            ("minst 5 års erfarenhet av Java", &[5.0]),
            ("Gedigen erfarenhet av systemförvaltning, minst 4 år", &[4.0]),
            ("3–5 years experience with Kubernetes", &[3.0]),
            ("Minst 1,5 års erfarenhet", &[1.5]),
            ("fem års erfarenhet av Azure", &[5.0]),
            ("Uppdraget löper i 2 år", &[]),
            ("Över 10 år som projektledare", &[10.0]),
            ("Founded 1998, 300 employees", &[]),
            ("10+ years of software development, at least 4 of them with Kotlin", &[10.0, 4.0]),
            ("minst 8 års erfarenhet av IT-drift, varav 3 i Azure", &[8.0, 3.0]),
            ("at least 8 years in security, of which at least 3 years in architecture", &[8.0, 3.0]),
            ("Erfarenhet av Java, varav en del i molnet", &[]),
            ("6 years of project management within IT infrastructure", &[6.0]),
            ("At least 5 years of frontend development, of which 3 with Vue", &[5.0, 3.0]),
            ("3 of the 6 years in Go", &[3.0]),
            ("Java during at least 3 of the last 5 years", &[3.0]),
            ("at least eight years of testing, of which at least three as a test manager", &[8.0, 3.0]),
            ("minst 3 års erfarenhet av .NET under de senaste fem åren", &[3.0]),
        ];
        for (s, want) in cases {
            assert_eq!(years(s), want, "{s}");
        }
    }
}
