//! The four stages a collaboration moves through.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Identify,
    Plan,
    Implement,
    Review,
}

impl Stage {
    pub const ALL: [Stage; 4] = [
        Stage::Identify,
        Stage::Plan,
        Stage::Implement,
        Stage::Review,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Stage::Identify => "identify",
            Stage::Plan => "plan",
            Stage::Implement => "implement",
            Stage::Review => "review",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Stage::Identify => "Identify",
            Stage::Plan => "Plan",
            Stage::Implement => "Implement",
            Stage::Review => "Review",
        }
    }

    /// One line on what the stage is for, in plain words.
    pub fn summary(self) -> &'static str {
        match self {
            Stage::Identify => {
                "Decide whether to work together, what you want from it, and with whom."
            }
            Stage::Plan => "Agree shared aims, how decisions get made, and what each partner does.",
            Stage::Implement => {
                "Do the work: the action plan, keeping people informed, and sorting out problems."
            }
            Stage::Review => "Look back at what worked, and decide what happens next.",
        }
    }

    pub fn number(self) -> usize {
        self as usize + 1
    }

    pub fn parse_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code.trim())
    }

    pub fn next(self) -> Option<Self> {
        Self::ALL.get(self as usize + 1).copied()
    }

    pub fn previous(self) -> Option<Self> {
        (self as usize).checked_sub(1).map(|i| Self::ALL[i])
    }
}

/// A request to move a collaboration one stage on or one stage back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StageMove {
    Forward,
    Back,
}

impl StageMove {
    pub fn parse_code(code: &str) -> Option<Self> {
        match code.trim() {
            "forward" => Some(StageMove::Forward),
            "back" => Some(StageMove::Back),
            _ => None,
        }
    }

    /// The stage after the move, or a plain reason it cannot happen.
    pub fn apply(self, from: Stage) -> Result<Stage, crate::RuleError> {
        match self {
            StageMove::Forward => from.next().ok_or_else(|| {
                crate::RuleError("Review is the last stage. There is no stage after it.".into())
            }),
            StageMove::Back => from.previous().ok_or_else(|| {
                crate::RuleError("Identify is the first stage. There is no stage before it.".into())
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_step_in_order() {
        assert_eq!(Stage::Identify.next(), Some(Stage::Plan));
        assert_eq!(Stage::Review.next(), None);
        assert_eq!(Stage::Identify.previous(), None);
        assert_eq!(Stage::Review.previous(), Some(Stage::Implement));
        assert_eq!(
            StageMove::Forward.apply(Stage::Plan).unwrap(),
            Stage::Implement
        );
        assert!(StageMove::Forward.apply(Stage::Review).is_err());
        assert!(StageMove::Back.apply(Stage::Identify).is_err());
        for s in Stage::ALL {
            assert_eq!(Stage::parse_code(s.code()), Some(s));
        }
        assert_eq!(Stage::Review.number(), 4);
    }
}

/// One output a stage should produce, and whether the collaboration has it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChecklistItem {
    /// A stable name for the API, such as `readiness_taken`.
    pub key: &'static str,
    pub label: &'static str,
    pub done: bool,
    /// What is there, or what is still missing, in a sentence.
    pub detail: String,
    /// Where on the site to do it.
    pub href: String,
}

/// How complete a stage is, as a whole percentage of its checklist.
pub fn completion_percent(items: &[ChecklistItem]) -> u8 {
    if items.is_empty() {
        return 0;
    }
    let done = items.iter().filter(|i| i.done).count();
    ((done * 100) / items.len()) as u8
}
