//! The Identify stage as a whole: its checklist of outputs.
//!
//! Each part (readiness, goals, environment, benefits and risks, the
//! shortlist) has its own module; this one only says what "done" means.

use crate::stage::ChecklistItem;

/// What the collaboration holds for Identify, gathered by the store.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IdentifyFacts {
    pub collaboration_id: i64,
    /// Organisations taking part as lead, partner or facilitator, by name
    /// (observers only watch, so nothing is expected of them).
    pub contributing: Vec<(i64, String)>,
    /// Organisations with at least one answer in the latest readiness round.
    pub answered_readiness: Vec<i64>,
    /// Organisations with at least one goal for this collaboration.
    pub set_goals: Vec<i64>,
    pub environment_items: i64,
    pub benefits: i64,
    pub risks: i64,
    pub shortlisted: i64,
    /// All organisations taking part, observers included.
    pub participants: i64,
}

fn missing(facts: &IdentifyFacts, have: &[i64]) -> Vec<String> {
    facts
        .contributing
        .iter()
        .filter(|(id, _)| !have.contains(id))
        .map(|(_, name)| name.clone())
        .collect()
}

fn waiting_for(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => format!("Waiting for {one}."),
        [rest @ .., last] => format!("Waiting for {} and {last}.", rest.join(", ")),
    }
}

/// The Identify checklist, in the order the work usually happens.
pub fn checklist(facts: &IdentifyFacts) -> Vec<ChecklistItem> {
    let base = format!("/collaborations/{}", facts.collaboration_id);
    let not_answered = missing(facts, &facts.answered_readiness);
    let no_goals = missing(facts, &facts.set_goals);
    vec![
        ChecklistItem {
            key: "readiness_taken",
            label: "Readiness check taken by every organisation",
            done: !facts.contributing.is_empty() && not_answered.is_empty(),
            detail: if facts.answered_readiness.is_empty() {
                "Nobody has answered the readiness check yet.".to_string()
            } else if not_answered.is_empty() {
                "Every organisation has answered.".to_string()
            } else {
                waiting_for(&not_answered)
            },
            href: format!("{base}/readiness"),
        },
        ChecklistItem {
            key: "goals_set",
            label: "Each organisation's own goals set",
            done: !facts.contributing.is_empty() && no_goals.is_empty(),
            detail: if facts.set_goals.is_empty() {
                "No goals yet.".to_string()
            } else if no_goals.is_empty() {
                "Every organisation has set its goals.".to_string()
            } else {
                waiting_for(&no_goals)
            },
            href: format!("{base}/goals"),
        },
        ChecklistItem {
            key: "environment_mapped",
            label: "Strategic environment looked at (SWOT or PESTLE)",
            done: facts.environment_items > 0,
            detail: match facts.environment_items {
                0 => "No strengths, weaknesses, opportunities or threats noted yet.".to_string(),
                1 => "1 item noted.".to_string(),
                n => format!("{n} items noted."),
            },
            href: format!("{base}/environment"),
        },
        ChecklistItem {
            key: "benefits_and_risks_weighed",
            label: "Benefits and risks weighed",
            done: facts.benefits > 0 && facts.risks > 0,
            detail: format!(
                "{} and {}.",
                plural(facts.benefits, "benefit", "benefits"),
                plural(facts.risks, "risk", "risks")
            ),
            href: format!("{base}/benefits-risks"),
        },
        ChecklistItem {
            key: "partners_shortlisted",
            label: "Possible partners shortlisted",
            done: facts.shortlisted > 0 || facts.participants > 1,
            detail: if facts.shortlisted > 0 {
                format!(
                    "{} on the shortlist.",
                    plural(facts.shortlisted, "organisation", "organisations")
                )
            } else if facts.participants > 1 {
                "Partners have already joined.".to_string()
            } else {
                "Nobody on the shortlist yet. Find partners in the directory.".to_string()
            },
            href: format!("{base}/shortlist"),
        },
    ]
}

fn plural(n: i64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stage::completion_percent;

    fn facts() -> IdentifyFacts {
        IdentifyFacts {
            collaboration_id: 7,
            contributing: vec![
                (1, "Ty Llŷn".into()),
                (2, "Hope & Co".into()),
                (3, "Oak".into()),
            ],
            participants: 3,
            ..Default::default()
        }
    }

    #[test]
    fn nothing_done_is_zero_percent() {
        let items = checklist(&IdentifyFacts {
            participants: 1,
            ..facts()
        });
        assert!(items.iter().all(|i| !i.done));
        assert_eq!(completion_percent(&items), 0);
        assert_eq!(items[0].href, "/collaborations/7/readiness");
    }

    #[test]
    fn each_organisation_must_answer_and_set_goals() {
        let mut f = facts();
        f.answered_readiness = vec![1, 3];
        f.set_goals = vec![2];
        let items = checklist(&f);
        assert!(!items[0].done);
        assert_eq!(items[0].detail, "Waiting for Hope & Co.");
        assert!(!items[1].done);
        assert_eq!(items[1].detail, "Waiting for Ty Llŷn and Oak.");
        f.answered_readiness = vec![3, 2, 1];
        f.set_goals = vec![1, 2, 3];
        let items = checklist(&f);
        assert!(items[0].done && items[1].done);
        // Partners joined counts as shortlisting done.
        assert!(items[4].done);
        assert_eq!(completion_percent(&items), 60);
    }

    #[test]
    fn benefits_and_risks_need_both() {
        let mut f = facts();
        f.benefits = 2;
        assert!(!checklist(&f)[3].done);
        f.risks = 1;
        let items = checklist(&f);
        assert!(items[3].done);
        assert_eq!(items[3].detail, "2 benefits and 1 risk.");
        f.environment_items = 1;
        f.answered_readiness = vec![1, 2, 3];
        f.set_goals = vec![1, 2, 3];
        assert_eq!(completion_percent(&checklist(&f)), 100);
    }
}
