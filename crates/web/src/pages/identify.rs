//! The Identify stage page: its checklist, how complete it is, and the way
//! into each part.

use super::layout::{back_link, ok, page, tag};
use crate::AppState;
use crate::actions;
use crate::auth::SignedIn;
use crate::error::AppError;
use crate::extract::P;
use axum::extract::State;
use axum::response::Response;
use commonground_domain::stage::{ChecklistItem, Stage};
use maud::{Markup, html};

/// A stage's checklist: each output, done or not, with what is missing.
/// `id` names the progress line, unique on the page.
pub fn checklist(id: &str, items: &[ChecklistItem], percent: u8) -> Markup {
    let done = items.iter().filter(|i| i.done).count();
    html! {
        p id=(id) {
            strong { (percent) "% complete" } " (" (done) " of " (items.len()) " done)"
        }
        progress.stage-progress max="100" value=(percent) aria-labelledby=(id) { (percent) "%" }
        ul.task-list.checklist {
            @for item in items {
                li {
                    a href=(item.href) { (item.label) }
                    " "
                    @if item.done { (tag("Done", "tag-done")) } @else { (tag("To do", "tag-attention")) }
                    p.muted { (item.detail) }
                }
            }
        }
    }
}

pub async fn show(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
) -> Result<Response, AppError> {
    let o = actions::identify::identify_overview(&state, &viewer.actor(), id).await?;
    let c = &o.collaboration;
    Ok(ok(page(
        &ctx,
        &format!("Identify: {}", c.title),
        None,
        html! {
            (back_link(&format!("/collaborations/{}", c.id), &format!("Back to {}", c.title)))
            span.caption { (c.title) }
            h1 { "Stage 1: Identify" }
            p.lead { (Stage::Identify.summary()) }
            @if c.stage != Stage::Identify {
                p { "The collaboration is now in the " (c.stage.label()) " stage. You can still come back to this work." }
            }
            h2 { "What this stage produces" }
            (checklist("progress", &o.checklist, o.percent))
            @if !o.can_contribute {
                p { "Your organisation observes this collaboration, so you can read this work but not add to it." }
            }
            h2 { "Find partners" }
            p { a href={ "/directory?collaboration_id=" (c.id) } { "Search the directory of organisations and charities" }
                ", with how well each fits this collaboration." }
            h2 { "Help with this stage" }
            p { a href="/resources/identify" { "Guides and tools for deciding whether to collaborate" } }
        },
    )))
}
