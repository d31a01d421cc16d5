//! The collaboration's shared aims: what the partners want to achieve
//! together, each with how they will know (an indicator), where they start
//! (a baseline), where they want to be (a target) and by when. An aim may
//! point at a benefit the partners recorded in the Identify stage. The
//! partners approve the set as a whole (see [`crate::approval`]).

use crate::errors::{FieldErrors, field_error};
use crate::values::{optional_text, required_line};

/// What a person typed.
#[derive(Debug, Clone, Default)]
pub struct AimInput<'a> {
    pub title: &'a str,
    pub indicator: &'a str,
    pub baseline: &'a str,
    pub target: &'a str,
    /// `YYYY-MM-DD`, or empty for none.
    pub target_date: &'a str,
    /// The id of a benefit recorded in Identify, or empty for none.
    pub benefit_id: &'a str,
}

/// An aim that can be saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AimDetails {
    pub title: String,
    pub indicator: String,
    pub baseline: String,
    pub target: String,
    pub target_date: Option<String>,
    pub benefit_id: Option<i64>,
}

/// Most aims a collaboration may have: a plan with more is hard to agree.
pub const MAX_AIMS: usize = 30;

impl AimDetails {
    pub fn parse(input: &AimInput<'_>) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let title = errors.take(required_line("title", "the aim", input.title, 3, 200));
        let indicator = errors.take(required_line(
            "indicator",
            "how you will measure it (the indicator)",
            input.indicator,
            1,
            300,
        ));
        let baseline = errors.take(optional_text("baseline", "baseline", input.baseline, 300));
        let target = errors.take(optional_text("target", "target", input.target, 300));
        let target_date = errors.take(parse_date("target_date", input.target_date));
        let benefit_id = match input.benefit_id.trim() {
            "" => Some(None),
            raw => match raw.parse::<i64>() {
                Ok(id) if id > 0 => Some(Some(id)),
                _ => {
                    errors.add("benefit_id", "Choose one of the benefits in the list.");
                    None
                }
            },
        };
        errors.into_result()?;
        Ok(AimDetails {
            title: title.unwrap_or_default(),
            indicator: indicator.unwrap_or_default(),
            baseline: baseline.unwrap_or_default(),
            target: target.unwrap_or_default(),
            target_date: target_date.flatten(),
            benefit_id: benefit_id.flatten(),
        })
    }
}

/// An optional date as `YYYY-MM-DD`, between the years 2000 and 2100.
pub fn parse_date(field: &str, raw: &str) -> Result<Option<String>, crate::FieldError> {
    let value = raw.trim();
    if value.is_empty() {
        return Ok(None);
    }
    let bad = || {
        field_error(
            field,
            "Enter a real date as year-month-day, like 2027-03-31.",
        )
    };
    let parts: Vec<&str> = value.split('-').collect();
    if parts.len() != 3
        || parts[0].len() != 4
        || parts[1].len() != 2
        || parts[2].len() != 2
        || !parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(bad());
    }
    let (y, m, d): (u32, u32, u32) = (
        parts[0].parse().map_err(|_| bad())?,
        parts[1].parse().map_err(|_| bad())?,
        parts[2].parse().map_err(|_| bad())?,
    );
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
    Ok(Some(value.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_aim_parses_and_refuses_what_it_should() {
        let ok = AimDetails::parse(&AimInput {
            title: " Fewer hungry children in the holidays ",
            indicator: "Meals served",
            baseline: "0",
            target: "5,000",
            target_date: "2027-08-31",
            benefit_id: "4",
        })
        .unwrap();
        assert_eq!(ok.title, "Fewer hungry children in the holidays");
        assert_eq!(ok.target_date.as_deref(), Some("2027-08-31"));
        assert_eq!(ok.benefit_id, Some(4));
        let e = AimDetails::parse(&AimInput {
            title: "",
            target_date: "2027-02-30",
            benefit_id: "x",
            ..Default::default()
        })
        .unwrap_err();
        assert!(e.get("title").is_some());
        assert!(e.get("indicator").is_some());
        assert!(e.get("target_date").is_some());
        assert!(e.get("benefit_id").is_some());
        assert_eq!(
            parse_date("d", "2028-02-29").unwrap().as_deref(),
            Some("2028-02-29")
        );
        assert!(parse_date("d", "2027-2-3").is_err());
    }
}
