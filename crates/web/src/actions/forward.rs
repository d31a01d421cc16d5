//! The way forward and the next cycle, at the end of the Review stage.
//!
//! Each lead and partner organisation records its position (one option,
//! its reasons and the next steps it proposes); the people who may cast an
//! organisation's vote on a proposal may record its position
//! (`domain::forward::may_speak_for`). Everyone taking part reads them.
//!
//! The way forward itself is decided by the proposals engine: someone
//! acting for the lead organisation puts one to a governance group of the
//! collaboration, as a proposal under that group's rule. It is agreed when
//! the proposal's outcome is written with the result passed (that is when
//! it enters the decisions log). Only one way forward is open at a time.
//!
//! Starting the next cycle (an admin of a lead organisation, in the Review
//! stage, once) opens a new collaboration led by that organisation, linked
//! to this one, with the aims still open as draft aims, the lessons, and
//! every other organisation invited again in its role.

use super::collaborations::collab_scope_for;
use super::proposals::{ProposalView, put_to_body, read_view};
use super::*;
use crate::AppState;
use crate::auth::Actor;
use crate::error::AppError;
use commonground_domain::FieldErrors;
use commonground_domain::collaborations::{CollaborationDetails, ParticipantRole};
use commonground_domain::forward::{
    PositionDetails, PositionInput, aim_is_open, cycle_title, may_speak_for,
};
use commonground_domain::policy::{CollabAction, may_collab};
use commonground_domain::proposals::{ProposalFields, ProposalInput};
use commonground_domain::stage::Stage;
use commonground_store::collaborations::{CollabScope, Collaboration};
use commonground_store::forward::{PartyPosition, PositionSave, Way};
use commonground_store::governance::GovernanceBody;
use commonground_store::{StoreError, Tx};

/// The forward strategy page and API answer.
#[derive(Debug, Clone)]
pub struct ForwardView {
    pub collaboration: Collaboration,
    /// Every lead and partner organisation, by name, with its position.
    pub parties: Vec<PartyPosition>,
    /// The organisations whose position this person may record.
    pub speaks_for: Vec<i64>,
    /// The ways forward put to the partners, newest first.
    pub ways: Vec<Way>,
    /// The way forward waiting for its decision, with its count now.
    pub open: Option<(Way, ProposalView)>,
    /// The way forward the partners agreed.
    pub agreed: Option<Way>,
    /// The governance groups a way forward can be put to.
    pub bodies: Vec<GovernanceBody>,
    /// Acting for the lead organisation: may put a way forward.
    pub can_propose: bool,
    pub today: String,
}

impl ForwardView {
    /// The lead and partner organisations with no position yet.
    pub fn missing(&self) -> Vec<&PartyPosition> {
        self.parties
            .iter()
            .filter(|p| p.position.is_none())
            .collect()
    }
}

async fn speaks_for(
    tx: &mut Tx,
    scope: &CollabScope,
    actor: &Actor,
    organisation_id: i64,
) -> Result<Result<(), &'static str>, AppError> {
    let participation = scope
        .participations()
        .iter()
        .find(|p| p.organisation_id == organisation_id);
    let on_body = match participation {
        Some(_) => {
            tx.sits_on_a_body_for(scope, actor.user.id, organisation_id)
                .await?
        }
        None => false,
    };
    Ok(may_speak_for(participation, on_body))
}

fn agreed_of(ways: &[Way]) -> Option<Way> {
    ways.iter().find(|w| w.is_agreed()).cloned()
}

pub async fn forward(state: &AppState, actor: &Actor, id: i64) -> Result<ForwardView, AppError> {
    let today = super::tasks::today(state);
    let mut tx = state.store.read().await?;
    let (scope, _) = collab_scope_for(&mut tx, actor, id, CollabAction::View).await?;
    let parties = tx.forward_positions(&scope).await?;
    let mut mine = Vec::new();
    for p in &parties {
        if speaks_for(&mut tx, &scope, actor, p.organisation_id)
            .await?
            .is_ok()
        {
            mine.push(p.organisation_id);
        }
    }
    let ways = tx.forward_ways(&scope).await?;
    let open = match ways.iter().find(|w| w.is_open()) {
        Some(w) => Some((
            w.clone(),
            read_view(&mut tx, &scope, w.proposal_id, &today).await?,
        )),
        None => None,
    };
    Ok(ForwardView {
        collaboration: tx.collaboration(&scope).await?,
        agreed: agreed_of(&ways),
        parties,
        speaks_for: mine,
        open,
        ways,
        bodies: tx.governance_bodies(&scope).await?,
        can_propose: may_collab(
            scope.participations(),
            CollabAction::EditDetails,
            actor.acting_organisation_id,
        )
        .is_some(),
        today,
    })
}

/// One organisation's position, for its form. 404 for an organisation that
/// is not a lead or partner here.
pub async fn position(
    state: &AppState,
    actor: &Actor,
    id: i64,
    organisation_id: i64,
) -> Result<(Collaboration, PartyPosition, Result<(), &'static str>), AppError> {
    let mut tx = state.store.read().await?;
    let (scope, _) = collab_scope_for(&mut tx, actor, id, CollabAction::View).await?;
    let party = tx
        .forward_position(&scope, organisation_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let allowed = speaks_for(&mut tx, &scope, actor, organisation_id).await?;
    Ok((tx.collaboration(&scope).await?, party, allowed))
}

/// Records or changes an organisation's position. `base_version` is the
/// position's version the person started from (0 or empty when there was
/// none); if someone saved since, the save is refused with what the
/// position says now.
pub async fn save_position(
    state: &AppState,
    actor: &Actor,
    id: i64,
    organisation_id: i64,
    input: &PositionInput<'_>,
    base_version: &str,
) -> Result<PartyPosition, AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let (scope, _) = collab_scope_for(&mut tx, actor, id, CollabAction::View).await?;
    // Only a lead or partner organisation here has a position to record.
    let party = tx
        .forward_position(&scope, organisation_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if let Err(why) = speaks_for(&mut tx, &scope, actor, organisation_id).await? {
        return Err(AppError::Forbidden(why.to_string()));
    }
    let base = first_or_version(base_version)?;
    let d = PositionDetails::parse(input)?;
    let saved = match tx
        .save_forward_position(
            &scope,
            organisation_id,
            &d,
            base,
            (actor.user.id, &actor.user.name),
            now,
        )
        .await?
    {
        PositionSave::Saved(p) => p,
        PositionSave::Stale(now) => {
            let says = match now {
                Some(p) => format!(
                    "It now says {} (version {}, saved by {}).",
                    p.option.label().to_lowercase(),
                    p.version,
                    p.recorded_by_name
                ),
                None => "It now has no position.".to_string(),
            };
            return Err(AppError::Conflict(format!(
                "Someone saved the position of {} after you opened it. {says} Open it again to see their change, then make yours.",
                party.organisation_name
            )));
        }
    };
    record_in_collaboration(
        &mut tx,
        actor,
        id,
        organisation_id,
        now,
        if base == 0 {
            "forward.position_recorded"
        } else {
            "forward.position_changed"
        },
        format!(
            "{} the position of {} on the way forward: {}.",
            if base == 0 { "Recorded" } else { "Changed" },
            party.organisation_name,
            saved.option.label().to_lowercase()
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(PartyPosition {
        position: Some(saved),
        ..party
    })
}

/// A way forward as sent: what is proposed, and the decision's group and
/// closing date.
#[derive(Debug, Clone, Copy, Default)]
pub struct WayForwardInput<'a> {
    pub position: PositionInput<'a>,
    /// Empty to use the collaboration's only governance group.
    pub body_id: &'a str,
    pub closes_on: &'a str,
}

/// Why no way forward can be put now, if so.
fn check_can_put(ways: &[Way], bodies: &[GovernanceBody], id: i64) -> Result<(), AppError> {
    if let Some(w) = ways.iter().find(|w| w.is_open()) {
        return Err(AppError::Conflict(format!(
            "A way forward is already waiting for a decision: {}, put by {}. Only one can be open at a time. \
             Its result is on the proposal page at /proposals/{}; once the outcome is written there, another can be put.",
            w.option.label().to_lowercase(),
            w.proposed_by_name,
            w.proposal_id
        )));
    }
    if let Some(w) = agreed_of(ways) {
        return Err(AppError::Conflict(format!(
            "The partners have already agreed the way forward: {}. The decision is on the proposal page at /proposals/{}.",
            w.option.label().to_lowercase(),
            w.proposal_id
        )));
    }
    if bodies.is_empty() {
        return Err(AppError::Conflict(format!(
            "This collaboration has no governance group to decide the way forward. \
             Set one up in the Plan stage at /collaborations/{id}/governance, then put the way forward to it."
        )));
    }
    Ok(())
}

/// Puts a way forward to the partners: a proposal to one of the
/// collaboration's governance groups, decided under its rule.
pub async fn put_way_forward(
    state: &AppState,
    actor: &Actor,
    id: i64,
    input: &WayForwardInput<'_>,
) -> Result<Way, AppError> {
    let now = state.clock.now();
    let today = super::tasks::today(state);
    let mut tx = state.store.write().await?;
    tx.lock_collaboration(id).await?;
    let (scope, _) = collab_scope_for(&mut tx, actor, id, CollabAction::View).await?;
    let acting = may_collab(
        scope.participations(),
        CollabAction::EditDetails,
        actor.acting_organisation_id,
    )
    .ok_or_else(|| {
        AppError::Forbidden(
            "Only the lead organisation can put a way forward to the partners. Record your organisation's position instead, or ask the lead."
                .into(),
        )
    })?;
    let ways = tx.forward_ways(&scope).await?;
    let bodies = tx.governance_bodies(&scope).await?;
    check_can_put(&ways, &bodies, id)?;
    let mut errors = FieldErrors::new();
    let details = match PositionDetails::parse_way_forward(&input.position) {
        Ok(d) => Some(d),
        Err(e) => {
            for f in e.0 {
                errors.add(f.field, f.message);
            }
            None
        }
    };
    let only = (bodies.len() == 1).then(|| bodies[0].id.to_string());
    let body_id = match (input.body_id.trim(), &only) {
        ("", Some(only)) => only.as_str(),
        (raw, _) => raw,
    };
    let title = details
        .as_ref()
        .map(PositionDetails::proposal_title)
        .unwrap_or_else(|| "Way forward".to_string());
    let text = details
        .as_ref()
        .map(PositionDetails::proposal_text)
        .unwrap_or_else(|| "-".to_string());
    let fields = match ProposalFields::parse(
        &ProposalInput {
            title: &title,
            text: &text,
            body_id,
            closes_on: input.closes_on,
        },
        &today,
    ) {
        Ok(f) => Some(f),
        Err(e) => {
            for f in e.0 {
                errors.add(f.field, f.message);
            }
            None
        }
    };
    let body = match &fields {
        Some(f) => bodies.iter().find(|b| b.id == f.body_id),
        None => None,
    };
    if fields.is_some() && body.is_none() {
        errors.add(
            "body_id",
            "Choose one of this collaboration's governance groups.",
        );
    }
    errors.clone().into_result()?;
    let (Some(details), Some(fields), Some(body)) = (details, fields, body) else {
        return Err(AppError::Invalid(errors));
    };
    let (pid, told) = put_to_body(&mut tx, actor, &scope, acting, &fields, body, now).await?;
    tx.create_forward_way(&scope, pid, &details, &actor.user.name, now)
        .await?;
    record_in_collaboration(
        &mut tx,
        actor,
        id,
        acting,
        now,
        "forward.way_put",
        format!(
            "Put the way forward \u{201c}{}\u{201d} to {} for a decision, voting until {}.",
            details.option.label().to_lowercase(),
            body.name,
            fields.closes_on
        ),
    )
    .await?;
    let way = tx
        .forward_ways(&scope)
        .await?
        .into_iter()
        .find(|w| w.proposal_id == pid)
        .ok_or_else(|| AppError::Internal("the new way forward was not found".into()))?;
    tx.commit().await?;
    super::notifications::deliver(state, told).await;
    Ok(way)
}

/// What the Review stage page shows of the way forward and the next cycle.
#[derive(Debug, Clone, Default)]
pub struct ReviewSection {
    pub agreed: Option<Way>,
    pub open: Option<Way>,
    pub parties: i64,
    pub positions: i64,
    pub next_cycle_id: Option<i64>,
    pub previous_cycle_id: Option<i64>,
    /// An admin of a lead organisation: may start the next cycle.
    pub can_start_next: bool,
}

/// Reads the Review page's section in the page's transaction.
pub(crate) async fn review_section(
    tx: &mut Tx,
    scope: &CollabScope,
    actor: &Actor,
) -> Result<ReviewSection, AppError> {
    let ways = tx.forward_ways(scope).await?;
    let facts = tx.forward_facts(scope).await?;
    let (previous_cycle_id, next_cycle_id) = tx.cycle_links(scope).await?;
    Ok(ReviewSection {
        agreed: agreed_of(&ways),
        open: ways.iter().find(|w| w.is_open()).cloned(),
        parties: facts.parties,
        positions: facts.positions,
        next_cycle_id,
        previous_cycle_id,
        can_start_next: may_collab(
            scope.participations(),
            CollabAction::ManageParticipants,
            actor.acting_organisation_id,
        )
        .is_some(),
    })
}

/// What starting the next cycle would make, for its confirm page.
#[derive(Debug, Clone)]
pub struct NextCyclePlan {
    pub collaboration: Collaboration,
    /// The new collaboration's title.
    pub title: String,
    /// The lead organisation of the new cycle: the one the person acts for.
    pub lead_name: String,
    /// The aims still open, carried over as draft aims.
    pub aims: Vec<String>,
    pub lessons: i64,
    /// Organisations invited again, with their roles.
    pub invited: Vec<(i64, String, ParticipantRole)>,
    /// Why it cannot be started now, if so (a 409's words).
    pub refused: Option<String>,
}

/// Who may start it (404 outsiders, 403 with a reason for the others), and
/// the lead organisation it is started for.
async fn lead_scope(tx: &mut Tx, actor: &Actor, id: i64) -> Result<(CollabScope, i64), AppError> {
    match collab_scope_for(tx, actor, id, CollabAction::ManageParticipants).await {
        Err(AppError::Forbidden(_)) => Err(AppError::Forbidden(
            "Only an admin of the lead organisation can start the next cycle. Ask one of them."
                .into(),
        )),
        other => other,
    }
}

fn already_started(next: &(i64, String)) -> AppError {
    AppError::Conflict(format!(
        "The next cycle of this collaboration has already been started: \u{201c}{}\u{201d}, at /collaborations/{}.",
        next.1, next.0
    ))
}

/// Why the next cycle cannot be started now, if so.
async fn check_can_start(
    tx: &mut Tx,
    c: &Collaboration,
) -> Result<Result<(), AppError>, StoreError> {
    if let Some(next) = tx.next_cycle_of(c.id).await? {
        return Ok(Err(already_started(&next)));
    }
    if c.stage != Stage::Review {
        return Ok(Err(AppError::Conflict(format!(
            "The next cycle can only be started in the Review stage. This collaboration is in the {} stage: move it on to Review first.",
            c.stage.label()
        ))));
    }
    Ok(Ok(()))
}

async fn plan_in(tx: &mut Tx, scope: &CollabScope, acting: i64) -> Result<NextCyclePlan, AppError> {
    let collaboration = tx.collaboration(scope).await?;
    let refused = match check_can_start(tx, &collaboration).await? {
        Ok(()) => None,
        Err(e) => Some(e.detail()),
    };
    let number = tx.cycle_number(scope).await? + 1;
    let aims = tx
        .reviewed_aims(scope)
        .await?
        .into_iter()
        .filter(|a| aim_is_open(a.review.as_ref().map(|r| r.outcome)))
        .map(|a| a.title)
        .collect();
    let invited = tx
        .participants(scope)
        .await?
        .into_iter()
        .filter(|p| p.organisation_id != acting)
        .map(|p| (p.organisation_id, p.name, p.role))
        .collect();
    Ok(NextCyclePlan {
        title: cycle_title(&collaboration.title, number),
        lead_name: org_name(tx, acting).await?,
        aims,
        lessons: tx.count_lessons(scope).await?,
        invited,
        refused,
        collaboration,
    })
}

pub async fn next_cycle_plan(
    state: &AppState,
    actor: &Actor,
    id: i64,
) -> Result<NextCyclePlan, AppError> {
    let mut tx = state.store.read().await?;
    let (scope, acting) = lead_scope(&mut tx, actor, id).await?;
    plan_in(&mut tx, &scope, acting).await
}

/// Starts the next cycle and returns the new collaboration.
pub async fn start_next_cycle(
    state: &AppState,
    actor: &Actor,
    id: i64,
) -> Result<Collaboration, AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    // Two starts at once queue here; the unique previous_id is the backstop.
    tx.lock_collaboration(id).await?;
    let (scope, acting) = lead_scope(&mut tx, actor, id).await?;
    let plan = plan_in(&mut tx, &scope, acting).await?;
    if let Some(why) = &plan.refused {
        return Err(AppError::Conflict(why.clone()));
    }
    let c = &plan.collaboration;
    let details = CollaborationDetails::parse(&plan.title, &c.purpose)
        .map_err(|e| AppError::Internal(format!("next cycle details: {e}")))?;
    let next = tx
        .create_collaboration(acting, &details, actor.user.id, now)
        .await?;
    let next_scope = tx
        .collab_scope(actor.user.id, next.id)
        .await?
        .ok_or_else(|| AppError::Internal("the next cycle's lead was not found".into()))?;
    match tx.link_next_cycle(&scope, &next_scope).await {
        Ok(()) => {}
        Err(StoreError::Conflict(_)) => {
            drop(tx);
            let mut read = state.store.read().await?;
            return Err(match read.next_cycle_of(id).await? {
                Some(n) => already_started(&n),
                None => AppError::Conflict(
                    "Someone else started the next cycle at the same moment. Open the collaboration again to find it."
                        .into(),
                ),
            });
        }
        Err(e) => return Err(e.into()),
    }
    let carried = tx
        .carry_over(&scope, &next_scope, actor.user.id, now)
        .await?;
    let lead_name = plan.lead_name.clone();
    let message = format!(
        "This is the next cycle of \u{201c}{}\u{201d}, which your organisation took part in.",
        c.title
    );
    let mut sent = Vec::new();
    for (org, name, role) in &plan.invited {
        if let Ok(inv) = tx
            .invite_organisation(
                &next_scope,
                *org,
                *role,
                &message,
                actor.user.id,
                acting,
                now,
            )
            .await?
        {
            record_in_collaboration(
                &mut tx,
                actor,
                next.id,
                acting,
                now,
                "invitation.sent",
                format!("Invited {name} to join as {}.", with_article(role.label())),
            )
            .await?;
            let admins = tx.admin_emails(*org).await?;
            sent.push((inv, name.clone(), admins));
        }
    }
    let names: Vec<&str> = plan.invited.iter().map(|(_, n, _)| n.as_str()).collect();
    let carried_words = format!(
        "{} aims still open and {} lessons carried over{}",
        carried.aims.len(),
        carried.lessons,
        if names.is_empty() {
            String::new()
        } else {
            format!("; {} invited again", names.join(", "))
        }
    );
    record_in_collaboration(
        &mut tx,
        actor,
        id,
        acting,
        now,
        "collaboration.next_cycle_started",
        format!(
            "Started the next cycle, \u{201c}{}\u{201d}: {carried_words}.",
            next.title
        ),
    )
    .await?;
    record_in_collaboration(
        &mut tx,
        actor,
        next.id,
        acting,
        now,
        "collaboration.opened",
        format!(
            "Opened as the next cycle of \u{201c}{}\u{201d}, in the Identify stage: {carried_words}.",
            c.title
        ),
    )
    .await?;
    tx.commit().await?;
    for (inv, name, admins) in sent {
        super::invitations::email_invitation(state, admins, &lead_name, &name, &inv).await;
    }
    Ok(next)
}
