//! `giamngheo demo`, and the demonstration registry of `serve --demo`: a synthetic province
//! followed over the years, and one user of each role.

use crate::args::{load_standards, open_registry, parse_years, runtime, DbArgs, DEFAULT_DB};
use crate::import::import_files;
use anyhow::{bail, Result};
use giamngheo_app::access::Role;
use giamngheo_app::import::ImportOptions;
use giamngheo_app::{NewAccount, Registry};
use giamngheo_rules::{msg, UnitCode};
use giamngheo_survey::synth::{Panel, SynthOptions};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct DemoArgs {
    /// Province code, e.g. 11 for Điện Biên, 14 for Sơn La.
    #[arg(long)]
    province: String,
    #[arg(long, default_value_t = 20_000)]
    households: u64,
    #[arg(long, default_value = "2022..2025", value_parser = parse_years)]
    years: (i32, i32),
    #[arg(long, default_value_t = 1)]
    seed: u64,
    #[command(flatten)]
    db: DbArgs,
}

pub fn run(a: DemoArgs) -> Result<ExitCode> {
    let standards = load_standards(&[])?;
    let (first, last) = a.years;
    runtime()?.block_on(async {
        let registry = open_registry(&a.db, DEFAULT_DB, standards).await?;
        let built = build(&registry, &a.province, a.households, a.years, a.seed).await;
        registry.close().await;
        built
    })?;
    println!(
        "{}",
        msg!(
            "cli_demo_try",
            db = a.db.url(DEFAULT_DB),
            unit = &a.province,
            from = first,
            to = last
        )
    );
    Ok(ExitCode::SUCCESS)
}

/// Fills a registry with a synthetic province followed over the years.
pub async fn build(
    registry: &Registry,
    province: &str,
    households: u64,
    (first, last): (i32, i32),
    seed: u64,
) -> Result<()> {
    let dir = tempfile::tempdir()?;
    let mut panel = Panel::new(&SynthOptions {
        households,
        province: Some(province.to_string()),
        year: first,
        seed,
    })?;
    loop {
        let d = dir.path().join(panel.year().to_string());
        std::fs::create_dir_all(&d)?;
        let mut h = BufWriter::new(File::create(d.join("households.csv"))?);
        let mut m = BufWriter::new(File::create(d.join("members.csv"))?);
        panel.write(&mut h, &mut m)?;
        h.flush()?;
        m.flush()?;
        drop((h, m));
        let code = import_files(registry, &ImportOptions::year(panel.year()), &[d], false).await?;
        if code != ExitCode::SUCCESS {
            bail!("{}", msg!("cli_demo_failed", year = panel.year()));
        }
        if panel.year() >= last {
            break;
        }
        panel.advance();
    }
    Ok(())
}

/// The demonstration's users: one of each role, all with the same password.
pub const PASSWORD: &str = "giamngheo2025";
/// The demonstration's province (Điện Biên) and the commune officer's commune (Mường Phăng).
pub const PROVINCE: &str = "11";
const COMMUNE: &str = "03325";

/// Creates the demonstration's users that are not there yet.
pub async fn users(registry: &Registry) -> Result<()> {
    let existing: Vec<String> = registry
        .unscoped()
        .users()
        .await?
        .into_iter()
        .map(|u| u.name)
        .collect();
    for (name, full_name, role, unit) in [
        ("admin", "Quản trị hệ thống", Role::Administrator, None),
        (
            "tinh",
            "Cán bộ Sở (Điện Biên)",
            Role::ProvincialOfficer,
            Some(PROVINCE),
        ),
        (
            "xa",
            "Cán bộ xã Mường Phăng",
            Role::CommuneOfficer,
            Some(COMMUNE),
        ),
        (
            "lanhdao",
            "Lãnh đạo tỉnh Điện Biên",
            Role::Leader,
            Some(PROVINCE),
        ),
        (
            "thanhtra",
            "Thanh tra tỉnh Điện Biên",
            Role::Inspector,
            Some(PROVINCE),
        ),
    ] {
        if existing.iter().any(|e| e == name) {
            continue;
        }
        registry
            .unscoped()
            .add_user(&NewAccount {
                name: name.into(),
                full_name: full_name.into(),
                role,
                unit: unit.and_then(UnitCode::parse),
                password: PASSWORD.into(),
            })
            .await?;
    }
    Ok(())
}

/// Fills the demonstration's money (see `giamngheo_app::money_demo`).
pub async fn money(registry: &Registry, province: &str, years: (i32, i32)) -> Result<()> {
    let today = giamngheo_rules::chrono::Utc::now().date_naive();
    giamngheo_app::money_demo::fill(registry, province, years, today)
        .await
        .map_err(|e| anyhow::anyhow!("{}", refusal(e)))
}

/// Fills the demonstration's support to households (see `giamngheo_app::support_demo`): the
/// reviews of 2022-2025 in the province's first eight communes; its models and projects; and
/// its targets.
pub async fn support(registry: &Registry, province: &str) -> Result<()> {
    let today = giamngheo_rules::chrono::Utc::now().date_naive();
    giamngheo_app::support_demo::fill(registry, province, (2022, 2025), 8, today)
        .await
        .map_err(|e| anyhow::anyhow!("{}", refusal(e)))?;
    giamngheo_app::support_demo::models(registry, province, today)
        .await
        .map_err(|e| anyhow::anyhow!("{}", refusal(e)))?;
    giamngheo_app::support_demo::targets(registry, province)
        .await
        .map_err(|e| anyhow::anyhow!("{}", refusal(e)))
}

fn refusal(e: giamngheo_app::QueryError) -> String {
    match e {
        giamngheo_app::QueryError::Rejected(rows) => rows
            .iter()
            .take(5)
            .map(|r| r.to_string())
            .collect::<Vec<_>>()
            .join("; "),
        e => e.to_string(),
    }
}
