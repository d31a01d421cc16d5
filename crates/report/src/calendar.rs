//! Calendar feeds as iCalendar (RFC 5545), written by the `icalendar`
//! crate, which escapes the text and folds long lines.
//!
//! Each task with a due date is an all-day event on that date. Events,
//! not to-dos: Google Calendar and Outlook show the events of a
//! subscribed calendar but ignore its to-dos, and a due date is a day in
//! the diary. The event's UID is the task's id and the site's host, so a
//! calendar app updates the same event when the task changes. Calendar
//! apps ignore URL, so the task's page address is in DESCRIPTION too.

use icalendar::{Calendar, Component, Event, EventLike, EventStatus};

/// One task as the feed shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedItem {
    pub id: i64,
    pub title: String,
    /// `YYYY-MM-DD`.
    pub due_on: String,
    pub milestone: bool,
    pub cancelled: bool,
    /// Lines about the task (status, owner, assignee), before its address.
    pub details: Vec<String>,
    /// The task's page, as a full address.
    pub page: String,
    /// How many times it has changed, from 1.
    pub version: i64,
    /// When it last changed, in seconds since 1970.
    pub updated_at: i64,
}

/// The stable identifier of a task's event.
pub fn uid(task_id: i64, host: &str) -> String {
    format!("task-{task_id}@{host}")
}

/// The whole feed: a calendar named `name` with one event a task. Items
/// whose date cannot be read are left out.
pub fn feed(name: &str, host: &str, items: &[FeedItem]) -> String {
    let mut calendar = Calendar::empty();
    calendar.append_property(("VERSION", "2.0"));
    calendar.append_property(("PRODID", "-//Common Ground//Tasks//EN"));
    calendar.append_property(("CALSCALE", "GREGORIAN"));
    calendar.append_property(("METHOD", "PUBLISH"));
    calendar.name(name);
    for item in items {
        let Ok(day) = chrono::NaiveDate::parse_from_str(&item.due_on, "%Y-%m-%d") else {
            continue;
        };
        let Some(next) = day.succ_opt() else {
            continue;
        };
        let changed = chrono::DateTime::from_timestamp(item.updated_at, 0).unwrap_or_default();
        let mut description = item.details.join("\n");
        if !description.is_empty() {
            description.push_str("\n\n");
        }
        description.push_str(&item.page);
        let summary = if item.milestone {
            format!("Milestone: {}", item.title)
        } else {
            item.title.clone()
        };
        let event = Event::new()
            .uid(&uid(item.id, host))
            .summary(&summary)
            .description(&description)
            .starts(day)
            .ends(next)
            .url(&item.page)
            .timestamp(changed)
            .last_modified(changed)
            .sequence(u32::try_from(item.version.max(0)).unwrap_or(u32::MAX))
            .status(if item.cancelled {
                EventStatus::Cancelled
            } else {
                EventStatus::Confirmed
            })
            .add_property("TRANSP", "TRANSPARENT")
            .done();
        calendar.push(event);
    }
    calendar.done().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: i64, title: &str, due: &str) -> FeedItem {
        FeedItem {
            id,
            title: title.to_string(),
            due_on: due.to_string(),
            milestone: false,
            cancelled: false,
            details: vec!["Status: Not started".into()],
            page: format!("https://cg.example/tasks/{id}"),
            version: 1,
            updated_at: 1_800_000_000,
        }
    }

    #[test]
    fn every_line_is_short_and_the_same_feed_comes_out_the_same() {
        let items = [
            item(
                1,
                &"Trefnu’r cyfarfod cyhoeddus ym Mhwllheli ".repeat(4),
                "2027-03-01",
            ),
            item(2, "Bad date", "2027-02-30"),
        ];
        let a = feed("Tasks", "cg.example", &items);
        assert_eq!(a, feed("Tasks", "cg.example", &items));
        assert!(a.lines().all(|l| l.len() <= 75), "{a}");
        assert!(a.contains("UID:task-1@cg.example\r\n"));
        assert!(a.starts_with(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Common Ground//Tasks//EN\r\n"
        ));
        assert_eq!(a.matches("PRODID").count(), 1);
        assert!(!a.contains("task-2@"));
        assert!(a.contains("DTSTART;VALUE=DATE:20270301\r\n"));
        assert!(a.contains("DTEND;VALUE=DATE:20270302\r\n"));
    }
}
