//! The store on every backend: the same tests on SQLite and PostgreSQL.

use giamngheo_rules::NaiveDate;
use giamngheo_store::{AssessmentRow, Begin, HouseholdRow, ImportMeta, MemberRow, Store};
use giamngheo_testing::databases;

fn household(code: &str, id_number: Option<&str>) -> HouseholdRow {
    HouseholdRow {
        commune_code: "03325".into(),
        code: code.into(),
        village: Some("Bản Che Căn".into()),
        head_name: Some("Lò Văn Pấng".into()),
        members: vec![MemberRow {
            member_no: 1,
            full_name: Some("Lò Văn Pấng".into()),
            name_key: Some("lo van pang".into()),
            id_number: id_number.map(str::to_string),
            birth_date: NaiveDate::from_ymd_opt(1982, 3, 4).expect("date"),
            birth_precision: 3,
            sex: giamngheo_rules::Sex::Male,
            ethnic_code: Some("03".into()),
            relation: Some("head".into()),
        }],
        assessment: AssessmentRow {
            year: 2025,
            standard: "vn-2022-2025".into(),
            survey_date: NaiveDate::from_ymd_opt(2025, 10, 15).expect("date"),
            area: giamngheo_rules::Area::Rural,
            income_line: 1_500_000,
            income_per_capita: Some("1200000.50".into()),
            b1_score: None,
            class: giamngheo_rules::Class::Poor,
            deprivations: 0b1011,
            deprivation_count: 3,
            without_working_capacity: Some(false),
            is_minority: true,
            head_ethnic: Some("03".into()),
            members: 1,
            answers: r#"{"water_source":"surface"}"#.into(),
        },
        decision: None,
    }
}

fn meta(sha: &str) -> ImportMeta {
    ImportMeta {
        year: 2025,
        file_name: "households.csv".into(),
        sha256: sha.into(),
        who: giamngheo_store::Who {
            user_id: None,
            name: "test".into(),
        },
        replace: false,
        decided: false,
    }
}

async fn started(store: &Store, sha: &str) -> Box<giamngheo_store::ImportTx> {
    match store.begin_import(&meta(sha)).await.expect("begin") {
        Begin::Started(tx) => tx,
        Begin::AlreadyImported { .. } => panic!("{sha} was not imported before"),
    }
}

#[tokio::test]
async fn reference_data_loads_once_and_maps_old_communes() {
    let reference = giamngheo_survey::reference();
    for db in databases().await {
        let store = Store::open(&db.url).await.expect("open");
        assert!(
            store.load_reference(&reference).await.expect("load"),
            "{}",
            db.name
        );
        assert!(
            !store.load_reference(&reference).await.expect("again"),
            "{}",
            db.name
        );
        store.close().await;
        // reopening migrates nothing new and keeps the data
        let store = Store::open(&db.url).await.expect("reopen");
        let c = store.counts().await.expect("counts");
        assert_eq!(
            (
                c.provinces,
                c.communes,
                c.legacy_communes,
                c.crosswalk,
                c.ethnic_groups
            ),
            (34, 3321, 10035, 10590, 54),
            "{}",
            db.name
        );
        // Phúc Xá (Ba Đình) went whole into Hồng Hà; most of Hàng Trống into Hoàn Kiếm, whose
        // 2025 code is Hàng Trống's old one
        assert_eq!(
            store.reform_target("00001").await.expect("q").as_deref(),
            Some("00097")
        );
        assert_eq!(
            store.reform_target("00070").await.expect("q").as_deref(),
            Some("00070")
        );
        assert_eq!(store.reform_target("99999").await.expect("q"), None);
        store.close().await;
    }
}

#[tokio::test]
async fn an_import_is_all_or_nothing_and_happens_once() {
    let reference = giamngheo_survey::reference();
    for db in databases().await {
        let store = Store::open(&db.url).await.expect("open");
        store.load_reference(&reference).await.expect("load");
        let counts =
            |c: giamngheo_store::Counts| (c.households, c.members, c.assessments, c.imports);
        // written but dropped without commit: nothing stays
        let mut tx = started(&store, "aaa").await;
        tx.add(household("DB-001", Some("011082003417")));
        assert!(tx.flush().await.expect("flush").is_empty());
        drop(tx);
        assert_eq!(
            counts(store.counts().await.expect("counts")),
            (0, 0, 0, 0),
            "{}",
            db.name
        );
        // committed
        let mut tx = started(&store, "aaa").await;
        tx.add(household("DB-001", Some("011082003417")));
        tx.add(household("DB-002", None));
        assert!(tx.commit().await.expect("commit").is_ok());
        assert_eq!(
            counts(store.counts().await.expect("counts")),
            (2, 2, 2, 1),
            "{}",
            db.name
        );
        // the same file again is recognised
        match store.begin_import(&meta("aaa")).await.expect("begin") {
            Begin::AlreadyImported { file_name, .. } => assert_eq!(file_name, "households.csv"),
            Begin::Started(_) => panic!("{}: re-import must be recognised", db.name),
        }
        // another file for the same year cannot replace an assessment
        let mut tx = started(&store, "bbb").await;
        tx.add(household("DB-009", None));
        tx.add(household("DB-002", None));
        let conflicts = tx.commit().await.expect("commit").expect_err("a conflict");
        assert_eq!(conflicts.len(), 1, "{}", db.name);
        assert_eq!(
            (conflicts[0].index, conflicts[0].column),
            (1, "household_id")
        );
        assert!(
            conflicts[0]
                .message
                .render(giamngheo_rules::Lang::En)
                .contains("already has an assessment for 2025"),
            "{}",
            conflicts[0].message
        );
        // a personal ID held by another household's member is a conflict
        let mut tx = started(&store, "ccc").await;
        tx.add(household("DB-003", Some("011082003417")));
        let conflicts = tx.flush().await.expect("flush");
        assert_eq!(conflicts.len(), 1, "{}", db.name);
        let c = &conflicts[0];
        assert_eq!((c.index, c.column, c.member), (0, "id_number", Some(0)));
        assert!(
            c.message
                .render(giamngheo_rules::Lang::En)
                .contains("member 1 of household `DB-001`"),
            "{}",
            c.message
        );
        drop(tx);
        assert_eq!(
            counts(store.counts().await.expect("counts")),
            (2, 2, 2, 1),
            "{}",
            db.name
        );
        store.close().await;
    }
}

#[tokio::test]
async fn users_sessions_and_an_append_only_chained_audit_log() {
    use giamngheo_store::{AuditFilter, Change, NewUser, Who};
    for db in databases().await {
        let store = Store::open(&db.url).await.expect("open");
        let admin = Who {
            user_id: None,
            name: "cli:root".into(),
        };
        let new = NewUser {
            name: "can-bo-xa".into(),
            full_name: "Lò Thị Ún".into(),
            role: "commune_officer".into(),
            unit_code: Some("03325".into()),
            password_hash: "hash-1".into(),
            must_change_password: false,
        };
        let id = store.add_user(&admin, &new).await.expect("add");
        let again = store.add_user(&admin, &new).await;
        assert!(
            matches!(again, Err(giamngheo_store::StoreError::Invalid(ref m)) if m.contains("already exists")),
            "{}: {again:?}",
            db.name
        );
        let u = store
            .user_by_name("can-bo-xa")
            .await
            .expect("query")
            .expect("user");
        assert_eq!(
            (u.id, u.role.as_str(), u.unit_code.as_deref()),
            (id, "commune_officer", Some("03325"))
        );
        // a session opens, is found by its token's hash until it ends, and closes
        let end = giamngheo_rules::chrono::Utc::now() + giamngheo_rules::chrono::Duration::hours(8);
        store
            .open_session(&u, "tok-hash", "csrf-1", end)
            .await
            .expect("open");
        let s = store
            .session("tok-hash")
            .await
            .expect("query")
            .expect("session");
        assert_eq!((s.user.id, s.csrf_token.as_str()), (id, "csrf-1"));
        assert!(store.session("other").await.expect("query").is_none());
        let past =
            giamngheo_rules::chrono::Utc::now() - giamngheo_rules::chrono::Duration::seconds(1);
        store
            .open_session(&u, "old-hash", "csrf-2", past)
            .await
            .expect("open");
        assert!(
            store.session("old-hash").await.expect("query").is_none(),
            "{}: expired",
            db.name
        );
        // a new password closes the user's sessions
        store
            .set_password(&admin, "can-bo-xa", "hash-2")
            .await
            .expect("passwd");
        assert!(store.session("tok-hash").await.expect("query").is_none());
        store
            .audit(
                &admin,
                &Change {
                    action: "note".into(),
                    record: "user:1".into(),
                    ..Default::default()
                },
            )
            .await
            .expect("audit");
        let log = store
            .audit_log(&AuditFilter {
                limit: 100,
                ..Default::default()
            })
            .await
            .expect("log");
        let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(
            actions,
            [
                "note",
                "user.password",
                "session.login",
                "session.login",
                "user.add"
            ],
            "{}",
            db.name
        );
        assert!(
            log.iter()
                .all(|e| !e.after.as_deref().unwrap_or("").contains("hash-")),
            "no password hash in the log"
        );
        let by_unit = store
            .audit_log(&AuditFilter {
                units: Some(vec!["11".into(), "03325".into()]),
                limit: 100,
                ..Default::default()
            })
            .await
            .expect("log");
        assert_eq!(by_unit.len(), 4);
        assert_eq!(store.verify_audit_log().await.expect("verify"), Ok(5));
        // the database refuses to change or delete an entry
        let url = db.url.clone();
        let tamper = if url.starts_with("postgres") {
            let pool = sqlx::PgPool::connect(&url).await.expect("connect");
            let r = sqlx::query("UPDATE audit_log SET user_name = 'x'")
                .execute(&pool)
                .await;
            let d = sqlx::query("DELETE FROM audit_log").execute(&pool).await;
            pool.close().await;
            (r.is_err(), d.is_err())
        } else {
            let pool = sqlx::SqlitePool::connect(&format!("sqlite:{url}"))
                .await
                .expect("connect");
            let r = sqlx::query("UPDATE audit_log SET user_name = 'x'")
                .execute(&pool)
                .await;
            let d = sqlx::query("DELETE FROM audit_log").execute(&pool).await;
            pool.close().await;
            (r.is_err(), d.is_err())
        };
        assert_eq!(tamper, (true, true), "{}", db.name);
        store.close().await;
    }
}

#[tokio::test]
async fn concurrent_changes_chain_in_turn() {
    use giamngheo_store::{Change, Who};
    for db in databases().await {
        let store = Store::open(&db.url).await.expect("open");
        let mut tasks = Vec::new();
        for i in 0..16 {
            let s = store.clone();
            tasks.push(tokio::spawn(async move {
                s.audit(
                    &Who {
                        user_id: None,
                        name: format!("worker-{i}"),
                    },
                    &Change {
                        action: "note".into(),
                        record: format!("test:{i}"),
                        ..Default::default()
                    },
                )
                .await
            }));
        }
        for t in tasks {
            t.await.expect("task").expect("every append succeeds");
        }
        assert_eq!(
            store.verify_audit_log().await.expect("verify"),
            Ok(16),
            "{}",
            db.name
        );
        store.close().await;
    }
}

/// A change that would leave no active administrator is refused and writes nothing; with a
/// second administrator, the first may go.
#[tokio::test]
async fn the_last_administrator_stays() {
    use giamngheo_store::{NewUser, Who};
    for db in databases().await {
        let store = Store::open(&db.url).await.expect("open");
        let who = Who::cli();
        let add = |name: &str, role: &str| NewUser {
            name: name.into(),
            full_name: String::new(),
            role: role.into(),
            unit_code: None,
            password_hash: "hash".into(),
            must_change_password: false,
        };
        let admin = store
            .add_user(&who, &add("quantri", "administrator"))
            .await
            .expect("add");
        let other = store
            .add_user(&who, &add("lanhdao", "leader"))
            .await
            .expect("add");
        let user = |id| {
            let store = &store;
            async move { store.user_by_id(id).await.expect("read").expect("user") }
        };
        let mut off = giamngheo_store::UserChange::of(&user(admin).await);
        off.active = false;
        let r = store.update_user(&who, "user.disable", admin, &off).await;
        assert!(
            matches!(r, Err(giamngheo_store::StoreError::LastAdministrator)),
            "{}: {r:?}",
            db.name
        );
        let mut demoted = giamngheo_store::UserChange::of(&user(admin).await);
        demoted.role = "leader".into();
        let r = store
            .update_user(&who, "user.update", admin, &demoted)
            .await;
        assert!(matches!(
            r,
            Err(giamngheo_store::StoreError::LastAdministrator)
        ));
        assert!(user(admin).await.active, "{}", db.name);
        assert_eq!(user(admin).await.role, "administrator");
        let audited = |action: &'static str| {
            let store = &store;
            async move {
                store
                    .audit_log(&giamngheo_store::AuditFilter {
                        action: Some(action.into()),
                        limit: 10,
                        ..Default::default()
                    })
                    .await
                    .expect("log")
                    .len()
            }
        };
        assert_eq!(audited("user.disable").await, 0);
        // nothing to change: nothing written
        let same = giamngheo_store::UserChange::of(&user(other).await);
        assert!(!store
            .update_user(&who, "user.update", other, &same)
            .await
            .expect("no change"));
        assert_eq!(audited("user.update").await, 0);
        let mut promoted = same.clone();
        promoted.role = "administrator".into();
        assert!(store
            .update_user(&who, "user.update", other, &promoted)
            .await
            .expect("promoted"));
        assert!(store
            .update_user(&who, "user.disable", admin, &off)
            .await
            .expect("disabled"));
        assert!(!user(admin).await.active);
        assert_eq!(
            (audited("user.update").await, audited("user.disable").await),
            (1, 1)
        );
        store.close().await;
    }
}

#[tokio::test]
async fn the_duplicate_scan_reads_every_record_as_written() {
    let reference = giamngheo_survey::reference();
    for db in databases().await {
        let store = Store::open(&db.url).await.expect("open");
        store.load_reference(&reference).await.expect("load");
        let mut tx = started(&store, "scan").await;
        tx.add(household("DB-001", Some("011082003417")));
        tx.add(household("DB-002", None));
        assert!(tx.commit().await.expect("commit").is_ok());
        let id = |code: &'static str| {
            let store = &store;
            async move {
                store
                    .household_id("03325", code)
                    .await
                    .expect("id")
                    .expect("a household")
            }
        };
        let (a, b) = (id("DB-001").await, id("DB-002").await);
        let day = |d: &str| d.parse::<NaiveDate>().expect("day");
        // persons with what a packed read separates by (commas, semicolons), and none
        let people = [
            (
                a,
                Some("011082003417"),
                Some("lo van pang|1982-03-04"),
                "health_insurance",
            ),
            (a, None, None, "housing_build"),
            (
                b,
                None,
                Some("nguyen, van; a \u{1e}|1990"),
                "vocational_training",
            ),
            (b, None, Some("ĐẶNG thị|2001-02-03"), "health_insurance"),
        ];
        let rows: Vec<giamngheo_store::SupportRecord> = people
            .iter()
            .enumerate()
            .map(|(i, (h, idn, key, kind))| giamngheo_store::SupportRecord {
                province_code: "11".into(),
                commune_code: "03325".into(),
                household_id: *h,
                id_number: idn.map(str::to_string),
                person_key: key.map(str::to_string),
                kind: kind.to_string(),
                decision: format!("{i}/QĐ-UBND"),
                decided_on: day("2025-03-01") + giamngheo_rules::chrono::Days::new(i as u64),
                status: "decided".into(),
                ..Default::default()
            })
            .collect();
        let who = giamngheo_store::Who {
            user_id: None,
            name: "test".into(),
        };
        let ids = store.write_support(&who, &rows).await.expect("written");
        let expected: Vec<giamngheo_store::ScanRow> = rows
            .iter()
            .zip(&ids)
            .map(|(r, id)| {
                (
                    *id,
                    r.kind.clone(),
                    r.decided_on,
                    r.household_id,
                    r.id_number.clone(),
                    r.person_key.clone(),
                )
            })
            .collect();
        for unit in ["11", "03325"] {
            assert_eq!(
                store.support_scan(unit).await.expect("scan"),
                expected,
                "{}",
                db.name
            );
        }
        assert!(store.support_scan("03328").await.expect("scan").is_empty());
        // 20,000 records read back by id with their parts: past SQLite's limit of variables
        // in one list
        let more: Vec<giamngheo_store::SupportRecord> = (0..20_000)
            .map(|i| giamngheo_store::SupportRecord {
                kind: "other".into(),
                decision: format!("K/{i}"),
                parts: vec![giamngheo_store::SupportPart {
                    source: "central_recurrent".into(),
                    in_kind: false,
                    amount: 1_000 + i,
                    valuation: None,
                }],
                ..rows[1].clone()
            })
            .collect();
        let more_ids = store.write_support(&who, &more).await.expect("written");
        let back = store.support_records(&more_ids).await.expect("records");
        assert_eq!(back.len(), 20_000);
        assert_eq!(
            back.iter().map(|r| r.total()).sum::<i64>(),
            more.iter().map(|r| r.total()).sum::<i64>()
        );
    }
}
