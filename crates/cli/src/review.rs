//! `giamngheo review`: a province's year of reviews consolidated from the command line.

use crate::args::{load_standards, open_registry, runtime, DbArgs, DEFAULT_DB};
use anyhow::{bail, Result};
use clap::Subcommand;
use giamngheo_app::QueryError;
use giamngheo_rules::{msg, UnitCode};
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum ReviewAction {
    /// Lock a province's year once every household's case has ended: afterwards no import and
    /// no form changes it, only a new decision. Exit status 1 while cases are still open.
    Lock {
        /// The province (2-digit code of 2025).
        #[arg(long)]
        unit: String,
        #[arg(long)]
        year: i32,
        #[command(flatten)]
        db: DbArgs,
    },
}

pub fn run(action: ReviewAction) -> Result<ExitCode> {
    runtime()?.block_on(async {
        match action {
            ReviewAction::Lock { unit, year, db } => {
                let Some(UnitCode::Province(province)) = UnitCode::parse(&unit) else {
                    bail!("{}", msg!("cli_not_a_province", unit = &unit));
                };
                let registry = open_registry(&db, DEFAULT_DB, load_standards(&[])?).await?;
                let locked = registry.unscoped().lock_year(&province, year).await;
                registry.close().await;
                match locked {
                    Ok(n) => {
                        println!(
                            "{}",
                            msg!("cli_year_locked", n = n, year = year, unit = &unit)
                        );
                        Ok(ExitCode::SUCCESS)
                    }
                    Err(QueryError::Invalid(m)) => {
                        eprintln!("{m}");
                        Ok(ExitCode::from(1))
                    }
                    Err(e) => Err(e.into()),
                }
            }
        }
    })
}
