//! Recurring tasks: a series that makes the same task again and again.
//!
//! Rules decided here:
//! - A series repeats every week, month, quarter or year from its first
//!   date, or on a weekday of the month (the same weekday as the first
//!   date, such as the second Tuesday, or the last such weekday). A monthly
//!   date past the month's end falls on its last day (31 January, then 28
//!   or 29 February, then 31 March): the dates count from the first date,
//!   so they never drift.
//! - A series makes its first task, due on the first date, when it is
//!   created. The next task appears when the newest one is done or
//!   cancelled, or when the newest one's date comes, whichever is first;
//!   never after the end date, and never once the series is ended.
//! - Changing a series or ending it never touches the tasks it has made:
//!   they are tasks like any other. A change shapes the tasks made from
//!   then on, whose dates follow the new rule after the newest task's date.
//! - A new series starts today or later, so it never makes a backlog of
//!   tasks already late.

use crate::comms::{days_in_month, iso_from_days, ymd};
use crate::errors::FieldErrors;
use crate::problems::days_from_iso;
use crate::tasks::{iso_date, optional_id};
use crate::values::{optional_text, required_line};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Repeat {
    Weekly,
    Monthly,
    Quarterly,
    Yearly,
    /// The same weekday of the month as the first date: its first, second,
    /// third or fourth (a fifth counts as the last).
    MonthlyWeekday,
    /// The last of the first date's weekday in each month.
    MonthlyLastWeekday,
}

impl Repeat {
    pub const ALL: [Repeat; 6] = [
        Repeat::Weekly,
        Repeat::Monthly,
        Repeat::Quarterly,
        Repeat::Yearly,
        Repeat::MonthlyWeekday,
        Repeat::MonthlyLastWeekday,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Repeat::Weekly => "weekly",
            Repeat::Monthly => "monthly",
            Repeat::Quarterly => "quarterly",
            Repeat::Yearly => "yearly",
            Repeat::MonthlyWeekday => "monthly_weekday",
            Repeat::MonthlyLastWeekday => "monthly_last_weekday",
        }
    }

    /// For a choice on a form.
    pub fn label(self) -> &'static str {
        match self {
            Repeat::Weekly => "Every week",
            Repeat::Monthly => "Every month, on the same day",
            Repeat::Quarterly => "Every quarter (3 months), on the same day",
            Repeat::Yearly => "Every year, on the same day",
            Repeat::MonthlyWeekday => {
                "Every month, on the same weekday (for example the second Tuesday)"
            }
            Repeat::MonthlyLastWeekday => {
                "Every month, on the last of that weekday (for example the last Friday)"
            }
        }
    }

    pub fn parse_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code.trim())
    }
}

const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const ORDINALS: [&str; 4] = ["first", "second", "third", "fourth"];

/// 0 for Monday to 6 for Sunday.
fn weekday_of_days(days: i64) -> i64 {
    // 1970-01-01 was a Thursday.
    (days + 3).rem_euclid(7)
}

/// The weekday of an ISO date, 0 for Monday to 6 for Sunday.
pub fn weekday(iso: &str) -> Option<i64> {
    days_from_iso(iso).map(weekday_of_days)
}

/// Which of its weekday in the month a day is: 1 to 4, or None for a fifth
/// (which counts as the last).
fn nth_in_month(day: i64) -> Option<i64> {
    let n = (day - 1) / 7 + 1;
    (n <= 4).then_some(n)
}

/// The `k`th date of a series (the first is `k = 0`), or None for a date
/// that cannot be read, a negative `k`, or a date past the year 9999.
pub fn occurrence(repeat: Repeat, first: &str, k: i64) -> Option<String> {
    if k < 0 {
        return None;
    }
    let (y, m, d) = ymd(first)?;
    let month_k = |step: i64| {
        let months = (m - 1) + step.checked_mul(k)?;
        Some((y + months.div_euclid(12), months.rem_euclid(12) + 1))
    };
    let out = match repeat {
        Repeat::Weekly => iso_from_days(days_from_iso(first)?.checked_add(k.checked_mul(7)?)?),
        Repeat::Monthly | Repeat::Quarterly | Repeat::Yearly => {
            let step = match repeat {
                Repeat::Monthly => 1,
                Repeat::Quarterly => 3,
                _ => 12,
            };
            let (ny, nm) = month_k(step)?;
            if ny > 9999 {
                return None;
            }
            format!("{ny:04}-{nm:02}-{:02}", d.min(days_in_month(ny, nm)))
        }
        Repeat::MonthlyWeekday | Repeat::MonthlyLastWeekday => {
            if k == 0 {
                return Some(first.to_string());
            }
            let (ny, nm) = month_k(1)?;
            if ny > 9999 {
                return None;
            }
            let want = weekday(first)?;
            let start = days_from_iso(&format!("{ny:04}-{nm:02}-01"))?;
            let first_such = 1 + (want - weekday_of_days(start)).rem_euclid(7);
            let nth = match repeat {
                Repeat::MonthlyWeekday => nth_in_month(d),
                _ => None,
            };
            let day = match nth {
                Some(n) => first_such + 7 * (n - 1),
                None => {
                    let last = days_in_month(ny, nm);
                    first_such + 7 * ((last - first_such) / 7)
                }
            };
            format!("{ny:04}-{nm:02}-{day:02}")
        }
    };
    (out.len() == 10 && out.as_str() <= "9999-12-31").then_some(out)
}

/// The first date of the series after `after`: the first date itself when
/// `after` is before it. None when the series runs past the year 9999.
pub fn next_after(repeat: Repeat, first: &str, after: &str) -> Option<String> {
    if after < first {
        return Some(first.to_string());
    }
    let (fd, ad) = (days_from_iso(first)?, days_from_iso(after)?);
    // Too few steps to pass `after` (a month is never longer than 31 days,
    // a quarter than 92, a year than 366), then walk to the first date
    // after it.
    let per = match repeat {
        Repeat::Weekly => 7,
        Repeat::Quarterly => 92,
        Repeat::Yearly => 366,
        _ => 31,
    };
    let mut k = ((ad - fd) / per - 2).max(0);
    loop {
        let d = occurrence(repeat, first, k)?;
        if d.as_str() > after {
            return Some(d);
        }
        k += 1;
    }
}

/// The rule in words: "Every week on Tuesday", "Every month on the 31st
/// (or the month's last day)", "On the second Tuesday of every month".
pub fn describe(repeat: Repeat, first: &str) -> String {
    let Some((_, m, d)) = ymd(first) else {
        return repeat.label().to_string();
    };
    let wd = weekday(first).map(|w| WEEKDAYS[w as usize]).unwrap_or("");
    let day = |d: i64| {
        let suffix = match (d % 10, d % 100) {
            (1, 11) | (2, 12) | (3, 13) => "th",
            (1, _) => "st",
            (2, _) => "nd",
            (3, _) => "rd",
            _ => "th",
        };
        let mut s = format!("the {d}{suffix}");
        if d > 28 {
            s.push_str(" (or the month's last day)");
        }
        s
    };
    match repeat {
        Repeat::Weekly => format!("Every week on {wd}"),
        Repeat::Monthly => format!("Every month on {}", day(d)),
        Repeat::Quarterly => format!("Every quarter (3 months) on {}", day(d)),
        Repeat::Yearly => {
            if m == 2 && d == 29 {
                "Every year on 29 February (28 February when it is not a leap year)".to_string()
            } else {
                format!("Every year on {d} {}", MONTHS[(m - 1) as usize])
            }
        }
        Repeat::MonthlyWeekday => match nth_in_month(d) {
            Some(n) => format!("On the {} {wd} of every month", ORDINALS[(n - 1) as usize]),
            None => format!("On the last {wd} of every month"),
        },
        Repeat::MonthlyLastWeekday => format!("On the last {wd} of every month"),
    }
}

/// The date after `after` in the series, unless it is past the end date.
pub fn following(
    repeat: Repeat,
    first: &str,
    ends_on: Option<&str>,
    after: &str,
) -> Option<String> {
    let next = next_after(repeat, first, after)?;
    if ends_on.is_some_and(|e| next.as_str() > e) {
        return None;
    }
    Some(next)
}

/// The date of the next task to make, if one is due now: the series is
/// live, and its newest task is finished (done or cancelled) or its date
/// has come (`last_made_on <= today`); and the next date is not after the
/// end date.
pub fn next_to_make(
    repeat: Repeat,
    first: &str,
    ends_on: Option<&str>,
    ended: bool,
    last_made_on: &str,
    newest_finished: bool,
    today: &str,
) -> Option<String> {
    if ended || !(newest_finished || last_made_on <= today) {
        return None;
    }
    following(repeat, first, ends_on, last_made_on)
}

/// A series' fields as typed on the form or sent to the API.
#[derive(Debug, Clone, Copy, Default)]
pub struct SeriesInput<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub owner_organisation_id: &'a str,
    pub assignee_id: &'a str,
    pub workstream_id: &'a str,
    pub aim_id: &'a str,
    pub repeats: &'a str,
    pub first_on: &'a str,
    pub ends_on: &'a str,
}

/// A series' fields, valid on their own. That the owner takes part, the
/// assignee belongs to the owner, and the workstream and aim are this
/// collaboration's is checked by the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeriesFields {
    pub title: String,
    pub description: String,
    pub owner_organisation_id: i64,
    pub assignee_id: Option<i64>,
    pub workstream_id: Option<i64>,
    pub aim_id: Option<i64>,
    pub repeats: Repeat,
    pub first_on: String,
    pub ends_on: Option<String>,
}

impl SeriesFields {
    /// `not_before`: the earliest first date allowed (today, for a new
    /// series); None when changing one, whose first date only anchors the
    /// rule.
    pub fn parse(input: &SeriesInput, not_before: Option<&str>) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let title = errors.take(required_line("title", "a title", input.title, 1, 200));
        let description = errors.take(optional_text(
            "description",
            "the description",
            input.description,
            10_000,
        ));
        let owner = optional_id(
            &mut errors,
            "owner_organisation_id",
            input.owner_organisation_id,
            "the organisation that owns the tasks",
        );
        if input.owner_organisation_id.trim().is_empty() {
            errors.add(
                "owner_organisation_id",
                "Choose the organisation that owns the tasks.",
            );
        }
        let assignee_id = optional_id(&mut errors, "assignee_id", input.assignee_id, "a person");
        let workstream_id = optional_id(
            &mut errors,
            "workstream_id",
            input.workstream_id,
            "a workstream",
        );
        let aim_id = optional_id(&mut errors, "aim_id", input.aim_id, "an aim");
        let repeats = Repeat::parse_code(input.repeats);
        if repeats.is_none() {
            errors.add("repeats", "Choose how often the task comes round.");
        }
        let first = errors
            .take(iso_date("first_on", "the first date", input.first_on))
            .flatten();
        if first.is_none() && errors.get("first_on").is_none() {
            errors.add("first_on", "Enter the date the first task is due.");
        }
        let ends = errors
            .take(iso_date("ends_on", "the end date", input.ends_on))
            .flatten();
        if let (Some(f), Some(n)) = (&first, not_before)
            && f.as_str() < n
        {
            errors.add(
                "first_on",
                format!("The first date must be today ({n}) or later."),
            );
        }
        if let (Some(f), Some(e)) = (&first, &ends)
            && e < f
        {
            errors.add(
                "ends_on",
                "The end date must be on or after the first date.",
            );
        }
        errors.into_result()?;
        Ok(SeriesFields {
            title: title.unwrap_or_default(),
            description: description.unwrap_or_default(),
            owner_organisation_id: owner.unwrap_or_default(),
            assignee_id,
            workstream_id,
            aim_id,
            repeats: repeats.unwrap_or(Repeat::Weekly),
            first_on: first.unwrap_or_default(),
            ends_on: ends,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dates(r: Repeat, first: &str, n: i64) -> Vec<String> {
        (0..n).map(|k| occurrence(r, first, k).unwrap()).collect()
    }

    #[test]
    fn months_keep_their_day_or_take_the_last() {
        assert_eq!(
            dates(Repeat::Monthly, "2027-01-31", 4),
            ["2027-01-31", "2027-02-28", "2027-03-31", "2027-04-30"]
        );
        assert_eq!(
            dates(Repeat::Quarterly, "2027-11-30", 3),
            ["2027-11-30", "2028-02-29", "2028-05-30"]
        );
        assert_eq!(
            dates(Repeat::Yearly, "2028-02-29", 3),
            ["2028-02-29", "2029-02-28", "2030-02-28"]
        );
        assert_eq!(
            dates(Repeat::Weekly, "2027-12-28", 2),
            ["2027-12-28", "2028-01-04"]
        );
    }

    #[test]
    fn weekdays_of_the_month() {
        // 2027-01-12 is the second Tuesday of January 2027.
        assert_eq!(weekday("2027-01-12"), Some(1));
        assert_eq!(
            dates(Repeat::MonthlyWeekday, "2027-01-12", 4),
            ["2027-01-12", "2027-02-09", "2027-03-09", "2027-04-13"]
        );
        // 2027-01-29 is the fifth Friday: it counts as the last.
        assert_eq!(
            dates(Repeat::MonthlyWeekday, "2027-01-29", 3),
            ["2027-01-29", "2027-02-26", "2027-03-26"]
        );
        // The last Friday, from the fourth Friday of January 2027.
        assert_eq!(
            dates(Repeat::MonthlyLastWeekday, "2027-01-22", 4),
            ["2027-01-22", "2027-02-26", "2027-03-26", "2027-04-30"]
        );
        assert_eq!(
            describe(Repeat::MonthlyWeekday, "2027-01-12"),
            "On the second Tuesday of every month"
        );
        assert_eq!(
            describe(Repeat::MonthlyWeekday, "2027-01-29"),
            "On the last Friday of every month"
        );
        assert_eq!(
            describe(Repeat::MonthlyLastWeekday, "2027-01-22"),
            "On the last Friday of every month"
        );
        assert_eq!(
            describe(Repeat::Weekly, "2027-01-12"),
            "Every week on Tuesday"
        );
        assert_eq!(
            describe(Repeat::Monthly, "2027-01-31"),
            "Every month on the 31st (or the month's last day)"
        );
        assert_eq!(
            describe(Repeat::Monthly, "2027-01-12"),
            "Every month on the 12th"
        );
        assert_eq!(
            describe(Repeat::Yearly, "2027-04-01"),
            "Every year on 1 April"
        );
    }

    #[test]
    fn the_next_task_comes_when_the_newest_is_finished_or_its_date_comes() {
        let next = |last: &str, finished: bool, today: &str, ends: Option<&str>, ended: bool| {
            next_to_make(
                Repeat::Weekly,
                "2027-01-05",
                ends,
                ended,
                last,
                finished,
                today,
            )
        };
        // Still waiting for its date, and not finished: nothing yet.
        assert_eq!(next("2027-01-12", false, "2027-01-11", None, false), None);
        // Its date has come.
        assert_eq!(
            next("2027-01-12", false, "2027-01-12", None, false).as_deref(),
            Some("2027-01-19")
        );
        // Finished early.
        assert_eq!(
            next("2027-01-12", true, "2027-01-08", None, false).as_deref(),
            Some("2027-01-19")
        );
        // Not after the end date; never once ended.
        assert_eq!(
            next("2027-01-12", true, "2027-01-12", Some("2027-01-18"), false),
            None
        );
        assert_eq!(
            next("2027-01-12", true, "2027-01-12", Some("2027-01-19"), false).as_deref(),
            Some("2027-01-19")
        );
        assert_eq!(next("2027-01-12", true, "2027-01-20", None, true), None);
    }

    #[test]
    fn fields_are_checked() {
        let ok = SeriesInput {
            title: "Monthly finance report",
            owner_organisation_id: "4",
            repeats: "monthly",
            first_on: "2027-01-31",
            ..Default::default()
        };
        let f = SeriesFields::parse(&ok, Some("2027-01-01")).unwrap();
        assert_eq!(f.repeats, Repeat::Monthly);
        assert_eq!(f.first_on, "2027-01-31");
        assert_eq!(f.ends_on, None);
        let e = SeriesFields::parse(&ok, Some("2027-02-01")).unwrap_err();
        assert_eq!(
            e.get("first_on"),
            Some("The first date must be today (2027-02-01) or later.")
        );
        // Changing a series may keep a first date in the past.
        assert!(SeriesFields::parse(&ok, None).is_ok());
        let bad = SeriesInput {
            title: " ",
            owner_organisation_id: "",
            repeats: "fortnightly",
            first_on: "2027-02-30",
            ends_on: "soon",
            ..Default::default()
        };
        let e = SeriesFields::parse(&bad, None).unwrap_err();
        assert_eq!(e.get("title"), Some("Enter a title."));
        assert_eq!(
            e.get("owner_organisation_id"),
            Some("Choose the organisation that owns the tasks.")
        );
        assert_eq!(
            e.get("repeats"),
            Some("Choose how often the task comes round.")
        );
        assert!(e.get("first_on").unwrap().contains("like 2027-03-31"));
        assert!(e.get("ends_on").unwrap().contains("like 2027-03-31"));
        let early_end = SeriesInput {
            ends_on: "2027-01-30",
            ..ok
        };
        assert_eq!(
            SeriesFields::parse(&early_end, None)
                .unwrap_err()
                .get("ends_on"),
            Some("The end date must be on or after the first date.")
        );
        let missing = SeriesInput { first_on: "", ..ok };
        assert_eq!(
            SeriesFields::parse(&missing, None)
                .unwrap_err()
                .get("first_on"),
            Some("Enter the date the first task is due.")
        );
    }

    /// A small deterministic generator for the property tests.
    struct Gen(u64);
    impl Gen {
        fn below(&mut self, n: u64) -> u64 {
            // xorshift64*
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 32) % n
        }
        fn repeat(&mut self) -> Repeat {
            Repeat::ALL[self.below(6) as usize]
        }
        /// 1990-01-01 to about 2089.
        fn date(&mut self) -> String {
            iso_from_days(7305 + self.below(35_000) as i64)
        }
    }

    #[test]
    fn property_dates_rise_and_keep_their_pattern() {
        let mut g = Gen(0x9E37_79B9_7F4A_7C15);
        let mut checked = 0;
        for _ in 0..3000 {
            let (r, first, k) = (g.repeat(), g.date(), g.below(200) as i64);
            let a = occurrence(r, &first, k).unwrap();
            let b = occurrence(r, &first, k + 1).unwrap();
            assert!(a < b, "{r:?} from {first}: {a} then {b}");
            let gap = days_from_iso(&b).unwrap() - days_from_iso(&a).unwrap();
            match r {
                Repeat::Weekly => assert_eq!(gap, 7),
                Repeat::Monthly => assert!((28..=31).contains(&gap), "{a} {b}"),
                Repeat::Quarterly => assert!((89..=92).contains(&gap), "{a} {b}"),
                Repeat::Yearly => assert!((365..=366).contains(&gap), "{a} {b}"),
                Repeat::MonthlyWeekday | Repeat::MonthlyLastWeekday => {
                    assert_eq!(weekday(&a), weekday(&first));
                    assert_eq!(weekday(&b), weekday(&first));
                    assert!(gap == 28 || gap == 35, "{a} {b}");
                    let last = r == Repeat::MonthlyLastWeekday
                        || nth_in_month(ymd(&first).unwrap().2).is_none();
                    let later = iso_from_days(days_from_iso(&b).unwrap() + 7);
                    if last {
                        // The last such weekday: a week later is next month.
                        assert_ne!(&later[5..7], &b[5..7], "{r:?} from {first}: {b}");
                    } else {
                        // The same place in the month as the first date.
                        let n = nth_in_month(ymd(&first).unwrap().2).unwrap();
                        assert_eq!(nth_in_month(ymd(&b).unwrap().2), Some(n));
                    }
                }
            }
            checked += 1;
        }
        assert_eq!(checked, 3000);
    }

    #[test]
    fn property_next_after_is_the_first_date_past_it() {
        let mut g = Gen(0xD1B5_4A32_D192_ED03);
        for _ in 0..2000 {
            let (r, first) = (g.repeat(), g.date());
            let ahead = g.below(3000) as i64 - 30;
            let after = iso_from_days(days_from_iso(&first).unwrap() + ahead);
            let next = next_after(r, &first, &after).unwrap();
            assert!(next > after, "{r:?} from {first} after {after}: {next}");
            // It is a date of the series, and the one before it is not past `after`.
            let k = (0..1000)
                .find(|&k| occurrence(r, &first, k).as_deref() == Some(next.as_str()))
                .unwrap_or_else(|| panic!("{next} is not a date of {r:?} from {first}"));
            if k > 0 {
                assert!(occurrence(r, &first, k - 1).unwrap() <= after);
            }
        }
    }
}
