//! staffmatch: a consultant-to-assignment matching service.
//!
//! The crate is layered. `domain`, `taxonomy`, `matching` and `parser` are pure (no web
//! framework, no database, no async runtime); `store` turns database rows into domain
//! types; `engine` and `skills` hold the pure parts as the running service shares them;
//! `api` holds the thin HTTP handlers; `startup` wires it all into a server.

pub mod api;
pub mod auth;
pub mod config;
pub mod domain;
pub mod engine;
pub mod idempotency;
pub mod import;
pub mod matching;
pub mod metrics;
pub mod parser;
pub mod ratelimit;
pub mod skills;
pub mod startup;
pub mod store;
pub mod taxonomy;
pub mod telemetry;
pub mod webhooks;
