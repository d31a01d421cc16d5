//! Governance bodies of a collaboration.

use super::rfc3339;
use super::{BadRequest, Forbidden, NotFound, PayloadTooLarge, Unauthenticated, Unprocessable};
use crate::AppState;
use crate::actions;
use crate::actions::governance::{BodyUpdate, stale_message};
use crate::auth::ApiCaller;
use crate::error::AppError;
use crate::extract::{ApiJson, P};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use commonground_domain::governance::{
    BodyInput, DecisionRule as DomainRule, MeetingFrequency as DomainFrequency,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// How a body makes decisions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DecisionRule {
    Consensus,
    Consent,
    SimpleMajority,
    TwoThirdsMajority,
    LeadDecides,
}

impl From<DomainRule> for DecisionRule {
    fn from(r: DomainRule) -> Self {
        match r {
            DomainRule::Consensus => DecisionRule::Consensus,
            DomainRule::Consent => DecisionRule::Consent,
            DomainRule::SimpleMajority => DecisionRule::SimpleMajority,
            DomainRule::TwoThirdsMajority => DecisionRule::TwoThirdsMajority,
            DomainRule::LeadDecides => DecisionRule::LeadDecides,
        }
    }
}

/// How often a body meets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MeetingFrequency {
    Weekly,
    Fortnightly,
    Monthly,
    EveryTwoMonths,
    Quarterly,
    TwiceAYear,
    Yearly,
    AsNeeded,
}

impl From<DomainFrequency> for MeetingFrequency {
    fn from(f: DomainFrequency) -> Self {
        use DomainFrequency as F;
        match f {
            F::Weekly => MeetingFrequency::Weekly,
            F::Fortnightly => MeetingFrequency::Fortnightly,
            F::Monthly => MeetingFrequency::Monthly,
            F::EveryTwoMonths => MeetingFrequency::EveryTwoMonths,
            F::Quarterly => MeetingFrequency::Quarterly,
            F::TwiceAYear => MeetingFrequency::TwiceAYear,
            F::Yearly => MeetingFrequency::Yearly,
            F::AsNeeded => MeetingFrequency::AsNeeded,
        }
    }
}

/// A person of an organisation taking part, and that organisation.
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonInOrganisation {
    pub user_id: i64,
    pub name: String,
    pub organisation_id: i64,
    pub organisation_name: String,
}

impl From<commonground_store::governance::CollabPerson> for PersonInOrganisation {
    fn from(p: commonground_store::governance::CollabPerson) -> Self {
        PersonInOrganisation {
            user_id: p.user_id,
            name: p.name,
            organisation_id: p.organisation_id,
            organisation_name: p.organisation_name,
        }
    }
}

/// A steering group, working group or other body.
#[derive(Debug, Serialize, ToSchema)]
pub struct GovernanceBody {
    pub id: i64,
    pub collaboration_id: i64,
    pub name: String,
    pub purpose: String,
    pub decision_rule: DecisionRule,
    /// What the rule means, in words.
    pub decision_rule_explanation: String,
    /// How many members must be present for a decision to count.
    pub quorum: i64,
    pub meets: MeetingFrequency,
    /// One of the members; null when there is no chair.
    pub chair: Option<PersonInOrganisation>,
    /// Each with the organisation they sit for.
    pub members: Vec<PersonInOrganisation>,
    /// Send it back when changing the body.
    pub version: i64,
    pub created_at: i64,
    pub created_at_rfc3339: String,
    pub updated_at: i64,
    pub updated_at_rfc3339: String,
}

impl From<commonground_store::governance::GovernanceBody> for GovernanceBody {
    fn from(b: commonground_store::governance::GovernanceBody) -> Self {
        GovernanceBody {
            id: b.id,
            collaboration_id: b.collaboration_id,
            name: b.name,
            purpose: b.purpose,
            decision_rule: b.decision_rule.into(),
            decision_rule_explanation: b.decision_rule.explanation().into(),
            quorum: b.quorum,
            meets: b.meets.into(),
            chair: b.chair.map(Into::into),
            members: b.members.into_iter().map(Into::into).collect(),
            version: b.version,
            created_at: b.created_at,
            created_at_rfc3339: rfc3339(b.created_at),
            updated_at: b.updated_at,
            updated_at_rfc3339: rfc3339(b.updated_at),
        }
    }
}

/// The collaboration's bodies and whether governance is set.
#[derive(Debug, Serialize, ToSchema)]
pub struct GovernanceBodies {
    /// True when at least one body has a chair, a decision rule, a quorum
    /// and members from every lead and partner organisation.
    pub governance_set: bool,
    /// Oldest first.
    pub items: Vec<GovernanceBody>,
    /// The people who may be chosen as members.
    pub people: Vec<PersonInOrganisation>,
}

/// A body as sent to add or change one.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GovernanceBodyInput {
    /// Up to 120 characters.
    #[serde(default)]
    #[schema(required = true)]
    pub name: Option<String>,
    /// Up to 2,000 characters.
    #[serde(default)]
    pub purpose: Option<String>,
    #[serde(default)]
    #[schema(value_type = DecisionRule, required = true)]
    pub decision_rule: Option<String>,
    /// At least 1, at most the number of members.
    #[serde(default)]
    #[schema(required = true)]
    pub quorum: Option<i64>,
    #[serde(default)]
    #[schema(value_type = MeetingFrequency, required = true)]
    pub meets: Option<String>,
    /// People of the organisations taking part (see `people`).
    #[serde(default)]
    #[schema(required = true)]
    pub member_ids: Vec<i64>,
    /// One of the members, or null.
    #[serde(default)]
    pub chair_id: Option<i64>,
    /// When changing: the version you read. Ignored when adding.
    #[serde(default)]
    pub version: Option<i64>,
}

impl GovernanceBodyInput {
    fn input(&self) -> BodyInput<'_> {
        BodyInput {
            name: self.name.as_deref().unwrap_or(""),
            purpose: self.purpose.as_deref().unwrap_or(""),
            decision_rule: self.decision_rule.as_deref().unwrap_or(""),
            quorum: self.quorum,
            meets: self.meets.as_deref().unwrap_or(""),
            members: self.member_ids.clone(),
            chair: self.chair_id,
        }
    }
}

/// A change refused because someone else saved first: nothing was saved.
#[derive(Debug, Serialize, ToSchema)]
pub struct GovernanceConflict {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// The body as it is now. Merge your change into it and send it again
    /// with its `version`.
    pub current: GovernanceBody,
}

/// A 409 problem document with what is there now.
pub(crate) fn conflict_response<T: Serialize>(detail: String, current: T) -> Response {
    #[derive(Serialize)]
    struct Body<T> {
        #[serde(rename = "type")]
        kind: &'static str,
        title: &'static str,
        status: u16,
        detail: String,
        current: T,
    }
    let body = serde_json::to_vec(&Body {
        kind: "about:blank",
        title: "Someone else changed this first",
        status: 409,
        detail,
        current,
    })
    .unwrap_or_default();
    let mut r = (StatusCode::CONFLICT, body).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    );
    r
}

/// Lists the collaboration's governance bodies.
#[utoipa::path(
    get,
    path = "/collaborations/{id}/governance-bodies",
    tag = "plan",
    operation_id = "list_governance_bodies",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The collaboration.")),
    responses(
        (status = 200, description = "Oldest first, with whether governance is set.", body = GovernanceBodies),
        (status = 401, response = Unauthenticated),
        (status = 404, response = NotFound),
    )
)]
pub async fn list_governance_bodies(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
) -> Result<Json<GovernanceBodies>, AppError> {
    let v = actions::governance::governance(&state, &actor, id).await?;
    Ok(Json(GovernanceBodies {
        governance_set: v.governance_set,
        items: v.bodies.into_iter().map(Into::into).collect(),
        people: v.people.into_iter().map(Into::into).collect(),
    }))
}

/// Sets up a governance body. Not for observers.
#[utoipa::path(
    post,
    path = "/collaborations/{id}/governance-bodies",
    tag = "plan",
    operation_id = "add_governance_body",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The collaboration.")),
    request_body = GovernanceBodyInput,
    responses(
        (status = 201, description = "It was set up.", body = GovernanceBody),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 413, response = PayloadTooLarge),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn add_governance_body(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
    ApiJson(body): ApiJson<GovernanceBodyInput>,
) -> Result<(StatusCode, Json<GovernanceBody>), AppError> {
    let b = actions::governance::add_body(&state, &actor, id, &body.input()).await?;
    Ok((StatusCode::CREATED, Json(b.into())))
}

/// One governance body.
#[utoipa::path(
    get,
    path = "/collaborations/{id}/governance-bodies/{body_id}",
    tag = "plan",
    operation_id = "governance_body",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "The collaboration."),
        ("body_id" = i64, Path, description = "The body."),
    ),
    responses(
        (status = 200, description = "The body.", body = GovernanceBody),
        (status = 401, response = Unauthenticated),
        (status = 404, response = NotFound),
    )
)]
pub async fn governance_body(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P((id, body_id)): P<(i64, i64)>,
) -> Result<Json<GovernanceBody>, AppError> {
    Ok(Json(
        actions::governance::body(&state, &actor, id, body_id)
            .await?
            .into(),
    ))
}

/// Changes a governance body. Send the `version` you read: if someone else
/// changed it since, nothing is saved and the answer is 409 with the body
/// as it is now. Not for observers.
#[utoipa::path(
    put,
    path = "/collaborations/{id}/governance-bodies/{body_id}",
    tag = "plan",
    operation_id = "update_governance_body",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "The collaboration."),
        ("body_id" = i64, Path, description = "The body."),
    ),
    request_body = GovernanceBodyInput,
    responses(
        (status = 200, description = "As saved, with its new version.", body = GovernanceBody),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, description = "Someone else changed it first; nothing was saved.", body = GovernanceConflict, content_type = "application/problem+json"),
        (status = 413, response = PayloadTooLarge),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn update_governance_body(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P((id, body_id)): P<(i64, i64)>,
    ApiJson(body): ApiJson<GovernanceBodyInput>,
) -> Result<Response, AppError> {
    match actions::governance::update_body(&state, &actor, id, body_id, body.version, &body.input())
        .await?
    {
        BodyUpdate::Saved(b) => Ok(Json(GovernanceBody::from(b)).into_response()),
        BodyUpdate::Stale(current) => Ok(conflict_response(
            stale_message(&current),
            GovernanceBody::from(current),
        )),
    }
}

/// Removes a governance body. Not for observers.
#[utoipa::path(
    delete,
    path = "/collaborations/{id}/governance-bodies/{body_id}",
    tag = "plan",
    operation_id = "delete_governance_body",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "The collaboration."),
        ("body_id" = i64, Path, description = "The body."),
    ),
    responses(
        (status = 204, description = "It was removed."),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    )
)]
pub async fn delete_governance_body(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P((id, body_id)): P<(i64, i64)>,
) -> Result<StatusCode, AppError> {
    actions::governance::delete_body(&state, &actor, id, body_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
