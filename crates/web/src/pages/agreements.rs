//! The agreement builder's pages: a collaboration's agreements with a form
//! to start one; an agreement with its status, who must approve, its
//! sections rendered from Markdown and the exports; a page per section to
//! edit and comment (a stale save comes back with both texts side by side,
//! the person's own kept in the form); and a comparison of two versions.

use super::layout::{
    back_link, csrf_field, form_status, notice, page, radios, render, select, tag, textarea, when,
};
use crate::AppState;
use crate::actions;
use crate::actions::agreements::{AgreementView, SaveOutcome, SectionConflict};
use crate::api::agreements::{Format, export};
use crate::auth::{PageContext, SignedIn, Viewer};
use crate::error::AppError;
use crate::extract::{P, PageForm, Q};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use commonground_domain::FieldErrors;
use commonground_domain::agreements::{AgreementKind, section_title};
use commonground_report::diff::LineChange;
use commonground_report::markdown::to_html;
use maud::{Markup, PreEscaped, html};
use serde::Deserialize;

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct NewForm {
    kind: String,
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct SectionForm {
    text: String,
    base_version: String,
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct CommentForm {
    body: String,
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

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DiffQuery {
    from: String,
    to: String,
}

fn message(done: &str) -> Option<&'static str> {
    match done {
        "created" => Some(
            "The agreement has been started from what your collaboration holds. Edit each section, then ask every partner to approve it.",
        ),
        "saved" => Some(
            "The section has been saved as a new version. Every partner must approve the agreement again.",
        ),
        "unchanged" => Some("The text was the same as before, so nothing changed."),
        "approved" => Some("Your organisation's approval has been recorded."),
        "commented" => Some("Your comment has been added."),
        _ => None,
    }
}

fn markdown(text: &str) -> Markup {
    html! { div.markdown { (PreEscaped(to_html(text))) } }
}

// --- the collaboration's agreements ------------------------------------

async fn list_page(
    state: &AppState,
    viewer: &Viewer,
    ctx: &PageContext,
    id: i64,
    form: &NewForm,
    errors: &FieldErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let v = actions::agreements::agreements(state, &viewer.actor(), id).await?;
    let c = &v.collaboration;
    let kinds: Vec<(&str, &str, Option<&str>)> = AgreementKind::ALL
        .iter()
        .map(|k| (k.code(), k.label(), Some(k.hint())))
        .collect();
    let selected = if form.kind.is_empty() {
        "collaboration_agreement"
    } else {
        form.kind.as_str()
    };
    Ok(render(
        status,
        page(
            ctx,
            &format!("Agreements: {}", c.title),
            Some(errors),
            html! {
                (back_link(&format!("/collaborations/{id}#plan"), "Back to the collaboration"))
                span.caption { (c.title) }
                h1 { "Agreements" }
                p.lead { "Write down how you will work together. Each agreement is built from sections you edit together; every version is kept, and it is agreed when every lead and partner organisation has approved the same version." }
                @if v.agreements.is_empty() {
                    p.muted { "No agreements yet." }
                } @else {
                    ul {
                        @for a in &v.agreements {
                            li {
                                a href={ "/agreements/" (a.id) } { (a.kind.label()) }
                                " (version " (a.version) ", last changed " (when(a.updated_at)) ")"
                            }
                        }
                    }
                }
                @if v.can_contribute {
                    h2 #start { "Start an agreement" }
                    form method="post" action={ "/collaborations/" (id) "/agreements" } novalidate {
                        (csrf_field(&ctx.csrf))
                        (radios("kind", "Kind of agreement", Some("The parties, aims and other parts your collaboration already holds are filled in for you."), &kinds, selected, errors))
                        button.button type="submit" { "Start the agreement" }
                    }
                } @else {
                    p { "Your organisation observes this collaboration, so you can read agreements but not start or change them." }
                }
            },
        ),
    ))
}

pub async fn index(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
) -> Result<Response, AppError> {
    list_page(
        &state,
        &viewer,
        &ctx,
        id,
        &NewForm::default(),
        &FieldErrors::new(),
        StatusCode::OK,
    )
    .await
}

pub async fn create(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
    PageForm(form): PageForm<NewForm>,
) -> Result<Response, AppError> {
    match actions::agreements::create_agreement(&state, &viewer.actor(), id, &form.kind).await {
        Ok(a) => Ok(Redirect::to(&format!("/agreements/{}?done=created", a.id)).into_response()),
        Err(AppError::Invalid(errors)) => {
            let status = form_status(&errors);
            list_page(&state, &viewer, &ctx, id, &form, &errors, status).await
        }
        Err(e) => Err(e),
    }
}

// --- one agreement ------------------------------------------------------

fn status_box(ctx: &PageContext, v: &AgreementView, errors: &FieldErrors) -> Markup {
    let a = &v.agreement;
    let s = &a.state;
    html! {
        h2 #approval { "Approval" }
        @if s.agreed {
            p { (tag("Agreed", "tag-done")) " Every lead and partner organisation has approved version " (a.summary.version) "." }
        } @else {
            p { (tag("Draft – not agreed", "tag-attention")) " Version " (a.summary.version) " needs approving by every lead and partner organisation." }
        }
        @if !s.again.is_empty() {
            p { "These organisations approved an earlier version and must approve again, because the agreement or the partners changed since:" }
            ul { @for o in &s.again { li { (v.party_name(*o)) } } }
        }
        @let first_time: Vec<&i64> = s.waiting.iter().filter(|o| !s.again.contains(o)).collect();
        @if !first_time.is_empty() {
            p { "Still to approve:" }
            ul { @for o in first_time { li { (v.party_name(*o)) } } }
        }
        @let current = a.current_approvals();
        @if !current.is_empty() {
            p { "Approved version " (a.summary.version) ":" }
            ul {
                @for x in current {
                    li { (x.organisation_name) ", by " (x.approved_by_name) ", " (when(x.approved_at)) }
                }
            }
        }
        @if let Some(org) = v.approves_for {
            @if !s.approved.contains(&org) {
                form method="post" action={ "/agreements/" (a.summary.id) "/approve" } novalidate {
                    (csrf_field(&ctx.csrf))
                    input type="hidden" name="version" value=(a.summary.version);
                    @if let Some(e) = errors.get("version") {
                        p.error-message id="version" { span.visually-hidden { "Error: " } (e) }
                    }
                    button.button type="submit" { "Approve version " (a.summary.version) " for " (v.party_name(org)) }
                }
            }
        } @else {
            p.muted { "Admins of the lead and partner organisations approve agreements for their organisation." }
        }
        p.small.muted { "Content hash of version " (a.summary.version) ": " code { (a.summary.content_hash) } }
    }
}

fn show_page(
    ctx: &PageContext,
    v: &AgreementView,
    errors: &FieldErrors,
    done: &str,
    status: StatusCode,
) -> Response {
    let a = &v.agreement;
    let aid = a.summary.id;
    let cid = v.collaboration.id;
    render(
        status,
        page(
            ctx,
            &format!("{}: {}", a.summary.kind.label(), v.collaboration.title),
            Some(errors),
            html! {
                @if let Some(m) = message(done) { (notice(m)) }
                (back_link(&format!("/collaborations/{cid}/agreements"), "Back to the agreements"))
                span.caption { (v.collaboration.title) }
                h1 { (a.summary.kind.label()) }
                (status_box(ctx, v, errors))
                h2 #exports { "Download" }
                ul {
                    li { a href={ "/agreements/" (aid) "/export.pdf" } { "PDF" } }
                    li { a href={ "/agreements/" (aid) "/export.html" } { "Web page to print" } }
                    li { a href={ "/agreements/" (aid) "/export.md" } { "Markdown" } }
                }
                p { a href={ "/agreements/" (aid) "/diff" } { "Compare versions" } " (version " (a.summary.version) " is the latest)." }
                h2 #sections { "Sections" }
                @for (i, s) in a.sections.iter().enumerate() {
                    section.agreement-section id=(s.key) aria-labelledby={ "h-" (s.key) } {
                        h3 id={ "h-" (s.key) } { (i + 1) ". " (s.title) }
                        (markdown(&s.text))
                        @let n = v.comments.iter().filter(|c| c.section_key == s.key).count();
                        p.small {
                            @if v.can_contribute {
                                a href={ "/agreements/" (aid) "/sections/" (s.key) } { "Edit or comment" span.visually-hidden { ": " (s.title) } }
                            } @else {
                                a href={ "/agreements/" (aid) "/sections/" (s.key) } { "Read comments" span.visually-hidden { ": " (s.title) } }
                            }
                            @if n > 0 { " (" (n) @if n == 1 { " comment" } @else { " comments" } ")" }
                        }
                    }
                }
            },
        ),
    )
}

pub async fn show(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(aid): P<i64>,
    Q(q): Q<DoneQuery>,
) -> Result<Response, AppError> {
    let v = actions::agreements::agreement(&state, &viewer.actor(), aid).await?;
    Ok(show_page(
        &ctx,
        &v,
        &FieldErrors::new(),
        &q.done,
        StatusCode::OK,
    ))
}

pub async fn approve(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(aid): P<i64>,
    PageForm(form): PageForm<ApproveForm>,
) -> Result<Response, AppError> {
    let actor = viewer.actor();
    match actions::agreements::approve(&state, &actor, aid, &form.version).await {
        Ok(_) => {
            Ok(Redirect::to(&format!("/agreements/{aid}?done=approved#approval")).into_response())
        }
        Err(AppError::Conflict(reason)) => {
            let v = actions::agreements::agreement(&state, &actor, aid).await?;
            let errors = FieldErrors::single("version", reason);
            Ok(show_page(&ctx, &v, &errors, "", StatusCode::CONFLICT))
        }
        Err(e) => Err(e),
    }
}

// --- one section ----------------------------------------------------------

#[allow(clippy::too_many_arguments)]
fn section_page(
    ctx: &PageContext,
    v: &AgreementView,
    key: &str,
    form: &SectionForm,
    comment: &CommentForm,
    conflict: Option<&SectionConflict>,
    errors: &FieldErrors,
    done: &str,
    status: StatusCode,
) -> Result<Response, AppError> {
    let a = &v.agreement;
    let aid = a.summary.id;
    let s = v.section(key).ok_or(AppError::NotFound)?;
    let comments: Vec<_> = v.comments.iter().filter(|c| c.section_key == key).collect();
    Ok(render(
        status,
        page(
            ctx,
            &format!("{}: {}", s.title, a.summary.kind.label()),
            Some(errors),
            html! {
                @if let Some(m) = message(done) { (notice(m)) }
                (back_link(&format!("/agreements/{aid}#{key}"), "Back to the agreement"))
                span.caption { (a.summary.kind.label()) ", version " (a.summary.version) }
                h1 { (s.title) }
                @if let Some(c) = conflict {
                    div.conflict role="region" aria-labelledby="conflict-title" {
                        h2 #conflict-title { "Someone else changed this section first" }
                        p { (c.saved_by_name) " saved a change " (when(c.saved_at)) ", after the version you started from. Nothing of yours was saved. Their text is on the left; yours is kept in the form on the right. Merge the two, then save." }
                        div.side-by-side {
                            div {
                                h3 { "Their text (version " (c.current.version) ")" }
                                pre.theirs { (c.current.text) }
                            }
                            div {
                                h3 { "Your text" }
                                (section_form(ctx, aid, key, form, errors))
                            }
                        }
                    }
                } @else {
                    h2 { "As it reads now" }
                    (markdown(&s.text))
                    @if v.can_contribute {
                        h2 #edit { "Edit" }
                        (section_form(ctx, aid, key, form, errors))
                    }
                }
                h2 #comments { "Comments" }
                @if comments.is_empty() {
                    p.muted { "No comments on this section yet." }
                } @else {
                    ul.comments {
                        @for c in comments {
                            li {
                                p.small.muted { (c.written_by_name) " (" (c.organisation_name) "), " (when(c.written_at)) ", on version " (c.version) }
                                (super::layout::paragraphs(&c.body))
                            }
                        }
                    }
                }
                @if v.can_contribute {
                    form method="post" action={ "/agreements/" (aid) "/sections/" (key) "/comments" } novalidate {
                        (csrf_field(&ctx.csrf))
                        (textarea("body", "Add a comment", Some("Comments are kept with the version they were written on."), &comment.body, 3, errors))
                        button.button.secondary type="submit" { "Add comment" }
                    }
                }
            },
        ),
    ))
}

fn section_form(
    ctx: &PageContext,
    aid: i64,
    key: &str,
    form: &SectionForm,
    errors: &FieldErrors,
) -> Markup {
    html! {
        form method="post" action={ "/agreements/" (aid) "/sections/" (key) } novalidate {
            (csrf_field(&ctx.csrf))
            input type="hidden" name="base_version" value=(form.base_version);
            (textarea("text", "Text", Some("Write in Markdown: a blank line starts a new paragraph, **two stars** make bold, and a line starting with - makes a list."), &form.text, 14, errors))
            button.button type="submit" { "Save a new version" }
        }
    }
}

pub async fn section(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P((aid, key)): P<(i64, String)>,
    Q(q): Q<DoneQuery>,
) -> Result<Response, AppError> {
    let v = actions::agreements::agreement(&state, &viewer.actor(), aid).await?;
    let s = v.section(&key).ok_or(AppError::NotFound)?;
    let form = SectionForm {
        text: s.text.clone(),
        base_version: v.agreement.summary.version.to_string(),
    };
    section_page(
        &ctx,
        &v,
        &key,
        &form,
        &CommentForm::default(),
        None,
        &FieldErrors::new(),
        &q.done,
        StatusCode::OK,
    )
}

pub async fn save(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P((aid, key)): P<(i64, String)>,
    PageForm(form): PageForm<SectionForm>,
) -> Result<Response, AppError> {
    let actor = viewer.actor();
    match actions::agreements::save_section(
        &state,
        &actor,
        aid,
        &key,
        &form.text,
        &form.base_version,
    )
    .await
    {
        Ok(SaveOutcome::Saved { .. }) => {
            Ok(Redirect::to(&format!("/agreements/{aid}?done=saved#{key}")).into_response())
        }
        Ok(SaveOutcome::Unchanged { .. }) => {
            Ok(Redirect::to(&format!("/agreements/{aid}?done=unchanged#{key}")).into_response())
        }
        Ok(SaveOutcome::Conflict(c)) => {
            let v = actions::agreements::agreement(&state, &actor, aid).await?;
            // The next save is based on the version that has their change.
            let kept = SectionForm {
                text: c.your_text.clone(),
                base_version: c.agreement_version.to_string(),
            };
            let errors = FieldErrors::single(
                "text",
                format!(
                    "{} changed this section after you started. Merge your text with theirs, then save again.",
                    c.saved_by_name
                ),
            );
            section_page(
                &ctx,
                &v,
                &key,
                &kept,
                &CommentForm::default(),
                Some(&c),
                &errors,
                "",
                StatusCode::CONFLICT,
            )
        }
        Err(AppError::Invalid(errors)) => {
            let v = actions::agreements::agreement(&state, &actor, aid).await?;
            section_page(
                &ctx,
                &v,
                &key,
                &form,
                &CommentForm::default(),
                None,
                &errors,
                "",
                form_status(&errors),
            )
        }
        Err(e) => Err(e),
    }
}

pub async fn comment(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P((aid, key)): P<(i64, String)>,
    PageForm(form): PageForm<CommentForm>,
) -> Result<Response, AppError> {
    let actor = viewer.actor();
    match actions::agreements::add_comment(&state, &actor, aid, &key, &form.body).await {
        Ok(_) => Ok(Redirect::to(&format!(
            "/agreements/{aid}/sections/{key}?done=commented#comments"
        ))
        .into_response()),
        Err(AppError::Invalid(errors)) => {
            let v = actions::agreements::agreement(&state, &actor, aid).await?;
            let s = v.section(&key).ok_or(AppError::NotFound)?;
            let section_form = SectionForm {
                text: s.text.clone(),
                base_version: v.agreement.summary.version.to_string(),
            };
            section_page(
                &ctx,
                &v,
                &key,
                &section_form,
                &form,
                None,
                &errors,
                "",
                form_status(&errors),
            )
        }
        Err(e) => Err(e),
    }
}

// --- comparing versions -----------------------------------------------

pub async fn diff(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(aid): P<i64>,
    Q(q): Q<DiffQuery>,
) -> Result<Response, AppError> {
    let actor = viewer.actor();
    let (d, errors) = match actions::agreements::diff(&state, &actor, aid, &q.from, &q.to).await {
        Ok(d) => (d, FieldErrors::new()),
        Err(AppError::Invalid(errors)) => (
            actions::agreements::diff(&state, &actor, aid, "", "").await?,
            errors,
        ),
        Err(e) => return Err(e),
    };
    let options: Vec<(String, String)> = d
        .versions
        .iter()
        .map(|v| {
            let what = match &v.section_key {
                Some(k) => section_title(k).unwrap_or("a section").to_string(),
                None => "first version".to_string(),
            };
            (
                v.version.to_string(),
                format!(
                    "Version {}: {}, {} ({})",
                    v.version,
                    what,
                    v.saved_by_name,
                    crate::clock::format_time(v.saved_at)
                ),
            )
        })
        .collect();
    let status = form_status(&errors);
    Ok(render(
        status,
        page(
            &ctx,
            &format!("Compare versions: {}", d.agreement.kind.label()),
            Some(&errors),
            html! {
                (back_link(&format!("/agreements/{aid}"), "Back to the agreement"))
                span.caption { (d.collaboration.title) }
                h1 { "Compare versions" }
                form method="get" action={ "/agreements/" (aid) "/diff" } novalidate {
                    (select("from", "Older version", None, &options, &d.from.to_string(), &errors))
                    (select("to", "Newer version", None, &options, &d.to.to_string(), &errors))
                    button.button.secondary type="submit" { "Compare" }
                }
                h2 { "From version " (d.from) " to version " (d.to) }
                @if d.sections.is_empty() {
                    p { "The two versions read the same." }
                } @else {
                    p { "Lines marked " strong { "added" } " are new in version " (d.to) "; lines marked " strong { "removed" } " were in version " (d.from) " only." }
                    @for s in &d.sections {
                        h3 { (s.title) }
                        div.diff {
                            @for (change, line) in &s.lines {
                                @match change {
                                    LineChange::Same => p.diff-same { span.visually-hidden { "Unchanged: " } (line) " " },
                                    LineChange::Added => p.diff-added { ins { span.diff-mark { "Added: " } (line) } },
                                    LineChange::Removed => p.diff-removed { del { span.diff-mark { "Removed: " } (line) } },
                                }
                            }
                        }
                    }
                }
            },
        ),
    ))
}

// --- exports ------------------------------------------------------------

pub async fn export_md(
    State(state): State<AppState>,
    SignedIn(viewer, _): SignedIn,
    P(aid): P<i64>,
) -> Result<Response, AppError> {
    export(&state, &viewer.actor(), aid, Format::Markdown).await
}

pub async fn export_html(
    State(state): State<AppState>,
    SignedIn(viewer, _): SignedIn,
    P(aid): P<i64>,
) -> Result<Response, AppError> {
    export(&state, &viewer.actor(), aid, Format::Html).await
}

pub async fn export_pdf(
    State(state): State<AppState>,
    SignedIn(viewer, _): SignedIn,
    P(aid): P<i64>,
) -> Result<Response, AppError> {
    export(&state, &viewer.actor(), aid, Format::Pdf).await
}
