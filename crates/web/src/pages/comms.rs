//! The communications plan's pages: the plan with its filters and a form
//! to add an item; an item's page with its log and a form to log what went
//! out; a form to change an item; and pages that ask before removing an
//! item or a log entry. Every action is a plain form.

use super::layout::{
    CSRF_SLOT, Input, back_link, csrf_field, fill_csrf, form_status, notice, page, pagination,
    paragraphs, render, select, table_scroll, tag, textarea,
};
use crate::AppState;
use crate::actions;
use crate::actions::comms::{
    Choices, CommsDetail, CommsList, FilterInput, ItemUpdate, due_state, parse_filter,
    stale_message,
};
use crate::auth::{Actor, PageContext, SignedIn};
use crate::cache::KeptPage;
use crate::error::AppError;
use crate::extract::{P, PageForm, Q};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use commonground_domain::FieldErrors;
use commonground_domain::comms::{Channel, CommsStatus, DueState, ItemInput, LogInput, Timing};
use commonground_domain::policy::CollabAction;
use commonground_store::comms::CommsItem;
use maud::{Markup, html};
use serde::Deserialize;

fn status_tag(s: CommsStatus) -> Markup {
    let class = match s {
        CommsStatus::Planned => "tag-info",
        CommsStatus::InProgress => "tag-current",
        CommsStatus::Done => "tag-done",
        CommsStatus::Dropped => "tag-borderline",
    };
    tag(s.label(), class)
}

/// "Due today" or "Overdue" in words, never by colour alone.
fn due_tag(i: &CommsItem, today: &str) -> Markup {
    html! {
        @match due_state(i, today) {
            DueState::Overdue => { " " (tag("Overdue", "tag-attention")) }
            DueState::DueToday => { " " (tag("Due today", "tag-current")) }
            _ => {}
        }
    }
}

fn owner(i: &CommsItem) -> String {
    match (
        i.owner_organisation_name.as_str(),
        i.owner_person_name.as_str(),
    ) {
        ("", _) => "No organisation now".to_string(),
        (o, "") => o.to_string(),
        (o, p) => format!("{o} ({p})"),
    }
}

fn query_string(f: &FilterInput, page: Option<i64>) -> String {
    let mut parts: Vec<String> = Vec::new();
    for (k, v) in [
        ("status", &f.status),
        ("channel", &f.channel),
        ("owner_organisation_id", &f.owner_organisation_id),
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

fn org_options(c: &Choices, first: &str) -> Vec<(String, String)> {
    std::iter::once((String::new(), first.to_string()))
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

fn channel_options(first: &str) -> Vec<(String, String)> {
    std::iter::once((String::new(), first.to_string()))
        .chain(
            Channel::ALL
                .iter()
                .map(|c| (c.code().to_string(), c.label().to_string())),
        )
        .collect()
}

/// An item's fields as the form sends them.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct ItemForm {
    audience: String,
    purpose: String,
    key_message: String,
    channel: String,
    owner_organisation_id: String,
    owner_person_id: String,
    timing: String,
    on_date: String,
    status: String,
    version: String,
}

impl ItemForm {
    fn input(&self) -> ItemInput<'_> {
        ItemInput {
            audience: &self.audience,
            purpose: &self.purpose,
            key_message: &self.key_message,
            channel: &self.channel,
            owner_organisation_id: &self.owner_organisation_id,
            owner_person_id: &self.owner_person_id,
            timing: &self.timing,
            on_date: &self.on_date,
            status: &self.status,
        }
    }

    fn of(i: &CommsItem) -> Self {
        let s = |v: Option<i64>| v.map(|x| x.to_string()).unwrap_or_default();
        ItemForm {
            audience: i.audience.clone(),
            purpose: i.purpose.clone(),
            key_message: i.key_message.clone(),
            channel: i.channel.code().to_string(),
            owner_organisation_id: s(i.owner_organisation_id),
            owner_person_id: s(i.owner_person_id),
            timing: i.timing.code().to_string(),
            on_date: i.on_date.clone(),
            status: i.status.code().to_string(),
            version: i.version.to_string(),
        }
    }
}

fn item_fields(c: &Choices, form: &ItemForm, errors: &FieldErrors) -> Markup {
    let timings: Vec<(String, String)> = Timing::ALL
        .iter()
        .map(|t| (t.code().to_string(), t.label().to_string()))
        .collect();
    let statuses: Vec<(String, String)> = CommsStatus::ALL
        .iter()
        .map(|s| (s.code().to_string(), s.label().to_string()))
        .collect();
    html! {
        (Input::text("audience", "Who it is for", &form.audience).hint("For example: Trustees of each partner, or Families using the food banks.").required().render(errors))
        (Input::text("purpose", "What it is for", &form.purpose).hint("For example: Tell families about the new opening hours.").required().render(errors))
        (textarea("key_message", "Key message", Some("The one thing they should know or do, in a sentence or two."), &form.key_message, 3, errors))
        (select("channel", "Channel", None, &channel_options("Choose a channel"), &form.channel, errors))
        (select("owner_organisation_id", "Organisation that sends it", None, &org_options(c, "Choose an organisation"), &form.owner_organisation_id, errors))
        (select("owner_person_id", "Person who sends it (optional)", Some("A member of that organisation."), &people_options(c), &form.owner_person_id, errors))
        (select("timing", "How often", None, &timings, if form.timing.is_empty() { "once" } else { &form.timing }, errors))
        (Input::text("on_date", "Date", &form.on_date).hint("The date it goes out, or the first date when it repeats. Year, month and day, like 2027-03-31.").width("input-10").render(errors))
        (select("status", "Status", None, &statuses, if form.status.is_empty() { "planned" } else { &form.status }, errors))
    }
}

/// A filter of the list. Its id is `filter-` and its name, so it never
/// clashes with the same field of the form to add an item on the same page;
/// its errors are under that id too.
fn filter_select(
    name: &str,
    label: &str,
    options: &[(String, String)],
    selected: &str,
    errors: &FieldErrors,
) -> Markup {
    let id = format!("filter-{name}");
    let error = errors.get(&id);
    html! {
        div.field.field-error[error.is_some()] {
            label.label for=(id) { (label) }
            @if let Some(e) = error { p.error-message id={ (id) "-error" } { span.visually-hidden { "Error: " } (e) } }
            select.select id=(id) name=(name) aria-describedby=[error.map(|_| format!("{id}-error"))] aria-invalid=[error.map(|_| "true")] {
                @for (value, text) in options {
                    option value=(value) selected[value == selected] { (text) }
                }
            }
        }
    }
}

/// The filters' errors under the ids of the filters on the page.
fn as_filter_errors(errors: FieldErrors) -> FieldErrors {
    let mut out = FieldErrors::new();
    for e in errors.0 {
        out.add(format!("filter-{}", e.field), e.message);
    }
    out
}

fn list_title(v: &CommsList) -> String {
    format!("Communications plan: {}", v.collaboration.title)
}

fn done_message(done: &str) -> Option<&'static str> {
    match done {
        "removed" => Some("The item has been removed from the plan."),
        _ => None,
    }
}

#[allow(clippy::too_many_arguments)]
fn list_page(
    ctx: &PageContext,
    v: &CommsList,
    f: &FilterInput,
    filter_errors: &FieldErrors,
    form: &ItemForm,
    form_errors: &FieldErrors,
    status: StatusCode,
    done: &str,
) -> Response {
    let all_errors = if form_errors.is_empty() {
        filter_errors
    } else {
        form_errors
    };
    let main = html! {
        @if let Some(m) = done_message(done) { (notice(m)) }
        (list_main(&ctx.csrf, v, f, filter_errors, form, form_errors))
    };
    render(status, page(ctx, &list_title(v), Some(all_errors), main))
}

/// Everything inside the plan page's frame but the notice of what was
/// just done; `csrf` is the form token (or [`CSRF_SLOT`] to keep it).
fn list_main(
    csrf: &str,
    v: &CommsList,
    f: &FilterInput,
    filter_errors: &FieldErrors,
    form: &ItemForm,
    form_errors: &FieldErrors,
) -> Markup {
    let c = &v.collaboration;
    let base = format!("/collaborations/{}/comms", c.id);
    let status_opts: Vec<(String, String)> =
        std::iter::once((String::new(), "Any status".to_string()))
            .chain(
                CommsStatus::ALL
                    .iter()
                    .map(|s| (s.code().to_string(), s.label().to_string())),
            )
            .collect();
    html! {
        (back_link(&format!("/collaborations/{}/implement", c.id), "Back to the Implement stage"))
        span.caption { (c.title) }
        h1 { "Communications plan" }
        p.lead { "Who needs to hear what, and why: the channel, the partner that sends it, and when. Log each thing that goes out on the item's page." }
        p #overdue-count {
            @if v.overdue == 0 { "Nothing is overdue." } @else {
                strong { (v.overdue) " " @if v.overdue == 1 { "item is" } @else { "items are" } " overdue." }
                " Each is marked Overdue in the list."
            }
        }
        details.filters open[!query_string(f, None).is_empty()] {
            summary { "Filter the plan" }
            form method="get" action=(base) novalidate {
                (filter_select("status", "Filter by status", &status_opts, &f.status, filter_errors))
                (filter_select("channel", "Filter by channel", &channel_options("Any channel"), &f.channel, filter_errors))
                (filter_select("owner_organisation_id", "Filter by the organisation that sends it", &org_options(&v.choices, "Any organisation"), &f.owner_organisation_id, filter_errors))
                button.button.secondary type="submit" { "Show these items" }
            }
        }
        p { (v.total) " " @if v.total == 1 { "item matches" } @else { "items match" } ", soonest due first." }
        @if v.items.is_empty() {
            p { "No items here yet." }
        } @else {
            (table_scroll("comms-caption", html! {
                table.table {
                    caption #comms-caption { "Communications, soonest due first" }
                    thead { tr {
                        th scope="col" { "What it is for" }
                        th scope="col" { "Who it is for" }
                        th scope="col" { "Channel" }
                        th scope="col" { "Sent by" }
                        th scope="col" { "When" }
                        th scope="col" { "Next due" }
                        th scope="col" { "Last sent" }
                        th scope="col" { "Status" }
                    } }
                    tbody {
                        @for i in &v.items {
                            tr {
                                td { a href={ "/comms/" (i.id) } { (i.purpose) } }
                                td { (i.audience) }
                                td { (i.channel.label()) }
                                td { (owner(i)) }
                                td { (i.timing.describe(&i.on_date)) }
                                td { (i.next_due_on.as_deref().unwrap_or("Nothing due")) (due_tag(i, &v.today)) }
                                td { (i.last_sent_on.as_deref().unwrap_or("Not yet")) }
                                td { (status_tag(i.status)) }
                            }
                        }
                    }
                }
            }))
        }
        (pagination(&base, |n| query_string(f, Some(n)), v.page, v.total))
        @if v.can_contribute {
            h2 #add { "Add to the plan" }
            form method="post" action=(base) novalidate {
                (csrf_field(csrf))
                (item_fields(&v.choices, form, form_errors))
                button.button type="submit" { "Add to the plan" }
            }
        } @else {
            p { "Your organisation observes this collaboration, so you can read the plan but not change it." }
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    status: String,
    channel: String,
    owner_organisation_id: String,
    page: String,
    done: String,
}

impl ListQuery {
    fn filter(&self) -> FilterInput {
        FilterInput {
            status: self.status.clone(),
            channel: self.channel.clone(),
            owner_organisation_id: self.owner_organisation_id.clone(),
            page: self.page.clone(),
            per_page: String::new(),
        }
    }
}

fn new_form(actor: &Actor) -> ItemForm {
    ItemForm {
        owner_organisation_id: actor
            .acting_organisation_id
            .map(|o| o.to_string())
            .unwrap_or_default(),
        ..Default::default()
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
    let (filter, page, errors, status) = match parse_filter(&f) {
        Ok((filter, page)) => (filter, page, FieldErrors::new(), StatusCode::OK),
        Err(errors) => {
            let (filter, page) =
                parse_filter(&FilterInput::default()).map_err(AppError::Invalid)?;
            (
                filter,
                page,
                as_filter_errors(errors),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
    };
    if status != StatusCode::OK {
        let v = actions::comms::comms_list(&state, &actor, id, &filter, page).await?;
        return Ok(list_page(
            &ctx,
            &v,
            &f,
            &errors,
            &new_form(&actor),
            &FieldErrors::new(),
            status,
            &q.done,
        ));
    }
    let none = FieldErrors::new();
    let form = new_form(&actor);
    let kept =
        actions::comms::comms_list_kept(&state, &actor, id, (&filter, page, &f), |v| KeptPage {
            title: list_title(v),
            main: list_main(CSRF_SLOT, v, &f, &none, &form, &none)
                .into_string()
                .into_bytes(),
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

pub async fn create(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
    PageForm(form): PageForm<ItemForm>,
) -> Result<Response, AppError> {
    let actor = viewer.actor();
    match actions::comms::create_item(&state, &actor, id, &form.input()).await {
        Ok(i) => Ok(Redirect::to(&format!("/comms/{}?done=added", i.id)).into_response()),
        Err(AppError::Invalid(errors)) => {
            let (filter, page) =
                parse_filter(&FilterInput::default()).map_err(AppError::Invalid)?;
            let v = actions::comms::comms_list(&state, &actor, id, &filter, page).await?;
            Ok(list_page(
                &ctx,
                &v,
                &FilterInput::default(),
                &FieldErrors::new(),
                &form,
                &errors,
                StatusCode::UNPROCESSABLE_ENTITY,
                "",
            ))
        }
        Err(e) => Err(e),
    }
}

/// What went out, as the form sends it.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct LogForm {
    sent_on: String,
    what: String,
    channel: String,
    link: String,
    notes: String,
}

impl LogForm {
    fn input(&self) -> LogInput<'_> {
        LogInput {
            sent_on: &self.sent_on,
            what: &self.what,
            channel: &self.channel,
            link: &self.link,
            notes: &self.notes,
        }
    }
}

fn item_page(
    status: StatusCode,
    ctx: &PageContext,
    d: &CommsDetail,
    log: &LogForm,
    errors: &FieldErrors,
    done: &str,
) -> Response {
    let i = &d.item;
    let c = &d.collaboration;
    let state = due_state(i, &d.today);
    let message = match done {
        "added" => Some("The item has been added to the plan."),
        "changed" => Some("The item has been saved."),
        "logged" => Some("What went out has been logged."),
        "log_removed" => Some("The log entry has been removed."),
        _ => None,
    };
    let log_form = LogForm {
        channel: if log.channel.is_empty() {
            i.channel.code().to_string()
        } else {
            log.channel.clone()
        },
        sent_on: if log.sent_on.is_empty() && errors.is_empty() {
            d.today.clone()
        } else {
            log.sent_on.clone()
        },
        ..log.clone()
    };
    render(
        status,
        page(
            ctx,
            &format!("{}: {}", i.purpose, c.title),
            Some(errors),
            html! {
                @if let Some(m) = message { (notice(m)) }
                (back_link(&format!("/collaborations/{}/comms", c.id), "Back to the communications plan"))
                span.caption { (c.title) }
                h1 { (i.purpose) " " (status_tag(i.status)) (due_tag(i, &d.today)) }
                p #due-words { (state.words(i.next_due_on.as_deref())) }
                dl.summary-list {
                    div { dt { "Who it is for" } dd { (i.audience) } }
                    div { dt { "Key message" } dd { (paragraphs(&i.key_message)) } }
                    div { dt { "Channel" } dd { (i.channel.label()) } }
                    div { dt { "Sent by" } dd { (owner(i)) } }
                    div { dt { "When" } dd { (i.timing.describe(&i.on_date)) } }
                    div { dt { "Last sent" } dd { (i.last_sent_on.as_deref().unwrap_or("Nothing logged yet")) } }
                }
                @if d.can_contribute {
                    p {
                        a href={ "/comms/" (i.id) "/edit" } { "Change this item" }
                        " \u{00b7} "
                        a href={ "/comms/" (i.id) "/remove" } { "Remove this item" }
                    }
                }
                h2 #log { "What went out" }
                @if d.log.is_empty() {
                    p { "Nothing logged yet." }
                } @else {
                    (table_scroll("log-caption", html! {
                        table.table {
                            caption #log-caption { "What went out, newest first" }
                            thead { tr {
                                th scope="col" { "Sent on" }
                                th scope="col" { "What went out" }
                                th scope="col" { "Channel" }
                                th scope="col" { "Notes" }
                                th scope="col" { "Logged by" }
                                @if d.can_contribute { th scope="col" { "Remove" } }
                            } }
                            tbody {
                                @for e in &d.log {
                                    tr {
                                        td { (e.sent_on) }
                                        td {
                                            @if let Some(l) = &e.link { a href=(l) rel="noopener noreferrer nofollow" { (e.what) } } @else { (e.what) }
                                        }
                                        td { (e.channel.label()) }
                                        td { (e.notes) }
                                        td { (e.recorded_by_name) }
                                        @if d.can_contribute {
                                            td { a href={ "/comms-log/" (e.id) "/remove" } { "Remove " span.visually-hidden { "the entry " (e.what) } } }
                                        }
                                    }
                                }
                            }
                        }
                    }))
                }
                @if d.can_contribute {
                    h2 #send { "Log what went out" }
                    form method="post" action={ "/comms/" (i.id) "/log" } novalidate {
                        (csrf_field(&ctx.csrf))
                        (Input::text("sent_on", "Date it went out", &log_form.sent_on).hint("Year, month and day, like 2027-03-31. Not after today.").width("input-10").render(errors))
                        (Input::text("what", "What went out", &log_form.what).hint("For example: January newsletter.").render(errors))
                        (select("channel", "Channel", None, &channel_options("Choose a channel"), &log_form.channel, errors))
                        (Input::text("link", "Link (optional)", &log_form.link).hint("A web address starting with https://, if it is online.").render(errors))
                        (textarea("notes", "Notes (optional)", None, &log_form.notes, 2, errors))
                        button.button type="submit" { "Log it" }
                    }
                } @else {
                    p { "Your organisation observes this collaboration, so you can read this item but not change it." }
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
    P(cid): P<i64>,
    Q(q): Q<DoneQuery>,
) -> Result<Response, AppError> {
    let d = actions::comms::comms_detail(&state, &viewer.actor(), cid).await?;
    Ok(item_page(
        StatusCode::OK,
        &ctx,
        &d,
        &LogForm::default(),
        &FieldErrors::new(),
        &q.done,
    ))
}

pub async fn log(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(cid): P<i64>,
    PageForm(form): PageForm<LogForm>,
) -> Result<Response, AppError> {
    let actor = viewer.actor();
    match actions::comms::add_log(&state, &actor, cid, &form.input()).await {
        Ok(_) => Ok(Redirect::to(&format!("/comms/{cid}?done=logged#log")).into_response()),
        Err(AppError::Invalid(errors)) => {
            let d = actions::comms::comms_detail(&state, &actor, cid).await?;
            Ok(item_page(
                StatusCode::UNPROCESSABLE_ENTITY,
                &ctx,
                &d,
                &form,
                &errors,
                "",
            ))
        }
        Err(e) => Err(e),
    }
}

fn edit_page(
    status: StatusCode,
    ctx: &PageContext,
    d: &CommsDetail,
    form: &ItemForm,
    errors: &FieldErrors,
    current: Option<&CommsItem>,
) -> Response {
    let i = &d.item;
    render(
        status,
        page(
            ctx,
            &format!("Change an item: {}", i.purpose),
            Some(errors),
            html! {
                (back_link(&format!("/comms/{}", i.id), "Back to the item"))
                span.caption { (d.collaboration.title) }
                h1 { "Change an item of the communications plan" }
                @if let Some(now) = current {
                    div.error-summary role="alert" aria-labelledby="stale-title" tabindex="-1" {
                        h2 #stale-title { "Someone else changed this item" }
                        p { (stale_message(now)) }
                        p { "Your changes are still in the form below: save again to replace theirs with yours." }
                    }
                }
                form method="post" action={ "/comms/" (i.id) "/edit" } novalidate {
                    (csrf_field(&ctx.csrf))
                    input type="hidden" name="version" value=(form.version);
                    (item_fields(&d.choices, form, errors))
                    button.button type="submit" { "Save the item" }
                }
            },
        ),
    )
}

pub async fn edit_form(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(cid): P<i64>,
) -> Result<Response, AppError> {
    let d = actions::comms::comms_detail(&state, &viewer.actor(), cid).await?;
    if !d.can_contribute {
        return Err(actions::collaborations::refusal(CollabAction::Contribute));
    }
    let form = ItemForm::of(&d.item);
    Ok(edit_page(
        StatusCode::OK,
        &ctx,
        &d,
        &form,
        &FieldErrors::new(),
        None,
    ))
}

pub async fn update(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(cid): P<i64>,
    PageForm(form): PageForm<ItemForm>,
) -> Result<Response, AppError> {
    let actor = viewer.actor();
    match actions::comms::update_item(&state, &actor, cid, &form.version, &form.input()).await {
        Ok(ItemUpdate::Saved(_)) => {
            Ok(Redirect::to(&format!("/comms/{cid}?done=changed")).into_response())
        }
        Ok(ItemUpdate::Stale(current)) => {
            let d = actions::comms::comms_detail(&state, &actor, cid).await?;
            let form = ItemForm {
                version: current.version.to_string(),
                ..form
            };
            Ok(edit_page(
                StatusCode::CONFLICT,
                &ctx,
                &d,
                &form,
                &FieldErrors::new(),
                Some(&current),
            ))
        }
        Err(AppError::Invalid(errors)) => {
            let d = actions::comms::comms_detail(&state, &actor, cid).await?;
            Ok(edit_page(
                form_status(&errors),
                &ctx,
                &d,
                &form,
                &errors,
                None,
            ))
        }
        Err(e) => Err(e),
    }
}

/// Asks before removing an item and its log.
pub async fn remove_confirm(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(cid): P<i64>,
) -> Result<Response, AppError> {
    let d = actions::comms::comms_detail(&state, &viewer.actor(), cid).await?;
    if !d.can_contribute {
        return Err(actions::collaborations::refusal(CollabAction::Contribute));
    }
    let (c, i) = (&d.collaboration, &d.item);
    Ok(render(
        StatusCode::OK,
        page(
            &ctx,
            &format!("Remove {}?", i.purpose),
            None,
            html! {
                (back_link(&format!("/comms/{cid}"), "Back to the item"))
                span.caption { (c.title) }
                h1 { "Remove \u{201c}" (i.purpose) "\u{201d} from the plan?" }
                p {
                    "The item and its log of what went out will be gone. "
                    @if !d.log.is_empty() { "Its log has " (d.log.len()) " " @if d.log.len() == 1 { "entry" } @else { "entries" } ". " }
                    "To keep it on record, set its status to dropped instead."
                }
                form method="post" action={ "/comms/" (cid) "/remove" } {
                    (csrf_field(&ctx.csrf))
                    button.button.warning type="submit" { "Remove the item" }
                }
                p { a href={ "/comms/" (cid) } { "No, keep it" } }
            },
        ),
    ))
}

pub async fn remove(
    State(state): State<AppState>,
    SignedIn(viewer, _): SignedIn,
    P(cid): P<i64>,
) -> Result<Response, AppError> {
    let id = actions::comms::delete_item(&state, &viewer.actor(), cid).await?;
    Ok(Redirect::to(&format!("/collaborations/{id}/comms?done=removed")).into_response())
}

/// Asks before removing an entry of the log.
pub async fn remove_log_confirm(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(lid): P<i64>,
) -> Result<Response, AppError> {
    let d = actions::comms::log_detail(&state, &viewer.actor(), lid).await?;
    if !d.can_contribute {
        return Err(actions::collaborations::refusal(CollabAction::Contribute));
    }
    let (c, i, e) = (&d.collaboration, &d.item, &d.entry);
    Ok(render(
        StatusCode::OK,
        page(
            &ctx,
            &format!("Remove {} from the log?", e.what),
            None,
            html! {
                (back_link(&format!("/comms/{}", i.id), "Back to the item"))
                span.caption { (c.title) }
                h1 { "Remove \u{201c}" (e.what) "\u{201d}, sent on " (e.sent_on) ", from the log?" }
                p { "Only remove an entry logged by mistake. The item \u{201c}" (i.purpose) "\u{201d} stays in the plan, and its next date due is worked out again." }
                form method="post" action={ "/comms-log/" (lid) "/remove" } {
                    (csrf_field(&ctx.csrf))
                    button.button.warning type="submit" { "Remove the entry" }
                }
                p { a href={ "/comms/" (i.id) } { "No, keep it" } }
            },
        ),
    ))
}

pub async fn remove_log(
    State(state): State<AppState>,
    SignedIn(viewer, _): SignedIn,
    P(lid): P<i64>,
) -> Result<Response, AppError> {
    let cid = actions::comms::delete_log(&state, &viewer.actor(), lid).await?;
    Ok(Redirect::to(&format!("/comms/{cid}?done=log_removed#log")).into_response())
}
