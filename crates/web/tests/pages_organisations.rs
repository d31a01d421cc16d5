//! Organisations through the pages: adding one with the right registration
//! numbers, inviting colleagues, roles, the last admin, and who may see what.

mod common;

use axum::http::StatusCode;
use common::{Person, TestApp};

/// Posts the profile form; `extra` overrides the defaults.
async fn add_org(app: &TestApp, who: &Person, extra: &[(&str, &str)]) -> common::TestResponse {
    let mut fields: Vec<(&str, &str)> = vec![
        ("name", "Riverside Food Bank"),
        ("kind", "community_group"),
        ("charity_number", ""),
        ("company_number", ""),
        ("mission", ""),
        ("activities", ""),
        ("areas_served", ""),
        ("causes", ""),
        ("website", ""),
    ];
    for (k, v) in extra {
        fields.retain(|(f, _)| f != k);
        fields.push((k, v));
    }
    app.post_form("/organisations/new", Some(who), &fields)
        .await
}

fn created_id(r: &common::TestResponse) -> i64 {
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let loc = r.location();
    let rest = loc
        .strip_prefix("/organisations/")
        .unwrap_or_else(|| panic!("unexpected redirect {loc}"));
    rest.split('?').next().unwrap().parse().unwrap()
}

#[tokio::test]
async fn each_kind_needs_its_registration_numbers() {
    let app = TestApp::new().await;
    let ann = app.person("Ann Admin").await;

    let form = app.get("/organisations/new", Some(&ann)).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("Needs a charity number."));

    // (kind, charity number, company number, field that must be named)
    let refused = [
        ("registered_charity", "", "", "charity_number"),
        ("cio", "", "", "charity_number"),
        ("charitable_company", "1234567", "", "company_number"),
        ("charitable_company", "", "01234567", "charity_number"),
        ("cic", "", "", "company_number"),
        ("registered_charity", "12ab", "", "charity_number"),
        ("cic", "", "ABC", "company_number"),
        ("not_a_kind", "", "", "kind"),
        ("", "", "", "kind"),
    ];
    for (kind, charity, company, field) in refused {
        let r = add_org(
            &app,
            &ann,
            &[
                ("name", "Typed Name Trust"),
                ("kind", kind),
                ("charity_number", charity),
                ("company_number", company),
                ("mission", "Typed mission that should survive"),
                ("areas_served", "Leeds, Bradford"),
            ],
        )
        .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{kind} {charity:?} {company:?}: {}",
            r.body
        );
        assert!(
            r.body.contains(&format!("href=\"#{field}\"")),
            "{kind}: summary links to #{field}: {}",
            r.body
        );
        assert!(
            r.body.contains("value=\"Typed Name Trust\""),
            "typed name kept"
        );
        assert!(
            r.body.contains("Typed mission that should survive"),
            "typed mission kept"
        );
        assert!(r.body.contains("Leeds, Bradford"), "typed areas kept");
        if !charity.is_empty() {
            assert!(
                r.body.contains(&format!("value=\"{charity}\"")),
                "typed charity number kept"
            );
        }
        if !company.is_empty() {
            assert!(
                r.body.contains(&format!("value=\"{company}\"")),
                "typed company number kept"
            );
        }
        if kind == "cic" || kind == "registered_charity" {
            assert!(
                r.body.contains(&format!("value=\"{kind}\" checked")),
                "chosen kind kept: {}",
                r.body
            );
        }
    }
    let mut tx = app.state.store.read().await.unwrap();
    assert_eq!(
        tx.count_organisations().await.unwrap(),
        0,
        "nothing was added"
    );
    drop(tx);

    // A name that is too short or too long.
    let long = "L".repeat(201);
    for name in ["", "A", long.as_str()] {
        let r = add_org(&app, &ann, &[("name", name)]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("href=\"#name\""));
    }

    let charity = created_id(
        &add_org(
            &app,
            &ann,
            &[
                ("name", "Riverside Food Bank"),
                ("kind", "registered_charity"),
                ("charity_number", "123 4567"),
            ],
        )
        .await,
    );
    let page = app
        .get(&format!("/organisations/{charity}?created=1"), Some(&ann))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("GB-CHC-1234567"), "{}", page.body);
    assert!(page.body.contains("Your organisation has been added"));

    let cic = created_id(
        &add_org(
            &app,
            &ann,
            &[
                ("name", "Northgate Works CIC"),
                ("kind", "cic"),
                ("company_number", "1234567"),
            ],
        )
        .await,
    );
    let page = app.get(&format!("/organisations/{cic}"), Some(&ann)).await;
    assert!(page.body.contains("GB-COH-01234567"), "{}", page.body);

    let company = created_id(
        &add_org(
            &app,
            &ann,
            &[
                ("name", "Eastfield Charitable Company"),
                ("kind", "charitable_company"),
                ("charity_number", "7654321"),
                ("company_number", "sc123456"),
            ],
        )
        .await,
    );
    let page = app
        .get(&format!("/organisations/{company}"), Some(&ann))
        .await;
    assert!(
        page.body.contains("GB-CHC-7654321"),
        "the charity number gives the org-id"
    );
    assert!(page.body.contains("SC123456"));

    // A community group needs no number.
    created_id(&add_org(&app, &ann, &[("name", "Hillcrest Residents")]).await);
}

#[tokio::test]
async fn an_org_id_already_on_common_ground_is_refused() {
    let app = TestApp::new().await;
    let ann = app.person("Ann Admin").await;
    let bob = app.person("Bob Second").await;
    created_id(
        &add_org(
            &app,
            &ann,
            &[
                ("name", "Riverside Food Bank"),
                ("kind", "registered_charity"),
                ("charity_number", "1234567"),
            ],
        )
        .await,
    );
    let r = add_org(
        &app,
        &bob,
        &[
            ("name", "Riverside Copy"),
            ("kind", "cio"),
            ("charity_number", "1234567"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("href=\"#charity_number\""));
    assert!(r.body.contains("GB-CHC-1234567"));
    assert!(r.body.contains("already on Common Ground"));
    assert!(r.body.contains("value=\"Riverside Copy\""));

    created_id(
        &add_org(
            &app,
            &ann,
            &[
                ("name", "Works CIC"),
                ("kind", "cic"),
                ("company_number", "01234567"),
            ],
        )
        .await,
    );
    let r = add_org(
        &app,
        &bob,
        &[
            ("name", "Works Again"),
            ("kind", "cic"),
            ("company_number", "1234567"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("href=\"#company_number\""));

    // Editing a profile onto a taken number is refused the same way.
    let own = created_id(&add_org(&app, &bob, &[("name", "Bob Group")]).await);
    let r = app
        .post_form(
            &format!("/organisations/{own}/edit"),
            Some(&bob),
            &[
                ("name", "Bob Group"),
                ("kind", "registered_charity"),
                ("charity_number", "1234567"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("href=\"#charity_number\""));
    let profile = app.get(&format!("/organisations/{own}"), Some(&bob)).await;
    assert!(!profile.body.contains("GB-CHC-1234567"));
}

#[tokio::test]
async fn admins_edit_the_profile_and_bad_edits_keep_what_was_typed() {
    let app = TestApp::new().await;
    let ann = app.person("Ann Admin").await;
    let org = app.organisation(&ann, "Westbrook Carers").await;
    let form = app
        .get(&format!("/organisations/{org}/edit"), Some(&ann))
        .await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("value=\"Westbrook Carers\""));
    let bad = app
        .post_form(
            &format!("/organisations/{org}/edit"),
            Some(&ann),
            &[
                ("name", "Westbrook Carers Centre"),
                ("kind", "community_group"),
                ("website", "not a website"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("href=\"#website\""));
    assert!(bad.body.contains("value=\"not a website\""));
    assert!(bad.body.contains("value=\"Westbrook Carers Centre\""));
    let ok = app
        .post_form(
            &format!("/organisations/{org}/edit"),
            Some(&ann),
            &[
                ("name", "Westbrook Carers Centre"),
                ("kind", "community_group"),
                ("website", "westbrook.example.org"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let page = app.get(&format!("/organisations/{org}"), Some(&ann)).await;
    assert!(page.body.contains("Westbrook Carers Centre"));
    assert!(page.body.contains("https://westbrook.example.org"));
}

#[tokio::test]
async fn colleagues_join_by_an_emailed_link_that_works_once() {
    let app = TestApp::new().await;
    let ann = app.person("Ann Admin").await;
    let bob = app.person("Bob Invited").await;
    let carol = app.person("Carol Wrong").await;
    let org = app.organisation(&ann, "Riverside Food Bank").await;

    // Bad invitations keep what was typed.
    let bad = app
        .post_form(
            &format!("/organisations/{org}/invitations"),
            Some(&ann),
            &[("email", "bob at example"), ("role", "member")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("href=\"#email\""));
    assert!(bad.body.contains("value=\"bob at example\""));
    let bad_role = app
        .post_form(
            &format!("/organisations/{org}/invitations"),
            Some(&ann),
            &[("email", &bob.email), ("role", "owner")],
        )
        .await;
    assert_eq!(bad_role.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad_role.body.contains("href=\"#role\""));
    let already = app
        .post_form(
            &format!("/organisations/{org}/invitations"),
            Some(&ann),
            &[("email", &ann.email), ("role", "member")],
        )
        .await;
    assert_eq!(already.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(already.body.contains("already a member"));
    assert!(app.outbox().is_empty());

    let sent = app
        .post_form(
            &format!("/organisations/{org}/invitations"),
            Some(&ann),
            &[("email", &bob.email), ("role", "member")],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let waiting = app
        .get(&format!("/organisations/{org}/invitations"), Some(&ann))
        .await;
    assert!(
        waiting.body.contains(&bob.email),
        "the invitation is listed as waiting"
    );
    let link = app.link_for(&bob.email, "/join/");
    assert!(link.starts_with("/join/"));
    let mail = app.outbox().pop().unwrap();
    assert!(mail.contains("Riverside Food Bank"));

    // Not signed in: sent to sign in first, and back.
    let anon = app.get(&link, None).await;
    assert_eq!(anon.status, StatusCode::SEE_OTHER);
    assert!(
        anon.location().starts_with("/sign-in?next=%2Fjoin%2F")
            || anon.location().starts_with("/sign-in?next=/join/"),
        "{}",
        anon.location()
    );

    // The wrong account is refused, and learns which address to use.
    let wrong = app.get(&link, Some(&carol)).await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN, "{}", wrong.body);
    assert!(wrong.body.contains(&bob.email));
    let wrong_post = app.post_form(&link, Some(&carol), &[]).await;
    assert_eq!(wrong_post.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.get(&format!("/organisations/{org}/members"), Some(&carol))
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // The right account joins.
    let page = app.get(&link, Some(&bob)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Join Riverside Food Bank"));
    let joined = app.post_form(&link, Some(&bob), &[]).await;
    assert_eq!(joined.status, StatusCode::SEE_OTHER, "{}", joined.body);
    assert_eq!(joined.location(), format!("/organisations/{org}?joined=1"));
    let members = app
        .get(&format!("/organisations/{org}/members"), Some(&bob))
        .await;
    assert_eq!(members.status, StatusCode::OK);
    assert!(members.body.contains("Bob Invited"));

    // The link works once.
    let again = app.post_form(&link, Some(&bob), &[]).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(again.body.contains("already been used"));
    assert_eq!(
        app.get(&link, Some(&bob)).await.status,
        StatusCode::CONFLICT
    );
    assert_eq!(
        app.post_form(&link, Some(&carol), &[]).await.status,
        StatusCode::CONFLICT
    );
    assert_eq!(
        app.get("/join/not-a-real-token", Some(&bob)).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn an_invitation_to_join_expires_after_seven_days_or_when_withdrawn() {
    let app = TestApp::new().await;
    let ann = app.person("Ann Admin").await;
    let dev = app.person("Dev Late").await;
    let wes = app.person("Wes Withdrawn").await;
    let org = app.organisation(&ann, "Riverside Food Bank").await;
    app.post_form(
        &format!("/organisations/{org}/invitations"),
        Some(&ann),
        &[("email", &dev.email), ("role", "admin")],
    )
    .await;
    let link = app.link_for(&dev.email, "/join/");

    app.state.clock.advance(7 * 24 * 3600 - 60);
    assert_eq!(
        app.get(&link, Some(&dev)).await.status,
        StatusCode::OK,
        "still open just before the 7 days end"
    );
    app.state.clock.advance(61);
    let late = app.get(&link, Some(&dev)).await;
    assert_eq!(late.status, StatusCode::CONFLICT, "{}", late.body);
    assert!(late.body.contains("expired"));
    let late_post = app.post_form(&link, Some(&dev), &[]).await;
    assert_eq!(late_post.status, StatusCode::CONFLICT);
    assert_eq!(
        app.get(&format!("/organisations/{org}/members"), Some(&dev))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // Expired invitations are no longer listed as waiting.
    let waiting = app
        .get(&format!("/organisations/{org}/invitations"), Some(&ann))
        .await;
    assert!(!waiting.body.contains(&dev.email));

    // Withdrawn invitations stop working.
    app.post_form(
        &format!("/organisations/{org}/invitations"),
        Some(&ann),
        &[("email", &wes.email), ("role", "member")],
    )
    .await;
    let link = app.link_for(&wes.email, "/join/");
    let mut tx = app.state.store.read().await.unwrap();
    let scope = tx.org_scope(ann.id, org).await.unwrap().unwrap();
    let inv = tx
        .open_member_invitations(&scope, app.state.clock.now())
        .await
        .unwrap()
        .pop()
        .unwrap();
    drop(tx);
    let w = app
        .post_form(
            &format!("/organisations/{org}/invitations/{}/withdraw", inv.id),
            Some(&ann),
            &[],
        )
        .await;
    assert_eq!(w.status, StatusCode::SEE_OTHER);
    let r = app.post_form(&link, Some(&wes), &[]).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("withdrawn"));
}

#[tokio::test]
async fn roles_change_but_an_organisation_always_keeps_an_admin() {
    let app = TestApp::new().await;
    let ann = app.person("Ann Admin").await;
    let bob = app.person("Bob Member").await;
    let org = app.organisation(&ann, "Riverside Food Bank").await;
    app.join(&bob, org, false).await;
    let members = format!("/organisations/{org}/members");

    // The only admin cannot leave, be removed, or be made a member.
    for (path, fields) in [
        (format!("/organisations/{org}/leave"), vec![]),
        (
            format!("/organisations/{org}/members/{}/remove", ann.id),
            vec![],
        ),
        (
            format!("/organisations/{org}/members/{}/role", ann.id),
            vec![("role", "member")],
        ),
    ] {
        let r = app.post_form(&path, Some(&ann), &fields).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{path}: {}", r.body);
        assert!(
            r.body.contains("needs at least one admin"),
            "{path}: {}",
            r.body
        );
        assert!(r.body.contains("Make someone else an admin first"));
    }
    let page = app.get(&members, Some(&ann)).await;
    assert!(page.body.contains("Ann Admin"), "Ann is still there");

    // Bob becomes an admin; now Ann can step down, and Bob is the last admin.
    let r = app
        .post_form(
            &format!("/organisations/{org}/members/{}/role", bob.id),
            Some(&ann),
            &[("role", "admin")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let bad = app
        .post_form(
            &format!("/organisations/{org}/members/{}/role", bob.id),
            Some(&ann),
            &[("role", "owner")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = app
        .post_form(
            &format!("/organisations/{org}/members/{}/role", ann.id),
            Some(&ann),
            &[("role", "member")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // Ann is now a member: admin pages are closed to her.
    assert_eq!(
        app.get(&format!("/organisations/{org}/edit"), Some(&ann))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let r = app
        .post_form(
            &format!("/organisations/{org}/members/{}/role", bob.id),
            Some(&bob),
            &[("role", "member")],
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::CONFLICT,
        "the last admin cannot demote themselves"
    );
    let r = app
        .post_form(&format!("/organisations/{org}/leave"), Some(&bob), &[])
        .await;
    assert_eq!(
        r.status,
        StatusCode::CONFLICT,
        "the last admin cannot leave"
    );

    // A member can leave; after that the organisation's pages are closed.
    let r = app
        .post_form(&format!("/organisations/{org}/leave"), Some(&ann), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.get(&members, Some(&ann)).await.status,
        StatusCode::NOT_FOUND
    );

    // An admin removes a member.
    let cat = app.person("Cat Removed").await;
    app.join(&cat, org, false).await;
    let r = app
        .post_form(
            &format!("/organisations/{org}/members/{}/remove", cat.id),
            Some(&bob),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.get(&members, Some(&cat)).await.status,
        StatusCode::NOT_FOUND
    );
    // Someone who is not a member cannot be changed or removed.
    let r = app
        .post_form(
            &format!("/organisations/{org}/members/{}/role", cat.id),
            Some(&bob),
            &[("role", "admin")],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    let activity = app
        .get(&format!("/organisations/{org}/activity"), Some(&bob))
        .await;
    assert!(
        activity.body.contains("Made Bob Member an admin."),
        "{}",
        activity.body
    );
    assert!(activity.body.contains("Made Ann Admin a member."));
    assert!(
        activity
            .body
            .contains("Removed Cat Removed from the organisation.")
    );
    assert!(activity.body.contains("Left the organisation."));
}

#[tokio::test]
async fn members_who_are_not_admins_cannot_manage_and_outsiders_see_nothing() {
    let app = TestApp::new().await;
    let ann = app.person("Ann Admin").await;
    let bob = app.person("Bob Member").await;
    let eve = app.person("Eve Outsider").await;
    let org = app.organisation(&ann, "Riverside Food Bank").await;
    app.organisation(&eve, "Elsewhere Trust").await;
    app.join(&bob, org, false).await;
    app.post_form(
        &format!("/organisations/{org}/invitations"),
        Some(&ann),
        &[("email", "new.person@example.org"), ("role", "member")],
    )
    .await;

    // A member sees the members, but cannot manage.
    let members = app
        .get(&format!("/organisations/{org}/members"), Some(&bob))
        .await;
    assert_eq!(members.status, StatusCode::OK);
    assert!(members.body.contains(&ann.email));
    assert!(
        !members.body.contains("Make admin"),
        "no management buttons for members"
    );
    let gets = ["edit", "invitations", "activity"];
    for page in gets {
        let r = app
            .get(&format!("/organisations/{org}/{page}"), Some(&bob))
            .await;
        assert_eq!(
            r.status,
            StatusCode::FORBIDDEN,
            "member GET {page}: {}",
            r.body
        );
        assert!(r.body.contains("admin"), "says who can: {}", r.body);
    }
    let posts: Vec<(String, Vec<(&str, &str)>)> = vec![
        (
            format!("/organisations/{org}/edit"),
            vec![("name", "Taken Over"), ("kind", "community_group")],
        ),
        (
            format!("/organisations/{org}/invitations"),
            vec![("email", "friend@example.org"), ("role", "admin")],
        ),
        (
            format!("/organisations/{org}/members/{}/role", bob.id),
            vec![("role", "admin")],
        ),
        (
            format!("/organisations/{org}/members/{}/role", ann.id),
            vec![("role", "member")],
        ),
        (
            format!("/organisations/{org}/members/{}/remove", ann.id),
            vec![],
        ),
        (
            format!("/organisations/{org}/invitations/1/withdraw"),
            vec![],
        ),
    ];
    for (path, fields) in &posts {
        let r = app.post_form(path, Some(&bob), fields).await;
        assert_eq!(
            r.status,
            StatusCode::FORBIDDEN,
            "member POST {path}: {}",
            r.body
        );
    }

    // An outsider: the public profile, but nothing behind it.
    let profile = app.get(&format!("/organisations/{org}"), Some(&eve)).await;
    assert_eq!(profile.status, StatusCode::OK);
    assert!(profile.body.contains("Riverside Food Bank"));
    assert!(!profile.body.contains("Leave this organisation"));
    for page in ["members", "edit", "invitations", "activity"] {
        let r = app
            .get(&format!("/organisations/{org}/{page}"), Some(&eve))
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "outsider GET {page}");
        assert!(!r.body.contains(&ann.email) && !r.body.contains(&bob.email));
    }
    for (path, fields) in &posts {
        let r = app.post_form(path, Some(&eve), fields).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "outsider POST {path}");
    }
    assert_eq!(
        app.post_form(&format!("/organisations/{org}/leave"), Some(&eve), &[])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    for r in [
        app.get(&format!("/organisations/{org}"), Some(&eve)).await,
        app.get("/organisations?q=riv", Some(&eve)).await,
    ] {
        assert!(
            !r.body.contains(&ann.email) && !r.body.contains(&bob.email),
            "no member emails for outsiders"
        );
    }

    // Nothing changed.
    let profile = app.get(&format!("/organisations/{org}"), Some(&ann)).await;
    assert!(!profile.body.contains("Taken Over"));
    let waiting = app
        .get(&format!("/organisations/{org}/invitations"), Some(&ann))
        .await;
    assert!(!waiting.body.contains("friend@example.org"));
    assert!(waiting.body.contains("new.person@example.org"));
}

#[tokio::test]
async fn the_activity_page_shows_admins_what_happened() {
    let app = TestApp::new().await;
    let ann = app.person("Ann Admin").await;
    let r = add_org(&app, &ann, &[("name", "Riverside Food Bank")]).await;
    let org = created_id(&r);
    app.post_form(
        &format!("/organisations/{org}/invitations"),
        Some(&ann),
        &[("email", "new.person@example.org"), ("role", "member")],
    )
    .await;
    let page = app
        .get(&format!("/organisations/{org}/activity"), Some(&ann))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains("Created the organisation Riverside Food Bank."),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains("Invited new.person@example.org to join as member.")
    );
    assert!(page.body.contains("Ann Admin, for Riverside Food Bank"));
    // Newest first.
    let invited = page.body.find("Invited new.person").unwrap();
    let created = page.body.find("Created the organisation").unwrap();
    assert!(invited < created);
}

#[tokio::test]
async fn the_directory_finds_organisations_by_name_and_org_id() {
    let app = TestApp::new().await;
    let ann = app.person("Ann Admin").await;
    created_id(
        &add_org(
            &app,
            &ann,
            &[
                ("name", "Riverside Food Bank"),
                ("kind", "registered_charity"),
                ("charity_number", "1234567"),
            ],
        )
        .await,
    );
    let finn = app.person("Finn Finder").await;
    created_id(&add_org(&app, &ann, &[("name", "100% Community")]).await);
    let r = app.get("/organisations?q=river", Some(&finn)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Riverside Food Bank"));
    let r = app
        .get("/organisations?q=gb-chc-1234567", Some(&finn))
        .await;
    assert!(r.body.contains("Riverside Food Bank"));
    let r = app.get("/organisations?q=100%25", Some(&finn)).await;
    assert!(r.body.contains("100% Community"));
    let r = app.get("/organisations?q=%25", Some(&finn)).await;
    assert!(!r.body.contains("100% Community"), "% is not a wildcard");
    // Text a database could choke on is a 4xx, never a 500.
    for q in ["%00", "river%00side", "%F0%9F%98%80", "%C3%9C"] {
        let r = app.get(&format!("/organisations?q={q}"), Some(&finn)).await;
        assert!(
            r.status.is_success() || r.status.is_client_error(),
            "q={q}: {}",
            r.status
        );
    }
    let long = "a".repeat(201);
    let r = app
        .get(&format!("/organisations?q={long}"), Some(&finn))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("href=\"#q\""));
}
