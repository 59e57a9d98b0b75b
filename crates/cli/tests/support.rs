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

#[test]
fn models_and_participants_import_and_outcomes_and_the_list_export() {
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
    // participants of models not yet recorded: every row named, nothing written
    let participants = examples().join("support/thanh-vien-2025.csv");
    let out = run(&[
        "support",
        "import-models",
        participants.to_str().expect("path"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("thanh-vien-2025.csv:2: model_code: no model or project `MH-2025-01`"),
        "{err}"
    );
    assert!(
        err.contains("thanh-vien-2025.csv:3: model_code: no model or project `DA-2025-02`"),
        "{err}"
    );
    // the models (the value chain at 80 % on its document), then their participants
    let models = examples().join("support/mo-hinh-2025.csv");
    let out = run(&["support", "import-models", models.to_str().expect("path")]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("recorded 2 models or projects and 0 participants"),
        "{text}"
    );
    let out = run(&[
        "support",
        "import-models",
        participants.to_str().expect("path"),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("and 2 participants"));
    // the same models again: their codes are taken
    let out = run(&["support", "import-models", models.to_str().expect("path")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains(
        "mo-hinh-2025.csv:2: code: the province has a model or project `MH-2025-01` already"
    ));
    // outcomes: both participants poor on joining, none reviewed again yet
    let out = run(&["support", "outcomes", "--unit", "11"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<Vec<&str>> = text.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(lines[0][..4], ["item", "kind", "records", "households"]);
    let model = lines
        .iter()
        .find(|l| l[1] == "livelihood_model")
        .expect("the cattle model's line");
    // one household, poor, not reviewed again: no share and no cost per escape yet
    assert_eq!(model[2..7], ["1", "1", "1", "0", "0"], "{text}");
    assert_eq!((model[7], model[11]), ("", ""), "{text}");
    let chain = lines
        .iter()
        .find(|l| l[1] == "production_support")
        .expect("the value chain's line");
    assert_eq!(chain[10], "50000000", "{text}");
    // the list's export, read back by the import's reader: both participants, their models named
    let csv = dir.path().join("export.csv");
    let out = run(&[
        "support",
        "export",
        "--unit",
        "11",
        "--out",
        csv.to_str().expect("path"),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&csv).expect("export");
    let mut r = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let header = r.headers().expect("header").clone();
    let at = |name: &str| header.iter().position(|h| h == name).expect(name);
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.expect("row")).collect();
    let mut models: Vec<&str> = rows.iter().filter_map(|x| x.get(at("x_model"))).collect();
    models.sort_unstable();
    assert_eq!(models, ["DA-2025-02", "MH-2025-01"]);
    let xlsx = dir.path().join("export.xlsx");
    let out = run(&[
        "support",
        "export",
        "--unit",
        "03325",
        "--out",
        xlsx.to_str().expect("path"),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&xlsx).expect("workbook");
    let sheet = book.worksheet_range("ho_tro").expect("sheet");
    assert_eq!(
        sheet.rows().count(),
        2,
        "the header and 03325's one participant"
    );
    // the models and their participants, exported and imported into a new registry as they were
    let models_out = dir.path().join("mo-hinh.csv");
    let out = run(&[
        "support",
        "export-models",
        "--unit",
        "11",
        "--out",
        models_out.to_str().expect("path"),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let other = dir.path().join("other.db");
    let again = |args: &[&str]| {
        bin()
            .args(args)
            .arg("--db")
            .arg(&other)
            .output()
            .expect("run")
    };
    let out = again(&["import", "--year", "2025", survey.to_str().expect("path")]);
    assert!(out.status.success());
    for file in [
        models_out.clone(),
        dir.path().join("mo-hinh-thanh-vien.csv"),
    ] {
        let out = again(&["support", "import-models", file.to_str().expect("path")]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let first = run(&["support", "outcomes", "--unit", "11"]);
    let second = again(&["support", "outcomes", "--unit", "11"]);
    assert_eq!(
        String::from_utf8_lossy(&first.stdout),
        String::from_utf8_lossy(&second.stdout)
    );
}
