//! Health check rounds through the API and the pages: who opens, answers
//! and closes them; that nobody's answers show before the round closes,
//! below the threshold, in the audit trail or in another person's view;
//! the results with the gap between partners in words; the Review
//! checklist. Who may do what is also in the access tables.

mod common;

use axum::http::{Method, StatusCode};
use common::{Person, TestApp};
use serde_json::{Value, json};

struct World {
    app: TestApp,
    c: i64,
    foreign: i64,
    lead_admin: Person,
    /// Three more members of the lead organisation.
    lead_people: Vec<Person>,
    partner_admin: Person,
    /// Three more members of the partner organisation.
    partner_people: Vec<Person>,
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
    let mut lead_people = Vec::new();
    let mut partner_people = Vec::new();
    for n in 1..=3 {
        let p = app.quick_person(&format!("Rhys Riverside {n}")).await;
        app.join(&p, lead, false).await;
        lead_people.push(p);
        let p = app.quick_person(&format!("Llinos Llŷn {n}")).await;
        app.join(&p, partner, false).await;
        partner_people.push(p);
    }
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
        foreign,
        lead_admin,
        lead_people,
        partner_admin,
        partner_people,
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

    fn in_days(&self, days: i64) -> String {
        self.app.state.clock.advance(days * 86_400);
        let d = commonground_web::actions::tasks::today(&self.app.state);
        self.app.state.clock.advance(-days * 86_400);
        d
    }

    async fn open(&self, who: &Person, c: i64, body: Value) -> common::TestResponse {
        self.api(
            who,
            Method::POST,
            &format!("/api/v1/collaborations/{c}/health-checks"),
            Some(body),
        )
        .await
    }

    async fn answer(&self, who: &Person, hid: i64, body: Value) -> common::TestResponse {
        self.api(
            who,
            Method::PUT,
            &format!("/api/v1/health-checks/{hid}/answers"),
            Some(body),
        )
        .await
    }

    async fn results(&self, who: &Person, hid: i64) -> Value {
        let r = self
            .api(
                who,
                Method::GET,
                &format!("/api/v1/health-checks/{hid}/results"),
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

    async fn review_done(&self) -> bool {
        let r = self
            .api(
                &self.observer,
                Method::GET,
                &format!("/api/v1/collaborations/{}/stages/review", self.c),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let v = r.json();
        assert_eq!(v["stage"], "review");
        let keys: Vec<&str> = v["checklist"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["key"].as_str().unwrap())
            .collect();
        assert_eq!(
            keys,
            [
                "health_checked",
                "aims_reviewed",
                "lessons_recorded",
                "positions_recorded",
                "way_forward_agreed"
            ]
        );
        v["checklist"][0]["done"].as_bool().unwrap()
    }
}

/// Decision-making in the full review.
const DECISIONS: &str = "102";
const TRUST: &str = "106";

#[tokio::test]
async fn a_full_round_from_opening_to_the_gap_between_partners() {
    let w = world().await;
    let closes = w.in_days(14);
    assert!(!w.review_done().await);

    // Only the lead organisation's admin opens a round.
    let body = json!({"kind": "full", "closes_on": closes});
    assert_eq!(
        w.open(&w.partner_admin, w.c, body.clone()).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        w.open(&w.lead_people[0], w.c, body.clone()).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        w.open(&w.observer, w.c, body.clone()).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        w.open(&w.outsider, w.c, body.clone()).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        w.open(&w.lead_admin, w.foreign, body.clone()).await.status,
        StatusCode::NOT_FOUND
    );
    let bad = w
        .open(
            &w.lead_admin,
            w.c,
            json!({"kind": "weekly", "closes_on": "2020-01-01"}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    let errors = &bad.json()["errors"];
    assert_eq!(errors["kind"], "Choose a quick pulse or a full review.");
    assert!(
        errors["closes_on"]
            .as_str()
            .unwrap()
            .starts_with("Choose a closing date from today")
    );
    let list = w
        .api(
            &w.lead_admin,
            Method::GET,
            &format!("/api/v1/collaborations/{}/health-checks", w.c),
            None,
        )
        .await;
    assert_eq!(list.json(), json!([]));

    let sent_before = w.app.outbox().len();
    let r = w.open(&w.lead_admin, w.c, body.clone()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let round = r.json();
    let hid = round["id"].as_i64().unwrap();
    assert_eq!(round["kind"], "full");
    assert_eq!(round["number"], 1);
    assert_eq!(round["closes_on"], closes);
    // Both organisations' eight members; not the observer.
    assert_eq!(round["invited"], 8);
    assert_eq!(round["respondents"], 0);
    assert_eq!(round["closed"], false);
    let mails: Vec<String> = w.app.outbox()[sent_before..].to_vec();
    assert_eq!(mails.len(), 8);
    for p in w.lead_people.iter().chain(&w.partner_people) {
        assert!(
            mails.iter().any(|m| m.contains(&p.email)),
            "{} not told",
            p.name
        );
    }
    assert!(!mails.iter().any(|m| m.contains(&w.observer.email)));
    assert!(mails[0].contains(&format!("http://commonground.test/health-checks/{hid}")));
    // One round at a time.
    assert_eq!(
        w.open(&w.lead_admin, w.c, body.clone()).await.status,
        StatusCode::CONFLICT
    );

    // The round's questions, each with an id; nobody's answers yet.
    let detail = w
        .api(
            &w.partner_people[0],
            Method::GET,
            &format!("/api/v1/health-checks/{hid}"),
            None,
        )
        .await
        .json();
    let questions = detail["questions"].as_array().unwrap();
    assert_eq!(questions.len(), 14);
    assert_eq!(questions[1]["id"], 102);
    assert_eq!(questions[1]["label"], "Decision-making");
    assert_eq!(detail["your_answers"], json!({}));
    assert_eq!(detail["can_answer"], true);
    assert_eq!(detail["can_close"], false);
    for (who, status) in [
        (&w.outsider, StatusCode::NOT_FOUND),
        (&w.observer, StatusCode::OK),
    ] {
        let r = w
            .api(
                who,
                Method::GET,
                &format!("/api/v1/health-checks/{hid}"),
                None,
            )
            .await;
        assert_eq!(r.status, status);
    }

    // The collaboration page asks the invited who have not answered.
    let page = w
        .app
        .get(&format!("/collaborations/{}", w.c), Some(&w.lead_people[0]))
        .await;
    assert!(page.body.contains("Answer health check round 1"));
    let page = w
        .app
        .get(&format!("/collaborations/{}", w.c), Some(&w.observer))
        .await;
    assert!(!page.body.contains("Answer health check round 1"));

    // Observers are not asked; wrong answers are refused by field.
    let r = w
        .answer(&w.observer, hid, json!({"answers": {DECISIONS: 3}}))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = w
        .answer(
            &w.lead_admin,
            hid,
            json!({"answers": {DECISIONS: 6, "999": 2}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let e = &r.json()["errors"];
    assert!(
        e["answers.102"]
            .as_str()
            .unwrap()
            .starts_with("Choose a number")
    );
    assert!(e["answers.999"].is_string());
    let r = w
        .answer(&w.outsider, hid, json!({"answers": {DECISIONS: 3}}))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // The lead organisation rates decision-making high, the partner low.
    let lead_side: Vec<&Person> = std::iter::once(&w.lead_admin)
        .chain(w.lead_people.iter())
        .collect();
    for (p, v) in lead_side.iter().zip([5, 4, 5, 4]) {
        let r = w
            .answer(
                p,
                hid,
                json!({"answers": {DECISIONS: v, TRUST: 4}, "comment": format!("lead comment {v}")}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    // A person sees only their own answers, and can change them.
    let mine = w
        .answer(
            &w.partner_people[0],
            hid,
            json!({"answers": {DECISIONS: 5, TRUST: null}, "comment": "Zebra"}),
        )
        .await
        .json();
    assert_eq!(mine["your_answers"], json!({"102": 5, "106": null}));
    assert_eq!(mine["your_comment"], "Zebra");
    let mine = w
        .answer(
            &w.partner_people[0],
            hid,
            json!({"answers": {DECISIONS: 3, TRUST: 3}, "comment": "apples"}),
        )
        .await
        .json();
    assert_eq!(mine["your_answers"], json!({"102": 3, "106": 3}));
    assert_eq!(mine["your_comment"], "apples");
    let someone_else = w
        .api(
            &w.partner_people[1],
            Method::GET,
            &format!("/api/v1/health-checks/{hid}"),
            None,
        )
        .await
        .json();
    assert_eq!(someone_else["your_answers"], json!({}));
    assert_eq!(someone_else["your_comment"], Value::Null);
    for (p, v) in [(&w.partner_people[1], 2), (&w.partner_people[2], 3)] {
        let r = w
            .answer(p, hid, json!({"answers": {DECISIONS: v, TRUST: 3}}))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }

    // Seven of eight have answered: still open, so nothing shows, in the
    // API, the chart or the page.
    let before = w.results(&w.lead_admin, hid).await;
    assert_eq!(before["available"], false);
    assert_eq!(before["code"], "still_open");
    assert_eq!(before.as_object().unwrap().len(), 3, "{before}");
    let chart = w
        .api(
            &w.lead_admin,
            Method::GET,
            &format!("/api/v1/health-checks/{hid}/chart.svg"),
            None,
        )
        .await;
    assert!(chart.body.contains("no results to show"));
    assert!(!chart.body.contains("Riverside"));
    let page = w
        .app
        .get(
            &format!("/health-checks/{hid}/results"),
            Some(&w.lead_admin),
        )
        .await;
    assert!(page.body.contains("results-unavailable"));
    assert!(!page.body.contains("lead comment"));
    assert!(!w.review_done().await);

    // The trail says who answered, never what.
    let audit = w.audit().await;
    let answered: Vec<&String> = audit
        .iter()
        .filter(|s| s.contains("health check"))
        .collect();
    assert_eq!(
        answered
            .iter()
            .filter(|s| s.as_str() == "Answered the health check.")
            .count(),
        8
    );
    assert!(
        !audit
            .iter()
            .any(|s| s.contains("comment") || s.contains("apples"))
    );

    // Only the lead organisation's admin closes it.
    let close = format!("/api/v1/health-checks/{hid}/close");
    for who in [&w.partner_admin, &w.observer, &w.lead_people[0]] {
        assert_eq!(
            w.api(who, Method::POST, &close, None).await.status,
            StatusCode::FORBIDDEN
        );
    }
    assert_eq!(
        w.api(&w.outsider, Method::POST, &close, None).await.status,
        StatusCode::NOT_FOUND
    );
    let r = w.api(&w.lead_admin, Method::POST, &close, None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["closed"], true);
    assert_eq!(
        w.api(&w.lead_admin, Method::POST, &close, None)
            .await
            .status,
        StatusCode::CONFLICT
    );
    // No answers after closing.
    let r = w
        .answer(&w.partner_admin, hid, json!({"answers": {DECISIONS: 1}}))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);

    // Results: the whole round, both organisations (each with at least
    // three), the gap in words, comments sorted without names.
    let res = w.results(&w.observer, hid).await;
    assert_eq!(res["available"], true);
    assert_eq!(res["respondents"], 7);
    let q102 = res["questions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["id"] == 102)
        .unwrap();
    assert_eq!(q102["stats"]["answering"], 7);
    assert_eq!(q102["stats"]["mean"], 3.7);
    // Nobody rated equity: no figure at all.
    assert_eq!(res["questions"][0]["stats"], Value::Null);
    let orgs: Vec<(String, i64)> = res["organisations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["name"].as_str().unwrap().to_string(),
                o["respondents"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        orgs,
        vec![
            ("Riverside Food Bank".to_string(), 4),
            ("Ty Llŷn".to_string(), 3)
        ]
    );
    let gaps: Vec<&str> = res["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["sentence"].as_str().unwrap())
        .collect();
    assert_eq!(
        gaps,
        vec![
            "Riverside Food Bank rates decision-making 4.5 on average; the other partners 2.7.",
            "Ty Llŷn rates decision-making 2.7 on average; the other partners 4.5.",
            "Riverside Food Bank rates trust 4.0 on average; the other partners 3.0.",
            "Ty Llŷn rates trust 3.0 on average; the other partners 4.0.",
        ]
    );
    assert_eq!(
        res["comments"],
        json!([
            "apples",
            "lead comment 4",
            "lead comment 4",
            "lead comment 5",
            "lead comment 5"
        ])
    );
    assert!(!res.to_string().contains("Rhys"));
    assert!(!res.to_string().contains("Llinos"));
    assert!(w.review_done().await);

    let page = w
        .app
        .get(&format!("/health-checks/{hid}/results"), Some(&w.observer))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(
        "Riverside Food Bank rates decision-making 4.5 on average; the other partners 2.7."
    ));
    let chart = w
        .app
        .get(
            &format!("/health-checks/{hid}/chart.svg"),
            Some(&w.observer),
        )
        .await;
    assert!(chart.body.contains("Riverside Food Bank (4 people)"));
    assert!(chart.body.contains("<title"));
    let page = w
        .app
        .get(
            &format!("/collaborations/{}/review", w.c),
            Some(&w.observer),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Health of the partnership checked"));
}

#[tokio::test]
async fn too_few_respondents_show_nothing_even_when_closed() {
    let w = world().await;
    let closes = w.in_days(3);
    let r = w
        .open(
            &w.lead_admin,
            w.c,
            json!({"kind": "pulse", "closes_on": closes}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let hid = r.json()["id"].as_i64().unwrap();
    // A pulse takes lights, not numbers.
    let r = w
        .answer(&w.lead_admin, hid, json!({"answers": {"1": 3}}))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.json()["errors"]["answers.1"],
        "Choose green, amber or red."
    );
    for p in [&w.lead_admin, &w.partner_admin] {
        let r = w
            .answer(
                p,
                hid,
                json!({"answers": {"1": "red", "2": "green"}, "comment": "only two of us"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    let r = w
        .api(
            &w.lead_admin,
            Method::POST,
            &format!("/api/v1/health-checks/{hid}/close"),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let res = w.results(&w.partner_admin, hid).await;
    assert_eq!(
        res,
        json!({
            "available": false,
            "code": "too_few_respondents",
            "reason": "Only 2 people answered. Results are shown only when at least 3 people answer, so nobody's answers can be singled out."
        })
    );
    let page = w
        .app
        .get(
            &format!("/health-checks/{hid}/results"),
            Some(&w.lead_admin),
        )
        .await;
    assert!(!page.body.contains("only two of us"));
    assert!(!w.review_done().await);

    // The date passing closes a round too: a second pulse, three answer.
    let r = w
        .open(
            &w.lead_admin,
            w.c,
            json!({"kind": "pulse", "closes_on": closes}),
        )
        .await;
    let hid2 = r.json()["id"].as_i64().unwrap();
    for p in &w.lead_people {
        let r = w
            .answer(p, hid2, json!({"answers": {"1": "green", "2": "amber"}}))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    assert_eq!(w.results(&w.lead_admin, hid2).await["code"], "still_open");
    w.app.state.clock.advance(4 * 86_400);
    let res = w.results(&w.lead_admin, hid2).await;
    w.app.state.clock.advance(-4 * 86_400);
    assert_eq!(res["available"], true);
    assert_eq!(res["respondents"], 3);
    assert_eq!(
        res["questions"][0]["stats"],
        json!({"answering": 3, "mean": 3.0, "spread": 0.0, "green": 3, "amber": 0, "red": 0})
    );
    // Three from one organisation and nobody else: the whole round is
    // that organisation, so no breakdown is needed, and none is shown
    // that a fourth person could be subtracted from.
    assert_eq!(res["organisations"].as_array().unwrap().len(), 1);
    assert_eq!(res["trend"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn the_pages_open_answer_and_close_a_round() {
    let w = world().await;
    let closes = w.in_days(10);
    let review = format!("/collaborations/{}/review", w.c);
    let page = w.app.get(&review, Some(&w.lead_admin)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Open the round"));
    let page = w.app.get(&review, Some(&w.partner_admin)).await;
    assert!(!page.body.contains("Open the round"));

    let open = format!("/collaborations/{}/health-checks", w.c);
    let r = w
        .app
        .post_form(
            &open,
            Some(&w.lead_admin),
            &[("kind", "full"), ("closes_on", "31/12/2026")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("value=\"31/12/2026\""));
    assert!(r.body.contains("Enter the closing date as a date like"));
    let r = w
        .app
        .post_form(
            &open,
            Some(&w.partner_admin),
            &[("kind", "full"), ("closes_on", closes.as_str())],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = w
        .app
        .post_form(
            &open,
            Some(&w.lead_admin),
            &[("kind", "pulse"), ("closes_on", closes.as_str())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let list = w
        .api(
            &w.lead_admin,
            Method::GET,
            &format!("/api/v1/collaborations/{}/health-checks", w.c),
            None,
        )
        .await
        .json();
    let hid = list[0]["id"].as_i64().unwrap();
    assert_eq!(list[0]["kind"], "pulse");

    let answer = format!("/health-checks/{hid}/answers");
    let r = w
        .app
        .post_form(
            &answer,
            Some(&w.lead_people[0]),
            &[("q1", "purple"), ("comment", "kept")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Choose green, amber or red."));
    assert!(r.body.contains(">kept</textarea>"));
    let r = w
        .app
        .post_form(
            &answer,
            Some(&w.lead_people[0]),
            &[("q1", "amber"), ("q5", "red"), ("comment", "mine")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = w
        .app
        .get(&format!("/health-checks/{hid}"), Some(&w.lead_people[0]))
        .await;
    assert!(page.body.contains("Change your answers"));
    assert!(page.body.contains(">mine</textarea>"));
    // Another person's page never shows it.
    let page = w
        .app
        .get(&format!("/health-checks/{hid}"), Some(&w.lead_people[1]))
        .await;
    assert!(!page.body.contains("mine"));
    let r = w
        .app
        .post_form(
            &format!("/health-checks/{hid}/close"),
            Some(&w.lead_people[0]),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = w
        .app
        .post_form(
            &format!("/health-checks/{hid}/close"),
            Some(&w.lead_admin),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = w
        .app
        .get(
            &format!("/health-checks/{hid}/results"),
            Some(&w.lead_admin),
        )
        .await;
    assert!(page.body.contains("Only 1 person answered."));
}

/// The demo's 500-task collaboration has a full review that 300 people
/// answered, closed, with its results shown, once worked out and once
/// kept: the same both times.
#[tokio::test]
async fn the_demo_has_a_full_review_answered_by_three_hundred_people() {
    let app = TestApp::new().await;
    // 350 people: enough for the large round.
    app.demo(7_000).await;
    let mut tx = app.state.store.read().await.unwrap();
    let demo = tx.user(1).await.unwrap().unwrap();
    let scope = tx.collab_scope(1, 1).await.unwrap().unwrap();
    let rounds = tx.health_rounds(&scope, 1).await.unwrap();
    drop(tx);
    assert_eq!(rounds.len(), 1, "{rounds:?}");
    let round = &rounds[0];
    assert!(round.respondents >= 300, "{round:?}");
    assert_eq!(round.respondents, round.invited);
    assert!(round.closed_at.is_some());
    let actor = commonground_web::auth::Actor {
        user: demo,
        acting_organisation_id: None,
        organisations: None,
    };
    let first = commonground_web::actions::health_checks::results(&app.state, &actor, round.id)
        .await
        .unwrap();
    let shown = first.results.as_ref().expect("results are shown");
    assert_eq!(shown.respondents as i64, round.respondents);
    assert!(
        shown.organisations.iter().any(|o| o.respondents >= 300),
        "the large partner's own breakdown"
    );
    assert_eq!(app.state.health_results.len(), 1, "kept once closed");
    let again = commonground_web::actions::health_checks::results(&app.state, &actor, round.id)
        .await
        .unwrap();
    assert_eq!(again.results, first.results);
}
