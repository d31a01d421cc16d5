//! The communications plan: who needs to hear what, why, through which
//! channel, from which partner and when; and the log of what went out.

use super::governance::conflict_response;
use super::{
    BadRequest, Forbidden, NotFound, PayloadTooLarge, Unauthenticated, Unprocessable, rfc3339,
};
use crate::AppState;
use crate::actions;
use crate::actions::comms::{FilterInput, ItemUpdate, due_state, parse_filter, stale_message};
use crate::auth::ApiCaller;
use crate::error::AppError;
use crate::extract::{ApiJson, P, Q};
use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use commonground_domain::comms::{ItemInput, LogInput};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// An item of the communications plan.
#[derive(Debug, Serialize, ToSchema)]
pub struct CommsItem {
    pub id: i64,
    pub collaboration_id: i64,
    /// Who it is for.
    pub audience: String,
    /// What it is for.
    pub purpose: String,
    pub key_message: String,
    /// `email`, `newsletter`, `social_media`, `website`, `press_release`,
    /// `meeting_or_event`, `letter`, `phone`, `leaflet_or_poster` or `other`.
    pub channel: String,
    pub channel_label: String,
    /// The organisation taking part that sends it; null when it has since
    /// been deleted.
    pub owner_organisation_id: Option<i64>,
    pub owner_organisation_name: Option<String>,
    /// A member of the owner organisation.
    pub owner_person_id: Option<i64>,
    pub owner_person_name: Option<String>,
    /// `once`, `weekly`, `monthly` or `quarterly`.
    pub timing: String,
    /// `YYYY-MM-DD`: the date, or the first date when it repeats.
    pub on_date: String,
    /// The timing in words, like "Every month from 2027-01-15".
    pub timing_words: String,
    /// `YYYY-MM-DD`: the next date due; null when nothing is due (done,
    /// dropped, or a one-off already logged).
    pub next_due_on: Option<String>,
    /// `nothing_due`, `upcoming`, `due_today` or `overdue` (UTC).
    pub due: String,
    /// Where it stands, in a sentence.
    pub due_words: String,
    /// `YYYY-MM-DD`: when the newest entry of its log was sent.
    pub last_sent_on: Option<String>,
    /// `planned`, `in_progress`, `done` or `dropped`.
    pub status: String,
    /// Send this as `version` to change the item.
    pub version: i64,
    pub updated_by_name: String,
    pub updated_at: i64,
    pub updated_at_rfc3339: String,
}

fn item_json(i: commonground_store::comms::CommsItem, today: &str) -> CommsItem {
    let nonempty = |s: String| (!s.is_empty()).then_some(s);
    let state = due_state(&i, today);
    CommsItem {
        due: state.code().to_string(),
        due_words: state.words(i.next_due_on.as_deref()),
        timing_words: i.timing.describe(&i.on_date),
        channel_label: i.channel.label().to_string(),
        id: i.id,
        collaboration_id: i.collaboration_id,
        audience: i.audience,
        purpose: i.purpose,
        key_message: i.key_message,
        channel: i.channel.code().to_string(),
        owner_organisation_id: i.owner_organisation_id,
        owner_organisation_name: nonempty(i.owner_organisation_name),
        owner_person_id: i.owner_person_id,
        owner_person_name: nonempty(i.owner_person_name),
        timing: i.timing.code().to_string(),
        on_date: i.on_date,
        next_due_on: i.next_due_on,
        last_sent_on: i.last_sent_on,
        status: i.status.code().to_string(),
        version: i.version,
        updated_by_name: i.updated_by_name,
        updated_at: i.updated_at,
        updated_at_rfc3339: rfc3339(i.updated_at),
    }
}

/// Something that went out for an item of the plan.
#[derive(Debug, Serialize, ToSchema)]
pub struct LogEntry {
    pub id: i64,
    /// The item of the plan it went out for.
    pub item_id: i64,
    /// `YYYY-MM-DD`.
    pub sent_on: String,
    /// What went out.
    pub what: String,
    pub channel: String,
    pub channel_label: String,
    /// An http or https address.
    pub link: Option<String>,
    pub notes: String,
    pub recorded_by_name: String,
    pub recorded_at: i64,
    pub recorded_at_rfc3339: String,
}

impl From<commonground_store::comms::LogEntry> for LogEntry {
    fn from(e: commonground_store::comms::LogEntry) -> Self {
        LogEntry {
            id: e.id,
            item_id: e.item_id,
            sent_on: e.sent_on,
            what: e.what,
            channel: e.channel.code().to_string(),
            channel_label: e.channel.label().to_string(),
            link: e.link,
            notes: e.notes,
            recorded_by_name: e.recorded_by_name,
            recorded_at: e.recorded_at,
            recorded_at_rfc3339: rfc3339(e.recorded_at),
        }
    }
}

/// An item with its log.
#[derive(Debug, Serialize, ToSchema)]
pub struct CommsDetail {
    #[serde(flatten)]
    pub item: CommsItem,
    /// Newest first.
    pub log: Vec<LogEntry>,
    /// You may change it (observers may not).
    pub can_contribute: bool,
}

/// One page of the plan.
#[derive(Debug, Serialize, ToSchema)]
pub struct CommsPage {
    /// How many items match, on every page.
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
    /// Items planned or in progress whose next date due has passed,
    /// whatever the filters.
    pub overdue: i64,
    /// Soonest due first; then items with nothing due, latest date first.
    pub items: Vec<CommsItem>,
}

/// Which items to list. Every filter narrows the list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CommsParams {
    /// `planned`, `in_progress`, `done` or `dropped`.
    pub status: Option<String>,
    /// One of the channels, like `newsletter`.
    pub channel: Option<String>,
    /// The organisation that sends it.
    pub owner_organisation_id: Option<String>,
    /// From 1.
    pub page: Option<String>,
    /// From 1 to 200; 25 when not given.
    pub per_page: Option<String>,
}

impl CommsParams {
    fn input(self) -> FilterInput {
        FilterInput {
            status: self.status.unwrap_or_default(),
            channel: self.channel.unwrap_or_default(),
            owner_organisation_id: self.owner_organisation_id.unwrap_or_default(),
            page: self.page.unwrap_or_default(),
            per_page: self.per_page.unwrap_or_default(),
        }
    }
}

/// An item as sent to add or change one. Changing sends every field
/// again, with `version`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommsBody {
    /// Who it is for, up to 200 characters.
    #[serde(default)]
    #[schema(required = true)]
    pub audience: Option<String>,
    /// What it is for, up to 300 characters.
    #[serde(default)]
    #[schema(required = true)]
    pub purpose: Option<String>,
    /// Up to 2,000 characters.
    #[serde(default)]
    #[schema(required = true)]
    pub key_message: Option<String>,
    /// One of the channels, like `newsletter`.
    #[serde(default)]
    #[schema(required = true)]
    pub channel: Option<String>,
    /// An organisation taking part.
    #[serde(default)]
    #[schema(required = true)]
    pub owner_organisation_id: Option<i64>,
    /// A member of the owner organisation, or null.
    #[serde(default)]
    pub owner_person_id: Option<i64>,
    /// `once` (the default), `weekly`, `monthly` or `quarterly`.
    #[serde(default)]
    pub timing: Option<String>,
    /// `YYYY-MM-DD`: the date, or the first date when it repeats.
    #[serde(default)]
    #[schema(required = true)]
    pub on_date: Option<String>,
    /// `planned` (the default), `in_progress`, `done` or `dropped`.
    #[serde(default)]
    pub status: Option<String>,
    /// Only when changing: the item's `version` you read.
    #[serde(default)]
    pub version: Option<i64>,
}

struct Owned {
    owner: String,
    person: String,
}

impl CommsBody {
    fn owned(&self) -> Owned {
        Owned {
            owner: self
                .owner_organisation_id
                .map(|o| o.to_string())
                .unwrap_or_default(),
            person: self
                .owner_person_id
                .map(|p| p.to_string())
                .unwrap_or_default(),
        }
    }

    fn input<'a>(&'a self, o: &'a Owned) -> ItemInput<'a> {
        ItemInput {
            audience: self.audience.as_deref().unwrap_or(""),
            purpose: self.purpose.as_deref().unwrap_or(""),
            key_message: self.key_message.as_deref().unwrap_or(""),
            channel: self.channel.as_deref().unwrap_or(""),
            owner_organisation_id: &o.owner,
            owner_person_id: &o.person,
            timing: self.timing.as_deref().unwrap_or(""),
            on_date: self.on_date.as_deref().unwrap_or(""),
            status: self.status.as_deref().unwrap_or(""),
        }
    }
}

/// What went out, as sent to log it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LogBody {
    /// `YYYY-MM-DD`, not after today (UTC).
    #[serde(default)]
    #[schema(required = true)]
    pub sent_on: Option<String>,
    /// What went out, up to 200 characters.
    #[serde(default)]
    #[schema(required = true)]
    pub what: Option<String>,
    /// One of the channels; the item's own when not given.
    #[serde(default)]
    pub channel: Option<String>,
    /// An http or https address, up to 500 characters.
    #[serde(default)]
    pub link: Option<String>,
    /// Up to 2,000 characters.
    #[serde(default)]
    pub notes: Option<String>,
}

/// One page of the collaboration's communications plan, with filters.
#[utoipa::path(
    get,
    path = "/collaborations/{id}/comms",
    tag = "implement",
    operation_id = "list_comms",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The collaboration."), CommsParams),
    responses(
        (status = 200, description = "A page of the plan.", body = CommsPage),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 404, response = NotFound),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn list_comms(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
    Q(p): Q<CommsParams>,
) -> Result<Response, AppError> {
    let (filter, page) = parse_filter(&p.input())?;
    // The same for everyone who may see the collaboration: written once
    // per revision and day.
    let body = actions::comms::comms_answer_kept(&state, &actor, id, (&filter, page), |v| {
        serde_json::to_vec(&CommsPage {
            total: v.total,
            page: page.number,
            per_page: page.size,
            overdue: v.overdue,
            items: v
                .items
                .iter()
                .cloned()
                .map(|i| item_json(i, &v.today))
                .collect(),
        })
        .map_err(|e| AppError::Internal(format!("write the plan as JSON: {e}")))
    })
    .await?;
    Ok((
        [(header::CONTENT_TYPE, "application/json")],
        crate::cache::lent(body),
    )
        .into_response())
}

/// Adds an item to the plan. Not for observers.
#[utoipa::path(
    post,
    path = "/collaborations/{id}/comms",
    tag = "implement",
    operation_id = "add_comms",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The collaboration.")),
    request_body = CommsBody,
    responses(
        (status = 201, description = "It was added.", body = CommsItem),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 413, response = PayloadTooLarge),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn add_comms(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
    ApiJson(body): ApiJson<CommsBody>,
) -> Result<(StatusCode, Json<CommsItem>), AppError> {
    if body.version.is_some() {
        return Err(AppError::invalid(
            "version",
            "Send a version only when changing an item.",
        ));
    }
    let o = body.owned();
    let i = actions::comms::create_item(&state, &actor, id, &body.input(&o)).await?;
    let today = actions::tasks::today(&state);
    Ok((StatusCode::CREATED, Json(item_json(i, &today))))
}

/// An item of the plan with its log.
#[utoipa::path(
    get,
    path = "/comms/{cid}",
    tag = "implement",
    operation_id = "comms_item",
    security(("bearer" = [])),
    params(("cid" = i64, Path, description = "The item of the plan.")),
    responses(
        (status = 200, description = "The item.", body = CommsDetail),
        (status = 401, response = Unauthenticated),
        (status = 404, response = NotFound),
    )
)]
pub async fn comms_item(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(cid): P<i64>,
) -> Result<Json<CommsDetail>, AppError> {
    let d = actions::comms::comms_detail(&state, &actor, cid).await?;
    Ok(Json(CommsDetail {
        item: item_json(d.item, &d.today),
        log: d.log.into_iter().map(Into::into).collect(),
        can_contribute: d.can_contribute,
    }))
}

/// Changes an item: send every field again and the `version` you read. If
/// someone else changed it since, nothing is saved and the answer is 409
/// with the item as it is now. Not for observers.
#[utoipa::path(
    put,
    path = "/comms/{cid}",
    tag = "implement",
    operation_id = "update_comms",
    security(("bearer" = [])),
    params(("cid" = i64, Path, description = "The item of the plan.")),
    request_body = CommsBody,
    responses(
        (status = 200, description = "As saved, with its new version.", body = CommsItem),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, description = "Someone else changed it first; nothing was saved. `current` is the item now.", content_type = "application/problem+json"),
        (status = 413, response = PayloadTooLarge),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn update_comms(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(cid): P<i64>,
    ApiJson(body): ApiJson<CommsBody>,
) -> Result<Response, AppError> {
    let o = body.owned();
    let version = body.version.map(|v| v.to_string()).unwrap_or_default();
    let today = actions::tasks::today(&state);
    Ok(
        match actions::comms::update_item(&state, &actor, cid, &version, &body.input(&o)).await? {
            ItemUpdate::Saved(i) => Json(item_json(i, &today)).into_response(),
            ItemUpdate::Stale(i) => conflict_response(stale_message(&i), item_json(i, &today)),
        },
    )
}

/// Removes an item and its log. To keep it on record, set its status to
/// `dropped` instead. Not for observers.
#[utoipa::path(
    delete,
    path = "/comms/{cid}",
    tag = "implement",
    operation_id = "delete_comms",
    security(("bearer" = [])),
    params(("cid" = i64, Path, description = "The item of the plan.")),
    responses(
        (status = 204, description = "It was removed."),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    )
)]
pub async fn delete_comms(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(cid): P<i64>,
) -> Result<StatusCode, AppError> {
    actions::comms::delete_item(&state, &actor, cid).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// What went out for an item, newest first.
#[utoipa::path(
    get,
    path = "/comms/{cid}/log",
    tag = "implement",
    operation_id = "comms_log",
    security(("bearer" = [])),
    params(("cid" = i64, Path, description = "The item of the plan.")),
    responses(
        (status = 200, description = "Its log, newest first.", body = Vec<LogEntry>),
        (status = 401, response = Unauthenticated),
        (status = 404, response = NotFound),
    )
)]
pub async fn comms_log(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(cid): P<i64>,
) -> Result<Json<Vec<LogEntry>>, AppError> {
    let d = actions::comms::comms_detail(&state, &actor, cid).await?;
    Ok(Json(d.log.into_iter().map(Into::into).collect()))
}

/// Logs what went out for an item; its next date due moves on. Not for
/// observers.
#[utoipa::path(
    post,
    path = "/comms/{cid}/log",
    tag = "implement",
    operation_id = "log_comms",
    security(("bearer" = [])),
    params(("cid" = i64, Path, description = "The item of the plan.")),
    request_body = LogBody,
    responses(
        (status = 201, description = "It was logged.", body = LogEntry),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 413, response = PayloadTooLarge),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn log_comms(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(cid): P<i64>,
    ApiJson(body): ApiJson<LogBody>,
) -> Result<(StatusCode, Json<LogEntry>), AppError> {
    let s = |v: &Option<String>| v.clone().unwrap_or_default();
    let (sent_on, what, channel, link, notes) = (
        s(&body.sent_on),
        s(&body.what),
        s(&body.channel),
        s(&body.link),
        s(&body.notes),
    );
    let (_, entry) = actions::comms::add_log(
        &state,
        &actor,
        cid,
        &LogInput {
            sent_on: &sent_on,
            what: &what,
            channel: &channel,
            link: &link,
            notes: &notes,
        },
    )
    .await?;
    Ok((StatusCode::CREATED, Json(entry.into())))
}

/// Removes an entry logged by mistake; its item's next date due is worked
/// out again. Not for observers.
#[utoipa::path(
    delete,
    path = "/comms-log/{lid}",
    tag = "implement",
    operation_id = "delete_comms_log",
    security(("bearer" = [])),
    params(("lid" = i64, Path, description = "The log entry.")),
    responses(
        (status = 204, description = "It was removed."),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    )
)]
pub async fn delete_comms_log(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(lid): P<i64>,
) -> Result<StatusCode, AppError> {
    actions::comms::delete_log(&state, &actor, lid).await?;
    Ok(StatusCode::NO_CONTENT)
}
