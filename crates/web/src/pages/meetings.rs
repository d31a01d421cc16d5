//! Meetings: the list (upcoming first, then past, newest first) with a
//! form to add one; a meeting's page with its agenda, minutes, decisions,
//! who came (a form to record it) and its actions (a form that turns an
//! action into a task of the action plan); a form to change a meeting;
//! and its calendar invitation.

use super::layout::{
    CSRF_SLOT, Input, back_link, csrf_field, fill_csrf, form_status, notice, page, render, select,
    table_scroll, tag, textarea,
};
use crate::AppState;
use crate::actions;
use crate::actions::meetings::{
    ActionInput, AttendanceInput, MeetingDetail, MeetingUpdate, stale_message,
};
use crate::auth::{Actor, PageContext, SignedIn};
use crate::cache::KeptPage;
use crate::error::AppError;
use crate::extract::{P, PageForm, Q};
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use commonground_domain::FieldErrors;
use commonground_domain::meetings::{Attendance, MeetingInput};
use commonground_domain::policy::CollabAction;
use commonground_report::markdown::to_html;
use commonground_store::meetings::Meeting;
use maud::{Markup, PreEscaped, html};
use serde::Deserialize;

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct MeetingForm {
    title: String,
    held_on: String,
    starts_at: String,
    duration_minutes: String,
    place: String,
    body_id: String,
    agenda: String,
    minutes: String,
    decisions: String,
    version: String,
}

impl MeetingForm {
    fn input(&self) -> MeetingInput<'_> {
        MeetingInput {
            title: &self.title,
            held_on: &self.held_on,
            starts_at: &self.starts_at,
            duration_minutes: &self.duration_minutes,
            place: &self.place,
            body_id: &self.body_id,
            agenda: &self.agenda,
            minutes: &self.minutes,
            decisions: &self.decisions,
        }
    }

    fn from_meeting(m: &Meeting) -> Self {
        MeetingForm {
            title: m.title.clone(),
            held_on: m.held_on.clone(),
            starts_at: m.starts_at.clone(),
            duration_minutes: m.duration_minutes.to_string(),
            place: m.place.clone(),
            body_id: m.body_id.map(|b| b.to_string()).unwrap_or_default(),
            agenda: m.agenda.join("\n"),
            minutes: m.minutes.clone(),
            decisions: m.decisions.join("\n"),
            version: m.version.to_string(),
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    done: String,
    page: String,
}

fn fields(
    form: &MeetingForm,
    bodies: &[(i64, String)],
    errors: &FieldErrors,
    with_minutes: bool,
) -> Markup {
    let mut choices = vec![(String::new(), "The whole collaboration".to_string())];
    choices.extend(bodies.iter().map(|(id, n)| (id.to_string(), n.clone())));
    html! {
        (Input::text("title", "Title", &form.title).hint("For example: Steering group, January").render(errors))
        (select("body_id", "Which group meets", None, &choices, &form.body_id, errors))
        (Input::text("held_on", "Date", &form.held_on).hint("Year, month and day, like 2027-01-14.").width("input-10").render(errors))
        (Input::text("starts_at", "Start time", &form.starts_at).hint("On the 24-hour clock, like 14:00.").width("input-5").render(errors))
        (Input::text("duration_minutes", "Length in minutes", &form.duration_minutes).hint("For example 90 for an hour and a half.").width("input-5").render(errors))
        (Input::text("place", "Place or link to join", &form.place).render(errors))
        (textarea("agenda", "Agenda", Some("One item a line, in order."), &form.agenda, 5, errors))
        @if with_minutes {
            (textarea("minutes", "Minutes", Some("What was discussed. You can use Markdown: **bold**, lists starting with -, and links."), &form.minutes, 10, errors))
            (textarea("decisions", "Decisions taken", Some("One decision a line."), &form.decisions, 4, errors))
        }
    }
}

fn when(m_date: &str, start: &str, minutes: i64) -> String {
    format!("{m_date}, {start}, {minutes} minutes")
}

pub async fn index(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
    Q(q): Q<ListQuery>,
) -> Result<Response, AppError> {
    let page_no = q.page.trim().parse().unwrap_or(1);
    list_page(
        &state,
        &viewer.actor(),
        &ctx,
        id,
        page_no,
        &MeetingForm {
            duration_minutes: "60".into(),
            ..MeetingForm::default()
        },
        &FieldErrors::new(),
        &q.done,
    )
    .await
}

#[allow(clippy::too_many_arguments)]
async fn list_page(
    state: &AppState,
    actor: &Actor,
    ctx: &PageContext,
    id: i64,
    page_no: i64,
    form: &MeetingForm,
    errors: &FieldErrors,
    done: &str,
) -> Result<Response, AppError> {
    let v = actions::meetings::meetings(state, actor, id, page_no).await?;
    let c = &v.collaboration;
    let message = match done {
        "removed" => Some("The meeting has been removed."),
        _ => None,
    };
    Ok(render(
        form_status(errors),
        page(
            ctx,
            &format!("Meetings: {}", c.title),
            Some(errors),
            html! {
                @if let Some(m) = message { (notice(m)) }
                (back_link(&format!("/collaborations/{id}/implement"), "Back to the Implement stage"))
                span.caption { (c.title) }
                h1 { "Meetings" }
                p.lead { "When the partners meet: the agenda, who came, the minutes, the decisions taken and the actions agreed." }
                @if v.meetings.is_empty() {
                    p.muted { "No meetings yet." }
                } @else {
                    (table_scroll("meetings-caption", html! {
                        table.table {
                            caption #meetings-caption { "Meetings, upcoming first (" (v.total) " in all)" }
                            thead { tr { th scope="col" { "Meeting" } th scope="col" { "When" } th scope="col" { "Where" } th scope="col" { "Present" } th scope="col" { "Actions" } } }
                            tbody {
                                @for m in &v.meetings {
                                    tr {
                                        td {
                                            a href={ "/meetings/" (m.id) } { (m.title) }
                                            @if let Some(b) = &m.body_name { br; span.muted { (b) } }
                                            @if m.held_on >= v.today { " " (tag("Upcoming", "tag-info")) }
                                            @else if !m.has_minutes { " " (tag("No minutes yet", "tag-attention")) }
                                        }
                                        td { (when(&m.held_on, &m.starts_at, m.duration_minutes)) }
                                        td { (m.place) }
                                        td { (m.present) }
                                        td { (m.actions) }
                                    }
                                }
                            }
                        }
                    }))
                    @if v.pages() > 1 {
                        nav aria-label="Pages of meetings" {
                            p {
                                "Page " (v.page) " of " (v.pages()) ". "
                                @if v.page > 1 { a href={ "/collaborations/" (id) "/meetings?page=" (v.page - 1) } { "Previous page" } " " }
                                @if v.page < v.pages() { a href={ "/collaborations/" (id) "/meetings?page=" (v.page + 1) } { "Next page" } }
                            }
                        }
                    }
                }
                @if v.can_contribute {
                    h2 #add { "Add a meeting" }
                    p { "You can record who came, the minutes, decisions and actions on the meeting's page once it is added." }
                    form method="post" action={ "/collaborations/" (id) "/meetings" } novalidate {
                        (csrf_field(&ctx.csrf))
                        (fields(form, &v.bodies, errors, false))
                        button.button type="submit" { "Add the meeting" }
                    }
                } @else {
                    p { "Your organisation observes this collaboration, so you can read these but not add to them." }
                }
            },
        ),
    ))
}

pub async fn create(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
    PageForm(form): PageForm<MeetingForm>,
) -> Result<Response, AppError> {
    let actor = viewer.actor();
    match actions::meetings::add_meeting(&state, &actor, id, &form.input()).await {
        Ok(m) => Ok(Redirect::to(&format!("/meetings/{}?done=added", m.id)).into_response()),
        Err(AppError::Invalid(errors)) => {
            list_page(&state, &actor, &ctx, id, 1, &form, &errors, "").await
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct ActionForm {
    title: String,
    owner_organisation_id: String,
    assignee_id: String,
    due_on: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DoneQuery {
    done: String,
}

pub async fn show(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(mid): P<i64>,
    Q(q): Q<DoneQuery>,
) -> Result<Response, AppError> {
    let kept = actions::meetings::meeting_kept(&state, &viewer.actor(), mid, |d| KeptPage {
        title: meeting_title(&d.meeting),
        main: meeting_main(
            CSRF_SLOT,
            d,
            &ActionForm::default(),
            &FieldErrors::new(),
            None,
        )
        .into_string()
        .into_bytes(),
    })
    .await?;
    let main = html! {
        @if let Some(msg) = done_message(&q.done) { (notice(msg)) }
        (fill_csrf(&kept.main, &ctx.csrf))
    };
    Ok(render(
        StatusCode::OK,
        page(&ctx, &kept.title, Some(&FieldErrors::new()), main),
    ))
}

fn attendance_form(csrf: &str, d: &MeetingDetail, guests: &str, errors: &FieldErrors) -> Markup {
    let m = &d.meeting;
    let statuses: std::collections::HashMap<(i64, i64), &str> = m
        .attendance
        .iter()
        .filter_map(|a| Some(((a.user_id?, a.organisation_id?), a.status.code())))
        .collect();
    html! {
        form method="post" action={ "/meetings/" (m.id) "/attendance" } novalidate {
            (csrf_field(csrf))
            input type="hidden" name="version" value=(m.version);
            @if let Some(e) = errors.get("people") { p.error-message id="people" { span.visually-hidden { "Error: " } (e) } }
            (table_scroll("attendance-caption", html! {
                table.table {
                    caption #attendance-caption { "Who came, by person and organisation" }
                    thead { tr { th scope="col" { "Person" } th scope="col" { "Organisation" } th scope="col" { "Attendance" } } }
                    tbody {
                        @for p in &d.people {
                            @let name = format!("att_{}_{}", p.user_id, p.organisation_id);
                            @let current = statuses.get(&(p.user_id, p.organisation_id)).copied().unwrap_or("");
                            tr {
                                td { (p.name) }
                                td { (p.organisation_name) }
                                td {
                                    label.visually-hidden for=(name) { "Attendance of " (p.name) " for " (p.organisation_name) }
                                    select.select id=(name) name=(name) {
                                        option value="" selected[current.is_empty()] { "Not recorded" }
                                        @for a in Attendance::ALL {
                                            option value=(a.code()) selected[current == a.code()] { (a.label()) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }))
            (textarea("guests", "Guests who came", Some("One name a line, for people who are not members of the organisations taking part."), guests, 3, errors))
            button.button type="submit" { "Save who came" }
        }
    }
}

fn meeting_title(m: &Meeting) -> String {
    format!("{}: {}", m.title, m.held_on)
}

fn done_message(done: &str) -> Option<&'static str> {
    match done {
        "added" => {
            Some("The meeting has been added. Now you can record who came and what was agreed.")
        }
        "changed" => Some("The change has been saved."),
        "attendance" => Some("Who came has been saved."),
        "action" => Some("The action has been added to the action plan as a task."),
        _ => None,
    }
}

fn meeting_page(
    status: StatusCode,
    ctx: &PageContext,
    d: &MeetingDetail,
    action: &ActionForm,
    errors: &FieldErrors,
    attendance_errors: Option<(&str, &FieldErrors)>,
    done: &str,
) -> Response {
    let all_errors = attendance_errors.map(|(_, e)| e).unwrap_or(errors);
    let main = html! {
        @if let Some(msg) = done_message(done) { (notice(msg)) }
        (meeting_main(&ctx.csrf, d, action, errors, attendance_errors))
    };
    render(
        status,
        page(ctx, &meeting_title(&d.meeting), Some(all_errors), main),
    )
}

/// Everything inside the meeting page's frame but the notice of what was
/// just done; `csrf` is the form token (or [`CSRF_SLOT`] to keep it).
fn meeting_main(
    csrf: &str,
    d: &MeetingDetail,
    action: &ActionForm,
    errors: &FieldErrors,
    attendance_errors: Option<(&str, &FieldErrors)>,
) -> Markup {
    let m = &d.meeting;
    let c = &d.collaboration;
    let mut owners = vec![(String::new(), "Choose an organisation".to_string())];
    owners.extend(
        d.participants
            .iter()
            .map(|p| (p.organisation_id.to_string(), p.name.clone())),
    );
    let mut people = vec![(String::new(), "Nobody yet".to_string())];
    people.extend(d.people.iter().map(|p| {
        (
            p.user_id.to_string(),
            format!("{} ({})", p.name, p.organisation_name),
        )
    }));
    html! {
        (back_link(&format!("/collaborations/{}/meetings", c.id), "Back to meetings"))
        span.caption { (c.title) }
        h1 { (m.title) }
        dl.summary-list {
            div { dt { "When" } dd { (when(&m.held_on, &m.starts_at, m.duration_minutes)) } }
            div { dt { "Where" } dd { (m.place) } }
            div { dt { "Group" } dd { (m.body_name.as_deref().unwrap_or("The whole collaboration")) } }
        }
        p {
            a href={ "/meetings/" (m.id) "/invite.ics" } { "Download a calendar invitation for this meeting" }
            @if d.can_contribute {
                " \u{00b7} " a href={ "/meetings/" (m.id) "/edit" } { "Change the meeting, agenda, minutes or decisions" }
                " \u{00b7} " a href={ "/meetings/" (m.id) "/remove" } { "Remove this meeting" }
            }
        }
        h2 { "Agenda" }
        @if m.agenda.is_empty() { p.muted { "No agenda yet." } }
        @else { ol { @for item in &m.agenda { li { (item) } } } }
        h2 { "Minutes" }
        @if m.minutes.is_empty() { p.muted { "No minutes yet." } }
        @else { div.markdown { (PreEscaped(to_html(&m.minutes))) } }
        h2 { "Decisions taken" }
        @if m.decisions.is_empty() { p.muted { "No decisions recorded." } }
        @else { ul { @for item in &m.decisions { li { (item) } } } }
        h2 #attendance { "Who came" }
        @if d.can_contribute {
            (attendance_form(csrf, d, attendance_errors.map(|(g, _)| g.to_string()).unwrap_or_else(|| d.guests()).as_str(), attendance_errors.map(|(_, e)| e).unwrap_or(&FieldErrors::new())))
        } @else {
            @if m.attendance.is_empty() { p.muted { "Nobody recorded yet." } }
            @else {
                ul { @for a in &m.attendance {
                    li { (a.name) @if let Some(o) = &a.organisation_name { " (" (o) ")" } @else { " (guest)" } ": " (a.status.label()) }
                } }
            }
        }
        h2 #actions { "Actions" }
        @if m.actions.is_empty() { p.muted { "No actions yet." } }
        @else {
            ul {
                @for a in &m.actions {
                    li {
                        a href={ "/tasks/" (a.task_id) } { (a.title) } " \u{2013} " (a.owner_name)
                        @if !a.assignee_name.is_empty() { ", " (a.assignee_name) }
                        @if let Some(due) = &a.due_on { ", due " (due) }
                        " " (tag(a.status.label(), "tag-info"))
                    }
                }
            }
        }
        @if d.can_contribute {
            h3 { "Add an action to the action plan" }
            form method="post" action={ "/meetings/" (m.id) "/actions" } novalidate {
                (csrf_field(csrf))
                (Input::text("title", "What needs doing", &action.title).render(errors))
                (select("owner_organisation_id", "Organisation that owns it", None, &owners, &action.owner_organisation_id, errors))
                (select("assignee_id", "Person doing it", Some("A member of the organisation that owns it."), &people, &action.assignee_id, errors))
                (Input::text("due_on", "Due date (optional)", &action.due_on).hint("Year, month and day, like 2027-02-28.").width("input-10").render(errors))
                button.button type="submit" { "Add the action as a task" }
            }
        } @else {
            p { "Your organisation observes this collaboration, so you can read this meeting but not change it." }
        }
    }
}

pub async fn attendance(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(mid): P<i64>,
    PageForm(pairs): PageForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let actor = viewer.actor();
    let mut input = AttendanceInput::default();
    let mut version = None;
    for (k, v) in pairs {
        if k == "version" {
            version = v.trim().parse().ok();
        } else if k == "guests" {
            input.guests = v;
        } else if let Some(rest) = k.strip_prefix("att_") {
            let mut parts = rest.splitn(2, '_');
            let user = parts.next().and_then(|u| u.parse().ok()).unwrap_or(0);
            let org = parts.next().and_then(|o| o.parse().ok()).unwrap_or(0);
            input.people.push((user, org, v));
        }
    }
    match actions::meetings::set_attendance(&state, &actor, mid, version, &input).await {
        Ok(MeetingUpdate::Saved(_)) => Ok(Redirect::to(&format!(
            "/meetings/{mid}?done=attendance#attendance"
        ))
        .into_response()),
        Ok(MeetingUpdate::Stale(current)) => {
            let d = actions::meetings::meeting(&state, &actor, mid).await?;
            let errors = FieldErrors::single("people", stale_message(&current));
            Ok(meeting_page(
                StatusCode::CONFLICT,
                &ctx,
                &d,
                &ActionForm::default(),
                &FieldErrors::new(),
                Some((&input.guests, &errors)),
                "",
            ))
        }
        Err(AppError::Invalid(errors)) => {
            let d = actions::meetings::meeting(&state, &actor, mid).await?;
            Ok(meeting_page(
                StatusCode::UNPROCESSABLE_ENTITY,
                &ctx,
                &d,
                &ActionForm::default(),
                &FieldErrors::new(),
                Some((&input.guests, &errors)),
                "",
            ))
        }
        Err(e) => Err(e),
    }
}

pub async fn add_action(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(mid): P<i64>,
    PageForm(form): PageForm<ActionForm>,
) -> Result<Response, AppError> {
    let actor = viewer.actor();
    let input = ActionInput {
        title: &form.title,
        owner_organisation_id: &form.owner_organisation_id,
        assignee_id: &form.assignee_id,
        due_on: &form.due_on,
    };
    match actions::meetings::add_action(&state, &actor, mid, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/meetings/{mid}?done=action#actions")).into_response()),
        Err(AppError::Invalid(errors)) => {
            let d = actions::meetings::meeting(&state, &actor, mid).await?;
            Ok(meeting_page(
                StatusCode::UNPROCESSABLE_ENTITY,
                &ctx,
                &d,
                &form,
                &errors,
                None,
                "",
            ))
        }
        Err(e) => Err(e),
    }
}

fn edit_page(
    status: StatusCode,
    ctx: &PageContext,
    d: &MeetingDetail,
    form: &MeetingForm,
    errors: &FieldErrors,
    current: Option<&Meeting>,
) -> Response {
    let m = &d.meeting;
    render(
        status,
        page(
            ctx,
            "Change a meeting",
            Some(errors),
            html! {
                (back_link(&format!("/meetings/{}", m.id), "Back to the meeting"))
                span.caption { (d.collaboration.title) }
                h1 { "Change a meeting" }
                @if let Some(now) = current {
                    div.error-summary role="alert" aria-labelledby="stale-title" tabindex="-1" {
                        h2 #stale-title { "Someone else changed this meeting" }
                        p { (stale_message(now)) }
                        p { "Your changes are still in the form below: save again to replace theirs with yours." }
                    }
                }
                form method="post" action={ "/meetings/" (m.id) "/edit" } novalidate {
                    (csrf_field(&ctx.csrf))
                    input type="hidden" name="version" value=(form.version);
                    (fields(form, &d.bodies, errors, true))
                    button.button type="submit" { "Save" }
                }
            },
        ),
    )
}

pub async fn edit_form(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(mid): P<i64>,
) -> Result<Response, AppError> {
    let d = actions::meetings::meeting(&state, &viewer.actor(), mid).await?;
    if !d.can_contribute {
        return Err(actions::collaborations::refusal(CollabAction::Contribute));
    }
    let form = MeetingForm::from_meeting(&d.meeting);
    Ok(edit_page(
        StatusCode::OK,
        &ctx,
        &d,
        &form,
        &FieldErrors::new(),
        None,
    ))
}

pub async fn update(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(mid): P<i64>,
    PageForm(form): PageForm<MeetingForm>,
) -> Result<Response, AppError> {
    let actor = viewer.actor();
    let version = form.version.trim().parse().ok();
    match actions::meetings::update_meeting(&state, &actor, mid, version, &form.input()).await {
        Ok(MeetingUpdate::Saved(_)) => {
            Ok(Redirect::to(&format!("/meetings/{mid}?done=changed")).into_response())
        }
        Ok(MeetingUpdate::Stale(current)) => {
            let d = actions::meetings::meeting(&state, &actor, mid).await?;
            let form = MeetingForm {
                version: current.version.to_string(),
                ..form
            };
            Ok(edit_page(
                StatusCode::CONFLICT,
                &ctx,
                &d,
                &form,
                &FieldErrors::new(),
                Some(&current),
            ))
        }
        Err(AppError::Invalid(errors)) => {
            let d = actions::meetings::meeting(&state, &actor, mid).await?;
            Ok(edit_page(
                StatusCode::UNPROCESSABLE_ENTITY,
                &ctx,
                &d,
                &form,
                &errors,
                None,
            ))
        }
        Err(e) => Err(e),
    }
}

pub async fn invite(
    State(state): State<AppState>,
    SignedIn(viewer, _): SignedIn,
    P(mid): P<i64>,
) -> Result<Response, AppError> {
    let (name, ics) = actions::meetings::invitation(&state, &viewer.actor(), mid).await?;
    Ok(ics_response(&name, ics))
}

/// An iCalendar download.
pub fn ics_response(name: &str, ics: String) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                "text/calendar; charset=utf-8".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        ics,
    )
        .into_response()
}

/// Asks before removing a meeting: its tasks stay in the action plan.
pub async fn remove_confirm(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(mid): P<i64>,
) -> Result<Response, AppError> {
    let d = actions::meetings::meeting(&state, &viewer.actor(), mid).await?;
    if !d.can_contribute {
        return Err(actions::collaborations::refusal(CollabAction::Contribute));
    }
    let (c, m) = (&d.collaboration, &d.meeting);
    Ok(render(
        StatusCode::OK,
        page(
            &ctx,
            &format!("Remove the meeting {}?", m.title),
            None,
            html! {
                (back_link(&format!("/meetings/{mid}"), "Back to the meeting"))
                span.caption { (c.title) }
                h1 { "Remove the meeting \u{201c}" (m.title) "\u{201d} on " (m.held_on) "?" }
                p { "Its agenda, minutes, decisions and who came will be gone. Tasks made from its actions stay in the action plan." }
                form method="post" action={ "/meetings/" (mid) "/remove" } {
                    (csrf_field(&ctx.csrf))
                    button.button.warning type="submit" { "Remove the meeting" }
                }
                p { a href={ "/meetings/" (mid) } { "No, keep it" } }
            },
        ),
    ))
}

pub async fn remove(
    State(state): State<AppState>,
    SignedIn(viewer, _): SignedIn,
    P(mid): P<i64>,
) -> Result<Response, AppError> {
    let id = actions::meetings::delete_meeting(&state, &viewer.actor(), mid).await?;
    Ok(Redirect::to(&format!("/collaborations/{id}/meetings?done=removed")).into_response())
}
