//! Who is who: each partner organisation's named representatives and
//! contacts in a collaboration, with the part they play.
//!
//! Rules decided here: a contact has a name, a role and an email address;
//! a phone number is optional and checked when given. A partner changes
//! only its own organisation's contacts ([`may_edit_contacts_of`]).

use crate::errors::{FieldError, FieldErrors, field_error};
use crate::values::{Email, required_line};
use serde::{Deserialize, Serialize};

/// The part a contact plays for their organisation in the collaboration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactRole {
    LeadContact,
    TrusteeRepresentative,
    FinanceContact,
    SafeguardingLead,
    CommunicationsContact,
    DataProtectionLead,
    DeliveryContact,
    Other,
}

impl ContactRole {
    pub const ALL: [ContactRole; 8] = [
        ContactRole::LeadContact,
        ContactRole::TrusteeRepresentative,
        ContactRole::FinanceContact,
        ContactRole::SafeguardingLead,
        ContactRole::CommunicationsContact,
        ContactRole::DataProtectionLead,
        ContactRole::DeliveryContact,
        ContactRole::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ContactRole::LeadContact => "lead_contact",
            ContactRole::TrusteeRepresentative => "trustee_representative",
            ContactRole::FinanceContact => "finance_contact",
            ContactRole::SafeguardingLead => "safeguarding_lead",
            ContactRole::CommunicationsContact => "communications_contact",
            ContactRole::DataProtectionLead => "data_protection_lead",
            ContactRole::DeliveryContact => "delivery_contact",
            ContactRole::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ContactRole::LeadContact => "Lead contact",
            ContactRole::TrusteeRepresentative => "Trustee representative",
            ContactRole::FinanceContact => "Finance contact",
            ContactRole::SafeguardingLead => "Safeguarding lead",
            ContactRole::CommunicationsContact => "Communications contact",
            ContactRole::DataProtectionLead => "Data protection lead",
            ContactRole::DeliveryContact => "Delivery contact",
            ContactRole::Other => "Other",
        }
    }

    pub fn parse_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code.trim())
    }
}

pub const NAME_MAX: usize = 100;

/// A contact as typed on the form or sent to the API.
#[derive(Debug, Clone, Copy, Default)]
pub struct ContactInput<'a> {
    pub name: &'a str,
    pub role: &'a str,
    pub email: &'a str,
    pub phone: &'a str,
    /// The member of the app this contact is, as an id; empty for none.
    pub member_id: &'a str,
}

/// A contact as it may be saved. That the member belongs to the contact's
/// organisation is checked by the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactDetails {
    pub name: String,
    pub role: ContactRole,
    pub email: String,
    /// Empty when not given.
    pub phone: String,
    pub member_id: Option<i64>,
}

impl ContactDetails {
    pub fn parse(input: &ContactInput<'_>) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = errors.take(required_line(
            "name",
            "the contact's name",
            input.name,
            1,
            NAME_MAX,
        ));
        let role = ContactRole::parse_code(input.role);
        if role.is_none() {
            errors.add("role", "Choose the contact's role from the list.");
        }
        let email = errors.take(Email::parse("email", input.email).map(Email::into_string));
        let phone = errors.take(parse_phone("phone", input.phone));
        let member_id = match input.member_id.trim() {
            "" => None,
            t => match t.parse::<i64>() {
                Ok(v) if v > 0 => Some(v),
                _ => {
                    errors.add("member_id", "Choose a member from the list, or nobody.");
                    None
                }
            },
        };
        match (name, role, email, phone) {
            (Some(name), Some(role), Some(email), Some(phone)) if errors.is_empty() => {
                Ok(ContactDetails {
                    name,
                    role,
                    email,
                    phone,
                    member_id,
                })
            }
            _ => Err(errors),
        }
    }
}

/// An optional phone number: digits with spaces, dashes, brackets and a
/// leading +, 7 to 15 digits. Kept as typed, runs of spaces made one;
/// empty when none was given.
pub fn parse_phone(field: &str, raw: &str) -> Result<String, FieldError> {
    let value = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if value.is_empty() {
        return Ok(value);
    }
    let bad = || {
        field_error(
            field,
            "Enter a phone number using digits, like 0113 496 0000 or +44 113 496 0000, or leave it empty.",
        )
    };
    let mut digits = 0;
    for (i, c) in value.chars().enumerate() {
        match c {
            '0'..='9' => digits += 1,
            ' ' | '-' | '(' | ')' => {}
            '+' if i == 0 => {}
            _ => return Err(bad()),
        }
    }
    if !(7..=15).contains(&digits) || value.chars().count() > 30 {
        return Err(bad());
    }
    Ok(value)
}

/// Whether someone acting for `acting` (an organisation allowed to add
/// work to the collaboration) may change the contacts of `owner`: only
/// their own organisation's.
pub fn may_edit_contacts_of(acting: Option<i64>, owner: i64) -> bool {
    acting == Some(owner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contacts_parse() {
        let c = ContactDetails::parse(&ContactInput {
            name: " Siân Ellis ",
            role: "finance_contact",
            email: " Sian@Example.org ",
            phone: "0113  496 0000",
            member_id: "",
        })
        .unwrap();
        assert_eq!(c.name, "Siân Ellis");
        assert_eq!(c.role, ContactRole::FinanceContact);
        assert_eq!(c.email, "sian@example.org");
        assert_eq!(c.phone, "0113 496 0000");
        assert_eq!(c.member_id, None);
        let c = ContactDetails::parse(&ContactInput {
            name: "A",
            role: "other",
            email: "a@example.org",
            phone: "",
            member_id: "7",
        })
        .unwrap();
        assert_eq!((c.phone.as_str(), c.member_id), ("", Some(7)));
        let e = ContactDetails::parse(&ContactInput {
            name: "",
            role: "boss",
            email: "not an email",
            phone: "call me",
            member_id: "x",
        })
        .unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["name", "role", "email", "phone", "member_id"]);
    }

    #[test]
    fn phones_and_roles() {
        assert_eq!(
            parse_phone("p", "+44 (0)113 496-0000").unwrap(),
            "+44 (0)113 496-0000"
        );
        for bad in [
            "123",
            "0113 496 0000 ext 2",
            "++44 113 496 0000",
            "4+4 1134960000",
            &"1".repeat(16),
        ] {
            assert!(parse_phone("p", bad).is_err(), "{bad}");
        }
        for r in ContactRole::ALL {
            assert_eq!(ContactRole::parse_code(r.code()), Some(r));
        }
    }

    #[test]
    fn only_your_own_organisation() {
        assert!(may_edit_contacts_of(Some(3), 3));
        assert!(!may_edit_contacts_of(Some(3), 4));
        assert!(!may_edit_contacts_of(None, 4));
    }
}
