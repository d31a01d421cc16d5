//! The demo's decisions by vote, for every collaboration under way that
//! has a governance body: one proposal decided a month ago with every
//! partner agreeing, its outcome written and in the decisions log, and one
//! open for ten more days with only the lead's vote in.

use super::*;
use commonground_domain::governance::DecisionRule;
use commonground_domain::proposals::{Ballot, Choice, count, decision_for_outcome};
use implement::iso_day;

const DECIDED: (&str, &str, &str) = (
    "Open the food hub on Saturday mornings",
    "From next month the hub opens 9am to 12 noon on Saturdays, staffed by volunteers from each partner in turn.",
    "We open on Saturdays from the first of next month. Each partner sends two volunteers once a month; the rota is in the action plan.",
);
const OPEN: (&str, &str) = (
    "Share one delivery van",
    "The partners lease one van together and share its costs by the number of deliveries each makes.",
);

pub(super) async fn fill_proposals(store: &Store, now: i64) -> Result<(), StoreError> {
    let day = 86_400;
    let today = now.div_euclid(day);
    let mut tx = store.read().await?;
    // Each collaboration's first governance body, with its rule and quorum.
    let bodies: Vec<(i64, i64, String, String, i64)> = tx
        .all(q(
            "SELECT c.id, b.id, b.name, b.decision_rule, b.quorum FROM collaborations c \
             JOIN governance_bodies b ON b.id = (SELECT MIN(g.id) FROM governance_bodies g \
               WHERE g.collaboration_id = c.id) \
             WHERE c.stage IN ('implement', 'review') ORDER BY c.id",
        ))
        .await?;
    // The lead and partner organisations of those, each with its first
    // admin; the lead first.
    let voters: Vec<(i64, i64, String, i64, String)> = tx
        .all(q(
            "SELECT p.collaboration_id, p.organisation_id, p.role, u.id, u.name FROM participants p \
             JOIN collaborations c ON c.id = p.collaboration_id \
             JOIN users u ON u.id = (SELECT MIN(m.user_id) FROM memberships m \
               WHERE m.organisation_id = p.organisation_id AND m.role = 'admin') \
             WHERE c.stage IN ('implement', 'review') AND p.role IN ('lead', 'partner') \
             ORDER BY p.collaboration_id, p.role, p.organisation_id",
        ))
        .await?;
    drop(tx);
    let mut by_collab: std::collections::HashMap<i64, Vec<(i64, bool, i64, String)>> =
        std::collections::HashMap::new();
    for (c, org, role, user, name) in voters {
        by_collab
            .entry(c)
            .or_default()
            .push((org, role == "lead", user, name));
    }
    for chunk in bodies.chunks(200) {
        let (mut decisions, mut proposals, mut votes) = (Vec::new(), Vec::new(), Vec::new());
        for (c, body, body_name, rule, quorum) in chunk {
            let Some(orgs) = by_collab.get(c) else {
                continue;
            };
            let Some(lead) = orgs.iter().find(|o| o.1) else {
                continue;
            };
            let rule = DecisionRule::parse_code(rule).unwrap_or(DecisionRule::Consensus);
            let ballots: Vec<Ballot> = orgs
                .iter()
                .map(|o| Ballot {
                    organisation_id: o.0,
                    choice: Choice::Agree,
                })
                .collect();
            let partners: Vec<i64> = orgs.iter().map(|o| o.0).collect();
            let leads = [lead.0];
            let result = count(rule, *quorum, &ballots, &partners, &leads, true);
            let decided_on = iso_day(today - 30);
            let decision = decision_for_outcome(
                DECIDED.0,
                Some(*body),
                result.standing,
                &result.reasoning,
                DECIDED.2,
                &decided_on,
            );
            let made_at = now - 44 * day;
            let closed_at = now - 30 * day;
            decisions.push(vec![
                Val::I64(*c),
                Val::Text(decision.title.clone()),
                Val::Text(decision.decided.clone()),
                Val::Text(decision.decided_on.clone()),
                Val::Text(decision.how.code().into()),
                Val::OptI64(Some(*body)),
                Val::OptI64(Some(lead.2)),
                Val::Text(lead.3.clone()),
                Val::I64(closed_at),
            ]);
            for (k, (title, text)) in [(DECIDED.0, DECIDED.1), OPEN].into_iter().enumerate() {
                let decided = k == 0;
                proposals.push(vec![
                    Val::I64(*c),
                    Val::OptI64(Some(*body)),
                    Val::Text(body_name.clone()),
                    Val::Text(rule.code().into()),
                    Val::I64(*quorum),
                    Val::Text(title.into()),
                    Val::Text(text.into()),
                    Val::Text(iso_day(if decided { today - 30 } else { today + 10 })),
                    Val::OptI64(Some(lead.2)),
                    Val::Text(lead.3.clone()),
                    Val::I64(lead.0),
                    Val::OptI64(decided.then_some(closed_at)),
                    Val::Text(if decided {
                        lead.3.clone()
                    } else {
                        String::new()
                    }),
                    Val::Text(if decided {
                        DECIDED.2.into()
                    } else {
                        String::new()
                    }),
                    Val::Text(if decided {
                        result.standing.code().into()
                    } else {
                        String::new()
                    }),
                    Val::Text(if decided {
                        result.reasoning.clone()
                    } else {
                        String::new()
                    }),
                    Val::Text(if decided {
                        lead.3.clone()
                    } else {
                        String::new()
                    }),
                    Val::OptI64(decided.then_some(closed_at)),
                    Val::I64(if decided { made_at } else { now - 4 * day }),
                    Val::I64(if decided { closed_at } else { now - 4 * day }),
                ]);
            }
            // Votes are added once the proposals' ids are known.
            votes.push((*c, orgs.clone()));
        }
        let mut tx = store.write().await?;
        insert_rows(
            &mut tx,
            "INSERT INTO decisions (collaboration_id, title, decided, decided_on, how, governance_body_id, \
             recorded_by, recorded_by_name, created_at)",
            9,
            decisions,
        )
        .await?;
        insert_rows(
            &mut tx,
            "INSERT INTO proposals (collaboration_id, body_id, body_name, decision_rule, quorum, title, \
             proposal, closes_on, proposer_id, proposer_name, proposer_organisation_id, closed_at, \
             closed_by_name, outcome, result, result_reasoning, outcome_by_name, outcome_at, created_at, \
             updated_at)",
            20,
            proposals,
        )
        .await?;
        // Link each decided proposal to its decision, and add the votes.
        let collabs: Vec<i64> = votes.iter().map(|v| v.0).collect();
        if let (Some(first), Some(last)) = (collabs.first(), collabs.last()) {
            tx.exec(
                q("UPDATE proposals SET decision_id = (SELECT MAX(d.id) FROM decisions d \
                   WHERE d.collaboration_id = proposals.collaboration_id AND d.how = 'vote' AND d.title = proposals.title) \
                   WHERE collaboration_id BETWEEN ? AND ? AND outcome <> '' AND decision_id IS NULL")
                .bind(*first)
                .bind(*last),
            )
            .await?;
            let ids: Vec<(i64, i64, String)> = tx
                .all(
                    q("SELECT collaboration_id, id, title FROM proposals WHERE collaboration_id BETWEEN ? AND ? \
                       ORDER BY collaboration_id, id")
                    .bind(*first)
                    .bind(*last),
                )
                .await?;
            let mut rows = Vec::new();
            for (c, orgs) in &votes {
                for (_, pid, title) in ids.iter().filter(|r| r.0 == *c) {
                    let decided = title == DECIDED.0;
                    for (org, is_lead, user, name) in orgs {
                        if !decided && !is_lead {
                            continue;
                        }
                        rows.push(vec![
                            Val::I64(*pid),
                            Val::I64(*org),
                            Val::Text(Choice::Agree.code().into()),
                            Val::Text(if decided {
                                "It is what the families asked for.".into()
                            } else {
                                "The costs are fair if they follow the deliveries.".into()
                            }),
                            Val::OptI64(Some(*user)),
                            Val::Text(name.clone()),
                            Val::I64(if decided {
                                now - 35 * day
                            } else {
                                now - 3 * day
                            }),
                        ]);
                    }
                }
            }
            insert_rows(
                &mut tx,
                "INSERT INTO proposal_votes (proposal_id, organisation_id, choice, reason, voter_id, voter_name, \
                 cast_at)",
                7,
                rows,
            )
            .await?;
        }
        tx.commit().await?;
    }
    Ok(())
}
