//! The partner directory: organisations on the platform and charities from
//! the register, one record where they share an org-id, searched by words
//! and filtered by classification, area, income band and status.
//!
//! The database is the source of truth. Each server keeps its own search
//! index (tantivy, in memory): built from the database when the server
//! starts, then kept up to date from `directory_changes`, which triggers
//! fill on every write to `organisations` and `register_charities`
//! whichever server (or import) made it. [`Directory::refresh`] reads the
//! changes since the last one and re-reads each changed record;
//! [`Directory::spawn_refresher`] does that every second or two, so a
//! change made through one server is found through every other within
//! seconds. Many changes at once (a register import) rebuild the index
//! instead, in the background, while searches go on against the old one.
//!
//! Why tantivy: a query ranks its top results with block-max WAND and
//! skips what cannot make the top, so a common word costs about what a
//! rare one does. SQLite FTS5 or PostgreSQL `ts_rank` score every match
//! (~150 ms for a word in 40,000 of 200,000 organisations).
//!
//! Matching: the words of the query are folded to lower case and plain
//! letters ("Llŷn" and "LLYN" are both `llyn`), and a record matches when
//! it holds every word (in its name, other names, activities or objects);
//! a record's name counts more than the rest. Nothing a person types is
//! syntax: quotes, `*`, `%`, `AND`, `-` are ordinary characters, which the
//! tokenizer drops; only the first [`MAX_QUERY_WORDS`] words count.

use crate::db::q;
use crate::{Store, StoreError, split_list};
use commonground_domain::register::{ClassificationKind, IncomeBand, Status};
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};
use tantivy::collector::TopDocs;
use tantivy::query::{AllQuery, BooleanQuery, ConstScoreQuery, Occur, Query, TermQuery};
use tantivy::schema::{
    Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
    Value,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer,
};
use tantivy::{DocAddress, Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

/// Words of a query that count; the rest are ignored.
pub const MAX_QUERY_WORDS: usize = 16;
/// Results per page, at most.
pub const MAX_PER_PAGE: u32 = 100;
/// Pages beyond this are not served (no one reads them; deep pages cost).
pub const MAX_PAGE: u32 = 500;
/// More changes than this at once rebuild the index instead.
const REBUILD_OVER: usize = 20_000;
/// How long a gap in the change sequence is waited for (a transaction on
/// another server that took its number and has not committed yet).
const GAP_WAIT: Duration = Duration::from_secs(120);
/// Characters of activities shown in a result.
const SHORT_ACTIVITIES: usize = 240;
/// Rows read from the database at a time when building the index.
const LOAD_BATCH: i64 = 5_000;

const ANALYZER: &str = "folded";

/// Words too common to narrow a search; dropped from queries (unless
/// the query has nothing else).
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "the", "of", "in", "for", "to", "on", "at", "by", "with", "or", "not",
];

/// What to look for. Empty fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DirectoryQuery {
    /// Words, as typed.
    pub text: String,
    /// Classification codes: within a kind any may match, across kinds all must.
    pub what: Vec<i64>,
    pub who: Vec<i64>,
    pub how: Vec<i64>,
    /// Areas of operation (any of them), compared without case or accents.
    pub areas: Vec<String>,
    pub income_bands: Vec<IncomeBand>,
    pub status: Option<Status>,
    /// From 1.
    pub page: u32,
    pub per_page: u32,
}

/// One record of the directory.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DirectoryEntry {
    /// GB-CHC-… or GB-COH-…; none for a platform organisation without one.
    pub org_identifier: Option<String>,
    /// The organisation on the platform, if it is there.
    pub organisation_id: Option<i64>,
    pub name: String,
    /// `registered` or `removed` for a charity on the register; none for
    /// an organisation the register does not hold.
    pub status: Option<String>,
    pub latest_income: Option<i64>,
    pub areas: Vec<String>,
    /// Classification codes (101–117 what, 201–207 who, 301–310 how).
    pub classifications: Vec<i64>,
    /// The start of its activities.
    pub activities: String,
}

/// A page of results, best first.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DirectoryPage {
    /// Records that match, on all pages.
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
    pub results: Vec<DirectoryEntry>,
}

/// What a refresh did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refreshed {
    /// Records re-read and re-indexed.
    Records(usize),
    /// Too many changes: the whole index was rebuilt.
    Rebuilt,
}

#[derive(Clone, Copy)]
struct Fields {
    key: Field,
    text: Field,
    class: Field,
    area: Field,
    band: Field,
    status: Field,
    org_id: Field,
    name: Field,
    status_label: Field,
    income: Field,
    area_label: Field,
    activities: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text_options = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(ANALYZER)
            .set_index_option(IndexRecordOption::WithFreqs),
    );
    let fields = Fields {
        key: b.add_text_field("key", STRING | STORED),
        text: b.add_text_field("text", text_options),
        class: b.add_u64_field("class", INDEXED | STORED),
        area: b.add_text_field("area", STRING),
        band: b.add_text_field("band", STRING),
        status: b.add_text_field("status", STRING),
        org_id: b.add_i64_field("org_id", STORED),
        name: b.add_text_field("name", STORED),
        status_label: b.add_text_field("status_label", STORED),
        income: b.add_i64_field("income", STORED),
        area_label: b.add_text_field("area_label", STORED),
        activities: b.add_text_field("activities", STORED),
    };
    (b.build(), fields)
}

fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(48))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// Lower case and plain letters, as the index holds words and areas.
pub fn fold(text: &str) -> String {
    let mut analyzer = analyzer();
    let mut stream = analyzer.token_stream(text);
    let mut words = Vec::new();
    while stream.advance() {
        words.push(stream.token().text.clone());
    }
    words.join(" ")
}

/// A record read from the database, ready to index.
#[derive(Debug, Clone, Default)]
struct Record {
    key: String,
    organisation_id: Option<i64>,
    name: String,
    /// Names it is also known by (the register's other names, linked
    /// charities, the register's name of a platform organisation).
    other_names: Vec<String>,
    /// Activities, objects, mission, causes: searched, weighed less.
    body: Vec<String>,
    activities: String,
    status: Option<Status>,
    income: Option<i64>,
    areas: Vec<String>,
    classes: Vec<i64>,
}

struct State {
    _index: Index,
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    fields: Fields,
}

impl State {
    fn new(threads: usize, memory: usize) -> Result<State, StoreError> {
        let (schema, fields) = schema();
        let index = Index::create_in_ram(schema);
        index.tokenizers().register(ANALYZER, analyzer());
        let writer = index
            .writer_with_num_threads(threads, memory)
            .map_err(search_error)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(search_error)?;
        Ok(State {
            _index: index,
            reader,
            writer: Mutex::new(writer),
            fields,
        })
    }

    fn document(&self, r: &Record) -> TantivyDocument {
        let f = &self.fields;
        let mut doc = TantivyDocument::default();
        doc.add_text(f.key, &r.key);
        // The name twice: it weighs more than the rest.
        doc.add_text(f.text, &r.name);
        doc.add_text(f.text, &r.name);
        for n in &r.other_names {
            doc.add_text(f.text, n);
        }
        for b in &r.body {
            doc.add_text(f.text, b);
        }
        for c in &r.classes {
            doc.add_u64(f.class, *c as u64);
        }
        for a in &r.areas {
            doc.add_text(f.area, fold(a));
            doc.add_text(f.area_label, a);
        }
        if let Some(income) = r.income {
            doc.add_text(f.band, IncomeBand::of_income(income).code());
            doc.add_i64(f.income, income);
        }
        doc.add_text(
            f.status,
            r.status.map(Status::code).unwrap_or("not-on-register"),
        );
        if let Some(s) = r.status {
            doc.add_text(f.status_label, s.code());
        }
        if let Some(id) = r.organisation_id {
            doc.add_i64(f.org_id, id);
        }
        doc.add_text(f.name, &r.name);
        doc.add_text(f.activities, &r.activities);
        doc
    }

    fn commit(&self) -> Result<(), StoreError> {
        self.writer
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .commit()
            .map_err(search_error)?;
        self.reader.reload().map_err(search_error)
    }
}

fn search_error(e: impl std::fmt::Display) -> StoreError {
    StoreError::Other(format!("search index: {e}"))
}

/// Where the refresher has got to in `directory_changes`.
#[derive(Debug, Default)]
struct Cursor {
    /// Every change up to here has been applied, or given up on.
    low: i64,
    /// Changes above `low` already applied.
    applied: HashSet<i64>,
    /// Numbers above `low` not yet seen, with when the gap was found.
    gaps: Vec<(i64, Instant)>,
}

impl Cursor {
    /// Takes in the sequence numbers just read (ascending, all > low).
    fn advance(&mut self, seqs: &[i64], now: Instant) {
        let highest_before = self.applied.iter().copied().max().unwrap_or(self.low);
        for &s in seqs {
            self.applied.insert(s);
            self.gaps.retain(|(g, _)| *g != s);
        }
        let highest = self.applied.iter().copied().max().unwrap_or(self.low);
        for missing in highest_before + 1..highest {
            if !self.applied.contains(&missing) && !self.gaps.iter().any(|(g, _)| *g == missing) {
                // A huge jump is not waited for number by number.
                if self.gaps.len() < 10_000 {
                    self.gaps.push((missing, now));
                }
            }
        }
        self.gaps
            .retain(|(_, since)| now.duration_since(*since) < GAP_WAIT);
        // Move `low` up to just below the oldest gap still awaited.
        let floor = self
            .gaps
            .iter()
            .map(|(g, _)| *g - 1)
            .min()
            .unwrap_or(highest)
            .min(highest);
        if floor > self.low {
            self.low = floor;
            let low = self.low;
            self.applied.retain(|s| *s > low);
        }
    }
}

struct Inner {
    state: RwLock<Arc<State>>,
    /// The register's classification codes with their descriptions, read
    /// again with every refresh (a statement of a few hundred rows a
    /// second), so the pages that label results need not read them.
    labels: RwLock<Arc<Vec<crate::register::ClassificationLabel>>>,
    cursor: tokio::sync::Mutex<Cursor>,
    rebuilding: AtomicBool,
}

/// The directory's search index for one server. Cheap to clone.
#[derive(Clone)]
pub struct Directory {
    inner: Arc<Inner>,
}

impl Directory {
    /// Builds the index from the database (a few seconds for 200,000
    /// organisations).
    pub async fn open(store: &Store) -> Result<Directory, StoreError> {
        let (state, cursor) = build_aside(store).await?;
        let labels = store.read().await?.classification_labels().await?;
        Ok(Directory {
            inner: Arc::new(Inner {
                state: RwLock::new(Arc::new(state)),
                labels: RwLock::new(Arc::new(labels)),
                cursor: tokio::sync::Mutex::new(cursor),
                rebuilding: AtomicBool::new(false),
            }),
        })
    }

    /// Searches the index. Any text is accepted. This is CPU work of
    /// well under a millisecond for most queries; it does not touch the
    /// database.
    pub fn search(&self, query: &DirectoryQuery) -> Result<DirectoryPage, StoreError> {
        let state = Arc::clone(&self.inner.state.read().unwrap_or_else(|p| p.into_inner()));
        let f = state.fields;
        let per_page = query.per_page.clamp(1, MAX_PER_PAGE);
        let page = query.page.clamp(1, MAX_PAGE);
        let built = build_query(&f, query);
        let searcher = state.reader.searcher();
        let total = built.count(&searcher).map_err(search_error)? as u64;
        let offset = ((page - 1) * per_page) as usize;
        let top = if (offset as u64) < total {
            searcher
                .search(
                    &*built,
                    &TopDocs::with_limit(per_page as usize)
                        .and_offset(offset)
                        .order_by_score(),
                )
                .map_err(search_error)?
        } else {
            Vec::new()
        };
        let mut results = Vec::with_capacity(top.len());
        for (_, address) in top {
            results.push(entry(&state, &searcher, address)?);
        }
        Ok(DirectoryPage {
            total,
            page,
            per_page,
            results,
        })
    }

    /// How many records the index holds.
    pub fn len(&self) -> u64 {
        let state = Arc::clone(&self.inner.state.read().unwrap_or_else(|p| p.into_inner()));
        state.reader.searcher().num_docs()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The register's classification codes and what they mean, as of the
    /// last refresh.
    pub fn classification_labels(&self) -> Arc<Vec<crate::register::ClassificationLabel>> {
        Arc::clone(&self.inner.labels.read().unwrap_or_else(|p| p.into_inner()))
    }

    /// Applies the changes made since the last refresh, through any server.
    pub async fn refresh(&self, store: &Store) -> Result<Refreshed, StoreError> {
        let mut cursor = self.inner.cursor.lock().await;
        let mut tx = store.read().await?;
        let labels = tx.classification_labels().await?;
        if **self.inner.labels.read().unwrap_or_else(|p| p.into_inner()) != labels {
            *self.inner.labels.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(labels);
        }
        let rows: Vec<(i64, String)> = tx
            .all(
                q("SELECT seq, doc_key FROM directory_changes WHERE seq > ? ORDER BY seq LIMIT ?")
                    .bind(cursor.low)
                    .bind((REBUILD_OVER + cursor.applied.len() + 1) as i64),
            )
            .await?;
        drop(tx);
        let fresh: Vec<&(i64, String)> = rows
            .iter()
            .filter(|(s, _)| !cursor.applied.contains(s))
            .collect();
        if fresh.is_empty() {
            cursor.advance(&[], Instant::now());
            return Ok(Refreshed::Records(0));
        }
        if fresh.len() > REBUILD_OVER {
            drop(cursor);
            self.rebuild(store).await?;
            return Ok(Refreshed::Rebuilt);
        }
        let keys: Vec<&str> = {
            let mut seen = HashSet::new();
            fresh
                .iter()
                .map(|(_, k)| k.as_str())
                .filter(|k| seen.insert(*k))
                .collect()
        };
        let mut records = Vec::with_capacity(keys.len());
        for key in &keys {
            records.push(((*key).to_string(), load_record(store, key).await?));
        }
        let state = Arc::clone(&self.inner.state.read().unwrap_or_else(|p| p.into_inner()));
        {
            let writer = state.writer.lock().unwrap_or_else(|p| p.into_inner());
            for (key, record) in &records {
                writer.delete_term(Term::from_field_text(state.fields.key, key));
                if let Some(r) = record {
                    writer
                        .add_document(state.document(r))
                        .map_err(search_error)?;
                }
            }
        }
        crate::db::off_worker(|| state.commit())?;
        let seqs: Vec<i64> = fresh.iter().map(|(s, _)| *s).collect();
        cursor.advance(&seqs, Instant::now());
        Ok(Refreshed::Records(records.len()))
    }

    /// Builds a new index from the database and swaps it in; searches go
    /// on against the old one meanwhile.
    pub async fn rebuild(&self, store: &Store) -> Result<(), StoreError> {
        if self.inner.rebuilding.swap(true, Ordering::SeqCst) {
            return Ok(());
        }
        let result = build_aside(store).await;
        self.inner.rebuilding.store(false, Ordering::SeqCst);
        let (state, fresh) = result?;
        let mut cursor = self.inner.cursor.lock().await;
        *self.inner.state.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(state);
        *cursor = fresh;
        Ok(())
    }

    /// Refreshes every `every` until the returned task is aborted (or the
    /// store is closed), and every ten minutes clears away changes older
    /// than [`KEEP_CHANGES`]. Failures are logged and retried.
    pub fn spawn_refresher(&self, store: Store, every: Duration) -> tokio::task::JoinHandle<()> {
        let directory = self.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            let mut pruned = Instant::now();
            loop {
                tick.tick().await;
                if let Err(e) = directory.refresh(&store).await {
                    tracing::warn!(error = %e, "could not refresh the directory's search index");
                }
                if pruned.elapsed() >= Duration::from_secs(600) {
                    pruned = Instant::now();
                    let now = std::time::SystemTime::now()
                        .duration_since(std::time::UNIX_EPOCH)
                        .map(|d| d.as_secs() as i64)
                        .unwrap_or(0);
                    if let Err(e) = prune_changes(&store, now).await {
                        tracing::warn!(error = %e, "could not clear old directory changes");
                    }
                }
            }
        })
    }
}

/// How long changes are kept in `directory_changes`. A server reads them
/// within seconds; one that was stopped builds its index afresh when it
/// starts, so old changes are never needed.
pub const KEEP_CHANGES: Duration = Duration::from_secs(24 * 3600);

/// Clears away changes older than [`KEEP_CHANGES`] before `now` (seconds).
/// Returns how many went.
pub async fn prune_changes(store: &Store, now: i64) -> Result<u64, StoreError> {
    let mut tx = store.write().await?;
    let n = tx
        .exec(
            q("DELETE FROM directory_changes WHERE at < ?")
                .bind(now - KEEP_CHANGES.as_secs() as i64),
        )
        .await?;
    tx.commit().await?;
    Ok(n)
}

/// The search for a query: every word must match (in the text), every
/// filter too.
fn build_query(f: &Fields, query: &DirectoryQuery) -> Box<dyn Query> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for word in query_words(&query.text) {
        clauses.push((
            Occur::Must,
            Box::new(TermQuery::new(
                Term::from_field_text(f.text, &word),
                IndexRecordOption::WithFreqs,
            )),
        ));
    }
    let mut filter = |terms: Vec<Term>| {
        if terms.is_empty() {
            return;
        }
        let any: Vec<(Occur, Box<dyn Query>)> = terms
            .into_iter()
            .map(|t| {
                (
                    Occur::Should,
                    Box::new(TermQuery::new(t, IndexRecordOption::Basic)) as Box<dyn Query>,
                )
            })
            .collect();
        clauses.push((
            Occur::Must,
            Box::new(ConstScoreQuery::new(Box::new(BooleanQuery::new(any)), 0.0)),
        ));
    };
    for (codes, kind) in [
        (&query.what, ClassificationKind::What),
        (&query.who, ClassificationKind::Who),
        (&query.how, ClassificationKind::How),
    ] {
        let terms: Vec<Term> = codes
            .iter()
            .filter(|c| ClassificationKind::of_code(**c) == Some(kind))
            .map(|c| Term::from_field_u64(f.class, *c as u64))
            .collect();
        if !codes.is_empty() && terms.is_empty() {
            // Only codes of another kind, or none at all: nothing matches.
            filter(vec![Term::from_field_u64(f.class, 0)]);
        } else {
            filter(terms);
        }
    }
    filter(
        query
            .areas
            .iter()
            .map(|a| Term::from_field_text(f.area, &fold(a)))
            .collect(),
    );
    filter(
        query
            .income_bands
            .iter()
            .map(|b| Term::from_field_text(f.band, b.code()))
            .collect(),
    );
    if let Some(status) = query.status {
        filter(vec![Term::from_field_text(f.status, status.code())]);
    }
    match clauses.len() {
        0 => Box::new(AllQuery),
        1 if clauses[0].0 == Occur::Must => {
            clauses.pop().map(|(_, q)| q).unwrap_or(Box::new(AllQuery))
        }
        _ => Box::new(BooleanQuery::new(clauses)),
    }
}

/// The words of a query as the index holds them: folded, without stop
/// words (unless that would leave none), each once, at most
/// [`MAX_QUERY_WORDS`].
pub fn query_words(text: &str) -> Vec<String> {
    // Long input is cut first (at a character boundary): only the first
    // words count anyway.
    let cut = text
        .char_indices()
        .nth(2_000)
        .map(|(i, _)| &text[..i])
        .unwrap_or(text);
    let mut words: Vec<String> = Vec::new();
    for w in fold(cut).split(' ').filter(|w| !w.is_empty()) {
        if !words.iter().any(|x| x == w) {
            words.push(w.to_string());
        }
    }
    let content: Vec<String> = words
        .iter()
        .filter(|w| !STOP_WORDS.contains(&String::as_str(w)))
        .cloned()
        .collect();
    let mut chosen = if content.is_empty() { words } else { content };
    chosen.truncate(MAX_QUERY_WORDS);
    chosen
}

fn entry(
    state: &State,
    searcher: &tantivy::Searcher,
    address: DocAddress,
) -> Result<DirectoryEntry, StoreError> {
    let f = &state.fields;
    let doc: TantivyDocument = searcher.doc(address).map_err(search_error)?;
    let text = |field: Field| {
        doc.get_first(field)
            .and_then(|v| v.as_str())
            .map(str::to_string)
    };
    let key = text(f.key).unwrap_or_default();
    Ok(DirectoryEntry {
        org_identifier: (!key.starts_with("org:")).then_some(key),
        organisation_id: doc.get_first(f.org_id).and_then(|v| v.as_i64()),
        name: text(f.name).unwrap_or_default(),
        status: text(f.status_label),
        latest_income: doc.get_first(f.income).and_then(|v| v.as_i64()),
        areas: doc
            .get_all(f.area_label)
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        classifications: doc
            .get_all(f.class)
            .filter_map(|v| v.as_u64().map(|c| c as i64))
            .collect(),
        activities: text(f.activities).unwrap_or_default(),
    })
}

fn short(text: &str) -> String {
    match text.char_indices().nth(SHORT_ACTIVITIES) {
        None => text.to_string(),
        Some((i, _)) => {
            let cut = &text[..i];
            let cut = cut.rsplit_once(' ').map(|(a, _)| a).unwrap_or(cut);
            format!("{cut}…")
        }
    }
}

/// A platform organisation's fields for the directory.
struct OrgRow {
    id: i64,
    name: String,
    org_identifier: Option<String>,
    mission: String,
    activities: String,
    areas_served: String,
    causes: String,
}
crate::db::from_row!(OrgRow {
    id,
    name,
    org_identifier,
    mission,
    activities,
    areas_served,
    causes
});

const ORG_SELECT: &str =
    "SELECT id, name, org_identifier, mission, activities, areas_served, causes FROM organisations";

struct CharityRow {
    org_identifier: String,
    registered_charity_number: i64,
    name: String,
    status: String,
    latest_income: Option<i64>,
    activities: Option<String>,
    charitable_objects: Option<String>,
}
crate::db::from_row!(CharityRow {
    org_identifier,
    registered_charity_number,
    name,
    status,
    latest_income,
    activities,
    charitable_objects
});

const CHARITY_SELECT: &str = "SELECT org_identifier, registered_charity_number, name, status, latest_income, \
    activities, charitable_objects FROM register_charities";

/// What hangs under charities, by registered number.
#[derive(Default)]
struct Children {
    names: HashMap<i64, Vec<String>>,
    body: HashMap<i64, Vec<String>>,
    classes: HashMap<i64, Vec<i64>>,
    areas: HashMap<i64, Vec<String>>,
}

/// Reads what hangs under the charities numbered `from..=to`.
async fn children(store: &Store, from: i64, to: i64) -> Result<Children, StoreError> {
    let mut tx = store.read().await?;
    let mut c = Children::default();
    let linked: Vec<(i64, String, Option<String>)> = tx
        .all(
            q(
                "SELECT registered_charity_number, name, activities FROM register_linked_charities \
               WHERE registered_charity_number BETWEEN ? AND ? \
               ORDER BY registered_charity_number, linked_charity_number",
            )
            .bind(from)
            .bind(to),
        )
        .await?;
    for (n, name, activities) in linked {
        c.names.entry(n).or_default().push(name);
        if let Some(a) = activities {
            c.body.entry(n).or_default().push(a);
        }
    }
    let names: Vec<(i64, String)> = tx
        .all(
            q(
                "SELECT registered_charity_number, name FROM register_other_names \
               WHERE registered_charity_number BETWEEN ? AND ? \
               ORDER BY registered_charity_number, linked_charity_number, name_id",
            )
            .bind(from)
            .bind(to),
        )
        .await?;
    for (n, name) in names {
        c.names.entry(n).or_default().push(name);
    }
    let classes: Vec<(i64, i64)> = tx
        .all(
            q("SELECT DISTINCT registered_charity_number, code FROM register_classifications \
               WHERE registered_charity_number BETWEEN ? AND ? ORDER BY registered_charity_number, code")
            .bind(from)
            .bind(to),
        )
        .await?;
    for (n, code) in classes {
        c.classes.entry(n).or_default().push(code);
    }
    let areas: Vec<(i64, String)> = tx
        .all(
            q(
                "SELECT registered_charity_number, area FROM register_areas \
               WHERE registered_charity_number BETWEEN ? AND ? \
               ORDER BY registered_charity_number, linked_charity_number, position",
            )
            .bind(from)
            .bind(to),
        )
        .await?;
    for (n, area) in areas {
        let list = c.areas.entry(n).or_default();
        if !list.contains(&area) {
            list.push(area);
        }
    }
    Ok(c)
}

fn charity_record(row: CharityRow, children: &mut Children) -> Record {
    let n = row.registered_charity_number;
    let mut body = Vec::new();
    let activities = row.activities.clone().unwrap_or_default();
    body.extend(row.activities);
    body.extend(row.charitable_objects);
    body.extend(children.body.remove(&n).unwrap_or_default());
    Record {
        key: row.org_identifier,
        organisation_id: None,
        name: row.name,
        other_names: children.names.remove(&n).unwrap_or_default(),
        body,
        activities: short(&activities),
        status: Status::parse_code(&row.status),
        income: row.latest_income,
        areas: children.areas.remove(&n).unwrap_or_default(),
        classes: children.classes.remove(&n).unwrap_or_default(),
    }
}

/// Puts a platform organisation into a record: on its own, or over the
/// register's record of the same org-id (the platform's own name and
/// words first; the register's status, income and classifications kept).
fn with_organisation(record: Option<Record>, org: OrgRow) -> Record {
    let key = org
        .org_identifier
        .clone()
        .unwrap_or_else(|| format!("org:{}", org.id));
    let mut r = record.unwrap_or_else(|| Record {
        key,
        ..Record::default()
    });
    if !r.name.is_empty() && r.name != org.name {
        let register_name = std::mem::take(&mut r.name);
        r.other_names.insert(0, register_name);
    }
    r.name = org.name;
    r.organisation_id = Some(org.id);
    let register_activities = std::mem::take(&mut r.activities);
    r.activities = if org.activities.trim().is_empty() {
        register_activities
    } else {
        short(&org.activities)
    };
    r.body.insert(0, org.mission);
    r.body.insert(1, org.activities);
    r.body.push(org.causes);
    for area in split_list(&org.areas_served) {
        if !r.areas.contains(&area) {
            r.areas.push(area);
        }
    }
    r
}

/// Reads one record by its key, or None when nothing has that key now.
async fn load_record(store: &Store, key: &str) -> Result<Option<Record>, StoreError> {
    let mut tx = store.read().await?;
    let (org, charity): (Option<OrgRow>, Option<CharityRow>) =
        if let Some(id) = key.strip_prefix("org:") {
            let Ok(id) = id.parse::<i64>() else {
                return Ok(None);
            };
            let org: Option<OrgRow> = tx
                .opt(
                    q(format!(
                        "{ORG_SELECT} WHERE id = ? AND org_identifier IS NULL"
                    ))
                    .bind(id),
                )
                .await?;
            (org, None)
        } else {
            let org = tx
                .opt(q(format!("{ORG_SELECT} WHERE org_identifier = ?")).bind(key))
                .await?;
            let charity = tx
                .opt(q(format!("{CHARITY_SELECT} WHERE org_identifier = ?")).bind(key))
                .await?;
            (org, charity)
        };
    drop(tx);
    let record = match charity {
        Some(row) => {
            let n = row.registered_charity_number;
            let mut children = children(store, n, n).await?;
            Some(charity_record(row, &mut children))
        }
        None => None,
    };
    Ok(match org {
        Some(org) => Some(with_organisation(record, org)),
        None => record,
    })
}

/// Changes this far below the latest are checked again after a build:
/// one of them may belong to a transaction that had not committed when
/// the build read the data.
const BUILD_OVERLAP: i64 = 1_000;

/// [`build`] on a thread of its own. Indexing the whole register is
/// seconds of CPU work, and the index writer waits on its own threads;
/// done on an async worker it would hold up every request that worker
/// serves (on a 2-core machine, half of them).
async fn build_aside(store: &Store) -> Result<(State, Cursor), StoreError> {
    match tokio::runtime::Handle::try_current() {
        Ok(handle) if handle.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
            let store = store.clone();
            tokio::task::spawn_blocking(move || handle.block_on(build(&store)))
                .await
                .map_err(|e| {
                    StoreError::Other(format!("building the directory index stopped: {e}"))
                })?
        }
        _ => build(store).await,
    }
}

/// A whole new index from the database, and where to go on reading changes.
async fn build(store: &Store) -> Result<(State, Cursor), StoreError> {
    let state = State::new(
        std::thread::available_parallelism()
            .map(|n| n.get().clamp(1, 4))
            .unwrap_or(1),
        200_000_000,
    )?;
    // The change sequence first: anything after it is applied later,
    // and applying a change twice is harmless.
    let cursor = {
        let mut tx = store.read().await?;
        let latest = tx
            .int(q("SELECT COALESCE(MAX(seq), 0) FROM directory_changes"))
            .await?;
        let low = (latest - BUILD_OVERLAP).max(0);
        let seen: Vec<(i64,)> = tx
            .all(
                q("SELECT seq FROM directory_changes WHERE seq > ? AND seq <= ? ORDER BY seq")
                    .bind(low)
                    .bind(latest),
            )
            .await?;
        let seen: Vec<i64> = seen.into_iter().map(|r| r.0).collect();
        let mut cursor = Cursor {
            low,
            ..Cursor::default()
        };
        cursor.advance(&seen, Instant::now());
        cursor
    };
    // Platform organisations that carry an org-id are merged with the
    // register's record of it.
    let mut with_id: HashMap<String, OrgRow> = HashMap::new();
    let mut after = 0i64;
    loop {
        let mut tx = store.read().await?;
        let rows: Vec<OrgRow> = tx
            .all(
                q(format!("{ORG_SELECT} WHERE id > ? ORDER BY id LIMIT ?"))
                    .bind(after)
                    .bind(LOAD_BATCH),
            )
            .await?;
        drop(tx);
        let Some(last) = rows.last() else { break };
        after = last.id;
        let writer = state.writer.lock().unwrap_or_else(|p| p.into_inner());
        for org in rows {
            match &org.org_identifier {
                Some(id) => {
                    with_id.insert(id.clone(), org);
                }
                None => {
                    writer
                        .add_document(state.document(&with_organisation(None, org)))
                        .map_err(search_error)?;
                }
            }
        }
    }
    let mut after = -1i64;
    loop {
        let mut tx = store.read().await?;
        let rows: Vec<CharityRow> = tx
            .all(
                q(format!(
                    "{CHARITY_SELECT} WHERE registered_charity_number > ? \
                     ORDER BY registered_charity_number LIMIT ?"
                ))
                .bind(after)
                .bind(LOAD_BATCH),
            )
            .await?;
        drop(tx);
        let (Some(first), Some(last)) = (rows.first(), rows.last()) else {
            break;
        };
        let (from, to) = (
            first.registered_charity_number,
            last.registered_charity_number,
        );
        after = to;
        let mut children = children(store, from, to).await?;
        let writer = state.writer.lock().unwrap_or_else(|p| p.into_inner());
        for row in rows {
            let org = with_id.remove(&row.org_identifier);
            let record = charity_record(row, &mut children);
            let record = match org {
                Some(org) => with_organisation(Some(record), org),
                None => record,
            };
            writer
                .add_document(state.document(&record))
                .map_err(search_error)?;
        }
    }
    {
        let writer = state.writer.lock().unwrap_or_else(|p| p.into_inner());
        for (_, org) in with_id {
            writer
                .add_document(state.document(&with_organisation(None, org)))
                .map_err(search_error)?;
        }
    }
    crate::db::off_worker(|| state.commit())?;
    Ok((state, cursor))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_folded_and_nothing_typed_is_syntax() {
        assert_eq!(query_words("Llŷn"), vec!["llyn"]);
        assert_eq!(query_words("LLYN"), vec!["llyn"]);
        assert_eq!(
            query_words("Côr Meibion Âber"),
            vec!["cor", "meibion", "aber"]
        );
        assert_eq!(
            query_words("\"food bank\" AND NOT -youth* %club% OR"),
            vec!["food", "bank", "youth", "club"]
        );
        assert_eq!(query_words("the and of"), vec!["the", "and", "of"]);
        assert_eq!(
            query_words("Friends of the Earth"),
            vec!["friends", "earth"]
        );
        assert_eq!(query_words(""), Vec::<String>::new());
        assert_eq!(query_words("*%\"'()[]{}:^~!"), Vec::<String>::new());
        let long = "word ".repeat(1000) + &"x".repeat(5000);
        assert_eq!(query_words(&long), vec!["word"]);
        let many: String = (0..100).map(|i| format!("w{i} ")).collect();
        assert_eq!(query_words(&many).len(), MAX_QUERY_WORDS);
    }

    #[test]
    fn the_cursor_waits_for_gaps_then_gives_up() {
        let t0 = Instant::now();
        let mut c = Cursor::default();
        c.advance(&[1, 2, 3], t0);
        assert_eq!(c.low, 3);
        // 4 is taken by a transaction that has not committed yet.
        c.advance(&[5, 6], t0);
        assert_eq!(c.low, 3);
        assert_eq!(c.gaps.iter().map(|g| g.0).collect::<Vec<_>>(), vec![4]);
        c.advance(&[4], t0);
        assert_eq!(c.low, 6);
        assert!(c.gaps.is_empty() && c.applied.is_empty());
        // A number that never arrives (a rolled-back transaction).
        c.advance(&[8], t0);
        assert_eq!(c.low, 6);
        c.advance(&[], t0 + GAP_WAIT + Duration::from_secs(1));
        assert_eq!(c.low, 8);
    }

    #[test]
    fn short_activities_end_at_a_word() {
        assert_eq!(short("Runs a club."), "Runs a club.");
        let long = "word ".repeat(100);
        let s = short(&long);
        assert!(
            s.ends_with("word…") && s.chars().count() <= SHORT_ACTIVITIES + 1,
            "{s}"
        );
    }
}
