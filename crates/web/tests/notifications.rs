//! Notifications: who is told what (assigned, a dependency done, approval
//! needed), never the person acting nor anyone outside the collaboration,
//! nothing for a write that rolled back; the unread count in the header;
//! the list, marking read, the settings; and the notification job, run by
//! two servers on one database at once, creating and emailing each
//! reminder once and catching up after a gap. SQLite by default;
//! PostgreSQL when TEST_DATABASE_URL is set.

mod common;

use axum::http::{Method, StatusCode};
use common::{Person, TestApp};
use commonground_store::notifications::NewNotification;
use commonground_web::actions::notifications::run_job;
use serde_json::{Value, json};

struct World {
    c: i64,
    lead: i64,
    lena: Person,
    bob: Person,
    otto: Person,
}

/// Lena leads a collaboration for her organisation, where Bob is a member;
/// Otto is in another organisation, outside it.
async fn world(app: &TestApp) -> World {
    let lena = app.quick_person("Lena Lead").await;
    let bob = app.quick_person("Bob Member").await;
    let otto = app.quick_person("Otto Outsider").await;
    let lead = app.organisation(&lena, "Riverside Food Bank").await;
    app.join(&bob, lead, false).await;
    let elsewhere = app.organisation(&otto, "Elsewhere Allotments").await;
    let _ = elsewhere;
    let c = app.collaboration(&lena, lead, "Riverside together").await;
    World {
        c,
        lead,
        lena,
        bob,
        otto,
    }
}

async fn add_task(app: &TestApp, w: &World, body: Value) -> Value {
    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/collaborations/{}/tasks", w.c),
            Some(&w.lena.token),
            Some(body),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.json()
}

async fn list(app: &TestApp, who: &Person, query: &str) -> Value {
    let r = app
        .api(
            Method::GET,
            &format!("/api/v1/notifications{query}"),
            Some(&who.token),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()
}

/// Emails in an outbox to `to` whose text contains `part`.
fn mails(app: &TestApp, to: &str, part: &str) -> usize {
    app.outbox()
        .iter()
        .filter(|m| m.contains(&format!("To: {to}")) && m.contains(part))
        .count()
}

fn day(app: &TestApp, offset_days: i64) -> String {
    commonground_web::clock::format_rfc3339(app.state.clock.now() + offset_days * 86_400)[..10]
        .to_string()
}

#[tokio::test]
async fn assigning_tells_the_assignee_once_and_never_the_person_acting() {
    let app = TestApp::new().await;
    let w = world(&app).await;
    // Lena assigning herself tells nobody.
    add_task(
        &app,
        &w,
        json!({"title": "Book the hall", "owner_organisation_id": w.lead, "assignee_id": w.lena.id}),
    )
    .await;
    assert_eq!(list(&app, &w.lena, "").await["total"], 0);

    let t = add_task(
        &app,
        &w,
        json!({"title": "Print leaflets", "owner_organisation_id": w.lead, "assignee_id": w.bob.id}),
    )
    .await;
    let tid = t["id"].as_i64().unwrap();
    let got = list(&app, &w.bob, "").await;
    assert_eq!(got["total"], 1, "{got}");
    assert_eq!(got["unread"], 1);
    let n = &got["items"][0];
    assert_eq!(n["kind"], "assigned");
    assert_eq!(n["link"], format!("/tasks/{tid}"));
    assert_eq!(n["collaboration_id"], w.c);
    assert_eq!(
        n["sentence"],
        "Lena Lead assigned the task \u{201c}Print leaflets\u{201d} in \u{201c}Riverside together\u{201d} to you."
    );
    assert!(n["read_at"].is_null());
    // "At once" is the default for assignments: one email, now.
    assert_eq!(mails(&app, &w.bob.email, "Print leaflets"), 1);
    assert_eq!(list(&app, &w.lena, "").await["total"], 0);
    assert_eq!(list(&app, &w.otto, "").await["total"], 0);

    // The count is in Bob's header, and the list page shows it unread.
    let page = app.get("/", Some(&w.bob)).await;
    assert!(
        page.body.contains("Notifications (1 unread)"),
        "{}",
        page.body
    );
    let page = app.get("/notifications", Some(&w.bob)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Unread: "));
    assert!(page.body.contains("Print leaflets"));

    // Another person's notification is not found, and stays unread.
    let nid = n["id"].as_i64().unwrap();
    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/notifications/{nid}/read"),
            Some(&w.lena.token),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = app
        .post_form(&format!("/notifications/{nid}/read"), Some(&w.otto), &[])
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(list(&app, &w.bob, "").await["unread"], 1);

    // Bob marks it read through the page.
    let r = app
        .post_form(&format!("/notifications/{nid}/read"), Some(&w.bob), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let got = list(&app, &w.bob, "").await;
    assert_eq!(
        (got["total"].as_i64(), got["unread"].as_i64()),
        (Some(1), Some(0))
    );
    assert!(got["items"][0]["read_at"].is_i64());
    assert_eq!(list(&app, &w.bob, "?unread=true").await["items"], json!([]));
    let page = app.get("/", Some(&w.bob)).await;
    assert!(!page.body.contains("unread)"));

    // Changing something else on the task tells nobody again; giving it
    // to someone else tells them.
    let r = app
        .api(
            Method::PUT,
            &format!("/api/v1/tasks/{tid}"),
            Some(&w.lena.token),
            Some(
                json!({"title": "Print more leaflets", "owner_organisation_id": w.lead,
                        "assignee_id": w.bob.id, "version": 1}),
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(list(&app, &w.bob, "").await["total"], 1);
}

#[tokio::test]
async fn a_finished_dependency_tells_the_waiting_assignee_and_marking_all_read() {
    let app = TestApp::new().await;
    let w = world(&app).await;
    let first = add_task(
        &app,
        &w,
        json!({"title": "Find a venue", "owner_organisation_id": w.lead}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let then = add_task(
        &app,
        &w,
        json!({"title": "Send invitations", "owner_organisation_id": w.lead,
               "assignee_id": w.bob.id, "depends_on": [first]}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let r = app
        .api(
            Method::PUT,
            &format!("/api/v1/tasks/{first}"),
            Some(&w.lena.token),
            Some(
                json!({"title": "Find a venue", "owner_organisation_id": w.lead,
                        "status": "done", "version": 1}),
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let got = list(&app, &w.bob, "").await;
    assert_eq!(got["total"], 2, "{got}");
    assert_eq!(got["items"][0]["kind"], "dependency_done");
    assert_eq!(got["items"][0]["link"], format!("/tasks/{then}"));
    assert_eq!(got["items"][1]["kind"], "assigned");

    let r = app
        .api(
            Method::POST,
            "/api/v1/notifications/read-all",
            Some(&w.bob.token),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["marked"], 2);
    assert_eq!(list(&app, &w.bob, "").await["unread"], 0);
}

#[tokio::test]
async fn a_write_that_rolls_back_tells_nobody_and_outsiders_are_never_told() {
    let app = TestApp::new().await;
    let w = world(&app).await;
    let now = app.state.clock.now();
    let n = NewNotification {
        kind: commonground_domain::notifications::Kind::VoteOpened,
        collaboration_id: w.c,
        sentence: "A vote opened.",
        link: "/",
        dedupe_key: "vote:1",
    };
    {
        let mut tx = app.state.store.write().await.unwrap();
        assert_eq!(tx.notify(&[w.bob.id], w.lena.id, &n, now).await.unwrap(), 1);
        // Dropped without commit: rolled back.
    }
    assert_eq!(list(&app, &w.bob, "").await["total"], 0);
    let mut tx = app.state.store.write().await.unwrap();
    // Otto cannot see the collaboration; Lena acted.
    assert_eq!(
        tx.notify(&[w.bob.id, w.otto.id, w.lena.id], w.lena.id, &n, now)
            .await
            .unwrap(),
        1
    );
    // The same event again adds nothing.
    assert_eq!(tx.notify(&[w.bob.id], w.lena.id, &n, now).await.unwrap(), 0);
    tx.commit().await.unwrap();
    assert_eq!(list(&app, &w.bob, "").await["total"], 1);
    assert_eq!(list(&app, &w.otto, "").await["total"], 0);
    assert_eq!(list(&app, &w.lena, "").await["total"], 0);
}

#[tokio::test]
async fn settings_by_page_and_api() {
    let app = TestApp::new().await;
    let w = world(&app).await;
    let r = app
        .api(
            Method::GET,
            "/api/v1/me/notification-settings",
            Some(&w.bob.token),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let s = r.json();
    assert_eq!(s["assigned"], "immediately");
    assert_eq!(s["due_soon"], "digest");
    assert_eq!(s["overdue"], "digest");
    let r = app
        .api(
            Method::PUT,
            "/api/v1/me/notification-settings",
            Some(&w.bob.token),
            Some(json!({"overdue": "weekly"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let r = app
        .api(
            Method::PUT,
            "/api/v1/me/notification-settings",
            Some(&w.bob.token),
            Some(json!({"assigned": "never"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["assigned"], "never");
    assert_eq!(r.json()["overdue"], "digest");

    // "Never" still lists it, but sends no email.
    add_task(
        &app,
        &w,
        json!({"title": "Quiet task", "owner_organisation_id": w.lead, "assignee_id": w.bob.id}),
    )
    .await;
    assert_eq!(list(&app, &w.bob, "").await["total"], 1);
    assert_eq!(mails(&app, &w.bob.email, "Quiet task"), 0);
    run_job(&app.state).await.unwrap();
    assert_eq!(mails(&app, &w.bob.email, "Quiet task"), 0);

    // The page: a bad choice keeps the input and says what to do.
    let page = app.get("/account/notifications", Some(&w.bob)).await;
    assert_eq!(page.status, StatusCode::OK);
    let r = app
        .post_form(
            "/account/notifications",
            Some(&w.bob),
            &[("overdue", "weekly"), ("due_soon", "never")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains("Choose at once, in the daily digest, or no email.")
    );
    let r = app
        .post_form(
            "/account/notifications",
            Some(&w.bob),
            &[("overdue", "immediately"), ("due_soon", "never")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let s = app
        .api(
            Method::GET,
            "/api/v1/me/notification-settings",
            Some(&w.bob.token),
            None,
        )
        .await
        .json();
    assert_eq!(
        (
            s["overdue"].as_str(),
            s["due_soon"].as_str(),
            s["assigned"].as_str()
        ),
        (Some("immediately"), Some("never"), Some("never"))
    );
}

#[tokio::test]
async fn two_servers_running_the_job_at_once_send_each_reminder_once() {
    let (a, b) = TestApp::pair().await;
    let w = world(&a).await;
    // Bob wants overdue reminders at once; due-soon ones in the digest.
    let r = a
        .api(
            Method::PUT,
            "/api/v1/me/notification-settings",
            Some(&w.bob.token),
            Some(json!({"overdue": "immediately"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    for (title, due) in [
        ("Late one", day(&a, -2)),
        ("Late two", day(&a, -1)),
        ("Soon one", day(&a, 2)),
        ("Soon two", day(&a, 3)),
        ("Later", day(&a, 4)),
    ] {
        add_task(
            &a,
            &w,
            json!({"title": title, "owner_organisation_id": w.lead, "assignee_id": w.bob.id, "due_on": due}),
        )
        .await;
    }
    for _ in 0..3 {
        let (ra, rb) = tokio::join!(run_job(&a.state), run_job(&b.state));
        ra.unwrap();
        rb.unwrap();
    }
    let count = |part: &str| mails(&a, &w.bob.email, part) + mails(&b, &w.bob.email, part);
    let both = |one: &str, two: &str| {
        a.outbox()
            .into_iter()
            .chain(b.outbox())
            .filter(|m| m.contains(one) && m.contains(two))
            .count()
    };
    // One email per overdue task, across both servers.
    assert_eq!(both("Late one", "was due on"), 1);
    assert_eq!(both("Late two", "was due on"), 1);
    assert_eq!(count("was due on"), 2);
    // One digest, listing both due-soon tasks.
    assert_eq!(count("Your Common Ground digest"), 1);
    let digest: Vec<String> = a
        .outbox()
        .into_iter()
        .chain(b.outbox())
        .filter(|m| m.contains("Your Common Ground digest"))
        .collect();
    assert!(digest[0].contains("Soon one") && digest[0].contains("Soon two"));
    assert!(!digest[0].contains("Later"));
    let got = list(&a, &w.bob, "?unread=true").await;
    // Five assignments, two overdue, two due soon.
    assert_eq!(got["total"], 9, "{got}");
    let kinds: Vec<&str> = got["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds.iter().filter(|k| **k == "overdue").count(), 2);
    assert_eq!(kinds.iter().filter(|k| **k == "due_soon").count(), 2);
    // Lena, who assigned them, is told nothing.
    assert_eq!(list(&a, &w.lena, "").await["total"], 0);
}

#[tokio::test]
async fn the_job_catches_up_after_a_gap_and_tells_overdue_once() {
    let app = TestApp::new().await;
    let w = world(&app).await;
    add_task(
        &app,
        &w,
        json!({"title": "Annual report", "owner_organisation_id": w.lead,
               "assignee_id": w.bob.id, "due_on": day(&app, 10)}),
    )
    .await;
    let reminders = |r: commonground_web::actions::notifications::JobReport| r.reminders;
    assert_eq!(reminders(run_job(&app.state).await.unwrap()), 0);
    // Eight days later, nothing ran meanwhile: the due-soon reminder now.
    app.state.clock.advance(8 * 86_400);
    assert_eq!(reminders(run_job(&app.state).await.unwrap()), 1);
    assert_eq!(reminders(run_job(&app.state).await.unwrap()), 0);
    // A long gap past the due date: one overdue reminder, not one a day.
    app.state.clock.advance(20 * 86_400);
    assert_eq!(reminders(run_job(&app.state).await.unwrap()), 1);
    app.state.clock.advance(86_400);
    assert_eq!(reminders(run_job(&app.state).await.unwrap()), 0);
    let got = list(&app, &w.bob, "").await;
    let kinds: Vec<&str> = got["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["overdue", "due_soon", "assigned"]);
    // Both reminders were in the digest: one per day that had any.
    assert_eq!(mails(&app, &w.bob.email, "Your Common Ground digest"), 2);
}

/// A governance body of Lena and Pia, deciding by simple majority.
async fn steering_group(app: &TestApp, lena: &Person, pia: &Person, c: i64) -> i64 {
    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/collaborations/{c}/governance-bodies"),
            Some(&lena.token),
            Some(
                json!({"name": "Steering group", "decision_rule": "simple_majority", "quorum": 1,
                "meets": "monthly", "member_ids": [lena.id, pia.id], "chair_id": lena.id}),
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.json()["id"].as_i64().unwrap()
}

/// The kinds and links of a person's notifications, oldest first.
async fn told(app: &TestApp, who: &Person) -> Vec<(String, String)> {
    let got = list(app, who, "").await;
    let mut out: Vec<(String, String)> = got["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["kind"].as_str().unwrap().to_string(),
                n["link"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    out.reverse();
    out
}

#[tokio::test]
async fn a_vote_opening_and_closing_soon_tells_those_who_can_vote() {
    let app = TestApp::new().await;
    let w = world(&app).await;
    let pia = app.quick_person("Pia Partner").await;
    let partner = app.organisation(&pia, "Hillside Youth Club").await;
    let inv = app.invite(&w.lena, w.c, partner, "partner").await;
    app.accept(&pia, inv).await;
    let body = steering_group(&app, &w.lena, &pia, w.c).await;
    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/collaborations/{}/proposals", w.c),
            Some(&w.lena.token),
            Some(
                json!({"title": "Share one van", "text": "From March.", "body_id": body,
                "closes_on": day(&app, 10)}),
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let pid = r.json()["id"].as_i64().unwrap();
    let link = format!("/proposals/{pid}");
    // Pia can vote for her organisation; Lena put it, so is not told; Bob
    // is neither an admin nor on the group; Otto is outside.
    assert_eq!(
        told(&app, &pia).await,
        [("vote_opened".into(), link.clone())]
    );
    let got = list(&app, &pia, "").await;
    assert_eq!(
        got["items"][0]["sentence"],
        format!(
            "Lena Lead put \u{201c}Share one van\u{201d} to Steering group in \u{201c}Riverside together\u{201d}. Voting is open until the end of {}.",
            day(&app, 10)
        )
    );
    for who in [&w.lena, &w.bob, &w.otto] {
        assert!(told(&app, who).await.is_empty(), "{}", who.email);
    }

    // Lena votes for the lead. A week on, voting closes in three days:
    // only the partner, which has not voted, is reminded, once.
    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/proposals/{pid}/votes"),
            Some(&w.lena.token),
            Some(json!({"organisation_id": w.lead, "choice": "agree", "reason": "Cheaper."})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    run_job(&app.state).await.unwrap();
    assert_eq!(told(&app, &pia).await.len(), 1, "not yet: ten days to go");
    app.state.clock.advance(7 * 86_400);
    run_job(&app.state).await.unwrap();
    run_job(&app.state).await.unwrap();
    assert_eq!(
        told(&app, &pia).await,
        [
            ("vote_opened".into(), link.clone()),
            ("vote_closing_soon".into(), link.clone())
        ]
    );
    let got = list(&app, &pia, "").await;
    assert_eq!(
        got["items"][0]["sentence"],
        format!(
            "Voting on \u{201c}Share one van\u{201d} in \u{201c}Riverside together\u{201d} closes at the end of {}, and your organisation has not voted yet.",
            day(&app, 3)
        )
    );
    assert!(told(&app, &w.lena).await.is_empty());
    assert!(told(&app, &w.bob).await.is_empty());
}

#[tokio::test]
async fn escalating_a_problem_tells_the_people_at_the_new_rung() {
    let app = TestApp::new().await;
    let w = world(&app).await;
    let pia = app.quick_person("Pia Partner").await;
    let partner = app.organisation(&pia, "Hillside Youth Club").await;
    let inv = app.invite(&w.lena, w.c, partner, "partner").await;
    app.accept(&pia, inv).await;
    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/collaborations/{}/problems", w.c),
            Some(&w.bob.token),
            Some(
                json!({"description": "The hall is double booked", "severity": "high",
                "owner_organisation_id": w.lead}),
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let pid = r.json()["id"].as_i64().unwrap();
    // Raising tells nobody; escalating to the partner leads tells the
    // admins of the lead and the partner, not Bob, who escalated it.
    assert!(told(&app, &w.lena).await.is_empty());
    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/problems/{pid}/escalate"),
            Some(&w.bob.token),
            Some(json!({"reason": "Not settled in a week."})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let link = format!("/problems/{pid}");
    for who in [&w.lena, &pia] {
        assert_eq!(
            told(&app, who).await,
            [("problem_escalated".into(), link.clone())],
            "{}",
            who.email
        );
    }
    let got = list(&app, &pia, "").await;
    assert_eq!(
        got["items"][0]["sentence"],
        "Bob Member escalated the problem \u{201c}The hall is double booked\u{201d} in \u{201c}Riverside together\u{201d} to \u{201c}Partner leads\u{201d}, where you stand: Not settled in a week."
    );
    assert!(told(&app, &w.bob).await.is_empty());
    assert!(told(&app, &w.otto).await.is_empty());
    // The escalation is marked as told.
    let mut tx = app.state.store.read().await.unwrap();
    assert!(tx.escalations_to_notify(10).await.unwrap().is_empty());
}
