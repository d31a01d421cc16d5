//! The whole-story report of a collaboration as Markdown, one printable
//! HTML file or PDF, for everyone taking part (observers too).
//!
//! The data is read in one transaction, in a fixed number of statements
//! whatever the size of the collaboration (every list read whole, once;
//! nothing per row). Health check rounds go through the same domain
//! decision as the results pages (`commonground_domain::health_checks::
//! results`): a round still open or with too few respondents shows no
//! figures at all. Rendering runs on a blocking thread, so a big report
//! never holds up other requests. Each server keeps the rendered report
//! by collaboration and format with the collaboration's content revision,
//! its organisations' and the day (as the stage checklists are kept, see
//! [`super::stages`]); nothing in it depends on who reads it, so one copy
//! serves everyone taking part, and any write moves the revision on.

use super::collaborations::collab_for;
use super::health_checks::{axes, axis_means, state_of};
use crate::AppState;
use crate::auth::Actor;
use crate::error::AppError;
use commonground_domain::health_checks::Unavailable;
use commonground_domain::policy::CollabAction;
use commonground_domain::risks::{impact_words, likelihood_words};
use commonground_report::story::{
    AgreementStory, AimStory, DecisionStory, HealthFigures, HealthRound, LessonStory, Plan,
    ProblemStory, Readiness, Risks, Story,
};
use commonground_store::Tx;
use commonground_store::collaborations::{CollabScope, Collaboration};
use commonground_store::problems::ProblemFilter;
use commonground_store::tasks::{Page, TaskFilter};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Which file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Markdown,
    Html,
    Pdf,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Markdown => "md",
            Format::Html => "html",
            Format::Pdf => "pdf",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Markdown => "text/markdown; charset=utf-8",
            Format::Html => "text/html; charset=utf-8",
            Format::Pdf => "application/pdf",
        }
    }
}

/// Rendered reports by (collaboration, format), kept with the same key as
/// the stage checklists.
pub type StoryCache = crate::cache::Versioned<(i64, Format), super::stages::StageFactsKey, Vec<u8>>;

/// A rendered report and the name to save it under.
#[derive(Debug, Clone)]
pub struct Report {
    pub bytes: Arc<Vec<u8>>,
    pub title: String,
    pub format: Format,
}

impl Report {
    /// A file name: the title in lower-case ASCII letters and digits
    /// joined by hyphens (for the plain `filename`), and as written (for
    /// `filename*`).
    pub fn file_names(&self, id: i64) -> (String, String) {
        let mut ascii = String::new();
        for c in self.title.chars() {
            if c.is_ascii_alphanumeric() {
                ascii.push(c.to_ascii_lowercase());
            } else if !ascii.ends_with('-') && !ascii.is_empty() {
                ascii.push('-');
            }
            if ascii.len() >= 60 {
                break;
            }
        }
        let ascii = ascii.trim_end_matches('-');
        let ext = self.format.extension();
        let plain = if ascii.is_empty() {
            format!("collaboration-{id}-report.{ext}")
        } else {
            format!("{ascii}-report.{ext}")
        };
        (plain, format!("{} report.{ext}", self.title))
    }
}

/// The report in one format, for someone taking part (404 for anyone else).
pub async fn report(
    state: &AppState,
    actor: &Actor,
    id: i64,
    format: Format,
) -> Result<Report, AppError> {
    let today = super::tasks::today(state);
    let mut tx = state.store.read().await?;
    let (scope, _, collaboration, (own, organisations)) =
        collab_for(&mut tx, actor, id, CollabAction::View).await?;
    let key = (own, organisations, today.clone());
    let title = collaboration.title.clone();
    if let Some(bytes) = state.story_reports.get(&(id, format), &key) {
        return Ok(Report {
            bytes,
            title,
            format,
        });
    }
    let story = gather(state, &mut tx, &scope, collaboration, &today).await?;
    drop(tx);
    let bytes = tokio::task::spawn_blocking(move || render(&story, format))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(AppError::Internal)?;
    let bytes = Arc::new(bytes);
    state
        .story_reports
        .put((id, format), key, Arc::clone(&bytes));
    Ok(Report {
        bytes,
        title,
        format,
    })
}

/// Renders the story; PDF work is CPU-heavy, so callers run this on a
/// blocking thread.
pub fn render(story: &Story, format: Format) -> Result<Vec<u8>, String> {
    use commonground_report::story::{html, markdown, pdf};
    Ok(match format {
        Format::Markdown => markdown(story).into_bytes(),
        Format::Html => html(story).into_bytes(),
        Format::Pdf => pdf(story)?,
    })
}

const ALL: Page = Page {
    number: 1,
    size: 100_000,
};

/// Reads everything the report tells, in the caller's transaction.
pub async fn gather(
    state: &AppState,
    tx: &mut Tx,
    scope: &CollabScope,
    collaboration: Collaboration,
    today: &str,
) -> Result<Story, AppError> {
    let participants = tx.participants(scope).await?;
    let names: BTreeMap<i64, String> = participants
        .iter()
        .map(|p| (p.organisation_id, p.name.clone()))
        .collect();
    let partners = participants
        .into_iter()
        .map(|p| (p.name, p.role.label().to_string()))
        .collect();
    let readiness = readiness(state, tx, scope).await?;
    let reviewed = tx.reviewed_aims(scope).await?;
    let reviewed_count = reviewed.iter().filter(|a| a.review.is_some()).count();
    let final_report =
        commonground_domain::story::is_final(collaboration.stage, reviewed.len(), reviewed_count);
    let aims = reviewed
        .into_iter()
        .map(|a| {
            let r = a.review;
            AimStory {
                title: a.title,
                indicator: a.indicator,
                baseline: a.baseline,
                target: a.target,
                target_date: a.target_date.unwrap_or_default(),
                outcome: r.as_ref().map(|r| r.outcome.label().to_string()),
                actual: r.as_ref().map(|r| r.actual.clone()).unwrap_or_default(),
                evidence: r.as_ref().map(|r| r.evidence.clone()).unwrap_or_default(),
                links: r.map(|r| r.links).unwrap_or_default(),
            }
        })
        .collect();
    let agreements = tx
        .story_agreements(scope)
        .await?
        .into_iter()
        .map(|a| {
            let name = |id: i64| {
                a.parties
                    .iter()
                    .find(|p| p.0 == id)
                    .map(|p| p.1.clone())
                    .unwrap_or_default()
            };
            AgreementStory {
                kind: a.summary.kind.label().to_string(),
                version: a.summary.version,
                agreed: a.state.agreed,
                approvals: a
                    .current_approvals()
                    .into_iter()
                    .map(|x| {
                        format!(
                            "{} approved version {} on {}.",
                            x.organisation_name,
                            x.version,
                            crate::clock::format_time(x.approved_at)
                        )
                    })
                    .collect(),
                waiting: a.state.waiting.iter().map(|w| name(*w)).collect(),
            }
        })
        .collect();
    let (_, tasks) = tx.tasks(scope, &TaskFilter::default(), today, ALL).await?;
    let plan = Plan {
        bars: super::tasks::bars(&tasks, today),
        undated: tasks
            .iter()
            .filter(|t| t.start_on.is_none() && t.due_on.is_none())
            .map(|t| (t.workstream_name.clone(), !t.status.is_open()))
            .collect(),
        deps: tx.dependency_edges(scope).await?,
        today: commonground_report::timeline::days_from_iso(today).unwrap_or_default(),
    };
    let (_, problems) = tx.problems(scope, &ProblemFilter::default(), ALL).await?;
    let (_, decisions) = tx.decisions(scope, None, ALL).await?;
    let risks = Risks {
        counts: super::risks::cells(tx, scope).await?,
        bands: super::risks::cell_bands(),
        likelihood_words: [1, 2, 3, 4, 5].map(likelihood_words),
        impact_words: [1, 2, 3, 4, 5].map(impact_words),
    };
    let health = health(state, tx, scope, today, &names).await?;
    let (_, lessons) = tx.lessons(scope, ALL).await?;
    Ok(Story {
        title: collaboration.title,
        purpose: collaboration.purpose,
        stage: collaboration.stage.label().to_string(),
        made_on: today.to_string(),
        draft: (!final_report).then(|| commonground_domain::story::DRAFT_MARK.to_string()),
        partners,
        readiness,
        aims,
        agreements,
        plan,
        problems: problems
            .into_iter()
            .map(|p| ProblemStory {
                description: p.description,
                severity: p.severity.label().to_string(),
                status: p.status.label().to_string(),
                resolution: p.resolution,
            })
            .collect(),
        decisions: decisions
            .into_iter()
            .map(|d| DecisionStory {
                title: d.title,
                decided: d.decided,
                decided_on: d.decided_on,
                how: d.how.label().to_string(),
                body: d.governance_body_name,
            })
            .collect(),
        risks,
        health,
        lessons: lessons
            .into_iter()
            .map(|l| LessonStory {
                stage: l.stage.label().to_string(),
                kind: l.kind.label().to_string(),
                text: l.text,
            })
            .collect(),
    })
}

/// The latest readiness check's group results, as its page shows them.
async fn readiness(
    state: &AppState,
    tx: &mut Tx,
    scope: &CollabScope,
) -> Result<Option<Readiness>, AppError> {
    let t = state.config.readiness;
    let Some(round) = tx.readiness_rounds(scope).await?.into_iter().next() else {
        return Ok(None);
    };
    let r = super::readiness::round_results(state, tx, round, &t).await?;
    Ok(Some(Readiness {
        round: r.round.number,
        groups: match &r.results {
            None => Err(format!(
                "no results yet: they are shown once at least {} people have answered.",
                t.min_respondents.max(1)
            )),
            Some(res) => Ok(res
                .groups
                .iter()
                .map(|g| {
                    (
                        g.label.clone(),
                        g.mean,
                        g.band.map(|b| b.label()).unwrap_or("").to_string(),
                    )
                })
                .collect()),
        },
    }))
}

/// Every health check round, oldest first, with figures only where the
/// anonymity rules allow. The reason for no figures never gives a count.
async fn health(
    state: &AppState,
    tx: &mut Tx,
    scope: &CollabScope,
    today: &str,
    names: &BTreeMap<i64, String>,
) -> Result<Vec<HealthRound>, AppError> {
    let threshold = state.config.health_threshold;
    let mut rounds = tx.health_rounds(scope, 0).await?;
    rounds.reverse();
    if rounds.is_empty() {
        return Ok(Vec::new());
    }
    let mut responses = tx.story_health_responses(scope).await?;
    // Questionnaires are versioned data: a handful at most, read once each.
    let mut questionnaires = BTreeMap::new();
    let mut out = Vec::new();
    for r in rounds {
        if let std::collections::btree_map::Entry::Vacant(e) =
            questionnaires.entry(r.questionnaire_id)
        {
            e.insert(tx.health_questionnaire(r.questionnaire_id).await?);
        }
        let q = &questionnaires[&r.questionnaire_id];
        let axes = axes(q);
        let results = commonground_domain::health_checks::results(
            q,
            &state_of(&r, today),
            &responses.remove(&r.id).unwrap_or_default(),
            threshold,
        );
        out.push(HealthRound {
            number: r.number,
            kind: r.kind.label().to_string(),
            closes_on: r.closes_on.clone(),
            max: r.kind.max(),
            axes: axes.iter().map(|(_, l)| l.clone()).collect(),
            figures: match results {
                Ok(res) => Ok(HealthFigures {
                    respondents: res.respondents,
                    means: axis_means(q, &res, &axes),
                    gaps: res
                        .gaps
                        .iter()
                        .map(|g| {
                            g.sentence(
                                names
                                    .get(&g.organisation_id)
                                    .map(String::as_str)
                                    .unwrap_or("An organisation"),
                                q.kind,
                            )
                        })
                        .collect(),
                }),
                Err(Unavailable::StillOpen { closes_on }) => Err(format!(
                    "The round is open until {closes_on}; figures are shown only after it closes."
                )),
                Err(Unavailable::TooFew { needed, .. }) => Err(format!(
                    "Too few people answered to keep answers anonymous (at least {needed} are needed)."
                )),
            },
        });
    }
    Ok(out)
}

/// What the report page says before anyone downloads: whether the report
/// is still a draft and why.
#[derive(Debug, Clone)]
pub struct ReportOverview {
    pub collaboration: Collaboration,
    pub aims: i64,
    pub aims_reviewed: i64,
    pub is_final: bool,
}

pub async fn overview(
    state: &AppState,
    actor: &Actor,
    id: i64,
) -> Result<ReportOverview, AppError> {
    let mut tx = state.store.read().await?;
    let (scope, _, collaboration, _) = collab_for(&mut tx, actor, id, CollabAction::View).await?;
    let (aims, aims_reviewed) = tx.aim_review_counts(&scope).await?;
    Ok(ReportOverview {
        is_final: commonground_domain::story::is_final(
            collaboration.stage,
            usize::try_from(aims).unwrap_or(0),
            usize::try_from(aims_reviewed).unwrap_or(0),
        ),
        collaboration,
        aims,
        aims_reviewed,
    })
}
