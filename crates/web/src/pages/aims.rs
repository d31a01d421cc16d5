//! The shared aims page: the aims in a table, where approval stands (and
//! who must approve again after a change), a form to approve, a form to
//! add an aim, and a page to change one.

use super::layout::{
    Input, back_link, csrf_field, form_status, notice, page, render, select, table_scroll, tag,
    when,
};
use crate::AppState;
use crate::actions;
use crate::actions::aims::AimsView;
use crate::auth::{PageContext, SignedIn, Viewer};
use crate::error::AppError;
use crate::extract::{P, PageForm, Q};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use commonground_domain::FieldErrors;
use commonground_domain::aims::AimInput;
use commonground_store::aims::Aim;
use maud::{Markup, html};
use serde::Deserialize;

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct AimForm {
    title: String,
    indicator: String,
    baseline: String,
    target: String,
    target_date: String,
    benefit_id: String,
    /// The aim's version when the form was opened.
    version: String,
}

impl AimForm {
    fn input(&self) -> AimInput<'_> {
        AimInput {
            title: &self.title,
            indicator: &self.indicator,
            baseline: &self.baseline,
            target: &self.target,
            target_date: &self.target_date,
            benefit_id: &self.benefit_id,
        }
    }

    fn from_aim(a: &Aim) -> Self {
        AimForm {
            title: a.title.clone(),
            indicator: a.indicator.clone(),
            baseline: a.baseline.clone(),
            target: a.target.clone(),
            target_date: a.target_date.clone().unwrap_or_default(),
            benefit_id: a.benefit_id.map(|b| b.to_string()).unwrap_or_default(),
            version: a.version.to_string(),
        }
    }
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct ApproveForm {
    version: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DoneQuery {
    done: String,
}

fn message(done: &str) -> Option<&'static str> {
    match done {
        "added" => Some("The aim has been added. The aims need approving again."),
        "changed" => Some("The change has been saved. The aims need approving again."),
        "removed" => Some("The aim has been removed. The aims need approving again."),
        "approved" => Some("Your organisation's approval has been recorded."),
        _ => None,
    }
}

fn fields(v: &AimsView, form: &AimForm, errors: &FieldErrors) -> Markup {
    let mut benefits: Vec<(String, String)> = vec![(String::new(), "None".to_string())];
    benefits.extend(
        v.benefits
            .iter()
            .map(|b| (b.id.to_string(), b.title.clone())),
    );
    html! {
        (Input::text("title", "Aim", &form.title)
            .hint("What you want to change, in a sentence. For example: fewer children go hungry in the school holidays.")
            .render(errors))
        (Input::text("indicator", "How you will measure it (indicator)", &form.indicator)
            .hint("For example: meals served to children in the summer holidays.")
            .render(errors))
        (Input::text("baseline", "Where you start (baseline, optional)", &form.baseline).width("width-20").render(errors))
        (Input::text("target", "Where you aim to be (target, optional)", &form.target).width("width-20").render(errors))
        (Input::text("target_date", "By when (optional)", &form.target_date)
            .hint("As year-month-day, like 2027-08-31.")
            .width("width-10")
            .render(errors))
        (select("benefit_id", "Benefit it serves (optional)", Some("The benefits of working together you recorded in the Identify stage."), &benefits, &form.benefit_id, errors))
    }
}

fn approval_box(ctx: &PageContext, v: &AimsView, errors: &FieldErrors) -> Markup {
    let s = &v.set;
    let id = v.collaboration.id;
    html! {
        h2 #approval { "Approval" }
        @if s.aims.is_empty() {
            p { "There are no aims to approve yet." }
        } @else if s.state.agreed {
            p { (tag("Approved", "tag-done")) " Every lead and partner organisation has approved version " (s.version) " of the aims." }
        } @else {
            p { (tag("Waiting for approval", "tag-attention")) " Version " (s.version) " of the aims needs approving by every lead and partner organisation." }
        }
        @if !s.aims.is_empty() {
            @if !s.state.again.is_empty() {
                p { "These organisations approved an earlier version and must approve again, because the aims or the partners changed since:" }
                ul { @for o in &s.state.again { li { (v.party_name(*o)) } } }
            }
            @let first_time: Vec<&i64> = s.state.waiting.iter().filter(|o| !s.state.again.contains(o)).collect();
            @if !first_time.is_empty() {
                p { "Still to approve:" }
                ul { @for o in first_time { li { (v.party_name(*o)) } } }
            }
            @if !s.state.approved.is_empty() {
                p { "Approved this version:" }
                ul { @for o in &s.state.approved { li { (v.party_name(*o)) } } }
            }
            @if let Some(org) = v.approves_for {
                @if !s.state.approved.contains(&org) {
                    form method="post" action={ "/collaborations/" (id) "/aims/approve" } novalidate {
                        (csrf_field(&ctx.csrf))
                        input type="hidden" name="version" value=(s.version);
                        @if let Some(e) = errors.get("version") {
                            p.error-message id="version" { span.visually-hidden { "Error: " } (e) }
                        }
                        button.button type="submit" { "Approve version " (s.version) " for " (v.party_name(org)) }
                    }
                }
            } @else {
                p.muted { "Admins of the lead and partner organisations approve the aims for their organisation." }
            }
        }
    }
}

fn aims_table(v: &AimsView) -> Markup {
    let id = v.collaboration.id;
    html! {
        @if v.set.aims.is_empty() {
            p.muted { "No shared aims yet." }
        } @else {
            (table_scroll("aims-caption", html! {
                table.table {
                    caption id="aims-caption" { "Shared aims, version " (v.set.version) }
                    thead { tr {
                        th scope="col" { "Aim" }
                        th scope="col" { "Indicator" }
                        th scope="col" { "Baseline" }
                        th scope="col" { "Target" }
                        th scope="col" { "By" }
                        th scope="col" { "Benefit" }
                        @if v.can_contribute { th scope="col" { span.visually-hidden { "Actions" } } }
                    } }
                    tbody {
                        @for a in &v.set.aims {
                            tr {
                                th scope="row" { (a.title) }
                                td { (a.indicator) }
                                td { (a.baseline) }
                                td { (a.target) }
                                td { (a.target_date.as_deref().unwrap_or("")) }
                                td { (a.benefit_title.as_deref().unwrap_or("")) }
                                @if v.can_contribute {
                                    td { a href={ "/collaborations/" (id) "/aims/" (a.id) "/edit" } { "Change" span.visually-hidden { " " (a.title) } } }
                                }
                            }
                        }
                    }
                }
            }))
        }
    }
}

#[allow(clippy::too_many_arguments)]
async fn index_page(
    state: &AppState,
    viewer: &Viewer,
    ctx: &PageContext,
    id: i64,
    form: &AimForm,
    errors: &FieldErrors,
    done: &str,
    status: StatusCode,
) -> Result<Response, AppError> {
    let v = actions::aims::aims(state, &viewer.actor(), id).await?;
    let c = &v.collaboration;
    Ok(render(
        status,
        page(
            ctx,
            &format!("Shared aims: {}", c.title),
            Some(errors),
            html! {
                @if let Some(m) = message(done) { (notice(m)) }
                (back_link(&format!("/collaborations/{id}#plan"), "Back to the collaboration"))
                span.caption { (c.title) }
                h1 { "Shared aims" }
                p.lead { "What the partners want to achieve together, how you will know, and by when. Every lead and partner organisation approves the set; any change reopens approval." }
                (aims_table(&v))
                (approval_box(ctx, &v, errors))
                @if v.can_contribute {
                    h2 #add { "Add an aim" }
                    form method="post" action={ "/collaborations/" (id) "/aims" } novalidate {
                        (csrf_field(&ctx.csrf))
                        (fields(&v, form, errors))
                        button.button type="submit" { "Add aim" }
                    }
                } @else {
                    p { "Your organisation observes this collaboration, so you can read the aims but not change them." }
                }
            },
        ),
    ))
}

pub async fn index(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
    Q(q): Q<DoneQuery>,
) -> Result<Response, AppError> {
    index_page(
        &state,
        &viewer,
        &ctx,
        id,
        &AimForm::default(),
        &FieldErrors::new(),
        &q.done,
        StatusCode::OK,
    )
    .await
}

pub async fn create(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
    PageForm(form): PageForm<AimForm>,
) -> Result<Response, AppError> {
    match actions::aims::add_aim(&state, &viewer.actor(), id, &form.input()).await {
        Ok(_) => Ok(Redirect::to(&format!("/collaborations/{id}/aims?done=added")).into_response()),
        Err(AppError::Invalid(errors)) => {
            let status = form_status(&errors);
            index_page(&state, &viewer, &ctx, id, &form, &errors, "", status).await
        }
        Err(e) => Err(e),
    }
}

pub async fn approve(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
    PageForm(form): PageForm<ApproveForm>,
) -> Result<Response, AppError> {
    match actions::aims::approve_aims(&state, &viewer.actor(), id, &form.version).await {
        Ok(_) => {
            Ok(Redirect::to(&format!("/collaborations/{id}/aims?done=approved")).into_response())
        }
        Err(AppError::Conflict(reason)) => {
            let errors = FieldErrors::single("version", reason);
            index_page(
                &state,
                &viewer,
                &ctx,
                id,
                &AimForm::default(),
                &errors,
                "",
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(e) => Err(e),
    }
}

fn edit_page(
    ctx: &PageContext,
    v: &AimsView,
    aim: &Aim,
    form: &AimForm,
    errors: &FieldErrors,
    status: StatusCode,
) -> Response {
    let id = v.collaboration.id;
    let base = format!("/collaborations/{id}/aims/{}", aim.id);
    render(
        status,
        page(
            ctx,
            &format!("Change the aim: {}", aim.title),
            Some(errors),
            html! {
                (back_link(&format!("/collaborations/{id}/aims"), "Back to the shared aims"))
                span.caption { (v.collaboration.title) }
                h1 { "Change the aim" }
                p { "Last changed " (when(aim.updated_at)) ". Saving a change means every partner must approve the aims again." }
                form method="post" action={ (base) "/edit" } novalidate {
                    (csrf_field(&ctx.csrf))
                    input type="hidden" name="version" value=(form.version);
                    (fields(v, form, errors))
                    button.button type="submit" { "Save the change" }
                }
                h2 { "Remove this aim" }
                form method="post" action={ (base) "/delete" } {
                    (csrf_field(&ctx.csrf))
                    button.button.warning type="submit" { "Remove " (aim.title) }
                }
            },
        ),
    )
}

pub async fn edit_form(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P((id, aim_id)): P<(i64, i64)>,
) -> Result<Response, AppError> {
    let (v, aim) = actions::aims::aim(&state, &viewer.actor(), id, aim_id).await?;
    Ok(edit_page(
        &ctx,
        &v,
        &aim,
        &AimForm::from_aim(&aim),
        &FieldErrors::new(),
        StatusCode::OK,
    ))
}

pub async fn update(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P((id, aim_id)): P<(i64, i64)>,
    PageForm(form): PageForm<AimForm>,
) -> Result<Response, AppError> {
    let actor = viewer.actor();
    match actions::aims::update_aim(&state, &actor, id, aim_id, &form.input(), &form.version).await
    {
        Ok(_) => {
            Ok(Redirect::to(&format!("/collaborations/{id}/aims?done=changed")).into_response())
        }
        Err(AppError::Invalid(errors)) => {
            let (v, aim) = actions::aims::aim(&state, &actor, id, aim_id).await?;
            Ok(edit_page(
                &ctx,
                &v,
                &aim,
                &form,
                &errors,
                form_status(&errors),
            ))
        }
        // Someone else saved first: show their version number so the next
        // save is based on it, keep what this person typed, and say what
        // the aim reads now.
        Err(AppError::Conflict(reason)) => {
            let (v, aim) = actions::aims::aim(&state, &actor, id, aim_id).await?;
            let kept = AimForm {
                version: aim.version.to_string(),
                ..form
            };
            let errors = FieldErrors::single("title", reason);
            Ok(edit_page(
                &ctx,
                &v,
                &aim,
                &kept,
                &errors,
                StatusCode::CONFLICT,
            ))
        }
        Err(e) => Err(e),
    }
}

pub async fn delete(
    State(state): State<AppState>,
    SignedIn(viewer, _): SignedIn,
    P((id, aim_id)): P<(i64, i64)>,
) -> Result<Response, AppError> {
    actions::aims::delete_aim(&state, &viewer.actor(), id, aim_id).await?;
    Ok(Redirect::to(&format!("/collaborations/{id}/aims?done=removed")).into_response())
}
