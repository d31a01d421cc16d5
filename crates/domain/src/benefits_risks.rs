//! Benefits and risks of collaborating: a catalogue to pick from, items of
//! the partners' own, each rated for likelihood and impact, and the score
//! and band that come from the rating.

use crate::errors::FieldErrors;
use crate::values::{optional_text, required_line};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Benefit,
    Risk,
}

impl Kind {
    pub const ALL: [Kind; 2] = [Kind::Benefit, Kind::Risk];

    pub fn code(self) -> &'static str {
        match self {
            Kind::Benefit => "benefit",
            Kind::Risk => "risk",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::Benefit => "Benefit",
            Kind::Risk => "Risk",
        }
    }

    pub fn parse_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code.trim())
    }
}

/// One entry of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CatalogueEntry {
    pub code: &'static str,
    pub kind: Kind,
    pub title: &'static str,
    /// What it means in practice, in a sentence.
    pub hint: &'static str,
}

const fn entry(
    code: &'static str,
    kind: Kind,
    title: &'static str,
    hint: &'static str,
) -> CatalogueEntry {
    CatalogueEntry {
        code,
        kind,
        title,
        hint,
    }
}

/// Benefits and risks that collaborations commonly meet.
pub const CATALOGUE: &[CatalogueEntry] = &[
    entry(
        "efficiency",
        Kind::Benefit,
        "Better use of money, staff and time",
        "Less duplication, so more of each pound reaches the people you serve.",
    ),
    entry(
        "better_services",
        Kind::Benefit,
        "Better services",
        "Services that join up, fill gaps and meet needs no partner can meet alone.",
    ),
    entry(
        "voice_and_influence",
        Kind::Benefit,
        "A stronger voice and more influence",
        "Funders and decision-makers listen to partners who speak together.",
    ),
    entry(
        "sustainability",
        Kind::Benefit,
        "A more sustainable organisation",
        "Shared risk and new strengths help each partner keep going.",
    ),
    entry(
        "shared_back_office",
        Kind::Benefit,
        "Lower back office costs",
        "Sharing finance, HR, IT or premises costs less than each paying alone.",
    ),
    entry(
        "new_funding",
        Kind::Benefit,
        "Access to new funding or contracts",
        "Bids and contracts that are too large for one partner alone.",
    ),
    entry(
        "learning",
        Kind::Benefit,
        "Learning and new skills",
        "Staff, volunteers and trustees learn from how the other partners work.",
    ),
    entry(
        "reach",
        Kind::Benefit,
        "Reaching more people",
        "New areas, communities or groups that a partner already knows.",
    ),
    entry(
        "identity",
        Kind::Risk,
        "Loss of identity or independence",
        "A partner's name, voice or freedom to decide gets lost in the joint work.",
    ),
    entry(
        "mission_drift",
        Kind::Risk,
        "Mission drift",
        "The work pulls a partner away from its charitable purposes.",
    ),
    entry(
        "cost_and_time",
        Kind::Risk,
        "Cost and time",
        "Meetings, legal advice and managing the partnership cost more than expected.",
    ),
    entry(
        "unequal_power",
        Kind::Risk,
        "Unequal power between partners",
        "The largest partner decides, and smaller ones feel they cannot say no.",
    ),
    entry(
        "reputation",
        Kind::Risk,
        "Damage to reputation",
        "Something a partner does reflects badly on everyone involved.",
    ),
    entry(
        "staff_tupe",
        Kind::Risk,
        "Staff and TUPE",
        "Staff moving between employers keep their terms under TUPE, which needs care and advice.",
    ),
    entry(
        "pensions_liabilities",
        Kind::Risk,
        "Pensions and hidden liabilities",
        "Pension deficits, leases or debts come to light late and cost a lot.",
    ),
    entry(
        "vat",
        Kind::Risk,
        "VAT",
        "Charging each other for shared services can bring VAT that nobody planned for.",
    ),
    entry(
        "funder_restrictions",
        Kind::Risk,
        "Funder restrictions",
        "Grant terms stop money or staff being shared, or need the funder's consent.",
    ),
    entry(
        "trust_of_people",
        Kind::Risk,
        "Loss of trust from beneficiaries or volunteers",
        "People who rely on a partner, or give it their time, feel left out of the change.",
    ),
    entry(
        "slower_governance",
        Kind::Risk,
        "Slower decisions",
        "Every decision needs several boards, so things take longer.",
    ),
    entry(
        "data_protection",
        Kind::Risk,
        "Data protection and sharing",
        "Sharing personal data between partners needs a lawful basis, an agreement and care.",
    ),
];

pub fn catalogue_entry(code: &str) -> Option<&'static CatalogueEntry> {
    CATALOGUE.iter().find(|e| e.code == code.trim())
}

pub fn catalogue_of(kind: Kind) -> impl Iterator<Item = &'static CatalogueEntry> {
    CATALOGUE.iter().filter(move |e| e.kind == kind)
}

/// Words for each likelihood from 1 to 5.
pub fn likelihood_label(n: u8) -> &'static str {
    match n {
        1 => "Very unlikely",
        2 => "Unlikely",
        3 => "Possible",
        4 => "Likely",
        _ => "Almost certain",
    }
}

/// Words for each impact from 1 to 5.
pub fn impact_label(n: u8) -> &'static str {
    match n {
        1 => "Very small",
        2 => "Small",
        3 => "Moderate",
        4 => "Large",
        _ => "Very large",
    }
}

/// How much attention an item needs, from its score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Band {
    Low,
    Medium,
    High,
    VeryHigh,
}

impl Band {
    /// Low 1–4, medium 5–9, high 10–16, very high 20–25 (the only scores
    /// between 17 and 19 cannot happen: no two numbers from 1 to 5 make them).
    pub fn of_score(score: u8) -> Band {
        match score {
            0..=4 => Band::Low,
            5..=9 => Band::Medium,
            10..=16 => Band::High,
            _ => Band::VeryHigh,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Band::Low => "low",
            Band::Medium => "medium",
            Band::High => "high",
            Band::VeryHigh => "very_high",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Band::Low => "Low",
            Band::Medium => "Medium",
            Band::High => "High",
            Band::VeryHigh => "Very high",
        }
    }
}

/// Likelihood times impact: 1 to 25.
pub fn score(likelihood: u8, impact: u8) -> u8 {
    likelihood * impact
}

/// How many items sit in each cell of the 5 by 5 matrix: `[impact - 1][likelihood - 1]`.
pub fn matrix(ratings: impl IntoIterator<Item = (u8, u8)>) -> [[u32; 5]; 5] {
    let mut cells = [[0u32; 5]; 5];
    for (likelihood, impact) in ratings {
        if (1..=5).contains(&likelihood) && (1..=5).contains(&impact) {
            cells[impact as usize - 1][likelihood as usize - 1] += 1;
        }
    }
    cells
}

/// Sorts items highest score first; equal scores by higher impact, then
/// in the order given (`key` gives likelihood, impact and a tie-breaking id).
pub fn sort_by_score<T>(items: &mut [T], key: impl Fn(&T) -> (u8, u8, i64)) {
    items.sort_by(|a, b| {
        let (la, ia, ida) = key(a);
        let (lb, ib, idb) = key(b);
        score(lb, ib)
            .cmp(&score(la, ia))
            .then(ib.cmp(&ia))
            .then(ida.cmp(&idb))
    });
}

pub const TITLE_MAX: usize = 200;
pub const NOTE_MAX: usize = 2000;

/// A rated benefit or risk as it may be saved. The owner organisation is
/// checked against the participants by the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BenefitRiskDetails {
    pub kind: Kind,
    pub catalogue_code: Option<&'static str>,
    pub title: String,
    pub likelihood: u8,
    pub impact: u8,
    pub note: String,
}

/// What was submitted, as text or numbers.
#[derive(Debug, Clone, Default)]
pub struct BenefitRiskInput<'a> {
    /// `benefit` or `risk`; may be left empty when a catalogue entry is picked.
    pub kind: &'a str,
    /// A catalogue code, or empty for an item of one's own.
    pub catalogue_code: &'a str,
    /// Required for one's own item; for a catalogue entry, empty means its title.
    pub title: &'a str,
    pub likelihood: Option<i64>,
    pub impact: Option<i64>,
    pub note: &'a str,
}

fn rating(errors: &mut FieldErrors, field: &str, value: Option<i64>, what: &str) -> Option<u8> {
    match value {
        Some(n @ 1..=5) => Some(n as u8),
        _ => {
            errors.add(
                field,
                format!("Choose how {what} it is, from 1 (the least) to 5 (the most)."),
            );
            None
        }
    }
}

impl BenefitRiskDetails {
    pub fn score(&self) -> u8 {
        score(self.likelihood, self.impact)
    }

    pub fn parse(input: &BenefitRiskInput<'_>) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let code = input.catalogue_code.trim();
        let entry = if code.is_empty() {
            None
        } else {
            match catalogue_entry(code) {
                Some(e) => Some(e),
                None => {
                    errors.add(
                        "catalogue_code",
                        "Choose an item from the list, or leave it empty and write your own.",
                    );
                    None
                }
            }
        };
        let kind = match (Kind::parse_code(input.kind), entry) {
            (Some(k), Some(e)) if k != e.kind => {
                errors.add(
                    "catalogue_code",
                    format!(
                        "\u{201c}{}\u{201d} is a {}. Choose a {} from the list, or change the type.",
                        e.title,
                        e.kind.code(),
                        k.code()
                    ),
                );
                None
            }
            (Some(k), _) => Some(k),
            (None, Some(e)) if input.kind.trim().is_empty() => Some(e.kind),
            (None, _) => {
                errors.add("kind", "Choose whether this is a benefit or a risk.");
                None
            }
        };
        let title = if input.title.trim().is_empty() && entry.is_some() {
            entry.map(|e| e.title.to_string())
        } else if input.title.trim().is_empty() && !code.is_empty() {
            // The code was wrong; that error is enough.
            None
        } else {
            errors.take(required_line(
                "title",
                "a title, or choose an item from the list",
                input.title,
                1,
                TITLE_MAX,
            ))
        };
        let likelihood = rating(&mut errors, "likelihood", input.likelihood, "likely");
        let impact = rating(&mut errors, "impact", input.impact, "big an effect");
        let note = errors.take(optional_text("note", "the note", input.note, NOTE_MAX));
        match (kind, title, likelihood, impact, note) {
            (Some(kind), Some(title), Some(likelihood), Some(impact), Some(note))
                if errors.is_empty() =>
            {
                Ok(BenefitRiskDetails {
                    kind,
                    catalogue_code: entry.map(|e| e.code),
                    title,
                    likelihood,
                    impact,
                    note,
                })
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalogue_has_what_partners_commonly_meet() {
        let risks: Vec<&str> = catalogue_of(Kind::Risk).map(|e| e.code).collect();
        assert_eq!(risks.len(), 12);
        for code in [
            "identity",
            "mission_drift",
            "staff_tupe",
            "vat",
            "data_protection",
        ] {
            assert!(risks.contains(&code), "{code}");
        }
        let benefits: Vec<&str> = catalogue_of(Kind::Benefit).map(|e| e.code).collect();
        assert_eq!(benefits.len(), 8);
        // The four benefits of own goals are among them, under the same codes.
        for b in crate::goals::Benefit::ALL {
            assert_eq!(
                catalogue_entry(b.code()).map(|e| e.kind),
                Some(Kind::Benefit)
            );
        }
        // Codes are unique, and every entry has words.
        let mut codes: Vec<&str> = CATALOGUE.iter().map(|e| e.code).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), CATALOGUE.len());
        assert!(
            CATALOGUE
                .iter()
                .all(|e| !e.title.is_empty() && e.hint.ends_with('.'))
        );
    }

    #[test]
    fn bands_cover_every_possible_score() {
        let mut seen = std::collections::BTreeMap::new();
        for l in 1..=5 {
            for i in 1..=5 {
                seen.insert(score(l, i), Band::of_score(score(l, i)));
            }
        }
        let bands: Vec<(u8, Band)> = seen.into_iter().collect();
        use Band::*;
        assert_eq!(
            bands,
            [
                (1, Low),
                (2, Low),
                (3, Low),
                (4, Low),
                (5, Medium),
                (6, Medium),
                (8, Medium),
                (9, Medium),
                (10, High),
                (12, High),
                (15, High),
                (16, High),
                (20, VeryHigh),
                (25, VeryHigh)
            ]
        );
        assert!(Band::Low < Band::VeryHigh);
        assert_eq!(likelihood_label(1), "Very unlikely");
        assert_eq!(impact_label(5), "Very large");
    }

    #[test]
    fn sorting_and_the_matrix() {
        // (likelihood, impact, id)
        let mut items = vec![(1, 1, 1), (2, 5, 2), (5, 2, 3), (4, 4, 4), (5, 2, 5)];
        sort_by_score(&mut items, |x| *x);
        assert_eq!(
            items,
            [(4, 4, 4), (2, 5, 2), (5, 2, 3), (5, 2, 5), (1, 1, 1)]
        );
        let m = matrix(items.iter().map(|(l, i, _)| (*l, *i)));
        assert_eq!(m[1][4], 2, "likelihood 5, impact 2 twice");
        assert_eq!(m[4][1], 1);
        assert_eq!(m[0][0], 1);
        assert_eq!(m.iter().flatten().sum::<u32>(), 5);
    }

    fn input<'a>(kind: &'a str, code: &'a str, title: &'a str) -> BenefitRiskInput<'a> {
        BenefitRiskInput {
            kind,
            catalogue_code: code,
            title,
            likelihood: Some(3),
            impact: Some(4),
            note: "",
        }
    }

    #[test]
    fn picking_from_the_catalogue_or_writing_ones_own() {
        let d = BenefitRiskDetails::parse(&input("", "vat", "")).unwrap();
        assert_eq!(
            (d.kind, d.catalogue_code, d.title.as_str()),
            (Kind::Risk, Some("vat"), "VAT")
        );
        assert_eq!(d.score(), 12);
        // A catalogue entry may be given a title of its own.
        let d = BenefitRiskDetails::parse(&input("risk", "vat", "VAT on shared staff")).unwrap();
        assert_eq!(d.title, "VAT on shared staff");
        let d = BenefitRiskDetails::parse(&input("benefit", "", "A shared minibus")).unwrap();
        assert_eq!((d.kind, d.catalogue_code), (Kind::Benefit, None));
        // Wrong kind for the entry, unknown entries, no title, no kind.
        let e = BenefitRiskDetails::parse(&input("benefit", "vat", "")).unwrap_err();
        assert!(e.get("catalogue_code").unwrap().contains("is a risk"));
        let e = BenefitRiskDetails::parse(&input("risk", "made_up", "")).unwrap_err();
        assert_eq!(e.0.len(), 1);
        assert!(e.get("catalogue_code").is_some());
        let e = BenefitRiskDetails::parse(&input("", "", " ")).unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["kind", "title"]);
    }

    #[test]
    fn ratings_are_one_to_five() {
        for (l, i, ok) in [
            (Some(1), Some(5), true),
            (Some(0), Some(3), false),
            (Some(6), Some(3), false),
            (None, Some(3), false),
            (Some(3), Some(-1), false),
        ] {
            let r = BenefitRiskDetails::parse(&BenefitRiskInput {
                likelihood: l,
                impact: i,
                ..input("risk", "", "Something")
            });
            assert_eq!(r.is_ok(), ok, "{l:?} {i:?}");
        }
        let e = BenefitRiskDetails::parse(&BenefitRiskInput {
            likelihood: None,
            impact: None,
            note: &"n".repeat(2001),
            ..input("risk", "", "x")
        })
        .unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["likelihood", "impact", "note"]);
        assert_eq!(
            e.get("likelihood"),
            Some("Choose how likely it is, from 1 (the least) to 5 (the most).")
        );
        let title = "t".repeat(201);
        assert!(BenefitRiskDetails::parse(&input("risk", "", &title)).is_err());
    }
}
