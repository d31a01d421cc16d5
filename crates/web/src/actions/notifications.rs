//! Notifications: what changed for a person, in the app and by email.
//!
//! A notification is written in the same transaction as the change that
//! causes it ([`notify`] and the task hooks below), so a change that rolls
//! back tells nobody. Never the person who acted; never someone who cannot
//! see the collaboration (the store checks both).
//!
//! Email: each person chooses per kind to be emailed at once, in a daily
//! digest, or not at all (still listed in the app). The notification job
//! ([`run_job`]) runs on every server: it creates due and overdue
//! reminders with a key per (person, kind, task, due date) so a second
//! server or a later run adds nothing, claims each waiting email with a
//! conditional update before sending it, and claims each person's digest
//! for the day with a (person, day) row. Nothing depends on one server
//! being special, and reminders whose moment passed while no server ran
//! are made on the next run.

use crate::AppState;
use crate::auth::Actor;
use crate::error::AppError;
use commonground_domain::notifications::{DUE_SOON_DAYS, Kind, Settings, digest_body};
use commonground_domain::tasks::TaskStatus;
use commonground_store::Tx;
use commonground_store::notifications::{NewNotification, Notification};
use commonground_store::tasks::Task;

/// Notifications on one page of the list.
pub const PAGE_SIZE: i64 = 25;
/// Emails or digests one run of the job sends at most (the rest wait for
/// the next run).
const BATCH: i64 = 200;

/// One page of a person's notifications.
#[derive(Debug, Clone)]
pub struct NotificationList {
    /// How many match (all, or the unread ones when only those are asked for).
    pub total: i64,
    pub unread: i64,
    pub page: i64,
    pub items: Vec<Notification>,
}

pub async fn list(
    state: &AppState,
    actor: &Actor,
    unread_only: bool,
    page: i64,
) -> Result<NotificationList, AppError> {
    let page = page.max(1);
    let mut tx = state.store.read().await?;
    let (total, unread, items) = tx
        .notifications(actor.user.id, unread_only, page, PAGE_SIZE)
        .await?;
    Ok(NotificationList {
        total,
        unread,
        page,
        items,
    })
}

/// Marks one of the person's notifications read; another person's is
/// not found.
pub async fn mark_read(state: &AppState, actor: &Actor, nid: i64) -> Result<(), AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    if !tx.mark_notification_read(actor.user.id, nid, now).await? {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    Ok(())
}

/// Marks all the person's notifications read; returns how many were unread.
pub async fn mark_all_read(state: &AppState, actor: &Actor) -> Result<u64, AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let n = tx.mark_all_notifications_read(actor.user.id, now).await?;
    tx.commit().await?;
    Ok(n)
}

pub async fn settings(state: &AppState, actor: &Actor) -> Result<Settings, AppError> {
    let mut tx = state.store.read().await?;
    Ok(tx.notification_settings(actor.user.id).await?)
}

/// Saves the person's choices, sent as (kind, delivery) codes; kinds not
/// sent keep their current choice.
pub async fn save_settings(
    state: &AppState,
    actor: &Actor,
    sent: &[(String, String)],
) -> Result<Settings, AppError> {
    let mut tx = state.store.write().await?;
    let current = tx.notification_settings(actor.user.id).await?;
    let settings = Settings::parse(&current, sent)?;
    tx.set_notification_settings(actor.user.id, &settings)
        .await?;
    tx.commit().await?;
    Ok(settings)
}

/// Tells `recipients` about something done by `actor` in a collaboration,
/// in the caller's transaction: for the parts that call it when they
/// change something (votes opening or closing soon, problems escalated).
/// `link` is a path on this site; `dedupe_key` names the event so that a
/// person is told about it once. Returns how many were told.
#[allow(clippy::too_many_arguments)]
pub async fn notify(
    tx: &mut Tx,
    actor: &Actor,
    recipients: &[i64],
    kind: Kind,
    collaboration_id: i64,
    sentence: &str,
    link: &str,
    dedupe_key: &str,
    now: i64,
) -> Result<u64, AppError> {
    Ok(tx
        .notify(
            recipients,
            actor.user.id,
            &NewNotification {
                kind,
                collaboration_id,
                sentence,
                link,
                dedupe_key,
            },
            now,
        )
        .await?)
}

/// What a task's change tells people, in the change's transaction: the
/// new assignee that they were assigned, and, when it became done, the
/// assignees of the open tasks that depend on it.
pub(crate) async fn task_changed(
    tx: &mut Tx,
    actor: &Actor,
    before: Option<&Task>,
    after: &Task,
    collaboration_title: &str,
    now: i64,
) -> Result<u64, AppError> {
    let mut told = 0;
    if let Some(assignee) = after.assignee_id
        && before.is_none_or(|b| b.assignee_id != Some(assignee))
    {
        let sentence = format!(
            "{} assigned the task \u{201c}{}\u{201d} in \u{201c}{collaboration_title}\u{201d} to you.",
            actor.user.name, after.title
        );
        told += notify(
            tx,
            actor,
            &[assignee],
            Kind::Assigned,
            after.collaboration_id,
            &sentence,
            &format!("/tasks/{}", after.id),
            &format!("assigned:{}:{}", after.id, after.version),
            now,
        )
        .await?;
    }
    if after.status == TaskStatus::Done && before.is_some_and(|b| b.status != TaskStatus::Done) {
        for (tid, title, assignee) in tx
            .assigned_dependents(after.collaboration_id, after.id)
            .await?
        {
            let sentence = format!(
                "\u{201c}{}\u{201d} is done, so \u{201c}{title}\u{201d} in \u{201c}{collaboration_title}\u{201d} no longer waits for it.",
                after.title
            );
            told += notify(
                tx,
                actor,
                &[assignee],
                Kind::DependencyDone,
                after.collaboration_id,
                &sentence,
                &format!("/tasks/{tid}"),
                &format!("dependency_done:{tid}:{}:{}", after.id, after.version),
                now,
            )
            .await?;
        }
    }
    Ok(told)
}

/// Tells the admins of the lead and partner organisations that their
/// approval is needed again (after a change reopened approval, nobody has
/// approved the new version yet). `what` names the thing in a sentence.
pub(crate) async fn approval_needed(
    tx: &mut Tx,
    actor: &Actor,
    collaboration_id: i64,
    what: &str,
    link: &str,
    dedupe_key: &str,
    now: i64,
) -> Result<u64, AppError> {
    let admins = tx.approver_admins(collaboration_id).await?;
    let sentence = format!(
        "{} changed {what}: your organisation needs to approve it again.",
        actor.user.name
    );
    notify(
        tx,
        actor,
        &admins,
        Kind::ApprovalNeeded,
        collaboration_id,
        &sentence,
        link,
        dedupe_key,
        now,
    )
    .await
}

/// After a commit that told `told` people something: emails those who
/// chose to be told at once (the job sends anything left over).
pub(crate) async fn deliver(state: &AppState, told: u64) {
    if told > 0
        && let Err(e) = send_waiting_emails(state).await
    {
        tracing::warn!(error = ?e, "could not send notification emails now; the job will");
    }
}

/// What one run of the job did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct JobReport {
    /// Tasks made by recurring tasks whose date came.
    pub tasks_made: u64,
    pub reminders: u64,
    pub emails: u64,
    pub digests: u64,
}

/// `YYYY-MM-DD` of a moment, in UTC.
fn day_of(ts: i64) -> String {
    crate::clock::format_rfc3339(ts)[..10].to_string()
}

/// Makes the tasks of recurring tasks whose date came, creates the
/// reminders now due, then sends waiting emails and today's digests. Safe
/// to run on several servers at once.
pub async fn run_job(state: &AppState) -> Result<JobReport, AppError> {
    let tasks_made = super::recurring::make_due(state).await?;
    let now = state.clock.now();
    let today = day_of(now);
    let soon = day_of(now + DUE_SOON_DAYS * 86_400);
    let mut tx = state.store.write().await?;
    let reminders = tx.create_task_reminders(&today, &soon, now).await?
        + tx.create_vote_reminders(&today, &soon, now).await?;
    tx.commit().await?;
    let emails = send_waiting_emails(state).await?;
    let digests = send_digests(state, &today).await?;
    Ok(JobReport {
        tasks_made,
        reminders,
        emails,
        digests,
    })
}

/// Sends the emails waiting to go at once. Each is claimed in its own
/// short transaction before it is sent, so no two servers send it; an
/// email whose sending fails after the claim is logged and not retried
/// (the notification stays in the app).
pub async fn send_waiting_emails(state: &AppState) -> Result<u64, AppError> {
    let ids = {
        let mut tx = state.store.read().await?;
        tx.pending_emails(BATCH).await?
    };
    let mut sent = 0;
    for id in ids {
        let claimed = {
            let mut tx = state.store.write().await?;
            let c = tx.claim_email(id, state.clock.now()).await?;
            tx.commit().await?;
            c
        };
        let Some(email) = claimed else { continue };
        let body = format!(
            "Hello {},\n\n{}\n\nSee it here: {}\n\nTo choose which notifications you get by email, and when, go to {}\n",
            email.name,
            email.sentence,
            state.config.link(&email.link),
            state.config.link("/account/notifications"),
        );
        super::notify(state, &email.email, &email.sentence, body).await;
        sent += 1;
    }
    Ok(sent)
}

/// Sends each person with notifications waiting for the digest their
/// digest for `day`, at most once a day: the first run of the day claims
/// it with a (person, day) row.
async fn send_digests(state: &AppState, day: &str) -> Result<u64, AppError> {
    let users = {
        let mut tx = state.store.read().await?;
        tx.digests_due(day, BATCH).await?
    };
    let mut sent = 0;
    for user in users {
        let claimed = {
            let mut tx = state.store.write().await?;
            let c = tx.claim_digest(user, day, state.clock.now()).await?;
            tx.commit().await?;
            c
        };
        let Some((email, name, items)) = claimed else {
            continue;
        };
        let items: Vec<(String, String)> = items
            .into_iter()
            .map(|(s, l)| (s, state.config.link(&l)))
            .collect();
        let body = digest_body(&name, &items, &state.config.link("/account/notifications"));
        let subject = format!("Your Common Ground digest for {day}");
        super::notify(state, &email, &subject, body).await;
        sent += 1;
    }
    Ok(sent)
}

/// Starts the job on this server every `notification_interval_secs`
/// (none when 0). A failed run is logged and tried again next time.
pub fn spawn_job(state: AppState) -> Option<tokio::task::JoinHandle<()>> {
    let every = state.config.notification_interval_secs;
    if every == 0 {
        return None;
    }
    Some(tokio::spawn(async move {
        let mut ticker = tokio::time::interval(std::time::Duration::from_secs(every));
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticker.tick().await;
            match run_job(&state).await {
                Ok(r) if r != JobReport::default() => tracing::info!(
                    tasks_made = r.tasks_made,
                    reminders = r.reminders,
                    emails = r.emails,
                    digests = r.digests,
                    "notification job"
                ),
                Ok(_) => {}
                Err(e) => {
                    tracing::warn!(error = ?e, "the notification job failed; it runs again later")
                }
            }
        }
    }))
}
