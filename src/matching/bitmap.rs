//! Slot bitmaps: one bit per slot, 64 slots to a `u64` word. Shared by the dense posting
//! lists ([`super::postings`]), the gate bitmaps ([`super::gatebits`]) and the candidate sets
//! of a ranking.

/// The word holding `slot`, and its bit in that word.
#[inline]
pub(crate) fn word_bit(slot: u32) -> (usize, u64) {
    (slot as usize / 64, 1u64 << (slot % 64))
}

/// Words for `slots` slots.
pub(crate) fn words(slots: usize) -> usize {
    slots.div_ceil(64)
}

/// Sets or clears `slot`'s bit, growing the bitmap as needed.
pub(crate) fn put(bits: &mut Vec<u64>, slot: u32, on: bool) {
    let (w, bit) = word_bit(slot);
    if bits.len() <= w {
        bits.resize(w + 1, 0);
    }
    if on {
        bits[w] |= bit;
    } else {
        bits[w] &= !bit;
    }
}

/// The slots set in a bitmap, ascending.
pub(crate) fn set_bits(bits: &[u64]) -> impl Iterator<Item = u32> + '_ {
    bits.iter().enumerate().flat_map(|(w, &word)| {
        let mut word = word;
        std::iter::from_fn(move || {
            (word != 0).then(|| {
                let b = word.trailing_zeros();
                word &= word - 1;
                (w * 64) as u32 + b
            })
        })
    })
}

/// Calls `f` with the slots set in a bitmap, ascending, in blocks of at most `N` (the last
/// one may be shorter): a tight loop over the words, without collecting every slot first.
pub(crate) fn for_each_block<const N: usize>(bits: &[u64], mut f: impl FnMut(&[u32])) {
    let mut buf = [0u32; N];
    let mut n = 0;
    for (w, &word) in bits.iter().enumerate() {
        let mut word = word;
        while word != 0 {
            if let Some(b) = buf.get_mut(n) {
                *b = (w * 64) as u32 + word.trailing_zeros();
            }
            word &= word - 1;
            n += 1;
            if n == N {
                f(&buf);
                n = 0;
            }
        }
    }
    if n > 0 {
        f(&buf[..n]);
    }
}
