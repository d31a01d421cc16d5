//! What the directory compares when it judges how well an organisation
//! fits a collaboration: causes and areas from the platform's profiles,
//! and classifications and income from the register. The scoring itself is
//! pure, in `domain::fit`.

use crate::StoreError;
use crate::db::{Tx, q};

/// What the directory compares when it judges fit: an organisation's
/// causes and areas, and from the register (when it is a registered
/// charity) its classifications and income.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FitFacts {
    pub organisation_id: Option<i64>,
    pub org_identifier: Option<String>,
    pub causes: Vec<String>,
    pub areas: Vec<String>,
    pub classifications: Vec<i64>,
    pub income: Option<i64>,
}

impl Tx {
    /// Fit facts for a platform organisation, with the register's when it
    /// is a registered charity.
    pub async fn fit_facts_of_organisation(
        &mut self,
        organisation_id: i64,
    ) -> Result<Option<FitFacts>, StoreError> {
        let row: Option<(Option<String>, String, String)> = self
            .opt(
                q("SELECT org_identifier, causes, areas_served FROM organisations WHERE id = ?")
                    .bind(organisation_id),
            )
            .await?;
        let Some((org_identifier, causes, areas)) = row else {
            return Ok(None);
        };
        let mut facts = FitFacts {
            organisation_id: Some(organisation_id),
            org_identifier: org_identifier.clone(),
            causes: crate::split_list(&causes),
            areas: crate::split_list(&areas),
            ..Default::default()
        };
        if let Some(id) = org_identifier
            && let Some(c) = self.register_charity(&id).await?
        {
            facts.income = c.latest_income;
            facts.classifications = self
                .register_classification_codes(c.registered_charity_number)
                .await?;
            for area in self.register_areas(c.registered_charity_number).await? {
                if !facts.areas.iter().any(|a| a.eq_ignore_ascii_case(&area)) {
                    facts.areas.push(area);
                }
            }
        }
        Ok(facts.into())
    }

    /// The causes of several platform organisations, for comparing
    /// directory results that the register does not classify.
    pub async fn causes_of_organisations(
        &mut self,
        ids: &[i64],
    ) -> Result<Vec<(i64, Vec<String>)>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let rows: Vec<(i64, String)> = self
            .all(
                q(format!(
                    "SELECT id, causes FROM organisations WHERE id IN ({})",
                    crate::db::placeholders(ids.len())
                ))
                .bind_all(ids.iter().copied()),
            )
            .await?;
        Ok(rows
            .into_iter()
            .map(|(id, c)| (id, crate::split_list(&c)))
            .collect())
    }
}
