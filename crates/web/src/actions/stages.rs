//! What every stage's checklist is worked out from, read once for all the
//! stages and kept by each server with the collaboration's content
//! revision (see `Tx::content_revision`): the collaboration page shows
//! every checklist, and each stage page its own, without reading a dozen
//! tables on every view.

use crate::AppState;
use crate::error::AppError;
use commonground_domain::identify::IdentifyFacts;
use commonground_domain::plan::PlanFacts;
use commonground_domain::tasks::ImplementFacts;
use commonground_store::Tx;
use commonground_store::collaborations::CollabScope;
use std::sync::Arc;

/// The facts behind every stage's checklist, at one moment.
#[derive(Debug, Clone)]
pub struct StageFacts {
    pub identify: IdentifyFacts,
    pub plan: PlanFacts,
    pub implement: ImplementFacts,
}

/// The key a [`StageFacts`] is right for: the collaboration's revision, the
/// sum of its organisations' revisions, and the day (what is overdue moves
/// on with the date, not with writes).
pub type StageFactsKey = (i64, i64, String);

/// Stage facts by collaboration id.
pub type StageFactsCache = crate::cache::Versioned<i64, StageFactsKey, StageFacts>;

/// Every stage's facts for the collaboration, from this server's memory
/// when nothing in it has changed since they were read, else read now in
/// the caller's transaction (with the access it has already proved) and
/// kept.
pub(crate) async fn stage_facts(
    state: &AppState,
    tx: &mut Tx,
    scope: &CollabScope,
) -> Result<Arc<StageFacts>, AppError> {
    // The revision first: content read after it is never older than it.
    let (own, organisations) = tx.content_revision(scope).await?;
    let key = (own, organisations, super::tasks::today(state));
    let id = scope.collaboration_id();
    if let Some(kept) = state.stage_facts.get(&id, &key) {
        return Ok(kept);
    }
    let facts = Arc::new(StageFacts {
        identify: tx.identify_facts(scope).await?,
        plan: super::plan::plan_facts(tx, scope).await?,
        implement: super::tasks::implement_facts(tx, scope, &key.2).await?,
    });
    state.stage_facts.put(id, key, Arc::clone(&facts));
    Ok(facts)
}
