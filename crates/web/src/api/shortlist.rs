//! The shortlist of possible partners for a collaboration.

use super::invitations::CollaborationInvitation;
use super::{
    BadRequest, Conflict, Forbidden, NotFound, ParticipantRole, PayloadTooLarge, Unauthenticated,
    Unprocessable, rfc3339,
};
use crate::AppState;
use crate::actions;
use crate::auth::ApiCaller;
use crate::error::AppError;
use crate::extract::{ApiJson, P};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use commonground_domain::shortlist::ApproachStatus as DomainStatus;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// How an approach is going.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ApproachStatus {
    NotContacted,
    Contacted,
    InConversation,
    Joined,
    Declined,
}

impl From<DomainStatus> for ApproachStatus {
    fn from(s: DomainStatus) -> Self {
        match s {
            DomainStatus::NotContacted => ApproachStatus::NotContacted,
            DomainStatus::Contacted => ApproachStatus::Contacted,
            DomainStatus::InConversation => ApproachStatus::InConversation,
            DomainStatus::Joined => ApproachStatus::Joined,
            DomainStatus::Declined => ApproachStatus::Declined,
        }
    }
}

/// A dated note on an approach. Notes are never changed.
#[derive(Debug, Serialize, ToSchema)]
pub struct ShortlistNote {
    pub id: i64,
    /// The status from this note on.
    pub status: ApproachStatus,
    /// Empty when the status changed without a note.
    pub note: String,
    pub written_by_name: String,
    pub written_at: i64,
    pub written_at_rfc3339: String,
}

/// An organisation on the shortlist.
#[derive(Debug, Serialize, ToSchema)]
pub struct ShortlistEntry {
    pub id: i64,
    pub collaboration_id: i64,
    pub name: String,
    /// `GB-CHC-…` or `GB-COH-…`; null for an organisation on Common Ground without one.
    pub org_identifier: Option<String>,
    /// Set when the organisation is on Common Ground.
    pub organisation_id: Option<i64>,
    /// Whether it is on Common Ground (and so can be invited).
    pub on_platform: bool,
    /// The status last recorded.
    pub status: ApproachStatus,
    pub status_label: String,
    /// Whether the organisation takes part in the collaboration now, for
    /// example after accepting an invitation, whatever the recorded status.
    pub taking_part: bool,
    pub added_at: i64,
    pub added_at_rfc3339: String,
    pub updated_at: i64,
    pub updated_at_rfc3339: String,
    /// Newest first; the oldest is "Added to the shortlist.".
    pub notes: Vec<ShortlistNote>,
}

impl From<commonground_store::shortlist::ShortlistEntry> for ShortlistEntry {
    fn from(e: commonground_store::shortlist::ShortlistEntry) -> Self {
        ShortlistEntry {
            id: e.id,
            collaboration_id: e.collaboration_id,
            name: e.name,
            org_identifier: e.org_identifier,
            organisation_id: e.organisation_id,
            on_platform: e.organisation_id.is_some(),
            status: e.status.into(),
            status_label: e.status.label().into(),
            taking_part: e.taking_part,
            added_at: e.added_at,
            added_at_rfc3339: rfc3339(e.added_at),
            updated_at: e.updated_at,
            updated_at_rfc3339: rfc3339(e.updated_at),
            notes: e
                .notes
                .into_iter()
                .map(|n| ShortlistNote {
                    id: n.id,
                    status: n.status.into(),
                    note: n.note,
                    written_by_name: n.written_by_name,
                    written_at: n.written_at,
                    written_at_rfc3339: rfc3339(n.written_at),
                })
                .collect(),
        }
    }
}

/// What to add: exactly one of `org_identifier` (an organisation on Common
/// Ground with it, or else a charity from the register) and `organisation_id`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddToShortlist {
    /// `GB-CHC-<number>` or `GB-COH-<number>`.
    #[serde(default)]
    pub org_identifier: Option<String>,
    /// An organisation on Common Ground.
    #[serde(default)]
    pub organisation_id: Option<i64>,
}

/// A change of status, a note, or both. Keeping the status without a
/// note is refused: there would be nothing to record.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangeShortlistEntry {
    #[serde(default)]
    #[schema(value_type = ApproachStatus, required = true)]
    pub status: Option<String>,
    /// Up to 2,000 characters.
    #[serde(default)]
    pub note: Option<String>,
}

/// The invitation to send from an entry.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InviteFromShortlist {
    /// Defaults to partner.
    #[serde(default)]
    #[schema(value_type = Option<ParticipantRole>)]
    pub role: Option<String>,
    /// Up to 2000 characters.
    #[serde(default)]
    pub message: Option<String>,
}

/// The invitation sent, and the entry as it is now.
#[derive(Debug, Serialize, ToSchema)]
pub struct ShortlistInvitation {
    pub invitation: CollaborationInvitation,
    /// Marked contacted; null if the entry was removed meanwhile.
    pub entry: Option<ShortlistEntry>,
}

/// Lists the shortlist, newest first.
#[utoipa::path(
    get,
    path = "/collaborations/{id}/shortlist",
    tag = "identify",
    operation_id = "list_shortlist",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The collaboration.")),
    responses(
        (status = 200, description = "Newest first, each with its notes.", body = Vec<ShortlistEntry>),
        (status = 401, response = Unauthenticated),
        (status = 404, response = NotFound),
    )
)]
pub async fn list_shortlist(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
) -> Result<Json<Vec<ShortlistEntry>>, AppError> {
    let v = actions::shortlist::shortlist(&state, &actor, id).await?;
    Ok(Json(v.entries.into_iter().map(Into::into).collect()))
}

/// Adds an organisation to the shortlist, not contacted. Not for observers.
#[utoipa::path(
    post,
    path = "/collaborations/{id}/shortlist",
    tag = "identify",
    operation_id = "add_to_shortlist",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The collaboration.")),
    request_body = AddToShortlist,
    responses(
        (status = 201, description = "It was added.", body = ShortlistEntry),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 413, response = PayloadTooLarge),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn add_to_shortlist(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
    ApiJson(body): ApiJson<AddToShortlist>,
) -> Result<(StatusCode, Json<ShortlistEntry>), AppError> {
    let org = body
        .organisation_id
        .map(|o| o.to_string())
        .unwrap_or_default();
    let entry = actions::shortlist::add_to_shortlist(
        &state,
        &actor,
        id,
        body.org_identifier.as_deref().unwrap_or(""),
        &org,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(entry.into())))
}

/// One entry with all its notes.
#[utoipa::path(
    get,
    path = "/collaborations/{id}/shortlist/{entry_id}",
    tag = "identify",
    operation_id = "shortlist_entry",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "The collaboration."),
        ("entry_id" = i64, Path, description = "The entry."),
    ),
    responses(
        (status = 200, description = "The entry.", body = ShortlistEntry),
        (status = 401, response = Unauthenticated),
        (status = 404, response = NotFound),
    )
)]
pub async fn shortlist_entry(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P((id, entry_id)): P<(i64, i64)>,
) -> Result<Json<ShortlistEntry>, AppError> {
    let (_, e) = actions::shortlist::shortlist_entry(&state, &actor, id, entry_id).await?;
    Ok(Json(e.into()))
}

/// Records how the approach is going: a status and an optional note,
/// kept with the date. Not for observers.
#[utoipa::path(
    patch,
    path = "/collaborations/{id}/shortlist/{entry_id}",
    tag = "identify",
    operation_id = "change_shortlist_entry",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "The collaboration."),
        ("entry_id" = i64, Path, description = "The entry."),
    ),
    request_body = ChangeShortlistEntry,
    responses(
        (status = 200, description = "As saved, with the new note first.", body = ShortlistEntry),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 413, response = PayloadTooLarge),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn change_shortlist_entry(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P((id, entry_id)): P<(i64, i64)>,
    ApiJson(body): ApiJson<ChangeShortlistEntry>,
) -> Result<Json<ShortlistEntry>, AppError> {
    let e = actions::shortlist::change_shortlist_status(
        &state,
        &actor,
        id,
        entry_id,
        body.status.as_deref().unwrap_or(""),
        body.note.as_deref().unwrap_or(""),
    )
    .await?;
    Ok(Json(e.into()))
}

/// Removes an entry and its notes. Not for observers.
#[utoipa::path(
    delete,
    path = "/collaborations/{id}/shortlist/{entry_id}",
    tag = "identify",
    operation_id = "remove_from_shortlist",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "The collaboration."),
        ("entry_id" = i64, Path, description = "The entry."),
    ),
    responses(
        (status = 204, description = "It was removed."),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    )
)]
pub async fn remove_from_shortlist(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P((id, entry_id)): P<(i64, i64)>,
) -> Result<StatusCode, AppError> {
    actions::shortlist::remove_from_shortlist(&state, &actor, id, entry_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Invites the entry's organisation to join (it must be on Common Ground),
/// and marks the entry contacted. For admins of the lead organisation.
#[utoipa::path(
    post,
    path = "/collaborations/{id}/shortlist/{entry_id}/invite",
    tag = "identify",
    operation_id = "invite_from_shortlist",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "The collaboration."),
        ("entry_id" = i64, Path, description = "The entry."),
    ),
    request_body = InviteFromShortlist,
    responses(
        (status = 201, description = "The invitation was sent.", body = ShortlistInvitation),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 413, response = PayloadTooLarge),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn invite_from_shortlist(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P((id, entry_id)): P<(i64, i64)>,
    ApiJson(body): ApiJson<InviteFromShortlist>,
) -> Result<(StatusCode, Json<ShortlistInvitation>), AppError> {
    let (invitation, entry) = actions::shortlist::invite_from_shortlist(
        &state,
        &actor,
        id,
        entry_id,
        body.role.as_deref().unwrap_or(""),
        body.message.as_deref().unwrap_or(""),
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(ShortlistInvitation {
            invitation: invitation.into(),
            entry: entry.map(Into::into),
        }),
    ))
}
