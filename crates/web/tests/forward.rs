//! The forward strategy and the next cycle, through the API and the pages:
//! each partner's position (who may record it, bad input, stale saves), the
//! way forward decided through the proposals engine (no governance group,
//! one open at a time, agreed once its outcome is written as passed), and
//! starting the next cycle (leads only, in Review only, once, carrying
//! exactly the open aims, the lessons and the other organisations, and
//! safe when two servers start it at once). State is read back after every
//! allowed and refused action.

mod common;

use axum::http::{Method, StatusCode};
use common::{Person, TestApp, TestResponse, in_days};
use serde_json::{Value, json};

struct World {
    app: TestApp,
    c: i64,
    lead: i64,
    partner: i64,
    watching: i64,
    lead_admin: Person,
    /// A member (not admin) of the lead organisation.
    lead_member: Person,
    partner_admin: Person,
    /// A member of the partner who will sit on the governance group for it.
    partner_seat: Person,
    /// A member of the partner who does not.
    partner_member: Person,
    observer: Person,
    outsider: Person,
}

async fn world_on(app: TestApp) -> World {
    let lead_admin = app.quick_person("Lena Lead").await;
    let lead_member = app.quick_person("Liam Lead").await;
    let partner_admin = app.quick_person("Pia Partner").await;
    let partner_seat = app.quick_person("Sam Seat").await;
    let partner_member = app.quick_person("Mo Member").await;
    let observer = app.quick_person("Oona Observer").await;
    let outsider = app.quick_person("Otto Outsider").await;
    let lead = app.organisation(&lead_admin, "Riverside Food Bank").await;
    app.join(&lead_member, lead, false).await;
    let partner = app
        .organisation(&partner_admin, "Hillside Youth Club")
        .await;
    app.join(&partner_seat, partner, false).await;
    app.join(&partner_member, partner, false).await;
    let watching = app.organisation(&observer, "County CVS").await;
    app.organisation(&outsider, "Elsewhere Allotments").await;
    let c = app.collaboration(&lead_admin, lead, "Holiday meals").await;
    for (org, who, role) in [
        (partner, &partner_admin, "partner"),
        (watching, &observer, "observer"),
    ] {
        let inv = app.invite(&lead_admin, c, org, role).await;
        app.accept(who, inv).await;
    }
    World {
        app,
        c,
        lead,
        partner,
        watching,
        lead_admin,
        lead_member,
        partner_admin,
        partner_seat,
        partner_member,
        observer,
        outsider,
    }
}

async fn world() -> World {
    world_on(TestApp::new().await).await
}

impl World {
    async fn call(&self, who: &Person, m: Method, path: &str, body: Option<Value>) -> TestResponse {
        self.app.api(m, path, Some(&who.token), body).await
    }

    async fn ok(&self, who: &Person, path: &str) -> Value {
        let r = self.call(who, Method::GET, path, None).await;
        assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.body);
        r.json()
    }

    async fn strategy(&self) -> Value {
        self.ok(
            &self.observer,
            &format!("/api/v1/collaborations/{}/forward-strategy", self.c),
        )
        .await
    }

    async fn put_position(&self, who: &Person, org: i64, body: Value) -> TestResponse {
        self.call(
            who,
            Method::PUT,
            &format!(
                "/api/v1/collaborations/{}/forward-strategy/positions/{org}",
                self.c
            ),
            Some(body),
        )
        .await
    }

    async fn put_way(&self, who: &Person, body: Value) -> TestResponse {
        self.call(
            who,
            Method::POST,
            &format!(
                "/api/v1/collaborations/{}/forward-strategy/way-forward",
                self.c
            ),
            Some(body),
        )
        .await
    }

    async fn next_cycle(&self, who: &Person) -> TestResponse {
        self.call(
            who,
            Method::POST,
            &format!("/api/v1/collaborations/{}/next-cycle", self.c),
            None,
        )
        .await
    }

    /// The collaboration's audit entries, (action, summary), newest first.
    async fn audit_of(&self, c: i64) -> Vec<(String, String)> {
        self.ok(
            &self.lead_admin,
            &format!("/api/v1/collaborations/{c}/audit"),
        )
        .await["items"]
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

    async fn checklist(&self, key: &str) -> Value {
        let v = self
            .ok(
                &self.lead_member,
                &format!("/api/v1/collaborations/{}/stages/review", self.c),
            )
            .await;
        v["checklist"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["key"] == key)
            .cloned()
            .unwrap_or_else(|| panic!("no checklist item {key}"))
    }

    async fn to_review(&self) {
        for from in ["identify", "plan", "implement"] {
            let r = self
                .call(
                    &self.lead_admin,
                    Method::POST,
                    &format!("/api/v1/collaborations/{}/stage", self.c),
                    Some(json!({"direction": "forward", "from": from})),
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        }
    }

    async fn body(&self) -> i64 {
        let r = self
            .call(
                &self.lead_admin,
                Method::POST,
                &format!("/api/v1/collaborations/{}/governance-bodies", self.c),
                Some(json!({
                    "name": "Steering group",
                    "decision_rule": "consent",
                    "quorum": 1,
                    "meets": "monthly",
                    "member_ids": [self.lead_admin.id, self.partner_seat.id],
                    "chair_id": self.lead_admin.id,
                })),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        r.json()["id"].as_i64().unwrap()
    }
}

/// (organisation name, option or "-", version) for each party, by name.
fn positions(v: &Value) -> Vec<(String, String, i64)> {
    v["positions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["organisation_name"].as_str().unwrap().to_string(),
                p["position"]["option"].as_str().unwrap_or("-").to_string(),
                p["position"]["version"].as_i64().unwrap_or(0),
            )
        })
        .collect()
}

#[tokio::test]
async fn each_partner_records_its_position_and_only_those_who_speak_for_it_may() {
    let w = world().await;
    let path = format!("/api/v1/collaborations/{}/forward-strategy", w.c);
    let none = vec![
        ("Hillside Youth Club".to_string(), "-".to_string(), 0),
        ("Riverside Food Bank".to_string(), "-".to_string(), 0),
    ];
    // Only the lead and the partner take part in the strategy, not the observer.
    let v = w.strategy().await;
    assert_eq!(positions(&v), none);
    assert_eq!(v["missing"], json!([w.partner, w.lead]));
    assert!(v["open"].is_null() && v["agreed"].is_null());
    assert_eq!(v["can_propose"], false);
    let item = w.checklist("positions_recorded").await;
    assert_eq!(item["done"], false);
    assert_eq!(
        item["detail"],
        "0 of 2 partners have recorded a position. 2 have still to."
    );
    assert_eq!(item["href"], format!("/collaborations/{}/forward", w.c));
    let audit_before = w.audit_of(w.c).await.len();

    let good = json!({"option": "widen", "reasons": "We need **more** reach.", "next_steps": "Invite the library.", "version": 0});
    // Refused, each with its plain reason, and nothing saved.
    for (who, org, status, detail) in [
        (
            &w.partner_member,
            w.partner,
            StatusCode::FORBIDDEN,
            "Only an admin of the organisation, or the person who sits on a governance group for it, can record its position. Ask one of them.",
        ),
        (
            &w.lead_member,
            w.lead,
            StatusCode::FORBIDDEN,
            "Only an admin of the organisation, or the person who sits on a governance group for it, can record its position. Ask one of them.",
        ),
        (
            &w.partner_admin,
            w.lead,
            StatusCode::FORBIDDEN,
            "You can only record the position of an organisation you belong to.",
        ),
        (
            &w.observer,
            w.partner,
            StatusCode::FORBIDDEN,
            "You can only record the position of an organisation you belong to.",
        ),
    ] {
        let r = w.put_position(who, org, good.clone()).await;
        assert_eq!(r.status, status, "{}", r.body);
        assert_eq!(r.json()["detail"], detail);
        assert_eq!(positions(&w.strategy().await), none);
    }
    // An observer's own organisation has no position to record; outsiders
    // see nothing.
    let r = w.put_position(&w.observer, w.watching, good.clone()).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = w.put_position(&w.outsider, w.partner, good.clone()).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = w.call(&w.outsider, Method::GET, &path, None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(positions(&w.strategy().await), none);

    // Bad input: each field named, nothing saved.
    let r = w
        .put_position(
            &w.partner_admin,
            w.partner,
            json!({"option": "stop", "reasons": "  ", "version": 0}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(
        r.json()["errors"],
        json!({
            "option": "Choose a way forward: continue, deepen, widen, change the model, merge or wind down.",
            "reasons": "Give the reasons for this way forward."
        })
    );
    assert_eq!(positions(&w.strategy().await), none);
    assert_eq!(w.audit_of(w.c).await.len(), audit_before);

    // The person who sits on the group for the partner records it.
    w.body().await;
    let audit_before = w.audit_of(w.c).await.len();
    let r = w
        .put_position(&w.partner_seat, w.partner, good.clone())
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let p = r.json();
    assert_eq!(p["organisation_id"], w.partner);
    assert_eq!(p["position"]["option"], "widen");
    assert_eq!(p["position"]["reasons"], "We need **more** reach.");
    assert_eq!(p["position"]["next_steps"], "Invite the library.");
    assert_eq!(p["position"]["version"], 1);
    assert_eq!(p["position"]["recorded_by_name"], "Sam Seat");
    let audit = w.audit_of(w.c).await;
    assert_eq!(audit.len(), audit_before + 1);
    assert_eq!(
        audit[0],
        (
            "forward.position_recorded".to_string(),
            "Recorded the position of Hillside Youth Club on the way forward: widen.".to_string()
        )
    );
    let v = w.strategy().await;
    assert_eq!(v["missing"], json!([w.lead]));
    assert_eq!(v["positions"][0]["can_record"], false);

    // A save based on no position, or an old version, is stale: 409 with
    // what the position says now, and nothing changes.
    for version in [0, 7] {
        let r = w
            .put_position(
                &w.partner_admin,
                w.partner,
                json!({"option": "merge", "reasons": "One board.", "version": version}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        assert_eq!(
            r.json()["detail"],
            "Someone saved the position of Hillside Youth Club after you opened it. It now says widen (version 1, saved by Sam Seat). Open it again to see their change, then make yours."
        );
        let v = w.strategy().await;
        assert_eq!(v["positions"][0]["position"]["option"], "widen");
        assert_eq!(v["positions"][0]["position"]["version"], 1);
    }
    assert_eq!(w.audit_of(w.c).await.len(), audit_before + 1);
    // Based on the version read, it saves.
    let r = w
        .put_position(
            &w.partner_admin,
            w.partner,
            json!({"option": "merge", "reasons": "One board.", "version": 1}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["position"]["version"], 2);
    assert_eq!(r.json()["position"]["next_steps"], "");
    assert_eq!(
        w.audit_of(w.c).await[0].1,
        "Changed the position of Hillside Youth Club on the way forward: merge."
    );
    let r = w.put_position(&w.lead_admin, w.lead, good.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let v = w.strategy().await;
    assert_eq!(
        positions(&v),
        vec![
            ("Hillside Youth Club".to_string(), "merge".to_string(), 2),
            ("Riverside Food Bank".to_string(), "widen".to_string(), 1),
        ]
    );
    assert_eq!(v["missing"], json!([]));
    let item = w.checklist("positions_recorded").await;
    assert_eq!(item["done"], true);
    assert_eq!(item["detail"], "Every partner has recorded its position.");

    // The page shows them side by side, Markdown rendered safely.
    let page = w
        .app
        .get(
            &format!("/collaborations/{}/forward", w.c),
            Some(&w.observer),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("positions-table"));
    assert!(page.body.contains("<strong>more</strong> reach"));
    assert!(page.body.contains("By Lena Lead"));
    assert!(!page.body.contains("missing-positions"));
    assert!(!page.body.contains("/forward/positions/"));
}

#[tokio::test]
async fn position_forms_keep_input_on_errors_and_on_stale_saves() {
    let w = world().await;
    let form = format!("/collaborations/{}/forward/positions/{}", w.c, w.partner);
    // Someone who cannot speak for it reads why; no form.
    let r = w.app.get(&form, Some(&w.partner_member)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("cannot-record"));
    assert!(!r.body.contains("Save the position"));
    // An observer's own organisation has no position: not found.
    let r = w
        .app
        .get(
            &format!("/collaborations/{}/forward/positions/{}", w.c, w.watching),
            Some(&w.observer),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = w.app.get(&form, Some(&w.outsider)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    let r = w.app.get(&form, Some(&w.partner_admin)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Save the position"));
    // Missing option: 422 with what was typed kept.
    let r = w
        .app
        .post_form(
            &form,
            Some(&w.partner_admin),
            &[
                ("option", ""),
                ("reasons", "Kept reasons"),
                ("next_steps", "Kept steps"),
                ("version", "0"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Kept reasons") && r.body.contains("Kept steps"));
    assert!(r.body.contains("Choose a way forward"));
    assert_eq!(positions(&w.strategy().await)[0].1, "-");
    let r = w
        .app
        .post_form(
            &form,
            Some(&w.partner_admin),
            &[
                ("option", "deepen"),
                ("reasons", "Closer work."),
                ("version", "0"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        r.location(),
        format!("/collaborations/{}/forward?done=saved", w.c)
    );
    assert_eq!(positions(&w.strategy().await)[0].1, "deepen");
    // A stale save keeps the typing and says what it is now.
    let r = w
        .app
        .post_form(
            &form,
            Some(&w.partner_admin),
            &[
                ("option", "merge"),
                ("reasons", "My stale words"),
                ("version", "0"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("My stale words"));
    assert!(
        r.body
            .contains("It now says deepen (version 1, saved by Pia Partner).")
    );
    assert!(r.body.contains(r#"name="version" value="1""#));
    assert_eq!(positions(&w.strategy().await)[0].1, "deepen");
}

#[tokio::test]
async fn the_way_forward_is_decided_by_vote_and_agreed_once_its_outcome_is_written() {
    let w = world().await;
    w.to_review().await;
    let way = json!({"option": "deepen", "reasons": "We work well.", "next_steps": "Form a consortium.", "closes_on": in_days(7)});
    // No governance group: refused, saying where to set one up.
    let r = w.put_way(&w.lead_admin, way.clone()).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert_eq!(
        r.json()["detail"],
        format!(
            "This collaboration has no governance group to decide the way forward. Set one up in the Plan stage at /collaborations/{}/governance, then put the way forward to it.",
            w.c
        )
    );
    let page = w
        .app
        .get(
            &format!("/collaborations/{}/forward", w.c),
            Some(&w.lead_admin),
        )
        .await;
    assert!(page.body.contains("no-governance"));
    assert!(
        page.body
            .contains(&format!("href=\"/collaborations/{}/governance\"", w.c))
    );
    assert!(
        w.strategy().await["ways_forward"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    let body = w.body().await;
    // Only the lead puts it; outsiders see nothing.
    for who in [&w.partner_admin, &w.observer] {
        let r = w.put_way(who, way.clone()).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        assert_eq!(
            r.json()["detail"],
            "Only the lead organisation can put a way forward to the partners. Record your organisation's position instead, or ask the lead."
        );
    }
    assert_eq!(
        w.put_way(&w.outsider, way.clone()).await.status,
        StatusCode::NOT_FOUND
    );
    // Bad input: every field named.
    let r = w
        .put_way(
            &w.lead_admin,
            json!({"option": "", "reasons": "", "next_steps": "", "closes_on": "2000-01-01", "body_id": 999999}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let errors = r.json()["errors"].clone();
    for f in ["option", "reasons", "next_steps", "closes_on"] {
        assert!(errors[f].is_string(), "{f}: {errors}");
    }
    let r = w
        .put_way(
            &w.lead_admin,
            json!({"option": "deepen", "reasons": "R", "next_steps": "S", "closes_on": in_days(3), "body_id": 999999}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(
        r.json()["errors"],
        json!({"body_id": "Choose one of this collaboration's governance groups."})
    );
    assert!(
        w.strategy().await["ways_forward"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    // The lead member puts it (the only group is used).
    let r = w.put_way(&w.lead_member, way.clone()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let put = r.json();
    assert_eq!(put["option"], "deepen");
    assert_eq!(put["body_name"], "Steering group");
    assert_eq!(put["result"], Value::Null);
    assert_eq!(put["agreed"], false);
    let pid = put["proposal_id"].as_i64().unwrap();
    let p = w
        .ok(&w.partner_member, &format!("/api/v1/proposals/{pid}"))
        .await;
    assert_eq!(p["title"], "Way forward: deepen");
    assert_eq!(p["body_id"], body);
    assert!(p["text"].as_str().unwrap().contains("Form a consortium."));
    assert_eq!(
        w.audit_of(w.c).await[0].1,
        format!(
            "Put the way forward \u{201c}deepen\u{201d} to Steering group for a decision, voting until {}.",
            in_days(7)
        )
    );
    // Only one open at a time.
    let r = w.put_way(&w.lead_admin, way.clone()).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(
        r.json()["detail"],
        format!(
            "A way forward is already waiting for a decision: deepen, put by Liam Lead. Only one can be open at a time. Its result is on the proposal page at /proposals/{pid}; once the outcome is written there, another can be put."
        )
    );
    let v = w.strategy().await;
    assert_eq!(v["ways_forward"].as_array().unwrap().len(), 1);
    assert_eq!(v["open"]["way_forward"]["proposal_id"], pid);
    assert_eq!(v["open"]["proposal"]["result"]["decided"], false);
    assert!(v["agreed"].is_null());
    assert_eq!(w.checklist("way_forward_agreed").await["done"], false);

    // Both vote for it; the lead writes the outcome: agreed.
    for (who, org) in [(&w.lead_admin, w.lead), (&w.partner_seat, w.partner)] {
        let r = w
            .call(
                who,
                Method::POST,
                &format!("/api/v1/proposals/{pid}/votes"),
                Some(json!({"organisation_id": org, "choice": "agree", "reason": "Yes."})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    assert!(w.strategy().await["agreed"].is_null());
    let r = w
        .call(
            &w.lead_admin,
            Method::POST,
            &format!("/api/v1/proposals/{pid}/outcome"),
            Some(json!({"outcome": "We deepen."})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let decision = r.json()["decision_id"].as_i64().unwrap();
    let v = w.strategy().await;
    assert!(v["open"].is_null());
    assert_eq!(v["agreed"]["proposal_id"], pid);
    assert_eq!(v["agreed"]["result"], "passed");
    assert_eq!(v["agreed"]["agreed"], true);
    assert_eq!(v["agreed"]["decision_id"], decision);
    let item = w.checklist("way_forward_agreed").await;
    assert_eq!(item["done"], true);
    for path in [
        format!("/collaborations/{}/forward", w.c),
        format!("/collaborations/{}/review", w.c),
    ] {
        let page = w.app.get(&path, Some(&w.observer)).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert!(page.body.contains("Agreed way forward: Deepen"), "{path}");
        assert!(page.body.contains("Form a consortium."), "{path}");
        assert!(
            page.body.contains(&format!("href=\"/proposals/{pid}\"")),
            "{path}"
        );
        assert!(
            page.body
                .contains(&format!("href=\"/decisions/{decision}\"")),
            "{path}"
        );
    }
    // Once agreed, no other can be put.
    let r = w.put_way(&w.lead_admin, way.clone()).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(
        r.json()["detail"],
        format!(
            "The partners have already agreed the way forward: deepen. The decision is on the proposal page at /proposals/{pid}."
        )
    );
    assert_eq!(
        w.strategy().await["ways_forward"].as_array().unwrap().len(),
        1
    );
}

#[tokio::test]
async fn a_way_forward_not_passed_leaves_room_for_another() {
    let w = world().await;
    w.body().await;
    let way = json!({"option": "wind_down", "reasons": "Funding ends.", "next_steps": "Close by March.", "closes_on": in_days(2)});
    let r = w.put_way(&w.lead_admin, way.clone()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let pid = r.json()["proposal_id"].as_i64().unwrap();
    let r = w
        .call(
            &w.partner_admin,
            Method::POST,
            &format!("/api/v1/proposals/{pid}/votes"),
            Some(json!({"organisation_id": w.partner, "choice": "block", "reason": "Not yet."})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    for path in ["close", "outcome"] {
        let r = w
            .call(
                &w.lead_admin,
                Method::POST,
                &format!("/api/v1/proposals/{pid}/{path}"),
                (path == "outcome").then(|| json!({"outcome": "We keep going."})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    let v = w.strategy().await;
    assert!(v["open"].is_null() && v["agreed"].is_null());
    assert_eq!(v["ways_forward"][0]["result"], "blocked");
    assert_eq!(w.checklist("way_forward_agreed").await["done"], false);
    let r = w.put_way(&w.lead_admin, json!({"option": "continue", "reasons": "R", "next_steps": "S", "closes_on": in_days(2)})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(
        w.strategy().await["ways_forward"].as_array().unwrap().len(),
        2
    );
}

/// Three aims (achieved, partly, not reviewed) and two lessons.
async fn fill_review(w: &World) -> [i64; 3] {
    let mut ids = [0; 3];
    for (i, title) in ["Fewer hungry children", "More volunteers", "A shared van"]
        .iter()
        .enumerate()
    {
        let r = w
            .call(
                &w.lead_admin,
                Method::POST,
                &format!("/api/v1/collaborations/{}/aims", w.c),
                Some(json!({"title": title, "indicator": "Count", "baseline": "1", "target": "9", "target_date": "2027-08-31"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        ids[i] = r.json()["id"].as_i64().unwrap();
    }
    for (aim, outcome) in [(ids[0], "achieved"), (ids[1], "partly")] {
        let r = w
            .call(
                &w.lead_admin,
                Method::PUT,
                &format!("/api/v1/collaborations/{}/aims-review/{aim}", w.c),
                Some(json!({"outcome": outcome, "actual": "5", "version": 0})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    for (stage, text) in [
        ("plan", "Agree roles early."),
        ("implement", "Meet monthly."),
    ] {
        let r = w
            .call(
                &w.partner_admin,
                Method::POST,
                &format!("/api/v1/collaborations/{}/lessons", w.c),
                Some(json!({"stage": stage, "kind": "worked", "text": text})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
    ids
}

#[tokio::test]
async fn the_next_cycle_carries_the_open_aims_and_lessons_and_invites_the_others_again() {
    let w = world().await;
    fill_review(&w).await;
    // Not in Review yet: refused, nothing made.
    let r = w.next_cycle(&w.lead_admin).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert_eq!(
        r.json()["detail"],
        "The next cycle can only be started in the Review stage. This collaboration is in the Identify stage: move it on to Review first."
    );
    let c = w
        .ok(&w.lead_admin, &format!("/api/v1/collaborations/{}", w.c))
        .await;
    assert_eq!(c["next_cycle_id"], Value::Null);
    w.to_review().await;

    // Others who can see it: 403 with the reason; outsiders: 404.
    for who in [&w.partner_admin, &w.lead_member, &w.observer] {
        let r = w.next_cycle(who).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        assert_eq!(
            r.json()["detail"],
            "Only an admin of the lead organisation can start the next cycle. Ask one of them."
        );
    }
    assert_eq!(
        w.next_cycle(&w.outsider).await.status,
        StatusCode::NOT_FOUND
    );
    let c = w
        .ok(&w.lead_admin, &format!("/api/v1/collaborations/{}", w.c))
        .await;
    assert_eq!(c["next_cycle_id"], Value::Null);

    // The confirm page says what will be carried.
    let page = w
        .app
        .get(
            &format!("/collaborations/{}/next-cycle", w.c),
            Some(&w.lead_admin),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Holiday meals (cycle 2)"));
    assert!(page.body.contains("More volunteers") && page.body.contains("A shared van"));
    assert!(!page.body.contains("Fewer hungry children"));
    assert!(page.body.contains("Hillside Youth Club, as a partner"));
    assert!(page.body.contains("County CVS, as an observer"));
    let r = w
        .app
        .get(
            &format!("/collaborations/{}/next-cycle", w.c),
            Some(&w.partner_admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let review = w
        .app
        .get(
            &format!("/collaborations/{}/review", w.c),
            Some(&w.lead_admin),
        )
        .await;
    assert!(
        review
            .body
            .contains(&format!("href=\"/collaborations/{}/next-cycle\"", w.c))
    );

    let audit_before = w.audit_of(w.c).await.len();
    let r = w.next_cycle(&w.lead_admin).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let n = r.json();
    let next = n["id"].as_i64().unwrap();
    assert_eq!(n["title"], "Holiday meals (cycle 2)");
    assert_eq!(n["purpose"], "To work together on something that matters.");
    assert_eq!(n["stage"], "identify");
    assert_eq!(n["previous_cycle_id"], w.c);
    assert_eq!(n["next_cycle_id"], Value::Null);
    assert_eq!(n["can_manage"], true);
    let parts: Vec<(i64, &str)> = n["participants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["organisation_id"].as_i64().unwrap(),
                p["role"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(parts, [(w.lead, "lead")]);
    let mut invited: Vec<(i64, String, String)> = n["invitations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["organisation_id"].as_i64().unwrap(),
                i["role"].as_str().unwrap().to_string(),
                i["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    invited.sort();
    let mut want = vec![
        (w.partner, "partner".to_string(), "pending".to_string()),
        (w.watching, "observer".to_string(), "pending".to_string()),
    ];
    want.sort();
    assert_eq!(invited, want);
    // Both link to each other.
    let c = w
        .ok(&w.observer, &format!("/api/v1/collaborations/{}", w.c))
        .await;
    assert_eq!(c["next_cycle_id"], next);
    assert_eq!(c["previous_cycle_id"], Value::Null);
    let page = w
        .app
        .get(&format!("/collaborations/{next}"), Some(&w.lead_admin))
        .await;
    assert!(
        page.body
            .contains(&format!("href=\"/collaborations/{}\">Previous cycle", w.c))
    );
    let page = w
        .app
        .get(&format!("/collaborations/{}", w.c), Some(&w.lead_admin))
        .await;
    assert!(
        page.body
            .contains(&format!("href=\"/collaborations/{next}\">Next cycle"))
    );
    // Exactly the open aims, as draft aims (not approved).
    let aims = w
        .ok(
            &w.lead_admin,
            &format!("/api/v1/collaborations/{next}/aims"),
        )
        .await;
    let titles: Vec<&str> = aims["aims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["More volunteers", "A shared van"]);
    assert_eq!(aims["approved"], false);
    assert_eq!(aims["aims"][0]["target_date"], Value::Null);
    // The lessons, marked as from the previous cycle.
    let lessons = w
        .ok(
            &w.lead_admin,
            &format!("/api/v1/collaborations/{next}/lessons"),
        )
        .await;
    let got: Vec<(&str, bool)> = lessons["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["text"].as_str().unwrap(),
                l["from_previous_cycle"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(got, [("Agree roles early.", true), ("Meet monthly.", true)]);
    let old = w
        .ok(
            &w.lead_admin,
            &format!("/api/v1/collaborations/{}/lessons", w.c),
        )
        .await;
    assert_eq!(old["items"][0]["from_previous_cycle"], false);
    // Audit entries on both.
    let words = "2 aims still open and 2 lessons carried over; Hillside Youth Club, County CVS invited again";
    let audit = w.audit_of(w.c).await;
    assert_eq!(audit.len(), audit_before + 1);
    assert_eq!(
        audit[0],
        (
            "collaboration.next_cycle_started".to_string(),
            format!("Started the next cycle, \u{201c}Holiday meals (cycle 2)\u{201d}: {words}.")
        )
    );
    let audit = w.audit_of(next).await;
    assert!(audit.contains(&(
        "collaboration.opened".to_string(),
        format!("Opened as the next cycle of \u{201c}Holiday meals\u{201d}, in the Identify stage: {words}.")
    )));
    assert!(audit.contains(&(
        "invitation.sent".to_string(),
        "Invited Hillside Youth Club to join as a partner.".to_string()
    )));
    // The partners must accept, as any invitation: until then they do not see it.
    let r = w
        .call(
            &w.partner_admin,
            Method::GET,
            &format!("/api/v1/collaborations/{next}"),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let inv = n["invitations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["organisation_id"] == w.partner)
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    w.app.accept(&w.partner_admin, inv).await;
    let seen = w
        .ok(&w.partner_admin, &format!("/api/v1/collaborations/{next}"))
        .await;
    assert_eq!(seen["previous_cycle_id"], w.c);

    // Only once: 409 naming and linking the next cycle.
    let r = w.next_cycle(&w.lead_admin).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(
        r.json()["detail"],
        format!(
            "The next cycle of this collaboration has already been started: \u{201c}Holiday meals (cycle 2)\u{201d}, at /collaborations/{next}."
        )
    );
    let c = w
        .ok(&w.lead_admin, &format!("/api/v1/collaborations/{}", w.c))
        .await;
    assert_eq!(c["next_cycle_id"], next);
    assert_eq!(w.audit_of(w.c).await.len(), audit_before + 1);
    let page = w
        .app
        .get(
            &format!("/collaborations/{}/next-cycle", w.c),
            Some(&w.lead_admin),
        )
        .await;
    assert!(page.body.contains("next-cycle-refused"));
    assert!(!page.body.contains("Start the next cycle</button>"));
    // The next cycle's own next cycle is numbered on.
    let titles = w
        .ok(&w.lead_admin, "/api/v1/collaborations?per_page=100")
        .await["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["title"].as_str().unwrap().starts_with("Holiday meals"))
        .count();
    assert_eq!(titles, 2);
}

#[tokio::test]
async fn the_next_cycle_page_button_starts_it() {
    let w = world().await;
    w.to_review().await;
    let r = w
        .app
        .post_form(
            &format!("/collaborations/{}/next-cycle", w.c),
            Some(&w.lead_admin),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let c = w
        .ok(&w.lead_admin, &format!("/api/v1/collaborations/{}", w.c))
        .await;
    let next = c["next_cycle_id"].as_i64().unwrap();
    assert_eq!(r.location(), format!("/collaborations/{next}"));
    let r = w
        .app
        .post_form(
            &format!("/collaborations/{}/next-cycle", w.c),
            Some(&w.partner_admin),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn two_servers_starting_the_next_cycle_at_once_make_exactly_one() {
    let (a, b) = TestApp::pair().await;
    let w = world_on(a).await;
    w.to_review().await;
    let path = format!("/api/v1/collaborations/{}/next-cycle", w.c);
    let (ra, rb) = tokio::join!(
        w.app
            .api(Method::POST, &path, Some(&w.lead_admin.token), None),
        b.api(Method::POST, &path, Some(&w.lead_admin.token), None),
    );
    let mut statuses = [ra.status, rb.status];
    statuses.sort();
    assert_eq!(
        statuses,
        [StatusCode::CREATED, StatusCode::CONFLICT],
        "{} / {}",
        ra.body,
        rb.body
    );
    let loser = if ra.status == StatusCode::CONFLICT {
        &ra
    } else {
        &rb
    };
    let winner = if ra.status == StatusCode::CREATED {
        &ra
    } else {
        &rb
    };
    let next = winner.json()["id"].as_i64().unwrap();
    assert_eq!(
        loser.json()["detail"],
        format!(
            "The next cycle of this collaboration has already been started: \u{201c}Holiday meals (cycle 2)\u{201d}, at /collaborations/{next}."
        )
    );
    let mine = w
        .ok(&w.lead_admin, "/api/v1/collaborations?per_page=100")
        .await;
    let cycles: Vec<&str> = mine["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["title"].as_str().unwrap())
        .filter(|t| t.contains("(cycle"))
        .collect();
    assert_eq!(cycles, ["Holiday meals (cycle 2)"]);
    let c = w
        .ok(&w.lead_admin, &format!("/api/v1/collaborations/{}", w.c))
        .await;
    assert_eq!(c["next_cycle_id"], next);
}
