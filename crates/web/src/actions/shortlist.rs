//! The shortlist of possible partners: add an organisation from the
//! directory (on Common Ground, or a charity from the register), track how
//! each approach is going with dated notes, and invite an organisation that
//! is on Common Ground straight from its entry. Everyone taking part sees
//! the shortlist; all but observers change it; inviting is for admins of
//! the lead organisation, as everywhere else.
//!
//! "Joined" is also read, not only recorded: an entry whose organisation
//! now takes part says so (`taking_part`), whatever status was last set.

use super::collaborations::collab_scope_for;
use super::*;
use crate::AppState;
use crate::auth::Actor;
use crate::error::AppError;
use commonground_domain::policy::{CollabAction, may_collab};
use commonground_domain::shortlist::{
    ADDED_NOTE, ApproachStatus, INVITED_NOTE, ShortlistTarget, StatusChange, entry_key,
};
use commonground_store::collaborations::{CollabInvitation, Collaboration};
use commonground_store::shortlist::{NewShortlistEntry, ShortlistEntry, Writer};

#[derive(Debug, Clone)]
pub struct ShortlistView {
    pub collaboration: Collaboration,
    /// Newest first.
    pub entries: Vec<ShortlistEntry>,
    pub can_contribute: bool,
    /// May invite organisations (admins of the lead organisation).
    pub can_invite: bool,
}

async fn view(
    tx: &mut commonground_store::Tx,
    actor: &Actor,
    id: i64,
    entries: Option<Vec<ShortlistEntry>>,
) -> Result<
    (
        ShortlistView,
        commonground_store::collaborations::CollabScope,
    ),
    AppError,
> {
    let (scope, _) = collab_scope_for(tx, actor, id, CollabAction::View).await?;
    let may =
        |action| may_collab(scope.participations(), action, actor.acting_organisation_id).is_some();
    let (can_contribute, can_invite) = (
        may(CollabAction::Contribute),
        may(CollabAction::ManageParticipants),
    );
    let entries = match entries {
        Some(e) => e,
        None => tx.shortlist(&scope).await?,
    };
    Ok((
        ShortlistView {
            collaboration: tx.collaboration(&scope).await?,
            entries,
            can_contribute,
            can_invite,
        },
        scope,
    ))
}

pub async fn shortlist(
    state: &AppState,
    actor: &Actor,
    id: i64,
) -> Result<ShortlistView, AppError> {
    let mut tx = state.store.read().await?;
    Ok(view(&mut tx, actor, id, None).await?.0)
}

/// One entry with its whole history; the view's `entries` holds just it.
pub async fn shortlist_entry(
    state: &AppState,
    actor: &Actor,
    id: i64,
    entry_id: i64,
) -> Result<(ShortlistView, ShortlistEntry), AppError> {
    let mut tx = state.store.read().await?;
    let (v, scope) = view(&mut tx, actor, id, Some(Vec::new())).await?;
    let entry = tx
        .shortlist_entry(&scope, entry_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((v, entry))
}

/// Adds an organisation to the shortlist: by org-id (the organisation on
/// Common Ground with it, or else the register's charity) or by the id of
/// an organisation on Common Ground. Empty strings mean "not given".
pub async fn add_to_shortlist(
    state: &AppState,
    actor: &Actor,
    id: i64,
    org_identifier: &str,
    organisation_id: &str,
) -> Result<ShortlistEntry, AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let (scope, acting) = collab_scope_for(&mut tx, actor, id, CollabAction::Contribute).await?;
    let target = ShortlistTarget::parse(org_identifier, organisation_id)?;
    let (ident, org, name): (Option<String>, Option<i64>, String) = match &target {
        ShortlistTarget::OrgIdentifier(ident) => {
            if let Some(o) = tx.organisation_by_identifier(ident).await? {
                (Some(ident.clone()), Some(o.id), o.name)
            } else if let Some(c) = tx.register_charity(ident).await? {
                (Some(c.org_identifier), None, c.name)
            } else {
                return Err(AppError::invalid(
                    "org_identifier",
                    "We could not find that organisation in the directory. Check the org-id, or search the directory by name.",
                ));
            }
        }
        ShortlistTarget::Organisation(org) => match tx.organisation_ref(*org).await? {
            Some(o) => (o.org_identifier, Some(o.id), o.name),
            None => {
                return Err(AppError::invalid(
                    "organisation_id",
                    "We could not find that organisation on Common Ground. Search the directory and choose it from there.",
                ));
            }
        },
    };
    if let Some(org) = org
        && tx
            .participants(&scope)
            .await?
            .iter()
            .any(|p| p.organisation_id == org)
    {
        return Err(AppError::Conflict(format!(
            "{name} already takes part in this collaboration, so there is no need to shortlist it."
        )));
    }
    let key = entry_key(ident.as_deref(), org);
    if tx.shortlist_entry_for(&scope, &key, org).await?.is_some() {
        return Err(AppError::Conflict(format!(
            "{name} is already on the shortlist. Open its entry to record how the approach is going."
        )));
    }
    let entry = tx
        .create_shortlist_entry(
            &scope,
            &NewShortlistEntry {
                entry_key: &key,
                org_identifier: ident.as_deref(),
                organisation_id: org,
                name: &name,
            },
            ADDED_NOTE,
            Writer {
                user_id: actor.user.id,
                name: &actor.user.name,
                at: now,
            },
        )
        .await?;
    record_in_collaboration(
        &mut tx,
        actor,
        id,
        acting,
        now,
        "shortlist.added",
        format!("Added {} to the shortlist.", entry.name),
    )
    .await?;
    tx.commit().await?;
    Ok(entry)
}

/// Records how the approach is going: a status (maybe the same) and a note.
pub async fn change_shortlist_status(
    state: &AppState,
    actor: &Actor,
    id: i64,
    entry_id: i64,
    status: &str,
    note: &str,
) -> Result<ShortlistEntry, AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let (scope, acting) = collab_scope_for(&mut tx, actor, id, CollabAction::Contribute).await?;
    let current = tx
        .shortlist_entry(&scope, entry_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let change = StatusChange::parse(status, note)?;
    change.check_against(current.status)?;
    let entry = tx
        .update_shortlist_status(
            &scope,
            entry_id,
            change.status,
            &change.note,
            Writer {
                user_id: actor.user.id,
                name: &actor.user.name,
                at: now,
            },
        )
        .await?
        .ok_or(AppError::NotFound)?;
    let summary = if change.status == current.status {
        format!("Added a note to {} on the shortlist.", entry.name)
    } else {
        format!(
            "Changed {} on the shortlist from {} to {}.",
            entry.name,
            current.status.label().to_lowercase(),
            change.status.label().to_lowercase()
        )
    };
    record_in_collaboration(
        &mut tx,
        actor,
        id,
        acting,
        now,
        "shortlist.changed",
        summary,
    )
    .await?;
    tx.commit().await?;
    Ok(entry)
}

pub async fn remove_from_shortlist(
    state: &AppState,
    actor: &Actor,
    id: i64,
    entry_id: i64,
) -> Result<ShortlistEntry, AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let (scope, acting) = collab_scope_for(&mut tx, actor, id, CollabAction::Contribute).await?;
    let entry = tx
        .shortlist_entry(&scope, entry_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !tx.delete_shortlist_entry(&scope, entry_id).await? {
        return Err(AppError::NotFound);
    }
    record_in_collaboration(
        &mut tx,
        actor,
        id,
        acting,
        now,
        "shortlist.removed",
        format!("Removed {} from the shortlist.", entry.name),
    )
    .await?;
    tx.commit().await?;
    Ok(entry)
}

/// Invites the entry's organisation through the usual invitation (same
/// rules and messages as the invite page: admins of the lead organisation
/// only), then marks the entry contacted with a note saying so.
///
/// The invitation commits its own transaction (and sends its emails), so
/// the status change is a second transaction right after it. Should that
/// one fail, the invitation stands and the entry keeps its old status,
/// which a person can correct by hand; an entry removed in between is
/// simply not updated (`None`).
pub async fn invite_from_shortlist(
    state: &AppState,
    actor: &Actor,
    id: i64,
    entry_id: i64,
    role: &str,
    message: &str,
) -> Result<(CollabInvitation, Option<ShortlistEntry>), AppError> {
    let entry = {
        let mut tx = state.store.read().await?;
        let (scope, _) =
            collab_scope_for(&mut tx, actor, id, CollabAction::ManageParticipants).await?;
        tx.shortlist_entry(&scope, entry_id)
            .await?
            .ok_or(AppError::NotFound)?
    };
    let Some(org) = entry.organisation_id else {
        return Err(AppError::Conflict(format!(
            "{} is not on Common Ground, so it cannot be invited from here. Get in touch another way, then record it as contacted.",
            entry.name
        )));
    };
    let invitation =
        match super::invitations::invite_organisation(state, actor, id, Some(org), role, message)
            .await
        {
            Ok(inv) => inv,
            // Who is invited is not a field of this form: it is the entry.
            Err(AppError::Invalid(errors)) if errors.get("organisation_id").is_some() => {
                return Err(AppError::Conflict(
                    errors
                        .get("organisation_id")
                        .unwrap_or_default()
                        .to_string(),
                ));
            }
            Err(e) => return Err(e),
        };
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let (scope, acting) = collab_scope_for(&mut tx, actor, id, CollabAction::Contribute).await?;
    let updated = tx
        .update_shortlist_status(
            &scope,
            entry_id,
            ApproachStatus::Contacted,
            INVITED_NOTE,
            Writer {
                user_id: actor.user.id,
                name: &actor.user.name,
                at: now,
            },
        )
        .await?;
    if let Some(e) = &updated {
        record_in_collaboration(
            &mut tx,
            actor,
            id,
            acting,
            now,
            "shortlist.changed",
            format!("Invited {} from the shortlist; marked contacted.", e.name),
        )
        .await?;
    }
    tx.commit().await?;
    Ok((invitation, updated))
}
