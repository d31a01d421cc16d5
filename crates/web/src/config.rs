//! Settings the web layer needs, gathered by the command line.

use std::path::PathBuf;

#[derive(Debug, Clone)]
pub struct Config {
    /// Where the SQLite database and the email outbox live.
    pub data_dir: PathBuf,
    /// The address people use to reach the site, for links in emails.
    pub public_url: String,
    /// Take the client's address from `X-Forwarded-For`, set by a reverse proxy.
    pub trust_proxy: bool,
    /// `smtp://user:pass@host:587` or `smtps://…`; None writes to the outbox.
    pub smtp_url: Option<String>,
    /// The sender of every email.
    pub mail_from: String,
    /// How readiness check results are judged: strength and borderline
    /// thresholds, what spread counts as disagreement, and how many people
    /// must answer before results are shown.
    pub readiness: commonground_domain::readiness::Thresholds,
    /// How many people must stand behind any health check figure before it
    /// is shown (never fewer than 3).
    pub health_threshold: commonground_domain::health_checks::Threshold,
    /// How often, in seconds, the notification job runs: it creates due
    /// and overdue reminders and sends waiting emails and digests. 0 turns
    /// it off (tests run it by hand).
    pub notification_interval_secs: u64,
}

impl Config {
    pub fn for_data_dir(data_dir: impl Into<PathBuf>) -> Self {
        Config {
            data_dir: data_dir.into(),
            public_url: "http://127.0.0.1:8080".into(),
            trust_proxy: false,
            smtp_url: None,
            mail_from: "Common Ground <no-reply@commonground.invalid>".into(),
            readiness: Default::default(),
            health_threshold: Default::default(),
            notification_interval_secs: 0,
        }
    }

    /// Cookies get the Secure flag when the public address is https.
    pub fn secure_cookies(&self) -> bool {
        self.public_url.starts_with("https://")
    }

    pub fn link(&self, path: &str) -> String {
        format!("{}{}", self.public_url.trim_end_matches('/'), path)
    }
}
