//! The aims review through the API and the pages: each shared aim marked
//! achieved, partly achieved or not achieved with its evidence and actual
//! value; bad input, stale saves, who may do what, the audit trail and the
//! Review stage's checklist. State is read back after every action.

mod common;

use axum::http::{Method, StatusCode};
use common::{Person, TestApp};
use serde_json::{Value, json};

struct World {
    app: TestApp,
    c: i64,
    other_c: i64,
    aims: [i64; 2],
    foreign_aim: i64,
    lead_admin: Person,
    lead_member: Person,
    partner_admin: Person,
    observer: Person,
    outsider: Person,
}

async fn add_aim(
    app: &TestApp,
    who: &Person,
    c: i64,
    title: &str,
    baseline: &str,
    target: &str,
) -> i64 {
    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/collaborations/{c}/aims"),
            Some(&who.token),
            Some(json!({"title": title, "indicator": "Meals served", "baseline": baseline, "target": target, "target_date": "2027-08-31"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.json()["id"].as_i64().unwrap()
}

async fn world() -> World {
    let app = TestApp::new().await;
    let lead_admin = app.quick_person("Lena Lead").await;
    let lead_member = app.quick_person("Liam Lead").await;
    let partner_admin = app.quick_person("Pia Partner").await;
    let observer = app.quick_person("Oona Observer").await;
    let outsider = app.quick_person("Otto Outsider").await;
    let lead = app.organisation(&lead_admin, "Riverside Food Bank").await;
    app.join(&lead_member, lead, false).await;
    let partner = app
        .organisation(&partner_admin, "Hillside Youth Club")
        .await;
    let watching = app.organisation(&observer, "County CVS").await;
    let elsewhere = app.organisation(&outsider, "Elsewhere Allotments").await;
    let c = app.collaboration(&lead_admin, lead, "Holiday meals").await;
    for (org, who, role) in [
        (partner, &partner_admin, "partner"),
        (watching, &observer, "observer"),
    ] {
        let inv = app.invite(&lead_admin, c, org, role).await;
        app.accept(who, inv).await;
    }
    let a1 = add_aim(&app, &lead_admin, c, "Fewer hungry children", "0", "5,000").await;
    let a2 = add_aim(&app, &lead_admin, c, "More volunteers", "", "").await;
    let other_c = app.collaboration(&outsider, elsewhere, "Elsewhere").await;
    let foreign_aim = add_aim(&app, &outsider, other_c, "Their aim", "1", "2").await;
    World {
        app,
        c,
        other_c,
        aims: [a1, a2],
        foreign_aim,
        lead_admin,
        lead_member,
        partner_admin,
        observer,
        outsider,
    }
}

impl World {
    async fn call(
        &self,
        who: &Person,
        m: Method,
        path: &str,
        body: Option<Value>,
    ) -> common::TestResponse {
        self.app.api(m, path, Some(&who.token), body).await
    }
    async fn review(&self) -> Value {
        let r = self
            .call(
                &self.observer,
                Method::GET,
                &format!("/api/v1/collaborations/{}/aims-review", self.c),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        r.json()
    }
    async fn save(&self, who: &Person, aim: i64, body: Value) -> common::TestResponse {
        self.call(
            who,
            Method::PUT,
            &format!("/api/v1/collaborations/{}/aims-review/{aim}", self.c),
            Some(body),
        )
        .await
    }
    /// The newest audit entries' actions and summaries, newest first.
    async fn audit(&self) -> Vec<(String, String)> {
        let r = self
            .call(
                &self.lead_admin,
                Method::GET,
                &format!("/api/v1/collaborations/{}/audit", self.c),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK);
        r.json()["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["action"].as_str().unwrap().to_string(),
                    e["summary"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    }
    async fn checklist_item(&self) -> Value {
        let r = self
            .call(
                &self.lead_member,
                Method::GET,
                &format!("/api/v1/collaborations/{}/stages/review", self.c),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK);
        let items = r.json()["checklist"].as_array().unwrap().clone();
        items
            .into_iter()
            .find(|i| i["key"] == "aims_reviewed")
            .expect("the aims review item")
    }
}

#[tokio::test]
async fn every_aim_is_reviewed_with_evidence_and_stale_saves_are_refused() {
    let w = world().await;
    let [a1, a2] = w.aims;

    // Nothing reviewed yet: both aims listed without a review.
    let v = w.review().await;
    assert_eq!(v["reviewed"], 0);
    assert_eq!(v["total"], 2);
    assert_eq!(v["aims"][0]["aim_id"], a1);
    assert_eq!(v["aims"][0]["baseline"], "0");
    assert_eq!(v["aims"][0]["target"], "5,000");
    assert_eq!(v["aims"][0]["target_date"], "2027-08-31");
    assert!(v["aims"][0]["review"].is_null());
    assert!(v["aims"][1]["review"].is_null());
    let item = w.checklist_item().await;
    assert_eq!(item["done"], false);
    assert_eq!(
        item["detail"],
        "0 of 2 shared aims reviewed. Say how the others went."
    );
    assert_eq!(item["href"], format!("/collaborations/{}/aims-review", w.c));
    let audit_before = w.audit().await.len();

    // Bad input: every field named, nothing saved, no audit entry.
    let r = w
        .save(
            &w.lead_member,
            a1,
            json!({"outcome": "done", "actual": "", "links": ["javascript:alert(1)"], "version": 0}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let errors = &r.json()["errors"];
    for f in ["outcome", "actual", "links"] {
        assert!(errors[f].is_string(), "{f}: {}", r.body);
    }
    let r = w
        .save(
            &w.lead_member,
            a1,
            json!({"outcome": "achieved", "actual": "1", "version": -1}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["errors"]["version"].is_string());
    assert!(w.review().await["aims"][0]["review"].is_null());
    assert_eq!(w.audit().await.len(), audit_before);

    // Observers read only; outsiders and foreign aims are not found.
    let good = json!({"outcome": "partly", "actual": "3,200 meals",
        "evidence": "Counted at **each** site.<script>alert(1)</script>",
        "links": ["https://example.org/log", "http://example.org/photos"], "version": 0});
    assert_eq!(
        w.save(&w.observer, a1, good.clone()).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        w.save(&w.outsider, a1, good.clone()).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        w.save(&w.lead_member, w.foreign_aim, good.clone())
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        w.call(
            &w.outsider,
            Method::GET,
            &format!("/api/v1/collaborations/{}/aims-review", w.c),
            None
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    assert!(w.review().await["aims"][0]["review"].is_null());
    assert_eq!(w.audit().await.len(), audit_before);

    // A member records the first review.
    let r = w.save(&w.lead_member, a1, good.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let saved = r.json();
    assert_eq!(saved["review"]["outcome"], "partly");
    assert_eq!(saved["review"]["version"], 1);
    let v = w.review().await;
    assert_eq!(v["reviewed"], 1);
    let rev = &v["aims"][0]["review"];
    assert_eq!(rev["actual"], "3,200 meals");
    assert_eq!(
        rev["links"],
        json!(["https://example.org/log", "http://example.org/photos"])
    );
    assert_eq!(rev["recorded_by_name"], "Liam Lead");
    assert_eq!(rev["organisation_name"], "Riverside Food Bank");
    assert_eq!(rev["version"], 1);
    let audit = w.audit().await;
    assert_eq!(audit.len(), audit_before + 1);
    assert_eq!(
        audit[0],
        (
            "aims_review.recorded".to_string(),
            "Recorded the shared aim \u{201c}Fewer hungry children\u{201d} as partly achieved."
                .to_string()
        )
    );

    // A second "first" review of the same aim is stale; so is an old version.
    let r = w.save(&w.partner_admin, a1, good.clone()).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(
        r.body.contains("partly achieved by Liam Lead"),
        "{}",
        r.body
    );
    let r = w
        .save(
            &w.partner_admin,
            a1,
            json!({"outcome": "achieved", "actual": "5,100 meals", "version": 1}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = w
        .save(
            &w.lead_member,
            a1,
            json!({"outcome": "not_achieved", "actual": "10 meals", "version": 1}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let rev = w.review().await["aims"][0]["review"].clone();
    assert_eq!(rev["outcome"], "achieved");
    assert_eq!(rev["actual"], "5,100 meals");
    assert_eq!(rev["evidence"], "");
    assert_eq!(rev["links"], json!([]));
    assert_eq!(rev["version"], 2);
    assert_eq!(rev["recorded_by_name"], "Pia Partner");
    assert_eq!(rev["organisation_name"], "Hillside Youth Club");
    let audit = w.audit().await;
    assert_eq!(audit.len(), audit_before + 2);
    assert_eq!(audit[0].0, "aims_review.changed");
    assert_eq!(w.checklist_item().await["done"], false);

    // Reviewing the second aim completes the checklist item.
    let r = w
        .save(
            &w.lead_admin,
            a2,
            json!({"outcome": "not_achieved", "actual": "2 volunteers", "version": 0}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let v = w.review().await;
    assert_eq!(v["reviewed"], 2);
    assert_eq!(v["aims"][1]["review"]["outcome"], "not_achieved");
    let item = w.checklist_item().await;
    assert_eq!(item["done"], true);
    assert_eq!(item["detail"], "All 2 shared aims have been reviewed.");

    // Removing an aim in Plan removes its review with it.
    let r = w
        .call(
            &w.lead_admin,
            Method::DELETE,
            &format!("/api/v1/collaborations/{}/aims/{a2}", w.c),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let v = w.review().await;
    assert_eq!(v["total"], 1);
    assert_eq!(v["reviewed"], 1);

    // The other collaboration's aim is untouched and unreviewed.
    let r = w
        .call(
            &w.outsider,
            Method::GET,
            &format!("/api/v1/collaborations/{}/aims-review", w.other_c),
            None,
        )
        .await;
    assert_eq!(r.json()["reviewed"], 0);
}

#[tokio::test]
async fn the_aims_review_pages_list_every_aim_and_keep_what_was_typed() {
    let w = world().await;
    let [a1, a2] = w.aims;
    let list = format!("/collaborations/{}/aims-review", w.c);
    let form = format!("{list}/{a1}");

    let r = w.app.get(&list, Some(&w.lead_member)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("0 of 2 aims reviewed."), "{}", r.body);
    assert!(r.body.contains("Not reviewed yet:"));
    assert_eq!(r.body.matches("Not reviewed yet</strong>").count(), 2);
    assert_eq!(
        w.app.get(&list, Some(&w.outsider)).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        w.app.get(&form, Some(&w.outsider)).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        w.app
            .get(&format!("{list}/{}", w.foreign_aim), Some(&w.lead_member))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let r = w.app.get(&form, Some(&w.observer)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("you can read the review but not change it"));
    assert!(!r.body.contains("Save the review"));

    // Observers are refused; nothing saved.
    let r = w
        .app
        .post_form(
            &form,
            Some(&w.observer),
            &[("outcome", "achieved"), ("actual", "1"), ("version", "0")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(w.review().await["aims"][0]["review"].is_null());

    // An empty form is refused with the errors named and the typing kept.
    let r = w
        .app
        .post_form(
            &form,
            Some(&w.lead_member),
            &[
                ("outcome", ""),
                ("actual", ""),
                ("evidence", "We counted."),
                ("links", "ftp://example.org/x"),
                ("version", "0"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Choose whether the aim was achieved"));
    assert!(
        r.body.contains("Enter the indicator&#39;s actual value.")
            || r.body.contains("Enter the indicator's actual value."),
        "{}",
        r.body
    );
    assert!(r.body.contains("We counted."));
    assert!(r.body.contains("ftp://example.org/x"));
    assert!(w.review().await["aims"][0]["review"].is_null());

    // Saved from the page; Markdown is shown safely and links as links.
    let r = w
        .app
        .post_form(
            &form,
            Some(&w.lead_member),
            &[
                ("outcome", "partly"),
                ("actual", "3,200 meals"),
                (
                    "evidence",
                    "Counted at **each** site.\n<script>alert(1)</script>",
                ),
                ("links", "https://example.org/log"),
                ("version", "0"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), format!("{list}?saved=1"));
    let r = w
        .app
        .get(&format!("{list}?saved=1"), Some(&w.observer))
        .await;
    assert!(r.body.contains("The review of the aim has been saved."));
    assert!(r.body.contains("1 of 2 aims reviewed."));
    assert!(r.body.contains("<strong>each</strong>"));
    assert!(!r.body.contains("<script>alert(1)</script>"));
    assert!(r.body.contains("href=\"https://example.org/log\""));
    assert!(r.body.contains("Partly achieved"));
    assert!(
        r.body
            .contains("Recorded by Liam Lead of Riverside Food Bank")
    );
    // The aim not yet reviewed is still called out, by name.
    assert!(
        r.body
            .contains(&format!("<a href=\"{list}/{a2}\">More volunteers</a>")),
        "{}",
        r.body
    );

    // Two people open the form; the second to save is refused, keeps their
    // typing, and is shown the new version.
    let r = w
        .app
        .post_form(
            &form,
            Some(&w.partner_admin),
            &[
                ("outcome", "achieved"),
                ("actual", "5,100 meals"),
                ("version", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = w
        .app
        .post_form(
            &form,
            Some(&w.lead_member),
            &[
                ("outcome", "not_achieved"),
                ("actual", "12 meals"),
                ("version", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(
        r.body
            .contains("Someone saved the review of this aim after you opened it.")
    );
    assert!(r.body.contains("value=\"12 meals\""));
    assert!(r.body.contains("name=\"version\" value=\"2\""));
    let rev = w.review().await["aims"][0]["review"].clone();
    assert_eq!(rev["outcome"], "achieved");
    assert_eq!(rev["version"], 2);

    // The Review stage page's checklist links here.
    let r = w
        .app
        .get(
            &format!("/collaborations/{}/review", w.c),
            Some(&w.lead_member),
        )
        .await;
    assert!(r.body.contains("Shared aims reviewed"));
    assert!(r.body.contains("1 of 2 shared aims reviewed."));
}

impl World {
    async fn lessons(&self, query: &str) -> Value {
        let r = self
            .call(
                &self.observer,
                Method::GET,
                &format!("/api/v1/collaborations/{}/lessons{query}", self.c),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        r.json()
    }
    fn lesson_lines(page: &Value) -> Vec<String> {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| {
                format!(
                    "{} {} {} v{} {}",
                    l["stage"].as_str().unwrap(),
                    l["kind"].as_str().unwrap(),
                    l["text"].as_str().unwrap(),
                    l["version"],
                    l["organisation_name"].as_str().unwrap()
                )
            })
            .collect()
    }
}

#[tokio::test]
async fn lessons_are_recorded_by_stage_changed_removed_and_paginated() {
    let w = world().await;
    let path = format!("/api/v1/collaborations/{}/lessons", w.c);
    let item = |key: &'static str| {
        let w = &w;
        async move {
            let r = w
                .call(
                    &w.lead_member,
                    Method::GET,
                    &format!("/api/v1/collaborations/{}/stages/review", w.c),
                    None,
                )
                .await;
            r.json()["checklist"]
                .as_array()
                .unwrap()
                .iter()
                .find(|i| i["key"] == key)
                .cloned()
                .unwrap()
        }
    };
    assert_eq!(w.lessons("").await["total"], 0);
    let lessons_item = item("lessons_recorded").await;
    assert_eq!(lessons_item["done"], false);
    assert_eq!(
        lessons_item["href"],
        format!("/collaborations/{}/lessons", w.c)
    );
    let audit_before = w.audit().await.len();

    // Bad input: each field named; nothing recorded.
    let r = w
        .call(
            &w.lead_member,
            Method::POST,
            &path,
            Some(json!({"stage": "later", "kind": "fine", "text": "  "})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let errors = &r.json()["errors"];
    for f in ["stage", "kind", "text"] {
        assert!(errors[f].is_string(), "{f}: {}", r.body);
    }
    // Observers read only; outsiders see nothing.
    let good = json!({"stage": "plan", "kind": "do_differently", "text": "Agree the budget before the aims."});
    assert_eq!(
        w.call(&w.observer, Method::POST, &path, Some(good.clone()))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        w.call(&w.outsider, Method::POST, &path, Some(good.clone()))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        w.call(&w.outsider, Method::GET, &path, None).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(w.lessons("").await["total"], 0);
    assert_eq!(w.audit().await.len(), audit_before);

    // Recorded by a member and a partner: listed by stage, Identify first.
    let r = w
        .call(&w.lead_member, Method::POST, &path, Some(good.clone()))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let plan_lesson = r.json()["id"].as_i64().unwrap();
    assert_eq!(r.json()["recorded_by_name"], "Liam Lead");
    let r = w
        .call(
            &w.partner_admin,
            Method::POST,
            &path,
            Some(
                json!({"stage": "identify", "kind": "worked", "text": "Meeting in person early."}),
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let page = w.lessons("").await;
    assert_eq!(page["total"], 2);
    assert_eq!(
        World::lesson_lines(&page),
        [
            "identify worked Meeting in person early. v1 Hillside Youth Club",
            "plan do_differently Agree the budget before the aims. v1 Riverside Food Bank",
        ]
    );
    let audit = w.audit().await;
    assert_eq!(audit.len(), audit_before + 2);
    assert_eq!(
        audit[0],
        (
            "lessons.added".to_string(),
            "Recorded a lesson from the Identify stage: what worked.".to_string()
        )
    );
    let lessons_item = item("lessons_recorded").await;
    assert_eq!(lessons_item["done"], true);
    assert_eq!(lessons_item["detail"], "2 lessons recorded.");

    // A partner changes the lead's lesson; a change based on the old
    // version is then refused and the lesson keeps the partner's words.
    let one = format!("{path}/{plan_lesson}");
    let r = w
        .call(
            &w.partner_admin,
            Method::PUT,
            &one,
            Some(json!({"stage": "implement", "kind": "did_not_work", "text": "Monthly reports were too long.", "version": 1})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["version"], 2);
    let r = w
        .call(
            &w.lead_member,
            Method::PUT,
            &one,
            Some(json!({"stage": "plan", "kind": "worked", "text": "Mine.", "version": 1})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(
        r.body.contains("Monthly reports were too long."),
        "{}",
        r.body
    );
    assert_eq!(
        w.call(
            &w.observer,
            Method::PUT,
            &one,
            Some(json!({"stage": "plan", "kind": "worked", "text": "Mine.", "version": 2}))
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        World::lesson_lines(&w.lessons("").await),
        [
            "identify worked Meeting in person early. v1 Hillside Youth Club",
            "implement did_not_work Monthly reports were too long. v2 Hillside Youth Club",
        ]
    );
    assert_eq!(w.audit().await.len(), audit_before + 3);

    // Removing: observers and outsiders cannot; a contributor can, once.
    assert_eq!(
        w.call(&w.observer, Method::DELETE, &one, None).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        w.call(&w.outsider, Method::DELETE, &one, None).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(w.lessons("").await["total"], 2);
    assert_eq!(
        w.call(&w.lead_member, Method::DELETE, &one, None)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        w.call(&w.lead_member, Method::DELETE, &one, None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        World::lesson_lines(&w.lessons("").await),
        ["identify worked Meeting in person early. v1 Hillside Youth Club"]
    );
    let audit = w.audit().await;
    assert_eq!(audit.len(), audit_before + 4);
    assert_eq!(audit[0].0, "lessons.removed");

    // Pages: 3 more lessons, 2 a page, ordered by stage then age.
    for (stage, text) in [("review", "R1"), ("plan", "P1"), ("review", "R2")] {
        let r = w
            .call(
                &w.lead_admin,
                Method::POST,
                &path,
                Some(json!({"stage": stage, "kind": "worked", "text": text})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED);
    }
    let first = w.lessons("?per_page=2").await;
    assert_eq!(first["total"], 4);
    let texts = |p: &Value| -> Vec<String> {
        p["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["text"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(texts(&first), ["Meeting in person early.", "P1"]);
    assert_eq!(texts(&w.lessons("?per_page=2&page=2").await), ["R1", "R2"]);
    assert_eq!(
        texts(&w.lessons("?per_page=2&page=3").await),
        Vec::<String>::new()
    );
    let r = w
        .call(&w.observer, Method::GET, &format!("{path}?page=0"), None)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Another collaboration's lesson id is not found here.
    let r = w
        .call(
            &w.outsider,
            Method::POST,
            &format!("/api/v1/collaborations/{}/lessons", w.other_c),
            Some(good.clone()),
        )
        .await;
    let foreign = r.json()["id"].as_i64().unwrap();
    assert_eq!(
        w.call(
            &w.lead_admin,
            Method::DELETE,
            &format!("{path}/{foreign}"),
            None
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(w.lessons("").await["total"], 4);
}

#[tokio::test]
async fn the_lessons_page_groups_by_stage_and_keeps_what_was_typed() {
    let w = world().await;
    let list = format!("/collaborations/{}/lessons", w.c);
    let r = w.app.get(&list, Some(&w.lead_member)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("No lessons recorded yet."));
    assert_eq!(
        w.app.get(&list, Some(&w.outsider)).await.status,
        StatusCode::NOT_FOUND
    );
    let r = w.app.get(&list, Some(&w.observer)).await;
    assert!(
        r.body
            .contains("you can read the lessons but not change them")
    );
    assert!(!r.body.contains("Record the lesson"));

    // An empty form: refused, errors named, typing kept.
    let r = w
        .app
        .post_form(
            &list,
            Some(&w.lead_member),
            &[("stage", "plan"), ("kind", ""), ("text", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Enter the lesson."));
    assert!(r.body.contains("Choose whether it is what worked"));
    assert!(
        r.body.contains("<option value=\"plan\" selected"),
        "{}",
        r.body
    );
    let r = w
        .app
        .post_form(
            &list,
            Some(&w.observer),
            &[("stage", "plan"), ("kind", "worked"), ("text", "Mine")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(w.lessons("").await["total"], 0);

    for (stage, kind, text) in [
        ("review", "worked", "Short health checks every two months."),
        (
            "identify",
            "did_not_work",
            "Too many partners at the first meeting.\n\nSecond paragraph <b>bold?</b>",
        ),
    ] {
        let r = w
            .app
            .post_form(
                &list,
                Some(&w.lead_member),
                &[("stage", stage), ("kind", kind), ("text", text)],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(r.location(), format!("{list}?done=added"));
    }
    let r = w
        .app
        .get(&format!("{list}?done=added"), Some(&w.observer))
        .await;
    assert!(r.body.contains("The lesson has been recorded."));
    assert!(r.body.contains("2 lessons recorded."));
    let identify = r.body.find("<h2>Identify</h2>").expect("Identify heading");
    let review = r.body.find("<h2>Review</h2>").expect("Review heading");
    assert!(identify < review, "stages in order");
    assert!(!r.body.contains("<h2>Plan</h2>"), "no empty stage");
    assert!(r.body.contains("&lt;b&gt;bold?&lt;/b&gt;"));
    assert!(
        r.body
            .contains("Recorded by Liam Lead of Riverside Food Bank")
    );

    // Change from the page; a stale change keeps the typing and shows the
    // new version; then remove it.
    let id = w.lessons("").await["items"][0]["id"].as_i64().unwrap();
    let edit = format!("{list}/{id}/edit");
    let r = w.app.get(&edit, Some(&w.partner_admin)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("name=\"version\" value=\"1\""));
    let r = w
        .app
        .post_form(
            &edit,
            Some(&w.partner_admin),
            &[
                ("stage", "identify"),
                ("kind", "do_differently"),
                ("text", "Start with two partners."),
                ("version", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = w
        .app
        .post_form(
            &edit,
            Some(&w.lead_member),
            &[
                ("stage", "identify"),
                ("kind", "worked"),
                ("text", "My words."),
                ("version", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("My words."));
    assert!(r.body.contains("name=\"version\" value=\"2\""));
    assert_eq!(
        World::lesson_lines(&w.lessons("").await)[0],
        "identify do_differently Start with two partners. v2 Hillside Youth Club"
    );
    let r = w
        .app
        .post_form(&format!("{list}/{id}/delete"), Some(&w.observer), &[])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = w
        .app
        .post_form(&format!("{list}/{id}/delete"), Some(&w.lead_member), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), format!("{list}?done=removed"));
    assert_eq!(
        World::lesson_lines(&w.lessons("").await),
        ["review worked Short health checks every two months. v1 Riverside Food Bank"]
    );
}
