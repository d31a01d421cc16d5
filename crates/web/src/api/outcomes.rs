//! The aims review: how each shared aim went.

use super::{
    BadRequest, Conflict, Forbidden, NotFound, PayloadTooLarge, Unauthenticated, Unprocessable,
    rfc3339,
};
use crate::AppState;
use crate::actions;
use crate::auth::ApiCaller;
use crate::error::AppError;
use crate::extract::{ApiJson, P};
use axum::Json;
use axum::extract::State;
use commonground_domain::outcomes::AimReviewInput;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// How an aim went, as last recorded.
#[derive(Debug, Serialize, ToSchema)]
pub struct AimReview {
    /// `achieved`, `partly` or `not_achieved`.
    pub outcome: String,
    /// The indicator's actual value.
    pub actual: String,
    /// Markdown.
    pub evidence: String,
    /// Web addresses of the evidence (http or https).
    pub links: Vec<String>,
    /// Send this back when changing the review.
    pub version: i64,
    pub recorded_by_name: String,
    pub organisation_name: String,
    pub recorded_at: i64,
    pub recorded_at_rfc3339: String,
}

/// A shared aim, what the partners set for it, and its review (null when
/// not reviewed yet).
#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewedAim {
    pub aim_id: i64,
    pub title: String,
    pub indicator: String,
    pub baseline: String,
    pub target: String,
    /// `YYYY-MM-DD`, or null.
    pub target_date: Option<String>,
    pub review: Option<AimReview>,
}

impl From<commonground_store::outcomes::ReviewedAim> for ReviewedAim {
    fn from(a: commonground_store::outcomes::ReviewedAim) -> Self {
        ReviewedAim {
            aim_id: a.aim_id,
            title: a.title,
            indicator: a.indicator,
            baseline: a.baseline,
            target: a.target,
            target_date: a.target_date,
            review: a.review.map(|r| AimReview {
                outcome: r.outcome.code().to_string(),
                actual: r.actual,
                evidence: r.evidence,
                links: r.links,
                version: r.version,
                recorded_by_name: r.recorded_by_name,
                organisation_name: r.organisation_name,
                recorded_at: r.recorded_at,
                recorded_at_rfc3339: rfc3339(r.recorded_at),
            }),
        }
    }
}

/// Every shared aim with how it went.
#[derive(Debug, Serialize, ToSchema)]
pub struct AimsReview {
    /// How many aims have a review.
    pub reviewed: i64,
    /// How many shared aims there are.
    pub total: i64,
    /// Oldest aim first.
    pub aims: Vec<ReviewedAim>,
}

/// How an aim went, with the review's version it was read at.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SaveAimReview {
    /// `achieved`, `partly` or `not_achieved`.
    pub outcome: String,
    /// The indicator's actual value, 1 to 300 characters.
    pub actual: String,
    /// Markdown, up to 5,000 characters.
    #[serde(default)]
    pub evidence: Option<String>,
    /// At most 10 web addresses, http or https.
    #[serde(default)]
    pub links: Vec<String>,
    /// The review's `version` when it was read, or 0 when the aim had no
    /// review. A stale one is refused (409).
    pub version: i64,
}

/// Every shared aim with how it went; aims not reviewed yet have a null
/// `review`.
#[utoipa::path(
    get,
    path = "/collaborations/{id}/aims-review",
    tag = "review",
    operation_id = "aims_review",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The collaboration.")),
    responses(
        (status = 200, description = "The aims and their reviews.", body = AimsReview),
        (status = 401, response = Unauthenticated),
        (status = 404, response = NotFound),
    )
)]
pub async fn aims_review(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
) -> Result<Json<AimsReview>, AppError> {
    let v = actions::outcomes::aims_review(&state, &actor, id).await?;
    Ok(Json(AimsReview {
        reviewed: v.reviewed() as i64,
        total: v.aims.len() as i64,
        aims: v.aims.into_iter().map(Into::into).collect(),
    }))
}

/// Records or changes how an aim went, if nobody saved its review since
/// `version`. Not for observers.
#[utoipa::path(
    put,
    path = "/collaborations/{id}/aims-review/{aim_id}",
    tag = "review",
    operation_id = "save_aim_review",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "The collaboration."),
        ("aim_id" = i64, Path, description = "The shared aim."),
    ),
    request_body = SaveAimReview,
    responses(
        (status = 200, description = "The aim with its review as saved.", body = ReviewedAim),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 413, response = PayloadTooLarge),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn save_aim_review(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P((id, aim_id)): P<(i64, i64)>,
    ApiJson(b): ApiJson<SaveAimReview>,
) -> Result<Json<ReviewedAim>, AppError> {
    let links = b.links.join("\n");
    let input = AimReviewInput {
        outcome: &b.outcome,
        actual: &b.actual,
        evidence: b.evidence.as_deref().unwrap_or(""),
        links: &links,
    };
    let a = actions::outcomes::save_aim_review(
        &state,
        &actor,
        id,
        aim_id,
        &input,
        &b.version.to_string(),
    )
    .await?;
    Ok(Json(a.into()))
}
