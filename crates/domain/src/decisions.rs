//! The decisions log.
//!
//! Rules decided here:
//! - A decision has a title, what was decided, the date it was taken
//!   (`YYYY-MM-DD`), and how it was taken: at a meeting, by a vote, by the
//!   lead, or by a governance body. Any of them may name the governance
//!   body concerned (checked by the caller to be the collaboration's).
//! - A decision links to what it affects: tasks, problems and aims of the
//!   same collaboration (checked by the caller). The kinds are open to
//!   more (risks) without changing how links are stored.

use crate::errors::FieldErrors;
use crate::tasks::iso_date;
use crate::values::{optional_text, required_line};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HowTaken {
    Meeting,
    Vote,
    Lead,
    GovernanceBody,
}

impl HowTaken {
    pub const ALL: [HowTaken; 4] = [
        HowTaken::Meeting,
        HowTaken::Vote,
        HowTaken::Lead,
        HowTaken::GovernanceBody,
    ];

    pub fn code(self) -> &'static str {
        match self {
            HowTaken::Meeting => "meeting",
            HowTaken::Vote => "vote",
            HowTaken::Lead => "lead",
            HowTaken::GovernanceBody => "governance_body",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            HowTaken::Meeting => "At a meeting",
            HowTaken::Vote => "By a vote",
            HowTaken::Lead => "By the lead",
            HowTaken::GovernanceBody => "By a governance body",
        }
    }

    pub fn parse_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code.trim())
    }
}

/// What a decision can affect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    Task,
    Problem,
    Aim,
}

impl LinkKind {
    pub const ALL: [LinkKind; 3] = [LinkKind::Task, LinkKind::Problem, LinkKind::Aim];

    pub fn code(self) -> &'static str {
        match self {
            LinkKind::Task => "task",
            LinkKind::Problem => "problem",
            LinkKind::Aim => "aim",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            LinkKind::Task => "Task",
            LinkKind::Problem => "Problem",
            LinkKind::Aim => "Aim",
        }
    }

    pub fn parse_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code.trim())
    }
}

/// A decision's fields as typed on the form or sent to the API.
#[derive(Debug, Clone, Copy, Default)]
pub struct DecisionInput<'a> {
    pub title: &'a str,
    pub decided: &'a str,
    pub decided_on: &'a str,
    pub how: &'a str,
    pub governance_body_id: &'a str,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionFields {
    pub title: String,
    pub decided: String,
    pub decided_on: String,
    pub how: HowTaken,
    pub governance_body_id: Option<i64>,
}

impl DecisionFields {
    pub fn parse(input: &DecisionInput) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let title = errors.take(required_line("title", "a title", input.title, 1, 200));
        let decided = errors.take(optional_text(
            "decided",
            "what was decided",
            input.decided,
            10_000,
        ));
        if decided.as_deref() == Some("") {
            errors.add("decided", "Write down what was decided.");
        }
        let on = errors.take(iso_date("decided_on", "the date", input.decided_on));
        if matches!(on, Some(None)) {
            errors.add(
                "decided_on",
                "Enter the date of the decision, like 2027-03-31.",
            );
        }
        let how = HowTaken::parse_code(input.how);
        if how.is_none() {
            errors.add(
                "how",
                "Choose how it was decided: at a meeting, by a vote, by the lead or by a governance body.",
            );
        }
        let body = match input.governance_body_id.trim() {
            "" => None,
            t => match t.parse::<i64>() {
                Ok(v) if v > 0 => Some(v),
                _ => {
                    errors.add(
                        "governance_body_id",
                        "Choose one of the collaboration's governance bodies, or none.",
                    );
                    None
                }
            },
        };
        if how == Some(HowTaken::GovernanceBody)
            && body.is_none()
            && input.governance_body_id.trim().is_empty()
        {
            errors.add(
                "governance_body_id",
                "Choose the governance body that took the decision.",
            );
        }
        errors.into_result()?;
        Ok(DecisionFields {
            title: title.unwrap_or_default(),
            decided: decided.unwrap_or_default(),
            decided_on: on.flatten().unwrap_or_default(),
            how: how.unwrap_or(HowTaken::Meeting),
            governance_body_id: body,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_decision_needs_a_title_text_date_and_how() {
        let e = DecisionFields::parse(&DecisionInput::default()).unwrap_err();
        assert_eq!(e.get("title"), Some("Enter a title."));
        assert_eq!(e.get("decided"), Some("Write down what was decided."));
        assert_eq!(
            e.get("decided_on"),
            Some("Enter the date of the decision, like 2027-03-31.")
        );
        assert!(e.get("how").is_some());
        let i = DecisionInput {
            title: "Move the launch",
            decided: "We launch in May.",
            decided_on: "2027-02-30",
            how: "governance_body",
            governance_body_id: "",
        };
        let e = DecisionFields::parse(&i).unwrap_err();
        assert!(
            e.get("decided_on")
                .unwrap()
                .starts_with("Enter the date as")
        );
        assert_eq!(
            e.get("governance_body_id"),
            Some("Choose the governance body that took the decision.")
        );
        let f = DecisionFields::parse(&DecisionInput {
            decided_on: "2027-02-28",
            governance_body_id: "9",
            ..i
        })
        .unwrap();
        assert_eq!(f.how, HowTaken::GovernanceBody);
        assert_eq!(f.governance_body_id, Some(9));
        let f = DecisionFields::parse(&DecisionInput {
            decided_on: "2027-02-28",
            how: "lead",
            ..i
        })
        .unwrap();
        assert_eq!(f.governance_body_id, None);
    }

    #[test]
    fn kinds_read_back_from_their_codes() {
        for k in LinkKind::ALL {
            assert_eq!(LinkKind::parse_code(k.code()), Some(k));
        }
        for h in HowTaken::ALL {
            assert_eq!(HowTaken::parse_code(h.code()), Some(h));
        }
        assert_eq!(LinkKind::parse_code("risk"), None);
    }
}
