//! Connections, transactions and the shared query path.

use sqlx::postgres::{PgConnectOptions, PgPoolOptions, PgRow};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteRow, SqliteSynchronous,
};
use sqlx::{AssertSqlSafe, FromRow, PgConnection, PgPool, SqliteConnection, SqlitePool};
use std::borrow::Cow;
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A unique rule was broken; names the table and column where known.
    #[error("already exists: {0}")]
    Conflict(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
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
    Sqlite(SqlitePool),
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

/// The database, shared by every request. Cheap to clone.
#[derive(Clone)]
pub struct Store {
    pool: Pool,
}

impl Store {
    pub async fn connect(options: &ConnectOptions) -> Result<Store, StoreError> {
        let url = options.url.trim();
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let mut connect = PgConnectOptions::from_str(url)?;
            if let Some(schema) = &options.schema {
                connect = connect.options([("search_path", schema.as_str())]);
            }
            let pool = PgPoolOptions::new()
                .max_connections(options.max_connections.max(1))
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(connect)
                .await?;
            Ok(Store {
                pool: Pool::Postgres(pool),
            })
        } else if url.starts_with("sqlite:") {
            let connect = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
                .pragma("cache_size", "-32000");
            let pool = SqlitePoolOptions::new()
                .max_connections(options.max_connections.clamp(1, 16))
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(connect)
                .await?;
            Ok(Store {
                pool: Pool::Sqlite(pool),
            })
        } else {
            Err(StoreError::Other(
                "The database address must start with sqlite: or postgres://".into(),
            ))
        }
    }

    pub fn backend(&self) -> Backend {
        match self.pool {
            Pool::Sqlite(_) => Backend::Sqlite,
            Pool::Postgres(_) => Backend::Postgres,
        }
    }

    /// Brings the schema up to date. Safe to run from several servers at
    /// once on PostgreSQL: sqlx holds an advisory lock while it migrates.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        match &self.pool {
            Pool::Sqlite(p) => SQLITE_MIGRATIONS.run(p).await?,
            Pool::Postgres(p) => POSTGRES_MIGRATIONS.run(p).await?,
        }
        Ok(())
    }

    /// A connection for reading. Each statement sees committed data.
    pub async fn read(&self) -> Result<Tx, StoreError> {
        Ok(match &self.pool {
            Pool::Sqlite(p) => Tx {
                inner: Inner::SqliteConn(p.acquire().await?),
            },
            Pool::Postgres(p) => Tx {
                inner: Inner::PgConn(p.acquire().await?),
            },
        })
    }

    /// A write transaction. On SQLite it takes the write lock at the start
    /// (`BEGIN IMMEDIATE`), so two writers queue instead of failing midway.
    /// Nothing is kept unless [`Tx::commit`] is called.
    pub async fn write(&self) -> Result<Tx, StoreError> {
        Ok(match &self.pool {
            Pool::Sqlite(p) => Tx {
                inner: Inner::SqliteTx(p.begin_with("BEGIN IMMEDIATE").await?),
            },
            Pool::Postgres(p) => Tx {
                inner: Inner::PgTx(p.begin().await?),
            },
        })
    }

    pub async fn close(&self) {
        match &self.pool {
            Pool::Sqlite(p) => p.close().await,
            Pool::Postgres(p) => p.close().await,
        }
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

    pub(crate) fn sqlite_pool(&self) -> Option<&SqlitePool> {
        match &self.pool {
            Pool::Sqlite(p) => Some(p),
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

enum Inner {
    SqliteConn(sqlx::pool::PoolConnection<sqlx::Sqlite>),
    SqliteTx(sqlx::Transaction<'static, sqlx::Sqlite>),
    PgConn(sqlx::pool::PoolConnection<sqlx::Postgres>),
    PgTx(sqlx::Transaction<'static, sqlx::Postgres>),
}

/// A connection or transaction that repositories run statements on.
pub struct Tx {
    inner: Inner,
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

/// A row type that both drivers can decode.
pub(crate) trait AnyRow:
    for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin
{
}
impl<T> AnyRow for T where
    T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin
{
}

enum Conn<'a> {
    Sqlite(&'a mut SqliteConnection),
    Pg(&'a mut PgConnection),
}

impl Tx {
    fn conn(&mut self) -> Conn<'_> {
        match &mut self.inner {
            Inner::SqliteConn(c) => Conn::Sqlite(&mut *c),
            Inner::SqliteTx(t) => Conn::Sqlite(&mut *t),
            Inner::PgConn(c) => Conn::Pg(&mut *c),
            Inner::PgTx(t) => Conn::Pg(&mut *t),
        }
    }

    pub fn backend(&self) -> Backend {
        match self.inner {
            Inner::SqliteConn(_) | Inner::SqliteTx(_) => Backend::Sqlite,
            Inner::PgConn(_) | Inner::PgTx(_) => Backend::Postgres,
        }
    }

    pub(crate) async fn all<T: AnyRow>(&mut self, q: Q) -> Result<Vec<T>, StoreError> {
        let Q { sql, args } = q;
        let result = match self.conn() {
            Conn::Sqlite(c) => {
                bind_vals!(
                    sqlx::query_as::<_, T>(AssertSqlSafe(sql.into_owned())),
                    args
                )
                .fetch_all(c)
                .await
            }
            Conn::Pg(c) => {
                bind_vals!(sqlx::query_as::<_, T>(AssertSqlSafe(numbered(&sql))), args)
                    .fetch_all(c)
                    .await
            }
        };
        result.map_err(StoreError::from_sqlx)
    }

    pub(crate) async fn opt<T: AnyRow>(&mut self, q: Q) -> Result<Option<T>, StoreError> {
        let Q { sql, args } = q;
        let result = match self.conn() {
            Conn::Sqlite(c) => {
                bind_vals!(
                    sqlx::query_as::<_, T>(AssertSqlSafe(sql.into_owned())),
                    args
                )
                .fetch_optional(c)
                .await
            }
            Conn::Pg(c) => {
                bind_vals!(sqlx::query_as::<_, T>(AssertSqlSafe(numbered(&sql))), args)
                    .fetch_optional(c)
                    .await
            }
        };
        result.map_err(StoreError::from_sqlx)
    }

    pub(crate) async fn one<T: AnyRow>(&mut self, q: Q) -> Result<T, StoreError> {
        self.opt(q)
            .await?
            .ok_or_else(|| StoreError::Database(sqlx::Error::RowNotFound))
    }

    /// The first column of a single-row result, as a number.
    pub(crate) async fn int(&mut self, q: Q) -> Result<i64, StoreError> {
        Ok(self.one::<(i64,)>(q).await?.0)
    }

    /// Runs a statement; returns the number of rows it changed.
    pub(crate) async fn exec(&mut self, q: Q) -> Result<u64, StoreError> {
        let Q { sql, args } = q;
        let result = match self.conn() {
            Conn::Sqlite(c) => bind_vals!(sqlx::query(AssertSqlSafe(sql.into_owned())), args)
                .execute(c)
                .await
                .map(|r| r.rows_affected()),
            Conn::Pg(c) => bind_vals!(sqlx::query(AssertSqlSafe(numbered(&sql))), args)
                .execute(c)
                .await
                .map(|r| r.rows_affected()),
        };
        result.map_err(StoreError::from_sqlx)
    }

    /// Keeps everything written in this transaction.
    pub async fn commit(self) -> Result<(), StoreError> {
        match self.inner {
            Inner::SqliteTx(t) => t.commit().await?,
            Inner::PgTx(t) => t.commit().await?,
            Inner::SqliteConn(_) | Inner::PgConn(_) => {}
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
}

/// Durability settings, read back from the connections the store itself
/// hands out (the setting is per connection, so reading it from the file
/// with another connection would prove nothing).
#[cfg(test)]
mod durability {
    use super::*;

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
            held.push(tx);
        }
        let mut tx = store.write().await.unwrap();
        assert_eq!(tx.int(q("PRAGMA synchronous")).await.unwrap(), 2);
        drop(tx);
        drop(held);
        store.close().await;
    }
}
