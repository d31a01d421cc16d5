//! Turning the command line into a database connection, a web config and
//! logging, with plain messages when something is wrong.

use crate::{Global, LogFormat};
use commonground_store::{ConnectOptions, Store};
use commonground_web::Config;
use std::fs::{File, OpenOptions, TryLockError};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use tracing_subscriber::EnvFilter;

/// The SQLite file's name inside the data folder.
pub const DATABASE_FILE: &str = "commonground.db";
/// Held (shared) by every server using the data folder, and (exclusive) by
/// a restore, so a database is never replaced under a running server.
const LOCK_FILE: &str = "commonground.lock";

pub fn init_logging(format: LogFormat) {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal());
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().init(),
    }
}

/// Which database a command works on.
#[derive(Debug, Clone)]
pub enum Database {
    Sqlite { file: PathBuf },
    Postgres { shown: String },
}

impl Database {
    /// For people: where the data is, with any password left out.
    pub fn describe(&self) -> String {
        match self {
            Database::Sqlite { file } => format!("SQLite file {}", file.display()),
            Database::Postgres { shown } => format!("PostgreSQL at {shown}"),
        }
    }
}

impl Global {
    /// The database address and what it is.
    pub fn database(&self) -> Result<(ConnectOptions, Database), String> {
        let mut options = match self.database_url.as_deref().map(str::trim) {
            None | Some("") => ConnectOptions::sqlite_in(&self.data_dir),
            Some(url) => ConnectOptions::new(url),
        };
        options.max_connections = self.max_connections;
        let url = options.url.as_str();
        let database = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Database::Postgres { shown: redact(url) }
        } else if let Some(rest) = url.strip_prefix("sqlite:") {
            let path = rest.trim_start_matches("//");
            let path = path.split('?').next().unwrap_or(path);
            Database::Sqlite {
                file: PathBuf::from(path),
            }
        } else {
            return Err(format!(
                "The database address {} is not one this program knows. \
                 Use sqlite://FILE or postgres://USER:PASSWORD@HOST:5432/NAME.",
                redact(url)
            ));
        };
        Ok((options, database))
    }

    /// The default SQLite file in the data folder.
    pub fn default_database_file(&self) -> PathBuf {
        self.data_dir.join(DATABASE_FILE)
    }

    /// Settings for the web layer. `listening` is the address the server got.
    pub fn web_config(&self, listening: Option<std::net::SocketAddr>) -> Result<Config, String> {
        let public_url = match self.public_url.as_deref().map(str::trim) {
            Some(url) if !url.is_empty() => {
                if !(url.starts_with("http://") || url.starts_with("https://")) {
                    return Err(format!(
                        "The public address {url:?} must start with http:// or https://, like https://commonground.example.org."
                    ));
                }
                url.trim_end_matches('/').to_string()
            }
            _ => default_public_url(&self.bind, listening),
        };
        let mut config = Config::for_data_dir(&self.data_dir);
        config.public_url = public_url;
        config.trust_proxy = self.trust_proxy;
        config.smtp_url = self.smtp_url.clone().filter(|u| !u.trim().is_empty());
        config.mail_from = self.mail_from.clone();
        config.readiness.min_respondents = self.readiness_min_respondents as usize;
        config.health_threshold = commonground_domain::health_checks::Threshold::new(
            self.health_check_min_respondents as usize,
        )
        .map_err(|e| format!("{} Use --health-check-min-respondents 3 or more.", e.0))?;
        config.notification_interval_secs = self.notification_interval;
        Ok(config)
    }
}

/// `http://` and the address listened on. An address that means "every
/// network card" (0.0.0.0) is shown as 127.0.0.1, which works on this computer.
fn default_public_url(bind: &str, listening: Option<std::net::SocketAddr>) -> String {
    match listening {
        Some(mut addr) => {
            if addr.ip().is_unspecified() {
                addr.set_ip(std::net::Ipv4Addr::LOCALHOST.into());
            }
            format!("http://{addr}")
        }
        None => format!("http://{}", bind.replace("0.0.0.0", "127.0.0.1")),
    }
}

/// A database address with its password replaced by `***`.
pub fn redact(url: &str) -> String {
    let Some(start) = url.find("://").map(|i| i + 3) else {
        return url.to_string();
    };
    // A password may itself hold `/` or `@`: look for the last `@` before any query.
    let (main, query) = match url.find('?') {
        Some(q) => (&url[..q], &url[q..]),
        None => (url, ""),
    };
    let query = if query.to_ascii_lowercase().contains("password") {
        "?***"
    } else {
        query
    };
    let main = match main[start..].rfind('@').map(|i| start + i) {
        Some(at) => match main[start..at].find(':') {
            Some(colon) => format!("{}***{}", &main[..start + colon + 1], &main[at..]),
            None => main.to_string(),
        },
        None => main.to_string(),
    };
    format!("{main}{query}")
}

/// Opens the database. For SQLite the data folder is created first.
pub async fn open_store(global: &Global) -> Result<(Store, Database), String> {
    let (options, database) = global.database()?;
    if let Database::Sqlite { file } = &database {
        let folder = file
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        if folder.exists() && !folder.is_dir() {
            return Err(format!(
                "{} is a file, not a folder. Choose another data folder with --data-dir.",
                folder.display()
            ));
        }
        std::fs::create_dir_all(folder)
            .map_err(|e| format!("Could not create the folder {}: {e}", folder.display()))?;
    }
    let store = Store::connect(&options).await.map_err(|e| {
        let hint = match &database {
            Database::Sqlite { .. } => "Check that the folder exists and that this program may write to it.",
            Database::Postgres { .. } => {
                "Check that PostgreSQL is running, and that the address, user name, password and database name in DATABASE_URL are right."
            }
        };
        format!("Could not open the database ({}): {e}. {hint}", database.describe())
    })?;
    Ok((store, database))
}

/// Opens the database and brings it up to date.
pub async fn open_migrated(global: &Global) -> Result<(Store, Database), String> {
    let (store, database) = open_store(global).await?;
    if let Err(e) = store.migrate().await {
        store.close().await;
        return Err(format!(
            "Could not bring the database up to date ({}): {e}",
            database.describe()
        ));
    }
    Ok((store, database))
}

/// A lock on the data folder; released when dropped (or the process ends).
pub struct DataLock {
    _file: Option<File>,
}

fn lock_file(data_dir: &Path) -> Result<File, String> {
    std::fs::create_dir_all(data_dir).map_err(|e| {
        format!(
            "Could not create the data folder {}: {e}",
            data_dir.display()
        )
    })?;
    OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(data_dir.join(LOCK_FILE))
        .map_err(|e| {
            format!(
                "Could not open the lock file in {}: {e}",
                data_dir.display()
            )
        })
}

/// Taken by a server. Several servers may share a data folder.
pub fn lock_for_server(data_dir: &Path) -> Result<DataLock, String> {
    let file = lock_file(data_dir)?;
    match file.try_lock_shared() {
        Ok(()) => Ok(DataLock { _file: Some(file) }),
        Err(TryLockError::WouldBlock) => Err(format!(
            "A restore is running on the data folder {}. Wait for it to finish, then start the server again.",
            data_dir.display()
        )),
        Err(TryLockError::Error(e)) => {
            tracing::warn!(error = %e, "this file system cannot lock the data folder; restore will not be able to tell whether the server is running");
            Ok(DataLock { _file: None })
        }
    }
}

/// Taken by a restore: only when no server is using the data folder.
pub fn lock_for_restore(data_dir: &Path) -> Result<DataLock, String> {
    let file = lock_file(data_dir)?;
    match file.try_lock() {
        Ok(()) => Ok(DataLock { _file: Some(file) }),
        Err(TryLockError::WouldBlock) => Err(format!(
            "The server is still running with the data folder {}. Stop it first: the database cannot be replaced while it is in use.",
            data_dir.display()
        )),
        Err(TryLockError::Error(e)) => {
            tracing::warn!(error = %e, "this file system cannot lock the data folder; make sure the server is stopped");
            Ok(DataLock { _file: None })
        }
    }
}

/// Seconds since 1970.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_left_out_of_database_addresses() {
        assert_eq!(
            redact("postgres://cg:s3cret@db:5432/cg"),
            "postgres://cg:***@db:5432/cg"
        );
        assert_eq!(
            redact("postgres://cg:p@ss@db/cg?sslmode=require"),
            "postgres://cg:***@db/cg?sslmode=require"
        );
        assert_eq!(redact("postgres://cg:a/b@db/cg"), "postgres://cg:***@db/cg");
        assert_eq!(
            redact("postgres://cg@db/cg?password=x"),
            "postgres://cg@db/cg?***"
        );
        assert_eq!(redact("postgres://cg@db/cg"), "postgres://cg@db/cg");
        assert_eq!(redact("postgres://db/cg"), "postgres://db/cg");
        assert_eq!(
            redact("sqlite://data/commonground.db"),
            "sqlite://data/commonground.db"
        );
    }

    #[test]
    fn unspecified_addresses_become_loopback_in_links() {
        let addr: std::net::SocketAddr = "0.0.0.0:8080".parse().unwrap();
        assert_eq!(
            default_public_url("0.0.0.0:8080", Some(addr)),
            "http://127.0.0.1:8080"
        );
        let addr: std::net::SocketAddr = "127.0.0.1:4321".parse().unwrap();
        assert_eq!(
            default_public_url("127.0.0.1:0", Some(addr)),
            "http://127.0.0.1:4321"
        );
    }

    #[test]
    fn readiness_results_need_the_set_number_of_people() {
        use clap::Parser;
        let config = |args: &[&str]| {
            let cli = crate::Cli::try_parse_from(
                std::iter::once("commonground").chain(args.iter().copied()),
            )
            .map_err(|e| e.kind())?;
            Ok::<_, clap::error::ErrorKind>(cli.global.web_config(None).unwrap())
        };
        assert_eq!(config(&[]).unwrap().readiness.min_respondents, 3);
        assert_eq!(
            config(&["--readiness-min-respondents", "5"])
                .unwrap()
                .readiness
                .min_respondents,
            5
        );
        assert!(config(&["--readiness-min-respondents", "0"]).is_err());
    }

    #[test]
    fn the_health_check_threshold_is_refused_below_three() {
        use clap::Parser;
        let config = |args: &[&str]| {
            crate::Cli::try_parse_from(std::iter::once("commonground").chain(args.iter().copied()))
                .unwrap()
                .global
                .web_config(None)
        };
        assert_eq!(config(&[]).unwrap().health_threshold.get(), 3);
        assert_eq!(
            config(&["--health-check-min-respondents", "5"])
                .unwrap()
                .health_threshold
                .get(),
            5
        );
        let refused = config(&["--health-check-min-respondents", "2"]).unwrap_err();
        assert!(
            refused.contains("at least 3 respondents") && refused.contains("It was set to 2."),
            "{refused}"
        );
    }
}
