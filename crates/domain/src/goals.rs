//! Each organisation's own goals for collaborating, each tied to one of the
//! four benefits that collaborating can bring.

use crate::errors::FieldErrors;
use crate::values::{optional_text, required_line};
use serde::{Deserialize, Serialize};

/// The four benefits an organisation may want from collaborating.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Benefit {
    Efficiency,
    BetterServices,
    VoiceAndInfluence,
    Sustainability,
}

impl Benefit {
    pub const ALL: [Benefit; 4] = [
        Benefit::Efficiency,
        Benefit::BetterServices,
        Benefit::VoiceAndInfluence,
        Benefit::Sustainability,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Benefit::Efficiency => "efficiency",
            Benefit::BetterServices => "better_services",
            Benefit::VoiceAndInfluence => "voice_and_influence",
            Benefit::Sustainability => "sustainability",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Benefit::Efficiency => "Efficiency and use of resources",
            Benefit::BetterServices => "Better services",
            Benefit::VoiceAndInfluence => "A stronger voice and influence",
            Benefit::Sustainability => "Organisational sustainability",
        }
    }

    /// One line on what the benefit means, shown where someone chooses it.
    pub fn hint(self) -> &'static str {
        match self {
            Benefit::Efficiency => {
                "Doing more with the same money, staff, buildings and time, for example by sharing them."
            }
            Benefit::BetterServices => {
                "Services that reach more people, join up better or meet needs you cannot meet alone."
            }
            Benefit::VoiceAndInfluence => {
                "Being heard by funders, councils and decision-makers because you speak together."
            }
            Benefit::Sustainability => {
                "Keeping your organisation going: new income, shared risk, skills and resilience."
            }
        }
    }

    pub fn parse_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|b| b.code() == code.trim())
    }
}

pub const TITLE_MAX: usize = 200;
pub const DETAIL_MAX: usize = 4000;

/// A goal as it may be saved: a benefit, a title and optional detail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoalDetails {
    pub benefit: Benefit,
    pub title: String,
    pub detail: String,
}

impl GoalDetails {
    /// Checks a submitted goal; field errors in the order of the form.
    pub fn parse(benefit: &str, title: &str, detail: &str) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let benefit = Benefit::parse_code(benefit);
        if benefit.is_none() {
            errors.add(
                "benefit",
                "Choose which of the four benefits this goal is about.",
            );
        }
        let title = errors.take(required_line(
            "title",
            "a title for the goal",
            title,
            1,
            TITLE_MAX,
        ));
        let detail = errors.take(optional_text("detail", "the detail", detail, DETAIL_MAX));
        match (benefit, title, detail) {
            (Some(benefit), Some(title), Some(detail)) => Ok(GoalDetails {
                benefit,
                title,
                detail,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn benefits_round_trip_and_are_four() {
        assert_eq!(Benefit::ALL.len(), 4);
        for b in Benefit::ALL {
            assert_eq!(Benefit::parse_code(b.code()), Some(b));
            assert!(!b.label().is_empty() && b.hint().ends_with('.'));
        }
        assert_eq!(Benefit::parse_code("profit"), None);
        assert_eq!(Benefit::parse_code(""), None);
    }

    #[test]
    fn a_goal_needs_a_benefit_and_a_title() {
        let g = GoalDetails::parse(" efficiency ", "  Share a finance officer ", "a\r\nb").unwrap();
        assert_eq!(g.benefit, Benefit::Efficiency);
        assert_eq!(g.title, "Share a finance officer");
        assert_eq!(g.detail, "a\nb");
        let e = GoalDetails::parse("", " ", "").unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["benefit", "title"]);
        assert_eq!(e.get("title"), Some("Enter a title for the goal."));
    }

    #[test]
    fn limits_count_characters() {
        assert!(GoalDetails::parse("sustainability", &"é".repeat(200), "").is_ok());
        let e = GoalDetails::parse("sustainability", &"é".repeat(201), "").unwrap_err();
        assert_eq!(
            e.get("title"),
            Some("A title for the goal must be 200 characters or fewer.")
        );
        assert!(GoalDetails::parse("better_services", "T", &"d".repeat(4000)).is_ok());
        let e = GoalDetails::parse("better_services", "T", &"d".repeat(4001)).unwrap_err();
        assert_eq!(e.0.len(), 1);
        assert!(e.get("detail").is_some());
        assert!(GoalDetails::parse("better_services", "a\u{0}b", "").is_err());
    }
}
