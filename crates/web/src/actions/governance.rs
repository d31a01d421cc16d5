//! Governance bodies: everyone taking part sees them; all but observers
//! add, change and remove them. A change names the version it was based
//! on; when someone else saved first it is refused with the body as it is
//! now, so nothing is overwritten unseen.

use super::collaborations::collab_scope_for;
use super::*;
use crate::AppState;
use crate::auth::Actor;
use crate::error::AppError;
use commonground_domain::FieldErrors;
use commonground_domain::governance::{BodyDetails, BodyInput};
use commonground_domain::policy::{CollabAction, may_collab};
use commonground_store::collaborations::{CollabScope, Collaboration};
use commonground_store::governance::{BodyChange, CollabPerson, GovernanceBody};

/// What the governance page and API show.
#[derive(Debug, Clone)]
pub struct GovernanceView {
    pub collaboration: Collaboration,
    pub bodies: Vec<GovernanceBody>,
    /// Who may be chosen as a member: people of the organisations taking part.
    pub people: Vec<CollabPerson>,
    pub can_contribute: bool,
    /// The Plan stage's "governance set".
    pub governance_set: bool,
}

impl GovernanceView {
    /// Each person once, with every organisation they could sit for.
    pub fn choosable(&self) -> Vec<(i64, String, Vec<String>)> {
        choosable(&self.people)
    }
}

pub fn choosable(people: &[CollabPerson]) -> Vec<(i64, String, Vec<String>)> {
    let mut out: Vec<(i64, String, Vec<String>)> = Vec::new();
    for p in people {
        match out.iter_mut().find(|(id, _, _)| *id == p.user_id) {
            Some((_, _, orgs)) => orgs.push(p.organisation_name.clone()),
            None => out.push((p.user_id, p.name.clone(), vec![p.organisation_name.clone()])),
        }
    }
    out
}

/// The page's frame without the bodies: what the form for one body needs.
async fn view(
    tx: &mut commonground_store::Tx,
    actor: &Actor,
    scope: &CollabScope,
) -> Result<GovernanceView, AppError> {
    Ok(GovernanceView {
        collaboration: tx.collaboration(scope).await?,
        bodies: Vec::new(),
        people: tx.collaboration_people(scope).await?,
        can_contribute: may_collab(
            scope.participations(),
            CollabAction::Contribute,
            actor.acting_organisation_id,
        )
        .is_some(),
        governance_set: false,
    })
}

pub async fn governance(
    state: &AppState,
    actor: &Actor,
    id: i64,
) -> Result<GovernanceView, AppError> {
    let mut tx = state.store.read().await?;
    let (scope, _, collaboration, revision) =
        super::collaborations::collab_for(&mut tx, actor, id, CollabAction::View).await?;
    // Whether governance is set comes with the Plan checklist's facts,
    // kept by the collaboration's revision.
    let facts = super::stages::stage_facts_at(state, &mut tx, &scope, revision).await?;
    Ok(GovernanceView {
        collaboration,
        bodies: tx.governance_bodies(&scope).await?,
        people: tx.collaboration_people(&scope).await?,
        can_contribute: may_collab(
            scope.participations(),
            CollabAction::Contribute,
            actor.acting_organisation_id,
        )
        .is_some(),
        governance_set: matches!(
            facts.plan.governance,
            commonground_domain::plan::PartStatus::Done(_)
        ),
    })
}

/// One body of this collaboration.
pub async fn body(
    state: &AppState,
    actor: &Actor,
    id: i64,
    body_id: i64,
) -> Result<GovernanceBody, AppError> {
    let mut tx = state.store.read().await?;
    let (scope, _) = collab_scope_for(&mut tx, actor, id, CollabAction::View).await?;
    tx.governance_body(&scope, body_id)
        .await?
        .ok_or(AppError::NotFound)
}

/// Checks a body and finds the organisation each member sits for: the
/// first (by id) of their organisations taking part.
async fn parse(
    tx: &mut commonground_store::Tx,
    scope: &CollabScope,
    input: &BodyInput<'_>,
) -> Result<(BodyDetails, Vec<(i64, i64)>), AppError> {
    let people = tx.collaboration_people(scope).await?;
    let mut errors = match BodyDetails::parse(input) {
        Ok(_) => FieldErrors::new(),
        Err(e) => e,
    };
    let mut seats = Vec::new();
    for &m in &input.members {
        let org = people
            .iter()
            .filter(|p| p.user_id == m)
            .map(|p| p.organisation_id)
            .min();
        match org {
            Some(org) if !seats.iter().any(|(u, _)| *u == m) => seats.push((m, org)),
            Some(_) => {}
            None => errors.add(
                "members",
                "Choose members from the people of the organisations taking part.",
            ),
        }
    }
    errors.into_result()?;
    Ok((BodyDetails::parse(input)?, seats))
}

fn describe(b: &GovernanceBody) -> String {
    format!("\u{201c}{}\u{201d}", b.name)
}

pub async fn add_body(
    state: &AppState,
    actor: &Actor,
    id: i64,
    input: &BodyInput<'_>,
) -> Result<GovernanceBody, AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let (scope, acting) = collab_scope_for(&mut tx, actor, id, CollabAction::Contribute).await?;
    let (details, seats) = parse(&mut tx, &scope, input).await?;
    let body = tx
        .create_governance_body(&scope, &details, &seats, actor.user.id, now)
        .await?;
    record_in_collaboration(
        &mut tx,
        actor,
        id,
        acting,
        now,
        "governance_body.added",
        format!(
            "Set up {} with {} members ({}).",
            describe(&body),
            body.members.len(),
            body.decision_rule.label().to_lowercase()
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(body)
}

/// A body and the page's facts, for its edit form and its removal question.
pub async fn body_for_editing(
    state: &AppState,
    actor: &Actor,
    id: i64,
    body_id: i64,
) -> Result<(GovernanceView, GovernanceBody), AppError> {
    let mut tx = state.store.read().await?;
    let (scope, _) = collab_scope_for(&mut tx, actor, id, CollabAction::Contribute).await?;
    let body = tx
        .governance_body(&scope, body_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((view(&mut tx, actor, &scope).await?, body))
}

/// What became of a change.
#[derive(Debug, Clone)]
pub enum BodyUpdate {
    Saved(GovernanceBody),
    /// Someone else saved first: nothing was changed; here it is now.
    Stale(GovernanceBody),
}

/// Changes a body if it is still at `version` (None when the form or body
/// did not say which version it changes: a 422).
pub async fn update_body(
    state: &AppState,
    actor: &Actor,
    id: i64,
    body_id: i64,
    version: Option<i64>,
    input: &BodyInput<'_>,
) -> Result<BodyUpdate, AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let (scope, acting) = collab_scope_for(&mut tx, actor, id, CollabAction::Contribute).await?;
    tx.governance_body(&scope, body_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (details, seats) = match parse(&mut tx, &scope, input).await {
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
    let body = match tx
        .update_governance_body(&scope, body_id, version, &details, &seats, now)
        .await?
    {
        BodyChange::Saved(b) => *b,
        BodyChange::Stale(current) => return Ok(BodyUpdate::Stale(*current)),
        BodyChange::Missing => return Err(AppError::NotFound),
    };
    record_in_collaboration(
        &mut tx,
        actor,
        id,
        acting,
        now,
        "governance_body.changed",
        format!("Changed {}.", describe(&body)),
    )
    .await?;
    tx.commit().await?;
    Ok(BodyUpdate::Saved(body))
}

pub const VERSION_MISSING: &str =
    "Send the version of the group you are changing, from when you last read it.";

/// The sentence a stale change is refused with.
pub fn stale_message(current: &GovernanceBody) -> String {
    format!(
        "Someone else changed \u{201c}{}\u{201d} while you were editing it (it is now at version {}). \
         Nothing you sent was saved. Check their change, then make yours again.",
        current.name, current.version
    )
}

pub async fn delete_body(
    state: &AppState,
    actor: &Actor,
    id: i64,
    body_id: i64,
) -> Result<(), AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let (scope, acting) = collab_scope_for(&mut tx, actor, id, CollabAction::Contribute).await?;
    let body = tx
        .governance_body(&scope, body_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !tx.delete_governance_body(&scope, body_id).await? {
        return Err(AppError::NotFound);
    }
    record_in_collaboration(
        &mut tx,
        actor,
        id,
        acting,
        now,
        "governance_body.removed",
        format!("Removed {}.", describe(&body)),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
