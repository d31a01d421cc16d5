//! The home page: what is waiting for the person, their collaborations and
//! organisations. Signed out, it says what Common Ground is.

use super::layout::{ok, page, table_scroll, tag};
use crate::AppState;
use crate::actions;
use crate::auth::{SignedIn, Visitor};
use crate::error::AppError;
use axum::extract::State;
use axum::response::Response;
use commonground_domain::stage::Stage;
use commonground_store::collaborations::CollabSummary;
use maud::{Markup, html};

pub fn stage_tag(stage: Stage) -> Markup {
    tag(stage.label(), &format!("stage-{}", stage.code()))
}

pub fn partners_line(c: &CollabSummary) -> String {
    c.participants
        .iter()
        .map(|p| p.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn collaborations_table(items: &[CollabSummary]) -> Markup {
    html! {
        (table_scroll("collaborations-caption", html! {
            table.table {
                caption.visually-hidden id="collaborations-caption" { "Collaborations" }
                thead { tr { th scope="col" { "Collaboration" } th scope="col" { "Stage" } th scope="col" { "Organisations taking part" } } }
                tbody {
                    @for c in items {
                        tr {
                            td { a href={ "/collaborations/" (c.id) } { (c.title) } }
                            td { (stage_tag(c.stage)) }
                            td { (partners_line(c)) }
                        }
                    }
                }
            }
        }))
    }
}

pub async fn home(
    State(state): State<AppState>,
    Visitor(ctx): Visitor,
) -> Result<Response, AppError> {
    let Some(viewer) = ctx.viewer.clone() else {
        return Ok(ok(page(
            &ctx,
            "Work together, well",
            None,
            html! {
                h1 { "Work together, well" }
                p.lead { "Common Ground is a shared workspace for charities, community groups, social enterprises and the councils for voluntary service that support them." }
                p { "Run a collaboration from the first idea to the final review, in one place that every partner can see, and nobody else can." }
                ol.stage-list {
                    @for s in Stage::ALL {
                        li { strong { (s.label()) } " \u{2013} " (s.summary()) }
                    }
                }
                p {
                    a.button href="/sign-up" { "Create an account" }
                    " "
                    a.button.secondary href="/sign-in" { "Sign in" }
                }
            },
        )));
    };
    let actor = viewer.actor();
    let kept = actions::collaborations::my_collaborations(&state, &actor, 1, 10).await?;
    let (collabs, total) = (&kept.items, kept.total);
    let invitations = actions::invitations::pending_invitations(&state, &actor).await?;
    Ok(ok(page(
        &ctx,
        "Home",
        None,
        html! {
            h1 { "Hello, " (viewer.user.name) }
            @if ctx.organisations.is_empty() {
                div.panel {
                    h2 { "Add your organisation" }
                    p { "To open or join a collaboration, you need to belong to an organisation on Common Ground." }
                    p { a.button href="/organisations/new" { "Add your organisation" } }
                    p { "If your organisation is already here, ask one of its admins to invite you. The invitation comes by email." }
                }
            }
            @if !invitations.is_empty() {
                h2 { "Waiting for you" }
                ul.task-list {
                    @for inv in &invitations {
                        li {
                            a href={ "/invitations/" (inv.id) } {
                                (inv.invited_by_organisation_name) " invites " (inv.organisation_name) " to \u{201c}" (inv.collaboration_title) "\u{201d}"
                            }
                            " " (tag("Reply needed", "tag-attention"))
                        }
                    }
                }
            }
            h2 { "Your collaborations" }
            @if collabs.is_empty() {
                p { "None yet. A collaboration starts privately in your organisation while you work out whether to go ahead and with whom." }
            } @else {
                (collaborations_table(collabs))
                @if total > collabs.len() as i64 {
                    p { a href="/collaborations" { "See all " (total) " collaborations" } }
                }
            }
            @if !ctx.organisations.is_empty() {
                p { a.button href="/collaborations/new" { "Open a collaboration" } }
            }
            h2 { "Your organisations" }
            @if ctx.organisations.is_empty() {
                p { "You do not belong to any organisation yet." }
            } @else {
                ul.plain-list {
                    @for org in &ctx.organisations {
                        li { a href={ "/organisations/" (org.id) } { (org.name) } " \u{2013} " (org.role.label()) }
                    }
                }
            }
        },
    )))
}

/// The operator's page: counts only. Operators see no collaboration content.
pub async fn operator(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
) -> Result<Response, AppError> {
    if !viewer.user.is_operator {
        return Err(AppError::NotFound);
    }
    let mut tx = state.store.read().await?;
    let users = tx.count_users().await?;
    let orgs = tx.count_organisations().await?;
    let collabs = tx.count_collaborations().await?;
    drop(tx);
    Ok(ok(page(
        &ctx,
        "This installation",
        None,
        html! {
            h1 { "This installation" }
            p { "As the operator you can see these totals. You cannot see inside collaborations unless your own organisation takes part." }
            dl.summary-list {
                div { dt { "People" } dd { (users) } }
                div { dt { "Organisations" } dd { (orgs) } }
                div { dt { "Collaborations" } dd { (collabs) } }
                div { dt { "Database" } dd { (format!("{:?}", state.store.backend())) } }
            }
        },
    )))
}
