//! Each organisation's own goals: for one collaboration (seen by everyone
//! taking part) or for the organisation in general (seen by its members).

use crate::StoreError;
use crate::collaborations::CollabScope;
use crate::db::{Tx, q};
use crate::organisations::OrgScope;
use commonground_domain::goals::{Benefit, GoalDetails};

#[derive(Debug, Clone, serde::Serialize)]
pub struct Goal {
    pub id: i64,
    pub organisation_id: i64,
    pub organisation_name: String,
    /// None for the organisation's goals in general.
    pub collaboration_id: Option<i64>,
    pub benefit: Benefit,
    pub title: String,
    pub detail: String,
    pub created_at: i64,
    pub updated_at: i64,
}

struct GoalRow {
    id: i64,
    organisation_id: i64,
    organisation_name: String,
    collaboration_id: Option<i64>,
    benefit: String,
    title: String,
    detail: String,
    created_at: i64,
    updated_at: i64,
}
crate::db::from_row!(GoalRow {
    id,
    organisation_id,
    organisation_name,
    collaboration_id,
    benefit,
    title,
    detail,
    created_at,
    updated_at
});

impl From<GoalRow> for Goal {
    fn from(r: GoalRow) -> Self {
        Goal {
            id: r.id,
            organisation_id: r.organisation_id,
            organisation_name: r.organisation_name,
            collaboration_id: r.collaboration_id,
            benefit: Benefit::parse_code(&r.benefit).unwrap_or(Benefit::BetterServices),
            title: r.title,
            detail: r.detail,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

const GOAL_SELECT: &str = "SELECT g.id, g.organisation_id, o.name AS organisation_name, g.collaboration_id, \
    g.benefit, g.title, g.detail, g.created_at, g.updated_at FROM goals g \
    JOIN organisations o ON o.id = g.organisation_id";

/// Only goals of organisations that still take part are the collaboration's.
const IN_COLLABORATION: &str = "JOIN participants p ON p.collaboration_id = g.collaboration_id \
    AND p.organisation_id = g.organisation_id WHERE g.collaboration_id = ?";

impl Tx {
    /// The goals of every organisation taking part, by organisation name.
    pub async fn collaboration_goals(
        &mut self,
        scope: &CollabScope,
    ) -> Result<Vec<Goal>, StoreError> {
        let rows: Vec<GoalRow> = self
            .all(
                q(format!(
                    "{GOAL_SELECT} {IN_COLLABORATION} ORDER BY o.name, o.id, g.id"
                ))
                .bind(scope.collaboration_id()),
            )
            .await?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// One goal of this collaboration; None for any other id.
    pub async fn collaboration_goal(
        &mut self,
        scope: &CollabScope,
        goal_id: i64,
    ) -> Result<Option<Goal>, StoreError> {
        let row: Option<GoalRow> = self
            .opt(
                q(format!("{GOAL_SELECT} {IN_COLLABORATION} AND g.id = ?"))
                    .bind(scope.collaboration_id())
                    .bind(goal_id),
            )
            .await?;
        Ok(row.map(Into::into))
    }

    /// The organisation's goals in general (not tied to a collaboration).
    pub async fn organisation_goals(&mut self, scope: &OrgScope) -> Result<Vec<Goal>, StoreError> {
        let rows: Vec<GoalRow> = self
            .all(
                q(format!(
                    "{GOAL_SELECT} WHERE g.organisation_id = ? AND g.collaboration_id IS NULL ORDER BY g.id"
                ))
                .bind(scope.organisation_id()),
            )
            .await?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    pub async fn organisation_goal(
        &mut self,
        scope: &OrgScope,
        goal_id: i64,
    ) -> Result<Option<Goal>, StoreError> {
        let row: Option<GoalRow> = self
            .opt(
                q(format!(
                    "{GOAL_SELECT} WHERE g.organisation_id = ? AND g.collaboration_id IS NULL AND g.id = ?"
                ))
                .bind(scope.organisation_id())
                .bind(goal_id),
            )
            .await?;
        Ok(row.map(Into::into))
    }

    /// Adds a goal for `organisation_id`, which must be one of the person's
    /// organisations taking part (the caller has checked it may contribute).
    pub async fn create_collaboration_goal(
        &mut self,
        scope: &CollabScope,
        organisation_id: i64,
        details: &GoalDetails,
        created_by: i64,
        now: i64,
    ) -> Result<Goal, StoreError> {
        if !scope
            .participations()
            .iter()
            .any(|p| p.organisation_id == organisation_id)
        {
            return Err(StoreError::Other(
                "a goal can only be added for one of the person's own organisations".into(),
            ));
        }
        self.insert_goal(
            organisation_id,
            Some(scope.collaboration_id()),
            details,
            created_by,
            now,
        )
        .await
    }

    pub async fn create_organisation_goal(
        &mut self,
        scope: &OrgScope,
        details: &GoalDetails,
        created_by: i64,
        now: i64,
    ) -> Result<Goal, StoreError> {
        self.insert_goal(scope.organisation_id(), None, details, created_by, now)
            .await
    }

    async fn insert_goal(
        &mut self,
        organisation_id: i64,
        collaboration_id: Option<i64>,
        details: &GoalDetails,
        created_by: i64,
        now: i64,
    ) -> Result<Goal, StoreError> {
        let (id,): (i64,) = self
            .one(
                q("INSERT INTO goals (organisation_id, collaboration_id, benefit, title, detail, created_by, \
                   created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")
                .bind(organisation_id)
                .bind(collaboration_id)
                .bind(details.benefit.code())
                .bind(&details.title)
                .bind(&details.detail)
                .bind(created_by)
                .bind(now)
                .bind(now),
            )
            .await?;
        let row: GoalRow = self
            .one(q(format!("{GOAL_SELECT} WHERE g.id = ?")).bind(id))
            .await?;
        Ok(row.into())
    }

    /// Changes a goal found through [`Tx::collaboration_goal`] or
    /// [`Tx::organisation_goal`]: only that goal, of that owner and place.
    pub async fn update_goal(
        &mut self,
        goal: &Goal,
        details: &GoalDetails,
        now: i64,
    ) -> Result<Goal, StoreError> {
        self.exec(
            q(
                "UPDATE goals SET benefit = ?, title = ?, detail = ?, updated_at = ? \
               WHERE id = ? AND organisation_id = ?",
            )
            .bind(details.benefit.code())
            .bind(&details.title)
            .bind(&details.detail)
            .bind(now)
            .bind(goal.id)
            .bind(goal.organisation_id),
        )
        .await?;
        let row: GoalRow = self
            .one(q(format!("{GOAL_SELECT} WHERE g.id = ?")).bind(goal.id))
            .await?;
        Ok(row.into())
    }

    pub async fn delete_goal(&mut self, goal: &Goal) -> Result<bool, StoreError> {
        let n = self
            .exec(
                q("DELETE FROM goals WHERE id = ? AND organisation_id = ?")
                    .bind(goal.id)
                    .bind(goal.organisation_id),
            )
            .await?;
        Ok(n == 1)
    }
}
