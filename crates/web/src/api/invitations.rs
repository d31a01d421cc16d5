//! Invitations for organisations to join collaborations, seen from the
//! invited organisation's side.

use super::{Conflict, Forbidden, NotFound, Unauthenticated};
use super::{InvitationStatus, ParticipantRole, rfc3339, rfc3339_opt};
use crate::AppState;
use crate::actions;
use crate::auth::ApiCaller;
use crate::error::AppError;
use crate::extract::P;
use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;

/// An invitation for an organisation to join a collaboration.
#[derive(Debug, Serialize, ToSchema)]
pub struct CollaborationInvitation {
    pub id: i64,
    pub collaboration_id: i64,
    pub collaboration_title: String,
    pub collaboration_purpose: String,
    /// The organisation invited.
    pub organisation_id: i64,
    pub organisation_name: String,
    /// The organisation that sent the invitation.
    pub invited_by_organisation_name: String,
    /// The role offered.
    pub role: ParticipantRole,
    pub message: String,
    pub status: InvitationStatus,
    pub created_at: i64,
    pub created_at_rfc3339: String,
    pub responded_at: Option<i64>,
    pub responded_at_rfc3339: Option<String>,
}

impl From<commonground_store::collaborations::CollabInvitation> for CollaborationInvitation {
    fn from(i: commonground_store::collaborations::CollabInvitation) -> Self {
        CollaborationInvitation {
            id: i.id,
            collaboration_id: i.collaboration_id,
            collaboration_title: i.collaboration_title,
            collaboration_purpose: i.collaboration_purpose,
            organisation_id: i.organisation_id,
            organisation_name: i.organisation_name,
            invited_by_organisation_name: i.invited_by_organisation_name,
            role: i.role.into(),
            message: i.message,
            status: i.status.into(),
            created_at: i.created_at,
            created_at_rfc3339: rfc3339(i.created_at),
            responded_at: i.responded_at,
            responded_at_rfc3339: rfc3339_opt(i.responded_at),
        }
    }
}

/// An invitation to one of your organisations, and whether you may answer it.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvitationForYou {
    #[serde(flatten)]
    pub invitation: CollaborationInvitation,
    /// True when you are an admin of the invited organisation and so may
    /// accept or decline.
    pub can_answer: bool,
}

/// Lists invitations waiting for a reply from the organisations you are an admin of.
#[utoipa::path(
    get,
    path = "/invitations",
    tag = "invitations",
    operation_id = "list_waiting_invitations",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Invitations waiting for your reply.", body = Vec<CollaborationInvitation>),
        (status = 401, response = Unauthenticated),
    )
)]
pub async fn waiting_invitations(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
) -> Result<Json<Vec<CollaborationInvitation>>, AppError> {
    let waiting = actions::invitations::pending_invitations(&state, &actor).await?;
    Ok(Json(
        waiting
            .into_iter()
            .map(CollaborationInvitation::from)
            .collect(),
    ))
}

/// Reads an invitation sent to one of your organisations.
#[utoipa::path(
    get,
    path = "/invitations/{id}",
    tag = "invitations",
    operation_id = "get_invitation",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The invitation's id.")),
    responses(
        (status = 200, description = "The invitation.", body = InvitationForYou),
        (status = 401, response = Unauthenticated),
        (status = 404, response = NotFound),
    )
)]
pub async fn invitation(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
) -> Result<Json<InvitationForYou>, AppError> {
    let (invitation, can_answer) = actions::invitations::invitation(&state, &actor, id).await?;
    Ok(Json(InvitationForYou {
        invitation: invitation.into(),
        can_answer,
    }))
}

/// Accepts an invitation: your organisation joins the collaboration in the
/// role offered. For admins of the invited organisation.
#[utoipa::path(
    post,
    path = "/invitations/{id}/accept",
    tag = "invitations",
    operation_id = "accept_invitation",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The invitation's id.")),
    responses(
        (status = 200, description = "The invitation, now accepted.", body = CollaborationInvitation),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
    )
)]
pub async fn accept_invitation(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
) -> Result<Json<CollaborationInvitation>, AppError> {
    Ok(Json(
        actions::invitations::answer_invitation(&state, &actor, id, true)
            .await?
            .into(),
    ))
}

/// Declines an invitation. For admins of the invited organisation.
#[utoipa::path(
    post,
    path = "/invitations/{id}/decline",
    tag = "invitations",
    operation_id = "decline_invitation",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The invitation's id.")),
    responses(
        (status = 200, description = "The invitation, now declined.", body = CollaborationInvitation),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
    )
)]
pub async fn decline_invitation(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
) -> Result<Json<CollaborationInvitation>, AppError> {
    Ok(Json(
        actions::invitations::answer_invitation(&state, &actor, id, false)
            .await?
            .into(),
    ))
}
