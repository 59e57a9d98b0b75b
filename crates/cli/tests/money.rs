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
        text.contains("DA5\tcentral_recurrent\t4000000000\t1270000000\t31.75%\t\n"),
        "{text}"
    );
    assert!(
        text.lines()
            .last()
            .is_some_and(|l| l.contains("21700000000\t6570000000")),
        "{text}"
    );
    // the year-end estimates, beside what was paid
    let out = run(
        &["estimates"],
        Some(examples().join("uoc-giai-ngan-2025.csv")),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("imported 4 year-end estimates"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = run(&["report", "--unit", "11", "--year", "2025"], None);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("DA5\tcentral_recurrent\t4000000000\t1270000000\t31.75%\t1800000000\n"),
        "{text}"
    );
    // each kind written out in the import's format, as CSV or a workbook, and read back
    for (kind, file, rows) in [
        ("payments", "gn.csv", 6),
        ("estimates", "uoc.xlsx", 4),
        ("plans", "kh.xlsx", 10),
    ] {
        let out_file = dir.path().join(file);
        let out = bin()
            .args([
                "money", "export", "--unit", "11", "--year", "2025", "--kind", kind, "--out",
            ])
            .arg(&out_file)
            .arg("--db")
            .arg(&db)
            .output()
            .expect("run");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            String::from_utf8_lossy(&out.stdout).contains(&format!("wrote {rows} rows")),
            "{kind}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        let kind = giamngheo_app::money::MoneyKind::parse(kind).expect("kind");
        let (_, back) = giamngheo_app::money::read_kind(&out_file, kind).expect("read back");
        assert_eq!(back.len(), rows);
    }
    let out = bin()
        .args([
            "money", "export", "--unit", "11", "--year", "2025", "--kind", "budgets", "--out",
        ])
        .arg(dir.path().join("x.csv"))
        .arg("--db")
        .arg(&db)
        .output()
        .expect("run");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no kind of money file"));
    // a file that does not exist
    let out = run(&["plans"], Some(dir.path().join("none.csv")));
    assert!(!out.status.success());
}
