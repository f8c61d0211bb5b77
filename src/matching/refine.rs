//! Best bound first: the candidates that pass the gates, each with a bound on its score, are
//! made exact in the order of their bounds ([`best_first`], [`best_chunk`]), and only while
//! a bound can still enter the top k. Used by `rank.rs`.

use super::Ranker;

/// A candidate in [`best_first`] with its tighter bound, its exact must-have component and,
/// once refined again, its exact can-have component (then its bound is all but exact).
pub(super) struct Refined {
    bound: f64,
    must: f64,
    can: Option<f64>,
    slot: u32,
}

/// How [`best_first`] tightens a candidate's bound, in two steps: `must(slot, bound)` gives
/// the bound with the exact must-have component and that component (`None` when the slot
/// turns out not to meet a must-have); `can(slot, bound)` the bound with the exact can-have
/// component as well, and that component.
pub(super) struct Refine<M, C> {
    pub(super) must: M,
    pub(super) can: C,
}

impl PartialEq for Refined {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other).is_eq()
    }
}

impl Eq for Refined {}

impl PartialOrd for Refined {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Refined {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.bound.total_cmp(&other.bound)
    }
}

/// First bounds are taken a chunk of about this many at a time ([`best_chunk`]: the best
/// ones left, not sorted) and all refined for the must-have component in one tight loop,
/// whose independent look-ups overlap. A ranking refines a few hundred of its candidates, so
/// most rankings take one chunk; A/B at 100k / 1M consultants: one at a time in sorted order
/// 97.8 / 731 µs a query, chunks of 128 95.3 / 728, 256 94.9 / 695, 512 102.2 / 657
/// (`docs/PERFORMANCE.md`).
pub(super) const FIRST_CHUNK: usize = 256;

/// Candidates given their can-have component together, at most ([`best_first`]): the best
/// one and up to three more waiting for it. Paired A/B at 100k, medians of 12: 139.2 → 135.0
/// and 139.9 → 136.3 µs (8 together: 136.9); at 1M no change (`docs/PERFORMANCE.md`).
pub(super) const CAN_BATCH: usize = 4;

/// A candidate's first bound and its slot.
pub(super) type First = (f64, u32);

/// First bounds sampled to pick [`best_chunk`]'s threshold.
pub(super) const SAMPLE: usize = 64;

/// Splits `first` into a chunk of about its best [`FIRST_CHUNK`] bounds (all of them when
/// there are not more), the rest, and a bound no bound in the rest exceeds (−∞ when it is
/// empty). The chunk is every bound at or above a threshold taken from an evenly spaced
/// sample, found in one pass: a selection did the same in ten times the instructions. Should
/// ties make the chunk much larger, its best `FIRST_CHUNK` are selected after all.
pub(super) fn best_chunk(first: &mut [First]) -> (&mut [First], &mut [First], f64) {
    let n = first.len();
    if n <= FIRST_CHUNK {
        return (first, &mut [], f64::NEG_INFINITY);
    }
    let step = n / SAMPLE;
    let mut sample: [f64; SAMPLE] = std::array::from_fn(|i| first[i * step].0);
    // The sample's best `pick + 1` stand for the best `(pick + 1) × step` of all.
    let pick = ((SAMPLE * FIRST_CHUNK + n / 2) / n).clamp(1, SAMPLE) - 1;
    let desc = |a: &f64, b: &f64| b.total_cmp(a);
    let threshold = *sample.select_nth_unstable_by(pick, desc).1;
    let (mut taken, mut below) = (0, f64::NEG_INFINITY);
    for i in 0..n {
        let bound = first[i].0;
        if bound >= threshold {
            first.swap(i, taken);
            taken += 1;
        } else {
            below = below.max(bound);
        }
    }
    if taken == 0 || taken > 4 * FIRST_CHUNK {
        // (None taken only with a NaN threshold: select from all, so the chunk is never empty.)
        let within = if taken == 0 { n } else { taken };
        first[..within].select_nth_unstable_by(FIRST_CHUNK - 1, |a, b| desc(&a.0, &b.0));
        below = below.max(first[FIRST_CHUNK - 1].0);
        taken = FIRST_CHUNK;
    }
    let (head, rest) = first.split_at_mut(taken);
    (head, rest, below)
}

/// Settles eligible candidates, best bound first. Each comes with a first bound (`first`:
/// bound, slot); the best ones are refined a chunk at a time ([`Refine`]: first the must-have
/// component from the postings, [`FIRST_CHUNK`] at once, skipping and counting those the top
/// k already beat) and wait in a heap with the tighter bound; the best one there is refined
/// again (the can-have component, together with up to [`CAN_BATCH`]` - 1` next best also
/// waiting for it) and waits again; once the best bound left is a twice-refined one, that
/// candidate is scored (`score(slot, must, can, ranker)`, which offers it). The next chunk
/// is taken once the best bound in the heap falls below the best first bound left out of the
/// chunks.
/// Without `min_score`, once the kept top k beat the best bound left, every candidate left is
/// only counted: its score is at most its bound. With it, every candidate is scored unless a
/// bound falls below it. Ties in bound may come in any order; the kept top k and the counts do
/// not depend on it.
pub(super) fn best_first<M, C>(
    mut first: Vec<First>,
    ranker: &mut Ranker,
    min_score: Option<f64>,
    mut refine: Refine<M, C>,
    mut score: impl FnMut(u32, f64, f64, &mut Ranker),
) where
    M: FnMut(u32, f64) -> Option<(f64, f64)>,
    C: FnMut(u32, f64) -> Option<(f64, f64)>,
{
    let keep = |bound: f64| min_score.is_none_or(|m| bound >= m);
    let mut rest: &mut [First] = &mut first;
    // Sized for a chunk ([`best_chunk`] takes up to 4 × `FIRST_CHUNK`): no regrowth in most
    // rankings.
    let mut refined = std::collections::BinaryHeap::with_capacity(rest.len().min(4 * FIRST_CHUNK));
    let mut batch: Vec<Refined> = Vec::with_capacity(rest.len().min(4 * FIRST_CHUNK));
    // At least every first bound left in `rest`; −∞ once it is empty.
    let mut ceiling = f64::NEG_INFINITY;
    loop {
        let top = refined.peek().map_or(f64::NEG_INFINITY, |r: &Refined| r.bound);
        if (!rest.is_empty() && top < ceiling) || refined.is_empty() {
            if rest.is_empty() {
                return;
            }
            let (head, tail, below) = best_chunk(std::mem::take(&mut rest));
            rest = tail;
            ceiling = below;
            if min_score.is_none() && ranker.cannot_enter(head.iter().fold(top, |m, c| m.max(c.0))) {
                ranker.count_unranked_eligible(head.len() + rest.len() + refined.len());
                return;
            }
            // Without `min_score`, one the kept top k already beat is only counted.
            let mut beaten = 0;
            batch.extend(head.iter().filter_map(|&(bound, slot)| {
                if min_score.is_none() && ranker.cannot_enter(bound) {
                    beaten += 1;
                    return None;
                }
                let (bound, must) = (refine.must)(slot, bound)?;
                keep(bound).then_some(Refined { bound, must, can: None, slot })
            }));
            ranker.count_unranked_eligible(beaten);
            refined.extend(batch.drain(..));
            continue;
        }
        if min_score.is_none() && ranker.cannot_enter(top.max(ceiling)) {
            ranker.count_unranked_eligible(rest.len() + refined.len());
            return;
        }
        match refined.pop() {
            Some(Refined { must, can: Some(can), slot, .. }) => score(slot, must, can, ranker),
            Some(first @ Refined { can: None, .. }) => {
                // The next best waiting for the same refinement go with it: their look-ups
                // overlap, and most of them would be refined next anyway.
                batch.push(first);
                while batch.len() < CAN_BATCH
                    && let Some(next) = refined.peek_mut()
                    && next.can.is_none()
                {
                    batch.push(std::collections::binary_heap::PeekMut::pop(next));
                }
                for Refined { bound, must, slot, .. } in batch.drain(..) {
                    if let Some((bound, can)) = (refine.can)(slot, bound)
                        && keep(bound)
                    {
                        refined.push(Refined { bound, must, can: Some(can), slot });
                    }
                }
            }
            None => return,
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    /// Whatever the bounds (all tied, few values, distinct, a NaN), a chunk is never empty nor
    /// over 4 × `FIRST_CHUNK` once there are more, holds no bound below one left out, and
    /// the bound it reports is at least every bound left out: what `best_first` relies on.
    #[test]
    fn best_chunk_takes_the_best_and_bounds_the_rest() {
        let mut rng = crate::matching::synth::SplitMix64::new(5);
        for n in [0, 1, 255, 256, 257, 300, 1_000, 5_000, 40_000] {
            for values in [1, 3, 50, u64::MAX] {
                let mut first: Vec<(f64, u32)> =
                    (0..n).map(|s| ((rng.below(values.min(1 << 40)) as f64) / 7.0, s as u32)).collect();
                if n > 600 && values == 50 {
                    first[n / 2].0 = f64::NAN;
                }
                let nan = first.iter().any(|f| f.0.is_nan());
                let (head, rest, below) = best_chunk(&mut first);
                assert_eq!(head.len() + rest.len(), n);
                assert!(n == 0 || !head.is_empty(), "n {n} values {values}");
                if n > FIRST_CHUNK {
                    assert!(head.len() <= 4 * FIRST_CHUNK, "n {n} values {values}: {}", head.len());
                }
                if rest.is_empty() {
                    assert_eq!(below, f64::NEG_INFINITY);
                }
                let rest_max = rest.iter().map(|r| r.0).fold(f64::NEG_INFINITY, f64::max);
                assert!(rest_max <= below, "n {n} values {values}");
                if !nan {
                    assert!(head.iter().all(|h| h.0 >= rest_max), "n {n} values {values}");
                }
                let mut slots: Vec<u32> = head.iter().chain(rest.iter()).map(|c| c.1).collect();
                slots.sort_unstable();
                assert!(slots.iter().copied().eq(0..n as u32));
            }
        }
    }
}
