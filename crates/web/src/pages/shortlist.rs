//! The shortlist of possible partners: a table of entries with how each
//! approach is going, a page per entry with its dated notes, and forms to
//! add (also posted to from the directory), change, remove and invite.

use super::layout::{
    Input, back_link, csrf_field, form_status, notice, page, radios, render, table_scroll, tag,
    textarea, when,
};
use crate::AppState;
use crate::actions;
use crate::actions::shortlist::ShortlistView;
use crate::auth::{PageContext, SignedIn, Viewer};
use crate::error::AppError;
use crate::extract::{P, PageForm, Q};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use commonground_domain::FieldErrors;
use commonground_domain::collaborations::ParticipantRole;
use commonground_domain::shortlist::ApproachStatus;
use commonground_store::shortlist::ShortlistEntry;
use maud::{Markup, html};
use serde::Deserialize;

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct AddForm {
    org_identifier: String,
    organisation_id: String,
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct StatusForm {
    status: String,
    note: String,
    /// "list" to come back to the shortlist rather than the entry.
    back: String,
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct InviteForm {
    role: String,
    message: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DoneQuery {
    done: String,
}

fn status_tag(status: ApproachStatus) -> Markup {
    let class = match status {
        ApproachStatus::NotContacted => "tag-not-contacted",
        ApproachStatus::Contacted | ApproachStatus::InConversation => "tag-current",
        ApproachStatus::Joined => "tag-done",
        ApproachStatus::Declined => "tag-attention",
    };
    tag(status.label(), class)
}

/// The recorded status, and "Now taking part" when the organisation has
/// joined since (through an accepted invitation, say).
fn status_cell(e: &ShortlistEntry) -> Markup {
    html! {
        (status_tag(e.status))
        @if e.taking_part && e.status != ApproachStatus::Joined {
            " " (tag("Now taking part", "tag-done"))
        }
    }
}

fn name_cell(e: &ShortlistEntry) -> Markup {
    html! {
        @match e.organisation_id {
            Some(org) => a href={ "/organisations/" (org) } { (e.name) },
            None => (e.name),
        }
    }
}

fn message(done: &str) -> Option<&'static str> {
    match done {
        "added" => Some("It has been added to the shortlist."),
        "changed" => Some("The change has been saved."),
        "removed" => Some("It has been removed from the shortlist."),
        "invited" => Some("The invitation has been sent, and the entry marked contacted."),
        _ => None,
    }
}

/// A compact form per entry in the table; ids carry the entry's id so
/// every label points at its own field.
fn row_forms(ctx: &PageContext, v: &ShortlistView, e: &ShortlistEntry) -> Markup {
    let id = v.collaboration.id;
    let base = format!("/collaborations/{id}/shortlist/{}", e.id);
    html! {
        form.inline method="post" action=(base) novalidate {
            (csrf_field(&ctx.csrf))
            input type="hidden" name="back" value="list";
            label.label for={ "status-" (e.id) } { "New status" span.visually-hidden { " for " (e.name) } }
            select.select.small id={ "status-" (e.id) } name="status" {
                @for s in ApproachStatus::ALL {
                    option value=(s.code()) selected[s == e.status] { (s.label()) }
                }
            }
            label.label for={ "note-" (e.id) } { "Note (optional)" span.visually-hidden { " for " (e.name) } }
            input.input.small type="text" id={ "note-" (e.id) } name="note" value="";
            button.button.secondary.small type="submit" { "Save" span.visually-hidden { " for " (e.name) } }
        }
        @if v.can_invite && e.organisation_id.is_some() && !e.taking_part {
            form.inline method="post" action={ (base) "/invite" } {
                (csrf_field(&ctx.csrf))
                input type="hidden" name="role" value="partner";
                button.button.small type="submit" { "Invite to join" span.visually-hidden { " " (e.name) } }
            }
        }
        form.inline method="post" action={ (base) "/remove" } {
            (csrf_field(&ctx.csrf))
            button.button.warning.small type="submit" { "Remove" span.visually-hidden { " " (e.name) } }
        }
    }
}

fn entries_table(ctx: &PageContext, v: &ShortlistView) -> Markup {
    let id = v.collaboration.id;
    html! {
        @if v.entries.is_empty() {
            p.muted { "Nobody is on the shortlist yet. Find possible partners in the directory, or add one by its org-id below." }
        } @else {
            (table_scroll("shortlist-caption", html! {
                table.table {
                    caption id="shortlist-caption" { "Organisations on the shortlist, newest first" }
                    thead { tr {
                        th scope="col" { "Organisation" }
                        th scope="col" { "Org-id" }
                        th scope="col" { "Status" }
                        th scope="col" { "Latest note" }
                        th scope="col" { "Updated" }
                        @if v.can_contribute { th scope="col" { span.visually-hidden { "Actions" } } }
                    } }
                    tbody {
                        @for e in &v.entries {
                            tr {
                                th scope="row" {
                                    (name_cell(e))
                                    br;
                                    a.small href={ "/collaborations/" (id) "/shortlist/" (e.id) } { "History" span.visually-hidden { " of " (e.name) } }
                                }
                                td { (e.org_identifier.as_deref().unwrap_or("No number")) }
                                td { (status_cell(e)) }
                                td { @if let Some(n) = e.notes.first() { (n.note) } }
                                td { (when(e.updated_at)) }
                                @if v.can_contribute { td.actions { (row_forms(ctx, v, e)) } }
                            }
                        }
                    }
                }
            }))
        }
    }
}

pub async fn index(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
    Q(q): Q<DoneQuery>,
) -> Result<Response, AppError> {
    list_page(
        &state,
        &viewer,
        &ctx,
        id,
        &AddForm::default(),
        &FieldErrors::new(),
        &q.done,
        StatusCode::OK,
    )
    .await
}

#[allow(clippy::too_many_arguments)]
async fn list_page(
    state: &AppState,
    viewer: &Viewer,
    ctx: &PageContext,
    id: i64,
    form: &AddForm,
    errors: &FieldErrors,
    done: &str,
    status: StatusCode,
) -> Result<Response, AppError> {
    let v = actions::shortlist::shortlist(state, &viewer.actor(), id).await?;
    let c = &v.collaboration;
    Ok(render(
        status,
        page(
            ctx,
            &format!("Shortlist: {}", c.title),
            Some(errors),
            html! {
                @if let Some(m) = message(done) { (notice(m)) }
                (back_link(&format!("/collaborations/{id}/identify"), "Back to the Identify stage"))
                span.caption { (c.title) }
                h1 { "Shortlist of possible partners" }
                p.lead { "Organisations you might work with, and how each approach is going: not contacted, contacted, in conversation, joined or declined." }
                (entries_table(ctx, &v))
                @if v.can_contribute {
                    h2 #add { "Add an organisation by its org-id" }
                    p { "Or find it in the directory and choose \u{201c}Add to shortlist\u{201d} there." }
                    form method="post" action={ "/collaborations/" (id) "/shortlist" } novalidate {
                        (csrf_field(&ctx.csrf))
                        @if !form.organisation_id.trim().is_empty() {
                            input type="hidden" name="organisation_id" value=(form.organisation_id);
                            @if let Some(e) = errors.get("organisation_id") {
                                p.error-message id="organisation_id-error" { span.visually-hidden { "Error: " } (e) }
                            }
                        }
                        (Input::text("org_identifier", "Org-id", &form.org_identifier)
                            .hint("GB-CHC- and the charity number, like GB-CHC-1234567, or GB-COH- and the company number.")
                            .render(errors))
                        button.button type="submit" { "Add to shortlist" }
                    }
                } @else {
                    p { "Your organisation observes this collaboration, so you can read the shortlist but not change it." }
                }
            },
        ),
    ))
}

/// Adds an organisation: from this page's form, or from the directory
/// (hidden `org_identifier` or `organisation_id`).
pub async fn create(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
    PageForm(form): PageForm<AddForm>,
) -> Result<Response, AppError> {
    match actions::shortlist::add_to_shortlist(
        &state,
        &viewer.actor(),
        id,
        &form.org_identifier,
        &form.organisation_id,
    )
    .await
    {
        Ok(_) => {
            Ok(Redirect::to(&format!("/collaborations/{id}/shortlist?done=added")).into_response())
        }
        Err(AppError::Invalid(errors)) => {
            let status = form_status(&errors);
            list_page(&state, &viewer, &ctx, id, &form, &errors, "", status).await
        }
        // Already there, or already taking part: show the shortlist with why.
        Err(AppError::Conflict(reason)) => {
            let errors = FieldErrors::single("org_identifier", reason);
            list_page(
                &state,
                &viewer,
                &ctx,
                id,
                &form,
                &errors,
                "",
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(e) => Err(e),
    }
}

#[allow(clippy::too_many_arguments)]
fn entry_page(
    ctx: &PageContext,
    v: &ShortlistView,
    e: &ShortlistEntry,
    form: &StatusForm,
    invite: &InviteForm,
    errors: &FieldErrors,
    done: &str,
    status: StatusCode,
) -> Response {
    let id = v.collaboration.id;
    let base = format!("/collaborations/{id}/shortlist/{}", e.id);
    let selected = if form.status.is_empty() {
        e.status.code()
    } else {
        form.status.as_str()
    };
    let statuses: Vec<(&str, &str, Option<&str>)> = ApproachStatus::ALL
        .iter()
        .map(|s| (s.code(), s.label(), Some(s.hint())))
        .collect();
    let roles: Vec<(&str, &str, Option<&str>)> = ParticipantRole::ALL
        .iter()
        .map(|r| (r.code(), r.label(), Some(r.hint())))
        .collect();
    let role = if invite.role.is_empty() {
        "partner"
    } else {
        invite.role.as_str()
    };
    render(
        status,
        page(
            ctx,
            &format!("{} on the shortlist", e.name),
            Some(errors),
            html! {
                @if let Some(m) = message(done) { (notice(m)) }
                (back_link(&format!("/collaborations/{id}/shortlist"), "Back to the shortlist"))
                span.caption { (v.collaboration.title) }
                h1 { (e.name) }
                dl.summary-list {
                    div { dt { "Org-id" } dd { (e.org_identifier.as_deref().unwrap_or("None")) } }
                    div { dt { "On Common Ground" } dd {
                        @match e.organisation_id {
                            Some(org) => a href={ "/organisations/" (org) } { "Yes: see its profile" },
                            None => "No: from the Charity Commission register",
                        }
                    } }
                    div { dt { "Status" } dd { (status_cell(e)) } }
                    div { dt { "Added" } dd { (when(e.added_at)) } }
                }
                h2 { "History" }
                (table_scroll("notes-caption", html! {
                    table.table {
                        caption id="notes-caption" { "Notes on the approach, newest first" }
                        thead { tr {
                            th scope="col" { "Date" }
                            th scope="col" { "Status" }
                            th scope="col" { "Note" }
                            th scope="col" { "Written by" }
                        } }
                        tbody {
                            @for n in &e.notes {
                                tr {
                                    td { (when(n.written_at)) }
                                    td { (status_tag(n.status)) }
                                    td { (n.note) }
                                    td { (n.written_by_name) }
                                }
                            }
                        }
                    }
                }))
                @if v.can_contribute {
                    h2 { "Record how it is going" }
                    form method="post" action=(base) novalidate {
                        (csrf_field(&ctx.csrf))
                        (radios("status", "Status", None, &statuses, selected, errors))
                        (textarea("note", "Note (optional)", Some("What happened, who you spoke to, what comes next. Notes are kept with the date and cannot be changed later."), &form.note, 3, errors))
                        button.button type="submit" { "Save" }
                    }
                }
                @if v.can_invite && e.organisation_id.is_some() && !e.taking_part {
                    h2 { "Invite to join" }
                    p { "Send " (e.name) " an invitation to take part. Their admins can accept or decline it; the entry is marked contacted." }
                    form method="post" action={ (base) "/invite" } novalidate {
                        (csrf_field(&ctx.csrf))
                        (radios("role", "Their role", None, &roles, role, errors))
                        (textarea("message", "Message (optional)", Some("Why you would like them to join. Their admins will read this."), &invite.message, 4, errors))
                        button.button type="submit" { "Send invitation" }
                    }
                }
                @if v.can_contribute {
                    h2 { "Remove from the shortlist" }
                    form method="post" action={ (base) "/remove" } {
                        (csrf_field(&ctx.csrf))
                        p { "This removes the entry and its notes." }
                        button.button.warning type="submit" { "Remove " (e.name) }
                    }
                }
            },
        ),
    )
}

pub async fn show(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P((id, entry_id)): P<(i64, i64)>,
    Q(q): Q<DoneQuery>,
) -> Result<Response, AppError> {
    let (v, e) = actions::shortlist::shortlist_entry(&state, &viewer.actor(), id, entry_id).await?;
    Ok(entry_page(
        &ctx,
        &v,
        &e,
        &StatusForm::default(),
        &InviteForm::default(),
        &FieldErrors::new(),
        &q.done,
        StatusCode::OK,
    ))
}

pub async fn change(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P((id, entry_id)): P<(i64, i64)>,
    PageForm(form): PageForm<StatusForm>,
) -> Result<Response, AppError> {
    let actor = viewer.actor();
    match actions::shortlist::change_shortlist_status(
        &state,
        &actor,
        id,
        entry_id,
        &form.status,
        &form.note,
    )
    .await
    {
        Ok(_) if form.back == "list" => Ok(Redirect::to(&format!(
            "/collaborations/{id}/shortlist?done=changed"
        ))
        .into_response()),
        Ok(_) => Ok(Redirect::to(&format!(
            "/collaborations/{id}/shortlist/{entry_id}?done=changed"
        ))
        .into_response()),
        Err(AppError::Invalid(errors)) => {
            let (v, e) = actions::shortlist::shortlist_entry(&state, &actor, id, entry_id).await?;
            Ok(entry_page(
                &ctx,
                &v,
                &e,
                &form,
                &InviteForm::default(),
                &errors,
                "",
                form_status(&errors),
            ))
        }
        Err(e) => Err(e),
    }
}

pub async fn remove(
    State(state): State<AppState>,
    SignedIn(viewer, _): SignedIn,
    P((id, entry_id)): P<(i64, i64)>,
) -> Result<Response, AppError> {
    actions::shortlist::remove_from_shortlist(&state, &viewer.actor(), id, entry_id).await?;
    Ok(Redirect::to(&format!("/collaborations/{id}/shortlist?done=removed")).into_response())
}

pub async fn invite(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P((id, entry_id)): P<(i64, i64)>,
    PageForm(form): PageForm<InviteForm>,
) -> Result<Response, AppError> {
    let actor = viewer.actor();
    match actions::shortlist::invite_from_shortlist(
        &state,
        &actor,
        id,
        entry_id,
        &form.role,
        &form.message,
    )
    .await
    {
        Ok(_) => Ok(Redirect::to(&format!(
            "/collaborations/{id}/shortlist/{entry_id}?done=invited"
        ))
        .into_response()),
        Err(AppError::Invalid(errors)) => {
            let (v, e) = actions::shortlist::shortlist_entry(&state, &actor, id, entry_id).await?;
            Ok(entry_page(
                &ctx,
                &v,
                &e,
                &StatusForm::default(),
                &form,
                &errors,
                "",
                form_status(&errors),
            ))
        }
        Err(e) => Err(e),
    }
}
