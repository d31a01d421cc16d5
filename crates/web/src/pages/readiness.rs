//! The readiness check page: the results (chart, table, where to start),
//! the person's own answers as a form, and starting a new round.

use super::layout::{
    back_link, csrf_field, form_status, notice, page, radios, render, table_scroll, tag,
};
use super::resources::resource_list;
use crate::AppState;
use crate::actions;
use crate::actions::readiness::{ReadinessView, RoundResults};
use crate::auth::{PageContext, SignedIn};
use crate::error::AppError;
use crate::extract::{P, PageForm, Q};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use commonground_domain::FieldErrors;
use commonground_domain::readiness::{
    Band, DONT_KNOW, RawAnswer, Results, SCALE, Score, one_decimal, weakest,
};
use commonground_domain::stage::Stage;
use maud::{Markup, PreEscaped, html};
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ShowQuery {
    saved: String,
    round: String,
}

fn band_tag(s: &Score) -> Markup {
    html! {
        @match s.band {
            Some(Band::Strength) => (tag("Strength", "tag-done")),
            Some(Band::Borderline) => (tag("Borderline", "tag-borderline")),
            Some(Band::Concern) => (tag("Concern", "tag-attention")),
            None => span.muted { "No answers" },
        }
        @if s.disagreement { " " (tag("People disagree", "tag-attention")) }
    }
}

fn num(x: Option<f64>) -> String {
    x.map(one_decimal).unwrap_or_else(|| "–".into())
}

fn scores_table(
    id: &str,
    caption: &str,
    first: &str,
    scores: &[Score],
    previous: Option<&Results>,
) -> Markup {
    table_scroll(
        &format!("{id}-caption"),
        html! {
            table.table {
                caption id={ (id) "-caption" } { (caption) }
                thead { tr {
                    th scope="col" { (first) }
                    th scope="col" { "Mean (1 to 5)" }
                    th scope="col" { "Spread" }
                    th scope="col" { "People answering" }
                    th scope="col" { "Finding" }
                    @if previous.is_some() { th scope="col" { "Mean last round" } }
                } }
                tbody {
                    @for s in scores {
                        tr {
                            th scope="row" { (s.label) }
                            td { (num(s.mean)) }
                            td { (num(s.spread)) }
                            td { (s.answering) }
                            td { (band_tag(s)) }
                            @if let Some(p) = previous {
                                td { (num(p.groups.iter().chain(&p.factors).find(|x| x.code == s.code).and_then(|x| x.mean))) }
                            }
                        }
                    }
                }
            }
        },
    )
}

fn results_section(view: &ReadinessView, chart: &str) -> Markup {
    let t = &view.thresholds;
    let previous = view.previous.as_ref().and_then(|p| p.results.as_deref());
    html! {
        h2 #results { "Results" }
        @match &view.current {
            None => { p { "Nobody has answered yet. The results will appear here once at least " (t.min_respondents) " people have answered." } }
            Some(RoundResults { round, respondents, results: None, .. }) => {
                p { "Round " (round.number) ": " (respondents) " " (if *respondents == 1 { "person has" } else { "people have" }) " answered so far. "
                    "The combined results appear once at least " (t.min_respondents) " people have answered, so that nobody's own answers can be worked out from them." }
            }
            Some(RoundResults { round, respondents, results: Some(r), .. }) => {
                p { "Round " (round.number) ", " (respondents) " people answering. A mean of " (one_decimal(t.strength)) " or more is a strength, "
                    (one_decimal(t.borderline)) " to " (one_decimal(t.strength - 0.1)) " is borderline, and below " (one_decimal(t.borderline)) " is a concern. "
                    "Where people's answers are " (one_decimal(t.disagreement)) " points or more apart, that disagreement is a finding too." }
                figure.chart {
                    (PreEscaped(chart))
                    figcaption { "The chart shows the mean for each group. The table below gives the same figures." }
                }
                (scores_table("groups", "Results by group", "Group", &r.groups, previous))
                h3 #weakest { "Where to start" }
                @let weak = weakest(r);
                @if weak.is_empty() {
                    p { "Every factor is a strength, and people broadly agree. Keep talking about them as you plan." }
                } @else {
                    ol.task-list {
                        @for s in weak {
                            li {
                                strong { (s.label) } " — mean " (num(s.mean)) ", spread " (num(s.spread)) " " (band_tag(s))
                                @if let Some(f) = view.instrument.factors().find(|(_, f)| f.id == s.id) {
                                    p { (f.1.advice) }
                                }
                                @if s.disagreement { p.muted { "People answered this very differently. Talk about why before you decide." } }
                            }
                        }
                    }
                }
                details {
                    summary { "Results for every factor" }
                    (scores_table("factors", "Results by factor", "Factor", &r.factors, previous))
                }
            }
        }
        @if let Some(RoundResults { round, results: None, respondents, .. }) = &view.previous {
            p.muted { "Round " (round.number) " had " (respondents) " " (if *respondents == 1 { "person" } else { "people" }) " answering, too few to show its results." }
        }
    }
}

fn own_section(view: &ReadinessView) -> Markup {
    let combined_shown = view.current.as_ref().is_some_and(|c| c.results.is_some());
    let body = html! {
        p { "Only you can see these. They are worked out from your answers alone." }
        figure.chart {
            (PreEscaped(actions::readiness::own_chart(view)))
            figcaption { "The chart shows your own mean for each group. The table below gives the same figures." }
        }
        (scores_table("mine", "Your own scores by group", "Group", &view.my_results.groups, None))
    };
    html! {
        @if !view.my_answers.is_empty() {
            @if combined_shown {
                details {
                    summary { "Your own scores" }
                    (body)
                }
            } @else {
                h3 #own { "Your own scores" }
                (body)
            }
        }
    }
}

/// The questionnaire, with `chosen` as the selected answers (the person's
/// saved answers, or what they just sent).
fn form(
    ctx: &PageContext,
    view: &ReadinessView,
    chosen: &BTreeMap<i64, String>,
    errors: &FieldErrors,
) -> Markup {
    let c = &view.collaboration;
    let options: Vec<(String, String)> = SCALE
        .iter()
        .map(|(n, label)| (n.to_string(), format!("{n} {label}")))
        .chain([("dk".to_string(), DONT_KNOW.to_string())])
        .collect();
    let options: Vec<(&str, &str, Option<&str>)> = options
        .iter()
        .map(|(v, l)| (v.as_str(), l.as_str(), None))
        .collect();
    html! {
        @if view.can_answer {
            p { "Rate each statement from 1 (strongly disagree) to 5 (strongly agree), or choose \"don't know\". "
                "Answer for your own organisation, as you see it. Nobody else sees your answers: others only see results combined across at least "
                (view.thresholds.min_respondents) " people. You can change your answers until a new round starts." }
            form #answers method="post" action={ "/collaborations/" (c.id) "/readiness/answers" } novalidate {
                (csrf_field(&ctx.csrf))
                @for g in &view.instrument.groups {
                    h2 { (g.label) }
                    @for f in &g.factors {
                        @for s in &f.statements {
                            div.scale {
                                (radios(&format!("s{}", s.id), &s.text, Some(&f.label), &options,
                                    chosen.get(&s.id).map(String::as_str).unwrap_or(""), errors))
                            }
                        }
                    }
                }
                button.button type="submit" { "Save my answers" }
            }
        } @else {
            p { "Your organisation observes this collaboration, so you can see the results but not answer." }
        }
    }
}

fn show_page(ctx: &PageContext, view: &ReadinessView, chart: &str, note: Option<&str>) -> Markup {
    let c = &view.collaboration;
    page(
        ctx,
        &format!("Readiness check: {}", c.title),
        None,
        html! {
            (back_link(&format!("/collaborations/{}/identify", c.id), "Back to the Identify stage"))
            @if let Some(n) = note { (notice(n)) }
            span.caption { (c.title) }
            h1 { "Should we collaborate? The readiness check" }
            p.lead { "A quick way to see where you are ready to work together and where you are not, before you commit." }
            h2 #answers { "Your answers" }
            @if !view.can_answer {
                p { "Your organisation observes this collaboration, so you can see the results but not answer." }
            } @else if view.my_answers.is_empty() {
                p { "You have not answered in this round yet. It takes about ten minutes: "
                    (view.instrument.factors().map(|(_, f)| f.statements.len()).sum::<usize>())
                    " statements, each rated from 1 to 5. Nobody else sees your answers." }
                p { a.button href={ "/collaborations/" (c.id) "/readiness/answers" } { "Answer the readiness check" } }
            } @else {
                p { "You have answered " (view.my_answers.len()) " of "
                    (view.instrument.factors().map(|(_, f)| f.statements.len()).sum::<usize>())
                    " statements in this round. You can change your answers until a new round starts." }
                p { a.button.secondary href={ "/collaborations/" (c.id) "/readiness/answers" } { "Change my answers" } }
            }
            (results_section(view, chart))
            (own_section(view))
            @if view.can_open_round {
                h2 { "Take the check again" }
                p { "Start a new round when things have moved on. Everyone answers again, and the results are shown beside this round's." }
                form method="post" action={ "/collaborations/" (c.id) "/readiness/rounds" } {
                    (csrf_field(&ctx.csrf))
                    button.button.secondary type="submit" { "Start a new round" }
                }
            }
            h2 { "Guides and tools" }
            (resource_list(Stage::Identify))
        },
    )
}

fn answer_page(
    ctx: &PageContext,
    view: &ReadinessView,
    chosen: &BTreeMap<i64, String>,
    errors: &FieldErrors,
) -> Markup {
    let c = &view.collaboration;
    page(
        ctx,
        &format!("Your readiness answers: {}", c.title),
        (!errors.is_empty()).then_some(errors),
        html! {
            (back_link(&format!("/collaborations/{}/readiness", c.id), "Back to the readiness results"))
            span.caption { (c.title) }
            h1 { "Your answers to the readiness check" }
            (form(ctx, view, chosen, errors))
        },
    )
}

pub async fn show(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
    Q(n): Q<ShowQuery>,
) -> Result<Response, AppError> {
    let view = actions::readiness::readiness(&state, &viewer.actor(), id).await?;
    let chart = actions::readiness::chart(&state, &view);
    let note = if !n.saved.is_empty() {
        Some("Your answers have been saved.")
    } else if !n.round.is_empty() {
        Some("A new round has started. Everyone can now answer again.")
    } else {
        None
    };
    Ok(render(StatusCode::OK, show_page(&ctx, &view, &chart, note)))
}

/// The questionnaire on a page of its own, with the person's saved answers
/// chosen.
pub async fn answers(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
) -> Result<Response, AppError> {
    let view = actions::readiness::readiness(&state, &viewer.actor(), id).await?;
    let chosen = view
        .my_answers
        .iter()
        .map(|(k, v)| (*k, v.map(|n| n.to_string()).unwrap_or_else(|| "dk".into())))
        .collect();
    Ok(render(
        StatusCode::OK,
        answer_page(&ctx, &view, &chosen, &FieldErrors::new()),
    ))
}

/// Reads the form's `s<statement id>` fields.
fn raw_answers(form: &[(String, String)]) -> Vec<(String, RawAnswer)> {
    form.iter()
        .filter_map(|(k, v)| {
            let key = k.strip_prefix('s')?;
            let value = match v.trim() {
                "dk" => RawAnswer::DontKnow,
                other => match other.parse::<f64>() {
                    Ok(n) if n.is_finite() => RawAnswer::Number(n),
                    _ => RawAnswer::Other(other.to_string()),
                },
            };
            Some((key.to_string(), value))
        })
        .collect()
}

pub async fn answer(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
    PageForm(form): PageForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let actor = viewer.actor();
    let raw = raw_answers(&form);
    match actions::readiness::save_answers(&state, &actor, id, &raw, "s").await {
        Ok(_) => Ok(
            Redirect::to(&format!("/collaborations/{id}/readiness?saved=1#results"))
                .into_response(),
        ),
        Err(AppError::Invalid(errors)) => {
            let view = actions::readiness::readiness(&state, &actor, id).await?;
            let chosen: BTreeMap<i64, String> = form
                .iter()
                .filter_map(|(k, v)| Some((k.strip_prefix('s')?.parse().ok()?, v.clone())))
                .collect();
            Ok(render(
                form_status(&errors),
                answer_page(&ctx, &view, &chosen, &errors),
            ))
        }
        Err(e) => Err(e),
    }
}

pub async fn open_round(
    State(state): State<AppState>,
    SignedIn(viewer, _ctx): SignedIn,
    P(id): P<i64>,
) -> Result<Response, AppError> {
    actions::readiness::open_round(&state, &viewer.actor(), id).await?;
    Ok(Redirect::to(&format!("/collaborations/{id}/readiness?round=1#answers")).into_response())
}

/// The chart on its own, as an SVG image.
pub async fn chart_svg(
    State(state): State<AppState>,
    SignedIn(viewer, _ctx): SignedIn,
    P(id): P<i64>,
) -> Result<Response, AppError> {
    let view = actions::readiness::readiness(&state, &viewer.actor(), id).await?;
    Ok(crate::svg_response(
        actions::readiness::chart(&state, &view).as_str().to_owned(),
    ))
}
