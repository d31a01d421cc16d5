//! The responsibilities matrix of a collaboration.

use super::governance::conflict_response;
use super::rfc3339_opt;
use super::{BadRequest, Forbidden, NotFound, PayloadTooLarge, Unauthenticated, Unprocessable};
use crate::AppState;
use crate::actions;
use crate::actions::responsibilities::{CellInput, MatrixUpdate, stale_message};
use crate::auth::ApiCaller;
use crate::error::AppError;
use crate::extract::{ApiJson, P};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use commonground_domain::responsibilities::Raci as DomainRaci;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What an organisation does for a function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Raci {
    Responsible,
    Accountable,
    Consulted,
    Informed,
}

impl From<DomainRaci> for Raci {
    fn from(r: DomainRaci) -> Self {
        match r {
            DomainRaci::Responsible => Raci::Responsible,
            DomainRaci::Accountable => Raci::Accountable,
            DomainRaci::Consulted => Raci::Consulted,
            DomainRaci::Informed => Raci::Informed,
        }
    }
}

/// A row of the matrix and where it stands.
#[derive(Debug, Serialize, ToSchema)]
pub struct MatrixFunction {
    /// A standard function's code (`finance`, `delivery`, …) or `custom_<id>`.
    pub key: String,
    pub name: String,
    /// Set for functions the partners added.
    pub custom_id: Option<i64>,
    /// Exactly one is needed for the matrix to be agreed.
    pub accountable: usize,
    pub responsible: usize,
    /// What to do for the function to count as agreed; null when it does.
    pub problem: Option<String>,
    /// Set when nobody is responsible for it.
    pub warning: Option<String>,
}

/// A column of the matrix: an organisation taking part, not an observer.
#[derive(Debug, Serialize, ToSchema)]
pub struct MatrixOrganisation {
    pub organisation_id: i64,
    pub name: String,
}

/// A cell that is not blank.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct MatrixCell {
    pub function_key: String,
    pub organisation_id: i64,
    pub role: Raci,
}

/// The whole matrix.
#[derive(Debug, Serialize, ToSchema)]
pub struct Matrix {
    pub collaboration_id: i64,
    /// Send it back when saving. 0 until the first change.
    pub version: i64,
    /// True when every function has exactly one accountable organisation.
    pub agreed: bool,
    pub functions: Vec<MatrixFunction>,
    pub organisations: Vec<MatrixOrganisation>,
    pub cells: Vec<MatrixCell>,
    pub updated_at: Option<i64>,
    pub updated_at_rfc3339: Option<String>,
    pub updated_by_name: Option<String>,
}

impl From<commonground_store::responsibilities::Matrix> for Matrix {
    fn from(m: commonground_store::responsibilities::Matrix) -> Self {
        let reviews = m.reviews();
        let agreed = m.agreed();
        Matrix {
            collaboration_id: m.collaboration_id,
            version: m.version,
            agreed,
            functions: m
                .functions
                .into_iter()
                .zip(reviews)
                .map(|(f, r)| MatrixFunction {
                    problem: r.problem(&f.name),
                    warning: r.warning(&f.name),
                    accountable: r.accountable,
                    responsible: r.responsible,
                    key: f.key,
                    name: f.name,
                    custom_id: f.custom_id,
                })
                .collect(),
            organisations: m
                .organisations
                .into_iter()
                .map(|o| MatrixOrganisation {
                    organisation_id: o.organisation_id,
                    name: o.name,
                })
                .collect(),
            cells: m
                .cells
                .into_iter()
                .map(|(function_key, organisation_id, role)| MatrixCell {
                    function_key,
                    organisation_id,
                    role: role.into(),
                })
                .collect(),
            updated_at: m.updated_at,
            updated_at_rfc3339: rfc3339_opt(m.updated_at),
            updated_by_name: m.updated_by_name,
        }
    }
}

/// One cell as sent: a null or empty role leaves it blank.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MatrixCellInput {
    pub function_key: String,
    pub organisation_id: i64,
    #[serde(default)]
    #[schema(value_type = Option<Raci>)]
    pub role: Option<String>,
}

/// The whole matrix as it should be: cells left out are blank.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MatrixInput {
    /// The version you read.
    #[serde(default)]
    #[schema(required = true)]
    pub version: Option<i64>,
    #[serde(default)]
    pub cells: Vec<MatrixCellInput>,
}

/// A function to add.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FunctionInput {
    /// Up to 80 characters, not the name of another function.
    #[serde(default)]
    #[schema(required = true)]
    pub name: Option<String>,
}

/// A save refused because someone else saved first: nothing was saved.
#[derive(Debug, Serialize, ToSchema)]
pub struct MatrixConflict {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// The matrix as it is now.
    pub current: Matrix,
}

/// The collaboration's responsibilities matrix.
#[utoipa::path(
    get,
    path = "/collaborations/{id}/responsibilities",
    tag = "plan",
    operation_id = "responsibilities",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The collaboration.")),
    responses(
        (status = 200, description = "The matrix, with where each function stands.", body = Matrix),
        (status = 401, response = Unauthenticated),
        (status = 404, response = NotFound),
    )
)]
pub async fn responsibilities(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
) -> Result<Json<Matrix>, AppError> {
    Ok(Json(
        actions::responsibilities::matrix(&state, &actor, id)
            .await?
            .matrix
            .into(),
    ))
}

/// Saves the whole matrix in one go. Send the `version` you read: if
/// someone else saved since, nothing is saved and the answer is 409 with
/// the matrix as it is now. Not for observers.
#[utoipa::path(
    put,
    path = "/collaborations/{id}/responsibilities",
    tag = "plan",
    operation_id = "save_responsibilities",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The collaboration.")),
    request_body = MatrixInput,
    responses(
        (status = 200, description = "As saved, with its new version.", body = Matrix),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, description = "Someone else saved first; nothing was saved.", body = MatrixConflict, content_type = "application/problem+json"),
        (status = 413, response = PayloadTooLarge),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn save_responsibilities(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
    ApiJson(body): ApiJson<MatrixInput>,
) -> Result<Response, AppError> {
    let cells: Vec<CellInput> = body
        .cells
        .into_iter()
        .map(|c| CellInput {
            function_key: c.function_key,
            organisation_id: c.organisation_id,
            role: c.role.unwrap_or_default(),
        })
        .collect();
    match actions::responsibilities::save_matrix(&state, &actor, id, body.version, &cells).await? {
        MatrixUpdate::Saved(m) => Ok(Json(Matrix::from(m)).into_response()),
        MatrixUpdate::Stale(m) => Ok(conflict_response(stale_message(&m), Matrix::from(m))),
    }
}

/// Adds a function of the partners' own to the matrix. It raises the
/// matrix's version. Not for observers.
#[utoipa::path(
    post,
    path = "/collaborations/{id}/responsibilities/functions",
    tag = "plan",
    operation_id = "add_responsibility_function",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The collaboration.")),
    request_body = FunctionInput,
    responses(
        (status = 201, description = "The matrix with the new function.", body = Matrix),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 413, response = PayloadTooLarge),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn add_responsibility_function(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
    ApiJson(body): ApiJson<FunctionInput>,
) -> Result<(StatusCode, Json<Matrix>), AppError> {
    actions::responsibilities::add_function(&state, &actor, id, body.name.as_deref().unwrap_or(""))
        .await?;
    let m = actions::responsibilities::matrix(&state, &actor, id).await?;
    Ok((StatusCode::CREATED, Json(m.matrix.into())))
}

/// Removes a function the partners added, with its cells. Not for observers.
#[utoipa::path(
    delete,
    path = "/collaborations/{id}/responsibilities/functions/{function_id}",
    tag = "plan",
    operation_id = "remove_responsibility_function",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "The collaboration."),
        ("function_id" = i64, Path, description = "The function's `custom_id`."),
    ),
    responses(
        (status = 204, description = "It was removed."),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    )
)]
pub async fn remove_responsibility_function(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P((id, function_id)): P<(i64, i64)>,
) -> Result<StatusCode, AppError> {
    actions::responsibilities::remove_function(&state, &actor, id, function_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
