//! Recurring tasks' pages: the collaboration's series with a form to add
//! one; and a series' page with the tasks it made, a form to change it and
//! a button to end it. Every action is a plain form.

use super::layout::{
    CSRF_SLOT, Input, back_link, csrf_field, fill_csrf, form_status, notice, page, pagination,
    render, select, table_scroll, tag, textarea,
};
use super::tasks::{
    aim_options, org_options, overdue_tag, people_options, status_tag, workstream_options,
};
use crate::AppState;
use crate::actions;
use crate::actions::recurring::{
    PAGE_SIZE, SeriesDetail, SeriesList, SeriesUpdate, parse_page, rule, stale_message, upcoming,
};
use crate::actions::tasks::Choices;
use crate::auth::{Actor, PageContext, SignedIn};
use crate::cache::KeptPage;
use crate::error::AppError;
use crate::extract::{P, PageForm, Q};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use commonground_domain::FieldErrors;
use commonground_domain::recurring::{Repeat, SeriesInput};
use commonground_report::markdown::to_html;
use commonground_store::recurring::Series;
use maud::{Markup, PreEscaped, html};
use serde::Deserialize;

/// A series' fields as the form sends them.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct SeriesForm {
    title: String,
    description: String,
    owner_organisation_id: String,
    assignee_id: String,
    workstream_id: String,
    aim_id: String,
    repeats: String,
    first_on: String,
    ends_on: String,
    version: String,
}

impl SeriesForm {
    fn input(&self) -> SeriesInput<'_> {
        SeriesInput {
            title: &self.title,
            description: &self.description,
            owner_organisation_id: &self.owner_organisation_id,
            assignee_id: &self.assignee_id,
            workstream_id: &self.workstream_id,
            aim_id: &self.aim_id,
            repeats: &self.repeats,
            first_on: &self.first_on,
            ends_on: &self.ends_on,
        }
    }

    fn of(s: &Series) -> Self {
        let o = |v: Option<i64>| v.map(|x| x.to_string()).unwrap_or_default();
        SeriesForm {
            title: s.title.clone(),
            description: s.description.clone(),
            owner_organisation_id: s.owner_organisation_id.to_string(),
            assignee_id: o(s.assignee_id),
            workstream_id: o(s.workstream_id),
            aim_id: o(s.aim_id),
            repeats: s.repeats.code().to_string(),
            first_on: s.first_on.clone(),
            ends_on: s.ends_on.clone().unwrap_or_default(),
            version: s.version.to_string(),
        }
    }
}

fn series_fields(c: &Choices, form: &SeriesForm, errors: &FieldErrors, editing: bool) -> Markup {
    let repeats: Vec<(String, String)> = Repeat::ALL
        .iter()
        .map(|r| (r.code().to_string(), r.label().to_string()))
        .collect();
    let first_hint = if editing {
        "The dates count from this one. Year, month and day, like 2027-03-31. A change shapes the next task, not those already made."
    } else {
        "When the first task is due: today or later. Year, month and day, like 2027-03-31. The weekday and day of the month come from this date."
    };
    html! {
        (Input::text("title", "Title of each task", &form.title).hint("For example: Send the monthly figures to the steering group.").required().render(errors))
        (textarea("description", "Description (optional)", Some("You can use Markdown: *emphasis*, lists with a dash, and links like [text](https://example.org)."), &form.description, 3, errors))
        (select("repeats", "How often", None, &repeats, if form.repeats.is_empty() { "monthly" } else { &form.repeats }, errors))
        (Input::text("first_on", if editing { "Dates count from" } else { "First due date" }, &form.first_on).kind("date").hint(first_hint).render(errors))
        (Input::text("ends_on", "End date (optional)", &form.ends_on).kind("date").hint("No task is made for a date after this one. Leave it empty to go on until you end the series.").render(errors))
        (select("owner_organisation_id", "Owner organisation", Some("The organisation taking part that is responsible for each task."), &org_options(c, "Choose an organisation"), &form.owner_organisation_id, errors))
        (select("assignee_id", "Assignee (optional)", Some("A member of the owner organisation."), &people_options(c, "Nobody yet"), &form.assignee_id, errors))
        (select("workstream_id", "Workstream (optional)", None, &workstream_options(c, "None"), &form.workstream_id, errors))
        (select("aim_id", "Aim it serves (optional)", Some("One of the collaboration's shared aims."), &aim_options(c), &form.aim_id, errors))
    }
}

fn state_words(s: &Series) -> String {
    match (s.ended_at, upcoming(s)) {
        (Some(_), _) => format!("Ended by {}.", s.ended_by_name),
        (None, Some(next)) => format!(
            "The next task, due {next}, appears when the one due {} is done or cancelled, or on {} if it is not.",
            s.last_made_on, s.last_made_on
        ),
        (None, None) => format!(
            "It has reached its end date: the task due {} was the last.",
            s.last_made_on
        ),
    }
}

fn running_tag(s: &Series) -> Markup {
    match (s.ended_at, upcoming(s)) {
        (Some(_), _) => tag("Ended", "tag-done"),
        (None, Some(_)) => tag("Running", "tag-current"),
        (None, None) => tag("Finished", "tag-done"),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    page: String,
}

fn list_title(v: &SeriesList) -> String {
    format!("Recurring tasks: {}", v.collaboration.title)
}

fn list_page(
    ctx: &PageContext,
    v: &SeriesList,
    form: &SeriesForm,
    errors: &FieldErrors,
    status: StatusCode,
) -> Response {
    render(
        status,
        page(
            ctx,
            &list_title(v),
            Some(errors),
            list_main(&ctx.csrf, v, form, errors),
        ),
    )
}

/// Everything inside the recurring tasks page's frame; `csrf` is the form
/// token (or [`CSRF_SLOT`] to keep it).
fn list_main(csrf: &str, v: &SeriesList, form: &SeriesForm, errors: &FieldErrors) -> Markup {
    let c = &v.collaboration;
    let base = format!("/collaborations/{}/recurring", c.id);
    html! {
        (back_link(&format!("/collaborations/{}/implement", c.id), "Back to the Implement stage"))
        span.caption { (c.title) }
        h1 { "Recurring tasks" }
        p.lead { "Work that comes round again: a monthly report, a quarterly review, a weekly check-in. Each series makes one task at a time. The next appears when the last is done or cancelled, or when its date comes." }
        p { "Changing or ending a series never changes the tasks it has already made. Change those on their own pages." }
        @if v.series.is_empty() {
            p { "No recurring tasks yet." }
        } @else {
            p { (v.total) " " @if v.total == 1 { "series" } @else { "series" } ", running ones first." }
            (table_scroll("series-caption", html! {
                table.table {
                    caption #series-caption { "Recurring tasks" }
                    thead { tr {
                        th scope="col" { "Title" }
                        th scope="col" { "How often" }
                        th scope="col" { "Owner" }
                        th scope="col" { "Newest task due" }
                        th scope="col" { "Next due" }
                        th scope="col" { "Tasks made" }
                        th scope="col" { "State" }
                    } }
                    tbody {
                        @for s in &v.series {
                            tr {
                                td { a href={ "/recurring/" (s.id) } { (s.title) } }
                                td { (rule(s)) }
                                td { (s.owner_name) @if !s.assignee_name.is_empty() { " (" (s.assignee_name) ")" } }
                                td { (s.last_made_on) }
                                td { (upcoming(s).unwrap_or_else(|| "None".to_string())) }
                                td { (s.tasks_made) }
                                td { (running_tag(s)) }
                            }
                        }
                    }
                }
            }))
        }
        (pagination(&base, |n| format!("?page={n}"), v.page, v.total))
        @if v.can_contribute {
            h2 #add { "Add a recurring task" }
            form method="post" action=(base) novalidate {
                (csrf_field(csrf))
                (series_fields(&v.choices, form, errors, false))
                button.button type="submit" { "Add the recurring task" }
            }
        } @else {
            p { "Your organisation observes this collaboration, so you can read its recurring tasks but not change them." }
        }
    }
}

fn new_form(actor: &Actor, today: &str) -> SeriesForm {
    SeriesForm {
        owner_organisation_id: actor
            .acting_organisation_id
            .map(|o| o.to_string())
            .unwrap_or_default(),
        first_on: today.to_string(),
        ..Default::default()
    }
}

pub async fn index(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
    Q(q): Q<ListQuery>,
) -> Result<Response, AppError> {
    let actor = viewer.actor();
    let page = parse_page(&q.page, "", PAGE_SIZE).map_err(AppError::Invalid)?;
    let none = FieldErrors::new();
    let kept = actions::recurring::series_list_kept(&state, &actor, id, page, |v| KeptPage {
        title: list_title(v),
        main: list_main(CSRF_SLOT, v, &new_form(&actor, &v.today), &none)
            .into_string()
            .into_bytes(),
    })
    .await?;
    Ok(render(
        StatusCode::OK,
        super::layout::page(
            &ctx,
            &kept.title,
            Some(&none),
            fill_csrf(&kept.main, &ctx.csrf),
        ),
    ))
}

pub async fn create(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
    PageForm(form): PageForm<SeriesForm>,
) -> Result<Response, AppError> {
    let actor = viewer.actor();
    match actions::recurring::create_series(&state, &actor, id, &form.input()).await {
        Ok(s) => Ok(Redirect::to(&format!("/recurring/{}?done=added", s.id)).into_response()),
        Err(AppError::Invalid(errors)) => {
            let page = parse_page("", "", PAGE_SIZE).map_err(AppError::Invalid)?;
            let v = actions::recurring::series_list(&state, &actor, id, page).await?;
            Ok(list_page(
                &ctx,
                &v,
                &form,
                &errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            ))
        }
        Err(e) => Err(e),
    }
}

fn series_page(
    status: StatusCode,
    ctx: &PageContext,
    d: &SeriesDetail,
    form: Option<&SeriesForm>,
    errors: &FieldErrors,
    conflict: Option<&str>,
    done: &str,
) -> Response {
    let s = &d.series;
    let c = &d.collaboration;
    let form = form.cloned().unwrap_or_else(|| SeriesForm::of(s));
    let message = match done {
        "added" => Some("The recurring task has been added, with its first task."),
        "changed" => {
            Some("The recurring task has been saved. The tasks already made are as they were.")
        }
        "ended" => Some("The recurring task has ended. The tasks it made stay as they are."),
        _ => None,
    };
    render(
        status,
        page(
            ctx,
            &format!("{}: {}", s.title, c.title),
            Some(errors),
            html! {
                @if let Some(m) = message { (notice(m)) }
                (back_link(&format!("/collaborations/{}/recurring", c.id), "Back to the recurring tasks"))
                span.caption { (c.title) }
                h1 { (s.title) " " (running_tag(s)) }
                @if let Some(m) = conflict {
                    div.error-summary role="alert" aria-labelledby="stale-title" tabindex="-1" {
                        h2 #stale-title { "Someone else changed this recurring task" }
                        p { (m) }
                        @if s.ended_at.is_none() { p { "Your changes are still in the form below: save again to replace theirs with yours." } }
                    }
                }
                p #series-state { (state_words(s)) }
                dl.summary-list {
                    div { dt { "How often" } dd { (rule(s)) } }
                    div { dt { "Owner" } dd { (s.owner_name) } }
                    div { dt { "Assignee" } dd { @if s.assignee_name.is_empty() { "Nobody yet" } @else { (s.assignee_name) } } }
                    div { dt { "Workstream" } dd { @if s.workstream_name.is_empty() { "None" } @else { (s.workstream_name) } } }
                    div { dt { "Aim it serves" } dd { @if s.aim_title.is_empty() { "None" } @else { (s.aim_title) } } }
                    @if !s.description.is_empty() { div { dt { "Description" } dd { div.markdown { (PreEscaped(to_html(&s.description))) } } } }
                    div { dt { "Last changed by" } dd { (s.updated_by_name) } }
                }
                h2 #tasks { "Tasks it made" }
                @if d.tasks.is_empty() {
                    p { "None left: the tasks it made have been deleted." }
                } @else {
                    p { (s.tasks_made) " " @if s.tasks_made == 1 { "task" } @else { "tasks" }
                        @if s.tasks_made > d.tasks.len() as i64 { "; the newest " (d.tasks.len()) " are shown." } @else { "." } }
                    (table_scroll("made-caption", html! {
                        table.table {
                            caption #made-caption { "Tasks made by this series, newest first" }
                            thead { tr {
                                th scope="col" { "Due" }
                                th scope="col" { "Task" }
                                th scope="col" { "Assignee" }
                                th scope="col" { "Status" }
                            } }
                            tbody {
                                @for t in &d.tasks {
                                    tr {
                                        td { (t.due_on.as_deref().unwrap_or("No date")) }
                                        td { a href={ "/tasks/" (t.id) } { (t.title) } }
                                        td { @if t.assignee_name.is_empty() { "Nobody yet" } @else { (t.assignee_name) } }
                                        td { (status_tag(t.status)) (overdue_tag(t, &d.today)) }
                                    }
                                }
                            }
                        }
                    }))
                }
                @if d.can_contribute && s.ended_at.is_none() {
                    h2 #change { "Change the recurring task" }
                    p { "The change shapes the tasks made from now on. The tasks above stay as they are." }
                    form method="post" action={ "/recurring/" (s.id) } novalidate {
                        (csrf_field(&ctx.csrf))
                        input type="hidden" name="version" value=(form.version);
                        (series_fields(&d.choices, &form, errors, true))
                        button.button type="submit" { "Save the recurring task" }
                    }
                    h2 #end { "End the recurring task" }
                    form method="post" action={ "/recurring/" (s.id) "/end" } {
                        (csrf_field(&ctx.csrf))
                        input type="hidden" name="version" value=(s.version);
                        p { "No more tasks will be made. The tasks it has made stay as they are, open or not. This cannot be undone." }
                        button.button.warning type="submit" { "End " (s.title) }
                    }
                } @else if !d.can_contribute {
                    p { "Your organisation observes this collaboration, so you can read this recurring task but not change it." }
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

pub async fn show(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(sid): P<i64>,
    Q(q): Q<DoneQuery>,
) -> Result<Response, AppError> {
    let d = actions::recurring::series_detail(&state, &viewer.actor(), sid).await?;
    Ok(series_page(
        StatusCode::OK,
        &ctx,
        &d,
        None,
        &FieldErrors::new(),
        None,
        &q.done,
    ))
}

pub async fn update(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(sid): P<i64>,
    PageForm(form): PageForm<SeriesForm>,
) -> Result<Response, AppError> {
    let actor = viewer.actor();
    match actions::recurring::update_series(&state, &actor, sid, &form.input(), &form.version).await
    {
        Ok(SeriesUpdate::Saved(_)) => {
            Ok(Redirect::to(&format!("/recurring/{sid}?done=changed")).into_response())
        }
        Ok(SeriesUpdate::Stale(_)) => {
            let d = actions::recurring::series_detail(&state, &actor, sid).await?;
            let form = SeriesForm {
                version: d.series.version.to_string(),
                ..form
            };
            let message = stale_message(&d.series);
            Ok(series_page(
                StatusCode::CONFLICT,
                &ctx,
                &d,
                Some(&form),
                &FieldErrors::new(),
                Some(&message),
                "",
            ))
        }
        Err(AppError::Invalid(errors)) => {
            let d = actions::recurring::series_detail(&state, &actor, sid).await?;
            Ok(series_page(
                form_status(&errors),
                &ctx,
                &d,
                Some(&form),
                &errors,
                None,
                "",
            ))
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct EndForm {
    version: String,
}

pub async fn end(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(sid): P<i64>,
    PageForm(form): PageForm<EndForm>,
) -> Result<Response, AppError> {
    let actor = viewer.actor();
    match actions::recurring::end_series(&state, &actor, sid, &form.version).await {
        Ok(SeriesUpdate::Saved(_)) => {
            Ok(Redirect::to(&format!("/recurring/{sid}?done=ended")).into_response())
        }
        Ok(SeriesUpdate::Stale(_)) => {
            let d = actions::recurring::series_detail(&state, &actor, sid).await?;
            let message = stale_message(&d.series);
            Ok(series_page(
                StatusCode::CONFLICT,
                &ctx,
                &d,
                None,
                &FieldErrors::new(),
                Some(&message),
                "",
            ))
        }
        Err(e) => Err(e),
    }
}

/// The line on a task's page saying which series made it.
pub(crate) fn made_by(series_id: Option<i64>) -> Markup {
    html! {
        @if let Some(sid) = series_id {
            p #made-by-series { "This task was made by a " a href={ "/recurring/" (sid) } { "recurring task" } ". Changing it here changes only this task." }
        }
    }
}
