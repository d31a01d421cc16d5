//! Notifications: the kinds of thing a person is told about, how each
//! reaches them (at once by email, in a daily digest, or in the app only),
//! and when a task's reminder is due.

use crate::FieldErrors;

/// How many days before its due date a task's assignee is reminded.
pub const DUE_SOON_DAYS: i64 = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Assigned,
    DependencyDone,
    DueSoon,
    Overdue,
    ApprovalNeeded,
    VoteOpened,
    VoteClosingSoon,
    ProblemEscalated,
}

impl Kind {
    pub const ALL: [Kind; 8] = [
        Kind::Assigned,
        Kind::DependencyDone,
        Kind::DueSoon,
        Kind::Overdue,
        Kind::ApprovalNeeded,
        Kind::VoteOpened,
        Kind::VoteClosingSoon,
        Kind::ProblemEscalated,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Kind::Assigned => "assigned",
            Kind::DependencyDone => "dependency_done",
            Kind::DueSoon => "due_soon",
            Kind::Overdue => "overdue",
            Kind::ApprovalNeeded => "approval_needed",
            Kind::VoteOpened => "vote_opened",
            Kind::VoteClosingSoon => "vote_closing_soon",
            Kind::ProblemEscalated => "problem_escalated",
        }
    }

    pub fn parse_code(code: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// What the kind is, as a settings page names it.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Assigned => "A task is assigned to me",
            Kind::DependencyDone => "A task my task depends on is done",
            Kind::DueSoon => "A task of mine is due in 3 days",
            Kind::Overdue => "A task of mine is overdue",
            Kind::ApprovalNeeded => "My organisation's approval is needed",
            Kind::VoteOpened => "A vote opened",
            Kind::VoteClosingSoon => "A vote closes soon",
            Kind::ProblemEscalated => "A problem was escalated to me",
        }
    }

    /// Reminders about dates are gathered into the digest; what someone
    /// else did is sent at once.
    pub fn default_delivery(self) -> Delivery {
        match self {
            Kind::DueSoon | Kind::Overdue => Delivery::Digest,
            _ => Delivery::Immediately,
        }
    }
}

/// How a kind of notification reaches a person. Every notification is
/// listed in the app; this decides the email.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    Immediately,
    Digest,
    Never,
}

impl Delivery {
    pub const ALL: [Delivery; 3] = [Delivery::Immediately, Delivery::Digest, Delivery::Never];

    pub fn code(self) -> &'static str {
        match self {
            Delivery::Immediately => "immediately",
            Delivery::Digest => "digest",
            Delivery::Never => "never",
        }
    }

    pub fn parse_code(code: &str) -> Option<Delivery> {
        Delivery::ALL.into_iter().find(|d| d.code() == code.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            Delivery::Immediately => "Email me at once",
            Delivery::Digest => "In a daily digest email",
            Delivery::Never => "No email (in the app only)",
        }
    }

    /// The email state a new notification starts in.
    pub fn email_state(self) -> &'static str {
        match self {
            Delivery::Immediately => "pending",
            Delivery::Digest => "digest",
            Delivery::Never => "none",
        }
    }
}

/// A person's choice for every kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings(pub Vec<(Kind, Delivery)>);

impl Settings {
    /// Every kind at its default, then the person's choices over them.
    pub fn with_choices(choices: &[(Kind, Delivery)]) -> Settings {
        Settings(
            Kind::ALL
                .into_iter()
                .map(|k| {
                    let d = choices
                        .iter()
                        .find(|(c, _)| *c == k)
                        .map(|(_, d)| *d)
                        .unwrap_or(k.default_delivery());
                    (k, d)
                })
                .collect(),
        )
    }

    pub fn get(&self, kind: Kind) -> Delivery {
        self.0
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, d)| *d)
            .unwrap_or(kind.default_delivery())
    }

    /// Reads choices sent as (kind code, delivery code) pairs. A kind left
    /// out keeps `current`; an unknown kind or delivery is a field error
    /// named by the kind's code.
    pub fn parse(current: &Settings, sent: &[(String, String)]) -> Result<Settings, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut out = current.0.clone();
        for (kind, delivery) in sent {
            let Some(k) = Kind::parse_code(kind) else {
                errors.add(
                    kind.as_str(),
                    "This is not a kind of notification. Use one of the kinds listed.",
                );
                continue;
            };
            match Delivery::parse_code(delivery) {
                Some(d) => {
                    if let Some(slot) = out.iter_mut().find(|(x, _)| *x == k) {
                        slot.1 = d;
                    }
                }
                None => errors.add(
                    k.code(),
                    "Choose at once, in the daily digest, or no email.",
                ),
            }
        }
        errors.into_result()?;
        Ok(Settings(out))
    }
}

/// Which reminder a task's assignee gets today: overdue once the due
/// date has passed, due soon within [`DUE_SOON_DAYS`] of it, else none.
/// `today` and `soon` (today plus the days) are `YYYY-MM-DD`.
pub fn reminder_for(due_on: &str, today: &str, soon: &str) -> Option<Kind> {
    if due_on < today {
        Some(Kind::Overdue)
    } else if due_on <= soon {
        Some(Kind::DueSoon)
    } else {
        None
    }
}

/// The key that makes a task's reminder once per (task, due date).
pub fn reminder_key(kind: Kind, task_id: i64, due_on: &str) -> String {
    format!("{}:{task_id}:{due_on}", kind.code())
}

/// The body of a daily digest listing the sentences, with their links.
pub fn digest_body(name: &str, items: &[(String, String)], settings_link: &str) -> String {
    let mut body = format!(
        "Hello {name},\n\nHere is what happened for you on Common Ground since your last digest ({} {}):\n\n",
        items.len(),
        if items.len() == 1 { "item" } else { "items" }
    );
    for (sentence, link) in items {
        body.push_str(&format!("- {sentence}\n  {link}\n"));
    }
    body.push_str(&format!(
        "\nTo choose which notifications you get by email, and when, go to {settings_link}\n"
    ));
    body
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for k in Kind::ALL {
            assert_eq!(Kind::parse_code(k.code()), Some(k));
        }
        for d in Delivery::ALL {
            assert_eq!(Delivery::parse_code(d.code()), Some(d));
        }
        assert_eq!(Kind::parse_code("nope"), None);
    }

    #[test]
    fn defaults_put_dates_in_the_digest() {
        let s = Settings::with_choices(&[]);
        assert_eq!(s.get(Kind::DueSoon), Delivery::Digest);
        assert_eq!(s.get(Kind::Overdue), Delivery::Digest);
        assert_eq!(s.get(Kind::Assigned), Delivery::Immediately);
        assert_eq!(s.0.len(), Kind::ALL.len());
    }

    #[test]
    fn parse_keeps_what_is_not_sent_and_names_bad_fields() {
        let current = Settings::with_choices(&[(Kind::Assigned, Delivery::Never)]);
        let s = Settings::parse(&current, &[("overdue".into(), "immediately".into())]).unwrap();
        assert_eq!(s.get(Kind::Assigned), Delivery::Never);
        assert_eq!(s.get(Kind::Overdue), Delivery::Immediately);
        let e = Settings::parse(&current, &[("overdue".into(), "weekly".into())]).unwrap_err();
        assert_eq!(e.0[0].field, "overdue");
        let e = Settings::parse(&current, &[("bogus".into(), "never".into())]).unwrap_err();
        assert_eq!(e.0[0].field, "bogus");
    }

    #[test]
    fn reminders_by_date() {
        assert_eq!(
            reminder_for("2026-11-27", "2026-11-28", "2026-12-01"),
            Some(Kind::Overdue)
        );
        assert_eq!(
            reminder_for("2026-11-28", "2026-11-28", "2026-12-01"),
            Some(Kind::DueSoon)
        );
        assert_eq!(
            reminder_for("2026-12-01", "2026-11-28", "2026-12-01"),
            Some(Kind::DueSoon)
        );
        assert_eq!(reminder_for("2026-12-02", "2026-11-28", "2026-12-01"), None);
    }
}
