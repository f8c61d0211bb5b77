//! The integration tests: one binary, the real server on a random port, real HTTP, a
//! fresh database per test (SQLite by default; PostgreSQL when `TEST_DATABASE_URL` is set).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod assignments;
mod auth;
mod auth_paths;
mod batch;
mod consultants;
mod decisions;
mod demo;
mod errors;
mod examples;
mod hardening;
mod helpers;
mod idempotency;
mod impact;
mod import;
mod kinds;
mod matching;
mod migrations;
mod ops;
mod parse;
mod postings;
mod privacy;
mod ratelimit;
mod sensitive;
mod skills;
mod sync;
mod webhooks;
mod what_if;
