//! The shortlist of possible partners for a collaboration, and how each
//! approach is going: not contacted, contacted, in conversation, joined or
//! declined, with dated notes.
//!
//! Rules decided here:
//! - What to add is exactly one of an org-id (`GB-CHC-<digits>` for a
//!   registered charity, `GB-COH-<letters and digits>` for a company) or the
//!   id of an organisation on Common Ground.
//! - A note is optional, also when the status changes, and at most
//!   [`NOTE_MAX`] characters. But an update must say something: keeping the
//!   same status without a note is refused ([`StatusChange::check_against`]).
//! - Notes are never edited: each update adds one, dated, with its writer.

use crate::errors::FieldErrors;
use crate::values::optional_text;
use serde::{Deserialize, Serialize};

/// How the approach to a shortlisted organisation is going.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApproachStatus {
    NotContacted,
    Contacted,
    InConversation,
    Joined,
    Declined,
}

impl ApproachStatus {
    pub const ALL: [ApproachStatus; 5] = [
        ApproachStatus::NotContacted,
        ApproachStatus::Contacted,
        ApproachStatus::InConversation,
        ApproachStatus::Joined,
        ApproachStatus::Declined,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ApproachStatus::NotContacted => "not_contacted",
            ApproachStatus::Contacted => "contacted",
            ApproachStatus::InConversation => "in_conversation",
            ApproachStatus::Joined => "joined",
            ApproachStatus::Declined => "declined",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ApproachStatus::NotContacted => "Not contacted",
            ApproachStatus::Contacted => "Contacted",
            ApproachStatus::InConversation => "In conversation",
            ApproachStatus::Joined => "Joined",
            ApproachStatus::Declined => "Declined",
        }
    }

    /// What the status means, shown where someone chooses it.
    pub fn hint(self) -> &'static str {
        match self {
            ApproachStatus::NotContacted => "On the list, but nobody has got in touch yet.",
            ApproachStatus::Contacted => {
                "Someone has got in touch or sent an invitation, and is waiting to hear back."
            }
            ApproachStatus::InConversation => {
                "You are talking about whether and how to work together."
            }
            ApproachStatus::Joined => "They have agreed to take part.",
            ApproachStatus::Declined => "They said no, or you decided not to go ahead.",
        }
    }

    pub fn parse_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code.trim())
    }
}

pub const NOTE_MAX: usize = 2000;

/// The note every new entry starts with.
pub const ADDED_NOTE: &str = "Added to the shortlist.";
/// The note written when an organisation is invited from its entry.
pub const INVITED_NOTE: &str = "Invited to join through Common Ground.";

/// An optional note: trimmed, at most [`NOTE_MAX`] characters.
pub fn parse_note(raw: &str) -> Result<String, FieldErrors> {
    optional_text("note", "the note", raw, NOTE_MAX)
        .map_err(|e| FieldErrors::single(e.field, e.message))
}

/// A change to an entry: its (possibly unchanged) status and a note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusChange {
    pub status: ApproachStatus,
    /// Empty when none was written.
    pub note: String,
}

impl StatusChange {
    pub fn parse(status: &str, note: &str) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let status = ApproachStatus::parse_code(status);
        if status.is_none() {
            errors.add(
                "status",
                "Choose how the approach is going: not contacted, contacted, in conversation, joined or declined.",
            );
        }
        let note = match parse_note(note) {
            Ok(n) => Some(n),
            Err(e) => {
                for f in e.0 {
                    errors.add(f.field, f.message);
                }
                None
            }
        };
        match (status, note) {
            (Some(status), Some(note)) if errors.is_empty() => Ok(StatusChange { status, note }),
            _ => Err(errors),
        }
    }

    /// An update must change the status or add a note.
    pub fn check_against(&self, current: ApproachStatus) -> Result<(), FieldErrors> {
        if self.status == current && self.note.is_empty() {
            return Err(FieldErrors::single(
                "note",
                format!(
                    "The status is already \u{201c}{}\u{201d}. Choose a different status or write a note.",
                    current.label().to_lowercase()
                ),
            ));
        }
        Ok(())
    }
}

/// What to put on the shortlist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShortlistTarget {
    /// An org-id: an organisation on Common Ground with it, or else a
    /// charity in the register.
    OrgIdentifier(String),
    /// An organisation on Common Ground.
    Organisation(i64),
}

impl ShortlistTarget {
    /// Exactly one of the two may be given; empty means not given.
    pub fn parse(org_identifier: &str, organisation_id: &str) -> Result<Self, FieldErrors> {
        let (ident, org) = (org_identifier.trim(), organisation_id.trim());
        match (ident.is_empty(), org.is_empty()) {
            (true, true) => Err(FieldErrors::single(
                "org_identifier",
                "Enter an org-id, like GB-CHC-1234567, or choose an organisation in the directory.",
            )),
            (false, false) => Err(FieldErrors::single(
                "org_identifier",
                "Give either an org-id or an organisation, not both.",
            )),
            (false, true) => parse_org_identifier(ident)
                .map(ShortlistTarget::OrgIdentifier)
                .ok_or_else(|| {
                    FieldErrors::single(
                        "org_identifier",
                        "Enter an org-id in the right format: GB-CHC- and the charity number, \
                         like GB-CHC-1234567, or GB-COH- and the company number, like GB-COH-01234567.",
                    )
                }),
            (true, false) => match org.parse::<i64>() {
                Ok(id) if id > 0 => Ok(ShortlistTarget::Organisation(id)),
                _ => Err(FieldErrors::single(
                    "organisation_id",
                    "Choose an organisation that is on Common Ground.",
                )),
            },
        }
    }
}

/// `GB-CHC-<digits>` or `GB-COH-<letters and digits>`, upper-cased;
/// None for anything else.
pub fn parse_org_identifier(raw: &str) -> Option<String> {
    let value = raw.trim().to_ascii_uppercase();
    let ok = if let Some(n) = value.strip_prefix("GB-CHC-") {
        (1..=8).contains(&n.len()) && n.bytes().all(|b| b.is_ascii_digit())
    } else if let Some(n) = value.strip_prefix("GB-COH-") {
        (1..=10).contains(&n.len()) && n.bytes().all(|b| b.is_ascii_alphanumeric())
    } else {
        false
    };
    ok.then_some(value)
}

/// The key that makes one body appear once on a shortlist: its org-id, or
/// `ORG-<id>` for an organisation on Common Ground without one.
pub fn entry_key(org_identifier: Option<&str>, organisation_id: Option<i64>) -> String {
    match (org_identifier, organisation_id) {
        (Some(ident), _) => ident.to_string(),
        (None, Some(id)) => format!("ORG-{id}"),
        (None, None) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip() {
        for s in ApproachStatus::ALL {
            assert_eq!(ApproachStatus::parse_code(s.code()), Some(s));
            assert!(!s.label().is_empty() && !s.hint().is_empty());
        }
        assert_eq!(ApproachStatus::parse_code("maybe"), None);
    }

    #[test]
    fn org_identifiers_are_checked() {
        assert_eq!(
            parse_org_identifier(" gb-chc-1234567 ").as_deref(),
            Some("GB-CHC-1234567")
        );
        assert_eq!(
            parse_org_identifier("GB-COH-SC123456").as_deref(),
            Some("GB-COH-SC123456")
        );
        for bad in [
            "GB-CHC-",
            "GB-CHC-12a",
            "GB-COH-12 34",
            "1234567",
            "GB-CHC-123456789",
            "XI-CHC-1",
        ] {
            assert_eq!(parse_org_identifier(bad), None, "{bad}");
        }
    }

    #[test]
    fn exactly_one_target() {
        assert_eq!(
            ShortlistTarget::parse("GB-CHC-207237", ""),
            Ok(ShortlistTarget::OrgIdentifier("GB-CHC-207237".into()))
        );
        assert_eq!(
            ShortlistTarget::parse("", " 12 "),
            Ok(ShortlistTarget::Organisation(12))
        );
        assert!(ShortlistTarget::parse("", "").is_err());
        assert!(ShortlistTarget::parse("GB-CHC-1", "2").is_err());
        let e = ShortlistTarget::parse("", "abc").unwrap_err();
        assert_eq!(
            e.get("organisation_id"),
            Some("Choose an organisation that is on Common Ground.")
        );
        assert!(ShortlistTarget::parse("", "-3").is_err());
        assert!(ShortlistTarget::parse("charity 42", "").is_err());
    }

    #[test]
    fn changes_say_something() {
        let c = StatusChange::parse("contacted", "  Rang Sam  ").unwrap();
        assert_eq!(
            (c.status, c.note.as_str()),
            (ApproachStatus::Contacted, "Rang Sam")
        );
        assert!(c.check_against(ApproachStatus::Contacted).is_ok());
        let bare = StatusChange::parse("contacted", "").unwrap();
        assert!(bare.check_against(ApproachStatus::NotContacted).is_ok());
        let e = bare.check_against(ApproachStatus::Contacted).unwrap_err();
        assert_eq!(
            e.get("note"),
            Some(
                "The status is already \u{201c}contacted\u{201d}. Choose a different status or write a note."
            )
        );
        let e = StatusChange::parse("nope", &"n".repeat(2001)).unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["status", "note"]);
        assert!(StatusChange::parse("joined", &"n".repeat(2000)).is_ok());
    }

    #[test]
    fn keys() {
        assert_eq!(entry_key(Some("GB-CHC-1"), Some(4)), "GB-CHC-1");
        assert_eq!(entry_key(None, Some(4)), "ORG-4");
    }
}
