//! Governance bodies: the list with each body's members, chair, decision
//! rule, quorum and rhythm; forms to add and change one (a change based on
//! an old version comes back with the other person's change shown and the
//! input kept); and a question before removing one.

use super::layout::{
    Input, back_link, csrf_field, form_status, notice, page, radios, render, select, table_scroll,
    tag, textarea,
};
use crate::AppState;
use crate::actions;
use crate::actions::governance::{BodyUpdate, GovernanceView, stale_message};
use crate::auth::{PageContext, SignedIn, Viewer};
use crate::error::AppError;
use crate::extract::{P, PageForm, Q};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use commonground_domain::FieldErrors;
use commonground_domain::governance::{BodyInput, DecisionRule, MeetingFrequency};
use commonground_store::governance::GovernanceBody;
use maud::{Markup, html};
use serde::Deserialize;

/// A submitted body. Repeated `members` fields are the people ticked.
#[derive(Default, Clone)]
pub struct BodyForm {
    name: String,
    purpose: String,
    decision_rule: String,
    quorum: String,
    meets: String,
    chair: String,
    version: String,
    members: Vec<String>,
}

impl BodyForm {
    pub fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        let mut f = BodyForm::default();
        for (k, v) in pairs {
            match k.as_str() {
                "name" => f.name = v,
                "purpose" => f.purpose = v,
                "decision_rule" => f.decision_rule = v,
                "quorum" => f.quorum = v,
                "meets" => f.meets = v,
                "chair" => f.chair = v,
                "version" => f.version = v,
                "members" => f.members.push(v),
                _ => {}
            }
        }
        f
    }

    fn input(&self) -> BodyInput<'_> {
        BodyInput {
            name: &self.name,
            purpose: &self.purpose,
            decision_rule: &self.decision_rule,
            quorum: self.quorum.trim().parse().ok(),
            meets: &self.meets,
            // Anything unreadable is a person nobody is.
            members: self
                .members
                .iter()
                .map(|m| m.trim().parse().unwrap_or(0))
                .collect(),
            chair: {
                let c = self.chair.trim();
                (!c.is_empty()).then(|| c.parse().unwrap_or(0))
            },
        }
    }

    fn version(&self) -> Option<i64> {
        self.version.trim().parse().ok()
    }

    fn from_body(b: &GovernanceBody) -> Self {
        BodyForm {
            name: b.name.clone(),
            purpose: b.purpose.clone(),
            decision_rule: b.decision_rule.code().into(),
            quorum: b.quorum.to_string(),
            meets: b.meets.code().into(),
            chair: b
                .chair
                .as_ref()
                .map(|c| c.user_id.to_string())
                .unwrap_or_default(),
            version: b.version.to_string(),
            members: b.members.iter().map(|m| m.user_id.to_string()).collect(),
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DoneQuery {
    done: String,
}

/// Tick boxes for people of the organisations taking part, each named
/// with their organisations. The first box carries `name` as its id, so
/// the error summary's link lands on it.
pub(crate) fn people_checkboxes(
    name: &str,
    legend: &str,
    hint: &str,
    people: &[(i64, String, Vec<String>)],
    ticked: &[String],
    errors: &FieldErrors,
) -> Markup {
    let error = errors.get(name);
    html! {
        div.field.field-error[error.is_some()] {
            fieldset.fieldset aria-describedby={ (name) "-hint" @if error.is_some() { " " (name) "-error" } } {
                legend.legend { (legend) }
                p.hint id={ (name) "-hint" } { (hint) }
                @if let Some(e) = error { p.error-message id={ (name) "-error" } { span.visually-hidden { "Error: " } (e) } }
                @if people.is_empty() {
                    p.muted id=(name) { "Nobody to choose yet." }
                }
                div.radios {
                    @for (i, (id, person, orgs)) in people.iter().enumerate() {
                        @let box_id = if i == 0 { name.to_string() } else { format!("{name}-{id}") };
                        div.radio {
                            input.radio-input type="checkbox" id=(box_id) name=(name) value=(id)
                                checked[ticked.iter().any(|t| t.trim() == id.to_string())];
                            label.radio-label for=(box_id) { (person) " (" (orgs.join(", ")) ")" }
                        }
                    }
                }
            }
        }
    }
}

fn body_fields(form: &BodyForm, v: &GovernanceView, errors: &FieldErrors) -> Markup {
    let people = v.choosable();
    let rules: Vec<(&str, &str, Option<&str>)> = DecisionRule::ALL
        .iter()
        .map(|r| (r.code(), r.label(), Some(r.explanation())))
        .collect();
    let meets: Vec<(String, String)> = std::iter::once((String::new(), "Choose".to_string()))
        .chain(
            MeetingFrequency::ALL
                .iter()
                .map(|f| (f.code().to_string(), f.label().to_string())),
        )
        .collect();
    let chairs: Vec<(String, String)> =
        std::iter::once((String::new(), "No chair yet".to_string()))
            .chain(
                people
                    .iter()
                    .map(|(id, n, orgs)| (id.to_string(), format!("{n} ({})", orgs.join(", ")))),
            )
            .collect();
    html! {
        (Input::text("name", "Name", &form.name)
            .hint("For example: steering group, finance working group.")
            .render(errors))
        (textarea("purpose", "Purpose (optional)", Some("What the group is for and what it decides."), &form.purpose, 3, errors))
        (people_checkboxes(
            "members",
            "Members",
            "Tick the people who sit on it. Every partner organisation should have someone on the main group.",
            &people,
            &form.members,
            errors,
        ))
        (select("chair", "Chair", Some("One of the members. They run the meetings."), &chairs, &form.chair, errors))
        (radios("decision_rule", "How does it make decisions?", None, &rules, &form.decision_rule, errors))
        (Input::text("quorum", "Quorum", &form.quorum)
            .hint("How many members must be there for a decision to count. No more than the number of members.")
            .width("width-10")
            .render(errors))
        (select("meets", "How often does it meet?", None, &meets, &form.meets, errors))
    }
}

fn body_summary(b: &GovernanceBody) -> Markup {
    let caption = format!("body-{}-members", b.id);
    html! {
        dl.summary-list {
            @if !b.purpose.is_empty() {
                div { dt { "Purpose" } dd { (b.purpose) } }
            }
            div { dt { "Decisions" } dd { strong { (b.decision_rule.label()) } ". " (b.decision_rule.explanation()) } }
            div { dt { "Quorum" } dd { (b.quorum) " of " (b.members.len()) " members" } }
            div { dt { "Meets" } dd { (b.meets.label()) } }
            div { dt { "Chair" } dd {
                @if let Some(c) = &b.chair { (c.name) " (" (c.organisation_name) ")" } @else { "No chair yet" }
            } }
        }
        (table_scroll(&caption, html! {
            table.table {
                caption id=(caption) { "Members of " (b.name) }
                thead { tr { th scope="col" { "Name" } th scope="col" { "Organisation" } } }
                tbody {
                    @for m in &b.members {
                        tr { td { (m.name) } td { (m.organisation_name) } }
                    }
                }
            }
        }))
    }
}

pub async fn index(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
    Q(q): Q<DoneQuery>,
) -> Result<Response, AppError> {
    list_page(
        &state,
        &viewer,
        &ctx,
        id,
        &BodyForm {
            decision_rule: String::new(),
            ..BodyForm::default()
        },
        &FieldErrors::new(),
        &q.done,
    )
    .await
}

async fn list_page(
    state: &AppState,
    viewer: &Viewer,
    ctx: &PageContext,
    id: i64,
    form: &BodyForm,
    errors: &FieldErrors,
    done: &str,
) -> Result<Response, AppError> {
    let v = actions::governance::governance(state, &viewer.actor(), id).await?;
    let c = &v.collaboration;
    let message = match done {
        "added" => Some("The group has been set up."),
        "changed" => Some("The change has been saved."),
        "removed" => Some("The group has been removed."),
        _ => None,
    };
    Ok(render(
        form_status(errors),
        page(
            ctx,
            &format!("Governance: {}", c.title),
            Some(errors),
            html! {
                @if let Some(m) = message { (notice(m)) }
                (back_link(&format!("/collaborations/{id}"), "Back to the collaboration"))
                span.caption { (c.title) }
                h1 { "Governance" }
                p.lead { "The groups that steer the collaboration and make its decisions: who sits on them, who chairs, how they decide and how often they meet." }
                p {
                    @if v.governance_set {
                        (tag("Governance is set", "tag-done"))
                    } @else {
                        (tag("Not set yet", "tag-attention"))
                        " Governance is set when at least one group has a chair, a decision rule, a quorum and members from every lead and partner organisation."
                    }
                }
                @if v.bodies.is_empty() {
                    p.muted { "No groups yet." }
                }
                @for b in &v.bodies {
                    section aria-labelledby={ "body-" (b.id) } {
                        h2 id={ "body-" (b.id) } { (b.name) }
                        (body_summary(b))
                        @if v.can_contribute {
                            div.button-group {
                                a.button.secondary.small href={ "/collaborations/" (id) "/governance/" (b.id) "/edit" } { "Change" span.visually-hidden { " " (b.name) } }
                                a.button.warning.small href={ "/collaborations/" (id) "/governance/" (b.id) "/remove" } { "Remove" span.visually-hidden { " " (b.name) } }
                            }
                        }
                    }
                }
                @if v.can_contribute {
                    h2 #add { "Set up a group" }
                    form method="post" action={ "/collaborations/" (id) "/governance" } novalidate {
                        (csrf_field(&ctx.csrf))
                        (body_fields(form, &v, errors))
                        button.button type="submit" { "Set up the group" }
                    }
                } @else {
                    p { "Your organisation observes this collaboration, so you can read these but not change them." }
                }
            },
        ),
    ))
}

pub async fn create(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
    PageForm(pairs): PageForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let form = BodyForm::from_pairs(pairs);
    match actions::governance::add_body(&state, &viewer.actor(), id, &form.input()).await {
        Ok(_) => Ok(
            Redirect::to(&format!("/collaborations/{id}/governance?done=added")).into_response(),
        ),
        Err(AppError::Invalid(errors)) => {
            list_page(&state, &viewer, &ctx, id, &form, &errors, "").await
        }
        Err(e) => Err(e),
    }
}

fn edit_page(
    status: StatusCode,
    ctx: &PageContext,
    v: &GovernanceView,
    body_id: i64,
    form: &BodyForm,
    errors: &FieldErrors,
    current: Option<&GovernanceBody>,
) -> Response {
    let id = v.collaboration.id;
    render(
        status,
        page(
            ctx,
            "Change a group",
            Some(errors),
            html! {
                (back_link(&format!("/collaborations/{id}/governance"), "Back to governance"))
                span.caption { (v.collaboration.title) }
                h1 { "Change a group" }
                @if let Some(now) = current {
                    div.error-summary role="alert" aria-labelledby="stale-title" tabindex="-1" {
                        h2 #stale-title { "Someone else changed this group" }
                        p { (stale_message(now)) }
                        p { "This is the group as it is now. Your changes are still in the form below: save again to replace theirs with yours." }
                        h3 { (now.name) }
                        (body_summary(now))
                    }
                }
                form method="post" action={ "/collaborations/" (id) "/governance/" (body_id) "/edit" } novalidate {
                    (csrf_field(&ctx.csrf))
                    input type="hidden" name="version" value=(form.version);
                    (body_fields(form, v, errors))
                    button.button type="submit" { "Save" }
                }
            },
        ),
    )
}

pub async fn edit_form(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P((id, body_id)): P<(i64, i64)>,
) -> Result<Response, AppError> {
    let (v, body) =
        actions::governance::body_for_editing(&state, &viewer.actor(), id, body_id).await?;
    Ok(edit_page(
        StatusCode::OK,
        &ctx,
        &v,
        body_id,
        &BodyForm::from_body(&body),
        &FieldErrors::new(),
        None,
    ))
}

pub async fn update(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P((id, body_id)): P<(i64, i64)>,
    PageForm(pairs): PageForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let actor = viewer.actor();
    let form = BodyForm::from_pairs(pairs);
    match actions::governance::update_body(
        &state,
        &actor,
        id,
        body_id,
        form.version(),
        &form.input(),
    )
    .await
    {
        Ok(BodyUpdate::Saved(_)) => Ok(Redirect::to(&format!(
            "/collaborations/{id}/governance?done=changed"
        ))
        .into_response()),
        Ok(BodyUpdate::Stale(current)) => {
            let (v, _) = actions::governance::body_for_editing(&state, &actor, id, body_id).await?;
            // Keep what they typed; a save from here replaces the newer version.
            let form = BodyForm {
                version: current.version.to_string(),
                ..form
            };
            Ok(edit_page(
                StatusCode::CONFLICT,
                &ctx,
                &v,
                body_id,
                &form,
                &FieldErrors::new(),
                Some(&current),
            ))
        }
        Err(AppError::Invalid(errors)) => {
            let (v, _) = actions::governance::body_for_editing(&state, &actor, id, body_id).await?;
            Ok(edit_page(
                StatusCode::UNPROCESSABLE_ENTITY,
                &ctx,
                &v,
                body_id,
                &form,
                &errors,
                None,
            ))
        }
        Err(e) => Err(e),
    }
}

/// Asks before removing a body.
pub async fn remove_confirm(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P((id, body_id)): P<(i64, i64)>,
) -> Result<Response, AppError> {
    let (v, body) =
        actions::governance::body_for_editing(&state, &viewer.actor(), id, body_id).await?;
    Ok(render(
        StatusCode::OK,
        page(
            &ctx,
            &format!("Remove {}?", body.name),
            None,
            html! {
                (back_link(&format!("/collaborations/{id}/governance"), "Back to governance"))
                span.caption { (v.collaboration.title) }
                h1 { "Remove \u{201c}" (body.name) "\u{201d}?" }
                p { "Its members, chair and decision rule will be gone." }
                form method="post" action={ "/collaborations/" (id) "/governance/" (body_id) "/remove" } {
                    (csrf_field(&ctx.csrf))
                    button.button.warning type="submit" { "Remove " (body.name) }
                }
                p { a href={ "/collaborations/" (id) "/governance" } { "No, keep it" } }
            },
        ),
    ))
}

pub async fn remove(
    State(state): State<AppState>,
    SignedIn(viewer, _): SignedIn,
    P((id, body_id)): P<(i64, i64)>,
) -> Result<Response, AppError> {
    actions::governance::delete_body(&state, &viewer.actor(), id, body_id).await?;
    Ok(Redirect::to(&format!("/collaborations/{id}/governance?done=removed")).into_response())
}
