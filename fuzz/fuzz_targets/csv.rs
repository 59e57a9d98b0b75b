//! The survey reader on arbitrary CSV: households and members files (the input split at its
//! first NUL byte). It must never panic, and every row it cannot take is an error naming a row.
#![no_main]

use giamngheo_fuzz::{dir, read_survey};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (households, members) = match data.iter().position(|b| *b == 0) {
        Some(i) => (&data[..i], Some(&data[i + 1..])),
        None => (data, None),
    };
    let h = dir().join("households.csv");
    let m = dir().join("members.csv");
    std::fs::write(&h, households).expect("write");
    if let Some(members) = members {
        std::fs::write(&m, members).expect("write");
    }
    read_survey(&h, members.map(|_| m.as_path()));
});
