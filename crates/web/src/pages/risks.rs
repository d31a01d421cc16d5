//! The risk register's pages: the register with its filters, the heat map
//! and the same counts as a table, a risk with its history, adding a risk,
//! and adding suggested risks. Every action is a plain form.

use super::layout::{
    Input, back_link, csrf_field, fill_csrf, notice, page, pagination, paragraphs, render, select,
    table_scroll, tag, textarea, when,
};
use crate::AppState;
use crate::actions;
use crate::actions::risks::{
    Cells, Choices, FilterInput, RiskDetail, RiskList, RiskPatch, Suggestions, cell_bands,
    is_review_overdue, parse_filter,
};
use crate::auth::{PageContext, SignedIn};
use crate::cache::KeptPage;
use crate::error::AppError;
use crate::extract::{P, PageForm, Q};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use commonground_domain::FieldErrors;
use commonground_domain::benefits_risks::Band;
use commonground_domain::policy::CollabAction;
use commonground_domain::risks::{
    BANDS, CATEGORIES, RiskInput, RiskStatus, category_label, impact_words, likelihood_words,
};
use commonground_store::collaborations::Collaboration;
use commonground_store::risks::Risk;
use commonground_store::tasks::Page;
use maud::{Markup, html};
use serde::Deserialize;

fn status_tag(s: RiskStatus) -> Markup {
    let class = match s {
        RiskStatus::Open => "tag-attention",
        RiskStatus::BeingManaged => "tag-current",
        RiskStatus::Closed => "tag-done",
    };
    tag(s.label(), class)
}

fn band_tag(b: Band) -> Markup {
    let class = match b {
        Band::Low => "tag-done",
        Band::Medium => "tag-current",
        Band::High => "tag-borderline",
        Band::VeryHigh => "tag-attention",
    };
    tag(b.label(), class)
}

/// "Review overdue" in words, never by colour alone.
fn overdue_tag(r: &Risk, today: &str) -> Markup {
    html! { @if is_review_overdue(r, today) { " " (tag("Review overdue", "tag-attention")) } }
}

fn query_string(f: &FilterInput, page: Option<i64>) -> String {
    let mut parts: Vec<String> = Vec::new();
    for (k, v) in [
        ("status", &f.status),
        ("band", &f.band),
        ("owner_organisation_id", &f.owner_organisation_id),
        ("review_overdue", &f.review_overdue),
    ] {
        let v: String = v
            .trim()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if !v.is_empty() {
            parts.push(format!("{k}={v}"));
        }
    }
    if let Some(p) = page {
        parts.push(format!("page={p}"));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}

fn org_options(c: &Choices, none: &str) -> Vec<(String, String)> {
    std::iter::once((String::new(), none.to_string()))
        .chain(
            c.participants
                .iter()
                .map(|p| (p.organisation_id.to_string(), p.name.clone())),
        )
        .collect()
}

fn people_options(c: &Choices) -> Vec<(String, String)> {
    let mut v = vec![(String::new(), "Nobody yet".to_string())];
    for (org, uid, name) in &c.people {
        let org_name = c
            .participants
            .iter()
            .find(|p| p.organisation_id == *org)
            .map(|p| p.name.as_str())
            .unwrap_or("");
        v.push((uid.to_string(), format!("{name} ({org_name})")));
    }
    v
}

fn rating_options(words: fn(u8) -> &'static str) -> Vec<(String, String)> {
    std::iter::once((String::new(), "Choose from 1 to 5".to_string()))
        .chain((1..=5u8).map(|n| (n.to_string(), format!("{n}: {}", words(n)))))
        .collect()
}

/// The heat map's counts as a table: impact down the side, highest first,
/// likelihood across; each cell the number of risks and the band.
fn heat_table(cells: &Cells) -> Markup {
    let bands = cell_bands();
    html! {
        (table_scroll("heat-table-caption", html! {
            table.table #heat-table {
                caption #heat-table-caption { "Risks open or being managed, by likelihood and impact" }
                thead { tr {
                    td { }
                    @for l in 1..=5u8 { th scope="col" { "Likelihood " (l) ": " (likelihood_words(l)) } }
                } }
                tbody {
                    @for i in (1..=5u8).rev() {
                        tr {
                            th scope="row" { "Impact " (i) ": " (impact_words(i)) }
                            @for l in 1..=5u8 {
                                @let n = cells[i as usize - 1][l as usize - 1];
                                td { (n) " " @if n == 1 { "risk" } @else { "risks" } " (" (bands[i as usize - 1][l as usize - 1].to_lowercase()) ")" }
                            }
                        }
                    }
                }
            }
        }))
    }
}

fn risk_table(caption: &str, risks: &[Risk], today: &str) -> Markup {
    html! {
        (table_scroll("risk-table-caption", html! {
            table.table {
                caption #risk-table-caption { (caption) }
                thead { tr {
                    th scope="col" { "Risk" }
                    th scope="col" { "Kind" }
                    th scope="col" { "Likelihood" }
                    th scope="col" { "Impact" }
                    th scope="col" { "Score" }
                    th scope="col" { "Owner" }
                    th scope="col" { "Review" }
                    th scope="col" { "Status" }
                } }
                tbody {
                    @for r in risks {
                        tr {
                            td { a href={ "/risks/" (r.id) } { (r.title) } }
                            td { (category_label(&r.category)) }
                            td { (r.likelihood) ": " (likelihood_words(r.likelihood)) }
                            td { (r.impact) ": " (impact_words(r.impact)) }
                            td { (r.score()) " " (band_tag(r.band())) }
                            td {
                                @if r.owner_organisation_name.is_empty() { "Nobody yet" } @else {
                                    (r.owner_organisation_name)
                                    @if !r.owner_person_name.is_empty() { " (" (r.owner_person_name) ")" }
                                }
                            }
                            td { (r.review_on.as_deref().unwrap_or("No date")) (overdue_tag(r, today)) }
                            td { (status_tag(r.status)) }
                        }
                    }
                }
            }
        }))
    }
}

fn done_message(done: &str) -> Option<&'static str> {
    match done {
        "deleted" => Some("The risk has been deleted."),
        "none_added" => {
            Some("Those suggested risks were in the register already, so nothing was added.")
        }
        _ => None,
    }
}

fn list_title(v: &RiskList) -> String {
    format!("Risk register: {}", v.collaboration.title)
}

fn list_page(
    ctx: &PageContext,
    v: &RiskList,
    f: &FilterInput,
    errors: &FieldErrors,
    status: StatusCode,
    done: &str,
) -> Response {
    let main = html! {
        @if let Some(m) = done_message(done) { (notice(m)) }
        (list_main(v, f, errors))
    };
    render(status, page(ctx, &list_title(v), Some(errors), main))
}

/// Everything inside the register page's frame but the notice of what was
/// just done.
fn list_main(v: &RiskList, f: &FilterInput, errors: &FieldErrors) -> Markup {
    let c = &v.collaboration;
    let base = format!("/collaborations/{}/risks", c.id);
    let live: u32 = v.cells.iter().flatten().sum();
    let status_opts: Vec<(String, String)> = [
        ("", "Any status"),
        ("live", "Open or being managed"),
        ("open", "Open"),
        ("being_managed", "Being managed"),
        ("closed", "Closed"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    let band_opts: Vec<(String, String)> = std::iter::once((String::new(), "Any band".to_string()))
        .chain(
            BANDS
                .iter()
                .map(|b| (b.code().to_string(), b.label().to_string())),
        )
        .collect();
    html! {
        (back_link(&format!("/collaborations/{}/implement", c.id), "Back to the Implement stage"))
        span.caption { (c.title) }
        h1 { "Risk register" }
        p.lead { "The risks and key challenges of working together: how likely each is, how much harm it would do, who owns it and what is being done about it." }
        @if v.can_contribute {
            p {
                a.button href={ (base) "/new" } { "Add a risk" } " "
                a.button.secondary href={ (base) "/suggestions" } { "Add suggested risks" }
            }
        } @else {
            p { "Your organisation observes this collaboration, so you can read the register but not change it." }
        }
        p #overdue-count {
            (v.in_register) " " @if v.in_register == 1 { "risk" } @else { "risks" } " in the register. "
            @if v.overdue_reviews == 0 { "No review is overdue." } @else {
                strong { (v.overdue_reviews) " " @if v.overdue_reviews == 1 { "review is" } @else { "reviews are" } " overdue." }
                " " a href={ (base) "?review_overdue=true" } { "Show the risks to review" }
            }
        }
        details.filters open[!query_string(f, None).is_empty()] {
            summary { "Filter the risks" }
            form method="get" action=(base) novalidate {
                (select("status", "Status", None, &status_opts, &f.status, errors))
                (select("band", "Band", None, &band_opts, &f.band, errors))
                (select("owner_organisation_id", "Owner organisation", None, &org_options(&v.choices, "Any organisation"), &f.owner_organisation_id, errors))
                div.field {
                    div.checkbox {
                        input.checkbox-input #review_overdue type="checkbox" name="review_overdue" value="true" checked[f.review_overdue == "true" || f.review_overdue == "on"];
                        label.checkbox-label for="review_overdue" { "Only risks whose review is overdue" }
                    }
                }
                button.button.secondary type="submit" { "Show these risks" }
            }
        }
        p { (v.total) " " @if v.total == 1 { "risk matches" } @else { "risks match" } ", highest score first." }
        @if v.risks.is_empty() {
            p { "No risks here yet." @if v.can_contribute { " Start with the suggested risks." } }
        } @else {
            (risk_table("Risks, highest score first", &v.risks, &v.today))
        }
        (pagination(&base, |n| query_string(f, Some(n)), v.page, v.total))
        h2 #heat-map { "Heat map" }
        p { "Likelihood runs across and impact up. Each cell gives the number of risks open or being managed, and the band written out. The table after the picture gives the same counts." }
        div.table-scroll role="region" aria-label="Heat map" tabindex="0" {
            img src={ (base) "/heatmap.svg" } alt={ "Heat map of " (live) " risks open or being managed. The table that follows gives the same counts." };
        }
        (heat_table(&v.cells))
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    status: String,
    band: String,
    owner_organisation_id: String,
    review_overdue: String,
    page: String,
    done: String,
}

impl ListQuery {
    fn filter(&self) -> FilterInput {
        FilterInput {
            status: self.status.clone(),
            band: self.band.clone(),
            owner_organisation_id: self.owner_organisation_id.clone(),
            review_overdue: self.review_overdue.clone(),
            page: self.page.clone(),
            per_page: String::new(),
        }
    }
}

pub async fn index(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
    Q(q): Q<ListQuery>,
) -> Result<Response, AppError> {
    let actor = viewer.actor();
    let f = q.filter();
    match parse_filter(&f) {
        Ok((filter, page)) => {
            let none = FieldErrors::new();
            let kept =
                actions::risks::risk_list_kept(&state, &actor, id, (&filter, page, &f), |v| {
                    KeptPage {
                        title: list_title(v),
                        main: list_main(v, &f, &none).into_string().into_bytes(),
                    }
                })
                .await?;
            let main = html! {
                @if let Some(m) = done_message(&q.done) { (notice(m)) }
                (fill_csrf(&kept.main, &ctx.csrf))
            };
            Ok(render(
                StatusCode::OK,
                super::layout::page(&ctx, &kept.title, Some(&none), main),
            ))
        }
        Err(errors) => {
            let (filter, page) =
                parse_filter(&FilterInput::default()).map_err(AppError::Invalid)?;
            let v = actions::risks::risk_list(&state, &actor, id, &filter, page).await?;
            Ok(list_page(
                &ctx,
                &v,
                &f,
                &errors,
                StatusCode::UNPROCESSABLE_ENTITY,
                "",
            ))
        }
    }
}

pub async fn heatmap_svg(
    State(state): State<AppState>,
    SignedIn(viewer, _ctx): SignedIn,
    P(id): P<i64>,
) -> Result<Response, AppError> {
    Ok(crate::svg_response(
        actions::risks::heatmap(&state, &viewer.actor(), id).await?,
    ))
}

/// A risk's fields as the form sends them.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct RiskForm {
    title: String,
    description: String,
    category: String,
    likelihood: String,
    impact: String,
    owner_organisation_id: String,
    owner_person_id: String,
    mitigation: String,
    review_on: String,
    status: String,
    version: String,
}

impl RiskForm {
    fn input(&self) -> RiskInput<'_> {
        RiskInput {
            title: &self.title,
            description: &self.description,
            category: &self.category,
            likelihood: &self.likelihood,
            impact: &self.impact,
            owner_organisation_id: &self.owner_organisation_id,
            owner_person_id: &self.owner_person_id,
            mitigation: &self.mitigation,
            review_on: &self.review_on,
            status: &self.status,
        }
    }

    fn patch(&self) -> RiskPatch {
        RiskPatch {
            title: Some(self.title.clone()),
            description: Some(self.description.clone()),
            category: Some(self.category.clone()),
            likelihood: Some(self.likelihood.clone()),
            impact: Some(self.impact.clone()),
            owner_organisation_id: Some(self.owner_organisation_id.clone()),
            owner_person_id: Some(self.owner_person_id.clone()),
            mitigation: Some(self.mitigation.clone()),
            review_on: Some(self.review_on.clone()),
            status: Some(self.status.clone()),
            version: self.version.clone(),
        }
    }

    fn of(r: &Risk) -> Self {
        let s = |v: Option<i64>| v.map(|x| x.to_string()).unwrap_or_default();
        RiskForm {
            title: r.title.clone(),
            description: r.description.clone(),
            category: r.category.clone(),
            likelihood: r.likelihood.to_string(),
            impact: r.impact.to_string(),
            owner_organisation_id: s(r.owner_organisation_id),
            owner_person_id: s(r.owner_person_id),
            mitigation: r.mitigation.clone(),
            review_on: r.review_on.clone().unwrap_or_default(),
            status: r.status.code().to_string(),
            version: r.version.to_string(),
        }
    }
}

fn risk_fields(c: &Choices, form: &RiskForm, errors: &FieldErrors) -> Markup {
    let categories: Vec<(String, String)> =
        std::iter::once((String::new(), "Choose a kind".to_string()))
            .chain(
                CATEGORIES
                    .iter()
                    .map(|(code, label)| (code.to_string(), label.to_string())),
            )
            .collect();
    let statuses: Vec<(String, String)> = RiskStatus::ALL
        .iter()
        .map(|s| (s.code().to_string(), s.label().to_string()))
        .collect();
    html! {
        (Input::text("title", "Title", &form.title).required().render(errors))
        (textarea("description", "Description (optional)", Some("What could happen, and why. Plain text."), &form.description, 3, errors))
        (select("category", "Kind of risk", None, &categories, &form.category, errors))
        (select("likelihood", "Likelihood", Some("How likely it is to happen: 1 rare, 2 unlikely, 3 possible, 4 likely, 5 almost certain."), &rating_options(likelihood_words), &form.likelihood, errors))
        (select("impact", "Impact", Some("How much harm it would do: 1 negligible, 2 minor, 3 moderate, 4 major, 5 severe."), &rating_options(impact_words), &form.impact, errors))
        (select("owner_organisation_id", "Owner organisation", Some("The organisation taking part that watches this risk."), &org_options(c, "Nobody yet"), &form.owner_organisation_id, errors))
        (select("owner_person_id", "Owner (optional)", Some("A member of the owner organisation."), &people_options(c), &form.owner_person_id, errors))
        (textarea("mitigation", "Mitigation", Some("What is being done to make it less likely or less harmful."), &form.mitigation, 3, errors))
        (Input::text("review_on", "Review date", &form.review_on).kind("date").hint("When to look at it again. For example 2027-03-31.").render(errors))
        (select("status", "Status", None, &statuses, if form.status.is_empty() { "open" } else { &form.status }, errors))
    }
}

fn new_page(
    ctx: &PageContext,
    c: &Collaboration,
    choices: &Choices,
    form: &RiskForm,
    errors: &FieldErrors,
) -> Response {
    render(
        super::layout::form_status(errors),
        page(
            ctx,
            &format!("Add a risk: {}", c.title),
            Some(errors),
            html! {
                (back_link(&format!("/collaborations/{}/risks", c.id), "Back to the risk register"))
                span.caption { (c.title) }
                h1 { "Add a risk" }
                form method="post" action={ "/collaborations/" (c.id) "/risks" } novalidate {
                    (csrf_field(&ctx.csrf))
                    (risk_fields(choices, form, errors))
                    button.button type="submit" { "Add the risk" }
                }
            },
        ),
    )
}

async fn empty_list(
    state: &AppState,
    actor: &crate::auth::Actor,
    id: i64,
) -> Result<RiskList, AppError> {
    actions::risks::risk_list(
        state,
        actor,
        id,
        &Default::default(),
        Page { number: 1, size: 1 },
    )
    .await
}

pub async fn new_form(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
) -> Result<Response, AppError> {
    let actor = viewer.actor();
    let v = empty_list(&state, &actor, id).await?;
    if !v.can_contribute {
        return Err(actions::collaborations::refusal(CollabAction::Contribute));
    }
    let form = RiskForm {
        owner_organisation_id: actor
            .acting_organisation_id
            .map(|o| o.to_string())
            .unwrap_or_default(),
        ..Default::default()
    };
    Ok(new_page(
        &ctx,
        &v.collaboration,
        &v.choices,
        &form,
        &FieldErrors::new(),
    ))
}

pub async fn create(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
    PageForm(form): PageForm<RiskForm>,
) -> Result<Response, AppError> {
    let actor = viewer.actor();
    match actions::risks::create_risk(&state, &actor, id, &form.input()).await {
        Ok(r) => Ok(Redirect::to(&format!("/risks/{}?done=added", r.id)).into_response()),
        Err(AppError::Invalid(errors)) => {
            let v = empty_list(&state, &actor, id).await?;
            Ok(new_page(&ctx, &v.collaboration, &v.choices, &form, &errors))
        }
        Err(e) => Err(e),
    }
}

#[derive(Default)]
struct Refused {
    form: Option<RiskForm>,
    errors: FieldErrors,
    conflict: Option<String>,
}

fn risk_page(
    ctx: &PageContext,
    d: &RiskDetail,
    refused: &Refused,
    done: &str,
    status: StatusCode,
) -> Response {
    let r = &d.risk;
    let c = &d.collaboration;
    let form = refused.form.clone().unwrap_or_else(|| RiskForm::of(r));
    let message = match done {
        "added" => Some("The risk has been added."),
        "changed" => Some("The risk has been saved."),
        _ => None,
    };
    render(
        status,
        page(
            ctx,
            &format!("{}: {}", r.title, c.title),
            Some(&refused.errors),
            html! {
                @if let Some(m) = message { (notice(m)) }
                (back_link(&format!("/collaborations/{}/risks", c.id), "Back to the risk register"))
                span.caption { (c.title) }
                h1 { (r.title) " " (status_tag(r.status)) (overdue_tag(r, &d.today)) }
                @if let Some(m) = &refused.conflict {
                    div.error-summary role="alert" { h2 { "This risk changed meanwhile" } p { (m) } }
                }
                dl.summary-list {
                    div { dt { "Score" } dd { (r.score()) " (likelihood " (r.likelihood) " " (likelihood_words(r.likelihood).to_lowercase()) " times impact " (r.impact) " " (impact_words(r.impact).to_lowercase()) "), band " (band_tag(r.band())) } }
                    div { dt { "Kind" } dd { (category_label(&r.category)) } }
                    div { dt { "Owner" } dd {
                        @if r.owner_organisation_name.is_empty() { "Nobody yet" } @else {
                            (r.owner_organisation_name) @if !r.owner_person_name.is_empty() { " (" (r.owner_person_name) ")" }
                        }
                    } }
                    div { dt { "Review date" } dd { (r.review_on.as_deref().unwrap_or("None yet")) @if is_review_overdue(r, &d.today) { ": the review is overdue." } } }
                    @if !r.description.is_empty() { div { dt { "Description" } dd { (paragraphs(&r.description)) } } }
                    div { dt { "Mitigation" } dd { @if r.mitigation.is_empty() { "None yet." } @else { (paragraphs(&r.mitigation)) } } }
                }
                h2 #history { "Score history" }
                @if d.history.is_empty() {
                    p { "The likelihood and impact have not changed since the risk was added." }
                } @else {
                    (table_scroll("history-caption", html! {
                        table.table {
                            caption #history-caption { "Changes of likelihood and impact, oldest first" }
                            thead { tr { th scope="col" { "When" } th scope="col" { "Who" } th scope="col" { "From" } th scope="col" { "To" } } }
                            tbody {
                                @for h in &d.history {
                                    tr {
                                        td { (when(h.changed_at)) }
                                        td { (h.changed_by_name) }
                                        td { "Likelihood " (h.from_likelihood) ", impact " (h.from_impact) ": score " (h.from_likelihood * h.from_impact) }
                                        td { "Likelihood " (h.to_likelihood) ", impact " (h.to_impact) ": score " (h.to_likelihood * h.to_impact) }
                                    }
                                }
                            }
                        }
                    }))
                }
                @if d.can_contribute {
                    h2 #change { "Change the risk" }
                    form method="post" action={ "/risks/" (r.id) } novalidate {
                        (csrf_field(&ctx.csrf))
                        input type="hidden" name="version" value=(r.version);
                        (risk_fields(&d.choices, &form, &refused.errors))
                        button.button type="submit" { "Save the risk" }
                    }
                    h2 { "Delete the risk" }
                    form method="post" action={ "/risks/" (r.id) "/delete" } {
                        (csrf_field(&ctx.csrf))
                        p { "This removes the risk and its history. It cannot be undone. To keep it on record, set its status to closed instead." }
                        button.button.warning type="submit" { "Delete " (r.title) }
                    }
                } @else {
                    p { "Your organisation observes this collaboration, so you can read this risk but not change it." }
                }
            },
        ),
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DoneQuery {
    done: String,
}

pub async fn show(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(rid): P<i64>,
    Q(q): Q<DoneQuery>,
) -> Result<Response, AppError> {
    let d = actions::risks::risk_detail(&state, &viewer.actor(), rid).await?;
    Ok(risk_page(
        &ctx,
        &d,
        &Refused::default(),
        &q.done,
        StatusCode::OK,
    ))
}

pub async fn change(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(rid): P<i64>,
    PageForm(form): PageForm<RiskForm>,
) -> Result<Response, AppError> {
    let actor = viewer.actor();
    let (refused, status) =
        match actions::risks::update_risk(&state, &actor, rid, &form.patch()).await {
            Ok(_) => return Ok(Redirect::to(&format!("/risks/{rid}?done=changed")).into_response()),
            Err(AppError::Invalid(errors)) => (
                Refused {
                    form: Some(form.clone()),
                    errors,
                    ..Default::default()
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            ),
            Err(AppError::Conflict(m)) => (
                Refused {
                    conflict: Some(m),
                    ..Default::default()
                },
                StatusCode::CONFLICT,
            ),
            Err(e) => return Err(e),
        };
    let d = actions::risks::risk_detail(&state, &actor, rid).await?;
    Ok(risk_page(&ctx, &d, &refused, "", status))
}

pub async fn delete(
    State(state): State<AppState>,
    SignedIn(viewer, _ctx): SignedIn,
    P(rid): P<i64>,
) -> Result<Response, AppError> {
    let id = actions::risks::delete_risk(&state, &viewer.actor(), rid).await?;
    Ok(Redirect::to(&format!("/collaborations/{id}/risks?done=deleted")).into_response())
}

fn suggestions_page(
    ctx: &PageContext,
    s: &Suggestions,
    ticked: &[String],
    errors: &FieldErrors,
) -> Response {
    let c = &s.collaboration;
    let error = errors.get("sources");
    render(
        super::layout::form_status(errors),
        page(
            ctx,
            &format!("Add suggested risks: {}", c.title),
            Some(errors),
            html! {
                (back_link(&format!("/collaborations/{}/risks", c.id), "Back to the risk register"))
                span.caption { (c.title) }
                h1 { "Add suggested risks" }
                p.lead { "Start the register from the risks your partners weighed in the Identify stage, and from challenges that collaborations commonly meet. Each is added once, with a suggested rating you can change." }
                @if s.suggestions.is_empty() {
                    p { "Every suggested risk is in the register already. " a href={ "/collaborations/" (c.id) "/risks/new" } { "Add a risk of your own" } "." }
                } @else if !s.can_contribute {
                    p { "Your organisation observes this collaboration, so you can read the suggestions but not add them." }
                    ul { @for x in &s.suggestions { li { (x.title) } } }
                } @else {
                    form method="post" action={ "/collaborations/" (c.id) "/risks/suggestions" } novalidate {
                        (csrf_field(&ctx.csrf))
                        div.field.field-error[error.is_some()] {
                            fieldset.fieldset aria-describedby={ "sources-hint" @if error.is_some() { " sources-error" } } {
                                legend.legend { "Suggested risks not yet in the register" }
                                p.hint #sources-hint { "Tick the ones to add." }
                                @if let Some(e) = error { p.error-message #sources-error { span.visually-hidden { "Error: " } (e) } }
                                div.radios {
                                    @for (i, x) in s.suggestions.iter().enumerate() {
                                        @let box_id = if i == 0 { "sources".to_string() } else { format!("sources-{i}") };
                                        div.radio {
                                            input.radio-input type="checkbox" id=(box_id) name="sources" value=(x.source)
                                                checked[ticked.contains(&x.source)] aria-describedby={ (box_id) "-item-hint" };
                                            label.radio-label for=(box_id) { (x.title) }
                                            p.hint.radio-hint id={ (box_id) "-item-hint" } {
                                                @if x.source.starts_with("identify:") { "From the Identify stage. " } @else { "A common challenge. " }
                                                (x.description) " Suggested likelihood " (x.likelihood) " (" (likelihood_words(x.likelihood).to_lowercase()) "), impact " (x.impact) " (" (impact_words(x.impact).to_lowercase()) ")."
                                            }
                                        }
                                    }
                                }
                            }
                        }
                        button.button type="submit" { "Add the ticked risks" }
                    }
                }
            },
        ),
    )
}

pub async fn suggestions(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
) -> Result<Response, AppError> {
    let s = actions::risks::suggestions(&state, &viewer.actor(), id).await?;
    Ok(suggestions_page(&ctx, &s, &[], &FieldErrors::new()))
}

pub async fn add_suggestions(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
    PageForm(pairs): PageForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let actor = viewer.actor();
    let ticked: Vec<String> = pairs
        .into_iter()
        .filter(|(k, _)| k == "sources")
        .map(|(_, v)| v)
        .collect();
    match actions::risks::add_suggestions(&state, &actor, id, &ticked).await {
        Ok(added) if added.is_empty() => Ok(Redirect::to(&format!(
            "/collaborations/{id}/risks?done=none_added"
        ))
        .into_response()),
        Ok(added) if added.len() == 1 => {
            Ok(Redirect::to(&format!("/risks/{}?done=added", added[0].id)).into_response())
        }
        Ok(_) => Ok(Redirect::to(&format!("/collaborations/{id}/risks")).into_response()),
        Err(AppError::Invalid(errors)) => {
            let s = actions::risks::suggestions(&state, &actor, id).await?;
            Ok(suggestions_page(&ctx, &s, &ticked, &errors))
        }
        Err(e) => Err(e),
    }
}
