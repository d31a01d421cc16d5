//! Creating an account, signing in and out, resetting a password, and the
//! settings page with personal access tokens.

use super::layout::{
    self, Input, csrf_field, form_status, notice, page, render, table_scroll, when,
};
use super::safe_next;
use crate::AppState;
use crate::actions;
use crate::auth::{ClientAddress, SESSION_COOKIE, SignedIn, Visitor, set_cookie};
use crate::error::AppError;
use crate::extract::{P, PageForm, Q};
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use commonground_domain::FieldErrors;
use commonground_store::accounts::SESSION_IDLE_SECONDS;
use maud::html;
use serde::Deserialize;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SignUpForm {
    email: String,
    name: String,
    password: String,
}

pub async fn sign_up_form(Visitor(ctx): Visitor) -> Response {
    if ctx.viewer.is_some() {
        return Redirect::to("/").into_response();
    }
    sign_up_page(&ctx, &SignUpForm::default(), &FieldErrors::new())
}

fn sign_up_page(
    ctx: &crate::auth::PageContext,
    form: &SignUpForm,
    errors: &FieldErrors,
) -> Response {
    render(
        form_status(errors),
        page(
            ctx,
            "Create an account",
            Some(errors),
            html! {
                h1 { "Create an account" }
                p.lead { "Your account is personal. Once you have one, you can add your organisation or join it when a colleague invites you." }
                form method="post" action="/sign-up" novalidate {
                    (csrf_field(&ctx.csrf))
                    (Input::text("name", "Your name", &form.name).autocomplete("name").render(errors))
                    (Input::text("email", "Email address", &form.email).kind("email").autocomplete("email")
                        .hint("We use this to sign you in and to send you invitations.").render(errors))
                    (Input::text("password", "Password", "").kind("password").autocomplete("new-password")
                        .hint("At least 10 characters. A few ordinary words together make a strong password.").render(errors))
                    button.button type="submit" { "Create account" }
                }
                p { "Already have an account? " a href="/sign-in" { "Sign in" } }
            },
        ),
    )
}

pub async fn sign_up(
    State(state): State<AppState>,
    Visitor(ctx): Visitor,
    ClientAddress(address): ClientAddress,
    PageForm(form): PageForm<SignUpForm>,
) -> Result<Response, AppError> {
    match actions::accounts::sign_up(&state, &form.email, &form.name, &form.password, &address)
        .await
    {
        Ok(user) => {
            let token = actions::accounts::create_session(&state, &user).await?;
            Ok(signed_in_redirect(&state, &token, "/"))
        }
        Err(AppError::Invalid(errors)) => Ok(sign_up_page(&ctx, &form, &errors)),
        Err(e) => Err(e),
    }
}

fn signed_in_redirect(state: &AppState, token: &str, to: &str) -> Response {
    let mut response = Redirect::to(to).into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(state, SESSION_COOKIE, token, SESSION_IDLE_SECONDS),
    );
    response
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SignInForm {
    email: String,
    password: String,
    next: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NextQuery {
    next: String,
}

pub async fn sign_in_form(Visitor(ctx): Visitor, Q(query): Q<NextQuery>) -> Response {
    if ctx.viewer.is_some() {
        return Redirect::to(&safe_next(Some(&query.next))).into_response();
    }
    sign_in_page(
        &ctx,
        &SignInForm {
            next: query.next,
            ..Default::default()
        },
        &FieldErrors::new(),
    )
}

fn sign_in_page(
    ctx: &crate::auth::PageContext,
    form: &SignInForm,
    errors: &FieldErrors,
) -> Response {
    render(
        form_status(errors),
        page(
            ctx,
            "Sign in",
            Some(errors),
            html! {
                h1 { "Sign in" }
                form method="post" action="/sign-in" novalidate {
                    (csrf_field(&ctx.csrf))
                    input type="hidden" name="next" value=(safe_next(Some(&form.next)));
                    (Input::text("email", "Email address", &form.email).kind("email").autocomplete("email").render(errors))
                    (Input::text("password", "Password", "").kind("password").autocomplete("current-password").render(errors))
                    button.button type="submit" { "Sign in" }
                }
                p { a href="/password-reset" { "Forgotten your password?" } }
                p { "New to Common Ground? " a href="/sign-up" { "Create an account" } }
            },
        ),
    )
}

pub async fn sign_in(
    State(state): State<AppState>,
    Visitor(ctx): Visitor,
    ClientAddress(address): ClientAddress,
    PageForm(form): PageForm<SignInForm>,
) -> Result<Response, AppError> {
    match actions::accounts::check_password(&state, &form.email, &form.password, &address).await {
        Ok(user) => {
            if let Some(old) = ctx.viewer {
                actions::accounts::end_session(&state, &old.session_token).await?;
            }
            let token = actions::accounts::create_session(&state, &user).await?;
            Ok(signed_in_redirect(
                &state,
                &token,
                &safe_next(Some(&form.next)),
            ))
        }
        Err(AppError::Invalid(errors)) => Ok(sign_in_page(&ctx, &form, &errors)),
        Err(e) => Err(e),
    }
}

pub async fn sign_out(
    State(state): State<AppState>,
    Visitor(ctx): Visitor,
) -> Result<Response, AppError> {
    if let Some(viewer) = ctx.viewer {
        actions::accounts::end_session(&state, &viewer.session_token).await?;
    }
    let mut response = Redirect::to("/sign-in").into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(&state, SESSION_COOKIE, "", 0),
    );
    Ok(response)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ResetRequestForm {
    email: String,
}

pub async fn reset_request_form(Visitor(ctx): Visitor) -> Response {
    reset_request_page(&ctx, "", &FieldErrors::new())
}

fn reset_request_page(
    ctx: &crate::auth::PageContext,
    email: &str,
    errors: &FieldErrors,
) -> Response {
    render(
        form_status(errors),
        page(
            ctx,
            "Reset your password",
            Some(errors),
            html! {
                h1 { "Reset your password" }
                p { "Enter the email address of your account. We will send a link to choose a new password. The link works for one hour." }
                form method="post" action="/password-reset" novalidate {
                    (csrf_field(&ctx.csrf))
                    (Input::text("email", "Email address", email).kind("email").autocomplete("email").render(errors))
                    button.button type="submit" { "Send the link" }
                }
            },
        ),
    )
}

pub async fn reset_request(
    State(state): State<AppState>,
    Visitor(ctx): Visitor,
    PageForm(form): PageForm<ResetRequestForm>,
) -> Result<Response, AppError> {
    match actions::accounts::request_password_reset(&state, &form.email).await {
        Ok(()) => Ok(layout::ok(page(
            &ctx,
            "Check your email",
            None,
            html! {
                h1 { "Check your email" }
                p.lead { "If there is an account for " strong { (form.email.trim()) } ", we have sent it a link to reset the password." }
                p { "The link works for one hour. If nothing arrives, check your spam folder, or " a href="/password-reset" { "ask again" } "." }
            },
        ))),
        Err(AppError::Invalid(errors)) => Ok(reset_request_page(&ctx, &form.email, &errors)),
        Err(e) => Err(e),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ResetForm {
    password: String,
}

pub async fn reset_form(
    State(state): State<AppState>,
    Visitor(ctx): Visitor,
    P(token): P<String>,
) -> Result<Response, AppError> {
    if !actions::accounts::password_reset_is_live(&state, &token).await? {
        return Ok(expired_reset(&ctx));
    }
    Ok(reset_page(&ctx, &token, &FieldErrors::new()))
}

fn expired_reset(ctx: &crate::auth::PageContext) -> Response {
    render(
        StatusCode::GONE,
        page(
            ctx,
            "This link has expired",
            None,
            html! {
                h1 { "This link has expired" }
                p { "Reset links work once, for one hour. " a href="/password-reset" { "Ask for a new link" } "." }
            },
        ),
    )
}

fn reset_page(ctx: &crate::auth::PageContext, token: &str, errors: &FieldErrors) -> Response {
    render(
        form_status(errors),
        page(
            ctx,
            "Choose a new password",
            Some(errors),
            html! {
                h1 { "Choose a new password" }
                form method="post" action={ "/password-reset/" (token) } novalidate {
                    (csrf_field(&ctx.csrf))
                    (Input::text("password", "New password", "").kind("password").autocomplete("new-password")
                        .hint("At least 10 characters.").render(errors))
                    button.button type="submit" { "Save password" }
                }
            },
        ),
    )
}

pub async fn reset(
    State(state): State<AppState>,
    Visitor(ctx): Visitor,
    P(token): P<String>,
    PageForm(form): PageForm<ResetForm>,
) -> Result<Response, AppError> {
    match actions::accounts::reset_password(&state, &token, &form.password).await {
        Ok(user) => {
            let session = actions::accounts::create_session(&state, &user).await?;
            Ok(signed_in_redirect(&state, &session, "/settings?reset=1"))
        }
        Err(AppError::Invalid(errors)) => Ok(reset_page(&ctx, &token, &errors)),
        Err(AppError::Conflict(_)) => Ok(expired_reset(&ctx)),
        Err(e) => Err(e),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SettingsQuery {
    reset: String,
    revoked: String,
}

pub async fn settings(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    Q(query): Q<SettingsQuery>,
) -> Result<Response, AppError> {
    let tokens = actions::accounts::api_tokens(&state, &viewer.user).await?;
    Ok(settings_page(
        &ctx,
        &viewer.user,
        &tokens,
        None,
        "",
        &FieldErrors::new(),
        &query,
    ))
}

fn settings_page(
    ctx: &crate::auth::PageContext,
    user: &commonground_store::accounts::User,
    tokens: &[commonground_store::accounts::ApiToken],
    new_secret: Option<&str>,
    label: &str,
    errors: &FieldErrors,
    query: &SettingsQuery,
) -> Response {
    render(
        form_status(errors),
        page(
            ctx,
            "Settings",
            Some(errors),
            html! {
                @if !query.reset.is_empty() { (notice("Your password has been changed. You have been signed out everywhere else.")) }
                @if !query.revoked.is_empty() { (notice("The token has been revoked. It no longer works.")) }
                h1 { "Settings" }
                h2 { "Your account" }
                dl.summary-list {
                    div { dt { "Name" } dd { (user.name) } }
                    div { dt { "Email address" } dd { (user.email) } }
                }
                p { a href="/password-reset" { "Change your password" } " (we email you a link)." }
                (super::export::account_block())
                h2 #tokens { "Personal access tokens" }
                p { "A token lets a script or another program use the Common Ground API as you. Treat it like a password. Send it as " code { "Authorization: Bearer <token>" } "." }
                @if let Some(secret) = new_secret {
                    div.notice role="status" {
                        p { strong { "Copy your new token now. " } "It will not be shown again." }
                        p { code.token { (secret) } }
                    }
                }
                form method="post" action="/settings/tokens" novalidate {
                    (csrf_field(&ctx.csrf))
                    (Input::text("label", "Token name", label).hint("Say what it is for, like \u{201c}monthly report script\u{201d}.").render(errors))
                    button.button.secondary type="submit" { "Create token" }
                }
                @if tokens.is_empty() {
                    p { "You have no tokens." }
                } @else {
                    (table_scroll("tokens-caption", html! {
                        table.table {
                            caption.visually-hidden id="tokens-caption" { "Your tokens" }
                            thead { tr { th scope="col" { "Name" } th scope="col" { "Created" } th scope="col" { "Last used" } th scope="col" { "Status" } } }
                            tbody {
                                @for t in tokens {
                                    tr {
                                        td { (t.label) }
                                        td { (when(t.created_at)) }
                                        td { @if let Some(u) = t.last_used_at { (when(u)) } @else { "Never" } }
                                        td {
                                            @if t.revoked_at.is_some() { "Revoked" } @else {
                                                form.inline method="post" action={ "/settings/tokens/" (t.id) "/revoke" } {
                                                    (csrf_field(&ctx.csrf))
                                                    button.button.warning.small type="submit" { "Revoke" span.visually-hidden { " " (t.label) } }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }))
                }
            },
        ),
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TokenForm {
    label: String,
}

pub async fn create_token(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    PageForm(form): PageForm<TokenForm>,
) -> Result<Response, AppError> {
    let q = SettingsQuery::default();
    match actions::accounts::create_api_token(&state, &viewer.user, &form.label).await {
        Ok((_, secret)) => {
            let tokens = actions::accounts::api_tokens(&state, &viewer.user).await?;
            Ok(settings_page(
                &ctx,
                &viewer.user,
                &tokens,
                Some(&secret),
                "",
                &FieldErrors::new(),
                &q,
            ))
        }
        Err(AppError::Invalid(errors)) => {
            let tokens = actions::accounts::api_tokens(&state, &viewer.user).await?;
            Ok(settings_page(
                &ctx,
                &viewer.user,
                &tokens,
                None,
                &form.label,
                &errors,
                &q,
            ))
        }
        Err(e) => Err(e),
    }
}

pub async fn revoke_token(
    State(state): State<AppState>,
    SignedIn(viewer, _): SignedIn,
    P(id): P<i64>,
) -> Result<Response, AppError> {
    actions::accounts::revoke_api_token(&state, &viewer.user, id).await?;
    Ok(Redirect::to("/settings?revoked=1").into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ActingForm {
    organisation_id: String,
    next: String,
}

pub async fn acting_for(
    State(state): State<AppState>,
    SignedIn(viewer, _): SignedIn,
    PageForm(form): PageForm<ActingForm>,
) -> Result<Response, AppError> {
    let id: i64 = form
        .organisation_id
        .trim()
        .parse()
        .map_err(|_| AppError::NotFound)?;
    actions::accounts::set_acting_organisation(&state, &viewer.actor(), &viewer.session_token, id)
        .await?;
    Ok(Redirect::to(&safe_next(Some(&form.next))).into_response())
}

// --- deleting an account --------------------------------------------------

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DeleteAccountForm {
    password: String,
}

pub async fn delete_account_form(SignedIn(_, ctx): SignedIn) -> Response {
    delete_account_page(&ctx, &FieldErrors::new(), None)
}

fn delete_account_page(
    ctx: &crate::auth::PageContext,
    errors: &FieldErrors,
    refusal: Option<&str>,
) -> Response {
    let status = if refusal.is_some() {
        StatusCode::CONFLICT
    } else {
        form_status(errors)
    };
    render(
        status,
        page(
            ctx,
            "Delete your account",
            Some(errors),
            html! {
                h1 { "Delete your account" }
                @if let Some(why) = refusal {
                    div.error-summary role="alert" aria-labelledby="refused-title" tabindex="-1" {
                        h2 #refused-title { "Your account has not been deleted" }
                        p { (why) }
                    }
                }
                p { "Deleting your account cannot be undone." }
                h2 { "What goes" }
                ul {
                    li { "Your name, email address and password." }
                    li { "Everywhere you are signed in, and your access tokens and calendar feeds." }
                    li { "Your notifications and how they reach you." }
                    li { "Your membership of your organisations." }
                }
                h2 { "What stays" }
                p { "What you wrote for collaborations stays, because your partners rely on it: tasks, comments, votes, decisions, lessons and the audit trail. It is shown as written by \u{201c}a former member of\u{201d} your organisation, without your name. Your health check answers stay only inside the results, as before." }
                p { "If you are the only admin of an organisation, make someone else an admin first. You can " a href="/account/export.json" download { "download your data" } " before you go." }
                form method="post" action="/account/delete" novalidate {
                    (csrf_field(&ctx.csrf))
                    (Input::text("password", "Your password", "").kind("password").autocomplete("current-password")
                        .hint("To confirm that it is you.").render(errors))
                    button.button.warning type="submit" { "Delete my account" }
                }
                p { a href="/settings" { "Keep my account and go back to settings" } }
            },
        ),
    )
}

pub async fn delete_account(
    State(state): State<AppState>,
    SignedIn(viewer, ctx): SignedIn,
    PageForm(form): PageForm<DeleteAccountForm>,
) -> Result<Response, AppError> {
    match actions::accounts::delete_account(&state, &viewer.user, &form.password).await {
        Ok(()) => {
            let mut response = render(
                StatusCode::OK,
                page(
                    &crate::auth::PageContext {
                        viewer: None,
                        organisations: Vec::new(),
                        ..ctx
                    },
                    "Your account has been deleted",
                    None,
                    html! {
                        h1 { "Your account has been deleted" }
                        p { "You have been signed out everywhere. What you wrote for collaborations stays, without your name." }
                        p { a href="/" { "Go to the home page" } }
                    },
                ),
            );
            response.headers_mut().append(
                header::SET_COOKIE,
                set_cookie(&state, SESSION_COOKIE, "", 0),
            );
            Ok(response)
        }
        Err(AppError::Invalid(errors)) => Ok(delete_account_page(&ctx, &errors, None)),
        Err(AppError::Conflict(why)) => {
            Ok(delete_account_page(&ctx, &FieldErrors::new(), Some(&why)))
        }
        Err(e) => Err(e),
    }
}
