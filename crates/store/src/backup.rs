//! Online backup and restore of the embedded SQLite database.

use crate::db::open_sqlite;
use crate::{Store, StoreError};
use rusqlite::OpenFlags;
use std::path::Path;

/// Writes a consistent copy of the live database to `target` while the
/// server keeps running (`VACUUM INTO` reads one snapshot).
pub async fn backup_sqlite(store: &Store, target: &Path) -> Result<(), StoreError> {
    let Some(live) = store.sqlite_file() else {
        return Err(StoreError::Other(
            "Backup here is for the built-in SQLite database. For PostgreSQL use pg_dump.".into(),
        ));
    };
    if target.exists() {
        return Err(StoreError::Other(format!(
            "{} already exists. Choose a new file name so no backup is overwritten.",
            target.display()
        )));
    }
    // A connection of its own: the copy reads one snapshot for as long as
    // it takes, off the async threads, while the server goes on writing.
    let live = live.to_path_buf();
    let target = target.to_string_lossy().into_owned();
    tokio::task::spawn_blocking(move || {
        let conn = open_sqlite(&live, false)?;
        conn.execute("VACUUM INTO ?1", [target])?;
        Ok(())
    })
    .await
    .map_err(|e| StoreError::Other(format!("The backup stopped unexpectedly: {e}")))?
}

/// Checks that `file` is a healthy Common Ground database and returns how
/// many migrations it has.
pub async fn check_backup(file: &Path) -> Result<i64, StoreError> {
    if !file.is_file() {
        return Err(StoreError::Other(format!(
            "There is no file at {}.",
            file.display()
        )));
    }
    let conn = rusqlite::Connection::open_with_flags(
        file,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| {
        StoreError::Other(format!(
            "{} is not a database this program can open: {e}",
            file.display()
        ))
    })?;
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|e| {
            StoreError::Other(format!("{} is not a SQLite database: {e}", file.display()))
        })?;
    if integrity != "ok" {
        return Err(StoreError::Other(format!(
            "{} is damaged: {integrity}",
            file.display()
        )));
    }
    let migrations: Result<i64, _> = conn.query_row(
        "SELECT COUNT(*) FROM _sqlx_migrations WHERE success",
        [],
        |r| r.get(0),
    );
    drop(conn);
    match migrations {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(StoreError::Other(format!(
            "{} is a SQLite file but not a Common Ground backup.",
            file.display()
        ))),
    }
}

/// Replaces the database in `data_dir` with the backup `file`. The server
/// must be stopped. The old database is kept beside it, renamed.
pub async fn restore_sqlite(
    file: &Path,
    data_dir: &Path,
    now: i64,
) -> Result<std::path::PathBuf, StoreError> {
    check_backup(file).await?;
    std::fs::create_dir_all(data_dir).map_err(io)?;
    let live = data_dir.join("commonground.db");
    let staging = data_dir.join("commonground.db.restoring");
    std::fs::copy(file, &staging).map_err(io)?;
    std::fs::File::open(&staging)
        .and_then(|f| f.sync_all())
        .map_err(io)?;
    let mut kept = live.clone();
    if live.exists() {
        kept = data_dir.join(format!("commonground.db.before-restore-{now}"));
        // Fold the write-ahead log into the old file before moving it aside.
        if let Ok(conn) = open_sqlite(&live, false) {
            let _ = conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)");
        }
        std::fs::rename(&live, &kept).map_err(io)?;
    }
    for suffix in ["-wal", "-shm"] {
        let side = data_dir.join(format!("commonground.db{suffix}"));
        if side.exists() {
            std::fs::remove_file(side).map_err(io)?;
        }
    }
    std::fs::rename(&staging, &live).map_err(io)?;
    Ok(kept)
}

fn io(e: std::io::Error) -> StoreError {
    StoreError::Other(e.to_string())
}
