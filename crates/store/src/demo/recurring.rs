//! The demo's recurring tasks, for every collaboration in Implement or
//! later: monthly figures for the steering group and a weekly check-in
//! call, both running, with the tasks they made so far (some done, one
//! overdue); and a weekly volunteer rota that has ended.

use super::*;
use commonground_domain::recurring::{Repeat, following, occurrence};
use implement::iso_day;

/// One demo series: title, description, rule, the first date in days from
/// today, which organisation taking part owns it (by position), the
/// statuses of the tasks it made so far (oldest first), and whether it has
/// ended.
struct DemoSeries {
    title: &'static str,
    description: &'static str,
    repeats: Repeat,
    first: i64,
    owner: usize,
    made: &'static [&'static str],
    ended: bool,
}

const DEMO_SERIES: [DemoSeries; 3] = [
    DemoSeries {
        title: "Send the monthly figures to the steering group",
        description: "People helped, volunteer hours and spending against the budget, by partner.",
        repeats: Repeat::Monthly,
        first: -50,
        owner: 0,
        made: &["done", "done", "not_started"],
        ended: false,
    },
    DemoSeries {
        title: "Partners' check-in call",
        description: "Half an hour: what went well, what is stuck, who needs help.",
        repeats: Repeat::Weekly,
        first: -9,
        owner: 1,
        made: &["done", "in_progress", "not_started"],
        ended: false,
    },
    DemoSeries {
        title: "Volunteer rota for the summer scheme",
        description: "",
        repeats: Repeat::Weekly,
        first: -40,
        owner: 0,
        made: &["done", "cancelled"],
        ended: true,
    },
];

pub(super) async fn fill_recurring(store: &Store, now: i64) -> Result<(), StoreError> {
    // The action plan's tasks went in with their ids given; on PostgreSQL
    // the tasks' id sequence must move past them before tasks are added
    // with ids from it.
    store.reset_sequences().await?;
    let mut tx = store.read().await?;
    let rows: Vec<(i64, i64)> = tx
        .all(q("SELECT c.id, p.organisation_id FROM collaborations c \
             JOIN participants p ON p.collaboration_id = c.id \
             WHERE c.stage IN ('implement', 'review') AND p.role IN ('lead', 'partner') \
             ORDER BY c.id, p.organisation_id"))
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
    // Each series' dates, as the app would work them out.
    let dates: Vec<(String, Vec<String>, Option<String>)> = DEMO_SERIES
        .iter()
        .map(|s| {
            let first = iso_day(today + s.first);
            let made: Vec<String> = (0..s.made.len() as i64)
                .filter_map(|k| occurrence(s.repeats, &first, k))
                .collect();
            let next = if s.ended {
                None
            } else {
                following(s.repeats, &first, None, made.last().map_or("", |d| d))
            };
            (first, made, next)
        })
        .collect();
    for chunk in plans.chunks(200) {
        let mut items = Vec::new();
        for (c, orgs) in chunk {
            for (s, (first, made, next)) in DEMO_SERIES.iter().zip(&dates) {
                let owner = orgs[s.owner % orgs.len()];
                items.push(vec![
                    Val::I64(*c),
                    Val::Text(s.title.into()),
                    Val::Text(s.description.into()),
                    Val::I64(owner),
                    // The owner organisation's admin (same id in the demo).
                    Val::OptI64(Some(owner)),
                    Val::Text(s.repeats.code().into()),
                    Val::Text(first.clone()),
                    Val::Text(made.last().cloned().unwrap_or_default()),
                    Val::OptText(next.clone()),
                    Val::OptI64(s.ended.then_some(now - 30 * 86_400)),
                    Val::Text(if s.ended { "Demo person" } else { "" }.into()),
                    Val::I64(if s.ended { 2 } else { 1 }),
                    Val::Text("Demo person".into()),
                    Val::I64(now),
                    Val::I64(now),
                ]);
            }
        }
        let mut tx = store.write().await?;
        insert_rows(
            &mut tx,
            "INSERT INTO task_series (collaboration_id, title, description, owner_organisation_id, \
             assignee_id, repeats, first_on, last_made_on, next_on, ended_at, ended_by_name, version, \
             updated_by_name, created_at, updated_at)",
            15,
            items,
        )
        .await?;
        tx.commit().await?;
    }
    // The tasks each series made, one statement per date for every
    // collaboration, oldest first; then each series notes its newest.
    let mut tx = store.write().await?;
    for (s, (_, made, _)) in DEMO_SERIES.iter().zip(&dates) {
        for (due, status) in made.iter().zip(s.made) {
            tx.exec(
                q("INSERT INTO tasks (collaboration_id, workstream_id, title, description, \
                   owner_organisation_id, assignee_id, start_on, due_on, status, milestone, aim_id, \
                   done_reason, version, updated_by_name, created_at, updated_at, series_id) \
                   SELECT s.collaboration_id, NULL, s.title, s.description, s.owner_organisation_id, \
                   s.assignee_id, NULL, ?, ?, FALSE, NULL, '', 1, 'Demo person', ?, ?, s.id \
                   FROM task_series s WHERE s.title = ? ORDER BY s.id")
                .bind(due.as_str())
                .bind(*status)
                .bind(now)
                .bind(now)
                .bind(s.title),
            )
            .await?;
        }
    }
    tx.exec(q("UPDATE task_series SET last_task_id = \
         (SELECT MAX(t.id) FROM tasks t WHERE t.series_id = task_series.id)"))
        .await?;
    tx.commit().await?;
    Ok(())
}
