//! `giamngheo serve`: the web application, on a registry or (with --demo) on a demonstration
//! registry made on first start.

use crate::args::{load_standards, open_registry, runtime, DbArgs, DEFAULT_DB};
use crate::demo;
use anyhow::{Context, Result};
use giamngheo_rules::msg;
use std::process::ExitCode;

/// The demonstration registry's file unless told otherwise.
const DEMO_DB: &str = "giamngheo-demo.db";

#[derive(clap::Args)]
pub struct ServeArgs {
    /// Create and use a demonstration registry (default file giamngheo-demo.db).
    #[arg(long)]
    demo: bool,
    #[command(flatten)]
    db: DbArgs,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "HOST:PORT")]
    addr: String,
    /// Mark cookies `Secure` and send HSTS: the site is reached over HTTPS (through a
    /// reverse proxy).
    #[arg(long)]
    secure_cookies: bool,
    /// The address of a reverse proxy in front of the server (repeatable): for requests
    /// from it, the client is the address its `X-Forwarded-For` names. From any other peer,
    /// that header is ignored.
    #[arg(long, value_name = "IP")]
    trusted_proxy: Vec<std::net::IpAddr>,
}

pub fn run(a: ServeArgs) -> Result<ExitCode> {
    let standards = load_standards(&[])?;
    let default = if a.demo { DEMO_DB } else { DEFAULT_DB };
    let db = a.db.url(default);
    runtime()?.block_on(async {
        let registry = open_registry(&a.db, default, standards).await?;
        if a.demo {
            if registry.unscoped().counts().await?.households == 0 {
                eprintln!("{}", msg!("cli_demo_building", db = &db));
                demo::build(&registry, demo::PROVINCE, 20_000, (2022, 2025), 1).await?;
            }
            demo::users(&registry).await?;
            let province = giamngheo_rules::UnitCode::parse(demo::PROVINCE);
            let has_money = match &province {
                Some(p) => !registry.unscoped().money_years(p).await?.is_empty(),
                None => true,
            };
            if !has_money {
                demo::money(&registry, demo::PROVINCE, (2022, 2026)).await?;
            }
            if registry.unscoped().support_count().await? == 0 {
                demo::support(&registry, demo::PROVINCE).await?;
            }
        }
        let users = registry.unscoped().users().await?.len();
        let mut state = giamngheo_web::AppState::new(registry);
        state.secure_cookies = a.secure_cookies;
        state.trusted_proxies = std::sync::Arc::new(a.trusted_proxy);
        let addr = &a.addr;
        println!("{}", msg!("cli_running", addr = addr, db = &db));
        if a.demo {
            println!("{}", msg!("cli_demo_logins", password = demo::PASSWORD));
        } else if users == 0 {
            println!("{}", msg!("cli_no_users", db = &db));
        }
        giamngheo_web::serve(state, addr)
            .await
            .with_context(|| msg!("cli_cannot_serve", addr = addr))?;
        anyhow::Ok(ExitCode::SUCCESS)
    })
}
