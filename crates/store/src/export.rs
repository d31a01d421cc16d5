//! Data exports: everything a collaboration holds for its participants,
//! everything an organisation holds for its admins, and everything about a
//! person for that person.
//!
//! Each part of an export is one statement over one table (joined only to
//! name things), so a collaboration with 500 tasks is read in a few dozen
//! statements whatever its size. Columns are listed by hand: a column added
//! later leaves only when someone adds it here, so no secret (password,
//! session, token or calendar feed hashes) can leave by accident. Health
//! check answers never leave through this module; the web layer adds the
//! results a page would show.

use crate::StoreError;
use crate::collaborations::CollabScope;
use crate::db::{Tx, q};
use crate::organisations::OrgScope;

pub use crate::db::{Cell, Grid};

/// One part of an export: a name (the CSV file is `<name>.csv`), the
/// columns it selects, and the rest of its statement, in which every `?`
/// is the id of what is exported.
struct Part {
    name: &'static str,
    select: &'static str,
    from: &'static str,
}

/// One table of an export, ready to be written as JSON or CSV.
#[derive(Debug, Clone)]
pub struct Table {
    pub name: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    /// A table made elsewhere (such as health check results).
    pub fn new(name: &str, columns: &[&str], rows: Vec<Vec<Cell>>) -> Table {
        Table {
            name: name.to_string(),
            columns: columns.iter().map(|c| c.to_string()).collect(),
            rows,
        }
    }
}

/// The column names of a select list: what follows `AS`, else the part
/// after the table's alias.
fn column_names(select: &str) -> Vec<String> {
    select
        .split(',')
        .map(|c| {
            let c = c.trim();
            let c = c.rsplit(" AS ").next().unwrap_or(c);
            c.rsplit('.').next().unwrap_or(c).trim().to_string()
        })
        .collect()
}

/// The collaboration's own tables, each read in one statement. Every table
/// with a `collaboration_id` column is here or in [`NOT_EXPORTED`].
const COLLABORATION: &[Part] = &[
    Part {
        name: "collaboration",
        select: "id, title, purpose, stage, previous_id, created_at, updated_at",
        from: "FROM collaborations WHERE id = ?",
    },
    Part {
        name: "participants",
        select: "p.organisation_id, o.name AS organisation_name, p.role, p.joined_at",
        from: "FROM participants p JOIN organisations o ON o.id = p.organisation_id \
               WHERE p.collaboration_id = ? ORDER BY p.joined_at, p.organisation_id",
    },
    Part {
        name: "collaboration_invitations",
        select: "i.id, i.organisation_id, o.name AS organisation_name, i.role, i.message, i.status, \
                 i.invited_by_organisation_id, i.created_at, i.responded_at",
        from: "FROM collaboration_invitations i JOIN organisations o ON o.id = i.organisation_id \
               WHERE i.collaboration_id = ? ORDER BY i.id",
    },
    Part {
        name: "goals",
        select: "id, organisation_id, benefit, title, detail, created_at, updated_at",
        from: "FROM goals WHERE collaboration_id = ? ORDER BY id",
    },
    Part {
        name: "readiness_rounds",
        select: "id, number, instrument_id, opened_at",
        from: "FROM readiness_rounds WHERE collaboration_id = ? ORDER BY id",
    },
    Part {
        name: "environment_items",
        select: "id, organisation_id, framework, category, text, created_at, updated_at",
        from: "FROM environment_items WHERE collaboration_id = ? ORDER BY id",
    },
    Part {
        name: "benefits_risks",
        select: "id, kind, catalogue_code, title, likelihood, impact, owner_organisation_id, note, \
                 created_at, updated_at",
        from: "FROM benefits_risks WHERE collaboration_id = ? ORDER BY id",
    },
    Part {
        name: "shortlist_entries",
        select: "id, entry_key, org_identifier, organisation_id, name, status, added_at, updated_at",
        from: "FROM shortlist_entries WHERE collaboration_id = ? ORDER BY id",
    },
    Part {
        name: "shortlist_notes",
        select: "n.id, n.entry_id, n.status, n.note, n.written_by_name, n.written_at",
        from: "FROM shortlist_notes n JOIN shortlist_entries e ON e.id = n.entry_id \
               WHERE e.collaboration_id = ? ORDER BY n.id",
    },
    Part {
        name: "collaboration_models",
        select: "model, reason, version, chosen_by_name, organisation_name, chosen_at",
        from: "FROM collaboration_models WHERE collaboration_id = ?",
    },
    Part {
        name: "due_diligence_items",
        select: "area, status, owner_organisation_id, note, version, updated_by_name, updated_at",
        from: "FROM due_diligence_items WHERE collaboration_id = ? ORDER BY area",
    },
    Part {
        name: "governance_bodies",
        select: "id, name, purpose, decision_rule, quorum, meets, chair_user_id, version, created_at, updated_at",
        from: "FROM governance_bodies WHERE collaboration_id = ? ORDER BY id",
    },
    Part {
        name: "governance_members",
        select: "m.body_id, m.user_id, u.name AS user_name, m.organisation_id",
        from: "FROM governance_members m JOIN governance_bodies b ON b.id = m.body_id \
               JOIN users u ON u.id = m.user_id WHERE b.collaboration_id = ? ORDER BY m.body_id, m.user_id",
    },
    Part {
        name: "responsibility_functions",
        select: "id, name, created_at",
        from: "FROM responsibility_functions WHERE collaboration_id = ? ORDER BY id",
    },
    Part {
        name: "responsibility_cells",
        select: "function_key, organisation_id, role",
        from: "FROM responsibility_cells WHERE collaboration_id = ? ORDER BY function_key, organisation_id",
    },
    Part {
        name: "responsibility_matrices",
        select: "version, updated_at",
        from: "FROM responsibility_matrices WHERE collaboration_id = ?",
    },
    Part {
        name: "aims",
        select: "id, benefit_id, title, indicator, baseline, target, target_date, version, created_at, updated_at",
        from: "FROM aims WHERE collaboration_id = ? ORDER BY id",
    },
    Part {
        name: "aim_sets",
        select: "version, updated_at",
        from: "FROM aim_sets WHERE collaboration_id = ?",
    },
    Part {
        name: "aim_approvals",
        select: "id, organisation_id, organisation_name, version, parties_epoch, approved_by_name, approved_at",
        from: "FROM aim_approvals WHERE collaboration_id = ? ORDER BY id",
    },
    Part {
        name: "agreements",
        select: "id, kind, version, content_hash, created_at, updated_at",
        from: "FROM agreements WHERE collaboration_id = ? ORDER BY id",
    },
    Part {
        name: "agreement_sections",
        select: "s.agreement_id, s.section_key, s.position, s.title, s.text, s.version",
        from: "FROM agreement_sections s JOIN agreements a ON a.id = s.agreement_id \
               WHERE a.collaboration_id = ? ORDER BY s.agreement_id, s.position",
    },
    Part {
        name: "agreement_versions",
        select: "v.agreement_id, v.version, v.section_key, v.content_hash, v.saved_by_name, v.saved_at",
        from: "FROM agreement_versions v JOIN agreements a ON a.id = v.agreement_id \
               WHERE a.collaboration_id = ? ORDER BY v.agreement_id, v.version",
    },
    Part {
        name: "agreement_revisions",
        select: "r.agreement_id, r.section_key, r.version, r.text",
        from: "FROM agreement_revisions r JOIN agreements a ON a.id = r.agreement_id \
               WHERE a.collaboration_id = ? ORDER BY r.agreement_id, r.section_key, r.version",
    },
    Part {
        name: "agreement_comments",
        select: "c.id, c.agreement_id, c.section_key, c.version, c.body, c.organisation_name, \
                 c.written_by_name, c.written_at",
        from: "FROM agreement_comments c JOIN agreements a ON a.id = c.agreement_id \
               WHERE a.collaboration_id = ? ORDER BY c.id",
    },
    Part {
        name: "agreement_approvals",
        select: "x.id, x.agreement_id, x.organisation_id, x.organisation_name, x.version, x.content_hash, \
                 x.parties_epoch, x.approved_by_name, x.approved_at",
        from: "FROM agreement_approvals x JOIN agreements a ON a.id = x.agreement_id \
               WHERE a.collaboration_id = ? ORDER BY x.id",
    },
    Part {
        name: "workstreams",
        select: "id, name, description, created_at",
        from: "FROM workstreams WHERE collaboration_id = ? ORDER BY id",
    },
    Part {
        name: "tasks",
        select: "t.id, t.workstream_id, t.title, t.description, t.owner_organisation_id, t.assignee_id, \
                 u.name AS assignee_name, t.start_on, t.due_on, t.status, t.milestone, t.done_reason, \
                 t.aim_id, t.series_id, t.version, t.updated_by_name, t.created_at, t.updated_at",
        from: "FROM tasks t LEFT JOIN users u ON u.id = t.assignee_id \
               WHERE t.collaboration_id = ? ORDER BY t.id",
    },
    Part {
        name: "task_dependencies",
        select: "task_id, depends_on_id",
        from: "FROM task_dependencies WHERE collaboration_id = ? ORDER BY task_id, depends_on_id",
    },
    Part {
        name: "recurring_tasks",
        select: "id, workstream_id, title, description, owner_organisation_id, assignee_id, aim_id, \
                 repeats, first_on, ends_on, last_made_on, last_task_id, next_on, ended_at, ended_by_name, \
                 version, updated_by_name, created_at, updated_at",
        from: "FROM task_series WHERE collaboration_id = ? ORDER BY id",
    },
    Part {
        name: "partner_contacts",
        select: "id, organisation_id, name, role, email, phone, user_id, version, created_at, updated_at",
        from: "FROM partner_contacts WHERE collaboration_id = ? ORDER BY id",
    },
    Part {
        name: "meetings",
        select: "id, body_id, title, held_on, starts_at, duration_minutes, place, minutes, version, \
                 created_at, updated_at",
        from: "FROM meetings WHERE collaboration_id = ? ORDER BY id",
    },
    Part {
        name: "meeting_items",
        select: "i.meeting_id, i.kind, i.position, i.text",
        from: "FROM meeting_items i JOIN meetings m ON m.id = i.meeting_id \
               WHERE m.collaboration_id = ? ORDER BY i.meeting_id, i.kind, i.position",
    },
    Part {
        name: "meeting_actions",
        select: "x.meeting_id, x.task_id",
        from: "FROM meeting_actions x JOIN meetings m ON m.id = x.meeting_id \
               WHERE m.collaboration_id = ? ORDER BY x.meeting_id, x.task_id",
    },
    Part {
        name: "meeting_attendance",
        select: "x.id, x.meeting_id, x.user_id, u.name AS user_name, x.organisation_id, x.guest_name, x.status",
        from: "FROM meeting_attendance x JOIN meetings m ON m.id = x.meeting_id \
               LEFT JOIN users u ON u.id = x.user_id WHERE m.collaboration_id = ? ORDER BY x.id",
    },
    Part {
        name: "comms_items",
        select: "id, audience, purpose, key_message, channel, owner_organisation_id, owner_person_id, timing, \
                 on_date, next_due_on, status, version, updated_by_name, created_at, updated_at",
        from: "FROM comms_items WHERE collaboration_id = ? ORDER BY id",
    },
    Part {
        name: "comms_log",
        select: "id, item_id, sent_on, what, channel, link, notes, recorded_by_name, recorded_at",
        from: "FROM comms_log WHERE collaboration_id = ? ORDER BY id",
    },
    Part {
        name: "proposals",
        select: "id, body_id, body_name, decision_rule, quorum, title, proposal, closes_on, proposer_name, \
                 proposer_organisation_id, closed_at, closed_by_name, outcome, result, result_reasoning, \
                 outcome_by_name, outcome_at, decision_id, created_at, updated_at",
        from: "FROM proposals WHERE collaboration_id = ? ORDER BY id",
    },
    Part {
        name: "proposal_votes",
        select: "v.id, v.proposal_id, v.organisation_id, v.choice, v.reason, v.voter_name, v.cast_at",
        from: "FROM proposal_votes v JOIN proposals p ON p.id = v.proposal_id \
               WHERE p.collaboration_id = ? ORDER BY v.id",
    },
    Part {
        name: "decisions",
        select: "id, title, decided, decided_on, how, governance_body_id, recorded_by_name, created_at",
        from: "FROM decisions WHERE collaboration_id = ? ORDER BY id",
    },
    Part {
        name: "decision_links",
        select: "decision_id, target_kind, target_id",
        from: "FROM decision_links WHERE collaboration_id = ? ORDER BY decision_id, target_kind, target_id",
    },
    Part {
        name: "problems",
        select: "id, description, severity, raised_by_name, owner_organisation_id, owner_person_id, status, \
                 resolution, ladder, rung, version, updated_by_name, created_at, updated_at",
        from: "FROM problems WHERE collaboration_id = ? ORDER BY id",
    },
    Part {
        name: "problem_escalations",
        select: "id, problem_id, from_rung, to_rung, from_name, to_name, reason, escalated_by_name, \
                 escalated_at, notified_at",
        from: "FROM problem_escalations WHERE collaboration_id = ? ORDER BY id",
    },
    Part {
        name: "risks",
        select: "id, title, description, category, likelihood, impact, score, owner_organisation_id, \
                 owner_person_id, mitigation, review_on, status, source, version, updated_by_name, \
                 created_at, updated_at",
        from: "FROM risks WHERE collaboration_id = ? ORDER BY id",
    },
    Part {
        name: "risk_score_changes",
        select: "id, risk_id, changed_by_name, changed_at, from_likelihood, from_impact, to_likelihood, to_impact",
        from: "FROM risk_score_changes WHERE collaboration_id = ? ORDER BY id",
    },
    Part {
        name: "aim_reviews",
        select: "aim_id, outcome, actual, evidence, links, version, recorded_by_name, organisation_id, \
                 organisation_name, recorded_at",
        from: "FROM aim_reviews WHERE collaboration_id = ? ORDER BY aim_id",
    },
    Part {
        name: "lessons",
        select: "id, stage, kind, text, version, recorded_by_name, organisation_id, organisation_name, \
                 from_previous_cycle, recorded_at, updated_at",
        from: "FROM lessons WHERE collaboration_id = ? ORDER BY stage_position, id",
    },
    Part {
        name: "forward_positions",
        select: "f.organisation_id, o.name AS organisation_name, f.option, f.reasons, f.next_steps, \
                 f.version, f.recorded_by_name, f.recorded_at",
        from: "FROM forward_positions f JOIN organisations o ON o.id = f.organisation_id \
               WHERE f.collaboration_id = ? ORDER BY f.organisation_id",
    },
    Part {
        name: "forward_ways",
        select: "id, proposal_id, option, reasons, next_steps, proposed_by_name, created_at",
        from: "FROM forward_ways WHERE collaboration_id = ? ORDER BY id",
    },
    Part {
        name: "audit_events",
        select: "id, at, user_name, acting_organisation_name, action, summary",
        from: "FROM audit_events WHERE collaboration_id = ? ORDER BY id",
    },
];

/// Tables that hold a collaboration's or an organisation's rows but are not
/// exported as they are, and why. A table added later must be exported or
/// listed here, or the schema test fails.
pub const NOT_EXPORTED: &[(&str, &str)] = &[
    // One person's answers: only the aggregated results leave, under the
    // same rules as the pages (the web layer adds them).
    ("health_answers", "one person's answers"),
    ("health_responses", "one person's answers and comment"),
    ("health_invitees", "who was asked, per person"),
    (
        "health_rounds",
        "exported as health_check_rounds with their results",
    ),
    // The readiness check's answers are one person's ratings.
    ("readiness_answers", "one person's ratings"),
    // Secrets: a feed address is a password for the calendar.
    ("calendar_feeds", "holds a secret"),
    // A person's own: in that person's export.
    ("notifications", "in the person's own export"),
    ("sessions", "in the person's own export, without secrets"),
];

/// An organisation's own data, for its admins.
const ORGANISATION: &[Part] = &[
    Part {
        name: "organisation",
        select: "id, name, kind, charity_number, company_number, org_identifier, mission, activities, \
                 areas_served, causes, website, created_at, updated_at",
        from: "FROM organisations WHERE id = ?",
    },
    Part {
        name: "members",
        select: "m.user_id, u.name, u.email, m.role, m.joined_at",
        from: "FROM memberships m JOIN users u ON u.id = m.user_id \
               WHERE m.organisation_id = ? ORDER BY m.joined_at, m.user_id",
    },
    Part {
        name: "member_invitations",
        select: "id, email, role, created_at, expires_at, accepted_at, revoked_at",
        from: "FROM member_invitations WHERE organisation_id = ? ORDER BY id",
    },
    Part {
        name: "goals",
        select: "id, collaboration_id, benefit, title, detail, created_at, updated_at",
        from: "FROM goals WHERE organisation_id = ? ORDER BY id",
    },
    Part {
        name: "participations",
        select: "p.collaboration_id, c.title AS collaboration_title, p.role, p.joined_at",
        from: "FROM participants p JOIN collaborations c ON c.id = p.collaboration_id \
               WHERE p.organisation_id = ? ORDER BY p.joined_at, p.collaboration_id",
    },
    Part {
        name: "collaboration_invitations",
        select: "id, collaboration_id, role, message, status, created_at, responded_at",
        from: "FROM collaboration_invitations WHERE organisation_id = ? ORDER BY id",
    },
    Part {
        name: "environment_items",
        select: "id, collaboration_id, framework, category, text, created_at, updated_at",
        from: "FROM environment_items WHERE organisation_id = ? ORDER BY id",
    },
    Part {
        name: "responsibility_cells",
        select: "collaboration_id, function_key, role",
        from: "FROM responsibility_cells WHERE organisation_id = ? ORDER BY collaboration_id, function_key",
    },
    Part {
        name: "aim_approvals",
        select: "id, collaboration_id, version, approved_by_name, approved_at",
        from: "FROM aim_approvals WHERE organisation_id = ? ORDER BY id",
    },
    Part {
        name: "agreement_approvals",
        select: "x.id, a.collaboration_id, x.agreement_id, x.version, x.approved_by_name, x.approved_at",
        from: "FROM agreement_approvals x JOIN agreements a ON a.id = x.agreement_id \
               WHERE x.organisation_id = ? ORDER BY x.id",
    },
    Part {
        name: "proposal_votes",
        select: "v.id, p.collaboration_id, v.proposal_id, v.choice, v.reason, v.voter_name, v.cast_at",
        from: "FROM proposal_votes v JOIN proposals p ON p.id = v.proposal_id \
               WHERE v.organisation_id = ? ORDER BY v.id",
    },
    Part {
        name: "partner_contacts",
        select: "id, collaboration_id, name, role, email, phone, created_at, updated_at",
        from: "FROM partner_contacts WHERE organisation_id = ? ORDER BY id",
    },
    Part {
        name: "aim_reviews",
        select: "aim_id, collaboration_id, outcome, actual, evidence, links, recorded_by_name, recorded_at",
        from: "FROM aim_reviews WHERE organisation_id = ? ORDER BY collaboration_id, aim_id",
    },
    Part {
        name: "lessons",
        select: "id, collaboration_id, stage, kind, text, recorded_by_name, recorded_at",
        from: "FROM lessons WHERE organisation_id = ? ORDER BY id",
    },
    Part {
        name: "forward_positions",
        select: "collaboration_id, option, reasons, next_steps, version, recorded_by_name, recorded_at",
        from: "FROM forward_positions WHERE organisation_id = ? ORDER BY collaboration_id",
    },
    Part {
        name: "audit_events",
        select: "id, at, user_name, acting_organisation_name, action, summary",
        from: "FROM audit_events WHERE organisation_id = ? AND collaboration_id IS NULL ORDER BY id",
    },
];

/// The collaborations a person can see now, for filtering what they wrote.
const SEEN_BY: &str = "(SELECT p.collaboration_id FROM participants p JOIN memberships m \
     ON m.organisation_id = p.organisation_id WHERE m.user_id = ?)";

/// Everything about a person, for that person. What they wrote is limited
/// to collaborations they can still see.
fn person_parts() -> Vec<(&'static str, &'static str, String)> {
    let mut parts: Vec<(&'static str, &'static str, String)> = vec![
        (
            "account",
            "id, name, email, is_operator, created_at",
            "FROM users WHERE id = ?".into(),
        ),
        (
            "memberships",
            "m.organisation_id, o.name AS organisation_name, m.role, m.joined_at",
            "FROM memberships m JOIN organisations o ON o.id = m.organisation_id \
             WHERE m.user_id = ? ORDER BY m.joined_at, m.organisation_id"
                .into(),
        ),
        (
            "sessions",
            "created_at, expires_at, last_seen_at, acting_organisation_id",
            "FROM sessions WHERE user_id = ? ORDER BY created_at".into(),
        ),
        (
            "api_tokens",
            "id, label, created_at, last_used_at, revoked_at",
            "FROM api_tokens WHERE user_id = ? ORDER BY id".into(),
        ),
        (
            "calendar_feeds",
            "id, collaboration_id, created_at",
            "FROM calendar_feeds WHERE user_id = ? ORDER BY id".into(),
        ),
        (
            "notifications",
            "id, kind, collaboration_id, sentence, link, created_at, read_at",
            "FROM notifications WHERE user_id = ? ORDER BY id".into(),
        ),
        (
            "notification_settings",
            "kind, delivery",
            "FROM notification_settings WHERE user_id = ? ORDER BY kind".into(),
        ),
        (
            "health_checks_answered",
            "r.round_id, h.collaboration_id, r.answered_at",
            "FROM health_responses r JOIN health_rounds h ON h.id = r.round_id \
             WHERE r.user_id = ? ORDER BY r.round_id"
                .into(),
        ),
        (
            "audit_events",
            "id, at, collaboration_id, organisation_id, action, summary",
            "FROM audit_events WHERE user_id = ? ORDER BY id".into(),
        ),
    ];
    let written: [(&'static str, &'static str, &'static str); 7] = [
        (
            "tasks_assigned",
            "id, collaboration_id, title, description, due_on, status",
            "FROM tasks WHERE assignee_id = ?",
        ),
        (
            "votes_cast",
            "v.id, p.collaboration_id, v.proposal_id, v.organisation_id, v.choice, v.reason, v.cast_at",
            "FROM proposal_votes v JOIN proposals p ON p.id = v.proposal_id WHERE v.voter_id = ?",
        ),
        (
            "agreement_comments",
            "c.id, a.collaboration_id, c.agreement_id, c.section_key, c.body, c.written_at",
            "FROM agreement_comments c JOIN agreements a ON a.id = c.agreement_id WHERE c.written_by = ?",
        ),
        (
            "problems_raised",
            "id, collaboration_id, description, severity, status, created_at",
            "FROM problems WHERE raised_by = ?",
        ),
        (
            "decisions_recorded",
            "id, collaboration_id, title, decided, decided_on, created_at",
            "FROM decisions WHERE recorded_by = ?",
        ),
        (
            "lessons_recorded",
            "id, collaboration_id, stage, kind, text, recorded_at",
            "FROM lessons WHERE recorded_by = ?",
        ),
        (
            "comms_logged",
            "id, collaboration_id, sent_on, what, channel, notes, recorded_at",
            "FROM comms_log WHERE recorded_by = ?",
        ),
    ];
    for (name, select, from) in written {
        // The collaboration column is the first qualified or bare
        // `collaboration_id` of the select list.
        let collab = select
            .split(',')
            .map(str::trim)
            .find(|c| c.ends_with("collaboration_id"))
            .unwrap_or("collaboration_id");
        let first = select.split(',').next().unwrap_or("id").trim();
        parts.push((
            name,
            select,
            format!("{from} AND {collab} IN {SEEN_BY} ORDER BY {first}"),
        ));
    }
    parts
}

impl Tx {
    async fn part(
        &mut self,
        name: &str,
        select: &str,
        from: &str,
        id: i64,
    ) -> Result<Table, StoreError> {
        let sql = format!("SELECT {select} {from}");
        let binds = from.matches('?').count();
        let grid = self
            .cells(q(sql).bind_all(std::iter::repeat_n(id, binds)))
            .await?;
        Ok(Table {
            name: name.to_string(),
            columns: column_names(select),
            rows: grid.rows,
        })
    }

    /// Every table of the collaboration, as its participants may read it.
    pub async fn collaboration_export(
        &mut self,
        scope: &CollabScope,
    ) -> Result<Vec<Table>, StoreError> {
        let mut out = Vec::with_capacity(COLLABORATION.len());
        for p in COLLABORATION {
            out.push(
                self.part(p.name, p.select, p.from, scope.collaboration_id())
                    .await?,
            );
        }
        Ok(out)
    }

    /// Everything the organisation holds, for its admins (the caller checks
    /// the role).
    pub async fn organisation_export(
        &mut self,
        scope: &OrgScope,
    ) -> Result<Vec<Table>, StoreError> {
        let mut out = Vec::with_capacity(ORGANISATION.len());
        for p in ORGANISATION {
            out.push(
                self.part(p.name, p.select, p.from, scope.organisation_id())
                    .await?,
            );
        }
        Ok(out)
    }

    /// Everything about a person, without any secret.
    pub async fn person_export(&mut self, user_id: i64) -> Result<Vec<Table>, StoreError> {
        let mut out = Vec::new();
        for (name, select, from) in person_parts() {
            out.push(self.part(name, select, &from, user_id).await?);
        }
        Ok(out)
    }

    /// Every column of every table of the schema, read from the database
    /// itself: (table, column, holds text). For tests that check the
    /// exports and deletion against whatever the schema is now.
    pub async fn schema_columns(&mut self) -> Result<Vec<(String, String, bool)>, StoreError> {
        let rows: Vec<(String, String, String)> = match self.backend() {
            crate::Backend::Sqlite => {
                self.all(q(
                    "SELECT m.name, c.name, UPPER(c.type) FROM sqlite_master m \
                     JOIN pragma_table_info(m.name) c WHERE m.type = 'table' \
                     AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '\\_sqlx%' ESCAPE '\\' \
                     ORDER BY m.name, c.cid",
                ))
                .await?
            }
            crate::Backend::Postgres => {
                self.all(q(
                    "SELECT c.table_name::text, c.column_name::text, UPPER(c.data_type::text) \
                     FROM information_schema.columns c JOIN information_schema.tables t \
                     ON t.table_schema = c.table_schema AND t.table_name = c.table_name \
                     WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' \
                     AND c.table_name NOT LIKE '\\_sqlx%' \
                     ORDER BY c.table_name, c.ordinal_position",
                ))
                .await?
            }
        };
        Ok(rows
            .into_iter()
            .map(|(t, c, ty)| {
                let text = ty.contains("TEXT") || ty.contains("CHAR");
                (t, c, text)
            })
            .collect())
    }

    /// The rows of `table` whose `column` contains `needle`, for tests
    /// that look for personal data anywhere. The names come from
    /// [`Tx::schema_columns`], never from a request.
    pub async fn count_containing(
        &mut self,
        table: &str,
        column: &str,
        needle: &str,
    ) -> Result<i64, StoreError> {
        let sql = format!(
            "SELECT COUNT(*) FROM \"{}\" WHERE LOWER(\"{}\") LIKE ?",
            table.replace('"', ""),
            column.replace('"', "")
        );
        self.int(q(sql).bind(format!("%{}%", needle.to_lowercase())))
            .await
    }
}

/// The names of the parts of each export, for the schema test.
pub fn collaboration_parts() -> Vec<&'static str> {
    COLLABORATION.iter().map(|p| p.name).collect()
}

/// The tables each collaboration part reads (its first `FROM`).
pub fn exported_tables() -> Vec<&'static str> {
    COLLABORATION
        .iter()
        .chain(ORGANISATION.iter())
        .map(|p| p.from)
        .chain(["FROM users", "FROM sessions"])
        .filter_map(|from| {
            from.strip_prefix("FROM ")
                .and_then(|rest| rest.split_whitespace().next())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_names_follow_aliases() {
        assert_eq!(
            column_names("t.id, u.name AS assignee_name, status"),
            ["id", "assignee_name", "status"]
        );
    }
}
