//! Personal qualities an assignment lists without a weight: every explanation shows them as
//! "to assess in interview" (status [`Status::ToAssess`], 0 points), naming the profile's
//! skill that speaks to one, if any. They are never scored, so they touch neither the gates
//! nor the ranking: this runs only when a result is explained.
//!
//! (A quality the assignment weights is a can-have in [`super::AssignmentQuery::can`],
//! flagged [`super::Want::quality`]: scored as one and explained as a quality.)

use super::detail::Detail;
use super::explain::{Explanation, Kind, Relation, Status};
use super::prepare::Prepared;
use super::record::View;
use super::relations::{desc, meeting};
use super::vector::SkillKey;

/// How a profile key relates to a quality's key, given the other keys that meet the quality
/// (`meets`, sorted): the same, narrower or implying, else `None`.
fn relation(p: &Prepared<'_>, have: SkillKey, want: SkillKey, meets: &[SkillKey]) -> Option<Relation> {
    if have == want {
        return Some(Relation::Same);
    }
    meets.binary_search(&have).ok()?;
    let narrower = desc(p.g, want).binary_search(&have).is_ok();
    Some(if narrower { Relation::Narrower } else { Relation::Implied })
}

/// One item per unweighted quality, in the assignment's order.
pub(crate) fn items(d: &mut Detail, r: View<'_>, p: &Prepared<'_>) {
    for quality in &p.q.qualities {
        let meets = meeting(p.g, quality.key);
        // The same skill first, then the first narrower or implying one in profile order.
        let found = r
            .rec
            .skills
            .iter()
            .enumerate()
            .filter_map(|(pos, s)| Some((relation(p, s.key, quality.key, &meets)?, pos, s)))
            .min_by_key(|(relation, pos, _)| (*relation != Relation::Same, *pos));
        d.explanation.push(Explanation {
            kind: Kind::Quality,
            requirement: quality.label.clone(),
            status: Status::ToAssess,
            consultant_skill: found.map(|(_, pos, _)| pos),
            resolved: found.and_then(|(_, _, s)| s.resolved()),
            relation: found.map(|(relation, _, _)| relation),
            skill_key: found.map(|(_, _, s)| s.key),
            points: 0.0,
        });
    }
}
