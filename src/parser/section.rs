//! Where a line stands (under which heading) and what a sentence lists (gates or merits).

use super::cues::Cue;

/// The section a line stands in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Section {
    /// Before any heading, or under an unknown one.
    Neutral,
    /// Under a recognised heading.
    Cue(Cue),
}

/// Whether a sentence lists gates or merits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Gates.
    Must,
    /// Merits.
    Can,
}
