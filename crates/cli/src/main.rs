//! `giamngheo`: the command line of the poverty reduction system. One module a command; what
//! they share (the database's arguments, the standards, years) is in `args`. Every command
//! reaches the registry through `giamngheo_app::Registry`.

mod args;
mod audit;
mod check;
mod classify;
mod demo;
mod export;
mod import;
mod money;
mod report;
mod review;
mod serve;
mod support;
mod synth;
mod user;

use clap::{Parser, Subcommand};
use std::io;
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
    /// The language of what the command says: vi (Vietnamese, the default) or en (English).
    #[arg(long, global = true, env = "GIAMNGHEO_LANG", default_value = "vi", value_parser = ["vi", "en"])]
    lang: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web application (pages in Vietnamese and English, and the JSON API).
    ///
    /// With --demo, a demonstration registry is created on first start (a synthetic Điện Biên,
    /// 2022-2025) with one user of each role, and the URL and logins are printed.
    Serve(serve::ServeArgs),
    /// The audit log's chain: export its head, or check the log (against a head exported
    /// earlier).
    Audit {
        #[command(subcommand)]
        action: audit::AuditAction,
    },
    /// Manage the web application's users.
    User {
        #[command(subcommand)]
        action: user::UserAction,
    },
    /// Classify the households of survey files (exchange format) under the poverty standard.
    ///
    /// Writes one record per household in input order: household_id, standard, area,
    /// income_line, class, deprivation_count, deprivations. Bad values are reported on standard
    /// error as FILE:ROW: column: message, and the exit status is 1; without --keep-going no
    /// record is written then.
    Classify(classify::ClassifyArgs),
    /// Import survey files of a review year into the registry (created on first use).
    ///
    /// Each FILE is a workbook with sheets `households` and `members`, a directory holding
    /// households.csv and members.csv, or a households CSV whose members file has the same name
    /// with `members` in place of `households`. Each file is one transaction: a file with any
    /// bad row is not imported at all, and every error is listed. A file already imported for
    /// the year is recognised and left alone.
    Import(import::ImportArgs),
    /// A unit's poverty figures over a span of years: rates, change, average annual decrease,
    /// ethnic-minority households, the deprivations of the poor, and a line per commune.
    Report(report::ReportArgs),
    /// Write a unit's assessments of a year back out in the survey exchange format: the
    /// households.csv and members.csv files into a directory, or one .xlsx workbook.
    Export(export::ExportArgs),
    /// The annual review from the command line: a province's year locked once it is done.
    Review {
        #[command(subcommand)]
        action: review::ReviewAction,
    },
    /// Support to households: records imported from files, judged against the support rules
    /// on their decision's day, and the duplicate beneficiaries of a unit.
    Support {
        #[command(subcommand)]
        action: support::SupportAction,
    },
    /// The program's money: capital plans, allocations and payments imported from files, and a
    /// unit's money of a year.
    Money {
        #[command(subcommand)]
        action: money::MoneyAction,
    },
    /// Fill a registry with a synthetic province followed over several years (for trying the
    /// system): its real communes, households with members, poverty falling year by year.
    Demo(demo::DemoArgs),
    /// Write a synthetic survey (households.csv, members.csv) for tests, benchmarks and demos.
    ///
    /// With a span of years (--years 2022..2025) the same households are followed from year to
    /// year, each year in DIR/YEAR/: people age, incomes grow, houses and latrines are improved,
    /// some households leave and new ones come.
    Synth(synth::SynthArgs),
    /// Check a file of stated figures (a unit a row, a figure a column: households, poor,
    /// poor_rate, plan, disbursed, disbursed_pct...) against the validation rules: a total that
    /// is not the sum of its communes, a rate its count and base contradict, disbursed beyond
    /// plan. Each violation is listed as FILE:ROW: unit: rule with both sides' values and the
    /// rows they come from; exit status 1 when any rule is broken, 2 for a bad file.
    Check(check::CheckArgs),
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
    giamngheo_rules::text::set_display_lang(
        giamngheo_rules::Lang::from_code(&cli.lang).unwrap_or_default(),
    );
    let result = match cli.command {
        Command::Serve(a) => serve::run(a),
        Command::Audit { action } => audit::run(action),
        Command::User { action } => user::run(action),
        Command::Classify(a) => classify::run(a),
        Command::Import(a) => import::run(a),
        Command::Report(a) => report::run(a),
        Command::Export(a) => export::run(a),
        Command::Review { action } => review::run(action),
        Command::Money { action } => money::run(action),
        Command::Support { action } => support::run(action),
        Command::Demo(a) => demo::run(a),
        Command::Synth(a) => synth::run(a),
        Command::Check(a) => check::run(a),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("giamngheo: {e:#}");
            ExitCode::from(1)
        }
    }
}
