//! The meeting log: when the partners met, which governance body met (if
//! any), who came, notes, and follow-ups with an owner organisation and a
//! due date. Follow-ups are rows of their own so the Implement stage can
//! turn them into tasks.

use crate::errors::{FieldErrors, field_error};
use crate::values::{optional_text, required_line};

pub const NOTES_MAX: usize = 20_000;
pub const FOLLOW_UP_MAX: usize = 500;
pub const ATTENDEES_MAX: usize = 200;

/// A calendar date as `YYYY-MM-DD`, between the years 2000 and 2100.
pub fn parse_date(field: &str, label: &str, raw: &str) -> Result<String, crate::FieldError> {
    let t = raw.trim();
    if t.is_empty() {
        return Err(field_error(field, format!("Enter {label}.")));
    }
    let bad = || {
        field_error(
            field,
            format!("Enter {label} as a real date, like 2026-03-31 (year, month, day)."),
        )
    };
    let b = t.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return Err(bad());
    }
    let num = |s: &str| -> Option<u32> {
        s.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| s.parse().ok())
            .flatten()
    };
    let (Some(y), Some(m), Some(d)) = (num(&t[..4]), num(&t[5..7]), num(&t[8..10])) else {
        return Err(bad());
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return Err(bad()),
    };
    if !(2000..=2100).contains(&y) || d == 0 || d > days {
        return Err(bad());
    }
    Ok(t.to_string())
}

/// A meeting as it may be saved (who came is checked by the caller
/// against the people of the organisations taking part).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingDetails {
    pub held_on: String,
    pub body_id: Option<i64>,
    pub attendees: Vec<i64>,
    pub notes: String,
}

#[derive(Debug, Clone, Default)]
pub struct MeetingInput<'a> {
    pub held_on: &'a str,
    pub body_id: Option<i64>,
    pub attendees: Vec<i64>,
    pub notes: &'a str,
}

impl MeetingDetails {
    pub fn parse(input: &MeetingInput<'_>) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let held_on = errors.take(parse_date(
            "held_on",
            "the date of the meeting",
            input.held_on,
        ));
        let mut attendees: Vec<i64> = Vec::new();
        for &a in &input.attendees {
            if !attendees.contains(&a) {
                attendees.push(a);
            }
        }
        if attendees.len() > ATTENDEES_MAX {
            errors.add(
                "attendees",
                format!("At most {ATTENDEES_MAX} people can be recorded as coming."),
            );
        }
        let notes = errors.take(optional_text("notes", "the notes", input.notes, NOTES_MAX));
        match (held_on, notes) {
            (Some(held_on), Some(notes)) if errors.is_empty() => Ok(MeetingDetails {
                held_on,
                body_id: input.body_id,
                attendees,
                notes,
            }),
            _ => Err(errors),
        }
    }
}

/// A follow-up as it may be saved (its owner is checked by the caller to
/// be an organisation taking part).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUpDetails {
    pub text: String,
    pub owner_organisation_id: i64,
    pub due_on: String,
}

impl FollowUpDetails {
    pub fn parse(text: &str, owner: Option<i64>, due_on: &str) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let text = errors.take(required_line(
            "text",
            "what needs doing",
            text,
            1,
            FOLLOW_UP_MAX,
        ));
        if owner.is_none() {
            errors.add(
                "owner_organisation_id",
                "Choose the organisation that will do it.",
            );
        }
        let due_on = errors.take(parse_date("due_on", "the date it is due", due_on));
        match (text, owner, due_on) {
            (Some(text), Some(owner_organisation_id), Some(due_on)) if errors.is_empty() => {
                Ok(FollowUpDetails {
                    text,
                    owner_organisation_id,
                    due_on,
                })
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(
            parse_date("d", "the date", " 2024-02-29 ").unwrap(),
            "2024-02-29"
        );
        for bad in [
            "2023-02-29",
            "2026-13-01",
            "2026-1-01",
            "26-01-01",
            "1999-12-31",
            "2026/01/01",
            "2026-01-0x",
            "２０２６-01-01",
        ] {
            assert!(parse_date("d", "the date", bad).is_err(), "{bad}");
        }
        assert_eq!(
            parse_date("d", "the date", "").unwrap_err().message,
            "Enter the date."
        );
    }

    #[test]
    fn meetings_and_follow_ups() {
        let m = MeetingDetails::parse(&MeetingInput {
            held_on: "2026-11-20",
            body_id: Some(3),
            attendees: vec![4, 4, 5],
            notes: "We met.\r\nAgreed the budget.",
        })
        .unwrap();
        assert_eq!(m.attendees, [4, 5]);
        assert_eq!(m.notes, "We met.\nAgreed the budget.");
        let e = MeetingDetails::parse(&MeetingInput {
            held_on: "soon",
            notes: &"n".repeat(NOTES_MAX + 1),
            ..Default::default()
        })
        .unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["held_on", "notes"]);
        let f = FollowUpDetails::parse(" Send the budget ", Some(2), "2026-12-01").unwrap();
        assert_eq!(f.text, "Send the budget");
        let e = FollowUpDetails::parse("", None, "").unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["text", "owner_organisation_id", "due_on"]);
    }
}
