//! The collaboration model page: the model chosen, the guided questions
//! and their suggestion, the form to choose, and the guide to every model
//! from an informal network to a merger.

use super::layout::{back_link, csrf_field, notice, page, radios, render, textarea, when};
use crate::AppState;
use crate::actions;
use crate::actions::model::ModelView;
use crate::auth::{PageContext, SignedIn};
use crate::error::AppError;
use crate::extract::{P, PageForm};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use commonground_domain::FieldErrors;
use commonground_domain::model::{Degree, Model, QUESTIONS, Suggestion};
use commonground_store::model::ChosenModel;
use maud::{Markup, html};
use serde::Deserialize;
use std::collections::HashMap;

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct ChooseForm {
    model: String,
    reason: String,
    based_on: String,
}

/// The guided questions, as radio buttons in a form that asks the model
/// page for its suggestion. `answers` keeps what was chosen.
pub fn questions_form(
    collaboration_id: i64,
    answers: &HashMap<String, String>,
    errors: &FieldErrors,
) -> Markup {
    html! {
        form method="get" action={ "/collaborations/" (collaboration_id) "/model" } novalidate {
            input type="hidden" name="suggest" value="1";
            @for q in QUESTIONS {
                @let options: Vec<(&str, &str, Option<&str>)> = q.options.iter().map(|(c, l)| (*c, *l, None)).collect();
                @let selected = answers.get(q.key).map(String::as_str).unwrap_or("");
                (radios(q.key, q.text, None, &options, selected, errors))
            }
            button.button.secondary type="submit" { "Suggest a model" }
        }
    }
}

/// The model chosen, in a summary list.
pub fn chosen_summary(c: &ChosenModel) -> Markup {
    html! {
        dl.summary-list {
            div { dt { "Model" } dd { strong { (c.model.label()) } } }
            div { dt { "Why" } dd { (c.reason) } }
            div { dt { "Chosen by" } dd { (c.chosen_by_name) " for " (c.organisation_name) } }
            div { dt { "When" } dd { (when(c.chosen_at)) } }
        }
    }
}

fn guide() -> Markup {
    html! {
        h2 #guide { "The models, from the loosest to the closest" }
        p { "Organisations can work together more or less closely. The usual scale has four steps:" }
        dl.summary-list {
            @for d in Degree::ALL {
                div { dt { (d.label()) } dd { (d.meaning()) } }
            }
        }
        p { "In practice in the UK, that comes down to seven ways of working together. The further down the list, the more you share, the more it costs to set up, and the harder it is to undo." }
        @for m in Model::ALL {
            @let p = m.profile();
            section.model-profile {
                h3 id={ "about-" (m.code()) } { (m.label()) }
                p.muted { "On the scale: " (m.degree().label().to_lowercase()) "." }
                p { (p.what_it_is) }
                dl.summary-list {
                    div { dt { "What it suits" } dd { (p.suits) } }
                    div { dt { "What it costs" } dd { (p.costs) } }
                    div { dt { "Governance" } dd { (p.governance) } }
                    div { dt { "Trustees' duties" } dd { (p.trustees) } }
                    div { dt { "Staff" } dd { (p.staff) } }
                    div { dt { "Money" } dd { (p.money) } }
                    div { dt { "Independence" } dd { (p.independence) } }
                    div { dt { "Charity Commission" } dd { (p.charity_commission) } }
                    div { dt { "Due diligence" } dd { (p.due_diligence) } }
                }
            }
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn model_page(
    ctx: &PageContext,
    v: &ModelView,
    answers: &HashMap<String, String>,
    suggestion: Option<&Suggestion>,
    question_errors: &FieldErrors,
    form: &ChooseForm,
    errors: &FieldErrors,
    conflict: Option<&str>,
    done: bool,
    status: StatusCode,
) -> Response {
    let c = &v.collaboration;
    let id = c.id;
    let all_errors = if errors.is_empty() {
        question_errors.clone()
    } else {
        errors.clone()
    };
    let selected = if !form.model.is_empty() {
        form.model.as_str()
    } else if let Some(s) = suggestion {
        s.model.code()
    } else {
        v.current.as_ref().map_or("", |m| m.model.code())
    };
    // A refused stale choice is re-sent against the choice now shown.
    let based_on = v.current.as_ref().map_or(0, |m| m.version);
    let models: Vec<(&str, &str, Option<&str>)> = Model::ALL
        .iter()
        .map(|m| (m.code(), m.label(), Some(m.hint())))
        .collect();
    render(
        status,
        page(
            ctx,
            &format!("Collaboration model: {}", c.title),
            Some(&all_errors),
            html! {
                @if done { (notice("The model has been recorded.")) }
                @if let Some(m) = conflict {
                    div.error-summary role="alert" aria-labelledby="conflict-title" tabindex="-1" {
                        h2 #conflict-title { "Someone else chose meanwhile" }
                        p { (m) }
                    }
                }
                (back_link(&format!("/collaborations/{id}/plan"), "Back to the Plan stage"))
                span.caption { (c.title) }
                h1 { "Collaboration model" }
                p.lead { "How closely your organisations tie themselves together, from an informal network to a merger." }
                h2 #current { "The model chosen" }
                @match &v.current {
                    Some(m) => {
                        (chosen_summary(m))
                        @if m.model.needs_due_diligence() {
                            p { a href={ "/collaborations/" (id) "/due-diligence" } { "The due diligence checklist for this model" } }
                        }
                    }
                    None => p { "No model has been chosen yet." },
                }
                @if let Some(s) = suggestion {
                    h2 #suggestion { "Suggested: " (s.model.label()) }
                    p { "From your answers, " (s.model.label().to_lowercase()) " looks like the best fit, because:" }
                    ul { @for r in &s.reasons { li { (r) } } }
                    p { a href={ "#about-" (s.model.code()) } { "Read more about " (s.model.label().to_lowercase()) } }
                }
                @if v.can_contribute {
                    h2 #choose { @if v.current.is_some() { "Change the model" } @else { "Choose a model" } }
                    p { "Choose the model your organisations have agreed on, and say why. Everyone taking part will see it, and the activity trail keeps every choice." }
                    form method="post" action={ "/collaborations/" (id) "/model" } novalidate {
                        (csrf_field(&ctx.csrf))
                        input type="hidden" name="based_on" value=(based_on);
                        (radios("model", "Model", None, &models, selected, errors))
                        (textarea("reason", "Why this model", Some("In a sentence or two, for example what you want to do together and why this fits."), &form.reason, 3, errors))
                        button.button type="submit" { "Record this choice" }
                    }
                } @else {
                    p { "Your organisation observes this collaboration, so you can read the model chosen but not change it." }
                }
                h2 #questions { "Not sure? Answer six questions" }
                p { "Your answers suggest a model, with the reasons. Nothing is saved until you choose." }
                (questions_form(id, answers, question_errors))
                (guide())
            },
        ),
    )
}

pub async fn show(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let actor = viewer.actor();
    let v = actions::model::model(&state, &actor, id).await?;
    let done = query.get("done").is_some_and(|d| d == "chosen");
    let (suggestion, question_errors) = if query.contains_key("suggest") {
        match actions::model::suggest_model(&state, &actor, id, |k| {
            query.get(k).map(String::as_str)
        })
        .await
        {
            Ok(s) => (Some(s), FieldErrors::new()),
            Err(AppError::Invalid(e)) => (None, e),
            Err(e) => return Err(e),
        }
    } else {
        (None, FieldErrors::new())
    };
    let status = if question_errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(model_page(
        &ctx,
        &v,
        &query,
        suggestion.as_ref(),
        &question_errors,
        &ChooseForm::default(),
        &FieldErrors::new(),
        None,
        done,
        status,
    ))
}

pub async fn choose(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
    PageForm(form): PageForm<ChooseForm>,
) -> Result<Response, AppError> {
    let actor = viewer.actor();
    match actions::model::choose_model(
        &state,
        &actor,
        id,
        &form.model,
        &form.reason,
        &form.based_on,
    )
    .await
    {
        Ok(_) => {
            Ok(Redirect::to(&format!("/collaborations/{id}/model?done=chosen")).into_response())
        }
        Err(AppError::Invalid(errors)) => {
            let v = actions::model::model(&state, &actor, id).await?;
            Ok(model_page(
                &ctx,
                &v,
                &HashMap::new(),
                None,
                &FieldErrors::new(),
                &form,
                &errors,
                None,
                false,
                StatusCode::UNPROCESSABLE_ENTITY,
            ))
        }
        Err(AppError::Conflict(message)) => {
            let v = actions::model::model(&state, &actor, id).await?;
            Ok(model_page(
                &ctx,
                &v,
                &HashMap::new(),
                None,
                &FieldErrors::new(),
                &form,
                &FieldErrors::new(),
                Some(&message),
                false,
                StatusCode::CONFLICT,
            ))
        }
        Err(e) => Err(e),
    }
}
