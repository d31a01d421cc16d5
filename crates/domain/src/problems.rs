//! The problem log and its escalation ladder.
//!
//! Rules decided here:
//! - A problem has a description, a severity (low, medium, high, critical),
//!   an owner organisation taking part (checked by the caller), perhaps an
//!   owner person (a member of it, checked by the caller), a status (open,
//!   being worked on, resolved, closed) and a resolution, which is needed
//!   to mark it resolved.
//! - The ladder comes from the agreement's "disputes and escalation"
//!   section: when its text holds a numbered or bulleted list of at least
//!   two items, those items are the rungs in order (one item is not a
//!   ladder). Otherwise the default ladder is used.
//! - Escalating moves a problem exactly one rung up; it cannot go past the
//!   top, and a resolved or closed problem cannot be escalated.

use crate::errors::{FieldError, FieldErrors};
use crate::values::optional_text;
use serde::{Deserialize, Serialize};

/// The ladder when the agreement does not give one.
pub const DEFAULT_LADDER: [&str; 4] = [
    "Working level",
    "Partner leads",
    "Steering group",
    "Independent mediation",
];

/// The longest rung name kept; longer items are cut at a word.
pub const MAX_RUNG: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 4] = [
        Severity::Low,
        Severity::Medium,
        Severity::High,
        Severity::Critical,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Severity::Low => "Low",
            Severity::Medium => "Medium",
            Severity::High => "High",
            Severity::Critical => "Critical",
        }
    }

    pub fn parse_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code.trim())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemStatus {
    Open,
    BeingWorkedOn,
    Resolved,
    Closed,
}

impl ProblemStatus {
    pub const ALL: [ProblemStatus; 4] = [
        ProblemStatus::Open,
        ProblemStatus::BeingWorkedOn,
        ProblemStatus::Resolved,
        ProblemStatus::Closed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ProblemStatus::Open => "open",
            ProblemStatus::BeingWorkedOn => "being_worked_on",
            ProblemStatus::Resolved => "resolved",
            ProblemStatus::Closed => "closed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ProblemStatus::Open => "Open",
            ProblemStatus::BeingWorkedOn => "Being worked on",
            ProblemStatus::Resolved => "Resolved",
            ProblemStatus::Closed => "Closed",
        }
    }

    pub fn parse_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code.trim())
    }

    /// Resolved or closed: nothing more to do.
    pub fn is_finished(self) -> bool {
        matches!(self, ProblemStatus::Resolved | ProblemStatus::Closed)
    }
}

/// The item text of a list line: "1. x", "1) x", "- x", "* x", "• x".
fn list_item(line: &str) -> Option<&str> {
    let t = line.trim_start();
    for bullet in ["- ", "* ", "\u{2022} ", "\u{2013} "] {
        if let Some(rest) = t.strip_prefix(bullet) {
            return Some(rest);
        }
    }
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 3 {
        return None;
    }
    let rest = &t[digits..];
    let rest = rest
        .strip_prefix(". ")
        .or_else(|| rest.strip_prefix(") "))?;
    Some(rest)
}

/// A rung's name from a list item: trimmed, without the punctuation that
/// joins list items into a sentence, at most [`MAX_RUNG`] characters.
fn rung_name(item: &str) -> String {
    let mut t = item.trim();
    loop {
        let before = t;
        t = t.trim_end_matches([';', ',', '.', ':']).trim_end();
        for joiner in [" and", " or", " then"] {
            if let Some(s) = t.strip_suffix(joiner) {
                t = s.trim_end();
            }
        }
        if t == before {
            break;
        }
    }
    if t.chars().count() <= MAX_RUNG {
        return t.to_string();
    }
    let cut: String = t.chars().take(MAX_RUNG).collect();
    match cut.rfind(' ') {
        Some(i) if i > 0 => cut[..i].to_string(),
        _ => cut,
    }
}

/// The rungs a disputes section's text sets out, bottom first; the default
/// ladder when it has no list of at least two items, or no text at all.
pub fn parse_ladder(text: Option<&str>) -> Vec<String> {
    let items: Vec<String> = text
        .unwrap_or("")
        .lines()
        .filter_map(list_item)
        .map(rung_name)
        .filter(|r| !r.is_empty())
        .collect();
    if items.len() >= 2 {
        items
    } else {
        DEFAULT_LADDER.iter().map(|s| s.to_string()).collect()
    }
}

/// Who stands at a rung, worked out from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// The members of the owner organisation.
    WorkingLevel,
    /// The admins of the lead and partner organisations.
    PartnerLeads,
    /// The members of the collaboration's steering group.
    SteeringGroup,
    /// Someone outside the app, such as a mediator.
    Outside,
}

/// Who a rung means. Words in its name decide (mediation, arbitration or
/// anyone independent or external is outside the app; a steering group,
/// board or committee is the steering group; leads, chief officers,
/// directors, managers or senior people are the partners' leads); a rung
/// with none of them is the working level when it is the first and the
/// partners' leads otherwise.
pub fn audience(rung: &str, position: usize) -> Audience {
    let r = rung.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| r.contains(w));
    if has(&[
        "mediat",
        "arbitrat",
        "independent",
        "external",
        "court",
        "ombuds",
    ]) {
        Audience::Outside
    } else if has(&["steering", "board", "committee", "governance"]) {
        Audience::SteeringGroup
    } else if has(&[
        "lead",
        "chief",
        "director",
        "manager",
        "senior",
        "executive",
        "trustee",
        "chair",
    ]) {
        Audience::PartnerLeads
    } else if position == 0 {
        Audience::WorkingLevel
    } else {
        Audience::PartnerLeads
    }
}

/// Why a problem cannot go up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoEscalation {
    Finished(ProblemStatus),
    AtTheTop,
}

impl NoEscalation {
    pub fn message(&self) -> String {
        match self {
            NoEscalation::Finished(s) => format!(
                "This problem is {}, so it cannot be escalated. Reopen it first if it has come back.",
                s.label().to_lowercase()
            ),
            NoEscalation::AtTheTop => {
                "This problem is already at the top of the ladder, so it cannot go higher. Keep working on it at this rung."
                    .to_string()
            }
        }
    }
}

/// The rung a problem moves to when escalated: exactly one up.
pub fn escalate(
    status: ProblemStatus,
    rung: usize,
    ladder_len: usize,
) -> Result<usize, NoEscalation> {
    if status.is_finished() {
        return Err(NoEscalation::Finished(status));
    }
    if rung + 1 >= ladder_len {
        return Err(NoEscalation::AtTheTop);
    }
    Ok(rung + 1)
}

/// Why it is escalated: one to 2,000 characters.
pub fn escalation_reason(raw: &str) -> Result<String, FieldError> {
    let t = optional_text("reason", "the reason", raw, 2000)?;
    if t.is_empty() {
        return Err(FieldError {
            field: "reason".into(),
            message: "Say why the problem needs to go up a rung.".into(),
        });
    }
    Ok(t)
}

/// A problem's fields as typed on the form or sent to the API.
#[derive(Debug, Clone, Copy, Default)]
pub struct ProblemInput<'a> {
    pub description: &'a str,
    pub severity: &'a str,
    pub owner_organisation_id: &'a str,
    pub owner_person_id: &'a str,
    pub status: &'a str,
    pub resolution: &'a str,
}

/// A problem's fields, valid on their own. That the owner organisation
/// takes part and the owner person belongs to it is checked by the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProblemFields {
    pub description: String,
    pub severity: Severity,
    pub owner_organisation_id: i64,
    pub owner_person_id: Option<i64>,
    pub status: ProblemStatus,
    pub resolution: String,
}

fn id_field(errors: &mut FieldErrors, field: &str, raw: &str, message: &str) -> Option<i64> {
    let t = raw.trim();
    if t.is_empty() {
        return None;
    }
    match t.parse::<i64>() {
        Ok(v) if v > 0 => Some(v),
        _ => {
            errors.add(field, message);
            None
        }
    }
}

impl ProblemFields {
    pub fn parse(input: &ProblemInput) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let description = errors.take(optional_text(
            "description",
            "the description",
            input.description,
            4000,
        ));
        if description.as_deref() == Some("") {
            errors.add("description", "Describe the problem.");
        }
        let severity = Severity::parse_code(input.severity);
        if severity.is_none() {
            errors.add("severity", "Choose low, medium, high or critical.");
        }
        let owner = id_field(
            &mut errors,
            "owner_organisation_id",
            input.owner_organisation_id,
            "Choose the organisation that owns the problem.",
        );
        if input.owner_organisation_id.trim().is_empty() {
            errors.add(
                "owner_organisation_id",
                "Choose the organisation that owns the problem.",
            );
        }
        let person = id_field(
            &mut errors,
            "owner_person_id",
            input.owner_person_id,
            "Choose a person from the list, or nobody yet.",
        );
        let status = if input.status.trim().is_empty() {
            Some(ProblemStatus::Open)
        } else {
            let s = ProblemStatus::parse_code(input.status);
            if s.is_none() {
                errors.add(
                    "status",
                    "Choose open, being worked on, resolved or closed.",
                );
            }
            s
        };
        let resolution = errors.take(optional_text(
            "resolution",
            "the resolution",
            input.resolution,
            4000,
        ));
        if status == Some(ProblemStatus::Resolved) && resolution.as_deref() == Some("") {
            errors.add(
                "resolution",
                "Say how the problem was resolved before marking it resolved.",
            );
        }
        errors.into_result()?;
        Ok(ProblemFields {
            description: description.unwrap_or_default(),
            severity: severity.unwrap_or(Severity::Low),
            owner_organisation_id: owner.unwrap_or_default(),
            owner_person_id: person,
            status: status.unwrap_or(ProblemStatus::Open),
            resolution: resolution.unwrap_or_default(),
        })
    }
}

/// The first line of a description, short enough for a list or a title.
pub fn headline(description: &str) -> String {
    let first = description.lines().next().unwrap_or("").trim();
    if first.chars().count() <= 100 {
        first.to_string()
    } else {
        let cut: String = first.chars().take(99).collect();
        format!("{}\u{2026}", cut.trim_end())
    }
}

/// Days since 1970-01-01 of an ISO date `YYYY-MM-DD`.
pub fn days_from_iso(iso: &str) -> Option<i64> {
    let b = iso.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y: i64 = iso[0..4].parse().ok()?;
    let m: i64 = iso[5..7].parse().ok()?;
    let d: i64 = iso[8..10].parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// How long a problem may wait, open with nobody named to own it, before
/// the Implement checklist asks for it.
pub const WAITING_DAYS: i64 = 14;

/// The time (seconds since 1970, UTC) before which a problem raised and
/// still waiting counts as waiting too long on `today`.
pub fn waiting_cutoff(today: &str) -> i64 {
    days_from_iso(today).map_or(0, |d| (d - WAITING_DAYS) * 86_400)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_list_in_the_disputes_section_is_the_ladder() {
        let text = "Disagreements go up in turn:\n\n1. The project officers;\n2. The chief officers, and\n3) The steering group.\n4. An independent mediator.\n\nNo party goes to court first.";
        assert_eq!(
            parse_ladder(Some(text)),
            strings(&[
                "The project officers",
                "The chief officers",
                "The steering group",
                "An independent mediator"
            ])
        );
        let bullets = "- Staff involved\n* Managers\n\u{2022} Mediation";
        assert_eq!(
            parse_ladder(Some(bullets)),
            strings(&["Staff involved", "Managers", "Mediation"])
        );
    }

    #[test]
    fn without_a_list_the_default_ladder() {
        let prose = "The parties will first try to settle any disagreement between the people involved. If that fails within 20 working days, it goes to the chief officers.";
        assert_eq!(parse_ladder(Some(prose)), strings(&DEFAULT_LADDER));
        assert_eq!(parse_ladder(None), strings(&DEFAULT_LADDER));
        // One item is not a ladder; "2027." alone is not an item.
        assert_eq!(
            parse_ladder(Some("1. Talk it through\n2027. was a year")),
            strings(&DEFAULT_LADDER)
        );
        assert_eq!(parse_ladder(Some("- \n- ;")), strings(&DEFAULT_LADDER));
    }

    #[test]
    fn each_default_rung_has_its_people() {
        let who: Vec<Audience> = DEFAULT_LADDER
            .iter()
            .enumerate()
            .map(|(i, r)| audience(r, i))
            .collect();
        assert_eq!(
            who,
            [
                Audience::WorkingLevel,
                Audience::PartnerLeads,
                Audience::SteeringGroup,
                Audience::Outside
            ]
        );
        assert_eq!(audience("The project officers", 0), Audience::WorkingLevel);
        assert_eq!(audience("The project officers", 1), Audience::PartnerLeads);
        assert_eq!(audience("The chief officers", 1), Audience::PartnerLeads);
        assert_eq!(audience("An independent mediator", 3), Audience::Outside);
    }

    #[test]
    fn a_problem_needs_a_description_severity_and_owner() {
        let e = ProblemFields::parse(&ProblemInput::default()).unwrap_err();
        assert_eq!(e.get("description"), Some("Describe the problem."));
        assert_eq!(
            e.get("severity"),
            Some("Choose low, medium, high or critical.")
        );
        assert_eq!(
            e.get("owner_organisation_id"),
            Some("Choose the organisation that owns the problem.")
        );
        let ok = ProblemInput {
            description: " Van broke down ",
            severity: "high",
            owner_organisation_id: "4",
            ..Default::default()
        };
        let f = ProblemFields::parse(&ok).unwrap();
        assert_eq!(f.description, "Van broke down");
        assert_eq!(f.status, ProblemStatus::Open);
        assert_eq!(f.severity, Severity::High);
        let resolved = ProblemInput {
            status: "resolved",
            ..ok
        };
        assert_eq!(
            ProblemFields::parse(&resolved)
                .unwrap_err()
                .get("resolution"),
            Some("Say how the problem was resolved before marking it resolved.")
        );
        let closed = ProblemInput {
            status: "closed",
            ..ok
        };
        assert!(ProblemFields::parse(&closed).is_ok());
    }

    #[test]
    fn days_count_from_1970() {
        assert_eq!(days_from_iso("1970-01-01"), Some(0));
        assert_eq!(days_from_iso("2000-03-01"), Some(11_017));
        assert_eq!(days_from_iso("2026-11-28"), Some(20_785));
        assert_eq!(waiting_cutoff("1970-01-15"), 0);
        assert_eq!(headline("One\nTwo"), "One");
    }

    /// A small deterministic generator, so the properties run the same
    /// cases every time.
    struct Gen(u64);
    impl Gen {
        fn below(&mut self, n: u64) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (self.0 >> 33) % n
        }
        fn word(&mut self) -> String {
            let words = [
                "Staff", "chief", "officers", "steering", "group", "mediator", "the", "and",
                "2027", "talk", "it", "through", ";", ".", ",", "x",
            ];
            let n = 1 + self.below(4);
            (0..n)
                .map(|_| words[self.below(words.len() as u64) as usize])
                .collect::<Vec<_>>()
                .join(" ")
        }
    }

    #[test]
    fn property_escalation_moves_exactly_one_rung_and_stops_at_the_top() {
        let mut g = Gen(7);
        for _ in 0..2000 {
            let len = 1 + g.below(8) as usize;
            let rung = g.below(len as u64) as usize;
            let status = ProblemStatus::ALL[g.below(4) as usize];
            match escalate(status, rung, len) {
                Ok(next) => {
                    assert_eq!(next, rung + 1);
                    assert!(next < len);
                    assert!(!status.is_finished());
                }
                Err(NoEscalation::Finished(s)) => {
                    assert_eq!(s, status);
                    assert!(status.is_finished());
                }
                Err(NoEscalation::AtTheTop) => {
                    assert!(!status.is_finished());
                    assert_eq!(rung, len - 1);
                }
            }
        }
        // Climbing from the bottom reaches the top in len - 1 moves, then stops.
        for len in 1..10 {
            let (mut rung, mut moves) = (0, 0);
            while let Ok(next) = escalate(ProblemStatus::BeingWorkedOn, rung, len) {
                rung = next;
                moves += 1;
            }
            assert_eq!((rung, moves), (len - 1, len - 1));
        }
    }

    #[test]
    fn property_a_listed_ladder_keeps_its_items_in_order() {
        let mut g = Gen(11);
        for _ in 0..500 {
            let n = g.below(6) as usize;
            let names: Vec<String> = (0..n).map(|_| format!("Rung {}", g.word())).collect();
            let mut text = String::new();
            if g.below(2) == 0 {
                text.push_str(&g.word());
                text.push('\n');
            }
            let numbered = g.below(2) == 0;
            for (i, name) in names.iter().enumerate() {
                if numbered {
                    text.push_str(&format!("{}. {name}\n", i + 1));
                } else {
                    text.push_str(&format!("- {name}\n"));
                }
                if g.below(3) == 0 {
                    text.push_str(&g.word());
                    text.push('\n');
                }
            }
            let ladder = parse_ladder(Some(&text));
            if n >= 2 {
                let expected: Vec<String> = names.iter().map(|s| rung_name(s)).collect();
                assert_eq!(ladder, expected, "{text:?}");
                assert!(ladder.iter().all(|r| r.starts_with("Rung")));
            } else {
                assert_eq!(ladder, strings(&DEFAULT_LADDER), "{text:?}");
            }
            assert!(ladder.len() >= 2);
            assert!(
                ladder
                    .iter()
                    .all(|r| !r.is_empty() && r.chars().count() <= MAX_RUNG)
            );
        }
    }
}
