//! Two servers, one database: nothing a request needs may live in one
//! server's memory. Sessions, form tokens and sign-in limits must work
//! across both. (Each server may use a session or token it read in the
//! last second; so signing out, or revoking a token, takes effect at once
//! on the server that did it and within a second on the other.) SQLite by
//! default; PostgreSQL when TEST_DATABASE_URL is set.

mod common;

use axum::http::{Method, StatusCode};
use common::{Person, TestApp};
use commonground_store::{Store, testing};
use commonground_web::auth::SIGN_IN_KEPT_FOR;
use std::time::Duration;

/// Long enough for every server to have read sessions and tokens again.
async fn wait_out_the_sign_in_cache() {
    tokio::time::sleep(SIGN_IN_KEPT_FOR + Duration::from_millis(200)).await;
}

struct Pair {
    a: TestApp,
    b: TestApp,
}

/// Two apps, each with its own connection pool, on the same database.
async fn pair() -> Pair {
    let dir_a = tempfile::tempdir().unwrap();
    let dir_b = tempfile::tempdir().unwrap();
    let options = testing::fresh_options(dir_a.path())
        .await
        .expect("database options");
    let store_a = Store::connect(&options).await.expect("server A connects");
    store_a.migrate().await.unwrap();
    let store_b = Store::connect(&options).await.expect("server B connects");
    // Migrating again from the second server is harmless.
    store_b.migrate().await.unwrap();
    Pair {
        a: TestApp::with_store(store_a, dir_a),
        b: TestApp::with_store(store_b, dir_b),
    }
}

fn session_of(r: &common::TestResponse) -> String {
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    r.set_cookie("cg_session")
        .filter(|s| !s.is_empty())
        .expect("a session cookie")
}

#[tokio::test]
async fn a_session_from_one_server_works_on_the_other() {
    let Pair { a, b } = pair().await;
    let ann = a.person("Ann Twoservers").await;

    // Sign in through server A's form.
    let session = session_of(&a.sign_in_form(&ann.email, &ann.password).await);

    // Server B knows the session, and its form token.
    let on_b = b.with_session(&ann, &session).await;
    let settings = b.get("/settings", Some(&on_b)).await;
    assert_eq!(settings.status, StatusCode::OK);
    assert!(settings.body.contains(&ann.email));

    // Add an organisation on B, open a collaboration on B...
    let r = b
        .post_form(
            "/organisations/new",
            Some(&on_b),
            &[("name", "Twin Towns Trust"), ("kind", "community_group")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let org: i64 = r
        .location()
        .trim_start_matches("/organisations/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let r = b
        .post_form(
            "/collaborations/new",
            Some(&on_b),
            &[
                ("organisation_id", &org.to_string()),
                ("title", "Across two servers"),
                ("purpose", "Show that servers share everything."),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let path = r.location().split('?').next().unwrap().to_string();

    // ...and A shows it, with the same session; a form token from A's page
    // works on B.
    let page = a.get(&path, Some(&on_b)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Across two servers"));
    let token_from_a = page.csrf();
    let moved = b
        .post_form(
            &format!("{path}/stage"),
            Some(&Person {
                csrf: token_from_a,
                ..on_b.clone()
            }),
            &[("direction", "forward"), ("from", "identify")],
        )
        .await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.body);
    assert!(
        a.get(&path, Some(&on_b))
            .await
            .body
            .contains("Move on to Implement")
    );

    // B has just read the session: it keeps it for at most a second.
    assert_eq!(b.get("/settings", Some(&on_b)).await.status, StatusCode::OK);
    // Signing out on A ends the session on A at once...
    let out = a.post_form("/sign-out", Some(&on_b), &[]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    let after = a.get("/settings", Some(&on_b)).await;
    assert_eq!(after.status, StatusCode::SEE_OTHER);
    assert!(after.location().starts_with("/sign-in"));
    // ...and on B within a second.
    wait_out_the_sign_in_cache().await;
    let after = b.get("/settings", Some(&on_b)).await;
    assert_eq!(after.status, StatusCode::SEE_OTHER);
    assert!(after.location().starts_with("/sign-in"));
}

#[tokio::test]
async fn a_token_revoked_on_one_server_stops_working_on_the_other() {
    let Pair { a, b } = pair().await;
    let ann = a.person("Ann Tokens").await;
    let list = "/api/v1/collaborations";
    // Both servers accept the token, and have read it.
    for (app, name) in [(&a, "a"), (&b, "b")] {
        let r = app.api(Method::GET, list, Some(&ann.token), None).await;
        assert_eq!(r.status, StatusCode::OK, "{name}: {}", r.body);
    }
    let tokens = a
        .api(Method::GET, "/api/v1/tokens", Some(&ann.token), None)
        .await
        .json();
    let id = tokens[0]["id"].as_i64().expect("the token's id");
    let revoked = a
        .api(
            Method::DELETE,
            &format!("/api/v1/tokens/{id}"),
            Some(&ann.token),
            None,
        )
        .await;
    assert_eq!(revoked.status, StatusCode::NO_CONTENT, "{}", revoked.body);
    // At once on A, which revoked it...
    let on_a = a.api(Method::GET, list, Some(&ann.token), None).await;
    assert_eq!(on_a.status, StatusCode::UNAUTHORIZED);
    // ...and within a second on B.
    wait_out_the_sign_in_cache().await;
    let on_b = b.api(Method::GET, list, Some(&ann.token), None).await;
    assert_eq!(on_b.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn sign_in_failures_on_one_server_count_on_the_other() {
    let Pair { a, b } = pair().await;
    let rita = a.person("Rita Ratelimit").await;
    for i in 0..10 {
        let r = a
            .sign_in_form(&rita.email, &format!("wrong guess {i}"))
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "attempt {i} on A"
        );
    }
    let on_b = b.sign_in_form(&rita.email, &rita.password).await;
    assert_eq!(on_b.status, StatusCode::TOO_MANY_REQUESTS, "{}", on_b.body);
    assert!(on_b.set_cookie("cg_session").is_none());
    assert_eq!(
        a.sign_in_form(&rita.email, &rita.password).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );

    // A password reset through B (its email comes from B's outbox) clears
    // the lock for both.
    let browser = b.anon_browser().await;
    b.post_anon(&browser, "/password-reset", &[("email", &rita.email)])
        .await;
    let link = b.link_for(&rita.email, "/password-reset/");
    let form = a.get(&link, None).await;
    assert_eq!(form.status, StatusCode::OK, "the link from B works on A");
    let cookie = format!("cg_csrf={}", form.set_cookie("cg_csrf").unwrap());
    let done = a
        .post_raw(
            &link,
            Some(&cookie),
            &[
                ("password", "a fresh new passphrase"),
                ("csrf", &form.csrf()),
            ],
        )
        .await;
    session_of(&done);
    session_of(&b.sign_in_form(&rita.email, "a fresh new passphrase").await);
    // The link was used on A, so B refuses it.
    assert_eq!(b.get(&link, None).await.status, StatusCode::GONE);
}

/// The directory's search index lives in each server's memory, as a cache
/// of the database: an organisation created through one server is found
/// through the other within a few seconds, and a change of name follows.
#[tokio::test]
async fn an_organisation_added_on_one_server_is_found_on_the_other() {
    let p = pair().await;
    let ann = p.a.person("Ann").await;
    async fn search(app: &TestApp, token: &str, q: &str) -> serde_json::Value {
        let path = format!("/api/v1/directory?q={q}");
        let r = app
            .api(axum::http::Method::GET, &path, Some(token), None)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        r.json()
    }
    // Server B builds its index before the organisation exists.
    assert_eq!(search(&p.b, &ann.token, "quillwort").await["total"], 0);
    let created = p
        .a
        .api(
            axum::http::Method::POST,
            "/api/v1/organisations",
            Some(&ann.token),
            Some(serde_json::json!({"name": "Quillwort Community Garden", "kind": "community_group"})),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id = created.json()["id"].as_i64().unwrap();
    let mut found = serde_json::Value::Null;
    for _ in 0..100 {
        let body = search(&p.b, &ann.token, "quillwort").await;
        if body["total"] == 1 {
            found = body;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(
        found["results"][0]["organisation_id"], id,
        "not found on B within 10 s"
    );
    assert_eq!(found["results"][0]["name"], "Quillwort Community Garden");
}

/// Each server keeps pages of people's collaborations (the home page,
/// "Collaborations", the API's list) while nothing on them changes. A new
/// partner, a partner's new name, a new title or a new collaboration saved
/// through one server must show at once through the other, which has the
/// old page kept.
#[tokio::test]
async fn lists_of_collaborations_kept_by_one_server_follow_changes_on_the_other() {
    use axum::http::Method;
    use serde_json::json;
    let p = pair().await;
    let ann = p.a.person("Ann").await;
    let bob = p.a.person("Bob").await;
    let alpha = p.a.organisation(&ann, "Alpha Trust").await;
    let beta = p.a.organisation(&bob, "Beta Group").await;
    let c = p.a.collaboration(&ann, alpha, "Holiday hunger").await;
    async fn list(app: &TestApp, token: &str) -> serde_json::Value {
        let r = app
            .api(Method::GET, "/api/v1/collaborations", Some(token), None)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        r.json()
    }
    let first = |doc: &serde_json::Value| -> (String, Vec<String>) {
        let item = &doc["items"][0];
        let names = item["participants"]
            .as_array()
            .expect("participants")
            .iter()
            .map(|p| p["name"].as_str().unwrap().to_string())
            .collect();
        (item["title"].as_str().unwrap().to_string(), names)
    };
    let doc = list(&p.b, &ann.token).await;
    assert_eq!(doc["total"], 1);
    assert_eq!(
        first(&doc),
        (
            "Holiday hunger".to_string(),
            vec!["Alpha Trust".to_string()]
        )
    );

    // A new partner, through A.
    let inv = p.a.invite(&ann, c, beta, "partner").await;
    p.a.accept(&bob, inv).await;
    let doc = list(&p.b, &ann.token).await;
    assert_eq!(
        first(&doc).1,
        vec!["Alpha Trust".to_string(), "Beta Group".to_string()]
    );
    assert!(p.b.get("/", Some(&ann)).await.body.contains("Beta Group"));

    // The partner's new name, through A: nothing is recorded about the
    // collaboration itself.
    let renamed =
        p.a.api(
            Method::PUT,
            &format!("/api/v1/organisations/{beta}"),
            Some(&bob.token),
            Some(json!({"name": "Beta Community Group", "kind": "community_group"})),
        )
        .await;
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.body);
    let doc = list(&p.b, &ann.token).await;
    assert_eq!(
        first(&doc).1,
        vec![
            "Alpha Trust".to_string(),
            "Beta Community Group".to_string()
        ]
    );
    let home = p.b.get("/", Some(&ann)).await.body;
    assert!(home.contains("Beta Community Group"), "{home}");
    assert!(!home.contains("Beta Group"), "{home}");
    let page = p.b.get("/collaborations", Some(&bob)).await.body;
    assert!(page.contains("Beta Community Group"), "{page}");

    // A new title, through A.
    let titled =
        p.a.api(
            Method::PUT,
            &format!("/api/v1/collaborations/{c}"),
            Some(&ann.token),
            Some(json!({"title": "Summer holiday hunger", "purpose": "Meals in August."})),
        )
        .await;
    assert_eq!(titled.status, StatusCode::OK, "{}", titled.body);
    assert_eq!(
        first(&list(&p.b, &ann.token).await).0,
        "Summer holiday hunger"
    );

    // A new collaboration, through A, comes first.
    let d = p.a.collaboration(&ann, alpha, "Warm spaces").await;
    let doc = list(&p.b, &ann.token).await;
    assert_eq!(doc["total"], 2);
    assert_eq!(doc["items"][0]["id"], d);
    assert_eq!(doc["items"][1]["id"], c);
}

/// The API's plan of communications and its recurring tasks are kept
/// whole by each server, by the collaboration's revisions and the day. An
/// item added or changed through one server must show at once through the
/// other, which has the old answer kept.
#[tokio::test]
async fn api_answers_kept_by_one_server_follow_changes_on_the_other() {
    use axum::http::Method;
    use serde_json::json;
    let p = pair().await;
    let ann = p.a.person("Ann").await;
    let alpha = p.a.organisation(&ann, "Alpha Trust").await;
    let c = p.a.collaboration(&ann, alpha, "Holiday hunger").await;
    let today = commonground_web::actions::tasks::today(&p.a.state);
    async fn read(app: &TestApp, token: &str, path: &str) -> serde_json::Value {
        let r = app.api(Method::GET, path, Some(token), None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        r.json()
    }
    async fn write(
        app: &TestApp,
        token: &str,
        (method, path): (Method, &str),
        body: serde_json::Value,
        expected: StatusCode,
    ) -> serde_json::Value {
        let r = app.api(method, path, Some(token), Some(body)).await;
        assert_eq!(r.status, expected, "{}", r.body);
        r.json()
    }
    let comms = format!("/api/v1/collaborations/{c}/comms");
    assert_eq!(read(&p.b, &ann.token, &comms).await["total"], 0);
    let item = write(
        &p.a,
        &ann.token,
        (Method::POST, &comms),
        json!({"audience": "Families", "purpose": "Monthly newsletter",
               "key_message": "What is on this month.", "channel": "newsletter",
               "owner_organisation_id": alpha, "timing": "monthly", "on_date": today}),
        StatusCode::CREATED,
    )
    .await;
    let doc = read(&p.b, &ann.token, &comms).await;
    assert_eq!(doc["total"], 1);
    assert_eq!(doc["items"][0]["audience"], "Families");
    let changed = write(
        &p.a,
        &ann.token,
        (Method::PUT, &format!("/api/v1/comms/{}", item["id"])),
        json!({"audience": "Families and carers", "purpose": "Monthly newsletter",
               "key_message": "What is on this month.", "channel": "newsletter",
               "owner_organisation_id": alpha, "timing": "monthly", "on_date": today,
               "status": "planned", "version": item["version"]}),
        StatusCode::OK,
    )
    .await;
    assert_eq!(changed["audience"], "Families and carers");
    let doc = read(&p.b, &ann.token, &comms).await;
    assert_eq!(doc["items"][0]["audience"], "Families and carers");

    let recurring = format!("/api/v1/collaborations/{c}/recurring-tasks");
    assert_eq!(read(&p.b, &ann.token, &recurring).await["total"], 0);
    write(
        &p.a,
        &ann.token,
        (Method::POST, &recurring),
        json!({"title": "Send the weekly figures", "owner_organisation_id": alpha,
               "repeats": "weekly", "first_on": today}),
        StatusCode::CREATED,
    )
    .await;
    let doc = read(&p.b, &ann.token, &recurring).await;
    assert_eq!(doc["total"], 1);
    assert_eq!(doc["series"][0]["title"], "Send the weekly figures");
}

/// Each server keeps readiness results it has worked out, by round and the
/// round's revision. Answers saved through one server, new or changed, must
/// show at once through the other, which has the old results kept.
#[tokio::test]
async fn readiness_results_kept_by_one_server_follow_answers_saved_on_the_other() {
    use axum::http::Method;
    use serde_json::json;
    let p = pair().await;
    let people = [
        p.a.person("Ann").await,
        p.a.person("Bea").await,
        p.a.person("Cat").await,
    ];
    let org = p.a.organisation(&people[0], "Riverside Food Bank").await;
    for other in &people[1..] {
        p.a.join(other, org, false).await;
    }
    let c = p.a.collaboration(&people[0], org, "Holiday hunger").await;
    let path = format!("/api/v1/collaborations/{c}/readiness");
    async fn read(app: &TestApp, token: &str, path: &str) -> serde_json::Value {
        let r = app.api(Method::GET, path, Some(token), None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        r.json()
    }
    let doc = read(&p.b, &people[0].token, &path).await;
    let statement = doc["instrument"]["groups"][0]["factors"][0]["statements"][0]["id"]
        .as_i64()
        .unwrap()
        .to_string();
    let answer = |who: usize, value: i64| {
        let app = &p.a;
        let token = people[who].token.clone();
        let body = json!({ "answers": { statement.clone(): value } });
        let path = format!("{path}/answers");
        async move {
            let r = app.api(Method::PUT, &path, Some(&token), Some(body)).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        }
    };
    let mean = |doc: &serde_json::Value| doc["round"]["results"]["factors"][0]["mean"].clone();
    for (who, value) in [(0, 2), (1, 2), (2, 2)] {
        answer(who, value).await;
        // B has the round's results kept from its last read: each answer
        // must show on B at once.
        let doc = read(&p.b, &people[0].token, &path).await;
        assert_eq!(doc["round"]["respondents"], who + 1, "{doc}");
    }
    let doc = read(&p.b, &people[1].token, &path).await;
    assert_eq!(mean(&doc), json!(2.0), "{doc}");
    // A changed answer leaves the count as it was; the mean must follow.
    answer(2, 5).await;
    let doc = read(&p.b, &people[1].token, &path).await;
    assert_eq!(doc["round"]["respondents"], 3);
    assert_eq!(mean(&doc), json!(3.0), "{doc}");
}

#[tokio::test]
async fn stage_checklists_kept_by_one_server_follow_writes_on_the_other() {
    use axum::http::Method;
    use serde_json::json;
    let p = pair().await;
    let ann = p.a.person("Ann").await;
    let org = p.a.organisation(&ann, "Riverside Food Bank").await;
    let c = p.a.collaboration(&ann, org, "Holiday hunger").await;
    let stage = format!("/api/v1/collaborations/{c}/stages/identify");
    async fn item(app: &TestApp, token: &str, path: &str, key: &str) -> serde_json::Value {
        let r = app.api(Method::GET, path, Some(token), None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let doc = r.json();
        doc["checklist"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["key"] == key)
            .cloned()
            .unwrap_or_else(|| panic!("no {key} in {doc}"))
    }
    // B reads (and keeps) the checklists: through the stage and through
    // the collaboration page, which shows every stage's.
    let before = item(&p.b, &ann.token, &stage, "environment_mapped").await;
    assert_eq!(before["done"], false, "{before}");
    let page = p.b.get(&format!("/collaborations/{c}"), Some(&ann)).await;
    let environment_done =
        "Strategic environment looked at (SWOT or PESTLE)</a> <strong class=\"tag tag-done\">Done";
    assert!(!page.body.contains(environment_done), "{}", page.body);
    // A write in the collaboration on A shows on B at once.
    let r =
        p.a.api(
            Method::POST,
            &format!("/api/v1/collaborations/{c}/environment"),
            Some(&ann.token),
            Some(
                json!({"framework": "swot", "category": "strength", "text": "Trusted by families"}),
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let after = item(&p.b, &ann.token, &stage, "environment_mapped").await;
    assert_eq!(after["done"], true, "{after}");
    assert_eq!(after["detail"], "1 item noted.");
    let page = p.b.get(&format!("/collaborations/{c}"), Some(&ann)).await;
    assert!(page.body.contains(environment_done), "{}", page.body);
    // A change to a taking-part organisation (not to the collaboration)
    // shows too: the goals item names the organisations still to set them.
    let bea = p.a.person("Bea").await;
    let hill = p.a.organisation(&bea, "Hill Trust").await;
    let invitation = p.a.invite(&ann, c, hill, "partner").await;
    p.a.accept(&bea, invitation).await;
    let r =
        p.a.api(
            Method::POST,
            &format!("/api/v1/collaborations/{c}/goals"),
            Some(&ann.token),
            Some(json!({"benefit": "efficiency", "title": "Share a minibus"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let goals = item(&p.b, &ann.token, &stage, "goals_set").await;
    assert_eq!(goals["detail"], "Waiting for Hill Trust.", "{goals}");
    let r =
        p.a.api(
            Method::PUT,
            &format!("/api/v1/organisations/{hill}"),
            Some(&bea.token),
            Some(json!({"name": "Hill Community Trust", "kind": "community_group"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let goals = item(&p.b, &ann.token, &stage, "goals_set").await;
    assert_eq!(
        goals["detail"], "Waiting for Hill Community Trust.",
        "{goals}"
    );
}
