//! Who is who: each partner organisation's named representatives and
//! contacts in a collaboration, with the role they play.
//!
//! Rules decided here: a contact has a name and a role; email and phone
//! are optional and checked when given. Who may change a partner's
//! contacts is decided in [`crate::policy::may_edit_partner_record`].

use crate::errors::{FieldErrors, field_error};
use crate::values::{Email, required_line};
use serde::{Deserialize, Serialize};

/// The part a contact plays for their organisation in the collaboration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactRole {
    LeadContact,
    Representative,
    FinanceContact,
    SafeguardingLead,
    DataProtectionLead,
    CommunicationsContact,
    DeliveryContact,
    Other,
}

impl ContactRole {
    pub const ALL: [ContactRole; 8] = [
        ContactRole::LeadContact,
        ContactRole::Representative,
        ContactRole::FinanceContact,
        ContactRole::SafeguardingLead,
        ContactRole::DataProtectionLead,
        ContactRole::CommunicationsContact,
        ContactRole::DeliveryContact,
        ContactRole::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ContactRole::LeadContact => "lead_contact",
            ContactRole::Representative => "representative",
            ContactRole::FinanceContact => "finance_contact",
            ContactRole::SafeguardingLead => "safeguarding_lead",
            ContactRole::DataProtectionLead => "data_protection_lead",
            ContactRole::CommunicationsContact => "communications_contact",
            ContactRole::DeliveryContact => "delivery_contact",
            ContactRole::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ContactRole::LeadContact => "Lead contact",
            ContactRole::Representative => "Representative (for example a trustee)",
            ContactRole::FinanceContact => "Finance contact",
            ContactRole::SafeguardingLead => "Safeguarding lead",
            ContactRole::DataProtectionLead => "Data protection lead",
            ContactRole::CommunicationsContact => "Communications contact",
            ContactRole::DeliveryContact => "Delivery contact",
            ContactRole::Other => "Other",
        }
    }

    pub fn parse_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code.trim())
    }
}

pub const NAME_MAX: usize = 100;
pub const ROLE_NOTE_MAX: usize = 120;

/// A contact as it may be saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactDetails {
    pub name: String,
    pub role: ContactRole,
    /// Their job title or what they do, optional.
    pub title: String,
    pub email: Option<String>,
    pub phone: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct ContactInput<'a> {
    pub name: &'a str,
    pub role: &'a str,
    pub title: &'a str,
    pub email: &'a str,
    pub phone: &'a str,
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
            errors.add("role", "Choose the contact's role.");
        }
        let title = if input.title.trim().is_empty() {
            Some(String::new())
        } else {
            errors.take(required_line(
                "title",
                "the job title",
                input.title,
                1,
                ROLE_NOTE_MAX,
            ))
        };
        let email = if input.email.trim().is_empty() {
            Some(None)
        } else {
            errors
                .take(Email::parse("email", input.email))
                .map(|e| Some(e.into_string()))
        };
        let phone = errors.take(parse_phone("phone", input.phone));
        match (name, role, title, email, phone) {
            (Some(name), Some(role), Some(title), Some(email), Some(phone))
                if errors.is_empty() =>
            {
                Ok(ContactDetails {
                    name,
                    role,
                    title,
                    email,
                    phone,
                })
            }
            _ => Err(errors),
        }
    }
}

/// An optional UK or international phone number: digits with spaces,
/// dashes, brackets and a leading +; 7 to 15 digits. Kept as typed, with
/// runs of spaces made one.
pub fn parse_phone(field: &str, raw: &str) -> Result<Option<String>, crate::FieldError> {
    let value = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if value.is_empty() {
        return Ok(None);
    }
    let bad = || {
        field_error(
            field,
            "Enter a phone number using digits, like 0113 496 0000 or +44 113 496 0000.",
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
    Ok(Some(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contacts_parse() {
        let c = ContactDetails::parse(&ContactInput {
            name: " Siân Ellis ",
            role: "finance_contact",
            title: "",
            email: " Sian@Example.org ",
            phone: "0113  496 0000",
        })
        .unwrap();
        assert_eq!(c.name, "Siân Ellis");
        assert_eq!(c.email.as_deref(), Some("sian@example.org"));
        assert_eq!(c.phone.as_deref(), Some("0113 496 0000"));
        let c = ContactDetails::parse(&ContactInput {
            name: "A",
            role: "other",
            ..Default::default()
        })
        .unwrap();
        assert_eq!((c.email, c.phone), (None, None));
        let e = ContactDetails::parse(&ContactInput {
            name: "",
            role: "boss",
            title: "",
            email: "not an email",
            phone: "call me",
        })
        .unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["name", "role", "email", "phone"]);
    }

    #[test]
    fn phones() {
        assert_eq!(
            parse_phone("p", "+44 (0)113 496-0000").unwrap().as_deref(),
            Some("+44 (0)113 496-0000")
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
}
