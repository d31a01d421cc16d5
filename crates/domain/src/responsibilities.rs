//! The responsibilities matrix: the collaboration's key functions against
//! the organisations taking part, each cell saying who is Responsible,
//! Accountable, Consulted or Informed (or nothing).
//!
//! Rules decided here:
//! - Seven standard functions are always in the matrix; partners add their
//!   own (names of at most [`FUNCTION_NAME_MAX`] characters, not repeating
//!   another function's name).
//! - The matrix counts as agreed when every function has exactly one
//!   Accountable organisation ([`review`]).
//! - A function with nobody Responsible is worth a warning, but does not
//!   stop the matrix being agreed.

use crate::errors::FieldErrors;
use crate::values::required_line;
use serde::{Deserialize, Serialize};

/// What an organisation does for one function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Raci {
    Responsible,
    Accountable,
    Consulted,
    Informed,
}

impl Raci {
    pub const ALL: [Raci; 4] = [
        Raci::Responsible,
        Raci::Accountable,
        Raci::Consulted,
        Raci::Informed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Raci::Responsible => "responsible",
            Raci::Accountable => "accountable",
            Raci::Consulted => "consulted",
            Raci::Informed => "informed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Raci::Responsible => "Responsible",
            Raci::Accountable => "Accountable",
            Raci::Consulted => "Consulted",
            Raci::Informed => "Informed",
        }
    }

    /// One line on what it means.
    pub fn hint(self) -> &'static str {
        match self {
            Raci::Responsible => "Does the work.",
            Raci::Accountable => "Answers for it and signs it off. Exactly one per function.",
            Raci::Consulted => "Is asked before decisions are made.",
            Raci::Informed => "Is told what was decided or done.",
        }
    }

    pub fn parse_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code.trim())
    }

    /// A cell as submitted: empty is blank (`Some(None)`), anything else
    /// must be a code; None when it is not.
    pub fn parse_cell(raw: &str) -> Option<Option<Self>> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Some(None);
        }
        Self::parse_code(raw).map(Some)
    }
}

/// The functions every collaboration's matrix starts with.
pub const STANDARD_FUNCTIONS: [(&str, &str); 7] = [
    ("finance", "Finance"),
    ("delivery", "Delivery"),
    ("safeguarding", "Safeguarding"),
    ("data_protection", "Data protection"),
    ("communications", "Communications"),
    ("monitoring", "Monitoring and evaluation"),
    ("contract_management", "Contract management"),
];

/// The key a custom function is known by in forms and cells.
pub fn custom_key(id: i64) -> String {
    format!("custom_{id}")
}

/// The id of a custom function's key; None for a standard one or nonsense.
pub fn custom_id(key: &str) -> Option<i64> {
    key.strip_prefix("custom_")?
        .parse()
        .ok()
        .filter(|id: &i64| *id > 0)
}

pub fn is_standard(key: &str) -> bool {
    STANDARD_FUNCTIONS.iter().any(|(k, _)| *k == key)
}

pub const FUNCTION_NAME_MAX: usize = 80;
/// Enough for any collaboration; keeps the form a size people can use.
pub const CUSTOM_FUNCTIONS_MAX: usize = 30;

/// A new function's name, checked against the names already there.
pub fn parse_function_name(raw: &str, existing: &[&str]) -> Result<String, FieldErrors> {
    let name = required_line("name", "a name for the function", raw, 1, FUNCTION_NAME_MAX)
        .map_err(|e| FieldErrors::single(e.field, e.message))?;
    if existing.iter().any(|e| e.eq_ignore_ascii_case(&name)) {
        return Err(FieldErrors::single(
            "name",
            format!("The matrix already has \u{201c}{name}\u{201d}. Use a different name."),
        ));
    }
    if existing.len() >= STANDARD_FUNCTIONS.len() + CUSTOM_FUNCTIONS_MAX {
        return Err(FieldErrors::single(
            "name",
            format!(
                "A matrix can have at most {CUSTOM_FUNCTIONS_MAX} functions of your own. Remove one first."
            ),
        ));
    }
    Ok(name)
}

/// How one function stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionReview {
    pub key: String,
    pub accountable: usize,
    pub responsible: usize,
}

impl FunctionReview {
    pub fn agreed(&self) -> bool {
        self.accountable == 1
    }
    pub fn needs_responsible(&self) -> bool {
        self.responsible == 0
    }
    /// What to do about it, or None when the function is fine.
    pub fn problem(&self, name: &str) -> Option<String> {
        match self.accountable {
            0 => Some(format!(
                "{name} has no accountable organisation. Choose one."
            )),
            1 => None,
            n => Some(format!(
                "{name} has {n} accountable organisations. Keep exactly one."
            )),
        }
    }
    pub fn warning(&self, name: &str) -> Option<String> {
        self.needs_responsible().then(|| {
            format!(
                "Nobody is responsible for {}. Say who does the work.",
                name.to_lowercase()
            )
        })
    }
}

/// How each function stands, given the functions' keys and the cells
/// (function key, organisation, role) of organisations taking part.
pub fn review<'a>(
    functions: impl IntoIterator<Item = &'a str>,
    cells: &[(String, i64, Raci)],
) -> Vec<FunctionReview> {
    functions
        .into_iter()
        .map(|key| {
            let count = |r: Raci| {
                cells
                    .iter()
                    .filter(|(k, _, role)| k == key && *role == r)
                    .count()
            };
            FunctionReview {
                key: key.to_string(),
                accountable: count(Raci::Accountable),
                responsible: count(Raci::Responsible),
            }
        })
        .collect()
}

/// The matrix is agreed when there is at least one organisation in it and
/// every function has exactly one Accountable organisation.
pub fn is_agreed(reviews: &[FunctionReview], organisations: usize) -> bool {
    organisations > 0 && !reviews.is_empty() && reviews.iter().all(FunctionReview::agreed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> Vec<&'static str> {
        STANDARD_FUNCTIONS.iter().map(|(k, _)| *k).collect()
    }

    #[test]
    fn codes_and_keys() {
        for r in Raci::ALL {
            assert_eq!(Raci::parse_code(r.code()), Some(r));
        }
        assert_eq!(Raci::parse_cell(""), Some(None));
        assert_eq!(
            Raci::parse_cell(" accountable "),
            Some(Some(Raci::Accountable))
        );
        assert_eq!(Raci::parse_cell("boss"), None);
        assert_eq!(custom_id(&custom_key(12)), Some(12));
        assert_eq!(custom_id("custom_0"), None);
        assert_eq!(custom_id("finance"), None);
        assert!(is_standard("finance") && !is_standard("custom_1"));
    }

    #[test]
    fn agreed_needs_exactly_one_accountable_everywhere() {
        let mut cells: Vec<(String, i64, Raci)> = keys()
            .iter()
            .map(|k| (k.to_string(), 1, Raci::Accountable))
            .collect();
        let r = review(keys(), &cells);
        assert!(is_agreed(&r, 2));
        assert!(!is_agreed(&r, 0));
        // Nobody responsible: still agreed, with a warning.
        assert!(r.iter().all(|f| f.needs_responsible()));
        assert_eq!(
            r[0].warning("Finance").as_deref(),
            Some("Nobody is responsible for finance. Say who does the work.")
        );
        cells.push(("finance".into(), 2, Raci::Accountable));
        let r = review(keys(), &cells);
        assert!(!is_agreed(&r, 2));
        assert_eq!(
            r[0].problem("Finance").as_deref(),
            Some("Finance has 2 accountable organisations. Keep exactly one.")
        );
        cells.retain(|(k, _, _)| k != "finance");
        let r = review(keys(), &cells);
        assert!(!is_agreed(&r, 2));
        assert_eq!(
            r[0].problem("Finance").as_deref(),
            Some("Finance has no accountable organisation. Choose one.")
        );
    }

    #[test]
    fn function_names() {
        assert_eq!(
            parse_function_name("  Volunteers ", &["Finance"]).unwrap(),
            "Volunteers"
        );
        let e = parse_function_name("finance", &["Finance"]).unwrap_err();
        assert!(e.get("name").unwrap().contains("already has"));
        assert!(parse_function_name("", &[]).is_err());
        assert!(parse_function_name(&"x".repeat(81), &[]).is_err());
        let many: Vec<String> = (0..37).map(|i| format!("F{i}")).collect();
        let refs: Vec<&str> = many.iter().map(String::as_str).collect();
        assert!(parse_function_name("One more", &refs).is_err());
    }
}
