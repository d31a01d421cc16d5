//! The `commonground` program run as an operator would run it: each test
//! works in its own temporary folder, on SQLite, on loopback only.

use commonground_store::{ConnectOptions, Store};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Settings from the environment that would change what the program does.
const SETTINGS: &[&str] = &[
    "DATABASE_URL",
    "SMTP_URL",
    "RUST_LOG",
    "COMMONGROUND_BIND",
    "COMMONGROUND_DATA_DIR",
    "COMMONGROUND_PUBLIC_URL",
    "COMMONGROUND_TRUST_PROXY",
    "COMMONGROUND_MAIL_FROM",
    "COMMONGROUND_DB_MAX_CONNECTIONS",
    "COMMONGROUND_LOG_FORMAT",
    "COMMONGROUND_ADMIN_PASSWORD",
    "COMMONGROUND_DEMO_PASSWORD",
];

const DEMO_PASSWORD: &str = "correct horse battery";

fn commonground(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_commonground"));
    command.current_dir(dir).stdin(Stdio::null());
    for name in SETTINGS {
        command.env_remove(name);
    }
    command
}

fn text(output: &Output) -> String {
    format!(
        "status: {}\n--- stdout\n{}\n--- stderr\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn succeeds(command: &mut Command) -> String {
    let output = command.output().expect("the program runs");
    assert!(
        output.status.success(),
        "expected success\n{}",
        text(&output)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Runs a command that must fail; returns what it wrote to standard error.
fn fails(command: &mut Command) -> String {
    let output = command.output().expect("the program runs");
    assert_eq!(
        output.status.code(),
        Some(1),
        "expected a plain failure\n{}",
        text(&output)
    );
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(
        !stderr.contains("panicked"),
        "a failure must not be a panic\n{}",
        text(&output)
    );
    assert!(
        stderr.contains("Error: "),
        "failures start with Error:\n{}",
        text(&output)
    );
    stderr
}

#[derive(Debug, PartialEq, Eq)]
struct Counts {
    users: i64,
    organisations: i64,
    collaborations: i64,
}

async fn open(data_dir: &Path) -> Store {
    let file = data_dir.join("commonground.db");
    assert!(file.is_file(), "{} should exist", file.display());
    Store::connect(&ConnectOptions::sqlite_in(data_dir))
        .await
        .expect("the database opens")
}

async fn counts(data_dir: &Path) -> Counts {
    let store = open(data_dir).await;
    let mut tx = store.read().await.unwrap();
    let counts = Counts {
        users: tx.count_users().await.unwrap(),
        organisations: tx.count_organisations().await.unwrap(),
        collaborations: tx.count_collaborations().await.unwrap(),
    };
    drop(tx);
    store.close().await;
    counts
}

/// (exists, is operator) for an email address.
async fn operator(data_dir: &Path, email: &str) -> Option<bool> {
    let store = open(data_dir).await;
    let user = store
        .read()
        .await
        .unwrap()
        .user_by_email(email)
        .await
        .unwrap();
    store.close().await;
    user.map(|u| u.is_operator)
}

#[tokio::test]
async fn migrate_creates_the_data_folder_and_an_empty_database() {
    let dir = tempfile::tempdir().unwrap();
    let out = succeeds(commonground(dir.path()).arg("migrate"));
    assert!(out.contains("up to date"), "{out}");
    assert!(
        out.contains("data/commonground.db"),
        "it says which database: {out}"
    );
    let data = dir.path().join("data");
    assert_eq!(
        counts(&data).await,
        Counts {
            users: 0,
            organisations: 0,
            collaborations: 0
        }
    );
    // Running it again changes nothing and still succeeds.
    succeeds(commonground(dir.path()).arg("migrate"));
}

#[tokio::test]
async fn demo_backup_and_restore_keep_everything() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let out = succeeds(
        commonground(dir.path())
            .args(["demo", "--organisations", "50"])
            .env("COMMONGROUND_DEMO_PASSWORD", DEMO_PASSWORD),
    );
    assert!(out.contains("demo@example.org"), "{out}");
    assert!(
        out.contains(DEMO_PASSWORD),
        "the demo password is shown: {out}"
    );
    let original = counts(&data).await;
    assert_eq!(original.organisations, 50);
    assert!(
        original.users >= 10 && original.collaborations >= 4,
        "{original:?}"
    );

    // The password shown is the one that signs in.
    let store = open(&data).await;
    let stored = store
        .read()
        .await
        .unwrap()
        .credentials("demo@example.org")
        .await
        .unwrap()
        .map(|c| c.password_hash);
    store.close().await;
    assert!(stored.is_some(), "the demo person exists");
    assert!(commonground_web::passwords::verify(DEMO_PASSWORD.into(), stored.clone()).await);
    assert!(!commonground_web::passwords::verify("something else entirely".into(), stored).await);

    // Demo data goes only into an empty database.
    let err = fails(commonground(dir.path()).args(["demo", "--organisations", "50"]));
    assert!(err.contains("already has data"), "{err}");

    // Backup, and a second backup never overwrites the first.
    let backup = dir.path().join("backup.db");
    let out = succeeds(
        commonground(dir.path())
            .args(["backup", "--to"])
            .arg(&backup),
    );
    assert!(out.contains("backup.db"), "{out}");
    assert!(backup.is_file());
    let err = fails(
        commonground(dir.path())
            .args(["backup", "--to"])
            .arg(&backup),
    );
    assert!(err.contains("already exists"), "{err}");

    // Restore into another data folder: it opens and has everything.
    let other = dir.path().join("restored");
    let out = succeeds(
        commonground(dir.path())
            .arg("--data-dir")
            .arg(&other)
            .args(["restore", "--from"])
            .arg(&backup),
    );
    assert!(out.contains("no database here before"), "{out}");
    assert_eq!(counts(&other).await, original);
    assert_eq!(operator(&other, "demo@example.org").await, Some(false));

    // Restoring over a database keeps the old one beside it.
    let out = succeeds(
        commonground(dir.path())
            .arg("--data-dir")
            .arg(&other)
            .args(["restore", "--from"])
            .arg(&backup),
    );
    let kept: Vec<PathBuf> = std::fs::read_dir(&other)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains("before-restore"))
        .collect();
    assert_eq!(kept.len(), 1, "{out}");
    assert!(
        out.contains(&*kept[0].to_string_lossy()),
        "it says where the old one went: {out}"
    );
    assert_eq!(counts(&other).await, original);

    // Something that is not a backup is refused, and nothing is replaced.
    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, b"not a database").unwrap();
    fails(
        commonground(dir.path())
            .arg("--data-dir")
            .arg(&other)
            .args(["restore", "--from"])
            .arg(&junk),
    );
    assert_eq!(counts(&other).await, original);
}

#[tokio::test]
async fn backup_and_restore_are_for_sqlite_only() {
    let dir = tempfile::tempdir().unwrap();
    let postgres = "postgres://cg:unused@127.0.0.1:1/cg";
    let err = fails(commonground(dir.path()).args([
        "--database-url",
        postgres,
        "backup",
        "--to",
        "b.db",
    ]));
    assert!(err.contains("pg_dump"), "{err}");
    let err = fails(commonground(dir.path()).args([
        "--database-url",
        postgres,
        "restore",
        "--from",
        "b.db",
    ]));
    assert!(err.contains("pg_restore"), "{err}");
    let err = fails(commonground(dir.path()).args(["backup", "--to", "b.db"]));
    assert!(err.contains("no database"), "{err}");
}

#[tokio::test]
async fn create_admin_creates_an_operator_or_promotes_an_existing_account() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");

    // A new account needs a password; without one nothing is made.
    let err = fails(commonground(dir.path()).args([
        "create-admin",
        "--email",
        "ann@example.org",
        "--name",
        "Ann",
    ]));
    assert!(err.contains("COMMONGROUND_ADMIN_PASSWORD"), "{err}");
    assert_eq!(operator(&data, "ann@example.org").await, None);

    // Too short a password is refused with the product's own rule.
    let err = fails(
        commonground(dir.path())
            .args([
                "create-admin",
                "--email",
                "ann@example.org",
                "--name",
                "Ann",
            ])
            .env("COMMONGROUND_ADMIN_PASSWORD", "short"),
    );
    assert!(err.contains("at least 10 characters"), "{err}");
    assert_eq!(operator(&data, "ann@example.org").await, None);

    // From the environment.
    let out = succeeds(
        commonground(dir.path())
            .args([
                "create-admin",
                "--email",
                "Ann@Example.org",
                "--name",
                "Ann Smith",
            ])
            .env("COMMONGROUND_ADMIN_PASSWORD", "a long enough password"),
    );
    assert!(out.contains("ann@example.org"), "{out}");
    assert_eq!(operator(&data, "ann@example.org").await, Some(true));

    // From standard input.
    let mut child = commonground(dir.path())
        .args([
            "create-admin",
            "--email",
            "bob@example.org",
            "--name",
            "Bob",
            "--password-stdin",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"bobs long password\n")
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{}", text(&output));
    let store = open(&data).await;
    let hash = store
        .read()
        .await
        .unwrap()
        .credentials("bob@example.org")
        .await
        .unwrap()
        .map(|c| c.password_hash);
    store.close().await;
    assert!(
        commonground_web::passwords::verify("bobs long password".into(), hash).await,
        "the line end is not part of the password"
    );

    // An existing account is promoted, without a password. (The demo
    // needs an empty database, so this uses a folder of its own.)
    let demo = tempfile::tempdir().unwrap();
    succeeds(
        commonground(demo.path())
            .args(["demo", "--organisations", "10"])
            .env("COMMONGROUND_DEMO_PASSWORD", DEMO_PASSWORD),
    );
    let demo_data = demo.path().join("data");
    assert_eq!(operator(&demo_data, "demo@example.org").await, Some(false));
    let out =
        succeeds(commonground(demo.path()).args(["create-admin", "--email", "demo@example.org"]));
    assert!(out.contains("now an operator"), "{out}");
    assert_eq!(operator(&demo_data, "demo@example.org").await, Some(true));
    let out =
        succeeds(commonground(demo.path()).args(["create-admin", "--email", "demo@example.org"]));
    assert!(out.contains("already an operator"), "{out}");
}

#[test]
fn a_port_in_use_is_reported_plainly() {
    let dir = tempfile::tempdir().unwrap();
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = taken.local_addr().unwrap().to_string();
    let err = fails(commonground(dir.path()).args(["serve", "--bind", &address]));
    assert!(err.contains("already using"), "{err}");
}

#[test]
fn an_unreachable_database_is_reported_without_its_password() {
    let dir = tempfile::tempdir().unwrap();
    let err = fails(commonground(dir.path()).args(["migrate"]).env(
        "DATABASE_URL",
        "postgres://cg:hunter2hunter2@127.0.0.1:1/cg",
    ));
    assert!(err.contains("Could not open the database"), "{err}");
    assert!(
        !err.contains("hunter2hunter2"),
        "the password must not be shown: {err}"
    );
}

/// The server, read line by line from its standard output.
struct Running {
    child: Child,
    lines: mpsc::Receiver<String>,
}

impl Running {
    fn start(dir: &Path, data: &Path) -> (Running, SocketAddr) {
        Running::start_with(commonground(dir).arg("--data-dir").arg(data))
    }

    fn start_with(command: &mut Command) -> (Running, SocketAddr) {
        let mut child = command
            .args(["serve", "--bind", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let running = Running { child, lines };
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let line = running
                .lines
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
                .expect("the server says where it listens within 20 seconds");
            if let Some(rest) = line.split("listening on http://").nth(1) {
                return (running, rest.trim().parse().unwrap());
            }
        }
    }

    /// Sends SIGTERM; returns the exit status and everything it printed after.
    fn terminate(&mut self) -> (std::process::ExitStatus, Vec<String>) {
        let killed = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
        let deadline = Instant::now() + Duration::from_secs(40);
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            assert!(
                Instant::now() < deadline,
                "the server did not stop within 40 seconds of SIGTERM"
            );
            std::thread::sleep(Duration::from_millis(50));
        };
        let mut said = Vec::new();
        while let Ok(line) = self.lines.recv_timeout(Duration::from_secs(10)) {
            said.push(line);
        }
        (status, said)
    }

    fn healthz(addr: SocketAddr) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            match get(addr, "/healthz") {
                Ok(response) if response.starts_with("HTTP/1.1 200") => return response,
                _ if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(50)),
                other => panic!("/healthz did not answer 200 within 20 seconds: {other:?}"),
            }
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn get(addr: SocketAddr, path: &str) -> std::io::Result<String> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    Ok(response)
}

#[test]
fn serve_answers_then_stops_cleanly_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    succeeds(
        commonground(dir.path())
            .arg("--data-dir")
            .arg(&data)
            .args(["demo", "--organisations", "10"])
            .env("COMMONGROUND_DEMO_PASSWORD", DEMO_PASSWORD),
    );
    let backup = dir.path().join("backup.db");
    succeeds(
        commonground(dir.path())
            .arg("--data-dir")
            .arg(&data)
            .args(["backup", "--to"])
            .arg(&backup),
    );

    let (mut server, addr) = Running::start(dir.path(), &data);
    assert!(addr.ip().is_loopback());
    let healthz = Running::healthz(addr);
    assert!(healthz.ends_with("ok"), "{healthz}");
    let home = get(addr, "/").unwrap();
    assert!(
        home.starts_with("HTTP/1.1 200"),
        "the home page answers: {home}"
    );

    // While it runs, the database cannot be replaced under it.
    let err = fails(
        commonground(dir.path())
            .arg("--data-dir")
            .arg(&data)
            .args(["restore", "--from"])
            .arg(&backup),
    );
    assert!(err.contains("still running"), "{err}");

    // A backup works while it runs.
    succeeds(
        commonground(dir.path())
            .arg("--data-dir")
            .arg(&data)
            .args(["backup", "--to"])
            .arg(dir.path().join("online.db")),
    );

    let (status, said) = server.terminate();
    assert!(
        status.success(),
        "a stop on SIGTERM exits with 0, got {status}"
    );
    assert!(said.iter().any(|l| l.contains("has stopped")), "{said:?}");

    // Stopped, the database can be restored.
    succeeds(
        commonground(dir.path())
            .arg("--data-dir")
            .arg(&data)
            .args(["restore", "--from"])
            .arg(&backup),
    );
}

/// The same commands on PostgreSQL, in a schema of this test's own.
#[tokio::test]
async fn on_postgresql_migrate_create_admin_and_serve() {
    let Some(url) = commonground_store::testing::postgres_or_skip(
        "on_postgresql_migrate_create_admin_and_serve",
    ) else {
        return;
    };
    let schema = format!("cg_cli_{}", &commonground_store::random_token()[..16]);
    let admin = sqlx::PgPool::connect(&url)
        .await
        .expect("TEST_POSTGRES_URL connects");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
        .execute(&admin)
        .await
        .unwrap();
    let separator = if url.contains('?') { '&' } else { '?' };
    let database_url = format!("{url}{separator}options[search_path]={schema}");
    let dir = tempfile::tempdir().unwrap();
    let password = url
        .split("://")
        .nth(1)
        .and_then(|rest| rest.split('@').next())
        .and_then(|user| user.split_once(':'))
        .map(|(_, password)| password.to_string())
        .filter(|p| p.len() >= 4);

    let out = succeeds(
        commonground(dir.path())
            .arg("migrate")
            .env("DATABASE_URL", &database_url),
    );
    assert!(out.contains("PostgreSQL"), "{out}");
    if let Some(password) = &password {
        assert!(
            !out.contains(&format!(":{password}@")),
            "the password is not shown: {out}"
        );
    }
    succeeds(
        commonground(dir.path())
            .args([
                "create-admin",
                "--email",
                "op@example.org",
                "--name",
                "Operator",
            ])
            .env("DATABASE_URL", &database_url)
            .env("COMMONGROUND_ADMIN_PASSWORD", "a long enough password"),
    );
    let (tables,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'users'",
    )
    .bind(&schema)
    .fetch_one(&admin)
    .await
    .unwrap();
    assert_eq!(tables, 1, "the tables are in the test's schema");

    let (mut server, addr) =
        Running::start_with(commonground(dir.path()).env("DATABASE_URL", &database_url));
    Running::healthz(addr);
    let (status, said) = server.terminate();
    assert!(
        status.success(),
        "a stop on SIGTERM exits with 0, got {status}"
    );
    assert!(said.iter().any(|l| l.contains("has stopped")), "{said:?}");
    assert!(
        said.iter().any(|l| l.contains("There is 1 account")),
        "the server uses the schema create-admin wrote to: {said:?}"
    );

    sqlx::query(sqlx::AssertSqlSafe(format!("DROP SCHEMA {schema} CASCADE")))
        .execute(&admin)
        .await
        .unwrap();
    admin.close().await;
}
