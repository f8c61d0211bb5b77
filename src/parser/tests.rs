//! Whole-ad tests (filled in below).
#![allow(clippy::unwrap_used, clippy::expect_used)]
