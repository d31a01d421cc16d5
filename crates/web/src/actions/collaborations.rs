//! Collaborations: opening one, its page, stage moves, who takes part, activity.

use super::*;
use crate::AppState;
use crate::auth::Actor;
use crate::error::AppError;
use commonground_domain::FieldErrors;
use commonground_domain::collaborations::{CollaborationDetails, ParticipantRole};
use commonground_domain::policy::{CollabAction, check_keeps_a_lead, may_collab};
use commonground_domain::stage::{Stage, StageMove};
use commonground_store::Tx;
use commonground_store::audit::AuditEvent;
use commonground_store::collaborations::{
    CollabInvitation, CollabPageRead, CollabScope, CollabSummary, Collaboration, MyCollabsAt,
    Participant,
};

// --- collaborations ----------------------------------------------------

/// Everything the collaboration page and API show.
#[derive(Debug, Clone)]
pub struct CollabView {
    pub collaboration: Collaboration,
    pub participants: Vec<Participant>,
    /// The organisation the person acts for here.
    pub acting_organisation_id: i64,
    pub can_edit: bool,
    pub can_manage: bool,
    /// The organisation the person could take out, if any.
    pub can_leave: Option<i64>,
    /// Sent invitations; only for those who manage participants.
    pub invitations: Vec<CollabInvitation>,
    /// The collaboration this one is the next cycle of, and its own next
    /// cycle, by id (see `actions::forward`).
    pub previous_cycle_id: Option<i64>,
    pub next_cycle_id: Option<i64>,
}

pub(crate) async fn collab_scope_for(
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
    action: CollabAction,
) -> Result<(CollabScope, i64), AppError> {
    let scope = tx
        .collab_scope(actor.user.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let acting = allowed(&scope, actor, action)?;
    Ok((scope, acting))
}

/// [`collab_scope_for`] with the collaboration and its content revision,
/// in one statement: what a stage page reads first.
pub(crate) async fn collab_for(
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
    action: CollabAction,
) -> Result<(CollabScope, i64, Collaboration, (i64, i64)), AppError> {
    let (scope, collaboration, revision) = tx
        .collab_scope_with_collaboration(actor.user.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let acting = allowed(&scope, actor, action)?;
    Ok((scope, acting, collaboration, revision))
}

/// The organisation the person acts for in `action`, or why they may not.
fn allowed(scope: &CollabScope, actor: &Actor, action: CollabAction) -> Result<i64, AppError> {
    may_collab(scope.participations(), action, actor.acting_organisation_id)
        .ok_or_else(|| refusal(action))
}

/// Why `action` is refused, in words that say what to do next: the one
/// wording for every part, whether the check ran here or on a page.
pub fn refusal(action: CollabAction) -> AppError {
    AppError::Forbidden(match action {
        CollabAction::EditDetails | CollabAction::MoveStage => {
            "Only the lead organisation can change this. Ask the lead.".to_string()
        }
        CollabAction::ManageParticipants => {
            "Only an admin of the lead organisation can manage who takes part.".to_string()
        }
        CollabAction::Leave => {
            "Only an admin of a partner organisation can take it out. A lead cannot leave: make another partner the lead first.".to_string()
        }
        CollabAction::Contribute => {
            "Observers can read this but not change it. Ask the lead to make your organisation a partner.".to_string()
        }
        CollabAction::Approve => {
            "Only an admin of the lead or a partner organisation can approve for it. Ask one of your organisation's admins.".to_string()
        }
        CollabAction::View => "You cannot see this collaboration.".to_string(),
    })
}

pub async fn create_collaboration(
    state: &AppState,
    actor: &Actor,
    organisation_id: Option<i64>,
    title: &str,
    purpose: &str,
) -> Result<Collaboration, AppError> {
    let mut errors = match CollaborationDetails::parse(title, purpose) {
        Ok(_) => FieldErrors::new(),
        Err(e) => e,
    };
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let org = match organisation_id {
        Some(id) => tx.org_scope(actor.user.id, id).await?,
        None => None,
    };
    if org.is_none() {
        errors.add(
            "organisation_id",
            "Choose one of your organisations to lead the collaboration.",
        );
    }
    errors.clone().into_result()?;
    let (Some(org), Ok(details)) = (org, CollaborationDetails::parse(title, purpose)) else {
        return Err(AppError::Invalid(errors));
    };
    let collab = tx
        .create_collaboration(org.organisation_id(), &details, actor.user.id, now)
        .await?;
    let name = org_name(&mut tx, org.organisation_id()).await?;
    Audit {
        actor,
        acting_org: Some((org.organisation_id(), name)),
        organisation_id: None,
        collaboration_id: Some(collab.id),
        now,
    }
    .record(
        &mut tx,
        "collaboration.opened",
        format!(
            "Opened the collaboration \u{201c}{}\u{201d} in the Identify stage.",
            collab.title
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(collab)
}

pub async fn collaboration(
    state: &AppState,
    actor: &Actor,
    id: i64,
) -> Result<CollabView, AppError> {
    let mut tx = state.store.read().await?;
    Ok(collaboration_in(&mut tx, actor, id).await?.0)
}

/// A collaboration with a page of its activity (newest first, before
/// event `before`), for its page and its activity page: one read, whose
/// proof of access serves both.
pub async fn collaboration_with_activity(
    state: &AppState,
    actor: &Actor,
    id: i64,
    before: Option<i64>,
) -> Result<(CollabView, Vec<AuditEvent>), AppError> {
    let mut tx = state.store.read().await?;
    let (view, scope, _) = collaboration_in(&mut tx, actor, id).await?;
    let events = tx.collaboration_audit(&scope, before, 50).await?;
    Ok((view, events))
}

/// The collaboration page: the collaboration, its recent activity and
/// every stage's checklist, in one read transaction with one proof of
/// access.
pub async fn collaboration_overview(
    state: &AppState,
    actor: &Actor,
    id: i64,
) -> Result<
    (
        CollabView,
        Vec<AuditEvent>,
        Vec<super::plan::StageChecklist>,
        Vec<commonground_store::health_checks::Round>,
    ),
    AppError,
> {
    let mut tx = state.store.read().await?;
    let (view, scope, revision) = collaboration_in(&mut tx, actor, id).await?;
    let events = tx.collaboration_audit(&scope, None, 50).await?;
    let checklists = super::plan::checklists_in(state, &mut tx, &scope, revision).await?;
    // Health check rounds waiting for this person's answers.
    let waiting = super::health_checks::awaiting_in(state, &mut tx, &scope, actor.user.id).await?;
    Ok((view, events, checklists, waiting))
}

/// A collaboration, its participants and the person's proof of access in
/// one statement (see [`Tx::collaboration_for_member_at`]), with the
/// organisation the person views it as: a collaboration page's first read.
pub(crate) async fn collaboration_read(
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
) -> Result<(CollabPageRead, i64), AppError> {
    let read = tx
        .collaboration_for_member_at(actor.user.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let acting = allowed(&read.scope, actor, CollabAction::View)?;
    Ok((read, acting))
}

async fn collaboration_in(
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
) -> Result<(CollabView, CollabScope, (i64, i64)), AppError> {
    // The page's first read proves access and brings what it shows.
    let (
        CollabPageRead {
            scope,
            collaboration,
            participants,
            revision,
            cycle_links: (previous_cycle_id, next_cycle_id),
        },
        acting,
    ) = collaboration_read(tx, actor, id).await?;
    let parts = scope.participations();
    let pref = actor.acting_organisation_id;
    let can_manage = may_collab(parts, CollabAction::ManageParticipants, pref).is_some();
    let view = CollabView {
        collaboration,
        participants,
        acting_organisation_id: acting,
        can_edit: may_collab(parts, CollabAction::EditDetails, pref).is_some(),
        can_manage,
        can_leave: may_collab(parts, CollabAction::Leave, pref),
        invitations: if can_manage {
            tx.collaboration_invitations(&scope).await?
        } else {
            Vec::new()
        },
        previous_cycle_id,
        next_cycle_id,
    };
    Ok((view, scope, revision))
}

pub async fn update_collaboration(
    state: &AppState,
    actor: &Actor,
    id: i64,
    title: &str,
    purpose: &str,
) -> Result<(), AppError> {
    let details = CollaborationDetails::parse(title, purpose)?;
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let (scope, acting) = collab_scope_for(&mut tx, actor, id, CollabAction::EditDetails).await?;
    tx.update_collaboration_details(&scope, &details, now)
        .await?;
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
        "collaboration.updated",
        "Changed the title or purpose.".into(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Moves one stage on or back. `seen` is the stage the person was looking
/// at: if someone else moved it meanwhile, nothing changes.
pub async fn move_stage(
    state: &AppState,
    actor: &Actor,
    id: i64,
    direction: &str,
    seen: Option<&str>,
) -> Result<Stage, AppError> {
    let direction = StageMove::parse_code(direction)
        .ok_or_else(|| AppError::invalid("direction", "Choose forward or back."))?;
    // Left out, there is no check; given, it must name a stage (a blank
    // one must not quietly skip the check the caller asked for).
    let seen = match seen {
        Some(code) => Some(Stage::parse_code(code).ok_or_else(|| {
            AppError::invalid(
                "from",
                "Give the current stage: identify, plan, implement or review. Or leave it out.",
            )
        })?),
        None => None,
    };
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    tx.lock_collaboration(id).await?;
    let (scope, acting) = collab_scope_for(&mut tx, actor, id, CollabAction::MoveStage).await?;
    let current = tx.collaboration(&scope).await?.stage;
    if let Some(seen) = seen
        && seen != current
    {
        return Err(AppError::Conflict(format!(
            "Someone else has already moved this collaboration to the {} stage. Check the page and try again if you still need to.",
            current.label()
        )));
    }
    let to = direction.apply(current)?;
    if !tx.set_stage(&scope, current, to, now).await? {
        return Err(AppError::Conflict(
            "The stage changed while you were saving. Try again.".into(),
        ));
    }
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
        "stage.moved",
        format!(
            "Moved the collaboration from {} to {}.",
            current.label(),
            to.label()
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(to)
}

/// A page of a person's collaborations and how many there are in all.
#[derive(Debug, Clone)]
pub struct MyCollaborations {
    pub items: Vec<CollabSummary>,
    pub total: i64,
}

/// Pages of people's collaborations (the home page, "Collaborations" and
/// the API's list), by the organisations they are seen through and the
/// page's size and start. Each is kept with what its first read gives
/// (see [`commonground_store::collaborations::Tx::my_collaborations_at`]):
/// its entries' revisions and the count of organisation renames. That read
/// comes before the page's in the same transaction, so a kept page is
/// never older than what it is kept with, on any server.
pub type KeptMyCollaborations =
    crate::cache::Versioned<(std::sync::Arc<[i64]>, i64, i64), MyCollabsAt, MyCollaborations>;

/// A page of the collaborations the person's organisations take part in,
/// most recently changed first: kept, or read and kept.
pub async fn my_collaborations(
    state: &AppState,
    actor: &Actor,
    page: i64,
    per_page: i64,
) -> Result<std::sync::Arc<MyCollaborations>, AppError> {
    let per_page = per_page.clamp(1, 100);
    let page = page.clamp(1, 1_000_000);
    let offset = (page - 1) * per_page;
    let mut tx = state.store.read().await?;
    let organisations: std::sync::Arc<[i64]> = match &actor.organisations {
        Some(known) => std::sync::Arc::clone(known),
        None => tx.my_organisation_ids(actor.user.id).await?.into(),
    };
    let at = tx
        .my_collaborations_at(&organisations, per_page, offset)
        .await?;
    let key = (organisations, per_page, offset);
    if let Some(kept) = state.kept_my_collaborations.get(&key, &at) {
        return Ok(kept);
    }
    let page = std::sync::Arc::new(MyCollaborations {
        items: tx.collaboration_summaries(&at).await?,
        total: at.total,
    });
    drop(tx);
    state
        .kept_my_collaborations
        .put(key, at, std::sync::Arc::clone(&page));
    Ok(page)
}

pub async fn change_participant_role(
    state: &AppState,
    actor: &Actor,
    id: i64,
    organisation_id: i64,
    role: &str,
) -> Result<(), AppError> {
    let role = parse_participant_role("role", role)?;
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    tx.lock_collaboration(id).await?;
    let (scope, acting) =
        collab_scope_for(&mut tx, actor, id, CollabAction::ManageParticipants).await?;
    let target = tx
        .participants(&scope)
        .await?
        .into_iter()
        .find(|p| p.organisation_id == organisation_id)
        .ok_or(AppError::NotFound)?;
    if target.role == ParticipantRole::Lead && role != ParticipantRole::Lead {
        check_keeps_a_lead(true, tx.count_leads(&scope).await?)?;
    }
    tx.set_participant_role(&scope, organisation_id, role, now)
        .await?;
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
        "participant.role_changed",
        format!("Made {} {}.", target.name, with_article(role.label())),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The checks before an organisation leaves or is removed from a
/// collaboration, shared by the action and the page that asks first.
/// Returns the scope, the acting organisation, the target and whether it is
/// the person's own organisation leaving.
pub(crate) async fn participant_removal(
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
    organisation_id: Option<i64>,
) -> Result<(CollabScope, i64, Participant, bool), AppError> {
    let (scope, acting, target_id, leaving) = match organisation_id {
        None => {
            let (scope, acting) = collab_scope_for(tx, actor, id, CollabAction::Leave).await?;
            (scope, acting, acting, true)
        }
        Some(org) => {
            let (scope, acting) =
                collab_scope_for(tx, actor, id, CollabAction::ManageParticipants).await?;
            (scope, acting, org, false)
        }
    };
    let target = tx
        .participants(&scope)
        .await?
        .into_iter()
        .find(|p| p.organisation_id == target_id)
        .ok_or(AppError::NotFound)?;
    check_keeps_a_lead(
        target.role == ParticipantRole::Lead,
        tx.count_leads(&scope).await?,
    )?;
    Ok((scope, acting, target, leaving))
}

/// Whether `remove_participant` would be allowed now, without doing it:
/// the organisation it would take out.
pub async fn check_remove_participant(
    state: &AppState,
    actor: &Actor,
    id: i64,
    organisation_id: Option<i64>,
) -> Result<Participant, AppError> {
    let mut tx = state.store.read().await?;
    Ok(participant_removal(&mut tx, actor, id, organisation_id)
        .await?
        .2)
}

/// Takes an organisation out: the lead removing a partner, or a partner's
/// admin leaving (`organisation_id` None means "my organisation").
pub async fn remove_participant(
    state: &AppState,
    actor: &Actor,
    id: i64,
    organisation_id: Option<i64>,
) -> Result<(), AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    tx.lock_collaboration(id).await?;
    let (scope, acting, target, leaving) =
        participant_removal(&mut tx, actor, id, organisation_id).await?;
    let target_id = target.organisation_id;
    tx.remove_participant(&scope, target_id, now).await?;
    let name = org_name(&mut tx, acting).await?;
    let summary = if leaving {
        format!("{} left the collaboration.", target.name)
    } else {
        format!("Removed {} from the collaboration.", target.name)
    };
    Audit {
        actor,
        acting_org: Some((acting, name)),
        organisation_id: Some(target_id),
        collaboration_id: Some(id),
        now,
    }
    .record(
        &mut tx,
        if leaving {
            "participant.left"
        } else {
            "participant.removed"
        },
        summary,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn collaboration_audit(
    state: &AppState,
    actor: &Actor,
    id: i64,
    before: Option<i64>,
) -> Result<Vec<AuditEvent>, AppError> {
    let mut tx = state.store.read().await?;
    let (scope, _) = collab_scope_for(&mut tx, actor, id, CollabAction::View).await?;
    Ok(tx.collaboration_audit(&scope, before, 50).await?)
}
