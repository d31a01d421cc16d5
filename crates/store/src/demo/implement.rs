//! The demo's Implement stage: action plans (one of 500 tasks) and risk
//! registers.

use super::*;

const WORKSTREAMS: &[(&str, &str)] = &[
    (
        "Outreach",
        "Reaching the families and groups the work is for.",
    ),
    ("Premises", "Rooms, kitchens and storage."),
    (
        "Volunteers",
        "Recruiting, training and thanking volunteers.",
    ),
    ("Funding", "Bids, reports to funders and the shared budget."),
    ("Delivery", "Running the sessions themselves."),
];

const TASKS: &[&str] = &[
    "Agree the referral route with the schools",
    "Book the hall for the summer",
    "Print leaflets in three languages",
    "Recruit session volunteers",
    "Run the volunteer induction",
    "Order food for the first month",
    "Write the safeguarding procedure",
    "Send the funder's quarterly report",
    "Set up the shared sign-up sheet",
    "Hold the partners' review meeting",
    "Check the kitchen hygiene rating",
    "Draft the joint press release",
    "Collect feedback from families",
    "Update the shared budget",
];

/// Days since 1970-01-01 as `YYYY-MM-DD`.
pub(super) fn iso_day(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// An action plan for every collaboration in Implement or later: two or
/// three workstreams and 10 to 40 tasks with dependencies, some done, some
/// overdue. The demo person's first collaboration gets 500 tasks in five
/// workstreams, to see the lists at scale (and for the benchmark).
pub(super) async fn fill_tasks(store: &Store, now: i64) -> Result<(), StoreError> {
    let mut tx = store.read().await?;
    let rows: Vec<(i64, i64)> = tx
        .all(q("SELECT c.id, p.organisation_id FROM collaborations c \
             JOIN participants p ON p.collaboration_id = c.id \
             WHERE c.stage IN ('implement', 'review') ORDER BY c.id, p.organisation_id"))
        .await?;
    drop(tx);
    let mut plans: Vec<(i64, Vec<i64>)> = Vec::new();
    for (c, org) in rows {
        match plans.last_mut() {
            Some((last, orgs)) if *last == c => orgs.push(org),
            _ => plans.push((c, vec![org])),
        }
    }
    let today = now.div_euclid(86_400);
    let (mut ws_id, mut task_id) = (0i64, 0i64);
    for chunk in plans.chunks(200) {
        let (mut ws_rows, mut task_rows, mut dep_rows) = (Vec::new(), Vec::new(), Vec::new());
        for (c, orgs) in chunk {
            let (streams, n) = if *c == 1 {
                (5, 500)
            } else {
                (2 + (*c as usize % 2), 10 + (*c * 7) % 31)
            };
            let first_ws = ws_id + 1;
            for (name, description) in WORKSTREAMS.iter().take(streams) {
                ws_id += 1;
                ws_rows.push(vec![
                    Val::I64(ws_id),
                    Val::I64(*c),
                    Val::Text((*name).into()),
                    Val::Text((*description).into()),
                    Val::I64(now),
                ]);
            }
            let first_task = task_id + 1;
            // Whether each task is still open, to keep "done" honest.
            let mut open: Vec<bool> = Vec::new();
            for k in 0..n {
                task_id += 1;
                let stream = k % streams as i64;
                let start = today - 90 + k * 400 / n + (*c % 7);
                let milestone = k % 10 == 9;
                let due = if milestone {
                    start
                } else {
                    start + 3 + (k * 5 + *c) % 28
                };
                let status = if due < today {
                    match k % 6 {
                        0 => "in_progress",
                        5 => "cancelled",
                        _ => "done",
                    }
                } else if start <= today {
                    if k % 5 == 0 { "blocked" } else { "in_progress" }
                } else {
                    "not_started"
                };
                // Each task after the first few in its workstream depends on
                // the one before it there; every other one also on the task
                // just before it overall. Always on earlier tasks: no loops.
                let mut deps = Vec::new();
                if k >= streams as i64 {
                    deps.push(k - streams as i64);
                }
                if k % 2 == 1 && k >= 1 && !deps.contains(&(k - 1)) {
                    deps.push(k - 1);
                }
                let waits = deps.iter().any(|d| open[*d as usize]);
                let reason = if status == "done" && waits {
                    "Went ahead while the earlier task was being finished."
                } else {
                    ""
                };
                open.push(!matches!(status, "done" | "cancelled"));
                let owner = orgs[(k as usize) % orgs.len()];
                let title = format!(
                    "{} ({})",
                    TASKS[(k as usize + *c as usize) % TASKS.len()],
                    k + 1
                );
                task_rows.push(vec![
                    Val::I64(task_id),
                    Val::I64(*c),
                    Val::OptI64(Some(first_ws + stream)),
                    Val::Text(title),
                    Val::Text(String::new()),
                    Val::I64(owner),
                    // The owner organisation's admin (same id in the demo),
                    // for two tasks in three.
                    Val::OptI64((k % 3 != 0).then_some(owner)),
                    Val::OptText(Some(iso_day(start))),
                    Val::OptText(Some(iso_day(due))),
                    Val::Text(status.into()),
                    Val::Bool(milestone),
                    Val::Text(reason.into()),
                    Val::I64(1),
                    Val::Text("Demo person".into()),
                    Val::I64(now),
                    Val::I64(now),
                ]);
                for d in deps {
                    dep_rows.push(vec![
                        Val::I64(task_id),
                        Val::I64(first_task + d),
                        Val::I64(*c),
                    ]);
                }
            }
        }
        let mut tx = store.write().await?;
        insert_rows(
            &mut tx,
            "INSERT INTO workstreams (id, collaboration_id, name, description, created_at)",
            5,
            ws_rows,
        )
        .await?;
        insert_rows(
            &mut tx,
            "INSERT INTO tasks (id, collaboration_id, workstream_id, title, description, owner_organisation_id, \
             assignee_id, start_on, due_on, status, milestone, done_reason, version, updated_by_name, \
             created_at, updated_at)",
            16,
            task_rows,
        )
        .await?;
        insert_rows(
            &mut tx,
            "INSERT INTO task_dependencies (task_id, depends_on_id, collaboration_id)",
            3,
            dep_rows,
        )
        .await?;
        tx.commit().await?;
    }
    Ok(())
}

/// Risks of the demo's own, beyond the common challenges: (title,
/// category, likelihood, impact, mitigation).
pub(super) const DEMO_RISKS: &[(&str, &str, u8, u8, &str)] = &[
    (
        "The venue lease is not renewed",
        "delivery",
        2,
        4,
        "Ask the landlord about renewal six months early. Keep a list of other halls.",
    ),
    (
        "Volunteers drop away over the summer",
        "people",
        4,
        2,
        "Plan a lighter summer rota. Thank volunteers in person each month.",
    ),
    (
        "Referral partners send more families than we can help",
        "delivery",
        3,
        3,
        "Agree a weekly limit with referrers. Keep a waiting list with dates.",
    ),
    (
        "Local press reports a complaint unfairly",
        "reputation",
        2,
        3,
        "Name one spokesperson. Agree a short statement the partners can all use.",
    ),
    (
        "Shared spreadsheet holds more personal data than needed",
        "legal",
        3,
        4,
        "",
    ),
    (
        "Match funding is not confirmed in time",
        "money",
        3,
        4,
        "Apply to two funders. Tell the main funder early if it is late.",
    ),
];

/// A risk register for every collaboration in Implement or later: the six
/// common challenges (with their source, so "Add suggested risks" does
/// not offer them again) and two to six risks of its own, 8 to 12 in all.
/// Some reviews are overdue, one risk is closed, one has no mitigation yet.
pub(super) async fn fill_risks(store: &Store, now: i64) -> Result<(), StoreError> {
    use commonground_domain::risks::{CHALLENGES, score};
    let mut tx = store.read().await?;
    let rows: Vec<(i64, i64)> = tx
        .all(q("SELECT c.id, p.organisation_id FROM collaborations c \
             JOIN participants p ON p.collaboration_id = c.id \
             WHERE c.stage IN ('implement', 'review') AND p.role IN ('lead', 'partner') \
             ORDER BY c.id, p.organisation_id"))
        .await?;
    drop(tx);
    let mut registers: Vec<(i64, Vec<i64>)> = Vec::new();
    for (c, org) in rows {
        match registers.last_mut() {
            Some((last, orgs)) if *last == c => orgs.push(org),
            _ => registers.push((c, vec![org])),
        }
    }
    let today = now.div_euclid(86_400);
    for chunk in registers.chunks(200) {
        let mut risk_rows = Vec::new();
        for (c, orgs) in chunk {
            let own = 2 + (*c as usize % 5);
            let mut k = 0usize;
            let mut push = |title: &str,
                            description: &str,
                            category: &str,
                            likelihood: u8,
                            impact: u8,
                            mitigation: &str,
                            source: Option<String>| {
                // Reviews every few weeks; the second and fifth are late.
                let review = if k == 1 || k == 4 {
                    today - 10 - (*c % 20)
                } else {
                    today + 14 + (k as i64 * 9)
                };
                let status = match k {
                    0 | 2 => "being_managed",
                    7 => "closed",
                    _ => "open",
                };
                let owner = orgs[k % orgs.len()];
                risk_rows.push(vec![
                    Val::I64(*c),
                    Val::Text(title.into()),
                    Val::Text(description.into()),
                    Val::Text(category.into()),
                    Val::I64(i64::from(likelihood)),
                    Val::I64(i64::from(impact)),
                    Val::I64(i64::from(score(likelihood, impact))),
                    Val::OptI64(Some(owner)),
                    // The owner organisation's admin (same id in the demo),
                    // for risks with an even number.
                    Val::OptI64(k.is_multiple_of(2).then_some(owner)),
                    Val::Text(mitigation.into()),
                    Val::OptText(Some(iso_day(review))),
                    Val::Text(status.into()),
                    Val::OptText(source),
                    Val::I64(1),
                    Val::Text("Demo person".into()),
                    Val::I64(now),
                    Val::I64(now),
                ]);
                k += 1;
            };
            for ch in CHALLENGES {
                push(
                    ch.title,
                    ch.description,
                    ch.category,
                    ch.likelihood,
                    ch.impact,
                    ch.mitigation,
                    Some(format!("common:{}", ch.code)),
                );
            }
            for (title, category, likelihood, impact, mitigation) in DEMO_RISKS.iter().take(own) {
                push(title, "", category, *likelihood, *impact, mitigation, None);
            }
        }
        let mut tx = store.write().await?;
        insert_rows(
            &mut tx,
            "INSERT INTO risks (collaboration_id, title, description, category, likelihood, impact, score, \
             owner_organisation_id, owner_person_id, mitigation, review_on, status, source, version, \
             updated_by_name, created_at, updated_at)",
            17,
            risk_rows,
        )
        .await?;
        tx.commit().await?;
    }
    Ok(())
}

/// Problems of the demo's own: (description, severity, status, resolution,
/// rungs climbed, days since raised, owner person named).
const DEMO_PROBLEMS: &[(&str, &str, &str, &str, usize, i64, bool)] = &[
    (
        "Referrals from the council reach us a week late, so families wait for their first food parcel.",
        "high",
        "being_worked_on",
        "",
        1,
        9,
        true,
    ),
    (
        "The shared volunteer rota sheet was overwritten and two Saturday shifts had nobody.",
        "medium",
        "resolved",
        "The rota moved to one shared calendar that only the coordinators can change.",
        0,
        30,
        true,
    ),
    (
        "The partners disagree about how the grant is split between delivery and coordination.",
        "critical",
        "open",
        "",
        2,
        20,
        false,
    ),
];

/// Decisions of the demo's own: (title, what was decided, how it was
/// taken, days ago, what it is linked to: a task or a problem (by its
/// place in DEMO_PROBLEMS)).
const DEMO_DECISIONS: &[(&str, &str, &str, i64, DemoLink)] = &[
    (
        "Deliveries move to Thursdays",
        "From next month the weekly delivery runs on Thursdays, when the hall is free all day.",
        "meeting",
        12,
        DemoLink::FirstTask,
    ),
    (
        "Ask the council for a named referral contact",
        "The lead writes to the council asking for one person to send referrals the day they are made.",
        "lead",
        5,
        DemoLink::Problem(0),
    ),
];

#[derive(Clone, Copy)]
enum DemoLink {
    FirstTask,
    Problem(usize),
}

/// The problem and decisions logs of every collaboration in Implement or
/// later: a problem being worked on one rung up the ladder, a resolved one,
/// and an unowned one two rungs up that has waited long enough to show on
/// the checklist; two decisions, one about a task and one about a problem.
pub(super) async fn fill_problems_decisions(store: &Store, now: i64) -> Result<(), StoreError> {
    use commonground_domain::problems::DEFAULT_LADDER;
    let mut tx = store.read().await?;
    // Each collaboration's lead or first partner, with its first admin.
    let owners: Vec<(i64, i64, i64, String)> = tx
        .all(q(
            "SELECT c.id, p.organisation_id, u.id, u.name FROM collaborations c \
             JOIN participants p ON p.collaboration_id = c.id AND p.role = 'lead' \
             JOIN users u ON u.id = (SELECT MIN(m.user_id) FROM memberships m \
               WHERE m.organisation_id = p.organisation_id AND m.role = 'admin') \
             WHERE c.stage IN ('implement', 'review') ORDER BY c.id",
        ))
        .await?;
    let first_tasks: Vec<(i64, i64)> = tx
        .all(q(
            "SELECT collaboration_id, MIN(id) FROM tasks GROUP BY collaboration_id ORDER BY collaboration_id",
        ))
        .await?;
    drop(tx);
    let ladder = crate::join_list(&DEFAULT_LADDER.map(String::from));
    let day = 86_400;
    for chunk in owners.chunks(200) {
        let mut problems = Vec::new();
        for (c, org, user, name) in chunk {
            for (description, severity, status, resolution, climbed, days, named) in DEMO_PROBLEMS {
                let at = now - days * day;
                problems.push(vec![
                    Val::I64(*c),
                    Val::Text((*description).into()),
                    Val::Text((*severity).into()),
                    Val::OptI64(Some(*user)),
                    Val::Text(name.clone()),
                    Val::I64(*org),
                    Val::OptI64(named.then_some(*user)),
                    Val::Text((*status).into()),
                    Val::Text((*resolution).into()),
                    Val::Text(ladder.clone()),
                    Val::I64(*climbed as i64),
                    Val::I64(1),
                    Val::Text(name.clone()),
                    Val::I64(at),
                    Val::I64(at),
                ]);
            }
        }
        let mut tx = store.write().await?;
        insert_rows(
            &mut tx,
            "INSERT INTO problems (collaboration_id, description, severity, raised_by, raised_by_name, \
             owner_organisation_id, owner_person_id, status, resolution, ladder, rung, version, \
             updated_by_name, created_at, updated_at)",
            15,
            problems,
        )
        .await?;
        tx.commit().await?;
    }
    // The problems' ids, in the order they were made within each
    // collaboration, for their escalations and the decisions' links.
    let mut tx = store.read().await?;
    let made: Vec<(i64, i64)> = tx
        .all(q(
            "SELECT collaboration_id, id FROM problems ORDER BY collaboration_id, id",
        ))
        .await?;
    drop(tx);
    let mut by_collab: std::collections::HashMap<i64, Vec<i64>> = std::collections::HashMap::new();
    for (c, id) in made {
        by_collab.entry(c).or_default().push(id);
    }
    let first_task: std::collections::HashMap<i64, i64> = first_tasks.into_iter().collect();
    for chunk in owners.chunks(200) {
        let (mut escalations, mut decisions) = (Vec::new(), Vec::new());
        for (c, _, user, name) in chunk {
            let ids = &by_collab[c];
            for (k, (_, _, _, _, climbed, days, _)) in DEMO_PROBLEMS.iter().enumerate() {
                for rung in 0..*climbed {
                    escalations.push(vec![
                        Val::I64(ids[k]),
                        Val::I64(*c),
                        Val::I64(rung as i64),
                        Val::I64(rung as i64 + 1),
                        Val::Text(DEFAULT_LADDER[rung].into()),
                        Val::Text(DEFAULT_LADDER[rung + 1].into()),
                        Val::Text("Not settled at this level within a week.".into()),
                        Val::OptI64(Some(*user)),
                        Val::Text(name.clone()),
                        Val::I64(now - (days - 1 - rung as i64) * day),
                        Val::OptI64(Some(now)),
                    ]);
                }
            }
            for (title, decided, how, days, _) in DEMO_DECISIONS {
                decisions.push(vec![
                    Val::I64(*c),
                    Val::Text((*title).into()),
                    Val::Text((*decided).into()),
                    Val::Text(iso_day(now.div_euclid(day) - days)),
                    Val::Text((*how).into()),
                    Val::OptI64(None),
                    Val::OptI64(Some(*user)),
                    Val::Text(name.clone()),
                    Val::I64(now - days * day),
                ]);
            }
        }
        let mut tx = store.write().await?;
        insert_rows(
            &mut tx,
            "INSERT INTO problem_escalations (problem_id, collaboration_id, from_rung, to_rung, from_name, \
             to_name, reason, escalated_by, escalated_by_name, escalated_at, notified_at)",
            11,
            escalations,
        )
        .await?;
        insert_rows(
            &mut tx,
            "INSERT INTO decisions (collaboration_id, title, decided, decided_on, how, governance_body_id, \
             recorded_by, recorded_by_name, created_at)",
            9,
            decisions,
        )
        .await?;
        tx.commit().await?;
    }
    let mut tx = store.read().await?;
    let recorded: Vec<(i64, i64)> = tx
        .all(q(
            "SELECT collaboration_id, id FROM decisions ORDER BY collaboration_id, id",
        ))
        .await?;
    drop(tx);
    let mut links = Vec::new();
    let mut seen: std::collections::HashMap<i64, usize> = std::collections::HashMap::new();
    for (c, id) in recorded {
        let k = seen.entry(c).or_default();
        let target = match DEMO_DECISIONS.get(*k).map(|d| d.4) {
            Some(DemoLink::FirstTask) => first_task.get(&c).map(|t| ("task", *t)),
            Some(DemoLink::Problem(p)) => by_collab.get(&c).map(|ids| ("problem", ids[p])),
            None => None,
        };
        *k += 1;
        if let Some((kind, target)) = target {
            links.push(vec![
                Val::I64(id),
                Val::I64(c),
                Val::Text(kind.into()),
                Val::I64(target),
            ]);
        }
    }
    for chunk in links.chunks(500) {
        let mut tx = store.write().await?;
        insert_rows(
            &mut tx,
            "INSERT INTO decision_links (decision_id, collaboration_id, target_kind, target_id)",
            4,
            chunk.to_vec(),
        )
        .await?;
        tx.commit().await?;
    }
    Ok(())
}
