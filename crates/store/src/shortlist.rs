//! The shortlist of possible partners for a collaboration: one entry per
//! body (keyed by its org-id, or `ORG-<id>` for an organisation on Common
//! Ground without one), each with its approach status and a history of
//! dated notes that are only ever added to.

use crate::StoreError;
use crate::collaborations::CollabScope;
use crate::db::{Tx, q};
use commonground_domain::shortlist::ApproachStatus;

#[derive(Debug, Clone, serde::Serialize)]
pub struct ShortlistEntry {
    pub id: i64,
    pub collaboration_id: i64,
    pub entry_key: String,
    pub org_identifier: Option<String>,
    /// Set when the body is on Common Ground.
    pub organisation_id: Option<i64>,
    pub name: String,
    /// The status last recorded.
    pub status: ApproachStatus,
    /// Whether the organisation takes part in the collaboration now (read
    /// when the entry is read, so an accepted invitation shows at once).
    pub taking_part: bool,
    pub added_at: i64,
    pub updated_at: i64,
    /// Newest first.
    pub notes: Vec<ShortlistNote>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct ShortlistNote {
    pub id: i64,
    pub entry_id: i64,
    /// The status the entry had from this note on.
    pub status: ApproachStatus,
    /// Empty when the status changed without a note.
    pub note: String,
    pub written_by_name: String,
    pub written_at: i64,
}

struct EntryRow {
    id: i64,
    collaboration_id: i64,
    entry_key: String,
    org_identifier: Option<String>,
    organisation_id: Option<i64>,
    name: String,
    status: String,
    taking_part: i64,
    added_at: i64,
    updated_at: i64,
}
crate::db::from_row!(EntryRow {
    id,
    collaboration_id,
    entry_key,
    org_identifier,
    organisation_id,
    name,
    status,
    taking_part,
    added_at,
    updated_at
});

struct NoteRow {
    id: i64,
    entry_id: i64,
    status: String,
    note: String,
    written_by_name: String,
    written_at: i64,
}
crate::db::from_row!(NoteRow {
    id,
    entry_id,
    status,
    note,
    written_by_name,
    written_at
});

fn status(code: &str) -> ApproachStatus {
    ApproachStatus::parse_code(code).unwrap_or(ApproachStatus::NotContacted)
}

impl From<NoteRow> for ShortlistNote {
    fn from(r: NoteRow) -> Self {
        ShortlistNote {
            id: r.id,
            entry_id: r.entry_id,
            status: status(&r.status),
            note: r.note,
            written_by_name: r.written_by_name,
            written_at: r.written_at,
        }
    }
}

fn entry(r: EntryRow, notes: Vec<ShortlistNote>) -> ShortlistEntry {
    ShortlistEntry {
        id: r.id,
        collaboration_id: r.collaboration_id,
        entry_key: r.entry_key,
        org_identifier: r.org_identifier,
        organisation_id: r.organisation_id,
        name: r.name,
        status: status(&r.status),
        taking_part: r.taking_part != 0,
        added_at: r.added_at,
        updated_at: r.updated_at,
        notes,
    }
}

const SELECT: &str = "SELECT e.id, e.collaboration_id, e.entry_key, e.org_identifier, e.organisation_id, \
    e.name, e.status, \
    CAST(CASE WHEN EXISTS (SELECT 1 FROM participants p WHERE p.collaboration_id = e.collaboration_id \
      AND p.organisation_id = e.organisation_id) THEN 1 ELSE 0 END AS BIGINT) AS taking_part, \
    e.added_at, e.updated_at FROM shortlist_entries e";

const NOTES: &str = "SELECT n.id, n.entry_id, n.status, n.note, n.written_by_name, n.written_at \
    FROM shortlist_notes n";

/// What a new entry is made from.
#[derive(Debug, Clone)]
pub struct NewShortlistEntry<'a> {
    pub entry_key: &'a str,
    pub org_identifier: Option<&'a str>,
    pub organisation_id: Option<i64>,
    pub name: &'a str,
}

/// Who writes a note, and when.
#[derive(Debug, Clone, Copy)]
pub struct Writer<'a> {
    pub user_id: i64,
    pub name: &'a str,
    pub at: i64,
}

impl Tx {
    /// Every entry, newest first, each with its notes (newest first).
    pub async fn shortlist(
        &mut self,
        scope: &CollabScope,
    ) -> Result<Vec<ShortlistEntry>, StoreError> {
        let rows: Vec<EntryRow> = self
            .all(
                q(format!(
                    "{SELECT} WHERE e.collaboration_id = ? ORDER BY e.added_at DESC, e.id DESC"
                ))
                .bind(scope.collaboration_id()),
            )
            .await?;
        let notes: Vec<NoteRow> = self
            .all(
                q(format!(
                    "{NOTES} JOIN shortlist_entries e ON e.id = n.entry_id \
                     WHERE e.collaboration_id = ? ORDER BY n.written_at DESC, n.id DESC"
                ))
                .bind(scope.collaboration_id()),
            )
            .await?;
        let mut by_entry: std::collections::HashMap<i64, Vec<ShortlistNote>> =
            std::collections::HashMap::new();
        for n in notes {
            by_entry.entry(n.entry_id).or_default().push(n.into());
        }
        Ok(rows
            .into_iter()
            .map(|r| {
                let notes = by_entry.remove(&r.id).unwrap_or_default();
                entry(r, notes)
            })
            .collect())
    }

    /// One entry of this collaboration with its notes; None for any other id.
    pub async fn shortlist_entry(
        &mut self,
        scope: &CollabScope,
        entry_id: i64,
    ) -> Result<Option<ShortlistEntry>, StoreError> {
        let row: Option<EntryRow> = self
            .opt(
                q(format!(
                    "{SELECT} WHERE e.collaboration_id = ? AND e.id = ?"
                ))
                .bind(scope.collaboration_id())
                .bind(entry_id),
            )
            .await?;
        let Some(row) = row else { return Ok(None) };
        let notes: Vec<NoteRow> = self
            .all(
                q(format!(
                    "{NOTES} WHERE n.entry_id = ? ORDER BY n.written_at DESC, n.id DESC"
                ))
                .bind(entry_id),
            )
            .await?;
        Ok(Some(entry(
            row,
            notes.into_iter().map(Into::into).collect(),
        )))
    }

    /// The entry for this body, found by its key or (for an organisation
    /// on Common Ground) its id.
    pub async fn shortlist_entry_for(
        &mut self,
        scope: &CollabScope,
        entry_key: &str,
        organisation_id: Option<i64>,
    ) -> Result<Option<ShortlistEntry>, StoreError> {
        let id: Option<(i64,)> = self
            .opt(
                q(
                    "SELECT id FROM shortlist_entries WHERE collaboration_id = ? \
                   AND (entry_key = ? OR organisation_id = ?) ORDER BY id LIMIT 1",
                )
                .bind(scope.collaboration_id())
                .bind(entry_key)
                .bind(organisation_id),
            )
            .await?;
        match id {
            Some((id,)) => self.shortlist_entry(scope, id).await,
            None => Ok(None),
        }
    }

    /// Adds an entry, not contacted, with its first note. The caller has
    /// checked the body is not on the shortlist already.
    pub async fn create_shortlist_entry(
        &mut self,
        scope: &CollabScope,
        new: &NewShortlistEntry<'_>,
        first_note: &str,
        by: Writer<'_>,
    ) -> Result<ShortlistEntry, StoreError> {
        let status = ApproachStatus::NotContacted;
        let (id,): (i64,) = self
            .one(
                q("INSERT INTO shortlist_entries (collaboration_id, entry_key, org_identifier, organisation_id, \
                   name, status, added_by, added_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")
                .bind(scope.collaboration_id())
                .bind(new.entry_key)
                .bind(new.org_identifier)
                .bind(new.organisation_id)
                .bind(new.name)
                .bind(status.code())
                .bind(by.user_id)
                .bind(by.at)
                .bind(by.at),
            )
            .await?;
        self.insert_shortlist_note(id, status, first_note, by)
            .await?;
        self.shortlist_entry(scope, id)
            .await?
            .ok_or_else(|| StoreError::Other("the new shortlist entry was not found".into()))
    }

    async fn insert_shortlist_note(
        &mut self,
        entry_id: i64,
        status: ApproachStatus,
        note: &str,
        by: Writer<'_>,
    ) -> Result<(), StoreError> {
        self.exec(
            q("INSERT INTO shortlist_notes (entry_id, status, note, written_by, written_by_name, written_at) \
               VALUES (?, ?, ?, ?, ?, ?)")
            .bind(entry_id)
            .bind(status.code())
            .bind(note)
            .bind(by.user_id)
            .bind(by.name)
            .bind(by.at),
        )
        .await?;
        Ok(())
    }

    /// Sets an entry's status and adds a note saying so; None when there
    /// is no such entry in this collaboration.
    pub async fn update_shortlist_status(
        &mut self,
        scope: &CollabScope,
        entry_id: i64,
        status: ApproachStatus,
        note: &str,
        by: Writer<'_>,
    ) -> Result<Option<ShortlistEntry>, StoreError> {
        let n = self
            .exec(
                q("UPDATE shortlist_entries SET status = ?, updated_at = ? WHERE collaboration_id = ? AND id = ?")
                    .bind(status.code())
                    .bind(by.at)
                    .bind(scope.collaboration_id())
                    .bind(entry_id),
            )
            .await?;
        if n != 1 {
            return Ok(None);
        }
        self.insert_shortlist_note(entry_id, status, note, by)
            .await?;
        self.shortlist_entry(scope, entry_id).await
    }

    /// Removes an entry and its notes.
    pub async fn delete_shortlist_entry(
        &mut self,
        scope: &CollabScope,
        entry_id: i64,
    ) -> Result<bool, StoreError> {
        // Notes go first: SQLite may run without foreign keys' cascades.
        self.exec(
            q("DELETE FROM shortlist_notes WHERE entry_id IN \
               (SELECT id FROM shortlist_entries WHERE collaboration_id = ? AND id = ?)")
            .bind(scope.collaboration_id())
            .bind(entry_id),
        )
        .await?;
        let n = self
            .exec(
                q("DELETE FROM shortlist_entries WHERE collaboration_id = ? AND id = ?")
                    .bind(scope.collaboration_id())
                    .bind(entry_id),
            )
            .await?;
        Ok(n == 1)
    }

    /// The organisation on Common Ground with this org-id, if any.
    pub async fn organisation_by_identifier(
        &mut self,
        org_identifier: &str,
    ) -> Result<Option<crate::organisations::OrgRef>, StoreError> {
        self.opt(
            q("SELECT id, name, org_identifier FROM organisations WHERE org_identifier = ?")
                .bind(org_identifier),
        )
        .await
    }
}
