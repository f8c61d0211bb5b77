//! staffmatch: a consultant-to-assignment matching service.
//!
//! The crate is layered (docs/ARCHITECTURE.md), imports pointing one way:
//! `domain` ← `taxonomy`, `matching`, `parser` (pure: no web framework, no database, no
//! async runtime) ← `store` (database rows into domain types) ← `service` (the running
//! service: state, match index, run-time taxonomy; with `auth`, `webhooks`, `ratelimit`,
//! `telemetry`, `metrics`, `config`) ← `api` (thin HTTP handlers), `import`, `demo` (the `--demo` sample), `startup`
//! (wires it all into a server). `tests/architecture.rs` checks the direction and that no files
//! import each other.

pub mod api;
pub mod auth;
pub mod config;
pub mod demo;
pub mod domain;
pub mod import;
pub mod matching;
pub mod metrics;
pub mod parser;
pub mod ratelimit;
pub mod service;
pub mod startup;
pub mod store;
pub mod taxonomy;
pub mod telemetry;
pub mod webhooks;
