//! Accounts, access tokens and "who am I".

use super::{
    BadRequest, Conflict, NotFound, PayloadTooLarge, TooManyRequests, Unauthenticated,
    Unprocessable,
};
use super::{OrgRole, rfc3339, rfc3339_opt};
use crate::AppState;
use crate::actions;
use crate::auth::{ApiCaller, ClientAddress};
use crate::error::AppError;
use crate::extract::{ApiJson, P};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A new account.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    #[schema(example = "ann@riverside.example")]
    pub email: String,
    #[schema(example = "Ann Patel")]
    pub name: String,
    /// At least 12 characters.
    pub password: String,
}

/// A person with an account.
#[derive(Debug, Serialize, ToSchema)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub name: String,
    /// Seconds since 1970 (UTC).
    pub created_at: i64,
    pub created_at_rfc3339: String,
}

impl From<commonground_store::accounts::User> for User {
    fn from(u: commonground_store::accounts::User) -> Self {
        User {
            id: u.id,
            email: u.email,
            name: u.name,
            created_at: u.created_at,
            created_at_rfc3339: rfc3339(u.created_at),
        }
    }
}

/// Creates an account. Then get an access token with `POST /api/v1/tokens`.
#[utoipa::path(
    post,
    path = "/users",
    tag = "accounts",
    operation_id = "sign_up",
    request_body = NewUser,
    responses(
        (status = 201, description = "The account was created.", body = User),
        (status = 400, response = BadRequest),
        (status = 413, response = PayloadTooLarge),
        (status = 422, response = Unprocessable),
        (status = 429, response = TooManyRequests),
    )
)]
pub async fn sign_up(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    ApiJson(body): ApiJson<NewUser>,
) -> Result<(StatusCode, Json<User>), AppError> {
    let user =
        actions::accounts::sign_up(&state, &body.email, &body.name, &body.password, &address)
            .await?;
    Ok((StatusCode::CREATED, Json(user.into())))
}

/// Your email address and password, and a name for the new token.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewToken {
    pub email: String,
    pub password: String,
    /// A name to recognise the token by, such as the program that uses it.
    #[schema(example = "Reporting script")]
    pub label: String,
}

/// A new access token. The token itself is shown only this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedToken {
    pub id: i64,
    pub label: String,
    /// Send this as `Authorization: Bearer <token>`. Keep it secret.
    pub token: String,
    pub created_at: i64,
    pub created_at_rfc3339: String,
}

/// An access token, without its secret.
#[derive(Debug, Serialize, ToSchema)]
pub struct Token {
    pub id: i64,
    pub label: String,
    pub created_at: i64,
    pub created_at_rfc3339: String,
    pub last_used_at: Option<i64>,
    pub last_used_at_rfc3339: Option<String>,
    /// Set once the token has been revoked; it no longer works.
    pub revoked_at: Option<i64>,
    pub revoked_at_rfc3339: Option<String>,
}

impl From<commonground_store::accounts::ApiToken> for Token {
    fn from(t: commonground_store::accounts::ApiToken) -> Self {
        Token {
            id: t.id,
            label: t.label,
            created_at: t.created_at,
            created_at_rfc3339: rfc3339(t.created_at),
            last_used_at: t.last_used_at,
            last_used_at_rfc3339: rfc3339_opt(t.last_used_at),
            revoked_at: t.revoked_at,
            revoked_at_rfc3339: rfc3339_opt(t.revoked_at),
        }
    }
}

/// Gets an access token with your email address and password.
#[utoipa::path(
    post,
    path = "/tokens",
    tag = "accounts",
    operation_id = "create_token",
    request_body = NewToken,
    responses(
        (status = 201, description = "The token was created. Its secret is shown only now.", body = CreatedToken),
        (status = 400, response = BadRequest),
        (status = 413, response = PayloadTooLarge),
        (status = 422, response = Unprocessable),
        (status = 429, response = TooManyRequests),
    )
)]
pub async fn create_token(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    ApiJson(body): ApiJson<NewToken>,
) -> Result<(StatusCode, Json<CreatedToken>), AppError> {
    // A bad label is refused before the password is checked, so it costs
    // no sign-in attempt.
    actions::accounts::parse_token_label(&body.label)?;
    let user =
        actions::accounts::check_password(&state, &body.email, &body.password, &address).await?;
    let (token, secret) = actions::accounts::create_api_token(&state, &user, &body.label).await?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedToken {
            id: token.id,
            label: token.label,
            token: secret,
            created_at: token.created_at,
            created_at_rfc3339: rfc3339(token.created_at),
        }),
    ))
}

/// Lists your access tokens, newest first, including revoked ones.
#[utoipa::path(
    get,
    path = "/tokens",
    tag = "accounts",
    operation_id = "list_tokens",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Your tokens.", body = Vec<Token>),
        (status = 401, response = Unauthenticated),
    )
)]
pub async fn list_tokens(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
) -> Result<Json<Vec<Token>>, AppError> {
    let tokens = actions::accounts::api_tokens(&state, &actor.user).await?;
    Ok(Json(tokens.into_iter().map(Token::from).collect()))
}

/// Revokes one of your access tokens. It stops working within a second, on every server.
#[utoipa::path(
    delete,
    path = "/tokens/{id}",
    tag = "accounts",
    operation_id = "revoke_token",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The token's id.")),
    responses(
        (status = 204, description = "The token was revoked."),
        (status = 401, response = Unauthenticated),
        (status = 404, response = NotFound),
    )
)]
pub async fn revoke_token(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
) -> Result<StatusCode, AppError> {
    actions::accounts::revoke_api_token(&state, &actor.user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// One of your organisations and your role in it.
#[derive(Debug, Serialize, ToSchema)]
pub struct MyOrganisation {
    pub id: i64,
    pub name: String,
    pub role: OrgRole,
}

/// You, and the organisations you belong to.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub organisations: Vec<MyOrganisation>,
}

/// Says who the token belongs to, and their organisations.
#[utoipa::path(
    get,
    path = "/me",
    tag = "accounts",
    operation_id = "me",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "You.", body = Me),
        (status = 401, response = Unauthenticated),
    )
)]
pub async fn me(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
) -> Result<Json<Me>, AppError> {
    let organisations = actions::organisations::my_organisations(&state, &actor).await?;
    Ok(Json(Me {
        id: actor.user.id,
        email: actor.user.email,
        name: actor.user.name,
        organisations: organisations
            .into_iter()
            .map(|o| MyOrganisation {
                id: o.id,
                name: o.name,
                role: o.role.into(),
            })
            .collect(),
    }))
}

/// Your password, to confirm deleting your account.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeleteMe {
    pub password: String,
}

/// Deletes your account. Your sign-ins, tokens, calendar feeds,
/// notifications, settings, name and email address go; what you wrote for
/// collaborations stays, shown as by "a former member of <organisation>".
/// The only admin of an organisation is refused (409) until someone else
/// is an admin there.
#[utoipa::path(
    delete,
    path = "/me",
    tag = "accounts",
    operation_id = "delete_me",
    security(("bearer" = [])),
    request_body = DeleteMe,
    responses(
        (status = 204, description = "The account was deleted. This token no longer works."),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 409, response = Conflict),
        (status = 413, response = PayloadTooLarge),
        (status = 422, response = Unprocessable),
        (status = 429, response = TooManyRequests),
    )
)]
pub async fn delete_me(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    ApiJson(body): ApiJson<DeleteMe>,
) -> Result<StatusCode, AppError> {
    actions::accounts::delete_account(&state, &actor.user, &body.password).await?;
    Ok(StatusCode::NO_CONTENT)
}
