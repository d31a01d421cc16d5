//! The forward strategy (each partner's position and the way forward the
//! partners decide) and starting the next cycle.

use super::collaborations::Collaboration;
use super::proposals::{Proposal, proposal_json};
use super::{
    BadRequest, Conflict, Forbidden, NotFound, PayloadTooLarge, Unauthenticated, Unprocessable,
    rfc3339,
};
use crate::AppState;
use crate::actions;
use crate::actions::forward::WayForwardInput;
use crate::auth::ApiCaller;
use crate::error::AppError;
use crate::extract::{ApiJson, P};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use commonground_domain::forward::PositionInput;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An organisation's position on the way forward.
#[derive(Debug, Serialize, ToSchema)]
pub struct Position {
    /// `continue`, `deepen`, `widen`, `change_model`, `merge` or `wind_down`.
    pub option: String,
    /// Markdown.
    pub reasons: String,
    /// Markdown; may be empty.
    pub next_steps: String,
    /// Send this back when changing the position.
    pub version: i64,
    pub recorded_by_name: String,
    pub recorded_at: i64,
    pub recorded_at_rfc3339: String,
}

/// A lead or partner organisation and its position (null when it has not
/// recorded one).
#[derive(Debug, Serialize, ToSchema)]
pub struct PartyPosition {
    pub organisation_id: i64,
    pub organisation_name: String,
    /// A lead organisation.
    pub lead: bool,
    pub position: Option<Position>,
    /// You may record or change this organisation's position.
    pub can_record: bool,
}

fn party_json(p: commonground_store::forward::PartyPosition, can_record: bool) -> PartyPosition {
    PartyPosition {
        organisation_id: p.organisation_id,
        organisation_name: p.organisation_name,
        lead: p.lead,
        can_record,
        position: p.position.map(|x| Position {
            option: x.option.code().to_string(),
            reasons: x.reasons,
            next_steps: x.next_steps,
            version: x.version,
            recorded_by_name: x.recorded_by_name,
            recorded_at: x.recorded_at,
            recorded_at_rfc3339: rfc3339(x.recorded_at),
        }),
    }
}

/// A way forward put to the partners as a proposal.
#[derive(Debug, Serialize, ToSchema)]
pub struct WayForward {
    pub id: i64,
    /// The proposal that decides it.
    pub proposal_id: i64,
    /// `continue`, `deepen`, `widen`, `change_model`, `merge` or `wind_down`.
    pub option: String,
    /// Markdown.
    pub reasons: String,
    /// Markdown.
    pub next_steps: String,
    pub proposed_by_name: String,
    /// The governance group it was put to.
    pub body_name: String,
    /// `YYYY-MM-DD`: votes are taken until the end of this day (UTC).
    pub closes_on: String,
    /// `passed`, `not_passed` or `blocked` once the proposal's outcome is
    /// written; null while it is open.
    pub result: Option<String>,
    /// Agreed: the outcome was written with the result passed.
    pub agreed: bool,
    /// The decisions log's entry, once the outcome is written.
    pub decision_id: Option<i64>,
    pub created_at: i64,
    pub created_at_rfc3339: String,
}

impl From<commonground_store::forward::Way> for WayForward {
    fn from(w: commonground_store::forward::Way) -> Self {
        WayForward {
            agreed: w.is_agreed(),
            id: w.id,
            proposal_id: w.proposal_id,
            option: w.option.code().to_string(),
            reasons: w.reasons,
            next_steps: w.next_steps,
            proposed_by_name: w.proposed_by_name,
            body_name: w.body_name,
            closes_on: w.closes_on,
            result: w.result.map(|r| r.code().to_string()),
            decision_id: w.decision_id,
            created_at: w.created_at,
            created_at_rfc3339: rfc3339(w.created_at),
        }
    }
}

/// The way forward waiting for its decision, with its proposal now.
#[derive(Debug, Serialize, ToSchema)]
pub struct OpenWayForward {
    pub way_forward: WayForward,
    pub proposal: Proposal,
}

/// Every partner's position, the way forward waiting for a decision and
/// the agreed way forward.
#[derive(Debug, Serialize, ToSchema)]
pub struct ForwardStrategy {
    /// Every lead and partner organisation, by name.
    pub positions: Vec<PartyPosition>,
    /// The ids of those that have not recorded a position yet.
    pub missing: Vec<i64>,
    /// The way forward put to the partners and not yet decided, if any.
    pub open: Option<OpenWayForward>,
    /// The way forward the partners agreed, if any.
    pub agreed: Option<WayForward>,
    /// Every way forward put so far, newest first (at most 20).
    pub ways_forward: Vec<WayForward>,
    /// You act for the lead organisation: you may put a way forward.
    pub can_propose: bool,
}

/// Every partner's position, the way forward being decided, and the agreed
/// way forward.
#[utoipa::path(
    get,
    path = "/collaborations/{id}/forward-strategy",
    tag = "review",
    operation_id = "forward_strategy",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The collaboration.")),
    responses(
        (status = 200, description = "The forward strategy.", body = ForwardStrategy),
        (status = 401, response = Unauthenticated),
        (status = 404, response = NotFound),
    )
)]
pub async fn forward_strategy(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
) -> Result<Json<ForwardStrategy>, AppError> {
    let v = actions::forward::forward(&state, &actor, id).await?;
    let missing = v.missing().iter().map(|p| p.organisation_id).collect();
    Ok(Json(ForwardStrategy {
        missing,
        positions: v
            .parties
            .into_iter()
            .map(|p| {
                let can = v.speaks_for.contains(&p.organisation_id);
                party_json(p, can)
            })
            .collect(),
        open: v.open.map(|(w, p)| OpenWayForward {
            way_forward: w.into(),
            proposal: proposal_json(p),
        }),
        agreed: v.agreed.map(Into::into),
        ways_forward: v.ways.into_iter().map(Into::into).collect(),
        can_propose: v.can_propose,
    }))
}

/// A position, with the version it was read at.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SavePosition {
    /// `continue`, `deepen`, `widen`, `change_model`, `merge` or `wind_down`.
    pub option: String,
    /// Markdown, 1 to 5,000 characters.
    pub reasons: String,
    /// Markdown, up to 5,000 characters.
    #[serde(default)]
    pub next_steps: Option<String>,
    /// The position's `version` when it was read, or 0 when there was
    /// none. A stale one is refused (409).
    pub version: i64,
}

/// Records or changes an organisation's position, if nobody saved it since
/// `version`. For an admin of the organisation or the person who sits on a
/// governance group for it.
#[utoipa::path(
    put,
    path = "/collaborations/{id}/forward-strategy/positions/{org_id}",
    tag = "review",
    operation_id = "save_forward_position",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "The collaboration."),
        ("org_id" = i64, Path, description = "The lead or partner organisation."),
    ),
    request_body = SavePosition,
    responses(
        (status = 200, description = "The organisation with its position as saved.", body = PartyPosition),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 413, response = PayloadTooLarge),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn save_position(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P((id, org_id)): P<(i64, i64)>,
    ApiJson(b): ApiJson<SavePosition>,
) -> Result<Json<PartyPosition>, AppError> {
    let input = PositionInput {
        option: &b.option,
        reasons: &b.reasons,
        next_steps: b.next_steps.as_deref().unwrap_or(""),
    };
    let p =
        actions::forward::save_position(&state, &actor, id, org_id, &input, &b.version.to_string())
            .await?;
    Ok(Json(party_json(p, true)))
}

/// A way forward to put to the partners.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewWayForward {
    /// `continue`, `deepen`, `widen`, `change_model`, `merge` or `wind_down`.
    pub option: String,
    /// Markdown, 1 to 5,000 characters.
    pub reasons: String,
    /// Markdown, 1 to 5,000 characters.
    pub next_steps: String,
    /// The governance group that decides; may be left out when the
    /// collaboration has only one.
    #[serde(default)]
    pub body_id: Option<i64>,
    /// `YYYY-MM-DD`, today or later: the last day of voting.
    pub closes_on: String,
}

/// Puts a way forward to the partners as a proposal to a governance group,
/// decided under its rule. For the lead organisation; one open at a time.
#[utoipa::path(
    post,
    path = "/collaborations/{id}/forward-strategy/way-forward",
    tag = "review",
    operation_id = "put_way_forward",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The collaboration.")),
    request_body = NewWayForward,
    responses(
        (status = 201, description = "The way forward is put to the partners.", body = WayForward),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 413, response = PayloadTooLarge),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn put_way_forward(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
    ApiJson(b): ApiJson<NewWayForward>,
) -> Result<(StatusCode, Json<WayForward>), AppError> {
    let body_id = b.body_id.map(|v| v.to_string()).unwrap_or_default();
    let input = WayForwardInput {
        position: PositionInput {
            option: &b.option,
            reasons: &b.reasons,
            next_steps: &b.next_steps,
        },
        body_id: &body_id,
        closes_on: &b.closes_on,
    };
    let w = actions::forward::put_way_forward(&state, &actor, id, &input).await?;
    Ok((StatusCode::CREATED, Json(w.into())))
}

/// Starts the next cycle: a new collaboration in the Identify stage, led by
/// your organisation, linked to this one, with the aims still open as draft
/// aims, the lessons, and the other organisations invited again. For an
/// admin of the lead organisation, in the Review stage, once.
#[utoipa::path(
    post,
    path = "/collaborations/{id}/next-cycle",
    tag = "review",
    operation_id = "start_next_cycle",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The collaboration.")),
    responses(
        (status = 201, description = "The next cycle was opened.", body = Collaboration),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
    )
)]
pub async fn start_next_cycle(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
) -> Result<(StatusCode, Json<Collaboration>), AppError> {
    let next = actions::forward::start_next_cycle(&state, &actor, id).await?;
    let v = actions::collaborations::collaboration(&state, &actor, next.id).await?;
    Ok((StatusCode::CREATED, Json(v.into())))
}
