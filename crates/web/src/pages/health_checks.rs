//! The Review stage page and health check rounds: opening one, answering,
//! closing, and the results with their chart, gaps and trend. Every action
//! is a plain form. Only a person's own answers and the aggregated results
//! ever appear here.

use super::identify::checklist;
use super::layout::{
    Input, back_link, csrf_field, form_status, notice, ok, page, radios, render, table_scroll, tag,
    textarea,
};
use crate::AppState;
use crate::actions;
use crate::actions::health_checks::{ReviewOverview, RoundDetail, RoundResults, is_closed};
use crate::auth::{PageContext, SignedIn};
use crate::error::AppError;
use crate::extract::{P, PageForm, Q};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use commonground_domain::FieldErrors;
use commonground_domain::health_checks::{Kind, LIGHTS, Stats, light_code};
use commonground_domain::readiness::{DONT_KNOW, RawAnswer, SCALE};
use commonground_domain::stage::Stage;
use commonground_store::health_checks::Round;
use maud::{Markup, html};
use serde::Deserialize;
use std::collections::BTreeMap;

fn status_tag(r: &Round, today: &str) -> Markup {
    if is_closed(r, today) {
        tag("Closed", "tag-done")
    } else {
        tag("Open", "tag-current")
    }
}

/// For the collaboration page: rounds waiting for the person's answers.
pub fn waiting(rounds: &[Round]) -> Markup {
    html! {
        @if !rounds.is_empty() {
            div.notice role="status" {
                @for r in rounds {
                    p { "A health check of this partnership is open until " (r.closes_on) ". "
                        a href={ "/health-checks/" (r.id) } { "Answer health check round " (r.number) }
                        ". Nobody sees your answers on their own." }
                }
            }
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ReviewQuery {
    pub opened: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NewRoundForm {
    pub kind: String,
    pub closes_on: String,
}

fn review_page(
    ctx: &PageContext,
    o: &ReviewOverview,
    form: &NewRoundForm,
    errors: &FieldErrors,
    note: Option<&str>,
) -> Markup {
    let c = &o.collaboration;
    let kinds: Vec<(&str, &str, Option<&str>)> = Kind::ALL
        .iter()
        .map(|k| (k.code(), k.label(), Some(k.summary())))
        .collect();
    page(
        ctx,
        &format!("Review: {}", c.title),
        (!errors.is_empty()).then_some(errors),
        html! {
            (back_link(&format!("/collaborations/{}", c.id), &format!("Back to {}", c.title)))
            @if let Some(n) = note { (notice(n)) }
            span.caption { (c.title) }
            h1 { "Stage 4: Review" }
            p.lead { (Stage::Review.summary()) }
            @if c.stage < Stage::Review {
                p { "The collaboration is still in the " (c.stage.label()) " stage. You can check the health of the partnership at any time." }
            }
            h2 { "What this stage produces so far" }
            (checklist("review-progress", &o.checklist, o.percent))
            h2 #health-checks { "Health checks of the partnership" }
            p { "Everyone in the lead and partner organisations is asked how the partnership is going. "
                "Nobody's answers are ever shown on their own: results appear only once a round has closed, and only when at least "
                (o.threshold) " people answered. An organisation's own figures appear only when at least " (o.threshold) " of its people answered. "
                "Observers and facilitators are not asked, but can read the results." }
            @if o.rounds.is_empty() {
                p { "No health check yet." }
            } @else {
                (table_scroll("rounds-caption", html! {
                    table.table {
                        caption #rounds-caption { "Rounds, newest first" }
                        thead { tr {
                            th scope="col" { "Round" }
                            th scope="col" { "Kind" }
                            th scope="col" { "Closes" }
                            th scope="col" { "Status" }
                            th scope="col" { "Answered" }
                            th scope="col" { "You" }
                        } }
                        tbody {
                            @for r in &o.rounds {
                                tr {
                                    td { a href={ "/health-checks/" (r.id) } { "Round " (r.number) } }
                                    td { (r.kind.label()) }
                                    td { (r.closes_on) }
                                    td { (status_tag(r, &o.today)) }
                                    td { (r.respondents) " of " (r.invited) " invited" }
                                    td {
                                        @if r.answered_by_me { "Answered" }
                                        @else if actions::health_checks::awaits(r, &o.today) { a href={ "/health-checks/" (r.id) } { "Answer now" } }
                                        @else if r.invited_me { "Not answered" }
                                        @else { "Not asked" }
                                    }
                                }
                            }
                        }
                    }
                }))
            }
            (super::forward::review_section(c, &o.forward))
            (super::story::review_block(c.id))
            @if o.can_lead {
                h2 #open-round { "Open a round" }
                p { "Everyone in the lead and partner organisations is told by email and on this page. Only one round can be open at a time." }
                form method="post" action={ "/collaborations/" (c.id) "/health-checks" } novalidate {
                    (csrf_field(&ctx.csrf))
                    (radios("kind", "Which kind of health check?", None, &kinds, &form.kind, errors))
                    (Input::text("closes_on", "Closing date", &form.closes_on)
                        .hint("Answers are taken through this day. For example, 2027-01-31.")
                        .kind("date")
                        .render(errors))
                    button.button type="submit" { "Open the round" }
                }
            }
        },
    )
}

pub async fn review(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
    Q(n): Q<ReviewQuery>,
) -> Result<Response, AppError> {
    let o = actions::health_checks::review_overview(&state, &viewer.actor(), id).await?;
    let note = (!n.opened.is_empty())
        .then_some("The round is open. Everyone invited has been told by email.");
    Ok(ok(review_page(
        &ctx,
        &o,
        &NewRoundForm::default(),
        &FieldErrors::new(),
        note,
    )))
}

pub async fn open_round(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
    PageForm(form): PageForm<NewRoundForm>,
) -> Result<Response, AppError> {
    let actor = viewer.actor();
    match actions::health_checks::open_round(&state, &actor, id, &form.kind, &form.closes_on).await
    {
        Ok(_) => Ok(Redirect::to(&format!("/collaborations/{id}/review?opened=1")).into_response()),
        Err(AppError::Invalid(errors)) => {
            let o = actions::health_checks::review_overview(&state, &actor, id).await?;
            Ok(render(
                form_status(&errors),
                review_page(&ctx, &o, &form, &errors, None),
            ))
        }
        Err(e) => Err(e),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RoundQuery {
    pub saved: String,
    pub closed: String,
}

fn round_page(
    ctx: &PageContext,
    d: &RoundDetail,
    chosen: &BTreeMap<i64, String>,
    comment: &str,
    errors: &FieldErrors,
    note: Option<&str>,
) -> Markup {
    let c = &d.collaboration;
    let r = &d.round;
    let kind = d.questionnaire.kind;
    let lights: Vec<(&str, &str, Option<&str>)> = LIGHTS
        .iter()
        .map(|(_, code, label)| (*code, *label, None))
        .collect();
    let scale: Vec<(String, String)> = SCALE
        .iter()
        .map(|(n, label)| (n.to_string(), format!("{n} {label}")))
        .chain([("dk".to_string(), DONT_KNOW.to_string())])
        .collect();
    let scale: Vec<(&str, &str, Option<&str>)> = scale
        .iter()
        .map(|(v, l)| (v.as_str(), l.as_str(), None))
        .collect();
    page(
        ctx,
        &format!("Health check round {}: {}", r.number, c.title),
        (!errors.is_empty()).then_some(errors),
        html! {
            (back_link(&format!("/collaborations/{}/review", c.id), "Back to the Review stage"))
            @if let Some(n) = note { (notice(n)) }
            span.caption { (c.title) }
            h1 { "Health check round " (r.number) ": " (kind.label().to_lowercase()) }
            p { (status_tag(r, &d.today)) " Closes at the end of " (r.closes_on) ". "
                (r.respondents) " of " (r.invited) " people invited have answered." }
            p { a href={ "/health-checks/" (r.id) "/results" } { "Results" } }
            @if d.can_answer {
                h2 #answers { @if d.own.is_some() { "Change your answers" } @else { "Your answers" } }
                p { "Answer as you see it. Nobody sees your answers on their own: results are shown only once the round closes, combined across enough people that nobody can be singled out. You can change your answers until the round closes." }
                @if kind == Kind::Full { p { "Rate each statement from 1 (strongly disagree) to 5 (strongly agree), or choose \u{201c}don't know\u{201d}." } }
                form method="post" action={ "/health-checks/" (r.id) "/answers" } novalidate {
                    (csrf_field(&ctx.csrf))
                    @for g in &d.questionnaire.groups {
                        @if kind == Kind::Full { h3 { (g.label) } }
                        @for q in &g.questions {
                            div.scale {
                                (radios(&format!("q{}", q.id), &q.text, Some(&q.label),
                                    if kind == Kind::Pulse { &lights } else { &scale },
                                    chosen.get(&q.id).map(String::as_str).unwrap_or(""), errors))
                            }
                        }
                    }
                    (textarea("comment", "Anything else to say? (optional)",
                        Some("Shown without your name, sorted with the others, and only with the results. Leave out anything that would show who you are."),
                        comment, 4, errors))
                    button.button type="submit" { "Save my answers" }
                }
            } @else if d.closed {
                p { "This round has closed, so answers can no longer be given or changed." }
            } @else if !r.invited_me {
                p { "You were not asked to answer this round: it goes to the members of the lead and partner organisations when it opens. You can read its results once it closes." }
            }
            @if d.can_close {
                h2 { "Close the round" }
                p { "Close it early when enough people have answered. Nobody can answer or change their answers after that." }
                form method="post" action={ "/health-checks/" (r.id) "/close" } {
                    (csrf_field(&ctx.csrf))
                    button.button.secondary type="submit" { "Close the round now" }
                }
            }
        },
    )
}

fn chosen_from(d: &RoundDetail) -> (BTreeMap<i64, String>, String) {
    let Some(own) = &d.own else {
        return (BTreeMap::new(), String::new());
    };
    let chosen = own
        .answers
        .iter()
        .map(|(id, v)| {
            let text = match (d.questionnaire.kind, v) {
                (_, None) => "dk".to_string(),
                (Kind::Pulse, Some(v)) => light_code(*v as u8).to_string(),
                (Kind::Full, Some(v)) => v.to_string(),
            };
            (*id, text)
        })
        .collect();
    (chosen, own.comment.clone())
}

pub async fn round(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(hid): P<i64>,
    Q(n): Q<RoundQuery>,
) -> Result<Response, AppError> {
    let d = actions::health_checks::round_detail(&state, &viewer.actor(), hid).await?;
    let (chosen, comment) = chosen_from(&d);
    let note = if !n.saved.is_empty() {
        Some("Your answers have been saved. You can change them until the round closes.")
    } else if !n.closed.is_empty() {
        Some("The round is closed.")
    } else {
        None
    };
    Ok(ok(round_page(
        &ctx,
        &d,
        &chosen,
        &comment,
        &FieldErrors::new(),
        note,
    )))
}

pub async fn answer(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(hid): P<i64>,
    PageForm(form): PageForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let actor = viewer.actor();
    let raw: Vec<(String, RawAnswer)> = form
        .iter()
        .filter_map(|(k, v)| {
            let key = k.strip_prefix('q')?;
            let value = match v.trim() {
                "dk" => RawAnswer::DontKnow,
                other => match other.parse::<f64>() {
                    Ok(n) if n.is_finite() => RawAnswer::Number(n),
                    _ => RawAnswer::Other(other.to_string()),
                },
            };
            Some((key.to_string(), value))
        })
        .collect();
    let comment = form
        .iter()
        .find(|(k, _)| k == "comment")
        .map(|(_, v)| v.as_str())
        .unwrap_or("");
    match actions::health_checks::answer(&state, &actor, hid, &raw, comment, "q").await {
        Ok(()) => Ok(Redirect::to(&format!("/health-checks/{hid}?saved=1")).into_response()),
        Err(AppError::Invalid(errors)) => {
            let d = actions::health_checks::round_detail(&state, &actor, hid).await?;
            let chosen: BTreeMap<i64, String> = form
                .iter()
                .filter_map(|(k, v)| Some((k.strip_prefix('q')?.parse().ok()?, v.clone())))
                .collect();
            Ok(render(
                form_status(&errors),
                round_page(&ctx, &d, &chosen, comment, &errors, None),
            ))
        }
        Err(e) => Err(e),
    }
}

pub async fn close(
    State(state): State<AppState>,
    SignedIn(viewer, _ctx): SignedIn,
    P(hid): P<i64>,
) -> Result<Response, AppError> {
    actions::health_checks::close(&state, &viewer.actor(), hid).await?;
    Ok(Redirect::to(&format!("/health-checks/{hid}/results?closed=1")).into_response())
}

fn stats_cells(s: &Option<Stats>, kind: Kind) -> Markup {
    html! {
        @match s {
            Some(s) => {
                td { (format!("{:.1}", s.mean)) }
                td { (format!("{:.1}", s.spread)) }
                td { (s.answering) }
                @if kind == Kind::Pulse {
                    @let l = s.lights.unwrap_or(commonground_domain::health_checks::Lights { green: 0, amber: 0, red: 0 });
                    td { (l.green) " green, " (l.amber) " amber, " (l.red) " red" }
                }
            }
            None => {
                td colspan=(if kind == Kind::Pulse { 4 } else { 3 }) { "Too few answered to show" }
            }
        }
    }
}

fn results_page(ctx: &PageContext, v: &RoundResults, note: Option<&str>) -> Markup {
    let d = &v.detail;
    let c = &d.collaboration;
    let r = &d.round;
    let kind = r.kind;
    let name = |o: i64| v.names.get(&o).cloned().unwrap_or_default();
    page(
        ctx,
        &format!("Health check round {} results: {}", r.number, c.title),
        None,
        html! {
            (back_link(&format!("/health-checks/{}", r.id), &format!("Back to round {}", r.number)))
            @if let Some(n) = note { (notice(n)) }
            span.caption { (c.title) }
            h1 { "Results of health check round " (r.number) }
            @match &v.results {
                Err(why) => {
                    p #results-unavailable { (why.sentence()) }
                    p { (r.respondents) " of " (r.invited) " people invited have answered." }
                }
                Ok(res) => {
                    p { (res.respondents) " of " (r.invited) " people invited answered this " (kind.label().to_lowercase()) ". "
                        @if kind == Kind::Pulse { "Averages count red as 1, amber as 2 and green as 3." }
                        @else { "Averages are on a scale from 1 (strongly disagree) to 5 (strongly agree); \u{201c}don't know\u{201d} is left out." }
                        " Spread is the standard deviation: the bigger it is, the more people disagree." }
                    h2 #gaps { "Where partners see things differently" }
                    @if res.gaps.is_empty() {
                        p { "No organisation with enough people answering sees any question very differently from the rest." }
                    } @else {
                        ul.gaps {
                            @for g in &res.gaps { li { (g.sentence(&name(g.organisation_id), kind)) } }
                        }
                    }
                    h2 { "Chart" }
                    img.scaled src={ "/health-checks/" (r.id) "/chart.svg" }
                        alt={ "Radar chart of the average ratings. The tables below give the same figures." };
                    @if kind == Kind::Full {
                        (table_scroll("groups-caption", html! {
                            table.table {
                                caption #groups-caption { "By group" }
                                thead { tr { th scope="col" { "Group" } th scope="col" { "Average" } th scope="col" { "Spread" } th scope="col" { "Answering" } } }
                                tbody { @for g in &res.groups { tr { th scope="row" { (g.label) } (stats_cells(&g.stats, kind)) } } }
                            }
                        }))
                    }
                    (table_scroll("questions-caption", html! {
                        table.table {
                            caption #questions-caption { "By question" }
                            thead { tr {
                                th scope="col" { "Question" } th scope="col" { "Average" } th scope="col" { "Spread" } th scope="col" { "Answering" }
                                @if kind == Kind::Pulse { th scope="col" { "Lights" } }
                            } }
                            tbody { @for q in &res.questions { tr { th scope="row" { (q.label) } (stats_cells(&q.stats, kind)) } } }
                        }
                    }))
                    h2 { "By organisation" }
                    @if res.organisations.is_empty() {
                        p { "No organisation's own figures can be shown: that needs enough of its people answering, and enough people outside it too, so nobody can be singled out." }
                    } @else {
                        @for o in &res.organisations {
                            @let cap = format!("org-{}-caption", o.organisation_id);
                            (table_scroll(&cap, html! {
                                table.table {
                                    caption id=(cap) { (name(o.organisation_id)) " (" (o.respondents) " people)" }
                                    thead { tr {
                                        th scope="col" { "Question" } th scope="col" { "Average" } th scope="col" { "Spread" } th scope="col" { "Answering" }
                                        @if kind == Kind::Pulse { th scope="col" { "Lights" } }
                                    } }
                                    tbody { @for q in &o.questions { tr { th scope="row" { (q.label) } (stats_cells(&q.stats, kind)) } } }
                                }
                            }))
                        }
                    }
                    h2 { "Comments" }
                    @if res.comments.is_empty() {
                        p { "Nobody left a comment." }
                    } @else {
                        p { "Shown without names, in alphabetical order." }
                        ul.comments { @for text in &res.comments { li { (text) } } }
                    }
                    @if v.trend.len() > 1 {
                        (table_scroll("trend-caption", html! {
                            table.table {
                                caption #trend-caption { "Trend across this collaboration's " (kind.label().to_lowercase()) " rounds (averages)" }
                                thead { tr {
                                    th scope="col" { "Round" }
                                    @for (_, label) in &v.axes { th scope="col" { (label) } }
                                } }
                                tbody { @for t in &v.trend { tr {
                                    th scope="row" { "Round " (t.round_number) " (" (t.respondents) " people, closed " (t.closes_on) ")" }
                                    @for m in &t.means { td { @match m { Some(x) => (format!("{x:.1}")), None => "Too few" } } }
                                } } }
                            }
                        }))
                    }
                }
            }
        },
    )
}

pub async fn results(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(hid): P<i64>,
    Q(n): Q<RoundQuery>,
) -> Result<Response, AppError> {
    let v = actions::health_checks::results(&state, &viewer.actor(), hid).await?;
    let note = (!n.closed.is_empty()).then_some("The round is closed.");
    Ok(render(StatusCode::OK, results_page(&ctx, &v, note)))
}

pub async fn chart_svg(
    State(state): State<AppState>,
    SignedIn(viewer, _ctx): SignedIn,
    P(hid): P<i64>,
) -> Result<Response, AppError> {
    Ok(crate::svg_response(
        actions::health_checks::chart_svg(&state, &viewer.actor(), hid).await?,
    ))
}
