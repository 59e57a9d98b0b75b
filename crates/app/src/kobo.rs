//! Submissions of Phiếu B captured offline with KoboToolbox (or ODK Collect sending to a
//! KoboToolbox server), as its XLSX export writes them with "XML values and headers": one
//! workbook whose first sheet holds the submissions (field names, perhaps behind their groups
//! as `group/field`, then Kobo's `_id`, `_uuid`, `_index`, ...) and one sheet per repeat, the
//! `members` sheet's rows naming their submission's `_index` in `_parent_index`. They are turned
//! into the exchange format's two files so that the importer checks them as any survey; every
//! error is named back to the workbook's sheet and row.

use crate::import::SurveyFiles;
use giamngheo_rules::msg;
use giamngheo_survey::parse::{HOUSEHOLD_COLUMNS, MEMBER_COLUMNS};
use giamngheo_survey::source::{is_xlsx, Source};
use giamngheo_survey::xlsform::MEMBERS_GROUP;
use giamngheo_survey::RowError;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The sheet a workbook keeps its households in when it is in the exchange format itself.
const EXCHANGE_SHEET: &str = "households";

/// A converted export: the exchange format's files, and for each the sheet it came from with
/// the sheet's row of every row written (the header is row 1 on both sides).
pub struct Converted {
    pub files: SurveyFiles,
    origins: Vec<(PathBuf, Arc<str>, Vec<u64>)>,
}

impl Converted {
    /// Names an error of a converted file after the workbook's sheet and row it came from.
    pub fn rename(&self, e: &mut RowError) {
        for (path, sheet, rows) in &self.origins {
            let from = path.display().to_string();
            if e.file.as_ref() == from {
                e.file = sheet.clone();
                if e.row >= 2 {
                    if let Some(r) = rows.get((e.row - 2) as usize) {
                        e.row = *r;
                    }
                }
                return;
            }
        }
    }
}

/// The first sheet of a workbook that is a KoboToolbox export: not the exchange format's
/// `households` sheet, with Kobo's `_uuid` and `_index` columns.
pub fn kobo_sheet(path: &Path) -> Option<String> {
    if !is_xlsx(path) {
        return None;
    }
    use calamine::Reader;
    // the workbook's parts are measured before the reader opens any (the survey reader's guard)
    let limits = giamngheo_survey::guard::WorkbookLimits::default();
    giamngheo_survey::guard::check_workbook(path, &limits).ok()?;
    let book: calamine::Xlsx<_> = calamine::open_workbook(path).ok()?;
    let names = book.sheet_names();
    if names.iter().any(|s| s == EXCHANGE_SHEET) {
        return None;
    }
    let first = names.first()?.clone();
    let src = Source::open(path, &first).ok()?;
    let has = |c: &str| src.headers.iter().any(|h| h == c);
    (has("_uuid") && has("_index")).then_some(first)
}

/// A field's name without the groups Kobo puts before it (`group/field`).
fn field(column: &str) -> &str {
    column.rsplit('/').next().unwrap_or(column)
}

/// The rows of a sheet, with their row numbers.
fn rows(src: &mut Source) -> Result<Vec<(u64, Vec<String>)>, RowError> {
    let mut out = Vec::new();
    let mut rec = csv::ByteRecord::new();
    while let Some(n) = src.next_row(&mut rec)? {
        out.push((
            n,
            rec.iter()
                .map(|c| String::from_utf8_lossy(c).trim().to_string())
                .collect(),
        ));
    }
    Ok(out)
}

/// Writes the exchange format's files for the Kobo export `path` (its submissions on `sheet`)
/// into `dir`. A member whose submission is not in the workbook is an error; so is a workbook
/// whose headers are labels, not the form's field names.
pub fn convert(path: &Path, sheet: &str, dir: &Path) -> Result<Converted, Vec<RowError>> {
    let h_name: Arc<str> = format!("{}[{sheet}]", path.display()).into();
    let io = |name: &Arc<str>, e: &dyn std::fmt::Display| {
        vec![RowError::file(
            name,
            msg!("odk_unreadable", reason = e.to_string()),
        )]
    };
    let mut src = Source::open(path, sheet).map_err(|e| vec![e])?;
    let header = src.headers.clone();
    let at = |h: &[String], n: &str| h.iter().position(|c| field(c) == n);
    let kept: Vec<(usize, &str)> = HOUSEHOLD_COLUMNS
        .iter()
        .filter_map(|c| at(&header, c).map(|i| (i, *c)))
        .collect();
    let (Some(id_at), Some(index_at)) = (at(&header, "household_id"), at(&header, "_index")) else {
        return Err(vec![RowError::new(
            &h_name,
            1,
            "household_id",
            msg!("kobo_labels"),
        )]);
    };
    let sheets = src.sheets.clone();
    let out_h = dir.join("households.csv");
    let mut w = csv::Writer::from_path(&out_h).map_err(|e| io(&h_name, &e))?;
    w.write_record(kept.iter().map(|(_, c)| *c))
        .map_err(|e| io(&h_name, &e))?;
    let mut household_of: HashMap<String, String> = HashMap::new();
    let mut h_rows = Vec::new();
    for (n, row) in rows(&mut src).map_err(|e| vec![e])? {
        let cell = |i: usize| row.get(i).map(String::as_str).unwrap_or_default();
        household_of.insert(cell(index_at).to_string(), cell(id_at).to_string());
        let v: Vec<String> = kept
            .iter()
            .map(|(i, c)| {
                // a select_multiple's choices are space-separated in Kobo, `;` in the format
                if *c == "info_devices" {
                    cell(*i).split_whitespace().collect::<Vec<_>>().join(";")
                } else {
                    cell(*i).to_string()
                }
            })
            .collect();
        w.write_record(&v).map_err(|e| io(&h_name, &e))?;
        h_rows.push(n);
    }
    w.flush().map_err(|e| io(&h_name, &e))?;
    let mut origins = vec![(out_h.clone(), h_name, h_rows)];
    if !sheets.iter().any(|s| s == MEMBERS_GROUP) {
        return Ok(Converted {
            files: SurveyFiles {
                households: out_h,
                members: None,
            },
            origins,
        });
    }
    let m_name: Arc<str> = format!("{}[{MEMBERS_GROUP}]", path.display()).into();
    let mut src = Source::open(path, MEMBERS_GROUP).map_err(|e| vec![e])?;
    let header = src.headers.clone();
    let parent_at = header.iter().position(|c| c == "_parent_index");
    let kept: Vec<(usize, &str)> = MEMBER_COLUMNS
        .iter()
        .filter(|c| **c != "household_id")
        .filter_map(|c| at(&header, c).map(|i| (i, *c)))
        .collect();
    let out_m = dir.join("members.csv");
    let mut w = csv::Writer::from_path(&out_m).map_err(|e| io(&m_name, &e))?;
    w.write_record(std::iter::once("household_id").chain(kept.iter().map(|(_, c)| *c)))
        .map_err(|e| io(&m_name, &e))?;
    let mut errors = Vec::new();
    let mut m_rows = Vec::new();
    for (n, row) in rows(&mut src).map_err(|e| vec![e])? {
        let cell = |i: usize| row.get(i).map(String::as_str).unwrap_or_default();
        let parent = parent_at.map(cell).unwrap_or_default();
        let Some(household) = household_of.get(parent) else {
            errors.push(RowError::new(
                &m_name,
                n,
                "_parent_index",
                msg!("odk_no_submission", key = parent),
            ));
            continue;
        };
        let v: Vec<&str> = std::iter::once(household.as_str())
            .chain(kept.iter().map(|(i, _)| cell(*i)))
            .collect();
        w.write_record(&v).map_err(|e| io(&m_name, &e))?;
        m_rows.push(n);
    }
    w.flush().map_err(|e| io(&m_name, &e))?;
    if !errors.is_empty() {
        return Err(errors);
    }
    origins.push((out_m.clone(), m_name, m_rows));
    Ok(Converted {
        files: SurveyFiles {
            households: out_h,
            members: Some(out_m),
        },
        origins,
    })
}
