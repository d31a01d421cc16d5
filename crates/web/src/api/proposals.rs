//! Decisions by vote: proposals, the votes of the partner organisations,
//! closing early and writing the outcome.

use super::governance::DecisionRule;
use super::{
    BadRequest, Conflict, Forbidden, NotFound, PayloadTooLarge, Unauthenticated, Unprocessable,
    rfc3339,
};
use crate::AppState;
use crate::actions;
use crate::actions::proposals::{ProposalView, VoteInput, parse_page};
use crate::auth::ApiCaller;
use crate::error::AppError;
use crate::extract::{ApiJson, P, Q};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use commonground_domain::proposals::{
    Choice as DomainChoice, ProposalInput, Standing as DomainStanding, choices_for,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// How an organisation votes. `block` only under consensus and consent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Choice {
    Agree,
    Abstain,
    Disagree,
    Block,
}

impl From<DomainChoice> for Choice {
    fn from(c: DomainChoice) -> Self {
        match c {
            DomainChoice::Agree => Choice::Agree,
            DomainChoice::Abstain => Choice::Abstain,
            DomainChoice::Disagree => Choice::Disagree,
            DomainChoice::Block => Choice::Block,
        }
    }
}

/// What the decision rule gives for the votes counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    Passed,
    NotPassed,
    Blocked,
}

impl From<DomainStanding> for Standing {
    fn from(s: DomainStanding) -> Self {
        match s {
            DomainStanding::Passed => Standing::Passed,
            DomainStanding::NotPassed => Standing::NotPassed,
            DomainStanding::Blocked => Standing::Blocked,
        }
    }
}

/// One organisation's vote.
#[derive(Debug, Serialize, ToSchema)]
pub struct Vote {
    pub organisation_id: i64,
    pub organisation_name: String,
    pub choice: Choice,
    pub reason: String,
    /// Who cast it for the organisation (the last to change it).
    pub voter_name: String,
    pub cast_at: i64,
    pub cast_at_rfc3339: String,
    /// False when the organisation no longer takes part as lead or
    /// partner: the vote is kept but not counted.
    pub counted: bool,
}

/// An organisation, by id and name.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrganisationRef {
    pub id: i64,
    pub name: String,
}

/// The count, worked out under the proposal's rule from the votes of the
/// lead and partner organisations taking part now.
#[derive(Debug, Serialize, ToSchema)]
pub struct VoteCount {
    /// What the rule gives for the votes so far; the result once `decided`.
    pub standing: Standing,
    /// Voting has closed, or every organisation that votes has voted.
    pub decided: bool,
    pub agree: u32,
    pub abstain: u32,
    pub disagree: u32,
    pub block: u32,
    /// Organisations that vote now (lead and partners).
    pub electorate: u32,
    pub voted: u32,
    /// How many must vote for a result: the body's quorum, at most the electorate.
    pub needed: u32,
    /// The rule's reasoning in plain words.
    pub reasoning: String,
}

/// A proposal put to a governance body.
#[derive(Debug, Serialize, ToSchema)]
pub struct Proposal {
    pub id: i64,
    pub collaboration_id: i64,
    pub title: String,
    /// What is proposed, plain text.
    pub text: String,
    /// Null once the body has been removed.
    pub body_id: Option<i64>,
    pub body_name: String,
    /// The body's rule when the proposal was made.
    pub decision_rule: DecisionRule,
    pub quorum: i64,
    /// The choices this rule offers.
    pub choices: Vec<Choice>,
    /// `YYYY-MM-DD`: votes are taken until the end of this day (UTC).
    pub closes_on: String,
    /// Voting has closed (by date, early, or by writing the outcome).
    pub closed: bool,
    /// When it was closed early, if it was.
    pub closed_at: Option<i64>,
    pub proposer_id: Option<i64>,
    pub proposer_name: String,
    pub result: VoteCount,
    pub votes: Vec<Vote>,
    /// Lead and partner organisations that have not voted yet.
    pub not_voted: Vec<OrganisationRef>,
    /// Written by the proposer or the lead once the result is decided.
    pub outcome: Option<String>,
    pub outcome_by_name: Option<String>,
    pub outcome_at: Option<i64>,
    /// The decisions log's entry made when the outcome was written.
    pub decision_id: Option<i64>,
    /// Decided, and the outcome is not written yet.
    pub awaits_outcome: bool,
    pub created_at: i64,
    pub created_at_rfc3339: String,
}

pub(crate) fn proposal_json(v: ProposalView) -> Proposal {
    let awaits_outcome = v.awaits_outcome();
    let not_voted = v
        .not_voted()
        .into_iter()
        .map(|o| OrganisationRef {
            id: o.organisation_id,
            name: o.name.clone(),
        })
        .collect();
    let counted: Vec<i64> = v.voters.iter().map(|o| o.organisation_id).collect();
    let p = v.proposal;
    let c = v.count;
    Proposal {
        id: p.id,
        collaboration_id: p.collaboration_id,
        title: p.title,
        text: p.text,
        body_id: p.body_id,
        body_name: p.body_name,
        decision_rule: p.decision_rule.into(),
        quorum: p.quorum,
        choices: choices_for(p.decision_rule)
            .into_iter()
            .map(Into::into)
            .collect(),
        closes_on: p.closes_on,
        closed: v.closed,
        closed_at: p.closed_at,
        proposer_id: p.proposer_id,
        proposer_name: p.proposer_name,
        result: VoteCount {
            standing: c.standing.into(),
            decided: c.decided,
            agree: c.agree,
            abstain: c.abstain,
            disagree: c.disagree,
            block: c.block,
            electorate: c.electorate,
            voted: c.voted,
            needed: c.needed,
            reasoning: c.reasoning,
        },
        votes: v
            .votes
            .into_iter()
            .map(|x| Vote {
                counted: counted.contains(&x.organisation_id),
                organisation_id: x.organisation_id,
                organisation_name: x.organisation_name,
                choice: x.choice.into(),
                reason: x.reason,
                voter_name: x.voter_name,
                cast_at: x.cast_at,
                cast_at_rfc3339: rfc3339(x.cast_at),
            })
            .collect(),
        not_voted,
        outcome: (!p.outcome.is_empty()).then_some(p.outcome),
        outcome_by_name: (!p.outcome_by_name.is_empty()).then_some(p.outcome_by_name),
        outcome_at: p.outcome_at,
        decision_id: p.decision_id,
        awaits_outcome,
        created_at: p.created_at,
        created_at_rfc3339: rfc3339(p.created_at),
    }
}

/// A proposal with what you may do with it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProposalDetail {
    #[serde(flatten)]
    pub proposal: Proposal,
    /// The organisations whose vote you may cast: those you are an admin
    /// of, or sit on the body for.
    pub you_can_vote_for: Vec<OrganisationRef>,
    /// You may close voting early and write the outcome (the proposer or
    /// the lead organisation).
    pub you_can_manage: bool,
}

/// One page of proposals, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProposalPage {
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
    pub items: Vec<Proposal>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProposalPageParams {
    /// From 1.
    pub page: Option<String>,
    /// From 1 to 100; 20 when not given.
    pub per_page: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewProposal {
    /// Up to 200 characters.
    #[serde(default)]
    #[schema(required = true)]
    pub title: Option<String>,
    /// What is proposed: plain text, up to 10,000 characters.
    #[serde(default)]
    #[schema(required = true)]
    pub text: Option<String>,
    /// One of the collaboration's governance bodies; its decision rule applies.
    #[serde(default)]
    #[schema(required = true)]
    pub body_id: Option<i64>,
    /// `YYYY-MM-DD`, today or later.
    #[serde(default)]
    #[schema(required = true)]
    pub closes_on: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VoteBody {
    /// The lead or partner organisation you vote for.
    #[serde(default)]
    #[schema(required = true)]
    pub organisation_id: Option<i64>,
    #[serde(default)]
    #[schema(value_type = Choice, required = true)]
    pub choice: Option<String>,
    /// Why, up to 2,000 characters.
    #[serde(default)]
    #[schema(required = true)]
    pub reason: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OutcomeBody {
    /// What was decided and what happens next, up to 10,000 characters.
    #[serde(default)]
    #[schema(required = true)]
    pub outcome: Option<String>,
}

/// One page of the collaboration's proposals, newest first.
#[utoipa::path(
    get,
    path = "/collaborations/{id}/proposals",
    tag = "implement",
    operation_id = "list_proposals",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The collaboration."), ProposalPageParams),
    responses(
        (status = 200, description = "A page of proposals.", body = ProposalPage),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 404, response = NotFound),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn list_proposals(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
    Q(p): Q<ProposalPageParams>,
) -> std::result::Result<Json<ProposalPage>, AppError> {
    let page = parse_page(
        p.page.as_deref().unwrap_or(""),
        p.per_page.as_deref().unwrap_or(""),
    )?;
    let v = actions::proposals::proposal_list(&state, &actor, id, page).await?;
    Ok(Json(ProposalPage {
        total: v.total,
        page: page.number,
        per_page: page.size,
        items: v.items.into_iter().map(proposal_json).collect(),
    }))
}

/// Puts a proposal to one of the collaboration's governance bodies. Not
/// for observers.
#[utoipa::path(
    post,
    path = "/collaborations/{id}/proposals",
    tag = "implement",
    operation_id = "add_proposal",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The collaboration.")),
    request_body = NewProposal,
    responses(
        (status = 201, description = "It was added; voting is open.", body = Proposal),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 413, response = PayloadTooLarge),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn add_proposal(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(id): P<i64>,
    ApiJson(body): ApiJson<NewProposal>,
) -> std::result::Result<(StatusCode, Json<Proposal>), AppError> {
    let body_id = body.body_id.map(|b| b.to_string()).unwrap_or_default();
    let v = actions::proposals::create_proposal(
        &state,
        &actor,
        id,
        &ProposalInput {
            title: body.title.as_deref().unwrap_or(""),
            text: body.text.as_deref().unwrap_or(""),
            body_id: &body_id,
            closes_on: body.closes_on.as_deref().unwrap_or(""),
        },
    )
    .await?;
    Ok((StatusCode::CREATED, Json(proposal_json(v))))
}

/// A proposal with its votes, the count and who has not voted yet.
#[utoipa::path(
    get,
    path = "/proposals/{pid}",
    tag = "implement",
    operation_id = "proposal",
    security(("bearer" = [])),
    params(("pid" = i64, Path, description = "The proposal.")),
    responses(
        (status = 200, description = "The proposal.", body = ProposalDetail),
        (status = 401, response = Unauthenticated),
        (status = 404, response = NotFound),
    )
)]
pub async fn proposal(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(pid): P<i64>,
) -> std::result::Result<Json<ProposalDetail>, AppError> {
    let d = actions::proposals::proposal_detail(&state, &actor, pid).await?;
    Ok(Json(ProposalDetail {
        proposal: proposal_json(d.view),
        you_can_vote_for: d
            .speaks_for
            .into_iter()
            .map(|(id, name)| OrganisationRef { id, name })
            .collect(),
        you_can_manage: d.can_manage,
    }))
}

/// Casts or changes an organisation's vote. You may vote for a lead or
/// partner organisation you are an admin of, or sit on the body for. One
/// vote per organisation: a second vote replaces the first.
#[utoipa::path(
    post,
    path = "/proposals/{pid}/votes",
    tag = "implement",
    operation_id = "vote_on_proposal",
    security(("bearer" = [])),
    params(("pid" = i64, Path, description = "The proposal.")),
    request_body = VoteBody,
    responses(
        (status = 200, description = "The vote is saved; the proposal as it stands now.", body = Proposal),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 413, response = PayloadTooLarge),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn vote(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(pid): P<i64>,
    ApiJson(body): ApiJson<VoteBody>,
) -> std::result::Result<Json<Proposal>, AppError> {
    let org = body
        .organisation_id
        .map(|o| o.to_string())
        .unwrap_or_default();
    let v = actions::proposals::cast_vote(
        &state,
        &actor,
        pid,
        &VoteInput {
            organisation_id: &org,
            choice: body.choice.as_deref().unwrap_or(""),
            reason: body.reason.as_deref().unwrap_or(""),
        },
    )
    .await?;
    Ok(Json(proposal_json(v)))
}

/// Closes voting before the closing date. For the proposer and the lead
/// organisation.
#[utoipa::path(
    post,
    path = "/proposals/{pid}/close",
    tag = "implement",
    operation_id = "close_proposal",
    security(("bearer" = [])),
    params(("pid" = i64, Path, description = "The proposal.")),
    responses(
        (status = 200, description = "Voting is closed; the result is decided.", body = Proposal),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
    )
)]
pub async fn close(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(pid): P<i64>,
) -> std::result::Result<Json<Proposal>, AppError> {
    let v = actions::proposals::close_proposal(&state, &actor, pid).await?;
    Ok(Json(proposal_json(v)))
}

/// Writes the outcome once the result is decided (closed, or everyone has
/// voted); closes voting if it was open. For the proposer and the lead
/// organisation. The result it was written against is kept with it.
#[utoipa::path(
    post,
    path = "/proposals/{pid}/outcome",
    tag = "implement",
    operation_id = "record_proposal_outcome",
    security(("bearer" = [])),
    params(("pid" = i64, Path, description = "The proposal.")),
    request_body = OutcomeBody,
    responses(
        (status = 200, description = "The outcome is saved.", body = Proposal),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthenticated),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 413, response = PayloadTooLarge),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn outcome(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    P(pid): P<i64>,
    ApiJson(body): ApiJson<OutcomeBody>,
) -> std::result::Result<Json<Proposal>, AppError> {
    let v = actions::proposals::record_outcome(
        &state,
        &actor,
        pid,
        body.outcome.as_deref().unwrap_or(""),
    )
    .await?;
    Ok(Json(proposal_json(v)))
}
