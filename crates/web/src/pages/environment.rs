//! The strategic environment: a SWOT grid and the six PESTLE headings,
//! each with its items, and a form to add one.

use super::layout::{
    back_link, csrf_field, form_status, notice, page, paragraphs, render, textarea,
};
use crate::AppState;
use crate::actions;
use crate::actions::environment::{EnvironmentInput, EnvironmentView};
use crate::auth::{PageContext, SignedIn, Viewer};
use crate::error::AppError;
use crate::extract::{P, PageForm, Q};
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use commonground_domain::FieldErrors;
use commonground_domain::environment::{Category, Framework};
use commonground_store::environment::EnvironmentItem;
use maud::{Markup, html};
use serde::Deserialize;

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct ItemForm {
    /// Optional: the heading says which framework it is.
    framework: Option<String>,
    category: String,
    text: String,
}

impl ItemForm {
    fn input(&self) -> EnvironmentInput<'_> {
        EnvironmentInput {
            framework: self.framework.as_deref().filter(|f| !f.is_empty()),
            category: &self.category,
            text: &self.text,
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DoneQuery {
    done: String,
}

/// The heading to choose, grouped by framework.
fn item_fields(form: &ItemForm, errors: &FieldErrors) -> Markup {
    let error = errors.get("category");
    html! {
        div.field.field-error[error.is_some()] {
            label.label for="category" { "Heading" }
            p.hint id="category-hint" { "SWOT headings are about the partners and what is around them; PESTLE headings are changes in the wider world." }
            @if let Some(e) = error { p.error-message id="category-error" { span.visually-hidden { "Error: " } (e) } }
            select.select id="category" name="category"
                aria-describedby=(if error.is_some() { "category-hint category-error" } else { "category-hint" })
                aria-invalid=[error.map(|_| "true")] {
                option value="" selected[form.category.is_empty()] { "Choose a heading" }
                @for f in Framework::ALL {
                    optgroup label=(f.label()) {
                        @for c in f.categories() {
                            option value=(c.code()) selected[form.category == c.code()] { (c.label()) " (" (f.label()) ")" }
                        }
                    }
                }
            }
        }
        (textarea("text", "Item", Some("One short point in your own words. Up to 1,000 characters."), &form.text, 3, errors))
    }
}

fn items_under(
    ctx: &PageContext,
    v: &EnvironmentView,
    category: Category,
    heading: Markup,
) -> Markup {
    let items: Vec<&EnvironmentItem> = v.items.iter().filter(|i| i.category == category).collect();
    let id = v.collaboration.id;
    html! {
        section.env-box {
            (heading)
            p.hint { (category.hint()) }
            @if items.is_empty() {
                p.muted { "Nothing noted yet." }
            } @else {
                ul.plain-list {
                    @for i in items {
                        li {
                            (paragraphs(&i.text))
                            p.muted { "Added by " (i.organisation_name) }
                            @if v.can_contribute {
                                div.button-group {
                                    a.button.secondary.small href={ "/collaborations/" (id) "/environment/" (i.id) "/edit" } { "Change" span.visually-hidden { " this item under " (category.label()) } }
                                    form.inline method="post" action={ "/collaborations/" (id) "/environment/" (i.id) "/delete" } {
                                        (csrf_field(&ctx.csrf))
                                        button.button.warning.small type="submit" { "Delete" span.visually-hidden { " this item under " (category.label()) } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

pub async fn index(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
    Q(q): Q<DoneQuery>,
) -> Result<Response, AppError> {
    environment_page(
        &state,
        &viewer,
        &ctx,
        id,
        &ItemForm::default(),
        &FieldErrors::new(),
        &q.done,
    )
    .await
}

async fn environment_page(
    state: &AppState,
    viewer: &Viewer,
    ctx: &PageContext,
    id: i64,
    form: &ItemForm,
    errors: &FieldErrors,
    done: &str,
) -> Result<Response, AppError> {
    let v = actions::environment::environment(state, &viewer.actor(), id).await?;
    let c = &v.collaboration;
    let message = match done {
        "added" => Some("The item has been added."),
        "changed" => Some("The item has been changed."),
        "deleted" => Some("The item has been deleted."),
        _ => None,
    };
    Ok(render(
        form_status(errors),
        page(
            ctx,
            &format!("Strategic environment: {}", c.title),
            Some(errors),
            html! {
                @if let Some(m) = message { (notice(m)) }
                (back_link(&format!("/collaborations/{id}/identify"), "Back to the Identify stage"))
                span.caption { (c.title) }
                h1 { "Strategic environment" }
                p.lead { "What the partners bring, what they lack, and what is happening around them. Note points under SWOT, PESTLE or both." }
                h2 { "SWOT" }
                p { (Framework::Swot.hint()) }
                div.swot-grid {
                    @for cat in Framework::Swot.categories() {
                        (items_under(ctx, &v, *cat, html! { h3 { (cat.label()) } }))
                    }
                }
                h2 { "PESTLE" }
                p { (Framework::Pestle.hint()) }
                div.pestle-list {
                    @for cat in Framework::Pestle.categories() {
                        (items_under(ctx, &v, *cat, html! { h3 { (cat.label()) } }))
                    }
                }
                @if v.can_contribute {
                    h2 #add { "Add an item" }
                    form method="post" action={ "/collaborations/" (id) "/environment" } novalidate {
                        (csrf_field(&ctx.csrf))
                        (item_fields(form, errors))
                        button.button type="submit" { "Add item" }
                    }
                } @else {
                    p { "Your organisation observes this collaboration, so you can read these items but not add to them." }
                }
            },
        ),
    ))
}

pub async fn create(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
    PageForm(form): PageForm<ItemForm>,
) -> Result<Response, AppError> {
    match actions::environment::add_environment_item(&state, &viewer.actor(), id, &form.input())
        .await
    {
        Ok(_) => Ok(
            Redirect::to(&format!("/collaborations/{id}/environment?done=added")).into_response(),
        ),
        Err(AppError::Invalid(errors)) => {
            environment_page(&state, &viewer, &ctx, id, &form, &errors, "").await
        }
        Err(e) => Err(e),
    }
}

fn edit_page(
    ctx: &PageContext,
    title: &str,
    id: i64,
    item_id: i64,
    form: &ItemForm,
    errors: &FieldErrors,
) -> Response {
    render(
        form_status(errors),
        page(
            ctx,
            "Change an item",
            Some(errors),
            html! {
                (back_link(&format!("/collaborations/{id}/environment"), "Back to the strategic environment"))
                span.caption { (title) }
                h1 { "Change an item" }
                form method="post" action={ "/collaborations/" (id) "/environment/" (item_id) "/edit" } novalidate {
                    (csrf_field(&ctx.csrf))
                    (item_fields(form, errors))
                    button.button type="submit" { "Save item" }
                }
            },
        ),
    )
}

pub async fn edit_form(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P((id, item_id)): P<(i64, i64)>,
) -> Result<Response, AppError> {
    let (c, item) =
        actions::environment::environment_item_for_editing(&state, &viewer.actor(), id, item_id)
            .await?;
    let form = ItemForm {
        framework: None,
        category: item.category.code().to_string(),
        text: item.text.clone(),
    };
    Ok(edit_page(
        &ctx,
        &c.title,
        id,
        item_id,
        &form,
        &FieldErrors::new(),
    ))
}

pub async fn update(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P((id, item_id)): P<(i64, i64)>,
    PageForm(form): PageForm<ItemForm>,
) -> Result<Response, AppError> {
    let actor = viewer.actor();
    match actions::environment::update_environment_item(&state, &actor, id, item_id, &form.input())
        .await
    {
        Ok(_) => Ok(
            Redirect::to(&format!("/collaborations/{id}/environment?done=changed")).into_response(),
        ),
        Err(AppError::Invalid(errors)) => {
            let (c, _) =
                actions::environment::environment_item_for_editing(&state, &actor, id, item_id)
                    .await?;
            Ok(edit_page(&ctx, &c.title, id, item_id, &form, &errors))
        }
        Err(e) => Err(e),
    }
}

pub async fn delete(
    State(state): State<AppState>,
    SignedIn(viewer, _): SignedIn,
    P((id, item_id)): P<(i64, i64)>,
) -> Result<Response, AppError> {
    actions::environment::delete_environment_item(&state, &viewer.actor(), id, item_id).await?;
    Ok(Redirect::to(&format!("/collaborations/{id}/environment?done=deleted")).into_response())
}
