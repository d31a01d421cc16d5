//! Own goals: each organisation's goals in a collaboration, grouped by
//! organisation, and an organisation's goals in general.

use super::layout::{
    Input, back_link, csrf_field, form_status, notice, page, paragraphs, radios, render, tag,
    textarea,
};
use crate::AppState;
use crate::actions;
use crate::actions::goals::GoalInput;
use crate::auth::{PageContext, SignedIn};
use crate::error::AppError;
use crate::extract::{P, PageForm, Q};
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use commonground_domain::FieldErrors;
use commonground_domain::goals::Benefit;
use commonground_store::goals::Goal;
use maud::{Markup, html};
use serde::Deserialize;

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct GoalForm {
    benefit: String,
    title: String,
    detail: String,
}

impl GoalForm {
    fn input(&self) -> GoalInput<'_> {
        GoalInput {
            benefit: &self.benefit,
            title: &self.title,
            detail: &self.detail,
        }
    }

    fn from_goal(g: &Goal) -> Self {
        GoalForm {
            benefit: g.benefit.code().to_string(),
            title: g.title.clone(),
            detail: g.detail.clone(),
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DoneQuery {
    done: String,
}

fn done_notice(done: &str) -> Markup {
    let text = match done {
        "added" => "The goal has been added.",
        "changed" => "The goal has been changed.",
        "deleted" => "The goal has been deleted.",
        _ => return html! {},
    };
    notice(text)
}

/// The fields of a goal: which benefit, a title and some detail.
fn goal_fields(form: &GoalForm, errors: &FieldErrors) -> Markup {
    let benefits: Vec<(&str, &str, Option<&str>)> = Benefit::ALL
        .iter()
        .map(|b| (b.code(), b.label(), Some(b.hint())))
        .collect();
    html! {
        (radios("benefit", "Which benefit is this goal about?", None, &benefits, &form.benefit, errors))
        (Input::text("title", "Goal", &form.title)
            .hint("One sentence, like \u{201c}Share one finance officer between us\u{201d}. Up to 200 characters.")
            .render(errors))
        (textarea("detail", "More detail (optional)", Some("Why it matters to your organisation and how you will know it has happened."), &form.detail, 4, errors))
    }
}

/// One goal, with its change and delete controls when allowed.
fn goal_item(ctx: &PageContext, g: &Goal, base: &str, can_edit: bool) -> Markup {
    html! {
        li.goal {
            h3 { (g.title) }
            p { (tag(g.benefit.label(), "tag-current")) }
            (paragraphs(&g.detail))
            @if can_edit {
                div.button-group {
                    a.button.secondary.small href={ (base) "/" (g.id) "/edit" } { "Change" span.visually-hidden { " the goal \u{201c}" (g.title) "\u{201d}" } }
                    form.inline method="post" action={ (base) "/" (g.id) "/delete" } {
                        (csrf_field(&ctx.csrf))
                        button.button.warning.small type="submit" { "Delete" span.visually-hidden { " the goal \u{201c}" (g.title) "\u{201d}" } }
                    }
                }
            }
        }
    }
}

// --- in a collaboration ---------------------------------------------------

pub async fn collab_index(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
    Q(q): Q<DoneQuery>,
) -> Result<Response, AppError> {
    collab_page(
        &state,
        &viewer,
        &ctx,
        id,
        &GoalForm::default(),
        &FieldErrors::new(),
        &q.done,
    )
    .await
}

async fn collab_page(
    state: &AppState,
    viewer: &crate::auth::Viewer,
    ctx: &PageContext,
    id: i64,
    form: &GoalForm,
    errors: &FieldErrors,
    done: &str,
) -> Result<Response, AppError> {
    let v = actions::goals::collaboration_goals(state, &viewer.actor(), id).await?;
    let c = &v.collaboration;
    let base = format!("/collaborations/{id}/goals");
    let mut orgs: Vec<(i64, String)> = v
        .participants
        .iter()
        .map(|p| (p.organisation_id, p.name.clone()))
        .collect();
    orgs.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
    Ok(render(
        form_status(errors),
        page(
            ctx,
            &format!("Own goals: {}", c.title),
            Some(errors),
            html! {
                (done_notice(done))
                (back_link(&format!("/collaborations/{id}/identify"), "Back to the Identify stage"))
                span.caption { (c.title) }
                h1 { "Own goals" }
                p.lead { "What each organisation wants from working together. Each goal is tied to one of four benefits. Everyone taking part can read them; only an organisation's own members can change its goals." }
                @for (org, name) in &orgs {
                    @let goals: Vec<&Goal> = v.goals.iter().filter(|g| g.organisation_id == *org).collect();
                    section.goals-of {
                        h2 { (name) }
                        @if goals.is_empty() {
                            p.muted { "No goals yet." }
                        } @else {
                            ul.plain-list {
                                @for g in goals { (goal_item(ctx, g, &base, v.can_edit(g))) }
                            }
                        }
                    }
                }
                @if let Some((_, name)) = &v.adding_for {
                    h2 #add { "Add a goal for " (name) }
                    form method="post" action=(base) novalidate {
                        (csrf_field(&ctx.csrf))
                        (goal_fields(form, errors))
                        button.button type="submit" { "Add goal" }
                    }
                } @else {
                    p { "Your organisation observes this collaboration, so you can read these goals but not add to them." }
                }
            },
        ),
    ))
}

pub async fn collab_create(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
    PageForm(form): PageForm<GoalForm>,
) -> Result<Response, AppError> {
    match actions::goals::add_collaboration_goal(&state, &viewer.actor(), id, &form.input()).await {
        Ok(_) => {
            Ok(Redirect::to(&format!("/collaborations/{id}/goals?done=added")).into_response())
        }
        Err(AppError::Invalid(errors)) => {
            collab_page(&state, &viewer, &ctx, id, &form, &errors, "").await
        }
        Err(e) => Err(e),
    }
}

fn edit_page(
    ctx: &PageContext,
    caption: &str,
    back: &str,
    action: &str,
    form: &GoalForm,
    errors: &FieldErrors,
) -> Response {
    render(
        form_status(errors),
        page(
            ctx,
            "Change a goal",
            Some(errors),
            html! {
                (back_link(back, "Back to the goals"))
                span.caption { (caption) }
                h1 { "Change a goal" }
                form method="post" action=(action) novalidate {
                    (csrf_field(&ctx.csrf))
                    (goal_fields(form, errors))
                    button.button type="submit" { "Save goal" }
                }
            },
        ),
    )
}

pub async fn collab_edit_form(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P((id, goal_id)): P<(i64, i64)>,
) -> Result<Response, AppError> {
    let (c, goal) =
        actions::goals::collaboration_goal_for_editing(&state, &viewer.actor(), id, goal_id)
            .await?;
    let base = format!("/collaborations/{id}/goals");
    Ok(edit_page(
        &ctx,
        &format!("{}: {}", c.title, goal.organisation_name),
        &base,
        &format!("{base}/{goal_id}/edit"),
        &GoalForm::from_goal(&goal),
        &FieldErrors::new(),
    ))
}

pub async fn collab_update(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P((id, goal_id)): P<(i64, i64)>,
    PageForm(form): PageForm<GoalForm>,
) -> Result<Response, AppError> {
    let actor = viewer.actor();
    match actions::goals::update_collaboration_goal(&state, &actor, id, goal_id, &form.input())
        .await
    {
        Ok(_) => {
            Ok(Redirect::to(&format!("/collaborations/{id}/goals?done=changed")).into_response())
        }
        Err(AppError::Invalid(errors)) => {
            let (c, goal) =
                actions::goals::collaboration_goal_for_editing(&state, &actor, id, goal_id).await?;
            let base = format!("/collaborations/{id}/goals");
            Ok(edit_page(
                &ctx,
                &format!("{}: {}", c.title, goal.organisation_name),
                &base,
                &format!("{base}/{goal_id}/edit"),
                &form,
                &errors,
            ))
        }
        Err(e) => Err(e),
    }
}

pub async fn collab_delete(
    State(state): State<AppState>,
    SignedIn(viewer, _): SignedIn,
    P((id, goal_id)): P<(i64, i64)>,
) -> Result<Response, AppError> {
    actions::goals::delete_collaboration_goal(&state, &viewer.actor(), id, goal_id).await?;
    Ok(Redirect::to(&format!("/collaborations/{id}/goals?done=deleted")).into_response())
}

// --- the organisation's goals in general ---------------------------------

pub async fn org_index(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
    Q(q): Q<DoneQuery>,
) -> Result<Response, AppError> {
    org_page(
        &state,
        &viewer,
        &ctx,
        id,
        &GoalForm::default(),
        &FieldErrors::new(),
        &q.done,
    )
    .await
}

async fn org_page(
    state: &AppState,
    viewer: &crate::auth::Viewer,
    ctx: &PageContext,
    id: i64,
    form: &GoalForm,
    errors: &FieldErrors,
    done: &str,
) -> Result<Response, AppError> {
    let v = actions::goals::organisation_goals(state, &viewer.actor(), id).await?;
    let name = &v.organisation.name;
    let base = format!("/organisations/{id}/goals");
    Ok(render(
        form_status(errors),
        page(
            ctx,
            &format!("Goals for collaborating: {name}"),
            Some(errors),
            html! {
                (done_notice(done))
                (back_link(&format!("/organisations/{id}"), &format!("Back to {name}")))
                span.caption { (name) }
                h1 { "Goals for collaborating" }
                p.lead { "What your organisation wants from working with others, whichever collaboration it is in. Only members of " (name) " can see these." }
                h2 { "Your goals" }
                @if v.goals.is_empty() {
                    p.muted { "No goals yet." }
                } @else {
                    ul.plain-list {
                        @for g in &v.goals { (goal_item(ctx, g, &base, true)) }
                    }
                }
                h2 #add { "Add a goal" }
                form method="post" action=(base) novalidate {
                    (csrf_field(&ctx.csrf))
                    (goal_fields(form, errors))
                    button.button type="submit" { "Add goal" }
                }
            },
        ),
    ))
}

pub async fn org_create(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
    PageForm(form): PageForm<GoalForm>,
) -> Result<Response, AppError> {
    match actions::goals::add_organisation_goal(&state, &viewer.actor(), id, &form.input()).await {
        Ok(_) => Ok(Redirect::to(&format!("/organisations/{id}/goals?done=added")).into_response()),
        Err(AppError::Invalid(errors)) => {
            org_page(&state, &viewer, &ctx, id, &form, &errors, "").await
        }
        Err(e) => Err(e),
    }
}

pub async fn org_edit_form(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P((id, goal_id)): P<(i64, i64)>,
) -> Result<Response, AppError> {
    let goal =
        actions::goals::organisation_goal_for_editing(&state, &viewer.actor(), id, goal_id).await?;
    let base = format!("/organisations/{id}/goals");
    Ok(edit_page(
        &ctx,
        &goal.organisation_name,
        &base,
        &format!("{base}/{goal_id}/edit"),
        &GoalForm::from_goal(&goal),
        &FieldErrors::new(),
    ))
}

pub async fn org_update(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P((id, goal_id)): P<(i64, i64)>,
    PageForm(form): PageForm<GoalForm>,
) -> Result<Response, AppError> {
    let actor = viewer.actor();
    match actions::goals::update_organisation_goal(&state, &actor, id, goal_id, &form.input()).await
    {
        Ok(_) => {
            Ok(Redirect::to(&format!("/organisations/{id}/goals?done=changed")).into_response())
        }
        Err(AppError::Invalid(errors)) => {
            let goal =
                actions::goals::organisation_goal_for_editing(&state, &actor, id, goal_id).await?;
            let base = format!("/organisations/{id}/goals");
            Ok(edit_page(
                &ctx,
                &goal.organisation_name,
                &base,
                &format!("{base}/{goal_id}/edit"),
                &form,
                &errors,
            ))
        }
        Err(e) => Err(e),
    }
}

pub async fn org_delete(
    State(state): State<AppState>,
    SignedIn(viewer, _): SignedIn,
    P((id, goal_id)): P<(i64, i64)>,
) -> Result<Response, AppError> {
    actions::goals::delete_organisation_goal(&state, &viewer.actor(), id, goal_id).await?;
    Ok(Redirect::to(&format!("/organisations/{id}/goals?done=deleted")).into_response())
}
