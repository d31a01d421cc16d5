//! Reads for the whole-story report that the other areas' reads do not
//! give in a fixed number of statements: every agreement with its
//! approvals and where approval stands, and every health check response
//! of every round (for the domain's `results` only, which applies the
//! anonymity rules before anything is shown).

use crate::StoreError;
use crate::agreements::{APPROVALS, Agreement, AgreementApproval, records};
use crate::collaborations::CollabScope;
use crate::db::{Tx, q};
use crate::health_checks::{AnswerRow, responses_of};
use commonground_domain::approval::approval_state;
use commonground_domain::health_checks::Response;
use std::collections::BTreeMap;

/// A round's id, then an [`AnswerRow`].
type RoundAnswerRow = (i64, i64, i64, String, Option<i64>, Option<i64>);

impl Tx {
    /// Every agreement of the collaboration, oldest first, with its
    /// approvals and where approval stands (without the sections' text):
    /// three statements however many there are.
    pub async fn story_agreements(
        &mut self,
        scope: &CollabScope,
    ) -> Result<Vec<Agreement>, StoreError> {
        let mut list = self.agreements(scope).await?;
        list.reverse();
        let approvals: Vec<AgreementApproval> = self
            .all(
                q(format!(
                    "{APPROVALS} WHERE agreement_id IN (SELECT id FROM agreements WHERE collaboration_id = ?) ORDER BY id DESC"
                ))
                .bind(scope.collaboration_id()),
            )
            .await?;
        let (epoch, parties) = self.parties(scope).await?;
        let ids: Vec<i64> = parties.iter().map(|p| p.0).collect();
        Ok(list
            .into_iter()
            .map(|summary| {
                let mine: Vec<AgreementApproval> = approvals
                    .iter()
                    .filter(|x| x.agreement_id == summary.id)
                    .cloned()
                    .collect();
                let state = approval_state(summary.version, epoch, &ids, &records(&mine));
                Agreement {
                    summary,
                    sections: Vec::new(),
                    approvals: mine,
                    parties_epoch: epoch,
                    parties: parties.clone(),
                    state,
                }
            })
            .collect())
    }

    /// Every response to every health check round of the collaboration,
    /// by round, without names: one statement.
    pub async fn story_health_responses(
        &mut self,
        scope: &CollabScope,
    ) -> Result<BTreeMap<i64, Vec<Response>>, StoreError> {
        let rows: Vec<RoundAnswerRow> = self
            .all(
                q(
                    "SELECT r.round_id, r.user_id, r.organisation_id, r.comment, a.question_id, a.value \
                   FROM health_responses r JOIN health_rounds h ON h.id = r.round_id \
                   LEFT JOIN health_answers a ON a.round_id = r.round_id AND a.user_id = r.user_id \
                   WHERE h.collaboration_id = ? ORDER BY r.round_id, r.user_id, a.question_id",
                )
                .bind(scope.collaboration_id()),
            )
            .await?;
        let mut by_round: BTreeMap<i64, Vec<AnswerRow>> = BTreeMap::new();
        for (round, user, org, comment, question, value) in rows {
            by_round
                .entry(round)
                .or_default()
                .push((user, org, comment, question, value));
        }
        Ok(by_round
            .into_iter()
            .map(|(round, rows)| (round, responses_of(rows)))
            .collect())
    }
}
