//! Who is who: everyone taking part reads every partner's contacts; a
//! partner (not an observer) adds, changes and removes only its own
//! organisation's. A change names the version it was based on; when
//! someone else saved first it is refused with the contact as it is now.

use super::collaborations::collab_scope_for;
use super::*;
use crate::AppState;
use crate::auth::Actor;
use crate::error::AppError;
use commonground_domain::contacts::{ContactDetails, ContactInput, may_edit_contacts_of};
use commonground_domain::policy::{CollabAction, may_collab};
use commonground_store::collaborations::{CollabScope, Collaboration, Participant};
use commonground_store::contacts::{Contact, ContactChange};

/// What the contacts page and API show.
#[derive(Debug, Clone)]
pub struct ContactsView {
    pub collaboration: Collaboration,
    /// By organisation name, then name.
    pub contacts: Vec<Contact>,
    pub participants: Vec<Participant>,
    /// The organisation whose contacts this person may change, if any.
    pub editable: Option<i64>,
    /// The members of that organisation, (id, name), to link a contact to.
    pub members: Vec<(i64, String)>,
}

impl ContactsView {
    /// The contacts grouped by organisation, every organisation taking
    /// part once (in name order), even with no contacts yet.
    pub fn grouped(&self) -> Vec<(&Participant, Vec<&Contact>)> {
        let mut parts: Vec<&Participant> = self.participants.iter().collect();
        parts.sort_by(|a, b| (&a.name, a.organisation_id).cmp(&(&b.name, b.organisation_id)));
        parts
            .into_iter()
            .map(|p| {
                let list = self
                    .contacts
                    .iter()
                    .filter(|c| c.organisation_id == p.organisation_id)
                    .collect();
                (p, list)
            })
            .collect()
    }
}

fn editable(scope: &CollabScope, actor: &Actor) -> Option<i64> {
    may_collab(
        scope.participations(),
        CollabAction::Contribute,
        actor.acting_organisation_id,
    )
}

async fn members(
    tx: &mut Tx,
    scope: &CollabScope,
    org: Option<i64>,
) -> Result<Vec<(i64, String)>, AppError> {
    let Some(org) = org else {
        return Ok(Vec::new());
    };
    Ok(tx
        .assignable_people(scope)
        .await?
        .into_iter()
        .filter(|(o, _, _)| *o == org)
        .map(|(_, id, name)| (id, name))
        .collect())
}

pub async fn contacts(state: &AppState, actor: &Actor, id: i64) -> Result<ContactsView, AppError> {
    let mut tx = state.store.read().await?;
    let (scope, _) = collab_scope_for(&mut tx, actor, id, CollabAction::View).await?;
    let collaboration = tx.collaboration(&scope).await?;
    contacts_in(&mut tx, &scope, collaboration, editable(&scope, actor)).await
}

async fn contacts_in(
    tx: &mut Tx,
    scope: &CollabScope,
    collaboration: Collaboration,
    editable: Option<i64>,
) -> Result<ContactsView, AppError> {
    Ok(ContactsView {
        collaboration,
        contacts: tx.contacts(scope).await?,
        participants: tx.participants(scope).await?,
        members: members(tx, scope, editable).await?,
        editable,
    })
}

/// The who is who page's content, kept (see [`super::kept_collab_page`])
/// for each organisation whose contacts the person may change (or none).
pub async fn contacts_kept(
    state: &AppState,
    actor: &Actor,
    id: i64,
    render: impl FnOnce(&ContactsView) -> crate::cache::KeptPage,
) -> Result<std::sync::Arc<crate::cache::KeptPage>, AppError> {
    super::kept_collab_page(
        state,
        actor,
        (id, "contacts", String::new()),
        async |tx, scope, basis| {
            contacts_in(tx, scope, basis.collaboration, basis.contributes_for).await
        },
        render,
    )
    .await
}

/// The contact's collaboration, proved through the person's access; a
/// contact they cannot see is not found.
async fn contact_scope(
    tx: &mut Tx,
    actor: &Actor,
    cid: i64,
    action: CollabAction,
) -> Result<(CollabScope, i64), AppError> {
    let id = tx
        .contact_collaboration_id(cid)
        .await?
        .ok_or(AppError::NotFound)?;
    collab_scope_for(tx, actor, id, action).await
}

pub async fn contact(state: &AppState, actor: &Actor, cid: i64) -> Result<Contact, AppError> {
    let mut tx = state.store.read().await?;
    let (scope, _) = contact_scope(&mut tx, actor, cid, CollabAction::View).await?;
    tx.contact(&scope, cid).await?.ok_or(AppError::NotFound)
}

const NOT_YOURS: &str = "You can change only your own organisation's contacts. Ask that organisation to change this one.";

/// A contact of the person's own organisation, with the page's facts,
/// for its edit form and its removal question.
pub async fn contact_for_editing(
    state: &AppState,
    actor: &Actor,
    cid: i64,
) -> Result<(ContactsView, Contact), AppError> {
    let mut tx = state.store.read().await?;
    let (scope, acting) = contact_scope(&mut tx, actor, cid, CollabAction::Contribute).await?;
    let contact = tx.contact(&scope, cid).await?.ok_or(AppError::NotFound)?;
    if !may_edit_contacts_of(Some(acting), contact.organisation_id) {
        return Err(AppError::Forbidden(NOT_YOURS.into()));
    }
    let view = ContactsView {
        collaboration: tx.collaboration(&scope).await?,
        contacts: Vec::new(),
        participants: Vec::new(),
        members: members(&mut tx, &scope, Some(acting)).await?,
        editable: Some(acting),
    };
    Ok((view, contact))
}

async fn parse(
    tx: &mut Tx,
    organisation_id: i64,
    input: &ContactInput<'_>,
) -> Result<ContactDetails, AppError> {
    let details = ContactDetails::parse(input)?;
    if let Some(m) = details.member_id
        && !tx.is_member_of(organisation_id, m).await?
    {
        return Err(AppError::invalid(
            "member_id",
            "Choose a member of your organisation, or nobody.",
        ));
    }
    Ok(details)
}

fn describe(c: &Contact) -> String {
    format!(
        "{} ({}) for {}",
        c.name,
        c.role.label().to_lowercase(),
        c.organisation_name
    )
}

/// Adds a contact for the organisation the person acts for.
pub async fn add_contact(
    state: &AppState,
    actor: &Actor,
    id: i64,
    input: &ContactInput<'_>,
) -> Result<Contact, AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let (scope, acting) = collab_scope_for(&mut tx, actor, id, CollabAction::Contribute).await?;
    let details = parse(&mut tx, acting, input).await?;
    let contact = tx.create_contact(&scope, acting, &details, now).await?;
    record_in_collaboration(
        &mut tx,
        actor,
        id,
        acting,
        now,
        "contact.added",
        format!("Added the contact {}.", describe(&contact)),
    )
    .await?;
    tx.commit().await?;
    Ok(contact)
}

/// What became of a change.
#[derive(Debug, Clone)]
pub enum ContactUpdate {
    Saved(Contact),
    /// Someone else saved first: nothing was changed; here it is now.
    Stale(Contact),
}

pub const VERSION_MISSING: &str =
    "Send the version of the contact you are changing, from when you last read it.";

pub fn stale_message(c: &Contact) -> String {
    format!(
        "Someone else changed the contact {} while you were editing it (it is now at version {}). \
         Nothing you sent was saved. Check their change, then make yours again.",
        c.name, c.version
    )
}

pub async fn update_contact(
    state: &AppState,
    actor: &Actor,
    cid: i64,
    version: Option<i64>,
    input: &ContactInput<'_>,
) -> Result<ContactUpdate, AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let (scope, acting) = contact_scope(&mut tx, actor, cid, CollabAction::Contribute).await?;
    let before = tx.contact(&scope, cid).await?.ok_or(AppError::NotFound)?;
    if !may_edit_contacts_of(Some(acting), before.organisation_id) {
        return Err(AppError::Forbidden(NOT_YOURS.into()));
    }
    let details = match parse(&mut tx, before.organisation_id, input).await {
        Ok(d) => d,
        Err(AppError::Invalid(mut errors)) => {
            if version.is_none() {
                errors.add("version", VERSION_MISSING);
            }
            return Err(AppError::Invalid(errors));
        }
        Err(e) => return Err(e),
    };
    let Some(version) = version else {
        return Err(AppError::invalid("version", VERSION_MISSING));
    };
    let contact = match tx
        .update_contact(&scope, cid, version, &details, now)
        .await?
    {
        ContactChange::Saved(c) => *c,
        ContactChange::Stale(c) => return Ok(ContactUpdate::Stale(*c)),
        ContactChange::Missing => return Err(AppError::NotFound),
    };
    record_in_collaboration(
        &mut tx,
        actor,
        scope.collaboration_id(),
        acting,
        now,
        "contact.changed",
        format!("Changed the contact {}.", describe(&contact)),
    )
    .await?;
    tx.commit().await?;
    Ok(ContactUpdate::Saved(contact))
}

/// Removes a contact; answers the collaboration it was in.
pub async fn delete_contact(state: &AppState, actor: &Actor, cid: i64) -> Result<i64, AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let (scope, acting) = contact_scope(&mut tx, actor, cid, CollabAction::Contribute).await?;
    let contact = tx.contact(&scope, cid).await?.ok_or(AppError::NotFound)?;
    if !may_edit_contacts_of(Some(acting), contact.organisation_id) {
        return Err(AppError::Forbidden(NOT_YOURS.into()));
    }
    if !tx.delete_contact(&scope, cid).await? {
        return Err(AppError::NotFound);
    }
    record_in_collaboration(
        &mut tx,
        actor,
        scope.collaboration_id(),
        acting,
        now,
        "contact.removed",
        format!("Removed the contact {}.", describe(&contact)),
    )
    .await?;
    tx.commit().await?;
    Ok(scope.collaboration_id())
}
