//! Phiếu B as an XLSForm, downloaded from the import page and converted by pyxform (the
//! converter ODK Central and KoboToolbox use) into an XForm: it must convert, and keep the
//! format's names, rules and both languages.

mod support;

use axum::http::StatusCode;
use support::*;

/// pyxform's converter: `GIAMNGHEO_XLS2XFORM`, or `xls2xform` on the path.
fn xls2xform() -> Option<std::path::PathBuf> {
    if let Some(p) = std::env::var_os("GIAMNGHEO_XLS2XFORM") {
        return Some(p.into());
    }
    std::process::Command::new("xls2xform")
        .arg("--help")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|_| "xls2xform".into())
}

#[tokio::test]
async fn the_xlsform_converts_to_an_xform_with_the_formats_rules() {
    // (the form is the same on every backend: SQLite only)
    let db = tempfile::tempdir().expect("dir");
    let site = site(&db.path().join("registry.db").display().to_string()).await;
    let xa = site.login("xa").await;
    let r = site.get("/import/phieu-b-xlsform.xlsx", &xa).await;
    assert_eq!(r.status, StatusCode::OK);
    let page = site.get("/import", &xa).await;
    assert!(page
        .body
        .contains("Phiếu B cho ODK Collect, KoboToolbox (XLSForm)"));
    let Some(tool) = xls2xform() else {
        giamngheo_testing::skip(
            giamngheo_testing::Skipped::Test,
            "pyxform's xls2xform is not installed (pip install pyxform)",
        );
        return;
    };
    let dir = tempfile::tempdir().expect("dir");
    let form = dir.path().join("phieu-b.xlsx");
    std::fs::write(&form, &r.bytes).expect("write");
    let xml = dir.path().join("phieu-b.xml");
    let out = std::process::Command::new(&tool)
        .arg("--skip_validate")
        .arg(&form)
        .arg(&xml)
        .output()
        .expect("xls2xform runs");
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let x = std::fs::read_to_string(&xml).expect("the XForm");
    for needle in [
        "<h:title>Phiếu B: rà soát hộ nghèo, hộ cận nghèo</h:title>",
        "id=\"giamngheo_phieu_b\"",
        "nodeset=\"/data/members\"",
        "regex(., '^[0-9]{12}$')",
        "nodeset=\"/data/members/labour\"",
        " &gt;= 15",
        "lang=\"Tiếng Việt (vi)\"",
        "lang=\"English (en)\"",
        "Nguồn nước sinh hoạt",
        "Drinking water",
        "position(..)",
    ] {
        assert!(x.contains(needle), "{needle} in the XForm");
    }
}
