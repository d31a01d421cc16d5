//! The action plan: workstreams, tasks and dependencies. Everyone taking
//! part reads it; all but observers change it. A task is reached through
//! its collaboration, so a task of a collaboration the person does not
//! take part in is not found. A change based on an older version of a task
//! is refused (409); a dependency that would close a loop is refused (422)
//! naming the loop; a task is not marked done while something it depends
//! on is open, unless the person says why.

use super::collaborations::collab_scope_for;
use super::*;
use crate::AppState;
use crate::auth::Actor;
use crate::error::AppError;
use commonground_domain::FieldErrors;
use commonground_domain::policy::{CollabAction, may_collab};
use commonground_domain::stage::{ChecklistItem, completion_percent};
use commonground_domain::tasks::{
    ImplementFacts, TaskFields, TaskInput, TaskStatus, WorkstreamFields, csv_line, cycle_sentence,
    find_cycle, iso_date,
};
use commonground_store::collaborations::{CollabScope, Collaboration, Participant};
use commonground_store::tasks::{
    MyRevision, MyTask, Page, PartnerLoad, Task, TaskFilter, TaskRef, Workstream,
};

/// Tasks on one page of a list.
pub const PAGE_SIZE: i64 = 50;
/// The most an API caller may ask for at once: a whole plan.
pub const MAX_PAGE_SIZE: i64 = 500;

/// Today's date, `YYYY-MM-DD`, in UTC.
pub fn today(state: &AppState) -> String {
    crate::clock::format_rfc3339(state.clock.now())[..10].to_string()
}

pub(crate) fn can_contribute(scope: &CollabScope, actor: &Actor) -> bool {
    may_collab(
        scope.participations(),
        CollabAction::Contribute,
        actor.acting_organisation_id,
    )
    .is_some()
}

/// A list's filters as sent (form or query string).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct FilterInput {
    pub status: String,
    /// `open` (the default on pages), `archive` or `all`.
    pub view: String,
    pub owner_organisation_id: String,
    pub assignee_id: String,
    pub workstream_id: String,
    pub due_before: String,
    pub due_after: String,
    /// `true`, `on` or `1` for only overdue tasks.
    pub overdue: String,
    pub page: String,
    pub per_page: String,
}

fn parse_id(errors: &mut FieldErrors, field: &str, raw: &str) -> Option<i64> {
    let t = raw.trim();
    if t.is_empty() {
        return None;
    }
    match t.parse::<i64>() {
        Ok(v) if v > 0 => Some(v),
        _ => {
            errors.add(field, "Choose one from the list.");
            None
        }
    }
}

/// The filter, the page, and the view's name; `default_view` is used
/// when none is given.
pub fn parse_filter(
    input: &FilterInput,
    default_view: &str,
) -> Result<(TaskFilter, Page), FieldErrors> {
    let mut errors = FieldErrors::new();
    let status = match input.status.trim() {
        "" => None,
        s => {
            let parsed = TaskStatus::parse_code(s);
            if parsed.is_none() {
                errors.add(
                    "status",
                    "Choose not started, in progress, blocked, done or cancelled.",
                );
            }
            parsed
        }
    };
    let view = match input.view.trim() {
        "" => default_view,
        v => v,
    };
    let finished = match view {
        "open" => Some(false),
        "archive" => Some(true),
        "all" => None,
        _ => {
            errors.add("view", "Choose open, archive or all.");
            None
        }
    };
    let overdue = match input.overdue.trim() {
        "" | "false" | "0" => false,
        "true" | "on" | "1" => true,
        _ => {
            errors.add("overdue", "Send true or false.");
            false
        }
    };
    let owner = parse_id(
        &mut errors,
        "owner_organisation_id",
        &input.owner_organisation_id,
    );
    let assignee = parse_id(&mut errors, "assignee_id", &input.assignee_id);
    let workstream = parse_id(&mut errors, "workstream_id", &input.workstream_id);
    let before = errors
        .take(iso_date("due_before", "the date", &input.due_before))
        .flatten();
    let after = errors
        .take(iso_date("due_after", "the date", &input.due_after))
        .flatten();
    let page = super::page_of(
        &mut errors,
        &input.page,
        &input.per_page,
        PAGE_SIZE,
        MAX_PAGE_SIZE,
    );
    errors.into_result()?;
    Ok((
        TaskFilter {
            status,
            finished: if status.is_some() { None } else { finished },
            owner_organisation_id: owner,
            assignee_id: assignee,
            workstream_id: workstream,
            due_before: before,
            due_after: after,
            overdue,
        },
        page,
    ))
}

/// What the forms choose from: workstreams, organisations taking part and
/// their members.
#[derive(Debug, Clone)]
pub struct Choices {
    pub workstreams: Vec<Workstream>,
    pub participants: Vec<Participant>,
    /// (organisation, person, name)
    pub people: Vec<(i64, i64, String)>,
    /// The collaboration's aims, (id, title), oldest first.
    pub aims: Vec<(i64, String)>,
}

pub(crate) async fn choices(tx: &mut Tx, scope: &CollabScope) -> Result<Choices, AppError> {
    Ok(Choices {
        workstreams: tx.workstreams(scope).await?,
        participants: tx.participants(scope).await?,
        people: tx.assignable_people(scope).await?,
        aims: tx
            .aims(scope)
            .await?
            .into_iter()
            .map(|a| (a.id, a.title))
            .collect(),
    })
}

/// The forms' choices, from this server's memory when nothing in the
/// collaboration or its organisations has changed since they were read,
/// else read now in the caller's transaction and kept. `revision` is the
/// collaboration's content revision and the sum of its organisations', as
/// read with the proof of access before any content
/// ([`super::collaborations::collab_for`]); every change to what the
/// choices hold (a workstream, its tasks, a partner, a member, an aim)
/// records an audit entry that raises one of them.
pub(crate) async fn choices_at(
    state: &AppState,
    tx: &mut Tx,
    scope: &CollabScope,
    revision: (i64, i64),
) -> Result<Choices, AppError> {
    let id = scope.collaboration_id();
    if let Some(kept) = state.task_choices.get(&id, &revision) {
        return Ok((*kept).clone());
    }
    let made = choices(tx, scope).await?;
    state
        .task_choices
        .put(id, revision, std::sync::Arc::new(made.clone()));
    Ok(made)
}

#[derive(Debug, Clone)]
pub struct TaskList {
    pub collaboration: Collaboration,
    pub total: i64,
    pub tasks: Vec<Task>,
    pub page: Page,
    pub choices: Choices,
    pub today: String,
    pub can_contribute: bool,
}

pub async fn task_list(
    state: &AppState,
    actor: &Actor,
    id: i64,
    filter: &TaskFilter,
    page: Page,
) -> Result<TaskList, AppError> {
    let today = today(state);
    let mut tx = state.store.read().await?;
    let (scope, _, collaboration, revision) =
        super::collaborations::collab_for(&mut tx, actor, id, CollabAction::View).await?;
    let (total, tasks) = tx.tasks(&scope, filter, &today, page).await?;
    Ok(TaskList {
        collaboration,
        total,
        tasks,
        page,
        choices: choices_at(state, &mut tx, &scope, revision).await?,
        today,
        can_contribute: can_contribute(&scope, actor),
    })
}

/// The task list page's content for a valid query, kept (see
/// [`super::kept_collab_page`]) by the query as sent.
pub async fn task_list_page_kept(
    state: &AppState,
    actor: &Actor,
    id: i64,
    (filter, page, sent): (&TaskFilter, Page, &FilterInput),
    render: impl FnOnce(&TaskList) -> crate::cache::KeptPage,
) -> Result<std::sync::Arc<crate::cache::KeptPage>, AppError> {
    super::kept_collab_page(
        state,
        actor,
        (id, "tasks", format!("{sent:?}")),
        async |tx, scope, basis| {
            let (total, tasks) = tx.tasks(scope, filter, &basis.today, page).await?;
            Ok(TaskList {
                collaboration: basis.collaboration,
                total,
                tasks,
                page,
                choices: choices(tx, scope).await?,
                today: basis.today,
                can_contribute: basis.can_contribute,
            })
        },
        render,
    )
    .await
}

/// Whole answers made from a collaboration's tasks (the API's pages of
/// tasks, the collaboration's calendar feeds), by collaboration, kind and
/// query, each kept with the collaboration's revisions and the day (what
/// is overdue moves with it). The same rule as [`choices_at`]: every change
/// to a task, a workstream, an aim, a partner or a member records an audit
/// entry that raises one of the revisions, so a kept answer is never
/// stale, on any server. Nothing in them depends on who asks: access is
/// proved first, on every request.
pub type KeptLists =
    crate::cache::Versioned<(i64, &'static str, String), ((i64, i64), String), Vec<u8>>;

/// One page of the tasks as `render` writes it (given the total, the
/// page's tasks and today), made once for each revision of the
/// collaboration and day and kept (see [`KeptLists`]). Access is proved
/// first, on every request.
pub async fn task_list_kept(
    state: &AppState,
    actor: &Actor,
    id: i64,
    (filter, page): (&TaskFilter, Page),
    kind: &'static str,
    render: impl FnOnce(i64, Vec<Task>, &str) -> Result<Vec<u8>, AppError>,
) -> Result<std::sync::Arc<Vec<u8>>, AppError> {
    let today = today(state);
    let mut tx = state.store.read().await?;
    let (scope, _, _, revision) =
        super::collaborations::collab_for(&mut tx, actor, id, CollabAction::View).await?;
    let key = (id, kind, format!("{filter:?} {page:?}"));
    let at = (revision, today.clone());
    if let Some(kept) = state.kept_lists.get(&key, &at) {
        return Ok(kept);
    }
    let (total, tasks) = tx.tasks(&scope, filter, &today, page).await?;
    drop(tx);
    let body = std::sync::Arc::new(render(total, tasks, &today)?);
    state.kept_lists.put(key, at, std::sync::Arc::clone(&body));
    Ok(body)
}

/// The filtered tasks as CSV (every match, not one page).
pub async fn tasks_csv(
    state: &AppState,
    actor: &Actor,
    id: i64,
    filter: &TaskFilter,
) -> Result<String, AppError> {
    let today = today(state);
    let mut tx = state.store.read().await?;
    let (scope, _) = collab_scope_for(&mut tx, actor, id, CollabAction::View).await?;
    let mut out = csv_line(&[
        "id",
        "title",
        "workstream",
        "owner organisation",
        "assignee",
        "start",
        "due",
        "milestone",
        "status",
        "overdue",
        "description",
    ]);
    let mut number = 1;
    loop {
        let (total, tasks) = tx
            .tasks(&scope, filter, &today, Page { number, size: 1000 })
            .await?;
        for t in &tasks {
            out.push_str(&csv_line(&[
                t.id.to_string().as_str(),
                &t.title,
                &t.workstream_name,
                &t.owner_name,
                &t.assignee_name,
                t.start_on.as_deref().unwrap_or(""),
                t.due_on.as_deref().unwrap_or(""),
                if t.milestone { "yes" } else { "no" },
                t.status.label(),
                if is_overdue(t, &today) { "yes" } else { "no" },
                &t.description,
            ]));
        }
        if number * 1000 >= total {
            break;
        }
        number += 1;
    }
    Ok(out)
}

pub fn is_overdue(t: &Task, today: &str) -> bool {
    commonground_domain::tasks::is_overdue(t.status, t.due_on.as_deref(), today)
}

pub async fn workstreams(
    state: &AppState,
    actor: &Actor,
    id: i64,
) -> Result<(Collaboration, Vec<Workstream>, bool), AppError> {
    let mut tx = state.store.read().await?;
    let (scope, _) = collab_scope_for(&mut tx, actor, id, CollabAction::View).await?;
    Ok((
        tx.collaboration(&scope).await?,
        tx.workstreams(&scope).await?,
        can_contribute(&scope, actor),
    ))
}

pub async fn create_workstream(
    state: &AppState,
    actor: &Actor,
    id: i64,
    name: &str,
    description: &str,
) -> Result<Workstream, AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let (scope, acting) = collab_scope_for(&mut tx, actor, id, CollabAction::Contribute).await?;
    let fields = WorkstreamFields::parse(name, description)?;
    let wid = tx.create_workstream(&scope, &fields, now).await?;
    record_in_collaboration(
        &mut tx,
        actor,
        id,
        acting,
        now,
        "workstream.created",
        format!("Added the workstream \u{201c}{}\u{201d}.", fields.name),
    )
    .await?;
    tx.commit().await?;
    Ok(Workstream {
        id: wid,
        name: fields.name,
        description: fields.description,
        tasks: 0,
    })
}

/// Checks what only the collaboration knows: the owner takes part, the
/// assignee belongs to the owner, the workstream and the aim are this
/// collaboration's.
pub(crate) async fn check_links(
    tx: &mut Tx,
    scope: &CollabScope,
    f: &TaskFields,
) -> Result<(), AppError> {
    let mut errors = FieldErrors::new();
    let participants = tx.participants(scope).await?;
    if !participants
        .iter()
        .any(|p| p.organisation_id == f.owner_organisation_id)
    {
        errors.add(
            "owner_organisation_id",
            "Choose one of the organisations taking part.",
        );
    } else if let Some(a) = f.assignee_id
        && !tx.is_member_of(f.owner_organisation_id, a).await?
    {
        errors.add(
            "assignee_id",
            "Choose a member of the organisation that owns the task, or nobody yet.",
        );
    }
    if let Some(w) = f.workstream_id
        && !tx.workstreams(scope).await?.iter().any(|x| x.id == w)
    {
        errors.add(
            "workstream_id",
            "Choose one of this collaboration's workstreams, or none.",
        );
    }
    if let Some(a) = f.aim_id
        && tx.aim(scope, a).await?.is_none()
    {
        errors.add(
            "aim_id",
            "Choose one of this collaboration's aims, or none.",
        );
    }
    errors.into_result().map_err(AppError::Invalid)
}

pub async fn create_task(
    state: &AppState,
    actor: &Actor,
    id: i64,
    input: &TaskInput<'_>,
    depends_on: &[i64],
) -> Result<Task, AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let (scope, acting) = collab_scope_for(&mut tx, actor, id, CollabAction::Contribute).await?;
    let task = insert_task(&mut tx, actor, &scope, acting, now, input, depends_on).await?;
    let told = tell_about(&mut tx, actor, &scope, None, &task, now).await?;
    tx.commit().await?;
    super::notifications::deliver(state, told).await;
    Ok(task)
}

/// Adds a task in the caller's transaction, with its audit record: for
/// the task form and for turning a meeting's action into a task.
pub(crate) async fn insert_task(
    tx: &mut Tx,
    actor: &Actor,
    scope: &CollabScope,
    acting: i64,
    now: i64,
    input: &TaskInput<'_>,
    depends_on: &[i64],
) -> Result<Task, AppError> {
    let id = scope.collaboration_id();
    let fields = TaskFields::parse(input)?;
    check_links(tx, scope, &fields).await?;
    let mut unique: Vec<i64> = depends_on.to_vec();
    unique.sort_unstable();
    unique.dedup();
    if tx.task_titles(scope, &unique).await?.len() != unique.len() {
        return Err(AppError::invalid(
            "depends_on",
            "Choose tasks of this collaboration to depend on.",
        ));
    }
    if fields.status == TaskStatus::Done
        && !unique.is_empty()
        && tx.tasks_open_among(scope, &unique).await?
    {
        return Err(AppError::invalid(
            "status",
            "A new task cannot be done while a task it depends on is still open. Add it as not started.",
        ));
    }
    let tid = tx
        .create_task(scope, &fields, &actor.user.name, now)
        .await?;
    // A new task has nothing depending on it, so it cannot close a loop.
    for on in &unique {
        tx.add_dependency(scope, tid, *on).await?;
    }
    record_in_collaboration(
        tx,
        actor,
        id,
        acting,
        now,
        "task.created",
        format!("Added the task \u{201c}{}\u{201d}.", fields.title),
    )
    .await?;
    tx.task(scope, tid).await?.ok_or(AppError::NotFound)
}

/// Notifies the people a task's change concerns, in its transaction.
pub(crate) async fn tell_about(
    tx: &mut Tx,
    actor: &Actor,
    scope: &CollabScope,
    before: Option<&Task>,
    after: &Task,
    now: i64,
) -> Result<u64, AppError> {
    let changes_assignee =
        after.assignee_id.is_some() && before.is_none_or(|b| b.assignee_id != after.assignee_id);
    let became_done =
        after.status == TaskStatus::Done && before.is_some_and(|b| b.status != TaskStatus::Done);
    if !changes_assignee && !became_done {
        return Ok(0);
    }
    let title = tx.collaboration(scope).await?.title;
    super::notifications::task_changed(tx, actor, before, after, &title, now).await
}

/// A task with what it depends on and what depends on it.
#[derive(Debug, Clone)]
pub struct TaskDetail {
    pub collaboration: Collaboration,
    pub task: Task,
    pub depends_on: Vec<TaskRef>,
    pub dependents: Vec<TaskRef>,
    pub choices: Choices,
    /// The collaboration's other tasks, (id, title), to depend on.
    pub others: Vec<(i64, String)>,
    pub today: String,
    pub can_contribute: bool,
    /// Decisions about this task, newest first.
    pub decisions: Vec<commonground_store::decisions::Decision>,
}

/// The task's collaboration, proved through the person's access; a task
/// they cannot see is not found.
async fn task_scope(
    tx: &mut Tx,
    actor: &Actor,
    tid: i64,
    action: CollabAction,
) -> Result<(CollabScope, i64), AppError> {
    let id = tx
        .task_collaboration_id(tid)
        .await?
        .ok_or(AppError::NotFound)?;
    // Not taking part at all looks the same as no such task.
    collab_scope_for(tx, actor, id, action).await
}

pub async fn task_detail(
    state: &AppState,
    actor: &Actor,
    tid: i64,
) -> Result<TaskDetail, AppError> {
    let today = today(state);
    let mut tx = state.store.read().await?;
    let (scope, _) = task_scope(&mut tx, actor, tid, CollabAction::View).await?;
    let task = tx.task(&scope, tid).await?.ok_or(AppError::NotFound)?;
    let others = tx
        .all_task_titles(&scope)
        .await?
        .into_iter()
        .filter(|(id, _)| *id != tid)
        .collect();
    Ok(TaskDetail {
        collaboration: tx.collaboration(&scope).await?,
        depends_on: tx.task_links(&scope, tid, true).await?,
        dependents: tx.task_links(&scope, tid, false).await?,
        choices: choices(&mut tx, &scope).await?,
        others,
        task,
        today,
        can_contribute: can_contribute(&scope, actor),
        decisions: tx
            .decisions_about(&scope, commonground_domain::decisions::LinkKind::Task, tid)
            .await?,
    })
}

/// The task, for someone who may see it.
pub async fn task(state: &AppState, actor: &Actor, tid: i64) -> Result<Task, AppError> {
    let mut tx = state.store.read().await?;
    let (scope, _) = task_scope(&mut tx, actor, tid, CollabAction::View).await?;
    tx.task(&scope, tid).await?.ok_or(AppError::NotFound)
}

/// A change to a task, as sent.
#[derive(Debug, Clone, Copy, Default)]
pub struct TaskChange<'a> {
    pub fields: TaskInput<'a>,
    pub based_on: &'a str,
    /// Why it is done although something it depends on is open.
    pub done_reason: &'a str,
}

pub async fn update_task(
    state: &AppState,
    actor: &Actor,
    tid: i64,
    change: &TaskChange<'_>,
) -> Result<Task, AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let (scope, acting) = task_scope(&mut tx, actor, tid, CollabAction::Contribute).await?;
    let current = tx.task(&scope, tid).await?.ok_or(AppError::NotFound)?;
    let mut errors = FieldErrors::new();
    let based_on = match change.based_on.trim().parse::<i64>() {
        Ok(v) => v,
        Err(_) => {
            errors.add(
                "based_on",
                "Send the task's version this change is based on.",
            );
            0
        }
    };
    let fields = match TaskFields::parse(&change.fields) {
        Ok(f) => Some(f),
        Err(e) => {
            for x in e.0 {
                errors.add(x.field, x.message);
            }
            None
        }
    };
    let reason = errors.take(commonground_domain::values::optional_text(
        "done_reason",
        "the reason",
        change.done_reason,
        2000,
    ));
    errors.into_result()?;
    let (fields, reason) = (
        fields.unwrap_or_else(|| unreachable!()),
        reason.unwrap_or_default(),
    );
    check_links(&mut tx, &scope, &fields).await?;
    if current.version != based_on {
        return Err(AppError::Conflict(stale_message(&current)));
    }
    let mut done_reason = current.done_reason.clone();
    if fields.status == TaskStatus::Done && current.status != TaskStatus::Done {
        let open: Vec<TaskRef> = tx
            .task_links(&scope, tid, true)
            .await?
            .into_iter()
            .filter(|t| t.status.is_open())
            .collect();
        if !open.is_empty() && reason.is_empty() {
            let names = open
                .iter()
                .map(|t| format!("\u{201c}{}\u{201d}", t.title))
                .collect::<Vec<_>>()
                .join(", ");
            return Err(AppError::invalid(
                "done_reason",
                format!(
                    "This task depends on {names}, which {} still open. Finish {} first, or say why this task is done anyway.",
                    if open.len() == 1 { "is" } else { "are" },
                    if open.len() == 1 { "it" } else { "them" },
                ),
            ));
        }
        done_reason = if open.is_empty() {
            String::new()
        } else {
            reason.clone()
        };
    } else if fields.status != TaskStatus::Done {
        done_reason = String::new();
    }
    if !tx
        .update_task(
            &scope,
            tid,
            &fields,
            &done_reason,
            based_on,
            &actor.user.name,
            now,
        )
        .await?
    {
        return Err(AppError::Conflict(stale_message(&current)));
    }
    let summary = if current.status != fields.status {
        let mut s = format!(
            "Marked the task \u{201c}{}\u{201d} as {}.",
            fields.title,
            fields.status.label().to_lowercase()
        );
        if fields.status == TaskStatus::Done && !done_reason.is_empty() {
            s.push_str(&format!(
                " Something it depends on is still open; the reason given: \u{201c}{done_reason}\u{201d}"
            ));
        }
        s
    } else {
        format!("Changed the task \u{201c}{}\u{201d}.", fields.title)
    };
    record_in_collaboration(
        &mut tx,
        actor,
        scope.collaboration_id(),
        acting,
        now,
        "task.changed",
        summary,
    )
    .await?;
    let task = tx.task(&scope, tid).await?.ok_or(AppError::NotFound)?;
    let told = tell_about(&mut tx, actor, &scope, Some(&current), &task, now).await?;
    super::recurring::after_task_change(&mut tx, &current, &task, &today(state), now).await?;
    tx.commit().await?;
    super::notifications::deliver(state, told).await;
    Ok(task)
}

/// What a person is told when the task changed meanwhile.
pub fn stale_message(t: &Task) -> String {
    format!(
        "{} changed \u{201c}{}\u{201d} meanwhile: it is now {}{}. Read their change, then make yours again.",
        t.updated_by_name,
        t.title,
        t.status.label().to_lowercase(),
        t.due_on
            .as_ref()
            .map(|d| format!(", due {d}"))
            .unwrap_or_default()
    )
}

/// Deletes a task and its dependencies; returns its collaboration.
pub async fn delete_task(state: &AppState, actor: &Actor, tid: i64) -> Result<i64, AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let (scope, acting) = task_scope(&mut tx, actor, tid, CollabAction::Contribute).await?;
    let task = tx.task(&scope, tid).await?.ok_or(AppError::NotFound)?;
    tx.delete_task(&scope, tid).await?;
    record_in_collaboration(
        &mut tx,
        actor,
        scope.collaboration_id(),
        acting,
        now,
        "task.deleted",
        format!("Deleted the task \u{201c}{}\u{201d}.", task.title),
    )
    .await?;
    tx.commit().await?;
    Ok(scope.collaboration_id())
}

/// Makes task `tid` depend on the task `on` (sent as typed).
pub async fn add_dependency(
    state: &AppState,
    actor: &Actor,
    tid: i64,
    on: &str,
) -> Result<Vec<TaskRef>, AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let (scope, acting) = task_scope(&mut tx, actor, tid, CollabAction::Contribute).await?;
    let task = tx.task(&scope, tid).await?.ok_or(AppError::NotFound)?;
    let choose = || AppError::invalid("depends_on_id", "Choose a task of this collaboration.");
    let on: i64 = on.trim().parse().map_err(|_| choose())?;
    let Some(other) = tx.task(&scope, on).await? else {
        return Err(choose());
    };
    let edges = tx.dependency_edges(&scope).await?;
    if let Some(cycle) = find_cycle(&edges, tid, on) {
        let titles = tx.task_titles(&scope, &cycle).await?;
        let sentence = cycle_sentence(&cycle, |id| {
            titles
                .iter()
                .find(|(i, _)| *i == id)
                .map(|(_, t)| t.clone())
                .unwrap_or_default()
        });
        return Err(AppError::invalid(
            "depends_on_id",
            if tid == on {
                format!("A task cannot depend on itself: {sentence}.")
            } else {
                format!(
                    "That would make a loop, so no task in it could start: {sentence}. Remove one of those dependencies first, or choose another task."
                )
            },
        ));
    }
    if tx.add_dependency(&scope, tid, on).await? {
        record_in_collaboration(
            &mut tx,
            actor,
            scope.collaboration_id(),
            acting,
            now,
            "task.dependency_added",
            format!(
                "Made \u{201c}{}\u{201d} depend on \u{201c}{}\u{201d}.",
                task.title, other.title
            ),
        )
        .await?;
    }
    let links = tx.task_links(&scope, tid, true).await?;
    tx.commit().await?;
    Ok(links)
}

pub async fn remove_dependency(
    state: &AppState,
    actor: &Actor,
    tid: i64,
    on: i64,
) -> Result<Vec<TaskRef>, AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let (scope, acting) = task_scope(&mut tx, actor, tid, CollabAction::Contribute).await?;
    let task = tx.task(&scope, tid).await?.ok_or(AppError::NotFound)?;
    let other = tx.task(&scope, on).await?.ok_or(AppError::NotFound)?;
    if !tx.remove_dependency(&scope, tid, on).await? {
        return Err(AppError::NotFound);
    }
    record_in_collaboration(
        &mut tx,
        actor,
        scope.collaboration_id(),
        acting,
        now,
        "task.dependency_removed",
        format!(
            "\u{201c}{}\u{201d} no longer depends on \u{201c}{}\u{201d}.",
            task.title, other.title
        ),
    )
    .await?;
    let links = tx.task_links(&scope, tid, true).await?;
    tx.commit().await?;
    Ok(links)
}

/// People's "my tasks" as written answers (the page's list, the API's
/// page, the personal calendar feed), by person, acting organisation,
/// kind and query, each kept with the revision of everything they show
/// (see [`commonground_store::tasks::Tx::my_tasks_revision`]) and the day.
/// The revision is read before the tasks in the same transaction, so a
/// kept answer is never older than its revision, on any server.
pub type KeptMine = crate::cache::Versioned<
    (i64, Option<i64>, &'static str, String),
    (MyRevision, String),
    Vec<u8>,
>;

/// One page of the person's open tasks as `render` writes it (given the
/// total, the page's tasks and today), made once for each revision of
/// what it shows and kept (see [`KeptMine`]).
pub async fn my_tasks_kept(
    state: &AppState,
    actor: &Actor,
    page: Page,
    kind: &'static str,
    render: impl FnOnce(i64, Vec<MyTask>, &str) -> Result<Vec<u8>, AppError>,
) -> Result<std::sync::Arc<Vec<u8>>, AppError> {
    let today = today(state);
    let mut tx = state.store.read().await?;
    let key = (
        actor.user.id,
        actor.acting_organisation_id,
        kind,
        format!("{page:?}"),
    );
    let at = (tx.my_tasks_revision(actor.user.id).await?, today.clone());
    if let Some(kept) = state.kept_mine.get(&key, &at) {
        return Ok(kept);
    }
    let (total, tasks) = tx
        .my_tasks(actor.user.id, actor.acting_organisation_id, page)
        .await?;
    drop(tx);
    let body = std::sync::Arc::new(render(total, tasks, &today)?);
    state.kept_mine.put(key, at, std::sync::Arc::clone(&body));
    Ok(body)
}

pub async fn by_partner(
    state: &AppState,
    actor: &Actor,
    id: i64,
) -> Result<(Collaboration, Vec<PartnerLoad>), AppError> {
    let today = today(state);
    let mut tx = state.store.read().await?;
    let (scope, _) = collab_scope_for(&mut tx, actor, id, CollabAction::View).await?;
    Ok((
        tx.collaboration(&scope).await?,
        tx.tasks_by_partner(&scope, &today).await?,
    ))
}

/// The Implement stage page.
#[derive(Debug, Clone)]
pub struct ImplementOverview {
    pub collaboration: Collaboration,
    pub checklist: Vec<ChecklistItem>,
    pub percent: u8,
    pub facts: ImplementFacts,
    pub can_contribute: bool,
}

pub(crate) async fn implement_facts(
    tx: &mut Tx,
    scope: &CollabScope,
    today: &str,
) -> Result<ImplementFacts, AppError> {
    Ok(tx.implement_facts(scope, today).await?)
}

pub async fn implement_overview(
    state: &AppState,
    actor: &Actor,
    id: i64,
) -> Result<ImplementOverview, AppError> {
    let mut tx = state.store.read().await?;
    let (scope, _, collaboration, revision) =
        super::collaborations::collab_for(&mut tx, actor, id, CollabAction::View).await?;
    let facts = super::stages::stage_facts_at(state, &mut tx, &scope, revision)
        .await?
        .implement
        .clone();
    let checklist = commonground_domain::tasks::checklist(&facts);
    Ok(ImplementOverview {
        collaboration,
        percent: completion_percent(&checklist),
        checklist,
        facts,
        can_contribute: can_contribute(&scope, actor),
    })
}

/// The dated tasks as the timeline draws them.
pub(crate) fn bars(tasks: &[Task], today: &str) -> Vec<commonground_report::timeline::Bar> {
    use commonground_report::timeline::{Bar, days_from_iso};
    tasks
        .iter()
        .filter_map(|t| {
            let start = t.start_on.as_deref().or(t.due_on.as_deref())?;
            let end = t.due_on.as_deref().unwrap_or(start);
            Some(Bar {
                id: t.id,
                label: t.title.clone(),
                lane: t.workstream_name.clone(),
                start: days_from_iso(start)?,
                end: days_from_iso(end)?,
                milestone: t.milestone,
                overdue: is_overdue(t, today),
                finished: !t.status.is_open(),
            })
        })
        .collect()
}

/// The timeline of every dated task, as SVG.
/// The timeline of the whole plan as SVG: the same for everyone who may
/// see the collaboration, so written once for each revision of the
/// collaboration and day and kept (see [`KeptLists`]).
pub async fn timeline(
    state: &AppState,
    actor: &Actor,
    id: i64,
) -> Result<std::sync::Arc<Vec<u8>>, AppError> {
    use commonground_report::timeline::{days_from_iso, timeline_svg};
    let today = today(state);
    let mut tx = state.store.read().await?;
    let (scope, _, collaboration, revision) =
        super::collaborations::collab_for(&mut tx, actor, id, CollabAction::View).await?;
    let key = (id, "timeline", String::new());
    let at = (revision, today.clone());
    if let Some(kept) = state.kept_lists.get(&key, &at) {
        return Ok(kept);
    }
    let all = Page {
        number: 1,
        size: 100_000,
    };
    let (_, tasks) = tx
        .tasks(&scope, &TaskFilter::default(), &today, all)
        .await?;
    let edges = tx.dependency_edges(&scope).await?;
    drop(tx);
    let title = format!("Timeline: {}", collaboration.title);
    let bars = bars(&tasks, &today);
    let svg = std::sync::Arc::new(
        timeline_svg(
            "timeline",
            &title,
            &bars,
            &edges,
            days_from_iso(&today).unwrap_or_default(),
        )
        .into_bytes(),
    );
    state.kept_lists.put(key, at, std::sync::Arc::clone(&svg));
    Ok(svg)
}
