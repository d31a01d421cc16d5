//! The action plan, continued: task descriptions as safe Markdown and the
//! aim a task serves; calendar feeds with their own secret addresses;
//! recurring tasks. Who may do what is also in the access tables.

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
    lead_admin: Person,
    partner_admin: Person,
    outsider: Person,
}

async fn world() -> World {
    let app = TestApp::new().await;
    let lead_admin = app.quick_person("Lena Lead").await;
    let partner_admin = app.quick_person("Pia Partner").await;
    let outsider = app.quick_person("Otto Outsider").await;
    let lead = app.organisation(&lead_admin, "Riverside Food Bank").await;
    let partner = app.organisation(&partner_admin, "Ty Llŷn").await;
    let elsewhere = app.organisation(&outsider, "Elsewhere Allotments").await;
    let c = app
        .collaboration(&lead_admin, lead, "Riverside and Llŷn together")
        .await;
    let inv = app.invite(&lead_admin, c, partner, "partner").await;
    app.accept(&partner_admin, inv).await;
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

    async fn add_task(&self, who: &Person, body: Value) -> common::TestResponse {
        self.api(
            who,
            Method::POST,
            &format!("/api/v1/collaborations/{}/tasks", self.c),
            Some(body),
        )
        .await
    }

    async fn task(&self, tid: i64) -> Value {
        let r = self
            .api(
                &self.lead_admin,
                Method::GET,
                &format!("/api/v1/tasks/{tid}"),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        r.json()
    }

    async fn aim(&self, who: &Person, c: i64, title: &str) -> i64 {
        let r = self
            .api(
                who,
                Method::POST,
                &format!("/api/v1/collaborations/{c}/aims"),
                Some(json!({"title": title, "indicator": "Families reached"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        r.json()["id"].as_i64().unwrap()
    }
}

#[tokio::test]
async fn a_description_is_safe_markdown_and_a_task_serves_an_aim_of_its_own_collaboration() {
    let w = world().await;
    let aim = w.aim(&w.lead_admin, w.c, "Fewer hungry children").await;
    let foreign_aim = w.aim(&w.outsider, w.foreign, "More allotments").await;
    let description = "Book the **big hall**.\n\n- [the booking form](https://example.org/book)\n- <script>alert('x')</script>\n- [click me](javascript:alert(1))\n\n<img src=x onerror=alert(2)>";

    // An aim of another collaboration, or none at all, is refused on the
    // field, and nothing is added.
    for bad in [foreign_aim, 999_999] {
        let r = w
            .add_task(
                &w.partner_admin,
                json!({"title": "Book the hall", "owner_organisation_id": w.partner, "aim_id": bad}),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(
            r.json()["errors"],
            json!({"aim_id": "Choose one of this collaboration's aims, or none."})
        );
    }
    let list = w
        .api(
            &w.lead_admin,
            Method::GET,
            &format!("/api/v1/collaborations/{}/tasks", w.c),
            None,
        )
        .await;
    assert_eq!(list.json()["total"], 0);

    let r = w
        .add_task(
            &w.partner_admin,
            json!({"title": "Book the hall", "owner_organisation_id": w.partner,
                   "aim_id": aim, "description": description, "due_on": "2027-03-01"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let tid = r.json()["id"].as_i64().unwrap();
    assert_eq!(r.json()["aim_id"], aim);
    assert_eq!(r.json()["aim_title"], "Fewer hungry children");
    let t = w.task(tid).await;
    assert_eq!(t["aim_id"], aim);
    assert_eq!(t["description"], description);

    // The page shows the aim and the description as Markdown, with the
    // raw HTML as text and the script link made harmless.
    let page = w
        .app
        .get(&format!("/tasks/{tid}"), Some(&w.lead_admin))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("<strong>big hall</strong>"),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains(r#"<a href="https://example.org/book">the booking form</a>"#)
    );
    assert!(page.body.contains(r##"<a href="#">click me</a>"##));
    assert!(
        page.body
            .contains("&lt;script&gt;alert('x')&lt;/script&gt;")
    );
    assert!(page.body.contains("&lt;img src=x onerror=alert(2)&gt;"));
    assert!(!page.body.contains("<script>alert"));
    assert!(!page.body.contains("href=\"javascript:"));
    assert!(!page.body.contains("<img src=x"));
    assert!(page.body.contains(&format!(
        r#"<a href="/collaborations/{}/aims">Fewer hungry children</a>"#,
        w.c
    )));
    // The form offers the collaboration's aims, chosen.
    assert!(
        page.body.contains(&format!(
            r#"<option value="{aim}" selected>Fewer hungry children</option>"#
        )),
        "{}",
        page.body
    );
    assert!(!page.body.contains("More allotments"));

    // Changing it: another collaboration's aim is refused on the form, with
    // the input kept; clearing it is fine.
    let version = t["version"].as_i64().unwrap().to_string();
    let foreign_str = foreign_aim.to_string();
    let lead_str = w.lead.to_string();
    let r = w
        .app
        .post_form(
            &format!("/tasks/{tid}"),
            Some(&w.lead_admin),
            &[
                ("title", "Book the big hall"),
                ("owner_organisation_id", &lead_str),
                ("aim_id", &foreign_str),
                ("version", &version),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains("Choose one of this collaboration&#39;s aims, or none.")
            || r.body
                .contains("Choose one of this collaboration's aims, or none."),
        "{}",
        r.body
    );
    assert!(r.body.contains(r#"value="Book the big hall""#));
    assert_eq!(w.task(tid).await["aim_id"], aim);
    let r = w
        .api(
            &w.lead_admin,
            Method::PUT,
            &format!("/api/v1/tasks/{tid}"),
            Some(json!({"title": "Book the big hall", "owner_organisation_id": w.lead, "version": t["version"], "aim_id": foreign_aim})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.json()["errors"]["aim_id"],
        "Choose one of this collaboration's aims, or none."
    );
    let r = w
        .api(
            &w.lead_admin,
            Method::PUT,
            &format!("/api/v1/tasks/{tid}"),
            Some(json!({"title": "Book the big hall", "owner_organisation_id": w.lead, "version": t["version"], "aim_id": null})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["aim_id"], Value::Null);
    let t = w.task(tid).await;
    assert_eq!(t["aim_id"], Value::Null);
    assert_eq!(t["aim_title"], Value::Null);
    let r = w
        .api(
            &w.lead_admin,
            Method::PUT,
            &format!("/api/v1/tasks/{tid}"),
            Some(json!({"title": "Book the big hall", "owner_organisation_id": w.lead, "version": t["version"], "aim_id": aim})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(w.task(tid).await["aim_title"], "Fewer hungry children");
}
