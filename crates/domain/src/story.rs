//! The whole-story report of a collaboration (its Markdown, HTML and PDF
//! exports): when it stops being a draft.
//!
//! A report is final only when the story has an ending: the collaboration
//! has reached the Review stage and every one of its shared aims has been
//! reviewed (achieved, partly achieved or not achieved). A collaboration
//! with no shared aims has nothing to say about how it went, so its report
//! stays a draft. Until then every format says "Draft" at the top, and the
//! PDF on every page.

use crate::stage::Stage;

/// The words a draft report carries.
pub const DRAFT_MARK: &str = "Draft \u{2013} the story is not finished";

/// Whether the report is final rather than a draft: in Review, with at
/// least one shared aim and every aim reviewed.
pub fn is_final(stage: Stage, aims: usize, aims_reviewed: usize) -> bool {
    stage == Stage::Review && aims > 0 && aims_reviewed >= aims
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_review_with_every_aim_reviewed_is_final() {
        assert!(is_final(Stage::Review, 3, 3));
        assert!(!is_final(Stage::Review, 3, 2), "one aim still to review");
        assert!(!is_final(Stage::Review, 0, 0), "no aims, no ending");
        assert!(!is_final(Stage::Implement, 3, 3), "not yet in Review");
        assert!(!is_final(Stage::Identify, 1, 1));
        assert!(!is_final(Stage::Plan, 1, 1));
    }

    #[test]
    fn final_needs_review_and_every_aim_for_every_count() {
        // Every stage and every count up to 40 aims, checked against the
        // rule stated independently.
        for stage in [
            Stage::Identify,
            Stage::Plan,
            Stage::Implement,
            Stage::Review,
        ] {
            for aims in 0..40 {
                for reviewed in 0..=aims {
                    let expected = matches!(stage, Stage::Review) && aims != 0 && reviewed == aims;
                    assert_eq!(
                        is_final(stage, aims, reviewed),
                        expected,
                        "{stage:?} {aims} {reviewed}"
                    );
                }
            }
        }
    }
}
