//! The decisions log. Everyone taking part reads it; all but observers
//! record decisions and link them to what they affect. A decision is
//! reached through its collaboration, and links only to tasks, problems
//! and aims of that same collaboration: anything else is refused with a
//! field error and nothing is linked.

use super::collaborations::collab_scope_for;
use super::*;
use crate::AppState;
use crate::auth::Actor;
use crate::error::AppError;
use commonground_domain::FieldErrors;
use commonground_domain::decisions::{DecisionFields, DecisionInput, HowTaken, LinkKind};
use commonground_domain::policy::{CollabAction, may_collab};
use commonground_store::collaborations::{CollabScope, Collaboration};
use commonground_store::decisions::{Decision, Link};
use commonground_store::tasks::Page;

fn can_contribute(scope: &CollabScope, actor: &Actor) -> bool {
    may_collab(
        scope.participations(),
        CollabAction::Contribute,
        actor.acting_organisation_id,
    )
    .is_some()
}

/// The list's filter as sent.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct FilterInput {
    /// meeting, vote, lead or governance_body; empty for every kind.
    pub how: String,
    pub page: String,
    pub per_page: String,
}

pub fn parse_filter(input: &FilterInput) -> Result<(Option<HowTaken>, Page), FieldErrors> {
    let mut errors = FieldErrors::new();
    let how = match input.how.trim() {
        "" => None,
        h => {
            let v = HowTaken::parse_code(h);
            if v.is_none() {
                errors.add(
                    "how",
                    "Choose meeting, vote, lead or governance_body, or leave it empty.",
                );
            }
            v
        }
    };
    let page = super::problems::parse_page(&mut errors, &input.page, &input.per_page);
    errors.into_result()?;
    Ok((how, page))
}

/// What the forms choose from.
#[derive(Debug, Clone, Default)]
pub struct Choices {
    pub bodies: Vec<(i64, String)>,
    pub tasks: Vec<(i64, String)>,
    pub problems: Vec<(i64, String)>,
    pub aims: Vec<(i64, String)>,
}

async fn choices(tx: &mut Tx, scope: &CollabScope) -> Result<Choices, AppError> {
    Ok(Choices {
        bodies: tx.governance_body_names(scope).await?,
        tasks: tx.all_task_titles(scope).await?,
        problems: tx.problem_headlines(scope).await?,
        aims: tx
            .aims(scope)
            .await?
            .into_iter()
            .map(|a| (a.id, a.title))
            .collect(),
    })
}

#[derive(Debug, Clone)]
pub struct DecisionList {
    pub collaboration: Collaboration,
    pub total: i64,
    pub decisions: Vec<Decision>,
    pub page: Page,
    pub can_contribute: bool,
}

pub async fn decision_list(
    state: &AppState,
    actor: &Actor,
    id: i64,
    how: Option<HowTaken>,
    page: Page,
) -> Result<DecisionList, AppError> {
    let mut tx = state.store.read().await?;
    let (scope, _) = collab_scope_for(&mut tx, actor, id, CollabAction::View).await?;
    let (total, decisions) = tx.decisions(&scope, how, page).await?;
    Ok(DecisionList {
        collaboration: tx.collaboration(&scope).await?,
        total,
        decisions,
        page,
        can_contribute: can_contribute(&scope, actor),
    })
}

/// The form for a new decision: the collaboration and what to choose from.
pub async fn new_decision(
    state: &AppState,
    actor: &Actor,
    id: i64,
) -> Result<(Collaboration, Choices), AppError> {
    let mut tx = state.store.read().await?;
    let (scope, _) = collab_scope_for(&mut tx, actor, id, CollabAction::Contribute).await?;
    Ok((
        tx.collaboration(&scope).await?,
        choices(&mut tx, &scope).await?,
    ))
}

/// The field a link of this kind is sent in.
pub fn link_field(kind: LinkKind) -> String {
    format!("{}_id", kind.code())
}

fn not_ours(kind: LinkKind) -> AppError {
    AppError::invalid(
        &link_field(kind),
        format!(
            "Choose {} of this collaboration.",
            match kind {
                LinkKind::Task => "a task",
                LinkKind::Problem => "a problem",
                LinkKind::Aim => "an aim",
            }
        ),
    )
}

/// Links the decision to each target, every one checked to be this
/// collaboration's first. Returns the titles of those newly linked.
async fn link_all(
    tx: &mut Tx,
    scope: &CollabScope,
    did: i64,
    links: &[(LinkKind, i64)],
) -> Result<Vec<String>, AppError> {
    let mut titles = Vec::new();
    let mut checked = Vec::new();
    for (kind, target) in links {
        let title = tx
            .link_target(scope, *kind, *target)
            .await?
            .ok_or_else(|| not_ours(*kind))?;
        checked.push((*kind, *target, title));
    }
    for (kind, target, title) in checked {
        if tx.add_decision_link(scope, did, kind, target).await? {
            titles.push(format!(
                "{} \u{201c}{title}\u{201d}",
                kind.label().to_lowercase()
            ));
        }
    }
    Ok(titles)
}

/// Records a decision, linked to what it affects: `links` are (kind, id)
/// as sent.
pub async fn record_decision(
    state: &AppState,
    actor: &Actor,
    id: i64,
    input: &DecisionInput<'_>,
    links: &[(String, String)],
) -> Result<Decision, AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let (scope, acting) = collab_scope_for(&mut tx, actor, id, CollabAction::Contribute).await?;
    let fields = DecisionFields::parse(input)?;
    let links = links
        .iter()
        .map(|(k, t)| parse_link(k, t))
        .collect::<Result<Vec<_>, _>>()?;
    if let Some(b) = fields.governance_body_id
        && !tx
            .governance_body_names(&scope)
            .await?
            .iter()
            .any(|(i, _)| *i == b)
    {
        return Err(AppError::invalid(
            "governance_body_id",
            "Choose one of the collaboration's governance bodies, or none.",
        ));
    }
    let did = tx
        .create_decision(&scope, &fields, (actor.user.id, &actor.user.name), now)
        .await?;
    let linked = link_all(&mut tx, &scope, did, &links).await?;
    let mut summary = format!(
        "Recorded the decision \u{201c}{}\u{201d} ({}, {}).",
        fields.title,
        fields.how.label().to_lowercase(),
        fields.decided_on
    );
    if !linked.is_empty() {
        summary.push_str(&format!(" It affects the {}.", linked.join(", the ")));
    }
    record_in_collaboration(
        &mut tx,
        actor,
        id,
        acting,
        now,
        "decision.recorded",
        summary,
    )
    .await?;
    let d = tx.decision(&scope, did).await?.ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(d)
}

#[derive(Debug, Clone)]
pub struct DecisionDetail {
    pub collaboration: Collaboration,
    pub decision: Decision,
    pub links: Vec<Link>,
    pub choices: Choices,
    pub can_contribute: bool,
}

async fn decision_scope(
    tx: &mut Tx,
    actor: &Actor,
    did: i64,
    action: CollabAction,
) -> Result<(CollabScope, i64), AppError> {
    let id = tx
        .decision_collaboration_id(did)
        .await?
        .ok_or(AppError::NotFound)?;
    collab_scope_for(tx, actor, id, action).await
}

pub async fn decision_detail(
    state: &AppState,
    actor: &Actor,
    did: i64,
) -> Result<DecisionDetail, AppError> {
    let mut tx = state.store.read().await?;
    let (scope, _) = decision_scope(&mut tx, actor, did, CollabAction::View).await?;
    let decision = tx.decision(&scope, did).await?.ok_or(AppError::NotFound)?;
    let can = can_contribute(&scope, actor);
    Ok(DecisionDetail {
        collaboration: tx.collaboration(&scope).await?,
        links: tx.decision_links(&scope, did).await?,
        // Only those who may link need the lists to link from.
        choices: if can {
            choices(&mut tx, &scope).await?
        } else {
            Choices::default()
        },
        decision,
        can_contribute: can,
    })
}

/// Parses a link as sent: a kind and an id.
pub fn parse_link(kind: &str, target: &str) -> Result<(LinkKind, i64), AppError> {
    let kind = LinkKind::parse_code(kind)
        .ok_or_else(|| AppError::invalid("kind", "Choose task, problem or aim."))?;
    let target = target
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|v| *v > 0)
        .ok_or_else(|| not_ours(kind))?;
    Ok((kind, target))
}

pub async fn add_link(
    state: &AppState,
    actor: &Actor,
    did: i64,
    kind: &str,
    target: &str,
) -> Result<Vec<Link>, AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let (scope, acting) = decision_scope(&mut tx, actor, did, CollabAction::Contribute).await?;
    let d = tx.decision(&scope, did).await?.ok_or(AppError::NotFound)?;
    let link = parse_link(kind, target)?;
    let linked = link_all(&mut tx, &scope, did, &[link]).await?;
    if let Some(what) = linked.first() {
        record_in_collaboration(
            &mut tx,
            actor,
            scope.collaboration_id(),
            acting,
            now,
            "decision.linked",
            format!(
                "Linked the decision \u{201c}{}\u{201d} to the {what}.",
                d.title
            ),
        )
        .await?;
    }
    let links = tx.decision_links(&scope, did).await?;
    tx.commit().await?;
    Ok(links)
}

pub async fn remove_link(
    state: &AppState,
    actor: &Actor,
    did: i64,
    kind: &str,
    target: i64,
) -> Result<Vec<Link>, AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let (scope, acting) = decision_scope(&mut tx, actor, did, CollabAction::Contribute).await?;
    let d = tx.decision(&scope, did).await?.ok_or(AppError::NotFound)?;
    let kind = LinkKind::parse_code(kind).ok_or(AppError::NotFound)?;
    if !tx.remove_decision_link(&scope, did, kind, target).await? {
        return Err(AppError::NotFound);
    }
    record_in_collaboration(
        &mut tx,
        actor,
        scope.collaboration_id(),
        acting,
        now,
        "decision.unlinked",
        format!(
            "The decision \u{201c}{}\u{201d} no longer links to a {}.",
            d.title,
            kind.label().to_lowercase()
        ),
    )
    .await?;
    let links = tx.decision_links(&scope, did).await?;
    tx.commit().await?;
    Ok(links)
}
