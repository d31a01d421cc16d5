//! Calendar feeds: each person's secret addresses for a collaboration's
//! tasks or their own, kept only as hashes, and the tasks a feed shows.

use crate::StoreError;
use crate::collaborations::CollabScope;
use crate::db::{Tx, Val, q};
use crate::tasks::{COLUMNS, JOINS, ORDER, Row, Task, TaskFilter, task, with_binds};

/// Whose feed an address is, and of what.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Feed {
    pub user_id: i64,
    /// None for the person's own tasks across collaborations.
    pub collaboration_id: Option<i64>,
}

/// The most events one feed holds; far more than a plan has.
const MOST: i64 = 10_000;

impl Tx {
    /// The feed whose secret has this hash.
    pub async fn calendar_feed(&mut self, token_hash: &str) -> Result<Option<Feed>, StoreError> {
        let row: Option<(i64, Option<i64>)> = self
            .opt(
                q("SELECT user_id, collaboration_id FROM calendar_feeds WHERE token_hash = ?")
                    .bind(token_hash),
            )
            .await?;
        Ok(row.map(|(user_id, collaboration_id)| Feed {
            user_id,
            collaboration_id,
        }))
    }

    /// When the person's feed was made (seconds), if they have one: for a
    /// collaboration they take part in (the scope), or their own (None).
    pub async fn calendar_feed_made_at(
        &mut self,
        user_id: i64,
        scope: Option<&CollabScope>,
    ) -> Result<Option<i64>, StoreError> {
        let query = match scope {
            Some(s) => q(
                "SELECT created_at FROM calendar_feeds WHERE user_id = ? AND collaboration_id = ?",
            )
            .bind(user_id)
            .bind(s.collaboration_id()),
            None => q(
                "SELECT created_at FROM calendar_feeds WHERE user_id = ? AND collaboration_id IS NULL",
            )
            .bind(user_id),
        };
        Ok(self.opt::<(i64,)>(query).await?.map(|(t,)| t))
    }

    /// Gives the person's feed a new secret (by its hash), replacing the
    /// old one, which stops working.
    pub async fn reset_calendar_feed(
        &mut self,
        user_id: i64,
        scope: Option<&CollabScope>,
        token_hash: &str,
        at: i64,
    ) -> Result<(), StoreError> {
        let query = match scope {
            Some(s) => q(
                "INSERT INTO calendar_feeds (user_id, collaboration_id, token_hash, created_at) VALUES (?, ?, ?, ?) \
                 ON CONFLICT (user_id, collaboration_id) WHERE collaboration_id IS NOT NULL \
                 DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at",
            )
            .bind(user_id)
            .bind(s.collaboration_id()),
            None => q(
                "INSERT INTO calendar_feeds (user_id, collaboration_id, token_hash, created_at) VALUES (?, NULL, ?, ?) \
                 ON CONFLICT (user_id) WHERE collaboration_id IS NULL \
                 DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at",
            )
            .bind(user_id),
        };
        self.exec(query.bind(token_hash).bind(at)).await?;
        Ok(())
    }

    /// Every dated task of the collaboration the filter lets through, in
    /// one statement.
    pub async fn calendar_tasks(
        &mut self,
        scope: &CollabScope,
        filter: &TaskFilter,
        today: &str,
    ) -> Result<Vec<Task>, StoreError> {
        let (cond, vals) = filter.conditions(today);
        let mut all = vec![Val::from(scope.collaboration_id())];
        all.extend(vals);
        all.push(MOST.into());
        let rows: Vec<Row> = self
            .all(with_binds(
                format!(
                    "SELECT {COLUMNS} {JOINS} WHERE t.collaboration_id = ? AND t.due_on IS NOT NULL{cond} {ORDER} LIMIT ?"
                ),
                all,
            ))
            .await?;
        Ok(rows.into_iter().map(task).collect())
    }

    /// The person's dated open tasks, as on "my tasks" (assigned to them,
    /// or owned by one of their organisations and assigned to nobody), in
    /// every collaboration one of their organisations still takes part in,
    /// in one statement.
    pub async fn my_calendar_tasks(&mut self, user_id: i64) -> Result<Vec<Task>, StoreError> {
        let (matches, binds) = crate::tasks::my_matches(user_id, None);
        let rows: Vec<Row> = self
            .all(
                q(format!(
                    "SELECT {COLUMNS} {JOINS} WHERE t.id IN (SELECT x.id FROM {matches}) \
                     AND t.due_on IS NOT NULL {ORDER} LIMIT ?"
                ))
                .bind_all(binds)
                .bind(MOST),
            )
            .await?;
        Ok(rows.into_iter().map(task).collect())
    }

    /// The person's feeds as (collaboration, hash of the secret), to read
    /// the world back in tests.
    pub async fn calendar_feeds_of(
        &mut self,
        user_id: i64,
    ) -> Result<Vec<(Option<i64>, String)>, StoreError> {
        self.all(
            q("SELECT collaboration_id, token_hash FROM calendar_feeds WHERE user_id = ? ORDER BY id")
                .bind(user_id),
        )
        .await
    }
}
