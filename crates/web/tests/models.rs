//! Models and production projects on each backend: a model file's every bad row named and
//! nothing written; the cost-sharing of a value-chain project on its line and one đồng over, and
//! an area class the data do not know taken only with its document; participants judged as
//! support (a household not poor only on a reason), kept within the model's state budget and its
//! communes; the model's page and API with each participant's class before and after, the
//! outcomes against comparable households, the support list's export read back, and scope.

mod support;

use axum::http::StatusCode;
use giamngheo_app::access::{Actor, Role};
use giamngheo_app::import::{ImportOptions, SurveyFiles};
use giamngheo_app::records::HouseholdQuery;
use giamngheo_app::QueryError;
use giamngheo_rules::{Class, Lang, UnitCode};
use giamngheo_testing::databases;
use std::collections::BTreeSet;
use support::*;

fn actor(name: &str, role: Role, unit: &str) -> Actor {
    Actor {
        user_id: 0,
        name: name.into(),
        full_name: String::new(),
        role,
        unit: UnitCode::parse(unit),
    }
}

fn refused(e: QueryError) -> Vec<String> {
    match e {
        QueryError::Rejected(rows) => rows
            .iter()
            .map(|r| format!("{}:{}:{}", r.row, r.column, r.message.render(Lang::Vi)))
            .collect(),
        other => panic!("not refused by row: {other:?}"),
    }
}

const HEAD: &str = "code,name,kind,communes,item,decision,decided_on,starts_on,ends_on,area_class,area_basis,central_recurrent,mobilised,beneficiary,override_reason";

/// A workbook with the two sheets of a model file.
fn workbook(path: &std::path::Path, models: &[&[&str]], participants: &[&[&str]]) {
    let mut book = rust_xlsxwriter::Workbook::new();
    for (name, rows) in [("mo_hinh", models), ("thanh_vien", participants)] {
        let sheet = book.add_worksheet();
        sheet.set_name(name).expect("name");
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                sheet.write_string(r as u32, c as u16, *v).expect("cell");
            }
        }
    }
    book.save(path).expect("saved");
}

#[tokio::test]
async fn models_keep_their_cost_sharing_and_their_participants_are_followed_to_the_next_review() {
    for db in databases().await {
        let site = site(&db.url).await;
        let registry = &site.state.registry;
        let dir = tempfile::tempdir().expect("dir");
        let write = |name: &str, text: &str| {
            let p = dir.path().join(name);
            std::fs::write(&p, text).expect("write");
            p
        };
        let today: giamngheo_rules::NaiveDate = "2026-12-03".parse().expect("day");
        // a second poor household of 03325 in 2025 (DB-101, like DB-001), and the 2026 review:
        // the example again a year on, DB-001's income risen well above the line
        let extra_h = "DB-101,03325,Bản Che Căn,2025-10-15,Lò Văn Khăm,1200000,,1,2,30,surface,open_pit,0,phone,untreated,,\n";
        let extra_m = "DB-101,1,Lò Văn Khăm,011080009901,1980-02-04,M,03,head,1,,,self_employed,,,,\n\
                       DB-101,2,Lò Thị Piếng,011184009902,1984-05-11,F,03,spouse,1,,,self_employed,,,,\n";
        let head = |file: &str| {
            std::fs::read_to_string(examples().join(file))
                .expect("example")
                .lines()
                .next()
                .expect("header")
                .to_string()
        };
        let survey = |name: &str, households: String, members: String, year: i32| {
            let d = dir.path().join(name);
            std::fs::create_dir(&d).expect("dir");
            std::fs::write(d.join("households.csv"), households).expect("write");
            std::fs::write(d.join("members.csv"), members).expect("write");
            let registry = &registry;
            async move {
                let r = registry
                    .unscoped()
                    .import_survey(
                        &ImportOptions::year(year),
                        &SurveyFiles::find(&d).expect("a survey"),
                        &mut |_, _| {},
                    )
                    .await
                    .expect("imported");
                assert!(r.errors.is_empty(), "{:?}", r.errors);
            }
        };
        survey(
            "extra-2025",
            format!("{}\n{extra_h}", head("households.csv")),
            format!("{}\n{extra_m}", head("members.csv")),
            2025,
        )
        .await;
        let households = format!(
            "{}{}",
            std::fs::read_to_string(examples().join("households.csv")).expect("households"),
            extra_h
        )
        .replace(",2025-10-", ",2026-10-")
        .replace(",2025-11-", ",2026-11-")
        .replace(
            "DB-001,03325,Bản Che Căn,2026-10-15,Lò Văn Pấng,1200000",
            "DB-001,03325,Bản Che Căn,2026-10-15,Lò Văn Pấng,9000000",
        );
        let members = format!(
            "{}{}",
            std::fs::read_to_string(examples().join("members.csv")).expect("members"),
            extra_m
        );
        survey("survey-2026", households, members, 2026).await;
        let commune = UnitCode::parse("03325").expect("unit");
        let of = |year, class| async move {
            registry
                .unscoped()
                .households(&HouseholdQuery {
                    unit: commune,
                    year,
                    text: None,
                    class: Some(class),
                    village: None,
                    ethnic_code: None,
                    deprivation: None,
                    limit: 50,
                    offset: 0,
                })
                .await
                .expect("households")
                .lines
                .into_iter()
                .map(|h| h.code)
                .collect::<BTreeSet<String>>()
        };
        let poor_2025 = of(2025, Class::Poor).await;
        let poor_2026 = of(2026, Class::Poor).await;
        assert!(poor_2025.contains("DB-001"), "{poor_2025:?}");
        assert!(!poor_2026.contains("DB-001"), "{poor_2026:?}");
        let mut others = of(2025, Class::Average).await;
        others.extend(of(2025, Class::NotPoor).await);
        let rich = others
            .iter()
            .next()
            .expect("a household not poor in 2025")
            .clone();
        let xa = actor("xa", Role::CommuneOfficer, "03325");
        let x = registry.for_actor(&xa);

        // every kind of bad model row, each named; nothing written
        let bad = format!(
            "{HEAD}\n\
             MH-1,Mô hình nuôi dê,goat_farm,03325,,10/QĐ-UBND,2026-01-05,2026-01-10,2027-01-10,,,100000000,,,\n\
             MH-2,Mô hình nuôi gà,livelihood_model,03328,,11/QĐ-UBND,2026-01-05,2026-01-10,2027-01-10,,,100000000,,,\n\
             DA-3,Chuỗi chè,value_chain,03325,,12/QĐ-UBND,2026-01-05,2026-01-10,2025-01-10,,,100000000,,,\n\
             DA-4,Chuỗi quế,value_chain,03325,DA2,13/QĐ-UBND,2025-03-05,2025-03-10,2027-03-10,,,500000001,500000000,,\n\
             DA-5,Chuỗi sâm,value_chain,03325,DA2,14/QĐ-UBND,2025-03-05,2025-03-10,2027-03-10,extremely_difficult,,800000000,200000000,,\n\
             MH-6,,livelihood_model,03325,ND02,15/QĐ-UBND,2026-01-05,,,,,,,,\n"
        );
        let errors = refused(
            x.import_models(&write("bad.csv", &bad), today)
                .await
                .expect_err("refused"),
        );
        let has = |row: &str, column: &str, words: &str| {
            assert!(
                errors
                    .iter()
                    .any(|e| e.starts_with(&format!("{row}:{column}:")) && e.contains(words)),
                "{row}:{column} «{words}» in {errors:#?}"
            )
        };
        has("2", "kind", "goat_farm");
        has("3", "communes", "03328");
        has("4", "ends_on", "trước");
        // 500,000,001 of 1,000,000,001: one đồng over half, the share of an area that is not
        // difficult
        has("5", "code", "50 %");
        has("6", "area_basis", "văn bản");
        has("7", "name", "tên");
        has("7", "code", "kinh phí");
        assert_eq!(errors.len(), 7, "{errors:#?}");
        assert!(x.models(&commune).await.expect("models").is_empty());

        // on the line: exactly half from the state; the extremely difficult area with its
        // document, at 80 %
        let good = format!(
            "{HEAD}\n\
             DA-4,Chuỗi quế,value_chain,03325,DA2,13/QĐ-UBND,2025-03-05,2025-03-10,2027-03-10,,,500000000,500000000,,\n\
             DA-5,Chuỗi sâm,value_chain,03325,DA2,14/QĐ-UBND,2025-03-05,2025-03-10,2027-03-10,extremely_difficult,Quyết định 861/QĐ-TTg,800000000,200000000,,\n"
        );
        let w = x
            .import_models(&write("good.csv", &good), today)
            .await
            .expect("taken");
        assert_eq!((w.models, w.participants, w.amount), (2, 0, 2_000_000_000));
        // the same code again is refused
        let again = refused(
            x.import_models(&write("again.csv", &good), today)
                .await
                .expect_err("refused"),
        );
        assert!(
            again
                .iter()
                .any(|e| e.starts_with("2:code:") && e.contains("DA-4")),
            "{again:#?}"
        );

        // a cattle model with its participants: the poor households of 2025, and one that was
        // not poor (taken only on a reason); a participant of another commune and one beyond
        // the model's state budget are refused
        // every poor household of 2025 but the last joins; the last is the comparison
        let all_poor: Vec<&String> = poor_2025.iter().collect();
        assert!(all_poor.len() >= 2, "{all_poor:?}");
        let (poor, apart) = all_poor.split_at(all_poor.len() - 1);
        let poor: Vec<&String> = poor.to_vec();
        assert!(poor.iter().any(|h| h.as_str() == "DB-001"));
        let mhead: &[&str] = &[
            "code",
            "name",
            "kind",
            "communes",
            "item",
            "decision",
            "decided_on",
            "starts_on",
            "central_recurrent",
            "beneficiary",
        ];
        let model: &[&str] = &[
            "MH-7",
            "Mô hình nuôi bò",
            "livelihood_model",
            "03325",
            "DA2",
            "16/QĐ-UBND",
            "2025-11-20",
            "2025-12-01",
            "90000000",
            "9000000",
        ];
        let phead: &[&str] = &[
            "model_code",
            "commune_code",
            "household_code",
            "joined_on",
            "state_amount",
            "beneficiary",
            "override_reason",
        ];
        let mut rows: Vec<Vec<String>> = poor
            .iter()
            .map(|h| {
                [
                    "MH-7",
                    "03325",
                    h.as_str(),
                    "2025-12-01",
                    "20000000",
                    "1000000",
                    "",
                ]
                .map(String::from)
                .to_vec()
            })
            .collect();
        rows.push(
            [
                "MH-7",
                "03325",
                rich.as_str(),
                "2025-12-01",
                "20000000",
                "",
                "",
            ]
            .map(String::from)
            .to_vec(),
        );
        rows.push(
            ["MH-7", "03328", "DB-007", "2025-12-01", "20000000", "", ""]
                .map(String::from)
                .to_vec(),
        );
        let as_refs = |rows: &[Vec<String>]| -> Vec<Vec<String>> { rows.to_vec() };
        let table = |rows: &[Vec<String>]| {
            let mut t: Vec<Vec<String>> = vec![phead.iter().map(|s| s.to_string()).collect()];
            t.extend(as_refs(rows));
            t
        };
        let book = dir.path().join("models.xlsx");
        let save = |rows: &[Vec<String>], model: &[&str]| {
            let t = table(rows);
            let t: Vec<Vec<&str>> = t
                .iter()
                .map(|r| r.iter().map(String::as_str).collect())
                .collect();
            let t: Vec<&[&str]> = t.iter().map(Vec::as_slice).collect();
            workbook(&book, &[mhead, model], &t);
        };
        save(&rows, model);
        let errors = refused(x.import_models(&book, today).await.expect_err("refused"));
        let n = poor.len() as u64;
        let rich_row = (n + 2).to_string();
        let other_row = (n + 3).to_string();
        assert!(
            errors.iter().any(|e| e.starts_with(&format!("{other_row}:commune_code:")) && e.contains("MH-7")),
            "{errors:#?}"
        );
        // the budget: 90,000,000 for at most four participants at 20,000,000
        if n + 1 > 4 {
            assert!(
                errors.iter().any(|e| e.contains("vượt kinh phí")),
                "{errors:#?}"
            );
        }
        assert!(x.models(&commune).await.expect("models").len() == 2);
        // the commune's participants, the one not poor refused in words until a reason is given
        rows.pop();
        save(&rows, model);
        let errors = refused(x.import_models(&book, today).await.expect_err("refused"));
        assert!(
            errors
                .iter()
                .any(|e| e.starts_with(&format!("{rich_row}:model_code:"))
                    && e.contains("không đủ điều kiện")),
            "{errors:#?}"
        );
        if let Some(last) = rows.last_mut() {
            last[6] = "Hộ mới tách, thôn đề nghị".into();
        }
        save(&rows, model);
        let w = x.import_models(&book, today).await.expect("taken");
        assert_eq!(
            (w.models, w.participants, w.overrides),
            (1, n as usize + 1, 1)
        );

        // the model's page and API: each participant's class on joining (2025, by 1 December) and at the next
        // review (2026), and how many left poverty, as the registry's classes say
        let id = x
            .models(&commune)
            .await
            .expect("models")
            .iter()
            .find(|m| m.model.code == "MH-7")
            .expect("MH-7")
            .model
            .id;
        let left = poor
            .iter()
            .filter(|h| !poor_2026.contains(h.as_str()))
            .count();
        assert!(left >= 1, "DB-001 left poverty");
        let view = x.model(id).await.expect("the model");
        assert_eq!(view.results.households, n as usize + 1);
        assert_eq!(view.results.poor_before, n as usize);
        assert_eq!(view.results.left_poverty, left);
        assert_eq!(view.results.not_yet_reviewed, 0);
        assert_eq!(view.given, 20_000_000 * (n as i64 + 1));
        let cookie = site.login("xa").await;
        let page = site.get(&format!("/models/{id}"), &cookie).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Mô hình nuôi bò"), "{}", page.body);
        assert!(
            page.body
                .contains(&format!("Thoát nghèo ở kỳ sau: <strong>{left}</strong>")),
            "{}",
            page.body
        );
        assert!(page.body.contains("Hộ nghèo (2025)"), "{}", page.body);
        assert!(
            page.body.contains("href=\"/units/03325/models\""),
            "the commune officer's crumb leads to their commune's models"
        );
        let api = site.get(&format!("/api/v1/models/{id}"), &cookie).await;
        let json: serde_json::Value = serde_json::from_str(&api.body).expect("json");
        assert_eq!(json["results"]["left_poverty"], left);
        assert_eq!(
            json["participants"].as_array().map(Vec::len),
            Some(n as usize + 1)
        );
        // another province's officer finds no such model
        let hanoi = site.login("hanoi").await;
        assert_eq!(
            site.get(&format!("/models/{id}"), &hanoi).await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            site.get(&format!("/api/v1/models/{id}"), &hanoi)
                .await
                .status,
            StatusCode::NOT_FOUND
        );

        // outcomes: the model's kind against the commune's poor of 2025 without it
        let outcomes = x.outcomes(&commune).await.expect("outcomes");
        let o = outcomes
            .iter()
            .find(|o| o.kind == "livelihood_model")
            .expect("the model's line");
        assert_eq!(o.results.left_poverty, left);
        assert_eq!(o.escape_rate, Some(100.0 * left as f64 / n as f64));
        let apart_left = apart
            .iter()
            .filter(|h| !poor_2026.contains(h.as_str()))
            .count();
        assert_eq!(o.comparable, apart.len());
        assert_eq!(
            o.comparable_rate,
            Some(100.0 * apart_left as f64 / apart.len() as f64)
        );
        assert_eq!(o.state_cost, 20_000_000 * (n as i64 + 1));
        assert_eq!(
            o.cost_per_escaped,
            Some(20_000_000 * (n as i64 + 1) / left as i64)
        );
        let page = site.get("/units/03325/outcomes", &cookie).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains("Tham gia mô hình giảm nghèo"),
            "{}",
            page.body
        );

        // the support list's export: every record, the model named, read back by the import
        let csv = site
            .get(
                "/units/03325/support/export.csv?kind=livelihood_model",
                &cookie,
            )
            .await;
        assert_eq!(csv.status, StatusCode::OK);
        let text = String::from_utf8(csv.bytes.clone()).expect("utf-8");
        let mut r = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        let header = r.headers().expect("header").clone();
        let model_column = header.iter().position(|h| h == "x_model").expect("x_model");
        let lines: Vec<csv::StringRecord> = r.records().map(|l| l.expect("line")).collect();
        assert_eq!(lines.len(), n as usize + 1);
        assert!(lines.iter().all(|l| l.get(model_column) == Some("MH-7")));
        let exported = write("exported.csv", text.trim_start_matches('\u{feff}'));
        let cols = giamngheo_app::support::columns(registry.programs());
        let cols: Vec<&str> = cols.iter().map(String::as_str).collect();
        let (_, back) = giamngheo_app::support::read_support(&exported, &cols).expect("read back");
        assert_eq!(back.len(), n as usize + 1);
        let xlsx = site.get("/units/03325/support/export.xlsx", &cookie).await;
        assert_eq!(xlsx.status, StatusCode::OK);
        assert!(xlsx.bytes.starts_with(b"PK"));

        // the models' export, both sheets, read back by the model file's reader
        let book_out = site.get("/units/03325/models/export.xlsx", &cookie).await;
        assert_eq!(book_out.status, StatusCode::OK);
        let exported = dir.path().join("models-export.xlsx");
        std::fs::write(&exported, &book_out.bytes).expect("write");
        let back = giamngheo_app::models::read_model_file(&exported, registry.programs())
            .expect("read back");
        let (_, mrows) = back.models.expect("the models' sheet");
        let (_, prows) = back.participants.expect("the participants' sheet");
        let mut codes: Vec<&str> = mrows
            .iter()
            .map(|r| r.cells.get("code").map(String::as_str).unwrap_or(""))
            .collect();
        codes.sort_unstable();
        assert_eq!(codes, ["DA-4", "DA-5", "MH-7"]);
        assert_eq!(prows.len(), n as usize + 1);
        assert!(prows
            .iter()
            .all(|r| r.cells.get("state_amount").map(String::as_str) == Some("20000000")));
        let chain = mrows
            .iter()
            .find(|r| r.cells.get("code").map(String::as_str) == Some("DA-5"))
            .expect("DA-5");
        assert_eq!(
            chain.cells.get("area_class").map(String::as_str),
            Some("extremely_difficult")
        );
        assert_eq!(
            chain.cells.get("central_recurrent").map(String::as_str),
            Some("800000000")
        );
        // a leader reads and records nothing; the province's list has all three
        let leader = actor("lanhdao", Role::Leader, "11");
        assert!(matches!(
            registry
                .for_actor(&leader)
                .import_models(&book, today)
                .await,
            Err(QueryError::Denied(_))
        ));
        let tinh = site.login("tinh").await;
        let list = site.get("/units/11/models", &tinh).await;
        assert!(
            list.body.contains("MH-7") && list.body.contains("DA-4") && list.body.contains("DA-5")
        );
        // a target on the count of models: the three of 2025 against four
        let officer = actor("tinh", Role::ProvincialOfficer, "11");
        let t = registry.for_actor(&officer);
        t.set_target(
            &commune,
            &giamngheo_app::targets::NewTarget {
                indicator: "models".into(),
                from_year: "2025".into(),
                to_year: "2025".into(),
                value: "4".into(),
                document: "15/NQ-HĐND".into(),
                note: String::new(),
            },
        )
        .await
        .expect("a target");
        let progress = t.targets(&commune, today).await.expect("targets");
        let p = progress
            .iter()
            .find(|p| p.target.indicator == "models")
            .expect("the models' target");
        assert_eq!((p.measured, p.achieved), (Some(3.0), Some(75.0)));
        site.state.registry.close().await;
    }
}
