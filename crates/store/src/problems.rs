//! The problem log: problems, their escalations, and who stands at each
//! rung of the ladder, read and written only through a collaboration the
//! person takes part in.

use crate::StoreError;
use crate::collaborations::CollabScope;
use crate::db::{Tx, Val, q};
use crate::tasks::Page;
use commonground_domain::approval::approval_state;
use commonground_domain::problems::{ProblemFields, ProblemStatus, Severity};

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    pub id: i64,
    pub collaboration_id: i64,
    pub description: String,
    pub severity: Severity,
    pub raised_by: Option<i64>,
    pub raised_by_name: String,
    pub owner_organisation_id: i64,
    pub owner_organisation_name: String,
    pub owner_person_id: Option<i64>,
    /// Empty when nobody is named.
    pub owner_person_name: String,
    pub status: ProblemStatus,
    pub resolution: String,
    /// The rungs, bottom first, as they were when it was raised.
    pub ladder: Vec<String>,
    /// Where it stands on the ladder, from 0.
    pub rung: usize,
    pub version: i64,
    pub updated_by_name: String,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Problem {
    pub fn rung_name(&self) -> &str {
        self.ladder.get(self.rung).map(String::as_str).unwrap_or("")
    }
}

/// One move up the ladder.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Escalation {
    pub id: i64,
    pub problem_id: i64,
    pub from_rung: i64,
    pub to_rung: i64,
    pub from_name: String,
    pub to_name: String,
    pub reason: String,
    pub escalated_by: Option<i64>,
    pub escalated_by_name: String,
    pub escalated_at: i64,
    /// When the people at the new rung were told; None until then.
    pub notified_at: Option<i64>,
}
crate::db::from_row!(Escalation {
    id,
    problem_id,
    from_rung,
    to_rung,
    from_name,
    to_name,
    reason,
    escalated_by,
    escalated_by_name,
    escalated_at,
    notified_at
});

/// Which problems a list shows. Every field narrows it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProblemFilter {
    pub status: Option<ProblemStatus>,
    pub severity: Option<Severity>,
    pub owner_organisation_id: Option<i64>,
}

/// A person at a rung.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RungPerson {
    pub user_id: i64,
    pub name: String,
    pub organisation_name: String,
}

struct Row {
    id: i64,
    collaboration_id: i64,
    description: String,
    severity: String,
    raised_by: Option<i64>,
    raised_by_name: String,
    owner_organisation_id: i64,
    owner_organisation_name: Option<String>,
    owner_person_id: Option<i64>,
    owner_person_name: Option<String>,
    status: String,
    resolution: String,
    ladder: String,
    rung: i64,
    version: i64,
    updated_by_name: String,
    created_at: i64,
    updated_at: i64,
}
crate::db::from_row!(Row {
    id,
    collaboration_id,
    description,
    severity,
    raised_by,
    raised_by_name,
    owner_organisation_id,
    owner_organisation_name,
    owner_person_id,
    owner_person_name,
    status,
    resolution,
    ladder,
    rung,
    version,
    updated_by_name,
    created_at,
    updated_at
});

const COLUMNS: &str = "p.id, p.collaboration_id, p.description, p.severity, p.raised_by, p.raised_by_name, \
    p.owner_organisation_id, o.name AS owner_organisation_name, p.owner_person_id, \
    u.name AS owner_person_name, p.status, p.resolution, p.ladder, p.rung, p.version, \
    p.updated_by_name, p.created_at, p.updated_at";
const JOINS: &str = "FROM problems p LEFT JOIN organisations o ON o.id = p.owner_organisation_id \
    LEFT JOIN users u ON u.id = p.owner_person_id";
const ESCALATION: &str = "SELECT id, problem_id, from_rung, to_rung, from_name, to_name, reason, \
    escalated_by, escalated_by_name, escalated_at, notified_at FROM problem_escalations";
/// Unfinished first, then the newest.
const ORDER: &str =
    "ORDER BY CASE WHEN p.status IN ('resolved', 'closed') THEN 1 ELSE 0 END, p.id DESC";

fn problem(r: Row) -> Problem {
    Problem {
        id: r.id,
        collaboration_id: r.collaboration_id,
        description: r.description,
        severity: Severity::parse_code(&r.severity).unwrap_or(Severity::Medium),
        raised_by: r.raised_by,
        raised_by_name: r.raised_by_name,
        owner_organisation_id: r.owner_organisation_id,
        owner_organisation_name: r.owner_organisation_name.unwrap_or_default(),
        owner_person_id: r.owner_person_id,
        owner_person_name: r.owner_person_name.unwrap_or_default(),
        status: ProblemStatus::parse_code(&r.status).unwrap_or(ProblemStatus::Open),
        resolution: r.resolution,
        ladder: crate::split_list(&r.ladder),
        rung: usize::try_from(r.rung).unwrap_or(0),
        version: r.version,
        updated_by_name: r.updated_by_name,
        created_at: r.created_at,
        updated_at: r.updated_at,
    }
}

fn with_binds(sql: String, vals: Vec<Val>) -> crate::db::Q {
    vals.into_iter().fold(q(sql), |query, v| query.bind(v))
}

impl ProblemFilter {
    fn conditions(&self) -> (String, Vec<Val>) {
        let mut sql = String::new();
        let mut vals: Vec<Val> = Vec::new();
        if let Some(s) = self.status {
            sql.push_str(" AND p.status = ?");
            vals.push(s.code().into());
        }
        if let Some(s) = self.severity {
            sql.push_str(" AND p.severity = ?");
            vals.push(s.code().into());
        }
        if let Some(o) = self.owner_organisation_id {
            sql.push_str(" AND p.owner_organisation_id = ?");
            vals.push(o.into());
        }
        (sql, vals)
    }
}

impl Tx {
    /// The collaboration a problem belongs to, to prove access through it.
    pub async fn problem_collaboration_id(&mut self, id: i64) -> Result<Option<i64>, StoreError> {
        self.opt::<(i64,)>(q("SELECT collaboration_id FROM problems WHERE id = ?").bind(id))
            .await
            .map(|r| r.map(|(c,)| c))
    }

    pub async fn problem(
        &mut self,
        scope: &CollabScope,
        id: i64,
    ) -> Result<Option<Problem>, StoreError> {
        let row: Option<Row> = self
            .opt(
                q(format!(
                    "SELECT {COLUMNS} {JOINS} WHERE p.collaboration_id = ? AND p.id = ?"
                ))
                .bind(scope.collaboration_id())
                .bind(id),
            )
            .await?;
        Ok(row.map(problem))
    }

    /// One page of the collaboration's problems and how many match in all.
    pub async fn problems(
        &mut self,
        scope: &CollabScope,
        filter: &ProblemFilter,
        page: Page,
    ) -> Result<(i64, Vec<Problem>), StoreError> {
        let (cond, vals) = filter.conditions();
        let mut all = vec![Val::from(scope.collaboration_id())];
        all.extend(vals);
        let total = self
            .int(with_binds(
                format!("SELECT COUNT(*) FROM problems p WHERE p.collaboration_id = ?{cond}"),
                all.clone(),
            ))
            .await?;
        all.push(page.size.into());
        all.push(((page.number.max(1) - 1) * page.size).into());
        let rows: Vec<Row> = self
            .all(with_binds(
                format!(
                    "SELECT {COLUMNS} {JOINS} WHERE p.collaboration_id = ?{cond} {ORDER} LIMIT ? OFFSET ?"
                ),
                all,
            ))
            .await?;
        Ok((total, rows.into_iter().map(problem).collect()))
    }

    /// Every problem's id and first line, newest first, to link to.
    pub async fn problem_headlines(
        &mut self,
        scope: &CollabScope,
    ) -> Result<Vec<(i64, String)>, StoreError> {
        let rows: Vec<(i64, String)> = self
            .all(
                q("SELECT id, description FROM problems WHERE collaboration_id = ? ORDER BY id DESC")
                    .bind(scope.collaboration_id()),
            )
            .await?;
        Ok(rows
            .into_iter()
            .map(|(id, d)| (id, commonground_domain::problems::headline(&d)))
            .collect())
    }

    pub async fn create_problem(
        &mut self,
        scope: &CollabScope,
        f: &ProblemFields,
        ladder: &[String],
        by: (i64, &str),
        at: i64,
    ) -> Result<i64, StoreError> {
        self.int(
            q("INSERT INTO problems (collaboration_id, description, severity, raised_by, raised_by_name, \
               owner_organisation_id, owner_person_id, status, resolution, ladder, rung, version, \
               updated_by_name, created_at, updated_at) \
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 1, ?, ?, ?) RETURNING id")
            .bind(scope.collaboration_id())
            .bind(f.description.as_str())
            .bind(f.severity.code())
            .bind(by.0)
            .bind(by.1)
            .bind(f.owner_organisation_id)
            .bind(f.owner_person_id)
            .bind(f.status.code())
            .bind(f.resolution.as_str())
            .bind(crate::join_list(ladder))
            .bind(by.1)
            .bind(at)
            .bind(at),
        )
        .await
    }

    /// Applies a change based on the problem's version. Returns false,
    /// changing nothing, when the problem has moved on since.
    pub async fn update_problem(
        &mut self,
        scope: &CollabScope,
        id: i64,
        f: &ProblemFields,
        based_on: i64,
        by_name: &str,
        at: i64,
    ) -> Result<bool, StoreError> {
        let n = self
            .exec(
                q(
                    "UPDATE problems SET description = ?, severity = ?, owner_organisation_id = ?, \
                   owner_person_id = ?, status = ?, resolution = ?, version = version + 1, \
                   updated_by_name = ?, updated_at = ? \
                   WHERE collaboration_id = ? AND id = ? AND version = ?",
                )
                .bind(f.description.as_str())
                .bind(f.severity.code())
                .bind(f.owner_organisation_id)
                .bind(f.owner_person_id)
                .bind(f.status.code())
                .bind(f.resolution.as_str())
                .bind(by_name)
                .bind(at)
                .bind(scope.collaboration_id())
                .bind(id)
                .bind(based_on),
            )
            .await?;
        Ok(n == 1)
    }

    /// Moves the problem from rung `from` to `from + 1` and records why.
    /// Returns false, changing nothing, when it is no longer at `from` or
    /// has been finished meanwhile (someone else moved it first).
    #[allow(clippy::too_many_arguments)]
    pub async fn escalate_problem(
        &mut self,
        scope: &CollabScope,
        p: &Problem,
        to: usize,
        reason: &str,
        by: (i64, &str),
        at: i64,
    ) -> Result<bool, StoreError> {
        let from = p.rung as i64;
        let n = self
            .exec(
                q("UPDATE problems SET rung = ?, version = version + 1, updated_by_name = ?, updated_at = ? \
                   WHERE collaboration_id = ? AND id = ? AND rung = ? AND status NOT IN ('resolved', 'closed')")
                .bind(to as i64)
                .bind(by.1)
                .bind(at)
                .bind(scope.collaboration_id())
                .bind(p.id)
                .bind(from),
            )
            .await?;
        if n != 1 {
            return Ok(false);
        }
        self.exec(
            q("INSERT INTO problem_escalations (problem_id, collaboration_id, from_rung, to_rung, from_name, \
               to_name, reason, escalated_by, escalated_by_name, escalated_at, notified_at) \
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)")
            .bind(p.id)
            .bind(scope.collaboration_id())
            .bind(from)
            .bind(to as i64)
            .bind(p.rung_name())
            .bind(p.ladder.get(to).cloned().unwrap_or_default())
            .bind(reason)
            .bind(by.0)
            .bind(by.1)
            .bind(at),
        )
        .await?;
        Ok(true)
    }

    /// The problem's escalations, oldest first.
    pub async fn escalations(
        &mut self,
        scope: &CollabScope,
        problem_id: i64,
    ) -> Result<Vec<Escalation>, StoreError> {
        self.all(
            q(format!(
                "{ESCALATION} WHERE collaboration_id = ? AND problem_id = ? ORDER BY id"
            ))
            .bind(scope.collaboration_id())
            .bind(problem_id),
        )
        .await
    }

    /// Escalations nobody has been told about yet, oldest first, across
    /// every collaboration: for a notifications job, not for people.
    /// Marks an escalation as told to the people at its new rung.
    pub async fn mark_escalation_notified(
        &mut self,
        scope: &CollabScope,
        escalation_id: i64,
        now: i64,
    ) -> Result<(), StoreError> {
        self.exec(
            q("UPDATE problem_escalations SET notified_at = ? \
               WHERE id = ? AND collaboration_id = ? AND notified_at IS NULL")
            .bind(now)
            .bind(escalation_id)
            .bind(scope.collaboration_id()),
        )
        .await?;
        Ok(())
    }

    pub async fn escalations_to_notify(
        &mut self,
        limit: i64,
    ) -> Result<Vec<Escalation>, StoreError> {
        self.all(
            q(format!(
                "{ESCALATION} WHERE notified_at IS NULL ORDER BY escalated_at, id LIMIT ?"
            ))
            .bind(limit),
        )
        .await
    }

    /// The text of the disputes and escalation section of the agreement
    /// that counts: the most recently agreed one, else the newest draft.
    /// None when the collaboration has no agreement with that section.
    pub async fn escalation_text(
        &mut self,
        scope: &CollabScope,
    ) -> Result<Option<String>, StoreError> {
        let list = self.agreements(scope).await?;
        if list.is_empty() {
            return Ok(None);
        }
        // (agreement, organisation, version, epoch, approved at)
        let approvals: Vec<(i64, i64, i64, i64, i64)> = self
            .all(
                q("SELECT agreement_id, organisation_id, version, parties_epoch, approved_at FROM agreement_approvals \
                   WHERE agreement_id IN (SELECT id FROM agreements WHERE collaboration_id = ?)")
                .bind(scope.collaboration_id()),
            )
            .await?;
        let (epoch, parties) = self.parties(scope).await?;
        let ids: Vec<i64> = parties.iter().map(|p| p.0).collect();
        // When each agreed agreement became agreed: its latest approval
        // that counts now.
        let mut best: Option<(i64, i64)> = None;
        for a in &list {
            let mine: Vec<commonground_domain::approval::Approval> = approvals
                .iter()
                .filter(|x| x.0 == a.id)
                .map(|x| commonground_domain::approval::Approval {
                    organisation_id: x.1,
                    version: x.2,
                    parties_epoch: x.3,
                })
                .collect();
            if approval_state(a.version, epoch, &ids, &mine).agreed {
                let when = approvals
                    .iter()
                    .filter(|x| x.0 == a.id && x.2 == a.version && x.3 == epoch)
                    .map(|x| x.4)
                    .max()
                    .unwrap_or(0);
                if best.is_none_or(|(bid, w)| (when, a.id) > (w, bid)) {
                    best = Some((a.id, when));
                }
            }
        }
        // The list is newest first.
        let chosen = best.map_or(list[0].id, |(id, _)| id);
        let text: Option<(String,)> = self
            .opt(
                q("SELECT text FROM agreement_sections WHERE agreement_id = ? AND section_key = 'disputes_and_escalation'")
                    .bind(chosen),
            )
            .await?;
        Ok(text.map(|(t,)| t))
    }

    /// The members of an organisation taking part.
    pub async fn rung_organisation_members(
        &mut self,
        scope: &CollabScope,
        organisation_id: i64,
    ) -> Result<Vec<RungPerson>, StoreError> {
        self.rung_people(
            q("SELECT u.id, u.name, o.name FROM participants p JOIN memberships m ON m.organisation_id = p.organisation_id \
               JOIN users u ON u.id = m.user_id JOIN organisations o ON o.id = p.organisation_id \
               WHERE p.collaboration_id = ? AND p.organisation_id = ? ORDER BY u.name, u.id")
            .bind(scope.collaboration_id())
            .bind(organisation_id),
        )
        .await
    }

    /// The admins of the lead and partner organisations.
    pub async fn rung_partner_leads(
        &mut self,
        scope: &CollabScope,
    ) -> Result<Vec<RungPerson>, StoreError> {
        self.rung_people(
            q("SELECT u.id, u.name, o.name FROM participants p JOIN memberships m ON m.organisation_id = p.organisation_id \
               JOIN users u ON u.id = m.user_id JOIN organisations o ON o.id = p.organisation_id \
               WHERE p.collaboration_id = ? AND p.role IN ('lead', 'partner') AND m.role = 'admin' \
               ORDER BY o.name, o.id, u.name, u.id")
            .bind(scope.collaboration_id()),
        )
        .await
    }

    /// The steering group's name and members: the oldest governance body
    /// whose name says it is a steering group. None when there is none.
    pub async fn rung_steering_group(
        &mut self,
        scope: &CollabScope,
    ) -> Result<Option<(String, Vec<RungPerson>)>, StoreError> {
        let body: Option<(i64, String)> = self
            .opt(
                q(
                    "SELECT id, name FROM governance_bodies WHERE collaboration_id = ? \
                   AND LOWER(name) LIKE '%steering%' ORDER BY id LIMIT 1",
                )
                .bind(scope.collaboration_id()),
            )
            .await?;
        let Some((id, name)) = body else {
            return Ok(None);
        };
        let people = self
            .rung_people(
                q("SELECT u.id, u.name, o.name FROM governance_members gm JOIN users u ON u.id = gm.user_id \
                   JOIN organisations o ON o.id = gm.organisation_id WHERE gm.body_id = ? ORDER BY u.name, u.id")
                .bind(id),
            )
            .await?;
        Ok(Some((name, people)))
    }

    async fn rung_people(&mut self, query: crate::db::Q) -> Result<Vec<RungPerson>, StoreError> {
        let rows: Vec<(i64, String, String)> = self.all(query).await?;
        Ok(rows
            .into_iter()
            .map(|(user_id, name, organisation_name)| RungPerson {
                user_id,
                name,
                organisation_name,
            })
            .collect())
    }

    /// Unresolved problems, and those of them raised before `cutoff`
    /// still open with no owner person: for the Implement checklist.
    pub async fn problem_facts(
        &mut self,
        scope: &CollabScope,
        cutoff: i64,
    ) -> Result<(i64, i64), StoreError> {
        self.one(
            q("SELECT COUNT(*), \
               COALESCE(SUM(CASE WHEN status = 'open' AND owner_person_id IS NULL AND created_at < ? THEN 1 ELSE 0 END), 0) \
               FROM problems WHERE collaboration_id = ? AND status IN ('open', 'being_worked_on')")
            .bind(cutoff)
            .bind(scope.collaboration_id()),
        )
        .await
    }
}
