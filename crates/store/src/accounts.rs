//! People, their sessions and API tokens, sign-in attempts and password resets.

use crate::db::{Tx, q};
use crate::organisations::MyOrganisation;
use crate::{StoreError, hash_token};
use commonground_domain::organisations::OrgRole;

#[derive(Debug, Clone, serde::Serialize)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub is_operator: bool,
    pub created_at: i64,
}
crate::db::from_row!(User {
    id,
    email,
    name,
    is_operator,
    created_at
});

#[derive(Debug, Clone)]
pub struct Credentials {
    pub id: i64,
    pub password_hash: String,
}
crate::db::from_row!(Credentials { id, password_hash });

/// A signed-in browser session, with the person it belongs to.
#[derive(Debug, Clone)]
pub struct Session {
    pub user_id: i64,
    pub email: String,
    pub name: String,
    pub is_operator: bool,
    pub csrf_token: String,
    pub acting_organisation_id: Option<i64>,
    pub expires_at: i64,
    pub last_seen_at: i64,
    /// How many of the person's notifications are unread, read with the
    /// session for the count in every page's header.
    pub unread_notifications: i64,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct ApiToken {
    pub id: i64,
    pub label: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}
crate::db::from_row!(ApiToken {
    id,
    label,
    created_at,
    last_used_at,
    revoked_at
});

/// How long a session lasts without use.
pub const SESSION_IDLE_SECONDS: i64 = 14 * 24 * 3600;
/// Sessions are extended at most this often, so reads stay reads.
const SESSION_TOUCH_SECONDS: i64 = 3600;
/// How long a password reset link works.
pub const PASSWORD_RESET_SECONDS: i64 = 3600;

impl Tx {
    pub async fn create_user(
        &mut self,
        email: &str,
        name: &str,
        password_hash: &str,
        is_operator: bool,
        now: i64,
    ) -> Result<User, StoreError> {
        self.one(
            q(
                "INSERT INTO users (email, name, password_hash, is_operator, created_at) \
               VALUES (?, ?, ?, ?, ?) RETURNING id, email, name, is_operator, created_at",
            )
            .bind(email)
            .bind(name)
            .bind(password_hash)
            .bind(is_operator)
            .bind(now),
        )
        .await
    }

    pub async fn user(&mut self, id: i64) -> Result<Option<User>, StoreError> {
        self.opt(
            q("SELECT id, email, name, is_operator, created_at FROM users WHERE id = ?").bind(id),
        )
        .await
    }

    pub async fn user_by_email(&mut self, email: &str) -> Result<Option<User>, StoreError> {
        self.opt(
            q("SELECT id, email, name, is_operator, created_at FROM users WHERE email = ?")
                .bind(email),
        )
        .await
    }

    pub async fn credentials(&mut self, email: &str) -> Result<Option<Credentials>, StoreError> {
        self.opt(q("SELECT id, password_hash FROM users WHERE email = ?").bind(email))
            .await
    }

    pub async fn set_password(
        &mut self,
        user_id: i64,
        password_hash: &str,
    ) -> Result<(), StoreError> {
        self.exec(
            q("UPDATE users SET password_hash = ? WHERE id = ?")
                .bind(password_hash)
                .bind(user_id),
        )
        .await?;
        Ok(())
    }

    pub async fn set_operator(
        &mut self,
        user_id: i64,
        is_operator: bool,
    ) -> Result<(), StoreError> {
        self.exec(
            q("UPDATE users SET is_operator = ? WHERE id = ?")
                .bind(is_operator)
                .bind(user_id),
        )
        .await?;
        Ok(())
    }

    pub async fn count_users(&mut self) -> Result<i64, StoreError> {
        self.int(q("SELECT COUNT(*) FROM users")).await
    }

    // --- sessions -------------------------------------------------------

    /// Starts a session; returns the secret for the cookie.
    pub async fn create_session(
        &mut self,
        user_id: i64,
        acting_organisation_id: Option<i64>,
        now: i64,
    ) -> Result<String, StoreError> {
        let token = crate::random_token();
        self.exec(
            q("INSERT INTO sessions (token_hash, user_id, csrf_token, acting_organisation_id, created_at, expires_at, last_seen_at) \
               VALUES (?, ?, ?, ?, ?, ?, ?)")
            .bind(hash_token(&token))
            .bind(user_id)
            .bind(crate::random_token())
            .bind(acting_organisation_id)
            .bind(now)
            .bind(now + SESSION_IDLE_SECONDS)
            .bind(now),
        )
        .await?;
        Ok(token)
    }

    /// A live session. (Pages read it with the person's organisations,
    /// through [`Tx::session_with_organisations`]; this is the same read.)
    pub async fn session(&mut self, token: &str, now: i64) -> Result<Option<Session>, StoreError> {
        Ok(self
            .session_with_organisations(token, now)
            .await?
            .map(|(session, _)| session))
    }

    /// A live session with the person's organisations, by name, in one
    /// statement: every signed-in page starts with this.
    pub async fn session_with_organisations(
        &mut self,
        token: &str,
        now: i64,
    ) -> Result<Option<(Session, Vec<MyOrganisation>)>, StoreError> {
        struct Row {
            user_id: i64,
            email: String,
            name: String,
            is_operator: bool,
            csrf_token: String,
            acting_organisation_id: Option<i64>,
            expires_at: i64,
            last_seen_at: i64,
            unread_notifications: i64,
            organisation_id: Option<i64>,
            organisation_name: Option<String>,
            organisation_role: Option<String>,
        }
        crate::db::from_row!(Row {
            user_id,
            email,
            name,
            is_operator,
            csrf_token,
            acting_organisation_id,
            expires_at,
            last_seen_at,
            unread_notifications,
            organisation_id,
            organisation_name,
            organisation_role
        });
        let rows: Vec<Row> = self
            .all(
                q("SELECT s.user_id, u.email, u.name, u.is_operator, s.csrf_token, s.acting_organisation_id, \
                          s.expires_at, s.last_seen_at, \
                          (SELECT COUNT(*) FROM notifications n WHERE n.user_id = s.user_id AND n.read_at IS NULL) \
                            AS unread_notifications, \
                          o.id AS organisation_id, o.name AS organisation_name, \
                          m.role AS organisation_role \
                   FROM sessions s JOIN users u ON u.id = s.user_id \
                   LEFT JOIN memberships m ON m.user_id = s.user_id \
                   LEFT JOIN organisations o ON o.id = m.organisation_id \
                   WHERE s.token_hash = ? AND s.expires_at > ? \
                   ORDER BY o.name_lower, o.id")
                .bind(hash_token(token))
                .bind(now),
            )
            .await?;
        let mut organisations = Vec::with_capacity(rows.len());
        let mut session = None;
        for row in rows {
            if let (Some(id), Some(name), Some(role)) = (
                row.organisation_id,
                row.organisation_name,
                row.organisation_role,
            ) {
                organisations.push(MyOrganisation {
                    id,
                    name,
                    role: OrgRole::parse_code(&role).unwrap_or(OrgRole::Member),
                });
            }
            if session.is_none() {
                session = Some(Session {
                    user_id: row.user_id,
                    email: row.email,
                    name: row.name,
                    is_operator: row.is_operator,
                    csrf_token: row.csrf_token,
                    acting_organisation_id: row.acting_organisation_id,
                    expires_at: row.expires_at,
                    last_seen_at: row.last_seen_at,
                    unread_notifications: row.unread_notifications,
                });
            }
        }
        Ok(session.map(|s| (s, organisations)))
    }

    /// Extends a session that is in use. Cheap to call on every request:
    /// it writes at most once an hour per session.
    pub async fn touch_session(
        &mut self,
        token: &str,
        session: &Session,
        now: i64,
    ) -> Result<(), StoreError> {
        if now - session.last_seen_at < SESSION_TOUCH_SECONDS {
            return Ok(());
        }
        self.exec(
            q("UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE token_hash = ?")
                .bind(now)
                .bind(now + SESSION_IDLE_SECONDS)
                .bind(hash_token(token)),
        )
        .await?;
        Ok(())
    }

    pub async fn set_acting_organisation(
        &mut self,
        token: &str,
        organisation_id: Option<i64>,
    ) -> Result<(), StoreError> {
        self.exec(
            q("UPDATE sessions SET acting_organisation_id = ? WHERE token_hash = ?")
                .bind(organisation_id)
                .bind(hash_token(token)),
        )
        .await?;
        Ok(())
    }

    pub async fn delete_session(&mut self, token: &str) -> Result<(), StoreError> {
        self.exec(q("DELETE FROM sessions WHERE token_hash = ?").bind(hash_token(token)))
            .await?;
        Ok(())
    }

    /// Signs a person out everywhere, e.g. after a password reset.
    pub async fn delete_sessions_of(&mut self, user_id: i64) -> Result<(), StoreError> {
        self.exec(q("DELETE FROM sessions WHERE user_id = ?").bind(user_id))
            .await?;
        Ok(())
    }

    /// Removes expired sessions, old sign-in attempts and used reset links.
    pub async fn sweep_expired(&mut self, now: i64) -> Result<u64, StoreError> {
        let mut n = self
            .exec(q("DELETE FROM sessions WHERE expires_at <= ?").bind(now))
            .await?;
        n += self
            .exec(q("DELETE FROM sign_in_attempts WHERE at <= ?").bind(now - 24 * 3600))
            .await?;
        n += self
            .exec(q("DELETE FROM password_resets WHERE expires_at <= ?").bind(now - 24 * 3600))
            .await?;
        Ok(n)
    }

    // --- sign-in rate limits -------------------------------------------

    /// Failed attempts for `key` in `scope` since `since`.
    pub async fn count_failed_sign_ins(
        &mut self,
        scope: &str,
        key: &str,
        since: i64,
    ) -> Result<i64, StoreError> {
        self.int(
            q("SELECT COUNT(*) FROM sign_in_attempts WHERE scope = ? AND key = ? AND at > ?")
                .bind(scope)
                .bind(key)
                .bind(since),
        )
        .await
    }

    pub async fn record_failed_sign_in(
        &mut self,
        scope: &str,
        key: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        self.exec(
            q("INSERT INTO sign_in_attempts (scope, key, at) VALUES (?, ?, ?)")
                .bind(scope)
                .bind(key)
                .bind(now),
        )
        .await?;
        Ok(())
    }

    pub async fn clear_failed_sign_ins(
        &mut self,
        scope: &str,
        key: &str,
    ) -> Result<(), StoreError> {
        self.exec(
            q("DELETE FROM sign_in_attempts WHERE scope = ? AND key = ?")
                .bind(scope)
                .bind(key),
        )
        .await?;
        Ok(())
    }

    // --- personal access tokens ----------------------------------------

    /// Creates a token; returns its record and the secret, shown once.
    pub async fn create_api_token(
        &mut self,
        user_id: i64,
        label: &str,
        now: i64,
    ) -> Result<(ApiToken, String), StoreError> {
        let secret = format!("cg_{}", crate::random_token());
        let token = self
            .one(
                q("INSERT INTO api_tokens (user_id, label, token_hash, created_at) VALUES (?, ?, ?, ?) \
                   RETURNING id, label, created_at, last_used_at, revoked_at")
                .bind(user_id)
                .bind(label)
                .bind(hash_token(&secret))
                .bind(now),
            )
            .await?;
        Ok((token, secret))
    }

    /// The person a live token belongs to, the token and when it was last
    /// used, and the ids of the person's organisations.
    pub async fn user_for_api_token(
        &mut self,
        secret: &str,
    ) -> Result<Option<(User, i64, Option<i64>, Vec<i64>)>, StoreError> {
        struct Row {
            token_id: i64,
            last_used_at: Option<i64>,
            id: i64,
            email: String,
            name: String,
            is_operator: bool,
            created_at: i64,
            organisation_id: Option<i64>,
        }
        crate::db::from_row!(Row {
            token_id,
            last_used_at,
            id,
            email,
            name,
            is_operator,
            created_at,
            organisation_id
        });
        // One row for each of the person's organisations (one with none
        // when they belong to none).
        let rows: Vec<Row> = self
            .all(
                q("SELECT t.id AS token_id, t.last_used_at, u.id, u.email, u.name, u.is_operator, u.created_at, \
                          m.organisation_id \
                   FROM api_tokens t JOIN users u ON u.id = t.user_id \
                   LEFT JOIN memberships m ON m.user_id = u.id \
                   WHERE t.token_hash = ? AND t.revoked_at IS NULL ORDER BY m.organisation_id")
                .bind(hash_token(secret)),
            )
            .await?;
        let organisations: Vec<i64> = rows.iter().filter_map(|r| r.organisation_id).collect();
        Ok(rows.into_iter().next().map(|r| {
            (
                User {
                    id: r.id,
                    email: r.email,
                    name: r.name,
                    is_operator: r.is_operator,
                    created_at: r.created_at,
                },
                r.token_id,
                r.last_used_at,
                organisations,
            )
        }))
    }

    pub async fn mark_api_token_used(&mut self, token_id: i64, now: i64) -> Result<(), StoreError> {
        self.exec(
            q("UPDATE api_tokens SET last_used_at = ? WHERE id = ?")
                .bind(now)
                .bind(token_id),
        )
        .await?;
        Ok(())
    }

    pub async fn api_tokens(&mut self, user_id: i64) -> Result<Vec<ApiToken>, StoreError> {
        self.all(
            q(
                "SELECT id, label, created_at, last_used_at, revoked_at FROM api_tokens \
               WHERE user_id = ? ORDER BY id DESC LIMIT 200",
            )
            .bind(user_id),
        )
        .await
    }

    /// Revokes one of the person's own tokens. False when there is no such live token.
    pub async fn revoke_api_token(
        &mut self,
        user_id: i64,
        token_id: i64,
        now: i64,
    ) -> Result<bool, StoreError> {
        let n = self
            .exec(
                q("UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL")
                    .bind(now)
                    .bind(token_id)
                    .bind(user_id),
            )
            .await?;
        Ok(n == 1)
    }

    // --- password resets -------------------------------------------------

    pub async fn create_password_reset(
        &mut self,
        user_id: i64,
        now: i64,
    ) -> Result<String, StoreError> {
        let token = crate::random_token();
        self.exec(
            q("INSERT INTO password_resets (user_id, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?)")
                .bind(user_id)
                .bind(hash_token(&token))
                .bind(now)
                .bind(now + PASSWORD_RESET_SECONDS),
        )
        .await?;
        Ok(token)
    }

    /// The person a live reset link belongs to, without using it up.
    pub async fn password_reset_user(
        &mut self,
        token: &str,
        now: i64,
    ) -> Result<Option<i64>, StoreError> {
        Ok(self
            .opt::<(i64,)>(
                q("SELECT user_id FROM password_resets WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?")
                    .bind(hash_token(token))
                    .bind(now),
            )
            .await?
            .map(|r| r.0))
    }

    /// Uses up a reset link; returns its person if it was still live.
    /// Every other live link of theirs is used up too.
    pub async fn consume_password_reset(
        &mut self,
        token: &str,
        now: i64,
    ) -> Result<Option<i64>, StoreError> {
        let user = self.password_reset_user(token, now).await?;
        if let Some(user_id) = user {
            let n = self
                .exec(
                    q("UPDATE password_resets SET used_at = ? WHERE token_hash = ? AND used_at IS NULL")
                        .bind(now)
                        .bind(hash_token(token)),
                )
                .await?;
            if n != 1 {
                return Ok(None);
            }
            self.exec(
                q("UPDATE password_resets SET used_at = ? WHERE user_id = ? AND used_at IS NULL")
                    .bind(now)
                    .bind(user_id),
            )
            .await?;
        }
        Ok(user)
    }
}

/// Names written beside content, each with the column that says who wrote
/// it and, where the row has one, the organisation's name they wrote for.
/// On deletion each becomes "a former member of <organisation>".
const WRITTEN_BY: &[(&str, &str, &str, Option<&str>)] = &[
    ("shortlist_notes", "written_by_name", "written_by", None),
    (
        "collaboration_models",
        "chosen_by_name",
        "chosen_by",
        Some("organisation_name"),
    ),
    (
        "aim_approvals",
        "approved_by_name",
        "approved_by",
        Some("organisation_name"),
    ),
    (
        "agreement_approvals",
        "approved_by_name",
        "approved_by",
        Some("organisation_name"),
    ),
    (
        "agreement_comments",
        "written_by_name",
        "written_by",
        Some("organisation_name"),
    ),
    ("agreement_versions", "saved_by_name", "saved_by", None),
    (
        "aim_reviews",
        "recorded_by_name",
        "recorded_by",
        Some("organisation_name"),
    ),
    ("comms_log", "recorded_by_name", "recorded_by", None),
    ("forward_positions", "recorded_by_name", "recorded_by", None),
    ("decisions", "recorded_by_name", "recorded_by", None),
    (
        "lessons",
        "recorded_by_name",
        "recorded_by",
        Some("organisation_name"),
    ),
    (
        "problem_escalations",
        "escalated_by_name",
        "escalated_by",
        None,
    ),
    ("problems", "raised_by_name", "raised_by", None),
    ("proposal_votes", "voter_name", "voter_id", None),
    ("proposals", "proposer_name", "proposer_id", None),
    ("risk_score_changes", "changed_by_name", "changed_by", None),
];

/// Names kept without the id of who it was ("last changed by"): matched by
/// the name, in the collaborations the person's organisations take part in.
const CHANGED_BY_NAME: &[(&str, &str)] = &[
    ("due_diligence_items", "updated_by_name"),
    ("comms_items", "updated_by_name"),
    ("problems", "updated_by_name"),
    ("problem_escalations", "from_name"),
    ("problem_escalations", "to_name"),
    ("risks", "updated_by_name"),
    ("tasks", "updated_by_name"),
    ("task_series", "updated_by_name"),
    ("task_series", "ended_by_name"),
    ("proposals", "closed_by_name"),
    ("proposals", "outcome_by_name"),
    ("forward_ways", "proposed_by_name"),
];

/// Every column that keeps a person's name beside what they did and is
/// renamed when they delete their account, as (table, column). The
/// schema guard test checks it against every `*_name` column there is.
pub fn renamed_name_columns() -> Vec<(&'static str, &'static str)> {
    let mut all: Vec<(&str, &str)> = WRITTEN_BY.iter().map(|(t, c, _, _)| (*t, *c)).collect();
    all.extend(CHANGED_BY_NAME.iter().copied());
    all.push(("audit_events", "user_name"));
    all
}

/// The wording that replaces a deleted person's name.
pub fn former_member_of(organisation: Option<&str>) -> String {
    match organisation {
        Some(name) => format!("a former member of {name}"),
        None => "a former member".to_string(),
    }
}

impl Tx {
    /// The stored password hash of a person, for confirming it is them.
    pub async fn password_hash_of(&mut self, user_id: i64) -> Result<Option<String>, StoreError> {
        Ok(self
            .opt::<(String,)>(q("SELECT password_hash FROM users WHERE id = ?").bind(user_id))
            .await?
            .map(|(h,)| h))
    }

    /// The organisations that would have no admin left without this
    /// person, by name.
    pub async fn sole_admin_of(&mut self, user_id: i64) -> Result<Vec<String>, StoreError> {
        let rows: Vec<(String,)> = self
            .all(
                q("SELECT o.name FROM memberships m JOIN organisations o ON o.id = m.organisation_id \
                   WHERE m.user_id = ? AND m.role = 'admin' AND NOT EXISTS (SELECT 1 FROM memberships x \
                   WHERE x.organisation_id = m.organisation_id AND x.role = 'admin' AND x.user_id <> m.user_id) \
                   ORDER BY o.name_lower, o.id")
                .bind(user_id),
            )
            .await?;
        Ok(rows.into_iter().map(|(n,)| n).collect())
    }

    /// Deletes a person's account: their sign-ins, tokens, calendar feeds,
    /// notifications, settings, memberships and personal details go. What
    /// they wrote stays, under "a former member of <organisation>"; the
    /// account row stays only as that wording, so answers and assignments
    /// keep their place, and the email address is free again.
    pub async fn delete_account(&mut self, user_id: i64) -> Result<(), StoreError> {
        let Some(user) = self.user(user_id).await? else {
            return Ok(());
        };
        let first_org: Option<(String,)> = self
            .opt(
                q("SELECT o.name FROM memberships m JOIN organisations o ON o.id = m.organisation_id \
                   WHERE m.user_id = ? ORDER BY m.joined_at, o.id")
                .bind(user_id),
            )
            .await?;
        let former = former_member_of(first_org.as_ref().map(|(n,)| n.as_str()));
        // Names beside what they wrote, with the organisation where known.
        for (table, name, by, org) in WRITTEN_BY {
            let wording = match org {
                Some(org) => {
                    format!("CASE WHEN {org} <> '' THEN 'a former member of ' || {org} ELSE ? END")
                }
                None => "?".to_string(),
            };
            self.exec(
                q(format!(
                    "UPDATE {table} SET {name} = {wording} WHERE {by} = ?"
                ))
                .bind(former.as_str())
                .bind(user_id),
            )
            .await?;
        }
        // The audit trail keeps the organisation they acted for.
        self.exec(
            q(
                "UPDATE audit_events SET user_name = CASE WHEN acting_organisation_name <> '' \
               THEN 'a former member of ' || acting_organisation_name ELSE ? END WHERE user_id = ?",
            )
            .bind(former.as_str())
            .bind(user_id),
        )
        .await?;
        let theirs = "(SELECT p.collaboration_id FROM participants p JOIN memberships m \
                      ON m.organisation_id = p.organisation_id WHERE m.user_id = ?)";
        for (table, column) in CHANGED_BY_NAME {
            self.exec(
                q(format!(
                    "UPDATE {table} SET {column} = ? WHERE {column} = ? AND collaboration_id IN {theirs}"
                ))
                .bind(former.as_str())
                .bind(user.name.as_str())
                .bind(user_id),
            )
            .await?;
        }
        // Sentences that name them: the audit trail and other people's
        // notifications.
        for (table, column, scope) in [
            (
                "audit_events",
                "summary",
                format!(
                    "(user_id = ? OR collaboration_id IN {theirs} OR organisation_id IN (SELECT organisation_id FROM memberships WHERE user_id = ?))"
                ),
            ),
            (
                "notifications",
                "sentence",
                format!("collaboration_id IN {theirs}"),
            ),
        ] {
            for (needle, wording) in [
                (user.name.as_str(), former.as_str()),
                (user.email.as_str(), "an email address removed on request"),
            ] {
                self.exec(
                    q(format!(
                        "UPDATE {table} SET {column} = REPLACE({column}, ?, ?) \
                         WHERE {column} LIKE ? AND {scope}"
                    ))
                    .bind(needle)
                    .bind(wording)
                    .bind(format!("%{needle}%"))
                    .bind_all(std::iter::repeat_n(user_id, scope.matches('?').count())),
                )
                .await?;
            }
        }
        // Their contact details as a partner contact.
        self.exec(
            q(
                "UPDATE partner_contacts SET name = ?, email = '', phone = '', user_id = NULL \
               WHERE user_id = ? OR LOWER(email) = LOWER(?)",
            )
            .bind(former.as_str())
            .bind(user_id)
            .bind(user.email.as_str()),
        )
        .await?;
        for sql in [
            "DELETE FROM sessions WHERE user_id = ?",
            "DELETE FROM api_tokens WHERE user_id = ?",
            "DELETE FROM calendar_feeds WHERE user_id = ?",
            "DELETE FROM password_resets WHERE user_id = ?",
            "DELETE FROM notifications WHERE user_id = ?",
            "DELETE FROM notification_settings WHERE user_id = ?",
            "DELETE FROM notification_digests WHERE user_id = ?",
            "DELETE FROM memberships WHERE user_id = ?",
        ] {
            self.exec(q(sql).bind(user_id)).await?;
        }
        self.exec(
            q("DELETE FROM member_invitations WHERE LOWER(email) = LOWER(?)")
                .bind(user.email.as_str()),
        )
        .await?;
        self.exec(
            q("DELETE FROM sign_in_attempts WHERE LOWER(key) LIKE ?")
                .bind(format!("%{}%", user.email.to_lowercase())),
        )
        .await?;
        // The account itself: no name, no email, a password nothing matches.
        self.exec(
            q(
                "UPDATE users SET name = ?, email = ?, password_hash = '!', is_operator = FALSE \
               WHERE id = ?",
            )
            .bind(former.as_str())
            .bind(format!("deleted-{user_id}@deleted.invalid"))
            .bind(user_id),
        )
        .await?;
        Ok(())
    }
}
