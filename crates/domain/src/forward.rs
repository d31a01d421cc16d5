//! The way forward at the end of the Review stage, and the next cycle.
//!
//! Rules decided here:
//! - The options are continue, deepen (move along the collaboration
//!   spectrum), widen (new partners), change the model, merge and wind
//!   down.
//! - Each lead and partner organisation records one position: an option,
//!   its reasons (Markdown, required) and the next steps it proposes
//!   (Markdown, optional).
//! - The way forward the partners choose is a proposal decided under the
//!   rule of a governance group (see [`crate::proposals`]). Its title and
//!   text are made here from the option, the reasons and the next steps,
//!   so the vote is on exactly what is recorded.
//! - Starting the next cycle carries over the aims still open: those
//!   reviewed as not achieved or partly achieved, and those not reviewed.
//!   Achieved aims stay behind.
//! - The next cycle is titled after the first one with its number, such as
//!   "Food hub (cycle 2)"; a title that already ends with a cycle number
//!   has it replaced, never stacked.

use crate::errors::FieldErrors;
use crate::outcomes::Outcome;
use crate::stage::ChecklistItem;
use crate::values::optional_text;

/// Longest reasons or next steps, in characters.
pub const TEXT_MAX: usize = 5_000;

/// A way forward.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ForwardOption {
    Continue,
    Deepen,
    Widen,
    ChangeModel,
    Merge,
    WindDown,
}

impl ForwardOption {
    pub const ALL: [ForwardOption; 6] = [
        ForwardOption::Continue,
        ForwardOption::Deepen,
        ForwardOption::Widen,
        ForwardOption::ChangeModel,
        ForwardOption::Merge,
        ForwardOption::WindDown,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ForwardOption::Continue => "continue",
            ForwardOption::Deepen => "deepen",
            ForwardOption::Widen => "widen",
            ForwardOption::ChangeModel => "change_model",
            ForwardOption::Merge => "merge",
            ForwardOption::WindDown => "wind_down",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ForwardOption::Continue => "Continue",
            ForwardOption::Deepen => "Deepen",
            ForwardOption::Widen => "Widen",
            ForwardOption::ChangeModel => "Change the model",
            ForwardOption::Merge => "Merge",
            ForwardOption::WindDown => "Wind down",
        }
    }

    /// What the option means, shown beside it.
    pub fn hint(self) -> &'static str {
        match self {
            ForwardOption::Continue => "Carry on working together as now.",
            ForwardOption::Deepen => {
                "Work more closely: move along the collaboration spectrum, for example from a network to a joint project."
            }
            ForwardOption::Widen => "Bring in new partners.",
            ForwardOption::ChangeModel => "Keep working together, but in a different way.",
            ForwardOption::Merge => "Become one organisation.",
            ForwardOption::WindDown => "Bring the collaboration to a planned end.",
        }
    }

    pub fn parse_code(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.code() == raw.trim())
    }
}

/// A position or a way forward as typed.
#[derive(Debug, Clone, Copy, Default)]
pub struct PositionInput<'a> {
    /// A [`ForwardOption`] code.
    pub option: &'a str,
    /// Markdown.
    pub reasons: &'a str,
    /// Markdown.
    pub next_steps: &'a str,
}

/// A position or way forward that can be saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PositionDetails {
    pub option: ForwardOption,
    pub reasons: String,
    pub next_steps: String,
}

impl PositionDetails {
    /// An organisation's position: the next steps may be left empty.
    pub fn parse(input: &PositionInput<'_>) -> Result<Self, FieldErrors> {
        Self::parse_with(input, false)
    }

    /// A way forward put to the partners: the next steps are needed too.
    pub fn parse_way_forward(input: &PositionInput<'_>) -> Result<Self, FieldErrors> {
        Self::parse_with(input, true)
    }

    fn parse_with(input: &PositionInput<'_>, steps_needed: bool) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let option = ForwardOption::parse_code(input.option);
        if option.is_none() {
            errors.add(
                "option",
                "Choose a way forward: continue, deepen, widen, change the model, merge or wind down.",
            );
        }
        let reasons = errors.take(optional_text(
            "reasons",
            "the reasons",
            input.reasons,
            TEXT_MAX,
        ));
        if reasons.as_deref().is_some_and(str::is_empty) {
            errors.add("reasons", "Give the reasons for this way forward.");
        }
        let next_steps = errors.take(optional_text(
            "next_steps",
            "the next steps",
            input.next_steps,
            TEXT_MAX,
        ));
        if steps_needed && next_steps.as_deref().is_some_and(str::is_empty) {
            errors.add(
                "next_steps",
                "Say what the next steps are, so the partners know what they agree to.",
            );
        }
        errors.into_result()?;
        Ok(PositionDetails {
            option: option.unwrap_or(ForwardOption::Continue),
            reasons: reasons.unwrap_or_default(),
            next_steps: next_steps.unwrap_or_default(),
        })
    }

    /// The title of the proposal that puts this way forward to the partners.
    pub fn proposal_title(&self) -> String {
        format!("Way forward: {}", self.option.label().to_lowercase())
    }

    /// The text of that proposal.
    pub fn proposal_text(&self) -> String {
        format!(
            "We propose that the way forward is to {}: {}\n\nReasons:\n\n{}\n\nNext steps:\n\n{}",
            self.option.label().to_lowercase(),
            self.option.hint().to_lowercase().trim_end_matches('.'),
            self.reasons,
            self.next_steps
        )
    }
}

/// May a person record `organisation`'s position? The same people who may
/// cast its vote on a proposal ([`crate::policy::may_vote_for`]): an admin
/// of a lead or partner organisation, or the person who sits on one of the
/// collaboration's governance groups for it. The refusal says why.
pub fn may_speak_for(
    participation: Option<&crate::policy::Participation>,
    sits_on_body: bool,
) -> Result<(), &'static str> {
    crate::policy::may_vote_for(participation, sits_on_body).map_err(|_| match participation {
        None => "You can only record the position of an organisation you belong to.",
        Some(p) if !crate::approval::is_party(p.participant_role) => {
            "Only lead and partner organisations record a position on the way forward. Observers and facilitators can read the positions."
        }
        Some(_) => {
            "Only an admin of the organisation, or the person who sits on a governance group for it, can record its position. Ask one of them."
        }
    })
}

/// Is an aim still open, to be carried into the next cycle? `review` is how
/// it was reviewed, None when it was not.
pub fn aim_is_open(review: Option<Outcome>) -> bool {
    review != Some(Outcome::Achieved)
}

/// Longest collaboration title (as in [`crate::collaborations`]).
const TITLE_MAX: usize = 150;

/// The part of a title before a trailing " (cycle N)".
fn base_title(title: &str) -> &str {
    let t = title.trim();
    if let Some(open) = t.rfind(" (cycle ")
        && let Some(number) = t[open + " (cycle ".len()..].strip_suffix(')')
        && !number.is_empty()
        && number.chars().all(|c| c.is_ascii_digit())
    {
        return t[..open].trim_end();
    }
    t
}

/// The title of cycle `number` (2 for the first next cycle) of a
/// collaboration titled `title`, at most 150 characters.
pub fn cycle_title(title: &str, number: i64) -> String {
    let suffix = format!(" (cycle {number})");
    let room = TITLE_MAX - suffix.chars().count();
    let base: String = base_title(title).chars().take(room).collect();
    format!("{}{suffix}", base.trim_end())
}

/// What the way-forward items of the Review checklist are worked out from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ForwardFacts {
    /// Lead and partner organisations now.
    pub parties: i64,
    /// Of those, how many have recorded a position.
    pub positions: i64,
    /// A way forward has been agreed.
    pub agreed: bool,
}

/// The Review checklist's items for the way forward.
pub fn checklist(collaboration_id: i64, f: ForwardFacts) -> Vec<ChecklistItem> {
    let href = format!("/collaborations/{collaboration_id}/forward");
    let missing = f.parties - f.positions;
    let detail = if f.parties == 0 {
        "No lead or partner organisation takes part yet.".to_string()
    } else if missing <= 0 {
        "Every partner has recorded its position.".to_string()
    } else if missing == 1 {
        format!(
            "{} of {} partners have recorded a position. 1 has still to.",
            f.positions, f.parties
        )
    } else {
        format!(
            "{} of {} partners have recorded a position. {missing} have still to.",
            f.positions, f.parties
        )
    };
    vec![
        ChecklistItem {
            key: "positions_recorded",
            label: "Every partner's position on the way forward recorded",
            done: f.parties > 0 && missing <= 0,
            detail,
            href: href.clone(),
        },
        ChecklistItem {
            key: "way_forward_agreed",
            label: "Way forward agreed",
            done: f.agreed,
            detail: if f.agreed {
                "The partners have agreed the way forward.".to_string()
            } else {
                "Not agreed yet. A lead puts a way forward to the partners for a decision."
                    .to_string()
            },
            href,
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_position_needs_an_option_and_reasons() {
        let e = PositionDetails::parse(&PositionInput::default()).unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["option", "reasons"]);
        let p = PositionDetails::parse(&PositionInput {
            option: " widen ",
            reasons: " We need **more** reach.\r\n",
            next_steps: "",
        })
        .unwrap();
        assert_eq!(p.option, ForwardOption::Widen);
        assert_eq!(p.reasons, "We need **more** reach.");
        assert_eq!(p.next_steps, "");
        let e = PositionDetails::parse_way_forward(&PositionInput {
            option: "merge",
            reasons: "One board.",
            next_steps: " ",
        })
        .unwrap_err();
        assert_eq!(
            e.get("next_steps"),
            Some("Say what the next steps are, so the partners know what they agree to.")
        );
        let e = PositionDetails::parse(&PositionInput {
            option: "stop",
            reasons: &"x".repeat(TEXT_MAX + 1),
            next_steps: "",
        })
        .unwrap_err();
        assert_eq!(
            e.get("reasons"),
            Some("The reasons must be 5000 characters or fewer.")
        );
        assert!(e.get("option").is_some());
    }

    /// The same people as may vote for the organisation, each refusal in
    /// words of its own.
    #[test]
    fn who_may_speak_for_an_organisation() {
        use crate::collaborations::ParticipantRole::*;
        use crate::organisations::OrgRole::{Admin, Member};
        let p = |participant_role, org_role| crate::policy::Participation {
            organisation_id: 1,
            participant_role,
            org_role,
        };
        assert_eq!(may_speak_for(Some(&p(Partner, Admin)), false), Ok(()));
        assert_eq!(may_speak_for(Some(&p(Lead, Member)), true), Ok(()));
        assert_eq!(
            may_speak_for(Some(&p(Partner, Member)), false),
            Err(
                "Only an admin of the organisation, or the person who sits on a governance group for it, can record its position. Ask one of them."
            )
        );
        assert_eq!(
            may_speak_for(Some(&p(Observer, Admin)), true),
            Err(
                "Only lead and partner organisations record a position on the way forward. Observers and facilitators can read the positions."
            )
        );
        assert_eq!(
            may_speak_for(None, false),
            Err("You can only record the position of an organisation you belong to.")
        );
        for role in [Lead, Partner, Observer, Facilitator] {
            for org_role in [Admin, Member] {
                for seat in [false, true] {
                    assert_eq!(
                        may_speak_for(Some(&p(role, org_role)), seat).is_ok(),
                        crate::policy::may_vote_for(Some(&p(role, org_role)), seat).is_ok()
                    );
                }
            }
        }
    }

    #[test]
    fn every_option_round_trips() {
        for o in ForwardOption::ALL {
            assert_eq!(ForwardOption::parse_code(o.code()), Some(o));
            assert!(!o.hint().is_empty());
        }
        assert_eq!(ForwardOption::parse_code("Continue"), None);
    }

    /// Property: over every way an aim can stand, only an achieved aim is
    /// left behind.
    #[test]
    fn only_achieved_aims_stay_behind() {
        let cases = [
            None,
            Some(Outcome::Achieved),
            Some(Outcome::Partly),
            Some(Outcome::NotAchieved),
        ];
        let open: Vec<_> = cases.into_iter().filter(|r| aim_is_open(*r)).collect();
        assert_eq!(
            open,
            [None, Some(Outcome::Partly), Some(Outcome::NotAchieved)]
        );
    }

    /// Property: for titles of every length up to twice the longest and
    /// cycle numbers from 2 to 1000, the next cycle's title fits, ends
    /// with its number once, and keeps as much of the first title as fits.
    #[test]
    fn cycle_titles_fit_and_never_stack() {
        let words = ["Food hub", "Ré-use café", "A", "Youth (cycle) club", "x"];
        for w in words {
            for len in [1usize, 3, 40, 140, 150, 300] {
                let title: String = w.chars().cycle().take(len).collect();
                for n in [2i64, 3, 9, 10, 99, 1000] {
                    let t = cycle_title(&title, n);
                    let suffix = format!(" (cycle {n})");
                    assert!(t.chars().count() <= TITLE_MAX, "{t}");
                    assert!(t.ends_with(&suffix), "{t}");
                    // What comes before the number is the first title, cut to fit.
                    let room = TITLE_MAX - suffix.chars().count();
                    let kept: String = base_title(&title).chars().take(room).collect();
                    assert_eq!(base_title(&t), kept.trim_end(), "{t}");
                    // Taking the next cycle of a cycle replaces the number.
                    let again = cycle_title(&t, n + 1);
                    assert_eq!(again, cycle_title(&title, n + 1));
                }
            }
        }
        assert_eq!(cycle_title("Food hub", 2), "Food hub (cycle 2)");
        assert_eq!(cycle_title("Food hub (cycle 2)", 3), "Food hub (cycle 3)");
        assert_eq!(
            cycle_title("Hub (cycle two)", 2),
            "Hub (cycle two) (cycle 2)"
        );
    }

    #[test]
    fn the_checklist_counts_positions_and_agreement() {
        let items = checklist(
            7,
            ForwardFacts {
                parties: 3,
                positions: 2,
                agreed: false,
            },
        );
        assert_eq!(items.len(), 2);
        assert!(!items[0].done);
        assert_eq!(
            items[0].detail,
            "2 of 3 partners have recorded a position. 1 has still to."
        );
        assert_eq!(items[0].href, "/collaborations/7/forward");
        let items = checklist(
            7,
            ForwardFacts {
                parties: 3,
                positions: 3,
                agreed: true,
            },
        );
        assert!(items.iter().all(|i| i.done));
        assert!(!checklist(7, ForwardFacts::default())[0].done);
    }
}
