//! `giamngheo report`: a unit's figures over a span of years, as a table, CSV, JSON or a
//! workbook.

use crate::args::{load_standards, open_registry, runtime, DbArgs, DEFAULT_DB};
use anyhow::{bail, Context, Result};
use clap::ValueEnum;
use giamngheo_app::report::BOM;
use giamngheo_rules::text::display_lang;
use giamngheo_rules::{msg, UnitCode};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Clone, Copy, ValueEnum)]
pub enum ReportFormat {
    Table,
    Csv,
    Json,
    /// A workbook (needs --output FILE.xlsx).
    Xlsx,
}

#[derive(clap::Args)]
pub struct ReportArgs {
    /// Province (2-digit) or commune (5-digit) code of 2025.
    #[arg(long)]
    unit: String,
    #[arg(long)]
    from: i32,
    #[arg(long)]
    to: i32,
    #[arg(long, value_enum, default_value = "table")]
    format: ReportFormat,
    /// Target decrease of the poverty rate in points a year, to report its achievement.
    #[arg(long, value_name = "POINTS")]
    target_points: Option<f64>,
    #[command(flatten)]
    db: DbArgs,
    /// Write to this file instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

pub fn run(a: ReportArgs) -> Result<ExitCode> {
    let unknown = || anyhow::anyhow!("{}", msg!("cli_unknown_unit", unit = &a.unit));
    let unit = UnitCode::parse(&a.unit).ok_or_else(unknown)?;
    let standards = load_standards(&[])?;
    let r = runtime()?.block_on(async {
        let registry = open_registry(&a.db, DEFAULT_DB, standards).await?;
        let r = registry
            .unscoped()
            .unit_report(&unit, a.from, a.to, a.target_points)
            .await;
        registry.close().await;
        anyhow::Ok(r?)
    })?;
    let Some(r) = r else {
        return Err(unknown());
    };
    if r.years.is_empty() {
        bail!(
            "{}",
            msg!(
                "cli_no_assessment_span",
                name = &r.unit_name,
                unit = unit,
                from = a.from,
                to = a.to,
                db = a.db.url(DEFAULT_DB)
            )
        );
    }
    let lang = display_lang();
    let text = match a.format {
        ReportFormat::Table => r.to_text(lang),
        // a file for a spreadsheet starts with the byte-order mark; standard output does not
        ReportFormat::Csv if a.output.is_some() => format!("{BOM}{}", r.to_csv(lang)),
        ReportFormat::Csv => r.to_csv(lang),
        ReportFormat::Json => serde_json::to_string_pretty(&r.to_json())? + "\n",
        ReportFormat::Xlsx => {
            let Some(p) = &a.output else {
                bail!("{}", msg!("cli_xlsx_needs_output"));
            };
            r.write_xlsx(p, lang)
                .with_context(|| msg!("cli_cannot_write", path = p.display()))?;
            return Ok(ExitCode::SUCCESS);
        }
    };
    match a.output {
        Some(p) => std::fs::write(&p, text)
            .with_context(|| msg!("cli_cannot_write", path = p.display()))?,
        None => print!("{text}"),
    }
    Ok(ExitCode::SUCCESS)
}
