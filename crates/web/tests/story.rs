//! The whole-story report in its three formats, through the API and the
//! pages: every section there, a Welsh name as written, the PDF read back
//! by a real reader (poppler's pdftotext), the draft mark until the story
//! is finished, health check rounds without figures when they are open or
//! had too few people answering, outsiders refused on every format, and
//! the demo's collaborations in Review giving a full report.

mod common;

use axum::http::{Method, StatusCode};
use common::{Person, TestApp};
use commonground_web::actions::story::Format;
use serde_json::{Value, json};

const WELSH: &str = "Canolfan Ŵyl Llŷn";
const DRAFT: &str = "Draft – the story is not finished";
const FORMATS: [&str; 3] = ["md", "html", "pdf"];

struct World {
    app: TestApp,
    c: i64,
    lead_admin: Person,
    lead_people: Vec<Person>,
    partner_admin: Person,
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
    let partner = app.organisation(&partner_admin, WELSH).await;
    let watching = app.organisation(&observer, "County CVS").await;
    app.organisation(&outsider, "Elsewhere Allotments").await;
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
        .collaboration(&lead_admin, lead, "Holiday meals in Llŷn")
        .await;
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
        lead_admin,
        lead_people,
        partner_admin,
        partner_people,
        observer,
        outsider,
    }
}

impl World {
    async fn call(
        &self,
        who: &Person,
        m: Method,
        path: &str,
        body: Option<Value>,
    ) -> common::TestResponse {
        let r = self.app.api(m, path, Some(&who.token), body).await;
        assert!(r.status.is_success(), "{path}: {} {}", r.status, r.body);
        r
    }

    fn in_days(&self, days: i64) -> String {
        self.app.state.clock.advance(days * 86_400);
        let d = commonground_web::actions::tasks::today(&self.app.state);
        self.app.state.clock.advance(-days * 86_400);
        d
    }

    /// Opens a round, has `who` answer every question with `value`, and
    /// closes it when `close`.
    async fn round(&self, kind: &str, who: &[&Person], value: Value, close: bool) {
        let r = self
            .call(
                &self.lead_admin,
                Method::POST,
                &format!("/api/v1/collaborations/{}/health-checks", self.c),
                Some(json!({"kind": kind, "closes_on": self.in_days(10)})),
            )
            .await;
        let hid = r.json()["id"].as_i64().unwrap();
        let detail = self
            .call(
                &self.lead_admin,
                Method::GET,
                &format!("/api/v1/health-checks/{hid}"),
                None,
            )
            .await
            .json();
        let mut answers = serde_json::Map::new();
        for q in detail["questions"].as_array().unwrap() {
            answers.insert(q["id"].as_i64().unwrap().to_string(), value.clone());
        }
        for p in who {
            self.call(
                p,
                Method::PUT,
                &format!("/api/v1/health-checks/{hid}/answers"),
                Some(json!({"answers": answers, "comment": "A comment nobody should see here"})),
            )
            .await;
        }
        if close {
            self.call(
                &self.lead_admin,
                Method::POST,
                &format!("/api/v1/health-checks/{hid}/close"),
                None,
            )
            .await;
        }
    }

    async fn report(&self, who: &Person, ext: &str) -> common::TestResponse {
        self.app
            .api(
                Method::GET,
                &format!("/api/v1/collaborations/{}/report.{ext}", self.c),
                Some(&who.token),
                None,
            )
            .await
    }

    async fn pdf(&self, who: &Person) -> Vec<u8> {
        commonground_web::actions::story::report(
            &self.app.state,
            &who.actor(&self.app),
            self.c,
            Format::Pdf,
        )
        .await
        .unwrap()
        .bytes
        .as_ref()
        .clone()
    }

    async fn aim(&self, title: &str) -> i64 {
        self.call(
            &self.lead_admin,
            Method::POST,
            &format!("/api/v1/collaborations/{}/aims", self.c),
            Some(json!({"title": title, "indicator": "Meals served", "baseline": "0", "target": "5,000", "target_date": "2027-08-31"})),
        )
        .await
        .json()["id"]
            .as_i64()
            .unwrap()
    }
}

/// Every section heading, in every format.
const HEADINGS: [&str; 10] = [
    "Purpose",
    "Partners",
    "Readiness to collaborate",
    "Aims and how they went",
    "The agreement and its approvals",
    "The plan and what was done",
    "Problems and decisions",
    "Risks",
    "Health of the partnership",
    "Lessons learned",
];

#[tokio::test]
async fn every_format_tells_the_story_without_figures_it_may_not_show() {
    let w = world().await;
    let everyone: Vec<&Person> = w
        .lead_people
        .iter()
        .chain(&w.partner_people)
        .chain([&w.lead_admin, &w.partner_admin])
        .collect();
    // Round 1: a full review, seven of eight answer, closed: figures.
    w.round("full", &everyone[..7], json!(4), true).await;
    // Round 2: a pulse only two answer, closed: too few for figures.
    w.round("pulse", &everyone[..2], json!("red"), true).await;
    // Round 3: a pulse most have answered, still open: no figures yet.
    w.round("pulse", &everyone[..5], json!("green"), false)
        .await;
    let aim = w.aim("Fewer hungry children").await;

    let before = w.app.snapshot(&[&w.lead_admin, &w.observer]).await;
    for ext in FORMATS {
        // Observers read it; outsiders are told it is not there.
        let r = w.report(&w.observer, ext).await;
        assert_eq!(r.status, StatusCode::OK, "{ext}: {}", r.body);
        let disposition = r.header("content-disposition").unwrap();
        assert!(
            disposition.starts_with(&format!(
                "{}; filename=\"holiday-meals-in-ll-n-report.{ext}\"; filename*=UTF-8''Holiday%20meals%20in%20Ll%C5%B7n%20report.{ext}",
                if ext == "html" { "inline" } else { "attachment" }
            )),
            "{disposition}"
        );
        // The file's own inline style applies (the pages' policy would
        // block it), and it may fetch nothing.
        assert_eq!(
            r.header("content-security-policy").as_deref(),
            Some(
                "default-src 'none'; style-src 'unsafe-inline'; img-src data:; \
                 frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
            )
        );
        assert_eq!(
            w.report(&w.outsider, ext).await.status,
            StatusCode::NOT_FOUND
        );
        let page = w
            .app
            .get(
                &format!("/collaborations/{}/report.{ext}", w.c),
                Some(&w.outsider),
            )
            .await;
        assert_eq!(page.status, StatusCode::NOT_FOUND);
        let page = w
            .app
            .get(
                &format!("/collaborations/{}/report.{ext}", w.c),
                Some(&w.partner_people[0]),
            )
            .await;
        assert_eq!(page.status, StatusCode::OK);
    }
    // Reading changes nothing.
    let after = w.app.snapshot(&[&w.lead_admin, &w.observer]).await;
    assert_eq!(before.differences(&after, true), None);

    let md = w.report(&w.observer, "md").await.body;
    let html = w.report(&w.observer, "html").await.body;
    let Some(pdf) = common::pdftotext(&w.pdf(&w.observer).await) else {
        return;
    };
    for (name, text) in [("md", &md), ("html", &html), ("pdf", &pdf)] {
        // Markdown escapes brackets and the like in what it quotes.
        let want = |s: &str| {
            if name == "md" {
                commonground_report::md_escape(s)
            } else {
                s.to_string()
            }
        };
        for h in HEADINGS {
            assert!(text.contains(h), "{name} lacks {h}:\n{text}");
        }
        assert!(text.contains(DRAFT), "{name} is a draft:\n{text}");
        assert!(text.contains(WELSH), "{name} has the Welsh name:\n{text}");
        assert!(text.contains("Fewer hungry children"), "{name}");
        assert!(text.contains("Not reviewed yet."), "{name}");
        // The full review's figures, with the sentence beside its chart.
        assert!(
            text.contains(&want(
                "In full review round 1 (7 people answered), every area was rated 4.0 out of 5."
            )),
            "{name}:\n{text}"
        );
        // The pulses: no chart, no table, no sentence, only why not.
        assert!(!text.contains("In quick pulse round"), "{name}");
        assert!(!text.contains("Quick pulse rounds, average"), "{name}");
        assert!(
            text.contains(&want("Round 2 (quick pulse, closing "))
                && text.contains(&want(
                    "no figures. Too few people answered to keep answers anonymous (at least 3 are needed)."
                )),
            "{name}:\n{text}"
        );
        assert!(
            text.contains(&want("Round 3 (quick pulse, closing "))
                && text.contains("figures are shown only after it closes."),
            "{name}:\n{text}"
        );
        assert!(!text.contains("A comment nobody should see here"), "{name}");
        assert!(
            text.contains("No risks are open or being managed"),
            "{name}"
        );
        assert!(
            text.contains("There is no action plan yet: no tasks have been added."),
            "{name}"
        );
    }
    assert!(md.starts_with(&format!("> **{DRAFT}**")), "{md}");
    assert!(html.contains(&format!("<p class=\"draft\" role=\"note\">{DRAFT}</p>")));
    // The HTML is one file: inline style and charts, nothing fetched.
    assert!(html.contains("<style>") && html.contains("<svg"));
    for outside in ["<link", "<script", " src=", "url(http", "@import"] {
        assert!(!html.contains(outside), "{outside}");
    }
    // Every page of the PDF carries the draft mark.
    let pages = pdf.matches(DRAFT).count();
    assert!(pages >= 2, "{pages}");

    // In Review with every aim reviewed, the draft mark goes.
    for _ in 0..3 {
        w.call(
            &w.lead_admin,
            Method::POST,
            &format!("/api/v1/collaborations/{}/stage", w.c),
            Some(json!({"direction": "forward"})),
        )
        .await;
    }
    assert!(w.report(&w.observer, "md").await.body.contains(DRAFT));
    w.call(
        &w.lead_admin,
        Method::PUT,
        &format!("/api/v1/collaborations/{}/aims-review/{aim}", w.c),
        Some(json!({"outcome": "partly", "actual": "3,200 meals", "evidence": "Counted at each site.", "links": [], "version": 0})),
    )
    .await;
    let md = w.report(&w.observer, "md").await.body;
    assert!(!md.contains("Draft"), "{md}");
    assert!(
        md.contains("How it went: Partly achieved. Actual value: 3,200 meals."),
        "{md}"
    );
    let pdf = common::pdftotext(&w.pdf(&w.observer).await).unwrap();
    assert!(!pdf.contains("Draft"), "{pdf}");
    assert!(pdf.contains("How it went: Partly achieved."), "{pdf}");
}

/// The report page says what the report holds and links every format;
/// the Review stage page and the collaboration page link to it.
#[tokio::test]
async fn the_pages_link_to_the_report() {
    let w = world().await;
    let page = w
        .app
        .get(
            &format!("/collaborations/{}/report", w.c),
            Some(&w.observer),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    for ext in FORMATS {
        assert!(
            page.body
                .contains(&format!("href=\"/collaborations/{}/report.{ext}\"", w.c)),
            "{ext}"
        );
    }
    assert!(page.body.contains("The report is a draft"));
    assert!(page.body.contains("No shared aims have been set yet."));
    assert_eq!(
        w.app
            .get(
                &format!("/collaborations/{}/report", w.c),
                Some(&w.outsider)
            )
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    for path in [
        format!("/collaborations/{}/review", w.c),
        format!("/collaborations/{}", w.c),
    ] {
        let p = w.app.get(&path, Some(&w.partner_admin)).await;
        assert!(
            p.body
                .contains(&format!("href=\"/collaborations/{}/report\"", w.c)),
            "{path}"
        );
    }
}

/// The demo's collaborations in Review give a full report: every section
/// with content, charts with their sentences, the health checks' figures.
#[tokio::test]
async fn the_demo_collaborations_in_review_give_a_full_report() {
    use commonground_domain::stage::Stage;
    let app = TestApp::new().await;
    let summary = app.demo(200).await;
    let mut in_review = 0;
    for c in 1..=summary.collaborations {
        let mut tx = app.state.store.read().await.unwrap();
        let mut member = None;
        for user in 1..=summary.people {
            if tx.collab_scope(user, c).await.unwrap().is_some() {
                member = Some(user);
                break;
            }
        }
        let user = member.expect("someone takes part");
        let user = tx.user(user).await.unwrap().unwrap();
        let scope = tx.collab_scope(user.id, c).await.unwrap().unwrap();
        if tx.collaboration(&scope).await.unwrap().stage != Stage::Review {
            continue;
        }
        drop(tx);
        in_review += 1;
        let actor = commonground_web::auth::Actor {
            user,
            acting_organisation_id: None,
            organisations: None,
        };
        let md = commonground_web::actions::story::report(&app.state, &actor, c, Format::Markdown)
            .await
            .unwrap();
        let md = String::from_utf8(md.bytes.as_ref().clone()).unwrap();
        for h in HEADINGS {
            assert!(md.contains(&format!("## {h}")), "{h}");
        }
        for empty in [
            "No readiness check was done.",
            "No shared aims were set.",
            "Not reviewed yet.",
            "No agreement was drawn up.",
            "There is no action plan yet",
            "No risks are open",
            "No health check was run.",
            "No lessons were recorded.",
        ] {
            assert!(!md.contains(empty), "collaboration {c}: {empty}\n{md}");
        }
        assert!(md.contains("How it went: "), "{md}");
        assert!(md.contains("approved version"), "{md}");
        assert!(
            md.contains("Timeline: ") && md.contains(" overdue and "),
            "{md}"
        );
        assert!(
            md.contains("Heat map: ") && md.contains("risks are open or being managed"),
            "{md}"
        );
        assert!(md.contains("Chart: In "), "{md}");
        assert!(md.contains("### Identify"), "{md}");
        let pdf = commonground_web::actions::story::report(&app.state, &actor, c, Format::Pdf)
            .await
            .unwrap();
        assert!(pdf.bytes.starts_with(b"%PDF"));
        let html = commonground_web::actions::story::report(&app.state, &actor, c, Format::Html)
            .await
            .unwrap();
        let html = String::from_utf8(html.bytes.as_ref().clone()).unwrap();
        assert_eq!(
            html.matches("<figcaption>").count(),
            html.matches("<svg").count()
        );
        assert!(
            html.matches("<svg").count() >= 3,
            "timeline, heat map, radar"
        );
    }
    assert!(in_review > 0, "the demo has collaborations in Review");
}
