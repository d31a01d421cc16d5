//! Due diligence for the deeper collaboration models (a consortium with its
//! own legal vehicle, a group structure, a merger): the areas each partner
//! looks into before committing, each with a status, the partner
//! organisation that owns it, and a note.
//!
//! Rules decided here:
//! - The areas are fixed, in the order they are usually worked through.
//! - An item's owner is optional, and must be an organisation taking part
//!   (checked by the caller, who knows who takes part).
//! - A change says which version of the item it was based on, so a change
//!   made meanwhile by someone else is never overwritten silently.
//! - Progress counts an area as settled when it is done or not applicable.

use crate::errors::FieldErrors;
use crate::values::optional_text;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Area {
    GoverningDocuments,
    RestrictedFunds,
    Property,
    Contracts,
    StaffAndTupe,
    Pensions,
    Liabilities,
    AccountsAndReserves,
    Insurance,
    DataProtection,
    RegulatoryHistory,
}

impl Area {
    pub const ALL: [Area; 11] = [
        Area::GoverningDocuments,
        Area::RestrictedFunds,
        Area::Property,
        Area::Contracts,
        Area::StaffAndTupe,
        Area::Pensions,
        Area::Liabilities,
        Area::AccountsAndReserves,
        Area::Insurance,
        Area::DataProtection,
        Area::RegulatoryHistory,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Area::GoverningDocuments => "governing_documents",
            Area::RestrictedFunds => "restricted_funds",
            Area::Property => "property",
            Area::Contracts => "contracts",
            Area::StaffAndTupe => "staff_and_tupe",
            Area::Pensions => "pensions",
            Area::Liabilities => "liabilities",
            Area::AccountsAndReserves => "accounts_and_reserves",
            Area::Insurance => "insurance",
            Area::DataProtection => "data_protection",
            Area::RegulatoryHistory => "regulatory_history",
        }
    }

    pub fn parse_code(code: &str) -> Option<Area> {
        Self::ALL.into_iter().find(|a| a.code() == code.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            Area::GoverningDocuments => "Governing documents and objects",
            Area::RestrictedFunds => "Restricted funds",
            Area::Property => "Property",
            Area::Contracts => "Contracts and change-of-control clauses",
            Area::StaffAndTupe => "Staff and TUPE",
            Area::Pensions => "Pensions",
            Area::Liabilities => "Liabilities and claims",
            Area::AccountsAndReserves => "Accounts and reserves",
            Area::Insurance => "Insurance",
            Area::DataProtection => "Data protection",
            Area::RegulatoryHistory => "Regulatory history",
        }
    }

    /// What to look at, in a sentence.
    pub fn hint(self) -> &'static str {
        match self {
            Area::GoverningDocuments => {
                "Do the objects and powers allow this? Does changing them need consent?"
            }
            Area::RestrictedFunds => {
                "Which funds are restricted, to what, and can they move with the work?"
            }
            Area::Property => {
                "Who owns or leases what, on what terms, and with what charges or covenants?"
            }
            Area::Contracts => "Which contracts and grants end or need consent if control changes?",
            Area::StaffAndTupe => {
                "Who would transfer, on what terms, and what consultation is needed?"
            }
            Area::Pensions => {
                "Which pension schemes are there, and is there a deficit or exit debt?"
            }
            Area::Liabilities => "Any claims, disputes, debts or guarantees, now or likely?",
            Area::AccountsAndReserves => {
                "The last accounts, management accounts, reserves and how stable income is."
            }
            Area::Insurance => {
                "What cover is held, what claims were made, and what cover is needed after."
            }
            Area::DataProtection => "What personal data is held, on what basis, and any breaches.",
            Area::RegulatoryHistory => {
                "Any inquiries, serious incidents, inspections or regulator action."
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemStatus {
    NotStarted,
    InProgress,
    Done,
    NotApplicable,
}

impl ItemStatus {
    pub const ALL: [ItemStatus; 4] = [
        ItemStatus::NotStarted,
        ItemStatus::InProgress,
        ItemStatus::Done,
        ItemStatus::NotApplicable,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ItemStatus::NotStarted => "not_started",
            ItemStatus::InProgress => "in_progress",
            ItemStatus::Done => "done",
            ItemStatus::NotApplicable => "not_applicable",
        }
    }

    pub fn parse_code(code: &str) -> Option<ItemStatus> {
        Self::ALL.into_iter().find(|s| s.code() == code.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            ItemStatus::NotStarted => "Not started",
            ItemStatus::InProgress => "In progress",
            ItemStatus::Done => "Done",
            ItemStatus::NotApplicable => "Not applicable",
        }
    }

    /// Done or not applicable: nothing more to do.
    pub fn settled(self) -> bool {
        matches!(self, ItemStatus::Done | ItemStatus::NotApplicable)
    }
}

/// The most a note may say.
pub const NOTE_MAX: usize = 2000;

/// A change to one item, checked for form; whether the owner takes part
/// is for the caller to check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemChange {
    pub status: ItemStatus,
    pub owner_organisation_id: Option<i64>,
    pub note: String,
    pub based_on: i64,
}

impl ItemChange {
    pub fn parse(
        status: &str,
        owner: &str,
        note: &str,
        based_on: &str,
    ) -> Result<ItemChange, FieldErrors> {
        let mut errors = FieldErrors::new();
        let status = ItemStatus::parse_code(status);
        if status.is_none() {
            errors.add(
                "status",
                "Choose not started, in progress, done or not applicable.",
            );
        }
        let owner = match owner.trim() {
            "" => Some(None),
            raw => match raw.parse::<i64>() {
                Ok(id) if id > 0 => Some(Some(id)),
                _ => {
                    errors.add(
                        "owner_organisation_id",
                        "Choose one of the organisations taking part, or nobody yet.",
                    );
                    None
                }
            },
        };
        let note = errors.take(optional_text("note", "the note", note, NOTE_MAX));
        let based_on = match based_on.trim().parse::<i64>() {
            Ok(v) if v >= 1 => Some(v),
            _ => {
                errors.add("based_on", "Reload the page and make the change again: the form did not say which version it changes.");
                None
            }
        };
        errors.into_result()?;
        match (status, owner, note, based_on) {
            (Some(status), Some(owner_organisation_id), Some(note), Some(based_on)) => {
                Ok(ItemChange {
                    status,
                    owner_organisation_id,
                    note,
                    based_on,
                })
            }
            _ => Err(FieldErrors::single("status", "Choose a status.")),
        }
    }
}

/// How far the due diligence has got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Progress {
    /// Areas done or not applicable.
    pub settled: i64,
    pub in_progress: i64,
    pub total: i64,
}

impl Progress {
    pub fn of(statuses: &[ItemStatus]) -> Progress {
        Progress {
            settled: statuses.iter().filter(|s| s.settled()).count() as i64,
            in_progress: statuses
                .iter()
                .filter(|s| **s == ItemStatus::InProgress)
                .count() as i64,
            total: statuses.len() as i64,
        }
    }

    pub fn complete(&self) -> bool {
        self.total > 0 && self.settled == self.total
    }

    /// A sentence such as "Due diligence: 3 of 11 areas settled, 2 in progress."
    pub fn sentence(&self) -> String {
        if self.complete() {
            return format!(
                "Due diligence: all {} areas done or not applicable.",
                self.total
            );
        }
        let mut s = format!(
            "Due diligence: {} of {} areas done or not applicable",
            self.settled, self.total
        );
        if self.in_progress > 0 {
            s.push_str(&format!(", {} in progress", self.in_progress));
        }
        s.push('.');
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn areas_and_statuses_round_trip() {
        for a in Area::ALL {
            assert_eq!(Area::parse_code(a.code()), Some(a));
        }
        for s in ItemStatus::ALL {
            assert_eq!(ItemStatus::parse_code(s.code()), Some(s));
        }
        assert_eq!(Area::ALL.len(), 11);
    }

    #[test]
    fn changes_are_checked() {
        let c = ItemChange::parse("done", "7", " Seen the deeds. ", "2").unwrap();
        assert_eq!(c.status, ItemStatus::Done);
        assert_eq!(c.owner_organisation_id, Some(7));
        assert_eq!(c.note, "Seen the deeds.");
        assert_eq!(
            ItemChange::parse("in_progress", "", "", "1")
                .unwrap()
                .owner_organisation_id,
            None
        );
        let e = ItemChange::parse("finished", "x", &"n".repeat(NOTE_MAX + 1), "0").unwrap_err();
        for f in ["status", "owner_organisation_id", "note", "based_on"] {
            assert!(e.get(f).is_some(), "{f}");
        }
    }

    #[test]
    fn progress_counts_done_and_not_applicable() {
        use ItemStatus::*;
        let p = Progress::of(&[Done, NotApplicable, InProgress, NotStarted]);
        assert_eq!((p.settled, p.in_progress, p.total), (2, 1, 4));
        assert!(!p.complete());
        assert_eq!(
            p.sentence(),
            "Due diligence: 2 of 4 areas done or not applicable, 1 in progress."
        );
        let p = Progress::of(&[Done, NotApplicable]);
        assert!(p.complete());
        assert_eq!(
            p.sentence(),
            "Due diligence: all 2 areas done or not applicable."
        );
        assert!(!Progress::of(&[]).complete());
    }
}
