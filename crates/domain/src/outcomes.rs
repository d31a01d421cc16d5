//! The Review stage's look back: each shared aim from Plan is marked
//! achieved, partly achieved or not achieved, with the evidence (a note and
//! links to where it can be checked) and the indicator's actual value, read
//! beside the baseline and target the partners set; and the lessons learned
//! in each stage: what worked, what did not, what to do differently.

use crate::errors::FieldErrors;
use crate::stage::{ChecklistItem, Stage};
use crate::values::optional_text;

/// How far an aim was achieved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Outcome {
    Achieved,
    Partly,
    NotAchieved,
}

impl Outcome {
    pub const ALL: [Outcome; 3] = [Outcome::Achieved, Outcome::Partly, Outcome::NotAchieved];

    pub fn code(self) -> &'static str {
        match self {
            Outcome::Achieved => "achieved",
            Outcome::Partly => "partly",
            Outcome::NotAchieved => "not_achieved",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Outcome::Achieved => "Achieved",
            Outcome::Partly => "Partly achieved",
            Outcome::NotAchieved => "Not achieved",
        }
    }

    pub fn parse_code(raw: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.code() == raw.trim())
    }
}

/// Most links one review may give.
pub const MAX_LINKS: usize = 10;

/// What a person typed.
#[derive(Debug, Clone, Copy, Default)]
pub struct AimReviewInput<'a> {
    /// One of the [`Outcome`] codes.
    pub outcome: &'a str,
    /// The indicator's value now, in the indicator's own terms.
    pub actual: &'a str,
    /// Markdown.
    pub evidence: &'a str,
    /// One web address a line.
    pub links: &'a str,
}

/// A review that can be saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AimReviewDetails {
    pub outcome: Outcome,
    pub actual: String,
    pub evidence: String,
    pub links: Vec<String>,
}

impl AimReviewDetails {
    pub fn parse(input: &AimReviewInput<'_>) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let outcome = Outcome::parse_code(input.outcome);
        if outcome.is_none() {
            errors.add(
                "outcome",
                "Choose whether the aim was achieved, partly achieved or not achieved.",
            );
        }
        let actual = errors.take(crate::values::required_line(
            "actual",
            "the indicator's actual value",
            input.actual,
            1,
            300,
        ));
        let evidence = errors.take(optional_text("evidence", "evidence", input.evidence, 5000));
        let links = parse_links("links", input.links, &mut errors);
        errors.into_result()?;
        Ok(AimReviewDetails {
            outcome: outcome.unwrap_or(Outcome::NotAchieved),
            actual: actual.unwrap_or_default(),
            evidence: evidence.unwrap_or_default(),
            links,
        })
    }
}

/// Web addresses one a line: http and https only, no repeats, at most
/// [`MAX_LINKS`]. The first bad one is reported.
fn parse_links(field: &str, raw: &str, errors: &mut FieldErrors) -> Vec<String> {
    let mut links: Vec<String> = Vec::new();
    for line in raw.lines() {
        match crate::comms::optional_link(field, line) {
            Ok(Some(link)) => {
                if !links.contains(&link) {
                    links.push(link);
                }
            }
            Ok(None) => {}
            Err(e) => {
                errors.add(
                    e.field,
                    format!("{} Put each link on a line of its own.", e.message),
                );
                return Vec::new();
            }
        }
    }
    if links.len() > MAX_LINKS {
        errors.add(field, format!("Give at most {MAX_LINKS} links."));
        return Vec::new();
    }
    links
}

/// The Review checklist's items for the aims review.
pub fn checklist(collaboration_id: i64, aims: i64, aims_reviewed: i64) -> Vec<ChecklistItem> {
    let detail = if aims == 0 {
        "There are no shared aims to review. Add them in the Plan stage.".to_string()
    } else if aims_reviewed >= aims {
        if aims == 1 {
            "The shared aim has been reviewed.".to_string()
        } else {
            format!("All {aims} shared aims have been reviewed.")
        }
    } else {
        format!("{aims_reviewed} of {aims} shared aims reviewed. Say how the others went.")
    };
    vec![ChecklistItem {
        key: "aims_reviewed",
        label: "Shared aims reviewed",
        done: aims > 0 && aims_reviewed >= aims,
        detail,
        href: format!("/collaborations/{collaboration_id}/aims-review"),
    }]
}

/// What kind of lesson.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum LessonKind {
    Worked,
    DidNotWork,
    DoDifferently,
}

impl LessonKind {
    pub const ALL: [LessonKind; 3] = [
        LessonKind::Worked,
        LessonKind::DidNotWork,
        LessonKind::DoDifferently,
    ];

    pub fn code(self) -> &'static str {
        match self {
            LessonKind::Worked => "worked",
            LessonKind::DidNotWork => "did_not_work",
            LessonKind::DoDifferently => "do_differently",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            LessonKind::Worked => "What worked",
            LessonKind::DidNotWork => "What did not work",
            LessonKind::DoDifferently => "What to do differently",
        }
    }

    pub fn parse_code(raw: &str) -> Option<LessonKind> {
        LessonKind::ALL.into_iter().find(|k| k.code() == raw.trim())
    }
}

/// A lesson as typed.
#[derive(Debug, Clone, Copy, Default)]
pub struct LessonInput<'a> {
    /// A [`Stage`] code.
    pub stage: &'a str,
    /// A [`LessonKind`] code.
    pub kind: &'a str,
    pub text: &'a str,
}

/// A lesson that can be saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LessonDetails {
    pub stage: Stage,
    pub kind: LessonKind,
    pub text: String,
}

/// Most lessons one collaboration may hold.
pub const MAX_LESSONS: i64 = 500;

impl LessonDetails {
    pub fn parse(input: &LessonInput<'_>) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let stage = Stage::parse_code(input.stage);
        if stage.is_none() {
            errors.add("stage", "Choose the stage the lesson comes from.");
        }
        let kind = LessonKind::parse_code(input.kind);
        if kind.is_none() {
            errors.add(
                "kind",
                "Choose whether it is what worked, what did not work or what to do differently.",
            );
        }
        let text = errors.take(optional_text("text", "the lesson", input.text, 2000));
        if text.as_deref().is_some_and(str::is_empty) {
            errors.add("text", "Enter the lesson.");
        }
        errors.into_result()?;
        Ok(LessonDetails {
            stage: stage.unwrap_or(Stage::Review),
            kind: kind.unwrap_or(LessonKind::Worked),
            text: text.unwrap_or_default(),
        })
    }
}

/// The Review checklist's item for the lessons.
pub fn lessons_checklist(collaboration_id: i64, lessons: i64) -> ChecklistItem {
    ChecklistItem {
        key: "lessons_recorded",
        label: "Lessons learned recorded",
        done: lessons > 0,
        detail: match lessons {
            0 => "No lessons yet. Record what worked, what did not and what to do differently."
                .to_string(),
            1 => "1 lesson recorded.".to_string(),
            n => format!("{n} lessons recorded."),
        },
        href: format!("/collaborations/{collaboration_id}/lessons"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_review_parses_and_refuses_what_it_should() {
        let ok = AimReviewDetails::parse(&AimReviewInput {
            outcome: "partly",
            actual: " 3,200 meals ",
            evidence: "Counted at **each** site.\r\nSee the log.",
            links: "https://example.org/log\n\n  http://example.org/photos  \nhttps://example.org/log",
        })
        .unwrap();
        assert_eq!(ok.outcome, Outcome::Partly);
        assert_eq!(ok.actual, "3,200 meals");
        assert_eq!(ok.evidence, "Counted at **each** site.\nSee the log.");
        assert_eq!(
            ok.links,
            vec![
                "https://example.org/log".to_string(),
                "http://example.org/photos".to_string()
            ]
        );
        let e = AimReviewDetails::parse(&AimReviewInput {
            outcome: "done",
            actual: "",
            evidence: "",
            links: "https://example.org\njavascript:alert(1)",
        })
        .unwrap_err();
        assert!(e.get("outcome").is_some());
        assert!(e.get("actual").is_some());
        assert!(e.get("links").unwrap().contains("https://"));
        let many: String = (0..11)
            .map(|i| format!("https://example.org/{i}\n"))
            .collect();
        let e = AimReviewDetails::parse(&AimReviewInput {
            outcome: "achieved",
            actual: "1",
            links: &many,
            ..Default::default()
        })
        .unwrap_err();
        assert_eq!(e.get("links"), Some("Give at most 10 links."));
        for o in Outcome::ALL {
            assert_eq!(Outcome::parse_code(o.code()), Some(o));
        }
    }

    #[test]
    fn the_checklist_item_is_done_only_when_every_aim_is_reviewed() {
        assert!(!checklist(3, 0, 0)[0].done);
        assert!(!checklist(3, 2, 1)[0].done);
        assert_eq!(
            checklist(3, 2, 1)[0].detail,
            "1 of 2 shared aims reviewed. Say how the others went."
        );
        let done = &checklist(3, 2, 2)[0];
        assert!(done.done);
        assert_eq!(done.key, "aims_reviewed");
        assert_eq!(done.href, "/collaborations/3/aims-review");
    }

    #[test]
    fn a_lesson_parses_and_refuses_what_it_should() {
        let ok = LessonDetails::parse(&LessonInput {
            stage: "plan",
            kind: "do_differently",
            text: "  Agree the budget before the aims.\r\nThen the rest. ",
        })
        .unwrap();
        assert_eq!(ok.stage, Stage::Plan);
        assert_eq!(ok.kind, LessonKind::DoDifferently);
        assert_eq!(ok.text, "Agree the budget before the aims.\nThen the rest.");
        let e = LessonDetails::parse(&LessonInput {
            stage: "later",
            kind: "",
            text: "   ",
        })
        .unwrap_err();
        assert!(e.get("stage").is_some());
        assert!(e.get("kind").is_some());
        assert_eq!(e.get("text"), Some("Enter the lesson."));
        let long = "x".repeat(2001);
        let e = LessonDetails::parse(&LessonInput {
            stage: "review",
            kind: "worked",
            text: &long,
        })
        .unwrap_err();
        assert!(e.get("text").is_some());
        for k in LessonKind::ALL {
            assert_eq!(LessonKind::parse_code(k.code()), Some(k));
        }
        assert!(!lessons_checklist(2, 0).done);
        let item = lessons_checklist(2, 3);
        assert!(item.done);
        assert_eq!(item.detail, "3 lessons recorded.");
        assert_eq!(item.href, "/collaborations/2/lessons");
    }
}
