//! The fit score in "Find partners": how well a candidate organisation fits
//! the lead organisation of a collaboration, as a number from 0 to 100 and
//! the sentences that explain it. A number that nobody can explain is no use
//! to a trustee, so every point given comes with a reason.
//!
//! The score is the sum of four parts. The most each part can give is set by
//! the constants below, in one place.
//!
//! **Shared causes (up to 40 points).** Each side's causes are its "What"
//! classification codes (101–117) and the causes it has written in words.
//! A code matches the same code on the other side. A written cause matches a
//! cause on the other side when they share a word: words are compared
//! ignoring capitals and accents, a plain plural is treated as the singular,
//! and short words (under 4 letters) and common words ("people", "relief",
//! "support" and the like) are left out. A code is compared with written
//! causes through its description, but two different codes never match each
//! other. The points are the share of all causes on both sides that found a
//! match, so two organisations with exactly the same causes get all 40, and
//! one shared cause among many gets few.
//!
//! **Overlapping areas (up to 30 points).** Areas match when they are the
//! same words, ignoring capitals, accents and extra spaces. One shared area
//! is enough for all 30 points. Failing that, an organisation that works
//! "Throughout England", "Throughout England and Wales" or "Throughout
//! London" is counted as possibly overlapping with any area the other side
//! lists, for 15 points. This part gives the same points whichever side is
//! the lead.
//!
//! **Complementary beneficiaries (up to 15 points).** Compares the "Who"
//! codes (201–207) when both sides have some. If the candidate reaches a
//! group of people the lead does not, and the two share at least one cause,
//! that is worth 15 points: a partner who brings new people to the same
//! cause. Otherwise, if they serve some of the same people, that is worth 5.
//!
//! **Comparable size (up to 15 points).** Needs both incomes. Full points when
//! one income is no more than 3 times the other, falling away steadily (on a
//! scale of times, not pounds) to nothing at 30 times. A negative income is
//! treated as unknown; an income of £0 is compared as if it were £1.
//!
//! The reasons come in that order: causes, areas, beneficiaries, size. There
//! is always at least one. Nothing here panics, whatever the input.

use std::collections::BTreeSet;

// The weights, in one place. They add up to 100.

/// Most points for shared causes.
pub const CAUSES_POINTS: u8 = 40;
/// Points for sharing at least one area exactly.
pub const AREAS_POINTS: u8 = 30;
/// Points when one side works throughout a wide area and the other lists any area.
pub const WIDE_AREA_POINTS: u8 = 15;
/// Points when the candidate reaches people the lead does not, on a shared cause.
pub const NEW_BENEFICIARIES_POINTS: u8 = 15;
/// Points when the candidate serves some of the same people as the lead.
pub const SAME_BENEFICIARIES_POINTS: u8 = 5;
/// Most points for comparable size.
pub const SIZE_POINTS: u8 = 15;
/// Incomes within this many times of each other get full size points.
pub const SIZE_FULL_WITHIN: f64 = 3.0;
/// Incomes this many times apart, or more, get no size points.
pub const SIZE_NONE_FROM: f64 = 30.0;

// Checked when compiling: the best of each part adds up to exactly 100, and
// the lesser credits are below the full ones.
const _: () = assert!(
    CAUSES_POINTS as u32
        + AREAS_POINTS as u32
        + NEW_BENEFICIARIES_POINTS as u32
        + SIZE_POINTS as u32
        == 100
);
const _: () = assert!(WIDE_AREA_POINTS < AREAS_POINTS);
const _: () = assert!(SAME_BENEFICIARIES_POINTS < NEW_BENEFICIARIES_POINTS);

/// Areas that count as possibly overlapping any area, as (compared form, wording in reasons).
const WIDE_AREAS: [(&str, &str); 3] = [
    ("throughout england", "throughout England"),
    (
        "throughout england and wales",
        "throughout England and Wales",
    ),
    ("throughout london", "throughout London"),
];

/// Words too common to show that two causes are alike (compared after
/// folding capitals and accents, and after plurals are made singular).
const COMMON_WORDS: [&str; 44] = [
    "about",
    "advance",
    "advancement",
    "also",
    "area",
    "cause",
    "charitable",
    "charity",
    "development",
    "from",
    "general",
    "gyda",
    "gyfer",
    "help",
    "helping",
    "including",
    "into",
    "local",
    "more",
    "other",
    "over",
    "people",
    "person",
    "pobl",
    "prevention",
    "provide",
    "providing",
    "provision",
    "purpose",
    "relief",
    "service",
    "such",
    "support",
    "supporting",
    "that",
    "their",
    "them",
    "these",
    "they",
    "this",
    "those",
    "which",
    "with",
    "work",
];

/// How many names a reason lists before saying "and N more".
const NAMES_SHOWN: usize = 3;

/// What is known about one organisation, for comparing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FitProfile {
    /// Classification codes from the register (what 101–117, who 201–207, how 301–310).
    pub classifications: Vec<i64>,
    /// Descriptions of causes in words, for platform organisations without register codes
    /// (their own "causes" list, e.g. "Food poverty", "Young people").
    pub causes: Vec<String>,
    /// Areas of operation / areas served, as written ("Leeds City", "Wales", "Throughout England").
    pub areas: Vec<String>,
    /// Latest annual income in pounds, if known.
    pub income: Option<i64>,
}

/// How well a candidate fits the lead: a score from 0 to 100 and the
/// sentences that explain it (never empty).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Fit {
    pub score: u8,
    pub reasons: Vec<String>,
}

/// How well `candidate` fits `lead`. See the module documentation for the rules.
///
/// `labels` gives a plain description for a classification code (e.g. 102 ->
/// "Education/training"), used in reasons and for matching written causes;
/// a code without one is called "cause 102" (or "group 201" for a Who code).
pub fn fit(
    lead: &FitProfile,
    candidate: &FitProfile,
    labels: &dyn Fn(i64) -> Option<String>,
) -> Fit {
    let causes = causes_part(lead, candidate, labels);
    let areas = areas_part(lead, candidate);
    let beneficiaries = beneficiaries_part(lead, candidate, causes.shared, labels);
    let size = size_part(lead.income, candidate.income);

    let mut reasons = Vec::new();
    match (causes.reason, areas.reason) {
        (None, None) => reasons.push("Nothing in common was found in causes or areas.".to_string()),
        (causes_reason, areas_reason) => {
            reasons.push(causes_reason.unwrap_or_else(|| "No shared causes were found.".into()));
            reasons.push(areas_reason.unwrap_or_else(|| "No shared areas were found.".into()));
        }
    }
    reasons.extend(beneficiaries.reason);
    reasons.push(size.reason);

    let total = u32::from(causes.points)
        + u32::from(areas.points)
        + u32::from(beneficiaries.points)
        + u32::from(size.points);
    Fit {
        score: total.min(100) as u8,
        reasons,
    }
}

/// One part of the score: its points and, when there is something to say, its sentence.
struct Part {
    points: u8,
    reason: Option<String>,
}

struct CausesPart {
    points: u8,
    reason: Option<String>,
    /// Whether at least one cause matched.
    shared: bool,
}

struct SizePart {
    points: u8,
    reason: String,
}

/// One cause of one side: a What code, or a cause written in words.
struct Cause {
    code: Option<i64>,
    /// How the cause is named in reasons.
    name: String,
    /// Its significant words.
    words: BTreeSet<String>,
}

fn label_of(code: i64, labels: &dyn Fn(i64) -> Option<String>) -> String {
    match labels(code) {
        Some(label) if !label.trim().is_empty() => tidy(&label),
        _ if (201..=207).contains(&code) => format!("group {code}"),
        _ => format!("cause {code}"),
    }
}

fn what_codes(profile: &FitProfile) -> BTreeSet<i64> {
    codes_in(profile, 101..=117)
}

fn who_codes(profile: &FitProfile) -> BTreeSet<i64> {
    codes_in(profile, 201..=207)
}

fn codes_in(profile: &FitProfile, range: std::ops::RangeInclusive<i64>) -> BTreeSet<i64> {
    profile
        .classifications
        .iter()
        .copied()
        .filter(|c| range.contains(c))
        .collect()
}

/// A side's causes: its What codes in order, then its written causes in the
/// order given, without repeats. Written causes with no significant words
/// cannot be compared and are left out.
fn causes_of(profile: &FitProfile, labels: &dyn Fn(i64) -> Option<String>) -> Vec<Cause> {
    let mut causes: Vec<Cause> = what_codes(profile)
        .into_iter()
        .map(|code| {
            let name = label_of(code, labels);
            Cause {
                code: Some(code),
                words: significant_words(&name),
                name,
            }
        })
        .collect();
    let mut seen = BTreeSet::new();
    for text in &profile.causes {
        let words = significant_words(text);
        if words.is_empty() || !seen.insert(normalise(text)) {
            continue;
        }
        causes.push(Cause {
            code: None,
            name: tidy(text),
            words,
        });
    }
    causes
}

/// Whether one side's cause matches anything on the other side.
/// `codes` are the other side's What codes, `written_words` the words of its
/// written causes, and `all_words` those plus the words of its code labels.
fn cause_matches(
    cause: &Cause,
    codes: &BTreeSet<i64>,
    written_words: &BTreeSet<String>,
    all_words: &BTreeSet<String>,
) -> bool {
    match cause.code {
        Some(code) => codes.contains(&code) || !cause.words.is_disjoint(written_words),
        None => !cause.words.is_disjoint(all_words),
    }
}

fn causes_part(
    lead: &FitProfile,
    candidate: &FitProfile,
    labels: &dyn Fn(i64) -> Option<String>,
) -> CausesPart {
    let lead_causes = causes_of(lead, labels);
    let candidate_causes = causes_of(candidate, labels);
    let words_of = |causes: &[Cause], written_only: bool| -> BTreeSet<String> {
        causes
            .iter()
            .filter(|c| !written_only || c.code.is_none())
            .flat_map(|c| c.words.iter().cloned())
            .collect()
    };
    let lead_codes = what_codes(lead);
    let candidate_codes = what_codes(candidate);
    let (lead_written, lead_all) = (words_of(&lead_causes, true), words_of(&lead_causes, false));
    let (candidate_written, candidate_all) = (
        words_of(&candidate_causes, true),
        words_of(&candidate_causes, false),
    );

    let lead_matched: Vec<&Cause> = lead_causes
        .iter()
        .filter(|c| cause_matches(c, &candidate_codes, &candidate_written, &candidate_all))
        .collect();
    let candidate_matched = candidate_causes
        .iter()
        .filter(|c| cause_matches(c, &lead_codes, &lead_written, &lead_all))
        .count();

    let total = lead_causes.len() + candidate_causes.len();
    if lead_matched.is_empty() || total == 0 {
        return CausesPart {
            points: 0,
            reason: None,
            shared: false,
        };
    }
    let share = (lead_matched.len() + candidate_matched) as f64 / total as f64;
    let points = (f64::from(CAUSES_POINTS) * share)
        .round()
        .clamp(0.0, f64::from(CAUSES_POINTS));

    // Name the shared causes in the lead's words, each name once.
    let mut seen = BTreeSet::new();
    let names: Vec<String> = lead_matched
        .iter()
        .filter(|c| seen.insert(normalise(&c.name)))
        .map(|c| c.name.clone())
        .collect();
    let noun = if names.len() == 1 { "cause" } else { "causes" };
    CausesPart {
        points: points as u8,
        reason: Some(format!("Shares {} {noun}: {}.", names.len(), list(&names))),
        shared: true,
    }
}

/// The areas of a side as (compared form, as written), without repeats or blanks.
fn areas_of(profile: &FitProfile) -> Vec<(String, String)> {
    let mut seen = BTreeSet::new();
    profile
        .areas
        .iter()
        .map(|a| (normalise(a), tidy(a)))
        .filter(|(key, _)| !key.is_empty() && seen.insert(key.clone()))
        .collect()
}

/// The first wide area a side lists, as worded in reasons.
fn wide_area(areas: &[(String, String)]) -> Option<&'static str> {
    areas.iter().find_map(|(key, _)| {
        WIDE_AREAS
            .iter()
            .find(|(wide, _)| wide == key)
            .map(|(_, wording)| *wording)
    })
}

fn areas_part(lead: &FitProfile, candidate: &FitProfile) -> Part {
    let lead_areas = areas_of(lead);
    let candidate_areas = areas_of(candidate);
    let candidate_keys: BTreeSet<&str> = candidate_areas.iter().map(|(k, _)| k.as_str()).collect();
    let shared: Vec<String> = lead_areas
        .iter()
        .filter(|(key, _)| candidate_keys.contains(key.as_str()))
        .map(|(_, written)| written.clone())
        .collect();
    if !shared.is_empty() {
        let noun = if shared.len() == 1 { "area" } else { "areas" };
        return Part {
            points: AREAS_POINTS,
            reason: Some(format!("Works in the same {noun}: {}.", list(&shared))),
        };
    }
    if lead_areas.is_empty() || candidate_areas.is_empty() {
        return Part {
            points: 0,
            reason: None,
        };
    }
    if let Some(wide) = wide_area(&candidate_areas) {
        return Part {
            points: WIDE_AREA_POINTS,
            reason: Some(format!("Works {wide}, which may include your areas.")),
        };
    }
    if let Some(wide) = wide_area(&lead_areas) {
        return Part {
            points: WIDE_AREA_POINTS,
            reason: Some(format!("You work {wide}, which may include their areas.")),
        };
    }
    Part {
        points: 0,
        reason: None,
    }
}

fn beneficiaries_part(
    lead: &FitProfile,
    candidate: &FitProfile,
    shared_cause: bool,
    labels: &dyn Fn(i64) -> Option<String>,
) -> Part {
    let lead_who = who_codes(lead);
    let candidate_who = who_codes(candidate);
    if lead_who.is_empty() || candidate_who.is_empty() {
        return Part {
            points: 0,
            reason: None,
        };
    }
    let names = |codes: Vec<i64>| -> Vec<String> {
        codes.into_iter().map(|c| label_of(c, labels)).collect()
    };
    let new: Vec<i64> = candidate_who.difference(&lead_who).copied().collect();
    if shared_cause && !new.is_empty() {
        return Part {
            points: NEW_BENEFICIARIES_POINTS,
            reason: Some(format!("Reaches people you do not: {}.", list(&names(new)))),
        };
    }
    let same: Vec<i64> = candidate_who.intersection(&lead_who).copied().collect();
    if same.is_empty() {
        return Part {
            points: 0,
            reason: None,
        };
    }
    let wording = if candidate_who == lead_who {
        "Serves the same people as you"
    } else {
        "Serves some of the same people as you"
    };
    Part {
        points: SAME_BENEFICIARIES_POINTS,
        reason: Some(format!("{wording}: {}.", list(&names(same)))),
    }
}

fn size_part(lead: Option<i64>, candidate: Option<i64>) -> SizePart {
    let known = |income: Option<i64>| income.filter(|i| *i >= 0);
    let (theirs, yours) = match (known(candidate), known(lead)) {
        (Some(theirs), Some(yours)) => (theirs, yours),
        (None, Some(_)) => return size_unknown("we have no income figure for them"),
        (Some(_), None) => return size_unknown("we have no income figure for you"),
        (None, None) => return size_unknown("we have no income figure for either of you"),
    };
    let (high, low) = (
        theirs.max(yours).max(1) as f64,
        theirs.min(yours).max(1) as f64,
    );
    let times = high / low;
    let points = if times <= SIZE_FULL_WITHIN {
        f64::from(SIZE_POINTS)
    } else if times >= SIZE_NONE_FROM {
        0.0
    } else {
        f64::from(SIZE_POINTS) * (SIZE_NONE_FROM / times).ln()
            / (SIZE_NONE_FROM / SIZE_FULL_WITHIN).ln()
    };
    let wording = if times <= SIZE_FULL_WITHIN {
        "Similar size"
    } else {
        match (theirs > yours, times >= 10.0) {
            (true, false) => "Larger",
            (true, true) => "Much larger",
            (false, false) => "Smaller",
            (false, true) => "Much smaller",
        }
    };
    SizePart {
        points: points.round().clamp(0.0, f64::from(SIZE_POINTS)) as u8,
        reason: format!(
            "{wording}: income {} against your {}.",
            pounds(theirs),
            pounds(yours)
        ),
    }
}

fn size_unknown(why: &str) -> SizePart {
    SizePart {
        points: 0,
        reason: format!("Size unknown: {why}."),
    }
}

/// An amount in pounds with thousands separators: 1234567 -> "£1,234,567".
pub fn pounds(amount: i64) -> String {
    let digits = amount.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    let sign = if amount < 0 { "-" } else { "" };
    format!("{sign}£{out}")
}

/// "A", "A and B", "A, B and C", "A, B, C and 2 more".
fn list(names: &[String]) -> String {
    let shown = &names[..names.len().min(NAMES_SHOWN)];
    let rest = names.len() - shown.len();
    if rest > 0 {
        return format!("{} and {rest} more", shown.join(", "));
    }
    match shown.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, first)) => format!("{} and {last}", first.join(", ")),
    }
}

/// Text as written, with spaces tidied (for naming things in reasons).
fn tidy(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Text for comparing: lower case, accents removed, spaces tidied.
fn normalise(text: &str) -> String {
    tidy(&fold(text))
}

/// Lower case with accents removed from the common Latin letters (including
/// the Welsh ŵ and ŷ); other characters are kept.
fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' => out.push('a'),
            'ç' => out.push('c'),
            'è' | 'é' | 'ê' | 'ë' | 'ē' => out.push('e'),
            'ì' | 'í' | 'î' | 'ï' | 'ī' => out.push('i'),
            'ñ' => out.push('n'),
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' => out.push('o'),
            'ù' | 'ú' | 'û' | 'ü' | 'ū' => out.push('u'),
            'ŵ' | 'ẁ' | 'ẃ' | 'ẅ' => out.push('w'),
            'ý' | 'ÿ' | 'ŷ' | 'ỳ' => out.push('y'),
            'æ' => out.push_str("ae"),
            'œ' => out.push_str("oe"),
            _ => out.push(c),
        }
    }
    out
}

/// The words that say something about a cause: folded, singular, at least
/// 4 letters, not only digits, and not common words.
fn significant_words(text: &str) -> BTreeSet<String> {
    fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 4 && !w.chars().all(|c| c.is_numeric()))
        .map(singular)
        .filter(|w| !COMMON_WORDS.contains(&w.as_str()))
        .collect()
}

/// A plain English plural made singular: "charities" -> "charity",
/// "causes" -> "cause"; "homeless" and short words are left alone.
fn singular(word: &str) -> String {
    let letters = word.chars().count();
    if letters > 5 && word.ends_with("ies") {
        format!("{}y", &word[..word.len() - 3])
    } else if letters > 4 && word.ends_with('s') && !word.ends_with("ss") {
        word[..word.len() - 1].to_string()
    } else {
        word.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(code: i64) -> Option<String> {
        let label = match code {
            101 => "General charitable purposes",
            102 => "Education/training",
            103 => "The advancement of health or saving of lives",
            104 => "Disability",
            105 => "The prevention or relief of poverty",
            107 => "Accommodation/housing",
            109 => "Arts/culture/heritage/science",
            111 => "Animals",
            112 => "Environment/conservation/heritage",
            117 => "Other charitable purposes",
            201 => "Children/young people",
            202 => "Elderly/old people",
            203 => "People with disabilities",
            207 => "The general public/mankind",
            302 => "Provides services",
            _ => return None,
        };
        Some(label.to_string())
    }

    fn check(lead: &FitProfile, candidate: &FitProfile) -> Fit {
        fit(lead, candidate, &labels)
    }

    fn profile(codes: &[i64], causes: &[&str], areas: &[&str], income: Option<i64>) -> FitProfile {
        FitProfile {
            classifications: codes.to_vec(),
            causes: causes.iter().map(|s| s.to_string()).collect(),
            areas: areas.iter().map(|s| s.to_string()).collect(),
            income,
        }
    }

    #[test]
    fn identical_organisations_fit_well() {
        let org = profile(&[102, 104, 201, 302], &[], &["Leeds City"], Some(95_000));
        assert_eq!(
            check(&org, &org),
            Fit {
                score: 90,
                reasons: vec![
                    "Shares 2 causes: Education/training and Disability.".into(),
                    "Works in the same area: Leeds City.".into(),
                    "Serves the same people as you: Children/young people.".into(),
                    "Similar size: income £95,000 against your £95,000.".into(),
                ],
            }
        );
    }

    #[test]
    fn nothing_in_common() {
        let lead = profile(&[102, 201], &[], &["Leeds City"], None);
        let candidate = profile(&[111, 202], &["Dog rescue"], &["Cardiff"], None);
        assert_eq!(
            check(&lead, &candidate),
            Fit {
                score: 0,
                reasons: vec![
                    "Nothing in common was found in causes or areas.".into(),
                    "Size unknown: we have no income figure for either of you.".into(),
                ],
            }
        );
        // Empty profiles compare without trouble too.
        let empty = FitProfile::default();
        assert_eq!(
            check(&empty, &empty),
            Fit {
                score: 0,
                reasons: vec![
                    "Nothing in common was found in causes or areas.".into(),
                    "Size unknown: we have no income figure for either of you.".into(),
                ],
            }
        );
    }

    #[test]
    fn areas_only() {
        let lead = profile(
            &[102],
            &[],
            &["Leeds City", "Bradford", "Wakefield", "York"],
            None,
        );
        let candidate = profile(
            &[111],
            &[],
            &["  york ", "WAKEFIELD", "leeds   city", "bradford", "Hull"],
            Some(50_000),
        );
        assert_eq!(
            check(&lead, &candidate),
            Fit {
                score: 30,
                reasons: vec![
                    "No shared causes were found.".into(),
                    "Works in the same areas: Leeds City, Bradford, Wakefield and 1 more.".into(),
                    "Size unknown: we have no income figure for you.".into(),
                ],
            }
        );
    }

    #[test]
    fn throughout_england_is_partial_credit_both_ways() {
        let lead = profile(&[], &[], &["Leeds City"], None);
        let candidate = profile(&[], &[], &["Throughout  england"], Some(10));
        assert_eq!(
            check(&lead, &candidate),
            Fit {
                score: 15,
                reasons: vec![
                    "No shared causes were found.".into(),
                    "Works throughout England, which may include your areas.".into(),
                    "Size unknown: we have no income figure for you.".into(),
                ],
            }
        );
        let reversed = check(&candidate, &lead);
        assert_eq!(reversed.score, 15);
        assert_eq!(
            reversed.reasons[1],
            "You work throughout England, which may include their areas."
        );
        // A wide area listed on both sides is simply a shared area.
        let both = profile(&[], &[], &["THROUGHOUT ENGLAND AND WALES"], None);
        let other = profile(&[], &[], &["Throughout England and Wales"], None);
        assert_eq!(
            check(&both, &other).reasons[1],
            "Works in the same area: THROUGHOUT ENGLAND AND WALES."
        );
        assert_eq!(check(&both, &other).score, 30);
        // No areas on one side: nothing to overlap with.
        let none = profile(&[], &[], &[], None);
        assert_eq!(check(&none, &candidate).score, 0);
    }

    #[test]
    fn complementary_beneficiaries() {
        let lead = profile(&[102, 201], &[], &["Wales"], None);
        let candidate = profile(&[102, 105, 201, 202], &[], &["Swansea"], None);
        assert_eq!(
            check(&lead, &candidate),
            Fit {
                // Causes: 1 of 1 on the lead's side and 1 of 2 on the candidate's: 40 * 2/3.
                score: 27 + 15,
                reasons: vec![
                    "Shares 1 cause: Education/training.".into(),
                    "No shared areas were found.".into(),
                    "Reaches people you do not: Elderly/old people.".into(),
                    "Size unknown: we have no income figure for either of you.".into(),
                ],
            }
        );
        // New people without a shared cause earn nothing; some of the same people earn a little.
        let unrelated = profile(&[111, 201, 202], &[], &[], None);
        let fit = check(&lead, &unrelated);
        assert_eq!(fit.score, 5);
        assert_eq!(
            fit.reasons[1],
            "Serves some of the same people as you: Children/young people."
        );
    }

    #[test]
    fn written_causes_match_words_in_labels_and_text() {
        let lead = profile(&[], &["Food poverty", "Young people"], &[], None);
        let candidate = profile(&[105, 102], &["Homelessness"], &[], None);
        let fit = check(&lead, &candidate);
        // Lead: "Food poverty" matches; "Young people" has only "young", which matches nothing.
        // Candidate: 105 matches through "poverty". 2 matched of 5 in all: 40 * 2/5 = 16.
        assert_eq!(fit.score, 16);
        assert_eq!(fit.reasons[0], "Shares 1 cause: Food poverty.");

        // Capitals, accents and plurals do not matter; short and common words do not count.
        let welsh = profile(
            &[],
            &["Addysg gymraeg", "Cerddoriaeth a'r celfyddydau"],
            &[],
            None,
        );
        let other = profile(&[], &["ADDYSG", "Celfyddydau"], &[], None);
        assert_eq!(check(&welsh, &other).score, 40);
        let accented = profile(&[], &["Café for carers"], &[], None);
        let plain = profile(&[], &["cafes", "Support for people"], &[], None);
        let fit = check(&accented, &plain);
        assert_eq!(fit.reasons[0], "Shares 1 cause: Café for carers.");
        // "Support for people" has only common words, so it is left out altogether.
        assert_eq!(fit.score, 40);
        let common = profile(&[], &["Support for people"], &[], None);
        assert_eq!(check(&common, &common).score, 0);

        // Two different codes never match, even when their labels share a word.
        let heritage_arts = profile(&[109], &[], &[], None);
        let heritage_nature = profile(&[112], &[], &[], None);
        assert_eq!(check(&heritage_arts, &heritage_nature).score, 0);
        // But a written cause matches either.
        let heritage = profile(&[], &["Heritage"], &[], None);
        assert_eq!(
            check(&heritage, &heritage_nature).reasons[0],
            "Shares 1 cause: Heritage."
        );
    }

    #[test]
    fn unknown_labels_fall_back() {
        let org = profile(&[106, 205], &[], &[], None);
        let fit = check(&org, &org);
        assert_eq!(fit.reasons[0], "Shares 1 cause: cause 106.");
        assert_eq!(fit.reasons[2], "Serves the same people as you: group 205.");
        let blank = |_: i64| Some("  ".to_string());
        assert_eq!(
            fit_with(&org, &blank).reasons[0],
            "Shares 1 cause: cause 106."
        );
    }

    fn fit_with(org: &FitProfile, labels: &dyn Fn(i64) -> Option<String>) -> Fit {
        fit(org, org, labels)
    }

    #[test]
    fn size_bands() {
        let sized = |income: i64| profile(&[], &[], &[], Some(income));
        let lead = sized(100_000);
        let cases = [
            (
                100_000,
                15,
                "Similar size: income £100,000 against your £100,000.",
            ),
            (
                300_000,
                15,
                "Similar size: income £300,000 against your £100,000.",
            ),
            (
                33_334,
                15,
                "Similar size: income £33,334 against your £100,000.",
            ),
            (
                500_000,
                12,
                "Larger: income £500,000 against your £100,000.",
            ),
            (
                1_000_000,
                7,
                "Much larger: income £1,000,000 against your £100,000.",
            ),
            (
                10_000,
                7,
                "Much smaller: income £10,000 against your £100,000.",
            ),
            (
                3_000_000,
                0,
                "Much larger: income £3,000,000 against your £100,000.",
            ),
            (
                50_000_000,
                0,
                "Much larger: income £50,000,000 against your £100,000.",
            ),
        ];
        for (income, points, reason) in cases {
            let fit = check(&lead, &sized(income));
            assert_eq!(fit.score, points, "income {income}");
            assert_eq!(fit.reasons.last().map(String::as_str), Some(reason));
        }
        // Size counts the same whichever side is the lead.
        assert_eq!(check(&sized(1_000_000), &lead).score, 7);
        // Nothing and nothing is the same size.
        assert_eq!(check(&sized(0), &sized(0)).score, 15);
    }

    #[test]
    fn unknown_or_negative_income() {
        let known = profile(&[], &[], &[], Some(120_000));
        let unknown = profile(&[], &[], &[], None);
        let negative = profile(&[], &[], &[], Some(-5));
        assert_eq!(
            check(&known, &unknown).reasons.last().unwrap(),
            "Size unknown: we have no income figure for them."
        );
        assert_eq!(
            check(&unknown, &known).reasons.last().unwrap(),
            "Size unknown: we have no income figure for you."
        );
        assert_eq!(check(&known, &negative).score, 0);
        assert_eq!(
            check(&negative, &negative).reasons.last().unwrap(),
            "Size unknown: we have no income figure for either of you."
        );
    }

    #[test]
    fn money_has_thousands_separators() {
        assert_eq!(pounds(0), "£0");
        assert_eq!(pounds(999), "£999");
        assert_eq!(pounds(1_000), "£1,000");
        assert_eq!(pounds(120_000), "£120,000");
        assert_eq!(pounds(1_234_567), "£1,234,567");
        assert_eq!(pounds(-45_000), "-£45,000");
        assert_eq!(pounds(i64::MAX), "£9,223,372,036,854,775,807");
        assert_eq!(pounds(i64::MIN), "-£9,223,372,036,854,775,808");
    }

    #[test]
    fn lists_read_as_english() {
        let names = |n: usize| (1..=n).map(|i| format!("N{i}")).collect::<Vec<_>>();
        assert_eq!(list(&names(0)), "");
        assert_eq!(list(&names(1)), "N1");
        assert_eq!(list(&names(2)), "N1 and N2");
        assert_eq!(list(&names(3)), "N1, N2 and N3");
        assert_eq!(list(&names(5)), "N1, N2, N3 and 2 more");
    }

    /// A small, deterministic source of random choices (xorshift).
    struct Gen(u64);

    impl Gen {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n.max(1) as u64) as usize
        }

        fn some_of<T: Clone>(&mut self, pool: &[T], most: usize) -> Vec<T> {
            let n = self.below(most + 1);
            (0..n)
                .map(|_| pool[self.below(pool.len())].clone())
                .collect()
        }

        fn income(&mut self) -> Option<i64> {
            match self.below(8) {
                0 => None,
                1 => Some(-((self.next() >> 1) as i64)),
                2 => Some(0),
                3 => Some(i64::MAX),
                4 => Some(i64::MIN),
                _ => Some((self.next() % 50_000_000) as i64),
            }
        }

        /// A profile drawn from one half of each pool, so that profiles from
        /// different halves share nothing.
        fn profile(&mut self, half: usize) -> FitProfile {
            const CODES: [&[i64]; 2] = [
                &[101, 102, 103, 104, 201, 202, 203, 301, 302, 0, -7],
                &[
                    105,
                    107,
                    109,
                    111,
                    117,
                    204,
                    205,
                    206,
                    207,
                    310,
                    999,
                    i64::MAX,
                ],
            ];
            const CAUSES: [&[&str]; 2] = [
                &["Food banks", "Addysg", "Ŵyr ac wyresau", "", "  ", "Carers"],
                &[
                    "Dog rescue",
                    "Celfyddydau",
                    "Mental wellbeing",
                    "the and of",
                    "Ünïcödé",
                ],
            ];
            const AREAS: [&[&str]; 2] = [
                &["Leeds City", "Wales", "Throughout England", "Gwynedd", ""],
                &["Cardiff", "Ynys Môn", "throughout london", "Bristol", "   "],
            ];
            let big = self.below(20) == 0;
            let most = if big { 300 } else { 6 };
            FitProfile {
                classifications: self.some_of(CODES[half], most),
                causes: self
                    .some_of(CAUSES[half], most)
                    .into_iter()
                    .map(String::from)
                    .collect(),
                areas: self
                    .some_of(AREAS[half], most)
                    .into_iter()
                    .map(String::from)
                    .collect(),
                income: self.income(),
            }
        }
    }

    #[test]
    fn properties_over_many_profiles() {
        let mut g = Gen(0x9E37_79B9_7F4A_7C15);
        for _ in 0..2_000 {
            let (half_a, half_b) = (g.below(2), g.below(2));
            let a = g.profile(half_a);
            let b = g.profile(half_b);
            let fit_ab = check(&a, &b);
            assert!(fit_ab.score <= 100, "{a:?} {b:?}");
            assert!(!fit_ab.reasons.is_empty());
            assert!(fit_ab.reasons.iter().all(|r| r.ends_with('.')));
            // The areas part is the same whichever side is the lead, and so is the causes part.
            assert_eq!(areas_part(&a, &b).points, areas_part(&b, &a).points);
            assert_eq!(
                causes_part(&a, &b, &labels).points,
                causes_part(&b, &a, &labels).points
            );

            // An organisation fits itself at least as well as one that shares nothing with it.
            // Wide areas overlap with anything, so they are kept out of the stranger.
            let a = g.profile(0);
            let mut stranger = g.profile(1);
            stranger
                .areas
                .retain(|area| !normalise(area).starts_with("throughout"));
            let a_a = check(&a, &a);
            let a_s = check(&a, &stranger);
            assert!(
                a_a.score >= a_s.score,
                "{a:?} {stranger:?}: {a_a:?} {a_s:?}"
            );
            assert!(a_a.score <= 100 && !a_a.reasons.is_empty());
        }
    }
}
