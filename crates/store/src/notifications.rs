//! Notifications: created in the transaction of the write that causes
//! them, listed for their person only, and emailed by the reminder job,
//! which claims each email in the database before sending it so that
//! several servers sharing one database send it once.

use crate::StoreError;
use crate::db::{Tx, placeholders, q};
use commonground_domain::notifications::{Delivery, Kind, Settings};

/// One notification as its person sees it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Notification {
    pub id: i64,
    pub kind: Kind,
    pub collaboration_id: Option<i64>,
    pub sentence: String,
    /// A path on this site, such as `/tasks/12`.
    pub link: String,
    pub created_at: i64,
    pub read_at: Option<i64>,
}

struct Row {
    id: i64,
    kind: String,
    collaboration_id: Option<i64>,
    sentence: String,
    link: String,
    created_at: i64,
    read_at: Option<i64>,
}
crate::db::from_row!(Row {
    id,
    kind,
    collaboration_id,
    sentence,
    link,
    created_at,
    read_at
});

/// Something to tell people about.
#[derive(Debug, Clone)]
pub struct NewNotification<'a> {
    pub kind: Kind,
    pub collaboration_id: i64,
    pub sentence: &'a str,
    pub link: &'a str,
    /// Names the event, so that it is told once per person.
    pub dedupe_key: &'a str,
}

/// An email to send now, claimed by this server.
#[derive(Debug, Clone)]
pub struct ClaimedEmail {
    pub email: String,
    pub name: String,
    pub sentence: String,
    pub link: String,
}

/// The email state a new notification of `kind` starts in, from the
/// person's choice or the kind's default, in SQL (`user` is the column
/// holding the person's id).
fn email_state_sql(user: &str) -> String {
    format!(
        "CASE COALESCE((SELECT ns.delivery FROM notification_settings ns \
                         WHERE ns.user_id = {user} AND ns.kind = ?), ?) \
           WHEN 'immediately' THEN 'pending' WHEN 'digest' THEN 'digest' ELSE 'none' END"
    )
}

/// The person `user` belongs to an organisation taking part in the
/// collaboration `collab` (both SQL expressions).
fn can_see_sql(user: &str, collab: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM memberships m JOIN participants p ON p.organisation_id = m.organisation_id \
                 WHERE m.user_id = {user} AND p.collaboration_id = {collab})"
    )
}

impl Tx {
    /// Tells each of `recipients` about something, in this transaction,
    /// except `actor` (who did it) and anyone who cannot see the
    /// collaboration. Telling the same person about the same
    /// `dedupe_key` again does nothing. Returns how many were created.
    pub async fn notify(
        &mut self,
        recipients: &[i64],
        actor: i64,
        n: &NewNotification<'_>,
        now: i64,
    ) -> Result<u64, StoreError> {
        let mut to: Vec<i64> = recipients.iter().copied().filter(|r| *r != actor).collect();
        to.sort_unstable();
        to.dedup();
        if to.is_empty() {
            return Ok(0);
        }
        let sql = format!(
            "INSERT INTO notifications (user_id, kind, collaboration_id, sentence, link, dedupe_key, \
                                        created_at, email_state) \
             SELECT u.id, ?, ?, ?, ?, ?, ?, {} FROM users u \
             WHERE u.id IN ({}) AND {} \
             ON CONFLICT (user_id, dedupe_key) DO NOTHING",
            email_state_sql("u.id"),
            placeholders(to.len()),
            can_see_sql("u.id", "?"),
        );
        self.exec(
            q(sql)
                .bind(n.kind.code())
                .bind(n.collaboration_id)
                .bind(n.sentence)
                .bind(n.link)
                .bind(n.dedupe_key)
                .bind(now)
                .bind(n.kind.code())
                .bind(n.kind.default_delivery().code())
                .bind_all(to)
                .bind(n.collaboration_id),
        )
        .await
    }

    /// One page of the person's notifications, newest first, with how
    /// many there are and how many are unread.
    pub async fn notifications(
        &mut self,
        user_id: i64,
        unread_only: bool,
        page: i64,
        size: i64,
    ) -> Result<(i64, i64, Vec<Notification>), StoreError> {
        let (total, unread): (i64, i64) = self
            .one(
                q("SELECT COUNT(*), COALESCE(SUM(CASE WHEN read_at IS NULL THEN 1 ELSE 0 END), 0) \
                   FROM notifications WHERE user_id = ?")
                .bind(user_id),
            )
            .await?;
        let only = if unread_only {
            " AND read_at IS NULL"
        } else {
            ""
        };
        let rows: Vec<Row> = self
            .all(
                q(format!(
                    "SELECT id, kind, collaboration_id, sentence, link, created_at, read_at \
                     FROM notifications WHERE user_id = ?{only} ORDER BY id DESC LIMIT ? OFFSET ?"
                ))
                .bind(user_id)
                .bind(size)
                .bind((page.max(1) - 1) * size),
            )
            .await?;
        let items = rows
            .into_iter()
            .filter_map(|r| {
                Some(Notification {
                    id: r.id,
                    kind: Kind::parse_code(&r.kind)?,
                    collaboration_id: r.collaboration_id,
                    sentence: r.sentence,
                    link: r.link,
                    created_at: r.created_at,
                    read_at: r.read_at,
                })
            })
            .collect();
        Ok((if unread_only { unread } else { total }, unread, items))
    }

    /// Whether the person has this notification (another person's is
    /// not found).
    pub async fn notification_exists(&mut self, user_id: i64, id: i64) -> Result<bool, StoreError> {
        Ok(self
            .opt::<(i64,)>(
                q("SELECT id FROM notifications WHERE user_id = ? AND id = ?")
                    .bind(user_id)
                    .bind(id),
            )
            .await?
            .is_some())
    }

    /// Marks one of the person's notifications read (keeping the first
    /// time it was read). False when they have no such notification.
    pub async fn mark_notification_read(
        &mut self,
        user_id: i64,
        id: i64,
        now: i64,
    ) -> Result<bool, StoreError> {
        if !self.notification_exists(user_id, id).await? {
            return Ok(false);
        }
        self.exec(
            q("UPDATE notifications SET read_at = ? WHERE user_id = ? AND id = ? AND read_at IS NULL")
                .bind(now)
                .bind(user_id)
                .bind(id),
        )
        .await?;
        Ok(true)
    }

    /// Marks all the person's notifications read; returns how many were unread.
    pub async fn mark_all_notifications_read(
        &mut self,
        user_id: i64,
        now: i64,
    ) -> Result<u64, StoreError> {
        self.exec(
            q("UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL")
                .bind(now)
                .bind(user_id),
        )
        .await
    }

    /// The person's choice for every kind (defaults where they chose nothing).
    pub async fn notification_settings(&mut self, user_id: i64) -> Result<Settings, StoreError> {
        let rows: Vec<(String, String)> = self
            .all(
                q("SELECT kind, delivery FROM notification_settings WHERE user_id = ?")
                    .bind(user_id),
            )
            .await?;
        let choices: Vec<(Kind, Delivery)> = rows
            .iter()
            .filter_map(|(k, d)| Some((Kind::parse_code(k)?, Delivery::parse_code(d)?)))
            .collect();
        Ok(Settings::with_choices(&choices))
    }

    /// Keeps the person's choices; already waiting notifications keep
    /// the way they were to be sent.
    pub async fn set_notification_settings(
        &mut self,
        user_id: i64,
        settings: &Settings,
    ) -> Result<(), StoreError> {
        self.exec(q("DELETE FROM notification_settings WHERE user_id = ?").bind(user_id))
            .await?;
        for (kind, delivery) in &settings.0 {
            self.exec(
                q("INSERT INTO notification_settings (user_id, kind, delivery) VALUES (?, ?, ?)")
                    .bind(user_id)
                    .bind(kind.code())
                    .bind(delivery.code()),
            )
            .await?;
        }
        Ok(())
    }

    /// The admins of the lead and partner organisations of a
    /// collaboration: the people who approve for them.
    pub async fn approver_admins(&mut self, collaboration_id: i64) -> Result<Vec<i64>, StoreError> {
        let rows: Vec<(i64,)> = self
            .all(
                q("SELECT DISTINCT m.user_id FROM participants p \
                   JOIN memberships m ON m.organisation_id = p.organisation_id \
                   WHERE p.collaboration_id = ? AND p.role IN ('lead', 'partner') AND m.role = 'admin' \
                   ORDER BY m.user_id")
                .bind(collaboration_id),
            )
            .await?;
        Ok(rows.into_iter().map(|(u,)| u).collect())
    }

    /// Who can cast a vote on a proposal put to `body_id`: the admins of
    /// the lead and partner organisations, and the people who sit on the
    /// body for one of them.
    pub async fn proposal_voters(
        &mut self,
        collaboration_id: i64,
        body_id: Option<i64>,
    ) -> Result<Vec<i64>, StoreError> {
        let rows: Vec<(i64,)> = self
            .all(
                q("SELECT m.user_id FROM participants p \
                   JOIN memberships m ON m.organisation_id = p.organisation_id \
                   WHERE p.collaboration_id = ? AND p.role IN ('lead', 'partner') AND m.role = 'admin' \
                   UNION \
                   SELECT g.user_id FROM governance_members g \
                   JOIN participants p ON p.organisation_id = g.organisation_id \
                     AND p.collaboration_id = ? AND p.role IN ('lead', 'partner') \
                   WHERE g.body_id = ? ORDER BY 1")
                .bind(collaboration_id)
                .bind(collaboration_id)
                .bind(body_id),
            )
            .await?;
        Ok(rows.into_iter().map(|(u,)| u).collect())
    }

    /// Reminds the admins of every lead or partner organisation that has
    /// not voted on a proposal whose voting closes between `today` and
    /// `soon` (inclusive). Once per person and proposal.
    pub async fn create_vote_reminders(
        &mut self,
        today: &str,
        soon: &str,
        now: i64,
    ) -> Result<u64, StoreError> {
        let kind = Kind::VoteClosingSoon;
        let key = format!("'{}:' || CAST(pr.id AS TEXT)", kind.code());
        let sql = format!(
            "INSERT INTO notifications (user_id, kind, collaboration_id, sentence, link, dedupe_key, \
                                        created_at, email_state) \
             SELECT DISTINCT m.user_id, ?, pr.collaboration_id, \
                    'Voting on \u{201c}' || pr.title || '\u{201d} in \u{201c}' || c.title || '\u{201d} closes at the end of ' \
                      || pr.closes_on || ', and your organisation has not voted yet.', \
                    '/proposals/' || CAST(pr.id AS TEXT), {key}, ?, {state} \
             FROM proposals pr JOIN collaborations c ON c.id = pr.collaboration_id \
             JOIN participants p ON p.collaboration_id = pr.collaboration_id AND p.role IN ('lead', 'partner') \
             JOIN memberships m ON m.organisation_id = p.organisation_id AND m.role = 'admin' \
             WHERE pr.closed_at IS NULL AND pr.outcome = '' AND pr.closes_on >= ? AND pr.closes_on <= ? \
               AND NOT EXISTS (SELECT 1 FROM proposal_votes v \
                               WHERE v.proposal_id = pr.id AND v.organisation_id = p.organisation_id) \
               AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.user_id = m.user_id AND n.dedupe_key = {key}) \
             ON CONFLICT (user_id, dedupe_key) DO NOTHING",
            state = email_state_sql("m.user_id"),
        );
        self.exec(
            q(sql)
                .bind(kind.code())
                .bind(now)
                .bind(kind.code())
                .bind(kind.default_delivery().code())
                .bind(today)
                .bind(soon),
        )
        .await
    }

    /// The open tasks that depend on a task and have someone assigned:
    /// (task id, title, assignee).
    pub async fn assigned_dependents(
        &mut self,
        collaboration_id: i64,
        task_id: i64,
    ) -> Result<Vec<(i64, String, i64)>, StoreError> {
        self.all(
            q(
                "SELECT t.id, t.title, t.assignee_id FROM task_dependencies d \
               JOIN tasks t ON t.id = d.task_id \
               WHERE d.depends_on_id = ? AND t.collaboration_id = ? AND t.assignee_id IS NOT NULL \
                 AND t.status IN ('not_started', 'in_progress', 'blocked') \
               ORDER BY t.id",
            )
            .bind(task_id)
            .bind(collaboration_id),
        )
        .await
    }

    /// Creates the due-soon and overdue reminders of every open, assigned
    /// task due by `soon` (today plus the warning days): one per (person,
    /// kind, task, due date), whatever ran before. Tasks due before
    /// `today` get the overdue one; the others the due-soon one. Returns
    /// how many were created.
    pub async fn create_task_reminders(
        &mut self,
        today: &str,
        soon: &str,
        now: i64,
    ) -> Result<u64, StoreError> {
        let mut created = 0;
        for (kind, cond, words) in [
            (Kind::Overdue, "t.due_on < ?", "' was due on '"),
            (
                Kind::DueSoon,
                "t.due_on >= ? AND t.due_on <= ?",
                "' is due on '",
            ),
        ] {
            let key = format!(
                "'{}:' || CAST(t.id AS TEXT) || ':' || t.due_on",
                kind.code()
            );
            let sql = format!(
                "INSERT INTO notifications (user_id, kind, collaboration_id, sentence, link, dedupe_key, \
                                            created_at, email_state) \
                 SELECT t.assignee_id, ?, t.collaboration_id, \
                        'The task \u{201c}' || t.title || '\u{201d} in \u{201c}' || c.title || '\u{201d}' || {words} || t.due_on || '.', \
                        '/tasks/' || CAST(t.id AS TEXT), {key}, ?, {state} \
                 FROM tasks t JOIN collaborations c ON c.id = t.collaboration_id \
                 WHERE t.assignee_id IS NOT NULL AND t.status IN ('not_started', 'in_progress', 'blocked') \
                   AND {cond} \
                   AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.user_id = t.assignee_id AND n.dedupe_key = {key}) \
                   AND {visible} \
                 ON CONFLICT (user_id, dedupe_key) DO NOTHING",
                state = email_state_sql("t.assignee_id"),
                visible = can_see_sql("t.assignee_id", "t.collaboration_id"),
            );
            let mut query = q(sql)
                .bind(kind.code())
                .bind(now)
                .bind(kind.code())
                .bind(kind.default_delivery().code())
                .bind(today);
            if kind == Kind::DueSoon {
                query = query.bind(soon);
            }
            created += self.exec(query).await?;
        }
        Ok(created)
    }

    /// Notifications waiting to be emailed at once, oldest first.
    pub async fn pending_emails(&mut self, limit: i64) -> Result<Vec<i64>, StoreError> {
        let rows: Vec<(i64,)> = self
            .all(
                q("SELECT id FROM notifications WHERE email_state = 'pending' ORDER BY id LIMIT ?")
                    .bind(limit),
            )
            .await?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    /// Claims one waiting email for this server: only the transaction
    /// whose update changes the row sends it. None when another server
    /// has claimed it.
    pub async fn claim_email(
        &mut self,
        id: i64,
        now: i64,
    ) -> Result<Option<ClaimedEmail>, StoreError> {
        let n = self
            .exec(
                q(
                    "UPDATE notifications SET email_state = 'sent', emailed_at = ? \
                   WHERE id = ? AND email_state = 'pending'",
                )
                .bind(now)
                .bind(id),
            )
            .await?;
        if n != 1 {
            return Ok(None);
        }
        let row: Option<(String, String, String, String)> = self
            .opt(
                q(
                    "SELECT u.email, u.name, n.sentence, n.link FROM notifications n \
                   JOIN users u ON u.id = n.user_id WHERE n.id = ?",
                )
                .bind(id),
            )
            .await?;
        Ok(row.map(|(email, name, sentence, link)| ClaimedEmail {
            email,
            name,
            sentence,
            link,
        }))
    }

    /// People with notifications waiting for a digest and no digest
    /// claimed for `day` yet.
    pub async fn digests_due(&mut self, day: &str, limit: i64) -> Result<Vec<i64>, StoreError> {
        let rows: Vec<(i64,)> = self
            .all(
                q("SELECT DISTINCT n.user_id FROM notifications n WHERE n.email_state = 'digest' \
                   AND NOT EXISTS (SELECT 1 FROM notification_digests d WHERE d.user_id = n.user_id AND d.day = ?) \
                   ORDER BY n.user_id LIMIT ?")
                .bind(day)
                .bind(limit),
            )
            .await?;
        Ok(rows.into_iter().map(|(u,)| u).collect())
    }

    /// Claims the person's digest for `day` and takes what it lists:
    /// None when another server claimed it (or nothing waits). The
    /// claim is a row keyed by (person, day): only one insert succeeds.
    pub async fn claim_digest(
        &mut self,
        user_id: i64,
        day: &str,
        now: i64,
    ) -> Result<Option<(String, String, Vec<(String, String)>)>, StoreError> {
        let n = self
            .exec(
                q(
                    "INSERT INTO notification_digests (user_id, day, sent_at) VALUES (?, ?, ?) \
                   ON CONFLICT (user_id, day) DO NOTHING",
                )
                .bind(user_id)
                .bind(day)
                .bind(now),
            )
            .await?;
        if n != 1 {
            return Ok(None);
        }
        let items: Vec<(i64, String, String)> = self
            .all(
                q("SELECT id, sentence, link FROM notifications \
                   WHERE user_id = ? AND email_state = 'digest' ORDER BY id")
                .bind(user_id),
            )
            .await?;
        let Some(last) = items.last().map(|i| i.0) else {
            return Ok(None);
        };
        self.exec(
            q(
                "UPDATE notifications SET email_state = 'sent', emailed_at = ? \
               WHERE user_id = ? AND email_state = 'digest' AND id <= ?",
            )
            .bind(now)
            .bind(user_id)
            .bind(last),
        )
        .await?;
        let (email, name): (String, String) = self
            .one(q("SELECT email, name FROM users WHERE id = ?").bind(user_id))
            .await?;
        Ok(Some((
            email,
            name,
            items.into_iter().map(|(_, s, l)| (s, l)).collect(),
        )))
    }
}
