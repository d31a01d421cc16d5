//! The Plan stage as a whole: its checklist.

use super::identify::{ChecklistItem, StageProgress};
use super::{NotFound, Unauthenticated};
use crate::AppState;
use crate::actions;
use crate::auth::ApiCaller;
use crate::error::AppError;
use crate::extract::P;
use axum::Json;
use axum::extract::State;

/// The Plan stage's checklist and how complete it is: model chosen, aims
/// approved, governance set, responsibilities agreed, agreement agreed.
#[utoipa::path(
    get,
    path = "/collaborations/{id}/stages/plan",
    tag = "plan",
    operation_id = "plan_progress",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The collaboration.")),
    responses(
        (status = 200, description = "The checklist.", body = StageProgress),
        (status = 401, response = Unauthenticated),
        (status = 404, response = NotFound),
    )
)]
pub async fn plan_progress(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
) -> Result<Json<StageProgress>, AppError> {
    let o = actions::plan::plan_overview(&state, &actor, id).await?;
    Ok(Json(StageProgress {
        stage: "plan".to_string(),
        percent: o.percent,
        checklist: o.checklist.into_iter().map(ChecklistItem::from).collect(),
        can_contribute: o.can_contribute,
    }))
}
