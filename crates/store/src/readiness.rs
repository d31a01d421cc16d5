//! The readiness check: its questionnaire (data, by version), rounds, and
//! answers. Only [`Tx::readiness_totals`] reads other people's answers, and
//! it returns them summed per person and factor, never one by one.

use crate::StoreError;
use crate::collaborations::CollabScope;
use crate::db::{Tx, q};
use commonground_domain::readiness::{Factor, Group, Instrument, PersonFactor, Statement};

/// One time a collaboration took the check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Round {
    pub id: i64,
    pub number: i64,
    pub instrument_id: i64,
    pub opened_at: i64,
    /// Goes up with every change to the round's answers (a trigger does
    /// it, in the same transaction), so results worked out at one revision
    /// are right for as long as the revision stays the same.
    pub revision: i64,
}

struct RoundRow {
    id: i64,
    number: i64,
    instrument_id: i64,
    opened_at: i64,
    revision: i64,
}
crate::db::from_row!(RoundRow {
    id,
    number,
    instrument_id,
    opened_at,
    revision
});

impl From<RoundRow> for Round {
    fn from(r: RoundRow) -> Self {
        Round {
            id: r.id,
            number: r.number,
            instrument_id: r.instrument_id,
            opened_at: r.opened_at,
            revision: r.revision,
        }
    }
}

struct InstrumentRow {
    version: i64,
    title: String,
    group_id: i64,
    group_code: String,
    group_label: String,
    factor_id: i64,
    factor_code: String,
    factor_label: String,
    advice: String,
    statement_id: i64,
    statement_text: String,
}
crate::db::from_row!(InstrumentRow {
    version,
    title,
    group_id,
    group_code,
    group_label,
    factor_id,
    factor_code,
    factor_label,
    advice,
    statement_id,
    statement_text
});

impl Tx {
    /// The newest version of the questionnaire.
    pub async fn latest_readiness_instrument_id(&mut self) -> Result<i64, StoreError> {
        self.int(q(
            "SELECT id FROM readiness_instruments ORDER BY version DESC LIMIT 1",
        ))
        .await
    }

    /// One version of the questionnaire, in order, in one statement.
    pub async fn readiness_instrument(&mut self, id: i64) -> Result<Instrument, StoreError> {
        let rows: Vec<InstrumentRow> = self
            .all(
                q("SELECT i.version, i.title, g.id AS group_id, g.code AS group_code, g.label AS group_label, \
                          f.id AS factor_id, f.code AS factor_code, f.label AS factor_label, f.advice, \
                          s.id AS statement_id, s.text AS statement_text \
                   FROM readiness_instruments i \
                   JOIN readiness_groups g ON g.instrument_id = i.id \
                   JOIN readiness_factors f ON f.group_id = g.id \
                   JOIN readiness_statements s ON s.factor_id = f.id \
                   WHERE i.id = ? ORDER BY g.position, f.position, s.position")
                .bind(id),
            )
            .await?;
        let mut instrument = Instrument {
            id,
            version: 0,
            title: String::new(),
            groups: Vec::new(),
        };
        for r in rows {
            let (gid, fid) = (r.group_id, r.factor_id);
            instrument.version = r.version;
            instrument.title = r.title;
            if instrument.groups.last().is_none_or(|g| g.id != gid) {
                instrument.groups.push(Group {
                    id: gid,
                    code: r.group_code,
                    label: r.group_label,
                    factors: Vec::new(),
                });
            }
            let group = instrument.groups.last_mut().expect("pushed above");
            if group.factors.last().is_none_or(|f| f.id != fid) {
                group.factors.push(Factor {
                    id: fid,
                    code: r.factor_code,
                    label: r.factor_label,
                    advice: r.advice,
                    statements: Vec::new(),
                });
            }
            let factor = group.factors.last_mut().expect("pushed above");
            factor.statements.push(Statement {
                id: r.statement_id,
                text: r.statement_text,
            });
        }
        if instrument.groups.is_empty() {
            return Err(StoreError::Database(sqlx::Error::RowNotFound));
        }
        Ok(instrument)
    }

    /// Every round of the collaboration, latest first.
    pub async fn readiness_rounds(
        &mut self,
        scope: &CollabScope,
    ) -> Result<Vec<Round>, StoreError> {
        let rows: Vec<RoundRow> = self
            .all(
                q(
                    "SELECT id, number, instrument_id, opened_at, revision FROM readiness_rounds \
                   WHERE collaboration_id = ? ORDER BY number DESC",
                )
                .bind(scope.collaboration_id()),
            )
            .await?;
        Ok(rows.into_iter().map(Round::from).collect())
    }

    /// Opens the next round on the newest questionnaire.
    pub async fn open_readiness_round(
        &mut self,
        scope: &CollabScope,
        user_id: i64,
        now: i64,
    ) -> Result<Round, StoreError> {
        let instrument_id = self.latest_readiness_instrument_id().await?;
        let number = self
            .int(
                q("SELECT COALESCE(MAX(number), 0) + 1 FROM readiness_rounds WHERE collaboration_id = ?")
                    .bind(scope.collaboration_id()),
            )
            .await?;
        let row: RoundRow = self
            .one(
                q("INSERT INTO readiness_rounds (collaboration_id, number, instrument_id, opened_by, opened_at) \
                   VALUES (?, ?, ?, ?, ?) RETURNING id, number, instrument_id, opened_at, revision")
                .bind(scope.collaboration_id())
                .bind(number)
                .bind(instrument_id)
                .bind(user_id)
                .bind(now),
            )
            .await?;
        Ok(row.into())
    }

    /// Saves a person's answers in a round, replacing earlier answers to the
    /// same statements.
    pub async fn save_readiness_answers(
        &mut self,
        round: &Round,
        user_id: i64,
        organisation_id: i64,
        answers: &[(i64, Option<u8>)],
        now: i64,
    ) -> Result<(), StoreError> {
        for (statement_id, value) in answers {
            self.exec(
                q("INSERT INTO readiness_answers (round_id, user_id, statement_id, organisation_id, value, answered_at) \
                   VALUES (?, ?, ?, ?, ?, ?) \
                   ON CONFLICT (round_id, user_id, statement_id) DO UPDATE SET \
                   value = excluded.value, organisation_id = excluded.organisation_id, answered_at = excluded.answered_at")
                .bind(round.id)
                .bind(user_id)
                .bind(*statement_id)
                .bind(organisation_id)
                .bind(value.map(i64::from))
                .bind(now),
            )
            .await?;
        }
        Ok(())
    }

    /// The person's own answers in a round: statement id and value (None
    /// for "don't know").
    pub async fn my_readiness_answers(
        &mut self,
        round: &Round,
        user_id: i64,
    ) -> Result<Vec<(i64, Option<i64>)>, StoreError> {
        self.all(
            q("SELECT statement_id, value FROM readiness_answers WHERE round_id = ? AND user_id = ? \
               ORDER BY statement_id")
            .bind(round.id)
            .bind(user_id),
        )
        .await
    }

    /// How many people answered the round, and each person's totals per
    /// factor. People are numbered 1, 2, … in no meaningful order, so not
    /// even their account ids leave the store.
    pub async fn readiness_totals(
        &mut self,
        round: &Round,
    ) -> Result<(usize, Vec<PersonFactor>), StoreError> {
        let rows: Vec<(i64, i64, i64, i64)> = self
            .all(
                q(
                    "SELECT a.user_id, s.factor_id, CAST(COALESCE(SUM(a.value), 0) AS BIGINT), COUNT(a.value) \
                   FROM readiness_answers a JOIN readiness_statements s ON s.id = a.statement_id \
                   WHERE a.round_id = ? GROUP BY a.user_id, s.factor_id ORDER BY a.user_id",
                )
                .bind(round.id),
            )
            .await?;
        let mut people = 0usize;
        let mut last = None;
        let mut out = Vec::with_capacity(rows.len());
        for (user, factor_id, sum, count) in rows {
            if last != Some(user) {
                people += 1;
                last = Some(user);
            }
            out.push(PersonFactor {
                person: people as i64,
                factor_id,
                sum,
                count,
            });
        }
        Ok((people, out))
    }
}
