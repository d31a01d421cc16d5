//! The shared aims of a collaboration, the version of the set, and each
//! party's approvals of it.

use crate::StoreError;
use crate::collaborations::CollabScope;
use crate::db::{Tx, q};
use commonground_domain::aims::AimDetails;
use commonground_domain::approval::{Approval, ApprovalState, approval_state};

#[derive(Debug, Clone, serde::Serialize)]
pub struct Aim {
    pub id: i64,
    pub collaboration_id: i64,
    pub benefit_id: Option<i64>,
    /// The title of the linked benefit, as it is now.
    pub benefit_title: Option<String>,
    pub title: String,
    pub indicator: String,
    pub baseline: String,
    pub target: String,
    pub target_date: Option<String>,
    /// Goes up with every change to this aim; edits send it back.
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
}
struct AimRow {
    id: i64,
    collaboration_id: i64,
    benefit_id: Option<i64>,
    benefit_title: Option<String>,
    title: String,
    indicator: String,
    baseline: String,
    target: String,
    target_date: Option<String>,
    version: i64,
    created_at: i64,
    updated_at: i64,
}
crate::db::from_row!(AimRow {
    id,
    collaboration_id,
    benefit_id,
    benefit_title,
    title,
    indicator,
    baseline,
    target,
    target_date,
    version,
    created_at,
    updated_at
});
impl From<AimRow> for Aim {
    fn from(r: AimRow) -> Self {
        Aim {
            id: r.id,
            collaboration_id: r.collaboration_id,
            benefit_id: r.benefit_id,
            benefit_title: r.benefit_title,
            title: r.title,
            indicator: r.indicator,
            baseline: r.baseline,
            target: r.target,
            target_date: r.target_date,
            version: r.version,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

/// One party's approval of one version of the set.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AimApproval {
    pub id: i64,
    pub organisation_id: i64,
    pub organisation_name: String,
    pub version: i64,
    pub parties_epoch: i64,
    pub approved_by_name: String,
    pub approved_at: i64,
}
crate::db::from_row!(AimApproval {
    id,
    organisation_id,
    organisation_name,
    version,
    parties_epoch,
    approved_by_name,
    approved_at
});

/// The set of aims with where its approval stands.
#[derive(Debug, Clone)]
pub struct AimSet {
    /// 0 before the first aim.
    pub version: i64,
    pub aims: Vec<Aim>,
    /// Every approval ever given, newest first.
    pub approvals: Vec<AimApproval>,
    pub parties_epoch: i64,
    /// The lead and partner organisations, by id, with names.
    pub parties: Vec<(i64, String)>,
    pub state: ApprovalState,
}

const SELECT: &str = "SELECT a.id, a.collaboration_id, a.benefit_id, b.title AS benefit_title, a.title, \
    a.indicator, a.baseline, a.target, a.target_date, a.version, a.created_at, a.updated_at \
    FROM aims a LEFT JOIN benefits_risks b ON b.id = a.benefit_id AND b.collaboration_id = a.collaboration_id";

/// What happened to an edit.
#[derive(Debug)]
pub enum AimEdit {
    Saved(Aim),
    /// Someone changed it since the version the edit was based on: this is
    /// the aim as it is now.
    Stale(Aim),
    NotFound,
}

impl Tx {
    /// The aims, oldest first.
    pub async fn aims(&mut self, scope: &CollabScope) -> Result<Vec<Aim>, StoreError> {
        let rows: Vec<AimRow> = self
            .all(
                q(format!(
                    "{SELECT} WHERE a.collaboration_id = ? ORDER BY a.id"
                ))
                .bind(scope.collaboration_id()),
            )
            .await?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    pub async fn aim(&mut self, scope: &CollabScope, id: i64) -> Result<Option<Aim>, StoreError> {
        let row: Option<AimRow> = self
            .opt(
                q(format!(
                    "{SELECT} WHERE a.collaboration_id = ? AND a.id = ?"
                ))
                .bind(scope.collaboration_id())
                .bind(id),
            )
            .await?;
        Ok(row.map(Into::into))
    }

    /// The set, its approvals and where approval stands, in four statements.
    pub async fn aim_set(&mut self, scope: &CollabScope) -> Result<AimSet, StoreError> {
        let version: Option<(i64,)> = self
            .opt(
                q("SELECT version FROM aim_sets WHERE collaboration_id = ?")
                    .bind(scope.collaboration_id()),
            )
            .await?;
        let version = version.map(|v| v.0).unwrap_or(0);
        let aims = self.aims(scope).await?;
        let approvals: Vec<AimApproval> = self
            .all(
                q("SELECT id, organisation_id, organisation_name, version, parties_epoch, approved_by_name, approved_at \
                   FROM aim_approvals WHERE collaboration_id = ? ORDER BY id DESC")
                .bind(scope.collaboration_id()),
            )
            .await?;
        let (parties_epoch, parties) = self.parties(scope).await?;
        let ids: Vec<i64> = parties.iter().map(|p| p.0).collect();
        let records: Vec<Approval> = approvals
            .iter()
            .map(|a| Approval {
                organisation_id: a.organisation_id,
                version: a.version,
                parties_epoch: a.parties_epoch,
            })
            .collect();
        let mut state = approval_state(version, parties_epoch, &ids, &records);
        // An empty set has nothing to agree.
        if aims.is_empty() {
            state.agreed = false;
        }
        Ok(AimSet {
            version,
            aims,
            approvals,
            parties_epoch,
            parties,
            state,
        })
    }

    /// Whether every current party has approved the current set of aims
    /// (and there is at least one aim). For the Plan stage's checklist.
    pub async fn aims_approved(&mut self, scope: &CollabScope) -> Result<bool, StoreError> {
        Ok(self.aim_set(scope).await?.state.agreed)
    }

    /// Whether this benefit was recorded for this collaboration.
    pub async fn is_benefit_of(
        &mut self,
        scope: &CollabScope,
        id: i64,
    ) -> Result<bool, StoreError> {
        let n = self
            .int(
                q("SELECT COUNT(*) FROM benefits_risks WHERE collaboration_id = ? AND id = ? AND kind = 'benefit'")
                    .bind(scope.collaboration_id())
                    .bind(id),
            )
            .await?;
        Ok(n > 0)
    }

    /// Raises the set's version: every change to any aim does.
    pub(crate) async fn bump_aim_set(
        &mut self,
        scope: &CollabScope,
        now: i64,
    ) -> Result<i64, StoreError> {
        let (v,): (i64,) = self
            .one(
                q(
                    "INSERT INTO aim_sets (collaboration_id, version, updated_at) VALUES (?, 1, ?) \
                   ON CONFLICT (collaboration_id) DO UPDATE SET version = aim_sets.version + 1, \
                   updated_at = excluded.updated_at RETURNING version",
                )
                .bind(scope.collaboration_id())
                .bind(now),
            )
            .await?;
        Ok(v)
    }

    pub async fn count_aims(&mut self, scope: &CollabScope) -> Result<i64, StoreError> {
        self.int(
            q("SELECT COUNT(*) FROM aims WHERE collaboration_id = ?")
                .bind(scope.collaboration_id()),
        )
        .await
    }

    pub async fn create_aim(
        &mut self,
        scope: &CollabScope,
        d: &AimDetails,
        user_id: i64,
        now: i64,
    ) -> Result<Aim, StoreError> {
        let (id,): (i64,) = self
            .one(
                q("INSERT INTO aims (collaboration_id, benefit_id, title, indicator, baseline, target, target_date, \
                   version, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?) RETURNING id")
                .bind(scope.collaboration_id())
                .bind(d.benefit_id)
                .bind(&d.title)
                .bind(&d.indicator)
                .bind(&d.baseline)
                .bind(&d.target)
                .bind(d.target_date.clone())
                .bind(user_id)
                .bind(now)
                .bind(now),
            )
            .await?;
        self.bump_aim_set(scope, now).await?;
        self.aim(scope, id)
            .await?
            .ok_or_else(|| StoreError::Other("the new aim was not found".into()))
    }

    /// Saves an aim if nobody changed it since `base_version`.
    pub async fn update_aim(
        &mut self,
        scope: &CollabScope,
        id: i64,
        d: &AimDetails,
        base_version: i64,
        now: i64,
    ) -> Result<AimEdit, StoreError> {
        let n = self
            .exec(
                q("UPDATE aims SET benefit_id = ?, title = ?, indicator = ?, baseline = ?, target = ?, \
                   target_date = ?, version = version + 1, updated_at = ? \
                   WHERE collaboration_id = ? AND id = ? AND version = ?")
                .bind(d.benefit_id)
                .bind(&d.title)
                .bind(&d.indicator)
                .bind(&d.baseline)
                .bind(&d.target)
                .bind(d.target_date.clone())
                .bind(now)
                .bind(scope.collaboration_id())
                .bind(id)
                .bind(base_version),
            )
            .await?;
        let now_aim = self.aim(scope, id).await?;
        Ok(match (n, now_aim) {
            (_, None) => AimEdit::NotFound,
            (1, Some(a)) => {
                self.bump_aim_set(scope, now).await?;
                AimEdit::Saved(a)
            }
            (_, Some(a)) => AimEdit::Stale(a),
        })
    }

    pub async fn delete_aim(
        &mut self,
        scope: &CollabScope,
        id: i64,
        now: i64,
    ) -> Result<bool, StoreError> {
        let n = self
            .exec(
                q("DELETE FROM aims WHERE collaboration_id = ? AND id = ?")
                    .bind(scope.collaboration_id())
                    .bind(id),
            )
            .await?;
        if n == 1 {
            self.bump_aim_set(scope, now).await?;
        }
        Ok(n == 1)
    }

    /// Records a party's approval of a version of the set.
    #[allow(clippy::too_many_arguments)]
    pub async fn approve_aims(
        &mut self,
        scope: &CollabScope,
        organisation: (i64, &str),
        version: i64,
        parties_epoch: i64,
        by: (i64, &str),
        now: i64,
    ) -> Result<(), StoreError> {
        self.exec(
            q("INSERT INTO aim_approvals (collaboration_id, organisation_id, organisation_name, version, \
               parties_epoch, approved_by, approved_by_name, approved_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
            .bind(scope.collaboration_id())
            .bind(organisation.0)
            .bind(organisation.1)
            .bind(version)
            .bind(parties_epoch)
            .bind(by.0)
            .bind(by.1)
            .bind(now),
        )
        .await?;
        Ok(())
    }
}
