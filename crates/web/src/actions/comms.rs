//! The communications plan: everyone taking part reads it; all but
//! observers add, change and remove its items and log what went out. An
//! item or log entry is reached through its collaboration, so one of a
//! collaboration the person does not take part in is not found. A change
//! names the version it was based on; when someone else saved first it is
//! refused with the item as it is now.

use super::collaborations::collab_scope_for;
use super::tasks::today;
use super::*;
use crate::AppState;
use crate::auth::Actor;
use crate::error::AppError;
use commonground_domain::FieldErrors;
use commonground_domain::collaborations::ParticipantRole;
use commonground_domain::comms::{
    Channel, CommsStatus, DueState, ItemFields, ItemInput, LogFields, LogInput,
};
use commonground_domain::policy::{CollabAction, may_collab};
use commonground_store::collaborations::{CollabScope, Collaboration, Participant};
use commonground_store::comms::{CommsFilter, CommsItem, ItemChange, LogEntry};
use commonground_store::tasks::Page;

/// Items on one page of the plan.
pub const PAGE_SIZE: i64 = 25;
/// The most an API caller may ask for at once.
pub const MAX_PAGE_SIZE: i64 = 200;

fn can_contribute(scope: &CollabScope, actor: &Actor) -> bool {
    may_collab(
        scope.participations(),
        CollabAction::Contribute,
        actor.acting_organisation_id,
    )
    .is_some()
}

/// The plan's filters as sent (form or query string).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct FilterInput {
    /// `planned`, `in_progress`, `done` or `dropped`.
    pub status: String,
    pub channel: String,
    pub owner_organisation_id: String,
    pub page: String,
    pub per_page: String,
}

pub fn parse_filter(input: &FilterInput) -> Result<(CommsFilter, Page), FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut filter = CommsFilter::default();
    match input.status.trim() {
        "" => {}
        s => match CommsStatus::parse_code(s) {
            Some(st) => filter.status = Some(st),
            None => errors.add("status", "Choose planned, in progress, done or dropped."),
        },
    }
    match input.channel.trim() {
        "" => {}
        c => match Channel::parse_code(c) {
            Some(ch) => filter.channel = Some(ch),
            None => errors.add("channel", "Choose a channel from the list."),
        },
    }
    match input.owner_organisation_id.trim() {
        "" => {}
        o => match o.parse::<i64>() {
            Ok(v) if v > 0 => filter.owner_organisation_id = Some(v),
            _ => errors.add("owner_organisation_id", "Choose one from the list."),
        },
    }
    let page = super::page_of(
        &mut errors,
        &input.page,
        &input.per_page,
        PAGE_SIZE,
        MAX_PAGE_SIZE,
    );
    errors.into_result()?;
    Ok((filter, page))
}

/// Where an item stands today.
pub fn due_state(i: &CommsItem, today: &str) -> DueState {
    DueState::of(i.next_due_on.as_deref(), today)
}

/// What the forms choose from: the organisations that may send an item
/// (those taking part, observers aside) and their members.
#[derive(Debug, Clone)]
pub struct Choices {
    pub participants: Vec<Participant>,
    /// (organisation, person, name)
    pub people: Vec<(i64, i64, String)>,
}

/// The organisations taking part that may send an item: not observers.
async fn senders(tx: &mut Tx, scope: &CollabScope) -> Result<Vec<Participant>, AppError> {
    Ok(tx
        .participants(scope)
        .await?
        .into_iter()
        .filter(|p| p.role != ParticipantRole::Observer)
        .collect())
}

async fn choices(tx: &mut Tx, scope: &CollabScope) -> Result<Choices, AppError> {
    let participants = senders(tx, scope).await?;
    let people = tx
        .assignable_people(scope)
        .await?
        .into_iter()
        .filter(|(org, _, _)| participants.iter().any(|p| p.organisation_id == *org))
        .collect();
    Ok(Choices {
        participants,
        people,
    })
}

#[derive(Debug, Clone)]
pub struct CommsList {
    pub collaboration: Collaboration,
    pub total: i64,
    pub items: Vec<CommsItem>,
    pub page: Page,
    pub choices: Choices,
    pub today: String,
    pub can_contribute: bool,
    /// Items planned or in progress whose next date due has passed,
    /// whatever the filters.
    pub overdue: i64,
}

pub async fn comms_list(
    state: &AppState,
    actor: &Actor,
    id: i64,
    filter: &CommsFilter,
    page: Page,
) -> Result<CommsList, AppError> {
    let today = today(state);
    let mut tx = state.store.read().await?;
    let (scope, _) = collab_scope_for(&mut tx, actor, id, CollabAction::View).await?;
    let basis = PageBasis {
        collaboration: tx.collaboration(&scope).await?,
        today,
        can_contribute: can_contribute(&scope, actor),
        contributes_for: contributes_for(&scope, actor),
    };
    comms_list_in(&mut tx, &scope, basis, filter, page).await
}

async fn comms_list_in(
    tx: &mut Tx,
    scope: &CollabScope,
    basis: PageBasis,
    filter: &CommsFilter,
    page: Page,
) -> Result<CommsList, AppError> {
    let (total, items) = tx.comms_items(scope, filter, page).await?;
    let facts = tx.comms_facts(scope, &basis.today).await?;
    Ok(CommsList {
        collaboration: basis.collaboration,
        total,
        items,
        page,
        choices: choices(tx, scope).await?,
        today: basis.today,
        can_contribute: basis.can_contribute,
        overdue: facts.overdue,
    })
}

/// The plan page's content for a valid query, kept (see
/// [`super::kept_collab_page`]); its form starts with the organisation the
/// person acts for, so that is part of what it is kept by.
pub async fn comms_list_kept(
    state: &AppState,
    actor: &Actor,
    id: i64,
    (filter, page, sent): (&CommsFilter, Page, &FilterInput),
    render: impl FnOnce(&CommsList) -> crate::cache::KeptPage,
) -> Result<std::sync::Arc<crate::cache::KeptPage>, AppError> {
    super::kept_collab_page(
        state,
        actor,
        (
            id,
            "comms",
            format!("{:?} {sent:?}", actor.acting_organisation_id),
        ),
        async |tx, scope, basis| comms_list_in(tx, scope, basis, filter, page).await,
        render,
    )
    .await
}

/// The API's page of the plan as `render` writes it, kept by the same rule
/// as the page (see [`super::kept_collab_answer`]).
pub async fn comms_answer_kept(
    state: &AppState,
    actor: &Actor,
    id: i64,
    (filter, page): (&CommsFilter, Page),
    render: impl FnOnce(&CommsList) -> Result<Vec<u8>, AppError>,
) -> Result<std::sync::Arc<Vec<u8>>, AppError> {
    super::kept_collab_answer(
        state,
        actor,
        (id, "api-comms", format!("{filter:?} {page:?}")),
        async |tx, scope, basis| comms_list_in(tx, scope, basis, filter, page).await,
        render,
    )
    .await
}

/// Checks what only the collaboration knows: the owner organisation takes
/// part (not only observing) and the owner person belongs to it.
async fn check_owner(tx: &mut Tx, scope: &CollabScope, f: &ItemFields) -> Result<(), AppError> {
    let mut errors = FieldErrors::new();
    if !senders(tx, scope)
        .await?
        .iter()
        .any(|p| p.organisation_id == f.owner_organisation_id)
    {
        errors.add(
            "owner_organisation_id",
            "Choose one of the organisations taking part. Observers do not send the collaboration's communications.",
        );
    } else if let Some(p) = f.owner_person_id
        && !tx.is_member_of(f.owner_organisation_id, p).await?
    {
        errors.add(
            "owner_person_id",
            "Choose a member of the organisation that sends it, or nobody yet.",
        );
    }
    errors.into_result().map_err(AppError::Invalid)
}

fn describe(audience: &str, purpose: &str) -> String {
    format!("\u{201c}{purpose}\u{201d} for {audience}")
}

pub async fn create_item(
    state: &AppState,
    actor: &Actor,
    id: i64,
    input: &ItemInput<'_>,
) -> Result<CommsItem, AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let (scope, acting) = collab_scope_for(&mut tx, actor, id, CollabAction::Contribute).await?;
    let fields = ItemFields::parse(input)?;
    check_owner(&mut tx, &scope, &fields).await?;
    let cid = tx
        .create_comms_item(&scope, &fields, &actor.user.name, now)
        .await?;
    record_in_collaboration(
        &mut tx,
        actor,
        id,
        acting,
        now,
        "comms.added",
        format!(
            "Added {} to the communications plan ({}, {}).",
            describe(&fields.audience, &fields.purpose),
            fields.channel.label().to_lowercase(),
            fields.timing.describe(&fields.on_date).to_lowercase()
        ),
    )
    .await?;
    let item = tx
        .comms_item(&scope, cid)
        .await?
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(item)
}

/// The item's collaboration, proved through the person's access; an item
/// they cannot see is not found.
async fn item_scope(
    tx: &mut Tx,
    actor: &Actor,
    cid: i64,
    action: CollabAction,
) -> Result<(CollabScope, i64), AppError> {
    let id = tx
        .comms_item_collaboration_id(cid)
        .await?
        .ok_or(AppError::NotFound)?;
    collab_scope_for(tx, actor, id, action).await
}

#[derive(Debug, Clone)]
pub struct CommsDetail {
    pub collaboration: Collaboration,
    pub item: CommsItem,
    /// Newest first.
    pub log: Vec<LogEntry>,
    pub choices: Choices,
    pub today: String,
    pub can_contribute: bool,
}

pub async fn comms_detail(
    state: &AppState,
    actor: &Actor,
    cid: i64,
) -> Result<CommsDetail, AppError> {
    let today = today(state);
    let mut tx = state.store.read().await?;
    let (scope, _) = item_scope(&mut tx, actor, cid, CollabAction::View).await?;
    let item = tx
        .comms_item(&scope, cid)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(CommsDetail {
        collaboration: tx.collaboration(&scope).await?,
        log: tx.comms_log(&scope, cid).await?,
        choices: choices(&mut tx, &scope).await?,
        item,
        today,
        can_contribute: can_contribute(&scope, actor),
    })
}

/// What became of a change.
#[derive(Debug, Clone)]
pub enum ItemUpdate {
    Saved(CommsItem),
    /// Someone else saved first: nothing was changed; here it is now.
    Stale(CommsItem),
}

pub const VERSION_MISSING: &str =
    "Send the version of the item you are changing, from when you last read it.";

/// What a person is told when the item changed meanwhile.
pub fn stale_message(i: &CommsItem) -> String {
    format!(
        "{} changed this item while you were editing it. It is now {} for {}: {}, {}. \
         Nothing you sent was saved. Check their change, then make yours again.",
        i.updated_by_name,
        i.status.label().to_lowercase(),
        i.audience,
        i.channel.label().to_lowercase(),
        i.timing.describe(&i.on_date).to_lowercase(),
    )
}

/// Changes an item: every field is sent again, with the version it is
/// based on.
pub async fn update_item(
    state: &AppState,
    actor: &Actor,
    cid: i64,
    version: &str,
    input: &ItemInput<'_>,
) -> Result<ItemUpdate, AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let (scope, acting) = item_scope(&mut tx, actor, cid, CollabAction::Contribute).await?;
    let current = tx
        .comms_item(&scope, cid)
        .await?
        .ok_or(AppError::NotFound)?;
    let based_on = version.trim().parse::<i64>().ok();
    let fields = match ItemFields::parse(input) {
        Ok(f) => f,
        Err(mut e) => {
            if based_on.is_none() {
                e.add("version", VERSION_MISSING);
            }
            return Err(AppError::Invalid(e));
        }
    };
    let Some(based_on) = based_on else {
        return Err(AppError::invalid("version", VERSION_MISSING));
    };
    check_owner(&mut tx, &scope, &fields).await?;
    if current.version != based_on {
        return Ok(ItemUpdate::Stale(current));
    }
    match tx
        .update_comms_item(&scope, &current, &fields, based_on, &actor.user.name, now)
        .await?
    {
        ItemChange::Saved => {}
        ItemChange::Stale => {
            let now_is = tx
                .comms_item(&scope, cid)
                .await?
                .ok_or(AppError::NotFound)?;
            return Ok(ItemUpdate::Stale(now_is));
        }
    }
    let summary = if current.status != fields.status {
        format!(
            "Changed {} in the communications plan: {} now.",
            describe(&fields.audience, &fields.purpose),
            fields.status.label().to_lowercase()
        )
    } else {
        format!(
            "Changed {} in the communications plan.",
            describe(&fields.audience, &fields.purpose)
        )
    };
    record_in_collaboration(
        &mut tx,
        actor,
        scope.collaboration_id(),
        acting,
        now,
        "comms.changed",
        summary,
    )
    .await?;
    let item = tx
        .comms_item(&scope, cid)
        .await?
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(ItemUpdate::Saved(item))
}

/// Removes an item and its log; returns its collaboration.
pub async fn delete_item(state: &AppState, actor: &Actor, cid: i64) -> Result<i64, AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let (scope, acting) = item_scope(&mut tx, actor, cid, CollabAction::Contribute).await?;
    let item = tx
        .comms_item(&scope, cid)
        .await?
        .ok_or(AppError::NotFound)?;
    if !tx.delete_comms_item(&scope, cid).await? {
        return Err(AppError::NotFound);
    }
    record_in_collaboration(
        &mut tx,
        actor,
        scope.collaboration_id(),
        acting,
        now,
        "comms.removed",
        format!(
            "Removed {} from the communications plan.",
            describe(&item.audience, &item.purpose)
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(scope.collaboration_id())
}

/// Logs what went out for an item. An empty channel means the item's own.
pub async fn add_log(
    state: &AppState,
    actor: &Actor,
    cid: i64,
    input: &LogInput<'_>,
) -> Result<(CommsItem, LogEntry), AppError> {
    let now = state.clock.now();
    let today = today(state);
    let mut tx = state.store.write().await?;
    let (scope, acting) = item_scope(&mut tx, actor, cid, CollabAction::Contribute).await?;
    let item = tx
        .comms_item(&scope, cid)
        .await?
        .ok_or(AppError::NotFound)?;
    let input = LogInput {
        channel: if input.channel.trim().is_empty() {
            item.channel.code()
        } else {
            input.channel
        },
        ..*input
    };
    let fields = LogFields::parse(&input, &today)?;
    let lid = tx
        .add_comms_log(&scope, cid, &fields, actor.user.id, &actor.user.name, now)
        .await?;
    record_in_collaboration(
        &mut tx,
        actor,
        scope.collaboration_id(),
        acting,
        now,
        "comms.sent",
        format!(
            "Logged what went out for {}: \u{201c}{}\u{201d}, by {} on {}.",
            describe(&item.audience, &item.purpose),
            fields.what,
            fields.channel.label().to_lowercase(),
            fields.sent_on,
        ),
    )
    .await?;
    let entry = tx
        .comms_log_entry(&scope, lid)
        .await?
        .ok_or(AppError::NotFound)?;
    let item = tx
        .comms_item(&scope, cid)
        .await?
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok((item, entry))
}

/// A log entry with its item, for the page that asks before removing it.
#[derive(Debug, Clone)]
pub struct LogDetail {
    pub collaboration: Collaboration,
    pub item: CommsItem,
    pub entry: LogEntry,
    pub can_contribute: bool,
}

async fn log_scope(
    tx: &mut Tx,
    actor: &Actor,
    lid: i64,
    action: CollabAction,
) -> Result<(CollabScope, i64), AppError> {
    let id = tx
        .comms_log_collaboration_id(lid)
        .await?
        .ok_or(AppError::NotFound)?;
    collab_scope_for(tx, actor, id, action).await
}

pub async fn log_detail(state: &AppState, actor: &Actor, lid: i64) -> Result<LogDetail, AppError> {
    let mut tx = state.store.read().await?;
    let (scope, _) = log_scope(&mut tx, actor, lid, CollabAction::View).await?;
    let entry = tx
        .comms_log_entry(&scope, lid)
        .await?
        .ok_or(AppError::NotFound)?;
    let item = tx
        .comms_item(&scope, entry.item_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(LogDetail {
        collaboration: tx.collaboration(&scope).await?,
        item,
        entry,
        can_contribute: can_contribute(&scope, actor),
    })
}

/// Removes a log entry; returns its item.
pub async fn delete_log(state: &AppState, actor: &Actor, lid: i64) -> Result<i64, AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let (scope, acting) = log_scope(&mut tx, actor, lid, CollabAction::Contribute).await?;
    let entry = tx
        .comms_log_entry(&scope, lid)
        .await?
        .ok_or(AppError::NotFound)?;
    let item = tx
        .comms_item(&scope, entry.item_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !tx.delete_comms_log(&scope, &entry).await? {
        return Err(AppError::NotFound);
    }
    record_in_collaboration(
        &mut tx,
        actor,
        scope.collaboration_id(),
        acting,
        now,
        "comms.log_removed",
        format!(
            "Removed \u{201c}{}\u{201d}, sent on {}, from the log of {}.",
            entry.what,
            entry.sent_on,
            describe(&item.audience, &item.purpose)
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(item.id)
}
