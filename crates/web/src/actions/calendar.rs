//! Calendar feeds of tasks. Calendar apps cannot sign in, so each feed has
//! its own secret address: one per person for each collaboration they take
//! part in, and one for their own tasks across collaborations. Only the
//! secret's hash is kept, so the address is shown once, when it is made;
//! making a new one stops the old one (it then answers 404).
//!
//! A collaboration feed carries the task list's filters in its address and
//! shows only what its owner may see now: when the person no longer takes
//! part, it answers an empty calendar rather than 404, because calendar
//! apps keep showing the last copy they fetched when an address fails, and
//! an empty calendar clears those tasks from their diary.

use super::collaborations::collab_scope_for;
use super::*;
use crate::AppState;
use crate::actions::tasks::{FilterInput, parse_filter, today};
use crate::auth::Actor;
use crate::error::AppError;
use commonground_domain::policy::CollabAction;
use commonground_report::calendar::{FeedItem, feed};
use commonground_store::collaborations::Collaboration;
use commonground_store::tasks::Task;
use commonground_store::{hash_token, random_token};
use std::sync::Arc;

/// The filters a collaboration feed's address carries, as on the task list.
pub const FILTERS: [&str; 8] = [
    "status",
    "view",
    "owner_organisation_id",
    "assignee_id",
    "workstream_id",
    "due_before",
    "due_after",
    "overdue",
];

/// The filters as a query string, empty ones left out: `?status=done&…`.
pub fn filter_query(f: &FilterInput) -> String {
    let pairs: Vec<(&str, &str)> = FILTERS
        .iter()
        .zip([
            &f.status,
            &f.view,
            &f.owner_organisation_id,
            &f.assignee_id,
            &f.workstream_id,
            &f.due_before,
            &f.due_after,
            &f.overdue,
        ])
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| (*k, v.trim()))
        .collect();
    if pairs.is_empty() {
        String::new()
    } else {
        format!(
            "?{}",
            serde_urlencoded::to_string(pairs).unwrap_or_default()
        )
    }
}

/// The path of a feed with this secret.
pub fn feed_path(token: &str) -> String {
    format!("/calendar-feeds/{token}/tasks.ics")
}

/// The host named in every event's UID, from the site's public address.
fn host(state: &AppState) -> String {
    let url = state.config.public_url.as_str();
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    rest.split(['/', '?', '#']).next().unwrap_or("").to_string()
}

/// A person's feed: whether they have one and since when.
#[derive(Debug, Clone)]
pub struct FeedState {
    /// None for "my tasks".
    pub collaboration: Option<Collaboration>,
    /// When the current address was made, in seconds.
    pub made_at: Option<i64>,
}

pub async fn collaboration_feed(
    state: &AppState,
    actor: &Actor,
    id: i64,
) -> Result<FeedState, AppError> {
    let mut tx = state.store.read().await?;
    let (scope, _) = collab_scope_for(&mut tx, actor, id, CollabAction::View).await?;
    Ok(FeedState {
        made_at: tx
            .calendar_feed_made_at(actor.user.id, Some(&scope))
            .await?,
        collaboration: Some(tx.collaboration(&scope).await?),
    })
}

pub async fn my_feed(state: &AppState, actor: &Actor) -> Result<FeedState, AppError> {
    let mut tx = state.store.read().await?;
    Ok(FeedState {
        made_at: tx.calendar_feed_made_at(actor.user.id, None).await?,
        collaboration: None,
    })
}

/// Makes a new secret address for the person's feed of the collaboration's
/// tasks, with these filters; the old address stops working. Everyone
/// taking part may, observers too: it only reads. Returns the address.
pub async fn reset_collaboration_feed(
    state: &AppState,
    actor: &Actor,
    id: i64,
    filters: &FilterInput,
) -> Result<String, AppError> {
    parse_filter(filters, "open")?;
    let now = state.clock.now();
    let token = random_token();
    let mut tx = state.store.write().await?;
    let (scope, _) = collab_scope_for(&mut tx, actor, id, CollabAction::View).await?;
    tx.reset_calendar_feed(actor.user.id, Some(&scope), &hash_token(&token), now)
        .await?;
    Audit {
        actor,
        acting_org: None,
        organisation_id: None,
        collaboration_id: Some(id),
        now,
    }
    .record(
        &mut tx,
        "calendar.address_made",
        format!(
            "{} made a new calendar address for this collaboration's tasks; any older one of theirs stopped working.",
            actor.user.name
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(state
        .config
        .link(&format!("{}{}", feed_path(&token), filter_query(filters))))
}

/// Makes a new secret address for the person's own tasks; the old one
/// stops working. Returns the address.
pub async fn reset_my_feed(state: &AppState, actor: &Actor) -> Result<String, AppError> {
    let now = state.clock.now();
    let token = random_token();
    let mut tx = state.store.write().await?;
    tx.reset_calendar_feed(actor.user.id, None, &hash_token(&token), now)
        .await?;
    Audit {
        actor,
        acting_org: None,
        organisation_id: None,
        collaboration_id: None,
        now,
    }
    .record(
        &mut tx,
        "calendar.address_made",
        "Made a new calendar address for my tasks; any older one stopped working.".to_string(),
    )
    .await?;
    tx.commit().await?;
    Ok(state.config.link(&feed_path(&token)))
}

fn item(state: &AppState, t: &Task, with_collaboration: Option<&str>) -> FeedItem {
    let mut details = Vec::new();
    if let Some(c) = with_collaboration {
        details.push(format!("Collaboration: {c}"));
    }
    details.push(format!("Status: {}", t.status.label()));
    details.push(format!("Owner: {}", t.owner_name));
    if !t.assignee_name.is_empty() {
        details.push(format!("Assignee: {}", t.assignee_name));
    }
    if !t.workstream_name.is_empty() {
        details.push(format!("Workstream: {}", t.workstream_name));
    }
    FeedItem {
        id: t.id,
        title: t.title.clone(),
        due_on: t.due_on.clone().unwrap_or_default(),
        milestone: t.milestone,
        cancelled: t.status == commonground_domain::tasks::TaskStatus::Cancelled,
        details,
        page: state.config.link(&format!("/tasks/{}", t.id)),
        version: t.version,
        updated_at: t.updated_at,
    }
}

/// The feed with this secret, as iCalendar text; not found when no feed
/// has it (never made, or replaced since).
///
/// A collaboration's feed is the same for everyone who may see it, so
/// each server writes it once for each revision of the collaboration and
/// day, and keeps it (see [`crate::actions::tasks::KeptLists`]); a
/// person's feed is kept the same way with the revision of their
/// organisations and collaborations.
pub async fn feed_ics(
    state: &AppState,
    token: &str,
    filters: &FilterInput,
) -> Result<Arc<Vec<u8>>, AppError> {
    let hash = hash_token(token);
    let mut tx = state.store.read().await?;
    let f = tx.calendar_feed(&hash).await?.ok_or(AppError::NotFound)?;
    let host = host(state);
    let Some(id) = f.collaboration_id else {
        // A person's feed, kept with the revision of everything it shows
        // (see [`crate::actions::tasks::KeptMine`]).
        let key = (f.user_id, None, "ics", String::new());
        let at = (tx.my_tasks_revision(f.user_id).await?, today(state));
        if let Some(kept) = state.kept_mine.get(&key, &at) {
            return Ok(kept);
        }
        let tasks = tx.my_calendar_tasks(f.user_id).await?;
        drop(tx);
        let items: Vec<FeedItem> = tasks.iter().map(|t| item(state, t, None)).collect();
        let body = Arc::new(feed("My tasks (Common Ground)", &host, &items).into_bytes());
        state.kept_mine.put(key, at, Arc::clone(&body));
        return Ok(body);
    };
    let (filter, _) = parse_filter(filters, "open")?;
    // Only what the feed's owner may see now.
    let Some((scope, collaboration, revision)) =
        tx.collab_scope_with_collaboration(f.user_id, id).await?
    else {
        return Ok(Arc::new(
            feed("Tasks (Common Ground)", &host, &[]).into_bytes(),
        ));
    };
    let today = today(state);
    let key = (id, "ics", format!("{filter:?}"));
    let at = (revision, today.clone());
    if let Some(kept) = state.kept_lists.get(&key, &at) {
        return Ok(kept);
    }
    let tasks = tx.calendar_tasks(&scope, &filter, &today).await?;
    drop(tx);
    let items: Vec<FeedItem> = tasks.iter().map(|t| item(state, t, None)).collect();
    let body =
        Arc::new(feed(&format!("Tasks: {}", collaboration.title), &host, &items).into_bytes());
    state.kept_lists.put(key, at, Arc::clone(&body));
    Ok(body)
}
