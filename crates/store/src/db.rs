//! Connections, transactions and the shared query path.
//!
//! Every statement is written once, with `?` placeholders, and runs on either
//! database:
//!
//! - **SQLite** is driven directly through rusqlite, inside this process.
//!   A statement runs on the thread that asks for it, from a per-connection
//!   cache of prepared statements, and its rows are decoded straight from
//!   SQLite's memory: there is no worker thread and no channel per row. The
//!   statements are short indexed lookups, so running them in place costs
//!   less than handing them to another thread would. Reads use a small pool
//!   of connections (write-ahead logging lets them run beside a writer);
//!   writes use one connection, taken in turn through an async lock, so
//!   writers of one server queue without holding a thread. The two places
//!   that can wait on the disk or on another process (taking the write lock
//!   and the `fsync` at commit) step off the async worker first.
//! - **PostgreSQL** runs through sqlx's driver, with `?` rewritten to `$1, $2 …`.
//!
//! Rows are decoded by [`FromRow`], which reads either driver's rows by column
//! name (structs, through `from_row!`) or by position (tuples).

use rusqlite::OpenFlags;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions, PgRow};
use sqlx::{AssertSqlSafe, PgConnection, PgPool, Postgres, Row as _};
use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{OwnedMutexGuard, OwnedSemaphorePermit, Semaphore};

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// How long a request waits for a connection (or, on SQLite, its turn to
/// write) before giving up with a clear error instead of hanging.
const WAIT_FOR_CONNECTION: Duration = Duration::from_secs(10);
/// Prepared statements kept per connection, on SQLite and on PostgreSQL.
const STATEMENT_CACHE: usize = 256;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A unique rule was broken; names the table and column where known.
    #[error("already exists: {0}")]
    Conflict(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// No connection came free in time: the database is overloaded or stuck.
    #[error("the database is busy: no connection came free within {0} seconds")]
    Busy(u64),
    #[error("{0}")]
    Other(String),
}

impl StoreError {
    fn from_sqlx(e: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &e
            && db.is_unique_violation()
        {
            let what = db
                .constraint()
                .map(str::to_string)
                .unwrap_or_else(|| db.message().to_string());
            return StoreError::Conflict(what);
        }
        StoreError::Database(e)
    }

    pub(crate) fn from_sqlite(e: rusqlite::Error) -> Self {
        if let rusqlite::Error::SqliteFailure(code, message) = &e
            && matches!(
                code.extended_code,
                rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                    | rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY
            )
        {
            // "UNIQUE constraint failed: table.column"
            return StoreError::Conflict(message.clone().unwrap_or_else(|| code.to_string()));
        }
        StoreError::Sqlite(e)
    }

    /// True when the conflict names `needle` (a column or constraint name).
    pub fn is_conflict_on(&self, needle: &str) -> bool {
        matches!(self, StoreError::Conflict(what) if what.contains(needle))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone)]
enum Pool {
    Sqlite(Arc<SqlitePool>),
    Postgres(PgPool),
}

/// How to reach the database.
#[derive(Debug, Clone)]
pub struct ConnectOptions {
    /// `sqlite://path` or `postgres://…`.
    pub url: String,
    pub max_connections: u32,
    /// PostgreSQL only: the schema to work in (tests use one per test).
    pub schema: Option<String>,
}

impl ConnectOptions {
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            max_connections: 10,
            schema: None,
        }
    }

    /// The SQLite database file inside a data directory.
    pub fn sqlite_in(data_dir: &Path) -> Self {
        Self::new(format!(
            "sqlite://{}",
            data_dir.join("commonground.db").display()
        ))
    }
}

/// The file a `sqlite:` address names. Query options after `?` are ignored;
/// the settings that matter are fixed in [`open_sqlite`].
pub(crate) fn sqlite_path(url: &str) -> Result<PathBuf, StoreError> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .ok_or_else(|| StoreError::Other("A SQLite address starts with sqlite://".into()))?;
    let file = rest.split('?').next().unwrap_or_default();
    if file.is_empty() || file == ":memory:" {
        return Err(StoreError::Other(
            "A SQLite address must name a file, such as sqlite://data/commonground.db".into(),
        ));
    }
    Ok(PathBuf::from(file))
}

/// Opens a SQLite connection with the settings every connection shares:
/// write-ahead logging, `synchronous = FULL` (a confirmed write has reached
/// the disk), foreign keys, and a busy timeout for other processes.
pub(crate) fn open_sqlite(path: &Path, create: bool) -> Result<rusqlite::Connection, StoreError> {
    configure_sqlite();
    let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX
        | OpenFlags::SQLITE_OPEN_URI;
    if create {
        flags |= OpenFlags::SQLITE_OPEN_CREATE;
    }
    let conn = rusqlite::Connection::open_with_flags(path, flags).map_err(|e| {
        StoreError::Other(format!(
            "Could not open the database file {}: {e}",
            path.display()
        ))
    })?;
    conn.busy_timeout(Duration::from_secs(10))?;
    // Plan each statement once, whatever values are bound to it. Without
    // this SQLite plans a statement afresh whenever a value it might plan
    // by (a LIMIT, a value it has samples of) is bound, which defeats the
    // prepared-statement cache; these statements are all indexed lookups
    // that one plan serves.
    conn.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
        true,
    )?;
    // Reads come through a memory map of the file (up to 1 GiB) rather
    // than copies in each connection's page cache: fewer copies, and fewer
    // trips through the page cache's one process-wide lock.
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; \
         PRAGMA cache_size = -16000; PRAGMA temp_store = MEMORY; PRAGMA mmap_size = 1073741824;",
    )?;
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    Ok(conn)
}

/// Process-wide SQLite settings, made once before the first connection.
/// SQLite counts every allocation it makes under one process-wide lock
/// (for `sqlite3_memory_used`, which nothing here reads); with several
/// threads reading at once that lock is contended on every statement, so
/// the counting is turned off.
fn configure_sqlite() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: SQLITE_CONFIG_MEMSTATUS takes one int. It is called once,
        // before this process opens its first connection; if something
        // else already started SQLite it is refused (SQLITE_MISUSE) and
        // changes nothing, which is harmless.
        unsafe {
            rusqlite::ffi::sqlite3_config(
                rusqlite::ffi::SQLITE_CONFIG_MEMSTATUS,
                0 as std::ffi::c_int,
            );
        }
    });
}

/// SQLite connections: readers in a pool, one writer taken in turn.
struct SqlitePool {
    path: PathBuf,
    readers: Mutex<Vec<rusqlite::Connection>>,
    reader_permits: Arc<Semaphore>,
    writer: Arc<tokio::sync::Mutex<Option<rusqlite::Connection>>>,
}

impl SqlitePool {
    fn open(path: PathBuf, max_readers: u32) -> Result<SqlitePool, StoreError> {
        if let Some(dir) = path.parent()
            && !dir.as_os_str().is_empty()
            && !dir.exists()
        {
            return Err(StoreError::Other(format!(
                "The folder {} does not exist.",
                dir.display()
            )));
        }
        let writer = open_sqlite(&path, true)?;
        Ok(SqlitePool {
            path,
            readers: Mutex::new(Vec::new()),
            reader_permits: Arc::new(Semaphore::new(max_readers.clamp(1, 16) as usize)),
            writer: Arc::new(tokio::sync::Mutex::new(Some(writer))),
        })
    }

    async fn reader(self: &Arc<Self>) -> Result<ReadConn, StoreError> {
        let permit = tokio::time::timeout(
            WAIT_FOR_CONNECTION,
            self.reader_permits.clone().acquire_owned(),
        )
        .await
        .map_err(|_| StoreError::Busy(WAIT_FOR_CONNECTION.as_secs()))?
        .map_err(|_| StoreError::Other("The database has been closed.".into()))?;
        let pooled = self.readers.lock().unwrap_or_else(|p| p.into_inner()).pop();
        let conn = match pooled {
            Some(conn) => conn,
            None => {
                let conn = open_sqlite(&self.path, false)?;
                // Reads must never write behind the writer's back.
                conn.execute_batch("PRAGMA query_only = ON")?;
                conn
            }
        };
        // One read transaction for everything read through this `Tx`: the
        // reads see one moment of the database, and the shared-memory
        // locking of a write-ahead-log read happens once, not per statement.
        conn.prepare_cached("BEGIN")?.execute([])?;
        Ok(ReadConn {
            conn: Some(conn),
            pool: Arc::clone(self),
            _permit: permit,
        })
    }

    async fn writer(&self) -> Result<WriteConn, StoreError> {
        let mut guard = tokio::time::timeout(WAIT_FOR_CONNECTION, self.writer.clone().lock_owned())
            .await
            .map_err(|_| StoreError::Busy(WAIT_FOR_CONNECTION.as_secs()))?;
        let conn = guard
            .as_mut()
            .ok_or_else(|| StoreError::Other("The database has been closed.".into()))?;
        // Take the write lock now, so two writers queue instead of failing
        // midway. Another process (a backup) may hold it for a moment.
        off_worker(|| conn.execute_batch("BEGIN IMMEDIATE")).map_err(StoreError::from_sqlite)?;
        Ok(WriteConn { guard, open: true })
    }

    async fn close(&self) {
        self.reader_permits.close();
        self.readers
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
        self.writer.lock().await.take();
    }
}

/// Runs `f`, which may wait on the disk or another process, without
/// holding up the other requests on this async worker thread.
pub(crate) fn off_worker<R>(f: impl FnOnce() -> R) -> R {
    match tokio::runtime::Handle::try_current() {
        Ok(handle) if handle.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(f)
        }
        _ => f(),
    }
}

struct ReadConn {
    conn: Option<rusqlite::Connection>,
    pool: Arc<SqlitePool>,
    _permit: OwnedSemaphorePermit,
}

impl Drop for ReadConn {
    fn drop(&mut self) {
        let Some(conn) = self.conn.take() else { return };
        // End the read transaction. A connection that is somehow still in
        // one is not reused: it would show the next request an old moment.
        let ended = conn
            .prepare_cached("COMMIT")
            .and_then(|mut s| s.execute([]))
            .is_ok()
            || conn.execute_batch("ROLLBACK").is_ok();
        if ended && conn.is_autocommit() && !self.pool.reader_permits.is_closed() {
            self.pool
                .readers
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(conn);
        }
    }
}

struct WriteConn {
    guard: OwnedMutexGuard<Option<rusqlite::Connection>>,
    /// A transaction is open: roll it back unless it is committed.
    open: bool,
}

impl WriteConn {
    fn conn(&self) -> &rusqlite::Connection {
        self.guard
            .as_ref()
            .expect("checked when the writer was taken")
    }
}

impl Drop for WriteConn {
    fn drop(&mut self) {
        if self.open
            && let Some(conn) = self.guard.as_ref()
        {
            // Nothing was confirmed, so nothing is kept.
            let _ = conn.execute_batch("ROLLBACK");
        }
    }
}

/// The database, shared by every request. Cheap to clone.
#[derive(Clone)]
pub struct Store {
    pool: Pool,
    /// Write transactions committed through this store (and its clones).
    commits: Arc<AtomicU64>,
}

impl Store {
    pub async fn connect(options: &ConnectOptions) -> Result<Store, StoreError> {
        let url = options.url.trim();
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let mut connect = PgConnectOptions::from_str(url)?;
            if let Some(schema) = &options.schema {
                connect = connect.options([("search_path", schema.as_str())]);
            }
            // Plan each prepared statement once, as on SQLite. PostgreSQL
            // otherwise plans it afresh for its values on every run while
            // it judges whether a general plan would do, and planning a
            // join costs more than running these indexed lookups.
            connect = connect
                .options([("plan_cache_mode", "force_generic_plan")])
                .statement_cache_capacity(STATEMENT_CACHE);
            let pool = PgPoolOptions::new()
                .max_connections(options.max_connections.max(1))
                // No ping before every use: it doubled the round trips of
                // a short read. A connection the database has dropped fails
                // its statement and is discarded; connections are also
                // renewed every 30 minutes and after 5 idle ones.
                .test_before_acquire(false)
                .max_lifetime(Duration::from_secs(30 * 60))
                .idle_timeout(Duration::from_secs(5 * 60))
                .acquire_timeout(WAIT_FOR_CONNECTION)
                .connect_with(connect)
                .await?;
            Ok(Store {
                pool: Pool::Postgres(pool),
                commits: Arc::default(),
            })
        } else if url.starts_with("sqlite:") {
            let path = sqlite_path(url)?;
            let pool = SqlitePool::open(path, options.max_connections)?;
            Ok(Store {
                pool: Pool::Sqlite(Arc::new(pool)),
                commits: Arc::default(),
            })
        } else {
            Err(StoreError::Other(
                "The database address must start with sqlite: or postgres://".into(),
            ))
        }
    }

    /// How many write transactions this server has committed so far.
    /// Something read from the database may be kept in memory and used
    /// again only while this number stays the same, so that the server's
    /// own changes show at once. (Changes through other servers or
    /// programs do not move it.)
    pub fn commits(&self) -> u64 {
        self.commits.load(Ordering::Acquire)
    }

    pub fn backend(&self) -> Backend {
        match self.pool {
            Pool::Sqlite(_) => Backend::Sqlite,
            Pool::Postgres(_) => Backend::Postgres,
        }
    }

    /// Brings the schema up to date. Safe to run from several servers at
    /// once: on PostgreSQL sqlx holds an advisory lock while it migrates;
    /// on SQLite the whole run is one write transaction.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        match &self.pool {
            Pool::Sqlite(p) => {
                let mut w = p.writer().await?;
                migrate_sqlite(w.conn())?;
                w.open = false;
                off_worker(|| w.conn().execute_batch("COMMIT"))?;
            }
            Pool::Postgres(p) => POSTGRES_MIGRATIONS.run(p).await?,
        }
        Ok(())
    }

    /// A connection for reading. Everything read through it sees the
    /// committed data of one moment (on SQLite, one read transaction; on
    /// PostgreSQL, each statement sees what was committed when it began).
    /// Keep it for one request's reads, not across a write.
    pub async fn read(&self) -> Result<Tx, StoreError> {
        Ok(match &self.pool {
            Pool::Sqlite(p) => Tx {
                inner: Inner::SqliteRead(p.reader().await?),
                commits: None,
            },
            Pool::Postgres(p) => Tx {
                inner: Inner::PgConn(p.acquire().await?),
                commits: None,
            },
        })
    }

    /// A write transaction. On SQLite it takes the write lock at the start
    /// (`BEGIN IMMEDIATE`), so two writers queue instead of failing midway.
    /// Nothing is kept unless [`Tx::commit`] is called.
    pub async fn write(&self) -> Result<Tx, StoreError> {
        Ok(match &self.pool {
            Pool::Sqlite(p) => Tx {
                inner: Inner::SqliteWrite(p.writer().await?),
                commits: Some(Arc::clone(&self.commits)),
            },
            Pool::Postgres(p) => Tx {
                inner: Inner::PgTx(p.begin().await?),
                commits: Some(Arc::clone(&self.commits)),
            },
        })
    }

    pub async fn close(&self) {
        match &self.pool {
            Pool::Sqlite(p) => p.close().await,
            Pool::Postgres(p) => p.close().await,
        }
    }

    /// Gives the query planner fresh statistics, after a bulk load (demo
    /// data, a register import) has changed the tables' sizes by a lot.
    /// Bulk loads must end with this: PostgreSQL otherwise plans with
    /// guesses (estimates off tenfold, whole-table scans) until its
    /// autovacuum comes round.
    pub async fn analyze(&self) -> Result<(), StoreError> {
        match &self.pool {
            Pool::Sqlite(p) => {
                let mut w = p.writer().await?;
                off_worker(|| w.conn().execute_batch("ANALYZE"))?;
                w.open = false;
                off_worker(|| w.conn().execute_batch("COMMIT"))?;
            }
            Pool::Postgres(p) => {
                // Only this program's tables, in the schema it works in.
                let tables: Vec<(String,)> = sqlx::query_as(
                    "SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename",
                )
                .fetch_all(p)
                .await?;
                for (table,) in tables {
                    let quoted = format!("\"{}\"", table.replace('"', "\"\""));
                    // VACUUM as well: it marks the freshly written pages
                    // all-visible, so reads can answer from an index alone
                    // instead of visiting every row's page. (Outside a
                    // transaction, as VACUUM must be.)
                    sqlx::raw_sql(AssertSqlSafe(format!("VACUUM (ANALYZE) {quoted}")))
                        .execute(p)
                        .await?;
                }
            }
        }
        Ok(())
    }

    /// After rows were inserted with explicit ids, moves PostgreSQL's id
    /// sequences past them. (SQLite does this by itself.)
    pub(crate) async fn reset_sequences(&self) -> Result<(), StoreError> {
        if let Pool::Postgres(p) = &self.pool {
            for table in [
                "users",
                "organisations",
                "collaborations",
                "collaboration_invitations",
                "audit_events",
                "readiness_rounds",
                "shortlist_entries",
                "agreements",
                "governance_bodies",
                "workstreams",
                "tasks",
                "partner_contacts",
                "meetings",
                "meeting_attendance",
            ] {
                sqlx::query(AssertSqlSafe(format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), GREATEST(1, (SELECT COALESCE(MAX(id), 0) FROM {table})))"
                )))
                .execute(p)
                .await?;
            }
        }
        Ok(())
    }

    /// The SQLite database file, when this store is SQLite.
    pub fn sqlite_file(&self) -> Option<&Path> {
        match &self.pool {
            Pool::Sqlite(p) => Some(&p.path),
            Pool::Postgres(_) => None,
        }
    }

    pub(crate) fn pg_pool(&self) -> Option<&PgPool> {
        match &self.pool {
            Pool::Postgres(p) => Some(p),
            Pool::Sqlite(_) => None,
        }
    }
}

/// Applies the SQLite migrations that have not run yet, recording them in
/// the same `_sqlx_migrations` table (and with the same checksums) that
/// earlier versions of this program wrote, so existing databases carry on.
/// Runs inside the caller's write transaction.
fn migrate_sqlite(conn: &rusqlite::Connection) -> Result<(), StoreError> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS _sqlx_migrations (
            version BIGINT PRIMARY KEY,
            description TEXT NOT NULL,
            installed_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
            success BOOLEAN NOT NULL,
            checksum BLOB NOT NULL,
            execution_time BIGINT NOT NULL
        );",
    )?;
    let applied: Vec<(i64, bool, Vec<u8>)> = {
        let mut stmt = conn
            .prepare("SELECT version, success, checksum FROM _sqlx_migrations ORDER BY version")?;
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<Result<_, _>>()?
    };
    for (version, success, _) in &applied {
        if !success {
            return Err(StoreError::Migrate(sqlx::migrate::MigrateError::Dirty(
                *version,
            )));
        }
        if !SQLITE_MIGRATIONS.version_exists(*version) {
            return Err(StoreError::Migrate(
                sqlx::migrate::MigrateError::VersionMissing(*version),
            ));
        }
    }
    for migration in SQLITE_MIGRATIONS.iter() {
        if migration.migration_type.is_down_migration() {
            continue;
        }
        if let Some((_, _, checksum)) = applied.iter().find(|(v, _, _)| *v == migration.version) {
            if checksum.as_slice() != &*migration.checksum {
                return Err(StoreError::Migrate(
                    sqlx::migrate::MigrateError::VersionMismatch(migration.version),
                ));
            }
            continue;
        }
        let started = std::time::Instant::now();
        conn.execute_batch(migration.sql.as_str())?;
        conn.execute(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
             VALUES (?1, ?2, TRUE, ?3, ?4)",
            rusqlite::params![
                migration.version,
                &*migration.description,
                &*migration.checksum,
                started.elapsed().as_nanos() as i64
            ],
        )?;
    }
    Ok(())
}

enum Inner {
    SqliteRead(ReadConn),
    SqliteWrite(WriteConn),
    PgConn(sqlx::pool::PoolConnection<Postgres>),
    PgTx(sqlx::Transaction<'static, Postgres>),
}

/// A connection or transaction that repositories run statements on.
pub struct Tx {
    inner: Inner,
    /// The store's count of commits, moved on by [`Tx::commit`].
    commits: Option<Arc<AtomicU64>>,
}

/// A value bound to a placeholder.
#[derive(Debug, Clone)]
pub(crate) enum Val {
    I64(i64),
    OptI64(Option<i64>),
    Text(String),
    OptText(Option<String>),
    Bool(bool),
}

impl From<i64> for Val {
    fn from(v: i64) -> Self {
        Val::I64(v)
    }
}
impl From<Option<i64>> for Val {
    fn from(v: Option<i64>) -> Self {
        Val::OptI64(v)
    }
}
impl From<&str> for Val {
    fn from(v: &str) -> Self {
        Val::Text(v.to_string())
    }
}
impl From<String> for Val {
    fn from(v: String) -> Self {
        Val::Text(v)
    }
}
impl From<&String> for Val {
    fn from(v: &String) -> Self {
        Val::Text(v.clone())
    }
}
impl From<Option<String>> for Val {
    fn from(v: Option<String>) -> Self {
        Val::OptText(v)
    }
}
impl From<Option<&str>> for Val {
    fn from(v: Option<&str>) -> Self {
        Val::OptText(v.map(str::to_string))
    }
}
impl From<bool> for Val {
    fn from(v: bool) -> Self {
        Val::Bool(v)
    }
}

impl rusqlite::ToSql for Val {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        match self {
            Val::I64(v) => v.to_sql(),
            Val::OptI64(v) => v.to_sql(),
            Val::Text(v) => v.to_sql(),
            Val::OptText(v) => v.to_sql(),
            Val::Bool(v) => v.to_sql(),
        }
    }
}

/// A statement and its values. Placeholders are `?`.
pub(crate) struct Q {
    sql: Cow<'static, str>,
    args: Vec<Val>,
}

pub(crate) fn q(sql: impl Into<Cow<'static, str>>) -> Q {
    Q {
        sql: sql.into(),
        args: Vec::new(),
    }
}

impl Q {
    pub(crate) fn bind(mut self, v: impl Into<Val>) -> Self {
        self.args.push(v.into());
        self
    }

    /// Binds every value of a list, for `IN (…)` built with [`placeholders`].
    pub(crate) fn bind_all<V: Into<Val>>(mut self, vs: impl IntoIterator<Item = V>) -> Self {
        self.args.extend(vs.into_iter().map(Into::into));
        self
    }
}

/// `?, ?, ?` for an `IN` list of `n` values (at least one, so the SQL stays valid).
pub(crate) fn placeholders(n: usize) -> String {
    let n = n.max(1);
    let mut s = String::with_capacity(n * 3);
    for i in 0..n {
        if i > 0 {
            s.push_str(", ");
        }
        s.push('?');
    }
    s
}

/// Rewrites `?` to `$1, $2 …` outside quoted text, for PostgreSQL.
pub(crate) fn numbered(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 16);
    let mut n = 0;
    let mut quote: Option<char> = None;
    for c in sql.chars() {
        match quote {
            Some(qc) => {
                if c == qc {
                    quote = None;
                }
                out.push(c);
            }
            None => match c {
                '\'' | '"' => {
                    quote = Some(c);
                    out.push(c);
                }
                '?' => {
                    n += 1;
                    out.push('$');
                    out.push_str(&n.to_string());
                }
                _ => out.push(c),
            },
        }
    }
    out
}

macro_rules! bind_vals {
    ($query:expr, $args:expr) => {{
        let mut query = $query;
        for a in $args {
            query = match a {
                Val::I64(v) => query.bind(v),
                Val::OptI64(v) => query.bind(v),
                Val::Text(v) => query.bind(v),
                Val::OptText(v) => query.bind(v),
                Val::Bool(v) => query.bind(v),
            };
        }
        query
    }};
}

/// One row of a result, from either driver.
pub(crate) enum RowRef<'a> {
    Sqlite(&'a rusqlite::Row<'a>),
    Pg(&'a PgRow),
}

/// A value both drivers can decode from a column.
pub(crate) trait Column:
    rusqlite::types::FromSql + for<'r> sqlx::Decode<'r, Postgres> + sqlx::Type<Postgres>
{
}
impl<T> Column for T where
    T: rusqlite::types::FromSql + for<'r> sqlx::Decode<'r, Postgres> + sqlx::Type<Postgres>
{
}

impl RowRef<'_> {
    /// The column at `index`, which the statement calls `name`.
    pub(crate) fn named<T: Column>(&self, index: usize, name: &str) -> Result<T, StoreError> {
        if cfg!(debug_assertions) {
            let actual = match self {
                RowRef::Sqlite(r) => r.as_ref().column_name(index).ok().map(str::to_string),
                RowRef::Pg(r) => {
                    use sqlx::Column as _;
                    r.columns().get(index).map(|c| c.name().to_string())
                }
            };
            if actual.as_deref() != Some(name) {
                return Err(StoreError::Other(format!(
                    "column {index} is {actual:?}, but the row type reads it as {name:?}: \
                     list the columns in the order of the fields"
                )));
            }
        }
        self.at(index)
    }

    /// The column at `index`, counting from 0.
    pub(crate) fn at<T: Column>(&self, index: usize) -> Result<T, StoreError> {
        match self {
            RowRef::Sqlite(r) => r.get(index).map_err(StoreError::Sqlite),
            RowRef::Pg(r) => r.try_get(index).map_err(StoreError::Database),
        }
    }
}

/// One value of a [`Grid`].
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(untagged)]
pub enum Cell {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
}

/// Rows read with [`Tx::cells`]: column names and values, in order.
#[derive(Debug, Clone, Default)]
pub struct Grid {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// A type made from one row of a result.
pub(crate) trait FromRow: Sized {
    fn from_row(row: &RowRef<'_>) -> Result<Self, StoreError>;
}

/// Reads a struct from a row: `from_row!(Name { a, b, c });`. The
/// statement selects the columns in the order the fields are listed, each
/// named as its field; that is checked in debug builds (so by every test),
/// and release builds read by position, without looking names up.
macro_rules! from_row {
    ($ty:ident { $($field:ident),* $(,)? }) => {
        impl $crate::db::FromRow for $ty {
            #[allow(unused_assignments)]
            fn from_row(row: &$crate::db::RowRef<'_>) -> Result<Self, $crate::StoreError> {
                let mut index = 0usize;
                Ok($ty { $($field: {
                    let value = row.named(index, stringify!($field))?;
                    index += 1;
                    value
                }),* })
            }
        }
    };
}
pub(crate) use from_row;

macro_rules! tuple_from_row {
    ($($t:ident $i:tt),+) => {
        impl<$($t: Column),+> FromRow for ($($t,)+) {
            fn from_row(row: &RowRef<'_>) -> Result<Self, StoreError> {
                Ok(($(row.at::<$t>($i)?,)+))
            }
        }
    };
}
tuple_from_row!(A 0);
tuple_from_row!(A 0, B 1);
tuple_from_row!(A 0, B 1, C 2);
tuple_from_row!(A 0, B 1, C 2, D 3);
tuple_from_row!(A 0, B 1, C 2, D 3, E 4);
tuple_from_row!(A 0, B 1, C 2, D 3, E 4, F 5);
tuple_from_row!(A 0, B 1, C 2, D 3, E 4, F 5, G 6);
tuple_from_row!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7);

enum Conn<'a> {
    // `&mut`, not `&`: a shared reference to a connection is not `Send`,
    // and the async functions that hold this must be.
    Sqlite(&'a mut rusqlite::Connection),
    Pg(&'a mut PgConnection),
}

/// Runs one statement on SQLite and hands each row to `each`, stopping
/// after `limit` rows. Returns the number of rows changed.
fn sqlite_run(
    conn: &rusqlite::Connection,
    sql: &str,
    args: &[Val],
    limit: usize,
    mut each: impl FnMut(&RowRef<'_>) -> Result<(), StoreError>,
) -> Result<u64, StoreError> {
    let mut stmt = conn.prepare_cached(sql).map_err(StoreError::from_sqlite)?;
    let mut rows = stmt
        .query(rusqlite::params_from_iter(args))
        .map_err(StoreError::from_sqlite)?;
    let mut seen = 0;
    while seen < limit {
        match rows.next().map_err(StoreError::from_sqlite)? {
            Some(row) => each(&RowRef::Sqlite(row))?,
            None => break,
        }
        seen += 1;
    }
    drop(rows);
    Ok(conn.changes())
}

impl Tx {
    fn conn(&mut self) -> Conn<'_> {
        match &mut self.inner {
            Inner::SqliteRead(c) => Conn::Sqlite(c.conn.as_mut().expect("held until dropped")),
            Inner::SqliteWrite(w) => Conn::Sqlite(w.guard.as_mut().expect("checked when taken")),
            Inner::PgConn(c) => Conn::Pg(&mut *c),
            Inner::PgTx(t) => Conn::Pg(&mut *t),
        }
    }

    /// The SQLite connection of a write transaction, for bulk loads that
    /// run prepared statements directly.
    pub(crate) fn sqlite_writer(&mut self) -> Option<&rusqlite::Connection> {
        match &mut self.inner {
            Inner::SqliteWrite(w) => w.guard.as_ref(),
            _ => None,
        }
    }

    /// The PostgreSQL connection (or transaction), for `COPY`.
    pub(crate) fn pg_connection(&mut self) -> Option<&mut PgConnection> {
        match &mut self.inner {
            Inner::PgConn(c) => Some(&mut *c),
            Inner::PgTx(t) => Some(&mut *t),
            _ => None,
        }
    }

    pub fn backend(&self) -> Backend {
        match self.inner {
            Inner::SqliteRead(_) | Inner::SqliteWrite(_) => Backend::Sqlite,
            Inner::PgConn(_) | Inner::PgTx(_) => Backend::Postgres,
        }
    }

    pub(crate) async fn all<T: FromRow>(&mut self, q: Q) -> Result<Vec<T>, StoreError> {
        let Q { sql, args } = q;
        match self.conn() {
            Conn::Sqlite(c) => {
                let mut out = Vec::new();
                sqlite_run(c, &sql, &args, usize::MAX, |row| {
                    out.push(T::from_row(row)?);
                    Ok(())
                })?;
                Ok(out)
            }
            Conn::Pg(c) => {
                let rows = bind_vals!(sqlx::query(AssertSqlSafe(numbered(&sql))), args)
                    .fetch_all(c)
                    .await
                    .map_err(StoreError::from_sqlx)?;
                rows.iter().map(|r| T::from_row(&RowRef::Pg(r))).collect()
            }
        }
    }

    pub(crate) async fn opt<T: FromRow>(&mut self, q: Q) -> Result<Option<T>, StoreError> {
        let Q { sql, args } = q;
        match self.conn() {
            Conn::Sqlite(c) => {
                let mut out = None;
                sqlite_run(c, &sql, &args, 1, |row| {
                    out = Some(T::from_row(row)?);
                    Ok(())
                })?;
                Ok(out)
            }
            Conn::Pg(c) => {
                let row = bind_vals!(sqlx::query(AssertSqlSafe(numbered(&sql))), args)
                    .fetch_optional(c)
                    .await
                    .map_err(StoreError::from_sqlx)?;
                row.as_ref()
                    .map(|r| T::from_row(&RowRef::Pg(r)))
                    .transpose()
            }
        }
    }

    pub(crate) async fn one<T: FromRow>(&mut self, q: Q) -> Result<T, StoreError> {
        match self.backend() {
            Backend::Sqlite => self
                .opt(q)
                .await?
                .ok_or(StoreError::Sqlite(rusqlite::Error::QueryReturnedNoRows)),
            Backend::Postgres => self
                .opt(q)
                .await?
                .ok_or(StoreError::Database(sqlx::Error::RowNotFound)),
        }
    }

    /// The first column of a single-row result, as a number.
    pub(crate) async fn int(&mut self, q: Q) -> Result<i64, StoreError> {
        Ok(self.one::<(i64,)>(q).await?.0)
    }

    /// Every row of a statement, with its column names, each value read as
    /// whatever it holds (for exports, where one function reads many
    /// tables). Yes/no values come out as 1 and 0 on both databases.
    pub(crate) async fn cells(&mut self, q: Q) -> Result<Grid, StoreError> {
        let Q { sql, args } = q;
        match self.conn() {
            Conn::Sqlite(c) => {
                let mut grid = Grid::default();
                {
                    let stmt = c.prepare_cached(&sql).map_err(StoreError::from_sqlite)?;
                    grid.columns = stmt.column_names().iter().map(|n| n.to_string()).collect();
                }
                let width = grid.columns.len();
                sqlite_run(c, &sql, &args, usize::MAX, |row| {
                    let RowRef::Sqlite(r) = row else {
                        unreachable!("a SQLite row")
                    };
                    let mut out = Vec::with_capacity(width);
                    for i in 0..width {
                        use rusqlite::types::ValueRef;
                        out.push(match r.get_ref(i).map_err(StoreError::Sqlite)? {
                            ValueRef::Null => Cell::Null,
                            ValueRef::Integer(v) => Cell::Int(v),
                            ValueRef::Real(v) => Cell::Real(v),
                            ValueRef::Text(t) | ValueRef::Blob(t) => {
                                Cell::Text(String::from_utf8_lossy(t).into_owned())
                            }
                        });
                    }
                    grid.rows.push(out);
                    Ok(())
                })?;
                Ok(grid)
            }
            Conn::Pg(c) => {
                use sqlx::{Column as _, TypeInfo as _};
                let rows = bind_vals!(sqlx::query(AssertSqlSafe(numbered(&sql))), args)
                    .fetch_all(c)
                    .await
                    .map_err(StoreError::from_sqlx)?;
                let mut grid = Grid::default();
                if let Some(first) = rows.first() {
                    grid.columns = first
                        .columns()
                        .iter()
                        .map(|c| c.name().to_string())
                        .collect();
                }
                for r in &rows {
                    let mut out = Vec::with_capacity(grid.columns.len());
                    for (i, col) in r.columns().iter().enumerate() {
                        let cell = match col.type_info().name() {
                            "INT8" => r.try_get::<Option<i64>, _>(i)?.map(Cell::Int),
                            "INT4" => r.try_get::<Option<i32>, _>(i)?.map(|v| Cell::Int(v.into())),
                            "INT2" => r.try_get::<Option<i16>, _>(i)?.map(|v| Cell::Int(v.into())),
                            "BOOL" => r
                                .try_get::<Option<bool>, _>(i)?
                                .map(|v| Cell::Int(i64::from(v))),
                            "FLOAT8" => r.try_get::<Option<f64>, _>(i)?.map(Cell::Real),
                            _ => r.try_get::<Option<String>, _>(i)?.map(Cell::Text),
                        };
                        out.push(cell.unwrap_or(Cell::Null));
                    }
                    grid.rows.push(out);
                }
                Ok(grid)
            }
        }
    }

    /// Runs a statement; returns the number of rows it changed.
    pub(crate) async fn exec(&mut self, q: Q) -> Result<u64, StoreError> {
        let Q { sql, args } = q;
        match self.conn() {
            Conn::Sqlite(c) => sqlite_run(c, &sql, &args, usize::MAX, |_| Ok(())),
            Conn::Pg(c) => bind_vals!(sqlx::query(AssertSqlSafe(numbered(&sql))), args)
                .execute(c)
                .await
                .map(|r| r.rows_affected())
                .map_err(StoreError::from_sqlx),
        }
    }

    /// Keeps everything written in this transaction.
    pub async fn commit(self) -> Result<(), StoreError> {
        match self.inner {
            Inner::SqliteWrite(mut w) => {
                w.open = false;
                // With synchronous = FULL this waits for the disk.
                if let Err(e) = off_worker(|| w.conn().execute_batch("COMMIT")) {
                    let _ = w.conn().execute_batch("ROLLBACK");
                    return Err(StoreError::from_sqlite(e));
                }
            }
            Inner::PgTx(t) => t.commit().await?,
            Inner::SqliteRead(_) | Inner::PgConn(_) => {}
        }
        // Counted once the change is kept, so a read that began before it
        // was counted belongs to the count before.
        if let Some(commits) = &self.commits {
            commits.fetch_add(1, Ordering::AcqRel);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_outside_quotes() {
        assert_eq!(
            numbered("SELECT a FROM t WHERE b = ? AND c = '?' AND d IN (?, ?)"),
            "SELECT a FROM t WHERE b = $1 AND c = '?' AND d IN ($2, $3)"
        );
        assert_eq!(placeholders(3), "?, ?, ?");
        assert_eq!(placeholders(0), "?");
    }

    #[test]
    fn sqlite_addresses_name_a_file() {
        assert_eq!(
            sqlite_path("sqlite://data/commonground.db").unwrap(),
            PathBuf::from("data/commonground.db")
        );
        assert_eq!(
            sqlite_path("sqlite:///tmp/x.db?mode=rwc").unwrap(),
            PathBuf::from("/tmp/x.db")
        );
        assert!(sqlite_path("sqlite::memory:").is_err());
        assert!(sqlite_path("sqlite://").is_err());
    }
}

/// Durability settings, read back from the connections the store itself
/// hands out (the setting is per connection, so reading it from the file
/// with another connection would prove nothing).
#[cfg(test)]
mod durability {
    use super::*;

    /// Structs are read by position in release builds; debug builds (so
    /// every test) refuse a statement whose columns are not in field order.
    #[tokio::test]
    async fn a_row_read_in_the_wrong_order_is_refused() {
        struct Pair {
            a: i64,
            b: String,
        }
        from_row!(Pair { a, b });
        let dir = tempfile::tempdir().unwrap();
        let store = Store::connect(&ConnectOptions::sqlite_in(dir.path()))
            .await
            .unwrap();
        let mut tx = store.read().await.unwrap();
        let right: Pair = tx.one(q("SELECT 7 AS a, 'x' AS b")).await.unwrap();
        assert_eq!((right.a, right.b.as_str()), (7, "x"));
        let wrong = tx.one::<Pair>(q("SELECT 'x' AS b, 7 AS a")).await;
        assert!(
            matches!(&wrong, Err(StoreError::Other(m)) if m.contains("order of the fields")),
            "{:?}",
            wrong.err()
        );
        drop(tx);
        store.close().await;
    }

    /// Every commit is synced to disk before it is confirmed (FULL is 2),
    /// so a power cut loses nothing confirmed. The crash test cannot show
    /// this: after `kill -9` the operating system still holds the writes.
    #[tokio::test]
    async fn sqlite_connections_sync_every_commit() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::connect(&ConnectOptions::sqlite_in(dir.path()))
            .await
            .unwrap();
        // Hold several at once, so that more than one pooled connection is read.
        let mut held = Vec::new();
        for _ in 0..3 {
            let mut tx = store.read().await.unwrap();
            assert_eq!(tx.int(q("PRAGMA synchronous")).await.unwrap(), 2);
            let (mode,): (String,) = tx.one(q("PRAGMA journal_mode")).await.unwrap();
            assert_eq!(mode, "wal");
            assert_eq!(tx.int(q("PRAGMA foreign_keys")).await.unwrap(), 1);
            // A read can never write behind the one writer's back.
            assert_eq!(tx.int(q("PRAGMA query_only")).await.unwrap(), 1);
            assert!(tx.exec(q("CREATE TABLE sneaky (x)")).await.is_err());
            held.push(tx);
        }
        let mut tx = store.write().await.unwrap();
        assert_eq!(tx.int(q("PRAGMA synchronous")).await.unwrap(), 2);
        assert_eq!(tx.int(q("PRAGMA query_only")).await.unwrap(), 0);
        drop(tx);
        drop(held);
        store.close().await;
    }
}
