//! The risk register of the Implement stage: risks and key challenges,
//! each rated for likelihood and impact, with an owner, a mitigation, a
//! review date and a status.
//!
//! Rules decided here:
//! - Likelihood and impact run from 1 to 5, each with plain words; the
//!   score is their product and the band comes from [`THRESHOLDS`], the
//!   one place the bands are set.
//! - A risk under review is overdue when it is not closed and its review
//!   date is before today.
//! - The register can be started from suggestions: the risks the partners
//!   weighed in Identify, and challenges collaborations commonly meet. A
//!   suggestion remembers where it came from (its `source`), so adding it
//!   twice never makes two risks.

use crate::benefits_risks::Band;
use crate::errors::FieldErrors;
use crate::stage::ChecklistItem;
use crate::tasks::iso_date;
use crate::values::{optional_text, required_line};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// Where each band starts. A score below `medium` is low.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Thresholds {
    pub medium: u8,
    pub high: u8,
    pub very_high: u8,
}

/// The bands of the risk register: low 1–4, medium 5–9, high 10–16, very
/// high 20–25 (the same as the Identify stage's ratings). Change them here
/// and nowhere else.
pub const THRESHOLDS: Thresholds = Thresholds {
    medium: 5,
    high: 10,
    very_high: 17,
};

/// Likelihood times impact: 1 to 25.
pub fn score(likelihood: u8, impact: u8) -> u8 {
    likelihood * impact
}

/// The band of a score under the register's thresholds.
pub fn band(score: u8) -> Band {
    band_with(&THRESHOLDS, score)
}

pub fn band_with(t: &Thresholds, score: u8) -> Band {
    if score >= t.very_high {
        Band::VeryHigh
    } else if score >= t.high {
        Band::High
    } else if score >= t.medium {
        Band::Medium
    } else {
        Band::Low
    }
}

/// The lowest and highest score in a band, for filtering by score.
pub fn band_range(b: Band) -> (u8, u8) {
    let t = THRESHOLDS;
    match b {
        Band::Low => (1, t.medium - 1),
        Band::Medium => (t.medium, t.high - 1),
        Band::High => (t.high, t.very_high - 1),
        Band::VeryHigh => (t.very_high, 25),
    }
}

pub const BANDS: [Band; 4] = [Band::Low, Band::Medium, Band::High, Band::VeryHigh];

pub fn parse_band(code: &str) -> Option<Band> {
    BANDS.into_iter().find(|b| b.code() == code.trim())
}

/// Plain words for a likelihood from 1 to 5.
pub fn likelihood_words(n: u8) -> &'static str {
    match n {
        1 => "Rare",
        2 => "Unlikely",
        3 => "Possible",
        4 => "Likely",
        _ => "Almost certain",
    }
}

/// Plain words for an impact from 1 to 5.
pub fn impact_words(n: u8) -> &'static str {
    match n {
        1 => "Negligible",
        2 => "Minor",
        3 => "Moderate",
        4 => "Major",
        _ => "Severe",
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskStatus {
    Open,
    BeingManaged,
    Closed,
}

impl RiskStatus {
    pub const ALL: [RiskStatus; 3] = [
        RiskStatus::Open,
        RiskStatus::BeingManaged,
        RiskStatus::Closed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            RiskStatus::Open => "open",
            RiskStatus::BeingManaged => "being_managed",
            RiskStatus::Closed => "closed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            RiskStatus::Open => "Open",
            RiskStatus::BeingManaged => "Being managed",
            RiskStatus::Closed => "Closed",
        }
    }

    pub fn parse_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code.trim())
    }

    /// Still to watch: open or being managed.
    pub fn is_live(self) -> bool {
        self != RiskStatus::Closed
    }
}

/// What kind of risk it is, to group and filter.
pub const CATEGORIES: [(&str, &str); 7] = [
    ("partnership", "Partnership and trust"),
    ("people", "People and staff"),
    ("money", "Money and funding"),
    ("delivery", "Delivery, time and cost"),
    ("legal", "Legal, data and compliance"),
    ("reputation", "Reputation"),
    ("other", "Other"),
];

pub fn category_label(code: &str) -> &'static str {
    CATEGORIES
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| *l)
        .unwrap_or("Other")
}

/// Whether a risk's review is late on `today` (`YYYY-MM-DD`).
pub fn review_overdue(status: RiskStatus, review_on: Option<&str>, today: &str) -> bool {
    status.is_live() && review_on.is_some_and(|d| d < today)
}

/// A risk's fields as typed on the form or sent to the API.
#[derive(Debug, Clone, Copy, Default)]
pub struct RiskInput<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub category: &'a str,
    pub likelihood: &'a str,
    pub impact: &'a str,
    pub owner_organisation_id: &'a str,
    pub owner_person_id: &'a str,
    pub mitigation: &'a str,
    pub review_on: &'a str,
    pub status: &'a str,
}

/// A risk's fields, valid on their own. That the owner organisation takes
/// part and the owner person belongs to it is checked by the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RiskFields {
    pub title: String,
    pub description: String,
    pub category: &'static str,
    pub likelihood: u8,
    pub impact: u8,
    pub owner_organisation_id: Option<i64>,
    pub owner_person_id: Option<i64>,
    pub mitigation: String,
    pub review_on: Option<String>,
    pub status: RiskStatus,
}

fn rating(errors: &mut FieldErrors, field: &str, raw: &str, what: &str) -> u8 {
    match raw.trim().parse::<u8>() {
        Ok(n @ 1..=5) => n,
        _ => {
            errors.add(
                field,
                format!("Choose the {what} from 1 (the least) to 5 (the most)."),
            );
            1
        }
    }
}

fn optional_id(errors: &mut FieldErrors, field: &str, raw: &str, what: &str) -> Option<i64> {
    let t = raw.trim();
    if t.is_empty() {
        return None;
    }
    match t.parse::<i64>() {
        Ok(v) if v > 0 => Some(v),
        _ => {
            errors.add(field, format!("Choose {what} from the list."));
            None
        }
    }
}

impl RiskFields {
    pub fn parse(input: &RiskInput) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let title = errors.take(required_line("title", "a title", input.title, 1, 200));
        let description = errors.take(optional_text(
            "description",
            "the description",
            input.description,
            4000,
        ));
        let category = match CATEGORIES.iter().find(|(c, _)| *c == input.category.trim()) {
            Some((c, _)) => c,
            None => {
                errors.add("category", "Choose the kind of risk from the list.");
                "other"
            }
        };
        let likelihood = rating(&mut errors, "likelihood", input.likelihood, "likelihood");
        let impact = rating(&mut errors, "impact", input.impact, "impact");
        let owner_organisation_id = optional_id(
            &mut errors,
            "owner_organisation_id",
            input.owner_organisation_id,
            "the organisation that owns the risk",
        );
        let owner_person_id = optional_id(
            &mut errors,
            "owner_person_id",
            input.owner_person_id,
            "the person who owns the risk",
        );
        if owner_person_id.is_some()
            && owner_organisation_id.is_none()
            && errors.get("owner_organisation_id").is_none()
        {
            errors.add(
                "owner_organisation_id",
                "Choose the organisation of the person who owns the risk.",
            );
        }
        let mitigation = errors.take(optional_text(
            "mitigation",
            "the mitigation",
            input.mitigation,
            4000,
        ));
        let review_on = errors.take(iso_date("review_on", "the review date", input.review_on));
        let status = if input.status.trim().is_empty() {
            RiskStatus::Open
        } else {
            match RiskStatus::parse_code(input.status) {
                Some(s) => s,
                None => {
                    errors.add("status", "Choose open, being managed or closed.");
                    RiskStatus::Open
                }
            }
        };
        errors.into_result()?;
        Ok(RiskFields {
            title: title.unwrap_or_default(),
            description: description.unwrap_or_default(),
            category,
            likelihood,
            impact,
            owner_organisation_id,
            owner_person_id,
            mitigation: mitigation.unwrap_or_default(),
            review_on: review_on.flatten(),
            status,
        })
    }

    pub fn score(&self) -> u8 {
        score(self.likelihood, self.impact)
    }
}

/// A risk that could start the register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    /// `identify:<id>` for a risk weighed in Identify, `common:<code>` for a
    /// common challenge. Remembered on the risk, so it is added only once.
    pub source: String,
    pub title: String,
    pub description: String,
    pub category: &'static str,
    pub likelihood: u8,
    pub impact: u8,
    pub mitigation: String,
}

/// A challenge collaborations commonly meet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Challenge {
    pub code: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    pub category: &'static str,
    pub likelihood: u8,
    pub impact: u8,
    pub mitigation: &'static str,
    /// The Identify catalogue entry that means the same, if any: when the
    /// partners weighed that one, it is suggested instead of this.
    pub same_as: Option<&'static str>,
}

pub const CHALLENGES: &[Challenge] = &[
    Challenge {
        code: "unequal_power",
        title: "Unequal power between partners",
        description: "One partner is larger, holds the money or the contract, and ends up making the decisions. Smaller partners stop speaking up.",
        category: "partnership",
        likelihood: 3,
        impact: 4,
        mitigation: "Agree how decisions are made before the work starts. Rotate who chairs meetings. Check with each partner, one to one, that they feel heard.",
        same_as: Some("unequal_power"),
    },
    Challenge {
        code: "overruns",
        title: "Time and cost overruns",
        description: "The joint work takes longer and costs more than planned, often because meetings, legal advice and coordination were not budgeted.",
        category: "delivery",
        likelihood: 4,
        impact: 3,
        mitigation: "Budget for coordination time. Review the plan and the spending every month. Agree early what to drop if money runs short.",
        same_as: Some("cost_and_time"),
    },
    Challenge {
        code: "loss_of_trust",
        title: "Loss of trust between partners",
        description: "A missed promise, a surprise or a disagreement handled badly makes partners wary of each other, and the work slows down.",
        category: "partnership",
        likelihood: 3,
        impact: 4,
        mitigation: "Share news early, good and bad. Use the agreement's steps for raising problems. Hold a short review of how the partnership is going each quarter.",
        same_as: None,
    },
    Challenge {
        code: "staff_turnover",
        title: "Key staff leave",
        description: "The people who built the relationship move on, and what they knew leaves with them.",
        category: "people",
        likelihood: 3,
        impact: 3,
        mitigation: "Name a second contact in each partner. Keep decisions and contacts written down here, not in one person's inbox.",
        same_as: None,
    },
    Challenge {
        code: "funding_ends",
        title: "Funding ends",
        description: "A grant or contract that pays for the joint work ends, or is not renewed, before the work is done.",
        category: "money",
        likelihood: 3,
        impact: 5,
        mitigation: "Note every funding end date. Start looking for the next funding at least nine months before. Plan what happens if it is not found.",
        same_as: Some("funder_restrictions"),
    },
    Challenge {
        code: "data_breach",
        title: "A data protection breach",
        description: "Personal data shared between partners is lost, sent to the wrong person or kept too long.",
        category: "legal",
        likelihood: 2,
        impact: 5,
        mitigation: "Sign a data sharing agreement. Share only what is needed. Agree who reports a breach to the regulator, and within 72 hours.",
        same_as: Some("data_protection"),
    },
];

/// A risk weighed by the partners in the Identify stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentifyRisk {
    pub id: i64,
    pub catalogue_code: Option<String>,
    pub title: String,
    pub note: String,
    pub likelihood: u8,
    pub impact: u8,
}

fn category_of_catalogue(code: Option<&str>) -> &'static str {
    match code {
        Some("identity" | "unequal_power" | "slower_governance" | "trust_of_people") => {
            "partnership"
        }
        Some("mission_drift" | "cost_and_time") => "delivery",
        Some("staff_tupe") => "people",
        Some("pensions_liabilities" | "vat" | "funder_restrictions") => "money",
        Some("data_protection") => "legal",
        Some("reputation") => "reputation",
        _ => "other",
    }
}

/// Every suggestion, before taking away what the register holds: the
/// Identify risks first (with the partners' own ratings), then the common
/// challenges that no Identify risk already covers.
pub fn all_suggestions(identify: &[IdentifyRisk]) -> Vec<Suggestion> {
    let mut out: Vec<Suggestion> = identify
        .iter()
        .map(|r| Suggestion {
            source: format!("identify:{}", r.id),
            title: r.title.clone(),
            description: if r.note.is_empty() {
                "Weighed by the partners in the Identify stage.".to_string()
            } else {
                r.note.clone()
            },
            category: category_of_catalogue(r.catalogue_code.as_deref()),
            likelihood: r.likelihood.clamp(1, 5),
            impact: r.impact.clamp(1, 5),
            mitigation: String::new(),
        })
        .collect();
    let covered: HashSet<&str> = identify
        .iter()
        .filter_map(|r| r.catalogue_code.as_deref())
        .collect();
    for c in CHALLENGES {
        if c.same_as.is_some_and(|s| covered.contains(s)) {
            continue;
        }
        out.push(Suggestion {
            source: format!("common:{}", c.code),
            title: c.title.to_string(),
            description: c.description.to_string(),
            category: c.category,
            likelihood: c.likelihood,
            impact: c.impact,
            mitigation: c.mitigation.to_string(),
        });
    }
    out
}

/// The suggestions not yet in the register (`present` holds the sources of
/// the risks it has).
pub fn open_suggestions(identify: &[IdentifyRisk], present: &HashSet<String>) -> Vec<Suggestion> {
    all_suggestions(identify)
        .into_iter()
        .filter(|s| !present.contains(&s.source))
        .collect()
}

/// What adding the ticked sources adds: each suggestion not yet present,
/// once, in the order suggested. Err names a source that is not a
/// suggestion at all.
pub fn to_add(
    identify: &[IdentifyRisk],
    present: &HashSet<String>,
    ticked: &[String],
) -> Result<Vec<Suggestion>, String> {
    let all = all_suggestions(identify);
    for t in ticked {
        if !all.iter().any(|s| &s.source == t) {
            return Err(t.clone());
        }
    }
    Ok(all
        .into_iter()
        .filter(|s| ticked.contains(&s.source) && !present.contains(&s.source))
        .collect())
}

/// How many live risks sit in each cell: `[impact - 1][likelihood - 1]`,
/// from (status, likelihood, impact, how many) groups.
pub fn heat_cells(groups: impl IntoIterator<Item = (RiskStatus, u8, u8, u32)>) -> [[u32; 5]; 5] {
    let mut cells = [[0u32; 5]; 5];
    for (status, likelihood, impact, n) in groups {
        if status.is_live() && (1..=5).contains(&likelihood) && (1..=5).contains(&impact) {
            cells[impact as usize - 1][likelihood as usize - 1] += n;
        }
    }
    cells
}

/// What the Implement checklist's risk item is made from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RiskFacts {
    pub risks: i64,
    /// Open or being managed.
    pub live: i64,
    /// Live risks without an owner organisation or without a mitigation.
    pub live_unowned_or_unmitigated: i64,
    pub review_overdue: i64,
}

fn plural(n: i64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// "Risks managed": a register exists, every live risk has an owner and a
/// mitigation, and no review is overdue.
pub fn checklist_item(collaboration_id: i64, f: &RiskFacts) -> ChecklistItem {
    let detail = if f.risks == 0 {
        "No risk register yet. Start one from the suggested risks.".to_string()
    } else {
        let mut s = format!(
            "{} in the register, {} not closed.",
            plural(f.risks, "risk", "risks"),
            f.live
        );
        if f.live_unowned_or_unmitigated > 0 {
            s.push_str(&format!(
                " {} still without an owner or a mitigation.",
                plural(f.live_unowned_or_unmitigated, "risk", "risks")
            ));
        }
        if f.review_overdue > 0 {
            s.push_str(&format!(
                " {} overdue.",
                plural(f.review_overdue, "review", "reviews")
            ));
        }
        if f.live_unowned_or_unmitigated == 0 && f.review_overdue == 0 {
            s.push_str(" Each has an owner and a mitigation, and no review is overdue.");
        }
        s
    };
    ChecklistItem {
        key: "risks_managed",
        label: "Risks managed",
        done: f.risks > 0 && f.live_unowned_or_unmitigated == 0 && f.review_overdue == 0,
        detail,
        href: format!("/collaborations/{collaboration_id}/risks"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input<'a>(title: &'a str, l: &'a str, i: &'a str) -> RiskInput<'a> {
        RiskInput {
            title,
            category: "people",
            likelihood: l,
            impact: i,
            ..Default::default()
        }
    }

    #[test]
    fn a_risk_needs_a_title_a_kind_and_two_ratings() {
        let e = RiskFields::parse(&RiskInput::default()).unwrap_err();
        assert_eq!(e.get("title"), Some("Enter a title."));
        assert_eq!(
            e.get("category"),
            Some("Choose the kind of risk from the list.")
        );
        assert_eq!(
            e.get("likelihood"),
            Some("Choose the likelihood from 1 (the least) to 5 (the most).")
        );
        assert_eq!(
            e.get("impact"),
            Some("Choose the impact from 1 (the least) to 5 (the most).")
        );
        let e = RiskFields::parse(&input("Staff leave", "6", "0")).unwrap_err();
        assert!(e.get("likelihood").is_some() && e.get("impact").is_some());
        let mut i = input("Staff leave", "4", "3");
        i.owner_person_id = "7";
        assert_eq!(
            RiskFields::parse(&i)
                .unwrap_err()
                .get("owner_organisation_id"),
            Some("Choose the organisation of the person who owns the risk.")
        );
        i.owner_organisation_id = "2";
        i.review_on = "2027-02-30";
        assert!(
            RiskFields::parse(&i)
                .unwrap_err()
                .get("review_on")
                .is_some()
        );
        i.review_on = "2027-02-28";
        let f = RiskFields::parse(&i).unwrap();
        assert_eq!(f.score(), 12);
        assert_eq!(f.status, RiskStatus::Open);
        assert_eq!(f.review_on.as_deref(), Some("2027-02-28"));
    }

    #[test]
    fn words_for_each_rating() {
        let l: Vec<&str> = (1..=5).map(likelihood_words).collect();
        assert_eq!(
            l,
            ["Rare", "Unlikely", "Possible", "Likely", "Almost certain"]
        );
        let i: Vec<&str> = (1..=5).map(impact_words).collect();
        assert_eq!(i, ["Negligible", "Minor", "Moderate", "Major", "Severe"]);
    }

    #[test]
    fn bands_at_their_edges() {
        assert_eq!(band(4), Band::Low);
        assert_eq!(band(5), Band::Medium);
        assert_eq!(band(9), Band::Medium);
        assert_eq!(band(10), Band::High);
        assert_eq!(band(16), Band::High);
        assert_eq!(band(20), Band::VeryHigh);
        assert_eq!(band_range(Band::High), (10, 16));
    }

    #[test]
    fn property_score_and_band_agree_with_the_thresholds() {
        let mut previous = Band::Low;
        for s in 1..=25u8 {
            let b = band(s);
            // Bands never go down as the score goes up.
            assert!(b >= previous, "{s}");
            previous = b;
            let (lo, hi) = band_range(b);
            assert!(lo <= s && s <= hi, "{s} outside {lo}..={hi}");
        }
        for l in 1..=5u8 {
            for i in 1..=5u8 {
                let s = score(l, i);
                assert_eq!(s, i * l);
                assert!((1..=25).contains(&s));
                // Raising either rating never lowers the band.
                if l < 5 {
                    assert!(band(score(l + 1, i)) >= band(s));
                }
                if i < 5 {
                    assert!(band(score(l, i + 1)) >= band(s));
                }
            }
        }
        assert_eq!(band(score(5, 5)), Band::VeryHigh);
        assert_eq!(band(score(1, 1)), Band::Low);
        // The ranges cover 1 to 25 with no gap and no overlap.
        let mut next = 1;
        for b in BANDS {
            let (lo, hi) = band_range(b);
            assert_eq!(lo, next);
            next = hi + 1;
        }
        assert_eq!(next, 26);
    }

    fn identify(id: i64, code: Option<&str>) -> IdentifyRisk {
        IdentifyRisk {
            id,
            catalogue_code: code.map(str::to_string),
            title: format!("Risk {id}"),
            note: String::new(),
            likelihood: 2,
            impact: 3,
        }
    }

    #[test]
    fn an_identify_risk_replaces_the_common_challenge_it_matches() {
        let all = all_suggestions(&[identify(8, Some("unequal_power")), identify(9, None)]);
        let sources: Vec<&str> = all.iter().map(|s| s.source.as_str()).collect();
        assert_eq!(
            sources,
            [
                "identify:8",
                "identify:9",
                "common:overruns",
                "common:loss_of_trust",
                "common:staff_turnover",
                "common:funding_ends",
                "common:data_breach"
            ]
        );
        assert_eq!(all[0].category, "partnership");
        assert_eq!((all[0].likelihood, all[0].impact), (2, 3));
        let e = to_add(&[], &HashSet::new(), &["common:nothing".to_string()]);
        assert_eq!(e, Err("common:nothing".to_string()));
    }

    struct Gen(u64);
    impl Gen {
        fn below(&mut self, n: u64) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (self.0 >> 33) % n
        }
    }

    #[test]
    fn property_seeding_never_duplicates() {
        let codes = [
            None,
            Some("unequal_power"),
            Some("cost_and_time"),
            Some("data_protection"),
            Some("vat"),
        ];
        let mut g = Gen(7);
        for _ in 0..300 {
            let identify_risks: Vec<IdentifyRisk> = (0..g.below(6))
                .map(|i| identify(i as i64 + 1, codes[g.below(5) as usize]))
                .collect();
            let mut register: Vec<String> = Vec::new();
            // Several rounds of ticking some suggestions (some twice).
            for _ in 0..1 + g.below(5) {
                let present: HashSet<String> = register.iter().cloned().collect();
                let offered = open_suggestions(&identify_risks, &present);
                assert!(offered.iter().all(|s| !present.contains(&s.source)));
                let mut ticked: Vec<String> = offered
                    .iter()
                    .filter(|_| g.below(2) == 0)
                    .map(|s| s.source.clone())
                    .collect();
                // Tick things already in the register, and twice over.
                ticked.extend(register.iter().take(2).cloned());
                ticked.extend(ticked.clone());
                let added = to_add(&identify_risks, &present, &ticked).unwrap();
                register.extend(added.into_iter().map(|s| s.source));
                let unique: HashSet<&String> = register.iter().collect();
                assert_eq!(unique.len(), register.len(), "{register:?}");
            }
            // Tick everything: the register then holds every suggestion once.
            let present: HashSet<String> = register.iter().cloned().collect();
            let everything: Vec<String> = all_suggestions(&identify_risks)
                .into_iter()
                .map(|s| s.source)
                .collect();
            register.extend(
                to_add(&identify_risks, &present, &everything)
                    .unwrap()
                    .into_iter()
                    .map(|s| s.source),
            );
            let mut sorted = register.clone();
            sorted.sort();
            let mut expected = everything.clone();
            expected.sort();
            assert_eq!(sorted, expected);
            let present: HashSet<String> = register.iter().cloned().collect();
            assert!(open_suggestions(&identify_risks, &present).is_empty());
        }
    }

    #[test]
    fn property_heat_cells_add_up_to_the_live_risks() {
        let mut g = Gen(99);
        for _ in 0..300 {
            let risks: Vec<(RiskStatus, u8, u8)> = (0..g.below(40))
                .map(|_| {
                    (
                        RiskStatus::ALL[g.below(3) as usize],
                        1 + g.below(5) as u8,
                        1 + g.below(5) as u8,
                    )
                })
                .collect();
            let cells = heat_cells(risks.iter().map(|&(s, l, i)| (s, l, i, 1)));
            let total: u32 = cells.iter().flatten().sum();
            let live = risks.iter().filter(|r| r.0.is_live()).count() as u32;
            assert_eq!(total, live);
            for l in 1..=5u8 {
                for i in 1..=5u8 {
                    let n = risks
                        .iter()
                        .filter(|r| r.0.is_live() && r.1 == l && r.2 == i)
                        .count() as u32;
                    assert_eq!(cells[i as usize - 1][l as usize - 1], n);
                }
            }
        }
    }

    #[test]
    fn overdue_reviews_and_the_checklist() {
        assert!(review_overdue(
            RiskStatus::Open,
            Some("2027-01-01"),
            "2027-01-02"
        ));
        assert!(!review_overdue(
            RiskStatus::Closed,
            Some("2027-01-01"),
            "2027-01-02"
        ));
        assert!(!review_overdue(
            RiskStatus::BeingManaged,
            Some("2027-01-02"),
            "2027-01-02"
        ));
        let mut f = RiskFacts::default();
        let item = checklist_item(4, &f);
        assert!(!item.done);
        assert_eq!(
            item.detail,
            "No risk register yet. Start one from the suggested risks."
        );
        assert_eq!(item.href, "/collaborations/4/risks");
        f.risks = 3;
        f.live = 2;
        f.live_unowned_or_unmitigated = 1;
        f.review_overdue = 1;
        let item = checklist_item(4, &f);
        assert!(!item.done);
        assert_eq!(
            item.detail,
            "3 risks in the register, 2 not closed. 1 risk still without an owner or a mitigation. 1 review overdue."
        );
        f.live_unowned_or_unmitigated = 0;
        f.review_overdue = 0;
        assert!(checklist_item(4, &f).done);
    }
}
