//! The problem log. Everyone taking part reads it; all but observers raise,
//! change and escalate problems. A problem is reached through its
//! collaboration, so one of a collaboration the person does not take part
//! in is not found. A change based on an older version is refused (409);
//! so is escalating a finished problem or one at the top of its ladder.
//!
//! Escalations are stored with `notified_at` empty, for a notifications
//! part to tell the people at the new rung; nothing is sent from here.

use super::collaborations::collab_scope_for;
use super::*;
use crate::AppState;
use crate::auth::Actor;
use crate::error::AppError;
use commonground_domain::FieldErrors;
use commonground_domain::decisions::LinkKind;
use commonground_domain::policy::{CollabAction, may_collab};
use commonground_domain::problems::{
    Audience, ProblemFields, ProblemInput, ProblemStatus, Severity, audience, escalate,
    escalation_reason, headline, parse_ladder,
};
use commonground_store::collaborations::{CollabScope, Collaboration, Participant};
use commonground_store::decisions::Decision;
use commonground_store::problems::{Escalation, Problem, ProblemFilter, RungPerson};
use commonground_store::tasks::Page;

/// Problems on one page of a list.
pub const PAGE_SIZE: i64 = 50;
/// The most an API caller may ask for at once.
pub const MAX_PAGE_SIZE: i64 = 500;

fn can_contribute(scope: &CollabScope, actor: &Actor) -> bool {
    may_collab(
        scope.participations(),
        CollabAction::Contribute,
        actor.acting_organisation_id,
    )
    .is_some()
}

/// A list's filters as sent (form or query string).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct FilterInput {
    pub status: String,
    pub severity: String,
    pub owner_organisation_id: String,
    pub page: String,
    pub per_page: String,
}

/// A page number and size as sent; 1 and `PAGE_SIZE` when empty.
pub fn parse_page(errors: &mut FieldErrors, page: &str, per_page: &str) -> Page {
    super::page_of(errors, page, per_page, PAGE_SIZE, MAX_PAGE_SIZE)
}

pub fn parse_filter(input: &FilterInput) -> Result<(ProblemFilter, Page), FieldErrors> {
    let mut errors = FieldErrors::new();
    let status = match input.status.trim() {
        "" => None,
        s => {
            let v = ProblemStatus::parse_code(s);
            if v.is_none() {
                errors.add(
                    "status",
                    "Choose open, being worked on, resolved or closed.",
                );
            }
            v
        }
    };
    let severity = match input.severity.trim() {
        "" => None,
        s => {
            let v = Severity::parse_code(s);
            if v.is_none() {
                errors.add("severity", "Choose low, medium, high or critical.");
            }
            v
        }
    };
    let owner = match input.owner_organisation_id.trim() {
        "" => None,
        t => match t.parse::<i64>() {
            Ok(v) if v > 0 => Some(v),
            _ => {
                errors.add("owner_organisation_id", "Choose one from the list.");
                None
            }
        },
    };
    let page = parse_page(&mut errors, &input.page, &input.per_page);
    errors.into_result()?;
    Ok((
        ProblemFilter {
            status,
            severity,
            owner_organisation_id: owner,
        },
        page,
    ))
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

#[derive(Debug, Clone)]
pub struct ProblemList {
    pub collaboration: Collaboration,
    pub total: i64,
    pub problems: Vec<Problem>,
    pub page: Page,
    pub choices: Choices,
    pub can_contribute: bool,
}

pub async fn problem_list(
    state: &AppState,
    actor: &Actor,
    id: i64,
    filter: &ProblemFilter,
    page: Page,
) -> Result<ProblemList, AppError> {
    let mut tx = state.store.read().await?;
    let (scope, _) = collab_scope_for(&mut tx, actor, id, CollabAction::View).await?;
    let basis = PageBasis {
        collaboration: tx.collaboration(&scope).await?,
        today: String::new(),
        can_contribute: can_contribute(&scope, actor),
        contributes_for: contributes_for(&scope, actor),
    };
    problem_list_in(&mut tx, &scope, basis, filter, page).await
}

async fn problem_list_in(
    tx: &mut Tx,
    scope: &CollabScope,
    basis: PageBasis,
    filter: &ProblemFilter,
    page: Page,
) -> Result<ProblemList, AppError> {
    let (total, problems) = tx.problems(scope, filter, page).await?;
    Ok(ProblemList {
        collaboration: basis.collaboration,
        total,
        problems,
        page,
        choices: choices(tx, scope).await?,
        can_contribute: basis.can_contribute,
    })
}

/// The problems page's content for a valid query, kept (see
/// [`super::kept_collab_page`]).
pub async fn problem_list_kept(
    state: &AppState,
    actor: &Actor,
    id: i64,
    (filter, page, sent): (&ProblemFilter, Page, &FilterInput),
    render: impl FnOnce(&ProblemList) -> crate::cache::KeptPage,
) -> Result<std::sync::Arc<crate::cache::KeptPage>, AppError> {
    super::kept_collab_page(
        state,
        actor,
        (id, "problems", format!("{sent:?}")),
        async |tx, scope, basis| problem_list_in(tx, scope, basis, filter, page).await,
        render,
    )
    .await
}

/// The owner organisation takes part; the owner person belongs to it.
async fn check_owner(tx: &mut Tx, scope: &CollabScope, f: &ProblemFields) -> Result<(), AppError> {
    let participants = tx.participants(scope).await?;
    if !participants
        .iter()
        .any(|p| p.organisation_id == f.owner_organisation_id)
    {
        return Err(AppError::invalid(
            "owner_organisation_id",
            "Choose one of the organisations taking part.",
        ));
    }
    if let Some(p) = f.owner_person_id
        && !tx.is_member_of(f.owner_organisation_id, p).await?
    {
        return Err(AppError::invalid(
            "owner_person_id",
            "Choose a member of the organisation that owns the problem, or nobody yet.",
        ));
    }
    Ok(())
}

/// Raises a problem at the bottom rung of the ladder the agreement sets
/// out now (or the default ladder).
pub async fn raise_problem(
    state: &AppState,
    actor: &Actor,
    id: i64,
    input: &ProblemInput<'_>,
) -> Result<Problem, AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let (scope, acting) = collab_scope_for(&mut tx, actor, id, CollabAction::Contribute).await?;
    let fields = ProblemFields::parse(input)?;
    check_owner(&mut tx, &scope, &fields).await?;
    let text = tx.escalation_text(&scope).await?;
    let ladder = parse_ladder(text.as_deref());
    let pid = tx
        .create_problem(
            &scope,
            &fields,
            &ladder,
            (actor.user.id, &actor.user.name),
            now,
        )
        .await?;
    record_in_collaboration(
        &mut tx,
        actor,
        id,
        acting,
        now,
        "problem.raised",
        format!(
            "Raised a {} problem: \u{201c}{}\u{201d}.",
            fields.severity.label().to_lowercase(),
            headline(&fields.description)
        ),
    )
    .await?;
    let p = tx.problem(&scope, pid).await?.ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(p)
}

/// Who stands at a rung.
#[derive(Debug, Clone)]
pub struct AtRung {
    pub audience: Audience,
    /// The steering group's name, when that is who.
    pub body_name: Option<String>,
    pub people: Vec<RungPerson>,
}

#[derive(Debug, Clone)]
pub struct ProblemDetail {
    pub collaboration: Collaboration,
    pub problem: Problem,
    pub escalations: Vec<Escalation>,
    pub at_rung: AtRung,
    pub decisions: Vec<Decision>,
    pub choices: Choices,
    pub can_contribute: bool,
}

async fn problem_scope(
    tx: &mut Tx,
    actor: &Actor,
    pid: i64,
    action: CollabAction,
) -> Result<(CollabScope, i64), AppError> {
    let id = tx
        .problem_collaboration_id(pid)
        .await?
        .ok_or(AppError::NotFound)?;
    collab_scope_for(tx, actor, id, action).await
}

async fn at_rung(tx: &mut Tx, scope: &CollabScope, p: &Problem) -> Result<AtRung, AppError> {
    let who = audience(p.rung_name(), p.rung);
    let (body_name, people) = match who {
        Audience::WorkingLevel => (
            None,
            tx.rung_organisation_members(scope, p.owner_organisation_id)
                .await?,
        ),
        Audience::PartnerLeads => (None, tx.rung_partner_leads(scope).await?),
        Audience::SteeringGroup => match tx.rung_steering_group(scope).await? {
            Some((name, people)) => (Some(name), people),
            None => (None, Vec::new()),
        },
        Audience::Outside => (None, Vec::new()),
    };
    Ok(AtRung {
        audience: who,
        body_name,
        people,
    })
}

pub async fn problem_detail(
    state: &AppState,
    actor: &Actor,
    pid: i64,
) -> Result<ProblemDetail, AppError> {
    let mut tx = state.store.read().await?;
    let (scope, _) = problem_scope(&mut tx, actor, pid, CollabAction::View).await?;
    let problem = tx.problem(&scope, pid).await?.ok_or(AppError::NotFound)?;
    Ok(ProblemDetail {
        collaboration: tx.collaboration(&scope).await?,
        escalations: tx.escalations(&scope, pid).await?,
        at_rung: at_rung(&mut tx, &scope, &problem).await?,
        decisions: tx.decisions_about(&scope, LinkKind::Problem, pid).await?,
        choices: choices(&mut tx, &scope).await?,
        problem,
        can_contribute: can_contribute(&scope, actor),
    })
}

/// A change to a problem: the fields to change (None keeps the current
/// value) and the version it is based on.
#[derive(Debug, Clone, Copy, Default)]
pub struct ProblemChange<'a> {
    pub description: Option<&'a str>,
    pub severity: Option<&'a str>,
    pub owner_organisation_id: Option<&'a str>,
    pub owner_person_id: Option<&'a str>,
    pub status: Option<&'a str>,
    pub resolution: Option<&'a str>,
    pub based_on: &'a str,
}

pub async fn update_problem(
    state: &AppState,
    actor: &Actor,
    pid: i64,
    change: &ProblemChange<'_>,
) -> Result<Problem, AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let (scope, acting) = problem_scope(&mut tx, actor, pid, CollabAction::Contribute).await?;
    let current = tx.problem(&scope, pid).await?.ok_or(AppError::NotFound)?;
    let Ok(based_on) = change.based_on.trim().parse::<i64>() else {
        return Err(AppError::invalid(
            "version",
            "Send the problem's version this change is based on.",
        ));
    };
    let owner = current.owner_organisation_id.to_string();
    let person = current
        .owner_person_id
        .map(|p| p.to_string())
        .unwrap_or_default();
    let fields = ProblemFields::parse(&ProblemInput {
        description: change.description.unwrap_or(&current.description),
        severity: change.severity.unwrap_or(current.severity.code()),
        owner_organisation_id: change.owner_organisation_id.unwrap_or(&owner),
        owner_person_id: change.owner_person_id.unwrap_or(&person),
        status: change.status.unwrap_or(current.status.code()),
        resolution: change.resolution.unwrap_or(&current.resolution),
    })?;
    check_owner(&mut tx, &scope, &fields).await?;
    if current.version != based_on
        || !tx
            .update_problem(&scope, pid, &fields, based_on, &actor.user.name, now)
            .await?
    {
        return Err(AppError::Conflict(stale_message(&current)));
    }
    let summary = if fields.status != current.status {
        format!(
            "Marked the problem \u{201c}{}\u{201d} as {}.",
            headline(&fields.description),
            fields.status.label().to_lowercase()
        )
    } else {
        format!(
            "Changed the problem \u{201c}{}\u{201d}.",
            headline(&fields.description)
        )
    };
    record_in_collaboration(
        &mut tx,
        actor,
        scope.collaboration_id(),
        acting,
        now,
        "problem.changed",
        summary,
    )
    .await?;
    let p = tx.problem(&scope, pid).await?.ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(p)
}

/// What a person is told when the problem changed meanwhile.
pub fn stale_message(p: &Problem) -> String {
    format!(
        "{} changed this problem meanwhile: it is now {} and at the rung \u{201c}{}\u{201d}. Read their change, then make yours again.",
        p.updated_by_name,
        p.status.label().to_lowercase(),
        p.rung_name()
    )
}

/// Moves the problem one rung up the ladder, recording who, when and why.
pub async fn escalate_problem(
    state: &AppState,
    actor: &Actor,
    pid: i64,
    reason: &str,
) -> Result<(Problem, Escalation), AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let (scope, acting) = problem_scope(&mut tx, actor, pid, CollabAction::Contribute).await?;
    let current = tx.problem(&scope, pid).await?.ok_or(AppError::NotFound)?;
    let reason = escalation_reason(reason).map_err(|e| AppError::invalid(&e.field, e.message))?;
    let to = escalate(current.status, current.rung, current.ladder.len())
        .map_err(|e| AppError::Conflict(e.message()))?;
    if !tx
        .escalate_problem(
            &scope,
            &current,
            to,
            &reason,
            (actor.user.id, &actor.user.name),
            now,
        )
        .await?
    {
        return Err(AppError::Conflict(stale_message(&current)));
    }
    record_in_collaboration(
        &mut tx,
        actor,
        scope.collaboration_id(),
        acting,
        now,
        "problem.escalated",
        format!(
            "Escalated the problem \u{201c}{}\u{201d} from \u{201c}{}\u{201d} to \u{201c}{}\u{201d}: {}",
            headline(&current.description),
            current.rung_name(),
            current.ladder[to],
            reason
        ),
    )
    .await?;
    let p = tx.problem(&scope, pid).await?.ok_or(AppError::NotFound)?;
    let e = tx
        .escalations(&scope, pid)
        .await?
        .pop()
        .ok_or(AppError::NotFound)?;
    // The people at the new rung are told, in the same transaction.
    let people: Vec<i64> = at_rung(&mut tx, &scope, &p)
        .await?
        .people
        .iter()
        .map(|r| r.user_id)
        .collect();
    let title = tx.collaboration(&scope).await?.title;
    let sentence = format!(
        "{} escalated the problem \u{201c}{}\u{201d} in \u{201c}{title}\u{201d} to \u{201c}{}\u{201d}, where you stand: {}",
        actor.user.name,
        headline(&p.description),
        p.rung_name(),
        reason
    );
    let told = super::notifications::notify(
        &mut tx,
        actor,
        &people,
        commonground_domain::notifications::Kind::ProblemEscalated,
        scope.collaboration_id(),
        &sentence,
        &format!("/problems/{pid}"),
        &format!("problem_escalated:{pid}:{}", e.id),
        now,
    )
    .await?;
    tx.mark_escalation_notified(&scope, e.id, now).await?;
    tx.commit().await?;
    super::notifications::deliver(state, told).await;
    Ok((p, e))
}
