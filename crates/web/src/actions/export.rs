//! Data exports: a collaboration for its participants, an organisation for
//! its admins, a person for themselves. One JSON document, or a zip of CSV
//! files (one per table) with a README.
//!
//! Health check answers leave only as the results a page would show: each
//! round goes through `commonground_domain::health_checks::results`, so a
//! round still open, or with too few respondents, exports no figures.

use super::collaborations::collab_for;
use super::health_checks::state_of;
use super::organisations::org_scope_for;
use crate::AppState;
use crate::auth::Actor;
use crate::error::AppError;
use commonground_domain::health_checks::Results;
use commonground_domain::policy::{CollabAction, OrgAction};
use commonground_store::Tx;
use commonground_store::collaborations::CollabScope;
use commonground_store::export::{Cell, Table};
use std::collections::BTreeMap;
use std::io::Write;

/// What an export holds: the tables, what it is about and what to call
/// its files.
#[derive(Debug, Clone)]
pub struct Export {
    /// `collaboration`, `organisation` or `person`.
    pub kind: &'static str,
    /// The file name without its ending, such as `collaboration-12`.
    pub stem: String,
    pub exported_at: i64,
    pub tables: Vec<Table>,
}

/// Everything a collaboration holds, for anyone who can see it.
pub async fn collaboration(state: &AppState, actor: &Actor, id: i64) -> Result<Export, AppError> {
    let mut tx = state.store.read().await?;
    let (scope, _, _, _) = collab_for(&mut tx, actor, id, CollabAction::View).await?;
    let mut tables = tx.collaboration_export(&scope).await?;
    tables.extend(health_results(state, &mut tx, &scope).await?);
    Ok(Export {
        kind: "collaboration",
        stem: format!("collaboration-{id}"),
        exported_at: state.clock.now(),
        tables,
    })
}

/// Everything an organisation holds, for its admins. Members who are not
/// admins are told why not; others are told there is nothing here.
pub async fn organisation(state: &AppState, actor: &Actor, id: i64) -> Result<Export, AppError> {
    let mut tx = state.store.read().await?;
    let scope = org_scope_for(&mut tx, actor, id, OrgAction::ExportData).await?;
    Ok(Export {
        kind: "organisation",
        stem: format!("organisation-{id}"),
        exported_at: state.clock.now(),
        tables: tx.organisation_export(&scope).await?,
    })
}

/// Everything about the person asking, without any secret.
pub async fn person(state: &AppState, actor: &Actor) -> Result<Export, AppError> {
    let mut tx = state.store.read().await?;
    Ok(Export {
        kind: "person",
        stem: "my-account".to_string(),
        exported_at: state.clock.now(),
        tables: tx.person_export(actor.user.id).await?,
    })
}

/// Each health check round, and what may be shown of its results: one
/// statement for the rounds, then one per round for its responses (rounds
/// are a handful a year).
async fn health_results(
    state: &AppState,
    tx: &mut Tx,
    scope: &CollabScope,
) -> Result<Vec<Table>, AppError> {
    let today = super::tasks::today(state);
    let names: BTreeMap<i64, String> = tx
        .participants(scope)
        .await?
        .into_iter()
        .map(|p| (p.organisation_id, p.name))
        .collect();
    let mut rounds = tx.health_rounds(scope, 0).await?;
    rounds.reverse();
    let mut round_rows = Vec::new();
    let mut figures = Vec::new();
    let mut gaps = Vec::new();
    let mut comments = Vec::new();
    let mut questionnaires = BTreeMap::new();
    for r in &rounds {
        let q = match questionnaires.entry(r.questionnaire_id) {
            std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::btree_map::Entry::Vacant(e) => {
                e.insert(tx.health_questionnaire(r.questionnaire_id).await?)
            }
        };
        let q = &*q;
        // Nothing of the answers is read unless the results may be shown.
        let shown: Result<Results, _> = match super::health_checks::availability(state, r, &today) {
            Ok(()) => {
                let responses = tx.health_responses(r.id).await?;
                commonground_domain::health_checks::results(
                    q,
                    &state_of(r, &today),
                    &responses,
                    state.config.health_threshold,
                )
            }
            Err(why) => Err(why),
        };
        let (respondents, reason) = match &shown {
            Ok(res) => (Cell::Int(res.respondents as i64), Cell::Null),
            Err(why) => (Cell::Null, Cell::Text(why.sentence())),
        };
        round_rows.push(vec![
            Cell::Int(r.id),
            Cell::Int(r.number),
            Cell::Text(r.kind.code().to_string()),
            Cell::Text(r.closes_on.clone()),
            Cell::Int(r.opened_at),
            r.closed_at.map(Cell::Int).unwrap_or(Cell::Null),
            Cell::Int(i64::from(shown.is_ok())),
            respondents,
            reason,
        ]);
        let Ok(res) = shown else { continue };
        let name = |o: i64| {
            names
                .get(&o)
                .cloned()
                .unwrap_or_else(|| "An organisation".to_string())
        };
        let mut push =
            |org: Option<i64>,
             item: &str,
             code: &str,
             label: &str,
             stats: &Option<commonground_domain::health_checks::Stats>| {
                let Some(s) = stats else { return };
                let light = |f: fn(&commonground_domain::health_checks::Lights) -> usize| {
                    s.lights
                        .as_ref()
                        .map(|l| Cell::Int(f(l) as i64))
                        .unwrap_or(Cell::Null)
                };
                figures.push(vec![
                    Cell::Int(r.id),
                    org.map(Cell::Int).unwrap_or(Cell::Null),
                    Cell::Text(org.map(name).unwrap_or_else(|| "Everyone".to_string())),
                    Cell::Text(item.to_string()),
                    Cell::Text(code.to_string()),
                    Cell::Text(label.to_string()),
                    Cell::Int(s.answering as i64),
                    Cell::Real(s.mean),
                    Cell::Real(s.spread),
                    light(|l| l.green),
                    light(|l| l.amber),
                    light(|l| l.red),
                ]);
            };
        for g in &res.groups {
            push(None, "group", &g.code, &g.label, &g.stats);
        }
        for x in &res.questions {
            push(None, "question", &x.id.to_string(), &x.label, &x.stats);
        }
        for o in &res.organisations {
            for g in &o.groups {
                push(
                    Some(o.organisation_id),
                    "group",
                    &g.code,
                    &g.label,
                    &g.stats,
                );
            }
            for x in &o.questions {
                push(
                    Some(o.organisation_id),
                    "question",
                    &x.id.to_string(),
                    &x.label,
                    &x.stats,
                );
            }
        }
        for g in &res.gaps {
            gaps.push(vec![
                Cell::Int(r.id),
                Cell::Int(g.organisation_id),
                Cell::Text(name(g.organisation_id)),
                Cell::Int(g.question_id),
                Cell::Text(g.label.clone()),
                Cell::Real(g.organisation_mean),
                Cell::Real(g.others_mean),
                Cell::Text(g.sentence(&name(g.organisation_id), r.kind)),
            ]);
        }
        for c in &res.comments {
            comments.push(vec![Cell::Int(r.id), Cell::Text(c.clone())]);
        }
    }
    Ok(vec![
        Table::new(
            "health_check_rounds",
            &[
                "id",
                "number",
                "kind",
                "closes_on",
                "opened_at",
                "closed_at",
                "results_shown",
                "respondents",
                "why_no_results",
            ],
            round_rows,
        ),
        Table::new(
            "health_check_results",
            &[
                "round_id",
                "organisation_id",
                "organisation_name",
                "item",
                "code",
                "label",
                "answering",
                "mean",
                "spread",
                "green",
                "amber",
                "red",
            ],
            figures,
        ),
        Table::new(
            "health_check_gaps",
            &[
                "round_id",
                "organisation_id",
                "organisation_name",
                "question_id",
                "label",
                "organisation_mean",
                "others_mean",
                "sentence",
            ],
            gaps,
        ),
        Table::new("health_check_comments", &["round_id", "comment"], comments),
    ])
}

// --- formats -----------------------------------------------------------

fn cell_json(c: &Cell) -> serde_json::Value {
    match c {
        Cell::Null => serde_json::Value::Null,
        Cell::Int(v) => (*v).into(),
        Cell::Real(v) => (*v).into(),
        Cell::Text(v) => v.clone().into(),
    }
}

/// One JSON document: what it is, when it was made, and one array of
/// objects per table. A table of one row that names the whole export
/// (`collaboration`, `organisation`, `account`) is an object instead.
pub fn to_json(e: &Export) -> Vec<u8> {
    let mut doc = serde_json::Map::new();
    doc.insert("export".into(), e.kind.into());
    doc.insert("exported_at".into(), e.exported_at.into());
    for t in &e.tables {
        let rows: Vec<serde_json::Value> = t
            .rows
            .iter()
            .map(|row| {
                serde_json::Value::Object(
                    t.columns
                        .iter()
                        .zip(row)
                        .map(|(c, v)| (c.clone(), cell_json(v)))
                        .collect(),
                )
            })
            .collect();
        let single = matches!(
            t.name.as_str(),
            "collaboration" | "organisation" | "account"
        );
        let value = if single {
            rows.into_iter().next().unwrap_or(serde_json::Value::Null)
        } else {
            serde_json::Value::Array(rows)
        };
        doc.insert(t.name.clone(), value);
    }
    serde_json::to_vec_pretty(&serde_json::Value::Object(doc)).unwrap_or_default()
}

/// A cell as CSV: text that a spreadsheet would run as a formula (it
/// starts with `=`, `+`, `-`, `@`, a tab or a carriage return) gets an
/// apostrophe in front; a cell with a comma, quote or line break is quoted,
/// with quotes doubled.
pub fn csv_cell(c: &Cell) -> String {
    let text = match c {
        Cell::Null => return String::new(),
        Cell::Int(v) => return v.to_string(),
        Cell::Real(v) => return v.to_string(),
        Cell::Text(t) => t,
    };
    let guarded = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.clone()
    };
    if guarded.contains([',', '"', '\n', '\r'])
        || guarded.starts_with(' ')
        || guarded.ends_with(' ')
    {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

/// A table as CSV (RFC 4180: lines end with CR LF, a header line first).
pub fn to_csv(t: &Table) -> String {
    let mut out = String::new();
    let line = |cells: Vec<String>, out: &mut String| {
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    };
    line(
        t.columns
            .iter()
            .map(|c| csv_cell(&Cell::Text(c.clone())))
            .collect(),
        &mut out,
    );
    for row in &t.rows {
        line(row.iter().map(csv_cell).collect(), &mut out);
    }
    out
}

fn readme(e: &Export) -> String {
    let about = match e.kind {
        "collaboration" => "everything this collaboration holds, as its participants can see it",
        "organisation" => "everything this organisation holds, for its admins",
        _ => "everything Common Ground holds about you",
    };
    let mut out = format!(
        "Common Ground data export\r\n\r\nThis file lists {about}. There is one CSV file for each table. \
         The first line of each file names its columns.\r\n\r\n\
         How to read the files:\r\n\
         - Times ending in _at are seconds since 1 January 1970 (UTC). Dates are YYYY-MM-DD.\r\n\
         - Yes or no values are 1 (yes) and 0 (no). An empty cell means no value.\r\n\
         - Text that a spreadsheet would treat as a formula (text starting with =, +, - or @) \
         starts with an apostrophe ('), so opening a file never runs anything. Remove the \
         apostrophe if you need the text exactly.\r\n\
         - Health check answers are never exported one by one. health_check_results.csv has \
         only the figures the results page shows, for rounds whose results can be shown.\r\n\
         - No passwords, session keys, access token keys, calendar feed addresses or \
         invitation links are exported.\r\n\r\nThe files:\r\n"
    );
    for t in &e.tables {
        out.push_str(&format!(
            "- {}.csv: {} ({} rows)\r\n",
            t.name,
            describe(&t.name),
            t.rows.len()
        ));
    }
    out
}

/// What each file is, in plain words.
fn describe(table: &str) -> String {
    let known = match table {
        "collaboration" => "the collaboration's title, purpose and stage",
        "participants" => "the organisations taking part and their roles",
        "collaboration_invitations" => "invitations to organisations to take part",
        "goals" => "goals for collaborating",
        "readiness_rounds" => "rounds of the readiness check (answers are not exported)",
        "environment_items" => "the strategic environment",
        "benefits_risks" => "benefits and risks found in Identify",
        "shortlist_entries" | "shortlist_notes" => "the shortlist of possible partners",
        "collaboration_models" => "the chosen collaboration model",
        "due_diligence_items" => "due diligence",
        "governance_bodies" | "governance_members" => "governance bodies and their members",
        "responsibility_functions" | "responsibility_cells" | "responsibility_matrices" => {
            "the responsibilities matrix"
        }
        "aims" | "aim_sets" | "aim_approvals" => "shared aims and their approvals",
        "agreements"
        | "agreement_sections"
        | "agreement_versions"
        | "agreement_revisions"
        | "agreement_comments"
        | "agreement_approvals" => "the agreement, its versions and approvals",
        "workstreams" => "workstreams",
        "tasks" | "task_dependencies" => "tasks and what they wait for",
        "recurring_tasks" => "tasks that repeat",
        "partner_contacts" => "who is who at each partner",
        "meetings" | "meeting_items" | "meeting_actions" | "meeting_attendance" => {
            "meetings, their agenda, actions and who came"
        }
        "comms_items" | "comms_log" => "the communications plan and what went out",
        "proposals" | "proposal_votes" => "proposals and each organisation's vote",
        "decisions" | "decision_links" => "the decisions log",
        "problems" | "problem_escalations" => "the problem log and its escalations",
        "risks" | "risk_score_changes" => "the risk register",
        "aim_reviews" => "how each shared aim went",
        "lessons" => "lessons learned",
        "forward_positions" => "each partner's position on the way forward",
        "forward_ways" => "ways forward put to the partners, and the proposal deciding each",
        "audit_events" => "the audit trail: who did what, and when",
        "health_check_rounds" => "health check rounds, and why a round shows no results",
        "health_check_results" => "health check figures that may be shown",
        "health_check_gaps" => "gaps in how partners see the partnership",
        "health_check_comments" => "health check comments, without names",
        "organisation" => "the organisation's profile",
        "members" => "members and their roles",
        "member_invitations" => "invitations to join (the links are not exported)",
        "participations" => "collaborations the organisation takes part in",
        "account" => "your name and email address",
        "memberships" => "your organisations",
        "sessions" => "where you are signed in (without the keys)",
        "api_tokens" => "your access tokens (without the keys)",
        "calendar_feeds" => "your calendar feeds (without their addresses)",
        "notifications" | "notification_settings" => "your notifications and how they reach you",
        "health_checks_answered" => "health check rounds you answered (not your answers)",
        _ => "",
    };
    if known.is_empty() {
        table.replace('_', " ")
    } else {
        known.to_string()
    }
}

/// The zip: README.txt and one CSV file per table, compressed.
pub fn to_zip(e: &Export) -> Result<Vec<u8>, AppError> {
    let fail = |err: &dyn std::fmt::Display| AppError::Internal(format!("zip: {err}"));
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .unix_permissions(0o644);
    let folder = format!("{}-export", e.stem);
    let mut add = |name: &str, body: &[u8]| -> Result<(), AppError> {
        zip.start_file(format!("{folder}/{name}"), options)
            .map_err(|x| fail(&x))?;
        zip.write_all(body).map_err(|x| fail(&x))
    };
    add("README.txt", readme(e).as_bytes())?;
    for t in &e.tables {
        add(&format!("{}.csv", t.name), to_csv(t).as_bytes())?;
    }
    Ok(zip.finish().map_err(|x| fail(&x))?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_are_quoted_and_guarded() {
        let t = |s: &str| csv_cell(&Cell::Text(s.to_string()));
        assert_eq!(t("plain"), "plain");
        assert_eq!(t("a,b"), "\"a,b\"");
        assert_eq!(t("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(t("two\nlines"), "\"two\nlines\"");
        assert_eq!(t("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(t("+1"), "'+1");
        assert_eq!(t("-2"), "'-2");
        assert_eq!(t("@x"), "'@x");
        assert_eq!(t("=A1,\"x\""), "\"'=A1,\"\"x\"\"\"");
        assert_eq!(csv_cell(&Cell::Int(-3)), "-3");
        assert_eq!(csv_cell(&Cell::Null), "");
    }
}
