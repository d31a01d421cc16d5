//! The one place that decides who may do what.
//!
//! Callers gather the facts (which organisations the person belongs to, in
//! which roles, and how those organisations take part in a collaboration)
//! and ask here. Anything not allowed is answered as "not found" by the web
//! layer, so a person cannot learn that something they may not see exists.

use crate::collaboration::ParticipantRole;
use crate::organisation::OrgRole;

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
}

/// May a person with `role` in the organisation (None: not a member) do `action`?
pub fn may_org(role: Option<OrgRole>, action: OrgAction) -> bool {
    match action {
        OrgAction::ViewProfile => true,
        OrgAction::ViewMembers | OrgAction::OpenCollaboration | OrgAction::Leave => role.is_some(),
        OrgAction::EditProfile
        | OrgAction::ManageMembers
        | OrgAction::ViewAudit
        | OrgAction::RespondToCollaborationInvitation => role == Some(OrgRole::Admin),
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

    #[test]
    fn table_of_roles() {
        use CollabAction::*;
        // (participant role, org role, action, allowed)
        let table = [
            (Lead, OrgRole::Member, View, true),
            (Lead, OrgRole::Member, MoveStage, true),
            (Lead, OrgRole::Member, EditDetails, true),
            (Lead, OrgRole::Member, ManageParticipants, false),
            (Lead, OrgRole::Admin, ManageParticipants, true),
            (Lead, OrgRole::Admin, Leave, false),
            (Partner, OrgRole::Admin, View, true),
            (Partner, OrgRole::Admin, MoveStage, false),
            (Partner, OrgRole::Admin, ManageParticipants, false),
            (Partner, OrgRole::Admin, Leave, true),
            (Partner, OrgRole::Member, Leave, false),
            (Observer, OrgRole::Member, View, true),
            (Observer, OrgRole::Admin, EditDetails, false),
            (Facilitator, OrgRole::Admin, View, true),
            (Facilitator, OrgRole::Admin, MoveStage, false),
        ];
        for (role, org_role, action, allowed) in table {
            let got = may_collab(&[p(7, role, org_role)], action, None);
            assert_eq!(got.is_some(), allowed, "{role:?} {org_role:?} {action:?}");
        }
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
    fn organisation_actions() {
        assert!(may_org(None, OrgAction::ViewProfile));
        assert!(!may_org(None, OrgAction::ViewMembers));
        assert!(may_org(Some(OrgRole::Member), OrgAction::OpenCollaboration));
        assert!(!may_org(Some(OrgRole::Member), OrgAction::ManageMembers));
        assert!(may_org(
            Some(OrgRole::Admin),
            OrgAction::RespondToCollaborationInvitation
        ));
        assert!(check_keeps_a_lead(true, 1).is_err());
        assert!(check_keeps_a_lead(true, 2).is_ok());
    }
}
