//! `giamngheo export`: a unit's assessments of a year back out in the exchange format.

use crate::args::{load_standards, open_registry, runtime, DbArgs, DEFAULT_DB};
use anyhow::{Context, Result};
use giamngheo_rules::{msg, UnitCode};
use std::fs::File;
use std::io::BufWriter;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct ExportArgs {
    #[arg(long)]
    year: i32,
    /// Province (2-digit) or commune (5-digit) code of 2025.
    #[arg(long)]
    unit: String,
    #[command(flatten)]
    db: DbArgs,
    /// A directory for the two CSV files, or a file ending in .xlsx for a workbook.
    #[arg(short, long, value_name = "DIR|FILE.xlsx")]
    output: PathBuf,
}

pub fn run(a: ExportArgs) -> Result<ExitCode> {
    let (year, output) = (a.year, &a.output);
    let nothing = || {
        anyhow::anyhow!(
            "{}",
            msg!(
                "cli_no_assessment_year",
                unit = &a.unit,
                year = year,
                db = a.db.url(DEFAULT_DB)
            )
        )
    };
    let unit = UnitCode::parse(&a.unit).ok_or_else(nothing)?;
    let standards = load_standards(&[])?;
    let tables = runtime()?.block_on(async {
        let registry = open_registry(&a.db, DEFAULT_DB, standards).await?;
        let t = registry.unscoped().survey_export(&unit, year).await;
        registry.close().await;
        anyhow::Ok(t?)
    })?;
    if tables.households.1.is_empty() {
        return Err(nothing());
    }
    if giamngheo_survey::source::is_xlsx(output) {
        tables.write_xlsx(output)?;
    } else {
        std::fs::create_dir_all(output)
            .with_context(|| msg!("cli_cannot_create", path = output.display()))?;
        let create = |name: &str| -> Result<BufWriter<File>> {
            let p = output.join(name);
            Ok(BufWriter::new(File::create(&p).with_context(|| {
                msg!("cli_cannot_create", path = p.display())
            })?))
        };
        tables.write_csv(create("households.csv")?, create("members.csv")?)?;
    }
    eprintln!(
        "{}",
        msg!(
            "cli_exported",
            households = tables.households.1.len(),
            members = tables.members.1.len(),
            unit = unit,
            year = year,
            path = output.display()
        )
    );
    Ok(ExitCode::SUCCESS)
}
