//! Finding partners through the pages and the API: the register sample
//! imported, searched by words and filters, hostile input answered, a
//! collaboration's fit shown only to those who take part, and an
//! organisation on the platform found as one record with its charity.

mod common;

use axum::http::{Method, StatusCode};
use common::{Person, TestApp};
use serde_json::Value;
use std::path::Path;

fn sample() -> &'static Path {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/ccew-sample");
    assert!(
        path.join("publicextract.charity.zip").is_file(),
        "the register sample is missing from testdata/"
    );
    Box::leak(path.into_boxed_path())
}

async fn app_with_register() -> TestApp {
    let app = TestApp::new().await;
    commonground_store::register::import_register(
        &app.state.store,
        sample(),
        1_800_000_000,
        &mut |_| {},
    )
    .await
    .expect("the sample imports");
    app
}

async fn search(app: &TestApp, who: &Person, query: &str) -> (StatusCode, Value) {
    let r = app
        .api(
            Method::GET,
            &format!("/api/v1/directory?{query}"),
            Some(&who.token),
            None,
        )
        .await;
    let body = if r.body.is_empty() {
        Value::Null
    } else {
        r.json()
    };
    (r.status, body)
}

fn identifiers(body: &Value) -> Vec<String> {
    body["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["org_identifier"].as_str().unwrap_or("").to_string())
        .collect()
}

#[tokio::test]
async fn the_register_is_searched_by_words_and_filters() {
    let app = app_with_register().await;
    let ann = app.person("Ann").await;

    let (status, body) = search(&app, &ann, "q=poverty").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let found = identifiers(&body);
    for expected in ["GB-CHC-235130", "GB-CHC-282471", "GB-CHC-1020826"] {
        assert!(
            found.contains(&expected.to_string()),
            "{expected} not in {found:?}"
        );
    }
    assert!(body["total"].as_u64().unwrap() >= 5);
    let first = &body["results"][0];
    assert!(
        first["name"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("poverty")
            || first["activities"]
                .as_str()
                .unwrap()
                .to_lowercase()
                .contains("poverty")
    );
    // Case does not matter.
    let (_, upper) = search(&app, &ann, "q=POVERTY").await;
    assert_eq!(upper["total"], body["total"]);
    // Every word must match, and a match in the name ranks first.
    let (_, both) = search(&app, &ann, "q=hazel+poverty").await;
    assert_eq!(identifiers(&both)[0], "GB-CHC-235130");
    assert!(both["total"].as_u64().unwrap() < body["total"].as_u64().unwrap());

    // Filters: removed charities only.
    let (_, removed) = search(&app, &ann, "status=removed&page=1").await;
    assert_eq!(
        removed["total"], 78,
        "the sample has 78 removed main charities"
    );
    assert!(
        removed["results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["status"] == "removed")
    );
    let (_, registered) = search(&app, &ann, "status=registered").await;
    assert_eq!(registered["total"], 122);
    assert_eq!(registered["per_page"], 20);
    assert_eq!(registered["results"].as_array().unwrap().len(), 20);
    let (_, last) = search(&app, &ann, "status=registered&page=7").await;
    assert_eq!(last["results"].as_array().unwrap().len(), 2);

    // Bad filters are named; words never are.
    let (status, bad) = search(&app, &ann, "what=201&income=lots&page=0").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["what", "income", "page"] {
        assert!(bad["errors"][field].is_string(), "{bad}");
    }
    let long = "z".repeat(5000);
    for q in [
        "%22",
        "*",
        "%25",
        "a+AND+-b",
        "%27+OR+1%3D1+--",
        "",
        long.as_str(),
        "Ll%C5%B7n",
    ] {
        let (status, _) = search(&app, &ann, &format!("q={q}")).await;
        assert_eq!(status, StatusCode::OK, "q={q}");
    }
    // Signed-in callers only.
    let r = app
        .api(Method::GET, "/api/v1/directory?q=poverty", None, None)
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);

    // The page shows the same.
    let page = app.get("/directory?q=hazel+poverty", Some(&ann)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Hazel mouth Poverty Cares"));
    assert!(page.body.contains("GB-CHC-235130"));
    assert!(page.body.contains(" found</h2>"));
    let bad = app.get("/directory?what=999", Some(&ann)).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("There is a problem"));
}

#[tokio::test]
async fn a_platform_organisation_and_its_charity_are_one_record_and_fit_needs_taking_part() {
    let app = app_with_register().await;
    let ann = app.person("Ann").await;
    let otto = app.person("Otto").await;
    let lead = app.organisation(&ann, "Riverside Food Bank").await;
    let c = app.collaboration(&ann, lead, "Holiday hunger").await;
    app.organisation(&otto, "Elsewhere Allotments").await;

    // Hazel mouth Poverty Cares joins the platform with its charity number.
    let hazel = app.person("Hazel").await;
    let input = commonground_domain::organisations::ProfileInput {
        name: "Hazel mouth Poverty Cares".into(),
        kind: "registered_charity".into(),
        charity_number: "235130".into(),
        causes: "Prevention or relief of poverty".into(),
        ..Default::default()
    };
    let org = commonground_web::actions::organisations::create_organisation(
        &app.state,
        &hazel.actor(&app),
        &input,
    )
    .await
    .expect("the charity joins");
    // Found within a few seconds, as one record that knows both.
    let mut record = Value::Null;
    for _ in 0..50 {
        let (_, body) = search(&app, &ann, "q=hazel+poverty").await;
        if body["results"][0]["organisation_id"] == org.id {
            record = body;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let hazels: Vec<&Value> = record["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["org_identifier"] == "GB-CHC-235130")
        .collect();
    assert_eq!(hazels.len(), 1, "one record: {record}");
    assert_eq!(record["results"][0]["org_identifier"], "GB-CHC-235130");
    assert_eq!(record["results"][0]["status"], "registered");

    // Fit, for those who take part.
    let (status, body) = search(&app, &ann, &format!("q=poverty&collaboration_id={c}")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    for r in body["results"].as_array().unwrap() {
        let fit = &r["fit"];
        assert!(fit["score"].as_u64().unwrap() <= 100);
        assert!(!fit["reasons"].as_array().unwrap().is_empty(), "{r}");
    }
    // Best fit first, among the most relevant.
    let (status, sorted) = search(
        &app,
        &ann,
        &format!("q=poverty&collaboration_id={c}&sort=fit"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{sorted}");
    let scores: Vec<u64> = sorted["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["fit"]["score"].as_u64().unwrap())
        .collect();
    assert!(!scores.is_empty());
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    assert_eq!(
        sorted["total"], body["total"],
        "fewer than 100 match, so all are sorted"
    );
    let (status, bad) = search(&app, &ann, "q=poverty&sort=fit").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad["errors"]["sort"].is_string());
    let (status, _) = search(
        &app,
        &ann,
        &format!("q=poverty&collaboration_id={c}&sort=size"),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = search(&app, &otto, &format!("q=poverty&collaboration_id={c}")).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "an outsider cannot use someone else's collaboration"
    );
    let (_, plain) = search(&app, &ann, "q=poverty").await;
    assert!(plain["results"][0].get("fit").is_none());

    // The page offers to shortlist each result for the collaboration.
    let page = app
        .get(
            &format!("/directory?q=hazel&collaboration_id={c}"),
            Some(&ann),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains(&format!("action=\"/collaborations/{c}/shortlist\""))
    );
    assert!(
        page.body
            .contains("name=\"org_identifier\" value=\"GB-CHC-235130\"")
    );
    assert!(page.body.contains("out of 100"));
    let outsider = app
        .get(
            &format!("/directory?q=hazel&collaboration_id={c}"),
            Some(&otto),
        )
        .await;
    assert_eq!(outsider.status, StatusCode::NOT_FOUND);
    assert!(!outsider.body.contains("Holiday hunger"));
}
