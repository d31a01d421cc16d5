//! Benefits and risks of a collaboration, and the catalogue to pick from.

use super::rfc3339;
use super::{BadRequest, Forbidden, NotFound, PayloadTooLarge, Unauthenticated, Unprocessable};
use crate::AppState;
use crate::actions;
use crate::auth::ApiCaller;
use crate::error::AppError;
use crate::extract::{ApiJson, P};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use commonground_domain::benefits_risks::{
    Band as DomainBand, BenefitRiskInput, CATALOGUE, Kind as DomainKind, impact_label,
    likelihood_label, score,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Benefit,
    Risk,
}

impl From<DomainKind> for Kind {
    fn from(k: DomainKind) -> Self {
        match k {
            DomainKind::Benefit => Kind::Benefit,
            DomainKind::Risk => Kind::Risk,
        }
    }
}

/// How much attention an item needs: a score of 1–4 is low, 5–9 medium,
/// 10–16 high and 20–25 very high.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Band {
    Low,
    Medium,
    High,
    VeryHigh,
}

impl From<DomainBand> for Band {
    fn from(b: DomainBand) -> Self {
        match b {
            DomainBand::Low => Band::Low,
            DomainBand::Medium => Band::Medium,
            DomainBand::High => Band::High,
            DomainBand::VeryHigh => Band::VeryHigh,
        }
    }
}

/// A rated benefit or risk.
#[derive(Debug, Serialize, ToSchema)]
pub struct BenefitRisk {
    pub id: i64,
    pub collaboration_id: i64,
    pub kind: Kind,
    /// The catalogue entry it was picked from; null for the partners' own.
    pub catalogue_code: Option<String>,
    pub title: String,
    /// 1 (very unlikely) to 5 (almost certain).
    pub likelihood: u8,
    pub likelihood_label: String,
    /// 1 (very small) to 5 (very large).
    pub impact: u8,
    pub impact_label: String,
    /// Likelihood times impact.
    pub score: u8,
    pub band: Band,
    pub owner_organisation_id: Option<i64>,
    pub owner_name: Option<String>,
    pub note: String,
    pub created_at: i64,
    pub created_at_rfc3339: String,
    pub updated_at: i64,
    pub updated_at_rfc3339: String,
}

impl From<commonground_store::benefits_risks::BenefitRisk> for BenefitRisk {
    fn from(i: commonground_store::benefits_risks::BenefitRisk) -> Self {
        let s = score(i.likelihood, i.impact);
        BenefitRisk {
            id: i.id,
            collaboration_id: i.collaboration_id,
            kind: i.kind.into(),
            catalogue_code: i.catalogue_code,
            title: i.title,
            likelihood: i.likelihood,
            likelihood_label: likelihood_label(i.likelihood).into(),
            impact: i.impact,
            impact_label: impact_label(i.impact).into(),
            score: s,
            band: DomainBand::of_score(s).into(),
            owner_organisation_id: i.owner_organisation_id,
            owner_name: i.owner_name,
            note: i.note,
            created_at: i.created_at,
            created_at_rfc3339: rfc3339(i.created_at),
            updated_at: i.updated_at,
            updated_at_rfc3339: rfc3339(i.updated_at),
        }
    }
}

/// A benefit or risk as sent to add or change one: pick `catalogue_code`
/// from the catalogue, or give a `title` of your own (or both).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BenefitRiskInputBody {
    /// May be left out when a catalogue entry is given.
    #[serde(default)]
    #[schema(value_type = Option<Kind>)]
    pub kind: Option<String>,
    /// From `GET /api/v1/benefits-risks/catalogue`.
    #[serde(default)]
    pub catalogue_code: Option<String>,
    /// Up to 200 characters. Required without a catalogue entry.
    #[serde(default)]
    pub title: Option<String>,
    /// 1 to 5.
    #[serde(default)]
    #[schema(value_type = i64, required = true)]
    pub likelihood: Option<i64>,
    /// 1 to 5.
    #[serde(default)]
    #[schema(value_type = i64, required = true)]
    pub impact: Option<i64>,
    /// One of the organisations taking part, or null.
    #[serde(default)]
    pub owner_organisation_id: Option<i64>,
    /// Up to 2,000 characters.
    #[serde(default)]
    pub note: Option<String>,
}

impl BenefitRiskInputBody {
    fn input(&self) -> BenefitRiskInput<'_> {
        BenefitRiskInput {
            kind: self.kind.as_deref().unwrap_or(""),
            catalogue_code: self.catalogue_code.as_deref().unwrap_or(""),
            title: self.title.as_deref().unwrap_or(""),
            likelihood: self.likelihood,
            impact: self.impact,
            note: self.note.as_deref().unwrap_or(""),
        }
    }
}

/// An entry of the catalogue.
#[derive(Debug, Serialize, ToSchema)]
pub struct CatalogueEntry {
    pub code: String,
    pub kind: Kind,
    pub title: String,
    /// What it means in practice.
    pub hint: String,
}

/// Benefits and risks that collaborations commonly meet, to pick from.
#[utoipa::path(
    get,
    path = "/benefits-risks/catalogue",
    tag = "identify",
    operation_id = "benefits_risks_catalogue",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The catalogue, benefits first.", body = Vec<CatalogueEntry>),
        (status = 401, response = Unauthenticated),
    )
)]
pub async fn catalogue(ApiCaller(_): ApiCaller) -> Json<Vec<CatalogueEntry>> {
    Json(
        CATALOGUE
            .iter()
            .map(|e| CatalogueEntry {
                code: e.code.into(),
                kind: e.kind.into(),
                title: e.title.into(),
                hint: e.hint.into(),
            })
            .collect(),
    )
}

/// Lists the collaboration's benefits and risks, highest score first.
#[utoipa::path(
    get,
    path = "/collaborations/{id}/benefits-risks",
    tag = "identify",
    operation_id = "list_benefits_risks",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The collaboration.")),
    responses(
        (status = 200, description = "Highest score first; equal scores by impact.", body = Vec<BenefitRisk>),
        (status = 401, response = Unauthenticated),
        (status = 404, response = NotFound),
    )
)]
pub async fn list_benefits_risks(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
) -> Result<Json<Vec<BenefitRisk>>, AppError> {
    let v = actions::benefits_risks::benefits_risks(&state, &actor, id).await?;
    Ok(Json(v.items.into_iter().map(Into::into).collect()))
}

/// Adds a benefit or risk. Not for observers.
#[utoipa::path(
    post,
    path = "/collaborations/{id}/benefits-risks",
    tag = "identify",
    operation_id = "add_benefit_risk",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The collaboration.")),
    request_body = BenefitRiskInputBody,
    responses(
        (status = 201, description = "It was added.", body = BenefitRisk),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 413, response = PayloadTooLarge),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn add_benefit_risk(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
    ApiJson(body): ApiJson<BenefitRiskInputBody>,
) -> Result<(StatusCode, Json<BenefitRisk>), AppError> {
    let item = actions::benefits_risks::add_benefit_risk(
        &state,
        &actor,
        id,
        &body.input(),
        body.owner_organisation_id,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(item.into())))
}

/// Changes a benefit or risk. Not for observers.
#[utoipa::path(
    put,
    path = "/collaborations/{id}/benefits-risks/{item_id}",
    tag = "identify",
    operation_id = "update_benefit_risk",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "The collaboration."),
        ("item_id" = i64, Path, description = "The benefit or risk."),
    ),
    request_body = BenefitRiskInputBody,
    responses(
        (status = 200, description = "As saved.", body = BenefitRisk),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 413, response = PayloadTooLarge),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn update_benefit_risk(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P((id, item_id)): P<(i64, i64)>,
    ApiJson(body): ApiJson<BenefitRiskInputBody>,
) -> Result<Json<BenefitRisk>, AppError> {
    let item = actions::benefits_risks::update_benefit_risk(
        &state,
        &actor,
        id,
        item_id,
        &body.input(),
        body.owner_organisation_id,
    )
    .await?;
    Ok(Json(item.into()))
}

/// Deletes a benefit or risk. Not for observers.
#[utoipa::path(
    delete,
    path = "/collaborations/{id}/benefits-risks/{item_id}",
    tag = "identify",
    operation_id = "delete_benefit_risk",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "The collaboration."),
        ("item_id" = i64, Path, description = "The benefit or risk."),
    ),
    responses(
        (status = 204, description = "It was deleted."),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    )
)]
pub async fn delete_benefit_risk(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P((id, item_id)): P<(i64, i64)>,
) -> Result<StatusCode, AppError> {
    actions::benefits_risks::delete_benefit_risk(&state, &actor, id, item_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
