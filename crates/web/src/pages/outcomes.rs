//! The aims review pages: every shared aim with how it went (or that it
//! has not been reviewed yet), and a form per aim to record or change its
//! review. The evidence is Markdown, shown safely; links are plain links.

use super::layout::{
    Input, back_link, csrf_field, form_status, notice, page, radios, render, table_scroll, tag,
    textarea, when,
};
use crate::AppState;
use crate::actions;
use crate::actions::outcomes::AimsReview;
use crate::auth::{PageContext, SignedIn};
use crate::error::AppError;
use crate::extract::{P, PageForm, Q};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use commonground_domain::FieldErrors;
use commonground_domain::outcomes::{AimReviewInput, Outcome};
use commonground_report::markdown::to_html;
use commonground_store::collaborations::Collaboration;
use commonground_store::outcomes::{AimReview, ReviewedAim};
use maud::{Markup, PreEscaped, html};
use serde::Deserialize;

fn outcome_tag(review: Option<&AimReview>) -> Markup {
    match review.map(|r| r.outcome) {
        Some(o @ Outcome::Achieved) => tag(o.label(), "tag-done"),
        Some(o @ Outcome::Partly) => tag(o.label(), "tag-current"),
        Some(o @ Outcome::NotAchieved) => tag(o.label(), "tag-attention"),
        None => tag("Not reviewed yet", "tag-attention"),
    }
}

/// What the partners set and what happened, side by side.
fn measures(a: &ReviewedAim) -> Markup {
    html! {
        dl.summary-list {
            div { dt { "Indicator" } dd { (a.indicator) } }
            div { dt { "Baseline" } dd { @if a.baseline.is_empty() { "Not given" } @else { (a.baseline) } } }
            div { dt { "Target" } dd { @if a.target.is_empty() { "Not given" } @else { (a.target) } @if let Some(d) = &a.target_date { " by " (d) } } }
            div { dt { "Actual" } dd { @match &a.review { Some(r) => { (r.actual) }, None => { "Not recorded yet" } } } }
        }
    }
}

fn review_body(r: &AimReview) -> Markup {
    html! {
        @if !r.evidence.is_empty() {
            div.markdown { (PreEscaped(to_html(&r.evidence))) }
        }
        @if !r.links.is_empty() {
            p { "Evidence online:" }
            ul { @for l in &r.links { li { a href=(l) rel="nofollow noopener" { (l) } } } }
        }
        p.muted { "Recorded by " (r.recorded_by_name) " of " (r.organisation_name) ", " (when(r.recorded_at)) ". Version " (r.version) "." }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SavedQuery {
    saved: String,
}

fn index_page(ctx: &PageContext, v: &AimsReview, saved: bool) -> Markup {
    let c = &v.collaboration;
    let missing: Vec<&ReviewedAim> = v.aims.iter().filter(|a| a.review.is_none()).collect();
    page(
        ctx,
        &format!("Aims review: {}", c.title),
        None,
        html! {
            (back_link(&format!("/collaborations/{}/review", c.id), "Back to the Review stage"))
            @if saved { (notice("The review of the aim has been saved.")) }
            span.caption { (c.title) }
            h1 { "How the shared aims went" }
            p.lead { "For each shared aim from the Plan stage: was it achieved, partly achieved or not achieved, what the indicator reads now, and the evidence." }
            @if v.aims.is_empty() {
                p { "There are no shared aims to review. " a href={ "/collaborations/" (c.id) "/aims" } { "Add the shared aims" } " in the Plan stage first." }
            } @else {
                p #aims-review-count { (v.reviewed()) " of " (v.aims.len()) " aims reviewed." }
                @if !missing.is_empty() {
                    div.notice role="status" #not-reviewed {
                        p { "Not reviewed yet:" }
                        ul { @for a in &missing {
                            li { a href={ "/collaborations/" (c.id) "/aims-review/" (a.aim_id) } { (a.title) } }
                        } }
                    }
                }
                (table_scroll("aims-review-caption", html! {
                    table.table {
                        caption #aims-review-caption { "Shared aims and how they went" }
                        thead { tr {
                            th scope="col" { "Aim" }
                            th scope="col" { "Indicator" }
                            th scope="col" { "Baseline" }
                            th scope="col" { "Target" }
                            th scope="col" { "Actual" }
                            th scope="col" { "How it went" }
                        } }
                        tbody {
                            @for a in &v.aims {
                                tr {
                                    th scope="row" { a href={ "/collaborations/" (c.id) "/aims-review/" (a.aim_id) } { (a.title) } }
                                    td { (a.indicator) }
                                    td { (a.baseline) }
                                    td { (a.target) }
                                    td { @if let Some(r) = &a.review { (r.actual) } }
                                    td { (outcome_tag(a.review.as_ref())) }
                                }
                            }
                        }
                    }
                }))
                @for a in v.aims.iter().filter(|a| a.review.is_some()) {
                    @if let Some(r) = &a.review {
                        h2 { (a.title) }
                        p { (outcome_tag(Some(r))) }
                        (measures(a))
                        (review_body(r))
                    }
                }
            }
            @if !v.can_contribute {
                p { "Your organisation observes this collaboration, so you can read the review but not change it." }
            }
        },
    )
}

pub async fn index(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
    Q(q): Q<SavedQuery>,
) -> Result<Response, AppError> {
    let v = actions::outcomes::aims_review(&state, &viewer.actor(), id).await?;
    Ok(render(
        StatusCode::OK,
        index_page(&ctx, &v, !q.saved.is_empty()),
    ))
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct ReviewForm {
    outcome: String,
    actual: String,
    evidence: String,
    links: String,
    /// The review's version when the form was opened; 0 for none.
    version: String,
}

impl ReviewForm {
    fn input(&self) -> AimReviewInput<'_> {
        AimReviewInput {
            outcome: &self.outcome,
            actual: &self.actual,
            evidence: &self.evidence,
            links: &self.links,
        }
    }

    fn from_aim(a: &ReviewedAim) -> Self {
        match &a.review {
            Some(r) => ReviewForm {
                outcome: r.outcome.code().to_string(),
                actual: r.actual.clone(),
                evidence: r.evidence.clone(),
                links: r.links.join("\n"),
                version: r.version.to_string(),
            },
            None => ReviewForm {
                version: "0".to_string(),
                ..Default::default()
            },
        }
    }
}

fn edit_page(
    ctx: &PageContext,
    c: &Collaboration,
    a: &ReviewedAim,
    can_contribute: bool,
    form: &ReviewForm,
    errors: &FieldErrors,
    status: StatusCode,
) -> Response {
    let outcomes: Vec<(&str, &str, Option<&str>)> = Outcome::ALL
        .iter()
        .map(|o| (o.code(), o.label(), None))
        .collect();
    render(
        status,
        page(
            ctx,
            &format!("Review the aim: {}", a.title),
            Some(errors),
            html! {
                (back_link(&format!("/collaborations/{}/aims-review", c.id), "Back to the aims review"))
                span.caption { (c.title) }
                h1 { "Review the aim: " (a.title) }
                p { (outcome_tag(a.review.as_ref())) }
                (measures(a))
                @if let Some(r) = &a.review { (review_body(r)) }
                @if can_contribute {
                    h2 #record { @if a.review.is_some() { "Change the review" } @else { "Record how it went" } }
                    form method="post" action={ "/collaborations/" (c.id) "/aims-review/" (a.aim_id) } novalidate {
                        (csrf_field(&ctx.csrf))
                        input type="hidden" name="version" value=(form.version);
                        (radios("outcome", "Was the aim achieved?", None, &outcomes, &form.outcome, errors))
                        @let hint = format!("What \u{201c}{}\u{201d} reads now. The baseline and target are shown above.", a.indicator);
                        (Input::text("actual", "The indicator's actual value", &form.actual)
                            .hint(&hint)
                            .render(errors))
                        (textarea("evidence", "Evidence (optional)", Some("How you know. You can use Markdown, such as **bold** and lists."), &form.evidence, 6, errors))
                        (textarea("links", "Links to the evidence (optional)", Some("One web address a line, starting with https:// or http://. At most 10."), &form.links, 3, errors))
                        button.button type="submit" { "Save the review" }
                    }
                } @else {
                    p { "Your organisation observes this collaboration, so you can read the review but not change it." }
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
    let (c, a, can) = actions::outcomes::aim_review(&state, &viewer.actor(), id, aim_id).await?;
    Ok(edit_page(
        &ctx,
        &c,
        &a,
        can,
        &ReviewForm::from_aim(&a),
        &FieldErrors::new(),
        StatusCode::OK,
    ))
}

pub async fn save(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P((id, aim_id)): P<(i64, i64)>,
    PageForm(form): PageForm<ReviewForm>,
) -> Result<Response, AppError> {
    let actor = viewer.actor();
    match actions::outcomes::save_aim_review(
        &state,
        &actor,
        id,
        aim_id,
        &form.input(),
        &form.version,
    )
    .await
    {
        Ok(_) => {
            Ok(Redirect::to(&format!("/collaborations/{id}/aims-review?saved=1")).into_response())
        }
        Err(AppError::Invalid(errors)) => {
            let (c, a, can) = actions::outcomes::aim_review(&state, &actor, id, aim_id).await?;
            Ok(edit_page(
                &ctx,
                &c,
                &a,
                can,
                &form,
                &errors,
                form_status(&errors),
            ))
        }
        // Someone else saved first: show what the review says now, keep
        // what this person typed, and base the next save on the new version.
        Err(AppError::Conflict(reason)) => {
            let (c, a, can) = actions::outcomes::aim_review(&state, &actor, id, aim_id).await?;
            let kept = ReviewForm {
                version: a
                    .review
                    .as_ref()
                    .map(|r| r.version.to_string())
                    .unwrap_or_else(|| "0".to_string()),
                ..form
            };
            let errors = FieldErrors::single("outcome", reason);
            Ok(edit_page(
                &ctx,
                &c,
                &a,
                can,
                &kept,
                &errors,
                StatusCode::CONFLICT,
            ))
        }
        Err(e) => Err(e),
    }
}
