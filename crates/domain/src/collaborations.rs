//! Collaborations between organisations: what opens one, the roles taken
//! in it, and invitations to join it.

use crate::errors::FieldErrors;
use crate::values::{optional_text, required_line};
use serde::{Deserialize, Serialize};

/// The part an organisation plays in a collaboration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ParticipantRole {
    Lead,
    Partner,
    Observer,
    Facilitator,
}

impl ParticipantRole {
    pub const ALL: [ParticipantRole; 4] = [
        ParticipantRole::Lead,
        ParticipantRole::Partner,
        ParticipantRole::Observer,
        ParticipantRole::Facilitator,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ParticipantRole::Lead => "lead",
            ParticipantRole::Partner => "partner",
            ParticipantRole::Observer => "observer",
            ParticipantRole::Facilitator => "facilitator",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ParticipantRole::Lead => "Lead",
            ParticipantRole::Partner => "Partner",
            ParticipantRole::Observer => "Observer",
            ParticipantRole::Facilitator => "Facilitator",
        }
    }

    /// What the role means, shown where someone chooses it.
    pub fn hint(self) -> &'static str {
        match self {
            ParticipantRole::Lead => {
                "Runs the collaboration with you: can move stages and invite others."
            }
            ParticipantRole::Partner => "A full partner in the shared work.",
            ParticipantRole::Observer => "Sees progress but does not take part in the work.",
            ParticipantRole::Facilitator => {
                "A support body, such as a council for voluntary service, that guides the partners."
            }
        }
    }

    pub fn parse_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code.trim())
    }
}

/// Where an invitation to a collaboration stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InvitationStatus {
    Pending,
    Accepted,
    Declined,
    Withdrawn,
}

impl InvitationStatus {
    pub fn code(self) -> &'static str {
        match self {
            InvitationStatus::Pending => "pending",
            InvitationStatus::Accepted => "accepted",
            InvitationStatus::Declined => "declined",
            InvitationStatus::Withdrawn => "withdrawn",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            InvitationStatus::Pending => "Waiting for a reply",
            InvitationStatus::Accepted => "Accepted",
            InvitationStatus::Declined => "Declined",
            InvitationStatus::Withdrawn => "Withdrawn",
        }
    }

    pub fn parse_code(code: &str) -> Option<Self> {
        match code {
            "pending" => Some(InvitationStatus::Pending),
            "accepted" => Some(InvitationStatus::Accepted),
            "declined" => Some(InvitationStatus::Declined),
            "withdrawn" => Some(InvitationStatus::Withdrawn),
            _ => None,
        }
    }
}

/// A validated title and purpose for a collaboration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CollaborationDetails {
    pub title: String,
    pub purpose: String,
}

impl CollaborationDetails {
    pub fn parse(title: &str, purpose: &str) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let title = errors.take(required_line("title", "a title", title, 3, 150));
        let purpose = match optional_text("purpose", "the purpose", purpose, 4000) {
            Ok(p) if p.is_empty() => {
                errors.add(
                    "purpose",
                    "Enter the purpose: what you hope working together will achieve.",
                );
                None
            }
            Ok(p) => Some(p),
            Err(e) => {
                errors.add(e.field, e.message);
                None
            }
        };
        match (title, purpose) {
            (Some(title), Some(purpose)) => Ok(Self { title, purpose }),
            _ => Err(errors),
        }
    }
}

/// The optional note sent with an invitation.
pub fn parse_invitation_message(raw: &str) -> Result<String, FieldErrors> {
    optional_text("message", "the message", raw, 2000).map_err(|e| {
        let mut errors = FieldErrors::new();
        errors.add(e.field, e.message);
        errors
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn details_need_title_and_purpose() {
        let e = CollaborationDetails::parse(" ", "").unwrap_err();
        assert_eq!(e.0.len(), 2);
        let d = CollaborationDetails::parse(" Shared food hub ", "Feed more families").unwrap();
        assert_eq!(d.title, "Shared food hub");
        assert!(CollaborationDetails::parse(&"t".repeat(151), "x").is_err());
    }

    #[test]
    fn roles_round_trip() {
        for r in ParticipantRole::ALL {
            assert_eq!(ParticipantRole::parse_code(r.code()), Some(r));
        }
        assert_eq!(ParticipantRole::parse_code("owner"), None);
        assert!(parse_invitation_message(&"m".repeat(2001)).is_err());
    }
}
