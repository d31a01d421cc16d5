//! Finding partners: the directory of organisations on the platform and
//! charities on the register, searched by words and filters, and (for a
//! collaboration the person takes part in) how well each fits its lead.

use crate::AppState;
use crate::auth::Actor;
use crate::error::AppError;
use commonground_domain::FieldErrors;
use commonground_domain::collaborations::ParticipantRole;
use commonground_domain::policy::{CollabAction, may_collab};
use commonground_domain::register::{ClassificationKind, IncomeBand, Status};
use commonground_store::directory::{DirectoryEntry, DirectoryQuery, MAX_PAGE};
use commonground_store::fit::FitFacts;
use commonground_store::register::ClassificationLabel;

/// Results a page shows.
pub const PER_PAGE: u32 = 20;
/// The longest query kept; anything longer is cut, never refused.
pub const MAX_QUERY_CHARS: usize = 500;
/// Sorting by fit reorders this many of the most relevant results: fit is
/// worked out per result, so it cannot rank the whole register.
pub const FIT_WINDOW: u32 = 100;

/// A search as typed into the form or the API's query string. Every field
/// is text, so nothing a person types fails to be read.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(default)]
pub struct SearchInput {
    pub q: String,
    pub what: String,
    pub who: String,
    pub how: String,
    pub area: String,
    pub income: String,
    pub status: String,
    pub page: String,
    pub collaboration_id: String,
    /// `relevance` (the default) or `fit`.
    pub sort: String,
}

/// The search, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Search {
    pub query: DirectoryQuery,
    pub collaboration_id: Option<i64>,
    /// Best fit first, among the [`FIT_WINDOW`] most relevant.
    pub by_fit: bool,
}

fn codes(field: &str, raw: &str, kind: ClassificationKind, errors: &mut FieldErrors) -> Vec<i64> {
    let mut out = Vec::new();
    for part in raw.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        match part.parse::<i64>() {
            Ok(code) if ClassificationKind::of_code(code) == Some(kind) => out.push(code),
            _ => errors.add(
                field,
                match kind {
                    ClassificationKind::What => "Choose a cause from the list (codes 101 to 117).",
                    ClassificationKind::Who => {
                        "Choose who is helped from the list (codes 201 to 207)."
                    }
                    ClassificationKind::How => {
                        "Choose how they help from the list (codes 301 to 310)."
                    }
                },
            ),
        }
    }
    out
}

/// Checks a search. Words are never refused (they are cut to a sensible
/// length); filters must be values the directory knows.
pub fn parse_search(input: &SearchInput) -> Result<Search, FieldErrors> {
    let mut errors = FieldErrors::new();
    let what = codes("what", &input.what, ClassificationKind::What, &mut errors);
    let who = codes("who", &input.who, ClassificationKind::Who, &mut errors);
    let how = codes("how", &input.how, ClassificationKind::How, &mut errors);
    let mut income_bands = Vec::new();
    for part in input
        .income
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        match IncomeBand::parse_code(part) {
            Some(b) => income_bands.push(b),
            None => errors.add("income", "Choose an income band from the list."),
        }
    }
    let status = match input.status.trim() {
        "" | "any" => None,
        other => match Status::parse_code(other) {
            Some(s) => Some(s),
            None => {
                errors.add("status", "Choose registered or removed, or any.");
                None
            }
        },
    };
    let page = match input.page.trim() {
        "" => 1,
        p => match p.parse::<u32>() {
            Ok(n) if (1..=MAX_PAGE).contains(&n) => n,
            _ => {
                errors.add("page", format!("Choose a page from 1 to {MAX_PAGE}."));
                1
            }
        },
    };
    // Like an id in a path, one that cannot be read is simply not found
    // (no collaboration has id 0).
    let collaboration_id = match input.collaboration_id.as_str() {
        "" => None,
        c => Some(c.parse::<i64>().unwrap_or(0)),
    };
    let by_fit = match input.sort.trim() {
        "" | "relevance" => false,
        "fit" if collaboration_id.is_some() => true,
        "fit" => {
            errors.add(
                "sort",
                "Fit is judged against a collaboration. Choose one first, from its Identify page.",
            );
            false
        }
        _ => {
            errors.add("sort", "Choose relevance or fit.");
            false
        }
    };
    if by_fit && page > FIT_WINDOW / PER_PAGE {
        errors.add(
            "page",
            format!(
                "Sorted by fit, there are at most {} pages.",
                FIT_WINDOW / PER_PAGE
            ),
        );
    }
    let areas = input
        .area
        .split(',')
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .take(10)
        .map(|a| a.chars().take(200).collect())
        .collect();
    errors.into_result()?;
    Ok(Search {
        query: DirectoryQuery {
            text: input.q.chars().take(MAX_QUERY_CHARS).collect(),
            what,
            who,
            how,
            areas,
            income_bands,
            status,
            page,
            per_page: PER_PAGE,
        },
        collaboration_id,
        by_fit,
    })
}

/// One result, with how well it fits the collaboration when asked.
#[derive(Debug, Clone)]
pub struct Found {
    pub entry: DirectoryEntry,
    pub fit: Option<commonground_domain::fit::Fit>,
}

/// What the directory page and API show.
#[derive(Debug, Clone)]
pub struct DirectoryView {
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
    pub results: Vec<Found>,
    /// Every classification the register describes, for filters and labels.
    pub labels: std::sync::Arc<Vec<ClassificationLabel>>,
    /// Sorted by fit, among the most relevant [`FIT_WINDOW`].
    pub by_fit: bool,
    /// The collaboration results are judged against, when the person takes
    /// part in it: its id, title, and whether they may add to its shortlist.
    pub collaboration: Option<(i64, String, bool)>,
}

impl DirectoryView {
    pub fn label(&self, code: i64) -> Option<&str> {
        self.labels
            .iter()
            .find(|l| l.code == code)
            .map(|l| l.description.as_str())
    }
}

fn profile(facts: &FitFacts) -> commonground_domain::fit::FitProfile {
    commonground_domain::fit::FitProfile {
        classifications: facts.classifications.clone(),
        causes: facts.causes.clone(),
        areas: facts.areas.clone(),
        income: facts.income,
    }
}

pub async fn search(
    state: &AppState,
    actor: &Actor,
    search: &Search,
) -> Result<DirectoryView, AppError> {
    let mut tx = state.store.read().await?;
    // The collaboration first: a foreign id is not found, whatever else.
    let mut lead = None;
    let mut collaboration = None;
    if let Some(id) = search.collaboration_id {
        let (scope, _, c, _) =
            super::collaborations::collab_for(&mut tx, actor, id, CollabAction::View).await?;
        let can_add = may_collab(
            scope.participations(),
            CollabAction::Contribute,
            actor.acting_organisation_id,
        )
        .is_some();
        let lead_org = tx
            .participants(&scope)
            .await?
            .into_iter()
            .find(|p| p.role == ParticipantRole::Lead)
            .map(|p| p.organisation_id);
        if let Some(org) = lead_org {
            lead = tx.fit_facts_of_organisation(org).await?;
        }
        collaboration = Some((c.id, c.title, can_add));
    }
    let directory = state.directory().await?;
    let labels = directory.classification_labels();
    let by_fit = search.by_fit && lead.is_some();
    let page = if by_fit {
        directory.search(&DirectoryQuery {
            page: 1,
            per_page: FIT_WINDOW,
            ..search.query.clone()
        })?
    } else {
        directory.search(&search.query)?
    };
    // Platform organisations the register does not classify are compared
    // by the causes they list.
    let unclassified: Vec<i64> = page
        .results
        .iter()
        .filter(|e| e.classifications.is_empty())
        .filter_map(|e| e.organisation_id)
        .collect();
    let causes = if lead.is_some() {
        tx.causes_of_organisations(&unclassified).await?
    } else {
        Vec::new()
    };
    drop(tx);
    let label_of = |code: i64| {
        labels
            .iter()
            .find(|l| l.code == code)
            .map(|l| l.description.clone())
    };
    let mut results: Vec<Found> = page
        .results
        .into_iter()
        .map(|entry| {
            let fit = lead.as_ref().map(|lead| {
                let candidate = FitFacts {
                    organisation_id: entry.organisation_id,
                    org_identifier: entry.org_identifier.clone(),
                    causes: entry
                        .organisation_id
                        .and_then(|id| causes.iter().find(|(o, _)| *o == id))
                        .map(|(_, c)| c.clone())
                        .unwrap_or_default(),
                    areas: entry.areas.clone(),
                    classifications: entry.classifications.clone(),
                    income: entry.latest_income,
                };
                commonground_domain::fit::fit(&profile(lead), &profile(&candidate), &label_of)
            });
            Found { entry, fit }
        })
        .collect();
    let (total, page_no, per_page) = if by_fit {
        // Best fit first; equal fits keep their order of relevance.
        results.sort_by_key(|f| std::cmp::Reverse(f.fit.as_ref().map_or(0, |x| x.score)));
        let per_page = search.query.per_page.clamp(1, FIT_WINDOW);
        let start = ((search.query.page.max(1) - 1) * per_page) as usize;
        let total = results.len() as u64;
        results = results
            .into_iter()
            .skip(start)
            .take(per_page as usize)
            .collect();
        (total, search.query.page.max(1), per_page)
    } else {
        (page.total, page.page, page.per_page)
    };
    Ok(DirectoryView {
        total,
        page: page_no,
        per_page,
        results,
        labels,
        collaboration,
        by_fit,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_never_refused_and_filters_are_checked() {
        let long = "ŷ".repeat(5000);
        for q in ["", "\"", "*", "%", "a AND -b", "' OR 1=1 --", long.as_str()] {
            let s = parse_search(&SearchInput {
                q: q.into(),
                ..Default::default()
            })
            .unwrap();
            assert!(s.query.text.chars().count() <= MAX_QUERY_CHARS);
            assert_eq!(s.query.page, 1);
        }
        let s = parse_search(&SearchInput {
            what: "102, 104".into(),
            who: "201".into(),
            how: "302".into(),
            income: "10k-100k".into(),
            status: "registered".into(),
            page: "3".into(),
            collaboration_id: "9".into(),
            area: "Leeds City, Wales".into(),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(s.query.what, vec![102, 104]);
        assert_eq!(s.query.who, vec![201]);
        assert_eq!(s.query.how, vec![302]);
        assert_eq!(s.query.income_bands, vec![IncomeBand::From10kTo100k]);
        assert_eq!(s.query.status, Some(Status::Registered));
        assert_eq!(
            s.query.areas,
            vec!["Leeds City".to_string(), "Wales".into()]
        );
        assert_eq!((s.query.page, s.collaboration_id), (3, Some(9)));
        let e = parse_search(&SearchInput {
            what: "201".into(),
            who: "x".into(),
            income: "lots".into(),
            status: "gone".into(),
            page: "0".into(),
            collaboration_id: "one".into(),
            ..Default::default()
        })
        .unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["what", "who", "income", "status", "page"]);
        let odd = parse_search(&SearchInput {
            collaboration_id: " ".into(),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(
            odd.collaboration_id,
            Some(0),
            "an unreadable id is one nobody has"
        );
    }
}
