//! Bringing consultants in from elsewhere: JSON Resume mapping ([`json_resume`]), the
//! streaming bulk importer behind `staffmatch import consultants FILE` ([`mod@file`]) and the
//! sample dataset of `staffmatch --demo` ([`demo`], made by [`demo_people`]).

pub mod cli;
pub mod demo;
pub mod demo_people;
pub mod file;
pub mod json_resume;
