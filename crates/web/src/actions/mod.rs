//! What people can do, shared by the pages and the API: parse, authorise,
//! apply through the store in one transaction with its audit record, then
//! notify. Handlers only translate requests and render results.
//!
//! One module per area, as in `pages` and `api`: a stage adds its own.

pub mod accounts;
pub mod agreements;
pub mod aims;
pub mod benefits_risks;
pub mod calendar;
pub mod collaborations;
pub mod comms;
pub mod contacts;
pub mod decisions;
pub mod directory;
pub mod due_diligence;
pub mod environment;
pub mod export;
pub mod forward;
pub mod goals;
pub mod governance;
pub mod health_checks;
pub mod identify;
pub mod invitations;
pub mod meetings;
pub mod model;
pub mod notifications;
pub mod organisations;
pub mod outcomes;
pub mod plan;
pub mod problems;
pub mod proposals;
pub mod readiness;
pub mod recurring;
pub mod responsibilities;
pub mod risks;
pub mod shortlist;
pub mod stages;
pub mod story;
pub mod tasks;

use crate::AppState;
use crate::auth::Actor;
use crate::error::AppError;
use commonground_domain::collaborations::ParticipantRole;
use commonground_domain::organisations::OrgRole;
use commonground_store::Tx;
use commonground_store::audit::NewAuditEvent;

// --- helpers ------------------------------------------------------------

/// What a kept collaboration page is made from, besides its own reads.
pub(crate) struct PageBasis {
    pub collaboration: commonground_store::collaborations::Collaboration,
    pub today: String,
    pub can_contribute: bool,
    /// The organisation the person may change things for, if any.
    pub contributes_for: Option<i64>,
}

/// The organisation the person may change a collaboration's content for,
/// if any (none for observers).
pub(crate) fn contributes_for(
    scope: &commonground_store::collaborations::CollabScope,
    actor: &Actor,
) -> Option<i64> {
    commonground_domain::policy::may_collab(
        scope.participations(),
        commonground_domain::policy::CollabAction::Contribute,
        actor.acting_organisation_id,
    )
}

/// A collaboration page's content, the same for everyone who may see the
/// collaboration with the same rights and query: proves access (a
/// collaboration not theirs is not found), then gives the content kept for
/// the collaboration's revisions and the day, or loads it with `load`,
/// writes it with `render` and keeps it (see [`crate::cache::KeptPages`]).
/// `detail` names everything else the content depends on (the query as
/// sent); the organisation the person may change things for (or none) is
/// added here, so the content may depend on it.
pub(crate) async fn kept_collab_page<T>(
    state: &AppState,
    actor: &Actor,
    key: (i64, &'static str, String),
    load: impl AsyncFnOnce(
        &mut Tx,
        &commonground_store::collaborations::CollabScope,
        PageBasis,
    ) -> Result<T, AppError>,
    render: impl FnOnce(&T) -> crate::cache::KeptPage,
) -> Result<std::sync::Arc<crate::cache::KeptPage>, AppError> {
    kept_by_revision(state, actor, &state.kept_pages, key, load, |t| {
        Ok(render(t))
    })
    .await
}

/// An API answer made from a collaboration's content, kept by the same
/// rule as [`kept_collab_page`] (see [`crate::cache::KeptAnswers`]):
/// `render` writes the whole body.
pub(crate) async fn kept_collab_answer<T>(
    state: &AppState,
    actor: &Actor,
    key: (i64, &'static str, String),
    load: impl AsyncFnOnce(
        &mut Tx,
        &commonground_store::collaborations::CollabScope,
        PageBasis,
    ) -> Result<T, AppError>,
    render: impl FnOnce(&T) -> Result<Vec<u8>, AppError>,
) -> Result<std::sync::Arc<Vec<u8>>, AppError> {
    kept_by_revision(state, actor, &state.kept_answers, key, load, render).await
}

async fn kept_by_revision<T, V>(
    state: &AppState,
    actor: &Actor,
    cache: &crate::cache::KeptByRevision<V>,
    (id, kind, detail): (i64, &'static str, String),
    load: impl AsyncFnOnce(
        &mut Tx,
        &commonground_store::collaborations::CollabScope,
        PageBasis,
    ) -> Result<T, AppError>,
    render: impl FnOnce(&T) -> Result<V, AppError>,
) -> Result<std::sync::Arc<V>, AppError> {
    let today = tasks::today(state);
    let mut tx = state.store.read().await?;
    let (scope, _, collaboration, revision) = collaborations::collab_for(
        &mut tx,
        actor,
        id,
        commonground_domain::policy::CollabAction::View,
    )
    .await?;
    let contributes_for = contributes_for(&scope, actor);
    let key = (kind, id, format!("{contributes_for:?} {detail}"));
    let at = (revision, today.clone());
    if let Some(kept) = cache.get(&key, &at) {
        return Ok(kept);
    }
    let basis = PageBasis {
        collaboration,
        today,
        can_contribute: contributes_for.is_some(),
        contributes_for,
    };
    let loaded = load(&mut tx, &scope, basis).await?;
    drop(tx);
    let value = std::sync::Arc::new(render(&loaded)?);
    cache.put(key, at, std::sync::Arc::clone(&value));
    Ok(value)
}

/// A page number and size as sent (a form or a query string): 1 and
/// `default` when empty; the size at most `max`. A bad value is named in
/// `errors` and its default used.
pub(crate) fn page_of(
    errors: &mut commonground_domain::FieldErrors,
    page: &str,
    per_page: &str,
    default: i64,
    max: i64,
) -> commonground_store::tasks::Page {
    let number = match page.trim() {
        "" => 1,
        p => match p.parse::<i64>() {
            Ok(n) if (1..=100_000).contains(&n) => n,
            _ => {
                errors.add("page", "Send a page number from 1.");
                1
            }
        },
    };
    let size = match per_page.trim() {
        "" => default,
        p => match p.parse::<i64>() {
            Ok(n) if (1..=max).contains(&n) => n,
            _ => {
                errors.add("per_page", format!("Send a number from 1 to {max}."));
                default
            }
        },
    };
    commonground_store::tasks::Page { number, size }
}

/// The version a save is based on, as sent: 0 (or nothing) when there was
/// nothing saved yet, else a version from 1.
pub(crate) fn first_or_version(raw: &str) -> Result<i64, commonground_domain::FieldErrors> {
    match raw.trim() {
        "" | "0" => Ok(0),
        raw => commonground_domain::agreements::parse_version("version", raw),
    }
}

pub(crate) async fn org_name(tx: &mut Tx, id: i64) -> Result<String, AppError> {
    Ok(tx
        .organisation_ref(id)
        .await?
        .map(|o| o.name)
        .unwrap_or_default())
}

pub(crate) struct Audit<'a> {
    pub(crate) actor: &'a Actor,
    pub(crate) acting_org: Option<(i64, String)>,
    pub(crate) organisation_id: Option<i64>,
    pub(crate) collaboration_id: Option<i64>,
    pub(crate) now: i64,
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
pub(crate) async fn notify(state: &AppState, to: &str, subject: &str, body: String) {
    if let Err(e) = state.mailer.send(to, subject, body).await {
        tracing::warn!(error = %e, %to, "could not send email");
    }
}

pub(crate) fn parse_role(field: &str, raw: &str) -> Result<OrgRole, AppError> {
    OrgRole::parse_code(raw).ok_or_else(|| AppError::invalid(field, "Choose admin or member."))
}

pub(crate) fn parse_participant_role(field: &str, raw: &str) -> Result<ParticipantRole, AppError> {
    ParticipantRole::parse_code(raw)
        .ok_or_else(|| AppError::invalid(field, "Choose lead, partner, observer or facilitator."))
}

pub(crate) fn with_article(label: &str) -> String {
    let lower = label.to_lowercase();
    if lower.starts_with(['a', 'e', 'i', 'o', 'u']) {
        format!("an {lower}")
    } else {
        format!("a {lower}")
    }
}

/// Records something done in a collaboration, on behalf of the acting
/// organisation (named in the trail as it is now), in the same transaction.
pub(crate) async fn record_in_collaboration(
    tx: &mut Tx,
    actor: &Actor,
    collaboration_id: i64,
    acting: i64,
    now: i64,
    action: &str,
    summary: String,
) -> Result<(), AppError> {
    let name = org_name(tx, acting).await?;
    Audit {
        actor,
        acting_org: Some((acting, name)),
        organisation_id: None,
        collaboration_id: Some(collaboration_id),
        now,
    }
    .record(tx, action, summary)
    .await
}
