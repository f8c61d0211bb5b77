//! Bounded top-k selection in ranking order: score descending (`f64::total_cmp`), ties by id
//! ascending. Keeps at most k entries in a heap whose top is the worst kept, so ranking n
//! candidates costs O(n log k), not a full sort.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use uuid::Uuid;

/// A candidate's place in the ranking; `slot` says where to find it again.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Ranked {
    pub score: f64,
    pub id: Uuid,
    pub slot: u32,
}

impl Ranked {
    /// Ranking order: `Less` ranks first.
    pub fn rank_cmp(&self, other: &Self) -> Ordering {
        other.score.total_cmp(&self.score).then_with(|| self.id.cmp(&other.id))
    }
}

impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.rank_cmp(other) == Ordering::Equal
    }
}

impl Eq for Ranked {}

impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> Ordering {
        self.rank_cmp(other)
    }
}

/// The best `k` seen so far.
#[derive(Debug)]
pub(crate) struct TopK {
    k: usize,
    heap: BinaryHeap<Ranked>,
}

impl TopK {
    pub fn new(k: usize) -> Self {
        TopK { k, heap: BinaryHeap::with_capacity(k.min(4096)) }
    }

    pub fn push(&mut self, item: Ranked) {
        if self.heap.len() < self.k {
            self.heap.push(item);
        } else if let Some(mut worst) = self.heap.peek_mut()
            && item < *worst
        {
            *worst = item;
        }
    }

    /// The worst kept entry once `k` are kept; with `k = 0` nothing can ever enter.
    pub fn worst(&self) -> Option<Ranked> {
        if self.k == 0 {
            return Some(Ranked { score: f64::INFINITY, id: uuid::Uuid::nil(), slot: 0 });
        }
        if self.heap.len() < self.k { None } else { self.heap.peek().copied() }
    }

    /// The kept entries, best first.
    pub fn into_sorted(self) -> Vec<Ranked> {
        self.heap.into_sorted_vec()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn top_k_equals_sorting_everything(scores in prop::collection::vec((0u8..20, any::<u128>()), 0..200), k in 0usize..50) {
            let items: Vec<Ranked> = scores.iter().enumerate()
                .map(|(i, (s, id))| Ranked { score: f64::from(*s) / 2.0, id: Uuid::from_u128(*id), slot: i as u32 })
                .collect();
            let mut top = TopK::new(k);
            items.iter().for_each(|r| top.push(*r));
            let mut all = items.clone();
            all.sort_by(Ranked::rank_cmp);
            all.truncate(k);
            let got: Vec<u32> = top.into_sorted().iter().map(|r| r.slot).collect();
            let want: Vec<u32> = all.iter().map(|r| r.slot).collect();
            prop_assert_eq!(got, want);
        }
    }
}
