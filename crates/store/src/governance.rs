//! Governance bodies of a collaboration and who sits on them. A member
//! counts only while they belong to the organisation they sit for and that
//! organisation takes part, so people who leave drop out by themselves.

use crate::StoreError;
use crate::collaborations::CollabScope;
use crate::db::{Tx, q};
use commonground_domain::collaborations::ParticipantRole;
use commonground_domain::governance::{
    BodyDetails, BodyFacts, DecisionRule, MeetingFrequency, governance_is_set,
};

/// A person of an organisation taking part in a collaboration.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CollabPerson {
    pub user_id: i64,
    pub name: String,
    pub organisation_id: i64,
    pub organisation_name: String,
}
crate::db::from_row!(CollabPerson {
    user_id,
    name,
    organisation_id,
    organisation_name
});

#[derive(Debug, Clone, serde::Serialize)]
pub struct GovernanceBody {
    pub id: i64,
    pub collaboration_id: i64,
    pub name: String,
    pub purpose: String,
    pub decision_rule: DecisionRule,
    pub quorum: i64,
    pub meets: MeetingFrequency,
    /// The chair, while they are still a member.
    pub chair: Option<CollabPerson>,
    /// By organisation name, then name.
    pub members: Vec<CollabPerson>,
    /// Goes up by one with every change.
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

impl GovernanceBody {
    pub fn facts(&self) -> BodyFacts {
        let mut orgs: Vec<i64> = self.members.iter().map(|m| m.organisation_id).collect();
        orgs.sort_unstable();
        orgs.dedup();
        BodyFacts {
            has_chair: self.chair.is_some(),
            has_decision_rule: true,
            quorum: self.quorum,
            member_organisations: orgs,
            members: self.members.len(),
        }
    }
}

struct BodyRow {
    id: i64,
    collaboration_id: i64,
    name: String,
    purpose: String,
    decision_rule: String,
    quorum: i64,
    meets: String,
    chair_user_id: Option<i64>,
    version: i64,
    created_at: i64,
    updated_at: i64,
}
crate::db::from_row!(BodyRow {
    id,
    collaboration_id,
    name,
    purpose,
    decision_rule,
    quorum,
    meets,
    chair_user_id,
    version,
    created_at,
    updated_at
});

struct MemberRow {
    body_id: i64,
    user_id: i64,
    name: String,
    organisation_id: i64,
    organisation_name: String,
}
crate::db::from_row!(MemberRow {
    body_id,
    user_id,
    name,
    organisation_id,
    organisation_name
});

const BODY_SELECT: &str = "SELECT id, collaboration_id, name, purpose, decision_rule, quorum, meets, \
    chair_user_id, version, created_at, updated_at FROM governance_bodies";

/// Current members only: still in the organisation, which still takes part.
const MEMBER_SELECT: &str = "SELECT gm.body_id, u.id AS user_id, u.name, o.id AS organisation_id, \
    o.name AS organisation_name FROM governance_members gm \
    JOIN governance_bodies b ON b.id = gm.body_id \
    JOIN participants p ON p.collaboration_id = b.collaboration_id AND p.organisation_id = gm.organisation_id \
    JOIN memberships ms ON ms.organisation_id = gm.organisation_id AND ms.user_id = gm.user_id \
    JOIN users u ON u.id = gm.user_id JOIN organisations o ON o.id = gm.organisation_id";

fn body(r: BodyRow, mut members: Vec<CollabPerson>) -> GovernanceBody {
    members.sort_by(|a, b| {
        (&a.organisation_name, a.organisation_id, &a.name, a.user_id).cmp(&(
            &b.organisation_name,
            b.organisation_id,
            &b.name,
            b.user_id,
        ))
    });
    let chair = r
        .chair_user_id
        .and_then(|c| members.iter().find(|m| m.user_id == c).cloned());
    GovernanceBody {
        id: r.id,
        collaboration_id: r.collaboration_id,
        name: r.name,
        purpose: r.purpose,
        decision_rule: DecisionRule::parse_code(&r.decision_rule)
            .unwrap_or(DecisionRule::Consensus),
        quorum: r.quorum,
        meets: MeetingFrequency::parse_code(&r.meets).unwrap_or(MeetingFrequency::AsNeeded),
        chair,
        members,
        version: r.version,
        created_at: r.created_at,
        updated_at: r.updated_at,
    }
}

fn person(m: MemberRow) -> CollabPerson {
    CollabPerson {
        user_id: m.user_id,
        name: m.name,
        organisation_id: m.organisation_id,
        organisation_name: m.organisation_name,
    }
}

/// Why a change to a body was not made.
#[derive(Debug, Clone)]
pub enum BodyChange {
    Saved(Box<GovernanceBody>),
    /// There is no such body in this collaboration.
    Missing,
    /// Someone else changed it since `version`; here it is as it is now.
    Stale(Box<GovernanceBody>),
}

impl Tx {
    /// Everyone in the organisations taking part, one line per person and
    /// organisation, by organisation name then name.
    pub async fn collaboration_people(
        &mut self,
        scope: &CollabScope,
    ) -> Result<Vec<CollabPerson>, StoreError> {
        self.all(
            q("SELECT u.id AS user_id, u.name, o.id AS organisation_id, o.name AS organisation_name \
               FROM participants p JOIN memberships m ON m.organisation_id = p.organisation_id \
               JOIN users u ON u.id = m.user_id JOIN organisations o ON o.id = p.organisation_id \
               WHERE p.collaboration_id = ? ORDER BY o.name, o.id, u.name, u.id")
            .bind(scope.collaboration_id()),
        )
        .await
    }

    /// Every body of the collaboration, oldest first, with its members.
    pub async fn governance_bodies(
        &mut self,
        scope: &CollabScope,
    ) -> Result<Vec<GovernanceBody>, StoreError> {
        let rows: Vec<BodyRow> = self
            .all(
                q(format!(
                    "{BODY_SELECT} WHERE collaboration_id = ? ORDER BY id"
                ))
                .bind(scope.collaboration_id()),
            )
            .await?;
        let members: Vec<MemberRow> = self
            .all(
                q(format!("{MEMBER_SELECT} WHERE b.collaboration_id = ?"))
                    .bind(scope.collaboration_id()),
            )
            .await?;
        let mut by_body: std::collections::HashMap<i64, Vec<CollabPerson>> =
            std::collections::HashMap::new();
        for m in members {
            by_body.entry(m.body_id).or_default().push(person(m));
        }
        Ok(rows
            .into_iter()
            .map(|r| {
                let members = by_body.remove(&r.id).unwrap_or_default();
                body(r, members)
            })
            .collect())
    }

    /// One body of this collaboration; None for any other id.
    pub async fn governance_body(
        &mut self,
        scope: &CollabScope,
        body_id: i64,
    ) -> Result<Option<GovernanceBody>, StoreError> {
        let row: Option<BodyRow> = self
            .opt(
                q(format!(
                    "{BODY_SELECT} WHERE collaboration_id = ? AND id = ?"
                ))
                .bind(scope.collaboration_id())
                .bind(body_id),
            )
            .await?;
        let Some(row) = row else { return Ok(None) };
        let members: Vec<MemberRow> = self
            .all(q(format!("{MEMBER_SELECT} WHERE gm.body_id = ?")).bind(body_id))
            .await?;
        Ok(Some(body(row, members.into_iter().map(person).collect())))
    }

    /// Adds a body. `members` are (person, organisation they sit for), each
    /// checked by the caller to be a person of an organisation taking part.
    pub async fn create_governance_body(
        &mut self,
        scope: &CollabScope,
        details: &BodyDetails,
        members: &[(i64, i64)],
        created_by: i64,
        now: i64,
    ) -> Result<GovernanceBody, StoreError> {
        let (id,): (i64,) = self
            .one(
                q("INSERT INTO governance_bodies (collaboration_id, name, purpose, decision_rule, quorum, meets, \
                   chair_user_id, version, created_by, created_at, updated_at) \
                   VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?) RETURNING id")
                .bind(scope.collaboration_id())
                .bind(&details.name)
                .bind(&details.purpose)
                .bind(details.decision_rule.code())
                .bind(details.quorum)
                .bind(details.meets.code())
                .bind(details.chair)
                .bind(created_by)
                .bind(now)
                .bind(now),
            )
            .await?;
        self.insert_body_members(id, members).await?;
        self.governance_body(scope, id)
            .await?
            .ok_or_else(|| StoreError::Other("the new governance body was not found".into()))
    }

    async fn insert_body_members(
        &mut self,
        body_id: i64,
        members: &[(i64, i64)],
    ) -> Result<(), StoreError> {
        for &(user, org) in members {
            self.exec(
                q("INSERT INTO governance_members (body_id, user_id, organisation_id) VALUES (?, ?, ?)")
                    .bind(body_id)
                    .bind(user)
                    .bind(org),
            )
            .await?;
        }
        Ok(())
    }

    /// Changes a body if it is still at `version`.
    pub async fn update_governance_body(
        &mut self,
        scope: &CollabScope,
        body_id: i64,
        version: i64,
        details: &BodyDetails,
        members: &[(i64, i64)],
        now: i64,
    ) -> Result<BodyChange, StoreError> {
        let n = self
            .exec(
                q("UPDATE governance_bodies SET name = ?, purpose = ?, decision_rule = ?, quorum = ?, meets = ?, \
                   chair_user_id = ?, version = version + 1, updated_at = ? \
                   WHERE collaboration_id = ? AND id = ? AND version = ?")
                .bind(&details.name)
                .bind(&details.purpose)
                .bind(details.decision_rule.code())
                .bind(details.quorum)
                .bind(details.meets.code())
                .bind(details.chair)
                .bind(now)
                .bind(scope.collaboration_id())
                .bind(body_id)
                .bind(version),
            )
            .await?;
        if n != 1 {
            return Ok(match self.governance_body(scope, body_id).await? {
                Some(current) => BodyChange::Stale(Box::new(current)),
                None => BodyChange::Missing,
            });
        }
        self.exec(q("DELETE FROM governance_members WHERE body_id = ?").bind(body_id))
            .await?;
        self.insert_body_members(body_id, members).await?;
        Ok(match self.governance_body(scope, body_id).await? {
            Some(b) => BodyChange::Saved(Box::new(b)),
            None => BodyChange::Missing,
        })
    }

    /// Removes a body and its members.
    pub async fn delete_governance_body(
        &mut self,
        scope: &CollabScope,
        body_id: i64,
    ) -> Result<bool, StoreError> {
        // Members go first: SQLite may run without cascades.
        self.exec(
            q("DELETE FROM governance_members WHERE body_id IN \
               (SELECT id FROM governance_bodies WHERE collaboration_id = ? AND id = ?)")
            .bind(scope.collaboration_id())
            .bind(body_id),
        )
        .await?;
        let n = self
            .exec(
                q("DELETE FROM governance_bodies WHERE collaboration_id = ? AND id = ?")
                    .bind(scope.collaboration_id())
                    .bind(body_id),
            )
            .await?;
        Ok(n == 1)
    }

    /// The organisations taking part as lead or partner: those every
    /// governing body must have members from.
    pub async fn governing_partners(
        &mut self,
        scope: &CollabScope,
    ) -> Result<Vec<i64>, StoreError> {
        let rows: Vec<(i64,)> = self
            .all(
                q("SELECT organisation_id FROM participants WHERE collaboration_id = ? AND role IN (?, ?) \
                   ORDER BY organisation_id")
                .bind(scope.collaboration_id())
                .bind(ParticipantRole::Lead.code())
                .bind(ParticipantRole::Partner.code()),
            )
            .await?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    /// The Plan stage's "governance set": at least one body with a chair,
    /// a decision rule, a quorum its members can meet, and members from
    /// every lead and partner organisation (the rule is
    /// [`commonground_domain::governance::governance_is_set`]).
    pub async fn governance_is_set(&mut self, scope: &CollabScope) -> Result<bool, StoreError> {
        let bodies = self.governance_bodies(scope).await?;
        let partners = self.governing_partners(scope).await?;
        let facts: Vec<BodyFacts> = bodies.iter().map(GovernanceBody::facts).collect();
        Ok(governance_is_set(&facts, &partners))
    }
}
