//! Health check rounds: the questionnaires (data, by kind and version),
//! rounds, who was invited, and responses. Only [`Tx::health_responses`]
//! reads other people's answers, and it hands them over without names or
//! ids, for `commonground_domain::health_checks::results` to aggregate.

use crate::StoreError;
use crate::collaborations::CollabScope;
use crate::db::{Tx, q};
use commonground_domain::health_checks::{Group, Kind, Question, Questionnaire, Response};
use std::collections::BTreeMap;

/// One round, with how many were invited and answered, and where the
/// person reading stands in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Round {
    pub id: i64,
    pub collaboration_id: i64,
    pub number: i64,
    pub kind: Kind,
    pub questionnaire_id: i64,
    pub closes_on: String,
    pub opened_at: i64,
    pub closed_at: Option<i64>,
    pub invited: i64,
    pub respondents: i64,
    /// The person reading was invited to answer it.
    pub invited_me: bool,
    /// The person reading has answered it.
    pub answered_by_me: bool,
}

struct RoundRow {
    id: i64,
    collaboration_id: i64,
    number: i64,
    kind: String,
    questionnaire_id: i64,
    closes_on: String,
    opened_at: i64,
    closed_at: Option<i64>,
    invited: i64,
    respondents: i64,
    invited_me: i64,
    answered_by_me: i64,
}
crate::db::from_row!(RoundRow {
    id,
    collaboration_id,
    number,
    kind,
    questionnaire_id,
    closes_on,
    opened_at,
    closed_at,
    invited,
    respondents,
    invited_me,
    answered_by_me
});

fn round(r: RoundRow) -> Round {
    Round {
        id: r.id,
        collaboration_id: r.collaboration_id,
        number: r.number,
        kind: Kind::parse_code(&r.kind).unwrap_or(Kind::Pulse),
        questionnaire_id: r.questionnaire_id,
        closes_on: r.closes_on,
        opened_at: r.opened_at,
        closed_at: r.closed_at,
        invited: r.invited,
        respondents: r.respondents,
        invited_me: r.invited_me > 0,
        answered_by_me: r.answered_by_me > 0,
    }
}

/// The columns of a round for person `?` (bound twice, first).
const ROUND: &str = "SELECT h.id, h.collaboration_id, h.number, k.kind, h.questionnaire_id, h.closes_on, \
    h.opened_at, h.closed_at, \
    (SELECT COUNT(*) FROM health_invitees i WHERE i.round_id = h.id) AS invited, \
    (SELECT COUNT(*) FROM health_responses r WHERE r.round_id = h.id) AS respondents, \
    (SELECT COUNT(*) FROM health_invitees i WHERE i.round_id = h.id AND i.user_id = ?) AS invited_me, \
    (SELECT COUNT(*) FROM health_responses r WHERE r.round_id = h.id AND r.user_id = ?) AS answered_by_me \
    FROM health_rounds h JOIN health_questionnaires k ON k.id = h.questionnaire_id";

struct QuestionRow {
    kind: String,
    version: i64,
    group_id: i64,
    group_code: String,
    group_label: String,
    question_id: i64,
    question_code: String,
    question_label: String,
    question_text: String,
}
crate::db::from_row!(QuestionRow {
    kind,
    version,
    group_id,
    group_code,
    group_label,
    question_id,
    question_code,
    question_label,
    question_text
});

/// A person, their organisation and comment, and one answer (if any).
pub(crate) type AnswerRow = (i64, i64, String, Option<i64>, Option<i64>);

/// Rows of (person, organisation, comment, question, value) gathered into
/// one response per person, without the person.
pub(crate) fn responses_of(rows: impl IntoIterator<Item = AnswerRow>) -> Vec<Response> {
    let mut by_person: BTreeMap<i64, Response> = BTreeMap::new();
    for (user, organisation_id, comment, question, value) in rows {
        let r = by_person.entry(user).or_insert_with(|| Response {
            organisation_id,
            answers: BTreeMap::new(),
            comment,
        });
        if let Some(qid) = question {
            r.answers
                .insert(qid, value.and_then(|v| u8::try_from(v).ok()));
        }
    }
    by_person.into_values().collect()
}

/// One person's own response, for them alone.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OwnResponse {
    pub comment: String,
    /// Question id and value (None for "don't know").
    pub answers: Vec<(i64, Option<i64>)>,
}

/// Someone invited to a round, to tell by email.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitee {
    pub email: String,
    pub name: String,
}

impl Tx {
    /// The collaboration a round belongs to, to prove access through it.
    pub async fn health_round_collaboration_id(
        &mut self,
        round_id: i64,
    ) -> Result<Option<i64>, StoreError> {
        self.opt::<(i64,)>(
            q("SELECT collaboration_id FROM health_rounds WHERE id = ?").bind(round_id),
        )
        .await
        .map(|r| r.map(|(c,)| c))
    }

    /// The newest questionnaire of a kind.
    pub async fn latest_health_questionnaire_id(&mut self, kind: Kind) -> Result<i64, StoreError> {
        self.int(
            q("SELECT id FROM health_questionnaires WHERE kind = ? ORDER BY version DESC LIMIT 1")
                .bind(kind.code()),
        )
        .await
    }

    /// One questionnaire, in order, in one statement.
    pub async fn health_questionnaire(&mut self, id: i64) -> Result<Questionnaire, StoreError> {
        let rows: Vec<QuestionRow> = self
            .all(
                q("SELECT k.kind, k.version, g.id AS group_id, g.code AS group_code, g.label AS group_label, \
                          x.id AS question_id, x.code AS question_code, x.label AS question_label, \
                          x.text AS question_text \
                   FROM health_questionnaires k JOIN health_groups g ON g.questionnaire_id = k.id \
                   JOIN health_questions x ON x.group_id = g.id \
                   WHERE k.id = ? ORDER BY g.position, x.position")
                .bind(id),
            )
            .await?;
        let mut out = Questionnaire {
            id,
            kind: Kind::Pulse,
            version: 0,
            groups: Vec::new(),
        };
        for r in rows {
            out.kind = Kind::parse_code(&r.kind).unwrap_or(Kind::Pulse);
            out.version = r.version;
            if out.groups.last().is_none_or(|g| g.id != r.group_id) {
                out.groups.push(Group {
                    id: r.group_id,
                    code: r.group_code,
                    label: r.group_label,
                    questions: Vec::new(),
                });
            }
            out.groups
                .last_mut()
                .expect("pushed above")
                .questions
                .push(Question {
                    id: r.question_id,
                    code: r.question_code,
                    label: r.question_label,
                    text: r.question_text,
                });
        }
        if out.groups.is_empty() {
            return Err(StoreError::Database(sqlx::Error::RowNotFound));
        }
        Ok(out)
    }

    /// Every round of the collaboration, newest first, as `user_id` sees it.
    pub async fn health_rounds(
        &mut self,
        scope: &CollabScope,
        user_id: i64,
    ) -> Result<Vec<Round>, StoreError> {
        let rows: Vec<RoundRow> = self
            .all(
                q(format!(
                    "{ROUND} WHERE h.collaboration_id = ? ORDER BY h.number DESC"
                ))
                .bind(user_id)
                .bind(user_id)
                .bind(scope.collaboration_id()),
            )
            .await?;
        Ok(rows.into_iter().map(round).collect())
    }

    pub async fn health_round(
        &mut self,
        scope: &CollabScope,
        round_id: i64,
        user_id: i64,
    ) -> Result<Option<Round>, StoreError> {
        let row: Option<RoundRow> = self
            .opt(
                q(format!("{ROUND} WHERE h.collaboration_id = ? AND h.id = ?"))
                    .bind(user_id)
                    .bind(user_id)
                    .bind(scope.collaboration_id())
                    .bind(round_id),
            )
            .await?;
        Ok(row.map(round))
    }

    /// Opens the next round on the newest questionnaire of its kind and
    /// invites every member of the lead and partner organisations (a
    /// person in two of them answers for the one with the lowest id).
    pub async fn open_health_round(
        &mut self,
        scope: &CollabScope,
        kind: Kind,
        closes_on: &str,
        user_id: i64,
        now: i64,
    ) -> Result<i64, StoreError> {
        let questionnaire_id = self.latest_health_questionnaire_id(kind).await?;
        let number = self
            .int(
                q("SELECT COALESCE(MAX(number), 0) + 1 FROM health_rounds WHERE collaboration_id = ?")
                    .bind(scope.collaboration_id()),
            )
            .await?;
        let id = self
            .int(
                q("INSERT INTO health_rounds (collaboration_id, number, questionnaire_id, closes_on, opened_by, opened_at) \
                   VALUES (?, ?, ?, ?, ?, ?) RETURNING id")
                .bind(scope.collaboration_id())
                .bind(number)
                .bind(questionnaire_id)
                .bind(closes_on)
                .bind(user_id)
                .bind(now),
            )
            .await?;
        self.exec(
            q(
                "INSERT INTO health_invitees (round_id, user_id, organisation_id) \
               SELECT ?, m.user_id, MIN(m.organisation_id) FROM memberships m \
               JOIN participants p ON p.organisation_id = m.organisation_id \
               WHERE p.collaboration_id = ? AND p.role IN ('lead', 'partner') \
               GROUP BY m.user_id",
            )
            .bind(id)
            .bind(scope.collaboration_id()),
        )
        .await?;
        Ok(id)
    }

    /// Everyone invited to a round, to tell them.
    pub async fn health_invitees(&mut self, round_id: i64) -> Result<Vec<Invitee>, StoreError> {
        let rows: Vec<(String, String)> = self
            .all(
                q("SELECT u.email, u.name FROM health_invitees i JOIN users u ON u.id = i.user_id \
                   WHERE i.round_id = ? ORDER BY u.id")
                .bind(round_id),
            )
            .await?;
        Ok(rows
            .into_iter()
            .map(|(email, name)| Invitee { email, name })
            .collect())
    }

    /// The organisation the person answers a round for, if invited.
    pub async fn health_invitee_organisation(
        &mut self,
        round_id: i64,
        user_id: i64,
    ) -> Result<Option<i64>, StoreError> {
        self.opt::<(i64,)>(
            q("SELECT organisation_id FROM health_invitees WHERE round_id = ? AND user_id = ?")
                .bind(round_id)
                .bind(user_id),
        )
        .await
        .map(|r| r.map(|(o,)| o))
    }

    /// Saves a person's response, replacing any earlier one whole.
    pub async fn save_health_response(
        &mut self,
        round_id: i64,
        user_id: i64,
        organisation_id: i64,
        answers: &[(i64, Option<u8>)],
        comment: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        self.exec(
            q("DELETE FROM health_answers WHERE round_id = ? AND user_id = ?")
                .bind(round_id)
                .bind(user_id),
        )
        .await?;
        self.exec(
            q("INSERT INTO health_responses (round_id, user_id, organisation_id, comment, answered_at) \
               VALUES (?, ?, ?, ?, ?) ON CONFLICT (round_id, user_id) DO UPDATE SET \
               organisation_id = excluded.organisation_id, comment = excluded.comment, \
               answered_at = excluded.answered_at")
            .bind(round_id)
            .bind(user_id)
            .bind(organisation_id)
            .bind(comment)
            .bind(now),
        )
        .await?;
        for (question_id, value) in answers {
            self.exec(
                q("INSERT INTO health_answers (round_id, user_id, question_id, value) VALUES (?, ?, ?, ?)")
                    .bind(round_id)
                    .bind(user_id)
                    .bind(*question_id)
                    .bind(value.map(i64::from)),
            )
            .await?;
        }
        Ok(())
    }

    /// The person's own response to a round, for them alone.
    pub async fn own_health_response(
        &mut self,
        round_id: i64,
        user_id: i64,
    ) -> Result<Option<OwnResponse>, StoreError> {
        let comment: Option<(String,)> = self
            .opt(
                q("SELECT comment FROM health_responses WHERE round_id = ? AND user_id = ?")
                    .bind(round_id)
                    .bind(user_id),
            )
            .await?;
        let Some((comment,)) = comment else {
            return Ok(None);
        };
        let answers = self
            .all(
                q("SELECT question_id, value FROM health_answers WHERE round_id = ? AND user_id = ? \
                   ORDER BY question_id")
                .bind(round_id)
                .bind(user_id),
            )
            .await?;
        Ok(Some(OwnResponse { comment, answers }))
    }

    /// Every response to a round, without names or ids, in no meaningful
    /// order: only for the domain's `results`, which applies the anonymity
    /// rules before anything is shown.
    pub async fn health_responses(&mut self, round_id: i64) -> Result<Vec<Response>, StoreError> {
        let rows: Vec<AnswerRow> = self
            .all(
                q(
                    "SELECT r.user_id, r.organisation_id, r.comment, a.question_id, a.value \
                   FROM health_responses r LEFT JOIN health_answers a \
                   ON a.round_id = r.round_id AND a.user_id = r.user_id \
                   WHERE r.round_id = ? ORDER BY r.user_id, a.question_id",
                )
                .bind(round_id),
            )
            .await?;
        Ok(responses_of(rows))
    }

    /// Closes a round now. False when it was already closed.
    pub async fn close_health_round(
        &mut self,
        scope: &CollabScope,
        round_id: i64,
        now: i64,
    ) -> Result<bool, StoreError> {
        Ok(self
            .exec(
                q("UPDATE health_rounds SET closed_at = ? \
                   WHERE id = ? AND collaboration_id = ? AND closed_at IS NULL")
                .bind(now)
                .bind(round_id)
                .bind(scope.collaboration_id()),
            )
            .await?
            > 0)
    }
}
