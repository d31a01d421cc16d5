//! Health checks of the partnership (the Review stage): rounds that every
//! member of the lead and partner organisations is asked to answer, and the
//! rules that keep each person's answers to themselves.
//!
//! The questionnaires are data, versioned in the store's migrations like the
//! readiness check. Everything that turns answers into something shown to
//! others goes through [`results`], which applies the anonymity rules:
//!
//! - nothing is shown before the round is closed (by a lead, by its closing
//!   date passing, or by everyone invited having answered);
//! - nothing is shown unless at least `threshold` people answered;
//! - a figure for a question, a group or an organisation is shown only when
//!   at least `threshold` people stand behind it, and organisations are
//!   left out of the breakdown until the people not shown in it are none
//!   or at least `threshold` (so nobody can subtract one organisation's
//!   figures from the whole round's and find a smaller group's answers);
//! - comments carry no names and are sorted, never in the order given.

use crate::readiness::RawAnswer;
use crate::{FieldError, FieldErrors, RuleError};
use std::collections::{BTreeMap, BTreeSet};

/// The fewest respondents any figure may stand on. The setting can raise
/// it, never lower it.
pub const MIN_THRESHOLD: usize = 3;

/// How many respondents a figure needs before it is shown: a setting,
/// never below [`MIN_THRESHOLD`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Threshold(usize);

impl Threshold {
    pub fn new(n: usize) -> Result<Self, RuleError> {
        if n < MIN_THRESHOLD {
            return Err(RuleError(format!(
                "The health check threshold must be at least {MIN_THRESHOLD} respondents, so nobody's answers can be singled out. It was set to {n}."
            )));
        }
        Ok(Threshold(n))
    }
    pub fn get(self) -> usize {
        self.0
    }
}

impl Default for Threshold {
    fn default() -> Self {
        Threshold(MIN_THRESHOLD)
    }
}

/// A quick pulse or a full review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Pulse,
    Full,
}

impl Kind {
    pub const ALL: [Kind; 2] = [Kind::Pulse, Kind::Full];
    pub fn code(self) -> &'static str {
        match self {
            Kind::Pulse => "pulse",
            Kind::Full => "full",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Kind::Pulse => "Quick pulse",
            Kind::Full => "Full review",
        }
    }
    pub fn summary(self) -> &'static str {
        match self {
            Kind::Pulse => {
                "A handful of questions, each green, amber or red. Meant for every couple of months."
            }
            Kind::Full => {
                "The partnering principles and the readiness factors, each rated 1 to 5. Meant every 6 to 12 months."
            }
        }
    }
    pub fn parse_code(raw: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.code() == raw.trim())
    }
    /// The highest value an answer can have (green is 3, 5 is the top).
    pub fn max(self) -> f64 {
        match self {
            Kind::Pulse => 3.0,
            Kind::Full => 5.0,
        }
    }
    /// The difference between one organisation and the rest that is
    /// called out as a gap in perception.
    pub fn gap(self) -> f64 {
        match self {
            Kind::Pulse => 0.75,
            Kind::Full => 1.0,
        }
    }
}

/// A pulse answer: red is 1, amber 2, green 3.
pub const LIGHTS: [(u8, &str, &str); 3] = [
    (3, "green", "Green: going well"),
    (2, "amber", "Amber: some concerns"),
    (1, "red", "Red: a real problem"),
];

pub fn light_code(v: u8) -> &'static str {
    LIGHTS.iter().find(|l| l.0 == v).map(|l| l.1).unwrap_or("")
}

/// One version of one kind's questions.
#[derive(Debug, Clone, PartialEq)]
pub struct Questionnaire {
    pub id: i64,
    pub kind: Kind,
    pub version: i64,
    pub groups: Vec<Group>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub id: i64,
    pub code: String,
    pub label: String,
    pub questions: Vec<Question>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    pub id: i64,
    pub code: String,
    /// A short name, for charts and sentences: "Decision-making".
    pub label: String,
    /// The statement or question people answer.
    pub text: String,
}

impl Questionnaire {
    pub fn questions(&self) -> impl Iterator<Item = (&Group, &Question)> {
        self.groups
            .iter()
            .flat_map(|g| g.questions.iter().map(move |q| (g, q)))
    }
    pub fn question(&self, id: i64) -> Option<&Question> {
        self.questions().map(|(_, q)| q).find(|q| q.id == id)
    }
}

/// The longest comment, in characters.
pub const COMMENT_MAX: usize = 2000;

/// Checks answers against the questionnaire: each key a question id; a pulse
/// value "green", "amber" or "red"; a full value a whole number 1 to 5 or
/// "don't know" (null). At least one answer. Errors keyed `{prefix}{key}`.
pub fn parse_answers(
    q: &Questionnaire,
    raw: &[(String, RawAnswer)],
    prefix: &str,
) -> Result<Vec<(i64, Option<u8>)>, FieldErrors> {
    let known: BTreeSet<i64> = q.questions().map(|(_, q)| q.id).collect();
    let mut errors = FieldErrors::new();
    let mut out: BTreeMap<i64, Option<u8>> = BTreeMap::new();
    for (key, value) in raw {
        let field = format!("{prefix}{key}");
        let id = match key.trim().parse::<i64>() {
            Ok(id) if known.contains(&id) => id,
            _ => {
                errors.add(
                    field,
                    "There is no question with this id in this health check. Use the ids it lists.",
                );
                continue;
            }
        };
        match (q.kind, value) {
            (Kind::Pulse, RawAnswer::Other(s)) => match LIGHTS.iter().find(|l| l.1 == s.trim()) {
                Some(l) => {
                    out.insert(id, Some(l.0));
                }
                None => errors.add(field, "Choose green, amber or red."),
            },
            (Kind::Pulse, _) => errors.add(field, "Choose green, amber or red."),
            (Kind::Full, RawAnswer::DontKnow) => {
                out.insert(id, None);
            }
            (Kind::Full, RawAnswer::Number(n)) if n.fract() == 0.0 && (1.0..=5.0).contains(n) => {
                out.insert(id, Some(*n as u8));
            }
            (Kind::Full, _) => errors.add(
                field,
                "Choose a number from 1 (strongly disagree) to 5 (strongly agree), or \"don't know\".",
            ),
        }
    }
    if raw.is_empty() {
        let field = match prefix.strip_suffix('.') {
            Some(object) => object.to_string(),
            None => "answers".to_string(),
        };
        errors.add(field, "Answer at least one question.");
    }
    errors.into_result()?;
    Ok(out.into_iter().collect())
}

pub fn parse_comment(raw: &str) -> Result<String, FieldError> {
    let t = raw.trim();
    if t.chars().count() > COMMENT_MAX {
        return Err(FieldError {
            field: "comment".into(),
            message: format!("Keep the comment to {COMMENT_MAX} characters or fewer."),
        });
    }
    Ok(t.to_string())
}

/// The closing date: a real date, today or later, within a year.
pub fn parse_closes_on(raw: &str, today: &str) -> Result<String, FieldError> {
    let date = crate::tasks::iso_date("closes_on", "the closing date", raw)?.ok_or_else(|| {
        FieldError {
            field: "closes_on".into(),
            message: "Enter the closing date, like 2027-03-31.".into(),
        }
    })?;
    if date.as_str() < today {
        return Err(FieldError {
            field: "closes_on".into(),
            message: format!("Choose a closing date from today ({today}) on."),
        });
    }
    let next_year = format!(
        "{:04}{}",
        today[..4].parse::<u32>().unwrap_or(0) + 1,
        &today[4..]
    );
    if date > next_year {
        return Err(FieldError {
            field: "closes_on".into(),
            message: "Choose a closing date within a year. A round is meant to be short.".into(),
        });
    }
    Ok(date)
}

/// Where a round stands, from what is known about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoundState {
    /// A lead closed it.
    pub closed_by_lead: bool,
    pub closes_on: String,
    pub today: String,
    pub invited: usize,
    pub respondents: usize,
}

impl RoundState {
    /// Closed: by a lead, by its closing date passing, or by everyone
    /// invited having answered. A closed round takes no more answers, so
    /// its figures never move once they can be seen.
    pub fn is_closed(&self) -> bool {
        self.closed_by_lead
            || self.today > self.closes_on
            || (self.invited > 0 && self.respondents >= self.invited)
    }
}

/// Why a round's results cannot be seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unavailable {
    StillOpen { closes_on: String },
    TooFew { respondents: usize, needed: usize },
}

impl Unavailable {
    pub fn code(&self) -> &'static str {
        match self {
            Unavailable::StillOpen { .. } => "still_open",
            Unavailable::TooFew { .. } => "too_few_respondents",
        }
    }
    pub fn sentence(&self) -> String {
        match self {
            Unavailable::StillOpen { closes_on } => format!(
                "Results are shown once the round closes on {closes_on}, or when everyone invited has answered, so nobody's answers can be worked out as they come in."
            ),
            Unavailable::TooFew {
                respondents,
                needed,
            } => format!(
                "Only {respondents} {} answered. Results are shown only when at least {needed} people answer, so nobody's answers can be singled out.",
                if *respondents == 1 {
                    "person"
                } else {
                    "people"
                }
            ),
        }
    }
}

/// Whether results may be shown at all.
pub fn availability(state: &RoundState, threshold: Threshold) -> Result<(), Unavailable> {
    if !state.is_closed() {
        return Err(Unavailable::StillOpen {
            closes_on: state.closes_on.clone(),
        });
    }
    if state.respondents < threshold.get() {
        return Err(Unavailable::TooFew {
            respondents: state.respondents,
            needed: threshold.get(),
        });
    }
    Ok(())
}

/// One person's response, as only [`results`] ever sees it: their
/// organisation, their answers and their comment, with no name.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    pub organisation_id: i64,
    /// Question id to value; None is "don't know".
    pub answers: BTreeMap<i64, Option<u8>>,
    pub comment: String,
}

/// Figures for one question or group, over the people who gave it a value.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Stats {
    pub answering: usize,
    /// Rounded to one decimal place.
    pub mean: f64,
    /// The standard deviation, rounded to one decimal place.
    pub spread: f64,
    /// For pulse questions: how many said green, amber and red.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lights: Option<Lights>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Lights {
    pub green: usize,
    pub amber: usize,
    pub red: usize,
}

/// One question's results. `stats` is None when too few gave it a value.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct QuestionResult {
    pub id: i64,
    pub group: String,
    pub label: String,
    pub stats: Option<Stats>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct GroupResult {
    pub code: String,
    pub label: String,
    pub stats: Option<Stats>,
}

/// One organisation's breakdown, shown only when it had enough respondents.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct OrgResult {
    pub organisation_id: i64,
    pub respondents: usize,
    pub groups: Vec<GroupResult>,
    pub questions: Vec<QuestionResult>,
}

/// One organisation seeing a question differently from everyone else.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Gap {
    pub question_id: i64,
    pub label: String,
    pub organisation_id: i64,
    pub organisation_mean: f64,
    pub others_mean: f64,
}

impl Gap {
    /// The gap in plain words.
    pub fn sentence(&self, organisation: &str, kind: Kind) -> String {
        let scale = match kind {
            Kind::Pulse => " (red 1, amber 2, green 3)",
            Kind::Full => "",
        };
        format!(
            "{organisation} rates {} {:.1} on average{scale}; the other partners {:.1}.",
            self.label.to_lowercase(),
            self.organisation_mean,
            self.others_mean
        )
    }
}

/// Everything that may be shown of a round.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Results {
    pub respondents: usize,
    pub groups: Vec<GroupResult>,
    pub questions: Vec<QuestionResult>,
    pub organisations: Vec<OrgResult>,
    pub gaps: Vec<Gap>,
    /// Without names, sorted alphabetically.
    pub comments: Vec<String>,
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn stats(values: &[f64], kind: Kind, threshold: Threshold) -> Option<Stats> {
    if values.len() < threshold.get() {
        return None;
    }
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n;
    let lights = (kind == Kind::Pulse).then(|| Lights {
        green: values.iter().filter(|v| **v == 3.0).count(),
        amber: values.iter().filter(|v| **v == 2.0).count(),
        red: values.iter().filter(|v| **v == 1.0).count(),
    });
    Some(Stats {
        answering: values.len(),
        mean: round1(mean),
        spread: round1(var.sqrt()),
        lights,
    })
}

/// Which organisations' figures may be shown, given how many people stand
/// behind each and behind the whole. An organisation needs `threshold`
/// people; and the people left out of the breakdown must be none or at
/// least `threshold`, else the smallest shown organisations are left out
/// too (so the whole minus the shown never isolates one or two people).
pub fn shown_organisations(
    counts: &BTreeMap<i64, usize>,
    total: usize,
    threshold: Threshold,
) -> BTreeSet<i64> {
    let t = threshold.get();
    let mut shown: Vec<(usize, i64)> = counts
        .iter()
        .filter(|(_, n)| **n >= t)
        .map(|(o, n)| (*n, *o))
        .collect();
    let mut rest = total - shown.iter().map(|(n, _)| n).sum::<usize>();
    // Smallest first; among equals, the higher id goes first.
    shown.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    while rest > 0 && rest < t && !shown.is_empty() {
        let (n, _) = shown.remove(0);
        rest += n;
    }
    shown.into_iter().map(|(_, o)| o).collect()
}

/// Values given to each question and each group, one per person per group
/// (the mean of their values in the group).
struct Tally {
    question: BTreeMap<i64, Vec<f64>>,
    group: BTreeMap<String, Vec<f64>>,
}

fn tally<'a>(q: &Questionnaire, responses: impl Iterator<Item = &'a Response>) -> Tally {
    let mut t = Tally {
        question: BTreeMap::new(),
        group: BTreeMap::new(),
    };
    for r in responses {
        for g in &q.groups {
            let mut mine = Vec::new();
            for question in &g.questions {
                if let Some(Some(v)) = r.answers.get(&question.id) {
                    let v = f64::from(*v);
                    t.question.entry(question.id).or_default().push(v);
                    mine.push(v);
                }
            }
            if !mine.is_empty() {
                let avg = mine.iter().sum::<f64>() / mine.len() as f64;
                t.group.entry(g.code.clone()).or_default().push(avg);
            }
        }
    }
    t
}

/// The round's results, or why they cannot be shown. The only way answers
/// reach anyone but the person who gave them.
pub fn results(
    q: &Questionnaire,
    state: &RoundState,
    responses: &[Response],
    threshold: Threshold,
) -> Result<Results, Unavailable> {
    let state = RoundState {
        respondents: responses.len(),
        ..state.clone()
    };
    availability(&state, threshold)?;
    let kind = q.kind;
    let all = tally(q, responses.iter());
    let group_results = |t: &Tally, allowed: &dyn Fn(&str, usize) -> bool| -> Vec<GroupResult> {
        q.groups
            .iter()
            .map(|g| {
                let values = t.group.get(&g.code).cloned().unwrap_or_default();
                GroupResult {
                    code: g.code.clone(),
                    label: g.label.clone(),
                    stats: stats(&values, kind, threshold)
                        .filter(|s| allowed(&g.code, s.answering)),
                }
            })
            .collect()
    };
    let question_results =
        |t: &Tally, allowed: &dyn Fn(i64, usize) -> bool| -> Vec<QuestionResult> {
            q.questions()
                .map(|(g, question)| {
                    let values = t.question.get(&question.id).cloned().unwrap_or_default();
                    QuestionResult {
                        id: question.id,
                        group: g.code.clone(),
                        label: question.label.clone(),
                        stats: stats(&values, kind, threshold)
                            .filter(|s| allowed(question.id, s.answering)),
                    }
                })
                .collect()
        };

    // Which organisations may be broken out at all, then, for each group
    // and question, which of those may show it.
    let mut counts: BTreeMap<i64, usize> = BTreeMap::new();
    for r in responses {
        *counts.entry(r.organisation_id).or_default() += 1;
    }
    let orgs = shown_organisations(&counts, responses.len(), threshold);
    let per_org: BTreeMap<i64, Tally> = orgs
        .iter()
        .map(|o| {
            (
                *o,
                tally(q, responses.iter().filter(|r| r.organisation_id == *o)),
            )
        })
        .collect();
    let item_shown = |of: &dyn Fn(&Tally) -> usize, total: usize| -> BTreeSet<i64> {
        let c: BTreeMap<i64, usize> = per_org.iter().map(|(o, t)| (*o, of(t))).collect();
        shown_organisations(&c, total, threshold)
    };
    let mut q_shown: BTreeMap<i64, BTreeSet<i64>> = BTreeMap::new();
    for (_, question) in q.questions() {
        let id = question.id;
        let total = all.question.get(&id).map_or(0, Vec::len);
        q_shown.insert(
            id,
            item_shown(&|t: &Tally| t.question.get(&id).map_or(0, Vec::len), total),
        );
    }
    let mut g_shown: BTreeMap<String, BTreeSet<i64>> = BTreeMap::new();
    for g in &q.groups {
        let total = all.group.get(&g.code).map_or(0, Vec::len);
        g_shown.insert(
            g.code.clone(),
            item_shown(&|t: &Tally| t.group.get(&g.code).map_or(0, Vec::len), total),
        );
    }
    let organisations: Vec<OrgResult> = per_org
        .iter()
        .map(|(o, t)| OrgResult {
            organisation_id: *o,
            respondents: counts[o],
            groups: group_results(t, &|code, _| g_shown[code].contains(o)),
            questions: question_results(t, &|id, _| q_shown[&id].contains(o)),
        })
        .collect();

    // Gaps: an organisation whose figure is shown against everyone else
    // who gave that question a value, when they are enough people too.
    let mut gaps = Vec::new();
    for (_, question) in q.questions() {
        for o in &q_shown[&question.id] {
            let mine = per_org[o]
                .question
                .get(&question.id)
                .cloned()
                .unwrap_or_default();
            let others: Vec<f64> = responses
                .iter()
                .filter(|r| r.organisation_id != *o)
                .filter_map(|r| r.answers.get(&question.id).copied().flatten())
                .map(f64::from)
                .collect();
            let (Some(a), Some(b)) = (
                stats(&mine, kind, threshold),
                stats(&others, kind, threshold),
            ) else {
                continue;
            };
            if (a.mean - b.mean).abs() >= kind.gap() {
                gaps.push(Gap {
                    question_id: question.id,
                    label: question.label.clone(),
                    organisation_id: *o,
                    organisation_mean: a.mean,
                    others_mean: b.mean,
                });
            }
        }
    }
    gaps.sort_by(|a, b| {
        let d = |g: &Gap| (g.organisation_mean - g.others_mean).abs();
        d(b).total_cmp(&d(a))
            .then(a.question_id.cmp(&b.question_id))
            .then(a.organisation_id.cmp(&b.organisation_id))
    });

    let mut comments: Vec<String> = responses
        .iter()
        .map(|r| r.comment.trim().to_string())
        .filter(|c| !c.is_empty())
        .collect();
    comments.sort_by(|a, b| a.to_lowercase().cmp(&b.to_lowercase()).then(a.cmp(b)));

    Ok(Results {
        respondents: responses.len(),
        groups: group_results(&all, &|_, _| true),
        questions: question_results(&all, &|_, _| true),
        organisations,
        gaps,
        comments,
    })
}

/// What the Review checklist is made from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReviewFacts {
    pub collaboration_id: i64,
    pub rounds: i64,
    /// Rounds whose results can be seen (closed, with enough respondents).
    pub rounds_with_results: i64,
    /// Rounds still taking answers.
    pub open_rounds: i64,
    /// The shared aims, and how many of them have a review.
    pub aims: i64,
    pub aims_reviewed: i64,
    /// The lessons learned recorded.
    pub lessons: i64,
    /// The partners' positions on the way forward, and whether one is agreed.
    pub forward: crate::forward::ForwardFacts,
}

/// The Review checklist, for the parts built so far.
pub fn checklist(f: &ReviewFacts) -> Vec<crate::stage::ChecklistItem> {
    let detail = if f.rounds_with_results > 0 {
        format!(
            "{} with results to read.",
            if f.rounds_with_results == 1 {
                "1 health check round".to_string()
            } else {
                format!("{} health check rounds", f.rounds_with_results)
            }
        )
    } else if f.open_rounds > 0 {
        "A health check round is open. Results are shown once it closes.".to_string()
    } else if f.rounds > 0 {
        "No round yet had enough people answering to show results. Open another round.".to_string()
    } else {
        "No health check yet. A lead organisation's admin can open a round.".to_string()
    };
    let mut items = vec![crate::stage::ChecklistItem {
        key: "health_checked",
        label: "Health of the partnership checked",
        done: f.rounds_with_results > 0,
        detail,
        href: format!("/collaborations/{}/review", f.collaboration_id),
    }];
    items.extend(crate::outcomes::checklist(
        f.collaboration_id,
        f.aims,
        f.aims_reviewed,
    ));
    items.push(crate::outcomes::lessons_checklist(
        f.collaboration_id,
        f.lessons,
    ));
    items.extend(crate::forward::checklist(f.collaboration_id, f.forward));
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    fn questionnaire(kind: Kind) -> Questionnaire {
        let q = |id: i64, label: &str| Question {
            id,
            code: format!("q{id}"),
            label: label.into(),
            text: format!("Statement {id}"),
        };
        Questionnaire {
            id: 1,
            kind,
            version: 1,
            groups: vec![
                Group {
                    id: 1,
                    code: "principles".into(),
                    label: "Principles".into(),
                    questions: vec![q(1, "Decision-making"), q(2, "Openness")],
                },
                Group {
                    id: 2,
                    code: "working".into(),
                    label: "Working together".into(),
                    questions: vec![q(3, "Trust")],
                },
            ],
        }
    }

    fn closed(n: usize) -> RoundState {
        RoundState {
            closed_by_lead: true,
            closes_on: "2026-12-01".into(),
            today: "2026-11-28".into(),
            invited: 100,
            respondents: n,
        }
    }

    fn resp(org: i64, values: &[(i64, Option<u8>)], comment: &str) -> Response {
        Response {
            organisation_id: org,
            answers: values.iter().copied().collect(),
            comment: comment.into(),
        }
    }

    #[test]
    fn the_threshold_is_never_below_three() {
        assert!(Threshold::new(2).is_err());
        assert!(Threshold::new(0).is_err());
        assert_eq!(Threshold::new(3).unwrap().get(), 3);
        assert_eq!(Threshold::new(7).unwrap().get(), 7);
    }

    #[test]
    fn a_round_closes_by_lead_date_or_everyone_answering() {
        let mut s = RoundState {
            closed_by_lead: false,
            closes_on: "2026-11-28".into(),
            today: "2026-11-28".into(),
            invited: 4,
            respondents: 3,
        };
        assert!(!s.is_closed(), "open through its closing day");
        s.today = "2026-11-29".into();
        assert!(s.is_closed());
        s.today = "2026-11-28".into();
        s.respondents = 4;
        assert!(s.is_closed());
        s.respondents = 3;
        s.closed_by_lead = true;
        assert!(s.is_closed());
    }

    #[test]
    fn gaps_between_partners_are_named_in_words() {
        let q = questionnaire(Kind::Full);
        let mut rs = Vec::new();
        for v in [5, 4, 5, 4] {
            rs.push(resp(10, &[(1, Some(v)), (3, Some(3))], ""));
        }
        for v in [3, 2, 3] {
            rs.push(resp(20, &[(1, Some(v)), (3, Some(3))], ""));
        }
        let r = results(&q, &closed(0), &rs, Threshold::default()).unwrap();
        assert_eq!(r.respondents, 7);
        let s = r.questions[0].stats.clone().unwrap();
        assert_eq!((s.answering, s.mean), (7, 3.7));
        assert!(r.questions[1].stats.is_none(), "nobody answered openness");
        assert_eq!(r.organisations.len(), 2);
        assert_eq!(r.gaps.len(), 2);
        assert_eq!(
            r.gaps[0].sentence("Riverside", Kind::Full),
            "Riverside rates decision-making 4.5 on average; the other partners 2.7."
        );
        assert!(r.gaps.iter().all(|g| g.question_id == 1));
    }

    #[test]
    fn pulse_counts_lights_and_comments_are_sorted_without_names() {
        let q = questionnaire(Kind::Pulse);
        let rs = vec![
            resp(1, &[(1, Some(3))], "zebra crossing"),
            resp(1, &[(1, Some(1))], ""),
            resp(2, &[(1, Some(2))], "Apples"),
        ];
        let r = results(&q, &closed(0), &rs, Threshold::default()).unwrap();
        assert_eq!(
            r.questions[0].stats.as_ref().unwrap().lights,
            Some(Lights {
                green: 1,
                amber: 1,
                red: 1
            })
        );
        assert_eq!(r.comments, vec!["Apples", "zebra crossing"]);
        assert!(r.organisations.is_empty());
    }

    #[test]
    fn the_parser_takes_lights_for_pulses_and_numbers_for_full_reviews() {
        let p = questionnaire(Kind::Pulse);
        let f = questionnaire(Kind::Full);
        let ok = parse_answers(&p, &[("1".into(), RawAnswer::Other("amber".into()))], "");
        assert_eq!(ok.unwrap(), vec![(1, Some(2))]);
        assert!(parse_answers(&p, &[("1".into(), RawAnswer::Number(3.0))], "").is_err());
        assert!(parse_answers(&f, &[("1".into(), RawAnswer::Number(6.0))], "").is_err());
        assert!(parse_answers(&f, &[("9".into(), RawAnswer::Number(2.0))], "").is_err());
        assert_eq!(
            parse_answers(&f, &[("2".into(), RawAnswer::DontKnow)], "").unwrap(),
            vec![(2, None)]
        );
        assert!(parse_answers(&f, &[], "").is_err());
        assert_eq!(
            parse_closes_on("2026-12-31", "2026-11-28").unwrap(),
            "2026-12-31"
        );
        assert!(parse_closes_on("2026-11-27", "2026-11-28").is_err());
        assert!(parse_closes_on("2027-11-29", "2026-11-28").is_err());
        assert!(parse_closes_on("31/12/2026", "2026-11-28").is_err());
    }

    #[test]
    fn the_checklist_is_done_once_a_round_has_results() {
        let mut f = ReviewFacts {
            collaboration_id: 4,
            ..Default::default()
        };
        assert!(!checklist(&f)[0].done);
        f.rounds = 1;
        f.open_rounds = 1;
        assert!(!checklist(&f)[0].done);
        f.rounds_with_results = 1;
        let items = checklist(&f);
        assert!(items[0].done);
        assert_eq!(items[0].href, "/collaborations/4/review");
    }

    /// A small deterministic generator, so the properties run the same
    /// answers every time.
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

    fn random_responses(g: &mut Gen, kind: Kind, n: usize) -> Vec<Response> {
        let orgs = 1 + g.below(4) as i64;
        (0..n)
            .map(|_| {
                let mut answers = BTreeMap::new();
                for id in 1..=3 {
                    match g.below(5) {
                        0 => {}
                        1 if kind == Kind::Full => {
                            answers.insert(id, None);
                        }
                        _ => {
                            let top = if kind == Kind::Pulse { 3 } else { 5 };
                            answers.insert(id, Some(1 + g.below(top) as u8));
                        }
                    }
                }
                Response {
                    organisation_id: 1 + g.below(orgs as u64) as i64,
                    answers,
                    comment: if g.below(2) == 0 {
                        format!("comment {}", g.below(1000))
                    } else {
                        String::new()
                    },
                }
            })
            .collect()
    }

    fn every_stats(r: &Results) -> Vec<(Stats, Option<i64>)> {
        let mut out: Vec<(Stats, Option<i64>)> = Vec::new();
        let mut add = |s: &Option<Stats>, o: Option<i64>| {
            if let Some(s) = s {
                out.push((s.clone(), o));
            }
        };
        for x in &r.questions {
            add(&x.stats, None);
        }
        for x in &r.groups {
            add(&x.stats, None);
        }
        for o in &r.organisations {
            for x in &o.questions {
                add(&x.stats, Some(o.organisation_id));
            }
            for x in &o.groups {
                add(&x.stats, Some(o.organisation_id));
            }
        }
        out
    }

    #[test]
    fn property_nothing_shows_before_closing_or_below_the_threshold() {
        let mut g = Gen(7);
        for _ in 0..2000 {
            let kind = if g.below(2) == 0 {
                Kind::Pulse
            } else {
                Kind::Full
            };
            let q = questionnaire(kind);
            let t = Threshold::new(3 + g.below(3) as usize).unwrap();
            let n = g.below(12) as usize;
            let rs = random_responses(&mut g, kind, n);
            let invited = n + g.below(3) as usize;
            let state = RoundState {
                closed_by_lead: g.below(2) == 0,
                closes_on: "2026-11-28".into(),
                today: if g.below(2) == 0 {
                    "2026-11-28".into()
                } else {
                    "2026-11-29".into()
                },
                invited,
                respondents: n,
            };
            let out = results(&q, &state, &rs, t);
            if !state.is_closed() {
                assert!(matches!(out, Err(Unavailable::StillOpen { .. })));
            } else if n < t.get() {
                assert_eq!(
                    out,
                    Err(Unavailable::TooFew {
                        respondents: n,
                        needed: t.get()
                    })
                );
            } else {
                assert!(out.is_ok());
            }
        }
    }

    #[test]
    fn property_no_figure_stands_on_fewer_people_than_the_threshold() {
        let mut g = Gen(11);
        let mut orgs_shown = 0;
        for _ in 0..2000 {
            let kind = if g.below(2) == 0 {
                Kind::Pulse
            } else {
                Kind::Full
            };
            let q = questionnaire(kind);
            let t = Threshold::new(3 + g.below(2) as usize).unwrap();
            let n = g.below(16) as usize;
            let rs = random_responses(&mut g, kind, n);
            let Ok(r) = results(&q, &closed(n), &rs, t) else {
                assert!(n < t.get());
                continue;
            };
            let mut counts: BTreeMap<i64, usize> = BTreeMap::new();
            for x in &rs {
                *counts.entry(x.organisation_id).or_default() += 1;
            }
            // Every figure stands on at least the threshold.
            for (s, _) in every_stats(&r) {
                assert!(s.answering >= t.get(), "{s:?} shown for fewer than {t:?}");
            }
            // Every organisation shown had enough respondents, and the
            // people outside the breakdown are none or enough: the whole
            // minus the shown never isolates one or two people.
            let shown: usize = r.organisations.iter().map(|o| o.respondents).sum();
            let rest = n - shown;
            assert!(rest == 0 || rest >= t.get(), "{rest} left to subtract");
            for o in &r.organisations {
                assert!(o.respondents >= t.get());
                assert_eq!(o.respondents, counts[&o.organisation_id]);
                orgs_shown += 1;
            }
            // The same per question: whoever answered it and is not in a
            // shown figure for it are none or enough.
            for qr in &r.questions {
                let total = qr.stats.as_ref().map_or(0, |s| s.answering);
                if total == 0 {
                    continue;
                }
                let in_orgs: usize = r
                    .organisations
                    .iter()
                    .flat_map(|o| o.questions.iter().filter(|x| x.id == qr.id))
                    .filter_map(|x| x.stats.as_ref().map(|s| s.answering))
                    .sum();
                let rest = total - in_orgs;
                assert!(rest == 0 || rest >= t.get());
            }
            // Gaps compare figures that are each shown.
            for gap in &r.gaps {
                assert!(
                    r.organisations
                        .iter()
                        .any(|o| o.organisation_id == gap.organisation_id)
                );
            }
            // Comments are the non-empty ones, sorted, not in answer order.
            let mut expected: Vec<String> = rs
                .iter()
                .map(|x| x.comment.clone())
                .filter(|c| !c.is_empty())
                .collect();
            expected.sort_by(|a, b| a.to_lowercase().cmp(&b.to_lowercase()).then(a.cmp(b)));
            assert_eq!(r.comments, expected);
        }
        assert!(orgs_shown > 200, "{orgs_shown}");
    }

    #[test]
    fn property_changing_one_answer_is_invisible_below_the_threshold() {
        // Whatever one person in a group too small to show changes, the
        // figures shown for others do not single them out: any figure
        // that moves stands on at least the threshold.
        let mut g = Gen(99);
        for _ in 0..1000 {
            let q = questionnaire(Kind::Full);
            let t = Threshold::default();
            let n = 3 + g.below(10) as usize;
            let mut rs = random_responses(&mut g, Kind::Full, n);
            let before = results(&q, &closed(n), &rs, t).unwrap();
            let who = g.below(n as u64) as usize;
            rs[who].answers.insert(1, Some(1 + g.below(5) as u8));
            let after = results(&q, &closed(n), &rs, t).unwrap();
            for ((a, _), (b, _)) in every_stats(&before).iter().zip(every_stats(&after).iter()) {
                if a != b {
                    assert!(a.answering >= t.get() && b.answering >= t.get());
                }
            }
        }
    }
}
