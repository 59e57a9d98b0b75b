//! giamngheo's use cases, combining the rules, the survey format and (later) the store.

pub mod access;
pub mod classify;
pub mod export;
pub mod import;
pub mod queries;
pub mod report;
pub mod summary;
