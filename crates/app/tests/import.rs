//! Importing surveys into the registry, on every backend: all or nothing per file, once per
//! file, every error named.

use giamngheo_app::import::{import_survey, FileOutcome, FileReport, ImportOptions, SurveyFiles};
use giamngheo_rules::Standards;
use giamngheo_store::Store;
use giamngheo_testing::databases;
use std::path::{Path, PathBuf};

fn unit(code: &str) -> giamngheo_rules::UnitCode {
    giamngheo_rules::UnitCode::parse(code).expect("a unit code")
}

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/survey-2025")
}

async fn import(store: &Store, year: i32, files: &SurveyFiles) -> FileReport {
    let standards = Standards::builtin().expect("standards");
    import_survey(
        store,
        &standards,
        &ImportOptions::year(year),
        files,
        &mut |_, _| {},
    )
    .await
    .expect("import runs")
}

fn example_files() -> SurveyFiles {
    SurveyFiles::find(&examples().join("households.csv")).expect("example survey")
}

/// The example survey with its households file edited.
fn edited(
    dir: &Path,
    edit: impl Fn(String) -> String,
    members_edit: impl Fn(String) -> String,
) -> SurveyFiles {
    let h = std::fs::read_to_string(examples().join("households.csv")).expect("read");
    let m = std::fs::read_to_string(examples().join("members.csv")).expect("read");
    std::fs::write(dir.join("households.csv"), edit(h)).expect("write");
    std::fs::write(dir.join("members.csv"), members_edit(m)).expect("write");
    SurveyFiles::find(dir).expect("survey")
}

fn short(e: &giamngheo_survey::RowError) -> String {
    let s = e.text(giamngheo_rules::Lang::En);
    let file_end = s.find(':').unwrap_or(0);
    match s[..file_end].rfind('/') {
        Some(i) => s[i + 1..].to_string(),
        None => s,
    }
}

#[tokio::test]
async fn import_once_all_or_nothing() {
    for db in databases().await {
        let store = Store::open(&db.url).await.expect("open");
        store
            .load_reference(&giamngheo_survey::reference())
            .await
            .expect("reference");
        let r = import(&store, 2025, &example_files()).await;
        assert!(r.errors.is_empty(), "{}: {:?}", db.name, r.errors);
        assert_eq!(
            r.outcome,
            FileOutcome::Imported {
                import_id: 1,
                households: 8,
                members: 16
            },
            "{}",
            db.name
        );
        // the same files again: recognised, nothing added
        let again = import(&store, 2025, &example_files()).await;
        assert_eq!(
            again.outcome,
            FileOutcome::AlreadyImported { import_id: 1 },
            "{}",
            db.name
        );
        let c = store.counts().await.expect("counts");
        assert_eq!(
            (c.households, c.members, c.assessments),
            (8, 16, 8),
            "{}",
            db.name
        );

        // a file with one bad row and one household of the registry: nothing of it is stored
        let dir = tempfile::tempdir().expect("tempdir");
        let bad = edited(
            dir.path(),
            |h| {
                h.replace("DB-", "X-")
                    .replace("X-005,03334,", "X-005,99999,")
            },
            |m| {
                m.replace("DB-", "X-")
                    .replace("011082003417", "011082003418")
            },
        );
        let r = import(&store, 2025, &bad).await;
        assert!(
            matches!(r.outcome, FileOutcome::Rejected { .. }),
            "{}",
            db.name
        );
        let errors: Vec<String> = r.errors.iter().map(short).collect();
        assert!(
            errors.iter().any(|e| e == "households.csv:6: commune_code: unknown commune `99999` (not in the 2025 list of communes)"),
            "{}: {errors:?}",
            db.name
        );
        let c = store.counts().await.expect("counts");
        assert_eq!(
            (c.households, c.members, c.assessments, c.imports),
            (8, 16, 8, 1),
            "{}",
            db.name
        );
        store.close().await;
    }
}

#[tokio::test]
async fn duplicates_and_wrong_years_are_named() {
    for db in databases().await {
        let store = Store::open(&db.url).await.expect("open");
        store
            .load_reference(&giamngheo_survey::reference())
            .await
            .expect("reference");
        import(&store, 2025, &example_files()).await;
        let dir = tempfile::tempdir().expect("tempdir");
        // new households without personal IDs, but for one member who carries a personal ID of
        // the registry and one entered twice; and one survey date is in another year
        let files = edited(
            dir.path(),
            |h| {
                h.replace("DB-", "N-").replace(
                    "N-008,03328,Bản Noong Bua,2025-11-03",
                    "N-008,03328,Bản Noong Bua,2024-11-03",
                )
            },
            |m| {
                let blanked: Vec<String> = m
                    .lines()
                    .map(|l| {
                        let mut f: Vec<&str> = l.split(',').collect();
                        if f[0] != "household_id" {
                            f[3] = "";
                        }
                        f.join(",").replace("DB-", "N-")
                    })
                    .collect();
                blanked
                    .join("\n")
                    .replacen("N-001,1,Lò Văn Pấng,,", "N-001,1,Lò Văn Pấng,011082003417,", 1)
                    .replacen(
                        "N-003,1,Cà Văn Dũng,,1990-01-20,M,03,head,1,,,self_employed,,,,",
                        "N-003,1,Cà Văn Dũng,011090005555,1990-01-20,M,03,head,1,,,self_employed,,,,\nN-003,3,Cà Văn Dũng,011090005555,1990-01-20,M,03,other,1,,,self_employed,,,,",
                        1,
                    )
                    + "\n"
            },
        );
        let r = import(&store, 2025, &files).await;
        let errors: Vec<String> = r.errors.iter().map(short).collect();
        for expect in [
            "members.csv:2: id_number: personal ID 011082003417 already belongs to member 1 of household `DB-001` in commune 03325",
            "members.csv:8: id_number: personal ID 011090005555 is also on row 7",
            "households.csv:9: survey_date: 2024-11-03 is not in review year 2025",
        ] {
            assert!(errors.iter().any(|e| e == expect), "{}: missing {expect}\n{errors:#?}", db.name);
        }
        assert_eq!(errors.len(), 3, "{}: {errors:#?}", db.name);
        assert!(r
            .warnings
            .iter()
            .any(|w| short(w)
                .starts_with("members.csv:8: full_name: possibly the same person as row 7")));
        assert!(matches!(r.outcome, FileOutcome::Rejected { .. }));
        let c = store.counts().await.expect("counts");
        assert_eq!((c.households, c.assessments), (8, 8), "{}", db.name);
        store.close().await;
    }
}

#[tokio::test]
async fn the_next_year_adds_assessments_to_the_same_households() {
    use giamngheo_survey::synth::{Panel, SynthOptions};
    let dir = tempfile::tempdir().expect("tempdir");
    let mut panel = Panel::new(&SynthOptions {
        households: 300,
        province: Some("11".into()),
        year: 2022,
        seed: 5,
    })
    .expect("panel");
    let mut sizes = Vec::new();
    for year in [2022, 2023] {
        let d = dir.path().join(year.to_string());
        std::fs::create_dir_all(&d).expect("dir");
        let mut h = std::fs::File::create(d.join("households.csv")).expect("file");
        let mut m = std::fs::File::create(d.join("members.csv")).expect("file");
        panel.write(&mut h, &mut m).expect("write");
        sizes.push(panel.households() as i64);
        panel.advance();
    }
    for db in databases().await {
        let store = Store::open(&db.url).await.expect("open");
        store
            .load_reference(&giamngheo_survey::reference())
            .await
            .expect("reference");
        for year in [2022, 2023] {
            let files = SurveyFiles::find(&dir.path().join(year.to_string())).expect("survey");
            let r = import(&store, year, &files).await;
            assert!(
                r.errors.is_empty(),
                "{} {year}: {:?}",
                db.name,
                &r.errors[..r.errors.len().min(5)]
            );
        }
        let c = store.counts().await.expect("counts");
        assert_eq!(c.assessments, sizes[0] + sizes[1], "{}", db.name);
        // the summaries, written with the assessments, add up and keep the stock identity
        let sums = store
            .summaries(&unit("11"), 2022, 2023)
            .await
            .expect("summaries");
        for (i, year) in [2022, 2023].into_iter().enumerate() {
            let of_year: Vec<_> = sums.iter().filter(|s| s.year == year).collect();
            let households: i64 = of_year.iter().map(|s| s.households).sum();
            assert_eq!(households, sizes[i], "{} {year}", db.name);
            let classes: i64 = of_year
                .iter()
                .map(|s| s.poor + s.near_poor + s.average + s.not_poor)
                .sum();
            assert_eq!(classes, households);
            for s in &of_year {
                assert!(
                    s.stock_holds(),
                    "{} {year} {}: {s:?}",
                    db.name,
                    s.commune_code
                );
                assert!(s.lacking_poor.iter().all(|n| *n <= s.poor));
            }
        }
        // the first year has nothing to change from: first assessed, no transitions (not every
        // poor household "newly poor"); the second has them
        for s in sums.iter().filter(|s| s.year == 2022) {
            assert!(s.first_assessed, "{} {}", db.name, s.commune_code);
            assert_eq!(
                (
                    s.new_poor,
                    s.new_near_poor,
                    s.escaped,
                    s.stayed_poor,
                    s.fell_back
                ),
                (0, 0, 0, 0, 0),
                "{} {}",
                db.name,
                s.commune_code
            );
        }
        let poor_2022: i64 = sums.iter().filter(|s| s.year == 2022).map(|s| s.poor).sum();
        assert!(poor_2022 > 0);
        let y23: Vec<_> = sums.iter().filter(|s| s.year == 2023).collect();
        assert!(y23.iter().all(|s| !s.first_assessed), "{}", db.name);
        let escaped: i64 = y23.iter().map(|s| s.escaped).sum();
        let poor_start: i64 = y23.iter().map(|s| s.poor_start).sum();
        assert_eq!(poor_start, poor_2022, "{}", db.name);
        assert!(escaped > 0, "{}", db.name);
        assert!(
            c.households > sizes[0] && c.households < sizes[0] + sizes[1],
            "{}: {c:?}",
            db.name
        );
        assert_eq!(c.imports, 2);
        // the heads' ethnic groups, counted with the summaries: they add up to the summaries,
        // and each group's count is what the household list filtered by that group finds
        for (i, year) in [2022, 2023].into_iter().enumerate() {
            let groups = store
                .ethnic_counts(&unit("11"), year)
                .await
                .expect("ethnic counts");
            assert!(groups.len() > 1, "{} {year}: {groups:?}", db.name);
            let of_year: Vec<_> = sums.iter().filter(|s| s.year == year).collect();
            let total =
                |f: fn(&giamngheo_store::EthnicCount) -> i64| -> i64 { groups.iter().map(f).sum() };
            assert_eq!(total(|g| g.households), sizes[i], "{} {year}", db.name);
            assert_eq!(
                total(|g| g.poor),
                of_year.iter().map(|s| s.poor).sum::<i64>()
            );
            assert_eq!(
                total(|g| g.near_poor),
                of_year.iter().map(|s| s.near_poor).sum::<i64>()
            );
            let minority: i64 = groups
                .iter()
                .filter(|g| g.code.as_deref().is_some_and(|c| c != "01"))
                .map(|g| g.households)
                .sum();
            assert_eq!(
                minority,
                of_year.iter().map(|s| s.minority_households).sum::<i64>(),
                "{} {year}",
                db.name
            );
            // largest first, named from the catalogue
            assert!(groups
                .windows(2)
                .all(|w| w[1].code.is_none() || w[0].households >= w[1].households));
            for g in &groups {
                let Some(code) = &g.code else { continue };
                assert!(g.name.is_some(), "{code}");
                let q = giamngheo_store::HouseholdQuery {
                    ethnic_code: Some(code.clone()),
                    ..giamngheo_store::HouseholdQuery::new(unit("11"), year)
                };
                let found = store.households(&q).await.expect("list");
                assert_eq!(found.total, g.households, "{} {year} {code}", db.name);
            }
        }
        // a group no head belongs to is not offered
        let no_such_year = store
            .ethnic_counts(&unit("11"), 2030)
            .await
            .expect("ethnic counts");
        assert!(no_such_year.is_empty());
        store.close().await;
    }
}

#[tokio::test]
async fn a_registry_from_before_the_heads_groups_gets_them_on_opening() {
    for db in databases().await {
        let store = Store::open(&db.url).await.expect("open");
        store
            .load_reference(&giamngheo_survey::reference())
            .await
            .expect("reference");
        let r = import(&store, 2025, &example_files()).await;
        assert!(r.errors.is_empty(), "{}: {:?}", db.name, r.errors);
        let written = store
            .ethnic_counts(&unit("11"), 2025)
            .await
            .expect("counts");
        // the example commune's heads: five Thái (03), two Kinh (01), one Nùng (07)
        let counts: Vec<_> = written
            .iter()
            .map(|g| (g.code.as_deref(), g.households))
            .collect();
        assert_eq!(
            counts,
            [(Some("03"), 5), (Some("01"), 2), (Some("07"), 1)],
            "{}",
            db.name
        );
        store.close().await;
        // as a registry written before the migration: no column, no table, migration not run
        giamngheo_testing::run_sql(
            &db.url,
            &[
                "DROP TABLE unit_year_ethnic",
                "ALTER TABLE assessment DROP COLUMN head_ethnic",
                "DELETE FROM _sqlx_migrations WHERE version = 6",
            ],
        )
        .await
        .expect("an older schema");
        let store = Store::open(&db.url).await.expect("reopen migrates");
        let migrated = store
            .ethnic_counts(&unit("11"), 2025)
            .await
            .expect("counts");
        assert_eq!(migrated, written, "{}", db.name);
        let q = giamngheo_store::HouseholdQuery {
            ethnic_code: Some("03".into()),
            ..giamngheo_store::HouseholdQuery::new(unit("11"), 2025)
        };
        let thai = written.iter().find(|g| g.code.as_deref() == Some("03"));
        assert_eq!(
            Some(store.households(&q).await.expect("list").total),
            thai.map(|g| g.households),
            "{}",
            db.name
        );
        store.close().await;
    }
}

#[tokio::test]
async fn a_possible_duplicate_person_is_a_warning() {
    for db in databases().await {
        let store = Store::open(&db.url).await.expect("open");
        store
            .load_reference(&giamngheo_survey::reference())
            .await
            .expect("reference");
        let dir = tempfile::tempdir().expect("tempdir");
        // DB-002's child is entered again in DB-001, without a personal ID, spelled without
        // diacritics
        let files = edited(
            dir.path(),
            |h| h,
            |m| {
                m.replacen(
                "DB-001,3,Lò Văn Tiến,,2012-09-01,M,03,child,1,,,,0,at_level,,",
                "DB-001,3,Lò Văn Tiến,,2012-09-01,M,03,child,1,,,,0,at_level,,\nDB-001,4,Quang Van Long,,2009-05,M,03,other,1,,,student,,,1,lower_secondary",
                1,
            )
            },
        );
        let r = import(&store, 2025, &files).await;
        assert!(r.errors.is_empty(), "{}: {:?}", db.name, r.errors);
        let warnings: Vec<String> = r.warnings.iter().map(short).collect();
        assert_eq!(
            warnings,
            ["members.csv:7: full_name: possibly the same person as row 5: same name, birth date and commune"],
            "{}",
            db.name
        );
        store.close().await;
    }
}

#[tokio::test]
async fn export_writes_the_survey_back() {
    for db in databases().await {
        let store = Store::open(&db.url).await.expect("open");
        store
            .load_reference(&giamngheo_survey::reference())
            .await
            .expect("reference");
        import(&store, 2025, &example_files()).await;
        let t = giamngheo_app::export::tables(&store, &unit("11"), 2025, None)
            .await
            .expect("export");
        let (mut h, mut m) = (Vec::new(), Vec::new());
        t.write_csv(&mut h, &mut m).expect("write");
        // the members file comes back byte for byte
        let original = std::fs::read_to_string(examples().join("members.csv")).expect("read");
        assert_eq!(String::from_utf8(m).expect("utf8"), original, "{}", db.name);
        // every value of the households file comes back under its column
        let mut ours = csv::Reader::from_reader(h.as_slice());
        let mut theirs = csv::Reader::from_path(examples().join("households.csv")).expect("csv");
        let (oh, th) = (
            ours.headers().expect("h").clone(),
            theirs.headers().expect("h").clone(),
        );
        for (a, b) in ours.records().zip(theirs.records()) {
            let (a, b) = (a.expect("row"), b.expect("row"));
            for (i, col) in th.iter().enumerate() {
                let j = oh.iter().position(|c| c == col).expect("column exported");
                assert_eq!(a.get(j), b.get(i), "{}: {col}", db.name);
            }
        }
        // one commune alone
        let t = giamngheo_app::export::tables(&store, &unit("03334"), 2025, None)
            .await
            .expect("export");
        assert_eq!(t.households.1.len(), 2, "{}", db.name);
        store.close().await;
    }
}

#[tokio::test]
async fn a_namesake_in_the_registry_is_a_warning() {
    for db in databases().await {
        let store = Store::open(&db.url).await.expect("open");
        store
            .load_reference(&giamngheo_survey::reference())
            .await
            .expect("reference");
        import(&store, 2025, &example_files()).await;
        // a new household of the same commune whose head has DB-001's head's name (spelled
        // without diacritics) and birth date, and no personal ID
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(
            dir.path().join("households.csv"),
            "household_id,commune_code,survey_date,income_per_capita,has_house,nondurable_structures,floor_area_m2,water_source,latrine,internet,info_devices\n\
             N-1,03325,2025-10-20,900000,1,0,40,piped,septic,1,phone\n",
        )
        .expect("write");
        std::fs::write(
            dir.path().join("members.csv"),
            "household_id,member_no,full_name,birth_date,sex,health_insurance,labour\n\
             N-1,1,Lo Van Pang,1982-03-04,M,1,self_employed\n",
        )
        .expect("write");
        let r = import(
            &store,
            2025,
            &SurveyFiles::find(dir.path()).expect("survey"),
        )
        .await;
        assert!(r.errors.is_empty(), "{}: {:?}", db.name, r.errors);
        assert!(
            matches!(r.outcome, FileOutcome::Imported { households: 1, .. }),
            "{}",
            db.name
        );
        let warnings: Vec<String> = r.warnings.iter().map(short).collect();
        assert_eq!(
            warnings,
            ["members.csv:2: full_name: possibly the same person as member 1 of household `DB-001` in the registry: same name, birth date and commune"],
            "{}",
            db.name
        );
        store.close().await;
    }
}

#[tokio::test]
async fn a_namesake_in_an_earlier_batch_of_the_same_file_is_reported_once() {
    use giamngheo_store::IMPORT_BATCH;
    use giamngheo_survey::synth::{Panel, SynthOptions};
    let dir = tempfile::tempdir().expect("tempdir");
    let mut panel = Panel::new(&SynthOptions {
        households: IMPORT_BATCH as u64 + 100,
        province: Some("11".into()),
        year: 2025,
        seed: 8,
    })
    .expect("panel");
    let mut h = Vec::new();
    let mut m = Vec::new();
    panel.write(&mut h, &mut m).expect("write");
    let members = String::from_utf8(m).expect("utf-8");
    let households = String::from_utf8(h).expect("utf-8");
    // a member without a personal ID of the first batch entered again (as `other`) in the first
    // household of the second batch, of the same commune
    let ids: Vec<&str> = households
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap_or_default())
        .collect();
    let later = ids[IMPORT_BATCH];
    let commune = &later[..5];
    let (line_no, first) = members
        .lines()
        .enumerate()
        .skip(1)
        .find(|(_, l)| {
            let f: Vec<&str> = l.split(',').collect();
            f[3].is_empty() && f[0].starts_with(commune) && ids[..IMPORT_BATCH].contains(&f[0])
        })
        .expect("a member without ID in the first batch, of the same commune");
    let fields: Vec<&str> = first.split(',').collect();
    let mut copy = fields.clone();
    copy[0] = later;
    copy[1] = "99";
    copy[7] = "other";
    // after the later household's own members
    let mut lines: Vec<String> = members.lines().map(str::to_string).collect();
    let at = lines
        .iter()
        .rposition(|l| l.starts_with(&format!("{later},")))
        .expect("the later household's members")
        + 1;
    lines.insert(at, copy.join(","));
    let edited = lines.join("\n") + "\n";
    std::fs::write(dir.path().join("households.csv"), &households).expect("write");
    std::fs::write(dir.path().join("members.csv"), edited).expect("write");
    let files = SurveyFiles::find(dir.path()).expect("survey");
    for db in databases().await {
        let store = Store::open(&db.url).await.expect("open");
        store
            .load_reference(&giamngheo_survey::reference())
            .await
            .expect("reference");
        let r = import(&store, 2025, &files).await;
        assert!(r.errors.is_empty(), "{}: {:?}", db.name, r.errors);
        let warnings: Vec<String> = r.warnings.iter().map(short).collect();
        assert_eq!(
            warnings,
            [format!(
                "members.csv:{}: full_name: possibly the same person as row {}: same name, birth date and commune",
                at + 1,
                line_no + 1
            )],
            "{}",
            db.name
        );
        store.close().await;
    }
}

#[tokio::test]
async fn years_imported_out_of_order_give_the_same_history() {
    use giamngheo_survey::synth::{Panel, SynthOptions};
    let dir = tempfile::tempdir().expect("tempdir");
    let mut panel = Panel::new(&SynthOptions {
        households: 400,
        province: Some("11".into()),
        year: 2022,
        seed: 12,
    })
    .expect("panel");
    let years = [2022, 2023, 2024, 2025];
    for year in years {
        let d = dir.path().join(year.to_string());
        std::fs::create_dir_all(&d).expect("dir");
        let mut h = std::fs::File::create(d.join("households.csv")).expect("file");
        let mut m = std::fs::File::create(d.join("members.csv")).expect("file");
        panel.write(&mut h, &mut m).expect("write");
        panel.advance();
    }
    let survey = |y: i32| SurveyFiles::find(&dir.path().join(y.to_string())).expect("survey");
    for (in_order, late) in databases().await.into_iter().zip(databases().await) {
        let mut results = Vec::new();
        for (db, order) in [
            (&in_order, [2022, 2023, 2024, 2025]),
            (&late, [2025, 2023, 2024, 2022]),
        ] {
            let store = Store::open(&db.url).await.expect("open");
            store
                .load_reference(&giamngheo_survey::reference())
                .await
                .expect("reference");
            for year in order {
                let r = import(&store, year, &survey(year)).await;
                assert!(r.errors.is_empty(), "{} {year}: {:?}", db.name, r.errors);
            }
            results.push(
                store
                    .summaries(&unit("11"), 2022, 2025)
                    .await
                    .expect("summaries"),
            );
            store.close().await;
        }
        assert_eq!(results[0].len(), results[1].len());
        for (a, b) in results[0].iter().zip(&results[1]) {
            assert_eq!(a, b, "{}: {} {}", in_order.name, a.commune_code, a.year);
            assert!(a.stock_holds());
        }
        let moved: i64 = results[0]
            .iter()
            .map(|s| s.new_poor + s.escaped + s.fell_back + s.poor_to_near_poor)
            .sum();
        assert!(moved > 0, "the panel has transitions to compare");
    }
}

#[tokio::test]
async fn a_year_under_pre_2025_codes_is_reported_under_the_2025_commune() {
    let dir = tempfile::tempdir().expect("tempdir");
    // the example's three households of Mường Phăng (03325), surveyed in 2024 when they lived in
    // the old communes Nà Nhạn (03317) and Pá Khoang (03326), merged into Mường Phăng in 2025
    let keep = |text: &str| -> String {
        text.lines()
            .filter(|l| l.starts_with("household_id") || l.starts_with("DB-00"))
            .filter(|l| !l.starts_with("DB-004") && !l.starts_with("DB-005"))
            .filter(|l| !l.starts_with("DB-006") && !l.starts_with("DB-007"))
            .filter(|l| !l.starts_with("DB-008"))
            .collect::<Vec<_>>()
            .join("\n")
            + "\n"
    };
    // a year earlier, everyone was born a year earlier too for the same ages (and the personal
    // IDs, which carry the birth year, are left out)
    let a_year_before = |m: String| -> String {
        keep(&m)
            .lines()
            .map(|l| {
                let mut f: Vec<String> = l.split(',').map(str::to_string).collect();
                if f[0] != "household_id" {
                    f[3].clear();
                    let year: i32 = f[4][..4].parse().expect("birth year");
                    f[4] = format!("{}{}", year - 1, &f[4][4..]);
                }
                f.join(",")
            })
            .collect::<Vec<_>>()
            .join("\n")
            + "\n"
    };
    let y2024 = dir.path().join("2024");
    std::fs::create_dir_all(&y2024).expect("dir");
    let files = edited(
        &y2024,
        |h| {
            keep(&h)
                .replace(",03325,", ",03317,")
                .replace("DB-003,03317,", "DB-003,03326,")
                .replace(",2025-10-", ",2024-10-")
        },
        a_year_before,
    );
    let unknown_dir = dir.path().join("unknown");
    std::fs::create_dir_all(&unknown_dir).expect("dir");
    let unknown = edited(
        &unknown_dir,
        |h| {
            keep(&h)
                .replace(",03325,", ",03317,")
                .replacen(",03317,", ",99999,", 1)
                .replace(",2025-10-", ",2024-10-")
        },
        a_year_before,
    );
    let standards = Standards::builtin().expect("standards");
    let legacy = ImportOptions {
        legacy_units: true,
        ..ImportOptions::year(2024)
    };
    for db in databases().await {
        let store = Store::open(&db.url).await.expect("open");
        store
            .load_reference(&giamngheo_survey::reference())
            .await
            .expect("reference");
        // without --legacy-units the old codes are read as 2025 codes: 03317 is none
        let r = import(&store, 2024, &files).await;
        assert!(
            r.errors
                .iter()
                .any(|e| short(e).contains("unknown commune `03317` (not in the 2025 list")),
            "{}: {:?}",
            db.name,
            r.errors
        );
        let r = import_survey(&store, &standards, &legacy, &unknown, &mut |_, _| {})
            .await
            .expect("import runs");
        let errors: Vec<String> = r.errors.iter().map(short).collect();
        assert_eq!(
            errors,
            ["households.csv:2: commune_code: unknown commune `99999` (not in the pre-2025 list of communes; without --legacy-units codes are of 2025)"],
            "{}",
            db.name
        );
        let r = import_survey(&store, &standards, &legacy, &files, &mut |_, _| {})
            .await
            .expect("import runs");
        assert!(r.errors.is_empty(), "{}: {:?}", db.name, r.errors);
        assert!(matches!(
            r.outcome,
            FileOutcome::Imported { households: 3, .. }
        ));
        // 2025 under the new code: the same households, so their history continues
        let r = import(&store, 2025, &example_files()).await;
        assert!(r.errors.is_empty(), "{}: {:?}", db.name, r.errors);
        let c = store.counts().await.expect("counts");
        assert_eq!((c.households, c.assessments), (8, 11), "{}", db.name);
        let sums = store
            .summaries(&unit("03325"), 2024, 2025)
            .await
            .expect("summaries");
        assert_eq!(sums.len(), 2, "{}", db.name);
        let (s24, s25) = (&sums[0], &sums[1]);
        assert_eq!((s24.year, s24.households), (2024, 3));
        assert_eq!(s25.poor_start, s24.poor, "{}", db.name);
        assert_eq!(
            s25.new_poor + s25.new_near_poor,
            0,
            "{}: the households were there the year before: {s25:?}",
            db.name
        );
        assert!(s25.stock_holds());
        // the old code stays with the year's answers
        let rows = store
            .assessments_of_year(&unit("03325"), 2024)
            .await
            .expect("rows");
        let answers: serde_json::Value = serde_json::from_str(&rows[0].answers).expect("json");
        assert_eq!(answers["legacy_commune"], "03317", "{}", db.name);
        store.close().await;
    }
}

#[tokio::test]
async fn cached_reports_follow_new_imports() {
    use giamngheo_app::report::ReportCache;
    let dir = tempfile::tempdir().expect("tempdir");
    let files = edited(
        dir.path(),
        |h| h.replace(",2025-1", ",2026-1"),
        |m| {
            // a year older, the same ages: birth years move on, IDs (which carry them) go
            m.lines()
                .map(|l| {
                    let mut f: Vec<String> = l.split(',').map(str::to_string).collect();
                    if f[0] != "household_id" {
                        f[3].clear();
                        let y: i32 = f[4][..4].parse().expect("year");
                        f[4] = format!("{}{}", y + 1, &f[4][4..]);
                    }
                    f.join(",")
                })
                .collect::<Vec<_>>()
                .join("\n")
                + "\n"
        },
    );
    let standards = Standards::builtin().expect("standards");
    for db in databases().await {
        let store = Store::open(&db.url).await.expect("open");
        store
            .load_reference(&giamngheo_survey::reference())
            .await
            .expect("reference");
        let r = import(&store, 2025, &example_files()).await;
        assert!(r.errors.is_empty());
        let cache = ReportCache::default();
        let first = cache
            .report(&store, &standards, &unit("11"), None, None)
            .await
            .expect("report")
            .expect("unit");
        assert_eq!(first.years.len(), 1);
        let again = cache
            .report(&store, &standards, &unit("11"), None, None)
            .await
            .expect("report")
            .expect("unit");
        assert!(
            std::sync::Arc::ptr_eq(&first, &again),
            "served from the cache"
        );
        let r = import(&store, 2026, &files).await;
        assert!(r.errors.is_empty(), "{}: {:?}", db.name, r.errors);
        let after = cache
            .report(&store, &standards, &unit("11"), None, None)
            .await
            .expect("report")
            .expect("unit");
        assert_eq!(
            after.years.iter().map(|y| y.year).collect::<Vec<_>>(),
            [2025, 2026],
            "{}: a new import shows at once",
            db.name
        );
        assert!(cache
            .report(&store, &standards, &unit("99"), None, None)
            .await
            .expect("report")
            .is_none());
        store.close().await;
    }
}

/// A dry run checks as an import does and stores nothing; a replacing import writes a
/// household's year again where a plain one is refused as a conflict.
#[tokio::test]
async fn a_dry_run_stores_nothing_and_a_replacing_import_writes_the_year_again() {
    let standards = Standards::builtin().expect("standards");
    for db in databases().await {
        let store = Store::open(&db.url).await.expect("open");
        store
            .load_reference(&giamngheo_survey::reference())
            .await
            .expect("reference");
        let with = |dry_run: bool, replace: bool| ImportOptions {
            dry_run,
            replace,
            ..ImportOptions::year(2025)
        };
        let checked = import_survey(
            &store,
            &standards,
            &with(true, false),
            &example_files(),
            &mut |_, _| {},
        )
        .await
        .expect("check");
        assert_eq!(
            checked.outcome,
            FileOutcome::Checked {
                households: 8,
                members: 16
            },
            "{}",
            db.name
        );
        let c = store.counts().await.expect("counts");
        assert_eq!((c.households, c.assessments), (0, 0), "{}", db.name);
        assert!(store
            .audit_log(&Default::default())
            .await
            .expect("log")
            .is_empty());
        // stored, then the same year again with every income halved
        let r = import(&store, 2025, &example_files()).await;
        assert!(r.errors.is_empty(), "{}", db.name);
        let dir = tempfile::tempdir().expect("dir");
        let halved = edited(dir.path(), |h| h.replace(",1200000,", ",600000,"), |m| m);
        let plain = import(&store, 2025, &halved).await;
        assert!(
            plain.errors.iter().any(|e| e.column == "household_id"),
            "{}: {:?}",
            db.name,
            plain.errors
        );
        // a dry run of it finds the same conflicts
        let dry = import_survey(
            &store,
            &standards,
            &with(true, false),
            &halved,
            &mut |_, _| {},
        )
        .await
        .expect("check");
        assert_eq!(dry.errors.len(), plain.errors.len(), "{}", db.name);
        let replaced = import_survey(
            &store,
            &standards,
            &with(false, true),
            &halved,
            &mut |_, _| {},
        )
        .await
        .expect("replace");
        assert!(
            replaced.errors.is_empty(),
            "{}: {:?}",
            db.name,
            replaced.errors
        );
        let c = store.counts().await.expect("counts");
        assert_eq!(
            (c.households, c.members, c.assessments),
            (8, 16, 8),
            "{}",
            db.name
        );
        // and saved again, the same content is not "already imported"
        let again = import_survey(
            &store,
            &standards,
            &with(false, true),
            &halved,
            &mut |_, _| {},
        )
        .await
        .expect("replace again");
        assert!(
            matches!(again.outcome, FileOutcome::Imported { .. }),
            "{}: {:?}",
            db.name,
            again.outcome
        );
    }
}

/// The example survey as ODK Central exports Phiếu B's submissions: a CSV of submissions with
/// their metadata and `KEY`, one of the members repeat with `PARENT_KEY`, devices
/// space-separated, the form's calculated fields.
fn odk_export(dir: &Path, edit: impl Fn(String) -> String) -> SurveyFiles {
    let mut h = csv::Reader::from_path(examples().join("households.csv")).expect("read");
    let header = h.headers().expect("header").clone();
    let mut w = csv::Writer::from_path(dir.join("giamngheo_phieu_b.csv")).expect("write");
    let mut out_header = vec!["SubmissionDate".to_string()];
    out_header.extend(
        header
            .iter()
            .filter(|c| !c.starts_with("x_") && !c.starts_with("d_"))
            .map(str::to_string),
    );
    out_header.extend(["meta-instanceID", "KEY", "SubmitterName"].map(String::from));
    w.write_record(&out_header).expect("header");
    for (n, row) in h.records().enumerate() {
        let row = row.expect("row");
        let mut v = vec!["2025-10-16T08:00:00.000Z".to_string()];
        for (c, value) in header.iter().zip(row.iter()) {
            if c.starts_with("x_") || c.starts_with("d_") {
                continue;
            }
            v.push(if c == "info_devices" {
                value.replace(';', " ")
            } else {
                value.to_string()
            });
        }
        v.extend([
            format!("uuid:{n}"),
            format!("uuid:{n}"),
            "enumerator".into(),
        ]);
        w.write_record(&v).expect("row");
    }
    w.flush().expect("flush");
    let codes: Vec<String> = csv::Reader::from_path(examples().join("households.csv"))
        .expect("read")
        .records()
        .map(|r| r.expect("row")[0].to_string())
        .collect();
    let mut m = csv::Reader::from_path(examples().join("members.csv")).expect("read");
    let header = m.headers().expect("header").clone();
    let path = dir.join("giamngheo_phieu_b-members.csv");
    let mut w = csv::Writer::from_path(&path).expect("write");
    let mut out_header: Vec<String> = header
        .iter()
        .filter(|c| *c != "household_id")
        .map(str::to_string)
        .collect();
    out_header.extend(["age", "PARENT_KEY", "KEY"].map(String::from));
    w.write_record(&out_header).expect("header");
    for (n, row) in m.records().enumerate() {
        let row = row.expect("row");
        let parent = codes
            .iter()
            .position(|c| c == &row[0])
            .expect("its household");
        let mut v: Vec<String> = header
            .iter()
            .zip(row.iter())
            .filter(|(c, _)| *c != "household_id")
            .map(|(_, v)| v.to_string())
            .collect();
        v.extend([
            "40".into(),
            format!("uuid:{parent}"),
            format!("uuid:{parent}/members[{n}]"),
        ]);
        w.write_record(&v).expect("row");
    }
    w.flush().expect("flush");
    let text = std::fs::read_to_string(&path).expect("read");
    std::fs::write(&path, edit(text)).expect("write");
    SurveyFiles::find(&dir.join("giamngheo_phieu_b.csv")).expect("an export")
}

#[tokio::test]
async fn odk_central_exports_import_as_the_survey_they_hold() {
    for db in databases().await {
        let store = Store::open(&db.url).await.expect("open");
        store
            .load_reference(&giamngheo_survey::reference())
            .await
            .expect("reference");
        // a member whose submission is missing: named by the file downloaded, its row and column
        let dir = tempfile::tempdir().expect("dir");
        let files = odk_export(dir.path(), |t| t.replacen("uuid:0,", "uuid:99,", 1));
        assert!(
            files.members.is_some(),
            "the members' export is found beside"
        );
        let r = import(&store, 2025, &files).await;
        assert!(
            r.errors.iter().any(|e| e.column == "PARENT_KEY"
                && e.file.ends_with("giamngheo_phieu_b-members.csv")
                && e.row == 2),
            "{}: {:?}",
            db.name,
            r.errors
        );
        // a bad answer is named in the export's own file, row and column
        let dir = tempfile::tempdir().expect("dir");
        let files = odk_export(dir.path(), |t| t);
        let h = std::fs::read_to_string(&files.households).expect("read");
        std::fs::write(&files.households, h.replacen(",surface,", ",river,", 1)).expect("write");
        let r = import(&store, 2025, &files).await;
        let e = r.errors.first().expect("an error");
        assert!(
            e.file.as_ref() == files.households.display().to_string()
                && e.column == "water_source"
                && e.row == 2,
            "{}: {:?}",
            db.name,
            r.errors
        );
        // the export as it came: the same households, members and classes as the survey
        let dir = tempfile::tempdir().expect("dir");
        let r = import(&store, 2025, &odk_export(dir.path(), |t| t)).await;
        assert!(r.errors.is_empty(), "{}: {:?}", db.name, r.errors);
        assert!(
            matches!(
                r.outcome,
                FileOutcome::Imported {
                    households: 8,
                    members: 16,
                    ..
                }
            ),
            "{}: {:?}",
            db.name,
            r.outcome
        );
        let classes = store.classes_of("03325", 2025).await.expect("classes");
        assert_eq!(classes.len(), 3, "{}", db.name);
    }
}

/// The example survey as KoboToolbox exports Phiếu B's submissions to XLSX with "XML values and
/// headers": the submissions on the first sheet (named after the form, fields behind their
/// group, numbers as numbers, devices space-separated beside a 0/1 column a choice, Kobo's
/// metadata after), the members repeat on its own sheet naming its submission's `_index` in
/// `_parent_index`. `edit` changes a member's cells (sheet row, column, value); a blank row is
/// left after the first member, as a sheet someone tidied by hand may have.
fn kobo_export(dir: &Path, labels: bool, edit: &[(u32, &str, &str)]) -> SurveyFiles {
    use rust_xlsxwriter::Workbook;
    let mut book = Workbook::new();
    let mut h = csv::Reader::from_path(examples().join("households.csv")).expect("read");
    let header: Vec<String> = h
        .headers()
        .expect("header")
        .iter()
        .filter(|c| !c.starts_with("x_") && !c.starts_with("d_"))
        .map(str::to_string)
        .collect();
    let sheet = book.add_worksheet();
    sheet.set_name("Phiếu B - rà soát hộ nghèo").expect("name");
    let mut columns: Vec<String> = header
        .iter()
        .map(|c| match (labels, c.as_str()) {
            (true, "household_id") => "Mã hộ".to_string(),
            (true, c) => format!("Câu hỏi {c}"),
            (false, c) => format!("phieu_b/{c}"),
        })
        .collect();
    columns.extend(
        [
            "info_devices/tv",
            "info_devices/phone",
            "_id",
            "_uuid",
            "_submission_time",
            "_validation_status",
            "_index",
        ]
        .map(String::from),
    );
    for (i, c) in columns.iter().enumerate() {
        sheet.write_string(0, i as u16, c).expect("header");
    }
    let all: Vec<String> = h
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    let mut codes = Vec::new();
    for (n, row) in h.records().enumerate() {
        let row = row.expect("row");
        let r = n as u32 + 1;
        let mut i = 0u16;
        for (c, value) in all.iter().zip(row.iter()) {
            if c.starts_with("x_") || c.starts_with("d_") {
                continue;
            }
            if c == "household_id" {
                codes.push(value.to_string());
            }
            match value.parse::<f64>() {
                Ok(v) if c == "income_per_capita" || c == "floor_area_m2" => {
                    sheet.write_number(r, i, v).expect("cell")
                }
                _ if c == "info_devices" => sheet
                    .write_string(r, i, value.replace(';', " "))
                    .expect("cell"),
                _ => sheet.write_string(r, i, value).expect("cell"),
            };
            i += 1;
        }
        let devices = row
            .get(
                all.iter()
                    .position(|c| c == "info_devices")
                    .expect("devices"),
            )
            .unwrap_or("");
        for d in ["tv", "phone"] {
            sheet
                .write_number(
                    r,
                    i,
                    if devices.split(';').any(|x| x == d) {
                        1.0
                    } else {
                        0.0
                    },
                )
                .expect("cell");
            i += 1;
        }
        sheet.write_number(r, i, 1000.0 + n as f64).expect("cell");
        sheet
            .write_string(r, i + 1, format!("5b1c-{n}"))
            .expect("cell");
        sheet
            .write_string(r, i + 2, "2025-10-16T08:00:00")
            .expect("cell");
        sheet.write_string(r, i + 3, "").expect("cell");
        sheet.write_number(r, i + 4, n as f64 + 1.0).expect("cell");
    }
    let mut m = csv::Reader::from_path(examples().join("members.csv")).expect("read");
    let header: Vec<String> = m
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    let sheet = book.add_worksheet();
    sheet.set_name("members").expect("name");
    let mut columns: Vec<String> = header
        .iter()
        .filter(|c| *c != "household_id")
        .map(|c| format!("phieu_b/members/{c}"))
        .collect();
    columns.extend(
        [
            "_index",
            "_parent_table_name",
            "_parent_index",
            "_submission__id",
            "_submission__uuid",
        ]
        .map(String::from),
    );
    for (i, c) in columns.iter().enumerate() {
        sheet.write_string(0, i as u16, c).expect("header");
    }
    for (n, row) in m.records().enumerate() {
        let row = row.expect("row");
        // the blank row after the first member
        let r = if n == 0 { 1 } else { n as u32 + 2 };
        let parent = codes
            .iter()
            .position(|c| c == &row[0])
            .expect("its household");
        let mut i = 0u16;
        for (c, value) in header.iter().zip(row.iter()) {
            if c == "household_id" {
                continue;
            }
            let value = edit
                .iter()
                .find(|(er, ec, _)| *er == r + 1 && *ec == c)
                .map(|(_, _, v)| *v)
                .unwrap_or(value);
            sheet.write_string(r, i, value).expect("cell");
            i += 1;
        }
        let parent = edit
            .iter()
            .find(|(er, ec, _)| *er == r + 1 && *ec == "_parent_index")
            .map(|(_, _, v)| v.to_string())
            .unwrap_or_else(|| (parent + 1).to_string());
        sheet.write_number(r, i, n as f64 + 1.0).expect("cell");
        sheet
            .write_string(r, i + 1, "Phiếu B - rà soát hộ nghèo")
            .expect("cell");
        sheet.write_string(r, i + 2, parent).expect("cell");
        sheet
            .write_number(r, i + 3, 1000.0 + n as f64)
            .expect("cell");
        sheet.write_string(r, i + 4, "5b1c").expect("cell");
    }
    let path = dir.join("giamngheo_phieu_b_2025_12_01.xlsx");
    book.save(&path).expect("save");
    SurveyFiles::find(&path).expect("an export")
}

#[tokio::test]
async fn kobotoolbox_xlsx_exports_import_as_the_survey_they_hold() {
    for db in databases().await {
        let store = Store::open(&db.url).await.expect("open");
        store
            .load_reference(&giamngheo_survey::reference())
            .await
            .expect("reference");
        // a member whose submission is missing: named by the workbook's sheet and row
        let dir = tempfile::tempdir().expect("dir");
        let files = kobo_export(dir.path(), false, &[(4, "_parent_index", "99")]);
        let book = files.households.display().to_string();
        let r = import(&store, 2025, &files).await;
        assert!(
            r.errors.iter().any(|e| e.column == "_parent_index"
                && e.file.as_ref() == format!("{book}[members]")
                && e.row == 4),
            "{}: {:?}",
            db.name,
            r.errors
        );
        assert!(matches!(r.outcome, FileOutcome::Rejected { .. }));
        // a bad answer: the sheet's own row, past the blank one
        let dir = tempfile::tempdir().expect("dir");
        let files = kobo_export(dir.path(), false, &[(5, "sex", "X")]);
        let book = files.households.display().to_string();
        let r = import(&store, 2025, &files).await;
        let e = r
            .errors
            .iter()
            .find(|e| e.column == "sex")
            .unwrap_or_else(|| panic!("{}: {:?}", db.name, r.errors));
        assert_eq!(
            (e.file.as_ref(), e.row),
            (format!("{book}[members]").as_str(), 5),
            "{}",
            db.name
        );
        // exported with the questions' labels as headers: said how to export it again
        let dir = tempfile::tempdir().expect("dir");
        let r = import(&store, 2025, &kobo_export(dir.path(), true, &[])).await;
        let e = r.errors.first().expect("an error");
        assert!(
            e.message
                .render(giamngheo_rules::Lang::Vi)
                .contains("XML values and headers")
                && e.file.ends_with("[Phiếu B - rà soát hộ nghèo]"),
            "{}: {:?}",
            db.name,
            r.errors
        );
        // nothing was written by the refused workbooks
        assert!(store
            .classes_of("03325", 2025)
            .await
            .expect("classes")
            .is_empty());
        // the export as it came: the same households, members and classes as the survey
        let dir = tempfile::tempdir().expect("dir");
        let r = import(&store, 2025, &kobo_export(dir.path(), false, &[])).await;
        assert!(r.errors.is_empty(), "{}: {:?}", db.name, r.errors);
        assert!(
            matches!(
                r.outcome,
                FileOutcome::Imported {
                    households: 8,
                    members: 16,
                    ..
                }
            ),
            "{}: {:?}",
            db.name,
            r.outcome
        );
        let classes = store.classes_of("03325", 2025).await.expect("classes");
        assert_eq!(classes.len(), 3, "{}", db.name);
        // as the example survey classifies them: numbers read back as the format writes them
        let mut got: Vec<&str> = classes.values().map(String::as_str).collect();
        got.sort();
        assert_eq!(got, ["average", "near_poor", "poor"], "{}", db.name);
    }
}
