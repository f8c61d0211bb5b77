//! Requirements in one sentence: clearance, languages, years of experience and skills, each
//! as a gate or a merit.
//!
//! A sentence that holds both a requirement phrase and a merit phrase ("Experience with
//! Cisco is required, and Palo Alto experience is a plus") is read mention by mention: each
//! skill or language takes the kind of the first cue after it, or failing that the last cue
//! before it, because both languages put the verdict after the thing judged. Years bind to
//! the nearest skill in the same clause, where a clause ends at a conjunction followed by a
//! verb ("… i minst 3 år och har god förståelse för SAFe"), not at a comma, so "5 years
//! with Java, Spring and Kafka" gives all three five years.

use super::draft::{Collected, Mentioned};
use super::kinds;
use super::phrases::{self, CAN_IN_SENTENCE, MUST_IN_SENTENCE, PREFER_FORWARD, STRONG_MUST};
use super::section::{Kind, Section};
use super::skills::SkillSource;
use super::text::Tokens;
use super::{asides, clearance, experience, languages};
use crate::parser::cues::Cue;

/// Strong requirement phrases, used to split a sentence that also holds a merit phrase.
const MUST_VERDICTS: &[&str] = &[
    "krav",
    "krävs",
    "kräver",
    "required",
    "requires",
    "mandatory",
    "must",
    "måste",
    "obligatorisk*",
    "ska ha",
    "skall ha",
    "essential",
    "behöver",
    "need",
    "require",
];

/// Phrases that take back what is named before them: "Swedish is not required", "Svenska är
/// inget krav", "Kubernetes behövs inte".
const NEGATED: &[&str] = &[
    "not required",
    "not a requirement",
    "not a must",
    "not mandatory",
    "not needed",
    "not necessary",
    "no requirement",
    "är inget krav",
    "inget krav",
    "inte ett krav",
    "inte något krav",
    "krävs inte",
    "behövs inte",
    "inte nödvändig*",
    "not essential",
];

/// A conjunction and a verb: the start of a new clause.
const CLAUSE_BREAKS: &[&str] = &[
    "och har",
    "och är",
    "och kan",
    "och ska",
    "samt har",
    "samt är",
    "and have",
    "and has",
    "and are",
    "and is",
    "and can",
    "and should",
    "but",
    "men",
    "and you",
    "och du",
    "and we",
    "och vi",
];

/// Where a sentence stands.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Context {
    /// The section (or inline cue) it stands in.
    pub base: Section,
    /// Its kind, from cues in it or its section; `None` for description.
    pub kind: Option<Kind>,
    /// Index of its line.
    pub line: usize,
    /// It is a row of a table whose header names a column of years ("Kompetens | År |
    /// Krav"): a cell holding a bare number is years of experience.
    pub years_column: bool,
}

/// Reads one sentence into `found`. Returns whether it yielded anything.
pub(crate) fn read<S: SkillSource + ?Sized>(
    sentence: &str,
    t: &Tokens<'_>,
    ctx: Context,
    skills: &S,
    found: &mut Collected,
) -> bool {
    let idx = ctx.line;
    let mut used = false;
    let mut taken: Vec<(usize, usize)> = Vec::new();

    // Vetting and citizenship are requirements wherever they are written, even in prose
    // that follows a list of merits, unless the sentence itself makes them a merit.
    let c = clearance::find(t);
    let stated = ctx.kind != Some(Kind::Can) || t.has_any(MUST_VERDICTS);
    if (c.level.is_some() || !c.citizenship.is_empty()) && stated {
        used = true;
        if let Some(level) = c.level
            && found.clearance.as_ref().is_none_or(|(l, _)| level > *l)
        {
            found.clearance = Some((level, idx));
        }
        if c.willing && found.willing.is_none() {
            found.willing = Some(idx);
        }
        for code in &c.citizenship {
            if !found.citizenship.contains(code) {
                found.citizenship.push(*code);
                found.citizenship_line.get_or_insert(idx);
            }
        }
    }
    taken.extend(c.spans.iter().map(|s| t.bytes(*s)));
    // Prose about vetting or citizenship ("… parts of the infrastructure are security-
    // classified, so the consultant must be an EU citizen") asks for no skill.
    let prose = ctx.base == Section::Neutral || sentence.split_whitespace().count() >= VETTING_PROSE_WORDS;
    let vetting_prose = prose && (c.level.is_some() || !c.citizenship.is_empty());

    // Brackets holding a merit ("Python (PySpark preferred)"): what they name is a merit,
    // and their cue judges nothing outside them.
    let bracketed = phrases::bracketed_merits(t);
    let in_brackets = |pos: usize| bracketed.iter().any(|(o, c)| *o <= pos && pos < *c);
    let mut verdicts = verdicts(t, ctx.kind);
    verdicts.retain(|(p, _)| !in_brackets(*p));
    // "har erfarenhet av Docker, k8s är ett plus" in a requirement: a merit phrase after a
    // comma judges its own clause only; what stands before the comma keeps the requirement
    // ("Docker, Kubernetes och Helm är meriterande" is one list, all merits).
    if verdicts.is_empty()
        && ctx.kind == Some(Kind::Can)
        && (matches!(ctx.base, Section::Cue(Cue::Must | Cue::Languages)) || t.has_any(MUST_IN_SENTENCE))
        && let Some((_, merit)) = t.first_of(CAN_IN_SENTENCE)
    {
        let p = t.bytes(merit).0;
        let before = sentence.get(..p).unwrap_or("");
        // "Engelska, goda kunskaper (merit)": a bare verdict in brackets judges all before it.
        let bare_in_brackets = before.trim_end().ends_with('(');
        let clause = |c: usize| Tokens::new(before.get(c..).unwrap_or(""));
        // The clause names something of its own ("…, k8s är ett plus"; not "…, är ett plus").
        if !bare_in_brackets
            && let Some(c) = before.rfind([',', ';'])
            && clause(c).toks.iter().any(|w| !matches!(w.low.as_str(), "är" | "is" | "are" | "be" | "vore" | "would"))
            && !clause(c).has_any(&["och", "and", "or", "eller", "samt", "&"])
            && !in_brackets(c)
        {
            verdicts = vec![(c, Kind::Must), (p, Kind::Can)];
        }
    }
    // Where each forward preference ("gärna", "preferably") ends: what follows is a merit.
    let prefer: Vec<usize> = t
        .all_of(PREFER_FORWARD)
        .into_iter()
        .map(|(_, s)| t.bytes(s))
        .filter(|(start, _)| !in_brackets(*start))
        .map(|(_, end)| end)
        .collect();
    let clause_breaks = clause_starts(t);
    // "…, helst Palo Alto, och grundläggande Linux-kunskaper krävs": a comma and a
    // conjunction before a must verdict end the preference before them.
    let verdict_cuts: Vec<usize> = if prefer.is_empty() {
        Vec::new()
    } else {
        let last_verdict = t.all_of(MUST_VERDICTS).last().map(|(_, s)| t.bytes(*s).0);
        (1..t.len())
            .filter(|&i| t.gap_before(i).contains(',') && matches!(t.low(i), "och" | "and" | "samt" | "men" | "but"))
            .filter_map(|i| t.toks.get(i).map(|tok| tok.start))
            .filter(|&at| last_verdict.is_some_and(|v| v > at))
            .collect()
    };
    let kind_at = |pos: usize| -> Option<Kind> {
        if in_brackets(pos) {
            return Some(Kind::Can);
        }
        let i = verdicts.partition_point(|(p, _)| *p < pos);
        if let Some((_, k)) = verdicts.get(i) {
            return Some(*k);
        }
        // A forward preference holds to the end of its clause ("ideally also in Python, and
        // you have set up suites in GitHub Actions": GitHub Actions is not a merit).
        let clause_at = |x: usize| clause_breaks.partition_point(|c| *c <= x);
        let cut = |p: usize| verdict_cuts.iter().any(|&c| p < c && c <= pos);
        if prefer.iter().any(|&p| p <= pos && clause_at(p) == clause_at(pos) && !cut(p)) {
            return Some(Kind::Can);
        }
        verdicts.last().map(|(_, k)| *k).or(ctx.kind)
    };

    // "Swedish is not required, but fluent English is": a negation after a thing, before the
    // next thing named, takes it back.
    let may_negate = t.has_any(&["not", "no", "inte", "inget", "något"]);
    let negations: Vec<usize> =
        if may_negate { t.all_of(NEGATED).into_iter().map(|(_, s)| t.bytes(s).0).collect() } else { Vec::new() };
    let negated = |end: usize, next: usize| negations.iter().any(|&n| end <= n && n < next);
    let in_context = ctx.kind.is_some() || ctx.base == Section::Cue(Cue::Languages);
    let langs = languages::find(t, in_context, false);
    for (k, l) in langs.iter().enumerate() {
        let (start, end) = t.bytes(l.span);
        taken.push((start, end));
        let next = langs.get(k + 1).map_or(sentence.len(), |n| t.bytes(n.span).0);
        if negated(end, next) {
            continue;
        }
        let merit = kind_at(start) == Some(Kind::Can);
        found.language(l.code, l.level, l.required && !merit, idx);
        used = true;
    }

    if ctx.kind.is_none() || vetting_prose {
        return used;
    }
    let years = experience::find(t, ctx.years_column);
    let mut mentions = find_skills_chunked(skills, sentence);
    let taken = merge(taken);
    mentions.retain(|m| {
        // The last taken interval starting before the mention's end is the only one that can
        // overlap it, since merged intervals are disjoint and sorted.
        let i = taken.partition_point(|(s, _)| *s < m.end);
        i.checked_sub(1).and_then(|i| taken.get(i)).is_none_or(|(_, e)| m.start >= *e)
    });
    asides::drop_examples(sentence, &mut mentions);
    asides::drop_duties(t, &clause_breaks, &mut mentions);
    // "PowerShell är meriterande men inget krav": a merit that is no requirement stays a merit.
    let taken_back: Vec<bool> = (0..mentions.len())
        .map(|k| {
            let next = mentions.get(k + 1).map_or(sentence.len(), |n| n.start);
            negated(mentions[k].end, next) && kind_at(mentions[k].start) != Some(Kind::Can)
        })
        .collect();
    let mut taken_back = taken_back.into_iter();
    mentions.retain(|_| !taken_back.next().unwrap_or(false));
    if mentions.is_empty() {
        if let Some(max) = years.iter().map(|y| y.years).reduce(f32::max) {
            found.overall_years(max, idx);
            used = true;
        }
        return used;
    }
    let clause = &clause_breaks;
    let clause_of = |pos: usize| clause.partition_point(|c| *c <= pos);
    // The byte range of the clause holding `pos`.
    let clause_range = |pos: usize| {
        let k = clause_of(pos);
        let start = k.checked_sub(1).and_then(|k| clause.get(k)).copied().unwrap_or(0);
        (start, clause.get(k).copied().unwrap_or(sentence.len()))
    };
    // Whether each mention is listed with the one before it ("Java, Spring and Kafka"):
    // years stated for a list hold for all of it, but not for a skill named in a new phrase
    // ("5 years in DevOps and hands-on k8s experience": no years for Kubernetes).
    let listed: Vec<bool> = mentions
        .iter()
        .enumerate()
        .map(|(k, m)| {
            k.checked_sub(1)
                .and_then(|p| mentions.get(p))
                .is_some_and(|p| is_list_gap(sentence.get(p.end.min(m.start)..m.start).unwrap_or("")))
        })
        .collect();
    // Whether mentions `from..=to` form one list.
    let one_list = |from: usize, to: usize| listed.get(from + 1..=to).is_none_or(|l| l.iter().all(|&b| b));
    for (k, m) in mentions.iter().enumerate() {
        // Years are in text order: the nearest on either side, if in the same clause and
        // the same list.
        let split = years.partition_point(|y| y.at < m.start);
        let nearest = [split.checked_sub(1), Some(split)]
            .into_iter()
            .flatten()
            .filter_map(|i| years.get(i))
            .filter(|y| clause_of(y.at) == clause_of(m.start))
            // A share ("varav 3", "4 of them") is of the skill before it: it binds forward only.
            .filter(|y| !y.share || y.at < m.start)
            // A merit after a forward preference ("Nätverkssäkerhet, gärna Fortinet | 5")
            // takes no years written after it: they are the requirement's.
            .filter(|y| !(y.at > m.start && prefer.iter().any(|&p| p <= m.start)))
            // A merit in brackets ("Python (PySpark preferred) – 3 years") takes no years from
            // outside them.
            .filter(|y| {
                !in_brackets(m.start)
                    || bracketed.iter().any(|(o, c)| *o <= m.start && m.start < *c && *o <= y.at && y.at < *c)
            })
            .filter(|y| {
                if y.at < m.start {
                    // The list the years open starts at the first mention after them.
                    let first = mentions.partition_point(|n| n.start < y.at);
                    one_list(first, k)
                } else {
                    let last = mentions.partition_point(|n| n.start < y.at).saturating_sub(1);
                    one_list(k, last)
                }
            })
            // A share just before the skill is its own ("varav 3 år i Go | 9+ år").
            .min_by_key(|y| (!(y.share && y.at < m.start), y.at.abs_diff(m.start)))
            // Else the row's own cell of years, after the skill: "IT architecture, of which
            // at least 4 years as enterprise architect | 10+ years | Must".
            .or_else(|| {
                years.iter().find(|y| {
                    y.cell && y.at > m.start && !prefer.iter().any(|&p| p <= m.start) && !in_brackets(m.start)
                })
            })
            .map(|y| y.years);
        let next = mentions.get(k + 1).map_or(sentence.len(), |n| n.start);
        let mut stated = kinds::stated(
            t,
            m.start,
            m.end,
            clause_range(m.start),
            next,
            kinds::Breadth { specific: m.specific, field: m.field },
        );
        // "Kunskap om Kubernetes krävs": knowledge required outright is a competency,
        // unless of a broad field ("understanding of IT systems is required").
        if stated == kinds::Stated::Knowledge && !m.field && t.has_any(STRONG_MUST) {
            stated = kinds::Stated::Competency;
        }
        found.skill(Mentioned {
            label: m.label,
            must: kind_at(m.start).unwrap_or(Kind::Must) == Kind::Must,
            stated,
            quality: m.quality,
            similarity: m.similarity,
            years: nearest,
            line: idx,
        });
    }
    true
}

/// The cue phrases of a sentence that holds both kinds, as (byte offset, kind); empty when
/// the sentence holds only one kind (its kind then applies throughout).
fn verdicts(t: &Tokens<'_>, kind: Option<Kind>) -> Vec<(usize, Kind)> {
    if kind != Some(Kind::Can) || !t.has_any(MUST_VERDICTS) {
        return Vec::new();
    }
    let mut out: Vec<(usize, Kind)> = Vec::new();
    for i in 0..t.len() {
        let at = t.toks.get(i).map_or(0, |tok| tok.start);
        if PREFER_FORWARD.iter().any(|p| t.match_at(i, p).is_some()) {
            // Judges what follows it, not what precedes it: see `kind_at` in `read`.
            continue;
        }
        if CAN_IN_SENTENCE.iter().any(|p| t.match_at(i, p).is_some()) {
            out.push((at, Kind::Can));
        } else if MUST_VERDICTS.iter().any(|p| t.match_at(i, p).is_some()) {
            out.push((at, Kind::Must));
        }
    }
    out
}

/// The longest piece of text handed to the skill source at once. Real sentences are far
/// shorter; a "sentence" of hundreds of kilobytes (no punctuation at all) is cut at spaces
/// so that a skill source that is slower than linear cannot make one request hang.
const MAX_LOOKUP: usize = 1024;

/// Finds skills in `sentence`, in pieces of at most about [`MAX_LOOKUP`] bytes cut at
/// whitespace, with offsets into the whole sentence.
fn find_skills_chunked<'s, S: SkillSource + ?Sized>(
    skills: &'s S,
    sentence: &str,
) -> Vec<super::skills::FoundSkill<'s>> {
    if sentence.len() <= MAX_LOOKUP {
        return skills.find_skills(sentence);
    }
    let mut out = Vec::new();
    let mut start = 0;
    while start < sentence.len() {
        let mut end = (start + MAX_LOOKUP).min(sentence.len());
        while !sentence.is_char_boundary(end) {
            end -= 1;
        }
        if end < sentence.len()
            && let Some(ws) = sentence[start..end].rfind(char::is_whitespace)
            && ws > 0
        {
            end = start + ws;
        }
        if end <= start {
            // A single character wider than the window cannot happen (chars are ≤ 4 bytes).
            break;
        }
        for mut m in skills.find_skills(&sentence[start..end]) {
            m.start += start;
            m.end += start;
            out.push(m);
        }
        start = end;
    }
    out
}

/// Words that join the items of one list: "Java, Spring och Kafka", "AWS or Azure".
const LIST_WORDS: &[&str] = &[
    "and",
    "och",
    "or",
    "eller",
    "samt",
    "&",
    "as well as",
    "plus",
    "also",
    "även",
    "också",
    "gärna",
    "helst",
    "preferably",
    "ideally",
];

/// A sentence about vetting or citizenship this long is prose about them, wherever it stands.
const VETTING_PROSE_WORDS: usize = 15;

/// Words of a preference inside a list ("S/4HANA, meriterande om även Fiori").
const PREFERENCE_WORDS: &[&str] = &["as", "well", "meriterande", "om", "if", "possible", "möjligt", "gärna", "helst"];

/// Whether the text between two mentions keeps them in one phrase: either it joins them
/// into a list (punctuation and [`LIST_WORDS`] only), or it has no joiner at all ("Sys admin
/// experience with Windows Server", "data pipelines with Apache Spark"). A joiner followed
/// by other words starts a new phrase: "DevOps and hands-on k8s experience".
fn is_list_gap(gap: &str) -> bool {
    let words: Vec<String> = gap
        .split(|c: char| !c.is_alphanumeric() && c != '&')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let joiner = gap.contains([',', ';']) || words.iter().any(|w| LIST_WORDS.contains(&w.as_str()));
    !joiner || words.iter().all(|w| LIST_WORDS.contains(&w.as_str()) || PREFERENCE_WORDS.contains(&w.as_str()))
}

/// Sorts byte intervals and merges overlapping ones.
fn merge(mut v: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    v.sort_unstable();
    let mut out: Vec<(usize, usize)> = Vec::with_capacity(v.len());
    for (s, e) in v {
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

/// Byte offsets where a new clause starts.
fn clause_starts(t: &Tokens<'_>) -> Vec<usize> {
    t.all_of(CLAUSE_BREAKS).into_iter().map(|(_, s)| t.bytes(s).0).collect()
}
