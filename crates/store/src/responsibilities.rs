//! The responsibilities matrix of a collaboration: the standard functions
//! and the partners' own, against the organisations taking part (all but
//! observers), with one role or none in each cell. Every change raises the
//! matrix's version, so a save based on an older one is refused.

use crate::StoreError;
use crate::collaborations::CollabScope;
use crate::db::{Tx, q};
use commonground_domain::collaborations::ParticipantRole;
use commonground_domain::responsibilities::{
    FunctionReview, Raci, STANDARD_FUNCTIONS, custom_key, is_agreed, review,
};

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MatrixFunction {
    /// A standard function's code, or `custom_<id>`.
    pub key: String,
    pub name: String,
    /// Set for the partners' own functions.
    pub custom_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MatrixOrganisation {
    pub organisation_id: i64,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Matrix {
    pub collaboration_id: i64,
    /// 0 until the first change.
    pub version: i64,
    /// Standard functions first, then the partners' own, oldest first.
    pub functions: Vec<MatrixFunction>,
    /// The organisations taking part, but not observers, by name.
    pub organisations: Vec<MatrixOrganisation>,
    /// (function key, organisation, role) for every cell that is not blank.
    pub cells: Vec<(String, i64, Raci)>,
    pub updated_at: Option<i64>,
    pub updated_by_name: Option<String>,
}

impl Matrix {
    pub fn cell(&self, key: &str, organisation_id: i64) -> Option<Raci> {
        self.cells
            .iter()
            .find(|(k, o, _)| k == key && *o == organisation_id)
            .map(|(_, _, r)| *r)
    }

    pub fn reviews(&self) -> Vec<FunctionReview> {
        review(self.functions.iter().map(|f| f.key.as_str()), &self.cells)
    }

    /// Every function has exactly one accountable organisation.
    pub fn agreed(&self) -> bool {
        is_agreed(&self.reviews(), self.organisations.len())
    }
}

/// What became of a save.
#[derive(Debug, Clone)]
pub enum MatrixSave {
    Saved(Box<Matrix>),
    /// Someone else saved since the version the change was based on.
    Stale(Box<Matrix>),
}

impl Tx {
    /// The whole matrix, in four statements.
    pub async fn responsibility_matrix(
        &mut self,
        scope: &CollabScope,
    ) -> Result<Matrix, StoreError> {
        let id = scope.collaboration_id();
        let head: Option<(i64, i64, Option<String>)> = self
            .opt(
                q(
                    "SELECT m.version, m.updated_at, u.name FROM responsibility_matrices m \
                   LEFT JOIN users u ON u.id = m.updated_by WHERE m.collaboration_id = ?",
                )
                .bind(id),
            )
            .await?;
        let custom: Vec<(i64, String)> = self
            .all(
                q("SELECT id, name FROM responsibility_functions WHERE collaboration_id = ? ORDER BY id")
                    .bind(id),
            )
            .await?;
        let orgs: Vec<(i64, String)> = self
            .all(
                q("SELECT o.id, o.name FROM participants p JOIN organisations o ON o.id = p.organisation_id \
                   WHERE p.collaboration_id = ? AND p.role <> ? ORDER BY o.name, o.id")
                .bind(id)
                .bind(ParticipantRole::Observer.code()),
            )
            .await?;
        let raw: Vec<(String, i64, String)> = self
            .all(
                q(
                    "SELECT function_key, organisation_id, role FROM responsibility_cells \
                   WHERE collaboration_id = ? ORDER BY function_key, organisation_id",
                )
                .bind(id),
            )
            .await?;
        let mut functions: Vec<MatrixFunction> = STANDARD_FUNCTIONS
            .iter()
            .map(|(k, n)| MatrixFunction {
                key: k.to_string(),
                name: n.to_string(),
                custom_id: None,
            })
            .collect();
        functions.extend(custom.into_iter().map(|(cid, name)| MatrixFunction {
            key: custom_key(cid),
            name,
            custom_id: Some(cid),
        }));
        let organisations: Vec<MatrixOrganisation> = orgs
            .into_iter()
            .map(|(organisation_id, name)| MatrixOrganisation {
                organisation_id,
                name,
            })
            .collect();
        // Only cells of functions and organisations still in the matrix.
        let cells = raw
            .into_iter()
            .filter(|(k, o, _)| {
                functions.iter().any(|f| &f.key == k)
                    && organisations.iter().any(|x| x.organisation_id == *o)
            })
            .filter_map(|(k, o, r)| Raci::parse_code(&r).map(|r| (k, o, r)))
            .collect();
        let (version, updated_at, updated_by_name) = match head {
            Some((v, at, by)) => (v, Some(at), by),
            None => (0, None, None),
        };
        Ok(Matrix {
            collaboration_id: id,
            version,
            functions,
            organisations,
            cells,
            updated_at,
            updated_by_name,
        })
    }

    /// Raises the version if it is still `base_version`; false if not.
    async fn bump_matrix(
        &mut self,
        scope: &CollabScope,
        base_version: i64,
        by: i64,
        now: i64,
    ) -> Result<bool, StoreError> {
        let id = scope.collaboration_id();
        self.exec(
            q("INSERT INTO responsibility_matrices (collaboration_id, version, updated_by, updated_at) \
               VALUES (?, 0, ?, ?) ON CONFLICT (collaboration_id) DO NOTHING")
            .bind(id)
            .bind(by)
            .bind(now),
        )
        .await?;
        let n = self
            .exec(
                q("UPDATE responsibility_matrices SET version = version + 1, updated_by = ?, updated_at = ? \
                   WHERE collaboration_id = ? AND version = ?")
                .bind(by)
                .bind(now)
                .bind(id)
                .bind(base_version),
            )
            .await?;
        Ok(n == 1)
    }

    /// Replaces every cell, if the matrix is still at `base_version`. The
    /// caller has checked each cell's function and organisation.
    pub async fn save_responsibility_matrix(
        &mut self,
        scope: &CollabScope,
        base_version: i64,
        cells: &[(String, i64, Raci)],
        by: i64,
        now: i64,
    ) -> Result<MatrixSave, StoreError> {
        if !self.bump_matrix(scope, base_version, by, now).await? {
            return Ok(MatrixSave::Stale(Box::new(
                self.responsibility_matrix(scope).await?,
            )));
        }
        let id = scope.collaboration_id();
        self.exec(q("DELETE FROM responsibility_cells WHERE collaboration_id = ?").bind(id))
            .await?;
        for (key, org, role) in cells {
            self.exec(
                q("INSERT INTO responsibility_cells (collaboration_id, function_key, organisation_id, role) \
                   VALUES (?, ?, ?, ?)")
                .bind(id)
                .bind(key.as_str())
                .bind(*org)
                .bind(role.code()),
            )
            .await?;
        }
        Ok(MatrixSave::Saved(Box::new(
            self.responsibility_matrix(scope).await?,
        )))
    }

    /// Adds a function of the partners' own, at the end. Raises the
    /// version, so a save from a form without it is refused as stale.
    pub async fn add_responsibility_function(
        &mut self,
        scope: &CollabScope,
        name: &str,
        by: i64,
        now: i64,
    ) -> Result<MatrixFunction, StoreError> {
        let version = self.responsibility_matrix(scope).await?.version;
        self.bump_matrix(scope, version, by, now).await?;
        let (id,): (i64,) = self
            .one(
                q("INSERT INTO responsibility_functions (collaboration_id, name, created_by, created_at) \
                   VALUES (?, ?, ?, ?) RETURNING id")
                .bind(scope.collaboration_id())
                .bind(name)
                .bind(by)
                .bind(now),
            )
            .await?;
        Ok(MatrixFunction {
            key: custom_key(id),
            name: name.to_string(),
            custom_id: Some(id),
        })
    }

    /// Removes a function of the partners' own with its cells.
    pub async fn remove_responsibility_function(
        &mut self,
        scope: &CollabScope,
        function_id: i64,
        by: i64,
        now: i64,
    ) -> Result<bool, StoreError> {
        let id = scope.collaboration_id();
        let n = self
            .exec(
                q("DELETE FROM responsibility_functions WHERE collaboration_id = ? AND id = ?")
                    .bind(id)
                    .bind(function_id),
            )
            .await?;
        if n != 1 {
            return Ok(false);
        }
        self.exec(
            q("DELETE FROM responsibility_cells WHERE collaboration_id = ? AND function_key = ?")
                .bind(id)
                .bind(custom_key(function_id)),
        )
        .await?;
        let version = self.responsibility_matrix(scope).await?.version;
        self.bump_matrix(scope, version, by, now).await?;
        Ok(true)
    }

    /// The Plan stage's "responsibilities agreed": every function has
    /// exactly one accountable organisation.
    pub async fn responsibilities_agreed(
        &mut self,
        scope: &CollabScope,
    ) -> Result<bool, StoreError> {
        Ok(self.responsibility_matrix(scope).await?.agreed())
    }
}
