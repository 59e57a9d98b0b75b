//! The survey reader on arbitrary workbooks: the guard on the zip's parts, then the sheets. It
//! must never panic, and libFuzzer's memory limit (2 GiB by default) catches a reader whose
//! memory follows what a file claims rather than what it holds.
#![no_main]

use giamngheo_fuzz::{dir, read_survey};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = dir().join("survey.xlsx");
    std::fs::write(&path, data).expect("write");
    read_survey(&path, None);
});
