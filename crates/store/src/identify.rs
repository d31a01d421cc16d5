//! The Identify stage as a whole: the facts its checklist is made from.
//! Each part has its own module (readiness, goals, environment,
//! benefits and risks, shortlist).

use crate::StoreError;
use crate::collaborations::CollabScope;
use crate::db::{Tx, q};
use commonground_domain::collaborations::ParticipantRole;
use commonground_domain::identify::IdentifyFacts;

impl Tx {
    /// What the collaboration holds for Identify, in two statements.
    pub async fn identify_facts(
        &mut self,
        scope: &CollabScope,
    ) -> Result<IdentifyFacts, StoreError> {
        let id = scope.collaboration_id();
        // Each organisation taking part, and whether it has answered the
        // latest readiness round and set goals here.
        let orgs: Vec<(i64, String, String, i64, i64)> = self
            .all(
                q("SELECT o.id, o.name, p.role, \
                     CAST(CASE WHEN EXISTS (SELECT 1 FROM readiness_answers a \
                        WHERE a.organisation_id = o.id AND a.round_id = \
                          (SELECT r.id FROM readiness_rounds r WHERE r.collaboration_id = p.collaboration_id \
                           ORDER BY r.number DESC LIMIT 1)) THEN 1 ELSE 0 END AS BIGINT), \
                     CAST(CASE WHEN EXISTS (SELECT 1 FROM goals g \
                        WHERE g.collaboration_id = p.collaboration_id AND g.organisation_id = o.id) THEN 1 ELSE 0 END AS BIGINT) \
                   FROM participants p JOIN organisations o ON o.id = p.organisation_id \
                   WHERE p.collaboration_id = ? ORDER BY o.name, o.id")
                .bind(id),
            )
            .await?;
        let counts: (i64, i64, i64, i64) = self
            .one(
                q("SELECT \
                     (SELECT COUNT(*) FROM environment_items WHERE collaboration_id = ?), \
                     (SELECT COUNT(*) FROM benefits_risks WHERE collaboration_id = ? AND kind = 'benefit'), \
                     (SELECT COUNT(*) FROM benefits_risks WHERE collaboration_id = ? AND kind = 'risk'), \
                     (SELECT COUNT(*) FROM shortlist_entries WHERE collaboration_id = ?)")
                .bind(id)
                .bind(id)
                .bind(id)
                .bind(id),
            )
            .await?;
        let mut facts = IdentifyFacts {
            collaboration_id: id,
            environment_items: counts.0,
            benefits: counts.1,
            risks: counts.2,
            shortlisted: counts.3,
            participants: orgs.len() as i64,
            ..Default::default()
        };
        for (org, name, role, answered, goals) in orgs {
            if role != ParticipantRole::Observer.code() {
                facts.contributing.push((org, name));
            }
            if answered == 1 {
                facts.answered_readiness.push(org);
            }
            if goals == 1 {
                facts.set_goals.push(org);
            }
        }
        Ok(facts)
    }
}
