//! Meetings: agenda, attendance, minutes, decisions, actions that become
//! tasks, and a calendar invitation.

use super::governance::conflict_response;
use super::rfc3339;
use super::{BadRequest, Forbidden, NotFound, PayloadTooLarge, Unauthenticated, Unprocessable};
use crate::AppState;
use crate::actions;
use crate::actions::meetings::{ActionInput, AttendanceInput, MeetingUpdate, stale_message};
use crate::auth::ApiCaller;
use crate::error::AppError;
use crate::extract::{ApiJson, P, Q};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use commonground_domain::meetings::MeetingInput;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A line of the meeting list.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeetingSummary {
    pub id: i64,
    pub title: String,
    /// `YYYY-MM-DD`.
    pub held_on: String,
    /// `HH:MM`, local time.
    pub starts_at: String,
    pub duration_minutes: i64,
    pub place: String,
    pub body_name: Option<String>,
    pub present: i64,
    pub actions: i64,
    pub has_minutes: bool,
}

/// A page of meetings: from today on first (soonest first), then past
/// meetings, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeetingPage {
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
    pub items: Vec<MeetingSummary>,
}

/// Someone recorded at a meeting. Guests have no person or organisation.
#[derive(Debug, Serialize, ToSchema)]
pub struct AttendanceLine {
    pub user_id: Option<i64>,
    pub name: String,
    pub organisation_id: Option<i64>,
    pub organisation_name: Option<String>,
    /// `present`, `apologies` or `absent`.
    pub status: String,
}

/// An action agreed at the meeting: the task it became, as it is now.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeetingAction {
    pub task_id: i64,
    pub title: String,
    /// The task's status.
    pub status: String,
    pub owner_organisation_id: i64,
    pub owner_name: String,
    pub assignee_name: String,
    pub due_on: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
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
    /// In order.
    pub agenda: Vec<String>,
    pub decisions: Vec<String>,
    pub attendance: Vec<AttendanceLine>,
    pub actions: Vec<MeetingAction>,
    /// Send it back when changing the meeting or who came.
    pub version: i64,
    pub created_at_rfc3339: String,
    pub updated_at_rfc3339: String,
}

impl From<commonground_store::meetings::Meeting> for Meeting {
    fn from(m: commonground_store::meetings::Meeting) -> Self {
        Meeting {
            id: m.id,
            collaboration_id: m.collaboration_id,
            body_id: m.body_id,
            body_name: m.body_name,
            title: m.title,
            held_on: m.held_on,
            starts_at: m.starts_at,
            duration_minutes: m.duration_minutes,
            place: m.place,
            minutes: m.minutes,
            agenda: m.agenda,
            decisions: m.decisions,
            attendance: m
                .attendance
                .into_iter()
                .map(|a| AttendanceLine {
                    user_id: a.user_id,
                    name: a.name,
                    organisation_id: a.organisation_id,
                    organisation_name: a.organisation_name,
                    status: a.status.code().into(),
                })
                .collect(),
            actions: m
                .actions
                .into_iter()
                .map(|a| MeetingAction {
                    task_id: a.task_id,
                    title: a.title,
                    status: a.status.code().into(),
                    owner_organisation_id: a.owner_organisation_id,
                    owner_name: a.owner_name,
                    assignee_name: a.assignee_name,
                    due_on: a.due_on,
                })
                .collect(),
            version: m.version,
            created_at_rfc3339: rfc3339(m.created_at),
            updated_at_rfc3339: rfc3339(m.updated_at),
        }
    }
}

/// A meeting as sent to add or change one.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MeetingBody {
    #[serde(default)]
    #[schema(required = true)]
    pub title: Option<String>,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    #[schema(required = true)]
    pub held_on: Option<String>,
    /// `HH:MM` on the 24-hour clock, local time.
    #[serde(default)]
    #[schema(required = true)]
    pub starts_at: Option<String>,
    /// 5 to 720.
    #[serde(default)]
    #[schema(required = true)]
    pub duration_minutes: Option<i64>,
    /// A place or a link to join.
    #[serde(default)]
    #[schema(required = true)]
    pub place: Option<String>,
    /// One of the collaboration's governance bodies, or null for the whole
    /// collaboration.
    #[serde(default)]
    pub body_id: Option<i64>,
    /// In order, one line each.
    #[serde(default)]
    pub agenda: Vec<String>,
    /// Markdown.
    #[serde(default)]
    pub minutes: Option<String>,
    /// One line each.
    #[serde(default)]
    pub decisions: Vec<String>,
    /// When changing: the version you read. Ignored when adding.
    #[serde(default)]
    pub version: Option<i64>,
}

struct Owned {
    duration: String,
    body: String,
    agenda: String,
    decisions: String,
}

/// A list item with a line break would become two; keep it one.
fn join(items: &[String]) -> String {
    items
        .iter()
        .map(|i| i.replace(['\r', '\n'], " "))
        .collect::<Vec<_>>()
        .join("\n")
}

impl MeetingBody {
    fn owned(&self) -> Owned {
        Owned {
            duration: self
                .duration_minutes
                .map(|d| d.to_string())
                .unwrap_or_default(),
            body: self.body_id.map(|b| b.to_string()).unwrap_or_default(),
            agenda: join(&self.agenda),
            decisions: join(&self.decisions),
        }
    }

    fn input<'a>(&'a self, o: &'a Owned) -> MeetingInput<'a> {
        MeetingInput {
            title: self.title.as_deref().unwrap_or(""),
            held_on: self.held_on.as_deref().unwrap_or(""),
            starts_at: self.starts_at.as_deref().unwrap_or(""),
            duration_minutes: &o.duration,
            place: self.place.as_deref().unwrap_or(""),
            body_id: &o.body,
            agenda: &o.agenda,
            minutes: self.minutes.as_deref().unwrap_or(""),
            decisions: &o.decisions,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MeetingParams {
    /// From 1; 25 meetings a page.
    pub page: Option<i64>,
}

/// Lists the collaboration's meetings, a page at a time.
#[utoipa::path(
    get,
    path = "/collaborations/{id}/meetings",
    tag = "implement",
    operation_id = "list_meetings",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The collaboration."), MeetingParams),
    responses(
        (status = 200, description = "Upcoming first, then past, newest first.", body = MeetingPage),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 404, response = NotFound),
    )
)]
pub async fn list_meetings(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
    Q(p): Q<MeetingParams>,
) -> Result<Json<MeetingPage>, AppError> {
    let v = actions::meetings::meetings(&state, &actor, id, p.page.unwrap_or(1)).await?;
    Ok(Json(MeetingPage {
        total: v.total,
        page: v.page,
        per_page: v.per_page,
        items: v
            .meetings
            .into_iter()
            .map(|m| MeetingSummary {
                id: m.id,
                title: m.title,
                held_on: m.held_on,
                starts_at: m.starts_at,
                duration_minutes: m.duration_minutes,
                place: m.place,
                body_name: m.body_name,
                present: m.present,
                actions: m.actions,
                has_minutes: m.has_minutes,
            })
            .collect(),
    }))
}

/// Adds a meeting. Not for observers.
#[utoipa::path(
    post,
    path = "/collaborations/{id}/meetings",
    tag = "implement",
    operation_id = "add_meeting",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The collaboration.")),
    request_body = MeetingBody,
    responses(
        (status = 201, description = "It was added.", body = Meeting),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 413, response = PayloadTooLarge),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn add_meeting(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
    ApiJson(body): ApiJson<MeetingBody>,
) -> Result<(StatusCode, Json<Meeting>), AppError> {
    let o = body.owned();
    let m = actions::meetings::add_meeting(&state, &actor, id, &body.input(&o)).await?;
    Ok((StatusCode::CREATED, Json(m.into())))
}

/// One meeting, whole.
#[utoipa::path(
    get,
    path = "/meetings/{mid}",
    tag = "implement",
    operation_id = "meeting",
    security(("bearer" = [])),
    params(("mid" = i64, Path, description = "The meeting.")),
    responses(
        (status = 200, description = "The meeting.", body = Meeting),
        (status = 401, response = Unauthenticated),
        (status = 404, response = NotFound),
    )
)]
pub async fn meeting(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(mid): P<i64>,
) -> Result<Json<Meeting>, AppError> {
    Ok(Json(
        actions::meetings::meeting(&state, &actor, mid)
            .await?
            .meeting
            .into(),
    ))
}

fn answer(u: MeetingUpdate) -> Response {
    match u {
        MeetingUpdate::Saved(m) => Json(Meeting::from(m)).into_response(),
        MeetingUpdate::Stale(m) => conflict_response(stale_message(&m), Meeting::from(m)),
    }
}

/// Changes a meeting with its agenda, minutes and decisions (who came and
/// the actions stay). Send the `version` you read: if someone else changed
/// it since, nothing is saved and the answer is 409 with the meeting as it
/// is now. Not for observers.
#[utoipa::path(
    put,
    path = "/meetings/{mid}",
    tag = "implement",
    operation_id = "update_meeting",
    security(("bearer" = [])),
    params(("mid" = i64, Path, description = "The meeting.")),
    request_body = MeetingBody,
    responses(
        (status = 200, description = "As saved, with its new version.", body = Meeting),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, description = "Someone else changed it first; nothing was saved. `current` is the meeting now.", content_type = "application/problem+json"),
        (status = 413, response = PayloadTooLarge),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn update_meeting(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(mid): P<i64>,
    ApiJson(body): ApiJson<MeetingBody>,
) -> Result<Response, AppError> {
    let o = body.owned();
    Ok(answer(
        actions::meetings::update_meeting(&state, &actor, mid, body.version, &body.input(&o))
            .await?,
    ))
}

/// Removes a meeting. Its actions stay in the action plan. Not for
/// observers.
#[utoipa::path(
    delete,
    path = "/meetings/{mid}",
    tag = "implement",
    operation_id = "delete_meeting",
    security(("bearer" = [])),
    params(("mid" = i64, Path, description = "The meeting.")),
    responses(
        (status = 204, description = "It was removed."),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    )
)]
pub async fn delete_meeting(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(mid): P<i64>,
) -> Result<StatusCode, AppError> {
    actions::meetings::delete_meeting(&state, &actor, mid).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A person recorded at a meeting for one of their organisations.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonAttendance {
    pub user_id: i64,
    pub organisation_id: i64,
    /// `present`, `apologies` or `absent`.
    pub status: String,
}

/// Who came, replacing what was recorded before.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttendanceBody {
    #[serde(default)]
    pub people: Vec<PersonAttendance>,
    /// Guests who came, by name.
    #[serde(default)]
    pub guests: Vec<String>,
    /// The meeting's version you read.
    #[serde(default)]
    #[schema(required = true)]
    pub version: Option<i64>,
}

/// Records who came: people of the organisations taking part (each for
/// one of their organisations) and guests by name. Not for observers.
#[utoipa::path(
    put,
    path = "/meetings/{mid}/attendance",
    tag = "implement",
    operation_id = "set_meeting_attendance",
    security(("bearer" = [])),
    params(("mid" = i64, Path, description = "The meeting.")),
    request_body = AttendanceBody,
    responses(
        (status = 200, description = "The meeting as saved, with its new version.", body = Meeting),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, description = "Someone else changed the meeting first; nothing was saved.", content_type = "application/problem+json"),
        (status = 413, response = PayloadTooLarge),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn set_meeting_attendance(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(mid): P<i64>,
    ApiJson(body): ApiJson<AttendanceBody>,
) -> Result<Response, AppError> {
    let input = AttendanceInput {
        people: body
            .people
            .iter()
            .map(|p| (p.user_id, p.organisation_id, p.status.clone()))
            .collect(),
        guests: join(&body.guests),
    };
    Ok(answer(
        actions::meetings::set_attendance(&state, &actor, mid, body.version, &input).await?,
    ))
}

/// An action agreed at a meeting, to become a task.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionBody {
    #[serde(default)]
    #[schema(required = true)]
    pub title: Option<String>,
    #[serde(default)]
    #[schema(required = true)]
    pub owner_organisation_id: Option<i64>,
    /// A member of the owner organisation, or null.
    #[serde(default)]
    pub assignee_id: Option<i64>,
    /// `YYYY-MM-DD`, or null.
    #[serde(default)]
    pub due_on: Option<String>,
}

/// Turns an action agreed at the meeting into a task of the action plan,
/// linked to the meeting. Not for observers.
#[utoipa::path(
    post,
    path = "/meetings/{mid}/actions",
    tag = "implement",
    operation_id = "add_meeting_action",
    security(("bearer" = [])),
    params(("mid" = i64, Path, description = "The meeting.")),
    request_body = ActionBody,
    responses(
        (status = 201, description = "The task was added; here is the action.", body = MeetingAction),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 413, response = PayloadTooLarge),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn add_meeting_action(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(mid): P<i64>,
    ApiJson(body): ApiJson<ActionBody>,
) -> Result<(StatusCode, Json<MeetingAction>), AppError> {
    let owner = body
        .owner_organisation_id
        .map(|o| o.to_string())
        .unwrap_or_default();
    let assignee = body.assignee_id.map(|a| a.to_string()).unwrap_or_default();
    let (_, t) = actions::meetings::add_action(
        &state,
        &actor,
        mid,
        &ActionInput {
            title: body.title.as_deref().unwrap_or(""),
            owner_organisation_id: &owner,
            assignee_id: &assignee,
            due_on: body.due_on.as_deref().unwrap_or(""),
        },
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(MeetingAction {
            task_id: t.id,
            title: t.title,
            status: t.status.code().into(),
            owner_organisation_id: t.owner_organisation_id,
            owner_name: t.owner_name,
            assignee_name: t.assignee_name,
            due_on: t.due_on,
        }),
    ))
}

/// The meeting as an iCalendar invitation (`text/calendar`), to add it to
/// a calendar. Times are local times as entered.
#[utoipa::path(
    get,
    path = "/meetings/{mid}/invite.ics",
    tag = "implement",
    operation_id = "meeting_invitation",
    security(("bearer" = [])),
    params(("mid" = i64, Path, description = "The meeting.")),
    responses(
        (status = 200, description = "One event.", content_type = "text/calendar", body = String),
        (status = 401, response = Unauthenticated),
        (status = 404, response = NotFound),
    )
)]
pub async fn meeting_invitation(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(mid): P<i64>,
) -> Result<Response, AppError> {
    let (name, ics) = actions::meetings::invitation(&state, &actor, mid).await?;
    Ok(crate::pages::meetings::ics_response(&name, ics))
}
