//! Awkward input on every form: characters a database refuses, text that
//! is far too long, bodies that are too big or not forms at all. Each gets
//! a clear 4xx page, never a server error.

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::TestApp;
use commonground_domain::collaborations::ParticipantRole;
use commonground_domain::organisations::OrgRole;
use commonground_domain::stage::Stage;

const INVALID: StatusCode = StatusCode::UNPROCESSABLE_ENTITY;

/// A form's fields, as sent.
type Fields<'a> = Vec<(&'a str, &'a str)>;

#[tokio::test]
async fn nul_characters_in_any_field_are_refused_not_crashed() {
    let app = TestApp::new().await;
    let ann = app.person("Ann Input").await;
    let org = app.organisation(&ann, "Input Test Trust").await;
    let other = app.person("Olly Other").await;
    let other_org = app.organisation(&other, "Other Input Group").await;
    let c = app
        .collaboration(&ann, org, "Input test collaboration")
        .await;
    let nul = "nul\0here";

    // Forms for people who are not signed in.
    let browser = app.anon_browser().await;
    // Each with the answer it must get: 422 is the form shown again with
    // the field marked.
    let anon_forms: Vec<(&str, Fields, StatusCode)> = vec![
        (
            "/sign-in",
            vec![
                ("email", "ann\0@example.org"),
                ("password", "whatever it is"),
            ],
            INVALID,
        ),
        (
            "/sign-in",
            vec![("email", &ann.email), ("password", nul)],
            INVALID,
        ),
        (
            "/sign-up",
            vec![
                ("name", nul),
                ("email", "n@example.org"),
                ("password", "long enough password"),
            ],
            INVALID,
        ),
        (
            "/sign-up",
            vec![
                ("name", "Nul Email"),
                ("email", "n\0@example.org"),
                ("password", "long enough password"),
            ],
            INVALID,
        ),
        (
            "/password-reset",
            vec![("email", "ann\0@example.org")],
            INVALID,
        ),
    ];
    let mut wrong = Vec::new();
    for (path, fields, want) in &anon_forms {
        let r = app.post_anon(&browser, path, fields).await;
        if r.status != *want {
            wrong.push(format!(
                "POST {path} {fields:?}: wanted {want}, got {}",
                r.status
            ));
        }
    }

    // Forms for signed-in people.
    let c_path = format!("/collaborations/{c}");
    let forms: Vec<(String, Fields, StatusCode)> = vec![
        (
            "/organisations/new".into(),
            vec![("name", nul), ("kind", "community_group")],
            INVALID,
        ),
        (
            "/organisations/new".into(),
            vec![
                ("name", "Fine Name"),
                ("kind", "community_group"),
                ("mission", nul),
            ],
            INVALID,
        ),
        (
            "/organisations/new".into(),
            vec![
                ("name", "Fine Name"),
                ("kind", "community_group"),
                ("areas_served", nul),
            ],
            INVALID,
        ),
        (
            "/organisations/new".into(),
            vec![
                ("name", "Fine Name"),
                ("kind", "community_group"),
                ("website", "https://a\0.org"),
            ],
            INVALID,
        ),
        (
            "/organisations/new".into(),
            vec![
                ("name", "Fine Name"),
                ("kind", "registered_charity"),
                ("charity_number", "123\x004567"),
            ],
            INVALID,
        ),
        (
            "/organisations/new".into(),
            vec![("name", "Fine Name"), ("kind", "comm\0unity_group")],
            INVALID,
        ),
        (
            format!("/organisations/{org}/edit"),
            vec![("name", nul), ("kind", "community_group")],
            INVALID,
        ),
        (
            format!("/organisations/{org}/invitations"),
            vec![("email", "x\0@example.org"), ("role", "member")],
            INVALID,
        ),
        (
            format!("/organisations/{org}/invitations"),
            vec![("email", "x@example.org"), ("role", nul)],
            INVALID,
        ),
        (
            format!("/organisations/{org}/members/{}/role", ann.id),
            vec![("role", nul)],
            INVALID,
        ),
        ("/settings/tokens".into(), vec![("label", nul)], INVALID),
        (
            "/acting-for".into(),
            vec![("organisation_id", "1\0"), ("next", "/")],
            // Not a number, so no organisation of theirs.
            StatusCode::NOT_FOUND,
        ),
        (
            "/collaborations/new".into(),
            vec![
                ("organisation_id", "0"),
                ("title", nul),
                ("purpose", "Fine"),
            ],
            INVALID,
        ),
        (
            "/collaborations/new".into(),
            vec![
                ("organisation_id", "1\0"),
                ("title", "Fine title"),
                ("purpose", nul),
            ],
            INVALID,
        ),
        (
            format!("{c_path}/edit"),
            vec![("title", nul), ("purpose", "Fine")],
            INVALID,
        ),
        (
            format!("{c_path}/stage"),
            vec![("direction", nul), ("from", "identify")],
            INVALID,
        ),
        (
            format!("{c_path}/stage"),
            vec![("direction", "forward"), ("from", nul)],
            INVALID,
        ),
        (
            format!("{c_path}/invite"),
            vec![("organisation_id", "1\0"), ("role", "partner")],
            INVALID,
        ),
        (
            format!("{c_path}/invite"),
            vec![("organisation_id", "0"), ("role", nul), ("message", nul)],
            INVALID,
        ),
        (
            format!("{c_path}/participants/{org}/role"),
            vec![("role", nul)],
            INVALID,
        ),
    ];
    let other_org_id = other_org.to_string();
    let mut forms = forms;
    forms.push((
        format!("{c_path}/invite"),
        vec![
            ("organisation_id", &other_org_id),
            ("role", "partner"),
            ("message", nul),
        ],
        INVALID,
    ));
    for (path, fields, want) in &forms {
        let r = app.post_form(path, Some(&ann), fields).await;
        if r.status != *want {
            wrong.push(format!(
                "POST {path} {fields:?}: wanted {want}, got {}",
                r.status
            ));
        }
    }
    // Searches and addresses.
    for (path, want) in [
        // The search box is marked: nothing holds a NUL.
        ("/organisations?q=%00".to_string(), INVALID),
        (format!("{c_path}/invite?q=%00"), INVALID),
        ("/sign-in?next=%00".into(), StatusCode::SEE_OTHER),
        ("/collaborations?page=%00".into(), StatusCode::BAD_REQUEST),
        (
            format!("{c_path}/activity?before=%00"),
            StatusCode::BAD_REQUEST,
        ),
        ("/join/%00".into(), StatusCode::NOT_FOUND),
        ("/password-reset/%00".into(), StatusCode::GONE),
    ] {
        let r = app.get(&path, Some(&ann)).await;
        if r.status != want {
            wrong.push(format!("GET {path}: wanted {want}, got {}", r.status));
        }
        if want == INVALID && !r.body.contains("href=\"#q\"") {
            wrong.push(format!("GET {path}: the search box is not marked"));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} wrong answers:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    // Nothing was saved along the way: no person, organisation, member,
    // role, collaboration, invitation or token more or less than before.
    let now = app.state.clock.now();
    let mut tx = app.state.store.read().await.unwrap();
    assert_eq!(tx.count_users().await.unwrap(), 2);
    assert_eq!(tx.count_organisations().await.unwrap(), 2);
    assert_eq!(tx.count_collaborations().await.unwrap(), 1);
    let scope = tx.org_scope(ann.id, org).await.unwrap().unwrap();
    let members: Vec<_> = tx
        .members(&scope)
        .await
        .unwrap()
        .into_iter()
        .map(|m| (m.user_id, m.role))
        .collect();
    assert_eq!(members, vec![(ann.id, OrgRole::Admin)]);
    assert_eq!(
        tx.open_member_invitations(&scope, now).await.unwrap().len(),
        0,
        "no invitation to join"
    );
    let cscope = tx.collab_scope(ann.id, c).await.unwrap().unwrap();
    assert_eq!(
        tx.collaboration_invitations(&cscope).await.unwrap().len(),
        0,
        "no organisation invited"
    );
    let collaboration = tx.collaboration(&cscope).await.unwrap();
    assert_eq!(collaboration.title, "Input test collaboration");
    assert_eq!(collaboration.stage, Stage::Identify);
    let participants: Vec<_> = tx
        .participants(&cscope)
        .await
        .unwrap()
        .into_iter()
        .map(|p| (p.organisation_id, p.role))
        .collect();
    assert_eq!(participants, vec![(org, ParticipantRole::Lead)]);
    let tokens: Vec<String> = tx
        .api_tokens(ann.id)
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.label)
        .collect();
    assert_eq!(tokens, vec!["tests"], "only the token the test made");
    assert!(
        tx.pending_invitations_for_admin(other.id)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn oversized_and_unreadable_bodies_get_clear_answers() {
    let app = TestApp::new().await;
    let ann = app.person("Ann Input").await;
    let org = app.organisation(&ann, "Input Test Trust").await;

    // More than 64 KB.
    let big = "x".repeat(70 * 1024);
    let r = app
        .post_form(
            "/organisations/new",
            Some(&ann),
            &[
                ("name", "Big Org"),
                ("kind", "community_group"),
                ("mission", &big),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.status);
    assert!(r.body.contains("too large"), "{}", r.body);

    // Long but within the limit: a field error.
    let long = "x".repeat(5000);
    let r = app
        .post_form(
            "/organisations/new",
            Some(&ann),
            &[
                ("name", "Long Org"),
                ("kind", "community_group"),
                ("mission", &long),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("href=\"#mission\""));

    // Not a form at all (the security token cannot be read).
    let req = Request::builder()
        .method(Method::POST)
        .uri(format!("/organisations/{org}/edit"))
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::COOKIE, format!("cg_session={}", ann.session))
        .body(Body::from(format!(
            "{{\"csrf\":\"{}\",\"name\":\"Json\"}}",
            ann.csrf
        )))
        .unwrap();
    let r = app.request(req).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert!(r.body.contains("This form has expired"), "{}", r.body);

    // A form with the token but sent with the wrong content type.
    let body = serde_urlencoded::to_string([
        ("csrf", ann.csrf.as_str()),
        ("name", "Plain"),
        ("kind", "community_group"),
    ])
    .unwrap();
    let req = Request::builder()
        .method(Method::POST)
        .uri(format!("/organisations/{org}/edit"))
        .header(header::CONTENT_TYPE, "text/plain")
        .header(header::COOKIE, format!("cg_session={}", ann.session))
        .body(Body::from(body))
        .unwrap();
    let r = app.request(req).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);

    // Bytes that are not UTF-8 once decoded.
    let body = format!("csrf={}&name=%FF%FE&kind=community_group", ann.csrf);
    let req = Request::builder()
        .method(Method::POST)
        .uri("/organisations/new")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, format!("cg_session={}", ann.session))
        .body(Body::from(body))
        .unwrap();
    let r = app.request(req).await;
    // Form decoding replaces bytes that are not UTF-8 with U+FFFD (as
    // browsers never send them, only a hand-made request can), so this is a
    // valid two-character name and the organisation is made.
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let made: i64 = r
        .location()
        .trim_start_matches("/organisations/")
        .trim_end_matches("?created=1")
        .parse()
        .unwrap_or_else(|_| panic!("went to {}", r.location()));
    let mut tx = app.state.store.read().await.unwrap();
    assert_eq!(
        tx.organisation(made).await.unwrap().map(|o| o.name),
        Some("\u{FFFD}\u{FFFD}".to_string())
    );
    drop(tx);

    // A query parameter of the wrong type.
    let r = app.get("/collaborations?page=first", Some(&ann)).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = app
        .get("/collaborations?page=99999999999999999999", Some(&ann))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);

    let profile = app.get(&format!("/organisations/{org}"), Some(&ann)).await;
    assert!(
        profile.body.contains("Input Test Trust"),
        "the profile did not change"
    );
}
