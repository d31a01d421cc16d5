//! Recurring tasks through the API, the pages and the notification job: a
//! series makes its first task, then the next when the newest is done or
//! cancelled or when its date comes, once however many servers run the
//! job; changing or ending it never touches the tasks already made; its
//! end date stops it; bad input is named field by field and kept on the
//! form; stale changes are refused with the series as it is now;
//! observers are refused and outsiders are told nothing.

mod common;

use axum::http::{Method, StatusCode};
use common::{Person, TestApp};
use commonground_domain::comms::iso_from_days;
use commonground_domain::problems::days_from_iso;
use commonground_web::actions::notifications::run_job;
use serde_json::{Value, json};

struct World {
    lead: i64,
    partner: i64,
    watching: i64,
    c: i64,
    foreign: i64,
    lead_admin: Person,
    partner_admin: Person,
    observer: Person,
    outsider: Person,
}

async fn world(app: &TestApp) -> World {
    let lead_admin = app.quick_person("Lena Lead").await;
    let partner_admin = app.quick_person("Pia Partner").await;
    let observer = app.quick_person("Oona Observer").await;
    let outsider = app.quick_person("Otto Outsider").await;
    let lead = app.organisation(&lead_admin, "Riverside Food Bank").await;
    let partner = app.organisation(&partner_admin, "Hillside Pantry").await;
    let watching = app.organisation(&observer, "County CVS").await;
    let elsewhere = app.organisation(&outsider, "Elsewhere Allotments").await;
    let c = app
        .collaboration(&lead_admin, lead, "Food banks together")
        .await;
    let inv = app.invite(&lead_admin, c, partner, "partner").await;
    app.accept(&partner_admin, inv).await;
    let inv = app.invite(&lead_admin, c, watching, "observer").await;
    app.accept(&observer, inv).await;
    let foreign = app
        .collaboration(&outsider, elsewhere, "Allotment plans")
        .await;
    World {
        lead,
        partner,
        watching,
        c,
        foreign,
        lead_admin,
        partner_admin,
        observer,
        outsider,
    }
}

/// The date `n` days from the app's today.
fn day(app: &TestApp, n: i64) -> String {
    let today = commonground_web::actions::tasks::today(&app.state);
    iso_from_days(days_from_iso(&today).unwrap() + n)
}

fn list_path(w: &World) -> String {
    format!("/api/v1/collaborations/{}/recurring-tasks", w.c)
}

async fn add(app: &TestApp, w: &World, body: Value) -> Value {
    let r = app
        .api(
            Method::POST,
            &list_path(w),
            Some(&w.partner_admin.token),
            Some(body),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.json()
}

async fn detail(app: &TestApp, w: &World, sid: i64) -> Value {
    let r = app
        .api(
            Method::GET,
            &format!("/api/v1/recurring-tasks/{sid}"),
            Some(&w.observer.token),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()
}

/// The due dates and titles of the tasks a series made, newest first.
async fn made(app: &TestApp, w: &World, sid: i64) -> Vec<(String, String, String)> {
    detail(app, w, sid).await["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            assert_eq!(t["series_id"], sid);
            (
                t["due_on"].as_str().unwrap().to_string(),
                t["title"].as_str().unwrap().to_string(),
                t["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

async fn task_ids(app: &TestApp, w: &World, sid: i64) -> Vec<i64> {
    detail(app, w, sid).await["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_i64().unwrap())
        .collect()
}

/// Sets a task's status through the API, as its owner would.
async fn set_status(app: &TestApp, w: &World, tid: i64, status: &str) {
    let t = app
        .api(
            Method::GET,
            &format!("/api/v1/tasks/{tid}"),
            Some(&w.partner_admin.token),
            None,
        )
        .await
        .json();
    let r = app
        .api(
            Method::PUT,
            &format!("/api/v1/tasks/{tid}"),
            Some(&w.partner_admin.token),
            Some(
                json!({"title": t["title"], "owner_organisation_id": t["owner_organisation_id"],
                        "due_on": t["due_on"], "status": status, "version": t["version"]}),
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

async fn audit_actions(app: &TestApp, w: &World) -> Vec<String> {
    let r = app
        .api(
            Method::GET,
            &format!("/api/v1/collaborations/{}/audit", w.c),
            Some(&w.lead_admin.token),
            None,
        )
        .await;
    r.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_string())
        .collect()
}

fn report_line(w: &World) -> Value {
    json!({"title": "Send the weekly figures", "owner_organisation_id": w.partner,
           "assignee_id": w.partner_admin.id, "repeats": "weekly"})
}

fn with(mut v: Value, key: &str, value: Value) -> Value {
    v[key] = value;
    v
}

#[tokio::test]
async fn a_series_makes_its_first_task_then_the_next_when_the_newest_is_finished() {
    let app = TestApp::new().await;
    let w = world(&app).await;
    let first = day(&app, 2);
    let s = add(
        &app,
        &w,
        with(report_line(&w), "first_on", json!(first.clone())),
    )
    .await;
    let sid = s["id"].as_i64().unwrap();
    assert_eq!(s["repeats"], "weekly");
    assert_eq!(s["first_on"], first);
    assert_eq!(s["last_made_on"], first);
    assert_eq!(s["next_on"], day(&app, 9));
    assert_eq!(s["tasks_made"], 1);
    assert_eq!(s["ended"], false);
    assert_eq!(s["version"], 1);
    assert!(
        s["repeats_words"]
            .as_str()
            .unwrap()
            .starts_with("Every week on "),
        "{s}"
    );
    let title = "Send the weekly figures".to_string();
    assert_eq!(
        made(&app, &w, sid).await,
        vec![(first.clone(), title.clone(), "not_started".into())]
    );
    // The task is an ordinary task of the plan, with its assignee.
    let ids = task_ids(&app, &w, sid).await;
    let t = app
        .api(
            Method::GET,
            &format!("/api/v1/tasks/{}", ids[0]),
            Some(&w.observer.token),
            None,
        )
        .await
        .json();
    assert_eq!(t["assignee_id"], w.partner_admin.id);
    assert_eq!(t["owner_organisation_id"], w.partner);
    assert_eq!(t["series_id"], sid);

    // Nothing more until the newest is finished or its date comes.
    assert_eq!(run_job(&app.state).await.unwrap().tasks_made, 0);
    assert_eq!(made(&app, &w, sid).await.len(), 1);

    // Done early: the next one appears at once, a week on.
    set_status(&app, &w, ids[0], "done").await;
    assert_eq!(
        made(&app, &w, sid).await,
        vec![
            (day(&app, 9), title.clone(), "not_started".into()),
            (first.clone(), title.clone(), "done".into()),
        ]
    );
    let d = detail(&app, &w, sid).await;
    assert_eq!(d["series"]["last_made_on"], day(&app, 9));
    assert_eq!(d["series"]["next_on"], day(&app, 16));
    assert_eq!(d["series"]["tasks_made"], 2);
    assert_eq!(
        audit_actions(&app, &w)
            .await
            .iter()
            .filter(|a| *a == "series.task_made")
            .count(),
        1
    );
    // Finishing an older task again, or a task that is not the newest,
    // makes nothing more: moving the done one back to open and done.
    set_status(&app, &w, ids[0], "in_progress").await;
    set_status(&app, &w, ids[0], "done").await;
    assert_eq!(made(&app, &w, sid).await.len(), 2);

    // Cancelled counts as finished too.
    let ids = task_ids(&app, &w, sid).await;
    set_status(&app, &w, ids[0], "cancelled").await;
    let m = made(&app, &w, sid).await;
    assert_eq!(m.len(), 3);
    assert_eq!(m[0].0, day(&app, 16));
}

#[tokio::test]
async fn the_next_task_appears_when_its_date_comes_once_and_one_at_a_time() {
    let app = TestApp::new().await;
    let w = world(&app).await;
    let today = day(&app, 0);
    let s = add(
        &app,
        &w,
        with(
            with(report_line(&w), "repeats", json!("monthly")),
            "first_on",
            json!(today.clone()),
        ),
    )
    .await;
    let sid = s["id"].as_i64().unwrap();
    // Its date is today: the job makes the next, a month on, and only one.
    let report = run_job(&app.state).await.unwrap();
    assert_eq!(report.tasks_made, 1);
    assert_eq!(run_job(&app.state).await.unwrap().tasks_made, 0);
    let m = made(&app, &w, sid).await;
    assert_eq!(m.len(), 2);
    let second = m[0].0.clone();
    assert!(
        second > day(&app, 27) && second <= day(&app, 31),
        "{second}"
    );
    // Neither task was finished; both stay open.
    assert!(m.iter().all(|(_, _, s)| s == "not_started"));

    // Forty days on (the server was down meanwhile): one task per run,
    // until the newest is in the future.
    app.state.clock.advance(40 * 86_400);
    assert_eq!(run_job(&app.state).await.unwrap().tasks_made, 1);
    assert_eq!(run_job(&app.state).await.unwrap().tasks_made, 0);
    let m = made(&app, &w, sid).await;
    assert_eq!(m.len(), 3);
    assert!(m[0].0 > day(&app, 0), "{:?}", m);
    let audit = audit_actions(&app, &w).await;
    assert_eq!(audit.iter().filter(|a| *a == "series.task_made").count(), 2);
}

#[tokio::test]
async fn changing_or_ending_a_series_never_touches_the_tasks_it_made() {
    let app = TestApp::new().await;
    let w = world(&app).await;
    let s = add(
        &app,
        &w,
        with(report_line(&w), "first_on", json!(day(&app, 1))),
    )
    .await;
    let sid = s["id"].as_i64().unwrap();
    let ids = task_ids(&app, &w, sid).await;
    set_status(&app, &w, ids[0], "done").await;
    let before = made(&app, &w, sid).await;
    assert_eq!(before.len(), 2);

    // A change of title, rule and assignee shapes the next task only.
    let change = json!({"title": "Send the monthly figures", "owner_organisation_id": w.partner,
                        "repeats": "monthly", "first_on": day(&app, 1), "version": 1});
    let r = app
        .api(
            Method::PUT,
            &format!("/api/v1/recurring-tasks/{sid}"),
            Some(&w.lead_admin.token),
            Some(change.clone()),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let s = r.json();
    assert_eq!(s["version"], 2);
    assert_eq!(s["repeats"], "monthly");
    assert_eq!(s["assignee_id"], Value::Null);
    // The next date follows the new rule after the newest task's date.
    let newest = before[0].0.clone();
    assert_eq!(s["last_made_on"], newest);
    let next = s["next_on"].as_str().unwrap().to_string();
    assert!(next > newest, "{next} after {newest}");
    assert_eq!(made(&app, &w, sid).await, before);
    let ids = task_ids(&app, &w, sid).await;
    let t = app
        .api(
            Method::GET,
            &format!("/api/v1/tasks/{}", ids[0]),
            Some(&w.observer.token),
            None,
        )
        .await
        .json();
    assert_eq!(t["assignee_id"], w.partner_admin.id);

    // A change based on the old version is refused with the series now.
    let r = app
        .api(
            Method::PUT,
            &format!("/api/v1/recurring-tasks/{sid}"),
            Some(&w.partner_admin.token),
            Some(with(change.clone(), "title", json!("Something else"))),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert_eq!(r.json()["current"]["title"], "Send the monthly figures");
    assert_eq!(r.json()["current"]["version"], 2);
    assert_eq!(
        detail(&app, &w, sid).await["series"]["title"],
        "Send the monthly figures"
    );

    // The newest task finished: the next has the new title and rule.
    set_status(&app, &w, ids[0], "done").await;
    let after = made(&app, &w, sid).await;
    assert_eq!(after.len(), 3);
    assert_eq!(
        after[0],
        (
            next.clone(),
            "Send the monthly figures".into(),
            "not_started".into()
        )
    );
    assert_eq!(after[1].1, "Send the weekly figures");

    // Ending it: no more tasks, whatever happens; those made stay open.
    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/recurring-tasks/{sid}/end"),
            Some(&w.partner_admin.token),
            Some(json!({"version": 2})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let s = r.json();
    assert_eq!(s["ended"], true);
    assert_eq!(s["ended_by_name"], "Pia Partner");
    assert_eq!(s["next_on"], Value::Null);
    assert_eq!(s["version"], 3);
    let ended = made(&app, &w, sid).await;
    assert_eq!(ended[0].2, "not_started");
    let ids = task_ids(&app, &w, sid).await;
    set_status(&app, &w, ids[0], "done").await;
    app.state.clock.advance(100 * 86_400);
    assert_eq!(run_job(&app.state).await.unwrap().tasks_made, 0);
    assert_eq!(made(&app, &w, sid).await.len(), 3);
    // An ended series cannot change or end again.
    let r = app
        .api(
            Method::PUT,
            &format!("/api/v1/recurring-tasks/{sid}"),
            Some(&w.partner_admin.token),
            Some(with(change.clone(), "version", json!(3))),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert_eq!(
        r.json()["detail"],
        "Pia Partner ended \u{201c}Send the monthly figures\u{201d} meanwhile, so it can no longer change. The tasks it made stay as they are."
    );
    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/recurring-tasks/{sid}/end"),
            Some(&w.partner_admin.token),
            Some(json!({"version": 3})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert_eq!(detail(&app, &w, sid).await["series"]["version"], 3);
    let audit = audit_actions(&app, &w).await;
    for a in ["series.created", "series.changed", "series.ended"] {
        assert_eq!(audit.iter().filter(|x| *x == a).count(), 1, "{a}");
    }
}

#[tokio::test]
async fn the_end_date_stops_the_series() {
    let app = TestApp::new().await;
    let w = world(&app).await;
    let s = add(
        &app,
        &w,
        with(
            with(report_line(&w), "first_on", json!(day(&app, 1))),
            "ends_on",
            json!(day(&app, 10)),
        ),
    )
    .await;
    let sid = s["id"].as_i64().unwrap();
    assert_eq!(s["next_on"], day(&app, 8));
    let ids = task_ids(&app, &w, sid).await;
    set_status(&app, &w, ids[0], "done").await;
    let d = detail(&app, &w, sid).await;
    assert_eq!(d["series"]["next_on"], Value::Null);
    assert_eq!(d["series"]["ended"], false);
    let ids = task_ids(&app, &w, sid).await;
    set_status(&app, &w, ids[0], "done").await;
    app.state.clock.advance(30 * 86_400);
    assert_eq!(run_job(&app.state).await.unwrap().tasks_made, 0);
    assert_eq!(
        made(&app, &w, sid)
            .await
            .into_iter()
            .map(|m| m.0)
            .collect::<Vec<_>>(),
        vec![day(&app, -22), day(&app, -29)]
    );
    // Moving the end date on lets it go on.
    let r = app
        .api(
            Method::PUT,
            &format!("/api/v1/recurring-tasks/{sid}"),
            Some(&w.partner_admin.token),
            Some(json!({"title": "Send the weekly figures", "owner_organisation_id": w.partner,
                        "repeats": "weekly", "first_on": day(&app, -29), "ends_on": day(&app, 30), "version": 1})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["next_on"], day(&app, -15));
    assert_eq!(run_job(&app.state).await.unwrap().tasks_made, 1);
    assert_eq!(made(&app, &w, sid).await.len(), 3);
}

#[tokio::test]
async fn bad_input_is_named_field_by_field_and_nothing_is_saved() {
    let app = TestApp::new().await;
    let w = world(&app).await;
    let r = app
        .api(
            Method::POST,
            &list_path(&w),
            Some(&w.lead_admin.token),
            Some(
                json!({"title": " ", "repeats": "fortnightly", "first_on": day(&app, -1),
                        "ends_on": "next year"}),
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let e = &r.json()["errors"];
    assert_eq!(e["title"], "Enter a title.");
    assert_eq!(
        e["owner_organisation_id"],
        "Choose the organisation that owns the tasks."
    );
    assert_eq!(e["repeats"], "Choose how often the task comes round.");
    assert_eq!(
        e["first_on"],
        format!("The first date must be today ({}) or later.", day(&app, 0))
    );
    assert_eq!(
        e["ends_on"],
        "Enter the end date as a date like 2027-03-31 (year, month, day)."
    );
    // What only the collaboration knows.
    let r = app
        .api(
            Method::POST,
            &list_path(&w),
            Some(&w.lead_admin.token),
            Some(
                json!({"title": "Check-in", "owner_organisation_id": w.watching + 1000,
                        "repeats": "weekly", "first_on": day(&app, 1)}),
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.json()["errors"]["owner_organisation_id"],
        "Choose one of the organisations taking part."
    );
    let r = app
        .api(
            Method::POST,
            &list_path(&w),
            Some(&w.lead_admin.token),
            Some(json!({"title": "Check-in", "owner_organisation_id": w.lead,
                        "assignee_id": w.partner_admin.id, "repeats": "weekly", "first_on": day(&app, 1)})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.json()["errors"]["assignee_id"],
        "Choose a member of the organisation that owns the task, or nobody yet."
    );
    let r = app
        .api(
            Method::POST,
            &list_path(&w),
            Some(&w.lead_admin.token),
            Some(json!({"title": "Check-in", "owner_organisation_id": w.lead, "colour": "red"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let list = app
        .api(Method::GET, &list_path(&w), Some(&w.observer.token), None)
        .await
        .json();
    assert_eq!(list["total"], 0);
    let r = app
        .api(
            Method::GET,
            &format!("{}?per_page=101", list_path(&w)),
            Some(&w.observer.token),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.json()["errors"]["per_page"],
        "Send a number from 1 to 100."
    );

    // On the page: the errors by each field, and what was typed kept.
    let r = app
        .post_form(
            &format!("/collaborations/{}/recurring", w.c),
            Some(&w.lead_admin),
            &[
                ("title", "Quarterly review of the shared budget"),
                ("repeats", "quarterly"),
                ("first_on", "2027-02-30"),
                ("owner_organisation_id", &w.lead.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains("Enter the first date as a date like 2027-03-31"),
        "{}",
        r.body
    );
    assert!(
        r.body
            .contains("value=\"Quarterly review of the shared budget\"")
    );
    assert!(r.body.contains("value=\"2027-02-30\""));
    assert!(r.body.contains("<option value=\"quarterly\" selected"));
    let list = app
        .api(Method::GET, &list_path(&w), Some(&w.observer.token), None)
        .await
        .json();
    assert_eq!(list["total"], 0);
}

#[tokio::test]
async fn observers_are_refused_and_outsiders_are_told_nothing() {
    let app = TestApp::new().await;
    let w = world(&app).await;
    let s = add(
        &app,
        &w,
        with(report_line(&w), "first_on", json!(day(&app, 3))),
    )
    .await;
    let sid = s["id"].as_i64().unwrap();
    let refused = "Observers can read this but not change it. Ask the lead to make your organisation a partner.";
    let r = app
        .api(
            Method::POST,
            &list_path(&w),
            Some(&w.observer.token),
            Some(with(report_line(&w), "first_on", json!(day(&app, 3)))),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.json()["detail"], refused);
    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/recurring-tasks/{sid}/end"),
            Some(&w.observer.token),
            Some(json!({"version": 1})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .api(
            Method::PUT,
            &format!("/api/v1/recurring-tasks/{sid}"),
            Some(&w.observer.token),
            Some(with(
                with(report_line(&w), "first_on", json!(day(&app, 3))),
                "version",
                json!(1),
            )),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // The observer reads it, without the forms.
    let page = app
        .get(&format!("/recurring/{sid}"), Some(&w.observer))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Send the weekly figures"));
    assert!(!page.body.contains("Save the recurring task"));
    assert!(!page.body.contains("/end\""));
    let list = app
        .get(
            &format!("/collaborations/{}/recurring", w.c),
            Some(&w.observer),
        )
        .await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(!list.body.contains("Add the recurring task"));

    // Outsiders: not found, by page and by API, and nothing changes.
    for path in [format!("/api/v1/recurring-tasks/{sid}"), list_path(&w)] {
        let r = app
            .api(Method::GET, &path, Some(&w.outsider.token), None)
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
    }
    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/recurring-tasks/{sid}/end"),
            Some(&w.outsider.token),
            Some(json!({"version": 1})),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = app
        .get(&format!("/recurring/{sid}"), Some(&w.outsider))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = app
        .post_form(
            &format!("/recurring/{sid}/end"),
            Some(&w.outsider),
            &[("version", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = app
        .api(
            Method::GET,
            &format!("/api/v1/collaborations/{}/recurring-tasks", w.foreign),
            Some(&w.lead_admin.token),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = app
        .api(
            Method::GET,
            "/api/v1/recurring-tasks/999999",
            Some(&w.lead_admin.token),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let d = detail(&app, &w, sid).await;
    assert_eq!(d["series"]["version"], 1);
    assert_eq!(d["series"]["ended"], false);
}

#[tokio::test]
async fn the_pages_add_change_and_end_a_series() {
    let app = TestApp::new().await;
    let w = world(&app).await;
    let r = app
        .post_form(
            &format!("/collaborations/{}/recurring", w.c),
            Some(&w.lead_admin),
            &[
                ("title", "Steering group check-in"),
                ("repeats", "monthly_weekday"),
                ("first_on", &day(&app, 1)),
                ("owner_organisation_id", &w.lead.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let loc = r.location();
    assert!(loc.ends_with("?done=added"), "{loc}");
    let sid: i64 = loc
        .trim_start_matches("/recurring/")
        .trim_end_matches("?done=added")
        .parse()
        .unwrap();
    let page = app.get(&loc, Some(&w.lead_admin)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains("The recurring task has been added, with its first task.")
    );
    assert!(page.body.contains("Running"));
    assert!(page.body.contains("of every month"));
    let tid = task_ids(&app, &w, sid).await[0];
    assert!(page.body.contains(&format!("href=\"/tasks/{tid}\"")));
    let task = app.get(&format!("/tasks/{tid}"), Some(&w.lead_admin)).await;
    assert!(task.body.contains(&format!("href=\"/recurring/{sid}\"")));
    let list = app
        .get(
            &format!("/collaborations/{}/recurring", w.c),
            Some(&w.partner_admin),
        )
        .await;
    assert!(list.body.contains("Steering group check-in"));
    let implement = app
        .get(
            &format!("/collaborations/{}/implement", w.c),
            Some(&w.partner_admin),
        )
        .await;
    assert!(
        implement
            .body
            .contains(&format!("href=\"/collaborations/{}/recurring\"", w.c))
    );

    // A stale change: refused, the other change shown, the typed one kept.
    let fields = |title: &'static str, version: &'static str| {
        vec![
            ("title", title.to_string()),
            ("repeats", "monthly".to_string()),
            ("first_on", day(&app, 1)),
            ("owner_organisation_id", w.lead.to_string()),
            ("version", version.to_string()),
        ]
    };
    let send = |f: Vec<(&'static str, String)>| {
        let app = &app;
        let who = &w.lead_admin;
        async move {
            let borrowed: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.post_form(&format!("/recurring/{sid}"), Some(who), &borrowed)
                .await
        }
    };
    let r = send(fields("Monthly check-in", "1")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = send(fields("Another title", "1")).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("Someone else changed this recurring task"));
    assert!(r.body.contains("value=\"Another title\""));
    assert_eq!(
        detail(&app, &w, sid).await["series"]["title"],
        "Monthly check-in"
    );
    // Bad input on the change form: 422, kept.
    let r = send(vec![
        ("title", String::new()),
        ("repeats", "monthly".to_string()),
        ("first_on", day(&app, 1)),
        ("owner_organisation_id", w.lead.to_string()),
        ("version", "2".to_string()),
    ])
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Enter a title."));

    let r = app
        .post_form(
            &format!("/recurring/{sid}/end"),
            Some(&w.partner_admin),
            &[("version", "2")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = app.get(&r.location(), Some(&w.partner_admin)).await;
    assert!(
        page.body
            .contains("The recurring task has ended. The tasks it made stay as they are.")
    );
    assert!(page.body.contains("Ended by Pia Partner."));
    assert!(!page.body.contains("Save the recurring task"));
    let d = detail(&app, &w, sid).await;
    assert_eq!(d["series"]["ended"], true);
    assert_eq!(d["tasks"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn two_servers_running_the_job_at_once_make_each_task_once() {
    let (a, b) = TestApp::pair().await;
    let w = world(&a).await;
    let mut series = Vec::new();
    for n in 0..5 {
        let s = add(
            &a,
            &w,
            with(
                with(report_line(&w), "first_on", json!(day(&a, 0))),
                "title",
                json!(format!("Weekly job {n}")),
            ),
        )
        .await;
        series.push(s["id"].as_i64().unwrap());
    }
    let mut total = 0;
    for _ in 0..3 {
        let (ra, rb) = tokio::join!(run_job(&a.state), run_job(&b.state));
        total += ra.unwrap().tasks_made + rb.unwrap().tasks_made;
    }
    assert_eq!(total, 5);
    for sid in series {
        let m = made(&a, &w, sid).await;
        assert_eq!(
            m.iter().map(|x| x.0.clone()).collect::<Vec<_>>(),
            vec![day(&a, 7), day(&a, 0)]
        );
    }
}

/// The recurring tasks page's content is kept by each server with the
/// collaboration's revisions, the day and who asks: every change shows at
/// once, and the form's first date is today's.
#[tokio::test]
async fn the_kept_recurring_page_follows_every_change_and_the_day() {
    let app = TestApp::new().await;
    let w = world(&app).await;
    let path = format!("/collaborations/{}/recurring", w.c);
    let get = |who: &Person| {
        let app = &app;
        let path = path.clone();
        let who = who.clone();
        async move {
            let r = app.get(&path, Some(&who)).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
            r.body
        }
    };
    let empty = get(&w.lead_admin).await;
    assert!(empty.contains("No recurring tasks yet."), "{empty}");
    assert!(
        empty.contains(&format!("value=\"{}\"", day(&app, 0))),
        "the first date starts as today: {empty}"
    );
    assert_eq!(get(&w.lead_admin).await, empty, "kept");
    let s = add(
        &app,
        &w,
        with(report_line(&w), "first_on", json!(day(&app, 2))),
    )
    .await;
    let sid = s["id"].as_i64().unwrap();
    let page = get(&w.lead_admin).await;
    assert!(page.contains("Send the weekly figures"), "{page}");
    assert!(page.contains("1 series, running ones first."), "{page}");
    let watched = get(&w.observer).await;
    assert!(watched.contains("Send the weekly figures"), "{watched}");
    assert!(!watched.contains("Add the recurring task"), "{watched}");
    let r = app.get(&path, Some(&w.outsider)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // Tomorrow, the form starts from tomorrow.
    app.state.clock.advance(86_400);
    let later = get(&w.lead_admin).await;
    app.state.clock.advance(-86_400);
    assert!(
        later.contains(&format!("value=\"{}\"", day(&app, 1))),
        "{later}"
    );

    // The series ends.
    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/recurring-tasks/{sid}/end"),
            Some(&w.partner_admin.token),
            Some(json!({"version": 1})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let page = get(&w.observer).await;
    assert!(page.contains("Ended"), "{page}");
}
