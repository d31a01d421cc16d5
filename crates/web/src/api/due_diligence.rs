//! Due diligence for the deeper collaboration models.

use super::model::CollaborationModel;
use super::{
    BadRequest, Conflict, Forbidden, NotFound, PayloadTooLarge, Unauthenticated, Unprocessable,
    rfc3339,
};
use crate::AppState;
use crate::actions;
use crate::actions::due_diligence::ItemInput;
use crate::auth::ApiCaller;
use crate::error::AppError;
use crate::extract::{ApiJson, P};
use axum::Json;
use axum::extract::State;
use commonground_domain::due_diligence::{Area, ItemStatus};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An area of due diligence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DueDiligenceArea {
    GoverningDocuments,
    RestrictedFunds,
    Property,
    Contracts,
    StaffAndTupe,
    Pensions,
    Liabilities,
    AccountsAndReserves,
    Insurance,
    DataProtection,
    RegulatoryHistory,
}

impl From<Area> for DueDiligenceArea {
    fn from(a: Area) -> Self {
        match a {
            Area::GoverningDocuments => DueDiligenceArea::GoverningDocuments,
            Area::RestrictedFunds => DueDiligenceArea::RestrictedFunds,
            Area::Property => DueDiligenceArea::Property,
            Area::Contracts => DueDiligenceArea::Contracts,
            Area::StaffAndTupe => DueDiligenceArea::StaffAndTupe,
            Area::Pensions => DueDiligenceArea::Pensions,
            Area::Liabilities => DueDiligenceArea::Liabilities,
            Area::AccountsAndReserves => DueDiligenceArea::AccountsAndReserves,
            Area::Insurance => DueDiligenceArea::Insurance,
            Area::DataProtection => DueDiligenceArea::DataProtection,
            Area::RegulatoryHistory => DueDiligenceArea::RegulatoryHistory,
        }
    }
}

/// Where an area stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DueDiligenceStatus {
    NotStarted,
    InProgress,
    Done,
    NotApplicable,
}

impl From<ItemStatus> for DueDiligenceStatus {
    fn from(s: ItemStatus) -> Self {
        match s {
            ItemStatus::NotStarted => DueDiligenceStatus::NotStarted,
            ItemStatus::InProgress => DueDiligenceStatus::InProgress,
            ItemStatus::Done => DueDiligenceStatus::Done,
            ItemStatus::NotApplicable => DueDiligenceStatus::NotApplicable,
        }
    }
}

/// One area of the checklist.
#[derive(Debug, Serialize, ToSchema)]
pub struct DueDiligenceItem {
    pub area: DueDiligenceArea,
    pub label: String,
    /// What to look at.
    pub hint: String,
    pub status: DueDiligenceStatus,
    /// The organisation taking part that owns this area; null for nobody yet.
    pub owner_organisation_id: Option<i64>,
    pub owner_name: Option<String>,
    pub note: String,
    /// Send this as `based_on` to change the item.
    pub version: i64,
    pub updated_by_name: String,
    pub updated_at: i64,
    pub updated_at_rfc3339: String,
}

impl From<commonground_store::due_diligence::DueDiligenceItem> for DueDiligenceItem {
    fn from(i: commonground_store::due_diligence::DueDiligenceItem) -> Self {
        DueDiligenceItem {
            area: i.area.into(),
            label: i.area.label().into(),
            hint: i.area.hint().into(),
            status: i.status.into(),
            owner_organisation_id: i.owner_organisation_id,
            owner_name: (!i.owner_name.is_empty()).then_some(i.owner_name),
            note: i.note,
            version: i.version,
            updated_by_name: i.updated_by_name,
            updated_at: i.updated_at,
            updated_at_rfc3339: rfc3339(i.updated_at),
        }
    }
}

/// The checklist and how far it has got.
#[derive(Debug, Serialize, ToSchema)]
pub struct DueDiligence {
    /// The model chosen; null when none.
    pub model: Option<CollaborationModel>,
    /// Whether the model chosen needs due diligence. When not, any items
    /// from an earlier choice are listed but cannot be changed.
    pub applies: bool,
    /// Areas done or not applicable.
    pub settled: i64,
    pub in_progress: i64,
    pub total: i64,
    /// In checklist order; empty until a deeper model has been chosen.
    pub items: Vec<DueDiligenceItem>,
    /// You may change items (observers may not).
    pub can_contribute: bool,
}

/// A change to one area.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangeDueDiligenceItem {
    #[serde(default)]
    #[schema(value_type = DueDiligenceStatus, required = true)]
    pub status: Option<String>,
    /// An organisation taking part; null or absent for nobody yet.
    #[serde(default)]
    pub owner_organisation_id: Option<i64>,
    /// Up to 2,000 characters.
    #[serde(default)]
    pub note: Option<String>,
    /// The item's `version` this change is based on. When someone else
    /// changed it meanwhile, the answer is 409 with their change.
    #[serde(default)]
    #[schema(required = true)]
    pub based_on: Option<i64>,
}

/// The due diligence checklist.
#[utoipa::path(
    get,
    path = "/collaborations/{id}/due-diligence",
    tag = "plan",
    operation_id = "due_diligence",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The collaboration.")),
    responses(
        (status = 200, description = "The checklist.", body = DueDiligence),
        (status = 401, response = Unauthenticated),
        (status = 404, response = NotFound),
    )
)]
pub async fn due_diligence(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
) -> Result<Json<DueDiligence>, AppError> {
    let v = actions::due_diligence::due_diligence(&state, &actor, id).await?;
    Ok(Json(DueDiligence {
        model: v.model.map(|m| m.model.into()),
        applies: v.applies,
        settled: v.progress.settled,
        in_progress: v.progress.in_progress,
        total: v.progress.total,
        items: v.items.into_iter().map(Into::into).collect(),
        can_contribute: v.can_contribute,
    }))
}

/// Changes one area's status, owner and note. Not for observers; only
/// while the model chosen needs due diligence (409 otherwise).
#[utoipa::path(
    put,
    path = "/collaborations/{id}/due-diligence/{area}",
    tag = "plan",
    operation_id = "change_due_diligence_item",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "The collaboration."),
        ("area" = DueDiligenceArea, Path, description = "The area."),
    ),
    request_body = ChangeDueDiligenceItem,
    responses(
        (status = 200, description = "The item as saved.", body = DueDiligenceItem),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 413, response = PayloadTooLarge),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn change_due_diligence_item(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P((id, area)): P<(i64, String)>,
    ApiJson(body): ApiJson<ChangeDueDiligenceItem>,
) -> Result<Json<DueDiligenceItem>, AppError> {
    let owner = body
        .owner_organisation_id
        .map(|o| o.to_string())
        .unwrap_or_default();
    let based_on = body.based_on.map(|b| b.to_string()).unwrap_or_default();
    let item = actions::due_diligence::change_item(
        &state,
        &actor,
        id,
        &area,
        &ItemInput {
            status: body.status.as_deref().unwrap_or(""),
            owner_organisation_id: &owner,
            note: body.note.as_deref().unwrap_or(""),
            based_on: &based_on,
        },
    )
    .await?;
    Ok(Json(item.into()))
}
