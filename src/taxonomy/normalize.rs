//! Normalisation of skill names: the one spelling every lookup key, alias and free-text skill
//! is compared in.
//!
//! [`normalize`] applies Unicode NFC, lower-cases, folds whitespace and punctuation to single
//! spaces and strips trailing version suffixes ("ITIL 4", "ITIL v3", "SQL Server 2019").
//! Symbols that carry meaning in technology names survive: `#` and `+` at the end of a word
//! ("C#", "C++", "F#"), a dot inside a word ("Node.js", "ASP.NET") and a leading dot (".NET").
//!
//! [`fold`] removes diacritics from a normalised key ("nätverk" → "natverk"); it is the key of
//! the diacritics-insensitive lookup and of near-miss matching.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// One word of a text: its byte span in the original text and its normalised form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Token {
    /// Byte offset of the first byte of the word.
    pub start: usize,
    /// Byte offset one past the last byte of the word.
    pub end: usize,
    /// NFC, lower-cased spelling of the word.
    pub norm: String,
}

/// Splits `text` into words, keeping the byte spans of the original text.
///
/// A word is a run of letters, digits and combining marks; `#` and `+` belong to a word when
/// they end it ("c#", "c++"); a dot belongs to a word when a letter or digit follows it and it
/// either starts the word (".net") or follows a letter or digit ("node.js", "4.0").
pub(crate) fn tokenize(text: &str) -> Vec<Token> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut tokens = Vec::new();
    let mut start: Option<usize> = None;
    for (k, &(pos, c)) in chars.iter().enumerate() {
        let prev = k.checked_sub(1).map(|p| chars[p].1);
        let next = chars.get(k + 1).map(|&(_, n)| n);
        let next_alnum = next.is_some_and(char::is_alphanumeric);
        let in_word = start.is_some();
        let is_word = c.is_alphanumeric()
            || (in_word && is_combining_mark(c))
            || ((c == '#' || c == '+') && in_word && !next_alnum)
            || (c == '.' && next_alnum && (!in_word || prev.is_some_and(char::is_alphanumeric)));
        match (is_word, start) {
            (true, None) => start = Some(pos),
            (false, Some(s)) => {
                tokens.push(make_token(text, s, pos));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        tokens.push(make_token(text, s, text.len()));
    }
    tokens
}

fn make_token(text: &str, start: usize, end: usize) -> Token {
    let word = &text[start..end];
    // NFC, then lower case. Most words need less: NFC leaves ASCII and any text its quick
    // check passes unchanged, and lower-casing ASCII is a byte map.
    let norm = if word.is_ascii() {
        word.to_ascii_lowercase()
    } else if is_nfc_quick(word.chars()) == IsNormalized::Yes {
        word.to_lowercase()
    } else {
        word.nfc().collect::<String>().to_lowercase()
    };
    Token { start, end, norm }
}

/// True for a word that only states a version: "4", "v3", "4.0", "3.x", "2019", "2+", "r2".
///
/// Numbers of three or more digits that are not years ("365", "27001") are part of the
/// name and never versions.
pub(crate) fn is_version_token(word: &str) -> bool {
    if matches!(word, "version" | "ver" | "v") {
        return true;
    }
    if let Some(rest) = word.strip_prefix('r') {
        return rest.len() == 1 && rest.chars().all(|c| c.is_ascii_digit());
    }
    let w = word.strip_prefix('v').unwrap_or(word);
    let w = w.trim_end_matches('+');
    let w = w.strip_suffix(".x").unwrap_or(w);
    let mut parts = w.split('.');
    let Some(first) = parts.next() else {
        return false;
    };
    let digits = |p: &str| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit());
    if !digits(first) || !parts.all(digits) {
        return false;
    }
    first.len() <= 2 || (first.len() == 4 && (first.starts_with("19") || first.starts_with("20")))
}

/// The normalised form of a skill name: NFC, lower case, words separated by single spaces,
/// punctuation dropped (except the `#`, `+` and `.` of names like "C#", "C++", ".NET"), and
/// trailing version words stripped ("ITIL 4" and "ITIL v3" → "itil"). Never strips the only
/// word. This is also the key under which free-text skills are interned.
pub fn normalize(s: &str) -> String {
    let tokens = tokenize(s);
    let mut keep = tokens.len();
    while keep > 1 && is_version_token(&tokens[keep - 1].norm) {
        keep -= 1;
    }
    let mut out = String::with_capacity(s.len());
    for t in &tokens[..keep] {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&t.norm);
    }
    out
}

/// Removes diacritics from an already normalised key: "nätverk" → "natverk",
/// "øresund" → "oresund", "straße" → "strasse".
pub fn fold(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    for c in key.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        match c {
            'ø' => out.push('o'),
            'æ' => out.push_str("ae"),
            'ß' => out.push_str("ss"),
            'đ' => out.push('d'),
            'ł' => out.push('l'),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_table() {
        let cases = [
            ("  Projektledning ", "projektledning"),
            ("ITIL 4", "itil"),
            ("ITIL v3", "itil"),
            ("itil version 4", "itil"),
            ("SQL Server 2019", "sql server"),
            ("Windows Server 2008 R2", "windows server"),
            ("Angular 2+", "angular"),
            ("Python 3.x", "python"),
            ("Microsoft 365", "microsoft 365"),
            ("ISO 27001", "iso 27001"),
            ("ISO/IEC 27001:2022", "iso iec 27001"),
            ("C#", "c#"),
            ("C++", "c++"),
            ("F#", "f#"),
            (".NET", ".net"),
            ("ASP.NET Core", "asp.net core"),
            ("Node.js", "node.js"),
            ("CI/CD", "ci cd"),
            ("IT-säkerhet", "it säkerhet"),
            ("NIS2", "nis2"),
            ("4", "4"),
            ("Kubernetes.", "kubernetes"),
            ("(VCP eller motsvarande)", "vcp eller motsvarande"),
        ];
        for (input, want) in cases {
            assert_eq!(normalize(input), want, "normalize({input:?})");
        }
    }

    #[test]
    fn normalize_composes_decomposed_input() {
        assert_eq!(normalize("Na\u{308}tverk"), "nätverk");
    }

    #[test]
    fn fold_removes_diacritics() {
        assert_eq!(fold("nätverk"), "natverk");
        assert_eq!(fold("säkerhetsskydd"), "sakerhetsskydd");
        assert_eq!(fold("c#"), "c#");
    }

    #[test]
    fn tokenize_keeps_byte_spans() {
        let text = "Erfarenhet av .NET, C# och Node.js.";
        let words: Vec<&str> = tokenize(text).iter().map(|t| &text[t.start..t.end]).collect();
        assert_eq!(words, ["Erfarenhet", "av", ".NET", "C#", "och", "Node.js"]);
    }
}
