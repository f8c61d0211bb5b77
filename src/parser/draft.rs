//! Collecting what the recognisers find, line by line, and turning it into a valid draft
//! assignment with evidence: duplicate skills merged (a competency stated as a must-have
//! beats any other statement, the larger `min_years` wins), personal qualities apart
//! (`kinds`), duplicate languages merged (the higher level wins), clearance at its
//! strictest.

use chrono::NaiveDate;

use super::dates::{Duration, end_after};
use super::kinds::{self, SkillHit, Stated};
use super::lines::Line;
use super::output::{Evidence, ParsedAd, RequirementNote};
use super::text::truncate_chars;
use crate::domain::{
    AssignmentInput, Cefr, ClearanceLevel, CountryCode, LanguageCode, LanguageRequirement, Location, Preference,
    Quality, Requirement, WorkMode,
};

/// The most skills a draft lists per kind (the domain's `MAX_SKILLS`).
const MAX_SKILLS: usize = crate::domain::MAX_SKILLS;
/// The longest description the domain accepts, in characters.
const MAX_DESCRIPTION: usize = 20_000;

/// A value and the index of the line it came from.
pub(crate) type At<T> = Option<(T, usize)>;

/// One mention of a skill in a sentence, as the recognisers read it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Mentioned<'s> {
    /// The canonical label.
    pub label: &'s str,
    /// Stated under a must-have cue (else a merit).
    pub must: bool,
    /// As a competency or as general knowledge.
    pub stated: Stated,
    /// A personal quality.
    pub quality: bool,
    /// How sure the words name the skill.
    pub similarity: f32,
    /// Years bound to it.
    pub years: Option<f32>,
    /// The line.
    pub line: usize,
}

/// A language mention.
#[derive(Debug, Clone)]
pub(crate) struct LangHit {
    pub code: LanguageCode,
    pub level: Cefr,
    pub required: bool,
    pub lines: Vec<usize>,
}

/// Everything found so far. Line numbers are indices into the parser's line list.
#[derive(Debug, Default)]
pub(crate) struct Collected {
    pub title: At<String>,
    pub client: At<String>,
    pub place: At<Location>,
    pub mentioned_city: At<Location>,
    pub modes: Vec<(WorkMode, usize)>,
    pub start: At<NaiveDate>,
    pub end: At<NaiveDate>,
    pub expires: At<NaiveDate>,
    pub duration: At<Duration>,
    pub extent: At<u8>,
    pub min_years: At<f32>,
    pub skills: Vec<SkillHit>,
    pub languages: Vec<LangHit>,
    pub clearance: At<ClearanceLevel>,
    pub willing: Option<usize>,
    pub citizenship: Vec<CountryCode>,
    pub citizenship_line: Option<usize>,
    pub unrecognized: Vec<String>,
    /// The unrecognised lines already listed, for constant-time de-duplication.
    pub unrecognized_seen: std::collections::HashSet<String>,
}

/// Sets `slot` unless it already holds a value: the first statement wins.
pub(crate) fn first<T>(slot: &mut At<T>, value: Option<T>, line: usize) -> bool {
    match value {
        Some(v) if slot.is_none() => {
            *slot = Some((v, line));
            true
        }
        Some(_) => true,
        None => false,
    }
}

impl Collected {
    /// Adds a skill mention, merging with earlier mentions of the same skill.
    pub fn skill(&mut self, m: Mentioned<'_>) {
        let at = match self.skills.iter().position(|h| h.label.eq_ignore_ascii_case(m.label)) {
            Some(at) => at,
            None => {
                self.skills.push(SkillHit {
                    label: m.label.to_string(),
                    must: false,
                    quality: m.quality,
                    must_line: None,
                    knowledge_line: None,
                    competency: false,
                    similarity: m.similarity,
                    years: None,
                    lines: Vec::new(),
                });
                self.skills.len() - 1
            }
        };
        let h = &mut self.skills[at];
        let competency = m.stated == Stated::Competency;
        if m.must && competency && h.must_line.is_none() {
            h.must = true;
            h.must_line = Some(m.line);
        }
        if m.must && !competency && h.knowledge_line.is_none() {
            h.knowledge_line = Some(m.line);
        }
        h.competency |= competency;
        h.similarity = h.similarity.max(m.similarity);
        h.years = max_opt(h.years, m.years);
        // Years of it make a quality a verifiable competency ("2 år som teamledare").
        if h.years.is_some() {
            h.quality = false;
        }
        if h.lines.last() != Some(&m.line) {
            h.lines.push(m.line);
        }
    }

    /// Adds a language, merging with an earlier mention of the same language.
    pub fn language(&mut self, code: LanguageCode, level: Cefr, required: bool, line: usize) {
        if let Some(h) = self.languages.iter_mut().find(|h| h.code == code) {
            h.level = h.level.max(level);
            h.required |= required;
            if h.lines.last() != Some(&line) {
                h.lines.push(line);
            }
        } else {
            self.languages.push(LangHit { code, level, required, lines: vec![line] });
        }
    }

    /// Raises the overall experience asked for.
    pub fn overall_years(&mut self, years: f32, line: usize) {
        if self.min_years.as_ref().is_none_or(|(y, _)| years > *y) {
            self.min_years = Some((years, line));
        }
    }

    /// Turns the findings into the draft, its evidence, a note on every requirement and the
    /// unrecognised lines; `meets(have, want)` tells whether one skill meets another through
    /// implication (for the notes).
    pub fn finish(
        self,
        text: &str,
        lines: &[Line<'_>],
        fallback_title: Option<usize>,
        meets: &dyn Fn(&str, &str) -> bool,
    ) -> ParsedAd {
        let mut ev = Vec::new();
        let mut note = |field: String, idx: usize| {
            if let Some(l) = lines.get(idx) {
                ev.push(Evidence { field, text: l.quote(), line: l.no });
            }
        };
        let title = match (self.title, fallback_title) {
            (Some((t, i)), _) => {
                note("title".into(), i);
                t
            }
            (None, Some(i)) => {
                note("title".into(), i);
                lines.get(i).map_or(String::new(), |l| truncate_chars(l.body, 200).to_string())
            }
            (None, None) => String::new(),
        };
        let title = if title.trim().is_empty() {
            truncate_chars(text.trim().lines().next().unwrap_or("").trim(), 200).to_string()
        } else {
            title
        };
        let mut draft = AssignmentInput {
            title,
            description: Some(truncate_chars(text.trim(), MAX_DESCRIPTION).to_string()),
            ..AssignmentInput::default()
        };
        if let Some((c, i)) = self.client {
            note("client".into(), i);
            draft.client = Some(c);
        }
        if let Some((p, i)) = self.place.or(self.mentioned_city) {
            note("location".into(), i);
            draft.location = Some(p);
        }
        if let Some((m, i)) = work_mode(&self.modes) {
            note("work_mode".into(), i);
            draft.work_mode = Some(m);
        }
        if let Some((d, i)) = self.start {
            note("start_date".into(), i);
            draft.start_date = Some(d);
        }
        let end = self.end.or_else(|| {
            let (start, _) = self.start?;
            let (dur, i) = self.duration?;
            end_after(start, dur).map(|d| (d, i))
        });
        if let Some((d, i)) = end.filter(|(d, _)| draft.start_date.is_none_or(|s| *d >= s)) {
            note("end_date".into(), i);
            draft.end_date = Some(d);
        }
        if let Some((d, i)) = self.expires {
            note("expires_at".into(), i);
            draft.expires_at = Some(d);
        }
        if let Some((x, i)) = self.extent {
            note("extent_percent".into(), i);
            draft.extent_percent = Some(x);
        }
        if let Some((y, i)) = self.min_years {
            note("min_experience_years".into(), i);
            draft.min_experience_years = Some(y);
        }
        let gates: Vec<&SkillHit> = self.skills.iter().filter(|h| h.must && !h.quality).take(MAX_SKILLS).collect();
        let merits: Vec<&SkillHit> = self.skills.iter().filter(|h| !h.must && !h.quality).take(MAX_SKILLS).collect();
        let qualities: Vec<&SkillHit> = self.skills.iter().filter(|h| h.quality).take(MAX_SKILLS).collect();
        let gate_labels: Vec<&str> = gates.iter().map(|h| h.label.as_str()).collect();
        let mut notes = Vec::new();
        for h in &gates {
            let field = format!("must_have[{}]", draft.must_have.len());
            h.lines.iter().for_each(|i| note(field.clone(), *i));
            notes.push(kinds::note(field, h, &gate_labels, meets));
            draft.must_have.push(Requirement {
                skill: h.label.clone(),
                min_years: h.years,
                min_level: None,
                resolved: None,
            });
        }
        for h in &merits {
            let field = format!("can_have[{}]", draft.can_have.len());
            h.lines.iter().for_each(|i| note(field.clone(), *i));
            notes.push(kinds::note(field, h, &gate_labels, meets));
            draft.can_have.push(Preference {
                skill: h.label.clone(),
                weight: 1.0,
                min_years: h.years,
                min_level: None,
                resolved: None,
            });
        }
        for h in &qualities {
            let field = format!("qualities[{}]", draft.qualities.len());
            h.lines.iter().for_each(|i| note(field.clone(), *i));
            notes.push(kinds::note(field, h, &gate_labels, meets));
            draft.qualities.push(Quality { skill: h.label.clone(), weight: None, resolved: None });
        }
        for (k, h) in self.languages.iter().enumerate() {
            h.lines.iter().for_each(|i| note(format!("languages[{k}]"), *i));
            draft.languages.push(LanguageRequirement { code: h.code, min_level: h.level, required: h.required });
        }
        if let Some((level, i)) = self.clearance {
            note("clearance.required_level".into(), i);
            draft.clearance.required_level = level;
        }
        // Willingness to be vetted is accepted only for a clearance some sentence asks for.
        if let Some(i) = self.willing.filter(|_| self.clearance.is_some()) {
            note("clearance.accept_willing".into(), i);
            draft.clearance.accept_willing = true;
        }
        if let Some(i) = self.citizenship_line {
            note("clearance.citizenship".into(), i);
            draft.clearance.citizenship = self.citizenship;
        }
        let requirements = notes
            .into_iter()
            .filter_map(|n| {
                let l = lines.get(n.line)?;
                Some(RequirementNote {
                    field: n.field,
                    skill: n.skill,
                    kind: n.kind,
                    confidence: n.confidence,
                    evidence: l.quote(),
                    line: l.no,
                    hint: n.hint,
                })
            })
            .collect();
        ParsedAd { assignment: draft, evidence: ev, requirements, unrecognized: self.unrecognized }
    }
}

fn max_opt(a: Option<f32>, b: Option<f32>) -> Option<f32> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.max(y)),
        (x, None) => x,
        (None, y) => y,
    }
}

/// One work mode for the ad: any hybrid statement wins; onsite and remote statements together
/// mean hybrid; otherwise the first statement.
fn work_mode(modes: &[(WorkMode, usize)]) -> Option<(WorkMode, usize)> {
    if let Some(h) = modes.iter().find(|(m, _)| *m == WorkMode::Hybrid) {
        return Some(*h);
    }
    let onsite = modes.iter().find(|(m, _)| *m == WorkMode::Onsite);
    let remote = modes.iter().find(|(m, _)| *m == WorkMode::Remote);
    match (onsite, remote) {
        (Some((_, a)), Some((_, b))) => Some((WorkMode::Hybrid, (*a).max(*b))),
        _ => modes.first().copied(),
    }
}
