//! Behind a trusted reverse proxy, sign-in limits count the address the
//! proxy saw, which a client cannot fake by sending its own header.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use commonground_web::{AppState, Config, router};
use http_body_util::BodyExt;
use tower::ServiceExt;

async fn attempt(app: &axum::Router, forwarded_for: &str, email: &str) -> StatusCode {
    let body = serde_json::json!({ "email": email, "password": "not the password", "label": "x" });
    let req = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/tokens")
        .header(header::CONTENT_TYPE, "application/json")
        .header("x-forwarded-for", forwarded_for)
        .body(Body::from(body.to_string()))
        .unwrap();
    let response = app.clone().oneshot(req).await.unwrap();
    let status = response.status();
    let _ = response.into_body().collect().await;
    status
}

#[tokio::test]
async fn the_proxy_added_address_is_the_one_that_is_limited() {
    let dir = tempfile::tempdir().unwrap();
    let store = commonground_store::testing::fresh_store(dir.path())
        .await
        .unwrap();
    let mut config = Config::for_data_dir(dir.path());
    config.trust_proxy = true;
    let app = router(AppState::new(store, config).unwrap());

    // Fifty failures from one real address, each claiming a different
    // origin and using a different account (so only the address limit applies).
    for i in 0..commonground_web::actions::accounts::SIGN_IN_ADDRESS_LIMIT {
        let status = attempt(
            &app,
            &format!("203.0.113.{i}, 198.51.100.7"),
            &format!("p{i}@example.org"),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "attempt {i}");
    }
    // A made-up first entry does not get round the limit…
    assert_eq!(
        attempt(&app, "192.0.2.99, 198.51.100.7", "fresh@example.org").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // …but someone else behind the same proxy is not blocked.
    assert_eq!(
        attempt(&app, "198.51.100.8", "fresh@example.org").await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
}
