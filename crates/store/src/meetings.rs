//! Meetings of a collaboration: the meeting itself, its agenda and
//! decisions (kept in order), who came, and the actions agreed, each a
//! task of the action plan.

use crate::StoreError;
use crate::collaborations::CollabScope;
use crate::db::{Tx, q};
use commonground_domain::meetings::{Attendance, MeetingDetails};
use commonground_domain::tasks::TaskStatus;

/// A line of the meeting list.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MeetingSummary {
    pub id: i64,
    pub title: String,
    pub held_on: String,
    pub starts_at: String,
    pub duration_minutes: i64,
    pub place: String,
    pub body_name: Option<String>,
    /// People and guests recorded as present.
    pub present: i64,
    pub actions: i64,
    pub has_minutes: bool,
}
crate::db::from_row!(MeetingSummary {
    id,
    title,
    held_on,
    starts_at,
    duration_minutes,
    place,
    body_name,
    present,
    actions,
    has_minutes
});

/// Someone recorded at a meeting: a person for an organisation taking
/// part, or a guest (no person, no organisation).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AttendanceLine {
    pub user_id: Option<i64>,
    pub name: String,
    pub organisation_id: Option<i64>,
    pub organisation_name: Option<String>,
    pub status: Attendance,
}

struct AttendanceRow {
    user_id: Option<i64>,
    name: String,
    organisation_id: Option<i64>,
    organisation_name: Option<String>,
    status: String,
}
crate::db::from_row!(AttendanceRow {
    user_id,
    name,
    organisation_id,
    organisation_name,
    status
});

/// An action agreed at the meeting: the task it became, as it is now.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MeetingAction {
    pub task_id: i64,
    pub title: String,
    pub status: TaskStatus,
    pub owner_organisation_id: i64,
    pub owner_name: String,
    /// Empty when nobody is assigned.
    pub assignee_name: String,
    pub due_on: Option<String>,
}

struct ActionRow {
    task_id: i64,
    title: String,
    status: String,
    owner_organisation_id: i64,
    owner_name: String,
    assignee_name: String,
    due_on: Option<String>,
}
crate::db::from_row!(ActionRow {
    task_id,
    title,
    status,
    owner_organisation_id,
    owner_name,
    assignee_name,
    due_on
});

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Meeting {
    pub id: i64,
    pub collaboration_id: i64,
    pub body_id: Option<i64>,
    pub body_name: Option<String>,
    pub title: String,
    pub held_on: String,
    pub starts_at: String,
    pub duration_minutes: i64,
    pub place: String,
    /// Markdown.
    pub minutes: String,
    pub agenda: Vec<String>,
    pub decisions: Vec<String>,
    /// People by organisation name then name, then guests.
    pub attendance: Vec<AttendanceLine>,
    /// Oldest first.
    pub actions: Vec<MeetingAction>,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

struct MeetingRow {
    id: i64,
    collaboration_id: i64,
    body_id: Option<i64>,
    body_name: Option<String>,
    title: String,
    held_on: String,
    starts_at: String,
    duration_minutes: i64,
    place: String,
    minutes: String,
    version: i64,
    created_at: i64,
    updated_at: i64,
}
crate::db::from_row!(MeetingRow {
    id,
    collaboration_id,
    body_id,
    body_name,
    title,
    held_on,
    starts_at,
    duration_minutes,
    place,
    minutes,
    version,
    created_at,
    updated_at
});

/// Who was recorded, as the caller has checked it: a person for an
/// organisation taking part, or a guest's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attendee {
    Person {
        user_id: i64,
        organisation_id: i64,
        status: Attendance,
    },
    Guest {
        name: String,
    },
}

/// What became of a change.
#[derive(Debug, Clone)]
pub enum MeetingChange {
    Saved(Box<Meeting>),
    Missing,
    /// Someone else changed it since; here it is now.
    Stale(Box<Meeting>),
}

/// Meetings on one page of the list.
pub const MEETINGS_PAGE: i64 = 25;

const AGENDA: &str = "agenda";
const DECISION: &str = "decision";

impl Tx {
    /// The collaboration a meeting belongs to, for finding it by id alone.
    pub async fn meeting_collaboration_id(
        &mut self,
        meeting_id: i64,
    ) -> Result<Option<i64>, StoreError> {
        let row: Option<(i64,)> = self
            .opt(q("SELECT collaboration_id FROM meetings WHERE id = ?").bind(meeting_id))
            .await?;
        Ok(row.map(|r| r.0))
    }

    pub async fn count_meetings(&mut self, scope: &CollabScope) -> Result<i64, StoreError> {
        self.int(
            q("SELECT COUNT(*) FROM meetings WHERE collaboration_id = ?")
                .bind(scope.collaboration_id()),
        )
        .await
    }

    /// A page of the list (`page` counts from 0): meetings from `today` on
    /// first, soonest first; then past meetings, newest first.
    pub async fn meetings(
        &mut self,
        scope: &CollabScope,
        today: &str,
        page: i64,
    ) -> Result<Vec<MeetingSummary>, StoreError> {
        self.all(
            q("SELECT m.id, m.title, m.held_on, m.starts_at, m.duration_minutes, m.place, b.name AS body_name, \
               (SELECT COUNT(*) FROM meeting_attendance a WHERE a.meeting_id = m.id AND a.status = 'present') AS present, \
               (SELECT COUNT(*) FROM meeting_actions x WHERE x.meeting_id = m.id) AS actions, \
               m.minutes <> '' AS has_minutes \
               FROM meetings m LEFT JOIN governance_bodies b ON b.id = m.body_id \
               WHERE m.collaboration_id = ? \
               ORDER BY CASE WHEN m.held_on >= ? THEN 0 ELSE 1 END, \
               CASE WHEN m.held_on >= ? THEN m.held_on || ' ' || m.starts_at ELSE '' END, \
               m.held_on DESC, m.starts_at DESC, m.id DESC LIMIT ? OFFSET ?")
            .bind(scope.collaboration_id())
            .bind(today)
            .bind(today)
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
                q("SELECT m.id, m.collaboration_id, m.body_id, b.name AS body_name, m.title, m.held_on, \
                   m.starts_at, m.duration_minutes, m.place, m.minutes, m.version, m.created_at, m.updated_at \
                   FROM meetings m LEFT JOIN governance_bodies b ON b.id = m.body_id \
                   WHERE m.collaboration_id = ? AND m.id = ?")
                .bind(scope.collaboration_id())
                .bind(meeting_id),
            )
            .await?;
        let Some(r) = row else { return Ok(None) };
        let items: Vec<(String, String)> = self
            .all(
                q("SELECT kind, text FROM meeting_items WHERE meeting_id = ? ORDER BY kind, position")
                    .bind(meeting_id),
            )
            .await?;
        let (mut agenda, mut decisions) = (Vec::new(), Vec::new());
        for (kind, text) in items {
            if kind == AGENDA {
                agenda.push(text);
            } else {
                decisions.push(text);
            }
        }
        let attendance: Vec<AttendanceRow> = self
            .all(
                q("SELECT a.user_id, COALESCE(u.name, a.guest_name) AS name, a.organisation_id, \
                   o.name AS organisation_name, a.status FROM meeting_attendance a \
                   LEFT JOIN users u ON u.id = a.user_id LEFT JOIN organisations o ON o.id = a.organisation_id \
                   WHERE a.meeting_id = ? \
                   ORDER BY CASE WHEN a.user_id IS NULL THEN 1 ELSE 0 END, o.name, o.id, name, a.id")
                .bind(meeting_id),
            )
            .await?;
        let actions: Vec<ActionRow> = self
            .all(
                q("SELECT t.id AS task_id, t.title, t.status, t.owner_organisation_id, o.name AS owner_name, \
                   COALESCE(u.name, '') AS assignee_name, t.due_on FROM meeting_actions x \
                   JOIN tasks t ON t.id = x.task_id JOIN organisations o ON o.id = t.owner_organisation_id \
                   LEFT JOIN users u ON u.id = t.assignee_id WHERE x.meeting_id = ? ORDER BY t.id")
                .bind(meeting_id),
            )
            .await?;
        Ok(Some(Meeting {
            id: r.id,
            collaboration_id: r.collaboration_id,
            body_id: r.body_id,
            body_name: r.body_name,
            title: r.title,
            held_on: r.held_on,
            starts_at: r.starts_at,
            duration_minutes: r.duration_minutes,
            place: r.place,
            minutes: r.minutes,
            agenda,
            decisions,
            attendance: attendance
                .into_iter()
                .map(|a| AttendanceLine {
                    user_id: a.user_id,
                    name: a.name,
                    organisation_id: a.organisation_id,
                    organisation_name: a.organisation_name,
                    status: Attendance::parse_code(&a.status).unwrap_or(Attendance::Present),
                })
                .collect(),
            actions: actions
                .into_iter()
                .map(|a| MeetingAction {
                    task_id: a.task_id,
                    title: a.title,
                    status: TaskStatus::parse_code(&a.status).unwrap_or(TaskStatus::NotStarted),
                    owner_organisation_id: a.owner_organisation_id,
                    owner_name: a.owner_name,
                    assignee_name: a.assignee_name,
                    due_on: a.due_on,
                })
                .collect(),
            version: r.version,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }))
    }

    async fn write_items(
        &mut self,
        meeting_id: i64,
        details: &MeetingDetails,
    ) -> Result<(), StoreError> {
        self.exec(q("DELETE FROM meeting_items WHERE meeting_id = ?").bind(meeting_id))
            .await?;
        for (kind, list) in [(AGENDA, &details.agenda), (DECISION, &details.decisions)] {
            for (i, text) in list.iter().enumerate() {
                self.exec(
                    q("INSERT INTO meeting_items (meeting_id, kind, position, text) VALUES (?, ?, ?, ?)")
                        .bind(meeting_id)
                        .bind(kind)
                        .bind(i as i64)
                        .bind(text),
                )
                .await?;
            }
        }
        Ok(())
    }

    /// Adds a meeting; its body (if any) was checked by the caller.
    pub async fn create_meeting(
        &mut self,
        scope: &CollabScope,
        details: &MeetingDetails,
        by: i64,
        now: i64,
    ) -> Result<Meeting, StoreError> {
        let (id,): (i64,) = self
            .one(
                q("INSERT INTO meetings (collaboration_id, body_id, title, held_on, starts_at, duration_minutes, \
                   place, minutes, version, created_by, created_at, updated_at) \
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?) RETURNING id")
                .bind(scope.collaboration_id())
                .bind(details.body_id)
                .bind(&details.title)
                .bind(&details.held_on)
                .bind(&details.starts_at)
                .bind(details.duration_minutes)
                .bind(&details.place)
                .bind(&details.minutes)
                .bind(by)
                .bind(now)
                .bind(now),
            )
            .await?;
        self.write_items(id, details).await?;
        self.meeting(scope, id)
            .await?
            .ok_or_else(|| StoreError::Other("the new meeting was not found".into()))
    }

    /// Moves the version on if it is still `version`; then the change is
    /// the caller's to make. Missing or Stale otherwise.
    async fn claim_meeting(
        &mut self,
        scope: &CollabScope,
        meeting_id: i64,
        version: i64,
        now: i64,
    ) -> Result<Option<MeetingChange>, StoreError> {
        let n = self
            .exec(
                q("UPDATE meetings SET version = version + 1, updated_at = ? \
                   WHERE collaboration_id = ? AND id = ? AND version = ?")
                .bind(now)
                .bind(scope.collaboration_id())
                .bind(meeting_id)
                .bind(version),
            )
            .await?;
        if n == 1 {
            return Ok(None);
        }
        Ok(Some(match self.meeting(scope, meeting_id).await? {
            Some(m) => MeetingChange::Stale(Box::new(m)),
            None => MeetingChange::Missing,
        }))
    }

    async fn saved(
        &mut self,
        scope: &CollabScope,
        meeting_id: i64,
    ) -> Result<MeetingChange, StoreError> {
        Ok(match self.meeting(scope, meeting_id).await? {
            Some(m) => MeetingChange::Saved(Box::new(m)),
            None => MeetingChange::Missing,
        })
    }

    /// Changes the meeting, its agenda, minutes and decisions if it is
    /// still at `version`. Attendance and actions stay.
    pub async fn update_meeting(
        &mut self,
        scope: &CollabScope,
        meeting_id: i64,
        version: i64,
        details: &MeetingDetails,
        now: i64,
    ) -> Result<MeetingChange, StoreError> {
        if let Some(refused) = self.claim_meeting(scope, meeting_id, version, now).await? {
            return Ok(refused);
        }
        self.exec(
            q("UPDATE meetings SET body_id = ?, title = ?, held_on = ?, starts_at = ?, duration_minutes = ?, \
               place = ?, minutes = ? WHERE collaboration_id = ? AND id = ?")
            .bind(details.body_id)
            .bind(&details.title)
            .bind(&details.held_on)
            .bind(&details.starts_at)
            .bind(details.duration_minutes)
            .bind(&details.place)
            .bind(&details.minutes)
            .bind(scope.collaboration_id())
            .bind(meeting_id),
        )
        .await?;
        self.write_items(meeting_id, details).await?;
        self.saved(scope, meeting_id).await
    }

    /// Replaces who was recorded at the meeting if it is still at `version`.
    pub async fn set_attendance(
        &mut self,
        scope: &CollabScope,
        meeting_id: i64,
        version: i64,
        attendees: &[Attendee],
        now: i64,
    ) -> Result<MeetingChange, StoreError> {
        if let Some(refused) = self.claim_meeting(scope, meeting_id, version, now).await? {
            return Ok(refused);
        }
        self.exec(q("DELETE FROM meeting_attendance WHERE meeting_id = ?").bind(meeting_id))
            .await?;
        for a in attendees {
            let (user, org, guest, status) = match a {
                Attendee::Person {
                    user_id,
                    organisation_id,
                    status,
                } => (
                    Some(*user_id),
                    Some(*organisation_id),
                    String::new(),
                    *status,
                ),
                Attendee::Guest { name } => (None, None, name.clone(), Attendance::Present),
            };
            self.exec(
                q("INSERT INTO meeting_attendance (meeting_id, user_id, organisation_id, guest_name, status) \
                   VALUES (?, ?, ?, ?, ?)")
                .bind(meeting_id)
                .bind(user)
                .bind(org)
                .bind(guest)
                .bind(status.code()),
            )
            .await?;
        }
        self.saved(scope, meeting_id).await
    }

    /// Links a task of this collaboration to a meeting of it as one of
    /// its actions (both checked by the caller).
    pub async fn add_meeting_action(
        &mut self,
        meeting_id: i64,
        task_id: i64,
    ) -> Result<(), StoreError> {
        self.exec(
            q("INSERT INTO meeting_actions (meeting_id, task_id) VALUES (?, ?)")
                .bind(meeting_id)
                .bind(task_id),
        )
        .await?;
        Ok(())
    }

    /// Removes a meeting with its agenda, attendance and links to its
    /// actions; the tasks stay in the action plan.
    pub async fn delete_meeting(
        &mut self,
        scope: &CollabScope,
        meeting_id: i64,
    ) -> Result<bool, StoreError> {
        let n = self
            .exec(
                q("DELETE FROM meetings WHERE collaboration_id = ? AND id = ?")
                    .bind(scope.collaboration_id())
                    .bind(meeting_id),
            )
            .await?;
        Ok(n == 1)
    }
}
