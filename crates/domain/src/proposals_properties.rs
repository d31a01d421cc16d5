//! Property checks for decisions by vote: every decision rule against an
//! independent statement of it, with ties, blocks, abstentions, the quorum,
//! changed votes and organisations joining or leaving mid-vote.

use crate::governance::DecisionRule;
use crate::proposals::{Ballot, Choice, Standing, count};

struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn rule(&mut self) -> DecisionRule {
        DecisionRule::ALL[self.below(5) as usize]
    }
    fn choice(&mut self, rule: DecisionRule) -> Choice {
        let c = crate::proposals::choices_for(rule);
        c[self.below(c.len() as u64) as usize]
    }
}

const ROUNDS: usize = 20_000;

/// A random vote: partners 1..=n (lead 1, sometimes 2 too), some of them
/// voting, some former partners (ids 100+) with ballots left behind.
struct Case {
    rule: DecisionRule,
    quorum: i64,
    partners: Vec<i64>,
    leads: Vec<i64>,
    ballots: Vec<Ballot>,
    closed: bool,
}

fn case(g: &mut Gen) -> Case {
    let rule = g.rule();
    let n = g.below(7) as i64;
    let partners: Vec<i64> = (1..=n).collect();
    let mut leads = vec![];
    if n >= 1 {
        leads.push(1);
    }
    if n >= 2 && g.below(4) == 0 {
        leads.push(2);
    }
    let mut ballots = Vec::new();
    for &p in &partners {
        if g.below(4) != 0 {
            ballots.push(Ballot {
                organisation_id: p,
                choice: g.choice(rule),
            });
        }
    }
    for left in 100..100 + g.below(3) as i64 {
        ballots.push(Ballot {
            organisation_id: left,
            choice: g.choice(rule),
        });
    }
    Case {
        rule,
        quorum: 1 + g.below(8) as i64,
        partners,
        leads,
        ballots,
        closed: g.below(2) == 0,
    }
}

/// The rules as the product describes them, written without the governance
/// module, counting only the current partners.
fn oracle(c: &Case) -> Standing {
    let counted: Vec<&Ballot> = c
        .ballots
        .iter()
        .filter(|b| c.partners.contains(&b.organisation_id))
        .collect();
    let k = |ch: Choice| counted.iter().filter(|b| b.choice == ch).count() as i64;
    let (agree, abstain, disagree, block) = (
        k(Choice::Agree),
        k(Choice::Abstain),
        k(Choice::Disagree),
        k(Choice::Block),
    );
    let voted = counted.len() as i64;
    let needed = c.quorum.min(c.partners.len() as i64).max(1);
    if c.partners.is_empty() || voted < needed {
        return Standing::NotPassed;
    }
    let passed = match c.rule {
        DecisionRule::Consensus | DecisionRule::Consent if block > 0 => {
            return Standing::Blocked;
        }
        DecisionRule::Consensus => agree == voted,
        DecisionRule::Consent => agree >= 1 && disagree == 0,
        DecisionRule::SimpleMajority => agree > disagree + block,
        DecisionRule::TwoThirdsMajority => agree >= 1 && 3 * agree >= 2 * (agree + disagree),
        DecisionRule::LeadDecides => {
            let lead_votes: Vec<Choice> = counted
                .iter()
                .filter(|b| c.leads.contains(&b.organisation_id))
                .map(|b| b.choice)
                .collect();
            lead_votes.contains(&Choice::Agree)
                && !lead_votes
                    .iter()
                    .any(|x| matches!(x, Choice::Disagree | Choice::Block))
        }
    };
    let _ = abstain;
    if passed {
        Standing::Passed
    } else {
        Standing::NotPassed
    }
}

#[test]
fn every_rule_counts_as_described() {
    let mut g = Gen(0x5EED_0F07);
    let mut seen = std::collections::HashSet::new();
    for _ in 0..ROUNDS {
        let c = case(&mut g);
        let got = count(
            c.rule,
            c.quorum,
            &c.ballots,
            &c.partners,
            &c.leads,
            c.closed,
        );
        assert_eq!(
            got.standing,
            oracle(&c),
            "{:?} quorum {} partners {:?} leads {:?} ballots {:?}",
            c.rule,
            c.quorum,
            c.partners,
            c.leads,
            c.ballots
        );
        assert_eq!(
            got.agree + got.abstain + got.disagree + got.block,
            got.voted
        );
        assert_eq!(got.voted as usize + got.not_voted.len(), c.partners.len());
        // Decided when closed or when everyone who can vote has voted.
        assert_eq!(
            got.decided,
            c.closed || (!c.partners.is_empty() && got.not_voted.is_empty())
        );
        assert!(!got.reasoning.is_empty());
        seen.insert((c.rule, got.standing));
    }
    // Every rule was seen both passing and not; the two with blocks blocked.
    for rule in DecisionRule::ALL {
        assert!(seen.contains(&(rule, Standing::Passed)), "{rule:?} passed");
        assert!(seen.contains(&(rule, Standing::NotPassed)), "{rule:?} not");
    }
    assert!(seen.contains(&(DecisionRule::Consensus, Standing::Blocked)));
    assert!(seen.contains(&(DecisionRule::Consent, Standing::Blocked)));
    assert_eq!(seen.len(), 12);
}

#[test]
fn a_tie_never_passes_a_majority_vote() {
    let mut g = Gen(0x5EED_0F08);
    for _ in 0..ROUNDS {
        let each = 1 + g.below(5) as i64;
        let abstain = g.below(3) as i64;
        let mut ballots = Vec::new();
        let mut id = 0;
        for choice in [Choice::Agree, Choice::Disagree] {
            for _ in 0..each {
                id += 1;
                ballots.push(Ballot {
                    organisation_id: id,
                    choice,
                });
            }
        }
        for _ in 0..abstain {
            id += 1;
            ballots.push(Ballot {
                organisation_id: id,
                choice: Choice::Abstain,
            });
        }
        let partners: Vec<i64> = (1..=id).collect();
        let c = count(
            DecisionRule::SimpleMajority,
            1,
            &ballots,
            &partners,
            &[1],
            true,
        );
        assert_eq!(c.standing, Standing::NotPassed);
        assert!(
            c.reasoning.contains("a tie does not pass"),
            "{}",
            c.reasoning
        );
        // Two-thirds: exactly two agrees for each disagree passes.
        let mut two_to_one = ballots.clone();
        for n in 0..each {
            two_to_one.push(Ballot {
                organisation_id: 1000 + n,
                choice: Choice::Agree,
            });
        }
        let mut p2 = partners.clone();
        p2.extend((0..each).map(|n| 1000 + n));
        let c = count(
            DecisionRule::TwoThirdsMajority,
            1,
            &two_to_one,
            &p2,
            &[1],
            true,
        );
        assert_eq!(c.standing, Standing::Passed);
        // One agree fewer is short of two thirds.
        two_to_one.pop();
        p2.pop();
        let c = count(
            DecisionRule::TwoThirdsMajority,
            1,
            &two_to_one,
            &p2,
            &[1],
            true,
        );
        assert_eq!(c.standing, Standing::NotPassed);
    }
}

#[test]
fn one_block_stops_consensus_and_consent_whatever_else() {
    let mut g = Gen(0x5EED_0F09);
    for _ in 0..ROUNDS {
        let mut c = case(&mut g);
        c.rule = if g.below(2) == 0 {
            DecisionRule::Consensus
        } else {
            DecisionRule::Consent
        };
        if c.partners.is_empty() {
            continue;
        }
        // Everyone votes agree except one partner, who blocks.
        let blocker = c.partners[g.below(c.partners.len() as u64) as usize];
        c.ballots = c
            .partners
            .iter()
            .map(|&p| Ballot {
                organisation_id: p,
                choice: if p == blocker {
                    Choice::Block
                } else {
                    Choice::Agree
                },
            })
            .collect();
        let got = count(c.rule, c.quorum, &c.ballots, &c.partners, &c.leads, false);
        assert_eq!(got.standing, Standing::Blocked);
        assert!(got.decided);
        // Without the block it passes.
        c.ballots.retain(|b| b.organisation_id != blocker);
        c.ballots.push(Ballot {
            organisation_id: blocker,
            choice: Choice::Agree,
        });
        let got = count(c.rule, c.quorum, &c.ballots, &c.partners, &c.leads, false);
        assert_eq!(got.standing, Standing::Passed);
    }
}

#[test]
fn abstaining_counts_only_under_consensus() {
    let mut g = Gen(0x5EED_0F0A);
    for _ in 0..ROUNDS {
        let mut c = case(&mut g);
        let before = count(c.rule, c.quorum, &c.ballots, &c.partners, &c.leads, true);
        let quorate = before.voted >= before.needed && before.electorate > 0;
        // A new partner joins and abstains.
        let newcomer = 50;
        c.partners.push(newcomer);
        c.ballots.push(Ballot {
            organisation_id: newcomer,
            choice: Choice::Abstain,
        });
        let after = count(c.rule, c.quorum, &c.ballots, &c.partners, &c.leads, true);
        assert_eq!(after.abstain, before.abstain + 1);
        if !quorate {
            continue;
        }
        match c.rule {
            DecisionRule::Consensus if before.standing == Standing::Passed => {
                assert_eq!(after.standing, Standing::NotPassed)
            }
            _ => assert_eq!(after.standing, before.standing, "{:?}", c.rule),
        }
    }
}

#[test]
fn partners_joining_or_leaving_mid_vote() {
    let mut g = Gen(0x5EED_0F0B);
    for _ in 0..ROUNDS {
        let c = case(&mut g);
        let base = count(
            c.rule,
            c.quorum,
            &c.ballots,
            &c.partners,
            &c.leads,
            c.closed,
        );
        // Ballots of organisations that left (ids 100+) never count: the
        // same count without them.
        let only_current: Vec<Ballot> = c
            .ballots
            .iter()
            .copied()
            .filter(|b| b.organisation_id < 100)
            .collect();
        assert_eq!(
            count(
                c.rule,
                c.quorum,
                &only_current,
                &c.partners,
                &c.leads,
                c.closed
            ),
            base
        );
        // A partner that joins without voting is waited for, and the
        // result is not decided until it votes or voting closes.
        let mut joined = c.partners.clone();
        joined.push(60);
        let j = count(c.rule, c.quorum, &c.ballots, &joined, &c.leads, c.closed);
        assert!(j.not_voted.contains(&60));
        assert_eq!(j.voted, base.voted);
        assert_eq!(j.decided, c.closed);
        // A partner that leaves after voting: its vote no longer counts.
        if let Some(gone) = c
            .ballots
            .iter()
            .find(|b| b.organisation_id < 100 && !c.leads.contains(&b.organisation_id))
        {
            let left: Vec<i64> = c
                .partners
                .iter()
                .copied()
                .filter(|p| *p != gone.organisation_id)
                .collect();
            let l = count(c.rule, c.quorum, &c.ballots, &left, &c.leads, c.closed);
            assert_eq!(l.voted + 1, base.voted);
            assert_eq!(l.electorate + 1, base.electorate);
        }
    }
}

#[test]
fn a_changed_vote_replaces_the_first() {
    let mut g = Gen(0x5EED_0F0C);
    for _ in 0..ROUNDS {
        let c = case(&mut g);
        let Some(first) = c.ballots.first().copied() else {
            continue;
        };
        let new_choice = g.choice(c.rule);
        let mut changed = c.ballots.clone();
        changed.push(Ballot {
            organisation_id: first.organisation_id,
            choice: new_choice,
        });
        let mut replaced = c.ballots.clone();
        replaced[0].choice = new_choice;
        assert_eq!(
            count(c.rule, c.quorum, &changed, &c.partners, &c.leads, c.closed),
            count(c.rule, c.quorum, &replaced, &c.partners, &c.leads, c.closed)
        );
    }
}
