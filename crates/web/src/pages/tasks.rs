//! The action plan's pages: the Implement stage page, the task list with
//! its filters (and the archive, and the CSV of what is shown), tasks by
//! partner, workstreams, a task with its dependencies, and "my tasks".
//! Every action is a plain form.

use super::identify::checklist;
use super::layout::{
    Input, back_link, csrf_field, fill_csrf, notice, ok, page, pagination, render, select,
    table_scroll, tag, textarea,
};
use crate::AppState;
use crate::actions;
use crate::actions::tasks::{Choices, FilterInput, TaskChange, TaskDetail, TaskList, parse_filter};
use crate::auth::{PageContext, SignedIn};
use crate::cache::KeptPage;
use crate::error::AppError;
use crate::extract::{P, PageForm, Q};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use commonground_domain::FieldErrors;
use commonground_domain::policy::CollabAction;
use commonground_domain::stage::Stage;
use commonground_domain::tasks::{TaskInput, TaskStatus};
use commonground_report::markdown::to_html;
use commonground_store::collaborations::Collaboration;
use commonground_store::tasks::{Page, Task};
use maud::{Markup, PreEscaped, html};
use serde::Deserialize;

pub(crate) fn status_tag(s: TaskStatus) -> Markup {
    let class = match s {
        TaskStatus::NotStarted => "tag-attention",
        TaskStatus::InProgress => "tag-current",
        TaskStatus::Blocked => "tag-borderline",
        TaskStatus::Done | TaskStatus::Cancelled => "tag-done",
    };
    tag(s.label(), class)
}

/// "Overdue" in words, never by colour alone.
pub(crate) fn overdue_tag(t: &Task, today: &str) -> Markup {
    html! { @if actions::tasks::is_overdue(t, today) { " " (tag("Overdue", "tag-attention")) } }
}

fn dates(t: &Task) -> String {
    match (&t.start_on, &t.due_on) {
        (_, Some(d)) if t.milestone => format!("Milestone on {d}"),
        (Some(s), Some(d)) => format!("{s} to {d}"),
        (None, Some(d)) => format!("Due {d}"),
        (Some(s), None) => format!("From {s}"),
        (None, None) => "No dates".to_string(),
    }
}

pub async fn implement(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
) -> Result<Response, AppError> {
    let o = actions::tasks::implement_overview(&state, &viewer.actor(), id).await?;
    let c = &o.collaboration;
    Ok(ok(page(
        &ctx,
        &format!("Implement: {}", c.title),
        None,
        html! {
            (back_link(&format!("/collaborations/{}", c.id), &format!("Back to {}", c.title)))
            span.caption { (c.title) }
            h1 { "Stage 3: Implement" }
            p.lead { (Stage::Implement.summary()) }
            @if c.stage < Stage::Implement {
                p { "The collaboration is still in the " (c.stage.label()) " stage. You can start the action plan now." }
            } @else if c.stage > Stage::Implement {
                p { "The collaboration is now in the " (c.stage.label()) " stage. You can still come back to this work." }
            }
            h2 { "What this stage produces so far" }
            (checklist("implement-progress", &o.checklist, o.percent))
            @if !o.can_contribute {
                p { "Your organisation observes this collaboration, so you can read this work but not add to it." }
            }
            h2 { "Action plan" }
            ul {
                li { a href={ "/collaborations/" (c.id) "/tasks" } { "Tasks" } " (" (o.facts.open) " open, " (o.facts.overdue) " overdue)" }
                li { a href={ "/collaborations/" (c.id) "/workstreams" } { "Workstreams" } " (" (o.facts.workstreams) ")" }
                li { a href={ "/collaborations/" (c.id) "/tasks/by-partner" } { "Tasks by partner" } }
                li { a href={ "/collaborations/" (c.id) "/tasks?view=archive" } { "Archive of done and cancelled tasks" } }
                li { a href={ "/collaborations/" (c.id) "/recurring" } { "Recurring tasks" } ": work that comes round every week, month, quarter or year" }
            }
            h2 #meetings { "Meetings" }
            p { a href={ "/collaborations/" (c.id) "/meetings" } { "Meetings" } ": the agenda, who came, the minutes, the decisions taken, and actions that become tasks. "
                a href={ "/collaborations/" (c.id) "/contacts" } { "Who is who" } " lists each partner's contacts." }
            h2 #comms { "Communications" }
            ul {
                li { a href={ "/collaborations/" (c.id) "/comms" } { "Communications plan" } " (" (o.facts.comms.items) " " @if o.facts.comms.items == 1 { "item" } @else { "items" } ", " (o.facts.comms.overdue) " overdue): who needs to hear what, when, and a log of what went out" }
            }
            h2 #risks { "Risks and key challenges" }
            ul {
                li { a href={ "/collaborations/" (c.id) "/risks" } { "Risk register" } " (" (o.facts.risks.live) " open or being managed, " (o.facts.risks.review_overdue) " reviews overdue)" }
            }
            h2 #problems-decisions { "Problems and decisions" }
            ul {
                li { a href={ "/collaborations/" (c.id) "/problems" } { "Problem log" } " (" (o.facts.problems_unresolved) " unresolved)" }
                li { a href={ "/collaborations/" (c.id) "/decisions" } { "Decisions log" } }
            }
            (super::proposals::implement_section(c.id, o.facts.proposals, o.facts.proposals_closed_without_outcome))
            @if o.facts.tasks > 0 {
                h2 #timeline { "Timeline" }
                p { "Bars run from each task's start to its due date, grouped by workstream; diamonds are milestones; arrows run from a task to the tasks that wait for it; overdue tasks are hatched and labelled \u{201c}Overdue\u{201d}. "
                    a href={ "/collaborations/" (c.id) "/tasks?view=all" } { "The same tasks as a list" } "." }
                div.table-scroll role="region" aria-label="Timeline" tabindex="0" {
                    img src={ "/collaborations/" (c.id) "/timeline.svg" } alt={ "Timeline of " (o.facts.tasks) " tasks: " (o.facts.done) " done, " (o.facts.open) " open, " (o.facts.overdue) " overdue. The task list shows the same tasks as text." };
                }
            }
        },
    )))
}

/// The filter form's query string, for links to other pages and the CSV.
fn query_string(f: &FilterInput, page: Option<i64>) -> String {
    let mut parts: Vec<String> = Vec::new();
    for (k, v) in [
        ("status", &f.status),
        ("view", &f.view),
        ("owner_organisation_id", &f.owner_organisation_id),
        ("assignee_id", &f.assignee_id),
        ("workstream_id", &f.workstream_id),
        ("due_before", &f.due_before),
        ("due_after", &f.due_after),
        ("overdue", &f.overdue),
    ] {
        if !v.trim().is_empty() {
            parts.push(format!("{k}={}", urlencode(v.trim())));
        }
    }
    if let Some(p) = page {
        parts.push(format!("page={p}"));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

pub(crate) fn org_options(c: &Choices, none: &str) -> Vec<(String, String)> {
    let mut v = vec![(String::new(), none.to_string())];
    v.extend(
        c.participants
            .iter()
            .map(|p| (p.organisation_id.to_string(), p.name.clone())),
    );
    v
}

pub(crate) fn people_options(c: &Choices, none: &str) -> Vec<(String, String)> {
    let mut v = vec![(String::new(), none.to_string())];
    for (org, uid, name) in &c.people {
        let org_name = c
            .participants
            .iter()
            .find(|p| p.organisation_id == *org)
            .map(|p| p.name.as_str())
            .unwrap_or("");
        v.push((uid.to_string(), format!("{name} ({org_name})")));
    }
    v
}

pub(crate) fn workstream_options(c: &Choices, none: &str) -> Vec<(String, String)> {
    let mut v = vec![(String::new(), none.to_string())];
    v.extend(
        c.workstreams
            .iter()
            .map(|w| (w.id.to_string(), w.name.clone())),
    );
    v
}

pub(crate) fn aim_options(c: &Choices) -> Vec<(String, String)> {
    let mut v = vec![(String::new(), "None".to_string())];
    v.extend(
        c.aims
            .iter()
            .map(|(id, title)| (id.to_string(), title.clone())),
    );
    v
}

fn status_options(any: Option<&str>) -> Vec<(String, String)> {
    let mut v = Vec::new();
    if let Some(a) = any {
        v.push((String::new(), a.to_string()));
    }
    v.extend(
        TaskStatus::ALL
            .iter()
            .map(|s| (s.code().to_string(), s.label().to_string())),
    );
    v
}

fn task_table(
    caption: &str,
    tasks: &[Task],
    today: &str,
    with_collaboration: Option<&[String]>,
) -> Markup {
    html! {
        (table_scroll("task-table-caption", html! {
            table.table {
                caption #task-table-caption { (caption) }
                thead { tr {
                    th scope="col" { "Task" }
                    @if with_collaboration.is_some() { th scope="col" { "Collaboration" } }
                    th scope="col" { "Workstream" }
                    th scope="col" { "Owner" }
                    th scope="col" { "Assignee" }
                    th scope="col" { "Dates" }
                    th scope="col" { "Status" }
                } }
                tbody {
                    @for (i, t) in tasks.iter().enumerate() {
                        tr {
                            td { a href={ "/tasks/" (t.id) } { (t.title) } }
                            @if let Some(titles) = with_collaboration { td { (titles.get(i).map(String::as_str).unwrap_or("")) } }
                            td { @if t.workstream_name.is_empty() { "None" } @else { (t.workstream_name) } }
                            td { (t.owner_name) }
                            td { @if t.assignee_name.is_empty() { "Nobody yet" } @else { (t.assignee_name) } }
                            td { (dates(t)) }
                            td { (status_tag(t.status)) (overdue_tag(t, today)) }
                        }
                    }
                }
            }
        }))
    }
}

fn list_heading(f: &FilterInput) -> &'static str {
    if f.view == "archive" {
        "Archive: done and cancelled tasks"
    } else {
        "Tasks"
    }
}

fn list_page(
    ctx: &PageContext,
    v: &TaskList,
    f: &FilterInput,
    errors: &FieldErrors,
    status: StatusCode,
) -> Response {
    render(
        status,
        page(
            ctx,
            &format!("{}: {}", list_heading(f), v.collaboration.title),
            Some(errors),
            list_main(v, f, errors),
        ),
    )
}

/// Everything inside the task list page's frame.
fn list_main(v: &TaskList, f: &FilterInput, errors: &FieldErrors) -> Markup {
    let c = &v.collaboration;
    let base = format!("/collaborations/{}/tasks", c.id);
    let archive = f.view == "archive";
    let heading = list_heading(f);
    html! {
        (back_link(&format!("/collaborations/{}/implement", c.id), "Back to the Implement stage"))
        span.caption { (c.title) }
        h1 { (heading) }
        p {
            @if archive { a href=(base) { "Show open tasks" } } @else { a href={ (base) "?view=archive" } { "Show the archive of done and cancelled tasks" } }
            " · " a href={ "/collaborations/" (c.id) "/tasks/by-partner" } { "Tasks by partner" }
            " · " a href={ "/collaborations/" (c.id) "/workstreams" } { "Workstreams" }
        }
        @if v.can_contribute {
            p { a.button href={ "/collaborations/" (c.id) "/tasks/new" } { "Add a task" } }
        } @else {
            p { "Your organisation observes this collaboration, so you can read the tasks but not change them." }
        }
        details.filters open[!query_string(f, None).is_empty()] {
            summary { "Filter the tasks" }
            form method="get" action=(base) novalidate {
                input type="hidden" name="view" value=(f.view);
                (select("status", "Status", None, &status_options(Some("Any status")), &f.status, errors))
                (select("owner_organisation_id", "Owner organisation", None, &org_options(&v.choices, "Any organisation"), &f.owner_organisation_id, errors))
                (select("assignee_id", "Assignee", None, &people_options(&v.choices, "Anyone"), &f.assignee_id, errors))
                (select("workstream_id", "Workstream", None, &workstream_options(&v.choices, "Any workstream"), &f.workstream_id, errors))
                (Input::text("due_after", "Due on or after", &f.due_after).kind("date").hint("For example 2027-03-01.").render(errors))
                (Input::text("due_before", "Due on or before", &f.due_before).kind("date").hint("For example 2027-03-31.").render(errors))
                div.field {
                    div.checkbox {
                        input.checkbox-input #overdue type="checkbox" name="overdue" value="true" checked[f.overdue == "true" || f.overdue == "on"];
                        label.checkbox-label for="overdue" { "Only overdue tasks" }
                    }
                }
                button.button.secondary type="submit" { "Show these tasks" }
            }
        }
        p { (v.total) " " @if v.total == 1 { "task" } @else { "tasks" } " match. "
            a href={ (base) ".csv" (query_string(f, None)) } { "Download these tasks as a spreadsheet (CSV)" }
            " · " a href={ "/collaborations/" (c.id) "/calendar" (query_string(f, None)) } { "See these tasks in your calendar app" } }
        @if v.tasks.is_empty() {
            p { "No tasks here yet." }
        } @else {
            (task_table(heading, &v.tasks, &v.today, None))
        }
        (pagination(&base, |n| query_string(f, Some(n)), v.page, v.total))
    }
}

pub async fn index(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
    Q(f): Q<FilterInput>,
) -> Result<Response, AppError> {
    let actor = viewer.actor();
    match parse_filter(&f, "open") {
        Ok((filter, page)) => {
            let kept =
                actions::tasks::task_list_page_kept(&state, &actor, id, (&filter, page, &f), |v| {
                    KeptPage {
                        title: format!("{}: {}", list_heading(&f), v.collaboration.title),
                        main: list_main(v, &f, &FieldErrors::new())
                            .into_string()
                            .into_bytes(),
                    }
                })
                .await?;
            Ok(ok(super::layout::page(
                &ctx,
                &kept.title,
                Some(&FieldErrors::new()),
                fill_csrf(&kept.main, &ctx.csrf),
            )))
        }
        Err(errors) => {
            let (filter, page) =
                parse_filter(&FilterInput::default(), "open").map_err(AppError::Invalid)?;
            let v = actions::tasks::task_list(&state, &actor, id, &filter, page).await?;
            Ok(list_page(
                &ctx,
                &v,
                &f,
                &errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            ))
        }
    }
}

pub async fn csv(
    State(state): State<AppState>,
    SignedIn(viewer, _ctx): SignedIn,
    P(id): P<i64>,
    Q(f): Q<FilterInput>,
) -> Result<Response, AppError> {
    let (filter, _) = parse_filter(&f, "open")?;
    let csv = actions::tasks::tasks_csv(&state, &viewer.actor(), id, &filter).await?;
    Ok(crate::api::tasks::csv_response(id, csv))
}

pub async fn by_partner(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
) -> Result<Response, AppError> {
    let (c, rows) = actions::tasks::by_partner(&state, &viewer.actor(), id).await?;
    Ok(ok(page(
        &ctx,
        &format!("Tasks by partner: {}", c.title),
        None,
        html! {
            (back_link(&format!("/collaborations/{}/tasks", c.id), "Back to the tasks"))
            span.caption { (c.title) }
            h1 { "Tasks by partner" }
            p { "How many tasks each organisation taking part owns. Follow a name for its tasks." }
            (table_scroll("by-partner-caption", html! {
                table.table {
                    caption #by-partner-caption { "Tasks each organisation owns" }
                    thead { tr { th scope="col" { "Organisation" } th scope="col" { "Open" } th scope="col" { "Overdue" } th scope="col" { "Done or cancelled" } } }
                    tbody {
                        @for r in &rows {
                            tr {
                                td { a href={ "/collaborations/" (c.id) "/tasks?owner_organisation_id=" (r.organisation_id) } { (r.name) } }
                                td { (r.open) }
                                td { (r.overdue) }
                                td { a href={ "/collaborations/" (c.id) "/tasks?view=archive&owner_organisation_id=" (r.organisation_id) } { (r.finished) } }
                            }
                        }
                    }
                }
            }))
        },
    )))
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct WorkstreamForm {
    name: String,
    description: String,
}

fn workstreams_page(
    ctx: &PageContext,
    c: &Collaboration,
    ws: &[commonground_store::tasks::Workstream],
    can_contribute: bool,
    form: &WorkstreamForm,
    errors: &FieldErrors,
    added: bool,
) -> Response {
    render(
        super::layout::form_status(errors),
        page(
            ctx,
            &format!("Workstreams: {}", c.title),
            Some(errors),
            html! {
                @if added { (notice("The workstream has been added.")) }
                (back_link(&format!("/collaborations/{}/implement", c.id), "Back to the Implement stage"))
                span.caption { (c.title) }
                h1 { "Workstreams" }
                p { "A workstream groups the tasks for one part of the work, such as outreach or premises." }
                @if ws.is_empty() { p { "No workstreams yet." } } @else {
                    ul {
                        @for w in ws {
                            li {
                                a href={ "/collaborations/" (c.id) "/tasks?view=all&workstream_id=" (w.id) } { (w.name) }
                                " (" (w.tasks) " " @if w.tasks == 1 { "task" } @else { "tasks" } ")"
                                @if !w.description.is_empty() { p.muted { (w.description) } }
                            }
                        }
                    }
                }
                @if can_contribute {
                    h2 { "Add a workstream" }
                    form method="post" action={ "/collaborations/" (c.id) "/workstreams" } novalidate {
                        (csrf_field(&ctx.csrf))
                        (Input::text("name", "Name", &form.name).required().render(errors))
                        (textarea("description", "Description (optional)", None, &form.description, 3, errors))
                        button.button type="submit" { "Add the workstream" }
                    }
                } @else {
                    p { "Your organisation observes this collaboration, so you can read the workstreams but not add to them." }
                }
            },
        ),
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DoneQuery {
    done: String,
}

pub async fn workstreams(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
    Q(q): Q<DoneQuery>,
) -> Result<Response, AppError> {
    let (c, ws, can) = actions::tasks::workstreams(&state, &viewer.actor(), id).await?;
    Ok(workstreams_page(
        &ctx,
        &c,
        &ws,
        can,
        &WorkstreamForm::default(),
        &FieldErrors::new(),
        q.done == "added",
    ))
}

pub async fn add_workstream(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
    PageForm(form): PageForm<WorkstreamForm>,
) -> Result<Response, AppError> {
    let actor = viewer.actor();
    match actions::tasks::create_workstream(&state, &actor, id, &form.name, &form.description).await
    {
        Ok(_) => Ok(
            Redirect::to(&format!("/collaborations/{id}/workstreams?done=added")).into_response(),
        ),
        Err(AppError::Invalid(errors)) => {
            let (c, ws, can) = actions::tasks::workstreams(&state, &actor, id).await?;
            Ok(workstreams_page(&ctx, &c, &ws, can, &form, &errors, false))
        }
        Err(e) => Err(e),
    }
}

/// A task's fields as the form sends them.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct TaskForm {
    title: String,
    description: String,
    owner_organisation_id: String,
    assignee_id: String,
    start_on: String,
    due_on: String,
    status: String,
    workstream_id: String,
    milestone: String,
    aim_id: String,
    version: String,
    done_reason: String,
}

impl TaskForm {
    fn input(&self) -> TaskInput<'_> {
        TaskInput {
            title: &self.title,
            description: &self.description,
            owner_organisation_id: &self.owner_organisation_id,
            assignee_id: &self.assignee_id,
            start_on: &self.start_on,
            due_on: &self.due_on,
            status: &self.status,
            workstream_id: &self.workstream_id,
            milestone: !self.milestone.is_empty(),
            aim_id: &self.aim_id,
        }
    }

    fn of(t: &Task) -> Self {
        let s = |v: Option<i64>| v.map(|x| x.to_string()).unwrap_or_default();
        TaskForm {
            title: t.title.clone(),
            description: t.description.clone(),
            owner_organisation_id: t.owner_organisation_id.to_string(),
            assignee_id: s(t.assignee_id),
            start_on: t.start_on.clone().unwrap_or_default(),
            due_on: t.due_on.clone().unwrap_or_default(),
            status: t.status.code().to_string(),
            workstream_id: s(t.workstream_id),
            milestone: if t.milestone {
                "true".into()
            } else {
                String::new()
            },
            aim_id: s(t.aim_id),
            version: t.version.to_string(),
            done_reason: t.done_reason.clone(),
        }
    }
}

fn task_fields(c: &Choices, form: &TaskForm, errors: &FieldErrors, editing: bool) -> Markup {
    html! {
        (Input::text("title", "Title", &form.title).required().render(errors))
        (textarea("description", "Description (optional)", Some("You can use Markdown: *emphasis*, lists with a dash, and links like [text](https://example.org)."), &form.description, 4, errors))
        (select("owner_organisation_id", "Owner organisation", Some("The organisation taking part that is responsible for it."), &org_options(c, "Choose an organisation"), &form.owner_organisation_id, errors))
        (select("assignee_id", "Assignee (optional)", Some("A member of the owner organisation."), &people_options(c, "Nobody yet"), &form.assignee_id, errors))
        (select("workstream_id", "Workstream (optional)", None, &workstream_options(c, "None"), &form.workstream_id, errors))
        (select("aim_id", "Aim it serves (optional)", Some("One of the collaboration's shared aims."), &aim_options(c), &form.aim_id, errors))
        (Input::text("start_on", "Start date (optional)", &form.start_on).kind("date").hint("For example 2027-03-01.").render(errors))
        (Input::text("due_on", "Due date", &form.due_on).kind("date").hint("For example 2027-03-31. Not before the start date.").render(errors))
        div.field {
            div.checkbox {
                input.checkbox-input #milestone type="checkbox" name="milestone" value="true" checked[!form.milestone.is_empty()] aria-describedby="milestone-hint";
                label.checkbox-label for="milestone" { "This is a milestone" }
                p.hint #milestone-hint { "A milestone is one day with no duration: give it a due date only." }
            }
        }
        (select("status", "Status", None, &status_options(None), if form.status.is_empty() { "not_started" } else { &form.status }, errors))
        @if editing {
            (textarea("done_reason", "Why is it done although a task it depends on is still open? (only then)", Some("Only needed when marking it done before the tasks it depends on. The reason is recorded."), &form.done_reason, 2, errors))
        }
    }
}

fn new_page(
    ctx: &PageContext,
    c: &Collaboration,
    choices: &Choices,
    form: &TaskForm,
    errors: &FieldErrors,
) -> Response {
    render(
        super::layout::form_status(errors),
        page(
            ctx,
            &format!("Add a task: {}", c.title),
            Some(errors),
            html! {
                (back_link(&format!("/collaborations/{}/tasks", c.id), "Back to the tasks"))
                span.caption { (c.title) }
                h1 { "Add a task" }
                form method="post" action={ "/collaborations/" (c.id) "/tasks" } novalidate {
                    (csrf_field(&ctx.csrf))
                    (task_fields(choices, form, errors, false))
                    button.button type="submit" { "Add the task" }
                }
            },
        ),
    )
}

pub async fn new_form(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
) -> Result<Response, AppError> {
    let actor = viewer.actor();
    let v = actions::tasks::task_list(
        &state,
        &actor,
        id,
        &Default::default(),
        Page { number: 1, size: 1 },
    )
    .await?;
    if !v.can_contribute {
        return Err(actions::collaborations::refusal(CollabAction::Contribute));
    }
    let form = TaskForm {
        owner_organisation_id: actor
            .acting_organisation_id
            .map(|o| o.to_string())
            .unwrap_or_default(),
        ..Default::default()
    };
    Ok(new_page(
        &ctx,
        &v.collaboration,
        &v.choices,
        &form,
        &FieldErrors::new(),
    ))
}

pub async fn create(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
    PageForm(form): PageForm<TaskForm>,
) -> Result<Response, AppError> {
    let actor = viewer.actor();
    match actions::tasks::create_task(&state, &actor, id, &form.input(), &[]).await {
        Ok(t) => Ok(Redirect::to(&format!("/tasks/{}?done=added", t.id)).into_response()),
        Err(AppError::Invalid(errors)) => {
            let v = actions::tasks::task_list(
                &state,
                &actor,
                id,
                &Default::default(),
                Page { number: 1, size: 1 },
            )
            .await?;
            Ok(new_page(&ctx, &v.collaboration, &v.choices, &form, &errors))
        }
        Err(e) => Err(e),
    }
}

/// A refused change on the task page: which form, what was sent, why.
#[derive(Default)]
struct Refused {
    form: Option<TaskForm>,
    dependency: String,
    errors: FieldErrors,
    conflict: Option<String>,
}

fn task_page(
    ctx: &PageContext,
    d: &TaskDetail,
    refused: &Refused,
    done: &str,
    status: StatusCode,
) -> Response {
    let t = &d.task;
    let c = &d.collaboration;
    let form = refused.form.clone().unwrap_or_else(|| TaskForm::of(t));
    let message = match done {
        "added" => Some("The task has been added."),
        "changed" => Some("The task has been saved."),
        "linked" => Some("The dependency has been added."),
        "unlinked" => Some("The dependency has been removed."),
        _ => None,
    };
    render(
        status,
        page(
            ctx,
            &format!("{}: {}", t.title, c.title),
            Some(&refused.errors),
            html! {
                @if let Some(m) = message { (notice(m)) }
                (back_link(&format!("/collaborations/{}/tasks", c.id), "Back to the tasks"))
                span.caption { (c.title) }
                h1 { (t.title) " " (status_tag(t.status)) (overdue_tag(t, &d.today)) }
                @if let Some(m) = &refused.conflict {
                    div.error-summary role="alert" { h2 { "This task changed meanwhile" } p { (m) } }
                }
                (super::recurring::made_by(t.series_id))
                dl.summary-list {
                    div { dt { "Owner" } dd { (t.owner_name) } }
                    div { dt { "Assignee" } dd { @if t.assignee_name.is_empty() { "Nobody yet" } @else { (t.assignee_name) } } }
                    div { dt { "Workstream" } dd { @if t.workstream_name.is_empty() { "None" } @else { (t.workstream_name) } } }
                    div { dt { "Dates" } dd { (dates(t)) } }
                    div { dt { "Aim it serves" } dd { @if t.aim_title.is_empty() { "None" } @else { a href={ "/collaborations/" (c.id) "/aims" } { (t.aim_title) } } } }
                    @if !t.description.is_empty() { div { dt { "Description" } dd { div.markdown { (PreEscaped(to_html(&t.description))) } } } }
                    @if !t.done_reason.is_empty() { div { dt { "Done before what it depends on, because" } dd { (t.done_reason) } } }
                }
                h2 #dependencies { "Depends on" }
                @if d.depends_on.is_empty() { p { "Nothing: it can start any time." } } @else {
                    ul {
                        @for r in &d.depends_on {
                            li {
                                a href={ "/tasks/" (r.id) } { (r.title) } " " (status_tag(r.status))
                                @if d.can_contribute {
                                    form.inline method="post" action={ "/tasks/" (t.id) "/dependencies/" (r.id) "/remove" } {
                                        (csrf_field(&ctx.csrf))
                                        button.button.secondary type="submit" { "Remove" span.visually-hidden { " the dependency on " (r.title) } }
                                    }
                                }
                            }
                        }
                    }
                }
                @if !d.dependents.is_empty() {
                    h2 { "Tasks waiting for this one" }
                    ul { @for r in &d.dependents { li { a href={ "/tasks/" (r.id) } { (r.title) } " " (status_tag(r.status)) } } }
                }
                (super::decisions::about(&d.decisions, d.can_contribute.then(|| format!("/collaborations/{}/decisions/new?task_id={}", c.id, t.id)), "task"))
                @if d.can_contribute {
                    @if !d.others.is_empty() {
                        form method="post" action={ "/tasks/" (t.id) "/dependencies" } novalidate {
                            (csrf_field(&ctx.csrf))
                            @let opts: Vec<(String, String)> = std::iter::once((String::new(), "Choose a task".to_string()))
                                .chain(d.others.iter().map(|(i, title)| (i.to_string(), title.clone())))
                                .collect();
                            (select("depends_on_id", "Add a task this one depends on", Some("This task cannot be done until that one is, unless you say why."), &opts, &refused.dependency, &refused.errors))
                            button.button.secondary type="submit" { "Add the dependency" }
                        }
                    }
                    h2 #change { "Change the task" }
                    form method="post" action={ "/tasks/" (t.id) } novalidate {
                        (csrf_field(&ctx.csrf))
                        input type="hidden" name="version" value=(t.version);
                        (task_fields(&d.choices, &form, &refused.errors, true))
                        button.button type="submit" { "Save the task" }
                    }
                    h2 { "Delete the task" }
                    form method="post" action={ "/tasks/" (t.id) "/delete" } {
                        (csrf_field(&ctx.csrf))
                        p { "This removes the task and its dependencies. It cannot be undone." }
                        button.button.warning type="submit" { "Delete " (t.title) }
                    }
                } @else {
                    p { "Your organisation observes this collaboration, so you can read this task but not change it." }
                }
            },
        ),
    )
}

pub async fn show(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(tid): P<i64>,
    Q(q): Q<DoneQuery>,
) -> Result<Response, AppError> {
    let d = actions::tasks::task_detail(&state, &viewer.actor(), tid).await?;
    Ok(task_page(
        &ctx,
        &d,
        &Refused::default(),
        &q.done,
        StatusCode::OK,
    ))
}

pub async fn change(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(tid): P<i64>,
    PageForm(form): PageForm<TaskForm>,
) -> Result<Response, AppError> {
    let actor = viewer.actor();
    let change = TaskChange {
        fields: form.input(),
        based_on: &form.version,
        done_reason: &form.done_reason,
    };
    let (refused, status) = match actions::tasks::update_task(&state, &actor, tid, &change).await {
        Ok(_) => return Ok(Redirect::to(&format!("/tasks/{tid}?done=changed")).into_response()),
        Err(AppError::Invalid(errors)) => (
            Refused {
                form: Some(form.clone()),
                errors,
                ..Default::default()
            },
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Err(AppError::Conflict(m)) => (
            Refused {
                conflict: Some(m),
                ..Default::default()
            },
            StatusCode::CONFLICT,
        ),
        Err(e) => return Err(e),
    };
    let d = actions::tasks::task_detail(&state, &actor, tid).await?;
    Ok(task_page(&ctx, &d, &refused, "", status))
}

pub async fn delete(
    State(state): State<AppState>,
    SignedIn(viewer, _ctx): SignedIn,
    P(tid): P<i64>,
) -> Result<Response, AppError> {
    let id = actions::tasks::delete_task(&state, &viewer.actor(), tid).await?;
    Ok(Redirect::to(&format!("/collaborations/{id}/tasks")).into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DependencyForm {
    depends_on_id: String,
}

pub async fn add_dependency(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(tid): P<i64>,
    PageForm(form): PageForm<DependencyForm>,
) -> Result<Response, AppError> {
    let actor = viewer.actor();
    match actions::tasks::add_dependency(&state, &actor, tid, &form.depends_on_id).await {
        Ok(_) => {
            Ok(Redirect::to(&format!("/tasks/{tid}?done=linked#dependencies")).into_response())
        }
        Err(AppError::Invalid(errors)) => {
            let d = actions::tasks::task_detail(&state, &actor, tid).await?;
            let refused = Refused {
                dependency: form.depends_on_id,
                errors,
                ..Default::default()
            };
            Ok(task_page(
                &ctx,
                &d,
                &refused,
                "",
                StatusCode::UNPROCESSABLE_ENTITY,
            ))
        }
        Err(e) => Err(e),
    }
}

pub async fn remove_dependency(
    State(state): State<AppState>,
    SignedIn(viewer, _ctx): SignedIn,
    P((tid, on)): P<(i64, i64)>,
) -> Result<Response, AppError> {
    actions::tasks::remove_dependency(&state, &viewer.actor(), tid, on).await?;
    Ok(Redirect::to(&format!("/tasks/{tid}?done=unlinked#dependencies")).into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PageQuery {
    page: String,
}

pub async fn mine(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    Q(q): Q<PageQuery>,
) -> Result<Response, AppError> {
    let (_, page) = parse_filter(
        &FilterInput {
            page: q.page.clone(),
            ..Default::default()
        },
        "open",
    )?;
    let main = actions::tasks::my_tasks_kept(
        &state,
        &viewer.actor(),
        page,
        "page",
        |total, items, today| {
            let titles: Vec<String> = items
                .iter()
                .map(|m| m.collaboration_title.clone())
                .collect();
            let tasks: Vec<Task> = items.into_iter().map(|m| m.task).collect();
            Ok(mine_main(total, &tasks, &titles, today, page)
                .into_string()
                .into_bytes())
        },
    )
    .await?;
    // Kept as written from valid UTF-8 above.
    let main = String::from_utf8_lossy(&main);
    Ok(ok(super::layout::page(
        &ctx,
        "My tasks",
        None,
        PreEscaped(main.into_owned()),
    )))
}

/// Everything inside the "my tasks" page's frame.
fn mine_main(total: i64, tasks: &[Task], titles: &[String], today: &str, p: Page) -> Markup {
    html! {
        h1 { "My tasks" }
        p.lead { "Open tasks assigned to you, and open tasks your organisation owns that nobody has taken yet, in all your collaborations. Soonest due first." }
        p { a href="/tasks/calendar" { "See my tasks in your calendar app" } }
        @if tasks.is_empty() {
            p { "Nothing to do here. Tasks appear when someone assigns one to you, or when your organisation owns one nobody has taken." }
        } @else {
            p { (total) " " @if total == 1 { "task" } @else { "tasks" } "." }
            (task_table("My open tasks", tasks, today, Some(titles)))
        }
        (pagination("/tasks", |n| query_string(&FilterInput::default(), Some(n)), p, total))
    }
}

pub async fn timeline_svg(
    State(state): State<AppState>,
    SignedIn(viewer, _ctx): SignedIn,
    P(id): P<i64>,
) -> Result<Response, AppError> {
    Ok(crate::svg_response(crate::cache::lent(
        actions::tasks::timeline(&state, &viewer.actor(), id).await?,
    )))
}
