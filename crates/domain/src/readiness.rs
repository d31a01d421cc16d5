//! The readiness check ("should we collaborate?"): its questionnaire,
//! checking answers, and turning everyone's answers into results per factor
//! and group without showing anyone's own answers.
//!
//! The questionnaire itself is data (see the store's migrations), so it can
//! be revised as a new version without re-labelling old answers.

use crate::FieldErrors;
use std::collections::BTreeMap;

/// One version of the questionnaire.
#[derive(Debug, Clone, PartialEq)]
pub struct Instrument {
    pub id: i64,
    pub version: i64,
    pub title: String,
    pub groups: Vec<Group>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub id: i64,
    pub code: String,
    pub label: String,
    pub factors: Vec<Factor>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Factor {
    pub id: i64,
    pub code: String,
    pub label: String,
    /// What to do when this factor is weak, in plain words.
    pub advice: String,
    pub statements: Vec<Statement>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    pub id: i64,
    pub text: String,
}

impl Instrument {
    pub fn statements(&self) -> impl Iterator<Item = (&Group, &Factor, &Statement)> {
        self.groups.iter().flat_map(|g| {
            g.factors
                .iter()
                .flat_map(move |f| f.statements.iter().map(move |s| (g, f, s)))
        })
    }

    pub fn statement_count(&self) -> usize {
        self.statements().count()
    }

    pub fn factors(&self) -> impl Iterator<Item = (&Group, &Factor)> {
        self.groups
            .iter()
            .flat_map(|g| g.factors.iter().map(move |f| (g, f)))
    }
}

/// The scale, with the words shown beside each number.
pub const SCALE: [(u8, &str); 5] = [
    (1, "Strongly disagree"),
    (2, "Disagree"),
    (3, "Neither agree nor disagree"),
    (4, "Agree"),
    (5, "Strongly agree"),
];
pub const DONT_KNOW: &str = "Don't know";

/// An answer as it arrived, before checking.
#[derive(Debug, Clone, PartialEq)]
pub enum RawAnswer {
    /// A JSON number, or a form value that looked like one.
    Number(f64),
    /// "Don't know": JSON null, or the form's "don't know" choice.
    DontKnow,
    /// Anything else that was sent.
    Other(String),
}

/// Checks answers against the questionnaire. Each key must be the id of one
/// of its statements; each value a whole number from 1 to 5, or "don't
/// know". Errors are keyed `{prefix}{key}` so the form and the API can each
/// point at the right field.
pub fn parse_answers(
    instrument: &Instrument,
    raw: &[(String, RawAnswer)],
    prefix: &str,
) -> Result<Vec<(i64, Option<u8>)>, FieldErrors> {
    let known: BTreeMap<i64, ()> = instrument
        .statements()
        .map(|(_, _, s)| (s.id, ()))
        .collect();
    let mut errors = FieldErrors::new();
    let mut out: BTreeMap<i64, Option<u8>> = BTreeMap::new();
    for (key, value) in raw {
        let field = format!("{prefix}{key}");
        let id = match key.trim().parse::<i64>() {
            Ok(id) if known.contains_key(&id) => id,
            _ => {
                errors.add(
                    field,
                    "There is no statement with this id in the readiness check. Use the ids it lists.",
                );
                continue;
            }
        };
        match value {
            RawAnswer::DontKnow => {
                out.insert(id, None);
            }
            RawAnswer::Number(n) if n.fract() == 0.0 && (1.0..=5.0).contains(n) => {
                out.insert(id, Some(*n as u8));
            }
            _ => errors.add(
                field,
                "Choose a number from 1 (strongly disagree) to 5 (strongly agree), or \"don't know\".",
            ),
        }
    }
    if raw.is_empty() {
        // The whole set of answers: the API's `answers`, or the form.
        let field = match prefix.strip_suffix('.') {
            Some(object) => object.to_string(),
            None => "answers".to_string(),
        };
        errors.add(field, "Answer at least one statement.");
    }
    errors.into_result()?;
    Ok(out.into_iter().collect())
}

/// The thresholds the results are judged by. Settings, kept in one place.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    /// A mean at or above this is a strength.
    pub strength: f64,
    /// A mean at or above this (and below `strength`) is borderline; below
    /// it, a concern.
    pub borderline: f64,
    /// Answers this far apart (highest person's mean minus lowest) mean
    /// people disagree.
    pub disagreement: f64,
    /// Results are shown only once this many people have answered, so no
    /// one can work out another person's answers from them.
    pub min_respondents: usize,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            strength: 4.0,
            borderline: 3.0,
            disagreement: 2.0,
            min_respondents: 3,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Band {
    Concern,
    Borderline,
    Strength,
}

impl Band {
    pub fn code(self) -> &'static str {
        match self {
            Band::Concern => "concern",
            Band::Borderline => "borderline",
            Band::Strength => "strength",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Band::Concern => "Concern",
            Band::Borderline => "Borderline",
            Band::Strength => "Strength",
        }
    }
}

/// One person's answers to the statements of one factor: the total of the
/// numbers given and how many there were ("don't know" not counted).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PersonFactor {
    pub person: i64,
    pub factor_id: i64,
    pub sum: i64,
    pub count: i64,
}

/// The result for one factor or group.
#[derive(Debug, Clone, PartialEq)]
pub struct Score {
    pub id: i64,
    pub code: String,
    pub label: String,
    /// The mean of each answering person's own mean, to one decimal place.
    pub mean: Option<f64>,
    /// Highest person's mean minus lowest, to one decimal place.
    pub spread: Option<f64>,
    /// How many people gave at least one number here.
    pub answering: usize,
    pub band: Option<Band>,
    /// People disagree widely: the spread is at or above the threshold.
    pub disagreement: bool,
}

/// Everyone's answers, summed up.
#[derive(Debug, Clone, PartialEq)]
pub struct Results {
    /// People who answered at least one statement (even "don't know").
    pub respondents: usize,
    pub groups: Vec<Score>,
    /// Every factor, in the questionnaire's order.
    pub factors: Vec<Score>,
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn score(id: i64, code: &str, label: &str, means: &[f64], t: &Thresholds) -> Score {
    let answering = means.len();
    let (mean, spread) = if answering == 0 {
        (None, None)
    } else {
        let mean = round1(means.iter().sum::<f64>() / answering as f64);
        let hi = means.iter().copied().fold(f64::MIN, f64::max);
        let lo = means.iter().copied().fold(f64::MAX, f64::min);
        (Some(mean), Some(round1(hi - lo)))
    };
    // Judged on the mean as shown (one decimal place), so what people read
    // and the band they see always agree.
    let band = mean.map(|m| {
        if m >= t.strength {
            Band::Strength
        } else if m >= t.borderline {
            Band::Borderline
        } else {
            Band::Concern
        }
    });
    Score {
        id,
        code: code.to_string(),
        label: label.to_string(),
        mean,
        spread,
        answering,
        band,
        disagreement: spread.is_some_and(|s| s >= t.disagreement),
    }
}

/// Turns each person's totals into results per factor and per group. A
/// person's group mean weighs each of their answers in the group equally.
pub fn results(
    instrument: &Instrument,
    rows: &[PersonFactor],
    respondents: usize,
    t: &Thresholds,
) -> Results {
    // person -> factor -> (sum, count)
    let mut by_factor: BTreeMap<i64, BTreeMap<i64, (i64, i64)>> = BTreeMap::new();
    for r in rows.iter().filter(|r| r.count > 0) {
        let e = by_factor
            .entry(r.factor_id)
            .or_default()
            .entry(r.person)
            .or_insert((0, 0));
        e.0 += r.sum;
        e.1 += r.count;
    }
    let mut factors = Vec::new();
    let mut groups = Vec::new();
    for g in &instrument.groups {
        let mut group_people: BTreeMap<i64, (i64, i64)> = BTreeMap::new();
        for f in &g.factors {
            let people = by_factor.get(&f.id);
            let means: Vec<f64> = people
                .map(|p| p.values().map(|(s, c)| *s as f64 / *c as f64).collect())
                .unwrap_or_default();
            factors.push(score(f.id, &f.code, &f.label, &means, t));
            for (person, (s, c)) in people.into_iter().flatten() {
                let e = group_people.entry(*person).or_insert((0, 0));
                e.0 += s;
                e.1 += c;
            }
        }
        let means: Vec<f64> = group_people
            .values()
            .map(|(s, c)| *s as f64 / *c as f64)
            .collect();
        groups.push(score(g.id, &g.code, &g.label, &means, t));
    }
    Results {
        respondents,
        groups,
        factors,
    }
}

/// The factors to work on, weakest first: every factor that is not a
/// strength, and any where people disagree widely. Ties go to the one with
/// more disagreement, then to the questionnaire's order.
pub fn weakest(results: &Results) -> Vec<&Score> {
    let mut out: Vec<(usize, &Score)> = results
        .factors
        .iter()
        .enumerate()
        .filter(|(_, s)| s.band.is_some_and(|b| b != Band::Strength) || s.disagreement)
        .collect();
    out.sort_by(|(ia, a), (ib, b)| {
        let ma = a.mean.unwrap_or(f64::MAX);
        let mb = b.mean.unwrap_or(f64::MAX);
        ma.total_cmp(&mb)
            .then(b.spread.unwrap_or(0.0).total_cmp(&a.spread.unwrap_or(0.0)))
            .then(ia.cmp(ib))
    });
    out.into_iter().map(|(_, s)| s).collect()
}

/// Formats a mean or spread for people: one decimal place.
pub fn one_decimal(x: f64) -> String {
    format!("{x:.1}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two groups: A with factors 10 (statements 100, 101) and 11 (102);
    /// B with factor 20 (statement 200).
    pub(crate) fn instrument() -> Instrument {
        let st = |id: i64| Statement {
            id,
            text: format!("Statement {id}"),
        };
        let factor = |id: i64, statements: Vec<Statement>| Factor {
            id,
            code: format!("f{id}"),
            label: format!("Factor {id}"),
            advice: "Do something.".into(),
            statements,
        };
        Instrument {
            id: 1,
            version: 1,
            title: "Check".into(),
            groups: vec![
                Group {
                    id: 1,
                    code: "a".into(),
                    label: "A".into(),
                    factors: vec![
                        factor(10, vec![st(100), st(101)]),
                        factor(11, vec![st(102)]),
                    ],
                },
                Group {
                    id: 2,
                    code: "b".into(),
                    label: "B".into(),
                    factors: vec![factor(20, vec![st(200)])],
                },
            ],
        }
    }

    fn pf(person: i64, factor_id: i64, sum: i64, count: i64) -> PersonFactor {
        PersonFactor {
            person,
            factor_id,
            sum,
            count,
        }
    }

    #[test]
    fn answers_are_checked_against_the_questionnaire() {
        let i = instrument();
        let ok = parse_answers(
            &i,
            &[
                ("100".into(), RawAnswer::Number(5.0)),
                ("200".into(), RawAnswer::DontKnow),
            ],
            "answers.",
        )
        .unwrap();
        assert_eq!(ok, vec![(100, Some(5)), (200, None)]);
        let bad = parse_answers(
            &i,
            &[
                ("100".into(), RawAnswer::Number(0.0)),
                ("101".into(), RawAnswer::Number(6.0)),
                ("102".into(), RawAnswer::Number(2.5)),
                ("200".into(), RawAnswer::Other("yes".into())),
                ("999".into(), RawAnswer::Number(3.0)),
                ("abc".into(), RawAnswer::Number(3.0)),
            ],
            "answers.",
        )
        .unwrap_err();
        let fields: Vec<&str> = bad.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "answers.100",
                "answers.101",
                "answers.102",
                "answers.200",
                "answers.999",
                "answers.abc"
            ]
        );
        assert!(bad.get("answers.999").unwrap().contains("no statement"));
        let none = parse_answers(&i, &[], "answers.").unwrap_err();
        assert_eq!(none.0[0].field, "answers");
    }

    #[test]
    fn results_per_factor_and_group() {
        let i = instrument();
        // Person 1: factor 10 answers 5 and 4; factor 11: 2. Person 2:
        // factor 10: 3 (one "don't know"); factor 11: 4. Person 3 only
        // "don't know" everywhere (counted as a respondent, answering none).
        let rows = [
            pf(1, 10, 9, 2),
            pf(1, 11, 2, 1),
            pf(2, 10, 3, 1),
            pf(2, 11, 4, 1),
            pf(3, 10, 0, 0),
        ];
        let r = results(&i, &rows, 3, &Thresholds::default());
        assert_eq!(r.respondents, 3);
        let f10 = &r.factors[0];
        // Person means 4.5 and 3.0: mean 3.75 shown as 3.8, spread 1.5.
        assert_eq!(f10.mean, Some(3.8));
        assert_eq!(f10.spread, Some(1.5));
        assert_eq!(f10.answering, 2);
        assert_eq!(f10.band, Some(Band::Borderline));
        assert!(!f10.disagreement);
        let f11 = &r.factors[1];
        assert_eq!((f11.mean, f11.spread), (Some(3.0), Some(2.0)));
        assert!(f11.disagreement, "a spread of 2 is disagreement");
        let f20 = &r.factors[2];
        assert_eq!((f20.mean, f20.answering, f20.band), (None, 0, None));
        // Group A, per person: (9+2)/3 = 3.67 and (3+4)/2 = 3.5.
        let a = &r.groups[0];
        assert_eq!(a.mean, Some(3.6));
        assert_eq!(a.spread, Some(0.2));
        assert_eq!(a.answering, 2);
        assert_eq!(r.groups[1].mean, None);
    }

    #[test]
    fn bands_follow_the_thresholds_on_the_mean_as_shown() {
        let i = instrument();
        let t = Thresholds::default();
        let band_of =
            |sum: i64, count: i64| results(&i, &[pf(1, 11, sum, count)], 1, &t).factors[1].band;
        assert_eq!(band_of(4, 1), Some(Band::Strength));
        assert_eq!(band_of(3, 1), Some(Band::Borderline));
        assert_eq!(band_of(2, 1), Some(Band::Concern));
        // 3.96 shows as 4.0, and is a strength.
        let r = results(&i, &[pf(1, 11, 396, 100)], 1, &Thresholds::default());
        assert_eq!(r.factors[1].mean, Some(4.0));
        assert_eq!(r.factors[1].band, Some(Band::Strength));
        // Thresholds are settings.
        let strict = Thresholds {
            strength: 4.5,
            borderline: 3.5,
            disagreement: 1.0,
            min_respondents: 3,
        };
        let r = results(&i, &[pf(1, 11, 4, 1), pf(2, 11, 3, 1)], 2, &strict);
        assert_eq!(r.factors[1].band, Some(Band::Borderline));
        assert!(r.factors[1].disagreement);
    }

    #[test]
    fn weakest_first_then_disagreement() {
        let i = instrument();
        let rows = [
            pf(1, 10, 10, 2),
            pf(2, 10, 10, 2), // factor 10: 5.0, strength, agreed
            pf(1, 11, 1, 1),
            pf(2, 11, 5, 1), // factor 11: 3.0, spread 4
            pf(1, 20, 3, 1),
            pf(2, 20, 3, 1), // factor 20: 3.0, spread 0
        ];
        let r = results(&i, &rows, 2, &Thresholds::default());
        let w: Vec<i64> = weakest(&r).iter().map(|s| s.id).collect();
        assert_eq!(w, vec![11, 20]);
        // A strength people disagree on is still listed.
        let rows = [pf(1, 10, 10, 2), pf(2, 10, 6, 2), pf(3, 10, 10, 2)];
        let r = results(&i, &rows, 3, &Thresholds::default());
        assert_eq!(r.factors[0].mean, Some(4.3));
        assert!(r.factors[0].disagreement);
        assert_eq!(weakest(&r).len(), 1);
    }

    /// Many generated sets of answers, scored, checked against rules
    /// stated independently: means and spreads within the scale, the
    /// number answering equal to the people who gave a number, bands and
    /// disagreement following the thresholds, and parsing accepting every
    /// valid answer. A small deterministic generator keeps it repeatable.
    #[test]
    fn scoring_holds_for_generated_answers() {
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        let i = instrument();
        let t = Thresholds::default();
        let statements = [(100, 10), (101, 10), (102, 11), (200, 20)];
        let mut scored = 0;
        for _ in 0..2000 {
            let people = 1 + next(12) as i64;
            // Each person's answers: a number 1..5 or "don't know".
            let mut answers: Vec<(i64, i64, Option<u8>)> = Vec::new();
            for person in 1..=people {
                for (statement, _) in statements {
                    if next(5) == 0 {
                        continue;
                    }
                    let value = if next(6) == 0 {
                        None
                    } else {
                        Some(1 + next(5) as u8)
                    };
                    answers.push((person, statement, value));
                }
            }
            // What the form or API would send for one person parses back.
            let raw: Vec<(String, RawAnswer)> = answers
                .iter()
                .filter(|(p, _, _)| *p == 1)
                .map(|(_, s, v)| {
                    (
                        s.to_string(),
                        v.map(|n| RawAnswer::Number(f64::from(n)))
                            .unwrap_or(RawAnswer::DontKnow),
                    )
                })
                .collect();
            if !raw.is_empty() {
                let parsed = parse_answers(&i, &raw, "answers.").unwrap();
                assert_eq!(parsed.len(), raw.len());
            }
            // Totals per person and factor, as the store gives them.
            let mut rows: Vec<PersonFactor> = Vec::new();
            for person in 1..=people {
                for factor in [10, 11, 20] {
                    let values: Vec<i64> = answers
                        .iter()
                        .filter(|(p, s, _)| {
                            *p == person && statements.iter().any(|(st, f)| st == s && *f == factor)
                        })
                        .filter_map(|(_, _, v)| v.map(i64::from))
                        .collect();
                    rows.push(PersonFactor {
                        person,
                        factor_id: factor,
                        sum: values.iter().sum(),
                        count: values.len() as i64,
                    });
                }
            }
            let r = results(&i, &rows, people as usize, &t);
            for (k, factor) in [10, 11, 20].into_iter().enumerate() {
                let s = &r.factors[k];
                let answering = rows
                    .iter()
                    .filter(|x| x.factor_id == factor && x.count > 0)
                    .count();
                assert_eq!(s.answering, answering);
                match (s.mean, s.spread) {
                    (Some(m), Some(sp)) => {
                        scored += 1;
                        assert!((1.0..=5.0).contains(&m), "mean {m}");
                        assert!((0.0..=4.0).contains(&sp), "spread {sp}");
                        let band = if m >= t.strength {
                            Band::Strength
                        } else if m >= t.borderline {
                            Band::Borderline
                        } else {
                            Band::Concern
                        };
                        assert_eq!(s.band, Some(band));
                        assert_eq!(s.disagreement, sp >= t.disagreement);
                        if answering == 1 {
                            assert_eq!(sp, 0.0, "one person cannot disagree");
                        }
                    }
                    (None, None) => {
                        assert_eq!(answering, 0);
                        assert_eq!(s.band, None);
                        assert!(!s.disagreement);
                    }
                    other => panic!("mean and spread disagree: {other:?}"),
                }
            }
            // The weakest list holds exactly the non-strengths and the
            // disagreements, weakest first.
            let weak = weakest(&r);
            let want = r
                .factors
                .iter()
                .filter(|s| s.band.is_some_and(|b| b != Band::Strength) || s.disagreement)
                .count();
            assert_eq!(weak.len(), want);
            for pair in weak.windows(2) {
                assert!(pair[0].mean.unwrap_or(0.0) <= pair[1].mean.unwrap_or(0.0));
            }
        }
        assert!(scored > 3000, "too few factors were scored: {scored}");
    }
}
