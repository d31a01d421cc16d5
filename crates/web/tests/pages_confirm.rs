//! Leaving and removing ask first, on a page of their own, and say up front
//! when the answer would be no.

mod common;

use axum::http::StatusCode;
use common::TestApp;

#[tokio::test]
async fn leaving_an_organisation_asks_first() {
    let app = TestApp::new().await;
    let ann = app.person("Ann Admin").await;
    let bob = app.person("Bob Member").await;
    let org = app.organisation(&ann, "Riverside Food Bank").await;
    app.join(&bob, org, false).await;

    // The profile links to the question instead of leaving at once.
    let profile = app.get(&format!("/organisations/{org}"), Some(&bob)).await;
    assert!(
        profile
            .body
            .contains(&format!("href=\"/organisations/{org}/leave\""))
    );
    assert!(
        !profile
            .body
            .contains(&format!("action=\"/organisations/{org}/leave\""))
    );

    let ask = app
        .get(&format!("/organisations/{org}/leave"), Some(&bob))
        .await;
    assert_eq!(ask.status, StatusCode::OK);
    assert!(ask.body.contains("Leave Riverside Food Bank?"));
    assert!(
        ask.body
            .contains(&format!("action=\"/organisations/{org}/leave\""))
    );
    // Asking changed nothing.
    assert_eq!(
        app.get(&format!("/organisations/{org}/members"), Some(&bob))
            .await
            .status,
        StatusCode::OK
    );

    // The last admin is told why not before trying.
    let last = app
        .get(&format!("/organisations/{org}/leave"), Some(&ann))
        .await;
    assert_eq!(last.status, StatusCode::CONFLICT);
    assert!(last.body.contains("at least one admin"), "{}", last.body);

    // Removing a member asks too, and only admins may ask.
    let ask = app
        .get(
            &format!("/organisations/{org}/members/{}/remove", bob.id),
            Some(&ann),
        )
        .await;
    assert_eq!(ask.status, StatusCode::OK);
    assert!(
        ask.body
            .contains("Remove Bob Member from Riverside Food Bank?")
    );
    let not_admin = app
        .get(
            &format!("/organisations/{org}/members/{}/remove", ann.id),
            Some(&bob),
        )
        .await;
    assert_eq!(not_admin.status, StatusCode::FORBIDDEN);
    let nobody = app
        .get(
            &format!("/organisations/{org}/members/999999/remove"),
            Some(&ann),
        )
        .await;
    assert_eq!(nobody.status, StatusCode::NOT_FOUND);

    // Confirming does it.
    let done = app
        .post_form(&format!("/organisations/{org}/leave"), Some(&bob), &[])
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.get(&format!("/organisations/{org}/members"), Some(&bob))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn taking_an_organisation_out_of_a_collaboration_asks_first() {
    let app = TestApp::new().await;
    let lead = app.person("Lena Lead").await;
    let partner = app.person("Pat Partner").await;
    let outsider = app.person("Oz Outsider").await;
    let l = app.organisation(&lead, "Lead Trust").await;
    let p = app.organisation(&partner, "Partner Group").await;
    app.organisation(&outsider, "Elsewhere").await;
    let c = app.collaboration(&lead, l, "Winter warmth").await;
    let inv = app.invite(&lead, c, p, "partner").await;
    app.accept(&partner, inv).await;

    let page = app
        .get(&format!("/collaborations/{c}"), Some(&partner))
        .await;
    assert!(
        page.body
            .contains(&format!("href=\"/collaborations/{c}/leave\""))
    );
    let ask = app
        .get(&format!("/collaborations/{c}/leave"), Some(&partner))
        .await;
    assert_eq!(ask.status, StatusCode::OK);
    assert!(
        ask.body.contains("Take Partner Group out of"),
        "{}",
        ask.body
    );

    let ask = app
        .get(
            &format!("/collaborations/{c}/participants/{p}/remove"),
            Some(&lead),
        )
        .await;
    assert_eq!(ask.status, StatusCode::OK);
    assert!(ask.body.contains("Remove Partner Group from"));
    // The only lead cannot be removed: said before trying.
    let only_lead = app
        .get(
            &format!("/collaborations/{c}/participants/{l}/remove"),
            Some(&lead),
        )
        .await;
    assert_eq!(only_lead.status, StatusCode::CONFLICT);
    // Strangers learn nothing.
    assert_eq!(
        app.get(&format!("/collaborations/{c}/leave"), Some(&outsider))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let stranger = app
        .get(
            &format!("/collaborations/{c}/participants/{p}/remove"),
            Some(&outsider),
        )
        .await;
    assert_eq!(stranger.status, StatusCode::NOT_FOUND);
    assert!(!stranger.body.contains("Winter warmth"));

    // Still both taking part: asking changed nothing.
    let page = app
        .get(&format!("/collaborations/{c}"), Some(&partner))
        .await;
    assert_eq!(page.status, StatusCode::OK);
}
