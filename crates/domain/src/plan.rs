//! The Plan stage as a whole: its checklist of outputs.
//!
//! Each part has its own module (the collaboration model and due diligence
//! here; shared aims, governance, responsibilities and the agreement in
//! theirs); this one only says what "done" means for the stage.

use crate::due_diligence::Progress;
use crate::model::Model;
use crate::stage::ChecklistItem;

/// Where a part of the stage stands, as its own module reports it. Until
/// a part reports, it is [`PartStatus::NotStarted`]: the checklist never
/// claims more than the collaboration holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum PartStatus {
    #[default]
    NotStarted,
    /// Begun, with a sentence on what is still missing.
    InProgress(String),
    /// Done, with a sentence on what is there.
    Done(String),
}

/// The model chosen, as the checklist needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChosenModel {
    pub model: Model,
    pub organisation_name: String,
}

/// What the collaboration holds for Plan, gathered by the store.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlanFacts {
    pub collaboration_id: i64,
    pub model: Option<ChosenModel>,
    /// Set when the model chosen needs due diligence.
    pub due_diligence: Option<Progress>,
    /// Shared aims, approved by every partner organisation.
    pub aims: PartStatus,
    /// Governance bodies set up.
    pub governance: PartStatus,
    /// The responsibilities matrix agreed.
    pub responsibilities: PartStatus,
    /// The agreement approved by every partner on the same version.
    pub agreement: PartStatus,
}

fn part(
    key: &'static str,
    label: &'static str,
    status: &PartStatus,
    not_started: &str,
    href: String,
) -> ChecklistItem {
    let (done, detail) = match status {
        PartStatus::NotStarted => (false, not_started.to_string()),
        PartStatus::InProgress(d) => (false, d.clone()),
        PartStatus::Done(d) => (true, d.clone()),
    };
    ChecklistItem {
        key,
        label,
        done,
        detail,
        href,
    }
}

/// The Plan checklist, in the order the work usually happens.
pub fn checklist(facts: &PlanFacts) -> Vec<ChecklistItem> {
    let base = format!("/collaborations/{}", facts.collaboration_id);
    let model_detail = match (&facts.model, &facts.due_diligence) {
        (None, _) => "No model chosen yet. Answer a few questions for a suggestion.".to_string(),
        (Some(c), None) => format!("{}, chosen by {}.", c.model.label(), c.organisation_name),
        (Some(c), Some(p)) => format!(
            "{}, chosen by {}. {}",
            c.model.label(),
            c.organisation_name,
            p.sentence()
        ),
    };
    vec![
        ChecklistItem {
            key: "model_chosen",
            label: "Collaboration model chosen",
            done: facts.model.is_some(),
            detail: model_detail,
            href: format!("{base}/model"),
        },
        part(
            "aims_approved",
            "Shared aims approved by every partner",
            &facts.aims,
            "No shared aims yet.",
            format!("{base}/aims"),
        ),
        part(
            "governance_set",
            "Governance set up",
            &facts.governance,
            "No governance bodies yet.",
            format!("{base}/governance"),
        ),
        part(
            "responsibilities_agreed",
            "Responsibilities agreed",
            &facts.responsibilities,
            "No responsibilities matrix yet.",
            format!("{base}/responsibilities"),
        ),
        part(
            "agreement_agreed",
            "Agreement agreed by every partner",
            &facts.agreement,
            "No agreement yet.",
            format!("{base}/agreements"),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::due_diligence::ItemStatus;
    use crate::stage::completion_percent;

    #[test]
    fn nothing_recorded_is_nothing_done() {
        let items = checklist(&PlanFacts {
            collaboration_id: 4,
            ..Default::default()
        });
        assert_eq!(items.len(), 5);
        assert!(items.iter().all(|i| !i.done));
        assert_eq!(completion_percent(&items), 0);
        assert_eq!(items[0].href, "/collaborations/4/model");
        assert_eq!(items[1].detail, "No shared aims yet.");
    }

    #[test]
    fn a_chosen_model_is_done_with_due_diligence_as_a_sub_line() {
        let mut f = PlanFacts {
            collaboration_id: 4,
            model: Some(ChosenModel {
                model: Model::JointProject,
                organisation_name: "Ty Llŷn".into(),
            }),
            ..Default::default()
        };
        let items = checklist(&f);
        assert!(items[0].done);
        assert_eq!(
            items[0].detail,
            "Joint project or joint delivery, chosen by Ty Llŷn."
        );
        assert_eq!(completion_percent(&items), 20);
        f.model = Some(ChosenModel {
            model: Model::Merger,
            organisation_name: "Oak".into(),
        });
        f.due_diligence = Some(Progress::of(&[ItemStatus::Done, ItemStatus::NotStarted]));
        assert_eq!(
            checklist(&f)[0].detail,
            "Merger, chosen by Oak. Due diligence: 1 of 2 areas done or not applicable."
        );
    }

    #[test]
    fn other_parts_count_only_when_done() {
        let f = PlanFacts {
            collaboration_id: 1,
            aims: PartStatus::InProgress("Waiting for Oak to approve.".into()),
            governance: PartStatus::Done("A steering group.".into()),
            responsibilities: PartStatus::Done("Agreed.".into()),
            agreement: PartStatus::Done("Agreed.".into()),
            ..Default::default()
        };
        let items = checklist(&f);
        assert!(!items[1].done);
        assert_eq!(items[1].detail, "Waiting for Oak to approve.");
        assert_eq!(completion_percent(&items), 60);
    }
}
