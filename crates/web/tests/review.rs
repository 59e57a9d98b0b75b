//! The annual review through the pages, on each backend: the province's plan, the commune's
//! window, the board taking the commune's households from the list to their certificates, and
//! the public posting read without logging in (names, villages and proposed classes; no ID
//! numbers, no incomes).

mod support;

use axum::http::StatusCode;
use giamngheo_app::access::Role;
use giamngheo_app::import::{ImportOptions, SurveyFiles};
use giamngheo_app::{NewAccount, Registry};
use giamngheo_rules::UnitCode;
use giamngheo_testing::databases;
use support::*;

/// Two years of a synthetic Điện Biên, and the commune with the most escapes in the second.
async fn two_years(url: &str, dir: &std::path::Path) -> (Registry, String) {
    use giamngheo_survey::synth::{Panel, SynthOptions};
    let mut panel = Panel::new(&SynthOptions {
        households: 400,
        province: Some("11".into()),
        year: 2024,
        seed: 7,
    })
    .expect("panel");
    for year in [2024, 2025] {
        let d = dir.join(year.to_string());
        std::fs::create_dir_all(&d).expect("dir");
        let mut h = std::fs::File::create(d.join("households.csv")).expect("file");
        let mut m = std::fs::File::create(d.join("members.csv")).expect("file");
        panel.write(&mut h, &mut m).expect("write");
        panel.advance();
    }
    let registry = registry(url, &dir.join("2025")).await;
    let files = SurveyFiles::find(&dir.join("2024")).expect("survey");
    let r = registry
        .unscoped()
        .import_survey(&ImportOptions::year(2024), &files, &mut |_, _| {})
        .await
        .expect("import");
    assert!(r.errors.is_empty());
    let sums = registry
        .unscoped()
        .commune_summaries(&UnitCode::parse("11").expect("unit"), 2025, 2025)
        .await
        .expect("summaries");
    let commune = sums
        .iter()
        .max_by_key(|s| (s.escaped, s.poor))
        .expect("a commune")
        .commune_code
        .clone();
    for (name, role, unit) in [
        ("tinh", Role::ProvincialOfficer, "11"),
        ("xa", Role::CommuneOfficer, commune.as_str()),
        ("lanhdao", Role::Leader, "11"),
    ] {
        registry
            .unscoped()
            .add_user(&NewAccount {
                name: name.into(),
                full_name: name.into(),
                role,
                unit: UnitCode::parse(unit),
                password: PASSWORD.into(),
            })
            .await
            .expect("user");
    }
    (registry, commune)
}

/// A board's review number (`/reviews/N`).
fn board_id(board: &str) -> i64 {
    board
        .rsplit('/')
        .next()
        .and_then(|n| n.parse().ok())
        .expect("a review's number")
}

/// A form's hidden token on a page.
async fn csrf(site: &Site, cookie: &str, page: &str) -> String {
    value_of(&site.get(page, cookie).await.body, "csrf")
}

#[tokio::test]
async fn a_review_from_the_plan_to_the_certificates_on_the_pages() {
    for db in databases().await {
        let dir = tempfile::tempdir().expect("tempdir");
        let (registry, commune) = two_years(&db.url, dir.path()).await;
        let site = Site {
            state: giamngheo_web::AppState::new(registry),
        };
        let tinh = site.login("tinh").await;
        let token = csrf(&site, &tinh, "/units/11/reviews?year=2025").await;
        let plan = |starts: &str| {
            format!(
                "csrf={token}&year=2025&plan_number={}&plan_date=2025-08-25&starts={starts}&ends=2025-12-14",
                enc("30/KH-UBND")
            )
        };
        // outside the window: said in words, nothing made
        let bad = site
            .post_form("/units/11/reviews", &tinh, &plan("2025-08-30"))
            .await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        // (the template escapes "/" as &#x2f;)
        let slash = |t: &str| t.replace('/', "&#x2f;");
        assert!(
            bad.body.contains(&slash("01/09/2025 – 14/12/2025")),
            "{}",
            bad.body
        );
        let made = site
            .post_form("/units/11/reviews", &tinh, &plan("2025-09-01"))
            .await;
        assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
        // a leader reads, and may not plan
        let leader = site.login("lanhdao").await;
        let page = site.get("/units/11/reviews?year=2025", &leader).await;
        assert!(
            page.body.contains(&slash("30/KH-UBND")) && !page.body.contains("name=\"plan_number\"")
        );
        // the commune's window, inside the plan
        let xa = site.login("xa").await;
        let home = format!("/units/{commune}/reviews?year=2025");
        let page = site.get(&home, &xa).await;
        let parent = value_of(&page.body, "parent");
        let token = value_of(&page.body, "csrf");
        let window = site
            .post_form(
                &format!("/units/{commune}/reviews"),
                &xa,
                &format!("csrf={token}&year=2025&parent={parent}&plan_number=05%2FKH-UBND&plan_date=2025-09-05&starts=2025-09-10&ends=2025-11-30"),
            )
            .await;
        assert_eq!(window.status, StatusCode::SEE_OTHER, "{}", window.body);
        let board = window.location.expect("the board");
        let step = |action: &str, more: &str| {
            let (site, xa, board, token) = (&site, &xa, &board, &token);
            let action = action.to_string();
            let more = more.to_string();
            async move {
                site.post_form(
                    &format!("{board}/{action}"),
                    xa,
                    &format!("csrf={token}{more}"),
                )
                .await
            }
        };
        let r = step("list", "").await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "list: {}", r.body);
        // a household off last year's lists asks to be reviewed (Mẫu 01)
        let applicant = site
            .state
            .registry
            .unscoped()
            .households(&giamngheo_app::records::HouseholdQuery {
                unit: UnitCode::parse(&commune).expect("commune"),
                year: 2024,
                text: None,
                class: Some(giamngheo_rules::Class::NotPoor),
                village: None,
                ethnic_code: None,
                deprivation: None,
                limit: 1,
                offset: 0,
            })
            .await
            .expect("households")
            .lines
            .remove(0)
            .code;
        let apply = |code: &str, kind: &str, date: &str| {
            format!("&household={}&kind={kind}&date={date}", enc(code))
        };
        for (more, says) in [
            (
                apply("KHONG-CO", "poor", "2025-09-12"),
                "xã không có hộ mã KHONG-CO",
            ),
            (
                apply(&applicant, "escape", "2025-09-12"),
                "cần chọn hộ đề nghị công nhận là hộ nghèo hay hộ cận nghèo",
            ),
            (
                apply(&applicant, "poor", "2025-12-01"),
                "không được sau hôm nay hay sau ngày kết thúc đợt rà soát",
            ),
        ] {
            let r = step("apply", &more).await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "{more}");
            assert!(r.body.contains(says), "{more}: {}", r.body);
        }
        let r = step("apply", &apply(&applicant, "near_poor", "2025-09-12")).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "apply: {}", r.body);
        let twice = step("apply", &apply(&applicant, "poor", "2025-09-15")).await;
        assert_eq!(twice.status, StatusCode::BAD_REQUEST);
        assert!(
            twice
                .body
                .contains(&format!("hộ {applicant} đã có trong danh sách rà soát")),
            "{}",
            twice.body
        );
        let listed = site
            .state
            .registry
            .for_actor(&giamngheo_app::access::Actor {
                user_id: 0,
                name: "xa".into(),
                full_name: String::new(),
                role: Role::CommuneOfficer,
                unit: UnitCode::parse(&commune),
            })
            .cases(board_id(&board), None)
            .await
            .expect("cases");
        let case = listed
            .iter()
            .find(|c| c.household_code == applicant)
            .expect("the applicant's case");
        assert_eq!(
            (case.origin.as_str(), case.step.as_str()),
            ("requested_near_poor", "listed")
        );
        for (action, more) in [("screen", "&eligible=1"), ("survey", "")] {
            let r = step(action, more).await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{action}: {}", r.body);
        }
        // each village with surveyed households meets
        let page = site.get(&board, &xa).await;
        assert!(
            page.body.contains("Đã khảo sát, chờ họp thôn"),
            "{}",
            page.body
        );
        let villages: Vec<String> = page
            .body
            .split("<select name=\"village\">")
            .nth(1)
            .and_then(|s| s.split("</select>").next())
            .map(|s| {
                s.split("<option value=\"")
                    .skip(1)
                    .filter_map(|o| o.split('"').next())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        assert!(!villages.is_empty());
        for v in &villages {
            let r = step(
                "meeting",
                &format!(
                    "&village={}&date=2025-10-20&participants=30&in_favour=15",
                    enc(v)
                ),
            )
            .await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{v}: {}", r.body);
        }
        // the minutes of each meeting, printable
        let minutes = site.get(&format!("{board}/meetings"), &xa).await;
        assert_eq!(minutes.status, StatusCode::OK);
        assert!(
            minutes.body.contains("BIÊN BẢN HỌP THÔN"),
            "{}",
            minutes.body
        );
        assert_eq!(
            minutes.body.matches("Thống nhất kết quả rà soát").count(),
            villages.len(),
            "{}",
            minutes.body
        );
        assert!(minutes.body.contains("<dd>30</dd>"), "{}", minutes.body);
        assert!(minutes.body.contains("Danh sách hộ đưa ra cuộc họp"));
        assert!(minutes.body.matches("<tr><td>1</td>").count() >= villages.len());
        // posted on Monday 3 November: the public reads it, logged out
        let r = step(
            "post",
            &format!("&date=2025-11-03&places={}", enc("Nhà văn hóa thôn")),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        // once posted, a household asking goes to an in-year round
        let late = step("apply", &apply("KHONG-CO", "poor", "2025-11-04")).await;
        assert_eq!(late.status, StatusCode::BAD_REQUEST);
        assert!(
            late.body.contains("đợt rà soát đã niêm yết công khai"),
            "{}",
            late.body
        );
        let id = board.rsplit('/').next().expect("id");
        let public = site.get(&format!("/public/reviews/{id}"), "").await;
        assert_eq!(public.status, StatusCode::OK);
        assert!(
            public.body.contains(&slash("03/11/2025 – 05/11/2025")),
            "{}",
            public.body
        );
        assert!(public.body.contains("Thoát nghèo") && public.body.contains("Hộ nghèo"));
        assert!(!public.body.contains("action=\"/logout\""));
        // no personal ID number, no income on it
        let digits = public
            .body
            .as_bytes()
            .windows(12)
            .any(|w| w.iter().all(u8::is_ascii_digit));
        assert!(!digits, "an ID number on the public page");
        assert!(!public.body.contains("income") && !public.body.contains("thu nhập"));
        // a complaint answered as unjustified keeps the household on the list
        let page = site.get(&board, &xa).await;
        let posted = page
            .body
            .split("<select name=\"household\">")
            .nth(1)
            .and_then(|s| s.split("<option value=\"").nth(1))
            .and_then(|s| s.split('"').next())
            .expect("a posted household")
            .to_string();
        let r = step(
            "complaint",
            &format!(
                "&household={}&text={}",
                enc(&posted),
                enc("Hàng xóm hỏi về xe máy; đã giải thích")
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        // the opinion waits for the posting's end
        let early = step("consult", "&date=2025-11-05").await;
        assert_eq!(early.status, StatusCode::BAD_REQUEST);
        assert!(
            early.body.contains("chưa hết thời gian niêm yết"),
            "{}",
            early.body
        );
        for (action, more) in [
            ("consult", "&date=2025-11-06"),
            ("decide", "&number=125%2FQ%C4%90-UBND&date=2025-11-10"),
            ("certify", "&date=2025-11-12"),
        ] {
            let r = step(action, more).await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{action}: {}", r.body);
        }
        let page = site.get(&format!("{board}?done=certify"), &xa).await;
        assert!(
            page.body.contains("Đã cấp giấy chứng nhận."),
            "{}",
            page.body
        );
        // the board names the decision it holds
        assert!(
            page.body
                .contains(&format!("Quyết định số {}", slash("125/QĐ-UBND"))),
            "{}",
            page.body
        );
        // the decision with its annex lists, and the certificates, printable
        let decisions = site.get(&format!("{board}/decisions"), &xa).await;
        assert_eq!(decisions.status, StatusCode::OK);
        assert!(
            decisions.body.contains(&slash("125/QĐ-UBND")),
            "{}",
            decisions.body
        );
        // as a decision reads: its heading, what it is based on (the year's standard and the
        // procedure's instruments, as data), its articles, then one annex a list
        for part in [
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Về việc công nhận hộ nghèo, hộ cận nghèo, hộ thoát nghèo, hộ thoát cận nghèo năm 2025",
            &slash("Căn cứ Nghị định số 07/2021/NĐ-CP"),
            &slash("Căn cứ Quyết định số 24/2021/QĐ-TTg"),
            "<strong>Điều 1.</strong>",
            "<strong>Điều 3.</strong>",
            "DANH SÁCH HỘ NGHÈO NĂM 2025",
            "DANH SÁCH HỘ THOÁT",
        ] {
            assert!(decisions.body.contains(part), "{part}: {}", decisions.body);
        }
        // a household the decision leaves off the lists is in no annex
        assert!(!decisions.body.contains("HỘ KHÔNG THUỘC DANH SÁCH"));
        let certs = site.get(&format!("{board}/certificates"), &xa).await;
        assert_eq!(certs.status, StatusCode::OK);
        assert!(
            certs.body.contains(&slash("1/GCN-HN.HCN")),
            "{}",
            certs.body
        );
        assert!(certs
            .body
            .contains("GIẤY CHỨNG NHẬN HỘ NGHÈO, HỘ CẬN NGHÈO"));
        assert!(certs.body.contains("Độc lập - Tự do - Hạnh phúc"));
        // a leader sees the certificates' ID numbers masked
        let masked = site.get(&format!("{board}/certificates"), &leader).await;
        // (looked for in the certificates' facts only: the page's tokens are hex, and may hold
        // twelve digits in a row)
        let id_in_facts = |html: &str| {
            html.split("<dl class=\"facts\">")
                .skip(1)
                .filter_map(|s| s.split("</dl>").next())
                .any(|facts| {
                    facts
                        .as_bytes()
                        .windows(12)
                        .any(|w| w.iter().all(u8::is_ascii_digit))
                })
        };
        assert!(
            id_in_facts(&certs.body),
            "an officer sees IDs whole ({})",
            db.name
        );
        assert!(
            !id_in_facts(&masked.body),
            "a leader sees IDs masked ({})",
            db.name
        );
        // the leader reads the board and takes no step
        let read = site.get(&board, &leader).await;
        assert_eq!(read.status, StatusCode::OK);
        assert!(!read.body.contains("/certify\""));
        let refused = site
            .post_form(
                &format!("{board}/consult"),
                &leader,
                &format!("csrf={}", value_of(&read.body, "csrf")),
            )
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        // the provincial officer locks the year: the board takes no more steps
        let token = csrf(&site, &tinh, "/units/11/reviews?year=2025").await;
        let locked = site
            .post_form(
                "/units/11/reviews/lock",
                &tinh,
                &format!("csrf={token}&year=2025"),
            )
            .await;
        assert_eq!(locked.status, StatusCode::SEE_OTHER, "{}", locked.body);
        let page = site.get("/units/11/reviews?year=2025", &tinh).await;
        assert!(page.body.contains("Năm rà soát đã khóa."));
        let after = site.get(&board, &xa).await;
        assert!(!after.body.contains("Bước tiếp theo"), "{}", after.body);
        let r = step("list", "").await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(r.body.contains("năm rà soát đã khóa"), "{}", r.body);
        // after the lock only a new decision changes a household: a certified one corrected
        let certified = site.get(&format!("{board}?step=certified"), &xa).await;
        let code = certified
            .body
            .split("<a href=\"/households/")
            .nth(1)
            .and_then(|s| s.split('>').nth(1))
            .and_then(|s| s.split('<').next())
            .expect("a certified household")
            .to_string();
        assert!(
            certified.body.contains("Quyết định điều chỉnh"),
            "{}",
            certified.body
        );
        let correction = |reason: &str, number: &str| {
            format!(
                "&household={}&approved=not_listed&number={}&date=2025-12-20&text={}",
                enc(&code),
                enc(number),
                enc(reason)
            )
        };
        let household_id: String = certified
            .body
            .split("<a href=\"/households/")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .expect("its page")
            .to_string();
        let figures = || async {
            site.state
                .registry
                .unscoped()
                .commune_summaries(&UnitCode::parse(&commune).expect("commune"), 2025, 2026)
                .await
                .expect("summaries")
        };
        let before = figures().await;
        let r = step("correct", &correction("", "140/QĐ-UBND")).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(r.body.contains("cần nêu lý do điều chỉnh"), "{}", r.body);
        let r = step(
            "correct",
            &correction("Hộ có thu nhập từ con đi làm, xác minh lại", "125/QĐ-UBND"),
        )
        .await;
        assert_eq!(
            r.status,
            StatusCode::BAD_REQUEST,
            "the number of the first decision"
        );
        let r = step(
            "correct",
            &correction("Hộ có thu nhập từ con đi làm, xác minh lại", "140/QĐ-UBND"),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let decisions = site.get(&format!("{board}/decisions"), &xa).await;
        assert!(
            decisions.body.contains(&slash(
                "Về việc điều chỉnh kết quả công nhận tại Quyết định số 125/QĐ-UBND"
            )) && decisions
                .body
                .contains("lý do điều chỉnh: Hộ có thu nhập từ con đi làm"),
            "{}",
            decisions.body
        );
        let certs = site.get(&format!("{board}/certificates"), &xa).await;
        assert!(
            certs.body.contains("Giấy chứng nhận đã thu hồi"),
            "{}",
            certs.body
        );
        assert!(certs.body.contains(&format!("· {code}")), "{}", certs.body);
        let row = site
            .get(&format!("{board}?step=decided"), &xa)
            .await
            .body
            .split("<tr>")
            .find(|r| r.contains(&format!(">{code}</a>")))
            .map(str::to_string)
            .expect("the corrected household, decided again");
        assert!(row.contains("Không thuộc danh sách"), "{row}");
        // the correction is the household's class of the year in every figure: one poor or
        // near-poor fewer, one more not poor, the stock still adding up
        let after = figures().await;
        let (b, a) = (&before[0], &after[0]);
        assert_eq!(a.year, 2025);
        assert_eq!(
            (a.poor + a.near_poor, a.not_poor, a.households),
            (b.poor + b.near_poor - 1, b.not_poor + 1, b.households),
            "{}",
            db.name
        );
        assert!(a.stock_holds(), "{}: {a:?}", db.name);
        let page = site.get(&format!("/households/{household_id}"), &xa).await;
        assert!(
            page.body
                .contains("Phân loại theo quyết định công nhận (điều chỉnh); Phiếu B xếp hộ là"),
            "{}",
            page.body
        );
        // a leader corrects nothing
        let refused = site
            .post_form(
                &format!("{board}/correct"),
                &leader,
                &format!(
                    "csrf={}{}",
                    value_of(&read.body, "csrf"),
                    correction("x", "141/QĐ-UBND")
                ),
            )
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        // an in-year request filed from a household's page, before Tết: its round opens on
        // 15 February 2026 and must be decided by 13 March, working days counted
        let household = site
            .get(&format!("{board}?step=decided"), &xa)
            .await
            .body
            .split("<a href=\"/households/")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .expect("a household")
            .to_string();
        let page = site.get(&format!("/households/{household}"), &xa).await;
        assert!(page.body.contains("Tiếp nhận đơn"), "{}", page.body);
        // decided: its page names the decision, and its class is no longer only proposed
        assert!(
            page.body.contains(&slash("125/QĐ-UBND, 10/11/2025")),
            "{}",
            page.body
        );
        assert!(!page.body.contains("chưa có quyết định công nhận"));
        let token = value_of(&page.body, "csrf");
        let filed = site
            .post_form(
                &format!("/households/{household}/request"),
                &xa,
                &format!("csrf={token}&kind=poor&date=2026-02-10"),
            )
            .await;
        let round = filed.location.clone().expect("to the round");
        assert!(round.ends_with("?done=request"), "{round}");
        let page = site.get(&round, &xa).await;
        assert!(
            page.body.contains(&slash("Hạn giải quyết 13/03/2026")),
            "{}",
            page.body
        );
        assert!(page.body.contains("Quá hạn"));
        let twice = site
            .post_form(
                &format!("/households/{household}/request"),
                &xa,
                &format!("csrf={token}&kind=poor&date=2026-02-11"),
            )
            .await;
        let back = site
            .get(twice.location.as_deref().expect("back"), &xa)
            .await;
        assert!(
            back.body.contains("hộ đã có đơn trong đợt rà soát này"),
            "{}",
            back.body
        );
        let dashboard = site.get(&format!("/units/{commune}"), &xa).await;
        assert!(
            dashboard.body.contains("Đơn quá hạn giải quyết: 1"),
            "{}",
            dashboard.body
        );
        // refused in writing: no longer overdue
        let code = page
            .body
            .split("<form method=\"post\" action=\"")
            .find(|f| f.contains("/refuse\""))
            .and_then(|f| f.split("<option value=\"").nth(1))
            .and_then(|s| s.split('"').next())
            .expect("the household to refuse")
            .to_string();
        let round_path = round.trim_end_matches("?done=request");
        let refused = site
            .post_form(
                &format!("{round_path}/refuse"),
                &xa,
                &format!(
                    "csrf={token}&household={}&text={}",
                    enc(&code),
                    enc("Thu nhập trên chuẩn")
                ),
            )
            .await;
        assert_eq!(refused.status, StatusCode::SEE_OTHER, "{}", refused.body);
        let dashboard = site.get(&format!("/units/{commune}"), &xa).await;
        assert!(!dashboard.body.contains("Đơn quá hạn"));
        // every step in the audit log, in words
        for action in [
            "review.plan",
            "review.list",
            "review.apply",
            "review.meeting",
            "review.post",
            "review.decide",
            "review.certify",
        ] {
            assert!(
                !site.audited(action).await.is_empty(),
                "{}: {action}",
                db.name
            );
        }
        // the application names its household and day
        let applied = site.audited("review.apply").await;
        assert_eq!(applied.len(), 1, "{}", db.name);
        let after = applied[0].after.as_deref().unwrap_or("");
        assert!(
            after.contains(&applicant)
                && after.contains("2025-09-12")
                && after.contains("\"households\":1"),
            "{after}"
        );
        site.state.registry.close().await;
    }
}

/// The fields of a filled Phiếu B: a rural household of two at 1,000,000 VND a month in a
/// hut of 10 m² without water or latrine (poor by income and deprivations), with `id` as the
/// head's personal ID.
fn phieu_b(token: &str, survey_date: &str, id: &str) -> String {
    let fields = [
        ("csrf", token),
        ("h_village", "Bản Mới"),
        ("h_survey_date", survey_date),
        ("h_head_name", "Lò Văn Phiếu"),
        ("h_income_per_capita", "1000000"),
        ("h_has_house", "1"),
        ("h_nondurable_structures", "3"),
        ("h_floor_area_m2", "10"),
        ("h_water_source", "surface"),
        ("h_latrine", "none"),
        ("h_internet", "0"),
        ("h_info_devices", "radio"),
        ("h_info_devices", "phone"),
        ("m0_full_name", "Lò Văn Phiếu"),
        ("m0_id_number", id),
        ("m0_birth_date", "1980-03-01"),
        ("m0_sex", "M"),
        ("m0_ethnicity", "03"),
        ("m0_relation", "head"),
        ("m0_health_insurance", "1"),
        ("m0_labour", "self_employed"),
        ("m1_full_name", "Lò Thị Phiếu"),
        ("m1_birth_date", "1982"),
        ("m1_sex", "F"),
        ("m1_ethnicity", "03"),
        ("m1_relation", "spouse"),
        ("m1_health_insurance", "0"),
        ("m1_labour", "homemaker"),
        // a blank row, as the page always offers one: no member
        ("m2_full_name", ""),
        ("m2_birth_date", ""),
    ];
    fields
        .iter()
        .map(|(k, v)| format!("{k}={}", enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

#[tokio::test]
async fn phieu_b_on_the_page_is_checked_by_the_importer_classified_then_saved() {
    for db in databases().await {
        let dir = tempfile::tempdir().expect("tempdir");
        let (registry, commune) = two_years(&db.url, dir.path()).await;
        let site = Site {
            state: giamngheo_web::AppState::new(registry),
        };
        let tinh = site.login("tinh").await;
        let token = csrf(&site, &tinh, "/units/11/reviews?year=2025").await;
        let made = site
            .post_form(
                "/units/11/reviews",
                &tinh,
                &format!("csrf={token}&year=2025&plan_number=30%2FKH&plan_date=2025-08-25&starts=2025-09-01&ends=2025-12-14"),
            )
            .await;
        assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
        let xa = site.login("xa").await;
        let page = site
            .get(&format!("/units/{commune}/reviews?year=2025"), &xa)
            .await;
        let (parent, token) = (value_of(&page.body, "parent"), value_of(&page.body, "csrf"));
        let window = site
            .post_form(
                &format!("/units/{commune}/reviews"),
                &xa,
                &format!("csrf={token}&year=2025&parent={parent}&plan_number=05%2FKH&plan_date=2025-09-05&starts=2025-09-10&ends=2025-11-30"),
            )
            .await;
        let board = window.location.expect("the board");
        for action in ["list", "screen"] {
            let r = site
                .post_form(
                    &format!("{board}/{action}"),
                    &xa,
                    &format!("csrf={token}&eligible=1"),
                )
                .await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{action}: {}", r.body);
        }
        // the commune's dashboard says its last year is still under review
        let dashboard = site.get(&format!("/units/{commune}"), &xa).await;
        assert!(
            dashboard.body.contains("Đang rà soát năm 2025</a>: "),
            "{}",
            dashboard.body
        );
        assert!(dashboard.body.contains("hộ chưa có quyết định công nhận"));
        // and so does its household list: the classes it shows for the year are proposed
        let list = site
            .get(&format!("/units/{commune}/households?year=2025"), &xa)
            .await;
        assert!(
            list.body
                .contains("phân loại của các hộ đó là kết quả khảo sát (đề xuất)"),
            "{}",
            list.body
        );
        // each screened household has its form on the board
        let page = site.get(&board, &xa).await;
        let link = page
            .body
            .split("href=\"")
            .filter_map(|s| s.split('"').next())
            .find(|h| h.ends_with("/survey") && h.contains("/cases/"))
            .expect("a form's link")
            .to_string();
        assert!(page.body.contains("Nhập phiếu B"));
        // the form starts from the household's 2025 survey, in Vietnamese
        let form = site.get(&link, &xa).await;
        assert_eq!(form.status, StatusCode::OK, "{}", form.body);
        assert!(form.body.contains("Điền sẵn theo phiếu năm 2025"));
        for label in [
            "Nguồn nước sinh hoạt",
            "Số định danh cá nhân",
            "Thêm thành viên",
        ] {
            assert!(form.body.contains(label), "{label}");
        }
        assert!(form
            .body
            .contains("name=\"h_survey_date\" type=\"date\" value=\"2025-"));
        let code = form
            .body
            .split("<h1>Phiếu B · ")
            .nth(1)
            .and_then(|s| s.split([' ', '<']).next())
            .expect("the household's code")
            .to_string();
        // a person of another household of the registry, by their ID
        let members =
            std::fs::read_to_string(dir.path().join("2025/members.csv")).expect("members");
        let header: Vec<&str> = members.lines().next().expect("header").split(',').collect();
        let col = |n: &str| header.iter().position(|c| *c == n).expect("column");
        let taken = members
            .lines()
            .skip(1)
            .map(|l| l.split(',').collect::<Vec<_>>())
            .find(|r| r[col("household_id")] != code && !r[col("id_number")].is_empty())
            .map(|r| r[col("id_number")].to_string())
            .expect("an ID held elsewhere");
        // a bad ID, a date outside the year, an ID held by another household: each in words,
        // at its field, and nothing stored
        let before = site.audited("import").await.len();
        let bad = site
            .post_form(
                &link,
                &xa,
                &format!("{}&action=check", phieu_b(&token, "2024-10-01", "123")),
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
        assert!(bad.body.contains("Phiếu chưa hợp lệ"), "{}", bad.body);
        assert!(
            bad.body.contains("Số định danh cá nhân (12 số):"),
            "{}",
            bad.body
        );
        assert!(!bad.body.contains("Kết quả phân loại"));
        // (the values typed stay on the page)
        assert!(bad.body.contains("value=\"Lò Thị Phiếu\""));
        let held = site
            .post_form(
                &link,
                &xa,
                &format!("{}&action=check", phieu_b(&token, "2025-10-01", &taken)),
            )
            .await;
        assert_eq!(
            held.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            held.body
        );
        assert!(held.body.contains(&taken), "{}", held.body);
        // a good form: classified with its reasons, not yet stored
        let good = phieu_b(&token, "2025-10-01", "011080000123");
        let checked = site
            .post_form(&link, &xa, &format!("{good}&action=check"))
            .await;
        assert_eq!(checked.status, StatusCode::OK, "{}", checked.body);
        assert!(
            checked
                .body
                .contains("Kết quả phân loại: <span class=\"class poor\">Hộ nghèo"),
            "{}",
            checked.body
        );
        assert!(checked.body.contains("không quá chuẩn"), "{}", checked.body);
        assert!(checked.body.contains("Thiếu hụt: "), "{}", checked.body);
        assert_eq!(
            site.audited("import").await.len(),
            before,
            "a check stores nothing"
        );
        // a member more, on the page
        let more = site
            .post_form(&link, &xa, &format!("{good}&action=add_member"))
            .await;
        assert!(more.body.contains("Thành viên 4"), "{}", more.body);
        // saved: the household's 2025 survey is the form's, the case surveyed as poor
        let saved = site
            .post_form(&link, &xa, &format!("{good}&action=save"))
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        assert_eq!(site.audited("import").await.len(), before + 1);
        let page = site
            .get(&format!("{board}?done=form&step=surveyed"), &xa)
            .await;
        assert!(page.body.contains("Đã lưu phiếu B"), "{}", page.body);
        let row = page
            .body
            .split("<tr>")
            .find(|r| r.contains(&format!(">{code}</a>")))
            .expect("the household on the board")
            .to_string();
        assert!(
            row.contains("Hộ nghèo") && row.contains("Đã khảo sát"),
            "{row}"
        );
        let household: String = row
            .split("/households/")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .expect("its page")
            .into();
        let hh = site.get(&format!("/households/{household}"), &xa).await;
        assert!(hh.body.contains("Lò Thị Phiếu"), "{}", hh.body);
        assert!(hh.body.contains("1.000.000"), "{}", hh.body);
        // its case on its page, and the year's class only proposed until the decision
        assert!(hh.body.contains("Các đợt rà soát của hộ"), "{}", hh.body);
        assert!(
            hh.body.contains("chưa có quyết định công nhận"),
            "{}",
            hh.body
        );
        // once surveyed, the form is closed: said on the board
        let again = site.get(&link, &xa).await;
        assert_eq!(again.status, StatusCode::BAD_REQUEST);
        assert!(
            again.body.contains("không ở bước chờ khảo sát"),
            "{}",
            again.body
        );
        // a leader reads the board but opens no form
        let leader = site.login("lanhdao").await;
        let denied = site.get(&link, &leader).await;
        assert_eq!(denied.status, StatusCode::FORBIDDEN, "{}", db.name);
    }
}
