//! The most specific skill wins: what the mentions of one text name as requirements once
//! their links are read ("project management within IT infrastructure" → IT infrastructure
//! project management, "Containrar (Docker, k8s)" → Docker and Kubernetes, "backup av
//! databaser" → backup).

use super::heads::{AND, shared_heads, shared_modifiers};
use crate::taxonomy::{Mention, SkillIdx, Taxonomy};

/// Words that may stand between a skill and the field it is practised in: "project
/// management within IT infrastructure", "projektledning av mindre infraprojekt", "Proj.
/// Mgmt experience from IT infrastructure projects".
const FIELD_LINKS: &[&str] = &[
    "within",
    "inom",
    "in",
    "i",
    "of",
    "av",
    "for",
    "för",
    "from",
    "från",
    "on",
    "på",
    "experience",
    "erfarenhet",
    "small",
    "smaller",
    "large",
    "larger",
    "complex",
    "mindre",
    "större",
    "komplexa",
    "the",
    "with",
    "med",
    "w",
    "using",
    "via",
    "such",
    "as",
    "like",
    "especially",
    "särskilt",
    "främst",
    "mainly",
    "primarily",
    "enligt",
    "enl",
    "erf",
    "according",
    "to",
    "per",
    "based",
    "baserad",
    "baserat",
    "baserade",
];

/// Words that say where something is done: "rollstyrning i SAP", "dashboards in Power BI".
const PLACE_LINKS: &[&str] = &["i", "in", "inom", "within", "on", "på"];

/// Words for running, maintaining or testing something: followed by "av"/"of"/"against" and
/// a skill below the top of the taxonomy, they name a skill in that ("drift av k8s" is
/// Kubernetes, "testing against WCAG 2.1" is web accessibility).
const ACTIVITIES: &[&str] = &[
    "drift",
    "förvaltning",
    "förvaltn",
    "systemförvaltning",
    "administration",
    "admin",
    "operations",
    "operation",
    "maintenance",
    "underhåll",
    "testing",
    "testning",
];

/// Words in a bracket that make what it names an example or an equivalent, not the
/// requirement itself: "VMware (VCP eller motsvarande)".
const EXAMPLE_WORDS: &[&str] =
    &["motsvarande", "equivalent", "similar", "liknande", "comparable", "ex", "exempel", "eg"];

/// The most specific skill wins: of two mentions joined only by [`FIELD_LINKS`] (or a
/// label's colon, "Infra: VMware"), a general skill followed by a narrower one gives way to
/// it, and a skill followed by its field becomes the narrower skill the two name together
/// when the taxonomy has it ("project management within IT infrastructure" → IT
/// infrastructure project management). Otherwise both stay.
fn most_specific(taxonomy: &Taxonomy, text: &str, mentions: Vec<Mention>) -> Vec<Mention> {
    let mut out: Vec<Mention> = Vec::with_capacity(mentions.len());
    for m in mentions {
        let Some(prev) = out.last() else {
            out.push(m);
            continue;
        };
        // The period of a short form ("Proj.led. av …") is part of the word before.
        let gap = text.get(prev.end..m.start).unwrap_or(",");
        let gap = gap.strip_prefix('.').unwrap_or(gap);
        let narrower = |general, specific| taxonomy.ancestors(specific).binary_search(&general).is_ok();
        // "NIS2 compliance", "Windows-drift": a narrower skill that qualifies a broader one
        // written right after it names the narrower one only.
        let qualifier = matches!(gap.trim(), "" | "-");
        if qualifier && narrower(m.skill, prev.skill) {
            if let Some(last) = out.last_mut() {
                last.end = m.end;
            }
            continue;
        }
        // "ITIL-baserad ändringshantering", "ITIL-based change management": what a skill is
        // based on qualifies it; the skill is the requirement.
        let based = gap.trim_start_matches(['-', ' ']).trim_end().to_lowercase();
        if matches!(based.as_str(), "baserad" | "baserade" | "baserat" | "based") {
            let start = prev.start;
            out.pop();
            out.push(Mention { start, ..m });
            continue;
        }
        // "Linux (RHEL)", "Infra automation (Ansible)": a narrower skill alone in brackets
        // right after a general one specifies it.
        // "Dynamics ERP (AX and/or D365 F&O)": a few more words of the same bracket may stand
        // around it, but not "or equivalent" ("VMware (VCP eller motsvarande)" asks for VMware).
        let closes = text.get(m.end..).and_then(|rest| rest.split_once(')')).is_some_and(|(inside, _)| {
            let words = inside.split_whitespace().map(str::to_lowercase).collect::<Vec<_>>();
            !inside.contains([',', ';', '('])
                && words.len() <= 4
                && !words.iter().any(|w| EXAMPLE_WORDS.contains(&w.as_str()))
        });
        let opens = gap
            .trim_start()
            .strip_prefix('(')
            .is_some_and(|g| !g.contains([',', ';', ')', '(']) && g.split_whitespace().count() <= 3);
        // "Testautomatisering (QA)", "hybrid project methods (agile sprints within a
        // stage-gate model)": a broader or related skill first in a bracket after a skill only
        // glosses it.
        let related = taxonomy.skill(prev.skill).is_some_and(|s| s.related.binary_search(&m.skill).is_ok());
        let glossing = gap.contains('(')
            && !gap.contains(')')
            && (related || narrower(m.skill, prev.skill))
            && !merit_bracket(text.get(prev.end..).unwrap_or(""));
        if glossing || opens && closes && narrower(m.skill, prev.skill) {
            if let Some(last) = out.last_mut() {
                last.end = m.end;
            }
            continue;
        }
        // "AWS (EKS is a plus)": a bracket of merits keeps both, each with its own kind.
        if opens && closes && narrower(prev.skill, m.skill) && !merit_bracket(text.get(prev.end..).unwrap_or("")) {
            let start = prev.start;
            out.pop();
            out.push(Mention { start, ..m });
            continue;
        }
        // "Infra: VMware", "ITSM processes: incident management": a label before its items.
        let label_colon = gap.contains(':') && gap.split_whitespace().count() <= 2 && !gap.contains([',', ';', '.']);
        let linked = label_colon
            // A link may be a short form with its period: "Systemförvaltn. enl. pm3".
            || (gap.chars().all(|c| c.is_alphanumeric() || c == ' ' || c == '-' || c == '/' || c == '.')
                && !gap.contains("..")
                && gap.split_whitespace().count() <= 3
                && gap
                    .split(|c: char| !c.is_alphanumeric())
                    .filter(|w| !w.is_empty())
                    .all(|w| FIELD_LINKS.contains(&w.to_lowercase().as_str())));
        // "drift av k8s", "förvaltn. av AD", "administration of Exchange": running or
        // maintaining a product is a skill in the product, when no name joins the two.
        let activity = text
            .get(prev.start..prev.end)
            .and_then(|w| w.rsplit(|c: char| !c.is_alphanumeric()).find(|w| !w.is_empty()))
            .is_some_and(|w| ACTIVITIES.contains(&w.to_lowercase().as_str()));
        let of = matches!(gap.trim().to_lowercase().as_str(), "av" | "of" | "against" | "mot");
        let product = !taxonomy.ancestors(m.skill).is_empty();
        if activity && of && product && joined(taxonomy, prev.skill, m.skill).is_none() {
            let start = prev.start;
            out.pop();
            out.push(Mention { start, ..m });
            continue;
        }
        // "CI/CD pipelines built in GitHub Actions": a few words ending on a link ("in",
        // "med") before a narrower skill say which one; only the narrower stays.
        let loosely_linked = !linked
            && gap.split_whitespace().count() <= 3
            && gap.chars().all(|c| c.is_alphanumeric() || c == ' ' || c == '-')
            && gap.split_whitespace().last().is_some_and(|w| FIELD_LINKS.contains(&w.to_lowercase().as_str()))
            && !gap.split_whitespace().any(|w| AND.contains(&w.to_lowercase().as_str()));
        if loosely_linked && narrower(prev.skill, m.skill) {
            let start = prev.start;
            out.pop();
            out.push(Mention { start, ..m });
            continue;
        }
        // "SAP-behörigheter och rollstyrning i SAP": a broader skill after "i"/"in" where a
        // narrower one of it was named earlier in the clause is where the work is done.
        let placed = gap.split_whitespace().last().is_some_and(|w| PLACE_LINKS.contains(&w.to_lowercase().as_str()));
        if placed
            && out
                .iter()
                .rev()
                .take_while(|o| !text.get(o.end..m.start).unwrap_or(".").contains(['.', ';']))
                .any(|o| narrower(m.skill, o.skill))
        {
            continue;
        }
        if !linked {
            out.push(m);
            continue;
        }
        // "Git för versionshantering", "ISO 27001 for information security": the broader
        // skill after a narrower one names what it is for; the narrower one says it all.
        if !label_colon && narrower(m.skill, prev.skill) {
            if let Some(last) = out.last_mut() {
                last.end = m.end;
            }
            continue;
        }
        // A general skill linked to a narrower one gives way to it: "project management within
        // IT infrastructure", "IaC w/ Terraform", "test automation in Playwright" (whoever has
        // the narrower skill has the general one).
        if narrower(prev.skill, m.skill) {
            let start = prev.start;
            out.pop();
            out.push(Mention { start, ..m });
            continue;
        }
        // "project management within IT infrastructure", and adjacent "Infra Proj. Mgmt".
        let adjacent = gap.trim().is_empty();
        // "Proj.led. inom IT-infra": the short form read as "projektledning inom IT", so the
        // skill's broader names join the field too.
        let together = (!label_colon)
            .then(|| {
                std::iter::once(&prev.skill)
                    .chain(taxonomy.ancestors(prev.skill))
                    .find_map(|&s| joined(taxonomy, s, m.skill))
                    .or_else(|| child_of_both(taxonomy, prev.skill, m.skill))
            })
            .flatten()
            .or_else(|| adjacent.then(|| joined(taxonomy, m.skill, prev.skill)).flatten());
        match together {
            // "sys admin i Linux": "Linux administration" names Linux, the narrower of the two.
            Some(skill) if narrower(prev.skill, skill) || narrower(m.skill, skill) || skill == m.skill => {
                let start = prev.start;
                let mut resolution = m.resolution.clone();
                resolution.similarity = resolution.similarity.min(prev.resolution.similarity);
                resolution.skill = Some(skill);
                out.pop();
                out.push(Mention { start, end: m.end, skill, resolution });
            }
            // "backup och återläsning av databaser", "security testing of web applications":
            // a skill applied to a general one names what it works on; the general skill is
            // no requirement of its own.
            _ if of && object_of(taxonomy, prev.skill, m.skill) => {
                if let Some(last) = out.last_mut() {
                    last.end = m.end;
                }
            }
            _ => out.push(m),
        }
    }
    out
}

/// Whether `object`, after "of"/"av" and `skill`, is only what the skill works on: a general
/// skill (one with narrower skills) on another branch than the skill.
fn object_of(taxonomy: &Taxonomy, skill: SkillIdx, object: SkillIdx) -> bool {
    let general = !taxonomy.descendants(object).is_empty();
    let apart = skill != object
        && taxonomy.ancestors(skill).binary_search(&object).is_err()
        && taxonomy.ancestors(object).binary_search(&skill).is_err();
    general && apart && !taxonomy.ancestors(skill).is_empty()
}

/// The mentions of a text as the requirements they name: shared heads and modifiers read
/// out, the most specific skill kept.
pub(super) fn refined(taxonomy: &Taxonomy, text: &str, mentions: Vec<Mention>) -> Vec<Mention> {
    let mentions = shared_modifiers(taxonomy, text, shared_heads(taxonomy, text, mentions));
    listed_in_brackets(taxonomy, text, most_specific(taxonomy, text, mentions))
}

/// "Containrar (Docker, k8s)", "Cloud (AWS or GCP)": a general skill followed by a bracket
/// that lists only narrower skills of it asks for those; the general one gives way. A bracket
/// of examples ("t.ex.", "or equivalent") or holding other words keeps it.
fn listed_in_brackets(taxonomy: &Taxonomy, text: &str, mut mentions: Vec<Mention>) -> Vec<Mention> {
    let mut i = 0;
    while i < mentions.len() {
        let general = &mentions[i];
        let Some(open) = text
            .get(general.end..)
            .filter(|r| r.trim_start().starts_with('('))
            .map(|r| general.end + r.find('(').unwrap_or(0))
        else {
            i += 1;
            continue;
        };
        let Some(close) = text.get(open..).and_then(|r| r.find(')')).map(|c| open + c) else {
            i += 1;
            continue;
        };
        let inside: Vec<&Mention> = mentions[i + 1..].iter().take_while(|m| m.end <= close).collect();
        let mut rest = text.get(open + 1..close).unwrap_or("").to_string();
        for m in inside.iter().rev() {
            rest.replace_range(m.start - open - 1..m.end - open - 1, " ");
        }
        let separators = rest
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .all(|w| AND.contains(&w.to_lowercase().as_str()) || w == "and/or");
        let narrower = |m: &&Mention| taxonomy.ancestors(m.skill).binary_search(&general.skill).is_ok();
        if inside.len() >= 2 && separators && inside.iter().all(narrower) {
            mentions.remove(i);
        } else {
            i += 1;
        }
    }
    mentions
}

/// The skill named by a skill and its field together: "<field> <skill>" in English,
/// "<skill> inom <field>" in Swedish, as exact names.
fn joined(taxonomy: &Taxonomy, skill: SkillIdx, field: SkillIdx) -> Option<SkillIdx> {
    let (s, f) = (taxonomy.skill(skill)?, taxonomy.skill(field)?);
    let exact = |name: String| taxonomy.resolve_exact(&name).and_then(|r| r.skill);
    let first_lower = |l: &str| {
        let mut c = l.chars();
        c.next().map_or(String::new(), |f| f.to_lowercase().chain(c).collect())
    };
    // "networks in Azure": the field's short names too ("azure networking").
    let short_names = f.aliases.iter().filter(|a| !a.contains(' ')).take(4);
    exact(format!("{} {}", f.label_en, first_lower(&s.label_en)))
        .or_else(|| exact(format!("{} inom {}", s.label_sv, f.label_sv)))
        .or_else(|| short_names.into_iter().find_map(|a| exact(format!("{a} {}", first_lower(&s.label_en)))))
        // "utveckling i ServiceNow": the field with the skill's head word ("ServiceNow development").
        .or_else(|| {
            let head = s.label_en.rsplit(' ').next().filter(|h| *h != s.label_en)?;
            exact(format!("{} {}", f.label_en, head.to_lowercase()))
        })
}

/// Whether the bracket opening in `rest` holds a merit phrase ("Java (Kotlin preferred)"):
/// then it names a merit, not a gloss.
fn merit_bracket(rest: &str) -> bool {
    let inside = rest.split_once('(').and_then(|(_, r)| r.split_once(')')).map_or("", |(i, _)| i);
    let t = super::text::Tokens::new(inside);
    t.has_any(super::phrases::CAN_IN_SENTENCE) || t.has_any(super::phrases::PREFER_FORWARD)
}

/// The one skill filed directly under both: "k8s i Azure" is Azure Kubernetes Service.
fn child_of_both(taxonomy: &Taxonomy, a: SkillIdx, b: SkillIdx) -> Option<SkillIdx> {
    if a == b {
        return None;
    }
    let mut both = taxonomy
        .descendants(a)
        .iter()
        .filter(|&&d| taxonomy.skill(d).is_some_and(|s| s.broader.contains(&a) && s.broader.contains(&b)));
    match (both.next(), both.next()) {
        (Some(&one), None) => Some(one),
        _ => None,
    }
}
