//! The audit trail: who did what, acting for which organisation, and when.

use crate::StoreError;
use crate::collaborations::CollabScope;
use crate::db::{Tx, q};
use crate::organisations::OrgScope;

/// What to record. Written in the same transaction as the change it describes.
#[derive(Debug, Clone)]
pub struct NewAuditEvent<'a> {
    pub user_id: Option<i64>,
    pub user_name: &'a str,
    pub acting_organisation_id: Option<i64>,
    pub acting_organisation_name: &'a str,
    /// The organisation the change is about, shown to its admins.
    pub organisation_id: Option<i64>,
    /// The collaboration the change is about, shown to its participants.
    pub collaboration_id: Option<i64>,
    pub action: &'a str,
    pub summary: String,
    pub at: i64,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct AuditEvent {
    pub id: i64,
    pub at: i64,
    pub user_name: String,
    pub acting_organisation_name: String,
    pub action: String,
    pub summary: String,
}
crate::db::from_row!(AuditEvent {
    id,
    at,
    user_name,
    acting_organisation_name,
    action,
    summary
});

impl Tx {
    pub async fn record(&mut self, e: NewAuditEvent<'_>) -> Result<(), StoreError> {
        self.exec(
            q("INSERT INTO audit_events (at, user_id, user_name, acting_organisation_id, acting_organisation_name, \
               organisation_id, collaboration_id, action, summary) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
            .bind(e.at)
            .bind(e.user_id)
            .bind(e.user_name)
            .bind(e.acting_organisation_id)
            .bind(e.acting_organisation_name)
            .bind(e.organisation_id)
            .bind(e.collaboration_id)
            .bind(e.action)
            .bind(e.summary),
        )
        .await?;
        Ok(())
    }

    /// A page of a collaboration's trail, newest first, before event `before`.
    pub async fn collaboration_audit(
        &mut self,
        scope: &CollabScope,
        before: Option<i64>,
        limit: i64,
    ) -> Result<Vec<AuditEvent>, StoreError> {
        self.all(
            q("SELECT id, at, user_name, acting_organisation_name, action, summary FROM audit_events \
               WHERE collaboration_id = ? AND id < ? ORDER BY id DESC LIMIT ?")
            .bind(scope.collaboration_id())
            .bind(before.unwrap_or(i64::MAX))
            .bind(limit.clamp(1, 500)),
        )
        .await
    }

    /// A page of an organisation's trail, newest first. For its admins.
    pub async fn organisation_audit(
        &mut self,
        scope: &OrgScope,
        before: Option<i64>,
        limit: i64,
    ) -> Result<Vec<AuditEvent>, StoreError> {
        self.all(
            q("SELECT id, at, user_name, acting_organisation_name, action, summary FROM audit_events \
               WHERE organisation_id = ? AND id < ? ORDER BY id DESC LIMIT ?")
            .bind(scope.organisation_id())
            .bind(before.unwrap_or(i64::MAX))
            .bind(limit.clamp(1, 500)),
        )
        .await
    }
}
