//! `giamngheo synth` over several years: the same households followed, poverty falling at a
//! plausible pace, every year's survey valid.

use giamngheo_rules::{Class, History, PoorStock};
use std::collections::HashMap;
use std::process::Command;

/// The command in English, whose sentences these tests read (one test reads the Vietnamese).
fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_giamngheo"));
    c.env("GIAMNGHEO_LANG", "en");
    c
}

#[test]
fn a_panel_of_years_classifies_cleanly_and_poverty_falls() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = bin()
        .args([
            "synth",
            "--households",
            "3000",
            "--province",
            "14",
            "--years",
            "2022..2025",
            "--seed",
            "3",
            "--out-dir",
        ])
        .arg(dir.path())
        .output()
        .expect("synth");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut classes: Vec<HashMap<String, Class>> = Vec::new();
    for year in 2022..=2025 {
        let d = dir.path().join(year.to_string());
        let out = bin()
            .args(["classify", "--households"])
            .arg(d.join("households.csv"))
            .arg("--members")
            .arg(d.join("members.csv"))
            .output()
            .expect("classify");
        assert!(
            out.status.success(),
            "{year}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).expect("utf8");
        let year_classes: HashMap<String, Class> = text
            .lines()
            .skip(1)
            .filter_map(|l| {
                let f: Vec<&str> = l.split(',').collect();
                Some((f.first()?.to_string(), Class::from_code(f.get(4)?)?))
            })
            .collect();
        assert!(year_classes.len() > 2900, "{year}: {}", year_classes.len());
        classes.push(year_classes);
    }
    let rate = |c: &HashMap<String, Class>| {
        100.0 * c.values().filter(|x| **x == Class::Poor).count() as f64 / c.len() as f64
    };
    let rates: Vec<f64> = classes.iter().map(rate).collect();
    assert!(
        (15.0..40.0).contains(&rates[0]),
        "a poor mountain province starts high: {rates:?}"
    );
    for w in rates.windows(2) {
        let fall = w[0] - w[1];
        assert!(
            (1.0..8.0).contains(&fall),
            "falls 1-8 points a year: {rates:?}"
        );
    }
    // transitions of the followed households keep the stock identity every year
    let mut ids: Vec<&String> = classes.iter().flat_map(|c| c.keys()).collect();
    ids.sort();
    ids.dedup();
    let mut stocks = vec![PoorStock::default(); 3];
    let mut escaped = 0;
    for id in ids {
        let mut h = History::new();
        let mut previous = None;
        for (i, year_classes) in classes.iter().enumerate() {
            let class = year_classes.get(id).copied();
            let t = h.record(2022 + i as i32, class);
            if i > 0 {
                stocks[i - 1].add(previous, class, t);
                escaped += u32::from(t == Some(giamngheo_rules::Transition::Escaped));
            }
            previous = class;
        }
    }
    assert!(stocks.iter().all(PoorStock::holds), "{stocks:?}");
    assert!(escaped > 100, "households escape: {escaped}");
}
