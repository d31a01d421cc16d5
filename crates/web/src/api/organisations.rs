//! Organisations, their members, and invitations to join them.

use super::{AuditPage, AuditQuery, OrgKind, OrgRole, rfc3339};
use super::{
    BadRequest, Conflict, Forbidden, NotFound, PayloadTooLarge, Unauthenticated, Unprocessable,
};
use crate::AppState;
use crate::actions;
use crate::auth::{Actor, ApiCaller};
use crate::error::AppError;
use crate::extract::{ApiJson, P, Q};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use commonground_domain::organisations::ProfileInput;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// An organisation's profile, as sent to create or change it. Registered
/// charities, CIOs and charitable companies need a charity number;
/// charitable companies and CICs need a company number.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrganisationInput {
    #[schema(example = "Riverside Food Bank")]
    pub name: String,
    #[schema(value_type = OrgKind)]
    pub kind: String,
    /// Charity Commission number: 6 to 8 digits.
    #[serde(default)]
    #[schema(example = "1234567")]
    pub charity_number: Option<String>,
    /// Companies House number: 8 characters, like 01234567 or SC123456.
    #[serde(default)]
    pub company_number: Option<String>,
    #[serde(default)]
    pub mission: Option<String>,
    #[serde(default)]
    pub activities: Option<String>,
    /// Places the organisation works in. Commas and semicolons also separate entries.
    #[serde(default)]
    pub areas_served: Option<Vec<String>>,
    /// Causes the organisation works for. Commas and semicolons also separate entries.
    #[serde(default)]
    pub causes: Option<Vec<String>>,
    #[serde(default)]
    #[schema(example = "https://riverside.example")]
    pub website: Option<String>,
}

impl OrganisationInput {
    fn to_profile_input(&self) -> ProfileInput {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        let list = |v: &Option<Vec<String>>| v.as_deref().unwrap_or_default().join("\n");
        ProfileInput {
            name: self.name.clone(),
            kind: self.kind.clone(),
            charity_number: text(&self.charity_number),
            company_number: text(&self.company_number),
            mission: text(&self.mission),
            activities: text(&self.activities),
            areas_served: list(&self.areas_served),
            causes: list(&self.causes),
            website: text(&self.website),
        }
    }
}

/// An organisation's public profile.
#[derive(Debug, Serialize, ToSchema)]
pub struct Organisation {
    pub id: i64,
    pub name: String,
    pub kind: OrgKind,
    pub charity_number: Option<String>,
    pub company_number: Option<String>,
    /// The org-id linking it to a public register, such as GB-CHC-1234567.
    pub org_identifier: Option<String>,
    pub mission: String,
    pub activities: String,
    pub areas_served: Vec<String>,
    pub causes: Vec<String>,
    pub website: Option<String>,
    pub created_at: i64,
    pub created_at_rfc3339: String,
    pub updated_at: i64,
    pub updated_at_rfc3339: String,
    /// Your role in this organisation; null if you are not a member.
    pub your_role: Option<OrgRole>,
}

impl Organisation {
    fn new(
        o: commonground_store::organisations::Organisation,
        role: Option<commonground_domain::organisations::OrgRole>,
    ) -> Self {
        Organisation {
            id: o.id,
            name: o.name,
            kind: o.kind.into(),
            charity_number: o.charity_number,
            company_number: o.company_number,
            org_identifier: o.org_identifier,
            mission: o.mission,
            activities: o.activities,
            areas_served: o.areas_served,
            causes: o.causes,
            website: o.website,
            created_at: o.created_at,
            created_at_rfc3339: rfc3339(o.created_at),
            updated_at: o.updated_at,
            updated_at_rfc3339: rfc3339(o.updated_at),
            your_role: role.map(Into::into),
        }
    }
}

async fn profile(state: &AppState, actor: &Actor, id: i64) -> Result<Organisation, AppError> {
    let (org, role) = actions::organisations::organisation(state, actor, id).await?;
    Ok(Organisation::new(org, role))
}

/// Creates an organisation, with you as its admin.
#[utoipa::path(
    post,
    path = "/organisations",
    tag = "organisations",
    operation_id = "create_organisation",
    security(("bearer" = [])),
    request_body = OrganisationInput,
    responses(
        (status = 201, description = "The organisation was created.", body = Organisation),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 413, response = PayloadTooLarge),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn create_organisation(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    ApiJson(body): ApiJson<OrganisationInput>,
) -> Result<(StatusCode, Json<Organisation>), AppError> {
    let org = actions::organisations::create_organisation(&state, &actor, &body.to_profile_input())
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(profile(&state, &actor, org.id).await?),
    ))
}

/// Finding organisations.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// The start of a name (any case), or an org-id such as GB-CHC-1234567.
    pub q: Option<String>,
}

/// A short reference to an organisation.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrganisationRef {
    pub id: i64,
    pub name: String,
    pub org_identifier: Option<String>,
}

/// Finds organisations on Common Ground, up to 20.
#[utoipa::path(
    get,
    path = "/organisations",
    tag = "organisations",
    operation_id = "find_organisations",
    security(("bearer" = [])),
    params(SearchQuery),
    responses(
        (status = 200, description = "Matching organisations; none when `q` is empty.", body = Vec<OrganisationRef>),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn find_organisations(
    State(state): State<AppState>,
    ApiCaller(_): ApiCaller,
    Q(query): Q<SearchQuery>,
) -> Result<Json<Vec<OrganisationRef>>, AppError> {
    let found =
        actions::organisations::find_organisations(&state, query.q.as_deref().unwrap_or(""))
            .await?;
    Ok(Json(
        found
            .into_iter()
            .map(|o| OrganisationRef {
                id: o.id,
                name: o.name,
                org_identifier: o.org_identifier,
            })
            .collect(),
    ))
}

/// Reads an organisation's public profile.
#[utoipa::path(
    get,
    path = "/organisations/{id}",
    tag = "organisations",
    operation_id = "get_organisation",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The organisation's id.")),
    responses(
        (status = 200, description = "The profile, with your role in it.", body = Organisation),
        (status = 401, response = Unauthenticated),
        (status = 404, response = NotFound),
    )
)]
pub async fn organisation(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
) -> Result<Json<Organisation>, AppError> {
    Ok(Json(profile(&state, &actor, id).await?))
}

/// Changes an organisation's profile. For its admins.
#[utoipa::path(
    put,
    path = "/organisations/{id}",
    tag = "organisations",
    operation_id = "update_organisation",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The organisation's id.")),
    request_body = OrganisationInput,
    responses(
        (status = 200, description = "The profile as saved.", body = Organisation),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 413, response = PayloadTooLarge),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn update_organisation(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
    ApiJson(body): ApiJson<OrganisationInput>,
) -> Result<Json<Organisation>, AppError> {
    actions::organisations::update_organisation(&state, &actor, id, &body.to_profile_input())
        .await?;
    Ok(Json(profile(&state, &actor, id).await?))
}

/// A member of an organisation.
#[derive(Debug, Serialize, ToSchema)]
pub struct Member {
    pub user_id: i64,
    pub name: String,
    pub email: String,
    pub role: OrgRole,
    pub joined_at: i64,
    pub joined_at_rfc3339: String,
}

impl From<commonground_store::organisations::Member> for Member {
    fn from(m: commonground_store::organisations::Member) -> Self {
        Member {
            user_id: m.user_id,
            name: m.name,
            email: m.email,
            role: m.role.into(),
            joined_at: m.joined_at,
            joined_at_rfc3339: rfc3339(m.joined_at),
        }
    }
}

/// Lists the members of one of your organisations.
#[utoipa::path(
    get,
    path = "/organisations/{id}/members",
    tag = "organisations",
    operation_id = "list_members",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The organisation's id.")),
    responses(
        (status = 200, description = "The members.", body = Vec<Member>),
        (status = 401, response = Unauthenticated),
        (status = 404, response = NotFound),
    )
)]
pub async fn members(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
) -> Result<Json<Vec<Member>>, AppError> {
    let (_, members) = actions::organisations::members(&state, &actor, id).await?;
    Ok(Json(members.into_iter().map(Member::from).collect()))
}

/// A new role for a member.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberRoleChange {
    #[schema(value_type = OrgRole)]
    pub role: String,
}

/// Makes a member an admin, or an ordinary member. For admins.
#[utoipa::path(
    patch,
    path = "/organisations/{id}/members/{user_id}",
    tag = "organisations",
    operation_id = "change_member_role",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "The organisation's id."),
        ("user_id" = i64, Path, description = "The member's user id."),
    ),
    request_body = MemberRoleChange,
    responses(
        (status = 200, description = "The member with their new role.", body = Member),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 413, response = PayloadTooLarge),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn change_member_role(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P((id, user_id)): P<(i64, i64)>,
    ApiJson(body): ApiJson<MemberRoleChange>,
) -> Result<Json<Member>, AppError> {
    let member =
        actions::organisations::change_member_role(&state, &actor, id, user_id, &body.role).await?;
    Ok(Json(member.into()))
}

/// Removes a member (for admins), or leaves the organisation (with your own user id).
#[utoipa::path(
    delete,
    path = "/organisations/{id}/members/{user_id}",
    tag = "organisations",
    operation_id = "remove_member",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "The organisation's id."),
        ("user_id" = i64, Path, description = "The member's user id; your own to leave."),
    ),
    responses(
        (status = 204, description = "The member was removed, or you left."),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
    )
)]
pub async fn remove_member(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P((id, user_id)): P<(i64, i64)>,
) -> Result<StatusCode, AppError> {
    actions::organisations::remove_member(&state, &actor, id, user_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// An invitation for a person to join an organisation.
#[derive(Debug, Serialize, ToSchema)]
pub struct MemberInvitation {
    pub id: i64,
    pub organisation_id: i64,
    pub organisation_name: String,
    pub email: String,
    pub role: OrgRole,
    pub created_at: i64,
    pub created_at_rfc3339: String,
    /// After this time the invitation no longer works.
    pub expires_at: i64,
    pub expires_at_rfc3339: String,
}

impl From<commonground_store::organisations::MemberInvitation> for MemberInvitation {
    fn from(i: commonground_store::organisations::MemberInvitation) -> Self {
        MemberInvitation {
            id: i.id,
            organisation_id: i.organisation_id,
            organisation_name: i.organisation_name,
            email: i.email,
            role: i.role.into(),
            created_at: i.created_at,
            created_at_rfc3339: rfc3339(i.created_at),
            expires_at: i.expires_at,
            expires_at_rfc3339: rfc3339(i.expires_at),
        }
    }
}

/// Lists invitations to join that are still open. For admins.
#[utoipa::path(
    get,
    path = "/organisations/{id}/invitations",
    tag = "organisations",
    operation_id = "list_member_invitations",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The organisation's id.")),
    responses(
        (status = 200, description = "Open invitations, newest first.", body = Vec<MemberInvitation>),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    )
)]
pub async fn member_invitations(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
) -> Result<Json<Vec<MemberInvitation>>, AppError> {
    let open = actions::organisations::open_member_invitations(&state, &actor, id).await?;
    Ok(Json(open.into_iter().map(MemberInvitation::from).collect()))
}

/// Who to invite, and as what.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMemberInvitation {
    #[schema(example = "sam@riverside.example")]
    pub email: String,
    #[schema(value_type = OrgRole)]
    pub role: String,
}

/// Invites a person by email to join. They get a link that works for 7
/// days; its code is accepted with `POST /api/v1/member-invitations/accept`.
/// For admins.
#[utoipa::path(
    post,
    path = "/organisations/{id}/invitations",
    tag = "organisations",
    operation_id = "invite_member",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The organisation's id.")),
    request_body = NewMemberInvitation,
    responses(
        (status = 201, description = "The invitation was sent.", body = MemberInvitation),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 413, response = PayloadTooLarge),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn invite_member(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
    ApiJson(body): ApiJson<NewMemberInvitation>,
) -> Result<(StatusCode, Json<MemberInvitation>), AppError> {
    let invitation =
        actions::organisations::invite_member(&state, &actor, id, &body.email, &body.role).await?;
    Ok((StatusCode::CREATED, Json(invitation.into())))
}

/// Withdraws an invitation to join, so its link stops working. For admins.
#[utoipa::path(
    delete,
    path = "/organisations/{id}/invitations/{invitation_id}",
    tag = "organisations",
    operation_id = "withdraw_member_invitation",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "The organisation's id."),
        ("invitation_id" = i64, Path, description = "The invitation's id."),
    ),
    responses(
        (status = 204, description = "The invitation was withdrawn."),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    )
)]
pub async fn withdraw_member_invitation(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P((id, invitation_id)): P<(i64, i64)>,
) -> Result<StatusCode, AppError> {
    actions::organisations::revoke_member_invitation(&state, &actor, id, invitation_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The code from an invitation email: the last part of its link.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptMemberInvitation {
    pub token: String,
}

/// The organisation you have joined.
#[derive(Debug, Serialize, ToSchema)]
pub struct JoinedOrganisation {
    pub organisation_id: i64,
    pub organisation_name: String,
    pub role: OrgRole,
}

/// Accepts an invitation to join an organisation. It must have been sent
/// to your email address.
#[utoipa::path(
    post,
    path = "/member-invitations/accept",
    tag = "organisations",
    operation_id = "accept_member_invitation",
    security(("bearer" = [])),
    request_body = AcceptMemberInvitation,
    responses(
        (status = 200, description = "You are now a member.", body = JoinedOrganisation),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 413, response = PayloadTooLarge),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn accept_member_invitation(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    ApiJson(body): ApiJson<AcceptMemberInvitation>,
) -> Result<Json<JoinedOrganisation>, AppError> {
    let token = body.token.trim();
    if token.is_empty() || token.len() > 200 {
        return Err(AppError::invalid(
            "token",
            "Enter the code from the invitation email: the last part of its link.",
        ));
    }
    let inv = actions::organisations::accept_member_invitation(&state, &actor, token).await?;
    Ok(Json(JoinedOrganisation {
        organisation_id: inv.organisation_id,
        organisation_name: inv.organisation_name,
        role: inv.role.into(),
    }))
}

/// Reads an organisation's activity, newest first, 50 at a time. For admins.
#[utoipa::path(
    get,
    path = "/organisations/{id}/audit",
    tag = "organisations",
    operation_id = "organisation_audit",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The organisation's id."), AuditQuery),
    responses(
        (status = 200, description = "A page of activity.", body = AuditPage),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    )
)]
pub async fn organisation_audit(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
    Q(query): Q<AuditQuery>,
) -> Result<Json<AuditPage>, AppError> {
    let events =
        actions::organisations::organisation_audit(&state, &actor, id, query.before).await?;
    Ok(Json(AuditPage::from_events(events)))
}
