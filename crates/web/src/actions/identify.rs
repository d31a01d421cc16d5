//! The Identify stage as a whole: its checklist and how complete it is.

use crate::AppState;
use crate::auth::Actor;
use crate::error::AppError;
use commonground_domain::identify::checklist;
use commonground_domain::policy::CollabAction;
use commonground_domain::stage::{ChecklistItem, completion_percent};
use commonground_store::collaborations::Collaboration;

/// The Identify stage page: the collaboration and its checklist.
#[derive(Debug, Clone)]
pub struct IdentifyOverview {
    pub collaboration: Collaboration,
    pub checklist: Vec<ChecklistItem>,
    pub percent: u8,
    /// Whether the person may add to the stage's work (not an observer).
    pub can_contribute: bool,
}

pub async fn identify_overview(
    state: &AppState,
    actor: &Actor,
    id: i64,
) -> Result<IdentifyOverview, AppError> {
    let mut tx = state.store.read().await?;
    let (scope, _, collaboration, revision) =
        super::collaborations::collab_for(&mut tx, actor, id, CollabAction::View).await?;
    let facts = super::stages::stage_facts_at(state, &mut tx, &scope, revision)
        .await?
        .identify
        .clone();
    let can_contribute = commonground_domain::policy::may_collab(
        scope.participations(),
        CollabAction::Contribute,
        actor.acting_organisation_id,
    )
    .is_some();
    let checklist = checklist(&facts);
    Ok(IdentifyOverview {
        collaboration,
        percent: completion_percent(&checklist),
        checklist,
        can_contribute,
    })
}
