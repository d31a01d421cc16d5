//! The decisions log's pages: the list with its filter, recording a
//! decision (perhaps already about a task, problem or aim), and a decision
//! with what it affects and the forms to link more.

use super::layout::{
    Input, back_link, csrf_field, form_status, notice, page, pagination, paragraphs, render,
    select, table_scroll, textarea, when,
};
use crate::AppState;
use crate::actions;
use crate::actions::decisions::{Choices, DecisionDetail, DecisionList, FilterInput, parse_filter};
use crate::auth::{PageContext, SignedIn};
use crate::error::AppError;
use crate::extract::{P, PageForm, Q};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use commonground_domain::FieldErrors;
use commonground_domain::decisions::{DecisionInput, HowTaken, LinkKind};
use commonground_store::collaborations::Collaboration;
use commonground_store::decisions::Decision;
use maud::{Markup, html};
use serde::Deserialize;

fn how_options(any: Option<&str>) -> Vec<(String, String)> {
    let mut v = Vec::new();
    if let Some(a) = any {
        v.push((String::new(), a.to_string()));
    }
    v.extend(
        HowTaken::ALL
            .iter()
            .map(|h| (h.code().to_string(), h.label().to_string())),
    );
    v
}

fn how_text(d: &Decision) -> String {
    if d.governance_body_name.is_empty() {
        d.how.label().to_string()
    } else {
        format!("{} ({})", d.how.label(), d.governance_body_name)
    }
}

fn with_none(none: &str, items: &[(i64, String)]) -> Vec<(String, String)> {
    std::iter::once((String::new(), none.to_string()))
        .chain(items.iter().map(|(i, t)| (i.to_string(), t.clone())))
        .collect()
}

fn list_page(
    ctx: &PageContext,
    v: &DecisionList,
    f: &FilterInput,
    errors: &FieldErrors,
    status: StatusCode,
) -> Response {
    let c = &v.collaboration;
    let base = format!("/collaborations/{}/decisions", c.id);
    let query = |n: Option<i64>| {
        let mut parts = Vec::new();
        if !f.how.trim().is_empty() {
            parts.push(format!("how={}", f.how.trim()));
        }
        if let Some(n) = n {
            parts.push(format!("page={n}"));
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!("?{}", parts.join("&"))
        }
    };
    render(
        status,
        page(
            ctx,
            &format!("Decisions: {}", c.title),
            Some(errors),
            html! {
                (back_link(&format!("/collaborations/{}/implement", c.id), "Back to the Implement stage"))
                span.caption { (c.title) }
                h1 { "Decisions" }
                p { "Every decision the partners have taken, newest first, with what it affects." }
                @if v.can_contribute {
                    p { a.button href={ (base) "/new" } { "Record a decision" } }
                } @else {
                    p { "Your organisation observes this collaboration, so you can read the decisions but not record them." }
                }
                form method="get" action=(base) novalidate {
                    (select("how", "How it was decided", None, &how_options(Some("Any way")), &f.how, errors))
                    button.button.secondary type="submit" { "Show these decisions" }
                }
                p { (v.total) " " @if v.total == 1 { "decision" } @else { "decisions" } " match." }
                @if v.decisions.is_empty() {
                    p { "No decisions recorded here yet." }
                } @else {
                    (table_scroll("decision-table-caption", html! {
                        table.table {
                            caption #decision-table-caption { "Decisions, newest first" }
                            thead { tr { th scope="col" { "Decision" } th scope="col" { "Date" } th scope="col" { "How" } th scope="col" { "Recorded by" } } }
                            tbody {
                                @for d in &v.decisions {
                                    tr {
                                        td { a href={ "/decisions/" (d.id) } { (d.title) } }
                                        td { (d.decided_on) }
                                        td { (how_text(d)) }
                                        td { (d.recorded_by_name) }
                                    }
                                }
                            }
                        }
                    }))
                }
                (pagination(&base, |n| query(Some(n)), v.page, v.total))
            },
        ),
    )
}

pub async fn index(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
    Q(f): Q<FilterInput>,
) -> Result<Response, AppError> {
    let actor = viewer.actor();
    match parse_filter(&f) {
        Ok((how, page)) => {
            let v = actions::decisions::decision_list(&state, &actor, id, how, page).await?;
            Ok(list_page(&ctx, &v, &f, &FieldErrors::new(), StatusCode::OK))
        }
        Err(errors) => {
            let (how, page) = parse_filter(&FilterInput::default()).map_err(AppError::Invalid)?;
            let v = actions::decisions::decision_list(&state, &actor, id, how, page).await?;
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

/// A new decision as the form sends it.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct DecisionForm {
    title: String,
    decided: String,
    decided_on: String,
    how: String,
    governance_body_id: String,
    task_id: String,
    problem_id: String,
    aim_id: String,
}

fn new_page(
    ctx: &PageContext,
    c: &Collaboration,
    choices: &Choices,
    form: &DecisionForm,
    errors: &FieldErrors,
) -> Response {
    render(
        form_status(errors),
        page(
            ctx,
            &format!("Record a decision: {}", c.title),
            Some(errors),
            html! {
                (back_link(&format!("/collaborations/{}/decisions", c.id), "Back to the decisions"))
                span.caption { (c.title) }
                h1 { "Record a decision" }
                form method="post" action={ "/collaborations/" (c.id) "/decisions" } novalidate {
                    (csrf_field(&ctx.csrf))
                    (Input::text("title", "Title", &form.title).required().render(errors))
                    (textarea("decided", "What was decided", Some("Plain text."), &form.decided, 4, errors))
                    (Input::text("decided_on", "Date of the decision", &form.decided_on).kind("date").hint("For example 2027-03-31.").required().render(errors))
                    (select("how", "How it was decided", None, &how_options(Some("Choose how")), &form.how, errors))
                    (select("governance_body_id", "Governance body (optional)", Some("Needed when a governance body decided."), &with_none("None", &choices.bodies), &form.governance_body_id, errors))
                    h2 { "What it affects (optional)" }
                    p { "You can link more from the decision's page later." }
                    (select("task_id", "A task it affects", None, &with_none("No task", &choices.tasks), &form.task_id, errors))
                    (select("problem_id", "A problem it affects", None, &with_none("No problem", &choices.problems), &form.problem_id, errors))
                    (select("aim_id", "An aim it affects", None, &with_none("No aim", &choices.aims), &form.aim_id, errors))
                    button.button type="submit" { "Record the decision" }
                }
            },
        ),
    )
}

pub async fn new_form(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
    Q(prefill): Q<DecisionForm>,
) -> Result<Response, AppError> {
    let (c, choices) = actions::decisions::new_decision(&state, &viewer.actor(), id).await?;
    Ok(new_page(&ctx, &c, &choices, &prefill, &FieldErrors::new()))
}

pub async fn create(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
    PageForm(form): PageForm<DecisionForm>,
) -> Result<Response, AppError> {
    let actor = viewer.actor();
    let links: Vec<(String, String)> = [
        (LinkKind::Task, &form.task_id),
        (LinkKind::Problem, &form.problem_id),
        (LinkKind::Aim, &form.aim_id),
    ]
    .into_iter()
    .filter(|(_, v)| !v.trim().is_empty())
    .map(|(k, v)| (k.code().to_string(), v.clone()))
    .collect();
    let input = DecisionInput {
        title: &form.title,
        decided: &form.decided,
        decided_on: &form.decided_on,
        how: &form.how,
        governance_body_id: &form.governance_body_id,
    };
    match actions::decisions::record_decision(&state, &actor, id, &input, &links).await {
        Ok(d) => Ok(Redirect::to(&format!("/decisions/{}?done=recorded", d.id)).into_response()),
        Err(AppError::Invalid(errors)) => {
            let (c, choices) = actions::decisions::new_decision(&state, &actor, id).await?;
            Ok(new_page(&ctx, &c, &choices, &form, &errors))
        }
        Err(e) => Err(e),
    }
}

fn decision_page(
    ctx: &PageContext,
    d: &DecisionDetail,
    kept: &LinkForm,
    errors: &FieldErrors,
    done: &str,
    status: StatusCode,
) -> Response {
    let x = &d.decision;
    let c = &d.collaboration;
    let message = match done {
        "recorded" => Some("The decision has been recorded."),
        "linked" => Some("The link has been added."),
        "unlinked" => Some("The link has been removed."),
        _ => None,
    };
    let href = |k: LinkKind, id: i64| match k {
        LinkKind::Task => format!("/tasks/{id}"),
        LinkKind::Problem => format!("/problems/{id}"),
        LinkKind::Aim => format!("/collaborations/{}/aims", c.id),
    };
    render(
        status,
        page(
            ctx,
            &format!("Decision: {}: {}", x.title, c.title),
            Some(errors),
            html! {
                @if let Some(m) = message { (notice(m)) }
                (back_link(&format!("/collaborations/{}/decisions", c.id), "Back to the decisions"))
                span.caption { (c.title) }
                h1 { (x.title) }
                dl.summary-list {
                    div { dt { "What was decided" } dd { (paragraphs(&x.decided)) } }
                    div { dt { "Date" } dd { (x.decided_on) } }
                    div { dt { "How" } dd { (how_text(x)) } }
                    div { dt { "Recorded by" } dd { (x.recorded_by_name) ", " (when(x.created_at)) } }
                }
                h2 #affects { "What it affects" }
                @if d.links.is_empty() { p { "Nothing is linked yet." } } @else {
                    ul {
                        @for l in &d.links {
                            li {
                                (l.kind.label()) ": " a href=(href(l.kind, l.id)) { (l.title) }
                                @if d.can_contribute {
                                    " "
                                    form.inline method="post" action={ "/decisions/" (x.id) "/links/" (l.kind.code()) "/" (l.id) "/remove" } {
                                        (csrf_field(&ctx.csrf))
                                        button.button.secondary type="submit" { "Remove" span.visually-hidden { " the link to " (l.title) } }
                                    }
                                }
                            }
                        }
                    }
                }
                @if d.can_contribute {
                    @for (kind, label, items, value) in [
                        (LinkKind::Task, "Link a task", &d.choices.tasks, &kept.task_id),
                        (LinkKind::Problem, "Link a problem", &d.choices.problems, &kept.problem_id),
                        (LinkKind::Aim, "Link an aim", &d.choices.aims, &kept.aim_id),
                    ] {
                        @if !items.is_empty() {
                            form method="post" action={ "/decisions/" (x.id) "/links" } novalidate {
                                (csrf_field(&ctx.csrf))
                                input type="hidden" name="kind" value=(kind.code());
                                (select(&actions::decisions::link_field(kind), label, None, &with_none("Choose one", items), value, errors))
                                button.button.secondary type="submit" { (label) }
                            }
                        }
                    }
                } @else {
                    p { "Your organisation observes this collaboration, so you can read this decision but not link it." }
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
    P(did): P<i64>,
    Q(q): Q<DoneQuery>,
) -> Result<Response, AppError> {
    let d = actions::decisions::decision_detail(&state, &viewer.actor(), did).await?;
    Ok(decision_page(
        &ctx,
        &d,
        &LinkForm::default(),
        &FieldErrors::new(),
        &q.done,
        StatusCode::OK,
    ))
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct LinkForm {
    kind: String,
    task_id: String,
    problem_id: String,
    aim_id: String,
}

pub async fn link(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(did): P<i64>,
    PageForm(form): PageForm<LinkForm>,
) -> Result<Response, AppError> {
    let actor = viewer.actor();
    let target = match form.kind.as_str() {
        "task" => &form.task_id,
        "problem" => &form.problem_id,
        _ => &form.aim_id,
    };
    match actions::decisions::add_link(&state, &actor, did, &form.kind, target).await {
        Ok(_) => Ok(Redirect::to(&format!("/decisions/{did}?done=linked#affects")).into_response()),
        Err(AppError::Invalid(errors)) => {
            let d = actions::decisions::decision_detail(&state, &actor, did).await?;
            Ok(decision_page(
                &ctx,
                &d,
                &form,
                &errors,
                "",
                StatusCode::UNPROCESSABLE_ENTITY,
            ))
        }
        Err(e) => Err(e),
    }
}

pub async fn unlink(
    State(state): State<AppState>,
    SignedIn(viewer, _ctx): SignedIn,
    P((did, kind, target)): P<(i64, String, i64)>,
) -> Result<Response, AppError> {
    actions::decisions::remove_link(&state, &viewer.actor(), did, &kind, target).await?;
    Ok(Redirect::to(&format!("/decisions/{did}?done=unlinked#affects")).into_response())
}

/// "Decisions about this" on another page, with a way to record one.
pub(crate) fn about(decisions: &[Decision], record_href: Option<String>, what: &str) -> Markup {
    html! {
        h2 #decisions { "Decisions about this" }
        @if decisions.is_empty() { p { "No decisions are linked to this " (what) "." } } @else {
            ul { @for x in decisions { li { a href={ "/decisions/" (x.id) } { (x.title) } " (" (x.decided_on) ", " (x.how.label().to_lowercase()) ")" } } }
        }
        @if let Some(h) = record_href {
            p { a href=(h) { "Record a decision about this " (what) } }
        }
    }
}
