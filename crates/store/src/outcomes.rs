//! The aims review: each shared aim with how it went, read in one statement
//! with the aims, and saved one aim at a time against the version it was
//! read at. And the lessons learned, by stage, a page at a time.

use crate::StoreError;
use crate::collaborations::CollabScope;
use crate::db::{Tx, q};
use commonground_domain::outcomes::{AimReviewDetails, LessonDetails, LessonKind, Outcome};
use commonground_domain::stage::Stage;

/// How one aim went, as last recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AimReview {
    pub outcome: Outcome,
    pub actual: String,
    /// Markdown.
    pub evidence: String,
    pub links: Vec<String>,
    /// 1 after the first save; edits send it back.
    pub version: i64,
    pub recorded_by_name: String,
    pub organisation_name: String,
    pub recorded_at: i64,
}

/// A shared aim, what the partners set for it, and its review if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewedAim {
    pub aim_id: i64,
    pub title: String,
    pub indicator: String,
    pub baseline: String,
    pub target: String,
    pub target_date: Option<String>,
    pub review: Option<AimReview>,
}

struct Row {
    aim_id: i64,
    title: String,
    indicator: String,
    baseline: String,
    target: String,
    target_date: Option<String>,
    outcome: Option<String>,
    actual: Option<String>,
    evidence: Option<String>,
    links: Option<String>,
    version: Option<i64>,
    recorded_by_name: Option<String>,
    organisation_name: Option<String>,
    recorded_at: Option<i64>,
}
crate::db::from_row!(Row {
    aim_id,
    title,
    indicator,
    baseline,
    target,
    target_date,
    outcome,
    actual,
    evidence,
    links,
    version,
    recorded_by_name,
    organisation_name,
    recorded_at
});

impl From<Row> for ReviewedAim {
    fn from(r: Row) -> Self {
        let review = match (
            r.outcome.as_deref().and_then(Outcome::parse_code),
            r.version,
        ) {
            (Some(outcome), Some(version)) => Some(AimReview {
                outcome,
                actual: r.actual.unwrap_or_default(),
                evidence: r.evidence.unwrap_or_default(),
                links: r
                    .links
                    .unwrap_or_default()
                    .lines()
                    .filter(|l| !l.is_empty())
                    .map(str::to_string)
                    .collect(),
                version,
                recorded_by_name: r.recorded_by_name.unwrap_or_default(),
                organisation_name: r.organisation_name.unwrap_or_default(),
                recorded_at: r.recorded_at.unwrap_or_default(),
            }),
            _ => None,
        };
        ReviewedAim {
            aim_id: r.aim_id,
            title: r.title,
            indicator: r.indicator,
            baseline: r.baseline,
            target: r.target,
            target_date: r.target_date,
            review,
        }
    }
}

const SELECT: &str = "SELECT a.id AS aim_id, a.title, a.indicator, a.baseline, a.target, a.target_date, \
    r.outcome, r.actual, r.evidence, r.links, r.version, r.recorded_by_name, r.organisation_name, r.recorded_at \
    FROM aims a LEFT JOIN aim_reviews r ON r.aim_id = a.id AND r.collaboration_id = a.collaboration_id";

/// What happened to a save.
#[derive(Debug)]
pub enum AimReviewSave {
    Saved(ReviewedAim),
    /// Someone saved the review since the version the save was based on:
    /// this is the aim and its review as they are now.
    Stale(ReviewedAim),
    NotFound,
}

impl Tx {
    /// Every shared aim with its review, oldest aim first, in one statement.
    pub async fn reviewed_aims(
        &mut self,
        scope: &CollabScope,
    ) -> Result<Vec<ReviewedAim>, StoreError> {
        let rows: Vec<Row> = self
            .all(
                q(format!(
                    "{SELECT} WHERE a.collaboration_id = ? ORDER BY a.id"
                ))
                .bind(scope.collaboration_id()),
            )
            .await?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    pub async fn reviewed_aim(
        &mut self,
        scope: &CollabScope,
        aim_id: i64,
    ) -> Result<Option<ReviewedAim>, StoreError> {
        let row: Option<Row> = self
            .opt(
                q(format!(
                    "{SELECT} WHERE a.collaboration_id = ? AND a.id = ?"
                ))
                .bind(scope.collaboration_id())
                .bind(aim_id),
            )
            .await?;
        Ok(row.map(Into::into))
    }

    /// How many shared aims there are, and how many have a review.
    pub async fn aim_review_counts(
        &mut self,
        scope: &CollabScope,
    ) -> Result<(i64, i64), StoreError> {
        let (aims, reviewed): (i64, i64) = self
            .one(
                q("SELECT COUNT(a.id), COUNT(r.aim_id) FROM aims a \
                   LEFT JOIN aim_reviews r ON r.aim_id = a.id AND r.collaboration_id = a.collaboration_id \
                   WHERE a.collaboration_id = ?")
                .bind(scope.collaboration_id()),
            )
            .await?;
        Ok((aims, reviewed))
    }

    /// Saves the review of an aim if nobody saved it since `base_version`
    /// (0: there was no review yet).
    #[allow(clippy::too_many_arguments)]
    pub async fn save_aim_review(
        &mut self,
        scope: &CollabScope,
        aim_id: i64,
        d: &AimReviewDetails,
        base_version: i64,
        by: (i64, &str),
        organisation: (i64, &str),
        now: i64,
    ) -> Result<AimReviewSave, StoreError> {
        if self.reviewed_aim(scope, aim_id).await?.is_none() {
            return Ok(AimReviewSave::NotFound);
        }
        let links = d.links.join("\n");
        let n = if base_version == 0 {
            self.exec(
                q("INSERT INTO aim_reviews (aim_id, collaboration_id, outcome, actual, evidence, links, version, \
                   recorded_by, recorded_by_name, organisation_id, organisation_name, recorded_at) \
                   VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?) ON CONFLICT (aim_id) DO NOTHING")
                .bind(aim_id)
                .bind(scope.collaboration_id())
                .bind(d.outcome.code())
                .bind(&d.actual)
                .bind(&d.evidence)
                .bind(&links)
                .bind(by.0)
                .bind(by.1)
                .bind(organisation.0)
                .bind(organisation.1)
                .bind(now),
            )
            .await?
        } else {
            self.exec(
                q("UPDATE aim_reviews SET outcome = ?, actual = ?, evidence = ?, links = ?, version = version + 1, \
                   recorded_by = ?, recorded_by_name = ?, organisation_id = ?, organisation_name = ?, recorded_at = ? \
                   WHERE collaboration_id = ? AND aim_id = ? AND version = ?")
                .bind(d.outcome.code())
                .bind(&d.actual)
                .bind(&d.evidence)
                .bind(&links)
                .bind(by.0)
                .bind(by.1)
                .bind(organisation.0)
                .bind(organisation.1)
                .bind(now)
                .bind(scope.collaboration_id())
                .bind(aim_id)
                .bind(base_version),
            )
            .await?
        };
        Ok(match self.reviewed_aim(scope, aim_id).await? {
            None => AimReviewSave::NotFound,
            Some(a) if n == 1 => AimReviewSave::Saved(a),
            Some(a) => AimReviewSave::Stale(a),
        })
    }
}

/// A lesson learned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lesson {
    pub id: i64,
    pub stage: Stage,
    pub kind: LessonKind,
    pub text: String,
    /// 1 when recorded; goes up with every change.
    pub version: i64,
    /// Who last saved it, and for which organisation.
    pub recorded_by_name: String,
    pub organisation_name: String,
    pub recorded_at: i64,
    pub updated_at: i64,
    /// Copied from the previous cycle when the next one started.
    pub from_previous_cycle: bool,
}

struct LessonRow {
    id: i64,
    stage: String,
    kind: String,
    text: String,
    version: i64,
    recorded_by_name: String,
    organisation_name: String,
    recorded_at: i64,
    updated_at: i64,
    from_previous_cycle: i64,
}
crate::db::from_row!(LessonRow {
    id,
    stage,
    kind,
    text,
    version,
    recorded_by_name,
    organisation_name,
    recorded_at,
    updated_at,
    from_previous_cycle
});

impl From<LessonRow> for Lesson {
    fn from(r: LessonRow) -> Self {
        Lesson {
            id: r.id,
            stage: Stage::parse_code(&r.stage).unwrap_or(Stage::Review),
            kind: LessonKind::parse_code(&r.kind).unwrap_or(LessonKind::Worked),
            text: r.text,
            version: r.version,
            recorded_by_name: r.recorded_by_name,
            organisation_name: r.organisation_name,
            recorded_at: r.recorded_at,
            updated_at: r.updated_at,
            from_previous_cycle: r.from_previous_cycle != 0,
        }
    }
}

const LESSON_SELECT: &str = "SELECT id, stage, kind, text, version, recorded_by_name, organisation_name, \
    recorded_at, updated_at, from_previous_cycle FROM lessons";

/// What happened to a change of a lesson.
#[derive(Debug)]
pub enum LessonEdit {
    Saved(Lesson),
    /// Someone changed it since the version the change was based on.
    Stale(Lesson),
    NotFound,
}

impl Tx {
    /// One page of the lessons, by stage (Identify first), oldest first
    /// within a stage, and how many there are.
    pub async fn lessons(
        &mut self,
        scope: &CollabScope,
        page: crate::tasks::Page,
    ) -> Result<(i64, Vec<Lesson>), StoreError> {
        let total = self.count_lessons(scope).await?;
        let rows: Vec<LessonRow> = self
            .all(
                q(format!(
                    "{LESSON_SELECT} WHERE collaboration_id = ? ORDER BY stage_position, id LIMIT ? OFFSET ?"
                ))
                .bind(scope.collaboration_id())
                .bind(page.size)
                .bind((page.number.max(1) - 1) * page.size),
            )
            .await?;
        Ok((total, rows.into_iter().map(Into::into).collect()))
    }

    pub async fn count_lessons(&mut self, scope: &CollabScope) -> Result<i64, StoreError> {
        self.int(
            q("SELECT COUNT(*) FROM lessons WHERE collaboration_id = ?")
                .bind(scope.collaboration_id()),
        )
        .await
    }

    pub async fn lesson(
        &mut self,
        scope: &CollabScope,
        id: i64,
    ) -> Result<Option<Lesson>, StoreError> {
        let row: Option<LessonRow> = self
            .opt(
                q(format!(
                    "{LESSON_SELECT} WHERE collaboration_id = ? AND id = ?"
                ))
                .bind(scope.collaboration_id())
                .bind(id),
            )
            .await?;
        Ok(row.map(Into::into))
    }

    pub async fn create_lesson(
        &mut self,
        scope: &CollabScope,
        d: &LessonDetails,
        by: (i64, &str),
        organisation: (i64, &str),
        now: i64,
    ) -> Result<Lesson, StoreError> {
        let (id,): (i64,) = self
            .one(
                q("INSERT INTO lessons (collaboration_id, stage, stage_position, kind, text, version, recorded_by, \
                   recorded_by_name, organisation_id, organisation_name, recorded_at, updated_at) \
                   VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?) RETURNING id")
                .bind(scope.collaboration_id())
                .bind(d.stage.code())
                .bind(d.stage.number() as i64)
                .bind(d.kind.code())
                .bind(&d.text)
                .bind(by.0)
                .bind(by.1)
                .bind(organisation.0)
                .bind(organisation.1)
                .bind(now)
                .bind(now),
            )
            .await?;
        self.lesson(scope, id)
            .await?
            .ok_or_else(|| StoreError::Other("the new lesson was not found".into()))
    }

    /// Saves a change to a lesson if nobody changed it since `base_version`.
    #[allow(clippy::too_many_arguments)]
    pub async fn update_lesson(
        &mut self,
        scope: &CollabScope,
        id: i64,
        d: &LessonDetails,
        base_version: i64,
        by: (i64, &str),
        organisation: (i64, &str),
        now: i64,
    ) -> Result<LessonEdit, StoreError> {
        let n = self
            .exec(
                q("UPDATE lessons SET stage = ?, stage_position = ?, kind = ?, text = ?, version = version + 1, \
                   recorded_by = ?, recorded_by_name = ?, organisation_id = ?, organisation_name = ?, updated_at = ? \
                   WHERE collaboration_id = ? AND id = ? AND version = ?")
                .bind(d.stage.code())
                .bind(d.stage.number() as i64)
                .bind(d.kind.code())
                .bind(&d.text)
                .bind(by.0)
                .bind(by.1)
                .bind(organisation.0)
                .bind(organisation.1)
                .bind(now)
                .bind(scope.collaboration_id())
                .bind(id)
                .bind(base_version),
            )
            .await?;
        Ok(match self.lesson(scope, id).await? {
            None => LessonEdit::NotFound,
            Some(l) if n == 1 => LessonEdit::Saved(l),
            Some(l) => LessonEdit::Stale(l),
        })
    }

    pub async fn delete_lesson(
        &mut self,
        scope: &CollabScope,
        id: i64,
    ) -> Result<bool, StoreError> {
        let n = self
            .exec(
                q("DELETE FROM lessons WHERE collaboration_id = ? AND id = ?")
                    .bind(scope.collaboration_id())
                    .bind(id),
            )
            .await?;
        Ok(n == 1)
    }
}
