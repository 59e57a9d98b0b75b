//! What the fuzz targets share: the built-in standards, a scratch directory, and reading a survey
//! to its end.

use giamngheo_rules::Standards;
use giamngheo_survey::SurveyReader;
use std::path::Path;
use std::sync::OnceLock;

pub fn standards() -> &'static Standards {
    static S: OnceLock<Standards> = OnceLock::new();
    S.get_or_init(|| Standards::builtin().expect("the built-in standards"))
}

/// A directory for the files a target writes, kept for the whole run.
pub fn dir() -> &'static Path {
    static D: OnceLock<tempfile::TempDir> = OnceLock::new();
    D.get_or_init(|| tempfile::tempdir().expect("a temporary directory"))
        .path()
}

/// Reads a survey to its end: a household that cannot be taken carries at least one error.
pub fn read_survey(households: &Path, members: Option<&Path>) {
    let Ok(mut reader) = SurveyReader::open(households, members, standards()) else {
        return;
    };
    while let Some(item) = reader.next() {
        if let Err(errors) = item {
            assert!(!errors.is_empty());
        }
    }
    let _ = reader.finish();
}
