//! The person's notifications: the list (newest first), marking one or
//! all as read, and the choice of how each kind reaches them by email.

use super::layout::{back_link, csrf_field, form_status, notice, ok, page, radios, render, when};
use crate::AppState;
use crate::actions;
use crate::actions::notifications::{NotificationList, PAGE_SIZE};
use crate::auth::{PageContext, SignedIn};
use crate::error::AppError;
use crate::extract::{P, PageForm, Q};
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use commonground_domain::FieldErrors;
use commonground_domain::notifications::{Delivery, Kind, Settings};
use maud::{Markup, html};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    /// "1" for only the unread ones.
    unread: String,
    page: String,
    done: String,
}

fn parse_page(raw: &str) -> Result<i64, AppError> {
    if raw.trim().is_empty() {
        return Ok(1);
    }
    raw.trim()
        .parse::<i64>()
        .ok()
        .filter(|p| (1..=100_000).contains(p))
        .ok_or_else(|| AppError::invalid("page", "Choose a page number from 1."))
}

pub async fn list(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    Q(q): Q<ListQuery>,
) -> Result<Response, AppError> {
    let unread_only = q.unread == "1";
    let page = parse_page(&q.page)?;
    let v = actions::notifications::list(&state, &viewer.actor(), unread_only, page).await?;
    Ok(ok(list_markup(&ctx, &v, unread_only, &q.done)))
}

fn list_markup(ctx: &PageContext, v: &NotificationList, unread_only: bool, done: &str) -> Markup {
    let pages = ((v.total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    let filter = if unread_only { "unread=1&" } else { "" };
    page(
        ctx,
        "Notifications",
        None,
        html! {
            h1 { "Notifications" }
            @match done {
                "read" => (notice("Marked as read.")),
                "all-read" => (notice("All your notifications are marked as read.")),
                _ => {}
            }
            p.lead {
                @if v.unread == 0 { "You have no unread notifications." }
                @else if v.unread == 1 { "You have 1 unread notification." }
                @else { "You have " (v.unread) " unread notifications." }
                " Newest first. "
                a href="/account/notifications" { "Choose which ones are emailed to you" } "."
            }
            p {
                @if unread_only {
                    a href="/notifications" { "Show all notifications" }
                } @else {
                    a href="/notifications?unread=1" { "Show only unread notifications" }
                }
            }
            @if v.unread > 0 {
                form method="post" action="/notifications/read-all" {
                    (csrf_field(&ctx.csrf))
                    button.button.secondary type="submit" { "Mark all as read" }
                }
            }
            @if v.items.is_empty() {
                p { "Nothing here yet. You are told here when a task is assigned to you, when a task yours depends on is done, when a task of yours is due or overdue, when your organisation's approval is needed, when a vote opens or is about to close without your organisation's vote, and when a problem is escalated to you." }
            } @else {
                ol.notifications {
                    @for n in &v.items {
                        li.notification {
                            p {
                                @if n.read_at.is_none() { strong { "Unread: " } } @else { "Read: " }
                                (n.sentence)
                            }
                            p.hint { (when(n.created_at)) }
                            p {
                                a href=(n.link) { "Open it" span.visually-hidden { ": " (n.sentence) } }
                                @if n.read_at.is_none() {
                                    " "
                                    form.inline method="post" action={ "/notifications/" (n.id) "/read" } {
                                        (csrf_field(&ctx.csrf))
                                        input type="hidden" name="page" value=(v.page);
                                        button.link-button type="submit" { "Mark as read" span.visually-hidden { ": " (n.sentence) } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            @if pages > 1 {
                nav.pagination aria-label="Pages" {
                    p { "Page " (v.page) " of " (pages) "." }
                    ul {
                        @if v.page > 1 { li { a href={ "/notifications?" (filter) "page=" (v.page - 1) } rel="prev" { "Previous page" } } }
                        @if v.page < pages { li { a href={ "/notifications?" (filter) "page=" (v.page + 1) } rel="next" { "Next page" } } }
                    }
                }
            }
        },
    )
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ReadForm {
    page: String,
}

pub async fn mark_read(
    State(state): State<AppState>,
    SignedIn(viewer, _ctx): SignedIn,
    P(nid): P<i64>,
    PageForm(form): PageForm<ReadForm>,
) -> Result<Response, AppError> {
    actions::notifications::mark_read(&state, &viewer.actor(), nid).await?;
    let page = parse_page(&form.page).unwrap_or(1);
    Ok(Redirect::to(&format!("/notifications?page={page}&done=read")).into_response())
}

pub async fn mark_all_read(
    State(state): State<AppState>,
    SignedIn(viewer, _ctx): SignedIn,
) -> Result<Response, AppError> {
    actions::notifications::mark_all_read(&state, &viewer.actor()).await?;
    Ok(Redirect::to("/notifications?done=all-read").into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SettingsQuery {
    done: String,
}

pub async fn settings(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    Q(q): Q<SettingsQuery>,
) -> Result<Response, AppError> {
    let s = actions::notifications::settings(&state, &viewer.actor()).await?;
    let chosen: Vec<(Kind, String)> =
        s.0.iter()
            .map(|(k, d)| (*k, d.code().to_string()))
            .collect();
    Ok(ok(settings_markup(
        &ctx,
        &chosen,
        &FieldErrors::new(),
        q.done == "saved",
    )))
}

pub async fn save_settings(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    PageForm(form): PageForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let sent: Vec<(String, String)> = form.into_iter().filter(|(k, _)| k != "csrf").collect();
    match actions::notifications::save_settings(&state, &viewer.actor(), &sent).await {
        Ok(_) => Ok(Redirect::to("/account/notifications?done=saved").into_response()),
        Err(AppError::Invalid(errors)) => {
            // Show what was sent, over the defaults for anything not sent.
            let base = Settings::with_choices(&[]);
            let chosen: Vec<(Kind, String)> = base
                .0
                .iter()
                .map(|(k, d)| {
                    let v = sent
                        .iter()
                        .find(|(c, _)| c == k.code())
                        .map(|(_, v)| v.clone())
                        .unwrap_or_else(|| d.code().to_string());
                    (*k, v)
                })
                .collect();
            Ok(render(
                form_status(&errors),
                settings_markup(&ctx, &chosen, &errors, false),
            ))
        }
        Err(e) => Err(e),
    }
}

fn settings_markup(
    ctx: &PageContext,
    chosen: &[(Kind, String)],
    errors: &FieldErrors,
    saved: bool,
) -> Markup {
    let options: Vec<(&str, &str, Option<&str>)> = Delivery::ALL
        .iter()
        .map(|d| (d.code(), d.label(), None))
        .collect();
    page(
        ctx,
        "Notification settings",
        Some(errors),
        html! {
            (back_link("/notifications", "Back to your notifications"))
            h1 { "Notification settings" }
            @if saved { (notice("Your choices are saved.")) }
            p.lead { "Choose how each kind of notification reaches you by email. Every notification is also listed on your notifications page, whatever you choose here." }
            p { "The daily digest is one email a day listing everything you chose to get that way." }
            form method="post" action="/account/notifications" novalidate {
                (csrf_field(&ctx.csrf))
                @for (kind, value) in chosen {
                    (radios(kind.code(), kind.label(), None, &options, value, errors))
                }
                button.button type="submit" { "Save my choices" }
            }
        },
    )
}
