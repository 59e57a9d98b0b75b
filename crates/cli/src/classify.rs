//! `giamngheo classify`: survey files in, one classification record per household out.

use crate::args::load_standards;
use anyhow::{bail, Context, Result};
use clap::ValueEnum;
use giamngheo_app::classify::{classify_with_progress, ClassifyOptions};
use giamngheo_rules::{msg, Standards};
use giamngheo_survey::output::{BackgroundWriter, Format};
use indicatif::{ProgressBar, ProgressStyle};
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Clone, Copy, ValueEnum)]
pub enum OutFormat {
    Csv,
    Json,
}

#[derive(clap::Args)]
pub struct ClassifyArgs {
    /// Households file: CSV, or an XLSX workbook with sheets `households` and `members`.
    #[arg(long, value_name = "FILE")]
    households: PathBuf,
    /// Members file (CSV or XLSX); a workbook's `members` sheet is used when not given.
    #[arg(long, value_name = "FILE")]
    members: Option<PathBuf>,
    /// Apply this standard (e.g. vn-2022-2025) instead of choosing it by survey year.
    #[arg(long, value_name = "ID")]
    standard: Option<String>,
    /// Also load a standard from this TOML file (e.g. a provincial standard).
    #[arg(long = "standard-file", value_name = "FILE")]
    standard_files: Vec<PathBuf>,
    /// Output format of the records (and of the summary: json, or text otherwise).
    #[arg(long, value_enum, default_value = "csv")]
    format: OutFormat,
    /// Write the records to this file instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Classify the valid households even when others are rejected.
    #[arg(long)]
    keep_going: bool,
    /// Print counts, rates and Alkire-Foster figures by urban/rural on standard output
    /// (records then go only to --output, when given).
    #[arg(long)]
    summary: bool,
    /// Alkire-Foster poverty cut-off for the summary: deprived in at least K indicators.
    #[arg(long, default_value_t = 3, value_name = "K")]
    k: u32,
}

pub fn run(a: ClassifyArgs) -> Result<ExitCode> {
    let standards = load_standards(&a.standard_files)?;
    let opts = ClassifyOptions {
        households: a.households,
        members: a.members,
        standard: a.standard,
        format: match a.format {
            OutFormat::Csv => Format::Csv,
            OutFormat::Json => Format::Json,
        },
        keep_going: a.keep_going,
        k: a.k,
    };
    run_classify(&standards, &opts, a.output.as_deref(), a.summary, a.format)
}

/// Where records go: a temporary file that becomes the output only when the run succeeds (or
/// --keep-going is given), so a failed run never leaves half an output behind.
enum Sink {
    Discard,
    Stdout,
    File(File),
    Staged {
        tmp: tempfile::NamedTempFile,
        dest: Option<PathBuf>,
    },
}

fn run_classify(
    standards: &Standards,
    opts: &ClassifyOptions,
    output: Option<&Path>,
    summary: bool,
    format: OutFormat,
) -> Result<ExitCode> {
    let sink = match (output, summary, opts.keep_going) {
        (None, true, _) => Sink::Discard,
        (None, false, true) => Sink::Stdout,
        (Some(p), _, true) => Sink::File(
            File::create(p).with_context(|| msg!("cli_cannot_create", path = p.display()))?,
        ),
        (dest, _, false) => {
            let dir = match dest.and_then(Path::parent) {
                Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
                Some(_) => PathBuf::from("."),
                None => std::env::temp_dir(),
            };
            let tmp = tempfile::NamedTempFile::new_in(&dir)
                .with_context(|| msg!("cli_cannot_write_in", path = dir.display()))?;
            Sink::Staged {
                tmp,
                dest: dest.map(Path::to_path_buf),
            }
        }
    };
    // a progress bar on a terminal (indicatif draws nothing otherwise); error lines are written
    // around it
    let bar = ProgressBar::new(0).with_style(
        ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {elapsed} ({eta} left)")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let mut err = BufWriter::new(AroundBar {
        bar: &bar,
        out: io::stderr(),
    });
    let mut on_progress = |done: u64, all: u64| {
        if all > 0 {
            bar.set_length(all);
            bar.set_position(done);
        }
    };
    // records to a file, written on a thread of their own
    let to_file = |file: File, err: &mut dyn Write, progress: &mut dyn FnMut(u64, u64)| {
        let (mut w, r) =
            classify_with_progress(standards, opts, BackgroundWriter::new(file), err, progress)?;
        w.finish().context(msg!("cli_output_failed"))?;
        anyhow::Ok(r)
    };
    let (report, sink) = match sink {
        Sink::Discard => {
            let (_, r) =
                classify_with_progress(standards, opts, io::sink(), &mut err, &mut on_progress)?;
            (r, None)
        }
        Sink::Stdout => {
            let out = BufWriter::with_capacity(1 << 20, io::stdout().lock());
            let (_, r) = classify_with_progress(standards, opts, out, &mut err, &mut on_progress)?;
            (r, None)
        }
        Sink::File(file) => (to_file(file, &mut err, &mut on_progress)?, None),
        Sink::Staged { tmp, dest } => {
            let r = to_file(tmp.reopen()?, &mut err, &mut on_progress)?;
            (r, Some((tmp, dest)))
        }
    };
    bar.finish_and_clear();
    if report.members_buffered {
        writeln!(err, "{}", msg!("cli_members_buffered"))?;
    }
    let failed = report.errors > 0;
    if let Some((tmp, dest)) = sink {
        if !failed {
            match dest {
                Some(d) => {
                    tmp.persist(&d)
                        .with_context(|| msg!("cli_cannot_write", path = d.display()))?;
                }
                None => {
                    let mut f = tmp.reopen()?;
                    let mut out = io::stdout().lock();
                    io::copy(&mut f, &mut out)?;
                    out.flush()?;
                }
            }
        }
    }
    if summary {
        let mut out = io::stdout().lock();
        match format {
            OutFormat::Json => writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&report.summary.to_json())?
            )?,
            OutFormat::Csv => write!(out, "{}", report.summary.to_text())?,
        }
    }
    if failed {
        let counts = msg!(
            "cli_classify_failed",
            errors = report.errors,
            rejected = report.rejected,
            classified = report.classified
        );
        if opts.keep_going || summary && output.is_none() {
            writeln!(err, "{counts}")?;
        } else {
            writeln!(err, "{counts}; {}", msg!("cli_no_records_written"))?;
        }
        err.flush()?;
        return Ok(ExitCode::from(1));
    }
    if report.classified == 0 && report.rejected == 0 {
        err.flush()?;
        bail!(
            "{}",
            msg!("cli_no_household_in", file = opts.households.display())
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Standard error, written around a progress bar.
struct AroundBar<'a> {
    bar: &'a ProgressBar,
    out: io::Stderr,
}

impl Write for AroundBar<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.bar.suspend(|| self.out.write(buf))
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}
