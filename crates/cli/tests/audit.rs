//! `giamngheo audit head` and `audit verify --head`: the chain's head exported, the log checked
//! against it, and a log cut after the export caught though its chain still looks intact.

use std::process::Command;

/// The command in English, whose sentences these tests read (one test reads the Vietnamese).
fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_giamngheo"));
    c.env("GIAMNGHEO_LANG", "en");
    c
}

fn run(args: &[&str], db: &std::path::Path) -> (bool, String) {
    let out = bin().args(args).arg("--db").arg(db).output().expect("run");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[tokio::test]
async fn a_log_cut_after_its_head_was_exported_is_caught() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("registry.db");
    // an import and a new user: two entries in the log
    let out = bin()
        .args(["import", "--year", "2025", "--db"])
        .arg(&db)
        .arg(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/survey-2025"))
        .output()
        .expect("import");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut add = bin()
        .args(["user", "add", "thanhtra", "--role", "inspector", "--db"])
        .arg(&db)
        .stdin(std::process::Stdio::piped())
        .spawn()
        .expect("user add");
    {
        use std::io::Write;
        let mut stdin = add.stdin.take().expect("stdin");
        stdin.write_all(b"mat-khau-dai-1\n").expect("password");
    }
    assert!(add.wait().expect("user add").success());
    let (ok, head) = run(&["audit", "head"], &db);
    assert!(ok);
    let v: serde_json::Value = serde_json::from_str(&head).expect("json");
    assert_eq!(v["id"], 2, "{head}");
    assert_eq!(v["hash"].as_str().map(str::len), Some(64));
    assert!(v["at"].is_string());
    let file = dir.path().join("head.json");
    std::fs::write(&file, &head).expect("write");
    let verify = ["audit", "verify", "--head", file.to_str().expect("path")];
    let (ok, out) = run(&verify, &db);
    assert!(ok, "{out}");
    assert!(
        out.contains("intact (2 entries)") && out.contains("entry 2 holds"),
        "{out}"
    );
    // the last entry deleted with the guards dropped: the chain alone still looks intact
    giamngheo_testing::tamper_audit_log(
        &db.display().to_string(),
        "DELETE FROM audit_log WHERE id = 2",
    )
    .await
    .expect("tamper");
    let (ok, out) = run(&["audit", "verify"], &db);
    assert!(ok && out.contains("intact (1 entries)"), "{out}");
    let (ok, out) = run(&verify, &db);
    assert!(!ok, "{out}");
    assert!(
        out.contains("entry 2 of the exported head is gone"),
        "{out}"
    );
}
