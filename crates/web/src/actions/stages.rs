//! What every stage's checklist is worked out from, read once for all the
//! stages and kept by each server with the collaboration's content
//! revision (see `Tx::collab_scope_with_collaboration`): the collaboration page shows
//! every checklist, and each stage page its own, without reading a dozen
//! tables on every view.

use crate::AppState;
use crate::error::AppError;
use commonground_domain::health_checks::ReviewFacts;
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
    pub review: ReviewFacts,
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
/// kept. `revision` is the collaboration's content revision, read in the
/// same transaction before any of the content (with the proof of access:
/// `Tx::collab_scope_with_collaboration`, `Tx::collaboration_for_member_at`),
/// so what is kept is never older than the revision it is kept with.
pub(crate) async fn stage_facts_at(
    state: &AppState,
    tx: &mut Tx,
    scope: &CollabScope,
    (own, organisations): (i64, i64),
) -> Result<Arc<StageFacts>, AppError> {
    let key = (own, organisations, super::tasks::today(state));
    let id = scope.collaboration_id();
    if let Some(kept) = state.stage_facts.get(&id, &key) {
        return Ok(kept);
    }
    let facts = Arc::new(StageFacts {
        identify: tx.identify_facts(scope).await?,
        plan: super::plan::plan_facts(tx, scope).await?,
        implement: super::tasks::implement_facts(tx, scope, &key.2).await?,
        review: super::health_checks::review_facts(state, tx, scope, &key.2).await?,
    });
    state.stage_facts.put(id, key, Arc::clone(&facts));
    Ok(facts)
}
