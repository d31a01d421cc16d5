//! The decisions log and what each decision affects, read and written only
//! through a collaboration the person takes part in. Links live in one
//! table with a kind column; every read joins the target's own table
//! within the same collaboration, so a link can never show something of
//! another collaboration, and a deleted target drops out.

use crate::StoreError;
use crate::collaborations::CollabScope;
use crate::db::{Tx, Val, q};
use crate::tasks::Page;
use commonground_domain::decisions::{DecisionFields, HowTaken, LinkKind};

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Decision {
    pub id: i64,
    pub collaboration_id: i64,
    pub title: String,
    pub decided: String,
    pub decided_on: String,
    pub how: HowTaken,
    pub governance_body_id: Option<i64>,
    /// Empty when no body is named.
    pub governance_body_name: String,
    pub recorded_by: Option<i64>,
    pub recorded_by_name: String,
    pub created_at: i64,
}

/// Something a decision affects, or a decision about something.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Link {
    pub kind: LinkKind,
    pub id: i64,
    /// The task's or aim's title, the problem's first line, or the
    /// decision's title.
    pub title: String,
}

struct Row {
    id: i64,
    collaboration_id: i64,
    title: String,
    decided: String,
    decided_on: String,
    how: String,
    governance_body_id: Option<i64>,
    governance_body_name: Option<String>,
    recorded_by: Option<i64>,
    recorded_by_name: String,
    created_at: i64,
}
crate::db::from_row!(Row {
    id,
    collaboration_id,
    title,
    decided,
    decided_on,
    how,
    governance_body_id,
    governance_body_name,
    recorded_by,
    recorded_by_name,
    created_at
});

const COLUMNS: &str = "d.id, d.collaboration_id, d.title, d.decided, d.decided_on, d.how, d.governance_body_id, \
    g.name AS governance_body_name, d.recorded_by, d.recorded_by_name, d.created_at";
const JOINS: &str = "FROM decisions d LEFT JOIN governance_bodies g ON g.id = d.governance_body_id";
const ORDER: &str = "ORDER BY d.decided_on DESC, d.id DESC";

fn decision(r: Row) -> Decision {
    Decision {
        id: r.id,
        collaboration_id: r.collaboration_id,
        title: r.title,
        decided: r.decided,
        decided_on: r.decided_on,
        how: HowTaken::parse_code(&r.how).unwrap_or(HowTaken::Meeting),
        governance_body_id: r.governance_body_id,
        governance_body_name: r.governance_body_name.unwrap_or_default(),
        recorded_by: r.recorded_by,
        recorded_by_name: r.recorded_by_name,
        created_at: r.created_at,
    }
}

/// Each kind's table and the column that names a row of it.
fn target(kind: LinkKind) -> (&'static str, &'static str) {
    match kind {
        LinkKind::Task => ("tasks", "title"),
        LinkKind::Problem => ("problems", "description"),
        LinkKind::Aim => ("aims", "title"),
    }
}

fn link_title(kind: LinkKind, text: &str) -> String {
    match kind {
        LinkKind::Problem => commonground_domain::problems::headline(text),
        _ => text.to_string(),
    }
}

impl Tx {
    /// The collaboration a decision belongs to, to prove access through it.
    pub async fn decision_collaboration_id(&mut self, id: i64) -> Result<Option<i64>, StoreError> {
        self.opt::<(i64,)>(q("SELECT collaboration_id FROM decisions WHERE id = ?").bind(id))
            .await
            .map(|r| r.map(|(c,)| c))
    }

    pub async fn decision(
        &mut self,
        scope: &CollabScope,
        id: i64,
    ) -> Result<Option<Decision>, StoreError> {
        let row: Option<Row> = self
            .opt(
                q(format!(
                    "SELECT {COLUMNS} {JOINS} WHERE d.collaboration_id = ? AND d.id = ?"
                ))
                .bind(scope.collaboration_id())
                .bind(id),
            )
            .await?;
        Ok(row.map(decision))
    }

    /// One page of decisions, newest first, perhaps of one kind only.
    pub async fn decisions(
        &mut self,
        scope: &CollabScope,
        how: Option<HowTaken>,
        page: Page,
    ) -> Result<(i64, Vec<Decision>), StoreError> {
        let mut vals: Vec<Val> = vec![scope.collaboration_id().into()];
        let cond = match how {
            Some(h) => {
                vals.push(h.code().into());
                " AND d.how = ?"
            }
            None => "",
        };
        let count = vals.clone().into_iter().fold(
            q(format!(
                "SELECT COUNT(*) FROM decisions d WHERE d.collaboration_id = ?{cond}"
            )),
            |query, v| query.bind(v),
        );
        let total = self.int(count).await?;
        vals.push(page.size.into());
        vals.push(((page.number.max(1) - 1) * page.size).into());
        let rows: Vec<Row> = self
            .all(vals.into_iter().fold(
                q(format!(
                    "SELECT {COLUMNS} {JOINS} WHERE d.collaboration_id = ?{cond} {ORDER} LIMIT ? OFFSET ?"
                )),
                |query, v| query.bind(v),
            ))
            .await?;
        Ok((total, rows.into_iter().map(decision).collect()))
    }

    pub async fn create_decision(
        &mut self,
        scope: &CollabScope,
        f: &DecisionFields,
        by: (i64, &str),
        at: i64,
    ) -> Result<i64, StoreError> {
        self.int(
            q("INSERT INTO decisions (collaboration_id, title, decided, decided_on, how, governance_body_id, \
               recorded_by, recorded_by_name, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")
            .bind(scope.collaboration_id())
            .bind(f.title.as_str())
            .bind(f.decided.as_str())
            .bind(f.decided_on.as_str())
            .bind(f.how.code())
            .bind(f.governance_body_id)
            .bind(by.0)
            .bind(by.1)
            .bind(at),
        )
        .await
    }

    /// The title of the collaboration's task, problem or aim with this id;
    /// None when it is not this collaboration's.
    pub async fn link_target(
        &mut self,
        scope: &CollabScope,
        kind: LinkKind,
        id: i64,
    ) -> Result<Option<String>, StoreError> {
        let (table, column) = target(kind);
        let row: Option<(String,)> = self
            .opt(
                q(format!(
                    "SELECT {column} FROM {table} WHERE collaboration_id = ? AND id = ?"
                ))
                .bind(scope.collaboration_id())
                .bind(id),
            )
            .await?;
        Ok(row.map(|(t,)| link_title(kind, &t)))
    }

    /// Links the decision to a target the caller has checked is this
    /// collaboration's; false when the link was there already.
    pub async fn add_decision_link(
        &mut self,
        scope: &CollabScope,
        decision_id: i64,
        kind: LinkKind,
        target_id: i64,
    ) -> Result<bool, StoreError> {
        let n = self
            .exec(
                q("INSERT INTO decision_links (decision_id, collaboration_id, target_kind, target_id) \
                   VALUES (?, ?, ?, ?) ON CONFLICT (decision_id, target_kind, target_id) DO NOTHING")
                .bind(decision_id)
                .bind(scope.collaboration_id())
                .bind(kind.code())
                .bind(target_id),
            )
            .await?;
        Ok(n == 1)
    }

    pub async fn remove_decision_link(
        &mut self,
        scope: &CollabScope,
        decision_id: i64,
        kind: LinkKind,
        target_id: i64,
    ) -> Result<bool, StoreError> {
        let n = self
            .exec(
                q(
                    "DELETE FROM decision_links WHERE collaboration_id = ? AND decision_id = ? \
                   AND target_kind = ? AND target_id = ?",
                )
                .bind(scope.collaboration_id())
                .bind(decision_id)
                .bind(kind.code())
                .bind(target_id),
            )
            .await?;
        Ok(n == 1)
    }

    /// What the decision affects, by kind then title, in one statement.
    pub async fn decision_links(
        &mut self,
        scope: &CollabScope,
        decision_id: i64,
    ) -> Result<Vec<Link>, StoreError> {
        let parts: Vec<String> = LinkKind::ALL
            .iter()
            .map(|k| {
                let (table, column) = target(*k);
                format!(
                    "SELECT l.target_kind, x.id, x.{column} FROM decision_links l JOIN {table} x \
                     ON x.id = l.target_id AND x.collaboration_id = l.collaboration_id \
                     WHERE l.collaboration_id = ? AND l.decision_id = ? AND l.target_kind = '{}'",
                    k.code()
                )
            })
            .collect();
        let mut query = q(format!("{} ORDER BY 1, 2", parts.join(" UNION ALL ")));
        for _ in LinkKind::ALL {
            query = query.bind(scope.collaboration_id()).bind(decision_id);
        }
        let rows: Vec<(String, i64, String)> = self.all(query).await?;
        Ok(rows
            .into_iter()
            .filter_map(|(k, id, t)| {
                let kind = LinkKind::parse_code(&k)?;
                Some(Link {
                    kind,
                    id,
                    title: link_title(kind, &t),
                })
            })
            .collect())
    }

    /// The decisions about one task, problem or aim, newest first.
    pub async fn decisions_about(
        &mut self,
        scope: &CollabScope,
        kind: LinkKind,
        target_id: i64,
    ) -> Result<Vec<Decision>, StoreError> {
        let rows: Vec<Row> = self
            .all(
                q(format!(
                    "SELECT {COLUMNS} {JOINS} JOIN decision_links l ON l.decision_id = d.id \
                     WHERE l.collaboration_id = ? AND l.target_kind = ? AND l.target_id = ? {ORDER}"
                ))
                .bind(scope.collaboration_id())
                .bind(kind.code())
                .bind(target_id),
            )
            .await?;
        Ok(rows.into_iter().map(decision).collect())
    }

    /// Every governance body's id and name, to choose from.
    pub async fn governance_body_names(
        &mut self,
        scope: &CollabScope,
    ) -> Result<Vec<(i64, String)>, StoreError> {
        self.all(
            q("SELECT id, name FROM governance_bodies WHERE collaboration_id = ? ORDER BY id")
                .bind(scope.collaboration_id()),
        )
        .await
    }
}
