//! The agreement builder: the kinds of agreement partners make, the
//! sections each is built from with starting text, and the parts filled in
//! from what the collaboration already holds. Whether an agreement is
//! agreed is decided by [`crate::approval`].

use crate::errors::{FieldErrors, field_error};
use crate::values::optional_text;

/// The kinds of agreement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AgreementKind {
    MemorandumOfUnderstanding,
    CollaborationAgreement,
    ConsortiumAgreement,
    DataSharingAgreement,
}

impl AgreementKind {
    pub const ALL: [AgreementKind; 4] = [
        AgreementKind::MemorandumOfUnderstanding,
        AgreementKind::CollaborationAgreement,
        AgreementKind::ConsortiumAgreement,
        AgreementKind::DataSharingAgreement,
    ];

    pub fn code(self) -> &'static str {
        match self {
            AgreementKind::MemorandumOfUnderstanding => "memorandum_of_understanding",
            AgreementKind::CollaborationAgreement => "collaboration_agreement",
            AgreementKind::ConsortiumAgreement => "consortium_agreement",
            AgreementKind::DataSharingAgreement => "data_sharing_agreement",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AgreementKind::MemorandumOfUnderstanding => "Memorandum of understanding",
            AgreementKind::CollaborationAgreement => "Collaboration agreement",
            AgreementKind::ConsortiumAgreement => "Consortium agreement",
            AgreementKind::DataSharingAgreement => "Data-sharing agreement",
        }
    }

    pub fn hint(self) -> &'static str {
        match self {
            AgreementKind::MemorandumOfUnderstanding => {
                "A statement of intent for informal or early partnerships. Mostly not legally binding."
            }
            AgreementKind::CollaborationAgreement => {
                "For joint projects and joint delivery: who does what, with what money, and how you decide."
            }
            AgreementKind::ConsortiumAgreement => {
                "For a group bidding and delivering together, often with a lead partner holding the contract."
            }
            AgreementKind::DataSharingAgreement => {
                "For sharing personal data between partners, as UK data protection law expects."
            }
        }
    }

    pub fn parse_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code.trim())
    }

    pub fn parse(field: &str, raw: &str) -> Result<Self, crate::FieldError> {
        Self::parse_code(raw).ok_or_else(|| {
            field_error(
                field,
                "Choose a memorandum of understanding, a collaboration agreement, a consortium agreement or a data-sharing agreement.",
            )
        })
    }

    /// Whether the agreement is meant to bind the partners in law.
    pub fn binding(self) -> bool {
        !matches!(self, AgreementKind::MemorandumOfUnderstanding)
    }
}

/// The sections, in order: (key, title).
pub const SECTIONS: [(&str, &str); 20] = [
    ("parties", "Parties"),
    ("background_and_purpose", "Background and purpose"),
    ("aims", "Aims"),
    ("principles", "Principles"),
    ("scope_and_activities", "Scope and activities"),
    ("roles", "Roles and responsibilities"),
    ("governance_and_decisions", "Governance and decisions"),
    ("money_and_resources", "Money and resources"),
    ("staff", "Staff and volunteers"),
    ("performance_and_review", "Performance and review"),
    ("communications_and_branding", "Communications and branding"),
    (
        "confidentiality_and_data_protection",
        "Confidentiality and data protection",
    ),
    ("intellectual_property", "Intellectual property"),
    ("liability_and_insurance", "Liability and insurance"),
    ("conflicts_of_interest", "Conflicts of interest"),
    ("disputes_and_escalation", "Disputes and escalation"),
    ("variation_and_new_partners", "Changes and new partners"),
    ("term", "Term"),
    ("exit_and_termination", "Leaving and ending the agreement"),
    ("whether_binding", "Whether this agreement is binding"),
];

/// The title of a section, if the key is one.
pub fn section_title(key: &str) -> Option<&'static str> {
    SECTIONS.iter().find(|(k, _)| *k == key).map(|(_, t)| *t)
}

/// One party as the agreement names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartyFact {
    pub name: String,
    pub org_identifier: Option<String>,
    pub lead: bool,
}

/// One shared aim as the agreement states it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AimFact {
    pub title: String,
    pub indicator: String,
    pub baseline: String,
    pub target: String,
    pub target_date: Option<String>,
}

/// What the collaboration already holds, to fill the starting text.
/// `governance` and `responsibilities` are lines written by the Plan
/// stage's structures (governance bodies and the responsibilities matrix);
/// empty until those are recorded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    pub title: String,
    pub purpose: String,
    pub parties: Vec<PartyFact>,
    pub aims: Vec<AimFact>,
    pub governance: Vec<String>,
    pub responsibilities: Vec<String>,
}

fn bullets(lines: &[String]) -> String {
    lines
        .iter()
        .map(|l| format!("- {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Markdown that shows text literally: characters that Markdown would read
/// as markup are escaped, so an organisation called "*Stars* <b>" appears
/// as typed.
pub fn md_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`'
                | '*'
                | '_'
                | '{'
                | '}'
                | '['
                | ']'
                | '<'
                | '>'
                | '('
                | ')'
                | '#'
                | '+'
                | '!'
                | '|'
                | '~'
        ) {
            out.push('\\');
        }
        if c == '\n' || c == '\r' {
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    out
}

/// The starting text of every section, in order: (key, title, text).
pub fn starting_sections(
    kind: AgreementKind,
    facts: &Facts,
) -> Vec<(&'static str, &'static str, String)> {
    SECTIONS
        .iter()
        .map(|(key, title)| (*key, *title, starting_text(kind, key, facts)))
        .collect()
}

fn starting_text(kind: AgreementKind, key: &str, f: &Facts) -> String {
    let binding = kind.binding();
    match key {
        "parties" => {
            if f.parties.is_empty() {
                "List each organisation signing this agreement, with its registered number.".into()
            } else {
                let lines: Vec<String> = f
                    .parties
                    .iter()
                    .map(|p| {
                        let mut l = format!("**{}**", md_literal(&p.name));
                        if let Some(id) = &p.org_identifier {
                            l.push_str(&format!(" ({})", md_literal(id)));
                        }
                        if p.lead {
                            l.push_str(", the lead organisation");
                        }
                        l
                    })
                    .collect();
                format!(
                    "This {} is made between:\n\n{}",
                    kind.label().to_lowercase(),
                    bullets(&lines)
                )
            }
        }
        "background_and_purpose" => {
            let mut s = format!(
                "The parties have come together as **{}**.",
                md_literal(&f.title)
            );
            if !f.purpose.trim().is_empty() {
                s.push_str(&format!("\n\n{}", md_literal(f.purpose.trim())));
            }
            s.push_str("\n\nSay here why you are working together and what none of you could do alone.");
            s
        }
        "aims" => {
            if f.aims.is_empty() {
                "The parties will agree their shared aims, each with how they will measure it, where they start and the target they aim for.".into()
            } else {
                let lines: Vec<String> = f
                    .aims
                    .iter()
                    .map(|a| {
                        let mut l = format!(
                            "**{}**: measured by {}",
                            md_literal(&a.title),
                            md_literal(&a.indicator)
                        );
                        if !a.baseline.is_empty() {
                            l.push_str(&format!(", from {}", md_literal(&a.baseline)));
                        }
                        if !a.target.is_empty() {
                            l.push_str(&format!(", to {}", md_literal(&a.target)));
                        }
                        if let Some(d) = &a.target_date {
                            l.push_str(&format!(" by {d}"));
                        }
                        l.push('.');
                        l
                    })
                    .collect();
                format!("The parties share these aims:\n\n{}", bullets(&lines))
            }
        }
        "principles" => "The parties will work together openly and in good faith. They will share information early, respect each other's independence and values, and put the interests of the people they serve first.".into(),
        "scope_and_activities" => "Describe the work the parties will do together, where, and for whom. Work outside this scope is not covered by this agreement unless the parties agree in writing.".into(),
        "roles" => {
            if f.responsibilities.is_empty() {
                "Set out who does what: who is responsible, who is accountable, who is consulted and who is kept informed for each of the collaboration's key functions.".into()
            } else {
                format!(
                    "Each party's part in the collaboration's key functions:\n\n{}",
                    bullets(&f.responsibilities)
                )
            }
        }
        "governance_and_decisions" => {
            if f.governance.is_empty() {
                "Name the group that oversees the collaboration, who sits on it for each party, who chairs it, how often it meets, how many members make a quorum and how it decides.".into()
            } else {
                format!(
                    "The collaboration is governed by:\n\n{}",
                    bullets(&f.governance)
                )
            }
        }
        "money_and_resources" => "Say what each party contributes in money, staff time, premises or equipment, who holds any shared funds, how costs are shared and how money is accounted for.".into(),
        "staff" => "Each party stays the employer of its own staff and manages its own volunteers. Say here how staff will work together, who supervises them day to day, and how any transfer of staff would be handled.".into(),
        "performance_and_review" => "The parties will check progress against the shared aims at least every six months, and review this agreement once a year.".into(),
        "communications_and_branding" => "The parties will agree together how the collaboration is described in public. No party will use another's name or logo without its permission.".into(),
        "confidentiality_and_data_protection" => {
            let mut s = String::from("Each party will keep confidential what it learns about the others that is not public, and will handle personal data lawfully, fairly and securely, as UK data protection law requires.");
            if kind == AgreementKind::DataSharingAgreement {
                s.push_str("\n\nFor each flow of personal data, record what is shared, why, the lawful basis, who may see it, how it is kept secure, how long it is kept and how people are told. Each party will tell the others within 48 hours of a data breach that affects shared data.");
            }
            s
        }
        "intellectual_property" => "Each party keeps what it owned before this agreement. Say who owns what the parties make together, and how each may use it.".into(),
        "liability_and_insurance" => "Each party is responsible for its own acts and omissions, and keeps insurance suited to the work it does, including public and employer's liability.".into(),
        "conflicts_of_interest" => "Anyone acting for a party will declare any interest that could affect a decision of the collaboration, and will step out of that decision.".into(),
        "disputes_and_escalation" => "The parties will first try to settle any disagreement between the people involved. If that fails within 20 working days, it goes to the parties' chief officers, and then, if need be, to mediation before any other step.".into(),
        "variation_and_new_partners" => "This agreement can only be changed, or a new partner added, with the written approval of every party. A new partner signs up to the agreement as it then stands.".into(),
        "term" => "This agreement starts when every party has approved it, and lasts until the parties end it or the work it covers ends.".into(),
        "exit_and_termination" => "A party may leave by giving the others three months' notice in writing. On leaving or ending, the parties will agree how to finish work in progress, return property and information, and settle money owed.".into(),
        "whether_binding" => {
            if binding {
                "The parties intend this agreement to be legally binding.".into()
            } else {
                "This memorandum records what the parties intend. It is not legally binding, except for the parts on confidentiality and data protection.".into()
            }
        }
        _ => String::new(),
    }
}

/// Longest text of one section.
pub const MAX_SECTION: usize = 20_000;

/// A section's new text: Markdown, newlines kept.
pub fn parse_section_text(raw: &str) -> Result<String, FieldErrors> {
    optional_text("text", "the section", raw, MAX_SECTION).map_err(|e| {
        let mut errors = FieldErrors::new();
        errors.add(e.field, e.message);
        errors
    })
}

/// A version number sent back with an edit or an approval.
pub fn parse_version(field: &str, raw: &str) -> Result<i64, FieldErrors> {
    match raw.trim().parse::<i64>() {
        Ok(v) if v >= 1 => Ok(v),
        _ => Err(FieldErrors::single(
            field,
            "The version is missing or wrong. Reload the agreement and try again.",
        )),
    }
}

/// A comment on a section.
pub fn parse_comment(raw: &str) -> Result<String, FieldErrors> {
    let body = optional_text("body", "the comment", raw, 4000).map_err(|e| {
        let mut errors = FieldErrors::new();
        errors.add(e.field, e.message);
        errors
    })?;
    if body.is_empty() {
        return Err(FieldErrors::single("body", "Write your comment."));
    }
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_twenty_sections_with_text() {
        let facts = Facts {
            title: "Holiday meals".into(),
            purpose: "Feed children".into(),
            parties: vec![PartyFact {
                name: "Cymdeithas Gymunedol Llanfair *Ŵy*".into(),
                org_identifier: Some("GB-CHC-1".into()),
                lead: true,
            }],
            aims: vec![AimFact {
                title: "Meals".into(),
                indicator: "Meals served".into(),
                baseline: "0".into(),
                target: "5000".into(),
                target_date: Some("2027-08-31".into()),
            }],
            ..Default::default()
        };
        for kind in AgreementKind::ALL {
            let s = starting_sections(kind, &facts);
            assert_eq!(s.len(), 20);
            assert!(s.iter().all(|(_, _, t)| !t.is_empty()));
            assert!(
                s[0].2
                    .contains("**Cymdeithas Gymunedol Llanfair \\*Ŵy\\***"),
                "{}",
                s[0].2
            );
            assert!(
                s[2].2.contains(
                    "**Meals**: measured by Meals served, from 0, to 5000 by 2027-08-31."
                )
            );
            assert_eq!(AgreementKind::parse_code(kind.code()), Some(kind));
        }
        let keys: std::collections::HashSet<_> = SECTIONS.iter().map(|s| s.0).collect();
        assert_eq!(keys.len(), 20);
    }
}
