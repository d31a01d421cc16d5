//! Benefits and risks of a collaboration: picked from the catalogue or
//! written by the partners, each rated. Everyone taking part sees them;
//! all but observers add and change them.

use super::collaborations::collab_scope_for;
use super::*;
use crate::AppState;
use crate::auth::Actor;
use crate::error::AppError;
use commonground_domain::FieldErrors;
use commonground_domain::benefits_risks::{Band, BenefitRiskDetails, BenefitRiskInput};
use commonground_domain::policy::{CollabAction, may_collab};
use commonground_store::benefits_risks::BenefitRisk;
use commonground_store::collaborations::{CollabScope, Collaboration, Participant};

#[derive(Debug, Clone)]
pub struct BenefitsRisksView {
    pub collaboration: Collaboration,
    /// Highest score first.
    pub items: Vec<BenefitRisk>,
    /// The organisations an item may be given to as owner.
    pub participants: Vec<Participant>,
    pub can_contribute: bool,
}

pub async fn benefits_risks(
    state: &AppState,
    actor: &Actor,
    id: i64,
) -> Result<BenefitsRisksView, AppError> {
    let mut tx = state.store.read().await?;
    let (scope, _, collaboration, _) =
        super::collaborations::collab_for(&mut tx, actor, id, CollabAction::View).await?;
    Ok(BenefitsRisksView {
        collaboration,
        items: tx.benefits_risks(&scope).await?,
        participants: tx.participants(&scope).await?,
        can_contribute: may_collab(
            scope.participations(),
            CollabAction::Contribute,
            actor.acting_organisation_id,
        )
        .is_some(),
    })
}

/// Checks the item and its owner (one of the organisations taking part, or
/// none). `owner` is `Some(0)` when what was sent could not be read.
async fn parse(
    tx: &mut commonground_store::Tx,
    scope: &CollabScope,
    input: &BenefitRiskInput<'_>,
    owner: Option<i64>,
) -> Result<BenefitRiskDetails, AppError> {
    let mut errors = match BenefitRiskDetails::parse(input) {
        Ok(_) => FieldErrors::new(),
        Err(e) => e,
    };
    if let Some(owner) = owner {
        let takes_part = tx
            .participants(scope)
            .await?
            .iter()
            .any(|p| p.organisation_id == owner);
        if !takes_part {
            errors.add(
                "owner_organisation_id",
                "Choose one of the organisations taking part, or leave the owner empty.",
            );
        }
    }
    errors.into_result()?;
    Ok(BenefitRiskDetails::parse(input)?)
}

fn describe(item: &BenefitRisk) -> String {
    let score = commonground_domain::benefits_risks::score(item.likelihood, item.impact);
    format!(
        "the {} \u{201c}{}\u{201d} (score {score}, {})",
        item.kind.code(),
        item.title,
        Band::of_score(score).label().to_lowercase()
    )
}

pub async fn add_benefit_risk(
    state: &AppState,
    actor: &Actor,
    id: i64,
    input: &BenefitRiskInput<'_>,
    owner: Option<i64>,
) -> Result<BenefitRisk, AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let (scope, acting) = collab_scope_for(&mut tx, actor, id, CollabAction::Contribute).await?;
    let details = parse(&mut tx, &scope, input, owner).await?;
    let item = tx
        .create_benefit_risk(&scope, &details, owner, actor.user.id, now)
        .await?;
    record_in_collaboration(
        &mut tx,
        actor,
        id,
        acting,
        now,
        "benefit_risk.added",
        format!("Added {}.", describe(&item)),
    )
    .await?;
    tx.commit().await?;
    Ok(item)
}

/// An item of this collaboration, for its edit form.
pub async fn benefit_risk_for_editing(
    state: &AppState,
    actor: &Actor,
    id: i64,
    item_id: i64,
) -> Result<(BenefitsRisksView, BenefitRisk), AppError> {
    let mut tx = state.store.read().await?;
    let (scope, _, collaboration, _) =
        super::collaborations::collab_for(&mut tx, actor, id, CollabAction::Contribute).await?;
    let item = tx
        .benefit_risk(&scope, item_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let view = BenefitsRisksView {
        collaboration,
        items: Vec::new(),
        participants: tx.participants(&scope).await?,
        can_contribute: true,
    };
    Ok((view, item))
}

pub async fn update_benefit_risk(
    state: &AppState,
    actor: &Actor,
    id: i64,
    item_id: i64,
    input: &BenefitRiskInput<'_>,
    owner: Option<i64>,
) -> Result<BenefitRisk, AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let (scope, acting) = collab_scope_for(&mut tx, actor, id, CollabAction::Contribute).await?;
    tx.benefit_risk(&scope, item_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let details = parse(&mut tx, &scope, input, owner).await?;
    let item = tx
        .update_benefit_risk(&scope, item_id, &details, owner, now)
        .await?
        .ok_or(AppError::NotFound)?;
    record_in_collaboration(
        &mut tx,
        actor,
        id,
        acting,
        now,
        "benefit_risk.changed",
        format!("Changed {}.", describe(&item)),
    )
    .await?;
    tx.commit().await?;
    Ok(item)
}

pub async fn delete_benefit_risk(
    state: &AppState,
    actor: &Actor,
    id: i64,
    item_id: i64,
) -> Result<(), AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let (scope, acting) = collab_scope_for(&mut tx, actor, id, CollabAction::Contribute).await?;
    let item = tx
        .benefit_risk(&scope, item_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !tx.delete_benefit_risk(&scope, item_id).await? {
        return Err(AppError::NotFound);
    }
    record_in_collaboration(
        &mut tx,
        actor,
        id,
        acting,
        now,
        "benefit_risk.deleted",
        format!("Deleted {}.", describe(&item)),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
