//! Data exports: a collaboration, an organisation, and you.

use super::{Forbidden, NotFound, Unauthenticated};
use crate::AppState;
use crate::actions;
use crate::actions::export::Export;
use crate::auth::ApiCaller;
use crate::error::AppError;
use crate::extract::P;
use axum::extract::State;
use axum::response::Response;

/// The export as one JSON document, as a download.
pub(crate) fn json_download(e: &Export) -> Response {
    super::agreements::download(
        "application/json",
        format!("{}-export.json", e.stem),
        actions::export::to_json(e),
    )
}

/// The export as a zip of CSV files with a README, as a download.
pub(crate) fn zip_download(e: &Export) -> Result<Response, AppError> {
    Ok(super::agreements::download(
        "application/zip",
        format!("{}-export.zip", e.stem),
        actions::export::to_zip(e)?,
    ))
}

/// Everything the collaboration holds, as one JSON document: the
/// collaboration, then one array per table (participants, each stage's
/// parts, tasks, meetings, decisions, risks, the audit trail …). Health
/// check answers appear only as the results a page would show.
#[utoipa::path(
    get,
    path = "/collaborations/{id}/export.json",
    tag = "review",
    operation_id = "export_collaboration_json",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The collaboration.")),
    responses(
        (status = 200, description = "The export.", content_type = "application/json", body = Object),
        (status = 401, response = Unauthenticated),
        (status = 404, response = NotFound),
    )
)]
pub async fn export_collaboration_json(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
) -> Result<Response, AppError> {
    let e = actions::export::collaboration(&state, &actor, id).await?;
    Ok(json_download(&e))
}

/// The same as the JSON export, as a zip with one CSV file per table and a
/// README.txt saying what each file is.
#[utoipa::path(
    get,
    path = "/collaborations/{id}/export.zip",
    tag = "review",
    operation_id = "export_collaboration_zip",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The collaboration.")),
    responses(
        (status = 200, description = "The zip.", content_type = "application/zip", body = Vec<u8>),
        (status = 401, response = Unauthenticated),
        (status = 404, response = NotFound),
    )
)]
pub async fn export_collaboration_zip(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
) -> Result<Response, AppError> {
    let e = actions::export::collaboration(&state, &actor, id).await?;
    zip_download(&e)
}

/// Everything the organisation holds (profile, members, goals, invitations,
/// participations, its audit trail and what it contributed), for its
/// admins.
#[utoipa::path(
    get,
    path = "/organisations/{id}/export.json",
    tag = "organisations",
    operation_id = "export_organisation_json",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The organisation.")),
    responses(
        (status = 200, description = "The export.", content_type = "application/json", body = Object),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    )
)]
pub async fn export_organisation_json(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
) -> Result<Response, AppError> {
    let e = actions::export::organisation(&state, &actor, id).await?;
    Ok(json_download(&e))
}

/// The organisation's export as a zip of CSV files with a README.
#[utoipa::path(
    get,
    path = "/organisations/{id}/export.zip",
    tag = "organisations",
    operation_id = "export_organisation_zip",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The organisation.")),
    responses(
        (status = 200, description = "The zip.", content_type = "application/zip", body = Vec<u8>),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    )
)]
pub async fn export_organisation_zip(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
) -> Result<Response, AppError> {
    let e = actions::export::organisation(&state, &actor, id).await?;
    zip_download(&e)
}

/// Everything about you: your account, organisations, sign-ins and tokens
/// (without their keys), notifications and settings, and what you wrote in
/// collaborations you can see.
#[utoipa::path(
    get,
    path = "/me/export.json",
    tag = "accounts",
    operation_id = "export_me_json",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The export.", content_type = "application/json", body = Object),
        (status = 401, response = Unauthenticated),
    )
)]
pub async fn export_me_json(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
) -> Result<Response, AppError> {
    let e = actions::export::person(&state, &actor).await?;
    Ok(json_download(&e))
}
