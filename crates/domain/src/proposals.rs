//! Decisions by vote: proposals that the partner organisations vote on
//! under the decision rule of the governance body that owns them.
//!
//! Rules decided here:
//! - A proposal has a title, what is proposed, the body it is put to and a
//!   closing date. The body's decision rule and quorum are copied onto the
//!   proposal when it is made, so changing the body later does not change
//!   how a vote already running is counted.
//! - Each lead and partner organisation has one vote: agree, abstain,
//!   disagree, or block where the rule has blocks (consensus and consent).
//!   Every vote gives a reason. A vote can be changed until the proposal
//!   closes.
//! - A proposal closes at the end of its closing date (UTC), or earlier
//!   when the proposer or the lead closes it.
//! - The electorate is the lead and partner organisations at the moment of
//!   counting. An organisation that joins mid-vote can vote; the votes of
//!   one that has left are kept but not counted.
//! - The result is decided once the proposal has closed, or as soon as
//!   every organisation in the electorate has voted. It is worked out by
//!   [`crate::governance::decide_with_blocks`]: the organisations that
//!   voted are those present, and the body's quorum (a number of people)
//!   is capped at the number of organisations that can vote.

use crate::errors::{FieldErrors, RuleError};
use crate::governance::{
    DecisionRule, LeadPosition, Outcome, Votes, decide_with_blocks, rule_has_blocks,
};
use crate::tasks::iso_date;
use crate::values::{optional_text, required_line};
use serde::{Deserialize, Serialize};

pub const TITLE_MAX: usize = 200;
pub const TEXT_MAX: usize = 10_000;
pub const REASON_MAX: usize = 2_000;
pub const OUTCOME_MAX: usize = 10_000;

/// How an organisation votes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Choice {
    Agree,
    Abstain,
    Disagree,
    Block,
}

impl Choice {
    pub const ALL: [Choice; 4] = [
        Choice::Agree,
        Choice::Abstain,
        Choice::Disagree,
        Choice::Block,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Choice::Agree => "agree",
            Choice::Abstain => "abstain",
            Choice::Disagree => "disagree",
            Choice::Block => "block",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Choice::Agree => "Agree",
            Choice::Abstain => "Abstain",
            Choice::Disagree => "Disagree",
            Choice::Block => "Block",
        }
    }

    /// What choosing it means, shown next to the option.
    pub fn hint(self, rule: DecisionRule) -> &'static str {
        match (self, rule) {
            (Choice::Agree, _) => "Your organisation supports the proposal.",
            (Choice::Abstain, DecisionRule::Consensus) => {
                "You hold back. Under consensus this stops it passing."
            }
            (Choice::Abstain, DecisionRule::Consent) => {
                "You stand aside: you do not support it, but you will not stop it."
            }
            (Choice::Abstain, _) => "You do not take a side. Abstentions are not counted.",
            (Choice::Disagree, _) => "Your organisation is against the proposal.",
            (Choice::Block, _) => {
                "A serious objection: the proposal does not go ahead, whatever the others vote."
            }
        }
    }

    pub fn parse_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code.trim())
    }
}

/// The choices a rule offers, in the order they are shown.
pub fn choices_for(rule: DecisionRule) -> Vec<Choice> {
    Choice::ALL
        .into_iter()
        .filter(|c| *c != Choice::Block || rule_has_blocks(rule))
        .collect()
}

/// A proposal as submitted.
#[derive(Debug, Clone, Copy, Default)]
pub struct ProposalInput<'a> {
    pub title: &'a str,
    pub text: &'a str,
    pub body_id: &'a str,
    pub closes_on: &'a str,
}

/// A proposal as it may be saved, once the body is known to be one of the
/// collaboration's (checked by the caller).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposalFields {
    pub title: String,
    pub text: String,
    pub body_id: i64,
    /// `YYYY-MM-DD`: votes are taken until the end of this day (UTC).
    pub closes_on: String,
}

impl ProposalFields {
    /// Checks a submitted proposal; `today` is `YYYY-MM-DD` (UTC).
    pub fn parse(input: &ProposalInput<'_>, today: &str) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let title = errors.take(required_line("title", "a title", input.title, 1, TITLE_MAX));
        let text = errors
            .take(optional_text(
                "text",
                "what is proposed",
                input.text,
                TEXT_MAX,
            ))
            .and_then(|t| {
                if t.is_empty() {
                    errors.add("text", "Enter what is proposed.");
                    None
                } else {
                    Some(t)
                }
            });
        let body_id = match input.body_id.trim().parse::<i64>() {
            Ok(v) if v > 0 => Some(v),
            _ => {
                errors.add("body_id", "Choose the group that decides.");
                None
            }
        };
        let closes_on =
            match errors.take(iso_date("closes_on", "the closing date", input.closes_on)) {
                Some(Some(d)) if d.as_str() < today => {
                    errors.add(
                        "closes_on",
                        format!("The closing date cannot be in the past. Choose {today} or later."),
                    );
                    None
                }
                Some(Some(d)) => Some(d),
                Some(None) => {
                    errors.add(
                        "closes_on",
                        "Enter the closing date as a date like 2027-03-31 (year, month, day).",
                    );
                    None
                }
                None => None,
            };
        match (title, text, body_id, closes_on) {
            (Some(title), Some(text), Some(body_id), Some(closes_on)) if errors.is_empty() => {
                Ok(ProposalFields {
                    title,
                    text,
                    body_id,
                    closes_on,
                })
            }
            _ => Err(errors),
        }
    }
}

/// Checks a vote: a choice the rule offers and a reason.
pub fn parse_vote(
    rule: DecisionRule,
    choice: &str,
    reason: &str,
) -> Result<(Choice, String), FieldErrors> {
    let mut errors = FieldErrors::new();
    let choice = match Choice::parse_code(choice) {
        Some(Choice::Block) if !rule_has_blocks(rule) => {
            errors.add(
                "choice",
                format!(
                    "This group decides by {}, which has no block. Choose agree, abstain or disagree.",
                    rule.label().to_lowercase()
                ),
            );
            None
        }
        Some(c) => Some(c),
        None => {
            errors.add(
                "choice",
                if rule_has_blocks(rule) {
                    "Choose agree, abstain, disagree or block."
                } else {
                    "Choose agree, abstain or disagree."
                },
            );
            None
        }
    };
    let reason = errors
        .take(optional_text("reason", "the reason", reason, REASON_MAX))
        .and_then(|r| {
            if r.is_empty() {
                errors.add(
                    "reason",
                    "Give a reason, so the others know why your organisation voted this way.",
                );
                None
            } else {
                Some(r)
            }
        });
    match (choice, reason) {
        (Some(c), Some(r)) if errors.is_empty() => Ok((c, r)),
        _ => Err(errors),
    }
}

/// The decisions log's entry for a proposal's written outcome: the
/// proposal's title, the result and how it was reached, then the outcome
/// in the proposer's words; taken by a vote on `today`, by the body that
/// owned the proposal (if it still exists).
pub fn decision_for_outcome(
    title: &str,
    body_id: Option<i64>,
    standing: Standing,
    reasoning: &str,
    outcome: &str,
    today: &str,
) -> crate::decisions::DecisionFields {
    crate::decisions::DecisionFields {
        title: title.to_string(),
        decided: format!(
            "{}. {}\n\n{}",
            standing.label(),
            reasoning.trim_end_matches('.'),
            outcome
        ),
        decided_on: today.to_string(),
        how: crate::decisions::HowTaken::Vote,
        governance_body_id: body_id,
    }
}

/// Checks the outcome the proposer writes once the result is known.
pub fn parse_outcome(text: &str) -> Result<String, FieldErrors> {
    let mut errors = FieldErrors::new();
    let t = errors.take(optional_text("outcome", "the outcome", text, OUTCOME_MAX));
    match t {
        Some(t) if !t.is_empty() => Ok(t),
        Some(_) => {
            errors.add(
                "outcome",
                "Write the outcome: what was decided and what happens next.",
            );
            Err(errors)
        }
        None => Err(errors),
    }
}

/// Closed at the end of the closing date, or earlier when closed by hand.
pub fn is_closed(closes_on: &str, today: &str, closed_early: bool) -> bool {
    closed_early || today > closes_on
}

/// May a vote be cast or changed now?
pub fn check_open(closes_on: &str, today: &str, closed_early: bool) -> Result<(), RuleError> {
    if is_closed(closes_on, today, closed_early) {
        Err(RuleError(
            "Voting on this proposal has closed, so votes can no longer be cast or changed. \
             The result is on the proposal page."
                .into(),
        ))
    } else {
        Ok(())
    }
}

/// One organisation's vote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ballot {
    pub organisation_id: i64,
    pub choice: Choice,
}

/// Where the count stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    Passed,
    NotPassed,
    Blocked,
}

impl Standing {
    pub fn code(self) -> &'static str {
        match self {
            Standing::Passed => "passed",
            Standing::NotPassed => "not_passed",
            Standing::Blocked => "blocked",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Standing::Passed => "Passed",
            Standing::NotPassed => "Not passed",
            Standing::Blocked => "Blocked",
        }
    }

    pub fn parse_code(code: &str) -> Option<Self> {
        [Standing::Passed, Standing::NotPassed, Standing::Blocked]
            .into_iter()
            .find(|s| s.code() == code)
    }
}

/// The count of one proposal at one moment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Count {
    /// What the rule gives for the votes counted so far.
    pub standing: Standing,
    /// Closed, or every organisation that can vote has voted: `standing`
    /// is the result.
    pub decided: bool,
    pub agree: u32,
    pub abstain: u32,
    pub disagree: u32,
    pub block: u32,
    /// Organisations that can vote now.
    pub electorate: u32,
    /// Of those, how many have voted.
    pub voted: u32,
    /// Organisations that can vote and have not, lowest id first.
    pub not_voted: Vec<i64>,
    /// How many must vote for a result: the quorum, capped at the electorate.
    pub needed: u32,
    /// The rule's reasoning in plain words.
    pub reasoning: String,
}

fn orgs(n: u32) -> String {
    if n == 1 {
        "1 organisation".into()
    } else {
        format!("{n} organisations")
    }
}

/// Counts the votes under `rule`. `partners` are the lead and partner
/// organisations now, `leads` the lead ones among them; ballots of
/// organisations not among `partners` are not counted, and when one
/// organisation appears twice its last ballot counts. `quorum` is the
/// body's, in people.
pub fn count(
    rule: DecisionRule,
    quorum: i64,
    ballots: &[Ballot],
    partners: &[i64],
    leads: &[i64],
    closed: bool,
) -> Count {
    let mut electorate: Vec<i64> = partners.to_vec();
    electorate.sort_unstable();
    electorate.dedup();
    // The last ballot of each organisation that can vote.
    let mut counted: Vec<Ballot> = Vec::new();
    for b in ballots {
        if electorate.binary_search(&b.organisation_id).is_err() {
            continue;
        }
        match counted
            .iter_mut()
            .find(|c| c.organisation_id == b.organisation_id)
        {
            Some(c) => c.choice = b.choice,
            None => counted.push(*b),
        }
    }
    let not_voted: Vec<i64> = electorate
        .iter()
        .copied()
        .filter(|o| !counted.iter().any(|c| c.organisation_id == *o))
        .collect();
    let n = |c: Choice| counted.iter().filter(|b| b.choice == c).count() as u32;
    let (agree, abstain, disagree, mut block) = (
        n(Choice::Agree),
        n(Choice::Abstain),
        n(Choice::Disagree),
        n(Choice::Block),
    );
    // A rule without blocks counts a block as a vote against.
    let mut against = disagree;
    if !rule_has_blocks(rule) {
        against += block;
        block = 0;
    }
    let voted = counted.len() as u32;
    let size = electorate.len() as u32;
    let needed = u32::try_from(quorum.max(1)).unwrap_or(u32::MAX).min(size);
    let lead = {
        let lead_votes: Vec<Choice> = counted
            .iter()
            .filter(|b| leads.contains(&b.organisation_id))
            .map(|b| b.choice)
            .collect();
        if lead_votes
            .iter()
            .any(|c| matches!(c, Choice::Disagree | Choice::Block))
        {
            Some(LeadPosition::Against)
        } else if lead_votes.contains(&Choice::Agree) {
            Some(LeadPosition::InFavour)
        } else {
            None
        }
    };
    let votes = Votes {
        in_favour: agree,
        against,
        abstain,
    };
    let outcome = if size == 0 {
        Outcome::NotQuorate
    } else {
        // The sums cannot exceed `voted`, and blocks are cleared for rules
        // without them, so this is never refused.
        decide_with_blocks(rule, votes, block, voted, needed, lead).unwrap_or(Outcome::NotPassed)
    };
    let standing = match outcome {
        Outcome::Passed => Standing::Passed,
        Outcome::Blocked => Standing::Blocked,
        Outcome::NotPassed | Outcome::NotQuorate => Standing::NotPassed,
    };
    let reasoning = reasoning(rule, outcome, votes, block, voted, size, needed, lead);
    Count {
        standing,
        decided: closed || (size > 0 && not_voted.is_empty()),
        agree,
        abstain,
        disagree: against,
        block,
        electorate: size,
        voted,
        not_voted,
        needed,
        reasoning,
    }
}

#[allow(clippy::too_many_arguments)]
fn reasoning(
    rule: DecisionRule,
    outcome: Outcome,
    v: Votes,
    block: u32,
    voted: u32,
    size: u32,
    needed: u32,
    lead: Option<LeadPosition>,
) -> String {
    let (f, a, x) = (v.in_favour, v.against, v.abstain);
    if size == 0 {
        return "No lead or partner organisation takes part, so nobody can vote.".into();
    }
    if outcome == Outcome::NotQuorate {
        return format!(
            "{} of {} voted. At least {} must vote for a result, so it does not pass.",
            voted,
            orgs(size),
            needed
        );
    }
    match rule {
        DecisionRule::Consensus => match outcome {
            Outcome::Blocked => format!(
                "Consensus: {} blocked it, so it does not go ahead.",
                orgs(block)
            ),
            Outcome::Passed => format!("Consensus: all {} that voted agreed.", orgs(voted)),
            _ => format!(
                "Consensus needs every organisation that votes to agree: {f} agreed, {a} disagreed and {x} abstained."
            ),
        },
        DecisionRule::Consent => match outcome {
            Outcome::Blocked => format!(
                "Consent: {} blocked it, so it does not go ahead.",
                orgs(block)
            ),
            Outcome::Passed => format!("Consent: nobody objected. {f} agreed and {x} stood aside."),
            _ if a > 0 => format!("Consent: {} disagreed, so it does not go ahead.", orgs(a)),
            _ => "Consent needs at least one organisation to agree, and nobody did.".into(),
        },
        DecisionRule::SimpleMajority => {
            let verdict = if f > a {
                "more agreed than disagreed, so it passes"
            } else if f == a {
                "a tie does not pass"
            } else {
                "more disagreed than agreed, so it does not pass"
            };
            format!(
                "Simple majority: {f} agreed and {a} disagreed; {verdict}. {x} abstained, and abstentions are not counted."
            )
        }
        DecisionRule::TwoThirdsMajority => {
            let verdict = if outcome == Outcome::Passed {
                "at least two thirds, so it passes"
            } else {
                "less than two thirds, so it does not pass"
            };
            format!(
                "Two-thirds majority: {f} of the {} votes for or against were to agree, {verdict}. {x} abstained, and abstentions are not counted.",
                f + a
            )
        }
        DecisionRule::LeadDecides => match lead {
            Some(LeadPosition::InFavour) => {
                "Lead decides: the lead organisation agreed, so it passes.".into()
            }
            Some(LeadPosition::Against) => {
                "Lead decides: the lead organisation voted against, so it does not pass.".into()
            }
            None => {
                "Lead decides: the lead organisation has not agreed, so it does not pass.".into()
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use DecisionRule::*;

    fn b(org: i64, choice: Choice) -> Ballot {
        Ballot {
            organisation_id: org,
            choice,
        }
    }

    #[test]
    fn a_proposal_needs_every_field_and_a_future_date() {
        let e = ProposalFields::parse(&ProposalInput::default(), "2026-11-28").unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["title", "text", "body_id", "closes_on"]);
        let e = ProposalFields::parse(
            &ProposalInput {
                title: "Share a van",
                text: "We share one van.",
                body_id: "4",
                closes_on: "2026-11-27",
            },
            "2026-11-28",
        )
        .unwrap_err();
        assert_eq!(
            e.get("closes_on"),
            Some("The closing date cannot be in the past. Choose 2026-11-28 or later.")
        );
        let p = ProposalFields::parse(
            &ProposalInput {
                title: " Share a van ",
                text: "We share one van.",
                body_id: "4",
                closes_on: "2026-11-28",
            },
            "2026-11-28",
        )
        .unwrap();
        assert_eq!(
            (p.title.as_str(), p.body_id, p.closes_on.as_str()),
            ("Share a van", 4, "2026-11-28")
        );
    }

    #[test]
    fn blocks_only_where_the_rule_has_them_and_a_reason_always() {
        assert_eq!(
            choices_for(Consent),
            [
                Choice::Agree,
                Choice::Abstain,
                Choice::Disagree,
                Choice::Block
            ]
        );
        assert_eq!(
            choices_for(SimpleMajority),
            [Choice::Agree, Choice::Abstain, Choice::Disagree]
        );
        assert_eq!(
            parse_vote(Consensus, "block", "Too costly."),
            Ok((Choice::Block, "Too costly.".to_string()))
        );
        let e = parse_vote(TwoThirdsMajority, "block", "No.").unwrap_err();
        assert_eq!(
            e.get("choice"),
            Some(
                "This group decides by two-thirds majority, which has no block. Choose agree, abstain or disagree."
            )
        );
        let e = parse_vote(Consent, "agree", "  ").unwrap_err();
        assert_eq!(
            e.get("reason"),
            Some("Give a reason, so the others know why your organisation voted this way.")
        );
        assert!(parse_vote(Consent, "maybe", "Hm.").is_err());
        assert!(parse_outcome(" ").is_err());
        assert_eq!(parse_outcome(" Done. ").unwrap(), "Done.");
    }

    #[test]
    fn closes_after_its_closing_date_or_when_closed_early() {
        assert!(!is_closed("2026-11-28", "2026-11-28", false));
        assert!(is_closed("2026-11-28", "2026-11-29", false));
        assert!(is_closed("2026-11-30", "2026-11-28", true));
        assert!(check_open("2026-11-28", "2026-11-29", false).is_err());
    }

    #[test]
    fn plain_counts_with_their_reasoning() {
        let c = count(
            SimpleMajority,
            2,
            &[
                b(1, Choice::Agree),
                b(2, Choice::Disagree),
                b(3, Choice::Abstain),
            ],
            &[1, 2, 3],
            &[1],
            false,
        );
        assert_eq!(c.standing, Standing::NotPassed);
        assert!(c.decided);
        assert_eq!(
            c.reasoning,
            "Simple majority: 1 agreed and 1 disagreed; a tie does not pass. 1 abstained, and abstentions are not counted."
        );
        let c = count(
            Consent,
            3,
            &[b(1, Choice::Agree), b(2, Choice::Block)],
            &[1, 2, 3],
            &[1],
            false,
        );
        assert!(!c.decided);
        assert_eq!(c.not_voted, [3]);
        // Two of three voted, the quorum of 3 people needs all three.
        assert_eq!(c.standing, Standing::NotPassed);
        assert_eq!(
            c.reasoning,
            "2 of 3 organisations voted. At least 3 must vote for a result, so it does not pass."
        );
        let c = count(
            Consent,
            2,
            &[b(1, Choice::Agree), b(2, Choice::Block)],
            &[1, 2, 3],
            &[1],
            true,
        );
        assert_eq!((c.standing, c.decided), (Standing::Blocked, true));
        assert_eq!(
            c.reasoning,
            "Consent: 1 organisation blocked it, so it does not go ahead."
        );
        let c = count(
            LeadDecides,
            1,
            &[b(1, Choice::Agree), b(2, Choice::Disagree)],
            &[1, 2],
            &[1],
            false,
        );
        assert_eq!(c.standing, Standing::Passed);
        let c = count(Consensus, 1, &[], &[], &[], true);
        assert_eq!((c.standing, c.decided), (Standing::NotPassed, true));
    }
}
