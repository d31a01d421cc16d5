//! Due diligence for the deeper models: the checklist of areas, each with
//! a status, an owner organisation taking part, and a note. Everyone taking
//! part reads it; all but observers change it. The items are made when a
//! deeper model is chosen; while the model chosen is a lighter one they
//! are kept but cannot be changed. A change based on an older version of
//! an item is refused (409) with the item as it is now.

use super::collaborations::collab_scope_for;
use super::*;
use crate::AppState;
use crate::auth::Actor;
use crate::error::AppError;
use commonground_domain::due_diligence::{Area, ItemChange, Progress};
use commonground_domain::policy::{CollabAction, may_collab};
use commonground_store::collaborations::{Collaboration, Participant};
use commonground_store::due_diligence::DueDiligenceItem;
use commonground_store::model::ChosenModel;

#[derive(Debug, Clone)]
pub struct DueDiligenceView {
    pub collaboration: Collaboration,
    pub model: Option<ChosenModel>,
    /// Whether the model chosen needs due diligence.
    pub applies: bool,
    /// In the order of the areas; empty when no deeper model was ever chosen.
    pub items: Vec<DueDiligenceItem>,
    pub progress: Progress,
    /// Who can own an item.
    pub participants: Vec<Participant>,
    pub can_contribute: bool,
}

pub async fn due_diligence(
    state: &AppState,
    actor: &Actor,
    id: i64,
) -> Result<DueDiligenceView, AppError> {
    let mut tx = state.store.read().await?;
    let (scope, _, collaboration, _) =
        super::collaborations::collab_for(&mut tx, actor, id, CollabAction::View).await?;
    let model = tx.chosen_model(&scope).await?;
    let items = tx.due_diligence(&scope).await?;
    let statuses: Vec<_> = items.iter().map(|i| i.status).collect();
    Ok(DueDiligenceView {
        collaboration,
        applies: model
            .as_ref()
            .is_some_and(|m| m.model.needs_due_diligence()),
        model,
        progress: Progress::of(&statuses),
        items,
        participants: tx.participants(&scope).await?,
        can_contribute: may_collab(
            scope.participations(),
            CollabAction::Contribute,
            actor.acting_organisation_id,
        )
        .is_some(),
    })
}

/// The fields of a change, as sent.
#[derive(Debug, Clone, Copy, Default)]
pub struct ItemInput<'a> {
    pub status: &'a str,
    pub owner_organisation_id: &'a str,
    pub note: &'a str,
    pub based_on: &'a str,
}

pub async fn change_item(
    state: &AppState,
    actor: &Actor,
    id: i64,
    area: &str,
    input: &ItemInput<'_>,
) -> Result<DueDiligenceItem, AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let (scope, acting) = collab_scope_for(&mut tx, actor, id, CollabAction::Contribute).await?;
    let area = Area::parse_code(area).ok_or(AppError::NotFound)?;
    let current = tx
        .due_diligence_item(&scope, area)
        .await?
        .ok_or(AppError::NotFound)?;
    let model = tx.chosen_model(&scope).await?;
    if !model
        .as_ref()
        .is_some_and(|m| m.model.needs_due_diligence())
    {
        return Err(AppError::Conflict(format!(
            "Due diligence is for a consortium with its own legal vehicle, a group structure or a merger. The model chosen now is {}, so this checklist is kept but cannot be changed.",
            model.map_or("none", |m| m.model.label()).to_lowercase()
        )));
    }
    let mut change = ItemChange::parse(
        input.status,
        input.owner_organisation_id,
        input.note,
        input.based_on,
    )?;
    if let Some(owner) = change.owner_organisation_id {
        let taking_part = tx.participants(&scope).await?;
        if !taking_part.iter().any(|p| p.organisation_id == owner) {
            return Err(AppError::invalid(
                "owner_organisation_id",
                "Choose one of the organisations taking part, or nobody yet.",
            ));
        }
    }
    change.note = change.note.trim().to_string();
    if current.version != change.based_on
        || !tx
            .change_due_diligence_item(&scope, area, &change, &actor.user.name, now)
            .await?
    {
        return Err(AppError::Conflict(stale_message(&current)));
    }
    let item = tx
        .due_diligence_item(&scope, area)
        .await?
        .ok_or(AppError::NotFound)?;
    let summary = if current.status == item.status {
        format!(
            "Updated the due diligence on {}.",
            area.label().to_lowercase()
        )
    } else {
        format!(
            "Marked the due diligence on {} as {}.",
            area.label().to_lowercase(),
            item.status.label().to_lowercase()
        )
    };
    record_in_collaboration(
        &mut tx,
        actor,
        id,
        acting,
        now,
        "due_diligence.changed",
        summary,
    )
    .await?;
    tx.commit().await?;
    Ok(item)
}

/// What a person is told when the item changed meanwhile.
pub fn stale_message(item: &DueDiligenceItem) -> String {
    format!(
        "{} changed {} meanwhile: it is now {}{}{}. Read their change, then make yours again.",
        item.updated_by_name,
        item.area.label().to_lowercase(),
        item.status.label().to_lowercase(),
        if item.owner_name.is_empty() {
            String::new()
        } else {
            format!(", owned by {}", item.owner_name)
        },
        if item.note.is_empty() {
            String::new()
        } else {
            format!(", with the note \u{201c}{}\u{201d}", item.note)
        },
    )
}
