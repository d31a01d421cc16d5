//! Organisations: their kinds, registration numbers, org-ids, profiles and
//! the rules about their members.

use crate::FieldError;
use crate::errors::{FieldErrors, RuleError, field_error};
use crate::values::{optional_text, optional_website, required_line, text_list};
use serde::{Deserialize, Serialize};

/// The legal or informal form an organisation takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    RegisteredCharity,
    Cio,
    CharitableCompany,
    Cic,
    CommunityGroup,
    SocialEnterprise,
    Other,
}

impl OrgKind {
    pub const ALL: [OrgKind; 7] = [
        OrgKind::RegisteredCharity,
        OrgKind::Cio,
        OrgKind::CharitableCompany,
        OrgKind::Cic,
        OrgKind::CommunityGroup,
        OrgKind::SocialEnterprise,
        OrgKind::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            OrgKind::RegisteredCharity => "registered_charity",
            OrgKind::Cio => "cio",
            OrgKind::CharitableCompany => "charitable_company",
            OrgKind::Cic => "cic",
            OrgKind::CommunityGroup => "community_group",
            OrgKind::SocialEnterprise => "social_enterprise",
            OrgKind::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            OrgKind::RegisteredCharity => "Registered charity",
            OrgKind::Cio => "Charitable incorporated organisation (CIO)",
            OrgKind::CharitableCompany => "Charitable company",
            OrgKind::Cic => "Community interest company (CIC)",
            OrgKind::CommunityGroup => "Community group",
            OrgKind::SocialEnterprise => "Social enterprise",
            OrgKind::Other => "Other",
        }
    }

    pub fn parse_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code.trim())
    }

    /// Kinds that must give a Charity Commission registration number.
    pub fn needs_charity_number(self) -> bool {
        matches!(
            self,
            OrgKind::RegisteredCharity | OrgKind::Cio | OrgKind::CharitableCompany
        )
    }

    /// Kinds that must give a Companies House number.
    pub fn needs_company_number(self) -> bool {
        matches!(self, OrgKind::CharitableCompany | OrgKind::Cic)
    }
}

/// A charity number as the Charity Commission writes it: 6 to 8 digits.
pub fn parse_charity_number(field: &str, raw: &str) -> Result<Option<String>, FieldError> {
    let value: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    if value.is_empty() {
        return Ok(None);
    }
    if !(6..=8).contains(&value.len()) || !value.chars().all(|c| c.is_ascii_digit()) {
        return Err(field_error(
            field,
            "Charity number must be 6 to 8 digits, like 1234567.",
        ));
    }
    Ok(Some(value))
}

/// A Companies House number: 8 characters, digits or two letters then six
/// digits (SC, NI, OC …). Short all-digit numbers are padded with zeros.
pub fn parse_company_number(field: &str, raw: &str) -> Result<Option<String>, FieldError> {
    let value: String = raw
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    if value.is_empty() {
        return Ok(None);
    }
    let message = "Company number must be 8 characters, like 01234567 or SC123456.";
    if value.len() > 8 || !value.is_ascii() {
        return Err(field_error(field, message));
    }
    if value.chars().all(|c| c.is_ascii_digit()) {
        return Ok(Some(format!("{value:0>8}")));
    }
    let (prefix, digits) = value.split_at(2.min(value.len()));
    if value.len() == 8
        && prefix.chars().all(|c| c.is_ascii_uppercase())
        && digits.chars().all(|c| c.is_ascii_digit())
    {
        return Ok(Some(value));
    }
    Err(field_error(field, message))
}

/// The org-id that links a platform organisation to a public register:
/// `GB-CHC-<charity number>` where there is one, else `GB-COH-<company number>`.
pub fn org_identifier(
    charity_number: Option<&str>,
    company_number: Option<&str>,
) -> Option<String> {
    charity_number
        .map(|n| format!("GB-CHC-{n}"))
        .or_else(|| company_number.map(|n| format!("GB-COH-{n}")))
}

/// What a person types into the organisation profile form.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ProfileInput {
    pub name: String,
    pub kind: String,
    pub charity_number: String,
    pub company_number: String,
    pub mission: String,
    pub activities: String,
    pub areas_served: String,
    pub causes: String,
    pub website: String,
}

/// A validated organisation profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Profile {
    pub name: String,
    pub kind: OrgKind,
    pub charity_number: Option<String>,
    pub company_number: Option<String>,
    pub org_identifier: Option<String>,
    pub mission: String,
    pub activities: String,
    pub areas_served: Vec<String>,
    pub causes: Vec<String>,
    pub website: Option<String>,
}

impl Profile {
    pub fn parse(input: &ProfileInput) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = errors.take(required_line(
            "name",
            "the organisation's name",
            &input.name,
            2,
            200,
        ));
        let kind = match OrgKind::parse_code(&input.kind) {
            Some(kind) => Some(kind),
            None => {
                errors.add("kind", "Choose what kind of organisation it is.");
                None
            }
        };
        let charity_number = errors
            .take(parse_charity_number(
                "charity_number",
                &input.charity_number,
            ))
            .flatten();
        let company_number = errors
            .take(parse_company_number(
                "company_number",
                &input.company_number,
            ))
            .flatten();
        if let Some(kind) = kind {
            if kind.needs_charity_number()
                && charity_number.is_none()
                && errors.get("charity_number").is_none()
            {
                errors.add(
                    "charity_number",
                    format!(
                        "Enter the charity number. A {} is registered with the Charity Commission.",
                        kind.label().to_lowercase()
                    ),
                );
            }
            if kind.needs_company_number()
                && company_number.is_none()
                && errors.get("company_number").is_none()
            {
                errors.add(
                    "company_number",
                    format!(
                        "Enter the company number. A {} is registered at Companies House.",
                        kind.label().to_lowercase()
                    ),
                );
            }
        }
        let mission = errors.take(optional_text("mission", "mission", &input.mission, 2000));
        let activities = errors.take(optional_text(
            "activities",
            "activities",
            &input.activities,
            4000,
        ));
        let areas_served = errors.take(text_list(
            "areas_served",
            "areas served",
            &input.areas_served,
            50,
            100,
        ));
        let causes = errors.take(text_list("causes", "causes", &input.causes, 30, 100));
        let website = errors.take(optional_website("website", &input.website));
        match (
            name,
            kind,
            mission,
            activities,
            areas_served,
            causes,
            website,
        ) {
            (
                Some(name),
                Some(kind),
                Some(mission),
                Some(activities),
                Some(areas_served),
                Some(causes),
                Some(website),
            ) if errors.is_empty() => {
                let org_identifier =
                    org_identifier(charity_number.as_deref(), company_number.as_deref());
                Ok(Profile {
                    name,
                    kind,
                    charity_number,
                    company_number,
                    org_identifier,
                    mission,
                    activities,
                    areas_served,
                    causes,
                    website,
                })
            }
            _ => Err(errors),
        }
    }
}

/// A person's role in an organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgRole {
    Admin,
    Member,
}

impl OrgRole {
    pub fn code(self) -> &'static str {
        match self {
            OrgRole::Admin => "admin",
            OrgRole::Member => "member",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            OrgRole::Admin => "Admin",
            OrgRole::Member => "Member",
        }
    }

    pub fn parse_code(code: &str) -> Option<Self> {
        match code.trim() {
            "admin" => Some(OrgRole::Admin),
            "member" => Some(OrgRole::Member),
            _ => None,
        }
    }
}

/// An organisation must always keep at least one admin. Called before a
/// member leaves, is removed, or loses the admin role.
pub fn check_keeps_an_admin(target_is_admin: bool, admin_count: i64) -> Result<(), RuleError> {
    if target_is_admin && admin_count <= 1 {
        return Err(RuleError(
            "An organisation needs at least one admin. Make someone else an admin first."
                .to_string(),
        ));
    }
    Ok(())
}

/// How long an invitation to join an organisation stays open.
pub const MEMBER_INVITATION_DAYS: i64 = 7;

#[cfg(test)]
mod tests {
    use super::*;

    fn input(kind: &str) -> ProfileInput {
        ProfileInput {
            name: "Riverside Food Bank".into(),
            kind: kind.into(),
            ..Default::default()
        }
    }

    #[test]
    fn community_group_needs_no_numbers() {
        let p = Profile::parse(&input("community_group")).unwrap();
        assert_eq!(p.kind, OrgKind::CommunityGroup);
        assert_eq!(p.org_identifier, None);
    }

    #[test]
    fn charity_gets_org_id() {
        let mut i = input("registered_charity");
        assert_eq!(Profile::parse(&i).unwrap_err().0[0].field, "charity_number");
        i.charity_number = " 1234567 ".into();
        let p = Profile::parse(&i).unwrap();
        assert_eq!(p.org_identifier.as_deref(), Some("GB-CHC-1234567"));
    }

    #[test]
    fn cic_gets_company_org_id() {
        let mut i = input("cic");
        i.company_number = "1234567".into();
        let p = Profile::parse(&i).unwrap();
        assert_eq!(p.company_number.as_deref(), Some("01234567"));
        assert_eq!(p.org_identifier.as_deref(), Some("GB-COH-01234567"));
        i.company_number = "sc123456".into();
        assert_eq!(
            Profile::parse(&i).unwrap().org_identifier.as_deref(),
            Some("GB-COH-SC123456")
        );
        i.company_number = "SC12345X".into();
        assert!(Profile::parse(&i).is_err());
    }

    #[test]
    fn every_field_is_reported() {
        let i = ProfileInput {
            name: "".into(),
            kind: "bank".into(),
            charity_number: "12ab".into(),
            website: "not a site".into(),
            ..Default::default()
        };
        let errors = Profile::parse(&i).unwrap_err();
        let fields: Vec<_> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["name", "kind", "charity_number", "website"]);
    }

    #[test]
    fn last_admin_is_kept() {
        assert!(check_keeps_an_admin(true, 1).is_err());
        assert!(check_keeps_an_admin(true, 2).is_ok());
        assert!(check_keeps_an_admin(false, 1).is_ok());
    }
}
