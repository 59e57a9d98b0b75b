//! `giamngheo user`: the web application's users, added, given a new password, listed.

use crate::args::{load_standards, open_registry, runtime, DbArgs, DEFAULT_DB};
use anyhow::{bail, Result};
use clap::Subcommand;
use giamngheo_app::access::Role;
use giamngheo_app::NewAccount;
use giamngheo_rules::{msg, UnitCode};
use std::io;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum UserAction {
    /// Create a user. The password is read from standard input (one line).
    Add {
        name: String,
        /// administrator, provincial_officer, commune_officer, leader or inspector.
        #[arg(long)]
        role: String,
        /// The user's unit: a province (2 digits) or commune (5 digits) code of 2025; none for
        /// the whole country.
        #[arg(long)]
        unit: Option<String>,
        #[arg(long, default_value = "")]
        full_name: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Set a user's password (read from standard input); their sessions are closed.
    Passwd {
        name: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// List the users.
    List {
        #[command(flatten)]
        db: DbArgs,
    },
}

/// Reads a password (one line) from standard input.
fn read_password() -> Result<String> {
    if io::IsTerminal::is_terminal(&io::stdin()) {
        eprint!("{}", msg!("cli_password_prompt"));
    }
    let mut line = String::new();
    io::stdin().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

pub fn run(action: UserAction) -> Result<ExitCode> {
    let standards = load_standards(&[])?;
    runtime()?.block_on(async {
        match action {
            UserAction::Add {
                name,
                role,
                unit,
                full_name,
                db,
            } => {
                let Some(role) = Role::from_code(&role) else {
                    bail!("{}", msg!("cli_unknown_role", role = &role));
                };
                let unit = match unit.as_deref() {
                    Some(u) => match UnitCode::parse(u) {
                        Some(u) => Some(u),
                        None => bail!("{}", msg!("cli_unknown_user_unit", unit = u)),
                    },
                    None => None,
                };
                // the role's rule first, before a password is asked for
                role.takes_unit(unit.as_ref())
                    .map_err(|e| anyhow::anyhow!("{e} (--unit)"))?;
                let password = read_password()?;
                let registry = open_registry(&db, DEFAULT_DB, standards).await?;
                let id = registry
                    .unscoped()
                    .add_user(&NewAccount {
                        name: name.clone(),
                        full_name,
                        role,
                        unit,
                        password,
                    })
                    .await?;
                registry.close().await;
                println!("{}", msg!("cli_user_created", name = &name, id = id));
            }
            UserAction::Passwd { name, db } => {
                let password = read_password()?;
                let registry = open_registry(&db, DEFAULT_DB, standards).await?;
                registry.unscoped().set_password(&name, &password).await?;
                registry.close().await;
                println!("{}", msg!("cli_password_changed", name = &name));
            }
            UserAction::List { db } => {
                let registry = open_registry(&db, DEFAULT_DB, standards).await?;
                for u in registry.unscoped().users().await? {
                    println!(
                        "{}\t{}\t{}\t{}\t{}",
                        u.name,
                        u.role,
                        u.unit_code.as_deref().unwrap_or("-"),
                        if u.active {
                            msg!("cli_active")
                        } else {
                            msg!("cli_inactive")
                        },
                        u.full_name
                    );
                }
                registry.close().await;
            }
        }
        anyhow::Ok(ExitCode::SUCCESS)
    })
}
