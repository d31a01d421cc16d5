//! The action plan through the API and the pages: workstreams, tasks with
//! their checks, dependencies (loops refused by name, done waiting for
//! what it depends on unless a reason is given), stale changes, the list's
//! filters and pages, "my tasks", the CSV export, and the Implement
//! checklist. Who may do what is also in the access tables.

mod common;

use axum::http::{Method, StatusCode};
use common::{Person, TestApp};
use serde_json::{Value, json};

struct World {
    app: TestApp,
    c: i64,
    lead: i64,
    partner: i64,
    watching: i64,
    foreign: i64,
    lead_admin: Person,
    partner_admin: Person,
    observer: Person,
    outsider: Person,
}

async fn world() -> World {
    let app = TestApp::new().await;
    let lead_admin = app.quick_person("Lena Lead").await;
    let partner_admin = app.quick_person("Pia Partner").await;
    let observer = app.quick_person("Oona Observer").await;
    let outsider = app.quick_person("Otto Outsider").await;
    let lead = app.organisation(&lead_admin, "Riverside Food Bank").await;
    let partner = app.organisation(&partner_admin, "Ty Llŷn").await;
    let watching = app.organisation(&observer, "County CVS").await;
    let elsewhere = app.organisation(&outsider, "Elsewhere Allotments").await;
    let c = app
        .collaboration(&lead_admin, lead, "Riverside and Llŷn together")
        .await;
    let inv = app.invite(&lead_admin, c, partner, "partner").await;
    app.accept(&partner_admin, inv).await;
    let inv = app.invite(&lead_admin, c, watching, "observer").await;
    app.accept(&observer, inv).await;
    let foreign = app
        .collaboration(&outsider, elsewhere, "Allotment plans")
        .await;
    World {
        app,
        c,
        lead,
        partner,
        watching,
        foreign,
        lead_admin,
        partner_admin,
        observer,
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

    async fn task_id(&self, title: &str, owner: i64, due: &str) -> i64 {
        let r = self
            .add_task(
                &self.lead_admin,
                json!({"title": title, "owner_organisation_id": owner, "due_on": due}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        r.json()["id"].as_i64().unwrap()
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

    async fn list(&self, query: &str) -> Value {
        let r = self
            .api(
                &self.partner_admin,
                Method::GET,
                &format!("/api/v1/collaborations/{}/tasks{query}", self.c),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        r.json()
    }

    fn titles(list: &Value) -> Vec<String> {
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["title"].as_str().unwrap().to_string())
            .collect()
    }

    async fn audit(&self) -> Vec<String> {
        let r = self
            .api(
                &self.lead_admin,
                Method::GET,
                &format!("/api/v1/collaborations/{}/audit", self.c),
                None,
            )
            .await;
        r.json()["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["summary"].as_str().unwrap().to_string())
            .collect()
    }

    async fn depend(&self, who: &Person, tid: i64, on: i64) -> common::TestResponse {
        self.api(
            who,
            Method::POST,
            &format!("/api/v1/tasks/{tid}/dependencies"),
            Some(json!({"depends_on_id": on})),
        )
        .await
    }
}

#[tokio::test]
async fn tasks_are_checked_added_listed_and_read_only_for_observers() {
    let w = world().await;
    let r = w
        .api(
            &w.lead_admin,
            Method::POST,
            &format!("/api/v1/collaborations/{}/workstreams", w.c),
            Some(json!({"name": " Outreach ", "description": "Reaching families."})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let ws = r.json()["id"].as_i64().unwrap();
    assert_eq!(
        r.json(),
        json!({"id": ws, "name": "Outreach", "description": "Reaching families.", "tasks": 0})
    );

    // Every field problem at once, as field errors.
    let r = w
        .add_task(
            &w.lead_admin,
            json!({"owner_organisation_id": w.lead, "start_on": "2027-05-02", "due_on": "2027-05-01"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["errors"]["title"], "Enter a title.");
    assert_eq!(
        r.json()["errors"]["due_on"],
        "The due date must be on or after the start date."
    );
    let r = w
        .add_task(
            &w.lead_admin,
            json!({"title": "X", "owner_organisation_id": w.lead, "due_on": "2027-13-01"}),
        )
        .await;
    assert_eq!(
        r.json()["errors"]["due_on"],
        "Enter the due date as a date like 2027-03-31 (year, month, day)."
    );
    // What only the collaboration knows: who takes part, who belongs where,
    // and whose workstream it is.
    let elsewhere_ws = w
        .api(
            &w.outsider,
            Method::POST,
            &format!("/api/v1/collaborations/{}/workstreams", w.foreign),
            Some(json!({"name": "Beds"})),
        )
        .await
        .json()["id"]
        .as_i64()
        .unwrap();
    let r = w
        .add_task(
            &w.lead_admin,
            json!({"title": "X", "owner_organisation_id": w.lead, "assignee_id": w.partner_admin.id,
                   "workstream_id": elsewhere_ws}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.json()["errors"]["assignee_id"],
        "Choose a member of the organisation that owns the task, or nobody yet."
    );
    assert_eq!(
        r.json()["errors"]["workstream_id"],
        "Choose one of this collaboration's workstreams, or none."
    );
    let r = w
        .add_task(
            &w.lead_admin,
            json!({"title": "X", "owner_organisation_id": 999_999}),
        )
        .await;
    assert_eq!(
        r.json()["errors"]["owner_organisation_id"],
        "Choose one of the organisations taking part."
    );

    let r = w
        .add_task(
            &w.partner_admin,
            json!({"title": "=HYPERLINK(\"x\")", "owner_organisation_id": w.partner,
                   "assignee_id": w.partner_admin.id, "start_on": "2020-01-01", "due_on": "2020-02-01",
                   "workstream_id": ws, "description": "Call, then write"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let t = r.json();
    assert_eq!(t["owner_name"], "Ty Llŷn");
    assert_eq!(t["assignee_name"], "Pia Partner");
    assert_eq!(t["workstream_name"], "Outreach");
    assert_eq!(t["status"], "not_started");
    assert_eq!(t["overdue"], true);
    assert_eq!(t["version"], 1);
    let launch = w
        .add_task(
            &w.lead_admin,
            json!({"title": "Launch day", "owner_organisation_id": w.lead, "due_on": "2099-06-01", "milestone": true}),
        )
        .await
        .json();
    assert_eq!(launch["start_on"], "2099-06-01");
    assert_eq!(launch["milestone"], true);
    let _ = w.task_id("Book the hall", w.lead, "2099-01-01").await;

    // The list: soonest due first, with each filter, paginated.
    let all = w.list("").await;
    assert_eq!(all["total"], 3);
    assert_eq!(
        World::titles(&all),
        ["=HYPERLINK(\"x\")", "Book the hall", "Launch day"]
    );
    assert_eq!(
        World::titles(&w.list("?overdue=true").await),
        ["=HYPERLINK(\"x\")"]
    );
    assert_eq!(
        World::titles(&w.list(&format!("?owner_organisation_id={}", w.lead)).await),
        ["Book the hall", "Launch day"]
    );
    assert_eq!(
        World::titles(
            &w.list(&format!("?assignee_id={}", w.partner_admin.id))
                .await
        ),
        ["=HYPERLINK(\"x\")"]
    );
    assert_eq!(
        World::titles(&w.list(&format!("?workstream_id={ws}")).await),
        ["=HYPERLINK(\"x\")"]
    );
    assert_eq!(
        World::titles(&w.list("?due_after=2099-01-01&due_before=2099-05-31").await),
        ["Book the hall"]
    );
    let p2 = w.list("?per_page=2&page=2").await;
    assert_eq!(
        (p2["total"].as_i64(), p2["page"].as_i64()),
        (Some(3), Some(2))
    );
    assert_eq!(World::titles(&p2), ["Launch day"]);
    let r = w
        .api(
            &w.lead_admin,
            Method::GET,
            &format!(
                "/api/v1/collaborations/{}/tasks?status=finished&due_before=soon",
                w.c
            ),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["errors"]["status"].is_string());
    assert!(r.json()["errors"]["due_before"].is_string());

    // Observers read but do not write; outsiders see nothing.
    let tid = launch["id"].as_i64().unwrap();
    let r = w
        .add_task(
            &w.observer,
            json!({"title": "Y", "owner_organisation_id": w.watching}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = w
        .api(
            &w.observer,
            Method::GET,
            &format!("/api/v1/tasks/{tid}"),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let r = w
        .api(
            &w.observer,
            Method::DELETE,
            &format!("/api/v1/tasks/{tid}"),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    for (m, path) in [
        (Method::GET, format!("/api/v1/tasks/{tid}")),
        (Method::DELETE, format!("/api/v1/tasks/{tid}")),
        (Method::GET, format!("/api/v1/collaborations/{}/tasks", w.c)),
        (
            Method::GET,
            format!("/api/v1/collaborations/{}/tasks.csv", w.c),
        ),
    ] {
        let r = w.api(&w.outsider, m, &path, None).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(w.list("").await["total"], 3);
    let audit = w.audit().await;
    assert_eq!(audit[0], "Added the task \u{201c}Book the hall\u{201d}.");
    assert_eq!(audit[3], "Added the workstream \u{201c}Outreach\u{201d}.");

    // Deleting takes the task away, with its record.
    let r = w
        .api(
            &w.partner_admin,
            Method::DELETE,
            &format!("/api/v1/tasks/{tid}"),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(w.list("").await["total"], 2);
    assert_eq!(
        w.audit().await[0],
        "Deleted the task \u{201c}Launch day\u{201d}."
    );
}

#[tokio::test]
async fn a_loop_is_refused_by_name_and_done_waits_for_what_it_depends_on() {
    let w = world().await;
    let a = w.task_id("Alpha", w.lead, "2099-01-01").await;
    let b = w.task_id("Bravo", w.partner, "2099-02-01").await;
    let c = w.task_id("Charlie", w.lead, "2099-03-01").await;
    assert_eq!(
        w.depend(&w.lead_admin, b, a).await.status,
        StatusCode::CREATED
    );
    let r = w.depend(&w.partner_admin, c, b).await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(r.json()[0]["title"], "Bravo");

    let r = w.depend(&w.lead_admin, a, c).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.json()["errors"]["depends_on_id"],
        "That would make a loop, so no task in it could start: Alpha → Charlie → Bravo → Alpha. Remove one of those dependencies first, or choose another task."
    );
    let r = w.depend(&w.lead_admin, a, a).await;
    assert_eq!(
        r.json()["errors"]["depends_on_id"],
        "A task cannot depend on itself: Alpha → Alpha."
    );
    assert_eq!(w.task(a).await["depends_on"], json!([]));
    assert_eq!(w.task(a).await["dependents"][0]["title"], "Bravo");
    // A task of another collaboration cannot be depended on, nor reached.
    let other = w
        .api(
            &w.outsider,
            Method::POST,
            &format!("/api/v1/collaborations/{}/tasks", w.foreign),
            Some(json!({"title": "Dig", "owner_organisation_id": serde_json::Value::Null})),
        )
        .await;
    assert_eq!(other.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        w.depend(&w.outsider, a, b).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        w.depend(&w.observer, a, b).await.status,
        StatusCode::FORBIDDEN
    );

    // Bravo cannot be done while Alpha is open, unless someone says why.
    let done = |version: i64, reason: &str| {
        json!({"title": "Bravo", "owner_organisation_id": w.partner, "due_on": "2099-02-01",
               "status": "done", "version": version, "done_reason": reason})
    };
    let r = w
        .api(
            &w.partner_admin,
            Method::PUT,
            &format!("/api/v1/tasks/{b}"),
            Some(done(1, "")),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.json()["errors"]["done_reason"],
        "This task depends on \u{201c}Alpha\u{201d}, which is still open. Finish it first, or say why this task is done anyway."
    );
    assert_eq!(w.task(b).await["status"], "not_started");
    // A change based on an old version is refused, naming the current one.
    let r = w
        .api(
            &w.partner_admin,
            Method::PUT,
            &format!("/api/v1/tasks/{b}"),
            Some(done(7, "x")),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let r = w
        .api(
            &w.partner_admin,
            Method::PUT,
            &format!("/api/v1/tasks/{b}"),
            Some(done(1, "The hall was free anyway.")),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let t = w.task(b).await;
    assert_eq!(
        (t["status"].as_str(), t["version"].as_i64()),
        (Some("done"), Some(2))
    );
    assert_eq!(t["done_reason"], "The hall was free anyway.");
    assert_eq!(
        w.audit().await[0],
        "Marked the task \u{201c}Bravo\u{201d} as done. Something it depends on is still open; the reason given: \u{201c}The hall was free anyway.\u{201d}"
    );
    // In order, no reason is needed, and none is recorded.
    let r = w
        .api(
            &w.lead_admin,
            Method::PUT,
            &format!("/api/v1/tasks/{a}"),
            Some(json!({"title": "Alpha", "owner_organisation_id": w.lead, "due_on": "2099-01-01", "status": "done", "version": 1})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["done_reason"], Value::Null);

    // Removing a dependency.
    let r = w
        .api(
            &w.lead_admin,
            Method::DELETE,
            &format!("/api/v1/tasks/{c}/dependencies/{b}"),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(w.task(c).await["depends_on"], json!([]));
    let r = w
        .api(
            &w.lead_admin,
            Method::DELETE,
            &format!("/api/v1/tasks/{c}/dependencies/{b}"),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // The archive holds the done ones.
    assert_eq!(
        World::titles(&w.list("?view=archive").await),
        ["Alpha", "Bravo"]
    );
    assert_eq!(World::titles(&w.list("?view=open").await), ["Charlie"]);
}

#[tokio::test]
async fn my_tasks_the_csv_and_the_implement_checklist() {
    let w = world().await;
    let check = w
        .api(
            &w.lead_admin,
            Method::GET,
            &format!("/api/v1/collaborations/{}/stages/implement", w.c),
            None,
        )
        .await
        .json();
    // Of the six items only "Problems in hand" is done: there are none.
    assert_eq!(check["percent"], 16);
    assert_eq!(check["checklist"][4]["key"], "decisions_made_together");
    assert_eq!(check["checklist"][4]["done"], false);
    assert_eq!(check["checklist"][3]["key"], "problems_in_hand");
    assert_eq!(check["checklist"][3]["done"], true);
    assert_eq!(
        check["checklist"][0]["detail"],
        "No workstreams or tasks yet. Add a workstream, then its tasks."
    );
    let ws = w
        .api(
            &w.lead_admin,
            Method::POST,
            &format!("/api/v1/collaborations/{}/workstreams", w.c),
            Some(json!({"name": "Premises"})),
        )
        .await
        .json()["id"]
        .as_i64()
        .unwrap();
    let mine = w
        .add_task(
            &w.partner_admin,
            json!({"title": "-1 chairs, \"spare\"", "owner_organisation_id": w.partner,
                   "assignee_id": w.partner_admin.id, "due_on": "2020-03-01", "workstream_id": ws}),
        )
        .await;
    assert_eq!(mine.status, StatusCode::CREATED);
    let ours = w
        .add_task(
            &w.partner_admin,
            json!({"title": "@Unclaimed", "owner_organisation_id": w.partner, "due_on": "2099-03-01", "workstream_id": ws}),
        )
        .await;
    assert_eq!(ours.status, StatusCode::CREATED);
    let _ = w.task_id("Lead's own", w.lead, "2099-01-01").await;

    let r = w
        .api(&w.partner_admin, Method::GET, "/api/v1/me/tasks", None)
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["total"], 2);
    assert_eq!(
        World::titles(&r.json()),
        ["-1 chairs, \"spare\"", "@Unclaimed"]
    );
    assert_eq!(
        r.json()["items"][0]["collaboration_title"],
        "Riverside and Llŷn together"
    );
    let r = w
        .api(&w.outsider, Method::GET, "/api/v1/me/tasks", None)
        .await;
    assert_eq!(r.json()["total"], 0);
    let page = w.app.get("/tasks", Some(&w.partner_admin)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("@Unclaimed"));
    assert!(!page.body.contains("Lead&#39;s own") && !page.body.contains("Lead's own"));

    // The CSV: quoted where needed, formulas disarmed, filters respected.
    let r = w
        .api(
            &w.lead_admin,
            Method::GET,
            &format!(
                "/api/v1/collaborations/{}/tasks.csv?workstream_id={ws}",
                w.c
            ),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        r.header("content-type").as_deref(),
        Some("text/csv; charset=utf-8")
    );
    let lines: Vec<&str> = r.body.split("\r\n").collect();
    assert_eq!(lines.len(), 4, "{}", r.body);
    assert_eq!(
        lines[0],
        "id,title,workstream,owner organisation,assignee,start,due,milestone,status,overdue,description"
    );
    let first = mine.json()["id"].as_i64().unwrap();
    assert_eq!(
        lines[1],
        format!(
            "{first},\"'-1 chairs, \"\"spare\"\"\",Premises,Ty Llŷn,Pia Partner,,2020-03-01,no,Not started,yes,"
        )
    );
    assert!(lines[2].contains(",'@Unclaimed,"));
    let page = w
        .app
        .get(
            &format!("/collaborations/{}/tasks.csv?view=all", w.c),
            Some(&w.observer),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.body.split("\r\n").count(), 5);

    // The checklist: a plan with dates, work not yet under way.
    let check = w
        .api(
            &w.lead_admin,
            Method::GET,
            &format!("/api/v1/collaborations/{}/stages/implement", w.c),
            None,
        )
        .await
        .json();
    assert_eq!(check["checklist"][0]["done"], true);
    assert_eq!(
        check["checklist"][0]["detail"],
        "3 tasks in 1 workstream, each with an owner and a due date."
    );
    assert_eq!(
        check["checklist"][1]["detail"],
        "0 done, 3 open, 1 overdue."
    );
    // Two of six items: the action plan, and "Problems in hand" (there are
    // none); the work has an overdue task, the risk register and the
    // communications plan are not started, and "Decisions made together"
    // has no proposals yet.
    assert_eq!(check["percent"], 33);
    let page = w
        .app
        .get(&format!("/collaborations/{}", w.c), Some(&w.observer))
        .await;
    assert!(
        page.body
            .contains(&format!("href=\"/collaborations/{}/implement\"", w.c))
    );
    assert!(page.body.contains("Action plan made"));
    let page = w
        .app
        .get(
            &format!("/collaborations/{}/implement", w.c),
            Some(&w.observer),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("0 done, 3 open, 1 overdue."));
    let page = w
        .app
        .get(
            &format!("/collaborations/{}/tasks/by-partner", w.c),
            Some(&w.observer),
        )
        .await;
    assert!(page.body.contains("Ty Llŷn"));
}

async fn finish(
    w: &World,
    who: &Person,
    partner: &str,
    tid: i64,
    title: &str,
    reason: &str,
) -> common::TestResponse {
    w.app
        .post_form(
            &format!("/tasks/{tid}"),
            Some(who),
            &[
                ("title", title),
                ("owner_organisation_id", partner),
                ("due_on", "2099-02-01"),
                ("status", "done"),
                ("version", "1"),
                ("done_reason", reason),
            ],
        )
        .await
}

#[tokio::test]
async fn the_pages_add_and_complete_tasks_in_order_with_plain_forms() {
    let w = world().await;
    let who = &w.partner_admin;
    let r = w
        .app
        .post_form(
            &format!("/collaborations/{}/workstreams", w.c),
            Some(who),
            &[("name", ""), ("description", "Kept")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Enter a name.") && r.body.contains("Kept"));
    let r = w
        .app
        .post_form(
            &format!("/collaborations/{}/workstreams", w.c),
            Some(who),
            &[("name", "Outreach")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);

    let partner = w.partner.to_string();
    let r = w
        .app
        .post_form(
            &format!("/collaborations/{}/tasks", w.c),
            Some(who),
            &[
                ("title", "Print leaflets"),
                ("owner_organisation_id", &partner),
                ("start_on", "2099-02-02"),
                ("due_on", "2099-02-01"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains("The due date must be on or after the start date.")
    );
    assert!(r.body.contains("value=\"Print leaflets\""));
    let mut ids = Vec::new();
    for title in ["Print leaflets", "Hand out leaflets"] {
        let r = w
            .app
            .post_form(
                &format!("/collaborations/{}/tasks", w.c),
                Some(who),
                &[
                    ("title", title),
                    ("owner_organisation_id", &partner),
                    ("due_on", "2099-02-01"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let id: i64 = r
            .location()
            .trim_start_matches("/tasks/")
            .split('?')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        ids.push(id);
    }
    let (print, hand) = (ids[0], ids[1]);
    let r = w
        .app
        .post_form(
            &format!("/tasks/{hand}/dependencies"),
            Some(who),
            &[("depends_on_id", &print.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = w
        .app
        .post_form(
            &format!("/tasks/{print}/dependencies"),
            Some(who),
            &[("depends_on_id", &hand.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains("Print leaflets → Hand out leaflets → Print leaflets")
    );

    let r = finish(&w, who, &partner, hand, "Hand out leaflets", "").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains("Finish it first, or say why this task is done anyway.")
    );
    assert_eq!(w.task(hand).await["status"], "not_started");
    assert_eq!(
        finish(&w, who, &partner, print, "Print leaflets", "")
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        finish(&w, who, &partner, hand, "Hand out leaflets", "")
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(w.task(hand).await["status"], "done");
    let r = w
        .app
        .get(&format!("/tasks/{hand}"), Some(&w.observer))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(!r.body.contains("Save the task"));
    let r = w
        .app
        .get(&format!("/tasks/{hand}"), Some(&w.outsider))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = w
        .app
        .get(
            &format!("/collaborations/{}/tasks?view=archive", w.c),
            Some(who),
        )
        .await;
    assert!(r.body.contains("Hand out leaflets") && r.body.contains("Print leaflets"));
    let r = w
        .app
        .get(&format!("/collaborations/{}/tasks", w.c), Some(who))
        .await;
    assert!(r.body.contains("No tasks here yet."));
    let r = w
        .app
        .get(
            &format!("/collaborations/{}/tasks?due_before=never", w.c),
            Some(who),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("value=\"never\""));
    let _ = w.lead;
}

#[tokio::test]
async fn the_timeline_draws_milestones_overdue_tasks_and_dependencies() {
    let w = world().await;
    let late = w.task_id("Book the hall", w.lead, "2020-01-10").await;
    let r = w
        .add_task(
            &w.partner_admin,
            json!({"title": "Launch day", "owner_organisation_id": w.partner, "due_on": "2099-06-01",
                   "milestone": true, "depends_on": [late]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let _ = w
        .add_task(
            &w.lead_admin,
            json!({"title": "Undated", "owner_organisation_id": w.lead}),
        )
        .await;
    let r = w
        .api(
            &w.observer,
            Method::GET,
            &format!("/api/v1/collaborations/{}/timeline.svg", w.c),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        r.header("content-type").as_deref(),
        Some("image/svg+xml; charset=utf-8")
    );
    let svg = &r.body;
    assert!(svg.contains("2 tasks with dates, grouped by workstream; 1 of them milestones; 0 done or cancelled; 1 overdue."), "{svg}");
    assert_eq!(svg.matches("<polygon").count(), 1);
    assert_eq!(svg.matches(">Overdue</text>").count(), 1);
    assert_eq!(svg.matches("class=\"dependency\"").count(), 1);
    assert!(!svg.contains("Undated"));
    let page = w
        .app
        .get(
            &format!("/collaborations/{}/timeline.svg", w.c),
            Some(&w.partner_admin),
        )
        .await;
    assert_eq!(page.body, *svg);
    let r = w
        .api(
            &w.outsider,
            Method::GET,
            &format!("/api/v1/collaborations/{}/timeline.svg", w.c),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let page = w
        .app
        .get(
            &format!("/collaborations/{}/implement", w.c),
            Some(&w.observer),
        )
        .await;
    assert!(
        page.body
            .contains(&format!("src=\"/collaborations/{}/timeline.svg\"", w.c))
    );
}

/// The task list's forms and filters are kept by each server between
/// views; every change to what they offer shows on the next view.
#[tokio::test]
async fn the_task_lists_choices_follow_every_change() {
    let w = world().await;
    let list = format!("/collaborations/{}/tasks", w.c);
    let page = w.app.get(&list, Some(&w.lead_admin)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("Premises"));
    assert!(!page.body.contains("Sam Newcomer"));
    // A new workstream.
    let r = w
        .api(
            &w.lead_admin,
            Method::POST,
            &format!("/api/v1/collaborations/{}/workstreams", w.c),
            Some(json!({"name": "Premises"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let page = w.app.get(&list, Some(&w.lead_admin)).await;
    assert!(page.body.contains(">Premises</option>"), "{}", page.body);
    // A new member of a partner organisation, to assign tasks to.
    let sam = w.app.quick_person("Sam Newcomer").await;
    let r = w
        .api(
            &w.partner_admin,
            Method::POST,
            &format!("/api/v1/organisations/{}/invitations", w.partner),
            Some(json!({"email": sam.email, "role": "member"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let link = w.app.link_for(&sam.email, "/join/");
    let r = w
        .api(
            &sam,
            Method::POST,
            "/api/v1/member-invitations/accept",
            Some(json!({"token": link.trim_start_matches("/join/")})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let page = w.app.get(&list, Some(&w.lead_admin)).await;
    assert!(
        page.body.contains("Sam Newcomer (Ty Llŷn)"),
        "{}",
        page.body
    );
}

/// "My tasks" holds exactly the open tasks assigned to the person, or
/// assigned to nobody and owned by their organisation, in every
/// collaboration their organisation still takes part in; in date order,
/// undated last, page by page.
#[tokio::test]
async fn my_tasks_are_exactly_mine_and_go_when_my_organisation_leaves() {
    let w = world().await;
    let colleague = w.app.quick_person("Cai Colleague").await;
    w.app.join(&colleague, w.partner, false).await;
    let own = w
        .app
        .collaboration(&w.partner_admin, w.partner, "Llŷn winter plan")
        .await;
    let add = |c: i64, body: Value| {
        let w = &w;
        async move {
            let r = w
                .api(
                    &w.partner_admin,
                    Method::POST,
                    &format!("/api/v1/collaborations/{c}/tasks"),
                    Some(body),
                )
                .await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        }
    };
    let p = w.partner;
    let me = w.partner_admin.id;
    add(w.c, json!({"title": "A assigned to me", "owner_organisation_id": p, "assignee_id": me, "due_on": "2030-01-01"})).await;
    add(
        w.c,
        json!({"title": "B ours, nobody's", "owner_organisation_id": p, "due_on": "2030-02-01"}),
    )
    .await;
    add(w.c, json!({"title": "C my colleague's", "owner_organisation_id": p, "assignee_id": colleague.id, "due_on": "2030-01-15"})).await;
    add(
        w.c,
        json!({"title": "D the lead's", "owner_organisation_id": w.lead, "due_on": "2030-01-20"}),
    )
    .await;
    add(w.c, json!({"title": "E mine but done", "owner_organisation_id": p, "assignee_id": me, "due_on": "2030-01-02", "status": "done"})).await;
    add(w.c, json!({"title": "F ours but cancelled", "owner_organisation_id": p, "due_on": "2030-01-03", "status": "cancelled"})).await;
    add(
        w.c,
        json!({"title": "G ours, no date", "owner_organisation_id": p}),
    )
    .await;
    add(
        own,
        json!({"title": "H our own plan", "owner_organisation_id": p, "due_on": "2029-12-01"}),
    )
    .await;
    let mine = |query: &'static str| {
        let w = &w;
        async move {
            let r = w
                .api(
                    &w.partner_admin,
                    Method::GET,
                    &format!("/api/v1/me/tasks{query}"),
                    None,
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
            let v = r.json();
            (v["total"].as_i64().unwrap(), World::titles(&v))
        }
    };
    assert_eq!(
        mine("").await,
        (
            4,
            vec![
                "H our own plan".to_string(),
                "A assigned to me".into(),
                "B ours, nobody's".into(),
                "G ours, no date".into()
            ]
        )
    );
    assert_eq!(
        mine("?per_page=3&page=2").await,
        (4, vec!["G ours, no date".to_string()])
    );
    // The colleague sees only theirs; the page shows the same as the API.
    let r = w
        .app
        .api(
            Method::GET,
            "/api/v1/me/tasks",
            Some(&colleague.token),
            None,
        )
        .await;
    assert_eq!(r.json()["total"], 4);
    assert_eq!(
        World::titles(&r.json()),
        [
            "H our own plan",
            "C my colleague's",
            "B ours, nobody's",
            "G ours, no date"
        ]
    );
    let page = w.app.get("/tasks", Some(&w.partner_admin)).await;
    assert_eq!(page.status, StatusCode::OK);
    for t in ["H our own plan", "A assigned to me", "G ours, no date"] {
        assert!(page.body.contains(t), "{t}");
    }
    for t in ["my colleague", "the lead", "but done", "but cancelled"] {
        assert!(!page.body.contains(t), "{t}");
    }

    // Once the organisation leaves, that collaboration's tasks are not
    // theirs to see any more, wherever they were assigned.
    let r = w
        .api(
            &w.partner_admin,
            Method::POST,
            &format!("/api/v1/collaborations/{}/leave", w.c),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    assert_eq!(mine("").await, (1, vec!["H our own plan".to_string()]));
}

/// `PATCH /api/v1/tasks/{tid}` changes only the fields sent: absent keeps,
/// null clears; the version rule, the checks and access are those of the
/// whole change.
#[tokio::test]
async fn a_patch_changes_only_what_it_sends() {
    let w = world().await;
    let r = w
        .add_task(
            &w.lead_admin,
            json!({"title": "Book the hall", "description": "The **big** one.",
                   "owner_organisation_id": w.partner, "assignee_id": w.partner_admin.id,
                   "start_on": "2099-01-10", "due_on": "2099-01-20"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let tid = r.json()["id"].as_i64().unwrap();
    let path = format!("/api/v1/tasks/{tid}");
    let patch = |who: &Person, body: Value| {
        let w = &w;
        let path = path.clone();
        let who = who.clone();
        async move { w.api(&who, Method::PATCH, &path, Some(body)).await }
    };

    // The status alone.
    let r = patch(
        &w.partner_admin,
        json!({"status": "in_progress", "version": 1}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let t = w.task(tid).await;
    assert_eq!(t["status"], "in_progress");
    assert_eq!(t["version"], 2);
    assert_eq!(t["title"], "Book the hall");
    assert_eq!(t["description"], "The **big** one.");
    assert_eq!(t["assignee_id"], w.partner_admin.id);
    assert_eq!(t["start_on"], "2099-01-10");
    assert_eq!(t["due_on"], "2099-01-20");

    // Null clears; what is left out stays.
    let r = patch(
        &w.partner_admin,
        json!({"assignee_id": null, "start_on": null, "version": 2}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let t = w.task(tid).await;
    assert_eq!(t["assignee_id"], Value::Null);
    assert_eq!(t["start_on"], Value::Null);
    assert_eq!(t["due_on"], "2099-01-20");
    assert_eq!(t["status"], "in_progress");
    assert_eq!(t["version"], 3);

    // Stale, missing version, bad values, unknown fields: refused, and the
    // task is as it was.
    let r = patch(&w.partner_admin, json!({"title": "Old news", "version": 1})).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    let r = patch(&w.partner_admin, json!({"title": "No version"})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.json()["errors"].get("version").is_some(), "{}", r.body);
    let r = patch(
        &w.partner_admin,
        json!({"title": "", "due_on": "2099-02-30", "version": 3}),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let errors = r.json()["errors"].clone();
    assert!(errors.get("title").is_some(), "{errors}");
    assert!(errors.get("due_on").is_some(), "{errors}");
    let r = patch(&w.partner_admin, json!({"colour": "red", "version": 3})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let r = patch(
        &w.partner_admin,
        json!({"assignee_id": "Pia", "version": 3}),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    // Someone outside finds nothing; an observer may not change it.
    let r = patch(&w.outsider, json!({"title": "Mine now", "version": 3})).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    let r = patch(&w.observer, json!({"title": "Watched", "version": 3})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let t = w.task(tid).await;
    assert_eq!(
        (t["title"].as_str(), t["version"].as_i64()),
        (Some("Book the hall"), Some(3))
    );

    // A milestone moves with its date.
    let r = patch(&w.partner_admin, json!({"milestone": true, "version": 3})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = patch(
        &w.partner_admin,
        json!({"due_on": "2099-03-01", "version": 4}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let t = w.task(tid).await;
    assert_eq!(t["milestone"], true);
    assert_eq!(t["due_on"], "2099-03-01");
    assert_eq!(t["version"], 5);
}
