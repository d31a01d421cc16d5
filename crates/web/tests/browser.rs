//! Real pages in headless Chromium, on a loopback port only.
//!
//! The first test is one walk: three people sign up, two organisations work
//! together on a collaboration through an invitation, and a stranger cannot
//! see it; then, in the same browser, a review as its people live it: three
//! people of each of two partners answer a health check, the lead closes it
//! and sees the gap, the way forward is voted through and the next cycle
//! started. The second crawls every page a person can open, for whoever may
//! see it, with each main form also sent back empty, the error pages, and a
//! phone-sized window for some. Every page visited gets the same basic
//! checks and axe-core's WCAG 2.2 AA and best-practice rules: moderate,
//! serious or critical findings fail; minor ones are printed.
//!
//! Needs `chromium` and `chromedriver` (Debian: chromium, chromium-driver).
//! Without them the test says so loudly and passes, except under CI, where
//! it fails. axe-core is read from `AXE_CORE_JS`, or else from
//! `target/axe-core/node_modules/axe-core/axe.min.js`, which
//! `npm install --no-save --prefix target/axe-core axe-core@4.14.1` creates.

use commonground_domain::organisations::ProfileInput;
use commonground_web::auth::Actor;
use commonground_web::{AppState, Config, actions, router};
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use fantoccini::wd::TimeoutConfiguration;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The longest any single wait may take.
const WAIT: Duration = Duration::from_secs(10);
/// The longest the whole walk may take: a guard against a walk that
/// hangs, not a measure of speed. On a slow night of this 2-core machine
/// (half its time taken by other guests) the crawl alone took over 240 s
/// where it usually takes 120 s, so the guard leaves room for that.
const WHOLE: Duration = Duration::from_secs(600);
const CHROMIUM: &str = "/usr/bin/chromium";
const DESKTOP_WIDTH: u32 = 1280;
const DESKTOP_HEIGHT: u32 = 1000;
const PHONE_WIDTH: u32 = 375;
const PHONE_HEIGHT: u32 = 800;
const PASSWORD: &str = "plum orchard lantern river";

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false")
}

fn find_on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// Skips loudly on a developer machine, fails under CI.
fn missing(what: &str) {
    let message = format!("SKIPPED browser test: install chromium and chromium-driver ({what})");
    if in_ci() {
        panic!("{message}; CI must run this test");
    }
    eprintln!(
        "\n{}\n{message}\n{}\n",
        "=".repeat(message.len()),
        "=".repeat(message.len())
    );
}

fn axe_source() -> Option<Arc<String>> {
    let path = std::env::var_os("AXE_CORE_JS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../target/axe-core/node_modules/axe-core/axe.min.js")
        });
    match std::fs::read_to_string(&path) {
        Ok(src) => Some(Arc::new(src)),
        Err(e) => {
            let message = format!(
                "SKIPPED axe-core checks: cannot read {} ({e}). From the workspace root run: npm install --no-save --prefix target/axe-core axe-core@4.14.1",
                path.display()
            );
            if in_ci() {
                panic!("axe-core is missing under CI: {message}");
            }
            eprintln!("\n{message}\n");
            None
        }
    }
}

/// chromedriver in its own process group; on drop the whole group (the
/// driver and any browser it started) is stopped.
struct Driver {
    child: Child,
    port: u16,
}

impl Driver {
    async fn start(program: &Path) -> Driver {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free loopback port")
            .port();
        let child = Command::new(program)
            .arg(format!("--port={port}"))
            .arg("--allowed-ips=127.0.0.1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .expect("start chromedriver");
        let mut driver = Driver { child, port };
        let deadline = Instant::now() + WAIT;
        loop {
            if tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .is_ok()
            {
                return driver;
            }
            if let Ok(Some(status)) = driver.child.try_wait() {
                panic!("chromedriver stopped at start: {status}");
            }
            assert!(
                Instant::now() < deadline,
                "chromedriver did not listen on port {port} within {WAIT:?}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        if let Ok(pid) = i32::try_from(self.child.id()) {
            // SAFETY: kill(2) with a negative id signals only the process
            // group created for this chromedriver above.
            unsafe {
                libc::kill(-pid, libc::SIGKILL);
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The app on a real loopback port, on a fresh database.
async fn start_app(dir: &Path) -> (String, AppState) {
    let store = commonground_store::testing::fresh_store(dir)
        .await
        .expect("fresh database");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let addr = listener.local_addr().expect("local address");
    let mut config = Config::for_data_dir(dir);
    config.public_url = format!("http://{addr}");
    let state = AppState::new(store, config).expect("state");
    let app = router(state.clone()).into_make_service_with_connect_info::<SocketAddr>();
    tokio::spawn(async move {
        axum::serve(listener, app).await.expect("serve");
    });
    (format!("http://{addr}"), state)
}

async fn launch_browser(driver: &Driver, profile: &Path) -> Client {
    let caps = json!({
        "goog:chromeOptions": {
            "binary": CHROMIUM,
            "args": [
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
                format!("--window-size={DESKTOP_WIDTH},{DESKTOP_HEIGHT}"),
                format!("--user-data-dir={}", profile.display()),
            ],
        },
    });
    let Value::Object(caps) = caps else {
        unreachable!("built as an object")
    };
    // The first start of Chromium on a fresh machine can be slow enough
    // that the driver drops the connection; try three times before failing.
    let mut attempts = 0;
    let client = loop {
        attempts += 1;
        let started = tokio::time::timeout(
            WAIT * 3,
            ClientBuilder::new(HttpConnector::new())
                .capabilities(caps.clone())
                .connect(&driver.url()),
        )
        .await;
        match started {
            Ok(Ok(client)) => break client,
            Ok(Err(e)) if attempts < 3 => {
                eprintln!("Chromium session did not start ({e}); trying again");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
            Ok(Err(e)) => panic!("start a Chromium session: {e:?}"),
            Err(_) => panic!("Chromium did not start in time"),
        }
    };
    client
        .update_timeouts(TimeoutConfiguration::new(
            Some(WAIT),
            Some(WAIT),
            Some(Duration::ZERO),
        ))
        .await
        .expect("set timeouts");
    client
}

/// What a walk gets besides the browser: the running app's state, to put
/// fixtures straight into the database, and its data folder, where the
/// outbox of emails lives.
struct App {
    state: AppState,
    data_dir: PathBuf,
}

/// Starts the app, chromedriver and Chromium, runs `body` within
/// [`WHOLE`], then quits the browser and the driver whatever happened.
/// Without Chromium it skips loudly, or fails under CI.
async fn in_browser<F, Fut>(body: F)
where
    F: FnOnce(Arc<Browser>, App) -> Fut,
    Fut: Future<Output = Step> + Send + 'static,
{
    if !Path::new(CHROMIUM).is_file() {
        return missing("no /usr/bin/chromium");
    }
    let Some(chromedriver) = find_on_path("chromedriver") else {
        return missing("no chromedriver on PATH");
    };
    let axe = axe_source();

    let data = tempfile::tempdir().expect("temp dir");
    let profile = tempfile::tempdir().expect("temp dir");
    let (base, state) = start_app(data.path()).await;
    let driver = Driver::start(&chromedriver).await;
    let client = launch_browser(&driver, profile.path()).await;

    let browser = Arc::new(Browser {
        client: client.clone(),
        base,
        axe,
    });
    let app = App {
        state,
        data_dir: data.path().to_path_buf(),
    };
    let run = body(browser.clone(), app);
    let mut task = tokio::spawn(async move {
        match run.await {
            Ok(()) => Ok(()),
            Err(e) => Err(format!(
                "{e}\n--- at {}\n{}",
                browser.where_am_i().await,
                browser.page_text().await
            )),
        }
    });
    let outcome = tokio::time::timeout(WHOLE, &mut task).await;
    if outcome.is_err() {
        task.abort();
    }
    // Quit the browser whatever happened, then the driver.
    let _ = tokio::time::timeout(WAIT, client.close()).await;
    drop(driver);
    match outcome {
        Err(_) => panic!("the browser walk did not finish within {WHOLE:?}"),
        Ok(Err(join)) if join.is_panic() => std::panic::resume_unwind(join.into_panic()),
        Ok(Err(join)) => panic!("the browser walk stopped: {join}"),
        Ok(Ok(Err(message))) => panic!("{message}"),
        Ok(Ok(Ok(()))) => {}
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_people_one_collaboration_in_a_real_browser() {
    in_browser(|b, app| async move {
        walk(&b).await?;
        // Then the Review stage as its people live it, in the same browser
        // (one test, so only two browsers ever run at once).
        b.new_session().await?;
        let c = review_world(&app).await?;
        review_walk(&b, c).await
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_passes_the_accessibility_checks() {
    in_browser(|b, app| async move {
        let world = build_world(&app).await?;
        crawl(&b, &world).await
    })
    .await;
}

type Step<T = ()> = Result<T, String>;

struct Person {
    name: &'static str,
    email: &'static str,
}

/// The proposal the lead puts to a vote and the partner votes on.
const PROPOSAL: &str = "Share one delivery van";

const ANN: Person = Person {
    name: "Ann Lead",
    email: "ann@riverside.example",
};
const BEA: Person = Person {
    name: "Bea Partner",
    email: "bea@hillside.example",
};
const CAL: Person = Person {
    name: "Cal Stranger",
    email: "cal@lakeside.example",
};
const TITLE: &str = "Shared food hub";
const PURPOSE: &str = "Bring surplus food to families across the valley every week.";

async fn walk(b: &Browser) -> Step {
    // Person 1: signs up, adds an organisation, opens a collaboration.
    b.goto("/").await?;
    b.expect_h1("Work together, well").await?;
    b.check_page().await?;
    sign_up(b, &ANN).await?;
    add_organisation(b, "Riverside Food Bank").await?;
    b.follow("Open a collaboration").await?;
    b.expect_h1("Open a collaboration").await?;
    b.check_page().await?;
    b.choose_option("Lead organisation", "Riverside Food Bank")
        .await?;
    b.type_into("Title", TITLE).await?;
    b.type_into("Purpose", PURPOSE).await?;
    b.press("Open collaboration").await?;
    b.expect_h1(TITLE).await?;
    b.expect_text("Your collaboration is open").await?;
    b.check_page().await?;
    let collaboration_path = b
        .client
        .current_url()
        .await
        .map_err(|e| format!("current url: {e}"))?
        .path()
        .to_string();
    if !collaboration_path.starts_with("/collaborations/") {
        return Err(format!(
            "opening a collaboration led to {collaboration_path}"
        ));
    }

    // Person 2, in a fresh browser session: signs up, adds an organisation.
    b.new_session().await?;
    sign_up(b, &BEA).await?;
    add_organisation(b, "Hillside Youth Trust").await?;

    // Person 1 signs in again and invites the second organisation.
    b.new_session().await?;
    sign_in(b, &ANN).await?;
    b.follow(TITLE).await?;
    b.expect_h1(TITLE).await?;
    b.follow("Invite an organisation").await?;
    b.expect_h1("Invite an organisation").await?;
    b.check_page().await?;
    b.type_into("Find the organisation", "Hillside").await?;
    b.press("Find").await?;
    b.expect_text("Which organisation?").await?;
    b.check_page().await?;
    b.choose("Hillside Youth Trust").await?;
    b.choose("Partner").await?;
    b.type_into(
        "Message (optional)",
        "We would love your youth workers on board.",
    )
    .await?;
    b.press("Send invitation").await?;
    b.expect_text("The invitation has been sent").await?;
    b.expect_h1(TITLE).await?;
    b.check_page().await?;
    let sent = b.table_text("Invitations sent").await?;
    if !(sent.contains("Hillside Youth Trust") && sent.contains("Waiting for a reply")) {
        return Err(format!("the invitation is not listed as waiting: {sent}"));
    }

    // Person 2 sees the invitation at home, opens it and accepts.
    b.new_session().await?;
    sign_in(b, &BEA).await?;
    b.expect_text("Waiting for you").await?;
    b.follow_containing("invites Hillside Youth Trust").await?;
    b.expect_h1(TITLE).await?;
    b.expect_text("Riverside Food Bank invites Hillside Youth Trust to join as partner.")
        .await?;
    b.check_page().await?;
    b.press("Accept").await?;
    b.expect_text("Your organisation has joined this collaboration.")
        .await?;
    b.expect_h1(TITLE).await?;
    b.check_page().await?;
    let partners = b.table_text("Organisations taking part").await?;
    for org in ["Riverside Food Bank", "Hillside Youth Trust"] {
        if !partners.contains(org) {
            return Err(format!("{org} is not listed as taking part: {partners}"));
        }
    }

    // Person 2 takes the readiness check from the Identify stage, and sees
    // their own answers charted.
    b.follow("Identify").await?;
    b.expect_h1("Stage 1: Identify").await?;
    b.expect_text("0% complete").await?;
    b.check_page().await?;
    b.follow("Readiness check taken by every organisation")
        .await?;
    b.expect_h1("Should we collaborate? The readiness check")
        .await?;
    b.check_page().await?;
    b.follow("Answer the readiness check").await?;
    b.expect_h1("Your answers to the readiness check").await?;
    b.check_page().await?;
    for (statement, answer) in [(1, "4"), (2, "2"), (3, "5"), (4, "dk")] {
        b.client
            .find(Locator::Css(&format!("#s{statement}-{answer}")))
            .await
            .map_err(|e| format!("answer {statement}: {e}"))?
            .click()
            .await
            .map_err(|e| format!("choose answer {statement}: {e}"))?;
    }
    b.press("Save my answers").await?;
    b.expect_text("Your answers have been saved.").await?;
    b.expect_text("The combined results appear once at least 3 people have answered")
        .await?;
    b.wait_for(
        "//main//*[local-name()='svg' and @role='img']",
        "the chart of my answers",
    )
    .await?;
    b.expect_text("Your own answers by group").await?;
    b.check_page().await?;

    // Person 3, unrelated, cannot see the collaboration at all.
    b.new_session().await?;
    sign_up(b, &CAL).await?;
    add_organisation(b, "Lakeside Allotment Society").await?;
    b.goto(&collaboration_path).await?;
    b.expect_h1("Page not found").await?;
    b.check_page().await?;
    let source = b
        .client
        .source()
        .await
        .map_err(|e| format!("page source: {e}"))?;
    let title = b
        .client
        .title()
        .await
        .map_err(|e| format!("page title: {e}"))?;
    for secret in [
        TITLE,
        PURPOSE,
        "Riverside Food Bank",
        "Hillside Youth Trust",
    ] {
        if source.contains(secret) || title.contains(secret) {
            return Err(format!("the not-found page shows \u{201c}{secret}\u{201d}"));
        }
    }

    // Person 1 finds Person 3's organisation in the directory, from the
    // Identify stage, shortlists it and invites it.
    b.new_session().await?;
    sign_in(b, &ANN).await?;
    b.goto(&format!("{collaboration_path}/identify")).await?;
    b.follow("Search the directory of organisations and charities")
        .await?;
    b.expect_h1("Find partners").await?;
    b.check_page().await?;
    b.type_into("Words to look for", "Lakeside").await?;
    // The search index follows the database within a second or two.
    let mut found = false;
    for _ in 0..20 {
        b.press("Search").await?;
        b.expect_h1("Find partners").await?;
        if b.page_text().await.contains("Lakeside Allotment Society") {
            found = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    if !found {
        return Err("the directory did not find Lakeside Allotment Society".into());
    }
    b.expect_text("out of 100").await?;
    b.check_page().await?;
    b.press("Add Lakeside Allotment Society to the shortlist")
        .await?;
    b.expect_text("It has been added to the shortlist.").await?;
    b.check_page().await?;
    b.press("Invite to join Lakeside Allotment Society").await?;
    b.expect_text("The invitation has been sent").await?;
    b.check_page().await?;

    // Person 1 plans: answers the questions on the Plan page, records the
    // model they suggest, and sees that item of the checklist done.
    b.goto(&format!("{collaboration_path}/plan")).await?;
    b.expect_h1("Stage 2: Plan").await?;
    b.expect_text("0% complete").await?;
    b.check_page().await?;
    b.choose("Bring our organisations together").await?;
    b.choose("With no end in sight").await?;
    b.choose("Yes, we will pool our money").await?;
    b.choose("No").await?;
    b.choose("Most or all of them").await?;
    b.choose("We are willing to become one organisation")
        .await?;
    b.press("Suggest a model").await?;
    b.expect_h1("Collaboration model").await?;
    b.expect_text("Suggested: Merger").await?;
    b.check_page().await?;
    b.type_into(
        "Why this model",
        "We serve the same families, and would be stronger as one.",
    )
    .await?;
    b.press("Record this choice").await?;
    b.expect_text("The model has been recorded.").await?;
    b.check_page().await?;
    b.goto(&format!("{collaboration_path}/plan")).await?;
    b.expect_h1("Stage 2: Plan").await?;
    b.expect_text("20% complete").await?;
    b.expect_text("Merger, chosen by Riverside Food Bank.")
        .await?;
    b.expect_text("Due diligence: 0 of 11 areas done or not applicable.")
        .await?;
    b.check_page().await?;
    // The agreement: Person 1 starts one from the collaboration page and
    // edits a section; Person 2 edits another; both approve; it is agreed;
    // a later edit reopens it.
    b.goto(&collaboration_path).await?;
    b.follow("Agreements").await?;
    b.expect_h1("Agreements").await?;
    b.check_page().await?;
    b.choose("Memorandum of understanding").await?;
    b.press("Start the agreement").await?;
    b.expect_h1("Memorandum of understanding").await?;
    b.expect_text("The agreement has been started").await?;
    b.check_page().await?;
    let agreement_path = b
        .client
        .current_url()
        .await
        .map_err(|e| format!("current url: {e}"))?
        .path()
        .to_string();
    b.follow("Edit or comment: Principles").await?;
    b.expect_h1("Principles").await?;
    b.check_page().await?;
    b.type_into("Text", "We will share what we learn, **openly** and early.")
        .await?;
    b.press("Save a new version").await?;
    b.expect_text("The section has been saved as a new version.")
        .await?;
    b.check_page().await?;

    b.new_session().await?;
    sign_in(b, &BEA).await?;
    b.goto(&agreement_path).await?;
    b.expect_text("We will share what we learn, openly and early.")
        .await?;
    b.follow("Edit or comment: Term").await?;
    b.type_into("Text", "One year, then we review it together.")
        .await?;
    b.press("Save a new version").await?;
    b.expect_text("The section has been saved as a new version.")
        .await?;
    b.press("Approve version 3 for Hillside Youth Trust")
        .await?;
    b.expect_text("Your organisation's approval has been recorded.")
        .await?;
    b.expect_text("Draft \u{2013} not agreed").await?;
    b.check_page().await?;

    b.new_session().await?;
    sign_in(b, &ANN).await?;
    b.goto(&agreement_path).await?;
    b.press("Approve version 3 for Riverside Food Bank").await?;
    b.expect_text("Every lead and partner organisation has approved version 3.")
        .await?;
    b.check_page().await?;
    b.follow("Compare versions").await?;
    b.expect_h1("Compare versions").await?;
    b.check_page().await?;
    b.goto(&agreement_path).await?;
    b.follow("Edit or comment: Staff and volunteers").await?;
    b.type_into("Text", "Each partner keeps its own staff.")
        .await?;
    b.press("Save a new version").await?;
    b.expect_text("must approve again").await?;
    b.expect_text("Draft \u{2013} not agreed").await?;
    b.check_page().await?;

    // Person 1 makes an action plan: a workstream and two tasks, one
    // depending on the other; the dependent one cannot be done first
    // without a reason, then both are done in order.
    b.goto(&format!("{collaboration_path}/implement")).await?;
    b.expect_h1("Stage 3: Implement").await?;
    b.check_page().await?;
    b.follow("Workstreams").await?;
    b.expect_h1("Workstreams").await?;
    b.type_into("Name", "Outreach").await?;
    b.press("Add the workstream").await?;
    b.expect_text("The workstream has been added.").await?;
    b.check_page().await?;
    for title in ["Print leaflets", "Hand out leaflets"] {
        b.goto(&format!("{collaboration_path}/tasks/new")).await?;
        b.expect_h1("Add a task").await?;
        b.type_into("Title", title).await?;
        b.choose_option("Owner organisation", "Riverside Food Bank")
            .await?;
        b.choose_option("Workstream (optional)", "Outreach").await?;
        b.press("Add the task").await?;
        b.expect_text("The task has been added.").await?;
        b.expect_h1(&format!("{title} Not started")).await?;
        b.check_page().await?;
    }
    b.choose_option("Add a task this one depends on", "Print leaflets")
        .await?;
    b.press("Add the dependency").await?;
    b.expect_text("The dependency has been added.").await?;
    b.check_page().await?;
    b.choose_option("Status", "Done").await?;
    b.press("Save the task").await?;
    b.expect_error_summary().await?;
    b.expect_text("Finish it first, or say why this task is done anyway.")
        .await?;
    b.check_page().await?;
    b.follow("Print leaflets").await?;
    b.choose_option("Status", "Done").await?;
    b.press("Save the task").await?;
    b.expect_text("The task has been saved.").await?;
    b.follow("Hand out leaflets").await?;
    b.choose_option("Status", "Done").await?;
    b.press("Save the task").await?;
    b.expect_text("The task has been saved.").await?;
    b.expect_h1("Hand out leaflets Done").await?;
    b.goto(&format!("{collaboration_path}/tasks?view=archive"))
        .await?;
    b.expect_h1("Archive: done and cancelled tasks").await?;
    b.expect_text("Print leaflets").await?;
    b.check_page().await?;
    b.check_keyboard().await?;

    // Person 1 puts the plan in their calendar app: the task list links to
    // the feed's page, which makes the secret address and shows it once.
    b.goto(&format!("{collaboration_path}/tasks?view=all"))
        .await?;
    b.follow("See these tasks in your calendar app").await?;
    b.expect_h1("Calendar feed of the tasks").await?;
    b.expect_text("Google Calendar").await?;
    b.check_page().await?;
    b.press("Make my calendar address").await?;
    b.expect_text("Copy it now").await?;
    b.labelled("Your calendar address").await?;
    b.check_page().await?;
    b.check_keyboard().await?;
    risk_walk(b, &collaboration_path).await?;
    logs_walk(b, &collaboration_path).await?;
    relationships_walk(b, &collaboration_path).await?;
    comms_walk(b, &collaboration_path).await?;
    recurring_walk(b, &collaboration_path).await?;
    export_walk(b, &collaboration_path).await
}

/// Someone who signs up only to delete their account again.
const DOT: Person = Person {
    name: "Dot Passing",
    email: "dot@passing.example",
};

/// Person 1 finds the download links on the collaboration and settings
/// pages, and opens the page that deletes an account, where a wrong
/// password is refused; then a throwaway account is deleted for real, and
/// person 1 signs in again.
async fn export_walk(b: &Browser, collaboration_path: &str) -> Step {
    b.goto(collaboration_path).await?;
    b.expect_text("Download everything").await?;
    b.expect_text("Download as spreadsheet files (CSV, in a zip)")
        .await?;
    b.check_page().await?;
    b.goto("/settings").await?;
    b.expect_text("Download your data (JSON)").await?;
    b.check_page().await?;
    b.follow("Delete your account").await?;
    b.expect_h1("Delete your account").await?;
    b.check_page().await?;
    b.type_into("Your password", "not my password at all")
        .await?;
    b.press("Delete my account").await?;
    b.expect_error_summary().await?;
    b.expect_text("That is not your password.").await?;
    b.check_page().await?;
    b.check_keyboard().await?;

    b.new_session().await?;
    sign_up(b, &DOT).await?;
    b.goto("/account/delete").await?;
    b.type_into("Your password", PASSWORD).await?;
    b.press("Delete my account").await?;
    b.expect_h1("Your account has been deleted").await?;
    b.check_page().await?;
    b.new_session().await?;
    sign_in(b, &ANN).await
}

/// Person 1 adds a monthly newsletter to the communications plan (after a
/// refused empty form), sees it is overdue in words, logs the issue that
/// went out and finds it on the item's page; then opens the pages that
/// change the item and ask before removing it or its log entry.
async fn comms_walk(b: &Browser, collaboration_path: &str) -> Step {
    const PURPOSE: &str = "Monthly newsletter";
    b.goto(&format!("{collaboration_path}/implement")).await?;
    b.follow("Communications plan").await?;
    b.expect_h1("Communications plan").await?;
    b.check_page().await?;
    b.press("Add to the plan").await?;
    b.expect_error_summary().await?;
    b.check_page().await?;
    b.type_into("Who it is for", "Families using the food banks")
        .await?;
    b.type_into("What it is for", PURPOSE).await?;
    b.type_into("Key message", "What is on at each food bank this month.")
        .await?;
    b.choose_option("Channel", "Newsletter").await?;
    b.choose_option("Organisation that sends it", "Riverside Food Bank")
        .await?;
    b.choose_option("How often", "Every month").await?;
    b.type_into("Date", "2026-01-01").await?;
    b.press("Add to the plan").await?;
    b.expect_text("The item has been added to the plan.")
        .await?;
    b.expect_text("Every month from 2026-01-01").await?;
    b.expect_text("Overdue: it was due on 2026-01-01").await?;
    b.check_page().await?;
    b.type_into("What went out", "January newsletter").await?;
    b.type_into("Link (optional)", "https://example.org/news/january")
        .await?;
    b.press("Log it").await?;
    b.expect_text("What went out has been logged.").await?;
    b.expect_text("January newsletter").await?;
    b.check_page().await?;
    b.check_keyboard().await?;
    b.follow("Change this item").await?;
    b.expect_h1("Change an item of the communications plan")
        .await?;
    b.check_page().await?;
    b.follow("Back to the item").await?;
    b.follow_containing("Remove the entry").await?;
    b.expect_text("from the log?").await?;
    b.check_page().await?;
    b.follow("No, keep it").await?;
    b.follow("Remove this item").await?;
    b.expect_h1(&format!("Remove \u{201c}{PURPOSE}\u{201d} from the plan?"))
        .await?;
    b.check_page().await?;
    b.follow("No, keep it").await?;
    b.expect_text("January newsletter").await?;
    b.follow("Back to the communications plan").await?;
    b.expect_text("Families using the food banks").await?;
    b.check_page().await?;
    Ok(())
}

/// Person 1 adds a recurring task after a refused form with no title,
/// opens the task it made, goes back to the series from it and ends it.
async fn recurring_walk(b: &Browser, collaboration_path: &str) -> Step {
    const TITLE: &str = "Send the monthly figures";
    b.goto(&format!("{collaboration_path}/implement")).await?;
    b.follow("Recurring tasks").await?;
    b.expect_h1("Recurring tasks").await?;
    b.check_page().await?;
    b.press("Add the recurring task").await?;
    b.expect_error_summary().await?;
    b.check_page().await?;
    b.type_into("Title of each task", TITLE).await?;
    b.choose_option("How often", "Every month, on the same day")
        .await?;
    b.choose_option("Owner organisation", "Riverside Food Bank")
        .await?;
    b.press("Add the recurring task").await?;
    b.expect_text("The recurring task has been added, with its first task.")
        .await?;
    b.expect_text("Every month on the").await?;
    b.check_page().await?;
    b.check_keyboard().await?;
    b.follow(TITLE).await?;
    b.expect_text("This task was made by a").await?;
    b.check_page().await?;
    b.follow("recurring task").await?;
    b.press(&format!("End {TITLE}")).await?;
    b.expect_text("The recurring task has ended. The tasks it made stay as they are.")
        .await?;
    b.check_page().await?;
    Ok(())
}

/// The aims review: the Review checklist links to it; the only shared aim
/// is called out as not reviewed; an empty form is refused, then the aim
/// is recorded as partly achieved with evidence and a link. Then the
/// lessons learned: a refused empty form, a lesson recorded and changed.
async fn outcomes_walk(b: &Browser, collab: &str) -> Step {
    b.goto(&format!("{collab}/review")).await?;
    b.expect_text("Shared aims reviewed").await?;
    b.goto(&format!("{collab}/aims-review")).await?;
    b.expect_h1("How the shared aims went").await?;
    b.expect_text("0 of 1 aims reviewed.").await?;
    b.expect_text("Not reviewed yet:").await?;
    b.check_page().await?;
    b.follow("Fewer families go without food").await?;
    b.expect_h1("Review the aim: Fewer families go without food")
        .await?;
    b.check_page().await?;
    b.press("Save the review").await?;
    b.expect_error_summary().await?;
    b.check_page().await?;
    b.choose("Partly achieved").await?;
    b.type_into("The indicator's actual value", "120 families a month")
        .await?;
    b.type_into(
        "Evidence (optional)",
        "Counted at **every** session.\n\n- 80 through referrals",
    )
    .await?;
    b.type_into(
        "Links to the evidence (optional)",
        "https://example.org/counts",
    )
    .await?;
    b.press("Save the review").await?;
    b.expect_text("The review of the aim has been saved.")
        .await?;
    b.expect_text("1 of 1 aims reviewed.").await?;
    b.expect_text("120 families a month").await?;
    b.check_page().await?;
    b.check_keyboard().await?;
    b.check_on_phone().await?;

    // Lessons learned: an empty form refused, one recorded, changed and
    // then seen under its new stage.
    b.goto(&format!("{collab}/lessons")).await?;
    b.expect_h1("Lessons learned").await?;
    b.expect_text("No lessons recorded yet.").await?;
    b.check_page().await?;
    b.press("Record the lesson").await?;
    b.expect_error_summary().await?;
    b.check_page().await?;
    b.choose_option("Stage it comes from", "Plan").await?;
    b.choose("What to do differently").await?;
    b.type_into("The lesson", "Agree the budget before the aims.")
        .await?;
    b.press("Record the lesson").await?;
    b.expect_text("The lesson has been recorded.").await?;
    b.expect_text("1 lesson recorded.").await?;
    b.check_page().await?;
    b.check_keyboard().await?;
    b.check_on_phone().await?;
    b.follow_containing("Change or remove").await?;
    b.expect_h1("Change a lesson").await?;
    b.check_page().await?;
    b.choose_option("Stage it comes from", "Implement").await?;
    b.press("Save the change").await?;
    b.expect_text("The change to the lesson has been saved.")
        .await?;
    b.expect_text("Implement").await?;
    b.check_page().await?;
    Ok(())
}

/// The whole-story report: linked from the Review stage page, its page
/// says what it holds, and the HTML report (one file, opened in the
/// browser) passes the same checks as every page.
async fn story_walk(b: &Browser, collab: &str) -> Step {
    b.goto(&format!("{collab}/review")).await?;
    b.follow("See what the report holds and download it")
        .await?;
    b.expect_h1("The whole story").await?;
    b.expect_text("The report is a draft").await?;
    b.check_page().await?;
    b.check_keyboard().await?;
    b.check_on_phone().await?;
    b.follow("The report as a web page to print").await?;
    b.expect_text("Health of the partnership").await?;
    b.expect_text("Draft \u{2013} the story is not finished")
        .await?;
    b.check_page().await?;
    b.check_on_phone().await?;
    Ok(())
}

/// The way forward: the Review page links to it; Ann records her
/// organisation's position (after a refused empty form) and puts a way
/// forward to the steering group (after a refused empty form). The partner
/// has not voted, so it waits for a decision. Then the next cycle: a
/// collaboration of Riverside's own, moved on to Review, is carried into
/// its second cycle through the confirm page, and the two link to each
/// other.
async fn forward_walk(b: &Browser, w: &World, collab: &str) -> Step {
    b.goto(&format!("{collab}/review")).await?;
    b.expect_text("Way forward agreed").await?;
    b.follow("See every partner's position and the way forward")
        .await?;
    b.expect_h1("The way forward").await?;
    b.expect_text("Not recorded yet:").await?;
    b.check_page().await?;
    b.follow_containing("Record the position of Riverside Food Bank")
        .await?;
    b.expect_h1("The position of Riverside Food Bank").await?;
    b.check_page().await?;
    b.press("Save the position").await?;
    b.expect_error_summary().await?;
    b.check_page().await?;
    b.choose("Deepen").await?;
    b.type_into("Reasons", "The joint sessions **work**.")
        .await?;
    b.type_into("Proposed next steps (optional)", "One booking system.")
        .await?;
    b.press("Save the position").await?;
    b.expect_text("The position has been saved.").await?;
    b.expect_text("The joint sessions work.").await?;
    b.check_page().await?;
    b.check_keyboard().await?;
    b.check_on_phone().await?;
    b.press("Put it to the partners").await?;
    b.expect_error_summary().await?;
    b.check_page().await?;
    b.choose("Deepen").await?;
    b.type_into("Reasons", "Both partners want to work more closely.")
        .await?;
    b.type_into("Next steps", "Set up a joint board by spring.")
        .await?;
    b.client
        .execute(
            "document.getElementById('closes_on').value = '2099-02-28';",
            vec![],
        )
        .await
        .map_err(failed("set the closing date"))?;
    b.press("Put it to the partners").await?;
    b.expect_text("The way forward has been put to the partners.")
        .await?;
    b.expect_text("Waiting for a decision").await?;
    b.check_page().await?;
    b.follow("Vote on it or see where the count stands").await?;
    b.expect_h1("Way forward: deepen Voting open").await?;
    b.check_page().await?;

    // The next cycle, from a collaboration in Review.
    let first = actions::collaborations::create_collaboration(
        &w.state,
        &w.ann,
        Some(w.riverside),
        "Winter warm spaces",
        "Keep people warm and fed through the winter.",
    )
    .await
    .map_err(failed_dbg("open a collaboration"))?;
    for from in ["identify", "plan", "implement"] {
        actions::collaborations::move_stage(&w.state, &w.ann, first.id, "forward", Some(from))
            .await
            .map_err(failed_dbg("move it on"))?;
    }
    b.goto(&format!("/collaborations/{}/review", first.id))
        .await?;
    b.expect_text("The next cycle").await?;
    b.check_page().await?;
    b.follow("Start the next cycle").await?;
    b.expect_h1("Start the next cycle").await?;
    b.expect_text("Winter warm spaces (cycle 2)").await?;
    b.check_page().await?;
    b.check_on_phone().await?;
    b.press("Start the next cycle").await?;
    b.expect_h1("Winter warm spaces (cycle 2)").await?;
    b.check_page().await?;
    b.follow("Previous cycle").await?;
    b.expect_h1("Winter warm spaces").await?;
    b.follow("Next cycle").await?;
    b.expect_h1("Winter warm spaces (cycle 2)").await?;
    Ok(())
}

/// Person 1 adds a finance contact to who is who (after a refused empty
/// form), then records a meeting: who came, and an action that becomes a
/// task; and opens the question before removing it, then keeps it.
async fn relationships_walk(b: &Browser, collaboration_path: &str) -> Step {
    const MEETING: &str = "Steering group, December";
    b.goto(&format!("{collaboration_path}/plan")).await?;
    b.follow("Who is who").await?;
    b.expect_h1("Who is who").await?;
    b.check_page().await?;
    b.press("Add the contact").await?;
    b.expect_error_summary().await?;
    b.check_page().await?;
    b.type_into("Name", "Cerys Jones").await?;
    b.choose_option("Role", "Finance contact").await?;
    b.type_into("Email address", "cerys@riverside.example")
        .await?;
    b.press("Add the contact").await?;
    b.expect_text("The contact has been added.").await?;
    b.expect_text("Cerys Jones").await?;
    b.check_page().await?;
    b.check_keyboard().await?;

    b.goto(&format!("{collaboration_path}/meetings")).await?;
    b.expect_h1("Meetings").await?;
    b.check_page().await?;
    b.type_into("Title", MEETING).await?;
    b.type_into("Date", "2026-12-03").await?;
    b.type_into("Start time", "10:00").await?;
    b.type_into("Place or link to join", "Riverside hall")
        .await?;
    b.type_into("Agenda", "Welcome\nLeaflets for the spring")
        .await?;
    b.press("Add the meeting").await?;
    b.expect_text("The meeting has been added.").await?;
    b.expect_h1(MEETING).await?;
    b.expect_text("Leaflets for the spring").await?;
    b.check_page().await?;
    b.check_keyboard().await?;
    b.choose_option("Attendance of Ann Lead for Riverside Food Bank", "Present")
        .await?;
    b.press("Save who came").await?;
    b.expect_text("Who came has been saved.").await?;
    b.check_page().await?;
    b.type_into("What needs doing", "Book the hall for January")
        .await?;
    b.choose_option("Organisation that owns it", "Riverside Food Bank")
        .await?;
    b.press("Add the action as a task").await?;
    b.expect_text("The action has been added to the action plan as a task.")
        .await?;
    b.expect_text("Book the hall for January").await?;
    b.check_page().await?;
    b.follow("Remove this meeting").await?;
    b.expect_h1(&format!(
        "Remove the meeting \u{201c}{MEETING}\u{201d} on 2026-12-03?"
    ))
    .await?;
    b.check_page().await?;
    b.follow("No, keep it").await?;
    b.expect_h1(MEETING).await?;
    Ok(())
}

/// Person 1 raises a problem (after a refused empty form), escalates it a
/// rung, and records a decision about it and about a task, then finds the
/// decision on the task's page, from the keyboard.
async fn logs_walk(b: &Browser, collaboration_path: &str) -> Step {
    const PROBLEM: &str = "Leaflets arrive after the event";
    b.goto(&format!("{collaboration_path}/implement")).await?;
    b.follow("Problem log").await?;
    b.expect_h1("Problems").await?;
    b.check_page().await?;
    b.follow("Raise a problem").await?;
    b.expect_h1("Raise a problem").await?;
    b.press("Raise the problem").await?;
    b.expect_error_summary().await?;
    b.check_page().await?;
    b.type_into("What is the problem?", PROBLEM).await?;
    b.choose_option("Severity", "High").await?;
    b.choose_option("Owner organisation", "Riverside Food Bank")
        .await?;
    b.press("Raise the problem").await?;
    b.expect_text("The problem has been raised.").await?;
    b.expect_h1(&format!("{PROBLEM} Open High severity"))
        .await?;
    b.check_page().await?;
    b.check_keyboard().await?;
    b.type_into(
        "Why does it need to go up to \u{201c}Partner leads\u{201d}?",
        "The printer will not move the date for us.",
    )
    .await?;
    b.press("Escalate the problem").await?;
    b.expect_text("The problem has moved up a rung.").await?;
    b.expect_text("The printer will not move the date for us.")
        .await?;
    b.check_page().await?;
    // The date comes in the address: typing into a date field depends on
    // the browser's locale.
    b.goto(&format!(
        "{collaboration_path}/decisions/new?decided_on=2026-11-20"
    ))
    .await?;
    b.expect_h1("Record a decision").await?;
    b.check_page().await?;
    b.type_into("Title", "Print a week earlier").await?;
    b.type_into(
        "What was decided",
        "Leaflets go to the printer two weeks before each event.",
    )
    .await?;
    b.choose_option("How it was decided", "By the lead").await?;
    b.choose_option("A task it affects", "Print leaflets")
        .await?;
    b.choose_option("A problem it affects", PROBLEM).await?;
    b.press("Record the decision").await?;
    b.expect_text("The decision has been recorded.").await?;
    b.expect_h1("Print a week earlier").await?;
    b.check_page().await?;
    b.follow("Print leaflets").await?;
    b.expect_text("Print a week earlier").await?;
    b.check_page().await?;
    b.goto(&format!("{collaboration_path}/decisions")).await?;
    b.expect_h1("Decisions").await?;
    b.expect_text("Print a week earlier").await?;
    b.check_page().await?;
    b.check_keyboard().await?;
    Ok(())
}

/// Person 1 starts the risk register from a suggested risk, makes it more
/// likely, and sees it move in the heat map's table, from the keyboard.
async fn risk_walk(b: &Browser, collaboration_path: &str) -> Step {
    const HEAT: &str = "Risks open or being managed, by likelihood and impact";
    b.goto(&format!("{collaboration_path}/implement")).await?;
    b.follow("Risk register").await?;
    b.expect_h1("Risk register").await?;
    b.check_page().await?;
    b.follow("Add suggested risks").await?;
    b.expect_h1("Add suggested risks").await?;
    b.check_page().await?;
    b.check_keyboard().await?;
    b.choose("Key staff leave").await?;
    b.press("Add the ticked risks").await?;
    b.expect_text("The risk has been added.").await?;
    b.expect_h1("Key staff leave Open").await?;
    b.check_page().await?;
    b.follow("Back to the risk register").await?;
    let table = b.table_text(HEAT).await?;
    if !table.contains("1 risk (medium)") || table.contains("1 risk (high)") {
        return Err(format!("the new risk is not in the medium cell: {table}"));
    }
    b.follow("Key staff leave").await?;
    b.choose_option("Likelihood", "5: Almost certain").await?;
    b.press("Save the risk").await?;
    b.expect_text("The risk has been saved.").await?;
    b.expect_text("Likelihood 5, impact 3: score 15").await?;
    b.check_page().await?;
    b.follow("Back to the risk register").await?;
    let table = b.table_text(HEAT).await?;
    if !table.contains("1 risk (high)") || table.contains("1 risk (medium)") {
        return Err(format!("the risk did not move to the high cell: {table}"));
    }
    b.check_page().await?;
    b.check_keyboard().await?;
    Ok(())
}

async fn sign_up(b: &Browser, who: &Person) -> Step {
    b.goto("/").await?;
    b.follow("Create an account").await?;
    b.expect_h1("Create an account").await?;
    b.check_page().await?;
    b.type_into("Your name", who.name).await?;
    b.type_into("Email address", who.email).await?;
    b.type_into("Password", PASSWORD).await?;
    b.press("Create account").await?;
    b.expect_h1(&format!("Hello, {}", who.name)).await?;
    b.check_page().await
}

async fn sign_in(b: &Browser, who: &Person) -> Step {
    b.goto("/").await?;
    b.follow("Sign in").await?;
    b.expect_h1("Sign in").await?;
    b.check_page().await?;
    b.type_into("Email address", who.email).await?;
    b.type_into("Password", PASSWORD).await?;
    b.press("Sign in").await?;
    b.expect_h1(&format!("Hello, {}", who.name)).await?;
    b.check_page().await
}

/// Signs in without checking the sign-in and home pages again: the walk
/// and the crawl check them, and the Review walk signs in nine times.
async fn sign_in_again(b: &Browser, who: &Person) -> Step {
    b.goto("/sign-in").await?;
    b.type_into("Email address", who.email).await?;
    b.type_into("Password", PASSWORD).await?;
    b.press("Sign in").await?;
    b.expect_h1(&format!("Hello, {}", who.name)).await
}

async fn add_organisation(b: &Browser, name: &str) -> Step {
    b.follow("Add your organisation").await?;
    b.expect_h1("Add an organisation").await?;
    b.check_page().await?;
    b.type_into("Name of the organisation", name).await?;
    b.choose("Community group").await?;
    b.press("Add organisation").await?;
    b.expect_h1(name).await?;
    b.expect_text("Your organisation has been added.").await?;
    b.check_page().await
}

// --- the Review walk: six answer, the lead closes, the way forward -------

const ADA: Person = Person {
    name: "Ada Northfield",
    email: "ada@northfield.example",
};
const RAE: Person = Person {
    name: "Rae Northfield",
    email: "rae@northfield.example",
};
const RON: Person = Person {
    name: "Ron Northfield",
    email: "ron@northfield.example",
};
/// A member of the lead who is invited to the round and never answers, so
/// the lead has to close it.
const NED: Person = Person {
    name: "Ned Northfield",
    email: "ned@northfield.example",
};
const BO: Person = Person {
    name: "Bo Southside",
    email: "bo@southside.example",
};
const HAL: Person = Person {
    name: "Hal Southside",
    email: "hal@southside.example",
};
const HAZ: Person = Person {
    name: "Haz Southside",
    email: "haz@southside.example",
};
const REVIEWED: &str = "Warm homes winter project";
const LEAD_ORG: &str = "Northfield Pantry";
const PARTNER_ORG: &str = "Southside Youth Club";

/// Northfield (Ada, Rae, Ron, Ned) leads a collaboration in Review with
/// Southside (Bo, Hal, Haz) as partner, and a steering group of Ada and
/// Bo that decides by consensus. Made straight in the database; what
/// happens next happens in the browser.
async fn review_world(app: &App) -> Step<i64> {
    let state = &app.state;
    let hash = commonground_web::passwords::hash(PASSWORD.to_string())
        .await
        .map_err(failed_dbg("hash the password"))?;
    let mut people = Vec::new();
    for who in [&ADA, &RAE, &RON, &NED, &BO, &HAL, &HAZ] {
        let mut tx = state.store.write().await.map_err(failed("open"))?;
        let user = tx
            .create_user(who.email, who.name, &hash, false, state.clock.now())
            .await
            .map_err(failed("add a person"))?;
        tx.commit().await.map_err(failed("commit"))?;
        people.push(Actor {
            user,
            acting_organisation_id: None,
            organisations: None,
        });
    }
    let [ada, rae, ron, ned, bo, hal, haz] = &people[..] else {
        unreachable!("seven people were added")
    };
    let group = |name: &str| ProfileInput {
        name: name.into(),
        kind: "community_group".into(),
        ..Default::default()
    };
    let lead = actions::organisations::create_organisation(state, ada, &group(LEAD_ORG))
        .await
        .map_err(failed_dbg("add the lead"))?
        .id;
    let partner = actions::organisations::create_organisation(state, bo, &group(PARTNER_ORG))
        .await
        .map_err(failed_dbg("add the partner"))?
        .id;
    for (org, who) in [
        (lead, rae),
        (lead, ron),
        (lead, ned),
        (partner, hal),
        (partner, haz),
    ] {
        let mut tx = state.store.write().await.map_err(failed("open"))?;
        tx.add_member(
            org,
            who.user.id,
            commonground_domain::organisations::OrgRole::Member,
            state.clock.now(),
        )
        .await
        .map_err(failed("add a member"))?;
        tx.commit().await.map_err(failed("commit"))?;
    }
    let c = actions::collaborations::create_collaboration(
        state,
        ada,
        Some(lead),
        REVIEWED,
        "Keep older people warm and fed through the winter.",
    )
    .await
    .map_err(failed_dbg("open a collaboration"))?
    .id;
    let invitation =
        actions::invitations::invite_organisation(state, ada, c, Some(partner), "partner", "")
            .await
            .map_err(failed_dbg("invite the partner"))?
            .id;
    actions::invitations::answer_invitation(state, bo, invitation, true)
        .await
        .map_err(failed_dbg("accept for the partner"))?;
    let steering = commonground_domain::governance::BodyInput {
        name: "Steering group",
        decision_rule: "consensus",
        quorum: Some(2),
        meets: "monthly",
        members: vec![ada.user.id, bo.user.id],
        chair: Some(ada.user.id),
        ..Default::default()
    };
    actions::governance::add_body(state, ada, c, &steering)
        .await
        .map_err(failed_dbg("set up the steering group"))?;
    for from in ["identify", "plan", "implement"] {
        actions::collaborations::move_stage(state, ada, c, "forward", Some(from))
            .await
            .map_err(failed_dbg("move it on"))?;
    }
    Ok(c)
}

async fn review_walk(b: &Browser, c: i64) -> Step {
    let collab = format!("/collaborations/{c}");

    // The lead opens a quick pulse.
    sign_in_again(b, &ADA).await?;
    b.goto(&format!("{collab}/review")).await?;
    b.expect_h1("Stage 4: Review").await?;
    b.choose("Quick pulse").await?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(failed("read the clock"))?
        .as_secs() as i64;
    let closes_on = commonground_web::clock::format_rfc3339(now + 14 * 86_400)[..10].to_string();
    b.client
        .execute(
            &format!("document.getElementById('closes_on').value = '{closes_on}';"),
            vec![],
        )
        .await
        .map_err(failed("set the closing date"))?;
    b.press("Open the round").await?;
    b.expect_text("The round is open. Everyone invited has been told by email.")
        .await?;

    // Three people of each partner answer: the lead's see it going well,
    // the partner's see real problems.
    for (who, light) in [
        (&ADA, "Green: going well"),
        (&RAE, "Green: going well"),
        (&RON, "Green: going well"),
        (&BO, "Red: a real problem"),
        (&HAL, "Red: a real problem"),
        (&HAZ, "Red: a real problem"),
    ] {
        if who.email != ADA.email {
            b.new_session().await?;
            sign_in_again(b, who).await?;
        }
        answer_pulse(b, &collab, light).await?;
    }
    // Six of seven have answered, so nothing is shown yet, even to the
    // lead.
    b.follow("Results").await?;
    b.expect_h1("Results of health check round 1").await?;
    b.expect_text("Results are shown once the round closes")
        .await?;
    if b.page_text().await.contains("on average") {
        return Err("figures were shown while the round was open".into());
    }
    b.check_page().await?;

    // The lead closes it and sees the gap between the partners.
    b.new_session().await?;
    sign_in_again(b, &ADA).await?;
    b.goto(&format!("{collab}/review")).await?;
    b.follow("Round 1").await?;
    b.expect_text("6 of 7 people invited have answered.")
        .await?;
    b.press("Close the round now").await?;
    b.expect_h1("Results of health check round 1").await?;
    b.expect_text("Where partners see things differently")
        .await?;
    b.expect_text(&format!("{PARTNER_ORG} rates")).await?;
    b.expect_text("1.0 on average (red 1, amber 2, green 3); the other partners 3.0.")
        .await?;
    b.expect_text(&format!("{LEAD_ORG} rates")).await?;
    b.check_page().await?;
    b.check_on_phone().await?;

    // Each partner records its position on the way forward.
    record_position(b, &collab, LEAD_ORG, "Continue").await?;
    b.new_session().await?;
    sign_in_again(b, &BO).await?;
    record_position(b, &collab, PARTNER_ORG, "Change the model").await?;

    // The lead puts a way forward to the steering group; both vote for it.
    b.new_session().await?;
    sign_in_again(b, &ADA).await?;
    b.goto(&format!("{collab}/forward")).await?;
    b.choose("Change the model").await?;
    b.type_into(
        "Reasons",
        "Southside should share the decisions, not only the work.",
    )
    .await?;
    b.type_into("Next steps", "A joint board with equal seats by spring.")
        .await?;
    b.client
        .execute(
            "document.getElementById('closes_on').value = '2099-02-28';",
            vec![],
        )
        .await
        .map_err(failed("set the closing date"))?;
    b.press("Put it to the partners").await?;
    b.expect_text("The way forward has been put to the partners.")
        .await?;
    vote_for_the_way_forward(b, &collab, "We heard the health check.").await?;
    b.new_session().await?;
    sign_in_again(b, &BO).await?;
    vote_for_the_way_forward(b, &collab, "Equal seats answer our concerns.").await?;
    b.expect_h1("Way forward: change the model Passed").await?;

    // The lead writes the outcome: the way forward is agreed.
    b.new_session().await?;
    sign_in_again(b, &ADA).await?;
    b.goto(&format!("{collab}/forward")).await?;
    b.follow("Vote on it or see where the count stands").await?;
    b.type_into("Outcome", "The joint board meets first in March.")
        .await?;
    b.press("Save the outcome").await?;
    b.expect_text("The outcome has been saved.").await?;
    b.goto(&format!("{collab}/forward")).await?;
    b.expect_text("Agreed way forward").await?;
    b.check_page().await?;
    b.goto(&format!("{collab}/review")).await?;
    b.expect_text("Way forward agreed").await?;

    // And starts the next cycle, with Southside invited again.
    b.follow("Start the next cycle").await?;
    b.expect_h1("Start the next cycle").await?;
    b.expect_text(PARTNER_ORG).await?;
    b.press("Start the next cycle").await?;
    b.expect_h1(&format!("{REVIEWED} (cycle 2)")).await?;
    b.expect_text(PARTNER_ORG).await?;
    b.check_page().await?;
    b.follow("Previous cycle").await?;
    b.expect_h1(REVIEWED).await?;
    Ok(())
}

/// The signed-in person answers every question of the open pulse with the
/// same light, from the Review page's link.
async fn answer_pulse(b: &Browser, collab: &str, light: &str) -> Step {
    b.goto(&format!("{collab}/review")).await?;
    b.follow("Answer now").await?;
    b.expect_h1("Health check round 1: quick pulse").await?;
    let labels = b
        .client
        .find_all(Locator::XPath(&format!(
            "//main//form//label[normalize-space()={}]",
            lit(light)
        )))
        .await
        .map_err(failed("find the answers"))?;
    if labels.len() < 3 {
        return Err(format!("only {} questions to answer", labels.len()));
    }
    for label in labels {
        label.click().await.map_err(failed("choose an answer"))?;
    }
    b.press("Save my answers").await?;
    b.expect_text("Your answers have been saved.").await
}

async fn record_position(b: &Browser, collab: &str, organisation: &str, option: &str) -> Step {
    b.goto(&format!("{collab}/forward")).await?;
    b.follow_containing(&format!("Record the position of {organisation}"))
        .await?;
    b.expect_h1(&format!("The position of {organisation}"))
        .await?;
    b.choose(option).await?;
    b.type_into("Reasons", "What the health check told us.")
        .await?;
    b.press("Save the position").await?;
    b.expect_text("The position has been saved.").await
}

async fn vote_for_the_way_forward(b: &Browser, collab: &str, reason: &str) -> Step {
    b.goto(&format!("{collab}/forward")).await?;
    b.follow("Vote on it or see where the count stands").await?;
    b.choose("Agree").await?;
    b.type_into("Reason", reason).await?;
    b.press("Save the vote").await?;
    b.expect_text("Your vote has been saved.").await
}

// --- every page, for the person who can see it ---------------------------

const DEE: Person = Person {
    name: "Dee Newcomer",
    email: "dee@riverside.example",
};
const OLA: Person = Person {
    name: "Ola Operator",
    email: "ola@operator.example",
};

/// The fixtures for the crawl, made straight in the database.
struct World {
    riverside: i64,
    hillside: i64,
    collaboration: i64,
    /// Hillside's invitation, accepted.
    accepted_invitation: i64,
    /// Lakeside's invitation, still waiting for a reply.
    pending_invitation: i64,
    /// The link in Dee's email inviting her to join Riverside.
    join_path: String,
    /// The link in Bea's password reset email.
    reset_path: String,
    /// A collaboration agreement Ann started, at version 1.
    agreement: i64,
    state: AppState,
    ann: Actor,
}

fn failed<E: std::fmt::Display>(what: &'static str) -> impl FnOnce(E) -> String {
    move |e| format!("{what}: {e}")
}

fn failed_dbg<E: std::fmt::Debug>(what: &'static str) -> impl FnOnce(E) -> String {
    move |e| format!("{what}: {e:?}")
}

/// Six people: Ann is an admin of two organisations, one of which leads
/// a collaboration; Bea's organisation has joined it; Cal's organisation is
/// invited and has not replied; Dee is invited to join Ann's organisation;
/// Ola runs the installation.
async fn build_world(app: &App) -> Step<World> {
    let state = &app.state;
    let hash = commonground_web::passwords::hash(PASSWORD.to_string())
        .await
        .map_err(failed_dbg("hash the password"))?;
    let mut actors = Vec::new();
    for (who, operator) in [
        (&ANN, false),
        (&BEA, false),
        (&CAL, false),
        (&DEE, false),
        (&OLA, true),
    ] {
        let mut tx = state.store.write().await.map_err(failed("open"))?;
        let user = tx
            .create_user(who.email, who.name, &hash, operator, state.clock.now())
            .await
            .map_err(failed("add a person"))?;
        tx.commit().await.map_err(failed("commit"))?;
        actors.push(Actor {
            user,
            acting_organisation_id: None,
            organisations: None,
        });
    }
    let [ann, bea, cal, _dee, _ola] = &actors[..] else {
        unreachable!("five people were added")
    };
    let organisation = async |who: &Actor, input: ProfileInput| {
        actions::organisations::create_organisation(state, who, &input)
            .await
            .map(|o| o.id)
            .map_err(failed_dbg("add an organisation"))
    };
    let riverside = organisation(
        ann,
        ProfileInput {
            name: "Riverside Food Bank".into(),
            kind: "registered_charity".into(),
            charity_number: "1234567".into(),
            mission: "No one in the valley goes hungry.".into(),
            activities: "Food parcels, a community fridge and cooking classes.".into(),
            areas_served: "Riverside\nLower Valley".into(),
            causes: "food poverty, families".into(),
            website: "https://riverside.example".into(),
            ..Default::default()
        },
    )
    .await?;
    let community_group = |name: &str| ProfileInput {
        name: name.into(),
        kind: "community_group".into(),
        ..Default::default()
    };
    let valley = organisation(ann, community_group("Valley Arts Collective")).await?;
    let hillside = organisation(bea, community_group("Hillside Youth Trust")).await?;
    let lakeside = organisation(cal, community_group("Lakeside Allotment Society")).await?;

    let collaboration =
        actions::collaborations::create_collaboration(state, ann, Some(riverside), TITLE, PURPOSE)
            .await
            .map_err(failed_dbg("open a collaboration"))?
            .id;
    let accepted_invitation = actions::invitations::invite_organisation(
        state,
        ann,
        collaboration,
        Some(hillside),
        "partner",
        "We would love your youth workers on board.",
    )
    .await
    .map_err(failed_dbg("invite Hillside"))?
    .id;
    actions::invitations::answer_invitation(state, bea, accepted_invitation, true)
        .await
        .map_err(failed_dbg("accept for Hillside"))?;
    let pending_invitation = actions::invitations::invite_organisation(
        state,
        ann,
        collaboration,
        Some(lakeside),
        "observer",
        "Could your growers tell us what they have spare each week?",
    )
    .await
    .map_err(failed_dbg("invite Lakeside"))?
    .id;
    actions::shortlist::add_to_shortlist(state, ann, collaboration, "", &valley.to_string())
        .await
        .map_err(failed_dbg("shortlist Valley Arts"))?;
    actions::collaborations::move_stage(state, ann, collaboration, "forward", None)
        .await
        .map_err(failed_dbg("move on to Plan"))?;
    actions::model::choose_model(
        state,
        ann,
        collaboration,
        "merger",
        "We serve the same families.",
        "0",
    )
    .await
    .map_err(failed_dbg("choose a merger"))?;

    actions::organisations::invite_member(state, ann, riverside, DEE.email, "member")
        .await
        .map_err(failed_dbg("invite Dee"))?;
    actions::accounts::request_password_reset(state, BEA.email)
        .await
        .map_err(failed_dbg("ask for a reset link"))?;
    let agreement =
        actions::agreements::create_agreement(state, ann, collaboration, "collaboration_agreement")
            .await
            .map_err(failed_dbg("start an agreement"))?
            .id;
    let base = state.config.link("");
    Ok(World {
        agreement,
        state: state.clone(),
        ann: ann.clone(),
        riverside,
        hillside,
        collaboration,
        accepted_invitation,
        pending_invitation,
        join_path: link_in_outbox(&app.data_dir, &base, DEE.email, "/join/")?,
        reset_path: link_in_outbox(&app.data_dir, &base, BEA.email, "/password-reset/")?,
    })
}

/// The path of the first link on this site, containing `part`, in an
/// email to `to`.
fn link_in_outbox(data_dir: &Path, base: &str, to: &str, part: &str) -> Step<String> {
    let dir = data_dir.join("outbox");
    let entries = std::fs::read_dir(&dir).map_err(|e| format!("read {}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(failed("read the outbox"))?.path();
        if path.extension().is_none_or(|x| x != "eml") {
            continue;
        }
        let mail = std::fs::read_to_string(&path).map_err(failed("read an email"))?;
        // Undo quoted-printable line breaks and escapes before looking.
        let flat = mail
            .replace("=\r\n", "")
            .replace("=\n", "")
            .replace("=3D", "=");
        if !flat.contains(to) {
            continue;
        }
        let wanted = format!("{base}{part}");
        if let Some(start) = flat.find(&wanted) {
            let link: String = flat[start + base.len()..]
                .chars()
                .take_while(|c| !c.is_whitespace())
                .collect();
            return Ok(link);
        }
    }
    Err(format!("no email to {to} with a link to {part}"))
}

/// Every page a person can open with a GET, and the refused version of
/// each main form, through the eyes of whoever may see it.
async fn crawl(b: &Browser, w: &World) -> Step {
    signed_out_pages(b, w).await?;
    lead_admin_pages(b, w).await?;
    partner_pages(b, w).await?;
    invited_organisation_pages(b, w).await?;
    new_member_pages(b, w).await?;
    operator_pages(b).await
}

async fn signed_out_pages(b: &Browser, w: &World) -> Step {
    b.goto("/").await?;
    b.expect_h1("Work together, well").await?;
    b.check_page().await?;
    b.check_keyboard().await?;
    b.check_on_phone().await?;

    b.goto("/sign-up").await?;
    b.expect_h1("Create an account").await?;
    b.check_page().await?;
    b.press("Create account").await?;
    b.expect_error_summary().await?;
    b.check_page().await?;
    b.check_keyboard().await?;
    b.check_on_phone().await?;

    b.goto("/sign-in").await?;
    b.expect_h1("Sign in").await?;
    b.check_page().await?;
    b.press("Sign in").await?;
    b.expect_error_summary().await?;
    b.check_page().await?;

    b.goto("/password-reset").await?;
    b.expect_h1("Reset your password").await?;
    b.check_page().await?;
    b.press("Send the link").await?;
    b.expect_error_summary().await?;
    b.check_page().await?;
    b.type_into("Email address", "nobody@nowhere.example")
        .await?;
    b.press("Send the link").await?;
    b.expect_h1("Check your email").await?;
    b.check_page().await?;

    b.goto(&w.reset_path).await?;
    b.expect_h1("Choose a new password").await?;
    b.check_page().await?;
    b.press("Save password").await?;
    b.expect_error_summary().await?;
    b.check_page().await?;
    b.goto("/password-reset/not-a-real-link").await?;
    b.expect_h1("This link has expired").await?;
    b.check_page().await?;

    b.goto("/no-such-page").await?;
    b.expect_h1("Page not found").await?;
    b.check_page().await?;
    b.goto("/sign-out").await?;
    b.expect_h1("This page cannot be used that way").await?;
    b.check_page().await?;

    // A form whose security cookie has gone, as after a long break.
    b.goto("/sign-in").await?;
    b.expect_h1("Sign in").await?;
    b.client
        .delete_all_cookies()
        .await
        .map_err(failed("delete cookies"))?;
    b.type_into("Email address", ANN.email).await?;
    b.type_into("Password", PASSWORD).await?;
    b.press("Sign in").await?;
    b.expect_h1("This form has expired").await?;
    b.check_page().await?;
    b.check_on_phone().await
}

async fn lead_admin_pages(b: &Browser, w: &World) -> Step {
    b.new_session().await?;
    sign_in(b, &ANN).await?;
    b.check_keyboard().await?;
    b.check_on_phone().await?;

    b.goto("/settings").await?;
    b.expect_h1("Settings").await?;
    b.check_page().await?;
    b.type_into("Token name", "Monthly report script").await?;
    b.press("Create token").await?;
    b.expect_text("Copy your new token now.").await?;
    b.check_page().await?;
    b.check_keyboard().await?;
    b.check_on_phone().await?;
    b.press("Create token").await?;
    b.expect_error_summary().await?;
    b.check_page().await?;
    b.goto("/settings").await?;
    b.expect_h1("Settings").await?;
    b.check_page().await?;

    b.goto("/organisations").await?;
    b.expect_h1("Organisations").await?;
    b.check_page().await?;
    b.type_into("Name or org-id", "Lakeside").await?;
    b.press("Search").await?;
    b.expect_text("Lakeside Allotment Society").await?;
    b.check_page().await?;

    b.goto("/organisations/new").await?;
    b.expect_h1("Add an organisation").await?;
    b.check_page().await?;
    b.press("Add organisation").await?;
    b.expect_error_summary().await?;
    b.check_page().await?;
    b.check_on_phone().await?;

    let org = format!("/organisations/{}", w.riverside);
    b.goto(&org).await?;
    b.expect_h1("Riverside Food Bank").await?;
    b.check_page().await?;
    b.goto(&format!("{org}/edit")).await?;
    b.expect_h1("Edit the profile").await?;
    b.check_page().await?;
    b.goto(&format!("{org}/members")).await?;
    b.expect_h1("Members").await?;
    b.check_page().await?;
    b.check_keyboard().await?;
    b.check_on_phone().await?;
    b.goto(&format!("{org}/invitations")).await?;
    b.expect_h1("Invite a colleague").await?;
    b.expect_text(DEE.email).await?;
    b.check_page().await?;
    b.check_on_phone().await?;
    b.press("Send invitation").await?;
    b.expect_error_summary().await?;
    b.check_page().await?;
    b.goto(&format!("{org}/activity")).await?;
    b.expect_h1("Activity").await?;
    b.check_page().await?;

    b.goto("/collaborations").await?;
    b.expect_h1("Collaborations").await?;
    b.check_page().await?;
    b.check_on_phone().await?;
    b.goto("/collaborations/new").await?;
    b.expect_h1("Open a collaboration").await?;
    b.check_page().await?;
    b.press("Open collaboration").await?;
    b.expect_error_summary().await?;
    b.check_page().await?;

    let collab = format!("/collaborations/{}", w.collaboration);
    b.goto(&collab).await?;
    b.expect_h1(TITLE).await?;
    b.expect_text("Waiting for a reply").await?;
    b.check_page().await?;
    b.check_keyboard().await?;
    b.check_on_phone().await?;
    b.goto(&format!("{collab}/edit")).await?;
    b.expect_h1("Change the title or purpose").await?;
    b.check_page().await?;
    b.goto(&format!("{collab}/invite")).await?;
    b.expect_h1("Invite an organisation").await?;
    b.check_page().await?;
    b.type_into("Find the organisation", "Valley").await?;
    b.press("Find").await?;
    b.expect_text("Which organisation?").await?;
    b.check_page().await?;
    b.check_keyboard().await?;
    b.check_on_phone().await?;
    b.press("Send invitation").await?;
    b.expect_error_summary().await?;
    b.check_page().await?;
    b.goto(&format!("{collab}/activity")).await?;
    b.expect_h1("Activity").await?;
    b.check_page().await?;
    b.goto(&format!("{collab}/identify")).await?;
    b.expect_h1("Stage 1: Identify").await?;
    b.check_page().await?;
    b.goto(&format!("{collab}/readiness")).await?;
    b.expect_h1("Should we collaborate? The readiness check")
        .await?;
    b.check_page().await?;
    b.goto(&format!("{collab}/readiness/answers")).await?;
    b.expect_h1("Your answers to the readiness check").await?;
    b.check_page().await?;
    b.press("Save my answers").await?;
    b.expect_error_summary().await?;
    b.check_page().await?;
    b.goto("/resources").await?;
    b.expect_h1("Guides and tools").await?;
    b.check_page().await?;
    b.goto(&format!("{collab}/participants/{}/remove", w.hillside))
        .await?;
    b.expect_h1(&format!(
        "Remove Hillside Youth Trust from \u{201c}{TITLE}\u{201d}?"
    ))
    .await?;
    b.check_page().await?;
    b.check_keyboard().await?;

    // The Identify parts: empty, refused with the errors shown, then filled.
    b.goto(&format!("{collab}/goals")).await?;
    b.expect_h1("Own goals").await?;
    b.check_page().await?;
    b.press("Add goal").await?;
    b.expect_error_summary().await?;
    b.check_page().await?;
    b.choose("Better services").await?;
    b.type_into("Goal", "Reach families on the estates").await?;
    b.press("Add goal").await?;
    b.expect_text("The goal has been added.").await?;
    b.check_page().await?;
    b.check_keyboard().await?;
    b.check_on_phone().await?;
    b.goto(&format!("{org}/goals")).await?;
    b.expect_h1("Goals for collaborating").await?;
    b.check_page().await?;
    b.goto(&format!("{collab}/environment")).await?;
    b.expect_h1("Strategic environment").await?;
    b.check_page().await?;
    b.press("Add item").await?;
    b.expect_error_summary().await?;
    b.check_page().await?;
    b.choose_option("Heading", "Threats (SWOT)").await?;
    b.type_into("Item", "A national charity bids for the same work")
        .await?;
    b.press("Add item").await?;
    b.expect_text("The item has been added.").await?;
    b.check_page().await?;
    b.check_on_phone().await?;
    b.goto(&format!("{collab}/benefits-risks")).await?;
    b.expect_h1("Benefits and risks").await?;
    b.check_page().await?;
    b.press("Add").await?;
    b.expect_error_summary().await?;
    b.check_page().await?;
    b.choose_option("Pick from the common list (optional)", "VAT")
        .await?;
    b.choose("4 \u{2013} Likely").await?;
    b.choose("3 \u{2013} Moderate").await?;
    b.press("Add").await?;
    b.expect_text("It has been added.").await?;
    b.check_page().await?;
    b.check_keyboard().await?;
    b.check_on_phone().await?;
    b.follow_containing("Change").await?;
    b.expect_h1("Change a benefit or risk").await?;
    b.check_page().await?;
    b.goto(&format!("{collab}/environment")).await?;
    b.follow_containing("Change").await?;
    b.expect_h1("Change an item").await?;
    b.check_page().await?;
    b.goto(&format!("{collab}/goals")).await?;
    b.follow_containing("Change").await?;
    b.expect_h1("Change a goal").await?;
    b.check_page().await?;

    // The shortlist: its table of forms, an error, and an entry's history.
    b.goto(&format!("{collab}/shortlist")).await?;
    b.expect_h1("Shortlist of possible partners").await?;
    b.check_page().await?;
    b.check_keyboard().await?;
    b.check_on_phone().await?;
    b.press("Add to shortlist").await?;
    b.expect_error_summary().await?;
    b.check_page().await?;
    b.follow_containing("History").await?;
    b.expect_h1("Valley Arts Collective").await?;
    b.check_page().await?;
    b.choose("In conversation").await?;
    b.type_into("Note (optional)", "Met their director at the CVS lunch.")
        .await?;
    b.press("Save").await?;
    b.expect_text("The change has been saved.").await?;
    b.expect_text("Met their director at the CVS lunch.")
        .await?;
    b.check_page().await?;
    b.check_keyboard().await?;
    b.check_on_phone().await?;

    // The Plan stage: its page, the model page with the guide, the
    // questions and the choice refused half done, and due diligence.
    b.goto(&format!("{collab}/plan")).await?;
    b.expect_h1("Stage 2: Plan").await?;
    b.check_page().await?;
    b.check_on_phone().await?;
    b.goto(&format!("{collab}/model")).await?;
    b.expect_h1("Collaboration model").await?;
    b.check_page().await?;
    b.check_keyboard().await?;
    b.check_on_phone().await?;
    b.press("Suggest a model").await?;
    b.expect_error_summary().await?;
    b.check_page().await?;
    b.press("Record this choice").await?;
    b.expect_error_summary().await?;
    b.check_page().await?;
    b.goto(&format!("{collab}/due-diligence")).await?;
    b.expect_h1("Due diligence").await?;
    b.check_page().await?;
    b.check_keyboard().await?;
    b.check_on_phone().await?;
    b.choose_option("Status of Pensions", "In progress").await?;
    b.press("Save Pensions").await?;
    b.expect_text("The change has been saved.").await?;
    b.check_page().await?;

    // Plan: shared aims, with an error, a change and the approval box.
    b.goto(&format!("{collab}/aims")).await?;
    b.expect_h1("Shared aims").await?;
    b.check_page().await?;
    b.press("Add aim").await?;
    b.expect_error_summary().await?;
    b.check_page().await?;
    b.type_into("Aim", "Fewer families go without food").await?;
    b.type_into(
        "How you will measure it (indicator)",
        "Families helped each month",
    )
    .await?;
    b.type_into("By when (optional)", "2027-06-30").await?;
    b.press("Add aim").await?;
    b.expect_text("The aim has been added.").await?;
    b.check_page().await?;
    b.check_keyboard().await?;
    b.check_on_phone().await?;
    b.follow_containing("Change").await?;
    b.expect_h1("Change the aim").await?;
    b.check_page().await?;

    // Agreements: the list, an agreement, a section with a comment, a
    // stale save with both texts side by side, and the comparison.
    b.goto(&format!("{collab}/agreements")).await?;
    b.expect_h1("Agreements").await?;
    b.check_page().await?;
    b.press("Start the agreement").await?;
    b.expect_h1("Collaboration agreement").await?;
    b.check_page().await?;
    b.check_keyboard().await?;
    b.check_on_phone().await?;
    let agreement = format!("/agreements/{}", w.agreement);
    b.goto(&format!("{agreement}/sections/aims")).await?;
    b.expect_h1("Aims").await?;
    b.check_page().await?;
    b.type_into("Add a comment", "Should we add a target for volunteers?")
        .await?;
    b.press("Add comment").await?;
    b.expect_text("Your comment has been added.").await?;
    b.check_page().await?;
    // Someone else saves this section meanwhile, so this save, based on
    // version 1, is refused with both texts shown.
    actions::agreements::save_section(
        &w.state,
        &w.ann,
        w.agreement,
        "aims",
        "Changed by someone else.",
        "1",
    )
    .await
    .map_err(failed_dbg("save meanwhile"))?;
    b.type_into("Text", "My own version of the aims.").await?;
    b.press("Save a new version").await?;
    b.expect_text("Someone else changed this section first")
        .await?;
    b.expect_text("Changed by someone else.").await?;
    b.check_page().await?;
    b.check_on_phone().await?;
    b.goto(&format!("{agreement}/diff?from=1&to=2")).await?;
    b.expect_h1("Compare versions").await?;
    b.check_page().await?;
    b.check_on_phone().await?;

    // The Plan structures: a steering group set up (after a refusal) and
    // the responsibilities matrix filled in, with their other pages.
    b.goto(&format!("{collab}/governance")).await?;
    b.expect_h1("Governance").await?;
    b.check_page().await?;
    b.press("Set up the group").await?;
    b.expect_error_summary().await?;
    b.check_page().await?;
    b.type_into("Name", "Steering group").await?;
    b.choose("Ann Lead (Riverside Food Bank)").await?;
    b.choose("Bea Partner (Hillside Youth Trust)").await?;
    b.choose_option("Chair", "Ann Lead (Riverside Food Bank)")
        .await?;
    b.choose("Consent").await?;
    b.type_into("Quorum", "2").await?;
    b.choose_option("How often does it meet?", "Every month")
        .await?;
    b.press("Set up the group").await?;
    b.expect_text("The group has been set up.").await?;
    b.expect_text("Governance is set").await?;
    b.check_page().await?;
    b.check_keyboard().await?;
    b.check_on_phone().await?;
    b.follow_containing("Change").await?;
    b.expect_h1("Change a group").await?;
    b.check_page().await?;
    b.goto(&format!("{collab}/governance")).await?;
    b.follow_containing("Remove").await?;
    b.expect_h1("Remove \u{201c}Steering group\u{201d}?")
        .await?;
    b.check_page().await?;

    // Decisions by vote: a proposal to the steering group (after a
    // refusal) and the lead's vote; the partner votes in `partner_pages`.
    b.goto(&format!("{collab}/proposals")).await?;
    b.expect_h1("Decisions by vote").await?;
    b.check_page().await?;
    b.press("Put it to a vote").await?;
    b.expect_error_summary().await?;
    b.check_page().await?;
    b.type_into("Title", PROPOSAL).await?;
    b.type_into("What is proposed", "We lease one van together.")
        .await?;
    b.choose_option("The group that decides", "Steering group (consent)")
        .await?;
    // The date goes in directly: typing into a date field depends on the
    // browser's locale.
    b.client
        .execute(
            "document.getElementById('closes_on').value = '2099-01-31';",
            vec![],
        )
        .await
        .map_err(failed("set the closing date"))?;
    b.press("Put it to a vote").await?;
    b.expect_text("The proposal is open for votes.").await?;
    b.expect_h1(&format!("{PROPOSAL} Voting open")).await?;
    b.check_page().await?;
    b.check_keyboard().await?;
    b.choose("Agree").await?;
    b.type_into("Reason", "It halves what we spend on deliveries.")
        .await?;
    b.press("Save the vote").await?;
    b.expect_text("Your vote has been saved.").await?;
    b.check_page().await?;
    b.check_on_phone().await?;

    // Review: the stage page, a quick pulse opened (after a refusal),
    // answered in part, and its results page while it is still open.
    b.goto(&format!("{collab}/review")).await?;
    b.expect_h1("Stage 4: Review").await?;
    b.check_page().await?;
    b.press("Open the round").await?;
    b.expect_error_summary().await?;
    b.check_page().await?;
    b.choose("Quick pulse").await?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(failed("read the clock"))?
        .as_secs() as i64;
    let closes_on = commonground_web::clock::format_rfc3339(now + 20 * 86_400)[..10].to_string();
    b.client
        .execute(
            &format!("document.getElementById('closes_on').value = '{closes_on}';"),
            vec![],
        )
        .await
        .map_err(failed("set the closing date"))?;
    b.press("Open the round").await?;
    b.expect_text("The round is open. Everyone invited has been told by email.")
        .await?;
    b.check_page().await?;
    b.follow("Answer now").await?;
    b.expect_h1("Health check round 1: quick pulse").await?;
    b.check_page().await?;
    b.check_keyboard().await?;
    b.check_on_phone().await?;
    b.choose("Green: going well").await?;
    b.type_into("Anything else to say? (optional)", "A good start.")
        .await?;
    b.press("Save my answers").await?;
    b.expect_text("Your answers have been saved.").await?;
    b.check_page().await?;
    b.follow("Results").await?;
    b.expect_h1("Results of health check round 1").await?;
    b.check_page().await?;
    b.check_on_phone().await?;
    outcomes_walk(b, &collab).await?;
    story_walk(b, &collab).await?;
    forward_walk(b, w, &collab).await?;
    b.goto(&format!("{collab}/responsibilities")).await?;
    b.expect_h1("Who is responsible for what").await?;
    b.check_page().await?;
    b.check_keyboard().await?;
    b.check_on_phone().await?;
    for function in [
        "Finance",
        "Delivery",
        "Safeguarding",
        "Data protection",
        "Communications",
        "Monitoring and evaluation",
        "Contract management",
    ] {
        b.choose_option(&format!("{function}: Riverside Food Bank"), "Accountable")
            .await?;
        b.choose_option(&format!("{function}: Hillside Youth Trust"), "Responsible")
            .await?;
    }
    b.press("Save the matrix").await?;
    b.expect_text("The matrix has been saved.").await?;
    b.expect_text("Every function has exactly one accountable organisation.")
        .await?;
    b.check_page().await?;
    b.press("Add the function").await?;
    b.expect_error_summary().await?;
    b.check_page().await?;
    b.type_into("Name of the function", "Volunteers").await?;
    b.press("Add the function").await?;
    b.expect_text("The function has been added.").await?;
    b.expect_text("Volunteers has no accountable organisation. Choose one.")
        .await?;
    b.check_page().await?;
    b.follow_containing("Remove").await?;
    b.expect_h1("Remove \u{201c}Volunteers\u{201d} from the matrix?")
        .await?;
    b.check_page().await?;

    // The action plan's pages: the stage page, the list (empty, then with
    // a task), the forms refused half done, by partner, and my tasks.
    b.goto(&format!("{collab}/implement")).await?;
    b.expect_h1("Stage 3: Implement").await?;
    b.check_page().await?;
    b.check_on_phone().await?;
    b.goto(&format!("{collab}/workstreams")).await?;
    b.expect_h1("Workstreams").await?;
    b.check_page().await?;
    b.press("Add the workstream").await?;
    b.expect_error_summary().await?;
    b.check_page().await?;
    b.goto(&format!("{collab}/tasks/new")).await?;
    b.expect_h1("Add a task").await?;
    b.check_page().await?;
    b.check_keyboard().await?;
    b.press("Add the task").await?;
    b.expect_error_summary().await?;
    b.check_page().await?;
    b.type_into("Title", "Book the hall").await?;
    b.press("Add the task").await?;
    b.expect_text("The task has been added.").await?;
    b.check_page().await?;
    b.check_keyboard().await?;
    b.check_on_phone().await?;
    b.goto(&format!("{collab}/implement")).await?;
    b.wait_for(
        "//main//img[contains(@src, 'timeline.svg')]",
        "the timeline",
    )
    .await?;
    b.check_page().await?;
    b.check_on_phone().await?;
    b.goto(&format!("{collab}/tasks")).await?;
    b.expect_h1("Tasks").await?;
    b.check_page().await?;
    b.check_on_phone().await?;
    b.goto(&format!("{collab}/tasks?view=archive&due_before=soon"))
        .await?;
    b.expect_error_summary().await?;
    b.check_page().await?;
    b.goto(&format!("{collab}/tasks/by-partner")).await?;
    b.expect_h1("Tasks by partner").await?;
    b.check_page().await?;
    b.goto("/tasks").await?;
    b.expect_h1("My tasks").await?;
    b.check_page().await?;
    // The calendar feed pages: before, after making an address, refused.
    b.follow("See my tasks in your calendar app").await?;
    b.expect_h1("Calendar feed of my tasks").await?;
    b.check_page().await?;
    b.press("Make my calendar address").await?;
    b.expect_text("Copy it now").await?;
    b.check_page().await?;
    b.check_on_phone().await?;
    b.goto(&format!("{collab}/calendar?view=all&overdue=true"))
        .await?;
    b.expect_h1("Calendar feed of the tasks").await?;
    b.check_page().await?;
    b.press("Make my calendar address").await?;
    b.expect_text("Copy it now").await?;
    b.check_page().await?;
    b.goto(&format!("{collab}/calendar?status=someday")).await?;
    b.expect_error_summary().await?;
    b.check_page().await?;
    risk_pages(b, &collab).await?;

    b.goto("/collaborations/999999").await?;
    b.expect_h1("Page not found").await?;
    b.check_page().await
}

async fn partner_pages(b: &Browser, w: &World) -> Step {
    b.new_session().await?;
    sign_in(b, &BEA).await?;
    // The partner votes on the lead's proposal: with both in, it is
    // decided.
    b.goto(&format!("/collaborations/{}/proposals", w.collaboration))
        .await?;
    b.follow(PROPOSAL).await?;
    b.choose("Agree").await?;
    b.type_into("Reason", "Our volunteers can drive it.")
        .await?;
    b.press("Save the vote").await?;
    b.expect_text("Your vote has been saved.").await?;
    b.expect_h1(&format!("{PROPOSAL} Passed")).await?;
    b.check_page().await?;
    // She was told the vote opened: her notifications, marked read, and
    // her choices of what is emailed.
    b.goto("/notifications").await?;
    b.expect_h1("Notifications").await?;
    b.expect_text(&format!(
        "Ann Lead put \u{201c}{PROPOSAL}\u{201d} to Steering group"
    ))
    .await?;
    b.check_page().await?;
    b.check_on_phone().await?;
    b.press("Mark all as read").await?;
    b.expect_text("All your notifications are marked as read.")
        .await?;
    b.check_page().await?;
    b.follow("Choose which ones are emailed to you").await?;
    b.expect_h1("Notification settings").await?;
    b.check_page().await?;
    b.check_keyboard().await?;
    b.press("Save my choices").await?;
    b.expect_text("Your choices are saved.").await?;
    b.check_page().await?;
    b.goto(&format!("/invitations/{}", w.accepted_invitation))
        .await?;
    b.expect_h1(TITLE).await?;
    b.expect_text("Go to the collaboration").await?;
    b.check_page().await?;
    b.goto(&format!("/collaborations/{}", w.collaboration))
        .await?;
    b.expect_h1(TITLE).await?;
    b.check_page().await?;
    b.check_on_phone().await?;
    b.goto(&format!("/collaborations/{}/plan", w.collaboration))
        .await?;
    b.expect_h1("Stage 2: Plan").await?;
    b.check_page().await?;
    b.goto(&format!(
        "/collaborations/{}/due-diligence",
        w.collaboration
    ))
    .await?;
    b.expect_h1("Due diligence").await?;
    b.check_page().await?;
    b.goto(&format!("/collaborations/{}/leave", w.collaboration))
        .await?;
    b.expect_h1(&format!(
        "Take Hillside Youth Trust out of \u{201c}{TITLE}\u{201d}?"
    ))
    .await?;
    b.check_page().await?;
    b.check_on_phone().await
}

async fn invited_organisation_pages(b: &Browser, w: &World) -> Step {
    b.new_session().await?;
    sign_in(b, &CAL).await?;
    b.expect_text("Waiting for you").await?;
    b.goto(&format!("/invitations/{}", w.pending_invitation))
        .await?;
    b.expect_h1(TITLE).await?;
    b.expect_text("Riverside Food Bank invites Lakeside Allotment Society to join as observer.")
        .await?;
    b.check_page().await?;
    b.check_keyboard().await?;
    b.check_on_phone().await
}

async fn new_member_pages(b: &Browser, w: &World) -> Step {
    b.new_session().await?;
    sign_in(b, &DEE).await?;
    b.expect_text("To open or join a collaboration").await?;
    // Pages as they look to someone in no organisation yet.
    b.goto("/organisations").await?;
    b.expect_text("You do not belong to any organisation yet.")
        .await?;
    b.check_page().await?;
    b.goto("/collaborations").await?;
    b.expect_text("There are none yet.").await?;
    b.check_page().await?;
    b.goto("/collaborations/new").await?;
    b.expect_text("You need to belong to an organisation first.")
        .await?;
    b.check_page().await?;
    b.goto(&w.join_path).await?;
    b.expect_h1("Join Riverside Food Bank").await?;
    b.check_page().await?;
    b.press("Join Riverside Food Bank").await?;
    b.expect_h1("Riverside Food Bank").await?;
    b.expect_text("You are now a member").await?;
    b.check_page().await?;
    let org = format!("/organisations/{}", w.riverside);
    b.goto(&format!("{org}/members")).await?;
    b.expect_h1("Members").await?;
    b.check_page().await?;
    b.goto(&format!("{org}/leave")).await?;
    b.expect_h1("Leave Riverside Food Bank?").await?;
    b.check_page().await?;
    // A member opening a page for admins only.
    b.goto(&format!("{org}/edit")).await?;
    b.expect_h1("You cannot do that").await?;
    b.check_page().await
}

async fn operator_pages(b: &Browser) -> Step {
    b.new_session().await?;
    sign_in(b, &OLA).await?;
    b.goto("/admin").await?;
    b.expect_h1("This installation").await?;
    b.check_page().await
}

/// A string as an XPath literal.
fn lit(s: &str) -> String {
    if !s.contains('\'') {
        format!("'{s}'")
    } else if !s.contains('"') {
        format!("\"{s}\"")
    } else {
        let parts: Vec<String> = s.split('\'').map(|p| format!("'{p}'")).collect();
        format!("concat({})", parts.join(", \"'\", "))
    }
}

/// Facts every page must have; returns a list of problems.
const PAGE_CHECKS: &str = r##"
const problems = [];
const h1s = document.querySelectorAll('h1');
if (h1s.length !== 1) problems.push('expected exactly one h1, found ' + h1s.length);
const lang = document.documentElement.getAttribute('lang');
if (!lang || !lang.trim()) problems.push('<html> has no lang');
if (!document.title.trim()) problems.push('the page has no title');
for (const el of document.querySelectorAll('input, select, textarea')) {
  if (el.type === 'hidden') continue;
  const label = el.id ? document.querySelector('label[for="' + CSS.escape(el.id) + '"]') : null;
  if (!label || !label.textContent.trim()) problems.push('no label for ' + el.outerHTML);
}
const first = document.querySelector('body a');
if (!first || first.getAttribute('href') !== '#main') problems.push('the first link is not a skip link to #main');
const main = document.getElementById('main');
if (!main || main.tagName !== 'MAIN') problems.push('#main is not the main element');
const seen = new Set();
for (const el of document.querySelectorAll('[id]')) {
  if (seen.has(el.id)) problems.push('duplicate id ' + el.id);
  seen.add(el.id);
}
for (const a of document.querySelectorAll('a[href^="#"]')) {
  const target = decodeURIComponent(a.getAttribute('href').slice(1));
  if (!target || !document.getElementById(target)) problems.push('the link ' + a.outerHTML + ' points to nothing on the page');
}
const root = document.documentElement;
if (root.scrollWidth > root.clientWidth + 1) {
  // Inside a box that scrolls on its own, only absolutely placed content
  // can still widen the page.
  const clipped = el => {
    if (['absolute', 'fixed'].includes(getComputedStyle(el).position)) return false;
    for (let p = el.parentElement; p && p !== root; p = p.parentElement) {
      if (getComputedStyle(p).overflowX !== 'visible') return true;
    }
    return false;
  };
  const wide = [...document.querySelectorAll('body *')]
    .filter(el => el.getBoundingClientRect().right > root.clientWidth + 1 && !clipped(el))
    .slice(0, 5).map(el => el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).trim().split(/\s+/).join('.') : ''));
  problems.push('the page is ' + root.scrollWidth + 'px wide in a ' + root.clientWidth + 'px window, so it scrolls sideways (too wide: ' + wide.join(', ') + ')');
}
return problems;
"##;

/// axe-core with the WCAG 2.2 AA rules and best practices. Returns each
/// violation as `{impact, text}`.
const AXE_RUN: &str = r#"
const done = arguments[arguments.length - 1];
axe.run(document, {
  runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
  resultTypes: ['violations'],
})
  .then(r => done(r.violations.map(v => ({
    impact: v.impact || 'unknown',
    text: (v.impact || 'unknown') + ' ' + v.id + ': ' + v.help + ' at '
      + v.nodes.map(n => n.target.join(' ') + (n.failureSummary ? ' (' + n.failureSummary.replace(/\s+/g, ' ') + ')' : '')).join('; '),
  }))))
  .catch(e => done([{ impact: 'critical', text: 'axe-core failed: ' + e }]));
"#;

/// Describes the element that has keyboard focus and any problem with how
/// it shows focus; `null` once focus has left the page or come round again.
const FOCUS_CHECK: &str = r##"
const el = document.activeElement;
if (!el || el === document.body || el === document.documentElement) return null;
window.cgSeen = window.cgSeen || new Set();
if (window.cgSeen.has(el)) return null;
window.cgSeen.add(el);
const name = el.tagName.toLowerCase()
  + (el.id ? '#' + el.id : '')
  + ' "' + (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().replace(/\s+/g, ' ').slice(0, 40) + '"';
const problems = [];
const cs = getComputedStyle(el);
const outline = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0;
if (!outline && cs.boxShadow === 'none') problems.push('no visible focus indicator on ' + name);
const r = el.getBoundingClientRect();
if (r.width < 1 || r.height < 1) problems.push('keyboard focus lands on something invisible: ' + name);
else if (r.bottom <= 0 || r.top >= innerHeight || r.right <= 0 || r.left >= innerWidth)
  problems.push('keyboard focus lands off screen: ' + name);
return { name, problems };
"##;

/// Puts the keyboard's starting point at the very top of the page.
const START_AT_TOP: &str = r#"
window.cgSeen = new Set();
const marker = document.createElement('span');
marker.id = 'cg-start';
marker.tabIndex = -1;
document.body.prepend(marker);
marker.focus();
window.scrollTo(0, 0);
"#;

/// axe-core's colour contrast rule on the focused element alone.
const AXE_FOCUSED_CONTRAST: &str = r#"
const done = arguments[arguments.length - 1];
axe.run(document.activeElement, { runOnly: ['color-contrast'], resultTypes: ['violations'] })
  .then(r => done(r.violations.map(v => v.impact + ' ' + v.id + ' while focused: '
    + v.nodes.map(n => n.target.join(' ') + ' (' + (n.failureSummary || '').replace(/\s+/g, ' ') + ')').join('; '))))
  .catch(e => done(['axe-core failed: ' + e]));
"#;

/// No page needs more tab stops than this; more means focus is stuck.
const MAX_TAB_STOPS: usize = 120;

struct Browser {
    client: Client,
    base: String,
    axe: Option<Arc<String>>,
}

impl Browser {
    async fn goto(&self, path: &str) -> Step {
        self.client
            .goto(&format!("{}{path}", self.base))
            .await
            .map_err(|e| format!("open {path}: {e}"))
    }

    /// Another person at the same computer: no cookies from before.
    async fn new_session(&self) -> Step {
        self.client
            .delete_all_cookies()
            .await
            .map_err(|e| format!("delete cookies: {e}"))?;
        self.goto("/").await?;
        self.expect_h1("Work together, well").await
    }

    /// Waits for the element. Any error while looking counts as "not there
    /// yet" until the time is up: a page that is still loading after a
    /// form post makes the driver answer "aborted by navigation", which is
    /// not a failure of the page.
    async fn wait_for(&self, xpath: &str, what: &str) -> Step<fantoccini::elements::Element> {
        let until = std::time::Instant::now() + WAIT;
        loop {
            match self.client.find(Locator::XPath(xpath)).await {
                Ok(element) => return Ok(element),
                Err(e) if std::time::Instant::now() >= until => {
                    return Err(format!("waited {WAIT:?} for {what}: {e}"));
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
            }
        }
    }

    async fn expect_h1(&self, text: &str) -> Step {
        self.wait_for(
            &format!("//h1[normalize-space()={}]", lit(text)),
            &format!("the heading \u{201c}{text}\u{201d}"),
        )
        .await?;
        Ok(())
    }

    async fn expect_text(&self, text: &str) -> Step {
        self.wait_for(
            &format!("//main[contains(normalize-space(), {})]", lit(text)),
            &format!("the text \u{201c}{text}\u{201d}"),
        )
        .await?;
        Ok(())
    }

    /// The form control that a label with this text points to.
    async fn labelled(&self, label: &str) -> Step<fantoccini::elements::Element> {
        let label_el = self
            .wait_for(
                &format!("//main//label[normalize-space()={}]", lit(label)),
                &format!("the label \u{201c}{label}\u{201d}"),
            )
            .await?;
        let id = label_el
            .attr("for")
            .await
            .map_err(|e| format!("label {label}: {e}"))?
            .ok_or_else(|| format!("the label \u{201c}{label}\u{201d} has no for attribute"))?;
        self.client.find(Locator::Id(&id)).await.map_err(|e| {
            format!("the label \u{201c}{label}\u{201d} points to #{id}, which is missing: {e}")
        })
    }

    async fn type_into(&self, label: &str, text: &str) -> Step {
        let field = self.labelled(label).await?;
        field
            .clear()
            .await
            .map_err(|e| format!("clear {label}: {e}"))?;
        field
            .send_keys(text)
            .await
            .map_err(|e| format!("type into {label}: {e}"))?;
        let value = field
            .prop("value")
            .await
            .map_err(|e| format!("read {label}: {e}"))?;
        if value.as_deref() != Some(text) {
            return Err(format!(
                "typed {text:?} into {label} but it holds {value:?}"
            ));
        }
        Ok(())
    }

    /// Clicks a radio button's label, then checks the button is chosen.
    async fn choose(&self, label: &str) -> Step {
        let radio = self.labelled(label).await?;
        let label_el = self
            .client
            .find(Locator::XPath(&format!(
                "//main//label[normalize-space()={}]",
                lit(label)
            )))
            .await
            .map_err(|e| format!("label {label}: {e}"))?;
        label_el
            .click()
            .await
            .map_err(|e| format!("click {label}: {e}"))?;
        if !radio
            .is_selected()
            .await
            .map_err(|e| format!("read {label}: {e}"))?
        {
            return Err(format!(
                "clicking the label \u{201c}{label}\u{201d} did not choose it"
            ));
        }
        Ok(())
    }

    async fn choose_option(&self, label: &str, option: &str) -> Step {
        let select = self.labelled(label).await?;
        select
            .select_by_label(option)
            .await
            .map_err(|e| format!("choose {option} in {label}: {e}"))
    }

    async fn press(&self, text: &str) -> Step {
        let button = self
            .wait_for(
                &format!("//main//button[normalize-space()={}]", lit(text)),
                &format!("the button \u{201c}{text}\u{201d}"),
            )
            .await?;
        button
            .click()
            .await
            .map_err(|e| format!("press {text}: {e}"))
    }

    async fn follow(&self, text: &str) -> Step {
        let link = self
            .wait_for(
                &format!("//main//a[normalize-space()={}]", lit(text)),
                &format!("the link \u{201c}{text}\u{201d}"),
            )
            .await?;
        link.click()
            .await
            .map_err(|e| format!("follow {text}: {e}"))
    }

    async fn follow_containing(&self, text: &str) -> Step {
        let link = self
            .wait_for(
                &format!("//main//a[contains(normalize-space(), {})]", lit(text)),
                &format!("a link with \u{201c}{text}\u{201d}"),
            )
            .await?;
        link.click()
            .await
            .map_err(|e| format!("follow {text}: {e}"))
    }

    /// The text of the table with this caption.
    async fn table_text(&self, caption: &str) -> Step<String> {
        let table = self
            .wait_for(
                &format!("//table[caption[normalize-space()={}]]", lit(caption)),
                &format!("the table \u{201c}{caption}\u{201d}"),
            )
            .await?;
        table
            .prop("textContent")
            .await
            .map_err(|e| format!("read table {caption}: {e}"))
            .map(Option::unwrap_or_default)
    }

    /// The basic checks, then axe-core. Moderate, serious and critical
    /// findings fail the page; minor ones are printed.
    async fn check_page(&self) -> Step {
        self.check_page_as("").await
    }

    async fn check_page_as(&self, how: &str) -> Step {
        let place = format!("{}{how}", self.where_am_i().await);
        let found = self
            .client
            .execute(PAGE_CHECKS, vec![])
            .await
            .map_err(|e| format!("page checks: {e}"))?;
        let mut problems: Vec<String> =
            serde_json::from_value(found).map_err(|e| format!("page checks: {e}"))?;
        if let Some(axe) = &self.axe {
            self.client
                .execute(axe, vec![])
                .await
                .map_err(|e| format!("load axe-core: {e}"))?;
            let found = self
                .client
                .execute_async(AXE_RUN, vec![])
                .await
                .map_err(|e| format!("run axe-core: {e}"))?;
            let Value::Array(findings) = found else {
                return Err(format!("axe-core results: not a list: {found}"));
            };
            for finding in findings {
                let impact = finding["impact"].as_str().unwrap_or("unknown");
                let text = finding["text"].as_str().unwrap_or("(no description)");
                if impact == "minor" {
                    println!("minor finding on {place}: {text}");
                } else {
                    problems.push(text.to_string());
                }
            }
        }
        if problems.is_empty() {
            println!("checked {place}");
            Ok(())
        } else {
            Err(format!(
                "accessibility problems on {place}:\n  {}",
                problems.join("\n  ")
            ))
        }
    }

    async fn resize(&self, width: u32, height: u32) -> Step {
        self.client
            .set_window_size(width, height)
            .await
            .map_err(|e| format!("resize the window to {width}x{height}: {e}"))
    }

    /// The same checks in a phone-sized window, then back to desktop size.
    async fn check_on_phone(&self) -> Step {
        self.resize(PHONE_WIDTH, PHONE_HEIGHT).await?;
        let width = self
            .client
            .execute("return window.innerWidth;", vec![])
            .await
            .map_err(|e| format!("read the window width: {e}"))?;
        let checked = match width.as_u64() {
            Some(w) if w <= u64::from(PHONE_WIDTH) => self.check_page_as(" (phone)").await,
            _ => Err(format!(
                "the window did not shrink to phone size: it is {width} pixels wide"
            )),
        };
        self.resize(DESKTOP_WIDTH, DESKTOP_HEIGHT).await?;
        checked
    }

    /// Presses Tab through every stop on the page, from the top. Each stop
    /// must be on screen, show that it has focus, and keep its colours
    /// readable while focused.
    async fn check_keyboard(&self) -> Step {
        let place = self.where_am_i().await;
        // Start from the top of the page, as after it loads: focus a marker
        // that is outside the tab order, so the next Tab goes to the first
        // stop.
        self.client
            .execute(START_AT_TOP, vec![])
            .await
            .map_err(|e| format!("reset focus: {e}"))?;
        let mut problems = Vec::new();
        let mut stops = 0;
        loop {
            let tab = KeyActions::new("keyboard".into())
                .then(KeyAction::Down {
                    value: Key::Tab.into(),
                })
                .then(KeyAction::Up {
                    value: Key::Tab.into(),
                });
            self.client
                .perform_actions(tab)
                .await
                .map_err(|e| format!("press Tab: {e}"))?;
            let found = self
                .client
                .execute(FOCUS_CHECK, vec![])
                .await
                .map_err(|e| format!("focus check: {e}"))?;
            if found.is_null() {
                break;
            }
            stops += 1;
            if stops > MAX_TAB_STOPS {
                return Err(format!(
                    "more than {MAX_TAB_STOPS} tab stops on {place}: focus seems stuck"
                ));
            }
            if let Some(list) = found["problems"].as_array() {
                problems.extend(list.iter().filter_map(Value::as_str).map(str::to_string));
            }
            if self.axe.is_some() {
                let found = self
                    .client
                    .execute_async(AXE_FOCUSED_CONTRAST, vec![])
                    .await
                    .map_err(|e| format!("run axe-core: {e}"))?;
                let list: Vec<String> =
                    serde_json::from_value(found).map_err(|e| format!("axe-core results: {e}"))?;
                problems.extend(list);
            }
        }
        self.client
            .execute(
                "const m = document.getElementById('cg-start'); if (m) m.remove();",
                vec![],
            )
            .await
            .map_err(|e| format!("remove the start marker: {e}"))?;
        if stops == 0 {
            problems.push("the Tab key reaches nothing".into());
        }
        if problems.is_empty() {
            println!("keyboard-checked {place}: {stops} tab stops");
            Ok(())
        } else {
            Err(format!(
                "keyboard problems on {place}:\n  {}",
                problems.join("\n  ")
            ))
        }
    }

    /// A refused form: the error summary is on the page.
    async fn expect_error_summary(&self) -> Step {
        self.wait_for(
            "//main//div[contains(concat(' ', @class, ' '), ' error-summary ')]//h2[normalize-space()='There is a problem']",
            "the error summary",
        )
        .await?;
        Ok(())
    }

    async fn where_am_i(&self) -> String {
        match self.client.current_url().await {
            Ok(url) => {
                url.path().to_string()
                    + url
                        .query()
                        .map(|q| format!("?{q}"))
                        .as_deref()
                        .unwrap_or("")
            }
            Err(e) => format!("(unknown page: {e})"),
        }
    }

    async fn page_text(&self) -> String {
        match self.client.find(Locator::Css("body")).await {
            Ok(body) => body.text().await.unwrap_or_default(),
            Err(e) => format!("(no page text: {e})"),
        }
    }
}

/// The risk register's pages for the crawl: the empty register, the form
/// refused half done then filled in, the risk, the register with its heat
/// map and table, a refused filter, and the suggestions.
async fn risk_pages(b: &Browser, collab: &str) -> Step {
    b.goto(&format!("{collab}/risks")).await?;
    b.expect_h1("Risk register").await?;
    b.check_page().await?;
    b.goto(&format!("{collab}/risks/new")).await?;
    b.expect_h1("Add a risk").await?;
    b.check_page().await?;
    b.press("Add the risk").await?;
    b.expect_error_summary().await?;
    b.check_page().await?;
    b.type_into("Title", "The hall lease ends").await?;
    b.choose_option("Kind of risk", "Delivery, time and cost")
        .await?;
    b.choose_option("Likelihood", "2: Unlikely").await?;
    b.choose_option("Impact", "4: Major").await?;
    b.press("Add the risk").await?;
    b.expect_text("The risk has been added.").await?;
    b.check_page().await?;
    b.check_on_phone().await?;
    b.goto(&format!("{collab}/risks")).await?;
    b.wait_for("//main//img[contains(@src, 'heatmap.svg')]", "the heat map")
        .await?;
    b.expect_text("No review is overdue.").await?;
    b.check_page().await?;
    b.check_on_phone().await?;
    b.goto(&format!("{collab}/risks?band=huge")).await?;
    b.expect_error_summary().await?;
    b.check_page().await?;
    b.goto(&format!("{collab}/risks/suggestions")).await?;
    b.expect_h1("Add suggested risks").await?;
    b.check_page().await?;
    b.press("Add the ticked risks").await?;
    b.expect_error_summary().await?;
    b.check_page().await
}
