//! Collaborations: opening them, reading and changing them, moving their
//! stage, inviting organisations and managing who takes part.

use super::invitations::CollaborationInvitation;
use super::{AuditPage, AuditQuery, ParticipantRole, Stage, rfc3339};
use super::{
    BadRequest, Conflict, Forbidden, NotFound, PayloadTooLarge, Unauthenticated, Unprocessable,
};
use crate::AppState;
use crate::actions::{self, collaborations::CollabView};
use crate::auth::{Actor, ApiCaller};
use crate::error::AppError;
use crate::extract::{ApiJson, P, Q};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// An organisation taking part in a collaboration.
#[derive(Debug, Serialize, ToSchema)]
pub struct Participant {
    pub organisation_id: i64,
    pub name: String,
    pub org_identifier: Option<String>,
    pub role: ParticipantRole,
    pub joined_at: i64,
    pub joined_at_rfc3339: String,
}

impl From<commonground_store::collaborations::Participant> for Participant {
    fn from(p: commonground_store::collaborations::Participant) -> Self {
        Participant {
            organisation_id: p.organisation_id,
            name: p.name,
            org_identifier: p.org_identifier,
            role: p.role.into(),
            joined_at: p.joined_at,
            joined_at_rfc3339: rfc3339(p.joined_at),
        }
    }
}

/// A collaboration, who takes part, and what you may do in it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Collaboration {
    pub id: i64,
    pub title: String,
    pub purpose: String,
    pub stage: Stage,
    pub created_at: i64,
    pub created_at_rfc3339: String,
    pub updated_at: i64,
    pub updated_at_rfc3339: String,
    pub participants: Vec<Participant>,
    /// The organisation you act for here: the one you belong to that takes part.
    pub acting_organisation_id: i64,
    /// You may change the title and purpose, and move the stage.
    pub can_edit: bool,
    /// You may invite organisations, change their roles and remove them.
    pub can_manage: bool,
    /// The organisation of yours you could take out of the collaboration, if any.
    pub can_leave: Option<i64>,
    /// Invitations sent, newest first. Only for those who can manage.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invitations: Option<Vec<CollaborationInvitation>>,
    /// The collaboration this one is the next cycle of, if any.
    pub previous_cycle_id: Option<i64>,
    /// This collaboration's next cycle, once started.
    pub next_cycle_id: Option<i64>,
}

impl From<CollabView> for Collaboration {
    fn from(v: CollabView) -> Self {
        let c = v.collaboration;
        Collaboration {
            id: c.id,
            title: c.title,
            purpose: c.purpose,
            stage: c.stage.into(),
            created_at: c.created_at,
            created_at_rfc3339: rfc3339(c.created_at),
            updated_at: c.updated_at,
            updated_at_rfc3339: rfc3339(c.updated_at),
            participants: v.participants.into_iter().map(Participant::from).collect(),
            acting_organisation_id: v.acting_organisation_id,
            can_edit: v.can_edit,
            can_manage: v.can_manage,
            can_leave: v.can_leave,
            invitations: v.can_manage.then(|| {
                v.invitations
                    .into_iter()
                    .map(CollaborationInvitation::from)
                    .collect()
            }),
            previous_cycle_id: v.previous_cycle_id,
            next_cycle_id: v.next_cycle_id,
        }
    }
}

async fn view(state: &AppState, actor: &Actor, id: i64) -> Result<Collaboration, AppError> {
    Ok(actions::collaborations::collaboration(state, actor, id)
        .await?
        .into())
}

/// A new collaboration, led by one of your organisations.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCollaboration {
    /// The organisation that leads it: one you belong to.
    #[serde(default)]
    #[schema(value_type = i64, required = true)]
    pub organisation_id: Option<i64>,
    #[schema(example = "Shared food hub")]
    pub title: String,
    /// What you hope working together will achieve.
    pub purpose: String,
}

/// Opens a collaboration in the Identify stage, led by one of your organisations.
#[utoipa::path(
    post,
    path = "/collaborations",
    tag = "collaborations",
    operation_id = "create_collaboration",
    security(("bearer" = [])),
    request_body = NewCollaboration,
    responses(
        (status = 201, description = "The collaboration was opened.", body = Collaboration),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 413, response = PayloadTooLarge),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn create_collaboration(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    ApiJson(body): ApiJson<NewCollaboration>,
) -> Result<(StatusCode, Json<Collaboration>), AppError> {
    let created = actions::collaborations::create_collaboration(
        &state,
        &actor,
        body.organisation_id,
        &body.title,
        &body.purpose,
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(view(&state, &actor, created.id).await?),
    ))
}

/// Which page of your collaborations to read.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// From 1. Defaults to 1.
    pub page: Option<i64>,
    /// From 1 to 100. Defaults to 25.
    pub per_page: Option<i64>,
}

/// A line in the list of your collaborations.
#[derive(Debug, Serialize, ToSchema)]
pub struct CollaborationSummary {
    pub id: i64,
    pub title: String,
    pub stage: Stage,
    pub updated_at: i64,
    pub updated_at_rfc3339: String,
    pub participants: Vec<Participant>,
}

/// A page of your collaborations, most recently changed first.
#[derive(Debug, Serialize, ToSchema)]
pub struct CollaborationPage {
    pub items: Vec<CollaborationSummary>,
    /// How many collaborations there are in all.
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

/// Lists the collaborations your organisations take part in.
#[utoipa::path(
    get,
    path = "/collaborations",
    tag = "collaborations",
    operation_id = "list_collaborations",
    security(("bearer" = [])),
    params(PageQuery),
    responses(
        (status = 200, description = "A page of collaborations.", body = CollaborationPage),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
    )
)]
pub async fn list_collaborations(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Q(query): Q<PageQuery>,
) -> Result<Json<CollaborationPage>, AppError> {
    // The same bounds the action applies, so the answer says what was used.
    let page = query.page.unwrap_or(1).clamp(1, 1_000_000);
    let per_page = query.per_page.unwrap_or(25).clamp(1, 100);
    let kept = actions::collaborations::my_collaborations(&state, &actor, page, per_page).await?;
    Ok(Json(CollaborationPage {
        items: kept
            .items
            .iter()
            .map(|c| CollaborationSummary {
                id: c.id,
                title: c.title.clone(),
                stage: c.stage.into(),
                updated_at: c.updated_at,
                updated_at_rfc3339: rfc3339(c.updated_at),
                participants: c
                    .participants
                    .iter()
                    .cloned()
                    .map(Participant::from)
                    .collect(),
            })
            .collect(),
        total: kept.total,
        page,
        per_page,
    }))
}

/// Reads a collaboration your organisations take part in.
#[utoipa::path(
    get,
    path = "/collaborations/{id}",
    tag = "collaborations",
    operation_id = "get_collaboration",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The collaboration's id.")),
    responses(
        (status = 200, description = "The collaboration.", body = Collaboration),
        (status = 401, response = Unauthenticated),
        (status = 404, response = NotFound),
    )
)]
pub async fn collaboration(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
) -> Result<Json<Collaboration>, AppError> {
    Ok(Json(view(&state, &actor, id).await?))
}

/// A new title and purpose.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CollaborationUpdate {
    pub title: String,
    pub purpose: String,
}

/// Changes the title and purpose. For the lead organisation.
#[utoipa::path(
    put,
    path = "/collaborations/{id}",
    tag = "collaborations",
    operation_id = "update_collaboration",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The collaboration's id.")),
    request_body = CollaborationUpdate,
    responses(
        (status = 200, description = "The collaboration as saved.", body = Collaboration),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 413, response = PayloadTooLarge),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn update_collaboration(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
    ApiJson(body): ApiJson<CollaborationUpdate>,
) -> Result<Json<Collaboration>, AppError> {
    actions::collaborations::update_collaboration(&state, &actor, id, &body.title, &body.purpose)
        .await?;
    Ok(Json(view(&state, &actor, id).await?))
}

/// A move one stage on or back.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StageMove {
    #[schema(value_type = super::StageDirection)]
    pub direction: String,
    /// The stage you believe it is in now. If someone else has moved it
    /// meanwhile, nothing changes and the answer is 409.
    #[serde(default)]
    #[schema(value_type = Option<Stage>)]
    pub from: Option<String>,
}

/// The stage a collaboration is now in.
#[derive(Debug, Serialize, ToSchema)]
pub struct StageNow {
    pub stage: Stage,
}

/// Moves a collaboration one stage forward or back. For the lead organisation.
#[utoipa::path(
    post,
    path = "/collaborations/{id}/stage",
    tag = "collaborations",
    operation_id = "move_stage",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The collaboration's id.")),
    request_body = StageMove,
    responses(
        (status = 200, description = "The stage it is now in.", body = StageNow),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 413, response = PayloadTooLarge),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn move_stage(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
    ApiJson(body): ApiJson<StageMove>,
) -> Result<Json<StageNow>, AppError> {
    let stage = actions::collaborations::move_stage(
        &state,
        &actor,
        id,
        &body.direction,
        body.from.as_deref(),
    )
    .await?;
    Ok(Json(StageNow {
        stage: stage.into(),
    }))
}

/// Lists the invitations this collaboration has sent. For admins of the lead organisation.
#[utoipa::path(
    get,
    path = "/collaborations/{id}/invitations",
    tag = "collaborations",
    operation_id = "list_sent_invitations",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The collaboration's id.")),
    responses(
        (status = 200, description = "Invitations, newest first.", body = Vec<CollaborationInvitation>),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    )
)]
pub async fn sent_invitations(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
) -> Result<Json<Vec<CollaborationInvitation>>, AppError> {
    let sent = actions::invitations::collaboration_invitations(&state, &actor, id).await?;
    Ok(Json(
        sent.into_iter()
            .map(CollaborationInvitation::from)
            .collect(),
    ))
}

/// The organisation to invite, the role offered and a note to its admins.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCollaborationInvitation {
    /// Any organisation on Common Ground; find one with `GET /api/v1/organisations?q=`.
    #[serde(default)]
    #[schema(value_type = i64, required = true)]
    pub organisation_id: Option<i64>,
    /// Defaults to partner.
    #[serde(default)]
    #[schema(value_type = Option<ParticipantRole>)]
    pub role: Option<String>,
    /// Up to 2000 characters.
    #[serde(default)]
    pub message: Option<String>,
}

/// Invites an organisation to join. Its admins are told by email. For
/// admins of the lead organisation.
#[utoipa::path(
    post,
    path = "/collaborations/{id}/invitations",
    tag = "collaborations",
    operation_id = "invite_organisation",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The collaboration's id.")),
    request_body = NewCollaborationInvitation,
    responses(
        (status = 201, description = "The invitation was sent.", body = CollaborationInvitation),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 413, response = PayloadTooLarge),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn invite_organisation(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
    ApiJson(body): ApiJson<NewCollaborationInvitation>,
) -> Result<(StatusCode, Json<CollaborationInvitation>), AppError> {
    let invitation = actions::invitations::invite_organisation(
        &state,
        &actor,
        id,
        body.organisation_id,
        body.role.as_deref().unwrap_or(""),
        body.message.as_deref().unwrap_or(""),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(invitation.into())))
}

/// Withdraws an invitation that has not been answered. For admins of the lead organisation.
#[utoipa::path(
    delete,
    path = "/collaborations/{id}/invitations/{invitation_id}",
    tag = "collaborations",
    operation_id = "withdraw_invitation",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "The collaboration's id."),
        ("invitation_id" = i64, Path, description = "The invitation's id."),
    ),
    responses(
        (status = 204, description = "The invitation was withdrawn."),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    )
)]
pub async fn withdraw_invitation(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P((id, invitation_id)): P<(i64, i64)>,
) -> Result<StatusCode, AppError> {
    actions::invitations::withdraw_invitation(&state, &actor, id, invitation_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A new role for an organisation taking part.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ParticipantRoleChange {
    #[schema(value_type = ParticipantRole)]
    pub role: String,
}

/// Changes the role of an organisation taking part. A collaboration always
/// keeps a lead. For admins of the lead organisation.
#[utoipa::path(
    patch,
    path = "/collaborations/{id}/participants/{organisation_id}",
    tag = "collaborations",
    operation_id = "change_participant_role",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "The collaboration's id."),
        ("organisation_id" = i64, Path, description = "The participating organisation's id."),
    ),
    request_body = ParticipantRoleChange,
    responses(
        (status = 200, description = "The organisation with its new role.", body = Participant),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 413, response = PayloadTooLarge),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn change_participant_role(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P((id, organisation_id)): P<(i64, i64)>,
    ApiJson(body): ApiJson<ParticipantRoleChange>,
) -> Result<Json<Participant>, AppError> {
    actions::collaborations::change_participant_role(
        &state,
        &actor,
        id,
        organisation_id,
        &body.role,
    )
    .await?;
    let participant = actions::collaborations::collaboration(&state, &actor, id)
        .await?
        .participants
        .into_iter()
        .find(|p| p.organisation_id == organisation_id)
        .ok_or(AppError::NotFound)?;
    Ok(Json(participant.into()))
}

/// Takes an organisation out of the collaboration. A collaboration always
/// keeps a lead. For admins of the lead organisation.
#[utoipa::path(
    delete,
    path = "/collaborations/{id}/participants/{organisation_id}",
    tag = "collaborations",
    operation_id = "remove_participant",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "The collaboration's id."),
        ("organisation_id" = i64, Path, description = "The participating organisation's id."),
    ),
    responses(
        (status = 204, description = "The organisation no longer takes part."),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
    )
)]
pub async fn remove_participant(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P((id, organisation_id)): P<(i64, i64)>,
) -> Result<StatusCode, AppError> {
    actions::collaborations::remove_participant(&state, &actor, id, Some(organisation_id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Takes your organisation out of the collaboration. For admins of a
/// participating organisation that is not the lead.
#[utoipa::path(
    post,
    path = "/collaborations/{id}/leave",
    tag = "collaborations",
    operation_id = "leave_collaboration",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The collaboration's id.")),
    responses(
        (status = 204, description = "Your organisation no longer takes part."),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
    )
)]
pub async fn leave(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
) -> Result<StatusCode, AppError> {
    actions::collaborations::remove_participant(&state, &actor, id, None).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Reads a collaboration's activity, newest first, 50 at a time.
#[utoipa::path(
    get,
    path = "/collaborations/{id}/audit",
    tag = "collaborations",
    operation_id = "collaboration_audit",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The collaboration's id."), AuditQuery),
    responses(
        (status = 200, description = "A page of activity.", body = AuditPage),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 404, response = NotFound),
    )
)]
pub async fn collaboration_audit(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
    Q(query): Q<AuditQuery>,
) -> Result<Json<AuditPage>, AppError> {
    let events =
        actions::collaborations::collaboration_audit(&state, &actor, id, query.before).await?;
    Ok(Json(AuditPage::from_events(events)))
}
