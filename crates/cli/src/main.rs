//! `giamngheo`: the command line of the poverty reduction system.

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use giamngheo_app::classify::{classify_with_progress, ClassifyOptions};
use giamngheo_app::import::ImportOptions;
use giamngheo_rules::{Standard, Standards};
use giamngheo_survey::output::{BackgroundWriter, Format};
use giamngheo_survey::synth::{Panel, SynthOptions};
use indicatif::{ProgressBar, ProgressStyle};
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

// The survey pipeline allocates on one thread and frees on another: mimalloc keeps that cheap.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "giamngheo",
    version,
    about = "Sustainable poverty reduction: classify, review and report households under the national multidimensional poverty standard"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum ReportFormat {
    Table,
    Csv,
    Json,
    /// A workbook (needs --output FILE.xlsx).
    Xlsx,
}

#[derive(Clone, Copy, ValueEnum)]
enum OutFormat {
    Csv,
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web application (pages in Vietnamese and English, and the JSON API).
    ///
    /// With --demo, a demonstration registry is created on first start (a synthetic Điện Biên,
    /// 2022-2025) with one user of each role, and the URL and logins are printed.
    Serve {
        /// Create and use a demonstration registry (default file giamngheo-demo.db).
        #[arg(long)]
        demo: bool,
        /// The database: a SQLite file (default giamngheo.db, or giamngheo-demo.db with --demo)
        /// or postgres://...
        #[arg(long, value_name = "URL")]
        db: Option<String>,
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
    },
    /// The audit log's chain: export its head, or check the log (against a head exported
    /// earlier).
    Audit {
        #[command(subcommand)]
        action: AuditAction,
    },
    /// Manage the web application's users.
    User {
        #[command(subcommand)]
        action: UserAction,
    },
    /// Classify the households of survey files (exchange format) under the poverty standard.
    ///
    /// Writes one record per household in input order: household_id, standard, area,
    /// income_line, class, deprivation_count, deprivations. Bad values are reported on standard
    /// error as FILE:ROW: column: message, and the exit status is 1; without --keep-going no
    /// record is written then.
    Classify {
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
    },
    /// Import survey files of a review year into the registry (created on first use).
    ///
    /// Each FILE is a workbook with sheets `households` and `members`, a directory holding
    /// households.csv and members.csv, or a households CSV whose members file has the same name
    /// with `members` in place of `households`. Each file is one transaction: a file with any
    /// bad row is not imported at all, and every error is listed. A file already imported for
    /// the year is recognised and left alone.
    Import {
        /// The review year the files are for.
        #[arg(long)]
        year: i32,
        /// The database: a SQLite file (default giamngheo.db) or postgres://...
        #[arg(long, default_value = "giamngheo.db", value_name = "URL")]
        db: String,
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
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// A unit's poverty figures over a span of years: rates, change, average annual decrease,
    /// ethnic-minority households, the deprivations of the poor, and a line per commune.
    Report {
        /// Province (2-digit) or commune (5-digit) code of 2025.
        #[arg(long)]
        unit: String,
        #[arg(long)]
        from: i32,
        #[arg(long)]
        to: i32,
        #[arg(long, value_enum, default_value = "table")]
        format: ReportFormat,
        /// Target decrease of the poverty rate in points a year, to report its achievement.
        #[arg(long, value_name = "POINTS")]
        target_points: Option<f64>,
        #[arg(long, default_value = "giamngheo.db", value_name = "URL")]
        db: String,
        /// Write to this file instead of standard output.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Write a unit's assessments of a year back out in the survey exchange format: the
    /// households.csv and members.csv files into a directory, or one .xlsx workbook.
    Export {
        #[arg(long)]
        year: i32,
        /// Province (2-digit) or commune (5-digit) code of 2025.
        #[arg(long)]
        unit: String,
        #[arg(long, default_value = "giamngheo.db", value_name = "URL")]
        db: String,
        /// A directory for the two CSV files, or a file ending in .xlsx for a workbook.
        #[arg(short, long, value_name = "DIR|FILE.xlsx")]
        output: PathBuf,
    },
    /// Fill a registry with a synthetic province followed over several years (for trying the
    /// system): its real communes, households with members, poverty falling year by year.
    Demo {
        /// Province code, e.g. 11 for Điện Biên, 14 for Sơn La.
        #[arg(long)]
        province: String,
        #[arg(long, default_value_t = 20_000)]
        households: u64,
        #[arg(long, default_value = "2022..2025", value_parser = parse_years)]
        years: (i32, i32),
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long, default_value = "giamngheo.db", value_name = "URL")]
        db: String,
    },
    /// Write a synthetic survey (households.csv, members.csv) for tests, benchmarks and demos.
    ///
    /// With a span of years (--years 2022..2025) the same households are followed from year to
    /// year, each year in DIR/YEAR/: people age, incomes grow, houses and latrines are improved,
    /// some households leave and new ones come.
    Synth {
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
    },
}

fn main() -> ExitCode {
    // what the server and the long commands log: structured lines on standard error, at the
    // level RUST_LOG asks (warnings and errors by default)
    tracing_subscriber::fmt()
        .with_writer(io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .init();
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("giamngheo: {e:#}");
            ExitCode::from(1)
        }
    }
}

/// Opens a registry's database with the options of the environment
/// (`GIAMNGHEO_SQLITE_CACHE_KIB`: SQLite's page cache per connection).
async fn open_store(url: &str) -> giamngheo_store::Result<giamngheo_store::Store> {
    let mut options = giamngheo_store::StoreOptions::new(url);
    if let Some(kib) = std::env::var("GIAMNGHEO_SQLITE_CACHE_KIB")
        .ok()
        .and_then(|v| v.trim().parse().ok())
    {
        options.sqlite_cache_kib = kib;
    }
    giamngheo_store::Store::open_with(&options).await
}

/// `2025` or `2022..2025`.
fn parse_years(s: &str) -> Result<(i32, i32), String> {
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

#[derive(Subcommand)]
enum UserAction {
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
        #[arg(long, default_value = "giamngheo.db", value_name = "URL")]
        db: String,
    },
    /// Set a user's password (read from standard input); their sessions are closed.
    Passwd {
        name: String,
        #[arg(long, default_value = "giamngheo.db", value_name = "URL")]
        db: String,
    },
    /// List the users.
    List {
        #[arg(long, default_value = "giamngheo.db", value_name = "URL")]
        db: String,
    },
}

#[derive(Subcommand)]
enum AuditAction {
    /// Print the log's last entry (id, hash, time) as JSON, to keep outside the system.
    Head {
        #[arg(long, default_value = "giamngheo.db", value_name = "URL")]
        db: String,
    },
    /// Check the log's hash chain and, with --head, that the log still holds the exported head
    /// unchanged (entries removed or altered up to it are found). Exit status 1 when it does not.
    Verify {
        /// A head exported by `audit head` (or downloaded from the audit page).
        #[arg(long, value_name = "FILE")]
        head: Option<PathBuf>,
        #[arg(long, default_value = "giamngheo.db", value_name = "URL")]
        db: String,
    },
}

async fn audit_command(action: AuditAction) -> Result<ExitCode> {
    match action {
        AuditAction::Head { db } => {
            let store = open_store(&db).await?;
            let head = store.audit_head().await?;
            let json = giamngheo_store::AuditHead::export(head.as_ref());
            println!("{json}");
            Ok(ExitCode::SUCCESS)
        }
        AuditAction::Verify { head, db } => {
            let store = open_store(&db).await?;
            let mut sound = true;
            match store.verify_audit_log().await? {
                Ok(n) => println!("the hash chain is intact ({n} entries)"),
                Err(id) => {
                    println!("the hash chain breaks at entry {id}");
                    sound = false;
                }
            }
            if let Some(path) = head {
                let text = std::fs::read_to_string(&path)
                    .with_context(|| format!("cannot read {}", path.display()))?;
                let v: serde_json::Value = serde_json::from_str(&text).with_context(|| {
                    format!("{}: not a head exported by `audit head`", path.display())
                })?;
                let (Some(id), Some(hash)) = (v["id"].as_i64(), v["hash"].as_str()) else {
                    bail!("{}: the head needs `id` and `hash`", path.display());
                };
                if id > 0 {
                    match store.verify_audit_anchor(id, hash).await? {
                        giamngheo_store::Anchor::Holds => {
                            println!("entry {id} holds the exported hash: nothing up to it was removed or changed")
                        }
                        giamngheo_store::Anchor::Missing => {
                            println!("entry {id} of the exported head is gone: the log was cut");
                            sound = false;
                        }
                        giamngheo_store::Anchor::Differs => {
                            println!("entry {id} has another hash than the exported head: the log was changed");
                            sound = false;
                        }
                    }
                }
            }
            Ok(if sound {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
    }
}

/// Reads a password (one line) from standard input, at least 8 characters.
fn read_password() -> Result<String> {
    if io::IsTerminal::is_terminal(&io::stdin()) {
        eprint!("password (typed characters are shown): ");
    }
    let mut line = String::new();
    io::stdin().read_line(&mut line)?;
    let p = line.trim_end_matches(['\r', '\n']).to_string();
    if p.chars().count() < 8 {
        bail!("a password needs at least 8 characters");
    }
    Ok(p)
}

/// Checks a new user's role and unit: officers need a unit of the right kind; a unit must exist.
fn check_user(role: &str, unit: Option<&str>) -> Result<()> {
    use giamngheo_app::access::{province_of, Role};
    let Some(r) = Role::from_code(role) else {
        bail!("unknown role `{role}` (administrator, provincial_officer, commune_officer, leader, inspector)");
    };
    match (r, unit) {
        (Role::ProvincialOfficer, Some(u)) if u.len() != 2 => {
            bail!("a provincial officer's unit is a province (2 digits)")
        }
        (Role::CommuneOfficer, Some(u)) if u.len() != 5 => {
            bail!("a commune officer's unit is a commune (5 digits)")
        }
        (r, None) if r.needs_unit() => bail!("a {role} needs --unit"),
        _ => {}
    }
    if let Some(u) = unit {
        if province_of(u).is_none() {
            bail!("unknown unit `{u}` (a 2025 province or commune code)");
        }
    }
    Ok(())
}

/// Fills a registry with a synthetic province followed over the years.
fn build_demo(
    standards: &Standards,
    province: &str,
    households: u64,
    (first, last): (i32, i32),
    seed: u64,
    db: &str,
) -> Result<()> {
    let dir = tempfile::tempdir()?;
    let mut panel = Panel::new(&SynthOptions {
        households,
        province: Some(province.to_string()),
        year: first,
        seed,
    })?;
    let runtime = tokio::runtime::Runtime::new()?;
    loop {
        let d = dir.path().join(panel.year().to_string());
        std::fs::create_dir_all(&d)?;
        let mut h = BufWriter::new(File::create(d.join("households.csv"))?);
        let mut m = BufWriter::new(File::create(d.join("members.csv"))?);
        panel.write(&mut h, &mut m)?;
        h.flush()?;
        m.flush()?;
        drop((h, m));
        let code = runtime.block_on(run_import_with(
            standards,
            &ImportOptions::year(panel.year()),
            db,
            &[d],
            false,
        ))?;
        if code != ExitCode::SUCCESS {
            bail!("the demo survey of {} did not import", panel.year());
        }
        if panel.year() >= last {
            break;
        }
        panel.advance();
    }
    Ok(())
}

/// The demonstration's users: one of each role, all with the same password.
const DEMO_PASSWORD: &str = "giamngheo2025";
const DEMO_PROVINCE: &str = "11";
const DEMO_COMMUNE: &str = "03325";

async fn demo_users(store: &giamngheo_store::Store) -> Result<()> {
    let who = giamngheo_store::Who::cli();
    let hash = giamngheo_web::auth::hash_password(DEMO_PASSWORD).map_err(anyhow::Error::msg)?;
    for (name, full_name, role, unit) in [
        ("admin", "Quản trị hệ thống", "administrator", None),
        (
            "tinh",
            "Cán bộ Sở (Điện Biên)",
            "provincial_officer",
            Some(DEMO_PROVINCE),
        ),
        (
            "xa",
            "Cán bộ xã Mường Phăng",
            "commune_officer",
            Some(DEMO_COMMUNE),
        ),
        (
            "lanhdao",
            "Lãnh đạo tỉnh Điện Biên",
            "leader",
            Some(DEMO_PROVINCE),
        ),
        (
            "thanhtra",
            "Thanh tra tỉnh Điện Biên",
            "inspector",
            Some(DEMO_PROVINCE),
        ),
    ] {
        if store.user_by_name(name).await?.is_none() {
            store
                .add_user(
                    &who,
                    &giamngheo_store::NewUser {
                        name: name.into(),
                        full_name: full_name.into(),
                        role: role.into(),
                        unit_code: unit.map(str::to_string),
                        password_hash: hash.clone(),
                    },
                )
                .await?;
        }
    }
    Ok(())
}

fn load_standards(files: &[PathBuf]) -> Result<Standards> {
    let mut list: Vec<Standard> = Standards::builtin()?.all().to_vec();
    for f in files {
        let text =
            std::fs::read_to_string(f).with_context(|| format!("cannot read {}", f.display()))?;
        list.push(Standard::from_toml(&f.display().to_string(), &text)?);
    }
    Ok(Standards::new(list)?)
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Classify {
            households,
            members,
            standard,
            standard_files,
            format,
            output,
            keep_going,
            summary,
            k,
        } => {
            let standards = load_standards(&standard_files)?;
            let opts = ClassifyOptions {
                households,
                members,
                standard,
                format: match format {
                    OutFormat::Csv => Format::Csv,
                    OutFormat::Json => Format::Json,
                },
                keep_going,
                k,
            };
            run_classify(&standards, &opts, output.as_deref(), summary, format)
        }
        Command::Import {
            year,
            db,
            standard,
            standard_files,
            legacy_units,
            files,
        } => {
            let standards = load_standards(&standard_files)?;
            let runtime = tokio::runtime::Runtime::new()?;
            let opts = ImportOptions {
                year,
                standard,
                legacy_units,
                ..ImportOptions::year(year)
            };
            runtime.block_on(run_import(&standards, &opts, &db, &files))
        }
        Command::Report {
            unit,
            from,
            to,
            format,
            target_points,
            db,
            output,
        } => {
            let standards = load_standards(&[])?;
            let runtime = tokio::runtime::Runtime::new()?;
            runtime.block_on(async {
                let store = open_store(&db)
                    .await
                    .with_context(|| format!("cannot open the registry {db}"))?;
                let r = giamngheo_app::report::report(
                    &store,
                    &standards,
                    &unit,
                    from,
                    to,
                    target_points,
                )
                .await?;
                store.close().await;
                let Some(r) = r else {
                    bail!(
                        "unknown unit `{unit}`: a 2-digit province or 5-digit commune code of 2025"
                    );
                };
                if r.years.is_empty() {
                    bail!(
                        "no assessment of {} ({unit}) from {from} to {to} in {db}",
                        r.unit_name
                    );
                }
                let text = match format {
                    ReportFormat::Table => r.to_text(),
                    ReportFormat::Csv => r.to_csv(),
                    ReportFormat::Json => serde_json::to_string_pretty(&r.to_json())? + "\n",
                    ReportFormat::Xlsx => {
                        let Some(p) = &output else {
                            bail!("--format xlsx needs --output FILE.xlsx");
                        };
                        r.write_xlsx(p)
                            .with_context(|| format!("cannot write {}", p.display()))?;
                        return Ok(ExitCode::SUCCESS);
                    }
                };
                match output {
                    Some(p) => std::fs::write(&p, text)
                        .with_context(|| format!("cannot write {}", p.display()))?,
                    None => print!("{text}"),
                }
                Ok(ExitCode::SUCCESS)
            })
        }
        Command::Export {
            year,
            unit,
            db,
            output,
        } => {
            let runtime = tokio::runtime::Runtime::new()?;
            let tables = runtime.block_on(async {
                let store = open_store(&db)
                    .await
                    .with_context(|| format!("cannot open the registry {db}"))?;
                let t = giamngheo_app::export::tables(&store, &unit, year).await;
                store.close().await;
                anyhow::Ok(t?)
            })?;
            if tables.households.1.is_empty() {
                bail!("no assessment of unit `{unit}` for {year} in {db}");
            }
            if giamngheo_survey::source::is_xlsx(&output) {
                tables.write_xlsx(&output)?;
            } else {
                std::fs::create_dir_all(&output)
                    .with_context(|| format!("cannot create {}", output.display()))?;
                let create = |name: &str| -> Result<BufWriter<File>> {
                    let p = output.join(name);
                    Ok(BufWriter::new(File::create(&p).with_context(|| {
                        format!("cannot create {}", p.display())
                    })?))
                };
                tables.write_csv(create("households.csv")?, create("members.csv")?)?;
            }
            eprintln!(
                "wrote {} households and {} members of {unit} for {year} to {}",
                tables.households.1.len(),
                tables.members.1.len(),
                output.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve {
            demo,
            db,
            addr,
            secure_cookies,
            trusted_proxy,
        } => {
            let standards = load_standards(&[])?;
            let db = db.unwrap_or_else(|| {
                if demo {
                    "giamngheo-demo.db"
                } else {
                    "giamngheo.db"
                }
                .to_string()
            });
            let runtime = tokio::runtime::Runtime::new()?;
            if demo {
                let empty = runtime.block_on(async {
                    let store = open_store(&db).await?;
                    let n = store.counts().await?.households;
                    store.close().await;
                    anyhow::Ok(n == 0)
                })?;
                if empty {
                    eprintln!("{db}: creating the demonstration registry (Điện Biên, 20,000 households, 2022-2025)...");
                    build_demo(&standards, DEMO_PROVINCE, 20_000, (2022, 2025), 1, &db)?;
                }
            }
            runtime.block_on(async {
                let store = open_store(&db)
                    .await
                    .with_context(|| format!("cannot open the registry {db}"))?;
                store.load_reference(&giamngheo_survey::reference()).await?;
                if demo {
                    demo_users(&store).await?;
                }
                let users = store.users().await?.len();
                let mut state = giamngheo_web::AppState::new(store, standards);
                state.secure_cookies = secure_cookies;
                state.trusted_proxies = std::sync::Arc::new(trusted_proxy);
                println!("giamngheo is running at http://{addr}/  (database {db})");
                if demo {
                    println!("log in as `tinh` (provincial officer, Điện Biên), `xa` (commune officer, Mường Phăng), `lanhdao` (leader), `thanhtra` (inspector) or `admin`; password {DEMO_PASSWORD}");
                } else if users == 0 {
                    println!("no users yet: giamngheo user add NAME --role administrator --db {db}");
                }
                giamngheo_web::serve(state, &addr)
                    .await
                    .with_context(|| format!("cannot serve on {addr}"))?;
                anyhow::Ok(ExitCode::SUCCESS)
            })
        }
        Command::Audit { action } => {
            let runtime = tokio::runtime::Runtime::new()?;
            runtime.block_on(audit_command(action))
        }
        Command::User { action } => {
            let runtime = tokio::runtime::Runtime::new()?;
            runtime.block_on(async {
                let who = giamngheo_store::Who::cli();
                match action {
                    UserAction::Add {
                        name,
                        role,
                        unit,
                        full_name,
                        db,
                    } => {
                        check_user(&role, unit.as_deref())?;
                        let password = read_password()?;
                        let store = open_store(&db).await?;
                        store.load_reference(&giamngheo_survey::reference()).await?;
                        let hash = giamngheo_web::auth::hash_password(&password)
                            .map_err(anyhow::Error::msg)?;
                        let id = store
                            .add_user(
                                &who,
                                &giamngheo_store::NewUser {
                                    name: name.clone(),
                                    full_name,
                                    role,
                                    unit_code: unit,
                                    password_hash: hash,
                                },
                            )
                            .await?;
                        println!("user {name} created (#{id})");
                    }
                    UserAction::Passwd { name, db } => {
                        let password = read_password()?;
                        let store = open_store(&db).await?;
                        let hash = giamngheo_web::auth::hash_password(&password)
                            .map_err(anyhow::Error::msg)?;
                        store.set_password(&who, &name, &hash).await?;
                        println!("password of {name} changed; their sessions are closed");
                    }
                    UserAction::List { db } => {
                        let store = open_store(&db).await?;
                        for u in store.users().await? {
                            println!(
                                "{}\t{}\t{}\t{}\t{}",
                                u.name,
                                u.role,
                                u.unit_code.as_deref().unwrap_or("-"),
                                if u.active { "active" } else { "inactive" },
                                u.full_name
                            );
                        }
                    }
                }
                anyhow::Ok(ExitCode::SUCCESS)
            })
        }
        Command::Demo {
            province,
            households,
            years: (first, last),
            seed,
            db,
        } => {
            let standards = load_standards(&[])?;
            build_demo(&standards, &province, households, (first, last), seed, &db)?;
            println!(
                "try: giamngheo report --db {db} --unit {province} --from {first} --to {last}"
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Synth {
            households,
            province,
            years: (first, last),
            seed,
            out_dir,
        } => {
            let opts = SynthOptions {
                households,
                province,
                year: first,
                seed,
            };
            let mut panel = Panel::new(&opts)?;
            loop {
                let dir = if first == last {
                    out_dir.clone()
                } else {
                    out_dir.join(panel.year().to_string())
                };
                std::fs::create_dir_all(&dir)
                    .with_context(|| format!("cannot create {}", dir.display()))?;
                let create = |name: &str| -> Result<BufWriter<File>> {
                    let p = dir.join(name);
                    Ok(BufWriter::with_capacity(
                        1 << 20,
                        File::create(&p)
                            .with_context(|| format!("cannot create {}", p.display()))?,
                    ))
                };
                let (mut h, mut m) = (create("households.csv")?, create("members.csv")?);
                let members = panel.write(&mut h, &mut m)?;
                h.flush()?;
                m.flush()?;
                eprintln!(
                    "{}: wrote {} households and {members} members to {}",
                    panel.year(),
                    panel.households(),
                    dir.display()
                );
                if panel.year() >= last {
                    break;
                }
                panel.advance();
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

async fn run_import(
    standards: &Standards,
    opts: &ImportOptions,
    db: &str,
    files: &[PathBuf],
) -> Result<ExitCode> {
    run_import_with(standards, opts, db, files, true).await
}

/// As [`run_import`]; without `verbose_warnings`, warnings are counted, not listed (the demo's
/// synthetic names make a few).
async fn run_import_with(
    standards: &Standards,
    opts: &ImportOptions,
    db: &str,
    files: &[PathBuf],
    verbose_warnings: bool,
) -> Result<ExitCode> {
    use giamngheo_app::import::{import_survey, FileOutcome, SurveyFiles};
    let year = opts.year;
    let surveys = files
        .iter()
        .map(|f| SurveyFiles::find(f).map_err(anyhow::Error::msg))
        .collect::<Result<Vec<_>>>()?;
    let store = open_store(db)
        .await
        .with_context(|| format!("cannot open the registry {db}"))?;
    if store.load_reference(&giamngheo_survey::reference()).await? {
        eprintln!("{db}: new registry, administrative units and ethnic groups loaded");
    }
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
        let report = import_survey(&store, standards, opts, survey, &mut on_progress).await?;
        bar.finish_and_clear();
        let mut err = io::stderr().lock();
        for e in &report.errors {
            writeln!(err, "{e}")?;
        }
        if verbose_warnings {
            for w in &report.warnings {
                writeln!(err, "warning: {w}")?;
            }
        } else if !report.warnings.is_empty() {
            writeln!(
                err,
                "{} warning(s) (possible duplicate persons); `giamngheo import` lists them",
                report.warnings.len()
            )?;
        }
        let name = survey.households.display();
        match report.outcome {
            FileOutcome::Imported {
                import_id,
                households,
                members,
            } => println!(
                "{name}: imported {households} households and {members} members for {year} (import #{import_id})"
            ),
            FileOutcome::AlreadyImported { import_id } => {
                println!("{name}: already imported for {year} (import #{import_id}); nothing to do")
            }
            FileOutcome::Rejected { errors } => {
                failed = true;
                println!("{name}: not imported: {errors} error(s); nothing of this file was stored");
            }
        }
    }
    store.close().await;
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
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
        (Some(p), _, true) => {
            Sink::File(File::create(p).with_context(|| format!("cannot create {}", p.display()))?)
        }
        (dest, _, false) => {
            let dir = match dest.and_then(Path::parent) {
                Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
                Some(_) => PathBuf::from("."),
                None => std::env::temp_dir(),
            };
            let tmp = tempfile::NamedTempFile::new_in(&dir)
                .with_context(|| format!("cannot write in {}", dir.display()))?;
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
        w.finish().context("cannot write the output")?;
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
        writeln!(
            err,
            "note: the members file does not list households in the households file's order; its rows were held in memory"
        )?;
    }
    let failed = report.errors > 0;
    if let Some((tmp, dest)) = sink {
        if !failed {
            match dest {
                Some(d) => {
                    tmp.persist(&d)
                        .with_context(|| format!("cannot write {}", d.display()))?;
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
        writeln!(
            err,
            "{} error(s); {} household(s) rejected, {} classified{}",
            report.errors,
            report.rejected,
            report.classified,
            if opts.keep_going || summary && output.is_none() {
                ""
            } else {
                "; no records written (--keep-going writes the valid households)"
            }
        )?;
        err.flush()?;
        return Ok(ExitCode::from(1));
    }
    if report.classified == 0 && report.rejected == 0 {
        err.flush()?;
        bail!("no household in {}", opts.households.display());
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
