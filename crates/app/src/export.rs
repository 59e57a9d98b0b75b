//! The `export` use case: a unit's assessments of a year written back in the survey exchange
//! format (CSV files or one workbook), from the answers kept with each assessment.

use giamngheo_rules::UnitCode;
use giamngheo_store::{Store, StoreError};
use giamngheo_survey::parse::{HOUSEHOLD_COLUMNS, MEMBER_COLUMNS};
use serde_json::Value;
use std::collections::HashSet;
use std::io::{self, Write};
use std::path::Path;

/// A year's survey as tables: header and rows of the households and members files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tables {
    pub households: (Vec<String>, Vec<Vec<String>>),
    pub members: (Vec<String>, Vec<Vec<String>>),
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    Io(#[from] io::Error),
    #[error("an assessment's answers cannot be read: {0}")]
    Answers(#[from] serde_json::Error),
    #[error("{0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
}

/// A JSON value as the exchange format writes it: booleans as 1/0, nothing as empty.
fn cell(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::Bool(b)) => if *b { "1" } else { "0" }.to_string(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

/// The survey of a unit (province or commune) for a year, from the registry: every household,
/// or those `keep` names by (commune, code).
pub async fn tables(
    store: &Store,
    unit: &UnitCode,
    year: i32,
    keep: Option<&HashSet<(String, String)>>,
) -> Result<Tables, ExportError> {
    let mut rows = store.assessments_of_year(unit, year).await?;
    if let Some(keep) = keep {
        rows.retain(|r| keep.contains(&(r.commune_code.clone(), r.code.clone())));
    }
    let answers: Vec<Value> = rows
        .iter()
        .map(|r| serde_json::from_str(&r.answers))
        .collect::<Result<_, _>>()?;
    // the recorded deprivations and extra columns any household has, in first-seen order
    let mut recorded: Vec<String> = Vec::new();
    let mut extra: Vec<String> = Vec::new();
    for a in &answers {
        for (key, map) in [("recorded", &mut recorded), ("extra", &mut extra)] {
            if let Some(Value::Object(o)) = a.get(key) {
                for k in o.keys() {
                    if !map.contains(k) {
                        map.push(k.clone());
                    }
                }
            }
        }
    }
    let mut h_header: Vec<String> = HOUSEHOLD_COLUMNS.iter().map(|c| c.to_string()).collect();
    h_header.extend(recorded.iter().cloned());
    h_header.extend(extra.iter().cloned());
    let m_header: Vec<String> = MEMBER_COLUMNS.iter().map(|c| c.to_string()).collect();
    let mut t = Tables {
        households: (h_header.clone(), Vec::new()),
        members: (m_header.clone(), Vec::new()),
    };
    for (r, a) in rows.iter().zip(&answers) {
        let row: Vec<String> = h_header
            .iter()
            .map(|col| match col.as_str() {
                "household_id" => r.code.clone(),
                "commune_code" => r.commune_code.clone(),
                "village" => a
                    .get("village")
                    .map_or_else(|| r.village.clone().unwrap_or_default(), |v| cell(Some(v))),
                "head_name" => a.get("head_name").map_or_else(
                    || r.head_name.clone().unwrap_or_default(),
                    |v| cell(Some(v)),
                ),
                // the area only when the form gave it; otherwise it follows the commune
                "area" if a.get("area_given") == Some(&Value::Bool(true)) => cell(a.get("area")),
                "area" => String::new(),
                "members" => cell(a.get("members_column")),
                c if c.starts_with("d_") => cell(a.get("recorded").and_then(|o| o.get(c))),
                c if c.starts_with("x_") => cell(a.get("extra").and_then(|o| o.get(c))),
                c => cell(a.get(c)),
            })
            .collect();
        t.households.1.push(row);
        for m in a
            .get("members")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let row = m_header
                .iter()
                .map(|col| match col.as_str() {
                    "household_id" => r.code.clone(),
                    // `none` is the default
                    "disability" => match cell(m.get("disability")).as_str() {
                        "none" => String::new(),
                        d => d.to_string(),
                    },
                    c => cell(m.get(c)),
                })
                .collect();
            t.members.1.push(row);
        }
    }
    Ok(t)
}

fn write_csv<W: Write>(out: W, header: &[String], rows: &[Vec<String>]) -> Result<(), ExportError> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(header).map_err(io::Error::other)?;
    for r in rows {
        w.write_record(
            r.iter()
                .map(|f| giamngheo_survey::cells::inert(f).into_owned()),
        )
        .map_err(io::Error::other)?;
    }
    w.flush()?;
    Ok(())
}

impl Tables {
    /// Writes `households.csv` and `members.csv`.
    pub fn write_csv(
        &self,
        households: impl Write,
        members: impl Write,
    ) -> Result<(), ExportError> {
        write_csv(households, &self.households.0, &self.households.1)?;
        write_csv(members, &self.members.0, &self.members.1)
    }

    /// Writes one workbook with the sheets `households` and `members`, every cell as text (so
    /// codes keep their leading zeros).
    pub fn write_xlsx(&self, path: &Path) -> Result<(), ExportError> {
        let mut wb = rust_xlsxwriter::Workbook::new();
        for (name, (header, rows)) in [("households", &self.households), ("members", &self.members)]
        {
            let ws = wb.add_worksheet().set_name(name)?;
            for (c, h) in header.iter().enumerate() {
                ws.write_string(0, c as u16, h)?;
            }
            for (r, row) in rows.iter().enumerate() {
                for (c, v) in row.iter().enumerate() {
                    if !v.is_empty() {
                        ws.write_string(r as u32 + 1, c as u16, v)?;
                    }
                }
            }
        }
        wb.save(path)?;
        Ok(())
    }
}
