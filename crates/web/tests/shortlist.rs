//! The shortlist through the pages and the API: adding from the register
//! and from Common Ground, duplicates and unknowns, dated notes, who may
//! do what, inviting from an entry, and "joined" once the invitation is
//! accepted.

mod common;

use axum::http::{Method, StatusCode};
use common::{Person, TestApp};
use serde_json::{Value, json};
use std::path::Path;

struct World {
    app: TestApp,
    partner: i64,
    /// On Common Ground, with the org-id GB-CHC-207237 (also in the register).
    canal: i64,
    c: i64,
    /// Another collaboration, of the lead alone.
    other: i64,
    lead_admin: Person,
    lead_member: Person,
    partner_admin: Person,
    observer: Person,
    outsider: Person,
    canal_admin: Person,
}

/// A registered main charity in the shared sample, only in the register.
const REGISTER_ONLY: &str = "GB-CHC-208791";
const REGISTER_ONLY_NAME: &str = "Olivia burgh Disaster Relief Association";

async fn world() -> World {
    let app = TestApp::new().await;
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/ccew-sample");
    let summary = commonground_store::register::import_register(
        &app.state.store,
        &sample,
        app.state.clock.now(),
        &mut |_| {},
    )
    .await
    .expect("the sample imports");
    assert!(summary.inserted > 100, "{summary:?}");

    let lead_admin = app.quick_person("Lena Lead").await;
    let lead_member = app.quick_person("Liam Lead").await;
    let partner_admin = app.quick_person("Pia Partner").await;
    let observer = app.quick_person("Oona Observer").await;
    let outsider = app.quick_person("Otto Outsider").await;
    let canal_admin = app.quick_person("Cara Canal").await;
    let lead = app.organisation(&lead_admin, "Riverside Food Bank").await;
    app.join(&lead_member, lead, false).await;
    let partner = app
        .organisation(&partner_admin, "Hillside Youth Club")
        .await;
    let watching = app.organisation(&observer, "County CVS").await;
    app.organisation(&outsider, "Elsewhere Allotments").await;
    let input = commonground_domain::organisations::ProfileInput {
        name: "Canal Trust".into(),
        kind: "registered_charity".into(),
        charity_number: "207237".into(),
        ..Default::default()
    };
    let canal = commonground_web::actions::organisations::create_organisation(
        &app.state,
        &canal_admin.actor(&app),
        &input,
    )
    .await
    .unwrap()
    .id;
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
        partner,
        canal,
        c,
        other,
        lead_admin,
        lead_member,
        partner_admin,
        observer,
        outsider,
        canal_admin,
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

    fn list(&self) -> String {
        format!("/api/v1/collaborations/{}/shortlist", self.c)
    }

    async fn entries(&self) -> Vec<Value> {
        let r = self
            .api(&self.lead_admin, Method::GET, &self.list(), None)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        r.json().as_array().unwrap().clone()
    }
}

fn notes(entry: &Value) -> Vec<(String, String, String)> {
    entry["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["status"].as_str().unwrap().to_string(),
                n["note"].as_str().unwrap().to_string(),
                n["written_by_name"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn s(a: &str, b: &str, c: &str) -> (String, String, String) {
    (a.into(), b.into(), c.into())
}

#[tokio::test]
async fn adding_from_the_register_and_from_common_ground() {
    let w = world().await;
    // A charity only in the register, by its org-id, through the API.
    let r = w
        .api(
            &w.partner_admin,
            Method::POST,
            &w.list(),
            Some(json!({"org_identifier": REGISTER_ONLY})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let e = r.json();
    assert_eq!(e["name"], REGISTER_ONLY_NAME);
    assert_eq!(e["org_identifier"], REGISTER_ONLY);
    assert_eq!(e["organisation_id"], Value::Null);
    assert_eq!(e["on_platform"], false);
    assert_eq!(e["status"], "not_contacted");
    assert_eq!(e["taking_part"], false);
    assert_eq!(
        notes(&e),
        [s("not_contacted", "Added to the shortlist.", "Pia Partner")]
    );

    // An organisation on Common Ground, by its id, through the page (as
    // the directory will post it).
    let page = format!("/collaborations/{}/shortlist", w.c);
    let r = w
        .app
        .post_form(
            &page,
            Some(&w.lead_member),
            &[("organisation_id", &w.canal.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), format!("{page}?done=added"));
    let list = w.app.get(&r.location(), Some(&w.lead_member)).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("It has been added to the shortlist."));
    assert!(
        list.body.contains(&format!(
            "<a href=\"/organisations/{}\">Canal Trust</a>",
            w.canal
        )),
        "{}",
        list.body
    );
    assert!(list.body.contains("GB-CHC-207237"));
    assert!(list.body.contains(REGISTER_ONLY_NAME));
    let entries = w.entries().await;
    let names: Vec<&str> = entries
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Canal Trust", REGISTER_ONLY_NAME], "newest first");
    assert_eq!(entries[0]["organisation_id"], w.canal);
    assert_eq!(entries[0]["org_identifier"], "GB-CHC-207237");
    assert_eq!(entries[0]["on_platform"], true);

    // The same body again, by its org-id in any case: one record, refused.
    for body in [
        json!({"org_identifier": "gb-chc-207237"}),
        json!({"organisation_id": w.canal}),
        json!({"org_identifier": REGISTER_ONLY}),
    ] {
        let r = w
            .api(&w.lead_admin, Method::POST, &w.list(), Some(body.clone()))
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{body}: {}", r.body);
    }
    let r = w
        .api(
            &w.lead_admin,
            Method::POST,
            &w.list(),
            Some(json!({"org_identifier": "GB-CHC-207237"})),
        )
        .await;
    assert_eq!(
        r.json()["detail"],
        "Canal Trust is already on the shortlist. Open its entry to record how the approach is going."
    );
    let r = w
        .app
        .post_form(
            &page,
            Some(&w.lead_admin),
            &[("org_identifier", REGISTER_ONLY)],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains(&format!(
        "{REGISTER_ONLY_NAME} is already on the shortlist."
    )));
    // An organisation already taking part.
    let r = w
        .api(
            &w.lead_admin,
            Method::POST,
            &w.list(),
            Some(json!({"organisation_id": w.partner})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(
        r.json()["detail"],
        "Hillside Youth Club already takes part in this collaboration, so there is no need to shortlist it."
    );

    // Unknown and malformed.
    let r = w
        .api(
            &w.lead_admin,
            Method::POST,
            &w.list(),
            Some(json!({"org_identifier": "GB-CHC-999999"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.json()["errors"]["org_identifier"],
        "We could not find that organisation in the directory. Check the org-id, or search the directory by name."
    );
    let r = w
        .api(
            &w.lead_admin,
            Method::POST,
            &w.list(),
            Some(json!({"organisation_id": 999_999})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["errors"]["organisation_id"].is_string());
    for body in [
        json!({}),
        json!({"org_identifier": "charity 42"}),
        json!({"org_identifier": REGISTER_ONLY, "organisation_id": w.canal}),
    ] {
        let r = w
            .api(&w.lead_admin, Method::POST, &w.list(), Some(body.clone()))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    }
    let r = w
        .app
        .post_form(
            &page,
            Some(&w.lead_admin),
            &[("org_identifier", "GB-CHC-999999")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("value=\"GB-CHC-999999\""),
        "keeps the input"
    );
    assert!(
        r.body
            .contains("We could not find that organisation in the directory.")
    );
    assert_eq!(w.entries().await.len(), 2, "nothing was added by mistake");
}

#[tokio::test]
async fn status_changes_keep_dated_notes_in_order() {
    let w = world().await;
    let r = w
        .api(
            &w.partner_admin,
            Method::POST,
            &w.list(),
            Some(json!({"org_identifier": REGISTER_ONLY})),
        )
        .await;
    let id = r.json()["id"].as_i64().unwrap();
    let entry = format!("{}/{id}", w.list());
    let added_at = r.json()["added_at"].as_i64().unwrap();

    w.app.state.clock.advance(3600);
    let r = w
        .api(
            &w.partner_admin,
            Method::PATCH,
            &entry,
            Some(json!({"status": "contacted", "note": "  Emailed their chair.  "})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["status"], "contacted");
    w.app.state.clock.advance(86_400);
    let r = w
        .api(
            &w.lead_admin,
            Method::PATCH,
            &entry,
            Some(json!({"status": "in_conversation"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // Nothing to record: same status, no note.
    let r = w
        .api(
            &w.lead_admin,
            Method::PATCH,
            &entry,
            Some(json!({"status": "in_conversation", "note": " "})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.json()["errors"]["note"],
        "The status is already \u{201c}in conversation\u{201d}. Choose a different status or write a note."
    );
    let r = w
        .api(
            &w.lead_admin,
            Method::PATCH,
            &entry,
            Some(json!({"status": "maybe"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["errors"]["status"].is_string());
    let r = w
        .api(
            &w.lead_admin,
            Method::PATCH,
            &entry,
            Some(json!({"status": "declined", "note": "n".repeat(2001)})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);

    // Through the page, back to the list.
    w.app.state.clock.advance(60);
    let page = format!("/collaborations/{}/shortlist/{id}", w.c);
    let r = w
        .app
        .post_form(
            &page,
            Some(&w.lead_admin),
            &[
                ("status", "declined"),
                ("note", "Not this year."),
                ("back", "list"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        r.location(),
        format!("/collaborations/{}/shortlist?done=changed", w.c)
    );
    // A page error keeps what was typed.
    let r = w
        .app
        .post_form(
            &page,
            Some(&w.lead_admin),
            &[("status", "declined"), ("note", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains("Choose a different status or write a note.")
    );

    let e = w.api(&w.observer, Method::GET, &entry, None).await.json();
    assert_eq!(e["status"], "declined");
    assert_eq!(
        notes(&e),
        [
            s("declined", "Not this year.", "Lena Lead"),
            s("in_conversation", "", "Lena Lead"),
            s("contacted", "Emailed their chair.", "Pia Partner"),
            s("not_contacted", "Added to the shortlist.", "Pia Partner"),
        ]
    );
    let times: Vec<i64> = e["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["written_at"].as_i64().unwrap())
        .collect();
    assert_eq!(times[3], added_at);
    assert!(times[2] >= added_at + 3600);
    assert!(times[1] >= times[2] + 86_400);
    assert!(times[0] >= times[1] + 60);
    assert_eq!(e["updated_at"], times[0]);

    // The entry's page shows the whole history, dated.
    let p = w.app.get(&page, Some(&w.observer)).await;
    assert_eq!(p.status, StatusCode::OK);
    for text in [
        "Not this year.",
        "Emailed their chair.",
        "Added to the shortlist.",
        "Pia Partner",
    ] {
        assert!(p.body.contains(text), "{text}");
    }
    assert!(p.body.contains(&format!(
        "<time datetime=\"{}\"",
        e["notes"][3]["written_at_rfc3339"].as_str().unwrap()
    )));
    // The list shows the latest note.
    let list = w
        .app
        .get(
            &format!("/collaborations/{}/shortlist", w.c),
            Some(&w.observer),
        )
        .await;
    assert!(list.body.contains("Not this year."));
    assert!(list.body.contains("Declined"));
}

#[tokio::test]
async fn observers_read_outsiders_see_nothing_and_ids_stay_in_their_collaboration() {
    let w = world().await;
    let r = w
        .api(
            &w.lead_admin,
            Method::POST,
            &w.list(),
            Some(json!({"org_identifier": REGISTER_ONLY})),
        )
        .await;
    let id = r.json()["id"].as_i64().unwrap();
    let entry = format!("{}/{id}", w.list());
    let before = w.entries().await;

    // The observer reads, but changes nothing.
    assert_eq!(
        w.api(&w.observer, Method::GET, &w.list(), None)
            .await
            .status,
        StatusCode::OK
    );
    for (method, path, body) in [
        (
            Method::POST,
            w.list(),
            Some(json!({"organisation_id": w.canal})),
        ),
        (
            Method::PATCH,
            entry.clone(),
            Some(json!({"status": "contacted"})),
        ),
        (Method::DELETE, entry.clone(), None),
    ] {
        let r = w.api(&w.observer, method.clone(), &path, body).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{method} {path}");
        assert_eq!(
            r.json()["detail"],
            "Observers can read this but not change it. Ask the lead to make your organisation a partner."
        );
    }
    let page = format!("/collaborations/{}/shortlist", w.c);
    let p = w.app.get(&page, Some(&w.observer)).await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(!p.body.contains("Add to shortlist"));
    assert!(
        p.body
            .contains("you can read the shortlist but not change it")
    );
    let r = w
        .app
        .post_form(
            &page,
            Some(&w.observer),
            &[("organisation_id", &w.canal.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // Outsiders: not found, everywhere.
    assert_eq!(
        w.api(&w.outsider, Method::GET, &w.list(), None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        w.api(&w.outsider, Method::GET, &entry, None).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        w.app.get(&page, Some(&w.outsider)).await.status,
        StatusCode::NOT_FOUND
    );

    // The entry under another collaboration of the same lead: not found.
    let foreign = format!("/api/v1/collaborations/{}/shortlist/{id}", w.other);
    for (method, body) in [
        (Method::GET, None),
        (Method::PATCH, Some(json!({"status": "contacted"}))),
        (Method::DELETE, None),
    ] {
        let r = w.api(&w.lead_admin, method.clone(), &foreign, body).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{method}");
    }
    let r = w
        .api(
            &w.lead_admin,
            Method::POST,
            &format!("{foreign}/invite"),
            Some(json!({})),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(
        w.app
            .get(
                &format!("/collaborations/{}/shortlist/{id}", w.other),
                Some(&w.lead_admin)
            )
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let r = w
        .app
        .post_form(
            &format!("/collaborations/{}/shortlist/{id}/remove", w.other),
            Some(&w.lead_admin),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // A missing entry id too.
    let r = w
        .api(
            &w.lead_admin,
            Method::GET,
            &format!("{}/{}", w.list(), id + 1000),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(w.entries().await, before, "nothing changed");

    // A partner removes it.
    let r = w.api(&w.partner_admin, Method::DELETE, &entry, None).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert!(w.entries().await.is_empty());
    assert_eq!(
        w.api(&w.lead_admin, Method::GET, &entry, None).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn inviting_from_an_entry_then_joined_after_acceptance() {
    let w = world().await;
    let r = w
        .api(
            &w.partner_admin,
            Method::POST,
            &w.list(),
            Some(json!({"org_identifier": "GB-CHC-207237"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(
        r.json()["name"],
        "Canal Trust",
        "the platform's record wins"
    );
    assert_eq!(r.json()["organisation_id"], w.canal);
    let canal_entry = r.json()["id"].as_i64().unwrap();
    let r = w
        .api(
            &w.partner_admin,
            Method::POST,
            &w.list(),
            Some(json!({"org_identifier": REGISTER_ONLY})),
        )
        .await;
    let register_entry = r.json()["id"].as_i64().unwrap();

    // A charity that is not on Common Ground cannot be invited from here.
    let r = w
        .api(
            &w.lead_admin,
            Method::POST,
            &format!("{}/{register_entry}/invite", w.list()),
            Some(json!({})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(
        r.json()["detail"],
        format!(
            "{REGISTER_ONLY_NAME} is not on Common Ground, so it cannot be invited from here. Get in touch another way, then record it as contacted."
        )
    );
    // Only an admin of the lead organisation invites.
    let invite = format!("{}/{canal_entry}/invite", w.list());
    for who in [&w.partner_admin, &w.lead_member] {
        let r = w
            .api(who, Method::POST, &invite, Some(json!({"role": "partner"})))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert_eq!(
            r.json()["detail"],
            "Only an admin of the lead organisation can manage who takes part."
        );
    }
    // The list offers the button only to them.
    let page = format!("/collaborations/{}/shortlist", w.c);
    assert!(
        !w.app
            .get(&page, Some(&w.partner_admin))
            .await
            .body
            .contains("Invite to join")
    );
    let list = w.app.get(&page, Some(&w.lead_admin)).await;
    assert_eq!(
        list.body.matches(">Invite to join<").count(),
        1,
        "only for Canal Trust"
    );

    // The lead admin invites through the page.
    let r = w
        .app
        .post_form(
            &format!("{page}/{canal_entry}/invite"),
            Some(&w.lead_admin),
            &[("role", "partner"), ("message", "We would love your help.")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), format!("{page}/{canal_entry}?done=invited"));
    let invitations = w
        .api(
            &w.lead_admin,
            Method::GET,
            &format!("/api/v1/collaborations/{}/invitations", w.c),
            None,
        )
        .await
        .json();
    let pending: Vec<&Value> = invitations
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["organisation_id"] == w.canal)
        .collect();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0]["status"], "pending");
    assert_eq!(pending[0]["role"], "partner");
    assert_eq!(pending[0]["message"], "We would love your help.");
    let e = w
        .api(
            &w.lead_admin,
            Method::GET,
            &format!("{}/{canal_entry}", w.list()),
            None,
        )
        .await
        .json();
    assert_eq!(e["status"], "contacted");
    assert_eq!(e["taking_part"], false);
    assert_eq!(
        notes(&e),
        [
            s(
                "contacted",
                "Invited to join through Common Ground.",
                "Lena Lead"
            ),
            s("not_contacted", "Added to the shortlist.", "Pia Partner"),
        ]
    );
    // Inviting again: the invitation flow's own reason, as a conflict.
    let r = w
        .api(
            &w.lead_admin,
            Method::POST,
            &invite,
            Some(json!({"role": "partner"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(
        r.json()["detail"],
        "Canal Trust already has an invitation waiting for a reply."
    );
    // A bad role is a field error.
    let r = w
        .api(
            &w.lead_admin,
            Method::POST,
            &invite,
            Some(json!({"role": "boss"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["errors"]["role"].is_string());

    // Canal Trust accepts: the entry shows it taking part.
    let inv = pending[0]["id"].as_i64().unwrap();
    w.app.accept(&w.canal_admin, inv).await;
    let e = w
        .api(
            &w.partner_admin,
            Method::GET,
            &format!("{}/{canal_entry}", w.list()),
            None,
        )
        .await
        .json();
    assert_eq!(e["taking_part"], true);
    assert_eq!(e["status"], "contacted", "the recorded status is kept");
    let list = w.app.get(&page, Some(&w.lead_admin)).await;
    assert!(list.body.contains("Now taking part"));
    assert!(!list.body.contains(">Invite to join<"));
    // And it can no longer be shortlisted afresh.
    let r = w
        .api(
            &w.lead_admin,
            Method::POST,
            &format!("/api/v1/collaborations/{}/shortlist", w.c),
            Some(json!({"organisation_id": w.canal})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let _ = &w.outsider;
}
