//! `giamngheo money`: the program's capital plans, payments and year-end estimates in bulk, from
//! files in the format of `docs/money-format.md`, their export in the same format, and a unit's
//! money of a year.

use crate::args::{load_standards, open_registry, runtime, DbArgs, DEFAULT_DB};
use anyhow::{bail, Result};
use clap::Subcommand;
use giamngheo_app::money::MoneyKind;
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
    /// Import year-end estimates (a CSV file, or a workbook's sheet `uoc_giai_ngan`), all or
    /// nothing: each line's disbursement expected by the budget year's end, kept apart from what
    /// is paid.
    Estimates {
        file: PathBuf,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Write a unit's plans, payments or estimates of a budget year in the import's format (a
    /// province's with its communes'): CSV, or a workbook when OUT ends in `.xlsx`.
    Export {
        /// A province (2 digits) or a commune (5 digits) of 2025.
        #[arg(long)]
        unit: String,
        #[arg(long)]
        year: i32,
        /// plans, payments or estimates.
        #[arg(long, default_value = "plans")]
        kind: String,
        /// The file to write.
        #[arg(long)]
        out: PathBuf,
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
            MoneyAction::Plans { file, db }
            | MoneyAction::Payments { file, db }
            | MoneyAction::Estimates { file, db }
                if !file.is_file() =>
            {
                let _ = db;
                bail!("{}", msg!("cli_no_such_file", path = file.display()))
            }
            MoneyAction::Plans { file, db } => import(MoneyKind::Plans, &file, &db).await,
            MoneyAction::Payments { file, db } => import(MoneyKind::Payments, &file, &db).await,
            MoneyAction::Estimates { file, db } => import(MoneyKind::Estimates, &file, &db).await,
            MoneyAction::Export {
                unit,
                year,
                kind,
                out,
                db,
            } => {
                let Some(code) = UnitCode::parse(&unit) else {
                    bail!("{}", msg!("money_unit_unknown", unit = &unit));
                };
                let Some(kind) = MoneyKind::parse(&kind) else {
                    bail!("{}", msg!("cli_money_kind", kind = &kind));
                };
                let registry = open_registry(&db, DEFAULT_DB, load_standards(&[])?).await?;
                let r = registry.unscoped().money_export(&code, year, kind).await;
                registry.close().await;
                let rows = r?;
                let xlsx = out
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
                if xlsx {
                    giamngheo_app::money::write_workbook(&out, kind, &rows)?;
                } else {
                    std::fs::write(&out, giamngheo_app::money::csv_bytes(&rows)?)?;
                }
                println!(
                    "{}",
                    msg!(
                        "cli_money_exported",
                        rows = rows.len() - 1,
                        path = out.display()
                    )
                );
                Ok(ExitCode::SUCCESS)
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
                let mut by: std::collections::BTreeMap<(String, String), (i64, i64, Option<i64>)> =
                    Default::default();
                for (k, l) in report.lines.iter() {
                    let e = by.entry((k.item.clone(), k.source.clone())).or_default();
                    // a province's plan counts once: its communes' allocations are part of it
                    if k.unit_code == report.unit || matches!(code, UnitCode::Commune(_)) {
                        e.0 += l.plan;
                    }
                    e.1 += l.disbursed();
                    if let Some(x) = l.estimate {
                        *e.2.get_or_insert(0) += x;
                    }
                }
                // the estimate to the year's end is kept apart from what was paid
                println!("item\tsource\tplan\tdisbursed\tshare\testimate");
                let (mut plan, mut paid, mut estimated) = (0, 0, None);
                let text = |e: Option<i64>| e.map(|e| e.to_string()).unwrap_or_default();
                for ((item, source), (p, d, e)) in &by {
                    plan += p;
                    paid += d;
                    if let Some(e) = e {
                        *estimated.get_or_insert(0) += e;
                    }
                    println!(
                        "{item}\t{source}\t{p}\t{d}\t{}\t{}",
                        share(lang, *d, *p),
                        text(*e)
                    );
                }
                println!(
                    "\t\t{plan}\t{paid}\t{}\t{}",
                    share(lang, paid, plan),
                    text(estimated)
                );
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

async fn import(kind: MoneyKind, file: &std::path::Path, db: &DbArgs) -> Result<ExitCode> {
    let registry = open_registry(db, DEFAULT_DB, load_standards(&[])?).await?;
    let r = registry.unscoped().import_money(kind, file, today()).await;
    registry.close().await;
    match r {
        Ok(w) => {
            println!("{}", kind.done(&w));
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
