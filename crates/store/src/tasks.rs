//! The action plan: workstreams, tasks and dependencies, read and written
//! only through a collaboration the person takes part in.

use crate::StoreError;
use crate::collaborations::CollabScope;
use crate::db::{Tx, Val, q};
use commonground_domain::tasks::{ImplementFacts, TaskFields, TaskStatus, WorkstreamFields};

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Workstream {
    pub id: i64,
    pub name: String,
    pub description: String,
    /// Tasks in the workstream, of any status.
    pub tasks: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Task {
    pub id: i64,
    pub collaboration_id: i64,
    pub title: String,
    pub description: String,
    pub workstream_id: Option<i64>,
    /// Empty when the task is in no workstream.
    pub workstream_name: String,
    pub owner_organisation_id: i64,
    pub owner_name: String,
    pub assignee_id: Option<i64>,
    /// Empty when nobody is assigned.
    pub assignee_name: String,
    pub start_on: Option<String>,
    pub due_on: Option<String>,
    pub status: TaskStatus,
    pub milestone: bool,
    /// The collaboration's aim this task serves.
    pub aim_id: Option<i64>,
    /// Empty when it serves no aim.
    pub aim_title: String,
    /// Why it was marked done while something it depends on was open.
    pub done_reason: String,
    /// The series of recurring tasks that made it, if any.
    pub series_id: Option<i64>,
    pub version: i64,
    pub updated_by_name: String,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A task as another one refers to it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TaskRef {
    pub id: i64,
    pub title: String,
    pub status: TaskStatus,
}

/// A task on "my tasks", with its collaboration.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MyTask {
    pub task: Task,
    pub collaboration_title: String,
}

/// The revision of everything a person's "my tasks" shows: see
/// [`Tx::my_tasks_revision`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MyRevision {
    pub organisations: Vec<(i64, i64)>,
    pub collaborations: Vec<(i64, i64)>,
    pub name: String,
}

/// Which tasks a list shows. Every field narrows it; none shows all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TaskFilter {
    pub status: Option<TaskStatus>,
    /// Some(true): only done and cancelled (the archive); Some(false):
    /// only open ones.
    pub finished: Option<bool>,
    pub owner_organisation_id: Option<i64>,
    pub assignee_id: Option<i64>,
    pub workstream_id: Option<i64>,
    /// Due on or before this date.
    pub due_before: Option<String>,
    /// Due on or after this date.
    pub due_after: Option<String>,
    /// Open and due before today.
    pub overdue: bool,
}

/// One page of a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    /// From 1.
    pub number: i64,
    pub size: i64,
}

impl Page {
    fn offset(self) -> i64 {
        (self.number.max(1) - 1) * self.size
    }
}

/// How many tasks each organisation taking part owns.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PartnerLoad {
    pub organisation_id: i64,
    pub name: String,
    pub open: i64,
    pub overdue: i64,
    pub finished: i64,
}

pub(crate) struct Row {
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
    start_on: Option<String>,
    due_on: Option<String>,
    status: String,
    milestone: bool,
    aim_id: Option<i64>,
    aim_title: Option<String>,
    done_reason: String,
    series_id: Option<i64>,
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
    start_on,
    due_on,
    status,
    milestone,
    aim_id,
    aim_title,
    done_reason,
    series_id,
    version,
    updated_by_name,
    created_at,
    updated_at
});

pub(crate) const COLUMNS: &str = "t.id, t.collaboration_id, t.title, t.description, t.workstream_id, \
    w.name AS workstream_name, t.owner_organisation_id, o.name AS owner_name, t.assignee_id, \
    u.name AS assignee_name, t.start_on, t.due_on, t.status, t.milestone, t.aim_id, \
    a.title AS aim_title, t.done_reason, t.series_id, \
    t.version, t.updated_by_name, t.created_at, t.updated_at";
pub(crate) const JOINS: &str = "FROM tasks t LEFT JOIN workstreams w ON w.id = t.workstream_id \
    LEFT JOIN organisations o ON o.id = t.owner_organisation_id \
    LEFT JOIN users u ON u.id = t.assignee_id LEFT JOIN aims a ON a.id = t.aim_id";
/// Dated tasks first, soonest first; undated ones after, oldest first.
pub(crate) const ORDER: &str =
    "ORDER BY CASE WHEN t.due_on IS NULL THEN 1 ELSE 0 END, t.due_on, t.id";
pub(crate) const OPEN: &str = "t.status NOT IN ('done', 'cancelled')";

/// The person's open tasks as a subquery `(…) x` of (id, due_on), with
/// its binds: assigned to them, or assigned to nobody and owned by their
/// acting organisation (any of theirs when none is chosen), in every
/// collaboration one of their organisations takes part in.
///
/// Two branches that cannot overlap, each led by its own index
/// (tasks_assignee, and the partial tasks_owner_unassigned). The
/// collaborations are one list, read once; its `+` keeps SQLite from
/// leading with that list instead, which walked every unassigned task of
/// the register (30 ms at 200,000 organisations instead of 1).
pub(crate) fn my_matches(user_id: i64, acting_organisation_id: Option<i64>) -> (String, Vec<i64>) {
    const MINE: &str = "+t.collaboration_id IN (SELECT p.collaboration_id FROM participants p \
         JOIN memberships m ON m.organisation_id = p.organisation_id WHERE m.user_id = ?)";
    let (owned, owner_val) = match acting_organisation_id {
        Some(o) => (
            format!(
                "SELECT t.id, t.due_on FROM tasks t WHERE t.owner_organisation_id = ? \
                 AND t.assignee_id IS NULL AND {OPEN} AND {MINE}"
            ),
            o,
        ),
        None => (
            format!(
                "SELECT t.id, t.due_on FROM memberships om JOIN tasks t \
                 ON t.owner_organisation_id = om.organisation_id AND t.assignee_id IS NULL \
                 WHERE om.user_id = ? AND {OPEN} AND {MINE}"
            ),
            user_id,
        ),
    };
    (
        format!(
            "(SELECT t.id, t.due_on FROM tasks t WHERE t.assignee_id = ? AND {OPEN} AND {MINE} \
             UNION ALL {owned}) x"
        ),
        vec![user_id, user_id, owner_val, user_id],
    )
}

pub(crate) fn task(r: Row) -> Task {
    Task {
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
        start_on: r.start_on,
        due_on: r.due_on,
        status: TaskStatus::parse_code(&r.status).unwrap_or(TaskStatus::NotStarted),
        milestone: r.milestone,
        aim_id: r.aim_id,
        aim_title: r.aim_title.unwrap_or_default(),
        done_reason: r.done_reason,
        series_id: r.series_id,
        version: r.version,
        updated_by_name: r.updated_by_name,
        created_at: r.created_at,
        updated_at: r.updated_at,
    }
}

pub(crate) fn with_binds(sql: String, vals: Vec<Val>) -> crate::db::Q {
    vals.into_iter().fold(q(sql), |query, v| query.bind(v))
}

impl TaskFilter {
    /// The statement's conditions after the collaboration's, and their values.
    pub(crate) fn conditions(&self, today: &str) -> (String, Vec<Val>) {
        let mut sql = String::new();
        let mut vals: Vec<Val> = Vec::new();
        if let Some(s) = self.status {
            sql.push_str(" AND t.status = ?");
            vals.push(s.code().into());
        }
        match self.finished {
            Some(true) => sql.push_str(" AND t.status IN ('done', 'cancelled')"),
            Some(false) => sql.push_str(&format!(" AND {OPEN}")),
            None => {}
        }
        if let Some(o) = self.owner_organisation_id {
            sql.push_str(" AND t.owner_organisation_id = ?");
            vals.push(o.into());
        }
        if let Some(a) = self.assignee_id {
            sql.push_str(" AND t.assignee_id = ?");
            vals.push(a.into());
        }
        if let Some(w) = self.workstream_id {
            sql.push_str(" AND t.workstream_id = ?");
            vals.push(w.into());
        }
        if let Some(d) = &self.due_before {
            sql.push_str(" AND t.due_on <= ?");
            vals.push(d.clone().into());
        }
        if let Some(d) = &self.due_after {
            sql.push_str(" AND t.due_on >= ?");
            vals.push(d.clone().into());
        }
        if self.overdue {
            sql.push_str(&format!(" AND t.due_on < ? AND {OPEN}"));
            vals.push(today.to_string().into());
        }
        (sql, vals)
    }
}

impl Tx {
    /// The collaboration a task belongs to, to prove access through it.
    pub async fn task_collaboration_id(&mut self, task_id: i64) -> Result<Option<i64>, StoreError> {
        self.opt::<(i64,)>(q("SELECT collaboration_id FROM tasks WHERE id = ?").bind(task_id))
            .await
            .map(|r| r.map(|(c,)| c))
    }

    pub async fn workstreams(
        &mut self,
        scope: &CollabScope,
    ) -> Result<Vec<Workstream>, StoreError> {
        let rows: Vec<(i64, String, String, i64)> = self
            .all(
                // The collaboration in the count lets it use
                // tasks_collab_workstream; by workstream alone it read
                // every task of every collaboration (15 ms at 60,000).
                q("SELECT w.id, w.name, w.description, \
                   (SELECT COUNT(*) FROM tasks t WHERE t.collaboration_id = w.collaboration_id \
                    AND t.workstream_id = w.id) \
                   FROM workstreams w WHERE w.collaboration_id = ? ORDER BY w.id")
                .bind(scope.collaboration_id()),
            )
            .await?;
        Ok(rows
            .into_iter()
            .map(|(id, name, description, tasks)| Workstream {
                id,
                name,
                description,
                tasks,
            })
            .collect())
    }

    pub async fn create_workstream(
        &mut self,
        scope: &CollabScope,
        fields: &WorkstreamFields,
        at: i64,
    ) -> Result<i64, StoreError> {
        self.int(
            q(
                "INSERT INTO workstreams (collaboration_id, name, description, created_at) \
               VALUES (?, ?, ?, ?) RETURNING id",
            )
            .bind(scope.collaboration_id())
            .bind(fields.name.as_str())
            .bind(fields.description.as_str())
            .bind(at),
        )
        .await
    }

    pub async fn task(&mut self, scope: &CollabScope, id: i64) -> Result<Option<Task>, StoreError> {
        let row: Option<Row> = self
            .opt(
                q(format!(
                    "SELECT {COLUMNS} {JOINS} WHERE t.collaboration_id = ? AND t.id = ?"
                ))
                .bind(scope.collaboration_id())
                .bind(id),
            )
            .await?;
        Ok(row.map(task))
    }

    /// One page of the collaboration's tasks and how many match in all.
    pub async fn tasks(
        &mut self,
        scope: &CollabScope,
        filter: &TaskFilter,
        today: &str,
        page: Page,
    ) -> Result<(i64, Vec<Task>), StoreError> {
        let (cond, vals) = filter.conditions(today);
        let mut all = vec![Val::from(scope.collaboration_id())];
        all.extend(vals);
        let total = self
            .int(with_binds(
                format!("SELECT COUNT(*) FROM tasks t WHERE t.collaboration_id = ?{cond}"),
                all.clone(),
            ))
            .await?;
        all.push(page.size.into());
        all.push(page.offset().into());
        // The page's ids first, sorted from the tasks alone (the index
        // holds what the order needs), then the joins for those rows only:
        // sorting every match with its joined names cost a page of 50 the
        // lookups of all 500.
        let rows: Vec<Row> = self
            .all(with_binds(
                format!(
                    "SELECT {COLUMNS} {JOINS} WHERE t.id IN (SELECT t.id FROM tasks t \
                     WHERE t.collaboration_id = ?{cond} {ORDER} LIMIT ? OFFSET ?) {ORDER}"
                ),
                all,
            ))
            .await?;
        Ok((total, rows.into_iter().map(task).collect()))
    }

    /// Open tasks assigned to the person, or owned by their acting
    /// organisation (any of theirs when none is chosen) and assigned to
    /// nobody, in every collaboration one of their organisations takes
    /// part in.
    pub async fn my_tasks(
        &mut self,
        user_id: i64,
        acting_organisation_id: Option<i64>,
        page: Page,
    ) -> Result<(i64, Vec<MyTask>), StoreError> {
        let (matches, binds) = my_matches(user_id, acting_organisation_id);
        let total = self
            .int(q(format!("SELECT COUNT(*) FROM {matches}")).bind_all(binds.clone()))
            .await?;
        // The page's ids first, then the joins for those rows only.
        let rows: Vec<Row> = self
            .all(
                q(format!(
                    "SELECT {COLUMNS} {JOINS} WHERE t.id IN (SELECT x.id FROM {matches} \
                     ORDER BY CASE WHEN x.due_on IS NULL THEN 1 ELSE 0 END, x.due_on, x.id \
                     LIMIT ? OFFSET ?) {ORDER}"
                ))
                .bind_all(binds)
                .bind(page.size)
                .bind(page.offset()),
            )
            .await?;
        let ids: Vec<i64> = rows.iter().map(|r| r.collaboration_id).collect();
        let titles: Vec<(i64, String)> = if ids.is_empty() {
            Vec::new()
        } else {
            self.all(
                q(format!(
                    "SELECT id, title FROM collaborations WHERE id IN ({})",
                    crate::db::placeholders(ids.len())
                ))
                .bind_all(ids),
            )
            .await?
        };
        Ok((
            total,
            rows.into_iter()
                .map(|r| {
                    let title = titles
                        .iter()
                        .find(|(id, _)| *id == r.collaboration_id)
                        .map(|(_, t)| t.clone())
                        .unwrap_or_default();
                    MyTask {
                        task: task(r),
                        collaboration_title: title,
                    }
                })
                .collect(),
        ))
    }

    /// What a person's "my tasks" is worked out from, read in one
    /// statement: each of their organisations and each collaboration those
    /// take part in, with its revision (raised by every audit entry, so by
    /// every change to a task, a workstream, a partner, a member or a
    /// name), and the person's own name. Two reads that give the same
    /// answer saw the same tasks, names and titles. The collaborations'
    /// revisions are read from their participant rows, which carry an
    /// exact copy (migration 0023): one index range per organisation
    /// instead of one lookup per collaboration.
    pub async fn my_tasks_revision(&mut self, user_id: i64) -> Result<MyRevision, StoreError> {
        let rows: Vec<(i64, i64, i64, String)> = self
            .all(
                q(
                    "SELECT CAST(0 AS BIGINT), o.id, o.revision, '' FROM memberships m \
                   JOIN organisations o ON o.id = m.organisation_id WHERE m.user_id = ? \
                   UNION ALL SELECT DISTINCT 1, p.collaboration_id, p.collab_revision, '' \
                   FROM memberships m JOIN participants p ON p.organisation_id = m.organisation_id \
                   WHERE m.user_id = ? \
                   UNION ALL SELECT 2, u.id, 0, u.name FROM users u WHERE u.id = ? \
                   ORDER BY 1, 2",
                )
                .bind(user_id)
                .bind(user_id)
                .bind(user_id),
            )
            .await?;
        let mut revision = MyRevision::default();
        for (kind, id, rev, name) in rows {
            match kind {
                0 => revision.organisations.push((id, rev)),
                1 => revision.collaborations.push((id, rev)),
                _ => revision.name = name,
            }
        }
        Ok(revision)
    }

    pub async fn create_task(
        &mut self,
        scope: &CollabScope,
        f: &TaskFields,
        by_name: &str,
        at: i64,
    ) -> Result<i64, StoreError> {
        self.int(
            q("INSERT INTO tasks (collaboration_id, workstream_id, title, description, owner_organisation_id, \
               assignee_id, start_on, due_on, status, milestone, aim_id, done_reason, version, updated_by_name, \
               created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', 1, ?, ?, ?) RETURNING id")
            .bind(scope.collaboration_id())
            .bind(f.workstream_id)
            .bind(f.title.as_str())
            .bind(f.description.as_str())
            .bind(f.owner_organisation_id)
            .bind(f.assignee_id)
            .bind(f.start_on.clone())
            .bind(f.due_on.clone())
            .bind(f.status.code())
            .bind(f.milestone)
            .bind(f.aim_id)
            .bind(by_name)
            .bind(at)
            .bind(at),
        )
        .await
    }

    /// Applies a change based on the task's version. Returns false,
    /// changing nothing, when the task has moved on since.
    #[allow(clippy::too_many_arguments)]
    pub async fn update_task(
        &mut self,
        scope: &CollabScope,
        id: i64,
        f: &TaskFields,
        done_reason: &str,
        based_on: i64,
        by_name: &str,
        at: i64,
    ) -> Result<bool, StoreError> {
        let n = self
            .exec(
                q("UPDATE tasks SET workstream_id = ?, title = ?, description = ?, owner_organisation_id = ?, \
                   assignee_id = ?, start_on = ?, due_on = ?, status = ?, milestone = ?, aim_id = ?, done_reason = ?, \
                   version = version + 1, updated_by_name = ?, updated_at = ? \
                   WHERE collaboration_id = ? AND id = ? AND version = ?")
                .bind(f.workstream_id)
                .bind(f.title.as_str())
                .bind(f.description.as_str())
                .bind(f.owner_organisation_id)
                .bind(f.assignee_id)
                .bind(f.start_on.clone())
                .bind(f.due_on.clone())
                .bind(f.status.code())
                .bind(f.milestone)
                .bind(f.aim_id)
                .bind(done_reason)
                .bind(by_name)
                .bind(at)
                .bind(scope.collaboration_id())
                .bind(id)
                .bind(based_on),
            )
            .await?;
        Ok(n == 1)
    }

    pub async fn delete_task(&mut self, scope: &CollabScope, id: i64) -> Result<bool, StoreError> {
        let n = self
            .exec(
                q("DELETE FROM tasks WHERE collaboration_id = ? AND id = ?")
                    .bind(scope.collaboration_id())
                    .bind(id),
            )
            .await?;
        Ok(n == 1)
    }

    /// Every dependency of the collaboration, as (task, depends on).
    pub async fn dependency_edges(
        &mut self,
        scope: &CollabScope,
    ) -> Result<Vec<(i64, i64)>, StoreError> {
        self.all(
            q("SELECT task_id, depends_on_id FROM task_dependencies WHERE collaboration_id = ?")
                .bind(scope.collaboration_id()),
        )
        .await
    }

    /// What a task depends on (`depends_on = true`) or what depends on it.
    pub async fn task_links(
        &mut self,
        scope: &CollabScope,
        id: i64,
        depends_on: bool,
    ) -> Result<Vec<TaskRef>, StoreError> {
        let (join, by) = if depends_on {
            ("d.depends_on_id", "d.task_id")
        } else {
            ("d.task_id", "d.depends_on_id")
        };
        let rows: Vec<(i64, String, String)> = self
            .all(
                q(format!(
                    "SELECT t.id, t.title, t.status FROM task_dependencies d JOIN tasks t ON t.id = {join} \
                     WHERE d.collaboration_id = ? AND {by} = ? ORDER BY t.id"
                ))
                .bind(scope.collaboration_id())
                .bind(id),
            )
            .await?;
        Ok(rows
            .into_iter()
            .map(|(id, title, status)| TaskRef {
                id,
                title,
                status: TaskStatus::parse_code(&status).unwrap_or(TaskStatus::NotStarted),
            })
            .collect())
    }

    /// Titles of the collaboration's tasks with these ids.
    pub async fn task_titles(
        &mut self,
        scope: &CollabScope,
        ids: &[i64],
    ) -> Result<Vec<(i64, String)>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        self.all(
            q(format!(
                "SELECT id, title FROM tasks WHERE collaboration_id = ? AND id IN ({})",
                crate::db::placeholders(ids.len())
            ))
            .bind(scope.collaboration_id())
            .bind_all(ids.iter().copied()),
        )
        .await
    }

    /// Adds a dependency between two tasks of the collaboration; false
    /// when it was there already.
    pub async fn add_dependency(
        &mut self,
        scope: &CollabScope,
        task_id: i64,
        depends_on_id: i64,
    ) -> Result<bool, StoreError> {
        let n = self
            .exec(
                q("INSERT INTO task_dependencies (task_id, depends_on_id, collaboration_id) VALUES (?, ?, ?) \
                   ON CONFLICT (task_id, depends_on_id) DO NOTHING")
                .bind(task_id)
                .bind(depends_on_id)
                .bind(scope.collaboration_id()),
            )
            .await?;
        Ok(n == 1)
    }

    pub async fn remove_dependency(
        &mut self,
        scope: &CollabScope,
        task_id: i64,
        depends_on_id: i64,
    ) -> Result<bool, StoreError> {
        let n = self
            .exec(
                q("DELETE FROM task_dependencies WHERE collaboration_id = ? AND task_id = ? AND depends_on_id = ?")
                    .bind(scope.collaboration_id())
                    .bind(task_id)
                    .bind(depends_on_id),
            )
            .await?;
        Ok(n == 1)
    }

    /// Whether the person is a member of the organisation.
    pub async fn is_member_of(
        &mut self,
        organisation_id: i64,
        user_id: i64,
    ) -> Result<bool, StoreError> {
        let n = self
            .int(
                q("SELECT COUNT(*) FROM memberships WHERE organisation_id = ? AND user_id = ?")
                    .bind(organisation_id)
                    .bind(user_id),
            )
            .await?;
        Ok(n > 0)
    }

    /// The members of the organisations taking part, as (organisation,
    /// person, name), for choosing an assignee.
    pub async fn assignable_people(
        &mut self,
        scope: &CollabScope,
    ) -> Result<Vec<(i64, i64, String)>, StoreError> {
        self.all(
            q(
                "SELECT m.organisation_id, u.id, u.name FROM participants p \
               JOIN memberships m ON m.organisation_id = p.organisation_id \
               JOIN users u ON u.id = m.user_id WHERE p.collaboration_id = ? \
               ORDER BY m.organisation_id, u.name, u.id",
            )
            .bind(scope.collaboration_id()),
        )
        .await
    }

    /// Open, overdue and finished tasks per organisation taking part.
    pub async fn tasks_by_partner(
        &mut self,
        scope: &CollabScope,
        today: &str,
    ) -> Result<Vec<PartnerLoad>, StoreError> {
        let rows: Vec<(i64, String, i64, i64, i64)> = self
            .all(
                q(format!(
                    "SELECT p.organisation_id, o.name, \
                     COALESCE(SUM(CASE WHEN t.id IS NOT NULL AND {OPEN} THEN 1 ELSE 0 END), 0), \
                     COALESCE(SUM(CASE WHEN {OPEN} AND t.due_on < ? THEN 1 ELSE 0 END), 0), \
                     COALESCE(SUM(CASE WHEN t.status IN ('done', 'cancelled') THEN 1 ELSE 0 END), 0) \
                     FROM participants p JOIN organisations o ON o.id = p.organisation_id \
                     LEFT JOIN tasks t ON t.collaboration_id = p.collaboration_id AND t.owner_organisation_id = p.organisation_id \
                     WHERE p.collaboration_id = ? GROUP BY p.organisation_id, o.name ORDER BY o.name, p.organisation_id"
                ))
                .bind(today)
                .bind(scope.collaboration_id()),
            )
            .await?;
        Ok(rows
            .into_iter()
            .map(
                |(organisation_id, name, open, overdue, finished)| PartnerLoad {
                    organisation_id,
                    name,
                    open,
                    overdue,
                    finished,
                },
            )
            .collect())
    }

    /// The counts the Implement checklist is made from, in three statements.
    pub async fn implement_facts(
        &mut self,
        scope: &CollabScope,
        today: &str,
    ) -> Result<ImplementFacts, StoreError> {
        let id = scope.collaboration_id();
        let workstreams = self
            .int(q("SELECT COUNT(*) FROM workstreams WHERE collaboration_id = ?").bind(id))
            .await?;
        let (tasks, without_due_date, done, open, overdue): (i64, i64, i64, i64, i64) = self
            .one(
                q(format!(
                    "SELECT COUNT(*), \
                     COALESCE(SUM(CASE WHEN t.due_on IS NULL THEN 1 ELSE 0 END), 0), \
                     COALESCE(SUM(CASE WHEN t.status = 'done' THEN 1 ELSE 0 END), 0), \
                     COALESCE(SUM(CASE WHEN {OPEN} THEN 1 ELSE 0 END), 0), \
                     COALESCE(SUM(CASE WHEN {OPEN} AND t.due_on < ? THEN 1 ELSE 0 END), 0) \
                     FROM tasks t WHERE t.collaboration_id = ?"
                ))
                .bind(today)
                .bind(id),
            )
            .await?;
        let (problems_unresolved, problems_waiting) = self
            .problem_facts(scope, commonground_domain::problems::waiting_cutoff(today))
            .await?;
        let (proposals, proposals_closed_without_outcome) =
            self.proposal_facts(scope, today).await?;
        Ok(ImplementFacts {
            collaboration_id: id,
            workstreams,
            tasks,
            without_due_date,
            done,
            open,
            overdue,
            risks: self.risk_facts(scope, today).await?,
            problems_unresolved,
            problems_waiting,
            proposals,
            proposals_closed_without_outcome,
            comms: self.comms_facts(scope, today).await?,
        })
    }
}

impl Tx {
    /// Whether any of these tasks of the collaboration is still open.
    pub async fn tasks_open_among(
        &mut self,
        scope: &CollabScope,
        ids: &[i64],
    ) -> Result<bool, StoreError> {
        if ids.is_empty() {
            return Ok(false);
        }
        let n = self
            .int(
                q(format!(
                    "SELECT COUNT(*) FROM tasks t WHERE t.collaboration_id = ? AND {OPEN} AND t.id IN ({})",
                    crate::db::placeholders(ids.len())
                ))
                .bind(scope.collaboration_id())
                .bind_all(ids.iter().copied()),
            )
            .await?;
        Ok(n > 0)
    }

    /// Every task's id and title, in list order, to choose from.
    pub async fn all_task_titles(
        &mut self,
        scope: &CollabScope,
    ) -> Result<Vec<(i64, String)>, StoreError> {
        self.all(
            q(format!(
                "SELECT t.id, t.title FROM tasks t WHERE t.collaboration_id = ? {ORDER}"
            ))
            .bind(scope.collaboration_id()),
        )
        .await
    }
}
