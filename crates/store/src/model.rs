//! The collaboration model the partners chose: one row per collaboration,
//! replaced only by a change based on the current version.

use crate::StoreError;
use crate::collaborations::CollabScope;
use crate::db::{Tx, q};
use commonground_domain::model::Model;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ChosenModel {
    pub collaboration_id: i64,
    pub model: Model,
    pub reason: String,
    /// 1 for the first choice, one more for each change.
    pub version: i64,
    pub chosen_by_name: String,
    pub organisation_id: Option<i64>,
    pub organisation_name: String,
    pub chosen_at: i64,
}

struct Row {
    collaboration_id: i64,
    model: String,
    reason: String,
    version: i64,
    chosen_by_name: String,
    organisation_id: Option<i64>,
    organisation_name: String,
    chosen_at: i64,
}
crate::db::from_row!(Row {
    collaboration_id,
    model,
    reason,
    version,
    chosen_by_name,
    organisation_id,
    organisation_name,
    chosen_at
});

/// Who makes a choice, for whom, and when.
#[derive(Debug, Clone, Copy)]
pub struct Chooser<'a> {
    pub user_id: i64,
    pub user_name: &'a str,
    pub organisation_id: i64,
    pub organisation_name: &'a str,
    pub at: i64,
}

impl Tx {
    /// The model chosen, if any.
    pub async fn chosen_model(
        &mut self,
        scope: &CollabScope,
    ) -> Result<Option<ChosenModel>, StoreError> {
        let row: Option<Row> = self
            .opt(
                q("SELECT collaboration_id, model, reason, version, chosen_by_name, organisation_id, \
                   organisation_name, chosen_at FROM collaboration_models WHERE collaboration_id = ?")
                .bind(scope.collaboration_id()),
            )
            .await?;
        Ok(row.and_then(|r| {
            Some(ChosenModel {
                collaboration_id: r.collaboration_id,
                model: Model::parse_code(&r.model)?,
                reason: r.reason,
                version: r.version,
                chosen_by_name: r.chosen_by_name,
                organisation_id: r.organisation_id,
                organisation_name: r.organisation_name,
                chosen_at: r.chosen_at,
            })
        }))
    }

    /// Records a choice that replaces version `based_on` (0: none yet).
    /// Returns false, changing nothing, when the current version is not
    /// `based_on`: someone else chose meanwhile.
    pub async fn choose_model(
        &mut self,
        scope: &CollabScope,
        model: Model,
        reason: &str,
        based_on: i64,
        by: Chooser<'_>,
    ) -> Result<bool, StoreError> {
        let n = if based_on == 0 {
            self.exec(
                q("INSERT INTO collaboration_models (collaboration_id, model, reason, version, chosen_by, \
                   chosen_by_name, organisation_id, organisation_name, chosen_at) \
                   VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?) ON CONFLICT (collaboration_id) DO NOTHING")
                .bind(scope.collaboration_id())
                .bind(model.code())
                .bind(reason)
                .bind(by.user_id)
                .bind(by.user_name)
                .bind(by.organisation_id)
                .bind(by.organisation_name)
                .bind(by.at),
            )
            .await?
        } else {
            self.exec(
                q("UPDATE collaboration_models SET model = ?, reason = ?, version = version + 1, chosen_by = ?, \
                   chosen_by_name = ?, organisation_id = ?, organisation_name = ?, chosen_at = ? \
                   WHERE collaboration_id = ? AND version = ?")
                .bind(model.code())
                .bind(reason)
                .bind(by.user_id)
                .bind(by.user_name)
                .bind(by.organisation_id)
                .bind(by.organisation_name)
                .bind(by.at)
                .bind(scope.collaboration_id())
                .bind(based_on),
            )
            .await?
        };
        Ok(n == 1)
    }
}
