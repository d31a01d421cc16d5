//! The demo's aims review and lessons: every collaboration in Review has
//! each of its shared aims reviewed by an admin of the lead organisation,
//! with the indicator's actual value, the evidence and a link, and the
//! outcomes varied so more than one shows; and a lesson from each stage.

use super::*;
use commonground_domain::outcomes::{AimReviewDetails, AimReviewInput, LessonDetails, LessonInput};

/// (outcome, actual value, evidence, link), one per demo aim in turn.
pub(super) const REVIEWS: &[(&str, &str, &str, &str)] = &[
    (
        "achieved",
        "430",
        "The joint service was used by **430 people** last quarter, counted at every site.\n\n- 260 were new to all partners.\n- 170 came through referrals between partners.",
        "https://example.org/reports/joint-service-usage",
    ),
    (
        "partly",
        "10%",
        "Shared costs fell from 12% to 10% of each partner's budget. The shared office move was delayed, so the rest of the saving comes next year.",
        "https://example.org/reports/shared-costs",
    ),
    (
        "not_achieved",
        "2",
        "Only two new volunteers stayed past three months. Training dates clashed with school holidays.",
        "",
    ),
];

/// (stage, kind, text): the lessons each collaboration in Review records.
pub(super) const LESSONS: &[(&str, &str, &str)] = &[
    (
        "identify",
        "worked",
        "Meeting face to face before writing anything down built trust quickly.",
    ),
    (
        "plan",
        "do_differently",
        "Agree how money is shared before the aims, not after: it held up the agreement for a month.",
    ),
    (
        "implement",
        "did_not_work",
        "A monthly report from every partner was too much. A short shared update would have done.",
    ),
    (
        "review",
        "worked",
        "Quick pulse health checks every two months caught problems early.",
    ),
];

pub(super) async fn fill_outcomes(store: &Store, now: i64) -> Result<(), StoreError> {
    let mut tx = store.read().await?;
    // Each collaboration in Review, with an admin of its lead organisation.
    let leads: Vec<(i64, i64, String, i64)> = tx
        .all(q(
            "SELECT c.id, p.organisation_id, o.name, (SELECT MIN(m.user_id) FROM memberships m \
               WHERE m.organisation_id = p.organisation_id AND m.role = 'admin') \
             FROM collaborations c JOIN participants p ON p.collaboration_id = c.id AND p.role = 'lead' \
             JOIN organisations o ON o.id = p.organisation_id \
             WHERE c.stage = 'review' ORDER BY c.id",
        ))
        .await?;
    drop(tx);
    for chunk in leads.chunks(50) {
        let mut tx = store.write().await?;
        for (c, lead_org, org_name, admin) in chunk {
            let Some(scope) = tx.collab_scope(*admin, *c).await? else {
                continue;
            };
            let Some(person) = tx.user(*admin).await? else {
                continue;
            };
            let aims = tx.reviewed_aims(&scope).await?;
            for (i, aim) in aims.iter().enumerate() {
                let (outcome, actual, evidence, link) = REVIEWS[(i + *c as usize) % REVIEWS.len()];
                let d = AimReviewDetails::parse(&AimReviewInput {
                    outcome,
                    actual,
                    evidence,
                    links: link,
                })
                .map_err(|e| StoreError::Other(format!("demo aims review: {e:?}")))?;
                tx.save_aim_review(
                    &scope,
                    aim.aim_id,
                    &d,
                    0,
                    (*admin, &person.name),
                    (*lead_org, org_name),
                    now - 7 * 86_400 + i as i64 * 3_600,
                )
                .await?;
            }
            for (i, (stage, kind, text)) in LESSONS.iter().enumerate() {
                let d = LessonDetails::parse(&LessonInput { stage, kind, text })
                    .map_err(|e| StoreError::Other(format!("demo lesson: {e:?}")))?;
                tx.create_lesson(
                    &scope,
                    &d,
                    (*admin, &person.name),
                    (*lead_org, org_name),
                    now - 6 * 86_400 + i as i64 * 3_600,
                )
                .await?;
            }
        }
        tx.commit().await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The demo's reviews are what the form would accept, and every outcome shows.
    #[test]
    fn demo_reviews_are_valid() {
        let mut outcomes = Vec::new();
        for (outcome, actual, evidence, link) in REVIEWS {
            let d = AimReviewDetails::parse(&AimReviewInput {
                outcome,
                actual,
                evidence,
                links: link,
            })
            .unwrap();
            outcomes.push(d.outcome);
        }
        outcomes.sort();
        assert_eq!(outcomes, commonground_domain::outcomes::Outcome::ALL);
        for (stage, kind, text) in LESSONS {
            LessonDetails::parse(&LessonInput { stage, kind, text }).unwrap();
        }
    }
}
