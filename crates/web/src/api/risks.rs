//! The risk register: risks and key challenges with their ratings, owner,
//! mitigation, review date and status; the suggestions that start the
//! register; and the heat map.

use super::{
    BadRequest, Conflict, Forbidden, NotFound, PayloadTooLarge, Unauthenticated, Unprocessable,
    rfc3339,
};
use crate::AppState;
use crate::actions;
use crate::actions::risks::{FilterInput, RiskPatch, is_review_overdue, parse_filter};
use crate::auth::ApiCaller;
use crate::error::AppError;
use crate::extract::{ApiJson, P, Q};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use commonground_domain::benefits_risks::Band as DomainBand;
use commonground_domain::risks::{
    RiskInput, RiskStatus as DomainStatus, Suggestion as DomainSuggestion, category_label,
    impact_words, likelihood_words,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RiskStatus {
    Open,
    BeingManaged,
    Closed,
}

impl From<DomainStatus> for RiskStatus {
    fn from(s: DomainStatus) -> Self {
        match s {
            DomainStatus::Open => RiskStatus::Open,
            DomainStatus::BeingManaged => RiskStatus::BeingManaged,
            DomainStatus::Closed => RiskStatus::Closed,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RiskBand {
    Low,
    Medium,
    High,
    VeryHigh,
}

impl From<DomainBand> for RiskBand {
    fn from(b: DomainBand) -> Self {
        match b {
            DomainBand::Low => RiskBand::Low,
            DomainBand::Medium => RiskBand::Medium,
            DomainBand::High => RiskBand::High,
            DomainBand::VeryHigh => RiskBand::VeryHigh,
        }
    }
}

/// A risk of the register.
#[derive(Debug, Serialize, ToSchema)]
pub struct Risk {
    pub id: i64,
    pub collaboration_id: i64,
    pub title: String,
    pub description: String,
    /// `partnership`, `people`, `money`, `delivery`, `legal`, `reputation` or `other`.
    pub category: String,
    pub category_label: String,
    /// 1 (rare) to 5 (almost certain).
    pub likelihood: u8,
    pub likelihood_words: String,
    /// 1 (negligible) to 5 (severe).
    pub impact: u8,
    pub impact_words: String,
    /// Likelihood times impact.
    pub score: u8,
    pub band: RiskBand,
    pub owner_organisation_id: Option<i64>,
    pub owner_organisation_name: Option<String>,
    /// A member of the owner organisation.
    pub owner_person_id: Option<i64>,
    pub owner_person_name: Option<String>,
    pub mitigation: String,
    /// `YYYY-MM-DD`.
    pub review_on: Option<String>,
    /// Not closed, and the review date has passed (UTC).
    pub review_overdue: bool,
    pub status: RiskStatus,
    /// Where a suggested risk came from: `identify:<id>` or `common:<code>`.
    pub source: Option<String>,
    /// Send this as `version` to change the risk.
    pub version: i64,
    pub updated_by_name: String,
    pub updated_at: i64,
    pub updated_at_rfc3339: String,
}

fn risk_json(r: commonground_store::risks::Risk, today: &str) -> Risk {
    let nonempty = |s: String| (!s.is_empty()).then_some(s);
    Risk {
        review_overdue: is_review_overdue(&r, today),
        score: r.score(),
        band: r.band().into(),
        category_label: category_label(&r.category).to_string(),
        likelihood_words: likelihood_words(r.likelihood).to_string(),
        impact_words: impact_words(r.impact).to_string(),
        id: r.id,
        collaboration_id: r.collaboration_id,
        title: r.title,
        description: r.description,
        category: r.category,
        likelihood: r.likelihood,
        impact: r.impact,
        owner_organisation_id: r.owner_organisation_id,
        owner_organisation_name: nonempty(r.owner_organisation_name),
        owner_person_id: r.owner_person_id,
        owner_person_name: nonempty(r.owner_person_name),
        mitigation: r.mitigation,
        review_on: r.review_on,
        status: r.status.into(),
        source: r.source,
        version: r.version,
        updated_by_name: r.updated_by_name,
        updated_at: r.updated_at,
        updated_at_rfc3339: rfc3339(r.updated_at),
    }
}

/// A change of a risk's likelihood or impact.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScoreChange {
    pub changed_by_name: String,
    pub changed_at: i64,
    pub changed_at_rfc3339: String,
    pub from_likelihood: u8,
    pub from_impact: u8,
    pub from_score: u8,
    pub to_likelihood: u8,
    pub to_impact: u8,
    pub to_score: u8,
}

/// A risk with the history of its score.
#[derive(Debug, Serialize, ToSchema)]
pub struct RiskDetail {
    #[serde(flatten)]
    pub risk: Risk,
    /// Oldest first.
    pub history: Vec<ScoreChange>,
    /// You may change it (observers may not).
    pub can_contribute: bool,
}

/// One page of the register.
#[derive(Debug, Serialize, ToSchema)]
pub struct RiskPage {
    /// How many risks match, on every page.
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
    /// Risks not closed whose review date has passed, whatever the filters.
    pub overdue_reviews: i64,
    /// Highest score first.
    pub items: Vec<Risk>,
}

/// Which risks to list. Every filter narrows the list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RiskParams {
    /// `open`, `being_managed`, `closed`, or `live` (open or being managed).
    pub status: Option<String>,
    /// `low`, `medium`, `high` or `very_high`.
    pub band: Option<String>,
    pub owner_organisation_id: Option<String>,
    /// `true` for only risks not closed whose review date has passed.
    pub review_overdue: Option<String>,
    /// From 1.
    pub page: Option<String>,
    /// From 1 to 200; 25 when not given.
    pub per_page: Option<String>,
}

impl RiskParams {
    fn input(self) -> FilterInput {
        FilterInput {
            status: self.status.unwrap_or_default(),
            band: self.band.unwrap_or_default(),
            owner_organisation_id: self.owner_organisation_id.unwrap_or_default(),
            review_overdue: self.review_overdue.unwrap_or_default(),
            page: self.page.unwrap_or_default(),
            per_page: self.per_page.unwrap_or_default(),
        }
    }
}

/// A field that may be sent as null to clear it: absent is None, null is
/// Some(None).
/// A risk's fields. When adding, `title`, `category`, `likelihood` and
/// `impact` are required; when changing, send only what changes, and
/// `version`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RiskBody {
    /// Up to 200 characters.
    #[serde(default)]
    pub title: Option<String>,
    /// Plain text, up to 4,000 characters.
    #[serde(default)]
    pub description: Option<String>,
    /// `partnership`, `people`, `money`, `delivery`, `legal`, `reputation` or `other`.
    #[serde(default)]
    pub category: Option<String>,
    /// 1 (rare) to 5 (almost certain).
    #[serde(default)]
    pub likelihood: Option<i64>,
    /// 1 (negligible) to 5 (severe).
    #[serde(default)]
    pub impact: Option<i64>,
    /// An organisation taking part; null for none yet.
    #[serde(default, deserialize_with = "super::nullable")]
    #[schema(value_type = Option<i64>)]
    pub owner_organisation_id: Option<Option<i64>>,
    /// A member of the owner organisation; null for nobody yet.
    #[serde(default, deserialize_with = "super::nullable")]
    #[schema(value_type = Option<i64>)]
    pub owner_person_id: Option<Option<i64>>,
    /// Plain text, up to 4,000 characters.
    #[serde(default)]
    pub mitigation: Option<String>,
    /// `YYYY-MM-DD`; null for none.
    #[serde(default, deserialize_with = "super::nullable")]
    #[schema(value_type = Option<String>)]
    pub review_on: Option<Option<String>>,
    /// `open` when not given.
    #[serde(default)]
    #[schema(value_type = Option<RiskStatus>)]
    pub status: Option<String>,
    /// Only when changing: the risk's `version` this change is based on.
    #[serde(default)]
    pub version: Option<i64>,
}

impl RiskBody {
    fn patch(&self) -> RiskPatch {
        let id = |v: &Option<Option<i64>>| {
            v.as_ref()
                .map(|x| x.map(|n| n.to_string()).unwrap_or_default())
        };
        RiskPatch {
            title: self.title.clone(),
            description: self.description.clone(),
            category: self.category.clone(),
            likelihood: self.likelihood.map(|n| n.to_string()),
            impact: self.impact.map(|n| n.to_string()),
            owner_organisation_id: id(&self.owner_organisation_id),
            owner_person_id: id(&self.owner_person_id),
            mitigation: self.mitigation.clone(),
            review_on: self
                .review_on
                .as_ref()
                .map(|x| x.clone().unwrap_or_default()),
            status: self.status.clone(),
            version: self.version.map(|v| v.to_string()).unwrap_or_default(),
        }
    }
}

/// A suggested risk not yet in the register.
#[derive(Debug, Serialize, ToSchema)]
pub struct Suggestion {
    /// Send this to add it: `identify:<id>` for a risk weighed in the
    /// Identify stage, `common:<code>` for a challenge collaborations
    /// commonly meet.
    pub source: String,
    pub title: String,
    pub description: String,
    pub category: String,
    pub likelihood: u8,
    pub impact: u8,
    pub score: u8,
    pub band: RiskBand,
    /// Empty when there is none to suggest.
    pub mitigation: String,
}

impl From<DomainSuggestion> for Suggestion {
    fn from(s: DomainSuggestion) -> Self {
        let score = commonground_domain::risks::score(s.likelihood, s.impact);
        Suggestion {
            source: s.source,
            title: s.title,
            description: s.description,
            category: s.category.to_string(),
            likelihood: s.likelihood,
            impact: s.impact,
            score,
            band: commonground_domain::risks::band(score).into(),
            mitigation: s.mitigation,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SuggestionList {
    pub items: Vec<Suggestion>,
    /// You may add them (observers may not).
    pub can_contribute: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddSuggestions {
    /// The `source` of each suggestion to add. One already in the register
    /// is skipped, so sending it twice never makes two risks.
    #[serde(default)]
    #[schema(required = true)]
    pub sources: Option<Vec<String>>,
}

/// One page of the collaboration's risks, highest score first, with filters.
#[utoipa::path(
    get,
    path = "/collaborations/{id}/risks",
    tag = "implement",
    operation_id = "list_risks",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The collaboration."), RiskParams),
    responses(
        (status = 200, description = "A page of risks.", body = RiskPage),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 404, response = NotFound),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn list_risks(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
    Q(p): Q<RiskParams>,
) -> Result<Json<RiskPage>, AppError> {
    let (filter, page) = parse_filter(&p.input())?;
    let v = actions::risks::risk_list(&state, &actor, id, &filter, page).await?;
    Ok(Json(RiskPage {
        total: v.total,
        page: page.number,
        per_page: page.size,
        overdue_reviews: v.overdue_reviews,
        items: v
            .risks
            .into_iter()
            .map(|r| risk_json(r, &v.today))
            .collect(),
    }))
}

/// Adds a risk. Not for observers.
#[utoipa::path(
    post,
    path = "/collaborations/{id}/risks",
    tag = "implement",
    operation_id = "add_risk",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The collaboration.")),
    request_body = RiskBody,
    responses(
        (status = 201, description = "It was added.", body = Risk),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 413, response = PayloadTooLarge),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn add_risk(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
    ApiJson(body): ApiJson<RiskBody>,
) -> Result<(StatusCode, Json<Risk>), AppError> {
    if body.version.is_some() {
        return Err(AppError::invalid(
            "version",
            "Send a version only when changing a risk.",
        ));
    }
    let p = body.patch();
    let s = |v: &Option<String>| v.clone().unwrap_or_default();
    let (title, description, category, likelihood, impact) = (
        s(&p.title),
        s(&p.description),
        s(&p.category),
        s(&p.likelihood),
        s(&p.impact),
    );
    let (owner, person, mitigation, review, status) = (
        s(&p.owner_organisation_id),
        s(&p.owner_person_id),
        s(&p.mitigation),
        s(&p.review_on),
        s(&p.status),
    );
    let r = actions::risks::create_risk(
        &state,
        &actor,
        id,
        &RiskInput {
            title: &title,
            description: &description,
            category: &category,
            likelihood: &likelihood,
            impact: &impact,
            owner_organisation_id: &owner,
            owner_person_id: &person,
            mitigation: &mitigation,
            review_on: &review,
            status: &status,
        },
    )
    .await?;
    let today = actions::tasks::today(&state);
    Ok((StatusCode::CREATED, Json(risk_json(r, &today))))
}

/// A risk with the history of its score.
#[utoipa::path(
    get,
    path = "/risks/{rid}",
    tag = "implement",
    operation_id = "risk",
    security(("bearer" = [])),
    params(("rid" = i64, Path, description = "The risk.")),
    responses(
        (status = 200, description = "The risk.", body = RiskDetail),
        (status = 401, response = Unauthenticated),
        (status = 404, response = NotFound),
    )
)]
pub async fn risk(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(rid): P<i64>,
) -> Result<Json<RiskDetail>, AppError> {
    let d = actions::risks::risk_detail(&state, &actor, rid).await?;
    Ok(Json(RiskDetail {
        risk: risk_json(d.risk, &d.today),
        history: d
            .history
            .into_iter()
            .map(|h| ScoreChange {
                changed_at_rfc3339: rfc3339(h.changed_at),
                from_score: h.from_likelihood * h.from_impact,
                to_score: h.to_likelihood * h.to_impact,
                changed_by_name: h.changed_by_name,
                changed_at: h.changed_at,
                from_likelihood: h.from_likelihood,
                from_impact: h.from_impact,
                to_likelihood: h.to_likelihood,
                to_impact: h.to_impact,
            })
            .collect(),
        can_contribute: d.can_contribute,
    }))
}

/// Changes a risk: send the fields that change and `version`. A change of
/// likelihood or impact is kept in its history. Close it with
/// `"status": "closed"`. Not for observers.
#[utoipa::path(
    patch,
    path = "/risks/{rid}",
    tag = "implement",
    operation_id = "change_risk",
    security(("bearer" = [])),
    params(("rid" = i64, Path, description = "The risk.")),
    request_body = RiskBody,
    responses(
        (status = 200, description = "The risk as saved.", body = Risk),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 413, response = PayloadTooLarge),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn change_risk(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(rid): P<i64>,
    ApiJson(body): ApiJson<RiskBody>,
) -> Result<Json<Risk>, AppError> {
    let r = actions::risks::update_risk(&state, &actor, rid, &body.patch()).await?;
    let today = actions::tasks::today(&state);
    Ok(Json(risk_json(r, &today)))
}

/// Deletes a risk and its history. To keep it on record, close it instead.
/// Not for observers.
#[utoipa::path(
    delete,
    path = "/risks/{rid}",
    tag = "implement",
    operation_id = "delete_risk",
    security(("bearer" = [])),
    params(("rid" = i64, Path, description = "The risk.")),
    responses(
        (status = 204, description = "It was deleted."),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    )
)]
pub async fn delete_risk(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(rid): P<i64>,
) -> Result<StatusCode, AppError> {
    actions::risks::delete_risk(&state, &actor, rid).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Suggested risks not yet in the register: the risks the partners weighed
/// in Identify, and challenges collaborations commonly meet.
#[utoipa::path(
    get,
    path = "/collaborations/{id}/risks/suggestions",
    tag = "implement",
    operation_id = "risk_suggestions",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The collaboration.")),
    responses(
        (status = 200, description = "The suggestions.", body = SuggestionList),
        (status = 401, response = Unauthenticated),
        (status = 404, response = NotFound),
    )
)]
pub async fn risk_suggestions(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
) -> Result<Json<SuggestionList>, AppError> {
    let s = actions::risks::suggestions(&state, &actor, id).await?;
    Ok(Json(SuggestionList {
        items: s.suggestions.into_iter().map(Into::into).collect(),
        can_contribute: s.can_contribute,
    }))
}

/// Adds suggested risks to the register, each once. Not for observers.
#[utoipa::path(
    post,
    path = "/collaborations/{id}/risks/suggestions",
    tag = "implement",
    operation_id = "add_risk_suggestions",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The collaboration.")),
    request_body = AddSuggestions,
    responses(
        (status = 201, description = "The risks added (none when all were there already).", body = Vec<Risk>),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 413, response = PayloadTooLarge),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn add_risk_suggestions(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
    ApiJson(body): ApiJson<AddSuggestions>,
) -> Result<(StatusCode, Json<Vec<Risk>>), AppError> {
    let sources = body.sources.unwrap_or_default();
    let added = actions::risks::add_suggestions(&state, &actor, id, &sources).await?;
    let today = actions::tasks::today(&state);
    Ok((
        StatusCode::CREATED,
        Json(added.into_iter().map(|r| risk_json(r, &today)).collect()),
    ))
}

/// The heat map of the risks not closed, as SVG: likelihood across, impact
/// up, the number of risks and the band written in each cell, with a
/// pattern for each band. Its description says the same in words.
#[utoipa::path(
    get,
    path = "/collaborations/{id}/risks/heatmap.svg",
    tag = "implement",
    operation_id = "risk_heatmap",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The collaboration.")),
    responses(
        (status = 200, description = "The heat map.", content_type = "image/svg+xml", body = String),
        (status = 401, response = Unauthenticated),
        (status = 404, response = NotFound),
    )
)]
pub async fn risk_heatmap(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
) -> Result<Response, AppError> {
    Ok(crate::svg_response(
        actions::risks::heatmap(&state, &actor, id).await?,
    ))
}
