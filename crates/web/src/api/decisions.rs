//! The decisions log and the links from each decision to what it affects.

use super::{
    BadRequest, Forbidden, NotFound, PayloadTooLarge, Unauthenticated, Unprocessable, rfc3339,
};
use crate::AppState;
use crate::actions;
use crate::actions::decisions::{FilterInput, parse_filter};
use crate::auth::ApiCaller;
use crate::error::AppError;
use crate::extract::{ApiJson, P, Q};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use commonground_domain::decisions::{
    DecisionInput, HowTaken as DomainHow, LinkKind as DomainKind,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// How a decision was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum HowTaken {
    Meeting,
    Vote,
    Lead,
    GovernanceBody,
}

impl From<DomainHow> for HowTaken {
    fn from(h: DomainHow) -> Self {
        match h {
            DomainHow::Meeting => HowTaken::Meeting,
            DomainHow::Vote => HowTaken::Vote,
            DomainHow::Lead => HowTaken::Lead,
            DomainHow::GovernanceBody => HowTaken::GovernanceBody,
        }
    }
}

/// What a decision can affect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    Task,
    Problem,
    Aim,
}

impl From<DomainKind> for LinkKind {
    fn from(k: DomainKind) -> Self {
        match k {
            DomainKind::Task => LinkKind::Task,
            DomainKind::Problem => LinkKind::Problem,
            DomainKind::Aim => LinkKind::Aim,
        }
    }
}

/// A decision in the log.
#[derive(Debug, Serialize, ToSchema)]
pub struct DecisionSummary {
    pub id: i64,
    pub collaboration_id: i64,
    pub title: String,
    /// What was decided, plain text.
    pub decided: String,
    /// `YYYY-MM-DD`.
    pub decided_on: String,
    pub how: HowTaken,
    pub governance_body_id: Option<i64>,
    pub governance_body_name: Option<String>,
    pub recorded_by_id: Option<i64>,
    pub recorded_by_name: String,
    pub created_at: i64,
    pub created_at_rfc3339: String,
}

pub fn decision_summary(d: commonground_store::decisions::Decision) -> DecisionSummary {
    DecisionSummary {
        id: d.id,
        collaboration_id: d.collaboration_id,
        title: d.title,
        decided: d.decided,
        decided_on: d.decided_on,
        how: d.how.into(),
        governance_body_id: d.governance_body_id,
        governance_body_name: (!d.governance_body_name.is_empty())
            .then_some(d.governance_body_name),
        recorded_by_id: d.recorded_by,
        recorded_by_name: d.recorded_by_name,
        created_at_rfc3339: rfc3339(d.created_at),
        created_at: d.created_at,
    }
}

/// Something a decision affects.
#[derive(Debug, Serialize, ToSchema)]
pub struct Link {
    pub kind: LinkKind,
    pub id: i64,
    /// The task's or aim's title, or the problem's first line.
    pub title: String,
}

fn links_json(links: Vec<commonground_store::decisions::Link>) -> Vec<Link> {
    links
        .into_iter()
        .map(|l| Link {
            kind: l.kind.into(),
            id: l.id,
            title: l.title,
        })
        .collect()
}

/// A decision with what it affects.
#[derive(Debug, Serialize, ToSchema)]
pub struct DecisionDetail {
    #[serde(flatten)]
    pub decision: DecisionSummary,
    /// By kind, then id.
    pub links: Vec<Link>,
    /// You may link it (observers may not).
    pub can_contribute: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DecisionPage {
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
    pub items: Vec<DecisionSummary>,
}

/// Which decisions to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DecisionParams {
    /// `meeting`, `vote`, `lead` or `governance_body`.
    pub how: Option<String>,
    /// From 1.
    pub page: Option<String>,
    /// From 1 to 500; 50 when not given.
    pub per_page: Option<String>,
}

/// A link to send.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewLink {
    #[serde(default)]
    #[schema(required = true, value_type = Option<LinkKind>)]
    pub kind: Option<String>,
    /// A task, problem or aim of the decision's collaboration.
    #[serde(default)]
    #[schema(required = true)]
    pub id: Option<i64>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDecision {
    /// Up to 200 characters.
    #[serde(default)]
    #[schema(required = true)]
    pub title: Option<String>,
    /// What was decided, plain text, up to 10,000 characters.
    #[serde(default)]
    #[schema(required = true)]
    pub decided: Option<String>,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    #[schema(required = true)]
    pub decided_on: Option<String>,
    #[serde(default)]
    #[schema(required = true, value_type = Option<HowTaken>)]
    pub how: Option<String>,
    /// One of the collaboration's governance bodies; needed when `how` is
    /// `governance_body`.
    #[serde(default)]
    pub governance_body_id: Option<i64>,
    /// What it affects: tasks, problems and aims of the same collaboration.
    #[serde(default)]
    pub links: Option<Vec<NewLink>>,
}

/// One page of the collaboration's decisions, newest first.
#[utoipa::path(
    get,
    path = "/collaborations/{id}/decisions",
    tag = "implement",
    operation_id = "list_decisions",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The collaboration."), DecisionParams),
    responses(
        (status = 200, description = "A page of decisions.", body = DecisionPage),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 404, response = NotFound),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn list_decisions(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
    Q(p): Q<DecisionParams>,
) -> Result<Json<DecisionPage>, AppError> {
    let (how, page) = parse_filter(&FilterInput {
        how: p.how.unwrap_or_default(),
        page: p.page.unwrap_or_default(),
        per_page: p.per_page.unwrap_or_default(),
    })?;
    let v = actions::decisions::decision_list(&state, &actor, id, how, page).await?;
    Ok(Json(DecisionPage {
        total: v.total,
        page: page.number,
        per_page: page.size,
        items: v.decisions.into_iter().map(decision_summary).collect(),
    }))
}

/// Records a decision with what it affects. A link to anything not of
/// this collaboration is refused (422) and nothing is recorded. Not for
/// observers.
#[utoipa::path(
    post,
    path = "/collaborations/{id}/decisions",
    tag = "implement",
    operation_id = "record_decision",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The collaboration.")),
    request_body = NewDecision,
    responses(
        (status = 201, description = "It was recorded.", body = DecisionDetail),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 413, response = PayloadTooLarge),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn record_decision(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
    ApiJson(body): ApiJson<NewDecision>,
) -> Result<(StatusCode, Json<DecisionDetail>), AppError> {
    let links: Vec<(String, String)> = body
        .links
        .as_deref()
        .unwrap_or(&[])
        .iter()
        .map(|l| {
            (
                l.kind.clone().unwrap_or_default(),
                l.id.map(|v| v.to_string()).unwrap_or_default(),
            )
        })
        .collect();
    let body_id = body
        .governance_body_id
        .map(|v| v.to_string())
        .unwrap_or_default();
    let d = actions::decisions::record_decision(
        &state,
        &actor,
        id,
        &DecisionInput {
            title: body.title.as_deref().unwrap_or(""),
            decided: body.decided.as_deref().unwrap_or(""),
            decided_on: body.decided_on.as_deref().unwrap_or(""),
            how: body.how.as_deref().unwrap_or(""),
            governance_body_id: &body_id,
        },
        &links,
    )
    .await?;
    let detail = actions::decisions::decision_detail(&state, &actor, d.id).await?;
    Ok((
        StatusCode::CREATED,
        Json(DecisionDetail {
            decision: decision_summary(detail.decision),
            links: links_json(detail.links),
            can_contribute: detail.can_contribute,
        }),
    ))
}

/// A decision with what it affects.
#[utoipa::path(
    get,
    path = "/decisions/{did}",
    tag = "implement",
    operation_id = "decision",
    security(("bearer" = [])),
    params(("did" = i64, Path, description = "The decision.")),
    responses(
        (status = 200, description = "The decision.", body = DecisionDetail),
        (status = 401, response = Unauthenticated),
        (status = 404, response = NotFound),
    )
)]
pub async fn decision(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(did): P<i64>,
) -> Result<Json<DecisionDetail>, AppError> {
    let d = actions::decisions::decision_detail(&state, &actor, did).await?;
    Ok(Json(DecisionDetail {
        decision: decision_summary(d.decision),
        links: links_json(d.links),
        can_contribute: d.can_contribute,
    }))
}

/// Links the decision to a task, problem or aim of the same
/// collaboration; anything else is refused (422). Not for observers.
#[utoipa::path(
    post,
    path = "/decisions/{did}/links",
    tag = "implement",
    operation_id = "link_decision",
    security(("bearer" = [])),
    params(("did" = i64, Path, description = "The decision.")),
    request_body = NewLink,
    responses(
        (status = 201, description = "Everything the decision now affects.", body = Vec<Link>),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 413, response = PayloadTooLarge),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn link_decision(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(did): P<i64>,
    ApiJson(body): ApiJson<NewLink>,
) -> Result<(StatusCode, Json<Vec<Link>>), AppError> {
    let links = actions::decisions::add_link(
        &state,
        &actor,
        did,
        body.kind.as_deref().unwrap_or(""),
        &body.id.map(|v| v.to_string()).unwrap_or_default(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(links_json(links))))
}

/// Removes a link. Not for observers.
#[utoipa::path(
    delete,
    path = "/decisions/{did}/links/{kind}/{target}",
    tag = "implement",
    operation_id = "unlink_decision",
    security(("bearer" = [])),
    params(
        ("did" = i64, Path, description = "The decision."),
        ("kind" = LinkKind, Path, description = "What it links to."),
        ("target" = i64, Path, description = "The task, problem or aim."),
    ),
    responses(
        (status = 204, description = "It was removed."),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    )
)]
pub async fn unlink_decision(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P((did, kind, target)): P<(i64, String, i64)>,
) -> Result<StatusCode, AppError> {
    actions::decisions::remove_link(&state, &actor, did, &kind, target).await?;
    Ok(StatusCode::NO_CONTENT)
}
