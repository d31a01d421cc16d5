//! The agreement builder through the API and the pages: starting one from
//! what the collaboration holds, saving sections (a stale save refused with
//! the other text, nothing lost, also when two saves race), versions and
//! differences, comments, approval by every lead and partner organisation
//! (reopened by an edit or a partner joining), exports in Markdown, HTML and
//! PDF (read back with pdftotext, Welsh names included), and who may do what.

mod common;

use axum::http::{Method, StatusCode};
use common::{Person, TestApp, TestResponse};
use serde_json::{Value, json};

const WELSH: &str = "Cymdeithas Gymunedol Llanfair-ym-Muallt Ŵyl Ŷd â";

struct World {
    app: TestApp,
    c: i64,
    lead: i64,
    partner: i64,
    third: i64,
    lead_admin: Person,
    lead_member: Person,
    partner_admin: Person,
    observer: Person,
    outsider: Person,
    third_admin: Person,
}

async fn world() -> World {
    let app = TestApp::new().await;
    let lead_admin = app.quick_person("Lena Lead").await;
    let lead_member = app.quick_person("Liam Lead").await;
    let partner_admin = app.quick_person("Pia Partner").await;
    let observer = app.quick_person("Oona Observer").await;
    let outsider = app.quick_person("Otto Outsider").await;
    let third_admin = app.quick_person("Tess Third").await;
    let lead = app.organisation(&lead_admin, "Riverside Food Bank").await;
    app.join(&lead_member, lead, false).await;
    let partner = app.organisation(&partner_admin, WELSH).await;
    let watching = app.organisation(&observer, "County CVS").await;
    app.organisation(&outsider, "Elsewhere Allotments").await;
    let third = app.organisation(&third_admin, "Third Sector Trust").await;
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
        third,
        lead_admin,
        lead_member,
        partner_admin,
        observer,
        outsider,
        third_admin,
    }
}

impl World {
    async fn call(
        &self,
        who: Option<&Person>,
        m: Method,
        path: &str,
        body: Option<Value>,
    ) -> TestResponse {
        self.app
            .api(m, path, who.map(|p| p.token.as_str()), body)
            .await
    }

    async fn start(&self, kind: &str) -> i64 {
        let r = self
            .call(
                Some(&self.lead_member),
                Method::POST,
                &format!("/api/v1/collaborations/{}/agreements", self.c),
                Some(json!({"kind": kind})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        assert_eq!(r.json()["version"], 1);
        r.json()["id"].as_i64().unwrap()
    }

    async fn read(&self, aid: i64) -> Value {
        let r = self
            .call(
                Some(&self.observer),
                Method::GET,
                &format!("/api/v1/agreements/{aid}"),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        r.json()
    }

    async fn save(&self, who: &Person, aid: i64, key: &str, text: &str, base: i64) -> TestResponse {
        self.call(
            Some(who),
            Method::PUT,
            &format!("/api/v1/agreements/{aid}/sections/{key}"),
            Some(json!({"text": text, "base_version": base})),
        )
        .await
    }

    async fn approve(&self, who: &Person, aid: i64, version: i64) -> TestResponse {
        self.call(
            Some(who),
            Method::POST,
            &format!("/api/v1/agreements/{aid}/approvals"),
            Some(json!({"version": version})),
        )
        .await
    }

    async fn store_says_agreed(&self) -> bool {
        let mut tx = self.app.state.store.read().await.unwrap();
        let scope = tx
            .collab_scope(self.lead_admin.id, self.c)
            .await
            .unwrap()
            .unwrap();
        tx.some_agreement_agreed(&scope).await.unwrap()
    }
}

fn section<'a>(a: &'a Value, key: &str) -> &'a Value {
    a["sections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["key"] == key)
        .unwrap_or_else(|| panic!("no section {key}"))
}

fn waiting(a: &Value) -> Vec<(i64, bool)> {
    a["waiting"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            (
                w["organisation_id"].as_i64().unwrap(),
                w["again"].as_bool().unwrap(),
            )
        })
        .collect()
}

#[tokio::test]
async fn an_agreement_starts_from_what_the_collaboration_holds() {
    let w = world().await;
    // An aim first, so the aims section can name it.
    let r = w
        .call(
            Some(&w.lead_member),
            Method::POST,
            &format!("/api/v1/collaborations/{}/aims", w.c),
            Some(json!({"title": "Fewer hungry children", "indicator": "Meals served", "target": "5,000", "target_date": "2027-08-31"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);

    let list = format!("/api/v1/collaborations/{}/agreements", w.c);
    // Bad kinds, observers and outsiders are refused; nothing is made.
    let r = w
        .call(
            Some(&w.lead_member),
            Method::POST,
            &list,
            Some(json!({"kind": "treaty"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["errors"]["kind"].is_string());
    let kind = json!({"kind": "collaboration_agreement"});
    assert_eq!(
        w.call(Some(&w.observer), Method::POST, &list, Some(kind.clone()))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        w.call(Some(&w.outsider), Method::POST, &list, Some(kind.clone()))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let r = w.call(Some(&w.lead_member), Method::GET, &list, None).await;
    assert_eq!(r.json().as_array().unwrap().len(), 0);

    for kind in [
        "memorandum_of_understanding",
        "collaboration_agreement",
        "consortium_agreement",
        "data_sharing_agreement",
    ] {
        let aid = w.start(kind).await;
        let a = w.read(aid).await;
        assert_eq!(a["kind"], kind);
        assert_eq!(a["version"], 1);
        assert_eq!(a["status"], "draft");
        assert_eq!(a["content_hash"].as_str().unwrap().len(), 64);
        let sections = a["sections"].as_array().unwrap();
        assert_eq!(sections.len(), 20);
        assert_eq!(sections[0]["key"], "parties");
        assert_eq!(sections[19]["key"], "whether_binding");
        let parties = section(&a, "parties")["text"].as_str().unwrap();
        assert!(
            parties.contains("**Riverside Food Bank**, the lead organisation"),
            "{parties}"
        );
        assert!(parties.contains(&format!("**{WELSH}**")), "{parties}");
        assert!(!parties.contains("County CVS"), "observers are not parties");
        let aims = section(&a, "aims")["text"].as_str().unwrap();
        assert!(
            aims.contains(
                "**Fewer hungry children**: measured by Meals served, to 5,000 by 2027-08-31."
            ),
            "{aims}"
        );
        let binding = section(&a, "whether_binding")["text"].as_str().unwrap();
        assert_eq!(
            binding.contains("not legally binding"),
            kind == "memorandum_of_understanding"
        );
        let data = section(&a, "confidentiality_and_data_protection")["text"]
            .as_str()
            .unwrap();
        assert_eq!(
            data.contains("lawful basis"),
            kind == "data_sharing_agreement"
        );
        assert_eq!(waiting(&a), vec![(w.lead, false), (w.partner, false)]);
    }
    let r = w.call(Some(&w.lead_member), Method::GET, &list, None).await;
    assert_eq!(r.json().as_array().unwrap().len(), 4);

    // The agreement's own address still needs the collaboration.
    let aid = r.json()[0]["id"].as_i64().unwrap();
    let one = format!("/api/v1/agreements/{aid}");
    assert_eq!(
        w.call(Some(&w.outsider), Method::GET, &one, None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        w.call(None, Method::GET, &one, None).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        w.call(
            Some(&w.lead_member),
            Method::GET,
            "/api/v1/agreements/999999",
            None
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_stale_save_is_refused_with_the_newer_text_and_nothing_is_lost() {
    let w = world().await;
    let aid = w.start("collaboration_agreement").await;

    // Bad input.
    let r = w
        .save(&w.lead_member, aid, "term", &"x".repeat(20_001), 1)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["errors"]["text"].is_string());
    let r = w.save(&w.lead_member, aid, "term", "Two years.", 0).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = w.save(&w.lead_member, aid, "term", "Two years.", 5).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.json()["errors"]["base_version"].is_string());
    assert_eq!(
        w.save(&w.lead_member, aid, "no_such_section", "x", 1)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        w.save(&w.observer, aid, "term", "x", 1).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        w.save(&w.outsider, aid, "term", "x", 1).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(w.read(aid).await["version"], 1);

    // Two people open version 1. The partner saves first.
    let r = w
        .save(
            &w.partner_admin,
            aid,
            "term",
            "Two years from the start.",
            1,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["version"], 2);
    assert_eq!(r.json()["changed"], true);
    let hash2 = r.json()["content_hash"].as_str().unwrap().to_string();
    // The lead member's save, also based on version 1, is refused with the
    // partner's text and their own.
    let r = w.save(&w.lead_member, aid, "term", "Three years.", 1).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert_eq!(
        r.header("content-type").as_deref(),
        Some("application/problem+json")
    );
    let c = r.json();
    assert_eq!(c["current"]["text"], "Two years from the start.");
    assert_eq!(c["current"]["changed_in_version"], 2);
    assert_eq!(c["your_text"], "Three years.");
    assert_eq!(c["saved_by_name"], "Pia Partner");
    assert_eq!(c["version"], 2);
    let a = w.read(aid).await;
    assert_eq!(section(&a, "term")["text"], "Two years from the start.");
    assert_eq!(a["version"], 2);
    assert_eq!(a["content_hash"], hash2.as_str());
    // A change to another section from the old version is not a conflict:
    // it is kept alongside.
    let r = w
        .save(&w.lead_member, aid, "staff", "Each keeps its own staff.", 1)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["version"], 3);
    // The merged text, based on the version that has the partner's change.
    let r = w
        .save(
            &w.lead_member,
            aid,
            "term",
            "Two years from the start, then yearly.",
            2,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["version"], 4);
    // The same text again makes no new version.
    let r = w
        .save(
            &w.lead_member,
            aid,
            "term",
            "Two years from the start, then yearly.",
            4,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["changed"], false);
    assert_eq!(r.json()["version"], 4);
    let a = w.read(aid).await;
    assert_eq!(
        section(&a, "term")["text"],
        "Two years from the start, then yearly."
    );
    assert_eq!(section(&a, "staff")["text"], "Each keeps its own staff.");

    // Every version is kept: differences between any two.
    let diff = |from: &str, to: &str| {
        let w = &w;
        let path = format!("/api/v1/agreements/{aid}/diff?from={from}&to={to}");
        async move { w.call(Some(&w.observer), Method::GET, &path, None).await }
    };
    let r = diff("1", "4").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let d = r.json();
    let keys: Vec<&str> = d["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, vec!["staff", "term"]);
    let term = &d["sections"][1]["lines"];
    assert!(
        term.as_array().unwrap().iter().any(
            |l| l["change"] == "added" && l["text"] == "Two years from the start, then yearly."
        )
    );
    assert!(
        term.as_array()
            .unwrap()
            .iter()
            .any(|l| l["change"] == "removed")
    );
    let r = diff("2", "3").await;
    let d = r.json();
    assert_eq!(d["sections"].as_array().unwrap().len(), 1);
    assert_eq!(d["sections"][0]["key"], "staff");
    let r = diff("", "").await;
    assert_eq!(
        (r.json()["from"].as_i64(), r.json()["to"].as_i64()),
        (Some(3), Some(4))
    );
    assert_eq!(
        diff("0", "4").await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        diff("1", "5").await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        diff("x", "4").await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert!(
        diff("3", "3").await.json()["sections"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

/// Two writers at once from the same version: exactly one is saved, the
/// other refused with the saved text; the saved text is the winner's.
#[tokio::test]
async fn two_writers_at_once_one_wins_and_the_other_is_told() {
    let w = world().await;
    let aid = w.start("memorandum_of_understanding").await;
    for round in 0..5 {
        let base = w.read(aid).await["version"].as_i64().unwrap();
        let (a_text, b_text) = (
            format!("Lead text {round}"),
            format!("Partner text {round}"),
        );
        let (a, b) = tokio::join!(
            w.save(&w.lead_member, aid, "principles", &a_text, base),
            w.save(&w.partner_admin, aid, "principles", &b_text, base),
        );
        let mut statuses = [a.status.as_u16(), b.status.as_u16()];
        statuses.sort();
        assert_eq!(statuses, [200, 409], "{} / {}", a.body, b.body);
        let (winner, loser, loser_text) = if a.status == StatusCode::OK {
            (&a_text, &b, &b_text)
        } else {
            (&b_text, &a, &a_text)
        };
        assert_eq!(loser.json()["current"]["text"], winner.as_str());
        assert_eq!(loser.json()["your_text"], loser_text.as_str());
        let now = w.read(aid).await;
        assert_eq!(section(&now, "principles")["text"], winner.as_str());
        assert_eq!(now["version"].as_i64().unwrap(), base + 1);
    }
}

#[tokio::test]
async fn agreed_only_when_every_partner_approved_the_current_version() {
    let w = world().await;
    let aid = w.start("collaboration_agreement").await;
    assert!(!w.store_says_agreed().await);

    // Only admins of lead and partner organisations approve.
    assert_eq!(
        w.approve(&w.lead_member, aid, 1).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        w.approve(&w.observer, aid, 1).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        w.approve(&w.outsider, aid, 1).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        w.approve(&w.partner_admin, aid, 2).await.status,
        StatusCode::CONFLICT
    );
    assert_eq!(
        w.approve(&w.partner_admin, aid, 0).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );

    let r = w.approve(&w.partner_admin, aid, 1).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let a = r.json();
    assert_eq!(a["status"], "draft");
    assert_eq!(waiting(&a), vec![(w.lead, false)]);
    let given = &a["approvals"][0];
    assert_eq!(given["organisation_name"], WELSH);
    assert_eq!(given["approved_by_name"], "Pia Partner");
    assert_eq!(given["version"], 1);
    assert_eq!(given["content_hash"], a["content_hash"]);
    assert_eq!(given["current"], true);
    assert_eq!(
        w.approve(&w.partner_admin, aid, 1).await.status,
        StatusCode::CONFLICT
    );
    let r = w.approve(&w.lead_admin, aid, 1).await;
    assert_eq!(r.json()["status"], "agreed");
    assert_eq!(w.read(aid).await["status"], "agreed");
    assert!(w.store_says_agreed().await);

    // An edit reopens it: both must approve again, and the old version
    // can no longer be approved.
    let r = w
        .save(
            &w.lead_member,
            aid,
            "money_and_resources",
            "Each pays its own costs.",
            1,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let a = w.read(aid).await;
    assert_eq!(a["status"], "draft");
    assert_eq!(waiting(&a), vec![(w.lead, true), (w.partner, true)]);
    assert!(
        a["approvals"]
            .as_array()
            .unwrap()
            .iter()
            .all(|x| x["current"] == false)
    );
    assert!(!w.store_says_agreed().await);
    assert_eq!(
        w.approve(&w.lead_admin, aid, 1).await.status,
        StatusCode::CONFLICT
    );
    assert_eq!(
        w.approve(&w.lead_admin, aid, 2).await.status,
        StatusCode::CREATED
    );
    assert_eq!(
        w.approve(&w.partner_admin, aid, 2).await.json()["status"],
        "agreed"
    );

    // A partner joining reopens it; the newcomer must approve too.
    let inv = w.app.invite(&w.lead_admin, w.c, w.third, "partner").await;
    w.app.accept(&w.third_admin, inv).await;
    let a = w.read(aid).await;
    assert_eq!(a["status"], "draft");
    assert_eq!(
        waiting(&a),
        vec![(w.lead, true), (w.partner, true), (w.third, false)]
    );
    for who in [&w.lead_admin, &w.partner_admin, &w.third_admin] {
        assert_eq!(w.approve(who, aid, 2).await.status, StatusCode::CREATED);
    }
    assert_eq!(w.read(aid).await["status"], "agreed");
    // The lead removing a partner reopens it too.
    let r = w
        .call(
            Some(&w.lead_admin),
            Method::DELETE,
            &format!("/api/v1/collaborations/{}/participants/{}", w.c, w.third),
            None,
        )
        .await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    let a = w.read(aid).await;
    assert_eq!(a["status"], "draft");
    assert_eq!(waiting(&a), vec![(w.lead, true), (w.partner, true)]);
}

#[tokio::test]
async fn comments_are_kept_with_their_version() {
    let w = world().await;
    let aid = w.start("consortium_agreement").await;
    let path = format!("/api/v1/agreements/{aid}/sections/term/comments");
    let r = w
        .call(
            Some(&w.partner_admin),
            Method::POST,
            &path,
            Some(json!({"body": "  "})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["errors"]["body"].is_string());
    assert_eq!(
        w.call(
            Some(&w.observer),
            Method::POST,
            &path,
            Some(json!({"body": "Hi"}))
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        w.call(
            Some(&w.lead_member),
            Method::POST,
            &format!("/api/v1/agreements/{aid}/sections/nope/comments"),
            Some(json!({"body": "Hi"}))
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    let r = w
        .call(
            Some(&w.partner_admin),
            Method::POST,
            &path,
            Some(json!({"body": "Is two years <enough>?"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()["version"], 1);
    assert_eq!(r.json()["organisation_name"], WELSH);
    let a = w.read(aid).await;
    assert_eq!(a["comments"].as_array().unwrap().len(), 1);
    assert_eq!(a["comments"][0]["body"], "Is two years <enough>?");
    assert_eq!(a["comments"][0]["section_key"], "term");
    // On the page, escaped.
    let page = w
        .app
        .get(
            &format!("/agreements/{aid}/sections/term"),
            Some(&w.observer),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Is two years &lt;enough&gt;?"));
    assert!(
        !page.body.contains("name=\"body\""),
        "observers get no comment form"
    );
}

#[tokio::test]
async fn exports_list_approvals_and_mark_drafts() {
    let w = world().await;
    let aid = w.start("collaboration_agreement").await;
    let r = w
        .save(
            &w.lead_member,
            aid,
            "principles",
            "We act **openly**.\n\n<script>alert(1)</script>",
            1,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let get = |ext: &str| {
        let w = &w;
        let path = format!("/api/v1/agreements/{aid}/export.{ext}");
        async move { w.call(Some(&w.observer), Method::GET, &path, None).await }
    };
    let md = get("md").await;
    assert_eq!(md.status, StatusCode::OK);
    assert_eq!(
        md.header("content-type").as_deref(),
        Some("text/markdown; charset=utf-8")
    );
    assert!(
        md.header("content-disposition")
            .unwrap()
            .contains("agreement-")
    );
    assert!(
        md.body.starts_with("> **Draft – not agreed**"),
        "{}",
        md.body
    );
    assert!(md.body.contains("## 4. Principles\n\nWe act **openly**."));
    assert!(
        md.body
            .contains("No organisation has approved this version yet.")
    );
    let html = get("html").await;
    assert!(
        html.body
            .contains("<p class=\"draft\" role=\"note\">Draft – not agreed</p>")
    );
    assert!(html.body.contains("<strong>openly</strong>"));
    assert!(!html.body.contains("<script>"), "raw HTML is shown as text");

    for who in [&w.partner_admin, &w.lead_admin] {
        assert_eq!(w.approve(who, aid, 2).await.status, StatusCode::CREATED);
    }
    let md = get("md").await;
    assert!(!md.body.contains("Draft"), "{}", md.body);
    assert!(
        md.body
            .contains("Agreed: version 2 approved by every partner organisation.")
    );
    assert!(
        md.body
            .contains(&format!("- {} approved version 2 on ", common_md(WELSH))),
        "{}",
        md.body
    );
    assert!(md.body.contains("by Lena Lead"));
    let html = get("html").await;
    assert!(!html.body.contains("Draft"));
    assert!(
        html.body
            .contains(&format!("{WELSH} approved version 2 on "))
    );

    let pdf = get("pdf").await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert_eq!(
        pdf.header("content-type").as_deref(),
        Some("application/pdf")
    );
    // The page route gives the same to a signed-in person.
    let page = w
        .app
        .get(
            &format!("/agreements/{aid}/export.pdf"),
            Some(&w.partner_admin),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        w.app
            .get(&format!("/agreements/{aid}/export.pdf"), Some(&w.outsider))
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // Read the PDF with a real reader: the body above was read lossily as
    // text, so fetch the bytes again.
    let bytes = pdf_bytes(&w, aid).await;
    let Some(text) = common::pdftotext(&bytes) else {
        return;
    };
    assert!(text.contains("Collaboration agreement"), "{text}");
    assert!(
        text.contains("Agreed: version 2 approved by every partner organisation."),
        "{text}"
    );
    assert!(
        text.contains(WELSH),
        "the Welsh name comes out as written:\n{text}"
    );
    assert!(text.contains("We act openly."), "{text}");
    assert!(
        text.contains("Riverside Food Bank approved version 2"),
        "{text}"
    );
    assert!(!text.contains("Draft"));

    // A later edit makes it a draft again, and the PDF says so.
    assert_eq!(
        w.save(&w.lead_member, aid, "term", "One year.", 2)
            .await
            .status,
        StatusCode::OK
    );
    let text = common::pdftotext(&pdf_bytes(&w, aid).await).unwrap();
    assert!(text.contains("Draft – not agreed"), "{text}");
    assert!(
        text.contains(&format!("{WELSH} has not approved this version yet.")),
        "{text}"
    );
}

/// Markdown escapes what it must in names.
fn common_md(s: &str) -> String {
    commonground_report::md_escape(s)
}

async fn pdf_bytes(w: &World, aid: i64) -> Vec<u8> {
    use axum::body::Body;
    use axum::http::{Request, header};
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let req = Request::builder()
        .uri(format!("/api/v1/agreements/{aid}/export.pdf"))
        .header(
            header::AUTHORIZATION,
            format!("Bearer {}", w.lead_member.token),
        )
        .body(Body::empty())
        .unwrap();
    let res = w.app.router.clone().oneshot(req).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let bytes = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    assert!(bytes.starts_with(b"%PDF"));
    bytes
}

#[tokio::test]
async fn the_pages_edit_merge_approve_and_compare() {
    let w = world().await;
    // Start from the page.
    let list = format!("/collaborations/{}/agreements", w.c);
    let r = w.app.get(&list, Some(&w.observer)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body
            .contains("you can read agreements but not start or change them")
    );
    let r = w
        .app
        .post_form(&list, Some(&w.lead_member), &[("kind", "nonsense")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = w
        .app
        .post_form(
            &list,
            Some(&w.lead_member),
            &[("kind", "memorandum_of_understanding")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let at = r.location();
    let aid: i64 = at
        .trim_start_matches("/agreements/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let page = w.app.get(&at, Some(&w.partner_admin)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Memorandum of understanding"));
    assert!(page.body.contains("Draft – not agreed"));
    assert!(
        page.body
            .contains(&format!("Approve version 1 for {WELSH}"))
    );

    // Both open the section at version 1; the partner saves first.
    let sec = format!("/agreements/{aid}/sections/scope_and_activities");
    let r = w.app.get(&sec, Some(&w.lead_member)).await;
    assert!(r.body.contains("name=\"base_version\" value=\"1\""));
    let r = w
        .app
        .post_form(
            &sec,
            Some(&w.partner_admin),
            &[
                ("text", "Holiday clubs in **three** towns."),
                ("base_version", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = w
        .app
        .post_form(
            &sec,
            Some(&w.lead_member),
            &[
                ("text", "Holiday clubs in two towns, with meals."),
                ("base_version", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    // Both texts side by side; theirs shown as written, mine kept in the
    // form, which is now based on the version with their change.
    assert!(r.body.contains("Someone else changed this section first"));
    assert!(r.body.contains("Holiday clubs in **three** towns."));
    assert!(
        r.body
            .contains(">Holiday clubs in two towns, with meals.</textarea>")
    );
    assert!(r.body.contains("name=\"base_version\" value=\"2\""));
    let r = w
        .app
        .post_form(
            &sec,
            Some(&w.lead_member),
            &[
                ("text", "Holiday clubs in three towns, with meals."),
                ("base_version", "2"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = w
        .app
        .get(&format!("/agreements/{aid}"), Some(&w.observer))
        .await;
    assert!(
        page.body
            .contains("Holiday clubs in three towns, with meals.")
    );

    // Approve from the page: the partner, then the lead.
    let approve = format!("/agreements/{aid}/approve");
    let r = w
        .app
        .post_form(&approve, Some(&w.partner_admin), &[("version", "2")])
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "an old version");
    assert!(r.body.contains("it is now at version 3"));
    for who in [&w.partner_admin, &w.lead_admin] {
        let r = w
            .app
            .post_form(&approve, Some(who), &[("version", "3")])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
    }
    let page = w
        .app
        .get(&format!("/agreements/{aid}"), Some(&w.observer))
        .await;
    assert!(
        page.body
            .contains("Every lead and partner organisation has approved version 3.")
    );
    // An edit reopens it, and the page says who must approve again.
    let r = w
        .app
        .post_form(
            &sec,
            Some(&w.lead_member),
            &[
                ("text", "Holiday clubs in four towns."),
                ("base_version", "3"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = w
        .app
        .get(&format!("/agreements/{aid}"), Some(&w.observer))
        .await;
    assert!(page.body.contains("must approve again"));
    assert!(page.body.contains("Draft – not agreed"));

    // Compare versions.
    let r = w
        .app
        .get(
            &format!("/agreements/{aid}/diff?from=1&to=4"),
            Some(&w.observer),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body
            .contains("Added: </span>Holiday clubs in four towns."),
        "{}",
        r.body
    );
    let r = w
        .app
        .get(
            &format!("/agreements/{aid}/diff?from=9&to=4"),
            Some(&w.observer),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // The collaboration page links the Plan parts.
    let r = w
        .app
        .get(&format!("/collaborations/{}", w.c), Some(&w.observer))
        .await;
    assert!(
        r.body
            .contains(&format!("href=\"/collaborations/{}/agreements\"", w.c))
    );
    assert!(
        r.body
            .contains(&format!("href=\"/collaborations/{}/aims\"", w.c))
    );
}

/// Fifty saves and more: every version can still be read back exactly,
/// because each save stores only the section it changed.
#[tokio::test]
async fn many_versions_read_back_exactly() {
    let w = world().await;
    let aid = w.start("collaboration_agreement").await;
    let first = w.read(aid).await;
    let keys: Vec<String> = first["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["key"].as_str().unwrap().to_string())
        .collect();
    for n in 1..=55 {
        let key = &keys[n % keys.len()];
        let r = w
            .save(
                &w.lead_member,
                aid,
                key,
                &format!("Text {n} for {key}."),
                n as i64,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    let now = w.read(aid).await;
    assert_eq!(now["version"], 56);
    // Version 1 against 56: every section changed.
    let r = w
        .call(
            Some(&w.observer),
            Method::GET,
            &format!("/api/v1/agreements/{aid}/diff?from=1&to=56"),
            None,
        )
        .await;
    assert_eq!(r.json()["sections"].as_array().unwrap().len(), 20);
    // Version 30 against 31: the one section saved in 31 (n = 30).
    let r = w
        .call(
            Some(&w.observer),
            Method::GET,
            &format!("/api/v1/agreements/{aid}/diff?from=30&to=31"),
            None,
        )
        .await;
    let d = r.json();
    assert_eq!(d["sections"].as_array().unwrap().len(), 1);
    let key = &keys[30 % keys.len()];
    assert_eq!(d["sections"][0]["key"], key.as_str());
    let lines = d["sections"][0]["lines"].as_array().unwrap();
    assert!(
        lines
            .iter()
            .any(|l| l["change"] == "removed" && l["text"] == format!("Text 10 for {key}."))
    );
    assert!(
        lines
            .iter()
            .any(|l| l["change"] == "added" && l["text"] == format!("Text 30 for {key}."))
    );
    // The store kept one revision per save, not a copy of every section.
    let mut tx = w.app.state.store.read().await.unwrap();
    let scope = tx
        .agreement_scope(w.lead_member.id, aid)
        .await
        .unwrap()
        .unwrap();
    let at1 = tx.agreement_text_at(&scope, aid, 1).await.unwrap();
    assert_eq!(at1.len(), 20);
    for (s, f) in at1.iter().zip(first["sections"].as_array().unwrap()) {
        assert_eq!(s.text, f["text"].as_str().unwrap());
    }
    assert_eq!(tx.agreement_versions(&scope, aid).await.unwrap().len(), 56);
}

/// The demo fills Plan for collaborations in Plan or later: approved aims,
/// and an agreement with several versions, agreed in most and waiting for
/// one partner in every third; the page and the PDF open.
#[tokio::test]
async fn the_demo_fills_the_plan() {
    let app = TestApp::new().await;
    let summary = app.demo(200).await;
    let mut tx = app.state.store.read().await.unwrap();
    let (mut planned, mut agreed, mut waiting) = (0, 0, 0);
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
        let list = tx.agreements(&scope).await.unwrap();
        if c.stage == commonground_domain::stage::Stage::Identify {
            assert!(list.is_empty());
            assert!(tx.aims(&scope).await.unwrap().is_empty());
            continue;
        }
        planned += 1;
        assert!(
            tx.aims_approved(&scope).await.unwrap(),
            "aims approved in {collaboration}"
        );
        assert_eq!(list.len(), 1);
        let a = tx.agreement(&scope, list[0].id).await.unwrap().unwrap();
        assert_eq!(a.summary.version, 4);
        assert_eq!(a.sections.len(), 20);
        // The stored hash is the hash of the stored text.
        let hash = commonground_store::agreements::content_hash(
            a.sections.iter().map(|s| (s.key.as_str(), s.text.as_str())),
        );
        assert_eq!(hash, a.summary.content_hash);
        assert_eq!(
            tx.agreement_versions(&scope, a.summary.id)
                .await
                .unwrap()
                .len(),
            4
        );
        // Every version reads back with the right hash.
        for v in tx.agreement_versions(&scope, a.summary.id).await.unwrap() {
            let text = tx
                .agreement_text_at(&scope, a.summary.id, v.version)
                .await
                .unwrap();
            let h = commonground_store::agreements::content_hash(
                text.iter().map(|s| (s.key.as_str(), s.text.as_str())),
            );
            assert_eq!(h, v.content_hash, "version {}", v.version);
        }
        assert!(a.approvals.iter().all(|x| x.content_hash.len() == 64));
        if a.state.agreed {
            agreed += 1;
        } else {
            waiting += 1;
            assert_eq!(a.state.again.len(), 1, "one partner still to approve again");
        }
        assert_eq!(
            tx.some_agreement_agreed(&scope).await.unwrap(),
            a.state.agreed
        );
    }
    assert!(
        planned > 0 && agreed > 0 && waiting > 0,
        "{planned} {agreed} {waiting}"
    );
}
