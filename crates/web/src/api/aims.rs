//! The shared aims of a collaboration and their approval.

use super::{
    BadRequest, Conflict, Forbidden, NotFound, PayloadTooLarge, Unauthenticated, Unprocessable,
    rfc3339,
};
use crate::AppState;
use crate::actions;
use crate::actions::aims::AimsView;
use crate::auth::ApiCaller;
use crate::error::AppError;
use crate::extract::{ApiJson, P};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use commonground_domain::aims::AimInput;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A shared aim.
#[derive(Debug, Serialize, ToSchema)]
pub struct Aim {
    pub id: i64,
    pub collaboration_id: i64,
    pub title: String,
    /// How progress is measured.
    pub indicator: String,
    /// Where the partners start; may be empty.
    pub baseline: String,
    /// Where they want to be; may be empty.
    pub target: String,
    /// `YYYY-MM-DD`, or null.
    pub target_date: Option<String>,
    /// The benefit recorded in Identify that this aim serves, if any.
    pub benefit_id: Option<i64>,
    pub benefit_title: Option<String>,
    /// Send this back when changing the aim.
    pub version: i64,
    pub updated_at: i64,
    pub updated_at_rfc3339: String,
}

impl From<commonground_store::aims::Aim> for Aim {
    fn from(a: commonground_store::aims::Aim) -> Self {
        Aim {
            id: a.id,
            collaboration_id: a.collaboration_id,
            title: a.title,
            indicator: a.indicator,
            baseline: a.baseline,
            target: a.target,
            target_date: a.target_date,
            benefit_id: a.benefit_id,
            benefit_title: a.benefit_title,
            version: a.version,
            updated_at: a.updated_at,
            updated_at_rfc3339: rfc3339(a.updated_at),
        }
    }
}

/// An organisation's approval.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlanApproval {
    pub organisation_id: i64,
    pub organisation_name: String,
    /// The version approved.
    pub version: i64,
    pub approved_by_name: String,
    pub approved_at: i64,
    pub approved_at_rfc3339: String,
    /// Whether it still counts: same version, same partners.
    pub current: bool,
}

/// A lead or partner organisation that still has to approve.
#[derive(Debug, Serialize, ToSchema)]
pub struct WaitingParty {
    pub organisation_id: i64,
    pub organisation_name: String,
    /// It approved before, and must approve again after a change.
    pub again: bool,
}

/// The set of aims and where its approval stands.
#[derive(Debug, Serialize, ToSchema)]
pub struct AimSet {
    /// Goes up with every change to any aim; approve this version.
    pub version: i64,
    /// Every lead and partner organisation approved this version.
    pub approved: bool,
    pub aims: Vec<Aim>,
    pub waiting: Vec<WaitingParty>,
    /// Every approval given, newest first.
    pub approvals: Vec<PlanApproval>,
}

impl From<AimsView> for AimSet {
    fn from(v: AimsView) -> Self {
        let waiting = v
            .set
            .state
            .waiting
            .iter()
            .map(|o| WaitingParty {
                organisation_id: *o,
                organisation_name: v.party_name(*o).to_string(),
                again: v.set.state.again.contains(o),
            })
            .collect();
        let s = v.set;
        AimSet {
            version: s.version,
            approved: s.state.agreed,
            waiting,
            approvals: s
                .approvals
                .iter()
                .map(|a| PlanApproval {
                    organisation_id: a.organisation_id,
                    organisation_name: a.organisation_name.clone(),
                    version: a.version,
                    approved_by_name: a.approved_by_name.clone(),
                    approved_at: a.approved_at,
                    approved_at_rfc3339: rfc3339(a.approved_at),
                    current: a.version == s.version
                        && a.parties_epoch == s.parties_epoch
                        && s.state.approved.contains(&a.organisation_id),
                })
                .collect(),
            aims: s.aims.into_iter().map(Into::into).collect(),
        }
    }
}

/// A new aim.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAim {
    /// 3 to 200 characters.
    pub title: String,
    /// Up to 300 characters.
    pub indicator: String,
    #[serde(default)]
    pub baseline: Option<String>,
    #[serde(default)]
    pub target: Option<String>,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    pub target_date: Option<String>,
    /// A benefit of this collaboration from Identify.
    #[serde(default)]
    pub benefit_id: Option<i64>,
}

/// A changed aim, with the version it was read at.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangeAim {
    pub title: String,
    pub indicator: String,
    #[serde(default)]
    pub baseline: Option<String>,
    #[serde(default)]
    pub target: Option<String>,
    #[serde(default)]
    pub target_date: Option<String>,
    #[serde(default)]
    pub benefit_id: Option<i64>,
    /// The aim's `version` when it was read. A stale one is refused (409).
    pub version: i64,
}

/// Which version of the set is approved.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApproveVersion {
    pub version: i64,
}

fn input<'a>(
    title: &'a str,
    indicator: &'a str,
    baseline: &'a Option<String>,
    target: &'a Option<String>,
    target_date: &'a Option<String>,
    benefit: &'a str,
) -> AimInput<'a> {
    AimInput {
        title,
        indicator,
        baseline: baseline.as_deref().unwrap_or(""),
        target: target.as_deref().unwrap_or(""),
        target_date: target_date.as_deref().unwrap_or(""),
        benefit_id: benefit,
    }
}

/// The shared aims and where their approval stands.
#[utoipa::path(
    get,
    path = "/collaborations/{id}/aims",
    tag = "plan",
    operation_id = "list_aims",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The collaboration.")),
    responses(
        (status = 200, description = "The aims, oldest first, with approvals.", body = AimSet),
        (status = 401, response = Unauthenticated),
        (status = 404, response = NotFound),
    )
)]
pub async fn list_aims(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
) -> Result<Json<AimSet>, AppError> {
    Ok(Json(actions::aims::aims(&state, &actor, id).await?.into()))
}

/// Adds an aim. Approval of the set opens again. Not for observers.
#[utoipa::path(
    post,
    path = "/collaborations/{id}/aims",
    tag = "plan",
    operation_id = "add_aim",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The collaboration.")),
    request_body = NewAim,
    responses(
        (status = 201, description = "It was added.", body = Aim),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 413, response = PayloadTooLarge),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn add_aim(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
    ApiJson(b): ApiJson<NewAim>,
) -> Result<(StatusCode, Json<Aim>), AppError> {
    let benefit = b.benefit_id.map(|x| x.to_string()).unwrap_or_default();
    let i = input(
        &b.title,
        &b.indicator,
        &b.baseline,
        &b.target,
        &b.target_date,
        &benefit,
    );
    let aim = actions::aims::add_aim(&state, &actor, id, &i).await?;
    Ok((StatusCode::CREATED, Json(aim.into())))
}

/// Changes an aim, if nobody changed it since `version`. Approval of the
/// set opens again. Not for observers.
#[utoipa::path(
    put,
    path = "/collaborations/{id}/aims/{aim_id}",
    tag = "plan",
    operation_id = "change_aim",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "The collaboration."),
        ("aim_id" = i64, Path, description = "The aim."),
    ),
    request_body = ChangeAim,
    responses(
        (status = 200, description = "As saved, with its new version.", body = Aim),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 413, response = PayloadTooLarge),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn change_aim(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P((id, aim_id)): P<(i64, i64)>,
    ApiJson(b): ApiJson<ChangeAim>,
) -> Result<Json<Aim>, AppError> {
    let benefit = b.benefit_id.map(|x| x.to_string()).unwrap_or_default();
    let i = input(
        &b.title,
        &b.indicator,
        &b.baseline,
        &b.target,
        &b.target_date,
        &benefit,
    );
    let aim =
        actions::aims::update_aim(&state, &actor, id, aim_id, &i, &b.version.to_string()).await?;
    Ok(Json(aim.into()))
}

/// Removes an aim. Approval of the set opens again. Not for observers.
#[utoipa::path(
    delete,
    path = "/collaborations/{id}/aims/{aim_id}",
    tag = "plan",
    operation_id = "remove_aim",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "The collaboration."),
        ("aim_id" = i64, Path, description = "The aim."),
    ),
    responses(
        (status = 204, description = "It was removed."),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    )
)]
pub async fn remove_aim(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P((id, aim_id)): P<(i64, i64)>,
) -> Result<StatusCode, AppError> {
    actions::aims::delete_aim(&state, &actor, id, aim_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Approves a version of the set for your organisation. For admins of the
/// lead and partner organisations; the version must be the current one.
#[utoipa::path(
    post,
    path = "/collaborations/{id}/aims/approvals",
    tag = "plan",
    operation_id = "approve_aims",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The collaboration.")),
    request_body = ApproveVersion,
    responses(
        (status = 201, description = "Approved; the set as it stands now.", body = AimSet),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 413, response = PayloadTooLarge),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn approve_aims(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
    ApiJson(b): ApiJson<ApproveVersion>,
) -> Result<(StatusCode, Json<AimSet>), AppError> {
    actions::aims::approve_aims(&state, &actor, id, &b.version.to_string()).await?;
    let v = actions::aims::aims(&state, &actor, id).await?;
    Ok((StatusCode::CREATED, Json(v.into())))
}
