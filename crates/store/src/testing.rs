//! Fresh databases for tests: a SQLite file in the test's own folder, or,
//! when `TEST_DATABASE_URL` is set, a new schema in that PostgreSQL database.

use crate::db::q;
use crate::{ConnectOptions, Store, StoreError, Tx};
use std::path::Path;

/// The PostgreSQL address tests should use, if any.
pub fn test_database_url() -> Option<String> {
    std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.trim().is_empty())
}

/// A migrated, empty database for one test.
pub async fn fresh_store(data_dir: &Path) -> Result<Store, StoreError> {
    let options = fresh_options(data_dir).await?;
    let store = Store::connect(&options).await?;
    store.migrate().await?;
    Ok(store)
}

/// Where a test's database lives; on PostgreSQL the schema is created.
pub async fn fresh_options(data_dir: &Path) -> Result<ConnectOptions, StoreError> {
    match test_database_url() {
        Some(url) => {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(0);
            let schema = format!("cg_test_{now}_{}", &crate::random_token()[..12]);
            let admin = admin(&url).await?;
            let pool = admin.pg_pool().expect("admin() checked it is PostgreSQL");
            drop_old_test_schemas(pool, now).await?;
            run(pool, &format!("CREATE SCHEMA {schema}")).await?;
            admin.close().await;
            Ok(ConnectOptions {
                url,
                max_connections: 5,
                schema: Some(schema),
            })
        }
        None => {
            let mut options = ConnectOptions::sqlite_in(data_dir);
            options.max_connections = 5;
            Ok(options)
        }
    }
}

/// Every organisation's id, in order, for tests that read a whole world
/// back (one statement instead of probing id after id).
pub async fn organisation_ids(tx: &mut Tx) -> Result<Vec<i64>, StoreError> {
    let rows: Vec<(i64,)> = tx
        .all(q("SELECT id FROM organisations ORDER BY id"))
        .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// Every collaboration's id, in order, as [`organisation_ids`].
pub async fn collaboration_ids(tx: &mut Tx) -> Result<Vec<i64>, StoreError> {
    let rows: Vec<(i64,)> = tx
        .all(q("SELECT id FROM collaborations ORDER BY id"))
        .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// How many participant rows carry a copy of their collaboration's
/// revision that differs from it (see migration 0023): always 0.
pub async fn participant_revisions_behind(tx: &mut Tx) -> Result<i64, StoreError> {
    tx.int(q(
        "SELECT COUNT(*) FROM participants p JOIN collaborations c ON c.id = p.collaboration_id \
         WHERE p.collab_revision <> c.revision",
    ))
    .await
}

/// Every row of every table, as text in a fixed order, one line per table.
/// Two equal answers mean the database held exactly the same data both
/// times. Tests that read a whole world back after each call use it to
/// skip the reading when nothing at all was written. Left out: the record
/// of migrations, and id counters (SQLite's `sqlite_sequence`; PostgreSQL's
/// sequences are not tables), which a refused insert may move.
pub async fn contents(tx: &mut Tx) -> Result<String, StoreError> {
    // Every test database in a process is migrated alike, so the statement
    // is built once per kind of database (reading PostgreSQL's catalogue
    // of a database full of test schemas takes long).
    static SQLITE: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    static POSTGRES: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    let cell = match tx.backend() {
        crate::Backend::Sqlite => &SQLITE,
        crate::Backend::Postgres => &POSTGRES,
    };
    let sql = cell
        .get_or_try_init(|| contents_statement(tx))
        .await?
        .clone();
    if sql.is_empty() {
        return Ok(String::new());
    }
    let rows: Vec<(String, String)> = tx.all(q(sql)).await?;
    let mut out = String::new();
    for (table, rows) in rows {
        out.push_str(&table);
        out.push(' ');
        out.push_str(&rows);
        out.push('\n');
    }
    Ok(out)
}

/// The one statement [`contents`] runs, built from the database's tables.
async fn contents_statement(tx: &mut Tx) -> Result<String, StoreError> {
    let sql = match tx.backend() {
        crate::Backend::Postgres => {
            let tables: Vec<(String,)> = tx
                .all(q("SELECT c.relname::text FROM pg_class c \
                        JOIN pg_namespace n ON n.oid = c.relnamespace \
                        WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') \
                          AND c.relname <> '_sqlx_migrations' \
                        ORDER BY 1"))
                .await?;
            tables
                .iter()
                .map(|(t,)| {
                    format!(
                        "SELECT '{t}', COALESCE(md5(string_agg(x::text, E'\\n' ORDER BY x::text)), '') \
                         FROM \"{t}\" x"
                    )
                })
                .collect::<Vec<_>>()
        }
        crate::Backend::Sqlite => {
            let columns: Vec<(String, String)> = tx
                .all(q("SELECT m.name, p.name FROM sqlite_master m \
                        JOIN pragma_table_info(m.name) p \
                        WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' \
                          AND m.name <> '_sqlx_migrations' \
                        ORDER BY m.name, p.cid"))
                .await?;
            let mut tables: Vec<(String, Vec<String>)> = Vec::new();
            for (table, column) in columns {
                match tables.last_mut() {
                    Some((t, cs)) if *t == table => cs.push(column),
                    _ => tables.push((table, vec![column])),
                }
            }
            tables
                .iter()
                .map(|(t, cs)| {
                    let row = cs
                        .iter()
                        .map(|c| format!("quote(\"{c}\")"))
                        .collect::<Vec<_>>()
                        .join(" || ',' || ");
                    format!(
                        "SELECT '{t}', COALESCE(group_concat(r, char(10) ORDER BY r), '') \
                         FROM (SELECT {row} AS r FROM \"{t}\")"
                    )
                })
                .collect::<Vec<_>>()
        }
    };
    Ok(sql.join(" UNION ALL "))
}

/// Makes an empty schema in a PostgreSQL database (for the benchmark).
pub async fn create_postgres_schema(url: &str, schema: &str) -> Result<(), StoreError> {
    on_postgres(url, &format!("CREATE SCHEMA {}", safe_name(schema)?)).await
}

/// Drops a schema made by [`create_postgres_schema`], with everything in it.
pub async fn drop_postgres_schema(url: &str, schema: &str) -> Result<(), StoreError> {
    on_postgres(
        url,
        &format!("DROP SCHEMA IF EXISTS {} CASCADE", safe_name(schema)?),
    )
    .await
}

fn safe_name(name: &str) -> Result<&str, StoreError> {
    if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        Ok(name)
    } else {
        Err(StoreError::Other(format!(
            "{name:?} is not a plain schema name"
        )))
    }
}

/// One connection to a PostgreSQL database, outside any schema.
async fn admin(url: &str) -> Result<Store, StoreError> {
    let admin = Store::connect(&ConnectOptions {
        url: url.to_string(),
        max_connections: 1,
        schema: None,
    })
    .await?;
    if admin.pg_pool().is_none() {
        return Err(StoreError::Other(
            "This needs a postgres:// address.".into(),
        ));
    }
    Ok(admin)
}

async fn run(pool: &sqlx::PgPool, sql: &str) -> Result<(), StoreError> {
    sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
        .execute(pool)
        .await?;
    Ok(())
}

async fn on_postgres(url: &str, sql: &str) -> Result<(), StoreError> {
    let admin = admin(url).await?;
    let result = run(admin.pg_pool().expect("admin() checked it"), sql).await;
    admin.close().await;
    result
}

/// Test schemas are not dropped when a test ends (a test may fail halfway);
/// instead each new one clears away those more than six hours old.
async fn drop_old_test_schemas(pool: &sqlx::PgPool, now: u64) -> Result<(), StoreError> {
    let names: Vec<(String,)> =
        sqlx::query_as("SELECT nspname::text FROM pg_namespace WHERE nspname LIKE 'cg\\_test\\_%'")
            .fetch_all(pool)
            .await?;
    for (name,) in names {
        let created = name
            .strip_prefix("cg_test_")
            .and_then(|rest| rest.split('_').next())
            .and_then(|t| t.parse::<u64>().ok())
            .unwrap_or(0);
        if safe_name(&name).is_ok() && created + 6 * 3600 < now {
            // Best effort: another test may be dropping it at the same moment.
            let _ = run(pool, &format!("DROP SCHEMA IF EXISTS {name} CASCADE")).await;
        }
    }
    Ok(())
}

/// Whether a test that needs PostgreSQL can run. On a developer machine
/// without it the test says so loudly and passes; under CI it must run.
/// It reads `TEST_POSTGRES_URL`, falling back to `TEST_DATABASE_URL`, so CI
/// can run such tests in its SQLite pass too.
pub fn postgres_or_skip(test: &str) -> Option<String> {
    let url = std::env::var("TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.trim().is_empty())
        .or_else(test_database_url);
    match url {
        Some(url) => Some(url),
        None => {
            if std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false") {
                panic!(
                    "{test}: TEST_POSTGRES_URL is not set, and CI needs this test to run on PostgreSQL"
                );
            }
            eprintln!("\n*** SKIPPED {test}: set TEST_POSTGRES_URL=postgres://… to run it ***\n");
            None
        }
    }
}
