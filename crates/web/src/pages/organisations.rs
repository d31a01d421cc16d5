//! Organisation pages: the directory, profiles, members, invitations to
//! join, and the organisation's activity.

use super::layout::{
    Input, back_link, csrf_field, form_status, notice, ok, page, paragraphs, radios, render,
    table_scroll, tag, textarea, when,
};
use crate::AppState;
use crate::actions;
use crate::auth::{PageContext, SignedIn};
use crate::error::AppError;
use crate::extract::{P, PageForm, Q};
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use commonground_domain::FieldErrors;
use commonground_domain::organisations::{OrgKind, OrgRole, ProfileInput};
use commonground_store::organisations::Organisation;
use maud::{Markup, html};
use serde::Deserialize;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct FindQuery {
    q: String,
}

pub async fn index(
    State(state): State<AppState>,
    SignedIn(_, ctx): SignedIn,
    Q(query): Q<FindQuery>,
) -> Result<Response, AppError> {
    let (results, errors) = match actions::organisations::find_organisations(&state, &query.q).await
    {
        Ok(r) => (r, FieldErrors::new()),
        Err(AppError::Invalid(e)) => (Vec::new(), e),
        Err(e) => return Err(e),
    };
    Ok(render(
        form_status(&errors),
        page(
            &ctx,
            "Organisations",
            Some(&errors),
            html! {
                h1 { "Organisations" }
                h2 { "Yours" }
                @if ctx.organisations.is_empty() {
                    p { "You do not belong to any organisation yet." }
                } @else {
                    ul.plain-list {
                        @for org in &ctx.organisations {
                            li { a href={ "/organisations/" (org.id) } { (org.name) } " \u{2013} " (org.role.label()) }
                        }
                    }
                }
                p { a.button href="/organisations/new" { "Add an organisation" } }
                h2 { "Find an organisation on Common Ground" }
                form.search method="get" action="/organisations" {
                    (Input::text("q", "Name or org-id", &query.q).hint("The start of the name, like \u{201c}Riverside\u{201d}, or an org-id like GB-CHC-1234567.").render(&errors))
                    button.button.secondary type="submit" { "Search" }
                }
                @if !query.q.trim().is_empty() && errors.is_empty() {
                    @if results.is_empty() {
                        p { "No organisation on Common Ground starts with \u{201c}" (query.q.trim()) "\u{201d}." }
                    } @else {
                        ul.plain-list {
                            @for o in &results {
                                li {
                                    a href={ "/organisations/" (o.id) } { (o.name) }
                                    @if let Some(id) = &o.org_identifier { " " span.muted { (id) } }
                                }
                            }
                        }
                    }
                }
            },
        ),
    ))
}

fn profile_form(
    ctx: &PageContext,
    action: &str,
    input: &ProfileInput,
    errors: &FieldErrors,
    submit: &str,
) -> Markup {
    let kinds: Vec<(&str, &str, Option<&str>)> = OrgKind::ALL
        .iter()
        .map(|k| {
            let hint = if k.needs_charity_number() && k.needs_company_number() {
                Some("Needs both a charity number and a company number.")
            } else if k.needs_charity_number() {
                Some("Needs a charity number.")
            } else if k.needs_company_number() {
                Some("Needs a company number.")
            } else {
                None
            };
            (k.code(), k.label(), hint)
        })
        .collect();
    html! {
        form method="post" action=(action) novalidate {
            (csrf_field(&ctx.csrf))
            (Input::text("name", "Name of the organisation", &input.name).autocomplete("organization").render(errors))
            (radios("kind", "What kind of organisation is it?", None, &kinds, &input.kind, errors))
            (Input::text("charity_number", "Charity number (optional for some kinds)", &input.charity_number)
                .hint("The number from the Charity Commission register, like 1234567.").width("width-10").render(errors))
            (Input::text("company_number", "Company number (optional for some kinds)", &input.company_number)
                .hint("The Companies House number, like 01234567 or SC123456.").width("width-10").render(errors))
            (textarea("mission", "Mission (optional)", Some("In a sentence or two, what the organisation is for."), &input.mission, 3, errors))
            (textarea("activities", "Activities (optional)", Some("What you do, for whom. Partners find you by this."), &input.activities, 5, errors))
            (textarea("areas_served", "Areas served (optional)", Some("One place per line, or separated by commas, like Leeds, Bradford."), &input.areas_served, 3, errors))
            (textarea("causes", "Causes (optional)", Some("One per line, or separated by commas, like food poverty, older people."), &input.causes, 3, errors))
            (Input::text("website", "Website (optional)", &input.website).kind("url").autocomplete("url").render(errors))
            button.button type="submit" { (submit) }
        }
    }
}

pub async fn new_form(SignedIn(_, ctx): SignedIn) -> Response {
    new_page(&ctx, &ProfileInput::default(), &FieldErrors::new())
}

fn new_page(ctx: &PageContext, input: &ProfileInput, errors: &FieldErrors) -> Response {
    render(
        form_status(errors),
        page(
            ctx,
            "Add an organisation",
            Some(errors),
            html! {
                (back_link("/organisations", "Back to organisations"))
                h1 { "Add an organisation" }
                p.lead { "You will be its first admin. You can invite colleagues once it is added." }
                (profile_form(ctx, "/organisations/new", input, errors, "Add organisation"))
            },
        ),
    )
}

pub async fn create(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    PageForm(input): PageForm<ProfileInput>,
) -> Result<Response, AppError> {
    match actions::organisations::create_organisation(&state, &viewer.actor(), &input).await {
        Ok(org) => {
            // Act for the new organisation straight away.
            actions::accounts::set_acting_organisation(
                &state,
                &viewer.actor(),
                &viewer.session_token,
                org.id,
            )
            .await?;
            Ok(Redirect::to(&format!("/organisations/{}?created=1", org.id)).into_response())
        }
        Err(AppError::Invalid(errors)) => Ok(new_page(&ctx, &input, &errors)),
        Err(e) => Err(e),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NoticeQuery {
    created: String,
    saved: String,
    invited: String,
    withdrawn: String,
    changed: String,
    removed: String,
    joined: String,
}

fn profile_details(org: &Organisation) -> Markup {
    html! {
        dl.summary-list {
            div { dt { "Kind" } dd { (org.kind.label()) } }
            @if let Some(id) = &org.org_identifier { div { dt { "Org-id" } dd { (id) } } }
            @if let Some(n) = &org.charity_number { div { dt { "Charity number" } dd { (n) } } }
            @if let Some(n) = &org.company_number { div { dt { "Company number" } dd { (n) } } }
            @if !org.mission.is_empty() { div { dt { "Mission" } dd { (paragraphs(&org.mission)) } } }
            @if !org.activities.is_empty() { div { dt { "Activities" } dd { (paragraphs(&org.activities)) } } }
            @if !org.areas_served.is_empty() { div { dt { "Areas served" } dd { (org.areas_served.join(", ")) } } }
            @if !org.causes.is_empty() { div { dt { "Causes" } dd { (org.causes.join(", ")) } } }
            @if let Some(w) = &org.website { div { dt { "Website" } dd { a href=(w) rel="nofollow noopener" { (w) } } } }
        }
    }
}

pub async fn show(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
    Q(n): Q<NoticeQuery>,
) -> Result<Response, AppError> {
    let (org, role) = actions::organisations::organisation(&state, &viewer.actor(), id).await?;
    Ok(ok(page(
        &ctx,
        &org.name,
        None,
        html! {
            @if !n.created.is_empty() { (notice("Your organisation has been added. You are its admin.")) }
            @if !n.saved.is_empty() { (notice("The profile has been saved.")) }
            @if !n.joined.is_empty() { (notice("Welcome. You are now a member of this organisation.")) }
            span.caption { "Organisation" }
            h1 { (org.name) }
            @if let Some(role) = role { p { "You are " (tag(role.label(), "tag-neutral")) " of this organisation." } }
            (profile_details(&org))
            @if let Some(role) = role {
                h2 { "Manage" }
                ul.plain-list {
                    li { a href={ "/organisations/" (org.id) "/members" } { "Members" } }
                    li { a href={ "/organisations/" (org.id) "/goals" } { "Goals for collaborating" } }
                    @if role == OrgRole::Admin {
                        li { a href={ "/organisations/" (org.id) "/edit" } { "Edit the profile" } }
                        li { a href={ "/organisations/" (org.id) "/invitations" } { "Invite a colleague" } }
                        li { a href={ "/organisations/" (org.id) "/activity" } { "Activity" } }
                    }
                    li { a href="/collaborations/new" { "Open a collaboration" } }
                }
                p { a.button.warning href={ "/organisations/" (org.id) "/leave" } { "Leave this organisation" } }
                @if role == OrgRole::Admin { (super::export::organisation_block(org.id)) }
            }
        },
    )))
}

fn input_from(org: &Organisation) -> ProfileInput {
    ProfileInput {
        name: org.name.clone(),
        kind: org.kind.code().to_string(),
        charity_number: org.charity_number.clone().unwrap_or_default(),
        company_number: org.company_number.clone().unwrap_or_default(),
        mission: org.mission.clone(),
        activities: org.activities.clone(),
        areas_served: org.areas_served.join("\n"),
        causes: org.causes.join("\n"),
        website: org.website.clone().unwrap_or_default(),
    }
}

pub async fn edit_form(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
) -> Result<Response, AppError> {
    let org = actions::organisations::organisation_for_editing(&state, &viewer.actor(), id).await?;
    Ok(edit_page(
        &ctx,
        id,
        &org.name,
        &input_from(&org),
        &FieldErrors::new(),
    ))
}

fn edit_page(
    ctx: &PageContext,
    id: i64,
    name: &str,
    input: &ProfileInput,
    errors: &FieldErrors,
) -> Response {
    render(
        form_status(errors),
        page(
            ctx,
            &format!("Edit {name}"),
            Some(errors),
            html! {
                (back_link(&format!("/organisations/{id}"), "Back to the profile"))
                h1 { "Edit the profile" }
                (profile_form(ctx, &format!("/organisations/{id}/edit"), input, errors, "Save profile"))
            },
        ),
    )
}

pub async fn update(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
    PageForm(input): PageForm<ProfileInput>,
) -> Result<Response, AppError> {
    match actions::organisations::update_organisation(&state, &viewer.actor(), id, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/organisations/{id}?saved=1")).into_response()),
        Err(AppError::Invalid(errors)) => {
            let (org, _) =
                actions::organisations::organisation(&state, &viewer.actor(), id).await?;
            Ok(edit_page(&ctx, id, &org.name, &input, &errors))
        }
        Err(e) => Err(e),
    }
}

pub async fn members(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
    Q(n): Q<NoticeQuery>,
) -> Result<Response, AppError> {
    let actor = viewer.actor();
    let (scope, members) = actions::organisations::members(&state, &actor, id).await?;
    let (org, _) = actions::organisations::organisation(&state, &actor, id).await?;
    let admin = scope.role() == OrgRole::Admin;
    Ok(ok(page(
        &ctx,
        &format!("Members of {}", org.name),
        None,
        html! {
            @if !n.changed.is_empty() { (notice("The role has been changed.")) }
            @if !n.removed.is_empty() { (notice("The member has been removed.")) }
            (back_link(&format!("/organisations/{id}"), "Back to the profile"))
            span.caption { (org.name) }
            h1 { "Members" }
            (table_scroll("members-caption", html! {
                table.table {
                    caption.visually-hidden id="members-caption" { "Members of " (org.name) }
                    thead { tr { th scope="col" { "Name" } th scope="col" { "Email" } th scope="col" { "Role" } th scope="col" { "Joined" } @if admin { th scope="col" { "Change" } } } }
                    tbody {
                        @for m in &members {
                            tr {
                                td { (m.name) @if m.user_id == viewer.user.id { " (you)" } }
                                td { (m.email) }
                                td { (m.role.label()) }
                                td { (when(m.joined_at)) }
                                @if admin {
                                    td.actions {
                                        @let new_role = if m.role == OrgRole::Admin { OrgRole::Member } else { OrgRole::Admin };
                                        form.inline method="post" action={ "/organisations/" (id) "/members/" (m.user_id) "/role" } {
                                            (csrf_field(&ctx.csrf))
                                            input type="hidden" name="role" value=(new_role.code());
                                            button.button.secondary.small type="submit" {
                                                @if new_role == OrgRole::Admin { "Make admin" } @else { "Make member" }
                                                span.visually-hidden { " " (m.name) }
                                            }
                                        }
                                        @if m.user_id != viewer.user.id {
                                            a.button.warning.small href={ "/organisations/" (id) "/members/" (m.user_id) "/remove" } { "Remove" span.visually-hidden { " " (m.name) } }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }))
            @if admin { p { a.button href={ "/organisations/" (id) "/invitations" } { "Invite a colleague" } } }
        },
    )))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RoleForm {
    role: String,
}

pub async fn change_role(
    State(state): State<AppState>,
    SignedIn(viewer, _): SignedIn,
    P((id, user_id)): P<(i64, i64)>,
    PageForm(form): PageForm<RoleForm>,
) -> Result<Response, AppError> {
    actions::organisations::change_member_role(&state, &viewer.actor(), id, user_id, &form.role)
        .await?;
    Ok(Redirect::to(&format!("/organisations/{id}/members?changed=1")).into_response())
}

pub async fn remove_member(
    State(state): State<AppState>,
    SignedIn(viewer, _): SignedIn,
    P((id, user_id)): P<(i64, i64)>,
) -> Result<Response, AppError> {
    actions::organisations::remove_member(&state, &viewer.actor(), id, user_id).await?;
    Ok(Redirect::to(&format!("/organisations/{id}/members?removed=1")).into_response())
}

pub async fn leave(
    State(state): State<AppState>,
    SignedIn(viewer, _): SignedIn,
    P(id): P<i64>,
) -> Result<Response, AppError> {
    actions::organisations::remove_member(&state, &viewer.actor(), id, viewer.user.id).await?;
    Ok(Redirect::to("/organisations").into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct InviteForm {
    email: String,
    role: String,
}

pub async fn invite_form(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
    Q(n): Q<NoticeQuery>,
) -> Result<Response, AppError> {
    invite_page(
        &state,
        &viewer,
        &ctx,
        id,
        &InviteForm {
            email: String::new(),
            role: "member".into(),
        },
        &FieldErrors::new(),
        &n,
    )
    .await
}

async fn invite_page(
    state: &AppState,
    viewer: &crate::auth::Viewer,
    ctx: &PageContext,
    id: i64,
    form: &InviteForm,
    errors: &FieldErrors,
    n: &NoticeQuery,
) -> Result<Response, AppError> {
    let actor = viewer.actor();
    let open = actions::organisations::open_member_invitations(state, &actor, id).await?;
    let (org, _) = actions::organisations::organisation(state, &actor, id).await?;
    let roles = [
        (
            "member",
            "Member",
            Some("Can open collaborations for the organisation and take part in them."),
        ),
        (
            "admin",
            "Admin",
            Some(
                "Can also edit the profile, manage members and accept invitations to collaborations.",
            ),
        ),
    ];
    Ok(render(
        form_status(errors),
        page(
            ctx,
            &format!("Invite a colleague to {}", org.name),
            Some(errors),
            html! {
                @if !n.invited.is_empty() { (notice("The invitation has been sent. It works for 7 days.")) }
                @if !n.withdrawn.is_empty() { (notice("The invitation has been withdrawn.")) }
                (back_link(&format!("/organisations/{id}"), "Back to the profile"))
                span.caption { (org.name) }
                h1 { "Invite a colleague" }
                p { "We will email them a link. It works once, for 7 days." }
                form method="post" action={ "/organisations/" (id) "/invitations" } novalidate {
                    (csrf_field(&ctx.csrf))
                    (Input::text("email", "Their email address", &form.email).kind("email").render(errors))
                    (radios("role", "Their role", None, &roles, &form.role, errors))
                    button.button type="submit" { "Send invitation" }
                }
                h2 { "Invitations waiting" }
                @if open.is_empty() {
                    p { "None." }
                } @else {
                    (table_scroll("invitations-caption", html! {
                        table.table {
                            caption.visually-hidden id="invitations-caption" { "Invitations waiting" }
                            thead { tr { th scope="col" { "Email" } th scope="col" { "Role" } th scope="col" { "Expires" } th scope="col" { "Withdraw" } } }
                            tbody {
                                @for inv in &open {
                                    tr {
                                        td { (inv.email) }
                                        td { (inv.role.label()) }
                                        td { (when(inv.expires_at)) }
                                        td {
                                            form.inline method="post" action={ "/organisations/" (id) "/invitations/" (inv.id) "/withdraw" } {
                                                (csrf_field(&ctx.csrf))
                                                button.button.warning.small type="submit" { "Withdraw" span.visually-hidden { " the invitation to " (inv.email) } }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }))
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
    match actions::organisations::invite_member(
        &state,
        &viewer.actor(),
        id,
        &form.email,
        &form.role,
    )
    .await
    {
        Ok(_) => {
            Ok(Redirect::to(&format!("/organisations/{id}/invitations?invited=1")).into_response())
        }
        Err(AppError::Invalid(errors)) => {
            invite_page(
                &state,
                &viewer,
                &ctx,
                id,
                &form,
                &errors,
                &NoticeQuery::default(),
            )
            .await
        }
        Err(e) => Err(e),
    }
}

pub async fn withdraw_invitation(
    State(state): State<AppState>,
    SignedIn(viewer, _): SignedIn,
    P((id, invitation_id)): P<(i64, i64)>,
) -> Result<Response, AppError> {
    actions::organisations::revoke_member_invitation(&state, &viewer.actor(), id, invitation_id)
        .await?;
    Ok(Redirect::to(&format!("/organisations/{id}/invitations?withdrawn=1")).into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct BeforeQuery {
    pub before: Option<i64>,
}

pub fn audit_table(events: &[commonground_store::audit::AuditEvent]) -> Markup {
    html! {
        @if events.is_empty() {
            p { "Nothing has happened yet." }
        } @else {
            ol.activity {
                @for e in events {
                    li {
                        p.activity-summary { (e.summary) }
                        p.muted {
                            (e.user_name)
                            @if !e.acting_organisation_name.is_empty() { ", for " (e.acting_organisation_name) }
                            ", " (when(e.at))
                        }
                    }
                }
            }
        }
    }
}

pub async fn activity(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
    Q(q): Q<BeforeQuery>,
) -> Result<Response, AppError> {
    let actor = viewer.actor();
    let events = actions::organisations::organisation_audit(&state, &actor, id, q.before).await?;
    let (org, _) = actions::organisations::organisation(&state, &actor, id).await?;
    Ok(ok(page(
        &ctx,
        &format!("Activity of {}", org.name),
        None,
        html! {
            (back_link(&format!("/organisations/{id}"), "Back to the profile"))
            span.caption { (org.name) }
            h1 { "Activity" }
            (audit_table(&events))
            @if events.len() == 50 {
                @if let Some(last) = events.last() {
                    p { a href={ "/organisations/" (id) "/activity?before=" (last.id) } { "Older activity" } }
                }
            }
        },
    )))
}

pub async fn join_form(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(token): P<String>,
) -> Result<Response, AppError> {
    let inv =
        actions::organisations::check_member_invitation(&state, &viewer.actor(), &token).await?;
    Ok(ok(page(
        &ctx,
        &format!("Join {}", inv.organisation_name),
        None,
        html! {
            h1 { "Join " (inv.organisation_name) }
            p.lead { "You have been invited to join as " (inv.role.label().to_lowercase()) "." }
            form method="post" action={ "/join/" (token) } {
                (csrf_field(&ctx.csrf))
                button.button type="submit" { "Join " (inv.organisation_name) }
            }
        },
    )))
}

pub async fn join(
    State(state): State<AppState>,
    SignedIn(viewer, _): SignedIn,
    P(token): P<String>,
) -> Result<Response, AppError> {
    let inv =
        actions::organisations::accept_member_invitation(&state, &viewer.actor(), &token).await?;
    actions::accounts::set_acting_organisation(
        &state,
        &viewer.actor(),
        &viewer.session_token,
        inv.organisation_id,
    )
    .await?;
    Ok(Redirect::to(&format!("/organisations/{}?joined=1", inv.organisation_id)).into_response())
}

/// Asks before a member leaves. The last admin is told why they cannot,
/// before they try.
pub async fn leave_confirm(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
) -> Result<Response, AppError> {
    let actor = viewer.actor();
    actions::organisations::check_remove_member(&state, &actor, id, viewer.user.id).await?;
    let (org, _) = actions::organisations::organisation(&state, &actor, id).await?;
    Ok(ok(page(
        &ctx,
        &format!("Leave {}?", org.name),
        None,
        html! {
            (back_link(&format!("/organisations/{id}"), "Back to the profile"))
            h1 { "Leave " (org.name) "?" }
            p { "You will no longer see its profile as a member, or the collaborations it takes part in." }
            p { "To come back, an admin of " (org.name) " would have to invite you again." }
            form method="post" action={ "/organisations/" (id) "/leave" } {
                (csrf_field(&ctx.csrf))
                button.button.warning type="submit" { "Leave " (org.name) }
            }
            p { a href={ "/organisations/" (id) } { "No, stay a member" } }
        },
    )))
}

/// Asks before an admin removes a member.
pub async fn remove_member_confirm(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P((id, user_id)): P<(i64, i64)>,
) -> Result<Response, AppError> {
    let actor = viewer.actor();
    let target = actions::organisations::check_remove_member(&state, &actor, id, user_id).await?;
    let (org, _) = actions::organisations::organisation(&state, &actor, id).await?;
    Ok(ok(page(
        &ctx,
        &format!("Remove {} from {}?", target.name, org.name),
        None,
        html! {
            (back_link(&format!("/organisations/{id}/members"), "Back to members"))
            h1 { "Remove " (target.name) " from " (org.name) "?" }
            p { (target.name) " will no longer see the collaborations " (org.name) " takes part in." }
            form method="post" action={ "/organisations/" (id) "/members/" (user_id) "/remove" } {
                (csrf_field(&ctx.csrf))
                button.button.warning type="submit" { "Remove " (target.name) }
            }
            p { a href={ "/organisations/" (id) "/members" } { "No, keep them" } }
        },
    )))
}
