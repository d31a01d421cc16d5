//! The communications plan and its log of what went out, read and written
//! only through a collaboration the person takes part in.

use crate::StoreError;
use crate::collaborations::CollabScope;
use crate::db::{Tx, Val, q};
use crate::tasks::Page;
use commonground_domain::comms::{
    Channel, CommsFacts, CommsStatus, ItemFields, LogFields, Timing, next_due,
};

/// An item of the communications plan.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CommsItem {
    pub id: i64,
    pub collaboration_id: i64,
    pub audience: String,
    pub purpose: String,
    pub key_message: String,
    pub channel: Channel,
    /// None when the organisation has since been deleted.
    pub owner_organisation_id: Option<i64>,
    /// Empty when there is no owner organisation.
    pub owner_organisation_name: String,
    pub owner_person_id: Option<i64>,
    /// Empty when no person is named.
    pub owner_person_name: String,
    pub timing: Timing,
    /// The date, or the first date of a recurring item.
    pub on_date: String,
    /// The next date due; None when nothing is due.
    pub next_due_on: Option<String>,
    /// When the newest entry of its log was sent.
    pub last_sent_on: Option<String>,
    pub status: CommsStatus,
    pub version: i64,
    pub updated_by_name: String,
    pub created_at: i64,
    pub updated_at: i64,
}

/// What went out for an item.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LogEntry {
    pub id: i64,
    pub item_id: i64,
    pub sent_on: String,
    pub what: String,
    pub channel: Channel,
    pub link: Option<String>,
    pub notes: String,
    pub recorded_by_name: String,
    pub recorded_at: i64,
}

/// Which items a list shows. Every field narrows it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommsFilter {
    pub status: Option<CommsStatus>,
    pub channel: Option<Channel>,
    pub owner_organisation_id: Option<i64>,
}

/// How a change went.
#[derive(Debug, Clone)]
pub enum ItemChange {
    Saved,
    /// Changed by someone else since the version the change was based on:
    /// nothing was saved.
    Stale,
}

struct Row {
    id: i64,
    collaboration_id: i64,
    audience: String,
    purpose: String,
    key_message: String,
    channel: String,
    owner_organisation_id: Option<i64>,
    owner_organisation_name: Option<String>,
    owner_person_id: Option<i64>,
    owner_person_name: Option<String>,
    timing: String,
    on_date: String,
    next_due_on: Option<String>,
    last_sent_on: Option<String>,
    status: String,
    version: i64,
    updated_by_name: String,
    created_at: i64,
    updated_at: i64,
}
crate::db::from_row!(Row {
    id,
    collaboration_id,
    audience,
    purpose,
    key_message,
    channel,
    owner_organisation_id,
    owner_organisation_name,
    owner_person_id,
    owner_person_name,
    timing,
    on_date,
    next_due_on,
    last_sent_on,
    status,
    version,
    updated_by_name,
    created_at,
    updated_at
});

fn item(r: Row) -> CommsItem {
    CommsItem {
        id: r.id,
        collaboration_id: r.collaboration_id,
        audience: r.audience,
        purpose: r.purpose,
        key_message: r.key_message,
        channel: Channel::parse_code(&r.channel).unwrap_or(Channel::Other),
        owner_organisation_id: r.owner_organisation_id,
        owner_organisation_name: r.owner_organisation_name.unwrap_or_default(),
        owner_person_id: r.owner_person_id,
        owner_person_name: r.owner_person_name.unwrap_or_default(),
        timing: Timing::parse_code(&r.timing).unwrap_or(Timing::Once),
        on_date: r.on_date,
        next_due_on: r.next_due_on,
        last_sent_on: r.last_sent_on,
        status: CommsStatus::parse_code(&r.status).unwrap_or(CommsStatus::Planned),
        version: r.version,
        updated_by_name: r.updated_by_name,
        created_at: r.created_at,
        updated_at: r.updated_at,
    }
}

/// The newest date sent of each item comes from the log's index on
/// (item_id, sent_on), one lookup per row of the page, in the same statement.
const COLUMNS: &str = "c.id, c.collaboration_id, c.audience, c.purpose, c.key_message, c.channel, \
    c.owner_organisation_id, o.name AS owner_organisation_name, c.owner_person_id, \
    u.name AS owner_person_name, c.timing, c.on_date, c.next_due_on, \
    (SELECT MAX(l.sent_on) FROM comms_log l WHERE l.item_id = c.id) AS last_sent_on, \
    c.status, c.version, c.updated_by_name, c.created_at, c.updated_at";
const JOINS: &str = "FROM comms_items c LEFT JOIN organisations o ON o.id = c.owner_organisation_id \
    LEFT JOIN users u ON u.id = c.owner_person_id";
/// Soonest due first; then the items with nothing due, the latest date
/// first.
const ORDER: &str = "ORDER BY CASE WHEN c.next_due_on IS NULL THEN 1 ELSE 0 END, c.next_due_on, \
    c.on_date DESC, c.id";
const LIVE: &str = "c.status IN ('planned', 'in_progress')";

fn with_binds(sql: String, vals: Vec<Val>) -> crate::db::Q {
    vals.into_iter().fold(q(sql), |query, v| query.bind(v))
}

impl CommsFilter {
    fn conditions(&self) -> (String, Vec<Val>) {
        let mut sql = String::new();
        let mut vals: Vec<Val> = Vec::new();
        if let Some(s) = self.status {
            sql.push_str(" AND c.status = ?");
            vals.push(s.code().into());
        }
        if let Some(ch) = self.channel {
            sql.push_str(" AND c.channel = ?");
            vals.push(ch.code().into());
        }
        if let Some(o) = self.owner_organisation_id {
            sql.push_str(" AND c.owner_organisation_id = ?");
            vals.push(o.into());
        }
        (sql, vals)
    }
}

impl Tx {
    /// The collaboration an item belongs to, to prove access through it.
    pub async fn comms_item_collaboration_id(
        &mut self,
        item_id: i64,
    ) -> Result<Option<i64>, StoreError> {
        self.opt::<(i64,)>(q("SELECT collaboration_id FROM comms_items WHERE id = ?").bind(item_id))
            .await
            .map(|r| r.map(|(c,)| c))
    }

    /// The collaboration a log entry belongs to, to prove access through it.
    pub async fn comms_log_collaboration_id(
        &mut self,
        entry_id: i64,
    ) -> Result<Option<i64>, StoreError> {
        self.opt::<(i64,)>(q("SELECT collaboration_id FROM comms_log WHERE id = ?").bind(entry_id))
            .await
            .map(|r| r.map(|(c,)| c))
    }

    pub async fn comms_item(
        &mut self,
        scope: &CollabScope,
        id: i64,
    ) -> Result<Option<CommsItem>, StoreError> {
        let row: Option<Row> = self
            .opt(
                q(format!(
                    "SELECT {COLUMNS} {JOINS} WHERE c.collaboration_id = ? AND c.id = ?"
                ))
                .bind(scope.collaboration_id())
                .bind(id),
            )
            .await?;
        Ok(row.map(item))
    }

    /// One page of the plan, soonest due first, and how many match in all:
    /// two statements, whatever the page holds.
    pub async fn comms_items(
        &mut self,
        scope: &CollabScope,
        filter: &CommsFilter,
        page: Page,
    ) -> Result<(i64, Vec<CommsItem>), StoreError> {
        let (cond, vals) = filter.conditions();
        let mut all = vec![Val::from(scope.collaboration_id())];
        all.extend(vals);
        let total = self
            .int(with_binds(
                format!("SELECT COUNT(*) FROM comms_items c WHERE c.collaboration_id = ?{cond}"),
                all.clone(),
            ))
            .await?;
        all.push(page.size.into());
        all.push(((page.number.max(1) - 1) * page.size).into());
        let rows: Vec<Row> = self
            .all(with_binds(
                format!(
                    "SELECT {COLUMNS} {JOINS} WHERE c.collaboration_id = ?{cond} {ORDER} LIMIT ? OFFSET ?"
                ),
                all,
            ))
            .await?;
        Ok((total, rows.into_iter().map(item).collect()))
    }

    pub async fn create_comms_item(
        &mut self,
        scope: &CollabScope,
        f: &ItemFields,
        by_name: &str,
        at: i64,
    ) -> Result<i64, StoreError> {
        self.int(
            q("INSERT INTO comms_items (collaboration_id, audience, purpose, key_message, channel, \
               owner_organisation_id, owner_person_id, timing, on_date, next_due_on, status, version, \
               updated_by_name, created_at, updated_at) \
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?) RETURNING id")
            .bind(scope.collaboration_id())
            .bind(f.audience.as_str())
            .bind(f.purpose.as_str())
            .bind(f.key_message.as_str())
            .bind(f.channel.code())
            .bind(f.owner_organisation_id)
            .bind(f.owner_person_id)
            .bind(f.timing.code())
            .bind(f.on_date.as_str())
            .bind(next_due(f.timing, &f.on_date, f.status, None))
            .bind(f.status.code())
            .bind(by_name)
            .bind(at)
            .bind(at),
        )
        .await
    }

    /// Applies a change based on the item's version; Stale, changing
    /// nothing, when it has moved on since.
    pub async fn update_comms_item(
        &mut self,
        scope: &CollabScope,
        current: &CommsItem,
        f: &ItemFields,
        based_on: i64,
        by_name: &str,
        at: i64,
    ) -> Result<ItemChange, StoreError> {
        let due = next_due(
            f.timing,
            &f.on_date,
            f.status,
            current.last_sent_on.as_deref(),
        );
        let n = self
            .exec(
                q("UPDATE comms_items SET audience = ?, purpose = ?, key_message = ?, channel = ?, \
                   owner_organisation_id = ?, owner_person_id = ?, timing = ?, on_date = ?, next_due_on = ?, \
                   status = ?, version = version + 1, updated_by_name = ?, updated_at = ? \
                   WHERE collaboration_id = ? AND id = ? AND version = ?")
                .bind(f.audience.as_str())
                .bind(f.purpose.as_str())
                .bind(f.key_message.as_str())
                .bind(f.channel.code())
                .bind(f.owner_organisation_id)
                .bind(f.owner_person_id)
                .bind(f.timing.code())
                .bind(f.on_date.as_str())
                .bind(due)
                .bind(f.status.code())
                .bind(by_name)
                .bind(at)
                .bind(scope.collaboration_id())
                .bind(current.id)
                .bind(based_on),
            )
            .await?;
        Ok(if n == 1 {
            ItemChange::Saved
        } else {
            ItemChange::Stale
        })
    }

    /// Deletes an item and its log.
    pub async fn delete_comms_item(
        &mut self,
        scope: &CollabScope,
        id: i64,
    ) -> Result<bool, StoreError> {
        self.exec(
            q("DELETE FROM comms_log WHERE collaboration_id = ? AND item_id = ?")
                .bind(scope.collaboration_id())
                .bind(id),
        )
        .await?;
        let n = self
            .exec(
                q("DELETE FROM comms_items WHERE collaboration_id = ? AND id = ?")
                    .bind(scope.collaboration_id())
                    .bind(id),
            )
            .await?;
        Ok(n == 1)
    }

    /// An item's log, newest first.
    pub async fn comms_log(
        &mut self,
        scope: &CollabScope,
        item_id: i64,
    ) -> Result<Vec<LogEntry>, StoreError> {
        let rows: Vec<LogRow> = self
            .all(
                q(format!(
                    "SELECT {LOG_COLUMNS} FROM comms_log WHERE collaboration_id = ? AND item_id = ? \
                     ORDER BY sent_on DESC, id DESC"
                ))
                .bind(scope.collaboration_id())
                .bind(item_id),
            )
            .await?;
        Ok(rows.into_iter().map(entry).collect())
    }

    pub async fn comms_log_entry(
        &mut self,
        scope: &CollabScope,
        entry_id: i64,
    ) -> Result<Option<LogEntry>, StoreError> {
        let row: Option<LogRow> = self
            .opt(
                q(format!(
                    "SELECT {LOG_COLUMNS} FROM comms_log WHERE collaboration_id = ? AND id = ?"
                ))
                .bind(scope.collaboration_id())
                .bind(entry_id),
            )
            .await?;
        Ok(row.map(entry))
    }

    /// Logs what went out for an item and moves its next date due on.
    pub async fn add_comms_log(
        &mut self,
        scope: &CollabScope,
        item_id: i64,
        f: &LogFields,
        by: i64,
        by_name: &str,
        at: i64,
    ) -> Result<i64, StoreError> {
        let id = self
            .int(
                q("INSERT INTO comms_log (item_id, collaboration_id, sent_on, what, channel, link, notes, \
                   recorded_by, recorded_by_name, recorded_at) \
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")
                .bind(item_id)
                .bind(scope.collaboration_id())
                .bind(f.sent_on.as_str())
                .bind(f.what.as_str())
                .bind(f.channel.code())
                .bind(f.link.clone())
                .bind(f.notes.as_str())
                .bind(by)
                .bind(by_name)
                .bind(at),
            )
            .await?;
        self.refresh_next_due(scope, item_id).await?;
        Ok(id)
    }

    /// Deletes a log entry and works out its item's next date due again.
    pub async fn delete_comms_log(
        &mut self,
        scope: &CollabScope,
        entry: &LogEntry,
    ) -> Result<bool, StoreError> {
        let n = self
            .exec(
                q("DELETE FROM comms_log WHERE collaboration_id = ? AND id = ?")
                    .bind(scope.collaboration_id())
                    .bind(entry.id),
            )
            .await?;
        self.refresh_next_due(scope, entry.item_id).await?;
        Ok(n == 1)
    }

    /// Works out an item's next date due from its log as it is now. Not a
    /// change of the item, so its version stays.
    async fn refresh_next_due(
        &mut self,
        scope: &CollabScope,
        item_id: i64,
    ) -> Result<(), StoreError> {
        if let Some(i) = self.comms_item(scope, item_id).await? {
            self.exec(
                q("UPDATE comms_items SET next_due_on = ? WHERE collaboration_id = ? AND id = ?")
                    .bind(next_due(
                        i.timing,
                        &i.on_date,
                        i.status,
                        i.last_sent_on.as_deref(),
                    ))
                    .bind(scope.collaboration_id())
                    .bind(item_id),
            )
            .await?;
        }
        Ok(())
    }

    /// The counts for the checklist's "Communications planned", in one
    /// statement.
    pub async fn comms_facts(
        &mut self,
        scope: &CollabScope,
        today: &str,
    ) -> Result<CommsFacts, StoreError> {
        let (items, overdue): (i64, i64) = self
            .one(
                q(format!(
                    "SELECT COUNT(*), \
                     COALESCE(SUM(CASE WHEN {LIVE} AND c.next_due_on < ? THEN 1 ELSE 0 END), 0) \
                     FROM comms_items c WHERE c.collaboration_id = ?"
                ))
                .bind(today)
                .bind(scope.collaboration_id()),
            )
            .await?;
        Ok(CommsFacts { items, overdue })
    }
}

const LOG_COLUMNS: &str =
    "id, item_id, sent_on, what, channel, link, notes, recorded_by_name, recorded_at";

struct LogRow {
    id: i64,
    item_id: i64,
    sent_on: String,
    what: String,
    channel: String,
    link: Option<String>,
    notes: String,
    recorded_by_name: String,
    recorded_at: i64,
}
crate::db::from_row!(LogRow {
    id,
    item_id,
    sent_on,
    what,
    channel,
    link,
    notes,
    recorded_by_name,
    recorded_at
});

fn entry(r: LogRow) -> LogEntry {
    LogEntry {
        id: r.id,
        item_id: r.item_id,
        sent_on: r.sent_on,
        what: r.what,
        channel: Channel::parse_code(&r.channel).unwrap_or(Channel::Other),
        link: r.link,
        notes: r.notes,
        recorded_by_name: r.recorded_by_name,
        recorded_at: r.recorded_at,
    }
}
