//! The aims review pages: every shared aim with how it went (or that it
//! has not been reviewed yet), and a form per aim to record or change its
//! review. The evidence is Markdown, shown safely; links are plain links.
//! And the lessons learned: listed by stage a page at a time, with forms to
//! record, change and remove one.

use super::layout::{
    Input, back_link, csrf_field, form_status, notice, page, pagination, paragraphs, radios,
    render, select, table_scroll, tag, textarea, when,
};
use crate::AppState;
use crate::actions;
use crate::actions::outcomes::AimsReview;
use crate::auth::{PageContext, SignedIn, Viewer};
use crate::error::AppError;
use crate::extract::{P, PageForm, Q};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use commonground_domain::FieldErrors;
use commonground_domain::outcomes::{AimReviewInput, LessonInput, LessonKind, Outcome};
use commonground_domain::stage::Stage;
use commonground_report::markdown::to_html;
use commonground_store::collaborations::Collaboration;
use commonground_store::outcomes::{AimReview, Lesson, ReviewedAim};
use commonground_store::tasks::Page;
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

// --- Lessons learned ---

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LessonsQuery {
    page: String,
    done: String,
}

fn lesson_message(done: &str) -> Option<&'static str> {
    match done {
        "added" => Some("The lesson has been recorded."),
        "changed" => Some("The change to the lesson has been saved."),
        "removed" => Some("The lesson has been removed."),
        _ => None,
    }
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct LessonForm {
    stage: String,
    kind: String,
    text: String,
    /// The lesson's version when the form was opened.
    version: String,
}

impl LessonForm {
    fn input(&self) -> LessonInput<'_> {
        LessonInput {
            stage: &self.stage,
            kind: &self.kind,
            text: &self.text,
        }
    }

    fn from_lesson(l: &Lesson) -> Self {
        LessonForm {
            stage: l.stage.code().to_string(),
            kind: l.kind.code().to_string(),
            text: l.text.clone(),
            version: l.version.to_string(),
        }
    }
}

fn lesson_fields(form: &LessonForm, errors: &FieldErrors) -> Markup {
    let stages: Vec<(String, String)> =
        std::iter::once((String::new(), "Choose a stage".to_string()))
            .chain(
                Stage::ALL
                    .iter()
                    .map(|s| (s.code().to_string(), s.label().to_string())),
            )
            .collect();
    let kinds: Vec<(&str, &str, Option<&str>)> = LessonKind::ALL
        .iter()
        .map(|k| (k.code(), k.label(), None))
        .collect();
    html! {
        (select("stage", "Stage it comes from", None, &stages, &form.stage, errors))
        (radios("kind", "What kind of lesson?", None, &kinds, &form.kind, errors))
        (textarea("text", "The lesson", Some("In a few sentences, so someone starting a collaboration next year can use it."), &form.text, 4, errors))
    }
}

#[allow(clippy::too_many_arguments)]
async fn lessons_page(
    state: &AppState,
    viewer: &Viewer,
    ctx: &PageContext,
    id: i64,
    q: &LessonsQuery,
    form: &LessonForm,
    errors: &FieldErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let mut page_errors = FieldErrors::new();
    let page_no = actions::problems::parse_page(&mut page_errors, &q.page, "").number;
    let size = actions::outcomes::LESSONS_PAGE;
    let v = actions::outcomes::lessons(
        state,
        &viewer.actor(),
        id,
        Page {
            number: page_no,
            size,
        },
    )
    .await?;
    let c = &v.collaboration;
    let base = format!("/collaborations/{id}/lessons");
    Ok(render(
        status,
        page(
            ctx,
            &format!("Lessons learned: {}", c.title),
            Some(errors),
            html! {
                (back_link(&format!("/collaborations/{id}/review"), "Back to the Review stage"))
                @if let Some(m) = lesson_message(&q.done) { (notice(m)) }
                span.caption { (c.title) }
                h1 { "Lessons learned" }
                p.lead { "What worked, what did not, and what to do differently, from each stage of the collaboration." }
                @if v.total == 0 {
                    p #lessons-count { "No lessons recorded yet." }
                } @else {
                    p #lessons-count { (v.total) @if v.total == 1 { " lesson" } @else { " lessons" } " recorded." }
                }
                @for stage in Stage::ALL {
                    @let here: Vec<&Lesson> = v.lessons.iter().filter(|l| l.stage == stage).collect();
                    @if !here.is_empty() {
                        h2 { (stage.label()) }
                        ul.lessons {
                            @for l in here {
                                li {
                                    p { (tag(l.kind.label(), match l.kind { LessonKind::Worked => "tag-done", LessonKind::DidNotWork => "tag-attention", LessonKind::DoDifferently => "tag-current" })) }
                                    (paragraphs(&l.text))
                                    p.muted { @if l.from_previous_cycle { "From the previous cycle. " } "Recorded by " (l.recorded_by_name) " of " (l.organisation_name) ", " (when(l.updated_at)) "." }
                                    @if v.can_contribute {
                                        p { a href={ (base) "/" (l.id) "/edit" } { "Change or remove" span.visually-hidden { " this lesson" } } }
                                    }
                                }
                            }
                        }
                    }
                }
                (pagination(&base, |n| format!("?page={n}"), v.page, v.total))
                @if v.can_contribute {
                    h2 #add { "Record a lesson" }
                    form method="post" action=(base) novalidate {
                        (csrf_field(&ctx.csrf))
                        (lesson_fields(form, errors))
                        button.button type="submit" { "Record the lesson" }
                    }
                } @else {
                    p { "Your organisation observes this collaboration, so you can read the lessons but not change them." }
                }
            },
        ),
    ))
}

pub async fn lessons(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
    Q(q): Q<LessonsQuery>,
) -> Result<Response, AppError> {
    lessons_page(
        &state,
        &viewer,
        &ctx,
        id,
        &q,
        &LessonForm::default(),
        &FieldErrors::new(),
        StatusCode::OK,
    )
    .await
}

pub async fn add_lesson(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
    PageForm(form): PageForm<LessonForm>,
) -> Result<Response, AppError> {
    match actions::outcomes::add_lesson(&state, &viewer.actor(), id, &form.input()).await {
        Ok(_) => {
            Ok(Redirect::to(&format!("/collaborations/{id}/lessons?done=added")).into_response())
        }
        Err(AppError::Invalid(errors)) => {
            let status = form_status(&errors);
            lessons_page(
                &state,
                &viewer,
                &ctx,
                id,
                &LessonsQuery::default(),
                &form,
                &errors,
                status,
            )
            .await
        }
        Err(e) => Err(e),
    }
}

fn lesson_edit_page(
    ctx: &PageContext,
    c: &Collaboration,
    l: &Lesson,
    can_contribute: bool,
    form: &LessonForm,
    errors: &FieldErrors,
    status: StatusCode,
) -> Response {
    let base = format!("/collaborations/{}/lessons/{}", c.id, l.id);
    render(
        status,
        page(
            ctx,
            "Change a lesson",
            Some(errors),
            html! {
                (back_link(&format!("/collaborations/{}/lessons", c.id), "Back to the lessons learned"))
                span.caption { (c.title) }
                h1 { "Change a lesson" }
                p { "Recorded by " (l.recorded_by_name) " of " (l.organisation_name) ", " (when(l.updated_at)) "." }
                @if can_contribute {
                    form method="post" action={ (base) "/edit" } novalidate {
                        (csrf_field(&ctx.csrf))
                        input type="hidden" name="version" value=(form.version);
                        (lesson_fields(form, errors))
                        button.button type="submit" { "Save the change" }
                    }
                    h2 { "Remove this lesson" }
                    form method="post" action={ (base) "/delete" } {
                        (csrf_field(&ctx.csrf))
                        button.button.warning type="submit" { "Remove the lesson" }
                    }
                } @else {
                    (paragraphs(&l.text))
                    p { "Your organisation observes this collaboration, so you can read the lessons but not change them." }
                }
            },
        ),
    )
}

async fn can_contribute(state: &AppState, viewer: &Viewer, id: i64) -> Result<bool, AppError> {
    Ok(
        actions::outcomes::lessons(state, &viewer.actor(), id, Page { number: 1, size: 1 })
            .await?
            .can_contribute,
    )
}

pub async fn lesson_edit_form(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P((id, lesson_id)): P<(i64, i64)>,
) -> Result<Response, AppError> {
    let (c, l) = actions::outcomes::lesson(&state, &viewer.actor(), id, lesson_id).await?;
    let can = can_contribute(&state, &viewer, id).await?;
    Ok(lesson_edit_page(
        &ctx,
        &c,
        &l,
        can,
        &LessonForm::from_lesson(&l),
        &FieldErrors::new(),
        StatusCode::OK,
    ))
}

pub async fn update_lesson(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P((id, lesson_id)): P<(i64, i64)>,
    PageForm(form): PageForm<LessonForm>,
) -> Result<Response, AppError> {
    let actor = viewer.actor();
    match actions::outcomes::update_lesson(
        &state,
        &actor,
        id,
        lesson_id,
        &form.input(),
        &form.version,
    )
    .await
    {
        Ok(_) => {
            Ok(Redirect::to(&format!("/collaborations/{id}/lessons?done=changed")).into_response())
        }
        Err(AppError::Invalid(errors)) => {
            let (c, l) = actions::outcomes::lesson(&state, &actor, id, lesson_id).await?;
            Ok(lesson_edit_page(
                &ctx,
                &c,
                &l,
                true,
                &form,
                &errors,
                form_status(&errors),
            ))
        }
        // Someone else saved first: keep what this person typed, show what
        // the lesson says now, and base the next save on its new version.
        Err(AppError::Conflict(reason)) => {
            let (c, l) = actions::outcomes::lesson(&state, &actor, id, lesson_id).await?;
            let kept = LessonForm {
                version: l.version.to_string(),
                ..form
            };
            let errors = FieldErrors::single("text", reason);
            Ok(lesson_edit_page(
                &ctx,
                &c,
                &l,
                true,
                &kept,
                &errors,
                StatusCode::CONFLICT,
            ))
        }
        Err(e) => Err(e),
    }
}

pub async fn delete_lesson(
    State(state): State<AppState>,
    SignedIn(viewer, _): SignedIn,
    P((id, lesson_id)): P<(i64, i64)>,
) -> Result<Response, AppError> {
    actions::outcomes::delete_lesson(&state, &viewer.actor(), id, lesson_id).await?;
    Ok(Redirect::to(&format!("/collaborations/{id}/lessons?done=removed")).into_response())
}
