//! The meeting log of a collaboration: meetings with who came, notes, and
//! follow-ups kept as rows of their own (each with an owner organisation
//! and a due date) for the Implement stage to turn into tasks.

use crate::StoreError;
use crate::collaborations::CollabScope;
use crate::db::{Tx, q};
use crate::governance::CollabPerson;
use commonground_domain::meetings::{FollowUpDetails, MeetingDetails};

/// A line of the log.
#[derive(Debug, Clone, serde::Serialize)]
pub struct MeetingSummary {
    pub id: i64,
    pub held_on: String,
    pub body_id: Option<i64>,
    pub body_name: Option<String>,
    pub attendees: i64,
    pub follow_ups: i64,
}
crate::db::from_row!(MeetingSummary {
    id,
    held_on,
    body_id,
    body_name,
    attendees,
    follow_ups
});

#[derive(Debug, Clone, serde::Serialize)]
pub struct Meeting {
    pub id: i64,
    pub collaboration_id: i64,
    pub held_on: String,
    pub body_id: Option<i64>,
    pub body_name: Option<String>,
    pub notes: String,
    /// By organisation name, then name.
    pub attendees: Vec<CollabPerson>,
    /// By due date.
    pub follow_ups: Vec<FollowUp>,
    pub created_at: i64,
    pub updated_at: i64,
}

struct MeetingRow {
    id: i64,
    collaboration_id: i64,
    held_on: String,
    body_id: Option<i64>,
    body_name: Option<String>,
    notes: String,
    created_at: i64,
    updated_at: i64,
}
crate::db::from_row!(MeetingRow {
    id,
    collaboration_id,
    held_on,
    body_id,
    body_name,
    notes,
    created_at,
    updated_at
});

#[derive(Debug, Clone, serde::Serialize)]
pub struct FollowUp {
    pub id: i64,
    pub meeting_id: i64,
    pub text: String,
    pub owner_organisation_id: i64,
    pub owner_name: String,
    pub due_on: String,
    pub created_at: i64,
}
crate::db::from_row!(FollowUp {
    id,
    meeting_id,
    text,
    owner_organisation_id,
    owner_name,
    due_on,
    created_at
});

const MEETING_SELECT: &str = "SELECT m.id, m.collaboration_id, m.held_on, m.body_id, b.name AS body_name, \
    m.notes, m.created_at, m.updated_at FROM meetings m LEFT JOIN governance_bodies b ON b.id = m.body_id";

const FOLLOW_UP_SELECT: &str = "SELECT f.id, f.meeting_id, f.text, f.owner_organisation_id, o.name AS owner_name, \
    f.due_on, f.created_at FROM meeting_follow_ups f JOIN organisations o ON o.id = f.owner_organisation_id";

/// How many meetings a page of the log holds.
pub const MEETINGS_PAGE: i64 = 50;

impl Tx {
    /// A page of the log, latest first (`page` counts from 0).
    pub async fn meetings(
        &mut self,
        scope: &CollabScope,
        page: i64,
    ) -> Result<Vec<MeetingSummary>, StoreError> {
        self.all(
            q("SELECT m.id, m.held_on, m.body_id, b.name AS body_name, \
               (SELECT COUNT(*) FROM meeting_attendees a WHERE a.meeting_id = m.id) AS attendees, \
               (SELECT COUNT(*) FROM meeting_follow_ups f WHERE f.meeting_id = m.id) AS follow_ups \
               FROM meetings m LEFT JOIN governance_bodies b ON b.id = m.body_id \
               WHERE m.collaboration_id = ? ORDER BY m.held_on DESC, m.id DESC LIMIT ? OFFSET ?")
            .bind(scope.collaboration_id())
            .bind(MEETINGS_PAGE)
            .bind(page.max(0) * MEETINGS_PAGE),
        )
        .await
    }

    /// One meeting of this collaboration, whole; None for any other id.
    pub async fn meeting(
        &mut self,
        scope: &CollabScope,
        meeting_id: i64,
    ) -> Result<Option<Meeting>, StoreError> {
        let row: Option<MeetingRow> = self
            .opt(
                q(format!(
                    "{MEETING_SELECT} WHERE m.collaboration_id = ? AND m.id = ?"
                ))
                .bind(scope.collaboration_id())
                .bind(meeting_id),
            )
            .await?;
        let Some(r) = row else { return Ok(None) };
        let attendees: Vec<CollabPerson> = self
            .all(
                q("SELECT u.id AS user_id, u.name, o.id AS organisation_id, o.name AS organisation_name \
                   FROM meeting_attendees a JOIN users u ON u.id = a.user_id \
                   JOIN organisations o ON o.id = a.organisation_id \
                   WHERE a.meeting_id = ? ORDER BY o.name, o.id, u.name, u.id")
                .bind(meeting_id),
            )
            .await?;
        let follow_ups: Vec<FollowUp> = self
            .all(
                q(format!(
                    "{FOLLOW_UP_SELECT} WHERE f.meeting_id = ? ORDER BY f.due_on, f.id"
                ))
                .bind(meeting_id),
            )
            .await?;
        Ok(Some(Meeting {
            id: r.id,
            collaboration_id: r.collaboration_id,
            held_on: r.held_on,
            body_id: r.body_id,
            body_name: r.body_name,
            notes: r.notes,
            attendees,
            follow_ups,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }))
    }

    /// Adds a meeting. `attendees` are (person, organisation), and the
    /// body (if any) is of this collaboration: both checked by the caller.
    pub async fn create_meeting(
        &mut self,
        scope: &CollabScope,
        details: &MeetingDetails,
        attendees: &[(i64, i64)],
        by: i64,
        now: i64,
    ) -> Result<Meeting, StoreError> {
        let (id,): (i64,) = self
            .one(
                q("INSERT INTO meetings (collaboration_id, held_on, body_id, notes, created_by, created_at, updated_at) \
                   VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id")
                .bind(scope.collaboration_id())
                .bind(&details.held_on)
                .bind(details.body_id)
                .bind(&details.notes)
                .bind(by)
                .bind(now)
                .bind(now),
            )
            .await?;
        self.insert_attendees(id, attendees).await?;
        self.meeting(scope, id)
            .await?
            .ok_or_else(|| StoreError::Other("the new meeting was not found".into()))
    }

    async fn insert_attendees(
        &mut self,
        meeting_id: i64,
        attendees: &[(i64, i64)],
    ) -> Result<(), StoreError> {
        for &(user, org) in attendees {
            self.exec(
                q("INSERT INTO meeting_attendees (meeting_id, user_id, organisation_id) VALUES (?, ?, ?)")
                    .bind(meeting_id)
                    .bind(user)
                    .bind(org),
            )
            .await?;
        }
        Ok(())
    }

    /// Changes a meeting's date, body, notes and who came; its follow-ups stay.
    pub async fn update_meeting(
        &mut self,
        scope: &CollabScope,
        meeting_id: i64,
        details: &MeetingDetails,
        attendees: &[(i64, i64)],
        now: i64,
    ) -> Result<Option<Meeting>, StoreError> {
        let n = self
            .exec(
                q(
                    "UPDATE meetings SET held_on = ?, body_id = ?, notes = ?, updated_at = ? \
                   WHERE collaboration_id = ? AND id = ?",
                )
                .bind(&details.held_on)
                .bind(details.body_id)
                .bind(&details.notes)
                .bind(now)
                .bind(scope.collaboration_id())
                .bind(meeting_id),
            )
            .await?;
        if n != 1 {
            return Ok(None);
        }
        self.exec(q("DELETE FROM meeting_attendees WHERE meeting_id = ?").bind(meeting_id))
            .await?;
        self.insert_attendees(meeting_id, attendees).await?;
        self.meeting(scope, meeting_id).await
    }

    /// Removes a meeting with who came and its follow-ups.
    pub async fn delete_meeting(
        &mut self,
        scope: &CollabScope,
        meeting_id: i64,
    ) -> Result<bool, StoreError> {
        let id = scope.collaboration_id();
        self.exec(
            q("DELETE FROM meeting_attendees WHERE meeting_id IN \
               (SELECT id FROM meetings WHERE collaboration_id = ? AND id = ?)")
            .bind(id)
            .bind(meeting_id),
        )
        .await?;
        self.exec(
            q("DELETE FROM meeting_follow_ups WHERE collaboration_id = ? AND meeting_id = ?")
                .bind(id)
                .bind(meeting_id),
        )
        .await?;
        let n = self
            .exec(
                q("DELETE FROM meetings WHERE collaboration_id = ? AND id = ?")
                    .bind(id)
                    .bind(meeting_id),
            )
            .await?;
        Ok(n == 1)
    }

    /// Adds a follow-up to a meeting of this collaboration.
    pub async fn create_follow_up(
        &mut self,
        scope: &CollabScope,
        meeting_id: i64,
        details: &FollowUpDetails,
        by: i64,
        now: i64,
    ) -> Result<FollowUp, StoreError> {
        let (id,): (i64,) = self
            .one(
                q("INSERT INTO meeting_follow_ups (meeting_id, collaboration_id, text, owner_organisation_id, due_on, \
                   created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id")
                .bind(meeting_id)
                .bind(scope.collaboration_id())
                .bind(&details.text)
                .bind(details.owner_organisation_id)
                .bind(&details.due_on)
                .bind(by)
                .bind(now),
            )
            .await?;
        self.one(q(format!("{FOLLOW_UP_SELECT} WHERE f.id = ?")).bind(id))
            .await
    }

    /// Every follow-up of the collaboration, by due date: what the
    /// Implement stage turns into tasks.
    pub async fn follow_ups(&mut self, scope: &CollabScope) -> Result<Vec<FollowUp>, StoreError> {
        self.all(
            q(format!(
                "{FOLLOW_UP_SELECT} WHERE f.collaboration_id = ? ORDER BY f.due_on, f.id"
            ))
            .bind(scope.collaboration_id()),
        )
        .await
    }

    pub async fn delete_follow_up(
        &mut self,
        scope: &CollabScope,
        meeting_id: i64,
        follow_up_id: i64,
    ) -> Result<bool, StoreError> {
        let n = self
            .exec(
                q("DELETE FROM meeting_follow_ups WHERE collaboration_id = ? AND meeting_id = ? AND id = ?")
                    .bind(scope.collaboration_id())
                    .bind(meeting_id)
                    .bind(follow_up_id),
            )
            .await?;
        Ok(n == 1)
    }
}
