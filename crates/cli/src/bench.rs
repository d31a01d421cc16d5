//! `commonground-bench`: fills a fresh database with demo data, starts the
//! release server on loopback, and measures a few pages and API calls at 1
//! and 32 concurrent clients. Prints a Markdown table for the README.
//!
//! It builds nothing: it runs the `commonground` binary that sits beside it
//! (so `cargo build --release` first). Everything stays on 127.0.0.1, each
//! run is bounded in time, and the server is stopped at the end.

use clap::Parser;
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::client::conn::http1::SendRequest;
use hyper::{Method, Request, StatusCode, header};
use hyper_util::rt::TokioIo;
use std::io::BufRead;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};
use tokio::net::TcpStream;

const DEMO_EMAIL: &str = "demo@example.org";
/// The demo collaboration with the 500-task action plan (the demo person's
/// first, led by their organisation).
const PLAN_500: i64 = 1;
/// The most any single request may take before it counts as an error.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
const CONCURRENCY: [usize; 2] = [1, 32];
/// Agreements the save benchmark writes to: with 20 sections each, two
/// give each of 32 clients a section of its own, so saves do not refuse
/// each other as stale.
const SAVE_AGREEMENTS: usize = 2;
const SAVE_LABEL: &str = "PUT /api/v1/agreements/{aid}/sections/{key} (save)";

#[derive(Parser, Debug)]
#[command(
    name = "commonground-bench",
    about = "Measures the commonground server on loopback and prints a Markdown table."
)]
struct Args {
    /// How many demo organisations to fill the database with.
    #[arg(long, default_value_t = 200_000, value_parser = clap::value_parser!(i64).range(10..=2_000_000))]
    organisations: i64,
    /// How long each measurement runs, in seconds.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=300))]
    seconds: u64,
    /// The PostgreSQL to measure as well (a fresh schema is made in it and
    /// dropped at the end). Without it: TEST_POSTGRES_URL, or the machine's
    /// own PostgreSQL started by `.ci/run postgres`.
    #[arg(long)]
    postgres_url: Option<String>,
    /// Measure SQLite only.
    #[arg(long)]
    no_postgres: bool,
    /// How many main charities the generated register extract holds
    /// (imported after the demo fill, beside a raw insert of as many rows).
    /// 0 leaves the register out.
    #[arg(long, default_value_t = 200_000, value_parser = clap::value_parser!(u64).range(0..=2_000_000))]
    charities: u64,
    /// Only generate and import the register (and the raw insert beside
    /// it, and the directory search); no demo fill, no server.
    #[arg(long)]
    import_only: bool,
    /// Only write a generated register extract of --charities charities
    /// (as zips) into this folder, to try `commonground import-register` on.
    #[arg(long, value_name = "FOLDER")]
    write_extract: Option<PathBuf>,
    /// Measure only the rows whose label contains this text (`/healthz`
    /// is always measured, for the ratios). End it with `$` to match the
    /// end of the label, e.g. `--only 'GET /collaborations/{id}$'`. May be
    /// given more than once.
    #[arg(long, value_name = "TEXT")]
    only: Vec<String>,
}

impl Args {
    /// Whether the row with this label is to be measured.
    fn measures(&self, label: &str) -> bool {
        label == "GET /healthz"
            || self.only.is_empty()
            || self.only.iter().any(|text| match text.strip_suffix('$') {
                Some(end) => label.ends_with(end),
                None => label.contains(text.as_str()),
            })
    }
}

fn main() -> ExitCode {
    let args = Args::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("Error: could not start: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(run(args));
    runtime.shutdown_timeout(Duration::from_secs(2));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("Error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Where the benchmark keeps its data.
enum Database {
    Sqlite,
    /// A fresh schema in this PostgreSQL database; dropped at the end.
    Postgres {
        url: String,
        schema: String,
    },
}

impl Database {
    fn name(&self) -> &'static str {
        match self {
            Database::Sqlite => "SQLite",
            Database::Postgres { .. } => "PostgreSQL",
        }
    }

    /// The `DATABASE_URL` the server is given, if any.
    fn server_url(&self) -> Option<String> {
        match self {
            Database::Sqlite => None,
            Database::Postgres { url, schema } => {
                let joiner = if url.contains('?') { '&' } else { '?' };
                Some(format!("{url}{joiner}options[search_path]={schema}"))
            }
        }
    }
}

/// One backend's results.
struct Report {
    database: &'static str,
    fill_time: Duration,
    peak: Option<u64>,
    rows: Vec<(&'static str, usize, Stats)>,
    import: Option<ImportRun>,
}

/// The register import beside a raw insert into the same database.
struct ImportRun {
    charities: u64,
    /// Rows the import wrote, all tables together.
    rows: u64,
    took: Duration,
    /// Of which writing to the database (the rest is reading and
    /// checking the files, and analysing).
    writing: Option<Duration>,
    raw: Duration,
    /// Building the directory's search index from the database.
    index_build: Duration,
    index_records: u64,
    /// Directory searches in process, at 1 and 32 threads.
    search: Vec<(usize, Stats)>,
}

/// A mix of very common words (in tens of thousands of records) and
/// uncommon ones (in a few dozen), with and without a filter.
const SEARCHES: &[(&str, bool)] = &[
    ("people", false),
    ("zither", false),
    ("children", false),
    ("falconry", false),
    ("young people", false),
    ("quilting", false),
    ("food", true),
    ("sourdough", false),
    ("advice", false),
    ("llyn", false),
    ("community transport", false),
    ("origami", true),
    ("support", false),
    ("morris", false),
    ("families crisis", false),
    ("clogs", false),
];

async fn run(args: Args) -> Result<(), String> {
    if let Some(folder) = &args.write_extract {
        std::fs::create_dir_all(folder)
            .map_err(|e| format!("Could not create {}: {e}", folder.display()))?;
        let facts =
            commonground_store::fake_register::write_fake_extract(folder, args.charities, true)
                .map_err(|e| format!("Could not write the extract: {e}"))?;
        println!(
            "Wrote an extract of {} main and {} linked charities ({} rows in all tables) to {}.",
            facts.main_charities,
            facts.linked_charities,
            facts.rows,
            folder.display()
        );
        return Ok(());
    }
    let server_binary = server_binary()?;
    let mut reports = vec![measure(&server_binary, &args, &Database::Sqlite).await?];
    match postgres_url(&args) {
        Ok(Some(url)) => {
            let schema = format!("cg_bench_{}", &nonce()[..16]);
            commonground_store::testing::create_postgres_schema(&url, &schema)
                .await
                .map_err(|e| format!("Could not prepare PostgreSQL at {url}: {e}"))?;
            let database = Database::Postgres {
                url: url.clone(),
                schema: schema.clone(),
            };
            let measured = measure(&server_binary, &args, &database).await;
            if let Err(e) = commonground_store::testing::drop_postgres_schema(&url, &schema).await {
                eprintln!("Could not remove the benchmark's schema {schema}: {e}");
            }
            reports.push(measured?);
        }
        Ok(None) => {}
        Err(e) => eprintln!("\n*** PostgreSQL is left out: {e} ***\n"),
    }

    let people = (args.organisations / 20).max(10);
    let collaborations = (args.organisations / 40).max(4);
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    println!();
    println!(
        "Data: {} organisations, {people} people, {collaborations} collaborations.",
        args.organisations
    );
    println!(
        "Each row: {} s closed loop over keep-alive HTTP/1.1 on 127.0.0.1, client and server (and PostgreSQL) on the same {cores}-core machine.",
        args.seconds
    );
    for report in &reports {
        print_report(report);
    }
    Ok(())
}

/// The PostgreSQL to measure: `--postgres-url`, else `TEST_POSTGRES_URL`,
/// else the machine's own PostgreSQL started by `.ci/run postgres`.
fn postgres_url(args: &Args) -> Result<Option<String>, String> {
    if args.no_postgres {
        return Ok(None);
    }
    if let Some(url) = args
        .postgres_url
        .clone()
        .or_else(|| std::env::var("TEST_POSTGRES_URL").ok())
        .filter(|u| !u.trim().is_empty())
    {
        return Ok(Some(url));
    }
    let script = Path::new(".ci/run");
    if !script.is_file() {
        return Err("no --postgres-url, and no .ci/run here to start the local PostgreSQL (run from the project folder)".into());
    }
    eprintln!("Starting the local PostgreSQL with .ci/run postgres…");
    let output = Command::new("bash")
        .arg(script)
        .arg("postgres")
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("could not run .ci/run postgres: {e}"))?;
    let text = String::from_utf8_lossy(&output.stdout);
    text.split("TEST_POSTGRES_URL=")
        .nth(1)
        .map(|rest| Some(rest.split_whitespace().next().unwrap_or_default().to_string()))
        .filter(|_| output.status.success())
        .ok_or_else(|| {
            format!(
                ".ci/run postgres did not start PostgreSQL (it needs root and Debian's postgresql package): {}",
                String::from_utf8_lossy(&output.stderr).trim()
            )
        })
}

async fn measure(server_binary: &Path, args: &Args, database: &Database) -> Result<Report, String> {
    let work = WorkDir::create()?;
    let password = format!("bench-{}", &nonce()[..12]);
    if args.import_only {
        let import = import_register(server_binary, args, database, work.path()).await?;
        return Ok(Report {
            database: database.name(),
            fill_time: Duration::ZERO,
            peak: None,
            rows: Vec::new(),
            import,
        });
    }

    // 1. Demo data.
    eprintln!(
        "{}: filling a new database with {} demo organisations…",
        database.name(),
        args.organisations
    );
    let started = Instant::now();
    let mut demo = Command::new(server_binary);
    demo.arg("--data-dir")
        .arg(work.path())
        .args(["demo", "--organisations", &args.organisations.to_string()])
        .env("COMMONGROUND_DEMO_PASSWORD", &password)
        .env("RUST_LOG", "warn")
        .env_remove("DATABASE_URL")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit());
    if let Some(url) = database.server_url() {
        demo.env("DATABASE_URL", url);
    }
    let status = demo
        .status()
        .map_err(|e| format!("Could not run {}: {e}", server_binary.display()))?;
    if !status.success() {
        return Err(format!("The demo fill failed ({status})."));
    }
    let fill_time = started.elapsed();
    eprintln!("Filled in {:.1} s.", fill_time.as_secs_f64());
    let import = import_register(server_binary, args, database, work.path()).await?;

    // 2. The server.
    let server = Server::start(server_binary, work.path(), database.server_url())?;
    let addr = server.addr;
    eprintln!("Server listening on http://{addr}");

    // 3. A signed-in browser session and an API token.
    let cookie = sign_in(addr, &password).await?;
    let token = match api_token(addr, &password).await {
        Ok(token) => Some(token),
        Err(e) => {
            eprintln!("\n*** No API token ({e}); the API row is left out. ***\n");
            None
        }
    };
    let collaboration = match &token {
        Some(token) => collaboration_from_api(addr, token).await?,
        None => collaboration_from_home(addr, &cookie).await?,
    };

    let session = format!("cg_session={cookie}");
    let mut targets = vec![
        Target::new("GET /healthz", "/healthz", None),
        Target::new(
            "GET / (signed in)",
            "/",
            Some((header::COOKIE, session.clone())),
        ),
        Target::new(
            "GET /collaborations/{id}",
            &format!("/collaborations/{collaboration}"),
            Some((header::COOKIE, session.clone())),
        ),
        // The Identify stage page and its parts, with the demo's rows.
        Target::new(
            "GET /collaborations/{id}/identify",
            &format!("/collaborations/{collaboration}/identify"),
            Some((header::COOKIE, session.clone())),
        ),
        Target::new(
            "GET /collaborations/{id}/goals",
            &format!("/collaborations/{collaboration}/goals"),
            Some((header::COOKIE, session.clone())),
        ),
        Target::new(
            "GET /collaborations/{id}/environment",
            &format!("/collaborations/{collaboration}/environment"),
            Some((header::COOKIE, session.clone())),
        ),
        Target::new(
            "GET /collaborations/{id}/benefits-risks",
            &format!("/collaborations/{collaboration}/benefits-risks"),
            Some((header::COOKIE, session.clone())),
        ),
        Target::new(
            "GET /collaborations/{id}/shortlist",
            &format!("/collaborations/{collaboration}/shortlist"),
            Some((header::COOKIE, session.clone())),
        ),
        // The Plan stage page (its checklist and the model) and the
        // collaboration model page with the guide to every model.
        Target::new(
            "GET /collaborations/{id}/plan",
            &format!("/collaborations/{collaboration}/plan"),
            Some((header::COOKIE, session.clone())),
        ),
        Target::new(
            "GET /collaborations/{id}/model",
            &format!("/collaborations/{collaboration}/model"),
            Some((header::COOKIE, session.clone())),
        ),
        // The Plan stage's structures: governance bodies with their
        // members, and the responsibilities matrix as one form.
        Target::new(
            "GET /collaborations/{id}/governance",
            &format!("/collaborations/{collaboration}/governance"),
            Some((header::COOKIE, session.clone())),
        ),
        Target::new(
            "GET /collaborations/{id}/responsibilities",
            &format!("/collaborations/{collaboration}/responsibilities"),
            Some((header::COOKIE, session.clone())),
        ),
        // Finding partners: the directory page, judged against a
        // collaboration's lead.
        Target::new(
            "GET /directory?q=food&collaboration_id={id}",
            &format!("/directory?q=food&collaboration_id={collaboration}"),
            Some((header::COOKIE, session.clone())),
        ),
        // The readiness check with the demo's answers: the combined
        // results, the chart and the form.
        Target::new(
            "GET /collaborations/{id}/readiness",
            &format!("/collaborations/{collaboration}/readiness"),
            Some((header::COOKIE, session.clone())),
        ),
        // The action plan: the demo person's first collaboration (id 1)
        // has 500 tasks. The list shows 50 a page, soonest due first.
        Target::new(
            "GET /collaborations/{id}/tasks?view=all (500 tasks, 50 a page)",
            &format!("/collaborations/{PLAN_500}/tasks?view=all"),
            Some((header::COOKIE, session.clone())),
        ),
        // The whole plan's timeline, drawn as SVG.
        Target::new(
            "GET /collaborations/{id}/timeline.svg (500-task plan)",
            &format!("/collaborations/{PLAN_500}/timeline.svg"),
            Some((header::COOKIE, session.clone())),
        ),
        Target::new(
            "GET /tasks (my tasks across collaborations)",
            "/tasks",
            Some((header::COOKIE, session.clone())),
        ),
        // Who is who for the 500-task collaboration (two contacts for each
        // partner), and its steering group meeting: the demo gives the
        // first collaboration under way meetings 1 to 3, and meeting 2 has
        // minutes, who came and two actions.
        Target::new(
            "GET /collaborations/{id}/contacts",
            &format!("/collaborations/{PLAN_500}/contacts"),
            Some((header::COOKIE, session.clone())),
        ),
        Target::new(
            "GET /meetings/{mid} (minutes, who came, actions)",
            "/meetings/2",
            Some((header::COOKIE, session.clone())),
        ),
    ];
    if let Some(token) = &token {
        targets.push(Target::new(
            "GET /api/v1/collaborations",
            "/api/v1/collaborations",
            Some((header::AUTHORIZATION, format!("Bearer {token}"))),
        ));
        targets.push(Target::new(
            "GET /api/v1/collaborations/{id}",
            &format!("/api/v1/collaborations/{collaboration}"),
            Some((header::AUTHORIZATION, format!("Bearer {token}"))),
        ));
        targets.push(Target::new(
            "GET /api/v1/directory?q=community (a common word)",
            "/api/v1/directory?q=community",
            Some((header::AUTHORIZATION, format!("Bearer {token}"))),
        ));
        targets.push(Target::new(
            "GET /api/v1/directory?q=food+bank (two common words)",
            "/api/v1/directory?q=food+bank",
            Some((header::AUTHORIZATION, format!("Bearer {token}"))),
        ));
        targets.push(Target::new(
            "GET /api/v1/directory?q=food+bank&collaboration_id={id} (with fit)",
            &format!("/api/v1/directory?q=food+bank&collaboration_id={collaboration}"),
            Some((header::AUTHORIZATION, format!("Bearer {token}"))),
        ));
        targets.push(Target::new(
            "GET /api/v1/collaborations/{id}/readiness",
            &format!("/api/v1/collaborations/{collaboration}/readiness"),
            Some((header::AUTHORIZATION, format!("Bearer {token}"))),
        ));
        targets.push(Target::new(
            "GET /api/v1/collaborations/{id}/tasks?view=all&per_page=500 (all 500 tasks)",
            &format!("/api/v1/collaborations/{PLAN_500}/tasks?view=all&per_page=500"),
            Some((header::AUTHORIZATION, format!("Bearer {token}"))),
        ));
        targets.push(Target::new(
            "GET /api/v1/me/tasks",
            "/api/v1/me/tasks",
            Some((header::AUTHORIZATION, format!("Bearer {token}"))),
        ));
        // The calendar feed of the whole 500-task plan, as a calendar app
        // fetches it: a plain GET of its secret address, no other
        // credentials.
        let feed = calendar_feed_path(addr, token).await?;
        targets.push(Target::new(
            "GET /calendar-feeds/{secret}/tasks.ics?view=all (500-task plan)",
            &feed,
            None,
        ));
        // The demo person's own feed: their open tasks with a date across
        // every collaboration.
        let mine = feed_path_from(addr, token, "/api/v1/me/calendar").await?;
        targets.push(Target::new(
            "GET /calendar-feeds/{secret}/tasks.ics (my tasks across collaborations)",
            &mine,
            None,
        ));
    }
    // The risk register of the 500-task collaboration (in Implement, so
    // the demo gave it 8 to 12 risks): the page with its filters, list and
    // heat map table, and the heat map SVG.
    targets.push(Target::new(
        "GET /collaborations/{id}/risks (the register and its heat map table)",
        &format!("/collaborations/{PLAN_500}/risks"),
        Some((header::COOKIE, session.clone())),
    ));
    if let Some(token) = &token {
        targets.push(Target::new(
            "GET /api/v1/collaborations/{id}/risks/heatmap.svg",
            &format!("/api/v1/collaborations/{PLAN_500}/risks/heatmap.svg"),
            Some((header::AUTHORIZATION, format!("Bearer {token}"))),
        ));
    }
    // The problem log and the decisions log of the same collaboration (the
    // demo gave it three problems and two decisions).
    targets.push(Target::new(
        "GET /collaborations/{id}/problems",
        &format!("/collaborations/{PLAN_500}/problems"),
        Some((header::COOKIE, session.clone())),
    ));
    if let Some(token) = &token {
        targets.push(Target::new(
            "GET /api/v1/collaborations/{id}/decisions",
            &format!("/api/v1/collaborations/{PLAN_500}/decisions"),
            Some((header::AUTHORIZATION, format!("Bearer {token}"))),
        ));
    }
    // The demo person's notifications (the demo made the day's reminders).
    targets.push(Target::new(
        "GET /notifications",
        "/notifications",
        Some((header::COOKIE, session.clone())),
    ));
    if let Some(token) = &token {
        targets.push(Target::new(
            "GET /api/v1/notifications",
            "/api/v1/notifications",
            Some((header::AUTHORIZATION, format!("Bearer {token}"))),
        ));
    }
    // Decisions by vote in the same collaboration (the demo gave it one
    // decided proposal and one open, with their votes).
    targets.push(Target::new(
        "GET /collaborations/{id}/proposals",
        &format!("/collaborations/{PLAN_500}/proposals"),
        Some((header::COOKIE, session.clone())),
    ));
    if let Some(token) = &token {
        targets.push(Target::new(
            "GET /api/v1/collaborations/{id}/proposals",
            &format!("/api/v1/collaborations/{PLAN_500}/proposals"),
            Some((header::AUTHORIZATION, format!("Bearer {token}"))),
        ));
    }
    // The Review stage of a collaboration in Review: its page, and the
    // results of its newest health check round (closed, everyone answered).
    if let Some(token) = &token
        && let Some((review, round)) = review_round_from_api(addr, token).await?
    {
        targets.push(Target::new(
            "GET /collaborations/{id}/review",
            &format!("/collaborations/{review}/review"),
            Some((header::COOKIE, session.clone())),
        ));
        targets.push(Target::new(
            "GET /health-checks/{hid}/results",
            &format!("/health-checks/{round}/results"),
            Some((header::COOKIE, session.clone())),
        ));
        targets.push(Target::new(
            "GET /api/v1/health-checks/{hid}/results",
            &format!("/api/v1/health-checks/{round}/results"),
            Some((header::AUTHORIZATION, format!("Bearer {token}"))),
        ));
    }
    // The full review of the 500-task collaboration that 300 people
    // answered (the demo's large round): the results page and the API's.
    if let Some(token) = &token
        && let Some(round) = newest_round_of(addr, token, PLAN_500).await?
    {
        targets.push(Target::new(
            "GET /health-checks/{hid}/results (300 respondents)",
            &format!("/health-checks/{round}/results"),
            Some((header::COOKIE, session.clone())),
        ));
        targets.push(Target::new(
            "GET /api/v1/health-checks/{hid}/results (300 respondents)",
            &format!("/api/v1/health-checks/{round}/results"),
            Some((header::AUTHORIZATION, format!("Bearer {token}"))),
        ));
    }
    // The communications plan of the same collaboration (the demo gave it
    // six items, a newsletter with two issues logged): the page with its
    // filters and the last date sent of each item, and the API's list.
    targets.push(Target::new(
        "GET /collaborations/{id}/comms (the plan, soonest due first)",
        &format!("/collaborations/{PLAN_500}/comms"),
        Some((header::COOKIE, session.clone())),
    ));
    if let Some(token) = &token {
        targets.push(Target::new(
            "GET /api/v1/collaborations/{id}/comms",
            &format!("/api/v1/collaborations/{PLAN_500}/comms"),
            Some((header::AUTHORIZATION, format!("Bearer {token}"))),
        ));
    }
    // Recurring tasks of the same collaboration (the demo gave it three
    // series with the tasks they made): the list page and the API's list,
    // and a series' page with its tasks.
    targets.push(Target::new(
        "GET /collaborations/{id}/recurring",
        &format!("/collaborations/{PLAN_500}/recurring"),
        Some((header::COOKIE, session.clone())),
    ));
    if let Some(token) = &token {
        targets.push(Target::new(
            "GET /api/v1/collaborations/{id}/recurring-tasks",
            &format!("/api/v1/collaborations/{PLAN_500}/recurring-tasks"),
            Some((header::AUTHORIZATION, format!("Bearer {token}"))),
        ));
        if let Some(series) = series_from_api(addr, token).await? {
            targets.push(Target::new(
                "GET /recurring/{sid} (a series and its tasks)",
                &format!("/recurring/{series}"),
                Some((header::COOKIE, session.clone())),
            ));
            targets.push(Target::new(
                "GET /api/v1/recurring-tasks/{sid}",
                &format!("/api/v1/recurring-tasks/{series}"),
                Some((header::AUTHORIZATION, format!("Bearer {token}"))),
            ));
        }
    }
    // The aims review and the lessons of the demo person's first
    // collaboration in Review (the demo reviewed each of its shared aims and
    // recorded four lessons): the pages and the API's reads.
    if let Some(token) = &token
        && let Some((review, _)) = review_round_from_api(addr, token).await?
    {
        targets.push(Target::new(
            "GET /collaborations/{id}/aims-review",
            &format!("/collaborations/{review}/aims-review"),
            Some((header::COOKIE, session.clone())),
        ));
        targets.push(Target::new(
            "GET /api/v1/collaborations/{id}/aims-review",
            &format!("/api/v1/collaborations/{review}/aims-review"),
            Some((header::AUTHORIZATION, format!("Bearer {token}"))),
        ));
        targets.push(Target::new(
            "GET /collaborations/{id}/lessons",
            &format!("/collaborations/{review}/lessons"),
            Some((header::COOKIE, session.clone())),
        ));
        targets.push(Target::new(
            "GET /api/v1/collaborations/{id}/lessons",
            &format!("/api/v1/collaborations/{review}/lessons"),
            Some((header::AUTHORIZATION, format!("Bearer {token}"))),
        ));
    }
    // The data export of the 500-task collaboration: every table of it in
    // one JSON document, and the same as CSV files in a zip.
    if let Some(token) = &token {
        targets.push(Target::new(
            "GET /api/v1/collaborations/{id}/export.json (500-task collaboration)",
            &format!("/api/v1/collaborations/{PLAN_500}/export.json"),
            Some((header::AUTHORIZATION, format!("Bearer {token}"))),
        ));
        targets.push(Target::new(
            "GET /api/v1/collaborations/{id}/export.zip (500-task collaboration)",
            &format!("/api/v1/collaborations/{PLAN_500}/export.zip"),
            Some((header::AUTHORIZATION, format!("Bearer {token}"))),
        ));
    }
    // The way forward of the demo person's first collaboration in Review
    // (the demo recorded every partner's position and an agreed way
    // forward): the page and the API's read.
    if let Some(token) = &token
        && let Some((review, _)) = review_round_from_api(addr, token).await?
    {
        targets.push(Target::new(
            "GET /collaborations/{id}/forward",
            &format!("/collaborations/{review}/forward"),
            Some((header::COOKIE, session.clone())),
        ));
        targets.push(Target::new(
            "GET /api/v1/collaborations/{id}/forward-strategy",
            &format!("/api/v1/collaborations/{review}/forward-strategy"),
            Some((header::AUTHORIZATION, format!("Bearer {token}"))),
        ));
    }
    // Agreements of 20 sections with 50 versions each: the page and the
    // API read one; saves go to both (one client per section).
    let agreements = match &token {
        Some(token) => {
            let mut made = Vec::new();
            for _ in 0..SAVE_AGREEMENTS {
                made.push(agreement_with_versions(addr, token, collaboration, 50).await?);
            }
            made
        }
        None => Vec::new(),
    };
    if let (Some(token), Some(first)) = (&token, agreements.first()) {
        targets.push(Target::new(
            "GET /agreements/{aid} (20 sections, 50 versions)",
            &format!("/agreements/{}", first.0),
            Some((header::COOKIE, session.clone())),
        ));
        targets.push(Target::new(
            "GET /api/v1/agreements/{aid} (20 sections, 50 versions)",
            &format!("/api/v1/agreements/{}", first.0),
            Some((header::AUTHORIZATION, format!("Bearer {token}"))),
        ));
    }
    targets.retain(|target| args.measures(target.label));
    for target in &targets {
        let (status, _, _) = send_once(addr, target.request(Method::GET)).await?;
        if !status.is_success() {
            return Err(format!(
                "{} answered {status} before the run; expected 2xx.",
                target.label
            ));
        }
    }

    // 4. The runs.
    let duration = Duration::from_secs(args.seconds);
    let mut rows = Vec::new();
    for target in &targets {
        for clients in CONCURRENCY {
            eprintln!(
                "{}: measuring {} with {clients} client(s) for {} s…",
                database.name(),
                target.label,
                args.seconds
            );
            let stats = load(addr, target, clients, duration).await;
            rows.push((target.label, clients, stats));
        }
    }
    if let Some(token) = &token {
        for clients in CONCURRENCY {
            eprintln!(
                "{}: measuring section saves with {clients} client(s) for {} s…",
                database.name(),
                args.seconds
            );
            let stats = load_saves(addr, token, &agreements, clients, duration).await;
            rows.push((SAVE_LABEL, clients, stats));
        }
    }
    if let Some(token) = &token
        && args.measures(REPORT_PDF)
    {
        rows.extend(report_rows(addr, token, duration).await);
    }
    let peak = server.peak_memory();
    if !server.stop() {
        eprintln!("The server did not stop cleanly when asked; it was killed.");
    }
    Ok(Report {
        database: database.name(),
        fill_time,
        peak,
        rows,
        import,
    })
}

/// Generates a register extract of `--charities` main charities, imports
/// it with `commonground import-register` (a process of its own, as an
/// operator runs it), then times a raw insert of as many rows into the
/// same database.
async fn import_register(
    server_binary: &Path,
    args: &Args,
    database: &Database,
    work: &Path,
) -> Result<Option<ImportRun>, String> {
    if args.charities == 0 {
        return Ok(None);
    }
    let folder = work.join("register-extract");
    std::fs::create_dir_all(&folder).map_err(|e| e.to_string())?;
    eprintln!(
        "{}: generating a register extract of {} charities…",
        database.name(),
        args.charities
    );
    let charities = args.charities;
    let generated = folder.clone();
    let facts = tokio::task::spawn_blocking(move || {
        commonground_store::fake_register::write_fake_extract(&generated, charities, true)
    })
    .await
    .map_err(|e| e.to_string())?
    .map_err(|e| format!("Could not write the extract: {e}"))?;
    eprintln!("{}: importing it…", database.name());
    let mut command = Command::new(server_binary);
    command
        .arg("--data-dir")
        .arg(work)
        .arg("import-register")
        .arg(&folder)
        .env("RUST_LOG", "warn")
        .env_remove("DATABASE_URL")
        .stdin(Stdio::null())
        .stderr(Stdio::inherit());
    if let Some(url) = database.server_url() {
        command.env("DATABASE_URL", url);
    }
    let started = Instant::now();
    let output = command
        .output()
        .map_err(|e| format!("Could not run {}: {e}", server_binary.display()))?;
    let took = started.elapsed();
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        return Err(format!("The import failed ({}): {stdout}", output.status));
    }
    eprint!("{stdout}");
    let rows = stdout
        .split("Wrote ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse::<u64>().ok())
        .ok_or_else(|| format!("The import did not say how many rows it wrote: {stdout}"))?;
    // The writing step alone, as the import reports it.
    let writing = stdout
        .split("writing ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse::<f64>().ok())
        .map(Duration::from_secs_f64);
    let expected = facts.rows - facts.main_charities - facts.linked_charities;
    if rows != expected {
        eprintln!("*** The import wrote {rows} rows; the extract has {expected} to write. ***");
    }
    eprintln!(
        "{}: a raw insert of {rows} rows into the same database…",
        database.name()
    );
    let options = match database {
        Database::Sqlite => commonground_store::ConnectOptions::sqlite_in(work),
        Database::Postgres { url, schema } => commonground_store::ConnectOptions {
            url: url.clone(),
            max_connections: 2,
            schema: Some(schema.clone()),
        },
    };
    let store = commonground_store::Store::connect(&options)
        .await
        .map_err(|e| e.to_string())?;
    let raw = commonground_store::register::raw_insert_probe(&store, rows).await;
    let raw = match raw {
        Ok(raw) => raw,
        Err(e) => {
            store.close().await;
            return Err(format!("The raw insert failed: {e}"));
        }
    };
    let _ = std::fs::remove_dir_all(&folder);

    eprintln!(
        "{}: building the directory's search index…",
        database.name()
    );
    let started = Instant::now();
    let directory = commonground_store::directory::Directory::open(&store).await;
    let index_build = started.elapsed();
    store.close().await;
    let directory = directory.map_err(|e| format!("The search index failed: {e}"))?;
    let mut search = Vec::new();
    for clients in CONCURRENCY {
        eprintln!(
            "{}: directory search with {clients} client(s) for {} s…",
            database.name(),
            args.seconds
        );
        let stats = search_load(&directory, clients, args.seconds).await;
        search.push((clients, stats));
    }
    Ok(Some(ImportRun {
        charities: facts.main_charities,
        rows,
        took,
        writing,
        raw,
        index_build,
        index_records: directory.len(),
        search,
    }))
}

/// `clients` clients, each asking for the next query of [`SEARCHES`] as
/// soon as the last one is answered, for `seconds`. The searches run on
/// this program's async worker threads (one per core), as a server's
/// handlers would run them; a client's latency counts from its request
/// to its answer, so it includes waiting for a free worker.
async fn search_load(
    directory: &commonground_store::directory::Directory,
    clients: usize,
    seconds: u64,
) -> Stats {
    use commonground_store::directory::DirectoryQuery;
    let started = Instant::now();
    let deadline = started + Duration::from_secs(seconds);
    let workers: Vec<_> = (0..clients)
        .map(|worker| {
            let directory = directory.clone();
            tokio::spawn(async move {
                let mut stats = Stats::default();
                let mut i = worker;
                while Instant::now() < deadline {
                    let (text, filtered) = SEARCHES[i % SEARCHES.len()];
                    i += 1;
                    let query = DirectoryQuery {
                        text: text.to_string(),
                        who: if filtered { vec![201] } else { Vec::new() },
                        page: 1,
                        per_page: 20,
                        ..DirectoryQuery::default()
                    };
                    let sent = Instant::now();
                    // The request waits its turn for a worker thread.
                    tokio::task::yield_now().await;
                    match directory.search(&query) {
                        Ok(_) => stats
                            .latencies
                            .push(sent.elapsed().as_micros().min(u32::MAX as u128) as u32),
                        Err(_) => stats.errors += 1,
                    }
                }
                stats
            })
        })
        .collect();
    let mut total = Stats::default();
    for w in workers {
        match w.await {
            Ok(stats) => {
                total.latencies.extend(stats.latencies);
                total.errors += stats.errors;
            }
            Err(_) => total.errors += 1,
        }
    }
    total.elapsed = started.elapsed();
    total.latencies.sort_unstable();
    total
}

fn print_report(report: &Report) {
    if let Some(import) = &report.import {
        let per_second = |rows: u64, d: Duration| rows as f64 / d.as_secs_f64().max(1e-9);
        println!();
        println!(
            "**{}**: register import of {} charities (a generated extract of zips, read, checked and written by `commonground import-register`, analysed at the end) beside a raw insert of as many rows into the same database.",
            report.database, import.charities
        );
        println!();
        println!("| Step | Rows | Seconds | Rows/s | vs raw insert |");
        println!("|---|---:|---:|---:|---:|");
        let import_rate = per_second(import.rows, import.took);
        let raw_rate = per_second(import.rows, import.raw);
        println!(
            "| `import-register` (whole command) | {} | {:.2} | {:.0} | {:.2} |",
            import.rows,
            import.took.as_secs_f64(),
            import_rate,
            import_rate / raw_rate
        );
        if let Some(writing) = import.writing {
            let rate = per_second(import.rows, writing);
            println!(
                "| of which writing to the database | {} | {:.2} | {:.0} | {:.2} |",
                import.rows,
                writing.as_secs_f64(),
                rate,
                rate / raw_rate
            );
        }
        println!(
            "| raw insert (4 columns, {}) | {} | {:.2} | {:.0} | 1.00 |",
            if report.database == "SQLite" {
                "prepared INSERT"
            } else {
                "COPY"
            },
            import.rows,
            import.raw.as_secs_f64(),
            raw_rate
        );
        println!();
        println!(
            "Directory search index built from the database in {:.2} s ({} records). Searches in process (no HTTP) on one async worker thread per core, as a server runs them, by closed-loop clients; a mix of {} queries of very common and uncommon words, 20 results a page:",
            import.index_build.as_secs_f64(),
            import.index_records,
            SEARCHES.len()
        );
        println!();
        println!("| Directory search | Clients | Searches/s | p50 ms | p99 ms | Errors |");
        println!("|---|---:|---:|---:|---:|---:|");
        for (clients, stats) in &import.search {
            println!(
                "| `Directory::search` | {clients} | {:.0} | {} | {} | {} |",
                stats.per_second(),
                ms(stats.percentile(50.0)),
                ms(stats.percentile(99.0)),
                stats.errors
            );
        }
    }
    if report.rows.is_empty() {
        return;
    }
    println!();
    println!(
        "**{}**: demo fill took {:.1} s (analysed at the end); server peak memory (VmHWM) {}.",
        report.database,
        report.fill_time.as_secs_f64(),
        match report.peak {
            Some(kib) => format!("{:.1} MiB", kib as f64 / 1024.0),
            None => "not available on this system".into(),
        }
    );
    println!();
    println!("| Endpoint | Clients | Requests/s | p50 ms | p99 ms | vs /healthz | Errors |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    let rows = &report.rows;
    for (label, clients, stats) in rows {
        let healthz = rows
            .iter()
            .find(|(l, c, _)| *l == "GET /healthz" && c == clients)
            .map(|(_, _, s)| s.per_second())
            .unwrap_or(0.0);
        let ratio = if healthz > 0.0 {
            stats.per_second() / healthz
        } else {
            0.0
        };
        println!(
            "| `{label}` | {clients} | {:.0} | {} | {} | {ratio:.2} | {} |",
            stats.per_second(),
            ms(stats.percentile(50.0)),
            ms(stats.percentile(99.0)),
            stats.errors
        );
    }
}

fn ms(micros: Option<u32>) -> String {
    match micros {
        Some(us) => format!("{:.2}", us as f64 / 1000.0),
        None => "–".into(),
    }
}

/// The release server beside this program.
fn server_binary() -> Result<PathBuf, String> {
    let me = std::env::current_exe()
        .map_err(|e| format!("Could not find this program's folder: {e}"))?;
    let folder = me.parent().unwrap_or(Path::new("."));
    let binary = folder.join(format!("commonground{}", std::env::consts::EXE_SUFFIX));
    if !binary.is_file() {
        return Err(format!(
            "There is no commonground program in {}. Build it first: cargo build --release",
            folder.display()
        ));
    }
    if !folder.ends_with("release") {
        eprintln!(
            "*** This is not a release build: the numbers will be much slower. Use cargo run --release. ***"
        );
    }
    Ok(binary)
}

fn nonce() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!("{:x}{:08x}", nanos, std::process::id())
}

/// A folder in the system's temporary folder, removed at the end.
struct WorkDir(PathBuf);

impl WorkDir {
    fn create() -> Result<WorkDir, String> {
        let path = std::env::temp_dir().join(format!("commonground-bench-{}", nonce()));
        std::fs::create_dir_all(&path)
            .map_err(|e| format!("Could not create {}: {e}", path.display()))?;
        Ok(WorkDir(path))
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for WorkDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The running server; stopped when dropped.
struct Server {
    child: Option<Child>,
    addr: SocketAddr,
}

impl Server {
    fn start(
        binary: &Path,
        data_dir: &Path,
        database_url: Option<String>,
    ) -> Result<Server, String> {
        let log = std::fs::File::create(data_dir.join("server.log")).map_err(|e| e.to_string())?;
        let mut command = Command::new(binary);
        command.env_remove("DATABASE_URL");
        if let Some(url) = database_url {
            command.env("DATABASE_URL", url);
        }
        let mut child = command
            .arg("--data-dir")
            .arg(data_dir)
            .args(["--bind", "127.0.0.1:0", "serve"])
            .env("RUST_LOG", "warn")
            .env_remove("COMMONGROUND_PUBLIC_URL")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .map_err(|e| format!("Could not start {}: {e}", binary.display()))?;
        let stdout = child.stdout.take().ok_or("no server output")?;
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                let _ = tx.send(line);
            }
        });
        let mut server = Server {
            child: Some(child),
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match rx.recv_timeout(left) {
                Ok(line) => {
                    if let Some(rest) = line.split("listening on http://").nth(1) {
                        server.addr = rest.trim().parse().map_err(|e| {
                            format!("Could not read the server's address from {line:?}: {e}")
                        })?;
                        break;
                    }
                }
                Err(_) => {
                    let log =
                        std::fs::read_to_string(data_dir.join("server.log")).unwrap_or_default();
                    return Err(format!(
                        "The server did not start within 60 seconds.\n{log}"
                    ));
                }
            }
        }
        // The reader thread keeps reading (and dropping) the server's output
        // so it never blocks on a full pipe.
        Ok(server)
    }

    /// The server's peak resident memory in KiB, from /proc.
    fn peak_memory(&self) -> Option<u64> {
        let pid = self.child.as_ref()?.id();
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
    }

    /// Asks the server to stop (SIGTERM) and waits a while; kills it if it
    /// does not. True when it stopped cleanly by itself.
    fn stop(mut self) -> bool {
        self.shut_down()
    }

    fn shut_down(&mut self) -> bool {
        let Some(mut child) = self.child.take() else {
            return true;
        };
        let asked = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .is_ok_and(|s| s.success());
        if asked {
            let deadline = Instant::now() + Duration::from_secs(40);
            while Instant::now() < deadline {
                match child.try_wait() {
                    Ok(Some(status)) => return status.success(),
                    Ok(None) => std::thread::sleep(Duration::from_millis(50)),
                    Err(_) => break,
                }
            }
        }
        let _ = child.kill();
        let _ = child.wait();
        false
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shut_down();
    }
}

/// One thing to measure.
#[derive(Clone)]
struct Target {
    label: &'static str,
    path: String,
    header: Option<(header::HeaderName, String)>,
}

impl Target {
    fn new(
        label: &'static str,
        path: &str,
        header: Option<(header::HeaderName, String)>,
    ) -> Target {
        Target {
            label,
            path: path.to_string(),
            header,
        }
    }

    fn request(&self, method: Method) -> Request<Full<Bytes>> {
        let mut builder = Request::builder()
            .method(method)
            .uri(&self.path)
            .header(header::HOST, "127.0.0.1");
        if let Some((name, value)) = &self.header {
            builder = builder.header(name, value);
        }
        builder
            .body(Full::new(Bytes::new()))
            .expect("a request built from fixed parts is valid")
    }
}

async fn connect(addr: SocketAddr) -> Result<SendRequest<Full<Bytes>>, String> {
    let stream = TcpStream::connect(addr)
        .await
        .map_err(|e| format!("connect: {e}"))?;
    let _ = stream.set_nodelay(true);
    let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| format!("handshake: {e}"))?;
    tokio::spawn(async move {
        let _ = connection.await;
    });
    Ok(sender)
}

type Answer = (StatusCode, hyper::HeaderMap, Bytes);

async fn send(
    sender: &mut SendRequest<Full<Bytes>>,
    request: Request<Full<Bytes>>,
) -> Result<Answer, String> {
    let exchange = async {
        sender.ready().await.map_err(|e| e.to_string())?;
        let response = sender
            .send_request(request)
            .await
            .map_err(|e| e.to_string())?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response
            .into_body()
            .collect()
            .await
            .map_err(|e| e.to_string())?
            .to_bytes();
        Ok((status, headers, body))
    };
    tokio::time::timeout(REQUEST_TIMEOUT, exchange)
        .await
        .map_err(|_| "timed out".to_string())?
}

/// One request on its own connection, for setting up.
async fn send_once(addr: SocketAddr, request: Request<Full<Bytes>>) -> Result<Answer, String> {
    let mut sender = connect(addr).await?;
    send(&mut sender, request).await
}

fn set_cookie(headers: &hyper::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, v)| k.trim() == name && !v.is_empty())
        .map(|(_, v)| v.trim().to_string())
}

fn form_encode(value: &str) -> String {
    let mut out = String::new();
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Signs in through the form, as a browser does; returns the session cookie.
async fn sign_in(addr: SocketAddr, password: &str) -> Result<String, String> {
    let form = Request::builder()
        .uri("/sign-in")
        .header(header::HOST, "127.0.0.1")
        .body(Full::new(Bytes::new()))
        .map_err(|e| e.to_string())?;
    let (status, headers, body) = send_once(addr, form).await?;
    if status != StatusCode::OK {
        return Err(format!("GET /sign-in answered {status}"));
    }
    let page = String::from_utf8_lossy(&body);
    let csrf = page
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .ok_or("the sign-in page has no security token")?
        .to_string();
    let csrf_cookie = set_cookie(&headers, "cg_csrf").unwrap_or_else(|| csrf.clone());
    let fields = format!(
        "csrf={}&next=%2F&email={}&password={}",
        form_encode(&csrf),
        form_encode(DEMO_EMAIL),
        form_encode(password)
    );
    let post = Request::builder()
        .method(Method::POST)
        .uri("/sign-in")
        .header(header::HOST, "127.0.0.1")
        .header(header::COOKIE, format!("cg_csrf={csrf_cookie}"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Full::new(Bytes::from(fields)))
        .map_err(|e| e.to_string())?;
    let (status, headers, _) = send_once(addr, post).await?;
    set_cookie(&headers, "cg_session").ok_or_else(|| {
        format!("signing in as {DEMO_EMAIL} did not work (the server answered {status})")
    })
}

async fn api_token(addr: SocketAddr, password: &str) -> Result<String, String> {
    let body =
        serde_json::json!({ "email": DEMO_EMAIL, "password": password, "label": "benchmark" });
    let request = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/tokens")
        .header(header::HOST, "127.0.0.1")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Full::new(Bytes::from(body.to_string())))
        .map_err(|e| e.to_string())?;
    let (status, _, body) = send_once(addr, request).await?;
    if status != StatusCode::CREATED {
        return Err(format!("POST /api/v1/tokens answered {status}"));
    }
    let json: serde_json::Value = serde_json::from_slice(&body)
        .map_err(|e| format!("POST /api/v1/tokens gave unreadable JSON: {e}"))?;
    json["token"]
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| "POST /api/v1/tokens gave no token".to_string())
}

async fn collaboration_from_api(addr: SocketAddr, token: &str) -> Result<i64, String> {
    let target = Target::new(
        "GET /api/v1/collaborations",
        "/api/v1/collaborations",
        Some((header::AUTHORIZATION, format!("Bearer {token}"))),
    );
    let (status, _, body) = send_once(addr, target.request(Method::GET)).await?;
    if !status.is_success() {
        return Err(format!("GET /api/v1/collaborations answered {status}"));
    }
    let json: serde_json::Value = serde_json::from_slice(&body).map_err(|e| e.to_string())?;
    json["items"][0]["id"]
        .as_i64()
        .ok_or_else(|| "the demo person sees no collaboration through the API".to_string())
}

/// The first of the demo person's collaborations in Review, and its
/// newest health check round; None when none of the first page is.
async fn review_round_from_api(
    addr: SocketAddr,
    token: &str,
) -> Result<Option<(i64, i64)>, String> {
    let auth = Some((header::AUTHORIZATION, format!("Bearer {token}")));
    let list = Target::new(
        "GET /api/v1/collaborations",
        "/api/v1/collaborations?per_page=100",
        auth,
    );
    let (_, _, body) = send_once(addr, list.request(Method::GET)).await?;
    let json: serde_json::Value = serde_json::from_slice(&body).map_err(|e| e.to_string())?;
    let Some(id) = json["items"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|c| c["stage"] == "review")
        .and_then(|c| c["id"].as_i64())
    else {
        return Ok(None);
    };
    Ok(newest_round_of(addr, token, id).await?.map(|r| (id, r)))
}

/// The newest health check round of a collaboration, if it has one.
async fn newest_round_of(addr: SocketAddr, token: &str, id: i64) -> Result<Option<i64>, String> {
    let rounds = Target::new(
        "GET /api/v1/collaborations/{id}/health-checks",
        &format!("/api/v1/collaborations/{id}/health-checks"),
        Some((header::AUTHORIZATION, format!("Bearer {token}"))),
    );
    let (_, _, body) = send_once(addr, rounds.request(Method::GET)).await?;
    let json: serde_json::Value = serde_json::from_slice(&body).map_err(|e| e.to_string())?;
    Ok(json[0]["id"].as_i64())
}

/// The first recurring task of the 500-task plan, if the demo made one.
async fn series_from_api(addr: SocketAddr, token: &str) -> Result<Option<i64>, String> {
    let list = Target::new(
        "GET /api/v1/collaborations/{id}/recurring-tasks",
        &format!("/api/v1/collaborations/{PLAN_500}/recurring-tasks"),
        Some((header::AUTHORIZATION, format!("Bearer {token}"))),
    );
    let (_, _, body) = send_once(addr, list.request(Method::GET)).await?;
    let json: serde_json::Value = serde_json::from_slice(&body).map_err(|e| e.to_string())?;
    Ok(json["series"][0]["id"].as_i64())
}

/// Makes the demo person a calendar address for every task of the 500-task
/// plan and returns its path on the server.
async fn calendar_feed_path(addr: SocketAddr, token: &str) -> Result<String, String> {
    feed_path_from(
        addr,
        token,
        &format!("/api/v1/collaborations/{PLAN_500}/calendar?view=all"),
    )
    .await
}

/// The secret address made by a POST to `path` (a calendar feed's).
async fn feed_path_from(addr: SocketAddr, token: &str, path: &str) -> Result<String, String> {
    let request = json_request(Method::POST, path, token, &serde_json::json!({}));
    let (status, _, body) = send_once(addr, request).await?;
    if status != StatusCode::CREATED {
        return Err(format!("POST {path} answered {status}"));
    }
    let json: serde_json::Value = serde_json::from_slice(&body).map_err(|e| e.to_string())?;
    let url = json["url"]
        .as_str()
        .ok_or_else(|| format!("POST {path} gave no address"))?;
    url.find("/calendar-feeds/")
        .map(|at| url[at..].to_string())
        .ok_or_else(|| format!("the calendar address {url} is not a feed"))
}

/// Without the API: the first collaboration linked from the home page.
async fn collaboration_from_home(addr: SocketAddr, cookie: &str) -> Result<i64, String> {
    let target = Target::new(
        "GET /",
        "/",
        Some((header::COOKIE, format!("cg_session={cookie}"))),
    );
    let (_, _, body) = send_once(addr, target.request(Method::GET)).await?;
    let page = String::from_utf8_lossy(&body);
    page.split("href=\"/collaborations/")
        .skip(1)
        .find_map(|rest| rest.split('"').next()?.parse().ok())
        .ok_or_else(|| "the demo person's home page links to no collaboration".to_string())
}

/// A JSON request with the bearer token.
fn json_request(
    method: Method,
    path: &str,
    token: &str,
    body: &serde_json::Value,
) -> Request<Full<Bytes>> {
    Request::builder()
        .method(method)
        .uri(path)
        .header(header::HOST, "127.0.0.1")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Full::new(Bytes::from(body.to_string())))
        .expect("a request built from fixed parts is valid")
}

/// Starts a collaboration agreement and saves sections until it has
/// `versions` versions. Returns its id, its section keys and its version.
async fn agreement_with_versions(
    addr: SocketAddr,
    token: &str,
    collaboration: i64,
    versions: i64,
) -> Result<(i64, Vec<String>, i64), String> {
    let (status, _, body) = send_once(
        addr,
        json_request(
            Method::POST,
            &format!("/api/v1/collaborations/{collaboration}/agreements"),
            token,
            &serde_json::json!({"kind": "collaboration_agreement"}),
        ),
    )
    .await?;
    if status != StatusCode::CREATED {
        return Err(format!("starting an agreement answered {status}"));
    }
    let json: serde_json::Value = serde_json::from_slice(&body).map_err(|e| e.to_string())?;
    let aid = json["id"].as_i64().ok_or("no agreement id")?;
    let target = Target::new(
        "GET /api/v1/agreements/{aid}",
        &format!("/api/v1/agreements/{aid}"),
        Some((header::AUTHORIZATION, format!("Bearer {token}"))),
    );
    let (_, _, body) = send_once(addr, target.request(Method::GET)).await?;
    let json: serde_json::Value = serde_json::from_slice(&body).map_err(|e| e.to_string())?;
    let keys: Vec<String> = json["sections"]
        .as_array()
        .ok_or("no sections")?
        .iter()
        .filter_map(|s| s["key"].as_str().map(str::to_string))
        .collect();
    let mut version = 1;
    while version < versions {
        let key = &keys[(version as usize) % keys.len()];
        let (status, _, body) = send_once(
            addr,
            json_request(
                Method::PUT,
                &format!("/api/v1/agreements/{aid}/sections/{key}"),
                token,
                &serde_json::json!({"text": format!("Version {} of {key}.", version + 1), "base_version": version}),
            ),
        )
        .await?;
        if status != StatusCode::OK {
            return Err(format!("saving a section answered {status}"));
        }
        let json: serde_json::Value = serde_json::from_slice(&body).map_err(|e| e.to_string())?;
        version = json["version"].as_i64().ok_or("no version")?;
    }
    Ok((aid, keys, version))
}

/// `clients` connections saving sections as fast as they are answered:
/// client i writes section i of the agreements in turn, each save based on
/// the version its last save made, so none is stale.
async fn load_saves(
    addr: SocketAddr,
    token: &str,
    agreements: &[(i64, Vec<String>, i64)],
    clients: usize,
    duration: Duration,
) -> Stats {
    let started = Instant::now();
    let deadline = started + duration;
    let slots: Vec<(i64, String)> = agreements
        .iter()
        .flat_map(|(aid, keys, _)| keys.iter().map(move |k| (*aid, k.clone())))
        .collect();
    // Every save raises the version, so start from a fresh reading.
    let mut current = std::collections::HashMap::new();
    for (aid, _, _) in agreements {
        let target = Target::new(
            "GET /api/v1/agreements/{aid}",
            &format!("/api/v1/agreements/{aid}"),
            Some((header::AUTHORIZATION, format!("Bearer {token}"))),
        );
        if let Ok((_, _, body)) = send_once(addr, target.request(Method::GET)).await
            && let Ok(json) = serde_json::from_slice::<serde_json::Value>(&body)
        {
            current.insert(*aid, json["version"].as_i64().unwrap_or(1));
        }
    }
    let workers: Vec<_> = (0..clients)
        .map(|i| {
            let token = token.to_string();
            let (aid, key) = slots[i % slots.len().max(1)].clone();
            let mut base = current.get(&aid).copied().unwrap_or(1);
            tokio::spawn(async move {
                let mut stats = Stats::default();
                let mut connection: Option<SendRequest<Full<Bytes>>> = None;
                let mut n = 0u64;
                while Instant::now() < deadline {
                    if connection.is_none() {
                        match connect(addr).await {
                            Ok(sender) => connection = Some(sender),
                            Err(_) => {
                                stats.errors += 1;
                                tokio::time::sleep(Duration::from_millis(10)).await;
                                continue;
                            }
                        }
                    }
                    let Some(sender) = connection.as_mut() else {
                        continue;
                    };
                    n += 1;
                    let request = json_request(
                        Method::PUT,
                        &format!("/api/v1/agreements/{aid}/sections/{key}"),
                        &token,
                        &serde_json::json!({"text": format!("Save {n} by client {i}."), "base_version": base}),
                    );
                    let sent = Instant::now();
                    match send(sender, request).await {
                        Ok((status, _, body)) if status.is_success() => {
                            let micros = sent.elapsed().as_micros().min(u32::MAX as u128) as u32;
                            stats.latencies.push(micros);
                            if let Ok(json) = serde_json::from_slice::<serde_json::Value>(&body) {
                                base = json["version"].as_i64().unwrap_or(base);
                            }
                        }
                        Ok(_) => stats.errors += 1,
                        Err(_) => {
                            stats.errors += 1;
                            connection = None;
                        }
                    }
                }
                stats
            })
        })
        .collect();
    let mut total = Stats::default();
    for worker in workers {
        if let Ok(stats) = worker.await {
            total.latencies.extend(stats.latencies);
            total.errors += stats.errors;
        } else {
            total.errors += 1;
        }
    }
    total.elapsed = started.elapsed();
    total.latencies.sort_unstable();
    total
}

/// What one run measured.
#[derive(Default)]
struct Stats {
    /// Latencies of successful requests, in microseconds.
    latencies: Vec<u32>,
    errors: u64,
    elapsed: Duration,
}

impl Stats {
    fn per_second(&self) -> f64 {
        let secs = self.elapsed.as_secs_f64();
        if secs > 0.0 {
            self.latencies.len() as f64 / secs
        } else {
            0.0
        }
    }

    /// Nearest-rank percentile of the (sorted) latencies.
    fn percentile(&self, p: f64) -> Option<u32> {
        if self.latencies.is_empty() {
            return None;
        }
        let rank = ((p / 100.0) * self.latencies.len() as f64).ceil() as usize;
        Some(self.latencies[rank.clamp(1, self.latencies.len()) - 1])
    }
}

/// `clients` connections, each sending its next request as soon as the
/// last one is answered, until `duration` has passed.
async fn load(addr: SocketAddr, target: &Target, clients: usize, duration: Duration) -> Stats {
    let started = Instant::now();
    let deadline = started + duration;
    let workers: Vec<_> = (0..clients)
        .map(|_| {
            let target = target.clone();
            tokio::spawn(async move {
                let mut stats = Stats::default();
                let mut connection: Option<SendRequest<Full<Bytes>>> = None;
                while Instant::now() < deadline {
                    if connection.is_none() {
                        match connect(addr).await {
                            Ok(sender) => connection = Some(sender),
                            Err(_) => {
                                stats.errors += 1;
                                tokio::time::sleep(Duration::from_millis(10)).await;
                                continue;
                            }
                        }
                    }
                    let Some(sender) = connection.as_mut() else {
                        continue;
                    };
                    let sent = Instant::now();
                    match send(sender, target.request(Method::GET)).await {
                        Ok((status, _, _)) if status.is_success() => {
                            let micros = sent.elapsed().as_micros().min(u32::MAX as u128) as u32;
                            stats.latencies.push(micros);
                        }
                        Ok(_) => stats.errors += 1,
                        Err(_) => {
                            stats.errors += 1;
                            connection = None;
                        }
                    }
                }
                stats
            })
        })
        .collect();
    let mut total = Stats::default();
    for worker in workers {
        if let Ok(stats) = worker.await {
            total.latencies.extend(stats.latencies);
            total.errors += stats.errors;
        } else {
            total.errors += 1;
        }
    }
    total.elapsed = started.elapsed();
    total.latencies.sort_unstable();
    total
}

// --- The whole-story report -----------------------------------------------

const REPORT_PDF: &str = "GET /api/v1/collaborations/{id}/report.pdf (500 tasks), kept: total";
const REPORT_PDF_TTFB: &str =
    "GET /api/v1/collaborations/{id}/report.pdf (500 tasks), kept: time to first byte";
const REPORT_PDF_FRESH: &str =
    "GET /api/v1/collaborations/{id}/report.pdf (500 tasks), made afresh: total";
const REPORT_PDF_FRESH_TTFB: &str =
    "GET /api/v1/collaborations/{id}/report.pdf (500 tasks), made afresh: time to first byte";
const HEALTHZ_DURING_REPORTS: &str = "GET /healthz while 8 clients have report PDFs made afresh";
const REPORT_CLIENTS: [usize; 2] = [1, 8];

/// The PDF report of the 500-task collaboration at 1 and 8 clients, time
/// to first byte and total: as each server keeps it (the collaboration
/// unchanged) and made afresh (each request after a change, a lesson
/// recorded, which moves the content revision on; the change is not
/// timed). Then `/healthz` at 8 clients (for the ratio) and at 1 client
/// while 8 others have reports made afresh, to show a report does not
/// stall the server for everyone else.
async fn report_rows(
    addr: SocketAddr,
    token: &str,
    duration: Duration,
) -> Vec<(&'static str, usize, Stats)> {
    let target = Target::new(
        REPORT_PDF,
        &format!("/api/v1/collaborations/{PLAN_500}/report.pdf"),
        Some((header::AUTHORIZATION, format!("Bearer {token}"))),
    );
    let mut rows = Vec::new();
    for clients in REPORT_CLIENTS {
        eprintln!("measuring the kept PDF report with {clients} client(s)…");
        let (total, ttfb) = load_timed(addr, &target, clients, duration, None).await;
        rows.push((REPORT_PDF, clients, total));
        rows.push((REPORT_PDF_TTFB, clients, ttfb));
    }
    for clients in REPORT_CLIENTS {
        eprintln!("measuring the PDF report made afresh with {clients} client(s)…");
        let (total, ttfb) = load_timed(addr, &target, clients, duration, Some(token)).await;
        rows.push((REPORT_PDF_FRESH, clients, total));
        rows.push((REPORT_PDF_FRESH_TTFB, clients, ttfb));
    }
    let healthz = Target::new("GET /healthz", "/healthz", None);
    eprintln!("measuring /healthz with 8 clients…");
    rows.push(("GET /healthz", 8, load(addr, &healthz, 8, duration).await));
    eprintln!("measuring /healthz while 8 clients have reports made…");
    let makers = {
        let target = target.clone();
        let token = token.to_string();
        tokio::spawn(async move { load_timed(addr, &target, 8, duration, Some(&token)).await })
    };
    rows.push((
        HEALTHZ_DURING_REPORTS,
        1,
        load(addr, &healthz, 1, duration).await,
    ));
    let _ = makers.await;
    rows
}

/// Like [`load`], timing both the response's head (time to first byte)
/// and its whole body. With `change_with`, each client records a lesson
/// (not timed) before each request, so the report is made afresh.
async fn load_timed(
    addr: SocketAddr,
    target: &Target,
    clients: usize,
    duration: Duration,
    change_with: Option<&str>,
) -> (Stats, Stats) {
    let started = Instant::now();
    let deadline = started + duration;
    let change = change_with.map(|token| {
        (
            format!("/api/v1/collaborations/{PLAN_500}/lessons"),
            token.to_string(),
        )
    });
    let workers: Vec<_> = (0..clients)
        .map(|_| {
            let target = target.clone();
            let change = change.clone();
            tokio::spawn(async move {
                let (mut total, mut ttfb) = (Stats::default(), Stats::default());
                while Instant::now() < deadline {
                    let Ok(mut sender) = connect(addr).await else {
                        total.errors += 1;
                        tokio::time::sleep(Duration::from_millis(10)).await;
                        continue;
                    };
                    if let Some((path, token)) = &change {
                        let body = serde_json::json!({"stage": "implement", "kind": "worked", "text": "Bench: a change before the report."});
                        match send(&mut sender, json_request(Method::POST, path, token, &body)).await {
                            Ok((status, _, _)) if status.is_success() => {}
                            _ => {
                                total.errors += 1;
                                continue;
                            }
                        }
                    }
                    let sent = Instant::now();
                    let micros = |d: Duration| d.as_micros().min(u32::MAX as u128) as u32;
                    let head = async {
                        sender.ready().await.map_err(|e| e.to_string())?;
                        sender
                            .send_request(target.request(Method::GET))
                            .await
                            .map_err(|e| e.to_string())
                    };
                    let Ok(Ok(response)) = tokio::time::timeout(REQUEST_TIMEOUT, head).await else {
                        total.errors += 1;
                        continue;
                    };
                    let first = sent.elapsed();
                    let ok = response.status().is_success();
                    let body = tokio::time::timeout(REQUEST_TIMEOUT, response.into_body().collect()).await;
                    match body {
                        Ok(Ok(_)) if ok => {
                            ttfb.latencies.push(micros(first));
                            total.latencies.push(micros(sent.elapsed()));
                        }
                        _ => total.errors += 1,
                    }
                }
                (total, ttfb)
            })
        })
        .collect();
    let (mut total, mut ttfb) = (Stats::default(), Stats::default());
    for worker in workers {
        if let Ok((t, f)) = worker.await {
            total.latencies.extend(t.latencies);
            total.errors += t.errors;
            ttfb.latencies.extend(f.latencies);
        } else {
            total.errors += 1;
        }
    }
    for s in [&mut total, &mut ttfb] {
        s.elapsed = started.elapsed();
        s.latencies.sort_unstable();
    }
    (total, ttfb)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_use_the_nearest_rank() {
        let stats = Stats {
            latencies: (1..=100).collect(),
            errors: 0,
            elapsed: Duration::from_secs(2),
        };
        assert_eq!(stats.percentile(50.0), Some(50));
        assert_eq!(stats.percentile(99.0), Some(99));
        assert_eq!(stats.per_second(), 50.0);
        assert_eq!(Stats::default().percentile(50.0), None);
    }

    #[test]
    fn form_values_are_encoded() {
        assert_eq!(form_encode("demo@example.org"), "demo%40example.org");
        assert_eq!(form_encode("a b&c"), "a%20b%26c");
    }

    #[test]
    fn cookies_are_read_from_set_cookie() {
        let mut headers = hyper::HeaderMap::new();
        headers.append(
            header::SET_COOKIE,
            "cg_csrf=abc; Path=/; HttpOnly".parse().unwrap(),
        );
        headers.append(
            header::SET_COOKIE,
            "cg_session=xyz; Path=/".parse().unwrap(),
        );
        assert_eq!(set_cookie(&headers, "cg_session").as_deref(), Some("xyz"));
        assert_eq!(set_cookie(&headers, "cg_other"), None);
    }
}
