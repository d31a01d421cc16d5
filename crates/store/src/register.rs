//! The Charity Commission register in the database: the bulk import of an
//! extract, and reading a charity back.
//!
//! An import reads the whole extract first ([`crate::extract`]), compares
//! each main charity's digest with the one stored, and writes only the
//! charities that are new or changed, in transactions of
//! [`BATCH`] main charities each, so that a server running beside it
//! waits a moment at most. On SQLite the rows go through the store's one
//! writer with prepared statements; on PostgreSQL through `COPY` (into a
//! staging table for the main rows, which are then merged with
//! `INSERT … ON CONFLICT`). Charities that were registered and are missing
//! from the new extract are marked removed. The import ends by analysing
//! the tables, as every bulk load must.

use crate::db::{Tx, off_worker, q};
use crate::extract::{Extract, Problem, TableError, read_extract};
use crate::{Backend, Store, StoreError};
use commonground_domain::register::{
    Charity, CharityRow, GoverningDocumentRow, Status, Table, org_identifier,
};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::Path;

/// Main charities written per transaction.
pub const BATCH: usize = 10_000;

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportSummary {
    /// Rows of the charity table read (main and linked charities).
    pub charity_rows: u64,
    /// Of those, the good rows that say Registered, and Removed.
    pub registered_rows: u64,
    pub removed_rows: u64,
    /// Rows read from all tables.
    pub rows: u64,
    /// Main charities in the extract, and linked charities under them.
    pub main_charities: u64,
    pub linked_charities: u64,
    /// Main charities new to the database, changed, and unchanged.
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
    /// Charities registered before and missing from this extract, now
    /// marked removed.
    pub removed: u64,
    /// Rows skipped as malformed, each in [`ImportSummary::problems`].
    pub skipped: u64,
    pub problems: Vec<Problem>,
    /// Tables other than the charity table that were missing or
    /// unusable; what the database held of them was left as it was.
    pub unusable: Vec<TableError>,
    /// Rows written to the database, all tables together.
    pub rows_written: u64,
    /// Time spent reading and checking the files, writing, and analysing.
    pub reading: std::time::Duration,
    pub writing: std::time::Duration,
    pub analysing: std::time::Duration,
}

/// How far an import has got.
#[derive(Debug, Clone, Copy)]
pub enum ImportProgress {
    /// Bytes of a table's text read, of its size.
    Reading { table: Table, done: u64, total: u64 },
    /// Main charities written, of those to write.
    Writing { done: u64, total: u64 },
    /// Marking charities missing from the extract as removed.
    Removing,
    /// Analysing the tables.
    Analysing,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The charity table (or the folder) could not be used.
    #[error("{0}")]
    Extract(TableError),
    #[error("{0}")]
    Store(#[from] StoreError),
}

/// Imports the extract in `folder`. See the module documentation.
pub async fn import_register(
    store: &Store,
    folder: &Path,
    now: i64,
    progress: &mut (dyn FnMut(ImportProgress) + Send),
) -> Result<ImportSummary, ImportError> {
    let started = std::time::Instant::now();
    let extract = off_worker(|| {
        read_extract(folder, &mut |table, done, total| {
            progress(ImportProgress::Reading { table, done, total })
        })
    })
    .map_err(ImportError::Extract)?;
    let reading = started.elapsed();
    let mut summary = write_extract(store, extract, now, progress).await?;
    summary.reading = reading;
    Ok(summary)
}

/// Writes an extract that has been read.
pub async fn write_extract(
    store: &Store,
    extract: Extract,
    now: i64,
    progress: &mut (dyn FnMut(ImportProgress) + Send),
) -> Result<ImportSummary, StoreError> {
    let Extract {
        charities,
        charity_rows,
        rows,
        tables,
        unusable,
        problems,
        skipped_charities,
    } = extract;
    let mut summary = ImportSummary {
        charity_rows,
        rows,
        skipped: problems.len() as u64,
        problems,
        unusable,
        main_charities: charities.len() as u64,
        ..ImportSummary::default()
    };
    for c in &charities {
        summary.linked_charities += c.linked.len() as u64;
        for r in std::iter::once(&c.main).chain(&c.linked) {
            match r.status {
                Status::Registered => summary.registered_rows += 1,
                Status::Removed => summary.removed_rows += 1,
            }
        }
    }

    // What the database holds now.
    let existing: HashMap<String, (i64, String)> = {
        let mut tx = store.read().await?;
        let rows: Vec<(String, i64, String)> = tx
            .all(q(
                "SELECT org_identifier, row_hash, status FROM register_charities",
            ))
            .await?;
        rows.into_iter().map(|(k, h, s)| (k, (h, s))).collect()
    };

    // The register's own wording of each classification code.
    let mut codes: BTreeMap<i64, (&'static str, &str)> = BTreeMap::new();
    for c in &charities {
        for cl in &c.classifications {
            codes
                .entry(cl.code)
                .or_insert((cl.kind.code(), cl.description.as_str()));
        }
    }
    if !codes.is_empty() {
        let mut tx = store.write().await?;
        for (code, (kind, description)) in &codes {
            tx.exec(
                q("INSERT INTO register_classification_codes (code, kind, description) VALUES (?, ?, ?) \
                   ON CONFLICT (code) DO UPDATE SET kind = excluded.kind, description = excluded.description")
                .bind(*code)
                .bind(*kind)
                .bind(*description),
            )
            .await?;
        }
        tx.commit().await?;
    }

    // Which charities to write.
    let mut in_extract: HashMap<&str, ()> = HashMap::with_capacity(charities.len());
    let mut to_write: Vec<Planned<'_>> = Vec::new();
    let keys: Vec<String> = charities.iter().map(|c| c.main.org_identifier()).collect();
    for (charity, key) in charities.iter().zip(&keys) {
        in_extract.insert(key.as_str(), ());
        let digest = charity.digest();
        match existing.get(key) {
            Some((stored, _)) if *stored == digest => summary.unchanged += 1,
            Some(_) => {
                summary.updated += 1;
                to_write.push(Planned {
                    charity,
                    digest,
                    existed: true,
                });
            }
            None => {
                summary.inserted += 1;
                to_write.push(Planned {
                    charity,
                    digest,
                    existed: false,
                });
            }
        }
    }

    let plan = WritePlan {
        objects: tables.contains(&Table::GoverningDocument),
        classifications: tables.contains(&Table::Classification),
        areas: tables.contains(&Table::AreaOfOperation),
        other_names: tables.contains(&Table::OtherNames),
        now,
    };
    let writing = std::time::Instant::now();
    let total = to_write.len() as u64;
    let mut done = 0u64;
    progress(ImportProgress::Writing { done, total });
    for batch in to_write.chunks(BATCH) {
        let mut tx = store.write().await?;
        summary.rows_written += match tx.backend() {
            Backend::Sqlite => {
                let conn = tx.sqlite_writer().expect("a SQLite write transaction");
                off_worker(|| write_sqlite(conn, batch, &plan))?
            }
            Backend::Postgres => write_postgres(&mut tx, batch, &plan).await?,
        };
        tx.commit().await?;
        done += batch.len() as u64;
        progress(ImportProgress::Writing { done, total });
    }

    // Registered before, and not in this extract: removed. A charity whose
    // row was skipped as malformed is not missing; and an extract without
    // a single good charity row marks nothing removed.
    progress(ImportProgress::Removing);
    let skipped: HashSet<String> = skipped_charities.into_iter().map(org_identifier).collect();
    let gone: Vec<&String> = existing
        .iter()
        .filter(|(k, (_, status))| {
            status == Status::Registered.code()
                && !in_extract.contains_key(k.as_str())
                && !skipped.contains(k.as_str())
        })
        .filter(|_| !charities.is_empty())
        .map(|(k, _)| k)
        .collect();
    for chunk in gone.chunks(500) {
        let mut tx = store.write().await?;
        let n = tx
            .exec(
                q(format!(
                    "UPDATE register_charities SET status = 'removed', row_hash = 0, imported_at = ? \
                     WHERE status = 'registered' AND org_identifier IN ({})",
                    crate::db::placeholders(chunk.len())
                ))
                .bind(now)
                .bind_all(chunk.iter().map(|k| k.as_str())),
            )
            .await?;
        tx.commit().await?;
        summary.removed += n;
    }

    summary.writing = writing.elapsed();
    progress(ImportProgress::Analysing);
    let analysing = std::time::Instant::now();
    store.analyze().await?;
    summary.analysing = analysing.elapsed();
    Ok(summary)
}

struct Planned<'a> {
    charity: &'a Charity,
    digest: i64,
    existed: bool,
}

struct WritePlan {
    /// Which of the tables under a charity were read (and so are rewritten).
    objects: bool,
    classifications: bool,
    areas: bool,
    other_names: bool,
    now: i64,
}

/// One value of a row, borrowed from the extract.
#[derive(Debug, Clone, Copy)]
enum Cell<'a> {
    I(Option<i64>),
    T(Option<&'a str>),
    B(Option<bool>),
}

impl rusqlite::ToSql for Cell<'_> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        match self {
            Cell::I(v) => v.to_sql(),
            Cell::T(v) => v.to_sql(),
            Cell::B(v) => v.to_sql(),
        }
    }
}

impl Cell<'_> {
    /// Appends this value in PostgreSQL's COPY text format.
    fn copy_into(&self, out: &mut String) {
        match self {
            Cell::I(None) | Cell::T(None) | Cell::B(None) => out.push_str("\\N"),
            Cell::I(Some(v)) => {
                let _ = write!(out, "{v}");
            }
            Cell::B(Some(v)) => out.push(if *v { 't' } else { 'f' }),
            Cell::T(Some(s)) => {
                for c in s.chars() {
                    match c {
                        '\\' => out.push_str("\\\\"),
                        '\t' => out.push_str("\\t"),
                        '\n' => out.push_str("\\n"),
                        '\r' => out.push_str("\\r"),
                        c => out.push(c),
                    }
                }
            }
        }
    }
}

const MAIN_COLUMNS: &[&str] = &[
    "org_identifier",
    "registered_charity_number",
    "organisation_number",
    "name",
    "charity_type",
    "status",
    "date_registered",
    "date_removed",
    "reporting_status",
    "latest_income",
    "latest_expenditure",
    "activities",
    "charitable_objects",
    "area_of_benefit",
    "contact_address",
    "contact_postcode",
    "contact_phone",
    "contact_email",
    "contact_web",
    "company_number",
    "is_cio",
    "extract_date",
    "row_hash",
    "imported_at",
];

fn main_cells<'a>(key: &'a str, c: &'a Charity, digest: i64, now: i64, out: &mut Vec<Cell<'a>>) {
    let m = &c.main;
    let doc = c.main_document();
    out.extend([
        Cell::T(Some(key)),
        Cell::I(Some(m.registered_charity_number)),
        Cell::I(Some(m.organisation_number)),
        Cell::T(Some(&m.name)),
        Cell::T(m.charity_type.as_deref()),
        Cell::T(Some(m.status.code())),
        Cell::T(m.date_registered.as_deref()),
        Cell::T(m.date_removed.as_deref()),
        Cell::T(m.reporting_status.as_deref()),
        Cell::I(m.latest_income),
        Cell::I(m.latest_expenditure),
        Cell::T(m.activities.as_deref()),
        Cell::T(doc.and_then(|d| d.charitable_objects.as_deref())),
        Cell::T(doc.and_then(|d| d.area_of_benefit.as_deref())),
        Cell::T(m.contact_address.as_deref()),
        Cell::T(m.contact_postcode.as_deref()),
        Cell::T(m.contact_phone.as_deref()),
        Cell::T(m.contact_email.as_deref()),
        Cell::T(m.contact_web.as_deref()),
        Cell::T(m.company_number.as_deref()),
        Cell::B(m.is_cio),
        Cell::T(m.extract_date.as_deref()),
        Cell::I(Some(digest)),
        Cell::I(Some(now)),
    ]);
}

/// The upsert of a main charity's row; leaves the objects as they were
/// when the governing document table was not read.
fn main_upsert_sql(plan: &WritePlan, values: &str) -> String {
    let set: Vec<String> = MAIN_COLUMNS[1..]
        .iter()
        .filter(|c| plan.objects || !matches!(**c, "charitable_objects" | "area_of_benefit"))
        .map(|c| format!("{c} = excluded.{c}"))
        .collect();
    format!(
        "INSERT INTO register_charities ({}) {values} ON CONFLICT (org_identifier) DO UPDATE SET {}",
        MAIN_COLUMNS.join(", "),
        set.join(", ")
    )
}

const LINKED_COLUMNS: &[&str] = &[
    "registered_charity_number",
    "linked_charity_number",
    "organisation_number",
    "name",
    "status",
    "date_registered",
    "date_removed",
    "latest_income",
    "activities",
    "charitable_objects",
];

fn linked_cells<'a>(
    l: &'a CharityRow,
    doc: Option<&'a GoverningDocumentRow>,
    out: &mut Vec<Cell<'a>>,
) {
    out.extend([
        Cell::I(Some(l.registered_charity_number)),
        Cell::I(Some(l.linked_charity_number)),
        Cell::I(Some(l.organisation_number)),
        Cell::T(Some(&l.name)),
        Cell::T(Some(l.status.code())),
        Cell::T(l.date_registered.as_deref()),
        Cell::T(l.date_removed.as_deref()),
        Cell::I(l.latest_income),
        Cell::T(l.activities.as_deref()),
        Cell::T(doc.and_then(|d| d.charitable_objects.as_deref())),
    ]);
}

const CLASSIFICATION_COLUMNS: &[&str] =
    &["registered_charity_number", "linked_charity_number", "code"];
const AREA_COLUMNS: &[&str] = &[
    "registered_charity_number",
    "linked_charity_number",
    "position",
    "area_type",
    "area",
    "parent_area_type",
    "parent_area",
    "welsh",
];
const OTHER_NAME_COLUMNS: &[&str] = &[
    "registered_charity_number",
    "linked_charity_number",
    "name_id",
    "name_type",
    "name",
];

/// The tables under a main charity, in the order they are written.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Child {
    Linked,
    Classifications,
    Areas,
    OtherNames,
}

impl Child {
    const ALL: [Child; 4] = [
        Child::Linked,
        Child::Classifications,
        Child::Areas,
        Child::OtherNames,
    ];

    fn table(self) -> &'static str {
        match self {
            Child::Linked => "register_linked_charities",
            Child::Classifications => "register_classifications",
            Child::Areas => "register_areas",
            Child::OtherNames => "register_other_names",
        }
    }

    fn columns(self) -> &'static [&'static str] {
        match self {
            Child::Linked => LINKED_COLUMNS,
            Child::Classifications => CLASSIFICATION_COLUMNS,
            Child::Areas => AREA_COLUMNS,
            Child::OtherNames => OTHER_NAME_COLUMNS,
        }
    }

    /// Whether this import rewrites the table (it was read whole).
    fn written(self, plan: &WritePlan) -> bool {
        match self {
            Child::Linked => true,
            Child::Classifications => plan.classifications,
            Child::Areas => plan.areas,
            Child::OtherNames => plan.other_names,
        }
    }

    /// Hands each row of this table for one charity to `row`.
    fn rows<'a>(
        self,
        c: &'a Charity,
        cells: &mut Vec<Cell<'a>>,
        mut row: impl FnMut(&[Cell<'a>]) -> Result<(), StoreError>,
    ) -> Result<u64, StoreError> {
        let mut n = 0;
        match self {
            Child::Linked => {
                for l in &c.linked {
                    let doc = c
                        .documents
                        .iter()
                        .find(|d| d.charity.linked_charity_number == l.linked_charity_number);
                    cells.clear();
                    linked_cells(l, doc, cells);
                    row(cells)?;
                    n += 1;
                }
            }
            Child::Classifications => {
                for cl in &c.classifications {
                    cells.clear();
                    cells.extend([
                        Cell::I(Some(cl.charity.registered_charity_number)),
                        Cell::I(Some(cl.charity.linked_charity_number)),
                        Cell::I(Some(cl.code)),
                    ]);
                    row(cells)?;
                    n += 1;
                }
            }
            Child::Areas => {
                let mut position: HashMap<i64, i64> = HashMap::new();
                for a in &c.areas {
                    let p = position.entry(a.charity.linked_charity_number).or_insert(0);
                    *p += 1;
                    cells.clear();
                    cells.extend([
                        Cell::I(Some(a.charity.registered_charity_number)),
                        Cell::I(Some(a.charity.linked_charity_number)),
                        Cell::I(Some(*p)),
                        Cell::T(Some(&a.area_type)),
                        Cell::T(Some(&a.area)),
                        Cell::T(a.parent_area_type.as_deref()),
                        Cell::T(a.parent_area.as_deref()),
                        Cell::B(a.welsh),
                    ]);
                    row(cells)?;
                    n += 1;
                }
            }
            Child::OtherNames => {
                for o in &c.other_names {
                    cells.clear();
                    cells.extend([
                        Cell::I(Some(o.charity.registered_charity_number)),
                        Cell::I(Some(o.charity.linked_charity_number)),
                        Cell::I(Some(o.name_id)),
                        Cell::T(Some(&o.name_type)),
                        Cell::T(Some(&o.name)),
                    ]);
                    row(cells)?;
                    n += 1;
                }
            }
        }
        Ok(n)
    }
}

fn insert_sql(table: &str, columns: &[&str]) -> String {
    format!(
        "INSERT INTO {table} ({}) VALUES ({})",
        columns.join(", "),
        crate::db::placeholders(columns.len())
    )
}

/// One batch on SQLite, inside the caller's write transaction.
fn write_sqlite(
    conn: &rusqlite::Connection,
    batch: &[Planned<'_>],
    plan: &WritePlan,
) -> Result<u64, StoreError> {
    let sqlite = StoreError::from_sqlite;
    let upsert = main_upsert_sql(
        plan,
        &format!("VALUES ({})", crate::db::placeholders(MAIN_COLUMNS.len())),
    );
    let mut upsert = conn.prepare_cached(&upsert).map_err(sqlite)?;
    let mut deletes = Vec::new();
    let mut inserts = Vec::new();
    for child in Child::ALL {
        deletes.push(
            conn.prepare_cached(&format!(
                "DELETE FROM {} WHERE registered_charity_number = ?",
                child.table()
            ))
            .map_err(sqlite)?,
        );
        inserts.push(
            conn.prepare_cached(&insert_sql(child.table(), child.columns()))
                .map_err(sqlite)?,
        );
    }
    let mut written = 0u64;
    for p in batch {
        let key = org_identifier(p.charity.main.registered_charity_number);
        let mut cells: Vec<Cell<'_>> = Vec::with_capacity(32);
        main_cells(&key, p.charity, p.digest, plan.now, &mut cells);
        upsert
            .execute(rusqlite::params_from_iter(cells.iter()))
            .map_err(sqlite)?;
        written += 1;
        for (i, child) in Child::ALL.into_iter().enumerate() {
            if !child.written(plan) {
                continue;
            }
            if p.existed {
                deletes[i]
                    .execute([p.charity.main.registered_charity_number])
                    .map_err(sqlite)?;
            }
            let insert = &mut inserts[i];
            let mut child_cells = Vec::with_capacity(16);
            written += child.rows(p.charity, &mut child_cells, |row| {
                insert
                    .execute(rusqlite::params_from_iter(row.iter()))
                    .map(|_| ())
                    .map_err(sqlite)
            })?;
        }
    }
    Ok(written)
}

/// One batch on PostgreSQL, inside the caller's transaction: the main
/// rows through a staging table, the rest straight into their tables.
async fn write_postgres(
    tx: &mut Tx,
    batch: &[Planned<'_>],
    plan: &WritePlan,
) -> Result<u64, StoreError> {
    let mut written = 0u64;
    let keys: Vec<String> = batch
        .iter()
        .map(|p| org_identifier(p.charity.main.registered_charity_number))
        .collect();
    let mut data = String::with_capacity(batch.len() * 512);
    let mut cells: Vec<Cell<'_>> = Vec::with_capacity(32);
    for (p, key) in batch.iter().zip(&keys) {
        cells.clear();
        main_cells(key, p.charity, p.digest, plan.now, &mut cells);
        copy_row(&mut data, &cells);
        written += 1;
    }
    let conn = tx.pg_connection().expect("a PostgreSQL transaction");
    let any_existed = batch.iter().any(|p| p.existed);
    if any_existed {
        // Some are there already: through a staging table, merged in.
        sqlx::raw_sql("CREATE TEMP TABLE register_stage (LIKE register_charities) ON COMMIT DROP")
            .execute(&mut *conn)
            .await?;
        copy_in(conn, "register_stage", MAIN_COLUMNS, data).await?;
        let columns = MAIN_COLUMNS.join(", ");
        let merge = main_upsert_sql(plan, &format!("SELECT {columns} FROM register_stage"));
        sqlx::raw_sql(sqlx::AssertSqlSafe(merge))
            .execute(&mut *conn)
            .await?;
    } else {
        // All of them new (as in a first import): straight in.
        copy_in(conn, "register_charities", MAIN_COLUMNS, data).await?;
    }
    for child in Child::ALL {
        if !child.written(plan) {
            continue;
        }
        if any_existed {
            sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                "DELETE FROM {} WHERE registered_charity_number IN \
                 (SELECT registered_charity_number FROM register_stage)",
                child.table()
            )))
            .execute(&mut *conn)
            .await?;
        }
        let mut data = String::new();
        let mut cells = Vec::with_capacity(16);
        for p in batch {
            written += child.rows(p.charity, &mut cells, |row| {
                copy_row(&mut data, row);
                Ok(())
            })?;
        }
        if !data.is_empty() {
            copy_in(conn, child.table(), child.columns(), data).await?;
        }
    }
    Ok(written)
}

fn copy_row(out: &mut String, cells: &[Cell<'_>]) {
    for (i, c) in cells.iter().enumerate() {
        if i > 0 {
            out.push('\t');
        }
        c.copy_into(out);
    }
    out.push('\n');
}

async fn copy_in(
    conn: &mut sqlx::PgConnection,
    table: &str,
    columns: &[&str],
    data: String,
) -> Result<(), StoreError> {
    let mut copy = conn
        .copy_in_raw(&format!("COPY {table} ({}) FROM STDIN", columns.join(", ")))
        .await?;
    copy.send(data.into_bytes()).await?;
    copy.finish().await?;
    Ok(())
}

/// A main charity as the register has it, for tests and the directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisterCharity {
    pub org_identifier: String,
    pub registered_charity_number: i64,
    pub name: String,
    pub status: String,
    pub date_registered: Option<String>,
    pub date_removed: Option<String>,
    pub latest_income: Option<i64>,
    pub activities: Option<String>,
    pub charitable_objects: Option<String>,
    pub contact_web: Option<String>,
}
crate::db::from_row!(RegisterCharity {
    org_identifier,
    registered_charity_number,
    name,
    status,
    date_registered,
    date_removed,
    latest_income,
    activities,
    charitable_objects,
    contact_web
});

/// A linked charity, under its main charity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkedCharity {
    pub linked_charity_number: i64,
    pub name: String,
    pub status: String,
}
crate::db::from_row!(LinkedCharity {
    linked_charity_number,
    name,
    status
});

impl Tx {
    /// Every classification code the register has described, in code order.
    pub async fn classification_labels(&mut self) -> Result<Vec<ClassificationLabel>, StoreError> {
        self.all(q(
            "SELECT code, kind, description FROM register_classification_codes ORDER BY code",
        ))
        .await
    }

    /// A main charity by its org-id.
    pub async fn register_charity(
        &mut self,
        org_identifier: &str,
    ) -> Result<Option<RegisterCharity>, StoreError> {
        self.opt(
            q(
                "SELECT org_identifier, registered_charity_number, name, status, date_registered, \
               date_removed, latest_income, activities, charitable_objects, contact_web \
               FROM register_charities WHERE org_identifier = ?",
            )
            .bind(org_identifier),
        )
        .await
    }

    /// The linked charities under a main charity.
    pub async fn register_linked_charities(
        &mut self,
        registered_charity_number: i64,
    ) -> Result<Vec<LinkedCharity>, StoreError> {
        self.all(
            q(
                "SELECT linked_charity_number, name, status FROM register_linked_charities \
               WHERE registered_charity_number = ? ORDER BY linked_charity_number",
            )
            .bind(registered_charity_number),
        )
        .await
    }

    /// A charity's classification codes (main and linked together), in order.
    pub async fn register_classification_codes(
        &mut self,
        registered_charity_number: i64,
    ) -> Result<Vec<i64>, StoreError> {
        let rows: Vec<(i64,)> = self
            .all(
                q("SELECT DISTINCT code FROM register_classifications \
                   WHERE registered_charity_number = ? ORDER BY code")
                .bind(registered_charity_number),
            )
            .await?;
        Ok(rows.into_iter().map(|r| r.0).collect())
    }

    /// A charity's areas of operation (main and linked together), in the
    /// register's order.
    pub async fn register_areas(
        &mut self,
        registered_charity_number: i64,
    ) -> Result<Vec<String>, StoreError> {
        let rows: Vec<(String,)> = self
            .all(
                q(
                    "SELECT area FROM register_areas WHERE registered_charity_number = ? \
                   ORDER BY linked_charity_number, position",
                )
                .bind(registered_charity_number),
            )
            .await?;
        Ok(rows.into_iter().map(|r| r.0).collect())
    }

    /// A charity's other names (main and linked together).
    pub async fn register_other_names(
        &mut self,
        registered_charity_number: i64,
    ) -> Result<Vec<String>, StoreError> {
        let rows: Vec<(String,)> = self
            .all(
                q(
                    "SELECT name FROM register_other_names WHERE registered_charity_number = ? \
                   ORDER BY linked_charity_number, name_id",
                )
                .bind(registered_charity_number),
            )
            .await?;
        Ok(rows.into_iter().map(|r| r.0).collect())
    }

    /// How many rows a register table holds (for tests and reports).
    pub async fn register_count(&mut self, table: RegisterTable) -> Result<i64, StoreError> {
        self.int(q(format!("SELECT COUNT(*) FROM {}", table.name())))
            .await
    }
}

/// The register's tables, for counting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegisterTable {
    Charities,
    LinkedCharities,
    Classifications,
    Areas,
    OtherNames,
}

impl RegisterTable {
    fn name(self) -> &'static str {
        match self {
            RegisterTable::Charities => "register_charities",
            RegisterTable::LinkedCharities => "register_linked_charities",
            RegisterTable::Classifications => "register_classifications",
            RegisterTable::Areas => "register_areas",
            RegisterTable::OtherNames => "register_other_names",
        }
    }
}

/// For the benchmark: how fast this database takes `rows` plain rows of a
/// register-like shape (a key, two texts, a number) by its fastest plain
/// means (prepared inserts in one transaction per [`BATCH`] × 8 rows on
/// SQLite, `COPY` on PostgreSQL), into a table made for it and dropped
/// after. Returns the time the inserts took.
pub async fn raw_insert_probe(store: &Store, rows: u64) -> Result<std::time::Duration, StoreError> {
    let mut tx = store.write().await?;
    tx.exec(q(
        "CREATE TABLE raw_insert_probe (id BIGINT PRIMARY KEY, name TEXT NOT NULL, detail TEXT, amount BIGINT)",
    ))
    .await?;
    tx.commit().await?;
    let text = "Runs a \"pay as you feel\" café & lunch club for older people in Llŷn";
    let started = std::time::Instant::now();
    let chunk = (BATCH * 8) as u64;
    let mut from = 0u64;
    while from < rows {
        let to = (from + chunk).min(rows);
        let mut tx = store.write().await?;
        match tx.backend() {
            Backend::Sqlite => {
                let conn = tx.sqlite_writer().expect("a SQLite write transaction");
                off_worker(|| -> Result<(), StoreError> {
                    let mut insert = conn
                        .prepare_cached(
                            "INSERT INTO raw_insert_probe (id, name, detail, amount) VALUES (?, ?, ?, ?)",
                        )
                        .map_err(StoreError::from_sqlite)?;
                    for id in from..to {
                        let name = format!("Charity number {id}");
                        insert
                            .execute(rusqlite::params![id as i64, name, text, (id * 7) as i64])
                            .map_err(StoreError::from_sqlite)?;
                    }
                    Ok(())
                })?;
            }
            Backend::Postgres => {
                let mut data = String::new();
                for id in from..to {
                    let name = format!("Charity number {id}");
                    let cells = [
                        Cell::I(Some(id as i64)),
                        Cell::T(Some(&name)),
                        Cell::T(Some(text)),
                        Cell::I(Some((id * 7) as i64)),
                    ];
                    copy_row(&mut data, &cells);
                }
                let conn = tx.pg_connection().expect("a PostgreSQL transaction");
                copy_in(
                    conn,
                    "raw_insert_probe",
                    &["id", "name", "detail", "amount"],
                    data,
                )
                .await?;
            }
        }
        tx.commit().await?;
        from = to;
    }
    let took = started.elapsed();
    let mut tx = store.write().await?;
    tx.exec(q("DROP TABLE raw_insert_probe")).await?;
    tx.commit().await?;
    Ok(took)
}

/// A classification code as the register describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassificationLabel {
    pub code: i64,
    /// `What`, `Who` or `How`.
    pub kind: String,
    pub description: String,
}
crate::db::from_row!(ClassificationLabel {
    code,
    kind,
    description
});
