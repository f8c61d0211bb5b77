//! A consultant profile as the service understands it, parsed and validated from JSON.

use chrono::NaiveDate;
use serde_json::Value;

use super::reader::{FieldErrors, ObjectReader, array, boolean, date, integer, no_duplicates, number, string, vocab};
use super::vocab::{Cefr, ClearanceLevel, CountryCode, LanguageCode, SkillLevel, WorkMode};
use super::{Location, MAX_SKILLS, MAX_YEARS, SourceRef, parse_location, parse_source};

/// One skill as the consultant (or their ATS) wrote it.
#[derive(Debug, Clone, PartialEq)]
pub struct ConsultantSkill {
    /// The text as given, e.g. "Agil projektledning".
    pub name: String,
    /// Years of hands-on experience, 0–60.
    pub years: Option<f32>,
    /// Self-assessed level 1–5.
    pub level: Option<SkillLevel>,
    /// The canonical skill the name resolved to; filled in by the service before storing.
    pub resolved: Option<super::SkillRef>,
}

/// A spoken/written language and how well.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LanguageSkill {
    /// ISO 639-1 code.
    pub code: LanguageCode,
    /// CEFR level or native.
    pub level: Cefr,
}

/// What a consultant holds and accepts in terms of security vetting.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ClearanceProfile {
    /// Highest clearance held.
    pub level: ClearanceLevel,
    /// Citizenships held (ISO 3166-1 alpha-2).
    pub citizenships: Vec<CountryCode>,
    /// Willing to undergo security vetting (säkerhetsprövning).
    pub willing_to_undergo: bool,
}

/// A validated consultant profile (what a create, replace or upsert stores).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ConsultantInput {
    /// The ATS and its id for this consultant, if any.
    pub source: Option<SourceRef>,
    /// Full name (required).
    pub name: String,
    /// E-mail address.
    pub email: Option<String>,
    /// Where the consultant is based.
    pub location: Option<Location>,
    /// Accepted ways of working.
    pub work_modes: Vec<WorkMode>,
    /// First day available for a new assignment.
    pub available_from: Option<NaiveDate>,
    /// Share of full time available, 0–100.
    pub capacity_percent: Option<u8>,
    /// Total professional experience.
    pub experience_years: Option<f32>,
    /// Skills, in the order given; names unique (case-insensitive).
    pub skills: Vec<ConsultantSkill>,
    /// Languages; codes unique.
    pub languages: Vec<LanguageSkill>,
    /// Clearance and citizenship.
    pub clearance: ClearanceProfile,
}

impl ConsultantInput {
    /// The largest number of languages a profile may list.
    pub const MAX_LANGUAGES: usize = 30;

    /// Parses a consultant body, collecting every problem with its path.
    pub fn parse(body: &Value) -> Result<Self, FieldErrors> {
        let mut errs = FieldErrors::default();
        let Some(mut r) = ObjectReader::new(body, "", &mut errs) else {
            return Err(errs);
        };
        r.ignore(super::READ_ONLY_FIELDS);
        let source = parse_source(&mut r, &mut errs);
        let name = r.required("name", &mut errs, string(1, 200));
        let email = r.optional("email", &mut errs, |v, p, e| {
            let s = string(3, 254)(v, p, e)?;
            if is_plausible_email(&s) {
                Some(s)
            } else {
                e.push(p, format!("must be an e-mail address like name@example.se, got {s:?}"));
                None
            }
        });
        let location = r.optional("location", &mut errs, parse_location);
        let work_modes = r.optional("work_modes", &mut errs, |v, p, e| {
            let items = array(3, vocab(WorkMode::parse))(v, p, e)?;
            no_duplicates(&items, p, "", |m| *m, e);
            Some(items.into_iter().map(|(_, m)| m).collect::<Vec<_>>())
        });
        let available_from = r.optional("available_from", &mut errs, date);
        let capacity = r.optional("capacity_percent", &mut errs, integer(0, 100));
        let experience = r.optional("experience_years", &mut errs, number(0.0, MAX_YEARS));
        let skills = r.optional("skills", &mut errs, |v, p, e| {
            let items = array(MAX_SKILLS, parse_skill)(v, p, e)?;
            no_duplicates(&items, p, "name", |s| s.name.to_lowercase(), e);
            Some(items.into_iter().map(|(_, s)| s).collect::<Vec<_>>())
        });
        let languages = r.optional("languages", &mut errs, |v, p, e| {
            let items = array(Self::MAX_LANGUAGES, parse_language)(v, p, e)?;
            no_duplicates(&items, p, "code", |l| l.code, e);
            Some(items.into_iter().map(|(_, l)| l).collect::<Vec<_>>())
        });
        let clearance = r.optional("clearance", &mut errs, parse_clearance);
        r.finish(&mut errs);

        let input = ConsultantInput {
            source,
            name: name.unwrap_or_default(),
            email,
            location,
            work_modes: work_modes.unwrap_or_default(),
            available_from,
            capacity_percent: capacity.map(|c| c as u8),
            experience_years: experience.map(|y| y as f32),
            skills: skills.unwrap_or_default(),
            languages: languages.unwrap_or_default(),
            clearance: clearance.unwrap_or_default(),
        };
        errs.finish(input)
    }
}

fn is_plausible_email(s: &str) -> bool {
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !s.chars().any(char::is_whitespace)
                && !domain.contains('@')
        }
        None => false,
    }
}

fn parse_skill(v: &Value, path: &str, errs: &mut FieldErrors) -> Option<ConsultantSkill> {
    let mut r = ObjectReader::new(v, path, errs)?;
    r.ignore(&["resolved"]);
    let name = r.required("name", errs, string(1, 120));
    let years = r.optional("years", errs, number(0.0, MAX_YEARS));
    let level = r.optional("level", errs, |v, p, e| {
        let n = integer(1, 5)(v, p, e)?;
        SkillLevel::new(n).ok()
    });
    r.finish(errs);
    Some(ConsultantSkill { name: name?, years: years.map(|y| y as f32), level, resolved: None })
}

fn parse_language(v: &Value, path: &str, errs: &mut FieldErrors) -> Option<LanguageSkill> {
    let mut r = ObjectReader::new(v, path, errs)?;
    let code = r.required("code", errs, vocab(LanguageCode::parse));
    let level = r.required("level", errs, vocab(Cefr::parse));
    r.finish(errs);
    Some(LanguageSkill { code: code?, level: level? })
}

fn parse_clearance(v: &Value, path: &str, errs: &mut FieldErrors) -> Option<ClearanceProfile> {
    let mut r = ObjectReader::new(v, path, errs)?;
    let level = r.optional("level", errs, vocab(ClearanceLevel::parse));
    let citizenships = r.optional("citizenships", errs, |v, p, e| {
        let items = array(10, vocab(CountryCode::parse))(v, p, e)?;
        no_duplicates(&items, p, "", |c| *c, e);
        Some(items.into_iter().map(|(_, c)| c).collect::<Vec<_>>())
    });
    let willing = r.optional("willing_to_undergo", errs, boolean);
    r.finish(errs);
    Some(ClearanceProfile {
        level: level.unwrap_or_default(),
        citizenships: citizenships.unwrap_or_default(),
        willing_to_undergo: willing.unwrap_or(false),
    })
}
