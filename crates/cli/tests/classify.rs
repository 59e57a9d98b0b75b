//! `giamngheo classify` end to end: the binary on real files.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The command in English, whose sentences these tests read (one test reads the Vietnamese).
fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_giamngheo"));
    c.env("GIAMNGHEO_LANG", "en");
    c
}

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/survey-2025")
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("run giamngheo")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn example_args() -> Vec<String> {
    let e = examples();
    vec![
        "classify".into(),
        "--households".into(),
        e.join("households.csv").display().to_string(),
        "--members".into(),
        e.join("members.csv").display().to_string(),
    ]
}

fn run_example(extra: &[&str]) -> Output {
    let mut args = example_args();
    args.extend(extra.iter().map(|s| s.to_string()));
    bin().args(&args).output().expect("run giamngheo")
}

#[test]
fn classifies_the_example_as_csv() {
    let out = run_example(&[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stderr), "");
    insta::assert_snapshot!("example_csv", text(&out.stdout));
}

#[test]
fn classifies_the_example_as_json() {
    let out = run_example(&["--format", "json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert_eq!(v.as_array().map(Vec::len), Some(8));
    assert_eq!(v[3]["deprivations"][0], "employment");
    insta::assert_snapshot!("example_json", text(&out.stdout));
}

#[test]
fn summary_of_the_example() {
    let out = run_example(&["--summary"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    insta::assert_snapshot!("example_summary", text(&out.stdout));
    let out = run_example(&["--summary", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    let all = &v[0]["all"];
    assert_eq!(all["households"], 8);
    assert_eq!(all["poor"], 3);
    assert_eq!(all["near_poor"], 3);
    assert_eq!(all["average"], 1);
    assert_eq!(all["not_poor"], 1);
    assert_eq!(v[0]["urban"]["households"], 2);
    assert_eq!(v[0]["rural"]["poor"], 2);
    // Alkire-Foster with k = 3: DB-001, DB-004, DB-007 lack 3 or more of 12
    assert_eq!(all["alkire_foster"]["multidimensionally_poor"], 3);
    let m0 = all["alkire_foster"]["m0"].as_f64().expect("m0");
    assert!((m0 - 14.0 / 96.0).abs() < 1e-12, "{m0}");
}

#[test]
fn records_go_to_the_output_file_and_summary_to_stdout() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out_path = dir.path().join("out.csv");
    let out = run_example(&["--summary", "-o", out_path.to_str().expect("path")]);
    assert!(out.status.success());
    let written = std::fs::read_to_string(&out_path).expect("output written");
    assert_eq!(written.lines().count(), 9);
    assert!(text(&out.stdout).starts_with("Standard vn-2022-2025"));
}

fn bad_survey(dir: &Path) -> (PathBuf, PathBuf) {
    let e = examples();
    let mut hh = std::fs::read_to_string(e.join("households.csv")).expect("read");
    hh = hh.replace("DB-005,03334,", "DB-005,99999,");
    let h = dir.join("households.csv");
    std::fs::write(&h, hh).expect("write");
    let m = dir.join("members.csv");
    std::fs::copy(e.join("members.csv"), &m).expect("copy");
    (h, m)
}

#[test]
fn a_bad_row_fails_the_run_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (h, m) = bad_survey(dir.path());
    let out_path = dir.path().join("out.csv");
    let args = [
        "classify",
        "--households",
        h.to_str().expect("p"),
        "--members",
        m.to_str().expect("p"),
        "-o",
        out_path.to_str().expect("p"),
    ];
    let out = run(&args);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("households.csv:6: commune_code: unknown commune `99999`"),
        "{err}"
    );
    assert!(
        err.contains("1 error(s); 1 household(s) rejected, 7 classified; no records written"),
        "{err}"
    );
    assert!(!out_path.exists(), "no half output");
    // to standard output likewise nothing
    let out = run(&args[..5]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), "");
    // --keep-going writes the valid households, and still fails
    let mut keep = args.to_vec();
    keep.push("--keep-going");
    let out = run(&keep);
    assert_eq!(out.status.code(), Some(1));
    let written = std::fs::read_to_string(&out_path).expect("written");
    assert_eq!(written.lines().count(), 8);
    assert!(!written.contains("DB-005"));
}

#[test]
fn standards_by_year_or_named() {
    let out = run_example(&["--standard", "vn-2027-2030"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let s = text(&out.stdout);
    // 2,250,000 is above the 2027 rural line, and no average band is published for 2027
    assert!(
        s.contains("DB-003,vn-2027-2030,rural,2200000,not_poor,0,"),
        "{s}"
    );
    assert!(
        s.contains("DB-002,vn-2027-2030,rural,2200000,near_poor,2,"),
        "{s}"
    );
    // waste is an indicator of 2027-2030, information is not
    assert!(s.contains("DB-001,vn-2027-2030,rural,2200000,poor,5,housing_quality;water;sanitation;telecom;waste"), "{s}");
    let out = run_example(&["--standard", "vn-1990"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("unknown standard `vn-1990` (known: vn-2022-2025 for 2022-2026, vn-2027-2030 for 2027-2030)"));
}

#[test]
fn a_year_no_standard_governs_is_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    let e = examples();
    let hh = std::fs::read_to_string(e.join("households.csv"))
        .expect("read")
        .replace("2025-10-16", "2031-10-16");
    std::fs::write(dir.path().join("h.csv"), hh).expect("write");
    let h = dir.path().join("h.csv");
    let m = e.join("members.csv");
    let args = [
        "classify",
        "--households",
        h.to_str().expect("p"),
        "--members",
        m.to_str().expect("p"),
    ];
    let out = run(&args);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("h.csv:4: survey_date: no standard governs review year 2031"),
        "{err}"
    );
    // a provincial standard for 2031 loaded from a file governs it, with no code change
    let province = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../standards/vn-2022-2025.toml"),
    )
    .expect("standard")
    .replace("id = \"vn-2022-2025\"", "id = \"p11-2031\"")
    .replace(
        "review_years = { from = 2022, to = 2026 }",
        "review_years = { from = 2031, to = 2031 }",
    )
    .replace("rural = 1_500_000\n", "rural = 1_300_000\n");
    let sf = dir.path().join("p11-2031.toml");
    std::fs::write(&sf, province).expect("write");
    let mut with = args.to_vec();
    with.extend(["--standard-file", sf.to_str().expect("p")]);
    let out = run(&with);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let s = text(&out.stdout);
    assert!(
        s.contains("DB-003,p11-2031,rural,1300000,average,0,"),
        "{s}"
    );
    assert!(
        s.contains("DB-002,vn-2022-2025,rural,1500000,near_poor"),
        "{s}"
    );
}

#[test]
fn a_missing_file_is_named() {
    let out = run(&["classify", "--households", "/nonexistent/h.csv"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("/nonexistent/h.csv: cannot open"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_workbook_classifies_like_the_csv_files() {
    use rust_xlsxwriter::Workbook;
    let dir = tempfile::tempdir().expect("tempdir");
    let book = dir.path().join("survey.xlsx");
    let mut wb = Workbook::new();
    for (sheet, file) in [("households", "households.csv"), ("members", "members.csv")] {
        let ws = wb.add_worksheet().set_name(sheet).expect("sheet");
        let mut rdr = csv::Reader::from_path(examples().join(file)).expect("csv");
        let headers = rdr.headers().expect("headers").clone();
        for (c, h) in headers.iter().enumerate() {
            ws.write_string(0, c as u16, h).expect("cell");
        }
        for (r, rec) in rdr.records().enumerate() {
            for (c, v) in rec.expect("record").iter().enumerate() {
                if !v.is_empty() {
                    ws.write_string(r as u32 + 1, c as u16, v).expect("cell");
                }
            }
        }
    }
    wb.save(&book).expect("save");
    let out = run(&["classify", "--households", book.to_str().expect("p")]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let csv_out = run_example(&[]);
    assert_eq!(text(&out.stdout), text(&csv_out.stdout));
}
