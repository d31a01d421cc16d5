//! The risk register: risks of a collaboration and the history of their
//! scores, read and written only through a collaboration the person takes
//! part in.

use crate::StoreError;
use crate::collaborations::CollabScope;
use crate::db::{Tx, Val, q};
use crate::tasks::Page;
use commonground_domain::benefits_risks::Band;
use commonground_domain::risks::{
    IdentifyRisk, RiskFacts, RiskFields, RiskStatus, Suggestion, band_range,
};

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Risk {
    pub id: i64,
    pub collaboration_id: i64,
    pub title: String,
    pub description: String,
    pub category: String,
    pub likelihood: u8,
    pub impact: u8,
    pub owner_organisation_id: Option<i64>,
    /// Empty when no organisation owns it.
    pub owner_organisation_name: String,
    pub owner_person_id: Option<i64>,
    /// Empty when no person owns it.
    pub owner_person_name: String,
    pub mitigation: String,
    pub review_on: Option<String>,
    pub status: RiskStatus,
    pub source: Option<String>,
    pub version: i64,
    pub updated_by_name: String,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Risk {
    pub fn score(&self) -> u8 {
        commonground_domain::risks::score(self.likelihood, self.impact)
    }

    pub fn band(&self) -> Band {
        commonground_domain::risks::band(self.score())
    }
}

/// One change of a risk's ratings.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ScoreChange {
    pub changed_by_name: String,
    pub changed_at: i64,
    pub from_likelihood: u8,
    pub from_impact: u8,
    pub to_likelihood: u8,
    pub to_impact: u8,
}

/// Which risks a list shows. Every field narrows it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RiskFilter {
    pub status: Option<RiskStatus>,
    /// Some(true): only open and being managed.
    pub live: Option<bool>,
    pub band: Option<Band>,
    pub owner_organisation_id: Option<i64>,
    /// Not closed, with a review date before today.
    pub review_overdue: bool,
}

struct Row {
    id: i64,
    collaboration_id: i64,
    title: String,
    description: String,
    category: String,
    likelihood: i64,
    impact: i64,
    owner_organisation_id: Option<i64>,
    owner_organisation_name: Option<String>,
    owner_person_id: Option<i64>,
    owner_person_name: Option<String>,
    mitigation: String,
    review_on: Option<String>,
    status: String,
    source: Option<String>,
    version: i64,
    updated_by_name: String,
    created_at: i64,
    updated_at: i64,
}
crate::db::from_row!(Row {
    id,
    collaboration_id,
    title,
    description,
    category,
    likelihood,
    impact,
    owner_organisation_id,
    owner_organisation_name,
    owner_person_id,
    owner_person_name,
    mitigation,
    review_on,
    status,
    source,
    version,
    updated_by_name,
    created_at,
    updated_at
});

fn risk(r: Row) -> Risk {
    Risk {
        id: r.id,
        collaboration_id: r.collaboration_id,
        title: r.title,
        description: r.description,
        category: r.category,
        likelihood: r.likelihood.clamp(1, 5) as u8,
        impact: r.impact.clamp(1, 5) as u8,
        owner_organisation_id: r.owner_organisation_id,
        owner_organisation_name: r.owner_organisation_name.unwrap_or_default(),
        owner_person_id: r.owner_person_id,
        owner_person_name: r.owner_person_name.unwrap_or_default(),
        mitigation: r.mitigation,
        review_on: r.review_on,
        status: RiskStatus::parse_code(&r.status).unwrap_or(RiskStatus::Open),
        source: r.source,
        version: r.version,
        updated_by_name: r.updated_by_name,
        created_at: r.created_at,
        updated_at: r.updated_at,
    }
}

const COLUMNS: &str = "r.id, r.collaboration_id, r.title, r.description, r.category, r.likelihood, \
    r.impact, r.owner_organisation_id, o.name AS owner_organisation_name, r.owner_person_id, \
    u.name AS owner_person_name, r.mitigation, r.review_on, r.status, r.source, r.version, \
    r.updated_by_name, r.created_at, r.updated_at";
const JOINS: &str = "FROM risks r LEFT JOIN organisations o ON o.id = r.owner_organisation_id \
    LEFT JOIN users u ON u.id = r.owner_person_id";
/// Highest score first; equal scores by higher impact, then oldest first.
const ORDER: &str = "ORDER BY r.score DESC, r.impact DESC, r.id";
const LIVE: &str = "r.status <> 'closed'";

fn with_binds(sql: String, vals: Vec<Val>) -> crate::db::Q {
    vals.into_iter().fold(q(sql), |query, v| query.bind(v))
}

impl RiskFilter {
    fn conditions(&self, today: &str) -> (String, Vec<Val>) {
        let mut sql = String::new();
        let mut vals: Vec<Val> = Vec::new();
        if let Some(s) = self.status {
            sql.push_str(" AND r.status = ?");
            vals.push(s.code().into());
        }
        match self.live {
            Some(true) => sql.push_str(&format!(" AND {LIVE}")),
            Some(false) => sql.push_str(" AND r.status = 'closed'"),
            None => {}
        }
        if let Some(b) = self.band {
            let (lo, hi) = band_range(b);
            sql.push_str(" AND r.score >= ? AND r.score <= ?");
            vals.push(i64::from(lo).into());
            vals.push(i64::from(hi).into());
        }
        if let Some(o) = self.owner_organisation_id {
            sql.push_str(" AND r.owner_organisation_id = ?");
            vals.push(o.into());
        }
        if self.review_overdue {
            sql.push_str(&format!(" AND r.review_on < ? AND {LIVE}"));
            vals.push(today.to_string().into());
        }
        (sql, vals)
    }
}

impl Tx {
    /// The collaboration a risk belongs to, to prove access through it.
    pub async fn risk_collaboration_id(&mut self, risk_id: i64) -> Result<Option<i64>, StoreError> {
        self.opt::<(i64,)>(q("SELECT collaboration_id FROM risks WHERE id = ?").bind(risk_id))
            .await
            .map(|r| r.map(|(c,)| c))
    }

    pub async fn risk(&mut self, scope: &CollabScope, id: i64) -> Result<Option<Risk>, StoreError> {
        let row: Option<Row> = self
            .opt(
                q(format!(
                    "SELECT {COLUMNS} {JOINS} WHERE r.collaboration_id = ? AND r.id = ?"
                ))
                .bind(scope.collaboration_id())
                .bind(id),
            )
            .await?;
        Ok(row.map(risk))
    }

    /// One page of the collaboration's risks, highest score first, and how
    /// many match in all.
    pub async fn risks(
        &mut self,
        scope: &CollabScope,
        filter: &RiskFilter,
        today: &str,
        page: Page,
    ) -> Result<(i64, Vec<Risk>), StoreError> {
        let (cond, vals) = filter.conditions(today);
        let mut all = vec![Val::from(scope.collaboration_id())];
        all.extend(vals);
        let total = self
            .int(with_binds(
                format!("SELECT COUNT(*) FROM risks r WHERE r.collaboration_id = ?{cond}"),
                all.clone(),
            ))
            .await?;
        all.push(page.size.into());
        all.push(((page.number.max(1) - 1) * page.size).into());
        let rows: Vec<Row> = self
            .all(with_binds(
                format!(
                    "SELECT {COLUMNS} {JOINS} WHERE r.collaboration_id = ?{cond} {ORDER} LIMIT ? OFFSET ?"
                ),
                all,
            ))
            .await?;
        Ok((total, rows.into_iter().map(risk).collect()))
    }

    /// How many risks there are of each status, likelihood and impact, as
    /// (status, likelihood, impact, count): at most 75 rows.
    pub async fn risk_heat(
        &mut self,
        scope: &CollabScope,
    ) -> Result<Vec<(RiskStatus, u8, u8, u32)>, StoreError> {
        let rows: Vec<(String, i64, i64, i64)> = self
            .all(
                q(
                    "SELECT r.status, r.likelihood, r.impact, COUNT(*) FROM risks r \
                   WHERE r.collaboration_id = ? GROUP BY r.status, r.likelihood, r.impact",
                )
                .bind(scope.collaboration_id()),
            )
            .await?;
        Ok(rows
            .into_iter()
            .map(|(s, l, i, n)| {
                (
                    RiskStatus::parse_code(&s).unwrap_or(RiskStatus::Open),
                    l.clamp(0, 9) as u8,
                    i.clamp(0, 9) as u8,
                    n.max(0) as u32,
                )
            })
            .collect())
    }

    /// The sources of the risks the register holds.
    pub async fn risk_sources(&mut self, scope: &CollabScope) -> Result<Vec<String>, StoreError> {
        let rows: Vec<(String,)> = self
            .all(
                q("SELECT source FROM risks WHERE collaboration_id = ? AND source IS NOT NULL")
                    .bind(scope.collaboration_id()),
            )
            .await?;
        Ok(rows.into_iter().map(|(s,)| s).collect())
    }

    /// The risks the partners weighed in Identify, oldest first.
    pub async fn identify_risks(
        &mut self,
        scope: &CollabScope,
    ) -> Result<Vec<IdentifyRisk>, StoreError> {
        let rows: Vec<(i64, Option<String>, String, String, i64, i64)> = self
            .all(
                q("SELECT id, catalogue_code, title, note, CAST(likelihood AS BIGINT), CAST(impact AS BIGINT) \
                   FROM benefits_risks WHERE collaboration_id = ? AND kind = 'risk' ORDER BY id")
                .bind(scope.collaboration_id()),
            )
            .await?;
        Ok(rows
            .into_iter()
            .map(
                |(id, catalogue_code, title, note, likelihood, impact)| IdentifyRisk {
                    id,
                    catalogue_code,
                    title,
                    note,
                    likelihood: likelihood.clamp(1, 5) as u8,
                    impact: impact.clamp(1, 5) as u8,
                },
            )
            .collect())
    }

    pub async fn create_risk(
        &mut self,
        scope: &CollabScope,
        f: &RiskFields,
        by_name: &str,
        at: i64,
    ) -> Result<i64, StoreError> {
        self.int(
            q("INSERT INTO risks (collaboration_id, title, description, category, likelihood, impact, score, \
               owner_organisation_id, owner_person_id, mitigation, review_on, status, source, version, \
               updated_by_name, created_at, updated_at) \
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, 1, ?, ?, ?) RETURNING id")
            .bind(scope.collaboration_id())
            .bind(f.title.as_str())
            .bind(f.description.as_str())
            .bind(f.category)
            .bind(i64::from(f.likelihood))
            .bind(i64::from(f.impact))
            .bind(i64::from(f.score()))
            .bind(f.owner_organisation_id)
            .bind(f.owner_person_id)
            .bind(f.mitigation.as_str())
            .bind(f.review_on.clone())
            .bind(f.status.code())
            .bind(by_name)
            .bind(at)
            .bind(at),
        )
        .await
    }

    /// Adds a suggested risk unless one from the same source is there
    /// already; the new id, or None when it was there.
    pub async fn add_suggested_risk(
        &mut self,
        scope: &CollabScope,
        s: &Suggestion,
        by_name: &str,
        at: i64,
    ) -> Result<Option<i64>, StoreError> {
        let row: Option<(i64,)> = self
            .opt(
                q("INSERT INTO risks (collaboration_id, title, description, category, likelihood, impact, score, \
                   owner_organisation_id, owner_person_id, mitigation, review_on, status, source, version, \
                   updated_by_name, created_at, updated_at) \
                   VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?, NULL, 'open', ?, 1, ?, ?, ?) \
                   ON CONFLICT (collaboration_id, source) DO NOTHING RETURNING id")
                .bind(scope.collaboration_id())
                .bind(s.title.as_str())
                .bind(s.description.as_str())
                .bind(s.category)
                .bind(i64::from(s.likelihood))
                .bind(i64::from(s.impact))
                .bind(i64::from(s.likelihood) * i64::from(s.impact))
                .bind(s.mitigation.as_str())
                .bind(s.source.as_str())
                .bind(by_name)
                .bind(at)
                .bind(at),
            )
            .await?;
        Ok(row.map(|(id,)| id))
    }

    /// Applies a change based on the risk's version, and records a change
    /// of its ratings. Returns false, changing nothing, when the risk has
    /// moved on since.
    #[allow(clippy::too_many_arguments)]
    pub async fn update_risk(
        &mut self,
        scope: &CollabScope,
        current: &Risk,
        f: &RiskFields,
        based_on: i64,
        by: i64,
        by_name: &str,
        at: i64,
    ) -> Result<bool, StoreError> {
        let n = self
            .exec(
                q("UPDATE risks SET title = ?, description = ?, category = ?, likelihood = ?, impact = ?, \
                   score = ?, owner_organisation_id = ?, owner_person_id = ?, mitigation = ?, review_on = ?, \
                   status = ?, version = version + 1, updated_by_name = ?, updated_at = ? \
                   WHERE collaboration_id = ? AND id = ? AND version = ?")
                .bind(f.title.as_str())
                .bind(f.description.as_str())
                .bind(f.category)
                .bind(i64::from(f.likelihood))
                .bind(i64::from(f.impact))
                .bind(i64::from(f.score()))
                .bind(f.owner_organisation_id)
                .bind(f.owner_person_id)
                .bind(f.mitigation.as_str())
                .bind(f.review_on.clone())
                .bind(f.status.code())
                .bind(by_name)
                .bind(at)
                .bind(scope.collaboration_id())
                .bind(current.id)
                .bind(based_on),
            )
            .await?;
        if n != 1 {
            return Ok(false);
        }
        if (current.likelihood, current.impact) != (f.likelihood, f.impact) {
            self.exec(
                q("INSERT INTO risk_score_changes (risk_id, collaboration_id, changed_by, changed_by_name, \
                   changed_at, from_likelihood, from_impact, to_likelihood, to_impact) \
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .bind(current.id)
                .bind(scope.collaboration_id())
                .bind(by)
                .bind(by_name)
                .bind(at)
                .bind(i64::from(current.likelihood))
                .bind(i64::from(current.impact))
                .bind(i64::from(f.likelihood))
                .bind(i64::from(f.impact)),
            )
            .await?;
        }
        Ok(true)
    }

    pub async fn delete_risk(&mut self, scope: &CollabScope, id: i64) -> Result<bool, StoreError> {
        let n = self
            .exec(
                q("DELETE FROM risks WHERE collaboration_id = ? AND id = ?")
                    .bind(scope.collaboration_id())
                    .bind(id),
            )
            .await?;
        Ok(n == 1)
    }

    /// A risk's rating changes, oldest first.
    pub async fn risk_history(
        &mut self,
        scope: &CollabScope,
        id: i64,
    ) -> Result<Vec<ScoreChange>, StoreError> {
        let rows: Vec<(String, i64, i64, i64, i64, i64)> = self
            .all(
                q("SELECT changed_by_name, changed_at, from_likelihood, from_impact, to_likelihood, to_impact \
                   FROM risk_score_changes WHERE collaboration_id = ? AND risk_id = ? ORDER BY id")
                .bind(scope.collaboration_id())
                .bind(id),
            )
            .await?;
        let r = |v: i64| v.clamp(1, 5) as u8;
        Ok(rows
            .into_iter()
            .map(|(name, at, fl, fi, tl, ti)| ScoreChange {
                changed_by_name: name,
                changed_at: at,
                from_likelihood: r(fl),
                from_impact: r(fi),
                to_likelihood: r(tl),
                to_impact: r(ti),
            })
            .collect())
    }

    /// The counts for the checklist's "Risks managed", in one statement.
    pub async fn risk_facts(
        &mut self,
        scope: &CollabScope,
        today: &str,
    ) -> Result<RiskFacts, StoreError> {
        let (risks, live, unowned, overdue): (i64, i64, i64, i64) = self
            .one(
                q(format!(
                    "SELECT COUNT(*), \
                     COALESCE(SUM(CASE WHEN {LIVE} THEN 1 ELSE 0 END), 0), \
                     COALESCE(SUM(CASE WHEN {LIVE} AND (r.owner_organisation_id IS NULL OR r.mitigation = '') THEN 1 ELSE 0 END), 0), \
                     COALESCE(SUM(CASE WHEN {LIVE} AND r.review_on < ? THEN 1 ELSE 0 END), 0) \
                     FROM risks r WHERE r.collaboration_id = ?"
                ))
                .bind(today)
                .bind(scope.collaboration_id()),
            )
            .await?;
        Ok(RiskFacts {
            risks,
            live,
            live_unowned_or_unmitigated: unowned,
            review_overdue: overdue,
        })
    }
}
