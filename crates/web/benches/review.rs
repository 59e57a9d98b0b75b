//! The review at a commune's full size, each figure beside a baseline timed in the same run:
//! a commune of N households (default 5,000) whose every household is on the list (the year
//! before's survey puts them all under the poverty line), on a SQLite registry.
//!
//! - the commune's review board, every case on it, against the commune's dashboard and its
//!   household list (pages officers already use), answered through the router in-process;
//! - the chairman's decision on every case at once, against the opinion step before it (the
//!   same cases, the same write path without the decision's record), on fresh windows.
//!
//! `cargo bench -p giamngheo-web --bench review [-- HOUSEHOLDS]`; `scripts/bench review` runs it.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use giamngheo_app::access::{Actor, Role};
use giamngheo_app::import::{ImportOptions, SurveyFiles};
use giamngheo_app::records::StoreOptions;
use giamngheo_app::reviews::PlanForm;
use giamngheo_app::{Login, NewAccount, Registry};
use giamngheo_rules::review::Step;
use giamngheo_rules::{CommuneCode, NaiveDate, Standards, UnitCode};
use giamngheo_survey::synth::{Panel, SynthOptions};
use std::path::Path;
use std::time::{Duration, Instant};
use tower::ServiceExt;

const COMMUNE: &str = "03325";

fn day(s: &str) -> NaiveDate {
    s.parse().expect("a date")
}

/// Rewrites a households file: every household of `COMMUNE`, and with `poor_income` its
/// income set under the line (so that all are on the next year's list).
fn rewrite(path: &Path, poor_income: bool) {
    let mut r = csv::Reader::from_path(path).expect("read");
    let header = r.headers().expect("header").clone();
    let at = |n: &str| header.iter().position(|c| c == n);
    let (commune, income, b1) = (at("commune_code"), at("income_per_capita"), at("b1_score"));
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.expect("a row")).collect();
    let mut w = csv::Writer::from_path(path).expect("write");
    w.write_record(&header).expect("header");
    for row in rows {
        let v: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(i, c)| match i {
                i if Some(i) == commune => COMMUNE.to_string(),
                i if poor_income && Some(i) == income => "1000000".to_string(),
                i if poor_income && Some(i) == b1 => String::new(),
                _ => c.to_string(),
            })
            .collect();
        w.write_record(&v).expect("row");
    }
    w.flush().expect("flush");
}

fn officer() -> Actor {
    Actor {
        user_id: 1,
        name: "tinh".into(),
        full_name: String::new(),
        role: Role::ProvincialOfficer,
        unit: UnitCode::parse("11"),
    }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// A commune window of 2025 starting on `starts`, taken to the chairman's opinion for all its
/// households: its id.
async fn consulted(registry: &Registry, plan: i64, starts: &str) -> (i64, Duration) {
    let officer = officer();
    let s = registry.for_actor(&officer);
    let form = PlanForm {
        year: 2025,
        plan_number: format!("{starts}/KH"),
        plan_date: day("2025-09-05"),
        starts: day(starts),
        ends: day("2025-11-30"),
    };
    let commune = CommuneCode::parse(COMMUNE).expect("commune");
    let id = s.plan_commune(plan, &commune, &form).await.expect("window");
    s.list_households(id).await.expect("list");
    let ids: Vec<i64> = s
        .cases(id, None)
        .await
        .expect("cases")
        .iter()
        .map(|c| c.id)
        .collect();
    s.screen(id, &ids, true).await.expect("screen");
    s.survey_from_assessments(id).await.expect("survey");
    let mut villages: Vec<Option<String>> = s
        .cases(id, Some(Step::Surveyed))
        .await
        .expect("cases")
        .into_iter()
        .map(|c| c.village)
        .collect();
    villages.sort();
    villages.dedup();
    for v in villages {
        s.village_meeting(id, v.as_deref(), day("2025-10-20"), 40, 31, None)
            .await
            .expect("meeting");
    }
    s.post(id, day("2025-11-03"), "Nhà văn hóa")
        .await
        .expect("post");
    let t = Instant::now();
    s.consult(id, day("2025-11-06")).await.expect("opinion");
    (id, t.elapsed())
}

async fn get(app: &axum::Router, uri: &str, cookie: &str) -> Duration {
    let req = Request::builder()
        .uri(uri)
        .header(header::COOKIE, cookie)
        .body(Body::empty())
        .expect("request");
    let t = Instant::now();
    let r = app.clone().oneshot(req).await.expect("an answer");
    let status = r.status();
    let body = axum::body::to_bytes(r.into_body(), usize::MAX)
        .await
        .expect("body");
    let took = t.elapsed();
    assert_eq!(status, StatusCode::OK, "{uri}");
    assert!(body.len() > 1000, "{uri}: a page");
    took
}

fn main() {
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(5_000);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(run(n));
}

async fn run(n: usize) {
    let dir = tempfile::tempdir().expect("dir");
    let mut panel = Panel::new(&SynthOptions {
        households: n as u64,
        province: Some("11".into()),
        year: 2024,
        seed: 5,
    })
    .expect("panel");
    for year in [2024, 2025] {
        let d = dir.path().join(year.to_string());
        std::fs::create_dir_all(&d).expect("dir");
        let mut h = std::fs::File::create(d.join("households.csv")).expect("file");
        let mut m = std::fs::File::create(d.join("members.csv")).expect("file");
        panel.write(&mut h, &mut m).expect("write");
        drop(h);
        rewrite(&d.join("households.csv"), year == 2024);
        panel.advance();
    }
    let db = dir.path().join("registry.db").display().to_string();
    let (registry, _) = Registry::open(
        &StoreOptions::new(db),
        Standards::builtin().expect("standards"),
    )
    .await
    .expect("open");
    for year in [2024, 2025] {
        let files = SurveyFiles::find(&dir.path().join(year.to_string())).expect("survey");
        let r = registry
            .unscoped()
            .import_survey(&ImportOptions::year(year), &files, &mut |_, _| {})
            .await
            .expect("import");
        assert!(r.errors.is_empty(), "{:?}", r.errors.first());
    }
    registry
        .unscoped()
        .add_user(&NewAccount {
            name: "tinh".into(),
            full_name: "tinh".into(),
            role: Role::ProvincialOfficer,
            unit: UnitCode::parse("11"),
            password: "bench-password-1".into(),
        })
        .await
        .expect("user");
    let officer = officer();
    let plan = registry
        .for_actor(&officer)
        .plan_review(
            &UnitCode::parse("11").expect("unit"),
            &PlanForm {
                year: 2025,
                plan_number: "30/KH".into(),
                plan_date: day("2025-08-25"),
                starts: day("2025-09-01"),
                ends: day("2025-12-14"),
            },
        )
        .await
        .expect("plan");
    // the decision on fresh windows, beside the opinion step before it on the same cases
    let mut decide = Vec::new();
    let mut consult = Vec::new();
    let mut windows = Vec::new();
    for (k, starts) in ["2025-09-10", "2025-09-11", "2025-09-12"]
        .iter()
        .enumerate()
    {
        let (id, c) = consulted(&registry, plan, starts).await;
        let t = Instant::now();
        let decided = registry
            .for_actor(&officer)
            .decide(id, &format!("{}/QĐ-UBND", 120 + k), day("2025-11-10"))
            .await
            .expect("decide");
        decide.push(t.elapsed());
        consult.push(c);
        // (households that left before the year's survey stay at the screening)
        assert!(decided * 100 >= n * 95, "{decided} of {n} decided");
        windows.push((id, decided));
    }
    println!(
        "## the review of a commune of {n} households, every one on the list, {} decided at once (SQLite)",
        windows[0].1
    );
    println!(
        "decide every case at once: median {} (runs {:?})",
        ms(median(decide.clone())),
        decide.iter().map(|d| ms(*d)).collect::<Vec<_>>()
    );
    println!(
        "baseline, the opinion step on the same cases: median {}",
        ms(median(consult))
    );
    // the board of the first window, with every case decided, through the router
    let state = giamngheo_web::AppState::new(registry);
    let token = match state
        .registry
        .sessions()
        .login(&Default::default(), "tinh", "bench-password-1", None)
        .await
        .expect("login")
    {
        Login::Opened { token } => token,
        other => panic!("no session: {other:?}"),
    };
    let cookie = format!("{}={token}", giamngheo_web::auth::SESSION_COOKIE);
    let app = giamngheo_web::router(state);
    let pages = [
        (
            format!("/reviews/{}", windows[0].0),
            "the review board, every case",
        ),
        (
            format!("/units/{COMMUNE}"),
            "baseline, the commune's dashboard",
        ),
        (
            format!("/units/{COMMUNE}/households"),
            "baseline, its household list",
        ),
    ];
    for (uri, _) in &pages {
        get(&app, uri, &cookie).await;
    }
    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); pages.len()];
    // interleaved, so that a slow moment of the machine falls on all three alike
    for _ in 0..15 {
        for (i, (uri, _)) in pages.iter().enumerate() {
            times[i].push(get(&app, uri, &cookie).await);
        }
    }
    for ((_, what), t) in pages.iter().zip(times) {
        println!("{what}: median {} over 15", ms(median(t)));
    }
}
