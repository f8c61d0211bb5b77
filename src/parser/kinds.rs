//! Kinds of requirement, and why the draft puts each where it does.
//!
//! A must-have gate should come only from a verifiable competency stated as a requirement.
//! Three kinds of phrase name skills in an ad:
//! - a **competency**: experience, years, hands-on work, a certification, or a bare skill in
//!   a requirement list ("At least 5 years of experience managing IT infrastructure
//!   projects", "Terraform"). Under a must-have cue it is a gate, under a merit cue a can-have;
//! - **general knowledge**: background phrased as understanding, familiarity, basics or
//!   knowledge ("good understanding of IT systems", "IT security basics", "god förståelse för
//!   IT-infrastruktur i stort", "goda kunskaper i"). Never a gate: a can-have, which a
//!   specialty that implies it meets in full. Knowledge qualified as deep ("deep knowledge
//!   of", "gedigna kunskaper i", "mycket goda kunskaper") or good ("goda kunskaper i
//!   ServiceNow", "strong background in risk management") is a competency; a good
//!   *understanding* stays background;
//! - a **personal quality** (the taxonomy's soft skills: communication, pedagogy, teamwork …):
//!   never a gate nor a can-have, but listed apart as qualities, to assess in an interview.
//!
//! Which of the first two a mention is: the cue nearest before it in its clause decides
//! ("Experience with Kubernetes and a good understanding of networking": Kubernetes is a
//! competency, networking knowledge); without one before it, a cue inside or right after it
//! ("IT security basics", "Service management knowledge"); without any, a competency.

use super::output::RequirementKind;
use super::text::Tokens;
use crate::taxonomy::COMPOUND_SIMILARITY;

/// A skill, with every mention merged.
#[derive(Debug, Clone)]
pub(crate) struct SkillHit {
    pub label: String,
    /// Stated as a competency under a must-have cue at least once: a gate.
    pub must: bool,
    /// A personal quality.
    pub quality: bool,
    /// The first line that made it a gate, the first that stated it under a must-have cue as
    /// general knowledge, and the first line at all.
    pub must_line: Option<usize>,
    pub knowledge_line: Option<usize>,
    /// Stated as a competency at least once.
    pub competency: bool,
    pub similarity: f32,
    pub years: Option<f32>,
    pub lines: Vec<usize>,
}

/// Phrases that state background knowledge rather than a competency.
const KNOWLEDGE: &[&str] = &[
    "knowledge",
    "understanding",
    "understand",
    "familiar*",
    "basic",
    "basics",
    "awareness",
    "aware",
    "insight*",
    "overview",
    "background",
    "general",
    "generally",
    "kunskap*",
    "förståelse*",
    "förstå",
    "förstår",
    "kännedom",
    "insikt*",
    "grundläggande",
    "bakgrund",
    "allmän*",
    "generell*",
    "översikt*",
    "övergripande",
    "i stort",
];

/// Words that make knowledge a competency when they qualify it ("deep knowledge of",
/// "gedigna kunskaper i", "working knowledge").
const DEPTH: &[&str] = &[
    "deep",
    "in depth",
    "solid",
    "extensive",
    "advanced",
    "expert",
    "working",
    "thorough",
    "djup*",
    "gedigen",
    "gedigna",
    "omfattande",
    "avancerad*",
    "mycket goda",
    "expert*",
    "specialist*",
];

/// Phrases that state a competency: experience, years, hands-on work, certification.
const COMPETENCE: &[&str] = &[
    "experience*",
    "experienced",
    "erfarenhet*",
    "erfaren",
    "year",
    "years",
    "år",
    "års",
    "competence",
    "competent",
    "kompetens",
    "multi year",
    "flerårig*",
    "proven",
    "dokumenterad*",
    "hands on",
    "praktisk*",
    "worked",
    "working",
    "arbetat",
    "managed",
    "managing",
    "running",
    "led",
    "lett",
    "ansvarat",
    "administrera*",
    "administering",
    "certifi*",
    "expertise",
    "skilled",
    "proficien*",
];

/// How a skill is stated in a sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stated {
    /// Experience, years, practice, or a bare skill.
    Competency,
    /// Background: understanding, familiarity, basics, knowledge.
    Knowledge,
}

/// Whether token `i` starts a cue of `list`, and where the cue ends (exclusive).
fn cue_at(t: &Tokens<'_>, i: usize, list: &[&str]) -> Option<usize> {
    list.iter().filter_map(|p| t.match_at(i, p)).map(|s| s.last).max()
}

/// The kind of cue starting at token `i`, if any; knowledge qualified by a depth word just
/// before it (within three words, and in the clause starting at token `from`) is a
/// competency.
fn cue_kind(t: &Tokens<'_>, i: usize, from: usize, skill: Breadth) -> Option<Stated> {
    if cue_at(t, i, COMPETENCE).is_some() {
        return Some(Stated::Competency);
    }
    cue_at(t, i, KNOWLEDGE)?;
    let qualified =
        |list: &[&str]| (i.saturating_sub(3).max(from)..i).any(|j| cue_at(t, j, list).is_some_and(|end| end <= i));
    let deep = qualified(DEPTH);
    // Knowledge of a specific tool or product is a skill one has or not.
    let of_tool = skill.specific && cue_at(t, i, TOOL_KNOWLEDGE).is_some();
    // Good knowledge of, or a strong background in, a skill is asked as a competency ("goda
    // kunskaper i ServiceNow", "strong background in risk management"); so is a good
    // understanding of anything narrower than a broad field ("god förståelse för Kanban").
    // A good *understanding* of a broad field ("of IT systems", "of IT infrastructure")
    // stays background.
    // A *general* understanding stays background whatever its skill ("a good general
    // understanding of networking").
    let understood = !skill.field && cue_at(t, i, UNDERSTANDING).is_some() && !qualified(GENERAL);
    let good_of = cue_at(t, i, GOOD_OF).is_some() || understood;
    let good = good_of && qualified(GOOD);
    Some(if deep || of_tool || good { Stated::Competency } else { Stated::Knowledge })
}

/// Words that, qualifying [`GOOD_OF`], make knowledge a competency.
const GOOD: &[&str] = &[
    "good",
    "goda",
    "god",
    "gott",
    "strong",
    "stark*",
    "sound",
    "bra",
    "relevant*",
    "hands on",
    "practical",
    "praktisk*",
    "proven",
    "dokumenterad*",
];

/// Understanding words that [`GOOD`] makes a competency, of a skill narrower than a field.
const UNDERSTANDING: &[&str] = &["understanding", "förståelse*", "insight*", "insikt*"];

/// Words that keep an understanding background however good it is.
const GENERAL: &[&str] = &["general", "overall", "broad", "allmän*", "generell*", "övergripande", "bred"];

/// How broad the skill a mention names is.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Breadth {
    /// A tool, product, language or method with no narrower skills.
    pub specific: bool,
    /// A broad field: at the top of the taxonomy, with narrower skills filed under it (a
    /// domain alone at the top, "Finance and accounting processes", is no field).
    pub field: bool,
}

/// Knowledge words that [`GOOD`] makes a competency.
const GOOD_OF: &[&str] = &["knowledge", "kunskap*", "kännedom", "background", "bakgrund"];

/// Knowledge words that name a competency when the skill is specific (a tool, a product, a
/// language, a framework: "goda kunskaper i PowerShell", "knowledge of Splunk",
/// "familiarity with MITRE ATT&CK", "kännedom om ITIL 4"): one knows such a thing or not.
/// Understanding and basics stay background whatever the skill.
const TOOL_KNOWLEDGE: &[&str] = &["knowledge", "kunskap*", "kunnig*", "familiar*", "kännedom", "bekant*"];

/// How the mention at bytes `start..end` is stated, looking in its clause (bytes
/// `clause.0..clause.1`) up to `next` (where the next mention starts).
/// `skill`: how broad the skill is (see [`TOOL_KNOWLEDGE`], [`UNDERSTANDING`]).
pub(crate) fn stated(
    t: &Tokens<'_>,
    start: usize,
    end: usize,
    clause: (usize, usize),
    next: usize,
    skill: Breadth,
) -> Stated {
    let first = t.toks.partition_point(|k| k.start < start);
    let from = t.toks.partition_point(|k| k.start < clause.0);
    // The nearest cue before the mention, within its clause.
    for i in (from..first).rev() {
        if let Some(kind) = cue_kind(t, i, from, skill) {
            return kind;
        }
    }
    // A cue inside the mention or right after it (the next two words), before the next
    // mention: "IT security basics", "Service management knowledge", not the "general" of
    // "finance processes such as general ledger".
    let stop = next.min(clause.1).max(end);
    let after = t.toks.partition_point(|k| k.start < end);
    for i in first..t.len().min(after + 2) {
        if t.toks[i].start >= stop {
            break;
        }
        if let Some(kind) = cue_kind(t, i, from, skill) {
            return kind;
        }
    }
    Stated::Competency
}

/// What the parse answer says about one requirement of the draft (line as an index into
/// the parser's lines).
#[derive(Debug, Clone)]
pub(crate) struct Note {
    pub field: String,
    pub skill: String,
    pub kind: RequirementKind,
    pub confidence: f32,
    pub line: usize,
    pub hint: String,
}

/// How sure the parser is of a requirement's kind and list, before the spelling is weighed.
const SURE_GATE: f32 = 0.95;
const SURE_MERIT: f32 = 0.9;
const SURE_QUALITY: f32 = 0.9;
/// Knowledge asked under a must-have cue was perhaps meant as a gate: worth a look.
const SURE_DEMOTED: f32 = 0.8;

/// The note on a merged skill in `field`. `gates` are the draft's must-have labels;
/// `meets(have, want)` whether one skill meets another through implication.
pub(crate) fn note(field: String, h: &SkillHit, gates: &[&str], meets: &dyn Fn(&str, &str) -> bool) -> Note {
    let first = h.lines.first().copied().unwrap_or(0);
    let (kind, line, sure, mut hint) = if h.quality {
        let hint = if h.must_line.is_some() || h.knowledge_line.is_some() {
            "soft skill: moved to qualities, to assess in interview (name it in must_have to gate on it)"
        } else {
            "soft skill: moved to qualities, to assess in interview"
        };
        (RequirementKind::Quality, first, SURE_QUALITY, hint.to_string())
    } else if h.must {
        let line = h.must_line.unwrap_or(first);
        (RequirementKind::Competency, line, SURE_GATE, "competency stated as a requirement: a gate".to_string())
    } else if let Some(line) = h.knowledge_line {
        let mut hint = "general knowledge: made a can-have".to_string();
        if let Some(by) = gates.iter().find(|g| meets(g, &h.label)) {
            hint.push_str(&format!("; whoever has the must-have {by} meets it"));
        }
        (RequirementKind::GeneralKnowledge, line, SURE_DEMOTED, hint)
    } else if !h.competency {
        (RequirementKind::GeneralKnowledge, first, SURE_MERIT, "general knowledge: a can-have".to_string())
    } else {
        (RequirementKind::Competency, first, SURE_MERIT, "merit: a can-have".to_string())
    };
    if h.similarity < 1.0 {
        hint.push_str(if h.similarity >= COMPOUND_SIMILARITY {
            "; read from a compound of known parts"
        } else {
            "; read from a near-miss spelling, check the skill"
        });
    }
    let confidence = (sure * h.similarity * 100.0).round() / 100.0;
    Note { field, skill: h.label.clone(), kind, confidence, line, hint }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn kind_of(sentence: &str, skill: &str) -> Stated {
        let t = Tokens::new(sentence);
        let start = sentence.find(skill).unwrap();
        stated(&t, start, start + skill.len(), (0, sentence.len()), sentence.len(), FIELD)
    }

    /// A broad field: at the top of the taxonomy, with narrower skills filed under it (a
    /// domain alone at the top, "Finance and accounting processes", is no field).("IT systems knowledge").
    const FIELD: Breadth = Breadth { specific: false, field: true };
    /// A tool ("PowerShell").
    const TOOL: Breadth = Breadth { specific: true, field: false };

    #[test]
    fn knowledge_of_a_specific_tool_is_a_competency() {
        let s = "Goda kunskaper i PowerShell";
        let t = Tokens::new(s);
        assert_eq!(stated(&t, 17, s.len(), (0, s.len()), s.len(), TOOL), Stated::Competency);
        let s = "Kunskaper i PowerShell";
        let t = Tokens::new(s);
        assert_eq!(stated(&t, 12, s.len(), (0, s.len()), s.len(), TOOL), Stated::Competency);
    }

    #[test]
    fn a_good_understanding_is_a_competency_below_a_broad_field() {
        let of = |s: &str, skill: &str, breadth| {
            let start = s.find(skill).unwrap();
            stated(&Tokens::new(s), start, s.len(), (0, s.len()), s.len(), breadth)
        };
        assert_eq!(of("God förståelse för PowerShell", "PowerShell", TOOL), Stated::Competency);
        assert_eq!(of("Förståelse för PowerShell", "PowerShell", TOOL), Stated::Knowledge);
        assert_eq!(of("God förståelse för IT-system", "IT-system", FIELD), Stated::Knowledge);
        assert_eq!(of("A good general understanding of PowerShell", "PowerShell", TOOL), Stated::Knowledge);
    }

    #[test]
    fn the_nearest_cue_before_a_mention_decides_its_kind() {
        let cases = [
            (
                "Knowledge and multi-year competence in agile project management",
                "agile project management",
                Stated::Competency,
            ),
            (
                "Technical background with good understanding of IT systems, IT infrastructure",
                "IT infrastructure",
                Stated::Knowledge,
            ),
            ("Experience with Kubernetes and a good understanding of networking", "Kubernetes", Stated::Competency),
            ("Experience with Kubernetes and a good understanding of networking", "networking", Stated::Knowledge),
            ("IT security basics", "IT security", Stated::Knowledge),
            ("Service management knowledge", "Service management", Stated::Knowledge),
            ("Konsulten ska ha god förståelse för IT-infrastruktur i stort", "IT-infrastruktur", Stated::Knowledge),
            ("Konsulten ska ha minst 5 års erfarenhet av nätverkssäkerhet", "nätverkssäkerhet", Stated::Competency),
            ("Deep knowledge of PostgreSQL", "PostgreSQL", Stated::Competency),
            ("Du har gedigna kunskaper i Java", "Java", Stated::Competency),
            ("Familiarity with IT frameworks", "IT frameworks", Stated::Knowledge),
            ("Mycket goda kunskaper i Linux", "Linux", Stated::Competency),
            ("Goda kunskaper i Linux", "Linux", Stated::Competency),
            ("God förståelse för Linux", "Linux", Stated::Knowledge),
            ("Strong background in risk management", "risk management", Stated::Competency),
            ("Good understanding of IT infrastructure", "IT infrastructure", Stated::Knowledge),
            ("Knowledge of server systems", "server systems", Stated::Knowledge),
            ("Terraform", "Terraform", Stated::Competency),
            ("Finance processes such as accounts payable and general ledger", "Finance processes", Stated::Competency),
        ];
        for (sentence, skill, want) in cases {
            assert_eq!(kind_of(sentence, skill), want, "{skill} in {sentence:?}");
        }
    }
}
