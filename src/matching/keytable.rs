//! The query's skills as a tiny hash table, so a consultant's skills are matched against every
//! must-have and can-have in one pass: each consultant skill costs one multiply and a bit test
//! when it is irrelevant (most are), and a short probe when it might be.

use super::explain::Relation;
use super::vector::SkillKey;

/// One requirement a key serves, and how.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Target {
    /// Index into the query's requirements: must-haves first, then can-haves.
    pub req: u32,
    pub relation: Relation,
}

/// Keys → the requirements they serve.
#[derive(Clone, Debug, Default)]
pub(crate) struct KeyTable {
    /// One bit per `filter_bit(key)` present: a cheap first rejection.
    filter: u64,
    shift: u32,
    /// Open addressing: 0 is empty, otherwise an index + 1 into `entries`.
    slots: Vec<u32>,
    entries: Vec<(SkillKey, u32, u32)>,
    targets: Vec<Target>,
}

fn filter_bit(k: SkillKey) -> u64 {
    1u64 << (k.wrapping_mul(0x85EB_CA77) >> 26)
}

impl KeyTable {
    /// Builds from `(requirement, key, relation)` triples given in priority order per
    /// requirement (same, then narrower, then broader); later duplicates are ignored.
    pub fn new(mut pairs: Vec<(u32, SkillKey, Relation)>) -> Self {
        // Stable sort: per (key, requirement) the first given (highest priority) comes first.
        pairs.sort_by_key(|(req, key, _)| (*key, *req));
        pairs.dedup_by_key(|(req, key, _)| (*key, *req));
        let mut t = KeyTable::default();
        for (req, key, relation) in pairs {
            if t.entries.last().is_none_or(|e| e.0 != key) {
                let at = t.targets.len() as u32;
                t.entries.push((key, at, at));
            }
            t.targets.push(Target { req, relation });
            if let Some(e) = t.entries.last_mut() {
                e.2 += 1;
            }
            t.filter |= filter_bit(key);
        }
        let size = (t.entries.len() * 2).next_power_of_two().max(8);
        t.shift = 32 - size.trailing_zeros();
        t.slots = vec![0; size];
        for (i, e) in t.entries.iter().enumerate() {
            let mut h = t.home(e.0);
            while t.slots[h] != 0 {
                h = (h + 1) & (size - 1);
            }
            t.slots[h] = i as u32 + 1;
        }
        t
    }

    fn home(&self, k: SkillKey) -> usize {
        (k.wrapping_mul(0x9E37_79B1) >> self.shift) as usize
    }

    /// The requirements `k` serves (empty for most keys).
    #[inline]
    pub fn get(&self, k: SkillKey) -> &[Target] {
        if self.filter & filter_bit(k) == 0 {
            return &[];
        }
        let mask = self.slots.len() - 1;
        let mut h = self.home(k);
        loop {
            match self.slots[h] {
                0 => return &[],
                i => {
                    let (key, from, to) = self.entries[i as usize - 1];
                    if key == k {
                        return &self.targets[from as usize..to as usize];
                    }
                }
            }
            h = (h + 1) & mask;
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn finds_exactly_the_keys_it_was_given(keys in prop::collection::vec(any::<u32>(), 0..40), probes in prop::collection::vec(any::<u32>(), 0..40)) {
            let pairs: Vec<(u32, SkillKey, Relation)> = keys.iter().enumerate().map(|(i, k)| (i as u32, *k, Relation::Same)).collect();
            let t = KeyTable::new(pairs);
            for (i, k) in keys.iter().enumerate() {
                prop_assert!(t.get(*k).iter().any(|x| x.req == i as u32));
            }
            for p in probes {
                let want = keys.iter().filter(|k| **k == p).count();
                prop_assert_eq!(t.get(p).len(), want);
            }
        }
    }
}
