//! A ranking that leaves some consultants out ([`ConsultantIndex::rank_excluding`]): the
//! ranking of recruiters who hide those already rejected or placed. It ranks as usual, wide
//! enough that the page survives the removals, drops the left-out consultants and takes them
//! out of the totals (each is scored alone to learn whether the plain ranking counted it), so
//! the page and the totals are exactly those of a ranking of an index without them.

use uuid::Uuid;

use super::MatchPage;
use super::evaluate::{Listing, evaluate};
use super::index::ConsultantIndex;
use super::prepare::Prepared;
use super::record::ABSENT_CITY;
use super::vector::{AssignmentQuery, MatchOptions, SkillGraph};

impl ConsultantIndex {
    /// [`ConsultantIndex::rank`] without the consultants in `excluded` (ids not indexed are
    /// ignored): the same items, scores and order as ranking an index that never held them.
    pub fn rank_excluding(
        &self,
        q: &AssignmentQuery,
        g: &dyn SkillGraph,
        o: &MatchOptions,
        excluded: &[Uuid],
    ) -> MatchPage {
        let mut slots: Vec<u32> = excluded.iter().filter_map(|id| self.slots.get(id).copied()).collect();
        slots.sort_unstable();
        slots.dedup();
        if slots.is_empty() {
            return self.rank(q, g, o);
        }
        // The left-out ones take at most `slots.len()` places above the page's end.
        let wide = MatchOptions {
            offset: 0,
            limit: o.offset.saturating_add(o.limit).saturating_add(slots.len()),
            ..o.clone()
        };
        let mut page = self.rank(q, g, &wide);
        let city = q.city.as_deref().map(|c| self.cities.get(c).copied().unwrap_or(ABSENT_CITY));
        let p = Prepared::new(q, g, city, o.today);
        let listing = Listing { include_ineligible: o.include_ineligible, max_missing: o.max_missing };
        let min_score = o.min_score.filter(|m| !m.is_nan());
        let mut scratch = Vec::new();
        let mut ids = Vec::with_capacity(slots.len());
        for slot in slots {
            let Some(r) = self.view(slot) else { continue };
            ids.push(r.rec.id);
            let e = evaluate(r, &p, Some(listing), None, &mut scratch);
            if e.listed && !min_score.is_some_and(|m| e.score < m) {
                page.total = page.total.saturating_sub(1);
                page.total_eligible = page.total_eligible.saturating_sub(usize::from(e.eligible));
            }
        }
        page.items = page.items.into_iter().filter(|m| !ids.contains(&m.id)).skip(o.offset).take(o.limit).collect();
        page
    }
}
