//! Recurring tasks: series that make the same task every week, month,
//! quarter or year, or on a weekday of the month.

use super::governance::conflict_response;
use super::tasks::{Task, task_json};
use super::{
    BadRequest, Forbidden, NotFound, PayloadTooLarge, Unauthenticated, Unprocessable, rfc3339,
};
use crate::AppState;
use crate::actions;
use crate::actions::recurring::{
    MAX_PAGE_SIZE, SeriesUpdate, parse_page, rule, stale_message, upcoming,
};
use crate::auth::ApiCaller;
use crate::error::AppError;
use crate::extract::{ApiJson, P, Q};
use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use commonground_domain::recurring::SeriesInput;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A recurring task: the series that makes its tasks.
#[derive(Debug, Serialize, ToSchema)]
pub struct Series {
    pub id: i64,
    pub collaboration_id: i64,
    /// The title of each task it makes.
    pub title: String,
    /// Markdown, copied to each task it makes.
    pub description: String,
    pub workstream_id: Option<i64>,
    pub workstream_name: Option<String>,
    pub owner_organisation_id: i64,
    pub owner_name: String,
    /// A member of the owner organisation; null for nobody yet.
    pub assignee_id: Option<i64>,
    pub assignee_name: Option<String>,
    pub aim_id: Option<i64>,
    pub aim_title: Option<String>,
    /// `weekly`, `monthly`, `quarterly`, `yearly`, `monthly_weekday` (the
    /// same weekday of the month as `first_on`, such as the second
    /// Tuesday) or `monthly_last_weekday` (the last of that weekday).
    pub repeats: String,
    /// The rule in words, like "On the second Tuesday of every month".
    pub repeats_words: String,
    /// `YYYY-MM-DD`: the first task's due date; the dates count from it.
    pub first_on: String,
    /// `YYYY-MM-DD`: no task is made for a later date; null for none.
    pub ends_on: Option<String>,
    /// `YYYY-MM-DD`: the due date of the newest task made.
    pub last_made_on: String,
    /// The newest task made; null once it has been deleted.
    pub last_task_id: Option<i64>,
    /// `YYYY-MM-DD`: the due date of the task after the newest, made when
    /// the newest is done or cancelled or when its date comes; null when
    /// the series has ended or reached its end date.
    pub next_on: Option<String>,
    /// Ended by hand: it makes no more tasks.
    pub ended: bool,
    pub ended_by_name: Option<String>,
    pub ended_at_rfc3339: Option<String>,
    /// Tasks it has made that still exist.
    pub tasks_made: i64,
    /// Send this as `version` to change or end it.
    pub version: i64,
    pub updated_by_name: String,
    pub updated_at_rfc3339: String,
}

fn series_json(s: commonground_store::recurring::Series) -> Series {
    Series {
        repeats_words: rule(&s),
        next_on: upcoming(&s),
        id: s.id,
        collaboration_id: s.collaboration_id,
        title: s.title,
        description: s.description,
        workstream_id: s.workstream_id,
        workstream_name: (!s.workstream_name.is_empty()).then_some(s.workstream_name),
        owner_organisation_id: s.owner_organisation_id,
        owner_name: s.owner_name,
        assignee_id: s.assignee_id,
        assignee_name: (!s.assignee_name.is_empty()).then_some(s.assignee_name),
        aim_id: s.aim_id,
        aim_title: (!s.aim_title.is_empty()).then_some(s.aim_title),
        repeats: s.repeats.code().to_string(),
        first_on: s.first_on,
        ends_on: s.ends_on,
        last_made_on: s.last_made_on,
        last_task_id: s.last_task_id,
        ended: s.ended_at.is_some(),
        ended_by_name: s.ended_at.map(|_| s.ended_by_name),
        ended_at_rfc3339: s.ended_at.map(rfc3339),
        tasks_made: s.tasks_made,
        version: s.version,
        updated_by_name: s.updated_by_name,
        updated_at_rfc3339: rfc3339(s.updated_at),
    }
}

/// One page of a collaboration's recurring tasks.
#[derive(Debug, Serialize, ToSchema)]
pub struct SeriesPage {
    /// Running ones first, newest first.
    pub series: Vec<Series>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

/// A recurring task with the newest tasks it made.
#[derive(Debug, Serialize, ToSchema)]
pub struct SeriesDetail {
    pub series: Series,
    /// The newest 50 tasks it made, newest due date first.
    pub tasks: Vec<Task>,
    /// Whether the caller may change it.
    pub can_contribute: bool,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct SeriesParams {
    /// From 1.
    pub page: Option<String>,
    /// 1 to 100; 25 when not given.
    pub per_page: Option<String>,
}

/// A recurring task as sent to add or change it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SeriesBody {
    /// The title of each task, up to 200 characters.
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
    /// A member of the owner organisation, or null.
    #[serde(default)]
    pub assignee_id: Option<i64>,
    /// One of the collaboration's workstreams, or null.
    #[serde(default)]
    pub workstream_id: Option<i64>,
    /// One of the collaboration's aims, or null.
    #[serde(default)]
    pub aim_id: Option<i64>,
    /// `weekly`, `monthly`, `quarterly`, `yearly`, `monthly_weekday` or
    /// `monthly_last_weekday`.
    #[serde(default)]
    #[schema(required = true)]
    pub repeats: Option<String>,
    /// `YYYY-MM-DD`: the first task's due date, today (UTC) or later when
    /// adding; when changing, the date the dates count from.
    #[serde(default)]
    #[schema(required = true)]
    pub first_on: Option<String>,
    /// `YYYY-MM-DD`, not before `first_on`; null for no end date.
    #[serde(default)]
    pub ends_on: Option<String>,
    /// Only when changing: the series' `version` you read.
    #[serde(default)]
    pub version: Option<i64>,
}

struct Ids {
    owner: String,
    assignee: String,
    workstream: String,
    aim: String,
}

impl SeriesBody {
    fn ids(&self) -> Ids {
        let s = |v: Option<i64>| v.map(|x| x.to_string()).unwrap_or_default();
        Ids {
            owner: s(self.owner_organisation_id),
            assignee: s(self.assignee_id),
            workstream: s(self.workstream_id),
            aim: s(self.aim_id),
        }
    }

    fn input<'a>(&'a self, ids: &'a Ids) -> SeriesInput<'a> {
        SeriesInput {
            title: self.title.as_deref().unwrap_or(""),
            description: self.description.as_deref().unwrap_or(""),
            owner_organisation_id: &ids.owner,
            assignee_id: &ids.assignee,
            workstream_id: &ids.workstream,
            aim_id: &ids.aim,
            repeats: self.repeats.as_deref().unwrap_or(""),
            first_on: self.first_on.as_deref().unwrap_or(""),
            ends_on: self.ends_on.as_deref().unwrap_or(""),
        }
    }
}

/// What is sent to end a recurring task.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EndBody {
    /// The series' `version` you read.
    #[serde(default)]
    #[schema(required = true)]
    pub version: Option<i64>,
}

/// One page of the collaboration's recurring tasks.
#[utoipa::path(
    get,
    path = "/collaborations/{id}/recurring-tasks",
    tag = "implement",
    operation_id = "list_recurring_tasks",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The collaboration."), SeriesParams),
    responses(
        (status = 200, description = "A page of recurring tasks.", body = SeriesPage),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 404, response = NotFound),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn list_recurring_tasks(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
    Q(p): Q<SeriesParams>,
) -> Result<Response, AppError> {
    let page = parse_page(
        p.page.as_deref().unwrap_or(""),
        p.per_page.as_deref().unwrap_or(""),
        MAX_PAGE_SIZE,
    )?;
    // The same for everyone who may see the collaboration: written once
    // per revision and day.
    let body = actions::recurring::series_answer_kept(&state, &actor, id, page, |v| {
        serde_json::to_vec(&SeriesPage {
            series: v.series.iter().cloned().map(series_json).collect(),
            total: v.total,
            page: v.page.number,
            per_page: v.page.size,
        })
        .map_err(|e| AppError::Internal(format!("write the recurring tasks as JSON: {e}")))
    })
    .await?;
    Ok((
        [(header::CONTENT_TYPE, "application/json")],
        crate::cache::lent(body),
    )
        .into_response())
}

/// Adds a recurring task and makes its first task, due on `first_on`.
/// Not for observers.
#[utoipa::path(
    post,
    path = "/collaborations/{id}/recurring-tasks",
    tag = "implement",
    operation_id = "add_recurring_task",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The collaboration.")),
    request_body = SeriesBody,
    responses(
        (status = 201, description = "It was added, with its first task.", body = Series),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 413, response = PayloadTooLarge),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn add_recurring_task(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
    ApiJson(body): ApiJson<SeriesBody>,
) -> Result<Response, AppError> {
    if body.version.is_some() {
        return Err(AppError::invalid(
            "version",
            "Leave out the version when adding a recurring task.",
        ));
    }
    let ids = body.ids();
    let s = actions::recurring::create_series(&state, &actor, id, &body.input(&ids)).await?;
    Ok((StatusCode::CREATED, Json(series_json(s))).into_response())
}

/// A recurring task with the newest tasks it made.
#[utoipa::path(
    get,
    path = "/recurring-tasks/{sid}",
    tag = "implement",
    operation_id = "recurring_task",
    security(("bearer" = [])),
    params(("sid" = i64, Path, description = "The recurring task.")),
    responses(
        (status = 200, description = "The recurring task.", body = SeriesDetail),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 404, response = NotFound),
    )
)]
pub async fn recurring_task(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(sid): P<i64>,
) -> Result<Json<SeriesDetail>, AppError> {
    let d = actions::recurring::series_detail(&state, &actor, sid).await?;
    Ok(Json(SeriesDetail {
        tasks: d
            .tasks
            .into_iter()
            .map(|t| task_json(t, &d.today))
            .collect(),
        series: series_json(d.series),
        can_contribute: d.can_contribute,
    }))
}

fn outcome(u: SeriesUpdate) -> Response {
    match u {
        SeriesUpdate::Saved(s) => Json(series_json(s)).into_response(),
        SeriesUpdate::Stale(s) => conflict_response(stale_message(&s), series_json(s)),
    }
}

/// Changes a recurring task. The tasks it already made are not changed;
/// the change shapes the tasks made from now on. Not for observers, and
/// not once it has ended.
#[utoipa::path(
    put,
    path = "/recurring-tasks/{sid}",
    tag = "implement",
    operation_id = "update_recurring_task",
    security(("bearer" = [])),
    params(("sid" = i64, Path, description = "The recurring task.")),
    request_body = SeriesBody,
    responses(
        (status = 200, description = "As saved, with its new version.", body = Series),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, description = "Someone else changed or ended it first; nothing was saved. `current` is the recurring task now.", content_type = "application/problem+json"),
        (status = 413, response = PayloadTooLarge),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn update_recurring_task(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(sid): P<i64>,
    ApiJson(body): ApiJson<SeriesBody>,
) -> Result<Response, AppError> {
    let ids = body.ids();
    let version = body.version.map(|v| v.to_string()).unwrap_or_default();
    Ok(outcome(
        actions::recurring::update_series(&state, &actor, sid, &body.input(&ids), &version).await?,
    ))
}

/// Ends a recurring task: it makes no more tasks. The tasks it made stay
/// as they are, open or not. It cannot be undone. Not for observers.
#[utoipa::path(
    post,
    path = "/recurring-tasks/{sid}/end",
    tag = "implement",
    operation_id = "end_recurring_task",
    security(("bearer" = [])),
    params(("sid" = i64, Path, description = "The recurring task.")),
    request_body = EndBody,
    responses(
        (status = 200, description = "It has ended.", body = Series),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, description = "Someone else changed or ended it first; nothing was saved. `current` is the recurring task now.", content_type = "application/problem+json"),
        (status = 413, response = PayloadTooLarge),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn end_recurring_task(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(sid): P<i64>,
    ApiJson(body): ApiJson<EndBody>,
) -> Result<Response, AppError> {
    let version = body.version.map(|v| v.to_string()).unwrap_or_default();
    Ok(outcome(
        actions::recurring::end_series(&state, &actor, sid, &version).await?,
    ))
}
