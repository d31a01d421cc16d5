//! Shared aims through the API and the pages: adding, linking to a
//! benefit from Identify, bad input, stale edits, who may do what, and
//! approval by every lead and partner organisation, reopened by any change
//! to the set and by a partner joining or leaving.

mod common;

use axum::http::{Method, StatusCode};
use common::{Person, TestApp};
use serde_json::{Value, json};

pub const WELSH: &str = "Cymdeithas Gymunedol Llanfair-ym-Muallt Ŵyl Ŷd â";

struct World {
    app: TestApp,
    c: i64,
    lead: i64,
    partner: i64,
    third: i64,
    benefit: i64,
    foreign_benefit: i64,
    lead_admin: Person,
    lead_member: Person,
    partner_admin: Person,
    observer: Person,
    facilitator: Person,
    outsider: Person,
    third_admin: Person,
}

async fn world() -> World {
    let app = TestApp::new().await;
    let lead_admin = app.quick_person("Lena Lead").await;
    let lead_member = app.quick_person("Liam Lead").await;
    let partner_admin = app.quick_person("Pia Partner").await;
    let observer = app.quick_person("Oona Observer").await;
    let facilitator = app.quick_person("Fay Facilitator").await;
    let outsider = app.quick_person("Otto Outsider").await;
    let third_admin = app.quick_person("Tess Third").await;
    let lead = app.organisation(&lead_admin, "Riverside Food Bank").await;
    app.join(&lead_member, lead, false).await;
    let partner = app.organisation(&partner_admin, WELSH).await;
    let watching = app.organisation(&observer, "County CVS").await;
    let helping = app.organisation(&facilitator, "Facilitators Ltd").await;
    let elsewhere = app.organisation(&outsider, "Elsewhere Allotments").await;
    let third = app.organisation(&third_admin, "Third Sector Trust").await;
    let c = app.collaboration(&lead_admin, lead, "Holiday meals").await;
    for (org, who, role) in [
        (partner, &partner_admin, "partner"),
        (watching, &observer, "observer"),
        (helping, &facilitator, "facilitator"),
    ] {
        let inv = app.invite(&lead_admin, c, org, role).await;
        app.accept(who, inv).await;
    }
    let add_benefit = |who: &Person, cid: i64| {
        let app = &app;
        let token = who.token.clone();
        async move {
            let r = app
                .api(
                    Method::POST,
                    &format!("/api/v1/collaborations/{cid}/benefits-risks"),
                    Some(&token),
                    Some(json!({"kind": "benefit", "title": "Reach more families", "likelihood": 4, "impact": 4})),
                )
                .await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
            r.json()["id"].as_i64().unwrap()
        }
    };
    let benefit = add_benefit(&lead_admin, c).await;
    let other = app.collaboration(&outsider, elsewhere, "Elsewhere").await;
    let foreign_benefit = add_benefit(&outsider, other).await;
    World {
        app,
        c,
        lead,
        partner,
        third,
        benefit,
        foreign_benefit,
        lead_admin,
        lead_member,
        partner_admin,
        observer,
        facilitator,
        outsider,
        third_admin,
    }
}

impl World {
    async fn call(
        &self,
        who: Option<&Person>,
        m: Method,
        path: &str,
        body: Option<Value>,
    ) -> common::TestResponse {
        self.app
            .api(m, path, who.map(|p| p.token.as_str()), body)
            .await
    }
    async fn set(&self) -> Value {
        let r = self
            .call(
                Some(&self.lead_member),
                Method::GET,
                &format!("/api/v1/collaborations/{}/aims", self.c),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        r.json()
    }
    async fn approve(&self, who: &Person, version: i64) -> common::TestResponse {
        self.call(
            Some(who),
            Method::POST,
            &format!("/api/v1/collaborations/{}/aims/approvals", self.c),
            Some(json!({"version": version})),
        )
        .await
    }
    async fn store_says_approved(&self) -> bool {
        let mut tx = self.app.state.store.read().await.unwrap();
        let scope = tx
            .collab_scope(self.lead_admin.id, self.c)
            .await
            .unwrap()
            .unwrap();
        tx.aims_approved(&scope).await.unwrap()
    }
}

fn waiting(set: &Value) -> Vec<(i64, bool)> {
    set["waiting"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            (
                w["organisation_id"].as_i64().unwrap(),
                w["again"].as_bool().unwrap(),
            )
        })
        .collect()
}

#[tokio::test]
async fn aims_are_added_checked_and_approved_by_every_partner() {
    let w = world().await;
    let path = format!("/api/v1/collaborations/{}/aims", w.c);

    // Nothing yet: nothing to approve.
    let set = w.set().await;
    assert_eq!(set["version"], 0);
    assert_eq!(set["approved"], false);
    assert_eq!(
        w.approve(&w.partner_admin, 0).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        w.approve(&w.partner_admin, 1).await.status,
        StatusCode::CONFLICT
    );

    // Bad input: every field named, nothing saved.
    let r = w
        .call(
            Some(&w.lead_member),
            Method::POST,
            &path,
            Some(json!({"title": "", "indicator": "", "target_date": "2027-02-30"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let errors = &r.json()["errors"];
    for f in ["title", "indicator", "target_date"] {
        assert!(errors[f].is_string(), "{f}: {}", r.body);
    }
    // A benefit of another collaboration cannot be linked.
    let r = w
        .call(Some(&w.lead_member), Method::POST, &path, Some(json!({"title": "Meals", "indicator": "Meals served", "benefit_id": w.foreign_benefit})))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["errors"]["benefit_id"].is_string());
    assert_eq!(w.set().await["aims"].as_array().unwrap().len(), 0);

    // Observers read only; outsiders see nothing.
    let good = json!({"title": "Fewer hungry children in the holidays", "indicator": "Meals served",
        "baseline": "0", "target": "5,000", "target_date": "2027-08-31", "benefit_id": w.benefit});
    assert_eq!(
        w.call(Some(&w.observer), Method::POST, &path, Some(good.clone()))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        w.call(Some(&w.outsider), Method::POST, &path, Some(good.clone()))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        w.call(Some(&w.outsider), Method::GET, &path, None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        w.call(None, Method::GET, &path, None).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        w.call(Some(&w.observer), Method::GET, &path, None)
            .await
            .status,
        StatusCode::OK
    );

    let r = w
        .call(Some(&w.lead_member), Method::POST, &path, Some(good))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let aim = r.json();
    assert_eq!(aim["benefit_title"], "Reach more families");
    assert_eq!(aim["target_date"], "2027-08-31");
    assert_eq!(aim["version"], 1);
    let aim_id = aim["id"].as_i64().unwrap();
    let r = w
        .call(
            Some(&w.facilitator),
            Method::POST,
            &path,
            Some(json!({"title": "Share a minibus", "indicator": "Trips"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);

    let set = w.set().await;
    assert_eq!(set["version"], 2);
    assert_eq!(set["aims"].as_array().unwrap().len(), 2);
    assert_eq!(waiting(&set), vec![(w.lead, false), (w.partner, false)]);

    // Only admins of lead and partner organisations approve.
    for who in [&w.lead_member, &w.observer, &w.facilitator] {
        assert_eq!(w.approve(who, 2).await.status, StatusCode::FORBIDDEN);
    }
    assert_eq!(
        w.approve(&w.outsider, 2).await.status,
        StatusCode::NOT_FOUND
    );
    // An old version cannot be approved.
    assert_eq!(
        w.approve(&w.partner_admin, 1).await.status,
        StatusCode::CONFLICT
    );
    let r = w.approve(&w.partner_admin, 2).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()["approved"], false);
    assert_eq!(waiting(&r.json()), vec![(w.lead, false)]);
    // Twice is refused.
    assert_eq!(
        w.approve(&w.partner_admin, 2).await.status,
        StatusCode::CONFLICT
    );
    assert!(!w.store_says_approved().await);
    let r = w.approve(&w.lead_admin, 2).await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(r.json()["approved"], true);
    assert!(w.store_says_approved().await);

    // A change reopens approval, and both must approve again.
    let change = json!({"title": "Fewer hungry children", "indicator": "Meals served", "target": "6,000", "version": 1});
    let r = w
        .call(
            Some(&w.partner_admin),
            Method::PUT,
            &format!("{path}/{aim_id}"),
            Some(change.clone()),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["version"], 2);
    let set = w.set().await;
    assert_eq!(set["approved"], false);
    assert_eq!(set["version"], 3);
    assert_eq!(waiting(&set), vec![(w.lead, true), (w.partner, true)]);
    assert!(!w.store_says_approved().await);

    // A stale edit is refused, and the first change stands.
    let stale = json!({"title": "Overwritten", "indicator": "x", "version": 1});
    let r = w
        .call(
            Some(&w.lead_member),
            Method::PUT,
            &format!("{path}/{aim_id}"),
            Some(stale),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(
        r.json()["detail"]
            .as_str()
            .unwrap()
            .contains("Fewer hungry children")
    );
    let set = w.set().await;
    assert_eq!(set["aims"][0]["title"], "Fewer hungry children");
    assert_eq!(set["aims"][0]["target"], "6,000");
    assert_eq!(set["version"], 3);

    // Both approve again; then a partner joining reopens approval.
    assert_eq!(
        w.approve(&w.lead_admin, 3).await.status,
        StatusCode::CREATED
    );
    assert_eq!(
        w.approve(&w.partner_admin, 3).await.json()["approved"],
        true
    );
    let inv = w.app.invite(&w.lead_admin, w.c, w.third, "partner").await;
    w.app.accept(&w.third_admin, inv).await;
    let set = w.set().await;
    assert_eq!(set["approved"], false);
    assert_eq!(
        waiting(&set),
        vec![(w.lead, true), (w.partner, true), (w.third, false)]
    );
    for who in [&w.lead_admin, &w.partner_admin, &w.third_admin] {
        assert_eq!(w.approve(who, 3).await.status, StatusCode::CREATED);
    }
    assert_eq!(w.set().await["approved"], true);
    // The third partner leaving reopens it too, though the rest approved.
    let r = w
        .call(
            Some(&w.third_admin),
            Method::POST,
            &format!("/api/v1/collaborations/{}/leave", w.c),
            Some(json!({"organisation_id": w.third})),
        )
        .await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    let set = w.set().await;
    assert_eq!(set["approved"], false);
    assert_eq!(waiting(&set), vec![(w.lead, true), (w.partner, true)]);

    // Removing an aim reopens approval as well.
    assert_eq!(
        w.approve(&w.lead_admin, 3).await.status,
        StatusCode::CREATED
    );
    assert_eq!(
        w.approve(&w.partner_admin, 3).await.json()["approved"],
        true
    );
    let r = w
        .call(
            Some(&w.observer),
            Method::DELETE,
            &format!("{path}/{aim_id}"),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = w
        .call(
            Some(&w.lead_member),
            Method::DELETE,
            &format!("{path}/{aim_id}"),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let set = w.set().await;
    assert_eq!(set["version"], 4);
    assert_eq!(set["approved"], false);
    assert_eq!(set["aims"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn the_aims_page_shows_approval_and_keeps_what_was_typed() {
    let w = world().await;
    let page = format!("/collaborations/{}/aims", w.c);
    let r = w.app.get(&page, Some(&w.lead_member)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("No shared aims yet."));
    assert_eq!(
        w.app.get(&page, Some(&w.outsider)).await.status,
        StatusCode::NOT_FOUND
    );
    let r = w.app.get(&page, Some(&w.observer)).await;
    assert!(r.body.contains("you can read the aims but not change them"));

    // Refused with the input kept.
    let r = w
        .app
        .post_form(
            &page,
            Some(&w.lead_member),
            &[
                ("title", "Meals for children"),
                ("indicator", ""),
                ("target_date", "soon"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("value=\"Meals for children\""));
    assert!(r.body.contains("value=\"soon\""));

    let r = w
        .app
        .post_form(
            &page,
            Some(&w.lead_member),
            &[
                ("title", "Meals for children"),
                ("indicator", "Meals served"),
                ("benefit_id", &w.benefit.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = w.app.get(&page, Some(&w.partner_admin)).await;
    assert!(r.body.contains("Meals for children"));
    assert!(r.body.contains("Waiting for approval"));
    assert!(r.body.contains(&format!("Approve version 1 for {WELSH}")));
    // Admin of the lead approves from the page.
    let r = w
        .app
        .post_form(
            &format!("{page}/approve"),
            Some(&w.lead_admin),
            &[("version", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = w
        .app
        .post_form(
            &format!("{page}/approve"),
            Some(&w.partner_admin),
            &[("version", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = w.app.get(&page, Some(&w.lead_member)).await;
    assert!(
        r.body
            .contains("Every lead and partner organisation has approved version 1")
    );

    // Two people open the edit form; the second to save is refused with
    // their typing kept and the new version in the form.
    let set = w.set().await;
    let aim_id = set["aims"][0]["id"].as_i64().unwrap();
    let edit = format!("{page}/{aim_id}/edit");
    let r = w
        .app
        .post_form(
            &edit,
            Some(&w.partner_admin),
            &[
                ("title", "Meals for every child"),
                ("indicator", "Meals served"),
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
                ("title", "Meals in every school"),
                ("indicator", "Meals served"),
                ("version", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(
        r.body.contains("value=\"Meals in every school\""),
        "typed text kept"
    );
    assert!(
        r.body.contains("Meals for every child"),
        "their change shown"
    );
    assert!(r.body.contains("name=\"version\" value=\"2\""));
    let r = w.app.get(&page, Some(&w.lead_member)).await;
    assert!(r.body.contains("must approve again"), "{}", r.body);
    assert!(r.body.contains("Meals for every child"));
}
