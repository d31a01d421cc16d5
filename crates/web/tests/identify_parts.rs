//! Own goals, the strategic environment, and benefits and risks, through
//! the pages and the API: what is shown, what is refused, and that a
//! refusal changes nothing.

mod common;

use axum::http::{Method, StatusCode};
use common::{Person, TestApp};
use serde_json::json;

struct World {
    app: TestApp,
    lead: i64,
    partner: i64,
    c: i64,
    /// Another collaboration, of the lead alone.
    other: i64,
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
    let partner = app
        .organisation(&partner_admin, "Hillside Youth Club")
        .await;
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
        c,
        other,
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
        body: Option<serde_json::Value>,
    ) -> common::TestResponse {
        self.app.api(method, path, Some(&who.token), body).await
    }

    async fn snapshot(&self) -> common::Snapshot {
        self.app
            .snapshot(&[
                &self.lead_admin,
                &self.partner_admin,
                &self.observer,
                &self.outsider,
            ])
            .await
    }
}

#[tokio::test]
async fn goals_in_a_collaboration_belong_to_their_organisation() {
    let w = world().await;
    let base = format!("/collaborations/{}/goals", w.c);
    // Each adds a goal for their own organisation, one by the page, one by the API.
    let r = w
        .app
        .post_form(
            &base,
            Some(&w.lead_admin),
            &[
                ("benefit", "efficiency"),
                ("title", "Share a finance officer"),
                ("detail", "Two days a week."),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), format!("{base}?done=added"));
    let api = format!("/api/v1{base}");
    let r = w
        .api(
            &w.partner_admin,
            Method::POST,
            &api,
            Some(json!({"benefit": "voice_and_influence", "title": "Be heard by the council"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let partner_goal = r.json()["id"].as_i64().unwrap();
    assert_eq!(r.json()["organisation_id"], w.partner);

    // Everyone taking part sees both, grouped by organisation; the observer too.
    let list = w.api(&w.observer, Method::GET, &api, None).await.json();
    let seen: Vec<(String, String, bool)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["organisation_name"].as_str().unwrap().to_string(),
                g["title"].as_str().unwrap().to_string(),
                g["can_edit"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            (
                "Hillside Youth Club".to_string(),
                "Be heard by the council".to_string(),
                false
            ),
            (
                "Riverside Food Bank".to_string(),
                "Share a finance officer".to_string(),
                false
            ),
        ]
    );
    let page = w.app.get(&base, Some(&w.observer)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("Share a finance officer") && page.body.contains("Two days a week.")
    );
    assert!(page.body.contains("County CVS") && page.body.contains("No goals yet."));
    assert!(page.body.contains("observes this collaboration"));
    assert!(!page.body.contains("Add a goal for"));
    let lead_goal = list[1]["id"].as_i64().unwrap();

    // The observer may not add; the lead may not change the partner's goal.
    let before = w.snapshot().await;
    let r = w
        .app
        .post_form(
            &base,
            Some(&w.observer),
            &[("benefit", "efficiency"), ("title", "Sneaky")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("Observers can read this"));
    let r = w
        .api(
            &w.lead_admin,
            Method::PUT,
            &format!("{api}/{partner_goal}"),
            Some(json!({"benefit": "efficiency", "title": "Mine now"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(
        r.json()["detail"]
            .as_str()
            .unwrap()
            .contains("belongs to Hillside Youth Club")
    );
    let r = w
        .app
        .post_form(
            &format!("{base}/{partner_goal}/delete"),
            Some(&w.lead_admin),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        w.app
            .get(&format!("{base}/{partner_goal}/edit"), Some(&w.lead_admin))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    // A goal id through another collaboration, and outsiders: not found.
    let r = w
        .api(
            &w.lead_admin,
            Method::PUT,
            &format!("/api/v1/collaborations/{}/goals/{lead_goal}", w.other),
            Some(json!({"benefit": "efficiency", "title": "Moved"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(
        w.api(&w.outsider, Method::GET, &api, None).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        w.app.get(&base, Some(&w.outsider)).await.status,
        StatusCode::NOT_FOUND
    );
    if let Some(diff) = w.snapshot().await.differences(&before, true) {
        panic!("a refusal changed something:\n{diff}");
    }

    // Bad input comes back with the typed input kept and each field's problem.
    let long = "x".repeat(201);
    let r = w
        .app
        .post_form(
            &base,
            Some(&w.lead_admin),
            &[
                ("benefit", "profit"),
                ("title", &long),
                ("detail", "Keep this detail"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Choose which of the four benefits"));
    assert!(r.body.contains("200 characters or fewer"));
    assert!(r.body.contains("Keep this detail") && r.body.contains(&long));
    let r = w
        .api(
            &w.lead_admin,
            Method::POST,
            &api,
            Some(json!({"benefit": "efficiency", "title": " "})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["errors"]["title"], "Enter a title for the goal.");
    let r = w
        .api(
            &w.lead_admin,
            Method::POST,
            &api,
            Some(json!({"benefit": "efficiency", "title": "T", "owner": 1})),
        )
        .await;
    assert!(
        r.status == StatusCode::UNPROCESSABLE_ENTITY || r.status == StatusCode::BAD_REQUEST,
        "{}",
        r.status
    );

    // The owner changes and deletes its own goal.
    let r = w
        .app
        .post_form(
            &format!("{base}/{lead_goal}/edit"),
            Some(&w.lead_admin),
            &[
                ("benefit", "sustainability"),
                ("title", "Share staff"),
                ("detail", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = w
        .api(
            &w.partner_admin,
            Method::DELETE,
            &format!("{api}/{partner_goal}"),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let list = w.api(&w.lead_admin, Method::GET, &api, None).await.json();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["title"], "Share staff");
    assert_eq!(list[0]["benefit"], "sustainability");
    assert_eq!(list[0]["can_edit"], true);
    // The Identify checklist counts the lead's goal.
    let progress = w
        .api(
            &w.lead_admin,
            Method::GET,
            &format!("/api/v1/collaborations/{}/stages/identify", w.c),
            None,
        )
        .await
        .json();
    assert_eq!(
        progress["checklist"][1]["detail"],
        "Waiting for Hillside Youth Club."
    );
    // Every change is in the activity.
    let audit = w
        .api(
            &w.lead_admin,
            Method::GET,
            &format!("/api/v1/collaborations/{}/audit", w.c),
            None,
        )
        .await
        .json();
    let actions: Vec<&str> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        &actions[..4],
        ["goal.deleted", "goal.changed", "goal.added", "goal.added"]
    );
}

#[tokio::test]
async fn organisation_goals_are_for_its_members_only() {
    let w = world().await;
    let member = w.app.quick_person("Mo Member").await;
    w.app.join(&member, w.lead, false).await;
    let api = format!("/api/v1/organisations/{}/goals", w.lead);
    let r = w
        .api(
            &member,
            Method::POST,
            &api,
            Some(json!({"benefit": "sustainability", "title": "Find new income"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["id"].as_i64().unwrap();
    assert_eq!(r.json()["collaboration_id"], serde_json::Value::Null);
    let page = w
        .app
        .get(
            &format!("/organisations/{}/goals", w.lead),
            Some(&w.lead_admin),
        )
        .await;
    assert!(page.body.contains("Find new income"));
    // Not in any collaboration's goals, and not for anyone else.
    let list = w
        .api(
            &w.partner_admin,
            Method::GET,
            &format!("/api/v1/collaborations/{}/goals", w.c),
            None,
        )
        .await
        .json();
    assert_eq!(list, json!([]));
    for who in [&w.partner_admin, &w.outsider] {
        assert_eq!(
            w.api(who, Method::GET, &api, None).await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            w.app
                .get(&format!("/organisations/{}/goals", w.lead), Some(who))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
    }
    // Another organisation's path cannot reach it.
    let r = w
        .api(
            &w.partner_admin,
            Method::DELETE,
            &format!("/api/v1/organisations/{}/goals/{id}", w.partner),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = w
        .api(&w.lead_admin, Method::DELETE, &format!("{api}/{id}"), None)
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(
        w.api(&member, Method::GET, &api, None).await.json(),
        json!([])
    );
}

#[tokio::test]
async fn the_environment_lists_swot_and_pestle_items() {
    let w = world().await;
    let api = format!("/api/v1/collaborations/{}/environment", w.c);
    let page_path = format!("/collaborations/{}/environment", w.c);
    let r = w
        .app
        .post_form(
            &page_path,
            Some(&w.partner_admin),
            &[("category", "strength"), ("text", "Trusted by families")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = w.api(&w.lead_admin, Method::POST, &api, Some(json!({"framework": "pestle", "category": "economic", "text": "Food prices rising"}))).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let econ = r.json()["id"].as_i64().unwrap();
    let list = w.api(&w.observer, Method::GET, &api, None).await.json();
    let seen: Vec<(&str, &str, &str, &str)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["framework"].as_str().unwrap(),
                i["category"].as_str().unwrap(),
                i["text"].as_str().unwrap(),
                i["organisation_name"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            (
                "swot",
                "strength",
                "Trusted by families",
                "Hillside Youth Club"
            ),
            (
                "pestle",
                "economic",
                "Food prices rising",
                "Riverside Food Bank"
            ),
        ]
    );
    let page = w.app.get(&page_path, Some(&w.observer)).await;
    for heading in [
        "<h2>SWOT</h2>",
        "<h3>Strengths</h3>",
        "<h3>Threats</h3>",
        "<h2>PESTLE</h2>",
        "<h3>Environmental</h3>",
        "Trusted by families",
    ] {
        assert!(page.body.contains(heading), "{heading}");
    }

    // Refused: observers, a heading of the other framework, empty text,
    // unknown fields, an item through another collaboration.
    let before = w.snapshot().await;
    let r = w
        .api(
            &w.observer,
            Method::POST,
            &api,
            Some(json!({"framework": "swot", "category": "threat", "text": "x"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = w
        .api(
            &w.lead_admin,
            Method::POST,
            &api,
            Some(json!({"framework": "swot", "category": "legal", "text": ""})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let errors = &r.json()["errors"];
    assert!(
        errors["category"]
            .as_str()
            .unwrap()
            .contains("SWOT headings")
    );
    assert!(errors["text"].is_string());
    let r = w
        .api(
            &w.lead_admin,
            Method::POST,
            &api,
            Some(json!({"framework": "swot", "category": "threat", "text": "x", "colour": "red"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = w
        .app
        .post_form(
            &page_path,
            Some(&w.lead_admin),
            &[("category", ""), ("text", &"t".repeat(1001))],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Choose a heading") && r.body.contains("1000 characters or fewer"));
    let other = format!("/api/v1/collaborations/{}/environment/{econ}", w.other);
    let r = w
        .api(
            &w.lead_admin,
            Method::PUT,
            &other,
            Some(json!({"framework": "swot", "category": "threat", "text": "x"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(
        w.api(&w.lead_admin, Method::DELETE, &other, None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    if let Some(diff) = w.snapshot().await.differences(&before, true) {
        panic!("a refusal changed something:\n{diff}");
    }

    // Any contributor may change or delete an item.
    let r = w
        .api(
            &w.partner_admin,
            Method::PUT,
            &format!("{api}/{econ}"),
            Some(json!({"framework": "swot", "category": "threat", "text": "Prices"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["category_label"], "Threats");
    assert_eq!(r.json()["organisation_name"], "Riverside Food Bank");
    let r = w
        .app
        .post_form(
            &format!("{page_path}/{econ}/delete"),
            Some(&w.lead_admin),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        w.api(&w.lead_admin, Method::GET, &api, None)
            .await
            .json()
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn benefits_and_risks_are_sorted_by_score_with_a_band() {
    let w = world().await;
    let api = format!("/api/v1/collaborations/{}/benefits-risks", w.c);
    let add = |body: serde_json::Value| {
        let w = &w;
        let api = api.clone();
        async move { w.api(&w.lead_admin, Method::POST, &api, Some(body)).await }
    };
    let r = add(json!({"catalogue_code": "vat", "likelihood": 2, "impact": 2})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(
        (r.json()["title"].clone(), r.json()["kind"].clone()),
        (json!("VAT"), json!("risk"))
    );
    let r = add(json!({"kind": "risk", "title": "Our hall lease ends", "likelihood": 5, "impact": 4, "owner_organisation_id": w.partner, "note": "Talk to the council."})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let lease = r.json()["id"].as_i64().unwrap();
    let r = add(json!({"catalogue_code": "reach", "likelihood": 3, "impact": 3})).await;
    assert_eq!(r.status, StatusCode::CREATED);
    let list = w.api(&w.observer, Method::GET, &api, None).await.json();
    let seen: Vec<(String, u64, String)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["title"].as_str().unwrap().into(),
                i["score"].as_u64().unwrap(),
                i["band"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("Our hall lease ends".into(), 20, "very_high".into()),
            ("Reaching more people".into(), 9, "medium".into()),
            ("VAT".into(), 4, "low".into()),
        ]
    );
    assert_eq!(list[0]["owner_name"], "Hillside Youth Club");
    assert_eq!(list[0]["likelihood_label"], "Almost certain");
    // The page shows the bands in words and the matrix counts.
    let page = w
        .app
        .get(
            &format!("/collaborations/{}/benefits-risks", w.c),
            Some(&w.observer),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Very high") && page.body.contains("Our hall lease ends"));
    assert!(
        page.body
            .contains("Number of risks by impact (rows) and likelihood (columns)")
    );
    assert!(
        page.body.find("Our hall lease ends").unwrap() < page.body.find("<td>VAT</td>").unwrap()
    );

    // Refused: observers, an owner not taking part, a wrong rating, an
    // entry of the other kind, another collaboration's item.
    let before = w.snapshot().await;
    let r = w
        .api(
            &w.observer,
            Method::POST,
            &api,
            Some(json!({"catalogue_code": "vat", "likelihood": 1, "impact": 1})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = add(json!({"catalogue_code": "vat", "likelihood": 6, "impact": 0, "owner_organisation_id": 999_999})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let errors = r.json()["errors"].clone();
    assert!(errors["likelihood"].is_string() && errors["impact"].is_string());
    assert!(
        errors["owner_organisation_id"]
            .as_str()
            .unwrap()
            .contains("taking part")
    );
    let r = add(json!({"kind": "benefit", "catalogue_code": "vat", "likelihood": 1, "impact": 1}))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = add(json!({"likelihood": "high", "impact": 1})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = w
        .app
        .post_form(
            &format!("/collaborations/{}/benefits-risks", w.c),
            Some(&w.lead_admin),
            &[
                ("kind", "risk"),
                ("title", "Keep me"),
                ("likelihood", "9"),
                ("impact", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("value=\"Keep me\"") && r.body.contains("Choose how likely"));
    let other = format!("/api/v1/collaborations/{}/benefits-risks/{lease}", w.other);
    assert_eq!(
        w.api(&w.lead_admin, Method::DELETE, &other, None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        w.api(&w.outsider, Method::GET, &api, None).await.status,
        StatusCode::NOT_FOUND
    );
    if let Some(diff) = w.snapshot().await.differences(&before, true) {
        panic!("a refusal changed something:\n{diff}");
    }

    // Changing the rating moves it down the list.
    let r = w
        .api(&w.partner_admin, Method::PUT, &format!("{api}/{lease}"), Some(json!({"kind": "risk", "title": "Our hall lease ends", "likelihood": 1, "impact": 1})))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["owner_organisation_id"], serde_json::Value::Null);
    let list = w.api(&w.lead_admin, Method::GET, &api, None).await.json();
    assert_eq!(list[2]["id"], lease);
    let catalogue = w
        .api(
            &w.outsider,
            Method::GET,
            "/api/v1/benefits-risks/catalogue",
            None,
        )
        .await
        .json();
    assert_eq!(catalogue.as_array().unwrap().len(), 20);
    // The checklist sees one benefit and two risks.
    let progress = w
        .api(
            &w.lead_admin,
            Method::GET,
            &format!("/api/v1/collaborations/{}/stages/identify", w.c),
            None,
        )
        .await
        .json();
    assert_eq!(progress["checklist"][3]["detail"], "1 benefit and 2 risks.");
    assert_eq!(progress["checklist"][3]["done"], true);
}

/// The demo fills Identify: every collaboration has goals, environment
/// items and benefits and risks, and they read back through the store.
#[tokio::test]
async fn the_demo_fills_the_identify_parts() {
    let app = TestApp::new().await;
    let summary = app.demo(80).await;
    let mut tx = app.state.store.read().await.unwrap();
    for collaboration in 1..=summary.collaborations {
        let mut scope = None;
        for user in 1..=summary.people {
            if let Some(s) = tx.collab_scope(user, collaboration).await.unwrap() {
                scope = Some(s);
                break;
            }
        }
        let scope = scope.expect("someone takes part");
        let participants = tx.participants(&scope).await.unwrap();
        let goals = tx.collaboration_goals(&scope).await.unwrap();
        assert_eq!(
            goals.len(),
            participants.len(),
            "a goal for each organisation"
        );
        assert_eq!(tx.environment_items(&scope).await.unwrap().len(), 3);
        let items = tx.benefits_risks(&scope).await.unwrap();
        assert_eq!(items.len(), 3);
        let facts = tx.identify_facts(&scope).await.unwrap();
        assert_eq!((facts.benefits, facts.risks), (1, 2));
    }
    let scope = tx
        .org_scope(1, 1)
        .await
        .unwrap()
        .expect("user 1 belongs to organisation 1");
    assert_eq!(tx.organisation_goals(&scope).await.unwrap().len(), 1);
}
