//! The JSON API, driven the way a program would use it: the whole slice
//! from creating an account to a partner seeing a shared collaboration,
//! and bad input for every endpoint that takes a body.

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::{TestApp, TestResponse};
use serde_json::{Value, json};

/// Checks a response is a JSON problem with this status, and returns its body.
#[track_caller]
fn problem(res: &TestResponse, status: StatusCode) -> Value {
    assert_eq!(res.status, status, "{}", res.body);
    assert_eq!(
        res.header("content-type").as_deref(),
        Some("application/problem+json"),
        "not a problem: {}",
        res.body
    );
    let body = res.json();
    assert_eq!(body["status"], status.as_u16());
    assert_eq!(body["type"], "about:blank");
    assert!(body["title"].as_str().is_some_and(|t| !t.is_empty()));
    assert!(body["detail"].as_str().is_some_and(|t| !t.is_empty()));
    body
}

/// Checks a 422 problem names `field` in its `errors`.
#[track_caller]
fn invalid(res: &TestResponse, field: &str) -> Value {
    let body = problem(res, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body["errors"][field]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "no error for {field}: {}",
        res.body
    );
    body
}

async fn raw(
    app: &TestApp,
    method: Method,
    path: &str,
    token: Option<&str>,
    content_type: Option<&str>,
    body: Vec<u8>,
) -> TestResponse {
    let mut req = Request::builder().method(method).uri(path);
    if let Some(t) = token {
        req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    if let Some(ct) = content_type {
        req = req.header(header::CONTENT_TYPE, ct);
    }
    app.request(req.body(Body::from(body)).unwrap()).await
}

async fn sign_up(app: &TestApp, email: &str, name: &str) -> (i64, String) {
    let res = app
        .api(
            Method::POST,
            "/api/v1/users",
            None,
            Some(json!({"email": email, "name": name, "password": "a long enough passphrase"})),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let user = res.json();
    assert_eq!(user["email"], email);
    assert!(user.get("password").is_none() && !res.body.contains("argon2"));
    let res = app
        .api(
            Method::POST,
            "/api/v1/tokens",
            None,
            Some(json!({"email": email, "password": "a long enough passphrase", "label": "Tests"})),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let token = res.json();
    assert_eq!(token["label"], "Tests");
    (
        user["id"].as_i64().unwrap(),
        token["token"].as_str().unwrap().to_string(),
    )
}

#[tokio::test]
async fn the_whole_slice_through_the_api() {
    let app = TestApp::new().await;
    let (ann_id, ann) = sign_up(&app, "ann@riverside.example", "Ann Patel").await;
    let (_, bea) = sign_up(&app, "bea@hillside.example", "Bea Jones").await;
    let (cal_id, cal) = sign_up(&app, "cal@hillside.example", "Cal Smith").await;
    let (_, dan) = sign_up(&app, "dan@elsewhere.example", "Dan Brown").await;

    let me = app.api(Method::GET, "/api/v1/me", Some(&ann), None).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.json()["id"], ann_id);
    assert_eq!(me.json()["organisations"], json!([]));

    // Ann registers her charity.
    let res = app
        .api(
            Method::POST,
            "/api/v1/organisations",
            Some(&ann),
            Some(json!({
                "name": "Riverside Food Bank",
                "kind": "registered_charity",
                "charity_number": "1234567",
                "mission": "No one in Riverside goes hungry.",
                "areas_served": ["Riverside", "Hillside"],
                "causes": ["Food poverty"],
                "website": "https://riverside.example"
            })),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let riverside = res.json();
    let riverside_id = riverside["id"].as_i64().unwrap();
    assert_eq!(riverside["kind"], "registered_charity");
    assert_eq!(riverside["org_identifier"], "GB-CHC-1234567");
    assert_eq!(riverside["areas_served"], json!(["Riverside", "Hillside"]));
    assert_eq!(riverside["your_role"], "admin");
    assert!(riverside["created_at"].as_i64().unwrap() > 0);
    assert!(
        riverside["created_at_rfc3339"]
            .as_str()
            .unwrap()
            .ends_with('Z')
    );

    // Bea registers her club and invites Cal as a member.
    let res = app
        .api(
            Method::POST,
            "/api/v1/organisations",
            Some(&bea),
            Some(json!({"name": "Hillside Youth Club", "kind": "community_group"})),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let hillside_id = res.json()["id"].as_i64().unwrap();
    let res = app
        .api(
            Method::POST,
            &format!("/api/v1/organisations/{hillside_id}/invitations"),
            Some(&bea),
            Some(json!({"email": "cal@hillside.example", "role": "member"})),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    assert!(
        !res.body.contains("/join/"),
        "the invitation code must only go by email"
    );
    let open = app
        .api(
            Method::GET,
            &format!("/api/v1/organisations/{hillside_id}/invitations"),
            Some(&bea),
            None,
        )
        .await;
    assert_eq!(open.json().as_array().unwrap().len(), 1);
    let link = app.link_for("cal@hillside.example", "/join/");
    let code = link.trim_start_matches("/join/");
    let joined = app
        .api(
            Method::POST,
            "/api/v1/member-invitations/accept",
            Some(&cal),
            Some(json!({"token": code})),
        )
        .await;
    assert_eq!(joined.status, StatusCode::OK, "{}", joined.body);
    assert_eq!(joined.json()["organisation_id"], hillside_id);
    assert_eq!(joined.json()["role"], "member");
    let again = app
        .api(
            Method::POST,
            "/api/v1/member-invitations/accept",
            Some(&cal),
            Some(json!({"token": code})),
        )
        .await;
    problem(&again, StatusCode::CONFLICT);
    let members = app
        .api(
            Method::GET,
            &format!("/api/v1/organisations/{hillside_id}/members"),
            Some(&cal),
            None,
        )
        .await;
    assert_eq!(members.status, StatusCode::OK);
    assert!(
        members
            .json()
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["user_id"] == cal_id && m["role"] == "member")
    );

    // Ann finds Hillside and opens a collaboration.
    let found = app
        .api(
            Method::GET,
            "/api/v1/organisations?q=hill",
            Some(&ann),
            None,
        )
        .await;
    assert_eq!(found.status, StatusCode::OK);
    assert_eq!(found.json()[0]["id"], hillside_id);
    let by_id = app
        .api(
            Method::GET,
            "/api/v1/organisations?q=gb-chc-1234567",
            Some(&bea),
            None,
        )
        .await;
    assert_eq!(by_id.json()[0]["id"], riverside_id);
    let res = app
        .api(
            Method::POST,
            "/api/v1/collaborations",
            Some(&ann),
            Some(json!({"organisation_id": riverside_id, "title": "Holiday hunger project", "purpose": "Meals and activities for children in the school holidays."})),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let collab = res.json();
    let cid = collab["id"].as_i64().unwrap();
    assert_eq!(collab["stage"], "identify");
    assert_eq!(collab["can_manage"], true);
    assert_eq!(collab["acting_organisation_id"], riverside_id);
    assert_eq!(collab["participants"][0]["role"], "lead");
    assert_eq!(collab["invitations"], json!([]));

    // Ann invites Hillside as a partner.
    let res = app
        .api(
            Method::POST,
            &format!("/api/v1/collaborations/{cid}/invitations"),
            Some(&ann),
            Some(
                json!({"organisation_id": hillside_id, "message": "Would you run the activities?"}),
            ),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let invitation = res.json();
    let inv_id = invitation["id"].as_i64().unwrap();
    assert_eq!(invitation["status"], "pending");
    assert_eq!(invitation["role"], "partner");
    let sent = app
        .api(
            Method::GET,
            &format!("/api/v1/collaborations/{cid}/invitations"),
            Some(&ann),
            None,
        )
        .await;
    assert_eq!(sent.json()[0]["id"], inv_id);

    // Before Hillside accepts, Cal sees the invitation but not the collaboration.
    let list = app
        .api(Method::GET, "/api/v1/collaborations", Some(&cal), None)
        .await;
    assert_eq!(list.json()["total"], 0);
    problem(
        &app.api(
            Method::GET,
            &format!("/api/v1/collaborations/{cid}"),
            Some(&cal),
            None,
        )
        .await,
        StatusCode::NOT_FOUND,
    );
    let seen = app
        .api(
            Method::GET,
            &format!("/api/v1/invitations/{inv_id}"),
            Some(&cal),
            None,
        )
        .await;
    assert_eq!(seen.status, StatusCode::OK);
    assert_eq!(seen.json()["can_answer"], false);
    assert_eq!(seen.json()["collaboration_title"], "Holiday hunger project");
    problem(
        &app.api(
            Method::POST,
            &format!("/api/v1/invitations/{inv_id}/accept"),
            Some(&cal),
            None,
        )
        .await,
        StatusCode::FORBIDDEN,
    );

    // Bea, an admin of Hillside, accepts.
    let waiting = app
        .api(Method::GET, "/api/v1/invitations", Some(&bea), None)
        .await;
    assert_eq!(waiting.json().as_array().unwrap().len(), 1);
    assert_eq!(waiting.json()[0]["id"], inv_id);
    let accepted = app
        .api(
            Method::POST,
            &format!("/api/v1/invitations/{inv_id}/accept"),
            Some(&bea),
            None,
        )
        .await;
    assert_eq!(accepted.status, StatusCode::OK, "{}", accepted.body);
    assert_eq!(accepted.json()["status"], "accepted");
    problem(
        &app.api(
            Method::POST,
            &format!("/api/v1/invitations/{inv_id}/decline"),
            Some(&bea),
            None,
        )
        .await,
        StatusCode::CONFLICT,
    );

    // Now Cal, a member of Hillside, sees it in the list.
    let list = app
        .api(
            Method::GET,
            "/api/v1/collaborations?page=1&per_page=10",
            Some(&cal),
            None,
        )
        .await;
    assert_eq!(list.status, StatusCode::OK);
    let page = list.json();
    assert_eq!(page["total"], 1);
    assert_eq!(page["page"], 1);
    assert_eq!(page["per_page"], 10);
    let item = &page["items"][0];
    assert_eq!(item["id"], cid);
    assert_eq!(item["title"], "Holiday hunger project");
    assert_eq!(item["stage"], "identify");
    let mut names: Vec<&str> = item["participants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["Hillside Youth Club", "Riverside Food Bank"]);
    let view = app
        .api(
            Method::GET,
            &format!("/api/v1/collaborations/{cid}"),
            Some(&cal),
            None,
        )
        .await
        .json();
    assert_eq!(view["can_edit"], false);
    assert_eq!(view["can_manage"], false);
    assert!(
        view.get("invitations").is_none(),
        "only those who manage see invitations"
    );

    // The lead moves the stage; a stale move is refused.
    let moved = app
        .api(
            Method::POST,
            &format!("/api/v1/collaborations/{cid}/stage"),
            Some(&ann),
            Some(json!({"direction": "forward", "from": "identify"})),
        )
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    assert_eq!(moved.json(), json!({"stage": "plan"}));
    let stale = app
        .api(
            Method::POST,
            &format!("/api/v1/collaborations/{cid}/stage"),
            Some(&ann),
            Some(json!({"direction": "forward", "from": "identify"})),
        )
        .await;
    problem(&stale, StatusCode::CONFLICT);
    let partner_move = app
        .api(
            Method::POST,
            &format!("/api/v1/collaborations/{cid}/stage"),
            Some(&bea),
            Some(json!({"direction": "back"})),
        )
        .await;
    problem(&partner_move, StatusCode::FORBIDDEN);

    let updated = app
        .api(
            Method::PUT,
            &format!("/api/v1/collaborations/{cid}"),
            Some(&ann),
            Some(json!({"title": "Holiday hunger project 2026", "purpose": "Meals and play."})),
        )
        .await;
    assert_eq!(updated.status, StatusCode::OK, "{}", updated.body);
    assert_eq!(updated.json()["title"], "Holiday hunger project 2026");

    // Partners read the trail.
    let audit = app
        .api(
            Method::GET,
            &format!("/api/v1/collaborations/{cid}/audit"),
            Some(&cal),
            None,
        )
        .await;
    assert_eq!(audit.status, StatusCode::OK);
    let trail = audit.json();
    let actions: Vec<&str> = trail["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions[0], "collaboration.updated");
    assert!(actions.contains(&"stage.moved") && actions.contains(&"invitation.accepted"));
    assert_eq!(trail["next_before"], Value::Null);

    // Someone unrelated cannot see it, nor learn that it exists.
    for path in [
        format!("/api/v1/collaborations/{cid}"),
        format!("/api/v1/collaborations/{cid}/audit"),
    ] {
        let res = app.api(Method::GET, &path, Some(&dan), None).await;
        problem(&res, StatusCode::NOT_FOUND);
        assert!(!res.body.contains("Holiday hunger"));
    }
    let missing = app
        .api(
            Method::GET,
            "/api/v1/collaborations/999999",
            Some(&dan),
            None,
        )
        .await;
    assert_eq!(
        missing.body,
        app.api(
            Method::GET,
            &format!("/api/v1/collaborations/{cid}"),
            Some(&dan),
            None
        )
        .await
        .body
    );
    assert_eq!(
        app.api(Method::GET, "/api/v1/collaborations", Some(&dan), None)
            .await
            .json()["total"],
        0
    );
    problem(
        &app.api(
            Method::GET,
            &format!("/api/v1/organisations/{hillside_id}/members"),
            Some(&dan),
            None,
        )
        .await,
        StatusCode::NOT_FOUND,
    );

    // The lead changes Hillside's role, then Hillside leaves.
    let role = app
        .api(
            Method::PATCH,
            &format!("/api/v1/collaborations/{cid}/participants/{hillside_id}"),
            Some(&ann),
            Some(json!({"role": "observer"})),
        )
        .await;
    assert_eq!(role.status, StatusCode::OK, "{}", role.body);
    assert_eq!(role.json()["role"], "observer");
    let leave = app
        .api(
            Method::POST,
            &format!("/api/v1/collaborations/{cid}/leave"),
            Some(&bea),
            None,
        )
        .await;
    assert_eq!(leave.status, StatusCode::NO_CONTENT, "{}", leave.body);
    assert!(leave.body.is_empty());
    problem(
        &app.api(
            Method::GET,
            &format!("/api/v1/collaborations/{cid}"),
            Some(&cal),
            None,
        )
        .await,
        StatusCode::NOT_FOUND,
    );
    // The lead cannot leave its own collaboration.
    problem(
        &app.api(
            Method::DELETE,
            &format!("/api/v1/collaborations/{cid}/participants/{riverside_id}"),
            Some(&ann),
            None,
        )
        .await,
        StatusCode::CONFLICT,
    );
}

#[tokio::test]
async fn tokens_can_be_listed_and_revoked() {
    let app = TestApp::new().await;
    let ann = app.person("Ann").await;
    let res = app
        .api(
            Method::POST,
            "/api/v1/tokens",
            None,
            Some(json!({"email": ann.email, "password": ann.password, "label": "Spreadsheet"})),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let created = res.json();
    let secret = created["token"].as_str().unwrap().to_string();
    let id = created["id"].as_i64().unwrap();

    let list = app
        .api(Method::GET, "/api/v1/tokens", Some(&secret), None)
        .await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(
        !list.body.contains(&secret),
        "listing must never show secrets"
    );
    let tokens = list.json();
    let labels: Vec<&str> = tokens
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["label"].as_str().unwrap())
        .collect();
    assert!(labels.contains(&"Spreadsheet") && labels.contains(&"tests"));

    // Someone else cannot revoke it.
    let bob = app.person("Bob").await;
    problem(
        &app.api(
            Method::DELETE,
            &format!("/api/v1/tokens/{id}"),
            Some(&bob.token),
            None,
        )
        .await,
        StatusCode::NOT_FOUND,
    );

    let revoked = app
        .api(
            Method::DELETE,
            &format!("/api/v1/tokens/{id}"),
            Some(&ann.token),
            None,
        )
        .await;
    assert_eq!(revoked.status, StatusCode::NO_CONTENT);
    let after = app
        .api(Method::GET, "/api/v1/me", Some(&secret), None)
        .await;
    problem(&after, StatusCode::UNAUTHORIZED);
    problem(
        &app.api(
            Method::DELETE,
            &format!("/api/v1/tokens/{id}"),
            Some(&ann.token),
            None,
        )
        .await,
        StatusCode::NOT_FOUND,
    );
    let list = app
        .api(Method::GET, "/api/v1/tokens", Some(&ann.token), None)
        .await
        .json();
    let entry = list
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == id)
        .unwrap()
        .clone();
    assert!(entry["revoked_at"].as_i64().is_some());

    // Wrong passwords: a field error, then a limit.
    let wrong = app
        .api(
            Method::POST,
            "/api/v1/tokens",
            None,
            Some(json!({"email": ann.email, "password": "not the password", "label": "x"})),
        )
        .await;
    invalid(&wrong, "email");
    let mut last = wrong;
    for _ in 0..commonground_web::actions::accounts::SIGN_IN_ACCOUNT_LIMIT {
        last = app
            .api(
                Method::POST,
                "/api/v1/tokens",
                None,
                Some(json!({"email": ann.email, "password": "not the password", "label": "x"})),
            )
            .await;
    }
    problem(&last, StatusCode::TOO_MANY_REQUESTS);
    assert!(last.header("retry-after").is_some());
}

#[tokio::test]
async fn unknown_paths_and_methods_are_json_problems() {
    let app = TestApp::new().await;
    let ann = app.person("Ann").await;
    for path in [
        "/api/v1",
        "/api/v1/",
        "/api/v1/nothing",
        "/api/v1/organisations/1/nothing/here",
        "/api/v1/organisations/abc",
    ] {
        let res = app.api(Method::GET, path, Some(&ann.token), None).await;
        problem(&res, StatusCode::NOT_FOUND);
    }
    let res = app
        .api(
            Method::PATCH,
            "/api/v1/collaborations",
            Some(&ann.token),
            None,
        )
        .await;
    problem(&res, StatusCode::METHOD_NOT_ALLOWED);
    let allow = res.header("allow").unwrap_or_default();
    assert!(allow.contains("GET") && allow.contains("POST"), "{allow}");
    // `/me` takes GET and DELETE (deleting one's account), not PUT.
    problem(
        &app.api(Method::PUT, "/api/v1/me", Some(&ann.token), None)
            .await,
        StatusCode::METHOD_NOT_ALLOWED,
    );
    // Pages keep their HTML page.
    let page = app.get("/nothing-here", None).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(
        page.header("content-type")
            .unwrap_or_default()
            .starts_with("text/html")
    );
    // API answers are not cached.
    assert_eq!(
        app.api(Method::GET, "/api/v1/me", Some(&ann.token), None)
            .await
            .header("cache-control")
            .as_deref(),
        Some("no-store")
    );
    // Unreadable query parameters are a 400.
    problem(
        &app.api(
            Method::GET,
            "/api/v1/collaborations?page=first",
            Some(&ann.token),
            None,
        )
        .await,
        StatusCode::BAD_REQUEST,
    );
    problem(
        &app.api(
            Method::GET,
            "/api/v1/collaborations/1/audit?before=x",
            Some(&ann.token),
            None,
        )
        .await,
        StatusCode::BAD_REQUEST,
    );
    invalid(
        &app.api(
            Method::GET,
            &format!("/api/v1/organisations?q={}", "a".repeat(201)),
            Some(&ann.token),
            None,
        )
        .await,
        "q",
    );
}

/// One endpoint that takes a body, with what to send to test it.
struct BodyCase {
    method: Method,
    path: String,
    /// Sent by someone allowed, this body is accepted.
    valid: Value,
    /// A field to give the wrong JSON type.
    typed_field: &'static str,
    /// A field that must be there.
    required: &'static str,
    /// A body of empty values, and a field it must name.
    empty: Value,
    empty_field: &'static str,
    /// A body with one value too long, and the field it must name.
    long: Value,
    long_field: &'static str,
    /// False for the two endpoints used before having a token.
    authenticated: bool,
}

#[tokio::test]
async fn bad_input_is_refused_with_a_clear_problem() {
    let app = TestApp::new().await;
    let ann = app.person("Ann").await;
    let org = app.organisation(&ann, "Riverside Food Bank").await;
    let sam = app.person("Sam").await;
    app.join(&sam, org, false).await;
    let bea = app.person("Bea").await;
    let partner = app.organisation(&bea, "Hillside Youth Club").await;
    let third = app.organisation(&bea, "Valley Arts").await;
    let cid = app.collaboration(&ann, org, "Holiday hunger project").await;
    let inv = app.invite(&ann, cid, partner, "partner").await;
    app.accept(&bea, inv).await;
    let long = |n: usize| "x".repeat(n);

    let cases = vec![
        BodyCase {
            method: Method::POST,
            path: "/api/v1/users".into(),
            valid: json!({"email": "new@example.org", "name": "New Person", "password": "a long enough passphrase"}),
            typed_field: "name",
            required: "password",
            empty: json!({"email": "", "name": "", "password": ""}),
            empty_field: "name",
            long: json!({"email": "new2@example.org", "name": long(101), "password": "a long enough passphrase"}),
            long_field: "name",
            authenticated: false,
        },
        BodyCase {
            method: Method::POST,
            path: "/api/v1/tokens".into(),
            valid: json!({"email": ann.email, "password": ann.password, "label": "Script"}),
            typed_field: "password",
            required: "label",
            empty: json!({"email": ann.email, "password": ann.password, "label": "  "}),
            empty_field: "label",
            long: json!({"email": ann.email, "password": ann.password, "label": long(101)}),
            long_field: "label",
            authenticated: false,
        },
        BodyCase {
            method: Method::POST,
            path: "/api/v1/organisations".into(),
            valid: json!({"name": "Another Group", "kind": "community_group", "areas_served": ["Leeds"]}),
            typed_field: "areas_served",
            required: "name",
            empty: json!({"name": "", "kind": ""}),
            empty_field: "kind",
            long: json!({"name": long(201), "kind": "other"}),
            long_field: "name",
            authenticated: true,
        },
        BodyCase {
            method: Method::PUT,
            path: format!("/api/v1/organisations/{org}"),
            valid: json!({"name": "Riverside Food Bank", "kind": "community_group", "mission": "Food for all."}),
            typed_field: "mission",
            required: "kind",
            empty: json!({"name": " ", "kind": "other"}),
            empty_field: "name",
            long: json!({"name": "Riverside Food Bank", "kind": "other", "mission": long(2001)}),
            long_field: "mission",
            authenticated: true,
        },
        BodyCase {
            method: Method::PATCH,
            path: format!("/api/v1/organisations/{org}/members/{}", sam.id),
            valid: json!({"role": "admin"}),
            typed_field: "role",
            required: "role",
            empty: json!({"role": ""}),
            empty_field: "role",
            long: json!({"role": long(5000)}),
            long_field: "role",
            authenticated: true,
        },
        BodyCase {
            method: Method::POST,
            path: format!("/api/v1/organisations/{org}/invitations"),
            valid: json!({"email": "joiner@example.org", "role": "member"}),
            typed_field: "email",
            required: "email",
            empty: json!({"email": "", "role": "member"}),
            empty_field: "email",
            long: json!({"email": format!("{}@example.org", long(300)), "role": "member"}),
            long_field: "email",
            authenticated: true,
        },
        BodyCase {
            method: Method::POST,
            path: "/api/v1/member-invitations/accept".into(),
            // Accepted as input; no such invitation, so not found.
            valid: json!({"token": "0".repeat(64)}),
            typed_field: "token",
            required: "token",
            empty: json!({"token": " "}),
            empty_field: "token",
            long: json!({"token": long(10_000)}),
            long_field: "token",
            authenticated: true,
        },
        BodyCase {
            method: Method::POST,
            path: "/api/v1/collaborations".into(),
            valid: json!({"organisation_id": org, "title": "Warm spaces", "purpose": "Somewhere warm this winter."}),
            typed_field: "organisation_id",
            required: "title",
            empty: json!({"organisation_id": org, "title": "", "purpose": ""}),
            empty_field: "purpose",
            long: json!({"organisation_id": org, "title": long(151), "purpose": "Fine."}),
            long_field: "title",
            authenticated: true,
        },
        BodyCase {
            method: Method::PUT,
            path: format!("/api/v1/collaborations/{cid}"),
            valid: json!({"title": "Holiday hunger project", "purpose": "Meals for children."}),
            typed_field: "title",
            required: "purpose",
            empty: json!({"title": "", "purpose": ""}),
            empty_field: "title",
            long: json!({"title": "Fine title", "purpose": long(4001)}),
            long_field: "purpose",
            authenticated: true,
        },
        BodyCase {
            method: Method::POST,
            path: format!("/api/v1/collaborations/{cid}/stage"),
            valid: json!({"direction": "forward", "from": "identify"}),
            typed_field: "direction",
            required: "direction",
            empty: json!({"direction": ""}),
            empty_field: "direction",
            long: json!({"direction": "forward", "from": long(3000)}),
            long_field: "from",
            authenticated: true,
        },
        BodyCase {
            method: Method::POST,
            path: format!("/api/v1/collaborations/{cid}/invitations"),
            valid: json!({"organisation_id": third, "role": "observer", "message": "Join us?"}),
            typed_field: "message",
            required: "organisation_id",
            empty: json!({"organisation_id": null, "role": "", "message": ""}),
            empty_field: "organisation_id",
            long: json!({"organisation_id": third, "message": long(2001)}),
            long_field: "message",
            authenticated: true,
        },
        BodyCase {
            method: Method::PATCH,
            path: format!("/api/v1/collaborations/{cid}/participants/{partner}"),
            valid: json!({"role": "facilitator"}),
            typed_field: "role",
            required: "role",
            empty: json!({"role": ""}),
            empty_field: "role",
            long: json!({"role": long(3000)}),
            long_field: "role",
            authenticated: true,
        },
    ];

    let revoked = {
        let (token, secret) = commonground_web::actions::accounts::create_api_token(
            &app.state,
            &ann.actor(&app).user,
            "old",
        )
        .await
        .unwrap();
        commonground_web::actions::accounts::revoke_api_token(
            &app.state,
            &ann.actor(&app).user,
            token.id,
        )
        .await
        .unwrap();
        secret
    };
    let t = Some(ann.token.as_str());

    for case in &cases {
        let label = format!("{} {}", case.method, case.path);
        let send = |body: Value| app.api(case.method.clone(), &case.path, t, Some(body));

        if case.authenticated {
            for token in [None, Some(revoked.as_str()), Some("not-a-token")] {
                let res = app
                    .api(
                        case.method.clone(),
                        &case.path,
                        token,
                        Some(case.valid.clone()),
                    )
                    .await;
                assert_eq!(
                    res.status,
                    StatusCode::UNAUTHORIZED,
                    "{label} with {token:?}: {}",
                    res.body
                );
                problem(&res, StatusCode::UNAUTHORIZED);
            }
        }

        // Not JSON, or not readable as text.
        let res = raw(
            &app,
            case.method.clone(),
            &case.path,
            t,
            Some("application/json"),
            b"{,}".to_vec(),
        )
        .await;
        assert_eq!(
            res.status,
            StatusCode::BAD_REQUEST,
            "{label}: invalid JSON gave {}",
            res.body
        );
        problem(&res, StatusCode::BAD_REQUEST);
        let mut bytes = b"{\"".to_vec();
        bytes.extend_from_slice(&[0xff, 0xfe, 0xfd]);
        bytes.extend_from_slice(b"\": 1}");
        let res = raw(
            &app,
            case.method.clone(),
            &case.path,
            t,
            Some("application/json"),
            bytes,
        )
        .await;
        assert_eq!(
            res.status,
            StatusCode::BAD_REQUEST,
            "{label}: invalid UTF-8 gave {}",
            res.body
        );
        problem(&res, StatusCode::BAD_REQUEST);
        let res = raw(
            &app,
            case.method.clone(),
            &case.path,
            t,
            Some("text/plain"),
            case.valid.to_string().into_bytes(),
        )
        .await;
        assert_eq!(
            res.status,
            StatusCode::BAD_REQUEST,
            "{label}: wrong content type gave {}",
            res.body
        );
        let res = raw(
            &app,
            case.method.clone(),
            &case.path,
            t,
            Some("application/json"),
            Vec::new(),
        )
        .await;
        assert_eq!(
            res.status,
            StatusCode::BAD_REQUEST,
            "{label}: no body gave {}",
            res.body
        );

        // Too large.
        let mut huge = case.valid.clone();
        huge[case.typed_field] = json!("x".repeat(70 * 1024));
        let res = send(huge).await;
        assert_eq!(
            res.status,
            StatusCode::PAYLOAD_TOO_LARGE,
            "{label}: {}",
            res.body
        );
        problem(&res, StatusCode::PAYLOAD_TOO_LARGE);

        // The right JSON with the wrong shape.
        let mut unknown = case.valid.clone();
        unknown["surprise"] = json!(true);
        let res = send(unknown).await;
        assert!(
            res.status == StatusCode::UNPROCESSABLE_ENTITY,
            "{label}: unknown field gave {}",
            res.body
        );
        invalid(&res, "surprise");
        let mut typed = case.valid.clone();
        typed[case.typed_field] = json!({"nested": [1, 2, 3]});
        let res = send(typed).await;
        assert!(
            res.status == StatusCode::UNPROCESSABLE_ENTITY,
            "{label}: wrong type gave {}",
            res.body
        );
        invalid(&res, case.typed_field);
        let res = send(json!([case.valid.clone()])).await;
        assert_eq!(
            res.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{label}: an array gave {}",
            res.body
        );
        let res = send(json!("just a string")).await;
        assert_eq!(
            res.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{label}: a string gave {}",
            res.body
        );

        // A required field left out is named.
        let mut missing = case.valid.clone();
        missing.as_object_mut().unwrap().remove(case.required);
        let res = send(missing).await;
        assert_eq!(
            res.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{label}: without {} gave {}",
            case.required,
            res.body
        );
        invalid(&res, case.required);

        // Empty and too long values get the domain's messages.
        let res = send(case.empty.clone()).await;
        assert_eq!(
            res.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{label}: empty gave {}",
            res.body
        );
        invalid(&res, case.empty_field);
        let res = send(case.long.clone()).await;
        assert_eq!(
            res.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{label}: too long gave {}",
            res.body
        );
        invalid(&res, case.long_field);
    }

    // Nothing above changed anything; now each valid body goes through.
    for case in &cases {
        let res = app
            .api(case.method.clone(), &case.path, t, Some(case.valid.clone()))
            .await;
        let expected = if case.path.ends_with("/member-invitations/accept") {
            StatusCode::NOT_FOUND
        } else if case.method == Method::POST && !case.path.ends_with("/stage") {
            StatusCode::CREATED
        } else {
            StatusCode::OK
        };
        assert_eq!(
            res.status, expected,
            "{} {}: {}",
            case.method, case.path, res.body
        );
    }
}

#[tokio::test]
async fn foreign_ids_are_not_found() {
    let app = TestApp::new().await;
    let ann = app.person("Ann").await;
    let org = app.organisation(&ann, "Riverside Food Bank").await;
    let cid = app.collaboration(&ann, org, "Holiday hunger project").await;
    let zoe = app.person("Zoe").await;
    let other = app.organisation(&zoe, "Zoe's Group").await;
    let other_c = app.collaboration(&zoe, other, "Zoe's secret plan").await;
    let t = Some(ann.token.as_str());

    let role = json!({"role": "admin"});
    let cases: Vec<(Method, String, Option<Value>)> = vec![
        (
            Method::PUT,
            format!("/api/v1/organisations/{other}"),
            Some(json!({"name": "Taken over", "kind": "other"})),
        ),
        (
            Method::GET,
            format!("/api/v1/organisations/{other}/members"),
            None,
        ),
        (
            Method::PATCH,
            format!("/api/v1/organisations/{other}/members/{}", zoe.id),
            Some(role.clone()),
        ),
        (
            Method::DELETE,
            format!("/api/v1/organisations/{other}/members/{}", zoe.id),
            None,
        ),
        (
            Method::GET,
            format!("/api/v1/organisations/{other}/invitations"),
            None,
        ),
        (
            Method::POST,
            format!("/api/v1/organisations/{other}/invitations"),
            Some(json!({"email": "x@example.org", "role": "admin"})),
        ),
        (
            Method::DELETE,
            format!("/api/v1/organisations/{other}/invitations/1"),
            None,
        ),
        (
            Method::GET,
            format!("/api/v1/organisations/{other}/audit"),
            None,
        ),
        // Someone else in my own organisation's path that is not a member.
        (
            Method::PATCH,
            format!("/api/v1/organisations/{org}/members/{}", zoe.id),
            Some(role.clone()),
        ),
        (
            Method::DELETE,
            format!("/api/v1/organisations/{org}/members/{}", zoe.id),
            None,
        ),
        (Method::GET, "/api/v1/organisations/999999".into(), None),
        (
            Method::GET,
            format!("/api/v1/collaborations/{other_c}"),
            None,
        ),
        (
            Method::PUT,
            format!("/api/v1/collaborations/{other_c}"),
            Some(json!({"title": "Mine now", "purpose": "Taken."})),
        ),
        (
            Method::POST,
            format!("/api/v1/collaborations/{other_c}/stage"),
            Some(json!({"direction": "forward"})),
        ),
        (
            Method::GET,
            format!("/api/v1/collaborations/{other_c}/invitations"),
            None,
        ),
        (
            Method::POST,
            format!("/api/v1/collaborations/{other_c}/invitations"),
            Some(json!({"organisation_id": org})),
        ),
        (
            Method::DELETE,
            format!("/api/v1/collaborations/{other_c}/invitations/1"),
            None,
        ),
        (
            Method::PATCH,
            format!("/api/v1/collaborations/{other_c}/participants/{other}"),
            Some(json!({"role": "partner"})),
        ),
        (
            Method::DELETE,
            format!("/api/v1/collaborations/{other_c}/participants/{other}"),
            None,
        ),
        (
            Method::POST,
            format!("/api/v1/collaborations/{other_c}/leave"),
            None,
        ),
        (
            Method::GET,
            format!("/api/v1/collaborations/{other_c}/audit"),
            None,
        ),
        // Things that are not there inside my own collaboration.
        (
            Method::PATCH,
            format!("/api/v1/collaborations/{cid}/participants/{other}"),
            Some(json!({"role": "partner"})),
        ),
        (
            Method::DELETE,
            format!("/api/v1/collaborations/{cid}/participants/{other}"),
            None,
        ),
        (
            Method::DELETE,
            format!("/api/v1/collaborations/{cid}/invitations/999999"),
            None,
        ),
        (Method::GET, "/api/v1/invitations/999999".into(), None),
        (
            Method::POST,
            "/api/v1/invitations/999999/accept".into(),
            None,
        ),
        (
            Method::POST,
            "/api/v1/invitations/999999/decline".into(),
            None,
        ),
        (Method::DELETE, "/api/v1/tokens/999999".into(), None),
    ];
    for (method, path, body) in cases {
        let res = app.api(method.clone(), &path, t, body).await;
        assert_eq!(
            res.status,
            StatusCode::NOT_FOUND,
            "{method} {path}: {}",
            res.body
        );
        problem(&res, StatusCode::NOT_FOUND);
        assert!(!res.body.contains("secret plan") && !res.body.contains(&zoe.email));
    }
    // Ids in a body that are not the caller's are field errors.
    let res = app
        .api(
            Method::POST,
            "/api/v1/collaborations",
            t,
            Some(json!({"organisation_id": other, "title": "Sneaky", "purpose": "Lead as Zoe."})),
        )
        .await;
    invalid(&res, "organisation_id");
    let res = app
        .api(
            Method::POST,
            &format!("/api/v1/collaborations/{cid}/invitations"),
            t,
            Some(json!({"organisation_id": 999_999})),
        )
        .await;
    invalid(&res, "organisation_id");
    // Zoe's collaboration is untouched.
    let view = app
        .api(
            Method::GET,
            &format!("/api/v1/collaborations/{other_c}"),
            Some(&zoe.token),
            None,
        )
        .await
        .json();
    assert_eq!(view["title"], "Zoe's secret plan");
    assert_eq!(view["stage"], "identify");
    assert_eq!(view["participants"].as_array().unwrap().len(), 1);
}

/// Found by fuzzing: a blank `from` is not a stage, so it must not be read
/// as "no check" and move the stage anyway.
#[tokio::test]
async fn stage_move_refuses_a_blank_from() {
    let app = TestApp::new().await;
    let ann = app.person("Ann").await;
    let org = app.organisation(&ann, "Riverside Food Bank").await;
    let cid = app.collaboration(&ann, org, "Shared food hub").await;
    let path = format!("/api/v1/collaborations/{cid}/stage");
    for blank in ["", "   "] {
        let res = app
            .api(
                Method::POST,
                &path,
                Some(&ann.token),
                Some(json!({"direction": "forward", "from": blank})),
            )
            .await;
        invalid(&res, "from");
    }
    let view = app
        .api(
            Method::GET,
            &format!("/api/v1/collaborations/{cid}"),
            Some(&ann.token),
            None,
        )
        .await
        .json();
    assert_eq!(view["stage"], "identify", "a refused move changed nothing");
    // Leaving `from` out still moves without a check.
    let res = app
        .api(
            Method::POST,
            &path,
            Some(&ann.token),
            Some(json!({"direction": "forward"})),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(res.json(), json!({"stage": "plan"}));
}

/// Found by fuzzing: every operation that takes a body answers 413 to one
/// that is too large, so the document must say so.
#[tokio::test]
async fn too_large_bodies_are_documented() {
    let app = TestApp::new().await;
    let ann = app.person("Ann").await;
    let doc = serde_json::to_value(commonground_web::api::openapi()).unwrap();
    let huge = serde_json::to_vec(&json!({"name": "x".repeat(70 * 1024)})).unwrap();
    let mut checked = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if op.get("requestBody").is_none() {
                continue;
            }
            assert_eq!(
                op["responses"]["413"]["$ref"], "#/components/responses/PayloadTooLarge",
                "{method} {path} does not document 413"
            );
            // Every id in the path is 1; the body is refused before any lookup.
            let mut address = String::new();
            for (i, part) in path.split(['{', '}']).enumerate() {
                address.push_str(if i % 2 == 1 { "1" } else { part });
            }
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let res = raw(
                &app,
                method.clone(),
                &address,
                Some(&ann.token),
                Some("application/json"),
                huge.clone(),
            )
            .await;
            problem(&res, StatusCode::PAYLOAD_TOO_LARGE);
            checked += 1;
        }
    }
    // 12, 1 for readiness answers, 8 for the other Identify parts (adding
    // and changing goals, in a collaboration and in general, environment
    // items, benefits and risks), and 3 for the shortlist (add, change,
    // invite), 2 for the Plan model (choosing the model, changing a due
    // diligence item), 7 for aims and agreements (adding, changing and
    // approving aims; starting an agreement, saving a section, commenting,
    // approving), 4 for the structures (adding and changing a governance
    // body, saving the responsibilities matrix, adding a function) and 5 for
    // the action plan (adding a workstream, adding a task, changing it whole
    // or in part, adding a dependency), 8 for the risk register, the problem and
    // decisions logs, and 6 for who is who and meetings (adding and
    // changing a contact; adding and changing a meeting, recording who
    // came, adding an action), 3 for decisions by vote (proposing, voting,
    // writing the outcome), 2 for health checks (opening a round, answering
    // it), 1 for the notification settings, 3 for the communications
    // plan (adding and changing an item, logging what went out), 3 for
    // recurring tasks (adding, changing and ending a series), 1 for the
    // aims review (saving an aim's review), 2 for the lessons learned
    // (adding and changing one), 2 for the forward strategy (saving a
    // position, putting a way forward; starting the next cycle takes no
    // body) and 1 for deleting one's own account (the password).
    assert_eq!(checked, 74, "every operation with a body was checked");
    assert_eq!(
        doc["components"]["responses"]["PayloadTooLarge"]["content"]["application/problem+json"]["schema"]
            ["$ref"],
        "#/components/schemas/Problem"
    );
}
