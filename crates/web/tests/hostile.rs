//! Hostile input and abuse: each finding of the probe of the web application, reproduced as it
//! was found (workbooks built here, bodies streamed to a real server, the process's memory
//! measured where the finding was about memory), and what the application now answers.
//! Run on SQLite and, when a server is given, PostgreSQL.

mod support;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use giamngheo_rules::Lang::En;
use giamngheo_testing::databases;
use giamngheo_web::router;
use std::io::{Cursor, Write};
use support::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

// ---------------------------------------------------------------------------------------------
// workbooks built in the test

/// A real workbook of the exchange format's households sheet (one household), as bytes.
fn plain_workbook() -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("households").expect("name");
    for (c, h) in ["household_id", "commune_code", "village"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).expect("cell");
    }
    for (c, v) in ["HN-001", "00070", "Tổ 1"].iter().enumerate() {
        ws.write_string(1, c as u16, *v).expect("cell");
    }
    wb.save_to_buffer().expect("workbook")
}

/// `xlsx` with some parts replaced: each by what its writer writes (streamed into the archive,
/// so that a part of gigabytes never sits in memory).
/// A part's name and what writes its content.
type Part<'a> = (&'a str, &'a dyn Fn(&mut dyn Write));

fn with_parts(xlsx: &[u8], parts: &[Part<'_>]) -> Vec<u8> {
    let mut src = zip::ZipArchive::new(Cursor::new(xlsx)).expect("zip");
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1))
        .large_file(true);
    for i in 0..src.len() {
        let f = src.by_index(i).expect("part");
        let name = f.name().map(|n| n.into_owned()).expect("name");
        if parts.iter().any(|(p, _)| *p == name) {
            continue;
        }
        out.raw_copy_file(f).expect("copy");
    }
    for (name, write) in parts {
        out.start_file(*name, opts).expect("start");
        write(&mut out);
    }
    out.finish().expect("finish").into_inner()
}

fn sheet(rows: &str) -> impl Fn(&mut dyn Write) + '_ {
    move |w: &mut dyn Write| {
        write!(
            w,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>{rows}</sheetData></worksheet>"
        )
        .expect("write")
    }
}

fn inline(cell: &str, text: &str) -> String {
    format!("<c r=\"{cell}\" t=\"inlineStr\"><is><t>{text}</t></is></c>")
}

const HEADER_ROW: &str = "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>";

/// Shared strings of `count` entries of `len` characters each.
fn shared_strings(count: u64, len: usize) -> impl Fn(&mut dyn Write) {
    move |w: &mut dyn Write| {
        write!(
            w,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"{count}\" uniqueCount=\"{count}\">"
        )
        .expect("write");
        let one = format!("<si><t>{}</t></si>", "A".repeat(len));
        // written in blocks of about a megabyte
        let per_block = (1 << 20) / one.len().max(1) + 1;
        let block = one.repeat(per_block);
        let mut left = count;
        while left > 0 {
            let n = left.min(per_block as u64);
            if n == per_block as u64 {
                w.write_all(block.as_bytes()).expect("write");
            } else {
                w.write_all(one.repeat(n as usize).as_bytes())
                    .expect("write");
            }
            left -= n;
        }
        w.write_all(b"</sst>").expect("write");
    }
}

fn read_households(xlsx: &[u8]) -> Result<Vec<Vec<String>>, String> {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("survey.xlsx");
    std::fs::write(&path, xlsx).expect("write");
    let mut src =
        giamngheo_survey::source::Source::open(&path, "households").map_err(|e| e.text(En))?;
    let mut rows = Vec::new();
    let mut rec = csv::ByteRecord::new();
    while let Some(_row) = src.next_row(&mut rec).map_err(|e| e.text(En))? {
        rows.push(
            rec.iter()
                .map(|f| String::from_utf8_lossy(f).into_owned())
                .collect(),
        );
    }
    Ok(rows)
}

// ---------------------------------------------------------------------------------------------
// the process's memory (the server runs in this process)

/// Memory-measured cases run alone, so that each peak is their own: they hold this for writing,
/// every other case of the file for reading (its logins, registries and pages allocate too).
static MEASURED: tokio::sync::RwLock<()> = tokio::sync::RwLock::const_new(());

fn status_kib(field: &str) -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    s.lines()
        .find(|l| l.starts_with(field))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// Resets the peak resident size; the resident size now (KiB), where Linux tells.
fn start_measure() -> Option<u64> {
    std::fs::write("/proc/self/clear_refs", "5").ok()?;
    status_kib("VmRSS:")
}

/// How far the peak rose above `base`, in MiB.
fn peak_rise_mib(base: Option<u64>) -> Option<u64> {
    Some(status_kib("VmHWM:")?.saturating_sub(base?) / 1024)
}

/// What a case may add to the process's peak: far below what each finding took (1.9 GiB to
/// 22 GiB for F1, 4.1 GiB for F2, 572 MiB for one F3 body).
const MEMORY_BOUND_MIB: u64 = 200;

fn assert_memory(base: Option<u64>, what: &str) {
    match peak_rise_mib(base) {
        Some(mib) => assert!(mib < MEMORY_BOUND_MIB, "{what}: the peak rose by {mib} MiB"),
        None => eprintln!("{what}: this system does not report peak memory"),
    }
}

// ---------------------------------------------------------------------------------------------
// F1: a cell far to the right

/// While it lives, a panic prints its message only. The workbook reader survives a panic of the
/// XLSX parser on a cell reference that overflows; with `RUST_BACKTRACE` set, the default hook
/// would symbolise a backtrace of this whole test binary, and that (not the reader) would raise
/// the peak being measured.
struct QuietPanics(Option<PanicHook>);

/// A panic hook, as `std::panic::take_hook` gives it back.
type PanicHook = Box<dyn Fn(&std::panic::PanicHookInfo<'_>) + Sync + Send>;

impl QuietPanics {
    fn new() -> QuietPanics {
        let before = std::panic::take_hook();
        std::panic::set_hook(Box::new(|info| eprintln!("{info}")));
        QuietPanics(Some(before))
    }
}

impl Drop for QuietPanics {
    fn drop(&mut self) {
        if let Some(before) = self.0.take() {
            std::panic::set_hook(before);
        }
    }
}

#[test]
fn f1_cells_beyond_the_sheet_are_row_errors_not_allocations() {
    let _guard = MEASURED.blocking_write();
    let _quiet = QuietPanics::new();
    for col in ["XFE", "ZZZZZ", "ZZZZZZZ", "ZZZZZZZZZ"] {
        let base = start_measure();
        let rows = format!(
            "<row r=\"1\">{}{}</row>",
            inline("A1", "household_id"),
            inline(&format!("{col}1"), "x")
        );
        let book = with_parts(
            &plain_workbook(),
            &[("xl/worksheets/sheet1.xml", &sheet(&rows))],
        );
        let err = read_households(&book).expect_err("refused");
        assert!(
            err.contains("[households]:1:") || err.contains("malformed"),
            "{col}: {err}"
        );
        assert_memory(base, col);
    }
    // the last column is still a column, and a row past 1,048,576 is refused
    let rows = format!(
        "<row r=\"1\">{}{}</row>",
        inline("A1", "household_id"),
        inline("XFD1", "last")
    );
    let book = with_parts(
        &plain_workbook(),
        &[("xl/worksheets/sheet1.xml", &sheet(&rows))],
    );
    assert!(read_households(&book).is_ok());
    let rows = format!(
        "<row r=\"1\">{}</row><row r=\"1048577\">{}</row>",
        inline("A1", "household_id"),
        inline("A1048577", "x")
    );
    let book = with_parts(
        &plain_workbook(),
        &[("xl/worksheets/sheet1.xml", &sheet(&rows))],
    );
    let err = read_households(&book).expect_err("refused");
    assert!(err.contains(":1048577:"), "{err}");
}

#[test]
fn f1_a_value_beyond_the_header_is_an_error_and_rows_stay_header_wide() {
    let _shared = MEASURED.blocking_read();
    let rows = format!(
        "<row r=\"1\">{}{}</row><row r=\"2\">{}{}</row><row r=\"3\">{}<c r=\"XFD3\" t=\"inlineStr\"><is><t></t></is></c></row><row r=\"4\">{}{}</row>",
        inline("A1", "household_id"),
        inline("B1", "commune_code"),
        inline("A2", "HN-001"),
        inline("B2", "00070"),
        inline("A3", "HN-002"),
        inline("A4", "HN-003"),
        inline("XFD4", "stray"),
    );
    let book = with_parts(
        &plain_workbook(),
        &[("xl/worksheets/sheet1.xml", &sheet(&rows))],
    );
    let err = read_households(&book).expect_err("refused");
    assert!(
        err.contains("[households]:4:")
            && err.contains("column XFD holds a value but has no header"),
        "{err}"
    );
    // without the stray value: three rows, each as wide as the header
    let rows = rows.replace(&inline("XFD4", "stray"), "");
    let book = with_parts(
        &plain_workbook(),
        &[("xl/worksheets/sheet1.xml", &sheet(&rows))],
    );
    let read = read_households(&book).expect("read");
    assert_eq!(read.len(), 3);
    assert!(read.iter().all(|r| r.len() == 2), "{read:?}");
}

// ---------------------------------------------------------------------------------------------
// F2: decompression bombs

#[test]
fn f2_shared_strings_that_expand_past_the_cap_are_refused_before_parsing() {
    let _guard = MEASURED.blocking_write();
    // about 300 MiB of shared strings, a few MiB compressed
    let strings = shared_strings(300 * 1024, 1024);
    let book = with_parts(
        &plain_workbook(),
        &[
            ("xl/sharedStrings.xml", &strings),
            ("xl/worksheets/sheet1.xml", &sheet(HEADER_ROW)),
        ],
    );
    assert!(book.len() < 16 << 20, "{} bytes", book.len());
    let base = start_measure();
    let err = read_households(&book).expect_err("refused");
    assert!(
        err.contains("xl/sharedStrings.xml") && err.contains("256 MiB"),
        "{err}"
    );
    assert_memory(base, "300 MiB of shared strings");
}

#[test]
fn f2_too_many_shared_strings_or_one_huge_text_are_refused() {
    let _guard = MEASURED.blocking_write();
    let many = shared_strings(5_000_001, 0);
    let book = with_parts(
        &plain_workbook(),
        &[
            ("xl/sharedStrings.xml", &many),
            ("xl/worksheets/sheet1.xml", &sheet(HEADER_ROW)),
        ],
    );
    let base = start_measure();
    let err = read_households(&book).expect_err("refused");
    assert!(err.contains("more than 5000000 shared strings"), "{err}");
    assert_memory(base, "5 M shared strings");
    // one cell of 64 MiB in the sheet itself
    let huge = |w: &mut dyn Write| {
        w.write_all(b"<?xml version=\"1.0\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>")
            .expect("write");
        let block = vec![b'A'; 1 << 20];
        for _ in 0..64 {
            w.write_all(&block).expect("write");
        }
        w.write_all(b"</t></is></c></row></sheetData></worksheet>")
            .expect("write");
    };
    let book = with_parts(&plain_workbook(), &[("xl/worksheets/sheet1.xml", &huge)]);
    let base = start_measure();
    let err = read_households(&book).expect_err("refused");
    assert!(err.contains("longer than 1024 KiB"), "{err}");
    assert_memory(base, "a 64 MiB cell");
}

#[test]
fn f2_parts_are_measured_by_what_they_expand_to_not_what_they_claim() {
    let _shared = MEASURED.blocking_read();
    // a legitimate workbook passes; a part past its cap is refused whatever its header says
    let book = plain_workbook();
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("book.xlsx");
    std::fs::write(&path, &book).expect("write");
    let limits = giamngheo_survey::guard::WorkbookLimits::default();
    assert_eq!(
        giamngheo_survey::guard::check_workbook(&path, &limits),
        Ok(())
    );
    let tight = giamngheo_survey::guard::WorkbookLimits {
        max_other_bytes: 100,
        ..limits
    };
    let err = giamngheo_survey::guard::check_workbook(&path, &tight)
        .expect_err("refused")
        .render(giamngheo_rules::Lang::En);
    assert!(err.contains("expands to more than"), "{err}");
    // not a zip at all
    std::fs::write(&path, b"PK\x03\x04 not really").expect("write");
    let err = giamngheo_survey::guard::check_workbook(&path, &limits)
        .expect_err("refused")
        .render(giamngheo_rules::Lang::En);
    assert!(err.contains("not a readable workbook"), "{err}");
}

/// The bomb through the web: uploaded, refused with the part named, nothing stored.
#[tokio::test]
async fn f2_a_bomb_uploaded_on_the_import_page_is_refused_by_name() {
    let _guard = MEASURED.write().await;
    let strings = shared_strings(300 * 1024, 1024);
    let book = with_parts(
        &plain_workbook(),
        &[
            ("xl/sharedStrings.xml", &strings),
            ("xl/worksheets/sheet1.xml", &sheet(HEADER_ROW)),
        ],
    );
    for db in databases().await {
        let mut site = site(&db.url).await;
        site.state.max_upload = 64 << 20;
        let before = site
            .state
            .registry
            .unscoped()
            .counts()
            .await
            .expect("counts");
        let xa = site.login("xa").await;
        let csrf = value_of(&site.get("/import", &xa).await.body, "csrf");
        let (kind, body) = upload(&csrf, "2025", &[("households", "bomb.xlsx", &book)]);
        let base = start_measure();
        let r = site.import(&xa, &kind, body).await;
        assert_memory(base, "the bomb uploaded");
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", db.name);
        assert!(
            r.body.contains("households.xlsx[households]: phần `xl&#x2f;sharedStrings.xml` khi giải nén lớn hơn 256 MiB"),
            "{}: {}",
            db.name,
            r.body
        );
        assert_eq!(
            site.state
                .registry
                .unscoped()
                .counts()
                .await
                .expect("counts"),
            before
        );
        site.state.registry.close().await;
    }
}

/// A multipart body of form fields (the token and year first) and files.
fn upload(csrf: &str, year: &str, files: &[(&str, &str, &[u8])]) -> (String, Vec<u8>) {
    let b = "HoStIlEbOuNdArY";
    let mut body = Vec::new();
    for (name, value) in [("csrf", csrf), ("year", year)] {
        body.extend(
            format!("--{b}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                .as_bytes(),
        );
    }
    for (name, file, bytes) in files {
        body.extend(format!("--{b}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes());
        body.extend(bytes.iter());
        body.extend(b"\r\n");
    }
    body.extend(format!("--{b}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={b}"), body)
}

// ---------------------------------------------------------------------------------------------
// F3: bodies

/// A server on a free port of this machine; its address.
async fn serve(site: &Site) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("address");
    let app =
        router(site.state.clone()).into_make_service_with_connect_info::<std::net::SocketAddr>();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    addr
}

/// Sends a request's head, then up to `send` bytes of body in 64 KiB chunks while the server
/// reads; the status line and headers of the answer.
async fn raw_post(
    addr: std::net::SocketAddr,
    path: &str,
    head: &str,
    send: u64,
) -> (u16, String, u64) {
    let mut s = tokio::net::TcpStream::connect(addr).await.expect("connect");
    s.write_all(format!("POST {path} HTTP/1.1\r\nHost: localhost\r\n{head}\r\n").as_bytes())
        .await
        .expect("head");
    let (mut rd, mut wr) = s.into_split();
    let writer = tokio::spawn(async move {
        let chunk = vec![b'a'; 64 * 1024];
        let mut sent = 0u64;
        while sent < send {
            if wr.write_all(&chunk).await.is_err() {
                break;
            }
            sent += chunk.len() as u64;
        }
        sent
    });
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    while !answer.windows(4).any(|w| w == b"\r\n\r\n") {
        match tokio::time::timeout(std::time::Duration::from_secs(60), rd.read(&mut buf)).await {
            Ok(Ok(n)) if n > 0 => answer.extend_from_slice(&buf[..n]),
            _ => break,
        }
    }
    writer.abort();
    let sent = writer.await.unwrap_or(0);
    let text = String::from_utf8_lossy(&answer).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, text, sent)
}

/// Posts a chunked body (`start`, then up to `more` bytes of `a`) while reading the answer; the
/// answer's first bytes.
async fn chunked_post(
    addr: std::net::SocketAddr,
    path: &str,
    head: &str,
    start: &[u8],
    more: u64,
) -> String {
    let mut s = tokio::net::TcpStream::connect(addr).await.expect("connect");
    s.write_all(
        format!(
            "POST {path} HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n{head}\r\n"
        )
        .as_bytes(),
    )
    .await
    .expect("head");
    let mut body = format!("{:x}\r\n", start.len()).into_bytes();
    body.extend_from_slice(start);
    body.extend_from_slice(b"\r\n");
    if !start.is_empty() {
        s.write_all(&body).await.expect("start");
    }
    let size = 32 * 1024;
    let chunk = format!("{size:x}\r\n{}\r\n", "a".repeat(size));
    let mut answer = Vec::new();
    let mut buf = [0u8; 1024];
    let mut sent = 0u64;
    while sent < more {
        if s.write_all(chunk.as_bytes()).await.is_err() {
            break;
        }
        sent += size as u64;
        if let Ok(Ok(n)) =
            tokio::time::timeout(std::time::Duration::from_millis(1), s.read(&mut buf)).await
        {
            answer.extend_from_slice(&buf[..n]);
            break;
        }
    }
    if answer.is_empty() {
        if let Ok(Ok(n)) =
            tokio::time::timeout(std::time::Duration::from_secs(30), s.read(&mut buf)).await
        {
            answer.extend_from_slice(&buf[..n]);
        }
    }
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn f3_large_bodies_are_refused_by_their_length_before_they_are_read() {
    let _guard = MEASURED.write().await;
    for db in databases().await {
        let site = site(&db.url).await;
        let addr = serve(&site).await;
        let base = start_measure();
        // 250 MB announced to /login and /logout, four at once: refused on the head alone
        let form =
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 250000000\r\n";
        let mut tasks = Vec::new();
        for path in ["/login", "/logout", "/login", "/logout"] {
            tasks.push(tokio::spawn(raw_post(addr, path, form, 0)));
        }
        for t in tasks {
            let (status, text, _) = t.await.expect("task");
            assert_eq!(status, 413, "{}: {text}", db.name);
            assert!(
                text.to_ascii_lowercase().contains("connection: close"),
                "{text}"
            );
        }
        // an upload one byte over the limit: 413 before any of it is sent
        let big = format!(
            "Content-Type: multipart/form-data; boundary=x\r\nContent-Length: {}\r\n",
            site.state.max_upload + 1
        );
        let (status, text, _) = raw_post(addr, "/import", &big, 0).await;
        assert_eq!(status, 413, "{}: {text}", db.name);
        // a body without a length (chunked) is cut at the form limit while it streams
        let form = "Content-Type: application/x-www-form-urlencoded\r\n";
        let text = chunked_post(addr, "/login", form, b"", 2 << 20).await;
        assert!(text.starts_with("HTTP/1.1 413"), "{}: {text}", db.name);
        // and an upload at the upload limit, the file streaming to disk meanwhile
        let xa = site.login("xa").await;
        let csrf = value_of(&site.get("/import", &xa).await.body, "csrf");
        let head = format!("Cookie: {xa}\r\nContent-Type: multipart/form-data; boundary=b\r\n");
        let start = format!(
            "--b\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n--b\r\nContent-Disposition: form-data; name=\"households\"; filename=\"h.csv\"\r\n\r\n"
        );
        let upload = site.state.max_upload as u64;
        let text = chunked_post(addr, "/import", &head, start.as_bytes(), 4 * upload).await;
        assert!(text.starts_with("HTTP/1.1 413"), "{}: {text}", db.name);
        assert_memory(base, "large bodies");
        // a small login form still works on the same server
        let r = site.get("/login", "").await;
        assert_eq!(r.status, StatusCode::OK);
        site.state.registry.close().await;
    }
}

// ---------------------------------------------------------------------------------------------
// F4: where a personal ID is registered is not told across scope

#[tokio::test]
async fn f4_an_id_registered_elsewhere_is_not_located_for_an_officer_outside_its_scope() {
    let _shared = MEASURED.read().await;
    let households = "household_id,commune_code,village,survey_date,head_name,income_per_capita,b1_score,has_house,nondurable_structures,floor_area_m2,water_source,latrine,internet,info_devices,waste,d_water,x_note\nHN-001,00070,Tổ 1,2025-10-15,Lò Văn Pấng,1200000,,1,2,30,surface,open_pit,0,phone,untreated,,\n";
    let members = "household_id,member_no,full_name,id_number,birth_date,sex,ethnicity,relation,health_insurance,disability,social_allowance,labour,malnourished,schooling,in_education,education\nHN-001,1,Lò Văn Pấng,011082003417,1982-03-04,M,03,head,1,,,self_employed,,,,\n";
    for db in databases().await {
        let site = site(&db.url).await;
        for (user, told) in [("hanoi", false), ("admin", true)] {
            let cookie = site.login(user).await;
            let csrf = value_of(&site.get("/import", &cookie).await.body, "csrf");
            let (kind, body) = upload(
                &csrf,
                "2025",
                &[
                    ("households", "households.csv", households.as_bytes()),
                    ("members", "members.csv", members.as_bytes()),
                ],
            );
            let r = site.import(&cookie, &kind, body).await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", db.name);
            let located = r.body.contains("DB-001") || r.body.contains("03325");
            assert_eq!(located, told, "{} {user}: {}", db.name, r.body);
            if !told {
                assert!(
                    r.body.contains(
                        "members.csv:2: id_number: số định danh này đã được đăng ký ở đơn vị khác"
                    ),
                    "{}: {}",
                    db.name,
                    r.body
                );
            }
        }
        // both refusals are in the audit log, with the file and its first error
        let log = site.audited("import.refused").await;
        let who: Vec<&str> = log.iter().map(|e| e.user_name.as_str()).collect();
        assert_eq!(who, ["admin", "hanoi"], "{}", db.name);
        assert!(log[1]
            .after
            .as_deref()
            .unwrap_or_default()
            .contains("households.csv"));
        site.state.registry.close().await;
    }
}

// ---------------------------------------------------------------------------------------------
// F5: redirects stay on the site

#[tokio::test]
async fn f5_redirects_go_only_to_local_paths() {
    let _shared = MEASURED.read().await;
    for db in databases().await {
        let site = site(&db.url).await;
        for back in [
            "/%09/evil.example",
            "/%0a/evil.example",
            "/%0d%0a/evil.example",
            "//evil.example",
            "/\\evil.example",
            "%2F%2Fevil.example",
            "https://evil.example/",
            "/%20/evil.example",
        ] {
            let r = site.get(&format!("/lang/en?back={back}"), "").await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{back}");
            assert_eq!(r.location.as_deref(), Some("/"), "{back}");
            let r = site.get(&format!("/login?next={back}"), "").await;
            assert_eq!(r.status, StatusCode::OK, "{back}");
            assert_eq!(
                value_of(&r.body, "next").replace("&#x2f;", "/"),
                "/",
                "{back}"
            );
        }
        // a local path is kept
        let r = site.get("/lang/en?back=/units/11%3Fyear%3D2025", "").await;
        assert_eq!(r.location.as_deref(), Some("/units/11?year=2025"));
        // after login, too
        let form = site.get("/login", "").await;
        let csrf = value_of(&form.body, "csrf");
        let r = site
            .post_form(
                "/login",
                &form.cookies.join("; "),
                &format!(
                    "name=tinh&password={}&csrf={csrf}&next=%2F%09%2Fevil.example",
                    enc(PASSWORD)
                ),
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", db.name);
        assert_eq!(r.location.as_deref(), Some("/"), "{}", db.name);
        site.state.registry.close().await;
    }
}

// ---------------------------------------------------------------------------------------------
// F6: the login form's token

#[tokio::test]
async fn f6_an_empty_or_malformed_login_token_is_refused() {
    let _shared = MEASURED.read().await;
    for db in databases().await {
        let site = site(&db.url).await;
        let pw = enc(PASSWORD);
        for (cookie, token) in [
            ("gn_login_csrf=", ""),
            ("gn_login_csrf=x", "x"),
            ("gn_login_csrf=ABC", "ABC"),
            ("", ""),
        ] {
            let r = site
                .post_form(
                    "/login",
                    cookie,
                    &format!("name=tinh&password={pw}&csrf={token}"),
                )
                .await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{} `{cookie}`", db.name);
        }
        site.state.registry.close().await;
    }
}

// ---------------------------------------------------------------------------------------------
// F7: the limiter behind a proxy

#[tokio::test]
async fn f7_behind_a_trusted_proxy_each_client_is_counted_by_its_own_address() {
    let _shared = MEASURED.read().await;
    for db in databases().await {
        let mut site = site(&db.url).await;
        site.state.trusted_proxies = std::sync::Arc::new(vec!["127.0.0.1".parse().expect("ip")]);
        // ten failures from one client behind the proxy, each under another name
        for i in 0..10 {
            let status =
                login_from(&site, &format!("ghost{i}"), "wrong", Some("203.0.113.7")).await;
            assert_eq!(status, StatusCode::UNAUTHORIZED);
        }
        assert_eq!(
            login_from(&site, "tinh", PASSWORD, Some("203.0.113.7")).await,
            StatusCode::TOO_MANY_REQUESTS,
            "{}: the client is held back",
            db.name
        );
        assert_eq!(
            login_from(&site, "tinh", PASSWORD, Some("198.51.100.2")).await,
            StatusCode::SEE_OTHER,
            "{}: another client behind the same proxy is not",
            db.name
        );
        // an untrusted peer cannot choose its address by the header
        site.state.trusted_proxies = std::sync::Arc::new(Vec::new());
        for i in 0..10 {
            login_from(
                &site,
                &format!("spoof{i}"),
                "wrong",
                Some(&format!("192.0.2.{i}")),
            )
            .await;
        }
        assert_eq!(
            login_from(&site, "xa", PASSWORD, Some("192.0.2.200")).await,
            StatusCode::TOO_MANY_REQUESTS,
            "{}: the peer's own address counted every failure",
            db.name
        );
        site.state.registry.close().await;
    }
}

/// A login through the form from the test's peer (127.0.0.1), forwarded for `client`.
async fn login_from(site: &Site, name: &str, password: &str, client: Option<&str>) -> StatusCode {
    let form = site.get("/login", "").await;
    let csrf = value_of(&form.body, "csrf");
    let mut req = Request::post("/login")
        .header(header::COOKIE, form.cookies.join("; "))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(c) = client {
        req = req.header("x-forwarded-for", format!("10.9.9.9, {c}"));
    }
    let req = req
        .body(Body::from(format!(
            "name={name}&password={}&csrf={csrf}&next=/",
            enc(password)
        )))
        .expect("request");
    site.send(req).await.status
}

// ---------------------------------------------------------------------------------------------
// F8: caching

#[tokio::test]
async fn f8_personal_data_is_never_cached_and_https_sites_send_hsts() {
    let _shared = MEASURED.read().await;
    for db in databases().await {
        let mut site = site(&db.url).await;
        let tinh = site.login("tinh").await;
        for uri in [
            "/api/v1/units/03325/households",
            "/api/v1/me",
            "/units/03325/survey-2025.xlsx",
            "/units/11/report.csv",
            "/units/11",
        ] {
            let r = raw_get(&site, uri, &tinh).await;
            assert_eq!(r.status(), StatusCode::OK, "{uri}");
            assert_eq!(
                r.headers().get(header::CACHE_CONTROL).map(|v| v.as_bytes()),
                Some(&b"no-store"[..]),
                "{} {uri}",
                db.name
            );
            assert!(r.headers().get(header::STRICT_TRANSPORT_SECURITY).is_none());
        }
        // the style sheet may be cached
        let css = raw_get(&site, "/static/style.css", "").await;
        assert_ne!(
            css.headers()
                .get(header::CACHE_CONTROL)
                .map(|v| v.as_bytes()),
            Some(&b"no-store"[..])
        );
        site.state.secure_cookies = true;
        let r = raw_get(&site, "/login", "").await;
        assert!(r
            .headers()
            .get(header::STRICT_TRANSPORT_SECURITY)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("max-age=")));
        site.state.registry.close().await;
    }
}

async fn raw_get(site: &Site, uri: &str, cookie: &str) -> axum::response::Response {
    use tower::ServiceExt;
    router(site.state.clone())
        .oneshot(
            Request::get(uri)
                .header(header::COOKIE, cookie)
                .body(Body::empty())
                .expect("request"),
        )
        .await
        .expect("answer")
}

// ---------------------------------------------------------------------------------------------
// F9: refusals in the audit log; the chain against an exported head

#[tokio::test]
async fn f9_denials_are_audited_and_a_cut_log_is_caught_by_its_exported_head() {
    let _shared = MEASURED.read().await;
    for db in databases().await {
        let site = site(&db.url).await;
        let xa = site.login("xa").await;
        // another officer's import job
        let tinh = site.login("tinh").await;
        let csrf = value_of(&site.get("/import", &tinh).await.body, "csrf");
        let (kind, body) = upload(&csrf, "2025", &[("households", "h.csv", b"household_id\n")]);
        let r = site
            .send(
                Request::post("/import")
                    .header(header::COOKIE, &tinh)
                    .header(header::CONTENT_TYPE, kind)
                    .body(Body::from(body))
                    .expect("request"),
            )
            .await;
        let job = r.location.expect("the job's page");
        assert_eq!(site.get(&job, &xa).await.status, StatusCode::NOT_FOUND);
        // out of scope, on a page and in the API; a leader's survey download
        assert_eq!(
            site.get("/units/03328", &xa).await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            site.get("/api/v1/units/01/report", &xa).await.status,
            StatusCode::NOT_FOUND
        );
        let lanhdao = site.login("lanhdao").await;
        assert_eq!(
            site.get("/units/11/survey-2025.xlsx", &lanhdao)
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        // a page that does not exist is not a denial
        assert_eq!(
            site.get("/nowhere", &xa).await.status,
            StatusCode::NOT_FOUND
        );
        let log = site.audited("access.denied").await;
        let seen: Vec<(&str, &str)> = log
            .iter()
            .map(|e| (e.user_name.as_str(), e.record.as_str()))
            .collect();
        assert_eq!(
            seen,
            [
                ("lanhdao", "GET /units/11/survey-2025.xlsx"),
                ("xa", "GET /api/v1/units/01/report"),
                ("xa", "GET /units/03328"),
                ("xa", &*format!("GET {job}")),
            ],
            "{}",
            db.name
        );
        // the inspector exports the head...
        let thanhtra = site.login("thanhtra").await;
        let head = site.get("/audit/head.json", &thanhtra).await;
        assert_eq!(head.status, StatusCode::OK);
        let head: serde_json::Value = serde_json::from_str(&head.body).expect("json");
        let (id, hash) = (
            head["id"].as_i64().expect("id"),
            head["hash"].as_str().expect("hash").to_string(),
        );
        assert_eq!(
            site.get("/audit/head.json", &xa).await.status,
            StatusCode::FORBIDDEN
        );
        let check = |cookie: String, id: i64, hash: String| {
            let site = &site;
            async move {
                let page = site.get("/audit", &cookie).await;
                let csrf = value_of(&page.body, "csrf");
                site.post_form(
                    "/audit/verify",
                    &cookie,
                    &format!("csrf={csrf}&id={id}&hash={hash}"),
                )
                .await
            }
        };
        let r = check(thanhtra.clone(), id, hash.clone()).await;
        assert!(r.body.contains("Nhật ký khớp với đầu chuỗi"), "{}", r.body);
        // ...someone drops the trigger and deletes the last entries: the chain alone still
        // looks intact, the exported head does not
        giamngheo_testing::tamper_audit_log(
            &db.url,
            &format!("DELETE FROM audit_log WHERE id >= {}", id - 1),
        )
        .await
        .expect("tamper");
        assert!(site
            .state
            .registry
            .unscoped()
            .verify_audit_log()
            .await
            .expect("verify")
            .is_ok());
        let thanhtra = site.login("thanhtra").await;
        let r = check(thanhtra.clone(), id, hash.clone()).await;
        assert!(
            r.body.contains("Không còn bản ghi của đầu chuỗi đã tải"),
            "{}: {}",
            db.name,
            r.body
        );
        // a malformed head is a bad request, not a check
        let r = check(thanhtra, id, "zz".into()).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        site.state.registry.close().await;
    }
}

// ---------------------------------------------------------------------------------------------
// also: long queries, huge page numbers, CSV formulas

#[tokio::test]
async fn long_queries_and_huge_page_numbers_are_refused_not_failed() {
    let _shared = MEASURED.read().await;
    for db in databases().await {
        let site = site(&db.url).await;
        let tinh = site.login("tinh").await;
        let q = "a".repeat(50_001);
        let r = site
            .get(&format!("/units/11/households?q={q}"), &tinh)
            .await;
        assert_eq!(r.status, StatusCode::URI_TOO_LONG, "{}", db.name);
        assert!(r.body.contains("Địa chỉ yêu cầu quá dài"));
        // a refusal made before any handler still carries the security headers
        assert!(r.csp.is_some_and(|c| c.contains("script-src 'none'")));
        let q = "a".repeat(201);
        for uri in [
            format!("/units/11/households?q={q}"),
            format!("/api/v1/units/11/households?q={q}"),
            format!("/units/11/households?page={}", i64::MAX),
            "/units/11/households?page=0".into(),
            "/units/11/households?page=-5".into(),
            format!("/audit?page={}", i64::MAX),
        ] {
            let r = site.get(&uri, &tinh).await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "{} {uri}", db.name);
        }
        // the last real page is still served
        let r = site.get("/units/11/households?page=1", &tinh).await;
        assert_eq!(r.status, StatusCode::OK);
        // the API's offset past the end is an empty page, not a failure
        for unit in ["11", "03325"] {
            let r = site
                .get(
                    &format!("/api/v1/units/{unit}/households?offset={}", i64::MAX),
                    &tinh,
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "{} {unit}: {}", db.name, r.body);
            assert!(
                r.body.contains("\"households\":[]"),
                "{}: {}",
                db.name,
                r.body
            );
        }
        site.state.registry.close().await;
    }
}

#[tokio::test]
async fn csv_written_by_the_system_never_carries_a_live_formula_and_imports_back() {
    let _shared = MEASURED.read().await;
    let formula = "=HYPERLINK(\"http://evil.example\";\"x\")";
    let quoted = format!("\"{}\"", formula.replace('"', "\"\""));
    let dir = tempfile::tempdir().expect("dir");
    let survey = dir.path().join("survey");
    std::fs::create_dir(&survey).expect("dir");
    for f in ["households.csv", "members.csv"] {
        let text = std::fs::read_to_string(examples().join(f)).expect("example");
        std::fs::write(survey.join(f), text.replacen("Lò Văn Pấng", &quoted, 1)).expect("write");
    }
    for db in databases().await {
        let store = registry(&db.url, &survey).await;
        let commune = giamngheo_rules::UnitCode::parse("03325").expect("a commune");
        let tables = store
            .unscoped()
            .survey_export(&commune, 2025)
            .await
            .expect("tables");
        let (mut h, mut m) = (Vec::new(), Vec::new());
        tables.write_csv(&mut h, &mut m).expect("csv");
        let (h, m) = (
            String::from_utf8(h).expect("utf-8"),
            String::from_utf8(m).expect("utf-8"),
        );
        for text in [&h, &m] {
            assert!(
                text.contains(&format!("\"'{}\"", formula.replace('"', "\"\""))),
                "{text}"
            );
            assert!(
                !text.contains(&format!(",{quoted}")),
                "a live formula: {text}"
            );
        }
        // the exported files import back with the name as it was
        let back = dir.path().join(format!("back-{}", db.name));
        std::fs::create_dir(&back).expect("dir");
        std::fs::write(back.join("households.csv"), &h).expect("write");
        std::fs::write(back.join("members.csv"), &m).expect("write");
        let again = dir.path().join(format!("again-{}.db", db.name));
        let again = registry(&again.display().to_string(), &back).await;
        let round = again
            .unscoped()
            .survey_export(&commune, 2025)
            .await
            .expect("tables");
        assert_eq!(round.households, tables.households);
        assert_eq!(round.members, tables.members);
        again.close().await;
        store.close().await;
    }
}
