//! The communications plan through the API and the pages: items added,
//! changed and removed, bad input named field by field and kept on the
//! form, stale changes refused with the item as it is now, the log of what
//! went out moving the next date due on, due and overdue said in words,
//! filters and paging, observers refused and outsiders not told anything.

mod common;

use axum::http::{Method, StatusCode};
use common::{Person, TestApp};
use commonground_domain::comms::iso_from_days;
use commonground_domain::problems::days_from_iso;
use serde_json::{Value, json};

struct World {
    app: TestApp,
    c: i64,
    lead: i64,
    partner: i64,
    /// The observer's organisation.
    watching: i64,
    foreign: i64,
    lead_admin: Person,
    partner_admin: Person,
    observer: Person,
    outsider: Person,
    today: String,
}

async fn world() -> World {
    let app = TestApp::new().await;
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
    let today = commonground_web::actions::tasks::today(&app.state);
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
        today,
    }
}

/// The date `n` days from today (before it when negative).
fn day(w: &World, n: i64) -> String {
    iso_from_days(days_from_iso(&w.today).unwrap() + n)
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

    fn list_path(&self) -> String {
        format!("/api/v1/collaborations/{}/comms", self.c)
    }

    async fn list(&self, query: &str) -> Value {
        let r = self
            .api(
                &self.observer,
                Method::GET,
                &format!("{}{query}", self.list_path()),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        r.json()
    }

    async fn item(&self, id: i64) -> Value {
        let r = self
            .api(
                &self.observer,
                Method::GET,
                &format!("/api/v1/comms/{id}"),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        r.json()
    }

    async fn add(&self, who: &Person, body: Value) -> Value {
        let r = self
            .api(who, Method::POST, &self.list_path(), Some(body))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        r.json()
    }

    fn newsletter(&self, on_date: &str) -> Value {
        json!({"audience": "Families using the food banks", "purpose": "Monthly newsletter",
               "key_message": "What is on at each food bank this month.", "channel": "newsletter",
               "owner_organisation_id": self.lead, "owner_person_id": self.lead_admin.id,
               "timing": "monthly", "on_date": on_date})
    }

    async fn audit_actions(&self) -> Vec<String> {
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
            .map(|e| e["action"].as_str().unwrap().to_string())
            .collect()
    }
}

#[tokio::test]
async fn items_are_added_changed_and_removed_through_the_api() {
    let w = world().await;
    let first = day(&w, 10);
    let item = w.add(&w.partner_admin, w.newsletter(&first)).await;
    let id = item["id"].as_i64().unwrap();
    assert_eq!(item["audience"], "Families using the food banks");
    assert_eq!(item["channel"], "newsletter");
    assert_eq!(item["channel_label"], "Newsletter");
    assert_eq!(item["owner_organisation_name"], "Riverside Food Bank");
    assert_eq!(item["owner_person_name"], "Lena Lead");
    assert_eq!(item["timing"], "monthly");
    assert_eq!(
        item["timing_words"],
        format!("Every month from {first}").as_str()
    );
    assert_eq!(item["next_due_on"], first.as_str());
    assert_eq!(item["due"], "upcoming");
    assert_eq!(item["last_sent_on"], Value::Null);
    assert_eq!(item["status"], "planned");
    assert_eq!(item["version"], 1);
    assert_eq!(w.audit_actions().await[0], "comms.added");

    // Bad input: every field named, nothing saved.
    let r = w
        .api(
            &w.lead_admin,
            Method::POST,
            &w.list_path(),
            Some(
                json!({"audience": " ", "channel": "fax", "timing": "yearly",
                        "on_date": "2027-02-30", "status": "finished"}),
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let errors = r.json()["errors"].clone();
    for f in [
        "audience",
        "purpose",
        "key_message",
        "channel",
        "owner_organisation_id",
        "timing",
        "on_date",
        "status",
    ] {
        assert!(errors.get(f).is_some(), "{f}: {errors}");
    }
    // An organisation not taking part, a person not of the organisation.
    let mut body = w.newsletter(&first);
    body["owner_organisation_id"] = json!(w.foreign + 1000);
    let r = w
        .api(&w.lead_admin, Method::POST, &w.list_path(), Some(body))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let refused = "Choose one of the organisations taking part. Observers do not send the collaboration's communications.";
    assert_eq!(r.json()["errors"]["owner_organisation_id"], refused);
    let mut body = w.newsletter(&first);
    body["owner_organisation_id"] = json!(w.watching);
    body["owner_person_id"] = Value::Null;
    let r = w
        .api(&w.lead_admin, Method::POST, &w.list_path(), Some(body))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["errors"]["owner_organisation_id"], refused);
    let mut body = w.newsletter(&first);
    body["owner_person_id"] = json!(w.partner_admin.id);
    let r = w
        .api(&w.lead_admin, Method::POST, &w.list_path(), Some(body))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["errors"].get("owner_person_id").is_some());
    // Unknown fields and a version when adding are refused too.
    let mut body = w.newsletter(&first);
    body["version"] = json!(1);
    let r = w
        .api(&w.lead_admin, Method::POST, &w.list_path(), Some(body))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(w.list("").await["total"], 1);

    // A change based on version 1 is saved; the same again is stale, with
    // the item as it is now.
    let mut change = w.newsletter(&first);
    change["status"] = json!("in_progress");
    change["channel"] = json!("email");
    change["version"] = json!(1);
    let path = format!("/api/v1/comms/{id}");
    let r = w
        .api(&w.lead_admin, Method::PUT, &path, Some(change.clone()))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["version"], 2);
    change["status"] = json!("dropped");
    let r = w
        .api(&w.partner_admin, Method::PUT, &path, Some(change.clone()))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    let body = r.json();
    assert_eq!(body["current"]["version"], 2);
    assert_eq!(body["current"]["status"], "in_progress");
    assert_eq!(body["current"]["channel"], "email");
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .starts_with("Lena Lead changed this item while you were editing it."),
        "{body}"
    );
    let now = w.item(id).await;
    assert_eq!(
        (now["status"].clone(), now["version"].clone()),
        (json!("in_progress"), json!(2))
    );
    // Without a version: asked for, nothing saved.
    change.as_object_mut().unwrap().remove("version");
    let r = w
        .api(&w.lead_admin, Method::PUT, &path, Some(change.clone()))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["errors"].get("version").is_some());
    // Dropped: nothing is due any more.
    change["version"] = json!(2);
    let r = w
        .api(&w.partner_admin, Method::PUT, &path, Some(change))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let now = w.item(id).await;
    assert_eq!(now["status"], "dropped");
    assert_eq!(now["next_due_on"], Value::Null);
    assert_eq!(now["due"], "nothing_due");
    assert_eq!(now["due_words"], "Nothing more is due.");
    assert_eq!(w.audit_actions().await[0], "comms.changed");

    // Observers read but may not change; outsiders are told nothing.
    let r = w
        .api(
            &w.observer,
            Method::POST,
            &w.list_path(),
            Some(w.newsletter(&first)),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = w.api(&w.observer, Method::DELETE, &path, None).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(w.item(id).await["can_contribute"], false);
    for (method, p) in [
        (Method::GET, path.clone()),
        (Method::DELETE, path.clone()),
        (Method::GET, format!("{path}/log")),
        (Method::GET, w.list_path()),
    ] {
        let r = w.api(&w.outsider, method.clone(), &p, None).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{method} {p}");
        assert!(!r.body.contains("Families"));
    }
    // The outsider's own collaboration has no such item either.
    let r = w
        .api(
            &w.lead_admin,
            Method::GET,
            &format!("/api/v1/collaborations/{}/comms", w.foreign),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(w.list("").await["total"], 1);

    let r = w.api(&w.partner_admin, Method::DELETE, &path, None).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let r = w.api(&w.lead_admin, Method::GET, &path, None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(w.list("").await["total"], 0);
    assert_eq!(w.audit_actions().await[0], "comms.removed");
}

#[tokio::test]
async fn the_log_moves_the_next_date_due_on_and_says_when_it_is_overdue() {
    let w = world().await;
    // A monthly newsletter that started 40 days ago, nothing sent yet.
    let first = day(&w, -40);
    let item = w.add(&w.lead_admin, w.newsletter(&first)).await;
    let id = item["id"].as_i64().unwrap();
    assert_eq!(item["next_due_on"], first.as_str());
    assert_eq!(item["due"], "overdue");
    assert_eq!(
        item["due_words"],
        format!("Overdue: it was due on {first} and nothing has been logged since.").as_str()
    );
    assert_eq!(w.list("").await["overdue"], 1);
    let page = w.app.get(&format!("/comms/{id}"), Some(&w.observer)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains(">Overdue<"),
        "the word, not only a colour"
    );
    assert!(page.body.contains("nothing has been logged since"));
    let list = w
        .app
        .get(&format!("/collaborations/{}/comms", w.c), Some(&w.observer))
        .await;
    assert!(list.body.contains("1 item is overdue."));
    assert!(list.body.contains(">Overdue<"));

    // Bad entries: named, nothing logged.
    let log = format!("/api/v1/comms/{id}/log");
    let r = w
        .api(
            &w.partner_admin,
            Method::POST,
            &log,
            Some(
                json!({"sent_on": day(&w, 1), "what": "", "link": "javascript:alert(1)",
                        "channel": "pigeon"}),
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let errors = r.json()["errors"].clone();
    assert_eq!(
        errors["sent_on"],
        format!("The date it went out cannot be after today, {}.", w.today).as_str()
    );
    for f in ["what", "link", "channel"] {
        assert!(errors.get(f).is_some(), "{f}: {errors}");
    }
    let r = w
        .api(
            &w.observer,
            Method::POST,
            &log,
            Some(json!({"sent_on": w.today, "what": "x"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(w.item(id).await["log"], json!([]));

    // Sent today: the next date due is the first of the series after today.
    let r = w
        .api(
            &w.partner_admin,
            Method::POST,
            &log,
            Some(json!({"sent_on": w.today, "what": "November newsletter",
                        "link": "https://example.org/news/11", "notes": "Sent to 420 families."})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let entry = r.json();
    assert_eq!(entry["channel"], "newsletter", "the item's own channel");
    assert_eq!(entry["recorded_by_name"], "Pia Partner");
    let next = (0..)
        .map(|k| {
            commonground_domain::comms::occurrence(
                commonground_domain::comms::Timing::Monthly,
                &first,
                k,
            )
            .unwrap()
        })
        .find(|d| *d > w.today)
        .unwrap();
    let now = w.item(id).await;
    assert_eq!(now["next_due_on"], next.as_str());
    assert_eq!(now["due"], "upcoming");
    assert_eq!(now["due_words"], format!("Next due on {next}.").as_str());
    assert_eq!(now["last_sent_on"], w.today.as_str());
    assert_eq!(now["version"], 1, "logging is not a change of the item");
    assert_eq!(now["log"][0]["what"], "November newsletter");
    assert_eq!(w.list("").await["overdue"], 0);
    assert_eq!(
        w.list("").await["items"][0]["last_sent_on"],
        w.today.as_str()
    );
    assert_eq!(w.audit_actions().await[0], "comms.sent");
    // An older entry goes after it; the list of the log is newest first.
    let r = w
        .api(
            &w.lead_admin,
            Method::POST,
            &log,
            Some(json!({"sent_on": first, "what": "October newsletter", "channel": "email"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let older = r.json()["id"].as_i64().unwrap();
    let r = w.api(&w.observer, Method::GET, &log, None).await;
    let whats: Vec<String> = r
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["what"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(whats, ["November newsletter", "October newsletter"]);
    let page = w.app.get(&format!("/comms/{id}"), Some(&w.observer)).await;
    assert!(page.body.contains("href=\"https://example.org/news/11\""));
    assert!(page.body.contains(&format!("Next due on {next}.")));

    // Removing the newest entry: due again after the older one.
    let newest = entry["id"].as_i64().unwrap();
    let r = w
        .api(
            &w.observer,
            Method::DELETE,
            &format!("/api/v1/comms-log/{newest}"),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = w
        .api(
            &w.outsider,
            Method::DELETE,
            &format!("/api/v1/comms-log/{newest}"),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = w
        .api(
            &w.lead_admin,
            Method::DELETE,
            &format!("/api/v1/comms-log/{newest}"),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let now = w.item(id).await;
    let after_first = commonground_domain::comms::occurrence(
        commonground_domain::comms::Timing::Monthly,
        &first,
        1,
    )
    .unwrap();
    assert_eq!(now["next_due_on"], after_first.as_str());
    assert_eq!(now["log"].as_array().unwrap().len(), 1);
    assert_eq!(now["log"][0]["id"], older);
    assert_eq!(w.audit_actions().await[0], "comms.log_removed");

    // A one-off item dated today is due today; once logged, nothing more.
    let mut once = w.newsletter(&w.today);
    once["timing"] = json!("once");
    once["purpose"] = json!("Opening hours leaflet");
    let one = w.add(&w.lead_admin, once).await;
    assert_eq!(one["due"], "due_today");
    assert_eq!(
        one["due_words"],
        format!("Due today, {}.", w.today).as_str()
    );
    let oid = one["id"].as_i64().unwrap();
    let page = w.app.get(&format!("/comms/{oid}"), Some(&w.observer)).await;
    assert!(page.body.contains(">Due today<"));
    let r = w
        .api(
            &w.lead_admin,
            Method::POST,
            &format!("/api/v1/comms/{oid}/log"),
            Some(json!({"sent_on": w.today, "what": "Leaflets handed out"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(w.item(oid).await["due"], "nothing_due");
}

#[tokio::test]
async fn the_list_filters_pages_and_puts_the_soonest_due_first() {
    let w = world().await;
    let channels = ["email", "newsletter", "social_media"];
    let statuses = ["planned", "in_progress", "done"];
    for n in 0..30i64 {
        let mut body = w.newsletter(&day(&w, 60 - n));
        body["timing"] = json!("once");
        body["purpose"] = json!(format!("Item {n:02}"));
        body["channel"] = json!(channels[(n % 3) as usize]);
        body["status"] = json!(statuses[(n / 10) as usize]);
        body["owner_organisation_id"] = json!(if n % 2 == 0 { w.lead } else { w.partner });
        body["owner_person_id"] = Value::Null;
        w.add(
            if n % 2 == 0 {
                &w.lead_admin
            } else {
                &w.partner_admin
            },
            body,
        )
        .await;
    }
    let all = w.list("?per_page=10").await;
    assert_eq!(all["total"], 30);
    assert_eq!(all["per_page"], 10);
    let purposes = |v: &Value| -> Vec<String> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["purpose"].as_str().unwrap().to_string())
            .collect()
    };
    // Soonest due first (items 19 down to 0 are due, the latest dates the
    // lowest numbers); done items, with nothing due, after them.
    assert_eq!(purposes(&all)[..3], ["Item 19", "Item 18", "Item 17"]);
    let page3 = w.list("?per_page=10&page=3").await;
    assert_eq!(page3["page"], 3);
    assert_eq!(purposes(&page3)[..2], ["Item 20", "Item 21"]);
    assert_eq!(page3["items"][0]["due"], "nothing_due");
    let page4 = w.list("?per_page=10&page=4").await;
    assert_eq!(page4["total"], 30);
    assert_eq!(page4["items"], json!([]));

    let done = w.list("?status=done").await;
    assert_eq!(done["total"], 10);
    assert!(
        done["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["status"] == "done")
    );
    let email = w.list("?channel=email").await;
    assert_eq!(email["total"], 10);
    let partner = w
        .list(&format!(
            "?owner_organisation_id={}&status=in_progress",
            w.partner
        ))
        .await;
    assert_eq!(partner["total"], 5);
    assert!(
        partner["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["owner_organisation_id"] == w.partner)
    );

    for bad in [
        "?status=sent",
        "?channel=fax",
        "?page=0",
        "?per_page=500",
        "?owner_organisation_id=x",
    ] {
        let r = w
            .api(
                &w.observer,
                Method::GET,
                &format!("{}{bad}", w.list_path()),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    }

    // The page: 25 a page, filters kept in the links to the next page.
    let base = format!("/collaborations/{}/comms", w.c);
    let page = w.app.get(&base, Some(&w.observer)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("30 items match"));
    assert!(page.body.contains("Page 1 of 2."));
    assert!(page.body.contains(&format!("href=\"{base}?page=2\"")));
    assert!(
        !page.body.contains("Add to the plan</button>"),
        "observers get no form"
    );
    let page = w
        .app
        .get(
            &format!("{base}?channel=email&status=planned"),
            Some(&w.observer),
        )
        .await;
    assert!(page.body.contains("4 items match"), "items 0, 3, 6 and 9");
    let page = w
        .app
        .get(&format!("{base}?channel=fax"), Some(&w.observer))
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("Choose a channel from the list."));
}

#[tokio::test]
async fn the_pages_keep_what_was_typed_and_refuse_stale_changes() {
    let w = world().await;
    let base = format!("/collaborations/{}/comms", w.c);
    let page = w.app.get(&base, Some(&w.lead_admin)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("No items here yet."));
    // An empty form: refused with each field named, nothing saved.
    let r = w.app.post_form(&base, Some(&w.lead_admin), &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    for m in [
        "Enter who it is for.",
        "Enter what it is for.",
        "Enter the key message.",
        "Choose a channel from the list.",
        "Enter the date, like 2027-03-31.",
    ] {
        assert!(r.body.contains(m), "{m}");
    }
    // What was typed stays on the form.
    let lead = w.lead.to_string();
    let r = w
        .app
        .post_form(
            &base,
            Some(&w.lead_admin),
            &[
                ("audience", "Trustees of each partner"),
                ("purpose", "Quarterly report"),
                ("key_message", "Spending is on budget."),
                ("channel", "email"),
                ("owner_organisation_id", &lead),
                ("timing", "quarterly"),
                ("on_date", "2027-13-01"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("value=\"Trustees of each partner\""));
    assert!(r.body.contains("Spending is on budget."));
    assert!(r.body.contains("value=\"2027-13-01\""));
    assert_eq!(w.list("").await["total"], 0);
    let r = w
        .app
        .post_form(
            &base,
            Some(&w.lead_admin),
            &[
                ("audience", "Trustees of each partner"),
                ("purpose", "Quarterly report"),
                ("key_message", "Spending is on budget."),
                ("channel", "email"),
                ("owner_organisation_id", &lead),
                ("timing", "quarterly"),
                ("on_date", "2027-01-15"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let id: i64 = r
        .location()
        .trim_start_matches("/comms/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let item = w.item(id).await;
    assert_eq!(item["timing_words"], "Every quarter from 2027-01-15");
    let page = w.app.get(&r.location(), Some(&w.lead_admin)).await;
    assert!(page.body.contains("The item has been added to the plan."));
    assert!(page.body.contains("Every quarter from 2027-01-15"));
    assert!(page.body.contains("Log what went out"));

    // Logging on the page: a refused entry keeps what was typed.
    let logp = format!("/comms/{id}/log");
    let r = w
        .app
        .post_form(
            &logp,
            Some(&w.partner_admin),
            &[
                ("sent_on", &w.today),
                ("what", "Q1 report"),
                ("link", "ftp://example.org/report"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("value=\"Q1 report\""));
    assert!(
        r.body
            .contains("Enter a link that starts with https:// or http://")
    );
    let r = w
        .app
        .post_form(
            &logp,
            Some(&w.partner_admin),
            &[
                ("sent_on", &w.today),
                ("what", "Q1 report"),
                ("channel", "email"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = w
        .app
        .get(&format!("/comms/{id}"), Some(&w.lead_admin))
        .await;
    assert!(page.body.contains("Q1 report"));
    assert!(page.body.contains("Pia Partner"));
    let entry = w.item(id).await["log"][0]["id"].as_i64().unwrap();

    // Changing: a stale version is refused, the typed change kept.
    let edit = format!("/comms/{id}/edit");
    let form = |version: &'static str, status: &'static str| {
        vec![
            ("audience", "Trustees of each partner"),
            ("purpose", "Quarterly report"),
            ("key_message", "Spending is under budget."),
            ("channel", "email"),
            ("timing", "quarterly"),
            ("on_date", "2027-01-15"),
            ("status", status),
            ("version", version),
        ]
    };
    let mut f = form("1", "in_progress");
    f.push(("owner_organisation_id", &lead));
    let r = w.app.post_form(&edit, Some(&w.lead_admin), &f).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let mut f = form("1", "done");
    f.push(("owner_organisation_id", &lead));
    let r = w.app.post_form(&edit, Some(&w.partner_admin), &f).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("Someone else changed this item"));
    assert!(
        r.body
            .contains("It is now in progress for Trustees of each partner")
    );
    assert!(
        r.body.contains("value=\"2\""),
        "the form now carries the current version"
    );
    assert!(r.body.contains("<option value=\"done\" selected"));
    assert_eq!(w.item(id).await["status"], "in_progress");
    let r = w
        .app
        .post_form(&edit, Some(&w.partner_admin), &[("version", "2")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);

    // Observers: read, never change; outsiders: not found.
    for p in [
        edit.clone(),
        format!("/comms/{id}/remove"),
        format!("/comms-log/{entry}/remove"),
    ] {
        assert_eq!(
            w.app.get(&p, Some(&w.observer)).await.status,
            StatusCode::FORBIDDEN,
            "{p}"
        );
        let r = w.app.get(&p, Some(&w.outsider)).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{p}");
        assert!(!r.body.contains("Trustees"));
    }
    let page = w.app.get(&format!("/comms/{id}"), Some(&w.observer)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("Log it</button>"));
    let r = w
        .app
        .post_form(
            &logp,
            Some(&w.observer),
            &[("sent_on", &w.today), ("what", "x")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        w.app
            .get(&format!("/comms/{id}"), Some(&w.outsider))
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // Removing a log entry, then the item, each after a page that asks.
    let r = w
        .app
        .get(&format!("/comms-log/{entry}/remove"), Some(&w.lead_admin))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains(&format!(
        "Remove \u{201c}Q1 report\u{201d}, sent on {}, from the log?",
        w.today
    )));
    let r = w
        .app
        .post_form(
            &format!("/comms-log/{entry}/remove"),
            Some(&w.lead_admin),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(w.item(id).await["log"], json!([]));
    let r = w
        .app
        .get(&format!("/comms/{id}/remove"), Some(&w.lead_admin))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body
            .contains("Remove \u{201c}Quarterly report\u{201d} from the plan?")
    );
    let r = w
        .app
        .post_form(&format!("/comms/{id}/remove"), Some(&w.observer), &[])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = w
        .app
        .post_form(&format!("/comms/{id}/remove"), Some(&w.lead_admin), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), format!("{base}?done=removed"));
    assert_eq!(w.list("").await["total"], 0);
    let page = w.app.get(&r.location(), Some(&w.lead_admin)).await;
    assert!(
        page.body
            .contains("The item has been removed from the plan.")
    );

    // The Implement stage links to the plan and counts it in its checklist.
    let page = w
        .app
        .get(
            &format!("/collaborations/{}/implement", w.c),
            Some(&w.observer),
        )
        .await;
    assert!(page.body.contains(&format!("href=\"{base}\"")));
    assert!(page.body.contains("Communications planned"));
    let _ = w.partner;
}

/// The plan page's content is kept by each server with the collaboration's
/// revisions, the day, the person's rights and the organisation they act
/// for (the form starts with it): every change shows at once.
#[tokio::test]
async fn the_kept_plan_page_follows_every_change_the_day_and_who_one_acts_for() {
    let w = world().await;
    // Someone in both partners, acting for one and then the other.
    let dee = w.app.quick_person("Dee Double").await;
    w.app.join(&dee, w.lead, false).await;
    w.app.join(&dee, w.partner, false).await;
    let path = format!("/collaborations/{}/comms", w.c);
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
    let tomorrow = day(&w, 1);
    let item = w.add(&w.partner_admin, w.newsletter(&tomorrow)).await;
    let id = item["id"].as_i64().unwrap();
    let page = get(&w.lead_admin).await;
    assert!(page.contains("Monthly newsletter"), "{page}");
    assert!(page.contains("Nothing is overdue."), "{page}");
    assert!(page.contains("Add to the plan"), "{page}");
    assert_eq!(get(&w.lead_admin).await, page, "kept");
    let watched = get(&w.observer).await;
    assert!(watched.contains("Monthly newsletter"), "{watched}");
    assert!(!watched.contains("<h2 id=\"add\">"), "{watched}");
    let r = w.app.get(&path, Some(&w.outsider)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // The form starts with the organisation Dee acts for.
    let selected = |org: i64| format!("<option value=\"{org}\" selected>");
    for org in [w.lead, w.partner] {
        let r = w
            .app
            .post_form(
                "/acting-for",
                Some(&dee),
                &[("organisation_id", &org.to_string()), ("next", &path)],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let page = get(&dee).await;
        let form = &page[page.find("<h2 id=\"add\">").expect("the form")..];
        assert!(form.contains(&selected(org)), "acting for {org}: {form}");
    }

    // Two days on, the item is overdue.
    w.app.state.clock.advance(2 * 86_400);
    let later = get(&w.lead_admin).await;
    w.app.state.clock.advance(-2 * 86_400);
    assert!(later.contains("1 item is overdue."), "{later}");

    // The item is changed.
    let mut change = w.newsletter(&tomorrow);
    change["purpose"] = json!("Spring newsletter");
    change["version"] = json!(1);
    let r = w
        .api(
            &w.partner_admin,
            Method::PUT,
            &format!("/api/v1/comms/{id}"),
            Some(change),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(get(&w.observer).await.contains("Spring newsletter"));
}
