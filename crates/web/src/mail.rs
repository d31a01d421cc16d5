//! Sending email: over SMTP when configured, otherwise into a folder of
//! `.eml` files (the outbox) under the data directory.

use lettre::message::{Mailbox, header::ContentType};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::path::PathBuf;

#[derive(Clone)]
pub enum Mailer {
    Outbox {
        dir: PathBuf,
        from: Mailbox,
    },
    Smtp {
        transport: AsyncSmtpTransport<Tokio1Executor>,
        from: Mailbox,
    },
}

impl Mailer {
    pub fn new(
        smtp_url: Option<&str>,
        from: &str,
        data_dir: &std::path::Path,
    ) -> Result<Mailer, String> {
        let from: Mailbox = from
            .parse()
            .map_err(|e| format!("The sender address {from:?} is not valid: {e}"))?;
        match smtp_url {
            Some(url) if !url.trim().is_empty() => {
                let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url.trim())
                    .map_err(|e| format!("SMTP_URL could not be used: {e}"))?
                    .build();
                Ok(Mailer::Smtp { transport, from })
            }
            _ => Ok(Mailer::Outbox {
                dir: data_dir.join("outbox"),
                from,
            }),
        }
    }

    pub fn describe(&self) -> String {
        match self {
            Mailer::Outbox { dir, .. } => format!("emails are written to {}", dir.display()),
            Mailer::Smtp { .. } => "emails are sent over SMTP".into(),
        }
    }

    /// Sends a plain-text message. Errors are returned for the caller to log.
    pub async fn send(&self, to: &str, subject: &str, body: String) -> Result<(), String> {
        let to: Mailbox = to
            .parse()
            .map_err(|e| format!("bad recipient {to:?}: {e}"))?;
        let from = match self {
            Mailer::Outbox { from, .. } | Mailer::Smtp { from, .. } => from.clone(),
        };
        let message = Message::builder()
            .from(from)
            .to(to)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body)
            .map_err(|e| e.to_string())?;
        match self {
            Mailer::Smtp { transport, .. } => transport
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| e.to_string()),
            Mailer::Outbox { dir, .. } => {
                let bytes = message.formatted();
                let dir = dir.clone();
                tokio::task::spawn_blocking(move || write_eml(&dir, &bytes))
                    .await
                    .map_err(|e| e.to_string())?
            }
        }
    }
}

/// Writes one message atomically: a temporary name, then a rename.
fn write_eml(dir: &std::path::Path, bytes: &[u8]) -> Result<(), String> {
    use std::io::Write;
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_micros())
        .unwrap_or(0);
    let mut rnd = [0u8; 4];
    getrandom::fill(&mut rnd).map_err(|e| e.to_string())?;
    let name = format!(
        "{now}-{:02x}{:02x}{:02x}{:02x}",
        rnd[0], rnd[1], rnd[2], rnd[3]
    );
    let tmp = dir.join(format!(".{name}.tmp"));
    let mut f = std::fs::File::create(&tmp).map_err(|e| e.to_string())?;
    f.write_all(bytes).map_err(|e| e.to_string())?;
    f.sync_all().map_err(|e| e.to_string())?;
    std::fs::rename(&tmp, dir.join(format!("{name}.eml"))).map_err(|e| e.to_string())
}
