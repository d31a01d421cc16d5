//! The SQLite and PostgreSQL migrations must build the same schema: the
//! same tables with the same columns. Needs PostgreSQL (TEST_POSTGRES_URL,
//! or TEST_DATABASE_URL); without it the test says so loudly, and under CI
//! it fails.

use commonground_store::{ConnectOptions, Store, testing};
use sqlx::Row;
use std::collections::BTreeMap;

type Schema = BTreeMap<String, Vec<String>>;

async fn sqlite_schema() -> Schema {
    let dir = tempfile::tempdir().unwrap();
    let options = ConnectOptions::sqlite_in(dir.path());
    let store = Store::connect(&options).await.unwrap();
    store.migrate().await.unwrap();
    // Migrating twice is harmless.
    store.migrate().await.unwrap();
    store.close().await;

    let conn = rusqlite::Connection::open(dir.path().join("commonground.db")).unwrap();
    let tables: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut schema = Schema::new();
    for table in tables {
        let mut columns: Vec<String> = conn
            .prepare("SELECT name FROM pragma_table_info(?1)")
            .unwrap()
            .query_map([&table], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        columns.sort();
        schema.insert(table, columns);
    }
    schema
}

async fn postgres_schema(url: &str) -> Schema {
    let admin = sqlx::PgPool::connect(url)
        .await
        .expect("connect to PostgreSQL");
    let schema_name = format!(
        "cg_schema_test_{}",
        &commonground_store::random_token()[..12]
    );
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema_name}")))
        .execute(&admin)
        .await
        .unwrap();
    let store = Store::connect(&ConnectOptions {
        url: url.to_string(),
        max_connections: 2,
        schema: Some(schema_name.clone()),
    })
    .await
    .unwrap();
    store.migrate().await.unwrap();
    store.migrate().await.unwrap();
    store.close().await;

    let rows = sqlx::query(
        "SELECT table_name::text, column_name::text FROM information_schema.columns \
         WHERE table_schema = $1 ORDER BY table_name, column_name",
    )
    .bind(&schema_name)
    .fetch_all(&admin)
    .await
    .unwrap();
    let mut schema = Schema::new();
    for r in rows {
        schema
            .entry(r.get::<String, _>(0))
            .or_default()
            .push(r.get::<String, _>(1));
    }
    for columns in schema.values_mut() {
        columns.sort();
    }
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "DROP SCHEMA {schema_name} CASCADE"
    )))
    .execute(&admin)
    .await
    .unwrap();
    admin.close().await;
    schema
}

#[tokio::test]
async fn sqlite_schema_has_the_expected_tables() {
    let schema = sqlite_schema().await;
    for table in [
        "users",
        "sessions",
        "api_tokens",
        "sign_in_attempts",
        "password_resets",
        "organisations",
        "memberships",
        "member_invitations",
        "collaborations",
        "participants",
        "collaboration_invitations",
        "audit_events",
        "register_charities",
        "register_linked_charities",
        "register_classification_codes",
        "register_classifications",
        "register_areas",
        "register_other_names",
        "directory_changes",
    ] {
        assert!(
            schema.contains_key(table),
            "missing table {table}: {schema:?}"
        );
    }
    assert!(schema["organisations"].contains(&"org_identifier".to_string()));
}

#[tokio::test]
async fn sqlite_and_postgresql_migrations_build_the_same_tables_and_columns() {
    let Some(url) = testing::postgres_or_skip(
        "sqlite_and_postgresql_migrations_build_the_same_tables_and_columns",
    ) else {
        return;
    };
    let lite = sqlite_schema().await;
    let pg = postgres_schema(&url).await;
    let lite_tables: Vec<&String> = lite.keys().collect();
    let pg_tables: Vec<&String> = pg.keys().collect();
    assert_eq!(
        lite_tables, pg_tables,
        "the two backends have different tables"
    );
    for (table, columns) in &lite {
        assert_eq!(columns, &pg[table], "table {table} has different columns");
    }
    assert!(lite.len() >= 12, "{lite:?}");
}
