//! Benefits and risks: each kind as a list sorted by score with its band,
//! a 5 by 5 matrix of how many sit where, and a form to add one.

use super::layout::{
    Input, back_link, csrf_field, form_status, notice, page, radios, render, table_scroll, textarea,
};
use crate::AppState;
use crate::actions;
use crate::actions::benefits_risks::BenefitsRisksView;
use crate::auth::{PageContext, SignedIn, Viewer};
use crate::error::AppError;
use crate::extract::{P, PageForm, Q};
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use commonground_domain::FieldErrors;
use commonground_domain::benefits_risks::{
    Band, BenefitRiskInput, Kind, catalogue_of, impact_label, likelihood_label, matrix, score,
};
use commonground_store::benefits_risks::BenefitRisk;
use commonground_store::collaborations::Participant;
use maud::{Markup, html};
use serde::Deserialize;

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct ItemForm {
    kind: String,
    catalogue_code: String,
    title: String,
    likelihood: String,
    impact: String,
    owner_organisation_id: String,
    note: String,
}

impl ItemForm {
    fn input(&self) -> BenefitRiskInput<'_> {
        BenefitRiskInput {
            kind: &self.kind,
            catalogue_code: &self.catalogue_code,
            title: &self.title,
            likelihood: self.likelihood.trim().parse().ok(),
            impact: self.impact.trim().parse().ok(),
            note: &self.note,
        }
    }

    /// Empty means no owner; anything unreadable is an owner nobody is.
    fn owner(&self) -> Option<i64> {
        let raw = self.owner_organisation_id.trim();
        (!raw.is_empty()).then(|| raw.parse().unwrap_or(0))
    }

    fn from_item(i: &BenefitRisk) -> Self {
        ItemForm {
            kind: i.kind.code().into(),
            catalogue_code: i.catalogue_code.clone().unwrap_or_default(),
            title: i.title.clone(),
            likelihood: i.likelihood.to_string(),
            impact: i.impact.to_string(),
            owner_organisation_id: i
                .owner_organisation_id
                .map(|o| o.to_string())
                .unwrap_or_default(),
            note: i.note.clone(),
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DoneQuery {
    done: String,
}

fn heading(kind: Kind) -> &'static str {
    match kind {
        Kind::Risk => "Risks",
        Kind::Benefit => "Benefits",
    }
}

fn item_fields(form: &ItemForm, participants: &[Participant], errors: &FieldErrors) -> Markup {
    let kinds = [
        (
            "benefit",
            "Benefit",
            Some("Something good that working together could bring."),
        ),
        (
            "risk",
            "Risk",
            Some("Something that could go wrong, or a cost of working together."),
        ),
    ];
    let likelihoods: Vec<(String, String)> = (1..=5u8)
        .map(|n| {
            (
                n.to_string(),
                format!("{n} \u{2013} {}", likelihood_label(n)),
            )
        })
        .collect();
    let impacts: Vec<(String, String)> = (1..=5u8)
        .map(|n| (n.to_string(), format!("{n} \u{2013} {}", impact_label(n))))
        .collect();
    let l_refs: Vec<(&str, &str, Option<&str>)> = likelihoods
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str(), None))
        .collect();
    let i_refs: Vec<(&str, &str, Option<&str>)> = impacts
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str(), None))
        .collect();
    let code_error = errors.get("catalogue_code");
    let owner_error = errors.get("owner_organisation_id");
    html! {
        (radios("kind", "Is it a benefit or a risk?", None, &kinds, &form.kind, errors))
        div.field.field-error[code_error.is_some()] {
            label.label for="catalogue_code" { "Pick from the common list (optional)" }
            p.hint id="catalogue_code-hint" { "Benefits and risks that collaborations often meet. Or leave this and write your own below." }
            @if let Some(e) = code_error { p.error-message id="catalogue_code-error" { span.visually-hidden { "Error: " } (e) } }
            select.select id="catalogue_code" name="catalogue_code"
                aria-describedby=(if code_error.is_some() { "catalogue_code-hint catalogue_code-error" } else { "catalogue_code-hint" })
                aria-invalid=[code_error.map(|_| "true")] {
                option value="" selected[form.catalogue_code.is_empty()] { "None: I will write my own" }
                @for kind in [Kind::Benefit, Kind::Risk] {
                    optgroup label=(heading(kind)) {
                        @for e in catalogue_of(kind) {
                            option value=(e.code) selected[form.catalogue_code == e.code] { (e.title) }
                        }
                    }
                }
            }
        }
        (Input::text("title", "Title", &form.title)
            .hint("Your own words. If you picked from the list, leave this empty to use its name.")
            .render(errors))
        (radios("likelihood", "How likely is it?", None, &l_refs, &form.likelihood, errors))
        (radios("impact", "How big an effect would it have?", None, &i_refs, &form.impact, errors))
        div.field.field-error[owner_error.is_some()] {
            label.label for="owner_organisation_id" { "Owner (optional)" }
            p.hint id="owner_organisation_id-hint" { "The organisation that keeps an eye on it." }
            @if let Some(e) = owner_error { p.error-message id="owner_organisation_id-error" { span.visually-hidden { "Error: " } (e) } }
            select.select id="owner_organisation_id" name="owner_organisation_id"
                aria-describedby=(if owner_error.is_some() { "owner_organisation_id-hint owner_organisation_id-error" } else { "owner_organisation_id-hint" })
                aria-invalid=[owner_error.map(|_| "true")] {
                option value="" selected[form.owner_organisation_id.is_empty()] { "No owner yet" }
                @for p in participants {
                    option value=(p.organisation_id) selected[form.owner_organisation_id == p.organisation_id.to_string()] { (p.name) }
                }
            }
        }
        (textarea("note", "Note (optional)", Some("What makes it likely, or what you could do about it."), &form.note, 3, errors))
    }
}

fn band_of(i: &BenefitRisk) -> (u8, Band) {
    let s = score(i.likelihood, i.impact);
    (s, Band::of_score(s))
}

/// The sorted list of one kind, as a table.
fn list_table(ctx: &PageContext, v: &BenefitsRisksView, kind: Kind) -> Markup {
    let items: Vec<&BenefitRisk> = v.items.iter().filter(|i| i.kind == kind).collect();
    let id = v.collaboration.id;
    let caption = format!("{}-list-caption", kind.code());
    html! {
        @if items.is_empty() {
            p.muted { "None noted yet." }
        } @else {
            (table_scroll(&caption, html! {
                table.table {
                    caption id=(caption) { (heading(kind)) ", highest score first" }
                    thead { tr {
                        th scope="col" { "Title" }
                        th scope="col" { "Likelihood" }
                        th scope="col" { "Impact" }
                        th scope="col" { "Score" }
                        th scope="col" { "Band" }
                        th scope="col" { "Owner" }
                        th scope="col" { "Note" }
                        @if v.can_contribute { th scope="col" { span.visually-hidden { "Actions" } } }
                    } }
                    tbody {
                        @for i in items {
                            @let (s, band) = band_of(i);
                            tr {
                                td { (i.title) }
                                td { (i.likelihood) " \u{2013} " (likelihood_label(i.likelihood)) }
                                td { (i.impact) " \u{2013} " (impact_label(i.impact)) }
                                td { (s) }
                                td { strong.(format!("band-{}", band.code())) { (band.label()) } }
                                td { (i.owner_name.as_deref().unwrap_or("No owner yet")) }
                                td { (i.note) }
                                @if v.can_contribute {
                                    td.actions {
                                        a.button.secondary.small href={ "/collaborations/" (id) "/benefits-risks/" (i.id) "/edit" } { "Change" span.visually-hidden { " \u{201c}" (i.title) "\u{201d}" } }
                                        form.inline method="post" action={ "/collaborations/" (id) "/benefits-risks/" (i.id) "/delete" } {
                                            (csrf_field(&ctx.csrf))
                                            button.button.warning.small type="submit" { "Delete" span.visually-hidden { " \u{201c}" (i.title) "\u{201d}" } }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }))
        }
    }
}

/// How many items of one kind sit at each likelihood and impact.
fn matrix_table(v: &BenefitsRisksView, kind: Kind) -> Markup {
    let cells = matrix(
        v.items
            .iter()
            .filter(|i| i.kind == kind)
            .map(|i| (i.likelihood, i.impact)),
    );
    let caption = format!("{}-matrix-caption", kind.code());
    let name = heading(kind).to_lowercase();
    html! {
        (table_scroll(&caption, html! {
            table.table.matrix {
                caption id=(caption) { "Number of " (name) " by impact (rows) and likelihood (columns)" }
                thead { tr {
                    td {}
                    @for l in 1..=5u8 { th scope="col" { "Likelihood " (l) br; span.muted { (likelihood_label(l)) } } }
                } }
                tbody {
                    @for imp in (1..=5u8).rev() {
                        tr {
                            th scope="row" { "Impact " (imp) br; span.muted { (impact_label(imp)) } }
                            @for l in 1..=5u8 {
                                td.(format!("band-{}", Band::of_score(score(l, imp)).code())) { (cells[imp as usize - 1][l as usize - 1]) }
                            }
                        }
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
        &ItemForm::default(),
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
    form: &ItemForm,
    errors: &FieldErrors,
    done: &str,
) -> Result<Response, AppError> {
    let v = actions::benefits_risks::benefits_risks(state, &viewer.actor(), id).await?;
    let c = &v.collaboration;
    let message = match done {
        "added" => Some("It has been added."),
        "changed" => Some("The change has been saved."),
        "deleted" => Some("It has been deleted."),
        _ => None,
    };
    Ok(render(
        form_status(errors),
        page(
            ctx,
            &format!("Benefits and risks: {}", c.title),
            Some(errors),
            html! {
                @if let Some(m) = message { (notice(m)) }
                (back_link(&format!("/collaborations/{id}/identify"), "Back to the Identify stage"))
                span.caption { (c.title) }
                h1 { "Benefits and risks" }
                p.lead { "What working together could bring, and what could go wrong. Rate each for how likely it is and how big an effect it would have, from 1 to 5." }
                p { "The score is likelihood times impact. Scores from 1 to 4 are low, 5 to 9 medium, 10 to 16 high and 20 to 25 very high." }
                @for kind in [Kind::Risk, Kind::Benefit] {
                    h2 { (heading(kind)) }
                    (list_table(ctx, &v, kind))
                    h3 { "Where the " (heading(kind).to_lowercase()) " sit" }
                    (matrix_table(&v, kind))
                }
                @if v.can_contribute {
                    h2 #add { "Add a benefit or risk" }
                    form method="post" action={ "/collaborations/" (id) "/benefits-risks" } novalidate {
                        (csrf_field(&ctx.csrf))
                        (item_fields(form, &v.participants, errors))
                        button.button type="submit" { "Add" }
                    }
                } @else {
                    p { "Your organisation observes this collaboration, so you can read these but not add to them." }
                }
            },
        ),
    ))
}

pub async fn create(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
    PageForm(form): PageForm<ItemForm>,
) -> Result<Response, AppError> {
    match actions::benefits_risks::add_benefit_risk(
        &state,
        &viewer.actor(),
        id,
        &form.input(),
        form.owner(),
    )
    .await
    {
        Ok(_) => Ok(
            Redirect::to(&format!("/collaborations/{id}/benefits-risks?done=added"))
                .into_response(),
        ),
        Err(AppError::Invalid(errors)) => {
            list_page(&state, &viewer, &ctx, id, &form, &errors, "").await
        }
        Err(e) => Err(e),
    }
}

fn edit_page(
    ctx: &PageContext,
    v: &BenefitsRisksView,
    item_id: i64,
    form: &ItemForm,
    errors: &FieldErrors,
) -> Response {
    let id = v.collaboration.id;
    render(
        form_status(errors),
        page(
            ctx,
            "Change a benefit or risk",
            Some(errors),
            html! {
                (back_link(&format!("/collaborations/{id}/benefits-risks"), "Back to benefits and risks"))
                span.caption { (v.collaboration.title) }
                h1 { "Change a benefit or risk" }
                form method="post" action={ "/collaborations/" (id) "/benefits-risks/" (item_id) "/edit" } novalidate {
                    (csrf_field(&ctx.csrf))
                    (item_fields(form, &v.participants, errors))
                    button.button type="submit" { "Save" }
                }
            },
        ),
    )
}

pub async fn edit_form(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P((id, item_id)): P<(i64, i64)>,
) -> Result<Response, AppError> {
    let (v, item) =
        actions::benefits_risks::benefit_risk_for_editing(&state, &viewer.actor(), id, item_id)
            .await?;
    Ok(edit_page(
        &ctx,
        &v,
        item_id,
        &ItemForm::from_item(&item),
        &FieldErrors::new(),
    ))
}

pub async fn update(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P((id, item_id)): P<(i64, i64)>,
    PageForm(form): PageForm<ItemForm>,
) -> Result<Response, AppError> {
    let actor = viewer.actor();
    match actions::benefits_risks::update_benefit_risk(
        &state,
        &actor,
        id,
        item_id,
        &form.input(),
        form.owner(),
    )
    .await
    {
        Ok(_) => Ok(
            Redirect::to(&format!("/collaborations/{id}/benefits-risks?done=changed"))
                .into_response(),
        ),
        Err(AppError::Invalid(errors)) => {
            let (v, _) =
                actions::benefits_risks::benefit_risk_for_editing(&state, &actor, id, item_id)
                    .await?;
            Ok(edit_page(&ctx, &v, item_id, &form, &errors))
        }
        Err(e) => Err(e),
    }
}

pub async fn delete(
    State(state): State<AppState>,
    SignedIn(viewer, _): SignedIn,
    P((id, item_id)): P<(i64, i64)>,
) -> Result<Response, AppError> {
    actions::benefits_risks::delete_benefit_risk(&state, &viewer.actor(), id, item_id).await?;
    Ok(Redirect::to(&format!("/collaborations/{id}/benefits-risks?done=deleted")).into_response())
}
