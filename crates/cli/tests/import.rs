//! `giamngheo import` end to end: a run, a re-run, a rejected file, and an import killed with -9
//! in the middle, from the command line and through the web page, on every backend.

use giamngheo_app::records::{Counts, StoreOptions};
use giamngheo_app::Registry;
use giamngheo_rules::Standards;
use giamngheo_testing::{databases, TestDb};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The command in English, whose sentences these tests read (one test reads the Vietnamese).
fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_giamngheo"));
    c.env("GIAMNGHEO_LANG", "en");
    c
}

fn examples() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/survey-2025")
}

async fn open(url: &str) -> Registry {
    let standards = Standards::builtin().expect("standards");
    let (registry, _) = Registry::open(&StoreOptions::new(url), standards)
        .await
        .expect("open");
    registry
}

async fn counts(url: &str) -> Counts {
    let registry = open(url).await;
    let c = registry.unscoped().counts().await.expect("counts");
    registry.close().await;
    c
}

#[tokio::test]
async fn import_then_import_again() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("registry.db");
    let run = || {
        bin()
            .args(["import", "--year", "2025", "--db"])
            .arg(&db)
            .arg(examples().join("households.csv"))
            .output()
            .expect("import")
    };
    let out = run();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("imported 8 households and 16 members for 2025 (import #1)"),
        "{stdout}"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("new registry"));
    let out = run();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("already imported for 2025 (import #1)"));
    let c = counts(&db.display().to_string()).await;
    assert_eq!(
        (c.households, c.members, c.assessments, c.imports),
        (8, 16, 8, 1)
    );
}

#[tokio::test]
async fn a_rejected_file_exits_1_and_names_its_rows() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("registry.db");
    let h = std::fs::read_to_string(examples().join("households.csv")).expect("read");
    std::fs::write(
        dir.path().join("households.csv"),
        h.replace(",surface,", ",river,"),
    )
    .expect("write");
    std::fs::copy(
        examples().join("members.csv"),
        dir.path().join("members.csv"),
    )
    .expect("copy");
    let out = bin()
        .args(["import", "--year", "2025", "--db"])
        .arg(&db)
        .arg(dir.path())
        .output()
        .expect("import");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("households.csv:2: water_source: unknown code `river`"),
        "{err}"
    );
    assert!(
        err.contains("households.csv:9: water_source: unknown code `river`"),
        "{err}"
    );
    assert!(String::from_utf8_lossy(&out.stdout)
        .contains("not imported: 2 error(s); nothing of this file was stored"));
    let c = counts(&db.display().to_string()).await;
    assert_eq!((c.households, c.imports), (0, 0));
}

/// A synthetic survey of Điện Biên, 2025, of `n` households, in `dir`.
fn big_survey(dir: &std::path::Path, n: u32) {
    let out = bin()
        .args([
            "synth",
            "--households",
            &n.to_string(),
            "--province",
            "11",
            "--years",
            "2025",
            "--seed",
            "9",
            "--out-dir",
        ])
        .arg(dir)
        .output()
        .expect("synth");
    assert!(out.status.success());
}

/// Waits until the database has taken `grown` bytes more than `before` of written pages (the
/// transaction is writing), with `child` still running; panics after a minute.
async fn wait_for_writes(db: &TestDb, before: u64, grown: u64, child: &mut Child) {
    let start = Instant::now();
    while db.written_bytes().await <= before + grown {
        assert!(
            child.try_wait().expect("poll").is_none(),
            "{}: the work ended before the kill: make the survey larger",
            db.name
        );
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "{}: the work never started writing",
            db.name
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// The registry after a kill: exactly what it held before, and sound.
async fn as_before(db: &TestDb) {
    let c = counts(&db.url).await;
    assert_eq!(
        (c.households, c.members, c.assessments, c.imports),
        (8, 16, 8, 1),
        "{}",
        db.name
    );
    let registry = open(&db.url).await;
    let check = registry.unscoped().integrity_check().await.expect("check");
    assert_eq!(check, "ok");
    registry.close().await;
}

/// The example survey imported for 2025 with the command line.
fn import_examples(url: &str) {
    let out = bin()
        .args(["import", "--year", "2025", "--db", url])
        .arg(examples().join("households.csv"))
        .output()
        .expect("import");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A kill -9 in the middle of an import leaves the registry as it was before, on every
/// backend; the next run imports the file whole.
#[tokio::test]
async fn killed_in_the_middle_nothing_is_half_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    let survey = dir.path().join("big");
    big_survey(&survey, 4000);
    for db in databases().await {
        // a first file, imported whole
        import_examples(&db.url);
        // a large survey, killed while it is being imported
        let before = db.written_bytes().await;
        let mut child = bin()
            .args(["import", "--year", "2025", "--db", &db.url])
            .arg(&survey)
            // a small page cache, so that SQLite's transaction spills its pages into the WAL as
            // it goes (with the default cache nothing reaches the disk before the commit)
            .env("GIAMNGHEO_SQLITE_CACHE_KIB", "256")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn import");
        wait_for_writes(&db, before, 64 * 1024, &mut child).await;
        child.kill().expect("kill -9");
        child.wait().expect("reap");
        as_before(&db).await;
        // run again: the file is imported whole
        let out = bin()
            .args(["import", "--year", "2025", "--db", &db.url])
            .arg(&survey)
            .output()
            .expect("import");
        assert!(
            out.status.success(),
            "{}: {}",
            db.name,
            String::from_utf8_lossy(&out.stderr)
        );
        let c = counts(&db.url).await;
        assert_eq!(
            (c.households, c.assessments, c.imports),
            (4008, 4008, 2),
            "{}",
            db.name
        );
    }
}

/// A tiny HTTP/1.1 client for a server on loopback: status, `Set-Cookie` values and
/// `Location`, and the body. One request a connection.
fn http(
    addr: &str,
    method: &str,
    path: &str,
    cookie: &str,
    kind: &str,
    body: &[u8],
) -> (u16, Vec<String>, Option<String>, String) {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).expect("connect");
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    if !cookie.is_empty() {
        req.push_str(&format!("Cookie: {cookie}\r\n"));
    }
    if !kind.is_empty() {
        req.push_str(&format!("Content-Type: {kind}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).expect("send");
    s.write_all(body).expect("send");
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).expect("answer");
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let header = |name: &str| {
        head.lines()
            .filter_map(|l| l.split_once(':'))
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim().to_string())
            .collect::<Vec<_>>()
    };
    let cookies = header("set-cookie")
        .iter()
        .map(|c| c.split(';').next().unwrap_or_default().to_string())
        .collect();
    (
        status,
        cookies,
        header("location").into_iter().next(),
        body.to_string(),
    )
}

fn hidden(html: &str, name: &str) -> String {
    let key = format!("name=\"{name}\" value=\"");
    let start = html.find(&key).map(|i| i + key.len()).expect("the field");
    html[start..]
        .split('"')
        .next()
        .unwrap_or_default()
        .to_string()
}

/// A server of the command line on a free port of loopback.
struct Server {
    child: Child,
    addr: String,
}

impl Server {
    fn start(url: &str) -> Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let addr = format!("127.0.0.1:{port}");
        let child = bin()
            .args(["serve", "--db", url, "--addr", &addr])
            .env("GIAMNGHEO_SQLITE_CACHE_KIB", "256")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("serve");
        let start = Instant::now();
        while std::net::TcpStream::connect(&addr).is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "the server never listened"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        Server { child, addr }
    }

    /// Logs `name` in; the session cookie and its CSRF token (from the import page).
    fn login(&self, name: &str) -> (String, String) {
        let (_, cookies, _, page) = http(&self.addr, "GET", "/login", "", "", b"");
        let form = format!(
            "name={name}&password=kill-test-password&csrf={}&next=/import",
            hidden(&page, "csrf")
        );
        let (status, session, _, _) = http(
            &self.addr,
            "POST",
            "/login",
            &cookies.join("; "),
            "application/x-www-form-urlencoded",
            form.as_bytes(),
        );
        assert_eq!(status, 303, "login of {name}");
        let session = session
            .into_iter()
            .find(|c| c.starts_with("gn_session=") && c.len() > 11)
            .expect("a session");
        let (_, _, _, page) = http(&self.addr, "GET", "/import", &session, "", b"");
        let csrf = hidden(&page, "csrf");
        (session, csrf)
    }

    /// Uploads a survey directory for 2025; the job page.
    fn upload(&self, session: &str, csrf: &str, dir: &std::path::Path) -> String {
        let b = "KiLlBoUnDaRy";
        let mut body = Vec::new();
        for (name, value) in [("csrf", csrf), ("year", "2025")] {
            body.extend(
                format!(
                    "--{b}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
                )
                .as_bytes(),
            );
        }
        for name in ["households", "members"] {
            body.extend(format!("--{b}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{name}.csv\"\r\nContent-Type: text/csv\r\n\r\n").as_bytes());
            body.extend(std::fs::read(dir.join(format!("{name}.csv"))).expect("read"));
            body.extend(b"\r\n");
        }
        body.extend(format!("--{b}--\r\n").as_bytes());
        let (status, _, location, text) = http(
            &self.addr,
            "POST",
            "/import",
            session,
            &format!("multipart/form-data; boundary={b}"),
            &body,
        );
        assert_eq!(status, 303, "{text}");
        location.expect("the job's page")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The server killed with -9 while an import sent through the web page is being written: the
/// registry is as it was, on every backend; the server started again takes the same upload
/// whole.
#[tokio::test]
async fn a_web_import_killed_with_the_server_leaves_nothing_half_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    let survey = dir.path().join("big");
    big_survey(&survey, 4000);
    let password = dir.path().join("password");
    std::fs::write(&password, "kill-test-password\n").expect("write");
    for db in databases().await {
        import_examples(&db.url);
        let out = bin()
            .args([
                "user",
                "add",
                "tinh",
                "--role",
                "provincial_officer",
                "--unit",
                "11",
                "--db",
                &db.url,
            ])
            .stdin(std::fs::File::open(&password).expect("password"))
            .output()
            .expect("user add");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let mut server = Server::start(&db.url);
        let (session, csrf) = server.login("tinh");
        let before = db.written_bytes().await;
        server.upload(&session, &csrf, &survey);
        wait_for_writes(&db, before, 64 * 1024, &mut server.child).await;
        server.child.kill().expect("kill -9");
        server.child.wait().expect("reap");
        as_before(&db).await;
        // started again, the same upload is imported whole
        let server = Server::start(&db.url);
        let (session, csrf) = server.login("tinh");
        let job = server.upload(&session, &csrf, &survey);
        let start = Instant::now();
        let page = loop {
            let (status, _, _, page) = http(&server.addr, "GET", &job, &session, "", b"");
            if !page.contains("http-equiv=\"refresh\"") {
                assert_eq!(status, 200, "{page}");
                break page;
            }
            assert!(
                start.elapsed() < Duration::from_secs(120),
                "the import never ended"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        assert!(page.contains("Đã nhập"), "{}: {page}", db.name);
        let c = counts(&db.url).await;
        assert_eq!(
            (c.households, c.assessments, c.imports),
            (4008, 4008, 2),
            "{}",
            db.name
        );
    }
}

#[test]
fn export_round_trips_through_csv_and_xlsx() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("registry.db");
    let out = bin()
        .args(["import", "--year", "2025", "--db"])
        .arg(&db)
        .arg(examples().join("households.csv"))
        .output()
        .expect("import");
    assert!(out.status.success());
    let classify = |args: &[&std::path::Path]| {
        let mut c = bin();
        c.arg("classify").arg("--households").arg(args[0]);
        if let Some(m) = args.get(1) {
            c.arg("--members").arg(m);
        }
        let out = c.output().expect("classify");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    let original = classify(&[
        &examples().join("households.csv"),
        &examples().join("members.csv"),
    ]);
    for target in ["exported", "exported.xlsx"] {
        let path = dir.path().join(target);
        let out = bin()
            .args(["export", "--year", "2025", "--unit", "11", "--db"])
            .arg(&db)
            .arg("-o")
            .arg(&path)
            .output()
            .expect("export");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let again = if target.ends_with(".xlsx") {
            classify(&[&path])
        } else {
            classify(&[&path.join("households.csv"), &path.join("members.csv")])
        };
        assert_eq!(again, original, "{target}");
    }
    let out = bin()
        .args(["export", "--year", "2024", "--unit", "11", "--db"])
        .arg(&db)
        .arg("-o")
        .arg(dir.path().join("none"))
        .output()
        .expect("export");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no assessment of unit `11` for 2024"));
}

#[tokio::test]
async fn check_reads_and_checks_everything_and_stores_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("registry.db");
    let out = bin()
        .args(["import", "--check", "--year", "2025", "--db"])
        .arg(&db)
        .arg(examples().join("households.csv"))
        .output()
        .expect("check");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("8 households and 16 members for 2025 pass every check, nothing stored"),
        "{stdout}"
    );
    let c = counts(&db.display().to_string()).await;
    assert_eq!((c.households, c.assessments, c.imports), (0, 0, 0));
    // a bad file is refused as an import would refuse it, exit 1
    let h = std::fs::read_to_string(examples().join("households.csv")).expect("read");
    std::fs::write(
        dir.path().join("households.csv"),
        h.replace(",surface,", ",river,"),
    )
    .expect("write");
    std::fs::copy(
        examples().join("members.csv"),
        dir.path().join("members.csv"),
    )
    .expect("copy");
    let out = bin()
        .args(["import", "--check", "--year", "2025", "--db"])
        .arg(&db)
        .arg(dir.path().join("households.csv"))
        .output()
        .expect("check");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("water_source"));
}

#[tokio::test]
async fn a_decided_year_is_imported_then_locked_and_takes_no_import_after() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("registry.db");
    let lock = || {
        bin()
            .args(["review", "lock", "--unit", "11", "--year", "2025", "--db"])
            .arg(&db)
            .output()
            .expect("lock")
    };
    // nothing to lock yet
    assert_eq!(lock().status.code(), Some(1));
    let out = bin()
        .args([
            "import",
            "--year",
            "2025",
            "--decision",
            "125/QĐ-UBND",
            "--decided-on",
            "2025-11-10",
            "--db",
        ])
        .arg(&db)
        .arg(examples().join("households.csv"))
        .output()
        .expect("import");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = lock();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // the province's plan and its three communes' windows
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("locked 4 reviews of 2025 in province 11"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // the same survey with one household more is refused: the year is locked
    let h = std::fs::read_to_string(examples().join("households.csv")).expect("read");
    let extra = h
        .lines()
        .nth(1)
        .expect("a row")
        .replacen("DB-001", "DB-901", 1);
    std::fs::write(dir.path().join("households.csv"), format!("{h}{extra}\n")).expect("write");
    let m = std::fs::read_to_string(examples().join("members.csv")).expect("read");
    std::fs::write(dir.path().join("members.csv"), m).expect("write");
    let out = bin()
        .args(["import", "--year", "2025", "--db"])
        .arg(&db)
        .arg(dir.path().join("households.csv"))
        .output()
        .expect("import");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("the province has locked 2025"), "{err}");
    let c = counts(&db.display().to_string()).await;
    assert_eq!(c.assessments, 8);
}
