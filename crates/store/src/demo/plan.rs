//! The demo's Plan stage: shared aims, governance, responsibilities and
//! agreements with their versions and approvals.

use super::*;

/// The shared aims the demo's collaborations in Plan or later agree.
const AIMS: &[(&str, &str, &str, &str, &str)] = &[
    (
        "More people reached by what we do together",
        "People using the joint service each quarter",
        "0",
        "400",
        "2027-03-31",
    ),
    (
        "Lower running costs for every partner",
        "Shared costs as a share of each partner's budget",
        "12%",
        "8%",
        "2027-09-30",
    ),
];

/// The changes partners make to the demo agreement after it starts:
/// (section, text), one version each.
const AGREEMENT_EDITS: &[(&str, &str)] = &[
    (
        "principles",
        "We will be open with each other, share bad news early, and decide together.\n\nEach partner keeps its own identity and independence.",
    ),
    (
        "money_and_resources",
        "- The lead holds the joint grant and passes on each partner's share within 30 days.\n- Each partner gives one day a week of a manager's time.",
    ),
    (
        "term",
        "This agreement runs for two years from the date every partner approves it, then continues until a partner gives notice.",
    ),
];

/// Aims and an agreement for every collaboration in Plan or later: two
/// aims approved by every lead and partner organisation; a collaboration
/// agreement with four versions, approved by all of them in most
/// collaborations and by all but one in every third, so both states show.
pub(super) async fn fill_plan(store: &Store, now: i64) -> Result<(), StoreError> {
    use commonground_domain::agreements::{
        AgreementKind, AimFact, Facts, PartyFact, starting_sections,
    };
    let mut tx = store.read().await?;
    let collabs: Vec<(i64, String, String)> = tx
        .all(q(
            "SELECT id, title, purpose FROM collaborations WHERE stage IN ('plan', 'implement', 'review') ORDER BY id",
        ))
        .await?;
    let parties: Vec<(i64, i64, String, Option<String>, String)> = tx
        .all(q(
            "SELECT p.collaboration_id, o.id, o.name, o.org_identifier, p.role FROM participants p \
             JOIN organisations o ON o.id = p.organisation_id \
             JOIN collaborations c ON c.id = p.collaboration_id \
             WHERE p.role IN ('lead', 'partner') AND c.stage IN ('plan', 'implement', 'review') \
             ORDER BY p.collaboration_id, p.role, o.id",
        ))
        .await?;
    let admins: Vec<(i64, i64, String)> = tx
        .all(q(
            "SELECT m.organisation_id, MIN(u.id), MIN(u.name) FROM memberships m JOIN users u ON u.id = m.user_id \
             WHERE m.role = 'admin' GROUP BY m.organisation_id ORDER BY m.organisation_id",
        ))
        .await?;
    drop(tx);
    let admins: std::collections::HashMap<i64, (i64, String)> =
        admins.into_iter().map(|(o, u, n)| (o, (u, n))).collect();
    // Per collaboration: (organisation, name, org-id, is lead).
    type Party = (i64, String, Option<String>, bool);
    let mut by_collab: std::collections::HashMap<i64, Vec<Party>> =
        std::collections::HashMap::new();
    for (c, org, name, ident, role) in parties {
        by_collab
            .entry(c)
            .or_default()
            .push((org, name, ident, role == "lead"));
    }
    let (mut aim_rows, mut set_rows, mut aim_approval_rows) = (Vec::new(), Vec::new(), Vec::new());
    let (mut agreement_rows, mut section_rows, mut revision_rows) =
        (Vec::new(), Vec::new(), Vec::new());
    let (mut version_rows, mut approval_rows) = (Vec::new(), Vec::new());
    for (c, title, purpose) in collabs {
        let ps = by_collab.remove(&c).unwrap_or_default();
        let at = now - 30 * 86_400;
        for (t, indicator, baseline, target, date) in AIMS {
            aim_rows.push(vec![
                Val::I64(c),
                Val::Text((*t).into()),
                Val::Text((*indicator).into()),
                Val::Text((*baseline).into()),
                Val::Text((*target).into()),
                Val::OptText(Some((*date).into())),
                Val::I64(at),
                Val::I64(at),
                Val::I64(1),
            ]);
        }
        set_rows.push(vec![Val::I64(c), Val::I64(AIMS.len() as i64), Val::I64(at)]);
        let facts = Facts {
            title,
            purpose,
            parties: ps
                .iter()
                .map(|(_, name, ident, lead)| PartyFact {
                    name: name.clone(),
                    org_identifier: ident.clone(),
                    lead: *lead,
                })
                .collect(),
            aims: AIMS
                .iter()
                .map(|(t, i, b, tg, d)| AimFact {
                    title: (*t).into(),
                    indicator: (*i).into(),
                    baseline: (*b).into(),
                    target: (*tg).into(),
                    target_date: Some((*d).into()),
                })
                .collect(),
            ..Default::default()
        };
        let mut sections = starting_sections(AgreementKind::CollaborationAgreement, &facts);
        let first_by = ps
            .first()
            .and_then(|p| admins.get(&p.0))
            .cloned()
            .unwrap_or((0, String::new()));
        let hash_of = |s: &[(&str, &str, String)]| {
            crate::agreements::content_hash(s.iter().map(|(k, _, t)| (*k, t.as_str())))
        };
        let mut hash = hash_of(&sections);
        for (position, (key, t, text)) in sections.iter().enumerate() {
            section_rows.push((c, *key, position as i64, *t, text.clone()));
            revision_rows.push(vec![
                Val::I64(c),
                Val::Text((*key).into()),
                Val::I64(1),
                Val::Text(text.clone()),
            ]);
        }
        let by = |u: i64| {
            if u > 0 {
                Val::OptI64(Some(u))
            } else {
                Val::OptI64(None)
            }
        };
        version_rows.push(vec![
            Val::I64(c),
            Val::I64(1),
            Val::OptText(None),
            Val::Text(hash.clone()),
            by(first_by.0),
            Val::Text(first_by.1.clone()),
            Val::I64(at),
        ]);
        let mut version = 1i64;
        for (step, (key, text)) in AGREEMENT_EDITS.iter().enumerate() {
            version += 1;
            let editor = ps
                .get((step + 1) % ps.len().max(1))
                .and_then(|p| admins.get(&p.0))
                .cloned()
                .unwrap_or_else(|| first_by.clone());
            if let Some(s) = sections.iter_mut().find(|s| s.0 == *key) {
                s.2 = (*text).to_string();
            }
            hash = hash_of(&sections);
            revision_rows.push(vec![
                Val::I64(c),
                Val::Text((*key).into()),
                Val::I64(version),
                Val::Text((*text).into()),
            ]);
            version_rows.push(vec![
                Val::I64(c),
                Val::I64(version),
                Val::OptText(Some((*key).into())),
                Val::Text(hash.clone()),
                by(editor.0),
                Val::Text(editor.1),
                Val::I64(at + (step as i64 + 1) * 86_400),
            ]);
            if let Some(row) = section_rows
                .iter_mut()
                .rev()
                .find(|r| r.0 == c && r.1 == *key)
            {
                row.4 = (*text).to_string();
            }
        }
        // Section rows carry the version each last changed in.
        agreement_rows.push(vec![
            Val::I64(c),
            Val::I64(c),
            Val::Text(AgreementKind::CollaborationAgreement.code().into()),
            Val::I64(version),
            Val::Text(hash.clone()),
            by(first_by.0),
            Val::I64(at),
            Val::I64(at + version * 86_400),
        ]);
        let holdout = if c % 3 == 0 {
            ps.last().map(|p| p.0)
        } else {
            None
        };
        for (org, name, _, _) in &ps {
            let Some((user, user_name)) = admins.get(org) else {
                continue;
            };
            aim_approval_rows.push(vec![
                Val::I64(c),
                Val::I64(*org),
                Val::Text(name.clone()),
                Val::I64(AIMS.len() as i64),
                Val::I64(0),
                Val::OptI64(Some(*user)),
                Val::Text(user_name.clone()),
                Val::I64(at + 86_400),
            ]);
            // Everyone approved the second version; then the text changed.
            let approved: &[i64] = if Some(*org) == holdout {
                &[2]
            } else {
                &[2, version]
            };
            for v in approved {
                approval_rows.push(vec![
                    Val::I64(c),
                    Val::I64(*org),
                    Val::Text(name.clone()),
                    Val::I64(*v),
                    Val::Text(String::new()),
                    Val::I64(0),
                    Val::OptI64(Some(*user)),
                    Val::Text(user_name.clone()),
                    Val::I64(at + (v + 1) * 86_400),
                ]);
            }
        }
    }
    let section_rows: Vec<Vec<Val>> = section_rows
        .into_iter()
        .map(|(c, key, position, title, text)| {
            let changed_in = AGREEMENT_EDITS
                .iter()
                .position(|(k, _)| *k == key)
                .map(|i| i as i64 + 2)
                .unwrap_or(1);
            vec![
                Val::I64(c),
                Val::Text(key.into()),
                Val::I64(position),
                Val::Text(title.into()),
                Val::Text(text),
                Val::I64(changed_in),
            ]
        })
        .collect();
    let mut tx = store.write().await?;
    insert_rows(
        &mut tx,
        "INSERT INTO aims (collaboration_id, title, indicator, baseline, target, target_date, created_at, updated_at, version)",
        9,
        aim_rows,
    )
    .await?;
    insert_rows(
        &mut tx,
        "INSERT INTO aim_sets (collaboration_id, version, updated_at)",
        3,
        set_rows,
    )
    .await?;
    insert_rows(
        &mut tx,
        "INSERT INTO aim_approvals (collaboration_id, organisation_id, organisation_name, version, parties_epoch, \
         approved_by, approved_by_name, approved_at)",
        8,
        aim_approval_rows,
    )
    .await?;
    insert_rows(
        &mut tx,
        "INSERT INTO agreements (id, collaboration_id, kind, version, content_hash, created_by, created_at, updated_at)",
        8,
        agreement_rows,
    )
    .await?;
    insert_rows(
        &mut tx,
        "INSERT INTO agreement_sections (agreement_id, section_key, position, title, text, version)",
        6,
        section_rows,
    )
    .await?;
    insert_rows(
        &mut tx,
        "INSERT INTO agreement_revisions (agreement_id, section_key, version, text)",
        4,
        revision_rows,
    )
    .await?;
    insert_rows(
        &mut tx,
        "INSERT INTO agreement_versions (agreement_id, version, section_key, content_hash, saved_by, saved_by_name, saved_at)",
        7,
        version_rows,
    )
    .await?;
    insert_rows(
        &mut tx,
        "INSERT INTO agreement_approvals (agreement_id, organisation_id, organisation_name, version, content_hash, \
         parties_epoch, approved_by, approved_by_name, approved_at)",
        9,
        approval_rows,
    )
    .await?;
    // Each approval records the content hash of the version it approved.
    tx.exec(q(
        "UPDATE agreement_approvals SET content_hash = (SELECT v.content_hash FROM agreement_versions v \
         WHERE v.agreement_id = agreement_approvals.agreement_id AND v.version = agreement_approvals.version) \
         WHERE content_hash = ''",
    ))
    .await?;
    tx.commit().await
}
