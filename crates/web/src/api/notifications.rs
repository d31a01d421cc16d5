//! The person's notifications and how each kind reaches them by email.

use super::{
    BadRequest, NotFound, PayloadTooLarge, Unauthenticated, Unprocessable, rfc3339, rfc3339_opt,
};
use crate::AppState;
use crate::actions;
use crate::auth::ApiCaller;
use crate::error::AppError;
use crate::extract::{ApiJson, P, Q};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use commonground_domain::notifications::{Delivery as DomainDelivery, Kind, Settings};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// How a kind of notification reaches the person: `immediately` (an
/// email at once), `digest` (in one email a day) or `never` (no email;
/// it is still listed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    Immediately,
    Digest,
    Never,
}

impl From<DomainDelivery> for Delivery {
    fn from(d: DomainDelivery) -> Self {
        match d {
            DomainDelivery::Immediately => Delivery::Immediately,
            DomainDelivery::Digest => Delivery::Digest,
            DomainDelivery::Never => Delivery::Never,
        }
    }
}

impl Delivery {
    fn code(self) -> &'static str {
        match self {
            Delivery::Immediately => "immediately",
            Delivery::Digest => "digest",
            Delivery::Never => "never",
        }
    }
}

/// One notification.
#[derive(Debug, Serialize, ToSchema)]
pub struct Notification {
    pub id: i64,
    /// `assigned`, `dependency_done`, `due_soon`, `overdue`,
    /// `approval_needed`, `vote_opened`, `vote_closing_soon` or
    /// `problem_escalated`.
    pub kind: String,
    pub collaboration_id: Option<i64>,
    /// What happened, in a sentence.
    pub sentence: String,
    /// The page it is about, as a path on this site.
    pub link: String,
    pub created_at: i64,
    pub created_at_rfc3339: String,
    /// When it was marked read; null while unread.
    pub read_at: Option<i64>,
    pub read_at_rfc3339: Option<String>,
}

/// A page of notifications, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationPage {
    /// How many match (all, or the unread ones with `unread=true`).
    pub total: i64,
    /// How many are unread.
    pub unread: i64,
    pub items: Vec<Notification>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NotificationParams {
    /// `true` for only the unread ones.
    pub unread: Option<String>,
    /// From 1; 25 notifications a page.
    pub page: Option<String>,
}

#[utoipa::path(
    get,
    path = "/notifications",
    tag = "notifications",
    operation_id = "list_notifications",
    security(("bearer" = [])),
    params(NotificationParams),
    responses(
        (status = 200, description = "A page of your notifications.", body = NotificationPage),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Q(p): Q<NotificationParams>,
) -> Result<Json<NotificationPage>, AppError> {
    let unread_only = match p.unread.as_deref().map(str::trim) {
        None | Some("") | Some("false") | Some("0") => false,
        Some("true") | Some("1") => true,
        Some(_) => return Err(AppError::invalid("unread", "Send true or false.")),
    };
    let page = match p.page.as_deref().map(str::trim) {
        None | Some("") => 1,
        Some(raw) => raw
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=100_000).contains(n))
            .ok_or_else(|| AppError::invalid("page", "Send a page number from 1."))?,
    };
    let v = actions::notifications::list(&state, &actor, unread_only, page).await?;
    Ok(Json(NotificationPage {
        total: v.total,
        unread: v.unread,
        items: v
            .items
            .into_iter()
            .map(|n| Notification {
                id: n.id,
                kind: n.kind.code().to_string(),
                collaboration_id: n.collaboration_id,
                sentence: n.sentence,
                link: n.link,
                created_at: n.created_at,
                created_at_rfc3339: rfc3339(n.created_at),
                read_at: n.read_at,
                read_at_rfc3339: rfc3339_opt(n.read_at),
            })
            .collect(),
    }))
}

#[utoipa::path(
    post,
    path = "/notifications/{nid}/read",
    tag = "notifications",
    operation_id = "mark_notification_read",
    security(("bearer" = [])),
    params(("nid" = i64, Path, description = "The notification.")),
    responses(
        (status = 204, description = "It is marked as read."),
        (status = 401, response = Unauthenticated),
        (status = 404, response = NotFound),
    )
)]
pub async fn mark_read(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(nid): P<i64>,
) -> Result<StatusCode, AppError> {
    actions::notifications::mark_read(&state, &actor, nid).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// How many were marked read.
#[derive(Debug, Serialize, ToSchema)]
pub struct MarkedRead {
    pub marked: u64,
}

#[utoipa::path(
    post,
    path = "/notifications/read-all",
    tag = "notifications",
    operation_id = "mark_all_notifications_read",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Every notification is marked as read.", body = MarkedRead),
        (status = 401, response = Unauthenticated),
    )
)]
pub async fn mark_all_read(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
) -> Result<Json<MarkedRead>, AppError> {
    let marked = actions::notifications::mark_all_read(&state, &actor).await?;
    Ok(Json(MarkedRead { marked }))
}

/// How each kind of notification reaches you by email.
#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationSettings {
    pub assigned: Delivery,
    pub dependency_done: Delivery,
    pub due_soon: Delivery,
    pub overdue: Delivery,
    pub approval_needed: Delivery,
    pub vote_opened: Delivery,
    pub vote_closing_soon: Delivery,
    pub problem_escalated: Delivery,
}

/// The kinds to change; those left out keep their choice.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NotificationSettingsChange {
    pub assigned: Option<Delivery>,
    pub dependency_done: Option<Delivery>,
    pub due_soon: Option<Delivery>,
    pub overdue: Option<Delivery>,
    pub approval_needed: Option<Delivery>,
    pub vote_opened: Option<Delivery>,
    pub vote_closing_soon: Option<Delivery>,
    pub problem_escalated: Option<Delivery>,
}

fn settings_out(s: &Settings) -> NotificationSettings {
    let g = |k| Delivery::from(s.get(k));
    NotificationSettings {
        assigned: g(Kind::Assigned),
        dependency_done: g(Kind::DependencyDone),
        due_soon: g(Kind::DueSoon),
        overdue: g(Kind::Overdue),
        approval_needed: g(Kind::ApprovalNeeded),
        vote_opened: g(Kind::VoteOpened),
        vote_closing_soon: g(Kind::VoteClosingSoon),
        problem_escalated: g(Kind::ProblemEscalated),
    }
}

#[utoipa::path(
    get,
    path = "/me/notification-settings",
    tag = "notifications",
    operation_id = "notification_settings",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Your choices.", body = NotificationSettings),
        (status = 401, response = Unauthenticated),
    )
)]
pub async fn settings(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
) -> Result<Json<NotificationSettings>, AppError> {
    let s = actions::notifications::settings(&state, &actor).await?;
    Ok(Json(settings_out(&s)))
}

#[utoipa::path(
    put,
    path = "/me/notification-settings",
    tag = "notifications",
    operation_id = "change_notification_settings",
    security(("bearer" = [])),
    request_body = NotificationSettingsChange,
    responses(
        (status = 200, description = "Your choices, as saved.", body = NotificationSettings),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 413, response = PayloadTooLarge),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn change_settings(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    ApiJson(c): ApiJson<NotificationSettingsChange>,
) -> Result<Json<NotificationSettings>, AppError> {
    let sent: Vec<(String, String)> = [
        (Kind::Assigned, c.assigned),
        (Kind::DependencyDone, c.dependency_done),
        (Kind::DueSoon, c.due_soon),
        (Kind::Overdue, c.overdue),
        (Kind::ApprovalNeeded, c.approval_needed),
        (Kind::VoteOpened, c.vote_opened),
        (Kind::VoteClosingSoon, c.vote_closing_soon),
        (Kind::ProblemEscalated, c.problem_escalated),
    ]
    .into_iter()
    .filter_map(|(k, d)| d.map(|d| (k.code().to_string(), d.code().to_string())))
    .collect();
    let s = actions::notifications::save_settings(&state, &actor, &sent).await?;
    Ok(Json(settings_out(&s)))
}
