//! The communications plan of the Implement stage: who needs to hear what,
//! why, through which channel, from whom and when; and a log of what
//! actually went out, each entry linked to one item of the plan.
//!
//! Rules decided here:
//! - An item happens once, on a date, or again and again (every week,
//!   month or quarter) from a first date. A monthly or quarterly item
//!   started on the 31st falls on the last day of shorter months.
//! - The next date due: for a one-off item, its date until anything is
//!   logged for it; for a recurring item, the first date in the series
//!   after the last one sent (its first date when nothing is logged). A
//!   log entry counts for the day it was sent, so sending late covers the
//!   date that was missed, and sending early does not cover the next one.
//! - Items done or dropped have nothing due.
//! - An item is overdue when its next date due is before today, and due
//!   when it is today.

use crate::FieldError;
use crate::errors::FieldErrors;
use crate::problems::days_from_iso;
use crate::stage::ChecklistItem;
use crate::tasks::iso_date;
use crate::values::{optional_text, required_line};
use serde::{Deserialize, Serialize};

/// How a message goes out. Plain words, a fixed list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Email,
    Newsletter,
    SocialMedia,
    Website,
    PressRelease,
    MeetingOrEvent,
    Letter,
    Phone,
    LeafletOrPoster,
    Other,
}

impl Channel {
    pub const ALL: [Channel; 10] = [
        Channel::Email,
        Channel::Newsletter,
        Channel::SocialMedia,
        Channel::Website,
        Channel::PressRelease,
        Channel::MeetingOrEvent,
        Channel::Letter,
        Channel::Phone,
        Channel::LeafletOrPoster,
        Channel::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Newsletter => "newsletter",
            Channel::SocialMedia => "social_media",
            Channel::Website => "website",
            Channel::PressRelease => "press_release",
            Channel::MeetingOrEvent => "meeting_or_event",
            Channel::Letter => "letter",
            Channel::Phone => "phone",
            Channel::LeafletOrPoster => "leaflet_or_poster",
            Channel::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Channel::Email => "Email",
            Channel::Newsletter => "Newsletter",
            Channel::SocialMedia => "Social media",
            Channel::Website => "Website",
            Channel::PressRelease => "Press release",
            Channel::MeetingOrEvent => "Meeting or event",
            Channel::Letter => "Letter",
            Channel::Phone => "Phone",
            Channel::LeafletOrPoster => "Leaflet or poster",
            Channel::Other => "Other",
        }
    }

    pub fn parse_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code.trim())
    }

    /// The label of a stored code; "Other" for one no longer known.
    pub fn label_of(code: &str) -> &'static str {
        Self::parse_code(code).unwrap_or(Channel::Other).label()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CommsStatus {
    Planned,
    InProgress,
    Done,
    Dropped,
}

impl CommsStatus {
    pub const ALL: [CommsStatus; 4] = [
        CommsStatus::Planned,
        CommsStatus::InProgress,
        CommsStatus::Done,
        CommsStatus::Dropped,
    ];

    pub fn code(self) -> &'static str {
        match self {
            CommsStatus::Planned => "planned",
            CommsStatus::InProgress => "in_progress",
            CommsStatus::Done => "done",
            CommsStatus::Dropped => "dropped",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            CommsStatus::Planned => "Planned",
            CommsStatus::InProgress => "In progress",
            CommsStatus::Done => "Done",
            CommsStatus::Dropped => "Dropped",
        }
    }

    pub fn parse_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code.trim())
    }

    /// Still expected to go out: planned or in progress.
    pub fn is_live(self) -> bool {
        matches!(self, CommsStatus::Planned | CommsStatus::InProgress)
    }
}

/// When an item goes out: once, or again and again from its first date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Timing {
    Once,
    Weekly,
    Monthly,
    Quarterly,
}

impl Timing {
    pub const ALL: [Timing; 4] = [
        Timing::Once,
        Timing::Weekly,
        Timing::Monthly,
        Timing::Quarterly,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Timing::Once => "once",
            Timing::Weekly => "weekly",
            Timing::Monthly => "monthly",
            Timing::Quarterly => "quarterly",
        }
    }

    /// For a choice on a form.
    pub fn label(self) -> &'static str {
        match self {
            Timing::Once => "Once, on a date",
            Timing::Weekly => "Every week",
            Timing::Monthly => "Every month",
            Timing::Quarterly => "Every quarter",
        }
    }

    pub fn parse_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.code() == code.trim())
    }

    pub fn is_recurring(self) -> bool {
        self != Timing::Once
    }

    /// "On 2027-01-15" or "Every month from 2027-01-15".
    pub fn describe(self, on: &str) -> String {
        match self {
            Timing::Once => format!("On {on}"),
            t => format!("{} from {on}", t.label()),
        }
    }
}

pub(crate) fn days_in_month(y: i64, m: i64) -> i64 {
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        _ => 28,
    }
}

/// The ISO date of a day counted from 1970-01-01.
pub fn iso_from_days(z: i64) -> String {
    // Howard Hinnant's civil_from_days.
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Year, month and day of an ISO date that can be read.
pub(crate) fn ymd(iso: &str) -> Option<(i64, i64, i64)> {
    days_from_iso(iso)?;
    Some((
        iso[0..4].parse().ok()?,
        iso[5..7].parse().ok()?,
        iso[8..10].parse().ok()?,
    ))
}

/// The `k`th date of a series (the first is `k = 0`), or None for a date
/// that cannot be read or a series that runs past the year 9999.
pub fn occurrence(timing: Timing, first: &str, k: i64) -> Option<String> {
    let (y, m, d) = ymd(first)?;
    let out = match timing {
        Timing::Once => (k == 0).then(|| first.to_string())?,
        Timing::Weekly => iso_from_days(days_from_iso(first)? + 7 * k),
        Timing::Monthly | Timing::Quarterly => {
            let step = if timing == Timing::Monthly { 1 } else { 3 };
            let months = (m - 1) + step * k;
            let (ny, nm) = (y + months.div_euclid(12), months.rem_euclid(12) + 1);
            format!("{ny:04}-{nm:02}-{:02}", d.min(days_in_month(ny, nm)))
        }
    };
    (out.len() == 10 && out.as_str() <= "9999-12-31").then_some(out)
}

/// The next date due, from the item's timing, status and the date of the
/// last thing sent for it (see the module's rules).
pub fn next_due(
    timing: Timing,
    first: &str,
    status: CommsStatus,
    last_sent: Option<&str>,
) -> Option<String> {
    if !status.is_live() {
        return None;
    }
    let Some(last) = last_sent else {
        return Some(first.to_string());
    };
    if timing == Timing::Once {
        return None;
    }
    if last < first {
        return Some(first.to_string());
    }
    // Too few steps to pass the last one sent (a month is never longer
    // than 31 days, a quarter than 92), then walk to the first date after it.
    let (fd, ld) = (days_from_iso(first)?, days_from_iso(last)?);
    let per = match timing {
        Timing::Weekly => 7,
        Timing::Monthly => 31,
        _ => 92,
    };
    let mut k = ((ld - fd) / per - 2).max(0);
    loop {
        let d = occurrence(timing, first, k)?;
        if d.as_str() > last {
            return Some(d);
        }
        k += 1;
    }
}

/// Where an item stands on a day, in words as well as a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DueState {
    /// Done, dropped, or a one-off already sent.
    NothingDue,
    Upcoming,
    DueToday,
    Overdue,
}

impl DueState {
    pub fn of(next_due: Option<&str>, today: &str) -> Self {
        match next_due {
            None => DueState::NothingDue,
            Some(d) if d > today => DueState::Upcoming,
            Some(d) if d == today => DueState::DueToday,
            Some(_) => DueState::Overdue,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            DueState::NothingDue => "nothing_due",
            DueState::Upcoming => "upcoming",
            DueState::DueToday => "due_today",
            DueState::Overdue => "overdue",
        }
    }

    /// A sentence for the item's page.
    pub fn words(self, next_due: Option<&str>) -> String {
        let d = next_due.unwrap_or("");
        match self {
            DueState::NothingDue => "Nothing more is due.".to_string(),
            DueState::Upcoming => format!("Next due on {d}."),
            DueState::DueToday => format!("Due today, {d}."),
            DueState::Overdue => {
                format!("Overdue: it was due on {d} and nothing has been logged since.")
            }
        }
    }
}

/// A plan item's fields as typed on the form or sent to the API.
#[derive(Debug, Clone, Copy, Default)]
pub struct ItemInput<'a> {
    pub audience: &'a str,
    pub purpose: &'a str,
    pub key_message: &'a str,
    pub channel: &'a str,
    pub owner_organisation_id: &'a str,
    pub owner_person_id: &'a str,
    pub timing: &'a str,
    pub on_date: &'a str,
    pub status: &'a str,
}

/// A plan item's fields, valid on their own. That the owner organisation
/// takes part and the owner person belongs to it is checked by the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemFields {
    pub audience: String,
    pub purpose: String,
    pub key_message: String,
    pub channel: Channel,
    pub owner_organisation_id: i64,
    pub owner_person_id: Option<i64>,
    pub timing: Timing,
    /// The date, or the first date of a recurring item.
    pub on_date: String,
    pub status: CommsStatus,
}

fn id_field(errors: &mut FieldErrors, field: &str, raw: &str, message: &str) -> Option<i64> {
    match raw.trim() {
        "" => None,
        t => match t.parse::<i64>() {
            Ok(v) if v > 0 => Some(v),
            _ => {
                errors.add(field, message);
                None
            }
        },
    }
}

impl ItemFields {
    pub fn parse(input: &ItemInput) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let audience = errors.take(required_line(
            "audience",
            "who it is for",
            input.audience,
            1,
            200,
        ));
        let purpose = errors.take(required_line(
            "purpose",
            "what it is for",
            input.purpose,
            1,
            300,
        ));
        let key_message = errors.take(required_text(
            "key_message",
            "the key message",
            input.key_message,
            2000,
        ));
        let channel = Channel::parse_code(input.channel);
        if channel.is_none() {
            errors.add("channel", "Choose a channel from the list.");
        }
        let owner_organisation_id = id_field(
            &mut errors,
            "owner_organisation_id",
            input.owner_organisation_id,
            "Choose the organisation that sends it from the list.",
        );
        if owner_organisation_id.is_none() && errors.get("owner_organisation_id").is_none() {
            errors.add(
                "owner_organisation_id",
                "Choose the organisation that sends it.",
            );
        }
        let owner_person_id = id_field(
            &mut errors,
            "owner_person_id",
            input.owner_person_id,
            "Choose the person who sends it from the list, or nobody yet.",
        );
        let timing = if input.timing.trim().is_empty() {
            Some(Timing::Once)
        } else {
            Timing::parse_code(input.timing)
        };
        if timing.is_none() {
            errors.add(
                "timing",
                "Choose once, every week, every month or every quarter.",
            );
        }
        let on_date = match iso_date("on_date", "the date", input.on_date) {
            Ok(Some(d)) => Some(d),
            Ok(None) => {
                errors.add(
                    "on_date",
                    if timing.is_some_and(Timing::is_recurring) {
                        "Enter the first date, like 2027-03-31."
                    } else {
                        "Enter the date, like 2027-03-31."
                    },
                );
                None
            }
            Err(e) => {
                errors.add(e.field, e.message);
                None
            }
        };
        let status = if input.status.trim().is_empty() {
            Some(CommsStatus::Planned)
        } else {
            CommsStatus::parse_code(input.status)
        };
        if status.is_none() {
            errors.add("status", "Choose planned, in progress, done or dropped.");
        }
        errors.into_result()?;
        match (
            audience,
            purpose,
            key_message,
            channel,
            owner_organisation_id,
            timing,
            on_date,
            status,
        ) {
            (
                Some(audience),
                Some(purpose),
                Some(key_message),
                Some(channel),
                Some(owner_organisation_id),
                Some(timing),
                Some(on_date),
                Some(status),
            ) => Ok(ItemFields {
                audience,
                purpose,
                key_message,
                channel,
                owner_organisation_id,
                owner_person_id,
                timing,
                on_date,
                status,
            }),
            _ => Err(FieldErrors::single("audience", "Check the fields.")),
        }
    }
}

fn required_text(field: &str, label: &str, raw: &str, max: usize) -> Result<String, FieldError> {
    let v = optional_text(field, label, raw, max)?;
    if v.is_empty() {
        return Err(FieldError {
            field: field.to_string(),
            message: format!("Enter {label}."),
        });
    }
    Ok(v)
}

/// An optional web address of what went out: http or https only.
pub fn optional_link(field: &str, raw: &str) -> Result<Option<String>, FieldError> {
    let v = raw.trim();
    if v.is_empty() {
        return Ok(None);
    }
    let bad = |message: &str| FieldError {
        field: field.to_string(),
        message: message.to_string(),
    };
    if v.chars().count() > 500 {
        return Err(bad("The link must be 500 characters or fewer."));
    }
    let lower = v.to_ascii_lowercase();
    let rest = if let Some(r) = lower.strip_prefix("https://") {
        r
    } else if let Some(r) = lower.strip_prefix("http://") {
        r
    } else {
        return Err(bad(
            "Enter a link that starts with https:// or http://, like https://example.org/news.",
        ));
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_ok = !host.is_empty()
        && !host.starts_with(['.', '-', ':'])
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    if !host_ok
        || v.chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>' | '\\'))
    {
        return Err(bad(
            "Enter a link that starts with https:// or http://, like https://example.org/news.",
        ));
    }
    Ok(Some(v.to_string()))
}

/// A log entry as typed: what went out for a plan item.
#[derive(Debug, Clone, Copy, Default)]
pub struct LogInput<'a> {
    pub sent_on: &'a str,
    pub what: &'a str,
    pub channel: &'a str,
    pub link: &'a str,
    pub notes: &'a str,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogFields {
    pub sent_on: String,
    pub what: String,
    pub channel: Channel,
    pub link: Option<String>,
    pub notes: String,
}

impl LogFields {
    /// Parses an entry sent on or before `today`.
    pub fn parse(input: &LogInput, today: &str) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let sent_on = match iso_date("sent_on", "the date it went out", input.sent_on) {
            Ok(Some(d)) if d.as_str() > today => {
                errors.add(
                    "sent_on",
                    format!("The date it went out cannot be after today, {today}."),
                );
                None
            }
            Ok(Some(d)) => Some(d),
            Ok(None) => {
                errors.add("sent_on", "Enter the date it went out, like 2027-03-31.");
                None
            }
            Err(e) => {
                errors.add(e.field, e.message);
                None
            }
        };
        let what = errors.take(required_line("what", "what went out", input.what, 1, 200));
        let channel = Channel::parse_code(input.channel);
        if channel.is_none() {
            errors.add("channel", "Choose a channel from the list.");
        }
        let link = errors.take(optional_link("link", input.link));
        let notes = errors.take(optional_text("notes", "the notes", input.notes, 2000));
        errors.into_result()?;
        match (sent_on, what, channel, link, notes) {
            (Some(sent_on), Some(what), Some(channel), Some(link), Some(notes)) => Ok(LogFields {
                sent_on,
                what,
                channel,
                link,
                notes,
            }),
            _ => Err(FieldErrors::single("what", "Check the fields.")),
        }
    }
}

/// What the Implement checklist's communications item is made from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CommsFacts {
    pub items: i64,
    /// Planned or in progress, with the next date due before today.
    pub overdue: i64,
}

/// "Communications planned": done when the plan has at least one item.
pub fn checklist_item(collaboration_id: i64, f: &CommsFacts) -> ChecklistItem {
    let detail = if f.items == 0 {
        "No communications planned yet. Plan who needs to hear what, and when.".to_string()
    } else {
        let items = if f.items == 1 {
            "1 item".to_string()
        } else {
            format!("{} items", f.items)
        };
        match f.overdue {
            0 => format!("{items} in the communications plan, none overdue."),
            1 => format!("{items} in the communications plan; 1 is overdue."),
            n => format!("{items} in the communications plan; {n} are overdue."),
        }
    };
    ChecklistItem {
        key: "communications_planned",
        label: "Communications planned",
        done: f.items > 0,
        detail,
        href: format!("/collaborations/{collaboration_id}/comms"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item<'a>() -> ItemInput<'a> {
        ItemInput {
            audience: "Families using the food banks",
            purpose: "Tell them the new opening hours",
            key_message: "Both food banks now open on Saturdays.",
            channel: "leaflet_or_poster",
            owner_organisation_id: "3",
            owner_person_id: "",
            timing: "once",
            on_date: "2027-01-15",
            status: "",
        }
    }

    #[test]
    fn an_item_needs_who_why_what_how_whom_and_when() {
        let e = ItemFields::parse(&ItemInput::default()).unwrap_err();
        assert_eq!(e.get("audience"), Some("Enter who it is for."));
        assert_eq!(e.get("purpose"), Some("Enter what it is for."));
        assert_eq!(e.get("key_message"), Some("Enter the key message."));
        assert_eq!(e.get("channel"), Some("Choose a channel from the list."));
        assert_eq!(
            e.get("owner_organisation_id"),
            Some("Choose the organisation that sends it.")
        );
        assert_eq!(e.get("on_date"), Some("Enter the date, like 2027-03-31."));
        assert_eq!(e.get("timing"), None);
        assert_eq!(e.get("status"), None);
        let f = ItemFields::parse(&item()).unwrap();
        assert_eq!(f.channel, Channel::LeafletOrPoster);
        assert_eq!(f.status, CommsStatus::Planned);
        assert_eq!(f.timing, Timing::Once);
        let mut i = item();
        i.timing = "monthly";
        i.on_date = "";
        assert_eq!(
            ItemFields::parse(&i).unwrap_err().get("on_date"),
            Some("Enter the first date, like 2027-03-31.")
        );
        i.timing = "yearly";
        i.on_date = "2027-02-30";
        i.channel = "fax";
        i.status = "finished";
        i.owner_organisation_id = "x";
        i.owner_person_id = "-4";
        let e = ItemFields::parse(&i).unwrap_err();
        for field in [
            "timing",
            "on_date",
            "channel",
            "status",
            "owner_organisation_id",
            "owner_person_id",
        ] {
            assert!(e.get(field).is_some(), "{field}");
        }
    }

    #[test]
    fn links_are_web_addresses_only() {
        assert_eq!(optional_link("link", " ").unwrap(), None);
        assert_eq!(
            optional_link("link", "https://example.org/news?x=1").unwrap(),
            Some("https://example.org/news?x=1".to_string())
        );
        assert!(optional_link("link", "HTTP://Example.org").is_ok());
        for bad in [
            "javascript:alert(1)",
            "example.org",
            "ftp://example.org",
            "https://",
            "https://exa mple.org",
            "https://example.org/\"onmouseover",
            "data:text/html,hi",
        ] {
            assert!(optional_link("link", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_log_entry_is_dated_no_later_than_today() {
        let e = LogFields::parse(&LogInput::default(), "2027-01-10").unwrap_err();
        assert_eq!(
            e.get("sent_on"),
            Some("Enter the date it went out, like 2027-03-31.")
        );
        assert_eq!(e.get("what"), Some("Enter what went out."));
        assert_eq!(e.get("channel"), Some("Choose a channel from the list."));
        let input = LogInput {
            sent_on: "2027-01-11",
            what: "January newsletter",
            channel: "newsletter",
            link: "https://example.org/jan",
            notes: "",
        };
        assert_eq!(
            LogFields::parse(&input, "2027-01-10")
                .unwrap_err()
                .get("sent_on"),
            Some("The date it went out cannot be after today, 2027-01-10.")
        );
        let f = LogFields::parse(&input, "2027-01-11").unwrap();
        assert_eq!(f.link.as_deref(), Some("https://example.org/jan"));
    }

    #[test]
    fn series_dates() {
        let m = |k| occurrence(Timing::Monthly, "2027-01-31", k).unwrap();
        assert_eq!(
            [m(0), m(1), m(2), m(3), m(13)],
            [
                "2027-01-31",
                "2027-02-28",
                "2027-03-31",
                "2027-04-30",
                "2028-02-29"
            ]
        );
        assert_eq!(
            occurrence(Timing::Quarterly, "2026-11-15", 1).unwrap(),
            "2027-02-15"
        );
        assert_eq!(
            occurrence(Timing::Weekly, "2026-12-28", 1).unwrap(),
            "2027-01-04"
        );
        assert_eq!(occurrence(Timing::Once, "2026-12-28", 1), None);
        assert_eq!(occurrence(Timing::Monthly, "9999-12-01", 1), None);
    }

    #[test]
    fn what_is_due_next() {
        use CommsStatus::*;
        use Timing::*;
        assert_eq!(
            next_due(Once, "2027-01-15", Planned, None).as_deref(),
            Some("2027-01-15")
        );
        assert_eq!(
            next_due(Once, "2027-01-15", Planned, Some("2027-01-20")),
            None
        );
        assert_eq!(next_due(Monthly, "2027-01-01", Done, None), None);
        assert_eq!(next_due(Weekly, "2027-01-01", Dropped, None), None);
        assert_eq!(
            next_due(Monthly, "2027-01-01", InProgress, Some("2027-01-03")).as_deref(),
            Some("2027-02-01")
        );
        assert_eq!(
            next_due(Monthly, "2027-01-01", InProgress, Some("2027-02-01")).as_deref(),
            Some("2027-03-01")
        );
        // Sent before the series started: the first date is still due.
        assert_eq!(
            next_due(Monthly, "2027-01-01", Planned, Some("2026-12-20")).as_deref(),
            Some("2027-01-01")
        );
        assert_eq!(DueState::of(None, "2027-01-01"), DueState::NothingDue);
        assert_eq!(
            DueState::of(Some("2027-01-02"), "2027-01-01"),
            DueState::Upcoming
        );
        assert_eq!(
            DueState::of(Some("2027-01-01"), "2027-01-01"),
            DueState::DueToday
        );
        assert_eq!(
            DueState::of(Some("2026-12-31"), "2027-01-01"),
            DueState::Overdue
        );
        assert_eq!(
            DueState::Overdue.words(Some("2026-12-31")),
            "Overdue: it was due on 2026-12-31 and nothing has been logged since."
        );
    }

    struct Gen(u64);
    impl Gen {
        fn below(&mut self, n: u64) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (self.0 >> 33) % n
        }
    }

    fn some_date(g: &mut Gen) -> String {
        iso_from_days(days_from_iso("2020-01-01").unwrap() + g.below(4000) as i64)
    }

    #[test]
    fn property_iso_days_round_trip() {
        let mut g = Gen(3);
        for _ in 0..2000 {
            let d = some_date(&mut g);
            assert!(iso_date("d", "d", &d).unwrap().is_some(), "{d}");
            assert_eq!(iso_from_days(days_from_iso(&d).unwrap()), d);
        }
        assert_eq!(iso_from_days(0), "1970-01-01");
        assert_eq!(
            iso_from_days(days_from_iso("2000-02-29").unwrap()),
            "2000-02-29"
        );
    }

    #[test]
    fn property_the_next_date_due_is_the_first_of_the_series_after_the_last_sent() {
        let mut g = Gen(11);
        let mut accepted = 0;
        for _ in 0..3000 {
            let timing = Timing::ALL[g.below(4) as usize];
            let status = CommsStatus::ALL[g.below(4) as usize];
            let first = some_date(&mut g);
            let last = (g.below(4) != 0).then(|| some_date(&mut g));
            let next = next_due(timing, &first, status, last.as_deref());
            if !status.is_live() {
                assert_eq!(next, None);
                continue;
            }
            accepted += 1;
            match (&last, timing) {
                (None, _) => assert_eq!(next.as_deref(), Some(first.as_str())),
                (Some(_), Timing::Once) => assert_eq!(next, None),
                (Some(l), _) => {
                    let n = next.expect("a recurring item always has a next date");
                    // It is in the series, after the last sent, and no
                    // date of the series lies between the two.
                    let series: Vec<String> = (0..)
                        .map_while(|k| occurrence(timing, &first, k))
                        .take_while(|d| d.as_str() <= n.as_str())
                        .collect();
                    assert_eq!(series.last(), Some(&n), "{timing:?} {first} {l}");
                    assert!(n.as_str() > l.as_str() || n == first);
                    if let [.., before, _] = series.as_slice() {
                        assert!(
                            before.as_str() <= l.as_str(),
                            "{timing:?} {first} {before} {l} {n}"
                        );
                    }
                    // Dates of a series only go up.
                    assert!(series.windows(2).all(|w| w[0] < w[1]));
                }
            }
        }
        // A floor, so a change of the generator cannot make this test empty.
        assert!(accepted > 1000, "{accepted}");
    }

    #[test]
    fn property_parsed_items_keep_what_was_typed() {
        let mut g = Gen(5);
        let mut accepted = 0;
        let audiences = ["Funders", "  Trustees of each partner ", "", "x\ny"];
        for _ in 0..1000 {
            let date = some_date(&mut g);
            let input = ItemInput {
                audience: audiences[g.below(4) as usize],
                purpose: "Keep them informed",
                key_message: "The work is on track.",
                channel: Channel::ALL[g.below(10) as usize].code(),
                owner_organisation_id: ["1", "", "0", "12"][g.below(4) as usize],
                owner_person_id: ["", "7"][g.below(2) as usize],
                timing: ["", "once", "weekly", "monthly", "quarterly", "daily"]
                    [g.below(6) as usize],
                on_date: &date,
                status: ["", "planned", "in_progress", "done", "dropped"][g.below(5) as usize],
            };
            match ItemFields::parse(&input) {
                Ok(f) => {
                    accepted += 1;
                    assert_eq!(f.audience, input.audience.trim());
                    assert_eq!(f.on_date, date);
                    assert_eq!(f.channel.code(), input.channel);
                    assert!(f.owner_organisation_id > 0);
                }
                Err(e) => assert!(!e.is_empty()),
            }
        }
        assert!(accepted > 100, "{accepted}");
    }

    #[test]
    fn the_checklist_item() {
        let mut f = CommsFacts::default();
        let i = checklist_item(5, &f);
        assert!(!i.done);
        assert_eq!(i.href, "/collaborations/5/comms");
        assert_eq!(
            i.detail,
            "No communications planned yet. Plan who needs to hear what, and when."
        );
        f.items = 3;
        f.overdue = 1;
        let i = checklist_item(5, &f);
        assert!(i.done);
        assert_eq!(
            i.detail,
            "3 items in the communications plan; 1 is overdue."
        );
    }
}
