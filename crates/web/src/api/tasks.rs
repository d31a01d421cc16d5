//! The action plan: workstreams, tasks and their dependencies, "my tasks",
//! the CSV export and the Implement stage's checklist.

use super::identify::{ChecklistItem, StageProgress};
use super::{
    BadRequest, Conflict, Forbidden, NotFound, PayloadTooLarge, Unauthenticated, Unprocessable,
    rfc3339,
};
use crate::AppState;
use crate::actions;
use crate::actions::tasks::{FilterInput, TaskChange, parse_filter};
use crate::auth::ApiCaller;
use crate::error::AppError;
use crate::extract::{ApiJson, P, Q};
use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use commonground_domain::tasks::{TaskInput, TaskStatus as DomainStatus};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    NotStarted,
    InProgress,
    Blocked,
    Done,
    Cancelled,
}

impl From<DomainStatus> for TaskStatus {
    fn from(s: DomainStatus) -> Self {
        match s {
            DomainStatus::NotStarted => TaskStatus::NotStarted,
            DomainStatus::InProgress => TaskStatus::InProgress,
            DomainStatus::Blocked => TaskStatus::Blocked,
            DomainStatus::Done => TaskStatus::Done,
            DomainStatus::Cancelled => TaskStatus::Cancelled,
        }
    }
}

/// A group of related tasks.
#[derive(Debug, Serialize, ToSchema)]
pub struct Workstream {
    pub id: i64,
    pub name: String,
    pub description: String,
    /// Tasks in it, of any status.
    pub tasks: i64,
}

impl From<commonground_store::tasks::Workstream> for Workstream {
    fn from(w: commonground_store::tasks::Workstream) -> Self {
        Workstream {
            id: w.id,
            name: w.name,
            description: w.description,
            tasks: w.tasks,
        }
    }
}

/// A task of the action plan.
#[derive(Debug, Serialize, ToSchema)]
pub struct Task {
    pub id: i64,
    pub collaboration_id: i64,
    pub title: String,
    /// Markdown, shown on the task's page with raw HTML as text and only
    /// web and email links kept.
    pub description: String,
    pub workstream_id: Option<i64>,
    pub workstream_name: Option<String>,
    pub owner_organisation_id: i64,
    pub owner_name: String,
    /// A member of the owner organisation; null for nobody yet.
    pub assignee_id: Option<i64>,
    pub assignee_name: Option<String>,
    /// `YYYY-MM-DD`.
    pub start_on: Option<String>,
    /// `YYYY-MM-DD`.
    pub due_on: Option<String>,
    pub status: TaskStatus,
    /// One day with no duration: start and due are the same.
    pub milestone: bool,
    /// The collaboration's aim this task serves; null for none.
    pub aim_id: Option<i64>,
    pub aim_title: Option<String>,
    /// Open and due before today (UTC).
    pub overdue: bool,
    /// Why it was marked done while a task it depends on was still open.
    pub done_reason: Option<String>,
    /// The series of recurring tasks that made it; null for none.
    pub series_id: Option<i64>,
    /// Send this as `version` to change the task.
    pub version: i64,
    pub updated_by_name: String,
    pub updated_at: i64,
    pub updated_at_rfc3339: String,
}

pub(crate) fn task_json(t: commonground_store::tasks::Task, today: &str) -> Task {
    Task {
        overdue: actions::tasks::is_overdue(&t, today),
        id: t.id,
        collaboration_id: t.collaboration_id,
        title: t.title,
        description: t.description,
        workstream_id: t.workstream_id,
        workstream_name: (!t.workstream_name.is_empty()).then_some(t.workstream_name),
        owner_organisation_id: t.owner_organisation_id,
        owner_name: t.owner_name,
        assignee_id: t.assignee_id,
        assignee_name: (!t.assignee_name.is_empty()).then_some(t.assignee_name),
        start_on: t.start_on,
        due_on: t.due_on,
        status: t.status.into(),
        milestone: t.milestone,
        aim_id: t.aim_id,
        aim_title: (!t.aim_title.is_empty()).then_some(t.aim_title),
        done_reason: (!t.done_reason.is_empty()).then_some(t.done_reason),
        series_id: t.series_id,
        version: t.version,
        updated_by_name: t.updated_by_name,
        updated_at: t.updated_at,
        updated_at_rfc3339: rfc3339(t.updated_at),
    }
}

/// A task as another refers to it.
#[derive(Debug, Serialize, ToSchema)]
pub struct TaskRef {
    pub id: i64,
    pub title: String,
    pub status: TaskStatus,
}

impl From<commonground_store::tasks::TaskRef> for TaskRef {
    fn from(t: commonground_store::tasks::TaskRef) -> Self {
        TaskRef {
            id: t.id,
            title: t.title,
            status: t.status.into(),
        }
    }
}

/// A task with its dependencies.
#[derive(Debug, Serialize, ToSchema)]
pub struct TaskDetail {
    #[serde(flatten)]
    pub task: Task,
    /// The tasks this one depends on.
    pub depends_on: Vec<TaskRef>,
    /// The tasks that depend on this one.
    pub dependents: Vec<TaskRef>,
    /// You may change it (observers may not).
    pub can_contribute: bool,
    /// Decisions about this task, newest first.
    pub decisions: Vec<super::decisions::DecisionSummary>,
}

/// One page of tasks.
#[derive(Debug, Serialize, ToSchema)]
pub struct TaskPage {
    /// How many tasks match, on every page.
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
    pub items: Vec<Task>,
}

/// A task of "my tasks", with its collaboration.
#[derive(Debug, Serialize, ToSchema)]
pub struct MyTask {
    #[serde(flatten)]
    pub task: Task,
    pub collaboration_title: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MyTaskPage {
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
    pub items: Vec<MyTask>,
}

/// Which tasks to list. Every filter narrows the list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TaskParams {
    /// `not_started`, `in_progress`, `blocked`, `done` or `cancelled`.
    pub status: Option<String>,
    /// `all` (the default), `open` (not done or cancelled) or `archive`
    /// (done or cancelled). Ignored when `status` is given.
    pub view: Option<String>,
    pub owner_organisation_id: Option<String>,
    pub assignee_id: Option<String>,
    pub workstream_id: Option<String>,
    /// Due on or before this date, `YYYY-MM-DD`.
    pub due_before: Option<String>,
    /// Due on or after this date, `YYYY-MM-DD`.
    pub due_after: Option<String>,
    /// `true` for only open tasks due before today.
    pub overdue: Option<String>,
    /// From 1.
    pub page: Option<String>,
    /// From 1 to 500; 50 when not given.
    pub per_page: Option<String>,
}

impl TaskParams {
    pub(crate) fn input(self) -> FilterInput {
        FilterInput {
            status: self.status.unwrap_or_default(),
            view: self.view.unwrap_or_default(),
            owner_organisation_id: self.owner_organisation_id.unwrap_or_default(),
            assignee_id: self.assignee_id.unwrap_or_default(),
            workstream_id: self.workstream_id.unwrap_or_default(),
            due_before: self.due_before.unwrap_or_default(),
            due_after: self.due_after.unwrap_or_default(),
            overdue: self.overdue.unwrap_or_default(),
            page: self.page.unwrap_or_default(),
            per_page: self.per_page.unwrap_or_default(),
        }
    }
}

/// A page of "my tasks".
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// From 1.
    pub page: Option<String>,
    /// From 1 to 500; 50 when not given.
    pub per_page: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewWorkstream {
    /// Up to 120 characters.
    #[serde(default)]
    #[schema(required = true)]
    pub name: Option<String>,
    /// Up to 2,000 characters.
    #[serde(default)]
    pub description: Option<String>,
}

/// A task's fields.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskBody {
    /// Up to 200 characters.
    #[serde(default)]
    #[schema(required = true)]
    pub title: Option<String>,
    /// Markdown, up to 10,000 characters.
    #[serde(default)]
    pub description: Option<String>,
    /// An organisation taking part.
    #[serde(default)]
    #[schema(required = true)]
    pub owner_organisation_id: Option<i64>,
    /// A member of the owner organisation; null for nobody yet.
    #[serde(default)]
    pub assignee_id: Option<i64>,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    pub start_on: Option<String>,
    /// `YYYY-MM-DD`, not before `start_on`.
    #[serde(default)]
    pub due_on: Option<String>,
    /// `not_started` when not given.
    #[serde(default)]
    #[schema(value_type = Option<TaskStatus>)]
    pub status: Option<String>,
    #[serde(default)]
    pub workstream_id: Option<i64>,
    /// One day with no duration: needs `due_on`; `start_on` is the same day.
    #[serde(default)]
    pub milestone: Option<bool>,
    /// One of the collaboration's aims (`/collaborations/{id}/aims`); null
    /// for none.
    #[serde(default)]
    pub aim_id: Option<i64>,
    /// Only when adding: tasks of the same collaboration this one depends on.
    #[serde(default)]
    pub depends_on: Option<Vec<i64>>,
    /// Only when changing: the task's `version` this change is based on.
    #[serde(default)]
    pub version: Option<i64>,
    /// Only when changing: why the task is done although a task it depends
    /// on is still open. Without it, that change is refused.
    #[serde(default)]
    pub done_reason: Option<String>,
}

struct Owned {
    owner: String,
    assignee: String,
    workstream: String,
    aim: String,
}

impl TaskBody {
    fn owned(&self) -> Owned {
        let s = |v: Option<i64>| v.map(|x| x.to_string()).unwrap_or_default();
        Owned {
            owner: s(self.owner_organisation_id),
            assignee: s(self.assignee_id),
            workstream: s(self.workstream_id),
            aim: s(self.aim_id),
        }
    }

    fn input<'a>(&'a self, o: &'a Owned) -> TaskInput<'a> {
        TaskInput {
            title: self.title.as_deref().unwrap_or(""),
            description: self.description.as_deref().unwrap_or(""),
            owner_organisation_id: &o.owner,
            assignee_id: &o.assignee,
            start_on: self.start_on.as_deref().unwrap_or(""),
            due_on: self.due_on.as_deref().unwrap_or(""),
            status: self.status.as_deref().unwrap_or(""),
            workstream_id: &o.workstream,
            milestone: self.milestone.unwrap_or(false),
            aim_id: &o.aim,
        }
    }
}

/// A change to a task: only the fields given change; send `version`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskPatch {
    /// Up to 200 characters.
    #[serde(default)]
    pub title: Option<String>,
    /// Markdown, up to 10,000 characters.
    #[serde(default)]
    pub description: Option<String>,
    /// An organisation taking part.
    #[serde(default)]
    pub owner_organisation_id: Option<i64>,
    /// A member of the owner organisation; null for nobody. Leave it out
    /// to keep the current one.
    #[serde(default, deserialize_with = "super::nullable")]
    #[schema(value_type = Option<i64>)]
    pub assignee_id: Option<Option<i64>>,
    /// `YYYY-MM-DD`; null for none.
    #[serde(default, deserialize_with = "super::nullable")]
    #[schema(value_type = Option<String>)]
    pub start_on: Option<Option<String>>,
    /// `YYYY-MM-DD`, not before `start_on`; null for none.
    #[serde(default, deserialize_with = "super::nullable")]
    #[schema(value_type = Option<String>)]
    pub due_on: Option<Option<String>>,
    #[serde(default)]
    #[schema(value_type = Option<TaskStatus>)]
    pub status: Option<String>,
    /// Null for none.
    #[serde(default, deserialize_with = "super::nullable")]
    #[schema(value_type = Option<i64>)]
    pub workstream_id: Option<Option<i64>>,
    /// One day with no duration: needs `due_on`.
    #[serde(default)]
    pub milestone: Option<bool>,
    /// One of the collaboration's aims; null for none.
    #[serde(default, deserialize_with = "super::nullable")]
    #[schema(value_type = Option<i64>)]
    pub aim_id: Option<Option<i64>>,
    /// The task's `version` this change is based on.
    #[serde(default)]
    #[schema(required = true)]
    pub version: Option<i64>,
    /// Why the task is done although a task it depends on is still open.
    /// Without it, that change is refused.
    #[serde(default)]
    pub done_reason: Option<String>,
}

impl TaskPatch {
    /// The whole task as it would be with this change made to `t`.
    fn over(self, t: commonground_store::tasks::Task) -> TaskBody {
        let milestone = self.milestone.unwrap_or(t.milestone);
        // A milestone's start is its due date: a new date moves both.
        let start_on = match self.start_on {
            Some(s) => s,
            None if milestone => None,
            None => t.start_on,
        };
        TaskBody {
            title: Some(self.title.unwrap_or(t.title)),
            description: Some(self.description.unwrap_or(t.description)),
            owner_organisation_id: Some(
                self.owner_organisation_id
                    .unwrap_or(t.owner_organisation_id),
            ),
            assignee_id: self.assignee_id.unwrap_or(t.assignee_id),
            start_on,
            due_on: self.due_on.unwrap_or(t.due_on),
            status: Some(self.status.unwrap_or_else(|| t.status.code().to_string())),
            workstream_id: self.workstream_id.unwrap_or(t.workstream_id),
            milestone: Some(milestone),
            aim_id: self.aim_id.unwrap_or(t.aim_id),
            depends_on: None,
            version: self.version,
            done_reason: self.done_reason,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDependency {
    /// A task of the same collaboration that this task depends on.
    #[serde(default)]
    #[schema(required = true)]
    pub depends_on_id: Option<i64>,
}

/// The collaboration's workstreams.
#[utoipa::path(
    get,
    path = "/collaborations/{id}/workstreams",
    tag = "implement",
    operation_id = "list_workstreams",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The collaboration.")),
    responses(
        (status = 200, description = "The workstreams, oldest first.", body = Vec<Workstream>),
        (status = 401, response = Unauthenticated),
        (status = 404, response = NotFound),
    )
)]
pub async fn list_workstreams(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
) -> Result<Json<Vec<Workstream>>, AppError> {
    let (_, ws, _) = actions::tasks::workstreams(&state, &actor, id).await?;
    Ok(Json(ws.into_iter().map(Into::into).collect()))
}

/// Adds a workstream. Not for observers.
#[utoipa::path(
    post,
    path = "/collaborations/{id}/workstreams",
    tag = "implement",
    operation_id = "add_workstream",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The collaboration.")),
    request_body = NewWorkstream,
    responses(
        (status = 201, description = "It was added.", body = Workstream),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 413, response = PayloadTooLarge),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn add_workstream(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
    ApiJson(body): ApiJson<NewWorkstream>,
) -> Result<(StatusCode, Json<Workstream>), AppError> {
    let w = actions::tasks::create_workstream(
        &state,
        &actor,
        id,
        body.name.as_deref().unwrap_or(""),
        body.description.as_deref().unwrap_or(""),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(w.into())))
}

/// One page of the collaboration's tasks, soonest due first, with filters.
#[utoipa::path(
    get,
    path = "/collaborations/{id}/tasks",
    tag = "implement",
    operation_id = "list_tasks",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The collaboration."), TaskParams),
    responses(
        (status = 200, description = "A page of tasks.", body = TaskPage),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 404, response = NotFound),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn list_tasks(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
    Q(p): Q<TaskParams>,
) -> Result<Response, AppError> {
    let (filter, page) = parse_filter(&p.input(), "all")?;
    // The same for everyone who may see the collaboration, so each server
    // writes it once per revision (a whole plan is some 300 KB of JSON).
    let body = actions::tasks::task_list_kept(
        &state,
        &actor,
        id,
        (&filter, page),
        "api",
        |total, tasks, today| {
            serde_json::to_vec(&TaskPage {
                total,
                page: page.number,
                per_page: page.size,
                items: tasks.into_iter().map(|t| task_json(t, today)).collect(),
            })
            .map_err(|e| AppError::Internal(format!("write the tasks as JSON: {e}")))
        },
    )
    .await?;
    Ok((
        [(header::CONTENT_TYPE, "application/json")],
        crate::cache::lent(body),
    )
        .into_response())
}

/// The filtered tasks as CSV, every match (not one page). Cells that a
/// spreadsheet would read as a formula start with an apostrophe.
#[utoipa::path(
    get,
    path = "/collaborations/{id}/tasks.csv",
    tag = "implement",
    operation_id = "export_tasks",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The collaboration."), TaskParams),
    responses(
        (status = 200, description = "The tasks, one a line, with a header line.", content_type = "text/csv", body = String),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 404, response = NotFound),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn export_tasks(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
    Q(p): Q<TaskParams>,
) -> Result<Response, AppError> {
    let (filter, _) = parse_filter(&p.input(), "all")?;
    let csv = actions::tasks::tasks_csv(&state, &actor, id, &filter).await?;
    Ok(csv_response(id, csv))
}

/// A CSV download named after the collaboration.
pub fn csv_response(id: i64, csv: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"collaboration-{id}-tasks.csv\""),
            ),
        ],
        csv,
    )
        .into_response()
}

/// Adds a task. Not for observers.
#[utoipa::path(
    post,
    path = "/collaborations/{id}/tasks",
    tag = "implement",
    operation_id = "add_task",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The collaboration.")),
    request_body = TaskBody,
    responses(
        (status = 201, description = "It was added.", body = Task),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 413, response = PayloadTooLarge),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn add_task(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
    ApiJson(body): ApiJson<TaskBody>,
) -> Result<(StatusCode, Json<Task>), AppError> {
    let o = body.owned();
    let deps = body.depends_on.clone().unwrap_or_default();
    let t = actions::tasks::create_task(&state, &actor, id, &body.input(&o), &deps).await?;
    let today = actions::tasks::today(&state);
    Ok((StatusCode::CREATED, Json(task_json(t, &today))))
}

/// A task with its dependencies.
#[utoipa::path(
    get,
    path = "/tasks/{tid}",
    tag = "implement",
    operation_id = "task",
    security(("bearer" = [])),
    params(("tid" = i64, Path, description = "The task.")),
    responses(
        (status = 200, description = "The task.", body = TaskDetail),
        (status = 401, response = Unauthenticated),
        (status = 404, response = NotFound),
    )
)]
pub async fn task(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(tid): P<i64>,
) -> Result<Json<TaskDetail>, AppError> {
    let d = actions::tasks::task_detail(&state, &actor, tid).await?;
    Ok(Json(TaskDetail {
        task: task_json(d.task, &d.today),
        depends_on: d.depends_on.into_iter().map(Into::into).collect(),
        dependents: d.dependents.into_iter().map(Into::into).collect(),
        can_contribute: d.can_contribute,
        decisions: d
            .decisions
            .into_iter()
            .map(super::decisions::decision_summary)
            .collect(),
    }))
}

/// Changes a task: send every field, and `version`. Not for observers.
#[utoipa::path(
    put,
    path = "/tasks/{tid}",
    tag = "implement",
    operation_id = "change_task",
    security(("bearer" = [])),
    params(("tid" = i64, Path, description = "The task.")),
    request_body = TaskBody,
    responses(
        (status = 200, description = "The task as saved.", body = Task),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 413, response = PayloadTooLarge),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn change_task(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(tid): P<i64>,
    ApiJson(body): ApiJson<TaskBody>,
) -> Result<Json<Task>, AppError> {
    if body.depends_on.is_some() {
        return Err(AppError::invalid(
            "depends_on",
            "Change dependencies through /tasks/{tid}/dependencies.",
        ));
    }
    save(&state, &actor, tid, &body).await
}

/// Saves the whole task as `body` gives it, based on its `version`.
async fn save(
    state: &AppState,
    actor: &crate::auth::Actor,
    tid: i64,
    body: &TaskBody,
) -> Result<Json<Task>, AppError> {
    let o = body.owned();
    let version = body.version.map(|v| v.to_string()).unwrap_or_default();
    let t = actions::tasks::update_task(
        state,
        actor,
        tid,
        &TaskChange {
            fields: body.input(&o),
            based_on: &version,
            done_reason: body.done_reason.as_deref().unwrap_or(""),
        },
    )
    .await
    .map_err(|e| e.renamed("based_on", "version"))?;
    let today = actions::tasks::today(state);
    Ok(Json(task_json(t, &today)))
}

/// Changes some of a task's fields: only those sent change. Send
/// `version`; a change based on an older one is refused with 409 and the
/// task as it is now. Not for observers.
#[utoipa::path(
    patch,
    path = "/tasks/{tid}",
    tag = "implement",
    operation_id = "patch_task",
    security(("bearer" = [])),
    params(("tid" = i64, Path, description = "The task.")),
    request_body = TaskPatch,
    responses(
        (status = 200, description = "The task as saved.", body = Task),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 413, response = PayloadTooLarge),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn patch_task(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(tid): P<i64>,
    ApiJson(patch): ApiJson<TaskPatch>,
) -> Result<Json<Task>, AppError> {
    // The change is made to the task as read here; the version check in
    // the change itself refuses it if the task moved on meanwhile.
    let current = actions::tasks::task(&state, &actor, tid).await?;
    let body = patch.over(current);
    save(&state, &actor, tid, &body).await
}

/// Deletes a task and its dependencies. Not for observers.
#[utoipa::path(
    delete,
    path = "/tasks/{tid}",
    tag = "implement",
    operation_id = "delete_task",
    security(("bearer" = [])),
    params(("tid" = i64, Path, description = "The task.")),
    responses(
        (status = 204, description = "It was deleted."),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    )
)]
pub async fn delete_task(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(tid): P<i64>,
) -> Result<StatusCode, AppError> {
    actions::tasks::delete_task(&state, &actor, tid).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Makes the task depend on another task of the same collaboration. A
/// dependency that would make a loop is refused (422), naming the loop.
#[utoipa::path(
    post,
    path = "/tasks/{tid}/dependencies",
    tag = "implement",
    operation_id = "add_dependency",
    security(("bearer" = [])),
    params(("tid" = i64, Path, description = "The task that depends.")),
    request_body = NewDependency,
    responses(
        (status = 201, description = "What the task now depends on.", body = Vec<TaskRef>),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 413, response = PayloadTooLarge),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn add_dependency(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(tid): P<i64>,
    ApiJson(body): ApiJson<NewDependency>,
) -> Result<(StatusCode, Json<Vec<TaskRef>>), AppError> {
    let on = body
        .depends_on_id
        .map(|v| v.to_string())
        .unwrap_or_default();
    let links = actions::tasks::add_dependency(&state, &actor, tid, &on).await?;
    Ok((
        StatusCode::CREATED,
        Json(links.into_iter().map(Into::into).collect()),
    ))
}

/// Removes a dependency. Not for observers.
#[utoipa::path(
    delete,
    path = "/tasks/{tid}/dependencies/{on}",
    tag = "implement",
    operation_id = "remove_dependency",
    security(("bearer" = [])),
    params(
        ("tid" = i64, Path, description = "The task that depends."),
        ("on" = i64, Path, description = "The task it depends on."),
    ),
    responses(
        (status = 204, description = "It was removed."),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    )
)]
pub async fn remove_dependency(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P((tid, on)): P<(i64, i64)>,
) -> Result<StatusCode, AppError> {
    actions::tasks::remove_dependency(&state, &actor, tid, on).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Open tasks assigned to you, or owned by one of your organisations and
/// assigned to nobody, across all your collaborations; soonest due first.
#[utoipa::path(
    get,
    path = "/me/tasks",
    tag = "implement",
    operation_id = "my_tasks",
    security(("bearer" = [])),
    params(PageParams),
    responses(
        (status = 200, description = "A page of tasks.", body = MyTaskPage),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn my_tasks(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Q(p): Q<PageParams>,
) -> Result<Response, AppError> {
    let (_, page) = parse_filter(
        &FilterInput {
            page: p.page.unwrap_or_default(),
            per_page: p.per_page.unwrap_or_default(),
            ..Default::default()
        },
        "open",
    )?;
    let body = actions::tasks::my_tasks_kept(&state, &actor, page, "api", |total, items, today| {
        serde_json::to_vec(&MyTaskPage {
            total,
            page: page.number,
            per_page: page.size,
            items: items
                .into_iter()
                .map(|m| MyTask {
                    collaboration_title: m.collaboration_title,
                    task: task_json(m.task, today),
                })
                .collect(),
        })
        .map_err(|e| AppError::Internal(format!("write the tasks as JSON: {e}")))
    })
    .await?;
    Ok((
        [(header::CONTENT_TYPE, "application/json")],
        crate::cache::lent(body),
    )
        .into_response())
}

/// The Implement stage's checklist so far: the action plan made, and work
/// under way with nothing overdue.
#[utoipa::path(
    get,
    path = "/collaborations/{id}/stages/implement",
    tag = "implement",
    operation_id = "implement_progress",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The collaboration.")),
    responses(
        (status = 200, description = "The checklist.", body = StageProgress),
        (status = 401, response = Unauthenticated),
        (status = 404, response = NotFound),
    )
)]
pub async fn implement_progress(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
) -> Result<Json<StageProgress>, AppError> {
    let o = actions::tasks::implement_overview(&state, &actor, id).await?;
    Ok(Json(StageProgress {
        stage: "implement".to_string(),
        percent: o.percent,
        checklist: o.checklist.into_iter().map(ChecklistItem::from).collect(),
        can_contribute: o.can_contribute,
    }))
}

/// The timeline of every dated task as SVG: bars by workstream, milestones
/// as diamonds, today's line, arrows for dependencies, overdue tasks
/// hatched and labelled. Its description says the same in words.
#[utoipa::path(
    get,
    path = "/collaborations/{id}/timeline.svg",
    tag = "implement",
    operation_id = "timeline",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The collaboration.")),
    responses(
        (status = 200, description = "The timeline.", content_type = "image/svg+xml", body = String),
        (status = 401, response = Unauthenticated),
        (status = 404, response = NotFound),
    )
)]
pub async fn timeline(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
) -> Result<Response, AppError> {
    Ok(crate::svg_response(crate::cache::lent(
        actions::tasks::timeline(&state, &actor, id).await?,
    )))
}
