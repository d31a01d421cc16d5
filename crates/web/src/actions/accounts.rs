//! Accounts: sign-up, sign-in, sessions, password resets and access tokens.

use super::*;
use crate::AppState;
use crate::auth::Actor;
use crate::error::AppError;
use crate::passwords;
use commonground_domain::FieldErrors;
use commonground_domain::values::{Email, Password, PersonName, required_line};
use commonground_store::accounts::{ApiToken, User};

/// Sign-in failures allowed per account, and per address, in the window.
pub const SIGN_IN_ACCOUNT_LIMIT: i64 = 10;
pub const SIGN_IN_ADDRESS_LIMIT: i64 = 50;
pub const SIGN_IN_WINDOW: i64 = 15 * 60;
/// Accounts one address may create per hour.
pub const SIGN_UP_ADDRESS_LIMIT: i64 = 20;
/// Reset emails one account may be sent per hour.
pub const RESET_LIMIT: i64 = 5;

// --- accounts -----------------------------------------------------------

pub async fn sign_up(
    state: &AppState,
    email: &str,
    name: &str,
    password: &str,
    address: &str,
) -> Result<User, AppError> {
    let mut errors = FieldErrors::new();
    let email = errors.take(Email::parse("email", email));
    let name = errors.take(PersonName::parse("name", name));
    let password = errors.take(Password::parse(
        "password",
        password,
        email.as_ref().map(|e| e.as_str()),
    ));
    errors.clone().into_result()?;
    let (Some(email), Some(name), Some(password)) = (email, name, password) else {
        return Err(AppError::Invalid(errors));
    };
    let now = state.clock.now();
    {
        let mut tx = state.store.read().await?;
        if tx
            .count_failed_sign_ins("signup", address, now - 3600)
            .await?
            >= SIGN_UP_ADDRESS_LIMIT
        {
            return Err(AppError::TooManyRequests(3600));
        }
        if tx.user_by_email(email.as_str()).await?.is_some() {
            return Err(AppError::invalid(
                "email",
                "There is already an account with this email address. Sign in, or reset your password.",
            ));
        }
    }
    let hash = passwords::hash(password.expose().to_string()).await?;
    let mut tx = state.store.write().await?;
    let user = match tx
        .create_user(email.as_str(), name.as_str(), &hash, false, now)
        .await
    {
        Ok(u) => u,
        Err(e) if e.is_conflict_on("email") => {
            return Err(AppError::invalid(
                "email",
                "There is already an account with this email address. Sign in, or reset your password.",
            ));
        }
        Err(e) => return Err(e.into()),
    };
    tx.record_failed_sign_in("signup", address, now).await?;
    tx.commit().await?;
    Ok(user)
}

/// Checks an email and password, with limits per account and per address
/// kept in the database so they hold across servers.
pub async fn check_password(
    state: &AppState,
    email: &str,
    password: &str,
    address: &str,
) -> Result<User, AppError> {
    let email = email.trim().to_lowercase();
    let mut errors = FieldErrors::new();
    if email.is_empty() {
        errors.add("email", "Enter your email address.");
    }
    if password.is_empty() {
        errors.add("password", "Enter your password.");
    }
    if email.chars().count() > 254
        || password.chars().count() > commonground_domain::values::PASSWORD_MAX
        || email.chars().any(char::is_control)
    {
        errors.add(
            "email",
            "The email address or password is not right. Check them and try again.",
        );
    }
    errors.into_result()?;
    let now = state.clock.now();
    let since = now - SIGN_IN_WINDOW;
    let mut tx = state.store.read().await?;
    if tx.count_failed_sign_ins("account", &email, since).await? >= SIGN_IN_ACCOUNT_LIMIT
        || tx.count_failed_sign_ins("address", address, since).await? >= SIGN_IN_ADDRESS_LIMIT
    {
        return Err(AppError::TooManyRequests(SIGN_IN_WINDOW));
    }
    let credentials = tx.credentials(&email).await?;
    drop(tx);
    let ok = passwords::verify(
        password.to_string(),
        credentials.as_ref().map(|c| c.password_hash.clone()),
    )
    .await;
    let mut tx = state.store.write().await?;
    match (ok, credentials) {
        (true, Some(c)) => {
            tx.clear_failed_sign_ins("account", &email).await?;
            let user = tx.user(c.id).await?.ok_or(AppError::Unauthenticated)?;
            tx.commit().await?;
            Ok(user)
        }
        _ => {
            tx.record_failed_sign_in("account", &email, now).await?;
            tx.record_failed_sign_in("address", address, now).await?;
            tx.commit().await?;
            Err(AppError::invalid(
                "email",
                "The email address or password is not right. Check them and try again, or reset your password.",
            ))
        }
    }
}

pub async fn create_session(state: &AppState, user: &User) -> Result<String, AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let first_org = tx.organisations_of(user.id).await?.first().map(|o| o.id);
    let token = tx.create_session(user.id, first_org, now).await?;
    tx.commit().await?;
    Ok(token)
}

pub async fn end_session(state: &AppState, token: &str) -> Result<(), AppError> {
    let mut tx = state.store.write().await?;
    tx.delete_session(token).await?;
    tx.commit().await?;
    Ok(())
}

/// Chooses which of their organisations a person acts for.
pub async fn set_acting_organisation(
    state: &AppState,
    actor: &Actor,
    session_token: &str,
    organisation_id: i64,
) -> Result<(), AppError> {
    let mut tx = state.store.write().await?;
    tx.org_scope(actor.user.id, organisation_id)
        .await?
        .ok_or(AppError::NotFound)?;
    tx.set_acting_organisation(session_token, Some(organisation_id))
        .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn request_password_reset(state: &AppState, email: &str) -> Result<(), AppError> {
    let email = Email::parse("email", email).map_err(|e| AppError::invalid(&e.field, e.message))?;
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let Some(user) = tx.user_by_email(email.as_str()).await? else {
        // Same answer whether or not there is an account.
        return Ok(());
    };
    if tx
        .count_failed_sign_ins("reset", email.as_str(), now - 3600)
        .await?
        >= RESET_LIMIT
    {
        return Ok(());
    }
    tx.record_failed_sign_in("reset", email.as_str(), now)
        .await?;
    let token = tx.create_password_reset(user.id, now).await?;
    tx.commit().await?;
    let link = state.config.link(&format!("/password-reset/{token}"));
    notify(
        state,
        &user.email,
        "Reset your Common Ground password",
        format!(
            "Hello {},\n\nSomeone asked to reset the password for your Common Ground account.\n\n\
             To choose a new password, open this link within the next hour:\n{link}\n\n\
             The link works once. If you did not ask for this, you can ignore this email: your password has not changed.\n",
            user.name
        ),
    )
    .await;
    Ok(())
}

pub async fn password_reset_is_live(state: &AppState, token: &str) -> Result<bool, AppError> {
    let mut tx = state.store.read().await?;
    Ok(tx
        .password_reset_user(token, state.clock.now())
        .await?
        .is_some())
}

/// Sets a new password from a reset link, and signs the person out everywhere.
pub async fn reset_password(
    state: &AppState,
    token: &str,
    password: &str,
) -> Result<User, AppError> {
    let now = state.clock.now();
    let user_id = {
        let mut tx = state.store.read().await?;
        tx.password_reset_user(token, now).await?.ok_or_else(|| {
            AppError::Conflict(
                "This reset link has expired or has already been used. Ask for a new one.".into(),
            )
        })?
    };
    let user = {
        let mut tx = state.store.read().await?;
        tx.user(user_id).await?.ok_or(AppError::NotFound)?
    };
    let password = Password::parse("password", password, Some(&user.email))
        .map_err(|e| AppError::invalid(&e.field, e.message))?;
    let hash = passwords::hash(password.expose().to_string()).await?;
    let mut tx = state.store.write().await?;
    if tx.consume_password_reset(token, now).await?.is_none() {
        return Err(AppError::Conflict(
            "This reset link has expired or has already been used. Ask for a new one.".into(),
        ));
    }
    tx.set_password(user.id, &hash).await?;
    tx.delete_sessions_of(user.id).await?;
    tx.clear_failed_sign_ins("account", &user.email).await?;
    tx.commit().await?;
    Ok(user)
}

// --- access tokens -------------------------------------------------------

pub fn parse_token_label(raw: &str) -> Result<String, AppError> {
    required_line("label", "a name for the token", raw, 1, 100)
        .map_err(|e| AppError::invalid(&e.field, e.message))
}

pub async fn create_api_token(
    state: &AppState,
    user: &User,
    label: &str,
) -> Result<(ApiToken, String), AppError> {
    let label = parse_token_label(label)?;
    let mut tx = state.store.write().await?;
    let created = tx
        .create_api_token(user.id, &label, state.clock.now())
        .await?;
    tx.commit().await?;
    Ok(created)
}

pub async fn api_tokens(state: &AppState, user: &User) -> Result<Vec<ApiToken>, AppError> {
    let mut tx = state.store.read().await?;
    Ok(tx.api_tokens(user.id).await?)
}

pub async fn revoke_api_token(
    state: &AppState,
    user: &User,
    token_id: i64,
) -> Result<(), AppError> {
    let mut tx = state.store.write().await?;
    if !tx
        .revoke_api_token(user.id, token_id, state.clock.now())
        .await?
    {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    Ok(())
}

// --- deleting an account --------------------------------------------------

/// Deletes the person's own account once they confirm their password.
/// Their sign-ins, tokens, calendar feeds, notifications, settings and
/// personal details go; what they wrote stays, under "a former member of
/// <organisation>". The last admin of an organisation is refused (409)
/// until someone else is an admin there.
pub async fn delete_account(state: &AppState, user: &User, password: &str) -> Result<(), AppError> {
    if password.is_empty() {
        return Err(AppError::invalid(
            "password",
            "Enter your password to confirm that you want to delete your account.",
        ));
    }
    let now = state.clock.now();
    let email = user.email.to_lowercase();
    let stored = {
        let mut tx = state.store.read().await?;
        if tx
            .count_failed_sign_ins("account", &email, now - SIGN_IN_WINDOW)
            .await?
            >= SIGN_IN_ACCOUNT_LIMIT
        {
            return Err(AppError::TooManyRequests(SIGN_IN_WINDOW));
        }
        tx.password_hash_of(user.id).await?
    };
    let password = password
        .chars()
        .take(commonground_domain::values::PASSWORD_MAX + 1);
    if !passwords::verify(password.collect(), stored).await {
        let mut tx = state.store.write().await?;
        tx.record_failed_sign_in("account", &email, now).await?;
        tx.commit().await?;
        return Err(AppError::invalid(
            "password",
            "That is not your password. Type the password you sign in with, or reset it first.",
        ));
    }
    let mut tx = state.store.write().await?;
    let sole = tx.sole_admin_of(user.id).await?;
    if !sole.is_empty() {
        return Err(AppError::Conflict(format!(
            "You are the only admin of {}. Make someone else an admin there first, or remove the \
             organisation, then delete your account.",
            and_list(&sole)
        )));
    }
    let organisations = tx.organisations_of(user.id).await?;
    tx.delete_account(user.id).await?;
    // Each organisation's audit trail says a member left this way, without
    // their name.
    for o in &organisations {
        let wording = commonground_store::accounts::former_member_of(Some(&o.name));
        tx.record(commonground_store::audit::NewAuditEvent {
            user_id: Some(user.id),
            user_name: &wording,
            acting_organisation_id: Some(o.id),
            acting_organisation_name: &o.name,
            organisation_id: Some(o.id),
            collaboration_id: None,
            action: "account.deleted",
            summary: "A member deleted their account. What they wrote stays, under \u{201c}a former member\u{201d}.".to_string(),
            at: now,
        })
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// "A", "A and B", "A, B and C".
fn and_list(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}
