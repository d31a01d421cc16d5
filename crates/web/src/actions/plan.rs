//! The Plan stage as a whole: its checklist and how complete it is.

use super::collaborations::collab_for;
use crate::AppState;
use crate::auth::Actor;
use crate::error::AppError;
use commonground_domain::plan::{PartStatus, PlanFacts, checklist};
use commonground_domain::policy::{CollabAction, may_collab};
use commonground_domain::stage::{ChecklistItem, Stage, completion_percent};
use commonground_store::Tx;
use commonground_store::collaborations::{CollabScope, Collaboration};
use commonground_store::model::ChosenModel;

/// The Plan stage page: the collaboration, its checklist and the model.
#[derive(Debug, Clone)]
pub struct PlanOverview {
    pub collaboration: Collaboration,
    pub checklist: Vec<ChecklistItem>,
    pub percent: u8,
    pub facts: PlanFacts,
    pub model: Option<ChosenModel>,
    /// Whether the person may add to the stage's work (not an observer).
    pub can_contribute: bool,
}

/// Everything the Plan checklist is made from.
///
/// The seam for the other parts of the stage: the store reads only the
/// model and due diligence here (`Tx::plan_facts`). Shared aims,
/// governance, responsibilities and the agreement each set their field of
/// `PlanFacts` (a `PartStatus`) from their own store function, called here
/// in the same read transaction, once their tables exist.
fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

pub(crate) async fn plan_facts(tx: &mut Tx, scope: &CollabScope) -> Result<PlanFacts, AppError> {
    let mut facts = tx.plan_facts(scope).await?;
    let aims = tx.aim_set(scope).await?;
    facts.aims = if aims.aims.is_empty() {
        PartStatus::NotStarted
    } else if aims.state.agreed {
        PartStatus::Done(format!(
            "{} approved by every lead and partner organisation.",
            count(aims.aims.len(), "aim", "aims")
        ))
    } else {
        let waiting: Vec<&str> = aims
            .parties
            .iter()
            .filter(|(id, _)| aims.state.waiting.contains(id))
            .map(|(_, name)| name.as_str())
            .collect();
        PartStatus::InProgress(format!(
            "{}. Still to approve: {}.",
            count(aims.aims.len(), "aim", "aims"),
            waiting.join(", ")
        ))
    };
    let bodies = tx.governance_bodies(scope).await?;
    facts.governance = if bodies.is_empty() {
        PartStatus::NotStarted
    } else if tx.governance_is_set(scope).await? {
        PartStatus::Done(format!(
            "{} with a chair, a decision rule, a quorum and members from every lead and partner organisation.",
            count(bodies.len(), "governance body", "governance bodies")
        ))
    } else {
        PartStatus::InProgress(format!(
            "{}, but none yet has a chair, a decision rule, a quorum and members from every lead and partner organisation.",
            count(bodies.len(), "governance body", "governance bodies")
        ))
    };
    let matrix = tx.responsibility_matrix(scope).await?;
    facts.responsibilities = if matrix.version == 0 {
        PartStatus::NotStarted
    } else if matrix.agreed() {
        PartStatus::Done("Every function has exactly one accountable organisation.".to_string())
    } else {
        let open = matrix.reviews().iter().filter(|r| !r.agreed()).count();
        PartStatus::InProgress(format!(
            "{} still without exactly one accountable organisation.",
            count(open, "function", "functions")
        ))
    };
    let agreements = tx.agreements(scope).await?;
    facts.agreement = if agreements.is_empty() {
        PartStatus::NotStarted
    } else if tx.some_agreed_among(scope, &agreements).await? {
        PartStatus::Done("Approved by every lead and partner organisation.".to_string())
    } else {
        PartStatus::InProgress(format!(
            "{} started, not yet approved by every lead and partner organisation.",
            count(agreements.len(), "agreement", "agreements")
        ))
    };
    Ok(facts)
}

pub async fn plan_overview(
    state: &AppState,
    actor: &Actor,
    id: i64,
) -> Result<PlanOverview, AppError> {
    let mut tx = state.store.read().await?;
    let (scope, _, collaboration, revision) =
        collab_for(&mut tx, actor, id, CollabAction::View).await?;
    let facts = super::stages::stage_facts_at(state, &mut tx, &scope, revision)
        .await?
        .plan
        .clone();
    let model = tx.chosen_model(&scope).await?;
    let can_contribute = may_collab(
        scope.participations(),
        CollabAction::Contribute,
        actor.acting_organisation_id,
    )
    .is_some();
    let checklist = checklist(&facts);
    Ok(PlanOverview {
        collaboration,
        percent: completion_percent(&checklist),
        checklist,
        facts,
        model,
        can_contribute,
    })
}

/// One stage's checklist and how complete it is.
#[derive(Debug, Clone)]
pub struct StageChecklist {
    pub stage: Stage,
    pub checklist: Vec<ChecklistItem>,
    pub percent: u8,
}
/// Every stage's checklist, read in the caller's transaction with the
/// access it has already proved.
pub(crate) async fn checklists_in(
    state: &AppState,
    tx: &mut Tx,
    scope: &CollabScope,
    revision: (i64, i64),
) -> Result<Vec<StageChecklist>, AppError> {
    let facts = super::stages::stage_facts_at(state, tx, scope, revision).await?;
    let identify = commonground_domain::identify::checklist(&facts.identify);
    let plan = checklist(&facts.plan);
    let implement = commonground_domain::tasks::checklist(&facts.implement);
    let review = commonground_domain::health_checks::checklist(&facts.review);
    Ok(vec![
        StageChecklist {
            stage: Stage::Identify,
            percent: completion_percent(&identify),
            checklist: identify,
        },
        StageChecklist {
            stage: Stage::Plan,
            percent: completion_percent(&plan),
            checklist: plan,
        },
        StageChecklist {
            stage: Stage::Implement,
            percent: completion_percent(&implement),
            checklist: implement,
        },
        StageChecklist {
            stage: Stage::Review,
            percent: completion_percent(&review),
            checklist: review,
        },
    ])
}
