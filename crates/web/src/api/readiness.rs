//! The readiness check: the questionnaire with your own answers and the
//! combined results, answering it, starting a new round, and the chart.

use super::{
    BadRequest, Conflict, Forbidden, NotFound, PayloadTooLarge, Unauthenticated, Unprocessable,
    rfc3339,
};
use crate::AppState;
use crate::actions;
use crate::actions::readiness::{ReadinessView, RoundResults};
use crate::auth::{Actor, ApiCaller};
use crate::error::AppError;
use crate::extract::{ApiJson, P};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use commonground_domain::readiness::{DONT_KNOW, RawAnswer, SCALE, weakest};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// A statement to rate.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReadinessStatement {
    /// The id to answer it by.
    pub id: i64,
    pub text: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReadinessFactor {
    pub code: String,
    pub label: String,
    /// What to do when this factor is weak.
    pub advice: String,
    pub statements: Vec<ReadinessStatement>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReadinessGroup {
    pub code: String,
    pub label: String,
    pub factors: Vec<ReadinessFactor>,
}

/// A point on the answer scale.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScalePoint {
    /// 1 to 5, or null for "don't know".
    pub value: Option<u8>,
    pub label: String,
}

/// The questionnaire: one version of it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReadinessInstrument {
    pub version: i64,
    pub title: String,
    pub scale: Vec<ScalePoint>,
    pub groups: Vec<ReadinessGroup>,
}

/// The combined result for one group or factor.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReadinessScore {
    pub code: String,
    pub label: String,
    /// Mean of each answering person's own mean, one decimal place.
    pub mean: Option<f64>,
    /// Highest person's mean minus the lowest.
    pub spread: Option<f64>,
    /// People who gave at least one number here.
    pub answering: usize,
    /// `strength`, `borderline` or `concern`; null with no answers.
    pub finding: Option<String>,
    /// People's answers are far apart.
    pub disagreement: bool,
}

impl From<&commonground_domain::readiness::Score> for ReadinessScore {
    fn from(s: &commonground_domain::readiness::Score) -> Self {
        ReadinessScore {
            code: s.code.clone(),
            label: s.label.clone(),
            mean: s.mean,
            spread: s.spread,
            answering: s.answering,
            finding: s.band.map(|b| b.code().to_string()),
            disagreement: s.disagreement,
        }
    }
}

/// A factor to work on, weakest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct WeakFactor {
    #[serde(flatten)]
    pub score: ReadinessScore,
    pub advice: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReadinessResults {
    pub groups: Vec<ReadinessScore>,
    pub factors: Vec<ReadinessScore>,
    pub weakest: Vec<WeakFactor>,
}

/// One round of the check.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReadinessRound {
    pub number: i64,
    /// The questionnaire version this round uses.
    pub version: i64,
    pub opened_at: i64,
    pub opened_at_rfc3339: String,
    /// How many people have answered.
    pub respondents: usize,
    /// Null until enough people have answered (`min_respondents`).
    pub results: Option<ReadinessResults>,
}

fn round(r: &RoundResults) -> ReadinessRound {
    ReadinessRound {
        number: r.round.number,
        version: r.instrument.version,
        opened_at: r.round.opened_at,
        opened_at_rfc3339: rfc3339(r.round.opened_at),
        respondents: r.respondents,
        results: r.results.as_ref().map(|res| ReadinessResults {
            groups: res.groups.iter().map(ReadinessScore::from).collect(),
            factors: res.factors.iter().map(ReadinessScore::from).collect(),
            weakest: weakest(res)
                .into_iter()
                .map(|s| WeakFactor {
                    score: s.into(),
                    advice: r
                        .instrument
                        .factors()
                        .find(|(_, f)| f.id == s.id)
                        .map(|(_, f)| f.advice.clone())
                        .unwrap_or_default(),
                })
                .collect(),
        }),
    }
}

/// How results are judged.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReadinessThresholds {
    /// A mean at or above this is a strength.
    pub strength: f64,
    /// At or above this (below `strength`): borderline. Below: a concern.
    pub borderline: f64,
    /// A spread at or above this means people disagree.
    pub disagreement: f64,
    /// Results are shown once this many people have answered.
    pub min_respondents: usize,
}

/// The readiness check for one collaboration, as you see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Readiness {
    pub collaboration_id: i64,
    pub instrument: ReadinessInstrument,
    /// The round people answer now; null before anyone has answered.
    pub round: Option<ReadinessRound>,
    /// The round before, to compare with.
    pub previous_round: Option<ReadinessRound>,
    /// Your own answers in the current round, by statement id: 1 to 5, or
    /// null for "don't know". Nobody else's answers are ever shown.
    #[schema(value_type = BTreeMap<String, Option<i64>>)]
    pub my_answers: BTreeMap<String, Option<i64>>,
    pub thresholds: ReadinessThresholds,
    /// You may answer (observers may not).
    pub can_answer: bool,
    /// You may start a new round (the lead, once this round has answers).
    pub can_start_round: bool,
}

impl From<ReadinessView> for Readiness {
    fn from(v: ReadinessView) -> Self {
        let i = &v.instrument;
        Readiness {
            collaboration_id: v.collaboration.id,
            instrument: ReadinessInstrument {
                version: i.version,
                title: i.title.clone(),
                scale: SCALE
                    .iter()
                    .map(|(n, l)| ScalePoint {
                        value: Some(*n),
                        label: l.to_string(),
                    })
                    .chain([ScalePoint {
                        value: None,
                        label: DONT_KNOW.to_string(),
                    }])
                    .collect(),
                groups: i
                    .groups
                    .iter()
                    .map(|g| ReadinessGroup {
                        code: g.code.clone(),
                        label: g.label.clone(),
                        factors: g
                            .factors
                            .iter()
                            .map(|f| ReadinessFactor {
                                code: f.code.clone(),
                                label: f.label.clone(),
                                advice: f.advice.clone(),
                                statements: f
                                    .statements
                                    .iter()
                                    .map(|s| ReadinessStatement {
                                        id: s.id,
                                        text: s.text.clone(),
                                    })
                                    .collect(),
                            })
                            .collect(),
                    })
                    .collect(),
            },
            round: v.current.as_ref().map(round),
            previous_round: v.previous.as_ref().map(round),
            my_answers: v
                .my_answers
                .iter()
                .map(|(k, val)| (k.to_string(), *val))
                .collect(),
            thresholds: ReadinessThresholds {
                strength: v.thresholds.strength,
                borderline: v.thresholds.borderline,
                disagreement: v.thresholds.disagreement,
                min_respondents: v.thresholds.min_respondents,
            },
            can_answer: v.can_answer,
            can_start_round: v.can_open_round,
        }
    }
}

async fn view(state: &AppState, actor: &Actor, id: i64) -> Result<Readiness, AppError> {
    Ok(actions::readiness::readiness(state, actor, id)
        .await?
        .into())
}

/// The readiness check: the questionnaire, your own answers, and the
/// combined results once enough people have answered.
#[utoipa::path(
    get,
    path = "/collaborations/{id}/readiness",
    tag = "identify",
    operation_id = "readiness",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The collaboration.")),
    responses(
        (status = 200, description = "The readiness check.", body = Readiness),
        (status = 401, response = Unauthenticated),
        (status = 404, response = NotFound),
    )
)]
pub async fn readiness(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
) -> Result<Json<Readiness>, AppError> {
    Ok(Json(view(&state, &actor, id).await?))
}

/// Your answers, by statement id.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReadinessAnswers {
    /// `{"<statement id>": 1..5 or null}`. Null means "don't know". Only the
    /// statements sent are changed.
    #[schema(value_type = BTreeMap<String, Option<i64>>)]
    pub answers: BTreeMap<String, serde_json::Value>,
}

/// Saves your answers in the current round (starting the first round if
/// nobody has answered yet).
#[utoipa::path(
    put,
    path = "/collaborations/{id}/readiness/answers",
    tag = "identify",
    operation_id = "answer_readiness",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The collaboration.")),
    request_body = ReadinessAnswers,
    responses(
        (status = 200, description = "Saved. The readiness check as it is now.", body = Readiness),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 413, response = PayloadTooLarge),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn answer_readiness(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
    ApiJson(body): ApiJson<ReadinessAnswers>,
) -> Result<Json<Readiness>, AppError> {
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
                other => RawAnswer::Other(other.to_string()),
            };
            (k, value)
        })
        .collect();
    actions::readiness::save_answers(&state, &actor, id, &raw, "answers.").await?;
    Ok(Json(view(&state, &actor, id).await?))
}

/// Starts a new round, so everyone can answer again and compare. For the
/// lead, once the current round has answers.
#[utoipa::path(
    post,
    path = "/collaborations/{id}/readiness/rounds",
    tag = "identify",
    operation_id = "start_readiness_round",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The collaboration.")),
    responses(
        (status = 201, description = "The new round has started.", body = Readiness),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
    )
)]
pub async fn start_readiness_round(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
) -> Result<(StatusCode, Json<Readiness>), AppError> {
    actions::readiness::open_round(&state, &actor, id).await?;
    Ok((StatusCode::CREATED, Json(view(&state, &actor, id).await?)))
}

/// The radar chart of the results by group, as SVG, with the previous
/// round beside it when both have results.
#[utoipa::path(
    get,
    path = "/collaborations/{id}/readiness/chart.svg",
    tag = "identify",
    operation_id = "readiness_chart",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The collaboration.")),
    responses(
        (status = 200, description = "The chart.", content_type = "image/svg+xml", body = String),
        (status = 401, response = Unauthenticated),
        (status = 404, response = NotFound),
    )
)]
pub async fn readiness_chart(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
) -> Result<Response, AppError> {
    let v = actions::readiness::readiness(&state, &actor, id).await?;
    Ok(crate::svg_response(
        actions::readiness::chart(&state, &v).as_str().to_owned(),
    ))
}
