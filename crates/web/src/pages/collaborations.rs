//! Collaboration pages: the list, opening one, its overview with the four
//! stages, inviting organisations, answering invitations, and activity.

use super::home::{collaborations_table, stage_tag};
use super::layout::{
    Input, back_link, csrf_field, form_status, notice, ok, page, paragraphs, radios, render,
    select, table_scroll, tag, textarea, when,
};
use super::organisations::{BeforeQuery, audit_table};
use crate::AppState;
use crate::actions;
use crate::auth::{PageContext, SignedIn};
use crate::error::AppError;
use crate::extract::{P, PageForm, Q};
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use commonground_domain::FieldErrors;
use commonground_domain::collaborations::{InvitationStatus, ParticipantRole};
use commonground_domain::stage::Stage;
use maud::html;
use serde::Deserialize;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PageQuery {
    page: Option<i64>,
}

const PER_PAGE: i64 = 25;

pub async fn index(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    Q(q): Q<PageQuery>,
) -> Result<Response, AppError> {
    let page_no = q.page.unwrap_or(1).clamp(1, 1_000_000);
    let kept =
        actions::collaborations::my_collaborations(&state, &viewer.actor(), page_no, PER_PAGE)
            .await?;
    let (items, total) = (&kept.items, kept.total);
    let pages = ((total + PER_PAGE - 1) / PER_PAGE).max(1);
    Ok(ok(page(
        &ctx,
        "Collaborations",
        None,
        html! {
            h1 { "Collaborations" }
            p { "Every collaboration that your organisations take part in." }
            @if !ctx.organisations.is_empty() { p { a.button href="/collaborations/new" { "Open a collaboration" } } }
            @if items.is_empty() {
                p { "There are none yet." }
            } @else {
                (collaborations_table(items))
                @if pages > 1 {
                    nav.pagination aria-label="Pages" {
                        @if page_no > 1 { a href={ "/collaborations?page=" (page_no - 1) } rel="prev" { "Previous page" } }
                        span { " Page " (page_no) " of " (pages) " " }
                        @if page_no < pages { a href={ "/collaborations?page=" (page_no + 1) } rel="next" { "Next page" } }
                    }
                }
            }
        },
    )))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NewForm {
    organisation_id: String,
    title: String,
    purpose: String,
}

pub async fn new_form(SignedIn(viewer, ctx): SignedIn) -> Response {
    let form = NewForm {
        organisation_id: viewer
            .acting_organisation_id
            .map(|i| i.to_string())
            .unwrap_or_default(),
        ..Default::default()
    };
    new_page(&ctx, &form, &FieldErrors::new())
}

fn new_page(ctx: &PageContext, form: &NewForm, errors: &FieldErrors) -> Response {
    let orgs: Vec<(String, String)> = ctx
        .organisations
        .iter()
        .map(|o| (o.id.to_string(), o.name.clone()))
        .collect();
    render(
        form_status(errors),
        page(
            ctx,
            "Open a collaboration",
            Some(errors),
            html! {
                (back_link("/collaborations", "Back to collaborations"))
                h1 { "Open a collaboration" }
                @if orgs.is_empty() {
                    p { "You need to belong to an organisation first. " a href="/organisations/new" { "Add your organisation" } "." }
                } @else {
                    p.lead { "It starts in the Identify stage, seen only by your organisation. You invite partners when you are ready." }
                    form method="post" action="/collaborations/new" novalidate {
                        (csrf_field(&ctx.csrf))
                        (select("organisation_id", "Lead organisation", Some("The organisation that opens and leads it."), &orgs, &form.organisation_id, errors))
                        (Input::text("title", "Title", &form.title).hint("A short name partners will recognise, like \u{201c}Shared food hub\u{201d}.").render(errors))
                        (textarea("purpose", "Purpose", Some("What you hope working together will achieve, and for whom."), &form.purpose, 5, errors))
                        button.button type="submit" { "Open collaboration" }
                    }
                }
            },
        ),
    )
}

pub async fn create(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    PageForm(form): PageForm<NewForm>,
) -> Result<Response, AppError> {
    let org = form.organisation_id.trim().parse::<i64>().ok();
    match actions::collaborations::create_collaboration(
        &state,
        &viewer.actor(),
        org,
        &form.title,
        &form.purpose,
    )
    .await
    {
        Ok(c) => Ok(Redirect::to(&format!("/collaborations/{}?opened=1", c.id)).into_response()),
        Err(AppError::Invalid(errors)) => Ok(new_page(&ctx, &form, &errors)),
        Err(e) => Err(e),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ShowQuery {
    opened: String,
    moved: String,
    saved: String,
    invited: String,
    joined: String,
    changed: String,
    withdrawn: String,
}

pub async fn show(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
    Q(n): Q<ShowQuery>,
) -> Result<Response, AppError> {
    let actor = viewer.actor();
    let (view, recent, checklists, health_waiting) =
        actions::collaborations::collaboration_overview(&state, &actor, id).await?;
    let c = &view.collaboration;
    let acting_name = view
        .participants
        .iter()
        .find(|p| p.organisation_id == view.acting_organisation_id)
        .map(|p| p.name.clone())
        .unwrap_or_default();
    Ok(ok(page(
        &ctx,
        &c.title,
        None,
        html! {
            @if !n.opened.is_empty() { (notice("Your collaboration is open. Only your organisation can see it until others join.")) }
            @if !n.moved.is_empty() { (notice(&format!("The collaboration is now in the {} stage.", c.stage.label()))) }
            @if !n.saved.is_empty() { (notice("Saved.")) }
            @if !n.invited.is_empty() { (notice("The invitation has been sent to the organisation's admins.")) }
            @if !n.joined.is_empty() { (notice("Your organisation has joined this collaboration.")) }
            @if !n.changed.is_empty() { (notice("The change has been saved.")) }
            @if !n.withdrawn.is_empty() { (notice("The invitation has been withdrawn.")) }
            (super::health_checks::waiting(&health_waiting))
            span.caption { "Collaboration" }
            h1 { (c.title) }
            p { "You are acting for " strong { (acting_name) } ". Stage: " (stage_tag(c.stage)) }
            (super::forward::cycle_links(view.previous_cycle_id, view.next_cycle_id))
            h2 { "Purpose" }
            (paragraphs(&c.purpose))
            @if view.can_edit { p { a href={ "/collaborations/" (c.id) "/edit" } { "Change the title or purpose" } } }

            h2 #stages { "Stages" }
            ol.stages {
                @for s in Stage::ALL {
                    li.stage.current[s == c.stage].done[s < c.stage] aria-current=[(s == c.stage).then_some("step")] {
                        span.stage-number { (s.number()) }
                        div {
                            @let list = checklists.iter().find(|l| l.stage == s);
                            @if list.is_some() {
                                a href={ "/collaborations/" (c.id) "/" (s.code()) } { strong { (s.label()) } }
                            } @else {
                                strong { (s.label()) }
                            }
                            @if s == c.stage { " " (tag("Current stage", "tag-current")) }
                            @else if s < c.stage { " " (tag("Done", "tag-done")) }
                            p.muted { (s.summary()) }
                            @if let Some(l) = list {
                                @let done = l.checklist.iter().filter(|i| i.done).count();
                                p { strong { (l.percent) "% complete" } " (" (done) " of " (l.checklist.len()) " done)" }
                                ul.stage-checklist {
                                    @for item in &l.checklist {
                                        li {
                                            a href=(item.href) { (item.label) }
                                            " "
                                            @if item.done { (tag("Done", "tag-done")) } @else { (tag("To do", "tag-attention")) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            h2 #plan { "Plan" }
            p { "Agree what you want to achieve together, and how you will work together. The " a href={ "/collaborations/" (c.id) "/plan" } { "Plan stage page" } " shows how far you have got." }
            ul {
                li { a href={ "/collaborations/" (c.id) "/model" } { "Collaboration model" } ": how closely to work together, with a guide to each way and a few questions that suggest one." }
                li { a href={ "/collaborations/" (c.id) "/aims" } { "Shared aims" } ": what you aim for, how you will measure it, and each partner's approval." }
                li { a href={ "/collaborations/" (c.id) "/governance" } { "Governance" } ": the groups that decide, who sits on them, and how they decide." }
                li { a href={ "/collaborations/" (c.id) "/responsibilities" } { "Who is responsible for what" } ": each key function against each organisation." }
                li { a href={ "/collaborations/" (c.id) "/agreements" } { "Agreements" } ": a memorandum of understanding or an agreement, written together, versioned and approved by every partner." }
            }
            @if view.can_edit {
                div.button-group {
                    @if let Some(next) = c.stage.next() {
                        form.inline method="post" action={ "/collaborations/" (c.id) "/stage" } {
                            (csrf_field(&ctx.csrf))
                            input type="hidden" name="from" value=(c.stage.code());
                            input type="hidden" name="direction" value="forward";
                            button.button type="submit" { "Move on to " (next.label()) }
                        }
                    }
                    @if let Some(prev) = c.stage.previous() {
                        form.inline method="post" action={ "/collaborations/" (c.id) "/stage" } {
                            (csrf_field(&ctx.csrf))
                            input type="hidden" name="from" value=(c.stage.code());
                            input type="hidden" name="direction" value="back";
                            button.button.secondary type="submit" { "Go back to " (prev.label()) }
                        }
                    }
                }
            }


            (super::story::collaboration_block(c.id))

            h2 #partners { "Organisations taking part" }
            (table_scroll("partners-caption", html! {
                table.table {
                    caption.visually-hidden id="partners-caption" { "Organisations taking part" }
                    thead { tr { th scope="col" { "Organisation" } th scope="col" { "Role" } th scope="col" { "Joined" } @if view.can_manage { th scope="col" { "Change" } } } }
                    tbody {
                        @for p in &view.participants {
                            tr {
                                td { a href={ "/organisations/" (p.organisation_id) } { (p.name) } }
                                td { (p.role.label()) }
                                td { (when(p.joined_at)) }
                                @if view.can_manage {
                                    td.actions {
                                        form.inline method="post" action={ "/collaborations/" (c.id) "/participants/" (p.organisation_id) "/role" } {
                                            (csrf_field(&ctx.csrf))
                                            label.visually-hidden for={ "role-" (p.organisation_id) } { "Role of " (p.name) }
                                            select.select.small id={ "role-" (p.organisation_id) } name="role" {
                                                @for r in ParticipantRole::ALL { option value=(r.code()) selected[r == p.role] { (r.label()) } }
                                            }
                                            " "
                                            button.button.secondary.small type="submit" { "Change role" span.visually-hidden { " of " (p.name) } }
                                        }
                                        @if p.organisation_id != view.acting_organisation_id {
                                            a.button.warning.small href={ "/collaborations/" (c.id) "/participants/" (p.organisation_id) "/remove" } { "Remove" span.visually-hidden { " " (p.name) } }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }))
            @if view.can_manage {
                p { a.button href={ "/collaborations/" (c.id) "/invite" } { "Invite an organisation" } }
                @if !view.invitations.is_empty() {
                    h3 { "Invitations" }
                    (table_scroll("invitations-caption", html! {
                        table.table {
                            caption.visually-hidden id="invitations-caption" { "Invitations sent" }
                            thead { tr { th scope="col" { "Organisation" } th scope="col" { "Role" } th scope="col" { "Status" } th scope="col" { "Sent" } th scope="col" { span.visually-hidden { "Actions" } } } }
                            tbody {
                                @for inv in &view.invitations {
                                    tr {
                                        td { (inv.organisation_name) }
                                        td { (inv.role.label()) }
                                        td { (inv.status.label()) }
                                        td { (when(inv.created_at)) }
                                        td {
                                            @if inv.status == InvitationStatus::Pending {
                                                form.inline method="post" action={ "/collaborations/" (c.id) "/invitations/" (inv.id) "/withdraw" } {
                                                    (csrf_field(&ctx.csrf))
                                                    button.button.warning.small type="submit" { "Withdraw" span.visually-hidden { " the invitation to " (inv.organisation_name) } }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }))
                }
            }
            @if let Some(org) = view.can_leave {
                @let name = view.participants.iter().find(|p| p.organisation_id == org).map(|p| p.name.clone()).unwrap_or_default();
                p { a.button.warning href={ "/collaborations/" (c.id) "/leave" } { "Take " (name) " out of this collaboration" } }
            }

            h2 #activity { "Recent activity" }
            (audit_table(&recent[..recent.len().min(5)]))
            p { a href={ "/collaborations/" (c.id) "/activity" } { "All activity" } }
            (super::export::collaboration_block(c.id))
        },
    )))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct EditForm {
    title: String,
    purpose: String,
}

pub async fn edit_form(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
) -> Result<Response, AppError> {
    let view = actions::collaborations::collaboration(&state, &viewer.actor(), id).await?;
    if !view.can_edit {
        return Err(AppError::Forbidden(
            "Only the lead organisation can change the title and purpose.".into(),
        ));
    }
    let form = EditForm {
        title: view.collaboration.title.clone(),
        purpose: view.collaboration.purpose.clone(),
    };
    Ok(edit_page(&ctx, id, &form, &FieldErrors::new()))
}

fn edit_page(ctx: &PageContext, id: i64, form: &EditForm, errors: &FieldErrors) -> Response {
    render(
        form_status(errors),
        page(
            ctx,
            "Change the title or purpose",
            Some(errors),
            html! {
                (back_link(&format!("/collaborations/{id}"), "Back to the collaboration"))
                h1 { "Change the title or purpose" }
                form method="post" action={ "/collaborations/" (id) "/edit" } novalidate {
                    (csrf_field(&ctx.csrf))
                    (Input::text("title", "Title", &form.title).render(errors))
                    (textarea("purpose", "Purpose", None, &form.purpose, 5, errors))
                    button.button type="submit" { "Save" }
                }
            },
        ),
    )
}

pub async fn update(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
    PageForm(form): PageForm<EditForm>,
) -> Result<Response, AppError> {
    match actions::collaborations::update_collaboration(
        &state,
        &viewer.actor(),
        id,
        &form.title,
        &form.purpose,
    )
    .await
    {
        Ok(()) => Ok(Redirect::to(&format!("/collaborations/{id}?saved=1")).into_response()),
        Err(AppError::Invalid(errors)) => {
            // Only show the form back to someone who may use it.
            actions::collaborations::collaboration(&state, &viewer.actor(), id).await?;
            Ok(edit_page(&ctx, id, &form, &errors))
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct StageForm {
    direction: String,
    from: String,
}

pub async fn move_stage(
    State(state): State<AppState>,
    SignedIn(viewer, _): SignedIn,
    P(id): P<i64>,
    PageForm(form): PageForm<StageForm>,
) -> Result<Response, AppError> {
    actions::collaborations::move_stage(
        &state,
        &viewer.actor(),
        id,
        &form.direction,
        Some(&form.from),
    )
    .await?;
    Ok(Redirect::to(&format!("/collaborations/{id}?moved=1#stages")).into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct InviteForm {
    q: String,
    organisation_id: String,
    role: String,
    message: String,
}

pub async fn invite_form(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
    Q(form): Q<InviteForm>,
) -> Result<Response, AppError> {
    invite_page(&state, &viewer, &ctx, id, &form, &FieldErrors::new()).await
}

async fn invite_page(
    state: &AppState,
    viewer: &crate::auth::Viewer,
    ctx: &PageContext,
    id: i64,
    form: &InviteForm,
    errors: &FieldErrors,
) -> Result<Response, AppError> {
    let view = actions::collaborations::collaboration(state, &viewer.actor(), id).await?;
    if !view.can_manage {
        return Err(AppError::Forbidden(
            "Only an admin of the lead organisation can invite organisations.".into(),
        ));
    }
    let mut errors = errors.clone();
    // With no search there is no list to choose from: point the message
    // at the search box instead, so the error summary's link goes somewhere.
    if form.q.trim().is_empty()
        && let Some(message) = errors.get("organisation_id").map(str::to_string)
    {
        errors.0.retain(|e| e.field != "organisation_id");
        errors.add("q", message);
    }
    let found = match actions::organisations::find_organisations(state, &form.q).await {
        Ok(found) => found,
        Err(AppError::Invalid(e)) => {
            for f in e.0 {
                errors.add(f.field, f.message);
            }
            Vec::new()
        }
        Err(e) => return Err(e),
    };
    let taking_part: Vec<i64> = view
        .participants
        .iter()
        .map(|p| p.organisation_id)
        .collect();
    let choices: Vec<(String, String, Option<String>)> = found
        .iter()
        .filter(|o| !taking_part.contains(&o.id))
        .map(|o| (o.id.to_string(), o.name.clone(), o.org_identifier.clone()))
        .collect();
    let choice_refs: Vec<(&str, &str, Option<&str>)> = choices
        .iter()
        .map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_deref()))
        .collect();
    let roles: Vec<(&str, &str, Option<&str>)> = ParticipantRole::ALL
        .iter()
        .map(|r| (r.code(), r.label(), Some(r.hint())))
        .collect();
    let role = if form.role.is_empty() {
        "partner"
    } else {
        form.role.as_str()
    };
    let c = &view.collaboration;
    Ok(render(
        form_status(&errors),
        page(
            ctx,
            "Invite an organisation",
            Some(&errors),
            html! {
                (back_link(&format!("/collaborations/{id}"), "Back to the collaboration"))
                span.caption { (c.title) }
                h1 { "Invite an organisation" }
                form.search method="get" action={ "/collaborations/" (id) "/invite" } {
                    (Input::text("q", "Find the organisation", &form.q).hint("The start of its name, or its org-id like GB-CHC-1234567. It must be on Common Ground.").render(&errors))
                    button.button.secondary type="submit" { "Find" }
                }
                @if !form.q.trim().is_empty() {
                    @if choice_refs.is_empty() {
                        p { "No organisation on Common Ground matches \u{201c}" (form.q.trim()) "\u{201d}, or it already takes part." }
                    } @else {
                        form method="post" action={ "/collaborations/" (id) "/invite" } novalidate {
                            (csrf_field(&ctx.csrf))
                            input type="hidden" name="q" value=(form.q);
                            (radios("organisation_id", "Which organisation?", None, &choice_refs, &form.organisation_id, &errors))
                            (radios("role", "Their role", None, &roles, role, &errors))
                            (textarea("message", "Message (optional)", Some("Why you would like them to join. Their admins will read this."), &form.message, 4, &errors))
                            button.button type="submit" { "Send invitation" }
                        }
                    }
                }
            },
        ),
    ))
}

pub async fn invite(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
    PageForm(form): PageForm<InviteForm>,
) -> Result<Response, AppError> {
    let org = form.organisation_id.trim().parse::<i64>().ok();
    match actions::invitations::invite_organisation(
        &state,
        &viewer.actor(),
        id,
        org,
        &form.role,
        &form.message,
    )
    .await
    {
        Ok(_) => {
            Ok(Redirect::to(&format!("/collaborations/{id}?invited=1#partners")).into_response())
        }
        Err(AppError::Invalid(errors)) => {
            invite_page(&state, &viewer, &ctx, id, &form, &errors).await
        }
        Err(e) => Err(e),
    }
}

pub async fn withdraw_invitation(
    State(state): State<AppState>,
    SignedIn(viewer, _): SignedIn,
    P((id, invitation_id)): P<(i64, i64)>,
) -> Result<Response, AppError> {
    actions::invitations::withdraw_invitation(&state, &viewer.actor(), id, invitation_id).await?;
    Ok(Redirect::to(&format!("/collaborations/{id}?withdrawn=1#partners")).into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RoleForm {
    role: String,
}

pub async fn change_role(
    State(state): State<AppState>,
    SignedIn(viewer, _): SignedIn,
    P((id, org)): P<(i64, i64)>,
    PageForm(form): PageForm<RoleForm>,
) -> Result<Response, AppError> {
    actions::collaborations::change_participant_role(&state, &viewer.actor(), id, org, &form.role)
        .await?;
    Ok(Redirect::to(&format!("/collaborations/{id}?changed=1#partners")).into_response())
}

pub async fn remove_participant(
    State(state): State<AppState>,
    SignedIn(viewer, _): SignedIn,
    P((id, org)): P<(i64, i64)>,
) -> Result<Response, AppError> {
    actions::collaborations::remove_participant(&state, &viewer.actor(), id, Some(org)).await?;
    Ok(Redirect::to(&format!("/collaborations/{id}?changed=1#partners")).into_response())
}

pub async fn leave(
    State(state): State<AppState>,
    SignedIn(viewer, _): SignedIn,
    P(id): P<i64>,
) -> Result<Response, AppError> {
    actions::collaborations::remove_participant(&state, &viewer.actor(), id, None).await?;
    Ok(Redirect::to("/collaborations").into_response())
}

pub async fn activity(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
    Q(q): Q<BeforeQuery>,
) -> Result<Response, AppError> {
    let actor = viewer.actor();
    let (view, events) =
        actions::collaborations::collaboration_with_activity(&state, &actor, id, q.before).await?;
    Ok(ok(page(
        &ctx,
        &format!("Activity in {}", view.collaboration.title),
        None,
        html! {
            (back_link(&format!("/collaborations/{id}"), "Back to the collaboration"))
            span.caption { (view.collaboration.title) }
            h1 { "Activity" }
            (audit_table(&events))
            @if events.len() == 50 {
                @if let Some(last) = events.last() {
                    p { a href={ "/collaborations/" (id) "/activity?before=" (last.id) } { "Older activity" } }
                }
            }
        },
    )))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct InvitationQuery {
    declined: String,
}

pub async fn invitation(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
    Q(q): Q<InvitationQuery>,
) -> Result<Response, AppError> {
    let (inv, can_answer) = actions::invitations::invitation(&state, &viewer.actor(), id).await?;
    Ok(ok(page(
        &ctx,
        &format!("Invitation to {}", inv.collaboration_title),
        None,
        html! {
            @if !q.declined.is_empty() { (notice("You have declined the invitation.")) }
            span.caption { "Invitation for " (inv.organisation_name) }
            h1 { (inv.collaboration_title) }
            p.lead { (inv.invited_by_organisation_name) " invites " (inv.organisation_name) " to join as " (inv.role.label().to_lowercase()) "." }
            h2 { "Purpose" }
            (paragraphs(&inv.collaboration_purpose))
            @if !inv.message.is_empty() {
                h2 { "Their message" }
                blockquote { (paragraphs(&inv.message)) }
            }
            p { "Status: " strong { (inv.status.label()) } }
            @if inv.status == InvitationStatus::Pending {
                @if can_answer {
                    p { "If you accept, everyone in " (inv.organisation_name) " will be able to see this collaboration and take part." }
                    div.button-group {
                        form.inline method="post" action={ "/invitations/" (inv.id) "/accept" } {
                            (csrf_field(&ctx.csrf))
                            button.button type="submit" { "Accept" }
                        }
                        form.inline method="post" action={ "/invitations/" (inv.id) "/decline" } {
                            (csrf_field(&ctx.csrf))
                            button.button.secondary type="submit" { "Decline" }
                        }
                    }
                } @else {
                    p { "Only an admin of " (inv.organisation_name) " can accept or decline it." }
                }
            } @else if inv.status == InvitationStatus::Accepted {
                p { a href={ "/collaborations/" (inv.collaboration_id) } { "Go to the collaboration" } }
            }
        },
    )))
}

pub async fn accept(
    State(state): State<AppState>,
    SignedIn(viewer, _): SignedIn,
    P(id): P<i64>,
) -> Result<Response, AppError> {
    let inv = actions::invitations::answer_invitation(&state, &viewer.actor(), id, true).await?;
    Ok(Redirect::to(&format!(
        "/collaborations/{}?joined=1",
        inv.collaboration_id
    ))
    .into_response())
}

pub async fn decline(
    State(state): State<AppState>,
    SignedIn(viewer, _): SignedIn,
    P(id): P<i64>,
) -> Result<Response, AppError> {
    actions::invitations::answer_invitation(&state, &viewer.actor(), id, false).await?;
    Ok(Redirect::to(&format!("/invitations/{id}?declined=1")).into_response())
}

/// Asks before a partner's admin takes their organisation out.
pub async fn leave_confirm(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
) -> Result<Response, AppError> {
    let actor = viewer.actor();
    let name = actions::collaborations::check_remove_participant(&state, &actor, id, None)
        .await?
        .name;
    let view = actions::collaborations::collaboration(&state, &actor, id).await?;
    let title = &view.collaboration.title;
    Ok(ok(page(
        &ctx,
        &format!("Take {name} out of {title}?"),
        None,
        html! {
            (back_link(&format!("/collaborations/{id}"), "Back to the collaboration"))
            h1 { "Take " (name) " out of \u{201c}" (title) "\u{201d}?" }
            p { "Everyone in " (name) " will lose access to this collaboration and its work." }
            p { "To come back, the lead organisation would have to invite " (name) " again." }
            form method="post" action={ "/collaborations/" (id) "/leave" } {
                (csrf_field(&ctx.csrf))
                button.button.warning type="submit" { "Take " (name) " out" }
            }
            p { a href={ "/collaborations/" (id) } { "No, stay in" } }
        },
    )))
}

/// Asks before the lead removes an organisation.
pub async fn remove_participant_confirm(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P((id, org)): P<(i64, i64)>,
) -> Result<Response, AppError> {
    let actor = viewer.actor();
    let target =
        actions::collaborations::check_remove_participant(&state, &actor, id, Some(org)).await?;
    let view = actions::collaborations::collaboration(&state, &actor, id).await?;
    let title = &view.collaboration.title;
    Ok(ok(page(
        &ctx,
        &format!("Remove {} from {title}?", target.name),
        None,
        html! {
            (back_link(&format!("/collaborations/{id}"), "Back to the collaboration"))
            h1 { "Remove " (target.name) " from \u{201c}" (title) "\u{201d}?" }
            p { "Everyone in " (target.name) " will lose access to this collaboration and its work." }
            form method="post" action={ "/collaborations/" (id) "/participants/" (org) "/remove" } {
                (csrf_field(&ctx.csrf))
                button.button.warning type="submit" { "Remove " (target.name) }
            }
            p { a href={ "/collaborations/" (id) } { "No, keep them" } }
        },
    )))
}
