//! Decisions by vote. Everyone taking part reads the proposals; all but
//! observers put new ones to a governance body. Each lead and partner
//! organisation has one vote, cast by one of its admins or by the person
//! who sits on the body for it (`policy::may_vote_for`), with a reason,
//! and changeable until voting closes. The result is counted on every read
//! from the votes and the partners at that moment
//! (`domain::proposals::count`), until the outcome is written: then the
//! result it was written against is kept with it.
//!
//! The proposer, or anyone acting for the lead organisation, may close
//! voting early and writes the outcome once the result is decided.

use super::collaborations::collab_scope_for;
use super::*;
use crate::AppState;
use crate::auth::Actor;
use crate::error::AppError;
use commonground_domain::FieldErrors;
use commonground_domain::policy::{CollabAction, may_collab, may_vote_for};
use commonground_domain::proposals::{
    Count, ProposalFields, ProposalInput, check_open, count, is_closed, parse_outcome, parse_vote,
};
use commonground_store::collaborations::{CollabScope, Collaboration};
use commonground_store::governance::GovernanceBody;
use commonground_store::proposals::{NewProposal, Proposal, Vote, Voter};
use commonground_store::tasks::Page;

/// Proposals on one page of the list.
pub const PAGE_SIZE: i64 = 20;
pub const MAX_PAGE_SIZE: i64 = 100;

/// A proposal with its votes and the count now.
#[derive(Debug, Clone)]
pub struct ProposalView {
    pub proposal: Proposal,
    pub votes: Vec<Vote>,
    /// The organisations that vote now.
    pub voters: Vec<Voter>,
    /// Closed by date or by hand.
    pub closed: bool,
    pub count: Count,
}

impl ProposalView {
    /// The organisations that can vote and have not, by name.
    pub fn not_voted(&self) -> Vec<&Voter> {
        self.voters
            .iter()
            .filter(|v| self.count.not_voted.contains(&v.organisation_id))
            .collect()
    }

    /// Decided, and the outcome is not written yet.
    pub fn awaits_outcome(&self) -> bool {
        self.count.decided && self.proposal.outcome.is_empty()
    }
}

fn view(p: Proposal, votes: Vec<Vote>, voters: &[Voter], today: &str) -> ProposalView {
    let closed = is_closed(&p.closes_on, today, p.closed_at.is_some());
    let partners: Vec<i64> = voters.iter().map(|v| v.organisation_id).collect();
    let leads: Vec<i64> = voters
        .iter()
        .filter(|v| v.lead)
        .map(|v| v.organisation_id)
        .collect();
    let ballots: Vec<_> = votes.iter().map(Vote::ballot).collect();
    let mut c = count(
        p.decision_rule,
        p.quorum,
        &ballots,
        &partners,
        &leads,
        closed,
    );
    // Once the outcome is written, the result it was written against stands.
    if let Some(result) = p.result {
        c.standing = result;
        c.decided = true;
        c.reasoning = p.result_reasoning.clone();
    }
    ProposalView {
        proposal: p,
        votes,
        voters: voters.to_vec(),
        closed,
        count: c,
    }
}

pub(crate) async fn read_view(
    tx: &mut Tx,
    scope: &CollabScope,
    pid: i64,
    today: &str,
) -> Result<ProposalView, AppError> {
    let p = tx.proposal(scope, pid).await?.ok_or(AppError::NotFound)?;
    let votes = tx.proposal_votes(scope, &[pid]).await?;
    let voters = tx.proposal_electorate(scope).await?;
    Ok(view(p, votes, &voters, today))
}

fn can_contribute(scope: &CollabScope, actor: &Actor) -> bool {
    may_collab(
        scope.participations(),
        CollabAction::Contribute,
        actor.acting_organisation_id,
    )
    .is_some()
}

/// The proposer, or someone acting for the lead organisation.
fn may_manage(scope: &CollabScope, actor: &Actor, p: &Proposal) -> bool {
    p.proposer_id == Some(actor.user.id)
        || may_collab(scope.participations(), CollabAction::EditDetails, None).is_some()
}

#[derive(Debug, Clone)]
pub struct ProposalList {
    pub collaboration: Collaboration,
    pub total: i64,
    pub items: Vec<ProposalView>,
    pub page: Page,
    /// The bodies a proposal can be put to.
    pub bodies: Vec<GovernanceBody>,
    pub today: String,
    pub can_contribute: bool,
}

/// The page number and size, as sent.
pub fn parse_page(page: &str, per_page: &str) -> Result<Page, FieldErrors> {
    let mut errors = FieldErrors::new();
    let page = super::page_of(&mut errors, page, per_page, PAGE_SIZE, MAX_PAGE_SIZE);
    errors.into_result()?;
    Ok(page)
}

pub async fn proposal_list(
    state: &AppState,
    actor: &Actor,
    id: i64,
    page: Page,
) -> Result<ProposalList, AppError> {
    let today = super::tasks::today(state);
    let mut tx = state.store.read().await?;
    let (scope, _) = collab_scope_for(&mut tx, actor, id, CollabAction::View).await?;
    let (total, proposals) = tx.proposals(&scope, page).await?;
    let ids: Vec<i64> = proposals.iter().map(|p| p.id).collect();
    let mut votes = tx.proposal_votes(&scope, &ids).await?;
    let voters = tx.proposal_electorate(&scope).await?;
    let items = proposals
        .into_iter()
        .map(|p| {
            let (mine, rest): (Vec<Vote>, Vec<Vote>) =
                votes.drain(..).partition(|v| v.proposal_id == p.id);
            votes = rest;
            view(p, mine, &voters, &today)
        })
        .collect();
    Ok(ProposalList {
        collaboration: tx.collaboration(&scope).await?,
        total,
        items,
        page,
        bodies: tx.governance_bodies(&scope).await?,
        today,
        can_contribute: can_contribute(&scope, actor),
    })
}

pub async fn create_proposal(
    state: &AppState,
    actor: &Actor,
    id: i64,
    input: &ProposalInput<'_>,
) -> Result<ProposalView, AppError> {
    let now = state.clock.now();
    let today = super::tasks::today(state);
    let mut tx = state.store.write().await?;
    let (scope, acting) = collab_scope_for(&mut tx, actor, id, CollabAction::Contribute).await?;
    let fields = ProposalFields::parse(input, &today)?;
    let body = tx
        .governance_body(&scope, fields.body_id)
        .await?
        .ok_or_else(|| {
            AppError::invalid(
                "body_id",
                "Choose one of this collaboration's governance groups.",
            )
        })?;
    let (pid, told) = put_to_body(&mut tx, actor, &scope, acting, &fields, &body, now).await?;
    let v = read_view(&mut tx, &scope, pid, &today).await?;
    tx.commit().await?;
    super::notifications::deliver(state, told).await;
    Ok(v)
}

/// Puts a checked proposal to one of the collaboration's governance groups
/// in the caller's transaction: saves it with the group's rule and quorum,
/// records it in the trail and tells everyone who can vote. Returns the
/// proposal's id and how many were told (for
/// [`super::notifications::deliver`] after the commit).
pub(crate) async fn put_to_body(
    tx: &mut Tx,
    actor: &Actor,
    scope: &CollabScope,
    acting: i64,
    fields: &ProposalFields,
    body: &GovernanceBody,
    now: i64,
) -> Result<(i64, u64), AppError> {
    let id = scope.collaboration_id();
    let pid = tx
        .create_proposal(
            scope,
            NewProposal {
                fields,
                body_name: &body.name,
                decision_rule: body.decision_rule,
                quorum: body.quorum,
                proposer_id: actor.user.id,
                proposer_name: &actor.user.name,
                proposer_organisation_id: acting,
            },
            now,
        )
        .await?;
    record_in_collaboration(
        tx,
        actor,
        id,
        acting,
        now,
        "proposal.created",
        format!(
            "Put the proposal \u{201c}{}\u{201d} to {}, voting until {}.",
            fields.title, body.name, fields.closes_on
        ),
    )
    .await?;
    // Everyone who can cast a vote is told that voting is open.
    let voters = tx
        .proposal_voters(scope.collaboration_id(), Some(body.id))
        .await?;
    let title = tx.collaboration(scope).await?.title;
    let sentence = format!(
        "{} put \u{201c}{}\u{201d} to {} in \u{201c}{title}\u{201d}. Voting is open until the end of {}.",
        actor.user.name, fields.title, body.name, fields.closes_on
    );
    let told = super::notifications::notify(
        tx,
        actor,
        &voters,
        commonground_domain::notifications::Kind::VoteOpened,
        scope.collaboration_id(),
        &sentence,
        &format!("/proposals/{pid}"),
        &format!("vote_opened:{pid}"),
        now,
    )
    .await?;
    Ok((pid, told))
}

/// A proposal with what the person may do with it.
#[derive(Debug, Clone)]
pub struct ProposalDetail {
    pub collaboration: Collaboration,
    pub view: ProposalView,
    /// The organisations this person may cast the vote of, (id, name).
    pub speaks_for: Vec<(i64, String)>,
    /// Close early and write the outcome: the proposer or the lead.
    pub can_manage: bool,
    pub today: String,
}

async fn proposal_scope(
    tx: &mut Tx,
    actor: &Actor,
    pid: i64,
) -> Result<(CollabScope, i64), AppError> {
    let id = tx
        .proposal_collaboration_id(pid)
        .await?
        .ok_or(AppError::NotFound)?;
    collab_scope_for(tx, actor, id, CollabAction::View).await
}

/// May this person cast `organisation`'s vote on `p`? The reason when not.
async fn vote_allowed(
    tx: &mut Tx,
    scope: &CollabScope,
    actor: &Actor,
    p: &Proposal,
    organisation: i64,
) -> Result<Result<(), &'static str>, AppError> {
    let participation = scope
        .participations()
        .iter()
        .find(|x| x.organisation_id == organisation);
    let on_body = match (participation, p.body_id) {
        (Some(_), Some(body)) => {
            tx.sits_on_body_for(scope, body, actor.user.id, organisation)
                .await?
        }
        _ => false,
    };
    Ok(may_vote_for(participation, on_body))
}

pub async fn proposal_detail(
    state: &AppState,
    actor: &Actor,
    pid: i64,
) -> Result<ProposalDetail, AppError> {
    let today = super::tasks::today(state);
    let mut tx = state.store.read().await?;
    let (scope, _) = proposal_scope(&mut tx, actor, pid).await?;
    let v = read_view(&mut tx, &scope, pid, &today).await?;
    let mut speaks_for = Vec::new();
    for voter in &v.voters {
        if vote_allowed(&mut tx, &scope, actor, &v.proposal, voter.organisation_id)
            .await?
            .is_ok()
        {
            speaks_for.push((voter.organisation_id, voter.name.clone()));
        }
    }
    Ok(ProposalDetail {
        collaboration: tx.collaboration(&scope).await?,
        can_manage: may_manage(&scope, actor, &v.proposal),
        view: v,
        speaks_for,
        today,
    })
}

/// A vote as sent.
#[derive(Debug, Clone, Copy, Default)]
pub struct VoteInput<'a> {
    pub organisation_id: &'a str,
    pub choice: &'a str,
    pub reason: &'a str,
}

pub async fn cast_vote(
    state: &AppState,
    actor: &Actor,
    pid: i64,
    input: &VoteInput<'_>,
) -> Result<ProposalView, AppError> {
    let now = state.clock.now();
    let today = super::tasks::today(state);
    let mut tx = state.store.write().await?;
    let (scope, _) = proposal_scope(&mut tx, actor, pid).await?;
    let p = tx.proposal(&scope, pid).await?.ok_or(AppError::NotFound)?;
    let organisation = match input.organisation_id.trim().parse::<i64>() {
        Ok(o) if o > 0 => o,
        _ => {
            return Err(AppError::invalid(
                "organisation_id",
                "Choose the organisation you are voting for.",
            ));
        }
    };
    if let Err(why) = vote_allowed(&mut tx, &scope, actor, &p, organisation).await? {
        return Err(AppError::Forbidden(why.to_string()));
    }
    check_open(&p.closes_on, &today, p.closed_at.is_some()).map_err(|e| AppError::Conflict(e.0))?;
    let (choice, reason) = parse_vote(p.decision_rule, input.choice, input.reason)?;
    let earlier = tx
        .proposal_votes(&scope, &[pid])
        .await?
        .into_iter()
        .any(|v| v.organisation_id == organisation);
    tx.upsert_vote(
        &scope,
        pid,
        organisation,
        choice,
        &reason,
        actor.user.id,
        &actor.user.name,
        now,
    )
    .await?;
    let name = org_name(&mut tx, organisation).await?;
    record_in_collaboration(
        &mut tx,
        actor,
        scope.collaboration_id(),
        organisation,
        now,
        "proposal.voted",
        format!(
            "{} the vote of {name} on \u{201c}{}\u{201d}: {}.",
            if earlier { "Changed" } else { "Cast" },
            p.title,
            choice.label().to_lowercase()
        ),
    )
    .await?;
    let v = read_view(&mut tx, &scope, pid, &today).await?;
    tx.commit().await?;
    Ok(v)
}

fn manage_refused() -> AppError {
    AppError::Forbidden(
        "Only the person who made the proposal, or the lead organisation, can do this.".into(),
    )
}

pub async fn close_proposal(
    state: &AppState,
    actor: &Actor,
    pid: i64,
) -> Result<ProposalView, AppError> {
    let now = state.clock.now();
    let today = super::tasks::today(state);
    let mut tx = state.store.write().await?;
    let (scope, acting) = proposal_scope(&mut tx, actor, pid).await?;
    let p = tx.proposal(&scope, pid).await?.ok_or(AppError::NotFound)?;
    if !can_contribute(&scope, actor) || !may_manage(&scope, actor, &p) {
        return Err(manage_refused());
    }
    if is_closed(&p.closes_on, &today, p.closed_at.is_some())
        || !tx
            .close_proposal(&scope, pid, &actor.user.name, now)
            .await?
    {
        return Err(AppError::Conflict(
            "Voting on this proposal has already closed.".into(),
        ));
    }
    record_in_collaboration(
        &mut tx,
        actor,
        scope.collaboration_id(),
        acting,
        now,
        "proposal.closed",
        format!("Closed voting early on \u{201c}{}\u{201d}.", p.title),
    )
    .await?;
    let v = read_view(&mut tx, &scope, pid, &today).await?;
    tx.commit().await?;
    Ok(v)
}

pub async fn record_outcome(
    state: &AppState,
    actor: &Actor,
    pid: i64,
    outcome: &str,
) -> Result<ProposalView, AppError> {
    let now = state.clock.now();
    let today = super::tasks::today(state);
    let mut tx = state.store.write().await?;
    let (scope, acting) = proposal_scope(&mut tx, actor, pid).await?;
    let v = read_view(&mut tx, &scope, pid, &today).await?;
    if !can_contribute(&scope, actor) || !may_manage(&scope, actor, &v.proposal) {
        return Err(manage_refused());
    }
    if !v.proposal.outcome.is_empty() {
        return Err(AppError::Conflict(
            "The outcome of this proposal is already written.".into(),
        ));
    }
    if !v.count.decided {
        return Err(AppError::Conflict(format!(
            "The result is not known yet: {} of {} organisations have voted and voting is open until {}. \
             Wait for the votes, or close voting early first.",
            v.count.voted, v.count.electorate, v.proposal.closes_on
        )));
    }
    let text = parse_outcome(outcome)?;
    let decision = commonground_domain::proposals::decision_for_outcome(
        &v.proposal.title,
        v.proposal.body_id,
        v.count.standing,
        &v.count.reasoning,
        &text,
        &today,
    );
    let did = tx
        .create_decision(&scope, &decision, (actor.user.id, &actor.user.name), now)
        .await?;
    if !tx
        .record_proposal_outcome(
            &scope,
            pid,
            &text,
            v.count.standing,
            &v.count.reasoning,
            &actor.user.name,
            did,
            now,
        )
        .await?
    {
        return Err(AppError::Conflict(
            "The outcome of this proposal is already written.".into(),
        ));
    }
    record_in_collaboration(
        &mut tx,
        actor,
        scope.collaboration_id(),
        acting,
        now,
        "proposal.outcome",
        format!(
            "Wrote the outcome of \u{201c}{}\u{201d}: {}. It is in the decisions log.",
            v.proposal.title,
            v.count.standing.label().to_lowercase()
        ),
    )
    .await?;
    let v = read_view(&mut tx, &scope, pid, &today).await?;
    tx.commit().await?;
    Ok(v)
}
