//! The problem and decisions logs through the API and the pages: raising
//! and checking problems, the ladder (default or from the agreement),
//! escalating one rung at a time with who is at each rung, stale changes,
//! resolution, the filters and pages; decisions with links both ways and
//! never across collaborations; and the Implement checklist's item. Who
//! may do what is also in the access tables.

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
    lead_member: Person,
    partner_admin: Person,
    observer: Person,
    outsider: Person,
}

async fn world() -> World {
    let app = TestApp::new().await;
    let lead_admin = app.quick_person("Lena Lead").await;
    let lead_member = app.quick_person("Milo Member").await;
    let partner_admin = app.quick_person("Pia Partner").await;
    let observer = app.quick_person("Oona Observer").await;
    let outsider = app.quick_person("Otto Outsider").await;
    let lead = app.organisation(&lead_admin, "Riverside Food Bank").await;
    app.join(&lead_member, lead, false).await;
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
        elsewhere,
        lead_admin,
        lead_member,
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

    async fn raise(&self, who: &Person, c: i64, body: Value) -> common::TestResponse {
        self.api(
            who,
            Method::POST,
            &format!("/api/v1/collaborations/{c}/problems"),
            Some(body),
        )
        .await
    }

    async fn problem(&self, pid: i64) -> Value {
        let r = self
            .api(
                &self.partner_admin,
                Method::GET,
                &format!("/api/v1/problems/{pid}"),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        r.json()
    }

    async fn escalate(&self, who: &Person, pid: i64, reason: &str) -> common::TestResponse {
        self.api(
            who,
            Method::POST,
            &format!("/api/v1/problems/{pid}/escalate"),
            Some(json!({"reason": reason})),
        )
        .await
    }

    async fn list(&self, path: &str) -> Value {
        let r = self.api(&self.observer, Method::GET, path, None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        r.json()
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
}

impl World {
    async fn patch(&self, pid: i64, body: Value) -> common::TestResponse {
        self.api(
            &self.partner_admin,
            Method::PATCH,
            &format!("/api/v1/problems/{pid}"),
            Some(body),
        )
        .await
    }

    async fn record(&self, who: &Person, body: Value) -> common::TestResponse {
        self.api(
            who,
            Method::POST,
            &format!("/api/v1/collaborations/{}/decisions", self.c),
            Some(body),
        )
        .await
    }

    async fn link(&self, who: &Person, did: i64, body: Value) -> common::TestResponse {
        self.api(
            who,
            Method::POST,
            &format!("/api/v1/decisions/{did}/links"),
            Some(body),
        )
        .await
    }

    async fn problems_item(&self) -> Value {
        let path = format!("/api/v1/collaborations/{}/stages/implement", self.c);
        let r = self.api(&self.lead_admin, Method::GET, &path, None).await;
        r.json()["checklist"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["key"] == "problems_in_hand")
            .cloned()
            .unwrap()
    }
}

fn names(people: &Value) -> Vec<String> {
    people
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn a_problem_climbs_the_default_ladder_one_rung_at_a_time() {
    let w = world().await;
    // Every field at once, as field errors.
    let r = w.raise(&w.lead_admin, w.c, json!({})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.json()["errors"],
        json!({"description": "Describe the problem.", "severity": "Choose low, medium, high or critical.",
               "owner_organisation_id": "Choose the organisation that owns the problem."})
    );
    let r = w
        .raise(
            &w.lead_admin,
            w.c,
            json!({"description": "x", "severity": "high", "owner_organisation_id": 999_999}),
        )
        .await;
    assert_eq!(
        r.json()["errors"]["owner_organisation_id"],
        "Choose one of the organisations taking part."
    );
    let r = w
        .raise(
            &w.lead_admin,
            w.c,
            json!({"description": "x", "severity": "high", "owner_organisation_id": w.lead,
                   "owner_person_id": w.partner_admin.id}),
        )
        .await;
    assert_eq!(
        r.json()["errors"]["owner_person_id"],
        "Choose a member of the organisation that owns the problem, or nobody yet."
    );
    // Observers read only; outsiders see nothing.
    let good = json!({"description": "The van keeps breaking down.\nDeliveries are late.",
                      "severity": "critical", "owner_organisation_id": w.lead});
    let r = w.raise(&w.observer, w.c, good.clone()).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = w.raise(&w.outsider, w.c, good.clone()).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(
        w.list(&format!("/api/v1/collaborations/{}/problems", w.c))
            .await["total"],
        0
    );

    let r = w.raise(&w.partner_admin, w.c, good).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let pid = r.json()["id"].as_i64().unwrap();
    let p = w.problem(pid).await;
    assert_eq!(p["raised_by_name"], "Pia Partner");
    assert_eq!(p["raised_by_id"], w.partner_admin.id);
    assert_eq!(p["status"], "open");
    assert_eq!(p["severity"], "critical");
    assert_eq!(
        p["ladder"],
        json!([
            "Working level",
            "Partner leads",
            "Steering group",
            "Independent mediation"
        ])
    );
    assert_eq!(p["rung"], 0);
    assert_eq!(p["at_rung"]["audience"], "working_level");
    assert_eq!(names(&p["at_rung"]["people"]), ["Lena Lead", "Milo Member"]);
    assert_eq!(p["escalations"], json!([]));

    // A reason is needed; observers and outsiders cannot escalate.
    let r = w.escalate(&w.lead_admin, pid, "  ").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.json()["errors"]["reason"],
        "Say why the problem needs to go up a rung."
    );
    assert_eq!(
        w.escalate(&w.observer, pid, "Please").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        w.escalate(&w.outsider, pid, "Please").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(w.problem(pid).await["rung"], 0);

    let r = w
        .escalate(&w.lead_admin, pid, "Two weeks and no fix.")
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()["escalation"]["from_name"], "Working level");
    assert_eq!(r.json()["escalation"]["to_name"], "Partner leads");
    let p = w.problem(pid).await;
    assert_eq!(p["rung"], 1);
    assert_eq!(p["rung_name"], "Partner leads");
    assert_eq!(p["version"], 2);
    assert_eq!(p["at_rung"]["audience"], "partner_leads");
    // Admins of the lead and the partner; not the lead's plain member,
    // not the observer.
    assert_eq!(names(&p["at_rung"]["people"]), ["Lena Lead", "Pia Partner"]);
    let e = &p["escalations"][0];
    assert_eq!(
        (
            &e["from_rung"],
            &e["to_rung"],
            &e["escalated_by_name"],
            &e["reason"]
        ),
        (
            &json!(0),
            &json!(1),
            &json!("Lena Lead"),
            &json!("Two weeks and no fix.")
        )
    );

    // The steering group rung: nobody until a body is named so.
    w.escalate(&w.partner_admin, pid, "The leads disagree.")
        .await;
    let p = w.problem(pid).await;
    assert_eq!(p["rung"], 2);
    assert_eq!(p["at_rung"]["audience"], "steering_group");
    assert_eq!(p["at_rung"]["body_name"], Value::Null);
    assert_eq!(p["at_rung"]["people"], json!([]));
    let r = w
        .api(
            &w.lead_admin,
            Method::POST,
            &format!("/api/v1/collaborations/{}/governance-bodies", w.c),
            Some(json!({"name": "Joint steering group", "decision_rule": "consensus", "quorum": 1,
                        "meets": "monthly", "member_ids": [w.partner_admin.id], "chair_id": w.partner_admin.id})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let p = w.problem(pid).await;
    assert_eq!(p["at_rung"]["body_name"], "Joint steering group");
    assert_eq!(names(&p["at_rung"]["people"]), ["Pia Partner"]);

    // Mediation is outside the app; the top cannot be passed.
    w.escalate(&w.partner_admin, pid, "Still stuck.").await;
    let p = w.problem(pid).await;
    assert_eq!(p["rung"], 3);
    assert_eq!(p["at_rung"]["audience"], "outside");
    assert_eq!(p["at_rung"]["people"], json!([]));
    let r = w.escalate(&w.partner_admin, pid, "Higher!").await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(
        r.body.contains("already at the top of the ladder"),
        "{}",
        r.body
    );
    let p = w.problem(pid).await;
    assert_eq!(p["rung"], 3);
    assert_eq!(p["escalations"].as_array().unwrap().len(), 3);
    assert_eq!(
        p["escalations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["to_name"].as_str().unwrap())
            .collect::<Vec<_>>(),
        ["Partner leads", "Steering group", "Independent mediation"]
    );
    // The people at each new rung were told as it climbed: nothing waits.
    let mut tx = w.app.state.store.read().await.unwrap();
    assert!(tx.escalations_to_notify(10).await.unwrap().is_empty());
    drop(tx);
    let audit = w.audit().await;
    assert!(
        audit.iter().any(|s| s
            == "Escalated the problem \u{201c}The van keeps breaking down.\u{201d} from \u{201c}Working level\u{201d} to \u{201c}Partner leads\u{201d}: Two weeks and no fix."),
        "{audit:?}"
    );
}

#[tokio::test]
async fn changes_need_the_current_version_and_a_resolution_and_end_escalation() {
    let w = world().await;
    let pid = w
        .raise(
            &w.lead_admin,
            w.c,
            json!({"description": "Rota gaps", "severity": "medium", "owner_organisation_id": w.lead}),
        )
        .await
        .json()["id"]
        .as_i64()
        .unwrap();
    let r = w.patch(pid, json!({"status": "being_worked_on"})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["errors"]["version"].is_string());
    let r = w
        .patch(
            pid,
            json!({"status": "being_worked_on", "owner_person_id": w.lead_member.id, "version": 1}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["owner_person_name"], "Milo Member");
    assert_eq!(r.json()["description"], "Rota gaps");
    // Version 1 is stale now.
    let r = w.patch(pid, json!({"severity": "low", "version": 1})).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(w.problem(pid).await["severity"], "medium");
    let r = w
        .patch(pid, json!({"status": "resolved", "version": 2}))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.json()["errors"]["resolution"],
        "Say how the problem was resolved before marking it resolved."
    );
    assert_eq!(w.problem(pid).await["status"], "being_worked_on");
    // Observers cannot change it.
    let r = w
        .api(
            &w.observer,
            Method::PATCH,
            &format!("/api/v1/problems/{pid}"),
            Some(json!({"severity": "low", "version": 2})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = w.patch(pid, json!({"status": "resolved", "resolution": "Two new volunteers.", "owner_person_id": null, "version": 2})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let p = w.problem(pid).await;
    assert_eq!(p["status"], "resolved");
    assert_eq!(p["resolution"], "Two new volunteers.");
    assert_eq!(p["owner_person_id"], Value::Null);
    let r = w.escalate(&w.lead_admin, pid, "Again").await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("is resolved, so it cannot be escalated"));
    assert_eq!(w.problem(pid).await["rung"], 0);
}

#[tokio::test]
async fn a_list_in_the_agreed_disputes_section_is_the_ladder() {
    let w = world().await;
    let r = w
        .api(
            &w.lead_admin,
            Method::POST,
            &format!("/api/v1/collaborations/{}/agreements", w.c),
            Some(json!({"kind": "collaboration_agreement"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let a = r.json()["id"].as_i64().unwrap();
    let r = w
        .api(
            &w.lead_admin,
            Method::PUT,
            &format!("/api/v1/agreements/{a}/sections/disputes_and_escalation"),
            Some(json!({"text": "We settle disagreements in this order:\n\n1. The project officers;\n2. The chief officers;\n3. An independent mediator.", "base_version": 1})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let pid = w
        .raise(
            &w.lead_admin,
            w.c,
            json!({"description": "Budget overspend", "severity": "high", "owner_organisation_id": w.partner}),
        )
        .await
        .json()["id"]
        .as_i64()
        .unwrap();
    let p = w.problem(pid).await;
    assert_eq!(
        p["ladder"],
        json!([
            "The project officers",
            "The chief officers",
            "An independent mediator"
        ])
    );
    assert_eq!(names(&p["at_rung"]["people"]), ["Pia Partner"]);
    w.escalate(&w.lead_admin, pid, "Officers cannot agree.")
        .await;
    let p = w.problem(pid).await;
    assert_eq!(p["rung_name"], "The chief officers");
    assert_eq!(p["at_rung"]["audience"], "partner_leads");
}

#[tokio::test]
async fn the_problem_list_filters_and_pages() {
    let w = world().await;
    for (d, s, o) in [
        ("One", "low", w.lead),
        ("Two", "high", w.partner),
        ("Three", "high", w.lead),
    ] {
        let r = w
            .raise(
                &w.lead_admin,
                w.c,
                json!({"description": d, "severity": s, "owner_organisation_id": o}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED);
    }
    let base = format!("/api/v1/collaborations/{}/problems", w.c);
    let titles = |v: &Value| -> Vec<String> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["description"].as_str().unwrap().to_string())
            .collect()
    };
    let all = w.list(&base).await;
    assert_eq!(
        (all["total"].as_i64(), titles(&all)),
        (Some(3), vec!["Three".into(), "Two".into(), "One".into()])
    );
    let high = w.list(&format!("{base}?severity=high")).await;
    assert_eq!(titles(&high), ["Three", "Two"]);
    let lead_high = w
        .list(&format!(
            "{base}?severity=high&owner_organisation_id={}",
            w.lead
        ))
        .await;
    assert_eq!(titles(&lead_high), ["Three"]);
    let page2 = w.list(&format!("{base}?per_page=2&page=2")).await;
    assert_eq!(
        (page2["total"].as_i64(), titles(&page2)),
        (Some(3), vec!["One".into()])
    );
    assert_eq!(
        titles(&w.list(&format!("{base}?status=resolved")).await).len(),
        0
    );
    let r = w
        .api(
            &w.lead_admin,
            Method::GET,
            &format!("{base}?severity=huge"),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // The foreign collaboration's list is not found.
    let r = w
        .api(
            &w.lead_admin,
            Method::GET,
            &format!("/api/v1/collaborations/{}/problems", w.foreign),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn decisions_link_both_ways_and_never_across_collaborations() {
    let w = world().await;
    let task = w
        .api(
            &w.lead_admin,
            Method::POST,
            &format!("/api/v1/collaborations/{}/tasks", w.c),
            Some(json!({"title": "Hire a van", "owner_organisation_id": w.lead, "due_on": "2099-01-01"})),
        )
        .await
        .json()["id"]
        .as_i64()
        .unwrap();
    let foreign_task = w
        .api(
            &w.outsider,
            Method::POST,
            &format!("/api/v1/collaborations/{}/tasks", w.foreign),
            Some(json!({"title": "Dig beds", "owner_organisation_id": w.elsewhere})),
        )
        .await
        .json()["id"]
        .as_i64()
        .unwrap();
    let problem = w
        .raise(
            &w.lead_admin,
            w.c,
            json!({"description": "No van", "severity": "high", "owner_organisation_id": w.lead}),
        )
        .await
        .json()["id"]
        .as_i64()
        .unwrap();
    let decisions = format!("/api/v1/collaborations/{}/decisions", w.c);
    // Field errors, a foreign task, and a foreign body: nothing recorded.
    let r = w
        .record(&w.lead_admin, json!({"how": "governance_body"}))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["errors"]["title"], "Enter a title.");
    assert_eq!(
        r.json()["errors"]["governance_body_id"],
        "Choose the governance body that took the decision."
    );
    let good = json!({"title": "Lease a van", "decided": "We lease a van for a year.",
                      "decided_on": "2027-01-15", "how": "meeting",
                      "links": [{"kind": "task", "id": task}, {"kind": "problem", "id": problem}]});
    let mut bad = good.clone();
    bad["links"] = json!([{"kind": "task", "id": task}, {"kind": "task", "id": foreign_task}]);
    let r = w.record(&w.lead_admin, bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.json()["errors"]["task_id"],
        "Choose a task of this collaboration."
    );
    let mut bad = good.clone();
    bad["governance_body_id"] = json!(999_999);
    assert_eq!(
        w.record(&w.lead_admin, bad).await.json()["errors"]["governance_body_id"],
        "Choose one of the collaboration's governance bodies, or none."
    );
    assert_eq!(
        w.record(&w.observer, good.clone()).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        w.record(&w.outsider, good.clone()).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(w.list(&decisions).await["total"], 0);

    let r = w.record(&w.partner_admin, good).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let did = r.json()["id"].as_i64().unwrap();
    assert_eq!(r.json()["recorded_by_name"], "Pia Partner");
    assert_eq!(
        r.json()["links"],
        json!([{"kind": "problem", "id": problem, "title": "No van"},
               {"kind": "task", "id": task, "title": "Hire a van"}])
    );
    // The other way: the task and the problem list it.
    let t = w
        .api(
            &w.observer,
            Method::GET,
            &format!("/api/v1/tasks/{task}"),
            None,
        )
        .await
        .json();
    assert_eq!(t["decisions"][0]["title"], "Lease a van");
    assert_eq!(w.problem(problem).await["decisions"][0]["id"], did);

    // Linking later: never to another collaboration's task.
    let r = w
        .link(
            &w.lead_admin,
            did,
            json!({"kind": "task", "id": foreign_task}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.json()["errors"]["task_id"],
        "Choose a task of this collaboration."
    );
    let r = w
        .link(&w.lead_admin, did, json!({"kind": "risk", "id": task}))
        .await;
    assert_eq!(r.json()["errors"]["kind"], "Choose task, problem or aim.");
    assert_eq!(
        w.link(&w.observer, did, json!({"kind": "task", "id": task}))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        w.link(&w.outsider, did, json!({"kind": "task", "id": task}))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let d = w
        .api(
            &w.lead_admin,
            Method::GET,
            &format!("/api/v1/decisions/{did}"),
            None,
        )
        .await
        .json();
    assert_eq!(d["links"].as_array().unwrap().len(), 2);
    let r = w
        .api(
            &w.outsider,
            Method::GET,
            &format!("/api/v1/decisions/{did}"),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // The foreign task never shows this decision.
    let t = w
        .api(
            &w.outsider,
            Method::GET,
            &format!("/api/v1/tasks/{foreign_task}"),
            None,
        )
        .await
        .json();
    assert_eq!(t["decisions"], json!([]));

    // Unlinking, then the filter by kind.
    let r = w
        .api(
            &w.lead_admin,
            Method::DELETE,
            &format!("/api/v1/decisions/{did}/links/task/{task}"),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let t = w
        .api(
            &w.lead_admin,
            Method::GET,
            &format!("/api/v1/tasks/{task}"),
            None,
        )
        .await
        .json();
    assert_eq!(t["decisions"], json!([]));
    w.record(
        &w.lead_admin,
        json!({"title": "Lead picks the date", "decided": "Launch on 1 May.", "decided_on": "2027-02-01", "how": "lead"}),
    )
    .await;
    let all = w.list(&decisions).await;
    assert_eq!(all["total"], 2);
    assert_eq!(all["items"][0]["title"], "Lead picks the date");
    let by_lead = w.list(&format!("{decisions}?how=lead")).await;
    assert_eq!(by_lead["total"], 1);
    let meetings = w.list(&format!("{decisions}?how=meeting&per_page=1")).await;
    assert_eq!(meetings["items"][0]["id"], did);
}

#[tokio::test]
async fn the_checklist_asks_for_problems_left_waiting() {
    let w = world().await;
    assert_eq!(w.problems_item().await["done"], true);
    let pid = w
        .raise(
            &w.lead_admin,
            w.c,
            json!({"description": "Nobody on it", "severity": "low", "owner_organisation_id": w.lead}),
        )
        .await
        .json()["id"]
        .as_i64()
        .unwrap();
    assert_eq!(w.problems_item().await["done"], true);
    w.app.state.clock.advance(15 * 86_400);
    let item = w.problems_item().await;
    assert_eq!(item["done"], false);
    assert_eq!(
        item["detail"],
        "1 problem has waited more than 14 days with nobody named to own it. Name an owner and start work, or escalate it."
    );
    let r = w
        .api(
            &w.lead_admin,
            Method::PATCH,
            &format!("/api/v1/problems/{pid}"),
            Some(json!({"owner_person_id": w.lead_member.id, "version": 1})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(w.problems_item().await["done"], true);
}

#[tokio::test]
async fn pages_raise_escalate_and_record_from_forms() {
    let w = world().await;
    let base = format!("/collaborations/{}", w.c);
    let r = w
        .app
        .get(&format!("{base}/implement"), Some(&w.observer))
        .await;
    assert!(r.body.contains(&format!("href=\"{base}/problems\"")));
    assert!(r.body.contains(&format!("href=\"{base}/decisions\"")));
    // Bad input keeps what was typed.
    let r = w
        .app
        .post_form(
            &format!("{base}/problems"),
            Some(&w.partner_admin),
            &[
                ("description", "Hall double booked"),
                ("severity", ""),
                ("owner_organisation_id", &w.partner.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Hall double booked"));
    assert!(r.body.contains("Choose low, medium, high or critical."));
    let r = w
        .app
        .post_form(
            &format!("{base}/problems"),
            Some(&w.partner_admin),
            &[
                ("description", "Hall double booked"),
                ("severity", "medium"),
                ("owner_organisation_id", &w.partner.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let at = r.location();
    let pid: i64 = at
        .trim_start_matches("/problems/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let r = w
        .app
        .post_form(
            &format!("/problems/{pid}/escalate"),
            Some(&w.partner_admin),
            &[("reason", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = w
        .app
        .post_form(
            &format!("/problems/{pid}/escalate"),
            Some(&w.partner_admin),
            &[("reason", "The centre will not move it.")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = w
        .app
        .get(&format!("/problems/{pid}"), Some(&w.observer))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("The centre will not move it."));
    assert!(page.body.contains("aria-current=\"step\""));
    assert!(page.body.contains("Lena Lead (Riverside Food Bank)"));
    assert!(!page.body.contains("Escalate the problem"));
    assert_eq!(w.problem(pid).await["rung"], 1);
    // An observer's post is refused, and nothing moves.
    let r = w
        .app
        .post_form(
            &format!("/problems/{pid}/escalate"),
            Some(&w.observer),
            &[("reason", "Me too")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(w.problem(pid).await["rung"], 1);
    let r = w
        .app
        .get(&format!("/problems/{pid}"), Some(&w.outsider))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // A decision about the problem, recorded from the form.
    let r = w
        .app
        .get(
            &format!("{base}/decisions/new?problem_id={pid}"),
            Some(&w.lead_admin),
        )
        .await;
    assert!(
        r.body
            .contains(&format!("<option value=\"{pid}\" selected")),
        "{}",
        r.body
    );
    let r = w
        .app
        .post_form(
            &format!("{base}/decisions"),
            Some(&w.lead_admin),
            &[
                ("title", "Move to the church hall"),
                ("decided", "We move on Tuesdays."),
                ("decided_on", "2027-03-01"),
                ("how", "lead"),
                ("problem_id", &pid.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = w
        .app
        .get(&format!("/problems/{pid}"), Some(&w.observer))
        .await;
    assert!(page.body.contains("Move to the church hall"));
    let list = w
        .app
        .get(&format!("{base}/decisions"), Some(&w.observer))
        .await;
    assert!(list.body.contains("Move to the church hall"));
    assert!(!list.body.contains("Record a decision</a>"));
    let list = w
        .app
        .get(
            &format!("{base}/problems?severity=medium"),
            Some(&w.observer),
        )
        .await;
    assert!(list.body.contains("Hall double booked"));
    let list = w
        .app
        .get(&format!("{base}/problems?severity=low"), Some(&w.observer))
        .await;
    assert!(!list.body.contains("Hall double booked"));
}

/// The problems page's content is kept by each server with the
/// collaboration's revisions: every change shows at once, to everyone,
/// with what each may do.
#[tokio::test]
async fn the_kept_problems_page_follows_every_change() {
    let w = world().await;
    let path = format!("/collaborations/{}/problems", w.c);
    let get = |who: &Person, query: &str| {
        let w = &w;
        let path = format!("{path}{query}");
        let who = who.clone();
        async move {
            let r = w.app.get(&path, Some(&who)).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
            r.body
        }
    };
    let empty = get(&w.lead_admin, "").await;
    assert!(empty.contains("0 problems match."), "{empty}");
    assert!(empty.contains("Raise a problem"), "{empty}");
    assert_eq!(get(&w.lead_admin, "").await, empty, "kept");
    let r = w
        .raise(
            &w.partner_admin,
            w.c,
            json!({"description": "The van is off the road", "severity": "high", "owner_organisation_id": w.partner}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let pid = r.json()["id"].as_i64().unwrap();
    let page = get(&w.lead_admin, "").await;
    assert!(page.contains("1 problem match."), "{page}");
    assert!(page.contains("The van is off the road"), "{page}");
    assert!(page.contains("1 of 4: Working level"), "{page}");
    // The observer reads the same problems, with no button to raise one.
    let watched = get(&w.observer, "").await;
    assert!(watched.contains("The van is off the road"), "{watched}");
    assert!(!watched.contains("Raise a problem"), "{watched}");
    assert!(
        watched.contains("so you can read the problems but not raise"),
        "{watched}"
    );
    let r = w.app.get(&path, Some(&w.outsider)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // A filter is its own page.
    let low = get(&w.lead_admin, "?severity=low").await;
    assert!(low.contains("0 problems match."), "{low}");
    // It goes up a rung.
    let r = w.escalate(&w.partner_admin, pid, "Nobody has a van").await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let page = get(&w.lead_admin, "").await;
    assert!(page.contains("2 of 4: Partner leads"), "{page}");
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
    assert!(get(&w.observer, "").await.contains("Llŷn Together"));
}
