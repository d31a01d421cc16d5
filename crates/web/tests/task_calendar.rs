//! The action plan, continued: task descriptions as safe Markdown and the
//! aim a task serves; calendar feeds with their own secret addresses;
//! recurring tasks. Who may do what is also in the access tables.

mod common;

use axum::http::{Method, StatusCode};
use common::{Person, TestApp};
use serde_json::{Value, json};

struct World {
    app: TestApp,
    c: i64,
    lead: i64,
    partner: i64,
    foreign: i64,
    elsewhere: i64,
    lead_admin: Person,
    partner_admin: Person,
    outsider: Person,
}

async fn world() -> World {
    let app = TestApp::new().await;
    let lead_admin = app.quick_person("Lena Lead").await;
    let partner_admin = app.quick_person("Pia Partner").await;
    let outsider = app.quick_person("Otto Outsider").await;
    let lead = app.organisation(&lead_admin, "Riverside Food Bank").await;
    let partner = app.organisation(&partner_admin, "Ty Llŷn").await;
    let elsewhere = app.organisation(&outsider, "Elsewhere Allotments").await;
    let c = app
        .collaboration(&lead_admin, lead, "Riverside and Llŷn together")
        .await;
    let inv = app.invite(&lead_admin, c, partner, "partner").await;
    app.accept(&partner_admin, inv).await;
    let foreign = app
        .collaboration(&outsider, elsewhere, "Allotment plans")
        .await;
    World {
        app,
        c,
        lead,
        partner,
        foreign,
        elsewhere,
        lead_admin,
        partner_admin,
        outsider,
    }
}

impl World {
    async fn api(
        &self,
        who: &Person,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> common::TestResponse {
        self.app.api(method, path, Some(&who.token), body).await
    }

    async fn add_task(&self, who: &Person, body: Value) -> common::TestResponse {
        self.api(
            who,
            Method::POST,
            &format!("/api/v1/collaborations/{}/tasks", self.c),
            Some(body),
        )
        .await
    }

    async fn task(&self, tid: i64) -> Value {
        let r = self
            .api(
                &self.lead_admin,
                Method::GET,
                &format!("/api/v1/tasks/{tid}"),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        r.json()
    }

    async fn aim(&self, who: &Person, c: i64, title: &str) -> i64 {
        let r = self
            .api(
                who,
                Method::POST,
                &format!("/api/v1/collaborations/{c}/aims"),
                Some(json!({"title": title, "indicator": "Families reached"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        r.json()["id"].as_i64().unwrap()
    }
}

#[tokio::test]
async fn a_description_is_safe_markdown_and_a_task_serves_an_aim_of_its_own_collaboration() {
    let w = world().await;
    let aim = w.aim(&w.lead_admin, w.c, "Fewer hungry children").await;
    let foreign_aim = w.aim(&w.outsider, w.foreign, "More allotments").await;
    let description = "Book the **big hall**.\n\n- [the booking form](https://example.org/book)\n- <script>alert('x')</script>\n- [click me](javascript:alert(1))\n\n<img src=x onerror=alert(2)>";

    // An aim of another collaboration, or none at all, is refused on the
    // field, and nothing is added.
    for bad in [foreign_aim, 999_999] {
        let r = w
            .add_task(
                &w.partner_admin,
                json!({"title": "Book the hall", "owner_organisation_id": w.partner, "aim_id": bad}),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(
            r.json()["errors"],
            json!({"aim_id": "Choose one of this collaboration's aims, or none."})
        );
    }
    let list = w
        .api(
            &w.lead_admin,
            Method::GET,
            &format!("/api/v1/collaborations/{}/tasks", w.c),
            None,
        )
        .await;
    assert_eq!(list.json()["total"], 0);

    let r = w
        .add_task(
            &w.partner_admin,
            json!({"title": "Book the hall", "owner_organisation_id": w.partner,
                   "aim_id": aim, "description": description, "due_on": "2027-03-01"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let tid = r.json()["id"].as_i64().unwrap();
    assert_eq!(r.json()["aim_id"], aim);
    assert_eq!(r.json()["aim_title"], "Fewer hungry children");
    let t = w.task(tid).await;
    assert_eq!(t["aim_id"], aim);
    assert_eq!(t["description"], description);

    // The page shows the aim and the description as Markdown, with the
    // raw HTML as text and the script link made harmless.
    let page = w
        .app
        .get(&format!("/tasks/{tid}"), Some(&w.lead_admin))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("<strong>big hall</strong>"),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains(r#"<a href="https://example.org/book">the booking form</a>"#)
    );
    assert!(page.body.contains(r##"<a href="#">click me</a>"##));
    assert!(
        page.body
            .contains("&lt;script&gt;alert('x')&lt;/script&gt;")
    );
    assert!(page.body.contains("&lt;img src=x onerror=alert(2)&gt;"));
    assert!(!page.body.contains("<script>alert"));
    assert!(!page.body.contains("href=\"javascript:"));
    assert!(!page.body.contains("<img src=x"));
    assert!(page.body.contains(&format!(
        r#"<a href="/collaborations/{}/aims">Fewer hungry children</a>"#,
        w.c
    )));
    // The form offers the collaboration's aims, chosen.
    assert!(
        page.body.contains(&format!(
            r#"<option value="{aim}" selected>Fewer hungry children</option>"#
        )),
        "{}",
        page.body
    );
    assert!(!page.body.contains("More allotments"));

    // Changing it: another collaboration's aim is refused on the form, with
    // the input kept; clearing it is fine.
    let version = t["version"].as_i64().unwrap().to_string();
    let foreign_str = foreign_aim.to_string();
    let lead_str = w.lead.to_string();
    let r = w
        .app
        .post_form(
            &format!("/tasks/{tid}"),
            Some(&w.lead_admin),
            &[
                ("title", "Book the big hall"),
                ("owner_organisation_id", &lead_str),
                ("aim_id", &foreign_str),
                ("version", &version),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains("Choose one of this collaboration&#39;s aims, or none.")
            || r.body
                .contains("Choose one of this collaboration's aims, or none."),
        "{}",
        r.body
    );
    assert!(r.body.contains(r#"value="Book the big hall""#));
    assert_eq!(w.task(tid).await["aim_id"], aim);
    let r = w
        .api(
            &w.lead_admin,
            Method::PUT,
            &format!("/api/v1/tasks/{tid}"),
            Some(json!({"title": "Book the big hall", "owner_organisation_id": w.lead, "version": t["version"], "aim_id": foreign_aim})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.json()["errors"]["aim_id"],
        "Choose one of this collaboration's aims, or none."
    );
    let r = w
        .api(
            &w.lead_admin,
            Method::PUT,
            &format!("/api/v1/tasks/{tid}"),
            Some(json!({"title": "Book the big hall", "owner_organisation_id": w.lead, "version": t["version"], "aim_id": null})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["aim_id"], Value::Null);
    let t = w.task(tid).await;
    assert_eq!(t["aim_id"], Value::Null);
    assert_eq!(t["aim_title"], Value::Null);
    let r = w
        .api(
            &w.lead_admin,
            Method::PUT,
            &format!("/api/v1/tasks/{tid}"),
            Some(json!({"title": "Book the big hall", "owner_organisation_id": w.lead, "version": t["version"], "aim_id": aim})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(w.task(tid).await["aim_title"], "Fewer hungry children");
}

/// A feed as a real parser reads it: its events' properties by name.
fn events(ics: &str) -> Vec<std::collections::BTreeMap<String, (String, String)>> {
    let mut parser = ical::IcalParser::new(std::io::BufReader::new(ics.as_bytes()));
    let calendar = parser.next().expect("a calendar").expect("it parses");
    assert!(parser.next().is_none(), "one calendar only");
    calendar
        .events
        .into_iter()
        .map(|e| {
            e.properties
                .into_iter()
                .map(|p| {
                    let params = p
                        .params
                        .unwrap_or_default()
                        .into_iter()
                        .map(|(k, v)| format!("{k}={}", v.join(",")))
                        .collect::<Vec<_>>()
                        .join(";");
                    (p.name, (params, p.value.unwrap_or_default()))
                })
                .collect()
        })
        .collect()
}

fn value<'a>(e: &'a std::collections::BTreeMap<String, (String, String)>, name: &str) -> &'a str {
    e.get(name).map(|(_, v)| v.as_str()).unwrap_or("")
}

/// iCalendar text unescaped (the parser leaves the escapes in).
fn unescape(v: &str) -> String {
    v.replace("\\n", "\n")
        .replace("\\,", ",")
        .replace("\\;", ";")
        .replace("\\\\", "\\")
}

impl World {
    async fn feed(&self, url: &str) -> common::TestResponse {
        let path = url
            .strip_prefix("http://commonground.test")
            .expect("an address on this site");
        // No cookie, no token: the address is the key.
        self.app.get(path, None).await
    }

    async fn new_address(&self, who: &Person, path: &str) -> String {
        let r = self.api(who, Method::POST, path, None).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        r.json()["url"].as_str().unwrap().to_string()
    }
}

const WELSH: &str = "Trefnu’r cyfarfod cyhoeddus ym Mhwllheli a chasglu barn pobl leol am Ŵyl Fwyd Llŷn a’r banc bwyd newydd";

#[tokio::test]
async fn calendar_feeds_have_secret_addresses_filters_stable_events_and_folded_lines() {
    let w = world().await;
    let lead_admin_id = w.lead_admin.id;
    let w = &w;
    let mk = |body: Value| async move {
        let r = w.add_task(&w.lead_admin, body).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        r.json()["id"].as_i64().unwrap()
    };
    let a = mk(json!({"title": WELSH, "owner_organisation_id": w.lead, "assignee_id": lead_admin_id, "due_on": "2027-03-01"})).await;
    let b = mk(json!({"title": "Print the leaflets", "owner_organisation_id": w.partner, "due_on": "2027-03-05", "milestone": true})).await;
    let _undated =
        mk(json!({"title": "Think about a name", "owner_organisation_id": w.lead})).await;
    let _done = mk(json!({"title": "Book the hall", "owner_organisation_id": w.lead, "due_on": "2027-02-01", "status": "done"})).await;
    let path = format!("/api/v1/collaborations/{}/calendar", w.c);

    // No address yet; reading the state gives none.
    let r = w.api(&w.lead_admin, Method::GET, &path, None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        r.json(),
        json!({"url": null, "active": false, "made_at": null, "made_at_rfc3339": null})
    );

    // An address for the lead's own tasks only (the filter is carried in it).
    let r = w
        .api(
            &w.lead_admin,
            Method::POST,
            &format!("{path}?owner_organisation_id={}", w.lead),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let filtered = r.json()["url"].as_str().unwrap().to_string();
    assert!(
        filtered.starts_with("http://commonground.test/calendar-feeds/"),
        "{filtered}"
    );
    assert!(filtered.ends_with(&format!("/tasks.ics?owner_organisation_id={}", w.lead)));
    assert_eq!(r.json()["active"], true);
    let state = w.api(&w.lead_admin, Method::GET, &path, None).await.json();
    assert_eq!(state["url"], Value::Null);
    assert_eq!(state["active"], true);

    let feed = w.feed(&filtered).await;
    assert_eq!(feed.status, StatusCode::OK, "{}", feed.body);
    assert_eq!(
        feed.header("content-type").as_deref(),
        Some("text/calendar; charset=utf-8")
    );
    let evs = events(&feed.body);
    assert_eq!(evs.len(), 1, "{}", feed.body);
    let e = &evs[0];
    assert_eq!(value(e, "UID"), format!("task-{a}@commonground.test"));
    assert_eq!(unescape(value(e, "SUMMARY")), WELSH);
    assert_eq!(
        e["DTSTART"],
        ("VALUE=DATE".to_string(), "20270301".to_string())
    );
    assert_eq!(
        e["DTEND"],
        ("VALUE=DATE".to_string(), "20270302".to_string())
    );
    let description = unescape(value(e, "DESCRIPTION"));
    assert!(
        description.ends_with(&format!("\n\nhttp://commonground.test/tasks/{a}")),
        "{description}"
    );
    assert!(
        description
            .contains("Status: Not started\nOwner: Riverside Food Bank\nAssignee: Lena Lead")
    );
    // Lines are folded at 75 octets, on character boundaries, so the long
    // Welsh title is on more than one line of the text.
    assert!(
        feed.body.split("\r\n").all(|l| l.len() <= 75),
        "{}",
        feed.body
    );
    assert!(!feed.body.contains(WELSH));
    assert!(feed.body.contains("\r\n "));
    // The same feed twice is the same text.
    assert_eq!(w.feed(&filtered).await.body, feed.body);

    // A change keeps the event's UID and raises its SEQUENCE.
    let t = w.task(a).await;
    let r = w
        .api(
            &w.lead_admin,
            Method::PUT,
            &format!("/api/v1/tasks/{a}"),
            Some(json!({"title": "Hold the public meeting", "owner_organisation_id": w.lead, "assignee_id": lead_admin_id, "due_on": "2027-03-02", "version": t["version"]})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let evs = events(&w.feed(&filtered).await.body);
    assert_eq!(value(&evs[0], "UID"), format!("task-{a}@commonground.test"));
    assert_eq!(value(&evs[0], "SUMMARY"), "Hold the public meeting");
    assert_eq!(value(&evs[0], "SEQUENCE"), "2");
    assert_eq!(value(&evs[0], "DTSTART"), "20270302");

    // A new address without filters: every open dated task; the old
    // address is gone.
    let all = w.new_address(&w.lead_admin, &path).await;
    assert_ne!(all, filtered);
    assert_eq!(w.feed(&filtered).await.status, StatusCode::NOT_FOUND);
    let evs = events(&w.feed(&all).await.body);
    let uids: Vec<&str> = evs.iter().map(|e| value(e, "UID")).collect();
    assert_eq!(
        uids,
        [
            format!("task-{a}@commonground.test"),
            format!("task-{b}@commonground.test")
        ]
    );
    assert_eq!(value(&evs[1], "SUMMARY"), "Milestone: Print the leaflets");
    // A made-up address is not found either.
    let made_up = format!(
        "http://commonground.test/calendar-feeds/{}/tasks.ics",
        "0".repeat(64)
    );
    assert_eq!(w.feed(&made_up).await.status, StatusCode::NOT_FOUND);

    // Someone who does not take part cannot make or read one.
    for m in [Method::GET, Method::POST] {
        let r = w.api(&w.outsider, m, &path, None).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
    }
    let r = w
        .api(
            &w.lead_admin,
            Method::POST,
            &format!("{path}?status=someday"),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(w.feed(&all).await.status, StatusCode::OK);

    // When the partner leaves, their feed becomes an empty calendar (so
    // calendar apps drop the tasks they had fetched).
    let partner_feed = w.new_address(&w.partner_admin, &path).await;
    assert_eq!(events(&w.feed(&partner_feed).await.body).len(), 2);
    let r = w
        .api(
            &w.partner_admin,
            Method::POST,
            &format!("/api/v1/collaborations/{}/leave", w.c),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    let r = w.feed(&partner_feed).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(events(&r.body).is_empty(), "{}", r.body);

    // The trail says an address was made, not what it is.
    let audit = w
        .api(
            &w.lead_admin,
            Method::GET,
            &format!("/api/v1/collaborations/{}/audit", w.c),
            None,
        )
        .await
        .json();
    let summaries: Vec<&str> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["summary"].as_str().unwrap())
        .filter(|s| s.contains("calendar address"))
        .collect();
    assert_eq!(summaries.len(), 3, "{summaries:?}");
    assert!(summaries.iter().all(|s| !s.contains("calendar-feeds")));
}

#[tokio::test]
async fn my_tasks_feed_and_the_calendar_pages() {
    let w = world().await;
    let mine = w
        .add_task(
            &w.lead_admin,
            json!({"title": "Ring the council", "owner_organisation_id": w.partner, "assignee_id": w.partner_admin.id, "due_on": "2027-04-01"}),
        )
        .await
        .json()["id"]
        .as_i64()
        .unwrap();
    let _not_mine = w
        .add_task(
            &w.lead_admin,
            json!({"title": "Lead's job", "owner_organisation_id": w.lead, "assignee_id": w.lead_admin.id, "due_on": "2027-04-02"}),
        )
        .await;
    let r = w
        .api(&w.partner_admin, Method::GET, "/api/v1/me/calendar", None)
        .await;
    assert_eq!(r.json()["active"], false);
    let url = w.new_address(&w.partner_admin, "/api/v1/me/calendar").await;
    assert!(url.ends_with("/tasks.ics"), "{url}");
    let evs = events(&w.feed(&url).await.body);
    assert_eq!(evs.len(), 1);
    assert_eq!(
        value(&evs[0], "UID"),
        format!("task-{mine}@commonground.test")
    );
    let again = w.new_address(&w.partner_admin, "/api/v1/me/calendar").await;
    assert_eq!(w.feed(&url).await.status, StatusCode::NOT_FOUND);
    assert_eq!(w.feed(&again).await.status, StatusCode::OK);

    // The pages: the state, the address shown once after making it, and
    // how to subscribe.
    let page = w.app.get("/tasks/calendar", Some(&w.partner_admin)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("You made your current address"));
    for app in ["Google Calendar", "Outlook", "Apple Calendar"] {
        assert!(page.body.contains(app), "{app}");
    }
    let r = w
        .app
        .post_form("/tasks/calendar", Some(&w.partner_admin), &[])
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let shown = r
        .body
        .split(r#"id="calendar-address" type="text" readonly value=""#)
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("the address is shown")
        .to_string();
    assert_eq!(w.feed(&again).await.status, StatusCode::NOT_FOUND);
    assert_eq!(w.feed(&shown).await.status, StatusCode::OK);

    let base = format!("/collaborations/{}/calendar", w.c);
    let lead_str = w.lead.to_string();
    let page = w
        .app
        .get(
            &format!("{base}?owner_organisation_id={}", w.lead),
            Some(&w.lead_admin),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains("You have no calendar address for these tasks yet.")
    );
    assert!(page.body.contains(&format!(
        r#"<input type="hidden" name="owner_organisation_id" value="{}">"#,
        w.lead
    )));
    let r = w
        .app
        .post_form(
            &base,
            Some(&w.lead_admin),
            &[("owner_organisation_id", &lead_str)],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let shown = r
        .body
        .split(r#"id="calendar-address" type="text" readonly value=""#)
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .replace("&amp;", "&");
    assert!(
        shown.ends_with(&format!("?owner_organisation_id={}", w.lead)),
        "{shown}"
    );
    let evs = events(&w.feed(&shown).await.body);
    assert_eq!(evs.len(), 1);
    assert_eq!(value(&evs[0], "SUMMARY"), "Lead's job");
    let r = w
        .app
        .post_form(&base, Some(&w.lead_admin), &[("status", "someday")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!r.body.contains("calendar-address\""));
    assert_eq!(w.feed(&shown).await.status, StatusCode::OK);
    assert_eq!(
        w.app.get(&base, Some(&w.outsider)).await.status,
        StatusCode::NOT_FOUND
    );
}

/// The API's pages of tasks and a collaboration's calendar feed are kept
/// per server by the collaboration's revisions and the day. Every change
/// shows at once: a task's title, a renamed partner, a person who deleted
/// their account, a new task, the day moving on; and someone who cannot see
/// the collaboration is refused even when the answer is kept.
#[tokio::test]
async fn kept_task_lists_and_feeds_follow_every_change() {
    let w = world().await;
    let zed = w.app.quick_person("Zed Zebedee").await;
    w.app.join(&zed, w.partner, false).await;
    let r = w
        .add_task(
            &w.partner_admin,
            json!({"title": "Print the leaflets", "owner_organisation_id": w.partner,
                   "assignee_id": zed.id, "due_on": common::in_days(2)}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let tid = r.json()["id"].as_i64().unwrap();
    let list_path = format!("/api/v1/collaborations/{}/tasks?view=all&per_page=500", w.c);
    let list = |who: &'static str| {
        let w = &w;
        let list_path = list_path.clone();
        async move {
            let p = if who == "lead" {
                &w.lead_admin
            } else {
                &w.partner_admin
            };
            let r = w.api(p, Method::GET, &list_path, None).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
            assert_eq!(
                r.header("content-type").as_deref(),
                Some("application/json")
            );
            r.json()
        }
    };
    let page_path = format!("/collaborations/{}/tasks", w.c);
    let list_page = || {
        let w = &w;
        let page_path = page_path.clone();
        async move {
            let r = w.app.get(&page_path, Some(&w.lead_admin)).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
            r.body
        }
    };
    let timeline_path = format!("/api/v1/collaborations/{}/timeline.svg", w.c);
    let timeline = || {
        let w = &w;
        let timeline_path = timeline_path.clone();
        async move {
            let r = w
                .api(&w.partner_admin, Method::GET, &timeline_path, None)
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
            assert_eq!(
                r.header("content-type").as_deref(),
                Some("image/svg+xml; charset=utf-8")
            );
            r.body
        }
    };
    let svg = timeline().await;
    assert!(svg.contains("Print the leaflets"), "{svg}");
    assert_eq!(timeline().await, svg, "kept");
    let r = w.api(&w.outsider, Method::GET, &timeline_path, None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let html = list_page().await;
    assert!(html.contains("Print the leaflets"), "{html}");
    assert!(html.contains("Add a task"), "{html}");
    assert_eq!(list_page().await, html, "kept, and the same again");
    // An observer sees the same tasks, but is not offered to add one.
    let watcher = w.app.quick_person("Wyn Watcher").await;
    let watchers = w.app.organisation(&watcher, "Llŷn Watch").await;
    let inv = w.app.invite(&w.lead_admin, w.c, watchers, "observer").await;
    w.app.accept(&watcher, inv).await;
    let html = list_page().await;
    assert!(html.contains("Add a task"), "{html}");
    let r = w.app.get(&page_path, Some(&watcher)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("Print the leaflets"), "{}", r.body);
    assert!(!r.body.contains("Add a task"), "{}", r.body);
    assert!(
        r.body
            .contains("Your organisation observes this collaboration"),
        "{}",
        r.body
    );
    let first = list("lead").await;
    assert_eq!(first["total"], 1);
    assert_eq!(first["items"][0]["title"], "Print the leaflets");
    assert_eq!(first["items"][0]["assignee_name"], "Zed Zebedee");
    assert_eq!(first["items"][0]["owner_name"], "Ty Llŷn");
    assert_eq!(first["items"][0]["overdue"], false);
    // Kept, and the same for the partner.
    assert_eq!(list("partner").await, first);
    let feed_url = w
        .new_address(
            &w.lead_admin,
            &format!("/api/v1/collaborations/{}/calendar?view=all", w.c),
        )
        .await;
    let feed = w.feed(&feed_url).await;
    assert_eq!(feed.status, StatusCode::OK, "{}", feed.body);
    assert!(
        feed.body.contains("SUMMARY:Print the leaflets"),
        "{}",
        feed.body
    );
    assert_eq!(w.feed(&feed_url).await.body, feed.body);

    // Someone outside is refused, though the answer is kept.
    let r = w.api(&w.outsider, Method::GET, &list_path, None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // The task's title changes.
    let r = w
        .api(
            &w.partner_admin,
            Method::PUT,
            &format!("/api/v1/tasks/{tid}"),
            Some(json!({"title": "Print the posters", "owner_organisation_id": w.partner,
                        "assignee_id": zed.id, "due_on": common::in_days(2), "status": "not_started", "version": 1})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(list("lead").await["items"][0]["title"], "Print the posters");
    let html = list_page().await;
    assert!(html.contains("Print the posters"), "{html}");
    assert!(!html.contains("Print the leaflets"), "{html}");
    let svg = timeline().await;
    assert!(svg.contains("Print the posters"), "{svg}");
    assert!(!svg.contains("Print the leaflets"), "{svg}");
    let feed = w.feed(&feed_url).await;
    assert!(
        feed.body.contains("SUMMARY:Print the posters"),
        "{}",
        feed.body
    );

    // The partner is renamed.
    let r = w
        .api(
            &w.partner_admin,
            Method::PUT,
            &format!("/api/v1/organisations/{}", w.partner),
            Some(json!({"name": "Llŷn Together", "kind": "community_group"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        list("lead").await["items"][0]["owner_name"],
        "Llŷn Together"
    );
    assert!(list_page().await.contains("Llŷn Together"));

    // The person it is assigned to deletes their account.
    let r = w
        .app
        .api(
            Method::DELETE,
            "/api/v1/me",
            Some(&zed.token),
            Some(json!({"password": zed.password})),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    assert_eq!(
        list("lead").await["items"][0]["assignee_name"],
        "a former member of Llŷn Together"
    );

    // A new task.
    let r = w
        .add_task(
            &w.lead_admin,
            json!({"title": "Book the hall", "owner_organisation_id": w.lead, "due_on": common::in_days(9)}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(list("lead").await["total"], 2);
    assert!(list_page().await.contains("Book the hall"));
    assert!(timeline().await.contains("Book the hall"));
    let feed = w.feed(&feed_url).await;
    assert!(feed.body.contains("SUMMARY:Book the hall"), "{}", feed.body);
    // Someone outside is refused, though the page is kept.
    let r = w.app.get(&page_path, Some(&w.outsider)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // Three days on, the first task is overdue.
    assert!(!list_page().await.contains("Overdue"));
    w.app.state.clock.advance(3 * 86_400);
    let later = list("lead").await;
    let later_page = list_page().await;
    w.app.state.clock.advance(-3 * 86_400);
    assert!(later_page.contains("Overdue"), "{later_page}");
    let posters = later["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == tid)
        .unwrap()
        .clone();
    assert_eq!(posters["overdue"], true);
}

/// "My tasks" (the page, the API and the personal feed) is kept by each
/// server with the revisions of the person's organisations and
/// collaborations: every change to what it shows must show at once.
#[tokio::test]
async fn kept_my_tasks_follow_every_change() {
    let w = world().await;
    let zed = w.app.quick_person("Zed Zebedee").await;
    w.app.join(&zed, w.partner, false).await;
    let r = w
        .add_task(
            &w.partner_admin,
            json!({"title": "Print the leaflets", "owner_organisation_id": w.partner,
                   "assignee_id": zed.id, "due_on": common::in_days(2)}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let tid = r.json()["id"].as_i64().unwrap();
    // A task of a collaboration Zed's organisation is not part of, assigned
    // to nobody and owned by an organisation Zed is not in: never his.
    let r = w
        .api(
            &w.outsider,
            Method::POST,
            &format!("/api/v1/collaborations/{}/tasks", w.foreign),
            Some(json!({"title": "Dig the beds", "owner_organisation_id": w.elsewhere})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);

    let w = &w;
    let zed = &zed;
    let api = || async move {
        let r = w.api(zed, Method::GET, "/api/v1/me/tasks", None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(
            r.header("content-type").as_deref(),
            Some("application/json")
        );
        r.json()
    };
    let page = || async move {
        let r = w.app.get("/tasks", Some(zed)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        r.body
    };
    let first = api().await;
    assert_eq!(first["total"], 1, "{first}");
    assert_eq!(first["items"][0]["title"], "Print the leaflets");
    assert_eq!(
        first["items"][0]["collaboration_title"],
        "Riverside and Llŷn together"
    );
    assert_eq!(first["items"][0]["owner_name"], "Ty Llŷn");
    assert_eq!(first["items"][0]["overdue"], false);
    // Kept: the same answer again.
    assert_eq!(api().await, first);
    let html = page().await;
    assert!(html.contains("Print the leaflets"), "{html}");
    assert!(html.contains("1 task."), "{html}");
    assert!(!html.contains("Overdue"), "{html}");
    assert_eq!(page().await, html);
    let feed_url = w.new_address(zed, "/api/v1/me/calendar").await;
    let feed = w.feed(&feed_url).await;
    assert_eq!(feed.status, StatusCode::OK, "{}", feed.body);
    assert!(
        feed.body.contains("SUMMARY:Print the leaflets"),
        "{}",
        feed.body
    );
    assert_eq!(w.feed(&feed_url).await.body, feed.body);
    // Someone else's "my tasks" is their own, though Zed's is kept.
    let r = w
        .api(&w.outsider, Method::GET, "/api/v1/me/tasks", None)
        .await;
    assert_eq!(r.json()["total"], 1, "{}", r.body);
    assert_eq!(r.json()["items"][0]["title"], "Dig the beds");

    // Someone else changes the task's title.
    let r = w
        .api(
            &w.partner_admin,
            Method::PUT,
            &format!("/api/v1/tasks/{tid}"),
            Some(json!({"title": "Print the posters", "owner_organisation_id": w.partner,
                        "assignee_id": zed.id, "due_on": common::in_days(2), "status": "not_started", "version": 1})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(api().await["items"][0]["title"], "Print the posters");
    assert!(page().await.contains("Print the posters"));
    assert!(
        w.feed(&feed_url)
            .await
            .body
            .contains("SUMMARY:Print the posters")
    );

    // The lead renames the collaboration.
    let r = w
        .api(
            &w.lead_admin,
            Method::PUT,
            &format!("/api/v1/collaborations/{}", w.c),
            Some(
                json!({"title": "Riverside and Llŷn, together again", "purpose": "Food for all."}),
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        api().await["items"][0]["collaboration_title"],
        "Riverside and Llŷn, together again"
    );
    assert!(page().await.contains("Riverside and Llŷn, together again"));

    // Zed's organisation is renamed.
    let r = w
        .api(
            &w.partner_admin,
            Method::PUT,
            &format!("/api/v1/organisations/{}", w.partner),
            Some(json!({"name": "Llŷn Together", "kind": "community_group"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(api().await["items"][0]["owner_name"], "Llŷn Together");
    assert!(page().await.contains("Llŷn Together"));

    // A task Zed's organisation owns and nobody has taken.
    let r = w
        .add_task(
            &w.lead_admin,
            json!({"title": "Book the hall", "owner_organisation_id": w.partner, "due_on": common::in_days(9)}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(api().await["total"], 2);
    assert!(page().await.contains("Book the hall"));
    assert!(
        w.feed(&feed_url)
            .await
            .body
            .contains("SUMMARY:Book the hall")
    );

    // Three days on, the first task is overdue.
    w.app.state.clock.advance(3 * 86_400);
    let later = api().await;
    let later_page = page().await;
    w.app.state.clock.advance(-3 * 86_400);
    assert_eq!(later["items"][0]["id"], tid);
    assert_eq!(later["items"][0]["overdue"], true, "{later}");
    assert!(later_page.contains("Overdue"), "{later_page}");

    // Zed leaves the organisation: nothing is his any more.
    let r = w
        .api(
            zed,
            Method::DELETE,
            &format!("/api/v1/organisations/{}/members/{}", w.partner, zed.id),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    let after = api().await;
    assert_eq!(after["total"], 0, "{after}");
    let html = page().await;
    assert!(!html.contains("Print the posters"), "{html}");
    assert!(!html.contains("Book the hall"), "{html}");
    let feed = w.feed(&feed_url).await.body;
    assert!(!feed.contains("SUMMARY:"), "{feed}");
}
