//! Organisations: profiles, members and their invitations, activity.

use super::*;
use crate::AppState;
use crate::auth::Actor;
use crate::error::AppError;
use commonground_domain::FieldErrors;
use commonground_domain::organisations::{OrgRole, Profile, ProfileInput, check_keeps_an_admin};
use commonground_domain::policy::{OrgAction, may_org};
use commonground_domain::values::Email;
use commonground_store::audit::AuditEvent;
use commonground_store::organisations::{
    InvitationProblem, Member, MemberInvitation, MyOrganisation, OrgRef, OrgScope, Organisation,
    member_invitation_usable,
};
use commonground_store::{StoreError, Tx};

// --- organisations -------------------------------------------------------

pub(crate) fn number_taken(e: &StoreError, profile: &Profile) -> Option<AppError> {
    if e.is_conflict_on("org_identifier") {
        let field = if profile.charity_number.is_some() {
            "charity_number"
        } else {
            "company_number"
        };
        return Some(AppError::invalid(
            field,
            format!(
                "An organisation with this number ({}) is already on Common Ground. Ask one of its admins to invite you.",
                profile.org_identifier.clone().unwrap_or_default()
            ),
        ));
    }
    None
}

pub async fn create_organisation(
    state: &AppState,
    actor: &Actor,
    input: &ProfileInput,
) -> Result<Organisation, AppError> {
    let profile = Profile::parse(input)?;
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let org = match tx.create_organisation(&profile, actor.user.id, now).await {
        Ok(org) => org,
        Err(e) => return Err(number_taken(&e, &profile).unwrap_or_else(|| e.into())),
    };
    Audit {
        actor,
        acting_org: Some((org.id, org.name.clone())),
        organisation_id: Some(org.id),
        collaboration_id: None,
        now,
    }
    .record(
        &mut tx,
        "organisation.created",
        format!("Created the organisation {}.", org.name),
    )
    .await?;
    tx.commit().await?;
    Ok(org)
}

/// An organisation's profile and the person's role in it, if any.
pub async fn organisation(
    state: &AppState,
    actor: &Actor,
    id: i64,
) -> Result<(Organisation, Option<OrgRole>), AppError> {
    let mut tx = state.store.read().await?;
    let org = tx.organisation(id).await?.ok_or(AppError::NotFound)?;
    let role = tx.org_scope(actor.user.id, id).await?.map(|s| s.role());
    Ok((org, role))
}

/// The person's membership, or not found; then whether the action is allowed.
pub(crate) async fn org_scope_for(
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
    action: OrgAction,
) -> Result<OrgScope, AppError> {
    let scope = tx
        .org_scope(actor.user.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !may_org(Some(scope.role()), action) {
        return Err(AppError::Forbidden(
            "Only admins of this organisation can do that. Ask one of them.".into(),
        ));
    }
    Ok(scope)
}

/// The profile as its edit form starts, for those who may edit it.
pub async fn organisation_for_editing(
    state: &AppState,
    actor: &Actor,
    id: i64,
) -> Result<Organisation, AppError> {
    let mut tx = state.store.read().await?;
    org_scope_for(&mut tx, actor, id, OrgAction::EditProfile).await?;
    tx.organisation(id).await?.ok_or(AppError::NotFound)
}

pub async fn update_organisation(
    state: &AppState,
    actor: &Actor,
    id: i64,
    input: &ProfileInput,
) -> Result<Organisation, AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let scope = org_scope_for(&mut tx, actor, id, OrgAction::EditProfile).await?;
    let profile = Profile::parse(input)?;
    let org = match tx.update_organisation(&scope, &profile, now).await {
        Ok(org) => org,
        Err(e) => return Err(number_taken(&e, &profile).unwrap_or_else(|| e.into())),
    };
    Audit {
        actor,
        acting_org: Some((org.id, org.name.clone())),
        organisation_id: Some(org.id),
        collaboration_id: None,
        now,
    }
    .record(
        &mut tx,
        "organisation.updated",
        "Updated the organisation profile.".into(),
    )
    .await?;
    tx.commit().await?;
    Ok(org)
}

pub async fn my_organisations(
    state: &AppState,
    actor: &Actor,
) -> Result<Vec<MyOrganisation>, AppError> {
    let mut tx = state.store.read().await?;
    Ok(tx.organisations_of(actor.user.id).await?)
}

pub async fn find_organisations(state: &AppState, text: &str) -> Result<Vec<OrgRef>, AppError> {
    if text.chars().count() > 200 {
        return Err(AppError::invalid(
            "q",
            "Search for 200 characters or fewer.",
        ));
    }
    if text.chars().any(char::is_control) {
        return Err(AppError::invalid(
            "q",
            "Search for letters, numbers and punctuation only.",
        ));
    }
    let mut tx = state.store.read().await?;
    Ok(tx.find_organisations(text, 20).await?)
}

pub async fn members(
    state: &AppState,
    actor: &Actor,
    id: i64,
) -> Result<(OrgScope, Vec<Member>), AppError> {
    let mut tx = state.store.read().await?;
    let scope = org_scope_for(&mut tx, actor, id, OrgAction::ViewMembers).await?;
    let members = tx.members(&scope).await?;
    Ok((scope, members))
}

pub async fn invite_member(
    state: &AppState,
    actor: &Actor,
    id: i64,
    email: &str,
    role: &str,
) -> Result<MemberInvitation, AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let scope = org_scope_for(&mut tx, actor, id, OrgAction::ManageMembers).await?;
    let mut errors = FieldErrors::new();
    let email = errors.take(Email::parse("email", email));
    let role = match OrgRole::parse_code(role) {
        Some(r) => Some(r),
        None => {
            errors.add("role", "Choose admin or member.");
            None
        }
    };
    let (Some(email), Some(role)) = (email, role) else {
        return Err(AppError::Invalid(errors));
    };
    if let Some(existing) = tx.user_by_email(email.as_str()).await?
        && tx.member(&scope, existing.id).await?.is_some()
    {
        return Err(AppError::invalid(
            "email",
            format!("{} is already a member.", email.as_str()),
        ));
    }
    let (invitation, token) = tx
        .create_member_invitation(&scope, email.as_str(), role, actor.user.id, now)
        .await?;
    let name = invitation.organisation_name.clone();
    Audit {
        actor,
        acting_org: Some((id, name.clone())),
        organisation_id: Some(id),
        collaboration_id: None,
        now,
    }
    .record(
        &mut tx,
        "member.invited",
        format!(
            "Invited {} to join as {}.",
            email.as_str(),
            role.label().to_lowercase()
        ),
    )
    .await?;
    tx.commit().await?;
    let link = state.config.link(&format!("/join/{token}"));
    notify(
        state,
        email.as_str(),
        &format!("Join {name} on Common Ground"),
        format!(
            "Hello,\n\n{} has invited you to join {name} on Common Ground, where voluntary and community \
             organisations run their collaborations together.\n\nTo accept, open this link within 7 days:\n{link}\n\n\
             If you do not have an account yet, create one with this email address ({}) first; the link will \
             then add you to {name}. The link works once.\n",
            actor.user.name,
            email.as_str()
        ),
    )
    .await;
    Ok(invitation)
}

pub async fn open_member_invitations(
    state: &AppState,
    actor: &Actor,
    id: i64,
) -> Result<Vec<MemberInvitation>, AppError> {
    let mut tx = state.store.read().await?;
    let scope = org_scope_for(&mut tx, actor, id, OrgAction::ManageMembers).await?;
    Ok(tx
        .open_member_invitations(&scope, state.clock.now())
        .await?)
}

pub async fn revoke_member_invitation(
    state: &AppState,
    actor: &Actor,
    id: i64,
    invitation_id: i64,
) -> Result<(), AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let scope = org_scope_for(&mut tx, actor, id, OrgAction::ManageMembers).await?;
    let inv = tx
        .revoke_member_invitation(&scope, invitation_id, now)
        .await?
        .ok_or(AppError::NotFound)?;
    Audit {
        actor,
        acting_org: Some((id, inv.organisation_name.clone())),
        organisation_id: Some(id),
        collaboration_id: None,
        now,
    }
    .record(
        &mut tx,
        "member.invitation_withdrawn",
        format!("Withdrew the invitation to {}.", inv.email),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// An invitation link the person could use now, without using it: the
/// same checks as [`accept_member_invitation`].
pub async fn check_member_invitation(
    state: &AppState,
    actor: &Actor,
    token: &str,
) -> Result<MemberInvitation, AppError> {
    let mut tx = state.store.read().await?;
    let inv = tx
        .member_invitation_by_token(token)
        .await?
        .ok_or(AppError::NotFound)?;
    member_invitation_usable(&inv, &actor.user.email, state.clock.now())
        .map_err(|problem| invitation_problem_message(problem, Some(&inv)))?;
    Ok(inv)
}

pub fn invitation_problem_message(
    problem: InvitationProblem,
    inv: Option<&MemberInvitation>,
) -> AppError {
    let org = inv
        .map(|i| i.organisation_name.as_str())
        .unwrap_or("the organisation");
    match problem {
        InvitationProblem::NotFound => AppError::NotFound,
        InvitationProblem::Expired => AppError::Conflict(format!(
            "This invitation has expired. Invitations last 7 days. Ask an admin of {org} to send a new one."
        )),
        InvitationProblem::AlreadyUsed => {
            AppError::Conflict("This invitation has already been used.".into())
        }
        InvitationProblem::Revoked => AppError::Conflict(format!(
            "This invitation was withdrawn. Ask an admin of {org} if you think that is a mistake."
        )),
        InvitationProblem::WrongPerson => AppError::Forbidden(format!(
            "This invitation was sent to {}. Sign in with that email address to accept it.",
            inv.map(|i| i.email.as_str())
                .unwrap_or("another email address")
        )),
    }
}

pub async fn accept_member_invitation(
    state: &AppState,
    actor: &Actor,
    token: &str,
) -> Result<MemberInvitation, AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let found = tx.member_invitation_by_token(token).await?;
    match tx
        .accept_member_invitation(token, actor.user.id, &actor.user.email, now)
        .await?
    {
        Ok(inv) => {
            Audit {
                actor,
                acting_org: Some((inv.organisation_id, inv.organisation_name.clone())),
                organisation_id: Some(inv.organisation_id),
                collaboration_id: None,
                now,
            }
            .record(
                &mut tx,
                "member.joined",
                format!("Joined as {}.", inv.role.label().to_lowercase()),
            )
            .await?;
            tx.commit().await?;
            Ok(inv)
        }
        Err(problem) => Err(invitation_problem_message(problem, found.as_ref())),
    }
}

pub async fn change_member_role(
    state: &AppState,
    actor: &Actor,
    id: i64,
    user_id: i64,
    role: &str,
) -> Result<Member, AppError> {
    let role = parse_role("role", role)?;
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    tx.lock_organisation(id).await?;
    let scope = org_scope_for(&mut tx, actor, id, OrgAction::ManageMembers).await?;
    let target = tx
        .member(&scope, user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if target.role == OrgRole::Admin && role != OrgRole::Admin {
        check_keeps_an_admin(true, tx.count_admins(id).await?)?;
    }
    tx.set_member_role(&scope, user_id, role).await?;
    let name = org_name(&mut tx, id).await?;
    Audit {
        actor,
        acting_org: Some((id, name)),
        organisation_id: Some(id),
        collaboration_id: None,
        now,
    }
    .record(
        &mut tx,
        "member.role_changed",
        format!("Made {} {}.", target.name, with_article(role.label())),
    )
    .await?;
    tx.commit().await?;
    Ok(Member { role, ..target })
}

/// Removes a member, or lets a person leave (when `user_id` is their own).
/// The checks before a member leaves or is removed, shared by the action
/// and the page that asks "are you sure?": who may, and that an admin stays.
pub(crate) async fn member_removal(
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
    user_id: i64,
) -> Result<(OrgScope, Member, bool), AppError> {
    let leaving = user_id == actor.user.id;
    let action = if leaving {
        OrgAction::Leave
    } else {
        OrgAction::ManageMembers
    };
    let scope = org_scope_for(tx, actor, id, action).await?;
    let target = tx
        .member(&scope, user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    check_keeps_an_admin(target.role == OrgRole::Admin, tx.count_admins(id).await?)?;
    Ok((scope, target, leaving))
}

/// Whether `remove_member` would be allowed now, without doing it: the
/// member it would remove.
pub async fn check_remove_member(
    state: &AppState,
    actor: &Actor,
    id: i64,
    user_id: i64,
) -> Result<Member, AppError> {
    let mut tx = state.store.read().await?;
    Ok(member_removal(&mut tx, actor, id, user_id).await?.1)
}

pub async fn remove_member(
    state: &AppState,
    actor: &Actor,
    id: i64,
    user_id: i64,
) -> Result<(), AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    tx.lock_organisation(id).await?;
    let (scope, target, leaving) = member_removal(&mut tx, actor, id, user_id).await?;
    tx.remove_member(&scope, user_id).await?;
    let name = org_name(&mut tx, id).await?;
    let summary = if leaving {
        "Left the organisation.".to_string()
    } else {
        format!("Removed {} from the organisation.", target.name)
    };
    Audit {
        actor,
        acting_org: Some((id, name)),
        organisation_id: Some(id),
        collaboration_id: None,
        now,
    }
    .record(
        &mut tx,
        if leaving {
            "member.left"
        } else {
            "member.removed"
        },
        summary,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn organisation_audit(
    state: &AppState,
    actor: &Actor,
    id: i64,
    before: Option<i64>,
) -> Result<Vec<AuditEvent>, AppError> {
    let mut tx = state.store.read().await?;
    let scope = org_scope_for(&mut tx, actor, id, OrgAction::ViewAudit).await?;
    Ok(tx.organisation_audit(&scope, before, 50).await?)
}
