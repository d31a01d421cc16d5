//! The demo's who-is-who (every collaboration in Plan or later) and
//! meetings (those in Implement or later).

use super::*;
use implement::iso_day;

const FINANCE_NAMES: [&str; 6] = [
    "Siân Ellis",
    "Tomasz Nowak",
    "Grace Okafor",
    "Rhodri Price",
    "Amina Yusuf",
    "Fiona MacLeod",
];

const AGENDA: [&str; 4] = [
    "Welcome and apologies",
    "Progress on the action plan",
    "Budget and spending so far",
    "Any other business",
];

/// Who is who for every collaboration in Plan or later: each partner's
/// admin as lead contact (a member, so linked) and a finance contact who
/// is not a member. Meetings for those in Implement or later: two past
/// meetings with minutes, decisions and who came (the latest with two
/// tasks of the action plan as its actions) and one upcoming.
pub(super) async fn fill_relationships(store: &Store, now: i64) -> Result<(), StoreError> {
    let mut tx = store.read().await?;
    let rows: Vec<(i64, String, i64)> = tx
        .all(q(
            "SELECT c.id, c.stage, p.organisation_id FROM collaborations c \
             JOIN participants p ON p.collaboration_id = c.id \
             WHERE c.stage IN ('plan', 'implement', 'review') ORDER BY c.id, p.organisation_id",
        ))
        .await?;
    let first_tasks: Vec<(i64, i64)> = tx
        .all(q(
            "SELECT collaboration_id, MIN(id) FROM tasks GROUP BY collaboration_id ORDER BY collaboration_id",
        ))
        .await?;
    drop(tx);
    let mut groups: Vec<(i64, bool, Vec<i64>)> = Vec::new();
    for (c, stage, org) in rows {
        match groups.last_mut() {
            Some((last, _, orgs)) if *last == c => orgs.push(org),
            _ => groups.push((c, stage != "plan", vec![org])),
        }
    }
    let today = now.div_euclid(86_400);
    let (mut contact_id, mut meeting_id) = (0i64, 0i64);
    for chunk in groups.chunks(200) {
        let (mut contacts, mut meetings, mut items, mut attendance, mut actions) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for (c, implementing, orgs) in chunk {
            for org in orgs {
                contact_id += 1;
                contacts.push(vec![
                    Val::I64(contact_id),
                    Val::I64(*c),
                    Val::I64(*org),
                    Val::Text(String::new()),
                    Val::Text("lead_contact".into()),
                    Val::Text(String::new()),
                    Val::Text(String::new()),
                    Val::OptI64(Some(*org)),
                    Val::I64(1),
                    Val::I64(now),
                    Val::I64(now),
                ]);
                contact_id += 1;
                contacts.push(vec![
                    Val::I64(contact_id),
                    Val::I64(*c),
                    Val::I64(*org),
                    Val::Text(FINANCE_NAMES[(*org as usize) % FINANCE_NAMES.len()].into()),
                    Val::Text("finance_contact".into()),
                    Val::Text(format!("finance.{org}@contacts.example")),
                    Val::Text(if org % 2 == 0 {
                        "0113 496 0000".into()
                    } else {
                        String::new()
                    }),
                    Val::OptI64(None),
                    Val::I64(1),
                    Val::I64(now),
                    Val::I64(now),
                ]);
            }
            if !implementing {
                continue;
            }
            let first_task = first_tasks.iter().find(|(fc, _)| fc == c).map(|(_, t)| *t);
            for (k, (offset, title)) in [
                (-60, "Partners' meeting"),
                (-20, "Steering group"),
                (14, "Partners' meeting"),
            ]
            .into_iter()
            .enumerate()
            {
                meeting_id += 1;
                let past = offset < 0;
                let minutes = if past {
                    format!(
                        "Everyone reported on their part of the plan.\n\n\
                         - The **budget** is on track.\n- Two tasks are running late; their owners will say by {} what they need.\n",
                        iso_day(today + offset + 7)
                    )
                } else {
                    String::new()
                };
                meetings.push(vec![
                    Val::I64(meeting_id),
                    Val::I64(*c),
                    Val::Text(title.into()),
                    Val::Text(iso_day(today + offset)),
                    Val::Text(if k == 1 {
                        "10:00".into()
                    } else {
                        "14:00".into()
                    }),
                    Val::I64(90),
                    Val::Text(if k == 1 {
                        "Online: https://meet.example.org/steering".into()
                    } else {
                        "Community hall, main room".into()
                    }),
                    Val::Text(minutes),
                    Val::I64(1),
                    Val::I64(now),
                    Val::I64(now),
                ]);
                for (i, text) in AGENDA.iter().enumerate() {
                    items.push(vec![
                        Val::I64(meeting_id),
                        Val::Text("agenda".into()),
                        Val::I64(i as i64),
                        Val::Text((*text).into()),
                    ]);
                }
                if !past {
                    continue;
                }
                items.push(vec![
                    Val::I64(meeting_id),
                    Val::Text("decision".into()),
                    Val::I64(0),
                    Val::Text("Keep the budget as agreed.".into()),
                ]);
                for (i, org) in orgs.iter().enumerate() {
                    // Each organisation's admin has the organisation's id.
                    let status = if i == 1 && k == 0 {
                        "apologies"
                    } else {
                        "present"
                    };
                    attendance.push(vec![
                        Val::I64(meeting_id),
                        Val::OptI64(Some(*org)),
                        Val::OptI64(Some(*org)),
                        Val::Text(String::new()),
                        Val::Text(status.into()),
                    ]);
                }
                attendance.push(vec![
                    Val::I64(meeting_id),
                    Val::OptI64(None),
                    Val::OptI64(None),
                    Val::Text("Dewi Morgan (local councillor)".into()),
                    Val::Text("present".into()),
                ]);
                if k == 1
                    && let Some(t) = first_task
                {
                    for task in [t, t + 1] {
                        actions.push(vec![Val::I64(meeting_id), Val::I64(task)]);
                    }
                }
            }
        }
        let mut tx = store.write().await?;
        insert_rows(
            &mut tx,
            "INSERT INTO partner_contacts (id, collaboration_id, organisation_id, name, role, email, phone, \
             user_id, version, created_at, updated_at)",
            11,
            contacts,
        )
        .await?;
        insert_rows(
            &mut tx,
            "INSERT INTO meetings (id, collaboration_id, title, held_on, starts_at, duration_minutes, place, \
             minutes, version, created_at, updated_at)",
            11,
            meetings,
        )
        .await?;
        insert_rows(
            &mut tx,
            "INSERT INTO meeting_items (meeting_id, kind, position, text)",
            4,
            items,
        )
        .await?;
        insert_rows(
            &mut tx,
            "INSERT INTO meeting_attendance (meeting_id, user_id, organisation_id, guest_name, status)",
            5,
            attendance,
        )
        .await?;
        insert_rows(
            &mut tx,
            "INSERT INTO meeting_actions (meeting_id, task_id)",
            2,
            actions,
        )
        .await?;
        tx.commit().await?;
    }
    // The lead contacts are the organisations' admins, named as they are.
    let mut tx = store.write().await?;
    tx.exec(q(
        "UPDATE partner_contacts SET name = (SELECT u.name FROM users u WHERE u.id = partner_contacts.user_id), \
         email = (SELECT u.email FROM users u WHERE u.id = partner_contacts.user_id) WHERE user_id IS NOT NULL",
    ))
    .await?;
    tx.commit().await?;
    Ok(())
}
