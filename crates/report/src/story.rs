//! The whole story of a collaboration, from the first idea to the review,
//! as one Markdown document, one printable HTML file (inline style and
//! SVG, nothing fetched from outside) and a PDF with the embedded font.
//!
//! What goes in is already decided and cut down by the callers: the
//! health check rounds come with figures only where the anonymity rules
//! let them be shown. Every chart has one plain sentence beside it, worked
//! out here from the same data ([`plan_sentence`], [`risk_sentence`],
//! [`health_sentence`]), and a table saying the same in text. In the PDF
//! the charts are drawn with vector shapes from the same data.

use crate::agreement::{html_page, markdown_pdf};
use crate::heatmap::{HeatMap, heatmap_svg};
use crate::markdown::to_html;
use crate::pdf::{MARGIN, Pages, Rgb3, W};
use crate::radar::{Series, radar_svg};
use crate::timeline::{Bar, timeline_svg};
use crate::{md_escape, xml_escape};
use std::collections::BTreeMap;
use std::fmt::Write;

/// Everything the report tells.
#[derive(Debug, Clone)]
pub struct Story {
    pub title: String,
    /// Markdown.
    pub purpose: String,
    /// The stage it is at, such as "Review".
    pub stage: String,
    /// The day it was made, written out for people.
    pub made_on: String,
    /// The draft's words, or None for a final report.
    pub draft: Option<String>,
    /// (organisation, role).
    pub partners: Vec<(String, String)>,
    pub readiness: Option<Readiness>,
    pub aims: Vec<AimStory>,
    pub agreements: Vec<AgreementStory>,
    pub plan: Plan,
    pub problems: Vec<ProblemStory>,
    pub decisions: Vec<DecisionStory>,
    pub risks: Risks,
    /// Oldest first.
    pub health: Vec<HealthRound>,
    pub lessons: Vec<LessonStory>,
}

/// The latest readiness check.
#[derive(Debug, Clone)]
pub struct Readiness {
    pub round: i64,
    /// Per group (label, mean out of 5, band), or why nothing is shown.
    pub groups: Result<Vec<(String, Option<f64>, String)>, String>,
}

#[derive(Debug, Clone)]
pub struct AimStory {
    pub title: String,
    pub indicator: String,
    pub baseline: String,
    pub target: String,
    pub target_date: String,
    /// "Achieved", "Partly achieved", "Not achieved"; None until reviewed.
    pub outcome: Option<String>,
    pub actual: String,
    /// Markdown.
    pub evidence: String,
    pub links: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct AgreementStory {
    pub kind: String,
    pub version: i64,
    pub agreed: bool,
    /// "<organisation> approved version 3 on 1 May 2027."
    pub approvals: Vec<String>,
    /// Organisations still to approve.
    pub waiting: Vec<String>,
}

/// The action plan: every task (dated ones drawn), dependencies, today.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub bars: Vec<Bar>,
    /// Tasks without dates: (workstream, finished).
    pub undated: Vec<(String, bool)>,
    pub deps: Vec<(i64, i64)>,
    /// Days since 1970-01-01.
    pub today: i64,
}

#[derive(Debug, Clone)]
pub struct ProblemStory {
    pub description: String,
    pub severity: String,
    pub status: String,
    pub resolution: String,
}

#[derive(Debug, Clone)]
pub struct DecisionStory {
    pub title: String,
    pub decided: String,
    pub decided_on: String,
    pub how: String,
    /// The governance body, or empty.
    pub body: String,
}

/// Risks not closed, by likelihood and impact.
#[derive(Debug, Clone)]
pub struct Risks {
    /// `[impact - 1][likelihood - 1]`.
    pub counts: [[u32; 5]; 5],
    pub bands: [[&'static str; 5]; 5],
    pub likelihood_words: [&'static str; 5],
    pub impact_words: [&'static str; 5],
}

/// One health check round, with figures only where they may be shown.
#[derive(Debug, Clone)]
pub struct HealthRound {
    pub number: i64,
    /// "Quick pulse" or "Full review".
    pub kind: String,
    pub closes_on: String,
    /// The top of the scale (3 for a pulse, 5 for a full review).
    pub max: f64,
    /// The chart's axes: groups or questions.
    pub axes: Vec<String>,
    /// The figures, or the plain reason there are none.
    pub figures: Result<HealthFigures, String>,
}

#[derive(Debug, Clone)]
pub struct HealthFigures {
    pub respondents: usize,
    /// Per axis; None where too few gave it a value.
    pub means: Vec<Option<f64>>,
    /// Gaps in perception between partners, in words.
    pub gaps: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct LessonStory {
    pub stage: String,
    pub kind: String,
    pub text: String,
}

// --- sentences ---------------------------------------------------------------

/// One workstream's tasks, for the sentence and the table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lane {
    pub name: String,
    pub tasks: usize,
    pub finished: usize,
    pub overdue: usize,
    pub first: Option<i64>,
    pub last: Option<i64>,
}

fn lane_name(name: &str) -> String {
    if name.is_empty() {
        "No workstream".into()
    } else {
        name.to_string()
    }
}

/// The plan's tasks summed up by workstream, in name order.
pub fn lanes(plan: &Plan) -> Vec<Lane> {
    let mut by: BTreeMap<String, Lane> = BTreeMap::new();
    for b in &plan.bars {
        let l = by.entry(b.lane.clone()).or_insert_with(|| Lane {
            name: lane_name(&b.lane),
            ..Lane::default()
        });
        l.tasks += 1;
        l.finished += usize::from(b.finished);
        l.overdue += usize::from(b.overdue);
        l.first = Some(l.first.map_or(b.start, |f| f.min(b.start)));
        l.last = Some(l.last.map_or(b.end, |f| f.max(b.end)));
    }
    for (lane, finished) in &plan.undated {
        let l = by.entry(lane.clone()).or_insert_with(|| Lane {
            name: lane_name(lane),
            ..Lane::default()
        });
        l.tasks += 1;
        l.finished += usize::from(*finished);
    }
    by.into_values().collect()
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// What the timeline shows, in one sentence.
pub fn plan_sentence(plan: &Plan) -> String {
    let lanes = lanes(plan);
    let total: usize = lanes.iter().map(|l| l.tasks).sum();
    if total == 0 {
        return "There is no action plan yet: no tasks have been added.".into();
    }
    let finished: usize = lanes.iter().map(|l| l.finished).sum();
    let overdue: usize = lanes.iter().map(|l| l.overdue).sum();
    let head = format!(
        "{overdue} of {} {} overdue and {finished} {} done or cancelled",
        plural(total, "task", "tasks"),
        if overdue == 1 { "is" } else { "are" },
        if finished == 1 { "is" } else { "are" },
    );
    // Furthest behind: the most overdue, then the larger share overdue.
    let behind = lanes.iter().filter(|l| l.overdue > 0).max_by(|a, b| {
        (a.overdue, a.overdue * b.tasks)
            .cmp(&(b.overdue, b.overdue * a.tasks))
            .then_with(|| b.name.cmp(&a.name))
    });
    match behind {
        Some(l) if lanes.len() > 1 => format!(
            "{head}; the {} workstream is furthest behind, with {} overdue.",
            l.name,
            plural(l.overdue, "task", "tasks")
        ),
        Some(_) => format!("{head}."),
        None => format!("{head}; nothing is overdue."),
    }
}

/// How many risks are in each band, most serious first.
fn band_counts(r: &Risks) -> Vec<(&'static str, u32)> {
    let mut out: Vec<(&'static str, u32)> = Vec::new();
    for band in ["Very high", "High", "Medium", "Low"] {
        let mut n = 0;
        for i in 0..5 {
            for l in 0..5 {
                if r.bands[i][l] == band {
                    n += r.counts[i][l];
                }
            }
        }
        out.push((band, n));
    }
    out
}

/// What the heat map shows, in one sentence.
pub fn risk_sentence(r: &Risks) -> String {
    let total: u32 = r.counts.iter().flatten().sum();
    if total == 0 {
        return "No risks are open or being managed, so the heat map is empty.".into();
    }
    let parts: Vec<String> = band_counts(r)
        .into_iter()
        .map(|(b, n)| format!("{n} {}", b.to_lowercase()))
        .collect();
    format!(
        "{} open or being managed: {}, {}, {} and {}.",
        plural(total as usize, "risk is", "risks are"),
        parts[0],
        parts[1],
        parts[2],
        parts[3]
    )
}

fn overall(means: &[Option<f64>]) -> Option<f64> {
    let v: Vec<f64> = means.iter().flatten().copied().collect();
    (!v.is_empty()).then(|| (v.iter().sum::<f64>() / v.len() as f64 * 10.0).round() / 10.0)
}

/// The rounds of one kind with figures, oldest first.
fn shown<'a>(rounds: &'a [HealthRound], kind: &str) -> Vec<(&'a HealthRound, &'a HealthFigures)> {
    rounds
        .iter()
        .filter(|r| r.kind == kind)
        .filter_map(|r| r.figures.as_ref().ok().map(|f| (r, f)))
        .collect()
}

/// The kinds of round with figures, in the order first met.
fn kinds_shown(rounds: &[HealthRound]) -> Vec<String> {
    let mut kinds: Vec<String> = Vec::new();
    for r in rounds {
        if r.figures.is_ok() && !kinds.contains(&r.kind) {
            kinds.push(r.kind.clone());
        }
    }
    kinds
}

/// What the radar chart of one kind of round shows, in one sentence: the
/// latest round's strongest and weakest areas and the change since the
/// round before.
pub fn health_sentence(rounds: &[HealthRound], kind: &str) -> String {
    let list = shown(rounds, kind);
    let Some((r, f)) = list.last() else {
        return format!("No {} round has figures to show yet.", kind.to_lowercase());
    };
    let rated: Vec<(&String, f64)> = r
        .axes
        .iter()
        .zip(&f.means)
        .filter_map(|(a, m)| m.map(|m| (a, m)))
        .collect();
    let mut s = format!(
        "In {} round {} ({}), ",
        kind.to_lowercase(),
        r.number,
        plural(f.respondents, "person answered", "people answered")
    );
    let best = rated.iter().fold(None::<&(&String, f64)>, |b, x| match b {
        Some(b) if b.1 >= x.1 => Some(b),
        _ => Some(x),
    });
    let worst = rated.iter().fold(None::<&(&String, f64)>, |b, x| match b {
        Some(b) if b.1 <= x.1 => Some(b),
        _ => Some(x),
    });
    match (best, worst) {
        (Some(b), Some(w)) if b.1 == w.1 && rated.len() > 1 => {
            let _ = write!(s, "every area was rated {:.1} out of {}.", b.1, r.max);
        }
        (Some(b), Some(w)) if b.0 != w.0 => {
            let _ = write!(
                s,
                "{} was rated highest ({:.1} out of {}) and {} lowest ({:.1}).",
                b.0.to_lowercase(),
                b.1,
                r.max,
                w.0.to_lowercase(),
                w.1
            );
        }
        (Some(b), _) => {
            let _ = write!(
                s,
                "{} was rated {:.1} out of {}.",
                b.0.to_lowercase(),
                b.1,
                r.max
            );
        }
        _ => s.push_str("too few people rated any one area to show it."),
    }
    if list.len() > 1 {
        let (p, pf) = list[list.len() - 2];
        if let (Some(before), Some(now)) = (overall(&pf.means), overall(&f.means)) {
            let way = if now > before {
                "rose"
            } else if now < before {
                "fell"
            } else {
                "stayed"
            };
            let _ = write!(
                s,
                " The average across all areas {way} from {before:.1} in round {} to {now:.1}.",
                p.number
            );
        }
    }
    s
}

/// Days since 1970-01-01 as `YYYY-MM-DD`.
pub fn iso_from_days(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

// --- tables, shared by all three formats -----------------------------------

fn fmt_mean(m: Option<f64>) -> String {
    m.map_or_else(|| "Too few to show".into(), |m| format!("{m:.1}"))
}

fn lane_table(plan: &Plan) -> (Vec<String>, Vec<Vec<String>>) {
    let header = [
        "Workstream",
        "Tasks",
        "Done",
        "Overdue",
        "First start",
        "Last due",
    ]
    .map(String::from)
    .to_vec();
    let rows = lanes(plan)
        .into_iter()
        .map(|l| {
            vec![
                l.name,
                l.tasks.to_string(),
                l.finished.to_string(),
                l.overdue.to_string(),
                l.first.map(iso_from_days).unwrap_or_default(),
                l.last.map(iso_from_days).unwrap_or_default(),
            ]
        })
        .collect();
    (header, rows)
}

fn risk_table(r: &Risks) -> (Vec<String>, Vec<Vec<String>>) {
    let mut header = vec!["Impact \\ likelihood".to_string()];
    header.extend((0..5).map(|l| format!("{} {}", l + 1, r.likelihood_words[l])));
    let rows = (0..5)
        .rev()
        .map(|i| {
            let mut row = vec![format!("{} {}", i + 1, r.impact_words[i])];
            row.extend((0..5).map(|l| format!("{} ({})", r.counts[i][l], r.bands[i][l])));
            row
        })
        .collect();
    (header, rows)
}

fn health_table(rounds: &[HealthRound], kind: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let list = shown(rounds, kind);
    let axes = list.last().map(|(r, _)| r.axes.clone()).unwrap_or_default();
    let mut header = vec!["Round".to_string(), "Closed".into(), "People".into()];
    header.extend(axes.iter().cloned());
    let rows = list
        .iter()
        .map(|(r, f)| {
            let mut row = vec![
                r.number.to_string(),
                r.closes_on.clone(),
                f.respondents.to_string(),
            ];
            row.extend(axes.iter().map(|a| {
                let m = r
                    .axes
                    .iter()
                    .position(|x| x == a)
                    .and_then(|i| f.means.get(i).copied().flatten());
                fmt_mean(m)
            }));
            row
        })
        .collect();
    (header, rows)
}

fn radar_chart(rounds: &[HealthRound], kind: &str, id: &str) -> String {
    let list = shown(rounds, kind);
    let Some((last, _)) = list.last() else {
        return String::new();
    };
    let series: Vec<Series> = list
        .iter()
        .rev()
        .take(2)
        .map(|(r, f)| Series {
            name: format!("Round {} ({} people)", r.number, f.respondents),
            values: f.means.clone(),
        })
        .collect();
    radar_svg(
        id,
        &format!("{}: average rating out of {}", last.kind, last.max),
        &last.axes,
        &series,
        last.max,
    )
}

fn aim_lines(a: &AimStory) -> Vec<String> {
    let mut v = vec![format!(
        "Indicator: {}. Baseline {}, target {}{}.",
        a.indicator,
        a.baseline,
        a.target,
        if a.target_date.is_empty() {
            String::new()
        } else {
            format!(" by {}", a.target_date)
        }
    )];
    match &a.outcome {
        Some(o) => v.push(format!(
            "How it went: {o}.{}",
            if a.actual.is_empty() {
                String::new()
            } else {
                format!(" Actual value: {}.", a.actual)
            }
        )),
        None => v.push("Not reviewed yet.".into()),
    }
    v
}

fn agreement_line(a: &AgreementStory) -> String {
    format!(
        "{}, version {}: {}",
        a.kind,
        a.version,
        if a.agreed {
            "agreed by every partner organisation."
        } else {
            "not agreed yet."
        }
    )
}

fn unavailable_line(r: &HealthRound, why: &str) -> String {
    format!(
        "Round {} ({}, closing {}): no figures. {why}",
        r.number,
        r.kind.to_lowercase(),
        r.closes_on
    )
}

/// Section headings, in order, with their anchors.
pub const SECTIONS: [(&str, &str); 10] = [
    ("purpose", "Purpose"),
    ("partners", "Partners"),
    ("readiness", "Readiness to collaborate"),
    ("aims", "Aims and how they went"),
    ("agreement", "The agreement and its approvals"),
    ("plan", "The plan and what was done"),
    ("problems", "Problems and decisions"),
    ("risks", "Risks"),
    ("health", "Health of the partnership"),
    ("lessons", "Lessons learned"),
];

fn intro(s: &Story) -> String {
    format!(
        "The story of this collaboration from the first idea to the review, as it stands at the {} stage. Made on {}.",
        s.stage, s.made_on
    )
}

// --- Markdown ------------------------------------------------------------------

fn md_table(out: &mut String, header: &[String], rows: &[Vec<String>]) {
    let cells = |r: &[String]| {
        r.iter()
            .map(|c| md_escape(c))
            .collect::<Vec<_>>()
            .join(" | ")
    };
    let _ = writeln!(out, "| {} |", cells(header));
    let _ = writeln!(out, "|{}", " --- |".repeat(header.len()));
    for r in rows {
        let _ = writeln!(out, "| {} |", cells(r));
    }
    out.push('\n');
}

/// The report as Markdown. Charts become their sentence and table.
pub fn markdown(s: &Story) -> String {
    let mut o = String::new();
    if let Some(d) = &s.draft {
        let _ = writeln!(o, "> **{}**\n", md_escape(d));
    }
    let _ = writeln!(
        o,
        "# The story of {}\n\n{}\n",
        md_escape(&s.title),
        intro(s)
    );
    let h = |o: &mut String, i: usize| {
        let _ = writeln!(o, "## {}\n", SECTIONS[i].1);
    };
    h(&mut o, 0);
    let _ = writeln!(o, "{}\n", s.purpose.trim());
    h(&mut o, 1);
    for (name, role) in &s.partners {
        let _ = writeln!(o, "- {} ({})", md_escape(name), role.to_lowercase());
    }
    o.push('\n');
    h(&mut o, 2);
    match &s.readiness {
        None => o.push_str("No readiness check was done.\n\n"),
        Some(r) => match &r.groups {
            Err(why) => {
                let _ = writeln!(o, "Readiness check round {}: {}\n", r.round, md_escape(why));
            }
            Ok(groups) => {
                let _ = writeln!(o, "Readiness check round {}, average out of 5:\n", r.round);
                let rows: Vec<Vec<String>> = groups
                    .iter()
                    .map(|(g, m, b)| vec![g.clone(), fmt_mean(*m), b.clone()])
                    .collect();
                md_table(
                    &mut o,
                    &["Group".into(), "Average".into(), "Band".into()],
                    &rows,
                );
            }
        },
    }
    h(&mut o, 3);
    if s.aims.is_empty() {
        o.push_str("No shared aims were set.\n\n");
    }
    for a in &s.aims {
        let _ = writeln!(o, "### {}\n", md_escape(&a.title));
        for l in aim_lines(a) {
            let _ = writeln!(o, "{}\n", md_escape(&l));
        }
        if !a.evidence.trim().is_empty() {
            let _ = writeln!(o, "{}\n", a.evidence.trim());
        }
        for link in &a.links {
            let _ = writeln!(o, "- <{link}>");
        }
        if !a.links.is_empty() {
            o.push('\n');
        }
    }
    h(&mut o, 4);
    if s.agreements.is_empty() {
        o.push_str("No agreement was drawn up.\n\n");
    }
    for a in &s.agreements {
        let _ = writeln!(o, "{}\n", md_escape(&agreement_line(a)));
        for l in &a.approvals {
            let _ = writeln!(o, "- {}", md_escape(l));
        }
        for w in &a.waiting {
            let _ = writeln!(o, "- {} has not approved this version.", md_escape(w));
        }
        o.push('\n');
    }
    h(&mut o, 5);
    let _ = writeln!(o, "Timeline: {}\n", md_escape(&plan_sentence(&s.plan)));
    let (hd, rows) = lane_table(&s.plan);
    if !rows.is_empty() {
        md_table(&mut o, &hd, &rows);
    }
    h(&mut o, 6);
    if s.problems.is_empty() {
        o.push_str("No problems were raised.\n\n");
    } else {
        let (hd, rows) = problem_table(&s.problems);
        md_table(&mut o, &hd, &rows);
    }
    if s.decisions.is_empty() {
        o.push_str("No decisions were recorded.\n\n");
    } else {
        let rows: Vec<Vec<String>> = s.decisions.iter().map(decision_row).collect();
        md_table(
            &mut o,
            &["Decision", "What was decided", "On", "How"].map(String::from),
            &rows,
        );
    }
    h(&mut o, 7);
    let _ = writeln!(o, "Heat map: {}\n", md_escape(&risk_sentence(&s.risks)));
    let (hd, rows) = risk_table(&s.risks);
    md_table(&mut o, &hd, &rows);
    h(&mut o, 8);
    if s.health.is_empty() {
        o.push_str("No health check was run.\n\n");
    }
    for kind in kinds_shown(&s.health) {
        let _ = writeln!(
            o,
            "Chart: {}\n",
            md_escape(&health_sentence(&s.health, &kind))
        );
        let (hd, rows) = health_table(&s.health, &kind);
        md_table(&mut o, &hd, &rows);
    }
    for r in &s.health {
        match &r.figures {
            Err(why) => {
                let _ = writeln!(o, "- {}", md_escape(&unavailable_line(r, why)));
            }
            Ok(f) => {
                for g in &f.gaps {
                    let _ = writeln!(o, "- Round {}: {}", r.number, md_escape(g));
                }
            }
        }
    }
    o.push('\n');
    h(&mut o, 9);
    if s.lessons.is_empty() {
        o.push_str("No lessons were recorded.\n\n");
    }
    let mut stage = "";
    for l in &s.lessons {
        if l.stage != stage {
            stage = &l.stage;
            let _ = writeln!(o, "\n### {}\n", md_escape(stage));
        }
        let _ = writeln!(o, "- {}: {}", md_escape(&l.kind), md_escape(&l.text));
    }
    o
}

fn problem_table(problems: &[ProblemStory]) -> (Vec<String>, Vec<Vec<String>>) {
    let header = ["Problem", "Severity", "Status", "Resolution"]
        .map(String::from)
        .to_vec();
    let rows = problems
        .iter()
        .map(|p| {
            vec![
                p.description.clone(),
                p.severity.clone(),
                p.status.clone(),
                p.resolution.clone(),
            ]
        })
        .collect();
    (header, rows)
}

fn decision_row(d: &DecisionStory) -> Vec<String> {
    vec![
        d.title.clone(),
        d.decided.clone(),
        d.decided_on.clone(),
        if d.body.is_empty() {
            d.how.clone()
        } else {
            format!("{} ({})", d.how, d.body)
        },
    ]
}

// --- HTML ----------------------------------------------------------------------

fn html_table(o: &mut String, caption: &str, header: &[String], rows: &[Vec<String>]) {
    // A wide table scrolls on its own on a phone, so it can be reached and
    // scrolled from the keyboard, named by its caption.
    let n = o.matches("<table>").count() + 1;
    let _ = write!(
        o,
        "<div class=\"table\" role=\"region\" tabindex=\"0\" aria-labelledby=\"table-{n}\"><table>\n\
         <caption id=\"table-{n}\">{}</caption>\n<thead><tr>",
        xml_escape(caption)
    );
    for h in header {
        let _ = write!(o, "<th scope=\"col\">{}</th>", xml_escape(h));
    }
    o.push_str("</tr></thead>\n<tbody>\n");
    for r in rows {
        o.push_str("<tr>");
        for (i, c) in r.iter().enumerate() {
            if i == 0 {
                let _ = write!(o, "<th scope=\"row\">{}</th>", xml_escape(c));
            } else {
                let _ = write!(o, "<td>{}</td>", xml_escape(c));
            }
        }
        o.push_str("</tr>\n");
    }
    o.push_str("</tbody></table></div>\n");
}

fn figure(o: &mut String, svg: &str, sentence: &str) {
    let _ = write!(
        o,
        "<figure>\n<figcaption>{}</figcaption>\n<div class=\"chart\">{svg}</div>\n</figure>\n",
        xml_escape(sentence)
    );
}

const CSS: &str = "nav ol { columns: 2; }\n\
nav li { margin: 0; }\n\
nav a { display: inline-block; min-height: 24px; padding: 0.25rem 0; line-height: 1.5; }\n\
figure { margin: 1rem 0; break-inside: avoid; }\n\
figcaption { font-weight: bold; margin-bottom: 0.5rem; }\n\
.chart { overflow-x: auto; }\n\
.chart svg { max-width: 100%; height: auto; }\n\
.table { overflow-x: auto; }\n\
table { border-collapse: collapse; margin: 1rem 0; font-size: 0.9rem; }\n\
caption { text-align: left; font-weight: bold; padding-bottom: 0.25rem; }\n\
th, td { border: 1px solid #b1b4b6; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }\n\
thead th { background: #f3f2f1; }\n\
@media print { .chart { overflow: visible; } .chart svg { max-width: 100%; } section { break-before: auto; } }\n";

/// The report as one printable HTML file.
pub fn html(s: &Story) -> String {
    let mut o = String::new();
    if let Some(d) = &s.draft {
        let _ = writeln!(o, "<p class=\"draft\" role=\"note\">{}</p>", xml_escape(d));
    }
    let _ = writeln!(
        o,
        "<h1>The story of {}</h1>\n<p>{}</p>",
        xml_escape(&s.title),
        xml_escape(&intro(s))
    );
    o.push_str("<nav aria-label=\"Contents\"><h2 id=\"contents\">Contents</h2><ol>\n");
    for (id, t) in SECTIONS {
        let _ = writeln!(o, "<li><a href=\"#{id}\">{t}</a></li>");
    }
    o.push_str("</ol></nav>\n");
    let open = |o: &mut String, i: usize| {
        let _ = writeln!(
            o,
            "<section aria-labelledby=\"{0}\">\n<h2 id=\"{0}\">{1}</h2>",
            SECTIONS[i].0, SECTIONS[i].1
        );
    };
    open(&mut o, 0);
    o.push_str(&to_html(&s.purpose));
    o.push_str("</section>\n");
    open(&mut o, 1);
    o.push_str("<ul>\n");
    for (name, role) in &s.partners {
        let _ = writeln!(
            o,
            "<li>{} ({})</li>",
            xml_escape(name),
            xml_escape(&role.to_lowercase())
        );
    }
    o.push_str("</ul>\n</section>\n");
    open(&mut o, 2);
    match &s.readiness {
        None => o.push_str("<p>No readiness check was done.</p>\n"),
        Some(r) => match &r.groups {
            Err(why) => {
                let _ = writeln!(
                    o,
                    "<p>Readiness check round {}: {}</p>",
                    r.round,
                    xml_escape(why)
                );
            }
            Ok(groups) => {
                let rows: Vec<Vec<String>> = groups
                    .iter()
                    .map(|(g, m, b)| vec![g.clone(), fmt_mean(*m), b.clone()])
                    .collect();
                html_table(
                    &mut o,
                    &format!("Readiness check round {}, average out of 5", r.round),
                    &["Group".into(), "Average".into(), "Band".into()],
                    &rows,
                );
            }
        },
    }
    o.push_str("</section>\n");
    open(&mut o, 3);
    if s.aims.is_empty() {
        o.push_str("<p>No shared aims were set.</p>\n");
    }
    for a in &s.aims {
        let _ = writeln!(o, "<h3>{}</h3>", xml_escape(&a.title));
        for l in aim_lines(a) {
            let _ = writeln!(o, "<p>{}</p>", xml_escape(&l));
        }
        if !a.evidence.trim().is_empty() {
            o.push_str(&to_html(&a.evidence));
        }
        if !a.links.is_empty() {
            o.push_str("<ul>\n");
            for l in &a.links {
                let _ = writeln!(o, "<li>{}</li>", xml_escape(l));
            }
            o.push_str("</ul>\n");
        }
    }
    o.push_str("</section>\n");
    open(&mut o, 4);
    if s.agreements.is_empty() {
        o.push_str("<p>No agreement was drawn up.</p>\n");
    }
    for a in &s.agreements {
        let _ = writeln!(o, "<p>{}</p>\n<ul>", xml_escape(&agreement_line(a)));
        for l in &a.approvals {
            let _ = writeln!(o, "<li>{}</li>", xml_escape(l));
        }
        for w in &a.waiting {
            let _ = writeln!(
                o,
                "<li>{} has not approved this version.</li>",
                xml_escape(w)
            );
        }
        o.push_str("</ul>\n");
    }
    o.push_str("</section>\n");
    open(&mut o, 5);
    let sentence = plan_sentence(&s.plan);
    if s.plan.bars.is_empty() {
        let _ = writeln!(o, "<p>{}</p>", xml_escape(&sentence));
    } else {
        figure(
            &mut o,
            &timeline_svg(
                "story-timeline",
                &format!("Timeline: {}", s.title),
                &s.plan.bars,
                &s.plan.deps,
                s.plan.today,
            ),
            &sentence,
        );
    }
    let (hd, rows) = lane_table(&s.plan);
    if !rows.is_empty() {
        html_table(&mut o, "Tasks by workstream", &hd, &rows);
    }
    o.push_str("</section>\n");
    open(&mut o, 6);
    if s.problems.is_empty() {
        o.push_str("<p>No problems were raised.</p>\n");
    } else {
        let (hd, rows) = problem_table(&s.problems);
        html_table(&mut o, "Problems", &hd, &rows);
    }
    if s.decisions.is_empty() {
        o.push_str("<p>No decisions were recorded.</p>\n");
    } else {
        let rows: Vec<Vec<String>> = s.decisions.iter().map(decision_row).collect();
        html_table(
            &mut o,
            "Decisions",
            &["Decision", "What was decided", "On", "How"].map(String::from),
            &rows,
        );
    }
    o.push_str("</section>\n");
    open(&mut o, 7);
    figure(
        &mut o,
        &heatmap_svg(
            "story-heatmap",
            &format!("Risk heat map: {}", s.title),
            &HeatMap {
                counts: s.risks.counts,
                bands: s.risks.bands,
                likelihood_words: s.risks.likelihood_words,
                impact_words: s.risks.impact_words,
            },
        ),
        &risk_sentence(&s.risks),
    );
    let (hd, rows) = risk_table(&s.risks);
    html_table(&mut o, "Risks by impact and likelihood", &hd, &rows);
    o.push_str("</section>\n");
    open(&mut o, 8);
    if s.health.is_empty() {
        o.push_str("<p>No health check was run.</p>\n");
    }
    for (k, kind) in kinds_shown(&s.health).iter().enumerate() {
        figure(
            &mut o,
            &radar_chart(&s.health, kind, &format!("story-health-{k}")),
            &health_sentence(&s.health, kind),
        );
        let (hd, rows) = health_table(&s.health, kind);
        html_table(
            &mut o,
            &format!("{kind} rounds, average rating"),
            &hd,
            &rows,
        );
    }
    let notes: Vec<String> = s
        .health
        .iter()
        .flat_map(|r| match &r.figures {
            Err(why) => vec![unavailable_line(r, why)],
            Ok(f) => f
                .gaps
                .iter()
                .map(|g| format!("Round {}: {g}", r.number))
                .collect(),
        })
        .collect();
    if !notes.is_empty() {
        o.push_str("<ul>\n");
        for n in notes {
            let _ = writeln!(o, "<li>{}</li>", xml_escape(&n));
        }
        o.push_str("</ul>\n");
    }
    o.push_str("</section>\n");
    open(&mut o, 9);
    if s.lessons.is_empty() {
        o.push_str("<p>No lessons were recorded.</p>\n");
    }
    let mut stage = String::new();
    for l in &s.lessons {
        if l.stage != stage {
            if !stage.is_empty() {
                o.push_str("</ul>\n");
            }
            stage = l.stage.clone();
            let _ = writeln!(o, "<h3>{}</h3>\n<ul>", xml_escape(&stage));
        }
        let _ = writeln!(
            o,
            "<li><strong>{}:</strong> {}</li>",
            xml_escape(&l.kind),
            xml_escape(&l.text)
        );
    }
    if !stage.is_empty() {
        o.push_str("</ul>\n");
    }
    o.push_str("</section>\n");
    html_page(
        &format!("The story of {}", s.title),
        s.draft.as_deref(),
        CSS,
        &o,
    )
}

// --- PDF -----------------------------------------------------------------------

const INK: Rgb3 = (0.04, 0.05, 0.05);
const GREY: Rgb3 = (0.69, 0.71, 0.71);
const BLUE: Rgb3 = (0.11, 0.44, 0.72);
const BLUE_FILL: Rgb3 = (0.72, 0.83, 0.94);
const GREEN: Rgb3 = (0.0, 0.44, 0.24);
const GREEN_FILL: Rgb3 = (0.8, 0.89, 0.85);
const RED: Rgb3 = (0.64, 0.15, 0.17);
const RED_FILL: Rgb3 = (0.99, 0.89, 0.88);
const BROWN: Rgb3 = (0.44, 0.24, 0.0);

/// The timeline drawn as a Gantt chart: a row per dated task grouped by
/// workstream, bars from start to due date, milestones as diamonds,
/// overdue tasks red and labelled, a dashed line for today.
fn pdf_timeline(p: &mut Pages, plan: &Plan) {
    const LABEL: f32 = 60.0;
    const ROW: f32 = 2.6;
    let mut rows: Vec<&Bar> = plan.bars.iter().collect();
    rows.sort_by(|a, b| (&a.lane, a.start, a.id).cmp(&(&b.lane, b.start, b.id)));
    let first = rows
        .iter()
        .map(|b| b.start)
        .min()
        .unwrap_or(plan.today)
        .min(plan.today)
        - 2;
    let last = rows
        .iter()
        .map(|b| b.end)
        .max()
        .unwrap_or(plan.today)
        .max(plan.today)
        + 2;
    let span = (last - first).max(1) as f32;
    let x0 = MARGIN + LABEL;
    let cw = W - 2.0 * MARGIN - LABEL;
    let x = |day: i64| x0 + (day - first) as f32 * cw / span;
    // The scale: first day, today, last day.
    let top = p.room(6.0);
    p.text(x0, top + 3.0, 6.5, &iso_from_days(first));
    p.text_right(x0 + cw, top + 3.0, 6.5, &iso_from_days(last));
    p.text_centre(x(plan.today), top + 5.5, 6.5, "Today");
    let mut lane: Option<&str> = None;
    for b in rows {
        if lane != Some(b.lane.as_str()) {
            lane = Some(b.lane.as_str());
            if p.left() < 4.0 + ROW * 3.0 {
                p.new_page();
            }
            let top = p.room(4.0);
            p.text(MARGIN, top + 3.2, 7.5, &lane_name(&b.lane));
            p.line(
                &[(x(plan.today), top), (x(plan.today), top + 4.0)],
                INK,
                0.6,
                true,
            );
        }
        let top = p.room(ROW);
        let mut label: String = b.label.chars().take(40).collect();
        while p.metrics.width(&label, 5.5) > LABEL - 4.0 && label.pop().is_some() {}
        if label.chars().count() < b.label.chars().count() {
            label.push('\u{2026}');
        }
        p.text(MARGIN + 2.0, top + ROW * 0.8, 5.5, &label);
        let (fill, line) = if b.overdue {
            (RED_FILL, RED)
        } else if b.finished {
            (GREEN_FILL, GREEN)
        } else {
            (BLUE_FILL, BLUE)
        };
        let cy = top + ROW / 2.0;
        if b.milestone {
            let cx = x(b.start);
            p.polygon(
                &[
                    (cx, cy - 1.1),
                    (cx + 1.1, cy),
                    (cx, cy + 1.1),
                    (cx - 1.1, cy),
                ],
                Some(fill),
                Some(line),
            );
        } else {
            let (x1, x2) = (x(b.start), x(b.end + 1).max(x(b.start) + 0.6));
            p.rect(x1, top + 0.4, x2 - x1, ROW - 0.8, Some(fill), Some(line));
        }
        if b.overdue {
            p.text(x(b.end + 1) + 1.0, top + ROW * 0.8, 5.0, "Overdue");
        }
        p.line(
            &[(x(plan.today), top), (x(plan.today), top + ROW)],
            INK,
            0.6,
            true,
        );
    }
    let top = p.room(5.0);
    p.text(
        MARGIN,
        top + 4.0,
        6.5,
        "Key: blue open, green done or cancelled, red overdue (also labelled); diamonds are milestones; the dashed line is today.",
    );
}

fn band_fill(band: &str) -> Rgb3 {
    match band {
        "Low" => (0.91, 0.95, 0.89),
        "Medium" => (1.0, 0.96, 0.84),
        "High" => (0.99, 0.88, 0.78),
        _ => (0.97, 0.81, 0.82),
    }
}

/// The heat map: a 5 by 5 grid with the count and band in every cell.
fn pdf_heatmap(p: &mut Pages, r: &Risks) {
    const LEFT: f32 = 30.0;
    let cell_w = (W - 2.0 * MARGIN - LEFT) / 5.0;
    const CELL_H: f32 = 12.0;
    let top = p.room(10.0 + CELL_H * 5.0 + 4.0);
    let x0 = MARGIN + LEFT;
    p.text_centre(x0 + cell_w * 2.5, top + 3.0, 8.0, "Likelihood");
    for l in 0..5 {
        p.text_centre(
            x0 + cell_w * (l as f32 + 0.5),
            top + 8.0,
            6.5,
            &format!("{} {}", l + 1, r.likelihood_words[l]),
        );
    }
    p.text(MARGIN, top + 8.0, 7.0, "Impact");
    for row in 0..5 {
        let impact = 4 - row;
        let y = top + 10.0 + CELL_H * row as f32;
        p.text_right(
            x0 - 2.0,
            y + CELL_H / 2.0 + 1.0,
            6.5,
            &format!("{} {}", impact + 1, r.impact_words[impact]),
        );
        for l in 0..5 {
            let band = r.bands[impact][l];
            let cx = x0 + cell_w * l as f32;
            p.rect(
                cx,
                y,
                cell_w,
                CELL_H,
                Some(band_fill(band)),
                Some((0.31, 0.35, 0.37)),
            );
            p.text_centre(
                cx + cell_w / 2.0,
                y + 5.5,
                11.0,
                &r.counts[impact][l].to_string(),
            );
            p.text_centre(cx + cell_w / 2.0, y + 10.0, 6.0, band);
        }
    }
}

/// A radar chart: one axis per area, the latest round solid with
/// squares, the one before dashed with diamonds, and a key.
fn pdf_radar(p: &mut Pages, rounds: &[HealthRound], kind: &str) {
    let list = shown(rounds, kind);
    let Some((last, _)) = list.last() else {
        return;
    };
    const R: f32 = 32.0;
    let n = last.axes.len().max(3);
    let top = p.room(2.0 * R + 34.0);
    let (cx, cy) = (W / 2.0, top + R + 12.0);
    let at = |i: usize, v: f64| {
        let a = -std::f32::consts::FRAC_PI_2 + std::f32::consts::TAU * i as f32 / n as f32;
        let r = R * (v / last.max).clamp(0.0, 1.0) as f32;
        (cx + r * a.cos(), cy + r * a.sin())
    };
    for ring in 1..=(last.max as usize) {
        let pts: Vec<(f32, f32)> = (0..n).map(|i| at(i, ring as f64)).collect();
        p.polygon(&pts, None, Some(GREY));
        let (x, y) = at(0, ring as f64);
        p.text(x + 1.0, y + 1.0, 6.0, &ring.to_string());
    }
    for (i, label) in last.axes.iter().enumerate() {
        let end = at(i, last.max);
        p.line(&[(cx, cy), end], GREY, 0.4, false);
        let (lx, ly) = at(i, last.max * 1.12);
        if (lx - cx).abs() < 1.0 {
            p.text_centre(lx, ly + 1.0, 7.0, label);
        } else if lx > cx {
            p.text(lx, ly + 1.0, 7.0, label);
        } else {
            p.text_right(lx, ly + 1.0, 7.0, label);
        }
    }
    for (k, (r, f)) in list.iter().rev().take(2).enumerate() {
        let (colour, dashed) = if k == 0 { (BLUE, false) } else { (BROWN, true) };
        let mut pts: Vec<(f32, f32)> = (0..n)
            .map(|i| at(i, f.means.get(i).copied().flatten().unwrap_or(0.0)))
            .collect();
        pts.push(pts[0]);
        p.line(&pts, colour, 1.2, dashed);
        for (i, (x, y)) in pts.iter().take(n).enumerate() {
            if f.means.get(i).copied().flatten().is_none() {
                continue;
            }
            if k == 0 {
                p.rect(x - 0.9, y - 0.9, 1.8, 1.8, Some(colour), None);
            } else {
                p.polygon(
                    &[(*x, y - 1.2), (x + 1.2, *y), (*x, y + 1.2), (x - 1.2, *y)],
                    Some(colour),
                    None,
                );
            }
        }
        let ky = top + 2.0 * R + 26.0 + 4.0 * k as f32;
        p.line(
            &[(MARGIN, ky - 1.0), (MARGIN + 10.0, ky - 1.0)],
            colour,
            1.2,
            dashed,
        );
        p.text(
            MARGIN + 12.0,
            ky,
            7.0,
            &format!(
                "Round {} ({} people){}",
                r.number,
                f.respondents,
                if k == 0 {
                    ", solid with squares"
                } else {
                    ", dashed with diamonds"
                }
            ),
        );
    }
}

/// The report as PDF; a draft is marked on every page.
pub fn pdf(s: &Story) -> Result<Vec<u8>, String> {
    let mut p = Pages::new(&format!("The story of {}", s.title), s.draft.as_deref())?;
    if let Some(d) = &s.draft {
        p.para(14.0, 0.0, d);
    }
    p.para(20.0, 0.0, &format!("The story of {}", s.title));
    p.para(10.0, 0.0, &intro(s));
    let h = |p: &mut Pages, i: usize| p.heading(14.0, SECTIONS[i].1);
    h(&mut p, 0);
    markdown_pdf(&mut p, &s.purpose);
    h(&mut p, 1);
    for (name, role) in &s.partners {
        p.para(
            10.0,
            5.0,
            &format!("\u{2022} {name} ({})", role.to_lowercase()),
        );
    }
    h(&mut p, 2);
    match &s.readiness {
        None => p.para(10.0, 0.0, "No readiness check was done."),
        Some(r) => match &r.groups {
            Err(why) => p.para(
                10.0,
                0.0,
                &format!("Readiness check round {}: {why}", r.round),
            ),
            Ok(groups) => {
                p.para(
                    10.0,
                    0.0,
                    &format!("Readiness check round {}, average out of 5:", r.round),
                );
                let rows: Vec<Vec<String>> = groups
                    .iter()
                    .map(|(g, m, b)| vec![g.clone(), fmt_mean(*m), b.clone()])
                    .collect();
                p.table(
                    &[90.0, 30.0, 50.0],
                    &["Group".into(), "Average".into(), "Band".into()],
                    &rows,
                );
            }
        },
    }
    h(&mut p, 3);
    if s.aims.is_empty() {
        p.para(10.0, 0.0, "No shared aims were set.");
    }
    for a in &s.aims {
        p.para(12.0, 0.0, &a.title);
        for l in aim_lines(a) {
            p.para(10.0, 0.0, &l);
        }
        markdown_pdf(&mut p, &a.evidence);
        for l in &a.links {
            p.para(9.0, 5.0, &format!("\u{2022} {l}"));
        }
    }
    h(&mut p, 4);
    if s.agreements.is_empty() {
        p.para(10.0, 0.0, "No agreement was drawn up.");
    }
    for a in &s.agreements {
        p.para(10.0, 0.0, &agreement_line(a));
        for l in &a.approvals {
            p.para(10.0, 5.0, &format!("\u{2022} {l}"));
        }
        for w in &a.waiting {
            p.para(
                10.0,
                5.0,
                &format!("\u{2022} {w} has not approved this version."),
            );
        }
    }
    h(&mut p, 5);
    p.para(10.0, 0.0, &plan_sentence(&s.plan));
    let (hd, rows) = lane_table(&s.plan);
    if !rows.is_empty() {
        p.table(&[50.0, 18.0, 18.0, 20.0, 32.0, 32.0], &hd, &rows);
    }
    if !s.plan.bars.is_empty() {
        pdf_timeline(&mut p, &s.plan);
    }
    h(&mut p, 6);
    if s.problems.is_empty() {
        p.para(10.0, 0.0, "No problems were raised.");
    } else {
        let (hd, rows) = problem_table(&s.problems);
        p.table(&[60.0, 25.0, 25.0, 60.0], &hd, &rows);
    }
    if s.decisions.is_empty() {
        p.para(10.0, 0.0, "No decisions were recorded.");
    } else {
        let rows: Vec<Vec<String>> = s.decisions.iter().map(decision_row).collect();
        p.table(
            &[45.0, 70.0, 22.0, 33.0],
            &["Decision", "What was decided", "On", "How"].map(String::from),
            &rows,
        );
    }
    h(&mut p, 7);
    p.para(10.0, 0.0, &risk_sentence(&s.risks));
    pdf_heatmap(&mut p, &s.risks);
    h(&mut p, 8);
    if s.health.is_empty() {
        p.para(10.0, 0.0, "No health check was run.");
    }
    for kind in kinds_shown(&s.health) {
        p.para(10.0, 0.0, &health_sentence(&s.health, &kind));
        pdf_radar(&mut p, &s.health, &kind);
        let (hd, rows) = health_table(&s.health, &kind);
        let rest = (W - 2.0 * MARGIN - 50.0) / (hd.len().saturating_sub(3).max(1)) as f32;
        let mut widths = vec![14.0, 22.0, 14.0];
        widths.extend(std::iter::repeat_n(rest, hd.len().saturating_sub(3)));
        p.table(&widths, &hd, &rows);
    }
    for r in &s.health {
        match &r.figures {
            Err(why) => p.para(10.0, 5.0, &format!("\u{2022} {}", unavailable_line(r, why))),
            Ok(f) => {
                for g in &f.gaps {
                    p.para(10.0, 5.0, &format!("\u{2022} Round {}: {g}", r.number));
                }
            }
        }
    }
    h(&mut p, 9);
    if s.lessons.is_empty() {
        p.para(10.0, 0.0, "No lessons were recorded.");
    }
    let mut stage = "";
    for l in &s.lessons {
        if l.stage != stage {
            stage = &l.stage;
            p.para(12.0, 0.0, stage);
        }
        p.para(10.0, 5.0, &format!("\u{2022} {}: {}", l.kind, l.text));
    }
    p.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(id: i64, lane: &str, start: i64, end: i64, overdue: bool, finished: bool) -> Bar {
        Bar {
            id,
            label: format!("Task {id}"),
            lane: lane.into(),
            start,
            end,
            milestone: false,
            overdue,
            finished,
        }
    }

    fn risks() -> Risks {
        let mut bands = [["Low"; 5]; 5];
        bands[4] = ["Medium", "High", "High", "Very high", "Very high"];
        let mut counts = [[0; 5]; 5];
        counts[4][4] = 2;
        counts[0][0] = 1;
        Risks {
            counts,
            bands,
            likelihood_words: ["Rare", "Unlikely", "Possible", "Likely", "Almost certain"],
            impact_words: ["Negligible", "Minor", "Moderate", "Major", "Severe"],
        }
    }

    fn round(number: i64, figures: Result<Vec<Option<f64>>, &str>) -> HealthRound {
        HealthRound {
            number,
            kind: "Full review".into(),
            closes_on: format!("2026-0{number}-01"),
            max: 5.0,
            axes: vec![
                "Equity".into(),
                "Transparency".into(),
                "Mutual benefit".into(),
            ],
            figures: figures
                .map(|means| HealthFigures {
                    respondents: 6,
                    means,
                    gaps: vec![],
                })
                .map_err(String::from),
        }
    }

    #[test]
    fn the_plan_sentence_names_the_workstream_furthest_behind() {
        let plan = Plan {
            bars: vec![
                bar(1, "Communications", 1, 5, true, false),
                bar(2, "Communications", 1, 5, true, false),
                bar(3, "Premises", 1, 5, true, false),
                bar(4, "Premises", 1, 5, false, true),
            ],
            undated: vec![("Premises".into(), false)],
            deps: vec![],
            today: 10,
        };
        assert_eq!(
            plan_sentence(&plan),
            "3 of 5 tasks are overdue and 1 is done or cancelled; the Communications workstream is furthest behind, with 2 tasks overdue."
        );
        assert_eq!(
            plan_sentence(&Plan::default()),
            "There is no action plan yet: no tasks have been added."
        );
        let calm = Plan {
            bars: vec![bar(1, "", 1, 5, false, true)],
            ..Plan::default()
        };
        assert_eq!(
            plan_sentence(&calm),
            "0 of 1 task are overdue and 1 is done or cancelled; nothing is overdue."
        );
    }

    #[test]
    fn the_risk_sentence_counts_by_band() {
        assert_eq!(
            risk_sentence(&risks()),
            "3 risks are open or being managed: 2 very high, 0 high, 0 medium and 1 low."
        );
    }

    #[test]
    fn the_health_sentence_says_highest_lowest_and_the_change() {
        let rounds = vec![
            round(1, Ok(vec![Some(3.0), Some(2.0), Some(4.0)])),
            round(2, Err("The round is still open.")),
            round(3, Ok(vec![Some(4.5), Some(2.5), None])),
        ];
        assert_eq!(
            health_sentence(&rounds, "Full review"),
            "In full review round 3 (6 people answered), equity was rated highest (4.5 out of 5) and transparency lowest (2.5). The average across all areas rose from 3.0 in round 1 to 3.5."
        );
    }

    #[test]
    fn days_go_back_to_dates() {
        for d in [0, 11_017, 20_785, -1, 50_000] {
            assert_eq!(crate::timeline::days_from_iso(&iso_from_days(d)), Some(d));
        }
        assert_eq!(iso_from_days(20_785), "2026-11-28");
    }

    fn story(draft: bool) -> Story {
        Story {
            title: "Holiday meals <pilot>".into(),
            purpose: "Feed children in the **holidays**.".into(),
            stage: "Review".into(),
            made_on: "28 November 2026".into(),
            draft: draft.then(|| "Draft".to_string()),
            partners: vec![(
                "Cymdeithas Ŵyl Gymraeg Llanfair-ym-Muallt".into(),
                "Lead".into(),
            )],
            readiness: None,
            aims: vec![],
            agreements: vec![],
            plan: Plan {
                bars: vec![bar(1, "Food", 20_780, 20_790, true, false)],
                today: 20_785,
                ..Plan::default()
            },
            problems: vec![],
            decisions: vec![],
            risks: risks(),
            health: vec![
                round(1, Ok(vec![Some(3.0), Some(2.0), Some(4.0)])),
                round(2, Err("No figures while the round is open.")),
            ],
            lessons: vec![],
        }
    }

    #[test]
    fn every_format_has_every_section_and_the_draft_mark() {
        let s = story(true);
        let md = markdown(&s);
        let h = html(&s);
        assert!(md.starts_with("> **Draft**"), "{md}");
        assert!(h.contains("<p class=\"draft\" role=\"note\">Draft</p>"));
        for (id, title) in SECTIONS {
            assert!(md.contains(&format!("## {title}")), "{title}");
            assert!(
                h.contains(&format!("<h2 id=\"{id}\">{title}</h2>")),
                "{title}"
            );
        }
        assert!(h.contains("Holiday meals &lt;pilot&gt;"));
        assert!(!h.contains("<pilot>"));
        assert!(h.contains("<figcaption>1 of 1 task is overdue"), "{h}");
        assert_eq!(h.matches("<svg").count(), 3, "timeline, heat map, radar");
        assert!(!h.contains("<link") && !h.contains("<script") && !h.contains(" src="));
        let fin = story(false);
        assert!(!markdown(&fin).contains("Draft"));
        assert!(!html(&fin).contains("Draft"));
        let bytes = pdf(&s).unwrap();
        assert!(bytes.starts_with(b"%PDF"));
    }
}
