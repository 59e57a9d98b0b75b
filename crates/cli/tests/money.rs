//! `giamngheo money` end to end: the example plans and payments imported, a bad file refused
//! with every error named and nothing written, and the province's report.

use std::process::Command;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_giamngheo"));
    c.env("GIAMNGHEO_LANG", "en");
    c
}

fn examples() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/money")
}

#[test]
fn plans_and_payments_import_and_report() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("registry.db");
    let run = |args: &[&str], file: Option<std::path::PathBuf>| {
        let mut c = bin();
        c.arg("money").args(args).arg("--db").arg(&db);
        if let Some(f) = file {
            c.arg(f);
        }
        c.output().expect("run")
    };
    // payments before any plan: every one over its (empty) plan, nothing written
    let out = run(&["payments"], Some(examples().join("giai-ngan-2025.csv")));
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.matches("amount: disbursed to date").count(), 6, "{err}");
    assert!(err.contains("giai-ngan-2025.csv:2: amount:"), "{err}");
    assert!(err.contains("nothing imported: 6 errors"), "{err}");
    let out = run(&["plans"], Some(examples().join("ke-hoach-von-2025.csv")));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("imported 3 plan documents (10 lines"));
    let out = run(&["payments"], Some(examples().join("giai-ngan-2025.csv")));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // the province's report: plan counted once (allocations are part of it), every payment
    let out = run(&["report", "--unit", "11", "--year", "2025"], None);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("DA5\tcentral_recurrent\t4000000000\t1270000000\t31.75%"),
        "{text}"
    );
    assert!(
        text.lines()
            .last()
            .is_some_and(|l| l.contains("21700000000\t6570000000")),
        "{text}"
    );
    // a file that does not exist
    let out = run(&["plans"], Some(dir.path().join("none.csv")));
    assert!(!out.status.success());
}
