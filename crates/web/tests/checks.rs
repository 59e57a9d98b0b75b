//! The validation page: the example report's figures uploaded and every broken rule listed
//! with both sides and its rows; a bad file refused by row and column; the rules shown.

mod support;

use axum::http::StatusCode;
use support::*;

fn upload(csrf: &str, name: &str, text: &str) -> (String, String) {
    let b = "CheCkBoUnDaRy";
    (
        format!("multipart/form-data; boundary={b}"),
        format!(
            "--{b}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\r\n{text}\r\n--{b}--\r\n"
        ),
    )
}

#[tokio::test]
async fn reported_figures_are_checked_on_the_validation_page() {
    let site = site("sqlite::memory:").await;
    let cookie = site.login("lanhdao").await;
    let page = site.get("/checks", &cookie).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page
        .body
        .contains("Số hộ nghèo của tỉnh bằng tổng của các xã"));
    let csrf = value_of(&page.body, "csrf");
    let example = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../examples/checks/bao-cao-tong-hop.csv"),
    )
    .expect("example");
    let (kind, body) = upload(&csrf, "bao-cao.csv", &example);
    let r = site.post_multipart("/checks", &cookie, &kind, body).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("Số quy tắc bị vi phạm: 2"), "{}", r.body);
    assert!(
        r.body
            .contains("Tỷ lệ giải ngân đúng bằng giải ngân trên kế hoạch"),
        "{}",
        r.body
    );
    assert!(r.body.contains("poor (3, 4); poor (2)"), "{}", r.body);
    // a bad file: its row and column named
    let (kind, body) = upload(&csrf, "sai.csv", "unit_code,poor\n99999,1\n");
    let r = site.post_multipart("/checks", &cookie, &kind, body).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("sai.csv:2"), "{}", r.body);
    // without a session: to the login page
    assert_eq!(site.get("/checks", "").await.status, StatusCode::SEE_OTHER);
}
