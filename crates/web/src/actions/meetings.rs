//! Meetings: everyone taking part reads them; all but observers add and
//! change them, record who came, and turn an agreed action into a task of
//! the action plan in one step. A change names the version it was based
//! on; when someone else saved first it is refused with the meeting as it
//! is now. A meeting of a collaboration the person does not take part in
//! is not found.

use super::collaborations::collab_scope_for;
use super::tasks::{insert_task, today};
use super::*;
use crate::AppState;
use crate::auth::Actor;
use crate::error::AppError;
use commonground_domain::FieldErrors;
use commonground_domain::meetings::{
    Attendance, MeetingDetails, MeetingInput, ends_at, parse_guests,
};
use commonground_domain::policy::{CollabAction, may_collab};
use commonground_domain::tasks::TaskInput;
use commonground_store::collaborations::{CollabScope, Collaboration, Participant};
use commonground_store::governance::CollabPerson;
use commonground_store::meetings::{
    Attendee, MEETINGS_PAGE, Meeting, MeetingChange, MeetingSummary,
};
use commonground_store::tasks::Task;

fn can_contribute(scope: &CollabScope, actor: &Actor) -> bool {
    may_collab(
        scope.participations(),
        CollabAction::Contribute,
        actor.acting_organisation_id,
    )
    .is_some()
}

/// What the meetings page and API list.
#[derive(Debug, Clone)]
pub struct MeetingList {
    pub collaboration: Collaboration,
    pub total: i64,
    /// Counting from 1.
    pub page: i64,
    pub per_page: i64,
    pub meetings: Vec<MeetingSummary>,
    /// The collaboration's governance bodies, (id, name), to choose from.
    pub bodies: Vec<(i64, String)>,
    pub today: String,
    pub can_contribute: bool,
}

impl MeetingList {
    pub fn pages(&self) -> i64 {
        ((self.total + self.per_page - 1) / self.per_page).max(1)
    }
}

async fn bodies(tx: &mut Tx, scope: &CollabScope) -> Result<Vec<(i64, String)>, AppError> {
    Ok(tx
        .governance_bodies(scope)
        .await?
        .into_iter()
        .map(|b| (b.id, b.name))
        .collect())
}

/// A page of the list, counting from 1 (0 or less is the first).
pub async fn meetings(
    state: &AppState,
    actor: &Actor,
    id: i64,
    page: i64,
) -> Result<MeetingList, AppError> {
    let today = today(state);
    let page = page.max(1);
    let mut tx = state.store.read().await?;
    let (scope, _) = collab_scope_for(&mut tx, actor, id, CollabAction::View).await?;
    Ok(MeetingList {
        collaboration: tx.collaboration(&scope).await?,
        total: tx.count_meetings(&scope).await?,
        meetings: tx.meetings(&scope, &today, page - 1).await?,
        bodies: bodies(&mut tx, &scope).await?,
        page,
        per_page: MEETINGS_PAGE,
        today,
        can_contribute: can_contribute(&scope, actor),
    })
}

/// A meeting with what its forms choose from.
#[derive(Debug, Clone)]
pub struct MeetingDetail {
    pub collaboration: Collaboration,
    pub meeting: Meeting,
    /// Everyone in the organisations taking part, once per organisation.
    pub people: Vec<CollabPerson>,
    pub bodies: Vec<(i64, String)>,
    pub participants: Vec<Participant>,
    pub can_contribute: bool,
}

impl MeetingDetail {
    /// The guests' names, one per line, for the attendance form.
    pub fn guests(&self) -> String {
        self.meeting
            .attendance
            .iter()
            .filter(|a| a.user_id.is_none())
            .map(|a| a.name.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// The meeting's collaboration, proved through the person's access; a
/// meeting they cannot see is not found.
async fn meeting_scope(
    tx: &mut Tx,
    actor: &Actor,
    mid: i64,
    action: CollabAction,
) -> Result<(CollabScope, i64), AppError> {
    let id = tx
        .meeting_collaboration_id(mid)
        .await?
        .ok_or(AppError::NotFound)?;
    collab_scope_for(tx, actor, id, action).await
}

pub async fn meeting(state: &AppState, actor: &Actor, mid: i64) -> Result<MeetingDetail, AppError> {
    let mut tx = state.store.read().await?;
    let (scope, _) = meeting_scope(&mut tx, actor, mid, CollabAction::View).await?;
    let meeting = tx.meeting(&scope, mid).await?.ok_or(AppError::NotFound)?;
    Ok(MeetingDetail {
        collaboration: tx.collaboration(&scope).await?,
        people: tx.collaboration_people(&scope).await?,
        bodies: bodies(&mut tx, &scope).await?,
        participants: tx.participants(&scope).await?,
        can_contribute: can_contribute(&scope, actor),
        meeting,
    })
}

/// The meeting page's content as `render` writes it, made once for each
/// revision of the collaboration (every change to a meeting, its
/// attendance, its actions' tasks, a partner or a member records an audit
/// entry that raises one) and kept, for those who may change it and for
/// those who may only read it. Access is proved first, on every request.
pub async fn meeting_kept(
    state: &AppState,
    actor: &Actor,
    mid: i64,
    render: impl FnOnce(&MeetingDetail) -> crate::cache::KeptPage,
) -> Result<std::sync::Arc<crate::cache::KeptPage>, AppError> {
    let mut tx = state.store.read().await?;
    let id = tx
        .meeting_collaboration_id(mid)
        .await?
        .ok_or(AppError::NotFound)?;
    let (scope, _, collaboration, revision) =
        super::collaborations::collab_for(&mut tx, actor, id, CollabAction::View).await?;
    let can_contribute = can_contribute(&scope, actor);
    let key = ("meeting", mid, can_contribute.to_string());
    let revision = (revision, super::tasks::today(state));
    if let Some(kept) = state.kept_pages.get(&key, &revision) {
        return Ok(kept);
    }
    let meeting = tx.meeting(&scope, mid).await?.ok_or(AppError::NotFound)?;
    let d = MeetingDetail {
        collaboration,
        people: tx.collaboration_people(&scope).await?,
        bodies: bodies(&mut tx, &scope).await?,
        participants: tx.participants(&scope).await?,
        can_contribute,
        meeting,
    };
    drop(tx);
    let page = std::sync::Arc::new(render(&d));
    state
        .kept_pages
        .put(key, revision, std::sync::Arc::clone(&page));
    Ok(page)
}

/// Checks a meeting and that its body is this collaboration's.
async fn parse(
    tx: &mut Tx,
    scope: &CollabScope,
    input: &MeetingInput<'_>,
) -> Result<MeetingDetails, AppError> {
    let details = MeetingDetails::parse(input)?;
    if let Some(b) = details.body_id
        && tx.governance_body(scope, b).await?.is_none()
    {
        return Err(AppError::invalid(
            "body_id",
            "Choose one of this collaboration's groups, or none.",
        ));
    }
    Ok(details)
}

fn describe(m: &Meeting) -> String {
    format!("\u{201c}{}\u{201d} on {}", m.title, m.held_on)
}

pub async fn add_meeting(
    state: &AppState,
    actor: &Actor,
    id: i64,
    input: &MeetingInput<'_>,
) -> Result<Meeting, AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let (scope, acting) = collab_scope_for(&mut tx, actor, id, CollabAction::Contribute).await?;
    let details = parse(&mut tx, &scope, input).await?;
    let meeting = tx
        .create_meeting(&scope, &details, actor.user.id, now)
        .await?;
    record_in_collaboration(
        &mut tx,
        actor,
        id,
        acting,
        now,
        "meeting.added",
        format!("Added the meeting {}.", describe(&meeting)),
    )
    .await?;
    tx.commit().await?;
    Ok(meeting)
}

/// What became of a change.
#[derive(Debug, Clone)]
pub enum MeetingUpdate {
    Saved(Meeting),
    /// Someone else saved first: nothing was changed; here it is now.
    Stale(Meeting),
}

pub const VERSION_MISSING: &str =
    "Send the version of the meeting you are changing, from when you last read it.";

pub fn stale_message(m: &Meeting) -> String {
    format!(
        "Someone else changed the meeting \u{201c}{}\u{201d} while you were editing it (it is now at version {}). \
         Nothing you sent was saved. Check their change, then make yours again.",
        m.title, m.version
    )
}

fn with_version(e: AppError, version: Option<i64>) -> AppError {
    match e {
        AppError::Invalid(mut errors) if version.is_none() => {
            errors.add("version", VERSION_MISSING);
            AppError::Invalid(errors)
        }
        e => e,
    }
}

#[allow(clippy::too_many_arguments)]
async fn finish(
    mut tx: Tx,
    actor: &Actor,
    scope: &CollabScope,
    acting: i64,
    now: i64,
    change: MeetingChange,
    action: &str,
    summary: impl Fn(&Meeting) -> String,
) -> Result<MeetingUpdate, AppError> {
    let meeting = match change {
        MeetingChange::Saved(m) => *m,
        MeetingChange::Stale(m) => return Ok(MeetingUpdate::Stale(*m)),
        MeetingChange::Missing => return Err(AppError::NotFound),
    };
    record_in_collaboration(
        &mut tx,
        actor,
        scope.collaboration_id(),
        acting,
        now,
        action,
        summary(&meeting),
    )
    .await?;
    tx.commit().await?;
    Ok(MeetingUpdate::Saved(meeting))
}

/// Changes the meeting, its agenda, minutes and decisions.
pub async fn update_meeting(
    state: &AppState,
    actor: &Actor,
    mid: i64,
    version: Option<i64>,
    input: &MeetingInput<'_>,
) -> Result<MeetingUpdate, AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let (scope, acting) = meeting_scope(&mut tx, actor, mid, CollabAction::Contribute).await?;
    tx.meeting(&scope, mid).await?.ok_or(AppError::NotFound)?;
    let details = parse(&mut tx, &scope, input)
        .await
        .map_err(|e| with_version(e, version))?;
    let Some(version) = version else {
        return Err(AppError::invalid("version", VERSION_MISSING));
    };
    let change = tx
        .update_meeting(&scope, mid, version, &details, now)
        .await?;
    finish(
        tx,
        actor,
        &scope,
        acting,
        now,
        change,
        "meeting.changed",
        |m| format!("Changed the meeting {}.", describe(m)),
    )
    .await
}

/// Who came, as sent: (person, organisation, status) and guests one per
/// line. An empty status means the person is not recorded.
#[derive(Debug, Clone, Default)]
pub struct AttendanceInput {
    pub people: Vec<(i64, i64, String)>,
    pub guests: String,
}

/// Replaces who was recorded at the meeting.
pub async fn set_attendance(
    state: &AppState,
    actor: &Actor,
    mid: i64,
    version: Option<i64>,
    input: &AttendanceInput,
) -> Result<MeetingUpdate, AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let (scope, acting) = meeting_scope(&mut tx, actor, mid, CollabAction::Contribute).await?;
    tx.meeting(&scope, mid).await?.ok_or(AppError::NotFound)?;
    let people = tx.collaboration_people(&scope).await?;
    let mut errors = FieldErrors::new();
    let mut attendees: Vec<Attendee> = Vec::new();
    for (user, org, status) in &input.people {
        if status.trim().is_empty() {
            continue;
        }
        let Some(status) = Attendance::parse_code(status) else {
            errors.add(
                "people",
                "Choose present, apologies or absent for each person.",
            );
            continue;
        };
        if !people
            .iter()
            .any(|p| p.user_id == *user && p.organisation_id == *org)
        {
            errors.add(
                "people",
                "Record people of the organisations taking part, each for one of their organisations.",
            );
            continue;
        }
        let seen = attendees.iter().any(|a| {
            matches!(a, Attendee::Person { user_id, organisation_id, .. } if user_id == user && organisation_id == org)
        });
        if !seen {
            attendees.push(Attendee::Person {
                user_id: *user,
                organisation_id: *org,
                status,
            });
        }
    }
    match parse_guests(&input.guests) {
        Ok(guests) => attendees.extend(guests.into_iter().map(|name| Attendee::Guest { name })),
        Err(e) => {
            for f in e.0 {
                errors.add(f.field, f.message);
            }
        }
    }
    if version.is_none() {
        errors.add("version", VERSION_MISSING);
    }
    errors.into_result()?;
    let version = version.unwrap_or_default();
    let change = tx
        .set_attendance(&scope, mid, version, &attendees, now)
        .await?;
    finish(
        tx,
        actor,
        &scope,
        acting,
        now,
        change,
        "meeting.attendance",
        |m| {
            let present = m
                .attendance
                .iter()
                .filter(|a| a.status == Attendance::Present)
                .count();
            format!(
                "Recorded who came to the meeting {}: {present} present.",
                describe(m)
            )
        },
    )
    .await
}

/// An action agreed at a meeting, as sent.
#[derive(Debug, Clone, Copy, Default)]
pub struct ActionInput<'a> {
    pub title: &'a str,
    pub owner_organisation_id: &'a str,
    pub assignee_id: &'a str,
    pub due_on: &'a str,
}

/// Turns an agreed action into a task of the action plan, linked to the
/// meeting, in one transaction.
pub async fn add_action(
    state: &AppState,
    actor: &Actor,
    mid: i64,
    input: &ActionInput<'_>,
) -> Result<(Meeting, Task), AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let (scope, acting) = meeting_scope(&mut tx, actor, mid, CollabAction::Contribute).await?;
    let meeting = tx.meeting(&scope, mid).await?.ok_or(AppError::NotFound)?;
    let description = format!(
        "Agreed at the meeting \u{201c}{}\u{201d} on {}.",
        meeting.title, meeting.held_on
    );
    let task = insert_task(
        &mut tx,
        actor,
        &scope,
        acting,
        now,
        &TaskInput {
            title: input.title,
            description: &description,
            owner_organisation_id: input.owner_organisation_id,
            assignee_id: input.assignee_id,
            due_on: input.due_on,
            ..TaskInput::default()
        },
        &[],
    )
    .await?;
    tx.add_meeting_action(mid, task.id).await?;
    record_in_collaboration(
        &mut tx,
        actor,
        scope.collaboration_id(),
        acting,
        now,
        "meeting.action_added",
        format!(
            "Turned an action of the meeting {} into the task \u{201c}{}\u{201d}.",
            describe(&meeting),
            task.title
        ),
    )
    .await?;
    let meeting = tx.meeting(&scope, mid).await?.ok_or(AppError::NotFound)?;
    let told = super::tasks::tell_about(&mut tx, actor, &scope, None, &task, now).await?;
    tx.commit().await?;
    super::notifications::deliver(state, told).await;
    Ok((meeting, task))
}

/// Removes a meeting; its actions stay in the action plan. Answers the
/// collaboration it was in.
pub async fn delete_meeting(state: &AppState, actor: &Actor, mid: i64) -> Result<i64, AppError> {
    let now = state.clock.now();
    let mut tx = state.store.write().await?;
    let (scope, acting) = meeting_scope(&mut tx, actor, mid, CollabAction::Contribute).await?;
    let meeting = tx.meeting(&scope, mid).await?.ok_or(AppError::NotFound)?;
    if !tx.delete_meeting(&scope, mid).await? {
        return Err(AppError::NotFound);
    }
    record_in_collaboration(
        &mut tx,
        actor,
        scope.collaboration_id(),
        acting,
        now,
        "meeting.removed",
        format!("Removed the meeting {}.", describe(&meeting)),
    )
    .await?;
    tx.commit().await?;
    Ok(scope.collaboration_id())
}

/// `2027-01-14` and `14:00` as an iCalendar local ("floating") time.
fn ics_time(date: &str, time: &str) -> String {
    format!("{}T{}00", date.replace('-', ""), time.replace(':', ""))
}

/// The meeting as an iCalendar invitation: (file name, text). Times are
/// local times as entered, with no time zone, so a calendar shows them
/// as written.
pub async fn invitation(
    state: &AppState,
    actor: &Actor,
    mid: i64,
) -> Result<(String, String), AppError> {
    use icalendar::{Calendar, Component, Event, EventLike};
    let d = meeting(state, actor, mid).await?;
    let m = &d.meeting;
    let (end_date, end_time) = ends_at(&m.held_on, &m.starts_at, m.duration_minutes);
    let mut description = format!("{}\n", d.collaboration.title);
    if let Some(b) = &m.body_name {
        description.push_str(&format!("Meeting of {b}\n"));
    }
    if !m.agenda.is_empty() {
        description.push_str("\nAgenda:\n");
        for (i, item) in m.agenda.iter().enumerate() {
            description.push_str(&format!("{}. {item}\n", i + 1));
        }
    }
    let url = state.config.link(&format!("/meetings/{}", m.id));
    description.push_str(&format!("\nDetails: {url}"));
    let stamp = crate::clock::format_rfc3339(m.updated_at)
        .replace(['-', ':'], "")
        .chars()
        .take(15)
        .collect::<String>()
        + "Z";
    let host = state
        .config
        .public_url
        .split("://")
        .nth(1)
        .unwrap_or("commonground")
        .trim_end_matches('/')
        .to_string();
    let event = Event::new()
        .uid(&format!("meeting-{}@{host}", m.id))
        .add_property("DTSTAMP", stamp)
        .add_property("DTSTART", ics_time(&m.held_on, &m.starts_at))
        .add_property("DTEND", ics_time(&end_date, &end_time))
        .sequence(u32::try_from(m.version).unwrap_or(0))
        .summary(&m.title)
        .location(&m.place)
        .description(&description)
        .url(&url)
        .done();
    let calendar = Calendar::new()
        .name(&d.collaboration.title)
        .push(event)
        .done();
    Ok((format!("meeting-{}.ics", m.id), calendar.to_string()))
}
