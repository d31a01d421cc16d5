//! Awkward input on every form: characters a database refuses, text that
//! is far too long, bodies that are too big or not forms at all. Each gets
//! a clear 4xx page, never a server error.

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::TestApp;

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
    let anon_forms: Vec<(&str, Vec<(&str, &str)>)> = vec![
        (
            "/sign-in",
            vec![
                ("email", "ann\0@example.org"),
                ("password", "whatever it is"),
            ],
        ),
        ("/sign-in", vec![("email", &ann.email), ("password", nul)]),
        (
            "/sign-up",
            vec![
                ("name", nul),
                ("email", "n@example.org"),
                ("password", "long enough password"),
            ],
        ),
        (
            "/sign-up",
            vec![
                ("name", "Nul Email"),
                ("email", "n\0@example.org"),
                ("password", "long enough password"),
            ],
        ),
        ("/password-reset", vec![("email", "ann\0@example.org")]),
    ];
    for (path, fields) in &anon_forms {
        let r = app.post_anon(&browser, path, fields).await;
        assert!(
            r.status.is_client_error(),
            "{path} {fields:?}: {} {}",
            r.status,
            r.body
        );
    }

    // Forms for signed-in people.
    let c_path = format!("/collaborations/{c}");
    let forms: Vec<(String, Vec<(&str, &str)>)> = vec![
        (
            "/organisations/new".into(),
            vec![("name", nul), ("kind", "community_group")],
        ),
        (
            "/organisations/new".into(),
            vec![
                ("name", "Fine Name"),
                ("kind", "community_group"),
                ("mission", nul),
            ],
        ),
        (
            "/organisations/new".into(),
            vec![
                ("name", "Fine Name"),
                ("kind", "community_group"),
                ("areas_served", nul),
            ],
        ),
        (
            "/organisations/new".into(),
            vec![
                ("name", "Fine Name"),
                ("kind", "community_group"),
                ("website", "https://a\0.org"),
            ],
        ),
        (
            "/organisations/new".into(),
            vec![
                ("name", "Fine Name"),
                ("kind", "registered_charity"),
                ("charity_number", "123\x004567"),
            ],
        ),
        (
            "/organisations/new".into(),
            vec![("name", "Fine Name"), ("kind", "comm\0unity_group")],
        ),
        (
            format!("/organisations/{org}/edit"),
            vec![("name", nul), ("kind", "community_group")],
        ),
        (
            format!("/organisations/{org}/invitations"),
            vec![("email", "x\0@example.org"), ("role", "member")],
        ),
        (
            format!("/organisations/{org}/invitations"),
            vec![("email", "x@example.org"), ("role", nul)],
        ),
        (
            format!("/organisations/{org}/members/{}/role", ann.id),
            vec![("role", nul)],
        ),
        ("/settings/tokens".into(), vec![("label", nul)]),
        (
            "/acting-for".into(),
            vec![("organisation_id", "1\0"), ("next", "/")],
        ),
        (
            "/collaborations/new".into(),
            vec![
                ("organisation_id", "0"),
                ("title", nul),
                ("purpose", "Fine"),
            ],
        ),
        (
            "/collaborations/new".into(),
            vec![
                ("organisation_id", "1\0"),
                ("title", "Fine title"),
                ("purpose", nul),
            ],
        ),
        (
            format!("{c_path}/edit"),
            vec![("title", nul), ("purpose", "Fine")],
        ),
        (
            format!("{c_path}/stage"),
            vec![("direction", nul), ("from", "identify")],
        ),
        (
            format!("{c_path}/stage"),
            vec![("direction", "forward"), ("from", nul)],
        ),
        (
            format!("{c_path}/invite"),
            vec![("organisation_id", "1\0"), ("role", "partner")],
        ),
        (
            format!("{c_path}/invite"),
            vec![("organisation_id", "0"), ("role", nul), ("message", nul)],
        ),
        (
            format!("{c_path}/participants/{org}/role"),
            vec![("role", nul)],
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
    ));
    for (path, fields) in &forms {
        let r = app.post_form(path, Some(&ann), fields).await;
        assert!(
            r.status.is_client_error(),
            "{path} {fields:?}: {} {}",
            r.status,
            r.body
        );
    }
    // Searches and addresses.
    for path in [
        "/organisations?q=%00".to_string(),
        format!("{c_path}/invite?q=%00"),
        "/sign-in?next=%00".into(),
        "/collaborations?page=%00".into(),
        format!("{c_path}/activity?before=%00"),
        "/join/%00".into(),
        "/password-reset/%00".into(),
    ] {
        let r = app.get(&path, Some(&ann)).await;
        assert!(!r.status.is_server_error(), "{path}: {}", r.status);
    }
    // Nothing was saved along the way.
    let mut tx = app.state.store.read().await.unwrap();
    assert_eq!(tx.count_organisations().await.unwrap(), 2);
    assert_eq!(tx.count_collaborations().await.unwrap(), 1);
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
    assert!(r.status.is_client_error(), "{}", r.status);

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
    assert!(r.status.is_client_error(), "{}", r.status);

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
    assert!(!r.status.is_server_error(), "{}", r.status);

    // A query parameter of the wrong type.
    let r = app.get("/collaborations?page=first", Some(&ann)).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = app
        .get("/collaborations?page=99999999999999999999", Some(&ann))
        .await;
    assert!(
        r.status.is_client_error() || r.status.is_success(),
        "{}",
        r.status
    );

    let profile = app.get(&format!("/organisations/{org}"), Some(&ann)).await;
    assert!(
        profile.body.contains("Input Test Trust"),
        "the profile did not change"
    );
}
