//! The aims review (how each shared aim went) and the lessons learned.

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
use axum::http::StatusCode;
use commonground_domain::FieldErrors;
use commonground_domain::outcomes::{AimReviewInput, LessonInput};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

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

/// A lesson learned.
#[derive(Debug, Serialize, ToSchema)]
pub struct Lesson {
    pub id: i64,
    /// `identify`, `plan`, `implement` or `review`.
    pub stage: String,
    /// `worked`, `did_not_work` or `do_differently`.
    pub kind: String,
    pub text: String,
    /// Send this back when changing the lesson.
    pub version: i64,
    /// Who last saved it, and for which organisation.
    pub recorded_by_name: String,
    pub organisation_name: String,
    pub recorded_at: i64,
    pub recorded_at_rfc3339: String,
    pub updated_at: i64,
    pub updated_at_rfc3339: String,
    /// Copied from the previous cycle when this one started.
    pub from_previous_cycle: bool,
}

impl From<commonground_store::outcomes::Lesson> for Lesson {
    fn from(l: commonground_store::outcomes::Lesson) -> Self {
        Lesson {
            id: l.id,
            stage: l.stage.code().to_string(),
            kind: l.kind.code().to_string(),
            text: l.text,
            version: l.version,
            recorded_by_name: l.recorded_by_name,
            organisation_name: l.organisation_name,
            recorded_at: l.recorded_at,
            recorded_at_rfc3339: rfc3339(l.recorded_at),
            updated_at: l.updated_at,
            updated_at_rfc3339: rfc3339(l.updated_at),
            from_previous_cycle: l.from_previous_cycle,
        }
    }
}

/// One page of the lessons learned, by stage (Identify first), oldest first
/// within a stage.
#[derive(Debug, Serialize, ToSchema)]
pub struct LessonPage {
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
    pub items: Vec<Lesson>,
}

/// Which page of lessons.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LessonParams {
    /// From 1.
    pub page: Option<String>,
    /// From 1 to 500; 50 when not given.
    pub per_page: Option<String>,
}

/// A lesson to record.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewLesson {
    /// `identify`, `plan`, `implement` or `review`.
    pub stage: String,
    /// `worked`, `did_not_work` or `do_differently`.
    pub kind: String,
    /// Up to 2,000 characters.
    pub text: String,
}

/// A changed lesson, with the version it was read at.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangeLesson {
    pub stage: String,
    pub kind: String,
    pub text: String,
    /// The lesson's `version` when it was read. A stale one is refused (409).
    pub version: i64,
}

/// One page of the lessons learned.
#[utoipa::path(
    get,
    path = "/collaborations/{id}/lessons",
    tag = "review",
    operation_id = "list_lessons",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The collaboration."), LessonParams),
    responses(
        (status = 200, description = "A page of lessons.", body = LessonPage),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 404, response = NotFound),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn list_lessons(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
    Q(p): Q<LessonParams>,
) -> Result<Json<LessonPage>, AppError> {
    let mut errors = FieldErrors::new();
    let page = actions::problems::parse_page(
        &mut errors,
        p.page.as_deref().unwrap_or(""),
        p.per_page.as_deref().unwrap_or(""),
    );
    errors.into_result()?;
    let v = actions::outcomes::lessons(&state, &actor, id, page).await?;
    Ok(Json(LessonPage {
        total: v.total,
        page: page.number,
        per_page: page.size,
        items: v.lessons.into_iter().map(Into::into).collect(),
    }))
}

/// Records a lesson. Not for observers.
#[utoipa::path(
    post,
    path = "/collaborations/{id}/lessons",
    tag = "review",
    operation_id = "add_lesson",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The collaboration.")),
    request_body = NewLesson,
    responses(
        (status = 201, description = "It was recorded.", body = Lesson),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 413, response = PayloadTooLarge),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn add_lesson(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
    ApiJson(b): ApiJson<NewLesson>,
) -> Result<(StatusCode, Json<Lesson>), AppError> {
    let input = LessonInput {
        stage: &b.stage,
        kind: &b.kind,
        text: &b.text,
    };
    let l = actions::outcomes::add_lesson(&state, &actor, id, &input).await?;
    Ok((StatusCode::CREATED, Json(l.into())))
}

/// Changes a lesson, if nobody changed it since `version`. Not for
/// observers.
#[utoipa::path(
    put,
    path = "/collaborations/{id}/lessons/{lesson_id}",
    tag = "review",
    operation_id = "change_lesson",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "The collaboration."),
        ("lesson_id" = i64, Path, description = "The lesson."),
    ),
    request_body = ChangeLesson,
    responses(
        (status = 200, description = "As saved, with its new version.", body = Lesson),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 413, response = PayloadTooLarge),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn change_lesson(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P((id, lesson_id)): P<(i64, i64)>,
    ApiJson(b): ApiJson<ChangeLesson>,
) -> Result<Json<Lesson>, AppError> {
    let input = LessonInput {
        stage: &b.stage,
        kind: &b.kind,
        text: &b.text,
    };
    let l = actions::outcomes::update_lesson(
        &state,
        &actor,
        id,
        lesson_id,
        &input,
        &b.version.to_string(),
    )
    .await?;
    Ok(Json(l.into()))
}

/// Removes a lesson. Not for observers.
#[utoipa::path(
    delete,
    path = "/collaborations/{id}/lessons/{lesson_id}",
    tag = "review",
    operation_id = "remove_lesson",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "The collaboration."),
        ("lesson_id" = i64, Path, description = "The lesson."),
    ),
    responses(
        (status = 204, description = "It was removed."),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    )
)]
pub async fn remove_lesson(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P((id, lesson_id)): P<(i64, i64)>,
) -> Result<StatusCode, AppError> {
    actions::outcomes::delete_lesson(&state, &actor, id, lesson_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
