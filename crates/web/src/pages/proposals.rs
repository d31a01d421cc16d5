//! Decisions by vote: the list of proposals with the form to put a new one
//! to a governance group, and a proposal's page with the count, the votes,
//! who has not voted yet, the vote form, closing early and the outcome.

use super::layout::{
    Input, back_link, csrf_field, notice, page, paragraphs, radios, render, select, table_scroll,
    tag, textarea, when,
};
use crate::AppState;
use crate::actions;
use crate::actions::proposals::{
    ProposalDetail, ProposalList, ProposalView, VoteInput, parse_page,
};
use crate::auth::{PageContext, SignedIn};
use crate::error::AppError;
use crate::extract::{P, PageForm, Q};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use commonground_domain::FieldErrors;
use commonground_domain::proposals::{ProposalInput, Standing, choices_for};
use maud::{Markup, html};
use serde::Deserialize;

fn standing_tag(v: &ProposalView) -> Markup {
    if !v.count.decided {
        return tag("Voting open", "tag-current");
    }
    match v.count.standing {
        Standing::Passed => tag("Passed", "tag-done"),
        Standing::NotPassed => tag("Not passed", "tag-attention"),
        Standing::Blocked => tag("Blocked", "tag-blocked"),
    }
}

fn counts(v: &ProposalView) -> String {
    let c = &v.count;
    let mut s = format!(
        "{} agree, {} abstain, {} disagree",
        c.agree, c.abstain, c.disagree
    );
    if commonground_domain::governance::rule_has_blocks(v.proposal.decision_rule) {
        s.push_str(&format!(", {} block", c.block));
    }
    s
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    page: String,
}

/// A new proposal as the form sends it.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct ProposalForm {
    title: String,
    text: String,
    body_id: String,
    closes_on: String,
}

impl ProposalForm {
    fn input(&self) -> ProposalInput<'_> {
        ProposalInput {
            title: &self.title,
            text: &self.text,
            body_id: &self.body_id,
            closes_on: &self.closes_on,
        }
    }
}

fn list_page(
    ctx: &PageContext,
    v: &ProposalList,
    form: &ProposalForm,
    errors: &FieldErrors,
    status: StatusCode,
) -> Response {
    let c = &v.collaboration;
    let pages = ((v.total + v.page.size - 1) / v.page.size).max(1);
    let base = format!("/collaborations/{}/proposals", c.id);
    render(
        status,
        page(
            ctx,
            &format!("Decisions by vote: {}", c.title),
            Some(errors),
            html! {
                (back_link(&format!("/collaborations/{}/implement", c.id), "Back to the Implement stage"))
                span.caption { (c.title) }
                h1 { "Decisions by vote" }
                p { "Put a proposal to one of the collaboration\u{2019}s governance groups. Each lead and partner organisation has one vote, cast by one of its admins or by the person who sits on the group for it. The group\u{2019}s decision rule decides the result." }
                @if v.items.is_empty() {
                    p { "No proposals yet." }
                } @else {
                    (table_scroll("proposals-caption", html! {
                        table.table {
                            caption #proposals-caption { "Proposals, newest first" }
                            thead { tr {
                                th scope="col" { "Proposal" }
                                th scope="col" { "Group" }
                                th scope="col" { "Closes" }
                                th scope="col" { "Votes" }
                                th scope="col" { "Result" }
                            } }
                            tbody {
                                @for p in &v.items {
                                    tr {
                                        td { a href={ "/proposals/" (p.proposal.id) } { (p.proposal.title) } }
                                        td { (p.proposal.body_name) }
                                        td { (p.proposal.closes_on) }
                                        td { (p.count.voted) " of " (p.count.electorate) " organisations" }
                                        td { (standing_tag(p))
                                            @if p.awaits_outcome() { " " (tag("Outcome to write", "tag-attention")) } }
                                    }
                                }
                            }
                        }
                    }))
                }
                @if pages > 1 {
                    nav.pagination aria-label="Pages" {
                        p { "Page " (v.page.number) " of " (pages) "." }
                        ul {
                            @if v.page.number > 1 { li { a href={ (base) "?page=" (v.page.number - 1) } rel="prev" { "Previous page" } } }
                            @if v.page.number < pages { li { a href={ (base) "?page=" (v.page.number + 1) } rel="next" { "Next page" } } }
                        }
                    }
                }
                @if !v.can_contribute {
                    p { "Your organisation observes this collaboration, so you can read the proposals but not make them or vote." }
                } @else if v.bodies.is_empty() {
                    p { "A proposal is put to a governance group, and there is none yet. "
                        a href={ "/collaborations/" (c.id) "/governance" } { "Set up a governance group" } " first." }
                } @else {
                    h2 #new { "Put a proposal to a vote" }
                    form method="post" action=(base) novalidate {
                        (csrf_field(&ctx.csrf))
                        (Input::text("title", "Title", &form.title).width("input-wide").render(errors))
                        (textarea("text", "What is proposed", Some("Say what would change, who it affects and what it costs."), &form.text, 6, errors))
                        @let opts: Vec<(String, String)> = std::iter::once((String::new(), "Choose a group".to_string()))
                            .chain(v.bodies.iter().map(|b| (b.id.to_string(), format!("{} ({})", b.name, b.decision_rule.label().to_lowercase()))))
                            .collect();
                        (select("body_id", "The group that decides", Some("Its decision rule and quorum apply to this vote."), &opts, &form.body_id, errors))
                        (Input::text("closes_on", "Closing date", &form.closes_on).kind("date").hint("Votes are taken until the end of this day (UTC). For example 2027-03-31.").render(errors))
                        button.button type="submit" { "Put it to a vote" }
                    }
                }
            },
        ),
    )
}

pub async fn index(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
    Q(q): Q<ListQuery>,
) -> Result<Response, AppError> {
    let page = parse_page(&q.page, "")?;
    let v = actions::proposals::proposal_list(&state, &viewer.actor(), id, page).await?;
    Ok(list_page(
        &ctx,
        &v,
        &ProposalForm::default(),
        &FieldErrors::new(),
        StatusCode::OK,
    ))
}

pub async fn create(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
    PageForm(form): PageForm<ProposalForm>,
) -> Result<Response, AppError> {
    let actor = viewer.actor();
    match actions::proposals::create_proposal(&state, &actor, id, &form.input()).await {
        Ok(v) => {
            Ok(Redirect::to(&format!("/proposals/{}?done=added", v.proposal.id)).into_response())
        }
        Err(AppError::Invalid(errors)) => {
            let page = parse_page("", "")?;
            let v = actions::proposals::proposal_list(&state, &actor, id, page).await?;
            Ok(list_page(
                &ctx,
                &v,
                &form,
                &errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            ))
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DoneQuery {
    done: String,
}

/// A vote as the form sends it.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct VoteForm {
    organisation_id: String,
    choice: String,
    reason: String,
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct OutcomeForm {
    outcome: String,
}

/// What was refused on the proposal page and why.
#[derive(Default)]
struct Refused {
    vote: Option<VoteForm>,
    outcome: String,
    errors: FieldErrors,
    conflict: Option<String>,
}

fn proposal_page(
    ctx: &PageContext,
    d: &ProposalDetail,
    refused: &Refused,
    done: &str,
    status: StatusCode,
) -> Response {
    let v = &d.view;
    let p = &v.proposal;
    let c = &d.collaboration;
    let message = match done {
        "added" => Some("The proposal is open for votes."),
        "voted" => Some("Your vote has been saved. You can change it until voting closes."),
        "closed" => Some("Voting has closed."),
        "outcome" => Some("The outcome has been saved."),
        _ => None,
    };
    // The vote form starts from the first organisation's current vote.
    let vote = refused.vote.clone().unwrap_or_else(|| {
        let org = d.speaks_for.first().map(|(id, _)| *id);
        let current = org.and_then(|o| v.votes.iter().find(|x| x.organisation_id == o));
        VoteForm {
            organisation_id: org.map(|o| o.to_string()).unwrap_or_default(),
            choice: current
                .map(|x| x.choice.code().to_string())
                .unwrap_or_default(),
            reason: current.map(|x| x.reason.clone()).unwrap_or_default(),
        }
    });
    let rule = p.decision_rule;
    let choice_options: Vec<(&str, &str, Option<&str>)> = choices_for(rule)
        .into_iter()
        .map(|ch| (ch.code(), ch.label(), Some(ch.hint(rule))))
        .collect();
    let not_voted = v.not_voted();
    render(
        status,
        page(
            ctx,
            &format!("{}: {}", p.title, c.title),
            Some(&refused.errors),
            html! {
                @if let Some(m) = message { (notice(m)) }
                (back_link(&format!("/collaborations/{}/proposals", c.id), "Back to the proposals"))
                span.caption { (c.title) }
                h1 { (p.title) " " (standing_tag(v)) }
                @if let Some(m) = &refused.conflict {
                    div.error-summary role="alert" { h2 { "This could not be done" } p { (m) } }
                }
                dl.summary-list {
                    div { dt { "Proposed by" } dd { (p.proposer_name) " on " (when(p.created_at)) } }
                    div { dt { "Decided by" } dd { (p.body_name) ", by " (rule.label().to_lowercase()) ". " (rule.explanation()) } }
                    div { dt { "Voting closes" } dd {
                        @if p.closed_at.is_some() { "Closed early by " (p.closed_by_name) "." }
                        @else if v.closed { "Closed at the end of " (p.closes_on) " (UTC)." }
                        @else { "At the end of " (p.closes_on) " (UTC)." }
                    } }
                }
                h2 { "What is proposed" }
                (paragraphs(&p.text))
                h2 #result { @if v.count.decided { "Result" } @else { "The count so far" } }
                p { strong { (counts(v)) } ". " (v.count.voted) " of " (v.count.electorate) " organisations have voted." }
                p { @if !v.count.decided { "If voting ended now: " } (v.count.reasoning) }
                @if !p.outcome.is_empty() {
                    h2 #outcome { "Outcome" }
                    (paragraphs(&p.outcome))
                    @if let Some(at) = p.outcome_at { p.hint { "Written by " (p.outcome_by_name) " on " (when(at)) "." } }
                    @if let Some(did) = p.decision_id { p { a href={ "/decisions/" (did) } { "See it in the decisions log" } } }
                } @else if v.awaits_outcome() && d.can_manage {
                    h2 #write-outcome { "Write the outcome" }
                    p { "The result is known. Write what was decided and what happens next, so everyone taking part can see it." }
                    form method="post" action={ "/proposals/" (p.id) "/outcome" } novalidate {
                        (csrf_field(&ctx.csrf))
                        (textarea("outcome", "Outcome", Some("For example: we share the van from March; Riverside arranges the insurance."), &refused.outcome, 5, &refused.errors))
                        button.button type="submit" { "Save the outcome" }
                    }
                } @else if v.awaits_outcome() {
                    p { "The result is known. " (p.proposer_name) " or the lead organisation will write the outcome." }
                }
                h2 #not-voted { "Who has not voted yet" }
                @if not_voted.is_empty() {
                    p { "Every lead and partner organisation has voted." }
                } @else {
                    ul { @for o in &not_voted { li { (o.name) } } }
                }
                h2 #votes { "Votes" }
                @if v.votes.is_empty() {
                    p { "No votes yet." }
                } @else {
                    (table_scroll("votes-caption", html! {
                        table.table {
                            caption #votes-caption { "Votes by organisation" }
                            thead { tr {
                                th scope="col" { "Organisation" }
                                th scope="col" { "Vote" }
                                th scope="col" { "Reason" }
                                th scope="col" { "Cast by" }
                            } }
                            tbody {
                                @for x in &v.votes {
                                    tr {
                                        td { (x.organisation_name)
                                            @if !v.voters.iter().any(|o| o.organisation_id == x.organisation_id) { " (no longer a partner, not counted)" } }
                                        td { (x.choice.label()) }
                                        td { (x.reason) }
                                        td { (x.voter_name) " on " (when(x.cast_at)) }
                                    }
                                }
                            }
                        }
                    }))
                }
                @if !v.closed {
                    @if d.speaks_for.is_empty() {
                        p { "Only an admin of a lead or partner organisation, or the person who sits on " (p.body_name) " for it, can cast its vote." }
                    } @else {
                        h2 #vote { "Vote" }
                        form method="post" action={ "/proposals/" (p.id) "/votes" } novalidate {
                            (csrf_field(&ctx.csrf))
                            @if d.speaks_for.len() == 1 {
                                input type="hidden" name="organisation_id" value=(d.speaks_for[0].0);
                                p { "You are voting for " strong { (d.speaks_for[0].1) } ". A new vote replaces its earlier one." }
                            } @else {
                                @let opts: Vec<(String, String)> = d.speaks_for.iter().map(|(id, name)| (id.to_string(), name.clone())).collect();
                                (select("organisation_id", "Vote for", Some("A new vote replaces the organisation's earlier one."), &opts, &vote.organisation_id, &refused.errors))
                            }
                            (radios("choice", "Your organisation's vote", None, &choice_options, &vote.choice, &refused.errors))
                            (textarea("reason", "Reason", Some("Say why, so the other partners understand."), &vote.reason, 3, &refused.errors))
                            button.button type="submit" { "Save the vote" }
                        }
                    }
                    @if d.can_manage {
                        h2 #close { "Close voting early" }
                        form method="post" action={ "/proposals/" (p.id) "/close" } {
                            (csrf_field(&ctx.csrf))
                            p { "Votes can no longer be cast or changed once voting closes. The result is counted from the votes cast." }
                            button.button.secondary type="submit" { "Close voting now" }
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
    P(pid): P<i64>,
    Q(q): Q<DoneQuery>,
) -> Result<Response, AppError> {
    let d = actions::proposals::proposal_detail(&state, &viewer.actor(), pid).await?;
    Ok(proposal_page(
        &ctx,
        &d,
        &Refused::default(),
        &q.done,
        StatusCode::OK,
    ))
}

async fn refused_page(
    state: &AppState,
    ctx: &PageContext,
    actor: &crate::auth::Actor,
    pid: i64,
    e: AppError,
    mut refused: Refused,
) -> Result<Response, AppError> {
    let status = match e {
        AppError::Invalid(errors) => {
            refused.errors = errors;
            StatusCode::UNPROCESSABLE_ENTITY
        }
        AppError::Conflict(m) => {
            refused.conflict = Some(m);
            StatusCode::CONFLICT
        }
        e => return Err(e),
    };
    let d = actions::proposals::proposal_detail(state, actor, pid).await?;
    Ok(proposal_page(ctx, &d, &refused, "", status))
}

pub async fn vote(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(pid): P<i64>,
    PageForm(form): PageForm<VoteForm>,
) -> Result<Response, AppError> {
    let actor = viewer.actor();
    let input = VoteInput {
        organisation_id: &form.organisation_id,
        choice: &form.choice,
        reason: &form.reason,
    };
    match actions::proposals::cast_vote(&state, &actor, pid, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/proposals/{pid}?done=voted")).into_response()),
        Err(e) => {
            let refused = Refused {
                vote: Some(form.clone()),
                ..Default::default()
            };
            refused_page(&state, &ctx, &actor, pid, e, refused).await
        }
    }
}

pub async fn close(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(pid): P<i64>,
) -> Result<Response, AppError> {
    let actor = viewer.actor();
    match actions::proposals::close_proposal(&state, &actor, pid).await {
        Ok(_) => Ok(Redirect::to(&format!("/proposals/{pid}?done=closed")).into_response()),
        Err(e) => refused_page(&state, &ctx, &actor, pid, e, Refused::default()).await,
    }
}

pub async fn outcome(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(pid): P<i64>,
    PageForm(form): PageForm<OutcomeForm>,
) -> Result<Response, AppError> {
    let actor = viewer.actor();
    match actions::proposals::record_outcome(&state, &actor, pid, &form.outcome).await {
        Ok(_) => Ok(Redirect::to(&format!("/proposals/{pid}?done=outcome")).into_response()),
        Err(e) => {
            let refused = Refused {
                outcome: form.outcome.clone(),
                ..Default::default()
            };
            refused_page(&state, &ctx, &actor, pid, e, refused).await
        }
    }
}

/// The Implement stage page's section on decisions by vote.
pub fn implement_section(collaboration_id: i64, proposals: i64, awaiting: i64) -> Markup {
    html! {
        h2 { "Decisions by vote" }
        ul {
            li { a href={ "/collaborations/" (collaboration_id) "/proposals" } { "Proposals" } " (" (proposals) " in all, " (awaiting) " closed without the outcome written)" }
        }
    }
}
