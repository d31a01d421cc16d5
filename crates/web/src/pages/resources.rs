//! The resource library: guidance for each stage.

use super::layout::{ok, page};
use crate::auth::Visitor;
use crate::error::AppError;
use crate::extract::P;
use axum::response::Response;
use commonground_domain::resources::for_stage;
use commonground_domain::stage::Stage;
use maud::{Markup, html};

/// The resources for one stage, as a list of links.
pub fn resource_list(stage: Stage) -> Markup {
    html! {
        ul.plain-list.resources {
            @for r in for_stage(stage) {
                li {
                    a href=(r.url) rel="noopener" { (r.title) }
                    " (" (r.publisher) ")"
                    br;
                    span.muted { (r.about) }
                }
            }
        }
    }
}

pub async fn index(Visitor(ctx): Visitor) -> Response {
    ok(page(
        &ctx,
        "Guides and tools",
        None,
        html! {
            h1 { "Guides and tools" }
            p.lead { "Guidance from others who have worked on collaboration, for each stage. The links go to other websites." }
            @for stage in Stage::ALL {
                @if for_stage(stage).next().is_some() {
                    h2 id=(stage.code()) { (stage.number()) ". " (stage.label()) }
                    p { (stage.summary()) }
                    (resource_list(stage))
                }
            }
        },
    ))
}

pub async fn stage(Visitor(ctx): Visitor, P(code): P<String>) -> Result<Response, AppError> {
    let stage = Stage::parse_code(&code).ok_or(AppError::NotFound)?;
    Ok(ok(page(
        &ctx,
        &format!("Guides and tools: {}", stage.label()),
        None,
        html! {
            span.caption { "Guides and tools" }
            h1 { (stage.number()) ". " (stage.label()) }
            p.lead { (stage.summary()) }
            @if for_stage(stage).next().is_some() {
                (resource_list(stage))
            } @else {
                p { "There are no guides for this stage yet. " a href="/resources" { "See all guides" } "." }
            }
        },
    )))
}
