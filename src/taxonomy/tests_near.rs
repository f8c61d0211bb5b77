//! The near-miss scan against two references on random names and misspelt taxonomy keys:
//! the rules applied to every key (brute force), and the bigram-index search that the scan
//! replaced, kept here verbatim. All three must return the same keys with the same
//! distances in the same order, so `nearest` and `near_skills` cannot change.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::sync::OnceLock;

use proptest::prelude::*;

use super::*;
use crate::taxonomy::Taxonomy;

fn index() -> &'static FuzzyIndex {
    static TAX: OnceLock<Taxonomy> = OnceLock::new();
    TAX.get_or_init(|| Taxonomy::builtin().unwrap()).fuzzy()
}

/// The digits of `s`, as the rules state them.
fn digit_string(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// The near-miss rules applied to every key, in id order.
fn brute_force(index: &FuzzyIndex, q: &str) -> Vec<(usize, usize)> {
    let len = q.chars().count();
    let Some(first) = q.chars().next() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (id, key) in index.keys.iter().enumerate() {
        let shorter = key.len.min(len);
        let allowed = max_edits(shorter);
        if allowed == 0
            || key.len.abs_diff(len) > allowed
            || (len < SAME_FIRST_BELOW && !key.text.starts_with(first))
            || digit_string(&key.text) != digit_string(q)
        {
            continue;
        }
        let d = strsim::osa_distance(q, &key.text);
        if d <= allowed && !(shorter < SUBSTITUTION_FROM && is_substitution(q, &key.text)) {
            out.push((id, d));
        }
    }
    out
}

/// Distinct bigrams of `^text$`.
fn bigrams(chars: &[char]) -> Vec<(char, char)> {
    let mut padded = Vec::with_capacity(chars.len() + 2);
    padded.push('\u{2}');
    padded.extend_from_slice(chars);
    padded.push('\u{3}');
    let mut out: Vec<(char, char)> = padded.windows(2).map(|w| (w[0], w[1])).collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// How many bigrams two sorted, distinct bigram lists have in common.
fn shared(a: &[(char, char)], b: &[(char, char)]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// The bigram posting lists and sorted bigram lists of the earlier index.
struct Bigrams {
    lists: HashMap<(char, char), Vec<u32>>,
    of_key: Vec<Vec<(char, char)>>,
}

fn bigram_index(index: &FuzzyIndex) -> &'static Bigrams {
    static BIGRAMS: OnceLock<Bigrams> = OnceLock::new();
    BIGRAMS.get_or_init(|| {
        let of_key: Vec<Vec<(char, char)>> =
            index.keys.iter().map(|k| bigrams(&k.text.chars().collect::<Vec<_>>())).collect();
        let mut lists: HashMap<(char, char), Vec<u32>> = HashMap::new();
        for (id, grams) in of_key.iter().enumerate() {
            for &g in grams {
                lists.entry(g).or_default().push(id as u32);
            }
        }
        Bigrams { lists, of_key }
    })
}

/// The search the scan replaced (commit a4a41be, `FuzzyIndex::near`), unchanged but for
/// reading its posting lists from [`Bigrams`].
fn by_bigrams(index: &FuzzyIndex, q: &str) -> Vec<(usize, usize)> {
    let b = bigram_index(index);
    let chars: Vec<char> = q.chars().collect();
    let k = max_edits(chars.len());
    let Some(&first) = chars.first() else {
        return Vec::new();
    };
    if k == 0 {
        return Vec::new();
    }
    let grams = bigrams(&chars);
    let need = grams.len().saturating_sub(3 * k).max(1);
    let lo = index.keys.partition_point(|x| x.len + k < chars.len());
    let hi = index.keys.partition_point(|x| x.len <= chars.len() + k);
    let mut lists: Vec<&[u32]> = grams
        .iter()
        .map(|g| {
            b.lists.get(g).map_or(&[][..], |list| {
                let start = list.partition_point(|&id| (id as usize) < lo);
                let end = list.partition_point(|&id| (id as usize) < hi);
                &list[start..end]
            })
        })
        .collect();
    lists.sort_unstable_by_key(|l| l.len());
    let probe = (grams.len() + 1).saturating_sub(need);
    let mut candidates: Vec<u32> = lists.iter().take(probe).flat_map(|l| l.iter().copied()).collect();
    candidates.sort_unstable();
    candidates.dedup();
    let q_digits = digit_string(q);
    let mut out = Vec::new();
    for id in candidates {
        let id = id as usize;
        let key = &index.keys[id];
        let shorter = key.len.min(chars.len());
        let allowed = max_edits(shorter);
        if key.len.abs_diff(chars.len()) > allowed
            || (chars.len() < SAME_FIRST_BELOW && !key.text.starts_with(first))
            || shared(&grams, &b.of_key[id]) < need
            || digit_string(&key.text) != q_digits
        {
            continue;
        }
        let d = strsim::osa_distance(q, &key.text);
        if d > allowed || (shorter < SUBSTITUTION_FROM && is_substitution(q, &key.text)) {
            continue;
        }
        out.push((id, d));
    }
    out
}

/// Letters of the folded keys, a few others, and two that no key has.
const ALPHABET: &[char] = &[
    'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', 'p', 'q', 'r', 's', 't', 'u', 'v', 'w',
    'x', 'y', 'z', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', ' ', ' ', '.', '#', '+', 'é', 'ж',
];

/// One edit of `chars` at `at` (wrapped to its length): 0 insert, 1 delete, 2 substitute,
/// 3 swap with the next character.
fn edit(chars: &mut Vec<char>, kind: u8, at: usize, c: char) {
    let n = chars.len();
    match kind % 4 {
        0 => chars.insert(at % (n + 1), c),
        1 if n > 0 => {
            chars.remove(at % n);
        }
        2 if n > 0 => chars[at % n] = c,
        3 if n > 1 => chars.swap(at % (n - 1), at % (n - 1) + 1),
        _ => {}
    }
}

/// A taxonomy key with up to four random edits: near misses, ties and misses at the limits.
fn misspelt_key() -> impl Strategy<Value = String> {
    let edits = prop::collection::vec((any::<u8>(), any::<usize>(), prop::sample::select(ALPHABET)), 0..5);
    (any::<prop::sample::Index>(), edits).prop_map(|(pick, edits)| {
        let keys = &index().keys;
        let mut chars: Vec<char> = keys[pick.index(keys.len())].text.chars().collect();
        for (kind, at, c) in edits {
            edit(&mut chars, kind, at, c);
        }
        chars.into_iter().collect()
    })
}

fn random_name() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(ALPHABET), 0..40).prop_map(|c| c.into_iter().collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn the_scan_finds_what_the_rules_and_the_bigram_index_find(q in prop_oneof![misspelt_key(), random_name()]) {
        let index = index();
        let found = index.near(&q);
        prop_assert_eq!(&found, &brute_force(index, &q), "brute force, {:?}", q);
        prop_assert_eq!(&found, &by_bigrams(index, &q), "bigram index, {:?}", q);
    }

    /// `any_near_with_words` is true exactly when a near miss has that many words, so text
    /// search may skip `nearest` when it is false: then `nearest` finds nothing, or a name
    /// with another number of words, which text search drops.
    #[test]
    fn any_near_with_words_is_true_exactly_when_a_near_miss_has_that_many_words(
        q in prop_oneof![misspelt_key(), random_name()],
    ) {
        let index = index();
        let found = brute_force(index, &q);
        for words in 0..6 {
            let any = found.iter().any(|&(id, _)| index.keys[id].words == words);
            prop_assert_eq!(index.any_near_with_words(&q, words), any, "{:?}, {} words", q, words);
            if !any {
                let nearest = index.nearest(&q).and_then(|r| r.matched).map(|m| normalize(&m).split(' ').count());
                prop_assert_ne!(nearest, Some(words));
            }
        }
    }
}

/// Every tenth key with one letter dropped, doubled or swapped at every position: each
/// must find what the bigram index finds (and, for every hundredth, what the rules find). Most
/// find their own key; short ones find nothing.
#[test]
fn keys_with_one_edit_find_what_the_references_find() {
    let index = index();
    let (mut queries, mut hits) = (0, 0);
    for key in index.keys.iter().step_by(10) {
        let chars: Vec<char> = key.text.chars().collect();
        for at in 0..chars.len() {
            for kind in [0, 1, 3] {
                let mut c = chars.clone();
                edit(&mut c, kind, at, chars[at]);
                let q: String = c.into_iter().collect();
                let found = index.near(&q);
                assert_eq!(found, by_bigrams(index, &q), "{q:?}");
                if queries % 100 == 0 {
                    assert_eq!(found, brute_force(index, &q), "{q:?}");
                }
                queries += 1;
                hits += usize::from(!found.is_empty());
            }
        }
    }
    assert!(hits > queries / 2, "only {hits} near misses in {queries} queries: the test no longer exercises the scan");
}

#[test]
fn digits_pack_without_collisions() {
    let cases = ["", "0", "00", "1", "01", "10", "27001", "270010", "999999999999999999"];
    for (i, a) in cases.iter().enumerate() {
        for (j, b) in cases.iter().enumerate() {
            assert_eq!(Digits::of(a) == Digits::of(b), i == j, "{a:?} vs {b:?}");
        }
    }
    assert!(matches!(Digits::of("iso 27001"), Digits::Packed(_)));
    assert_eq!(Digits::of("1234567890123456789"), Digits::Long("1234567890123456789".into()));
    assert_ne!(Digits::of("1234567890123456789"), Digits::of("123456789012345678"));
}
