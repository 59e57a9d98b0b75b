//! The survey reader on arbitrary workbooks: the guard on the zip's parts, then the sheets. It
//! must never panic, and libFuzzer's memory limit (2 GiB by default) catches a reader whose
//! memory follows what a file claims rather than what it holds.
#![no_main]

use giamngheo_rules::Standards;
use giamngheo_survey::SurveyReader;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn standards() -> &'static Standards {
    static S: OnceLock<Standards> = OnceLock::new();
    S.get_or_init(|| Standards::builtin().expect("the built-in standards"))
}

fn dir() -> &'static tempfile::TempDir {
    static D: OnceLock<tempfile::TempDir> = OnceLock::new();
    D.get_or_init(|| tempfile::tempdir().expect("a temporary directory"))
}

fuzz_target!(|data: &[u8]| {
    let path = dir().path().join("survey.xlsx");
    std::fs::write(&path, data).expect("write");
    let Ok(mut reader) = SurveyReader::open(&path, None, standards()) else {
        return;
    };
    while let Some(item) = reader.next() {
        if let Err(errors) = item {
            assert!(!errors.is_empty());
        }
    }
    let _ = reader.finish();
});
