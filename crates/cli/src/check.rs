//! `giamngheo check`: a file of stated figures (a unit a row, a figure a column) checked
//! against the validation rules of `programs/validation-rules.toml`, every violated rule listed
//! with both sides' values and the rows they come from.

use anyhow::{bail, Result};
use clap::Args;
use giamngheo_app::QueryError;
use giamngheo_rules::msg;
use giamngheo_rules::validation::ValidationRules;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
pub struct CheckArgs {
    /// A CSV file, or a workbook with the sheet `so_lieu`: `unit_code` (a province or a commune
    /// of 2025) and a column per figure (households, poor, poor_rate, plan, disbursed...).
    file: PathBuf,
}

pub fn run(a: CheckArgs) -> Result<ExitCode> {
    if !a.file.is_file() {
        bail!("{}", msg!("cli_no_such_file", path = a.file.display()));
    }
    let rules = ValidationRules::builtin().map_err(anyhow::Error::msg)?;
    match giamngheo_app::checks::check_file(&a.file, &rules) {
        Ok(found) => {
            let units: std::collections::BTreeSet<&str> =
                found.iter().map(|f| f.unit.as_str()).collect();
            for f in &found {
                println!(
                    "{}:{}: {}: {}",
                    a.file.display(),
                    f.row,
                    f.unit,
                    f.message()
                );
            }
            eprintln!(
                "{}",
                msg!(
                    "cli_check_done",
                    violations = found.len(),
                    units = units.len()
                )
            );
            Ok(if found.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Err(QueryError::Rejected(rows)) => {
            for e in &rows {
                eprintln!("{e}");
            }
            Ok(ExitCode::from(2))
        }
        Err(e) => Err(e.into()),
    }
}
