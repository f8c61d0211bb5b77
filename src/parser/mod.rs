//! The job-ad parser: plain text in English or Swedish → a draft [`AssignmentInput`] with
//! evidence for every value and a list of requirement-like lines it could not use.
//!
//! Pure library code: no actix, sea-orm, utoipa or tokio. The HTTP layer maps
//! [`ParseError::Empty`] to 422 and enforces the size limit.
//!
//! How it reads an ad:
//! 1. The text is split into lines; bullets, list numbers and Markdown decoration are stripped
//!    (`lines`). A line is a heading ("Krav", "Main requirements:", "## Meriterande",
//!    "What are the tasks?"), an inline cue ("Meriterande: ITIL") or text.
//! 2. Headings open sections (`cues`): must-have, can-have, languages, skill lists (taken as
//!    can-haves), or non-requirement sections such as "Responsibilities", whose lines are not
//!    read for skills. An unknown heading closes the current section.
//!    A table flattened to text is read by its cells: a header whose first cell is a cue
//!    ("Krav | Erfarenhet") opens a section, a row whose last cell is one ("Power BI | 4+ |
//!    Must") is an inline cue, and a row of labelled cells ("Start: … | End: …") is read
//!    cell by cell; under a header naming a column of years ("Kompetens | År | Krav") a bare
//!    number is years. A heading's gloss in brackets ("Desirable requirements (should)") is
//!    ignored. A paragraph of prose after a list and a blank line leaves the list's section.
//! 3. Each sentence gets a kind: a merit phrase ("is a plus", "är meriterande", "bör") makes it
//!    a can-have anywhere; otherwise it takes its section's kind. In an ad with no requirement
//!    headings at all, requirement phrases ("krävs", "required", "minst", "du har") make prose
//!    sentences must-haves; in a structured ad, prose outside the requirement sections is
//!    description unless it states a requirement outright ("Terraform is required"). A forward
//!    preference ("gärna", "helst", "preferably", "ideally", "meriterande om") makes only what
//!    follows it a merit: "Nätverkssäkerhet, gärna Fortinet" keeps network security a gate; a
//!    merit in brackets ("Python (PySpark preferred)") judges only what it holds. A negation
//!    ("Swedish is not required", "är inget krav") takes back what it follows.
//!    Vetting and citizenship are requirements wherever they are written, under a
//!    description heading too ("Övrigt: Uppdraget kräver svenskt medborgarskap"). A label
//!    that only names a line's topic ("Security: The client requires security vetting …")
//!    is not read as a skill.
//! 4. Recognisers run on each sentence: clearance and citizenship (`clearance`), languages
//!    (`languages`), years of experience (`experience`; a share such as "at least 4 of them
//!    with Kotlin" or "varav 3 i Azure" binds only to the skills after it; years hold for a
//!    list, "6 years with Java, Spring and Kafka", but not across a joiner that opens a new
//!    phrase, "5 years in DevOps and hands-on Docker experience") and skills (through a
//!    [`SkillSource`]; with the taxonomy, the most specific skill wins: "projektledning inom
//!    IT-infrastruktur" is IT infrastructure project management, a general skill linked to a
//!    narrower one gives way to it ("IaC w/ Terraform", "test automation in Playwright",
//!    "Linux (RHEL)"), and "incident and change management" names two); and on each line:
//!    title, client, extent (`meta`), place and work
//!    mode (`location`), dates and durations (`dates`; each date takes the role of its own
//!    sentence, and an end cue splits a period: "Start ASAP, end 2026-10-30").
//! 5. Each skill mention gets a kind (`kinds`): a competency (a gate under a must-have cue),
//!    general knowledge (a can-have, never a gate) or a personal quality (listed apart, to
//!    assess in interview).
//! 6. Findings are merged into a valid draft (`draft`), with a note per requirement saying
//!    why it is where it is.
//!
//! Every recogniser works on word tokens (`text`) with no regular expressions, so parsing
//! is linear in the length of the text and never backtracks.

mod asides;
mod clearance;
mod cues;
mod dates;
mod draft;
mod experience;
mod heads;
mod kinds;
mod languages;
mod lines;
mod location;
mod meta;
mod output;
mod phrases;
mod places;
mod requirements;
mod section;
mod skills;
mod specific;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_ads;
#[cfg(test)]
mod tests_patterns;
#[cfg(test)]
mod tests_props;
mod text;
mod wrap;

pub use output::{Evidence, ParseError, ParsedAd, RequirementKind, RequirementNote};
pub use skills::{AdSkills, FoundSkill, SkillList, SkillSource};

use crate::taxonomy::Taxonomy;
use cues::Cue;
use dates::DateRole;
use draft::{Collected, first};
use lines::{Line, Shape, sentences, shape};
use phrases::{CAN_IN_SENTENCE, MUST_IN_SENTENCE, STRONG_MUST};
use section::{Kind, Section};
use text::Tokens;
use wrap::split_lines;

/// A headline longer than this many words is prose, and read for requirements.
const HEADLINE_WORDS: usize = 12;

/// A line of at most this many words right before a list may be the list's lead-in.
const LEAD_IN_WORDS: usize = 8;

/// A line of at least this many words that is not a list item is a paragraph of prose.
const PARAGRAPH_WORDS: usize = 8;

/// Parses an ad, naming skills by the taxonomy's canonical English labels.
///
/// Never panics and runs in time linear in the text (the HTTP layer bounds its size).
pub fn parse_ad(text: &str, taxonomy: &Taxonomy) -> Result<ParsedAd, ParseError> {
    parse_ad_with(text, &AdSkills::new(taxonomy))
}

/// Parses an ad, finding skills with any [`SkillSource`].
pub fn parse_ad_with<S: SkillSource + ?Sized>(text: &str, skills: &S) -> Result<ParsedAd, ParseError> {
    if text.trim().is_empty() {
        return Err(ParseError::Empty);
    }
    let lines = split_lines(text);
    let mut shapes: Vec<Shape<'_>> = lines.iter().map(shape).collect();
    // "5. Security" after a blank line and before prose: a numbered section heading of a
    // formal call-off, whatever its topic.
    for i in 0..lines.len() {
        let (Some(line), Some(Shape::Text)) = (lines.get(i), shapes.get(i)) else {
            continue;
        };
        let numbered = line.item && line.raw.starts_with(|c: char| c.is_ascii_digit());
        let short = line.body.split_whitespace().count() <= 3 && !line.body.ends_with(['.', ',', ';']);
        let after_blank = i == 0 || lines.get(i - 1).is_some_and(|l| l.body.is_empty());
        let prose_next =
            lines.get(i + 1).is_some_and(|n| !n.item && n.body.split_whitespace().count() >= PARAGRAPH_WORDS);
        if numbered && short && after_blank && prose_next {
            shapes[i] = Shape::Heading(cues::heading_cue(line.body));
            continue;
        }
        // "Det är meriterande om du", "You will also need" before a list: a lead-in that
        // opens the list's section.
        let lead_in = !line.item
            && line.body.split_whitespace().count() <= LEAD_IN_WORDS
            && !line.body.ends_with(['.', '!', '?'])
            && lines.get(i + 1).is_some_and(|n| n.item);
        if lead_in && let Some(cue) = cues::heading_cue(line.body.trim_end_matches([':', ','])) {
            shapes[i] = Shape::Heading(Some(cue));
        }
    }
    let structured = shapes
        .iter()
        .any(|s| matches!(s, Shape::Heading(Some(Cue::Must | Cue::Can)) | Shape::Inline(Cue::Must | Cue::Can, _)));
    let fallback_title = fallback_title(&lines, &shapes);
    let mut found = Collected::default();
    let mut section = Section::Neutral;
    // Whether the section holds list items, and whether a blank line followed the last one.
    let (mut listed, mut blank_after_list) = (false, false);
    // Whether the table being read has a column of years.
    let mut years_column = false;
    for (idx, (line, shape)) in lines.iter().zip(&shapes).enumerate() {
        if line.body.is_empty() {
            blank_after_list |= listed;
            continue;
        }
        if let Shape::Heading(_) = shape {
            years_column = has_years_column(line.raw);
        }
        let (content, base) = match *shape {
            Shape::Heading(cue) => {
                section = cue.map_or(Section::Neutral, Section::Cue);
                (listed, blank_after_list) = (false, false);
                continue;
            }
            Shape::Inline(cue, value) => (value, Section::Cue(cue)),
            Shape::Text => {
                if line.item {
                    (listed, blank_after_list) = (true, false);
                } else if blank_after_list && is_paragraph(line) {
                    section = Section::Neutral;
                    (listed, blank_after_list) = (false, false);
                }
                (topic_value(line.body, skills).unwrap_or(line.body), section)
            }
        };
        let mut used = read_line_facts(line, idx, &mut found);
        let headline = Some(idx) == fallback_title
            && matches!(shape, Shape::Text)
            && line.body.split_whitespace().count() <= HEADLINE_WORDS;
        if headline {
            continue;
        }
        if base == Section::Cue(Cue::Other) {
            // Description, but vetting and citizenship are requirements wherever they are
            // written ("Övrigt: Uppdraget kräver svenskt medborgarskap").
            // So is a requirement put to the candidate in so many words ("Det är ett krav att
            // du har genomfört ett S/4HANA-projekt") or a minimum of years asked of them ("We
            // are looking for a developer with 10+ years of software development, at least 5
            // of them with Java", under "Responsibilities").
            for (_, sentence) in sentences(content) {
                let t = Tokens::new(sentence);
                if t.has_any(MUST_IN_SENTENCE)
                    || t.has_any(STRONG_MUST)
                    || t.has_any(REQUIRED_OF_YOU)
                    || clearance_words(&t)
                {
                    let asks =
                        t.has_any(REQUIRED_OF_YOU) || t.has_any(CANDIDATE) && t.has_any(MINIMUM) && t.has_any(YEARS);
                    let kind = asks.then_some(Kind::Must);
                    let ctx = requirements::Context { base, kind, line: idx, years_column: false };
                    used |= requirements::read(sentence, &t, ctx, skills, &mut found);
                }
            }
            continue;
        }
        let mut requirement_like = false;
        for (_, sentence) in sentences(content) {
            let t = Tokens::new(sentence);
            let kind = sentence_kind(base, &t, structured);
            requirement_like |= kind.is_some();
            let ctx = requirements::Context { base, kind, line: idx, years_column };
            used |= requirements::read(sentence, &t, ctx, skills, &mut found);
        }
        if requirement_like && !used {
            let text = line.body.split_whitespace().collect::<Vec<_>>().join(" ");
            if found.unrecognized_seen.insert(text.clone()) {
                found.unrecognized.push(text);
            }
        }
    }
    Ok(found.finish(text, &lines, fallback_title, &|have, want| skills.meets(have, want)))
}

/// The line a title falls back to when no line labels one: the first line, unless it is a
/// label line or a section heading, else the first plain line before the first section.
fn fallback_title(lines: &[Line<'_>], shapes: &[Shape<'_>]) -> Option<usize> {
    if lines.iter().any(|l| meta::labelled_title(l.body).is_some()) {
        return None;
    }
    let mut candidates = lines.iter().zip(shapes).enumerate().filter(|(_, (l, _))| !l.body.is_empty());
    let (i, (l, s)) = candidates.next()?;
    let plain =
        |l: &Line<'_>, s: &Shape<'_>| !meta::is_label_line(l.body) && matches!(s, Shape::Text | Shape::Heading(None));
    if plain(l, s) {
        return Some(i);
    }
    candidates.take_while(|(_, (_, s))| !matches!(s, Shape::Heading(_))).find(|(_, (l, s))| plain(l, s)).map(|(i, _)| i)
}

/// Facts read from a whole line wherever it stands: title, client, place, work mode, dates,
/// extent. Returns whether the line stated any.
fn read_line_facts(line: &Line<'_>, idx: usize, found: &mut Collected) -> bool {
    let t = Tokens::new(line.body);
    let mut used = first(&mut found.title, meta::labelled_title(line.body), idx);
    used |= first(&mut found.client, meta::client(line.body, &t), idx);
    let place = location::labelled_place(line.body);
    used |= place.is_some();
    first(&mut found.place, place, idx);
    if found.mentioned_city.is_none()
        && let Some((city, country)) = places::city_in(&t)
    {
        let loc = crate::domain::Location { city: Some(city.to_string()), country };
        found.mentioned_city = Some((loc, idx));
    }
    // Work mode and dates take their role from their own sentence: "Start 2027-02-15, end
    // 2027-12-31. Apply by 2027-01-29." states three.
    let mut dated = false;
    let whole = sentences(line.body);
    for (_, sentence) in &whole {
        // A line of one sentence is tokenised once.
        let own;
        let t = if whole.len() == 1 {
            &t
        } else {
            own = Tokens::new(sentence);
            &own
        };
        if let Some(mode) = location::mode_in(t) {
            found.modes.push((mode, idx));
            used = true;
        }
        let found_dates = dates::find_dates(t);
        if found_dates.is_empty() {
            continue;
        }
        dated = true;
        match (dates::role(t), found_dates.as_slice()) {
            (Some(DateRole::Expires), [d, ..]) => used |= first(&mut found.expires, Some(*d), idx),
            (Some(DateRole::Start), [d, ..]) => used |= first(&mut found.start, Some(*d), idx),
            // "Avtalstid: 2027-03-01 t.o.m. 2027-12-31": an end cue between two dates ends a period.
            (Some(DateRole::End), [_, _, ..]) if dates::period(t).0.is_some() => {
                let (start, end) = dates::period(t);
                used |= first(&mut found.start, start, idx);
                used |= first(&mut found.end, end, idx);
            }
            (Some(DateRole::End), [d, ..]) => used |= first(&mut found.end, Some(*d), idx),
            (Some(DateRole::Period), [_, ..]) => {
                let (start, end) = dates::period(t);
                used |= first(&mut found.start, start, idx);
                used |= first(&mut found.end, end, idx);
            }
            _ => {}
        }
    }
    // The line's role matters only to a duration or to dates; most lines have neither.
    let could_date = line.body.bytes().any(|b| b.is_ascii_digit()) || t.has_any(DURATION_UNITS);
    let role = if could_date { dates::role(&t) } else { None };
    if role != Some(DateRole::Expires) && !t.has_any(&["erfaren*", "experience*"]) {
        let duration = dates::find_duration(&t, role == Some(DateRole::Period));
        used |= first(&mut found.duration, duration, idx);
    }
    used |= first(&mut found.extent, meta::extent(&t, role.is_some() && dated), idx);
    used
}

/// Whether a heading names a column of years: "Kompetens | År | Krav", "Requirements (skill –
/// min. years – must/merit)". Under it, a number alone between cell separators is years.
fn has_years_column(header: &str) -> bool {
    Tokens::new(header).has_any(&["år", "years", "yrs", "year"])
}

/// The value of a line whose label only names its topic: "Security: The client requires
/// security vetting …" is about vetting, not about IT security. A label counts as a topic
/// when it is one or two words and the value, a sentence of its own, names a skill, a
/// vetting or a citizenship itself; "Java: minst 5 års erfarenhet" keeps its label.
fn topic_value<'a, S: SkillSource + ?Sized>(body: &'a str, skills: &S) -> Option<&'a str> {
    let (label, value) = body.split_once(':')?;
    if label.split_whitespace().count() > 2 || value.split_whitespace().count() < TOPIC_VALUE_WORDS {
        return None;
    }
    let c = clearance::find(&Tokens::new(value));
    let own = c.level.is_some() || !c.citizenship.is_empty() || !skills.find_skills(value).is_empty();
    own.then_some(value)
}

/// The fewest words of a labelled value that [`topic_value`] reads as a sentence.
const TOPIC_VALUE_WORDS: usize = 5;

/// Units of a duration written in words ("sex månader").
const DURATION_UNITS: &[&str] = &["månad*", "mån", "month*", "vecka*", "veckor", "week*", "år", "year*"];

/// A minimum, and years: together a stated requirement of experience.
const MINIMUM: &[&str] = &["minst", "at least", "minimum"];
/// Whether a sentence speaks of vetting or citizenship, which are requirements wherever they
/// are written ("Konsulten kommer att genomgå säkerhetsprövning …" under "Övrigt").
fn clearance_words(t: &Tokens<'_>) -> bool {
    clearance::mentions(t)
}

/// A requirement put to the candidate in so many words.
const REQUIRED_OF_YOU: &[&str] = &[
    "ett krav att du",
    "ett krav att konsulten",
    "krav på att du",
    "krav på att konsulten",
    "a requirement that the consultant",
    "the consultant is required to",
    "you are required to",
    "vi kräver att du",
    "du måste ha",
    "du behöver ha",
    "a requirement that you",
    "we require you",
    "you must have",
    "you must hold",
    "you need to have",
    "ska konsulten ha",
    "ska du ha",
    "måste konsulten ha",
    "måste du ha",
    "konsulten ska ha",
    "konsulten måste ha",
    "the consultant must have",
    "the consultant shall have",
];
/// Words that address the candidate a requirement is asked of.
const CANDIDATE: &[&str] = &[
    "you",
    "du",
    "dig",
    "the consultant",
    "konsulten",
    "the candidate",
    "kandidaten",
    "we are looking for",
    "we're looking for",
    "vi söker",
];
const YEARS: &[&str] = &["år", "års", "years", "yrs"];

/// Words of a sentence about applying for the assignment.
const APPLYING: &[&str] = &[
    "ansökan",
    "ansök",
    "ansöka",
    "urval*",
    "application*",
    "apply",
    "selection process",
    "skicka in",
    "skicka gärna",
    "send in",
    "send us",
    "send your",
];

/// Whether a sentence states gates, merits, or neither. A sentence whose only merit phrase
/// is a forward preference ("Nätverkssäkerhet, gärna Fortinet") keeps its section's kind:
/// `requirements` makes what follows the preference a merit.
fn sentence_kind(base: Section, t: &Tokens<'_>, structured: bool) -> Option<Kind> {
    let kind = sentence_kind_of(base, t, structured)?;
    // "Skicka gärna in din ansökan tidigt": about applying, not a requirement.
    (!t.has_any(APPLYING) || t.has_any(STRONG_MUST)).then_some(kind)
}

fn sentence_kind_of(base: Section, t: &Tokens<'_>, structured: bool) -> Option<Kind> {
    let forward = phrases::only_forward_preferences(t);
    if !forward && t.has_any(CAN_IN_SENTENCE) {
        return Some(Kind::Can);
    }
    let own = match base {
        Section::Cue(Cue::Must | Cue::Languages) => Some(Kind::Must),
        Section::Cue(Cue::Can) => Some(Kind::Can),
        // Under "Kompetens" or "Krav och meriter", a line says which it is: "minst 8 års
        // erfarenhet av …" or "X krävs" is a gate, the rest merits.
        Section::Cue(Cue::Skills) => {
            Some(if t.has_any(MUST_IN_SENTENCE) || t.has_any(STRONG_MUST) || t.has_any(MINIMUM) && t.has_any(YEARS) {
                Kind::Must
            } else {
                Kind::Can
            })
        }
        Section::Cue(Cue::Other) => None,
        // In a structured ad, prose outside the requirement sections is description unless
        // it states a requirement outright ("Terraform is required", "X krävs").
        // A minimum of years is a requirement too ("Vi söker en DBA med minst 7 års erfarenhet").
        Section::Neutral if structured => {
            (t.has_any(STRONG_MUST) || t.has_any(MINIMUM) && t.has_any(YEARS)).then_some(Kind::Must)
        }
        Section::Neutral => (t.has_any(MUST_IN_SENTENCE) || t.has_any(STRONG_MUST)).then_some(Kind::Must),
    };
    if forward { own.or(Some(Kind::Can)) } else { own }
}

/// Whether a line is a paragraph of prose: after a list and a blank line, such a line is
/// no longer part of the list's section ("Uppdraget utförs på plats. Tjänsten kräver …").
fn is_paragraph(line: &Line<'_>) -> bool {
    !line.item && (line.body.split_whitespace().count() >= PARAGRAPH_WORDS || sentences(line.body).len() >= 2)
}
