//! The demo's Identify stage: readiness answers.

use super::*;

/// The readiness check taken in one collaboration in five, and in every
/// collaboration one of the demo person's organisations takes part in: up to two
/// people from each organisation answer, so the results show.
pub(super) async fn fill_readiness(
    store: &Store,
    rng: &mut Rng,
    now: i64,
) -> Result<(), StoreError> {
    let mut tx = store.read().await?;
    let statements: Vec<(i64, i64)> = tx
        .all(q(
            "SELECT s.id, f.group_id FROM readiness_statements s JOIN readiness_factors f ON f.id = s.factor_id \
             WHERE f.group_id IN (SELECT id FROM readiness_groups WHERE instrument_id = \
               (SELECT id FROM readiness_instruments ORDER BY version DESC LIMIT 1)) ORDER BY s.id",
        ))
        .await?;
    let instrument: i64 = tx
        .int(q(
            "SELECT id FROM readiness_instruments ORDER BY version DESC LIMIT 1",
        ))
        .await?;
    let taking_part: Vec<(i64, i64)> = tx
        .all(q(
            "SELECT collaboration_id, organisation_id FROM participants \
             WHERE collaboration_id IN (SELECT collaboration_id FROM participants WHERE organisation_id IN \
               (SELECT organisation_id FROM memberships WHERE user_id = 1)) \
                OR collaboration_id - (collaboration_id / 5) * 5 = 0 \
             ORDER BY collaboration_id, organisation_id",
        ))
        .await?;
    let memberships: Vec<(i64, i64)> = tx
        .all(q(
            "SELECT organisation_id, user_id FROM memberships ORDER BY organisation_id, user_id",
        ))
        .await?;
    drop(tx);
    let mut members: std::collections::HashMap<i64, Vec<i64>> = std::collections::HashMap::new();
    for (org, user) in memberships {
        let list = members.entry(org).or_default();
        if list.len() < 2 {
            list.push(user);
        }
    }

    let mut round_rows = Vec::new();
    let mut answer_rows = Vec::new();
    let mut last = None;
    for (collab, org) in taking_part {
        if last != Some(collab) {
            last = Some(collab);
            round_rows.push(vec![
                Val::I64(collab),
                Val::I64(collab),
                Val::I64(1),
                Val::I64(instrument),
                Val::I64(now),
            ]);
        }
        // Each collaboration leans one way per group; people vary around it.
        let mut lean = [0i64; 8];
        let mut c = Rng(collab as u64 * 2654435761 + 1);
        for l in lean.iter_mut() {
            *l = 2 + c.below(3) as i64;
        }
        for user in members.get(&org).into_iter().flatten() {
            for (statement, group) in &statements {
                let value = if rng.below(12) == 0 {
                    Val::OptI64(None)
                } else {
                    let v = lean[(*group as usize) % 8] + rng.below(3) as i64 - 1
                        + (rng.below(4) == 0) as i64;
                    Val::OptI64(Some(v.clamp(1, 5)))
                };
                answer_rows.push(vec![
                    Val::I64(collab),
                    Val::I64(*user),
                    Val::I64(*statement),
                    Val::I64(org),
                    value,
                    Val::I64(now),
                ]);
            }
        }
    }
    let mut tx = store.write().await?;
    insert_rows(
        &mut tx,
        "INSERT INTO readiness_rounds (id, collaboration_id, number, instrument_id, opened_at)",
        5,
        round_rows,
    )
    .await?;
    // A person in two of the collaboration's organisations answers once.
    let mut seen = std::collections::HashSet::new();
    answer_rows.retain(|r| match (&r[0], &r[1], &r[2]) {
        (Val::I64(c), Val::I64(u), Val::I64(s)) => seen.insert((*c, *u, *s)),
        _ => true,
    });
    insert_rows(
        &mut tx,
        "INSERT INTO readiness_answers (round_id, user_id, statement_id, organisation_id, value, answered_at)",
        6,
        answer_rows,
    )
    .await?;
    tx.commit().await
}
