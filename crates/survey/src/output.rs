//! Writing classification results in the format of `survey-format.md`: one record per household,
//! in input order, as CSV or JSON.

use giamngheo_rules::{Assessment, Standard};
use std::io::{self, Write};

/// Output format of `classify`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
}

/// Writes classification records as they come.
pub struct ResultWriter<W: Write> {
    out: W,
    format: Format,
    count: u64,
    line: Vec<u8>,
}

impl<W: Write> ResultWriter<W> {
    pub fn new(mut out: W, format: Format) -> io::Result<Self> {
        match format {
            Format::Csv => out.write_all(
                b"household_id,standard,area,income_line,class,deprivation_count,deprivations\n",
            )?,
            Format::Json => out.write_all(b"[")?,
        }
        Ok(ResultWriter {
            out,
            format,
            count: 0,
            line: Vec::with_capacity(256),
        })
    }

    pub fn write(&mut self, household_id: &str, std: &Standard, a: &Assessment) -> io::Result<()> {
        let l = &mut self.line;
        l.clear();
        match self.format {
            Format::Csv => {
                csv_field(l, household_id);
                l.push(b',');
                csv_field(l, &std.id);
                l.push(b',');
                l.extend_from_slice(a.area.code().as_bytes());
                l.push(b',');
                l.extend_from_slice(itoa(a.income_line).as_bytes());
                l.push(b',');
                l.extend_from_slice(a.class.code().as_bytes());
                l.push(b',');
                l.extend_from_slice(itoa(i64::from(a.deprivation_count())).as_bytes());
                l.push(b',');
                for (n, i) in a.deprived.iter().enumerate() {
                    if n > 0 {
                        l.push(b';');
                    }
                    if let Some(ind) = std.indicators.get(i) {
                        l.extend_from_slice(ind.code.as_bytes());
                    }
                }
                l.push(b'\n');
            }
            Format::Json => {
                l.extend_from_slice(if self.count == 0 { b"\n" } else { b",\n" });
                l.extend_from_slice(b"{\"household_id\":");
                json_string(l, household_id);
                l.extend_from_slice(b",\"standard\":");
                json_string(l, &std.id);
                l.extend_from_slice(b",\"area\":\"");
                l.extend_from_slice(a.area.code().as_bytes());
                l.extend_from_slice(b"\",\"income_line\":");
                l.extend_from_slice(itoa(a.income_line).as_bytes());
                l.extend_from_slice(b",\"class\":\"");
                l.extend_from_slice(a.class.code().as_bytes());
                l.extend_from_slice(b"\",\"deprivation_count\":");
                l.extend_from_slice(itoa(i64::from(a.deprivation_count())).as_bytes());
                l.extend_from_slice(b",\"deprivations\":[");
                for (n, i) in a.deprived.iter().enumerate() {
                    if n > 0 {
                        l.push(b',');
                    }
                    if let Some(ind) = std.indicators.get(i) {
                        json_string(l, &ind.code);
                    }
                }
                l.extend_from_slice(b"]}");
            }
        }
        self.count += 1;
        self.out.write_all(l)
    }

    /// Closes the document and returns the writer.
    pub fn finish(mut self) -> io::Result<W> {
        if self.format == Format::Json {
            self.out
                .write_all(if self.count == 0 { b"]\n" } else { b"\n]\n" })?;
        }
        self.out.flush()?;
        Ok(self.out)
    }
}

fn itoa(n: i64) -> String {
    n.to_string()
}

/// A CSV field, quoted when it needs to be (RFC 4180).
fn csv_field(out: &mut Vec<u8>, s: &str) {
    let s = &*crate::cells::inert(s);
    if s.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r')) {
        out.push(b'"');
        for b in s.bytes() {
            if b == b'"' {
                out.push(b'"');
            }
            out.push(b);
        }
        out.push(b'"');
    } else {
        out.extend_from_slice(s.as_bytes());
    }
}

fn json_string(out: &mut Vec<u8>, s: &str) {
    if s.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
    } else if let Ok(j) = serde_json::to_string(s) {
        out.extend_from_slice(j.as_bytes());
    }
}

/// A writer that hands full buffers to a thread of its own, so that the system calls of writing
/// the output run beside the work that produces it.
pub struct BackgroundWriter {
    buf: Vec<u8>,
    tx: Option<std::sync::mpsc::SyncSender<Vec<u8>>>,
    done: Option<std::thread::JoinHandle<io::Result<()>>>,
}

const BACKGROUND_BUFFER: usize = 1 << 20;

impl BackgroundWriter {
    pub fn new<W: Write + Send + 'static>(mut out: W) -> Self {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<u8>>(4);
        let done = std::thread::spawn(move || {
            for chunk in rx {
                out.write_all(&chunk)?;
            }
            out.flush()
        });
        BackgroundWriter {
            buf: Vec::with_capacity(BACKGROUND_BUFFER),
            tx: Some(tx),
            done: Some(done),
        }
    }

    fn send(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = std::mem::replace(&mut self.buf, Vec::with_capacity(BACKGROUND_BUFFER));
        match &self.tx {
            Some(tx) if tx.send(chunk).is_ok() => Ok(()),
            // the writing thread stopped: its error is reported by `finish`
            _ => self.finish(),
        }
    }

    /// Writes what is left and waits for the writing thread; returns its first error.
    pub fn finish(&mut self) -> io::Result<()> {
        if !self.buf.is_empty() {
            if let Some(tx) = &self.tx {
                let chunk = std::mem::take(&mut self.buf);
                let _ = tx.send(chunk);
            }
        }
        self.tx = None;
        match self.done.take().map(|h| h.join()) {
            Some(Ok(r)) => r,
            Some(Err(_)) => Err(io::Error::other("the output thread panicked")),
            None => Ok(()),
        }
    }
}

impl Write for BackgroundWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= BACKGROUND_BUFFER {
            self.send()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.send()
    }
}

impl Drop for BackgroundWriter {
    fn drop(&mut self) {
        let _ = self.finish();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        let mut v = Vec::new();
        csv_field(&mut v, "a,b\"c");
        assert_eq!(v, b"\"a,b\"\"c\"");
        let mut v = Vec::new();
        json_string(&mut v, "x\"y\n");
        assert_eq!(v, b"\"x\\\"y\\n\"");
    }
}
