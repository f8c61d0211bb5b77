//! An assignment (job posting) as the service understands it, parsed and validated from JSON.

use chrono::NaiveDate;
use serde_json::Value;

use super::reader::{FieldErrors, ObjectReader, array, boolean, date, integer, no_duplicates, number, string, vocab};
use super::vocab::{AssignmentStatus, Cefr, ClearanceLevel, CountryCode, LanguageCode, SkillLevel, WorkMode};
use super::weights::{WEIGHT_COMPONENTS, Weights};
use super::{Location, MAX_SKILLS, MAX_YEARS, SourceRef, parse_location, parse_source};

/// A must-have competence: a gate every eligible consultant passes.
#[derive(Debug, Clone, PartialEq)]
pub struct Requirement {
    /// The skill as written, e.g. "IT infrastructure project management".
    pub skill: String,
    /// Minimum years with the skill.
    pub min_years: Option<f32>,
    /// Minimum self-assessed level.
    pub min_level: Option<SkillLevel>,
    /// The canonical skill the name resolved to; filled in by the service before storing.
    pub resolved: Option<super::SkillRef>,
}

/// A can-have competence: adds to the score, never gates.
#[derive(Debug, Clone, PartialEq)]
pub struct Preference {
    /// The skill as written.
    pub skill: String,
    /// Relative weight among the can-haves (default 1, 0–100).
    pub weight: f32,
    /// Years that earn full credit.
    pub min_years: Option<f32>,
    /// Level that earns full credit.
    pub min_level: Option<SkillLevel>,
    /// The canonical skill the name resolved to; filled in by the service before storing.
    pub resolved: Option<super::SkillRef>,
}

/// A personal quality (communication, pedagogy, teamwork …): assessed in an interview, so
/// shown in every match explanation but not scored, unless it carries a weight; then it
/// scores exactly like a can-have of that weight.
#[derive(Debug, Clone, PartialEq)]
pub struct Quality {
    /// The quality as written, e.g. "Pedagogy".
    pub skill: String,
    /// Weight among the can-haves (0–100, > 0); `None`: to assess in interview, not scored.
    pub weight: Option<f32>,
    /// The canonical skill the name resolved to; filled in by the service before storing.
    pub resolved: Option<super::SkillRef>,
}

/// A language the assignment asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LanguageRequirement {
    /// ISO 639-1 code.
    pub code: LanguageCode,
    /// Lowest acceptable level.
    pub min_level: Cefr,
    /// A gate when true; otherwise a merit.
    pub required: bool,
}

/// Security vetting an assignment demands.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ClearanceRequirement {
    /// Lowest acceptable clearance (default `none`).
    pub required_level: ClearanceLevel,
    /// Accepted citizenships; empty means no condition.
    pub citizenship: Vec<CountryCode>,
    /// Whether a consultant willing to undergo vetting meets `required_level`.
    pub accept_willing: bool,
}

/// A validated assignment (what a create, replace or upsert stores, and what a match query ranks for).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AssignmentInput {
    /// The ATS and its id for this assignment, if any.
    pub source: Option<SourceRef>,
    /// Title (required).
    pub title: String,
    /// The end client.
    pub client: Option<String>,
    /// Free text.
    pub description: Option<String>,
    /// Where the work is.
    pub location: Option<Location>,
    /// How the work is done.
    pub work_mode: Option<WorkMode>,
    /// First day.
    pub start_date: Option<NaiveDate>,
    /// Last day.
    pub end_date: Option<NaiveDate>,
    /// Last day to apply.
    pub expires_at: Option<NaiveDate>,
    /// Share of full time, 0–100.
    pub extent_percent: Option<u8>,
    /// Overall professional experience asked for.
    pub min_experience_years: Option<f32>,
    /// Gates.
    pub must_have: Vec<Requirement>,
    /// Merits.
    pub can_have: Vec<Preference>,
    /// Personal qualities: to assess in interview, scored only when weighted.
    pub qualities: Vec<Quality>,
    /// Languages.
    pub languages: Vec<LanguageRequirement>,
    /// Clearance and citizenship.
    pub clearance: ClearanceRequirement,
    /// Score weights for this assignment; service defaults when absent.
    pub weights: Option<Weights>,
    /// Life-cycle state (default `open`).
    pub status: AssignmentStatus,
}

impl AssignmentInput {
    /// Parses an assignment body, collecting every problem with its path.
    pub fn parse(body: &Value) -> Result<Self, FieldErrors> {
        let mut errs = FieldErrors::default();
        let Some(mut r) = ObjectReader::new(body, "", &mut errs) else {
            return Err(errs);
        };
        r.ignore(super::READ_ONLY_FIELDS);
        let source = parse_source(&mut r, &mut errs);
        let title = r.required("title", &mut errs, string(1, 200));
        let client = r.optional("client", &mut errs, string(1, 200));
        let description = r.optional("description", &mut errs, string(0, 20_000));
        let location = r.optional("location", &mut errs, parse_location);
        let work_mode = r.optional("work_mode", &mut errs, vocab(WorkMode::parse));
        let start_date = r.optional("start_date", &mut errs, date);
        let end_date = r.optional("end_date", &mut errs, date);
        let expires_at = r.optional("expires_at", &mut errs, date);
        let extent = r.optional("extent_percent", &mut errs, integer(0, 100));
        let min_exp = r.optional("min_experience_years", &mut errs, number(0.0, MAX_YEARS));
        let must_have = r.optional("must_have", &mut errs, |v, p, e| {
            let items = array(MAX_SKILLS, parse_requirement)(v, p, e)?;
            no_duplicates(&items, p, "skill", |s| s.skill.to_lowercase(), e);
            Some(items.into_iter().map(|(_, s)| s).collect::<Vec<_>>())
        });
        let can_have = r.optional("can_have", &mut errs, |v, p, e| {
            let items = array(MAX_SKILLS, parse_preference)(v, p, e)?;
            no_duplicates(&items, p, "skill", |s| s.skill.to_lowercase(), e);
            Some(items.into_iter().map(|(_, s)| s).collect::<Vec<_>>())
        });
        let qualities = r.optional("qualities", &mut errs, |v, p, e| {
            let items = array(MAX_SKILLS, parse_quality)(v, p, e)?;
            no_duplicates(&items, p, "skill", |s| s.skill.to_lowercase(), e);
            Some(items.into_iter().map(|(_, s)| s).collect::<Vec<_>>())
        });
        let languages = r.optional("languages", &mut errs, |v, p, e| {
            let items = array(30, parse_language_requirement)(v, p, e)?;
            no_duplicates(&items, p, "code", |l| l.code, e);
            Some(items.into_iter().map(|(_, l)| l).collect::<Vec<_>>())
        });
        let clearance = r.optional("clearance", &mut errs, parse_clearance_requirement);
        let weights = r.optional("weights", &mut errs, parse_weights);
        let status = r.optional("status", &mut errs, vocab(AssignmentStatus::parse));
        r.finish(&mut errs);

        if let (Some(s), Some(e)) = (start_date, end_date)
            && e < s
        {
            errs.push("end_date", format!("must not be before start_date ({s}), got {e}"));
        }
        // A must-have and a can-have naming the same skill contradict each other; so does a
        // quality named as either (a recruiter who gates on one moves it to `must_have`).
        let lower = |s: &str| s.to_lowercase();
        let musts: Vec<String> = must_have.iter().flatten().map(|m| lower(&m.skill)).collect();
        let cans: Vec<String> = can_have.iter().flatten().map(|c| lower(&c.skill)).collect();
        for (i, c) in can_have.iter().flatten().enumerate() {
            if musts.contains(&lower(&c.skill)) {
                errs.push(format!("can_have[{i}].skill"), format!("{:?} is already a must-have", c.skill));
            }
        }
        for (i, q) in qualities.iter().flatten().enumerate() {
            let key = lower(&q.skill);
            if musts.contains(&key) {
                errs.push(format!("qualities[{i}].skill"), format!("{:?} is already a must-have", q.skill));
            } else if cans.contains(&key) {
                errs.push(format!("qualities[{i}].skill"), format!("{:?} is already a can-have", q.skill));
            }
        }

        let input = AssignmentInput {
            source,
            title: title.unwrap_or_default(),
            client,
            description,
            location,
            work_mode,
            start_date,
            end_date,
            expires_at,
            extent_percent: extent.map(|x| x as u8),
            min_experience_years: min_exp.map(|y| y as f32),
            must_have: must_have.unwrap_or_default(),
            can_have: can_have.unwrap_or_default(),
            qualities: qualities.unwrap_or_default(),
            languages: languages.unwrap_or_default(),
            clearance: clearance.unwrap_or_default(),
            weights,
            status: status.unwrap_or_default(),
        };
        errs.finish(input)
    }
}

fn level(v: &Value, p: &str, e: &mut FieldErrors) -> Option<SkillLevel> {
    let n = integer(1, 5)(v, p, e)?;
    SkillLevel::new(n).ok()
}

fn parse_requirement(v: &Value, path: &str, errs: &mut FieldErrors) -> Option<Requirement> {
    let mut r = ObjectReader::new(v, path, errs)?;
    r.ignore(&["resolved"]);
    let skill = r.required("skill", errs, string(1, 120));
    let min_years = r.optional("min_years", errs, number(0.0, MAX_YEARS));
    let min_level = r.optional("min_level", errs, level);
    r.finish(errs);
    Some(Requirement { skill: skill?, min_years: min_years.map(|y| y as f32), min_level, resolved: None })
}

/// A weight of 0–100 that must be positive; `instead` says what to do rather than send 0.
fn positive_weight(instead: &'static str) -> impl Fn(&Value, &str, &mut FieldErrors) -> Option<f64> {
    move |v, p, e| {
        let w = number(0.0, 100.0)(v, p, e)?;
        if w > 0.0 {
            Some(w)
        } else {
            e.push(p, format!("must be greater than 0 ({instead})"));
            None
        }
    }
}

fn parse_preference(v: &Value, path: &str, errs: &mut FieldErrors) -> Option<Preference> {
    let mut r = ObjectReader::new(v, path, errs)?;
    r.ignore(&["resolved"]);
    let skill = r.required("skill", errs, string(1, 120));
    let weight = r.optional("weight", errs, positive_weight("leave the skill out instead"));
    let min_years = r.optional("min_years", errs, number(0.0, MAX_YEARS));
    let min_level = r.optional("min_level", errs, level);
    r.finish(errs);
    Some(Preference {
        skill: skill?,
        weight: weight.unwrap_or(1.0) as f32,
        min_years: min_years.map(|y| y as f32),
        min_level,
        resolved: None,
    })
}

fn parse_quality(v: &Value, path: &str, errs: &mut FieldErrors) -> Option<Quality> {
    let mut r = ObjectReader::new(v, path, errs)?;
    r.ignore(&["resolved"]);
    let skill = r.required("skill", errs, string(1, 120));
    let weight = r.optional("weight", errs, positive_weight("leave it out to assess the quality in interview"));
    r.finish(errs);
    Some(Quality { skill: skill?, weight: weight.map(|w| w as f32), resolved: None })
}

fn parse_language_requirement(v: &Value, path: &str, errs: &mut FieldErrors) -> Option<LanguageRequirement> {
    let mut r = ObjectReader::new(v, path, errs)?;
    let code = r.required("code", errs, vocab(LanguageCode::parse));
    let min_level = r.optional("min_level", errs, vocab(Cefr::parse));
    let required = r.optional("required", errs, boolean);
    r.finish(errs);
    Some(LanguageRequirement {
        code: code?,
        min_level: min_level.unwrap_or(Cefr::B2),
        required: required.unwrap_or(true),
    })
}

fn parse_clearance_requirement(v: &Value, path: &str, errs: &mut FieldErrors) -> Option<ClearanceRequirement> {
    let mut r = ObjectReader::new(v, path, errs)?;
    let level = r.optional("required_level", errs, vocab(ClearanceLevel::parse));
    let citizenship = r.optional("citizenship", errs, |v, p, e| {
        let items = array(30, vocab(CountryCode::parse))(v, p, e)?;
        no_duplicates(&items, p, "", |c| *c, e);
        Some(items.into_iter().map(|(_, c)| c).collect::<Vec<_>>())
    });
    let accept_willing = r.optional("accept_willing", errs, boolean);
    r.finish(errs);
    Some(ClearanceRequirement {
        required_level: level.unwrap_or_default(),
        citizenship: citizenship.unwrap_or_default(),
        accept_willing: accept_willing.unwrap_or(false),
    })
}

/// Parses a `weights` object: any subset of the six components; absent ones take the defaults.
pub fn parse_weights(v: &Value, path: &str, errs: &mut FieldErrors) -> Option<Weights> {
    let mut r = ObjectReader::new(v, path, errs)?;
    let mut raw = Weights::DEFAULT.as_array();
    let before = errs.0.len();
    for (slot, name) in raw.iter_mut().zip(WEIGHT_COMPONENTS) {
        if let Some(w) = r.optional(name, errs, number(0.0, 1000.0)) {
            *slot = w;
        }
    }
    r.finish(errs);
    if errs.0.len() > before {
        return None;
    }
    match Weights::new(raw) {
        Ok(w) => Some(w),
        Err(e) => {
            match e {
                super::WeightsError::Invalid { component } => errs.push(format!("{path}.{component}"), e.to_string()),
                super::WeightsError::AllZero => errs.push(path, e.to_string()),
            }
            None
        }
    }
}
