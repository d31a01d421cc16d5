//! The readiness check: reading it with the results, answering it, and
//! starting a new round to compare with the last.

use super::collaborations::collab_scope_for;
use super::record_in_collaboration;
use crate::AppState;
use crate::auth::Actor;
use crate::error::AppError;
use commonground_domain::policy::{CollabAction, may_collab};
use commonground_domain::readiness::{
    Instrument, PersonFactor, RawAnswer, Results, Thresholds, parse_answers, results,
};
use commonground_report::radar::{Series, radar_svg};
use commonground_store::collaborations::Collaboration;
use commonground_store::readiness::Round;
use std::collections::BTreeMap;
use std::sync::Arc;

/// A round's results, when enough people have answered to show them.
#[derive(Debug, Clone)]
pub struct RoundResults {
    pub round: Round,
    pub instrument: Arc<Instrument>,
    pub respondents: usize,
    /// None until at least `min_respondents` people have answered.
    pub results: Option<Arc<Results>>,
}

/// What everyone may see of a round at one revision of its answers: how
/// many answered, and the combined results once there are enough of them.
/// Each server keeps these by round and revision (see
/// [`AppState::readiness_results`]), so reading the results page does
/// not add up every answer again until an answer changes.
#[derive(Debug)]
pub struct Combined {
    pub respondents: usize,
    pub results: Option<Arc<Results>>,
}

/// Everything the readiness page and API show to one person.
#[derive(Debug, Clone)]
pub struct ReadinessView {
    pub collaboration: Collaboration,
    /// The questionnaire people answer now (the latest round's, or the
    /// newest version when no round has started).
    pub instrument: Arc<Instrument>,
    pub current: Option<RoundResults>,
    /// The round before, to compare with.
    pub previous: Option<RoundResults>,
    /// The person's own answers in the current round.
    pub my_answers: BTreeMap<i64, Option<i64>>,
    /// The person's own answers, scored on their own: always theirs to see.
    pub my_results: Results,
    pub can_answer: bool,
    pub can_open_round: bool,
    pub thresholds: Thresholds,
}

pub(crate) async fn round_results(
    state: &AppState,
    tx: &mut commonground_store::Tx,
    round: Round,
    t: &Thresholds,
) -> Result<RoundResults, AppError> {
    let instrument = state.readiness_instrument(tx, round.instrument_id).await?;
    let combined = match state.readiness_results.get(&round.id, &round.revision) {
        Some(kept) => kept,
        None => {
            let (respondents, rows) = tx.readiness_totals(&round).await?;
            let shown = respondents >= t.min_respondents.max(1);
            let combined = Arc::new(Combined {
                respondents,
                results: shown.then(|| Arc::new(results(&instrument, &rows, respondents, t))),
            });
            state
                .readiness_results
                .put(round.id, round.revision, Arc::clone(&combined));
            combined
        }
    };
    Ok(RoundResults {
        results: combined.results.clone(),
        respondents: combined.respondents,
        round,
        instrument,
    })
}

pub async fn readiness(
    state: &AppState,
    actor: &Actor,
    id: i64,
) -> Result<ReadinessView, AppError> {
    let t = state.config.readiness;
    let mut tx = state.store.read().await?;
    let (scope, _, collaboration, _) =
        super::collaborations::collab_for(&mut tx, actor, id, CollabAction::View).await?;
    let mut rounds = tx.readiness_rounds(&scope).await?.into_iter();
    let current = match rounds.next() {
        Some(r) => Some(round_results(state, &mut tx, r, &t).await?),
        None => None,
    };
    let previous = match rounds.next() {
        Some(r) => Some(round_results(state, &mut tx, r, &t).await?),
        None => None,
    };
    let instrument = match &current {
        Some(c) => c.instrument.clone(),
        None => {
            let latest = tx.latest_readiness_instrument_id().await?;
            state.readiness_instrument(&mut tx, latest).await?
        }
    };
    let my_answers: BTreeMap<i64, Option<i64>> = match &current {
        Some(c) => tx
            .my_readiness_answers(&c.round, actor.user.id)
            .await?
            .into_iter()
            .collect(),
        None => BTreeMap::new(),
    };
    let my_results = own_results(&instrument, &my_answers, &t);
    let may =
        |action| may_collab(scope.participations(), action, actor.acting_organisation_id).is_some();
    Ok(ReadinessView {
        collaboration,
        instrument,
        my_results,
        my_answers,
        can_answer: may(CollabAction::Contribute),
        can_open_round: may(CollabAction::EditDetails)
            && current.as_ref().is_some_and(|c| c.respondents > 0),
        current,
        previous,
        thresholds: t,
    })
}

/// One person's answers scored on their own.
fn own_results(
    instrument: &Instrument,
    answers: &BTreeMap<i64, Option<i64>>,
    t: &Thresholds,
) -> Results {
    let mut rows = Vec::new();
    for (_, f) in instrument.factors() {
        let values: Vec<i64> = f
            .statements
            .iter()
            .filter_map(|s| answers.get(&s.id).copied().flatten())
            .collect();
        rows.push(PersonFactor {
            person: 1,
            factor_id: f.id,
            sum: values.iter().sum(),
            count: values.len() as i64,
        });
    }
    let respondents = usize::from(!answers.is_empty());
    results(instrument, &rows, respondents, t)
}

/// Saves the person's answers in the current round (starting the first
/// round if there is none). `prefix` names fields in errors: `answers.` for
/// the API, `s` for the form.
pub async fn save_answers(
    state: &AppState,
    actor: &Actor,
    id: i64,
    raw: &[(String, RawAnswer)],
    prefix: &str,
) -> Result<usize, AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let (scope, acting) = collab_scope_for(&mut tx, actor, id, CollabAction::Contribute).await?;
    let round = match tx.readiness_rounds(&scope).await?.into_iter().next() {
        Some(r) => r,
        None => tx.open_readiness_round(&scope, actor.user.id, now).await?,
    };
    let instrument = state
        .readiness_instrument(&mut tx, round.instrument_id)
        .await?;
    let answers = parse_answers(&instrument, raw, prefix)?;
    tx.save_readiness_answers(&round, actor.user.id, acting, &answers, now)
        .await?;
    record_in_collaboration(
        &mut tx,
        actor,
        id,
        acting,
        now,
        "readiness.answered",
        format!("Answered the readiness check (round {}).", round.number),
    )
    .await?;
    tx.commit().await?;
    Ok(answers.len())
}

/// Starts a new round, so the collaboration can take the check again and
/// compare. Only the lead may, and only once the current round has answers.
pub async fn open_round(state: &AppState, actor: &Actor, id: i64) -> Result<Round, AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let (scope, acting) = collab_scope_for(&mut tx, actor, id, CollabAction::EditDetails).await?;
    let current = tx.readiness_rounds(&scope).await?.into_iter().next();
    match &current {
        None => {
            return Err(AppError::Conflict(
                "Nobody has taken the readiness check yet. Take it first; start a new round later to compare."
                    .into(),
            ));
        }
        Some(r) if tx.readiness_totals(r).await?.0 == 0 => {
            return Err(AppError::Conflict(
                "The current round has no answers yet, so there is nothing to compare with.".into(),
            ));
        }
        Some(_) => {}
    }
    let round = tx.open_readiness_round(&scope, actor.user.id, now).await?;
    record_in_collaboration(
        &mut tx,
        actor,
        id,
        acting,
        now,
        "readiness.round_opened",
        format!("Started round {} of the readiness check.", round.number),
    )
    .await?;
    tx.commit().await?;
    Ok(round)
}

/// The radar chart of the current round's groups, with the previous round
/// beside it when both have results, from this server's cache when both
/// rounds' answers are as they were when it was drawn.
pub fn chart(state: &AppState, view: &ReadinessView) -> Arc<String> {
    let Some(current) = &view.current else {
        return Arc::new(draw_chart(view));
    };
    let previous = view.previous.as_ref().map(|p| &p.round);
    state.readiness_charts.get_or_make(
        (current.round.id, previous.map(|p| p.id)),
        (current.round.revision, previous.map(|p| p.revision)),
        || draw_chart(view),
    )
}

fn draw_chart(view: &ReadinessView) -> String {
    let axes: Vec<String> = view
        .instrument
        .groups
        .iter()
        .map(|g| g.label.clone())
        .collect();
    let mut series = Vec::new();
    let mut title = "Readiness by group: no results yet".to_string();
    if let Some(RoundResults {
        round,
        results: Some(r),
        ..
    }) = &view.current
    {
        title = format!("Readiness by group, round {}", round.number);
        series.push(Series {
            name: format!("Round {}", round.number),
            values: r.groups.iter().map(|g| g.mean).collect(),
        });
        if let Some(RoundResults {
            round: before,
            results: Some(p),
            ..
        }) = &view.previous
        {
            title = format!("{title}, compared with round {}", before.number);
            // Match groups by code: a revised questionnaire may differ.
            let values = view
                .instrument
                .groups
                .iter()
                .map(|g| {
                    p.groups
                        .iter()
                        .find(|x| x.code == g.code)
                        .and_then(|x| x.mean)
                })
                .collect();
            series.push(Series {
                name: format!("Round {}", before.number),
                values,
            });
        }
    }
    radar_svg("readiness-chart", &title, &axes, &series, 5.0)
}

/// A radar chart of the person's own answers by group: theirs alone, so
/// always theirs to see, even before the combined results are shown.
pub fn own_chart(view: &ReadinessView) -> String {
    let axes: Vec<String> = view
        .instrument
        .groups
        .iter()
        .map(|g| g.label.clone())
        .collect();
    let series = [Series {
        name: "Your answers".to_string(),
        values: view.my_results.groups.iter().map(|g| g.mean).collect(),
    }];
    radar_svg(
        "own-chart",
        "Your own answers by group",
        &axes,
        &series,
        5.0,
    )
}
