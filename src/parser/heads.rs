//! Names that share their head with the mention after them: "incident and change
//! management", "incident-, problem- och ändringshantering".

use crate::taxonomy::{Mention, Resolution, SkillIdx, Taxonomy};

/// Words that join two names sharing their last word: "incident and change management",
/// "incident- och problemhantering".
pub(super) const AND: &[&str] = &["and", "och", "&", "or", "eller", "samt"];

/// Names that share their head with the mention after them: in "incident and change
/// management" the first name is "incident management", in "incident- och
/// problemhantering" it is "incidenthantering". Added when the taxonomy has the name
/// exactly.
pub(super) fn shared_heads(taxonomy: &Taxonomy, text: &str, mentions: Vec<Mention>) -> Vec<Mention> {
    let mut out: Vec<Mention> = Vec::with_capacity(mentions.len());
    for m in mentions {
        let before = text.get(..m.start).unwrap_or("");
        let taken = out.last().map_or(0, |p| p.end);
        if let Some(extra) = head_shared_with(taxonomy, text, before, taken, &m) {
            // "incident-, problem- och ändringshantering": more stems listed before it.
            let mut extras = vec![extra];
            while let Some(more) = extras.last().and_then(|e| listed_stem(taxonomy, text, e.start, taken, &m)) {
                extras.push(more);
            }
            out.extend(extras.into_iter().rev());
        }
        out.push(m);
    }
    out
}

/// Names that share their first word with the mention before them: in "Azure Policy and
/// governance" the second name is "Azure governance", not governance of IT in general; in
/// "IT Infra/Ops" the second is "IT Ops". Read
/// so when the shared word names a skill (a product, a platform) and the taxonomy has the
/// joined name exactly, as a skill narrower than it.
pub(super) fn shared_modifiers(taxonomy: &Taxonomy, text: &str, mut mentions: Vec<Mention>) -> Vec<Mention> {
    for i in 1..mentions.len() {
        let (before, after) = mentions.split_at_mut(i);
        let (Some(prev), Some(m)) = (before.last(), after.first_mut()) else { continue };
        let gap = text.get(prev.end..m.start).unwrap_or("").trim();
        if !AND.iter().any(|a| a.eq_ignore_ascii_case(gap)) {
            continue;
        }
        let Some((modifier, _)) = text.get(prev.start..prev.end).and_then(|w| w.split_once(' ')) else { continue };
        let Some(platform) = taxonomy.resolve_exact(modifier).and_then(|r| r.skill) else { continue };
        let Some(written) = text.get(m.start..m.end) else { continue };
        let joined = taxonomy.resolve_exact(&format!("{modifier} {written}")).filter(|r| {
            r.skill.is_some_and(|s| s != m.skill && taxonomy.ancestors(s).binary_search(&platform).is_ok())
        });
        if let Some((skill, resolution)) = joined.and_then(|r| Some((r.skill?, r))) {
            m.skill = skill;
            m.resolution = resolution;
        }
    }
    // "IT Infra/Ops": a word after a slash that names nothing alone shares the modifier.
    if !text.contains('/') {
        return mentions;
    }
    let mut out = Vec::with_capacity(mentions.len());
    for (i, prev) in mentions.iter().enumerate() {
        out.push(prev.clone());
        let next_start = mentions.get(i + 1).map_or(text.len(), |n| n.start);
        if let Some(extra) = slashed(taxonomy, text, prev, next_start) {
            out.push(extra);
        }
    }
    out
}

/// The mention of the word after "<modifier> <name>/", read with the modifier, if the
/// taxonomy has the joined name exactly and no mention covers the word.
fn slashed(taxonomy: &Taxonomy, text: &str, prev: &Mention, next_start: usize) -> Option<Mention> {
    let rest = text.get(prev.end..)?.strip_prefix('/')?;
    let len = rest.find(|c: char| !c.is_alphanumeric()).unwrap_or(rest.len());
    let start = prev.end + 1;
    if len < 2 || start + len > next_start {
        return None;
    }
    let (modifier, _) = text.get(prev.start..prev.end)?.split_once(' ')?;
    let found = taxonomy
        .resolve_exact(&format!("{modifier} {}", rest.get(..len)?))
        .filter(|r| r.skill.is_some_and(|s| s != prev.skill))?;
    Some(Mention { start, end: start + len, skill: found.skill?, resolution: found })
}

/// The mention of "<word> and <m>" with `m`'s head, if the taxonomy knows it.
fn head_shared_with(taxonomy: &Taxonomy, text: &str, before: &str, taken: usize, m: &Mention) -> Option<Mention> {
    let mut words = before.split_whitespace().rev();
    let and = words.next()?;
    if !AND.contains(&and.to_lowercase().as_str()) {
        return None;
    }
    let word = words.next()?;
    let word_start = before.rfind(word)?;
    if word_start < taken || word.len() < 2 || !word.trim_end_matches('-').chars().all(char::is_alphanumeric) {
        return None;
    }
    let written = text.get(m.start..m.end)?;
    let exact = |name: &str| taxonomy.resolve_exact(name).filter(|r| r.skill.is_some_and(|s| s != m.skill));
    let found = if let Some(stem) = word.strip_suffix('-') {
        stem_compound(taxonomy, stem, written, m.skill)
    } else {
        let (_, head) = written.split_once(' ')?;
        exact(&format!("{word} {head}"))
    }?;
    Some(Mention { start: word_start, end: word_start + word.len(), skill: found.skill?, resolution: found })
}

/// The stem listed with a comma before the one at `next` ("incident-, problem- och
/// ändringshantering"), as a mention with `m`'s tail.
fn listed_stem(taxonomy: &Taxonomy, text: &str, next: usize, taken: usize, m: &Mention) -> Option<Mention> {
    let before = text.get(..next)?.trim_end().strip_suffix(',')?;
    let word = before.split_whitespace().next_back()?;
    let stem = word.strip_suffix('-').filter(|s| s.len() >= 2 && s.chars().all(char::is_alphanumeric))?;
    let word_start = before.len() - word.len();
    if word_start < taken {
        return None;
    }
    let found = stem_compound(taxonomy, stem, text.get(m.start..m.end)?, m.skill)?;
    Some(Mention { start: word_start, end: word_start + word.len(), skill: found.skill?, resolution: found })
}

/// A Swedish compound: the stem joined to a tail of the mention's word, if the taxonomy has
/// it exactly as another skill than `not`.
fn stem_compound(taxonomy: &Taxonomy, stem: &str, written: &str, not: SkillIdx) -> Option<Resolution> {
    (3..written.len().saturating_sub(3)).filter(|&i| written.is_char_boundary(i)).find_map(|i| {
        taxonomy.resolve_exact(&format!("{stem}{}", &written[i..])).filter(|r| r.skill.is_some_and(|s| s != not))
    })
}
