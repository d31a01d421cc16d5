//! Who is who and meetings through the API and the pages: each partner
//! changes only its own contacts; meetings with an agenda, who came,
//! minutes rendered safely, stale changes refused, actions that become
//! tasks in one step, the list's order, and the calendar invitation read
//! back by a real iCalendar parser.

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

    async fn contacts(&self, who: &Person) -> Value {
        let r = self
            .api(
                who,
                Method::GET,
                &format!("/api/v1/collaborations/{}/contacts", self.c),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        r.json()
    }

    async fn meeting(&self, mid: i64) -> Value {
        let r = self
            .api(
                &self.lead_admin,
                Method::GET,
                &format!("/api/v1/meetings/{mid}"),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        r.json()
    }
}

#[tokio::test]
async fn each_partner_keeps_its_own_contacts_and_everyone_reads_them() {
    let w = world().await;
    let path = format!("/api/v1/collaborations/{}/contacts", w.c);
    let r = w
        .api(
            &w.partner_admin,
            Method::POST,
            &path,
            Some(json!({"name": " Siân Ellis ", "role": "finance_contact", "email": "Sian@Example.org",
                        "phone": "0113 496 0000", "member_id": w.partner_admin.id})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let sian = r.json();
    let cid = sian["id"].as_i64().unwrap();
    assert_eq!(sian["organisation_id"], w.partner);
    assert_eq!(sian["name"], "Siân Ellis");
    assert_eq!(sian["email"], "sian@example.org");
    assert_eq!(sian["member_name"], "Pia Partner");
    assert_eq!(sian["version"], 1);

    // Bad input: every field named, nothing saved.
    let r = w
        .api(
            &w.lead_admin,
            Method::POST,
            &path,
            Some(json!({"name": "", "role": "boss", "email": "nope", "phone": "call me"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let errors = r.json()["errors"].clone();
    for f in ["name", "role", "email", "phone"] {
        assert!(errors.get(f).is_some(), "{f}: {errors}");
    }
    // A member of another organisation cannot be linked.
    let r = w
        .api(
            &w.lead_admin,
            Method::POST,
            &path,
            Some(
                json!({"name": "Lena", "role": "lead_contact", "email": "lena@example.org",
                        "member_id": w.partner_admin.id}),
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let r = w
        .api(
            &w.lead_admin,
            Method::POST,
            &path,
            Some(json!({"name": "Lena Lead", "role": "lead_contact", "email": "lena@example.org"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()["organisation_id"], w.lead);

    // The observer reads both, by organisation name; it may add none.
    let all = w.contacts(&w.observer).await;
    let names: Vec<&str> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Lena Lead", "Siân Ellis"]);
    assert_eq!(all["editable_organisation_id"], Value::Null);
    let r = w
        .api(
            &w.observer,
            Method::POST,
            &path,
            Some(json!({"name": "O", "role": "other", "email": "o@example.org"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);

    // The lead may not change the partner's contact; an outsider does not see it.
    let change = json!({"name": "Siân Ellis-Jones", "role": "finance_contact", "email": "sian@example.org", "version": 1});
    let r = w
        .api(
            &w.lead_admin,
            Method::PUT,
            &format!("/api/v1/contacts/{cid}"),
            Some(change.clone()),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = w
        .api(
            &w.outsider,
            Method::GET,
            &format!("/api/v1/contacts/{cid}"),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = w
        .api(
            &w.outsider,
            Method::GET,
            &format!("/api/v1/collaborations/{}/contacts", w.c),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = w
        .api(
            &w.outsider,
            Method::DELETE,
            &format!("/api/v1/contacts/{cid}"),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = w
        .api(
            &w.partner_admin,
            Method::GET,
            &format!("/api/v1/collaborations/{}/contacts", w.foreign),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // The partner changes it; a second change from the old version is refused.
    let r = w
        .api(
            &w.partner_admin,
            Method::PUT,
            &format!("/api/v1/contacts/{cid}"),
            Some(change.clone()),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["version"], 2);
    assert_eq!(r.json()["member_id"], Value::Null);
    let stale =
        json!({"name": "Someone else", "role": "other", "email": "x@example.org", "version": 1});
    let r = w
        .api(
            &w.partner_admin,
            Method::PUT,
            &format!("/api/v1/contacts/{cid}"),
            Some(stale),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert_eq!(r.json()["current"]["name"], "Siân Ellis-Jones");
    assert_eq!(r.json()["current"]["version"], 2);
    let r = w
        .api(
            &w.observer,
            Method::GET,
            &format!("/api/v1/contacts/{cid}"),
            None,
        )
        .await;
    assert_eq!(r.json()["name"], "Siân Ellis-Jones");

    // The page groups by organisation; only the partner's own has buttons.
    let page = w
        .app
        .get(
            &format!("/collaborations/{}/contacts", w.c),
            Some(&w.lead_admin),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let riverside = page.body.find("<h2 id=\"org-").unwrap();
    assert!(page.body[riverside..].contains("Riverside Food Bank"));
    assert!(page.body.contains("Siân Ellis-Jones"));
    assert!(!page.body.contains(&format!("/contacts/{cid}/edit")));
    let page = w
        .app
        .get(
            &format!("/collaborations/{}/contacts", w.c),
            Some(&w.partner_admin),
        )
        .await;
    assert!(page.body.contains(&format!("/contacts/{cid}/edit")));

    // Removing: not by the lead, then by the partner.
    let r = w
        .app
        .post_form(&format!("/contacts/{cid}/remove"), Some(&w.lead_admin), &[])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = w
        .app
        .post_form(
            &format!("/contacts/{cid}/remove"),
            Some(&w.partner_admin),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let all = w.contacts(&w.lead_admin).await;
    assert_eq!(all["items"].as_array().unwrap().len(), 1);
}

fn meeting_body(title: &str, held_on: &str) -> Value {
    json!({
        "title": title, "held_on": held_on, "starts_at": "14:00", "duration_minutes": 90,
        "place": "Leeds Community Hall, LS1 1AA",
        "agenda": ["Welcome", "Budget for 2027", "Any other business"],
    })
}

#[tokio::test]
async fn meetings_record_who_came_minutes_and_actions_that_become_tasks() {
    let w = world().await;
    let path = format!("/api/v1/collaborations/{}/meetings", w.c);
    let r = w
        .api(
            &w.partner_admin,
            Method::POST,
            &path,
            Some(meeting_body("Steering group, January", "2099-01-14")),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let m = r.json();
    let mid = m["id"].as_i64().unwrap();
    assert_eq!(
        m["agenda"],
        json!(["Welcome", "Budget for 2027", "Any other business"])
    );
    assert_eq!(m["version"], 1);

    // Bad input and the observer are refused; an outsider sees nothing.
    let r = w.api(&w.partner_admin, Method::POST, &path,
        Some(json!({"title": "", "held_on": "2099-02-30", "starts_at": "25:00", "duration_minutes": 0, "place": ""}))).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let errors = r.json()["errors"].clone();
    for f in ["title", "held_on", "starts_at", "duration_minutes", "place"] {
        assert!(errors.get(f).is_some(), "{f}: {errors}");
    }
    let r = w
        .api(
            &w.observer,
            Method::POST,
            &path,
            Some(meeting_body("Nope", "2099-01-01")),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    for p in [
        format!("/api/v1/meetings/{mid}"),
        format!("/api/v1/meetings/{mid}/invite.ics"),
    ] {
        let r = w.api(&w.outsider, Method::GET, &p, None).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{p}");
    }
    let r = w
        .api(
            &w.outsider,
            Method::PUT,
            &format!("/api/v1/meetings/{mid}/attendance"),
            Some(json!({"version": 1, "people": []})),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // Minutes and decisions; a stale change is refused with the meeting now.
    let mut change = meeting_body("Steering group, January", "2099-01-14");
    change["minutes"] = json!("We **agreed** the budget.\n\n<script>alert(1)</script>");
    change["decisions"] = json!(["Adopt the 2027 budget"]);
    change["version"] = json!(1);
    let r = w
        .api(
            &w.lead_admin,
            Method::PUT,
            &format!("/api/v1/meetings/{mid}"),
            Some(change.clone()),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["version"], 2);
    let r = w
        .api(
            &w.partner_admin,
            Method::PUT,
            &format!("/api/v1/meetings/{mid}"),
            Some(change),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert_eq!(r.json()["current"]["version"], 2);
    assert_eq!(
        w.meeting(mid).await["decisions"],
        json!(["Adopt the 2027 budget"])
    );

    // Who came: people for their organisations, and a guest.
    let attendance = json!({"version": 2, "guests": ["Gwen Guest"], "people": [
        {"user_id": w.lead_admin.id, "organisation_id": w.lead, "status": "present"},
        {"user_id": w.partner_admin.id, "organisation_id": w.partner, "status": "apologies"}]});
    let r = w
        .api(
            &w.observer,
            Method::PUT,
            &format!("/api/v1/meetings/{mid}/attendance"),
            Some(attendance.clone()),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let wrong = json!({"version": 2, "people": [{"user_id": w.outsider.id, "organisation_id": w.lead, "status": "present"}]});
    let r = w
        .api(
            &w.lead_admin,
            Method::PUT,
            &format!("/api/v1/meetings/{mid}/attendance"),
            Some(wrong),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let r = w
        .api(
            &w.lead_admin,
            Method::PUT,
            &format!("/api/v1/meetings/{mid}/attendance"),
            Some(attendance.clone()),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let m = w.meeting(mid).await;
    let lines: Vec<(String, String)> = m["attendance"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["name"].as_str().unwrap().to_string(),
                a["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            ("Lena Lead".to_string(), "present".to_string()),
            ("Pia Partner".to_string(), "apologies".to_string()),
            ("Gwen Guest".to_string(), "present".to_string()),
        ]
    );
    assert_eq!(m["version"], 3);
    let r = w
        .api(
            &w.lead_admin,
            Method::PUT,
            &format!("/api/v1/meetings/{mid}/attendance"),
            Some(attendance),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "stale attendance");

    // An action becomes a task in one step.
    let action = json!({"title": "Send the budget to trustees", "owner_organisation_id": w.partner,
                        "assignee_id": w.partner_admin.id, "due_on": "2099-02-01"});
    let r = w
        .api(
            &w.observer,
            Method::POST,
            &format!("/api/v1/meetings/{mid}/actions"),
            Some(action.clone()),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = w
        .api(
            &w.lead_admin,
            Method::POST,
            &format!("/api/v1/meetings/{mid}/actions"),
            Some(json!({"title": "", "owner_organisation_id": w.partner})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = w
        .api(
            &w.lead_admin,
            Method::POST,
            &format!("/api/v1/meetings/{mid}/actions"),
            Some(action),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let tid = r.json()["task_id"].as_i64().unwrap();
    let t = w
        .api(
            &w.lead_admin,
            Method::GET,
            &format!("/api/v1/tasks/{tid}"),
            None,
        )
        .await;
    assert_eq!(t.status, StatusCode::OK, "{}", t.body);
    assert_eq!(t.json()["title"], "Send the budget to trustees");
    assert_eq!(t.json()["owner_organisation_id"], w.partner);
    assert_eq!(t.json()["due_on"], "2099-02-01");
    let m = w.meeting(mid).await;
    assert_eq!(m["actions"][0]["task_id"], tid);
    assert_eq!(m["actions"][0]["status"], "not_started");
    assert_eq!(m["actions"][0]["assignee_name"], "Pia Partner");

    // The page: minutes rendered without the script, the action linked with its status.
    let page = w
        .app
        .get(&format!("/meetings/{mid}"), Some(&w.observer))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("<strong>agreed</strong>"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("<script>alert(1)"));
    assert!(page.body.contains(&format!("href=\"/tasks/{tid}\"")));
    assert!(page.body.contains("Not started"));
    assert!(
        !page
            .body
            .contains(&format!("action=\"/meetings/{mid}/actions\""))
    );

    // The calendar invitation, read back by a real parser.
    let r = w
        .api(
            &w.observer,
            Method::GET,
            &format!("/api/v1/meetings/{mid}/invite.ics"),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.header("content-type")
            .unwrap()
            .starts_with("text/calendar")
    );
    let cal = ical::IcalParser::new(std::io::BufReader::new(r.body.as_bytes()))
        .next()
        .expect("a calendar")
        .expect("it parses");
    assert_eq!(cal.events.len(), 1);
    let prop = |name: &str| {
        cal.events[0]
            .properties
            .iter()
            .find(|p| p.name == name)
            .and_then(|p| p.value.clone())
            .unwrap_or_else(|| panic!("no {name}"))
    };
    assert_eq!(prop("SUMMARY"), "Steering group\\, January");
    assert_eq!(prop("DTSTART"), "20990114T140000");
    assert_eq!(prop("DTEND"), "20990114T153000");
    assert_eq!(prop("LOCATION"), "Leeds Community Hall\\, LS1 1AA");
    assert_eq!(prop("UID"), format!("meeting-{mid}@commonground.test"));
    // The ical crate trims a space that ends a folded line, so compare
    // without spaces (the folding itself is as RFC 5545 says).
    let description = prop("DESCRIPTION").replace(' ', "");
    assert!(
        description.contains("Agenda:\\n1.Welcome\\n2.Budgetfor2027\\n3.Anyotherbusiness"),
        "{description}"
    );
    assert!(description.contains(&format!("/meetings/{mid}")));
}

#[tokio::test]
async fn the_list_shows_upcoming_meetings_first_then_the_newest_past_ones() {
    let w = world().await;
    let path = format!("/api/v1/collaborations/{}/meetings", w.c);
    for (t, d) in [
        ("Past one", "2001-03-01"),
        ("Far ahead", "2099-06-01"),
        ("Past two", "2002-03-01"),
        ("Soon", "2098-01-01"),
    ] {
        let r = w
            .api(&w.lead_admin, Method::POST, &path, Some(meeting_body(t, d)))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
    let r = w.api(&w.observer, Method::GET, &path, None).await;
    assert_eq!(r.status, StatusCode::OK);
    let body = r.json();
    let titles_owned: Vec<String> = body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["title"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(titles_owned, ["Soon", "Far ahead", "Past two", "Past one"]);
    assert_eq!(body["total"], 4);
    let r = w
        .api(&w.observer, Method::GET, &format!("{path}?page=2"), None)
        .await;
    assert_eq!(r.json()["items"].as_array().unwrap().len(), 0);

    // The page form keeps what was typed when it is wrong.
    let r = w
        .app
        .post_form(
            &format!("/collaborations/{}/meetings", w.c),
            Some(&w.partner_admin),
            &[
                ("title", "Kept title"),
                ("held_on", "2099-13-01"),
                ("starts_at", "10:00"),
                ("duration_minutes", "60"),
                ("place", "Hall"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("value=\"Kept title\""));
    assert!(r.body.contains("as a date like"));
}

/// A meeting is removed from its page after a question; the tasks made
/// from its actions stay in the action plan; an observer cannot remove it.
#[tokio::test]
async fn a_meeting_is_removed_from_its_page_and_its_tasks_stay() {
    let w = world().await;
    let r = w
        .api(
            &w.partner_admin,
            Method::POST,
            &format!("/api/v1/collaborations/{}/meetings", w.c),
            Some(meeting_body("Finance group", "2099-03-02")),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let mid = r.json()["id"].as_i64().unwrap();
    let r = w
        .api(
            &w.partner_admin,
            Method::POST,
            &format!("/api/v1/meetings/{mid}/actions"),
            Some(json!({"title": "Send the budget round", "owner_organisation_id": w.partner})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let task = r.json()["task_id"].as_i64().unwrap();

    let page = w
        .app
        .get(&format!("/meetings/{mid}"), Some(&w.lead_admin))
        .await;
    assert!(
        page.body
            .contains(&format!("href=\"/meetings/{mid}/remove\""))
    );
    let page = w
        .app
        .get(&format!("/meetings/{mid}"), Some(&w.observer))
        .await;
    assert!(!page.body.contains(&format!("/meetings/{mid}/remove")));
    let r = w
        .app
        .get(&format!("/meetings/{mid}/remove"), Some(&w.observer))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = w
        .app
        .post_form(&format!("/meetings/{mid}/remove"), Some(&w.observer), &[])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(w.meeting(mid).await["title"], "Finance group");
    let r = w
        .app
        .post_form(&format!("/meetings/{mid}/remove"), Some(&w.outsider), &[])
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    let confirm = w
        .app
        .get(&format!("/meetings/{mid}/remove"), Some(&w.lead_admin))
        .await;
    assert_eq!(confirm.status, StatusCode::OK);
    assert!(
        confirm
            .body
            .contains("Remove the meeting \u{201c}Finance group\u{201d} on 2099-03-02?")
    );
    assert!(
        confirm
            .body
            .contains("Tasks made from its actions stay in the action plan.")
    );
    let r = w
        .app
        .post_form(&format!("/meetings/{mid}/remove"), Some(&w.lead_admin), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        r.header("location").as_deref(),
        Some(format!("/collaborations/{}/meetings?done=removed", w.c).as_str())
    );
    let list = w
        .app
        .get(
            &format!("/collaborations/{}/meetings?done=removed", w.c),
            Some(&w.lead_admin),
        )
        .await;
    assert!(list.body.contains("The meeting has been removed."));
    assert!(!list.body.contains("Finance group"));
    let r = w
        .api(
            &w.lead_admin,
            Method::GET,
            &format!("/api/v1/meetings/{mid}"),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = w
        .api(
            &w.lead_admin,
            Method::GET,
            &format!("/api/v1/tasks/{task}"),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["title"], "Send the budget round");
}

/// Every form token on a page, which must all be `who`'s own.
fn assert_own_tokens(page: &str, who: &Person) {
    let forms = page.matches("name=\"csrf\"").count();
    assert!(forms >= 1, "no form on the page: {page}");
    assert_eq!(
        page.matches(&format!("name=\"csrf\" value=\"{}\"", who.csrf))
            .count(),
        forms,
        "every form carries {}'s own token: {page}",
        who.name
    );
    assert!(!page.contains("<csrf-slot>"), "{page}");
}

/// The meeting page's content is kept by each server with the
/// collaboration's revisions (a meeting of 300 people is costly to write
/// out): every change to what it shows must show at once, each person's
/// forms carry their own token, and what people write cannot reach the
/// token's place.
#[tokio::test]
async fn the_kept_meeting_page_follows_every_change_with_each_persons_own_form_token() {
    let w = world().await;
    let mut body = meeting_body("Steering group, March", "2099-03-11");
    body["minutes"] = json!("We met. <csrf-slot> was written here on purpose.");
    let r = w
        .api(
            &w.lead_admin,
            Method::POST,
            &format!("/api/v1/collaborations/{}/meetings", w.c),
            Some(body.clone()),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let mid = r.json()["id"].as_i64().unwrap();
    let path = format!("/meetings/{mid}");
    let get = |who: &Person| {
        let w = &w;
        let path = path.clone();
        let who = who.clone();
        async move {
            let r = w.app.get(&path, Some(&who)).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
            r.body
        }
    };
    let pia_select = format!("name=\"att_{}_{}\"", w.partner_admin.id, w.partner);
    let lead = get(&w.lead_admin).await;
    assert_own_tokens(&lead, &w.lead_admin);
    assert!(lead.contains(&pia_select), "{lead}");
    assert!(
        lead.contains("&lt;csrf-slot&gt; was written here on purpose."),
        "{lead}"
    );
    // Kept, with the same content for another partner, who gets their own
    // token; the observer's page has no forms.
    let again = get(&w.lead_admin).await;
    assert_eq!(again, lead);
    let partner = get(&w.partner_admin).await;
    assert_own_tokens(&partner, &w.partner_admin);
    assert!(partner.contains(&pia_select));
    let observer = get(&w.observer).await;
    assert!(!observer.contains(&pia_select), "{observer}");
    assert!(
        observer.contains("so you can read this meeting but not change it"),
        "{observer}"
    );
    let r = w.app.get(&path, Some(&w.outsider)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // A notice of what was just done is the asker's own, not kept.
    let r = w
        .app
        .get(&format!("{path}?done=attendance"), Some(&w.lead_admin))
        .await;
    assert!(r.body.contains("Who came has been saved."), "{}", r.body);
    assert!(
        !get(&w.lead_admin)
            .await
            .contains("Who came has been saved.")
    );

    // Who came, through the page's own form with the kept page's token.
    let pia_field = format!("att_{}_{}", w.partner_admin.id, w.partner);
    let r = w
        .app
        .post_form(
            &format!("{path}/attendance"),
            Some(&w.partner_admin),
            &[
                ("version", "1"),
                (pia_field.as_str(), "apologies"),
                ("guests", "Gwen Guest"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let lead = get(&w.lead_admin).await;
    assert!(
        lead.contains("<option value=\"apologies\" selected>"),
        "{lead}"
    );
    assert!(lead.contains("Gwen Guest"), "{lead}");
    let observer = get(&w.observer).await;
    assert!(
        observer.contains("Pia Partner (Ty Llŷn): Sent apologies"),
        "{observer}"
    );

    // The minutes change.
    body["minutes"] = json!("We agreed the **budget**.");
    body["version"] = json!(2);
    let r = w
        .api(
            &w.lead_admin,
            Method::PUT,
            &format!("/api/v1/meetings/{mid}"),
            Some(body),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(
        get(&w.observer)
            .await
            .contains("We agreed the <strong>budget</strong>.")
    );

    // An action becomes a task; the task's status shows on the page.
    let r = w
        .api(
            &w.lead_admin,
            Method::POST,
            &format!("/api/v1/meetings/{mid}/actions"),
            Some(json!({"title": "Send the budget", "owner_organisation_id": w.lead})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let tid = r.json()["task_id"].as_i64().unwrap();
    let page = get(&w.observer).await;
    assert!(page.contains("Send the budget"), "{page}");
    assert!(page.contains("Not started"), "{page}");
    let r = w
        .api(
            &w.lead_admin,
            Method::PATCH,
            &format!("/api/v1/tasks/{tid}"),
            Some(json!({"status": "in_progress", "version": 1})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let page = get(&w.observer).await;
    assert!(page.contains("In progress"), "{page}");

    // Someone new joins a partner: they can be recorded at once.
    let nia = w.app.quick_person("Nia Newcomer").await;
    w.app.join(&nia, w.partner, false).await;
    let lead = get(&w.lead_admin).await;
    assert!(
        lead.contains(&format!("name=\"att_{}_{}\"", nia.id, w.partner)),
        "{lead}"
    );
    assert_own_tokens(&lead, &w.lead_admin);
}

/// Who is who is kept by each server per organisation that may change
/// contacts: each partner sees buttons only on its own contacts and its
/// own name on the form, with its own token, and a change shows at once.
#[tokio::test]
async fn the_kept_who_is_who_page_is_each_partners_own() {
    let w = world().await;
    let api_path = format!("/api/v1/collaborations/{}/contacts", w.c);
    let r = w
        .api(
            &w.partner_admin,
            Method::POST,
            &api_path,
            Some(json!({"name": "Siân Ellis", "role": "finance_contact", "email": "sian@example.org"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let sian = r.json()["id"].as_i64().unwrap();
    let path = format!("/collaborations/{}/contacts", w.c);
    let get = |who: &Person| {
        let w = &w;
        let path = path.clone();
        let who = who.clone();
        async move {
            let r = w.app.get(&path, Some(&who)).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
            r.body
        }
    };
    let edit = format!("href=\"/contacts/{sian}/edit\"");
    let partner = get(&w.partner_admin).await;
    assert!(partner.contains(&edit), "{partner}");
    assert!(partner.contains("Add a contact for Ty Llŷn"), "{partner}");
    assert_own_tokens(&partner, &w.partner_admin);
    assert_eq!(get(&w.partner_admin).await, partner, "kept");
    let lead = get(&w.lead_admin).await;
    assert!(lead.contains("Siân Ellis"), "{lead}");
    assert!(!lead.contains(&edit), "{lead}");
    assert!(
        lead.contains("Add a contact for Riverside Food Bank"),
        "{lead}"
    );
    assert_own_tokens(&lead, &w.lead_admin);
    let watched = get(&w.observer).await;
    assert!(watched.contains("Siân Ellis"), "{watched}");
    assert!(!watched.contains(&edit), "{watched}");
    assert!(
        !watched.contains(&format!("action=\"{path}\"")),
        "{watched}"
    );
    assert_own_tokens(&watched, &w.observer);
    let r = w.app.get(&path, Some(&w.outsider)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // A new contact, added through the page's own form.
    let r = w
        .app
        .post_form(
            &path,
            Some(&w.lead_admin),
            &[
                ("name", "Lena Lead"),
                ("role", "lead_contact"),
                ("email", "lena@example.org"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let watched = get(&w.observer).await;
    assert!(watched.contains("Lena Lead"), "{watched}");
    let r = w
        .app
        .get(&format!("{path}?done=added"), Some(&w.lead_admin))
        .await;
    assert!(r.body.contains("The contact has been added."), "{}", r.body);
}
