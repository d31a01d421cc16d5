//! What people can do, shared by the pages and the API: parse, authorise,
//! apply through the store in one transaction with its audit record, then
//! notify. Handlers only translate requests and render results.

use crate::AppState;
use crate::auth::Actor;
use crate::error::AppError;
use crate::passwords;
use commonground_domain::FieldErrors;
use commonground_domain::collaboration::{
    CollaborationDetails, InvitationStatus, ParticipantRole, parse_invitation_message,
};
use commonground_domain::organisation::{OrgRole, Profile, ProfileInput, check_keeps_an_admin};
use commonground_domain::policy::{
    CollabAction, OrgAction, check_keeps_a_lead, may_collab, may_org,
};
use commonground_domain::stage::{Stage, StageMove};
use commonground_domain::values::{Email, Password, PersonName, required_line};
use commonground_store::audit::{AuditEvent, NewAuditEvent};
use commonground_store::collaborations::{
    CollabInvitation, CollabScope, CollabSummary, Collaboration, InviteProblem, Participant,
};
use commonground_store::organisations::{
    InvitationProblem, Member, MemberInvitation, MyOrganisation, OrgRef, OrgScope, Organisation,
    member_invitation_usable,
};
use commonground_store::users::{ApiToken, User};
use commonground_store::{StoreError, Tx};

/// Sign-in failures allowed per account, and per address, in the window.
pub const SIGN_IN_ACCOUNT_LIMIT: i64 = 10;
pub const SIGN_IN_ADDRESS_LIMIT: i64 = 50;
pub const SIGN_IN_WINDOW: i64 = 15 * 60;
/// Accounts one address may create per hour.
pub const SIGN_UP_ADDRESS_LIMIT: i64 = 20;
/// Reset emails one account may be sent per hour.
pub const RESET_LIMIT: i64 = 5;

// --- helpers ------------------------------------------------------------

async fn org_name(tx: &mut Tx, id: i64) -> Result<String, AppError> {
    Ok(tx
        .organisation_ref(id)
        .await?
        .map(|o| o.name)
        .unwrap_or_default())
}

struct Audit<'a> {
    actor: &'a Actor,
    acting_org: Option<(i64, String)>,
    organisation_id: Option<i64>,
    collaboration_id: Option<i64>,
    now: i64,
}

impl Audit<'_> {
    async fn record(&self, tx: &mut Tx, action: &str, summary: String) -> Result<(), AppError> {
        tx.record(NewAuditEvent {
            user_id: Some(self.actor.user.id),
            user_name: &self.actor.user.name,
            acting_organisation_id: self.acting_org.as_ref().map(|o| o.0),
            acting_organisation_name: self.acting_org.as_ref().map(|o| o.1.as_str()).unwrap_or(""),
            organisation_id: self.organisation_id,
            collaboration_id: self.collaboration_id,
            action,
            summary,
            at: self.now,
        })
        .await?;
        Ok(())
    }
}

/// Sends an email after the change is committed. A failure is logged and
/// does not undo the change: the person can see the result on the site.
async fn notify(state: &AppState, to: &str, subject: &str, body: String) {
    if let Err(e) = state.mailer.send(to, subject, body).await {
        tracing::warn!(error = %e, %to, "could not send email");
    }
}

fn parse_role(field: &str, raw: &str) -> Result<OrgRole, AppError> {
    OrgRole::parse_code(raw).ok_or_else(|| AppError::invalid(field, "Choose admin or member."))
}

fn parse_participant_role(field: &str, raw: &str) -> Result<ParticipantRole, AppError> {
    ParticipantRole::parse_code(raw)
        .ok_or_else(|| AppError::invalid(field, "Choose lead, partner, observer or facilitator."))
}

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

// --- organisations -------------------------------------------------------

fn number_taken(e: &StoreError, profile: &Profile) -> Option<AppError> {
    if e.is_conflict_on("org_identifier") {
        let field = if profile.charity_number.is_some() {
            "charity_number"
        } else {
            "company_number"
        };
        return Some(AppError::invalid(
            field,
            format!(
                "An organisation with this number ({}) is already on Common Ground. Ask one of its admins to invite you.",
                profile.org_identifier.clone().unwrap_or_default()
            ),
        ));
    }
    None
}

pub async fn create_organisation(
    state: &AppState,
    actor: &Actor,
    input: &ProfileInput,
) -> Result<Organisation, AppError> {
    let profile = Profile::parse(input)?;
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let org = match tx.create_organisation(&profile, actor.user.id, now).await {
        Ok(org) => org,
        Err(e) => return Err(number_taken(&e, &profile).unwrap_or_else(|| e.into())),
    };
    Audit {
        actor,
        acting_org: Some((org.id, org.name.clone())),
        organisation_id: Some(org.id),
        collaboration_id: None,
        now,
    }
    .record(
        &mut tx,
        "organisation.created",
        format!("Created the organisation {}.", org.name),
    )
    .await?;
    tx.commit().await?;
    Ok(org)
}

/// An organisation's profile and the person's role in it, if any.
pub async fn organisation(
    state: &AppState,
    actor: &Actor,
    id: i64,
) -> Result<(Organisation, Option<OrgRole>), AppError> {
    let mut tx = state.store.read().await?;
    let org = tx.organisation(id).await?.ok_or(AppError::NotFound)?;
    let role = tx.org_scope(actor.user.id, id).await?.map(|s| s.role());
    Ok((org, role))
}

/// The person's membership, or not found; then whether the action is allowed.
async fn org_scope_for(
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
    action: OrgAction,
) -> Result<OrgScope, AppError> {
    let scope = tx
        .org_scope(actor.user.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !may_org(Some(scope.role()), action) {
        return Err(AppError::Forbidden(
            "Only admins of this organisation can do that. Ask one of them.".into(),
        ));
    }
    Ok(scope)
}

/// The profile as its edit form starts, for those who may edit it.
pub async fn organisation_for_editing(
    state: &AppState,
    actor: &Actor,
    id: i64,
) -> Result<Organisation, AppError> {
    let mut tx = state.store.read().await?;
    org_scope_for(&mut tx, actor, id, OrgAction::EditProfile).await?;
    tx.organisation(id).await?.ok_or(AppError::NotFound)
}

pub async fn update_organisation(
    state: &AppState,
    actor: &Actor,
    id: i64,
    input: &ProfileInput,
) -> Result<Organisation, AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let scope = org_scope_for(&mut tx, actor, id, OrgAction::EditProfile).await?;
    let profile = Profile::parse(input)?;
    let org = match tx.update_organisation(&scope, &profile, now).await {
        Ok(org) => org,
        Err(e) => return Err(number_taken(&e, &profile).unwrap_or_else(|| e.into())),
    };
    Audit {
        actor,
        acting_org: Some((org.id, org.name.clone())),
        organisation_id: Some(org.id),
        collaboration_id: None,
        now,
    }
    .record(
        &mut tx,
        "organisation.updated",
        "Updated the organisation profile.".into(),
    )
    .await?;
    tx.commit().await?;
    Ok(org)
}

pub async fn my_organisations(
    state: &AppState,
    actor: &Actor,
) -> Result<Vec<MyOrganisation>, AppError> {
    let mut tx = state.store.read().await?;
    Ok(tx.organisations_of(actor.user.id).await?)
}

pub async fn find_organisations(state: &AppState, text: &str) -> Result<Vec<OrgRef>, AppError> {
    if text.chars().count() > 200 {
        return Err(AppError::invalid(
            "q",
            "Search for 200 characters or fewer.",
        ));
    }
    if text.chars().any(char::is_control) {
        return Err(AppError::invalid(
            "q",
            "Search for letters, numbers and punctuation only.",
        ));
    }
    let mut tx = state.store.read().await?;
    Ok(tx.find_organisations(text, 20).await?)
}

pub async fn members(
    state: &AppState,
    actor: &Actor,
    id: i64,
) -> Result<(OrgScope, Vec<Member>), AppError> {
    let mut tx = state.store.read().await?;
    let scope = org_scope_for(&mut tx, actor, id, OrgAction::ViewMembers).await?;
    let members = tx.members(&scope).await?;
    Ok((scope, members))
}

pub async fn invite_member(
    state: &AppState,
    actor: &Actor,
    id: i64,
    email: &str,
    role: &str,
) -> Result<MemberInvitation, AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let scope = org_scope_for(&mut tx, actor, id, OrgAction::ManageMembers).await?;
    let mut errors = FieldErrors::new();
    let email = errors.take(Email::parse("email", email));
    let role = match OrgRole::parse_code(role) {
        Some(r) => Some(r),
        None => {
            errors.add("role", "Choose admin or member.");
            None
        }
    };
    let (Some(email), Some(role)) = (email, role) else {
        return Err(AppError::Invalid(errors));
    };
    if let Some(existing) = tx.user_by_email(email.as_str()).await?
        && tx.member(&scope, existing.id).await?.is_some()
    {
        return Err(AppError::invalid(
            "email",
            format!("{} is already a member.", email.as_str()),
        ));
    }
    let (invitation, token) = tx
        .create_member_invitation(&scope, email.as_str(), role, actor.user.id, now)
        .await?;
    let name = invitation.organisation_name.clone();
    Audit {
        actor,
        acting_org: Some((id, name.clone())),
        organisation_id: Some(id),
        collaboration_id: None,
        now,
    }
    .record(
        &mut tx,
        "member.invited",
        format!(
            "Invited {} to join as {}.",
            email.as_str(),
            role.label().to_lowercase()
        ),
    )
    .await?;
    tx.commit().await?;
    let link = state.config.link(&format!("/join/{token}"));
    notify(
        state,
        email.as_str(),
        &format!("Join {name} on Common Ground"),
        format!(
            "Hello,\n\n{} has invited you to join {name} on Common Ground, where voluntary and community \
             organisations run their collaborations together.\n\nTo accept, open this link within 7 days:\n{link}\n\n\
             If you do not have an account yet, create one with this email address ({}) first; the link will \
             then add you to {name}. The link works once.\n",
            actor.user.name,
            email.as_str()
        ),
    )
    .await;
    Ok(invitation)
}

pub async fn open_member_invitations(
    state: &AppState,
    actor: &Actor,
    id: i64,
) -> Result<Vec<MemberInvitation>, AppError> {
    let mut tx = state.store.read().await?;
    let scope = org_scope_for(&mut tx, actor, id, OrgAction::ManageMembers).await?;
    Ok(tx
        .open_member_invitations(&scope, state.clock.now())
        .await?)
}

pub async fn revoke_member_invitation(
    state: &AppState,
    actor: &Actor,
    id: i64,
    invitation_id: i64,
) -> Result<(), AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let scope = org_scope_for(&mut tx, actor, id, OrgAction::ManageMembers).await?;
    let inv = tx
        .revoke_member_invitation(&scope, invitation_id, now)
        .await?
        .ok_or(AppError::NotFound)?;
    Audit {
        actor,
        acting_org: Some((id, inv.organisation_name.clone())),
        organisation_id: Some(id),
        collaboration_id: None,
        now,
    }
    .record(
        &mut tx,
        "member.invitation_withdrawn",
        format!("Withdrew the invitation to {}.", inv.email),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// An invitation link the person could use now, without using it: the
/// same checks as [`accept_member_invitation`].
pub async fn check_member_invitation(
    state: &AppState,
    actor: &Actor,
    token: &str,
) -> Result<MemberInvitation, AppError> {
    let mut tx = state.store.read().await?;
    let inv = tx
        .member_invitation_by_token(token)
        .await?
        .ok_or(AppError::NotFound)?;
    member_invitation_usable(&inv, &actor.user.email, state.clock.now())
        .map_err(|problem| invitation_problem_message(problem, Some(&inv)))?;
    Ok(inv)
}

pub fn invitation_problem_message(
    problem: InvitationProblem,
    inv: Option<&MemberInvitation>,
) -> AppError {
    let org = inv
        .map(|i| i.organisation_name.as_str())
        .unwrap_or("the organisation");
    match problem {
        InvitationProblem::NotFound => AppError::NotFound,
        InvitationProblem::Expired => AppError::Conflict(format!(
            "This invitation has expired. Invitations last 7 days. Ask an admin of {org} to send a new one."
        )),
        InvitationProblem::AlreadyUsed => {
            AppError::Conflict("This invitation has already been used.".into())
        }
        InvitationProblem::Revoked => AppError::Conflict(format!(
            "This invitation was withdrawn. Ask an admin of {org} if you think that is a mistake."
        )),
        InvitationProblem::WrongPerson => AppError::Forbidden(format!(
            "This invitation was sent to {}. Sign in with that email address to accept it.",
            inv.map(|i| i.email.as_str())
                .unwrap_or("another email address")
        )),
    }
}

pub async fn accept_member_invitation(
    state: &AppState,
    actor: &Actor,
    token: &str,
) -> Result<MemberInvitation, AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let found = tx.member_invitation_by_token(token).await?;
    match tx
        .accept_member_invitation(token, actor.user.id, &actor.user.email, now)
        .await?
    {
        Ok(inv) => {
            Audit {
                actor,
                acting_org: Some((inv.organisation_id, inv.organisation_name.clone())),
                organisation_id: Some(inv.organisation_id),
                collaboration_id: None,
                now,
            }
            .record(
                &mut tx,
                "member.joined",
                format!("Joined as {}.", inv.role.label().to_lowercase()),
            )
            .await?;
            tx.commit().await?;
            Ok(inv)
        }
        Err(problem) => Err(invitation_problem_message(problem, found.as_ref())),
    }
}

pub async fn change_member_role(
    state: &AppState,
    actor: &Actor,
    id: i64,
    user_id: i64,
    role: &str,
) -> Result<Member, AppError> {
    let role = parse_role("role", role)?;
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    tx.lock_organisation(id).await?;
    let scope = org_scope_for(&mut tx, actor, id, OrgAction::ManageMembers).await?;
    let target = tx
        .member(&scope, user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if target.role == OrgRole::Admin && role != OrgRole::Admin {
        check_keeps_an_admin(true, tx.count_admins(id).await?)?;
    }
    tx.set_member_role(&scope, user_id, role).await?;
    let name = org_name(&mut tx, id).await?;
    Audit {
        actor,
        acting_org: Some((id, name)),
        organisation_id: Some(id),
        collaboration_id: None,
        now,
    }
    .record(
        &mut tx,
        "member.role_changed",
        format!("Made {} {}.", target.name, with_article(role.label())),
    )
    .await?;
    tx.commit().await?;
    Ok(Member { role, ..target })
}

fn with_article(label: &str) -> String {
    let lower = label.to_lowercase();
    if lower.starts_with(['a', 'e', 'i', 'o', 'u']) {
        format!("an {lower}")
    } else {
        format!("a {lower}")
    }
}

/// Removes a member, or lets a person leave (when `user_id` is their own).
/// The checks before a member leaves or is removed, shared by the action
/// and the page that asks "are you sure?": who may, and that an admin stays.
async fn member_removal(
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
    user_id: i64,
) -> Result<(OrgScope, Member, bool), AppError> {
    let leaving = user_id == actor.user.id;
    let action = if leaving {
        OrgAction::Leave
    } else {
        OrgAction::ManageMembers
    };
    let scope = org_scope_for(tx, actor, id, action).await?;
    let target = tx
        .member(&scope, user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    check_keeps_an_admin(target.role == OrgRole::Admin, tx.count_admins(id).await?)?;
    Ok((scope, target, leaving))
}

/// Whether `remove_member` would be allowed now, without doing it: the
/// member it would remove.
pub async fn check_remove_member(
    state: &AppState,
    actor: &Actor,
    id: i64,
    user_id: i64,
) -> Result<Member, AppError> {
    let mut tx = state.store.read().await?;
    Ok(member_removal(&mut tx, actor, id, user_id).await?.1)
}

pub async fn remove_member(
    state: &AppState,
    actor: &Actor,
    id: i64,
    user_id: i64,
) -> Result<(), AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    tx.lock_organisation(id).await?;
    let (scope, target, leaving) = member_removal(&mut tx, actor, id, user_id).await?;
    tx.remove_member(&scope, user_id).await?;
    let name = org_name(&mut tx, id).await?;
    let summary = if leaving {
        "Left the organisation.".to_string()
    } else {
        format!("Removed {} from the organisation.", target.name)
    };
    Audit {
        actor,
        acting_org: Some((id, name)),
        organisation_id: Some(id),
        collaboration_id: None,
        now,
    }
    .record(
        &mut tx,
        if leaving {
            "member.left"
        } else {
            "member.removed"
        },
        summary,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn organisation_audit(
    state: &AppState,
    actor: &Actor,
    id: i64,
    before: Option<i64>,
) -> Result<Vec<AuditEvent>, AppError> {
    let mut tx = state.store.read().await?;
    let scope = org_scope_for(&mut tx, actor, id, OrgAction::ViewAudit).await?;
    Ok(tx.organisation_audit(&scope, before, 50).await?)
}

// --- collaborations ----------------------------------------------------

/// Everything the collaboration page and API show.
#[derive(Debug, Clone)]
pub struct CollabView {
    pub collaboration: Collaboration,
    pub participants: Vec<Participant>,
    /// The organisation the person acts for here.
    pub acting_organisation_id: i64,
    pub can_edit: bool,
    pub can_manage: bool,
    /// The organisation the person could take out, if any.
    pub can_leave: Option<i64>,
    /// Sent invitations; only for those who manage participants.
    pub invitations: Vec<CollabInvitation>,
}

async fn collab_scope_for(
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
    action: CollabAction,
) -> Result<(CollabScope, i64), AppError> {
    let scope = tx
        .collab_scope(actor.user.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let acting = may_collab(scope.participations(), action, actor.acting_organisation_id).ok_or_else(|| {
        AppError::Forbidden(match action {
            CollabAction::EditDetails | CollabAction::MoveStage => {
                "Only the lead organisation can change this. Ask the lead.".to_string()
            }
            CollabAction::ManageParticipants => {
                "Only an admin of the lead organisation can manage who takes part.".to_string()
            }
            CollabAction::Leave => {
                "Only an admin of a partner organisation can take it out. A lead cannot leave: make another partner the lead first.".to_string()
            }
            CollabAction::View => "You cannot see this collaboration.".to_string(),
        })
    })?;
    Ok((scope, acting))
}

pub async fn create_collaboration(
    state: &AppState,
    actor: &Actor,
    organisation_id: Option<i64>,
    title: &str,
    purpose: &str,
) -> Result<Collaboration, AppError> {
    let mut errors = match CollaborationDetails::parse(title, purpose) {
        Ok(_) => FieldErrors::new(),
        Err(e) => e,
    };
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let org = match organisation_id {
        Some(id) => tx.org_scope(actor.user.id, id).await?,
        None => None,
    };
    if org.is_none() {
        errors.add(
            "organisation_id",
            "Choose one of your organisations to lead the collaboration.",
        );
    }
    errors.clone().into_result()?;
    let (Some(org), Ok(details)) = (org, CollaborationDetails::parse(title, purpose)) else {
        return Err(AppError::Invalid(errors));
    };
    let collab = tx
        .create_collaboration(org.organisation_id(), &details, actor.user.id, now)
        .await?;
    let name = org_name(&mut tx, org.organisation_id()).await?;
    Audit {
        actor,
        acting_org: Some((org.organisation_id(), name)),
        organisation_id: None,
        collaboration_id: Some(collab.id),
        now,
    }
    .record(
        &mut tx,
        "collaboration.opened",
        format!(
            "Opened the collaboration \u{201c}{}\u{201d} in the Identify stage.",
            collab.title
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(collab)
}

pub async fn collaboration(
    state: &AppState,
    actor: &Actor,
    id: i64,
) -> Result<CollabView, AppError> {
    let mut tx = state.store.read().await?;
    // The page's first read proves access and brings what it shows.
    let (scope, collaboration, participants) = tx
        .collaboration_for_member(actor.user.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let parts = scope.participations();
    let pref = actor.acting_organisation_id;
    let acting = may_collab(parts, CollabAction::View, pref)
        .ok_or_else(|| AppError::Forbidden("You cannot see this collaboration.".to_string()))?;
    let can_manage = may_collab(parts, CollabAction::ManageParticipants, pref).is_some();
    let view = CollabView {
        collaboration,
        participants,
        acting_organisation_id: acting,
        can_edit: may_collab(parts, CollabAction::EditDetails, pref).is_some(),
        can_manage,
        can_leave: may_collab(parts, CollabAction::Leave, pref),
        invitations: if can_manage {
            tx.collaboration_invitations(&scope).await?
        } else {
            Vec::new()
        },
    };
    Ok(view)
}

pub async fn update_collaboration(
    state: &AppState,
    actor: &Actor,
    id: i64,
    title: &str,
    purpose: &str,
) -> Result<(), AppError> {
    let details = CollaborationDetails::parse(title, purpose)?;
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let (scope, acting) = collab_scope_for(&mut tx, actor, id, CollabAction::EditDetails).await?;
    tx.update_collaboration_details(&scope, &details, now)
        .await?;
    let name = org_name(&mut tx, acting).await?;
    Audit {
        actor,
        acting_org: Some((acting, name)),
        organisation_id: None,
        collaboration_id: Some(id),
        now,
    }
    .record(
        &mut tx,
        "collaboration.updated",
        "Changed the title or purpose.".into(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Moves one stage on or back. `seen` is the stage the person was looking
/// at: if someone else moved it meanwhile, nothing changes.
pub async fn move_stage(
    state: &AppState,
    actor: &Actor,
    id: i64,
    direction: &str,
    seen: Option<&str>,
) -> Result<Stage, AppError> {
    let direction = StageMove::parse_code(direction)
        .ok_or_else(|| AppError::invalid("direction", "Choose forward or back."))?;
    // Left out, there is no check; given, it must name a stage (a blank
    // one must not quietly skip the check the caller asked for).
    let seen = match seen {
        Some(code) => Some(Stage::parse_code(code).ok_or_else(|| {
            AppError::invalid(
                "from",
                "Give the current stage: identify, plan, implement or review. Or leave it out.",
            )
        })?),
        None => None,
    };
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    tx.lock_collaboration(id).await?;
    let (scope, acting) = collab_scope_for(&mut tx, actor, id, CollabAction::MoveStage).await?;
    let current = tx.collaboration(&scope).await?.stage;
    if let Some(seen) = seen
        && seen != current
    {
        return Err(AppError::Conflict(format!(
            "Someone else has already moved this collaboration to the {} stage. Check the page and try again if you still need to.",
            current.label()
        )));
    }
    let to = direction.apply(current)?;
    if !tx.set_stage(&scope, current, to, now).await? {
        return Err(AppError::Conflict(
            "The stage changed while you were saving. Try again.".into(),
        ));
    }
    let name = org_name(&mut tx, acting).await?;
    Audit {
        actor,
        acting_org: Some((acting, name)),
        organisation_id: None,
        collaboration_id: Some(id),
        now,
    }
    .record(
        &mut tx,
        "stage.moved",
        format!(
            "Moved the collaboration from {} to {}.",
            current.label(),
            to.label()
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(to)
}

pub async fn my_collaborations(
    state: &AppState,
    actor: &Actor,
    page: i64,
    per_page: i64,
) -> Result<(Vec<CollabSummary>, i64), AppError> {
    let per_page = per_page.clamp(1, 100);
    let page = page.clamp(1, 1_000_000);
    let mut tx = state.store.read().await?;
    Ok(tx
        .my_collaborations(actor.user.id, per_page, (page - 1) * per_page)
        .await?)
}

pub async fn invite_organisation(
    state: &AppState,
    actor: &Actor,
    id: i64,
    organisation_id: Option<i64>,
    role: &str,
    message: &str,
) -> Result<CollabInvitation, AppError> {
    let now = state.clock.now();
    let mut errors = FieldErrors::new();
    let role = match ParticipantRole::parse_code(if role.trim().is_empty() {
        "partner"
    } else {
        role
    }) {
        Some(r) => Some(r),
        None => {
            errors.add("role", "Choose lead, partner, observer or facilitator.");
            None
        }
    };
    let message = match parse_invitation_message(message) {
        Ok(m) => Some(m),
        Err(e) => {
            for f in e.0 {
                errors.add(f.field, f.message);
            }
            None
        }
    };
    let mut tx = state.store.write().await?;
    tx.lock_collaboration(id).await?;
    let (scope, acting) =
        collab_scope_for(&mut tx, actor, id, CollabAction::ManageParticipants).await?;
    let target = match organisation_id {
        Some(org) => tx.organisation_ref(org).await?,
        None => None,
    };
    if target.is_none() {
        errors.add(
            "organisation_id",
            "Choose an organisation that is on Common Ground.",
        );
    }
    errors.clone().into_result()?;
    let (Some(target), Some(role), Some(message)) = (target, role, message) else {
        return Err(AppError::Invalid(errors));
    };
    let invitation = match tx
        .invite_organisation(
            &scope,
            target.id,
            role,
            &message,
            actor.user.id,
            acting,
            now,
        )
        .await?
    {
        Ok(inv) => inv,
        Err(InviteProblem::AlreadyParticipating) => {
            return Err(AppError::invalid(
                "organisation_id",
                format!("{} already takes part in this collaboration.", target.name),
            ));
        }
        Err(_) => {
            return Err(AppError::invalid(
                "organisation_id",
                format!(
                    "{} already has an invitation waiting for a reply.",
                    target.name
                ),
            ));
        }
    };
    let acting_name = org_name(&mut tx, acting).await?;
    Audit {
        actor,
        acting_org: Some((acting, acting_name.clone())),
        organisation_id: None,
        collaboration_id: Some(id),
        now,
    }
    .record(
        &mut tx,
        "invitation.sent",
        format!(
            "Invited {} to join as {}.",
            target.name,
            with_article(role.label())
        ),
    )
    .await?;
    let admins = tx.admin_emails(target.id).await?;
    tx.commit().await?;
    let link = state
        .config
        .link(&format!("/invitations/{}", invitation.id));
    for to in admins {
        notify(
            state,
            &to,
            &format!("{acting_name} invites {} to a collaboration", target.name),
            format!(
                "Hello,\n\n{acting_name} has invited {} to join the collaboration \u{201c}{}\u{201d} on Common Ground \
                 as {}.\n\nAs an admin of {}, you can read the invitation and accept or decline it here:\n{link}\n",
                target.name,
                invitation.collaboration_title,
                with_article(role.label()),
                target.name
            ),
        )
        .await;
    }
    Ok(invitation)
}

pub async fn withdraw_invitation(
    state: &AppState,
    actor: &Actor,
    id: i64,
    invitation_id: i64,
) -> Result<(), AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let (scope, acting) =
        collab_scope_for(&mut tx, actor, id, CollabAction::ManageParticipants).await?;
    let inv = tx
        .withdraw_invitation(&scope, invitation_id, actor.user.id, now)
        .await?
        .ok_or(AppError::NotFound)?;
    let name = org_name(&mut tx, acting).await?;
    Audit {
        actor,
        acting_org: Some((acting, name)),
        organisation_id: None,
        collaboration_id: Some(id),
        now,
    }
    .record(
        &mut tx,
        "invitation.withdrawn",
        format!("Withdrew the invitation to {}.", inv.organisation_name),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// An invitation addressed to one of the person's organisations.
pub async fn invitation(
    state: &AppState,
    actor: &Actor,
    invitation_id: i64,
) -> Result<(CollabInvitation, bool), AppError> {
    let mut tx = state.store.read().await?;
    let (inv, role) = tx
        .invitation_for_member(actor.user.id, invitation_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((
        inv,
        may_org(Some(role), OrgAction::RespondToCollaborationInvitation),
    ))
}

pub async fn pending_invitations(
    state: &AppState,
    actor: &Actor,
) -> Result<Vec<CollabInvitation>, AppError> {
    let mut tx = state.store.read().await?;
    Ok(tx.pending_invitations_for_admin(actor.user.id).await?)
}

pub async fn answer_invitation(
    state: &AppState,
    actor: &Actor,
    invitation_id: i64,
    accept: bool,
) -> Result<CollabInvitation, AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let (inv, role) = tx
        .invitation_for_member(actor.user.id, invitation_id)
        .await?
        .ok_or(AppError::NotFound)?;
    tx.lock_collaboration(inv.collaboration_id).await?;
    if !may_org(Some(role), OrgAction::RespondToCollaborationInvitation) {
        return Err(AppError::Forbidden(format!(
            "Only an admin of {} can accept or decline this invitation. Ask one of them.",
            inv.organisation_name
        )));
    }
    let answered = |status: InvitationStatus| {
        AppError::Conflict(match status {
            InvitationStatus::Withdrawn => {
                "This invitation was withdrawn by the organisation that sent it.".to_string()
            }
            InvitationStatus::Accepted => "This invitation has already been accepted.".to_string(),
            _ => "This invitation has already been declined.".to_string(),
        })
    };
    if inv.status != InvitationStatus::Pending {
        return Err(answered(inv.status));
    }
    if let Err(InviteProblem::AlreadyAnswered) | Err(_) = tx
        .answer_invitation(&inv, accept, actor.user.id, now)
        .await?
    {
        return Err(AppError::Conflict(
            "This invitation has already been answered.".into(),
        ));
    }
    let summary = if accept {
        format!(
            "{} accepted the invitation and joined as {}.",
            inv.organisation_name,
            with_article(inv.role.label())
        )
    } else {
        format!("{} declined the invitation.", inv.organisation_name)
    };
    Audit {
        actor,
        acting_org: Some((inv.organisation_id, inv.organisation_name.clone())),
        organisation_id: Some(inv.organisation_id),
        collaboration_id: Some(inv.collaboration_id),
        now,
    }
    .record(
        &mut tx,
        if accept {
            "invitation.accepted"
        } else {
            "invitation.declined"
        },
        summary,
    )
    .await?;
    tx.commit().await?;
    Ok(CollabInvitation {
        status: if accept {
            InvitationStatus::Accepted
        } else {
            InvitationStatus::Declined
        },
        responded_at: Some(now),
        ..inv
    })
}

pub async fn change_participant_role(
    state: &AppState,
    actor: &Actor,
    id: i64,
    organisation_id: i64,
    role: &str,
) -> Result<(), AppError> {
    let role = parse_participant_role("role", role)?;
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    tx.lock_collaboration(id).await?;
    let (scope, acting) =
        collab_scope_for(&mut tx, actor, id, CollabAction::ManageParticipants).await?;
    let target = tx
        .participants(&scope)
        .await?
        .into_iter()
        .find(|p| p.organisation_id == organisation_id)
        .ok_or(AppError::NotFound)?;
    if target.role == ParticipantRole::Lead && role != ParticipantRole::Lead {
        check_keeps_a_lead(true, tx.count_leads(&scope).await?)?;
    }
    tx.set_participant_role(&scope, organisation_id, role, now)
        .await?;
    let name = org_name(&mut tx, acting).await?;
    Audit {
        actor,
        acting_org: Some((acting, name)),
        organisation_id: None,
        collaboration_id: Some(id),
        now,
    }
    .record(
        &mut tx,
        "participant.role_changed",
        format!("Made {} {}.", target.name, with_article(role.label())),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The checks before an organisation leaves or is removed from a
/// collaboration, shared by the action and the page that asks first.
/// Returns the scope, the acting organisation, the target and whether it is
/// the person's own organisation leaving.
async fn participant_removal(
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
    organisation_id: Option<i64>,
) -> Result<(CollabScope, i64, Participant, bool), AppError> {
    let (scope, acting, target_id, leaving) = match organisation_id {
        None => {
            let (scope, acting) = collab_scope_for(tx, actor, id, CollabAction::Leave).await?;
            (scope, acting, acting, true)
        }
        Some(org) => {
            let (scope, acting) =
                collab_scope_for(tx, actor, id, CollabAction::ManageParticipants).await?;
            (scope, acting, org, false)
        }
    };
    let target = tx
        .participants(&scope)
        .await?
        .into_iter()
        .find(|p| p.organisation_id == target_id)
        .ok_or(AppError::NotFound)?;
    check_keeps_a_lead(
        target.role == ParticipantRole::Lead,
        tx.count_leads(&scope).await?,
    )?;
    Ok((scope, acting, target, leaving))
}

/// Whether `remove_participant` would be allowed now, without doing it:
/// the organisation it would take out.
pub async fn check_remove_participant(
    state: &AppState,
    actor: &Actor,
    id: i64,
    organisation_id: Option<i64>,
) -> Result<Participant, AppError> {
    let mut tx = state.store.read().await?;
    Ok(participant_removal(&mut tx, actor, id, organisation_id)
        .await?
        .2)
}

/// Takes an organisation out: the lead removing a partner, or a partner's
/// admin leaving (`organisation_id` None means "my organisation").
pub async fn remove_participant(
    state: &AppState,
    actor: &Actor,
    id: i64,
    organisation_id: Option<i64>,
) -> Result<(), AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    tx.lock_collaboration(id).await?;
    let (scope, acting, target, leaving) =
        participant_removal(&mut tx, actor, id, organisation_id).await?;
    let target_id = target.organisation_id;
    tx.remove_participant(&scope, target_id, now).await?;
    let name = org_name(&mut tx, acting).await?;
    let summary = if leaving {
        format!("{} left the collaboration.", target.name)
    } else {
        format!("Removed {} from the collaboration.", target.name)
    };
    Audit {
        actor,
        acting_org: Some((acting, name)),
        organisation_id: Some(target_id),
        collaboration_id: Some(id),
        now,
    }
    .record(
        &mut tx,
        if leaving {
            "participant.left"
        } else {
            "participant.removed"
        },
        summary,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn collaboration_audit(
    state: &AppState,
    actor: &Actor,
    id: i64,
    before: Option<i64>,
) -> Result<Vec<AuditEvent>, AppError> {
    let mut tx = state.store.read().await?;
    let (scope, _) = collab_scope_for(&mut tx, actor, id, CollabAction::View).await?;
    Ok(tx.collaboration_audit(&scope, before, 50).await?)
}

/// The invitations a collaboration has sent. For those who manage who takes part.
pub async fn collaboration_invitations(
    state: &AppState,
    actor: &Actor,
    id: i64,
) -> Result<Vec<CollabInvitation>, AppError> {
    let mut tx = state.store.read().await?;
    let (scope, _) = collab_scope_for(&mut tx, actor, id, CollabAction::ManageParticipants).await?;
    Ok(tx.collaboration_invitations(&scope).await?)
}
