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
    /// Import livelihood models and production projects with their participants (a workbook's
    /// sheets `mo_hinh` and `thanh_vien`, or a CSV file of either). All or nothing, as `import`;
    /// a model over its cost-sharing, or a participant a rule refuses, is taken only with its
    /// `override_reason`.
    ImportModels {
        file: PathBuf,
        #[command(flatten)]
        db: DbArgs,
    },
    /// A unit's support records (filtered) in the import's format, as CSV (a `.csv` OUT) or a
    /// workbook (a `.xlsx` OUT).
    Export {
        /// A province (2 digits) or a commune (5 digits) of 2025.
        #[arg(long)]
        unit: String,
        /// Only this kind of support.
        #[arg(long)]
        kind: Option<String>,
        /// Only those decided in this year.
        #[arg(long)]
        year: Option<i32>,
        #[arg(long)]
        out: PathBuf,
        #[command(flatten)]
        db: DbArgs,
    },
    /// A unit's models and their participants in the model file's format: a workbook with both
    /// sheets (a `.xlsx` OUT), or CSV of the models (and of the participants beside it, in
    /// OUT's name with `-thanh-vien`).
    ExportModels {
        /// A province (2 digits) or a commune (5 digits) of 2025.
        #[arg(long)]
        unit: String,
        #[arg(long)]
        out: PathBuf,
        #[command(flatten)]
        db: DbArgs,
    },
    /// The outcomes of a unit's support per programme item and kind, as tab-separated lines:
    /// households supported, poor among them, how many left poverty at the next review against
    /// comparable households, and the state's cost per household that left.
    Outcomes {
        /// A province (2 digits) or a commune (5 digits) of 2025.
        #[arg(long)]
        unit: String,
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
            SupportAction::ImportModels { file, db } => {
                if !file.is_file() {
                    bail!("{}", msg!("cli_no_such_file", path = file.display()));
                }
                let registry = open_registry(&db, DEFAULT_DB, load_standards(&[])?).await?;
                let r = registry.unscoped().import_models(&file, today()).await;
                registry.close().await;
                match r {
                    Ok(w) => {
                        for e in &w.warnings {
                            eprintln!("{e}");
                        }
                        println!(
                            "{}",
                            msg!(
                                "cli_models_imported",
                                models = w.models,
                                participants = w.participants,
                                overrides = w.overrides
                            )
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
            SupportAction::Export {
                unit,
                kind,
                year,
                out,
                db,
            } => {
                let Some(code) = UnitCode::parse(&unit) else {
                    bail!("{}", msg!("money_unit_unknown", unit = &unit));
                };
                let registry = open_registry(&db, DEFAULT_DB, load_standards(&[])?).await?;
                let r = registry
                    .unscoped()
                    .support_export(&giamngheo_app::support::SupportQuery {
                        unit: code.to_string(),
                        kind,
                        year,
                        ..Default::default()
                    })
                    .await;
                let programs = registry.programs().clone();
                registry.close().await;
                let rows = r?;
                if giamngheo_survey::source::is_xlsx(&out) {
                    giamngheo_app::support::write_export(&out, &programs, &rows)?;
                } else {
                    std::fs::write(&out, giamngheo_app::money::csv_bytes(&rows)?)?;
                }
                eprintln!(
                    "{}",
                    msg!("cli_money_exported", rows = rows.len().saturating_sub(1), path = out.display())
                );
                Ok(ExitCode::SUCCESS)
            }
            SupportAction::ExportModels { unit, out, db } => {
                let Some(code) = UnitCode::parse(&unit) else {
                    bail!("{}", msg!("money_unit_unknown", unit = &unit));
                };
                let registry = open_registry(&db, DEFAULT_DB, load_standards(&[])?).await?;
                let r = registry.unscoped().models_export(&code).await;
                let programs = registry.programs().clone();
                registry.close().await;
                let e = r?;
                if giamngheo_survey::source::is_xlsx(&out) {
                    giamngheo_app::models::write_models_workbook(&out, &programs, &e)?;
                } else {
                    std::fs::write(&out, giamngheo_app::money::csv_bytes(&e.models)?)?;
                    let stem = out.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_default();
                    let beside = out.with_file_name(format!("{stem}-thanh-vien.csv"));
                    std::fs::write(&beside, giamngheo_app::money::csv_bytes(&e.participants)?)?;
                }
                eprintln!(
                    "{}",
                    msg!(
                        "cli_money_exported",
                        rows = e.models.len() + e.participants.len() - 2,
                        path = out.display()
                    )
                );
                Ok(ExitCode::SUCCESS)
            }
            SupportAction::Outcomes { unit, db } => {
                let Some(code) = UnitCode::parse(&unit) else {
                    bail!("{}", msg!("money_unit_unknown", unit = &unit));
                };
                let registry = open_registry(&db, DEFAULT_DB, load_standards(&[])?).await?;
                let r = registry.unscoped().outcomes(&code).await;
                registry.close().await;
                println!("item\tkind\trecords\thouseholds\tpoor_before\treviewed\tleft_poverty\tescape_rate\tcomparable\tcomparable_rate\tstate_cost\tcost_per_escaped");
                let f = |v: Option<f64>| v.map(|r| format!("{r:.2}")).unwrap_or_default();
                for o in r? {
                    println!(
                        "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                        o.item.unwrap_or_default(),
                        o.kind,
                        o.records,
                        o.results.households,
                        o.results.poor_before,
                        o.results.reviewed,
                        o.results.left_poverty,
                        f(o.escape_rate),
                        o.comparable,
                        f(o.comparable_rate),
                        o.state_cost,
                        o.cost_per_escaped.map(|c| c.to_string()).unwrap_or_default()
                    );
                }
                Ok(ExitCode::SUCCESS)
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
