//! Due diligence for the deeper models: one row per area, made when such a
//! model is first chosen.

use crate::StoreError;
use crate::collaborations::CollabScope;
use crate::db::{Tx, q};
use commonground_domain::due_diligence::{Area, ItemChange, ItemStatus};

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DueDiligenceItem {
    pub area: Area,
    pub status: ItemStatus,
    pub owner_organisation_id: Option<i64>,
    /// The owner's name as it is now; empty when there is no owner.
    pub owner_name: String,
    pub note: String,
    /// 1 when made, one more for each change.
    pub version: i64,
    /// Who made the item or changed it last.
    pub updated_by_name: String,
    pub updated_at: i64,
}

struct Row {
    area: String,
    status: String,
    owner_organisation_id: Option<i64>,
    owner_name: Option<String>,
    note: String,
    version: i64,
    updated_by_name: String,
    updated_at: i64,
}
crate::db::from_row!(Row {
    area,
    status,
    owner_organisation_id,
    owner_name,
    note,
    version,
    updated_by_name,
    updated_at
});

const SELECT: &str = "SELECT d.area, d.status, d.owner_organisation_id, o.name AS owner_name, d.note, \
    d.version, d.updated_by_name, d.updated_at FROM due_diligence_items d \
    LEFT JOIN organisations o ON o.id = d.owner_organisation_id";

fn item(r: Row) -> Option<DueDiligenceItem> {
    Some(DueDiligenceItem {
        area: Area::parse_code(&r.area)?,
        status: ItemStatus::parse_code(&r.status)?,
        owner_organisation_id: r.owner_organisation_id,
        owner_name: r.owner_name.unwrap_or_default(),
        note: r.note,
        version: r.version,
        updated_by_name: r.updated_by_name,
        updated_at: r.updated_at,
    })
}

impl Tx {
    /// Every item, in the order of [`Area::ALL`]; empty when none were made.
    pub async fn due_diligence(
        &mut self,
        scope: &CollabScope,
    ) -> Result<Vec<DueDiligenceItem>, StoreError> {
        let rows: Vec<Row> = self
            .all(q(format!("{SELECT} WHERE d.collaboration_id = ?")).bind(scope.collaboration_id()))
            .await?;
        let mut items: Vec<DueDiligenceItem> = rows.into_iter().filter_map(item).collect();
        items.sort_by_key(|i| i.area);
        Ok(items)
    }

    pub async fn due_diligence_item(
        &mut self,
        scope: &CollabScope,
        area: Area,
    ) -> Result<Option<DueDiligenceItem>, StoreError> {
        let row: Option<Row> = self
            .opt(
                q(format!(
                    "{SELECT} WHERE d.collaboration_id = ? AND d.area = ?"
                ))
                .bind(scope.collaboration_id())
                .bind(area.code()),
            )
            .await?;
        Ok(row.and_then(item))
    }

    /// Makes every area not started, keeping any already there.
    pub async fn open_due_diligence(
        &mut self,
        scope: &CollabScope,
        by_name: &str,
        at: i64,
    ) -> Result<(), StoreError> {
        for area in Area::ALL {
            self.exec(
                q("INSERT INTO due_diligence_items (collaboration_id, area, status, owner_organisation_id, note, \
                   version, updated_by_name, updated_at) VALUES (?, ?, ?, NULL, '', 1, ?, ?) \
                   ON CONFLICT (collaboration_id, area) DO NOTHING")
                .bind(scope.collaboration_id())
                .bind(area.code())
                .bind(ItemStatus::NotStarted.code())
                .bind(by_name)
                .bind(at),
            )
            .await?;
        }
        Ok(())
    }

    /// Applies a change based on the item's current version. Returns
    /// false, changing nothing, when the item has moved on since.
    pub async fn change_due_diligence_item(
        &mut self,
        scope: &CollabScope,
        area: Area,
        change: &ItemChange,
        by_name: &str,
        at: i64,
    ) -> Result<bool, StoreError> {
        let n = self
            .exec(
                q("UPDATE due_diligence_items SET status = ?, owner_organisation_id = ?, note = ?, \
                   version = version + 1, updated_by_name = ?, updated_at = ? \
                   WHERE collaboration_id = ? AND area = ? AND version = ?")
                .bind(change.status.code())
                .bind(change.owner_organisation_id)
                .bind(change.note.as_str())
                .bind(by_name)
                .bind(at)
                .bind(scope.collaboration_id())
                .bind(area.code())
                .bind(change.based_on),
            )
            .await?;
        Ok(n == 1)
    }
}
