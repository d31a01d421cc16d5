//! The agreement builder: agreements of a collaboration, their sections,
//! versions, differences, comments, approvals and exports.
//!
//! An agreement has its own address; only people whose organisations take
//! part in its collaboration can reach it (anyone else gets 404).

use super::aims::{ApproveVersion, PlanApproval, WaitingParty};
use super::{
    BadRequest, Conflict, Forbidden, NotFound, PayloadTooLarge, Unauthenticated, Unprocessable,
    rfc3339,
};
use crate::AppState;
use crate::actions;
use crate::actions::agreements::{AgreementView, SaveOutcome};
use crate::auth::ApiCaller;
use crate::error::AppError;
use crate::extract::{ApiJson, P, Q};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// The kinds of agreement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AgreementKind {
    MemorandumOfUnderstanding,
    CollaborationAgreement,
    ConsortiumAgreement,
    DataSharingAgreement,
}

impl From<commonground_domain::agreements::AgreementKind> for AgreementKind {
    fn from(k: commonground_domain::agreements::AgreementKind) -> Self {
        use commonground_domain::agreements::AgreementKind as K;
        match k {
            K::MemorandumOfUnderstanding => AgreementKind::MemorandumOfUnderstanding,
            K::CollaborationAgreement => AgreementKind::CollaborationAgreement,
            K::ConsortiumAgreement => AgreementKind::ConsortiumAgreement,
            K::DataSharingAgreement => AgreementKind::DataSharingAgreement,
        }
    }
}

/// Where an agreement stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AgreementStatus {
    /// Not every lead and partner organisation has approved this version.
    Draft,
    /// Every lead and partner organisation approved this version.
    Agreed,
}

/// An agreement in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct AgreementSummary {
    pub id: i64,
    pub collaboration_id: i64,
    pub kind: AgreementKind,
    pub kind_label: String,
    /// Goes up by one with every saved change.
    pub version: i64,
    /// SHA-256 (hex) of every section's current text.
    pub content_hash: String,
    pub updated_at: i64,
    pub updated_at_rfc3339: String,
}

impl From<commonground_store::agreements::AgreementSummary> for AgreementSummary {
    fn from(a: commonground_store::agreements::AgreementSummary) -> Self {
        AgreementSummary {
            id: a.id,
            collaboration_id: a.collaboration_id,
            kind: a.kind.into(),
            kind_label: a.kind.label().into(),
            version: a.version,
            content_hash: a.content_hash,
            updated_at: a.updated_at,
            updated_at_rfc3339: rfc3339(a.updated_at),
        }
    }
}

/// A section as it is now.
#[derive(Debug, Serialize, ToSchema)]
pub struct AgreementSection {
    pub key: String,
    pub title: String,
    /// Markdown.
    pub text: String,
    /// The version in which it last changed.
    pub changed_in_version: i64,
}

/// A comment on a section.
#[derive(Debug, Serialize, ToSchema)]
pub struct AgreementComment {
    pub id: i64,
    pub section_key: String,
    /// The agreement's version when it was written.
    pub version: i64,
    pub body: String,
    pub organisation_name: String,
    pub written_by_name: String,
    pub written_at: i64,
    pub written_at_rfc3339: String,
}

impl From<commonground_store::agreements::Comment> for AgreementComment {
    fn from(c: commonground_store::agreements::Comment) -> Self {
        AgreementComment {
            id: c.id,
            section_key: c.section_key,
            version: c.version,
            body: c.body,
            organisation_name: c.organisation_name,
            written_by_name: c.written_by_name,
            written_at: c.written_at,
            written_at_rfc3339: rfc3339(c.written_at),
        }
    }
}

/// An approval of an agreement, with the content hash of the version.
#[derive(Debug, Serialize, ToSchema)]
pub struct AgreementApproval {
    #[serde(flatten)]
    pub approval: PlanApproval,
    pub content_hash: String,
}

/// An agreement, whole.
#[derive(Debug, Serialize, ToSchema)]
pub struct Agreement {
    pub id: i64,
    pub collaboration_id: i64,
    pub kind: AgreementKind,
    pub kind_label: String,
    pub version: i64,
    pub content_hash: String,
    pub status: AgreementStatus,
    pub sections: Vec<AgreementSection>,
    /// Lead and partner organisations still to approve this version.
    pub waiting: Vec<WaitingParty>,
    /// Every approval given, newest first; `current` says which count.
    pub approvals: Vec<AgreementApproval>,
    pub comments: Vec<AgreementComment>,
}

impl From<AgreementView> for Agreement {
    fn from(v: AgreementView) -> Self {
        let waiting = v
            .agreement
            .state
            .waiting
            .iter()
            .map(|o| WaitingParty {
                organisation_id: *o,
                organisation_name: v.party_name(*o).to_string(),
                again: v.agreement.state.again.contains(o),
            })
            .collect();
        let current: Vec<i64> = v
            .agreement
            .current_approvals()
            .iter()
            .map(|a| a.id)
            .collect();
        let a = v.agreement;
        Agreement {
            id: a.summary.id,
            collaboration_id: a.summary.collaboration_id,
            kind: a.summary.kind.into(),
            kind_label: a.summary.kind.label().into(),
            version: a.summary.version,
            content_hash: a.summary.content_hash,
            status: if a.state.agreed {
                AgreementStatus::Agreed
            } else {
                AgreementStatus::Draft
            },
            sections: a
                .sections
                .into_iter()
                .map(|s| AgreementSection {
                    key: s.key,
                    title: s.title,
                    text: s.text,
                    changed_in_version: s.version,
                })
                .collect(),
            waiting,
            approvals: a
                .approvals
                .into_iter()
                .map(|x| AgreementApproval {
                    approval: PlanApproval {
                        organisation_id: x.organisation_id,
                        organisation_name: x.organisation_name,
                        version: x.version,
                        approved_by_name: x.approved_by_name,
                        approved_at: x.approved_at,
                        approved_at_rfc3339: rfc3339(x.approved_at),
                        current: current.contains(&x.id),
                    },
                    content_hash: x.content_hash,
                })
                .collect(),
            comments: v.comments.into_iter().map(Into::into).collect(),
        }
    }
}

/// The kind of agreement to start.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAgreement {
    #[schema(value_type = AgreementKind)]
    pub kind: String,
}

/// A section's new text, and the agreement version it was edited from.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SaveSection {
    /// Markdown, up to 20,000 characters.
    pub text: String,
    /// The agreement's `version` when the section was read. If the section
    /// changed after it, nothing is saved (409).
    pub base_version: i64,
}

/// The result of a save.
#[derive(Debug, Serialize, ToSchema)]
pub struct SectionSaved {
    /// The agreement's version now (unchanged when the text was the same).
    pub version: i64,
    pub content_hash: String,
    /// False when the text was already this: no new version.
    pub changed: bool,
}

/// Refused: someone else changed the section after `base_version`. A
/// problem document with the section as it is now and the text you sent,
/// to merge and send again with `base_version` = `version`.
#[derive(Debug, Serialize, ToSchema)]
pub struct SectionConflict {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// The agreement's version now.
    pub version: i64,
    pub current: AgreementSection,
    pub saved_by_name: String,
    pub saved_at: i64,
    pub saved_at_rfc3339: String,
    pub your_text: String,
}

/// A comment to add.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewComment {
    /// Up to 4,000 characters.
    pub body: String,
}

/// Which two versions to compare.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DiffQuery {
    /// The older version; defaults to the one before the latest.
    #[serde(default)]
    pub from: Option<String>,
    /// The newer version; defaults to the latest.
    #[serde(default)]
    pub to: Option<String>,
}

/// One line of a difference.
#[derive(Debug, Serialize, ToSchema)]
pub struct DiffLine {
    /// `same`, `added` or `removed`.
    pub change: String,
    pub text: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SectionDiff {
    pub key: String,
    pub title: String,
    pub lines: Vec<DiffLine>,
}

/// The differences between two versions: only the sections that differ.
#[derive(Debug, Serialize, ToSchema)]
pub struct AgreementDiff {
    pub from: i64,
    pub to: i64,
    pub sections: Vec<SectionDiff>,
}

/// Lists the collaboration's agreements, newest first.
#[utoipa::path(
    get,
    path = "/collaborations/{id}/agreements",
    tag = "plan",
    operation_id = "list_agreements",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The collaboration.")),
    responses(
        (status = 200, description = "Newest first.", body = Vec<AgreementSummary>),
        (status = 401, response = Unauthenticated),
        (status = 404, response = NotFound),
    )
)]
pub async fn list_agreements(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
) -> Result<Json<Vec<AgreementSummary>>, AppError> {
    let v = actions::agreements::agreements(&state, &actor, id).await?;
    Ok(Json(v.agreements.into_iter().map(Into::into).collect()))
}

/// Starts an agreement of a kind, at version 1, its sections filled from
/// what the collaboration holds. Not for observers.
#[utoipa::path(
    post,
    path = "/collaborations/{id}/agreements",
    tag = "plan",
    operation_id = "create_agreement",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The collaboration.")),
    request_body = NewAgreement,
    responses(
        (status = 201, description = "It was started.", body = AgreementSummary),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 413, response = PayloadTooLarge),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn create_agreement(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
    ApiJson(b): ApiJson<NewAgreement>,
) -> Result<(StatusCode, Json<AgreementSummary>), AppError> {
    let a = actions::agreements::create_agreement(&state, &actor, id, &b.kind).await?;
    Ok((StatusCode::CREATED, Json(a.into())))
}

/// An agreement with its sections, approvals and comments.
#[utoipa::path(
    get,
    path = "/agreements/{aid}",
    tag = "plan",
    operation_id = "agreement",
    security(("bearer" = [])),
    params(("aid" = i64, Path, description = "The agreement.")),
    responses(
        (status = 200, description = "The agreement.", body = Agreement),
        (status = 401, response = Unauthenticated),
        (status = 404, response = NotFound),
    )
)]
pub async fn agreement(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(aid): P<i64>,
) -> Result<Json<Agreement>, AppError> {
    Ok(Json(
        actions::agreements::agreement(&state, &actor, aid)
            .await?
            .into(),
    ))
}

/// Saves one section's text as a new version, unless the section changed
/// after `base_version` (409 with the newer text). Approval opens again.
/// Not for observers.
#[utoipa::path(
    put,
    path = "/agreements/{aid}/sections/{key}",
    tag = "plan",
    operation_id = "save_agreement_section",
    security(("bearer" = [])),
    params(
        ("aid" = i64, Path, description = "The agreement."),
        ("key" = String, Path, description = "The section, such as `aims`."),
    ),
    request_body = SaveSection,
    responses(
        (status = 200, description = "Saved.", body = SectionSaved),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, description = "Someone else changed the section first. Nothing was saved.", content_type = "application/problem+json", body = SectionConflict),
        (status = 413, response = PayloadTooLarge),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn save_section(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P((aid, key)): P<(i64, String)>,
    ApiJson(b): ApiJson<SaveSection>,
) -> Result<Response, AppError> {
    let out = actions::agreements::save_section(
        &state,
        &actor,
        aid,
        &key,
        &b.text,
        &b.base_version.to_string(),
    )
    .await?;
    Ok(match out {
        SaveOutcome::Saved {
            version,
            content_hash,
        } => Json(SectionSaved {
            version,
            content_hash,
            changed: true,
        })
        .into_response(),
        SaveOutcome::Unchanged { version } => {
            let v = actions::agreements::agreement(&state, &actor, aid).await?;
            Json(SectionSaved {
                version,
                content_hash: v.agreement.summary.content_hash,
                changed: false,
            })
            .into_response()
        }
        SaveOutcome::Conflict(c) => {
            let body = SectionConflict {
                kind: "about:blank".into(),
                title: "Someone else changed this section first".into(),
                status: 409,
                detail: format!(
                    "{} saved a change to \u{201c}{}\u{201d} after the version you started from. Nothing was saved. Merge your text with theirs and send it again with base_version {}.",
                    c.saved_by_name, c.current.title, c.agreement_version
                ),
                version: c.agreement_version,
                saved_at_rfc3339: rfc3339(c.saved_at),
                saved_at: c.saved_at,
                saved_by_name: c.saved_by_name,
                current: AgreementSection {
                    key: c.current.key,
                    title: c.current.title,
                    text: c.current.text,
                    changed_in_version: c.current.version,
                },
                your_text: c.your_text,
            };
            (
                StatusCode::CONFLICT,
                [(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/problem+json"),
                )],
                serde_json::to_vec(&body).unwrap_or_default(),
            )
                .into_response()
        }
    })
}

/// Approves a version for your organisation, recording its content hash.
/// For admins of the lead and partner organisations; the version must be
/// the current one.
#[utoipa::path(
    post,
    path = "/agreements/{aid}/approvals",
    tag = "plan",
    operation_id = "approve_agreement",
    security(("bearer" = [])),
    params(("aid" = i64, Path, description = "The agreement.")),
    request_body = ApproveVersion,
    responses(
        (status = 201, description = "Approved; the agreement as it stands now.", body = Agreement),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 413, response = PayloadTooLarge),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn approve_agreement(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(aid): P<i64>,
    ApiJson(b): ApiJson<ApproveVersion>,
) -> Result<(StatusCode, Json<Agreement>), AppError> {
    actions::agreements::approve(&state, &actor, aid, &b.version.to_string()).await?;
    let v = actions::agreements::agreement(&state, &actor, aid).await?;
    Ok((StatusCode::CREATED, Json(v.into())))
}

/// Comments on a section. Not for observers.
#[utoipa::path(
    post,
    path = "/agreements/{aid}/sections/{key}/comments",
    tag = "plan",
    operation_id = "comment_on_agreement_section",
    security(("bearer" = [])),
    params(
        ("aid" = i64, Path, description = "The agreement."),
        ("key" = String, Path, description = "The section."),
    ),
    request_body = NewComment,
    responses(
        (status = 201, description = "It was added.", body = AgreementComment),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 413, response = PayloadTooLarge),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn add_comment(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P((aid, key)): P<(i64, String)>,
    ApiJson(b): ApiJson<NewComment>,
) -> Result<(StatusCode, Json<AgreementComment>), AppError> {
    let c = actions::agreements::add_comment(&state, &actor, aid, &key, &b.body).await?;
    Ok((StatusCode::CREATED, Json(c.into())))
}

/// Compares two versions, section by section, line by line.
#[utoipa::path(
    get,
    path = "/agreements/{aid}/diff",
    tag = "plan",
    operation_id = "agreement_diff",
    security(("bearer" = [])),
    params(("aid" = i64, Path, description = "The agreement."), DiffQuery),
    responses(
        (status = 200, description = "The sections that differ.", body = AgreementDiff),
        (status = 401, response = Unauthenticated),
        (status = 404, response = NotFound),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn diff(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(aid): P<i64>,
    Q(q): Q<DiffQuery>,
) -> Result<Json<AgreementDiff>, AppError> {
    let d = actions::agreements::diff(
        &state,
        &actor,
        aid,
        q.from.as_deref().unwrap_or(""),
        q.to.as_deref().unwrap_or(""),
    )
    .await?;
    Ok(Json(AgreementDiff {
        from: d.from,
        to: d.to,
        sections: d
            .sections
            .into_iter()
            .map(|s| SectionDiff {
                key: s.key,
                title: s.title,
                lines: s
                    .lines
                    .into_iter()
                    .map(|(c, text)| DiffLine {
                        change: c.code().into(),
                        text,
                    })
                    .collect(),
            })
            .collect(),
    }))
}

/// An export as a download.
pub(crate) fn download(content_type: &'static str, filename: String, body: Vec<u8>) -> Response {
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\""))
        .unwrap_or(HeaderValue::from_static("attachment"));
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
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
        body,
    )
        .into_response()
}

/// Which export.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Format {
    Markdown,
    Html,
    Pdf,
}

pub(crate) async fn export(
    state: &AppState,
    actor: &crate::auth::Actor,
    aid: i64,
    format: Format,
) -> Result<Response, AppError> {
    let doc = actions::agreements::export_doc(state, actor, aid).await?;
    let name = format!("agreement-{aid}-version-{}", doc.version);
    Ok(match format {
        Format::Markdown => download(
            "text/markdown; charset=utf-8",
            format!("{name}.md"),
            commonground_report::agreement::markdown(&doc).into_bytes(),
        ),
        Format::Html => download(
            "text/html; charset=utf-8",
            format!("{name}.html"),
            commonground_report::agreement::html(&doc).into_bytes(),
        ),
        Format::Pdf => {
            let bytes =
                tokio::task::spawn_blocking(move || commonground_report::agreement::pdf(&doc))
                    .await
                    .map_err(|e| AppError::Internal(e.to_string()))?
                    .map_err(AppError::Internal)?;
            download("application/pdf", format!("{name}.pdf"), bytes)
        }
    })
}

/// The agreement as Markdown, with its approvals; a draft says so first.
#[utoipa::path(
    get,
    path = "/agreements/{aid}/export.md",
    tag = "plan",
    operation_id = "export_agreement_markdown",
    security(("bearer" = [])),
    params(("aid" = i64, Path, description = "The agreement.")),
    responses(
        (status = 200, description = "Markdown.", content_type = "text/markdown", body = String),
        (status = 401, response = Unauthenticated),
        (status = 404, response = NotFound),
    )
)]
pub async fn export_markdown(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(aid): P<i64>,
) -> Result<Response, AppError> {
    export(&state, &actor, aid, Format::Markdown).await
}

/// The agreement as one printable HTML file, with its approvals; a draft
/// is watermarked.
#[utoipa::path(
    get,
    path = "/agreements/{aid}/export.html",
    tag = "plan",
    operation_id = "export_agreement_html",
    security(("bearer" = [])),
    params(("aid" = i64, Path, description = "The agreement.")),
    responses(
        (status = 200, description = "HTML.", content_type = "text/html", body = String),
        (status = 401, response = Unauthenticated),
        (status = 404, response = NotFound),
    )
)]
pub async fn export_html(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(aid): P<i64>,
) -> Result<Response, AppError> {
    export(&state, &actor, aid, Format::Html).await
}

/// The agreement as PDF, with its approvals; a draft is watermarked on
/// every page.
#[utoipa::path(
    get,
    path = "/agreements/{aid}/export.pdf",
    tag = "plan",
    operation_id = "export_agreement_pdf",
    security(("bearer" = [])),
    params(("aid" = i64, Path, description = "The agreement.")),
    responses(
        (status = 200, description = "PDF.", content_type = "application/pdf", body = Vec<u8>),
        (status = 401, response = Unauthenticated),
        (status = 404, response = NotFound),
    )
)]
pub async fn export_pdf(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(aid): P<i64>,
) -> Result<Response, AppError> {
    export(&state, &actor, aid, Format::Pdf).await
}
