//! Who is who: every partner's contacts grouped by organisation, a form
//! to add one for your own organisation, and forms to change or remove
//! your own organisation's contacts (a change based on an old version
//! comes back with the other person's change shown and the input kept).

use super::layout::{
    CSRF_SLOT, Input, back_link, csrf_field, fill_csrf, form_status, notice, page, render, select,
};
use crate::AppState;
use crate::actions;
use crate::actions::contacts::{ContactUpdate, ContactsView, stale_message};
use crate::auth::{PageContext, SignedIn};
use crate::cache::KeptPage;
use crate::error::AppError;
use crate::extract::{P, PageForm, Q};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use commonground_domain::FieldErrors;
use commonground_domain::contacts::{ContactInput, ContactRole};
use commonground_store::contacts::Contact;
use maud::{Markup, html};
use serde::Deserialize;

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct ContactForm {
    name: String,
    role: String,
    email: String,
    phone: String,
    member_id: String,
    version: String,
}

impl ContactForm {
    fn input(&self) -> ContactInput<'_> {
        ContactInput {
            name: &self.name,
            role: &self.role,
            email: &self.email,
            phone: &self.phone,
            member_id: &self.member_id,
        }
    }

    fn from_contact(c: &Contact) -> Self {
        ContactForm {
            name: c.name.clone(),
            role: c.role.code().into(),
            email: c.email.clone(),
            phone: c.phone.clone(),
            member_id: c.member_id.map(|m| m.to_string()).unwrap_or_default(),
            version: c.version.to_string(),
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DoneQuery {
    done: String,
}

fn fields(form: &ContactForm, v: &ContactsView, errors: &FieldErrors) -> Markup {
    let mut roles = vec![(String::new(), "Choose a role".to_string())];
    roles.extend(
        ContactRole::ALL
            .iter()
            .map(|r| (r.code().to_string(), r.label().to_string())),
    );
    let mut members = vec![(String::new(), "Not a member of Common Ground".to_string())];
    members.extend(v.members.iter().map(|(id, n)| (id.to_string(), n.clone())));
    html! {
        (Input::text("name", "Name", &form.name).autocomplete("off").render(errors))
        (select("role", "Role", Some("The part they play for your organisation in this collaboration."), &roles, &form.role, errors))
        (Input::text("email", "Email address", &form.email).kind("email").autocomplete("off").render(errors))
        (Input::text("phone", "Phone number (optional)", &form.phone).kind("tel").autocomplete("off").render(errors))
        (select("member_id", "Member of Common Ground", Some("If they use Common Ground, choose them, so others can see it is the same person."), &members, &form.member_id, errors))
    }
}

fn contact_line(c: &Contact) -> Markup {
    html! {
        (c.name) " \u{2013} " (c.role.label()) br;
        a href={ "mailto:" (c.email) } { (c.email) }
        @if !c.phone.is_empty() { ", " (c.phone) }
        @if let Some(m) = &c.member_name { br; span.muted { "Member of Common Ground as " (m) } }
    }
}

pub async fn index(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
    Q(q): Q<DoneQuery>,
) -> Result<Response, AppError> {
    let kept = actions::contacts::contacts_kept(&state, &viewer.actor(), id, |v| KeptPage {
        title: list_title(v),
        main: list_main(CSRF_SLOT, v, &ContactForm::default(), &FieldErrors::new())
            .into_string()
            .into_bytes(),
    })
    .await?;
    let main = html! {
        @if let Some(m) = done_message(&q.done) { (notice(m)) }
        (fill_csrf(&kept.main, &ctx.csrf))
    };
    Ok(render(
        StatusCode::OK,
        page(&ctx, &kept.title, Some(&FieldErrors::new()), main),
    ))
}

fn done_message(done: &str) -> Option<&'static str> {
    match done {
        "added" => Some("The contact has been added."),
        "changed" => Some("The change has been saved."),
        "removed" => Some("The contact has been removed."),
        _ => None,
    }
}

fn list_title(v: &ContactsView) -> String {
    format!("Who is who: {}", v.collaboration.title)
}

async fn list_page(
    state: &AppState,
    actor: &crate::auth::Actor,
    ctx: &PageContext,
    id: i64,
    form: &ContactForm,
    errors: &FieldErrors,
    done: &str,
) -> Result<Response, AppError> {
    let v = actions::contacts::contacts(state, actor, id).await?;
    let main = html! {
        @if let Some(m) = done_message(done) { (notice(m)) }
        (list_main(&ctx.csrf, &v, form, errors))
    };
    Ok(render(
        form_status(errors),
        page(ctx, &list_title(&v), Some(errors), main),
    ))
}

/// Everything inside the who is who page's frame but the notice of what
/// was just done; `csrf` is the form token (or [`CSRF_SLOT`] to keep it).
fn list_main(csrf: &str, v: &ContactsView, form: &ContactForm, errors: &FieldErrors) -> Markup {
    let c = &v.collaboration;
    let id = c.id;
    let own_name = v
        .participants
        .iter()
        .find(|p| Some(p.organisation_id) == v.editable)
        .map(|p| p.name.clone())
        .unwrap_or_default();
    html! {
        (back_link(&format!("/collaborations/{id}/plan"), "Back to the Plan stage"))
        span.caption { (c.title) }
        h1 { "Who is who" }
        p.lead { "Each partner's named representatives and contacts, and the part they play. Each organisation keeps its own contacts up to date." }
        @for (p, list) in v.grouped() {
            section aria-labelledby={ "org-" (p.organisation_id) } {
                h2 id={ "org-" (p.organisation_id) } { (p.name) }
                @if list.is_empty() {
                    p.muted { "No contacts yet." }
                } @else {
                    ul.list {
                        @for k in list {
                            li {
                                (contact_line(k))
                                @if v.editable == Some(k.organisation_id) {
                                    div.button-group {
                                        a.button.secondary.small href={ "/contacts/" (k.id) "/edit" } { "Change" span.visually-hidden { " " (k.name) } }
                                        a.button.warning.small href={ "/contacts/" (k.id) "/remove" } { "Remove" span.visually-hidden { " " (k.name) } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        @if v.editable.is_some() {
            h2 #add { "Add a contact for " (own_name) }
            form method="post" action={ "/collaborations/" (id) "/contacts" } novalidate {
                (csrf_field(csrf))
                (fields(form, v, errors))
                button.button type="submit" { "Add the contact" }
            }
        } @else {
            p { "Your organisation observes this collaboration, so you can read these but not add to them." }
        }
    }
}

pub async fn create(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
    PageForm(form): PageForm<ContactForm>,
) -> Result<Response, AppError> {
    let actor = viewer.actor();
    match actions::contacts::add_contact(&state, &actor, id, &form.input()).await {
        Ok(_) => {
            Ok(Redirect::to(&format!("/collaborations/{id}/contacts?done=added")).into_response())
        }
        Err(AppError::Invalid(errors)) => {
            list_page(&state, &actor, &ctx, id, &form, &errors, "").await
        }
        Err(e) => Err(e),
    }
}

fn edit_page(
    status: StatusCode,
    ctx: &PageContext,
    v: &ContactsView,
    cid: i64,
    form: &ContactForm,
    errors: &FieldErrors,
    current: Option<&Contact>,
) -> Response {
    let id = v.collaboration.id;
    render(
        status,
        page(
            ctx,
            "Change a contact",
            Some(errors),
            html! {
                (back_link(&format!("/collaborations/{id}/contacts"), "Back to who is who"))
                span.caption { (v.collaboration.title) }
                h1 { "Change a contact" }
                @if let Some(now) = current {
                    div.error-summary role="alert" aria-labelledby="stale-title" tabindex="-1" {
                        h2 #stale-title { "Someone else changed this contact" }
                        p { (stale_message(now)) }
                        p { "This is the contact as it is now. Your changes are still in the form below: save again to replace theirs with yours." }
                        p { (contact_line(now)) }
                    }
                }
                form method="post" action={ "/contacts/" (cid) "/edit" } novalidate {
                    (csrf_field(&ctx.csrf))
                    input type="hidden" name="version" value=(form.version);
                    (fields(form, v, errors))
                    button.button type="submit" { "Save" }
                }
            },
        ),
    )
}

pub async fn edit_form(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(cid): P<i64>,
) -> Result<Response, AppError> {
    let (v, c) = actions::contacts::contact_for_editing(&state, &viewer.actor(), cid).await?;
    Ok(edit_page(
        StatusCode::OK,
        &ctx,
        &v,
        cid,
        &ContactForm::from_contact(&c),
        &FieldErrors::new(),
        None,
    ))
}

pub async fn update(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(cid): P<i64>,
    PageForm(form): PageForm<ContactForm>,
) -> Result<Response, AppError> {
    let actor = viewer.actor();
    let version = form.version.trim().parse().ok();
    match actions::contacts::update_contact(&state, &actor, cid, version, &form.input()).await {
        Ok(ContactUpdate::Saved(c)) => Ok(Redirect::to(&format!(
            "/collaborations/{}/contacts?done=changed",
            c.collaboration_id
        ))
        .into_response()),
        Ok(ContactUpdate::Stale(current)) => {
            let (v, _) = actions::contacts::contact_for_editing(&state, &actor, cid).await?;
            let form = ContactForm {
                version: current.version.to_string(),
                ..form
            };
            Ok(edit_page(
                StatusCode::CONFLICT,
                &ctx,
                &v,
                cid,
                &form,
                &FieldErrors::new(),
                Some(&current),
            ))
        }
        Err(AppError::Invalid(errors)) => {
            let (v, _) = actions::contacts::contact_for_editing(&state, &actor, cid).await?;
            Ok(edit_page(
                StatusCode::UNPROCESSABLE_ENTITY,
                &ctx,
                &v,
                cid,
                &form,
                &errors,
                None,
            ))
        }
        Err(e) => Err(e),
    }
}

pub async fn remove_confirm(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(cid): P<i64>,
) -> Result<Response, AppError> {
    let (v, c) = actions::contacts::contact_for_editing(&state, &viewer.actor(), cid).await?;
    let id = v.collaboration.id;
    Ok(render(
        StatusCode::OK,
        page(
            &ctx,
            &format!("Remove {}?", c.name),
            None,
            html! {
                (back_link(&format!("/collaborations/{id}/contacts"), "Back to who is who"))
                span.caption { (v.collaboration.title) }
                h1 { "Remove " (c.name) "?" }
                p { "They will no longer be listed as a contact for " (c.organisation_name) "." }
                form method="post" action={ "/contacts/" (cid) "/remove" } {
                    (csrf_field(&ctx.csrf))
                    button.button.warning type="submit" { "Remove " (c.name) }
                }
                p { a href={ "/collaborations/" (id) "/contacts" } { "No, keep them" } }
            },
        ),
    ))
}

pub async fn remove(
    State(state): State<AppState>,
    SignedIn(viewer, _): SignedIn,
    P(cid): P<i64>,
) -> Result<Response, AppError> {
    let id = actions::contacts::delete_contact(&state, &viewer.actor(), cid).await?;
    Ok(Redirect::to(&format!("/collaborations/{id}/contacts?done=removed")).into_response())
}
