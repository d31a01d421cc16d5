//! Health check rounds and the Review stage's checklist. Nothing here ever
//! returns another person's answers: only your own, and the aggregated
//! results once the anonymity rules allow them.

use super::identify::{ChecklistItem, StageProgress};
use super::{
    BadRequest, Conflict, Forbidden, NotFound, PayloadTooLarge, Unauthenticated, Unprocessable,
    rfc3339,
};
use crate::AppState;
use crate::actions;
use crate::actions::health_checks::{RoundResults, is_closed};
use crate::auth::ApiCaller;
use crate::error::AppError;
use crate::extract::{ApiJson, P};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use commonground_domain::health_checks::{Kind, light_code};
use commonground_domain::readiness::RawAnswer;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// A health check round.
#[derive(Debug, Serialize, ToSchema)]
pub struct HealthRound {
    pub id: i64,
    pub collaboration_id: i64,
    /// 1 for the collaboration's first round, and so on.
    pub number: i64,
    /// `pulse` or `full`.
    pub kind: String,
    /// `YYYY-MM-DD`: answers are taken through this day (UTC).
    pub closes_on: String,
    /// Closed by a lead, by its date passing, or by everyone invited answering.
    pub closed: bool,
    pub invited: i64,
    pub respondents: i64,
    /// You were asked to answer it.
    pub invited_you: bool,
    pub answered_by_you: bool,
    pub opened_at: i64,
    pub opened_at_rfc3339: String,
}

fn round_json(r: &commonground_store::health_checks::Round, today: &str) -> HealthRound {
    HealthRound {
        id: r.id,
        collaboration_id: r.collaboration_id,
        number: r.number,
        kind: r.kind.code().to_string(),
        closes_on: r.closes_on.clone(),
        closed: is_closed(r, today),
        invited: r.invited,
        respondents: r.respondents,
        invited_you: r.invited_me,
        answered_by_you: r.answered_by_me,
        opened_at: r.opened_at,
        opened_at_rfc3339: rfc3339(r.opened_at),
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewHealthRound {
    /// `pulse` (green, amber or red) or `full` (1 to 5).
    pub kind: String,
    /// `YYYY-MM-DD`, from today to a year ahead.
    pub closes_on: String,
}

/// The Review stage's checklist so far: the health of the partnership checked.
#[utoipa::path(
    get,
    path = "/collaborations/{id}/stages/review",
    tag = "review",
    operation_id = "review_progress",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The collaboration.")),
    responses(
        (status = 200, description = "The checklist.", body = StageProgress),
        (status = 401, response = Unauthenticated),
        (status = 404, response = NotFound),
    )
)]
pub async fn review_progress(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
) -> Result<Json<StageProgress>, AppError> {
    let o = actions::health_checks::review_overview(&state, &actor, id).await?;
    Ok(Json(StageProgress {
        stage: "review".to_string(),
        percent: o.percent,
        checklist: o.checklist.into_iter().map(ChecklistItem::from).collect(),
        can_contribute: o.can_contribute,
    }))
}

/// The collaboration's health check rounds, newest first.
#[utoipa::path(
    get,
    path = "/collaborations/{id}/health-checks",
    tag = "review",
    operation_id = "list_health_checks",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The collaboration.")),
    responses(
        (status = 200, description = "The rounds.", body = Vec<HealthRound>),
        (status = 401, response = Unauthenticated),
        (status = 404, response = NotFound),
    )
)]
pub async fn list_health_checks(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
) -> Result<Json<Vec<HealthRound>>, AppError> {
    let (rounds, today) = actions::health_checks::rounds(&state, &actor, id).await?;
    Ok(Json(rounds.iter().map(|r| round_json(r, &today)).collect()))
}

/// Opens a round and invites, in the app and by email, every member of the
/// lead and partner organisations. For admins of the lead organisation.
#[utoipa::path(
    post,
    path = "/collaborations/{id}/health-checks",
    tag = "review",
    operation_id = "open_health_check",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The collaboration.")),
    request_body = NewHealthRound,
    responses(
        (status = 201, description = "The round is open.", body = HealthRound),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 413, response = PayloadTooLarge),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn open_health_check(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
    ApiJson(body): ApiJson<NewHealthRound>,
) -> Result<impl IntoResponse, AppError> {
    let r =
        actions::health_checks::open_round(&state, &actor, id, &body.kind, &body.closes_on).await?;
    let today = actions::tasks::today(&state);
    Ok((StatusCode::CREATED, Json(round_json(&r, &today))))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HealthQuestion {
    pub id: i64,
    /// The group's code, such as `principles`.
    pub group: String,
    pub group_label: String,
    /// A short name, such as "Decision-making".
    pub label: String,
    pub text: String,
}

/// A round with its questions and your own answers.
#[derive(Debug, Serialize, ToSchema)]
pub struct HealthRoundDetail {
    #[serde(flatten)]
    pub round: HealthRound,
    /// `green`, `amber` and `red` for a pulse; 1 to 5 or null (don't know)
    /// for a full review.
    pub scale: Vec<String>,
    pub questions: Vec<HealthQuestion>,
    /// Your answers by question id: `green`/`amber`/`red`, a number, or
    /// null for "don't know". Empty until you answer.
    #[schema(value_type = BTreeMap<String, Option<serde_json::Value>>)]
    pub your_answers: BTreeMap<String, serde_json::Value>,
    pub your_comment: Option<String>,
    /// You may answer now (invited, and the round is open).
    pub can_answer: bool,
    /// You may close it (an admin of the lead organisation, and it is open).
    pub can_close: bool,
}

async fn detail_json(
    state: &AppState,
    actor: &crate::auth::Actor,
    hid: i64,
) -> Result<HealthRoundDetail, AppError> {
    let d = actions::health_checks::round_detail(state, actor, hid).await?;
    let kind = d.questionnaire.kind;
    let own = d.own.clone().unwrap_or_default();
    Ok(HealthRoundDetail {
        round: round_json(&d.round, &d.today),
        scale: match kind {
            Kind::Pulse => vec!["green".into(), "amber".into(), "red".into()],
            Kind::Full => (1..=5).map(|n| n.to_string()).collect(),
        },
        questions: d
            .questionnaire
            .questions()
            .map(|(g, q)| HealthQuestion {
                id: q.id,
                group: g.code.clone(),
                group_label: g.label.clone(),
                label: q.label.clone(),
                text: q.text.clone(),
            })
            .collect(),
        your_answers: own
            .answers
            .iter()
            .map(|(id, v)| {
                let value = match (kind, v) {
                    (_, None) => serde_json::Value::Null,
                    (Kind::Pulse, Some(v)) => {
                        serde_json::Value::String(light_code(*v as u8).to_string())
                    }
                    (Kind::Full, Some(v)) => serde_json::Value::from(*v),
                };
                (id.to_string(), value)
            })
            .collect(),
        your_comment: d.own.as_ref().map(|o| o.comment.clone()),
        can_answer: d.can_answer,
        can_close: d.can_close,
    })
}

/// A round's questions (each with its `id`) and your own answers.
#[utoipa::path(
    get,
    path = "/health-checks/{hid}",
    tag = "review",
    operation_id = "health_check",
    security(("bearer" = [])),
    params(("hid" = i64, Path, description = "The round.")),
    responses(
        (status = 200, description = "The round.", body = HealthRoundDetail),
        (status = 401, response = Unauthenticated),
        (status = 404, response = NotFound),
    )
)]
pub async fn health_check(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(hid): P<i64>,
) -> Result<Json<HealthRoundDetail>, AppError> {
    Ok(Json(detail_json(&state, &actor, hid).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct HealthAnswers {
    /// `{"<question id>": value}`: `"green"`, `"amber"` or `"red"` in a
    /// pulse; 1 to 5, or null for "don't know", in a full review. Replaces
    /// all your earlier answers.
    #[schema(value_type = BTreeMap<String, Option<serde_json::Value>>)]
    pub answers: BTreeMap<String, serde_json::Value>,
    /// Shown without your name, and only with the results.
    pub comment: Option<String>,
}

/// Saves your answers while the round is open, replacing any you gave before.
#[utoipa::path(
    put,
    path = "/health-checks/{hid}/answers",
    tag = "review",
    operation_id = "answer_health_check",
    security(("bearer" = [])),
    params(("hid" = i64, Path, description = "The round.")),
    request_body = HealthAnswers,
    responses(
        (status = 200, description = "Saved. The round with your answers.", body = HealthRoundDetail),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 413, response = PayloadTooLarge),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn answer_health_check(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(hid): P<i64>,
    ApiJson(body): ApiJson<HealthAnswers>,
) -> Result<Json<HealthRoundDetail>, AppError> {
    let raw: Vec<(String, RawAnswer)> = body
        .answers
        .into_iter()
        .map(|(k, v)| {
            let value = match v {
                serde_json::Value::Null => RawAnswer::DontKnow,
                serde_json::Value::Number(n) => match n.as_f64() {
                    Some(f) => RawAnswer::Number(f),
                    None => RawAnswer::Other(n.to_string()),
                },
                serde_json::Value::String(s) => RawAnswer::Other(s),
                other => RawAnswer::Other(other.to_string()),
            };
            (k, value)
        })
        .collect();
    actions::health_checks::answer(
        &state,
        &actor,
        hid,
        &raw,
        body.comment.as_deref().unwrap_or(""),
        "answers.",
    )
    .await?;
    Ok(Json(detail_json(&state, &actor, hid).await?))
}

/// Closes the round now. For admins of the lead organisation.
#[utoipa::path(
    post,
    path = "/health-checks/{hid}/close",
    tag = "review",
    operation_id = "close_health_check",
    security(("bearer" = [])),
    params(("hid" = i64, Path, description = "The round.")),
    responses(
        (status = 200, description = "Closed.", body = HealthRound),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
    )
)]
pub async fn close_health_check(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(hid): P<i64>,
) -> Result<Json<HealthRound>, AppError> {
    let r = actions::health_checks::close(&state, &actor, hid).await?;
    let today = actions::tasks::today(&state);
    Ok(Json(round_json(&r, &today)))
}

/// Mean, spread and number answering, and for a pulse the lights counted.
#[derive(Debug, Serialize, ToSchema)]
pub struct HealthStats {
    pub answering: i64,
    pub mean: f64,
    /// The standard deviation.
    pub spread: f64,
    pub green: Option<i64>,
    pub amber: Option<i64>,
    pub red: Option<i64>,
}

fn stats_json(s: &Option<commonground_domain::health_checks::Stats>) -> Option<HealthStats> {
    s.as_ref().map(|s| HealthStats {
        answering: s.answering as i64,
        mean: s.mean,
        spread: s.spread,
        green: s.lights.map(|l| l.green as i64),
        amber: s.lights.map(|l| l.amber as i64),
        red: s.lights.map(|l| l.red as i64),
    })
}

/// One question's or group's figures; `stats` is null when too few people
/// gave it a value to show it.
#[derive(Debug, Serialize, ToSchema)]
pub struct HealthFigure {
    /// The question id (for questions) or null (for groups).
    pub id: Option<i64>,
    /// The group's code.
    pub group: String,
    pub label: String,
    pub stats: Option<HealthStats>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HealthOrganisation {
    pub organisation_id: i64,
    pub name: String,
    pub respondents: i64,
    pub groups: Vec<HealthFigure>,
    pub questions: Vec<HealthFigure>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HealthGap {
    pub question_id: i64,
    pub organisation_id: i64,
    pub organisation_mean: f64,
    pub others_mean: f64,
    /// The gap in plain words.
    pub sentence: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HealthTrendPoint {
    pub round_number: i64,
    pub closes_on: String,
    pub respondents: i64,
    /// The mean on each of `trend_axes`, or null when too few answered.
    pub means: Vec<Option<f64>>,
}

/// The results, once they may be shown.
#[derive(Debug, Serialize, ToSchema)]
pub struct HealthResults {
    pub available: bool,
    pub respondents: i64,
    pub groups: Vec<HealthFigure>,
    pub questions: Vec<HealthFigure>,
    /// Only organisations with enough respondents.
    pub organisations: Vec<HealthOrganisation>,
    pub gaps: Vec<HealthGap>,
    /// Without names, sorted alphabetically.
    pub comments: Vec<String>,
    /// The labels of the trend's columns (groups for a full review,
    /// questions for a pulse).
    pub trend_axes: Vec<String>,
    /// This collaboration's rounds of the same kind, oldest first.
    pub trend: Vec<HealthTrendPoint>,
}

/// Why the results cannot be shown yet.
#[derive(Debug, Serialize, ToSchema)]
pub struct HealthResultsUnavailable {
    /// Always false.
    pub available: bool,
    /// `still_open` or `too_few_respondents`.
    pub code: String,
    pub reason: String,
}

fn figure(q: &commonground_domain::health_checks::QuestionResult) -> HealthFigure {
    HealthFigure {
        id: Some(q.id),
        group: q.group.clone(),
        label: q.label.clone(),
        stats: stats_json(&q.stats),
    }
}

fn group_figure(g: &commonground_domain::health_checks::GroupResult) -> HealthFigure {
    HealthFigure {
        id: None,
        group: g.code.clone(),
        label: g.label.clone(),
        stats: stats_json(&g.stats),
    }
}

pub(crate) fn results_json(v: &RoundResults) -> Result<HealthResults, HealthResultsUnavailable> {
    let r = v.results.as_ref().map_err(|why| HealthResultsUnavailable {
        available: false,
        code: why.code().to_string(),
        reason: why.sentence(),
    })?;
    let name = |o: i64| v.names.get(&o).cloned().unwrap_or_default();
    Ok(HealthResults {
        available: true,
        respondents: r.respondents as i64,
        groups: r.groups.iter().map(group_figure).collect(),
        questions: r.questions.iter().map(figure).collect(),
        organisations: r
            .organisations
            .iter()
            .map(|o| HealthOrganisation {
                organisation_id: o.organisation_id,
                name: name(o.organisation_id),
                respondents: o.respondents as i64,
                groups: o.groups.iter().map(group_figure).collect(),
                questions: o.questions.iter().map(figure).collect(),
            })
            .collect(),
        gaps: r
            .gaps
            .iter()
            .map(|g| HealthGap {
                question_id: g.question_id,
                organisation_id: g.organisation_id,
                organisation_mean: g.organisation_mean,
                others_mean: g.others_mean,
                sentence: g.sentence(&name(g.organisation_id), v.detail.round.kind),
            })
            .collect(),
        comments: r.comments.clone(),
        trend_axes: v.axes.iter().map(|(_, l)| l.clone()).collect(),
        trend: v
            .trend
            .iter()
            .map(|t| HealthTrendPoint {
                round_number: t.round_number,
                closes_on: t.closes_on.clone(),
                respondents: t.respondents as i64,
                means: t.means.clone(),
            })
            .collect(),
    })
}

/// The round's results: per question and group the mean, spread and number
/// answering; per organisation only with enough respondents; gaps in
/// perception in words; the trend. Before the round closes, or with too
/// few respondents, `{"available": false, "reason"}` instead.
#[utoipa::path(
    get,
    path = "/health-checks/{hid}/results",
    tag = "review",
    operation_id = "health_check_results",
    security(("bearer" = [])),
    params(("hid" = i64, Path, description = "The round.")),
    responses(
        (status = 200, description = "The results, or why they cannot be shown yet.", body = HealthResults),
        (status = 401, response = Unauthenticated),
        (status = 404, response = NotFound),
    )
)]
pub async fn health_check_results(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(hid): P<i64>,
) -> Result<Response, AppError> {
    let v = actions::health_checks::results(&state, &actor, hid).await?;
    Ok(match results_json(&v) {
        Ok(r) => Json(r).into_response(),
        Err(u) => Json(u).into_response(),
    })
}

/// The results as a radar chart (SVG, with a text alternative). While the
/// results cannot be shown, a chart that says why.
#[utoipa::path(
    get,
    path = "/health-checks/{hid}/chart.svg",
    tag = "review",
    operation_id = "health_check_chart",
    security(("bearer" = [])),
    params(("hid" = i64, Path, description = "The round.")),
    responses(
        (status = 200, description = "The chart.", content_type = "image/svg+xml", body = String),
        (status = 401, response = Unauthenticated),
        (status = 404, response = NotFound),
    )
)]
pub async fn health_check_chart(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(hid): P<i64>,
) -> Result<Response, AppError> {
    Ok(crate::svg_response(
        actions::health_checks::chart_svg(&state, &actor, hid).await?,
    ))
}
