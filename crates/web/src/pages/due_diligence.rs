//! The due diligence page: each area with its status, owner and note, and
//! a form per area to change them.

use super::layout::{back_link, csrf_field, notice, page, render, tag, when};
use crate::AppState;
use crate::actions;
use crate::actions::due_diligence::{DueDiligenceView, ItemInput};
use crate::auth::{PageContext, SignedIn};
use crate::error::AppError;
use crate::extract::{P, PageForm, Q};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use commonground_domain::FieldErrors;
use commonground_domain::due_diligence::{Area, ItemStatus};
use commonground_store::due_diligence::DueDiligenceItem;
use maud::{Markup, html};
use serde::Deserialize;

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct ItemForm {
    status: String,
    owner_organisation_id: String,
    note: String,
    based_on: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DoneQuery {
    done: String,
}

fn status_tag(s: ItemStatus) -> Markup {
    let class = match s {
        ItemStatus::NotStarted => "tag-attention",
        ItemStatus::InProgress => "tag-current",
        ItemStatus::Done | ItemStatus::NotApplicable => "tag-done",
    };
    tag(s.label(), class)
}

/// A refused change to one area: what was sent, and why.
struct Refused<'a> {
    area: Area,
    form: &'a ItemForm,
    errors: &'a FieldErrors,
    conflict: Option<&'a str>,
}

fn item_form(
    ctx: &PageContext,
    v: &DueDiligenceView,
    i: &DueDiligenceItem,
    refused: Option<&Refused>,
) -> Markup {
    let code = i.area.code();
    let mine = refused.filter(|r| r.area == i.area);
    let error = |field: &str| mine.and_then(|r| r.errors.get(field));
    let status = mine.map_or(i.status.code(), |r| r.form.status.as_str());
    let owner = mine.map_or_else(
        || {
            i.owner_organisation_id
                .map(|o| o.to_string())
                .unwrap_or_default()
        },
        |r| r.form.owner_organisation_id.clone(),
    );
    let note = mine.map_or(i.note.as_str(), |r| r.form.note.as_str());
    html! {
        form.due-diligence-form method="post" action={ "/collaborations/" (v.collaboration.id) "/due-diligence/" (code) } novalidate {
            (csrf_field(&ctx.csrf))
            input type="hidden" name="based_on" value=(i.version);
            @if let Some(m) = mine.and_then(|r| r.conflict) {
                p.error-message id={ "conflict-" (code) } { span.visually-hidden { "Error: " } (m) }
            }
            div.field.field-error[error("status").is_some()] {
                label.label for={ "status-" (code) } { "Status" span.visually-hidden { " of " (i.area.label()) } }
                @if let Some(e) = error("status") { p.error-message { (e) } }
                select.select id={ "status-" (code) } name="status" {
                    @for s in ItemStatus::ALL { option value=(s.code()) selected[s.code() == status] { (s.label()) } }
                }
            }
            div.field.field-error[error("owner_organisation_id").is_some()] {
                label.label for={ "owner-" (code) } { "Owner" span.visually-hidden { " of " (i.area.label()) } }
                @if let Some(e) = error("owner_organisation_id") { p.error-message { (e) } }
                select.select id={ "owner-" (code) } name="owner_organisation_id" {
                    option value="" selected[owner.is_empty()] { "Nobody yet" }
                    @for p in &v.participants {
                        @let value = p.organisation_id.to_string();
                        option value=(value) selected[value == owner] { (p.name) }
                    }
                }
            }
            div.field.field-error[error("note").is_some()] {
                label.label for={ "note-" (code) } { "Note" span.visually-hidden { " on " (i.area.label()) } }
                @if let Some(e) = error("note") { p.error-message { (e) } }
                textarea.textarea id={ "note-" (code) } name="note" rows="2" { (note) }
            }
            @if let Some(e) = error("based_on") { p.error-message { (e) } }
            button.button.secondary type="submit" { "Save" span.visually-hidden { " " (i.area.label()) } }
        }
    }
}

fn dd_page(
    ctx: &PageContext,
    v: &DueDiligenceView,
    refused: Option<&Refused>,
    done: bool,
    status: StatusCode,
) -> Response {
    let c = &v.collaboration;
    // The page's error summary links to the refused area's fields.
    let mut summary = FieldErrors::new();
    if let Some(r) = refused {
        for e in &r.errors.0 {
            let id = match e.field.as_str() {
                "owner_organisation_id" => "owner",
                "based_on" => "status",
                other => other,
            };
            summary.add(format!("{id}-{}", r.area.code()), e.message.clone());
        }
    }
    render(
        status,
        page(
            ctx,
            &format!("Due diligence: {}", c.title),
            Some(&summary),
            html! {
                @if done { (notice("The change has been saved.")) }
                (back_link(&format!("/collaborations/{}/plan", c.id), "Back to the Plan stage"))
                span.caption { (c.title) }
                h1 { "Due diligence" }
                p.lead { "Before a consortium with its own legal vehicle, a group structure or a merger, each partner looks carefully at the others: what they own and owe, who works for them, and what they have promised." }
                @match (&v.model, v.applies) {
                    (Some(m), true) => p { "The model chosen is " strong { (m.model.label().to_lowercase()) } ", so this checklist applies. " (v.progress.sentence()) },
                    (Some(m), false) => p { "The model chosen now is " (m.model.label().to_lowercase()) ", which does not need due diligence. " @if !v.items.is_empty() { "The checklist below is kept from an earlier choice, and cannot be changed unless a deeper model is chosen again." } },
                    (None, _) => p { "No model has been chosen yet. Due diligence starts when a consortium with its own legal vehicle, a group structure or a merger is chosen. " a href={ "/collaborations/" (c.id) "/model" } { "Choose a model" } "." },
                }
                @if v.applies && !v.can_contribute {
                    p { "Your organisation observes this collaboration, so you can read the checklist but not change it." }
                }
                @for i in &v.items {
                    section.due-diligence-item {
                        h2 id={ "area-" (i.area.code()) } { (i.area.label()) " " (status_tag(i.status)) }
                        p.hint { (i.area.hint()) }
                        dl.summary-list {
                            div { dt { "Owner" } dd { @if i.owner_name.is_empty() { "Nobody yet" } @else { (i.owner_name) } } }
                            div { dt { "Note" } dd { @if i.note.is_empty() { "None" } @else { (i.note) } } }
                            div { dt { "Last change" } dd { (i.updated_by_name) ", " (when(i.updated_at)) } }
                        }
                        @if v.applies && v.can_contribute { (item_form(ctx, v, i, refused)) }
                    }
                }
            },
        ),
    )
}

pub async fn show(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
    Q(q): Q<DoneQuery>,
) -> Result<Response, AppError> {
    let v = actions::due_diligence::due_diligence(&state, &viewer.actor(), id).await?;
    Ok(dd_page(&ctx, &v, None, q.done == "changed", StatusCode::OK))
}

pub async fn change(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P((id, area)): P<(i64, String)>,
    PageForm(form): PageForm<ItemForm>,
) -> Result<Response, AppError> {
    let actor = viewer.actor();
    let input = ItemInput {
        status: &form.status,
        owner_organisation_id: &form.owner_organisation_id,
        note: &form.note,
        based_on: &form.based_on,
    };
    let result = actions::due_diligence::change_item(&state, &actor, id, &area, &input).await;
    let (errors, conflict, status) = match result {
        Ok(_) => {
            return Ok(Redirect::to(&format!(
                "/collaborations/{id}/due-diligence?done=changed#area-{area}"
            ))
            .into_response());
        }
        Err(AppError::Invalid(errors)) => (errors, None, StatusCode::UNPROCESSABLE_ENTITY),
        Err(AppError::Conflict(m)) => (FieldErrors::new(), Some(m), StatusCode::CONFLICT),
        Err(e) => return Err(e),
    };
    let v = actions::due_diligence::due_diligence(&state, &actor, id).await?;
    let Some(area) = Area::parse_code(&area) else {
        return Err(AppError::NotFound);
    };
    // A conflict about the model (not the item) is shown as the page's error.
    if let (Some(m), false) = (&conflict, v.applies) {
        return Err(AppError::Conflict(m.clone()));
    }
    let refused = Refused {
        area,
        form: &form,
        errors: &errors,
        conflict: conflict.as_deref(),
    };
    Ok(dd_page(&ctx, &v, Some(&refused), false, status))
}
