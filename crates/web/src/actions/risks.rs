//! The risk register: risks and key challenges, the suggestions that start
//! it, and its heat map. Everyone taking part reads it; all but observers
//! change it. A risk is reached through its collaboration, so a risk of a
//! collaboration the person does not take part in is not found. A change
//! based on an older version of a risk is refused (409). A change of
//! likelihood or impact is kept in the risk's history.

use super::collaborations::collab_scope_for;
use super::tasks::today;
use super::*;
use crate::AppState;
use crate::auth::Actor;
use crate::error::AppError;
use commonground_domain::FieldErrors;
use commonground_domain::policy::{CollabAction, may_collab};
use commonground_domain::risks::{
    RiskFields, RiskInput, RiskStatus, Suggestion, band, heat_cells, impact_words,
    likelihood_words, open_suggestions, parse_band, score, to_add,
};
use commonground_store::collaborations::{CollabScope, Collaboration, Participant};
use commonground_store::risks::{Risk, RiskFilter, ScoreChange};
use commonground_store::tasks::Page;
use std::collections::HashSet;

/// Risks on one page of the register.
pub const PAGE_SIZE: i64 = 25;
/// The most an API caller may ask for at once.
pub const MAX_PAGE_SIZE: i64 = 200;

fn can_contribute(scope: &CollabScope, actor: &Actor) -> bool {
    may_collab(
        scope.participations(),
        CollabAction::Contribute,
        actor.acting_organisation_id,
    )
    .is_some()
}

/// The register's filters as sent (form or query string).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct FilterInput {
    /// `open`, `being_managed`, `closed`, or `live` (open or being managed).
    pub status: String,
    /// `low`, `medium`, `high` or `very_high`.
    pub band: String,
    pub owner_organisation_id: String,
    /// `true`, `on` or `1` for only risks whose review is overdue.
    pub review_overdue: String,
    pub page: String,
    pub per_page: String,
}

pub fn parse_filter(input: &FilterInput) -> Result<(RiskFilter, Page), FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut filter = RiskFilter::default();
    match input.status.trim() {
        "" => {}
        "live" => filter.live = Some(true),
        s => match RiskStatus::parse_code(s) {
            Some(st) => filter.status = Some(st),
            None => errors.add(
                "status",
                "Choose open, being managed, closed, or not closed.",
            ),
        },
    }
    match input.band.trim() {
        "" => {}
        b => match parse_band(b) {
            Some(x) => filter.band = Some(x),
            None => errors.add("band", "Choose low, medium, high or very high."),
        },
    }
    match input.owner_organisation_id.trim() {
        "" => {}
        o => match o.parse::<i64>() {
            Ok(v) if v > 0 => filter.owner_organisation_id = Some(v),
            _ => errors.add("owner_organisation_id", "Choose one from the list."),
        },
    }
    filter.review_overdue = match input.review_overdue.trim() {
        "" | "false" | "0" => false,
        "true" | "on" | "1" => true,
        _ => {
            errors.add("review_overdue", "Send true or false.");
            false
        }
    };
    let page = super::page_of(
        &mut errors,
        &input.page,
        &input.per_page,
        PAGE_SIZE,
        MAX_PAGE_SIZE,
    );
    errors.into_result()?;
    Ok((filter, page))
}

/// Whether the risk's review is late today.
pub fn is_review_overdue(r: &Risk, today: &str) -> bool {
    commonground_domain::risks::review_overdue(r.status, r.review_on.as_deref(), today)
}

/// What the forms choose from: organisations taking part and their members.
#[derive(Debug, Clone)]
pub struct Choices {
    pub participants: Vec<Participant>,
    /// (organisation, person, name)
    pub people: Vec<(i64, i64, String)>,
}

async fn choices(tx: &mut Tx, scope: &CollabScope) -> Result<Choices, AppError> {
    Ok(Choices {
        participants: tx.participants(scope).await?,
        people: tx.assignable_people(scope).await?,
    })
}

/// The heat map's counts, `[impact - 1][likelihood - 1]`, of the risks
/// not closed.
pub type Cells = [[u32; 5]; 5];

pub(crate) async fn cells(tx: &mut Tx, scope: &CollabScope) -> Result<Cells, AppError> {
    Ok(heat_cells(tx.risk_heat(scope).await?))
}

#[derive(Debug, Clone)]
pub struct RiskList {
    pub collaboration: Collaboration,
    pub total: i64,
    pub risks: Vec<Risk>,
    pub page: Page,
    pub choices: Choices,
    pub today: String,
    pub can_contribute: bool,
    pub cells: Cells,
    /// Risks not closed whose review date has passed.
    pub overdue_reviews: i64,
    /// Risks in the register, of any status.
    pub in_register: i64,
}

pub async fn risk_list(
    state: &AppState,
    actor: &Actor,
    id: i64,
    filter: &RiskFilter,
    page: Page,
) -> Result<RiskList, AppError> {
    let today = today(state);
    let mut tx = state.store.read().await?;
    let (scope, _) = collab_scope_for(&mut tx, actor, id, CollabAction::View).await?;
    let basis = PageBasis {
        collaboration: tx.collaboration(&scope).await?,
        today,
        can_contribute: can_contribute(&scope, actor),
        contributes_for: contributes_for(&scope, actor),
    };
    risk_list_in(&mut tx, &scope, basis, filter, page).await
}

async fn risk_list_in(
    tx: &mut Tx,
    scope: &CollabScope,
    basis: PageBasis,
    filter: &RiskFilter,
    page: Page,
) -> Result<RiskList, AppError> {
    let (total, risks) = tx.risks(scope, filter, &basis.today, page).await?;
    let facts = tx.risk_facts(scope, &basis.today).await?;
    Ok(RiskList {
        collaboration: basis.collaboration,
        total,
        risks,
        page,
        choices: choices(tx, scope).await?,
        cells: cells(tx, scope).await?,
        today: basis.today,
        can_contribute: basis.can_contribute,
        overdue_reviews: facts.review_overdue,
        in_register: facts.risks,
    })
}

/// The register page's content for a valid query, kept (see
/// [`super::kept_collab_page`]).
pub async fn risk_list_kept(
    state: &AppState,
    actor: &Actor,
    id: i64,
    (filter, page, sent): (&RiskFilter, Page, &FilterInput),
    render: impl FnOnce(&RiskList) -> crate::cache::KeptPage,
) -> Result<std::sync::Arc<crate::cache::KeptPage>, AppError> {
    super::kept_collab_page(
        state,
        actor,
        (id, "risks", format!("{sent:?}")),
        async |tx, scope, basis| risk_list_in(tx, scope, basis, filter, page).await,
        render,
    )
    .await
}

/// Checks what only the collaboration knows: the owner organisation takes
/// part and the owner person belongs to it.
async fn check_owner(tx: &mut Tx, scope: &CollabScope, f: &RiskFields) -> Result<(), AppError> {
    let mut errors = FieldErrors::new();
    if let Some(o) = f.owner_organisation_id {
        let participants = tx.participants(scope).await?;
        if !participants.iter().any(|p| p.organisation_id == o) {
            errors.add(
                "owner_organisation_id",
                "Choose one of the organisations taking part, or none yet.",
            );
        } else if let Some(p) = f.owner_person_id
            && !tx.is_member_of(o, p).await?
        {
            errors.add(
                "owner_person_id",
                "Choose a member of the organisation that owns the risk, or nobody yet.",
            );
        }
    }
    errors.into_result().map_err(AppError::Invalid)
}

pub async fn create_risk(
    state: &AppState,
    actor: &Actor,
    id: i64,
    input: &RiskInput<'_>,
) -> Result<Risk, AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let (scope, acting) = collab_scope_for(&mut tx, actor, id, CollabAction::Contribute).await?;
    let fields = RiskFields::parse(input)?;
    check_owner(&mut tx, &scope, &fields).await?;
    let rid = tx
        .create_risk(&scope, &fields, &actor.user.name, now)
        .await?;
    record_in_collaboration(
        &mut tx,
        actor,
        id,
        acting,
        now,
        "risk.created",
        format!(
            "Added the risk \u{201c}{}\u{201d} (score {}, {}).",
            fields.title,
            fields.score(),
            band(fields.score()).label().to_lowercase()
        ),
    )
    .await?;
    let risk = tx.risk(&scope, rid).await?.ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(risk)
}

/// The risk's collaboration, proved through the person's access; a risk
/// they cannot see is not found.
async fn risk_scope(
    tx: &mut Tx,
    actor: &Actor,
    rid: i64,
    action: CollabAction,
) -> Result<(CollabScope, i64), AppError> {
    let id = tx
        .risk_collaboration_id(rid)
        .await?
        .ok_or(AppError::NotFound)?;
    collab_scope_for(tx, actor, id, action).await
}

#[derive(Debug, Clone)]
pub struct RiskDetail {
    pub collaboration: Collaboration,
    pub risk: Risk,
    pub history: Vec<ScoreChange>,
    pub choices: Choices,
    pub today: String,
    pub can_contribute: bool,
}

pub async fn risk_detail(
    state: &AppState,
    actor: &Actor,
    rid: i64,
) -> Result<RiskDetail, AppError> {
    let today = today(state);
    let mut tx = state.store.read().await?;
    let (scope, _) = risk_scope(&mut tx, actor, rid, CollabAction::View).await?;
    let risk = tx.risk(&scope, rid).await?.ok_or(AppError::NotFound)?;
    Ok(RiskDetail {
        collaboration: tx.collaboration(&scope).await?,
        history: tx.risk_history(&scope, rid).await?,
        choices: choices(&mut tx, &scope).await?,
        risk,
        today,
        can_contribute: can_contribute(&scope, actor),
    })
}

/// A change to a risk: the fields to change (None keeps a field as it
/// is; an empty text clears an optional one) and the version it is based on.
#[derive(Debug, Clone, Default)]
pub struct RiskPatch {
    pub title: Option<String>,
    pub description: Option<String>,
    pub category: Option<String>,
    pub likelihood: Option<String>,
    pub impact: Option<String>,
    pub owner_organisation_id: Option<String>,
    pub owner_person_id: Option<String>,
    pub mitigation: Option<String>,
    pub review_on: Option<String>,
    pub status: Option<String>,
    pub version: String,
}

pub async fn update_risk(
    state: &AppState,
    actor: &Actor,
    rid: i64,
    patch: &RiskPatch,
) -> Result<Risk, AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let (scope, acting) = risk_scope(&mut tx, actor, rid, CollabAction::Contribute).await?;
    let current = tx.risk(&scope, rid).await?.ok_or(AppError::NotFound)?;
    let id_text = |v: Option<i64>| v.map(|x| x.to_string()).unwrap_or_default();
    let (l, i) = (current.likelihood.to_string(), current.impact.to_string());
    let (owner, person) = (
        id_text(current.owner_organisation_id),
        id_text(current.owner_person_id),
    );
    let review = current.review_on.clone().unwrap_or_default();
    let pick = |new: &Option<String>, old: &str| new.clone().unwrap_or_else(|| old.to_string());
    let merged = [
        pick(&patch.title, &current.title),
        pick(&patch.description, &current.description),
        pick(&patch.category, &current.category),
        pick(&patch.likelihood, &l),
        pick(&patch.impact, &i),
        pick(&patch.owner_organisation_id, &owner),
        // A new owner organisation without a person clears the person.
        match (&patch.owner_person_id, &patch.owner_organisation_id) {
            (Some(p), _) => p.clone(),
            (None, Some(o)) if *o != owner => String::new(),
            (None, _) => person.clone(),
        },
        pick(&patch.mitigation, &current.mitigation),
        pick(&patch.review_on, &review),
        pick(&patch.status, current.status.code()),
    ];
    let mut errors = FieldErrors::new();
    let based_on = match patch.version.trim().parse::<i64>() {
        Ok(v) => v,
        Err(_) => {
            errors.add(
                "version",
                "Send the risk's version this change is based on.",
            );
            0
        }
    };
    let fields = match RiskFields::parse(&RiskInput {
        title: &merged[0],
        description: &merged[1],
        category: &merged[2],
        likelihood: &merged[3],
        impact: &merged[4],
        owner_organisation_id: &merged[5],
        owner_person_id: &merged[6],
        mitigation: &merged[7],
        review_on: &merged[8],
        status: &merged[9],
    }) {
        Ok(f) => Some(f),
        Err(e) => {
            for x in e.0 {
                errors.add(x.field, x.message);
            }
            None
        }
    };
    errors.into_result()?;
    let fields = fields.unwrap_or_else(|| unreachable!());
    check_owner(&mut tx, &scope, &fields).await?;
    if current.version != based_on
        || !tx
            .update_risk(
                &scope,
                &current,
                &fields,
                based_on,
                actor.user.id,
                &actor.user.name,
                now,
            )
            .await?
    {
        return Err(AppError::Conflict(stale_message(&current)));
    }
    let mut summary = if current.status != fields.status && fields.status == RiskStatus::Closed {
        format!("Closed the risk \u{201c}{}\u{201d}.", fields.title)
    } else {
        format!("Changed the risk \u{201c}{}\u{201d}.", fields.title)
    };
    if (current.likelihood, current.impact) != (fields.likelihood, fields.impact) {
        summary.push_str(&format!(
            " Score {} to {} ({}).",
            current.score(),
            fields.score(),
            band(fields.score()).label().to_lowercase()
        ));
    }
    record_in_collaboration(
        &mut tx,
        actor,
        scope.collaboration_id(),
        acting,
        now,
        "risk.changed",
        summary,
    )
    .await?;
    let risk = tx.risk(&scope, rid).await?.ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(risk)
}

/// What a person is told when the risk changed meanwhile.
pub fn stale_message(r: &Risk) -> String {
    format!(
        "{} changed \u{201c}{}\u{201d} meanwhile: it is now {}, with likelihood {} and impact {} (score {}). Read their change, then make yours again.",
        r.updated_by_name,
        r.title,
        r.status.label().to_lowercase(),
        r.likelihood,
        r.impact,
        r.score()
    )
}

/// Deletes a risk and its history; returns its collaboration.
pub async fn delete_risk(state: &AppState, actor: &Actor, rid: i64) -> Result<i64, AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let (scope, acting) = risk_scope(&mut tx, actor, rid, CollabAction::Contribute).await?;
    let risk = tx.risk(&scope, rid).await?.ok_or(AppError::NotFound)?;
    tx.delete_risk(&scope, rid).await?;
    record_in_collaboration(
        &mut tx,
        actor,
        scope.collaboration_id(),
        acting,
        now,
        "risk.deleted",
        format!("Deleted the risk \u{201c}{}\u{201d}.", risk.title),
    )
    .await?;
    tx.commit().await?;
    Ok(scope.collaboration_id())
}

#[derive(Debug, Clone)]
pub struct Suggestions {
    pub collaboration: Collaboration,
    /// The suggestions not yet in the register.
    pub suggestions: Vec<Suggestion>,
    pub can_contribute: bool,
}

pub async fn suggestions(
    state: &AppState,
    actor: &Actor,
    id: i64,
) -> Result<Suggestions, AppError> {
    let mut tx = state.store.read().await?;
    let (scope, _) = collab_scope_for(&mut tx, actor, id, CollabAction::View).await?;
    let identify = tx.identify_risks(&scope).await?;
    let present: HashSet<String> = tx.risk_sources(&scope).await?.into_iter().collect();
    Ok(Suggestions {
        collaboration: tx.collaboration(&scope).await?,
        suggestions: open_suggestions(&identify, &present),
        can_contribute: can_contribute(&scope, actor),
    })
}

/// Adds the ticked suggestions that are not yet in the register; returns
/// the risks added (none when every one was there already).
pub async fn add_suggestions(
    state: &AppState,
    actor: &Actor,
    id: i64,
    ticked: &[String],
) -> Result<Vec<Risk>, AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let (scope, acting) = collab_scope_for(&mut tx, actor, id, CollabAction::Contribute).await?;
    if ticked.is_empty() {
        return Err(AppError::invalid(
            "sources",
            "Tick at least one suggested risk to add.",
        ));
    }
    let identify = tx.identify_risks(&scope).await?;
    let present: HashSet<String> = tx.risk_sources(&scope).await?.into_iter().collect();
    let adding = to_add(&identify, &present, ticked).map_err(|_| {
        AppError::invalid(
            "sources",
            "Choose from the suggested risks shown on the page.",
        )
    })?;
    let mut added = Vec::new();
    for s in &adding {
        // Someone else may have added it a moment ago: then it is skipped.
        if let Some(rid) = tx
            .add_suggested_risk(&scope, s, &actor.user.name, now)
            .await?
            && let Some(r) = tx.risk(&scope, rid).await?
        {
            added.push(r);
        }
    }
    if !added.is_empty() {
        let names = added
            .iter()
            .map(|r| format!("\u{201c}{}\u{201d}", r.title))
            .collect::<Vec<_>>()
            .join(", ");
        record_in_collaboration(
            &mut tx,
            actor,
            id,
            acting,
            now,
            "risk.suggestions_added",
            format!(
                "Added {} suggested {} to the risk register: {names}.",
                added.len(),
                if added.len() == 1 { "risk" } else { "risks" }
            ),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(added)
}

/// The band's words for every cell, `[impact - 1][likelihood - 1]`.
pub fn cell_bands() -> [[&'static str; 5]; 5] {
    let mut out = [[""; 5]; 5];
    for (i, row) in out.iter_mut().enumerate() {
        for (l, cell) in row.iter_mut().enumerate() {
            *cell = band(score(l as u8 + 1, i as u8 + 1)).label();
        }
    }
    out
}

/// The heat map of the risks not closed, as SVG.
pub async fn heatmap(state: &AppState, actor: &Actor, id: i64) -> Result<String, AppError> {
    use commonground_report::heatmap::{HeatMap, heatmap_svg};
    let mut tx = state.store.read().await?;
    let (scope, _) = collab_scope_for(&mut tx, actor, id, CollabAction::View).await?;
    let counts = cells(&mut tx, &scope).await?;
    let title = format!("Risk heat map: {}", tx.collaboration(&scope).await?.title);
    drop(tx);
    Ok(heatmap_svg(
        "heatmap",
        &title,
        &HeatMap {
            counts,
            bands: cell_bands(),
            likelihood_words: [1, 2, 3, 4, 5].map(likelihood_words),
            impact_words: [1, 2, 3, 4, 5].map(impact_words),
        },
    ))
}
