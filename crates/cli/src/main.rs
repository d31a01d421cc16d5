//! The `commonground` command: the web server and the operator's tasks
//! (migrations, the first operator account, demo data, backup and restore).
//!
//! Every setting is a flag with an environment variable beside it, so the
//! same binary runs on a laptop with no configuration and in a container
//! configured only through its environment.

mod commands;
mod register;
mod serve;
mod settings;

use clap::builder::BoolishValueParser;
use clap::{ArgAction, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

/// mimalloc instead of the system allocator: a page allocates and frees
/// many small strings and rows, and under load from several threads the
/// system allocator spent a fifth of the server's time doing it (see
/// docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The sender of every email unless `COMMONGROUND_MAIL_FROM` says otherwise.
const DEFAULT_MAIL_FROM: &str = "Common Ground <no-reply@commonground.invalid>";

#[derive(Parser, Debug)]
#[command(
    name = "commonground",
    version,
    about = "Common Ground: where voluntary and community organisations run collaborations together.",
    after_help = "With no command, `serve` runs. Every option can also be set with the environment variable shown beside it."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Settings shared by every command.
#[derive(clap::Args, Debug, Clone)]
pub struct Global {
    /// The address and port the server listens on.
    #[arg(
        long,
        env = "COMMONGROUND_BIND",
        default_value = "127.0.0.1:8080",
        global = true
    )]
    pub bind: String,

    /// The folder for the SQLite database, the email outbox and the lock file.
    #[arg(
        long,
        env = "COMMONGROUND_DATA_DIR",
        default_value = "./data",
        global = true
    )]
    pub data_dir: PathBuf,

    /// The database: sqlite://FILE, or postgres://USER:PASSWORD@HOST:5432/NAME
    /// for PostgreSQL. Default: a SQLite file in the data folder.
    #[arg(long, env = "DATABASE_URL", hide_env_values = true, global = true)]
    pub database_url: Option<String>,

    /// The address people use to reach the site, for links in emails.
    /// With https://, cookies are only sent over HTTPS.
    /// Default: http:// and the address the server listens on.
    #[arg(long, env = "COMMONGROUND_PUBLIC_URL", global = true)]
    pub public_url: Option<String>,

    /// Take the client's address from the X-Forwarded-For header (for
    /// sign-in limits). Turn this on only behind a reverse proxy that sets it.
    #[arg(
        long,
        env = "COMMONGROUND_TRUST_PROXY",
        action = ArgAction::SetTrue,
        value_parser = BoolishValueParser::new(),
        global = true
    )]
    pub trust_proxy: bool,

    /// The mail server: smtp://USER:PASSWORD@HOST:587 (STARTTLS) or
    /// smtps://…:465. Without it, emails are written to the outbox folder.
    #[arg(long, env = "SMTP_URL", hide_env_values = true, global = true)]
    pub smtp_url: Option<String>,

    /// The sender of every email.
    #[arg(long, env = "COMMONGROUND_MAIL_FROM", default_value = DEFAULT_MAIL_FROM, global = true)]
    pub mail_from: String,

    /// How many people must answer a readiness check before its combined
    /// results are shown, so nobody's own answers can be worked out.
    #[arg(
        long,
        env = "COMMONGROUND_READINESS_MIN_RESPONDENTS",
        default_value_t = 3,
        value_parser = clap::value_parser!(u32).range(1..=100),
        global = true
    )]
    pub readiness_min_respondents: u32,

    /// How many people must stand behind any health check figure (the whole
    /// round, one organisation, one question) before it is shown. At least 3.
    #[arg(
        long,
        env = "COMMONGROUND_HEALTH_CHECK_MIN_RESPONDENTS",
        default_value_t = 3,
        global = true
    )]
    pub health_check_min_respondents: u32,

    /// How often, in seconds, this server runs the notification job (due
    /// and overdue reminders, waiting emails, daily digests). Every server
    /// may run it: each reminder and email is claimed in the database and
    /// sent once. 0 turns the job off on this server.
    #[arg(
        long,
        env = "COMMONGROUND_NOTIFICATION_INTERVAL",
        default_value_t = 60,
        value_parser = clap::value_parser!(u64).range(0..=86_400),
        global = true
    )]
    pub notification_interval: u64,

    /// The most database connections this server opens at once.
    #[arg(
        long,
        env = "COMMONGROUND_DB_MAX_CONNECTIONS",
        default_value_t = 10,
        value_parser = clap::value_parser!(u32).range(1..=1000),
        global = true
    )]
    pub max_connections: u32,

    /// How log lines are written to standard error. RUST_LOG chooses which.
    #[arg(long, env = "COMMONGROUND_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    pub log_format: LogFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the web server. This is what runs when no command is given.
    Serve,
    /// Bring the database up to date, then stop.
    Migrate,
    /// Create an operator account, or make an existing account an operator.
    CreateAdmin(commands::CreateAdmin),
    /// Fill a new, empty database with fictional organisations, people and
    /// collaborations, for trying Common Ground out.
    Demo(commands::Demo),
    /// Copy the SQLite database to a file while the server keeps running.
    Backup(commands::Backup),
    /// Replace the SQLite database with a backup. Stop the server first.
    Restore(commands::Restore),
    /// Import (or update from) the Charity Commission register extract.
    ImportRegister(register::ImportRegister),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    settings::init_logging(cli.global.log_format);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("Error: could not start: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(run(cli));
    runtime.shutdown_timeout(Duration::from_secs(2));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("Error: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), String> {
    let global = cli.global;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve::serve(&global).await,
        Command::Migrate => commands::migrate(&global).await,
        Command::CreateAdmin(args) => commands::create_admin(&global, &args).await,
        Command::Demo(args) => commands::demo(&global, &args).await,
        Command::Backup(args) => commands::backup(&global, &args).await,
        Command::Restore(args) => commands::restore(&global, &args).await,
        Command::ImportRegister(args) => register::import_register(&global, &args).await,
    }
}
