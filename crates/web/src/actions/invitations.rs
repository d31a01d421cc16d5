//! Invitations between organisations to take part in a collaboration.

use super::collaborations::collab_scope_for;
use super::*;
use crate::AppState;
use crate::auth::Actor;
use crate::error::AppError;
use commonground_domain::FieldErrors;
use commonground_domain::collaborations::{
    InvitationStatus, ParticipantRole, parse_invitation_message,
};
use commonground_domain::policy::{CollabAction, OrgAction, may_org};
use commonground_store::collaborations::{CollabInvitation, InviteProblem};

pub async fn invite_organisation(
    state: &AppState,
    actor: &Actor,
    id: i64,
    organisation_id: Option<i64>,
    role: &str,
    message: &str,
) -> Result<CollabInvitation, AppError> {
    let now = state.clock.now();
    let mut errors = FieldErrors::new();
    let role = match ParticipantRole::parse_code(if role.trim().is_empty() {
        "partner"
    } else {
        role
    }) {
        Some(r) => Some(r),
        None => {
            errors.add("role", "Choose lead, partner, observer or facilitator.");
            None
        }
    };
    let message = match parse_invitation_message(message) {
        Ok(m) => Some(m),
        Err(e) => {
            for f in e.0 {
                errors.add(f.field, f.message);
            }
            None
        }
    };
    let mut tx = state.store.write().await?;
    tx.lock_collaboration(id).await?;
    let (scope, acting) =
        collab_scope_for(&mut tx, actor, id, CollabAction::ManageParticipants).await?;
    let target = match organisation_id {
        Some(org) => tx.organisation_ref(org).await?,
        None => None,
    };
    if target.is_none() {
        errors.add(
            "organisation_id",
            "Choose an organisation that is on Common Ground.",
        );
    }
    errors.clone().into_result()?;
    let (Some(target), Some(role), Some(message)) = (target, role, message) else {
        return Err(AppError::Invalid(errors));
    };
    let invitation = match tx
        .invite_organisation(
            &scope,
            target.id,
            role,
            &message,
            actor.user.id,
            acting,
            now,
        )
        .await?
    {
        Ok(inv) => inv,
        Err(InviteProblem::AlreadyParticipating) => {
            return Err(AppError::invalid(
                "organisation_id",
                format!("{} already takes part in this collaboration.", target.name),
            ));
        }
        Err(_) => {
            return Err(AppError::invalid(
                "organisation_id",
                format!(
                    "{} already has an invitation waiting for a reply.",
                    target.name
                ),
            ));
        }
    };
    let acting_name = org_name(&mut tx, acting).await?;
    Audit {
        actor,
        acting_org: Some((acting, acting_name.clone())),
        organisation_id: None,
        collaboration_id: Some(id),
        now,
    }
    .record(
        &mut tx,
        "invitation.sent",
        format!(
            "Invited {} to join as {}.",
            target.name,
            with_article(role.label())
        ),
    )
    .await?;
    let admins = tx.admin_emails(target.id).await?;
    tx.commit().await?;
    email_invitation(state, admins, &acting_name, &target.name, &invitation).await;
    Ok(invitation)
}

/// Tells the invited organisation's admins by email, after the commit.
pub(crate) async fn email_invitation(
    state: &AppState,
    admins: Vec<String>,
    acting_name: &str,
    target_name: &str,
    invitation: &CollabInvitation,
) {
    let link = state
        .config
        .link(&format!("/invitations/{}", invitation.id));
    for to in admins {
        notify(
            state,
            &to,
            &format!("{acting_name} invites {target_name} to a collaboration"),
            format!(
                "Hello,\n\n{acting_name} has invited {target_name} to join the collaboration \u{201c}{}\u{201d} on Common Ground \
                 as {}.\n\nAs an admin of {target_name}, you can read the invitation and accept or decline it here:\n{link}\n",
                invitation.collaboration_title,
                with_article(invitation.role.label()),
            ),
        )
        .await;
    }
}

pub async fn withdraw_invitation(
    state: &AppState,
    actor: &Actor,
    id: i64,
    invitation_id: i64,
) -> Result<(), AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let (scope, acting) =
        collab_scope_for(&mut tx, actor, id, CollabAction::ManageParticipants).await?;
    let inv = tx
        .withdraw_invitation(&scope, invitation_id, actor.user.id, now)
        .await?
        .ok_or(AppError::NotFound)?;
    let name = org_name(&mut tx, acting).await?;
    Audit {
        actor,
        acting_org: Some((acting, name)),
        organisation_id: None,
        collaboration_id: Some(id),
        now,
    }
    .record(
        &mut tx,
        "invitation.withdrawn",
        format!("Withdrew the invitation to {}.", inv.organisation_name),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// An invitation addressed to one of the person's organisations.
pub async fn invitation(
    state: &AppState,
    actor: &Actor,
    invitation_id: i64,
) -> Result<(CollabInvitation, bool), AppError> {
    let mut tx = state.store.read().await?;
    let (inv, role) = tx
        .invitation_for_member(actor.user.id, invitation_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((
        inv,
        may_org(Some(role), OrgAction::RespondToCollaborationInvitation),
    ))
}

pub async fn pending_invitations(
    state: &AppState,
    actor: &Actor,
) -> Result<Vec<CollabInvitation>, AppError> {
    let mut tx = state.store.read().await?;
    Ok(tx.pending_invitations_for_admin(actor.user.id).await?)
}

pub async fn answer_invitation(
    state: &AppState,
    actor: &Actor,
    invitation_id: i64,
    accept: bool,
) -> Result<CollabInvitation, AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let (inv, role) = tx
        .invitation_for_member(actor.user.id, invitation_id)
        .await?
        .ok_or(AppError::NotFound)?;
    tx.lock_collaboration(inv.collaboration_id).await?;
    if !may_org(Some(role), OrgAction::RespondToCollaborationInvitation) {
        return Err(AppError::Forbidden(format!(
            "Only an admin of {} can accept or decline this invitation. Ask one of them.",
            inv.organisation_name
        )));
    }
    let answered = |status: InvitationStatus| {
        AppError::Conflict(match status {
            InvitationStatus::Withdrawn => {
                "This invitation was withdrawn by the organisation that sent it.".to_string()
            }
            InvitationStatus::Accepted => "This invitation has already been accepted.".to_string(),
            _ => "This invitation has already been declined.".to_string(),
        })
    };
    if inv.status != InvitationStatus::Pending {
        return Err(answered(inv.status));
    }
    if let Err(InviteProblem::AlreadyAnswered) | Err(_) = tx
        .answer_invitation(&inv, accept, actor.user.id, now)
        .await?
    {
        return Err(AppError::Conflict(
            "This invitation has already been answered.".into(),
        ));
    }
    let summary = if accept {
        format!(
            "{} accepted the invitation and joined as {}.",
            inv.organisation_name,
            with_article(inv.role.label())
        )
    } else {
        format!("{} declined the invitation.", inv.organisation_name)
    };
    Audit {
        actor,
        acting_org: Some((inv.organisation_id, inv.organisation_name.clone())),
        organisation_id: Some(inv.organisation_id),
        collaboration_id: Some(inv.collaboration_id),
        now,
    }
    .record(
        &mut tx,
        if accept {
            "invitation.accepted"
        } else {
            "invitation.declined"
        },
        summary,
    )
    .await?;
    tx.commit().await?;
    Ok(CollabInvitation {
        status: if accept {
            InvitationStatus::Accepted
        } else {
            InvitationStatus::Declined
        },
        responded_at: Some(now),
        ..inv
    })
}

/// The invitations a collaboration has sent. For those who manage who takes part.
pub async fn collaboration_invitations(
    state: &AppState,
    actor: &Actor,
    id: i64,
) -> Result<Vec<CollabInvitation>, AppError> {
    let mut tx = state.store.read().await?;
    let (scope, _) = collab_scope_for(&mut tx, actor, id, CollabAction::ManageParticipants).await?;
    Ok(tx.collaboration_invitations(&scope).await?)
}
