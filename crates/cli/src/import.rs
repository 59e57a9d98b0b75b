//! `giamngheo import`: survey files of a review year into the registry, one transaction each.

use crate::args::{load_standards, open_registry, runtime, DbArgs, DEFAULT_DB};
use anyhow::Result;
use giamngheo_app::import::{FileOutcome, ImportOptions, SurveyFiles};
use giamngheo_app::Registry;
use giamngheo_rules::msg;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct ImportArgs {
    /// The review year the files are for.
    #[arg(long)]
    year: i32,
    #[command(flatten)]
    db: DbArgs,
    /// Apply this standard instead of the year's.
    #[arg(long, value_name = "ID")]
    standard: Option<String>,
    /// Also load a standard from this TOML file.
    #[arg(long = "standard-file", value_name = "FILE")]
    standard_files: Vec<PathBuf>,
    /// The files give pre-2025 commune codes (a year recorded before the 2025 reform): each
    /// household is stored under the 2025 commune the crosswalk maps its commune to.
    #[arg(long)]
    legacy_units: bool,
    /// Check the files as an import would (every row, and the registry's conflicts), store
    /// nothing.
    #[arg(long)]
    check: bool,
    /// The year was decided before it came in: record each household as decided by its
    /// commune's chairman, with the decision in the `x_decision_number` and `x_decision_date`
    /// columns or given below.
    #[arg(long)]
    decided: bool,
    /// The decision's number for the rows that do not give one (implies --decided).
    #[arg(long, value_name = "NUMBER")]
    decision: Option<String>,
    /// The decision's date, YYYY-MM-DD, for the rows that do not give one (implies --decided).
    #[arg(long = "decided-on", value_name = "DATE")]
    decided_on: Option<giamngheo_rules::NaiveDate>,
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
}

pub fn run(a: ImportArgs) -> Result<ExitCode> {
    let standards = load_standards(&a.standard_files)?;
    let opts = ImportOptions {
        standard: a.standard,
        legacy_units: a.legacy_units,
        dry_run: a.check,
        decided: (a.decided || a.decision.is_some() || a.decided_on.is_some()).then(|| {
            giamngheo_app::import::Decided {
                number: a.decision.clone(),
                on: a.decided_on,
            }
        }),
        ..ImportOptions::year(a.year)
    };
    runtime()?.block_on(async {
        let registry = open_registry(&a.db, DEFAULT_DB, standards).await?;
        let code = import_files(&registry, &opts, &a.files, true).await;
        registry.close().await;
        code
    })
}

/// Imports each file as its own transaction and says what became of it; exit status 1 when any
/// was refused. Without `verbose_warnings`, warnings are counted, not listed (the demonstration's
/// synthetic names make a few).
pub async fn import_files(
    registry: &Registry,
    opts: &ImportOptions,
    files: &[PathBuf],
    verbose_warnings: bool,
) -> Result<ExitCode> {
    let year = opts.year;
    let surveys = files
        .iter()
        .map(|f| SurveyFiles::find(f).map_err(|m| anyhow::anyhow!("{m}")))
        .collect::<Result<Vec<_>>>()?;
    let mut failed = false;
    for survey in &surveys {
        let bar = ProgressBar::new(0).with_style(
            ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {elapsed} ({eta} left)")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        let mut on_progress = |done: u64, all: u64| {
            if all > 0 {
                bar.set_length(all);
                bar.set_position(done);
            }
        };
        let report = registry
            .unscoped()
            .import_survey(opts, survey, &mut on_progress)
            .await?;
        bar.finish_and_clear();
        let mut err = io::stderr().lock();
        for e in &report.errors {
            writeln!(err, "{e}")?;
        }
        if verbose_warnings {
            for w in &report.warnings {
                writeln!(err, "{}", msg!("cli_warning", message = w))?;
            }
        } else if !report.warnings.is_empty() {
            writeln!(
                err,
                "{}",
                msg!("cli_warnings_counted", n = report.warnings.len())
            )?;
        }
        let name = survey.households.display();
        match report.outcome {
            FileOutcome::Imported {
                import_id,
                households,
                members,
            } => println!(
                "{}",
                msg!(
                    "cli_imported",
                    file = &name,
                    households = households,
                    members = members,
                    year = year,
                    import = import_id
                )
            ),
            FileOutcome::AlreadyImported { import_id } => {
                println!(
                    "{}",
                    msg!(
                        "cli_already_imported",
                        file = &name,
                        year = year,
                        import = import_id
                    )
                )
            }
            FileOutcome::Checked {
                households,
                members,
            } => println!(
                "{}",
                msg!(
                    "cli_checked",
                    file = &name,
                    households = households,
                    members = members,
                    year = year
                )
            ),
            FileOutcome::Rejected { errors } => {
                failed = true;
                println!(
                    "{}",
                    msg!("cli_not_imported", file = &name, errors = errors)
                );
            }
        }
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
