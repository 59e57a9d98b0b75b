//! `giamngheo demo` then `giamngheo report`: a registry filled over years, read back as figures.

use std::process::Command;

/// The command in English, whose sentences these tests read (one test reads the Vietnamese).
fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_giamngheo"));
    c.env("GIAMNGHEO_LANG", "en");
    c
}

#[test]
fn demo_then_report() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("demo.db");
    let db = db.to_str().expect("path");
    let out = bin()
        .args([
            "demo",
            "--province",
            "11",
            "--households",
            "2000",
            "--years",
            "2022..2024",
            "--db",
            db,
        ])
        .output()
        .expect("demo");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = bin()
        .args([
            "report",
            "--db",
            db,
            "--unit",
            "11",
            "--from",
            "2022",
            "--to",
            "2024",
            "--format",
            "json",
            "--target-points",
            "4",
        ])
        .output()
        .expect("report");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(r["name"], "Điện Biên");
    let years = r["years"].as_array().expect("years");
    assert_eq!(years.len(), 3);
    assert_eq!(years[0]["households"], 2000);
    let rate = |y: &serde_json::Value| y["poor_rate"].as_f64().expect("rate");
    for y in years {
        let expect = 100.0 * y["poor"].as_f64().expect("poor")
            / y["households"].as_f64().expect("households");
        assert!((rate(y) - expect).abs() < 1e-9);
    }
    let decrease = r["average_annual_decrease"].as_f64().expect("decrease");
    assert!((decrease - (rate(&years[0]) - rate(&years[2])) / 2.0).abs() < 1e-9);
    assert!(decrease > 1.0, "poverty falls: {decrease}");
    let achieved = r["target_achievement"].as_f64().expect("achievement");
    assert!((achieved - 100.0 * decrease / 4.0).abs() < 1e-9);
    // communes add up to the province
    let communes = r["communes"].as_array().expect("communes");
    let households: i64 = communes
        .iter()
        .map(|c| c["last"]["households"].as_i64().expect("n"))
        .sum();
    assert_eq!(households, years[2]["households"].as_i64().expect("n"));
    assert_eq!(r["deprivation_profile"].as_array().map(Vec::len), Some(12));
    // the same as a table and as CSV
    let out = bin()
        .args([
            "report", "--db", db, "--unit", "11", "--from", "2022", "--to", "2024",
        ])
        .output()
        .expect("report");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("Điện Biên (11)"), "{text}");
    assert!(
        text.contains("average annual decrease of the poverty rate"),
        "{text}"
    );
    let out = bin()
        .args([
            "report", "--db", db, "--unit", "11", "--from", "2022", "--to", "2024", "--format",
            "csv",
        ])
        .output()
        .expect("report");
    let csv = String::from_utf8_lossy(&out.stdout);
    assert_eq!(csv.lines().filter(|l| l.starts_with("unit,11,")).count(), 3);
    // as a workbook, read back
    let book = dir.path().join("report.xlsx");
    let out = bin()
        .args([
            "report", "--db", db, "--unit", "11", "--from", "2022", "--to", "2024", "--format",
            "xlsx", "-o",
        ])
        .arg(&book)
        .output()
        .expect("report");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    {
        use calamine::{Data, DataType, Reader, Xlsx};
        let mut wb: Xlsx<_> = calamine::open_workbook(&book).expect("workbook");
        let years = wb.worksheet_range("years").expect("years sheet");
        assert_eq!(years.get_value((1, 1)), Some(&Data::Float(2000.0)));
        let poor = years
            .get_value((3, 2))
            .and_then(|v| v.as_f64())
            .expect("poor 2024");
        assert_eq!(poor, years_json_poor(&r, 2));
        let profile = wb.worksheet_range("deprivations").expect("profile sheet");
        assert_eq!(
            profile.get_value((1, 0)),
            Some(&Data::String("Employment".into()))
        );
    }
    // a unit that does not exist, and one with no data
    let out = bin()
        .args([
            "report", "--db", db, "--unit", "99", "--from", "2022", "--to", "2024",
        ])
        .output()
        .expect("report");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown unit `99`"));
    let out = bin()
        .args([
            "report", "--db", db, "--unit", "14", "--from", "2022", "--to", "2024",
        ])
        .output()
        .expect("report");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no assessment of Sơn La (14)"));
}

fn years_json_poor(r: &serde_json::Value, i: usize) -> f64 {
    r["years"][i]["poor"].as_f64().expect("poor")
}
