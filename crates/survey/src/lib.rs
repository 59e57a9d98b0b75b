//! The survey exchange format (`shared/spec/survey-format.md`): reading households and members
//! from CSV files or an XLSX workbook into the rules' types, streaming, with an error naming the
//! file, row and column for every bad value; and writing classification results.

pub mod batch;
pub mod cells;
pub mod guard;
pub mod guide;
pub mod output;
pub mod parse;
pub mod reader;
pub mod source;
pub mod synth;
pub mod units;
pub mod xlsform;

pub use parse::{HouseholdRecord, MemberRecord};
pub use reader::{SurveyItem, SurveyReader};
pub use units::{reference, Catalogue, Reference};

use giamngheo_rules::{Lang, Msg};
use std::fmt;
use std::sync::Arc;

/// A bad value: `FILE:ROW: column: message`, the message in the reader's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub file: Arc<str>,
    /// Row number in the file, the header being row 1; 0 for the file as a whole.
    pub row: u64,
    /// The column, or empty for the row as a whole.
    pub column: String,
    pub message: Msg,
}

impl RowError {
    pub fn new(file: &Arc<str>, row: u64, column: &str, message: Msg) -> RowError {
        RowError {
            file: file.clone(),
            row,
            column: column.to_string(),
            message,
        }
    }

    /// An error about a whole file.
    pub fn file(file: &Arc<str>, message: Msg) -> RowError {
        RowError::new(file, 0, "", message)
    }

    /// `FILE:ROW: column: message` in a language.
    pub fn text(&self, lang: Lang) -> String {
        self.located(&self.file, lang)
    }

    /// As [`RowError::text`], with the file named `file` (an upload's own name, say, in place of
    /// where it was kept).
    pub fn located(&self, file: &str, lang: Lang) -> String {
        let message = self.message.render(lang);
        match (self.row, self.column.is_empty()) {
            (0, _) => format!("{file}: {message}"),
            (r, true) => format!("{file}:{r}: {message}"),
            (r, false) => format!("{file}:{r}: {}: {message}", self.column),
        }
    }
}

/// In the process's display language (`giamngheo_rules::text::display_lang`).
impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(giamngheo_rules::text::display_lang()))
    }
}

impl std::error::Error for RowError {}
