//! The problem log: problems, changes to them, and escalation up the
//! ladder the agreement's disputes section sets out.

use super::decisions::{DecisionSummary, decision_summary};
use super::{
    BadRequest, Conflict, Forbidden, NotFound, PayloadTooLarge, Unauthenticated, Unprocessable,
    rfc3339,
};
use crate::AppState;
use crate::actions;
use crate::actions::problems::{FilterInput, ProblemChange, parse_filter};
use crate::auth::ApiCaller;
use crate::error::AppError;
use crate::extract::{ApiJson, P, Q};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use commonground_domain::problems::{
    Audience as DomainAudience, ProblemInput, ProblemStatus as DomainStatus,
    Severity as DomainSeverity,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Low,
    Medium,
    High,
    Critical,
}

impl From<DomainSeverity> for Severity {
    fn from(s: DomainSeverity) -> Self {
        match s {
            DomainSeverity::Low => Severity::Low,
            DomainSeverity::Medium => Severity::Medium,
            DomainSeverity::High => Severity::High,
            DomainSeverity::Critical => Severity::Critical,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProblemStatus {
    Open,
    BeingWorkedOn,
    Resolved,
    Closed,
}

impl From<DomainStatus> for ProblemStatus {
    fn from(s: DomainStatus) -> Self {
        match s {
            DomainStatus::Open => ProblemStatus::Open,
            DomainStatus::BeingWorkedOn => ProblemStatus::BeingWorkedOn,
            DomainStatus::Resolved => ProblemStatus::Resolved,
            DomainStatus::Closed => ProblemStatus::Closed,
        }
    }
}

/// Who stands at a rung of the ladder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// The members of the owner organisation.
    WorkingLevel,
    /// The admins of the lead and partner organisations.
    PartnerLeads,
    /// The members of the collaboration's steering group.
    SteeringGroup,
    /// Nobody in the app, such as an independent mediator.
    Outside,
}

impl From<DomainAudience> for Audience {
    fn from(a: DomainAudience) -> Self {
        match a {
            DomainAudience::WorkingLevel => Audience::WorkingLevel,
            DomainAudience::PartnerLeads => Audience::PartnerLeads,
            DomainAudience::SteeringGroup => Audience::SteeringGroup,
            DomainAudience::Outside => Audience::Outside,
        }
    }
}

/// A problem in the log.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    pub id: i64,
    pub collaboration_id: i64,
    /// Plain text.
    pub description: String,
    pub severity: Severity,
    pub status: ProblemStatus,
    /// How it was resolved; empty until then.
    pub resolution: String,
    pub raised_by_id: Option<i64>,
    pub raised_by_name: String,
    pub owner_organisation_id: i64,
    pub owner_organisation_name: String,
    /// A member of the owner organisation; null for nobody yet.
    pub owner_person_id: Option<i64>,
    pub owner_person_name: Option<String>,
    /// The escalation ladder, bottom rung first, as it was when the
    /// problem was raised.
    pub ladder: Vec<String>,
    /// Where the problem stands on the ladder, from 0.
    pub rung: i64,
    pub rung_name: String,
    /// Send this as `version` to change the problem.
    pub version: i64,
    pub updated_by_name: String,
    pub created_at: i64,
    pub created_at_rfc3339: String,
    pub updated_at: i64,
    pub updated_at_rfc3339: String,
}

fn problem_json(p: commonground_store::problems::Problem) -> Problem {
    Problem {
        rung_name: p.rung_name().to_string(),
        id: p.id,
        collaboration_id: p.collaboration_id,
        description: p.description,
        severity: p.severity.into(),
        status: p.status.into(),
        resolution: p.resolution,
        raised_by_id: p.raised_by,
        raised_by_name: p.raised_by_name,
        owner_organisation_id: p.owner_organisation_id,
        owner_organisation_name: p.owner_organisation_name,
        owner_person_id: p.owner_person_id,
        owner_person_name: (!p.owner_person_name.is_empty()).then_some(p.owner_person_name),
        ladder: p.ladder,
        rung: p.rung as i64,
        version: p.version,
        updated_by_name: p.updated_by_name,
        created_at: p.created_at,
        created_at_rfc3339: rfc3339(p.created_at),
        updated_at: p.updated_at,
        updated_at_rfc3339: rfc3339(p.updated_at),
    }
}

/// One move up the ladder.
#[derive(Debug, Serialize, ToSchema)]
pub struct Escalation {
    pub id: i64,
    pub from_rung: i64,
    pub from_name: String,
    pub to_rung: i64,
    pub to_name: String,
    pub reason: String,
    pub escalated_by_id: Option<i64>,
    pub escalated_by_name: String,
    pub escalated_at: i64,
    pub escalated_at_rfc3339: String,
}

impl From<commonground_store::problems::Escalation> for Escalation {
    fn from(e: commonground_store::problems::Escalation) -> Self {
        Escalation {
            id: e.id,
            from_rung: e.from_rung,
            from_name: e.from_name,
            to_rung: e.to_rung,
            to_name: e.to_name,
            reason: e.reason,
            escalated_by_id: e.escalated_by,
            escalated_by_name: e.escalated_by_name,
            escalated_at_rfc3339: rfc3339(e.escalated_at),
            escalated_at: e.escalated_at,
        }
    }
}

/// A person at the current rung.
#[derive(Debug, Serialize, ToSchema)]
pub struct RungPerson {
    pub user_id: i64,
    pub name: String,
    pub organisation_name: String,
}

/// Who is at the problem's current rung.
#[derive(Debug, Serialize, ToSchema)]
pub struct AtRung {
    pub audience: Audience,
    /// The steering group's name when that is who; null otherwise.
    pub body_name: Option<String>,
    /// Empty for a rung outside the app, or a steering group not set up.
    pub people: Vec<RungPerson>,
}

/// A problem with its escalations, who is at its rung now, and the
/// decisions about it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProblemDetail {
    #[serde(flatten)]
    pub problem: Problem,
    /// Oldest first.
    pub escalations: Vec<Escalation>,
    pub at_rung: AtRung,
    /// Decisions about this problem, newest first.
    pub decisions: Vec<DecisionSummary>,
    /// You may change and escalate it (observers may not).
    pub can_contribute: bool,
}

/// One page of problems.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProblemPage {
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
    pub items: Vec<Problem>,
}

/// Which problems to list. Every filter narrows the list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProblemParams {
    /// `open`, `being_worked_on`, `resolved` or `closed`.
    pub status: Option<String>,
    /// `low`, `medium`, `high` or `critical`.
    pub severity: Option<String>,
    pub owner_organisation_id: Option<String>,
    /// From 1.
    pub page: Option<String>,
    /// From 1 to 500; 50 when not given.
    pub per_page: Option<String>,
}

/// A new problem.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewProblem {
    /// Plain text, up to 4,000 characters.
    #[serde(default)]
    #[schema(required = true)]
    pub description: Option<String>,
    #[serde(default)]
    #[schema(required = true, value_type = Option<Severity>)]
    pub severity: Option<String>,
    /// An organisation taking part.
    #[serde(default)]
    #[schema(required = true)]
    pub owner_organisation_id: Option<i64>,
    /// A member of the owner organisation.
    #[serde(default)]
    pub owner_person_id: Option<i64>,
    /// `open` when not given.
    #[serde(default)]
    #[schema(value_type = Option<ProblemStatus>)]
    pub status: Option<String>,
    /// Needed when `status` is `resolved`.
    #[serde(default)]
    pub resolution: Option<String>,
}

/// A change to a problem: only the fields given change. Send `version`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProblemPatch {
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    #[schema(value_type = Option<Severity>)]
    pub severity: Option<String>,
    #[serde(default)]
    pub owner_organisation_id: Option<i64>,
    /// A member of the owner organisation; null for nobody. Leave it out
    /// to keep the current one.
    #[serde(default, deserialize_with = "super::nullable")]
    #[schema(value_type = Option<i64>)]
    pub owner_person_id: Option<Option<i64>>,
    #[serde(default)]
    #[schema(value_type = Option<ProblemStatus>)]
    pub status: Option<String>,
    /// Needed to mark it `resolved`.
    #[serde(default)]
    pub resolution: Option<String>,
    /// The problem's `version` this change is based on.
    #[serde(default)]
    #[schema(required = true)]
    pub version: Option<i64>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EscalationBody {
    /// Why the problem needs to go up a rung. Up to 2,000 characters.
    #[serde(default)]
    #[schema(required = true)]
    pub reason: Option<String>,
}

/// The problem after an escalation, and the escalation recorded.
#[derive(Debug, Serialize, ToSchema)]
pub struct Escalated {
    pub problem: Problem,
    pub escalation: Escalation,
}

/// One page of the collaboration's problems: unresolved first, newest first.
#[utoipa::path(
    get,
    path = "/collaborations/{id}/problems",
    tag = "implement",
    operation_id = "list_problems",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The collaboration."), ProblemParams),
    responses(
        (status = 200, description = "A page of problems.", body = ProblemPage),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 404, response = NotFound),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn list_problems(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
    Q(p): Q<ProblemParams>,
) -> Result<Json<ProblemPage>, AppError> {
    let (filter, page) = parse_filter(&FilterInput {
        status: p.status.unwrap_or_default(),
        severity: p.severity.unwrap_or_default(),
        owner_organisation_id: p.owner_organisation_id.unwrap_or_default(),
        page: p.page.unwrap_or_default(),
        per_page: p.per_page.unwrap_or_default(),
    })?;
    let v = actions::problems::problem_list(&state, &actor, id, &filter, page).await?;
    Ok(Json(ProblemPage {
        total: v.total,
        page: page.number,
        per_page: page.size,
        items: v.problems.into_iter().map(problem_json).collect(),
    }))
}

/// Raises a problem at the bottom rung of the ladder. Not for observers.
#[utoipa::path(
    post,
    path = "/collaborations/{id}/problems",
    tag = "implement",
    operation_id = "raise_problem",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The collaboration.")),
    request_body = NewProblem,
    responses(
        (status = 201, description = "It was raised.", body = Problem),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 413, response = PayloadTooLarge),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn raise_problem(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
    ApiJson(body): ApiJson<NewProblem>,
) -> Result<(StatusCode, Json<Problem>), AppError> {
    let s = |v: Option<i64>| v.map(|x| x.to_string()).unwrap_or_default();
    let (owner, person) = (s(body.owner_organisation_id), s(body.owner_person_id));
    let p = actions::problems::raise_problem(
        &state,
        &actor,
        id,
        &ProblemInput {
            description: body.description.as_deref().unwrap_or(""),
            severity: body.severity.as_deref().unwrap_or(""),
            owner_organisation_id: &owner,
            owner_person_id: &person,
            status: body.status.as_deref().unwrap_or(""),
            resolution: body.resolution.as_deref().unwrap_or(""),
        },
    )
    .await?;
    Ok((StatusCode::CREATED, Json(problem_json(p))))
}

/// A problem with its escalations, who is at its rung, and the decisions
/// about it.
#[utoipa::path(
    get,
    path = "/problems/{pid}",
    tag = "implement",
    operation_id = "problem",
    security(("bearer" = [])),
    params(("pid" = i64, Path, description = "The problem.")),
    responses(
        (status = 200, description = "The problem.", body = ProblemDetail),
        (status = 401, response = Unauthenticated),
        (status = 404, response = NotFound),
    )
)]
pub async fn problem(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(pid): P<i64>,
) -> Result<Json<ProblemDetail>, AppError> {
    let d = actions::problems::problem_detail(&state, &actor, pid).await?;
    Ok(Json(ProblemDetail {
        problem: problem_json(d.problem),
        escalations: d.escalations.into_iter().map(Into::into).collect(),
        at_rung: AtRung {
            audience: d.at_rung.audience.into(),
            body_name: d.at_rung.body_name,
            people: d
                .at_rung
                .people
                .into_iter()
                .map(|p| RungPerson {
                    user_id: p.user_id,
                    name: p.name,
                    organisation_name: p.organisation_name,
                })
                .collect(),
        },
        decisions: d.decisions.into_iter().map(decision_summary).collect(),
        can_contribute: d.can_contribute,
    }))
}

/// Changes a problem: only the fields sent change; `version` is needed and
/// a stale one is refused (409). Not for observers.
#[utoipa::path(
    patch,
    path = "/problems/{pid}",
    tag = "implement",
    operation_id = "change_problem",
    security(("bearer" = [])),
    params(("pid" = i64, Path, description = "The problem.")),
    request_body = ProblemPatch,
    responses(
        (status = 200, description = "The problem as saved.", body = Problem),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 413, response = PayloadTooLarge),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn change_problem(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(pid): P<i64>,
    ApiJson(body): ApiJson<ProblemPatch>,
) -> Result<Json<Problem>, AppError> {
    let version = body.version.map(|v| v.to_string()).unwrap_or_default();
    let owner = body.owner_organisation_id.map(|v| v.to_string());
    let person = body
        .owner_person_id
        .map(|p| p.map(|v| v.to_string()).unwrap_or_default());
    let p = actions::problems::update_problem(
        &state,
        &actor,
        pid,
        &ProblemChange {
            description: body.description.as_deref(),
            severity: body.severity.as_deref(),
            owner_organisation_id: owner.as_deref(),
            owner_person_id: person.as_deref(),
            status: body.status.as_deref(),
            resolution: body.resolution.as_deref(),
            based_on: &version,
        },
    )
    .await?;
    Ok(Json(problem_json(p)))
}

/// Moves the problem one rung up its ladder and records who, when, why,
/// from and to. A resolved or closed problem, or one at the top rung,
/// cannot be escalated (409). Not for observers.
#[utoipa::path(
    post,
    path = "/problems/{pid}/escalate",
    tag = "implement",
    operation_id = "escalate_problem",
    security(("bearer" = [])),
    params(("pid" = i64, Path, description = "The problem.")),
    request_body = EscalationBody,
    responses(
        (status = 201, description = "It moved up a rung.", body = Escalated),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 413, response = PayloadTooLarge),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn escalate_problem(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(pid): P<i64>,
    ApiJson(body): ApiJson<EscalationBody>,
) -> Result<(StatusCode, Json<Escalated>), AppError> {
    let (p, e) = actions::problems::escalate_problem(
        &state,
        &actor,
        pid,
        body.reason.as_deref().unwrap_or(""),
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(Escalated {
            problem: problem_json(p),
            escalation: e.into(),
        }),
    ))
}
