//! The page layout and form components: labels, hints, an error summary
//! that links to each field, and inputs that keep what was typed.

use crate::auth::PageContext;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use commonground_domain::FieldErrors;
use maud::{DOCTYPE, Markup, PreEscaped, html};

/// A whole page. `title` names the page; errors add "Error: " in front so
/// screen reader users hear it first.
pub fn page(ctx: &PageContext, title: &str, errors: Option<&FieldErrors>, main: Markup) -> Markup {
    let has_errors = errors.is_some_and(|e| !e.is_empty());
    html! {
        (DOCTYPE)
        html lang="en-GB" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { @if has_errors { "Error: " } (title) " – Common Ground" }
                link rel="stylesheet" href="/static/app.css";
            }
            body {
                a.skip-link href="#main" { "Skip to main content" }
                header.site-header {
                    div.container.header-inner {
                        a.brand href="/" { "Common Ground" }
                        nav aria-label="Main" {
                            ul.nav {
                                @if let Some(viewer) = &ctx.viewer {
                                    li { a href="/" { "Home" } }
                                    li { a href="/collaborations" { "Collaborations" } }
                                    li { a href="/organisations" { "Organisations" } }
                                    li {
                                        a #nav-notifications href="/notifications" {
                                            "Notifications"
                                            @if viewer.unread_notifications > 0 {
                                                " (" (viewer.unread_notifications) " unread)"
                                            }
                                        }
                                    }
                                    li { a href="/settings" { "Settings" } }
                                    li {
                                        form.inline method="post" action="/sign-out" {
                                            (csrf_field(&ctx.csrf))
                                            button.link-button type="submit" { "Sign out" }
                                        }
                                    }
                                } @else {
                                    li { a href="/sign-in" { "Sign in" } }
                                    li { a href="/sign-up" { "Create an account" } }
                                }
                            }
                        }
                    }
                    @if let Some(viewer) = &ctx.viewer {
                        @if !ctx.organisations.is_empty() {
                            div.acting-bar {
                                div.container {
                                    @if ctx.organisations.len() == 1 {
                                        p.acting-for { "Signed in as " strong { (viewer.user.name) } ", acting for " strong { (ctx.organisations[0].name) } }
                                    } @else {
                                        form.acting-form method="post" action="/acting-for" {
                                            (csrf_field(&ctx.csrf))
                                            input type="hidden" name="next" value=(ctx.path);
                                            span { "Signed in as " strong { (viewer.user.name) } ". " }
                                            label for="acting-for" { "Acting for" }
                                            select #acting-for name="organisation_id" {
                                                @for org in &ctx.organisations {
                                                    option value=(org.id) selected[viewer.acting_organisation_id == Some(org.id)] { (org.name) }
                                                }
                                            }
                                            button.button.secondary.small type="submit" { "Switch" }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                main #main.container tabindex="-1" {
                    @if let Some(errors) = errors {
                        (error_summary(errors))
                    }
                    (main)
                }
                footer.site-footer {
                    div.container {
                        p { "Common Ground helps voluntary and community organisations work together: identify, plan, implement and review." }
                        p { a href="/api/v1/openapi.json" { "API description (OpenAPI)" } }
                    }
                }
            }
        }
    }
}

/// Renders markup with a status code.
pub fn render(status: StatusCode, markup: Markup) -> Response {
    (status, Html(markup.into_string())).into_response()
}

pub fn ok(markup: Markup) -> Response {
    render(StatusCode::OK, markup)
}

/// 422 when there were errors, so tools see the form was refused.
pub fn form_status(errors: &FieldErrors) -> StatusCode {
    if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    }
}

pub fn csrf_field(token: &str) -> Markup {
    if token == CSRF_SLOT {
        return html! { input type="hidden" name="csrf" value=(PreEscaped(CSRF_SLOT)); };
    }
    html! { input type="hidden" name="csrf" value=(token); }
}

/// Where the content of a page kept for everyone takes each request's form
/// token: render with this as the token, keep the result, and fill it in
/// with [`fill_csrf`]. It is written unescaped, and everything a person
/// writes is escaped (`<` becomes `&lt;`), so nothing they write can
/// contain it.
pub const CSRF_SLOT: &str = "<csrf-slot>";

/// Kept page content with this request's form token in every slot.
pub fn fill_csrf(kept: &[u8], token: &str) -> Markup {
    // Kept as written by maud, so always UTF-8.
    let text = String::from_utf8_lossy(kept);
    PreEscaped(text.replace(CSRF_SLOT, token))
}

pub fn error_summary(errors: &FieldErrors) -> Markup {
    html! {
        @if !errors.is_empty() {
            div.error-summary role="alert" aria-labelledby="error-summary-title" tabindex="-1" autofocus {
                h2 #error-summary-title { "There is a problem" }
                ul {
                    @for e in &errors.0 {
                        li { a href={ "#" (e.field) } { (e.message) } }
                    }
                }
            }
        }
    }
}

/// A single-line input.
pub struct Input<'a> {
    pub name: &'a str,
    pub label: &'a str,
    pub hint: Option<&'a str>,
    pub value: &'a str,
    pub kind: &'a str,
    pub autocomplete: Option<&'a str>,
    pub required: bool,
    pub width: &'a str,
}

impl<'a> Input<'a> {
    pub fn text(name: &'a str, label: &'a str, value: &'a str) -> Self {
        Input {
            name,
            label,
            hint: None,
            value,
            kind: "text",
            autocomplete: None,
            required: false,
            width: "",
        }
    }
    pub fn hint(mut self, hint: &'a str) -> Self {
        self.hint = Some(hint);
        self
    }
    pub fn kind(mut self, kind: &'a str) -> Self {
        self.kind = kind;
        self
    }
    pub fn autocomplete(mut self, a: &'a str) -> Self {
        self.autocomplete = Some(a);
        self
    }
    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }
    pub fn width(mut self, w: &'a str) -> Self {
        self.width = w;
        self
    }

    pub fn render(&self, errors: &FieldErrors) -> Markup {
        let error = errors.get(self.name);
        let described = described_by(self.name, self.hint.is_some(), error.is_some());
        html! {
            div.field.field-error[error.is_some()] {
                label.label for=(self.name) { (self.label) }
                @if let Some(h) = self.hint { p.hint id={ (self.name) "-hint" } { (h) } }
                @if let Some(e) = error { p.error-message id={ (self.name) "-error" } { span.visually-hidden { "Error: " } (e) } }
                input.input.(self.width) id=(self.name) name=(self.name) type=(self.kind) value=(self.value)
                    autocomplete=[self.autocomplete] required[self.required]
                    aria-describedby=[described.as_deref()] aria-invalid=[error.map(|_| "true")];
            }
        }
    }
}

fn described_by(name: &str, hint: bool, error: bool) -> Option<String> {
    let mut ids = Vec::new();
    if hint {
        ids.push(format!("{name}-hint"));
    }
    if error {
        ids.push(format!("{name}-error"));
    }
    (!ids.is_empty()).then(|| ids.join(" "))
}

pub fn textarea(
    name: &str,
    label: &str,
    hint: Option<&str>,
    value: &str,
    rows: u32,
    errors: &FieldErrors,
) -> Markup {
    let error = errors.get(name);
    let described = described_by(name, hint.is_some(), error.is_some());
    html! {
        div.field.field-error[error.is_some()] {
            label.label for=(name) { (label) }
            @if let Some(h) = hint { p.hint id={ (name) "-hint" } { (h) } }
            @if let Some(e) = error { p.error-message id={ (name) "-error" } { span.visually-hidden { "Error: " } (e) } }
            textarea.textarea id=(name) name=(name) rows=(rows)
                aria-describedby=[described.as_deref()] aria-invalid=[error.map(|_| "true")] { (value) }
        }
    }
}

/// Radio buttons in a fieldset, one option per line with an optional hint.
pub fn radios(
    name: &str,
    legend: &str,
    hint: Option<&str>,
    options: &[(&str, &str, Option<&str>)],
    selected: &str,
    errors: &FieldErrors,
) -> Markup {
    let error = errors.get(name);
    let described = described_by(name, hint.is_some(), error.is_some());
    html! {
        div.field.field-error[error.is_some()] {
            fieldset.fieldset aria-describedby=[described.as_deref()] {
                legend.legend { (legend) }
                @if let Some(h) = hint { p.hint id={ (name) "-hint" } { (h) } }
                @if let Some(e) = error { p.error-message id={ (name) "-error" } { span.visually-hidden { "Error: " } (e) } }
                div.radios {
                    @for (i, (value, label, item_hint)) in options.iter().enumerate() {
                        @let id = if i == 0 { name.to_string() } else { format!("{name}-{value}") };
                        div.radio {
                            input.radio-input id=(id) name=(name) type="radio" value=(value) checked[*value == selected]
                                aria-describedby=[item_hint.map(|_| format!("{id}-item-hint"))];
                            label.radio-label for=(id) { (label) }
                            @if let Some(h) = item_hint { p.hint.radio-hint id={ (id) "-item-hint" } { (h) } }
                        }
                    }
                }
            }
        }
    }
}

/// A drop-down list.
pub fn select(
    name: &str,
    label: &str,
    hint: Option<&str>,
    options: &[(String, String)],
    selected: &str,
    errors: &FieldErrors,
) -> Markup {
    let error = errors.get(name);
    let described = described_by(name, hint.is_some(), error.is_some());
    html! {
        div.field.field-error[error.is_some()] {
            label.label for=(name) { (label) }
            @if let Some(h) = hint { p.hint id={ (name) "-hint" } { (h) } }
            @if let Some(e) = error { p.error-message id={ (name) "-error" } { span.visually-hidden { "Error: " } (e) } }
            select.select id=(name) name=(name) aria-describedby=[described.as_deref()] aria-invalid=[error.map(|_| "true")] {
                @for (value, text) in options {
                    option value=(value) selected[value == selected] { (text) }
                }
            }
        }
    }
}

/// A data table in a box of its own that scrolls sideways when the screen
/// is too narrow, so the page itself never does. The box is named by the
/// table's caption and can take keyboard focus, so it can be scrolled
/// without a mouse.
pub fn table_scroll(caption_id: &str, table: Markup) -> Markup {
    html! { div.table-scroll role="region" aria-labelledby=(caption_id) tabindex="0" { (table) } }
}

/// A coloured label for a status.
pub fn tag(text: &str, class: &str) -> Markup {
    html! { strong.tag.(class) { (text) } }
}

/// A short message at the top of a page, such as "Invitation sent".
pub fn notice(text: &str) -> Markup {
    html! { div.notice role="status" { p { (text) } } }
}

pub fn back_link(href: &str, text: &str) -> Markup {
    html! { a.back-link href=(href) { (text) } }
}

/// Multi-line text shown as paragraphs, safely escaped.
pub fn paragraphs(text: &str) -> Markup {
    html! {
        @for para in text.split("\n\n").filter(|p| !p.trim().is_empty()) {
            p {
                @for (i, line) in para.lines().enumerate() {
                    @if i > 0 { br; }
                    (line)
                }
            }
        }
    }
}

pub fn when(ts: i64) -> Markup {
    html! { time datetime=(crate::clock::format_rfc3339(ts)) { (crate::clock::format_time(ts)) } }
}

/// Used to mark text that is already safe HTML (our own constants only).
pub fn trusted(html: &'static str) -> PreEscaped<&'static str> {
    PreEscaped(html)
}

/// Previous and next links for a paginated list, and which page this is;
/// `query` gives the query string (with its `?`) of a page number.
pub(crate) fn pagination(
    base: &str,
    query: impl Fn(i64) -> String,
    page: commonground_store::tasks::Page,
    total: i64,
) -> Markup {
    let pages = ((total + page.size - 1) / page.size).max(1);
    html! {
        @if pages > 1 {
            nav.pagination aria-label="Pages" {
                p { "Page " (page.number) " of " (pages) "." }
                ul {
                    @if page.number > 1 { li { a href={ (base) (query(page.number - 1)) } rel="prev" { "Previous page" } } }
                    @if page.number < pages { li { a href={ (base) (query(page.number + 1)) } rel="next" { "Next page" } } }
                }
            }
        }
    }
}
