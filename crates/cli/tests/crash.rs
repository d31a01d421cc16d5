//! A server killed in the middle of writing loses nothing it confirmed, and
//! leaves no half-made change behind. SQLite, loopback only, bounded.
//!
//! What this does and does not prove: `kill -9` ends the process, not the
//! machine. Everything the server handed to the operating system before it
//! died is still in the OS page cache and reaches the disk later, whether or
//! not SQLite asked for it to be synced. So this test shows that a commit is
//! whole once SQLite has written it (transactions, the write-ahead log and
//! the order of writes are right); it says nothing about a power cut. For
//! that the database must sync each commit to disk (`synchronous = FULL`),
//! which no process-death test can see: the store's own tests read that
//! setting back from the connections the store hands out.

use commonground_domain::organisations::OrgRole;
use commonground_store::{ConnectOptions, Store};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

/// The server process; stopped (and waited for) when dropped, whatever happens.
struct Server(Child);

impl Server {
    /// Stops it at once with `kill -9` (SIGKILL): the process dies, the
    /// operating system and its page cache carry on.
    fn kill(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

fn start(dir: &Path) -> (Server, SocketAddr) {
    let mut server = Server(
        Command::new(env!("CARGO_BIN_EXE_commonground"))
            .current_dir(dir)
            .env_remove("DATABASE_URL")
            .env_remove("SMTP_URL")
            .env_remove("COMMONGROUND_BIND")
            .env_remove("COMMONGROUND_DATA_DIR")
            .args(["--data-dir", "data", "serve", "--bind", "127.0.0.1:0"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the server starts"),
    );
    let stdout = server.0.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let line = rx
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .expect("the server says where it listens within 20 seconds");
        if let Some(rest) = line.split("listening on http://").nth(1) {
            return (server, rest.trim().parse().unwrap());
        }
    }
}

/// One JSON request on a fresh connection; (status, body).
fn call(
    addr: SocketAddr,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: &serde_json::Value,
) -> std::io::Result<(u16, String)> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let body = body.to_string();
    let auth = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n{auth}\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    let status = response
        .get(9..12)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("no status line: {response:?}")))?;
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    Ok((status, body))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_killed_mid_write_keeps_every_confirmed_change_whole() {
    let dir = tempfile::tempdir().unwrap();
    let (mut server, addr) = start(dir.path());

    let person = serde_json::json!({
        "email": "crash@example.org", "name": "Casey Crash", "password": "correct horse battery"
    });
    let (status, body) = call(addr, "POST", "/api/v1/users", None, &person).unwrap();
    assert_eq!(status, 201, "{body}");
    let login = serde_json::json!({
        "email": "crash@example.org", "password": "correct horse battery", "label": "crash test"
    });
    let (status, body) = call(addr, "POST", "/api/v1/tokens", None, &login).unwrap();
    assert_eq!(status, 201, "{body}");
    let token: String = serde_json::from_str::<serde_json::Value>(&body).unwrap()["token"]
        .as_str()
        .unwrap()
        .to_string();

    // Four writers create organisations as fast as they can, remembering
    // every one the server confirmed, until the server dies or each has
    // made 400.
    let confirmed: Arc<Mutex<Vec<(i64, String)>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let mut writers = Vec::new();
    for w in 0..4 {
        let confirmed = confirmed.clone();
        let stop = stop.clone();
        let token = token.clone();
        writers.push(std::thread::spawn(move || {
            for i in 0..400 {
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                let name = format!("Crash Test Group {w}-{i}");
                let org = serde_json::json!({ "name": name, "kind": "community_group" });
                match call(addr, "POST", "/api/v1/organisations", Some(&token), &org) {
                    Ok((201, body)) => {
                        let id = serde_json::from_str::<serde_json::Value>(&body).unwrap()["id"]
                            .as_i64()
                            .unwrap();
                        confirmed.lock().unwrap().push((id, name));
                    }
                    Ok((status, body)) => panic!("unexpected answer {status}: {body}"),
                    Err(_) => break,
                }
            }
        }));
    }
    // Kill it without warning once writes are well under way.
    let deadline = Instant::now() + Duration::from_secs(30);
    while confirmed.lock().unwrap().len() < 60 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
    server.kill();
    stop.store(true, Ordering::Relaxed);
    for w in writers {
        w.join().expect("a writer failed");
    }
    let confirmed = confirmed.lock().unwrap().clone();
    assert!(
        confirmed.len() >= 60,
        "only {} writes were confirmed",
        confirmed.len()
    );

    // The database opens, is healthy, and has every confirmed organisation
    // with its admin and its audit record: no change half-made.
    let store = Store::connect(&ConnectOptions::sqlite_in(&dir.path().join("data")))
        .await
        .expect("the database opens after the crash");
    store.migrate().await.unwrap();
    let mut tx = store.read().await.unwrap();
    let user = tx
        .user_by_email("crash@example.org")
        .await
        .unwrap()
        .unwrap();
    let mine = tx.organisations_of(user.id).await.unwrap();
    // Only this person creates organisations, so every organisation in the
    // database, confirmed or not, must be one of theirs, with them as admin.
    // Counting all of them catches one saved without its admin, which no
    // walk through memberships can reach.
    let all = tx.count_organisations().await.unwrap();
    assert_eq!(
        all,
        mine.len() as i64,
        "{} organisations exist but only {} have their admin",
        all,
        mine.len()
    );
    assert!(
        mine.iter().all(|m| m.role == OrgRole::Admin),
        "the creator is admin of everything they made: {mine:?}"
    );
    assert!(
        mine.len() >= confirmed.len(),
        "{} organisations, {} confirmed",
        mine.len(),
        confirmed.len()
    );
    for (id, name) in &confirmed {
        let org = tx.organisation(*id).await.unwrap();
        assert_eq!(
            org.map(|o| o.name),
            Some(name.clone()),
            "organisation {id} was lost"
        );
        assert!(
            mine.iter().any(|m| m.id == *id),
            "organisation {id} lost its admin"
        );
    }
    // Whatever else was written (a request in flight when it died) is whole too.
    for org in &mine {
        let scope = tx.org_scope(user.id, org.id).await.unwrap().unwrap();
        let events = tx.organisation_audit(&scope, None, 10).await.unwrap();
        assert_eq!(
            events.len(),
            1,
            "organisation {} has {} audit records",
            org.id,
            events.len()
        );
    }
    drop(tx);
    store.close().await;

    // And the server starts again on it.
    let (mut again, addr) = start(dir.path());
    let (status, body) = call(
        addr,
        "GET",
        "/api/v1/me",
        Some(&token),
        &serde_json::json!({}),
    )
    .unwrap();
    assert_eq!(status, 200, "{body}");
    again.kill();
}
