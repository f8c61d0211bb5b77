//! Dates and durations: "Expires: September 15, 2025", "Sista ansökningsdag: 15 september 2025",
//! "Start: 2025-10-01", "Period: 2025-10-01 – 2026-03-31", "15/9 2025", "6 månader", "12 weeks".

use chrono::{Datelike, Days, Months, NaiveDate};

use super::text::{Tokens, small_number};

/// Which date a line speaks of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DateRole {
    /// Last day to apply.
    Expires,
    /// First day of the assignment.
    Start,
    /// Last day of the assignment.
    End,
    /// A period: first and (if given) last day.
    Period,
}

/// A duration in the assignment's own units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Duration {
    /// Calendar months.
    Months(u32),
    /// Weeks.
    Weeks(u32),
}

const EXPIRES: &[&str] = &[
    "expires",
    "expiry",
    "expiration",
    "sista ansökningsdag*",
    "sista dag att",
    "sista dag för att",
    "sista dag för ansökan",
    "sista dag för anbud",
    "sista svarsdag*",
    "sista anbudsdag*",
    "ansök senast",
    "ansökan senast",
    "apply by",
    "apply before",
    "application deadline",
    "deadline",
    "closing date",
    "last day to",
    "last day for*",
    "anbudsdag",
    "sista dag för svar*",
    "sista dag för intresseanmälan",
    "sista dag för offert*",
    "senast svar*",
    "respond by",
    "reply by",
    "submit by",
    "inkommit senast",
    "kommit in till",
    "ha kommit in",
    "ska ha inkommit",
    "inkomma senast",
    "lämnas senast",
    "lämnats senast",
    "lämnas in senast",
    "received no later than",
    "submitted no later than",
    "submitted by",
    "tenders must be",
    "must reach us",
    "send your application",
    "skicka din ansökan",
    "inkomit senast",
    "anbud ska ha",
    "anbud senast",
    "anbud senast den",
    "tillhanda senast",
    "anmäla intresse",
    "cv no later than",
    "reach us no later than",
    "reach us by",
    "applications must be received",
    "sista ansök*",
    "svara senast",
    "svar senast",
    "send us your cv",
    "send your cv",
    "skicka ditt cv",
    "submit your application",
    "send in your application",
    "skicka in din ansökan",
    "application no later than",
    "skicka in ditt cv",
    "cv:t senast",
    "submit your cv",
    "submit candidates",
    "apply no later than",
];
const START: &[&str] =
    &["start*", "*start", "tillträde", "påbörja*", "begin*", "from", "fr o m", "fr.o.m", "från och med", "från"];
const END: &[&str] = &["end*", "slut*", "*slut", "until", "t o m", "till och med", "avslut*", "ends"];
const PERIOD: &[&str] = &[
    "period",
    "uppdragsperiod",
    "avtalsperiod",
    "avtalstid",
    "kontraktstid",
    "contract period",
    "assignment period",
    "tidsram",
    "timeframe",
    "tidsperiod",
    "duration",
    "varaktighet",
    "längd",
    "uppdragslängd",
    "löper",
    "pågår",
    "runs",
    "initially",
    "initialt",
    "inledningsvis",
    "omfattar",
];

const MONTHS: &[(&str, u32)] = &[
    ("januari", 1),
    ("january", 1),
    ("jan", 1),
    ("februari", 2),
    ("february", 2),
    ("feb", 2),
    ("mars", 3),
    ("march", 3),
    ("mar", 3),
    ("april", 4),
    ("apr", 4),
    ("maj", 5),
    ("may", 5),
    ("juni", 6),
    ("june", 6),
    ("jun", 6),
    ("juli", 7),
    ("july", 7),
    ("jul", 7),
    ("augusti", 8),
    ("august", 8),
    ("aug", 8),
    ("september", 9),
    ("sept", 9),
    ("sep", 9),
    ("oktober", 10),
    ("october", 10),
    ("okt", 10),
    ("oct", 10),
    ("november", 11),
    ("nov", 11),
    ("december", 12),
    ("dec", 12),
];

/// The role the line gives its dates, if it names one.
pub(crate) fn role(t: &Tokens<'_>) -> Option<DateRole> {
    if t.has_any(EXPIRES) {
        Some(DateRole::Expires)
    } else if t.has_any(PERIOD) {
        Some(DateRole::Period)
    } else {
        // "Start" wins over "till" in "Start: 1 oktober till 31 mars"; the first cue decides.
        let start = t.first_of(START).map(|(_, s)| s.first);
        let end = t.first_of(END).map(|(_, s)| s.first);
        match (start, end) {
            (Some(s), Some(e)) if e < s => Some(DateRole::End),
            // "from 2026-05-11 until 2027-05-07", "Start: 2026-03-09, slut 2026-09-04".
            (Some(_), Some(_)) => Some(DateRole::Period),
            (Some(_), _) => Some(DateRole::Start),
            (None, Some(_)) => Some(DateRole::End),
            (None, None) => None,
        }
    }
}

/// Every calendar date written in the text, in order.
pub(crate) fn find_dates(t: &Tokens<'_>) -> Vec<NaiveDate> {
    dates_at(t).into_iter().map(|(_, d)| d).collect()
}

/// Every calendar date written in the text, with the token it starts at. A day and month
/// without a year take the year of the date that follows ("1 mars – 31 augusti 2027").
fn dates_at(t: &Tokens<'_>) -> Vec<(usize, NaiveDate)> {
    let mut out = Vec::new();
    let mut i = 0;
    // A day and month still waiting for a year: (token, day, month).
    let mut pending: Option<(usize, u32, u32)> = None;
    while i < t.len() {
        if let Some((date, used)) = date_at(t, i) {
            if let Some((at, d, m)) = pending.take()
                && i - at <= 4
            {
                let year = if m <= date.month() { date.year() } else { date.year() - 1 };
                if let Some(first) = NaiveDate::from_ymd_opt(year, m, d) {
                    out.push((at, first));
                }
            }
            out.push((i, date));
            i += used;
        } else if t.low(i).starts_with(|c: char| c.is_ascii_digit())
            && let (Some(d), Some(m)) = (number(t, i, 2), month(t, i + 1))
        {
            pending = Some((i, d, m));
            i += 2;
        } else {
            i += 1;
        }
    }
    out
}

/// The start and end of a line that states a period. An end cue splits it: a date before
/// the cue starts it, a date after ends it ("Start ASAP, end 2026-10-30" has no start date;
/// "starts on 2026-03-16 and runs until 2026-12-18" has both). Without one, the first two
/// dates ("Period: 2026-02-16 – 2026-08-14").
pub(crate) fn period(t: &Tokens<'_>) -> (Option<NaiveDate>, Option<NaiveDate>) {
    let dates = dates_at(t);
    if let Some((_, cue)) = t.first_of(END)
        && let Some(end) = dates.iter().find(|(i, _)| *i >= cue.last)
    {
        let start = dates.iter().take_while(|(i, _)| *i < cue.first).map(|(_, d)| *d).next();
        return (start, Some(end.1));
    }
    (dates.first().map(|(_, d)| *d), dates.get(1).map(|(_, d)| *d))
}

fn number(t: &Tokens<'_>, i: usize, max_len: usize) -> Option<u32> {
    let w = t.low(i);
    let digits = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    // "15th", "1st", "2nd", "3rd" are days; anything else with letters is not a number.
    let suffix = &w[digits.len()..];
    if digits.is_empty() || digits.len() > max_len || !matches!(suffix, "" | "st" | "nd" | "rd" | "th" | "e" | "a") {
        return None;
    }
    digits.parse().ok()
}

fn month(t: &Tokens<'_>, i: usize) -> Option<u32> {
    let w = t.low(i);
    MONTHS.iter().find(|(m, _)| *m == w).map(|(_, n)| *n)
}

fn year(t: &Tokens<'_>, i: usize) -> Option<i32> {
    let w = t.low(i);
    (w.len() == 4).then(|| w.parse::<i32>().ok()).flatten().filter(|y| (1990..=2100).contains(y))
}

/// A date starting at token `i`, with the number of tokens it used.
fn date_at(t: &Tokens<'_>, i: usize) -> Option<(NaiveDate, usize)> {
    let ymd = |y: i32, m: u32, d: u32| NaiveDate::from_ymd_opt(y, m, d);
    // 2025-10-01, 2025/10/01, 2025.10.01
    if let Some(y) = year(t, i) {
        let sep1 = t.gap_after(i);
        let sep2 = t.gap_after(i + 1);
        if matches!(sep1, "-" | "/" | ".")
            && sep1 == sep2
            && let (Some(m), Some(d)) = (number(t, i + 1, 2), number(t, i + 2, 2))
        {
            return ymd(y, m, d).map(|x| (x, 3));
        }
        return None;
    }
    // 15 september 2025, 15 sep. 2025, 15:e september 2025, den 1:a mars 2027
    let ordinal = usize::from(t.gap_after(i) == ":" && matches!(t.low(i + 1), "a" | "e"));
    if let (Some(d), Some(m), Some(y)) = (number(t, i, 2), month(t, i + 1 + ordinal), year(t, i + 2 + ordinal)) {
        return ymd(y, m, d).map(|x| (x, 3 + ordinal));
    }
    // 20th of September 2027
    if t.low(i + 1) == "of"
        && let (Some(d), Some(m), Some(y)) = (number(t, i, 2), month(t, i + 2), year(t, i + 3))
    {
        return ymd(y, m, d).map(|x| (x, 4));
    }
    // September 15, 2025
    if let (Some(m), Some(d), Some(y)) = (month(t, i), number(t, i + 1, 2), year(t, i + 2)) {
        return ymd(y, m, d).map(|x| (x, 3));
    }
    // 15/9 2025, 15.09.2025, 01/10/2025 (day first, as in Sweden and most of Europe)
    if let (Some(d), Some(m), Some(y)) = (number(t, i, 2), number(t, i + 1, 2), year(t, i + 2)) {
        let sep = t.gap_after(i);
        if matches!(sep, "/" | ".") {
            return ymd(y, m, d).map(|x| (x, 3));
        }
    }
    None
}

/// "6 månader", "6 months", "12 veckor", "1 år" (years only with `years_ok`, since years usually
/// mean experience).
pub(crate) fn find_duration(t: &Tokens<'_>, years_ok: bool) -> Option<Duration> {
    for i in 0..t.len() {
        let Some(n) = small_number(t.low(i)) else {
            continue;
        };
        if n == 0 || n > 120 {
            continue;
        }
        let unit = t.low(i + 1);
        let dur = match unit {
            "månader" | "månad" | "mån" | "months" | "month" | "mos" => Duration::Months(n),
            "veckor" | "vecka" | "weeks" | "week" | "v" => Duration::Weeks(n),
            "år" | "year" | "years" if years_ok => Duration::Months(n * 12),
            _ => continue,
        };
        return Some(dur);
    }
    None
}

/// The last day of a `duration` that starts on `start`.
pub(crate) fn end_after(start: NaiveDate, duration: Duration) -> Option<NaiveDate> {
    let next = match duration {
        Duration::Months(m) => start.checked_add_months(Months::new(m))?,
        Duration::Weeks(w) => start.checked_add_days(Days::new(u64::from(w) * 7))?,
    };
    next.pred_opt().filter(|d| d.year() <= 2100)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn dates_in_english_and_swedish() {
        let cases = [
            ("Expires: September 15, 2025", vec![d(2025, 9, 15)]),
            ("Sista ansökningsdag: 15 september 2025", vec![d(2025, 9, 15)]),
            ("Start: 2025-10-01", vec![d(2025, 10, 1)]),
            ("Period: 2025-10-01 – 2026-03-31", vec![d(2025, 10, 1), d(2026, 3, 31)]),
            ("Apply by 15th Sep 2025", vec![d(2025, 9, 15)]),
            ("Sista dag 15/9 2025", vec![d(2025, 9, 15)]),
            ("Start 01.10.2025", vec![d(2025, 10, 1)]),
            ("Invalid 2025-02-30 and 5 years", vec![]),
        ];
        for (s, want) in cases {
            assert_eq!(find_dates(&Tokens::new(s)), want, "{s}");
        }
    }

    #[test]
    fn roles_follow_the_label() {
        assert_eq!(role(&Tokens::new("Expires: September 15, 2025")), Some(DateRole::Expires));
        assert_eq!(role(&Tokens::new("Sista ansökningsdag: 15 september 2025")), Some(DateRole::Expires));
        assert_eq!(role(&Tokens::new("Startdatum: 2025-10-01")), Some(DateRole::Start));
        assert_eq!(role(&Tokens::new("Slutdatum: 2026-03-31")), Some(DateRole::End));
        assert_eq!(role(&Tokens::new("Uppdragsperiod: 2025-10-01 – 2026-03-31")), Some(DateRole::Period));
        assert_eq!(role(&Tokens::new("from 2026-05-11 until 2027-05-07")), Some(DateRole::Period));
        assert_eq!(role(&Tokens::new("Start: 2026-03-09, slut 2026-09-04")), Some(DateRole::Period));
        assert_eq!(role(&Tokens::new("Uppdraget pågår från 2026-03-02 till 2026-12-31")), Some(DateRole::Period));
        assert_eq!(role(&Tokens::new("Svara senast 2026-02-13")), Some(DateRole::Expires));
    }

    #[test]
    fn durations_end_the_day_before_the_anniversary() {
        let t = Tokens::new("Längd: 6 månader med möjlighet till förlängning");
        let dur = find_duration(&t, true).unwrap();
        assert_eq!(dur, Duration::Months(6));
        assert_eq!(end_after(d(2025, 10, 1), dur), Some(d(2026, 3, 31)));
        assert_eq!(end_after(d(2025, 10, 1), Duration::Weeks(2)), Some(d(2025, 10, 14)));
    }
}
