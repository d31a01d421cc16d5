//! The demo's way forward: in every collaboration in Review that has a
//! governance body, each lead and partner organisation's position
//! (recorded by its first admin, the options taken in turn), and a way
//! forward put to the body, agreed by every partner with its outcome
//! written and in the decisions log. And one collaboration in Review (one
//! the demo person leads, if any) already on its second cycle: opened in
//! Identify, linked to the first, with the aims still open and the lessons
//! carried over and the other organisations invited again.

use super::*;
use commonground_domain::collaborations::{CollaborationDetails, ParticipantRole};
use commonground_domain::forward::{PositionDetails, PositionInput, cycle_title};
use commonground_domain::governance::DecisionRule;
use commonground_domain::proposals::{Ballot, Choice, ProposalFields, count, decision_for_outcome};
use implement::iso_day;

/// (option, reasons, next steps): the positions, one per party in turn.
pub(super) const POSITIONS: &[(&str, &str, &str)] = &[
    (
        "deepen",
        "The joint service works and families use it. Working **more closely** would cut the cost of running it twice.",
        "Set up a joint project board.\n\nShare one booking system.",
    ),
    (
        "continue",
        "The partnership is still young. We want another year as we are before changing how we work.",
        "",
    ),
    (
        "widen",
        "Families from the estate across the river cannot reach us. A partner there would close the gap.",
        "Approach the tenants' association.",
    ),
];

/// The way forward every demo collaboration in Review agreed.
pub(super) const AGREED: (&str, &str, &str) = (
    "deepen",
    "Every partner says the joint service works, and two want to work more closely. A joint project board keeps what works and saves running two services.",
    "Set up the joint project board by the spring.\n\nMove to one booking system over the summer.\n\nReview again in a year.",
);

pub(super) async fn fill_forward(store: &Store, now: i64) -> Result<(), StoreError> {
    let day = 86_400;
    let mut tx = store.read().await?;
    // Each collaboration in Review with its first governance body.
    let bodies: Vec<(i64, i64, String, String, i64)> = tx
        .all(q(
            "SELECT c.id, b.id, b.name, b.decision_rule, b.quorum FROM collaborations c \
             JOIN governance_bodies b ON b.id = (SELECT MIN(g.id) FROM governance_bodies g \
               WHERE g.collaboration_id = c.id) \
             WHERE c.stage = 'review' ORDER BY c.id",
        ))
        .await?;
    // Their lead and partner organisations, each with its first admin.
    let parties: Vec<(i64, i64, String, i64, String)> = tx
        .all(q(
            "SELECT p.collaboration_id, p.organisation_id, p.role, u.id, u.name FROM participants p \
             JOIN collaborations c ON c.id = p.collaboration_id \
             JOIN users u ON u.id = (SELECT MIN(m.user_id) FROM memberships m \
               WHERE m.organisation_id = p.organisation_id AND m.role = 'admin') \
             WHERE c.stage = 'review' AND p.role IN ('lead', 'partner') \
             ORDER BY p.collaboration_id, p.role, p.organisation_id",
        ))
        .await?;
    drop(tx);
    let mut by_collab: std::collections::HashMap<i64, Vec<(i64, bool, i64, String)>> =
        std::collections::HashMap::new();
    for (c, org, role, user, name) in parties {
        by_collab.entry(c).or_default().push((
            org,
            role == ParticipantRole::Lead.code(),
            user,
            name,
        ));
    }
    let agreed = PositionDetails::parse_way_forward(&PositionInput {
        option: AGREED.0,
        reasons: AGREED.1,
        next_steps: AGREED.2,
    })
    .map_err(|e| StoreError::Other(format!("demo way forward: {e:?}")))?;
    for chunk in bodies.chunks(50) {
        let mut tx = store.write().await?;
        for (c, body, body_name, rule, quorum) in chunk {
            let Some(orgs) = by_collab.get(c) else {
                continue;
            };
            let Some(lead) = orgs.iter().find(|o| o.1) else {
                continue;
            };
            let Some(scope) = tx.collab_scope(lead.2, *c).await? else {
                continue;
            };
            for (i, (org, _, user, name)) in orgs.iter().enumerate() {
                let (option, reasons, next_steps) = POSITIONS[(i + *c as usize) % POSITIONS.len()];
                let d = PositionDetails::parse(&PositionInput {
                    option,
                    reasons,
                    next_steps,
                })
                .map_err(|e| StoreError::Other(format!("demo position: {e:?}")))?;
                tx.save_forward_position(
                    &scope,
                    *org,
                    &d,
                    0,
                    (*user, name),
                    now - 12 * day + i as i64 * 3_600,
                )
                .await?;
            }
            // The way forward, put ten days ago and agreed by everyone.
            let rule = DecisionRule::parse_code(rule).unwrap_or(DecisionRule::Consensus);
            let fields = ProposalFields {
                title: agreed.proposal_title(),
                text: agreed.proposal_text(),
                body_id: *body,
                closes_on: iso_day(now.div_euclid(day) - 3),
            };
            let pid = tx
                .create_proposal(
                    &scope,
                    crate::proposals::NewProposal {
                        fields: &fields,
                        body_name,
                        decision_rule: rule,
                        quorum: *quorum,
                        proposer_id: lead.2,
                        proposer_name: &lead.3,
                        proposer_organisation_id: lead.0,
                    },
                    now - 10 * day,
                )
                .await?;
            for (org, _, user, name) in orgs {
                tx.upsert_vote(
                    &scope,
                    pid,
                    *org,
                    Choice::Agree,
                    "It is what our trustees asked for.",
                    *user,
                    name,
                    now - 8 * day,
                )
                .await?;
            }
            let ballots: Vec<Ballot> = orgs
                .iter()
                .map(|o| Ballot {
                    organisation_id: o.0,
                    choice: Choice::Agree,
                })
                .collect();
            let electorate: Vec<i64> = orgs.iter().map(|o| o.0).collect();
            let result = count(rule, *quorum, &ballots, &electorate, &[lead.0], true);
            let outcome = "We deepen the partnership: a joint project board from the spring.";
            let decision = decision_for_outcome(
                &fields.title,
                Some(*body),
                result.standing,
                &result.reasoning,
                outcome,
                &iso_day(now.div_euclid(day) - 2),
            );
            let did = tx
                .create_decision(&scope, &decision, (lead.2, &lead.3), now - 2 * day)
                .await?;
            tx.record_proposal_outcome(
                &scope,
                pid,
                outcome,
                result.standing,
                &result.reasoning,
                &lead.3,
                did,
                now - 2 * day,
            )
            .await?;
            tx.create_forward_way(&scope, pid, &agreed, &lead.3, now - 10 * day)
                .await?;
        }
        tx.commit().await?;
    }
    // One collaboration on its second cycle: the first in Review the demo
    // person (user 1) leads, else the first in Review.
    let Some((first, lead)) = by_collab
        .iter()
        .filter_map(|(c, orgs)| orgs.iter().find(|o| o.1).map(|lead| (*c, lead)))
        .min_by_key(|(c, lead)| (lead.2 != 1, *c))
    else {
        return Ok(());
    };
    let mut tx = store.write().await?;
    let Some(scope) = tx.collab_scope(lead.2, first).await? else {
        return Ok(());
    };
    if tx.next_cycle_of(first).await?.is_some() {
        return Ok(());
    }
    let c = tx.collaboration(&scope).await?;
    let details = CollaborationDetails::parse(&cycle_title(&c.title, 2), &c.purpose)
        .map_err(|e| StoreError::Other(format!("demo next cycle: {e:?}")))?;
    let at = now - day;
    let next = tx
        .create_collaboration(lead.0, &details, lead.2, at)
        .await?;
    let Some(next_scope) = tx.collab_scope(lead.2, next.id).await? else {
        return Ok(());
    };
    tx.link_next_cycle(&scope, &next_scope).await?;
    tx.carry_over(&scope, &next_scope, lead.2, at).await?;
    let message = format!(
        "This is the next cycle of \u{201c}{}\u{201d}, which your organisation took part in.",
        c.title
    );
    for p in tx.participants(&scope).await? {
        if p.organisation_id != lead.0 {
            // Already invited or taking part: nothing to do.
            let _ = tx
                .invite_organisation(
                    &next_scope,
                    p.organisation_id,
                    p.role,
                    &message,
                    lead.2,
                    lead.0,
                    at,
                )
                .await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The demo's positions and way forward are what the forms would accept,
    /// and the positions differ.
    #[test]
    fn demo_positions_are_valid() {
        let mut options = Vec::new();
        for (option, reasons, next_steps) in POSITIONS {
            let d = PositionDetails::parse(&PositionInput {
                option,
                reasons,
                next_steps,
            })
            .unwrap();
            options.push(d.option);
        }
        options.dedup();
        assert_eq!(options.len(), POSITIONS.len());
        PositionDetails::parse_way_forward(&PositionInput {
            option: AGREED.0,
            reasons: AGREED.1,
            next_steps: AGREED.2,
        })
        .unwrap();
    }
}
