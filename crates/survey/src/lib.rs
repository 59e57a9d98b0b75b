//! The survey exchange format (`shared/spec/survey-format.md`): reading households and members
//! from CSV files or an XLSX workbook into the rules' types, streaming, with an error naming the
//! file, row and column for every bad value; and writing classification results.

pub mod batch;
pub mod cells;
pub mod guard;
pub mod output;
pub mod parse;
pub mod reader;
pub mod source;
pub mod synth;
pub mod units;

pub use parse::{HouseholdRecord, MemberRecord};
pub use reader::{SurveyItem, SurveyReader};
pub use units::{reference, Catalogue, Reference};

use std::fmt;
use std::sync::Arc;

/// A bad value: `FILE:ROW: column: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub file: Arc<str>,
    /// Row number in the file, the header being row 1; 0 for the file as a whole.
    pub row: u64,
    /// The column, or empty for the row as a whole.
    pub column: String,
    pub message: String,
}

impl RowError {
    pub fn new(file: &Arc<str>, row: u64, column: &str, message: String) -> RowError {
        RowError {
            file: file.clone(),
            row,
            column: column.to_string(),
            message,
        }
    }

    /// An error about a whole file.
    pub fn file(file: &Arc<str>, message: String) -> RowError {
        RowError::new(file, 0, "", message)
    }
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.row, self.column.is_empty()) {
            (0, _) => write!(f, "{}: {}", self.file, self.message),
            (r, true) => write!(f, "{}:{}: {}", self.file, r, self.message),
            (r, false) => write!(f, "{}:{}: {}: {}", self.file, r, self.column, self.message),
        }
    }
}

impl std::error::Error for RowError {}
