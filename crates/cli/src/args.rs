//! What several commands take: the database (one flattened group of arguments), the standards,
//! a span of years, and the async runtime.

use anyhow::{Context, Result};
use giamngheo_app::records::StoreOptions;
use giamngheo_app::Registry;
use giamngheo_rules::{msg, Standard, Standards};
use std::path::PathBuf;

/// The registry's database, for every command that reads or writes it.
#[derive(clap::Args, Debug, Clone)]
pub struct DbArgs {
    /// The database: a SQLite file (default giamngheo.db; giamngheo-demo.db for serve --demo)
    /// or postgres://...
    #[arg(long, value_name = "URL")]
    pub db: Option<String>,
    /// SQLite's page cache per connection, in KiB (a large import re-reads its own pages with
    /// less; a small machine may want less).
    #[arg(
        long,
        env = "GIAMNGHEO_SQLITE_CACHE_KIB",
        value_name = "KIB",
        default_value_t = StoreOptions::DEFAULT_SQLITE_CACHE_KIB
    )]
    pub sqlite_cache_kib: u64,
}

impl DbArgs {
    /// The database's URL: the one given, or `default`.
    pub fn url(&self, default: &str) -> String {
        self.db.clone().unwrap_or_else(|| default.to_string())
    }

    pub fn options(&self, default: &str) -> StoreOptions {
        StoreOptions {
            url: self.url(default),
            sqlite_cache_kib: self.sqlite_cache_kib,
        }
    }
}

/// The database every command uses unless told otherwise.
pub const DEFAULT_DB: &str = "giamngheo.db";

/// Opens the registry; says so on standard error when it was new and got its reference data.
pub async fn open_registry(db: &DbArgs, default: &str, standards: Standards) -> Result<Registry> {
    let url = db.url(default);
    let (registry, loaded) = Registry::open(&db.options(default), standards)
        .await
        .with_context(|| msg!("cli_cannot_open_registry", db = &url))?;
    if loaded {
        eprintln!("{}", msg!("cli_new_registry", db = &url));
    }
    Ok(registry)
}

/// The built-in standards and those of the files given.
pub fn load_standards(files: &[PathBuf]) -> Result<Standards> {
    let mut list: Vec<Standard> = Standards::builtin()?.all().to_vec();
    for f in files {
        let text = std::fs::read_to_string(f)
            .with_context(|| msg!("cli_cannot_read", path = f.display()))?;
        list.push(Standard::from_toml(&f.display().to_string(), &text)?);
    }
    Ok(Standards::new(list)?)
}

/// `2025` or `2022..2025`.
pub fn parse_years(s: &str) -> Result<(i32, i32), String> {
    let year = |y: &str| {
        y.trim()
            .parse::<i32>()
            .ok()
            .filter(|y| (1900..=2100).contains(y))
            .ok_or_else(|| format!("`{y}` is not a year"))
    };
    let (a, b) = match s.split_once("..") {
        Some((a, b)) => (year(a)?, year(b)?),
        None => (year(s)?, year(s)?),
    };
    if a > b {
        return Err(format!("{a} is after {b}"));
    }
    Ok((a, b))
}

/// The runtime the database's driver runs on.
pub fn runtime() -> Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Runtime::new()?)
}
