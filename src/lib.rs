//! staffmatch: a consultant-to-assignment matching service.
//!
//! The crate is layered. `domain`, `taxonomy` and `matching` are pure (no web framework,
//! no database, no async runtime); `store` turns database rows into domain types; `api`
//! holds the thin HTTP handlers; `startup` wires it all into a server.

pub mod api;
pub mod auth;
pub mod config;
pub mod domain;
pub mod idempotency;
pub mod import;
pub mod metrics;
pub mod ratelimit;
pub mod startup;
pub mod store;
pub mod telemetry;
pub mod webhooks;
