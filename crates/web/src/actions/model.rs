//! The collaboration model: the guide to the models, a suggestion from a
//! few questions, and the partners' choice with its reason. Everyone taking
//! part sees the choice; all but observers make or change it. A change
//! based on an older choice is refused (409) with the current one, and
//! every choice is kept in the audit trail. Choosing one of the deeper
//! models opens its due diligence checklist.

use super::collaborations::collab_scope_for;
use super::*;
use crate::AppState;
use crate::auth::Actor;
use crate::error::AppError;
use commonground_domain::model::{Answers, ModelChoice, Suggestion, suggest};
use commonground_domain::policy::{CollabAction, may_collab};
use commonground_store::collaborations::Collaboration;
use commonground_store::model::{Chooser, ChosenModel};

#[derive(Debug, Clone)]
pub struct ModelView {
    pub collaboration: Collaboration,
    pub current: Option<ChosenModel>,
    pub can_contribute: bool,
}

pub async fn model(state: &AppState, actor: &Actor, id: i64) -> Result<ModelView, AppError> {
    let mut tx = state.store.read().await?;
    let (scope, _, collaboration, _) =
        super::collaborations::collab_for(&mut tx, actor, id, CollabAction::View).await?;
    Ok(ModelView {
        collaboration,
        current: tx.chosen_model(&scope).await?,
        can_contribute: may_collab(
            scope.participations(),
            CollabAction::Contribute,
            actor.acting_organisation_id,
        )
        .is_some(),
    })
}

/// The model the answers point to. Reads nothing but who may see the
/// collaboration; every question must be answered.
pub async fn suggest_model<'a>(
    state: &AppState,
    actor: &Actor,
    id: i64,
    answer: impl Fn(&str) -> Option<&'a str>,
) -> Result<Suggestion, AppError> {
    let mut tx = state.store.read().await?;
    collab_scope_for(&mut tx, actor, id, CollabAction::View).await?;
    let answers = Answers::parse(answer)?;
    Ok(suggest(&answers))
}

/// Records the model chosen and why, replacing the choice with version
/// `based_on` (0 for the first). A stale `based_on` is a conflict that
/// names the current choice.
pub async fn choose_model(
    state: &AppState,
    actor: &Actor,
    id: i64,
    model: &str,
    reason: &str,
    based_on: &str,
) -> Result<ChosenModel, AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let (scope, acting) = collab_scope_for(&mut tx, actor, id, CollabAction::Contribute).await?;
    let choice = ModelChoice::parse(model, reason, based_on)?;
    let current = tx.chosen_model(&scope).await?;
    let org = org_name(&mut tx, acting).await?;
    let stale = || match &current {
        Some(c) => AppError::Conflict(stale_message(c)),
        None => AppError::Conflict(
            "The choice you wanted to change is no longer there. Reload the page and choose again."
                .into(),
        ),
    };
    if current.as_ref().map_or(0, |c| c.version) != choice.based_on {
        return Err(stale());
    }
    let chosen = tx
        .choose_model(
            &scope,
            choice.model,
            &choice.reason,
            choice.based_on,
            Chooser {
                user_id: actor.user.id,
                user_name: &actor.user.name,
                organisation_id: acting,
                organisation_name: &org,
                at: now,
            },
        )
        .await?;
    if !chosen {
        return Err(stale());
    }
    if choice.model.needs_due_diligence() {
        tx.open_due_diligence(&scope, &actor.user.name, now).await?;
    }
    let summary = match &current {
        None => format!(
            "Chose {} as the collaboration model, because: {}",
            choice.model.label(),
            choice.reason
        ),
        Some(c) if c.model == choice.model => format!(
            "Kept {} as the collaboration model, with a new reason: {}",
            choice.model.label(),
            choice.reason
        ),
        Some(c) => format!(
            "Changed the collaboration model from {} to {}, because: {}",
            c.model.label(),
            choice.model.label(),
            choice.reason
        ),
    };
    record_in_collaboration(&mut tx, actor, id, acting, now, "model.chosen", summary).await?;
    let chosen = tx
        .chosen_model(&scope)
        .await?
        .ok_or_else(|| AppError::Internal("the model chosen was not found".into()))?;
    tx.commit().await?;
    Ok(chosen)
}

/// What a person is told when someone else chose meanwhile.
pub fn stale_message(c: &ChosenModel) -> String {
    format!(
        "{} from {} chose {} meanwhile, because: \u{201c}{}\u{201d} Read their choice, then choose again if you still want to change it.",
        c.chosen_by_name,
        c.organisation_name,
        c.model.label(),
        c.reason
    )
}
