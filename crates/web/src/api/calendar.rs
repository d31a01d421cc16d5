//! Calendar feeds of tasks: each person's secret address for a
//! collaboration's tasks (with the task list's filters) and for their own
//! tasks. The feed at the address answers `text/calendar` to a plain GET
//! with no other credentials.

use super::tasks::TaskParams;
use super::{BadRequest, NotFound, Unauthenticated, Unprocessable, rfc3339};
use crate::AppState;
use crate::actions;
use crate::actions::calendar::FeedState;
use crate::auth::ApiCaller;
use crate::error::AppError;
use crate::extract::{P, Q};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;

/// A calendar feed's secret address. Only a fingerprint of the secret is
/// kept, so the address itself is given once, when it is made (POST);
/// reading the feed's state (GET) gives `url` null. Making a new address
/// stops the old one: it then answers 404.
#[derive(Debug, Serialize, ToSchema)]
pub struct CalendarAddress {
    /// The feed's address, only in the answer to the POST that made it.
    /// Subscribe to it in a calendar app; it needs no sign-in.
    pub url: Option<String>,
    /// Whether you have an address for this feed now.
    pub active: bool,
    pub made_at: Option<i64>,
    pub made_at_rfc3339: Option<String>,
}

fn address(s: &FeedState, url: Option<String>) -> CalendarAddress {
    CalendarAddress {
        url,
        active: s.made_at.is_some(),
        made_at: s.made_at,
        made_at_rfc3339: s.made_at.map(rfc3339),
    }
}

/// Whether you have a calendar address for the collaboration's tasks.
#[utoipa::path(
    get,
    path = "/collaborations/{id}/calendar",
    tag = "implement",
    operation_id = "collaboration_calendar",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The collaboration.")),
    responses(
        (status = 200, description = "The feed's state; `url` is null.", body = CalendarAddress),
        (status = 401, response = Unauthenticated),
        (status = 404, response = NotFound),
    )
)]
pub async fn collaboration_calendar(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
) -> Result<Json<CalendarAddress>, AppError> {
    let s = actions::calendar::collaboration_feed(&state, &actor, id).await?;
    Ok(Json(address(&s, None)))
}

/// Makes a new secret address for the collaboration's tasks, carrying the
/// task list's filters given here (`view` is `open` when not given); your
/// old address for it stops working. Everyone taking part may, observers
/// too.
#[utoipa::path(
    post,
    path = "/collaborations/{id}/calendar",
    tag = "implement",
    operation_id = "reset_collaboration_calendar",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The collaboration."), TaskParams),
    responses(
        (status = 201, description = "The new address, given only now.", body = CalendarAddress),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 404, response = NotFound),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn reset_collaboration_calendar(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
    Q(p): Q<TaskParams>,
) -> Result<(StatusCode, Json<CalendarAddress>), AppError> {
    let mut f = p.input();
    f.page.clear();
    f.per_page.clear();
    let url = actions::calendar::reset_collaboration_feed(&state, &actor, id, &f).await?;
    let s = actions::calendar::collaboration_feed(&state, &actor, id).await?;
    Ok((StatusCode::CREATED, Json(address(&s, Some(url)))))
}

/// Whether you have a calendar address for your own tasks across
/// collaborations (as on `/me/tasks`, those with a due date).
#[utoipa::path(
    get,
    path = "/me/calendar",
    tag = "implement",
    operation_id = "my_calendar",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The feed's state; `url` is null.", body = CalendarAddress),
        (status = 401, response = Unauthenticated),
    )
)]
pub async fn my_calendar(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
) -> Result<Json<CalendarAddress>, AppError> {
    let s = actions::calendar::my_feed(&state, &actor).await?;
    Ok(Json(address(&s, None)))
}

/// Makes a new secret address for your own tasks; the old one stops
/// working.
#[utoipa::path(
    post,
    path = "/me/calendar",
    tag = "implement",
    operation_id = "reset_my_calendar",
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The new address, given only now.", body = CalendarAddress),
        (status = 401, response = Unauthenticated),
    )
)]
pub async fn reset_my_calendar(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
) -> Result<(StatusCode, Json<CalendarAddress>), AppError> {
    let url = actions::calendar::reset_my_feed(&state, &actor).await?;
    let s = actions::calendar::my_feed(&state, &actor).await?;
    Ok((StatusCode::CREATED, Json(address(&s, Some(url)))))
}
