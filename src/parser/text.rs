//! Word tokens over one piece of text and phrase matching on them.
//!
//! Every recogniser in the parser works on these tokens instead of regular expressions:
//! a token is a maximal run of alphanumeric characters (so "Malmö", "säkerhetsklass" and
//! "2025" are single tokens, and "Skall-krav" is two), kept with its byte span and a
//! lower-cased copy. Matching a phrase is a scan over the tokens, so every recogniser is
//! linear in the length of the text and cannot blow up on pathological input.
//!
//! A phrase is written as space-separated lower-case words. A word ending in `*` matches any
//! token that starts with it ("erfarenhet*" matches "erfarenheter"); a word starting with `*`
//! matches any token that ends with it ("*krav" matches "skallkrav").

/// One word of a text: its byte span in the text and its lower-cased form.
#[derive(Debug, Clone)]
pub(crate) struct Token {
    /// Byte offset of the first character.
    pub start: usize,
    /// Byte offset just past the last character.
    pub end: usize,
    /// Lower-cased text.
    pub low: String,
}

/// A run of tokens, `first..last` (exclusive), found by a phrase search.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Span {
    /// Index of the first token.
    pub first: usize,
    /// Index just past the last token.
    pub last: usize,
}

/// The tokens of one text.
#[derive(Debug, Clone)]
pub(crate) struct Tokens<'a> {
    /// The text the tokens index into.
    pub text: &'a str,
    /// The tokens, in order.
    pub toks: Vec<Token>,
    /// The first byte of each token's lower-cased text: nearly every phrase test fails on
    /// it, and reading it here saves a pointer chase into the token's string.
    heads: Vec<u8>,
    /// Whether each token is a filler word ([`FILLERS`]), found once.
    fillers: Vec<bool>,
    /// Bit set of the first bytes of the tokens.
    firsts: [u64; 4],
}

impl<'a> Tokens<'a> {
    /// Splits `text` into tokens.
    pub fn new(text: &'a str) -> Self {
        let mut toks = Vec::new();
        let mut start: Option<usize> = None;
        for (i, c) in text.char_indices() {
            if c.is_alphanumeric() {
                if start.is_none() {
                    start = Some(i);
                }
            } else if let Some(s) = start.take() {
                toks.push(Token { start: s, end: i, low: spelled(lower(&text[s..i])) });
            }
        }
        if let Some(s) = start {
            toks.push(Token { start: s, end: text.len(), low: spelled(lower(&text[s..])) });
        }
        let heads: Vec<u8> = toks.iter().map(|t| t.low.as_bytes().first().copied().unwrap_or(0)).collect();
        let mut firsts = [0u64; 4];
        for &b in &heads {
            firsts[usize::from(b >> 6)] |= 1u64 << (b & 63);
        }
        let fillers = toks.iter().map(|t| FILLERS.contains(&t.low.as_str())).collect();
        Tokens { text, toks, heads, fillers, firsts }
    }

    /// The number of tokens.
    pub fn len(&self) -> usize {
        self.toks.len()
    }

    /// The lower-cased token at `i`, or "" past the end.
    pub fn low(&self, i: usize) -> &str {
        self.toks.get(i).map_or("", |t| t.low.as_str())
    }

    /// The raw text between token `i` and token `i + 1` (or the end of the text).
    pub fn gap_after(&self, i: usize) -> &'a str {
        let Some(t) = self.toks.get(i) else { return "" };
        let end = self.toks.get(i + 1).map_or(self.text.len(), |n| n.start);
        self.text.get(t.end..end).unwrap_or("")
    }

    /// The raw text before token `i` (from the previous token, or the start of the text).
    pub fn gap_before(&self, i: usize) -> &'a str {
        let Some(t) = self.toks.get(i) else { return "" };
        let start = if i == 0 { 0 } else { self.toks[i - 1].end };
        self.text.get(start..t.start).unwrap_or("")
    }

    /// The byte range a span covers.
    pub fn bytes(&self, span: Span) -> (usize, usize) {
        let start = self.toks.get(span.first).map_or(self.text.len(), |t| t.start);
        let end = span.last.checked_sub(1).and_then(|i| self.toks.get(i)).map_or(start, |t| t.end);
        (start, end.max(start))
    }

    /// Whether `phrase` matches at token `at`; returns the span when it does.
    #[inline]
    pub fn match_at(&self, at: usize, phrase: &str) -> Option<Span> {
        // Fast reject on the first byte: nearly every call fails here, before any splitting.
        let first = *phrase.as_bytes().first()?;
        if first != b'*' && self.heads.get(at) != Some(&first) {
            return None;
        }
        self.match_words(at, phrase)
    }

    /// [`Tokens::match_at`] past the first-byte test. Inside a phrase, one filler word may
    /// stand between two of its words: "du ska också kunna", "is also a plus".
    fn match_words(&self, at: usize, phrase: &str) -> Option<Span> {
        let mut i = at;
        // Split on the byte: cheaper than the char searcher of `str::split`, same words.
        for word in phrase.as_bytes().split(|&b| b == b' ') {
            // "$": the phrase ends its clause ("Goda kunskaper i SQL förväntas.", not
            // "förväntas leda arbetet").
            if word == b"$" {
                let punctuated = |g: &str| g.contains([',', '.', ';', ':', '!', '?', '–', '(', ')']);
                let ends = i > at && (i == self.toks.len() || punctuated(self.gap_after(i - 1)));
                return ends.then_some(Span { first: at, last: i });
            }
            let tok = self.toks.get(i)?;
            if !word_matches(word, tok.low.as_bytes()) {
                let filler = i > at && self.fillers.get(i).copied().unwrap_or(false);
                if !filler || !self.toks.get(i + 1).is_some_and(|next| word_matches(word, next.low.as_bytes())) {
                    return None;
                }
                i += 1;
            }
            i += 1;
        }
        (i > at).then_some(Span { first: at, last: i })
    }

    /// The first match of `phrase` at or after token `from`.
    pub fn find_from(&self, from: usize, phrase: &str) -> Option<Span> {
        match phrase.as_bytes().first() {
            None => None,
            Some(b'*') => (from..self.toks.len()).find_map(|i| self.match_words(i, phrase)),
            // Only tokens with the phrase's first byte can start a match.
            Some(&first) if self.may_have(phrase) => {
                let heads = self.heads.get(from..).unwrap_or_default();
                let mut starts = heads.iter().enumerate().filter(|&(_, &b)| b == first).map(|(i, _)| from + i);
                starts.find_map(|i| self.match_words(i, phrase))
            }
            Some(_) => None,
        }
    }

    /// The first match of `phrase`.
    pub fn find(&self, phrase: &str) -> Option<Span> {
        self.find_from(0, phrase)
    }

    /// Whether any of `phrases` occurs.
    pub fn has_any(&self, phrases: &[&str]) -> bool {
        phrases.iter().any(|p| self.find(p).is_some())
    }

    /// Whether a phrase can occur at all: its first byte starts some token (or it starts
    /// with a `*` wildcard). Lets every search skip absent phrases in constant time.
    fn may_have(&self, phrase: &str) -> bool {
        match phrase.as_bytes().first() {
            Some(b'*') => true,
            Some(&b) => self.firsts[usize::from(b >> 6)] & (1u64 << (b & 63)) != 0,
            None => false,
        }
    }

    /// The phrases that may occur, with their indices in `phrases`.
    fn live<'p>(&self, phrases: &[&'p str]) -> Vec<(usize, &'p str)> {
        phrases.iter().enumerate().filter(|(_, p)| self.may_have(p)).map(|(k, p)| (k, *p)).collect()
    }

    /// The earliest match of any of `phrases`, with the index of the phrase that matched.
    pub fn first_of(&self, phrases: &[&str]) -> Option<(usize, Span)> {
        let live = self.live(phrases);
        if live.is_empty() {
            return None;
        }
        (0..self.toks.len()).find_map(|i| self.longest_live(i, &live))
    }

    fn longest_live(&self, at: usize, live: &[(usize, &str)]) -> Option<(usize, Span)> {
        live.iter()
            .filter_map(|(k, p)| self.match_at(at, p).map(|s| (*k, s)))
            .max_by_key(|(k, s)| (s.last - s.first, usize::MAX - k))
    }

    /// Every non-overlapping match of any of `phrases`, longest first at each position.
    pub fn all_of(&self, phrases: &[&str]) -> Vec<(usize, Span)> {
        let live = self.live(phrases);
        let mut out = Vec::new();
        if live.is_empty() {
            return out;
        }
        let mut i = 0;
        while i < self.toks.len() {
            if let Some((k, s)) = self.longest_live(i, &live) {
                out.push((k, s));
                i = s.last;
            } else {
                i += 1;
            }
        }
        out
    }
}

/// Byte ranges `(open, close)` of the brackets in `text`, in the order they close ("Java
/// (Kotlin preferred)"); an unmatched bracket is left out.
pub(crate) fn brackets(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut open = None;
    for (i, c) in text.char_indices() {
        match c {
            '(' => open = Some(i),
            ')' => out.extend(open.take().map(|o| (o, i))),
            _ => {}
        }
    }
    out
}

/// Words that may stand inside a phrase without changing what it says: "ska också kunna",
/// "you also need", "is definitely a plus", "would be a clear advantage".
const FILLERS: &[&str] = &[
    "också",
    "även",
    "dessutom",
    "vidare",
    "därtill",
    "furthermore",
    "further",
    "moreover",
    "självklart",
    "verkligen",
    "givetvis",
    "also",
    "additionally",
    "definitely",
    "absolutely",
    "really",
    "naturally",
    "obviously",
    // How much a merit weighs, not whether it is one: "a clear advantage", "ett stort plus".
    "clear",
    "big",
    "great",
    "huge",
    "strong",
    "major",
    "significant",
    "considerable",
    "definite",
    "distinct",
    "extra",
    "stort",
    "stor",
    "klart",
    "klar",
    "starkt",
    "tydligt",
];

/// The long words that say how much a requirement weighs, as they are spelt. A misspelling
/// of one ("prefferably", "meriternde", "experiance") reads as the word: ads are typed in
/// a hurry, and a typo must not turn a merit into a must. The words near them that are
/// words of their own are in the list, so that they stay as written.
const CUE_WORDS: &[&str] = &[
    "preferably",
    "preferable",
    "preferred",
    "preference",
    "preferences",
    "meriterande",
    "meriterar",
    "mandatory",
    "required",
    "requires",
    "requirement",
    "requirements",
    "essential",
    "essentials",
    "advantage",
    "advantages",
    "advantageous",
    "beneficial",
    "desirable",
    "obligatorisk",
    "obligatoriskt",
    "experience",
    "experienced",
    "experiences",
    "erfarenhet",
    "erfarenheter",
];

/// `low` with a one-letter misspelling of a [`CUE_WORDS`] word mended: one letter added,
/// dropped, changed or two swapped, in a word of eight letters or more that starts with the
/// same three letters. Every tokenisation runs this on every long word, so the cheap tests
/// (length, first letters) come before the edit distance, which few words reach.
fn spelled(low: String) -> String {
    let len = low.len();
    let head = low.as_bytes().get(..3);
    let near = |c: &&&str| c.len().abs_diff(len) <= 1 && c.as_bytes().get(..3) == head;
    if len < 8 || !CUE_WORDS.iter().any(|c| near(&c)) || CUE_WORDS.contains(&low.as_str()) {
        return low;
    }
    CUE_WORDS.iter().filter(near).find(|c| strsim::osa_distance(c, &low) == 1).map_or(low, |c| (*c).to_string())
}

/// `word` in lower case: a byte map for ASCII, the Unicode mapping otherwise.
fn lower(word: &str) -> String {
    if word.is_ascii() { word.to_ascii_lowercase() } else { word.to_lowercase() }
}

/// Whether a phrase word matches a token (both as UTF-8 bytes; `*` is ASCII, so byte and
/// character prefixes and suffixes agree).
fn word_matches(word: &[u8], tok: &[u8]) -> bool {
    if let Some(prefix) = word.strip_suffix(b"*") {
        tok.starts_with(prefix)
    } else if let Some(suffix) = word.strip_prefix(b"*") {
        tok.ends_with(suffix)
    } else {
        tok == word
    }
}

/// Parses a small count written as digits or as an English or Swedish number word.
pub(crate) fn small_number(tok: &str) -> Option<u32> {
    if !tok.is_empty() && tok.len() <= 3 && tok.bytes().all(|b| b.is_ascii_digit()) {
        return tok.parse().ok();
    }
    const WORDS: [(&str, u32); 22] = [
        ("one", 1),
        ("en", 1),
        ("ett", 1),
        ("two", 2),
        ("två", 2),
        ("three", 3),
        ("tre", 3),
        ("four", 4),
        ("fyra", 4),
        ("five", 5),
        ("fem", 5),
        ("six", 6),
        ("sex", 6),
        ("seven", 7),
        ("sju", 7),
        ("eight", 8),
        ("åtta", 8),
        ("nine", 9),
        ("nio", 9),
        ("ten", 10),
        ("tio", 10),
        ("twelve", 12),
    ];
    WORDS.iter().find(|(w, _)| *w == tok).map(|(_, n)| *n)
}

/// Cuts `s` to at most `max` characters, on a character boundary.
pub(crate) fn truncate_chars(s: &str, max: usize) -> &str {
    match s.char_indices().nth(max) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn a_dollar_asks_the_phrase_to_end_its_clause() {
        assert!(Tokens::new("Goda kunskaper i SQL förväntas.").find("förväntas $").is_some());
        assert!(Tokens::new("Kunskap i SQL förväntas").find("förväntas $").is_some());
        assert!(Tokens::new("Konsulten förväntas leda arbetet").find("förväntas $").is_none());
        assert!(Tokens::new("anything").find("$").is_none());
    }

    #[test]
    fn one_filler_word_may_stand_inside_a_phrase() {
        let t = Tokens::new("Du ska också kunna Ansible, and Python is definitely a plus");
        assert_eq!(t.find("ska kunna"), Some(Span { first: 1, last: 4 }));
        assert!(t.find("is a plus").is_some());
        // Not before the phrase's first word, not two of them, not any word.
        assert!(Tokens::new("också kunna").find("kunna").is_some());
        assert!(Tokens::new("ska också även kunna").find("ska kunna").is_none());
        assert!(Tokens::new("ska inte kunna").find("ska kunna").is_none());
    }

    #[test]
    fn a_misspelt_word_of_weight_reads_as_the_word() {
        let t = Tokens::new("Agile, prefferably Scrum; Kotlin is prefered and meritternde");
        assert!(t.find("preferably").is_some());
        assert!(t.find("is preferred").is_some());
        assert!(t.find("meriterande").is_none(), "two letters off is another word");
        // Words of their own stay as written, and short words are never mended.
        assert!(Tokens::new("an experienced engineer").find("experienced").is_some());
        assert!(Tokens::new("it requires").find("required").is_none());
        assert!(Tokens::new("refered").find("required").is_none());
    }

    #[test]
    fn tokens_keep_swedish_letters_and_split_on_hyphens() {
        let t = Tokens::new("Skall-krav: Malmö, 5+ år");
        let lows: Vec<&str> = t.toks.iter().map(|t| t.low.as_str()).collect();
        assert_eq!(lows, ["skall", "krav", "malmö", "5", "år"]);
        assert_eq!(t.gap_after(3), "+ ");
    }

    #[test]
    fn phrases_match_whole_words_prefixes_and_suffixes() {
        let t = Tokens::new("Gedigen erfarenhet av systemförvaltning; skallkrav");
        assert_eq!(t.find("erfarenhet av"), Some(Span { first: 1, last: 3 }));
        assert!(t.find("erfaren").is_none());
        assert!(t.find("erfaren*").is_some());
        assert!(t.find("*krav").is_some());
        assert_eq!(t.first_of(&["av", "erfarenhet av"]).map(|(k, _)| k), Some(1));
    }

    #[test]
    fn truncation_respects_char_boundaries() {
        assert_eq!(truncate_chars("Malmö", 5), "Malmö");
        assert_eq!(truncate_chars("Malmö", 4), "Malm");
    }
}
