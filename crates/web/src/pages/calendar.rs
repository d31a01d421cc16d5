//! The calendar feed pages: for a collaboration's tasks (with the task
//! list's filters) and for "my tasks". Each shows whether the person has
//! an address, makes a new one (shown once), and explains how to
//! subscribe in common calendar apps. The feed itself needs no sign-in.

use super::layout::{back_link, csrf_field, notice, page, render, when};
use crate::AppState;
use crate::actions;
use crate::actions::calendar::{FeedState, filter_query};
use crate::actions::tasks::FilterInput;
use crate::auth::{PageContext, SignedIn};
use crate::error::AppError;
use crate::extract::{P, PageForm, Q};
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use commonground_domain::FieldErrors;
use maud::{Markup, html};

/// How to subscribe, in plain words, for the apps most people use.
fn how_to_subscribe() -> Markup {
    html! {
        h2 #subscribe { "How to add it to your calendar" }
        p { "Copy the address, then:" }
        h3 { "Google Calendar" }
        ol {
            li { "On a computer, open Google Calendar." }
            li { "Next to \u{201c}Other calendars\u{201d}, choose the plus sign, then \u{201c}From URL\u{201d}." }
            li { "Paste the address and choose \u{201c}Add calendar\u{201d}." }
        }
        p { "Google updates subscribed calendars every few hours, so a change can take a while to show." }
        h3 { "Outlook" }
        ol {
            li { "In Outlook on the web, open the calendar and choose \u{201c}Add calendar\u{201d}." }
            li { "Choose \u{201c}Subscribe from web\u{201d}, paste the address, give it a name and choose \u{201c}Import\u{201d}." }
        }
        p { "In the Outlook app for Windows, choose \u{201c}Add calendar\u{201d}, then \u{201c}From internet\u{201d}, and paste the address." }
        h3 { "Apple Calendar" }
        ol {
            li { "On a Mac, open Calendar and choose File, then \u{201c}New Calendar Subscription\u{201d}." }
            li { "Paste the address, choose \u{201c}Subscribe\u{201d}, and set how often it refreshes." }
            li { "On an iPhone or iPad, go to Settings, Calendar, Accounts, \u{201c}Add Account\u{201d}, Other, \u{201c}Add Subscribed Calendar\u{201d}, and paste the address." }
        }
        p { "Each task with a due date appears as an all-day event on that date. Its description holds the address of the task's page, where you can change it." }
    }
}

/// The address, shown once in a field people can select and copy.
fn address(url: &str) -> Markup {
    html! {
        (notice("Your new calendar address is below. Copy it now: for your safety we keep only a fingerprint of it, so we cannot show it again."))
        div.field {
            label.label for="calendar-address" { "Your calendar address" }
            p.hint #calendar-address-hint { "Anyone with this address can read these tasks, so keep it to yourself." }
            input.input #calendar-address type="text" readonly value=(url) aria-describedby="calendar-address-hint";
        }
    }
}

fn state_line(s: &FeedState) -> Markup {
    html! {
        @if let Some(t) = s.made_at {
            p { "You made your current address " (when(t)) ". It keeps working until you make a new one. If you have lost it, or someone else may have it, make a new one: the old address then stops working." }
        } @else {
            p { "You have no calendar address for these tasks yet." }
        }
    }
}

fn collaboration_page(
    ctx: &PageContext,
    id: i64,
    s: &FeedState,
    f: &FilterInput,
    made: Option<&str>,
    errors: &FieldErrors,
) -> Response {
    let title = s
        .collaboration
        .as_ref()
        .map(|c| c.title.clone())
        .unwrap_or_default();
    let filters = filter_query(f);
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    render(
        status,
        page(
            ctx,
            &format!("Calendar feed: {title}"),
            Some(errors),
            html! {
                (back_link(&format!("/collaborations/{id}/tasks{filters}"), "Back to the tasks"))
                span.caption { (title) }
                h1 { "Calendar feed of the tasks" }
                @if let Some(url) = made { (address(url)) }
                // Each refused filter, where the error summary links to.
                @for e in &errors.0 {
                    p.error-message id=(e.field) {
                        span.visually-hidden { "Error: " } (e.message) " "
                        a href={ "/collaborations/" (id) "/tasks" } { "Choose the filters again on the task list." }
                    }
                }
                p.lead { "See this collaboration's tasks in your own calendar app. The feed updates itself when tasks change." }
                @if filters.is_empty() {
                    p { "The feed shows every open task with a due date. To narrow it, choose filters on the "
                        a href={ "/collaborations/" (id) "/tasks" } { "task list" } " and follow its link to the calendar feed." }
                } @else {
                    p { "The feed keeps the filters you chose on the task list: "
                        a href={ "/collaborations/" (id) "/tasks" (filters) } { "see the tasks it shows" } "." }
                }
                (state_line(s))
                form method="post" action={ "/collaborations/" (id) "/calendar" } novalidate {
                    (csrf_field(&ctx.csrf))
                    @for (k, v) in filter_pairs(f) { input type="hidden" name=(k) value=(v); }
                    button.button type="submit" { @if s.made_at.is_some() { "Make a new address" } @else { "Make my calendar address" } }
                }
                (how_to_subscribe())
            },
        ),
    )
}

fn filter_pairs(f: &FilterInput) -> Vec<(&'static str, String)> {
    actions::calendar::FILTERS
        .iter()
        .zip([
            &f.status,
            &f.view,
            &f.owner_organisation_id,
            &f.assignee_id,
            &f.workstream_id,
            &f.due_before,
            &f.due_after,
            &f.overdue,
        ])
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| (*k, v.trim().to_string()))
        .collect()
}

pub async fn collaboration(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
    Q(f): Q<FilterInput>,
) -> Result<Response, AppError> {
    let s = actions::calendar::collaboration_feed(&state, &viewer.actor(), id).await?;
    // Filters that the task list would refuse are refused here too, and
    // not carried into the address.
    match actions::tasks::parse_filter(&f, "open") {
        Ok(_) => Ok(collaboration_page(
            &ctx,
            id,
            &s,
            &f,
            None,
            &FieldErrors::new(),
        )),
        Err(errors) => Ok(collaboration_page(
            &ctx,
            id,
            &s,
            &FilterInput::default(),
            None,
            &errors,
        )),
    }
}

pub async fn reset_collaboration(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
    PageForm(f): PageForm<FilterInput>,
) -> Result<Response, AppError> {
    let actor = viewer.actor();
    let made = actions::calendar::reset_collaboration_feed(&state, &actor, id, &f).await;
    let s = actions::calendar::collaboration_feed(&state, &actor, id).await?;
    match made {
        Ok(url) => Ok(collaboration_page(
            &ctx,
            id,
            &s,
            &f,
            Some(&url),
            &FieldErrors::new(),
        )),
        Err(AppError::Invalid(errors)) => Ok(collaboration_page(&ctx, id, &s, &f, None, &errors)),
        Err(e) => Err(e),
    }
}

fn my_page(ctx: &PageContext, s: &FeedState, made: Option<&str>) -> Response {
    render(
        StatusCode::OK,
        page(
            ctx,
            "Calendar feed of my tasks",
            None,
            html! {
                (back_link("/tasks", "Back to my tasks"))
                h1 { "Calendar feed of my tasks" }
                @if let Some(url) = made { (address(url)) }
                p.lead { "See your tasks from every collaboration in your own calendar app: the open tasks with a due date that are assigned to you, or that your organisation owns and nobody has taken yet." }
                (state_line(s))
                form method="post" action="/tasks/calendar" {
                    (csrf_field(&ctx.csrf))
                    button.button type="submit" { @if s.made_at.is_some() { "Make a new address" } @else { "Make my calendar address" } }
                }
                (how_to_subscribe())
            },
        ),
    )
}

pub async fn mine(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
) -> Result<Response, AppError> {
    let s = actions::calendar::my_feed(&state, &viewer.actor()).await?;
    Ok(my_page(&ctx, &s, None))
}

pub async fn reset_mine(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
) -> Result<Response, AppError> {
    let actor = viewer.actor();
    let url = actions::calendar::reset_my_feed(&state, &actor).await?;
    let s = actions::calendar::my_feed(&state, &actor).await?;
    Ok(my_page(&ctx, &s, Some(&url)))
}

/// The feed itself: no sign-in, the secret in the address is the key.
pub async fn feed(
    State(state): State<AppState>,
    P(token): P<String>,
    Q(f): Q<FilterInput>,
) -> Result<Response, AppError> {
    let ics = actions::calendar::feed_ics(&state, &token, &f).await?;
    Ok(ics_response(ics))
}

pub fn ics_response(ics: std::sync::Arc<Vec<u8>>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CACHE_CONTROL, "private, max-age=300"),
            (
                header::CONTENT_DISPOSITION,
                "inline; filename=\"tasks.ics\"",
            ),
        ],
        crate::cache::lent(ics),
    )
        .into_response()
}
