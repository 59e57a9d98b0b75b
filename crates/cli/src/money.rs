//! `giamngheo money`: the program's capital plans and payments in bulk, from files in the format
//! of `docs/money-format.md`, and a unit's money of a year.

use crate::args::{load_standards, open_registry, runtime, DbArgs, DEFAULT_DB};
use anyhow::{bail, Result};
use clap::Subcommand;
use giamngheo_app::QueryError;
use giamngheo_rules::{msg, Lang, NaiveDate, UnitCode};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum MoneyAction {
    /// Import capital plans and allocations (a CSV file, or a workbook's sheet `ke_hoach_von`).
    /// All or nothing: a file with any bad row writes nothing, and every error is listed as
    /// FILE:ROW: column: message (exit status 1).
    Plans {
        file: PathBuf,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Import payments (a CSV file, or a workbook's sheet `giai_ngan`), all or nothing. A payment
    /// above its unit's plan in force on its day is refused unless it gives `advance_reason`.
    Payments {
        file: PathBuf,
        #[command(flatten)]
        db: DbArgs,
    },
    /// A unit's money of a budget year: plan in force, disbursed and its share, by item and
    /// source.
    Report {
        /// A province (2 digits) or a commune (5 digits) of 2025.
        #[arg(long)]
        unit: String,
        #[arg(long)]
        year: i32,
        /// The plans as in force on this day (YYYY-MM-DD); the year's end by default.
        #[arg(long)]
        on: Option<NaiveDate>,
        #[command(flatten)]
        db: DbArgs,
    },
}

fn today() -> NaiveDate {
    giamngheo_rules::chrono::Utc::now().date_naive()
}

pub fn run(action: MoneyAction) -> Result<ExitCode> {
    runtime()?.block_on(async {
        match action {
            MoneyAction::Plans { file, db } | MoneyAction::Payments { file, db }
                if !file.is_file() =>
            {
                let _ = db;
                bail!("{}", msg!("cli_no_such_file", path = file.display()))
            }
            MoneyAction::Plans { file, db } => {
                let registry = open_registry(&db, DEFAULT_DB, load_standards(&[])?).await?;
                let r = registry.unscoped().import_plans(&file).await;
                registry.close().await;
                written(r, "cli_money_plans")
            }
            MoneyAction::Payments { file, db } => {
                let registry = open_registry(&db, DEFAULT_DB, load_standards(&[])?).await?;
                let r = registry.unscoped().import_payments(&file, today()).await;
                registry.close().await;
                written(r, "cli_money_payments")
            }
            MoneyAction::Report { unit, year, on, db } => {
                let Some(code) = UnitCode::parse(&unit) else {
                    bail!("{}", msg!("money_unit_unknown", unit = &unit));
                };
                let on = on
                    .or_else(|| NaiveDate::from_ymd_opt(year, 12, 31))
                    .unwrap_or_else(today);
                let registry = open_registry(&db, DEFAULT_DB, load_standards(&[])?).await?;
                let r = registry.unscoped().money(&code, year, on).await;
                registry.close().await;
                let report = r?;
                let lang = giamngheo_rules::text::display_lang();
                let mut by: std::collections::BTreeMap<(String, String), (i64, i64)> =
                    Default::default();
                for (k, l) in report.lines.iter() {
                    let e = by.entry((k.item.clone(), k.source.clone())).or_default();
                    // a province's plan counts once: its communes' allocations are part of it
                    if k.unit_code == report.unit || matches!(code, UnitCode::Commune(_)) {
                        e.0 += l.plan;
                    }
                    e.1 += l.disbursed();
                }
                println!("item\tsource\tplan\tdisbursed\tshare");
                let (mut plan, mut paid) = (0, 0);
                for ((item, source), (p, d)) in &by {
                    plan += p;
                    paid += d;
                    println!("{item}\t{source}\t{p}\t{d}\t{}", share(lang, *d, *p));
                }
                println!("\t\t{plan}\t{paid}\t{}", share(lang, paid, plan));
                Ok(ExitCode::SUCCESS)
            }
        }
    })
}

fn share(lang: Lang, part: i64, whole: i64) -> String {
    if whole == 0 {
        return "–".into();
    }
    lang.pct(part as f64 * 100.0 / whole as f64)
}

fn written(
    r: Result<giamngheo_app::money::MoneyWritten, QueryError>,
    key: &'static str,
) -> Result<ExitCode> {
    match r {
        Ok(w) => {
            println!(
                "{}",
                giamngheo_rules::Msg::new(key)
                    .arg("records", w.records)
                    .arg("lines", w.lines)
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
        Err(QueryError::Invalid(m)) => {
            eprintln!("{m}");
            Ok(ExitCode::from(1))
        }
        Err(e) => Err(e.into()),
    }
}
