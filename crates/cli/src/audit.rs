//! `giamngheo audit`: the audit log's chain, its head exported, the log checked against it.

use crate::args::{load_standards, open_registry, runtime, DbArgs, DEFAULT_DB};
use anyhow::{bail, Context, Result};
use clap::Subcommand;
use giamngheo_app::records::{Anchor, AuditHead};
use giamngheo_rules::msg;
use std::path::PathBuf;
use std::process::ExitCode;

pub fn run(action: AuditAction) -> Result<ExitCode> {
    runtime()?.block_on(audit_command(action))
}

#[derive(Subcommand)]
pub enum AuditAction {
    /// Print the log's last entry (id, hash, time) as JSON, to keep outside the system.
    Head {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Check the log's hash chain and, with --head, that the log still holds the exported head
    /// unchanged (entries removed or altered up to it are found). Exit status 1 when it does not.
    Verify {
        /// A head exported by `audit head` (or downloaded from the audit page).
        #[arg(long, value_name = "FILE")]
        head: Option<PathBuf>,
        #[command(flatten)]
        db: DbArgs,
    },
}

async fn audit_command(action: AuditAction) -> Result<ExitCode> {
    let standards = load_standards(&[])?;
    match action {
        AuditAction::Head { db } => {
            let registry = open_registry(&db, DEFAULT_DB, standards).await?;
            let head = registry.unscoped().audit_head().await?;
            registry.close().await;
            let json = AuditHead::export(head.as_ref());
            println!("{json}");
            Ok(ExitCode::SUCCESS)
        }
        AuditAction::Verify { head, db } => {
            let registry = open_registry(&db, DEFAULT_DB, standards).await?;
            let store = registry.unscoped();
            let mut sound = true;
            match store.verify_audit_log().await? {
                Ok(n) => println!("{}", msg!("cli_chain_intact", n = n)),
                Err(id) => {
                    println!("{}", msg!("cli_chain_broken", id = id));
                    sound = false;
                }
            }
            if let Some(path) = head {
                let text = std::fs::read_to_string(&path)
                    .with_context(|| msg!("cli_cannot_read", path = path.display()))?;
                let v: serde_json::Value = serde_json::from_str(&text)
                    .with_context(|| msg!("cli_not_a_head", path = path.display()))?;
                let (Some(id), Some(hash)) = (v["id"].as_i64(), v["hash"].as_str()) else {
                    bail!("{}", msg!("cli_head_fields", path = path.display()));
                };
                if id > 0 {
                    match store.verify_audit_anchor(id, hash).await? {
                        Anchor::Holds => {
                            println!("{}", msg!("cli_anchor_holds", id = id))
                        }
                        Anchor::Missing => {
                            println!("{}", msg!("cli_anchor_missing", id = id));
                            sound = false;
                        }
                        Anchor::Differs => {
                            println!("{}", msg!("cli_anchor_differs", id = id));
                            sound = false;
                        }
                    }
                }
            }
            registry.close().await;
            Ok(if sound {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
    }
}
