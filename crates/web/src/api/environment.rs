//! The strategic environment: SWOT and PESTLE items of a collaboration.

use super::rfc3339;
use super::{BadRequest, Forbidden, NotFound, PayloadTooLarge, Unauthenticated, Unprocessable};
use crate::AppState;
use crate::actions;
use crate::actions::environment::EnvironmentInput;
use crate::auth::ApiCaller;
use crate::error::AppError;
use crate::extract::{ApiJson, P};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// SWOT or PESTLE.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Framework {
    Swot,
    Pestle,
}

/// A heading: strength, weakness, opportunity or threat for SWOT;
/// political, economic, social, technological, legal or environmental for PESTLE.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Strength,
    Weakness,
    Opportunity,
    Threat,
    Political,
    Economic,
    Social,
    Technological,
    Legal,
    Environmental,
}

/// One SWOT or PESTLE item.
#[derive(Debug, Serialize, ToSchema)]
pub struct EnvironmentItem {
    pub id: i64,
    pub collaboration_id: i64,
    /// The organisation of the person who added it.
    pub organisation_id: i64,
    pub organisation_name: String,
    #[schema(value_type = Framework)]
    pub framework: String,
    #[schema(value_type = Category)]
    pub category: String,
    /// The heading in words, such as "Strengths".
    pub category_label: String,
    pub text: String,
    pub created_at: i64,
    pub created_at_rfc3339: String,
    pub updated_at: i64,
    pub updated_at_rfc3339: String,
}

impl From<commonground_store::environment::EnvironmentItem> for EnvironmentItem {
    fn from(i: commonground_store::environment::EnvironmentItem) -> Self {
        EnvironmentItem {
            id: i.id,
            collaboration_id: i.collaboration_id,
            organisation_id: i.organisation_id,
            organisation_name: i.organisation_name,
            framework: i.framework.code().into(),
            category: i.category.code().into(),
            category_label: i.category.label().into(),
            text: i.text,
            created_at: i.created_at,
            created_at_rfc3339: rfc3339(i.created_at),
            updated_at: i.updated_at,
            updated_at_rfc3339: rfc3339(i.updated_at),
        }
    }
}

/// An item as sent to add or change one.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EnvironmentItemInput {
    #[schema(value_type = Framework)]
    pub framework: String,
    /// One of the framework's headings.
    #[schema(value_type = Category)]
    pub category: String,
    /// Up to 1,000 characters.
    pub text: String,
}

impl EnvironmentItemInput {
    fn input(&self) -> EnvironmentInput<'_> {
        EnvironmentInput {
            framework: Some(&self.framework),
            category: &self.category,
            text: &self.text,
        }
    }
}

/// Lists the collaboration's SWOT and PESTLE items, oldest first.
#[utoipa::path(
    get,
    path = "/collaborations/{id}/environment",
    tag = "identify",
    operation_id = "list_environment_items",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The collaboration.")),
    responses(
        (status = 200, description = "The items.", body = Vec<EnvironmentItem>),
        (status = 401, response = Unauthenticated),
        (status = 404, response = NotFound),
    )
)]
pub async fn list_environment_items(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
) -> Result<Json<Vec<EnvironmentItem>>, AppError> {
    let v = actions::environment::environment(&state, &actor, id).await?;
    Ok(Json(v.items.into_iter().map(Into::into).collect()))
}

/// Adds a SWOT or PESTLE item. Not for observers.
#[utoipa::path(
    post,
    path = "/collaborations/{id}/environment",
    tag = "identify",
    operation_id = "add_environment_item",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The collaboration.")),
    request_body = EnvironmentItemInput,
    responses(
        (status = 201, description = "The item was added.", body = EnvironmentItem),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 413, response = PayloadTooLarge),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn add_environment_item(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
    ApiJson(body): ApiJson<EnvironmentItemInput>,
) -> Result<(StatusCode, Json<EnvironmentItem>), AppError> {
    let item =
        actions::environment::add_environment_item(&state, &actor, id, &body.input()).await?;
    Ok((StatusCode::CREATED, Json(item.into())))
}

/// Changes a SWOT or PESTLE item. Not for observers.
#[utoipa::path(
    put,
    path = "/collaborations/{id}/environment/{item_id}",
    tag = "identify",
    operation_id = "update_environment_item",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "The collaboration."),
        ("item_id" = i64, Path, description = "The item."),
    ),
    request_body = EnvironmentItemInput,
    responses(
        (status = 200, description = "The item as saved.", body = EnvironmentItem),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 413, response = PayloadTooLarge),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn update_environment_item(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P((id, item_id)): P<(i64, i64)>,
    ApiJson(body): ApiJson<EnvironmentItemInput>,
) -> Result<Json<EnvironmentItem>, AppError> {
    let item =
        actions::environment::update_environment_item(&state, &actor, id, item_id, &body.input())
            .await?;
    Ok(Json(item.into()))
}

/// Deletes a SWOT or PESTLE item. Not for observers.
#[utoipa::path(
    delete,
    path = "/collaborations/{id}/environment/{item_id}",
    tag = "identify",
    operation_id = "delete_environment_item",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "The collaboration."),
        ("item_id" = i64, Path, description = "The item."),
    ),
    responses(
        (status = 204, description = "The item was deleted."),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    )
)]
pub async fn delete_environment_item(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P((id, item_id)): P<(i64, i64)>,
) -> Result<StatusCode, AppError> {
    actions::environment::delete_environment_item(&state, &actor, id, item_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
