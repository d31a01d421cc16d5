//! The store's promises, checked on a fresh database: SQLite by default, a
//! fresh PostgreSQL schema when TEST_DATABASE_URL is set. The same tests
//! run on both, so the two backends cannot drift apart.

use commonground_domain::collaborations::{
    CollaborationDetails, InvitationStatus, ParticipantRole,
};
use commonground_domain::organisations::{OrgRole, Profile, ProfileInput};
use commonground_store::accounts::{PASSWORD_RESET_SECONDS, SESSION_IDLE_SECONDS, User};
use commonground_store::collaborations::{CollabInvitation, InviteProblem};
use commonground_store::organisations::Organisation;
use commonground_store::{Store, testing};

const T0: i64 = 1_800_000_000;

struct Db {
    store: Store,
    _dir: tempfile::TempDir,
}

async fn db() -> Db {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = testing::fresh_store(dir.path())
        .await
        .expect("fresh database");
    Db { store, _dir: dir }
}

/// A database the demo filled with 400 organisations at `now`.
async fn demo_db(now: i64) -> Db {
    let db = db().await;
    commonground_store::demo::fill(&db.store, 400, "not-a-real-hash", now, |_, _, _| {})
        .await
        .unwrap();
    db
}

impl Db {
    async fn user(&self, name: &str) -> User {
        let email = format!("{}@example.org", name.to_lowercase().replace(' ', "."));
        let mut tx = self.store.write().await.unwrap();
        let u = tx
            .create_user(&email, name, "not-a-real-hash", false, T0)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        u
    }

    async fn org_with(
        &self,
        creator: &User,
        name: &str,
        kind: &str,
        charity: &str,
        company: &str,
    ) -> Result<Organisation, commonground_store::StoreError> {
        let profile = profile(name, kind, charity, company);
        let mut tx = self.store.write().await.unwrap();
        let org = tx.create_organisation(&profile, creator.id, T0).await?;
        tx.commit().await?;
        Ok(org)
    }

    async fn org(&self, creator: &User, name: &str) -> Organisation {
        self.org_with(creator, name, "community_group", "", "")
            .await
            .unwrap()
    }

    async fn join(&self, org: &Organisation, who: &User, role: OrgRole) {
        let mut tx = self.store.write().await.unwrap();
        tx.add_member(org.id, who.id, role, T0).await.unwrap();
        tx.commit().await.unwrap();
    }

    async fn collab(&self, lead: &Organisation, by: &User, title: &str, at: i64) -> i64 {
        let details =
            CollaborationDetails::parse(title, "To find out whether working together helps.")
                .unwrap();
        let mut tx = self.store.write().await.unwrap();
        let c = tx
            .create_collaboration(lead.id, &details, by.id, at)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        c.id
    }

    /// `by` (a lead admin) invites `org`; the store's answer.
    async fn invite(
        &self,
        by: &User,
        by_org: &Organisation,
        collab: i64,
        org: &Organisation,
        at: i64,
    ) -> Result<CollabInvitation, InviteProblem> {
        let mut tx = self.store.write().await.unwrap();
        let scope = tx
            .collab_scope(by.id, collab)
            .await
            .unwrap()
            .expect("the inviter takes part");
        let result = tx
            .invite_organisation(
                &scope,
                org.id,
                ParticipantRole::Partner,
                "Join us",
                by.id,
                by_org.id,
                at,
            )
            .await
            .unwrap();
        if result.is_ok() {
            tx.commit().await.unwrap();
        }
        result
    }

    async fn answer(&self, inv: &CollabInvitation, by: &User, accept: bool, at: i64) {
        let mut tx = self.store.write().await.unwrap();
        tx.answer_invitation(inv, accept, by.id, at)
            .await
            .unwrap()
            .expect("pending");
        tx.commit().await.unwrap();
    }
}

fn profile(name: &str, kind: &str, charity: &str, company: &str) -> Profile {
    Profile::parse(&ProfileInput {
        name: name.into(),
        kind: kind.into(),
        charity_number: charity.into(),
        company_number: company.into(),
        ..Default::default()
    })
    .unwrap_or_else(|e| panic!("profile {name}: {e:?}"))
}

#[tokio::test]
async fn scopes_exist_only_for_members_and_participants() {
    let db = db().await;
    let ann = db.user("Ann Lead").await;
    let bob = db.user("Bob Partner").await;
    let eve = db.user("Eve Outsider").await;
    let a = db.org(&ann, "Alpha Trust").await;
    let b = db.org(&bob, "Beta Group").await;
    let e = db.org(&eve, "Epsilon Network").await;
    let c = db.collab(&a, &ann, "Shared food hub", T0).await;

    let mut tx = db.store.read().await.unwrap();
    // Organisations: the creator is admin; others have no scope.
    assert_eq!(
        tx.org_scope(ann.id, a.id).await.unwrap().unwrap().role(),
        OrgRole::Admin
    );
    assert!(tx.org_scope(bob.id, a.id).await.unwrap().is_none());
    assert!(tx.org_scope(ann.id, 9_999_999).await.unwrap().is_none());
    // Collaborations: the lead's member sees it, nobody else does.
    let scope = tx
        .collab_scope(ann.id, c)
        .await
        .unwrap()
        .expect("the opener sees it");
    assert_eq!(scope.collaboration_id(), c);
    assert_eq!(scope.participations().len(), 1);
    assert_eq!(scope.participations()[0].organisation_id, a.id);
    assert_eq!(
        scope.participations()[0].participant_role,
        ParticipantRole::Lead
    );
    assert_eq!(scope.participations()[0].org_role, OrgRole::Admin);
    assert!(tx.collab_scope(bob.id, c).await.unwrap().is_none());
    assert!(tx.collab_scope(eve.id, c).await.unwrap().is_none());
    assert!(tx.collab_scope(ann.id, c + 1000).await.unwrap().is_none());
    drop(tx);

    // An invitation alone gives no access; accepting does.
    let inv = db.invite(&ann, &a, c, &b, T0 + 1).await.unwrap();
    let mut tx = db.store.read().await.unwrap();
    assert!(
        tx.collab_scope(bob.id, c).await.unwrap().is_none(),
        "a pending invitation is not access"
    );
    drop(tx);
    db.answer(&inv, &bob, true, T0 + 2).await;
    let mut tx = db.store.read().await.unwrap();
    let bob_scope = tx.collab_scope(bob.id, c).await.unwrap().expect("accepted");
    assert_eq!(
        bob_scope.participations()[0].participant_role,
        ParticipantRole::Partner
    );
    assert!(
        tx.collab_scope(eve.id, c).await.unwrap().is_none(),
        "still nothing for an outsider"
    );
    drop(tx);

    // A member of the lead organisation gets the lead participation with
    // their own (member) role; a person in two taking-part organisations
    // gets both.
    db.join(&a, &eve, OrgRole::Member).await;
    db.join(&b, &ann, OrgRole::Member).await;
    let mut tx = db.store.read().await.unwrap();
    let eve_scope = tx
        .collab_scope(eve.id, c)
        .await
        .unwrap()
        .expect("member of the lead");
    assert_eq!(eve_scope.participations().len(), 1);
    assert_eq!(eve_scope.participations()[0].org_role, OrgRole::Member);
    let ann_scope = tx.collab_scope(ann.id, c).await.unwrap().unwrap();
    let mut orgs: Vec<i64> = ann_scope
        .participations()
        .iter()
        .map(|p| p.organisation_id)
        .collect();
    orgs.sort();
    let mut expected = vec![a.id, b.id];
    expected.sort();
    assert_eq!(orgs, expected);
    // Epsilon itself still takes no part.
    assert!(tx.org_scope(eve.id, e.id).await.unwrap().is_some());
}

/// The collaboration page's one read gives the same proof of access, the
/// same collaboration and the same participants as the separate reads.
#[tokio::test]
async fn the_collaboration_read_with_its_proof_matches_the_separate_reads() {
    let db = db().await;
    let ann = db.user("Ann Lead").await;
    let bob = db.user("Bob Partner").await;
    let eve = db.user("Eve Outsider").await;
    let a = db.org(&ann, "Alpha Trust").await;
    let b = db.org(&bob, "Beta Group").await;
    db.org(&eve, "Epsilon Network").await;
    let shared = db.collab(&a, &ann, "Shared work", T0).await;
    let inv = db.invite(&ann, &a, shared, &b, T0 + 1).await.unwrap();
    db.answer(&inv, &bob, true, T0 + 2).await;
    // Ann belongs to both, as a member of Beta.
    db.join(&b, &ann, OrgRole::Member).await;

    let mut tx = db.store.read().await.unwrap();
    for who in [&ann, &bob] {
        let (scope, collaboration, participants) = tx
            .collaboration_for_member(who.id, shared)
            .await
            .unwrap()
            .expect("a participant sees it");
        let separate = tx.collab_scope(who.id, shared).await.unwrap().unwrap();
        assert_eq!(scope.collaboration_id(), shared);
        assert_eq!(scope.participations(), separate.participations());
        let alone = tx.collaboration(&separate).await.unwrap();
        assert_eq!(collaboration.title, alone.title);
        assert_eq!(collaboration.purpose, alone.purpose);
        assert_eq!(collaboration.stage, alone.stage);
        assert_eq!(collaboration.updated_at, alone.updated_at);
        let listed = tx.participants(&separate).await.unwrap();
        let pairs = |ps: &[commonground_store::collaborations::Participant]| {
            ps.iter()
                .map(|p| (p.organisation_id, p.name.clone(), p.role, p.joined_at))
                .collect::<Vec<_>>()
        };
        assert_eq!(pairs(&participants), pairs(&listed));
        assert_eq!(participants.len(), 2);
    }
    assert_eq!(
        tx.collab_scope(ann.id, shared)
            .await
            .unwrap()
            .unwrap()
            .participations()
            .len(),
        2,
        "Ann takes part through both of her organisations"
    );
    // Outsiders and ids that do not exist get nothing at all.
    assert!(
        tx.collaboration_for_member(eve.id, shared)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        tx.collaboration_for_member(ann.id, shared + 1000)
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn my_collaborations_pages_without_gaps_or_repeats() {
    let db = db().await;
    let ann = db.user("Ann Lead").await;
    let bob = db.user("Bob Partner").await;
    let eve = db.user("Eve Outsider").await;
    let a = db.org(&ann, "Alpha Trust").await;
    let b = db.org(&bob, "Beta Group").await;
    db.org(&eve, "Epsilon Network").await;

    let mut led = Vec::new();
    for i in 0..5 {
        led.push(
            db.collab(&a, &ann, &format!("Alpha collaboration {i}"), T0 + i)
                .await,
        );
    }
    // Beta leads one and invites Alpha, which accepts (this touches it last).
    let shared = db.collab(&b, &bob, "Beta shared work", T0 + 10).await;
    let inv = db.invite(&bob, &b, shared, &a, T0 + 11).await.unwrap();
    db.answer(&inv, &ann, true, T0 + 12).await;
    // Ann also joins Beta: the shared collaboration must still appear once.
    db.join(&b, &ann, OrgRole::Member).await;

    let mut tx = db.store.read().await.unwrap();
    let mut seen = Vec::new();
    let mut offset = 0;
    loop {
        let (page, total) = tx.my_collaborations(ann.id, 2, offset).await.unwrap();
        assert_eq!(total, 6, "each collaboration counted once");
        if page.is_empty() {
            break;
        }
        assert!(page.len() <= 2);
        seen.extend(page);
        offset += 2;
    }
    let ids: Vec<i64> = seen.iter().map(|s| s.id).collect();
    let mut expected = vec![shared];
    expected.extend(led.iter().rev());
    assert_eq!(
        ids, expected,
        "most recently changed first, no gaps, no repeats"
    );

    let shared_summary = &seen[0];
    assert_eq!(shared_summary.title, "Beta shared work");
    let names: Vec<(&str, ParticipantRole)> = shared_summary
        .participants
        .iter()
        .map(|p| (p.name.as_str(), p.role))
        .collect();
    assert_eq!(
        names,
        vec![
            ("Beta Group", ParticipantRole::Lead),
            ("Alpha Trust", ParticipantRole::Partner)
        ]
    );
    for s in &seen[1..] {
        assert_eq!(s.participants.len(), 1);
        assert_eq!(s.participants[0].organisation_id, a.id);
    }

    // Bob sees only the one Beta takes part in; the outsider sees nothing.
    let (bobs, total) = tx.my_collaborations(bob.id, 10, 0).await.unwrap();
    assert_eq!(total, 1);
    assert_eq!(bobs.iter().map(|s| s.id).collect::<Vec<_>>(), vec![shared]);
    let (eves, total) = tx.my_collaborations(eve.id, 10, 0).await.unwrap();
    assert!(eves.is_empty());
    assert_eq!(total, 0);
    // Past the end is an empty page, not an error.
    let (past, total) = tx.my_collaborations(ann.id, 2, 100).await.unwrap();
    assert!(past.is_empty());
    assert_eq!(total, 6);
}

/// "My collaborations" is read from a per-organisation copy of each
/// collaboration's time of change. Every kind of change must move it, and
/// pages far back (which sort the whole list instead) must agree.
#[tokio::test]
async fn my_collaborations_follow_every_change_and_page_far_back() {
    use commonground_domain::stage::Stage;
    let db = db().await;
    let ann = db.user("Ann Lead").await;
    let bob = db.user("Bob Partner").await;
    let a = db.org(&ann, "Alpha Trust").await;
    let b = db.org(&bob, "Beta Group").await;
    db.join(&b, &ann, OrgRole::Member).await;

    // 1,010 collaborations in one go: Alpha leads the even ones, Beta the odd.
    let details = CollaborationDetails::parse("Bulk", "Many at once.").unwrap();
    let mut tx = db.store.write().await.unwrap();
    let mut all = Vec::new();
    for i in 0..1010 {
        let lead = if i % 2 == 0 { a.id } else { b.id };
        let by = if i % 2 == 0 { ann.id } else { bob.id };
        let c = tx
            .create_collaboration(lead, &details, by, T0 + i)
            .await
            .unwrap();
        all.push(c.id);
    }
    tx.commit().await.unwrap();
    // Newest first.
    all.reverse();

    let ids_of = |page: &[commonground_store::collaborations::CollabSummary]| {
        page.iter().map(|s| s.id).collect::<Vec<i64>>()
    };
    let mut tx = db.store.read().await.unwrap();
    let (first, total) = tx.my_collaborations(ann.id, 10, 0).await.unwrap();
    assert_eq!(total, 1010);
    assert_eq!(ids_of(&first), all[..10].to_vec());
    // Far back: 995 + 10 is past what is merged per organisation, so the
    // whole list is sorted instead; the answer must be the same list.
    let (far, total) = tx.my_collaborations(ann.id, 10, 995).await.unwrap();
    assert_eq!(total, 1010);
    assert_eq!(ids_of(&far), all[995..1005].to_vec());
    let (last, _) = tx.my_collaborations(ann.id, 10, 1005).await.unwrap();
    assert_eq!(ids_of(&last), all[1005..].to_vec());
    drop(tx);

    // Renaming the oldest brings it to the top, for both its viewers.
    let oldest = *all.last().unwrap();
    let mut w = db.store.write().await.unwrap();
    let scope = w.collab_scope(ann.id, oldest).await.unwrap().unwrap();
    let renamed = CollaborationDetails::parse("Renamed", "Still many.").unwrap();
    w.update_collaboration_details(&scope, &renamed, T0 + 5000)
        .await
        .unwrap();
    w.commit().await.unwrap();
    let mut tx = db.store.read().await.unwrap();
    let (top, _) = tx.my_collaborations(ann.id, 3, 0).await.unwrap();
    assert_eq!(ids_of(&top), vec![oldest, all[0], all[1]]);
    assert_eq!(top[0].title, "Renamed");
    assert_eq!(top[0].updated_at, T0 + 5000);
    drop(tx);

    // Moving the stage of another brings that one to the top.
    let middle = all[500];
    let mut w = db.store.write().await.unwrap();
    let scope = w.collab_scope(ann.id, middle).await.unwrap().unwrap();
    assert!(
        w.set_stage(&scope, Stage::Identify, Stage::Plan, T0 + 6000)
            .await
            .unwrap()
    );
    w.commit().await.unwrap();
    let mut tx = db.store.read().await.unwrap();
    let (top, total) = tx.my_collaborations(ann.id, 2, 0).await.unwrap();
    assert_eq!(ids_of(&top), vec![middle, oldest]);
    assert_eq!(total, 1010);
    // The far pages moved with it: nothing lost or repeated anywhere.
    let mut seen = Vec::new();
    for offset in (0..1010).step_by(200) {
        let (page, _) = tx.my_collaborations(ann.id, 200, offset).await.unwrap();
        seen.extend(ids_of(&page));
    }
    let (tail, _) = tx.my_collaborations(ann.id, 10, 1000).await.unwrap();
    assert_eq!(seen.len(), 1010);
    assert_eq!(&seen[1000..], ids_of(&tail).as_slice());
    let mut sorted = seen.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted.len(), 1010, "each collaboration once");
    // Bob sees only Beta's half, also in order of change.
    let (bobs, total) = tx.my_collaborations(bob.id, 3, 0).await.unwrap();
    assert_eq!(total, 505);
    let odd: Vec<i64> = all
        .iter()
        .copied()
        .filter(|id| *id != middle && *id != oldest)
        .filter(|id| (id - all.last().unwrap()) % 2 == 1)
        .take(3)
        .collect();
    let expected_top = if (middle - all.last().unwrap()) % 2 == 1 {
        vec![middle, odd[0], odd[1]]
    } else {
        odd
    };
    assert_eq!(ids_of(&bobs), expected_top);
}

/// A person in very many organisations (more than are merged one by one)
/// gets the same answer from the whole-list sort.
#[tokio::test]
async fn my_collaborations_for_a_member_of_many_organisations() {
    let db = db().await;
    let ann = db.user("Ann Many").await;
    let details = CollaborationDetails::parse("One each", "Every organisation leads one.").unwrap();
    let mut tx = db.store.write().await.unwrap();
    let mut newest_first = Vec::new();
    for i in 0..70 {
        let org = tx
            .create_organisation(
                &profile(&format!("Organisation {i:02}"), "community_group", "", ""),
                ann.id,
                T0,
            )
            .await
            .unwrap();
        // Alternate old and new, so the order is not the order of creation.
        let at = if i % 2 == 0 { T0 + i } else { T0 + 1000 - i };
        let c = tx
            .create_collaboration(org.id, &details, ann.id, at)
            .await
            .unwrap();
        newest_first.push((at, c.id));
    }
    tx.commit().await.unwrap();
    newest_first.sort_by(|a, b| b.cmp(a));
    let expected: Vec<i64> = newest_first.iter().map(|(_, id)| *id).collect();

    let mut tx = db.store.read().await.unwrap();
    let mut seen = Vec::new();
    for offset in (0..70).step_by(25) {
        let (page, total) = tx.my_collaborations(ann.id, 25, offset).await.unwrap();
        assert_eq!(total, 70);
        seen.extend(page.iter().map(|s| s.id));
    }
    assert_eq!(seen, expected);
}

#[tokio::test]
async fn find_organisations_matches_prefixes_and_org_ids_literally() {
    let db = db().await;
    let u = db.user("Finder Person").await;
    db.org_with(
        &u,
        "Riverside Food Bank",
        "registered_charity",
        "1234567",
        "",
    )
    .await
    .unwrap();
    for name in [
        "riverside Youth",
        "River Trust",
        "100% Community",
        "1000 Voices",
        "A_B Trust",
        "AxB Trust",
        "Ünited Neighbours",
        "Über Hilfe",
        "Élan Arts",
        "Zebra Crossing Group",
    ] {
        db.org(&u, name).await;
    }
    db.org_with(&u, "Social Bridges", "cic", "", "SC123456")
        .await
        .unwrap();

    let mut tx = db.store.read().await.unwrap();
    let mut find = async |text: &str| -> Vec<String> {
        let found = tx
            .find_organisations(text, 20)
            .await
            .unwrap_or_else(|e| panic!("{text:?}: {e}"));
        found.into_iter().map(|o| o.name).collect()
    };
    assert_eq!(
        find("river").await,
        vec!["River Trust", "Riverside Food Bank", "riverside Youth"]
    );
    assert_eq!(
        find("RIVERSIDE").await,
        vec!["Riverside Food Bank", "riverside Youth"]
    );
    assert_eq!(find("  riverside f ").await, vec!["Riverside Food Bank"]);
    // % and _ are ordinary characters, not wildcards.
    assert_eq!(find("100%").await, vec!["100% Community"]);
    assert_eq!(find("100").await, vec!["100% Community", "1000 Voices"]);
    assert!(find("10%").await.is_empty(), "% must not match anything");
    assert!(find("%").await.is_empty());
    assert_eq!(find("a_b").await, vec!["A_B Trust"]);
    assert!(find("_").await.is_empty());
    // Letters outside ASCII, in either case.
    assert_eq!(find("ün").await, vec!["Ünited Neighbours"]);
    assert_eq!(find("ÜNITED").await, vec!["Ünited Neighbours"]);
    assert_eq!(find("über").await, vec!["Über Hilfe"]);
    assert_eq!(find("élan").await, vec!["Élan Arts"]);
    assert!(
        !find("u").await.iter().any(|n| n.starts_with('Ü')),
        "ü is not u"
    );
    // Org-ids, in any case, with spaces around.
    assert_eq!(find("GB-CHC-1234567").await, vec!["Riverside Food Bank"]);
    assert_eq!(find(" gb-chc-1234567 ").await, vec!["Riverside Food Bank"]);
    assert_eq!(find("gb-coh-sc123456").await, vec!["Social Bridges"]);
    assert!(
        find("GB-CHC-123456").await.is_empty(),
        "org-ids match whole"
    );
    // Nothing to look for, or text a database might choke on.
    assert!(find("").await.is_empty());
    assert!(find("   ").await.is_empty());
    assert!(find("river\0side").await.is_empty());
    assert!(find("\u{10FFFF}").await.is_empty());
    assert!(find("zzzz").await.is_empty());
    // The limit holds.
    let two = tx.find_organisations("r", 2).await.unwrap();
    assert_eq!(two.len(), 2);
}

#[tokio::test]
async fn org_identifiers_are_unique() {
    let db = db().await;
    let u = db.user("Una Unique").await;
    let first = db
        .org_with(&u, "First Charity", "registered_charity", "1234567", "")
        .await
        .unwrap();
    assert_eq!(first.org_identifier.as_deref(), Some("GB-CHC-1234567"));
    let again = db
        .org_with(&u, "Second Charity", "registered_charity", "1234567", "")
        .await;
    let err = again.expect_err("the same charity number twice");
    assert!(err.is_conflict_on("org_identifier"), "{err}");
    // A CIC gets its org-id from the company number.
    let cic = db
        .org_with(&u, "Company Kind", "cic", "", "123")
        .await
        .unwrap();
    assert_eq!(cic.org_identifier.as_deref(), Some("GB-COH-00000123"));
    // Organisations without a number do not clash with each other.
    db.org(&u, "Group One").await;
    db.org(&u, "Group Two").await;
    // Changing a profile to a number already taken is refused too.
    let mut tx = db.store.write().await.unwrap();
    let scope = tx.org_scope(u.id, cic.id).await.unwrap().unwrap();
    let err = tx
        .update_organisation(
            &scope,
            &profile("Company Kind", "registered_charity", "1234567", ""),
            T0 + 5,
        )
        .await
        .expect_err("taken");
    assert!(err.is_conflict_on("org_identifier"), "{err}");
    drop(tx);
    let mut tx = db.store.read().await.unwrap();
    assert_eq!(tx.count_organisations().await.unwrap(), 4);
    let kept = tx.organisation(cic.id).await.unwrap().unwrap();
    assert_eq!(
        kept.org_identifier.as_deref(),
        Some("GB-COH-00000123"),
        "nothing was changed"
    );
}

#[tokio::test]
async fn one_pending_invitation_per_organisation() {
    let db = db().await;
    let ann = db.user("Ann Lead").await;
    let bob = db.user("Bob Partner").await;
    let a = db.org(&ann, "Alpha Trust").await;
    let b = db.org(&bob, "Beta Group").await;
    let c = db.collab(&a, &ann, "First collaboration", T0).await;
    let d = db.collab(&a, &ann, "Second collaboration", T0).await;

    let first = db
        .invite(&ann, &a, c, &b, T0 + 1)
        .await
        .expect("first invitation");
    assert_eq!(first.status, InvitationStatus::Pending);
    assert_eq!(first.invited_by_organisation_name, "Alpha Trust");
    assert_eq!(
        db.invite(&ann, &a, c, &b, T0 + 2).await.unwrap_err(),
        InviteProblem::AlreadyInvited
    );
    // The rule is per collaboration.
    db.invite(&ann, &a, d, &b, T0 + 3)
        .await
        .expect("another collaboration may invite");
    // Once declined, a new invitation may be sent.
    db.answer(&first, &bob, false, T0 + 4).await;
    let second = db
        .invite(&ann, &a, c, &b, T0 + 5)
        .await
        .expect("after a decline");
    // An answered invitation cannot be answered again.
    let mut tx = db.store.write().await.unwrap();
    assert_eq!(
        tx.answer_invitation(&first, true, bob.id, T0 + 6)
            .await
            .unwrap(),
        Err(InviteProblem::AlreadyAnswered)
    );
    drop(tx);
    db.answer(&second, &bob, true, T0 + 7).await;
    assert_eq!(
        db.invite(&ann, &a, c, &b, T0 + 8).await.unwrap_err(),
        InviteProblem::AlreadyParticipating
    );

    let mut tx = db.store.read().await.unwrap();
    let scope = tx.collab_scope(ann.id, c).await.unwrap().unwrap();
    let sent = tx.collaboration_invitations(&scope).await.unwrap();
    let statuses: Vec<InvitationStatus> = sent.iter().map(|i| i.status).collect();
    assert_eq!(
        statuses,
        vec![InvitationStatus::Accepted, InvitationStatus::Declined]
    );
    // Bob's pending list holds only the other collaboration's invitation.
    let pending = tx.pending_invitations_for_admin(bob.id).await.unwrap();
    assert_eq!(
        pending
            .iter()
            .map(|i| i.collaboration_id)
            .collect::<Vec<_>>(),
        vec![d]
    );
    assert!(
        tx.pending_invitations_for_admin(ann.id)
            .await
            .unwrap()
            .is_empty()
    );
    // The invitation is visible to Beta's members only.
    assert!(
        tx.invitation_for_member(bob.id, second.id)
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        tx.invitation_for_member(ann.id, second.id)
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn a_password_reset_link_is_used_once() {
    let db = db().await;
    let u = db.user("Rosa Reset").await;
    let mut tx = db.store.write().await.unwrap();
    let first = tx.create_password_reset(u.id, T0).await.unwrap();
    let second = tx.create_password_reset(u.id, T0).await.unwrap();
    let late = tx.create_password_reset(u.id, T0 + 100).await.unwrap();
    tx.commit().await.unwrap();

    let mut tx = db.store.write().await.unwrap();
    assert_eq!(
        tx.password_reset_user(&first, T0 + 10).await.unwrap(),
        Some(u.id),
        "looking does not use it"
    );
    assert_eq!(
        tx.password_reset_user(&first, T0 + 10).await.unwrap(),
        Some(u.id)
    );
    assert_eq!(
        tx.consume_password_reset(&first, T0 + 10).await.unwrap(),
        Some(u.id)
    );
    assert_eq!(
        tx.consume_password_reset(&first, T0 + 11).await.unwrap(),
        None,
        "single use"
    );
    assert_eq!(
        tx.consume_password_reset(&second, T0 + 12).await.unwrap(),
        None,
        "using one ends the others"
    );
    assert_eq!(tx.password_reset_user(&late, T0 + 12).await.unwrap(), None);
    assert_eq!(
        tx.consume_password_reset("not-a-token", T0).await.unwrap(),
        None
    );
    tx.commit().await.unwrap();

    // Links expire after an hour.
    let mut tx = db.store.write().await.unwrap();
    let fresh = tx.create_password_reset(u.id, T0 + 1000).await.unwrap();
    assert_eq!(
        tx.password_reset_user(&fresh, T0 + 1000 + PASSWORD_RESET_SECONDS - 1)
            .await
            .unwrap(),
        Some(u.id)
    );
    assert_eq!(
        tx.consume_password_reset(&fresh, T0 + 1000 + PASSWORD_RESET_SECONDS)
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        tx.consume_password_reset(&fresh, T0 + 1000 + PASSWORD_RESET_SECONDS - 1)
            .await
            .unwrap(),
        Some(u.id)
    );
    tx.commit().await.unwrap();
}

/// Every signed-in page reads the session with the person's organisations
/// in one statement: all of them, by name, with the person's role in each,
/// and none for someone who belongs to none.
#[tokio::test]
async fn a_session_comes_with_the_persons_organisations_by_name() {
    let db = db().await;
    let ann = db.user("Ann Many").await;
    let bob = db.user("Bob None").await;
    let zeta = db.org(&ann, "Zeta Trust").await;
    let alpha = db.org(&bob, "alpha group").await;
    db.join(&alpha, &ann, OrgRole::Member).await;
    let lone = db.user("Lone Person").await;
    let mut tx = db.store.write().await.unwrap();
    let ann_session = tx.create_session(ann.id, Some(zeta.id), T0).await.unwrap();
    let lone_session = tx.create_session(lone.id, None, T0).await.unwrap();
    tx.commit().await.unwrap();

    let mut tx = db.store.read().await.unwrap();
    let (session, orgs) = tx
        .session_with_organisations(&ann_session, T0 + 1)
        .await
        .unwrap()
        .expect("live");
    assert_eq!(session.user_id, ann.id);
    assert_eq!(session.acting_organisation_id, Some(zeta.id));
    let seen: Vec<(i64, &str, OrgRole)> = orgs
        .iter()
        .map(|o| (o.id, o.name.as_str(), o.role))
        .collect();
    assert_eq!(
        seen,
        vec![
            (alpha.id, "alpha group", OrgRole::Member),
            (zeta.id, "Zeta Trust", OrgRole::Admin)
        ],
        "by name whatever the case, each with Ann's role"
    );
    let (session, orgs) = tx
        .session_with_organisations(&lone_session, T0 + 1)
        .await
        .unwrap()
        .expect("a person in no organisation still has a session");
    assert_eq!(session.user_id, lone.id);
    assert!(orgs.is_empty());
    assert!(
        tx.session_with_organisations(&ann_session, T0 + SESSION_IDLE_SECONDS)
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn sessions_expire_when_idle_and_end_when_deleted() {
    let db = db().await;
    let u = db.user("Sid Session").await;
    let other = db.user("Ola Other").await;
    let mut tx = db.store.write().await.unwrap();
    let a = tx.create_session(u.id, None, T0).await.unwrap();
    let b = tx.create_session(u.id, None, T0).await.unwrap();
    let o = tx.create_session(other.id, None, T0).await.unwrap();
    tx.commit().await.unwrap();
    assert_ne!(a, b);

    let mut tx = db.store.write().await.unwrap();
    let s = tx.session(&a, T0 + 1).await.unwrap().expect("live");
    assert_eq!(s.user_id, u.id);
    assert_eq!(s.email, u.email);
    assert_eq!(s.csrf_token.len(), 64);
    assert_ne!(s.csrf_token, a, "the form token is not the session secret");
    assert!(tx.session("no-such-session", T0).await.unwrap().is_none());
    // Idle too long: gone.
    assert!(
        tx.session(&a, T0 + SESSION_IDLE_SECONDS)
            .await
            .unwrap()
            .is_none()
    );
    // Used after an hour: extended from then.
    let later = T0 + 7200;
    let seen = tx.session(&b, later).await.unwrap().unwrap();
    tx.touch_session(&b, &seen, later).await.unwrap();
    assert!(
        tx.session(&b, T0 + SESSION_IDLE_SECONDS + 100)
            .await
            .unwrap()
            .is_some(),
        "extended"
    );
    assert!(
        tx.session(&b, later + SESSION_IDLE_SECONDS)
            .await
            .unwrap()
            .is_none()
    );
    tx.commit().await.unwrap();

    // Expired sessions are swept; live ones stay.
    let mut tx = db.store.write().await.unwrap();
    assert!(
        tx.sweep_expired(T0 + SESSION_IDLE_SECONDS + 100)
            .await
            .unwrap()
            >= 2
    );
    assert!(
        tx.session(&b, T0 + SESSION_IDLE_SECONDS + 100)
            .await
            .unwrap()
            .is_some()
    );
    tx.commit().await.unwrap();

    // Signing out one session, then everywhere.
    let mut tx = db.store.write().await.unwrap();
    let c = tx.create_session(u.id, None, T0).await.unwrap();
    tx.delete_session(&c).await.unwrap();
    assert!(tx.session(&c, T0).await.unwrap().is_none());
    let d = tx.create_session(u.id, None, T0).await.unwrap();
    let o2 = tx.create_session(other.id, None, T0).await.unwrap();
    tx.delete_sessions_of(u.id).await.unwrap();
    assert!(tx.session(&d, T0).await.unwrap().is_none());
    assert!(tx.session(&b, T0 + 7200).await.unwrap().is_none());
    assert!(
        tx.session(&o2, T0).await.unwrap().is_some(),
        "other people stay signed in"
    );
    tx.commit().await.unwrap();
    let _ = o;
}

#[tokio::test]
async fn sign_in_failures_are_counted_per_scope_key_and_window() {
    let db = db().await;
    let mut tx = db.store.write().await.unwrap();
    for i in 0..3 {
        tx.record_failed_sign_in("account", "ann@example.org", T0 + i)
            .await
            .unwrap();
    }
    tx.record_failed_sign_in("address", "ann@example.org", T0)
        .await
        .unwrap();
    tx.record_failed_sign_in("account", "bob@example.org", T0)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let mut tx = db.store.write().await.unwrap();
    assert_eq!(
        tx.count_failed_sign_ins("account", "ann@example.org", T0 - 1)
            .await
            .unwrap(),
        3
    );
    assert_eq!(
        tx.count_failed_sign_ins("account", "ann@example.org", T0)
            .await
            .unwrap(),
        2,
        "only after `since`"
    );
    assert_eq!(
        tx.count_failed_sign_ins("address", "ann@example.org", T0 - 1)
            .await
            .unwrap(),
        1
    );
    tx.clear_failed_sign_ins("account", "ann@example.org")
        .await
        .unwrap();
    assert_eq!(
        tx.count_failed_sign_ins("account", "ann@example.org", T0 - 1)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        tx.count_failed_sign_ins("account", "bob@example.org", T0 - 1)
            .await
            .unwrap(),
        1
    );
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn a_write_that_is_not_committed_leaves_nothing() {
    let db = db().await;
    let u = db.user("Rolf Rollback").await;
    {
        let mut tx = db.store.write().await.unwrap();
        tx.create_organisation(&profile("Never Saved", "community_group", "", ""), u.id, T0)
            .await
            .unwrap();
        // Dropped without commit.
    }
    let mut tx = db.store.read().await.unwrap();
    assert_eq!(tx.count_organisations().await.unwrap(), 0);
    assert!(tx.organisations_of(u.id).await.unwrap().is_empty());
}

/// The access tests skip reading a world back when the database's contents
/// are unchanged, so those contents must move with every committed change
/// to any row, however small, and with nothing else.
#[tokio::test]
async fn the_databases_contents_move_with_every_kept_change_and_nothing_else() {
    let db = db().await;
    let contents = async || {
        let mut tx = db.store.read().await.unwrap();
        testing::contents(&mut tx).await.unwrap()
    };
    let line = |all: &str, table: &str| -> String {
        let found: Vec<&str> = all
            .lines()
            .filter(|l| l.split(' ').next() == Some(table))
            .collect();
        assert_eq!(found.len(), 1, "one line for {table} in:\n{all}");
        found[0].to_string()
    };
    let empty = contents().await;
    // One line per table, the record of migrations left out.
    for table in ["users", "organisations", "memberships", "audit_events"] {
        line(&empty, table);
    }
    assert!(!empty.lines().any(|l| l.starts_with("_sqlx_migrations ")));
    assert_eq!(contents().await, empty, "reading changes nothing");

    let ann = db.user("Ann Lead").await;
    let with_ann = contents().await;
    assert_ne!(line(&with_ann, "users"), line(&empty, "users"));
    assert_eq!(
        line(&with_ann, "organisations"),
        line(&empty, "organisations")
    );

    let a = db.org(&ann, "Alpha Trust").await;
    let with_org = contents().await;
    assert_ne!(
        line(&with_org, "organisations"),
        line(&with_ann, "organisations")
    );
    assert_ne!(
        line(&with_org, "memberships"),
        line(&with_ann, "memberships")
    );

    // A change that is not committed moves nothing.
    let mut tx = db.store.write().await.unwrap();
    let scope = tx.org_scope(ann.id, a.id).await.unwrap().unwrap();
    let mut p = profile("Alpha Trust", "community_group", "", "");
    p.mission = "Feeding people.".to_string();
    tx.update_organisation(&scope, &p, T0 + 1).await.unwrap();
    drop(tx);
    assert_eq!(contents().await, with_org);

    // One field of one row, kept, moves that table's line.
    let mut tx = db.store.write().await.unwrap();
    tx.update_organisation(&scope, &p, T0 + 1).await.unwrap();
    tx.commit().await.unwrap();
    let changed = contents().await;
    assert_ne!(
        line(&changed, "organisations"),
        line(&with_org, "organisations")
    );
    assert_eq!(line(&changed, "users"), line(&with_org, "users"));
    assert_eq!(contents().await, changed);
}

/// The demo fills the Identify stage too: the demo person's collaborations
/// have a readiness round with enough people answering to show results,
/// from more than one person per organisation.
#[tokio::test]
async fn the_demo_takes_the_readiness_check() {
    let db = demo_db(1_700_000_000).await;
    let store = &db.store;
    let mut tx = store.read().await.unwrap();
    let (mine, _) = tx.my_collaborations(1, 100, 0).await.unwrap();
    let collabs: Vec<i64> = mine.iter().map(|c| c.id).collect();
    assert!(!collabs.is_empty());
    let mut shown = 0;
    let mut shortlisted = 0;
    for c in collabs {
        let scope = tx
            .collab_scope(1, c)
            .await
            .unwrap()
            .expect("the demo person takes part");
        // Shortlists: named entries, each with its notes, the newest
        // saying the entry's status; the first always "Added".
        for e in tx.shortlist(&scope).await.unwrap() {
            shortlisted += 1;
            assert!(!e.name.is_empty() && !e.taking_part, "{e:?}");
            assert_eq!(
                e.entry_key,
                e.org_identifier
                    .clone()
                    .unwrap_or(format!("ORG-{}", e.organisation_id.unwrap()))
            );
            assert_eq!(e.notes[0].status, e.status);
            assert_eq!(e.notes.last().unwrap().note, "Added to the shortlist.");
            assert!(e.notes.iter().all(|n| !n.written_by_name.is_empty()));
        }
        let rounds = tx.readiness_rounds(&scope).await.unwrap();
        // A next cycle (the demo has one) starts afresh, before the check.
        if tx.cycle_links(&scope).await.unwrap().0.is_some() {
            assert!(rounds.is_empty(), "collaboration {c}");
            continue;
        }
        assert_eq!(rounds.len(), 1, "collaboration {c}");
        let (people, rows) = tx.readiness_totals(&rounds[0]).await.unwrap();
        assert!(people >= 2, "collaboration {c}: {people} people answered");
        assert!(
            rows.iter()
                .all(|r| r.sum <= 5 * r.count && r.sum >= r.count)
        );
        if people >= 3 {
            shown += 1;
        }
    }
    assert!(shown > 0, "no demo collaboration has results to show");
    assert!(shortlisted > 0, "no demo collaboration has a shortlist");
}

/// A round's revision goes up with every saved answer, new or changed, in
/// the same transaction: servers keep a round's combined results by it.
#[tokio::test]
async fn a_rounds_revision_follows_every_change_to_its_answers() {
    let db = demo_db(1_700_000_000).await;
    let store = &db.store;
    let mut tx = store.read().await.unwrap();
    let (mine, _) = tx.my_collaborations(1, 1, 0).await.unwrap();
    let c = mine[0].id;
    let scope = tx.collab_scope(1, c).await.unwrap().unwrap();
    let round = tx.readiness_rounds(&scope).await.unwrap().remove(0);
    let instrument = tx.readiness_instrument(round.instrument_id).await.unwrap();
    let org = scope.participations()[0].organisation_id;
    drop(tx);
    let statements: Vec<i64> = instrument
        .factors()
        .flat_map(|(_, f)| f.statements.iter().map(|s| s.id))
        .take(3)
        .collect();
    let revision = |store: &commonground_store::Store| {
        let store = store.clone();
        async move {
            let mut tx = store.read().await.unwrap();
            let scope = tx.collab_scope(1, c).await.unwrap().unwrap();
            tx.readiness_rounds(&scope)
                .await
                .unwrap()
                .remove(0)
                .revision
        }
    };
    let mut last = revision(store).await;
    for values in [
        [Some(4), None, Some(1)],
        [Some(4), None, Some(1)],
        [Some(2), Some(5), None],
    ] {
        let answers: Vec<(i64, Option<u8>)> = statements.iter().copied().zip(values).collect();
        let mut tx = store.write().await.unwrap();
        tx.save_readiness_answers(&round, 1, org, &answers, 1_700_000_100)
            .await
            .unwrap();
        // Inside the transaction already, and after it commits.
        let inside = tx
            .readiness_rounds(&scope)
            .await
            .unwrap()
            .remove(0)
            .revision;
        tx.commit().await.unwrap();
        let now = revision(store).await;
        assert!(
            now > last,
            "revision {last} then {now} after saving {values:?}"
        );
        assert_eq!(inside, now);
        last = now;
    }
    // Another round's answers leave this round's revision alone.
    let mut tx = store.write().await.unwrap();
    let next = tx
        .open_readiness_round(&scope, 1, 1_700_000_200)
        .await
        .unwrap();
    assert_eq!(next.revision, 0);
    tx.save_readiness_answers(&next, 1, org, &[(statements[0], Some(3))], 1_700_000_300)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let mut tx = store.read().await.unwrap();
    let rounds = tx.readiness_rounds(&scope).await.unwrap();
    assert_eq!((rounds[0].id, rounds[0].revision), (next.id, 1));
    assert_eq!((rounds[1].id, rounds[1].revision), (round.id, last));
}

/// The demo's action plans: the demo person's first collaboration has 500
/// tasks in five workstreams; every other collaboration in Implement or
/// later has 10 to 40; no plan has a loop; some tasks are done and some
/// overdue; a done task waiting for an open one says why.
#[tokio::test]
async fn the_demo_has_action_plans_without_loops() {
    use commonground_domain::tasks::find_cycle;
    use commonground_store::tasks::{Page, TaskFilter};
    let db = demo_db(1_700_000_000).await;
    let store = &db.store;
    let mut tx = store.read().await.unwrap();
    let (mine, _) = tx.my_collaborations(1, 200, 0).await.unwrap();
    let mut checked = 0;
    for c in mine {
        let scope = tx.collab_scope(1, c.id).await.unwrap().unwrap();
        let all = Page {
            number: 1,
            size: 1000,
        };
        let (total, tasks) = tx
            .tasks(&scope, &TaskFilter::default(), "2023-11-14", all)
            .await
            .unwrap();
        if c.stage < commonground_domain::stage::Stage::Implement {
            assert_eq!(total, 0, "collaboration {} is not under way", c.id);
            continue;
        }
        checked += 1;
        let streams = tx.workstreams(&scope).await.unwrap().len();
        // Recurring tasks' own tasks come on top (see
        // the_demo_has_recurring_tasks).
        let total = total - tasks.iter().filter(|t| t.series_id.is_some()).count() as i64;
        if c.id == 1 {
            assert_eq!((total, streams), (500, 5));
        } else {
            assert!((10..=40).contains(&total), "{total} tasks");
            assert!((2..=3).contains(&streams));
        }
        let edges = tx.dependency_edges(&scope).await.unwrap();
        assert!(!edges.is_empty());
        // Adding each edge again to the others never closes a loop.
        for (i, &(a, b)) in edges.iter().enumerate() {
            let mut rest = edges.clone();
            rest.remove(i);
            assert_eq!(find_cycle(&rest, a, b), None, "{a} -> {b}");
        }
        let overdue = tx
            .tasks(
                &scope,
                &TaskFilter {
                    overdue: true,
                    ..Default::default()
                },
                "2023-11-14",
                all,
            )
            .await
            .unwrap()
            .0;
        let done = tasks.iter().filter(|t| t.status.code() == "done").count();
        assert!(overdue > 0 && done > 0, "{overdue} overdue, {done} done");
        for t in tasks.iter().filter(|t| t.status.code() == "done") {
            let waits = tx
                .task_links(&scope, t.id, true)
                .await
                .unwrap()
                .iter()
                .any(|d| d.status.is_open());
            assert_eq!(waits, !t.done_reason.is_empty(), "task {}", t.id);
        }
    }
    assert!(
        checked > 0,
        "no demo collaboration of the demo person is under way"
    );
}

/// The content revision as both first reads of a page see it (a stage
/// page's and the collaboration page's), which must agree.
async fn revision_in(
    tx: &mut commonground_store::Tx,
    scope: &commonground_store::collaborations::CollabScope,
) -> (i64, i64) {
    let id = scope.collaboration_id();
    assert_eq!(
        testing::participant_revisions_behind(tx).await.unwrap(),
        0,
        "every participant row carries its collaboration's revision"
    );
    let (_, _, stage_page) = tx
        .collab_scope_with_collaboration(1, id)
        .await
        .unwrap()
        .unwrap();
    let collaboration_page = tx
        .collaboration_for_member_at(1, id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stage_page, collaboration_page.revision);
    assert_eq!(
        collaboration_page.cycle_links,
        tx.cycle_links(scope).await.unwrap()
    );
    stage_page
}

/// A collaboration's content revision goes up with every audit entry about
/// the collaboration or about one of its organisations, in the same
/// transaction: servers keep the stage checklists by it.
#[tokio::test]
async fn a_collaborations_content_revision_follows_every_audited_write() {
    use commonground_store::audit::NewAuditEvent;
    let db = demo_db(1_700_000_000).await;
    let store = &db.store;
    let mut tx = store.read().await.unwrap();
    let (mine, _) = tx.my_collaborations(1, 2, 0).await.unwrap();
    let (c, other) = (mine[0].id, mine[1].id);
    let scope = tx.collab_scope(1, c).await.unwrap().unwrap();
    let org = scope.participations()[0].organisation_id;
    drop(tx);
    let revision = || {
        let store = store.clone();
        let scope = scope.clone();
        async move {
            let mut tx = store.read().await.unwrap();
            revision_in(&mut tx, &scope).await
        }
    };
    let event = |organisation_id: Option<i64>, collaboration_id: Option<i64>| NewAuditEvent {
        user_id: Some(1),
        user_name: "Ann",
        acting_organisation_id: Some(org),
        acting_organisation_name: "Riverside",
        organisation_id,
        collaboration_id,
        action: "test.change",
        summary: "Changed something.".to_string(),
        at: 1_700_000_100,
    };
    let start = revision().await;
    // About the collaboration: its own revision moves, inside the
    // transaction and after it commits.
    let mut tx = store.write().await.unwrap();
    tx.record(event(None, Some(c))).await.unwrap();
    let inside = revision_in(&mut tx, &scope).await;
    tx.commit().await.unwrap();
    let after = revision().await;
    assert_eq!(inside, after);
    assert_eq!(after, (start.0 + 1, start.1), "{start:?} then {after:?}");
    // About one of its organisations: the organisations' sum moves.
    let mut tx = store.write().await.unwrap();
    tx.record(event(Some(org), None)).await.unwrap();
    tx.commit().await.unwrap();
    let then = revision().await;
    assert_eq!(then, (after.0, after.1 + 1), "{after:?} then {then:?}");
    // About another collaboration: nothing here moves.
    let mut tx = store.write().await.unwrap();
    tx.record(event(None, Some(other))).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(revision().await, then);
    // Not kept: nothing moves.
    let mut tx = store.write().await.unwrap();
    tx.record(event(None, Some(c))).await.unwrap();
    drop(tx);
    assert_eq!(revision().await, then);
}

/// Each participant row carries an exact copy of its collaboration's
/// revision (migration 0023), which "my tasks" is kept by: a partner that
/// joins after the revision has moved starts with it, every audit entry
/// moves every copy in its own transaction, and a person's list names each
/// collaboration once, however many of their organisations take part.
#[tokio::test]
async fn participants_carry_their_collaborations_revision() {
    use commonground_store::audit::NewAuditEvent;
    let db = db().await;
    let ann = db.user("Ann Lead").await;
    let bob = db.user("Bob Partner").await;
    let a = db.org(&ann, "Alpha Trust").await;
    let b = db.org(&bob, "Beta Group").await;
    let c = db.collab(&a, &ann, "Shared food hub", T0).await;
    let entry = |summary: &str| NewAuditEvent {
        user_id: Some(ann.id),
        user_name: "Ann Lead",
        acting_organisation_id: Some(a.id),
        acting_organisation_name: "Alpha Trust",
        organisation_id: None,
        collaboration_id: Some(c),
        action: "test.change",
        summary: summary.to_string(),
        at: T0 + 1,
    };
    let record = async |summary: &str| {
        let mut tx = db.store.write().await.unwrap();
        tx.record(entry(summary)).await.unwrap();
        tx.commit().await.unwrap();
    };
    for n in 0..3 {
        record(&format!("Change {n}.")).await;
    }
    let revision_now = async || {
        let mut tx = db.store.read().await.unwrap();
        let (_, _, (revision, _)) = tx
            .collab_scope_with_collaboration(ann.id, c)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            testing::participant_revisions_behind(&mut tx)
                .await
                .unwrap(),
            0
        );
        revision
    };
    let before_join = revision_now().await;
    assert!(before_join >= 3, "revision {before_join}");
    let inv = db.invite(&ann, &a, c, &b, T0 + 2).await.unwrap();
    db.answer(&inv, &bob, true, T0 + 3).await;
    let joined = revision_now().await;
    let lists = async || {
        let mut tx = db.store.read().await.unwrap();
        (
            tx.my_tasks_revision(ann.id).await.unwrap().collaborations,
            tx.my_tasks_revision(bob.id).await.unwrap().collaborations,
        )
    };
    assert_eq!(lists().await, (vec![(c, joined)], vec![(c, joined)]));
    record("One more change.").await;
    let after = revision_now().await;
    assert_eq!(after, joined + 1);
    assert_eq!(lists().await, (vec![(c, after)], vec![(c, after)]));
    // Ann joins Bob's organisation too: two of her organisations take
    // part, and her list still names the collaboration once.
    db.join(&b, &ann, OrgRole::Member).await;
    let mut tx = db.store.read().await.unwrap();
    let ann_list = tx.my_tasks_revision(ann.id).await.unwrap();
    assert_eq!(ann_list.organisations.len(), 2);
    assert_eq!(ann_list.collaborations, vec![(c, after)]);
    // Not kept: nothing moves.
    drop(tx);
    let mut tx = db.store.write().await.unwrap();
    tx.record(entry("Undone.")).await.unwrap();
    drop(tx);
    assert_eq!(revision_now().await, after);
    assert_eq!(lists().await, (vec![(c, after)], vec![(c, after)]));
}

/// A page of "my collaborations" is kept per server by what
/// `my_collaborations_at` reads first (migration 0024): its entries'
/// revisions and the count of organisation renames. Everything the page
/// shows must move that value when it changes, on either side of the
/// partnership, and nothing else may: a change that does not show leaves
/// it alone, so kept pages stay kept.
#[tokio::test]
async fn a_page_of_my_collaborations_is_read_again_when_anything_on_it_changes() {
    use commonground_store::audit::NewAuditEvent;
    use commonground_store::collaborations::MyCollabsAt;
    let db = db().await;
    let ann = db.user("Ann Lead").await;
    let bob = db.user("Bob Partner").await;
    let eve = db.user("Eve Elsewhere").await;
    let a = db.org(&ann, "Alpha Trust").await;
    let b = db.org(&bob, "Beta Group").await;
    let e = db.org(&eve, "Epsilon Network").await;
    let c = db.collab(&a, &ann, "Shared food hub", T0).await;
    let older = db.collab(&a, &ann, "Older work", T0 - 10).await;
    let elsewhere = db.collab(&e, &eve, "Not Ann's", T0).await;
    let inv = db.invite(&ann, &a, c, &b, T0 + 1).await.unwrap();
    db.answer(&inv, &bob, true, T0 + 2).await;

    // Ann's first page, one collaboration long, and all of what she sees.
    let at = async |limit: i64| -> MyCollabsAt {
        let mut tx = db.store.read().await.unwrap();
        tx.my_collaborations_at(&[a.id], limit, 0).await.unwrap()
    };
    let names_on_page = async |at: &MyCollabsAt| -> Vec<String> {
        let mut tx = db.store.read().await.unwrap();
        let page = tx.collaboration_summaries(at).await.unwrap();
        page.iter()
            .flat_map(|s| s.participants.iter().map(|p| p.name.clone()))
            .collect()
    };
    let start = at(1).await;
    assert_eq!(start.total, 2);
    assert_eq!(
        start.entries.iter().map(|e| e.id).collect::<Vec<_>>(),
        vec![c]
    );
    assert_eq!(
        names_on_page(&start).await,
        vec!["Alpha Trust".to_string(), "Beta Group".to_string()]
    );
    let whole = at(10).await;
    assert_eq!(
        whole.entries.iter().map(|e| e.id).collect::<Vec<_>>(),
        vec![c, older]
    );

    let record = async |collaboration_id: i64, organisation_id: Option<i64>| {
        let mut tx = db.store.write().await.unwrap();
        tx.record(NewAuditEvent {
            user_id: Some(ann.id),
            user_name: "Ann Lead",
            acting_organisation_id: Some(a.id),
            acting_organisation_name: "Alpha Trust",
            organisation_id,
            collaboration_id: Some(collaboration_id),
            action: "test.change",
            summary: "A change.".to_string(),
            at: T0 + 3,
        })
        .await
        .unwrap();
        tx.commit().await.unwrap();
    };
    // A change to the collaboration on the page moves its entry.
    record(c, None).await;
    let changed = at(1).await;
    assert_eq!(changed.entries[0].id, c);
    assert_eq!(changed.entries[0].revision, start.entries[0].revision + 1);
    assert_eq!(changed.renames, start.renames);
    // A change to a collaboration of Ann's that is not on this page, or
    // to one she does not see, leaves the page's value alone.
    record(older, None).await;
    record(elsewhere, None).await;
    assert_eq!(at(1).await, changed);
    let all = at(10).await;
    assert_eq!(all.entries[1].id, older);
    assert_eq!(all.entries[1].revision, whole.entries[1].revision + 1);

    // The partner changes its profile but not its name: nothing moves.
    let rename = async |org: &Organisation, who: &User, name: &str, mission: &str| {
        let mut tx = db.store.write().await.unwrap();
        let scope = tx.org_scope(who.id, org.id).await.unwrap().unwrap();
        let mut p = profile(name, "community_group", "", "");
        p.mission = mission.to_string();
        tx.update_organisation(&scope, &p, T0 + 4).await.unwrap();
        tx.commit().await.unwrap();
    };
    rename(&b, &bob, "Beta Group", "Feeding people.").await;
    assert_eq!(at(1).await, changed);
    // A new name moves the count of renames, though nothing was recorded
    // about the collaboration itself, and the page shows the new name.
    rename(&b, &bob, "Beta Community Group", "Feeding people.").await;
    let renamed = at(1).await;
    assert_eq!(renamed.entries, changed.entries);
    assert_eq!(renamed.renames, changed.renames + 1);
    assert_eq!(
        names_on_page(&renamed).await,
        vec![
            "Alpha Trust".to_string(),
            "Beta Community Group".to_string()
        ]
    );
    // Any organisation's rename counts: a partner may be any of them.
    rename(&e, &eve, "Epsilon Networks", "").await;
    assert_eq!(at(1).await.renames, renamed.renames + 1);
    // A rename that is not kept counts nothing.
    let mut tx = db.store.write().await.unwrap();
    let scope = tx.org_scope(bob.id, b.id).await.unwrap().unwrap();
    tx.update_organisation(
        &scope,
        &profile("Beta Undone", "community_group", "", ""),
        T0 + 5,
    )
    .await
    .unwrap();
    drop(tx);
    assert_eq!(at(1).await.renames, renamed.renames + 1);

    // Far back, where the whole list is sorted instead of merged, the
    // entries carry the same revisions.
    let mut tx = db.store.read().await.unwrap();
    let merged = tx.my_collaborations_at(&[a.id], 2, 0).await.unwrap();
    let many: Vec<i64> = std::iter::once(a.id).chain(100_000..100_070).collect();
    let sorted = tx.my_collaborations_at(&many, 2, 0).await.unwrap();
    assert_eq!(sorted, merged);
    assert_eq!(merged.entries.len(), 2);
}

/// The demo's problem and decisions logs: every collaboration under way has
/// a problem one rung up, a resolved one and an unowned one two rungs up
/// that has waited past the checklist's limit, each climb recorded; and two
/// decisions, one about its first task and one about the first problem.
#[tokio::test]
async fn the_demo_has_problem_and_decisions_logs() {
    use commonground_domain::decisions::LinkKind;
    use commonground_domain::problems::{DEFAULT_LADDER, ProblemStatus};
    use commonground_store::problems::ProblemFilter;
    use commonground_store::tasks::{Page, TaskFilter};
    let now = 1_700_000_000;
    let db = demo_db(now).await;
    let store = &db.store;
    let mut tx = store.read().await.unwrap();
    let (mine, _) = tx.my_collaborations(1, 200, 0).await.unwrap();
    let page = Page {
        number: 1,
        size: 50,
    };
    let mut checked = 0;
    for c in mine {
        let scope = tx.collab_scope(1, c.id).await.unwrap().unwrap();
        let (total, mut problems) = tx
            .problems(&scope, &ProblemFilter::default(), page)
            .await
            .unwrap();
        if c.stage < commonground_domain::stage::Stage::Implement {
            assert_eq!(total, 0, "collaboration {} is not under way", c.id);
            continue;
        }
        checked += 1;
        assert_eq!(total, 3);
        problems.sort_by_key(|p| p.id);
        let ladder: Vec<String> = DEFAULT_LADDER.iter().map(|r| r.to_string()).collect();
        let shape: Vec<(ProblemStatus, usize, bool)> = problems
            .iter()
            .map(|p| (p.status, p.rung, p.owner_person_id.is_some()))
            .collect();
        assert_eq!(
            shape,
            [
                (ProblemStatus::BeingWorkedOn, 1, true),
                (ProblemStatus::Resolved, 0, true),
                (ProblemStatus::Open, 2, false),
            ]
        );
        for p in &problems {
            assert_eq!(p.ladder, ladder);
            let climbs = tx.escalations(&scope, p.id).await.unwrap();
            assert_eq!(climbs.len(), p.rung, "problem {}", p.id);
            for (k, e) in climbs.iter().enumerate() {
                assert_eq!((e.from_rung, e.to_rung), (k as i64, k as i64 + 1));
                assert_eq!(e.to_name, ladder[k + 1]);
                assert!(e.escalated_at > p.created_at && e.escalated_at <= now);
            }
        }
        assert!(!problems[1].resolution.is_empty());
        // The unowned problem has waited past the limit: the checklist's
        // "Problems in hand" is not done.
        let today = "2023-11-14";
        let (unresolved, waiting) = tx
            .problem_facts(&scope, commonground_domain::problems::waiting_cutoff(today))
            .await
            .unwrap();
        assert_eq!((unresolved, waiting), (2, 1));
        let (count, _) = tx.decisions(&scope, None, page).await.unwrap();
        let (by_vote, _) = tx
            .decisions(
                &scope,
                Some(commonground_domain::decisions::HowTaken::Vote),
                page,
            )
            .await
            .unwrap();
        assert_eq!(count - by_vote, 2);
        let (_, tasks) = tx
            .tasks(
                &scope,
                &TaskFilter::default(),
                today,
                Page {
                    number: 1,
                    size: 1000,
                },
            )
            .await
            .unwrap();
        let first_task = tasks.iter().map(|t| t.id).min().unwrap();
        let about_task = tx
            .decisions_about(&scope, LinkKind::Task, first_task)
            .await
            .unwrap();
        assert_eq!(about_task.len(), 1);
        assert_eq!(about_task[0].title, "Deliveries move to Thursdays");
        let about_problem = tx
            .decisions_about(&scope, LinkKind::Problem, problems[0].id)
            .await
            .unwrap();
        assert_eq!(about_problem.len(), 1);
        assert_eq!(
            about_problem[0].title,
            "Ask the council for a named referral contact"
        );
    }
    assert!(checked > 0, "no collaboration under way in the demo");
}

/// The demo's recurring tasks: every collaboration in Implement or later
/// has a monthly and a weekly series running, each with three tasks made
/// on its own dates and its newest open and not yet due (so the job has
/// nothing to make on the demo's day), and an ended weekly one.
#[tokio::test]
async fn the_demo_has_recurring_tasks() {
    use commonground_domain::recurring::Repeat;
    use commonground_domain::stage::Stage;
    use commonground_store::tasks::Page;
    let now = 1_700_000_000;
    let db = demo_db(now).await;
    let store = &db.store;
    let today = "2023-11-14";
    let page = Page {
        number: 1,
        size: 50,
    };
    let mut tx = store.read().await.unwrap();
    let (mine, _) = tx.my_collaborations(1, 200, 0).await.unwrap();
    let mut checked = 0;
    let mut seen: Vec<(i64, bool)> = Vec::new();
    for c in mine {
        let scope = tx.collab_scope(1, c.id).await.unwrap().unwrap();
        let (total, series) = tx.series_list(&scope, page).await.unwrap();
        if c.stage < Stage::Implement {
            assert_eq!(total, 0, "collaboration {} is not under way", c.id);
            continue;
        }
        checked += 1;
        assert_eq!(total, 3);
        // Running ones first, newest first; the ended one last.
        let titles: Vec<&str> = series.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "Partners' check-in call",
                "Send the monthly figures to the steering group",
                "Volunteer rota for the summer scheme",
            ]
        );
        let (weekly, monthly, ended) = (&series[0], &series[1], &series[2]);
        seen.extend([(weekly.id, true), (monthly.id, false), (ended.id, false)]);
        assert_eq!(weekly.repeats, Repeat::Weekly);
        assert_eq!(weekly.first_on, "2023-11-05");
        assert_eq!(weekly.last_made_on, "2023-11-19");
        assert_eq!(monthly.repeats, Repeat::Monthly);
        assert_eq!(monthly.first_on, "2023-09-25");
        assert_eq!(monthly.last_made_on, "2023-11-25");
        for s in [weekly, monthly] {
            assert_eq!(s.ended_at, None);
            assert_eq!(s.tasks_made, 3);
            // Consistent with the rules: the newest is open and not yet
            // due, so the app makes nothing more today.
            assert_eq!(s.next_to_make(today), None, "{}", s.title);
            assert_eq!(s.last_task_status.map(|x| x.code()), Some("not_started"));
            assert_eq!(s.assignee_id, Some(s.owner_organisation_id));
        }
        assert!(ended.ended_at.is_some());
        assert_eq!(ended.ended_by_name, "Demo person");
        assert_eq!(ended.tasks_made, 2);
        assert_eq!(ended.next_to_make("2030-01-01"), None);
        // The tasks made, newest first, with the series' own dates.
        let dates: Vec<(String, &str)> = tx
            .series_tasks(&scope, weekly.id, 50)
            .await
            .unwrap()
            .into_iter()
            .map(|t| (t.due_on.unwrap(), t.status.code()))
            .collect();
        assert_eq!(
            dates,
            [
                ("2023-11-19".to_string(), "not_started"),
                ("2023-11-12".to_string(), "in_progress"),
                ("2023-11-05".to_string(), "done"),
            ]
        );
        let monthly_tasks = tx.series_tasks(&scope, monthly.id, 50).await.unwrap();
        assert_eq!(
            monthly_tasks
                .iter()
                .map(|t| t.due_on.clone().unwrap())
                .collect::<Vec<_>>(),
            ["2023-11-25", "2023-10-25", "2023-09-25"]
        );
        assert_eq!(monthly.last_task_id, Some(monthly_tasks[0].id));
    }
    assert!(checked > 0);
    // None is due for the job today; on the weekly call's next date, each
    // weekly series is, and no other.
    assert!(tx.series_due(today, 100).await.unwrap().is_empty());
    let due: Vec<i64> = tx
        .series_due("2023-11-19", 100_000)
        .await
        .unwrap()
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    for (id, weekly) in seen {
        assert_eq!(due.contains(&id), weekly, "series {id}");
    }
}

/// The demo's communications plans: every collaboration in Implement or
/// later has six items of different channels and statuses, the first a
/// monthly newsletter with two issues logged, so its third is due (and
/// overdue on the demo's day); the list reads the last date sent with
/// each item and puts the soonest due first; logging and removing an
/// entry move the next date due on and back.
#[tokio::test]
async fn the_demo_has_communications_plans() {
    use commonground_domain::comms::{Channel, CommsStatus, LogFields, Timing, occurrence};
    use commonground_domain::stage::Stage;
    use commonground_store::comms::CommsFilter;
    use commonground_store::tasks::Page;
    let now = 1_700_000_000;
    let db = demo_db(now).await;
    let store = &db.store;
    let today = "2023-11-14";
    let first = "2023-08-31";
    let third = occurrence(Timing::Monthly, first, 2).unwrap();
    assert_eq!(third, "2023-10-31");
    let page = Page {
        number: 1,
        size: 50,
    };
    let mut tx = store.read().await.unwrap();
    let (mine, _) = tx.my_collaborations(1, 200, 0).await.unwrap();
    let mut checked = Vec::new();
    for c in mine {
        let scope = tx.collab_scope(1, c.id).await.unwrap().unwrap();
        let (total, items) = tx
            .comms_items(&scope, &CommsFilter::default(), page)
            .await
            .unwrap();
        if c.stage < Stage::Implement {
            assert_eq!(total, 0, "collaboration {} is not under way", c.id);
            continue;
        }
        checked.push(c.id);
        assert_eq!(total, 6);
        // Soonest due first: the overdue newsletter, then the weekly posts,
        // the briefing and the report; then those with nothing due.
        let order: Vec<&str> = items.iter().map(|i| i.purpose.as_str()).collect();
        assert_eq!(
            order,
            [
                "Monthly newsletter",
                "Weekly updates online",
                "Brief the boards on progress",
                "Quarterly report to funders",
                "Posters about the new opening hours",
                "Announce the partnership",
            ]
        );
        let news = &items[0];
        assert_eq!(
            (news.timing, news.channel),
            (Timing::Monthly, Channel::Newsletter)
        );
        assert_eq!(news.status, CommsStatus::InProgress);
        assert_eq!(news.on_date, first);
        assert_eq!(news.last_sent_on.as_deref(), Some("2023-09-30"));
        assert_eq!(news.next_due_on.as_deref(), Some(third.as_str()));
        assert!(news.owner_person_id.is_some());
        let log = tx.comms_log(&scope, news.id).await.unwrap();
        let sent: Vec<&str> = log.iter().map(|e| e.sent_on.as_str()).collect();
        assert_eq!(sent, ["2023-09-30", "2023-08-31"]);
        assert!(log.iter().all(|e| e.link.is_some()));
        let channels: std::collections::BTreeSet<&str> =
            items.iter().map(|i| i.channel.code()).collect();
        assert_eq!(channels.len(), 6);
        assert!(items[4..].iter().all(|i| i.next_due_on.is_none()));
        let facts = tx.comms_facts(&scope, today).await.unwrap();
        assert_eq!((facts.items, facts.overdue), (6, 1));
        let filter = CommsFilter {
            channel: Some(Channel::Newsletter),
            ..Default::default()
        };
        assert_eq!(tx.comms_items(&scope, &filter, page).await.unwrap().0, 1);
        let filter = CommsFilter {
            status: Some(CommsStatus::Planned),
            owner_organisation_id: news.owner_organisation_id,
            ..Default::default()
        };
        let (n, planned) = tx.comms_items(&scope, &filter, page).await.unwrap();
        assert!(
            n >= 1
                && planned.iter().all(|i| i.status == CommsStatus::Planned
                    && i.owner_organisation_id == news.owner_organisation_id)
        );
    }
    drop(tx);
    assert!(
        !checked.is_empty(),
        "no collaboration under way in the demo"
    );

    // Logging the third issue moves the next date due on; removing the
    // entry moves it back. The item's version stays.
    let mut tx = store.write().await.unwrap();
    let scope = tx.collab_scope(1, checked[0]).await.unwrap().unwrap();
    let (_, items) = tx
        .comms_items(&scope, &CommsFilter::default(), page)
        .await
        .unwrap();
    let news = &items[0];
    let entry = LogFields {
        sent_on: "2023-11-02".into(),
        what: "Third issue".into(),
        channel: Channel::Email,
        link: None,
        notes: String::new(),
    };
    let id = tx
        .add_comms_log(&scope, news.id, &entry, 1, "Test", now)
        .await
        .unwrap();
    let after = tx.comms_item(&scope, news.id).await.unwrap().unwrap();
    assert_eq!(after.next_due_on.as_deref(), Some("2023-11-30"));
    assert_eq!(after.last_sent_on.as_deref(), Some("2023-11-02"));
    assert_eq!(after.version, news.version);
    let e = tx.comms_log_entry(&scope, id).await.unwrap().unwrap();
    assert!(tx.delete_comms_log(&scope, &e).await.unwrap());
    let back = tx.comms_item(&scope, news.id).await.unwrap().unwrap();
    assert_eq!(back.next_due_on.as_deref(), Some(third.as_str()));
    assert!(tx.delete_comms_item(&scope, news.id).await.unwrap());
    assert!(tx.comms_log(&scope, news.id).await.unwrap().is_empty());
    tx.commit().await.unwrap();
}

/// The demo's who is who and meetings: every partner of a collaboration in
/// Plan or later has a lead contact (its admin, linked as a member) and a
/// finance contact; a collaboration in Implement or later has two past
/// meetings with minutes and who came (the later with two actions that
/// are tasks of its plan) and an upcoming one listed first.
#[tokio::test]
async fn the_demo_has_contacts_and_meetings() {
    use commonground_domain::meetings::Attendance;
    use commonground_domain::stage::Stage;
    let db = demo_db(1_700_000_000).await;
    let store = &db.store;
    let mut tx = store.read().await.unwrap();
    let (mine, _) = tx.my_collaborations(1, 200, 0).await.unwrap();
    let (mut planning, mut implementing) = (0, 0);
    for c in mine {
        let scope = tx.collab_scope(1, c.id).await.unwrap().unwrap();
        let contacts = tx.contacts(&scope).await.unwrap();
        let meetings = tx.meetings(&scope, "2023-11-14", 0).await.unwrap();
        if c.stage < Stage::Plan {
            assert!(contacts.is_empty() && meetings.is_empty(), "{}", c.id);
            continue;
        }
        planning += 1;
        let partners = tx.participants(&scope).await.unwrap();
        assert_eq!(contacts.len(), partners.len() * 2, "collaboration {}", c.id);
        for k in contacts.iter().filter(|k| k.member_id.is_some()) {
            assert_eq!(k.member_name.as_deref(), Some(k.name.as_str()));
            assert!(k.email.contains('@'));
        }
        if c.stage < Stage::Implement {
            assert!(meetings.is_empty());
            continue;
        }
        implementing += 1;
        assert_eq!(meetings.len(), 3);
        assert!(meetings[0].held_on > meetings[1].held_on);
        assert!(!meetings[0].has_minutes && meetings[1].has_minutes && meetings[2].has_minutes);
        let steering = tx.meeting(&scope, meetings[1].id).await.unwrap().unwrap();
        assert_eq!(steering.agenda.len(), 4);
        assert_eq!(steering.actions.len(), 2);
        assert!(
            steering
                .attendance
                .iter()
                .any(|a| a.user_id.is_none() && a.status == Attendance::Present)
        );
        assert_eq!(
            steering
                .attendance
                .iter()
                .filter(|a| a.user_id.is_some())
                .count(),
            partners.len()
        );
        for a in &steering.actions {
            assert!(tx.task(&scope, a.task_id).await.unwrap().is_some());
        }
    }
    assert!(
        planning > 0 && implementing > 0,
        "{planning} {implementing}"
    );
}

/// The demo's decisions by vote: every collaboration under way with a
/// governance body has a proposal every lead and partner agreed to, closed
/// with its outcome written and in the decisions log as a vote of that
/// body, and an open one with only the lead's vote so far.
#[tokio::test]
async fn the_demo_has_decisions_by_vote() {
    use commonground_domain::decisions::HowTaken;
    use commonground_domain::proposals::{Ballot, Standing, count};
    use commonground_store::tasks::Page;
    let now = 1_700_000_000;
    let db = demo_db(now).await;
    let store = &db.store;
    let mut tx = store.read().await.unwrap();
    let (mine, _) = tx.my_collaborations(1, 200, 0).await.unwrap();
    let page = Page {
        number: 1,
        size: 50,
    };
    let mut checked = 0;
    for c in mine {
        let scope = tx.collab_scope(1, c.id).await.unwrap().unwrap();
        let (total, proposals) = tx.proposals(&scope, page).await.unwrap();
        if c.stage < commonground_domain::stage::Stage::Implement {
            assert_eq!(total, 0, "collaboration {} is not under way", c.id);
            continue;
        }
        checked += 1;
        // In Review the way forward is a proposal too (see
        // the_demo_has_a_way_forward_and_a_second_cycle).
        let proposals: Vec<_> = proposals
            .into_iter()
            .filter(|p| !p.title.starts_with("Way forward:"))
            .collect();
        assert_eq!(proposals.len(), 2);
        // Newest first: the open one, then the decided one.
        let (open, decided) = (&proposals[0], &proposals[1]);
        assert_eq!(open.title, "Share one delivery van");
        assert!(open.closed_at.is_none() && open.outcome.is_empty());
        assert!(open.closes_on.as_str() > "2023-11-14", "{}", open.closes_on);
        assert_eq!(decided.result, Some(Standing::Passed));
        assert!(decided.closed_at.is_some() && !decided.outcome.is_empty());
        assert_eq!(decided.body_id, open.body_id);
        let everyone = tx.participants(&scope).await.unwrap();
        let partners: Vec<i64> = everyone
            .iter()
            .filter(|p| matches!(p.role.code(), "lead" | "partner"))
            .map(|p| p.organisation_id)
            .collect();
        let lead: Vec<i64> = everyone
            .iter()
            .filter(|p| p.role.code() == "lead")
            .map(|p| p.organisation_id)
            .collect();
        let votes = tx
            .proposal_votes(&scope, &[open.id, decided.id])
            .await
            .unwrap();
        let on = |pid: i64| -> Vec<Ballot> {
            votes
                .iter()
                .filter(|v| v.proposal_id == pid)
                .map(|v| v.ballot())
                .collect()
        };
        assert_eq!(on(decided.id).len(), partners.len());
        assert_eq!(on(open.id).len(), 1);
        // The open one has the lead's vote; the reasoning kept is the
        // rule's own for the decided one's votes.
        let leads: Vec<i64> = on(open.id).iter().map(|b| b.organisation_id).collect();
        assert_eq!(leads, lead);
        let again = count(
            decided.decision_rule,
            decided.quorum,
            &on(decided.id),
            &partners,
            &leads,
            true,
        );
        assert_eq!(again.standing, Standing::Passed);
        assert_eq!(decided.result_reasoning, again.reasoning);
        let did = decided.decision_id.expect("the decided one is in the log");
        let d = tx.decision(&scope, did).await.unwrap().unwrap();
        assert_eq!(d.how, HowTaken::Vote);
        assert_eq!(d.title, decided.title);
        assert_eq!(d.governance_body_id, decided.body_id);
        assert!(d.decided.ends_with(&decided.outcome), "{}", d.decided);
    }
    assert!(checked > 0, "no collaboration under way in the demo");
}

/// The demo's health checks: every collaboration in Review has a pulse
/// round and then a full round, both closed, answered by everyone asked
/// (the members of its lead and partner organisations), with every answer
/// in range.
#[tokio::test]
async fn the_demo_has_health_check_rounds_in_review() {
    use commonground_domain::health_checks::Kind;
    use commonground_domain::stage::Stage;
    let db = demo_db(1_700_000_000).await;
    let store = &db.store;
    let mut tx = store.read().await.unwrap();
    let (mine, _) = tx.my_collaborations(1, 200, 0).await.unwrap();
    let mut checked = 0;
    for c in mine {
        let scope = tx.collab_scope(1, c.id).await.unwrap().unwrap();
        let rounds = tx.health_rounds(&scope, 1).await.unwrap();
        if c.stage != Stage::Review {
            assert!(rounds.is_empty(), "collaboration {} is not in Review", c.id);
            continue;
        }
        checked += 1;
        let kinds: Vec<Kind> = rounds.iter().map(|r| r.kind).collect();
        assert_eq!(kinds, [Kind::Full, Kind::Pulse], "newest first");
        for r in &rounds {
            assert!(r.closed_at.is_some());
            assert!(r.invited > 0);
            assert_eq!(r.respondents, r.invited);
            let questionnaire = tx.health_questionnaire(r.questionnaire_id).await.unwrap();
            let count = questionnaire.questions().count();
            let top = if r.kind == Kind::Pulse { 3 } else { 5 };
            for response in tx.health_responses(r.id).await.unwrap() {
                assert_eq!(response.answers.len(), count);
                assert!(
                    response
                        .answers
                        .values()
                        .flatten()
                        .all(|v| (1..=top).contains(v))
                );
            }
        }
    }
    assert!(checked > 0, "no collaboration in Review in the demo");
}

/// The demo makes the reminders the notification job would make on its
/// day (tasks due soon or overdue, votes closing soon), in the app only:
/// none waits to be emailed or put in a digest.
#[tokio::test]
async fn the_demo_has_reminders_that_send_no_email() {
    let now = 1_700_000_000;
    let db = demo_db(now).await;
    let store = &db.store;
    let mut tx = store.read().await.unwrap();
    assert!(tx.pending_emails(10).await.unwrap().is_empty());
    assert!(tx.digests_due("2023-11-14", 10).await.unwrap().is_empty());
    let mut reminded = 0;
    for user in 1..=20 {
        let (total, unread, items) = tx.notifications(user, false, 1, 50).await.unwrap();
        assert_eq!(total, unread, "nothing read yet");
        for n in &items {
            assert!(
                matches!(n.kind.code(), "due_soon" | "overdue" | "vote_closing_soon"),
                "{:?}",
                n.kind
            );
        }
        reminded += total;
    }
    assert!(reminded > 0, "the demo's first people have reminders");
    // The job, run on the same day, makes nothing more.
    drop(tx);
    let mut tx = store.write().await.unwrap();
    assert_eq!(
        tx.create_task_reminders("2023-11-14", "2023-11-17", now)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        tx.create_vote_reminders("2023-11-14", "2023-11-17", now)
            .await
            .unwrap(),
        0
    );
}

/// The demo's aims review: in every collaboration in Review each shared aim
/// has a review at version 1 recorded for the lead organisation, with an
/// actual value; elsewhere no aim has one.
#[tokio::test]
async fn the_demo_reviews_every_aim_in_review() {
    use commonground_domain::outcomes::Outcome;
    use commonground_domain::stage::Stage;
    let db = demo_db(1_700_000_000).await;
    let mut tx = db.store.read().await.unwrap();
    let (mine, _) = tx.my_collaborations(1, 200, 0).await.unwrap();
    let mut checked = 0;
    let mut seen = std::collections::BTreeSet::new();
    for c in mine {
        let scope = tx.collab_scope(1, c.id).await.unwrap().unwrap();
        let aims = tx.reviewed_aims(&scope).await.unwrap();
        let (total, reviewed) = tx.aim_review_counts(&scope).await.unwrap();
        assert_eq!(total, aims.len() as i64);
        if c.stage != Stage::Review {
            assert_eq!(reviewed, 0, "collaboration {} is not in Review", c.id);
            continue;
        }
        assert!(!aims.is_empty(), "collaboration {} has aims", c.id);
        assert_eq!(reviewed, total);
        let lead = tx
            .participants(&scope)
            .await
            .unwrap()
            .into_iter()
            .find(|p| p.role == commonground_domain::collaborations::ParticipantRole::Lead)
            .unwrap();
        for a in aims {
            let r = a.review.expect("every aim reviewed");
            assert_eq!(r.version, 1);
            assert!(!r.actual.is_empty());
            assert_eq!(r.organisation_name, lead.name);
            assert!(r.links.iter().all(|l| l.starts_with("https://")));
            seen.insert(r.outcome);
        }
        checked += 1;
    }
    assert!(checked > 0, "no collaboration in Review in the demo");
    // Two aims each, their outcomes taken in turn: at least two show.
    assert!(seen.len() >= 2, "outcomes vary: {seen:?}");
    assert!(seen.iter().all(|o| Outcome::ALL.contains(o)));
}

/// The demo's way forward: in every collaboration in Review each lead and
/// partner organisation has a position and a way forward is agreed, with its
/// decision in the log; and one of the demo person's collaborations in
/// Review is on its second cycle, which starts at Identify with the aims
/// still open and the lessons carried over and the other organisations
/// invited again.
#[tokio::test]
async fn the_demo_has_a_way_forward_and_a_second_cycle() {
    use commonground_domain::forward::aim_is_open;
    use commonground_domain::stage::Stage;
    let db = demo_db(1_700_000_000).await;
    let mut tx = db.store.read().await.unwrap();
    let (mine, _) = tx.my_collaborations(1, 200, 0).await.unwrap();
    let (mut checked, mut cycles) = (0, 0);
    for c in &mine {
        let scope = tx.collab_scope(1, c.id).await.unwrap().unwrap();
        let parties = tx.forward_positions(&scope).await.unwrap();
        let ways = tx.forward_ways(&scope).await.unwrap();
        let facts = tx.forward_facts(&scope).await.unwrap();
        if c.stage != Stage::Review {
            assert!(parties.iter().all(|p| p.position.is_none()), "{}", c.id);
            assert!(ways.is_empty() && !facts.agreed, "{}", c.id);
        } else if !tx.governance_bodies(&scope).await.unwrap().is_empty() {
            assert!(parties.iter().all(|p| p.position.is_some()), "{}", c.id);
            assert_eq!(facts.positions, facts.parties);
            assert_eq!(ways.len(), 1);
            assert!(ways[0].is_agreed() && ways[0].decision_id.is_some());
            assert!(facts.agreed);
            checked += 1;
        }
        let (previous, next) = tx.cycle_links(&scope).await.unwrap();
        if let Some(next) = next {
            cycles += 1;
            assert_eq!(c.stage, Stage::Review);
            let next_scope = tx.collab_scope(1, next).await.unwrap().unwrap();
            let n = tx.collaboration(&next_scope).await.unwrap();
            assert_eq!(n.stage, Stage::Identify);
            assert_eq!(n.title, format!("{} (cycle 2)", c.title));
            assert_eq!(
                tx.cycle_links(&next_scope).await.unwrap(),
                (Some(c.id), None)
            );
            // The collaboration page reads the same links in its first read.
            for (id, links) in [(c.id, (previous, Some(next))), (next, (Some(c.id), None))] {
                let read = tx
                    .collaboration_for_member_at(1, id)
                    .await
                    .unwrap()
                    .unwrap();
                assert_eq!(read.cycle_links, links, "collaboration {id}");
            }
            let open: Vec<String> = tx
                .reviewed_aims(&scope)
                .await
                .unwrap()
                .into_iter()
                .filter(|a| aim_is_open(a.review.as_ref().map(|r| r.outcome)))
                .map(|a| a.title)
                .collect();
            let carried: Vec<String> = tx
                .reviewed_aims(&next_scope)
                .await
                .unwrap()
                .into_iter()
                .map(|a| a.title)
                .collect();
            assert_eq!(carried, open);
            let all = commonground_store::tasks::Page {
                number: 1,
                size: 50,
            };
            let (lessons, _) = tx.lessons(&scope, all).await.unwrap();
            let (carried, got) = tx.lessons(&next_scope, all).await.unwrap();
            assert_eq!(carried, lessons);
            assert!(got.iter().all(|l| l.from_previous_cycle));
            let others = tx.participants(&scope).await.unwrap().len() - 1;
            assert_eq!(tx.participants(&next_scope).await.unwrap().len(), 1);
            let invited = tx.collaboration_invitations(&next_scope).await.unwrap();
            assert_eq!(invited.len(), others);
        }
        if previous.is_some() {
            assert_eq!(c.stage, Stage::Identify);
        }
    }
    assert!(
        checked > 0,
        "no collaboration in Review with a governance body"
    );
    assert_eq!(cycles, 1, "one collaboration is on its second cycle");
}

/// The demo's lessons: four in every collaboration in Review, one from
/// each stage in stage order; none elsewhere.
#[tokio::test]
async fn the_demo_records_lessons_in_review() {
    use commonground_domain::stage::Stage;
    let db = demo_db(1_700_000_000).await;
    let mut tx = db.store.read().await.unwrap();
    let (mine, _) = tx.my_collaborations(1, 200, 0).await.unwrap();
    let page = commonground_store::tasks::Page {
        number: 1,
        size: 50,
    };
    let mut checked = 0;
    for c in mine {
        let scope = tx.collab_scope(1, c.id).await.unwrap().unwrap();
        let (total, lessons) = tx.lessons(&scope, page).await.unwrap();
        if c.stage != Stage::Review {
            // Only a next cycle has lessons: those carried over.
            assert!(
                lessons.iter().all(|l| l.from_previous_cycle),
                "collaboration {} is not in Review",
                c.id
            );
            continue;
        }
        assert_eq!(total, 4);
        let stages: Vec<Stage> = lessons.iter().map(|l| l.stage).collect();
        assert_eq!(stages, Stage::ALL);
        assert!(lessons.iter().all(|l| l.version == 1 && !l.text.is_empty()));
        checked += 1;
    }
    assert!(checked > 0, "no collaboration in Review in the demo");
}

/// Columns named `*_name` that do not hold the name of someone with an
/// account, so account deletion leaves them: why each is here.
const NOT_A_PERSON: &[(&str, &str, &str)] = &[
    (
        "audit_events",
        "acting_organisation_name",
        "an organisation's name",
    ),
    (
        "collaboration_models",
        "organisation_name",
        "an organisation's name",
    ),
    (
        "aim_approvals",
        "organisation_name",
        "an organisation's name",
    ),
    (
        "agreement_approvals",
        "organisation_name",
        "an organisation's name",
    ),
    (
        "agreement_comments",
        "organisation_name",
        "an organisation's name",
    ),
    ("aim_reviews", "organisation_name", "an organisation's name"),
    ("lessons", "organisation_name", "an organisation's name"),
    ("proposals", "body_name", "a governance group's name"),
    (
        "meeting_attendance",
        "guest_name",
        "a guest without an account, typed in by whoever recorded the meeting",
    ),
];

/// Every `*_name` column of the schema is either renamed when a person
/// deletes their account or listed above with the reason it is not, so a
/// new table that keeps an author's name cannot be forgotten.
#[tokio::test]
async fn every_name_column_is_renamed_on_account_deletion_or_is_not_a_person() {
    let db = db().await;
    let mut tx = db.store.read().await.unwrap();
    let columns = tx.schema_columns().await.unwrap();
    let renamed = commonground_store::accounts::renamed_name_columns();
    let mut seen = 0;
    let mut forgotten = Vec::new();
    for (table, column, _) in &columns {
        if !column.ends_with("_name") {
            continue;
        }
        seen += 1;
        let key = (table.as_str(), column.as_str());
        let is_renamed = renamed.contains(&key);
        let is_exempt = NOT_A_PERSON.iter().any(|(t, c, _)| (*t, *c) == key);
        assert!(
            !(is_renamed && is_exempt),
            "{table}.{column} is both renamed and exempt"
        );
        if !is_renamed && !is_exempt {
            forgotten.push(format!("{table}.{column}"));
        }
    }
    assert!(
        forgotten.is_empty(),
        "these columns may hold a person's name: rename them in store::accounts or say why not in NOT_A_PERSON: {forgotten:?}"
    );
    // Every listed column exists, so the lists do not rot.
    for (t, c) in renamed
        .iter()
        .copied()
        .chain(NOT_A_PERSON.iter().map(|(t, c, _)| (*t, *c)))
    {
        assert!(
            columns
                .iter()
                .any(|(table, column, _)| table == t && column == c),
            "{t}.{c} is listed but not in the schema"
        );
    }
    assert!(seen >= 35, "only {seen} name columns found");
}

/// A copy of a test database holds every row of the original and goes on
/// as it would: the next ids are the ones the original would give, and
/// the copy and the original change apart from then on.
#[tokio::test]
async fn a_copied_test_database_holds_the_same_rows_and_goes_on_alike() {
    let dir = tempfile::tempdir().unwrap();
    let options = testing::fresh_options(dir.path()).await.unwrap();
    let store = Store::connect(&options).await.unwrap();
    store.migrate().await.unwrap();
    let original = Db { store, _dir: dir };
    let contents = async |store: &Store| {
        let mut tx = store.read().await.unwrap();
        testing::contents(&mut tx).await.unwrap()
    };
    let ann = original.user("Ann Lead").await;
    let alpha = original.org(&ann, "Alpha Trust").await;
    original.collab(&alpha, &ann, "Shared van", T0).await;
    let before = contents(&original.store).await;

    let dir = tempfile::tempdir().unwrap();
    let (_, copy) = testing::copy_store(&options, dir.path()).await.unwrap();
    let copy = Db {
        store: copy,
        _dir: dir,
    };
    // Every row, the participants' copy of their collaboration's revision
    // (kept by a trigger on PostgreSQL) included.
    assert_eq!(contents(&copy.store).await, before);
    for table in ["users", "organisations", "collaborations", "participants"] {
        assert!(
            before
                .lines()
                .any(|l| l.starts_with(&format!("{table} ")) && l.len() > table.len() + 1),
            "{table} has rows to copy in:\n{before}"
        );
    }
    assert_eq!(
        contents(&original.store).await,
        before,
        "the original is as it was"
    );

    // The same next ids on both: the counters were copied.
    let bea_copy = copy.user("Bea Partner").await;
    let bea_original = original.user("Bea Partner").await;
    assert_eq!(bea_copy.id, bea_original.id);
    assert_eq!(bea_copy.id, ann.id + 1);
    let beta_copy = copy.org(&bea_copy, "Beta Group").await;
    let beta_original = original.org(&bea_original, "Beta Group").await;
    assert_eq!(beta_copy.id, beta_original.id);
    // Triggers work again on the copy: a new collaboration's participant
    // carries its revision, so the two databases still read alike.
    let c_copy = copy.collab(&beta_copy, &bea_copy, "Food hub", T0 + 5).await;
    let c_original = original
        .collab(&beta_original, &bea_original, "Food hub", T0 + 5)
        .await;
    assert_eq!(c_copy, c_original);
    let mut tx = copy.store.read().await.unwrap();
    assert_eq!(
        testing::participant_revisions_behind(&mut tx)
            .await
            .unwrap(),
        0
    );
    drop(tx);
    assert_eq!(contents(&copy.store).await, contents(&original.store).await);

    // From here on they change apart.
    copy.user("Cal Copy").await;
    assert_ne!(contents(&copy.store).await, contents(&original.store).await);
}
