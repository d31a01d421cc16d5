//! The OpenAPI document is generated from the handlers. This test keeps a
//! reviewed copy in `tests/snapshots/openapi.json`, so any change to the
//! API's shape shows up in review. Run with `UPDATE_SNAPSHOTS=1` to accept
//! a change.

mod common;

use axum::http::{Method, StatusCode};
use common::TestApp;
use std::path::PathBuf;

fn snapshot_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/openapi.json")
}

fn generated() -> String {
    let doc = commonground_web::api::openapi();
    let mut text = doc.to_pretty_json().expect("the document serialises");
    text.push('\n');
    text
}

#[test]
fn document_matches_snapshot() {
    let text = generated();
    let path = snapshot_path();
    if std::env::var("UPDATE_SNAPSHOTS").is_ok_and(|v| v == "1") {
        std::fs::write(&path, &text).expect("write snapshot");
        return;
    }
    let saved = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read {}: {e}. Run with UPDATE_SNAPSHOTS=1 to create it.",
            path.display()
        )
    });
    if saved != text {
        let first = saved
            .lines()
            .zip(text.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| saved.lines().count().min(text.lines().count()));
        panic!(
            "the OpenAPI document has changed (first difference at line {}):\n  saved:     {}\n  generated: {}\n\
             If the change is intended, run `UPDATE_SNAPSHOTS=1 cargo test -p commonground-web --test openapi` and review the diff.",
            first + 1,
            saved.lines().nth(first).unwrap_or("<end of file>"),
            text.lines().nth(first).unwrap_or("<end of file>"),
        );
    }
}

#[test]
fn document_describes_every_route_and_error() {
    let doc: serde_json::Value = serde_json::from_str(&generated()).unwrap();
    let paths = doc["paths"].as_object().expect("paths");
    for path in paths.keys() {
        assert!(path.starts_with("/api/v1/"), "{path} is outside /api/v1");
    }
    let expect = [
        ("/api/v1/users", "post"),
        ("/api/v1/tokens", "post"),
        ("/api/v1/tokens", "get"),
        ("/api/v1/tokens/{id}", "delete"),
        ("/api/v1/me", "get"),
        ("/api/v1/organisations", "post"),
        ("/api/v1/organisations", "get"),
        ("/api/v1/organisations/{id}", "get"),
        ("/api/v1/organisations/{id}", "put"),
        ("/api/v1/organisations/{id}/members", "get"),
        ("/api/v1/organisations/{id}/members/{user_id}", "patch"),
        ("/api/v1/organisations/{id}/members/{user_id}", "delete"),
        ("/api/v1/organisations/{id}/invitations", "get"),
        ("/api/v1/organisations/{id}/invitations", "post"),
        (
            "/api/v1/organisations/{id}/invitations/{invitation_id}",
            "delete",
        ),
        ("/api/v1/member-invitations/accept", "post"),
        ("/api/v1/organisations/{id}/audit", "get"),
        ("/api/v1/collaborations", "post"),
        ("/api/v1/collaborations", "get"),
        ("/api/v1/collaborations/{id}", "get"),
        ("/api/v1/collaborations/{id}", "put"),
        ("/api/v1/collaborations/{id}/stage", "post"),
        ("/api/v1/collaborations/{id}/invitations", "get"),
        ("/api/v1/collaborations/{id}/invitations", "post"),
        (
            "/api/v1/collaborations/{id}/invitations/{invitation_id}",
            "delete",
        ),
        (
            "/api/v1/collaborations/{id}/participants/{organisation_id}",
            "patch",
        ),
        (
            "/api/v1/collaborations/{id}/participants/{organisation_id}",
            "delete",
        ),
        ("/api/v1/collaborations/{id}/leave", "post"),
        ("/api/v1/collaborations/{id}/audit", "get"),
        ("/api/v1/collaborations/{id}/stages/identify", "get"),
        ("/api/v1/directory", "get"),
        ("/api/v1/collaborations/{id}/readiness", "get"),
        ("/api/v1/collaborations/{id}/readiness/answers", "put"),
        ("/api/v1/collaborations/{id}/readiness/rounds", "post"),
        ("/api/v1/collaborations/{id}/readiness/chart.svg", "get"),
        ("/api/v1/invitations", "get"),
        ("/api/v1/invitations/{id}", "get"),
        ("/api/v1/invitations/{id}/accept", "post"),
        ("/api/v1/invitations/{id}/decline", "post"),
        ("/api/v1/openapi.json", "get"),
        ("/api/v1/collaborations/{id}/goals", "get"),
        ("/api/v1/collaborations/{id}/goals", "post"),
        ("/api/v1/collaborations/{id}/goals/{goal_id}", "put"),
        ("/api/v1/collaborations/{id}/goals/{goal_id}", "delete"),
        ("/api/v1/organisations/{id}/goals", "get"),
        ("/api/v1/organisations/{id}/goals", "post"),
        ("/api/v1/organisations/{id}/goals/{goal_id}", "put"),
        ("/api/v1/organisations/{id}/goals/{goal_id}", "delete"),
        ("/api/v1/collaborations/{id}/environment", "get"),
        ("/api/v1/collaborations/{id}/environment", "post"),
        ("/api/v1/collaborations/{id}/environment/{item_id}", "put"),
        (
            "/api/v1/collaborations/{id}/environment/{item_id}",
            "delete",
        ),
        ("/api/v1/benefits-risks/catalogue", "get"),
        ("/api/v1/collaborations/{id}/benefits-risks", "get"),
        ("/api/v1/collaborations/{id}/benefits-risks", "post"),
        (
            "/api/v1/collaborations/{id}/benefits-risks/{item_id}",
            "put",
        ),
        (
            "/api/v1/collaborations/{id}/benefits-risks/{item_id}",
            "delete",
        ),
        ("/api/v1/collaborations/{id}/shortlist", "get"),
        ("/api/v1/collaborations/{id}/shortlist", "post"),
        ("/api/v1/collaborations/{id}/shortlist/{entry_id}", "get"),
        ("/api/v1/collaborations/{id}/shortlist/{entry_id}", "patch"),
        ("/api/v1/collaborations/{id}/shortlist/{entry_id}", "delete"),
        (
            "/api/v1/collaborations/{id}/shortlist/{entry_id}/invite",
            "post",
        ),
        ("/api/v1/collaborations/{id}/stages/plan", "get"),
        ("/api/v1/collaborations/{id}/model", "get"),
        ("/api/v1/collaborations/{id}/model", "put"),
        ("/api/v1/collaborations/{id}/model/suggestion", "get"),
        ("/api/v1/collaborations/{id}/due-diligence", "get"),
        ("/api/v1/collaborations/{id}/due-diligence/{area}", "put"),
        ("/api/v1/collaborations/{id}/aims", "get"),
        ("/api/v1/collaborations/{id}/aims", "post"),
        ("/api/v1/collaborations/{id}/aims/{aim_id}", "put"),
        ("/api/v1/collaborations/{id}/aims/{aim_id}", "delete"),
        ("/api/v1/collaborations/{id}/aims/approvals", "post"),
        ("/api/v1/collaborations/{id}/agreements", "get"),
        ("/api/v1/collaborations/{id}/agreements", "post"),
        ("/api/v1/agreements/{aid}", "get"),
        ("/api/v1/agreements/{aid}/sections/{key}", "put"),
        ("/api/v1/agreements/{aid}/sections/{key}/comments", "post"),
        ("/api/v1/agreements/{aid}/approvals", "post"),
        ("/api/v1/agreements/{aid}/diff", "get"),
        ("/api/v1/agreements/{aid}/export.md", "get"),
        ("/api/v1/agreements/{aid}/export.html", "get"),
        ("/api/v1/agreements/{aid}/export.pdf", "get"),
        ("/api/v1/collaborations/{id}/governance-bodies", "get"),
        ("/api/v1/collaborations/{id}/governance-bodies", "post"),
        (
            "/api/v1/collaborations/{id}/governance-bodies/{body_id}",
            "get",
        ),
        (
            "/api/v1/collaborations/{id}/governance-bodies/{body_id}",
            "put",
        ),
        (
            "/api/v1/collaborations/{id}/governance-bodies/{body_id}",
            "delete",
        ),
        ("/api/v1/collaborations/{id}/responsibilities", "get"),
        ("/api/v1/collaborations/{id}/responsibilities", "put"),
        (
            "/api/v1/collaborations/{id}/responsibilities/functions",
            "post",
        ),
        (
            "/api/v1/collaborations/{id}/responsibilities/functions/{function_id}",
            "delete",
        ),
        ("/api/v1/collaborations/{id}/stages/implement", "get"),
        ("/api/v1/collaborations/{id}/workstreams", "get"),
        ("/api/v1/collaborations/{id}/workstreams", "post"),
        ("/api/v1/collaborations/{id}/tasks", "get"),
        ("/api/v1/collaborations/{id}/tasks", "post"),
        ("/api/v1/collaborations/{id}/tasks.csv", "get"),
        ("/api/v1/collaborations/{id}/timeline.svg", "get"),
        ("/api/v1/tasks/{tid}", "get"),
        ("/api/v1/tasks/{tid}", "put"),
        ("/api/v1/tasks/{tid}", "patch"),
        ("/api/v1/tasks/{tid}", "delete"),
        ("/api/v1/tasks/{tid}/dependencies", "post"),
        ("/api/v1/tasks/{tid}/dependencies/{on}", "delete"),
        ("/api/v1/me/tasks", "get"),
        // Who is who (Plan) and meetings (Implement).
        ("/api/v1/collaborations/{id}/contacts", "get"),
        ("/api/v1/collaborations/{id}/contacts", "post"),
        ("/api/v1/contacts/{cid}", "get"),
        ("/api/v1/contacts/{cid}", "put"),
        ("/api/v1/contacts/{cid}", "delete"),
        ("/api/v1/collaborations/{id}/meetings", "get"),
        ("/api/v1/collaborations/{id}/meetings", "post"),
        ("/api/v1/meetings/{mid}", "get"),
        ("/api/v1/meetings/{mid}", "put"),
        ("/api/v1/meetings/{mid}", "delete"),
        ("/api/v1/meetings/{mid}/attendance", "put"),
        ("/api/v1/meetings/{mid}/actions", "post"),
        ("/api/v1/meetings/{mid}/invite.ics", "get"),
        // The risk register.
        ("/api/v1/collaborations/{id}/risks", "get"),
        ("/api/v1/collaborations/{id}/risks", "post"),
        ("/api/v1/risks/{rid}", "get"),
        ("/api/v1/risks/{rid}", "patch"),
        ("/api/v1/risks/{rid}", "delete"),
        ("/api/v1/collaborations/{id}/risks/suggestions", "get"),
        ("/api/v1/collaborations/{id}/risks/suggestions", "post"),
        ("/api/v1/collaborations/{id}/risks/heatmap.svg", "get"),
        // The problem and decisions logs.
        ("/api/v1/collaborations/{id}/problems", "get"),
        ("/api/v1/collaborations/{id}/problems", "post"),
        ("/api/v1/problems/{pid}", "get"),
        ("/api/v1/problems/{pid}", "patch"),
        ("/api/v1/problems/{pid}/escalate", "post"),
        ("/api/v1/collaborations/{id}/decisions", "get"),
        ("/api/v1/collaborations/{id}/decisions", "post"),
        ("/api/v1/decisions/{did}", "get"),
        ("/api/v1/decisions/{did}/links", "post"),
        ("/api/v1/decisions/{did}/links/{kind}/{target}", "delete"),
        // The communications plan and its log.
        ("/api/v1/collaborations/{id}/comms", "get"),
        ("/api/v1/collaborations/{id}/comms", "post"),
        ("/api/v1/comms/{cid}", "get"),
        ("/api/v1/comms/{cid}", "put"),
        ("/api/v1/comms/{cid}", "delete"),
        ("/api/v1/comms/{cid}/log", "get"),
        ("/api/v1/comms/{cid}/log", "post"),
        ("/api/v1/comms-log/{lid}", "delete"),
        // Recurring tasks.
        ("/api/v1/collaborations/{id}/recurring-tasks", "get"),
        ("/api/v1/collaborations/{id}/recurring-tasks", "post"),
        ("/api/v1/recurring-tasks/{sid}", "get"),
        ("/api/v1/recurring-tasks/{sid}", "put"),
        ("/api/v1/recurring-tasks/{sid}/end", "post"),
        // Calendar feeds of tasks.
        ("/api/v1/collaborations/{id}/calendar", "get"),
        ("/api/v1/collaborations/{id}/calendar", "post"),
        ("/api/v1/me/calendar", "get"),
        ("/api/v1/me/calendar", "post"),
        ("/api/v1/collaborations/{id}/proposals", "get"),
        ("/api/v1/collaborations/{id}/proposals", "post"),
        ("/api/v1/proposals/{pid}", "get"),
        ("/api/v1/proposals/{pid}/votes", "post"),
        ("/api/v1/proposals/{pid}/close", "post"),
        ("/api/v1/proposals/{pid}/outcome", "post"),
        // The Review stage: its checklist and health check rounds.
        ("/api/v1/collaborations/{id}/stages/review", "get"),
        ("/api/v1/collaborations/{id}/health-checks", "get"),
        ("/api/v1/collaborations/{id}/health-checks", "post"),
        ("/api/v1/health-checks/{hid}", "get"),
        ("/api/v1/health-checks/{hid}/answers", "put"),
        ("/api/v1/health-checks/{hid}/close", "post"),
        ("/api/v1/health-checks/{hid}/results", "get"),
        ("/api/v1/health-checks/{hid}/chart.svg", "get"),
        // The Review stage: the aims review and the lessons learned.
        ("/api/v1/collaborations/{id}/aims-review", "get"),
        ("/api/v1/collaborations/{id}/aims-review/{aim_id}", "put"),
        ("/api/v1/collaborations/{id}/lessons", "get"),
        ("/api/v1/collaborations/{id}/lessons", "post"),
        ("/api/v1/collaborations/{id}/lessons/{lesson_id}", "put"),
        ("/api/v1/collaborations/{id}/lessons/{lesson_id}", "delete"),
        // The whole-story report.
        ("/api/v1/collaborations/{id}/report.md", "get"),
        ("/api/v1/collaborations/{id}/report.html", "get"),
        ("/api/v1/collaborations/{id}/report.pdf", "get"),
        // The Review stage: the forward strategy and the next cycle.
        ("/api/v1/collaborations/{id}/forward-strategy", "get"),
        (
            "/api/v1/collaborations/{id}/forward-strategy/positions/{org_id}",
            "put",
        ),
        (
            "/api/v1/collaborations/{id}/forward-strategy/way-forward",
            "post",
        ),
        ("/api/v1/collaborations/{id}/next-cycle", "post"),
        // Notifications.
        ("/api/v1/notifications", "get"),
        ("/api/v1/notifications/{nid}/read", "post"),
        ("/api/v1/notifications/read-all", "post"),
        ("/api/v1/me/notification-settings", "get"),
        ("/api/v1/me/notification-settings", "put"),
        // Data exports and deleting one's own account.
        ("/api/v1/collaborations/{id}/export.json", "get"),
        ("/api/v1/collaborations/{id}/export.zip", "get"),
        ("/api/v1/organisations/{id}/export.json", "get"),
        ("/api/v1/organisations/{id}/export.zip", "get"),
        ("/api/v1/me/export.json", "get"),
        ("/api/v1/me", "delete"),
    ];
    let mut operations = 0;
    for (_, item) in paths {
        operations += item
            .as_object()
            .unwrap()
            .keys()
            .filter(|k| ["get", "post", "put", "patch", "delete"].contains(&k.as_str()))
            .count();
    }
    assert_eq!(
        operations,
        expect.len(),
        "an operation is missing from this list, or from the document"
    );
    let anonymous = ["/api/v1/users", "/api/v1/openapi.json"];
    for (path, method) in expect {
        let op = &doc["paths"][path][method];
        assert!(op.is_object(), "{method} {path} is not documented");
        let secured = op["security"]
            .as_array()
            .is_some_and(|s| s.iter().any(|r| r.get("bearer").is_some()));
        let public = anonymous.contains(&path) || (path == "/api/v1/tokens" && method == "post");
        assert_eq!(
            secured, !public,
            "{method} {path}: bearer security is wrong"
        );
        if secured {
            assert!(
                op["responses"]["401"].is_object(),
                "{method} {path} does not document 401"
            );
        }
        if path.contains('{') {
            assert!(
                op["responses"]["404"].is_object(),
                "{method} {path} does not document 404"
            );
        }
        if op.get("requestBody").is_some() {
            assert!(
                op["responses"]["400"].is_object(),
                "{method} {path} does not document 400"
            );
            assert!(
                op["responses"]["422"].is_object(),
                "{method} {path} does not document 422"
            );
        }
    }
    // Error responses are problems, with the bearer scheme defined.
    assert_eq!(
        doc["components"]["responses"]["NotFound"]["content"]["application/problem+json"]["schema"]
            ["$ref"],
        "#/components/schemas/Problem"
    );
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
    assert!(doc["components"]["schemas"]["Problem"]["properties"]["errors"].is_object());
    // Enums are lower-case strings.
    assert_eq!(
        doc["components"]["schemas"]["Stage"]["enum"],
        serde_json::json!(["identify", "plan", "implement", "review"])
    );
}

#[tokio::test]
async fn served_document_is_the_generated_one() {
    let app = TestApp::new().await;
    let res = app
        .api(Method::GET, "/api/v1/openapi.json", None, None)
        .await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(
        res.header("content-type")
            .unwrap_or_default()
            .starts_with("application/json")
    );
    let served = res.json();
    let generated: serde_json::Value =
        serde_json::to_value(commonground_web::api::openapi()).unwrap();
    assert_eq!(served, generated);
    assert_eq!(served["openapi"], "3.1.0");
}
