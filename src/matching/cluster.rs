//! An order of consultants that puts those with similar skills next to each other, so the
//! candidates of a ranking (the holders of a few related must-haves) lie in a few stretches of
//! the index's slots rather than all over them: the records, hot parts, postings and gate
//! bitmaps a ranking reads then share cache lines and pages. Rankings give the same results in
//! any slot order (ties are broken by id); only their speed depends on it.
//!
//! The order is spherical k-means over skill keys: [`CLUSTERS`] centroids are fitted on an
//! evenly spaced sample of at most [`SAMPLE`] consultants, every consultant goes to the
//! centroid its keys weigh most in (cosine similarity), and the clusters follow each other,
//! each in the original order. Deterministic: the same key sets give the same order.

use super::record::PSkill;
use super::vector::{FREE_TEXT_BASE, SkillKey};

/// How many clusters the slots are grouped into.
pub(crate) const CLUSTERS: usize = 64;
/// How many consultants the centroids are fitted on, at most.
const SAMPLE: usize = 4096;
/// Fitting rounds over the sample.
const ROUNDS: usize = 6;
/// Below this many consultants the order is left as it is: a small index fits in cache anyway.
pub(crate) const MIN_CONSULTANTS: usize = 4 * SAMPLE;

/// Skill keys numbered densely: taxonomy keys seen in the sample; free text and keys the
/// sample never saw take no part (they weigh nothing in any centroid).
struct Dims {
    by_key: Vec<u32>,
    len: usize,
}

const NONE: u32 = u32::MAX;

impl Dims {
    fn of<'a>(sets: impl Iterator<Item = &'a [PSkill]>) -> Self {
        let mut d = Dims { by_key: Vec::new(), len: 0 };
        for k in sets.flatten().map(|s| s.key) {
            if k >= FREE_TEXT_BASE {
                continue;
            }
            let k = k as usize;
            if k >= d.by_key.len() {
                d.by_key.resize(k + 1, NONE);
            }
            if d.by_key[k] == NONE {
                d.by_key[k] = d.len as u32;
                d.len += 1;
            }
        }
        d
    }

    #[inline]
    fn get(&self, k: SkillKey) -> Option<usize> {
        self.by_key.get(k as usize).filter(|d| **d != NONE).map(|d| *d as usize)
    }
}

/// Centroids, key-major: `weights[dim * CLUSTERS + c]` is cluster `c`'s share of members
/// holding the key, divided by the centroid's length (so a dot product is a cosine, up to the
/// consultant's own length, which does not change the argmax).
struct Centroids {
    weights: Vec<f32>,
}

impl Centroids {
    /// The cluster whose centroid `keys` weigh most in (the first of equals; 0 without keys).
    fn nearest(&self, dims: &Dims, skills: &[PSkill], acc: &mut [f32; CLUSTERS]) -> usize {
        acc.fill(0.0);
        for s in skills {
            if let Some(d) = dims.get(s.key) {
                let row = &self.weights[d * CLUSTERS..(d + 1) * CLUSTERS];
                acc.iter_mut().zip(row).for_each(|(a, w)| *a += w);
            }
        }
        let mut best = 0;
        for (c, v) in acc.iter().enumerate() {
            if *v > acc[best] {
                best = c;
            }
        }
        best
    }

    /// Centroids from members: per cluster, the share of its members holding each key,
    /// normalised to length 1. A cluster without members keeps its old centroid.
    fn fit<'a>(&mut self, dims: &Dims, members: impl Iterator<Item = (usize, &'a [PSkill])>) {
        let mut counts = vec![0.0f32; dims.len * CLUSTERS];
        let mut sizes = [0u32; CLUSTERS];
        for (c, skills) in members {
            sizes[c] += 1;
            for d in skills.iter().filter_map(|s| dims.get(s.key)) {
                counts[d * CLUSTERS + c] += 1.0;
            }
        }
        for (c, &size) in sizes.iter().enumerate() {
            if size == 0 {
                continue;
            }
            let norm = (0..dims.len).map(|d| counts[d * CLUSTERS + c].powi(2)).sum::<f32>().sqrt();
            for d in 0..dims.len {
                self.weights[d * CLUSTERS + c] = if norm > 0.0 { counts[d * CLUSTERS + c] / norm } else { 0.0 };
            }
        }
    }
}

/// The positions of `sets` (each consultant's skills) in clustered order: a permutation of
/// `0..sets.len()`, the identity below [`MIN_CONSULTANTS`].
pub(crate) fn order(sets: &[&[PSkill]]) -> Vec<usize> {
    let n = sets.len();
    if n < MIN_CONSULTANTS {
        return (0..n).collect();
    }
    let sample: Vec<usize> = (0..SAMPLE).map(|i| i * n / SAMPLE).collect();
    let dims = Dims::of(sample.iter().map(|&i| sets[i]));
    // Seeds: CLUSTERS sample members spread over the sample, each its own first member.
    let mut centroids = Centroids { weights: vec![0.0; dims.len * CLUSTERS] };
    centroids.fit(&dims, (0..CLUSTERS).map(|c| (c, sets[sample[c * SAMPLE / CLUSTERS]])));
    let mut acc = [0.0f32; CLUSTERS];
    let mut labels = vec![0usize; sample.len()];
    for _ in 0..ROUNDS {
        for (label, &i) in labels.iter_mut().zip(&sample) {
            *label = centroids.nearest(&dims, sets[i], &mut acc);
        }
        centroids.fit(&dims, labels.iter().zip(&sample).map(|(&c, &i)| (c, sets[i])));
    }
    let mut all: Vec<(u8, u32)> =
        sets.iter().enumerate().map(|(i, keys)| (centroids.nearest(&dims, keys, &mut acc) as u8, i as u32)).collect();
    all.sort_unstable();
    all.into_iter().map(|(_, i)| i as usize).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matching::synth::consultants;

    fn keysets(n: usize) -> Vec<Vec<PSkill>> {
        consultants(7).take(n).map(|c| c.skills.iter().map(PSkill::new).collect()).collect()
    }

    fn free_text(key: SkillKey) -> PSkill {
        PSkill { key, years: 0, level: 0, resolved: 3 }
    }

    #[test]
    fn the_order_is_a_permutation_and_the_same_every_time() {
        let sets = keysets(MIN_CONSULTANTS + 123);
        let refs: Vec<&[PSkill]> = sets.iter().map(Vec::as_slice).collect();
        let order = order(&refs);
        let mut seen = order.clone();
        seen.sort_unstable();
        assert_eq!(seen, (0..refs.len()).collect::<Vec<_>>());
        assert_ne!(order, seen, "a large index is reordered");
        assert_eq!(super::order(&refs), order);
    }

    #[test]
    fn a_small_index_keeps_its_order() {
        let sets = keysets(100);
        let refs: Vec<&[PSkill]> = sets.iter().map(Vec::as_slice).collect();
        assert_eq!(order(&refs), (0..100).collect::<Vec<_>>());
    }

    /// Neighbours in the clustered order share more keys than neighbours in the original one:
    /// what makes a ranking's candidates lie close together.
    #[test]
    fn neighbours_share_more_skills_once_clustered() {
        let sets = keysets(MIN_CONSULTANTS * 2);
        let refs: Vec<&[PSkill]> = sets.iter().map(Vec::as_slice).collect();
        let shared = |seq: &[usize]| -> usize {
            let shares = |a: &[PSkill], b: &[PSkill]| a.iter().filter(|s| b.iter().any(|t| t.key == s.key)).count();
            seq.windows(2).map(|w| shares(refs[w[0]], refs[w[1]])).sum()
        };
        let before = shared(&(0..refs.len()).collect::<Vec<_>>());
        let after = shared(&order(&refs));
        assert!(after > before * 3 / 2, "{after} shared keys between neighbours against {before}");
    }

    #[test]
    fn free_text_and_empty_profiles_are_ordered_too() {
        let mut sets = keysets(MIN_CONSULTANTS);
        sets[5] = vec![];
        sets[9] = vec![free_text(FREE_TEXT_BASE + 3), free_text(FREE_TEXT_BASE)];
        let refs: Vec<&[PSkill]> = sets.iter().map(Vec::as_slice).collect();
        let mut order = order(&refs);
        order.sort_unstable();
        assert_eq!(order, (0..refs.len()).collect::<Vec<_>>());
    }
}
