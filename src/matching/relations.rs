//! The keys that serve a requirement, from the skill graph: narrower keys and keys that imply
//! it meet it in full, broader keys earn partial credit on can-haves. Free-text keys have no
//! relations.

use std::borrow::Cow;

use super::vector::{FREE_TEXT_BASE, SkillGraph, SkillKey};

/// Narrower keys of `k`.
pub(crate) fn desc(g: &dyn SkillGraph, k: SkillKey) -> &[SkillKey] {
    if k >= FREE_TEXT_BASE { &[] } else { g.descendants(k) }
}

/// Broader keys of `k`.
pub(crate) fn anc(g: &dyn SkillGraph, k: SkillKey) -> &[SkillKey] {
    if k >= FREE_TEXT_BASE { &[] } else { g.ancestors(k) }
}

/// Keys that imply `k`.
pub(crate) fn implying(g: &dyn SkillGraph, k: SkillKey) -> &[SkillKey] {
    if k >= FREE_TEXT_BASE { &[] } else { g.implied_by(k) }
}

/// The keys other than `k` that meet a requirement for `k`: narrower and implying ones,
/// sorted; borrowed when nothing implies `k` (always, for data without implications).
pub(crate) fn meeting(g: &dyn SkillGraph, k: SkillKey) -> Cow<'_, [SkillKey]> {
    let (d, i) = (desc(g, k), implying(g, k));
    if i.is_empty() {
        return Cow::Borrowed(d);
    }
    let mut all = [d, i].concat();
    all.sort_unstable();
    all.dedup();
    Cow::Owned(all)
}
