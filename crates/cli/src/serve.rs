//! `commonground serve`: the web server, its housekeeping, and a clean stop.

use crate::Global;
use crate::settings::{self, Database};
use commonground_web::AppState;
use std::future::IntoFuture;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::watch;

/// How long a stop waits for requests in progress to finish.
const DRAIN: Duration = Duration::from_secs(30);
/// How often expired sessions and old sign-in attempts are removed.
const SWEEP_EVERY: Duration = Duration::from_secs(3600);

pub async fn serve(global: &Global) -> Result<(), String> {
    let (_, database) = global.database()?;
    // A restore holds this lock exclusively; the server holds it shared.
    let _lock = match &database {
        Database::Sqlite { .. } => Some(settings::lock_for_server(&global.data_dir)?),
        Database::Postgres { .. } => None,
    };
    let (store, database) = settings::open_migrated(global).await?;

    let listener = match bind(&global.bind).await {
        Ok(listener) => listener,
        Err(message) => {
            store.close().await;
            return Err(message);
        }
    };
    let local = listener
        .local_addr()
        .map_err(|e| format!("Could not read the address the server listens on: {e}"))?;
    let config = global.web_config(Some(local))?;
    let public_url = config.public_url.clone();
    let state = AppState::new(store.clone(), config)?;
    // Build the directory's search index now, in the background, so the
    // first search does not wait for it and changes made through other
    // servers are followed from the start.
    let warm = state.clone();
    tokio::spawn(async move {
        let started = std::time::Instant::now();
        match warm.directory().await {
            Ok(d) => tracing::info!(
                records = d.len(),
                seconds = started.elapsed().as_secs_f64(),
                "directory search index built"
            ),
            Err(e) => {
                tracing::warn!(error = %e, "could not build the directory search index; it will be tried again on the first search")
            }
        }
    });

    // Signals are caught from here on, so a stop is always a clean one.
    let mut signals = Signals::install()?;
    let accounts = match store.read().await {
        Ok(mut tx) => tx.count_users().await.ok(),
        Err(_) => None,
    };
    print_welcome(local, &public_url, &database, &state, accounts);
    tracing::info!(address = %local, database = %database.describe(), "listening");

    let sweeper = tokio::spawn(sweep_regularly(state.clone()));
    let notifier = commonground_web::actions::notifications::spawn_job(state.clone());

    let (stop_tx, stop_rx) = watch::channel(false);
    tokio::spawn(async move {
        signals.next().await;
        println!(
            "Stopping: finishing the requests in progress (waiting at most {} seconds). Press Ctrl-C again to stop at once.",
            DRAIN.as_secs()
        );
        let _ = stop_tx.send(true);
        signals.next().await;
        eprintln!("Stopped at once, without waiting for requests in progress.");
        std::process::exit(130);
    });

    let app = commonground_web::router(state).into_make_service_with_connect_info::<SocketAddr>();
    let mut graceful = stop_rx.clone();
    let server = axum::serve(listener, app)
        .with_graceful_shutdown(async move {
            let _ = graceful.wait_for(|stop| *stop).await;
        })
        .into_future();
    let mut deadline = stop_rx;
    let drained = tokio::select! {
        result = server => {
            result.map_err(|e| format!("The server stopped with an error: {e}"))?;
            true
        }
        _ = async {
            let _ = deadline.wait_for(|stop| *stop).await;
            tokio::time::sleep(DRAIN).await;
        } => false,
    };
    sweeper.abort();
    if let Some(n) = notifier {
        n.abort();
    }
    if drained {
        println!("Every request in progress has finished.");
    } else {
        println!(
            "Some requests were still running after {} seconds; they were cut off.",
            DRAIN.as_secs()
        );
    }
    if tokio::time::timeout(Duration::from_secs(5), store.close())
        .await
        .is_err()
    {
        tracing::warn!("the database connections did not close in time");
    }
    println!("Common Ground has stopped.");
    Ok(())
}

async fn bind(address: &str) -> Result<TcpListener, String> {
    TcpListener::bind(address).await.map_err(|e| {
        use std::io::ErrorKind;
        match e.kind() {
            ErrorKind::AddrInUse => format!(
                "Another program is already using {address}. Stop it, or choose another port, for example --bind 127.0.0.1:8081."
            ),
            ErrorKind::PermissionDenied => format!(
                "This program is not allowed to listen on {address}. Ports below 1024 need special permission: choose a port such as 8080."
            ),
            ErrorKind::AddrNotAvailable => format!(
                "This computer has no network address {address}. Use 127.0.0.1:8080 for this computer only, or 0.0.0.0:8080 for every network."
            ),
            _ => format!(
                "Could not listen on {address}: {e}. The address should look like 127.0.0.1:8080."
            ),
        }
    })
}

fn print_welcome(
    local: SocketAddr,
    public_url: &str,
    database: &Database,
    state: &AppState,
    accounts: Option<i64>,
) {
    let mut email = state.mailer.describe();
    if state.config.smtp_url.is_none() {
        email.push_str(" (set SMTP_URL to send them)");
    }
    println!("Common Ground is listening on http://{local}");
    println!("  Database: {}", database.describe());
    println!("  Email:    {email}");
    if public_url != format!("http://{local}") {
        println!("  Links in emails point to {public_url}");
    }
    if local.ip().is_unspecified() && public_url.starts_with("http://127.0.0.1") {
        println!(
            "  Set COMMONGROUND_PUBLIC_URL to the address people use, so links in emails work for them."
        );
    }
    println!();
    match accounts {
        Some(0) => {
            println!("There are no accounts yet. To make the first one, either:");
            println!(
                "  - open {public_url}/sign-up, create your account, then make it an operator with"
            );
            println!("      commonground create-admin --email YOUR-EMAIL");
            println!("  - or create an operator account from the command line:");
            println!(
                "      commonground create-admin --email you@example.org --name \"Your Name\""
            );
        }
        Some(n) => {
            let noun = if n == 1 { "account" } else { "accounts" };
            let verb = if n == 1 { "is" } else { "are" };
            println!("There {verb} {n} {noun}. Sign in at {public_url}/sign-in");
        }
        None => {}
    }
    println!();
    println!("Press Ctrl-C to stop.");
}

/// Removes expired sessions, old sign-in attempts and used reset links.
/// With several servers on one database each does this; that is harmless.
async fn sweep_regularly(state: AppState) {
    let mut every = tokio::time::interval(SWEEP_EVERY);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        let now = state.clock.now();
        let result = async {
            let mut tx = state.store.write().await?;
            let removed = tx.sweep_expired(now).await?;
            tx.commit().await?;
            Ok::<u64, commonground_store::StoreError>(removed)
        }
        .await;
        match result {
            Ok(0) => {}
            Ok(removed) => tracing::info!(removed, "removed expired sessions and sign-in records"),
            Err(e) => tracing::warn!(error = %e, "could not remove expired sessions"),
        }
    }
}

/// SIGTERM (from a service manager) and SIGINT (Ctrl-C).
struct Signals {
    #[cfg(unix)]
    terminate: tokio::signal::unix::Signal,
    #[cfg(unix)]
    interrupt: tokio::signal::unix::Signal,
}

impl Signals {
    fn install() -> Result<Signals, String> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            let fail = |e: std::io::Error| format!("Could not listen for stop signals: {e}");
            Ok(Signals {
                terminate: signal(SignalKind::terminate()).map_err(fail)?,
                interrupt: signal(SignalKind::interrupt()).map_err(fail)?,
            })
        }
        #[cfg(not(unix))]
        {
            Ok(Signals {})
        }
    }

    async fn next(&mut self) {
        #[cfg(unix)]
        {
            tokio::select! {
                _ = self.terminate.recv() => {}
                _ = self.interrupt.recv() => {}
            }
        }
        #[cfg(not(unix))]
        {
            if tokio::signal::ctrl_c().await.is_err() {
                std::future::pending::<()>().await;
            }
        }
    }
}
