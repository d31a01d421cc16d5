//! The aims review: every shared aim from Plan with how it went. Anyone
//! taking part reads it; those who may contribute record or change a
//! review, one aim at a time, refused when someone else saved first.

use super::collaborations::collab_scope_for;
use super::*;
use crate::AppState;
use crate::auth::Actor;
use crate::error::AppError;
use commonground_domain::outcomes::{AimReviewDetails, AimReviewInput};
use commonground_domain::policy::{CollabAction, may_collab};
use commonground_store::collaborations::Collaboration;
use commonground_store::outcomes::{AimReviewSave, ReviewedAim};

/// The aims review page and API answer.
#[derive(Debug, Clone)]
pub struct AimsReview {
    pub collaboration: Collaboration,
    pub aims: Vec<ReviewedAim>,
    pub can_contribute: bool,
}

impl AimsReview {
    pub fn reviewed(&self) -> usize {
        self.aims.iter().filter(|a| a.review.is_some()).count()
    }
}

pub async fn aims_review(state: &AppState, actor: &Actor, id: i64) -> Result<AimsReview, AppError> {
    let mut tx = state.store.read().await?;
    let (scope, _) = collab_scope_for(&mut tx, actor, id, CollabAction::View).await?;
    let can_contribute = may_collab(
        scope.participations(),
        CollabAction::Contribute,
        actor.acting_organisation_id,
    )
    .is_some();
    Ok(AimsReview {
        collaboration: tx.collaboration(&scope).await?,
        aims: tx.reviewed_aims(&scope).await?,
        can_contribute,
    })
}

/// One aim and its review, for the form.
pub async fn aim_review(
    state: &AppState,
    actor: &Actor,
    id: i64,
    aim_id: i64,
) -> Result<(Collaboration, ReviewedAim, bool), AppError> {
    let mut tx = state.store.read().await?;
    let (scope, _) = collab_scope_for(&mut tx, actor, id, CollabAction::View).await?;
    let can_contribute = may_collab(
        scope.participations(),
        CollabAction::Contribute,
        actor.acting_organisation_id,
    )
    .is_some();
    let aim = tx
        .reviewed_aim(&scope, aim_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((tx.collaboration(&scope).await?, aim, can_contribute))
}

/// Records or changes how an aim went. `base_version` is the review's
/// version the person started from (0 when there was none); if someone
/// saved since, the save is refused with what the review says now.
pub async fn save_aim_review(
    state: &AppState,
    actor: &Actor,
    id: i64,
    aim_id: i64,
    input: &AimReviewInput<'_>,
    base_version: &str,
) -> Result<ReviewedAim, AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let (scope, acting) = collab_scope_for(&mut tx, actor, id, CollabAction::Contribute).await?;
    tx.reviewed_aim(&scope, aim_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let base = match base_version.trim() {
        "" | "0" => 0,
        raw => commonground_domain::agreements::parse_version("version", raw)?,
    };
    let d = AimReviewDetails::parse(input)?;
    let name = org_name(&mut tx, acting).await?;
    let aim = match tx
        .save_aim_review(
            &scope,
            aim_id,
            &d,
            base,
            (actor.user.id, &actor.user.name),
            (acting, &name),
            now,
        )
        .await?
    {
        AimReviewSave::Saved(a) => a,
        AimReviewSave::NotFound => return Err(AppError::NotFound),
        AimReviewSave::Stale(now) => {
            let says = match &now.review {
                Some(r) => format!(
                    "It now says {} by {} (\u{201c}{}\u{201d}).",
                    r.outcome.label().to_lowercase(),
                    r.recorded_by_name,
                    r.actual
                ),
                None => "It now has no review.".to_string(),
            };
            return Err(AppError::Conflict(format!(
                "Someone saved the review of this aim after you opened it. {says} Open it again to see their change, then make yours."
            )));
        }
    };
    let outcome = aim
        .review
        .as_ref()
        .map(|r| r.outcome.label().to_lowercase())
        .unwrap_or_default();
    record_in_collaboration(
        &mut tx,
        actor,
        id,
        acting,
        now,
        if base == 0 {
            "aims_review.recorded"
        } else {
            "aims_review.changed"
        },
        format!(
            "Recorded the shared aim \u{201c}{}\u{201d} as {outcome}.",
            aim.title
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(aim)
}
