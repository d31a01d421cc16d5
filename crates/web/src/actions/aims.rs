//! The shared aims: add, change (refused when someone else changed the aim
//! first), remove, and approve the set for one's organisation. Any change
//! to the set reopens approval; the view says which organisations must
//! approve again.

use super::collaborations::collab_scope_for;
use super::*;
use crate::AppState;
use crate::auth::Actor;
use crate::error::AppError;
use commonground_domain::aims::{AimDetails, AimInput, MAX_AIMS};
use commonground_domain::benefits_risks::Kind;
use commonground_domain::policy::{CollabAction, may_collab};
use commonground_store::Tx;
use commonground_store::aims::{Aim, AimEdit, AimSet};
use commonground_store::benefits_risks::BenefitRisk;
use commonground_store::collaborations::{CollabScope, Collaboration};

#[derive(Debug, Clone)]
pub struct AimsView {
    pub collaboration: Collaboration,
    pub set: AimSet,
    /// The benefits recorded in Identify, to link aims to.
    pub benefits: Vec<BenefitRisk>,
    pub can_contribute: bool,
    /// The organisation the person would approve for, if they may.
    pub approves_for: Option<i64>,
}

impl AimsView {
    /// Names of the parties, by id.
    pub fn party_name(&self, id: i64) -> &str {
        self.set
            .parties
            .iter()
            .find(|p| p.0 == id)
            .map(|p| p.1.as_str())
            .unwrap_or("")
    }
}

async fn view(tx: &mut Tx, actor: &Actor, id: i64) -> Result<(AimsView, CollabScope), AppError> {
    let (scope, _) = collab_scope_for(tx, actor, id, CollabAction::View).await?;
    let may = |action| may_collab(scope.participations(), action, actor.acting_organisation_id);
    let can_contribute = may(CollabAction::Contribute).is_some();
    let approves_for = may(CollabAction::Approve);
    let set = tx.aim_set(&scope).await?;
    let benefits = tx
        .benefits_risks(&scope)
        .await?
        .into_iter()
        .filter(|b| b.kind == Kind::Benefit)
        .collect();
    Ok((
        AimsView {
            collaboration: tx.collaboration(&scope).await?,
            set,
            benefits,
            can_contribute,
            approves_for,
        },
        scope,
    ))
}

pub async fn aims(state: &AppState, actor: &Actor, id: i64) -> Result<AimsView, AppError> {
    let mut tx = state.store.read().await?;
    Ok(view(&mut tx, actor, id).await?.0)
}

/// One aim, for its edit form.
pub async fn aim(
    state: &AppState,
    actor: &Actor,
    id: i64,
    aim_id: i64,
) -> Result<(AimsView, Aim), AppError> {
    let mut tx = state.store.read().await?;
    let (v, scope) = view(&mut tx, actor, id).await?;
    let aim = tx.aim(&scope, aim_id).await?.ok_or(AppError::NotFound)?;
    Ok((v, aim))
}

async fn parse(
    tx: &mut Tx,
    scope: &CollabScope,
    input: &AimInput<'_>,
) -> Result<AimDetails, AppError> {
    let d = AimDetails::parse(input)?;
    if let Some(b) = d.benefit_id
        && !tx.is_benefit_of(scope, b).await?
    {
        return Err(AppError::invalid(
            "benefit_id",
            "Choose one of the benefits in the list.",
        ));
    }
    Ok(d)
}

pub async fn add_aim(
    state: &AppState,
    actor: &Actor,
    id: i64,
    input: &AimInput<'_>,
) -> Result<Aim, AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let (scope, acting) = collab_scope_for(&mut tx, actor, id, CollabAction::Contribute).await?;
    let d = parse(&mut tx, &scope, input).await?;
    if tx.count_aims(&scope).await? >= MAX_AIMS as i64 {
        return Err(AppError::Conflict(format!(
            "A collaboration can have at most {MAX_AIMS} shared aims. Combine or remove some first."
        )));
    }
    let aim = tx.create_aim(&scope, &d, actor.user.id, now).await?;
    record_in_collaboration(
        &mut tx,
        actor,
        id,
        acting,
        now,
        "aims.added",
        format!(
            "Added the shared aim \u{201c}{}\u{201d}; the aims need approving again.",
            aim.title
        ),
    )
    .await?;
    let told = tell_approvers(&mut tx, actor, &scope, now).await?;
    tx.commit().await?;
    super::notifications::deliver(state, told).await;
    Ok(aim)
}

/// Saves a change to an aim. `base_version` is the aim's version the
/// person started from; if someone changed it since, the change is refused
/// with the aim as it is now, so nothing is overwritten unseen.
pub async fn update_aim(
    state: &AppState,
    actor: &Actor,
    id: i64,
    aim_id: i64,
    input: &AimInput<'_>,
    base_version: &str,
) -> Result<Aim, AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let (scope, acting) = collab_scope_for(&mut tx, actor, id, CollabAction::Contribute).await?;
    tx.aim(&scope, aim_id).await?.ok_or(AppError::NotFound)?;
    let base = commonground_domain::agreements::parse_version("version", base_version)?;
    let d = parse(&mut tx, &scope, input).await?;
    let aim = match tx.update_aim(&scope, aim_id, &d, base, now).await? {
        AimEdit::Saved(a) => a,
        AimEdit::NotFound => return Err(AppError::NotFound),
        AimEdit::Stale(now) => {
            return Err(AppError::Conflict(format!(
                "Someone changed this aim after you opened it. It now reads: \u{201c}{}\u{201d}, measured by {}. Open it again to see their change, then make yours.",
                now.title, now.indicator
            )));
        }
    };
    record_in_collaboration(
        &mut tx,
        actor,
        id,
        acting,
        now,
        "aims.changed",
        format!(
            "Changed the shared aim \u{201c}{}\u{201d}; the aims need approving again.",
            aim.title
        ),
    )
    .await?;
    let told = tell_approvers(&mut tx, actor, &scope, now).await?;
    tx.commit().await?;
    super::notifications::deliver(state, told).await;
    Ok(aim)
}

pub async fn delete_aim(
    state: &AppState,
    actor: &Actor,
    id: i64,
    aim_id: i64,
) -> Result<Aim, AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let (scope, acting) = collab_scope_for(&mut tx, actor, id, CollabAction::Contribute).await?;
    let aim = tx.aim(&scope, aim_id).await?.ok_or(AppError::NotFound)?;
    if !tx.delete_aim(&scope, aim_id, now).await? {
        return Err(AppError::NotFound);
    }
    record_in_collaboration(
        &mut tx,
        actor,
        id,
        acting,
        now,
        "aims.removed",
        format!(
            "Removed the shared aim \u{201c}{}\u{201d}; the aims need approving again.",
            aim.title
        ),
    )
    .await?;
    let told = tell_approvers(&mut tx, actor, &scope, now).await?;
    tx.commit().await?;
    super::notifications::deliver(state, told).await;
    Ok(aim)
}

/// Approves version `version` of the set for the person's organisation
/// (an admin of a lead or partner organisation).
pub async fn approve_aims(
    state: &AppState,
    actor: &Actor,
    id: i64,
    version: &str,
) -> Result<AimSet, AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let (scope, acting) = collab_scope_for(&mut tx, actor, id, CollabAction::Approve).await?;
    let version = commonground_domain::agreements::parse_version("version", version)?;
    let set = tx.aim_set(&scope).await?;
    if set.aims.is_empty() {
        return Err(AppError::Conflict(
            "There are no shared aims to approve yet. Add the aims first.".into(),
        ));
    }
    if version != set.version {
        return Err(AppError::Conflict(format!(
            "The aims have changed since you read them: they are now at version {}. Read them again, then approve.",
            set.version
        )));
    }
    if set.state.approved.contains(&acting) {
        return Err(AppError::Conflict(
            "Your organisation has already approved these aims.".into(),
        ));
    }
    let name = org_name(&mut tx, acting).await?;
    tx.approve_aims(
        &scope,
        (acting, &name),
        version,
        set.parties_epoch,
        (actor.user.id, &actor.user.name),
        now,
    )
    .await?;
    record_in_collaboration(
        &mut tx,
        actor,
        id,
        acting,
        now,
        "aims.approved",
        format!("Approved version {version} of the shared aims for {name}."),
    )
    .await?;
    let set = tx.aim_set(&scope).await?;
    tx.commit().await?;
    Ok(set)
}

/// Tells the admins who approve for the lead and partner organisations
/// that the changed aims need their approval again.
async fn tell_approvers(
    tx: &mut Tx,
    actor: &Actor,
    scope: &CollabScope,
    now: i64,
) -> Result<u64, AppError> {
    let id = scope.collaboration_id();
    let version = tx.aim_set(scope).await?.version;
    super::notifications::approval_needed(
        tx,
        actor,
        id,
        "the shared aims",
        &format!("/collaborations/{id}/aims"),
        &format!("approval:aims:{id}:{version}"),
        now,
    )
    .await
}
