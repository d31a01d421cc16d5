//! Downloads of the data exports with a signed-in session, and the blocks
//! that link to them from the collaboration, organisation and settings
//! pages.

use crate::AppState;
use crate::actions;
use crate::api::export::{json_download, zip_download};
use crate::auth::SignedIn;
use crate::error::AppError;
use crate::extract::P;
use axum::extract::State;
use axum::response::Response;
use maud::{Markup, html};

pub async fn collaboration_json(
    State(state): State<AppState>,
    SignedIn(viewer, _): SignedIn,
    P(id): P<i64>,
) -> Result<Response, AppError> {
    let e = actions::export::collaboration(&state, &viewer.actor(), id).await?;
    Ok(json_download(&e))
}

pub async fn collaboration_zip(
    State(state): State<AppState>,
    SignedIn(viewer, _): SignedIn,
    P(id): P<i64>,
) -> Result<Response, AppError> {
    let e = actions::export::collaboration(&state, &viewer.actor(), id).await?;
    zip_download(&e)
}

pub async fn organisation_json(
    State(state): State<AppState>,
    SignedIn(viewer, _): SignedIn,
    P(id): P<i64>,
) -> Result<Response, AppError> {
    let e = actions::export::organisation(&state, &viewer.actor(), id).await?;
    Ok(json_download(&e))
}

pub async fn organisation_zip(
    State(state): State<AppState>,
    SignedIn(viewer, _): SignedIn,
    P(id): P<i64>,
) -> Result<Response, AppError> {
    let e = actions::export::organisation(&state, &viewer.actor(), id).await?;
    zip_download(&e)
}

pub async fn account_json(
    State(state): State<AppState>,
    SignedIn(viewer, _): SignedIn,
) -> Result<Response, AppError> {
    let e = actions::export::person(&state, &viewer.actor()).await?;
    Ok(json_download(&e))
}

/// The download links on a collaboration's page.
pub fn collaboration_block(id: i64) -> Markup {
    html! {
        section aria-labelledby="export-heading" {
            h2 #export-heading { "Download everything" }
            p { "Everything this collaboration holds: its partners, every stage's work, tasks, meetings, decisions, risks, lessons and the audit trail. Health checks give only the results you can see on their pages, never one person's answers." }
            ul.plain-list {
                li { a href={ "/collaborations/" (id) "/export.json" } download { "Download as one JSON file" } }
                li { a href={ "/collaborations/" (id) "/export.zip" } download { "Download as spreadsheet files (CSV, in a zip)" } }
            }
        }
    }
}

/// The download links on an organisation's page, for its admins.
pub fn organisation_block(id: i64) -> Markup {
    html! {
        section aria-labelledby="export-heading" {
            h2 #export-heading { "Download everything" }
            p { "Everything this organisation holds: its profile, members and their email addresses, goals, invitations, the collaborations it takes part in, what it contributed to them and its activity. Only admins can download it." }
            ul.plain-list {
                li { a href={ "/organisations/" (id) "/export.json" } download { "Download as one JSON file" } }
                li { a href={ "/organisations/" (id) "/export.zip" } download { "Download as spreadsheet files (CSV, in a zip)" } }
            }
        }
    }
}

/// The download link and the way to delete the account, on the settings
/// page.
pub fn account_block() -> Markup {
    html! {
        section aria-labelledby="your-data-heading" {
            h2 #your-data-heading { "Your data" }
            p { "Download everything Common Ground holds about you: your account, your organisations, where you are signed in, your tokens (without their keys), your notifications and what you wrote." }
            p { a href="/account/export.json" download { "Download your data (JSON)" } }
            p { a href="/account/delete" { "Delete your account" } " (you confirm on the next page)." }
        }
    }
}
