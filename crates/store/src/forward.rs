//! The way forward: each lead and partner organisation's position, the ways
//! forward put to the partners as proposals, and the next cycle of a
//! collaboration.

use crate::StoreError;
use crate::collaborations::CollabScope;
use crate::db::{Tx, q};
use commonground_domain::aims::AimDetails;
use commonground_domain::collaborations::ParticipantRole;
use commonground_domain::forward::{ForwardFacts, ForwardOption, PositionDetails, aim_is_open};
use commonground_domain::proposals::Standing;

/// An organisation's recorded position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Position {
    pub organisation_id: i64,
    pub option: ForwardOption,
    /// Markdown.
    pub reasons: String,
    /// Markdown; may be empty.
    pub next_steps: String,
    /// 1 when recorded; goes up with every change.
    pub version: i64,
    pub recorded_by_name: String,
    pub recorded_at: i64,
}

/// A lead or partner organisation and its position, if recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartyPosition {
    pub organisation_id: i64,
    pub organisation_name: String,
    pub lead: bool,
    pub position: Option<Position>,
}

struct PartyRow {
    organisation_id: i64,
    organisation_name: String,
    role: String,
    option: Option<String>,
    reasons: Option<String>,
    next_steps: Option<String>,
    version: Option<i64>,
    recorded_by_name: Option<String>,
    recorded_at: Option<i64>,
}
crate::db::from_row!(PartyRow {
    organisation_id,
    organisation_name,
    role,
    option,
    reasons,
    next_steps,
    version,
    recorded_by_name,
    recorded_at
});

impl From<PartyRow> for PartyPosition {
    fn from(r: PartyRow) -> Self {
        let position = match (r.option, r.version, r.recorded_at) {
            (Some(option), Some(version), Some(recorded_at)) => Some(Position {
                organisation_id: r.organisation_id,
                option: ForwardOption::parse_code(&option).unwrap_or(ForwardOption::Continue),
                reasons: r.reasons.unwrap_or_default(),
                next_steps: r.next_steps.unwrap_or_default(),
                version,
                recorded_by_name: r.recorded_by_name.unwrap_or_default(),
                recorded_at,
            }),
            _ => None,
        };
        PartyPosition {
            organisation_id: r.organisation_id,
            organisation_name: r.organisation_name,
            lead: r.role == ParticipantRole::Lead.code(),
            position,
        }
    }
}

const PARTIES: &str = "SELECT o.id AS organisation_id, o.name AS organisation_name, p.role, \
    f.option, f.reasons, f.next_steps, f.version, f.recorded_by_name, f.recorded_at \
    FROM participants p JOIN organisations o ON o.id = p.organisation_id \
    LEFT JOIN forward_positions f ON f.collaboration_id = p.collaboration_id AND f.organisation_id = p.organisation_id \
    WHERE p.collaboration_id = ? AND p.role IN (?, ?)";

/// What happened to a save of a position.
#[derive(Debug)]
pub enum PositionSave {
    Saved(Position),
    /// Someone saved since the version the change was based on: the
    /// position as it is now (None when there is none).
    Stale(Option<Position>),
}

/// A way forward put to the partners, with where its proposal stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Way {
    pub id: i64,
    pub proposal_id: i64,
    pub option: ForwardOption,
    pub reasons: String,
    pub next_steps: String,
    pub proposed_by_name: String,
    pub created_at: i64,
    /// The proposal's voting closing date, `YYYY-MM-DD`.
    pub closes_on: String,
    pub body_name: String,
    /// The result the proposal's outcome was written against; None while
    /// the outcome is not written (the way forward is still open).
    pub result: Option<Standing>,
    /// The decisions log's entry, once the outcome is written.
    pub decision_id: Option<i64>,
}

impl Way {
    /// Open while the proposal's outcome is not written.
    pub fn is_open(&self) -> bool {
        self.result.is_none()
    }

    /// Agreed: the outcome was written with the proposal passed.
    pub fn is_agreed(&self) -> bool {
        self.result == Some(Standing::Passed)
    }
}

struct WayRow {
    id: i64,
    proposal_id: i64,
    option: String,
    reasons: String,
    next_steps: String,
    proposed_by_name: String,
    created_at: i64,
    closes_on: String,
    body_name: String,
    result: String,
    decision_id: Option<i64>,
}
crate::db::from_row!(WayRow {
    id,
    proposal_id,
    option,
    reasons,
    next_steps,
    proposed_by_name,
    created_at,
    closes_on,
    body_name,
    result,
    decision_id
});

impl From<WayRow> for Way {
    fn from(r: WayRow) -> Self {
        Way {
            id: r.id,
            proposal_id: r.proposal_id,
            option: ForwardOption::parse_code(&r.option).unwrap_or(ForwardOption::Continue),
            reasons: r.reasons,
            next_steps: r.next_steps,
            proposed_by_name: r.proposed_by_name,
            created_at: r.created_at,
            closes_on: r.closes_on,
            body_name: r.body_name,
            result: Standing::parse_code(&r.result),
            decision_id: r.decision_id,
        }
    }
}

/// Most ways forward listed: the newest.
pub const WAYS_LISTED: i64 = 20;

/// What a next cycle was made with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NextCycle {
    pub collaboration_id: i64,
    /// The titles of the aims carried over, oldest first.
    pub aims: Vec<String>,
    pub lessons: i64,
}

impl Tx {
    /// Every lead and partner organisation now, by name, with its position.
    pub async fn forward_positions(
        &mut self,
        scope: &CollabScope,
    ) -> Result<Vec<PartyPosition>, StoreError> {
        let rows: Vec<PartyRow> = self
            .all(
                q(format!("{PARTIES} ORDER BY o.name, o.id"))
                    .bind(scope.collaboration_id())
                    .bind(ParticipantRole::Lead.code())
                    .bind(ParticipantRole::Partner.code()),
            )
            .await?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// One lead or partner organisation and its position; None when the
    /// organisation is not a lead or partner here.
    pub async fn forward_position(
        &mut self,
        scope: &CollabScope,
        organisation_id: i64,
    ) -> Result<Option<PartyPosition>, StoreError> {
        let row: Option<PartyRow> = self
            .opt(
                q(format!("{PARTIES} AND p.organisation_id = ?"))
                    .bind(scope.collaboration_id())
                    .bind(ParticipantRole::Lead.code())
                    .bind(ParticipantRole::Partner.code())
                    .bind(organisation_id),
            )
            .await?;
        Ok(row.map(Into::into))
    }

    /// Records (`base_version` 0) or changes an organisation's position,
    /// unless someone saved since `base_version`.
    pub async fn save_forward_position(
        &mut self,
        scope: &CollabScope,
        organisation_id: i64,
        d: &PositionDetails,
        base_version: i64,
        (user_id, user_name): (i64, &str),
        now: i64,
    ) -> Result<PositionSave, StoreError> {
        let n = if base_version == 0 {
            self.exec(
                q("INSERT INTO forward_positions (collaboration_id, organisation_id, option, reasons, next_steps, \
                   version, recorded_by, recorded_by_name, recorded_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?) \
                   ON CONFLICT (collaboration_id, organisation_id) DO NOTHING")
                .bind(scope.collaboration_id())
                .bind(organisation_id)
                .bind(d.option.code())
                .bind(&d.reasons)
                .bind(&d.next_steps)
                .bind(user_id)
                .bind(user_name)
                .bind(now),
            )
            .await?
        } else {
            self.exec(
                q("UPDATE forward_positions SET option = ?, reasons = ?, next_steps = ?, version = version + 1, \
                   recorded_by = ?, recorded_by_name = ?, recorded_at = ? \
                   WHERE collaboration_id = ? AND organisation_id = ? AND version = ?")
                .bind(d.option.code())
                .bind(&d.reasons)
                .bind(&d.next_steps)
                .bind(user_id)
                .bind(user_name)
                .bind(now)
                .bind(scope.collaboration_id())
                .bind(organisation_id)
                .bind(base_version),
            )
            .await?
        };
        let now_there = self
            .forward_position(scope, organisation_id)
            .await?
            .and_then(|p| p.position);
        Ok(match now_there {
            Some(p) if n == 1 => PositionSave::Saved(p),
            other => PositionSave::Stale(other),
        })
    }

    /// Whether the person sits on any of the collaboration's governance
    /// groups for that organisation now (still a member of it).
    pub async fn sits_on_a_body_for(
        &mut self,
        scope: &CollabScope,
        user_id: i64,
        organisation_id: i64,
    ) -> Result<bool, StoreError> {
        let n = self
            .int(
                q("SELECT COUNT(*) FROM governance_members gm \
                   JOIN governance_bodies b ON b.id = gm.body_id \
                   JOIN memberships ms ON ms.organisation_id = gm.organisation_id AND ms.user_id = gm.user_id \
                   WHERE b.collaboration_id = ? AND gm.user_id = ? AND gm.organisation_id = ?")
                .bind(scope.collaboration_id())
                .bind(user_id)
                .bind(organisation_id),
            )
            .await?;
        Ok(n > 0)
    }

    /// The ways forward put to the partners, newest first (at most
    /// [`WAYS_LISTED`]).
    pub async fn forward_ways(&mut self, scope: &CollabScope) -> Result<Vec<Way>, StoreError> {
        let rows: Vec<WayRow> = self
            .all(
                q("SELECT w.id, w.proposal_id, w.option, w.reasons, w.next_steps, w.proposed_by_name, w.created_at, \
                   p.closes_on, p.body_name, p.result, p.decision_id \
                   FROM forward_ways w JOIN proposals p ON p.id = w.proposal_id \
                   WHERE w.collaboration_id = ? ORDER BY w.id DESC LIMIT ?")
                .bind(scope.collaboration_id())
                .bind(WAYS_LISTED),
            )
            .await?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// Links a proposal just made to the way forward it puts.
    pub async fn create_forward_way(
        &mut self,
        scope: &CollabScope,
        proposal_id: i64,
        d: &PositionDetails,
        proposed_by_name: &str,
        now: i64,
    ) -> Result<i64, StoreError> {
        let (id,): (i64,) = self
            .one(
                q("INSERT INTO forward_ways (collaboration_id, proposal_id, option, reasons, next_steps, \
                   proposed_by_name, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id")
                .bind(scope.collaboration_id())
                .bind(proposal_id)
                .bind(d.option.code())
                .bind(&d.reasons)
                .bind(&d.next_steps)
                .bind(proposed_by_name)
                .bind(now),
            )
            .await?;
        Ok(id)
    }

    /// The counts behind the way-forward items of the Review checklist, in
    /// one statement.
    pub async fn forward_facts(&mut self, scope: &CollabScope) -> Result<ForwardFacts, StoreError> {
        let (parties, positions, agreed): (i64, i64, i64) = self
            .one(
                q("SELECT \
                   (SELECT COUNT(*) FROM participants p WHERE p.collaboration_id = ? AND p.role IN (?, ?)), \
                   (SELECT COUNT(*) FROM participants p JOIN forward_positions f \
                      ON f.collaboration_id = p.collaboration_id AND f.organisation_id = p.organisation_id \
                      WHERE p.collaboration_id = ? AND p.role IN (?, ?)), \
                   (SELECT COUNT(*) FROM forward_ways w JOIN proposals pr ON pr.id = w.proposal_id \
                      WHERE w.collaboration_id = ? AND pr.result = ?)")
                .bind(scope.collaboration_id())
                .bind(ParticipantRole::Lead.code())
                .bind(ParticipantRole::Partner.code())
                .bind(scope.collaboration_id())
                .bind(ParticipantRole::Lead.code())
                .bind(ParticipantRole::Partner.code())
                .bind(scope.collaboration_id())
                .bind(Standing::Passed.code()),
            )
            .await?;
        Ok(ForwardFacts {
            parties,
            positions,
            agreed: agreed > 0,
        })
    }

    /// (the previous cycle, the next cycle) of a collaboration, by id.
    pub async fn cycle_links(
        &mut self,
        scope: &CollabScope,
    ) -> Result<(Option<i64>, Option<i64>), StoreError> {
        self.one(
            q("SELECT c.previous_id, (SELECT n.id FROM collaborations n WHERE n.previous_id = c.id) \
               FROM collaborations c WHERE c.id = ?")
            .bind(scope.collaboration_id()),
        )
        .await
    }

    /// The next cycle of a collaboration, (id, title), if one was started.
    pub async fn next_cycle_of(
        &mut self,
        collaboration_id: i64,
    ) -> Result<Option<(i64, String)>, StoreError> {
        self.opt(
            q("SELECT id, title FROM collaborations WHERE previous_id = ?").bind(collaboration_id),
        )
        .await
    }

    /// Which cycle the collaboration is: 1 when it has no previous cycle.
    /// Follows the chain back (at most 1,000 steps, by primary key).
    pub async fn cycle_number(&mut self, scope: &CollabScope) -> Result<i64, StoreError> {
        let mut number = 1;
        let mut at = scope.collaboration_id();
        while number < 1000 {
            let previous: Option<(Option<i64>,)> = self
                .opt(q("SELECT previous_id FROM collaborations WHERE id = ?").bind(at))
                .await?;
            match previous {
                Some((Some(p),)) => {
                    number += 1;
                    at = p;
                }
                _ => break,
            }
        }
        Ok(number)
    }

    /// Marks `next` as the next cycle of the scope's collaboration.
    /// `StoreError::Conflict` when it already has one (the unique index).
    pub async fn link_next_cycle(
        &mut self,
        scope: &CollabScope,
        next: &CollabScope,
    ) -> Result<(), StoreError> {
        self.exec(
            q("UPDATE collaborations SET previous_id = ? WHERE id = ?")
                .bind(scope.collaboration_id())
                .bind(next.collaboration_id()),
        )
        .await?;
        Ok(())
    }

    /// Copies into `next` the aims of `from` still open (as draft aims: no
    /// approvals, no benefit, no target date) and every lesson (marked as
    /// from the previous cycle).
    pub async fn carry_over(
        &mut self,
        from: &CollabScope,
        next: &CollabScope,
        user_id: i64,
        now: i64,
    ) -> Result<NextCycle, StoreError> {
        let mut aims = Vec::new();
        for a in self.reviewed_aims(from).await? {
            if aim_is_open(a.review.as_ref().map(|r| r.outcome)) {
                let d = AimDetails {
                    title: a.title,
                    indicator: a.indicator,
                    baseline: a.baseline,
                    target: a.target,
                    target_date: None,
                    benefit_id: None,
                };
                self.exec(
                    q("INSERT INTO aims (collaboration_id, benefit_id, title, indicator, baseline, target, target_date, \
                       version, created_by, created_at, updated_at) VALUES (?, NULL, ?, ?, ?, ?, NULL, 1, ?, ?, ?)")
                    .bind(next.collaboration_id())
                    .bind(&d.title)
                    .bind(&d.indicator)
                    .bind(&d.baseline)
                    .bind(&d.target)
                    .bind(user_id)
                    .bind(now)
                    .bind(now),
                )
                .await?;
                aims.push(d.title);
            }
        }
        if !aims.is_empty() {
            self.bump_aim_set(next, now).await?;
        }
        let lessons = self
            .exec(
                q("INSERT INTO lessons (collaboration_id, stage, stage_position, kind, text, version, recorded_by, \
                   recorded_by_name, organisation_id, organisation_name, recorded_at, updated_at, from_previous_cycle) \
                   SELECT ?, stage, stage_position, kind, text, 1, recorded_by, recorded_by_name, organisation_id, \
                   organisation_name, recorded_at, ?, 1 FROM lessons WHERE collaboration_id = ? ORDER BY id")
                .bind(next.collaboration_id())
                .bind(now)
                .bind(from.collaboration_id()),
            )
            .await?;
        Ok(NextCycle {
            collaboration_id: next.collaboration_id(),
            aims,
            lessons: lessons as i64,
        })
    }
}
