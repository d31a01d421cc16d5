//! The whole-story report: a page saying what it holds, whether it is
//! still a draft and why, with links to the three formats; the downloads
//! themselves (with the session); and the blocks that link to it from the
//! Review stage page and the collaboration page.

use super::layout::{back_link, page, render};
use crate::AppState;
use crate::actions;
use crate::actions::story::Format;
use crate::auth::SignedIn;
use crate::error::AppError;
use crate::extract::P;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use commonground_report::story::SECTIONS;
use maud::{Markup, html};

/// The three downloads, as a list of links.
fn downloads(id: i64) -> Markup {
    html! {
        ul {
            li { a href={ "/collaborations/" (id) "/report.pdf" } { "The report as PDF" } }
            li { a href={ "/collaborations/" (id) "/report.html" } { "The report as a web page to print" } }
            li { a href={ "/collaborations/" (id) "/report.md" } { "The report as Markdown" } }
        }
    }
}

/// For the Review stage page: what the report is, and where to get it.
pub fn review_block(id: i64) -> Markup {
    html! {
        h2 #whole-story { "The whole story, for trustees and funders" }
        p { "A report of the collaboration from the first idea to this review: purpose, partners, readiness, aims and how they went, the agreement, the plan and what was done, problems and decisions, risks, the health checks and the lessons. Each chart has a sentence saying what it shows." }
        p { a href={ "/collaborations/" (id) "/report" } { "See what the report holds and download it" } }
    }
}

/// For the collaboration page: one line and a link.
pub fn collaboration_block(id: i64) -> Markup {
    html! {
        h2 #report { "Report" }
        p { "The whole story of this collaboration so far, with its charts, as PDF, a web page to print or Markdown. "
            a href={ "/collaborations/" (id) "/report" } { "Get the report" } }
    }
}

pub async fn report_page(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
) -> Result<Response, AppError> {
    let o = actions::story::overview(&state, &viewer.actor(), id).await?;
    let c = &o.collaboration;
    Ok(render(
        StatusCode::OK,
        page(
            &ctx,
            &format!("Report: {}", c.title),
            None,
            html! {
                (back_link(&format!("/collaborations/{}/review", c.id), "Back to the Review stage"))
                span.caption { (c.title) }
                h1 { "The whole story" }
                p.lead { "A report of the collaboration from the first idea to the review, to share with trustees, funders and everyone taking part." }
                @if o.is_final {
                    p { "The report is final: the collaboration is in the Review stage and all " (o.aims) " shared aims have been reviewed." }
                } @else {
                    p { strong { "The report is a draft" } " and says so at the top (and on every page of the PDF). It becomes final once the collaboration is in the Review stage and every shared aim has been reviewed. "
                        @if o.aims == 0 { "No shared aims have been set yet." }
                        @else { (o.aims_reviewed) " of " (o.aims) " shared aims have been reviewed." }
                    }
                }
                h2 { "Download" }
                (downloads(c.id))
                h2 { "What it holds" }
                ol { @for (_, title) in SECTIONS { li { (title) } } }
                p { "The plan is shown as a timeline, the risks as a heat map and the health checks as a radar chart, each with a sentence saying what it shows and a table with the same figures. "
                    "Health check figures appear only for rounds that have closed with enough people answering, as on the results pages, so nobody's answers can be worked out." }
            },
        ),
    ))
}

pub async fn report_md(
    State(state): State<AppState>,
    SignedIn(viewer, _): SignedIn,
    P(id): P<i64>,
) -> Result<Response, AppError> {
    crate::api::story::serve(&state, &viewer.actor(), id, Format::Markdown).await
}

pub async fn report_html(
    State(state): State<AppState>,
    SignedIn(viewer, _): SignedIn,
    P(id): P<i64>,
) -> Result<Response, AppError> {
    crate::api::story::serve(&state, &viewer.actor(), id, Format::Html).await
}

pub async fn report_pdf(
    State(state): State<AppState>,
    SignedIn(viewer, _): SignedIn,
    P(id): P<i64>,
) -> Result<Response, AppError> {
    crate::api::story::serve(&state, &viewer.actor(), id, Format::Pdf).await
}
