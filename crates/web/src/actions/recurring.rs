//! Recurring tasks. Everyone taking part reads a collaboration's series;
//! all but observers add, change and end them. A series is reached through
//! its collaboration, so one of a collaboration the person does not take
//! part in is not found. A change names the version it was based on; when
//! someone else saved first it is refused with the series as it is now.
//! The next task of a series is made when its newest task is marked done
//! or cancelled (in that change's transaction) or when its date comes (by
//! the notification job, on whichever server runs it first).

use super::collaborations::collab_scope_for;
use super::tasks::{Choices, can_contribute, check_links, choices, today};
use super::*;
use crate::AppState;
use crate::auth::Actor;
use crate::error::AppError;
use commonground_domain::FieldErrors;
use commonground_domain::policy::CollabAction;
use commonground_domain::recurring::{SeriesFields, SeriesInput, describe, following};
use commonground_domain::tasks::{TaskFields, TaskStatus};
use commonground_store::audit::NewAuditEvent;
use commonground_store::collaborations::{CollabScope, Collaboration};
use commonground_store::recurring::{MadeTask, Series, SeriesChange};
use commonground_store::tasks::{Page, Task};

/// Series on one page of the list.
pub const PAGE_SIZE: i64 = 25;
/// The most an API caller may ask for at once.
pub const MAX_PAGE_SIZE: i64 = 100;
/// Tasks of a series shown on its page, newest first.
pub const TASKS_SHOWN: i64 = 50;
/// Series the job looks at in one run; the rest wait for the next run.
const JOB_BATCH: i64 = 200;
/// The name the audit trail gives tasks made by a series.
pub const MAKER: &str = "Common Ground (recurring task)";

/// The date of the task after the newest, if the series goes on: None when
/// it has ended or the next date is past its end date.
pub fn upcoming(s: &Series) -> Option<String> {
    if s.ended_at.is_some() {
        return None;
    }
    following(
        s.repeats,
        &s.first_on,
        s.ends_on.as_deref(),
        &s.last_made_on,
    )
}

/// The rule in words.
pub fn rule(s: &Series) -> String {
    let mut out = describe(s.repeats, &s.first_on);
    if let Some(e) = &s.ends_on {
        out.push_str(&format!(", until {e}"));
    }
    out
}

/// A page number and size as sent; `max` bounds the size.
pub fn parse_page(page: &str, per_page: &str, max: i64) -> Result<Page, FieldErrors> {
    let mut errors = FieldErrors::new();
    let page = super::page_of(&mut errors, page, per_page, PAGE_SIZE.min(max), max);
    errors.into_result()?;
    Ok(page)
}

#[derive(Debug, Clone)]
pub struct SeriesList {
    pub collaboration: Collaboration,
    pub total: i64,
    pub series: Vec<Series>,
    pub page: Page,
    pub choices: Choices,
    pub today: String,
    pub can_contribute: bool,
}

pub async fn series_list(
    state: &AppState,
    actor: &Actor,
    id: i64,
    page: Page,
) -> Result<SeriesList, AppError> {
    let today = today(state);
    let mut tx = state.store.read().await?;
    let (scope, _) = collab_scope_for(&mut tx, actor, id, CollabAction::View).await?;
    let basis = PageBasis {
        collaboration: tx.collaboration(&scope).await?,
        today,
        can_contribute: can_contribute(&scope, actor),
        contributes_for: contributes_for(&scope, actor),
    };
    series_list_in(&mut tx, &scope, basis, page).await
}

async fn series_list_in(
    tx: &mut Tx,
    scope: &CollabScope,
    basis: PageBasis,
    page: Page,
) -> Result<SeriesList, AppError> {
    let (total, series) = tx.series_list(scope, page).await?;
    Ok(SeriesList {
        collaboration: basis.collaboration,
        total,
        series,
        page,
        choices: choices(tx, scope).await?,
        today: basis.today,
        can_contribute: basis.can_contribute,
    })
}

/// The recurring tasks page's content, kept (see
/// [`super::kept_collab_page`]); its form starts with the organisation the
/// person acts for and today, so both are part of what it is kept by.
pub async fn series_list_kept(
    state: &AppState,
    actor: &Actor,
    id: i64,
    page: Page,
    render: impl FnOnce(&SeriesList) -> crate::cache::KeptPage,
) -> Result<std::sync::Arc<crate::cache::KeptPage>, AppError> {
    super::kept_collab_page(
        state,
        actor,
        (
            id,
            "recurring",
            format!("{:?} {page:?}", actor.acting_organisation_id),
        ),
        async |tx, scope, basis| series_list_in(tx, scope, basis, page).await,
        render,
    )
    .await
}

/// The API's page of recurring tasks as `render` writes it, kept by the
/// same rule as the page (see [`super::kept_collab_answer`]).
pub async fn series_answer_kept(
    state: &AppState,
    actor: &Actor,
    id: i64,
    page: Page,
    render: impl FnOnce(&SeriesList) -> Result<Vec<u8>, AppError>,
) -> Result<std::sync::Arc<Vec<u8>>, AppError> {
    super::kept_collab_answer(
        state,
        actor,
        (id, "api-recurring", format!("{page:?}")),
        async |tx, scope, basis| series_list_in(tx, scope, basis, page).await,
        render,
    )
    .await
}

/// Checks what only the collaboration knows, as for a task: the owner
/// takes part, the assignee belongs to it, the workstream and aim are this
/// collaboration's.
async fn check_series_links(
    tx: &mut Tx,
    scope: &CollabScope,
    f: &SeriesFields,
) -> Result<(), AppError> {
    check_links(
        tx,
        scope,
        &TaskFields {
            title: f.title.clone(),
            description: f.description.clone(),
            owner_organisation_id: f.owner_organisation_id,
            assignee_id: f.assignee_id,
            start_on: None,
            due_on: Some(f.first_on.clone()),
            status: TaskStatus::NotStarted,
            workstream_id: f.workstream_id,
            milestone: false,
            aim_id: f.aim_id,
        },
    )
    .await
}

/// Adds a series and its first task.
pub async fn create_series(
    state: &AppState,
    actor: &Actor,
    id: i64,
    input: &SeriesInput<'_>,
) -> Result<Series, AppError> {
    let now = state.clock.now();
    let today = today(state);
    let mut tx = state.store.write().await?;
    let (scope, acting) = collab_scope_for(&mut tx, actor, id, CollabAction::Contribute).await?;
    let fields = SeriesFields::parse(input, Some(&today))?;
    check_series_links(&mut tx, &scope, &fields).await?;
    let (sid, _) = tx
        .create_series(&scope, &fields, &actor.user.name, now)
        .await?;
    record_in_collaboration(
        &mut tx,
        actor,
        id,
        acting,
        now,
        "series.created",
        format!(
            "Added the recurring task \u{201c}{}\u{201d} ({}); its first task is due {}.",
            fields.title,
            describe(fields.repeats, &fields.first_on).to_lowercase(),
            fields.first_on
        ),
    )
    .await?;
    let s = tx.series(&scope, sid).await?.ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(s)
}

/// The series' collaboration, proved through the person's access; a
/// series they cannot see is not found.
async fn series_scope(
    tx: &mut Tx,
    actor: &Actor,
    sid: i64,
    action: CollabAction,
) -> Result<(CollabScope, i64), AppError> {
    let id = tx
        .series_collaboration_id(sid)
        .await?
        .ok_or(AppError::NotFound)?;
    collab_scope_for(tx, actor, id, action).await
}

#[derive(Debug, Clone)]
pub struct SeriesDetail {
    pub collaboration: Collaboration,
    pub series: Series,
    /// The newest [`TASKS_SHOWN`] tasks it made, newest first.
    pub tasks: Vec<Task>,
    /// The date of the task after the newest, if the series goes on.
    pub upcoming: Option<String>,
    pub choices: Choices,
    pub today: String,
    pub can_contribute: bool,
}

pub async fn series_detail(
    state: &AppState,
    actor: &Actor,
    sid: i64,
) -> Result<SeriesDetail, AppError> {
    let today = today(state);
    let mut tx = state.store.read().await?;
    let (scope, _) = series_scope(&mut tx, actor, sid, CollabAction::View).await?;
    let series = tx.series(&scope, sid).await?.ok_or(AppError::NotFound)?;
    Ok(SeriesDetail {
        collaboration: tx.collaboration(&scope).await?,
        tasks: tx.series_tasks(&scope, sid, TASKS_SHOWN).await?,
        upcoming: upcoming(&series),
        series,
        choices: choices(&mut tx, &scope).await?,
        today,
        can_contribute: can_contribute(&scope, actor),
    })
}

/// What a person is told when the series changed meanwhile.
pub fn stale_message(s: &Series) -> String {
    if s.ended_at.is_some() {
        format!(
            "{} ended \u{201c}{}\u{201d} meanwhile, so it can no longer change. The tasks it made stay as they are.",
            s.ended_by_name, s.title
        )
    } else {
        format!(
            "{} changed \u{201c}{}\u{201d} meanwhile: it now repeats {}. Read their change, then make yours again.",
            s.updated_by_name,
            s.title,
            lower_first(&rule(s))
        )
    }
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

fn parse_version(errors: &mut FieldErrors, raw: &str) -> i64 {
    match raw.trim().parse::<i64>() {
        Ok(v) => v,
        Err(_) => {
            errors.add(
                "version",
                "Send the series' version this change is based on.",
            );
            0
        }
    }
}

/// What became of a change to a series.
#[derive(Debug, Clone)]
pub enum SeriesUpdate {
    Saved(Series),
    /// Someone else changed or ended it first: nothing was changed; here
    /// it is now.
    Stale(Series),
}

/// The series as it is now, for a refused change; the change's
/// transaction is dropped, so nothing of it is kept.
async fn now_stale(
    state: &AppState,
    actor: &Actor,
    sid: i64,
    tx: Tx,
) -> Result<SeriesUpdate, AppError> {
    drop(tx);
    let mut tx = state.store.read().await?;
    let (scope, _) = series_scope(&mut tx, actor, sid, CollabAction::View).await?;
    let s = tx.series(&scope, sid).await?.ok_or(AppError::NotFound)?;
    Ok(SeriesUpdate::Stale(s))
}

/// Changes a series; the tasks it already made stay as they are.
pub async fn update_series(
    state: &AppState,
    actor: &Actor,
    sid: i64,
    input: &SeriesInput<'_>,
    based_on: &str,
) -> Result<SeriesUpdate, AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let (scope, acting) = series_scope(&mut tx, actor, sid, CollabAction::Contribute).await?;
    let current = tx.series(&scope, sid).await?.ok_or(AppError::NotFound)?;
    let mut errors = FieldErrors::new();
    let based_on = parse_version(&mut errors, based_on);
    let fields = match SeriesFields::parse(input, None) {
        Ok(f) => Some(f),
        Err(e) => {
            for x in e.0 {
                errors.add(x.field, x.message);
            }
            None
        }
    };
    errors.into_result()?;
    let fields = fields.unwrap_or_else(|| unreachable!());
    check_series_links(&mut tx, &scope, &fields).await?;
    if current.version != based_on || current.ended_at.is_some() {
        return Ok(SeriesUpdate::Stale(current));
    }
    if tx
        .update_series(
            &scope,
            sid,
            &fields,
            based_on,
            &current.last_made_on,
            &actor.user.name,
            now,
        )
        .await?
        == SeriesChange::Stale
    {
        return now_stale(state, actor, sid, tx).await;
    }
    record_in_collaboration(
        &mut tx,
        actor,
        scope.collaboration_id(),
        acting,
        now,
        "series.changed",
        format!(
            "Changed the recurring task \u{201c}{}\u{201d}: {}. The tasks already made stay as they were.",
            fields.title,
            describe(fields.repeats, &fields.first_on).to_lowercase()
        ),
    )
    .await?;
    let s = tx.series(&scope, sid).await?.ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(SeriesUpdate::Saved(s))
}

/// Ends a series: no more tasks are made; those made stay as they are.
pub async fn end_series(
    state: &AppState,
    actor: &Actor,
    sid: i64,
    based_on: &str,
) -> Result<SeriesUpdate, AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let (scope, acting) = series_scope(&mut tx, actor, sid, CollabAction::Contribute).await?;
    let current = tx.series(&scope, sid).await?.ok_or(AppError::NotFound)?;
    let mut errors = FieldErrors::new();
    let based_on = parse_version(&mut errors, based_on);
    errors.into_result()?;
    if current.version != based_on || current.ended_at.is_some() {
        return Ok(SeriesUpdate::Stale(current));
    }
    if tx
        .end_series(&scope, sid, based_on, &actor.user.name, now)
        .await?
        == SeriesChange::Stale
    {
        return now_stale(state, actor, sid, tx).await;
    }
    record_in_collaboration(
        &mut tx,
        actor,
        scope.collaboration_id(),
        acting,
        now,
        "series.ended",
        format!(
            "Ended the recurring task \u{201c}{}\u{201d}. The {} it made stay as they are.",
            current.title,
            if current.tasks_made == 1 {
                "task"
            } else {
                "tasks"
            }
        ),
    )
    .await?;
    let s = tx.series(&scope, sid).await?.ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(SeriesUpdate::Saved(s))
}

/// Records a task a series made, in its transaction.
async fn record_made(tx: &mut Tx, made: &MadeTask, now: i64) -> Result<(), AppError> {
    tx.record(NewAuditEvent {
        user_id: None,
        user_name: MAKER,
        acting_organisation_id: None,
        acting_organisation_name: "",
        organisation_id: None,
        collaboration_id: Some(made.collaboration_id),
        action: "series.task_made",
        summary: format!(
            "Made the next task of the recurring task \u{201c}{}\u{201d}, due {}.",
            made.title, made.due_on
        ),
        at: now,
    })
    .await?;
    Ok(())
}

/// After a task changed, in that change's transaction: when it is the
/// newest of its series and has just been done or cancelled, the series
/// makes its next task.
pub(crate) async fn after_task_change(
    tx: &mut Tx,
    before: &Task,
    after: &Task,
    today: &str,
    now: i64,
) -> Result<Option<MadeTask>, AppError> {
    let Some(sid) = after.series_id else {
        return Ok(None);
    };
    if !before.status.is_open() || after.status.is_open() {
        return Ok(None);
    }
    let made = tx.make_next_in_series(sid, today, MAKER, now).await?;
    if let Some(m) = &made {
        record_made(tx, m, now).await?;
    }
    Ok(made)
}

/// Makes the next task of every series whose newest task's date has come.
/// Each series is handled in its own short transaction; two servers doing
/// this at once make each task once. Returns how many tasks were made.
pub async fn make_due(state: &AppState) -> Result<u64, AppError> {
    let today = today(state);
    let due = {
        let mut tx = state.store.read().await?;
        tx.series_due(&today, JOB_BATCH).await?
    };
    let mut made = 0;
    for (sid, _) in due {
        let now = state.clock.now();
        let mut tx = state.store.write().await?;
        if let Some(m) = tx.make_next_in_series(sid, &today, MAKER, now).await? {
            record_made(&mut tx, &m, now).await?;
            made += 1;
        }
        tx.commit().await?;
    }
    Ok(made)
}
