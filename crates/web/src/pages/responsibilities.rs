//! The responsibilities matrix as one plain form: a table of functions
//! against organisations with a labelled drop-down in every cell, saved in
//! one go. A save based on an old version comes back with the matrix as it
//! is now shown above the form, and what was chosen kept in the form.

use super::layout::{Input, back_link, csrf_field, notice, page, render, table_scroll, tag};
use crate::AppState;
use crate::actions;
use crate::actions::responsibilities::{
    CellInput, MatrixUpdate, MatrixView, cell_field, stale_message,
};
use crate::auth::{PageContext, SignedIn, Viewer};
use crate::error::AppError;
use crate::extract::{P, PageForm, Q};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use commonground_domain::FieldErrors;
use commonground_domain::responsibilities::Raci;
use commonground_store::responsibilities::Matrix;
use maud::{Markup, html};
use serde::Deserialize;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DoneQuery {
    done: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct FunctionForm {
    name: String,
}

/// What the form holds: the version and each cell as chosen.
#[derive(Default, Clone)]
struct MatrixForm {
    version: String,
    /// (field name, value)
    cells: Vec<(String, String)>,
}

impl MatrixForm {
    fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        let mut f = MatrixForm::default();
        for (k, v) in pairs {
            if k == "version" {
                f.version = v;
            } else if k.starts_with("cell-") {
                f.cells.push((k, v));
            }
        }
        f
    }

    fn from_matrix(m: &Matrix) -> Self {
        MatrixForm {
            version: m.version.to_string(),
            cells: m
                .cells
                .iter()
                .map(|(k, o, r)| (cell_field(k, *o), r.code().to_string()))
                .collect(),
        }
    }

    fn value(&self, field: &str) -> &str {
        self.cells
            .iter()
            .find(|(k, _)| k == field)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }

    /// The cells as the action takes them. A field name that cannot be
    /// read becomes a cell of no organisation, refused as such.
    fn input(&self) -> Vec<CellInput> {
        self.cells
            .iter()
            .map(|(k, v)| {
                let rest = k.trim_start_matches("cell-");
                let (key, org) = rest.rsplit_once('-').unwrap_or((rest, ""));
                CellInput {
                    function_key: key.to_string(),
                    organisation_id: org.parse().unwrap_or(0),
                    role: v.clone(),
                }
            })
            .collect()
    }
}

/// The matrix read-only, as a table of words.
fn matrix_table(m: &Matrix, caption_id: &str, caption: &str) -> Markup {
    html! {
        (table_scroll(caption_id, html! {
            table.table {
                caption id=(caption_id) { (caption) }
                thead { tr {
                    th scope="col" { "Function" }
                    @for o in &m.organisations { th scope="col" { (o.name) } }
                } }
                tbody {
                    @for f in &m.functions {
                        tr {
                            th scope="row" { (f.name) }
                            @for o in &m.organisations {
                                td { (m.cell(&f.key, o.organisation_id).map(Raci::label).unwrap_or("\u{2013}")) }
                            }
                        }
                    }
                }
            }
        }))
    }
}

/// Where each function stands: agreed, or what to do.
fn status(m: &Matrix) -> Markup {
    let reviews = m.reviews();
    let problems: Vec<String> = reviews
        .iter()
        .zip(&m.functions)
        .filter_map(|(r, f)| r.problem(&f.name))
        .collect();
    let warnings: Vec<String> = reviews
        .iter()
        .zip(&m.functions)
        .filter_map(|(r, f)| r.warning(&f.name))
        .collect();
    html! {
        p {
            @if m.agreed() {
                (tag("Agreed", "tag-done")) " Every function has exactly one accountable organisation."
            } @else {
                (tag("Not agreed yet", "tag-attention")) " The matrix is agreed when every function has exactly one accountable organisation."
            }
        }
        @if m.organisations.is_empty() {
            p { "No organisations take part as more than observers yet." }
        }
        @if !problems.is_empty() {
            h2 { "To agree the matrix" }
            ul { @for p in &problems { li { (p) } } }
        }
        @if !warnings.is_empty() {
            h2 { "Worth a look" }
            ul { @for w in &warnings { li { (w) } } }
        }
    }
}

fn matrix_form(
    ctx: &PageContext,
    v: &MatrixView,
    form: &MatrixForm,
    errors: &FieldErrors,
) -> Markup {
    let m = &v.matrix;
    let id = v.collaboration.id;
    html! {
        form method="post" action={ "/collaborations/" (id) "/responsibilities" } novalidate {
            (csrf_field(&ctx.csrf))
            input type="hidden" name="version" value=(form.version);
            (table_scroll("matrix-caption", html! {
                table.table {
                    caption id="matrix-caption" { "Who does what: choose a role for each organisation and function" }
                    thead { tr {
                        th scope="col" { "Function" }
                        @for o in &m.organisations { th scope="col" { (o.name) } }
                        th scope="col" { span.visually-hidden { "Remove" } }
                    } }
                    tbody {
                        @for f in &m.functions {
                            tr {
                                th scope="row" { (f.name) }
                                @for o in &m.organisations {
                                    @let field = cell_field(&f.key, o.organisation_id);
                                    @let error = errors.get(&field);
                                    @let value = form.value(&field);
                                    td.field-error[error.is_some()] {
                                        label.visually-hidden for=(field) { (f.name) ": " (o.name) }
                                        @if let Some(e) = error { p.error-message id={ (field) "-error" } { span.visually-hidden { "Error: " } (e) } }
                                        select.select id=(field) name=(field)
                                            aria-describedby=[error.map(|_| format!("{field}-error"))]
                                            aria-invalid=[error.map(|_| "true")] {
                                            option value="" selected[value.is_empty()] { "None" }
                                            @for r in Raci::ALL {
                                                option value=(r.code()) selected[value == r.code()] { (r.label()) }
                                            }
                                        }
                                    }
                                }
                                td {
                                    @if let Some(fid) = f.custom_id {
                                        a href={ "/collaborations/" (id) "/responsibilities/functions/" (fid) "/remove" } { "Remove" span.visually-hidden { " " (f.name) } }
                                    }
                                }
                            }
                        }
                    }
                }
            }))
            button.button type="submit" { "Save the matrix" }
        }
    }
}

/// How the page is shown: after a refused save or addition, or plainly.
struct Shown<'a> {
    status: StatusCode,
    /// What was chosen, when a save was refused.
    form: Option<&'a MatrixForm>,
    errors: &'a FieldErrors,
    stale: bool,
    done: &'a str,
    /// The function name typed, when adding one was refused.
    function_name: &'a str,
}

async fn show_page(
    state: &AppState,
    viewer: &Viewer,
    ctx: &PageContext,
    id: i64,
    shown: Shown<'_>,
) -> Result<Response, AppError> {
    let Shown {
        status: status_code,
        form,
        errors,
        stale,
        done,
        function_name,
    } = shown;
    let v = actions::responsibilities::matrix(state, &viewer.actor(), id).await?;
    let c = &v.collaboration;
    let m = &v.matrix;
    let message = match done {
        "saved" => Some("The matrix has been saved."),
        "added" => Some("The function has been added."),
        "removed" => Some("The function has been removed."),
        _ => None,
    };
    let own_form;
    let form = match form {
        Some(f) => f,
        None => {
            own_form = MatrixForm::from_matrix(m);
            &own_form
        }
    };
    // After a stale save the form is based on the version shown now.
    let form = if stale {
        MatrixForm {
            version: m.version.to_string(),
            ..form.clone()
        }
    } else {
        form.clone()
    };
    Ok(render(
        status_code,
        page(
            ctx,
            &format!("Responsibilities: {}", c.title),
            Some(errors),
            html! {
                @if let Some(msg) = message { (notice(msg)) }
                (back_link(&format!("/collaborations/{id}"), "Back to the collaboration"))
                span.caption { (c.title) }
                h1 { "Who is responsible for what" }
                p.lead { "For each of the collaboration's key functions, say which organisation does the work, which answers for it, who is asked first and who is kept informed." }
                ul {
                    @for r in Raci::ALL { li { strong { (r.label()) } ": " (r.hint()) } }
                }
                @if stale {
                    div.error-summary role="alert" aria-labelledby="stale-title" tabindex="-1" {
                        h2 #stale-title { "Someone else saved the matrix first" }
                        p { (stale_message(m)) }
                        p { "This is the matrix as it is now. Your choices are still in the form below: save again to replace theirs with yours." }
                        (matrix_table(m, "current-caption", "The matrix as it is now"))
                    }
                }
                (status(m))
                @if v.can_contribute {
                    h2 { "The matrix" }
                    (matrix_form(ctx, &v, &form, errors))
                    h2 #add-function { "Add a function" }
                    p { "Add a function of your own, such as volunteers or premises." }
                    form method="post" action={ "/collaborations/" (id) "/responsibilities/functions" } novalidate {
                        (csrf_field(&ctx.csrf))
                        (Input::text("name", "Name of the function", function_name).render(errors))
                        button.button.secondary type="submit" { "Add the function" }
                    }
                } @else {
                    (matrix_table(m, "matrix-caption", "Who does what"))
                    p { "Your organisation observes this collaboration, so you can read this but not change it." }
                }
            },
        ),
    ))
}

pub async fn index(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
    Q(q): Q<DoneQuery>,
) -> Result<Response, AppError> {
    show_page(
        &state,
        &viewer,
        &ctx,
        id,
        Shown {
            status: StatusCode::OK,
            form: None,
            errors: &FieldErrors::new(),
            stale: false,
            done: &q.done,
            function_name: "",
        },
    )
    .await
}

pub async fn save(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
    PageForm(pairs): PageForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let form = MatrixForm::from_pairs(pairs);
    let version = form.version.trim().parse().ok();
    let none = FieldErrors::new();
    match actions::responsibilities::save_matrix(
        &state,
        &viewer.actor(),
        id,
        version,
        &form.input(),
    )
    .await
    {
        Ok(MatrixUpdate::Saved(_)) => Ok(Redirect::to(&format!(
            "/collaborations/{id}/responsibilities?done=saved"
        ))
        .into_response()),
        Ok(MatrixUpdate::Stale(_)) => {
            show_page(
                &state,
                &viewer,
                &ctx,
                id,
                Shown {
                    status: StatusCode::CONFLICT,
                    form: Some(&form),
                    errors: &none,
                    stale: true,
                    done: "",
                    function_name: "",
                },
            )
            .await
        }
        Err(AppError::Invalid(errors)) => {
            show_page(
                &state,
                &viewer,
                &ctx,
                id,
                Shown {
                    status: StatusCode::UNPROCESSABLE_ENTITY,
                    form: Some(&form),
                    errors: &errors,
                    stale: false,
                    done: "",
                    function_name: "",
                },
            )
            .await
        }
        Err(e) => Err(e),
    }
}

pub async fn add_function(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P(id): P<i64>,
    PageForm(form): PageForm<FunctionForm>,
) -> Result<Response, AppError> {
    match actions::responsibilities::add_function(&state, &viewer.actor(), id, &form.name).await {
        Ok(_) => Ok(
            Redirect::to(&format!("/collaborations/{id}/responsibilities?done=added"))
                .into_response(),
        ),
        Err(AppError::Invalid(errors)) => {
            show_page(
                &state,
                &viewer,
                &ctx,
                id,
                Shown {
                    status: StatusCode::UNPROCESSABLE_ENTITY,
                    form: None,
                    errors: &errors,
                    stale: false,
                    done: "",
                    function_name: &form.name,
                },
            )
            .await
        }
        Err(e) => Err(e),
    }
}

pub async fn remove_function_confirm(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    P((id, function_id)): P<(i64, i64)>,
) -> Result<Response, AppError> {
    let (c, f) =
        actions::responsibilities::function_for_removal(&state, &viewer.actor(), id, function_id)
            .await?;
    Ok(render(
        StatusCode::OK,
        page(
            &ctx,
            &format!("Remove {}?", f.name),
            None,
            html! {
                (back_link(&format!("/collaborations/{id}/responsibilities"), "Back to responsibilities"))
                span.caption { (c.title) }
                h1 { "Remove \u{201c}" (f.name) "\u{201d} from the matrix?" }
                p { "Who was responsible, accountable, consulted or informed for it will be gone too." }
                form method="post" action={ "/collaborations/" (id) "/responsibilities/functions/" (function_id) "/remove" } {
                    (csrf_field(&ctx.csrf))
                    button.button.warning type="submit" { "Remove " (f.name) }
                }
                p { a href={ "/collaborations/" (id) "/responsibilities" } { "No, keep it" } }
            },
        ),
    ))
}

pub async fn remove_function(
    State(state): State<AppState>,
    SignedIn(viewer, _): SignedIn,
    P((id, function_id)): P<(i64, i64)>,
) -> Result<Response, AppError> {
    actions::responsibilities::remove_function(&state, &viewer.actor(), id, function_id).await?;
    Ok(Redirect::to(&format!(
        "/collaborations/{id}/responsibilities?done=removed"
    ))
    .into_response())
}
