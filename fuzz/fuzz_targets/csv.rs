//! The survey reader on arbitrary CSV: households and members files (the input split at its
//! first NUL byte). It must never panic, and every row it cannot take is an error naming a row.
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
    let (households, members) = match data.iter().position(|b| *b == 0) {
        Some(i) => (&data[..i], Some(&data[i + 1..])),
        None => (data, None),
    };
    let h = dir().path().join("households.csv");
    let m = dir().path().join("members.csv");
    std::fs::write(&h, households).expect("write");
    if let Some(members) = members {
        std::fs::write(&m, members).expect("write");
    }
    let Ok(mut reader) = SurveyReader::open(&h, members.map(|_| m.as_path()), standards()) else {
        return;
    };
    while let Some(item) = reader.next() {
        if let Err(errors) = item {
            assert!(!errors.is_empty());
        }
    }
    let _ = reader.finish();
});
