mod common;

use axum::http::StatusCode;
use common::TestApp;

#[tokio::test]
async fn home_page_and_a_collaboration_render() {
    let app = TestApp::new().await;
    let anon = app.get("/", None).await;
    assert_eq!(anon.status, StatusCode::OK);
    assert!(anon.body.contains("Create an account"));

    let ann = app.person("Ann Lead").await;
    let org = app.organisation(&ann, "Riverside Food Bank").await;
    let c = app.collaboration(&ann, org, "Shared food hub").await;
    let page = app.get(&format!("/collaborations/{c}"), Some(&ann)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Shared food hub"));
    assert!(page.body.contains("Riverside Food Bank"));
}
