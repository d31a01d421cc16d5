//! Collaborations through the pages: opening one, inviting organisations,
//! answering, stages, taking part and leaving, the activity trail, and the
//! "acting for" switch.

mod common;

use axum::http::StatusCode;
use common::{Person, TestApp};

const TITLE: &str = "Shared food hub";
const PURPOSE: &str = "Run one food hub together so families get food and advice in one visit.";

struct World {
    app: TestApp,
    /// Admin of the lead organisation A.
    ann: Person,
    /// Member (not admin) of A.
    lena: Person,
    /// Admins of B.
    bob: Person,
    bea: Person,
    /// Member (not admin) of B.
    mia: Person,
    /// Admin of C.
    carol: Person,
    /// Admin of D.
    dan: Person,
    /// Admin of E, which has nothing to do with any of this.
    eve: Person,
    a: i64,
    b: i64,
    c_org: i64,
    d: i64,
    e: i64,
}

async fn world() -> World {
    let app = TestApp::new().await;
    let ann = app.quick_person("Ann Lead").await;
    let lena = app.quick_person("Lena Leadmember").await;
    let bob = app.quick_person("Bob Partner").await;
    let bea = app.quick_person("Bea Partneradmin").await;
    let mia = app.quick_person("Mia Partnermember").await;
    let carol = app.quick_person("Carol Carer").await;
    let dan = app.quick_person("Dan Declined").await;
    let eve = app.quick_person("Eve Outsider").await;
    let a = app.organisation(&ann, "Riverside Food Bank").await;
    let b = app.organisation(&bob, "Northgate Youth Project").await;
    let c_org = app.organisation(&carol, "Castleton Carers").await;
    let d = app.organisation(&dan, "Deanfield Advice Centre").await;
    let e = app.organisation(&eve, "Elsewhere Trust").await;
    app.join(&lena, a, false).await;
    app.join(&bea, b, true).await;
    app.join(&mia, b, false).await;
    World {
        app,
        ann,
        lena,
        bob,
        bea,
        mia,
        carol,
        dan,
        eve,
        a,
        b,
        c_org,
        d,
        e,
    }
}

/// Opens the collaboration through the form, as Ann for A.
async fn open(w: &World) -> i64 {
    let r = w
        .app
        .post_form(
            "/collaborations/new",
            Some(&w.ann),
            &[
                ("organisation_id", &w.a.to_string()),
                ("title", TITLE),
                ("purpose", PURPOSE),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let loc = r.location();
    let id = loc
        .strip_prefix("/collaborations/")
        .and_then(|s| s.split('?').next())
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(loc, format!("/collaborations/{id}?opened=1"));
    id
}

/// Ann invites an organisation through the form; returns the invitation id
/// from the email sent to `admin`.
async fn invite(w: &World, c: i64, org: i64, admin: &Person) -> i64 {
    let r = w
        .app
        .post_form(
            &format!("/collaborations/{c}/invite"),
            Some(&w.ann),
            &[
                ("organisation_id", &org.to_string()),
                ("role", "partner"),
                ("message", "We would love you to join."),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let link = w.app.link_for(&admin.email, "/invitations/");
    link.trim_start_matches("/invitations/").parse().unwrap()
}

async fn stage_of(w: &World, c: i64) -> String {
    let mut tx = w.app.state.store.read().await.unwrap();
    let scope = tx.collab_scope(w.ann.id, c).await.unwrap().unwrap();
    tx.collaboration(&scope)
        .await
        .unwrap()
        .stage
        .code()
        .to_string()
}

async fn move_stage(
    w: &World,
    who: &Person,
    c: i64,
    direction: &str,
    from: &str,
) -> common::TestResponse {
    w.app
        .post_form(
            &format!("/collaborations/{c}/stage"),
            Some(who),
            &[("direction", direction), ("from", from)],
        )
        .await
}

fn current_stage_marker(label: &str) -> String {
    // A stage with its own page links its name there.
    let close = if ["Identify", "Plan"].contains(&label) {
        "</a>"
    } else {
        ""
    };
    format!(
        "<strong>{label}</strong>{close} <strong class=\"tag tag-current\">Current stage</strong>"
    )
}

#[tokio::test]
async fn opening_a_collaboration_starts_in_identify_and_stays_private() {
    let w = world().await;
    let form = w.app.get("/collaborations/new", Some(&w.ann)).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("Riverside Food Bank"));

    // Bad input keeps what was typed.
    let r = w
        .app
        .post_form(
            "/collaborations/new",
            Some(&w.ann),
            &[
                ("organisation_id", &w.a.to_string()),
                ("title", " "),
                ("purpose", "Kept purpose text"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("href=\"#title\""));
    assert!(r.body.contains("Kept purpose text"));
    let r = w
        .app
        .post_form(
            "/collaborations/new",
            Some(&w.ann),
            &[
                ("organisation_id", &w.a.to_string()),
                ("title", "Kept title"),
                ("purpose", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("href=\"#purpose\""));
    assert!(r.body.contains("value=\"Kept title\""));
    let long = "t".repeat(151);
    let r = w
        .app
        .post_form(
            "/collaborations/new",
            Some(&w.ann),
            &[
                ("organisation_id", &w.a.to_string()),
                ("title", &long),
                ("purpose", PURPOSE),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Only one of her own organisations can lead it.
    for org in [
        w.e.to_string(),
        "abc".to_string(),
        "".to_string(),
        "99999999999999999999".to_string(),
    ] {
        let r = w
            .app
            .post_form(
                "/collaborations/new",
                Some(&w.ann),
                &[
                    ("organisation_id", &org),
                    ("title", "Kept title"),
                    ("purpose", PURPOSE),
                ],
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "organisation {org:?}: {}",
            r.body
        );
        assert!(r.body.contains("href=\"#organisation_id\""));
        assert!(r.body.contains("value=\"Kept title\""));
    }
    let mut tx = w.app.state.store.read().await.unwrap();
    assert_eq!(tx.count_collaborations().await.unwrap(), 0);
    drop(tx);

    let c = open(&w).await;
    let page = w
        .app
        .get(&format!("/collaborations/{c}?opened=1"), Some(&w.ann))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(TITLE) && page.body.contains(PURPOSE));
    assert!(
        page.body.contains(&current_stage_marker("Identify")),
        "{}",
        page.body
    );
    assert!(page.body.contains("Move on to Plan"));
    assert!(!page.body.contains("Go back to"), "nothing before Identify");
    assert!(page.body.contains("Only your organisation can see it"));
    assert_eq!(stage_of(&w, c).await, "identify");

    // Everyone in A sees it, on the page and in their list.
    for who in [&w.ann, &w.lena] {
        assert_eq!(
            w.app
                .get(&format!("/collaborations/{c}"), Some(who))
                .await
                .status,
            StatusCode::OK
        );
        assert!(
            w.app
                .get("/collaborations", Some(who))
                .await
                .body
                .contains(TITLE)
        );
        assert!(w.app.get("/", Some(who)).await.body.contains(TITLE));
    }
    // Nobody else does.
    for who in [&w.bob, &w.mia, &w.eve] {
        let r = w.app.get(&format!("/collaborations/{c}"), Some(who)).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert!(!r.body.contains(TITLE));
        assert!(
            !w.app
                .get("/collaborations", Some(who))
                .await
                .body
                .contains(TITLE)
        );
        assert!(!w.app.get("/", Some(who)).await.body.contains(TITLE));
    }
}

#[tokio::test]
async fn an_invited_organisation_joins_when_its_admin_accepts() {
    let w = world().await;
    let c = open(&w).await;

    let find = w
        .app
        .get(&format!("/collaborations/{c}/invite?q=north"), Some(&w.ann))
        .await;
    assert_eq!(find.status, StatusCode::OK);
    assert!(find.body.contains("Northgate Youth Project"));
    let itself = w
        .app
        .get(
            &format!("/collaborations/{c}/invite?q=riverside"),
            Some(&w.ann),
        )
        .await;
    assert!(
        itself.body.contains("already takes part"),
        "the lead is not offered: {}",
        itself.body
    );

    // Choosing nothing, or a bad role, is refused with the search kept.
    let r = w
        .app
        .post_form(
            &format!("/collaborations/{c}/invite"),
            Some(&w.ann),
            &[("q", "north"), ("role", "partner")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("href=\"#organisation_id\""));
    let r = w
        .app
        .post_form(
            &format!("/collaborations/{c}/invite"),
            Some(&w.ann),
            &[
                ("q", "north"),
                ("organisation_id", &w.b.to_string()),
                ("role", "boss"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("href=\"#role\""));
    assert!(w.app.outbox().is_empty());

    let inv = invite(&w, c, w.b, &w.bob).await;
    // Every admin of B is told; members are not.
    let mails = w.app.outbox();
    assert_eq!(mails.len(), 2, "one email per admin of B");
    assert!(mails.iter().any(|m| m.contains(&w.bob.email)));
    assert!(mails.iter().any(|m| m.contains(&w.bea.email)));
    assert!(!mails.iter().any(|m| m.contains(&w.mia.email)));
    assert!(
        mails
            .iter()
            .all(|m| m.contains(&format!("/invitations/{inv}")))
    );
    // Invited is not joined.
    assert_eq!(
        w.app
            .get(&format!("/collaborations/{c}"), Some(&w.bob))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // A second invitation while one waits is refused.
    let r = w
        .app
        .post_form(
            &format!("/collaborations/{c}/invite"),
            Some(&w.ann),
            &[("organisation_id", &w.b.to_string()), ("role", "partner")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("already has an invitation waiting"));

    // A member of B reads it but cannot answer.
    let seen = w
        .app
        .get(&format!("/invitations/{inv}"), Some(&w.mia))
        .await;
    assert_eq!(seen.status, StatusCode::OK);
    assert!(seen.body.contains(TITLE) && seen.body.contains(PURPOSE));
    assert!(
        seen.body
            .contains("Only an admin of Northgate Youth Project")
    );
    assert!(!seen.body.contains("/accept\""));
    for answer in ["accept", "decline"] {
        let r = w
            .app
            .post_form(&format!("/invitations/{inv}/{answer}"), Some(&w.mia), &[])
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{answer}: {}", r.body);
        assert!(r.body.contains("Only an admin of Northgate Youth Project"));
    }

    // The admin sees it waiting on the home page and accepts.
    let home = w.app.get("/", Some(&w.bob)).await;
    assert!(home.body.contains("Waiting for you"));
    assert!(home.body.contains(&format!("/invitations/{inv}")));
    let page = w
        .app
        .get(&format!("/invitations/{inv}"), Some(&w.bob))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("We would love you to join."));
    assert!(page.body.contains(&format!("/invitations/{inv}/accept")));
    let r = w
        .app
        .post_form(&format!("/invitations/{inv}/accept"), Some(&w.bob), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), format!("/collaborations/{c}?joined=1"));

    for who in [&w.bob, &w.bea, &w.mia] {
        let list = w.app.get("/collaborations", Some(who)).await;
        assert!(
            list.body.contains(TITLE),
            "{} sees it in the list",
            who.name
        );
        let page = w.app.get(&format!("/collaborations/{c}"), Some(who)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains("Northgate Youth Project")
                && page.body.contains("Riverside Food Bank")
        );
    }
    assert!(
        !w.app
            .get("/", Some(&w.bob))
            .await
            .body
            .contains("Waiting for you"),
        "nothing waiting any more"
    );

    // Answering twice, or inviting again, is refused.
    let r = w
        .app
        .post_form(&format!("/invitations/{inv}/accept"), Some(&w.bea), &[])
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("already been accepted"));
    let r = w
        .app
        .post_form(
            &format!("/collaborations/{c}/invite"),
            Some(&w.ann),
            &[("organisation_id", &w.b.to_string()), ("role", "partner")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("already takes part"));
}

#[tokio::test]
async fn a_declined_or_withdrawn_invitation_gives_no_access() {
    let w = world().await;
    let c = open(&w).await;

    let to_c = invite(&w, c, w.c_org, &w.carol).await;
    let r = w
        .app
        .post_form(&format!("/invitations/{to_c}/decline"), Some(&w.carol), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), format!("/invitations/{to_c}?declined=1"));
    let page = w.app.get(&r.location(), Some(&w.carol)).await;
    assert!(page.body.contains("You have declined the invitation."));
    assert!(page.body.contains("Declined"));
    assert_eq!(
        w.app
            .get(&format!("/collaborations/{c}"), Some(&w.carol))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let late = w
        .app
        .post_form(&format!("/invitations/{to_c}/accept"), Some(&w.carol), &[])
        .await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    assert!(late.body.contains("already been declined"));
    assert_eq!(
        w.app
            .get(&format!("/collaborations/{c}"), Some(&w.carol))
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    let to_d = invite(&w, c, w.d, &w.dan).await;
    let r = w
        .app
        .post_form(
            &format!("/collaborations/{c}/invitations/{to_d}/withdraw"),
            Some(&w.lena),
            &[],
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "a lead member who is not an admin cannot withdraw"
    );
    let r = w
        .app
        .post_form(
            &format!("/collaborations/{c}/invitations/{to_d}/withdraw"),
            Some(&w.ann),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = w
        .app
        .get(&format!("/invitations/{to_d}"), Some(&w.dan))
        .await;
    assert!(page.body.contains("Withdrawn"), "{}", page.body);
    assert!(!page.body.contains(&format!("/invitations/{to_d}/accept")));
    let r = w
        .app
        .post_form(&format!("/invitations/{to_d}/accept"), Some(&w.dan), &[])
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("withdrawn"));
    assert_eq!(
        w.app
            .get(&format!("/collaborations/{c}"), Some(&w.dan))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // Withdrawing again: there is nothing waiting to withdraw.
    let r = w
        .app
        .post_form(
            &format!("/collaborations/{c}/invitations/{to_d}/withdraw"),
            Some(&w.ann),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // After a decline, a new invitation can be sent.
    invite(&w, c, w.c_org, &w.carol).await;
}

#[tokio::test]
async fn an_unrelated_person_finds_nothing() {
    let w = world().await;
    let c = open(&w).await;
    let inv = invite(&w, c, w.b, &w.bob).await;
    let eve = &w.eve;
    for path in [
        format!("/collaborations/{c}"),
        format!("/collaborations/{c}/activity"),
        format!("/collaborations/{c}/invite"),
        format!("/collaborations/{c}/invite?q=north"),
        format!("/collaborations/{c}/edit"),
        format!("/invitations/{inv}"),
    ] {
        let r = w.app.get(&path, Some(eve)).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "GET {path}");
        assert!(
            !r.body.contains(TITLE) && !r.body.contains(PURPOSE),
            "GET {path} leaks the collaboration"
        );
    }
    let e = w.e.to_string();
    for (path, fields) in [
        (
            format!("/collaborations/{c}/edit"),
            vec![("title", "Hijacked"), ("purpose", "Hijacked")],
        ),
        (
            format!("/collaborations/{c}/stage"),
            vec![("direction", "forward"), ("from", "identify")],
        ),
        (
            format!("/collaborations/{c}/invite"),
            vec![("organisation_id", e.as_str()), ("role", "lead")],
        ),
        (
            format!("/collaborations/{c}/invitations/{inv}/withdraw"),
            vec![],
        ),
        (
            format!("/collaborations/{c}/participants/{}/role", w.a),
            vec![("role", "partner")],
        ),
        (
            format!("/collaborations/{c}/participants/{}/remove", w.a),
            vec![],
        ),
        (format!("/collaborations/{c}/leave"), vec![]),
        (format!("/invitations/{inv}/accept"), vec![]),
        (format!("/invitations/{inv}/decline"), vec![]),
    ] {
        let r = w.app.post_form(&path, Some(eve), &fields).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "POST {path}: {}", r.body);
        assert!(!r.body.contains(TITLE));
    }
    // Nothing changed.
    assert_eq!(stage_of(&w, c).await, "identify");
    let page = w
        .app
        .get(&format!("/collaborations/{c}"), Some(&w.ann))
        .await;
    assert!(page.body.contains(TITLE) && !page.body.contains("Hijacked"));
    assert!(!page.body.contains("Elsewhere Trust"));
    let still = w
        .app
        .get(&format!("/invitations/{inv}"), Some(&w.bob))
        .await;
    assert!(
        still.body.contains("Waiting for a reply"),
        "the invitation is still open: {}",
        still.body
    );
}

#[tokio::test]
async fn only_the_lead_moves_stages_one_at_a_time() {
    let w = world().await;
    let c = open(&w).await;
    let inv = invite(&w, c, w.b, &w.bob).await;
    w.app.accept(&w.bob, inv).await;

    let r = move_stage(&w, &w.ann, c, "forward", "identify").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), format!("/collaborations/{c}?moved=1#stages"));
    let page = w
        .app
        .get(&format!("/collaborations/{c}?moved=1"), Some(&w.ann))
        .await;
    assert!(
        page.body
            .contains("The collaboration is now in the Plan stage.")
    );
    assert!(page.body.contains(&current_stage_marker("Plan")));
    assert!(
        page.body.contains("Go back to Identify") && page.body.contains("Move on to Implement")
    );

    // A partner, even an admin, cannot move it; nor see the buttons.
    let partner_page = w
        .app
        .get(&format!("/collaborations/{c}"), Some(&w.bob))
        .await;
    assert!(!partner_page.body.contains("Move on to"));
    for who in [&w.bob, &w.mia] {
        let r = move_stage(&w, who, c, "forward", "plan").await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}: {}", who.name, r.body);
        assert!(r.body.contains("Only the lead organisation"));
    }
    assert_eq!(stage_of(&w, c).await, "plan");

    // Any member of the lead organisation can.
    let r = move_stage(&w, &w.lena, c, "forward", "plan").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(stage_of(&w, c).await, "implement");

    // A stale move (the page showed Plan) changes nothing.
    let r = move_stage(&w, &w.ann, c, "forward", "plan").await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(
        r.body
            .contains("already moved this collaboration to the Implement stage"),
        "{}",
        r.body
    );
    assert_eq!(stage_of(&w, c).await, "implement");
    let r = move_stage(&w, &w.ann, c, "back", "identify").await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(stage_of(&w, c).await, "implement");

    // Nothing after Review.
    assert_eq!(
        move_stage(&w, &w.ann, c, "forward", "implement")
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(stage_of(&w, c).await, "review");
    let page = w
        .app
        .get(&format!("/collaborations/{c}"), Some(&w.ann))
        .await;
    assert!(!page.body.contains("Move on to"), "no button past Review");
    let r = move_stage(&w, &w.ann, c, "forward", "review").await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("Review is the last stage"), "{}", r.body);
    assert_eq!(stage_of(&w, c).await, "review");

    // Back, one at a time, and nothing before Identify.
    for (from, to) in [
        ("review", "implement"),
        ("implement", "plan"),
        ("plan", "identify"),
    ] {
        let r = move_stage(&w, &w.ann, c, "back", from).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{from}: {}", r.body);
        assert_eq!(stage_of(&w, c).await, to);
    }
    let r = move_stage(&w, &w.ann, c, "back", "identify").await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("Identify is the first stage"), "{}", r.body);
    assert_eq!(stage_of(&w, c).await, "identify");

    // Nonsense is a form error, not a move.
    let r = move_stage(&w, &w.ann, c, "sideways", "identify").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = move_stage(&w, &w.ann, c, "forward", "nowhere").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(stage_of(&w, c).await, "identify");
}

#[tokio::test]
async fn the_lead_edits_details_and_partners_cannot() {
    let w = world().await;
    let c = open(&w).await;
    let inv = invite(&w, c, w.b, &w.bob).await;
    w.app.accept(&w.bob, inv).await;
    let edit = format!("/collaborations/{c}/edit");
    assert_eq!(w.app.get(&edit, Some(&w.ann)).await.status, StatusCode::OK);
    assert_eq!(
        w.app.get(&edit, Some(&w.bob)).await.status,
        StatusCode::FORBIDDEN
    );
    let r = w
        .app
        .post_form(
            &edit,
            Some(&w.bob),
            &[("title", "Partner title"), ("purpose", PURPOSE)],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = w
        .app
        .post_form(
            &edit,
            Some(&w.ann),
            &[("title", ""), ("purpose", "A kept new purpose")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("href=\"#title\"") && r.body.contains("A kept new purpose"));
    let r = w
        .app
        .post_form(
            &edit,
            Some(&w.lena),
            &[
                ("title", "Shared food and advice hub"),
                ("purpose", PURPOSE),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = w
        .app
        .get(&format!("/collaborations/{c}"), Some(&w.bob))
        .await;
    assert!(page.body.contains("Shared food and advice hub"));
    assert!(!page.body.contains("Partner title"));
}

#[tokio::test]
async fn partners_leave_and_the_last_lead_stays() {
    let w = world().await;
    let c = open(&w).await;
    let inv = invite(&w, c, w.b, &w.bob).await;
    w.app.accept(&w.bob, inv).await;
    let to_c = invite(&w, c, w.c_org, &w.carol).await;
    w.app.accept(&w.carol, to_c).await;

    // The lead cannot leave, be removed or be demoted while it is the only lead.
    let r = w
        .app
        .post_form(&format!("/collaborations/{c}/leave"), Some(&w.ann), &[])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = w
        .app
        .post_form(
            &format!("/collaborations/{c}/participants/{}/remove", w.a),
            Some(&w.ann),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(r.body.contains("needs a lead organisation"));
    let r = w
        .app
        .post_form(
            &format!("/collaborations/{c}/participants/{}/role", w.a),
            Some(&w.ann),
            &[("role", "partner")],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("Make another partner a lead first"));

    // A partner's member cannot take it out; its admin can.
    let r = w
        .app
        .post_form(&format!("/collaborations/{c}/leave"), Some(&w.mia), &[])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let page = w
        .app
        .get(&format!("/collaborations/{c}"), Some(&w.bob))
        .await;
    assert!(
        page.body
            .contains("Take Northgate Youth Project out of this collaboration")
    );
    let r = w
        .app
        .post_form(&format!("/collaborations/{c}/leave"), Some(&w.bob), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), "/collaborations");
    for who in [&w.bob, &w.mia] {
        assert_eq!(
            w.app
                .get(&format!("/collaborations/{c}"), Some(who))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
    }
    // Partners cannot manage others; a lead admin removes one.
    let r = w
        .app
        .post_form(
            &format!("/collaborations/{c}/participants/{}/remove", w.a),
            Some(&w.carol),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = w
        .app
        .post_form(
            &format!("/collaborations/{c}/participants/{}/remove", w.c_org),
            Some(&w.lena),
            &[],
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "a lead member who is not an admin"
    );
    let r = w
        .app
        .post_form(
            &format!("/collaborations/{c}/participants/{}/role", w.c_org),
            Some(&w.ann),
            &[("role", "observer")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = w
        .app
        .post_form(
            &format!("/collaborations/{c}/participants/{}/role", w.c_org),
            Some(&w.ann),
            &[("role", "chief")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = w
        .app
        .post_form(
            &format!("/collaborations/{c}/participants/{}/role", w.b),
            Some(&w.ann),
            &[("role", "partner")],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "B no longer takes part");
    let r = w
        .app
        .post_form(
            &format!("/collaborations/{c}/participants/{}/remove", w.c_org),
            Some(&w.ann),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        w.app
            .get(&format!("/collaborations/{c}"), Some(&w.carol))
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // With a second lead, the first can step down, and loses the lead's powers.
    let again = invite(&w, c, w.b, &w.bob).await;
    w.app.accept(&w.bob, again).await;
    let r = w
        .app
        .post_form(
            &format!("/collaborations/{c}/participants/{}/role", w.b),
            Some(&w.ann),
            &[("role", "lead")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = w
        .app
        .post_form(
            &format!("/collaborations/{c}/participants/{}/role", w.a),
            Some(&w.ann),
            &[("role", "partner")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        move_stage(&w, &w.ann, c, "forward", "identify")
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        w.app
            .get(&format!("/collaborations/{c}/invite"), Some(&w.ann))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        move_stage(&w, &w.bob, c, "forward", "identify")
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    // And B, now the only lead, cannot be demoted.
    let r = w
        .app
        .post_form(
            &format!("/collaborations/{c}/participants/{}/role", w.b),
            Some(&w.bob),
            &[("role", "partner")],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn every_change_is_in_the_activity_with_who_and_for_which_organisation() {
    let w = world().await;
    let c = open(&w).await;
    let inv = invite(&w, c, w.b, &w.bob).await;
    w.app
        .post_form(&format!("/invitations/{inv}/accept"), Some(&w.bob), &[])
        .await;
    move_stage(&w, &w.lena, c, "forward", "identify").await;
    w.app
        .post_form(
            &format!("/collaborations/{c}/edit"),
            Some(&w.ann),
            &[
                ("title", "Shared food and advice hub"),
                ("purpose", PURPOSE),
            ],
        )
        .await;
    let to_c = invite(&w, c, w.c_org, &w.carol).await;
    w.app
        .post_form(&format!("/invitations/{to_c}/decline"), Some(&w.carol), &[])
        .await;
    let to_d = invite(&w, c, w.d, &w.dan).await;
    w.app
        .post_form(
            &format!("/collaborations/{c}/invitations/{to_d}/withdraw"),
            Some(&w.ann),
            &[],
        )
        .await;
    w.app
        .post_form(
            &format!("/collaborations/{c}/participants/{}/role", w.b),
            Some(&w.ann),
            &[("role", "observer")],
        )
        .await;
    w.app
        .post_form(&format!("/collaborations/{c}/leave"), Some(&w.bea), &[])
        .await;

    let page = w
        .app
        .get(&format!("/collaborations/{c}/activity"), Some(&w.lena))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let expected = [
        (
            "Opened the collaboration \u{201c}Shared food hub\u{201d} in the Identify stage.",
            "Ann Lead, for Riverside Food Bank",
        ),
        (
            "Invited Northgate Youth Project to join as a partner.",
            "Ann Lead, for Riverside Food Bank",
        ),
        (
            "Northgate Youth Project accepted the invitation and joined as a partner.",
            "Bob Partner, for Northgate Youth Project",
        ),
        (
            "Moved the collaboration from Identify to Plan.",
            "Lena Leadmember, for Riverside Food Bank",
        ),
        (
            "Changed the title or purpose.",
            "Ann Lead, for Riverside Food Bank",
        ),
        (
            "Invited Castleton Carers to join as a partner.",
            "Ann Lead, for Riverside Food Bank",
        ),
        (
            "Castleton Carers declined the invitation.",
            "Carol Carer, for Castleton Carers",
        ),
        (
            "Invited Deanfield Advice Centre to join as a partner.",
            "Ann Lead, for Riverside Food Bank",
        ),
        (
            "Withdrew the invitation to Deanfield Advice Centre.",
            "Ann Lead, for Riverside Food Bank",
        ),
        (
            "Made Northgate Youth Project an observer.",
            "Ann Lead, for Riverside Food Bank",
        ),
        (
            "Northgate Youth Project left the collaboration.",
            "Bea Partneradmin, for Northgate Youth Project",
        ),
    ];
    // Newest first: walk the page backwards through the list.
    let mut last = 0;
    for (summary, who) in expected.iter().rev() {
        let at = page.body[last..]
            .find(summary)
            .unwrap_or_else(|| panic!("missing {summary:?} in {}", page.body))
            + last;
        let line = &page.body[at..];
        let next_item = line.find("</li>").unwrap();
        assert!(
            line[..next_item].contains(who),
            "{summary:?} should say {who:?}: {}",
            &line[..next_item]
        );
        last = at;
    }
    // The collaboration page shows the latest few.
    let overview = w
        .app
        .get(&format!("/collaborations/{c}"), Some(&w.ann))
        .await;
    assert!(
        overview
            .body
            .contains("Northgate Youth Project left the collaboration.")
    );
    // Those who left, and outsiders, cannot read it.
    for who in [&w.bob, &w.eve, &w.carol, &w.dan] {
        assert_eq!(
            w.app
                .get(&format!("/collaborations/{c}/activity"), Some(who))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
    }
}

#[tokio::test]
async fn a_person_in_two_organisations_chooses_which_one_they_act_for() {
    let w = world().await;
    let c = open(&w).await;
    let inv = invite(&w, c, w.b, &w.bob).await;
    w.app.accept(&w.bob, inv).await;
    // Pat is a member of A and an admin of B.
    let pat = w.app.quick_person("Pat Twohats").await;
    w.app.join(&pat, w.a, false).await;
    w.app.join(&pat, w.b, true).await;

    let home = w.app.get("/", Some(&pat)).await;
    assert!(
        home.body.contains("id=\"acting-for\""),
        "a switcher for two organisations"
    );
    assert!(home.body.contains(&format!("<option value=\"{}\"", w.a)));
    assert!(home.body.contains(&format!("<option value=\"{}\"", w.b)));
    // One organisation: no switcher.
    let single = w.app.get("/", Some(&w.ann)).await;
    assert!(!single.body.contains("id=\"acting-for\""));
    assert!(
        single
            .body
            .contains("acting for <strong>Riverside Food Bank</strong>")
    );

    // Organisations they are not in, or nonsense, are not found.
    for org in [
        w.e.to_string(),
        w.c_org.to_string(),
        "abc".into(),
        "".into(),
        "99999999999999999999".into(),
        "-1".into(),
    ] {
        let r = w
            .app
            .post_form(
                "/acting-for",
                Some(&pat),
                &[("organisation_id", &org), ("next", "/")],
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "acting for {org:?}");
    }

    let r = w
        .app
        .post_form(
            "/acting-for",
            Some(&pat),
            &[
                ("organisation_id", &w.b.to_string()),
                ("next", &format!("/collaborations/{c}")),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), format!("/collaborations/{c}"));
    let page = w.app.get(&format!("/collaborations/{c}"), Some(&pat)).await;
    assert!(
        page.body
            .contains(&format!("<option value=\"{}\" selected>", w.b)),
        "B is chosen"
    );
    assert!(
        page.body
            .contains("You are acting for <strong>Northgate Youth Project</strong>"),
        "{}",
        page.body
    );
    // Acting for B (a partner), Pat can take B out; acting for A she could not.
    assert!(
        page.body
            .contains("Take Northgate Youth Project out of this collaboration")
    );

    // Somewhere only A can act (moving the stage), A acts, and the record says so.
    let r = move_stage(&w, &pat, c, "forward", "identify").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let activity = w
        .app
        .get(&format!("/collaborations/{c}/activity"), Some(&pat))
        .await;
    assert!(
        activity
            .body
            .contains("Pat Twohats, for Riverside Food Bank"),
        "{}",
        activity.body
    );

    let r = w
        .app
        .post_form(
            "/acting-for",
            Some(&pat),
            &[
                ("organisation_id", &w.a.to_string()),
                ("next", "https://evil.example/"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/", "only local addresses");
    let page = w.app.get(&format!("/collaborations/{c}"), Some(&pat)).await;
    assert!(
        page.body
            .contains("You are acting for <strong>Riverside Food Bank</strong>")
    );
    assert!(
        page.body
            .contains(&format!("<option value=\"{}\" selected>", w.a))
    );
}
