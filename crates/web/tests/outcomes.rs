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
