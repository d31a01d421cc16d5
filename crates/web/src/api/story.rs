//! The whole-story report of a collaboration, as Markdown, one printable
//! HTML file or PDF.

use super::{NotFound, Unauthenticated};
use crate::AppState;
use crate::actions;
use crate::actions::story::{Format, Report};
use crate::auth::ApiCaller;
use crate::error::AppError;
use crate::extract::P;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

/// Percent-encodes a file name for `filename*` (RFC 5987): letters,
/// digits and `-._~` as they are, every other byte of its UTF-8 as %XX.
fn ext_value(name: &str) -> String {
    let mut out = String::with_capacity(name.len() * 3);
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The report with its file name: a plain ASCII `filename` and the name
/// as written in `filename*`. The HTML opens in the browser (to read or
/// print); Markdown and PDF are saved.
pub(crate) fn download(id: i64, report: Report) -> Response {
    let (plain, full) = report.file_names(id);
    let how = if report.format == Format::Html {
        "inline"
    } else {
        "attachment"
    };
    let disposition = HeaderValue::from_str(&format!(
        "{how}; filename=\"{plain}\"; filename*=UTF-8''{}",
        ext_value(&full)
    ))
    .unwrap_or(HeaderValue::from_static("attachment"));
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(report.format.content_type()),
            ),
            (header::CONTENT_DISPOSITION, disposition),
            (
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(crate::ONE_FILE_CSP),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-store"),
            ),
        ],
        crate::cache::lent(report.bytes),
    )
        .into_response()
}

pub(crate) async fn serve(
    state: &AppState,
    actor: &crate::auth::Actor,
    id: i64,
    format: Format,
) -> Result<Response, AppError> {
    let report = actions::story::report(state, actor, id, format).await?;
    Ok(download(id, report))
}

/// The whole story of the collaboration as Markdown: purpose, partners,
/// readiness, aims and how they went, the agreement and its approvals, the
/// plan and what was done, problems and decisions, risks, health checks
/// (figures only where the anonymity rules allow) and lessons. Charts are
/// given as a sentence and a table. A draft says so first.
#[utoipa::path(
    get,
    path = "/collaborations/{id}/report.md",
    tag = "review",
    operation_id = "collaboration_report_markdown",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The collaboration.")),
    responses(
        (status = 200, description = "Markdown.", content_type = "text/markdown", body = String),
        (status = 401, response = Unauthenticated),
        (status = 404, response = NotFound),
    )
)]
pub async fn report_markdown(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
) -> Result<Response, AppError> {
    serve(&state, &actor, id, Format::Markdown).await
}

/// The whole story as one printable HTML file (inline style and SVG
/// charts, each with a sentence saying what it shows and a table).
#[utoipa::path(
    get,
    path = "/collaborations/{id}/report.html",
    tag = "review",
    operation_id = "collaboration_report_html",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The collaboration.")),
    responses(
        (status = 200, description = "HTML.", content_type = "text/html", body = String),
        (status = 401, response = Unauthenticated),
        (status = 404, response = NotFound),
    )
)]
pub async fn report_html(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
) -> Result<Response, AppError> {
    serve(&state, &actor, id, Format::Html).await
}

/// The whole story as PDF, with the charts drawn; a draft is marked on
/// every page.
#[utoipa::path(
    get,
    path = "/collaborations/{id}/report.pdf",
    tag = "review",
    operation_id = "collaboration_report_pdf",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The collaboration.")),
    responses(
        (status = 200, description = "PDF.", content_type = "application/pdf", body = Vec<u8>),
        (status = 401, response = Unauthenticated),
        (status = 404, response = NotFound),
    )
)]
pub async fn report_pdf(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
) -> Result<Response, AppError> {
    serve(&state, &actor, id, Format::Pdf).await
}
