//! Limits a workbook must keep before it is parsed.
//!
//! An `.xlsx` file is a zip archive of XML parts. What a part's header claims about its size can
//! be forged, and a few kilobytes can expand to gigabytes, so every part is decompressed once, as
//! a stream, and counted before the workbook is opened: its real expanded size, the longest run
//! of bytes without a `<` (the largest text or tag an XML reader must hold at once), and for the
//! shared strings their number (the reader keeps all of them in memory). A workbook over any
//! limit is refused with a message naming the part and the limit; nothing of it is parsed.

use giamngheo_rules::{msg, Msg};
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

/// Limits on a workbook's parts, after decompression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkbookLimits {
    /// Parts in the archive.
    pub max_parts: usize,
    /// A worksheet, read as a stream of rows.
    pub max_sheet_bytes: u64,
    /// The shared strings, held in memory whole.
    pub max_shared_strings_bytes: u64,
    /// Number of shared strings.
    pub max_shared_strings: u64,
    /// Any other part (workbook, styles, relationships...), held in memory whole.
    pub max_other_bytes: u64,
    /// All parts together.
    pub max_total_bytes: u64,
    /// The longest text or tag: bytes between one `<` and the next. A cell holds at most 32,767
    /// characters, so a legitimate run is far below this.
    pub max_run_bytes: u64,
}

impl Default for WorkbookLimits {
    fn default() -> Self {
        WorkbookLimits {
            max_parts: 10_000,
            max_sheet_bytes: 2 << 30,
            max_shared_strings_bytes: 256 << 20,
            max_shared_strings: 5_000_000,
            max_other_bytes: 32 << 20,
            max_total_bytes: 4 << 30,
            max_run_bytes: 1 << 20,
        }
    }
}

/// The last column and row of a worksheet (XFD, 1,048,576), 1-based.
pub const MAX_COLUMNS: u32 = 16_384;
pub const MAX_ROWS: u32 = 1_048_576;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Sheet,
    SharedStrings,
    Other,
}

fn kind(name: &str) -> Kind {
    let lower = name.to_ascii_lowercase();
    if lower.starts_with("xl/worksheets/") && lower.ends_with(".xml") {
        Kind::Sheet
    } else if lower.ends_with("sharedstrings.xml") {
        Kind::SharedStrings
    } else {
        Kind::Other
    }
}

/// Checks a workbook against the limits; the message names the part and the limit broken.
pub fn check_workbook(path: &Path, limits: &WorkbookLimits) -> Result<(), Msg> {
    let file = File::open(path).map_err(|e| msg!("cannot_open", error = e))?;
    let mut zip =
        zip::ZipArchive::new(BufReader::new(file)).map_err(|e| msg!("not_zip", error = e))?;
    if zip.len() > limits.max_parts {
        return Err(msg!(
            "too_many_parts",
            parts = zip.len(),
            max = limits.max_parts
        ));
    }
    let mut total = 0u64;
    let mut buf = vec![0u8; 64 * 1024];
    for i in 0..zip.len() {
        let mut part = zip
            .by_index(i)
            .map_err(|e| msg!("part_unreadable", part = i, error = e))?;
        if part.is_dir() {
            continue;
        }
        let name = part
            .name()
            .map(|n| n.into_owned())
            .map_err(|e| msg!("part_name_unreadable", part = i, error = e))?;
        let kind = kind(&name);
        let cap = match kind {
            Kind::Sheet => limits.max_sheet_bytes,
            Kind::SharedStrings => limits.max_shared_strings_bytes,
            Kind::Other => limits.max_other_bytes,
        };
        let mut scan = Scan::default();
        let mut size = 0u64;
        loop {
            let n = part
                .read(&mut buf)
                .map_err(|e| msg!("part_undecompressable", part = &name, error = e))?;
            if n == 0 {
                break;
            }
            size += n as u64;
            total += n as u64;
            if size > cap {
                return Err(msg!("part_too_large", part = &name, mib = cap >> 20));
            }
            if total > limits.max_total_bytes {
                return Err(msg!(
                    "workbook_too_large",
                    mib = limits.max_total_bytes >> 20
                ));
            }
            scan.feed(&buf[..n]);
            if scan.longest_run > limits.max_run_bytes {
                return Err(msg!(
                    "part_run_too_long",
                    part = &name,
                    kib = limits.max_run_bytes >> 10
                ));
            }
            if kind == Kind::SharedStrings && scan.si_count > limits.max_shared_strings {
                return Err(msg!(
                    "too_many_strings",
                    part = &name,
                    max = limits.max_shared_strings
                ));
            }
        }
    }
    Ok(())
}

/// A streaming look at XML bytes: the longest run without `<`, and the `<si>` elements (with or
/// without a namespace prefix).
#[derive(Default)]
struct Scan {
    run: u64,
    longest_run: u64,
    /// The tag name being read after a `<`, up to 8 bytes; `None` outside a tag name.
    tag: Option<([u8; 8], usize)>,
    si_count: u64,
}

impl Scan {
    fn feed(&mut self, bytes: &[u8]) {
        let mut i = 0;
        while i < bytes.len() {
            if self.tag.is_some() {
                // a tag name: a few bytes, one at a time
                let b = bytes[i];
                i += 1;
                if b == b'<' {
                    self.open_tag();
                } else {
                    self.run += 1;
                    self.name_byte(b);
                }
                continue;
            }
            // text and attributes: straight to the next `<`
            match memchr::memchr(b'<', &bytes[i..]) {
                Some(p) => {
                    self.run += p as u64;
                    self.open_tag();
                    i += p + 1;
                }
                None => {
                    self.run += (bytes.len() - i) as u64;
                    break;
                }
            }
        }
        self.longest_run = self.longest_run.max(self.run);
    }

    fn open_tag(&mut self) {
        self.longest_run = self.longest_run.max(self.run);
        self.run = 0;
        self.tag = Some(([0; 8], 0));
    }

    fn name_byte(&mut self, b: u8) {
        let Some((name, len)) = &mut self.tag else {
            return;
        };
        if matches!(b, b'>' | b'/' | b' ' | b'\t' | b'\r' | b'\n') {
            let n = &name[..*len];
            let local = n.rsplit(|c| *c == b':').next().unwrap_or(n);
            if local == b"si" {
                self.si_count += 1;
            }
            self.tag = None;
        } else if *len < name.len() {
            name[*len] = b;
            *len += 1;
        } else {
            self.tag = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scan_counts_shared_strings_and_runs() {
        let mut s = Scan::default();
        s.feed(b"<sst><si><t>a</t></si><x:si/><sis>");
        s.feed(b"</sst><si");
        s.feed(b">0123456789");
        assert_eq!(s.si_count, 3);
        assert_eq!(s.longest_run, 13);
        // a name split anywhere across chunks is still read whole
        let text = b"<sst><si><t>a</t></si><x:si/><sis><si>0123456789</si></sst>";
        for cut in 0..text.len() {
            let mut s = Scan::default();
            s.feed(&text[..cut]);
            s.feed(&text[cut..]);
            assert_eq!((s.si_count, s.longest_run), (3, 13), "cut at {cut}");
        }
    }
}
