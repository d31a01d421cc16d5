//! The directory of organisations and charities, for finding partners.

use super::{BadRequest, NotFound, Unauthenticated, Unprocessable};
use crate::AppState;
use crate::actions;
use crate::actions::directory::{SearchInput, parse_search};
use crate::auth::ApiCaller;
use crate::error::AppError;
use crate::extract::Q;
use axum::Json;
use axum::extract::State;
use commonground_domain::register::{ClassificationKind, IncomeBand};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// What to look for. Every filter takes one value or several separated by
/// commas; an empty one does not filter.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DirectoryParams {
    /// Words to look for in names, other names, activities and charitable
    /// objects; case and accents do not matter. Anything may be typed.
    pub q: Option<String>,
    /// Cause codes, 101 to 117.
    pub what: Option<String>,
    /// Beneficiary codes, 201 to 207.
    pub who: Option<String>,
    /// Codes for how they help, 301 to 310.
    pub how: Option<String>,
    /// Areas of operation, as the register writes them (e.g. `Leeds City`).
    pub area: Option<String>,
    /// Income bands: `under-10k`, `10k-100k`, `100k-1m`, `1m-10m`, `over-10m`.
    pub income: Option<String>,
    /// `registered` or `removed`.
    pub status: Option<String>,
    /// From 1 to 500. 20 results a page.
    pub page: Option<String>,
    /// A collaboration you take part in: each result then says how well it
    /// fits the collaboration's lead organisation.
    pub collaboration_id: Option<String>,
    /// `relevance` (the default) or `fit` (with `collaboration_id`): the
    /// 100 most relevant results, best fit first.
    pub sort: Option<String>,
}

/// A classification, with the register's words for it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Classification {
    pub code: i64,
    /// `what`, `who` or `how`.
    pub kind: String,
    pub label: Option<String>,
}

/// How well a result fits, and why, in words.
#[derive(Debug, Serialize, ToSchema)]
pub struct Fit {
    /// 0 to 100.
    pub score: u8,
    pub reasons: Vec<String>,
}

/// One organisation or charity.
#[derive(Debug, Serialize, ToSchema)]
pub struct DirectoryResult {
    /// `GB-CHC-…` or `GB-COH-…`; null for an organisation without one.
    pub org_identifier: Option<String>,
    /// The organisation on Common Ground, when it is there.
    pub organisation_id: Option<i64>,
    pub name: String,
    /// `registered` or `removed` for a charity on the register.
    pub status: Option<String>,
    pub latest_income: Option<i64>,
    pub income_band: Option<String>,
    pub areas: Vec<String>,
    pub classifications: Vec<Classification>,
    /// The start of its activities.
    pub activities: String,
    /// Only when `collaboration_id` is given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fit: Option<Fit>,
}

/// A page of results, best first.
#[derive(Debug, Serialize, ToSchema)]
pub struct DirectoryResults {
    /// How many match, on all pages.
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
    pub results: Vec<DirectoryResult>,
}

/// Searches organisations on Common Ground and charities on the register.
#[utoipa::path(
    get,
    path = "/directory",
    tag = "identify",
    operation_id = "search_directory",
    security(("bearer" = [])),
    params(DirectoryParams),
    responses(
        (status = 200, description = "A page of results.", body = DirectoryResults),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 404, response = NotFound),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn search_directory(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Q(p): Q<DirectoryParams>,
) -> Result<Json<DirectoryResults>, AppError> {
    let input = SearchInput {
        q: p.q.unwrap_or_default(),
        what: p.what.unwrap_or_default(),
        who: p.who.unwrap_or_default(),
        how: p.how.unwrap_or_default(),
        area: p.area.unwrap_or_default(),
        income: p.income.unwrap_or_default(),
        status: p.status.unwrap_or_default(),
        page: p.page.unwrap_or_default(),
        collaboration_id: p.collaboration_id.unwrap_or_default(),
        sort: p.sort.unwrap_or_default(),
    };
    let search = parse_search(&input).map_err(AppError::Invalid)?;
    let view = actions::directory::search(&state, &actor, &search).await?;
    let results = view
        .results
        .iter()
        .map(|f| {
            let e = &f.entry;
            DirectoryResult {
                org_identifier: e.org_identifier.clone(),
                organisation_id: e.organisation_id,
                name: e.name.clone(),
                status: e.status.clone(),
                latest_income: e.latest_income,
                income_band: e
                    .latest_income
                    .map(|i| IncomeBand::of_income(i).code().to_string()),
                areas: e.areas.clone(),
                classifications: e
                    .classifications
                    .iter()
                    .map(|c| Classification {
                        code: *c,
                        kind: ClassificationKind::of_code(*c)
                            .map(|k| k.code().to_lowercase())
                            .unwrap_or_default(),
                        label: view.label(*c).map(str::to_string),
                    })
                    .collect(),
                activities: e.activities.clone(),
                fit: f.fit.as_ref().map(|fit| Fit {
                    score: fit.score,
                    reasons: fit.reasons.clone(),
                }),
            }
        })
        .collect();
    Ok(Json(DirectoryResults {
        total: view.total,
        page: view.page,
        per_page: view.per_page,
        results,
    }))
}
