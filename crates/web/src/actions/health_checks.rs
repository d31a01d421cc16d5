//! Health check rounds and the Review stage page. A lead organisation's
//! admin opens a round; every member of the lead and partner organisations
//! at that moment is invited, in the app and by email. Observers and
//! facilitators read the results but are not asked: the check is about how
//! the partners find working together.
//!
//! A person sees and changes only their own answers, and only while the
//! round is open. Everything else anyone sees of the answers comes from
//! `commonground_domain::health_checks::results`, which applies the
//! anonymity rules; the audit trail says only who answered, never what.

use super::collaborations::{collab_for, collab_scope_for};
use super::*;
use crate::AppState;
use crate::auth::Actor;
use crate::error::AppError;
use commonground_domain::FieldErrors;
use commonground_domain::health_checks::{
    Kind, Questionnaire, Results, ReviewFacts, RoundState, Unavailable, checklist, parse_answers,
    parse_closes_on, parse_comment,
};
use commonground_domain::policy::{CollabAction, may_collab};
use commonground_domain::readiness::RawAnswer;
use commonground_domain::stage::{ChecklistItem, completion_percent};
use commonground_store::Tx;
use commonground_store::collaborations::{CollabScope, Collaboration, Participant};
use commonground_store::health_checks::{OwnResponse, Round};
use std::collections::BTreeMap;

pub(crate) fn state_of(round: &Round, today: &str) -> RoundState {
    RoundState {
        closed_by_lead: round.closed_at.is_some(),
        closes_on: round.closes_on.clone(),
        today: today.to_string(),
        invited: round.invited as usize,
        respondents: round.respondents as usize,
    }
}

/// Whether the round takes no more answers.
pub fn is_closed(round: &Round, today: &str) -> bool {
    state_of(round, today).is_closed()
}

/// Whether its results can be seen, and if not, why.
pub fn availability(state: &AppState, round: &Round, today: &str) -> Result<(), Unavailable> {
    commonground_domain::health_checks::availability(
        &state_of(round, today),
        state.config.health_threshold,
    )
}

/// Waiting for this person: open, invited, not yet answered.
pub fn awaits(round: &Round, today: &str) -> bool {
    round.invited_me && !round.answered_by_me && !is_closed(round, today)
}

fn may_lead(scope: &CollabScope, actor: &Actor) -> Option<i64> {
    may_collab(
        scope.participations(),
        CollabAction::ManageParticipants,
        actor.acting_organisation_id,
    )
}

const LEADS_ONLY: &str = "Only an admin of the lead organisation can open or close a health check round. Ask one of them.";

pub(crate) async fn review_facts(
    state: &AppState,
    tx: &mut Tx,
    scope: &CollabScope,
    today: &str,
) -> Result<ReviewFacts, AppError> {
    // Counts only: no one's own standing, so the facts can be kept for all.
    let rounds = tx.health_rounds(scope, 0).await?;
    let (aims, aims_reviewed) = tx.aim_review_counts(scope).await?;
    Ok(ReviewFacts {
        aims,
        aims_reviewed,
        lessons: tx.count_lessons(scope).await?,
        forward: tx.forward_facts(scope).await?,
        collaboration_id: scope.collaboration_id(),
        rounds: rounds.len() as i64,
        rounds_with_results: rounds
            .iter()
            .filter(|r| availability(state, r, today).is_ok())
            .count() as i64,
        open_rounds: rounds.iter().filter(|r| !is_closed(r, today)).count() as i64,
    })
}

/// The Review stage page.
#[derive(Debug, Clone)]
pub struct ReviewOverview {
    pub collaboration: Collaboration,
    pub checklist: Vec<ChecklistItem>,
    pub percent: u8,
    pub rounds: Vec<Round>,
    pub today: String,
    /// A lead organisation's admin: may open and close rounds.
    pub can_lead: bool,
    pub can_contribute: bool,
    pub threshold: usize,
    /// The way forward and the next cycle (`actions::forward`).
    pub forward: super::forward::ReviewSection,
}

pub async fn review_overview(
    state: &AppState,
    actor: &Actor,
    id: i64,
) -> Result<ReviewOverview, AppError> {
    let today = super::tasks::today(state);
    let mut tx = state.store.read().await?;
    let (scope, _, collaboration, revision) =
        collab_for(&mut tx, actor, id, CollabAction::View).await?;
    let facts = super::stages::stage_facts_at(state, &mut tx, &scope, revision)
        .await?
        .review
        .clone();
    let rounds = tx.health_rounds(&scope, actor.user.id).await?;
    let checklist = checklist(&facts);
    let forward = super::forward::review_section(&mut tx, &scope, actor).await?;
    Ok(ReviewOverview {
        forward,
        collaboration,
        percent: completion_percent(&checklist),
        checklist,
        rounds,
        today,
        can_lead: may_lead(&scope, actor).is_some(),
        can_contribute: may_collab(
            scope.participations(),
            CollabAction::Contribute,
            actor.acting_organisation_id,
        )
        .is_some(),
        threshold: state.config.health_threshold.get(),
    })
}

/// The collaboration's rounds, newest first, as the person sees them.
pub async fn rounds(
    state: &AppState,
    actor: &Actor,
    id: i64,
) -> Result<(Vec<Round>, String), AppError> {
    let today = super::tasks::today(state);
    let mut tx = state.store.read().await?;
    let (scope, _) = collab_scope_for(&mut tx, actor, id, CollabAction::View).await?;
    Ok((tx.health_rounds(&scope, actor.user.id).await?, today))
}

/// Rounds waiting for the person's answers, for the collaboration page.
pub(crate) async fn awaiting_in(
    state: &AppState,
    tx: &mut Tx,
    scope: &CollabScope,
    user_id: i64,
) -> Result<Vec<Round>, AppError> {
    let today = super::tasks::today(state);
    Ok(tx
        .health_rounds(scope, user_id)
        .await?
        .into_iter()
        .filter(|r| awaits(r, &today))
        .collect())
}

/// Opens a round and tells everyone invited.
pub async fn open_round(
    state: &AppState,
    actor: &Actor,
    id: i64,
    kind: &str,
    closes_on: &str,
) -> Result<Round, AppError> {
    let today = super::tasks::today(state);
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let (scope, _) = collab_scope_for(&mut tx, actor, id, CollabAction::View).await?;
    let acting = may_lead(&scope, actor).ok_or_else(|| AppError::Forbidden(LEADS_ONLY.into()))?;
    let mut errors = FieldErrors::new();
    let kind_parsed = Kind::parse_code(kind);
    if kind_parsed.is_none() {
        errors.add("kind", "Choose a quick pulse or a full review.");
    }
    let date = errors.take(parse_closes_on(closes_on, &today));
    errors.into_result()?;
    let (Some(kind), Some(date)) = (kind_parsed, date) else {
        return Err(AppError::Internal("checked above".into()));
    };
    if tx
        .health_rounds(&scope, actor.user.id)
        .await?
        .iter()
        .any(|r| !is_closed(r, &today))
    {
        return Err(AppError::Conflict(
            "A health check round is already open. Close it, or wait for it to close, before opening another.".into(),
        ));
    }
    let hid = tx
        .open_health_round(&scope, kind, &date, actor.user.id, now)
        .await?;
    let round = tx
        .health_round(&scope, hid, actor.user.id)
        .await?
        .ok_or(AppError::NotFound)?;
    record_in_collaboration(
        &mut tx,
        actor,
        id,
        acting,
        now,
        "health_check.opened",
        format!(
            "Opened health check round {} ({}), closing on {date}.",
            round.number,
            kind.label().to_lowercase()
        ),
    )
    .await?;
    let invitees = tx.health_invitees(hid).await?;
    let title = tx.collaboration(&scope).await?.title;
    tx.commit().await?;
    let link = state.config.link(&format!("/health-checks/{hid}"));
    for person in invitees {
        notify(
            state,
            &person.email,
            &format!("How is \u{201c}{title}\u{201d} going? A health check is open"),
            format!(
                "Hello {},\n\nA health check of the collaboration \u{201c}{title}\u{201d} is open until {date}: {}.\n\n\
                 Your answers are never shown to anyone on their own. Results are shown only once the round \
                 closes, and only when enough people have answered that nobody can be singled out.\n\n\
                 Answer here:\n{link}\n",
                person.name,
                kind.summary().to_lowercase().trim_end_matches('.'),
            ),
        )
        .await;
    }
    Ok(round)
}

/// One round as the person sees it: the questions and their own answers.
#[derive(Debug, Clone)]
pub struct RoundDetail {
    pub collaboration: Collaboration,
    pub round: Round,
    pub questionnaire: Questionnaire,
    pub own: Option<OwnResponse>,
    pub closed: bool,
    /// Invited, and the round is open.
    pub can_answer: bool,
    pub can_close: bool,
    pub today: String,
}

async fn round_scope(tx: &mut Tx, actor: &Actor, hid: i64) -> Result<(CollabScope, i64), AppError> {
    let id = tx
        .health_round_collaboration_id(hid)
        .await?
        .ok_or(AppError::NotFound)?;
    collab_scope_for(tx, actor, id, CollabAction::View).await
}

pub async fn round_detail(
    state: &AppState,
    actor: &Actor,
    hid: i64,
) -> Result<RoundDetail, AppError> {
    let mut tx = state.store.read().await?;
    Ok(round_detail_in(state, &mut tx, actor, hid).await?.0)
}

/// [`round_detail`] in a read the caller goes on with, with the
/// collaboration's participants and all its rounds (newest first): the
/// round's collaboration id first, then the collaboration, its
/// participants and the person's access to it in one statement.
async fn round_detail_in(
    state: &AppState,
    tx: &mut Tx,
    actor: &Actor,
    hid: i64,
) -> Result<(RoundDetail, Vec<Participant>, Vec<Round>), AppError> {
    let today = super::tasks::today(state);
    let id = tx
        .health_round_collaboration_id(hid)
        .await?
        .ok_or(AppError::NotFound)?;
    let (read, _) = super::collaborations::collaboration_read(tx, actor, id).await?;
    let (scope, collaboration, participants) = (read.scope, read.collaboration, read.participants);
    // Every round of the collaboration (a handful a year), newest first:
    // the results page's trend needs them, and this one is among them.
    let rounds = tx.health_rounds(&scope, actor.user.id).await?;
    let round = rounds
        .iter()
        .find(|r| r.id == hid)
        .cloned()
        .ok_or(AppError::NotFound)?;
    let questionnaire = (*questionnaire(state, tx, round.questionnaire_id).await?).clone();
    let own = tx.own_health_response(hid, actor.user.id).await?;
    let closed = is_closed(&round, &today);
    let detail = RoundDetail {
        collaboration,
        can_answer: round.invited_me && !closed,
        can_close: may_lead(&scope, actor).is_some() && !closed,
        closed,
        round,
        questionnaire,
        own,
        today,
    };
    Ok((detail, participants, rounds))
}

/// Saves the person's answers, replacing their earlier ones whole.
pub async fn answer(
    state: &AppState,
    actor: &Actor,
    hid: i64,
    raw: &[(String, RawAnswer)],
    comment: &str,
    prefix: &str,
) -> Result<(), AppError> {
    let today = super::tasks::today(state);
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let (scope, _) = round_scope(&mut tx, actor, hid).await?;
    let round = tx
        .health_round(&scope, hid, actor.user.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let Some(organisation) = tx.health_invitee_organisation(hid, actor.user.id).await? else {
        return Err(AppError::Forbidden(
            "You were not asked to answer this round: it goes to the members of the lead and partner organisations when it opens. You can read its results once it closes.".into(),
        ));
    };
    if is_closed(&round, &today) {
        return Err(AppError::Conflict(
            "This round has closed, so answers can no longer be given or changed.".into(),
        ));
    }
    let questionnaire = tx.health_questionnaire(round.questionnaire_id).await?;
    let mut errors = match parse_answers(&questionnaire, raw, prefix) {
        Ok(_) => FieldErrors::new(),
        Err(e) => e,
    };
    errors.take(parse_comment(comment));
    errors.into_result()?;
    let answers = parse_answers(&questionnaire, raw, prefix)?;
    let comment = parse_comment(comment).map_err(|e| AppError::invalid(&e.field, &e.message))?;
    tx.save_health_response(hid, actor.user.id, organisation, &answers, &comment, now)
        .await?;
    // The trail says who answered, never what.
    record_in_collaboration(
        &mut tx,
        actor,
        scope.collaboration_id(),
        organisation,
        now,
        "health_check.answered",
        "Answered the health check.".to_string(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Closes a round now (leads).
pub async fn close(state: &AppState, actor: &Actor, hid: i64) -> Result<Round, AppError> {
    let today = super::tasks::today(state);
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let (scope, _) = round_scope(&mut tx, actor, hid).await?;
    let acting = may_lead(&scope, actor).ok_or_else(|| AppError::Forbidden(LEADS_ONLY.into()))?;
    let round = tx
        .health_round(&scope, hid, actor.user.id)
        .await?
        .ok_or(AppError::NotFound)?;
    if is_closed(&round, &today) || !tx.close_health_round(&scope, hid, now).await? {
        return Err(AppError::Conflict("This round has already closed.".into()));
    }
    record_in_collaboration(
        &mut tx,
        actor,
        scope.collaboration_id(),
        acting,
        now,
        "health_check.closed",
        format!(
            "Closed health check round {}, with {} of {} invited answering.",
            round.number, round.respondents, round.invited
        ),
    )
    .await?;
    let round = tx
        .health_round(&scope, hid, actor.user.id)
        .await?
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(round)
}

/// One earlier or later round's headline figures, for the trend.
#[derive(Debug, Clone)]
pub struct TrendPoint {
    pub round_number: i64,
    pub closes_on: String,
    pub respondents: usize,
    /// Mean per axis (group for a full review, question for a pulse), by
    /// code; None when too few gave it a value.
    pub means: Vec<Option<f64>>,
}

/// A round's results (or why not), with the organisations' names and the
/// trend across the collaboration's rounds of the same kind.
#[derive(Debug, Clone)]
pub struct RoundResults {
    pub detail: RoundDetail,
    pub results: Result<Results, Unavailable>,
    pub names: BTreeMap<i64, String>,
    /// The chart's axes: (code, label).
    pub axes: Vec<(String, String)>,
    /// Oldest first, including this round when it can be shown.
    pub trend: Vec<TrendPoint>,
}

pub(crate) fn axes(q: &Questionnaire) -> Vec<(String, String)> {
    match q.kind {
        Kind::Full => q
            .groups
            .iter()
            .map(|g| (g.code.clone(), g.label.clone()))
            .collect(),
        Kind::Pulse => q
            .questions()
            .map(|(_, x)| (x.code.clone(), x.label.clone()))
            .collect(),
    }
}

/// The mean on each axis, matched by code.
pub fn axis_means(q: &Questionnaire, r: &Results, axes: &[(String, String)]) -> Vec<Option<f64>> {
    axes.iter()
        .map(|(code, _)| match q.kind {
            Kind::Full => r
                .groups
                .iter()
                .find(|g| &g.code == code)
                .and_then(|g| g.stats.as_ref().map(|s| s.mean)),
            Kind::Pulse => q
                .questions()
                .find(|(_, x)| &x.code == code)
                .and_then(|(_, x)| r.questions.iter().find(|y| y.id == x.id))
                .and_then(|y| y.stats.as_ref().map(|s| s.mean)),
        })
        .collect()
}

pub async fn results(state: &AppState, actor: &Actor, hid: i64) -> Result<RoundResults, AppError> {
    let mut tx = state.store.read().await?;
    let (detail, participants, mut rounds) = round_detail_in(state, &mut tx, actor, hid).await?;
    let today = detail.today.clone();
    let names: BTreeMap<i64, String> = participants
        .into_iter()
        .map(|p| (p.organisation_id, p.name))
        .collect();
    let axes = axes(&detail.questionnaire);
    let mut trend = Vec::new();
    let mut results = Err(Unavailable::StillOpen {
        closes_on: detail.round.closes_on.clone(),
    });
    // Oldest first, for the trend. Rounds are few (a handful a year), so
    // each one's results are worked out (or found kept) on their own.
    rounds.reverse();
    for r in rounds
        .iter()
        .filter(|r| r.kind == detail.round.kind && r.number <= detail.round.number)
    {
        if r.id != hid && availability(state, r, &today).is_err() {
            continue;
        }
        let questionnaire = if r.questionnaire_id == detail.questionnaire.id {
            detail.questionnaire.clone()
        } else {
            (*questionnaire(state, &mut tx, r.questionnaire_id).await?).clone()
        };
        let out = round_results(state, &mut tx, r, &questionnaire, &today).await?;
        if let Ok(res) = &out {
            trend.push(TrendPoint {
                round_number: r.number,
                closes_on: r.closes_on.clone(),
                respondents: res.respondents,
                means: axis_means(&questionnaire, res, &axes),
            });
        }
        if r.id == hid {
            results = out;
        }
    }
    Ok(RoundResults {
        detail,
        results,
        names,
        axes,
        trend,
    })
}

/// What a round's answers add up to. A round that takes no more answers
/// can only lose responses (when a person or an organisation is deleted),
/// so each server keeps its results by the number of responses, the
/// closing facts and the threshold; an open round is added up afresh.
async fn round_results(
    state: &AppState,
    tx: &mut commonground_store::Tx,
    r: &Round,
    questionnaire: &Questionnaire,
    today: &str,
) -> Result<Result<Results, Unavailable>, AppError> {
    let threshold = state.config.health_threshold;
    let round_state = state_of(r, today);
    let closed = round_state.is_closed();
    let revision = HealthRevision {
        respondents: r.respondents,
        invited: r.invited,
        closed_at: r.closed_at,
        closes_on: r.closes_on.clone(),
    };
    if closed && let Some(kept) = state.health_results.get(&r.id, &revision) {
        return Ok((*kept).clone());
    }
    let responses = tx.health_responses(r.id).await?;
    let out = commonground_domain::health_checks::results(
        questionnaire,
        &round_state,
        &responses,
        threshold,
    );
    if closed && responses.len() == r.respondents as usize {
        state
            .health_results
            .put(r.id, revision, std::sync::Arc::new(out.clone()));
    }
    Ok(out)
}

/// The facts a closed round's kept results were worked out at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HealthRevision {
    respondents: i64,
    invited: i64,
    closed_at: Option<i64>,
    closes_on: String,
}

/// Health check questionnaires by id. They are written only by
/// migrations and never changed: a new version of the questions is a new
/// questionnaire with a new id, and rounds keep the id they opened with.
/// So each server reads one once and keeps it.
pub type Questionnaires = crate::cache::Versioned<i64, (), Questionnaire>;

/// The questionnaire with this id, read once per server (see
/// [`Questionnaires`]).
async fn questionnaire(
    state: &AppState,
    tx: &mut Tx,
    id: i64,
) -> Result<std::sync::Arc<Questionnaire>, AppError> {
    if let Some(kept) = state.questionnaires.get(&id, &()) {
        return Ok(kept);
    }
    let read = std::sync::Arc::new(tx.health_questionnaire(id).await?);
    state
        .questionnaires
        .put(id, (), std::sync::Arc::clone(&read));
    Ok(read)
}

/// Closed rounds' results, by round: see [`round_results`].
pub type HealthResultsCache =
    crate::cache::Versioned<i64, HealthRevision, Result<Results, Unavailable>>;

/// The radar chart of a round's results, readable without colour, with a
/// text alternative; when the results cannot be shown, a chart that says so.
pub fn chart(v: &RoundResults) -> String {
    use commonground_report::radar::{Series, radar_svg};
    let labels: Vec<String> = v.axes.iter().map(|(_, l)| l.clone()).collect();
    let max = v.detail.round.kind.max();
    let round = &v.detail.round;
    let mut series = Vec::new();
    let title = match &v.results {
        Ok(r) => {
            series.push(Series {
                name: format!("Everyone ({} people)", r.respondents),
                values: axis_means(&v.detail.questionnaire, r, &v.axes),
            });
            for o in &r.organisations {
                let per_org = Results {
                    groups: o.groups.clone(),
                    questions: o.questions.clone(),
                    ..r.clone()
                };
                series.push(Series {
                    name: format!(
                        "{} ({} people)",
                        v.names
                            .get(&o.organisation_id)
                            .cloned()
                            .unwrap_or_else(|| "An organisation".into()),
                        o.respondents
                    ),
                    values: axis_means(&v.detail.questionnaire, &per_org, &v.axes),
                });
            }
            format!(
                "Health check round {}: average rating out of {max}",
                round.number
            )
        }
        Err(why) => format!(
            "Health check round {}: no results to show. {}",
            round.number,
            why.sentence()
        ),
    };
    radar_svg(
        &format!("health-{}", round.id),
        &title,
        &labels,
        &series,
        max,
    )
}

/// The chart, for the API.
pub async fn chart_svg(state: &AppState, actor: &Actor, hid: i64) -> Result<String, AppError> {
    Ok(chart(&results(state, actor, hid).await?))
}
