//! The Plan stage page: its checklist, how complete it is, the model
//! chosen (with due diligence progress for the deeper models), and the
//! questions that suggest a model.

use super::identify::checklist;
use super::layout::{back_link, ok, page};
use super::model::{chosen_summary, questions_form};
use crate::AppState;
use crate::actions;
use crate::auth::SignedIn;
use crate::error::AppError;
use crate::extract::P;
use axum::extract::State;
use axum::response::Response;
use commonground_domain::FieldErrors;
use commonground_domain::stage::Stage;
use maud::html;
use std::collections::HashMap;

pub async fn show(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
) -> Result<Response, AppError> {
    let o = actions::plan::plan_overview(&state, &viewer.actor(), id).await?;
    let c = &o.collaboration;
    Ok(ok(page(
        &ctx,
        &format!("Plan: {}", c.title),
        None,
        html! {
            (back_link(&format!("/collaborations/{}", c.id), &format!("Back to {}", c.title)))
            span.caption { (c.title) }
            h1 { "Stage 2: Plan" }
            p.lead { (Stage::Plan.summary()) }
            @if c.stage < Stage::Plan {
                p { "The collaboration is still in the " (c.stage.label()) " stage. You can start planning now." }
            } @else if c.stage > Stage::Plan {
                p { "The collaboration is now in the " (c.stage.label()) " stage. You can still come back to this work." }
            }
            h2 { "What this stage produces" }
            (checklist("plan-progress", &o.checklist, o.percent))
            @if !o.can_contribute {
                p { "Your organisation observes this collaboration, so you can read this work but not add to it." }
            }
            h2 #model { "Collaboration model" }
            @match &o.model {
                Some(m) => {
                    (chosen_summary(m))
                    @if let Some(p) = &o.facts.due_diligence {
                        p { (p.sentence()) " " a href={ "/collaborations/" (c.id) "/due-diligence" } { "Open the due diligence checklist" } }
                    }
                    p { a href={ "/collaborations/" (c.id) "/model" } { "See the models, or change the choice" } }
                }
                None => {
                    p { "No model has been chosen yet. "
                        a href={ "/collaborations/" (c.id) "/model" } { "Read about the models and choose one" } "." }
                }
            }
            h2 #relationships { "Relationships" }
            ul {
                li { a href={ "/collaborations/" (c.id) "/contacts" } { "Who is who" } ": each partner's representatives and contacts" }
                li { a href={ "/collaborations/" (c.id) "/meetings" } { "Meetings" } ": agendas, who came, minutes, decisions and actions" }
            }
            h2 #questions { "Which model suits you?" }
            p { "Answer six questions for a suggestion, with the reasons. Nothing is saved until you choose." }
            (questions_form(c.id, &HashMap::new(), &FieldErrors::new()))
        },
    )))
}
