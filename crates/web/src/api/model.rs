//! The collaboration model: the models explained, a suggestion from the
//! guided questions, and the partners' choice.

use super::{
    BadRequest, Conflict, Forbidden, NotFound, PayloadTooLarge, Unauthenticated, Unprocessable,
    rfc3339,
};
use crate::AppState;
use crate::actions;
use crate::auth::ApiCaller;
use crate::error::AppError;
use crate::extract::{ApiJson, P, Q};
use axum::Json;
use axum::extract::State;
use commonground_domain::model::Model;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A way of working together, from the loosest to the closest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CollaborationModel {
    InformalNetwork,
    JointProject,
    LeadPartner,
    SharedServices,
    Consortium,
    GroupStructure,
    Merger,
}

impl From<Model> for CollaborationModel {
    fn from(m: Model) -> Self {
        match m {
            Model::InformalNetwork => CollaborationModel::InformalNetwork,
            Model::JointProject => CollaborationModel::JointProject,
            Model::LeadPartner => CollaborationModel::LeadPartner,
            Model::SharedServices => CollaborationModel::SharedServices,
            Model::Consortium => CollaborationModel::Consortium,
            Model::GroupStructure => CollaborationModel::GroupStructure,
            Model::Merger => CollaborationModel::Merger,
        }
    }
}

/// One model, in plain words.
#[derive(Debug, Serialize, ToSchema)]
pub struct ModelGuide {
    pub model: CollaborationModel,
    pub label: String,
    /// `networking`, `coordinating`, `cooperating` or `collaborating`.
    pub degree: String,
    pub needs_due_diligence: bool,
    pub what_it_is: String,
    pub suits: String,
    pub costs: String,
    pub governance: String,
    pub trustees: String,
    pub staff: String,
    pub money: String,
    pub independence: String,
    pub charity_commission: String,
    pub due_diligence: String,
}

/// The model chosen, why, by whom and when.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChosenModel {
    pub model: CollaborationModel,
    pub label: String,
    pub reason: String,
    /// Send this as `based_on` to change the choice.
    pub version: i64,
    pub chosen_by_name: String,
    pub organisation_id: Option<i64>,
    pub organisation_name: String,
    pub chosen_at: i64,
    pub chosen_at_rfc3339: String,
    pub needs_due_diligence: bool,
}

impl From<commonground_store::model::ChosenModel> for ChosenModel {
    fn from(c: commonground_store::model::ChosenModel) -> Self {
        ChosenModel {
            model: c.model.into(),
            label: c.model.label().into(),
            reason: c.reason,
            version: c.version,
            chosen_by_name: c.chosen_by_name,
            organisation_id: c.organisation_id,
            organisation_name: c.organisation_name,
            chosen_at: c.chosen_at,
            chosen_at_rfc3339: rfc3339(c.chosen_at),
            needs_due_diligence: c.model.needs_due_diligence(),
        }
    }
}

/// The choice so far, and every model explained.
#[derive(Debug, Serialize, ToSchema)]
pub struct ModelOverview {
    /// Null until a model is chosen.
    pub chosen: Option<ChosenModel>,
    /// Loosest first.
    pub models: Vec<ModelGuide>,
    /// You may choose or change the model (observers may not).
    pub can_contribute: bool,
}

/// A choice of model, replacing the choice with version `based_on`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChooseModel {
    #[serde(default)]
    #[schema(value_type = CollaborationModel, required = true)]
    pub model: Option<String>,
    /// Why, in up to 2,000 characters.
    #[serde(default)]
    #[schema(required = true)]
    pub reason: Option<String>,
    /// The `version` of the choice this replaces, or 0 when none has been
    /// made. When someone else chose meanwhile, the answer is 409 naming
    /// their choice.
    #[serde(default)]
    #[schema(required = true)]
    pub based_on: Option<i64>,
}

/// The answers to the guided questions. Every one is needed.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SuggestionParams {
    /// `share_information`, `deliver_project`, `bid_for_contract`, `share_back_office` or `combine`.
    pub purpose: Option<String>,
    /// `months`, `few_years` or `open_ended`.
    pub duration: Option<String>,
    /// Will money pass between you: `none`, `one_funding` or `pooled`.
    pub money: Option<String>,
    /// Does a funder want one body: `no`, `one_of_us` or `new_body`.
    pub contract: Option<String>,
    /// Will staff or assets move: `no`, `some` or `most`.
    pub assets: Option<String>,
    /// Independence kept: `full`, `identity` or `none`.
    pub independence: Option<String>,
}

/// The model the answers point to, and why.
#[derive(Debug, Serialize, ToSchema)]
pub struct ModelSuggestion {
    pub model: CollaborationModel,
    pub label: String,
    /// At least one.
    pub reasons: Vec<String>,
}

fn guides() -> Vec<ModelGuide> {
    Model::ALL
        .iter()
        .map(|m| {
            let p = m.profile();
            ModelGuide {
                model: (*m).into(),
                label: m.label().into(),
                degree: m.degree().code().into(),
                needs_due_diligence: m.needs_due_diligence(),
                what_it_is: p.what_it_is.into(),
                suits: p.suits.into(),
                costs: p.costs.into(),
                governance: p.governance.into(),
                trustees: p.trustees.into(),
                staff: p.staff.into(),
                money: p.money.into(),
                independence: p.independence.into(),
                charity_commission: p.charity_commission.into(),
                due_diligence: p.due_diligence.into(),
            }
        })
        .collect()
}

/// The model chosen (if any), and every model explained.
#[utoipa::path(
    get,
    path = "/collaborations/{id}/model",
    tag = "plan",
    operation_id = "collaboration_model",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The collaboration.")),
    responses(
        (status = 200, description = "The choice and the guide.", body = ModelOverview),
        (status = 401, response = Unauthenticated),
        (status = 404, response = NotFound),
    )
)]
pub async fn collaboration_model(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
) -> Result<Json<ModelOverview>, AppError> {
    let v = actions::model::model(&state, &actor, id).await?;
    Ok(Json(ModelOverview {
        chosen: v.current.map(Into::into),
        models: guides(),
        can_contribute: v.can_contribute,
    }))
}

/// Records the model chosen and why. Not for observers. Choosing a
/// consortium, group structure or merger opens its due diligence checklist.
#[utoipa::path(
    put,
    path = "/collaborations/{id}/model",
    tag = "plan",
    operation_id = "choose_collaboration_model",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The collaboration.")),
    request_body = ChooseModel,
    responses(
        (status = 200, description = "The choice as recorded.", body = ChosenModel),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 413, response = PayloadTooLarge),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn choose_collaboration_model(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
    ApiJson(body): ApiJson<ChooseModel>,
) -> Result<Json<ChosenModel>, AppError> {
    let based_on = body.based_on.map(|b| b.to_string()).unwrap_or_default();
    let c = actions::model::choose_model(
        &state,
        &actor,
        id,
        body.model.as_deref().unwrap_or(""),
        body.reason.as_deref().unwrap_or(""),
        &based_on,
    )
    .await?;
    Ok(Json(c.into()))
}

/// Suggests a model from the answers to the guided questions. Saves nothing.
#[utoipa::path(
    get,
    path = "/collaborations/{id}/model/suggestion",
    tag = "plan",
    operation_id = "suggest_collaboration_model",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The collaboration."), SuggestionParams),
    responses(
        (status = 200, description = "One model, with its reasons.", body = ModelSuggestion),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 404, response = NotFound),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn suggest_collaboration_model(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
    Q(params): Q<SuggestionParams>,
) -> Result<Json<ModelSuggestion>, AppError> {
    let answer = |key: &str| -> Option<&str> {
        match key {
            "purpose" => params.purpose.as_deref(),
            "duration" => params.duration.as_deref(),
            "money" => params.money.as_deref(),
            "contract" => params.contract.as_deref(),
            "assets" => params.assets.as_deref(),
            "independence" => params.independence.as_deref(),
            _ => None,
        }
    };
    let s = actions::model::suggest_model(&state, &actor, id, answer).await?;
    Ok(Json(ModelSuggestion {
        model: s.model.into(),
        label: s.model.label().into(),
        reasons: s.reasons,
    }))
}
