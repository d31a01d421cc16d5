//! The Common Ground web server: pages, the JSON API, sign-in and the
//! policy glue. Handlers stay thin: parse, call an action, render.

pub mod actions;
pub mod api;
pub mod auth;
pub mod cache;
pub mod clock;
pub mod config;
pub mod error;
pub mod extract;
pub mod mail;
pub mod pages;
pub mod passwords;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, header};
use axum::response::IntoResponse;
use axum::routing::get;
use commonground_store::Store;
use std::sync::Arc;
use std::time::Duration;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use clock::Clock;
pub use config::Config;
pub use error::AppError;
pub use mail::Mailer;

/// Largest request body accepted anywhere.
pub const BODY_LIMIT: usize = 64 * 1024;

/// Charts by the current and the previous round's ids, kept with both
/// rounds' revisions.
pub type ChartCache = cache::Versioned<(i64, Option<i64>), (i64, Option<i64>), String>;

/// What every request can reach. The server keeps no state of its own: all
/// of it is in the database, so several servers can share one PostgreSQL.
/// What it keeps in memory is a copy that it renews (see each field).
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<Config>,
    pub mailer: Mailer,
    pub clock: Clock,
    /// The partner directory's search index: a per-server cache of the
    /// database, built on first use (or at start by `serve`) and kept up to
    /// date from the database's change sequence. See [`AppState::directory`].
    pub directory: Arc<tokio::sync::OnceCell<commonground_store::directory::Directory>>,
    /// Readiness questionnaires by id. Their rows are only ever inserted
    /// (by migrations, one set per version) and never changed, so every
    /// server may keep the ones it has read.
    pub instruments: Arc<
        std::sync::RwLock<
            std::collections::HashMap<i64, Arc<commonground_domain::readiness::Instrument>>,
        >,
    >,
    /// Readiness results by round, kept with the round's revision (which a
    /// trigger raises with every change to its answers): see
    /// [`actions::readiness`].
    pub readiness_results: Arc<cache::Versioned<i64, i64, actions::readiness::Combined>>,
    /// The combined readiness chart, by the current and the previous
    /// round, kept with both rounds' revisions.
    pub readiness_charts: Arc<ChartCache>,
    /// Sessions and API tokens read in the last second; see
    /// [`auth::SignInCache`].
    pub sign_ins: Arc<auth::SignInCache>,
    /// Every stage's checklist facts by collaboration, kept with the
    /// collaboration's content revision: see [`actions::stages`].
    pub stage_facts: Arc<actions::stages::StageFactsCache>,
    /// The task forms' choices (workstreams, organisations, people, aims)
    /// by collaboration, kept with its content revision and its
    /// organisations': see [`actions::tasks::choices_at`].
    pub task_choices: Arc<cache::Versioned<i64, (i64, i64), actions::tasks::Choices>>,
    /// Whole-story reports by collaboration and format, kept with the
    /// collaboration's content revision: see [`actions::story`].
    pub story_reports: Arc<actions::story::StoryCache>,
    /// Closed health check rounds' results by round, kept with their
    /// number of responses: see [`actions::health_checks`].
    pub health_results: Arc<actions::health_checks::HealthResultsCache>,
    /// Health check questionnaires by id: see
    /// [`actions::health_checks::Questionnaires`].
    pub questionnaires: Arc<actions::health_checks::Questionnaires>,
    /// The API's pages of tasks and the collaborations' calendar feeds,
    /// kept with the collaboration's revisions: see
    /// [`actions::tasks::KeptLists`].
    pub kept_lists: Arc<actions::tasks::KeptLists>,
    /// People's "my tasks" (page, API, calendar feed), kept with the
    /// revisions of everything they show: see [`actions::tasks::KeptMine`].
    pub kept_mine: Arc<actions::tasks::KeptMine>,
    /// Pages whose content is the same for everyone who may see them
    /// (a meeting with everyone who could attend), kept with their
    /// collaboration's revisions: see [`cache::KeptPages`].
    pub kept_pages: Arc<cache::KeptPages>,
    /// API answers made from a collaboration's content (the plan of
    /// communications, the recurring tasks), kept by the same rule: see
    /// [`cache::KeptAnswers`].
    pub kept_answers: Arc<cache::KeptAnswers>,
    /// Pages of people's collaborations, kept with their entries'
    /// revisions: see [`actions::collaborations::KeptMyCollaborations`].
    pub kept_my_collaborations: Arc<actions::collaborations::KeptMyCollaborations>,
}

impl AppState {
    pub fn new(store: Store, config: Config) -> Result<Self, String> {
        let mailer = Mailer::new(
            config.smtp_url.as_deref(),
            &config.mail_from,
            &config.data_dir,
        )?;
        Ok(AppState {
            store,
            config: Arc::new(config),
            mailer,
            clock: Clock::default(),
            directory: Arc::default(),
            instruments: Arc::default(),
            readiness_results: Arc::new(cache::Versioned::new(4096)),
            readiness_charts: Arc::new(cache::Versioned::new(1024)),
            sign_ins: Arc::default(),
            stage_facts: Arc::new(cache::Versioned::new(4096)),
            task_choices: Arc::new(cache::Versioned::new(4096)),
            story_reports: Arc::new(cache::Versioned::new(64)),
            health_results: Arc::new(cache::Versioned::new(4096)),
            // Two questionnaires today; one more with each new version.
            questionnaires: Arc::new(cache::Versioned::new(64)),
            // A whole plan's JSON is about 300 KB: at most some 20 MB.
            kept_lists: Arc::new(cache::Versioned::new(64)),
            // A page of one person's tasks is about 30 KB; a whole personal
            // calendar feed rarely more than 100 KB.
            kept_mine: Arc::new(cache::Versioned::new(256)),
            // A meeting of 300 people is about 150 KB.
            kept_pages: Arc::new(cache::Versioned::new(128)),
            // A page of 100 communications items is about 60 KB.
            kept_answers: Arc::new(cache::Versioned::new(128)),
            // A page of 25 collaborations with their partners is about
            // 15 KB: at most some 30 MB.
            kept_my_collaborations: Arc::new(cache::Versioned::new(2048)),
        })
    }

    /// A readiness questionnaire, from memory after the first read.
    pub async fn readiness_instrument(
        &self,
        tx: &mut commonground_store::Tx,
        id: i64,
    ) -> Result<Arc<commonground_domain::readiness::Instrument>, commonground_store::StoreError>
    {
        if let Some(found) = self
            .instruments
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .get(&id)
        {
            return Ok(Arc::clone(found));
        }
        let instrument = Arc::new(tx.readiness_instrument(id).await?);
        self.instruments
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .insert(id, Arc::clone(&instrument));
        Ok(instrument)
    }

    /// The directory's search index, built from the database the first
    /// time it is needed, then refreshed every second in the background so
    /// that changes made through any server are found within seconds.
    pub async fn directory(
        &self,
    ) -> Result<&commonground_store::directory::Directory, commonground_store::StoreError> {
        self.directory
            .get_or_try_init(|| async {
                let directory = commonground_store::directory::Directory::open(&self.store).await?;
                directory.spawn_refresher(self.store.clone(), Duration::from_secs(1));
                Ok(directory)
            })
            .await
    }
}

/// The policy for a document that is one whole file (an HTML report or
/// export, opened in the browser or saved): it fetches nothing and runs
/// nothing, and its own inline style and SVG apply. The pages' policy
/// allows only the site's stylesheet, which left these files unstyled.
pub(crate) const ONE_FILE_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; \
     frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/// The whole application.
pub fn router(state: AppState) -> Router {
    let csp = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
               form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";
    // Behind HTTPS, tell browsers to keep using it.
    let hsts = if state.config.secure_cookies() {
        HeaderValue::from_static("max-age=31536000")
    } else {
        HeaderValue::from_static("max-age=0")
    };
    Router::new()
        .merge(pages::routes(state.clone()))
        .merge(api::routes())
        .route("/healthz", get(healthz))
        .route("/static/app.css", get(pages::stylesheet))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(30),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(csp),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::STRICT_TRANSPORT_SECURITY,
            hsts,
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(CatchPanicLayer::custom(|_| {
            AppError::Internal("a request handler panicked".into()).into_response()
        }))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// For load balancers: answers at once, touches nothing.
async fn healthz() -> impl IntoResponse {
    ([(header::CACHE_CONTROL, "no-store")], "ok")
}

/// An SVG image as a response. Charts show one collaboration's results, so
/// they are never cached by shared caches.
pub fn svg_response(svg: impl Into<axum::body::Body>) -> axum::response::Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("image/svg+xml; charset=utf-8"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-store"),
            ),
        ],
        svg.into(),
    )
        .into_response()
}
