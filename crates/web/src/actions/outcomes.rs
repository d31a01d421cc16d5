//! The aims review: every shared aim from Plan with how it went; and the
//! lessons learned by stage. Anyone taking part reads them; those who may
//! contribute record, change (refused when someone else saved first) and
//! remove lessons, and record or change an aim's review.

use super::collaborations::collab_scope_for;
use super::*;
use crate::AppState;
use crate::auth::Actor;
use crate::error::AppError;
use commonground_domain::outcomes::{
    AimReviewDetails, AimReviewInput, LessonDetails, LessonInput, MAX_LESSONS,
};
use commonground_domain::policy::{CollabAction, may_collab};
use commonground_store::collaborations::Collaboration;
use commonground_store::outcomes::{AimReviewSave, Lesson, LessonEdit, ReviewedAim};
use commonground_store::tasks::Page;

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
    let base = first_or_version(base_version)?;
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

/// How many lessons a page shows.
pub const LESSONS_PAGE: i64 = 50;

/// One page of the lessons learned.
#[derive(Debug, Clone)]
pub struct LessonsView {
    pub collaboration: Collaboration,
    pub total: i64,
    pub page: Page,
    /// By stage, oldest first within a stage.
    pub lessons: Vec<Lesson>,
    pub can_contribute: bool,
}

pub async fn lessons(
    state: &AppState,
    actor: &Actor,
    id: i64,
    page: Page,
) -> Result<LessonsView, AppError> {
    let mut tx = state.store.read().await?;
    let (scope, _) = collab_scope_for(&mut tx, actor, id, CollabAction::View).await?;
    let can_contribute = may_collab(
        scope.participations(),
        CollabAction::Contribute,
        actor.acting_organisation_id,
    )
    .is_some();
    let (total, lessons) = tx.lessons(&scope, page).await?;
    Ok(LessonsView {
        collaboration: tx.collaboration(&scope).await?,
        total,
        page,
        lessons,
        can_contribute,
    })
}

/// One lesson, for its edit form; only for those who may change it.
pub async fn lesson(
    state: &AppState,
    actor: &Actor,
    id: i64,
    lesson_id: i64,
) -> Result<(Collaboration, Lesson), AppError> {
    let mut tx = state.store.read().await?;
    let (scope, _) = collab_scope_for(&mut tx, actor, id, CollabAction::View).await?;
    let lesson = tx
        .lesson(&scope, lesson_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((tx.collaboration(&scope).await?, lesson))
}

pub async fn add_lesson(
    state: &AppState,
    actor: &Actor,
    id: i64,
    input: &LessonInput<'_>,
) -> Result<Lesson, AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let (scope, acting) = collab_scope_for(&mut tx, actor, id, CollabAction::Contribute).await?;
    let d = LessonDetails::parse(input)?;
    if tx.count_lessons(&scope).await? >= MAX_LESSONS {
        return Err(AppError::Conflict(format!(
            "A collaboration can keep at most {MAX_LESSONS} lessons. Combine or remove some first."
        )));
    }
    let name = org_name(&mut tx, acting).await?;
    let lesson = tx
        .create_lesson(
            &scope,
            &d,
            (actor.user.id, &actor.user.name),
            (acting, &name),
            now,
        )
        .await?;
    record_in_collaboration(
        &mut tx,
        actor,
        id,
        acting,
        now,
        "lessons.added",
        format!(
            "Recorded a lesson from the {} stage: {}.",
            lesson.stage.label(),
            lesson.kind.label().to_lowercase()
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(lesson)
}

/// Saves a change to a lesson; refused when someone changed it since
/// `base_version`.
pub async fn update_lesson(
    state: &AppState,
    actor: &Actor,
    id: i64,
    lesson_id: i64,
    input: &LessonInput<'_>,
    base_version: &str,
) -> Result<Lesson, AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let (scope, acting) = collab_scope_for(&mut tx, actor, id, CollabAction::Contribute).await?;
    tx.lesson(&scope, lesson_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let base = commonground_domain::agreements::parse_version("version", base_version)?;
    let d = LessonDetails::parse(input)?;
    let name = org_name(&mut tx, acting).await?;
    let lesson = match tx
        .update_lesson(
            &scope,
            lesson_id,
            &d,
            base,
            (actor.user.id, &actor.user.name),
            (acting, &name),
            now,
        )
        .await?
    {
        LessonEdit::Saved(l) => l,
        LessonEdit::NotFound => return Err(AppError::NotFound),
        LessonEdit::Stale(now) => {
            return Err(AppError::Conflict(format!(
                "Someone changed this lesson after you opened it. It now reads: \u{201c}{}\u{201d}. Open it again to see their change, then make yours.",
                now.text
            )));
        }
    };
    record_in_collaboration(
        &mut tx,
        actor,
        id,
        acting,
        now,
        "lessons.changed",
        format!(
            "Changed a lesson from the {} stage: {}.",
            lesson.stage.label(),
            lesson.kind.label().to_lowercase()
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(lesson)
}

pub async fn delete_lesson(
    state: &AppState,
    actor: &Actor,
    id: i64,
    lesson_id: i64,
) -> Result<Lesson, AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let (scope, acting) = collab_scope_for(&mut tx, actor, id, CollabAction::Contribute).await?;
    let lesson = tx
        .lesson(&scope, lesson_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !tx.delete_lesson(&scope, lesson_id).await? {
        return Err(AppError::NotFound);
    }
    record_in_collaboration(
        &mut tx,
        actor,
        id,
        acting,
        now,
        "lessons.removed",
        format!(
            "Removed a lesson from the {} stage: {}.",
            lesson.stage.label(),
            lesson.kind.label().to_lowercase()
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(lesson)
}
