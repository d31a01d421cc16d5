//! The Plan stage as a whole: the facts its checklist is made from.
//!
//! This module reads the facts its own tables hold: the model chosen and
//! the due diligence progress. The other four facts (shared aims,
//! governance, responsibilities, the agreement) live in tables of their
//! own modules; each of those fills its field of [`PlanFacts`] through a
//! store function of its own, called by `actions::plan` after this one.
//! Until then they stay `PartStatus::NotStarted`, so the checklist never
//! claims more than the collaboration holds.

use crate::StoreError;
use crate::collaborations::CollabScope;
use crate::db::{Tx, q};
use commonground_domain::due_diligence::{ItemStatus, Progress};
use commonground_domain::model::Model;
use commonground_domain::plan::{ChosenModel, PlanFacts};

impl Tx {
    /// The model chosen and the due diligence progress, in two statements.
    pub async fn plan_facts(&mut self, scope: &CollabScope) -> Result<PlanFacts, StoreError> {
        let id = scope.collaboration_id();
        let model: Option<(String, String)> = self
            .opt(
                q("SELECT model, organisation_name FROM collaboration_models WHERE collaboration_id = ?")
                    .bind(id),
            )
            .await?;
        let model = model.and_then(|(code, org)| {
            Some(ChosenModel {
                model: Model::parse_code(&code)?,
                organisation_name: org,
            })
        });
        let due_diligence = match &model {
            Some(c) if c.model.needs_due_diligence() => {
                let statuses: Vec<(String,)> = self
                    .all(
                        q("SELECT status FROM due_diligence_items WHERE collaboration_id = ?")
                            .bind(id),
                    )
                    .await?;
                let statuses: Vec<ItemStatus> = statuses
                    .iter()
                    .filter_map(|(s,)| ItemStatus::parse_code(s))
                    .collect();
                Some(Progress::of(&statuses))
            }
            _ => None,
        };
        Ok(PlanFacts {
            collaboration_id: id,
            model,
            due_diligence,
            ..Default::default()
        })
    }
}
