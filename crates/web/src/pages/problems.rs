//! The problem log's pages: the list with its filters, raising a problem,
//! and a problem with its ladder, who is at its rung now, its escalations,
//! the decisions about it, and the forms to change and escalate it.

use super::layout::{
    back_link, csrf_field, fill_csrf, form_status, notice, page, pagination, paragraphs, render,
    select, table_scroll, tag, textarea, when,
};
use crate::AppState;
use crate::actions;
use crate::actions::problems::{
    Choices, FilterInput, ProblemChange, ProblemDetail, ProblemList, parse_filter,
};
use crate::auth::{PageContext, SignedIn};
use crate::cache::KeptPage;
use crate::error::AppError;
use crate::extract::{P, PageForm, Q};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use commonground_domain::FieldErrors;
use commonground_domain::policy::CollabAction;
use commonground_domain::problems::{Audience, ProblemInput, ProblemStatus, Severity, headline};
use commonground_store::collaborations::Collaboration;
use commonground_store::problems::Problem;
use commonground_store::tasks::Page;
use maud::{Markup, html};
use serde::Deserialize;

pub(crate) fn status_tag(s: ProblemStatus) -> Markup {
    let class = match s {
        ProblemStatus::Open => "tag-attention",
        ProblemStatus::BeingWorkedOn => "tag-current",
        ProblemStatus::Resolved | ProblemStatus::Closed => "tag-done",
    };
    tag(s.label(), class)
}

fn severity_tag(s: Severity) -> Markup {
    let class = match s {
        Severity::Critical | Severity::High => "tag-attention",
        Severity::Medium => "tag-borderline",
        Severity::Low => "tag-done",
    };
    tag(&format!("{} severity", s.label()), class)
}

fn options<T: Copy>(
    any: Option<&str>,
    all: &[T],
    code: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
) -> Vec<(String, String)> {
    let mut v = Vec::new();
    if let Some(a) = any {
        v.push((String::new(), a.to_string()));
    }
    v.extend(
        all.iter()
            .map(|s| (code(*s).to_string(), label(*s).to_string())),
    );
    v
}

fn status_options(any: Option<&str>) -> Vec<(String, String)> {
    options(
        any,
        &ProblemStatus::ALL,
        ProblemStatus::code,
        ProblemStatus::label,
    )
}

fn severity_options(any: Option<&str>) -> Vec<(String, String)> {
    options(any, &Severity::ALL, Severity::code, Severity::label)
}

fn org_options(c: &Choices, none: &str) -> Vec<(String, String)> {
    let mut v = vec![(String::new(), none.to_string())];
    v.extend(
        c.participants
            .iter()
            .map(|p| (p.organisation_id.to_string(), p.name.clone())),
    );
    v
}

fn people_options(c: &Choices) -> Vec<(String, String)> {
    let mut v = vec![(String::new(), "Nobody yet".to_string())];
    for (org, uid, name) in &c.people {
        let org_name = c
            .participants
            .iter()
            .find(|p| p.organisation_id == *org)
            .map(|p| p.name.as_str())
            .unwrap_or("");
        v.push((uid.to_string(), format!("{name} ({org_name})")));
    }
    v
}

fn query_string(f: &FilterInput, page: Option<i64>) -> String {
    let mut parts: Vec<String> = Vec::new();
    for (k, v) in [
        ("status", &f.status),
        ("severity", &f.severity),
        ("owner_organisation_id", &f.owner_organisation_id),
    ] {
        if !v.trim().is_empty() {
            parts.push(format!(
                "{k}={}",
                v.trim()
                    .bytes()
                    .map(|b| if b.is_ascii_alphanumeric() || b == b'_' {
                        (b as char).to_string()
                    } else {
                        format!("%{b:02X}")
                    })
                    .collect::<String>()
            ));
        }
    }
    if let Some(p) = page {
        parts.push(format!("page={p}"));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}

fn list_title(v: &ProblemList) -> String {
    format!("Problems: {}", v.collaboration.title)
}

fn list_page(
    ctx: &PageContext,
    v: &ProblemList,
    f: &FilterInput,
    errors: &FieldErrors,
    status: StatusCode,
) -> Response {
    render(
        status,
        page(ctx, &list_title(v), Some(errors), list_main(v, f, errors)),
    )
}

/// Everything inside the problems page's frame.
fn list_main(v: &ProblemList, f: &FilterInput, errors: &FieldErrors) -> Markup {
    let c = &v.collaboration;
    let base = format!("/collaborations/{}/problems", c.id);
    html! {
        (back_link(&format!("/collaborations/{}/implement", c.id), "Back to the Implement stage"))
        span.caption { (c.title) }
        h1 { "Problems" }
        p { "Problems the partners have raised, and where each stands on the escalation ladder. "
            a href={ "/collaborations/" (c.id) "/decisions" } { "The decisions log" } " records what was decided about them." }
        @if v.can_contribute {
            p { a.button href={ (base) "/new" } { "Raise a problem" } }
        } @else {
            p { "Your organisation observes this collaboration, so you can read the problems but not raise or change them." }
        }
        details.filters open[!query_string(f, None).is_empty()] {
            summary { "Filter the problems" }
            form method="get" action=(base) novalidate {
                (select("status", "Status", None, &status_options(Some("Any status")), &f.status, errors))
                (select("severity", "Severity", None, &severity_options(Some("Any severity")), &f.severity, errors))
                (select("owner_organisation_id", "Owner organisation", None, &org_options(&v.choices, "Any organisation"), &f.owner_organisation_id, errors))
                button.button.secondary type="submit" { "Show these problems" }
            }
        }
        p { (v.total) " " @if v.total == 1 { "problem" } @else { "problems" } " match." }
        @if v.problems.is_empty() {
            p { "No problems here." }
        } @else {
            (table_scroll("problem-table-caption", html! {
                table.table {
                    caption #problem-table-caption { "Problems, unresolved first" }
                    thead { tr {
                        th scope="col" { "Problem" }
                        th scope="col" { "Severity" }
                        th scope="col" { "Owner" }
                        th scope="col" { "Rung" }
                        th scope="col" { "Status" }
                    } }
                    tbody {
                        @for p in &v.problems {
                            tr {
                                td { a href={ "/problems/" (p.id) } { (headline(&p.description)) } }
                                td { (p.severity.label()) }
                                td { (p.owner_organisation_name) @if !p.owner_person_name.is_empty() { " (" (p.owner_person_name) ")" } }
                                td { (p.rung + 1) " of " (p.ladder.len()) ": " (p.rung_name()) }
                                td { (status_tag(p.status)) }
                            }
                        }
                    }
                }
            }))
        }
        (pagination(&base, |n| query_string(f, Some(n)), v.page, v.total))
    }
}

pub async fn index(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
    Q(f): Q<FilterInput>,
) -> Result<Response, AppError> {
    let actor = viewer.actor();
    match parse_filter(&f) {
        Ok((filter, page)) => {
            let none = FieldErrors::new();
            let kept = actions::problems::problem_list_kept(
                &state,
                &actor,
                id,
                (&filter, page, &f),
                |v| KeptPage {
                    title: list_title(v),
                    main: list_main(v, &f, &none).into_string().into_bytes(),
                },
            )
            .await?;
            Ok(render(
                StatusCode::OK,
                super::layout::page(
                    &ctx,
                    &kept.title,
                    Some(&none),
                    fill_csrf(&kept.main, &ctx.csrf),
                ),
            ))
        }
        Err(errors) => {
            let (filter, page) =
                parse_filter(&FilterInput::default()).map_err(AppError::Invalid)?;
            let v = actions::problems::problem_list(&state, &actor, id, &filter, page).await?;
            Ok(list_page(
                &ctx,
                &v,
                &f,
                &errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            ))
        }
    }
}

/// A problem's fields as the form sends them.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct ProblemForm {
    description: String,
    severity: String,
    owner_organisation_id: String,
    owner_person_id: String,
    status: String,
    resolution: String,
    version: String,
}

impl ProblemForm {
    fn input(&self) -> ProblemInput<'_> {
        ProblemInput {
            description: &self.description,
            severity: &self.severity,
            owner_organisation_id: &self.owner_organisation_id,
            owner_person_id: &self.owner_person_id,
            status: &self.status,
            resolution: &self.resolution,
        }
    }

    fn of(p: &Problem) -> Self {
        ProblemForm {
            description: p.description.clone(),
            severity: p.severity.code().to_string(),
            owner_organisation_id: p.owner_organisation_id.to_string(),
            owner_person_id: p.owner_person_id.map(|v| v.to_string()).unwrap_or_default(),
            status: p.status.code().to_string(),
            resolution: p.resolution.clone(),
            version: p.version.to_string(),
        }
    }
}

fn problem_fields(c: &Choices, form: &ProblemForm, errors: &FieldErrors, editing: bool) -> Markup {
    html! {
        (textarea("description", "What is the problem?", Some("Plain text. The first line is used as its title."), &form.description, 4, errors))
        (select("severity", "Severity", Some("How much it gets in the way of the work."), &severity_options(Some("Choose a severity")), &form.severity, errors))
        (select("owner_organisation_id", "Owner organisation", Some("The organisation taking part that will deal with it."), &org_options(c, "Choose an organisation"), &form.owner_organisation_id, errors))
        (select("owner_person_id", "Owner person (optional)", Some("A member of the owner organisation."), &people_options(c), &form.owner_person_id, errors))
        @if editing {
            (select("status", "Status", None, &status_options(None), &form.status, errors))
            (textarea("resolution", "Resolution", Some("How it was resolved. Needed to mark it resolved."), &form.resolution, 3, errors))
        }
    }
}

fn new_page(
    ctx: &PageContext,
    c: &Collaboration,
    choices: &Choices,
    form: &ProblemForm,
    errors: &FieldErrors,
) -> Response {
    render(
        form_status(errors),
        page(
            ctx,
            &format!("Raise a problem: {}", c.title),
            Some(errors),
            html! {
                (back_link(&format!("/collaborations/{}/problems", c.id), "Back to the problems"))
                span.caption { (c.title) }
                h1 { "Raise a problem" }
                p { "The problem starts at the bottom rung of the escalation ladder. You can escalate it later if it cannot be settled there." }
                form method="post" action={ "/collaborations/" (c.id) "/problems" } novalidate {
                    (csrf_field(&ctx.csrf))
                    (problem_fields(choices, form, errors, false))
                    button.button type="submit" { "Raise the problem" }
                }
            },
        ),
    )
}

async fn list_for_form(
    state: &AppState,
    actor: &crate::auth::Actor,
    id: i64,
) -> Result<ProblemList, AppError> {
    actions::problems::problem_list(
        state,
        actor,
        id,
        &Default::default(),
        Page { number: 1, size: 1 },
    )
    .await
}

pub async fn new_form(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
) -> Result<Response, AppError> {
    let actor = viewer.actor();
    let v = list_for_form(&state, &actor, id).await?;
    if !v.can_contribute {
        return Err(actions::collaborations::refusal(CollabAction::Contribute));
    }
    let form = ProblemForm {
        owner_organisation_id: actor
            .acting_organisation_id
            .map(|o| o.to_string())
            .unwrap_or_default(),
        ..Default::default()
    };
    Ok(new_page(
        &ctx,
        &v.collaboration,
        &v.choices,
        &form,
        &FieldErrors::new(),
    ))
}

pub async fn create(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
    PageForm(form): PageForm<ProblemForm>,
) -> Result<Response, AppError> {
    let actor = viewer.actor();
    match actions::problems::raise_problem(&state, &actor, id, &form.input()).await {
        Ok(p) => Ok(Redirect::to(&format!("/problems/{}?done=raised", p.id)).into_response()),
        Err(AppError::Invalid(errors)) => {
            let v = list_for_form(&state, &actor, id).await?;
            Ok(new_page(&ctx, &v.collaboration, &v.choices, &form, &errors))
        }
        Err(e) => Err(e),
    }
}

/// A refused change on the problem page.
#[derive(Default)]
struct Refused {
    form: Option<ProblemForm>,
    reason: String,
    errors: FieldErrors,
    conflict: Option<String>,
}

fn who_at_rung(d: &ProblemDetail) -> Markup {
    let r = &d.at_rung;
    html! {
        @match r.audience {
            Audience::Outside => p { "This rung is outside Common Ground: nobody in the app stands at it. Arrange it with the partners and record what happens here." },
            Audience::SteeringGroup if r.body_name.is_none() => p { "This rung is the steering group, but the collaboration has no governance body named as a steering group yet. "
                a href={ "/collaborations/" (d.collaboration.id) "/governance" } { "Set one up in governance" } "." },
            _ => {
                p { @match r.audience {
                    Audience::WorkingLevel => { "At this rung: the members of " (d.problem.owner_organisation_name) ", which owns the problem." }
                    Audience::PartnerLeads => { "At this rung: the admins of the lead and partner organisations." }
                    _ => { "At this rung: the members of " (r.body_name.as_deref().unwrap_or("")) "." }
                } }
                @if r.people.is_empty() { p { "Nobody is there yet." } } @else {
                    ul { @for p in &r.people { li { (p.name) " (" (p.organisation_name) ")" } } }
                }
            }
        }
    }
}

fn problem_page(
    ctx: &PageContext,
    d: &ProblemDetail,
    refused: &Refused,
    done: &str,
    status: StatusCode,
) -> Response {
    let p = &d.problem;
    let c = &d.collaboration;
    let form = refused.form.clone().unwrap_or_else(|| ProblemForm::of(p));
    let title = headline(&p.description);
    let message = match done {
        "raised" => Some("The problem has been raised."),
        "changed" => Some("The problem has been saved."),
        "escalated" => Some("The problem has moved up a rung. The escalation is recorded below."),
        _ => None,
    };
    let can_escalate = !p.status.is_finished() && p.rung + 1 < p.ladder.len();
    render(
        status,
        page(
            ctx,
            &format!("Problem: {title}: {}", c.title),
            Some(&refused.errors),
            html! {
                @if let Some(m) = message { (notice(m)) }
                (back_link(&format!("/collaborations/{}/problems", c.id), "Back to the problems"))
                span.caption { (c.title) }
                h1 { (title) " " (status_tag(p.status)) " " (severity_tag(p.severity)) }
                @if let Some(m) = &refused.conflict {
                    div.error-summary role="alert" { h2 { "This problem could not be changed" } p { (m) } }
                }
                dl.summary-list {
                    div { dt { "Description" } dd { (paragraphs(&p.description)) } }
                    div { dt { "Raised by" } dd { (p.raised_by_name) ", " (when(p.created_at)) } }
                    div { dt { "Owner" } dd { (p.owner_organisation_name) @if !p.owner_person_name.is_empty() { ": " (p.owner_person_name) } @else { ": nobody named yet" } } }
                    @if !p.resolution.is_empty() { div { dt { "Resolution" } dd { (paragraphs(&p.resolution)) } } }
                }
                h2 #ladder { "Escalation ladder" }
                p { "Rung " (p.rung + 1) " of " (p.ladder.len()) ": " strong { (p.rung_name()) } "." }
                ol {
                    @for (i, r) in p.ladder.iter().enumerate() {
                        li aria-current=[(i == p.rung).then_some("step")] {
                            (r) @if i == p.rung { " (here now)" }
                        }
                    }
                }
                (who_at_rung(d))
                @if d.can_contribute {
                    @if can_escalate {
                        form method="post" action={ "/problems/" (p.id) "/escalate" } novalidate {
                            (csrf_field(&ctx.csrf))
                            (textarea("reason", &format!("Why does it need to go up to \u{201c}{}\u{201d}?", p.ladder[p.rung + 1]), Some("Your name, the time and this reason are recorded."), &refused.reason, 3, &refused.errors))
                            button.button.secondary type="submit" { "Escalate the problem" }
                        }
                    } @else if p.status.is_finished() {
                        p { "It is " (p.status.label().to_lowercase()) ", so it cannot be escalated." }
                    } @else {
                        p { "It is at the top rung, so it cannot be escalated further." }
                    }
                }
                h2 #history { "Escalations" }
                @if d.escalations.is_empty() { p { "It has not been escalated." } } @else {
                    (table_scroll("escalations-caption", html! {
                        table.table {
                            caption #escalations-caption { "Escalations, oldest first" }
                            thead { tr { th scope="col" { "When" } th scope="col" { "Who" } th scope="col" { "From" } th scope="col" { "To" } th scope="col" { "Why" } } }
                            tbody {
                                @for e in &d.escalations {
                                    tr { td { (when(e.escalated_at)) } td { (e.escalated_by_name) } td { (e.from_name) } td { (e.to_name) } td { (e.reason) } }
                                }
                            }
                        }
                    }))
                }
                (super::decisions::about(&d.decisions, d.can_contribute.then(|| format!("/collaborations/{}/decisions/new?problem_id={}", c.id, p.id)), "problem"))
                @if d.can_contribute {
                    h2 #change { "Change the problem" }
                    form method="post" action={ "/problems/" (p.id) } novalidate {
                        (csrf_field(&ctx.csrf))
                        input type="hidden" name="version" value=(p.version);
                        (problem_fields(&d.choices, &form, &refused.errors, true))
                        button.button type="submit" { "Save the problem" }
                    }
                } @else {
                    p { "Your organisation observes this collaboration, so you can read this problem but not change it." }
                }
            },
        ),
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DoneQuery {
    done: String,
}

pub async fn show(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(pid): P<i64>,
    Q(q): Q<DoneQuery>,
) -> Result<Response, AppError> {
    let d = actions::problems::problem_detail(&state, &viewer.actor(), pid).await?;
    Ok(problem_page(
        &ctx,
        &d,
        &Refused::default(),
        &q.done,
        StatusCode::OK,
    ))
}

pub async fn change(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(pid): P<i64>,
    PageForm(form): PageForm<ProblemForm>,
) -> Result<Response, AppError> {
    let actor = viewer.actor();
    let change = ProblemChange {
        description: Some(&form.description),
        severity: Some(&form.severity),
        owner_organisation_id: Some(&form.owner_organisation_id),
        owner_person_id: Some(&form.owner_person_id),
        status: Some(&form.status),
        resolution: Some(&form.resolution),
        based_on: &form.version,
    };
    let (refused, status) =
        match actions::problems::update_problem(&state, &actor, pid, &change).await {
            Ok(_) => {
                return Ok(Redirect::to(&format!("/problems/{pid}?done=changed")).into_response());
            }
            Err(AppError::Invalid(errors)) => (
                Refused {
                    form: Some(form.clone()),
                    errors,
                    ..Default::default()
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            ),
            Err(AppError::Conflict(m)) => (
                Refused {
                    conflict: Some(m),
                    ..Default::default()
                },
                StatusCode::CONFLICT,
            ),
            Err(e) => return Err(e),
        };
    let d = actions::problems::problem_detail(&state, &actor, pid).await?;
    Ok(problem_page(&ctx, &d, &refused, "", status))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct EscalateForm {
    reason: String,
}

pub async fn escalate(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(pid): P<i64>,
    PageForm(form): PageForm<EscalateForm>,
) -> Result<Response, AppError> {
    let actor = viewer.actor();
    let (refused, status) =
        match actions::problems::escalate_problem(&state, &actor, pid, &form.reason).await {
            Ok(_) => {
                return Ok(
                    Redirect::to(&format!("/problems/{pid}?done=escalated#history"))
                        .into_response(),
                );
            }
            Err(AppError::Invalid(errors)) => (
                Refused {
                    reason: form.reason.clone(),
                    errors,
                    ..Default::default()
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            ),
            Err(AppError::Conflict(m)) => (
                Refused {
                    conflict: Some(m),
                    ..Default::default()
                },
                StatusCode::CONFLICT,
            ),
            Err(e) => return Err(e),
        };
    let d = actions::problems::problem_detail(&state, &actor, pid).await?;
    Ok(problem_page(&ctx, &d, &refused, "", status))
}
