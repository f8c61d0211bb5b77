//! The soft score components other than skills: languages (whose required entries also gate),
//! experience, availability and location. Each returns its value (0–1) and, when asked, pushes
//! its explanation items (points = `pts` × the item's share) and gaps. The location table a
//! [`Prepared`] caches is built here, from the same rule. This file builds on
//! [`super::prepare`] and [`super::detail`]; neither imports it. (A language's value per CEFR
//! rank is tabled once per ranking by [`super::prepare::language_value`].)
//!
//! Decisions, documented for the API:
//! - **Languages**: each asked language counts equally. Met (at or above the minimum):
//!   0.7 + 0.3 × how far above it (native is the top). Below: 0.5 × have/min. Absent: 0.
//! - **Experience**: at or above `min_experience_years`: 1; below: have/min; not stated: 0.5.
//! - **Availability**: the mean of a start-date fit and a capacity fit. Start: available on
//!   or before the start (the later of `start_date` and today): 1; later: the share of the
//!   window still covered, or without an end date 1 − days late / 90; not stated: 0.5; an
//!   assignment with neither start nor end date: 1. Capacity: ≥ extent: 1; below:
//!   capacity/extent; not stated: 0.5; no extent asked: 1.
//! - **Location**: work-mode fit × place fit. Empty work modes mean flexible. Remote asked:
//!   1 if remote is accepted, else 0.5; place only matters as country (other country 0.5).
//!   Hybrid asked: hybrid or onsite accepted 1, remote only 0.25. On-site (or unstated
//!   mode): onsite 1, hybrid only 0.5, remote only 0. Place: same city 1; same country, other
//!   city 0.5; other country 0; unknown 0.25 (country-only assignments: same 1, unknown
//!   0.5). Hybrid softens the place fit to 0.3 + 0.7 × place.

use super::detail::{Detail, plain};
use super::explain::{Gap, Kind, Status, years_text};
use super::prepare::Prepared;
use super::record::{ABSENT_CITY, Hot, NO_CITY, UNKNOWN_CAPACITY, UNKNOWN_DAY, UNKNOWN_TENTHS, View, mode_bit};
use crate::domain::{Cefr, LanguageRequirement, WorkMode};

/// Days late at which a start-date fit without an end date reaches 0.
pub const LATE_DAYS: f64 = 90.0;

fn status_of(v: f64) -> Status {
    if v >= 1.0 {
        Status::Met
    } else if v > 0.0 {
        Status::Partial
    } else {
        Status::Missing
    }
}

fn cefr_text(rank: u8) -> &'static str {
    Cefr::ALL.get(usize::from(rank).wrapping_sub(1)).map_or("none", |c| c.as_str())
}

/// Whether every required language is held at its minimum or above.
pub(crate) fn required_languages(r: View<'_>, langs: &[LanguageRequirement]) -> bool {
    langs.iter().all(|lr| !lr.required || r.language_rank(lr.code.bytes()) >= lr.min_level.rank())
}

/// Languages: `(value, every required language met)`.
pub(crate) fn languages(r: View<'_>, p: &Prepared<'_>, pts: f64, mut d: Option<&mut Detail>) -> (f64, bool) {
    let langs = &p.q.languages;
    if langs.is_empty() {
        if let Some(d) = d {
            d.explanation.push(plain(Kind::Language, "no languages asked".into(), Status::Met, pts));
        }
        return (1.0, true);
    }
    let n = langs.len() as f64;
    let (mut sum, mut ok) = (0.0, true);
    for (i, lr) in langs.iter().enumerate() {
        let have = r.language_rank(lr.code.bytes());
        let min = lr.min_level.rank();
        let value = p.lang_values[i][usize::from(have.min(7))];
        let status = if have >= min { Status::Met } else { status_of(value) };
        sum += value;
        if let Some(d) = d.as_deref_mut() {
            let t = p.texts();
            d.explanation.push(plain(Kind::Language, t.languages[i].clone(), status, pts * value / n));
            if lr.required && have < min {
                let has = if have == 0 { String::new() } else { format!(" (has {})", cefr_text(have)) };
                let text = format!("no {} at {} or above{has}", t.language_labels[i], lr.min_level);
                d.gate_gaps.push(Gap::new(Kind::Language, text));
            }
        }
        ok &= !lr.required || have >= min;
    }
    (sum / n, ok)
}

/// Experience against `min_experience_years`.
pub(crate) fn experience(r: View<'_>, p: &Prepared<'_>, pts: f64, d: Option<&mut Detail>) -> f64 {
    let value = experience_value(r, p.min_experience);
    if let Some(d) = d {
        let t = p.texts();
        d.explanation.push(plain(Kind::Experience, t.experience.clone(), status_of(value), pts * value));
        if value < 1.0 {
            let need = &t.min_experience;
            d.soft_gaps.push(Gap::new(
                Kind::Experience,
                match r.hot.experience() {
                    None => format!("total experience not stated, asks {need} years"),
                    Some(y) => format!("{} years of experience, asks {need}", years_text(y)),
                },
            ));
        }
    }
    value
}

/// The experience value against a minimum in tenths of a year (0: none asked).
#[inline]
pub(crate) fn experience_value(r: View<'_>, min: u16) -> f64 {
    if min == 0 {
        1.0
    } else if r.hot.experience == UNKNOWN_TENTHS {
        0.5
    } else if r.hot.experience >= min {
        1.0
    } else {
        f64::from(r.hot.experience) / f64::from(min)
    }
}

/// Availability: the mean of the start-date fit and the capacity fit.
pub(crate) fn availability(r: View<'_>, p: &Prepared<'_>, pts: f64, d: Option<&mut Detail>) -> f64 {
    let (date_fit, cap_fit) = availability_fits(r, p);
    let (start, dated) = (p.start_day(), p.dated());
    let extent = p.q.extent_percent.unwrap_or(0);
    if let Some(d) = d {
        let t = p.texts();
        d.explanation.push(plain(Kind::Availability, t.start.clone(), status_of(date_fit), pts * date_fit / 2.0));
        d.explanation.push(plain(Kind::Availability, t.extent.clone(), status_of(cap_fit), pts * cap_fit / 2.0));
        if dated && r.hot.available_from == UNKNOWN_DAY {
            d.soft_gaps.push(Gap::new(Kind::Availability, "availability date not stated"));
        } else if dated && r.hot.available_from > start {
            let text = format!("available {} days after the start", r.hot.available_from - start);
            d.soft_gaps.push(Gap::new(Kind::Availability, text));
        }
        if extent > 0 && r.hot.capacity == UNKNOWN_CAPACITY {
            d.soft_gaps.push(Gap::new(Kind::Availability, format!("capacity not stated, assignment needs {extent}%")));
        } else if extent > 0 && r.hot.capacity < extent {
            let text = format!("capacity {}%, assignment needs {extent}%", r.hot.capacity);
            d.soft_gaps.push(Gap::new(Kind::Availability, text));
        }
    }
    (date_fit + cap_fit) / 2.0
}

/// The start-date fit and the capacity fit of [`availability`].
#[inline]
pub(crate) fn availability_fits(r: View<'_>, p: &Prepared<'_>) -> (f64, f64) {
    (date_fit(r.hot.available_from, p), capacity_fit(r.hot.capacity, p))
}

/// The start-date fit of a consultant available from day `available_from`
/// ([`UNKNOWN_DAY`] when not stated).
#[inline]
pub(crate) fn date_fit(available_from: i32, p: &Prepared<'_>) -> f64 {
    let start = p.start_day();
    if !p.dated() {
        1.0
    } else if available_from == UNKNOWN_DAY {
        0.5
    } else if available_from <= start {
        1.0
    } else if p.end != UNKNOWN_DAY && p.end > start {
        (f64::from(p.end - available_from + 1) / f64::from(p.end - start + 1)).clamp(0.0, 1.0)
    } else {
        (1.0 - f64::from(available_from - start) / LATE_DAYS).clamp(0.0, 1.0)
    }
}

/// The capacity fit of a consultant of `capacity` percent ([`UNKNOWN_CAPACITY`] when not
/// stated).
#[inline]
pub(crate) fn capacity_fit(capacity: u8, p: &Prepared<'_>) -> f64 {
    let extent = p.q.extent_percent.unwrap_or(0);
    if extent == 0 {
        1.0
    } else if capacity == UNKNOWN_CAPACITY {
        0.5
    } else if capacity >= extent {
        1.0
    } else {
        f64::from(capacity) / f64::from(extent)
    }
}

/// How a consultant's city or country relates to the assignment's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Place {
    Same,
    Other,
    Unknown,
}

/// What [`location`] depends on besides the work modes: the city's relation to the query city
/// (only meaningful when one is asked) and the country's to the query country (`Unknown` when
/// either is not known).
#[inline]
pub(crate) fn places(r: &Hot, p: &Prepared<'_>) -> (Place, Place) {
    let city = match p.city {
        Some(c) if c != ABSENT_CITY && c == r.city => Place::Same,
        _ if r.city == NO_CITY => Place::Unknown,
        _ => Place::Other,
    };
    let country = match p.q.country {
        None => Place::Unknown,
        _ if r.country == [0, 0] => Place::Unknown,
        Some(c) if c.bytes() == r.country => Place::Same,
        Some(_) => Place::Other,
    };
    (city, country)
}

/// Work-mode fit and place fit for the consultant's work-mode bits and [`places`].
pub(crate) fn location_fits(p: &Prepared<'_>, modes: u8, city: Place, country: Place) -> (f64, f64) {
    let q = p.q;
    let accepts = |m: WorkMode| modes == 0 || modes & mode_bit(m) != 0;
    let mode_fit = match q.work_mode {
        None => 1.0,
        Some(WorkMode::Remote) => {
            if accepts(WorkMode::Remote) {
                1.0
            } else {
                0.5
            }
        }
        Some(WorkMode::Hybrid) => {
            if accepts(WorkMode::Hybrid) || accepts(WorkMode::Onsite) {
                1.0
            } else {
                0.25
            }
        }
        Some(WorkMode::Onsite) => {
            if accepts(WorkMode::Onsite) {
                1.0
            } else if accepts(WorkMode::Hybrid) {
                0.5
            } else {
                0.0
            }
        }
    };
    let country_same = country == Place::Same;
    let country_diff = country == Place::Other;
    let place_fit = if q.work_mode == Some(WorkMode::Remote) {
        if country_diff { 0.5 } else { 1.0 }
    } else {
        let onsite = match p.city {
            None if q.country.is_none() => 1.0,
            None => {
                if country_same {
                    1.0
                } else if country_diff {
                    0.0
                } else {
                    0.5
                }
            }
            Some(_) if city == Place::Same => 1.0,
            Some(_) if country_same => 0.5,
            Some(_) if country_diff => 0.0,
            Some(_) if city == Place::Unknown => 0.25,
            Some(_) => {
                if q.country.is_none() {
                    0.5
                } else {
                    0.25
                }
            }
        };
        if q.work_mode == Some(WorkMode::Hybrid) { 0.3 + 0.7 * onsite } else { onsite }
    };
    (mode_fit, place_fit)
}

impl Prepared<'_> {
    /// The location value of a consultant: [`location`]'s, from the table.
    #[inline]
    pub fn location_value(&self, h: &Hot) -> f64 {
        self.location_table()[self.location_cell(h)]
    }

    /// A consultant's cell in [`Prepared::location_table`]: its work-mode bits and the
    /// [`places`] of its city and country.
    #[inline]
    pub fn location_cell(&self, h: &Hot) -> usize {
        let (city, country) = places(h, self);
        usize::from(h.modes & 7) * 9 + city as usize * 3 + country as usize
    }

    /// The location value by work-mode bits (0–7), [`Place`] of the city and of the country.
    pub fn location_table(&self) -> &[f64; 72] {
        self.location_values.get_or_init(|| {
            let places = [Place::Same, Place::Other, Place::Unknown];
            let mut values = [0.0; 72];
            for (modes, by_mode) in values.chunks_exact_mut(9).enumerate() {
                for (i, v) in by_mode.iter_mut().enumerate() {
                    let (mode_fit, place_fit) = location_fits(self, modes as u8, places[i / 3], places[i % 3]);
                    *v = mode_fit * place_fit;
                }
            }
            values
        })
    }
}

/// Location: work-mode fit × place fit.
pub(crate) fn location(r: View<'_>, p: &Prepared<'_>, pts: f64, d: Option<&mut Detail>) -> f64 {
    let q = p.q;
    let (city, country) = places(r.hot, p);
    let (mode_fit, place_fit) = location_fits(p, r.hot.modes, city, country);
    let value = mode_fit * place_fit;
    if let Some(d) = d {
        let t = p.texts();
        d.explanation.push(plain(Kind::Location, t.location.clone(), status_of(value), pts * value));
        if let (Some(m), true) = (q.work_mode, mode_fit < 1.0) {
            d.soft_gaps.push(Gap::new(Kind::Location, format!("does not list {m} work")));
        }
        if place_fit < 1.0 {
            d.soft_gaps.push(Gap::new(Kind::Location, format!("not based in {}", t.place)));
        }
    }
    value
}
