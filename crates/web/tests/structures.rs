//! The Plan stage's structures through the pages and the API: governance
//! bodies and the responsibilities matrix. Who may do what, bad input,
//! stale edits, foreign ids, the state read back after every allowed and
//! refused change, and the demo's structures.

mod common;

use axum::http::{Method, StatusCode};
use common::{Person, TestApp};
use serde_json::{Value, json};

struct World {
    app: TestApp,
    lead: i64,
    partner: i64,
    watching: i64,
    c: i64,
    /// Another collaboration, of the lead alone.
    other: i64,
    lead_admin: Person,
    lead_member: Person,
    partner_admin: Person,
    partner_member: Person,
    observer: Person,
    outsider: Person,
}

async fn world() -> World {
    let app = TestApp::new().await;
    let lead_admin = app.quick_person("Lena Lead").await;
    let lead_member = app.quick_person("Liam Lead").await;
    let partner_admin = app.quick_person("Pia Partner").await;
    let partner_member = app.quick_person("Pat Partner").await;
    let observer = app.quick_person("Oona Observer").await;
    let outsider = app.quick_person("Otto Outsider").await;
    let lead = app.organisation(&lead_admin, "Riverside Food Bank").await;
    app.join(&lead_member, lead, false).await;
    let partner = app
        .organisation(&partner_admin, "Hillside Youth Club")
        .await;
    app.join(&partner_member, partner, false).await;
    let watching = app.organisation(&observer, "County CVS").await;
    app.organisation(&outsider, "Elsewhere Allotments").await;
    let c = app.collaboration(&lead_admin, lead, "Holiday meals").await;
    let other = app
        .collaboration(&lead_admin, lead, "Another project")
        .await;
    let inv = app.invite(&lead_admin, c, partner, "partner").await;
    app.accept(&partner_admin, inv).await;
    let inv = app.invite(&lead_admin, c, watching, "observer").await;
    app.accept(&observer, inv).await;
    World {
        app,
        lead,
        partner,
        watching,
        c,
        other,
        lead_admin,
        lead_member,
        partner_admin,
        partner_member,
        observer,
        outsider,
    }
}

impl World {
    async fn api(
        &self,
        method: Method,
        path: &str,
        who: &Person,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let r = self
            .app
            .api(method, &format!("/api/v1{path}"), Some(&who.token), body)
            .await;
        let v = if r.body.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&r.body).unwrap_or(Value::String(r.body.clone()))
        };
        (r.status, v)
    }

    async fn audit_count(&self) -> usize {
        let mut tx = self.app.state.store.read().await.unwrap();
        let scope = tx
            .collab_scope(self.lead_admin.id, self.c)
            .await
            .unwrap()
            .unwrap();
        tx.collaboration_audit(&scope, None, 1000)
            .await
            .unwrap()
            .len()
    }

    async fn scope(&self) -> commonground_store::collaborations::CollabScope {
        let mut tx = self.app.state.store.read().await.unwrap();
        tx.collab_scope(self.lead_admin.id, self.c)
            .await
            .unwrap()
            .unwrap()
    }
}

fn steering(w: &World) -> Value {
    json!({
        "name": "Steering group",
        "purpose": "Keeps the pilot on track.",
        "decision_rule": "consent",
        "quorum": 2,
        "meets": "monthly",
        "member_ids": [w.lead_admin.id, w.partner_admin.id, w.observer.id],
        "chair_id": w.lead_admin.id,
    })
}

// --- governance -------------------------------------------------------

#[tokio::test]
async fn governance_bodies_are_set_up_and_governance_counts_as_set() {
    let w = world().await;
    let base = format!("/collaborations/{}/governance-bodies", w.c);
    let (s, list) = w.api(Method::GET, &base, &w.partner_member, None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(list["governance_set"], false);
    assert_eq!(list["items"], json!([]));
    // The people to choose from: every member of every organisation taking part.
    let names: Vec<&str> = list["people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "Oona Observer",
            "Pat Partner",
            "Pia Partner",
            "Lena Lead",
            "Liam Lead"
        ]
    );
    assert!(!list.to_string().contains("@example.org"), "no emails");

    let (s, body) = w
        .api(Method::POST, &base, &w.partner_member, Some(steering(&w)))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    assert_eq!(body["version"], 1);
    assert_eq!(body["decision_rule"], "consent");
    assert_eq!(body["chair"]["name"], "Lena Lead");
    assert_eq!(body["chair"]["organisation_name"], "Riverside Food Bank");
    let members: Vec<(&str, &str)> = body["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["name"].as_str().unwrap(),
                m["organisation_name"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        members,
        [
            ("Oona Observer", "County CVS"),
            ("Pia Partner", "Hillside Youth Club"),
            ("Lena Lead", "Riverside Food Bank"),
        ]
    );
    let id = body["id"].as_i64().unwrap();

    // Members from the lead and the partner, a chair, a rule and a quorum.
    let (_, list) = w.api(Method::GET, &base, &w.observer, None).await;
    assert_eq!(list["governance_set"], true);
    assert_eq!(list["items"][0]["id"], id);
    let scope = w.scope().await;
    let mut tx = w.app.state.store.read().await.unwrap();
    assert!(tx.governance_is_set(&scope).await.unwrap());
    drop(tx);

    // Without the partner's member it is no longer set.
    let mut change = steering(&w);
    change["member_ids"] = json!([w.lead_admin.id, w.observer.id]);
    change["version"] = json!(1);
    let (s, body) = w
        .api(
            Method::PUT,
            &format!("{base}/{id}"),
            &w.lead_member,
            Some(change),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(body["version"], 2);
    let mut tx = w.app.state.store.read().await.unwrap();
    assert!(!tx.governance_is_set(&scope).await.unwrap());
    drop(tx);

    // Without a chair it is not set either.
    let mut change = steering(&w);
    change["chair_id"] = Value::Null;
    change["version"] = json!(2);
    let (s, body) = w
        .api(
            Method::PUT,
            &format!("{base}/{id}"),
            &w.lead_member,
            Some(change),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(body["chair"], Value::Null);
    let (_, list) = w.api(Method::GET, &base, &w.observer, None).await;
    assert_eq!(list["governance_set"], false);

    // A partner that leaves drops out of the body by itself.
    let mut change = steering(&w);
    change["version"] = json!(3);
    w.api(
        Method::PUT,
        &format!("{base}/{id}"),
        &w.lead_member,
        Some(change),
    )
    .await;
    let (s, _) = w
        .api(
            Method::POST,
            &format!("/collaborations/{}/leave", w.c),
            &w.observer,
            None,
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (_, one) = w
        .api(Method::GET, &format!("{base}/{id}"), &w.lead_member, None)
        .await;
    assert_eq!(one["members"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn bad_bodies_are_refused_with_the_field_named() {
    let w = world().await;
    let base = format!("/collaborations/{}/governance-bodies", w.c);
    let before = w.audit_count().await;
    let cases: Vec<(Value, &str, &str)> = vec![
        (
            json!({"quorum": 4}),
            "quorum",
            "The quorum cannot be more than the number of members (3). Choose 3 or fewer, or add members.",
        ),
        (
            json!({"quorum": 0}),
            "quorum",
            "The quorum must be at least 1.",
        ),
        (
            json!({"member_ids": [w.lead_admin.id, w.outsider.id]}),
            "members",
            "Choose members from the people of the organisations taking part.",
        ),
        (
            json!({"chair_id": w.partner_member.id}),
            "chair",
            "The chair must be one of the members. Tick them as a member too, or choose another chair.",
        ),
        (
            json!({"decision_rule": "coin_toss"}),
            "decision_rule",
            "Choose how the group makes decisions: consensus, consent, simple majority, two-thirds majority or lead decides.",
        ),
        (json!({"name": ""}), "name", "Enter a name for the group."),
        (
            json!({"name": "x".repeat(121)}),
            "name",
            "A name for the group must be 120 characters or fewer.",
        ),
        (
            json!({"member_ids": []}),
            "members",
            "Choose at least one member from the organisations taking part.",
        ),
        (
            json!({"meets": "never"}),
            "meets",
            "Choose how often the group meets.",
        ),
    ];
    for (patch, field, message) in cases {
        let mut body = steering(&w);
        for (k, v) in patch.as_object().unwrap() {
            body[k] = v.clone();
        }
        let (s, problem) = w.api(Method::POST, &base, &w.lead_admin, Some(body)).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {problem}");
        assert_eq!(problem["errors"][field], message, "{problem}");
    }
    // Wrong types and unknown fields are 422 too, never a 500.
    let (s, problem) = w
        .api(
            Method::POST,
            &base,
            &w.lead_admin,
            Some(json!({"quorum": "three"})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(problem["errors"]["quorum"].is_string(), "{problem}");
    let (s, _) = w
        .api(
            Method::POST,
            &base,
            &w.lead_admin,
            Some(json!({"colour": "red"})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    // Nothing was made or recorded.
    let (_, list) = w.api(Method::GET, &base, &w.lead_admin, None).await;
    assert_eq!(list["items"], json!([]));
    assert_eq!(w.audit_count().await, before);
}

#[tokio::test]
async fn a_stale_change_is_refused_and_the_newer_one_kept() {
    let w = world().await;
    let base = format!("/collaborations/{}/governance-bodies", w.c);
    let (_, body) = w
        .api(Method::POST, &base, &w.lead_admin, Some(steering(&w)))
        .await;
    let id = body["id"].as_i64().unwrap();
    let one = format!("{base}/{id}");

    // Both read version 1; the partner saves first.
    let mut theirs = steering(&w);
    theirs["name"] = json!("Partnership board");
    theirs["version"] = json!(1);
    let (s, saved) = w
        .api(Method::PUT, &one, &w.partner_admin, Some(theirs))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(saved["version"], 2);
    let audit = w.audit_count().await;

    let mut mine = steering(&w);
    mine["quorum"] = json!(3);
    mine["version"] = json!(1);
    let (s, problem) = w
        .api(Method::PUT, &one, &w.lead_member, Some(mine.clone()))
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{problem}");
    assert_eq!(problem["current"]["name"], "Partnership board");
    assert_eq!(problem["current"]["version"], 2);
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .starts_with("Someone else changed \u{201c}Partnership board\u{201d}")
    );
    // Nothing of the stale change was saved, nor recorded.
    let (_, now) = w.api(Method::GET, &one, &w.lead_member, None).await;
    assert_eq!(
        (now["name"].as_str(), now["quorum"].as_i64()),
        (Some("Partnership board"), Some(2))
    );
    assert_eq!(w.audit_count().await, audit);

    // Without a version it is a 422, not a silent overwrite.
    let mut bare = steering(&w);
    bare["quorum"] = json!(3);
    let (s, problem) = w.api(Method::PUT, &one, &w.lead_member, Some(bare)).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(problem["errors"]["version"].is_string());

    // Based on the current version it goes through.
    mine["version"] = json!(2);
    let (s, saved) = w.api(Method::PUT, &one, &w.lead_member, Some(mine)).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        (saved["quorum"].as_i64(), saved["version"].as_i64()),
        (Some(3), Some(3))
    );
}

#[tokio::test]
async fn observers_read_and_foreign_ids_are_not_found() {
    let w = world().await;
    let base = format!("/collaborations/{}/governance-bodies", w.c);
    let (_, body) = w
        .api(Method::POST, &base, &w.lead_admin, Some(steering(&w)))
        .await;
    let id = body["id"].as_i64().unwrap();
    let one = format!("{base}/{id}");
    let audit = w.audit_count().await;

    assert_eq!(
        w.api(Method::GET, &one, &w.observer, None).await.0,
        StatusCode::OK
    );
    let (s, problem) = w
        .api(Method::POST, &base, &w.observer, Some(steering(&w)))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .starts_with("Observers can read this")
    );
    let mut change = steering(&w);
    change["version"] = json!(1);
    change["name"] = json!("Taken over");
    assert_eq!(
        w.api(Method::PUT, &one, &w.observer, Some(change.clone()))
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        w.api(Method::DELETE, &one, &w.observer, None).await.0,
        StatusCode::FORBIDDEN
    );
    // Outsiders learn nothing.
    for (m, b) in [
        (Method::GET, None),
        (Method::PUT, Some(change.clone())),
        (Method::DELETE, None),
    ] {
        assert_eq!(
            w.api(m, &one, &w.outsider, b).await.0,
            StatusCode::NOT_FOUND
        );
    }
    // The body through another collaboration of the lead's is not there.
    let foreign = format!("/collaborations/{}/governance-bodies/{id}", w.other);
    assert_eq!(
        w.api(Method::GET, &foreign, &w.lead_admin, None).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        w.api(Method::PUT, &foreign, &w.lead_admin, Some(change))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        w.api(Method::DELETE, &foreign, &w.lead_admin, None).await.0,
        StatusCode::NOT_FOUND
    );
    let (_, now) = w.api(Method::GET, &one, &w.lead_admin, None).await;
    assert_eq!(
        (now["name"].as_str(), now["version"].as_i64()),
        (Some("Steering group"), Some(1))
    );
    assert_eq!(w.audit_count().await, audit);

    // The lead removes it.
    assert_eq!(
        w.api(Method::DELETE, &one, &w.lead_member, None).await.0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        w.api(Method::GET, &one, &w.lead_member, None).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(w.audit_count().await, audit + 1);
}

#[tokio::test]
async fn governance_pages_add_change_and_remove_with_a_question_first() {
    let w = world().await;
    let c = w.c;
    let page = w
        .app
        .get(
            &format!("/collaborations/{c}/governance"),
            Some(&w.partner_admin),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Not set yet"));
    assert!(page.body.contains("Pat Partner (Hillside Youth Club)"));
    // The collaboration page links to it.
    let show = w
        .app
        .get(&format!("/collaborations/{c}"), Some(&w.partner_admin))
        .await;
    assert!(
        show.body
            .contains(&format!("href=\"/collaborations/{c}/governance\""))
    );

    let la = w.lead_admin.id.to_string();
    let pa = w.partner_admin.id.to_string();
    // Too high a quorum: 422, what was typed kept.
    let r = w
        .app
        .post_form(
            &format!("/collaborations/{c}/governance"),
            Some(&w.partner_admin),
            &[
                ("name", "Steering group"),
                ("members", &la),
                ("members", &pa),
                ("chair", &pa),
                ("decision_rule", "simple_majority"),
                ("quorum", "5"),
                ("meets", "quarterly"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains("The quorum cannot be more than the number of members (2).")
    );
    assert!(r.body.contains("value=\"Steering group\""));
    assert!(r.body.contains("value=\"5\""));
    assert!(r.body.contains(&format!("value=\"{pa}\" checked")));
    let fields = [
        ("name", "Steering group"),
        ("members", la.as_str()),
        ("members", pa.as_str()),
        ("chair", pa.as_str()),
        ("decision_rule", "simple_majority"),
        ("quorum", "2"),
        ("meets", "quarterly"),
    ];
    let r = w
        .app
        .post_form(
            &format!("/collaborations/{c}/governance"),
            Some(&w.partner_admin),
            &fields,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = w.app.get(&r.location(), Some(&w.partner_admin)).await;
    assert!(page.body.contains("The group has been set up."));
    assert!(page.body.contains("Governance is set"));
    assert!(page.body.contains("2 of 2 members"));
    let (_, list) = w
        .api(
            Method::GET,
            &format!("/collaborations/{c}/governance-bodies"),
            &w.lead_admin,
            None,
        )
        .await;
    let id = list["items"][0]["id"].as_i64().unwrap();

    // Two people open the edit form at version 1; the first saves.
    let edit = format!("/collaborations/{c}/governance/{id}/edit");
    let form = w.app.get(&edit, Some(&w.lead_member)).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("name=\"version\" value=\"1\""));
    let mut first = fields.to_vec();
    first.push(("version", "1"));
    first[0] = ("name", "Partnership board");
    assert_eq!(
        w.app
            .post_form(&edit, Some(&w.partner_admin), &first)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    // The second is shown the other change, keeps their input, and can save over it.
    let mut second = fields.to_vec();
    second.push(("version", "1"));
    second[5] = ("quorum", "1");
    second[0] = ("name", "Board of the pilot");
    let r = w.app.post_form(&edit, Some(&w.lead_member), &second).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("Someone else changed this group"));
    assert!(r.body.contains("Partnership board"));
    assert!(r.body.contains("value=\"Board of the pilot\""));
    assert!(r.body.contains("name=\"version\" value=\"2\""));
    let (_, now) = w
        .api(
            Method::GET,
            &format!("/collaborations/{c}/governance-bodies/{id}"),
            &w.lead_admin,
            None,
        )
        .await;
    assert_eq!(now["name"], "Partnership board");
    second[7] = ("version", "2");
    assert_eq!(
        w.app
            .post_form(&edit, Some(&w.lead_member), &second)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let (_, now) = w
        .api(
            Method::GET,
            &format!("/collaborations/{c}/governance-bodies/{id}"),
            &w.lead_admin,
            None,
        )
        .await;
    assert_eq!(
        (now["name"].as_str(), now["quorum"].as_i64()),
        (Some("Board of the pilot"), Some(1))
    );

    // Observers see no forms and cannot open them.
    let page = w
        .app
        .get(
            &format!("/collaborations/{c}/governance"),
            Some(&w.observer),
        )
        .await;
    assert!(!page.body.contains("Set up the group"));
    assert_eq!(
        w.app.get(&edit, Some(&w.observer)).await.status,
        StatusCode::FORBIDDEN
    );

    // Removing asks first, and asking changes nothing.
    let remove = format!("/collaborations/{c}/governance/{id}/remove");
    let ask = w.app.get(&remove, Some(&w.partner_admin)).await;
    assert_eq!(ask.status, StatusCode::OK);
    assert!(
        ask.body
            .contains("Remove \u{201c}Board of the pilot\u{201d}?")
    );
    assert!(ask.body.contains(&format!("action=\"{remove}\"")));
    let (_, list) = w
        .api(
            Method::GET,
            &format!("/collaborations/{c}/governance-bodies"),
            &w.lead_admin,
            None,
        )
        .await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    let r = w.app.post_form(&remove, Some(&w.partner_admin), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let (_, list) = w
        .api(
            Method::GET,
            &format!("/collaborations/{c}/governance-bodies"),
            &w.lead_admin,
            None,
        )
        .await;
    assert_eq!(list["items"], json!([]));
    assert_eq!(
        w.app.get(&remove, Some(&w.partner_admin)).await.status,
        StatusCode::NOT_FOUND
    );
}

// --- responsibilities -------------------------------------------------

const STANDARD: [&str; 7] = [
    "finance",
    "delivery",
    "safeguarding",
    "data_protection",
    "communications",
    "monitoring",
    "contract_management",
];

/// The lead accountable for everything, the partner responsible for finance.
fn agreed_cells(w: &World) -> Vec<Value> {
    let mut cells: Vec<Value> = STANDARD
        .iter()
        .map(|k| json!({"function_key": k, "organisation_id": w.lead, "role": "accountable"}))
        .collect();
    cells.push(
        json!({"function_key": "finance", "organisation_id": w.partner, "role": "responsible"}),
    );
    cells
}

#[tokio::test]
async fn the_matrix_is_saved_whole_and_agreed_with_one_accountable_each() {
    let w = world().await;
    let path = format!("/collaborations/{}/responsibilities", w.c);
    let (s, m) = w.api(Method::GET, &path, &w.observer, None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        (m["version"].as_i64(), m["agreed"].as_bool()),
        (Some(0), Some(false))
    );
    let keys: Vec<&str> = m["functions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, STANDARD);
    // Observers are not columns of the matrix.
    let orgs: Vec<i64> = m["organisations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["organisation_id"].as_i64().unwrap())
        .collect();
    assert_eq!(orgs, [w.partner, w.lead]);
    assert_eq!(
        m["functions"][0]["problem"],
        "Finance has no accountable organisation. Choose one."
    );

    let (s, m) = w
        .api(
            Method::PUT,
            &path,
            &w.partner_member,
            Some(json!({"version": 0, "cells": agreed_cells(&w)})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{m}");
    assert_eq!(
        (m["version"].as_i64(), m["agreed"].as_bool()),
        (Some(1), Some(true))
    );
    assert_eq!(m["functions"][0]["warning"], Value::Null);
    assert_eq!(
        m["functions"][1]["warning"],
        "Nobody is responsible for delivery. Say who does the work."
    );
    assert_eq!(m["cells"].as_array().unwrap().len(), 8);
    let scope = w.scope().await;
    let mut tx = w.app.state.store.read().await.unwrap();
    assert!(tx.responsibilities_agreed(&scope).await.unwrap());
    drop(tx);

    // A second accountable for finance: saved, but no longer agreed.
    let mut cells = agreed_cells(&w);
    cells.pop();
    cells.push(
        json!({"function_key": "finance", "organisation_id": w.partner, "role": "accountable"}),
    );
    let (s, m) = w
        .api(
            Method::PUT,
            &path,
            &w.lead_member,
            Some(json!({"version": 1, "cells": cells})),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(m["agreed"], false);
    assert_eq!(
        m["functions"][0]["problem"],
        "Finance has 2 accountable organisations. Keep exactly one."
    );
    let mut tx = w.app.state.store.read().await.unwrap();
    assert!(!tx.responsibilities_agreed(&scope).await.unwrap());
    drop(tx);

    // A function of their own needs an accountable organisation too.
    let (s, m) = w
        .api(
            Method::PUT,
            &path,
            &w.lead_member,
            Some(json!({"version": 2, "cells": agreed_cells(&w)})),
        )
        .await;
    assert_eq!((s, m["agreed"].as_bool()), (StatusCode::OK, Some(true)));
    let (s, m) = w
        .api(
            Method::POST,
            &format!("{path}/functions"),
            &w.partner_admin,
            Some(json!({"name": "Volunteers"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{m}");
    assert_eq!(
        (m["version"].as_i64(), m["agreed"].as_bool()),
        (Some(4), Some(false))
    );
    let custom = m["functions"][7]["custom_id"].as_i64().unwrap();
    assert_eq!(m["functions"][7]["key"], format!("custom_{custom}"));
    let (s, problem) = w
        .api(
            Method::POST,
            &format!("{path}/functions"),
            &w.partner_admin,
            Some(json!({"name": "volunteers"})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        problem["errors"]["name"],
        "The matrix already has \u{201c}volunteers\u{201d}. Use a different name."
    );
    let mut cells = agreed_cells(&w);
    cells.push(json!({"function_key": format!("custom_{custom}"), "organisation_id": w.partner, "role": "accountable"}));
    let (_, m) = w
        .api(
            Method::PUT,
            &path,
            &w.partner_admin,
            Some(json!({"version": 4, "cells": cells})),
        )
        .await;
    assert_eq!(
        (m["version"].as_i64(), m["agreed"].as_bool()),
        (Some(5), Some(true))
    );
    // Removing it takes its cells with it.
    let (s, _) = w
        .api(
            Method::DELETE,
            &format!("{path}/functions/{custom}"),
            &w.partner_admin,
            None,
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (_, m) = w.api(Method::GET, &path, &w.partner_admin, None).await;
    assert_eq!(m["functions"].as_array().unwrap().len(), 7);
    assert_eq!(m["cells"].as_array().unwrap().len(), 8);
    assert_eq!(m["version"], 6);
    let (s, _) = w
        .api(
            Method::DELETE,
            &format!("{path}/functions/{custom}"),
            &w.partner_admin,
            None,
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_stale_or_bad_matrix_is_refused_and_nothing_changes() {
    let w = world().await;
    let path = format!("/collaborations/{}/responsibilities", w.c);
    let (s, _) = w
        .api(
            Method::PUT,
            &path,
            &w.partner_admin,
            Some(json!({"version": 0, "cells": agreed_cells(&w)})),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let audit = w.audit_count().await;

    // Someone who read version 0 saves after: refused with the matrix now.
    let mine = json!({"version": 0, "cells": [{"function_key": "finance", "organisation_id": w.partner, "role": "accountable"}]});
    let (s, problem) = w.api(Method::PUT, &path, &w.lead_member, Some(mine)).await;
    assert_eq!(s, StatusCode::CONFLICT, "{problem}");
    assert_eq!(problem["current"]["version"], 1);
    assert_eq!(problem["current"]["cells"].as_array().unwrap().len(), 8);
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .starts_with("Someone else saved the matrix while you were editing it (Pia Partner)")
    );

    let bad: Vec<(Value, &str, &str)> = vec![
        (
            json!({"version": 1, "cells": [{"function_key": "finance", "organisation_id": w.lead, "role": "boss"}]}),
            "cell-finance-LEAD",
            "Choose responsible, accountable, consulted, informed, or leave it blank.",
        ),
        (
            json!({"version": 1, "cells": [{"function_key": "finance", "organisation_id": w.watching, "role": "informed"}]}),
            "cell-finance-WATCHING",
            "Choose an organisation taking part (observers are not in the matrix).",
        ),
        (
            json!({"version": 1, "cells": [{"function_key": "gardening", "organisation_id": w.lead, "role": "informed"}]}),
            "cell-gardening-LEAD",
            "There is no function \u{201c}gardening\u{201d} in this matrix.",
        ),
        (
            json!({"version": 1, "cells": [
                {"function_key": "finance", "organisation_id": w.lead, "role": "informed"},
                {"function_key": "finance", "organisation_id": w.lead, "role": "accountable"}]}),
            "cell-finance-LEAD",
            "Each cell may be given only once.",
        ),
        (
            json!({"cells": []}),
            "version",
            "Send the version of the matrix you are changing, from when you last read it.",
        ),
    ];
    for (body, field, message) in bad {
        let field = field
            .replace("LEAD", &w.lead.to_string())
            .replace("WATCHING", &w.watching.to_string());
        let (s, problem) = w.api(Method::PUT, &path, &w.lead_admin, Some(body)).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
        assert_eq!(problem["errors"][&field], message, "{problem}");
    }
    // Observers read only; outsiders and other collaborations find nothing.
    let (s, _) = w
        .api(
            Method::PUT,
            &path,
            &w.observer,
            Some(json!({"version": 1, "cells": []})),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = w
        .api(
            Method::POST,
            &format!("{path}/functions"),
            &w.observer,
            Some(json!({"name": "Spying"})),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    for who in [&w.outsider] {
        assert_eq!(
            w.api(Method::GET, &path, who, None).await.0,
            StatusCode::NOT_FOUND
        );
        let (s, _) = w
            .api(
                Method::PUT,
                &path,
                who,
                Some(json!({"version": 1, "cells": []})),
            )
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND);
    }
    // A function of another collaboration cannot be removed through this one.
    let other = format!("/collaborations/{}/responsibilities", w.other);
    let (_, m) = w
        .api(
            Method::POST,
            &format!("{other}/functions"),
            &w.lead_admin,
            Some(json!({"name": "Premises"})),
        )
        .await;
    let foreign = m["functions"][7]["custom_id"].as_i64().unwrap();
    let (s, _) = w
        .api(
            Method::DELETE,
            &format!("{path}/functions/{foreign}"),
            &w.lead_admin,
            None,
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (_, m) = w.api(Method::GET, &other, &w.lead_admin, None).await;
    assert_eq!(m["functions"].as_array().unwrap().len(), 8);

    // Nothing changed here.
    let (_, m) = w.api(Method::GET, &path, &w.lead_admin, None).await;
    assert_eq!(
        (m["version"].as_i64(), m["agreed"].as_bool()),
        (Some(1), Some(true))
    );
    assert_eq!(m["cells"].as_array().unwrap().len(), 8);
    assert_eq!(w.audit_count().await, audit);
}

#[tokio::test]
async fn the_matrix_page_is_one_labelled_form_that_keeps_input_when_stale() {
    let w = world().await;
    let c = w.c;
    let path = format!("/collaborations/{c}/responsibilities");
    let page = w.app.get(&path, Some(&w.partner_admin)).await;
    assert_eq!(page.status, StatusCode::OK);
    let field = format!("cell-finance-{}", w.lead);
    // Every cell has a label naming the function and the organisation.
    assert!(
        page.body.contains(&format!(
            "<label class=\"visually-hidden\" for=\"{field}\">Finance: Riverside Food Bank</label>"
        )),
        "{}",
        page.body
    );
    assert!(page.body.contains("name=\"version\" value=\"0\""));
    assert!(page.body.contains("Not agreed yet"));
    let show = w
        .app
        .get(&format!("/collaborations/{c}"), Some(&w.partner_admin))
        .await;
    assert!(show.body.contains(&format!("href=\"{path}\"")));

    // Fill it in: the lead accountable for everything.
    let fields: Vec<(String, String)> = STANDARD
        .iter()
        .map(|k| (format!("cell-{k}-{}", w.lead), "accountable".to_string()))
        .chain([(
            format!("cell-finance-{}", w.partner),
            "responsible".to_string(),
        )])
        .chain([("version".to_string(), "0".to_string())])
        .collect();
    let refs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let r = w.app.post_form(&path, Some(&w.partner_admin), &refs).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = w.app.get(&r.location(), Some(&w.partner_admin)).await;
    assert!(page.body.contains("The matrix has been saved."));
    assert!(page.body.contains("tag-done"));
    assert!(page.body.contains("Nobody is responsible for delivery."));

    // A second person saves from the old form: 409, the matrix now shown,
    // their choice kept, and the form now based on version 1.
    let stale = [(field.as_str(), "consulted"), ("version", "0")];
    let r = w.app.post_form(&path, Some(&w.lead_member), &stale).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("Someone else saved the matrix first"));
    assert!(r.body.contains("The matrix as it is now"));
    assert!(
        r.body
            .contains("<option value=\"consulted\" selected>Consulted</option>"),
        "{}",
        r.body
    );
    assert!(r.body.contains("name=\"version\" value=\"1\""));
    let (_, m) = w
        .api(
            Method::GET,
            &format!("/collaborations/{c}/responsibilities"),
            &w.lead_admin,
            None,
        )
        .await;
    assert_eq!(
        (m["version"].as_i64(), m["agreed"].as_bool()),
        (Some(1), Some(true))
    );

    // A bad cell comes back as 422 with the field named.
    let r = w
        .app
        .post_form(
            &path,
            Some(&w.lead_member),
            &[(field.as_str(), "boss"), ("version", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains(&format!("href=\"#{field}\"")));

    // Adding and removing a function, asking first.
    let r = w
        .app
        .post_form(
            &format!("{path}/functions"),
            Some(&w.lead_member),
            &[("name", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Enter a name for the function."));
    let r = w
        .app
        .post_form(
            &format!("{path}/functions"),
            Some(&w.lead_member),
            &[("name", "Premises")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let (_, m) = w.api(Method::GET, &path, &w.lead_admin, None).await;
    let fid = m["functions"][7]["custom_id"].as_i64().unwrap();
    let remove = format!("{path}/functions/{fid}/remove");
    let ask = w.app.get(&remove, Some(&w.partner_admin)).await;
    assert_eq!(ask.status, StatusCode::OK);
    assert!(
        ask.body
            .contains("Remove \u{201c}Premises\u{201d} from the matrix?")
    );
    assert_eq!(
        w.app
            .post_form(&remove, Some(&w.partner_admin), &[])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let (_, m) = w.api(Method::GET, &path, &w.lead_admin, None).await;
    assert_eq!(m["functions"].as_array().unwrap().len(), 7);

    // Observers see the matrix as a table, with no form.
    let page = w.app.get(&path, Some(&w.observer)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("Save the matrix"));
    assert!(page.body.contains("Accountable"));
    let r = w
        .app
        .post_form(&path, Some(&w.observer), &[("version", "3")])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

// --- demo -------------------------------------------------------------

/// The demo fills Plan for collaborations in Plan or later: a steering
/// group with someone from every organisation (so governance is set) and a
/// responsibilities matrix, agreed in four of five; nothing for the others.
#[tokio::test]
async fn the_demo_sets_up_structures_for_collaborations_past_identify() {
    let app = TestApp::new().await;
    let summary = app.demo(160).await;
    let mut tx = app.state.store.read().await.unwrap();
    let (mut planned, mut agreed) = (0, 0);
    for collaboration in 1..=summary.collaborations {
        let mut scope = None;
        for user in 1..=summary.people {
            if let Some(s) = tx.collab_scope(user, collaboration).await.unwrap() {
                scope = Some(s);
                break;
            }
        }
        let scope = scope.expect("someone takes part");
        let stage = tx.collaboration(&scope).await.unwrap().stage;
        let bodies = tx.governance_bodies(&scope).await.unwrap();
        let matrix = tx.responsibility_matrix(&scope).await.unwrap();
        if stage == commonground_domain::stage::Stage::Identify {
            assert!(bodies.is_empty());
            assert_eq!(matrix.version, 0);
            continue;
        }
        planned += 1;
        assert_eq!(bodies.len(), 1);
        let participants = tx.participants(&scope).await.unwrap();
        assert_eq!(bodies[0].members.len(), participants.len());
        assert!(bodies[0].chair.is_some());
        assert!(tx.governance_is_set(&scope).await.unwrap());
        assert_eq!(matrix.version, 1);
        assert_eq!(matrix.agreed(), collaboration % 5 != 0, "{collaboration}");
        assert_eq!(
            tx.responsibilities_agreed(&scope).await.unwrap(),
            matrix.agreed()
        );
        if matrix.agreed() {
            agreed += 1;
        }
    }
    assert!(planned > 0 && agreed > 0, "{planned} {agreed}");
}
