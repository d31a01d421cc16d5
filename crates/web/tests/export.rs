//! Data exports (a collaboration, an organisation, a person) and deleting
//! one's own account: who may download what, that the JSON and the zip of
//! CSV files hold the same content, that health check answers leave only as
//! the results a page shows, that no secret ever leaves, that every table
//! of the schema is exported or excluded on purpose, and that a deleted
//! account leaves nothing personal in any column of any table.

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::{Person, TestApp};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::io::Read;
use tower::ServiceExt;

struct World {
    app: TestApp,
    c: i64,
    lead: i64,
    partner: i64,
    lead_admin: Person,
    lead_people: Vec<Person>,
    partner_admin: Person,
    outsider: Person,
}

async fn world(app: TestApp) -> World {
    let lead_admin = app.quick_person("Lena Lead").await;
    let partner_admin = app.quick_person("Pia Partner").await;
    let outsider = app.quick_person("Otto Outsider").await;
    let lead = app.organisation(&lead_admin, "Riverside Food Bank").await;
    let partner = app.organisation(&partner_admin, "Ty Llyn").await;
    app.organisation(&outsider, "Elsewhere Allotments").await;
    let mut lead_people = Vec::new();
    for n in 1..=3 {
        let p = app.quick_person(&format!("Rhys Riverside {n}")).await;
        app.join(&p, lead, false).await;
        lead_people.push(p);
    }
    let c = app
        .collaboration(&lead_admin, lead, "Riverside and Llyn together")
        .await;
    let inv = app.invite(&lead_admin, c, partner, "partner").await;
    app.accept(&partner_admin, inv).await;
    World {
        app,
        c,
        lead,
        partner,
        lead_admin,
        lead_people,
        partner_admin,
        outsider,
    }
}

/// A download's status, content type and bytes.
async fn download(app: &TestApp, path: &str, token: Option<&str>) -> (StatusCode, String, Vec<u8>) {
    let mut req = Request::builder().method(Method::GET).uri(path);
    if let Some(t) = token {
        req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    let res = app
        .router
        .clone()
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let kind = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let bytes = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    (status, kind, bytes)
}

/// Every file of a zip, by name, as text.
fn unzip(bytes: &[u8]) -> std::collections::BTreeMap<String, String> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let mut out = std::collections::BTreeMap::new();
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).unwrap();
        let mut text = String::new();
        f.read_to_string(&mut text).unwrap();
        out.insert(f.name().unwrap().to_string(), text);
    }
    out
}

fn problem_detail(r: &common::TestResponse) -> String {
    r.json()["detail"].as_str().unwrap_or_default().to_string()
}

const DECISIONS: &str = "102";

#[tokio::test]
async fn a_collaboration_exports_everything_as_json_and_as_csv_files() {
    let w = world(TestApp::new().await).await;
    let app = &w.app;
    // Content with text a spreadsheet would run, quotes, commas and lines.
    let nasty = "=HYPERLINK(\"http://x\",\"click\"), then\nmore";
    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/collaborations/{}/lessons", w.c),
            Some(&w.lead_admin.token),
            Some(json!({"stage": "identify", "kind": "worked", "text": nasty})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);

    let path = format!("/api/v1/collaborations/{}/export.json", w.c);
    let (status, kind, body) = download(app, &path, Some(&w.partner_admin.token)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(kind, "application/json");
    let doc: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(doc["export"], "collaboration");
    assert_eq!(doc["collaboration"]["id"], w.c);
    assert_eq!(doc["collaboration"]["title"], "Riverside and Llyn together");
    assert_eq!(doc["collaboration"]["stage"], "identify");
    let partners: Vec<&str> = doc["participants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["organisation_name"].as_str().unwrap())
        .collect();
    assert_eq!(partners, ["Riverside Food Bank", "Ty Llyn"]);
    assert_eq!(doc["lessons"].as_array().unwrap().len(), 1);
    assert_eq!(doc["lessons"][0]["text"], nasty);
    assert_eq!(doc["lessons"][0]["recorded_by_name"], "Lena Lead");
    assert_eq!(
        doc["lessons"][0]["organisation_name"],
        "Riverside Food Bank"
    );
    assert_eq!(doc["tasks"], json!([]));
    assert!(
        doc["audit_events"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "lesson.recorded"
                || e["summary"].as_str().unwrap().contains("lesson")),
        "{}",
        doc["audit_events"]
    );
    // No raw answers, secrets or hashes, by name.
    let text = String::from_utf8(body.clone()).unwrap();
    for banned in [
        "password_hash",
        "token_hash",
        "csrf_token",
        "health_answers",
        "health_responses",
        "readiness_answers",
        "calendar_feeds",
    ] {
        assert!(!text.contains(banned), "{banned} in the export");
    }

    // The zip has the same tables, one CSV each, and a README.
    let zpath = format!("/api/v1/collaborations/{}/export.zip", w.c);
    let (status, kind, bytes) = download(app, &zpath, Some(&w.lead_people[0].token)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(kind, "application/zip");
    let files = unzip(&bytes);
    let folder = format!("collaboration-{}-export/", w.c);
    let names: BTreeSet<String> = files
        .keys()
        .map(|k| k.strip_prefix(&folder).unwrap().to_string())
        .collect();
    let mut want: BTreeSet<String> = doc
        .as_object()
        .unwrap()
        .keys()
        .filter(|k| !["export", "exported_at"].contains(&k.as_str()))
        .map(|k| format!("{k}.csv"))
        .collect();
    want.insert("README.txt".into());
    assert_eq!(names, want);
    let readme = &files[&format!("{folder}README.txt")];
    assert!(readme.contains("starts with an apostrophe (')"), "{readme}");
    assert!(readme.contains("- tasks.csv: tasks and what they wait for (0 rows)"));
    let lessons = &files[&format!("{folder}lessons.csv")];
    let mut lines = lessons.split("\r\n");
    assert_eq!(
        lines.next().unwrap(),
        "id,stage,kind,text,version,recorded_by_name,organisation_id,organisation_name,from_previous_cycle,recorded_at,updated_at"
    );
    let row = lines.next().unwrap();
    assert!(
        row.contains(",identify,worked,\"'=HYPERLINK(\"\"http://x\"\",\"\"click\"\"), then\nmore\",1,Lena Lead,"),
        "{row}"
    );
    let participants = &files[&format!("{folder}participants.csv")];
    assert_eq!(participants.lines().count(), 3, "{participants}");

    // Outsiders are told there is nothing here; nobody signed out gets in.
    for p in [&path, &zpath] {
        let (status, _, _) = download(app, p, Some(&w.outsider.token)).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _, _) = download(app, p, None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    // The pages give the same files to a signed-in session.
    let page = app
        .get(&format!("/collaborations/{}", w.c), Some(&w.partner_admin))
        .await;
    assert!(
        page.body
            .contains(&format!("href=\"/collaborations/{}/export.zip\"", w.c))
    );
    assert!(page.body.contains("never one person's answers"));
    let file = app
        .get(
            &format!("/collaborations/{}/export.json", w.c),
            Some(&w.partner_admin),
        )
        .await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(
        file.header("content-disposition").unwrap(),
        format!("attachment; filename=\"collaboration-{}-export.json\"", w.c)
    );
    assert_eq!(file.json()["lessons"][0]["text"], nasty);
    let file = app
        .get(
            &format!("/collaborations/{}/export.json", w.c),
            Some(&w.outsider),
        )
        .await;
    assert_eq!(file.status, StatusCode::NOT_FOUND);
}

/// Opens a full health check round closing in 14 days; returns its id.
async fn open_round(app: &TestApp, c: i64, lead_admin: &Person) -> i64 {
    app.state.clock.advance(86_400 * 14);
    let closes = commonground_web::actions::tasks::today(&app.state);
    app.state.clock.advance(-86_400 * 14);
    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/collaborations/{c}/health-checks"),
            Some(&lead_admin.token),
            Some(json!({"kind": "full", "closes_on": closes})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.json()["id"].as_i64().unwrap()
}

/// Answers decision-making with `v`, with a comment.
async fn answer(app: &TestApp, hid: i64, p: &Person, v: i64, comment: &str) {
    let r = app
        .api(
            Method::PUT,
            &format!("/api/v1/health-checks/{hid}/answers"),
            Some(&p.token),
            Some(json!({"answers": {DECISIONS: v}, "comment": comment})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

async fn close_round(app: &TestApp, hid: i64, lead_admin: &Person) {
    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/health-checks/{hid}/close"),
            Some(&lead_admin.token),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

#[tokio::test]
async fn health_checks_leave_only_as_the_results_a_page_shows() {
    let w = world(TestApp::new().await).await;
    let app = &w.app;
    let hid = open_round(app, w.c, &w.lead_admin).await;
    answer(app, hid, &w.lead_people[0], 5, "first comment").await;
    answer(app, hid, &w.lead_people[1], 1, "second comment").await;
    let export = |who: &Person| {
        let token = who.token.clone();
        async move {
            let (status, _, body) = download(
                app,
                &format!("/api/v1/collaborations/{}/export.json", w.c),
                Some(&token),
            )
            .await;
            assert_eq!(status, StatusCode::OK);
            serde_json::from_slice::<Value>(&body).unwrap()
        }
    };
    // Open, two answers: the round is listed with why, and no figures.
    let doc = export(&w.partner_admin).await;
    let round = &doc["health_check_rounds"][0];
    assert_eq!(round["id"], hid);
    assert_eq!(round["results_shown"], 0);
    assert_eq!(round["respondents"], Value::Null);
    assert!(
        round["why_no_results"].as_str().unwrap().len() > 10,
        "{round}"
    );
    assert_eq!(doc["health_check_results"], json!([]));
    assert_eq!(doc["health_check_comments"], json!([]));
    let text = doc.to_string();
    assert!(!text.contains("first comment"));

    // Closed with two respondents: still below the threshold of three.
    close_round(app, hid, &w.lead_admin).await;
    let doc = export(&w.lead_admin).await;
    assert_eq!(doc["health_check_rounds"][0]["results_shown"], 0);
    assert_eq!(doc["health_check_results"], json!([]));
    assert!(!doc.to_string().contains("second comment"));
    let api = app
        .api(
            Method::GET,
            &format!("/api/v1/health-checks/{hid}/results"),
            Some(&w.lead_admin.token),
            None,
        )
        .await
        .json();
    assert_eq!(api["available"], false);
    assert_eq!(
        doc["health_check_rounds"][0]["why_no_results"], api["reason"],
        "the same words as the API"
    );

    // A second round with three answers, closed: the figures the results
    // page shows, and nothing else.
    let hid2 = open_round(app, w.c, &w.lead_admin).await;
    for (p, v) in w.lead_people.iter().zip([5, 4, 2]) {
        answer(app, hid2, p, v, &format!("view {v}")).await;
    }
    close_round(app, hid2, &w.lead_admin).await;
    let api = app
        .api(
            Method::GET,
            &format!("/api/v1/health-checks/{hid2}/results"),
            Some(&w.partner_admin.token),
            None,
        )
        .await
        .json();
    let api_q = api["questions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["id"] == 102)
        .unwrap()
        .clone();
    let doc = export(&w.partner_admin).await;
    let rounds = doc["health_check_rounds"].as_array().unwrap();
    assert_eq!(rounds.len(), 2);
    assert_eq!(rounds[1]["id"], hid2);
    assert_eq!(rounds[1]["results_shown"], 1);
    assert_eq!(rounds[1]["respondents"], 3);
    let everyone: Vec<&Value> = doc["health_check_results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| {
            r["round_id"] == hid2
                && r["item"] == "question"
                && r["code"] == "102"
                && r["organisation_id"].is_null()
        })
        .collect();
    assert_eq!(everyone.len(), 1, "{}", doc["health_check_results"]);
    assert_eq!(everyone[0]["organisation_name"], "Everyone");
    assert_eq!(everyone[0]["answering"], 3);
    assert_eq!(everyone[0]["mean"], json!(3.7));
    assert_eq!(everyone[0]["mean"], api_q["stats"]["mean"], "{api_q}");
    assert_eq!(everyone[0]["spread"], api_q["stats"]["spread"]);
    // Nothing for the first round, and no figure from fewer than three.
    assert!(
        doc["health_check_results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["round_id"] == hid2 && r["answering"].as_i64().unwrap() >= 3)
    );
    let comments: Vec<&str> = doc["health_check_comments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["comment"].as_str().unwrap())
        .collect();
    assert_eq!(comments, ["view 2", "view 4", "view 5"]);
    assert!(!doc.to_string().contains("first comment"));
    // No person is tied to an answer anywhere in the export.
    for p in &w.lead_people {
        assert!(!doc["health_check_results"].to_string().contains(&p.name));
    }
}

#[tokio::test]
async fn an_organisation_exports_for_its_admins_only() {
    let w = world(TestApp::new().await).await;
    let app = &w.app;
    let path = format!("/api/v1/organisations/{}/export.json", w.lead);
    let (status, _, body) = download(app, &path, Some(&w.lead_admin.token)).await;
    assert_eq!(status, StatusCode::OK);
    let doc: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(doc["export"], "organisation");
    assert_eq!(doc["organisation"]["name"], "Riverside Food Bank");
    let members: Vec<&str> = doc["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["email"].as_str().unwrap())
        .collect();
    assert_eq!(members.len(), 4);
    assert!(members.contains(&w.lead_people[2].email.as_str()));
    assert_eq!(doc["participations"][0]["collaboration_id"], w.c);
    assert_eq!(doc["participations"][0]["role"], "lead");
    assert!(!String::from_utf8(body).unwrap().contains("token_hash"));

    // A member who is not an admin is told why; others find nothing.
    let r = app
        .api(Method::GET, &path, Some(&w.lead_people[0].token), None)
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        problem_detail(&r),
        "Only admins of this organisation can do that. Ask one of them."
    );
    let zpath = format!("/api/v1/organisations/{}/export.zip", w.lead);
    let r = app
        .api(Method::GET, &zpath, Some(&w.lead_people[0].token), None)
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    for who in [&w.partner_admin, &w.outsider] {
        let (status, _, _) = download(app, &path, Some(&who.token)).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _, _) = download(app, &zpath, Some(&who.token)).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
    let (status, kind, bytes) = download(app, &zpath, Some(&w.lead_admin.token)).await;
    assert_eq!((status, kind.as_str()), (StatusCode::OK, "application/zip"));
    let files = unzip(&bytes);
    let members = &files[&format!("organisation-{}-export/members.csv", w.lead)];
    assert_eq!(members.lines().count(), 5);
    assert!(members.starts_with("user_id,name,email,role,joined_at\r\n"));

    // The organisation page links to it for admins only.
    let page = app
        .get(&format!("/organisations/{}", w.lead), Some(&w.lead_admin))
        .await;
    assert!(
        page.body
            .contains(&format!("/organisations/{}/export.zip", w.lead))
    );
    let page = app
        .get(
            &format!("/organisations/{}", w.lead),
            Some(&w.lead_people[0]),
        )
        .await;
    assert!(!page.body.contains("export.zip"));
    let r = app
        .get(
            &format!("/organisations/{}/export.zip", w.lead),
            Some(&w.lead_people[0]),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let _ = w.partner;
}

#[tokio::test]
async fn a_person_exports_what_is_theirs_without_secrets() {
    let w = world(TestApp::new().await).await;
    let app = &w.app;
    let me = &w.lead_people[0];
    let (status, _, body) = download(app, "/api/v1/me/export.json", Some(&me.token)).await;
    assert_eq!(status, StatusCode::OK);
    let text = String::from_utf8(body).unwrap();
    let doc: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["export"], "person");
    assert_eq!(doc["account"]["email"], me.email);
    assert_eq!(doc["account"]["name"], me.name);
    assert_eq!(
        doc["memberships"][0]["organisation_name"],
        "Riverside Food Bank"
    );
    assert_eq!(doc["api_tokens"][0]["label"], "tests");
    assert_eq!(doc["sessions"].as_array().unwrap().len(), 1);
    for secret in [
        me.token.clone(),
        me.session.clone(),
        me.csrf.clone(),
        commonground_store::hash_token(&me.token),
        commonground_store::hash_token(&me.session),
    ] {
        assert!(!text.contains(&secret), "a secret left in the export");
    }
    assert!(!text.contains("$argon2"));
    let (status, _, _) = download(app, "/api/v1/me/export.json", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let page = app.get("/account/export.json", Some(me)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.json()["account"]["email"], me.email);
    let settings = app.get("/settings", Some(me)).await;
    assert!(settings.body.contains("href=\"/account/export.json\""));
    assert!(settings.body.contains("href=\"/account/delete\""));
}

/// Every table with a collaboration_id or organisation_id column, read from
/// the database itself, is exported or excluded on purpose.
#[tokio::test]
async fn every_table_of_a_collaboration_or_organisation_is_exported_or_excluded() {
    let app = TestApp::new().await;
    let mut tx = app.state.store.read().await.unwrap();
    let columns = tx.schema_columns().await.unwrap();
    drop(tx);
    let exported: BTreeSet<&str> = commonground_store::export::exported_tables()
        .into_iter()
        .collect();
    let excluded: BTreeSet<&str> = commonground_store::export::NOT_EXPORTED
        .iter()
        .map(|(t, _)| *t)
        .collect();
    let owned: BTreeSet<&str> = columns
        .iter()
        .filter(|(_, c, _)| c == "collaboration_id" || c == "organisation_id")
        .map(|(t, _, _)| t.as_str())
        .collect();
    assert!(owned.len() > 40, "{owned:?}");
    let missing: Vec<&&str> = owned
        .iter()
        .filter(|t| !exported.contains(*t) && !excluded.contains(*t))
        .collect();
    assert!(
        missing.is_empty(),
        "these tables are neither exported nor listed in NOT_EXPORTED: {missing:?}"
    );
    // Every table named in either list exists.
    let tables: BTreeSet<&str> = columns.iter().map(|(t, _, _)| t.as_str()).collect();
    for t in exported.iter().chain(&excluded) {
        assert!(tables.contains(t), "{t} is not a table");
    }
    // No exported column is a secret.
    for p in commonground_store::export::collaboration_parts() {
        assert!(!p.contains("hash"));
    }
}

/// Every text value in the database containing `needle`, as "table.column".
async fn found_anywhere(app: &TestApp, needle: &str) -> Vec<String> {
    let mut tx = app.state.store.read().await.unwrap();
    let columns = tx.schema_columns().await.unwrap();
    let mut found = Vec::new();
    for (table, column, text) in &columns {
        if !text {
            continue;
        }
        let n = tx.count_containing(table, column, needle).await.unwrap();
        if n > 0 {
            found.push(format!("{table}.{column}"));
        }
    }
    found
}

#[tokio::test]
async fn deleting_an_account_leaves_nothing_personal_and_keeps_what_they_wrote() {
    let (a, b) = TestApp::pair().await;
    let w = world(a).await;
    let app = &w.app;
    let zed = app.quick_person("Zebedee Quillfeather").await;
    app.join(&zed, w.lead, false).await;
    let own = app.organisation(&zed, "Quillfeather Trust").await;
    // What Zed writes: a lesson, an aim review's audit trail, a task.
    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/collaborations/{}/lessons", w.c),
            Some(&zed.token),
            Some(
                json!({"stage": "plan", "kind": "do_differently", "text": "Agree the budget sooner."}),
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let lesson = r.json()["id"].as_i64().unwrap();
    // Another admin records something that names Zed.
    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/collaborations/{}/lessons", w.c),
            Some(&w.lead_admin.token),
            Some(json!({"stage": "plan", "kind": "worked", "text": "Working with colleagues."})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert!(!found_anywhere(app, "Zebedee Quillfeather").await.is_empty());

    // A wrong password is refused by field, and nothing changes.
    let r = app
        .api(
            Method::DELETE,
            "/api/v1/me",
            Some(&zed.token),
            Some(json!({"password": "not my password"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(
        r.json()["errors"],
        json!({"password": "That is not your password. Type the password you sign in with, or reset it first."})
    );
    // The only admin of an organisation is told to hand over first.
    let r = app
        .api(
            Method::DELETE,
            "/api/v1/me",
            Some(&zed.token),
            Some(json!({"password": zed.password})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert_eq!(
        problem_detail(&r),
        "You are the only admin of Quillfeather Trust. Make someone else an admin there first, \
         or remove the organisation, then delete your account."
    );
    let me = app
        .api(Method::GET, "/api/v1/me", Some(&zed.token), None)
        .await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.json()["name"], "Zebedee Quillfeather");
    // The page says the same, and keeps the account.
    let page = app
        .post_form("/account/delete", Some(&zed), &[("password", "wrong one")])
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("That is not your password."));
    let page = app
        .post_form(
            "/account/delete",
            Some(&zed),
            &[("password", &zed.password)],
        )
        .await;
    assert_eq!(page.status, StatusCode::CONFLICT);
    assert!(
        page.body
            .contains("You are the only admin of Quillfeather Trust.")
    );

    // Someone else becomes an admin there; now it goes.
    app.join(&w.lead_people[1], own, true).await;
    let r = app
        .api(
            Method::DELETE,
            "/api/v1/me",
            Some(&zed.token),
            Some(json!({"password": zed.password})),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    assert_eq!(r.body, "");

    // Nothing personal anywhere, in any text column of any table.
    for needle in [
        "Zebedee",
        "Quillfeather Zebedee",
        "Zebedee Quillfeather",
        zed.email.as_str(),
    ] {
        assert_eq!(
            found_anywhere(app, needle).await,
            Vec::<String>::new(),
            "{needle} is still stored"
        );
    }
    let mut tx = app.state.store.read().await.unwrap();
    let hash: Option<String> = tx.password_hash_of(zed.id).await.unwrap();
    assert_eq!(hash.as_deref(), Some("!"));
    drop(tx);

    // The token and the session no longer work, on either server.
    for server in [app, &b] {
        let r = server
            .api(Method::GET, "/api/v1/me", Some(&zed.token), None)
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        let page = server.get("/settings", Some(&zed)).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
        assert!(page.location().starts_with("/sign-in"));
    }

    // What Zed wrote stays, under the former-member wording.
    let lessons = b
        .api(
            Method::GET,
            &format!("/api/v1/collaborations/{}/lessons", w.c),
            Some(&w.partner_admin.token),
            None,
        )
        .await
        .json();
    let theirs = lessons["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["id"] == lesson)
        .unwrap()
        .clone();
    assert_eq!(theirs["text"], "Agree the budget sooner.");
    assert_eq!(
        theirs["recorded_by_name"],
        "a former member of Riverside Food Bank"
    );
    let page = b
        .get(
            &format!("/collaborations/{}/lessons", w.c),
            Some(&w.partner_admin),
        )
        .await;
    assert!(page.body.contains("a former member of Riverside Food Bank"));
    let audit = b
        .api(
            Method::GET,
            &format!("/api/v1/collaborations/{}/audit", w.c),
            Some(&w.lead_admin.token),
            None,
        )
        .await
        .json();
    assert!(
        audit["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["user_name"] == "a former member of Riverside Food Bank"),
        "{audit}"
    );
    // Their organisations no longer list them.
    let members = b
        .api(
            Method::GET,
            &format!("/api/v1/organisations/{}/members", w.lead),
            Some(&w.lead_admin.token),
            None,
        )
        .await;
    assert!(!members.body.contains("Quillfeather"));
    assert!(!members.body.contains("former member"));

    // The email address is free to register again.
    let r = b
        .api(
            Method::POST,
            "/api/v1/users",
            None,
            Some(json!({"email": zed.email, "name": "Zebedee Again", "password": "a brand new password 42"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
}

#[tokio::test]
async fn the_delete_page_explains_and_asks_for_the_password() {
    let app = TestApp::new().await;
    let ann = app.quick_person("Ann Example").await;
    let page = app.get("/account/delete", Some(&ann)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<h1>Delete your account</h1>"));
    assert!(page.body.contains("What goes"));
    assert!(page.body.contains("What stays"));
    assert!(page.body.contains("a former member of"));
    assert!(page.body.contains("name=\"password\""));
    let r = app
        .post_form("/account/delete", Some(&ann), &[("password", "")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains("Enter your password to confirm that you want to delete your account.")
    );
    let r = app
        .post_form(
            "/account/delete",
            Some(&ann),
            &[("password", &ann.password)],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Your account has been deleted"));
    assert_eq!(r.set_cookie("cg_session").as_deref(), Some(""));
    let again = app.get("/settings", Some(&ann)).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    let signed_out = app.get("/account/delete", None).await;
    assert_eq!(signed_out.status, StatusCode::SEE_OTHER);
}
