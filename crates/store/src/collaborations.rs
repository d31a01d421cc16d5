//! Collaborations, the organisations taking part, and invitations to join.

use crate::StoreError;
use crate::db::{Tx, placeholders, q};
use commonground_domain::collaborations::{
    CollaborationDetails, InvitationStatus, ParticipantRole,
};
use commonground_domain::organisations::OrgRole;
use commonground_domain::policy::Participation;
use commonground_domain::stage::Stage;

#[derive(Debug, Clone, serde::Serialize)]
pub struct Collaboration {
    pub id: i64,
    pub title: String,
    pub purpose: String,
    pub stage: Stage,
    pub created_at: i64,
    pub updated_at: i64,
}

struct CollabRow {
    id: i64,
    title: String,
    purpose: String,
    stage: String,
    created_at: i64,
    updated_at: i64,
}
crate::db::from_row!(CollabRow {
    id,
    title,
    purpose,
    stage,
    created_at,
    updated_at
});

impl From<CollabRow> for Collaboration {
    fn from(r: CollabRow) -> Self {
        Collaboration {
            id: r.id,
            title: r.title,
            purpose: r.purpose,
            stage: Stage::parse_code(&r.stage).unwrap_or(Stage::Identify),
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

/// Proof that the acting person's organisations take part in a
/// collaboration, with how. Only [`Tx::collab_scope`] makes one, so every
/// read of a collaboration's contents starts from the person's access.
#[derive(Debug, Clone)]
pub struct CollabScope {
    collaboration_id: i64,
    participations: Vec<Participation>,
}

impl CollabScope {
    pub fn collaboration_id(&self) -> i64 {
        self.collaboration_id
    }
    pub fn participations(&self) -> &[Participation] {
        &self.participations
    }
}

/// What a collaboration's page reads first, in one statement (see
/// [`Tx::collaboration_for_member_at`]).
#[derive(Debug, Clone)]
pub struct CollabPageRead {
    /// The person's proof of access.
    pub scope: CollabScope,
    pub collaboration: Collaboration,
    /// Every participant, in the order they joined.
    pub participants: Vec<Participant>,
    /// The content revision, as [`Tx::collab_scope_with_collaboration`]
    /// gives it.
    pub revision: (i64, i64),
    /// The collaboration this one is the next cycle of, and its own next
    /// cycle, by id, as [`Tx::cycle_links`] gives them.
    pub cycle_links: (Option<i64>, Option<i64>),
}

/// An organisation taking part in a collaboration.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Participant {
    pub organisation_id: i64,
    pub name: String,
    pub org_identifier: Option<String>,
    pub role: ParticipantRole,
    pub joined_at: i64,
}

/// A line in "my collaborations".
#[derive(Debug, Clone, serde::Serialize)]
pub struct CollabSummary {
    pub id: i64,
    pub title: String,
    pub stage: Stage,
    pub updated_at: i64,
    pub participants: Vec<Participant>,
}

/// A page of "my collaborations" before it is read: which collaborations
/// it shows, and what says whether a copy worked out earlier is still
/// right. Two reads that give the same value would give the same page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MyCollabsAt {
    /// How many collaborations there are in all.
    pub total: i64,
    /// The page's collaborations, in the page's order.
    pub entries: Vec<PageEntry>,
    /// How many times any organisation has changed its name or identifier.
    pub renames: i64,
}

/// One collaboration on a page of "my collaborations": its id, when it
/// last changed and its revision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageEntry {
    pub id: i64,
    pub updated_at: i64,
    pub revision: i64,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct CollabInvitation {
    pub id: i64,
    pub collaboration_id: i64,
    pub collaboration_title: String,
    pub collaboration_purpose: String,
    pub organisation_id: i64,
    pub organisation_name: String,
    pub invited_by_organisation_name: String,
    pub role: ParticipantRole,
    pub message: String,
    pub status: InvitationStatus,
    pub created_at: i64,
    pub responded_at: Option<i64>,
}

struct CollabInvitationRow {
    id: i64,
    collaboration_id: i64,
    collaboration_title: String,
    collaboration_purpose: String,
    organisation_id: i64,
    organisation_name: String,
    invited_by_organisation_name: Option<String>,
    role: String,
    message: String,
    status: String,
    created_at: i64,
    responded_at: Option<i64>,
}
crate::db::from_row!(CollabInvitationRow {
    id,
    collaboration_id,
    collaboration_title,
    collaboration_purpose,
    organisation_id,
    organisation_name,
    invited_by_organisation_name,
    role,
    message,
    status,
    created_at,
    responded_at
});

impl From<CollabInvitationRow> for CollabInvitation {
    fn from(r: CollabInvitationRow) -> Self {
        CollabInvitation {
            id: r.id,
            collaboration_id: r.collaboration_id,
            collaboration_title: r.collaboration_title,
            collaboration_purpose: r.collaboration_purpose,
            organisation_id: r.organisation_id,
            organisation_name: r.organisation_name,
            invited_by_organisation_name: r.invited_by_organisation_name.unwrap_or_default(),
            role: ParticipantRole::parse_code(&r.role).unwrap_or(ParticipantRole::Partner),
            message: r.message,
            status: InvitationStatus::parse_code(&r.status).unwrap_or(InvitationStatus::Pending),
            created_at: r.created_at,
            responded_at: r.responded_at,
        }
    }
}

const INVITATION_SELECT: &str = "SELECT i.id, i.collaboration_id, c.title AS collaboration_title, \
    c.purpose AS collaboration_purpose, i.organisation_id, o.name AS organisation_name, \
    io.name AS invited_by_organisation_name, i.role, i.message, i.status, i.created_at, i.responded_at \
    FROM collaboration_invitations i \
    JOIN collaborations c ON c.id = i.collaboration_id \
    JOIN organisations o ON o.id = i.organisation_id \
    LEFT JOIN organisations io ON io.id = i.invited_by_organisation_id";

/// Why an invitation could not be answered or sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InviteProblem {
    AlreadyParticipating,
    AlreadyInvited,
    AlreadyAnswered,
}

fn parse_participations(rows: Vec<(i64, String, String)>) -> Vec<Participation> {
    rows.into_iter()
        .filter_map(|(organisation_id, prole, orole)| {
            Some(Participation {
                organisation_id,
                participant_role: ParticipantRole::parse_code(&prole)?,
                org_role: OrgRole::parse_code(&orole)?,
            })
        })
        .collect()
}

impl Tx {
    /// Opens a collaboration led by `organisation_id`. The caller has
    /// checked the person belongs to it.
    pub async fn create_collaboration(
        &mut self,
        organisation_id: i64,
        details: &CollaborationDetails,
        created_by: i64,
        now: i64,
    ) -> Result<Collaboration, StoreError> {
        let row: CollabRow = self
            .one(
                q("INSERT INTO collaborations (title, purpose, stage, created_by, created_at, updated_at) \
                   VALUES (?, ?, ?, ?, ?, ?) RETURNING id, title, purpose, stage, created_at, updated_at")
                .bind(&details.title)
                .bind(&details.purpose)
                .bind(Stage::Identify.code())
                .bind(created_by)
                .bind(now)
                .bind(now),
            )
            .await?;
        self.add_participant(row.id, organisation_id, ParticipantRole::Lead, now)
            .await?;
        Ok(row.into())
    }

    async fn add_participant(
        &mut self,
        collaboration_id: i64,
        organisation_id: i64,
        role: ParticipantRole,
        now: i64,
    ) -> Result<(), StoreError> {
        self.exec(
            q("INSERT INTO participants (collaboration_id, organisation_id, role, joined_at) VALUES (?, ?, ?, ?)")
                .bind(collaboration_id)
                .bind(organisation_id)
                .bind(role.code())
                .bind(now),
        )
        .await?;
        if commonground_domain::approval::is_party(role) {
            self.bump_parties_epoch(collaboration_id).await?;
        }
        Ok(())
    }

    /// How the person's organisations take part in a collaboration. None
    /// when none of them does: to them, it does not exist.
    pub async fn collab_scope(
        &mut self,
        user_id: i64,
        collaboration_id: i64,
    ) -> Result<Option<CollabScope>, StoreError> {
        let rows: Vec<(i64, String, String)> = self
            .all(
                q(
                    "SELECT p.organisation_id, p.role, m.role FROM participants p \
                   JOIN memberships m ON m.organisation_id = p.organisation_id \
                   WHERE p.collaboration_id = ? AND m.user_id = ? ORDER BY p.organisation_id",
                )
                .bind(collaboration_id)
                .bind(user_id),
            )
            .await?;
        let participations = parse_participations(rows);
        if participations.is_empty() {
            return Ok(None);
        }
        Ok(Some(CollabScope {
            collaboration_id,
            participations,
        }))
    }

    /// The person's proof of access to a collaboration, the collaboration
    /// and its content revision, in one statement: what a stage page reads
    /// first. None when none of the person's organisations takes part (or
    /// it does not exist).
    ///
    /// The content revision is the collaboration's own revision and the sum
    /// of its organisations' revisions, which the audit trail's triggers
    /// raise with every entry (migration 0014). Anything worked out from the
    /// collaboration's content at one pair is right while the pair stays
    /// the same: every write records an entry in its own transaction, and
    /// the numbers only go up. It is read before the content, never after,
    /// so what is kept is never older than its pair.
    pub async fn collab_scope_with_collaboration(
        &mut self,
        user_id: i64,
        collaboration_id: i64,
    ) -> Result<Option<(CollabScope, Collaboration, (i64, i64))>, StoreError> {
        struct Row {
            id: i64,
            title: String,
            purpose: String,
            stage: String,
            created_at: i64,
            updated_at: i64,
            revision: i64,
            organisation_revision: i64,
            organisation_id: i64,
            participant_role: String,
            member_role: String,
        }
        crate::db::from_row!(Row {
            id,
            title,
            purpose,
            stage,
            created_at,
            updated_at,
            revision,
            organisation_revision,
            organisation_id,
            participant_role,
            member_role
        });
        let rows: Vec<Row> = self
            .all(
                q("SELECT c.id, c.title, c.purpose, c.stage, c.created_at, c.updated_at, c.revision, \
                          CAST(COALESCE((SELECT SUM(o.revision) FROM participants p2 \
                            JOIN organisations o ON o.id = p2.organisation_id \
                            WHERE p2.collaboration_id = c.id), 0) AS BIGINT) AS organisation_revision, \
                          p.organisation_id, p.role AS participant_role, m.role AS member_role \
                   FROM collaborations c JOIN participants p ON p.collaboration_id = c.id \
                   JOIN memberships m ON m.organisation_id = p.organisation_id AND m.user_id = ? \
                   WHERE c.id = ? ORDER BY p.organisation_id")
                .bind(user_id)
                .bind(collaboration_id),
            )
            .await?;
        let Some(first) = rows.first() else {
            return Ok(None);
        };
        let revision = (first.revision, first.organisation_revision);
        let collaboration = Collaboration::from(CollabRow {
            id: first.id,
            title: first.title.clone(),
            purpose: first.purpose.clone(),
            stage: first.stage.clone(),
            created_at: first.created_at,
            updated_at: first.updated_at,
        });
        let participations = parse_participations(
            rows.into_iter()
                .map(|r| (r.organisation_id, r.participant_role, r.member_role))
                .collect(),
        );
        if participations.is_empty() {
            return Ok(None);
        }
        Ok(Some((
            CollabScope {
                collaboration_id,
                participations,
            },
            collaboration,
            revision,
        )))
    }

    /// A collaboration with all its participants and the person's proof of
    /// access to it, in one statement: what its page reads first. None
    /// when none of the person's organisations takes part (or it does not
    /// exist), which callers answer as "not found".
    pub async fn collaboration_for_member(
        &mut self,
        user_id: i64,
        collaboration_id: i64,
    ) -> Result<Option<(CollabScope, Collaboration, Vec<Participant>)>, StoreError> {
        Ok(self
            .collaboration_for_member_at(user_id, collaboration_id)
            .await?
            .map(|read| (read.scope, read.collaboration, read.participants)))
    }

    /// [`Tx::collaboration_for_member`] with the collaboration's content
    /// revision (see [`Tx::collab_scope_with_collaboration`]) and its
    /// cycle links (see [`Tx::cycle_links`]), read in the same statement:
    /// what the collaboration's page reads first.
    pub async fn collaboration_for_member_at(
        &mut self,
        user_id: i64,
        collaboration_id: i64,
    ) -> Result<Option<CollabPageRead>, StoreError> {
        struct Row {
            id: i64,
            title: String,
            purpose: String,
            stage: String,
            created_at: i64,
            updated_at: i64,
            organisation_id: i64,
            organisation_name: String,
            org_identifier: Option<String>,
            participant_role: String,
            joined_at: i64,
            member_role: Option<String>,
            revision: i64,
            organisation_revision: i64,
            previous_id: Option<i64>,
            next_id: Option<i64>,
        }
        crate::db::from_row!(Row {
            id,
            title,
            purpose,
            stage,
            created_at,
            updated_at,
            organisation_id,
            organisation_name,
            org_identifier,
            participant_role,
            joined_at,
            member_role,
            revision,
            organisation_revision,
            previous_id,
            next_id
        });
        let rows: Vec<Row> = self
            .all(
                q("SELECT c.id, c.title, c.purpose, c.stage, c.created_at, c.updated_at, \
                          o.id AS organisation_id, o.name AS organisation_name, o.org_identifier, \
                          p.role AS participant_role, p.joined_at, m.role AS member_role, \
                          c.revision, o.revision AS organisation_revision, c.previous_id, \
                          (SELECT n.id FROM collaborations n WHERE n.previous_id = c.id) AS next_id \
                   FROM collaborations c JOIN participants p ON p.collaboration_id = c.id \
                   JOIN organisations o ON o.id = p.organisation_id \
                   LEFT JOIN memberships m ON m.organisation_id = p.organisation_id AND m.user_id = ? \
                   WHERE c.id = ? ORDER BY p.joined_at, o.id")
                .bind(user_id)
                .bind(collaboration_id),
            )
            .await?;
        // The person's own organisations among them, as collab_scope has them.
        let mut mine: Vec<(i64, String, String)> = rows
            .iter()
            .filter_map(|r| {
                r.member_role
                    .clone()
                    .map(|role| (r.organisation_id, r.participant_role.clone(), role))
            })
            .collect();
        mine.sort_by_key(|(organisation_id, _, _)| *organisation_id);
        let participations = parse_participations(mine);
        let Some(first) = rows.first() else {
            return Ok(None);
        };
        if participations.is_empty() {
            return Ok(None);
        }
        let collaboration = Collaboration::from(CollabRow {
            id: first.id,
            title: first.title.clone(),
            purpose: first.purpose.clone(),
            stage: first.stage.clone(),
            created_at: first.created_at,
            updated_at: first.updated_at,
        });
        let revision = (
            first.revision,
            rows.iter().map(|r| r.organisation_revision).sum(),
        );
        let cycle_links = (first.previous_id, first.next_id);
        let participants = rows
            .into_iter()
            .map(|r| Participant {
                organisation_id: r.organisation_id,
                name: r.organisation_name,
                org_identifier: r.org_identifier,
                role: ParticipantRole::parse_code(&r.participant_role)
                    .unwrap_or(ParticipantRole::Partner),
                joined_at: r.joined_at,
            })
            .collect();
        Ok(Some(CollabPageRead {
            scope: CollabScope {
                collaboration_id,
                participations,
            },
            collaboration,
            participants,
            revision,
            cycle_links,
        }))
    }

    /// Serialises changes to one collaboration (stage, participants) across
    /// servers; see [`Tx::lock_organisation`].
    pub async fn lock_collaboration(&mut self, collaboration_id: i64) -> Result<(), StoreError> {
        self.exec(
            q("UPDATE collaborations SET updated_at = updated_at WHERE id = ?")
                .bind(collaboration_id),
        )
        .await?;
        Ok(())
    }

    pub async fn collaboration(
        &mut self,
        scope: &CollabScope,
    ) -> Result<Collaboration, StoreError> {
        let row: CollabRow = self
            .one(
                q("SELECT id, title, purpose, stage, created_at, updated_at FROM collaborations WHERE id = ?")
                    .bind(scope.collaboration_id),
            )
            .await?;
        Ok(row.into())
    }

    pub async fn participants(
        &mut self,
        scope: &CollabScope,
    ) -> Result<Vec<Participant>, StoreError> {
        let rows: Vec<(i64, i64, String, Option<String>, String, i64)> = self
            .all(
                q("SELECT p.collaboration_id, o.id, o.name, o.org_identifier, p.role, p.joined_at FROM participants p \
                   JOIN organisations o ON o.id = p.organisation_id WHERE p.collaboration_id = ? \
                   ORDER BY p.joined_at, o.id")
                .bind(scope.collaboration_id),
            )
            .await?;
        Ok(rows.into_iter().map(|r| participant(r).1).collect())
    }

    pub async fn update_collaboration_details(
        &mut self,
        scope: &CollabScope,
        details: &CollaborationDetails,
        now: i64,
    ) -> Result<(), StoreError> {
        self.exec(
            q("UPDATE collaborations SET title = ?, purpose = ?, updated_at = ? WHERE id = ?")
                .bind(&details.title)
                .bind(&details.purpose)
                .bind(now)
                .bind(scope.collaboration_id),
        )
        .await?;
        Ok(())
    }

    /// Moves the stage, but only from the stage the person saw: a stale
    /// request (someone else moved it meanwhile) changes nothing and
    /// returns false.
    pub async fn set_stage(
        &mut self,
        scope: &CollabScope,
        from: Stage,
        to: Stage,
        now: i64,
    ) -> Result<bool, StoreError> {
        let n = self
            .exec(
                q("UPDATE collaborations SET stage = ?, updated_at = ? WHERE id = ? AND stage = ?")
                    .bind(to.code())
                    .bind(now)
                    .bind(scope.collaboration_id)
                    .bind(from.code()),
            )
            .await?;
        Ok(n == 1)
    }

    /// The collaborations of every organisation the person belongs to,
    /// most recently changed first, with their participants, and how many
    /// there are in all: [`Tx::my_collaborations_at`], then
    /// [`Tx::collaboration_summaries`].
    pub async fn my_collaborations(
        &mut self,
        user_id: i64,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<CollabSummary>, i64), StoreError> {
        let organisations = self.my_organisation_ids(user_id).await?;
        self.my_collaborations_among(&organisations, limit, offset)
            .await
    }

    /// The ids of the organisations a person belongs to, in order.
    pub async fn my_organisation_ids(&mut self, user_id: i64) -> Result<Vec<i64>, StoreError> {
        let organisations: Vec<(i64,)> = self
            .all(
                q("SELECT organisation_id FROM memberships WHERE user_id = ? ORDER BY organisation_id")
                    .bind(user_id),
            )
            .await?;
        Ok(organisations.into_iter().map(|(id,)| id).collect())
    }

    /// [`Tx::my_collaborations`] for a person whose organisations are
    /// already known (read with their session or token): two statements.
    pub async fn my_collaborations_among(
        &mut self,
        organisations: &[i64],
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<CollabSummary>, i64), StoreError> {
        let at = self
            .my_collaborations_at(organisations, limit, offset)
            .await?;
        let items = self.collaboration_summaries(&at).await?;
        Ok((items, at.total))
    }

    /// Which collaborations a page of [`Tx::my_collaborations`] shows, and
    /// everything that says whether a page worked out earlier is still
    /// right: each entry's revision and the count of organisation renames
    /// (migration 0024). One statement.
    ///
    /// The page is found from the index of each organisation's most recent
    /// collaborations (`participants_org_recent_revision`): the first
    /// `offset + limit` entries of each of the person's organisations,
    /// merged. So a page costs the same whether the person sees ten
    /// collaborations or ten thousand; only pages far back sort the whole
    /// list.
    pub async fn my_collaborations_at(
        &mut self,
        organisations: &[i64],
        limit: i64,
        offset: i64,
    ) -> Result<MyCollabsAt, StoreError> {
        /// Past this many rows, or this many organisations (one
        /// sub-select each, and SQLite allows 500 in one statement),
        /// merging per-organisation lists costs more than one sort of all.
        const MERGE_UP_TO: i64 = 1000;
        const MERGE_ORGANISATIONS_UP_TO: usize = 64;
        let limit = limit.clamp(1, 200);
        let offset = offset.max(0);
        let wanted = offset + limit;
        if organisations.is_empty() {
            return Ok(MyCollabsAt::default());
        }
        let orgs = placeholders(organisations.len());
        // First row: the number of distinct collaborations and the count of
        // renames (an id no collaboration has marks it); then the
        // candidates for the page.
        let total_row = format!(
            "SELECT CAST(-1 AS BIGINT) AS collaboration_id, \
             (SELECT COUNT(DISTINCT collaboration_id) FROM participants WHERE organisation_id IN ({orgs})) \
             AS collab_updated_at, \
             COALESCE((SELECT revision FROM organisation_renames WHERE id = 1), 0) AS collab_revision"
        );
        let merge = wanted <= MERGE_UP_TO && organisations.len() <= MERGE_ORGANISATIONS_UP_TO;
        let statement = if merge {
            let one = "SELECT * FROM (SELECT collaboration_id, collab_updated_at, collab_revision FROM participants \
                       WHERE organisation_id = ? ORDER BY collab_updated_at DESC, collaboration_id DESC LIMIT ?) AS o";
            let branches = (0..organisations.len())
                .map(|i| format!("{one}{i}"))
                .collect::<Vec<_>>()
                .join(" UNION ALL ");
            let mut statement = q(format!("{total_row} UNION ALL {branches}"))
                .bind_all(organisations.iter().copied());
            for organisation_id in organisations {
                statement = statement.bind(*organisation_id).bind(wanted);
            }
            statement
        } else {
            // Each participant row carries an exact copy of its
            // collaboration's time and revision, so DISTINCT gives one row
            // for each collaboration.
            q(format!(
                "{total_row} UNION ALL SELECT * FROM (SELECT DISTINCT collaboration_id, collab_updated_at, collab_revision \
                 FROM participants WHERE organisation_id IN ({orgs}) \
                 ORDER BY collab_updated_at DESC, collaboration_id DESC LIMIT ?) AS a"
            ))
            .bind_all(organisations.iter().copied())
            .bind_all(organisations.iter().copied())
            .bind(wanted)
        };
        let mut recent: Vec<(i64, i64, i64)> = self.all(statement).await?;
        let (total, renames) = recent
            .iter()
            .find(|(id, _, _)| *id == -1)
            .map(|(_, n, r)| (*n, *r))
            .unwrap_or((0, 0));
        recent.retain(|(id, _, _)| *id != -1);
        recent.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(b.0.cmp(&a.0)));
        recent.dedup_by_key(|(id, _, _)| *id);
        let entries = recent
            .into_iter()
            .skip(offset as usize)
            .take(limit as usize)
            .map(|(id, updated_at, revision)| PageEntry {
                id,
                updated_at,
                revision,
            })
            .collect();
        Ok(MyCollabsAt {
            total,
            entries,
            renames,
        })
    }

    /// The collaborations of a page found by [`Tx::my_collaborations_at`],
    /// in its order, with their participants: one statement.
    pub async fn collaboration_summaries(
        &mut self,
        at: &MyCollabsAt,
    ) -> Result<Vec<CollabSummary>, StoreError> {
        let ids: Vec<i64> = at.entries.iter().map(|e| e.id).collect();
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        // The collaborations with their participants, one row for each
        // participant (not the purpose, which a list does not show). In any
        // order: the page's order is known from `ids`.
        struct Row {
            id: i64,
            title: String,
            stage: String,
            updated_at: i64,
            organisation_id: i64,
            organisation_name: String,
            org_identifier: Option<String>,
            participant_role: String,
            joined_at: i64,
        }
        crate::db::from_row!(Row {
            id,
            title,
            stage,
            updated_at,
            organisation_id,
            organisation_name,
            org_identifier,
            participant_role,
            joined_at
        });
        let list = placeholders(ids.len());
        let rows: Vec<Row> = self
            .all(
                q(format!(
                    "SELECT c.id, c.title, c.stage, c.updated_at, \
                            o.id AS organisation_id, o.name AS organisation_name, o.org_identifier, \
                            p.role AS participant_role, p.joined_at \
                     FROM collaborations c JOIN participants p ON p.collaboration_id = c.id \
                     JOIN organisations o ON o.id = p.organisation_id \
                     WHERE c.id IN ({list})"
                ))
                .bind_all(ids.iter().copied()),
            )
            .await?;
        let mut out: Vec<CollabSummary> = Vec::with_capacity(ids.len());
        for r in rows {
            let (_, p) = participant((
                r.id,
                r.organisation_id,
                r.organisation_name,
                r.org_identifier,
                r.participant_role,
                r.joined_at,
            ));
            match out.iter_mut().find(|s| s.id == r.id) {
                Some(summary) => summary.participants.push(p),
                None => out.push(CollabSummary {
                    id: r.id,
                    title: r.title,
                    stage: Stage::parse_code(&r.stage).unwrap_or(Stage::Identify),
                    updated_at: r.updated_at,
                    participants: vec![p],
                }),
            }
        }
        out.sort_by_key(|s| ids.iter().position(|id| *id == s.id));
        for summary in &mut out {
            summary
                .participants
                .sort_by_key(|p| (p.joined_at, p.organisation_id));
        }
        Ok(out)
    }

    pub async fn count_collaborations(&mut self) -> Result<i64, StoreError> {
        self.int(q("SELECT COUNT(*) FROM collaborations")).await
    }

    // --- invitations ---------------------------------------------------------

    /// Invites an organisation. Refused when it already takes part or has
    /// an invitation waiting.
    #[allow(clippy::too_many_arguments)]
    pub async fn invite_organisation(
        &mut self,
        scope: &CollabScope,
        organisation_id: i64,
        role: ParticipantRole,
        message: &str,
        invited_by: i64,
        invited_by_organisation_id: i64,
        now: i64,
    ) -> Result<Result<CollabInvitation, InviteProblem>, StoreError> {
        let already = self
            .int(
                q("SELECT COUNT(*) FROM participants WHERE collaboration_id = ? AND organisation_id = ?")
                    .bind(scope.collaboration_id)
                    .bind(organisation_id),
            )
            .await?;
        if already > 0 {
            return Ok(Err(InviteProblem::AlreadyParticipating));
        }
        let inserted = self
            .one::<(i64,)>(
                q("INSERT INTO collaboration_invitations (collaboration_id, organisation_id, role, message, status, \
                   invited_by, invited_by_organisation_id, created_at) VALUES (?, ?, ?, ?, 'pending', ?, ?, ?) RETURNING id")
                .bind(scope.collaboration_id)
                .bind(organisation_id)
                .bind(role.code())
                .bind(message)
                .bind(invited_by)
                .bind(invited_by_organisation_id)
                .bind(now),
            )
            .await;
        let id = match inserted {
            Ok((id,)) => id,
            Err(StoreError::Conflict(_)) => return Ok(Err(InviteProblem::AlreadyInvited)),
            Err(e) => return Err(e),
        };
        let row: CollabInvitationRow = self
            .one(q(format!("{INVITATION_SELECT} WHERE i.id = ?")).bind(id))
            .await?;
        Ok(Ok(row.into()))
    }

    /// Every invitation sent for a collaboration, newest first.
    pub async fn collaboration_invitations(
        &mut self,
        scope: &CollabScope,
    ) -> Result<Vec<CollabInvitation>, StoreError> {
        let rows: Vec<CollabInvitationRow> = self
            .all(
                q(format!(
                    "{INVITATION_SELECT} WHERE i.collaboration_id = ? ORDER BY i.id DESC LIMIT 500"
                ))
                .bind(scope.collaboration_id),
            )
            .await?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// An invitation addressed to one of the person's organisations, with
    /// their role in that organisation. None for anyone else.
    pub async fn invitation_for_member(
        &mut self,
        user_id: i64,
        invitation_id: i64,
    ) -> Result<Option<(CollabInvitation, OrgRole)>, StoreError> {
        let row: Option<CollabInvitationRow> = self
            .opt(q(format!("{INVITATION_SELECT} WHERE i.id = ?")).bind(invitation_id))
            .await?;
        let Some(row) = row else { return Ok(None) };
        let Some(scope) = self.org_scope(user_id, row.organisation_id).await? else {
            return Ok(None);
        };
        Ok(Some((row.into(), scope.role())))
    }

    /// Invitations waiting for an answer from organisations the person administers.
    pub async fn pending_invitations_for_admin(
        &mut self,
        user_id: i64,
    ) -> Result<Vec<CollabInvitation>, StoreError> {
        let rows: Vec<CollabInvitationRow> = self
            .all(
                q(format!(
                    "{INVITATION_SELECT} WHERE i.status = 'pending' AND i.organisation_id IN \
                     (SELECT organisation_id FROM memberships WHERE user_id = ? AND role = 'admin') \
                     ORDER BY i.id DESC LIMIT 100"
                ))
                .bind(user_id),
            )
            .await?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// Accepts or declines a pending invitation. The caller has checked the
    /// person is an admin of the invited organisation.
    pub async fn answer_invitation(
        &mut self,
        invitation: &CollabInvitation,
        accept: bool,
        user_id: i64,
        now: i64,
    ) -> Result<Result<(), InviteProblem>, StoreError> {
        let status = if accept {
            InvitationStatus::Accepted
        } else {
            InvitationStatus::Declined
        };
        let n = self
            .exec(
                q("UPDATE collaboration_invitations SET status = ?, responded_at = ?, responded_by = ? \
                   WHERE id = ? AND status = 'pending'")
                .bind(status.code())
                .bind(now)
                .bind(user_id)
                .bind(invitation.id),
            )
            .await?;
        if n != 1 {
            return Ok(Err(InviteProblem::AlreadyAnswered));
        }
        if accept {
            let already = self
                .int(
                    q("SELECT COUNT(*) FROM participants WHERE collaboration_id = ? AND organisation_id = ?")
                        .bind(invitation.collaboration_id)
                        .bind(invitation.organisation_id),
                )
                .await?;
            if already == 0 {
                self.add_participant(
                    invitation.collaboration_id,
                    invitation.organisation_id,
                    invitation.role,
                    now,
                )
                .await?;
            }
            self.exec(
                q("UPDATE collaborations SET updated_at = ? WHERE id = ?")
                    .bind(now)
                    .bind(invitation.collaboration_id),
            )
            .await?;
        }
        Ok(Ok(()))
    }

    /// Withdraws a pending invitation of this collaboration.
    pub async fn withdraw_invitation(
        &mut self,
        scope: &CollabScope,
        invitation_id: i64,
        user_id: i64,
        now: i64,
    ) -> Result<Option<CollabInvitation>, StoreError> {
        let n = self
            .exec(
                q("UPDATE collaboration_invitations SET status = 'withdrawn', responded_at = ?, responded_by = ? \
                   WHERE id = ? AND collaboration_id = ? AND status = 'pending'")
                .bind(now)
                .bind(user_id)
                .bind(invitation_id)
                .bind(scope.collaboration_id),
            )
            .await?;
        if n != 1 {
            return Ok(None);
        }
        let row: CollabInvitationRow = self
            .one(q(format!("{INVITATION_SELECT} WHERE i.id = ?")).bind(invitation_id))
            .await?;
        Ok(Some(row.into()))
    }

    pub async fn count_leads(&mut self, scope: &CollabScope) -> Result<i64, StoreError> {
        self.int(
            q("SELECT COUNT(*) FROM participants WHERE collaboration_id = ? AND role = 'lead'")
                .bind(scope.collaboration_id),
        )
        .await
    }

    pub async fn set_participant_role(
        &mut self,
        scope: &CollabScope,
        organisation_id: i64,
        role: ParticipantRole,
        now: i64,
    ) -> Result<bool, StoreError> {
        // Approvals of the plan reopen when a party changes: here, when the
        // organisation was or becomes a lead or partner.
        self.exec(
            q("UPDATE collaborations SET parties_epoch = parties_epoch + 1 WHERE id = ? AND (? OR EXISTS \
               (SELECT 1 FROM participants WHERE collaboration_id = ? AND organisation_id = ? \
                AND role IN ('lead', 'partner')))")
            .bind(scope.collaboration_id)
            .bind(commonground_domain::approval::is_party(role))
            .bind(scope.collaboration_id)
            .bind(organisation_id),
        )
        .await?;
        let n = self
            .exec(
                q("UPDATE participants SET role = ? WHERE collaboration_id = ? AND organisation_id = ?")
                    .bind(role.code())
                    .bind(scope.collaboration_id)
                    .bind(organisation_id),
            )
            .await?;
        self.touch_collaboration(scope, now).await?;
        Ok(n == 1)
    }

    pub async fn remove_participant(
        &mut self,
        scope: &CollabScope,
        organisation_id: i64,
        now: i64,
    ) -> Result<bool, StoreError> {
        self.exec(
            q("UPDATE collaborations SET parties_epoch = parties_epoch + 1 WHERE id = ? AND EXISTS \
               (SELECT 1 FROM participants WHERE collaboration_id = ? AND organisation_id = ? \
                AND role IN ('lead', 'partner'))")
            .bind(scope.collaboration_id)
            .bind(scope.collaboration_id)
            .bind(organisation_id),
        )
        .await?;
        let n = self
            .exec(
                q("DELETE FROM participants WHERE collaboration_id = ? AND organisation_id = ?")
                    .bind(scope.collaboration_id)
                    .bind(organisation_id),
            )
            .await?;
        self.touch_collaboration(scope, now).await?;
        Ok(n == 1)
    }

    async fn bump_parties_epoch(&mut self, collaboration_id: i64) -> Result<(), StoreError> {
        self.exec(
            q("UPDATE collaborations SET parties_epoch = parties_epoch + 1 WHERE id = ?")
                .bind(collaboration_id),
        )
        .await?;
        Ok(())
    }

    /// The collaboration's parties epoch (see `approval`), and its parties
    /// (lead and partner organisations) with their names, by id.
    pub async fn parties(
        &mut self,
        scope: &CollabScope,
    ) -> Result<(i64, Vec<(i64, String)>), StoreError> {
        let epoch = self
            .int(
                q("SELECT parties_epoch FROM collaborations WHERE id = ?")
                    .bind(scope.collaboration_id),
            )
            .await?;
        let parties: Vec<(i64, String)> = self
            .all(
                q("SELECT o.id, o.name FROM participants p JOIN organisations o ON o.id = p.organisation_id \
                   WHERE p.collaboration_id = ? AND p.role IN ('lead', 'partner') ORDER BY o.id")
                .bind(scope.collaboration_id),
            )
            .await?;
        Ok((epoch, parties))
    }

    async fn touch_collaboration(
        &mut self,
        scope: &CollabScope,
        now: i64,
    ) -> Result<(), StoreError> {
        self.exec(
            q("UPDATE collaborations SET updated_at = ? WHERE id = ?")
                .bind(now)
                .bind(scope.collaboration_id),
        )
        .await?;
        Ok(())
    }
}

fn participant(r: (i64, i64, String, Option<String>, String, i64)) -> (i64, Participant) {
    let (cid, organisation_id, name, org_identifier, role, joined_at) = r;
    (
        cid,
        Participant {
            organisation_id,
            name,
            org_identifier,
            role: ParticipantRole::parse_code(&role).unwrap_or(ParticipantRole::Partner),
            joined_at,
        },
    )
}
