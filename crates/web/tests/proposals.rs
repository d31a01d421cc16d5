//! Decisions by vote through the API and the pages: who may vote for an
//! organisation, one vote per organisation (also with two writers at
//! once), changing a vote, closing by date and early, the result under
//! the rule, partners joining and leaving mid-vote, the outcome, and the
//! Implement checklist. Who may do what is also in the access tables.

mod common;

use axum::http::{Method, StatusCode};
use common::{Person, TestApp, in_days};
use serde_json::{Value, json};

struct World {
    app: TestApp,
    c: i64,
    lead: i64,
    partner: i64,
    watching: i64,
    lead_admin: Person,
    partner_admin: Person,
    /// A member (not admin) of the partner who sits on the body for it.
    partner_seat: Person,
    /// A member of the partner who does not sit on the body.
    partner_member: Person,
    observer: Person,
    outsider: Person,
    foreign_proposal: i64,
}

async fn body(app: &TestApp, who: &Person, c: i64, rule: &str, members: &[i64]) -> i64 {
    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/collaborations/{c}/governance-bodies"),
            Some(&who.token),
            Some(json!({
                "name": format!("Steering group ({rule})"),
                "decision_rule": rule,
                "quorum": 1,
                "meets": "monthly",
                "member_ids": members,
                "chair_id": members[0],
            })),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.json()["id"].as_i64().unwrap()
}

async fn world() -> World {
    let app = TestApp::new().await;
    let lead_admin = app.quick_person("Lena Lead").await;
    let partner_admin = app.quick_person("Pia Partner").await;
    let partner_seat = app.quick_person("Sam Seat").await;
    let partner_member = app.quick_person("Mo Member").await;
    let observer = app.quick_person("Oona Observer").await;
    let outsider = app.quick_person("Otto Outsider").await;
    let lead = app.organisation(&lead_admin, "Riverside Food Bank").await;
    let partner = app.organisation(&partner_admin, "Ty Llŷn").await;
    app.join(&partner_seat, partner, false).await;
    app.join(&partner_member, partner, false).await;
    let watching = app.organisation(&observer, "County CVS").await;
    let elsewhere = app.organisation(&outsider, "Elsewhere Allotments").await;
    let c = app
        .collaboration(&lead_admin, lead, "Riverside and Llŷn together")
        .await;
    let inv = app.invite(&lead_admin, c, partner, "partner").await;
    app.accept(&partner_admin, inv).await;
    let inv = app.invite(&lead_admin, c, watching, "observer").await;
    app.accept(&observer, inv).await;
    let foreign = app
        .collaboration(&outsider, elsewhere, "Allotment plans")
        .await;
    let fb = body(&app, &outsider, foreign, "consent", &[outsider.id]).await;
    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/collaborations/{foreign}/proposals"),
            Some(&outsider.token),
            Some(json!({"title": "Dig", "text": "Dig beds.", "body_id": fb, "closes_on": "2099-01-01"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    World {
        foreign_proposal: r.json()["id"].as_i64().unwrap(),
        app,
        c,
        lead,
        partner,
        watching,
        lead_admin,
        partner_admin,
        partner_seat,
        partner_member,
        observer,
        outsider,
    }
}

impl World {
    async fn api(
        &self,
        who: &Person,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> common::TestResponse {
        self.app.api(method, path, Some(&who.token), body).await
    }

    async fn body(&self, rule: &str) -> i64 {
        body(
            &self.app,
            &self.lead_admin,
            self.c,
            rule,
            &[self.lead_admin.id, self.partner_seat.id],
        )
        .await
    }

    async fn propose(&self, rule: &str, closes_on: &str) -> i64 {
        let b = self.body(rule).await;
        let r = self
            .api(
                &self.lead_admin,
                Method::POST,
                &format!("/api/v1/collaborations/{}/proposals", self.c),
                Some(json!({"title": "Share one van", "text": "We share the van from March.", "body_id": b, "closes_on": closes_on})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        r.json()["id"].as_i64().unwrap()
    }

    async fn vote(
        &self,
        who: &Person,
        pid: i64,
        org: i64,
        choice: &str,
        reason: &str,
    ) -> common::TestResponse {
        self.api(
            who,
            Method::POST,
            &format!("/api/v1/proposals/{pid}/votes"),
            Some(json!({"organisation_id": org, "choice": choice, "reason": reason})),
        )
        .await
    }

    async fn read(&self, pid: i64) -> Value {
        let r = self
            .api(
                &self.partner_member,
                Method::GET,
                &format!("/api/v1/proposals/{pid}"),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        r.json()
    }

    async fn post(&self, who: &Person, path: &str, body: Option<Value>) -> common::TestResponse {
        self.api(who, Method::POST, path, body).await
    }
}

fn votes(p: &Value) -> Vec<(i64, String, String)> {
    p["votes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["organisation_id"].as_i64().unwrap(),
                v["choice"].as_str().unwrap().to_string(),
                v["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn not_voted(p: &Value) -> Vec<i64> {
    p["not_voted"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn who_may_vote_for_an_organisation_and_a_vote_can_be_changed() {
    let w = world().await;
    let pid = w.propose("consent", &in_days(7)).await;
    let p = w.read(pid).await;
    assert_eq!(p["decision_rule"], "consent");
    assert_eq!(
        p["choices"],
        json!(["agree", "abstain", "disagree", "block"])
    );
    assert_eq!(p["result"]["decided"], false);
    assert_eq!(not_voted(&p), {
        let mut v = vec![w.lead, w.partner];
        v.sort();
        v
    });
    assert_eq!(p["you_can_vote_for"], json!([]));

    // A member of the partner who does not sit on the group: refused, with why.
    let r = w
        .vote(&w.partner_member, pid, w.partner, "agree", "Good.")
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert!(
        r.body.contains(
            "Only an admin of the organisation, or the person who sits on the group for it, can cast its vote."
        ),
        "{}",
        r.body
    );
    // For an organisation one does not belong to.
    let r = w
        .vote(&w.partner_admin, pid, w.lead, "agree", "Good.")
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(
        r.body
            .contains("You can only vote for an organisation you belong to.")
    );
    // Observers do not vote, even for their own organisation.
    let r = w.vote(&w.observer, pid, w.watching, "agree", "Good.").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("Only lead and partner organisations vote."));
    // Outsiders and unknown ids: not found.
    for who in [&w.outsider] {
        let r = w.vote(who, pid, w.partner, "agree", "Good.").await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
    }
    let r = w
        .vote(
            &w.partner_admin,
            w.foreign_proposal,
            w.partner,
            "agree",
            "x",
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = w
        .api(
            &w.partner_admin,
            Method::GET,
            &format!("/api/v1/proposals/{}", w.foreign_proposal),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // Bad input: a reason is needed, and the choice must be one of the rule's.
    let r = w.vote(&w.partner_seat, pid, w.partner, "agree", " ").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["errors"]["reason"].is_string(), "{}", r.body);
    let r = w.vote(&w.partner_seat, pid, w.partner, "maybe", "Hm").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(votes(&w.read(pid).await).is_empty());

    // The person on the group votes for the partner.
    let r = w
        .vote(&w.partner_seat, pid, w.partner, "disagree", "Too costly.")
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let p = w.read(pid).await;
    assert_eq!(
        votes(&p),
        [(w.partner, "disagree".into(), "Too costly.".into())]
    );
    assert_eq!(not_voted(&p), [w.lead]);
    assert_eq!(p["result"]["decided"], false);
    // The partner's admin changes it: still one vote, now theirs.
    let r = w
        .vote(
            &w.partner_admin,
            pid,
            w.partner,
            "agree",
            "We found the money.",
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let p = w.read(pid).await;
    assert_eq!(
        votes(&p),
        [(w.partner, "agree".into(), "We found the money.".into())]
    );
    assert_eq!(p["votes"][0]["voter_name"], "Pia Partner");
    // The lead votes: everyone has voted, so the result is decided.
    let r = w
        .vote(&w.lead_admin, pid, w.lead, "abstain", "We stand aside.")
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let p = w.read(pid).await;
    assert_eq!(p["result"]["decided"], true);
    assert_eq!(p["result"]["standing"], "passed");
    assert_eq!(
        p["result"]["reasoning"],
        "Consent: nobody objected. 1 agreed and 1 stood aside."
    );
    assert!(not_voted(&p).is_empty());
    assert_eq!(p["awaits_outcome"], true);
    // Still open until the date: a vote can still change.
    assert_eq!(p["closed"], false);
    let r = w
        .vote(
            &w.partner_seat,
            pid,
            w.partner,
            "block",
            "Insurance is not sorted.",
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let p = w.read(pid).await;
    assert_eq!(p["result"]["standing"], "blocked");
    assert_eq!(p["result"]["block"], 1);
}

#[tokio::test]
async fn closing_by_date_or_early_and_the_outcome() {
    let w = world().await;
    let pid = w.propose("simple_majority", &in_days(1)).await;
    // Blocks are not offered under simple majority.
    let r = w.vote(&w.lead_admin, pid, w.lead, "block", "No.").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.json()["errors"]["choice"],
        "This group decides by simple majority, which has no block. Choose agree, abstain or disagree."
    );
    assert_eq!(
        w.vote(&w.lead_admin, pid, w.lead, "agree", "Yes.")
            .await
            .status,
        StatusCode::OK
    );
    // Not decided yet: no outcome.
    let outcome = |who: &'static str| json!({ "outcome": format!("We share the van ({who}).") });
    let r = w
        .post(
            &w.lead_admin,
            &format!("/api/v1/proposals/{pid}/outcome"),
            Some(outcome("early")),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(r.body.contains("The result is not known yet"), "{}", r.body);
    // Only the proposer or the lead closes or writes the outcome.
    let close = format!("/api/v1/proposals/{pid}/close");
    let r = w.post(&w.partner_admin, &close, None).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        w.post(&w.observer, &close, None).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        w.post(&w.outsider, &close, None).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(w.read(pid).await["closed"], false);

    // The closing date passes: voting is closed, the result decided.
    w.app.state.clock.advance(2 * 86_400);
    let p = w.read(pid).await;
    assert_eq!(p["closed"], true);
    assert_eq!(p["result"]["decided"], true);
    assert_eq!(p["result"]["standing"], "passed");
    assert_eq!(not_voted(&p), [w.partner]);
    let r = w
        .vote(&w.partner_admin, pid, w.partner, "disagree", "Too late?")
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(
        r.body.contains("Voting on this proposal has closed"),
        "{}",
        r.body
    );
    assert_eq!(votes(&w.read(pid).await).len(), 1);
    assert_eq!(
        w.post(&w.lead_admin, &close, None).await.status,
        StatusCode::CONFLICT
    );
    // The checklist counts it as closed without the outcome.
    let checklist = |v: &Value| {
        v["checklist"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["key"] == "decisions_made_together")
            .cloned()
            .unwrap()
    };
    let r = w
        .api(
            &w.lead_admin,
            Method::GET,
            &format!("/api/v1/collaborations/{}/stages/implement", w.c),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let item = checklist(&r.json());
    assert_eq!(item["done"], false);
    assert_eq!(
        item["detail"],
        "1 proposal closed without the outcome written. The proposer writes it on the proposal."
    );

    // The partner may not write it; the proposer (the lead here) does.
    let path = format!("/api/v1/proposals/{pid}/outcome");
    let r = w
        .post(&w.partner_admin, &path, Some(outcome("partner")))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = w
        .post(&w.lead_admin, &path, Some(json!({"outcome": " "})))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = w.post(&w.lead_admin, &path, Some(outcome("lead"))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let p = w.read(pid).await;
    assert_eq!(p["outcome"], "We share the van (lead).");
    assert_eq!(p["outcome_by_name"], "Lena Lead");
    assert_eq!(p["awaits_outcome"], false);
    let r = w.post(&w.lead_admin, &path, Some(outcome("again"))).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(w.read(pid).await["outcome"], "We share the van (lead).");
    // The outcome is in the decisions log once, as a decision by vote of
    // the body, and the proposal links to it.
    let r = w
        .api(
            &w.partner_admin,
            Method::GET,
            &format!("/api/v1/collaborations/{}/decisions", w.c),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let log = r.json();
    assert_eq!(log["total"], 1, "{log}");
    let d = &log["items"][0];
    assert_eq!(p["decision_id"], d["id"]);
    assert_eq!(d["title"], "Share one van");
    assert_eq!(d["how"], "vote");
    assert_eq!(d["governance_body_id"], p["body_id"]);
    assert_eq!(d["recorded_by_name"], "Lena Lead");
    let decided = d["decided"].as_str().unwrap();
    assert!(decided.starts_with("Passed. "), "{decided}");
    assert!(
        decided.ends_with("\n\nWe share the van (lead)."),
        "{decided}"
    );
    let page = w
        .app
        .get(&format!("/proposals/{pid}"), Some(&w.partner_admin))
        .await;
    assert!(
        page.body.contains(&format!(
            "<a href=\"/decisions/{}\">See it in the decisions log</a>",
            d["id"]
        )),
        "{}",
        page.body
    );
    let r = w
        .api(
            &w.lead_admin,
            Method::GET,
            &format!("/api/v1/collaborations/{}/stages/implement", w.c),
            None,
        )
        .await;
    assert_eq!(checklist(&r.json())["done"], true);

    // Closing early: the proposer closes, votes stop at once.
    let early = w.propose("consensus", &in_days(30)).await;
    let r = w
        .post(
            &w.lead_admin,
            &format!("/api/v1/proposals/{early}/close"),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let p = w.read(early).await;
    assert_eq!(
        (p["closed"].as_bool(), p["result"]["decided"].as_bool()),
        (Some(true), Some(true))
    );
    assert_eq!(p["result"]["standing"], "not_passed");
    assert_eq!(
        p["result"]["reasoning"],
        "0 of 2 organisations voted. At least 1 must vote for a result, so it does not pass."
    );
    let r = w.vote(&w.lead_admin, early, w.lead, "agree", "Late").await;
    assert_eq!(r.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn partners_joining_and_leaving_mid_vote() {
    let w = world().await;
    let pid = w.propose("two_thirds_majority", &in_days(5)).await;
    assert_eq!(
        w.vote(&w.lead_admin, pid, w.lead, "agree", "Yes")
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        w.vote(&w.partner_admin, pid, w.partner, "disagree", "No")
            .await
            .status,
        StatusCode::OK
    );
    let p = w.read(pid).await;
    assert_eq!(
        (
            p["result"]["decided"].as_bool(),
            p["result"]["standing"].as_str()
        ),
        (Some(true), Some("not_passed"))
    );
    // A third partner joins: it is waited for, and the vote is open again.
    let newcomer_admin = w.app.quick_person("Nia Newcomer").await;
    let newcomer = w
        .app
        .organisation(&newcomer_admin, "Harbour Youth Club")
        .await;
    let inv = w.app.invite(&w.lead_admin, w.c, newcomer, "partner").await;
    w.app.accept(&newcomer_admin, inv).await;
    let p = w.read(pid).await;
    assert_eq!(p["result"]["electorate"], 3);
    assert_eq!(not_voted(&p), [newcomer]);
    assert_eq!(p["result"]["decided"], false);
    assert_eq!(
        w.vote(&newcomer_admin, pid, newcomer, "agree", "We can drive it.")
            .await
            .status,
        StatusCode::OK
    );
    let p = w.read(pid).await;
    assert_eq!(p["result"]["standing"], "passed");
    assert_eq!(p["result"]["decided"], true);
    // The partner that voted against leaves: its vote stays, not counted.
    let r = w
        .api(
            &w.lead_admin,
            Method::DELETE,
            &format!("/api/v1/collaborations/{}/participants/{}", w.c, w.partner),
            None,
        )
        .await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    let r = w
        .api(
            &w.lead_admin,
            Method::GET,
            &format!("/api/v1/proposals/{pid}"),
            None,
        )
        .await;
    let p = r.json();
    assert_eq!(p["result"]["electorate"], 2);
    assert_eq!(p["result"]["voted"], 2);
    assert_eq!(p["result"]["disagree"], 0);
    let gone = p["votes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["organisation_id"] == w.partner)
        .unwrap()
        .clone();
    assert_eq!(gone["counted"], false);
    assert_eq!(p["result"]["standing"], "passed");
}

/// Two people vote for one organisation at the same moment, many times:
/// there is always exactly one vote, and it is one of the two.
#[tokio::test]
async fn two_people_voting_for_one_organisation_at_once_leave_one_vote() {
    let w = world().await;
    let pid = w.propose("simple_majority", &in_days(5)).await;
    for round in 0..8 {
        let (a_reason, b_reason) = (format!("Admin {round}"), format!("Seat {round}"));
        let (a, b) = tokio::join!(
            w.vote(&w.partner_admin, pid, w.partner, "agree", &a_reason),
            w.vote(&w.partner_seat, pid, w.partner, "disagree", &b_reason),
        );
        assert_eq!(
            (a.status, b.status),
            (StatusCode::OK, StatusCode::OK),
            "{} / {}",
            a.body,
            b.body
        );
        let p = w.read(pid).await;
        let v = votes(&p);
        assert_eq!(v.len(), 1, "{v:?}");
        assert!(
            v[0] == (w.partner, "agree".into(), a_reason.clone())
                || v[0] == (w.partner, "disagree".into(), b_reason.clone()),
            "{v:?}"
        );
        assert_eq!(p["result"]["voted"], 1);
    }
}

#[tokio::test]
async fn a_partner_votes_on_the_pages() {
    let w = world().await;
    let pid = w.propose("consensus", &in_days(3)).await;
    // The Implement page links to the proposals.
    let r = w
        .app
        .get(
            &format!("/collaborations/{}/implement", w.c),
            Some(&w.partner_seat),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body
            .contains(&format!("href=\"/collaborations/{}/proposals\"", w.c))
    );
    let r = w
        .app
        .get(
            &format!("/collaborations/{}/proposals", w.c),
            Some(&w.partner_seat),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Share one van"));
    let r = w
        .app
        .get(&format!("/proposals/{pid}"), Some(&w.partner_seat))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("You are voting for"), "{}", r.body);
    assert!(r.body.contains("Who has not voted yet"));
    // A missing reason comes back with the choice kept.
    let path = format!("/proposals/{pid}/votes");
    let org = w.partner.to_string();
    let r = w
        .app
        .post_form(
            &path,
            Some(&w.partner_seat),
            &[
                ("organisation_id", &org),
                ("choice", "block"),
                ("reason", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Give a reason"));
    assert!(r.body.contains("value=\"block\" checked"), "{}", r.body);
    let r = w
        .app
        .post_form(
            &path,
            Some(&w.partner_seat),
            &[
                ("organisation_id", &org),
                ("choice", "block"),
                ("reason", "The van is not insured."),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let p = w.read(pid).await;
    assert_eq!(
        votes(&p),
        [(w.partner, "block".into(), "The van is not insured.".into())]
    );
    // The observer reads but has no vote form; the member without a seat neither.
    for who in [&w.observer, &w.partner_member] {
        let r = w.app.get(&format!("/proposals/{pid}"), Some(who)).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(!r.body.contains("Save the vote"));
    }
    let r = w
        .app
        .get(
            &format!("/proposals/{}", w.foreign_proposal),
            Some(&w.partner_seat),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // The proposer closes early and is prompted for the outcome.
    let r = w
        .app
        .post_form(&format!("/proposals/{pid}/close"), Some(&w.lead_admin), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = w
        .app
        .get(&format!("/proposals/{pid}"), Some(&w.lead_admin))
        .await;
    assert!(r.body.contains("Write the outcome"), "{}", r.body);
    assert!(
        r.body
            .contains("Consensus: 1 organisation blocked it, so it does not go ahead.")
    );
    let r = w
        .app
        .post_form(
            &format!("/proposals/{pid}/outcome"),
            Some(&w.lead_admin),
            &[("outcome", "No van for now.")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let p = w.read(pid).await;
    assert_eq!(p["outcome"], "No van for now.");
    assert_eq!(p["result"]["standing"], "blocked");
    // A vote on the closed proposal is refused on the page too.
    let r = w
        .app
        .post_form(
            &path,
            Some(&w.partner_seat),
            &[
                ("organisation_id", &org),
                ("choice", "agree"),
                ("reason", "Changed my mind"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("Voting on this proposal has closed"));
}
