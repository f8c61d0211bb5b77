//! Bringing consultants in from elsewhere: JSON Resume mapping ([`json_resume`]) and the
//! streaming bulk importer behind `staffmatch import consultants FILE` ([`mod@file`]).

pub mod cli;
pub mod file;
pub mod json_resume;
