//! Recurring tasks: series, read and written through a collaboration the
//! person takes part in, and the tasks they make. Making the next task is
//! also done by the notification job, for every collaboration, so that one
//! step takes a series' id rather than a scope; it makes each task once
//! however many servers try at the same moment.

use crate::StoreError;
use crate::collaborations::CollabScope;
use crate::db::{Tx, q};
use crate::tasks::{Page, Task};
use commonground_domain::recurring::{Repeat, SeriesFields, following, next_to_make};
use commonground_domain::tasks::TaskStatus;

/// A series of recurring tasks.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Series {
    pub id: i64,
    pub collaboration_id: i64,
    pub title: String,
    pub description: String,
    pub workstream_id: Option<i64>,
    /// Empty when in no workstream.
    pub workstream_name: String,
    pub owner_organisation_id: i64,
    pub owner_name: String,
    pub assignee_id: Option<i64>,
    /// Empty when nobody is assigned.
    pub assignee_name: String,
    pub aim_id: Option<i64>,
    /// Empty when it serves no aim.
    pub aim_title: String,
    pub repeats: Repeat,
    /// The date the dates count from: the first task's due date.
    pub first_on: String,
    /// No task is made for a date after this one.
    pub ends_on: Option<String>,
    /// The due date of the newest task made.
    pub last_made_on: String,
    /// The newest task made; None once it has been deleted.
    pub last_task_id: Option<i64>,
    /// The newest task's status; None once it has been deleted.
    pub last_task_status: Option<TaskStatus>,
    /// When the series was ended; None while it runs.
    pub ended_at: Option<i64>,
    /// Who ended it; empty while it runs.
    pub ended_by_name: String,
    /// Tasks it has made that still exist.
    pub tasks_made: i64,
    pub version: i64,
    pub updated_by_name: String,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Series {
    /// Whether the newest task is done or cancelled (or deleted).
    pub fn newest_finished(&self) -> bool {
        self.last_task_status.is_none_or(|s| !s.is_open())
    }

    /// The date of the next task, when one is due to be made on `today`.
    pub fn next_to_make(&self, today: &str) -> Option<String> {
        next_to_make(
            self.repeats,
            &self.first_on,
            self.ends_on.as_deref(),
            self.ended_at.is_some(),
            &self.last_made_on,
            self.newest_finished(),
            today,
        )
    }
}

/// How a change went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeriesChange {
    Saved,
    /// Changed by someone else since the version it was based on, or
    /// already ended: nothing was saved.
    Stale,
}

/// A task a series has made.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MadeTask {
    pub task_id: i64,
    pub collaboration_id: i64,
    pub series_id: i64,
    pub title: String,
    pub due_on: String,
}

struct Row {
    id: i64,
    collaboration_id: i64,
    title: String,
    description: String,
    workstream_id: Option<i64>,
    workstream_name: Option<String>,
    owner_organisation_id: i64,
    owner_name: Option<String>,
    assignee_id: Option<i64>,
    assignee_name: Option<String>,
    aim_id: Option<i64>,
    aim_title: Option<String>,
    repeats: String,
    first_on: String,
    ends_on: Option<String>,
    last_made_on: String,
    last_task_id: Option<i64>,
    last_task_status: Option<String>,
    ended_at: Option<i64>,
    ended_by_name: String,
    tasks_made: i64,
    version: i64,
    updated_by_name: String,
    created_at: i64,
    updated_at: i64,
}
crate::db::from_row!(Row {
    id,
    collaboration_id,
    title,
    description,
    workstream_id,
    workstream_name,
    owner_organisation_id,
    owner_name,
    assignee_id,
    assignee_name,
    aim_id,
    aim_title,
    repeats,
    first_on,
    ends_on,
    last_made_on,
    last_task_id,
    last_task_status,
    ended_at,
    ended_by_name,
    tasks_made,
    version,
    updated_by_name,
    created_at,
    updated_at
});

fn series(r: Row) -> Series {
    Series {
        id: r.id,
        collaboration_id: r.collaboration_id,
        title: r.title,
        description: r.description,
        workstream_id: r.workstream_id,
        workstream_name: r.workstream_name.unwrap_or_default(),
        owner_organisation_id: r.owner_organisation_id,
        owner_name: r.owner_name.unwrap_or_default(),
        assignee_id: r.assignee_id,
        assignee_name: r.assignee_name.unwrap_or_default(),
        aim_id: r.aim_id,
        aim_title: r.aim_title.unwrap_or_default(),
        repeats: Repeat::parse_code(&r.repeats).unwrap_or(Repeat::Weekly),
        first_on: r.first_on,
        ends_on: r.ends_on,
        last_made_on: r.last_made_on,
        last_task_id: r.last_task_id,
        last_task_status: r
            .last_task_status
            .as_deref()
            .and_then(TaskStatus::parse_code),
        ended_at: r.ended_at,
        ended_by_name: r.ended_by_name,
        tasks_made: r.tasks_made,
        version: r.version,
        updated_by_name: r.updated_by_name,
        created_at: r.created_at,
        updated_at: r.updated_at,
    }
}

/// The newest task's status and the count of tasks made come from the
/// tasks' primary key and their (series_id, due_on) index.
const COLUMNS: &str = "s.id, s.collaboration_id, s.title, s.description, s.workstream_id, \
    w.name AS workstream_name, s.owner_organisation_id, o.name AS owner_name, s.assignee_id, \
    u.name AS assignee_name, s.aim_id, a.title AS aim_title, s.repeats, s.first_on, s.ends_on, \
    s.last_made_on, s.last_task_id, \
    (SELECT t.status FROM tasks t WHERE t.id = s.last_task_id) AS last_task_status, \
    s.ended_at, s.ended_by_name, \
    (SELECT COUNT(*) FROM tasks t WHERE t.series_id = s.id) AS tasks_made, \
    s.version, s.updated_by_name, s.created_at, s.updated_at";
const JOINS: &str = "FROM task_series s LEFT JOIN workstreams w ON w.id = s.workstream_id \
    LEFT JOIN organisations o ON o.id = s.owner_organisation_id \
    LEFT JOIN users u ON u.id = s.assignee_id LEFT JOIN aims a ON a.id = s.aim_id";

impl Tx {
    /// The collaboration a series belongs to, to prove access through it.
    pub async fn series_collaboration_id(
        &mut self,
        series_id: i64,
    ) -> Result<Option<i64>, StoreError> {
        self.opt::<(i64,)>(
            q("SELECT collaboration_id FROM task_series WHERE id = ?").bind(series_id),
        )
        .await
        .map(|r| r.map(|(c,)| c))
    }

    pub async fn series(
        &mut self,
        scope: &CollabScope,
        id: i64,
    ) -> Result<Option<Series>, StoreError> {
        let row: Option<Row> = self
            .opt(
                q(format!(
                    "SELECT {COLUMNS} {JOINS} WHERE s.collaboration_id = ? AND s.id = ?"
                ))
                .bind(scope.collaboration_id())
                .bind(id),
            )
            .await?;
        Ok(row.map(series))
    }

    /// One page of the collaboration's series, running ones first, newest
    /// first; and how many there are in all.
    pub async fn series_list(
        &mut self,
        scope: &CollabScope,
        page: Page,
    ) -> Result<(i64, Vec<Series>), StoreError> {
        let total = self
            .int(
                q("SELECT COUNT(*) FROM task_series WHERE collaboration_id = ?")
                    .bind(scope.collaboration_id()),
            )
            .await?;
        let rows: Vec<Row> = self
            .all(
                q(format!(
                    "SELECT {COLUMNS} {JOINS} WHERE s.collaboration_id = ? \
                     ORDER BY CASE WHEN s.ended_at IS NULL THEN 0 ELSE 1 END, s.id DESC LIMIT ? OFFSET ?"
                ))
                .bind(scope.collaboration_id())
                .bind(page.size)
                .bind((page.number.max(1) - 1) * page.size),
            )
            .await?;
        Ok((total, rows.into_iter().map(series).collect()))
    }

    /// Adds a series and makes its first task, due on the first date.
    /// Returns the series and the task.
    pub async fn create_series(
        &mut self,
        scope: &CollabScope,
        f: &SeriesFields,
        by_name: &str,
        at: i64,
    ) -> Result<(i64, i64), StoreError> {
        let sid = self
            .int(
                q("INSERT INTO task_series (collaboration_id, workstream_id, title, description, \
                   owner_organisation_id, assignee_id, aim_id, repeats, first_on, ends_on, last_made_on, \
                   last_task_id, next_on, ended_at, ended_by_name, version, updated_by_name, created_at, updated_at) \
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, NULL, '', 1, ?, ?, ?) RETURNING id")
                .bind(scope.collaboration_id())
                .bind(f.workstream_id)
                .bind(f.title.as_str())
                .bind(f.description.as_str())
                .bind(f.owner_organisation_id)
                .bind(f.assignee_id)
                .bind(f.aim_id)
                .bind(f.repeats.code())
                .bind(f.first_on.as_str())
                .bind(f.ends_on.clone())
                .bind(f.first_on.as_str())
                .bind(following(
                    f.repeats,
                    &f.first_on,
                    f.ends_on.as_deref(),
                    &f.first_on,
                ))
                .bind(by_name)
                .bind(at)
                .bind(at),
            )
            .await?;
        let tid = self
            .insert_series_task(sid, &f.first_on, by_name, at)
            .await?;
        Ok((sid, tid))
    }

    /// Applies a change based on the series' version and its newest date
    /// as read (`last_made_on`); a series that has ended cannot change. The
    /// tasks already made are not touched.
    #[allow(clippy::too_many_arguments)]
    pub async fn update_series(
        &mut self,
        scope: &CollabScope,
        id: i64,
        f: &SeriesFields,
        based_on: i64,
        last_made_on: &str,
        by_name: &str,
        at: i64,
    ) -> Result<SeriesChange, StoreError> {
        let n = self
            .exec(
                q("UPDATE task_series SET workstream_id = ?, title = ?, description = ?, \
                   owner_organisation_id = ?, assignee_id = ?, aim_id = ?, repeats = ?, first_on = ?, \
                   ends_on = ?, next_on = ?, version = version + 1, updated_by_name = ?, updated_at = ? \
                   WHERE collaboration_id = ? AND id = ? AND version = ? AND last_made_on = ? \
                   AND ended_at IS NULL")
                .bind(f.workstream_id)
                .bind(f.title.as_str())
                .bind(f.description.as_str())
                .bind(f.owner_organisation_id)
                .bind(f.assignee_id)
                .bind(f.aim_id)
                .bind(f.repeats.code())
                .bind(f.first_on.as_str())
                .bind(f.ends_on.clone())
                .bind(following(
                    f.repeats,
                    &f.first_on,
                    f.ends_on.as_deref(),
                    last_made_on,
                ))
                .bind(by_name)
                .bind(at)
                .bind(scope.collaboration_id())
                .bind(id)
                .bind(based_on)
                .bind(last_made_on),
            )
            .await?;
        Ok(if n == 1 {
            SeriesChange::Saved
        } else {
            SeriesChange::Stale
        })
    }

    /// Ends a running series, based on its version: it makes no more
    /// tasks. The tasks already made are not touched.
    pub async fn end_series(
        &mut self,
        scope: &CollabScope,
        id: i64,
        based_on: i64,
        by_name: &str,
        at: i64,
    ) -> Result<SeriesChange, StoreError> {
        let n = self
            .exec(
                q("UPDATE task_series SET ended_at = ?, ended_by_name = ?, version = version + 1, \
                   updated_by_name = ?, updated_at = ? \
                   WHERE collaboration_id = ? AND id = ? AND version = ? AND ended_at IS NULL")
                .bind(at)
                .bind(by_name)
                .bind(by_name)
                .bind(at)
                .bind(scope.collaboration_id())
                .bind(id)
                .bind(based_on),
            )
            .await?;
        Ok(if n == 1 {
            SeriesChange::Saved
        } else {
            SeriesChange::Stale
        })
    }

    /// The newest tasks a series has made, newest date first.
    pub async fn series_tasks(
        &mut self,
        scope: &CollabScope,
        id: i64,
        limit: i64,
    ) -> Result<Vec<Task>, StoreError> {
        use crate::tasks::{COLUMNS, JOINS};
        let rows: Vec<crate::tasks::Row> = self
            .all(
                q(format!(
                    "SELECT {COLUMNS} {JOINS} WHERE t.collaboration_id = ? AND t.series_id = ? \
                     ORDER BY t.due_on DESC, t.id DESC LIMIT ?"
                ))
                .bind(scope.collaboration_id())
                .bind(id)
                .bind(limit),
            )
            .await?;
        Ok(rows.into_iter().map(crate::tasks::task).collect())
    }

    /// Running series whose newest task's date has come by `today`, for
    /// the job: (series, collaboration), oldest date first.
    pub async fn series_due(
        &mut self,
        today: &str,
        limit: i64,
    ) -> Result<Vec<(i64, i64)>, StoreError> {
        self.all::<(i64, i64)>(
            q("SELECT id, collaboration_id FROM task_series \
               WHERE ended_at IS NULL AND next_on IS NOT NULL AND last_made_on <= ? \
               ORDER BY last_made_on, id LIMIT ?")
            .bind(today)
            .bind(limit),
        )
        .await
    }

    /// Makes the series' next task if one is due on `today` (see
    /// [`Series::next_to_make`]). The series' newest date moves only where
    /// it still holds the date read, so when two servers try at once one
    /// makes the task and the other makes none.
    pub async fn make_next_in_series(
        &mut self,
        series_id: i64,
        today: &str,
        by_name: &str,
        at: i64,
    ) -> Result<Option<MadeTask>, StoreError> {
        let row: Option<Row> = self
            .opt(q(format!("SELECT {COLUMNS} {JOINS} WHERE s.id = ?")).bind(series_id))
            .await?;
        let Some(s) = row.map(series) else {
            return Ok(None);
        };
        let Some(next) = s.next_to_make(today) else {
            if s.ended_at.is_none()
                && following(
                    s.repeats,
                    &s.first_on,
                    s.ends_on.as_deref(),
                    &s.last_made_on,
                )
                .is_none()
            {
                // No more dates: the job need not look at it again.
                self.exec(
                    q("UPDATE task_series SET next_on = NULL WHERE id = ? AND last_made_on = ?")
                        .bind(series_id)
                        .bind(s.last_made_on.as_str()),
                )
                .await?;
            }
            return Ok(None);
        };
        let claimed = self
            .exec(
                q("UPDATE task_series SET last_made_on = ?, next_on = ? \
                   WHERE id = ? AND last_made_on = ? AND ended_at IS NULL")
                .bind(next.as_str())
                .bind(following(
                    s.repeats,
                    &s.first_on,
                    s.ends_on.as_deref(),
                    &next,
                ))
                .bind(series_id)
                .bind(s.last_made_on.as_str()),
            )
            .await?;
        if claimed != 1 {
            return Ok(None);
        }
        let tid = self
            .insert_series_task(series_id, &next, by_name, at)
            .await?;
        Ok(Some(MadeTask {
            task_id: tid,
            collaboration_id: s.collaboration_id,
            series_id,
            title: s.title,
            due_on: next,
        }))
    }

    /// A task from the series as it is now, due on `due_on`, and noted as
    /// its newest.
    async fn insert_series_task(
        &mut self,
        series_id: i64,
        due_on: &str,
        by_name: &str,
        at: i64,
    ) -> Result<i64, StoreError> {
        let tid = self
            .int(
                q("INSERT INTO tasks (collaboration_id, workstream_id, title, description, owner_organisation_id, \
                   assignee_id, start_on, due_on, status, milestone, aim_id, done_reason, version, updated_by_name, \
                   created_at, updated_at, series_id) \
                   SELECT collaboration_id, workstream_id, title, description, owner_organisation_id, \
                   assignee_id, NULL, ?, 'not_started', FALSE, aim_id, '', 1, ?, ?, ?, id \
                   FROM task_series WHERE id = ? RETURNING id")
                .bind(due_on)
                .bind(by_name)
                .bind(at)
                .bind(at)
                .bind(series_id),
            )
            .await?;
        self.exec(
            q("UPDATE task_series SET last_task_id = ? WHERE id = ?")
                .bind(tid)
                .bind(series_id),
        )
        .await?;
        Ok(tid)
    }
}
