//! Governance bodies: the steering group, working groups and the like that
//! a collaboration sets up to make its decisions.
//!
//! Rules decided here:
//! - A body has a name, an optional purpose, a decision rule, a quorum and
//!   how often it meets. Its members are people from the organisations
//!   taking part, each sitting for one of their organisations; its chair,
//!   when there is one, is one of its members.
//! - The quorum is at least 1 and at most the number of members.
//! - [`decide`] says whether a proposal passes under each decision rule,
//!   given the votes and how many members are present. The Implement stage
//!   uses it for decisions.
//! - [`governance_is_set`] says when the Plan stage's "governance set"
//!   output is done.

use crate::errors::{FieldErrors, RuleError};
use crate::values::{optional_text, required_line};
use serde::{Deserialize, Serialize};

/// How a body makes its decisions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DecisionRule {
    Consensus,
    Consent,
    SimpleMajority,
    TwoThirdsMajority,
    LeadDecides,
}

impl DecisionRule {
    pub const ALL: [DecisionRule; 5] = [
        DecisionRule::Consensus,
        DecisionRule::Consent,
        DecisionRule::SimpleMajority,
        DecisionRule::TwoThirdsMajority,
        DecisionRule::LeadDecides,
    ];

    pub fn code(self) -> &'static str {
        match self {
            DecisionRule::Consensus => "consensus",
            DecisionRule::Consent => "consent",
            DecisionRule::SimpleMajority => "simple_majority",
            DecisionRule::TwoThirdsMajority => "two_thirds_majority",
            DecisionRule::LeadDecides => "lead_decides",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            DecisionRule::Consensus => "Consensus",
            DecisionRule::Consent => "Consent",
            DecisionRule::SimpleMajority => "Simple majority",
            DecisionRule::TwoThirdsMajority => "Two-thirds majority",
            DecisionRule::LeadDecides => "Lead decides",
        }
    }

    /// What the rule means in practice, shown where someone chooses it.
    pub fn explanation(self) -> &'static str {
        match self {
            DecisionRule::Consensus => {
                "Everyone present must agree. Nobody may vote against or hold back. \
                 Slow, but everyone owns the result."
            }
            DecisionRule::Consent => {
                "A proposal goes ahead unless someone present objects. People may stand aside \
                 without blocking it. Quicker than consensus."
            }
            DecisionRule::SimpleMajority => {
                "It passes when more people vote for it than against. People who abstain are not counted."
            }
            DecisionRule::TwoThirdsMajority => {
                "It passes when at least two out of three votes cast are for it. \
                 Good for big changes such as money or new partners."
            }
            DecisionRule::LeadDecides => {
                "The lead organisation decides after hearing the others. \
                 Fast, but the other partners must trust the lead."
            }
        }
    }

    pub fn parse_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code.trim())
    }
}

/// How often a body meets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeetingFrequency {
    Weekly,
    Fortnightly,
    Monthly,
    EveryTwoMonths,
    Quarterly,
    TwiceAYear,
    Yearly,
    AsNeeded,
}

impl MeetingFrequency {
    pub const ALL: [MeetingFrequency; 8] = [
        MeetingFrequency::Weekly,
        MeetingFrequency::Fortnightly,
        MeetingFrequency::Monthly,
        MeetingFrequency::EveryTwoMonths,
        MeetingFrequency::Quarterly,
        MeetingFrequency::TwiceAYear,
        MeetingFrequency::Yearly,
        MeetingFrequency::AsNeeded,
    ];

    pub fn code(self) -> &'static str {
        match self {
            MeetingFrequency::Weekly => "weekly",
            MeetingFrequency::Fortnightly => "fortnightly",
            MeetingFrequency::Monthly => "monthly",
            MeetingFrequency::EveryTwoMonths => "every_two_months",
            MeetingFrequency::Quarterly => "quarterly",
            MeetingFrequency::TwiceAYear => "twice_a_year",
            MeetingFrequency::Yearly => "yearly",
            MeetingFrequency::AsNeeded => "as_needed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            MeetingFrequency::Weekly => "Every week",
            MeetingFrequency::Fortnightly => "Every two weeks",
            MeetingFrequency::Monthly => "Every month",
            MeetingFrequency::EveryTwoMonths => "Every two months",
            MeetingFrequency::Quarterly => "Every three months",
            MeetingFrequency::TwiceAYear => "Twice a year",
            MeetingFrequency::Yearly => "Once a year",
            MeetingFrequency::AsNeeded => "When needed",
        }
    }

    pub fn parse_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.code() == code.trim())
    }
}

pub const NAME_MAX: usize = 120;
pub const PURPOSE_MAX: usize = 2000;
/// More members than this is a meeting nobody can run.
pub const MEMBERS_MAX: usize = 60;

/// A body as it may be saved, once its members are known to be people
/// of the organisations taking part (checked by the caller).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyDetails {
    pub name: String,
    pub purpose: String,
    pub decision_rule: DecisionRule,
    pub quorum: i64,
    pub meets: MeetingFrequency,
    /// Person ids, in the order given, without repeats.
    pub members: Vec<i64>,
    pub chair: Option<i64>,
}

/// A body as submitted. Numbers that could not be read are None.
#[derive(Debug, Clone, Default)]
pub struct BodyInput<'a> {
    pub name: &'a str,
    pub purpose: &'a str,
    pub decision_rule: &'a str,
    pub quorum: Option<i64>,
    pub meets: &'a str,
    pub members: Vec<i64>,
    pub chair: Option<i64>,
}

impl BodyDetails {
    /// Checks a submitted body; field errors in the order of the form.
    pub fn parse(input: &BodyInput<'_>) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = errors.take(required_line(
            "name",
            "a name for the group",
            input.name,
            1,
            NAME_MAX,
        ));
        let purpose = errors.take(optional_text(
            "purpose",
            "the purpose",
            input.purpose,
            PURPOSE_MAX,
        ));
        let mut members: Vec<i64> = Vec::new();
        for &m in &input.members {
            if !members.contains(&m) {
                members.push(m);
            }
        }
        if members.is_empty() {
            errors.add(
                "members",
                "Choose at least one member from the organisations taking part.",
            );
        } else if members.len() > MEMBERS_MAX {
            errors.add(
                "members",
                format!("A group can have at most {MEMBERS_MAX} members."),
            );
        }
        if let Some(chair) = input.chair
            && !members.contains(&chair)
        {
            errors.add(
                "chair",
                "The chair must be one of the members. Tick them as a member too, or choose another chair.",
            );
        }
        let decision_rule = DecisionRule::parse_code(input.decision_rule);
        if decision_rule.is_none() {
            errors.add(
                "decision_rule",
                "Choose how the group makes decisions: consensus, consent, simple majority, two-thirds majority or lead decides.",
            );
        }
        match input.quorum {
            None => errors.add("quorum", "Enter the quorum as a whole number, such as 3."),
            Some(q) => {
                if let Err(message) = check_quorum(q, members.len()) {
                    errors.add("quorum", message);
                }
            }
        }
        let meets = MeetingFrequency::parse_code(input.meets);
        if meets.is_none() {
            errors.add("meets", "Choose how often the group meets.");
        }
        match (name, purpose, decision_rule, input.quorum, meets) {
            (Some(name), Some(purpose), Some(decision_rule), Some(quorum), Some(meets))
                if errors.is_empty() =>
            {
                Ok(BodyDetails {
                    name,
                    purpose,
                    decision_rule,
                    quorum,
                    meets,
                    members,
                    chair: input.chair,
                })
            }
            _ => Err(errors),
        }
    }
}

/// The quorum must be between 1 and the number of members.
pub fn check_quorum(quorum: i64, members: usize) -> Result<(), String> {
    let members = members as i64;
    if quorum < 1 {
        return Err("The quorum must be at least 1.".into());
    }
    if members > 0 && quorum > members {
        return Err(format!(
            "The quorum cannot be more than the number of members ({members}). \
             Choose {members} or fewer, or add members."
        ));
    }
    if members == 0 {
        return Err("Choose the members first: the quorum cannot be more than them.".into());
    }
    Ok(())
}

/// How the members present voted on one proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Votes {
    pub in_favour: u32,
    pub against: u32,
    pub abstain: u32,
}

impl Votes {
    pub fn cast(&self) -> u64 {
        u64::from(self.in_favour) + u64::from(self.against) + u64::from(self.abstain)
    }
}

/// What the lead organisation's representatives said, for "lead decides".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LeadPosition {
    InFavour,
    Against,
}

/// The result of putting a proposal to a body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Passed,
    NotPassed,
    /// Fewer members were present than the quorum: no decision was taken.
    NotQuorate,
    /// Someone blocked it, under a rule that allows blocks (consensus and
    /// consent): it does not go ahead, whatever the other votes.
    Blocked,
}

/// Whether a rule lets a voter block a proposal outright.
pub fn rule_has_blocks(rule: DecisionRule) -> bool {
    matches!(rule, DecisionRule::Consensus | DecisionRule::Consent)
}

/// Whether a proposal passes under `rule`, given the votes of the members
/// present, how many are present and the quorum. Under "lead decides" the
/// lead's position decides (and without one nothing passes). Every rule
/// needs a quorate meeting and at least one vote in favour.
///
/// Refused when more votes were cast than members are present.
pub fn decide(
    rule: DecisionRule,
    votes: Votes,
    present: u32,
    quorum: u32,
    lead: Option<LeadPosition>,
) -> Result<Outcome, RuleError> {
    decide_with_blocks(rule, votes, 0, present, quorum, lead)
}

/// [`decide`] with blocks: votes that stop a proposal outright under
/// consensus and consent. Blocks are cast by members present, like the
/// other votes. A quorate count with any block is [`Outcome::Blocked`];
/// blocks under a rule without them are refused.
pub fn decide_with_blocks(
    rule: DecisionRule,
    votes: Votes,
    blocks: u32,
    present: u32,
    quorum: u32,
    lead: Option<LeadPosition>,
) -> Result<Outcome, RuleError> {
    if blocks > 0 && !rule_has_blocks(rule) {
        return Err(RuleError(format!(
            "{} has no blocks. Count them as votes against.",
            rule.label()
        )));
    }
    if votes.cast() + u64::from(blocks) > u64::from(present) {
        return Err(RuleError(format!(
            "{} votes were counted but only {present} members were present. Check the count.",
            votes.cast() + u64::from(blocks)
        )));
    }
    if present < quorum.max(1) {
        return Ok(Outcome::NotQuorate);
    }
    if blocks > 0 {
        return Ok(Outcome::Blocked);
    }
    let (f, a, x) = (
        u64::from(votes.in_favour),
        u64::from(votes.against),
        u64::from(votes.abstain),
    );
    let passed = match rule {
        // Everyone present actively agrees.
        DecisionRule::Consensus => f >= 1 && a == 0 && x == 0 && f == u64::from(present),
        // Nobody objects; standing aside is allowed.
        DecisionRule::Consent => f >= 1 && a == 0,
        DecisionRule::SimpleMajority => f > a,
        // At least two thirds of the votes cast for or against.
        DecisionRule::TwoThirdsMajority => f >= 1 && 3 * f >= 2 * (f + a),
        DecisionRule::LeadDecides => lead == Some(LeadPosition::InFavour),
    };
    Ok(if passed {
        Outcome::Passed
    } else {
        Outcome::NotPassed
    })
}

/// What the checklist needs to know about one body.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BodyFacts {
    pub has_chair: bool,
    pub has_decision_rule: bool,
    pub quorum: i64,
    /// The organisations its members sit for.
    pub member_organisations: Vec<i64>,
    pub members: usize,
}

/// Governance is set when at least one body has a chair, a decision rule,
/// a quorum its members can meet, and members from every partner: each
/// organisation taking part as lead or partner (observers and facilitators
/// need not sit on it). Without partners there is nothing to govern.
pub fn governance_is_set(bodies: &[BodyFacts], partners: &[i64]) -> bool {
    !partners.is_empty()
        && bodies.iter().any(|b| {
            b.has_chair
                && b.has_decision_rule
                && check_quorum(b.quorum, b.members).is_ok()
                && partners.iter().all(|p| b.member_organisations.contains(p))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> BodyInput<'static> {
        BodyInput {
            name: " Steering group ",
            purpose: "Keeps the work on track.",
            decision_rule: "consent",
            quorum: Some(2),
            meets: "monthly",
            members: vec![5, 6, 5, 7],
            chair: Some(6),
        }
    }

    #[test]
    fn codes_round_trip() {
        for r in DecisionRule::ALL {
            assert_eq!(DecisionRule::parse_code(r.code()), Some(r));
            assert!(r.explanation().ends_with('.'));
        }
        for f in MeetingFrequency::ALL {
            assert_eq!(MeetingFrequency::parse_code(f.code()), Some(f));
        }
        assert_eq!(DecisionRule::parse_code("dictator"), None);
    }

    #[test]
    fn a_good_body_parses_and_drops_repeats() {
        let b = BodyDetails::parse(&input()).unwrap();
        assert_eq!(b.name, "Steering group");
        assert_eq!(b.members, [5, 6, 7]);
        assert_eq!(b.chair, Some(6));
        assert_eq!(b.decision_rule, DecisionRule::Consent);
        assert_eq!(b.meets, MeetingFrequency::Monthly);
    }

    #[test]
    fn quorum_is_checked_against_the_members() {
        let e = BodyDetails::parse(&BodyInput {
            quorum: Some(4),
            ..input()
        })
        .unwrap_err();
        assert_eq!(
            e.get("quorum"),
            Some(
                "The quorum cannot be more than the number of members (3). Choose 3 or fewer, or add members."
            )
        );
        let e = BodyDetails::parse(&BodyInput {
            quorum: Some(0),
            ..input()
        })
        .unwrap_err();
        assert_eq!(e.get("quorum"), Some("The quorum must be at least 1."));
        assert!(
            BodyDetails::parse(&BodyInput {
                quorum: None,
                ..input()
            })
            .is_err()
        );
        assert!(
            BodyDetails::parse(&BodyInput {
                quorum: Some(3),
                ..input()
            })
            .is_ok()
        );
    }

    #[test]
    fn every_problem_is_named() {
        let e = BodyDetails::parse(&BodyInput {
            name: "",
            purpose: "",
            decision_rule: "vote",
            quorum: Some(1),
            meets: "sometimes",
            members: vec![],
            chair: Some(9),
        })
        .unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "name",
                "members",
                "chair",
                "decision_rule",
                "quorum",
                "meets"
            ]
        );
    }

    #[test]
    fn rules_on_plain_cases() {
        use DecisionRule::*;
        let v = |f, a, x| Votes {
            in_favour: f,
            against: a,
            abstain: x,
        };
        assert_eq!(
            decide(Consensus, v(4, 0, 0), 4, 3, None),
            Ok(Outcome::Passed)
        );
        assert_eq!(
            decide(Consensus, v(3, 0, 1), 4, 3, None),
            Ok(Outcome::NotPassed)
        );
        assert_eq!(decide(Consent, v(3, 0, 1), 4, 3, None), Ok(Outcome::Passed));
        assert_eq!(
            decide(Consent, v(3, 1, 0), 4, 3, None),
            Ok(Outcome::NotPassed)
        );
        assert_eq!(
            decide(SimpleMajority, v(2, 1, 1), 4, 3, None),
            Ok(Outcome::Passed)
        );
        assert_eq!(
            decide(SimpleMajority, v(2, 2, 0), 4, 3, None),
            Ok(Outcome::NotPassed)
        );
        assert_eq!(
            decide(TwoThirdsMajority, v(2, 1, 0), 3, 3, None),
            Ok(Outcome::Passed)
        );
        assert_eq!(
            decide(TwoThirdsMajority, v(3, 2, 0), 5, 3, None),
            Ok(Outcome::NotPassed)
        );
        assert_eq!(
            decide(LeadDecides, v(0, 3, 0), 3, 2, Some(LeadPosition::InFavour)),
            Ok(Outcome::Passed)
        );
        assert_eq!(
            decide(LeadDecides, v(3, 0, 0), 3, 2, None),
            Ok(Outcome::NotPassed)
        );
        assert_eq!(
            decide(SimpleMajority, v(2, 0, 0), 2, 3, None),
            Ok(Outcome::NotQuorate)
        );
        assert!(decide(SimpleMajority, v(2, 2, 0), 3, 1, None).is_err());
    }

    #[test]
    fn governance_needs_every_partner_a_chair_and_a_quorum() {
        let good = BodyFacts {
            has_chair: true,
            has_decision_rule: true,
            quorum: 2,
            member_organisations: vec![1, 2],
            members: 3,
        };
        assert!(governance_is_set(std::slice::from_ref(&good), &[1, 2]));
        assert!(!governance_is_set(std::slice::from_ref(&good), &[1, 2, 3]));
        assert!(!governance_is_set(&[], &[1]));
        assert!(!governance_is_set(std::slice::from_ref(&good), &[]));
        for bad in [
            BodyFacts {
                has_chair: false,
                ..good.clone()
            },
            BodyFacts {
                has_decision_rule: false,
                ..good.clone()
            },
            BodyFacts {
                quorum: 4,
                ..good.clone()
            },
            BodyFacts {
                quorum: 0,
                ..good.clone()
            },
        ] {
            assert!(
                !governance_is_set(std::slice::from_ref(&bad), &[1, 2]),
                "{bad:?}"
            );
            // Another body that is set makes up for it.
            assert!(governance_is_set(&[bad, good.clone()], &[1, 2]));
        }
    }
}
