//! Own goals: each organisation's goals for one collaboration, seen by all
//! taking part and changed only by the organisation's own members; and an
//! organisation's goals in general, seen and changed by its members.

use super::collaborations::collab_scope_for;
use super::organisations::org_scope_for;
use super::*;
use crate::AppState;
use crate::auth::Actor;
use crate::error::AppError;
use commonground_domain::goals::GoalDetails;
use commonground_domain::policy::{CollabAction, OrgAction};
use commonground_store::collaborations::{CollabScope, Collaboration, Participant};
use commonground_store::goals::Goal;
use commonground_store::organisations::OrgRef;

/// A submitted goal, as typed.
#[derive(Debug, Clone, Default)]
pub struct GoalInput<'a> {
    pub benefit: &'a str,
    pub title: &'a str,
    pub detail: &'a str,
}

impl GoalInput<'_> {
    fn parse(&self) -> Result<GoalDetails, AppError> {
        Ok(GoalDetails::parse(self.benefit, self.title, self.detail)?)
    }
}

/// What the collaboration's goals page and API show.
#[derive(Debug, Clone)]
pub struct CollabGoals {
    pub collaboration: Collaboration,
    pub participants: Vec<Participant>,
    /// By organisation name.
    pub goals: Vec<Goal>,
    /// The organisation new goals are added for; None for observers.
    pub adding_for: Option<(i64, String)>,
    /// The organisations whose goals the person may change.
    pub editable: Vec<i64>,
}

impl CollabGoals {
    pub fn can_edit(&self, goal: &Goal) -> bool {
        self.editable.contains(&goal.organisation_id)
    }
}

/// The person's organisations here that may change their own goals.
fn editable(scope: &CollabScope) -> Vec<i64> {
    scope
        .participations()
        .iter()
        .filter(|p| may_collab_one(p, CollabAction::Contribute))
        .map(|p| p.organisation_id)
        .collect()
}

fn may_collab_one(p: &commonground_domain::policy::Participation, action: CollabAction) -> bool {
    commonground_domain::policy::may_collab(std::slice::from_ref(p), action, None).is_some()
}

/// A goal may be changed only by members of the organisation it belongs
/// to, and only while that organisation contributes.
fn check_owner(scope: &CollabScope, goal: &Goal) -> Result<(), AppError> {
    match scope
        .participations()
        .iter()
        .find(|p| p.organisation_id == goal.organisation_id)
    {
        Some(p) if may_collab_one(p, CollabAction::Contribute) => Ok(()),
        Some(_) => Err(super::collaborations::refusal(CollabAction::Contribute)),
        None => Err(AppError::Forbidden(format!(
            "This goal belongs to {}, so only its members can change it. Add a goal for your own organisation instead.",
            goal.organisation_name
        ))),
    }
}

pub async fn collaboration_goals(
    state: &AppState,
    actor: &Actor,
    id: i64,
) -> Result<CollabGoals, AppError> {
    let mut tx = state.store.read().await?;
    let (scope, _, collaboration, _) =
        super::collaborations::collab_for(&mut tx, actor, id, CollabAction::View).await?;
    let participants = tx.participants(&scope).await?;
    let goals = tx.collaboration_goals(&scope).await?;
    let adding_for = commonground_domain::policy::may_collab(
        scope.participations(),
        CollabAction::Contribute,
        actor.acting_organisation_id,
    )
    .map(|org| {
        let name = participants
            .iter()
            .find(|p| p.organisation_id == org)
            .map(|p| p.name.clone())
            .unwrap_or_default();
        (org, name)
    });
    Ok(CollabGoals {
        collaboration,
        participants,
        goals,
        adding_for,
        editable: editable(&scope),
    })
}

fn quoted(title: &str) -> String {
    format!("\u{201c}{title}\u{201d}")
}

pub async fn add_collaboration_goal(
    state: &AppState,
    actor: &Actor,
    id: i64,
    input: &GoalInput<'_>,
) -> Result<Goal, AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let (scope, acting) = collab_scope_for(&mut tx, actor, id, CollabAction::Contribute).await?;
    let details = input.parse()?;
    let goal = tx
        .create_collaboration_goal(&scope, acting, &details, actor.user.id, now)
        .await?;
    Audit {
        actor,
        acting_org: Some((acting, goal.organisation_name.clone())),
        organisation_id: None,
        collaboration_id: Some(id),
        now,
    }
    .record(
        &mut tx,
        "goal.added",
        format!(
            "Added a goal for {}: {}.",
            goal.organisation_name,
            quoted(&goal.title)
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(goal)
}

/// A goal of this collaboration that the person may change, with the
/// collaboration: for the edit form.
pub async fn collaboration_goal_for_editing(
    state: &AppState,
    actor: &Actor,
    id: i64,
    goal_id: i64,
) -> Result<(Collaboration, Goal), AppError> {
    let mut tx = state.store.read().await?;
    let (scope, _, collaboration, _) =
        super::collaborations::collab_for(&mut tx, actor, id, CollabAction::View).await?;
    let goal = tx
        .collaboration_goal(&scope, goal_id)
        .await?
        .ok_or(AppError::NotFound)?;
    check_owner(&scope, &goal)?;
    Ok((collaboration, goal))
}

pub async fn update_collaboration_goal(
    state: &AppState,
    actor: &Actor,
    id: i64,
    goal_id: i64,
    input: &GoalInput<'_>,
) -> Result<Goal, AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let (scope, _) = collab_scope_for(&mut tx, actor, id, CollabAction::View).await?;
    let goal = tx
        .collaboration_goal(&scope, goal_id)
        .await?
        .ok_or(AppError::NotFound)?;
    check_owner(&scope, &goal)?;
    let details = input.parse()?;
    let saved = tx.update_goal(&goal, &details, now).await?;
    Audit {
        actor,
        acting_org: Some((goal.organisation_id, goal.organisation_name.clone())),
        organisation_id: None,
        collaboration_id: Some(id),
        now,
    }
    .record(
        &mut tx,
        "goal.changed",
        format!(
            "Changed a goal of {}: {}.",
            goal.organisation_name,
            quoted(&saved.title)
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(saved)
}

pub async fn delete_collaboration_goal(
    state: &AppState,
    actor: &Actor,
    id: i64,
    goal_id: i64,
) -> Result<(), AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let (scope, _) = collab_scope_for(&mut tx, actor, id, CollabAction::View).await?;
    let goal = tx
        .collaboration_goal(&scope, goal_id)
        .await?
        .ok_or(AppError::NotFound)?;
    check_owner(&scope, &goal)?;
    if !tx.delete_goal(&goal).await? {
        return Err(AppError::NotFound);
    }
    Audit {
        actor,
        acting_org: Some((goal.organisation_id, goal.organisation_name.clone())),
        organisation_id: None,
        collaboration_id: Some(id),
        now,
    }
    .record(
        &mut tx,
        "goal.deleted",
        format!(
            "Deleted a goal of {}: {}.",
            goal.organisation_name,
            quoted(&goal.title)
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

// --- the organisation's goals in general ---------------------------------

/// An organisation's goals in general, for its members.
#[derive(Debug, Clone)]
pub struct OrgGoals {
    pub organisation: OrgRef,
    pub goals: Vec<Goal>,
}

pub async fn organisation_goals(
    state: &AppState,
    actor: &Actor,
    org_id: i64,
) -> Result<OrgGoals, AppError> {
    let mut tx = state.store.read().await?;
    let scope = org_scope_for(&mut tx, actor, org_id, OrgAction::ManageGoals).await?;
    let organisation = tx
        .organisation_ref(org_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let goals = tx.organisation_goals(&scope).await?;
    Ok(OrgGoals {
        organisation,
        goals,
    })
}

async fn org_audit(
    tx: &mut commonground_store::Tx,
    actor: &Actor,
    org_id: i64,
    now: i64,
    action: &str,
    summary: String,
) -> Result<(), AppError> {
    let name = org_name(tx, org_id).await?;
    Audit {
        actor,
        acting_org: Some((org_id, name)),
        organisation_id: Some(org_id),
        collaboration_id: None,
        now,
    }
    .record(tx, action, summary)
    .await
}

pub async fn add_organisation_goal(
    state: &AppState,
    actor: &Actor,
    org_id: i64,
    input: &GoalInput<'_>,
) -> Result<Goal, AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let scope = org_scope_for(&mut tx, actor, org_id, OrgAction::ManageGoals).await?;
    let details = input.parse()?;
    let goal = tx
        .create_organisation_goal(&scope, &details, actor.user.id, now)
        .await?;
    org_audit(
        &mut tx,
        actor,
        org_id,
        now,
        "goal.added",
        format!("Added a goal for collaborating: {}.", quoted(&goal.title)),
    )
    .await?;
    tx.commit().await?;
    Ok(goal)
}

pub async fn organisation_goal_for_editing(
    state: &AppState,
    actor: &Actor,
    org_id: i64,
    goal_id: i64,
) -> Result<Goal, AppError> {
    let mut tx = state.store.read().await?;
    let scope = org_scope_for(&mut tx, actor, org_id, OrgAction::ManageGoals).await?;
    tx.organisation_goal(&scope, goal_id)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn update_organisation_goal(
    state: &AppState,
    actor: &Actor,
    org_id: i64,
    goal_id: i64,
    input: &GoalInput<'_>,
) -> Result<Goal, AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let scope = org_scope_for(&mut tx, actor, org_id, OrgAction::ManageGoals).await?;
    let goal = tx
        .organisation_goal(&scope, goal_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let details = input.parse()?;
    let saved = tx.update_goal(&goal, &details, now).await?;
    org_audit(
        &mut tx,
        actor,
        org_id,
        now,
        "goal.changed",
        format!(
            "Changed a goal for collaborating: {}.",
            quoted(&saved.title)
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(saved)
}

pub async fn delete_organisation_goal(
    state: &AppState,
    actor: &Actor,
    org_id: i64,
    goal_id: i64,
) -> Result<(), AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let scope = org_scope_for(&mut tx, actor, org_id, OrgAction::ManageGoals).await?;
    let goal = tx
        .organisation_goal(&scope, goal_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !tx.delete_goal(&goal).await? {
        return Err(AppError::NotFound);
    }
    org_audit(
        &mut tx,
        actor,
        org_id,
        now,
        "goal.deleted",
        format!("Deleted a goal for collaborating: {}.", quoted(&goal.title)),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
