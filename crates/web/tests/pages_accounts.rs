//! Accounts through the pages: creating one, signing in and out, the sign-in
//! limit, form security tokens and password resets.

mod common;

use axum::http::StatusCode;
use common::{TestApp, set_cookie_headers};

const GOOD_PASSWORD: &str = "a distinctive passphrase 123";

/// The cookie and header set when a session starts.
fn session_cookie(r: &common::TestResponse) -> String {
    r.set_cookie("cg_session")
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| panic!("no session cookie: {} {:?}", r.status, r.headers))
}

#[tokio::test]
async fn sign_up_gives_a_secure_session_and_redirects() {
    let app = TestApp::new().await;
    let form = app.get("/sign-up", None).await;
    assert_eq!(form.status, StatusCode::OK);
    let anon = form
        .set_cookie("cg_csrf")
        .expect("a security cookie for the form");
    assert_eq!(anon.len(), 64);
    let token = form.csrf();
    assert_eq!(token, anon, "the form token matches the cookie");
    let anon_header = set_cookie_headers(&form)
        .into_iter()
        .find(|h| h.starts_with("cg_csrf="))
        .unwrap();
    assert!(
        anon_header.contains("HttpOnly") && anon_header.contains("SameSite=Lax"),
        "{anon_header}"
    );

    let done = app
        .post_raw(
            "/sign-up",
            Some(&format!("cg_csrf={anon}")),
            &[
                ("name", "Nadia Newcomer"),
                ("email", " Nadia@Example.ORG "),
                ("password", GOOD_PASSWORD),
                ("csrf", &token),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(done.location(), "/");
    let header = set_cookie_headers(&done)
        .into_iter()
        .find(|h| h.starts_with("cg_session="))
        .expect("session cookie");
    assert!(header.contains("HttpOnly"), "{header}");
    assert!(header.contains("SameSite=Lax"), "{header}");
    assert!(header.contains("Path=/"), "{header}");
    let session = session_cookie(&done);

    let home = app
        .get_with_cookie("/", &format!("cg_session={session}"))
        .await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains("Hello, Nadia Newcomer"), "{}", home.body);

    // The email was stored lower-cased and trimmed: signing in works with it.
    let again = app.sign_in_form("nadia@example.org", GOOD_PASSWORD).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER, "{}", again.body);
    session_cookie(&again);
}

#[tokio::test]
async fn sign_up_refuses_bad_input_and_keeps_what_was_typed() {
    let app = TestApp::new().await;
    let browser = app.anon_browser().await;
    let long_name = "N".repeat(101);
    let long_email = format!("{}@example.org", "e".repeat(250));
    // (name, email, password, field that must be named)
    let cases: Vec<(&str, &str, &str, &str)> = vec![
        ("", "", "", "name"),
        ("", "", "", "email"),
        ("", "", "", "password"),
        (&long_name, "long.name@example.org", GOOD_PASSWORD, "name"),
        ("Lena Long", &long_email, GOOD_PASSWORD, "email"),
        ("Bea Badmail", "bea-at-example.org", GOOD_PASSWORD, "email"),
        ("Sam Short", "sam@example.org", "qz7tiny", "password"),
        (
            "Ella Echo",
            "ella@example.org",
            "ella@example.org",
            "password",
        ),
    ];
    for (name, email, password, field) in cases {
        let r = app
            .post_anon(
                &browser,
                "/sign-up",
                &[("name", name), ("email", email), ("password", password)],
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{name:?} {email:?}: {}",
            r.body
        );
        assert!(
            r.body.contains("There is a problem"),
            "error summary missing: {}",
            r.body
        );
        assert!(
            r.body.contains(&format!("href=\"#{field}\"")),
            "summary does not link to #{field}: {}",
            r.body
        );
        assert!(
            r.body.contains(&format!("id=\"{field}\"")),
            "the field #{field} is on the page"
        );
        assert!(
            r.body.contains("<title>Error: "),
            "the title says there is an error"
        );
        if !name.is_empty() {
            assert!(
                r.body.contains(&format!("value=\"{name}\"")),
                "typed name kept: {}",
                r.body
            );
        }
        if !email.is_empty() && email != password {
            assert!(
                r.body.contains(&format!("value=\"{email}\"")),
                "typed email kept: {}",
                r.body
            );
        }
        if !password.is_empty() && password != email {
            assert!(
                !r.body.contains(password),
                "the password must never be echoed back"
            );
        }
        assert!(
            r.set_cookie("cg_session").is_none(),
            "no session for a refused form"
        );
    }
    // Nobody was created.
    let mut tx = app.state.store.read().await.unwrap();
    assert_eq!(tx.count_users().await.unwrap(), 0);
}

#[tokio::test]
async fn sign_up_with_an_email_already_used_is_refused() {
    let app = TestApp::new().await;
    let existing = app.person("Olu Original").await;
    let browser = app.anon_browser().await;
    let shouted = existing.email.to_uppercase();
    let r = app
        .post_anon(
            &browser,
            "/sign-up",
            &[
                ("name", "Copy Cat"),
                ("email", &shouted),
                ("password", GOOD_PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("href=\"#email\""));
    assert!(r.body.contains("already an account"), "{}", r.body);
    assert!(r.body.contains("value=\"Copy Cat\""));
    assert!(r.set_cookie("cg_session").is_none());
    let mut tx = app.state.store.read().await.unwrap();
    assert_eq!(tx.count_users().await.unwrap(), 1);
}

#[tokio::test]
async fn sign_in_with_a_wrong_password_is_refused_and_the_right_one_works() {
    let app = TestApp::new().await;
    let p = app.person("Wendy Wrong").await;
    let wrong = app.sign_in_form(&p.email, "not the password at all").await;
    assert_eq!(
        wrong.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        wrong.body
    );
    assert!(wrong.body.contains("href=\"#email\""));
    assert!(
        wrong.body.contains(&format!("value=\"{}\"", p.email)),
        "typed email kept"
    );
    assert!(!wrong.body.contains("not the password at all"));
    assert!(wrong.set_cookie("cg_session").is_none());

    let empty = app.sign_in_form("", "").await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.body.contains("href=\"#email\"") && empty.body.contains("href=\"#password\""));

    // An unknown account gets the same answer as a wrong password.
    let unknown = app
        .sign_in_form("nobody.here@example.org", "not the password at all")
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);

    let right = app.sign_in_form(&p.email, &p.password).await;
    assert_eq!(right.status, StatusCode::SEE_OTHER, "{}", right.body);
    assert_eq!(right.location(), "/");
    let session = session_cookie(&right);
    let settings = app
        .get_with_cookie("/settings", &format!("cg_session={session}"))
        .await;
    assert_eq!(settings.status, StatusCode::OK);
    assert!(settings.body.contains(&p.email));
}

#[tokio::test]
async fn sign_in_returns_to_a_local_page_only() {
    let app = TestApp::new().await;
    let p = app.person("Nina Next").await;
    let browser = app.anon_browser().await;
    let local = app
        .post_anon(
            &browser,
            "/sign-in",
            &[
                ("email", &p.email),
                ("password", &p.password),
                ("next", "/collaborations"),
            ],
        )
        .await;
    assert_eq!(local.location(), "/collaborations");
    let browser = app.anon_browser().await;
    let away = app
        .post_anon(
            &browser,
            "/sign-in",
            &[
                ("email", &p.email),
                ("password", &p.password),
                ("next", "//evil.example/x"),
            ],
        )
        .await;
    assert_eq!(away.status, StatusCode::SEE_OTHER);
    assert_eq!(away.location(), "/");
}

#[tokio::test]
async fn ten_failures_lock_the_account_even_for_the_right_password() {
    let app = TestApp::new().await;
    let p = app.person("Rita Ratelimit").await;
    let other = app.person("Otto Other").await;
    for i in 0..10 {
        let r = app
            .sign_in_form(&p.email, &format!("wrong guess number {i}"))
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "attempt {i}: {}",
            r.body
        );
    }
    let locked = app.sign_in_form(&p.email, &p.password).await;
    assert_eq!(
        locked.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        locked.body
    );
    assert!(
        locked.set_cookie("cg_session").is_none(),
        "no session while locked"
    );
    assert!(locked.header("retry-after").is_some());
    assert!(locked.body.contains("Too many attempts"), "{}", locked.body);

    // The count lives in the database, not in the server's memory.
    let now = app.state.clock.now();
    let mut tx = app.state.store.read().await.unwrap();
    let stored = tx
        .count_failed_sign_ins(
            "account",
            &p.email,
            now - commonground_web::actions::accounts::SIGN_IN_WINDOW,
        )
        .await
        .unwrap();
    assert_eq!(stored, 10);
    drop(tx);

    // The limit is per account: someone else can still sign in.
    let fine = app.sign_in_form(&other.email, &other.password).await;
    assert_eq!(fine.status, StatusCode::SEE_OTHER, "{}", fine.body);

    // After the window has passed, the right password works again.
    app.state
        .clock
        .advance(commonground_web::actions::accounts::SIGN_IN_WINDOW + 1);
    let later = app.sign_in_form(&p.email, &p.password).await;
    assert_eq!(later.status, StatusCode::SEE_OTHER, "{}", later.body);
}

#[tokio::test]
async fn sign_out_ends_the_session() {
    let app = TestApp::new().await;
    let p = app.person("Simon Signout").await;
    let signed_in = app.sign_in_form(&p.email, &p.password).await;
    let session = session_cookie(&signed_in);
    let browser = app.with_session(&p, &session).await;

    let out = app.post_form("/sign-out", Some(&browser), &[]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER, "{}", out.body);
    assert_eq!(out.location(), "/sign-in");
    let cleared = set_cookie_headers(&out)
        .into_iter()
        .find(|h| h.starts_with("cg_session="))
        .expect("cookie cleared");
    assert!(
        cleared.starts_with("cg_session=;") && cleared.contains("Max-Age=0"),
        "{cleared}"
    );

    // The old cookie no longer works, even if the browser keeps sending it.
    let after = app
        .get_with_cookie("/settings", &format!("cg_session={session}"))
        .await;
    assert_eq!(after.status, StatusCode::SEE_OTHER);
    assert!(
        after.location().starts_with("/sign-in?next="),
        "{}",
        after.location()
    );
    let home = app
        .get_with_cookie("/", &format!("cg_session={session}"))
        .await;
    assert!(!home.body.contains("Hello, Simon Signout"));

    // Other sessions of the same person are not affected.
    let still = app.get("/settings", Some(&p)).await;
    assert_eq!(still.status, StatusCode::OK);
}

#[tokio::test]
async fn every_post_needs_the_right_security_token() {
    let app = TestApp::new().await;
    let p = app.person("Carla Csrf").await;
    let other = app.person("Otis Other").await;
    let org = app.organisation(&p, "Token Test Trust").await;
    let c = app.collaboration(&p, org, "Token test collaboration").await;
    let routes = [
        "/sign-up".to_string(),
        "/sign-in".into(),
        "/sign-out".into(),
        "/password-reset".into(),
        "/password-reset/abc".into(),
        "/settings/tokens".into(),
        "/settings/tokens/1/revoke".into(),
        "/acting-for".into(),
        "/organisations/new".into(),
        format!("/organisations/{org}/edit"),
        format!("/organisations/{org}/members/{}/role", p.id),
        format!("/organisations/{org}/members/{}/remove", p.id),
        format!("/organisations/{org}/leave"),
        format!("/organisations/{org}/invitations"),
        format!("/organisations/{org}/invitations/1/withdraw"),
        "/join/abc".into(),
        "/collaborations/new".into(),
        format!("/collaborations/{c}/edit"),
        format!("/collaborations/{c}/stage"),
        format!("/collaborations/{c}/invite"),
        format!("/collaborations/{c}/invitations/1/withdraw"),
        format!("/collaborations/{c}/participants/{org}/role"),
        format!("/collaborations/{c}/participants/{org}/remove"),
        format!("/collaborations/{c}/leave"),
        "/invitations/1/accept".into(),
        "/invitations/1/decline".into(),
        "/no-such-page".into(),
    ];
    let fields = [
        ("title", "Changed by a forged form"),
        ("purpose", "Forged"),
        ("direction", "forward"),
        ("from", "identify"),
    ];
    let session_cookie = format!("cg_session={}", p.session);
    let browser = app.anon_browser().await;
    for route in &routes {
        // Signed in, no token.
        let r = app.post_raw(route, Some(&session_cookie), &fields).await;
        assert_eq!(
            r.status,
            StatusCode::FORBIDDEN,
            "{route} without a token: {}",
            r.body
        );
        assert!(
            r.body.contains("This form has expired"),
            "{route}: {}",
            r.body
        );
        // Signed in, someone else's token.
        let mut wrong = fields.to_vec();
        wrong.push(("csrf", &other.csrf));
        let r = app.post_raw(route, Some(&session_cookie), &wrong).await;
        assert_eq!(
            r.status,
            StatusCode::FORBIDDEN,
            "{route} with another session's token"
        );
        // Signed in, the anonymous token of the same browser.
        let mut anon_token = fields.to_vec();
        anon_token.push(("csrf", &browser.csrf));
        let both = format!("{session_cookie}; {}", browser.cookie_header());
        let r = app.post_raw(route, Some(&both), &anon_token).await;
        assert_eq!(
            r.status,
            StatusCode::FORBIDDEN,
            "{route} with the anonymous token while signed in"
        );
        // Not signed in: no cookie at all, or a cookie with the wrong token.
        let r = app.post_raw(route, None, &anon_token).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{route} with no cookie");
        let mut bad = fields.to_vec();
        let forged = "f".repeat(64);
        bad.push(("csrf", &forged));
        let r = app
            .post_raw(route, Some(&browser.cookie_header()), &bad)
            .await;
        assert_eq!(
            r.status,
            StatusCode::FORBIDDEN,
            "{route} with a token that does not match the cookie"
        );
        let r = app
            .post_raw(route, Some(&browser.cookie_header()), &fields)
            .await;
        assert_eq!(
            r.status,
            StatusCode::FORBIDDEN,
            "{route} with a cookie but no token"
        );
    }
    // Nothing changed: the collaboration kept its title and stage.
    let page = app.get(&format!("/collaborations/{c}"), Some(&p)).await;
    assert!(page.body.contains("Token test collaboration"));
    assert!(!page.body.contains("Changed by a forged form"));
    assert!(page.body.contains("Move on to Plan"), "still in Identify");
    // And the person is still signed in.
    assert_eq!(app.get("/settings", Some(&p)).await.status, StatusCode::OK);
}

#[tokio::test]
async fn password_reset_link_works_once_and_signs_out_other_sessions() {
    let app = TestApp::new().await;
    let p = app.person("Rosa Reset").await;
    let browser = app.anon_browser().await;
    let asked = app
        .post_anon(
            &browser,
            "/password-reset",
            &[("email", &p.email.to_uppercase())],
        )
        .await;
    assert_eq!(asked.status, StatusCode::OK, "{}", asked.body);
    assert!(asked.body.contains("Check your email"));

    let mails = app.outbox();
    assert_eq!(mails.len(), 1);
    assert!(mails[0].contains(&p.email));
    assert!(mails[0].contains("Reset your Common Ground password"));
    let link = app.link_for(&p.email, "/password-reset/");

    let form = app.get(&link, None).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert!(form.body.contains("Choose a new password"));
    let cookie = form.set_cookie("cg_csrf").unwrap_or(browser.cookie.clone());
    let token = form.csrf();
    let cookie_header = format!("cg_csrf={cookie}");
    let post = async |password: &str| {
        app.post_raw(
            &link,
            Some(&cookie_header),
            &[("password", password), ("csrf", &token)],
        )
        .await
    };

    // A too-short password is refused and the link still works.
    let short = post("tiny").await;
    assert_eq!(
        short.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        short.body
    );
    assert!(short.body.contains("href=\"#password\""));

    let done = post("a brand new passphrase").await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(done.location(), "/settings?reset=1");
    let new_session = session_cookie(&done);
    let settings = app
        .get_with_cookie("/settings?reset=1", &format!("cg_session={new_session}"))
        .await;
    assert_eq!(settings.status, StatusCode::OK);
    assert!(settings.body.contains("signed out everywhere else"));

    // The session from before the reset no longer works.
    let old = app.get("/settings", Some(&p)).await;
    assert_eq!(
        old.status,
        StatusCode::SEE_OTHER,
        "the old session must end"
    );

    // The link works once.
    let again = app.get(&link, None).await;
    assert_eq!(again.status, StatusCode::GONE);
    assert!(again.body.contains("Ask for a new link"));
    let reuse = post("yet another new passphrase").await;
    assert_eq!(reuse.status, StatusCode::GONE);

    // The new password works, the old one and the reused link's do not.
    assert_eq!(
        app.sign_in_form(&p.email, &p.password).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        app.sign_in_form(&p.email, "yet another new passphrase")
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        app.sign_in_form(&p.email, "a brand new passphrase")
            .await
            .status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn password_reset_link_expires_after_an_hour() {
    let app = TestApp::new().await;
    let p = app.person("Eddie Expiry").await;
    let browser = app.anon_browser().await;
    app.post_anon(&browser, "/password-reset", &[("email", &p.email)])
        .await;
    let link = app.link_for(&p.email, "/password-reset/");
    app.state.clock.advance(3601);
    let form = app.get(&link, None).await;
    assert_eq!(form.status, StatusCode::GONE, "{}", form.body);
    assert!(form.body.contains("This link has expired"));
    let r = app
        .post_anon(&browser, &link, &[("password", "a brand new passphrase")])
        .await;
    assert_eq!(r.status, StatusCode::GONE, "{}", r.body);
    // The password did not change.
    assert_eq!(
        app.sign_in_form(&p.email, &p.password).await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn password_reset_answers_the_same_for_unknown_emails() {
    let app = TestApp::new().await;
    let p = app.person("Kim Known").await;
    let browser = app.anon_browser().await;
    let unknown_email = "kim.unknown@example.org";
    let known = app
        .post_anon(&browser, "/password-reset", &[("email", &p.email)])
        .await;
    let unknown = app
        .post_anon(&browser, "/password-reset", &[("email", unknown_email)])
        .await;
    assert_eq!(known.status, StatusCode::OK);
    assert_eq!(unknown.status, known.status);
    assert_eq!(
        known.body.replace(&p.email, "EMAIL"),
        unknown.body.replace(unknown_email, "EMAIL"),
        "the page must not reveal whether there is an account"
    );
    // Only the real account got an email.
    let mails = app.outbox();
    assert_eq!(mails.len(), 1);
    assert!(!mails[0].contains(unknown_email));

    // A badly written address is a form error, not a silent success.
    let bad = app
        .post_anon(&browser, "/password-reset", &[("email", "not an address")])
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("href=\"#email\""));
    assert!(bad.body.contains("value=\"not an address\""));
}
