//! Submissions of Phiếu B captured offline with ODK Collect, as ODK Central exports them (a CSV
//! of the submissions and one of the `members` repeat, each row naming its submission's `KEY`
//! in `PARENT_KEY`), turned into the exchange format's two files so that the importer checks
//! them as any survey. The files keep their names and every row its place: an error names the
//! file, row and column the officer downloaded.

use crate::import::SurveyFiles;
use giamngheo_rules::msg;
use giamngheo_survey::parse::{HOUSEHOLD_COLUMNS, MEMBER_COLUMNS};
use giamngheo_survey::xlsform::MEMBERS_GROUP;
use giamngheo_survey::RowError;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

/// Whether a households file is an ODK Central export (its submissions' `KEY` and metadata).
pub fn is_odk_export(path: &Path) -> bool {
    if giamngheo_survey::source::is_xlsx(path) {
        return false;
    }
    let Ok(mut r) = csv::Reader::from_path(path) else {
        return false;
    };
    let Ok(h) = r.headers() else { return false };
    h.iter().any(|c| c == "KEY")
        && h.iter()
            .any(|c| c == "SubmissionDate" || c == "meta-instanceID")
}

/// The members' export beside a submissions export (`FORM.csv` → `FORM-members.csv`).
pub fn members_beside(path: &Path) -> Option<std::path::PathBuf> {
    let stem = path.file_stem()?.to_str()?;
    let m = path.with_file_name(format!("{stem}-{MEMBERS_GROUP}.csv"));
    m.is_file().then_some(m)
}

/// A field's name without the groups ODK puts before it (`group-field`).
fn field(column: &str) -> &str {
    column.rsplit('-').next().unwrap_or(column)
}

/// Writes the exchange format's files for an ODK export into `dir`, under the export's own file
/// names. Rows that cannot be placed (a member whose submission is not in the file) are errors.
pub fn convert(files: &SurveyFiles, dir: &Path) -> Result<SurveyFiles, Vec<RowError>> {
    let name = |p: &Path| -> Arc<str> { p.display().to_string().into() };
    let io = |p: &Path, e: &dyn std::fmt::Display| {
        vec![RowError::file(
            &name(p),
            msg!("odk_unreadable", reason = e.to_string()),
        )]
    };
    let h_path = &files.households;
    let mut r = csv::Reader::from_path(h_path).map_err(|e| io(h_path, &e))?;
    let header = r.headers().map_err(|e| io(h_path, &e))?.clone();
    let at = |h: &csv::StringRecord, n: &str| h.iter().position(|c| field(c) == n);
    let key_at = header.iter().position(|c| c == "KEY");
    let kept: Vec<(usize, &str)> = HOUSEHOLD_COLUMNS
        .iter()
        .filter_map(|c| at(&header, c).map(|i| (i, *c)))
        .collect();
    let out_h = dir.join(h_path.file_name().unwrap_or_default());
    let mut w = csv::Writer::from_path(&out_h).map_err(|e| io(&out_h, &e))?;
    w.write_record(kept.iter().map(|(_, c)| *c))
        .map_err(|e| io(&out_h, &e))?;
    let id_at = at(&header, "household_id");
    let mut household_of: HashMap<String, String> = HashMap::new();
    for row in r.records() {
        let row = row.map_err(|e| io(h_path, &e))?;
        if let (Some(k), Some(i)) = (key_at, id_at) {
            household_of.insert(
                row.get(k).unwrap_or_default().to_string(),
                row.get(i).unwrap_or_default().to_string(),
            );
        }
        let v: Vec<String> = kept
            .iter()
            .map(|(i, c)| {
                let v = row.get(*i).unwrap_or_default().trim();
                // a select_multiple's choices are space-separated in ODK, `;` in the format
                if *c == "info_devices" {
                    v.split_whitespace().collect::<Vec<_>>().join(";")
                } else {
                    v.to_string()
                }
            })
            .collect();
        w.write_record(&v).map_err(|e| io(&out_h, &e))?;
    }
    w.flush().map_err(|e| io(&out_h, &e))?;
    let Some(m_path) = files.members.clone().or_else(|| members_beside(h_path)) else {
        return Ok(SurveyFiles {
            households: out_h,
            members: None,
        });
    };
    let mut r = csv::Reader::from_path(&m_path).map_err(|e| io(&m_path, &e))?;
    let header = r.headers().map_err(|e| io(&m_path, &e))?.clone();
    let parent_at = header.iter().position(|c| c == "PARENT_KEY");
    let kept: Vec<(usize, &str)> = MEMBER_COLUMNS
        .iter()
        .filter(|c| **c != "household_id")
        .filter_map(|c| at(&header, c).map(|i| (i, *c)))
        .collect();
    let out_m = dir.join(m_path.file_name().unwrap_or_default());
    let mut w = csv::Writer::from_path(&out_m).map_err(|e| io(&out_m, &e))?;
    w.write_record(std::iter::once("household_id").chain(kept.iter().map(|(_, c)| *c)))
        .map_err(|e| io(&out_m, &e))?;
    let mut errors = Vec::new();
    for (n, row) in r.records().enumerate() {
        let row = row.map_err(|e| io(&m_path, &e))?;
        let parent = parent_at.and_then(|p| row.get(p)).unwrap_or_default();
        let Some(household) = household_of.get(parent) else {
            errors.push(RowError::new(
                &name(&m_path),
                n as u64 + 2,
                "PARENT_KEY",
                msg!("odk_no_submission", key = parent),
            ));
            continue;
        };
        let v: Vec<&str> = std::iter::once(household.as_str())
            .chain(
                kept.iter()
                    .map(|(i, _)| row.get(*i).unwrap_or_default().trim()),
            )
            .collect();
        w.write_record(&v).map_err(|e| io(&out_m, &e))?;
    }
    w.flush().map_err(|e| io(&out_m, &e))?;
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(SurveyFiles {
        households: out_h,
        members: Some(out_m),
    })
}
