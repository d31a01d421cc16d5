//! The demo's Review stage: every collaboration in Review has two closed
//! health check rounds that everyone asked answered: a quick pulse two
//! months ago and a full review three weeks ago, so the results, the gaps
//! between partners and the trend can be seen. The 500-task collaboration
//! has a full review answered by 300 people (see [`fill_large_round`]).

use super::*;
use commonground_domain::health_checks::Kind;

const COMMENTS: [&str; 4] = [
    "Meetings are well run, but papers come late.",
    "",
    "We are not always asked before decisions are made.",
    "",
];

pub(super) async fn fill_health_checks(store: &Store, now: i64) -> Result<(), StoreError> {
    let mut tx = store.read().await?;
    // Each collaboration in Review with a lead admin to open the rounds.
    let leads: Vec<(i64, i64, i64)> = tx
        .all(q(
            "SELECT c.id, p.organisation_id, (SELECT MIN(m.user_id) FROM memberships m \
               WHERE m.organisation_id = p.organisation_id AND m.role = 'admin') \
             FROM collaborations c JOIN participants p ON p.collaboration_id = c.id AND p.role = 'lead' \
             WHERE c.stage = 'review' ORDER BY c.id",
        ))
        .await?;
    drop(tx);
    for chunk in leads.chunks(50) {
        let mut tx = store.write().await?;
        for (c, lead_org, lead_admin) in chunk {
            let Some(scope) = tx.collab_scope(*lead_admin, *c).await? else {
                continue;
            };
            for (kind, opened, closes) in [(Kind::Pulse, 75, 61), (Kind::Full, 35, 21)] {
                answered_round(
                    &mut tx,
                    &scope,
                    *lead_org,
                    *lead_admin,
                    kind,
                    now,
                    opened,
                    closes,
                )
                .await?;
            }
        }
        tx.commit().await?;
    }
    Ok(())
}

/// Opens a round `opened` days ago in the collaboration, has everyone
/// invited answer it (the lead organisation's people a little happier than
/// the partners', so the gaps show), and closes it `closes` days ago.
#[allow(clippy::too_many_arguments)]
async fn answered_round(
    tx: &mut Tx,
    scope: &crate::collaborations::CollabScope,
    lead_org: i64,
    lead_admin: i64,
    kind: Kind,
    now: i64,
    opened: i64,
    closes: i64,
) -> Result<(), StoreError> {
    let day = 86_400;
    let opened_at = now - opened * day;
    let closes_on = implement::iso_day(now.div_euclid(day) - closes);
    let round = tx
        .open_health_round(scope, kind, &closes_on, lead_admin, opened_at)
        .await?;
    let questionnaire = tx.latest_health_questionnaire_id(kind).await?;
    let questions: Vec<i64> = tx
        .health_questionnaire(questionnaire)
        .await?
        .questions()
        .map(|(_, q)| q.id)
        .collect();
    let invitees: Vec<(i64, i64)> = tx
        .all(
            q("SELECT user_id, organisation_id FROM health_invitees WHERE round_id = ? ORDER BY user_id")
                .bind(round),
        )
        .await?;
    for (k, (user, org)) in invitees.iter().enumerate() {
        let lift = i64::from(*org == lead_org);
        let answers: Vec<(i64, Option<u8>)> = questions
            .iter()
            .enumerate()
            .map(|(i, q)| {
                let spread = ((*user as usize + i * 3 + k) % 3) as i64;
                let value = match kind {
                    Kind::Pulse => (1 + spread + lift).clamp(1, 3),
                    Kind::Full => (2 + spread + lift).clamp(1, 5),
                };
                // Now and then someone does not know.
                let dont_know = kind == Kind::Full && (i + k) % 9 == 4;
                (*q, (!dont_know).then_some(value as u8))
            })
            .collect();
        tx.save_health_response(
            round,
            *user,
            *org,
            &answers,
            COMMENTS[(k + *user as usize) % COMMENTS.len()],
            opened_at + (k as i64 + 1) * 3_600,
        )
        .await?;
    }
    tx.close_health_round(scope, round, now - closes * day + day - 1)
        .await?;
    Ok(())
}

/// How many people answer the large round.
pub const LARGE_ROUND: i64 = 300;

/// The demo person's 500-task collaboration (the first) also has a full
/// review answered by more than [`LARGE_ROUND`] people: its first partner
/// has that many members (and the lead five more), so the results page is
/// measured at the size the product is built for. Skipped when the demo
/// has too few people.
pub(super) async fn fill_large_round(store: &Store, now: i64) -> Result<(), StoreError> {
    let mut tx = store.write().await?;
    let (people,): (i64,) = tx.one(q("SELECT COUNT(*) FROM users")).await?;
    let partner: Option<(i64,)> = tx
        .opt(q("SELECT organisation_id FROM participants \
             WHERE collaboration_id = 1 AND role = 'partner' ORDER BY organisation_id LIMIT 1"))
        .await?;
    let (Some((partner,)), true) = (partner, people > LARGE_ROUND + 20) else {
        return Ok(());
    };
    // People from the end of the list who are not yet members of either:
    // 300 join the partner, and five the lead, so that each side has
    // enough people for its own figures to be shown.
    let members: Vec<i64> = tx
        .all::<(i64,)>(
            q("SELECT user_id FROM memberships WHERE organisation_id IN (1, ?)").bind(partner),
        )
        .await?
        .into_iter()
        .map(|(u,)| u)
        .collect();
    let joining: Vec<Vec<Val>> = (1..=people)
        .rev()
        .filter(|u| !members.contains(u))
        .take(LARGE_ROUND as usize + 5)
        .enumerate()
        .map(|(k, u)| {
            let org = if k < LARGE_ROUND as usize { partner } else { 1 };
            vec![
                Val::I64(org),
                Val::I64(u),
                Val::Text("member".into()),
                Val::I64(now),
            ]
        })
        .collect();
    insert_rows(
        &mut tx,
        "INSERT INTO memberships (organisation_id, user_id, role, joined_at)",
        4,
        joining,
    )
    .await?;
    let Some(scope) = tx.collab_scope(1, 1).await? else {
        return Ok(());
    };
    answered_round(&mut tx, &scope, 1, 1, Kind::Full, now, 50, 40).await?;
    tx.commit().await
}
