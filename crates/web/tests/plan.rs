//! The Plan stage through the pages and the API: its checklist (and the
//! collaboration page showing every stage's), the collaboration model with
//! the guided questions and stale choices, and due diligence for the
//! deeper models. Who may do what is also in the access tables.

mod common;

use axum::http::{Method, StatusCode};
use common::{Person, TestApp};
use serde_json::{Value, json};

struct World {
    app: TestApp,
    c: i64,
    lead: i64,
    partner: i64,
    /// Another collaboration, of the outsider's organisation alone.
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

    async fn choose(
        &self,
        who: &Person,
        model: &str,
        reason: &str,
        based_on: i64,
    ) -> common::TestResponse {
        self.api(
            who,
            Method::PUT,
            &format!("/api/v1/collaborations/{}/model", self.c),
            Some(json!({"model": model, "reason": reason, "based_on": based_on})),
        )
        .await
    }

    async fn progress(&self) -> Value {
        let r = self
            .api(
                &self.observer,
                Method::GET,
                &format!("/api/v1/collaborations/{}/stages/plan", self.c),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        r.json()
    }

    async fn model(&self) -> Value {
        let r = self
            .api(
                &self.observer,
                Method::GET,
                &format!("/api/v1/collaborations/{}/model", self.c),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        r.json()
    }

    async fn due_diligence(&self) -> Value {
        let r = self
            .api(
                &self.observer,
                Method::GET,
                &format!("/api/v1/collaborations/{}/due-diligence", self.c),
                None,
            )
            .await;
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

fn items(progress: &Value) -> Vec<(String, bool, String)> {
    progress["checklist"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["key"].as_str().unwrap().to_string(),
                i["done"].as_bool().unwrap(),
                i["detail"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[tokio::test]
async fn the_checklist_starts_empty_and_claims_only_what_is_there() {
    let w = world().await;
    let p = w.progress().await;
    assert_eq!(p["stage"], "plan");
    assert_eq!(p["percent"], 0);
    assert_eq!(p["can_contribute"], false, "the observer reads only");
    assert_eq!(
        items(&p),
        vec![
            (
                "model_chosen".into(),
                false,
                "No model chosen yet. Answer a few questions for a suggestion.".into()
            ),
            ("aims_approved".into(), false, "No shared aims yet.".into()),
            (
                "governance_set".into(),
                false,
                "No governance bodies yet.".into()
            ),
            (
                "responsibilities_agreed".into(),
                false,
                "No responsibilities matrix yet.".into()
            ),
            ("agreement_agreed".into(), false, "No agreement yet.".into()),
        ]
    );
    // The page says the same, and offers the questions.
    let page = w
        .app
        .get(
            &format!("/collaborations/{}/plan", w.c),
            Some(&w.partner_admin),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("0% complete"), "{}", page.body);
    assert!(page.body.contains("(0 of 5 done)"));
    assert!(
        page.body
            .contains("What do you mainly want to do together?")
    );
    assert!(
        page.body
            .contains(&format!("action=\"/collaborations/{}/model\"", w.c))
    );
}

#[tokio::test]
async fn choosing_a_model_ticks_the_checklist_and_a_deeper_one_opens_due_diligence() {
    let w = world().await;
    let r = w
        .choose(
            &w.partner_admin,
            "joint_project",
            "One summer scheme together.",
            0,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let chosen = r.json();
    assert_eq!(chosen["model"], "joint_project");
    assert_eq!(chosen["version"], 1);
    assert_eq!(chosen["organisation_name"], "Ty Llŷn");
    assert_eq!(chosen["chosen_by_name"], "Pia Partner");
    assert_eq!(chosen["needs_due_diligence"], false);
    // Read back.
    let m = w.model().await;
    assert_eq!(m["chosen"]["reason"], "One summer scheme together.");
    assert_eq!(m["models"].as_array().unwrap().len(), 7);
    let p = w.progress().await;
    assert_eq!(p["percent"], 20);
    assert_eq!(
        items(&p)[0],
        (
            "model_chosen".into(),
            true,
            "Joint project or joint delivery, chosen by Ty Llŷn.".into()
        )
    );
    // No due diligence for a lighter model.
    let dd = w.due_diligence().await;
    assert_eq!(dd["applies"], false);
    assert_eq!(dd["items"].as_array().unwrap().len(), 0);

    // Changing to a merger, based on the current choice.
    let r = w
        .choose(&w.lead_admin, "merger", "We share one mission.", 1)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["version"], 2);
    let dd = w.due_diligence().await;
    assert_eq!(dd["applies"], true);
    assert_eq!(dd["model"], "merger");
    let areas: Vec<&str> = dd["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["area"].as_str().unwrap())
        .collect();
    assert_eq!(
        areas,
        [
            "governing_documents",
            "restricted_funds",
            "property",
            "contracts",
            "staff_and_tupe",
            "pensions",
            "liabilities",
            "accounts_and_reserves",
            "insurance",
            "data_protection",
            "regulatory_history"
        ]
    );
    assert!(
        dd["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["status"] == "not_started" && i["version"] == 1)
    );
    assert_eq!(
        items(&w.progress().await)[0].2,
        "Merger, chosen by Riverside Food Bank. Due diligence: 0 of 11 areas done or not applicable."
    );
    // Every choice is in the trail.
    let audit = w.audit().await;
    assert_eq!(
        audit[0],
        "Changed the collaboration model from Joint project or joint delivery to Merger, because: We share one mission."
    );
    assert_eq!(
        audit[1],
        "Chose Joint project or joint delivery as the collaboration model, because: One summer scheme together."
    );
    // The Plan page shows the model and the due diligence line.
    let page = w
        .app
        .get(&format!("/collaborations/{}/plan", w.c), Some(&w.observer))
        .await;
    assert!(page.body.contains("20% complete"), "{}", page.body);
    assert!(page.body.contains("We share one mission."));
    assert!(
        page.body
            .contains("Due diligence: 0 of 11 areas done or not applicable.")
    );
    assert!(
        page.body
            .contains(&format!("href=\"/collaborations/{}/due-diligence\"", w.c))
    );
}

#[tokio::test]
async fn a_stale_choice_is_refused_with_the_current_one() {
    let w = world().await;
    assert_eq!(
        w.choose(
            &w.lead_admin,
            "lead_partner",
            "We bid for the council contract.",
            0
        )
        .await
        .status,
        StatusCode::OK
    );
    // The partner had the page open before that choice.
    let r = w
        .choose(&w.partner_admin, "consortium", "A body of our own.", 0)
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert_eq!(
        r.json()["detail"],
        "Lena Lead from Riverside Food Bank chose Lead partner with sub-contracts meanwhile, because: \u{201c}We bid for the council contract.\u{201d} Read their choice, then choose again if you still want to change it."
    );
    let m = w.model().await;
    assert_eq!(m["chosen"]["model"], "lead_partner");
    assert_eq!(m["chosen"]["version"], 1);
    assert_eq!(
        w.due_diligence().await["items"].as_array().unwrap().len(),
        0
    );
    assert_eq!(
        w.audit()
            .await
            .iter()
            .filter(|s| s.contains("collaboration model"))
            .count(),
        1
    );
    // A choice from the future is stale too.
    assert_eq!(
        w.choose(&w.partner_admin, "consortium", "A body of our own.", 7)
            .await
            .status,
        StatusCode::CONFLICT
    );

    // Through the page: 409, the current choice shown, what was typed kept.
    let r = w
        .app
        .post_form(
            &format!("/collaborations/{}/model", w.c),
            Some(&w.partner_admin),
            &[
                ("model", "consortium"),
                ("reason", "Our own body, please."),
                ("based_on", "0"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("Someone else chose meanwhile"));
    assert!(r.body.contains("We bid for the council contract."));
    assert!(r.body.contains("Our own body, please."));
    // The form is now based on the current choice, so sending it again works.
    assert!(r.body.contains("name=\"based_on\" value=\"1\""));
    let r = w
        .app
        .post_form(
            &format!("/collaborations/{}/model", w.c),
            Some(&w.partner_admin),
            &[
                ("model", "consortium"),
                ("reason", "Our own body, please."),
                ("based_on", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        r.location(),
        format!("/collaborations/{}/model?done=chosen", w.c)
    );
    let m = w.model().await;
    assert_eq!(
        (
            m["chosen"]["model"].as_str(),
            m["chosen"]["version"].as_i64()
        ),
        (Some("consortium"), Some(2))
    );
}

#[tokio::test]
async fn bad_choices_get_field_errors_and_observers_and_outsiders_are_refused() {
    let w = world().await;
    let r = w
        .api(
            &w.lead_admin,
            Method::PUT,
            &format!("/api/v1/collaborations/{}/model", w.c),
            Some(json!({"model": "cooperative", "reason": " "})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let errors = &r.json()["errors"];
    assert_eq!(errors["model"], "Choose a collaboration model.");
    assert_eq!(errors["reason"], "Enter why you chose this model.");
    assert!(errors["based_on"].is_string());
    // The page keeps what was typed.
    let r = w
        .app
        .post_form(
            &format!("/collaborations/{}/model", w.c),
            Some(&w.lead_admin),
            &[
                ("model", ""),
                ("reason", "Because of the Llŷn hall."),
                ("based_on", "0"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Because of the Llŷn hall."));
    assert!(r.body.contains("Choose a collaboration model."));
    // Observers read, but do not choose; outsiders see nothing.
    let r = w.choose(&w.observer, "merger", "Why not.", 0).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let page = w
        .app
        .get(&format!("/collaborations/{}/model", w.c), Some(&w.observer))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("Record this choice"));
    assert!(page.body.contains("observes this collaboration"));
    for path in [
        format!("/api/v1/collaborations/{}/model", w.c),
        format!("/api/v1/collaborations/{}/stages/plan", w.c),
        format!("/api/v1/collaborations/{}/due-diligence", w.c),
        format!(
            "/api/v1/collaborations/{}/model/suggestion?purpose=combine",
            w.c
        ),
    ] {
        assert_eq!(
            w.api(&w.outsider, Method::GET, &path, None).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    assert_eq!(
        w.choose(&w.outsider, "merger", "Mine now.", 0).await.status,
        StatusCode::NOT_FOUND
    );
    // Ids of a collaboration that is not theirs are not found either.
    let r = w
        .api(
            &w.lead_admin,
            Method::PUT,
            &format!("/api/v1/collaborations/{}/model", w.foreign),
            Some(json!({"model": "merger", "reason": "x", "based_on": 0})),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(w.model().await["chosen"], Value::Null);
    assert!(
        w.audit()
            .await
            .iter()
            .all(|s| !s.contains("collaboration model"))
    );
}

#[tokio::test]
async fn the_questions_suggest_one_model_with_reasons() {
    let w = world().await;
    let base = format!("/api/v1/collaborations/{}/model/suggestion", w.c);
    let r = w
        .api(&w.observer, Method::GET, &format!("{base}?purpose=share_information&duration=months&money=none&contract=no&assets=no&independence=full"), None)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let s = r.json();
    assert_eq!(s["model"], "informal_network");
    assert_eq!(
        s["reasons"][0],
        "You mainly want to share information and ideas, which needs no formal structure."
    );
    let r = w
        .api(&w.observer, Method::GET, &format!("{base}?purpose=combine&duration=open_ended&money=pooled&contract=no&assets=most&independence=none"), None)
        .await;
    assert_eq!(r.json()["model"], "merger");
    // Every question must be answered.
    let r = w
        .api(
            &w.observer,
            Method::GET,
            &format!("{base}?purpose=combine&money=lots"),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let errors = r.json()["errors"].as_object().unwrap().clone();
    let keys: Vec<&str> = errors.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        ["assets", "contract", "duration", "independence", "money"]
    );
    // The page shows the suggestion, with the choice form set to it.
    let page = w
        .app
        .get(
            &format!("/collaborations/{}/model?suggest=1&purpose=bid_for_contract&duration=few_years&money=one_funding&contract=one_of_us&assets=no&independence=full", w.c),
            Some(&w.partner_admin),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains("Suggested: Lead partner with sub-contracts"),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains("One of you can hold the contract and sub-contract the others.")
    );
    assert!(page.body.contains("value=\"lead_partner\" checked"));
    // Partial answers on the page: 422, with the answers kept.
    let page = w
        .app
        .get(
            &format!("/collaborations/{}/model?suggest=1&purpose=combine", w.c),
            Some(&w.partner_admin),
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.body.contains(
            "Choose an answer to \u{201c}How long do you expect to work together?\u{201d}."
        )
    );
    assert!(page.body.contains("value=\"combine\" checked"));
    // Nothing was saved.
    assert_eq!(w.model().await["chosen"], Value::Null);
}

#[tokio::test]
async fn due_diligence_items_are_changed_with_owner_note_and_stale_checks() {
    let w = world().await;
    let path = |area: &str| format!("/api/v1/collaborations/{}/due-diligence/{area}", w.c);
    // Nothing to change before a deeper model is chosen.
    let r = w
        .api(
            &w.lead_admin,
            Method::PUT,
            &path("pensions"),
            Some(json!({"status": "done", "based_on": 1})),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(
        w.choose(
            &w.lead_admin,
            "group_structure",
            "Keep our names, share control.",
            0
        )
        .await
        .status,
        StatusCode::OK
    );

    let r = w
        .api(&w.partner_admin, Method::PUT, &path("pensions"), Some(json!({"status": "in_progress", "owner_organisation_id": w.partner, "note": "Asking the scheme about exit debt.", "based_on": 1})))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let item = r.json();
    assert_eq!(item["status"], "in_progress");
    assert_eq!(item["owner_name"], "Ty Llŷn");
    assert_eq!(item["version"], 2);
    // Someone with the old version is refused, and told what changed.
    let r = w
        .api(
            &w.lead_admin,
            Method::PUT,
            &path("pensions"),
            Some(json!({"status": "done", "based_on": 1})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(
        r.json()["detail"],
        "Pia Partner changed pensions meanwhile: it is now in progress, owned by Ty Llŷn, with the note \u{201c}Asking the scheme about exit debt.\u{201d}. Read their change, then make yours again."
    );
    // Bad input: 422 per field; an owner must take part.
    let r = w
        .api(
            &w.lead_admin,
            Method::PUT,
            &path("pensions"),
            Some(json!({"status": "finished", "owner_organisation_id": -3, "based_on": 2})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["errors"]["status"].is_string());
    assert!(r.json()["errors"]["owner_organisation_id"].is_string());
    let outsiders_org = {
        let mut tx = w.app.state.store.read().await.unwrap();
        tx.organisations_of(w.outsider.id).await.unwrap()[0].id
    };
    let r = w
        .api(
            &w.lead_admin,
            Method::PUT,
            &path("pensions"),
            Some(json!({"status": "done", "owner_organisation_id": outsiders_org, "based_on": 2})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.json()["errors"]["owner_organisation_id"],
        "Choose one of the organisations taking part, or nobody yet."
    );
    // Unknown areas are not found; observers may not change anything.
    assert_eq!(
        w.api(
            &w.lead_admin,
            Method::PUT,
            &path("gossip"),
            Some(json!({"status": "done", "based_on": 1}))
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        w.api(
            &w.observer,
            Method::PUT,
            &path("property"),
            Some(json!({"status": "done", "based_on": 1}))
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    let dd = w.due_diligence().await;
    let pensions = dd["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["area"] == "pensions")
        .unwrap()
        .clone();
    assert_eq!(
        (pensions["status"].as_str(), pensions["version"].as_i64()),
        (Some("in_progress"), Some(2))
    );
    assert_eq!(dd["in_progress"], 1);

    // Through the page: each area has its own form; marking one done shows on the Plan page.
    let r = w
        .app
        .post_form(
            &format!("/collaborations/{}/due-diligence/insurance", w.c),
            Some(&w.lead_admin),
            &[
                ("status", "not_applicable"),
                ("owner_organisation_id", &w.lead.to_string()),
                ("note", "No cover moves."),
                ("based_on", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = w
        .app
        .post_form(
            &format!("/collaborations/{}/due-diligence/insurance", w.c),
            Some(&w.lead_admin),
            &[
                ("status", "done"),
                ("note", "Typed after someone else."),
                ("based_on", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("Lena Lead changed insurance meanwhile"));
    assert!(r.body.contains("Typed after someone else."));
    let r = w
        .app
        .post_form(
            &format!("/collaborations/{}/due-diligence/insurance", w.c),
            Some(&w.lead_admin),
            &[
                ("status", "done"),
                ("note", &"x".repeat(2001)),
                ("based_on", "2"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("href=\"#note-insurance\""));
    assert!(
        items(&w.progress().await)[0]
            .2
            .ends_with("Due diligence: 1 of 11 areas done or not applicable, 1 in progress."),
        "{:?}",
        items(&w.progress().await)
    );
    assert!(
        w.audit()
            .await
            .contains(&"Marked the due diligence on insurance as not applicable.".to_string())
    );

    // A lighter model keeps the items, but they cannot be changed.
    assert_eq!(
        w.choose(&w.lead_admin, "shared_services", "Smaller step first.", 1)
            .await
            .status,
        StatusCode::OK
    );
    let dd = w.due_diligence().await;
    assert_eq!(
        (
            dd["applies"].as_bool(),
            dd["items"].as_array().unwrap().len()
        ),
        (Some(false), 11)
    );
    let r = w
        .api(
            &w.lead_admin,
            Method::PUT,
            &path("property"),
            Some(json!({"status": "done", "based_on": 1})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(
        items(&w.progress().await)[0]
            .2
            .ends_with("chosen by Riverside Food Bank.")
    );
    let page = w
        .app
        .get(
            &format!("/collaborations/{}/due-diligence", w.c),
            Some(&w.lead_admin),
        )
        .await;
    assert!(page.body.contains("kept from an earlier choice"));
    assert!(!page.body.contains("id=\"status-property\""));
}

#[tokio::test]
async fn the_collaboration_page_shows_each_stage_checklist() {
    let w = world().await;
    w.choose(&w.lead_admin, "informal_network", "Start by meeting.", 0)
        .await;
    let page = w
        .app
        .get(&format!("/collaborations/{}", w.c), Some(&w.partner_admin))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains(&format!("href=\"/collaborations/{}/identify\"", w.c))
    );
    assert!(
        page.body
            .contains(&format!("href=\"/collaborations/{}/plan\"", w.c))
    );
    // Identify: partners joined counts (1 of 5); Plan: the model (1 of 5).
    assert_eq!(
        page.body.matches("20% complete").count(),
        2,
        "{}",
        page.body
    );
    assert!(page.body.contains("Collaboration model chosen"));
    assert!(page.body.contains("Shared aims approved by every partner"));
    assert!(page.body.contains("Possible partners shortlisted"));
}

/// The demo fills Plan: every collaboration in Plan or later has a model
/// chosen, named and in the trail; the deeper ones have due diligence
/// under way; those still in Identify have neither.
#[tokio::test]
async fn the_demo_fills_the_plan_stage() {
    use commonground_domain::stage::Stage;
    let app = TestApp::new().await;
    let summary = app.demo(800).await;
    let mut tx = app.state.store.read().await.unwrap();
    let (mut planned, mut deeper) = (0, 0);
    for collaboration in 1..=summary.collaborations {
        let mut scope = None;
        for user in 1..=summary.people {
            if let Some(s) = tx.collab_scope(user, collaboration).await.unwrap() {
                scope = Some(s);
                break;
            }
        }
        let scope = scope.expect("someone takes part");
        let c = tx.collaboration(&scope).await.unwrap();
        let model = tx.chosen_model(&scope).await.unwrap();
        let items = tx.due_diligence(&scope).await.unwrap();
        if c.stage == Stage::Identify {
            assert_eq!(model, None, "#{collaboration}");
            assert!(items.is_empty());
            continue;
        }
        planned += 1;
        let model = model.expect("a model in Plan or later");
        assert!(!model.chosen_by_name.is_empty() && !model.organisation_name.is_empty());
        let audit = tx.collaboration_audit(&scope, None, 100).await.unwrap();
        assert!(audit.iter().any(|e| e.action == "model.chosen"));
        let facts = tx.plan_facts(&scope).await.unwrap();
        assert!(commonground_domain::plan::checklist(&facts)[0].done);
        if model.model.needs_due_diligence() {
            deeper += 1;
            assert_eq!(items.len(), 11);
            let p = facts.due_diligence.expect("progress shown");
            assert!(p.settled > 0 && !p.complete(), "{p:?}");
            assert!(items.iter().any(|i| !i.owner_name.is_empty()));
        } else {
            assert!(items.is_empty());
        }
    }
    assert!(
        planned > 5 && deeper > 0,
        "{planned} planned, {deeper} deeper"
    );
}

/// Two writers at once, one stale: the database itself refuses the stale
/// one (the conditional update), whatever the action checked before, and
/// nothing is lost. Runs on whichever database the tests use.
#[tokio::test]
async fn two_writers_one_stale_the_store_refuses_it() {
    use commonground_domain::due_diligence::{Area, ItemChange};
    use commonground_domain::model::Model;
    use commonground_store::model::Chooser;
    let w = world().await;
    assert_eq!(
        w.choose(&w.lead_admin, "merger", "One mission.", 0)
            .await
            .status,
        StatusCode::OK
    );
    let by = |name: &'static str, org: i64| Chooser {
        user_id: w.lead_admin.id,
        user_name: name,
        organisation_id: org,
        organisation_name: "",
        at: 1,
    };
    // Both read version 1; the first write wins, the second is refused.
    let mut tx = w.app.state.store.write().await.unwrap();
    let s = tx
        .collab_scope(w.lead_admin.id, w.c)
        .await
        .unwrap()
        .unwrap();
    assert!(
        tx.choose_model(&s, Model::Consortium, "First.", 1, by("A", w.lead))
            .await
            .unwrap()
    );
    assert!(
        !tx.choose_model(&s, Model::JointProject, "Second.", 1, by("B", w.partner))
            .await
            .unwrap()
    );
    // A first choice when one exists is refused too.
    assert!(
        !tx.choose_model(&s, Model::JointProject, "Again.", 0, by("B", w.partner))
            .await
            .unwrap()
    );
    let change = |based_on| ItemChange {
        status: commonground_domain::due_diligence::ItemStatus::Done,
        owner_organisation_id: None,
        note: "Checked.".into(),
        based_on,
    };
    assert!(
        tx.change_due_diligence_item(&s, Area::Property, &change(1), "A", 1)
            .await
            .unwrap()
    );
    assert!(
        !tx.change_due_diligence_item(&s, Area::Property, &change(1), "B", 2)
            .await
            .unwrap()
    );
    tx.commit().await.unwrap();
    let m = w.model().await;
    assert_eq!(
        (
            m["chosen"]["model"].as_str(),
            m["chosen"]["reason"].as_str(),
            m["chosen"]["version"].as_i64()
        ),
        (Some("consortium"), Some("First."), Some(2))
    );
    let dd = w.due_diligence().await;
    let property = dd["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["area"] == "property")
        .unwrap()
        .clone();
    assert_eq!(
        (
            property["version"].as_i64(),
            property["updated_by_name"].as_str()
        ),
        (Some(2), Some("A"))
    );
}

/// The Plan checklist takes each item from its part's own answer: the aims
/// and an agreement approved by every lead and partner, governance set,
/// the matrix agreed. The demo fills all of them, fully in some
/// collaborations and part way in others, so both answers are seen.
#[tokio::test]
async fn the_plan_checklist_reads_every_part() {
    use commonground_domain::stage::Stage;
    use commonground_web::auth::Actor;
    let app = TestApp::new().await;
    let summary = app.demo(800).await;
    let mut seen = std::collections::BTreeMap::<(&str, bool), usize>::new();
    let mut complete = 0;
    for collaboration in 1..=summary.collaborations {
        let mut tx = app.state.store.read().await.unwrap();
        let mut found = None;
        for user in 1..=summary.people {
            if let Some(s) = tx.collab_scope(user, collaboration).await.unwrap() {
                found = Some((user, s));
                break;
            }
        }
        let (user, scope) = found.expect("someone takes part");
        if tx.collaboration(&scope).await.unwrap().stage == Stage::Identify {
            continue;
        }
        let want = [
            ("aims_approved", tx.aims_approved(&scope).await.unwrap()),
            (
                "governance_set",
                tx.governance_is_set(&scope).await.unwrap(),
            ),
            (
                "responsibilities_agreed",
                tx.responsibilities_agreed(&scope).await.unwrap(),
            ),
            (
                "agreement_agreed",
                tx.some_agreement_agreed(&scope).await.unwrap(),
            ),
        ];
        let actor = Actor {
            user: tx.user(user).await.unwrap().unwrap(),
            acting_organisation_id: None,
            organisations: None,
        };
        drop(tx);
        let overview =
            commonground_web::actions::plan::plan_overview(&app.state, &actor, collaboration)
                .await
                .unwrap();
        for (key, done) in want {
            let item = overview
                .checklist
                .iter()
                .find(|i| i.key == key)
                .unwrap_or_else(|| panic!("no {key}"));
            assert_eq!(item.done, done, "#{collaboration} {key}: {item:?}");
            assert!(!item.detail.is_empty());
            assert!(
                item.href
                    .starts_with(&format!("/collaborations/{collaboration}/")),
                "{item:?}"
            );
            *seen.entry((key, done)).or_default() += 1;
        }
        if overview.percent == 100 {
            complete += 1;
        }
    }
    for key in [
        "aims_approved",
        "governance_set",
        "responsibilities_agreed",
        "agreement_agreed",
    ] {
        assert!(
            seen.contains_key(&(key, true)),
            "{key} never done: {seen:?}"
        );
    }
    assert!(
        seen.contains_key(&("responsibilities_agreed", false))
            && seen.contains_key(&("agreement_agreed", false)),
        "{seen:?}"
    );
    assert!(
        complete > 0,
        "no demo collaboration has Plan complete: {seen:?}"
    );
}
