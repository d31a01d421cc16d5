//! Property checks for the Plan stage's structures: the decision rules of
//! governance bodies, when governance counts as set, and when the
//! responsibilities matrix counts as agreed. Each property is checked on
//! many generated cases from a small deterministic generator, against an
//! independent statement of the rule where one is simple enough to give.

use crate::governance::{
    BodyFacts, DecisionRule, LeadPosition, Outcome, Votes, decide, governance_is_set,
};
use crate::responsibilities::{Raci, STANDARD_FUNCTIONS, is_agreed, review};

struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    /// Mostly small numbers, where the edges are, sometimes large ones.
    fn count(&mut self) -> u32 {
        match self.below(10) {
            0 => self.below(u64::from(u32::MAX)) as u32,
            1..=2 => self.below(1000) as u32,
            _ => self.below(8) as u32,
        }
    }
    fn lead(&mut self) -> Option<LeadPosition> {
        match self.below(3) {
            0 => None,
            1 => Some(LeadPosition::InFavour),
            _ => Some(LeadPosition::Against),
        }
    }
}

const ROUNDS: usize = 20_000;

fn passes(
    rule: DecisionRule,
    v: Votes,
    present: u32,
    quorum: u32,
    lead: Option<LeadPosition>,
) -> bool {
    decide(rule, v, present, quorum, lead) == Ok(Outcome::Passed)
}

#[test]
fn decisions_follow_their_rules() {
    let mut g = Gen(0x5EED_0001);
    let mut passed = [0usize; 5];
    let mut not_passed = 0;
    let mut not_quorate = 0;
    for _ in 0..ROUNDS {
        // Sometimes everyone present agrees, the case consensus needs.
        let unanimous = g.below(6) == 0;
        let v = Votes {
            in_favour: g.count(),
            against: if unanimous { 0 } else { g.count() },
            abstain: if unanimous { 0 } else { g.count() },
        };
        // Usually at least as many present as voted, sometimes not.
        let present = if g.below(8) == 0 {
            g.count()
        } else {
            let extra = if unanimous {
                0
            } else {
                u64::from(g.count() % 4)
            };
            (v.cast() + extra).min(u64::from(u32::MAX)) as u32
        };
        let quorum = g.count();
        let lead = g.lead();
        for (i, rule) in DecisionRule::ALL.into_iter().enumerate() {
            let got = decide(rule, v, present, quorum, lead);
            // Impossible counts are refused, and only those.
            if v.cast() > u64::from(present) {
                assert!(got.is_err(), "{rule:?} {v:?} present {present}");
                continue;
            }
            let got = got.unwrap();
            // A meeting below its quorum decides nothing.
            if present < quorum.max(1) {
                assert_eq!(got, Outcome::NotQuorate);
                not_quorate += 1;
                continue;
            }
            // The rule, stated again with exact fractions.
            let (f, a, x) = (
                f64::from(v.in_favour),
                f64::from(v.against),
                f64::from(v.abstain),
            );
            let want = match rule {
                DecisionRule::Consensus => {
                    v.in_favour > 0 && a == 0.0 && x == 0.0 && v.in_favour == present
                }
                DecisionRule::Consent => v.in_favour > 0 && v.against == 0,
                DecisionRule::SimpleMajority => f > 0.0 && f / (f + a) > 0.5,
                DecisionRule::TwoThirdsMajority => {
                    // Integer arithmetic avoids rounding at exactly 2/3.
                    f > 0.0
                        && 3 * u64::from(v.in_favour)
                            >= 2 * (u64::from(v.in_favour) + u64::from(v.against))
                }
                DecisionRule::LeadDecides => lead == Some(LeadPosition::InFavour),
            };
            assert_eq!(
                got == Outcome::Passed,
                want,
                "{rule:?} {v:?} present {present} quorum {quorum} lead {lead:?}"
            );
            if want {
                passed[i] += 1;
            } else {
                not_passed += 1;
            }
        }
    }
    // The cases reached every outcome of every rule.
    assert!(passed.iter().all(|&n| n > 100), "{passed:?}");
    assert!(not_passed > 1000 && not_quorate > 1000);
}

#[test]
fn stricter_rules_imply_looser_ones() {
    use DecisionRule::*;
    let mut g = Gen(0x5EED_0002);
    for _ in 0..ROUNDS {
        let v = Votes {
            in_favour: g.count() % 50,
            against: g.count() % 50,
            abstain: g.count() % 50,
        };
        let present = (v.cast() + u64::from(g.count() % 3)) as u32;
        let quorum = g.count() % 60;
        let p = |r| passes(r, v, present, quorum, None);
        // Consensus => consent => two-thirds => simple majority.
        assert!(!p(Consensus) || p(Consent), "{v:?}");
        assert!(!p(Consent) || p(TwoThirdsMajority), "{v:?}");
        assert!(!p(TwoThirdsMajority) || p(SimpleMajority), "{v:?}");
    }
}

#[test]
fn more_support_never_hurts_and_abstaining_does_not_count_in_majorities() {
    let mut g = Gen(0x5EED_0003);
    for _ in 0..ROUNDS {
        let v = Votes {
            in_favour: g.count() % 40,
            against: 1 + g.count() % 40,
            abstain: g.count() % 40,
        };
        let present = (v.cast() + u64::from(g.count() % 3)) as u32;
        let quorum = g.count() % 50;
        let lead = g.lead();
        // One person changes their mind from against to for.
        let won_over = Votes {
            in_favour: v.in_favour + 1,
            against: v.against - 1,
            ..v
        };
        for rule in DecisionRule::ALL {
            if passes(rule, v, present, quorum, lead) {
                assert!(
                    passes(rule, won_over, present, quorum, lead),
                    "{rule:?} {v:?}"
                );
            }
        }
        // Abstentions turned into absences change no majority vote, as
        // long as the meeting stays quorate.
        let fewer = Votes { abstain: 0, ..v };
        let still_present = present - v.abstain;
        if still_present >= quorum.max(1) {
            for rule in [
                DecisionRule::SimpleMajority,
                DecisionRule::TwoThirdsMajority,
            ] {
                assert_eq!(
                    passes(rule, v, present, quorum, lead),
                    passes(rule, fewer, still_present, quorum, lead),
                    "{rule:?} {v:?}"
                );
            }
        }
        // A simple majority is never won by both sides at once.
        let swapped = Votes {
            in_favour: v.against,
            against: v.in_favour,
            ..v
        };
        assert!(
            !(passes(DecisionRule::SimpleMajority, v, present, quorum, None)
                && passes(DecisionRule::SimpleMajority, swapped, present, quorum, None))
        );
    }
}

fn random_body(g: &mut Gen, orgs: &[i64]) -> BodyFacts {
    let member_organisations: Vec<i64> = orgs.iter().copied().filter(|_| g.below(4) != 0).collect();
    let members = member_organisations.len() + g.below(3) as usize;
    BodyFacts {
        has_chair: g.below(5) != 0,
        has_decision_rule: g.below(8) != 0,
        quorum: g.below(members as u64 + 3) as i64 - 1,
        member_organisations,
        members,
    }
}

#[test]
fn governance_is_set_exactly_when_one_body_qualifies() {
    let mut g = Gen(0x5EED_0004);
    let mut set = 0;
    for _ in 0..ROUNDS / 4 {
        let partners: Vec<i64> = (1..=g.below(5) as i64).collect();
        let bodies: Vec<BodyFacts> = (0..g.below(4))
            .map(|_| random_body(&mut g, &partners))
            .collect();
        let want = !partners.is_empty()
            && bodies.iter().any(|b| {
                b.has_chair
                    && b.has_decision_rule
                    && b.quorum >= 1
                    && b.quorum as usize <= b.members
                    && partners.iter().all(|p| b.member_organisations.contains(p))
            });
        let got = governance_is_set(&bodies, &partners);
        assert_eq!(got, want, "{bodies:?} {partners:?}");
        if got {
            set += 1;
            // A new partner nobody sits for unsets it.
            let mut more = partners.clone();
            more.push(99);
            assert!(!governance_is_set(&bodies, &more));
            // Another body never unsets it.
            let mut extra = bodies.clone();
            extra.push(random_body(&mut g, &partners));
            assert!(governance_is_set(&extra, &partners));
        }
    }
    assert!(set > 100, "{set}");
}

#[test]
fn the_matrix_is_agreed_exactly_when_each_function_has_one_accountable() {
    let mut g = Gen(0x5EED_0005);
    let keys: Vec<&str> = STANDARD_FUNCTIONS.iter().map(|(k, _)| *k).collect();
    let mut agreed = 0;
    for _ in 0..ROUNDS / 4 {
        let orgs = g.below(4) as i64;
        let mut cells: Vec<(String, i64, Raci)> = Vec::new();
        for key in &keys {
            // Mostly one accountable organisation; sometimes anything.
            let accountable = if g.below(6) == 0 {
                None
            } else {
                Some(1 + g.below(orgs.max(1) as u64) as i64)
            };
            for org in 1..=orgs {
                let role = match (accountable, g.below(5)) {
                    (Some(a), _) if a == org => Some(Raci::Accountable),
                    (None, 0) => Some(Raci::Accountable),
                    (_, 0) => None,
                    (_, 1) => Some(Raci::Responsible),
                    (_, 2) => Some(Raci::Consulted),
                    (_, 3) => Some(Raci::Informed),
                    _ => None,
                };
                if let Some(r) = role {
                    cells.push((key.to_string(), org, r));
                }
            }
        }
        let reviews = review(keys.iter().copied(), &cells);
        let want = orgs > 0
            && keys.iter().all(|k| {
                cells
                    .iter()
                    .filter(|(c, _, r)| c == k && *r == Raci::Accountable)
                    .count()
                    == 1
            });
        assert_eq!(is_agreed(&reviews, orgs as usize), want);
        for r in &reviews {
            assert_eq!(r.problem("F").is_none(), r.accountable == 1);
            assert_eq!(r.warning("F").is_some(), r.responsible == 0);
        }
        if want {
            agreed += 1;
            // A second accountable anywhere undoes it.
            let k = keys[g.below(keys.len() as u64) as usize];
            cells.push((k.to_string(), orgs + 1, Raci::Accountable));
            assert!(!is_agreed(
                &review(keys.iter().copied(), &cells),
                orgs as usize + 1
            ));
        }
    }
    assert!(agreed > 50, "{agreed}");
}
