//! The Identify stage as a whole: its checklist.

use super::{NotFound, Unauthenticated};
use crate::AppState;
use crate::actions;
use crate::auth::ApiCaller;
use crate::error::AppError;
use crate::extract::P;
use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;

/// One output a stage should produce.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChecklistItem {
    /// A stable name, such as `readiness_taken`.
    pub key: String,
    pub label: String,
    pub done: bool,
    /// What is there, or what is still missing.
    pub detail: String,
    /// The page where this is done.
    pub href: String,
}

impl From<commonground_domain::stage::ChecklistItem> for ChecklistItem {
    fn from(i: commonground_domain::stage::ChecklistItem) -> Self {
        ChecklistItem {
            key: i.key.to_string(),
            label: i.label.to_string(),
            done: i.done,
            detail: i.detail,
            href: i.href,
        }
    }
}

/// How complete a stage is.
#[derive(Debug, Serialize, ToSchema)]
pub struct StageProgress {
    /// `identify`, `plan`, `implement` or `review`.
    pub stage: String,
    /// Whole percent of the checklist done.
    pub percent: u8,
    pub checklist: Vec<ChecklistItem>,
    /// You may add to this stage's work (observers may not).
    pub can_contribute: bool,
}

/// The Identify stage's checklist and how complete it is.
#[utoipa::path(
    get,
    path = "/collaborations/{id}/stages/identify",
    tag = "identify",
    operation_id = "identify_progress",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The collaboration.")),
    responses(
        (status = 200, description = "The checklist.", body = StageProgress),
        (status = 401, response = Unauthenticated),
        (status = 404, response = NotFound),
    )
)]
pub async fn identify_progress(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
) -> Result<Json<StageProgress>, AppError> {
    let o = actions::identify::identify_overview(&state, &actor, id).await?;
    Ok(Json(StageProgress {
        stage: "identify".to_string(),
        percent: o.percent,
        checklist: o.checklist.into_iter().map(ChecklistItem::from).collect(),
        can_contribute: o.can_contribute,
    }))
}
