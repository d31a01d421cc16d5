//! The strategic environment: SWOT and PESTLE items of a collaboration.
//! Everyone taking part sees them; all but observers add and change them.

use super::collaborations::collab_scope_for;
use super::*;
use crate::AppState;
use crate::auth::Actor;
use crate::error::AppError;
use commonground_domain::environment::EnvironmentDetails;
use commonground_domain::policy::{CollabAction, may_collab};
use commonground_store::collaborations::Collaboration;
use commonground_store::environment::EnvironmentItem;

/// A submitted item, as typed. `framework` may be left out.
#[derive(Debug, Clone, Default)]
pub struct EnvironmentInput<'a> {
    pub framework: Option<&'a str>,
    pub category: &'a str,
    pub text: &'a str,
}

impl EnvironmentInput<'_> {
    fn parse(&self) -> Result<EnvironmentDetails, AppError> {
        Ok(EnvironmentDetails::parse(
            self.framework,
            self.category,
            self.text,
        )?)
    }
}

#[derive(Debug, Clone)]
pub struct EnvironmentView {
    pub collaboration: Collaboration,
    /// Oldest first.
    pub items: Vec<EnvironmentItem>,
    pub can_contribute: bool,
}

pub async fn environment(
    state: &AppState,
    actor: &Actor,
    id: i64,
) -> Result<EnvironmentView, AppError> {
    let mut tx = state.store.read().await?;
    let (scope, _, collaboration, _) =
        super::collaborations::collab_for(&mut tx, actor, id, CollabAction::View).await?;
    Ok(EnvironmentView {
        collaboration,
        items: tx.environment_items(&scope).await?,
        can_contribute: may_collab(
            scope.participations(),
            CollabAction::Contribute,
            actor.acting_organisation_id,
        )
        .is_some(),
    })
}

/// A short form of an item's text for the audit trail.
fn short(text: &str) -> String {
    let first = text.lines().next().unwrap_or_default();
    if first.chars().count() > 80 || text.contains('\n') {
        format!(
            "\u{201c}{}\u{2026}\u{201d}",
            first.chars().take(80).collect::<String>()
        )
    } else {
        format!("\u{201c}{first}\u{201d}")
    }
}

pub async fn add_environment_item(
    state: &AppState,
    actor: &Actor,
    id: i64,
    input: &EnvironmentInput<'_>,
) -> Result<EnvironmentItem, AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let (scope, acting) = collab_scope_for(&mut tx, actor, id, CollabAction::Contribute).await?;
    let details = input.parse()?;
    let item = tx
        .create_environment_item(&scope, acting, &details, actor.user.id, now)
        .await?;
    record_in_collaboration(
        &mut tx,
        actor,
        id,
        acting,
        now,
        "environment.added",
        format!(
            "Added to {} ({}): {}.",
            item.category.label(),
            item.framework.label(),
            short(&item.text)
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(item)
}

/// An item of this collaboration, for its edit form.
pub async fn environment_item_for_editing(
    state: &AppState,
    actor: &Actor,
    id: i64,
    item_id: i64,
) -> Result<(Collaboration, EnvironmentItem), AppError> {
    let mut tx = state.store.read().await?;
    let (scope, _, collaboration, _) =
        super::collaborations::collab_for(&mut tx, actor, id, CollabAction::Contribute).await?;
    let item = tx
        .environment_item(&scope, item_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((collaboration, item))
}

pub async fn update_environment_item(
    state: &AppState,
    actor: &Actor,
    id: i64,
    item_id: i64,
    input: &EnvironmentInput<'_>,
) -> Result<EnvironmentItem, AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let (scope, acting) = collab_scope_for(&mut tx, actor, id, CollabAction::Contribute).await?;
    tx.environment_item(&scope, item_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let details = input.parse()?;
    let item = tx
        .update_environment_item(&scope, item_id, &details, now)
        .await?
        .ok_or(AppError::NotFound)?;
    record_in_collaboration(
        &mut tx,
        actor,
        id,
        acting,
        now,
        "environment.changed",
        format!(
            "Changed an item under {} ({}): {}.",
            item.category.label(),
            item.framework.label(),
            short(&item.text)
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(item)
}

pub async fn delete_environment_item(
    state: &AppState,
    actor: &Actor,
    id: i64,
    item_id: i64,
) -> Result<(), AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let (scope, acting) = collab_scope_for(&mut tx, actor, id, CollabAction::Contribute).await?;
    let item = tx
        .environment_item(&scope, item_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !tx.delete_environment_item(&scope, item_id).await? {
        return Err(AppError::NotFound);
    }
    record_in_collaboration(
        &mut tx,
        actor,
        id,
        acting,
        now,
        "environment.deleted",
        format!(
            "Deleted an item under {} ({}): {}.",
            item.category.label(),
            item.framework.label(),
            short(&item.text)
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
