//! The one place that decides who may do what.
//!
//! Callers gather the facts (which organisations the person belongs to, in
//! which roles, and how those organisations take part in a collaboration)
//! and ask here. Anything not allowed is answered as "not found" by the web
//! layer, so a person cannot learn that something they may not see exists.

use crate::collaborations::ParticipantRole;
use crate::organisations::OrgRole;

/// Something a person might do to an organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrgAction {
    /// Read the public profile. Any signed-in person may: the directory of
    /// organisations is how partners find each other.
    ViewProfile,
    /// See the member list, open collaborations for it, leave it.
    ViewMembers,
    OpenCollaboration,
    Leave,
    /// Admin-only work.
    EditProfile,
    ManageMembers,
    ViewAudit,
    RespondToCollaborationInvitation,
    /// See, add and change the organisation's own goals for collaborating.
    ManageGoals,
    /// Download everything the organisation holds (members' emails
    /// included): admins only.
    ExportData,
}

/// May a person with `role` in the organisation (None: not a member) do `action`?
pub fn may_org(role: Option<OrgRole>, action: OrgAction) -> bool {
    match action {
        OrgAction::ViewProfile => true,
        OrgAction::ViewMembers
        | OrgAction::OpenCollaboration
        | OrgAction::Leave
        | OrgAction::ManageGoals => role.is_some(),
        OrgAction::EditProfile
        | OrgAction::ManageMembers
        | OrgAction::ViewAudit
        | OrgAction::RespondToCollaborationInvitation
        | OrgAction::ExportData => role == Some(OrgRole::Admin),
    }
}

/// Something a person might do in a collaboration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CollabAction {
    /// See the collaboration, its partners and its audit trail.
    View,
    /// Change the title and purpose, move the stage on or back.
    EditDetails,
    MoveStage,
    /// Invite organisations, withdraw invitations, change roles, remove partners.
    ManageParticipants,
    /// Take one's own organisation out of the collaboration.
    Leave,
    /// Add to and change the stages' shared work: answer the readiness
    /// check, add goals, risks and shortlisted partners. Leads, partners
    /// and facilitators may; observers read only.
    Contribute,
    /// Approve the shared aims and agreements for one's organisation:
    /// admins of the lead and partner organisations (the parties, see
    /// [`crate::approval::is_party`]).
    Approve,
}

/// One of the person's organisations that has joined the collaboration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Participation {
    pub organisation_id: i64,
    pub participant_role: ParticipantRole,
    pub org_role: OrgRole,
}

/// Decides whether the person may do `action`, and if so on behalf of which
/// of their organisations. `preferred` is the organisation they have chosen
/// to act for; it wins when it qualifies. Otherwise the lowest id does, so
/// the answer never depends on the order facts were read in.
pub fn may_collab(
    participations: &[Participation],
    action: CollabAction,
    preferred: Option<i64>,
) -> Option<i64> {
    let allowed = |p: &&Participation| -> bool {
        let lead = p.participant_role == ParticipantRole::Lead;
        let admin = p.org_role == OrgRole::Admin;
        match action {
            CollabAction::View => true,
            CollabAction::EditDetails | CollabAction::MoveStage => lead,
            CollabAction::ManageParticipants => lead && admin,
            CollabAction::Leave => !lead && admin,
            CollabAction::Contribute => p.participant_role != ParticipantRole::Observer,
            CollabAction::Approve => admin && crate::approval::is_party(p.participant_role),
        }
    };
    let qualifying: Vec<&Participation> = participations.iter().filter(allowed).collect();
    if let Some(pref) = preferred
        && qualifying.iter().any(|p| p.organisation_id == pref)
    {
        return Some(pref);
    }
    qualifying.iter().map(|p| p.organisation_id).min()
}

/// May a person cast `organisation`'s vote on a proposal? `participation`
/// is how the person belongs to that organisation in the collaboration (None
/// when they are not one of its members), `sits_on_body` whether they sit
/// on the proposal's governance body for it.
///
/// Only lead and partner organisations vote. For one of them, an admin of
/// the organisation may vote (they speak for it everywhere else, as in
/// approvals), and so may the person it has put on the body that owns the
/// proposal (that is the seat the organisation chose for these decisions).
/// Other members may read and discuss but not cast its vote. The refusal
/// says why in plain words.
pub fn may_vote_for(
    participation: Option<&Participation>,
    sits_on_body: bool,
) -> Result<(), &'static str> {
    let Some(p) = participation else {
        return Err("You can only vote for an organisation you belong to.");
    };
    if !crate::approval::is_party(p.participant_role) {
        return Err(
            "Only lead and partner organisations vote. Observers and facilitators can read the proposal but not vote.",
        );
    }
    if p.org_role == OrgRole::Admin || sits_on_body {
        Ok(())
    } else {
        Err(
            "Only an admin of the organisation, or the person who sits on the group for it, can cast its vote. Ask one of them to vote.",
        )
    }
}

/// A collaboration always keeps a lead organisation.
pub fn check_keeps_a_lead(target_is_lead: bool, lead_count: i64) -> Result<(), crate::RuleError> {
    if target_is_lead && lead_count <= 1 {
        return Err(crate::RuleError(
            "A collaboration needs a lead organisation. Make another partner a lead first.".into(),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ParticipantRole::*;

    fn p(org: i64, role: ParticipantRole, org_role: OrgRole) -> Participation {
        Participation {
            organisation_id: org,
            participant_role: role,
            org_role,
        }
    }

    #[test]
    fn nobody_outside_sees_anything() {
        for action in [
            CollabAction::View,
            CollabAction::EditDetails,
            CollabAction::MoveStage,
            CollabAction::ManageParticipants,
            CollabAction::Leave,
        ] {
            assert_eq!(may_collab(&[], action, Some(1)), None);
        }
    }

    /// Every collaboration action, so the table below can be checked for
    /// completeness. The match fails to compile when an action is added.
    const ALL_ACTIONS: [CollabAction; 7] = [
        CollabAction::View,
        CollabAction::EditDetails,
        CollabAction::MoveStage,
        CollabAction::ManageParticipants,
        CollabAction::Leave,
        CollabAction::Contribute,
        CollabAction::Approve,
    ];

    fn _every_action_is_listed(a: CollabAction) {
        match a {
            CollabAction::View
            | CollabAction::EditDetails
            | CollabAction::MoveStage
            | CollabAction::ManageParticipants
            | CollabAction::Leave
            | CollabAction::Contribute
            | CollabAction::Approve => {}
        }
    }

    #[test]
    fn table_of_roles() {
        use CollabAction::*;
        use OrgRole::{Admin, Member};
        // Every (participant role, org role, action) and whether it is
        // allowed. A change to the policy must show up here as a changed row.
        let table = [
            (Lead, Admin, View, true),
            (Lead, Admin, EditDetails, true),
            (Lead, Admin, MoveStage, true),
            (Lead, Admin, ManageParticipants, true),
            (Lead, Admin, Leave, false),
            (Lead, Admin, Contribute, true),
            (Lead, Admin, Approve, true),
            (Lead, Member, View, true),
            (Lead, Member, EditDetails, true),
            (Lead, Member, MoveStage, true),
            (Lead, Member, ManageParticipants, false),
            (Lead, Member, Leave, false),
            (Lead, Member, Contribute, true),
            (Lead, Member, Approve, false),
            (Partner, Admin, View, true),
            (Partner, Admin, EditDetails, false),
            (Partner, Admin, MoveStage, false),
            (Partner, Admin, ManageParticipants, false),
            (Partner, Admin, Leave, true),
            (Partner, Admin, Contribute, true),
            (Partner, Admin, Approve, true),
            (Partner, Member, View, true),
            (Partner, Member, EditDetails, false),
            (Partner, Member, MoveStage, false),
            (Partner, Member, ManageParticipants, false),
            (Partner, Member, Leave, false),
            (Partner, Member, Contribute, true),
            (Partner, Member, Approve, false),
            (Observer, Admin, View, true),
            (Observer, Admin, EditDetails, false),
            (Observer, Admin, MoveStage, false),
            (Observer, Admin, ManageParticipants, false),
            (Observer, Admin, Leave, true),
            (Observer, Admin, Contribute, false),
            (Observer, Admin, Approve, false),
            (Observer, Member, View, true),
            (Observer, Member, EditDetails, false),
            (Observer, Member, MoveStage, false),
            (Observer, Member, ManageParticipants, false),
            (Observer, Member, Leave, false),
            (Observer, Member, Contribute, false),
            (Observer, Member, Approve, false),
            (Facilitator, Admin, View, true),
            (Facilitator, Admin, EditDetails, false),
            (Facilitator, Admin, MoveStage, false),
            (Facilitator, Admin, ManageParticipants, false),
            (Facilitator, Admin, Leave, true),
            (Facilitator, Admin, Contribute, true),
            (Facilitator, Admin, Approve, false),
            (Facilitator, Member, View, true),
            (Facilitator, Member, EditDetails, false),
            (Facilitator, Member, MoveStage, false),
            (Facilitator, Member, ManageParticipants, false),
            (Facilitator, Member, Leave, false),
            (Facilitator, Member, Contribute, true),
            (Facilitator, Member, Approve, false),
        ];
        // The table lists each combination exactly once.
        for role in ParticipantRole::ALL {
            for org_role in [Admin, Member] {
                for action in ALL_ACTIONS {
                    let rows = table
                        .iter()
                        .filter(|(r, o, a, _)| (*r, *o, *a) == (role, org_role, action))
                        .count();
                    assert_eq!(rows, 1, "{role:?} {org_role:?} {action:?} has {rows} rows");
                }
            }
        }
        assert_eq!(
            table.len(),
            ParticipantRole::ALL.len() * 2 * ALL_ACTIONS.len()
        );
        let mut wrong = Vec::new();
        for (role, org_role, action, allowed) in table {
            let got = may_collab(&[p(7, role, org_role)], action, None);
            // When allowed, it is on behalf of that organisation.
            let want = allowed.then_some(7);
            if got != want {
                wrong.push(format!(
                    "{role:?} {org_role:?} {action:?}: table says {allowed}"
                ));
            }
        }
        assert!(
            wrong.is_empty(),
            "the policy differs from the table:\n{}",
            wrong.join("\n")
        );
    }

    #[test]
    fn acting_organisation_is_chosen_predictably() {
        let parts = [p(9, Partner, OrgRole::Admin), p(4, Lead, OrgRole::Member)];
        assert_eq!(may_collab(&parts, CollabAction::View, None), Some(4));
        assert_eq!(may_collab(&parts, CollabAction::View, Some(9)), Some(9));
        // The preferred organisation cannot move the stage, the other can.
        assert_eq!(
            may_collab(&parts, CollabAction::MoveStage, Some(9)),
            Some(4)
        );
    }

    #[test]
    fn who_votes_for_an_organisation() {
        use OrgRole::{Admin, Member};
        for (role, org_role, on_body, allowed) in [
            (Lead, Admin, false, true),
            (Lead, Member, true, true),
            (Lead, Member, false, false),
            (Partner, Admin, false, true),
            (Partner, Member, true, true),
            (Partner, Member, false, false),
            (Observer, Admin, true, false),
            (Observer, Member, true, false),
            (Facilitator, Admin, true, false),
            (Facilitator, Member, false, false),
        ] {
            assert_eq!(
                may_vote_for(Some(&p(3, role, org_role)), on_body).is_ok(),
                allowed,
                "{role:?} {org_role:?} on body {on_body}"
            );
        }
        assert_eq!(
            may_vote_for(None, true),
            Err("You can only vote for an organisation you belong to.")
        );
    }

    #[test]
    fn organisation_actions() {
        assert!(may_org(None, OrgAction::ViewProfile));
        assert!(!may_org(None, OrgAction::ViewMembers));
        assert!(may_org(Some(OrgRole::Member), OrgAction::OpenCollaboration));
        assert!(!may_org(Some(OrgRole::Member), OrgAction::ManageMembers));
        assert!(may_org(Some(OrgRole::Member), OrgAction::ManageGoals));
        assert!(!may_org(None, OrgAction::ManageGoals));
        assert!(may_org(
            Some(OrgRole::Admin),
            OrgAction::RespondToCollaborationInvitation
        ));
        assert!(check_keeps_a_lead(true, 1).is_err());
        assert!(check_keeps_a_lead(true, 2).is_ok());
    }
}
