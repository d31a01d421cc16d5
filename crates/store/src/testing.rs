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

/// A copy of a test's database, in a database of the new test's own: every
/// row and every id counter, so the copy goes on exactly as the original
/// would. Building a world of many people and parts takes seconds; copying
/// it takes a fraction of that. Nothing may write to `source` meanwhile.
pub async fn copy_store(
    source: &ConnectOptions,
    data_dir: &Path,
) -> Result<(ConnectOptions, Store), StoreError> {
    match (&source.schema, test_database_url()) {
        (Some(from), Some(_)) => {
            let options = fresh_options(data_dir).await?;
            let store = Store::connect(&options).await?;
            store.migrate().await?;
            let to = options
                .schema
                .as_deref()
                .expect("fresh_options() made a schema");
            copy_schema(
                store.pg_pool().expect("a schema is PostgreSQL"),
                safe_name(from)?,
                to,
            )
            .await?;
            Ok((options, store))
        }
        (None, None) => {
            let from = crate::db::sqlite_path(&source.url)?;
            let options = fresh_options(data_dir).await?;
            let to = crate::db::sqlite_path(&options.url)?;
            let to = to
                .to_str()
                .ok_or_else(|| StoreError::Other("The test folder's name is not UTF-8.".into()))?
                .replace('\'', "''");
            // VACUUM INTO writes one consistent copy of what is committed,
            // the id counters (sqlite_sequence) and the record of
            // migrations included.
            let conn = crate::db::open_sqlite(&from, false)?;
            conn.execute_batch(&format!("VACUUM INTO '{to}'"))?;
            drop(conn);
            let store = Store::connect(&options).await?;
            Ok((options, store))
        }
        _ => Err(StoreError::Other(
            "Copy a test database only within the kind of database the tests use.".into(),
        )),
    }
}

/// What [`copy_schema`] copies: each table with its columns, the id
/// counters, and the tables with triggers of their own.
struct CopyPlan {
    tables: Vec<(String, Vec<String>)>,
    sequences: Vec<String>,
    triggered: Vec<String>,
}

/// Reads what to copy from schema `from`'s catalogue.
async fn copy_plan(pool: &sqlx::PgPool, from: &str) -> Result<CopyPlan, StoreError> {
    let columns: Vec<(String, String)> = sqlx::query_as(
        "SELECT c.relname::text, a.attname::text FROM pg_class c \
         JOIN pg_namespace n ON n.oid = c.relnamespace \
         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped \
         WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND c.relname <> '_sqlx_migrations' \
         ORDER BY c.relname, a.attnum",
    )
    .bind(from)
    .fetch_all(pool)
    .await?;
    let mut tables: Vec<(String, Vec<String>)> = Vec::new();
    for (table, column) in columns {
        match tables.last_mut() {
            Some((t, cs)) if *t == table => cs.push(format!("\"{column}\"")),
            _ => tables.push((table, vec![format!("\"{column}\"")])),
        }
    }
    let sequences: Vec<(String,)> = sqlx::query_as(
        "SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE n.nspname = $1 AND c.relkind = 'S' ORDER BY 1",
    )
    .bind(from)
    .fetch_all(pool)
    .await?;
    let triggered: Vec<(String,)> = sqlx::query_as(
        "SELECT DISTINCT c.relname::text FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid \
         JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE n.nspname = $1 AND NOT g.tgisinternal ORDER BY 1",
    )
    .bind(from)
    .fetch_all(pool)
    .await?;
    if tables.is_empty() {
        return Err(StoreError::Other(format!(
            "The test schema {from} has no tables to copy."
        )));
    }
    Ok(CopyPlan {
        tables,
        sequences: sequences.into_iter().map(|(s,)| s).collect(),
        triggered: triggered.into_iter().map(|(t,)| t).collect(),
    })
}

/// Copies every row of schema `from` into the migrated schema `to`, in one
/// transaction: the copy's triggers off, its tables emptied, every row put
/// in by one statement (so foreign keys, checked at its end, hold whatever
/// the order), the triggers on again, and each id counter set to where the
/// original's stands.
async fn copy_schema(pool: &sqlx::PgPool, from: &str, to: &str) -> Result<(), StoreError> {
    // Every test schema in a process is migrated alike, so what to copy is
    // read once (the catalogue of a database full of test schemas is slow
    // to search).
    static PLAN: tokio::sync::OnceCell<CopyPlan> = tokio::sync::OnceCell::const_new();
    let plan = PLAN.get_or_try_init(|| copy_plan(pool, from)).await?;
    let each = |sql: &dyn Fn(usize, &str, &str) -> String| {
        plan.tables
            .iter()
            .enumerate()
            .map(|(i, (t, cs))| sql(i, t, &cs.join(", ")))
            .collect::<Vec<_>>()
            .join(", ")
    };
    // The migrations fill some tables (the readiness statements): empty
    // them all first, so the copy holds exactly the original's rows.
    let deletes = each(&|i, t, _| format!("d{i} AS (DELETE FROM \"{to}\".\"{t}\")"));
    let inserts = each(&|i, t, cs| {
        format!("t{i} AS (INSERT INTO \"{to}\".\"{t}\" ({cs}) SELECT {cs} FROM \"{from}\".\"{t}\")")
    });
    let mut tx = pool.begin().await?;
    // The copy's own triggers stay off while it is filled: the rows they
    // would derive are copied as the original's triggers left them.
    for t in &plan.triggered {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "ALTER TABLE \"{to}\".\"{t}\" DISABLE TRIGGER USER"
        )))
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query(sqlx::AssertSqlSafe(format!("WITH {deletes} SELECT 1")))
        .execute(&mut *tx)
        .await?;
    sqlx::query(sqlx::AssertSqlSafe(format!("WITH {inserts} SELECT 1")))
        .execute(&mut *tx)
        .await?;
    for t in &plan.triggered {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "ALTER TABLE \"{to}\".\"{t}\" ENABLE TRIGGER USER"
        )))
        .execute(&mut *tx)
        .await?;
    }
    if !plan.sequences.is_empty() {
        let counters = plan
            .sequences
            .iter()
            .map(|s| {
                format!(
                    "SELECT setval('\"{to}\".\"{s}\"', last_value, is_called) FROM \"{from}\".\"{s}\""
                )
            })
            .collect::<Vec<_>>()
            .join(" UNION ALL ");
        sqlx::query(sqlx::AssertSqlSafe(counters))
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
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
