//! The readiness check through the API and the pages: the questionnaire,
//! answers kept private, results only once enough people have answered,
//! the disagreement finding, bad answers refused with the input kept, a
//! new round compared with the last, and the chart.

mod common;

use axum::http::{Method, StatusCode};
use common::{Person, TestApp};
use serde_json::{Value, json};

struct World {
    app: TestApp,
    c: i64,
    lead_admin: Person,
    lead_member: Person,
    partner_admin: Person,
    partner_member: Person,
    observer_admin: Person,
}

async fn world() -> World {
    let app = TestApp::new().await;
    let lead_admin = app.person("Lena Lead").await;
    let lead_member = app.person("Liam Lead").await;
    let partner_admin = app.person("Pia Partner").await;
    let partner_member = app.person("Paul Partner").await;
    let observer_admin = app.person("Olga Observer").await;
    let lead = app.organisation(&lead_admin, "Riverside Food Bank").await;
    app.join(&lead_member, lead, false).await;
    let partner = app
        .organisation(&partner_admin, "Hillside Youth Club")
        .await;
    app.join(&partner_member, partner, false).await;
    let observer = app.organisation(&observer_admin, "County Council").await;
    let c = app.collaboration(&lead_admin, lead, "Holiday hunger").await;
    let inv = app.invite(&lead_admin, c, partner, "partner").await;
    app.accept(&partner_admin, inv).await;
    let inv = app.invite(&lead_admin, c, observer, "observer").await;
    app.accept(&observer_admin, inv).await;
    World {
        app,
        c,
        lead_admin,
        lead_member,
        partner_admin,
        partner_member,
        observer_admin,
    }
}

impl World {
    async fn read(&self, who: &Person) -> Value {
        let r = self
            .app
            .api(
                Method::GET,
                &format!("/api/v1/collaborations/{}/readiness", self.c),
                Some(&who.token),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        r.json()
    }

    async fn answer(&self, who: &Person, answers: Value) -> common::TestResponse {
        self.app
            .api(
                Method::PUT,
                &format!("/api/v1/collaborations/{}/readiness/answers", self.c),
                Some(&who.token),
                Some(json!({ "answers": answers })),
            )
            .await
    }

    /// Statement ids of one factor, by its code.
    fn statements(doc: &Value, factor: &str) -> Vec<i64> {
        doc["instrument"]["groups"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|g| g["factors"].as_array().unwrap().iter())
            .find(|f| f["code"] == factor)
            .unwrap_or_else(|| panic!("no factor {factor}"))["statements"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["id"].as_i64().unwrap())
            .collect()
    }
}

fn factor<'a>(results: &'a Value, code: &str) -> &'a Value {
    results["factors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == code)
        .unwrap_or_else(|| panic!("no result for {code}"))
}

#[tokio::test]
async fn the_questionnaire_covers_the_six_groups_and_the_research_factors() {
    let w = world().await;
    let doc = w.read(&w.lead_member).await;
    let groups: Vec<&str> = doc["instrument"]["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        groups,
        [
            "environment",
            "membership",
            "process",
            "communication",
            "purpose",
            "resources"
        ]
    );
    let factors: Vec<&str> = doc["instrument"]["groups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["factors"].as_array().unwrap())
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(factors.len(), 20);
    for needed in [
        "history",
        "trust",
        "self_interest",
        "layers",
        "pace",
        "informal",
        "unique_purpose",
        "leadership",
    ] {
        assert!(factors.contains(&needed), "{needed} missing");
    }
    let statements: usize = doc["instrument"]["groups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["factors"].as_array().unwrap())
        .map(|f| f["statements"].as_array().unwrap().len())
        .sum();
    assert!(statements >= 20, "{statements} statements");
    assert_eq!(doc["instrument"]["version"], 1);
    assert_eq!(doc["instrument"]["scale"].as_array().unwrap().len(), 6);
    assert_eq!(doc["round"], Value::Null);
    assert_eq!(doc["my_answers"], json!({}));
    assert_eq!(doc["can_answer"], true);
    assert_eq!(doc["can_start_round"], false);
}

#[tokio::test]
async fn results_appear_at_three_people_and_nobody_sees_anyone_elses_answers() {
    let w = world().await;
    let doc = w.read(&w.lead_admin).await;
    let trust = World::statements(&doc, "trust");
    let pace = World::statements(&doc, "pace");
    assert_eq!(trust.len(), 2);

    // Lena: trust 5 and 5; pace 1. Pia: trust 4 and "don't know"; pace 5.
    let r = w
        .answer(
            &w.lead_admin,
            json!({ trust[0].to_string(): 5, trust[1].to_string(): 5, pace[0].to_string(): 1 }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = w
        .answer(
            &w.partner_admin,
            json!({ trust[0].to_string(): 4, trust[1].to_string(): null, pace[0].to_string(): 5 }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    // Two people: the count shows, the results do not.
    let seen = w.read(&w.partner_admin).await;
    assert_eq!(seen["round"]["number"], 1);
    assert_eq!(seen["round"]["respondents"], 2);
    assert_eq!(seen["round"]["results"], Value::Null);
    // Pia's own answers, and only hers.
    assert_eq!(
        seen["my_answers"],
        json!({ trust[0].to_string(): 4, trust[1].to_string(): null, pace[0].to_string(): 5 })
    );
    assert_eq!(w.read(&w.lead_member).await["my_answers"], json!({}));

    // Paul makes three: trust 3 and 3; pace 3.
    w.answer(
        &w.partner_member,
        json!({ trust[0].to_string(): 3, trust[1].to_string(): 3, pace[0].to_string(): 3 }),
    )
    .await;
    let seen = w.read(&w.lead_member).await;
    let results = &seen["round"]["results"];
    assert_eq!(seen["round"]["respondents"], 3);
    // Trust, per person 5.0, 4.0, 3.0: mean 4.0, spread 2.0, a strength
    // that people disagree on.
    let t = factor(results, "trust");
    assert_eq!(t["mean"], 4.0);
    assert_eq!(t["spread"], 2.0);
    assert_eq!(t["answering"], 3);
    assert_eq!(t["finding"], "strength");
    assert_eq!(t["disagreement"], true);
    // Pace: 1, 5, 3: mean 3.0, borderline, disagreement.
    let p = factor(results, "pace");
    assert_eq!(
        (p["mean"].as_f64(), p["finding"].as_str()),
        (Some(3.0), Some("borderline"))
    );
    // A factor nobody answered.
    let h = factor(results, "history");
    assert_eq!(
        (h["mean"].clone(), h["answering"].clone()),
        (Value::Null, json!(0))
    );
    // Weakest first: pace (3.0) before trust (4.0, listed for disagreement).
    let weakest: Vec<&str> = results["weakest"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(weakest, ["pace", "trust"]);
    assert!(results["weakest"][0]["advice"].as_str().unwrap().len() > 20);
    // The answers of others appear nowhere: Liam sees no answers of his own,
    // and the document has no per-person values.
    assert_eq!(seen["my_answers"], json!({}));
    let text = seen.to_string();
    for p in [&w.lead_admin, &w.partner_admin, &w.partner_member] {
        assert!(!text.contains(&p.name) && !text.contains(&p.email));
    }

    // The page shows the same, with the chart and its text alternative.
    let page = w
        .app
        .get(
            &format!("/collaborations/{}/readiness", w.c),
            Some(&w.lead_member),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<svg"), "no chart");
    assert!(page.body.contains("Membership 4.0 out of 5.0"));
    assert!(page.body.contains("People disagree"));
    assert!(page.body.contains("A pace that suits everyone"));
    let svg = w
        .app
        .api(
            Method::GET,
            &format!("/api/v1/collaborations/{}/readiness/chart.svg", w.c),
            Some(&w.partner_member.token),
            None,
        )
        .await;
    assert_eq!(svg.status, StatusCode::OK);
    assert_eq!(
        svg.header("content-type").as_deref(),
        Some("image/svg+xml; charset=utf-8")
    );
    assert!(svg.body.contains("Readiness by group, round 1"));
}

#[tokio::test]
async fn bad_answers_are_refused_and_change_nothing() {
    let w = world().await;
    let doc = w.read(&w.lead_admin).await;
    let first = World::statements(&doc, "history")[0].to_string();
    for (answers, field) in [
        (json!({ "999999": 3 }), "answers.999999"),
        (json!({ first.clone(): 0 }), &*format!("answers.{first}")),
        (json!({ first.clone(): 6 }), &*format!("answers.{first}")),
        (json!({ first.clone(): 2.5 }), &*format!("answers.{first}")),
        (json!({ first.clone(): "5" }), &*format!("answers.{first}")),
        (json!({ first.clone(): [5] }), &*format!("answers.{first}")),
        (json!({ "first": 5 }), "answers.first"),
        (json!({}), "answers"),
    ] {
        let r = w.answer(&w.lead_admin, answers.clone()).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{answers}: {}",
            r.body
        );
        assert!(
            r.json()["errors"][field].is_string(),
            "{answers}: {}",
            r.body
        );
    }
    // Not an object, or extra fields: refused too.
    let r = w
        .app
        .api(
            Method::PUT,
            &format!("/api/v1/collaborations/{}/readiness/answers", w.c),
            Some(&w.lead_admin.token),
            Some(json!({"answers": [1, 2]})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let r = w
        .app
        .api(
            Method::PUT,
            &format!("/api/v1/collaborations/{}/readiness/answers", w.c),
            Some(&w.lead_admin.token),
            Some(json!({"answers": {}, "extra": 1})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    // Nothing was saved, and no round started.
    let after = w.read(&w.lead_admin).await;
    assert_eq!(after["round"], Value::Null);
    assert_eq!(after["my_answers"], json!({}));

    // Observers may read but not answer.
    let r = w
        .answer(&w.observer_admin, json!({ first.clone(): 3 }))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert_eq!(w.read(&w.observer_admin).await["can_answer"], false);

    // The form: a wrong value is shown as an error, the rest kept.
    let second = World::statements(&doc, "history")[1].to_string();
    let page = w
        .app
        .post_form(
            &format!("/collaborations/{}/readiness/answers", w.c),
            Some(&w.lead_admin),
            &[(&format!("s{first}"), "7"), (&format!("s{second}"), "2")],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("There is a problem"));
    assert!(page.body.contains(&format!("href=\"#s{first}\"")));
    assert!(
        page.body.contains(&format!(
            "id=\"s{second}-2\" name=\"s{second}\" type=\"radio\" value=\"2\" checked"
        )),
        "the valid answer was not kept"
    );
    assert_eq!(w.read(&w.lead_admin).await["my_answers"], json!({}));

    // And a good form post saves, with "don't know" as null.
    let page = w
        .app
        .post_form(
            &format!("/collaborations/{}/readiness/answers", w.c),
            Some(&w.lead_admin),
            &[(&format!("s{first}"), "dk"), (&format!("s{second}"), "2")],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(
        page.headers.get("location").and_then(|v| v.to_str().ok()),
        Some(format!("/collaborations/{}/readiness?saved=1#results", w.c).as_str())
    );
    assert_eq!(
        w.read(&w.lead_admin).await["my_answers"],
        json!({ first.clone(): null, second.clone(): 2 })
    );
    // The form on its own page comes back with those answers chosen, and
    // the results page links to it.
    let form = w
        .app
        .get(
            &format!("/collaborations/{}/readiness/answers", w.c),
            Some(&w.lead_admin),
        )
        .await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains(&format!(
        "id=\"s{second}-2\" name=\"s{second}\" type=\"radio\" value=\"2\" checked"
    )));
    assert!(form.body.contains(&format!(
        "id=\"s{first}-dk\" name=\"s{first}\" type=\"radio\" value=\"dk\" checked"
    )));
    let results = w
        .app
        .get(
            &format!("/collaborations/{}/readiness", w.c),
            Some(&w.lead_admin),
        )
        .await;
    assert!(results.body.contains("You have answered 2 of"));
    assert!(results.body.contains(&format!(
        "href=\"/collaborations/{}/readiness/answers\"",
        w.c
    )));
    assert!(
        !results.body.contains("type=\"radio\""),
        "the form is on its own page"
    );
}

#[tokio::test]
async fn a_new_round_keeps_the_old_one_to_compare() {
    let w = world().await;
    let doc = w.read(&w.lead_admin).await;
    let vision = World::statements(&doc, "vision")[0].to_string();
    let new_round = |who: &Person| {
        let path = format!("/api/v1/collaborations/{}/readiness/rounds", w.c);
        let token = who.token.clone();
        let app = &w.app;
        async move { app.api(Method::POST, &path, Some(&token), None).await }
    };
    // Nothing to compare with yet.
    assert_eq!(new_round(&w.lead_admin).await.status, StatusCode::CONFLICT);
    for (who, v) in [
        (&w.lead_admin, 2),
        (&w.lead_member, 2),
        (&w.partner_admin, 2),
    ] {
        w.answer(who, json!({ vision.clone(): v })).await;
    }
    // Partners cannot start a round; the lead can.
    assert_eq!(
        new_round(&w.partner_admin).await.status,
        StatusCode::FORBIDDEN
    );
    let r = new_round(&w.lead_member).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let doc = r.json();
    assert_eq!(doc["round"]["number"], 2);
    assert_eq!(doc["round"]["respondents"], 0);
    assert_eq!(doc["my_answers"], json!({}));
    assert_eq!(
        factor(&doc["previous_round"]["results"], "vision")["mean"],
        2.0
    );
    // A new round with no answers cannot be followed by another.
    assert_eq!(new_round(&w.lead_admin).await.status, StatusCode::CONFLICT);
    for (who, v) in [
        (&w.lead_admin, 4),
        (&w.lead_member, 5),
        (&w.partner_member, 4),
    ] {
        w.answer(who, json!({ vision.clone(): v })).await;
    }
    let doc = w.read(&w.partner_admin).await;
    assert_eq!(factor(&doc["round"]["results"], "vision")["mean"], 4.3);
    assert_eq!(
        factor(&doc["previous_round"]["results"], "vision")["mean"],
        2.0
    );
    // The round-1 answers are still there, untouched by round 2.
    assert_eq!(doc["previous_round"]["respondents"], 3);
    let page = w
        .app
        .get(
            &format!("/collaborations/{}/readiness", w.c),
            Some(&w.partner_admin),
        )
        .await;
    assert!(page.body.contains("compared with round 1"));
    assert!(page.body.contains("Mean last round"));
    assert!(
        page.body.contains("stroke-dasharray"),
        "the old round is drawn dashed"
    );
}
