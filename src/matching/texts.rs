//! The parts of an explanation that depend only on the assignment ([`Texts`]): the
//! requirement texts of languages, clearance, citizenship, experience, dates, extent and
//! location, written once per ranking (on first use, by [`super::prepare::Prepared::texts`]).

use super::explain::{language_label, years_text};
use super::record::tenths;
use super::vector::AssignmentQuery;
use crate::domain::WorkMode;
use std::sync::Arc;

/// The parts of an explanation that depend only on the assignment, written once per ranking
/// rather than once per explained result.
#[derive(Debug)]
pub(crate) struct Texts {
    /// Per asked language: `Swedish (sv) C1`, `German (de) B2 (merit)`.
    pub languages: Vec<Arc<str>>,
    /// Per asked language, for gaps: `Swedish (sv)`.
    pub language_labels: Vec<String>,
    /// `clearance sk3`.
    pub clearance: Arc<str>,
    /// The accepted citizenships: `SE or NO`, and the requirement: `citizenship SE or NO`.
    pub citizenships: String,
    pub citizenship: Arc<str>,
    /// The minimum experience in words (`5`), and the requirement (`5 years of experience`).
    pub min_experience: String,
    pub experience: Arc<str>,
    /// `start 2026-03-01`, `extent 100%` and their "not asked" forms.
    pub start: Arc<str>,
    pub extent: Arc<str>,
    /// City and country (`Malmö, SE`), and the location requirement (`hybrid in Malmö, SE`).
    pub place: String,
    pub location: Arc<str>,
}

impl Texts {
    pub(super) fn new(q: &AssignmentQuery) -> Self {
        let language_labels: Vec<String> = q.languages.iter().map(|lr| language_label(lr.code)).collect();
        let languages = q
            .languages
            .iter()
            .zip(&language_labels)
            .map(|(lr, label)| format!("{label} {}{}", lr.min_level, if lr.required { "" } else { " (merit)" }).into())
            .collect();
        let citizenships: Vec<&str> = q.clearance.citizenship.iter().map(|c| c.as_str()).collect();
        let min = q.min_experience_years.map_or(0, tenths);
        let min_experience = years_text(f64::from(min) / 10.0);
        let city = q.city_label.as_deref().or(q.city.as_deref());
        let place: Vec<&str> = [city, q.country.as_ref().map(|c| c.as_str())].into_iter().flatten().collect();
        let place = place.join(", ");
        let citizenships = citizenships.join(" or ");
        Texts {
            languages,
            language_labels,
            clearance: format!("clearance {}", q.clearance.required_level).into(),
            citizenship: format!("citizenship {citizenships}").into(),
            citizenships,
            experience: if min == 0 {
                "no minimum experience asked".into()
            } else {
                format!("{min_experience} years of experience").into()
            },
            min_experience,
            start: match q.start_date {
                Some(s) => format!("start {s}").into(),
                None if q.end_date.is_some() => "start as soon as possible".into(),
                None => "no start date asked".into(),
            },
            extent: match q.extent_percent.unwrap_or(0) {
                0 => "no extent asked".into(),
                extent => format!("extent {extent}%").into(),
            },
            location: match (q.work_mode, place.is_empty()) {
                (Some(m), true) => m.as_str().into(),
                (Some(WorkMode::Remote), false) => format!("remote from {place}").into(),
                (Some(m), false) => format!("{m} in {place}").into(),
                (None, false) => format!("in {place}").into(),
                (None, true) => "no location asked".into(),
            },
            place,
        }
    }
}
