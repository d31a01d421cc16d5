//! SWOT and PESTLE items of a collaboration.

use crate::StoreError;
use crate::collaborations::CollabScope;
use crate::db::{Tx, q};
use commonground_domain::environment::{Category, EnvironmentDetails, Framework};

#[derive(Debug, Clone, serde::Serialize)]
pub struct EnvironmentItem {
    pub id: i64,
    pub collaboration_id: i64,
    /// The organisation of the person who added it.
    pub organisation_id: i64,
    pub organisation_name: String,
    pub framework: Framework,
    pub category: Category,
    pub text: String,
    pub created_at: i64,
    pub updated_at: i64,
}

struct ItemRow {
    id: i64,
    collaboration_id: i64,
    organisation_id: i64,
    organisation_name: String,
    category: String,
    text: String,
    created_at: i64,
    updated_at: i64,
}
crate::db::from_row!(ItemRow {
    id,
    collaboration_id,
    organisation_id,
    organisation_name,
    category,
    text,
    created_at,
    updated_at
});

impl From<ItemRow> for EnvironmentItem {
    fn from(r: ItemRow) -> Self {
        let category = Category::parse_code(&r.category).unwrap_or(Category::Strength);
        EnvironmentItem {
            id: r.id,
            collaboration_id: r.collaboration_id,
            organisation_id: r.organisation_id,
            organisation_name: r.organisation_name,
            framework: category.framework(),
            category,
            text: r.text,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

const ITEM_SELECT: &str = "SELECT e.id, e.collaboration_id, e.organisation_id, o.name AS organisation_name, \
    e.category, e.text, e.created_at, e.updated_at FROM environment_items e \
    JOIN organisations o ON o.id = e.organisation_id";

impl Tx {
    /// Every item, oldest first (the page groups them by heading).
    pub async fn environment_items(
        &mut self,
        scope: &CollabScope,
    ) -> Result<Vec<EnvironmentItem>, StoreError> {
        let rows: Vec<ItemRow> = self
            .all(
                q(format!(
                    "{ITEM_SELECT} WHERE e.collaboration_id = ? ORDER BY e.id"
                ))
                .bind(scope.collaboration_id()),
            )
            .await?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// One item of this collaboration; None for any other id.
    pub async fn environment_item(
        &mut self,
        scope: &CollabScope,
        item_id: i64,
    ) -> Result<Option<EnvironmentItem>, StoreError> {
        let row: Option<ItemRow> = self
            .opt(
                q(format!(
                    "{ITEM_SELECT} WHERE e.collaboration_id = ? AND e.id = ?"
                ))
                .bind(scope.collaboration_id())
                .bind(item_id),
            )
            .await?;
        Ok(row.map(Into::into))
    }

    pub async fn create_environment_item(
        &mut self,
        scope: &CollabScope,
        organisation_id: i64,
        details: &EnvironmentDetails,
        created_by: i64,
        now: i64,
    ) -> Result<EnvironmentItem, StoreError> {
        let (id,): (i64,) = self
            .one(
                q("INSERT INTO environment_items (collaboration_id, organisation_id, framework, category, text, \
                   created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")
                .bind(scope.collaboration_id())
                .bind(organisation_id)
                .bind(details.framework().code())
                .bind(details.category.code())
                .bind(&details.text)
                .bind(created_by)
                .bind(now)
                .bind(now),
            )
            .await?;
        self.environment_item(scope, id)
            .await?
            .ok_or_else(|| StoreError::Other("the new item was not found".into()))
    }

    /// Changes an item of this collaboration; None when there is no such item.
    pub async fn update_environment_item(
        &mut self,
        scope: &CollabScope,
        item_id: i64,
        details: &EnvironmentDetails,
        now: i64,
    ) -> Result<Option<EnvironmentItem>, StoreError> {
        let n = self
            .exec(
                q("UPDATE environment_items SET framework = ?, category = ?, text = ?, updated_at = ? \
                   WHERE collaboration_id = ? AND id = ?")
                .bind(details.framework().code())
                .bind(details.category.code())
                .bind(&details.text)
                .bind(now)
                .bind(scope.collaboration_id())
                .bind(item_id),
            )
            .await?;
        if n != 1 {
            return Ok(None);
        }
        self.environment_item(scope, item_id).await
    }

    pub async fn delete_environment_item(
        &mut self,
        scope: &CollabScope,
        item_id: i64,
    ) -> Result<bool, StoreError> {
        let n = self
            .exec(
                q("DELETE FROM environment_items WHERE collaboration_id = ? AND id = ?")
                    .bind(scope.collaboration_id())
                    .bind(item_id),
            )
            .await?;
        Ok(n == 1)
    }
}
