//! `giamngheo import` end to end on SQLite: a run, a re-run, and a run killed in the middle.

use giamngheo_store::Store;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_giamngheo"))
}

fn examples() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/survey-2025")
}

async fn counts(db: &std::path::Path) -> giamngheo_store::Counts {
    let store = Store::open(&db.display().to_string()).await.expect("open");
    let c = store.counts().await.expect("counts");
    store.close().await;
    c
}

#[tokio::test]
async fn import_then_import_again() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("registry.db");
    let run = || {
        bin()
            .args(["import", "--year", "2025", "--db"])
            .arg(&db)
            .arg(examples().join("households.csv"))
            .output()
            .expect("import")
    };
    let out = run();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("imported 8 households and 16 members for 2025 (import #1)"),
        "{stdout}"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("new registry"));
    let out = run();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("already imported for 2025 (import #1)"));
    let c = counts(&db).await;
    assert_eq!(
        (c.households, c.members, c.assessments, c.imports),
        (8, 16, 8, 1)
    );
}

#[tokio::test]
async fn a_rejected_file_exits_1_and_names_its_rows() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("registry.db");
    let h = std::fs::read_to_string(examples().join("households.csv")).expect("read");
    std::fs::write(
        dir.path().join("households.csv"),
        h.replace(",surface,", ",river,"),
    )
    .expect("write");
    std::fs::copy(
        examples().join("members.csv"),
        dir.path().join("members.csv"),
    )
    .expect("copy");
    let out = bin()
        .args(["import", "--year", "2025", "--db"])
        .arg(&db)
        .arg(dir.path())
        .output()
        .expect("import");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("households.csv:2: water_source: unknown code `river`"),
        "{err}"
    );
    assert!(
        err.contains("households.csv:9: water_source: unknown code `river`"),
        "{err}"
    );
    assert!(String::from_utf8_lossy(&out.stdout)
        .contains("not imported: 2 error(s); nothing of this file was stored"));
    let c = counts(&db).await;
    assert_eq!((c.households, c.imports), (0, 0));
}

/// A kill -9 in the middle of an import leaves the registry as it was before; the next run
/// imports the file whole.
#[tokio::test]
async fn killed_in_the_middle_nothing_is_half_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("registry.db");
    // a first file, imported whole
    let out = bin()
        .args(["import", "--year", "2025", "--db"])
        .arg(&db)
        .arg(examples().join("households.csv"))
        .output()
        .expect("import");
    assert!(out.status.success());
    // a large survey, killed while it is being imported
    let survey = dir.path().join("big");
    let out = bin()
        .args([
            "synth",
            "--households",
            "4000",
            "--province",
            "11",
            "--years",
            "2025",
            "--seed",
            "9",
            "--out-dir",
        ])
        .arg(&survey)
        .output()
        .expect("synth");
    assert!(out.status.success());
    let mut child = bin()
        .args(["import", "--year", "2025", "--db"])
        .arg(&db)
        .arg(&survey)
        // a small page cache, so that the transaction spills its pages into the WAL as it goes
        // (with the default cache nothing reaches the disk before the commit)
        .env("GIAMNGHEO_SQLITE_CACHE_KIB", "256")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn import");
    // wait until the import has begun writing (the WAL file grows), then kill -9
    let wal = dir.path().join("registry.db-wal");
    let start = Instant::now();
    let before = std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
    while std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0) <= before + 64 * 1024 {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "the import never started writing"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(
        child.try_wait().expect("poll").is_none(),
        "the import ended before the kill: make the survey larger"
    );
    child.kill().expect("kill -9");
    child.wait().expect("reap");
    // the registry holds exactly what it held before, and is sound
    let c = counts(&db).await;
    assert_eq!(
        (c.households, c.members, c.assessments, c.imports),
        (8, 16, 8, 1)
    );
    let store = Store::open(&db.display().to_string()).await.expect("open");
    assert_eq!(store.integrity_check().await.expect("check"), "ok");
    store.close().await;
    // run again: the file is imported whole
    let out = bin()
        .args(["import", "--year", "2025", "--db"])
        .arg(&db)
        .arg(&survey)
        .output()
        .expect("import");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let c = counts(&db).await;
    assert_eq!((c.households, c.assessments, c.imports), (4008, 4008, 2));
}

#[test]
fn export_round_trips_through_csv_and_xlsx() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("registry.db");
    let out = bin()
        .args(["import", "--year", "2025", "--db"])
        .arg(&db)
        .arg(examples().join("households.csv"))
        .output()
        .expect("import");
    assert!(out.status.success());
    let classify = |args: &[&std::path::Path]| {
        let mut c = bin();
        c.arg("classify").arg("--households").arg(args[0]);
        if let Some(m) = args.get(1) {
            c.arg("--members").arg(m);
        }
        let out = c.output().expect("classify");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    let original = classify(&[
        &examples().join("households.csv"),
        &examples().join("members.csv"),
    ]);
    for target in ["exported", "exported.xlsx"] {
        let path = dir.path().join(target);
        let out = bin()
            .args(["export", "--year", "2025", "--unit", "11", "--db"])
            .arg(&db)
            .arg("-o")
            .arg(&path)
            .output()
            .expect("export");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let again = if target.ends_with(".xlsx") {
            classify(&[&path])
        } else {
            classify(&[&path.join("households.csv"), &path.join("members.csv")])
        };
        assert_eq!(again, original, "{target}");
    }
    let out = bin()
        .args(["export", "--year", "2024", "--unit", "11", "--db"])
        .arg(&db)
        .arg("-o")
        .arg(dir.path().join("none"))
        .output()
        .expect("export");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no assessment of unit `11` for 2024"));
}
