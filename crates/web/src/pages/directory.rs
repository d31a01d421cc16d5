//! The directory page: find organisations and charities to work with.

use super::layout::{Input, csrf_field, form_status, page, render, select, tag};
use crate::AppState;
use crate::actions;
use crate::actions::directory::{DirectoryView, SearchInput, parse_search};
use crate::auth::{SignedIn, url_encode};
use crate::error::AppError;
use crate::extract::Q;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use commonground_domain::FieldErrors;
use commonground_domain::register::{ClassificationKind, IncomeBand};
use maud::{Markup, html};

/// The search as a query string, with `page` set, for links to other pages.
fn query_string(input: &SearchInput, page: u32) -> String {
    let mut parts = Vec::new();
    for (k, v) in [
        ("q", &input.q),
        ("what", &input.what),
        ("who", &input.who),
        ("how", &input.how),
        ("area", &input.area),
        ("income", &input.income),
        ("status", &input.status),
        ("collaboration_id", &input.collaboration_id),
        ("sort", &input.sort),
    ] {
        if !v.is_empty() {
            parts.push(format!("{k}={}", url_encode(v)));
        }
    }
    parts.push(format!("page={page}"));
    parts.join("&")
}

fn filters(input: &SearchInput, view: Option<&DirectoryView>, errors: &FieldErrors) -> Markup {
    let labels = view.map(|v| v.labels.as_slice()).unwrap_or(&[]);
    let of_kind = |kind: &str, any: &str| -> Vec<(String, String)> {
        std::iter::once((String::new(), any.to_string()))
            .chain(
                labels
                    .iter()
                    .filter(|l| l.kind.eq_ignore_ascii_case(kind))
                    .map(|l| (l.code.to_string(), l.description.clone())),
            )
            .collect()
    };
    let bands: Vec<(String, String)> = std::iter::once((String::new(), "Any income".to_string()))
        .chain(
            IncomeBand::ALL
                .iter()
                .map(|b| (b.code().to_string(), capitalise(b.label()))),
        )
        .collect();
    let statuses = vec![
        (String::new(), "Registered or removed".to_string()),
        ("registered".to_string(), "Registered".to_string()),
        (
            "removed".to_string(),
            "Removed from the register".to_string(),
        ),
    ];
    html! {
        form.directory-search method="get" action="/directory" role="search" {
            @if !input.collaboration_id.is_empty() {
                input type="hidden" name="collaboration_id" value=(input.collaboration_id);
            }
            (Input::text("q", "Words to look for", &input.q)
                .hint("Names, activities or charitable objects, for example \u{201c}food bank Leeds\u{201d}.")
                .kind("search")
                .render(errors))
            details.filters open[!input.what.is_empty() || !input.who.is_empty() || !input.how.is_empty() || !input.area.is_empty() || !input.income.is_empty() || !input.status.is_empty()] {
                summary { "Filters" }
                (select("what", "Cause", None, &of_kind("What", "Any cause"), &input.what, errors))
                (select("who", "Who they help", None, &of_kind("Who", "Anyone"), &input.who, errors))
                (select("how", "How they help", None, &of_kind("How", "Any way"), &input.how, errors))
                (Input::text("area", "Area of operation", &input.area)
                    .hint("For example \u{201c}Leeds City\u{201d} or \u{201c}Wales\u{201d}.")
                    .render(errors))
                (select("income", "Yearly income", None, &bands, &input.income, errors))
                (select("status", "On the register", None, &statuses, &input.status, errors))
            }
            @if !input.collaboration_id.is_empty() {
                (select("sort", "Sort by", Some("Fit reorders the 100 most relevant results."),
                    &[(String::new(), "Relevance".to_string()), ("fit".to_string(), "Best fit first".to_string())],
                    &input.sort, errors))
            }
            button.button type="submit" { "Search" }
        }
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

fn results(ctx_csrf: &str, input: &SearchInput, view: &DirectoryView) -> Markup {
    let pages = view
        .total
        .div_ceil(view.per_page as u64)
        .clamp(1, commonground_store::directory::MAX_PAGE as u64) as u32;
    html! {
        h2 #results { (view.total) " " (if view.total == 1 { "organisation" } else { "organisations" }) " found" }
        @if view.results.is_empty() {
            p { "Nothing matches. Try fewer words, or take off a filter." }
        }
        ol.plain-list.directory-results start=(((view.page - 1) * view.per_page) + 1) {
            @for found in &view.results {
                @let e = &found.entry;
                li.panel {
                    h3 {
                        @if let Some(id) = e.organisation_id {
                            a href={ "/organisations/" (id) } { (e.name) }
                        } @else {
                            (e.name)
                        }
                    }
                    p.muted {
                        @if let Some(oid) = &e.org_identifier { (oid) " · " }
                        @if e.organisation_id.is_some() { "On Common Ground" } @else { "On the charity register" }
                        @if let Some(income) = e.latest_income { " · yearly income " (commonground_domain::fit::pounds(income)) }
                    }
                    @if e.status.as_deref() == Some("removed") { p { (tag("Removed from the register", "tag-attention")) } }
                    @if !e.activities.is_empty() { p { (e.activities) } }
                    @let causes: Vec<&str> = e.classifications.iter().filter(|c| ClassificationKind::of_code(**c) == Some(ClassificationKind::What)).filter_map(|c| view.label(*c)).collect();
                    @if !causes.is_empty() { p { strong { "Causes: " } (causes.join(", ")) } }
                    @if !e.areas.is_empty() { p { strong { "Areas: " } (e.areas.iter().take(5).cloned().collect::<Vec<_>>().join(", ")) @if e.areas.len() > 5 { " and " (e.areas.len() - 5) " more" } } }
                    @if let (Some(fit), Some((_, title, _))) = (&found.fit, &view.collaboration) {
                        p { strong { "Fit with " (title) ": " (fit.score) " out of 100" } }
                        ul { @for r in &fit.reasons { li { (r) } } }
                    }
                    @if let Some((cid, _, true)) = &view.collaboration {
                        form method="post" action={ "/collaborations/" (cid) "/shortlist" } {
                            (csrf_field(ctx_csrf))
                            @if let Some(oid) = &e.org_identifier {
                                input type="hidden" name="org_identifier" value=(oid);
                            } @else if let Some(id) = e.organisation_id {
                                input type="hidden" name="organisation_id" value=(id);
                            }
                            button.button.secondary type="submit" { "Add " span.visually-hidden { (e.name) " " } "to the shortlist" }
                        }
                    }
                }
            }
        }
        @if pages > 1 {
            nav.pagination aria-label="Pages of results" {
                @if view.page > 1 { a href={ "/directory?" (query_string(input, view.page - 1)) "#results" } rel="prev" { "Previous page" } }
                span { " Page " (view.page) " of " (pages) " " }
                @if view.page < pages { a href={ "/directory?" (query_string(input, view.page + 1)) "#results" } rel="next" { "Next page" } }
            }
        }
    }
}

pub async fn index(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    Q(input): Q<SearchInput>,
) -> Result<Response, AppError> {
    let searched = !(input.q.is_empty()
        && input.what.is_empty()
        && input.who.is_empty()
        && input.how.is_empty()
        && input.area.is_empty()
        && input.income.is_empty()
        && input.status.is_empty()
        && input.page.is_empty()
        && input.sort.is_empty());
    let (status, errors, view) = match parse_search(&input) {
        Ok(search) => {
            let view = actions::directory::search(&state, &viewer.actor(), &search).await?;
            (StatusCode::OK, FieldErrors::new(), Some(view))
        }
        Err(errors) => (form_status(&errors), errors, None),
    };
    let title = "Find partners";
    Ok(render(
        status,
        page(
            &ctx,
            title,
            (!errors.is_empty()).then_some(&errors),
            html! {
                h1 { (title) }
                p.lead { "Search the organisations on Common Ground and the charities on the Charity Commission's register for England and Wales." }
                @if let Some((cid, ctitle, _)) = view.as_ref().and_then(|v| v.collaboration.as_ref()) {
                    p { "Showing how well each fits " a href={ "/collaborations/" (cid) "/identify" } { (ctitle) } ", judged against its lead organisation. "
                        a href={ "/directory?" (query_string(&SearchInput { collaboration_id: String::new(), ..input.clone() }, 1)) } { "Search without it" } "." }
                }
                (filters(&input, view.as_ref(), &errors))
                @if let Some(v) = &view {
                    @if searched || v.collaboration.is_some() { (results(&ctx.csrf, &input, v)) }
                }
            },
        ),
    ))
}
