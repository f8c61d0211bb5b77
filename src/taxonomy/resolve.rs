//! Resolving a name to a canonical skill: exact label → alias → diacritics-folded →
//! compound of known parts (`compound.rs`) → near-miss spelling (the near-miss rules and
//! index are in `near.rs`).

use super::abbrev;
use super::model::Taxonomy;
use super::near::FuzzyIndex;
use super::normalize::{fold, normalize};
use super::vocab::{Resolution, Via};
use crate::domain::ResolveMethod;

impl Taxonomy {
    /// Resolves a skill name: exact label (either language) → alias → spelling without
    /// diacritics → Swedish compound of known parts → near-miss spelling → unresolved. Never guesses: an unknown name gives
    /// `skill: None` and no method.
    pub fn resolve(&self, name: &str) -> Resolution {
        self.resolve_key(&normalize(name))
    }

    /// Resolves an already normalised key.
    pub(crate) fn resolve_key(&self, key: &str) -> Resolution {
        if key.is_empty() {
            return Resolution::unresolved();
        }
        if let Some(r) = self.lookup_exact(key) {
            return r;
        }
        if let Some(r) = self.lookup_short_forms(key) {
            return r;
        }
        let folded = fold(key);
        if let Some(r) = self.lookup_folded(key, &folded) {
            return r;
        }
        if let Some(r) = self.compound(key) {
            return r;
        }
        self.fuzzy.nearest(&folded).unwrap_or_else(Resolution::unresolved)
    }

    /// A name as an exact label or alias (short forms written out) only: no folding, no
    /// compound, no near miss. For callers that accept nothing else and look up many
    /// candidate names ("<field> <skill>" combinations).
    pub(crate) fn resolve_exact(&self, name: &str) -> Option<Resolution> {
        let key = normalize(name);
        self.lookup_exact(&key).or_else(|| self.lookup_short_forms(&key))
    }

    /// Exact label or alias.
    pub(crate) fn lookup_exact(&self, key: &str) -> Option<Resolution> {
        self.names.get(key).map(|e| Resolution {
            skill: Some(e.idx),
            method: Some(if e.via == Via::Alias { ResolveMethod::Alias } else { ResolveMethod::Exact }),
            via: e.via,
            similarity: 1.0,
            matched: Some(e.surface.clone()),
        })
    }

    /// A name holding short forms ("proj mgmt"), looked up exactly with them written out or
    /// glued (`abbrev.rs`): reported as an alias.
    pub(crate) fn lookup_short_forms(&self, key: &str) -> Option<Resolution> {
        abbrev::spellings(key).iter().find_map(|k| self.lookup_exact(k)).map(|r| Resolution {
            method: Some(ResolveMethod::Alias),
            via: Via::Alias,
            ..r
        })
    }

    /// Label or alias spelled without diacritics (`folded` is already folded).
    /// The name `written` (a normalised key) spells with its diacritics folded away
    /// (`folded`). Folding forgives diacritics left out ("natverk" is nätverk), never ones
    /// written: the Swedish "inför" is not the ERP vendor Infor.
    pub(crate) fn lookup_folded(&self, written: &str, folded: &str) -> Option<Resolution> {
        let e = self.folded.get(folded)?.as_ref()?;
        if written != folded && e.surface.is_ascii() {
            return None;
        }
        Some(Resolution {
            skill: Some(e.idx),
            method: Some(ResolveMethod::Fuzzy),
            via: Via::Folded,
            similarity: 1.0,
            matched: Some(e.surface.clone()),
        })
    }

    pub(crate) fn fuzzy(&self) -> &FuzzyIndex {
        &self.fuzzy
    }
}
