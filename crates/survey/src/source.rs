//! Row sources: a CSV file or one sheet of an XLSX workbook, read as a stream of rows of text
//! cells with their row numbers (the header is row 1).

use crate::{guard, RowError};
use calamine::{DataRef, Reader, Xlsx};
use csv::ByteRecord;
use giamngheo_rules::{msg, Msg};
use std::fs::File;
use std::io::BufReader;
use std::path::Path;
use std::sync::mpsc::{sync_channel, Receiver};
use std::sync::Arc;
use std::thread;

/// Rows are sent from the workbook thread in batches of this many.
const XLSX_BATCH: usize = 2048;

type XlsxBatch = Result<Vec<(u64, ByteRecord)>, RowError>;

enum Inner {
    Csv(csv::Reader<BufReader<File>>),
    Xlsx {
        rx: Receiver<XlsxBatch>,
        batch: std::vec::IntoIter<(u64, ByteRecord)>,
    },
}

/// A stream of rows.
pub struct Source {
    /// How errors name this source: the file, and for a workbook the sheet.
    pub name: Arc<str>,
    pub headers: Vec<String>,
    /// A workbook: numeric cells have lost leading zeros, which code columns put back.
    pub is_workbook: bool,
    /// A workbook's sheets (none for a CSV file).
    pub sheets: Vec<String>,
    inner: Inner,
}

/// Whether a path names an Excel workbook.
pub fn is_xlsx(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
}

impl Source {
    /// Opens a CSV file, or the named sheet of an `.xlsx` workbook.
    pub fn open(path: &Path, sheet: &str) -> Result<Source, RowError> {
        if is_xlsx(path) {
            Source::open_xlsx(path, sheet, true)
        } else {
            Source::open_csv(path)
        }
    }

    fn open_csv(path: &Path) -> Result<Source, RowError> {
        let name: Arc<str> = path.display().to_string().into();
        let file =
            File::open(path).map_err(|e| RowError::file(&name, msg!("cannot_open", error = e)))?;
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(false)
            .buffer_capacity(1 << 20)
            .from_reader(BufReader::with_capacity(1 << 20, file));
        let headers = rdr
            .byte_headers()
            .map_err(|e| RowError::new(&name, 1, "", csv_message(&e)))?
            .iter()
            .enumerate()
            .map(|(i, h)| {
                let h = String::from_utf8_lossy(h);
                // a UTF-8 byte order mark before the first header is not part of its name
                let h = if i == 0 {
                    h.trim_start_matches('\u{feff}')
                } else {
                    &h
                };
                h.trim().to_string()
            })
            .collect();
        Ok(Source {
            name,
            headers,
            is_workbook: false,
            sheets: Vec::new(),
            inner: Inner::Csv(rdr),
        })
    }

    /// Another sheet of a workbook [`Source::open`] has opened already, and so checked against
    /// the guard's limits: not checked again.
    pub(crate) fn open_another_sheet(path: &Path, sheet: &str) -> Result<Source, RowError> {
        Source::open_xlsx(path, sheet, false)
    }

    fn open_xlsx(path: &Path, sheet: &str, check: bool) -> Result<Source, RowError> {
        let name: Arc<str> = format!("{}[{}]", path.display(), sheet).into();
        // sizes are checked on the decompressed parts before anything is parsed
        if check {
            crate::guard::check_workbook(path, &crate::guard::WorkbookLimits::default())
                .map_err(|m| RowError::file(&name, m))?;
        }
        let mut book: Xlsx<_> = calamine::open_workbook(path)
            .map_err(|e| RowError::file(&name, msg!("cannot_open_workbook", error = e)))?;
        if !book.sheet_names().iter().any(|s| s == sheet) {
            return Err(RowError::file(
                &name,
                msg!(
                    "no_sheet",
                    sheet = sheet,
                    sheets = book.sheet_names().join(", ")
                ),
            ));
        }
        let sheets = book.sheet_names();
        let (tx, rx) = sync_channel::<XlsxBatch>(4);
        let err_name = name.clone();
        let sheet = sheet.to_string();
        thread::spawn(move || {
            let panic_tx = tx.clone();
            let read =
                std::panic::AssertUnwindSafe(|| read_sheet(&mut book, &sheet, &err_name, tx));
            if std::panic::catch_unwind(read).is_err() {
                // a malformed part the workbook reader could not survive: an error, never a
                // silently shortened sheet
                let _ = panic_tx.send(Err(RowError::file(&err_name, msg!("sheet_malformed"))));
            }
        });
        let mut src = Source {
            name: name.clone(),
            headers: Vec::new(),
            is_workbook: true,
            sheets,
            inner: Inner::Xlsx {
                rx,
                batch: Vec::new().into_iter(),
            },
        };
        let mut first = ByteRecord::new();
        match src.next_row(&mut first)? {
            Some(1) => {}
            _ => return Err(RowError::new(&name, 1, "", msg!("header_missing"))),
        }
        src.headers = first
            .iter()
            .map(|h| String::from_utf8_lossy(h).trim().to_string())
            .collect();
        while src.headers.last().is_some_and(|h| h.is_empty()) {
            src.headers.pop();
        }
        Ok(src)
    }

    /// Bytes of the file read so far (0 for a workbook, whose size says little).
    pub fn bytes_read(&self) -> u64 {
        match &self.inner {
            Inner::Csv(rdr) => rdr.position().byte(),
            Inner::Xlsx { .. } => 0,
        }
    }

    /// Reads the next row into `rec`; returns its row number, or `None` at the end.
    /// Rows of a workbook shorter than the header are padded with empty cells; wholly empty rows
    /// are skipped.
    pub fn next_row(&mut self, rec: &mut ByteRecord) -> Result<Option<u64>, RowError> {
        match &mut self.inner {
            Inner::Csv(rdr) => loop {
                match rdr.read_byte_record(rec) {
                    Ok(true) => {
                        let line = rec.position().map(|p| p.line()).unwrap_or(0);
                        if rec.len() == 1 && rec.get(0).is_some_and(|f| f.is_empty()) {
                            continue;
                        }
                        // a field the system wrote with an apostrophe before a would-be formula
                        if rec
                            .iter()
                            .any(|f| crate::cells::restore(f).len() != f.len())
                        {
                            let fields: Vec<Vec<u8>> = rec
                                .iter()
                                .map(|f| crate::cells::restore(f).to_vec())
                                .collect();
                            let pos = rec.position().cloned();
                            rec.clear();
                            for f in &fields {
                                rec.push_field(f);
                            }
                            rec.set_position(pos);
                        }
                        return Ok(Some(line));
                    }
                    Ok(false) => return Ok(None),
                    Err(e) => {
                        let line = e.position().map(|p| p.line()).unwrap_or(0);
                        return Err(RowError::new(&self.name, line, "", csv_message(&e)));
                    }
                }
            },
            Inner::Xlsx { rx, batch } => loop {
                if let Some((row, r)) = batch.next() {
                    if r.iter().all(|f| f.is_empty()) {
                        continue;
                    }
                    rec.clear();
                    let width = self.headers.len().max(r.len());
                    for i in 0..width {
                        rec.push_field(r.get(i).unwrap_or_default());
                    }
                    return Ok(Some(row));
                }
                match rx.recv() {
                    Ok(Ok(b)) => *batch = b.into_iter(),
                    Ok(Err(e)) => return Err(e),
                    Err(_) => return Ok(None),
                }
            },
        }
    }
}

/// Reads a sheet's cells into rows of text and sends them in batches. A row holds the cells up to
/// the header's last column, so that its memory is bounded by the header, never by a position a
/// cell claims; a value beyond it, or a cell past the sheet's last row or column, is an error.
fn read_sheet(
    book: &mut Xlsx<BufReader<File>>,
    sheet: &str,
    name: &Arc<str>,
    tx: std::sync::mpsc::SyncSender<XlsxBatch>,
) {
    let mut reader = match book.worksheet_cells_reader(sheet) {
        Ok(r) => r,
        Err(e) => {
            let _ = tx.send(Err(RowError::file(name, msg!("sheet_error", error = e))));
            return;
        }
    };
    let mut batch = Vec::with_capacity(XLSX_BATCH);
    let mut row: Option<(u32, Vec<String>)> = None;
    // the header's width, once the header row is read
    let mut width: Option<usize> = None;
    let finish_row = |done: (u32, Vec<String>),
                      batch: &mut Vec<(u64, ByteRecord)>,
                      width: &mut Option<usize>| {
        if width.is_none() {
            *width = Some(done.1.len());
        }
        let mut rec = ByteRecord::new();
        for cell in &done.1 {
            rec.push_field(cell.as_bytes());
        }
        batch.push((u64::from(done.0) + 1, rec));
    };
    loop {
        match reader.next_cell() {
            Ok(Some(cell)) => {
                let (r, c) = cell.get_position();
                if r >= guard::MAX_ROWS || c >= guard::MAX_COLUMNS {
                    let _ = tx.send(Err(RowError::new(
                        name,
                        u64::from(r) + 1,
                        "",
                        msg!(
                            "cell_beyond",
                            rows = guard::MAX_ROWS,
                            columns = guard::MAX_COLUMNS
                        ),
                    )));
                    return;
                }
                if row.as_ref().is_some_and(|(cur, _)| *cur != r) {
                    if let Some(done) = row.take() {
                        finish_row(done, &mut batch, &mut width);
                    }
                    if batch.len() >= XLSX_BATCH && tx.send(Ok(std::mem::take(&mut batch))).is_err()
                    {
                        return;
                    }
                }
                let text = cell_text(cell.get_value());
                let c = c as usize;
                let cells = &mut row.get_or_insert_with(|| (r, Vec::new())).1;
                match width {
                    Some(w) if c >= w => {
                        if !text.trim().is_empty() {
                            let _ = tx.send(Err(RowError::new(
                                name,
                                u64::from(r) + 1,
                                "",
                                msg!("cell_no_header", column = column_name(c as u32)),
                            )));
                            return;
                        }
                    }
                    _ => {
                        if cells.len() <= c {
                            cells.resize(c + 1, String::new());
                        }
                        cells[c] = text;
                    }
                }
            }
            Ok(None) => break,
            Err(e) => {
                let _ = tx.send(Err(RowError::file(name, msg!("sheet_error", error = e))));
                return;
            }
        }
    }
    if let Some(done) = row.take() {
        finish_row(done, &mut batch, &mut width);
    }
    if !batch.is_empty() {
        let _ = tx.send(Ok(batch));
    }
}

/// A column's letters (0 → A, 16,383 → XFD).
fn column_name(mut c: u32) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(b'A' + (c % 26) as u8);
        if c < 26 {
            break;
        }
        c = c / 26 - 1;
    }
    letters.reverse();
    String::from_utf8_lossy(&letters).into_owned()
}

fn csv_message(e: &csv::Error) -> Msg {
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => msg!("csv_fields", len = len, expected = expected_len),
        csv::ErrorKind::Io(io) => msg!("read_error", error = io),
        csv::ErrorKind::Utf8 { err, .. } => msg!("field_not_utf8", field = err.field() + 1),
        _ => msg!("csv_error", error = e),
    }
}

/// A cell's text as the exchange format writes it: whole numbers without a decimal point,
/// dates as YYYY-MM-DD, booleans as 1/0.
fn cell_text(v: &DataRef<'_>) -> String {
    match v {
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => float_text(*f),
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => s.to_string(),
        DataRef::Bool(b) => if *b { "1" } else { "0" }.to_string(),
        DataRef::DateTime(dt) => match dt.as_datetime() {
            Some(d) if dt.is_datetime() => d.date().format("%Y-%m-%d").to_string(),
            _ => float_text(dt.as_f64()),
        },
        DataRef::DateTimeIso(s) => s.get(..10).unwrap_or(s).to_string(),
        DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => format!("#{e:?}"),
        DataRef::Empty => String::new(),
    }
}

fn float_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}
