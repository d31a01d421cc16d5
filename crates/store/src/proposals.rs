//! Decisions by vote: proposals put to a governance body and the votes of
//! the lead and partner organisations, one per organisation (a unique
//! index and an upsert, so two people voting for one organisation at once
//! leave one vote). Every read goes through the collaboration's scope.

use crate::StoreError;
use crate::collaborations::CollabScope;
use crate::db::{Tx, q};
use crate::tasks::Page;
use commonground_domain::collaborations::ParticipantRole;
use commonground_domain::governance::DecisionRule;
use commonground_domain::proposals::{Ballot, Choice, ProposalFields, Standing};

#[derive(Debug, Clone, serde::Serialize)]
pub struct Proposal {
    pub id: i64,
    pub collaboration_id: i64,
    /// None once the body has been removed; its name and rule are kept.
    pub body_id: Option<i64>,
    pub body_name: String,
    pub decision_rule: DecisionRule,
    pub quorum: i64,
    pub title: String,
    pub text: String,
    /// `YYYY-MM-DD`: voting ends at the end of this day (UTC).
    pub closes_on: String,
    pub proposer_id: Option<i64>,
    pub proposer_name: String,
    pub proposer_organisation_id: i64,
    /// When it was closed by hand or by writing the outcome.
    pub closed_at: Option<i64>,
    pub closed_by_name: String,
    /// Empty until written.
    pub outcome: String,
    /// The result the outcome was written against.
    pub result: Option<Standing>,
    pub result_reasoning: String,
    pub outcome_by_name: String,
    pub outcome_at: Option<i64>,
    /// The decisions log's entry for the outcome, once written (None if
    /// that entry was removed).
    pub decision_id: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

struct ProposalRow {
    id: i64,
    collaboration_id: i64,
    body_id: Option<i64>,
    body_name: String,
    decision_rule: String,
    quorum: i64,
    title: String,
    proposal: String,
    closes_on: String,
    proposer_id: Option<i64>,
    proposer_name: String,
    proposer_organisation_id: i64,
    closed_at: Option<i64>,
    closed_by_name: String,
    outcome: String,
    result: String,
    result_reasoning: String,
    outcome_by_name: String,
    outcome_at: Option<i64>,
    decision_id: Option<i64>,
    created_at: i64,
    updated_at: i64,
}
crate::db::from_row!(ProposalRow {
    id,
    collaboration_id,
    body_id,
    body_name,
    decision_rule,
    quorum,
    title,
    proposal,
    closes_on,
    proposer_id,
    proposer_name,
    proposer_organisation_id,
    closed_at,
    closed_by_name,
    outcome,
    result,
    result_reasoning,
    outcome_by_name,
    outcome_at,
    decision_id,
    created_at,
    updated_at
});

const SELECT: &str = "SELECT id, collaboration_id, body_id, body_name, decision_rule, quorum, title, \
    proposal, closes_on, proposer_id, proposer_name, proposer_organisation_id, closed_at, \
    closed_by_name, outcome, result, result_reasoning, outcome_by_name, outcome_at, decision_id, \
    created_at, updated_at FROM proposals";

impl From<ProposalRow> for Proposal {
    fn from(r: ProposalRow) -> Self {
        Proposal {
            id: r.id,
            collaboration_id: r.collaboration_id,
            body_id: r.body_id,
            body_name: r.body_name,
            decision_rule: DecisionRule::parse_code(&r.decision_rule)
                .unwrap_or(DecisionRule::Consensus),
            quorum: r.quorum,
            title: r.title,
            text: r.proposal,
            closes_on: r.closes_on,
            proposer_id: r.proposer_id,
            proposer_name: r.proposer_name,
            proposer_organisation_id: r.proposer_organisation_id,
            closed_at: r.closed_at,
            closed_by_name: r.closed_by_name,
            outcome: r.outcome,
            result: Standing::parse_code(&r.result),
            result_reasoning: r.result_reasoning,
            outcome_by_name: r.outcome_by_name,
            outcome_at: r.outcome_at,
            decision_id: r.decision_id,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

/// One organisation's vote.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Vote {
    pub proposal_id: i64,
    pub organisation_id: i64,
    pub organisation_name: String,
    pub choice: Choice,
    pub reason: String,
    pub voter_name: String,
    pub cast_at: i64,
}

impl Vote {
    pub fn ballot(&self) -> Ballot {
        Ballot {
            organisation_id: self.organisation_id,
            choice: self.choice,
        }
    }
}

/// An organisation that votes now: a lead or a partner.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Voter {
    pub organisation_id: i64,
    pub name: String,
    pub lead: bool,
}

/// What the proposal's who may do depends on.
#[derive(Debug, Clone, Copy)]
pub struct NewProposal<'a> {
    pub fields: &'a ProposalFields,
    pub body_name: &'a str,
    pub decision_rule: DecisionRule,
    pub quorum: i64,
    pub proposer_id: i64,
    pub proposer_name: &'a str,
    pub proposer_organisation_id: i64,
}

impl Tx {
    pub async fn create_proposal(
        &mut self,
        scope: &CollabScope,
        p: NewProposal<'_>,
        now: i64,
    ) -> Result<i64, StoreError> {
        let (id,): (i64,) = self
            .one(
                q("INSERT INTO proposals (collaboration_id, body_id, body_name, decision_rule, quorum, title, \
                   proposal, closes_on, proposer_id, proposer_name, proposer_organisation_id, closed_at, \
                   closed_by_name, outcome, result, result_reasoning, outcome_by_name, outcome_at, \
                   created_at, updated_at) \
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, '', '', '', '', '', NULL, ?, ?) RETURNING id")
                .bind(scope.collaboration_id())
                .bind(p.fields.body_id)
                .bind(p.body_name)
                .bind(p.decision_rule.code())
                .bind(p.quorum)
                .bind(&p.fields.title)
                .bind(&p.fields.text)
                .bind(&p.fields.closes_on)
                .bind(p.proposer_id)
                .bind(p.proposer_name)
                .bind(p.proposer_organisation_id)
                .bind(now)
                .bind(now),
            )
            .await?;
        Ok(id)
    }

    /// The collaboration a proposal belongs to, to prove access to it.
    pub async fn proposal_collaboration_id(&mut self, pid: i64) -> Result<Option<i64>, StoreError> {
        let row: Option<(i64,)> = self
            .opt(q("SELECT collaboration_id FROM proposals WHERE id = ?").bind(pid))
            .await?;
        Ok(row.map(|(c,)| c))
    }

    /// One proposal of this collaboration; None for any other id.
    pub async fn proposal(
        &mut self,
        scope: &CollabScope,
        pid: i64,
    ) -> Result<Option<Proposal>, StoreError> {
        let row: Option<ProposalRow> = self
            .opt(
                q(format!("{SELECT} WHERE collaboration_id = ? AND id = ?"))
                    .bind(scope.collaboration_id())
                    .bind(pid),
            )
            .await?;
        Ok(row.map(Into::into))
    }

    /// One page of the collaboration's proposals, newest first, with the
    /// total.
    pub async fn proposals(
        &mut self,
        scope: &CollabScope,
        page: Page,
    ) -> Result<(i64, Vec<Proposal>), StoreError> {
        let total = self
            .int(
                q("SELECT COUNT(*) FROM proposals WHERE collaboration_id = ?")
                    .bind(scope.collaboration_id()),
            )
            .await?;
        let rows: Vec<ProposalRow> = self
            .all(
                q(format!(
                    "{SELECT} WHERE collaboration_id = ? ORDER BY id DESC LIMIT ? OFFSET ?"
                ))
                .bind(scope.collaboration_id())
                .bind(page.size)
                .bind((page.number.max(1) - 1) * page.size),
            )
            .await?;
        Ok((total, rows.into_iter().map(Into::into).collect()))
    }

    /// The votes on these proposals of the collaboration, by proposal then
    /// organisation name. Votes of organisations that have left are
    /// included; the count leaves them out.
    pub async fn proposal_votes(
        &mut self,
        scope: &CollabScope,
        pids: &[i64],
    ) -> Result<Vec<Vote>, StoreError> {
        if pids.is_empty() {
            return Ok(Vec::new());
        }
        let rows: Vec<(i64, i64, String, String, String, String, i64)> = self
            .all(
                q(format!(
                    "SELECT v.proposal_id, v.organisation_id, o.name, v.choice, v.reason, v.voter_name, v.cast_at \
                     FROM proposal_votes v JOIN proposals p ON p.id = v.proposal_id \
                     JOIN organisations o ON o.id = v.organisation_id \
                     WHERE p.collaboration_id = ? AND v.proposal_id IN ({}) \
                     ORDER BY v.proposal_id, o.name, o.id",
                    crate::db::placeholders(pids.len())
                ))
                .bind(scope.collaboration_id())
                .bind_all(pids.iter().copied()),
            )
            .await?;
        Ok(rows
            .into_iter()
            .map(
                |(
                    proposal_id,
                    organisation_id,
                    organisation_name,
                    choice,
                    reason,
                    voter_name,
                    cast_at,
                )| Vote {
                    proposal_id,
                    organisation_id,
                    organisation_name,
                    choice: Choice::parse_code(&choice).unwrap_or(Choice::Abstain),
                    reason,
                    voter_name,
                    cast_at,
                },
            )
            .collect())
    }

    /// The organisations that vote now: lead and partners, by name.
    pub async fn proposal_electorate(
        &mut self,
        scope: &CollabScope,
    ) -> Result<Vec<Voter>, StoreError> {
        let rows: Vec<(i64, String, String)> = self
            .all(
                q("SELECT o.id, o.name, p.role FROM participants p JOIN organisations o ON o.id = p.organisation_id \
                   WHERE p.collaboration_id = ? AND p.role IN (?, ?) ORDER BY o.name, o.id")
                .bind(scope.collaboration_id())
                .bind(ParticipantRole::Lead.code())
                .bind(ParticipantRole::Partner.code()),
            )
            .await?;
        Ok(rows
            .into_iter()
            .map(|(organisation_id, name, role)| Voter {
                organisation_id,
                name,
                lead: role == ParticipantRole::Lead.code(),
            })
            .collect())
    }

    /// Whether the person sits on the body for that organisation now (still
    /// a member of it).
    pub async fn sits_on_body_for(
        &mut self,
        scope: &CollabScope,
        body_id: i64,
        user_id: i64,
        organisation_id: i64,
    ) -> Result<bool, StoreError> {
        let n = self
            .int(
                q("SELECT COUNT(*) FROM governance_members gm \
                   JOIN governance_bodies b ON b.id = gm.body_id \
                   JOIN memberships ms ON ms.organisation_id = gm.organisation_id AND ms.user_id = gm.user_id \
                   WHERE b.collaboration_id = ? AND gm.body_id = ? AND gm.user_id = ? AND gm.organisation_id = ?")
                .bind(scope.collaboration_id())
                .bind(body_id)
                .bind(user_id)
                .bind(organisation_id),
            )
            .await?;
        Ok(n > 0)
    }

    /// Casts or changes an organisation's vote: one row per organisation,
    /// whoever writes last.
    #[allow(clippy::too_many_arguments)]
    pub async fn upsert_vote(
        &mut self,
        scope: &CollabScope,
        pid: i64,
        organisation_id: i64,
        choice: Choice,
        reason: &str,
        voter_id: i64,
        voter_name: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        self.exec(
            q("INSERT INTO proposal_votes (proposal_id, organisation_id, choice, reason, voter_id, voter_name, cast_at) \
               SELECT id, ?, ?, ?, ?, ?, ? FROM proposals WHERE collaboration_id = ? AND id = ? \
               ON CONFLICT (proposal_id, organisation_id) DO UPDATE SET choice = excluded.choice, \
               reason = excluded.reason, voter_id = excluded.voter_id, voter_name = excluded.voter_name, \
               cast_at = excluded.cast_at")
            .bind(organisation_id)
            .bind(choice.code())
            .bind(reason)
            .bind(voter_id)
            .bind(voter_name)
            .bind(now)
            .bind(scope.collaboration_id())
            .bind(pid),
        )
        .await?;
        self.exec(
            q("UPDATE proposals SET updated_at = ? WHERE collaboration_id = ? AND id = ?")
                .bind(now)
                .bind(scope.collaboration_id())
                .bind(pid),
        )
        .await?;
        Ok(())
    }

    /// Closes voting early; false when it was already closed.
    pub async fn close_proposal(
        &mut self,
        scope: &CollabScope,
        pid: i64,
        by_name: &str,
        now: i64,
    ) -> Result<bool, StoreError> {
        let n = self
            .exec(
                q(
                    "UPDATE proposals SET closed_at = ?, closed_by_name = ?, updated_at = ? \
                   WHERE collaboration_id = ? AND id = ? AND closed_at IS NULL",
                )
                .bind(now)
                .bind(by_name)
                .bind(now)
                .bind(scope.collaboration_id())
                .bind(pid),
            )
            .await?;
        Ok(n == 1)
    }

    /// Writes the outcome with the result it was written against, and
    /// closes voting if it was still open. False when an outcome is
    /// already written.
    #[allow(clippy::too_many_arguments)]
    pub async fn record_proposal_outcome(
        &mut self,
        scope: &CollabScope,
        pid: i64,
        outcome: &str,
        result: Standing,
        reasoning: &str,
        by_name: &str,
        decision_id: i64,
        now: i64,
    ) -> Result<bool, StoreError> {
        let n = self
            .exec(
                q("UPDATE proposals SET outcome = ?, result = ?, result_reasoning = ?, outcome_by_name = ?, \
                   outcome_at = ?, decision_id = ?, closed_at = COALESCE(closed_at, ?), \
                   closed_by_name = CASE WHEN closed_at IS NULL THEN ? ELSE closed_by_name END, updated_at = ? \
                   WHERE collaboration_id = ? AND id = ? AND outcome = ''")
                .bind(outcome)
                .bind(result.code())
                .bind(reasoning)
                .bind(by_name)
                .bind(now)
                .bind(decision_id)
                .bind(now)
                .bind(by_name)
                .bind(now)
                .bind(scope.collaboration_id())
                .bind(pid),
            )
            .await?;
        Ok(n == 1)
    }

    /// (proposals, closed without the outcome written), for the Implement
    /// checklist; `today` is `YYYY-MM-DD`.
    pub async fn proposal_facts(
        &mut self,
        scope: &CollabScope,
        today: &str,
    ) -> Result<(i64, i64), StoreError> {
        self.one(
            q("SELECT COUNT(*), COALESCE(SUM(CASE WHEN outcome = '' AND (closed_at IS NOT NULL OR closes_on < ?) \
               THEN 1 ELSE 0 END), 0) FROM proposals WHERE collaboration_id = ?")
            .bind(today)
            .bind(scope.collaboration_id()),
        )
        .await
    }
}
