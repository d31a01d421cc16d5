//! One walk through the real pages in headless Chromium: three people sign
//! up, two organisations work together on a collaboration through an
//! invitation, and a stranger cannot see it. Every page visited is checked
//! for basic accessibility facts, and with axe-core when it is available.
//!
//! Needs `chromium` and `chromedriver` (Debian: chromium, chromium-driver).
//! Without them the test says so loudly and passes, except under CI, where
//! it fails. axe-core is read from `AXE_CORE_JS`, or else from
//! `target/axe-core/node_modules/axe-core/axe.min.js`, which
//! `npm install --no-save --prefix target/axe-core axe-core@4.14.1` creates.

use commonground_web::{AppState, Config, router};
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
/// The longest the whole walk may take.
const WHOLE: Duration = Duration::from_secs(240);
const CHROMIUM: &str = "/usr/bin/chromium";
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
async fn start_app(dir: &Path) -> String {
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
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    tokio::spawn(async move {
        axum::serve(listener, app).await.expect("serve");
    });
    format!("http://{addr}")
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
                format!("--user-data-dir={}", profile.display()),
            ],
        },
    });
    let Value::Object(caps) = caps else {
        unreachable!("built as an object")
    };
    let client = tokio::time::timeout(
        WAIT * 3,
        ClientBuilder::new(HttpConnector::new())
            .capabilities(caps)
            .connect(&driver.url()),
    )
    .await
    .expect("Chromium did not start in time")
    .expect("start a Chromium session");
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_people_one_collaboration_in_a_real_browser() {
    if !Path::new(CHROMIUM).is_file() {
        return missing("no /usr/bin/chromium");
    }
    let Some(chromedriver) = find_on_path("chromedriver") else {
        return missing("no chromedriver on PATH");
    };
    let axe = axe_source();

    let data = tempfile::tempdir().expect("temp dir");
    let profile = tempfile::tempdir().expect("temp dir");
    let base = start_app(data.path()).await;
    let driver = Driver::start(&chromedriver).await;
    let client = launch_browser(&driver, profile.path()).await;

    let browser = Browser {
        client: client.clone(),
        base,
        axe,
    };
    let mut walk = tokio::spawn(async move {
        match walk(&browser).await {
            Ok(()) => Ok(()),
            Err(e) => Err(format!(
                "{e}\n--- at {}\n{}",
                browser.where_am_i().await,
                browser.page_text().await
            )),
        }
    });
    let outcome = tokio::time::timeout(WHOLE, &mut walk).await;
    if outcome.is_err() {
        walk.abort();
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

type Step<T = ()> = Result<T, String>;

struct Person {
    name: &'static str,
    email: &'static str,
}

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
const PAGE_CHECKS: &str = r#"
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
return problems;
"#;

const AXE_RUN: &str = r#"
const done = arguments[arguments.length - 1];
axe.run(document, { resultTypes: ['violations'] })
  .then(r => done(r.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => v.impact + ' ' + v.id + ': ' + v.help + ' at ' + v.nodes.map(n => n.target.join(' ')).join(', '))))
  .catch(e => done(['axe-core failed: ' + e]));
"#;

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

    async fn wait_for(&self, xpath: &str, what: &str) -> Step<fantoccini::elements::Element> {
        self.client
            .wait()
            .at_most(WAIT)
            .every(Duration::from_millis(50))
            .for_element(Locator::XPath(xpath))
            .await
            .map_err(|e| format!("waited {WAIT:?} for {what}: {e}"))
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

    /// The basic checks, then axe-core's serious and critical rules.
    async fn check_page(&self) -> Step {
        let place = self.where_am_i().await;
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
            let axe_problems: Vec<String> =
                serde_json::from_value(found).map_err(|e| format!("axe-core results: {e}"))?;
            problems.extend(axe_problems);
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
