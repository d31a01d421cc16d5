//! The test harness: the whole app in-process on a fresh database (a SQLite
//! file per test, or a fresh PostgreSQL schema when TEST_DATABASE_URL is
//! set), with helpers to act as people through pages and the API.
#![allow(dead_code)]

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use commonground_domain::organisations::ProfileInput;
use commonground_web::auth::Actor;
use commonground_web::{AppState, Config, actions, router};
use http_body_util::BodyExt;
use std::sync::atomic::{AtomicUsize, Ordering};
use tower::ServiceExt;

#[derive(Clone)]
pub struct TestApp {
    pub state: AppState,
    pub router: Router,
    pub dir: std::sync::Arc<tempfile::TempDir>,
    /// Where its database is, for [`TestApp::copy`]; kept by [`TestApp::new`].
    pub options: Option<commonground_store::ConnectOptions>,
}

#[derive(Debug, Clone)]
pub struct TestResponse {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl TestResponse {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    }
    pub fn location(&self) -> String {
        self.header("location").unwrap_or_default()
    }
    /// The value of a cookie set by this response, if any.
    pub fn set_cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .filter_map(|v| v.split(';').next())
            .filter_map(|kv| kv.split_once('='))
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_string())
    }
    /// The security token from the first form on the page.
    pub fn csrf(&self) -> String {
        let marker = "name=\"csrf\" value=\"";
        let start = self
            .body
            .find(marker)
            .unwrap_or_else(|| panic!("no form token on page: {}", self.body))
            + marker.len();
        self.body[start..]
            .split('"')
            .next()
            .unwrap_or_default()
            .to_string()
    }
}

/// A person with both ways in: a browser session and an API token.
#[derive(Debug, Clone)]
pub struct Person {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub password: String,
    pub session: String,
    pub csrf: String,
    pub token: String,
}

impl Person {
    pub fn actor(&self, app: &TestApp) -> Actor {
        let _ = app;
        Actor {
            user: commonground_store::accounts::User {
                id: self.id,
                email: self.email.clone(),
                name: self.name.clone(),
                is_operator: false,
                created_at: 0,
            },
            acting_organisation_id: None,
            organisations: None,
        }
    }
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// The date `n` days from now (UTC), `YYYY-MM-DD`.
pub fn in_days(n: i64) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    commonground_web::clock::format_rfc3339(now + n * 86_400)[..10].to_string()
}

impl TestApp {
    pub async fn new() -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let options = commonground_store::testing::fresh_options(dir.path())
            .await
            .expect("fresh database");
        let store = commonground_store::Store::connect(&options)
            .await
            .expect("connect");
        store.migrate().await.expect("migrate");
        let mut app = Self::with_store(store, dir);
        app.options = Some(options);
        app
    }

    /// A new app on a copy of this one's database (see
    /// [`commonground_store::testing::copy_store`]): the same world, with
    /// nothing shared after this. Nothing may write to this one meanwhile.
    pub async fn copy(&self) -> TestApp {
        let source = self
            .options
            .as_ref()
            .expect("only an app made by TestApp::new can be copied");
        let dir = tempfile::tempdir().expect("temp dir");
        let (options, store) = commonground_store::testing::copy_store(source, dir.path())
            .await
            .expect("copy the database");
        let mut app = Self::with_store(store, dir);
        app.options = Some(options);
        app
    }

    /// Two apps, each with its own connection pool and outbox, on one
    /// database: two servers sharing it.
    pub async fn pair() -> (TestApp, TestApp) {
        let dir_a = tempfile::tempdir().unwrap();
        let dir_b = tempfile::tempdir().unwrap();
        let options = commonground_store::testing::fresh_options(dir_a.path())
            .await
            .unwrap();
        let store_a = commonground_store::Store::connect(&options).await.unwrap();
        store_a.migrate().await.unwrap();
        let store_b = commonground_store::Store::connect(&options).await.unwrap();
        (
            TestApp::with_store(store_a, dir_a),
            TestApp::with_store(store_b, dir_b),
        )
    }

    pub fn with_store(store: commonground_store::Store, dir: tempfile::TempDir) -> TestApp {
        let mut config = Config::for_data_dir(dir.path());
        config.public_url = "http://commonground.test".into();
        let state = AppState::new(store, config).expect("state");
        let router = router(state.clone());
        TestApp {
            state,
            router,
            dir: std::sync::Arc::new(dir),
            options: None,
        }
    }

    pub async fn request(&self, req: Request<Body>) -> TestResponse {
        let response = self.router.clone().oneshot(req).await.expect("infallible");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        TestResponse {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    /// A page request, signed in as `who` when given.
    pub async fn get(&self, path: &str, who: Option<&Person>) -> TestResponse {
        let mut req = Request::builder().method(Method::GET).uri(path);
        if let Some(p) = who {
            req = req.header(header::COOKIE, format!("cg_session={}", p.session));
        }
        self.request(req.body(Body::empty()).unwrap()).await
    }

    /// A form post as `who`, with their security token added.
    pub async fn post_form(
        &self,
        path: &str,
        who: Option<&Person>,
        fields: &[(&str, &str)],
    ) -> TestResponse {
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        let mut req = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(p) = who {
            all.push(("csrf", &p.csrf));
            req = req.header(header::COOKIE, format!("cg_session={}", p.session));
        }
        let body = serde_urlencoded::to_string(&all).unwrap();
        self.request(req.body(Body::from(body)).unwrap()).await
    }

    /// An API call with an optional bearer token and JSON body.
    pub async fn api(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<serde_json::Value>,
    ) -> TestResponse {
        let mut req = Request::builder().method(method).uri(path);
        if let Some(t) = token {
            req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        let body = match body {
            Some(b) => {
                req = req.header(header::CONTENT_TYPE, "application/json");
                Body::from(b.to_string())
            }
            None => Body::empty(),
        };
        self.request(req.body(body).unwrap()).await
    }

    /// Creates a person directly (no rate limits), signed in on both surfaces.
    pub async fn person(&self, name: &str) -> Person {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let email = format!("{}.{n}@example.org", name.to_lowercase().replace(' ', "."));
        let password = "correct horse battery staple".to_string();
        let hash = commonground_web::passwords::hash(password.clone())
            .await
            .unwrap();
        let now = self.state.clock.now();
        let mut tx = self.state.store.write().await.unwrap();
        let user = tx
            .create_user(&email, name, &hash, false, now)
            .await
            .unwrap();
        let session = tx.create_session(user.id, None, now).await.unwrap();
        let csrf = tx.session(&session, now).await.unwrap().unwrap().csrf_token;
        let (_, token) = tx.create_api_token(user.id, "tests", now).await.unwrap();
        tx.commit().await.unwrap();
        Person {
            id: user.id,
            name: name.into(),
            email,
            password,
            session,
            csrf,
            token,
        }
    }

    /// An organisation with `admin` as its admin; returns its id.
    pub async fn organisation(&self, admin: &Person, name: &str) -> i64 {
        let input = ProfileInput {
            name: name.into(),
            kind: "community_group".into(),
            ..Default::default()
        };
        actions::organisations::create_organisation(&self.state, &admin.actor(self), &input)
            .await
            .unwrap()
            .id
    }

    /// Adds `who` to an organisation directly.
    pub async fn join(&self, who: &Person, organisation_id: i64, admin: bool) {
        let role = if admin {
            commonground_domain::organisations::OrgRole::Admin
        } else {
            commonground_domain::organisations::OrgRole::Member
        };
        let mut tx = self.state.store.write().await.unwrap();
        tx.add_member(organisation_id, who.id, role, self.state.clock.now())
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }

    /// Fills this app's empty database with the demo: `organisations`
    /// organisations, one person for every 20 (none can sign in), at a
    /// fixed time.
    pub async fn demo(&self, organisations: i64) -> commonground_store::demo::DemoSummary {
        commonground_store::demo::fill(
            &self.state.store,
            organisations,
            "not a real hash",
            1_700_000_000,
            |_, _, _| {},
        )
        .await
        .unwrap()
    }

    /// A collaboration led by `organisation_id`, opened by `who`.
    pub async fn collaboration(&self, who: &Person, organisation_id: i64, title: &str) -> i64 {
        actions::collaborations::create_collaboration(
            &self.state,
            &who.actor(self),
            Some(organisation_id),
            title,
            "To work together on something that matters.",
        )
        .await
        .unwrap()
        .id
    }

    /// Invites an organisation; returns the invitation id.
    pub async fn invite(
        &self,
        lead_admin: &Person,
        collaboration_id: i64,
        organisation_id: i64,
        role: &str,
    ) -> i64 {
        actions::invitations::invite_organisation(
            &self.state,
            &lead_admin.actor(self),
            collaboration_id,
            Some(organisation_id),
            role,
            "Join us",
        )
        .await
        .unwrap()
        .id
    }

    pub async fn accept(&self, admin: &Person, invitation_id: i64) {
        actions::invitations::answer_invitation(
            &self.state,
            &admin.actor(self),
            invitation_id,
            true,
        )
        .await
        .unwrap();
    }

    /// Every email written to the outbox, oldest first.
    pub fn outbox(&self) -> Vec<String> {
        let dir = self.dir.path().join("outbox");
        let mut files: Vec<_> = match std::fs::read_dir(&dir) {
            Ok(rd) => rd
                .filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "eml"))
                .collect(),
            Err(_) => Vec::new(),
        };
        files.sort();
        files
            .into_iter()
            .map(|p| std::fs::read_to_string(p).unwrap())
            .collect()
    }

    /// The first link in the newest email to `to` that contains `path_part`.
    pub fn link_for(&self, to: &str, path_part: &str) -> String {
        let mail = self
            .outbox()
            .into_iter()
            .rev()
            .find(|m| m.contains(to))
            .unwrap_or_else(|| panic!("no email to {to}"));
        // Undo quoted-printable soft line breaks before searching.
        let flat = mail
            .replace("=\r\n", "")
            .replace("=\n", "")
            .replace("=3D", "=");
        let start = flat
            .find("http://commonground.test")
            .unwrap_or_else(|| panic!("no link in {flat}"));
        let link: String = flat[start..]
            .chars()
            .take_while(|c| !c.is_whitespace())
            .collect();
        assert!(
            link.contains(path_part),
            "{link} does not contain {path_part}"
        );
        link.trim_start_matches("http://commonground.test")
            .to_string()
    }
}

// --- browser-like helpers for page tests (sign-up, sign-in, raw cookies) ---

/// A browser that has not signed in: its anonymous security cookie and the
/// token that goes with it in forms.
#[derive(Debug, Clone)]
pub struct AnonBrowser {
    pub cookie: String,
    pub csrf: String,
}

impl AnonBrowser {
    pub fn cookie_header(&self) -> String {
        format!("cg_csrf={}", self.cookie)
    }
}

impl TestApp {
    /// Opens the sign-in page with no cookies and keeps what it hands out.
    pub async fn anon_browser(&self) -> AnonBrowser {
        let page = self.get("/sign-in", None).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let cookie = page
            .set_cookie("cg_csrf")
            .expect("the sign-in page sets cg_csrf");
        let csrf = page.csrf();
        AnonBrowser { cookie, csrf }
    }

    /// A GET with a raw Cookie header.
    pub async fn get_with_cookie(&self, path: &str, cookie: &str) -> TestResponse {
        let req = Request::builder()
            .method(Method::GET)
            .uri(path)
            .header(header::COOKIE, cookie);
        self.request(req.body(Body::empty()).unwrap()).await
    }

    /// A form post with exactly these fields (no token added) and an
    /// optional raw Cookie header.
    pub async fn post_raw(
        &self,
        path: &str,
        cookie: Option<&str>,
        fields: &[(&str, &str)],
    ) -> TestResponse {
        let mut req = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c);
        }
        let body = serde_urlencoded::to_string(fields).unwrap();
        self.request(req.body(Body::from(body)).unwrap()).await
    }

    /// A form post from a browser that has not signed in, with its token.
    pub async fn post_anon(
        &self,
        browser: &AnonBrowser,
        path: &str,
        fields: &[(&str, &str)],
    ) -> TestResponse {
        let mut all = fields.to_vec();
        all.push(("csrf", &browser.csrf));
        self.post_raw(path, Some(&browser.cookie_header()), &all)
            .await
    }

    /// Signs in through the sign-in form, as a browser would.
    pub async fn sign_in_form(&self, email: &str, password: &str) -> TestResponse {
        let browser = self.anon_browser().await;
        self.post_anon(
            &browser,
            "/sign-in",
            &[("email", email), ("password", password)],
        )
        .await
    }

    /// The same person, but using the browser session `session`; the form
    /// token is read from the home page.
    pub async fn with_session(&self, who: &Person, session: &str) -> Person {
        let home = self
            .get_with_cookie("/", &format!("cg_session={session}"))
            .await;
        assert_eq!(home.status, StatusCode::OK, "{}", home.body);
        Person {
            session: session.to_string(),
            csrf: home.csrf(),
            ..who.clone()
        }
    }

    /// Like [`TestApp::person`], but reuses one password hash, for tests
    /// that need many people.
    pub async fn quick_person(&self, name: &str) -> Person {
        static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        let password = "correct horse battery staple".to_string();
        let hash = HASH
            .get_or_init(|| {
                commonground_web::passwords::hash_now("correct horse battery staple").unwrap()
            })
            .clone();
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let email = format!("{}.{n}@example.org", name.to_lowercase().replace(' ', "."));
        let now = self.state.clock.now();
        let mut tx = self.state.store.write().await.unwrap();
        let user = tx
            .create_user(&email, name, &hash, false, now)
            .await
            .unwrap();
        let session = tx.create_session(user.id, None, now).await.unwrap();
        let csrf = tx.session(&session, now).await.unwrap().unwrap().csrf_token;
        let (_, token) = tx.create_api_token(user.id, "tests", now).await.unwrap();
        tx.commit().await.unwrap();
        Person {
            id: user.id,
            name: name.into(),
            email,
            password,
            session,
            csrf,
            token,
        }
    }
}

/// Every `Set-Cookie` header of a response, whole.
pub fn set_cookie_headers(r: &TestResponse) -> Vec<String> {
    r.headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(str::to_string)
        .collect()
}

// --- what the world holds, for checking what a request changed ---

/// A [`Snapshot`] with the database's whole contents it was read from
/// (see [`TestApp::seen_since`]).
#[derive(Debug, Clone)]
pub struct Seen {
    pub contents: String,
    pub snapshot: Snapshot,
}

/// Everything a route might change, read back from the database as lines of
/// text: people, organisations and their profiles, members and their roles,
/// open invitations to join, tokens, sessions and the organisation each acts
/// for, collaborations with their stage, participants and their roles,
/// invitations to collaborate with their status, goals (of collaborations
/// and of organisations), environment items, benefits and risks, and
/// shortlist entries with their notes, the collaboration model and due
/// diligence items. Audit trails are counted separately
/// shortlist entries with their notes, governance bodies, the
/// responsibilities matrix once changed. Audit trails are counted separately
/// (`audit`), so a refusal can be checked to have written none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    pub facts: std::collections::BTreeSet<String>,
    pub audit: std::collections::BTreeSet<String>,
}

impl Snapshot {
    /// The one line starting with `prefix`.
    pub fn line(&self, prefix: &str) -> &str {
        let found: Vec<&String> = self
            .facts
            .iter()
            .filter(|f| f.starts_with(prefix))
            .collect();
        assert_eq!(found.len(), 1, "lines starting {prefix:?}: {found:?}");
        found[0]
    }

    /// Replaces the line starting with `prefix` (if any) with `new`.
    pub fn set(&mut self, prefix: &str, new: String) {
        self.remove(prefix);
        self.facts.insert(new);
    }

    /// Removes the line starting with `prefix`, if there is one.
    pub fn remove(&mut self, prefix: &str) {
        self.facts.retain(|f| !f.starts_with(prefix));
    }

    pub fn add(&mut self, line: String) {
        assert!(
            self.facts.insert(line.clone()),
            "{line:?} was already there"
        );
    }

    /// Lines of `after` starting with `prefix` that `self` does not have.
    pub fn new_lines<'a>(&self, after: &'a Snapshot, prefix: &str) -> Vec<&'a str> {
        after
            .facts
            .iter()
            .filter(|f| f.starts_with(prefix) && !self.facts.contains(*f))
            .map(String::as_str)
            .collect()
    }

    /// The id in `#<id>` right after `prefix` in the one new line of `after`
    /// starting with `prefix` (and containing `with`); "?" when there is not
    /// exactly one such line, so the expected line shows up as missing.
    pub fn new_id(&self, after: &Snapshot, prefix: &str, with: &str) -> String {
        let lines: Vec<&str> = self
            .new_lines(after, prefix)
            .into_iter()
            .filter(|l| l.contains(with))
            .collect();
        match lines[..] {
            [line] => line[prefix.len()..]
                .trim_start_matches('#')
                .split(|c: char| !c.is_ascii_digit())
                .next()
                .unwrap_or_default()
                .to_string(),
            _ => "?".to_string(),
        }
    }

    /// The world after `user_id` deleted their account: their memberships,
    /// tokens, session and calendar feeds are gone, and each of their
    /// organisations' trails has one entry more.
    pub fn after_account_deleted(&self, user_id: i64) -> Snapshot {
        let mut want = self.clone();
        let orgs: Vec<String> = self
            .facts
            .iter()
            .filter_map(|f| {
                f.strip_prefix("member org #")
                    .and_then(|rest| rest.split_once(&format!(" user #{user_id} ")))
                    .map(|(org, _)| org.to_string())
            })
            .collect();
        let mine = [
            format!("token user #{user_id} "),
            format!("session user #{user_id} "),
            format!("calendar-feed user #{user_id} "),
        ];
        want.facts
            .retain(|f| !mine.iter().any(|prefix| f.starts_with(prefix)));
        for org in &orgs {
            want.remove(&format!("member org #{org} user #{user_id} "));
            let prefix = format!("audit org #{org} ");
            if let Some(line) = want.audit.iter().find(|a| a.starts_with(&prefix)).cloned() {
                let n: usize = line[prefix.len()..].parse().unwrap();
                want.audit.remove(&line);
                want.audit.insert(format!("{prefix}{}", n + 1));
            }
        }
        want
    }

    /// What differs from `want`, or None when nothing does.
    pub fn differences(&self, want: &Snapshot, with_audit: bool) -> Option<String> {
        let mut out = Vec::new();
        for f in want.facts.difference(&self.facts) {
            out.push(format!("  missing:    {f}"));
        }
        for f in self.facts.difference(&want.facts) {
            out.push(format!("  unexpected: {f}"));
        }
        if with_audit {
            for f in want.audit.difference(&self.audit) {
                out.push(format!("  audit was:  {f}"));
            }
            for f in self.audit.difference(&want.audit) {
                out.push(format!("  audit now:  {f}"));
            }
        }
        (!out.is_empty()).then(|| out.join("\n"))
    }
}

impl TestApp {
    /// Every row of every table, as text (see
    /// `commonground_store::testing::contents`).
    pub async fn contents(&self) -> String {
        let mut tx = self.state.store.read().await.unwrap();
        commonground_store::testing::contents(&mut tx)
            .await
            .unwrap()
    }

    /// The world as `people` see it, with the database's contents it was
    /// read from. When the database holds exactly what it held when
    /// `before` was read, that is `before` again: a snapshot is read from
    /// the database alone, so equal contents give an equal snapshot, and
    /// reading the whole world back through the store costs far more than
    /// reading its contents.
    pub async fn seen_since(&self, people: &[&Person], before: Option<&Seen>) -> Seen {
        let contents = self.contents().await;
        if let Some(before) = before
            && before.contents == contents
        {
            return before.clone();
        }
        let snapshot = self.snapshot(people).await;
        // Nothing else writes while a test reads its world back.
        assert_eq!(
            self.contents().await,
            contents,
            "the database changed while the world was read back"
        );
        Seen { contents, snapshot }
    }

    /// Reads [`Snapshot`] through the store's public API, seen through the
    /// eyes of `people` (every person the test made).
    pub async fn snapshot(&self, people: &[&Person]) -> Snapshot {
        use std::collections::BTreeSet;
        let now = self.state.clock.now();
        let mut tx = self.state.store.read().await.unwrap();
        let mut facts = BTreeSet::new();
        let mut audit = BTreeSet::new();
        facts.insert(format!("users {}", tx.count_users().await.unwrap()));

        // Every id there is, read in one statement (probing id after id
        // cost a round trip each, which made PostgreSQL runs slow).
        let orgs = tx.count_organisations().await.unwrap();
        let mut org_ids = Vec::new();
        for id in commonground_store::testing::organisation_ids(&mut tx)
            .await
            .unwrap()
        {
            if let Some(o) = tx.organisation(id).await.unwrap() {
                org_ids.push(id);
                facts.insert(format!(
                    "org #{id} {:?} {} mission={:?} activities={:?} charity={:?} company={:?} \
                     org-id={:?} areas={:?} causes={:?} website={:?}",
                    o.name,
                    o.kind.code(),
                    o.mission,
                    o.activities,
                    o.charity_number,
                    o.company_number,
                    o.org_identifier,
                    o.areas_served,
                    o.causes,
                    o.website
                ));
            }
        }
        assert_eq!(org_ids.len() as i64, orgs, "every organisation was found");

        for p in people {
            for m in tx.organisations_of(p.id).await.unwrap() {
                facts.insert(format!("member org #{} user #{} {:?}", m.id, p.id, m.role));
            }
            for t in tx.api_tokens(p.id).await.unwrap() {
                facts.insert(format!(
                    "token user #{} #{} {:?} revoked={}",
                    p.id,
                    t.id,
                    t.label,
                    t.revoked_at.is_some()
                ));
            }
            if let Some(s) = tx.session(&p.session, now).await.unwrap() {
                facts.insert(format!(
                    "session user #{} acting={:?}",
                    p.id, s.acting_organisation_id
                ));
            }
            // Calendar feeds: a new secret changes the hash.
            for (collaboration, hash) in tx.calendar_feeds_of(p.id).await.unwrap() {
                facts.insert(format!(
                    "calendar-feed user #{} collab={collaboration:?} hash={hash}",
                    p.id
                ));
            }
        }

        // Invitations to join, and audit trails, through any member.
        for &org in &org_ids {
            let mut scope = None;
            for p in people {
                if let Some(s) = tx.org_scope(p.id, org).await.unwrap() {
                    scope = Some(s);
                    break;
                }
            }
            let Some(scope) = scope else {
                facts.insert(format!("org #{org} has no member the test knows"));
                continue;
            };
            for i in tx.open_member_invitations(&scope, now).await.unwrap() {
                facts.insert(format!(
                    "member-invitation org #{org} #{} {} {:?}",
                    i.id, i.email, i.role
                ));
            }
            for g in tx.organisation_goals(&scope).await.unwrap() {
                facts.insert(format!(
                    "org-goal org #{org} #{} {} {:?} detail={:?}",
                    g.id,
                    g.benefit.code(),
                    g.title,
                    g.detail
                ));
            }
            let events = tx.organisation_audit(&scope, None, 1000).await.unwrap();
            audit.insert(format!("audit org #{org} {}", events.len()));
        }

        let collabs = tx.count_collaborations().await.unwrap();
        let mut found = 0;
        for id in commonground_store::testing::collaboration_ids(&mut tx)
            .await
            .unwrap()
        {
            let mut scope = None;
            for p in people {
                if let Some(s) = tx.collab_scope(p.id, id).await.unwrap() {
                    scope = Some(s);
                    break;
                }
            }
            let Some(scope) = scope else { continue };
            found += 1;
            let c = tx.collaboration(&scope).await.unwrap();
            facts.insert(format!(
                "collab #{id} {:?} purpose={:?} stage={:?}",
                c.title, c.purpose, c.stage
            ));
            for p in tx.participants(&scope).await.unwrap() {
                facts.insert(format!(
                    "participant collab #{id} org #{} {:?}",
                    p.organisation_id, p.role
                ));
            }
            for i in tx.collaboration_invitations(&scope).await.unwrap() {
                facts.insert(format!(
                    "collab-invitation collab #{id} #{} org #{} {:?} {:?}",
                    i.id, i.organisation_id, i.role, i.status
                ));
            }
            // Readiness rounds, and each known person's own answers.
            for round in tx.readiness_rounds(&scope).await.unwrap() {
                facts.insert(format!(
                    "readiness collab #{id} round {} version-id {}",
                    round.number, round.instrument_id
                ));
                for p in people {
                    for (statement, value) in tx.my_readiness_answers(&round, p.id).await.unwrap() {
                        facts.insert(format!(
                            "readiness-answer collab #{id} round {} user #{} s{statement} {value:?}",
                            round.number, p.id
                        ));
                    }
                }
            }
            for g in tx.collaboration_goals(&scope).await.unwrap() {
                facts.insert(format!(
                    "goal collab #{id} #{} org #{} {} {:?} detail={:?}",
                    g.id,
                    g.organisation_id,
                    g.benefit.code(),
                    g.title,
                    g.detail
                ));
            }
            for e in tx.environment_items(&scope).await.unwrap() {
                facts.insert(format!(
                    "environment collab #{id} #{} org #{} {} {} {:?}",
                    e.id,
                    e.organisation_id,
                    e.framework.code(),
                    e.category.code(),
                    e.text
                ));
            }
            for b in tx.benefits_risks(&scope).await.unwrap() {
                facts.insert(format!(
                    "benefit-risk collab #{id} #{} {} code={:?} {:?} likelihood={} impact={} owner={:?} note={:?}",
                    b.id,
                    b.kind.code(),
                    b.catalogue_code,
                    b.title,
                    b.likelihood,
                    b.impact,
                    b.owner_organisation_id,
                    b.note
                ));
            }
            for e in tx.shortlist(&scope).await.unwrap() {
                facts.insert(format!(
                    "shortlist collab #{id} #{} key={} org-id={:?} org={:?} {:?} {}",
                    e.id,
                    e.entry_key,
                    e.org_identifier,
                    e.organisation_id,
                    e.name,
                    e.status.code()
                ));
                for n in &e.notes {
                    facts.insert(format!(
                        "shortlist-note collab #{id} entry #{} #{} {} {:?} by={:?}",
                        e.id,
                        n.id,
                        n.status.code(),
                        n.note,
                        n.written_by_name
                    ));
                }
            }
            if let Some(m) = tx.chosen_model(&scope).await.unwrap() {
                facts.insert(format!(
                    "model collab #{id} {} v{} reason={:?} by={:?} org={:?}",
                    m.model.code(),
                    m.version,
                    m.reason,
                    m.chosen_by_name,
                    m.organisation_name
                ));
            }
            for d in tx.due_diligence(&scope).await.unwrap() {
                facts.insert(format!(
                    "due-diligence collab #{id} {} {} v{} owner={:?} note={:?}",
                    d.area.code(),
                    d.status.code(),
                    d.version,
                    d.owner_organisation_id,
                    d.note
                ));
            }
            let set = tx.aim_set(&scope).await.unwrap();
            if set.version > 0 {
                facts.insert(format!("aim-set collab #{id} version {}", set.version));
            }
            for a in &set.aims {
                facts.insert(format!(
                    "aim collab #{id} #{} {:?} indicator={:?} baseline={:?} target={:?} date={:?} benefit={:?} v{}",
                    a.id, a.title, a.indicator, a.baseline, a.target, a.target_date, a.benefit_id, a.version
                ));
            }
            for a in &set.approvals {
                facts.insert(format!(
                    "aim-approval collab #{id} #{} org #{} v{}",
                    a.id, a.organisation_id, a.version
                ));
            }
            for summary in tx.agreements(&scope).await.unwrap() {
                let aid = summary.id;
                let a = tx.agreement(&scope, aid).await.unwrap().unwrap();
                facts.insert(format!(
                    "agreement collab #{id} #{aid} {} v{}",
                    summary.kind.code(),
                    summary.version
                ));
                for s in &a.sections {
                    facts.insert(format!(
                        "agreement-section #{aid} {} v{} {:?}",
                        s.key, s.version, s.text
                    ));
                }
                for x in &a.approvals {
                    facts.insert(format!(
                        "agreement-approval #{aid} #{} org #{} v{}",
                        x.id, x.organisation_id, x.version
                    ));
                }
                for c in tx.agreement_comments(&scope, aid).await.unwrap() {
                    facts.insert(format!(
                        "agreement-comment #{aid} #{} {} {:?}",
                        c.id, c.section_key, c.body
                    ));
                }
            }
            for b in tx.governance_bodies(&scope).await.unwrap() {
                let members: Vec<String> = b
                    .members
                    .iter()
                    .map(|m| format!("{}@{}", m.user_id, m.organisation_id))
                    .collect();
                facts.insert(format!(
                    "governance collab #{id} #{} {:?} purpose={:?} rule={} quorum={} meets={} chair={:?} members={members:?} version={}",
                    b.id,
                    b.name,
                    b.purpose,
                    b.decision_rule.code(),
                    b.quorum,
                    b.meets.code(),
                    b.chair.as_ref().map(|c| c.user_id),
                    b.version
                ));
            }
            let m = tx.responsibility_matrix(&scope).await.unwrap();
            if m.version > 0 {
                let functions: Vec<&str> = m
                    .functions
                    .iter()
                    .filter(|f| f.custom_id.is_some())
                    .map(|f| f.name.as_str())
                    .collect();
                let cells: Vec<String> = m
                    .cells
                    .iter()
                    .map(|(k, o, r)| format!("{k}@{o}={}", r.code()))
                    .collect();
                facts.insert(format!(
                    "responsibilities collab #{id} version={} functions={functions:?} cells={cells:?}",
                    m.version
                ));
            }
            for w in tx.workstreams(&scope).await.unwrap() {
                facts.insert(format!(
                    "workstream collab #{id} #{} {:?} desc={:?}",
                    w.id, w.name, w.description
                ));
            }
            let (_, tasks) = tx
                .tasks(
                    &scope,
                    &Default::default(),
                    "2000-01-01",
                    commonground_store::tasks::Page {
                        number: 1,
                        size: 100_000,
                    },
                )
                .await
                .unwrap();
            for t in tasks {
                facts.insert(format!(
                    "task collab #{id} #{} {:?} owner={} assignee={:?} ws={:?} {:?}..{:?} {} v{} milestone={} reason={:?} desc={:?}",
                    t.id,
                    t.title,
                    t.owner_organisation_id,
                    t.assignee_id,
                    t.workstream_id,
                    t.start_on,
                    t.due_on,
                    t.status.code(),
                    t.version,
                    t.milestone,
                    t.done_reason,
                    t.description
                ));
            }
            for (a, b) in tx.dependency_edges(&scope).await.unwrap() {
                facts.insert(format!("dependency collab #{id} task #{a} on #{b}"));
            }
            // Who is who and meetings (the first page of meetings is enough
            // for the worlds the tests make).
            for k in tx.contacts(&scope).await.unwrap() {
                facts.insert(format!(
                    "contact collab #{id} #{} org #{} {:?} {} {:?} {:?} member={:?} v{}",
                    k.id,
                    k.organisation_id,
                    k.name,
                    k.role.code(),
                    k.email,
                    k.phone,
                    k.member_id,
                    k.version
                ));
            }
            for summary in tx.meetings(&scope, "2000-01-01", 0).await.unwrap() {
                let m = tx.meeting(&scope, summary.id).await.unwrap().unwrap();
                facts.insert(format!(
                    "meeting collab #{id} #{} {:?} body={:?} {} {} {}min {:?} minutes={:?} agenda={:?} decisions={:?} v{}",
                    m.id,
                    m.title,
                    m.body_id,
                    m.held_on,
                    m.starts_at,
                    m.duration_minutes,
                    m.place,
                    m.minutes,
                    m.agenda,
                    m.decisions,
                    m.version
                ));
                for a in &m.attendance {
                    facts.insert(format!(
                        "meeting-attendance collab #{id} meeting #{} user={:?} org={:?} {:?} {}",
                        m.id,
                        a.user_id,
                        a.organisation_id,
                        a.name,
                        a.status.code()
                    ));
                }
                for a in &m.actions {
                    facts.insert(format!(
                        "meeting-action collab #{id} meeting #{} task #{}",
                        m.id, a.task_id
                    ));
                }
            }
            // Health check rounds and what was answered in them.
            for r in tx.health_rounds(&scope, 0).await.unwrap() {
                facts.insert(format!(
                    "health-round collab #{id} #{} n={} {} closes={} closed={} invited={} respondents={}",
                    r.id,
                    r.number,
                    r.kind.code(),
                    r.closes_on,
                    r.closed_at.is_some(),
                    r.invited,
                    r.respondents
                ));
                // Responses carry no names: the same answers from two
                // people of one organisation show as one line, counted.
                let mut same: std::collections::BTreeMap<String, usize> = Default::default();
                for x in tx.health_responses(r.id).await.unwrap() {
                    *same
                        .entry(format!(
                            "health-response round #{} org #{} {:?} comment={:?}",
                            r.id, x.organisation_id, x.answers, x.comment
                        ))
                        .or_default() += 1;
                }
                for (line, n) in same {
                    facts.insert(format!("{line} x{n}"));
                }
            }
            // Proposals put to a vote, with their votes.
            let (_, proposals) = tx
                .proposals(
                    &scope,
                    commonground_store::tasks::Page {
                        number: 1,
                        size: 100_000,
                    },
                )
                .await
                .unwrap();
            let pids: Vec<i64> = proposals.iter().map(|p| p.id).collect();
            for p in &proposals {
                facts.insert(format!(
                    "proposal collab #{id} #{} {:?} body={:?} {} closes={} closed={:?} by={:?} outcome={:?} result={:?} decision={:?}",
                    p.id,
                    p.title,
                    p.body_id,
                    p.decision_rule.code(),
                    p.closes_on,
                    p.closed_at.is_some(),
                    p.closed_by_name,
                    p.outcome,
                    p.result.map(|r| r.code()),
                    p.decision_id
                ));
            }
            for v in tx.proposal_votes(&scope, &pids).await.unwrap() {
                facts.insert(format!(
                    "vote proposal #{} org #{} {} {:?} by {:?}",
                    v.proposal_id,
                    v.organisation_id,
                    v.choice.code(),
                    v.reason,
                    v.voter_name
                ));
            }
            // The risk register and each risk's score history.
            let (_, risks) = tx
                .risks(
                    &scope,
                    &Default::default(),
                    "2000-01-01",
                    commonground_store::tasks::Page {
                        number: 1,
                        size: 100_000,
                    },
                )
                .await
                .unwrap();
            for r in risks {
                facts.insert(format!(
                    "risk collab #{id} #{} {:?} {} l={} i={} owner={:?} person={:?} mitigation={:?} review={:?} {} source={:?} v{} desc={:?}",
                    r.id,
                    r.title,
                    r.category,
                    r.likelihood,
                    r.impact,
                    r.owner_organisation_id,
                    r.owner_person_id,
                    r.mitigation,
                    r.review_on,
                    r.status.code(),
                    r.source,
                    r.version,
                    r.description
                ));
                for h in tx.risk_history(&scope, r.id).await.unwrap() {
                    facts.insert(format!(
                        "risk history collab #{id} risk #{} {}x{} to {}x{} by {:?}",
                        r.id,
                        h.from_likelihood,
                        h.from_impact,
                        h.to_likelihood,
                        h.to_impact,
                        h.changed_by_name
                    ));
                }
            }
            // The problem and decisions logs.
            let (_, problems) = tx
                .problems(
                    &scope,
                    &Default::default(),
                    commonground_store::tasks::Page {
                        number: 1,
                        size: 100_000,
                    },
                )
                .await
                .unwrap();
            for p in problems {
                facts.insert(format!(
                    "problem collab #{id} #{} {:?} {} {} owner={} person={:?} rung={} v{} resolution={:?}",
                    p.id,
                    p.description,
                    p.severity.code(),
                    p.status.code(),
                    p.owner_organisation_id,
                    p.owner_person_id,
                    p.rung,
                    p.version,
                    p.resolution
                ));
                for e in tx.escalations(&scope, p.id).await.unwrap() {
                    facts.insert(format!(
                        "escalation problem #{} {}->{} by #{:?} {:?}",
                        p.id, e.from_rung, e.to_rung, e.escalated_by, e.reason
                    ));
                }
            }
            let (_, decisions) = tx
                .decisions(
                    &scope,
                    None,
                    commonground_store::tasks::Page {
                        number: 1,
                        size: 100_000,
                    },
                )
                .await
                .unwrap();
            for d in decisions {
                facts.insert(format!(
                    "decision collab #{id} #{} {:?} {:?} {} {} body={:?} by={:?}",
                    d.id,
                    d.title,
                    d.decided,
                    d.decided_on,
                    d.how.code(),
                    d.governance_body_id,
                    d.recorded_by
                ));
                for l in tx.decision_links(&scope, d.id).await.unwrap() {
                    facts.insert(format!(
                        "decision-link #{} {} #{}",
                        d.id,
                        l.kind.code(),
                        l.id
                    ));
                }
            }
            // Recurring tasks.
            let (_, series) = tx
                .series_list(
                    &scope,
                    commonground_store::tasks::Page {
                        number: 1,
                        size: 100_000,
                    },
                )
                .await
                .unwrap();
            for r in series {
                facts.insert(format!(
                    "series collab #{id} #{} {:?} owner={} assignee={:?} ws={:?} aim={:?} {} {}..{:?} last={} ended={} by={:?} v{}",
                    r.id,
                    r.title,
                    r.owner_organisation_id,
                    r.assignee_id,
                    r.workstream_id,
                    r.aim_id,
                    r.repeats.code(),
                    r.first_on,
                    r.ends_on,
                    r.last_made_on,
                    r.ended_at.is_some(),
                    r.ended_by_name,
                    r.version
                ));
            }
            // The communications plan and each item's log.
            let (_, comms) = tx
                .comms_items(
                    &scope,
                    &Default::default(),
                    commonground_store::tasks::Page {
                        number: 1,
                        size: 100_000,
                    },
                )
                .await
                .unwrap();
            for i in comms {
                facts.insert(format!(
                    "comms collab #{id} #{} {:?} {:?} {:?} {} owner={:?} person={:?} {} {} due={:?} {} v{}",
                    i.id,
                    i.audience,
                    i.purpose,
                    i.key_message,
                    i.channel.code(),
                    i.owner_organisation_id,
                    i.owner_person_id,
                    i.timing.code(),
                    i.on_date,
                    i.next_due_on,
                    i.status.code(),
                    i.version
                ));
                for e in tx.comms_log(&scope, i.id).await.unwrap() {
                    facts.insert(format!(
                        "comms-log collab #{id} item #{} #{} {} {:?} {} link={:?} notes={:?} by={:?}",
                        i.id,
                        e.id,
                        e.sent_on,
                        e.what,
                        e.channel.code(),
                        e.link,
                        e.notes,
                        e.recorded_by_name
                    ));
                }
            }
            // The aims review: one line per aim that has a review.
            for a in tx.reviewed_aims(&scope).await.unwrap() {
                if let Some(r) = &a.review {
                    facts.insert(format!(
                        "aim-review collab #{id} aim #{} {} actual={:?} evidence={:?} links={:?} by={:?} org={:?} v{}",
                        a.aim_id,
                        r.outcome.code(),
                        r.actual,
                        r.evidence,
                        r.links,
                        r.recorded_by_name,
                        r.organisation_name,
                        r.version
                    ));
                }
            }
            // The lessons learned, all of them.
            let (_, lessons) = tx
                .lessons(
                    &scope,
                    commonground_store::tasks::Page {
                        number: 1,
                        size: 100_000,
                    },
                )
                .await
                .unwrap();
            for l in lessons {
                facts.insert(format!(
                    "lesson collab #{id} #{} {} {} {:?} by={:?} org={:?} v{}{}",
                    l.id,
                    l.stage.code(),
                    l.kind.code(),
                    l.text,
                    l.recorded_by_name,
                    l.organisation_name,
                    l.version,
                    if l.from_previous_cycle {
                        " from-previous-cycle"
                    } else {
                        ""
                    }
                ));
            }
            // The way forward: the partners' positions, the ways put to
            // them, and the links between cycles.
            for p in tx.forward_positions(&scope).await.unwrap() {
                if let Some(x) = p.position {
                    facts.insert(format!(
                        "forward-position collab #{id} org #{} {} reasons={:?} steps={:?} by={:?} v{}",
                        p.organisation_id,
                        x.option.code(),
                        x.reasons,
                        x.next_steps,
                        x.recorded_by_name,
                        x.version
                    ));
                }
            }
            for w in tx.forward_ways(&scope).await.unwrap() {
                facts.insert(format!(
                    "way-forward collab #{id} #{} proposal #{} {} reasons={:?} steps={:?} by={:?}",
                    w.id,
                    w.proposal_id,
                    w.option.code(),
                    w.reasons,
                    w.next_steps,
                    w.proposed_by_name
                ));
            }
            let (previous, next) = tx.cycle_links(&scope).await.unwrap();
            if previous.is_some() || next.is_some() {
                facts.insert(format!(
                    "cycle collab #{id} previous={previous:?} next={next:?}"
                ));
            }
            let events = tx.collaboration_audit(&scope, None, 1000).await.unwrap();
            audit.insert(format!("audit collab #{id} {}", events.len()));
        }
        assert_eq!(found, collabs, "every collaboration was found");
        Snapshot { facts, audit }
    }
}

/// The PDF's text as poppler's pdftotext reads it; None (loudly) when it is
/// not installed, except in CI, where it must be.
pub fn pdftotext(bytes: &[u8]) -> Option<String> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.pdf");
    std::fs::write(&file, bytes).unwrap();
    match std::process::Command::new("pdftotext")
        .arg("-enc")
        .arg("UTF-8")
        .arg(&file)
        .arg("-")
        .output()
    {
        Ok(out) => {
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            // Lines are wrapped; join them so phrases can be found whole.
            let text = String::from_utf8(out.stdout).unwrap();
            Some(text.split_whitespace().collect::<Vec<_>>().join(" "))
        }
        Err(e) => {
            if std::env::var_os("CI").is_some() {
                panic!("pdftotext is needed in CI (poppler-utils): {e}");
            }
            eprintln!(
                "\n*** SKIPPED reading the PDF: pdftotext (poppler-utils) is not installed ***\n"
            );
            None
        }
    }
}
