//! Reading the Charity Commission's register extract from a folder: one
//! `publicextract.<table>.zip` per table holding `publicextract.<table>.txt`,
//! or the `.txt` files themselves. The rules for each line and field are in
//! `commonground_domain::register`; this module opens the files, splits
//! them into records, and gathers each main charity with everything that
//! hangs under it.
//!
//! A file is used whole or not at all: a zip that is truncated or corrupt,
//! or a header row that is not the table's, makes the table unusable (and
//! the rows read before the damage was found are not used either). A
//! malformed row is a [`Problem`] with its file, line and reason, and is
//! skipped; the rest of the file is still read.

use commonground_domain::register::{
    AreaRow, Charity, CharityKey, CharityRow, ClassificationRow, GoverningDocumentRow, Header,
    OtherNameRow, Table,
};
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// A row that was skipped, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file's name (without its folder), e.g. `publicextract.charity.zip`.
    pub file: String,
    /// The line the row starts on, counting the header as line 1.
    pub line: u64,
    pub reason: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} line {}: {}", self.file, self.line, self.reason)
    }
}

/// A table that could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableError {
    pub table: Table,
    /// The file's name, or the name looked for when there was none.
    pub file: String,
    pub reason: String,
}

impl fmt::Display for TableError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.file, self.reason)
    }
}

/// What was read from a folder.
#[derive(Debug, Default)]
pub struct Extract {
    /// Main charities by registered number, with what hangs under them.
    pub charities: Vec<Charity>,
    /// Rows of the charity table read (main and linked, good or not).
    pub charity_rows: u64,
    /// Rows read from every table, good or not.
    pub rows: u64,
    /// The tables read whole. Tables not here were missing or unusable,
    /// and an import leaves what it holds of them as it was.
    pub tables: HashSet<Table>,
    /// Tables that could not be used, and why.
    pub unusable: Vec<TableError>,
    /// Rows skipped, in the order found.
    pub problems: Vec<Problem>,
    /// Registered numbers of charity rows that were skipped: the import
    /// does not take these charities for missing from the extract.
    pub skipped_charities: HashSet<i64>,
}

/// How far reading has got: bytes of the current file read, of its size
/// (uncompressed), by table.
pub type ReadProgress<'a> = &'a mut (dyn FnMut(Table, u64, u64) + Send);

/// One table read on its own: the rows, and the counts and problems to
/// add to the [`Extract`] (or why the table cannot be used).
type TableRead = (Result<String, TableError>, Extract, Vec<(u64, TableRow)>);

/// Reads the tables: the charity table on this thread, the others on a
/// second one meanwhile (reading and checking is most of an import's
/// work, and the machine has cores to spare for it).
fn read_tables(folder: &Path, progress: ReadProgress<'_>) -> (TableRead, Vec<(Table, TableRead)>) {
    let shared = std::sync::Mutex::new(progress);
    let report = |t: Table, done: u64, total: u64| {
        (shared.lock().unwrap_or_else(|p| p.into_inner()))(t, done, total)
    };
    let read = |table: Table| -> TableRead {
        let mut scratch = Extract::default();
        let mut rows = Vec::new();
        let mut p = |t, d, n| report(t, d, n);
        let result = read_table(folder, table, &mut scratch, &mut rows, &mut p);
        (result, scratch, rows)
    };
    std::thread::scope(|scope| {
        let others = scope.spawn(|| {
            Table::ALL
                .into_iter()
                .filter(|t| *t != Table::Charity)
                .map(|t| (t, read(t)))
                .collect::<Vec<_>>()
        });
        let charity = read(Table::Charity);
        let others = others
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (charity, others)
    })
}

impl Extract {
    /// Adds what reading one table counted and found.
    fn take_counts(&mut self, part: Extract) {
        self.rows += part.rows;
        self.charity_rows += part.charity_rows;
        self.problems.extend(part.problems);
        self.tables.extend(part.tables);
        self.skipped_charities.extend(part.skipped_charities);
    }
}

/// Reads every table the import needs from `folder`. Fails only when the
/// folder cannot be read or the charity table is missing or unusable;
/// other tables that are missing or unusable are listed in
/// [`Extract::unusable`].
pub fn read_extract(folder: &Path, progress: ReadProgress<'_>) -> Result<Extract, TableError> {
    let mut extract = Extract::default();
    if !folder.is_dir() {
        return Err(TableError {
            table: Table::Charity,
            file: folder.display().to_string(),
            reason: "is not a folder. Give the folder that holds the publicextract.*.zip (or .txt) files.".into(),
        });
    }
    // The charity table first: everything else hangs under its rows.
    let mut by_number: HashMap<i64, Charity> = HashMap::new();
    // Linked charities, kept until every main charity is known.
    let mut linked: Vec<(String, u64, CharityRow)> = Vec::new();
    let mut seen: HashMap<CharityKey, u64> = HashMap::new();
    let ((charity_result, charity_counts, charity_rows), others) = read_tables(folder, progress);
    {
        let file = charity_result?;
        extract.take_counts(charity_counts);
        for (line, row) in charity_rows {
            let TableRow::Charity(row) = row else {
                continue;
            };
            let key = CharityKey {
                registered_charity_number: row.registered_charity_number,
                linked_charity_number: row.linked_charity_number,
            };
            if let Some(first) = seen.get(&key) {
                extract.problems.push(Problem {
                    file: file.clone(),
                    line,
                    reason: format!(
                        "charity {} (linked number {}) is already on line {first}",
                        key.registered_charity_number, key.linked_charity_number
                    ),
                });
                continue;
            }
            seen.insert(key, line);
            if row.linked_charity_number == 0 {
                by_number.insert(row.registered_charity_number, Charity::new(*row));
            } else {
                linked.push((file.clone(), line, *row));
            }
        }
    }
    for (file, line, row) in linked {
        match by_number.get_mut(&row.registered_charity_number) {
            Some(main) => main.linked.push(row),
            None => {
                seen.remove(&CharityKey {
                    registered_charity_number: row.registered_charity_number,
                    linked_charity_number: row.linked_charity_number,
                });
                extract.problems.push(Problem {
                    file,
                    line,
                    reason: format!(
                        "linked charity {}-{} has no main charity (linked number 0) in the charity table",
                        row.registered_charity_number, row.linked_charity_number
                    ),
                })
            }
        }
    }

    for (_, (result, counts, rows)) in others {
        let file = match result {
            Ok(file) => file,
            Err(e) => {
                extract.unusable.push(e);
                continue;
            }
        };
        extract.take_counts(counts);
        for (line, row) in rows {
            let key = row.key();
            let Some(charity) = seen
                .contains_key(&key)
                .then(|| by_number.get_mut(&key.registered_charity_number))
                .flatten()
            else {
                extract.problems.push(Problem {
                    file: file.clone(),
                    line,
                    reason: format!(
                        "there is no charity {} with linked number {} in the charity table",
                        key.registered_charity_number, key.linked_charity_number
                    ),
                });
                continue;
            };
            match row {
                TableRow::Charity(_) => {}
                TableRow::Classification(r) => charity.classifications.push(r),
                TableRow::Area(r) => charity.areas.push(r),
                TableRow::Document(r) => charity.documents.push(r),
                TableRow::OtherName(r) => charity.other_names.push(r),
            }
        }
    }
    let mut charities: Vec<Charity> = by_number.into_values().collect();
    charities.sort_by_key(|c| c.main.registered_charity_number);
    for c in &mut charities {
        c.normalise();
    }
    extract.charities = charities;
    Ok(extract)
}

enum TableRow {
    Charity(Box<CharityRow>),
    Classification(ClassificationRow),
    Area(AreaRow),
    Document(GoverningDocumentRow),
    OtherName(OtherNameRow),
}

impl TableRow {
    fn key(&self) -> CharityKey {
        match self {
            TableRow::Charity(r) => CharityKey {
                registered_charity_number: r.registered_charity_number,
                linked_charity_number: r.linked_charity_number,
            },
            TableRow::Classification(r) => r.charity,
            TableRow::Area(r) => r.charity,
            TableRow::Document(r) => r.charity,
            TableRow::OtherName(r) => r.charity,
        }
    }

    fn parse(table: Table, fields: &[&str]) -> Result<TableRow, String> {
        Ok(match table {
            Table::Charity => TableRow::Charity(Box::new(CharityRow::parse(fields)?)),
            Table::Classification => TableRow::Classification(ClassificationRow::parse(fields)?),
            Table::AreaOfOperation => TableRow::Area(AreaRow::parse(fields)?),
            Table::GoverningDocument => TableRow::Document(GoverningDocumentRow::parse(fields)?),
            Table::OtherNames => TableRow::OtherName(OtherNameRow::parse(fields)?),
        })
    }
}

/// The file for a table: the unzipped `.txt` if it is there, else the zip.
fn find_file(folder: &Path, table: Table) -> Option<PathBuf> {
    let txt = folder.join(format!("publicextract.{}.txt", table.name()));
    let zip = folder.join(format!("publicextract.{}.zip", table.name()));
    [txt, zip].into_iter().find(|p| p.is_file())
}

/// Reads one table whole into `rows`; on error `rows` is left empty and
/// the problems found in it are withdrawn too (the table is not used).
fn read_table(
    folder: &Path,
    table: Table,
    extract: &mut Extract,
    rows: &mut Vec<(u64, TableRow)>,
    progress: ReadProgress<'_>,
) -> Result<String, TableError> {
    let Some(path) = find_file(folder, table) else {
        return Err(TableError {
            table,
            file: format!("publicextract.{}.zip", table.name()),
            reason: format!("is not in {}", folder.display()),
        });
    };
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let fail = |reason: String| TableError {
        table,
        file: file_name.clone(),
        reason,
    };
    let problems_before = extract.problems.len();
    let rows_before = extract.rows;
    let charity_rows_before = extract.charity_rows;
    let result = (|| {
        let file =
            std::fs::File::open(&path).map_err(|e| fail(format!("cannot be opened: {e}")))?;
        if path.extension().is_some_and(|e| e == "zip") {
            let mut archive = zip::ZipArchive::new(BufReader::new(file)).map_err(|e| {
                fail(format!(
                    "is not a complete zip file ({e}); download it again"
                ))
            })?;
            let inner = format!("publicextract.{}.txt", table.name());
            let index = (0..archive.len())
                .find(|&i| {
                    archive
                        .name_for_index(i)
                        .and_then(|n| n.ok())
                        .is_some_and(|n| n.ends_with(".txt"))
                })
                .ok_or_else(|| fail(format!("holds no .txt file (expected {inner})")))?;
            let entry = archive
                .by_index(index)
                .map_err(|e| fail(format!("cannot be read ({e}); download it again")))?;
            let size = entry.size();
            read_records(
                table, &file_name, entry, size, extract, rows, progress, true,
            )
            .map_err(fail)
        } else {
            let size = file.metadata().map(|m| m.len()).unwrap_or(0);
            read_records(
                table, &file_name, file, size, extract, rows, progress, false,
            )
            .map_err(fail)
        }
    })();
    if result.is_err() {
        rows.clear();
        extract.problems.truncate(problems_before);
        extract.rows = rows_before;
        extract.charity_rows = charity_rows_before;
    } else {
        extract.tables.insert(table);
    }
    result.map(|()| file_name)
}

/// Splits a table's text into records and parses each. In a file whose
/// lines end in CRLF, a bare LF is part of a field (the register's long
/// texts can hold one); in a file of LF lines every LF ends a record.
#[allow(clippy::too_many_arguments)]
fn read_records(
    table: Table,
    file_name: &str,
    source: impl Read,
    size: u64,
    extract: &mut Extract,
    rows: &mut Vec<(u64, TableRow)>,
    progress: ReadProgress<'_>,
    zipped: bool,
) -> Result<(), String> {
    let mut reader = BufReader::with_capacity(1 << 16, source);
    let mut buf: Vec<u8> = Vec::with_capacity(4096);
    let mut line_no: u64 = 0;
    let mut read_bytes: u64 = 0;
    let damaged = |e: std::io::Error| {
        if zipped {
            format!("is damaged ({e}); download it again")
        } else {
            format!("cannot be read ({e})")
        }
    };
    // The header.
    let n = reader.read_until(b'\n', &mut buf).map_err(damaged)?;
    if n == 0 {
        return Err("is empty: it has no header row".into());
    }
    read_bytes += n as u64;
    line_no += 1;
    let crlf = buf.ends_with(b"\r\n");
    let header_text =
        std::str::from_utf8(&buf).map_err(|_| "the header row is not UTF-8 text".to_string())?;
    let header = Header::parse(table, header_text)?;
    let mut last_report = 0u64;
    loop {
        buf.clear();
        let start_line = line_no + 1;
        // One record: up to a CRLF in a CRLF file, else up to an LF.
        loop {
            let n = reader.read_until(b'\n', &mut buf).map_err(damaged)?;
            if n == 0 {
                break;
            }
            read_bytes += n as u64;
            line_no += 1;
            if !crlf || buf.ends_with(b"\r\n") {
                break;
            }
        }
        if buf.is_empty() {
            break;
        }
        if read_bytes - last_report > (1 << 20) {
            progress(table, read_bytes, size);
            last_report = read_bytes;
        }
        let trimmed: &[u8] = trim_line_end(&buf);
        if trimmed.is_empty() {
            // A blank line (often the last one) is not a row.
            continue;
        }
        extract.rows += 1;
        if table == Table::Charity {
            extract.charity_rows += 1;
        }
        let problem = |reason: String| Problem {
            file: file_name.to_string(),
            line: start_line,
            reason,
        };
        let Ok(text) = std::str::from_utf8(trimmed) else {
            extract
                .problems
                .push(problem("the row is not UTF-8 text".into()));
            continue;
        };
        let parsed = header
            .fields(text)
            .and_then(|fields| TableRow::parse(table, &fields));
        match parsed {
            Ok(row) => rows.push((start_line, row)),
            Err(reason) => {
                if table == Table::Charity
                    && let Some(n) = header.charity_number_of(text)
                {
                    extract.skipped_charities.insert(n);
                }
                extract.problems.push(problem(reason));
            }
        }
    }
    progress(table, read_bytes, size.max(read_bytes));
    Ok(())
}

fn trim_line_end(buf: &[u8]) -> &[u8] {
    let b = buf.strip_suffix(b"\n").unwrap_or(buf);
    b.strip_suffix(b"\r").unwrap_or(b)
}
