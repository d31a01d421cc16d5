//! The forward strategy pages: every partner's position side by side, a
//! form per organisation the person may speak for, the way forward put to
//! the partners and the one they agreed; the Review stage page's section on
//! it; and the next cycle's confirm page.

use super::layout::{
    Input, back_link, csrf_field, form_status, notice, page, radios, render, select, table_scroll,
    tag, textarea, when,
};
use crate::AppState;
use crate::actions;
use crate::actions::forward::{ForwardView, NextCyclePlan, ReviewSection, WayForwardInput};
use crate::auth::{PageContext, SignedIn};
use crate::error::AppError;
use crate::extract::{P, PageForm, Q};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use commonground_domain::FieldErrors;
use commonground_domain::forward::{ForwardOption, PositionInput};
use commonground_report::markdown::to_html;
use commonground_store::collaborations::Collaboration;
use commonground_store::forward::{PartyPosition, Way};
use maud::{Markup, PreEscaped, html};
use serde::Deserialize;

fn markdown(text: &str) -> Markup {
    html! { div.markdown { (PreEscaped(to_html(text))) } }
}

fn option_choices() -> Vec<(&'static str, &'static str, Option<&'static str>)> {
    ForwardOption::ALL
        .iter()
        .map(|o| (o.code(), o.label(), Some(o.hint())))
        .collect()
}

/// The agreed way forward, with a link to the decision.
fn agreed_block(w: &Way) -> Markup {
    html! {
        div.notice #agreed-way-forward {
            p { strong { "Agreed way forward: " (w.option.label()) } }
            h3 { "Reasons" }
            (markdown(&w.reasons))
            h3 { "Next steps" }
            (markdown(&w.next_steps))
            p {
                "Decided by " (w.body_name) ". "
                a href={ "/proposals/" (w.proposal_id) } { "Read the decision" }
                @if let Some(d) = w.decision_id { " or " a href={ "/decisions/" (d) } { "its entry in the decisions log" } }
                "."
            }
        }
    }
}

fn open_block(w: &Way) -> Markup {
    html! {
        div #open-way-forward {
            p { (tag("Waiting for a decision", "tag-current")) " " strong { (w.option.label()) } ", put by " (w.proposed_by_name) " to " (w.body_name) ". Voting is open until the end of " (w.closes_on) "." }
            p { a href={ "/proposals/" (w.proposal_id) } { "Vote on it or see where the count stands" } }
        }
    }
}

/// The Review stage page's section: self-contained, read by
/// `actions::forward::review_section`.
pub fn review_section(c: &Collaboration, s: &ReviewSection) -> Markup {
    html! {
        h2 #way-forward { "The way forward" }
        p { (s.positions) " of " (s.parties) " partners have recorded their position on the way forward. "
            a href={ "/collaborations/" (c.id) "/forward" } { "See every partner's position and the way forward" } }
        @if let Some(w) = &s.agreed {
            (agreed_block(w))
        } @else if let Some(w) = &s.open {
            (open_block(w))
        } @else {
            p { "No way forward has been agreed yet." }
        }
        h2 #next-cycle { "The next cycle" }
        @if let Some(prev) = s.previous_cycle_id {
            p { "This collaboration is the next cycle of an earlier one. " a href={ "/collaborations/" (prev) } { "Previous cycle" } }
        }
        @if let Some(n) = s.next_cycle_id {
            p { "The next cycle has been started. " a href={ "/collaborations/" (n) } { "Next cycle" } }
        } @else if s.can_start_next {
            p { "Start a new collaboration that carries on from this one: the partners are invited again, and the aims still open and the lessons are carried over. You can check what it will carry before it is made." }
            p { a.button href={ "/collaborations/" (c.id) "/next-cycle" } { "Start the next cycle" } }
        } @else {
            p { "An admin of the lead organisation can start the next cycle once the review is done." }
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DoneQuery {
    done: String,
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct WayForm {
    option: String,
    reasons: String,
    next_steps: String,
    body_id: String,
    closes_on: String,
}

fn index_page(
    ctx: &PageContext,
    v: &ForwardView,
    note: Option<&str>,
    form: &WayForm,
    errors: &FieldErrors,
) -> Markup {
    let c = &v.collaboration;
    let missing = v.missing();
    let bodies: Vec<(String, String)> =
        std::iter::once((String::new(), "Choose a group".to_string()))
            .chain(v.bodies.iter().map(|b| {
                (
                    b.id.to_string(),
                    format!("{} ({})", b.name, b.decision_rule.label().to_lowercase()),
                )
            }))
            .collect();
    page(
        ctx,
        &format!("The way forward: {}", c.title),
        (!errors.is_empty()).then_some(errors),
        html! {
            (back_link(&format!("/collaborations/{}/review", c.id), "Back to the Review stage"))
            @if let Some(n) = note { (notice(n)) }
            span.caption { (c.title) }
            h1 { "The way forward" }
            p.lead { "Each lead and partner organisation says how it wants to go on: continue, deepen, widen, change the model, merge or wind down, and why. Then the partners decide together, under their decision rule." }
            @if let Some(w) = &v.agreed {
                h2 #agreed { "The agreed way forward" }
                (agreed_block(w))
            }
            h2 #positions { "Every partner's position" }
            @if !missing.is_empty() {
                div.notice role="status" #missing-positions {
                    p { "Not recorded yet:" }
                    ul { @for p in &missing {
                        li { (p.organisation_name)
                            @if v.speaks_for.contains(&p.organisation_id) {
                                " \u{2014} " a href={ "/collaborations/" (c.id) "/forward/positions/" (p.organisation_id) } { "record its position" }
                            }
                        }
                    } }
                }
            }
            @if v.parties.is_empty() {
                p { "No lead or partner organisation takes part yet." }
            } @else {
                (table_scroll("positions-caption", html! {
                    table.table #positions-table {
                        caption #positions-caption { "Positions on the way forward, side by side" }
                        thead { tr {
                            th scope="col" { "Organisation" }
                            th scope="col" { "Position" }
                            th scope="col" { "Reasons" }
                            th scope="col" { "Next steps" }
                            th scope="col" { "Recorded" }
                        } }
                        tbody {
                            @for p in &v.parties {
                                tr {
                                    th scope="row" {
                                        (p.organisation_name) @if p.lead { " (lead)" }
                                        @if v.speaks_for.contains(&p.organisation_id) {
                                            br;
                                            a href={ "/collaborations/" (c.id) "/forward/positions/" (p.organisation_id) } {
                                                @if p.position.is_some() { "Change" } @else { "Record" }
                                                span.visually-hidden { " the position of " (p.organisation_name) }
                                            }
                                        }
                                    }
                                    @match &p.position {
                                        Some(x) => {
                                            td { strong { (x.option.label()) } }
                                            td { (markdown(&x.reasons)) }
                                            td { @if x.next_steps.is_empty() { "None given" } @else { (markdown(&x.next_steps)) } }
                                            td { "By " (x.recorded_by_name) ", " (when(x.recorded_at)) }
                                        },
                                        None => {
                                            td colspan="4" { (tag("Not recorded yet", "tag-attention")) }
                                        },
                                    }
                                }
                            }
                        }
                    }
                }))
            }
            h2 #decision { "The decision" }
            @if let Some((w, _)) = &v.open {
                (open_block(w))
            } @else if v.agreed.is_none() {
                p { "No way forward is waiting for a decision." }
            }
            @for w in v.ways.iter().filter(|w| !w.is_open() && !w.is_agreed()) {
                p { "Not agreed: " (w.option.label()) ", put to " (w.body_name) ". "
                    a href={ "/proposals/" (w.proposal_id) } { "Read the proposal" } }
            }
            @if v.can_propose && v.open.is_none() && v.agreed.is_none() {
                h2 #put-way-forward { "Put a way forward to the partners" }
                @if v.bodies.is_empty() {
                    p #no-governance { "This collaboration has no governance group to decide the way forward. "
                        a href={ "/collaborations/" (c.id) "/governance" } { "Set one up in the Plan stage" }
                        ", then come back to put the way forward to it." }
                } @else {
                    p { "It goes to the group you choose as a proposal, and each lead and partner organisation votes under the group's decision rule. Once the result is in and the outcome is written on the proposal, the way forward is agreed." }
                    form method="post" action={ "/collaborations/" (c.id) "/forward/way-forward" } novalidate {
                        (csrf_field(&ctx.csrf))
                        (radios("option", "Which way forward?", None, &option_choices(), &form.option, errors))
                        (textarea("reasons", "Reasons", Some("Why this way forward. You can use Markdown, such as **bold** and lists."), &form.reasons, 5, errors))
                        (textarea("next_steps", "Next steps", Some("What happens next, and who does it."), &form.next_steps, 5, errors))
                        @if v.bodies.len() > 1 {
                            (select("body_id", "The group that decides", None, &bodies, &form.body_id, errors))
                        } @else {
                            input type="hidden" name="body_id" value=(v.bodies[0].id);
                            p { "The decision is taken by " (v.bodies[0].name) ", by " (v.bodies[0].decision_rule.label().to_lowercase()) "." }
                        }
                        (Input::text("closes_on", "Last day of voting", &form.closes_on)
                            .hint("Votes are taken through this day. For example, 2027-01-31.")
                            .kind("date")
                            .render(errors))
                        button.button type="submit" { "Put it to the partners" }
                    }
                }
            }
        },
    )
}

pub async fn index(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
    Q(q): Q<DoneQuery>,
) -> Result<Response, AppError> {
    let v = actions::forward::forward(&state, &viewer.actor(), id).await?;
    let note = match q.done.as_str() {
        "saved" => Some("The position has been saved."),
        "put" => Some(
            "The way forward has been put to the partners. Everyone who can vote has been told.",
        ),
        _ => None,
    };
    Ok(render(
        StatusCode::OK,
        index_page(&ctx, &v, note, &WayForm::default(), &FieldErrors::new()),
    ))
}

pub async fn put_way_forward(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
    PageForm(form): PageForm<WayForm>,
) -> Result<Response, AppError> {
    let actor = viewer.actor();
    let input = WayForwardInput {
        position: PositionInput {
            option: &form.option,
            reasons: &form.reasons,
            next_steps: &form.next_steps,
        },
        body_id: &form.body_id,
        closes_on: &form.closes_on,
    };
    match actions::forward::put_way_forward(&state, &actor, id, &input).await {
        Ok(_) => {
            Ok(Redirect::to(&format!("/collaborations/{id}/forward?done=put")).into_response())
        }
        Err(AppError::Invalid(errors)) => {
            let v = actions::forward::forward(&state, &actor, id).await?;
            Ok(render(
                form_status(&errors),
                index_page(&ctx, &v, None, &form, &errors),
            ))
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct PositionForm {
    option: String,
    reasons: String,
    next_steps: String,
    /// The position's version when the form was opened; 0 for none.
    version: String,
}

impl PositionForm {
    fn from_party(p: &PartyPosition) -> Self {
        match &p.position {
            Some(x) => PositionForm {
                option: x.option.code().to_string(),
                reasons: x.reasons.clone(),
                next_steps: x.next_steps.clone(),
                version: x.version.to_string(),
            },
            None => PositionForm {
                version: "0".to_string(),
                ..Default::default()
            },
        }
    }
}

fn position_page(
    ctx: &PageContext,
    c: &Collaboration,
    p: &PartyPosition,
    allowed: Result<(), &str>,
    form: &PositionForm,
    errors: &FieldErrors,
    status: StatusCode,
) -> Response {
    render(
        status,
        page(
            ctx,
            &format!("Position of {}: {}", p.organisation_name, c.title),
            (!errors.is_empty()).then_some(errors),
            html! {
                (back_link(&format!("/collaborations/{}/forward", c.id), "Back to the way forward"))
                span.caption { (c.title) }
                h1 { "The position of " (p.organisation_name) }
                @if let Some(x) = &p.position {
                    p { "Now: " strong { (x.option.label()) } ". Recorded by " (x.recorded_by_name) ", " (when(x.recorded_at)) ". Version " (x.version) "." }
                    h2 { "Reasons" }
                    (markdown(&x.reasons))
                    @if !x.next_steps.is_empty() { h2 { "Next steps" } (markdown(&x.next_steps)) }
                } @else {
                    p { "No position recorded yet." }
                }
                @match allowed {
                    Ok(()) => {
                        h2 #record { @if p.position.is_some() { "Change the position" } @else { "Record the position" } }
                        form method="post" action={ "/collaborations/" (c.id) "/forward/positions/" (p.organisation_id) } novalidate {
                            (csrf_field(&ctx.csrf))
                            input type="hidden" name="version" value=(form.version);
                            (radios("option", "Which way forward does your organisation want?", None, &option_choices(), &form.option, errors))
                            (textarea("reasons", "Reasons", Some("Why your organisation wants this. You can use Markdown, such as **bold** and lists."), &form.reasons, 6, errors))
                            (textarea("next_steps", "Proposed next steps (optional)", Some("What your organisation thinks should happen next."), &form.next_steps, 4, errors))
                            button.button type="submit" { "Save the position" }
                        }
                    },
                    Err(why) => { p #cannot-record { (why) } },
                }
            },
        ),
    )
}

pub async fn position_form(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P((id, org_id)): P<(i64, i64)>,
) -> Result<Response, AppError> {
    let (c, p, allowed) = actions::forward::position(&state, &viewer.actor(), id, org_id).await?;
    Ok(position_page(
        &ctx,
        &c,
        &p,
        allowed,
        &PositionForm::from_party(&p),
        &FieldErrors::new(),
        StatusCode::OK,
    ))
}

pub async fn save_position(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P((id, org_id)): P<(i64, i64)>,
    PageForm(form): PageForm<PositionForm>,
) -> Result<Response, AppError> {
    let actor = viewer.actor();
    let input = PositionInput {
        option: &form.option,
        reasons: &form.reasons,
        next_steps: &form.next_steps,
    };
    match actions::forward::save_position(&state, &actor, id, org_id, &input, &form.version).await {
        Ok(_) => {
            Ok(Redirect::to(&format!("/collaborations/{id}/forward?done=saved")).into_response())
        }
        Err(AppError::Invalid(errors)) => {
            let (c, p, allowed) = actions::forward::position(&state, &actor, id, org_id).await?;
            Ok(position_page(
                &ctx,
                &c,
                &p,
                allowed,
                &form,
                &errors,
                form_status(&errors),
            ))
        }
        // Someone else saved first: show the position now, keep what this
        // person typed, and base the next save on the new version.
        Err(AppError::Conflict(reason)) => {
            let (c, p, allowed) = actions::forward::position(&state, &actor, id, org_id).await?;
            let kept = PositionForm {
                version: p
                    .position
                    .as_ref()
                    .map(|x| x.version.to_string())
                    .unwrap_or_else(|| "0".to_string()),
                ..form
            };
            let errors = FieldErrors::single("option", reason);
            Ok(position_page(
                &ctx,
                &c,
                &p,
                allowed,
                &kept,
                &errors,
                StatusCode::CONFLICT,
            ))
        }
        Err(e) => Err(e),
    }
}

fn next_cycle_page(ctx: &PageContext, plan: &NextCyclePlan) -> Markup {
    let c = &plan.collaboration;
    page(
        ctx,
        &format!("Start the next cycle: {}", c.title),
        None,
        html! {
            (back_link(&format!("/collaborations/{}/review", c.id), "Back to the Review stage"))
            span.caption { (c.title) }
            h1 { "Start the next cycle" }
            @if let Some(why) = &plan.refused {
                p #next-cycle-refused { (why) }
            } @else {
                p.lead { "A new collaboration is opened in the Identify stage, linked to this one. Check what it carries over, then start it." }
                dl.summary-list {
                    div { dt { "Title" } dd { (plan.title) " (you can change it later)" } }
                    div { dt { "Led by" } dd { (plan.lead_name) } }
                    div { dt { "Purpose" } dd { (c.purpose) } }
                }
                h2 { "Invited again" }
                @if plan.invited.is_empty() {
                    p { "No other organisation takes part, so nobody is invited." }
                } @else {
                    p { "Each is sent an invitation, which one of its admins accepts or declines, as with any invitation." }
                    ul #next-cycle-invited { @for (_, name, role) in &plan.invited { li { (name) ", as " (actions::with_article(role.label())) } } }
                }
                h2 { "Aims still open" }
                @if plan.aims.is_empty() {
                    p { "Every shared aim was achieved, so none is carried over." }
                } @else {
                    p { "Aims reviewed as not achieved or partly achieved, and aims not reviewed, are carried over as draft aims for the partners to look at again and approve." }
                    ul #next-cycle-aims { @for a in &plan.aims { li { (a) } } }
                }
                h2 { "Lessons" }
                p { @if plan.lessons == 1 { "1 lesson is" } @else { (plan.lessons) " lessons are" } " carried over, marked as from the previous cycle." }
                form method="post" action={ "/collaborations/" (c.id) "/next-cycle" } {
                    (csrf_field(&ctx.csrf))
                    button.button type="submit" { "Start the next cycle" }
                }
            }
        },
    )
}

pub async fn next_cycle_confirm(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
) -> Result<Response, AppError> {
    let plan = actions::forward::next_cycle_plan(&state, &viewer.actor(), id).await?;
    Ok(render(StatusCode::OK, next_cycle_page(&ctx, &plan)))
}

pub async fn start_next_cycle(
    State(state): State<AppState>,
    SignedIn(viewer, _ctx): SignedIn,
    P(id): P<i64>,
) -> Result<Response, AppError> {
    let next = actions::forward::start_next_cycle(&state, &viewer.actor(), id).await?;
    Ok(Redirect::to(&format!("/collaborations/{}", next.id)).into_response())
}

/// The links between cycles, for the collaboration page.
pub fn cycle_links(previous: Option<i64>, next: Option<i64>) -> Markup {
    html! {
        @if previous.is_some() || next.is_some() {
            p #cycle-links {
                @if let Some(prev) = previous { a href={ "/collaborations/" (prev) } { "Previous cycle" } }
                @if previous.is_some() && next.is_some() { " \u{00b7} " }
                @if let Some(n) = next { a href={ "/collaborations/" (n) } { "Next cycle" } }
            }
        }
    }
}
