//! Benefits and risks of a collaboration, each rated.

use crate::StoreError;
use crate::collaborations::CollabScope;
use crate::db::{Tx, q};
use commonground_domain::benefits_risks::{BenefitRiskDetails, Kind, sort_by_score};

#[derive(Debug, Clone, serde::Serialize)]
pub struct BenefitRisk {
    pub id: i64,
    pub collaboration_id: i64,
    pub kind: Kind,
    pub catalogue_code: Option<String>,
    pub title: String,
    pub likelihood: u8,
    pub impact: u8,
    pub owner_organisation_id: Option<i64>,
    pub owner_name: Option<String>,
    pub note: String,
    pub created_at: i64,
    pub updated_at: i64,
}

struct Row {
    id: i64,
    collaboration_id: i64,
    kind: String,
    catalogue_code: Option<String>,
    title: String,
    likelihood: i64,
    impact: i64,
    owner_organisation_id: Option<i64>,
    owner_name: Option<String>,
    note: String,
    created_at: i64,
    updated_at: i64,
}
crate::db::from_row!(Row {
    id,
    collaboration_id,
    kind,
    catalogue_code,
    title,
    likelihood,
    impact,
    owner_organisation_id,
    owner_name,
    note,
    created_at,
    updated_at
});

impl From<Row> for BenefitRisk {
    fn from(r: Row) -> Self {
        BenefitRisk {
            id: r.id,
            collaboration_id: r.collaboration_id,
            kind: Kind::parse_code(&r.kind).unwrap_or(Kind::Risk),
            catalogue_code: r.catalogue_code,
            title: r.title,
            likelihood: r.likelihood.clamp(1, 5) as u8,
            impact: r.impact.clamp(1, 5) as u8,
            owner_organisation_id: r.owner_organisation_id,
            owner_name: r.owner_name,
            note: r.note,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

// The ratings are INTEGER (4 bytes on PostgreSQL); read them as BIGINT.
const SELECT: &str = "SELECT b.id, b.collaboration_id, b.kind, b.catalogue_code, b.title, \
    CAST(b.likelihood AS BIGINT) AS likelihood, CAST(b.impact AS BIGINT) AS impact, \
    b.owner_organisation_id, o.name AS owner_name, b.note, b.created_at, b.updated_at \
    FROM benefits_risks b LEFT JOIN organisations o ON o.id = b.owner_organisation_id";

impl Tx {
    /// Every benefit and risk, highest score first.
    pub async fn benefits_risks(
        &mut self,
        scope: &CollabScope,
    ) -> Result<Vec<BenefitRisk>, StoreError> {
        let rows: Vec<Row> = self
            .all(
                q(format!(
                    "{SELECT} WHERE b.collaboration_id = ? ORDER BY b.id"
                ))
                .bind(scope.collaboration_id()),
            )
            .await?;
        let mut items: Vec<BenefitRisk> = rows.into_iter().map(Into::into).collect();
        sort_by_score(&mut items, |i| (i.likelihood, i.impact, i.id));
        Ok(items)
    }

    /// One item of this collaboration; None for any other id.
    pub async fn benefit_risk(
        &mut self,
        scope: &CollabScope,
        item_id: i64,
    ) -> Result<Option<BenefitRisk>, StoreError> {
        let row: Option<Row> = self
            .opt(
                q(format!(
                    "{SELECT} WHERE b.collaboration_id = ? AND b.id = ?"
                ))
                .bind(scope.collaboration_id())
                .bind(item_id),
            )
            .await?;
        Ok(row.map(Into::into))
    }

    /// Adds an item. The caller has checked the owner takes part.
    pub async fn create_benefit_risk(
        &mut self,
        scope: &CollabScope,
        details: &BenefitRiskDetails,
        owner_organisation_id: Option<i64>,
        created_by: i64,
        now: i64,
    ) -> Result<BenefitRisk, StoreError> {
        let (id,): (i64,) = self
            .one(
                q("INSERT INTO benefits_risks (collaboration_id, kind, catalogue_code, title, likelihood, impact, \
                   owner_organisation_id, note, created_by, created_at, updated_at) \
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")
                .bind(scope.collaboration_id())
                .bind(details.kind.code())
                .bind(details.catalogue_code)
                .bind(&details.title)
                .bind(i64::from(details.likelihood))
                .bind(i64::from(details.impact))
                .bind(owner_organisation_id)
                .bind(&details.note)
                .bind(created_by)
                .bind(now)
                .bind(now),
            )
            .await?;
        self.benefit_risk(scope, id)
            .await?
            .ok_or_else(|| StoreError::Other("the new item was not found".into()))
    }

    /// Changes an item of this collaboration; None when there is no such item.
    pub async fn update_benefit_risk(
        &mut self,
        scope: &CollabScope,
        item_id: i64,
        details: &BenefitRiskDetails,
        owner_organisation_id: Option<i64>,
        now: i64,
    ) -> Result<Option<BenefitRisk>, StoreError> {
        let n = self
            .exec(
                q("UPDATE benefits_risks SET kind = ?, catalogue_code = ?, title = ?, likelihood = ?, impact = ?, \
                   owner_organisation_id = ?, note = ?, updated_at = ? WHERE collaboration_id = ? AND id = ?")
                .bind(details.kind.code())
                .bind(details.catalogue_code)
                .bind(&details.title)
                .bind(i64::from(details.likelihood))
                .bind(i64::from(details.impact))
                .bind(owner_organisation_id)
                .bind(&details.note)
                .bind(now)
                .bind(scope.collaboration_id())
                .bind(item_id),
            )
            .await?;
        if n != 1 {
            return Ok(None);
        }
        self.benefit_risk(scope, item_id).await
    }

    pub async fn delete_benefit_risk(
        &mut self,
        scope: &CollabScope,
        item_id: i64,
    ) -> Result<bool, StoreError> {
        let n = self
            .exec(
                q("DELETE FROM benefits_risks WHERE collaboration_id = ? AND id = ?")
                    .bind(scope.collaboration_id())
                    .bind(item_id),
            )
            .await?;
        Ok(n == 1)
    }
}
