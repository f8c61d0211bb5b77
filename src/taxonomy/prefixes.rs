//! The leading word runs of every name ([`NamePrefixes`]): what lets `text.rs` drop an
//! n-gram of running text that cannot grow into a name.

use std::collections::HashSet;

/// Every leading run of whole words of every normalised name ("it", "it infrastructure",
/// "it infrastructure project management"), and the same for the folded names. An n-gram
/// of text that is not in the set cannot be, nor grow into, a name.
#[derive(Debug, Clone, Default)]
pub(crate) struct NamePrefixes {
    pub(super) exact: HashSet<String>,
    pub(super) folded: HashSet<String>,
}

impl NamePrefixes {
    /// Built from the normalised names and the folded names.
    pub(crate) fn new<'a>(names: impl Iterator<Item = &'a str>, folded: impl Iterator<Item = &'a str>) -> Self {
        fn prefixes<'a>(keys: impl Iterator<Item = &'a str>) -> HashSet<String> {
            let mut set = HashSet::new();
            for key in keys {
                set.extend(key.match_indices(' ').map(|(at, _)| key[..at].to_owned()));
                set.insert(key.to_owned());
            }
            set
        }
        NamePrefixes { exact: prefixes(names), folded: prefixes(folded) }
    }
}
