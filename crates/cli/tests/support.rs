//! `giamngheo support` end to end: the example survey, then the example support list imported
//! and judged; the same card again refused with its row named and nothing written; taken with a
//! reason; and the duplicate report listing the pair.

use std::process::Command;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_giamngheo"));
    c.env("GIAMNGHEO_LANG", "en");
    c
}

fn examples() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}

#[test]
fn support_lists_import_judged_and_duplicates_are_listed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("registry.db");
    let run = |args: &[&str]| bin().args(args).arg("--db").arg(&db).output().expect("run");
    let survey = examples().join("survey-2025");
    let out = run(&["import", "--year", "2025", survey.to_str().expect("path")]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let list = examples().join("support/ho-tro-2025.csv");
    let out = run(&["support", "import", list.to_str().expect("path")]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("imported 4 support records"), "{text}");
    assert!(text.contains("0 on an officer's reason"), "{text}");
    // the first card again within the year: refused, its row named, nothing written
    let again = dir.path().join("the-card-again.csv");
    std::fs::write(
        &again,
        "commune_code,household_code,member_no,kind,decision,decided_on,status,delivered_on,central_recurrent,override_reason\n\
         03325,DB-002,1,vocational_training,22/QĐ-UBND,2025-11-26,delivered,2025-11-27,3000000,\n\
         03325,DB-001,1,health_insurance,31/QĐ-UBND,2025-12-01,delivered,2025-12-02,1263600,\n",
    )
    .expect("write");
    let out = run(&["support", "import", again.to_str().expect("path")]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("the-card-again.csv:2: kind: not eligible"),
        "{err}"
    );
    assert!(
        err.contains("the-card-again.csv:3: kind: not eligible"),
        "{err}"
    );
    assert!(err.contains("Health insurance card on 2025-11-05"), "{err}");
    assert!(err.contains("nothing imported: 2 errors"), "{err}");
    let out = run(&["support", "duplicates", "--unit", "11"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("0 duplicate pairs among 4 records"));
    // with a reason, the card is taken and the report finds the pair
    std::fs::write(
        &again,
        "commune_code,household_code,member_no,kind,decision,decided_on,status,delivered_on,central_recurrent,override_reason\n\
         03325,DB-001,1,health_insurance,31/QĐ-UBND,2025-12-01,delivered,2025-12-02,1263600,Cấp lại do thẻ bị mất\n",
    )
    .expect("write");
    let out = run(&["support", "import", again.to_str().expect("path")]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 on an officer's reason"));
    let out = run(&["support", "duplicates", "--unit", "03325"]);
    let report = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = report.lines().skip(1).collect();
    assert_eq!(lines.len(), 1, "{report}");
    assert!(
        lines[0].contains("health_insurance\t03325\tDB-001\t2025-11-05\t03325\tDB-001\t2025-12-01"),
        "{report}"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("1 duplicate pairs among 5 records"));
}
