//! `giamngheo support`: support to households in bulk, from files in the format of
//! `docs/support-format.md`, judged against the support rules in force on each decision's day,
//! and the duplicate beneficiaries of a unit.

use crate::args::{load_standards, open_registry, runtime, DbArgs, DEFAULT_DB};
use anyhow::{bail, Result};
use clap::Subcommand;
use giamngheo_app::QueryError;
use giamngheo_rules::{msg, NaiveDate, UnitCode};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum SupportAction {
    /// Import support records (a CSV file, or a workbook's sheet `ho_tro`). All or nothing: a
    /// file with any bad or ineligible row writes nothing, and every error is listed as
    /// FILE:ROW: column: message (exit status 1). A row a rule refuses is taken only with its
    /// `override_reason`.
    Import {
        file: PathBuf,
        #[command(flatten)]
        db: DbArgs,
    },
    /// The duplicate beneficiaries of a province or a commune: the same kind of support to the
    /// same household or person within the kind's window, as tab-separated lines.
    Duplicates {
        /// A province (2 digits) or a commune (5 digits) of 2025.
        #[arg(long)]
        unit: String,
        #[command(flatten)]
        db: DbArgs,
    },
}

fn today() -> NaiveDate {
    giamngheo_rules::chrono::Utc::now().date_naive()
}

pub fn run(action: SupportAction) -> Result<ExitCode> {
    runtime()?.block_on(async {
        match action {
            SupportAction::Import { file, db } => {
                if !file.is_file() {
                    bail!("{}", msg!("cli_no_such_file", path = file.display()));
                }
                let registry = open_registry(&db, DEFAULT_DB, load_standards(&[])?).await?;
                let r = registry.unscoped().import_support(&file, today()).await;
                registry.close().await;
                match r {
                    Ok(w) => {
                        for e in &w.warnings {
                            eprintln!("{e}");
                        }
                        println!(
                            "{}",
                            msg!("cli_support_imported", records = w.records, overrides = w.overrides)
                                .money("amount", w.amount)
                        );
                        Ok(ExitCode::SUCCESS)
                    }
                    Err(QueryError::Rejected(rows)) => {
                        for e in &rows {
                            eprintln!("{e}");
                        }
                        eprintln!("{}", msg!("cli_money_refused", errors = rows.len()));
                        Ok(ExitCode::from(1))
                    }
                    Err(e) => Err(e.into()),
                }
            }
            SupportAction::Duplicates { unit, db } => {
                let Some(code) = UnitCode::parse(&unit) else {
                    bail!("{}", msg!("money_unit_unknown", unit = &unit));
                };
                let registry = open_registry(&db, DEFAULT_DB, load_standards(&[])?).await?;
                let r = registry.unscoped().support_duplicates(&code).await;
                registry.close().await;
                let (scanned, pairs) = r?;
                println!("first\tsecond\tkind\tcommune\thousehold\tdecided_on\tsecond_commune\tsecond_household\tsecond_decided_on\tby");
                for p in &pairs {
                    println!(
                        "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                        p.first.id,
                        p.second.id,
                        p.first.kind,
                        p.first.commune_code,
                        p.first.household_code,
                        p.first.decided_on,
                        p.second.commune_code,
                        p.second.household_code,
                        p.second.decided_on,
                        p.by.join(",")
                    );
                }
                eprintln!("{}", msg!("cli_support_duplicates", pairs = pairs.len(), records = scanned));
                Ok(ExitCode::SUCCESS)
            }
        }
    })
}
