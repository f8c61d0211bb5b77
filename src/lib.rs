//! staffmatch: a consultant-to-assignment matching service.
//!
//! The crate is layered. `domain`, `taxonomy` and `matching` are pure (no web framework,
//! no database, no async runtime); `store` turns database rows into domain types; `api`
//! holds the thin HTTP handlers; `startup` wires it all into a server.

pub mod domain;
pub mod matching;
