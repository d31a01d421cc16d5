//! Meetings: when and where the partners meet (the whole collaboration or
//! one of its governance bodies), the agenda, who came, the minutes, the
//! decisions taken and the actions agreed (each action is a task of the
//! action plan).
//!
//! Rules decided here: a meeting has a title, a real date, a start time
//! (24-hour HH:MM), a length between 5 minutes and 12 hours and a place
//! or link. Agenda items and decisions are single lines, kept in the order
//! given. Attendance is present, apologies or absent.

use crate::errors::{FieldError, FieldErrors, field_error};
use crate::tasks::iso_date;
use crate::values::{optional_text, required_line};
use serde::{Deserialize, Serialize};

pub const TITLE_MAX: usize = 200;
pub const PLACE_MAX: usize = 500;
pub const MINUTES_MAX: usize = 50_000;
pub const ITEMS_MAX: usize = 50;
pub const ITEM_MAX: usize = 300;
pub const GUESTS_MAX: usize = 50;
pub const DURATION_MIN: i64 = 5;
pub const DURATION_MAX: i64 = 12 * 60;

/// Whether someone came.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Attendance {
    Present,
    Apologies,
    Absent,
}

impl Attendance {
    pub const ALL: [Attendance; 3] = [
        Attendance::Present,
        Attendance::Apologies,
        Attendance::Absent,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Attendance::Present => "present",
            Attendance::Apologies => "apologies",
            Attendance::Absent => "absent",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Attendance::Present => "Present",
            Attendance::Apologies => "Sent apologies",
            Attendance::Absent => "Absent",
        }
    }

    pub fn parse_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.code() == code.trim())
    }
}

/// A start time written `HH:MM` on the 24-hour clock.
pub fn parse_time(field: &str, raw: &str) -> Result<String, FieldError> {
    let t = raw.trim();
    let bad = || {
        field_error(
            field,
            "Enter the start time on the 24-hour clock, like 09:30 or 14:00.",
        )
    };
    let b = t.as_bytes();
    if b.len() != 5 || b[2] != b':' || ![0, 1, 3, 4].iter().all(|&i| b[i].is_ascii_digit()) {
        return Err(bad());
    }
    let h: u32 = t[..2].parse().map_err(|_| bad())?;
    let m: u32 = t[3..].parse().map_err(|_| bad())?;
    if h > 23 || m > 59 {
        return Err(bad());
    }
    Ok(t.to_string())
}

/// Lines typed one per line: blank lines dropped, order kept.
pub fn lines(
    field: &str,
    label: &str,
    raw: &str,
    max_items: usize,
    max_len: usize,
) -> Result<Vec<String>, FieldError> {
    let mut out = Vec::new();
    for line in raw.lines() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if line.chars().any(char::is_control) {
            return Err(field_error(
                field,
                format!("The {label} contain characters that cannot be saved."),
            ));
        }
        if line.chars().count() > max_len {
            return Err(field_error(
                field,
                format!("Each line of the {label} must be {max_len} characters or fewer."),
            ));
        }
        out.push(line.to_string());
    }
    if out.len() > max_items {
        return Err(field_error(
            field,
            format!("List at most {max_items} {label}."),
        ));
    }
    Ok(out)
}

/// A meeting as typed on the form or sent to the API (agenda and
/// decisions one per line).
#[derive(Debug, Clone, Copy, Default)]
pub struct MeetingInput<'a> {
    pub title: &'a str,
    pub held_on: &'a str,
    pub starts_at: &'a str,
    pub duration_minutes: &'a str,
    pub place: &'a str,
    pub body_id: &'a str,
    pub agenda: &'a str,
    pub minutes: &'a str,
    pub decisions: &'a str,
}

/// A meeting as it may be saved. That the body is this collaboration's is
/// checked by the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingDetails {
    pub title: String,
    pub held_on: String,
    pub starts_at: String,
    pub duration_minutes: i64,
    pub place: String,
    pub body_id: Option<i64>,
    pub agenda: Vec<String>,
    /// Markdown; empty until someone writes them.
    pub minutes: String,
    pub decisions: Vec<String>,
}

impl MeetingDetails {
    pub fn parse(input: &MeetingInput<'_>) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let title = errors.take(required_line("title", "a title", input.title, 1, TITLE_MAX));
        let held_on = match errors.take(iso_date("held_on", "the date", input.held_on)) {
            Some(Some(d)) => Some(d),
            Some(None) => {
                errors.add("held_on", "Enter the date of the meeting, like 2027-03-31.");
                None
            }
            None => None,
        };
        let starts_at = errors.take(parse_time("starts_at", input.starts_at));
        let duration = match input.duration_minutes.trim().parse::<i64>() {
            Ok(d) if (DURATION_MIN..=DURATION_MAX).contains(&d) => Some(d),
            _ => {
                errors.add(
                    "duration_minutes",
                    format!(
                        "Enter how long the meeting lasts in minutes, from {DURATION_MIN} to {DURATION_MAX}."
                    ),
                );
                None
            }
        };
        let place = errors.take(required_line(
            "place",
            "the place or the link to join",
            input.place,
            1,
            PLACE_MAX,
        ));
        let body_id = match input.body_id.trim() {
            "" => None,
            t => match t.parse::<i64>() {
                Ok(v) if v > 0 => Some(v),
                _ => {
                    errors.add("body_id", "Choose a group from the list, or none.");
                    None
                }
            },
        };
        let agenda = errors.take(lines(
            "agenda",
            "agenda items",
            input.agenda,
            ITEMS_MAX,
            ITEM_MAX,
        ));
        let minutes = errors.take(optional_text(
            "minutes",
            "the minutes",
            input.minutes,
            MINUTES_MAX,
        ));
        let decisions = errors.take(lines(
            "decisions",
            "decisions",
            input.decisions,
            ITEMS_MAX,
            ITEM_MAX,
        ));
        match (
            title, held_on, starts_at, duration, place, agenda, minutes, decisions,
        ) {
            (
                Some(title),
                Some(held_on),
                Some(starts_at),
                Some(duration_minutes),
                Some(place),
                Some(agenda),
                Some(minutes),
                Some(decisions),
            ) if errors.is_empty() => Ok(MeetingDetails {
                title,
                held_on,
                starts_at,
                duration_minutes,
                place,
                body_id,
                agenda,
                minutes,
                decisions,
            }),
            _ => Err(errors),
        }
    }
}

/// Guests' names, one per line.
pub fn parse_guests(raw: &str) -> Result<Vec<String>, FieldErrors> {
    lines("guests", "guests", raw, GUESTS_MAX, 100).map_err(|e| FieldErrors(vec![e]))
}

/// The meeting's end, as (date, HH:MM) counting days on; `held_on` and
/// `starts_at` as saved.
pub fn ends_at(held_on: &str, starts_at: &str, duration_minutes: i64) -> (String, String) {
    let h: i64 = starts_at[..2].parse().unwrap_or(0);
    let m: i64 = starts_at[3..].parse().unwrap_or(0);
    let total = h * 60 + m + duration_minutes.max(0);
    let (days, rest) = (total / (24 * 60), total % (24 * 60));
    let mut date = held_on.to_string();
    for _ in 0..days {
        date = next_day(&date);
    }
    (date, format!("{:02}:{:02}", rest / 60, rest % 60))
}

fn next_day(date: &str) -> String {
    let y: u32 = date[..4].parse().unwrap_or(2000);
    let m: u32 = date[5..7].parse().unwrap_or(1);
    let d: u32 = date[8..10].parse().unwrap_or(1);
    let leap = (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400);
    let days = match m {
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => 31,
    };
    let (y, m, d) = if d < days {
        (y, m, d + 1)
    } else if m < 12 {
        (y, m + 1, 1)
    } else {
        (y + 1, 1, 1)
    };
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input<'a>() -> MeetingInput<'a> {
        MeetingInput {
            title: " Steering group ",
            held_on: "2027-01-14",
            starts_at: "14:00",
            duration_minutes: "90",
            place: "Leeds Community Hall",
            body_id: "",
            agenda: "Welcome\n\n  Budget  \nAny other business\n",
            minutes: "We met.\r\nAgreed the budget.",
            decisions: "Adopt the budget",
        }
    }

    #[test]
    fn meetings_parse() {
        let m = MeetingDetails::parse(&input()).unwrap();
        assert_eq!(m.title, "Steering group");
        assert_eq!(m.agenda, ["Welcome", "Budget", "Any other business"]);
        assert_eq!(m.minutes, "We met.\nAgreed the budget.");
        assert_eq!(m.decisions, ["Adopt the budget"]);
        assert_eq!((m.duration_minutes, m.body_id), (90, None));
        let e = MeetingDetails::parse(&MeetingInput {
            title: "",
            held_on: "2027-02-30",
            starts_at: "24:00",
            duration_minutes: "4",
            place: " ",
            body_id: "x",
            agenda: &"a\n".repeat(ITEMS_MAX + 1),
            minutes: "",
            decisions: &"d".repeat(ITEM_MAX + 1),
        })
        .unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "title",
                "held_on",
                "starts_at",
                "duration_minutes",
                "place",
                "body_id",
                "agenda",
                "decisions"
            ]
        );
        let e = MeetingDetails::parse(&MeetingInput {
            held_on: "",
            ..input()
        })
        .unwrap_err();
        assert_eq!(
            e.get("held_on"),
            Some("Enter the date of the meeting, like 2027-03-31.")
        );
    }

    #[test]
    fn times_and_ends() {
        assert_eq!(parse_time("t", " 09:05 ").unwrap(), "09:05");
        for bad in ["9:05", "09:60", "24:00", "0905", "ab:cd", ""] {
            assert!(parse_time("t", bad).is_err(), "{bad}");
        }
        assert_eq!(
            ends_at("2027-01-14", "14:00", 90),
            ("2027-01-14".into(), "15:30".into())
        );
        assert_eq!(
            ends_at("2027-12-31", "23:30", 60),
            ("2028-01-01".into(), "00:30".into())
        );
        assert_eq!(
            ends_at("2028-02-28", "22:00", 180),
            ("2028-02-29".into(), "01:00".into())
        );
        for a in Attendance::ALL {
            assert_eq!(Attendance::parse_code(a.code()), Some(a));
        }
        assert_eq!(parse_guests("Ann\n\nBob\n").unwrap(), ["Ann", "Bob"]);
    }
}
