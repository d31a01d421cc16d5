//! The operator's commands: migrate, create-admin, demo, backup, restore.

use crate::Global;
use crate::settings::{self, Database};
use commonground_domain::values::{Email, Password, PersonName};
use commonground_store::audit::NewAuditEvent;
use commonground_web::AppError;
use commonground_web::passwords;
use std::io::{BufRead, IsTerminal, Read, Write};
use std::path::PathBuf;
use std::time::Instant;

/// The environment variable `create-admin` reads a new account's password from.
const ADMIN_PASSWORD_ENV: &str = "COMMONGROUND_ADMIN_PASSWORD";
/// The environment variable `demo` reads the demo password from.
const DEMO_PASSWORD_ENV: &str = "COMMONGROUND_DEMO_PASSWORD";

#[derive(clap::Args, Debug)]
pub struct CreateAdmin {
    /// The account's email address.
    #[arg(long)]
    pub email: String,
    /// The person's name. Needed when the account is new.
    #[arg(long)]
    pub name: Option<String>,
    /// Read the password from standard input instead of from
    /// COMMONGROUND_ADMIN_PASSWORD or a prompt.
    #[arg(long)]
    pub password_stdin: bool,
}

#[derive(clap::Args, Debug)]
pub struct Demo {
    /// How many organisations to make. People and collaborations scale with it.
    #[arg(long, default_value_t = 500, value_parser = clap::value_parser!(i64).range(10..=2_000_000))]
    pub organisations: i64,
}

#[derive(clap::Args, Debug)]
pub struct Backup {
    /// The file to write. It must not exist yet.
    #[arg(long, value_name = "FILE")]
    pub to: PathBuf,
}

#[derive(clap::Args, Debug)]
pub struct Restore {
    /// The backup file to restore from.
    #[arg(long, value_name = "FILE")]
    pub from: PathBuf,
}

fn store_error(e: commonground_store::StoreError) -> String {
    e.to_string()
}

fn app_error(e: AppError) -> String {
    match e {
        AppError::Internal(detail) => detail,
        other => other.title().to_string(),
    }
}

pub async fn migrate(global: &Global) -> Result<(), String> {
    let (store, database) = settings::open_migrated(global).await?;
    store.close().await;
    println!("The database is up to date ({}).", database.describe());
    Ok(())
}

pub async fn create_admin(global: &Global, args: &CreateAdmin) -> Result<(), String> {
    let email =
        Email::parse("email", &args.email).map_err(|e| format!("--email: {}", e.message))?;
    let name = match args.name.as_deref() {
        Some(raw) => {
            Some(PersonName::parse("name", raw).map_err(|e| format!("--name: {}", e.message))?)
        }
        None => None,
    };
    let (store, _) = settings::open_migrated(global).await?;
    let result = create_admin_in(global, &store, args, &email, name.as_ref()).await;
    store.close().await;
    result
}

async fn create_admin_in(
    global: &Global,
    store: &commonground_store::Store,
    args: &CreateAdmin,
    email: &Email,
    name: Option<&PersonName>,
) -> Result<(), String> {
    let now = settings::now();
    let existing = store
        .read()
        .await
        .map_err(store_error)?
        .user_by_email(email.as_str())
        .await
        .map_err(store_error)?;
    let sign_in = format!("{}/sign-in", global.web_config(None)?.public_url);

    if let Some(user) = existing {
        if user.is_operator {
            println!(
                "{} <{}> is already an operator. Nothing was changed.",
                user.name, user.email
            );
            return Ok(());
        }
        let mut tx = store.write().await.map_err(store_error)?;
        tx.set_operator(user.id, true).await.map_err(store_error)?;
        tx.record(NewAuditEvent {
            user_id: Some(user.id),
            user_name: &user.name,
            acting_organisation_id: None,
            acting_organisation_name: "",
            organisation_id: None,
            collaboration_id: None,
            action: "account.made_operator",
            summary: "Made an operator from the command line.".to_string(),
            at: now,
        })
        .await
        .map_err(store_error)?;
        tx.commit().await.map_err(store_error)?;
        println!(
            "{} <{}> is now an operator. Their password has not changed.",
            user.name, user.email
        );
        println!("They can sign in at {sign_in}");
        return Ok(());
    }

    let Some(name) = name else {
        return Err(format!(
            "There is no account for {} yet. To create one, give the person's name too: --name \"Their Name\".",
            email.as_str()
        ));
    };
    let raw = read_admin_password(args)?;
    let password =
        Password::parse("password", &raw, Some(email.as_str())).map_err(|e| e.message)?;
    let hash = passwords::hash_now(password.expose()).map_err(app_error)?;
    let mut tx = store.write().await.map_err(store_error)?;
    let user = match tx
        .create_user(email.as_str(), name.as_str(), &hash, true, now)
        .await
    {
        Ok(user) => user,
        Err(e) if e.is_conflict_on("email") => {
            return Err(format!(
                "An account for {} was created by someone else just now. Run this command again to make it an operator.",
                email.as_str()
            ));
        }
        Err(e) => return Err(store_error(e)),
    };
    tx.record(NewAuditEvent {
        user_id: Some(user.id),
        user_name: &user.name,
        acting_organisation_id: None,
        acting_organisation_name: "",
        organisation_id: None,
        collaboration_id: None,
        action: "account.created_operator",
        summary: "Created as an operator from the command line.".to_string(),
        at: now,
    })
    .await
    .map_err(store_error)?;
    tx.commit().await.map_err(store_error)?;
    println!(
        "Created the operator account for {} <{}>.",
        user.name, user.email
    );
    println!("Sign in at {sign_in}");
    Ok(())
}

/// The new account's password: from standard input when asked, else the
/// environment, else a prompt that does not show what is typed.
fn read_admin_password(args: &CreateAdmin) -> Result<String, String> {
    if args.password_stdin {
        let mut raw = String::new();
        std::io::stdin()
            .read_to_string(&mut raw)
            .map_err(|e| format!("Could not read the password from standard input: {e}"))?;
        return Ok(strip_line_end(raw));
    }
    if let Ok(raw) = std::env::var(ADMIN_PASSWORD_ENV)
        && !raw.is_empty()
    {
        return Ok(raw);
    }
    if !std::io::stdin().is_terminal() {
        return Err(format!(
            "A password is needed for the new account. Set {ADMIN_PASSWORD_ENV}, or pass --password-stdin and send it on standard input."
        ));
    }
    let first = prompt_hidden("Choose a password (at least 10 characters): ")?;
    let second = prompt_hidden("Type it again: ")?;
    if first != second {
        return Err(
            "The two passwords were different. Nothing was changed; run the command again.".into(),
        );
    }
    Ok(first)
}

/// Asks on the terminal with typing hidden (`stty -echo`).
fn prompt_hidden(label: &str) -> Result<String, String> {
    use std::process::{Command, Stdio};
    let stty = |flag: &str| {
        Command::new("stty")
            .arg(flag)
            .stdin(Stdio::inherit())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    eprint!("{label}");
    let _ = std::io::stderr().flush();
    if !stty("-echo") {
        eprintln!();
        return Err(format!(
            "Could not hide what you type. Set {ADMIN_PASSWORD_ENV}, or use --password-stdin, instead."
        ));
    }
    let mut line = String::new();
    let read = std::io::stdin().lock().read_line(&mut line);
    stty("echo");
    eprintln!();
    read.map_err(|e| format!("Could not read the password: {e}"))?;
    Ok(strip_line_end(line))
}

fn strip_line_end(mut s: String) -> String {
    if s.ends_with('\n') {
        s.pop();
        if s.ends_with('\r') {
            s.pop();
        }
    }
    s
}

pub async fn demo(global: &Global, args: &Demo) -> Result<(), String> {
    let password = match std::env::var(DEMO_PASSWORD_ENV) {
        Ok(p) if !p.is_empty() => {
            Password::parse("password", &p, None)
                .map_err(|e| format!("{DEMO_PASSWORD_ENV}: {}", e.message))?;
            p
        }
        _ => {
            let t = commonground_store::random_token();
            format!("{}-{}-{}", &t[..4], &t[4..8], &t[8..12])
        }
    };
    let (store, database) = settings::open_migrated(global).await?;
    println!("Filling {} with demo data…", database.describe());
    let started = Instant::now();
    let hash = passwords::hash_now(&password).map_err(app_error)?;
    let on_terminal = std::io::stderr().is_terminal();
    let result = commonground_store::demo::fill(
        &store,
        args.organisations,
        &hash,
        settings::now(),
        |what, done, total| {
            if on_terminal {
                eprint!("\r\x1b[2K  {what}: {done} of {total}");
                if done >= total {
                    eprintln!();
                }
            } else if done >= total {
                eprintln!("  {what}: {done} of {total}");
            }
        },
    )
    .await;
    store.close().await;
    let summary = result.map_err(store_error)?;
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "Made {} organisations, {} people and {} collaborations in {seconds:.2} seconds.",
        summary.organisations, summary.people, summary.collaborations
    );
    println!();
    println!(
        "Sign in as {} with the password {password}",
        summary.example_email
    );
    println!(
        "Every demo person has this same password. This data is made up: do not use it for real work."
    );
    Ok(())
}

pub async fn backup(global: &Global, args: &Backup) -> Result<(), String> {
    let (_, database) = global.database()?;
    let Database::Sqlite { file } = &database else {
        return Err(
            "Backup here is for the built-in SQLite database. For PostgreSQL, use pg_dump, for example: pg_dump --format=custom --file=commonground.dump \"$DATABASE_URL\"".into(),
        );
    };
    if !file.is_file() {
        return Err(format!(
            "There is no database at {} to back up.",
            file.display()
        ));
    }
    if args.to.exists() {
        return Err(format!(
            "{} already exists. Choose a new file name, so no backup is overwritten.",
            args.to.display()
        ));
    }
    if let Some(folder) = args.to.parent().filter(|p| !p.as_os_str().is_empty())
        && !folder.is_dir()
    {
        return Err(format!(
            "The folder {} does not exist. Create it first.",
            folder.display()
        ));
    }
    let (store, _) = settings::open_store(global).await?;
    let result = commonground_store::backup::backup_sqlite(&store, &args.to).await;
    store.close().await;
    result.map_err(store_error)?;
    commonground_store::backup::check_backup(&args.to)
        .await
        .map_err(|e| format!("The backup was written but does not check out: {e}"))?;
    let size = std::fs::metadata(&args.to).map(|m| m.len()).unwrap_or(0);
    println!(
        "Backed up {} to {} ({}). The copy was checked and opens cleanly.",
        file.display(),
        args.to.display(),
        human_size(size)
    );
    println!(
        "To put it back later: commonground restore --from {}",
        args.to.display()
    );
    Ok(())
}

pub async fn restore(global: &Global, args: &Restore) -> Result<(), String> {
    let (_, database) = global.database()?;
    match &database {
        Database::Postgres { .. } => {
            return Err(
                "Restore here is for the built-in SQLite database. For PostgreSQL, use pg_restore."
                    .into(),
            );
        }
        Database::Sqlite { file } if *file != global.default_database_file() => {
            return Err(format!(
                "Restore replaces the database in the data folder ({}), but DATABASE_URL points to {}. Use --data-dir to choose the folder instead.",
                global.default_database_file().display(),
                file.display()
            ));
        }
        Database::Sqlite { .. } => {}
    }
    let _lock = settings::lock_for_restore(&global.data_dir)?;
    let live = global.default_database_file();
    let kept =
        commonground_store::backup::restore_sqlite(&args.from, &global.data_dir, settings::now())
            .await
            .map_err(store_error)?;
    println!("Restored {} from {}.", live.display(), args.from.display());
    if kept == live {
        println!("There was no database here before.");
    } else {
        println!(
            "The database it replaced was kept as {}. Delete it when you are sure you do not need it.",
            kept.display()
        );
    }
    println!("Start the server again with: commonground serve");
    Ok(())
}

fn human_size(bytes: u64) -> String {
    const MB: f64 = 1024.0 * 1024.0;
    if bytes as f64 >= MB {
        format!("{:.1} MB", bytes as f64 / MB)
    } else {
        format!("{:.0} KB", (bytes as f64 / 1024.0).ceil())
    }
}
