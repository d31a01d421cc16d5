//! Own goals: each organisation's goals in a collaboration, and an
//! organisation's goals in general.

use super::rfc3339;
use super::{BadRequest, Forbidden, NotFound, PayloadTooLarge, Unauthenticated, Unprocessable};
use crate::AppState;
use crate::actions;
use crate::actions::goals::GoalInput as ActionInput;
use crate::auth::ApiCaller;
use crate::error::AppError;
use crate::extract::{ApiJson, P};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The four benefits an organisation may want from collaborating.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Benefit {
    Efficiency,
    BetterServices,
    VoiceAndInfluence,
    Sustainability,
}

impl From<commonground_domain::goals::Benefit> for Benefit {
    fn from(b: commonground_domain::goals::Benefit) -> Self {
        use commonground_domain::goals::Benefit as B;
        match b {
            B::Efficiency => Benefit::Efficiency,
            B::BetterServices => Benefit::BetterServices,
            B::VoiceAndInfluence => Benefit::VoiceAndInfluence,
            B::Sustainability => Benefit::Sustainability,
        }
    }
}

/// One of an organisation's goals for collaborating.
#[derive(Debug, Serialize, ToSchema)]
pub struct Goal {
    pub id: i64,
    /// The organisation whose goal it is.
    pub organisation_id: i64,
    pub organisation_name: String,
    /// The collaboration it is for; null for the organisation's goals in general.
    pub collaboration_id: Option<i64>,
    pub benefit: Benefit,
    /// The benefit in words.
    pub benefit_label: String,
    pub title: String,
    pub detail: String,
    pub created_at: i64,
    pub created_at_rfc3339: String,
    pub updated_at: i64,
    pub updated_at_rfc3339: String,
    /// You may change or delete it (you belong to its organisation).
    pub can_edit: bool,
}

fn goal(g: commonground_store::goals::Goal, can_edit: bool) -> Goal {
    Goal {
        id: g.id,
        organisation_id: g.organisation_id,
        organisation_name: g.organisation_name,
        collaboration_id: g.collaboration_id,
        benefit: g.benefit.into(),
        benefit_label: g.benefit.label().to_string(),
        title: g.title,
        detail: g.detail,
        created_at: g.created_at,
        created_at_rfc3339: rfc3339(g.created_at),
        updated_at: g.updated_at,
        updated_at_rfc3339: rfc3339(g.updated_at),
        can_edit,
    }
}

/// A goal as sent to add or change one.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GoalInput {
    #[schema(value_type = Benefit)]
    pub benefit: String,
    /// Up to 200 characters.
    #[schema(example = "Share one finance officer between us")]
    pub title: String,
    /// Up to 4,000 characters.
    #[serde(default)]
    pub detail: Option<String>,
}

impl GoalInput {
    fn input(&self) -> ActionInput<'_> {
        ActionInput {
            benefit: &self.benefit,
            title: &self.title,
            detail: self.detail.as_deref().unwrap_or(""),
        }
    }
}

/// Lists the goals of every organisation taking part, by organisation name.
#[utoipa::path(
    get,
    path = "/collaborations/{id}/goals",
    tag = "identify",
    operation_id = "list_collaboration_goals",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The collaboration.")),
    responses(
        (status = 200, description = "The goals.", body = Vec<Goal>),
        (status = 401, response = Unauthenticated),
        (status = 404, response = NotFound),
    )
)]
pub async fn list_collaboration_goals(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
) -> Result<Json<Vec<Goal>>, AppError> {
    let v = actions::goals::collaboration_goals(&state, &actor, id).await?;
    let editable = v.editable.clone();
    Ok(Json(
        v.goals
            .into_iter()
            .map(|g| {
                let can = editable.contains(&g.organisation_id);
                goal(g, can)
            })
            .collect(),
    ))
}

/// Adds a goal for the organisation you act for. Not for observers.
#[utoipa::path(
    post,
    path = "/collaborations/{id}/goals",
    tag = "identify",
    operation_id = "add_collaboration_goal",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The collaboration.")),
    request_body = GoalInput,
    responses(
        (status = 201, description = "The goal was added.", body = Goal),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 413, response = PayloadTooLarge),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn add_collaboration_goal(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
    ApiJson(body): ApiJson<GoalInput>,
) -> Result<(StatusCode, Json<Goal>), AppError> {
    let g = actions::goals::add_collaboration_goal(&state, &actor, id, &body.input()).await?;
    Ok((StatusCode::CREATED, Json(goal(g, true))))
}

/// Changes a goal. Only members of the organisation it belongs to may.
#[utoipa::path(
    put,
    path = "/collaborations/{id}/goals/{goal_id}",
    tag = "identify",
    operation_id = "update_collaboration_goal",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "The collaboration."),
        ("goal_id" = i64, Path, description = "The goal."),
    ),
    request_body = GoalInput,
    responses(
        (status = 200, description = "The goal as saved.", body = Goal),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 413, response = PayloadTooLarge),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn update_collaboration_goal(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P((id, goal_id)): P<(i64, i64)>,
    ApiJson(body): ApiJson<GoalInput>,
) -> Result<Json<Goal>, AppError> {
    let g = actions::goals::update_collaboration_goal(&state, &actor, id, goal_id, &body.input())
        .await?;
    Ok(Json(goal(g, true)))
}

/// Deletes a goal. Only members of the organisation it belongs to may.
#[utoipa::path(
    delete,
    path = "/collaborations/{id}/goals/{goal_id}",
    tag = "identify",
    operation_id = "delete_collaboration_goal",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "The collaboration."),
        ("goal_id" = i64, Path, description = "The goal."),
    ),
    responses(
        (status = 204, description = "The goal was deleted."),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    )
)]
pub async fn delete_collaboration_goal(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P((id, goal_id)): P<(i64, i64)>,
) -> Result<StatusCode, AppError> {
    actions::goals::delete_collaboration_goal(&state, &actor, id, goal_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Lists your organisation's goals in general. For its members only.
#[utoipa::path(
    get,
    path = "/organisations/{id}/goals",
    tag = "identify",
    operation_id = "list_organisation_goals",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The organisation.")),
    responses(
        (status = 200, description = "The goals, oldest first.", body = Vec<Goal>),
        (status = 401, response = Unauthenticated),
        (status = 404, response = NotFound),
    )
)]
pub async fn list_organisation_goals(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
) -> Result<Json<Vec<Goal>>, AppError> {
    let v = actions::goals::organisation_goals(&state, &actor, id).await?;
    Ok(Json(v.goals.into_iter().map(|g| goal(g, true)).collect()))
}

/// Adds a goal for your organisation in general. For its members.
#[utoipa::path(
    post,
    path = "/organisations/{id}/goals",
    tag = "identify",
    operation_id = "add_organisation_goal",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The organisation.")),
    request_body = GoalInput,
    responses(
        (status = 201, description = "The goal was added.", body = Goal),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 404, response = NotFound),
        (status = 413, response = PayloadTooLarge),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn add_organisation_goal(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
    ApiJson(body): ApiJson<GoalInput>,
) -> Result<(StatusCode, Json<Goal>), AppError> {
    let g = actions::goals::add_organisation_goal(&state, &actor, id, &body.input()).await?;
    Ok((StatusCode::CREATED, Json(goal(g, true))))
}

/// Changes one of your organisation's goals in general.
#[utoipa::path(
    put,
    path = "/organisations/{id}/goals/{goal_id}",
    tag = "identify",
    operation_id = "update_organisation_goal",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "The organisation."),
        ("goal_id" = i64, Path, description = "The goal."),
    ),
    request_body = GoalInput,
    responses(
        (status = 200, description = "The goal as saved.", body = Goal),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 404, response = NotFound),
        (status = 413, response = PayloadTooLarge),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn update_organisation_goal(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P((id, goal_id)): P<(i64, i64)>,
    ApiJson(body): ApiJson<GoalInput>,
) -> Result<Json<Goal>, AppError> {
    let g = actions::goals::update_organisation_goal(&state, &actor, id, goal_id, &body.input())
        .await?;
    Ok(Json(goal(g, true)))
}

/// Deletes one of your organisation's goals in general.
#[utoipa::path(
    delete,
    path = "/organisations/{id}/goals/{goal_id}",
    tag = "identify",
    operation_id = "delete_organisation_goal",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "The organisation."),
        ("goal_id" = i64, Path, description = "The goal."),
    ),
    responses(
        (status = 204, description = "The goal was deleted."),
        (status = 401, response = Unauthenticated),
        (status = 404, response = NotFound),
    )
)]
pub async fn delete_organisation_goal(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P((id, goal_id)): P<(i64, i64)>,
) -> Result<StatusCode, AppError> {
    actions::goals::delete_organisation_goal(&state, &actor, id, goal_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
