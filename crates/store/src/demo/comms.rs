//! The demo's communications plans, for every collaboration in Implement
//! or later: a monthly newsletter with two issues logged (the third now
//! overdue), and a handful of one-off and recurring items of other
//! channels, each with a different status.

use super::*;
use commonground_domain::comms::{CommsStatus, Timing, next_due, occurrence};
use implement::iso_day;

/// (audience, purpose, key message, channel, timing, days from today of
/// the date or first date, status). The first is the newsletter.
pub(super) const DEMO_COMMS: [(&str, &str, &str, &str, Timing, i64, CommsStatus); 6] = [
    (
        "Families using the food banks",
        "Monthly newsletter",
        "What is on at each partner this month, and how to get help.",
        "newsletter",
        Timing::Monthly,
        -75,
        CommsStatus::InProgress,
    ),
    (
        "Trustees of each partner",
        "Brief the boards on progress",
        "The joint work is on track; two decisions need the boards' approval.",
        "email",
        Timing::Once,
        10,
        CommsStatus::Planned,
    ),
    (
        "Local press",
        "Announce the partnership",
        "Local charities are working together so families get help in one place.",
        "press_release",
        Timing::Once,
        -30,
        CommsStatus::Done,
    ),
    (
        "Volunteers and supporters",
        "Weekly updates online",
        "One thing the partnership achieved this week.",
        "social_media",
        Timing::Weekly,
        3,
        CommsStatus::Planned,
    ),
    (
        "Funders",
        "Quarterly report to funders",
        "What the money paid for, and what comes next.",
        "letter",
        Timing::Quarterly,
        20,
        CommsStatus::Planned,
    ),
    (
        "Families using the food banks",
        "Posters about the new opening hours",
        "Both food banks now open on Saturday mornings.",
        "leaflet_or_poster",
        Timing::Once,
        -5,
        CommsStatus::Dropped,
    ),
];

pub(super) async fn fill_comms(store: &Store, now: i64) -> Result<(), StoreError> {
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
    // The newsletter's first two issues went out; the next date due is
    // worked out as the app would.
    let first = iso_day(today + DEMO_COMMS[0].5);
    let issues: Vec<String> = (0..2)
        .filter_map(|k| occurrence(Timing::Monthly, &first, k))
        .collect();
    for chunk in plans.chunks(200) {
        let mut items = Vec::new();
        for (c, orgs) in chunk {
            for (k, (audience, purpose, message, channel, timing, days, status)) in
                DEMO_COMMS.iter().enumerate()
            {
                let owner = orgs[k % orgs.len()];
                let on_date = iso_day(today + days);
                let last_sent = (k == 0).then(|| issues.last().cloned()).flatten();
                items.push(vec![
                    Val::I64(*c),
                    Val::Text((*audience).into()),
                    Val::Text((*purpose).into()),
                    Val::Text((*message).into()),
                    Val::Text((*channel).into()),
                    Val::OptI64(Some(owner)),
                    // The owner organisation's admin (same id in the demo)
                    // sends the newsletter.
                    Val::OptI64((k == 0).then_some(owner)),
                    Val::Text(timing.code().into()),
                    Val::Text(on_date.clone()),
                    Val::OptText(next_due(*timing, &on_date, *status, last_sent.as_deref())),
                    Val::Text(status.code().into()),
                    Val::I64(1),
                    Val::Text("Demo person".into()),
                    Val::I64(now),
                    Val::I64(now),
                ]);
            }
        }
        let mut tx = store.write().await?;
        insert_rows(
            &mut tx,
            "INSERT INTO comms_items (collaboration_id, audience, purpose, key_message, channel, \
             owner_organisation_id, owner_person_id, timing, on_date, next_due_on, status, version, \
             updated_by_name, created_at, updated_at)",
            15,
            items,
        )
        .await?;
        tx.commit().await?;
    }
    // Each newsletter's two issues, one statement each for every plan.
    let mut tx = store.write().await?;
    for (n, sent_on) in issues.iter().enumerate() {
        let what = if n == 0 {
            "First issue: who we are and where to find us"
        } else {
            "Second issue: Saturday opening and the holiday lunch club"
        };
        tx.exec(
            q("INSERT INTO comms_log (item_id, collaboration_id, sent_on, what, channel, link, notes, \
               recorded_by, recorded_by_name, recorded_at) \
               SELECT c.id, c.collaboration_id, ?, ?, c.channel, ?, ?, c.owner_person_id, 'Demo person', ? \
               FROM comms_items c WHERE c.timing = 'monthly' AND c.channel = 'newsletter'")
            .bind(sent_on.as_str())
            .bind(what)
            .bind(format!("https://news.example.org/issue-{}", n + 1))
            .bind(if n == 0 {
                "Sent to every family on the partners' lists."
            } else {
                ""
            })
            .bind(now),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
