//! `giamngheo synth`: a synthetic survey in the exchange format, followed over years.

use crate::args::parse_years;
use anyhow::{Context, Result};
use giamngheo_rules::msg;
use giamngheo_survey::synth::{Panel, SynthOptions};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct SynthArgs {
    /// Households in the first year.
    #[arg(long, default_value_t = 10_000)]
    households: u64,
    /// Province code (e.g. 11 for Điện Biên); all provinces when not given.
    #[arg(long)]
    province: Option<String>,
    /// Review year, or a span of years FIRST..LAST.
    #[arg(long, default_value = "2025", value_parser = parse_years)]
    years: (i32, i32),
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Directory to write households.csv and members.csv into.
    #[arg(long, value_name = "DIR")]
    out_dir: PathBuf,
}

pub fn run(a: SynthArgs) -> Result<ExitCode> {
    let (first, last) = a.years;
    let mut panel = Panel::new(&SynthOptions {
        households: a.households,
        province: a.province,
        year: first,
        seed: a.seed,
    })?;
    loop {
        let dir = if first == last {
            a.out_dir.clone()
        } else {
            a.out_dir.join(panel.year().to_string())
        };
        std::fs::create_dir_all(&dir)
            .with_context(|| msg!("cli_cannot_create", path = dir.display()))?;
        let create = |name: &str| -> Result<BufWriter<File>> {
            let p = dir.join(name);
            Ok(BufWriter::with_capacity(
                1 << 20,
                File::create(&p).with_context(|| msg!("cli_cannot_create", path = p.display()))?,
            ))
        };
        let (mut h, mut m) = (create("households.csv")?, create("members.csv")?);
        let members = panel.write(&mut h, &mut m)?;
        h.flush()?;
        m.flush()?;
        eprintln!(
            "{}",
            msg!(
                "cli_synth_wrote",
                year = panel.year(),
                households = panel.households(),
                members = members,
                path = dir.display()
            )
        );
        if panel.year() >= last {
            break;
        }
        panel.advance();
    }
    Ok(ExitCode::SUCCESS)
}
