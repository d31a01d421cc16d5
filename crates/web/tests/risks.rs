//! The risk register through the API and the pages: risks checked, added,
//! listed by score with filters and pages, overdue reviews, stale changes,
//! the score history, suggestions added once, the heat map and its table,
//! and the Implement checklist. Who may do what is also in the access
//! tables.

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
        elsewhere,
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

    fn risks_path(&self) -> String {
        format!("/api/v1/collaborations/{}/risks", self.c)
    }

    async fn add(&self, who: &Person, body: Value) -> common::TestResponse {
        self.api(who, Method::POST, &self.risks_path(), Some(body))
            .await
    }

    async fn add_id(&self, body: Value) -> i64 {
        let r = self.add(&self.lead_admin, body).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        r.json()["id"].as_i64().unwrap()
    }

    async fn list(&self, query: &str) -> Value {
        let r = self
            .api(
                &self.observer,
                Method::GET,
                &format!("{}{query}", self.risks_path()),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        r.json()
    }

    async fn risk(&self, rid: i64) -> Value {
        let r = self
            .api(
                &self.partner_admin,
                Method::GET,
                &format!("/api/v1/risks/{rid}"),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        r.json()
    }

    fn titles(list: &Value) -> Vec<String> {
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["title"].as_str().unwrap().to_string())
            .collect()
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

#[tokio::test]
async fn risks_are_checked_listed_by_score_filtered_and_read_only_for_observers() {
    let w = world().await;
    let r = w.add(&w.lead_admin, json!({})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let e = &r.json()["errors"];
    assert_eq!(e["title"], "Enter a title.");
    assert_eq!(e["category"], "Choose the kind of risk from the list.");
    assert_eq!(
        e["likelihood"],
        "Choose the likelihood from 1 (the least) to 5 (the most)."
    );
    let r = w
        .add(
            &w.lead_admin,
            json!({"title": "X", "category": "people", "likelihood": 2, "impact": 2,
                   "owner_organisation_id": w.partner, "owner_person_id": w.lead_admin.id}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.json()["errors"]["owner_person_id"],
        "Choose a member of the organisation that owns the risk, or nobody yet."
    );
    let r = w
        .add(
            &w.lead_admin,
            json!({"title": "X", "category": "people", "likelihood": 2, "impact": 2,
                   "owner_organisation_id": w.elsewhere}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.json()["errors"]["owner_organisation_id"],
        "Choose one of the organisations taking part, or none yet."
    );
    let r = w
        .add(
            &w.observer,
            json!({"title": "X", "category": "people", "likelihood": 2, "impact": 2}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = w
        .api(
            &w.lead_admin,
            Method::GET,
            &format!("/api/v1/collaborations/{}/risks", w.foreign),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = w.api(&w.outsider, Method::GET, &w.risks_path(), None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(w.list("").await["total"], 0);

    let r = w
        .add(
            &w.partner_admin,
            json!({"title": "Hall lease ends", "category": "delivery", "likelihood": 5, "impact": 4,
                   "owner_organisation_id": w.partner, "owner_person_id": w.partner_admin.id,
                   "mitigation": "Talk to the council.", "review_on": "2020-01-01"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let hall = r.json();
    assert_eq!(hall["score"], 20);
    assert_eq!(hall["band"], "very_high");
    assert_eq!(hall["likelihood_words"], "Almost certain");
    assert_eq!(hall["impact_words"], "Major");
    assert_eq!(hall["owner_organisation_name"], "Ty Llŷn");
    assert_eq!(hall["owner_person_name"], "Pia Partner");
    assert_eq!(hall["review_overdue"], true);
    assert_eq!(hall["status"], "open");
    assert_eq!(hall["version"], 1);
    w.add_id(json!({"title": "Volunteers tire", "category": "people", "likelihood": 2, "impact": 2, "review_on": "2099-01-01"}))
        .await;
    w.add_id(json!({"title": "Old grant", "category": "money", "likelihood": 3, "impact": 4,
                    "owner_organisation_id": w.lead, "status": "closed", "review_on": "2020-01-01"}))
        .await;

    let all = w.list("").await;
    assert_eq!(
        World::titles(&all),
        ["Hall lease ends", "Old grant", "Volunteers tire"]
    );
    assert_eq!(all["total"], 3);
    // The closed risk's review date has passed too, but it is not counted.
    assert_eq!(all["overdue_reviews"], 1);
    assert_eq!(all["items"][1]["review_overdue"], false);
    for (query, want) in [
        ("?band=very_high", vec!["Hall lease ends"]),
        ("?band=high", vec!["Old grant"]),
        ("?band=low", vec!["Volunteers tire"]),
        ("?status=closed", vec!["Old grant"]),
        ("?status=live", vec!["Hall lease ends", "Volunteers tire"]),
        (
            &format!("?owner_organisation_id={}", w.partner),
            vec!["Hall lease ends"],
        ),
        ("?review_overdue=true", vec!["Hall lease ends"]),
        ("?per_page=1&page=2", vec!["Old grant"]),
    ] {
        assert_eq!(World::titles(&w.list(query).await), want, "{query}");
    }
    assert_eq!(w.list("?per_page=1&page=2").await["total"], 3);
    let r = w
        .api(
            &w.lead_admin,
            Method::GET,
            &format!("{}?band=huge&status=x", w.risks_path()),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.json()["errors"]["band"],
        "Choose low, medium, high or very high."
    );

    // The page lists them by score, flags the overdue review in words and
    // counts it.
    let page = w
        .app
        .get(&format!("/collaborations/{}/risks", w.c), Some(&w.observer))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("3 risks in the register."),
        "{}",
        page.body
    );
    assert!(page.body.contains("1 review is overdue."));
    assert_eq!(page.body.matches("Review overdue</strong>").count(), 1);
    assert!(
        page.body
            .contains("you can read the register but not change it")
    );
    assert!(!page.body.contains("Add suggested risks"));
    let first = page.body.find("Hall lease ends").unwrap();
    assert!(first < page.body.find("Old grant").unwrap());
    assert!(page.body.find("Old grant").unwrap() < page.body.find("Volunteers tire").unwrap());
    let page = w
        .app
        .get(
            &format!("/collaborations/{}/risks?band=nope", w.c),
            Some(&w.lead_admin),
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = w
        .app
        .get(&format!("/collaborations/{}/risks", w.c), Some(&w.outsider))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = w
        .app
        .get(
            &format!("/collaborations/{}/risks/new", w.c),
            Some(&w.observer),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_change_needs_the_current_version_and_keeps_the_score_history() {
    let w = world().await;
    let rid = w
        .add_id(json!({"title": "Hall lease ends", "category": "delivery", "likelihood": 5, "impact": 4}))
        .await;
    let path = format!("/api/v1/risks/{rid}");
    let r = w
        .api(
            &w.partner_admin,
            Method::PATCH,
            &path,
            Some(json!({"likelihood": 3})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(
        r.json()["errors"]["version"],
        "Send the risk's version this change is based on."
    );
    let r = w
        .api(
            &w.partner_admin,
            Method::PATCH,
            &path,
            Some(json!({"likelihood": 3, "version": 1})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let changed = r.json();
    assert_eq!(
        (
            changed["likelihood"].clone(),
            changed["impact"].clone(),
            changed["score"].clone(),
            changed["band"].clone(),
            changed["version"].clone(),
            changed["title"].clone()
        ),
        (
            json!(3),
            json!(4),
            json!(12),
            json!("high"),
            json!(2),
            json!("Hall lease ends")
        )
    );
    // A change based on version 1 is now stale.
    let r = w
        .api(
            &w.lead_admin,
            Method::PATCH,
            &path,
            Some(json!({"impact": 1, "version": 1})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(
        r.body
            .contains("Pia Partner changed \\u201cHall lease ends\\u201d meanwhile")
            || r.body
                .contains("Pia Partner changed “Hall lease ends” meanwhile"),
        "{}",
        r.body
    );
    assert_eq!(w.risk(rid).await["impact"], 4);
    // Observers and outsiders change nothing.
    let r = w
        .api(
            &w.observer,
            Method::PATCH,
            &path,
            Some(json!({"impact": 1, "version": 2})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = w
        .api(
            &w.outsider,
            Method::PATCH,
            &path,
            Some(json!({"impact": 1, "version": 2})),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = w.api(&w.outsider, Method::GET, &path, None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // A change of the mitigation only is not a score change.
    let r = w
        .api(
            &w.lead_admin,
            Method::PATCH,
            &path,
            Some(json!({"mitigation": "Ask the council early.", "owner_organisation_id": w.lead, "version": 2})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let d = w.risk(rid).await;
    assert_eq!(d["mitigation"], "Ask the council early.");
    assert_eq!(d["owner_organisation_id"], w.lead);
    assert_eq!(d["version"], 3);
    let history = d["history"].as_array().unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0]["changed_by_name"], "Pia Partner");
    assert_eq!(
        (
            history[0]["from_likelihood"].clone(),
            history[0]["from_impact"].clone(),
            history[0]["from_score"].clone(),
            history[0]["to_likelihood"].clone(),
            history[0]["to_impact"].clone(),
            history[0]["to_score"].clone()
        ),
        (json!(5), json!(4), json!(20), json!(3), json!(4), json!(12))
    );
    // Clearing the owner with null, and closing it.
    let r = w
        .api(
            &w.lead_admin,
            Method::PATCH,
            &path,
            Some(json!({"owner_organisation_id": null, "status": "closed", "version": 3})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let d = w.risk(rid).await;
    assert_eq!(d["status"], "closed");
    assert_eq!(d["owner_organisation_id"], Value::Null);
    let audit = w.audit().await;
    assert!(
        audit.contains(&"Changed the risk “Hall lease ends”. Score 20 to 12 (high).".to_string()),
        "{audit:?}"
    );
    assert!(audit.contains(&"Closed the risk “Hall lease ends”.".to_string()));

    // The page form: a stale change is refused with what changed, bad
    // input is kept.
    let fields = |version: &'static str, likelihood: &'static str| {
        vec![
            ("title", "Hall lease ends"),
            ("category", "delivery"),
            ("likelihood", likelihood),
            ("impact", "4"),
            ("owner_organisation_id", ""),
            ("owner_person_id", ""),
            ("mitigation", "Ask the council early."),
            ("review_on", ""),
            ("status", "open"),
            ("version", version),
        ]
    };
    let page_path = format!("/risks/{rid}");
    let r = w
        .app
        .post_form(&page_path, Some(&w.partner_admin), &fields("3", "2"))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("This risk changed meanwhile"));
    let r = w
        .app
        .post_form(&page_path, Some(&w.partner_admin), &fields("4", "9"))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains("Choose the likelihood from 1 (the least) to 5 (the most).")
    );
    let r = w
        .app
        .post_form(&page_path, Some(&w.partner_admin), &fields("4", "2"))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let d = w.risk(rid).await;
    assert_eq!(
        (d["likelihood"].clone(), d["status"].clone()),
        (json!(2), json!("open"))
    );
    assert_eq!(d["history"].as_array().unwrap().len(), 2);
    let page = w.app.get(&page_path, Some(&w.observer)).await;
    assert!(
        page.body.contains("Likelihood 3, impact 4: score 12"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Likelihood 2, impact 4: score 8"));

    // Deleting: not by observers; then it is gone.
    let r = w.api(&w.observer, Method::DELETE, &path, None).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = w.api(&w.partner_admin, Method::DELETE, &path, None).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let r = w.api(&w.partner_admin, Method::GET, &path, None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(w.list("").await["total"], 0);
}

#[tokio::test]
async fn suggested_risks_are_added_once() {
    let w = world().await;
    // The partners weighed unequal power in Identify.
    let r = w
        .api(
            &w.lead_admin,
            Method::POST,
            &format!("/api/v1/collaborations/{}/benefits-risks", w.c),
            Some(json!({"catalogue_code": "unequal_power", "likelihood": 4, "impact": 5})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let weighed = r.json()["id"].as_i64().unwrap();
    let path = format!("{}/suggestions", w.risks_path());
    let sources = |v: &Value| -> Vec<String> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["source"].as_str().unwrap().to_string())
            .collect()
    };
    let s = w.api(&w.observer, Method::GET, &path, None).await.json();
    let identify = format!("identify:{weighed}");
    assert_eq!(
        sources(&s),
        [
            identify.as_str(),
            "common:overruns",
            "common:loss_of_trust",
            "common:staff_turnover",
            "common:funding_ends",
            "common:data_breach"
        ]
    );
    assert_eq!(s["items"][0]["score"], 20);
    assert_eq!(s["can_contribute"], false);
    let add = |who: &'static str, body: Value| {
        let w = &w;
        let path = path.clone();
        async move {
            let p = match who {
                "observer" => &w.observer,
                _ => &w.partner_admin,
            };
            w.api(p, Method::POST, &path, Some(body)).await
        }
    };
    let r = add("observer", json!({"sources": ["common:overruns"]})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = add("partner", json!({"sources": []})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.json()["errors"]["sources"],
        "Tick at least one suggested risk to add."
    );
    let r = add("partner", json!({"sources": ["common:nothing"]})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(w.list("").await["total"], 0);
    let r = add(
        "partner",
        json!({"sources": [identify, "common:staff_turnover", "common:staff_turnover"]}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let added = r.json();
    assert_eq!(added.as_array().unwrap().len(), 2);
    assert_eq!(added[0]["title"], "Unequal power between partners");
    assert_eq!(added[0]["source"], identify);
    assert_eq!(
        (added[0]["likelihood"].clone(), added[0]["impact"].clone()),
        (json!(4), json!(5))
    );
    assert_eq!(added[1]["title"], "Key staff leave");
    assert!(
        added[1]["mitigation"]
            .as_str()
            .unwrap()
            .starts_with("Name a second contact")
    );
    // Adding the same again adds nothing.
    let r = add(
        "partner",
        json!({"sources": [identify, "common:staff_turnover"]}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(r.json(), json!([]));
    assert_eq!(w.list("").await["total"], 2);
    let s = w
        .api(&w.partner_admin, Method::GET, &path, None)
        .await
        .json();
    assert_eq!(
        sources(&s),
        [
            "common:overruns",
            "common:loss_of_trust",
            "common:funding_ends",
            "common:data_breach"
        ]
    );
    let audit = w.audit().await;
    assert_eq!(
        audit
            .iter()
            .filter(|a| a.starts_with("Added 2 suggested risks to the risk register"))
            .count(),
        1,
        "{audit:?}"
    );

    // The page: tick one, it is added and shown.
    let page_path = format!("/collaborations/{}/risks/suggestions", w.c);
    let page = w.app.get(&page_path, Some(&w.lead_admin)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("A data protection breach"));
    assert!(!page.body.contains("Key staff leave"));
    let r = w.app.post_form(&page_path, Some(&w.lead_admin), &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Tick at least one suggested risk to add."));
    let r = w
        .app
        .post_form(
            &page_path,
            Some(&w.lead_admin),
            &[("sources", "common:data_breach")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(r.location().starts_with("/risks/"), "{}", r.location());
    let r = w
        .app
        .post_form(
            &page_path,
            Some(&w.lead_admin),
            &[("sources", "common:data_breach")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.location().ends_with("done=none_added"));
    assert_eq!(w.list("").await["total"], 3);
}

#[tokio::test]
async fn the_heat_map_counts_risks_not_closed_and_the_checklist_follows_the_register() {
    let w = world().await;
    let implement = format!("/api/v1/collaborations/{}/stages/implement", w.c);
    let item = |v: &Value| {
        v["checklist"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["key"] == "risks_managed")
            .cloned()
            .unwrap()
    };
    let check = w
        .api(&w.observer, Method::GET, &implement, None)
        .await
        .json();
    assert_eq!(
        item(&check)["detail"],
        "No risk register yet. Start one from the suggested risks."
    );
    assert_eq!(item(&check)["done"], false);
    let body = |title: &str, l: i64, i: i64, status: &str| {
        json!({"title": title, "category": "other", "likelihood": l, "impact": i, "status": status,
               "owner_organisation_id": w.lead, "mitigation": "Watch it.", "review_on": "2099-01-01"})
    };
    w.add_id(body("A", 5, 5, "open")).await;
    w.add_id(body("B", 5, 5, "being_managed")).await;
    w.add_id(body("C", 2, 1, "open")).await;
    w.add_id(body("D", 5, 5, "closed")).await;
    let check = w
        .api(&w.observer, Method::GET, &implement, None)
        .await
        .json();
    assert_eq!(item(&check)["done"], true, "{check}");
    assert_eq!(
        item(&check)["detail"],
        "4 risks in the register, 3 not closed. Each has an owner and a mitigation, and no review is overdue."
    );
    let late = w
        .add_id(json!({"title": "E", "category": "other", "likelihood": 1, "impact": 1, "review_on": "2020-01-01"}))
        .await;
    let check = w
        .api(&w.observer, Method::GET, &implement, None)
        .await
        .json();
    assert_eq!(item(&check)["done"], false);
    assert_eq!(
        item(&check)["detail"],
        "5 risks in the register, 4 not closed. 1 risk still without an owner or a mitigation. 1 review overdue."
    );
    w.api(
        &w.lead_admin,
        Method::DELETE,
        &format!("/api/v1/risks/{late}"),
        None,
    )
    .await;

    let svg_path = format!("{}/heatmap.svg", w.risks_path());
    let r = w.api(&w.observer, Method::GET, &svg_path, None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.header("content-type")
            .unwrap()
            .starts_with("image/svg+xml")
    );
    assert!(
        r.body.contains(
            "<title id=\"heatmap-title\">Risk heat map: Riverside and Llŷn together</title>"
        ),
        "{}",
        r.body
    );
    assert!(
        r.body.contains("3 risks open or being managed: 2 with likelihood 5 (almost certain) and impact 5 (severe), band very high; 1 with likelihood 2 (unlikely) and impact 1 (negligible), band low."),
        "{}",
        r.body
    );
    let r = w.api(&w.outsider, Method::GET, &svg_path, None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = w
        .app
        .get(
            &format!("/collaborations/{}/risks/heatmap.svg", w.c),
            Some(&w.partner_admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);

    // The table alternative on the page says the same.
    let page = w
        .app
        .get(
            &format!("/collaborations/{}/risks", w.c),
            Some(&w.partner_admin),
        )
        .await;
    let table = &page.body[page.body.find("id=\"heat-table\"").unwrap()..];
    let table = &table[..table.find("</table>").unwrap()];
    assert_eq!(
        table.matches("<td>2 risks (very high)</td>").count(),
        1,
        "{table}"
    );
    assert_eq!(table.matches("<td>1 risk (low)</td>").count(), 1);
    assert_eq!(table.matches("<td>0 risks").count(), 23);
    // The Implement stage page links the register.
    let page = w
        .app
        .get(
            &format!("/collaborations/{}/implement", w.c),
            Some(&w.observer),
        )
        .await;
    assert!(
        page.body
            .contains(&format!("href=\"/collaborations/{}/risks\"", w.c))
    );
    assert!(page.body.contains("Risks managed"));
}

/// The register page's content is kept by each server with the
/// collaboration's revisions and the day: every change shows at once, and
/// a review date that passes shows as overdue the next day.
#[tokio::test]
async fn the_kept_register_page_follows_every_change_and_the_day() {
    let w = world().await;
    let path = format!("/collaborations/{}/risks", w.c);
    let get = |who: &Person| {
        let w = &w;
        let path = path.clone();
        let who = who.clone();
        async move {
            let r = w.app.get(&path, Some(&who)).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
            r.body
        }
    };
    let tomorrow = common::in_days(1);
    let rid = w
        .add_id(
            json!({"title": "The grant ends", "category": "money", "likelihood": 4, "impact": 5,
                       "owner_organisation_id": w.lead, "review_on": tomorrow}),
        )
        .await;
    let page = get(&w.lead_admin).await;
    assert!(page.contains("The grant ends"), "{page}");
    assert!(page.contains("No review is overdue."), "{page}");
    assert!(page.contains("Add a risk"), "{page}");
    assert_eq!(get(&w.lead_admin).await, page, "kept");
    let watched = get(&w.observer).await;
    assert!(watched.contains("The grant ends"), "{watched}");
    assert!(!watched.contains("Add a risk"), "{watched}");
    let r = w.app.get(&path, Some(&w.outsider)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // Two days on, the review is overdue.
    w.app.state.clock.advance(2 * 86_400);
    let later = get(&w.lead_admin).await;
    w.app.state.clock.advance(-2 * 86_400);
    assert!(later.contains("1 review is overdue."), "{later}");
    assert!(get(&w.lead_admin).await.contains("No review is overdue."));

    // The score changes.
    let r = w
        .api(
            &w.partner_admin,
            Method::PATCH,
            &format!("/api/v1/risks/{rid}"),
            Some(json!({"title": "The grant ends in March", "version": 1})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let page = get(&w.observer).await;
    assert!(page.contains("The grant ends in March"), "{page}");
}
