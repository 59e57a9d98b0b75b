//! `giamngheo check` end to end: the example report's figures, two rules broken and each told
//! with both sides and its rows; a consistent file passes; a bad file is refused by row.

use std::process::Command;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_giamngheo"));
    c.env("GIAMNGHEO_LANG", "en");
    c
}

#[test]
fn stated_figures_are_checked_against_the_validation_rules() {
    let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/checks/bao-cao-tong-hop.csv");
    let out = bin().arg("check").arg(&example).output().expect("run");
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(
        lines
            .iter()
            .all(|l| l.contains("bao-cao-tong-hop.csv:2: 11:")),
        "{text}"
    );
    assert!(
        text.contains("disbursed_pct (45) = 100 * disbursed / plan (42) does not hold"),
        "{text}"
    );
    assert!(
        text.contains("poor (40) = sum(children.poor) (41)"),
        "{text}"
    );
    assert!(text.contains("poor (3, 4); poor (2)"), "{text}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("2 rules broken among 1 units"));
    // the same figures made consistent pass
    let dir = tempfile::tempdir().expect("dir");
    let good = dir.path().join("good.csv");
    let fixed = std::fs::read_to_string(&example).expect("example").replace(
        "300,40,13.33,1000000000,420000000,45",
        "300,41,13.67,1000000000,420000000,42",
    );
    std::fs::write(&good, fixed).expect("write");
    let out = bin().arg("check").arg(&good).output().expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // a bad file: its rows named, nothing checked
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "unit_code,poor,weather\n99999,1,\n").expect("write");
    let out = bin().arg("check").arg(&bad).output().expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.csv:1: weather"), "{err}");
}
