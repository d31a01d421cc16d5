//! Approval by every partner organisation, shared by the shared aims and
//! the agreements: the pure state machine that says whether something is
//! agreed.
//!
//! The parties are the collaboration's lead and partner organisations as
//! they are now (observers and facilitators take part without signing up to
//! the plan). An approval is of one version, given at one "parties epoch"
//! (a counter the store raises whenever a lead or partner joins, leaves or
//! changes role). It counts only while both still hold: a later edit (a new
//! version) or a change of parties reopens approval, and the parties must
//! approve again. A counter rather than the set of parties, so that one
//! leaving and coming back still counts as a change.

use crate::collaborations::ParticipantRole;

/// Whether an organisation taking part in this role is a party that must
/// approve the plan.
pub fn is_party(role: ParticipantRole) -> bool {
    matches!(role, ParticipantRole::Lead | ParticipantRole::Partner)
}

/// One recorded approval.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Approval {
    pub organisation_id: i64,
    /// The version approved.
    pub version: i64,
    /// The collaboration's parties epoch when it was given: a number that
    /// goes up whenever a lead or partner joins, leaves or changes role.
    pub parties_epoch: i64,
}

/// Where approval stands now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApprovalState {
    /// Every current party approved the current version since the parties
    /// last changed; false when there are no parties at all.
    pub agreed: bool,
    /// Parties whose approval counts now, ascending.
    pub approved: Vec<i64>,
    /// Parties who still have to approve, ascending.
    pub waiting: Vec<i64>,
    /// Those among `waiting` who approved before, and must approve again
    /// because of a later edit or a change of parties.
    pub again: Vec<i64>,
}

/// Decides the state from the current version, the current parties epoch,
/// the current parties (organisation ids) and every approval ever recorded
/// (in any order).
pub fn approval_state(
    version: i64,
    parties_epoch: i64,
    parties: &[i64],
    approvals: &[Approval],
) -> ApprovalState {
    let mut orgs = parties.to_vec();
    orgs.sort_unstable();
    orgs.dedup();
    let counts = |a: &Approval| a.version == version && a.parties_epoch == parties_epoch;
    let mut approved = Vec::new();
    let mut waiting = Vec::new();
    let mut again = Vec::new();
    for &p in &orgs {
        let mut any = false;
        let mut valid = false;
        for a in approvals.iter().filter(|a| a.organisation_id == p) {
            any = true;
            valid |= counts(a);
        }
        if valid {
            approved.push(p);
        } else {
            waiting.push(p);
            if any {
                again.push(p);
            }
        }
    }
    ApprovalState {
        agreed: !orgs.is_empty() && waiting.is_empty(),
        approved,
        waiting,
        again,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(org: i64, version: i64, parties_epoch: i64) -> Approval {
        Approval {
            organisation_id: org,
            version,
            parties_epoch,
        }
    }

    #[test]
    fn agreed_only_when_every_party_approved_this_version() {
        let s = approval_state(3, 7, &[1, 2], &[a(1, 3, 7)]);
        assert!(!s.agreed);
        assert_eq!((s.approved, s.waiting), (vec![1], vec![2]));
        let s = approval_state(3, 7, &[2, 1], &[a(1, 3, 7), a(2, 3, 7)]);
        assert!(s.agreed);
        // An edit makes version 4: both must approve again.
        let s = approval_state(4, 7, &[1, 2], &[a(1, 3, 7), a(2, 3, 7)]);
        assert!(!s.agreed);
        assert_eq!(s.again, vec![1, 2]);
        // A party leaving reopens it too.
        let s = approval_state(3, 8, &[1], &[a(1, 3, 7), a(2, 3, 7)]);
        assert!(!s.agreed);
        assert_eq!(s.again, vec![1]);
        // Nobody to agree: never agreed.
        assert!(!approval_state(1, 0, &[], &[]).agreed);
    }

    /// A small deterministic generator, so the checks repeat exactly.
    struct Gen(u64);
    impl Gen {
        fn next(&mut self, n: u64) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (self.0 >> 33) % n
        }
    }

    #[derive(Debug, Clone, Copy)]
    enum Event {
        Edit,
        Join(i64),
        Leave(i64),
        Approve(i64),
    }

    /// No sequence of edits, joins, leaves and approvals ever shows
    /// "agreed" unless every current party approved the current version
    /// after the last change, and it always does when they have. The
    /// oracle reads the event history; the function reads only the
    /// records, as the store keeps them.
    #[test]
    fn property_agreed_exactly_when_every_current_party_approved_since_the_last_change() {
        let mut rng = Gen(0x5eed);
        let mut agreed_seen = 0;
        let mut open_seen = 0;
        for _run in 0..3000 {
            let mut version = 1i64;
            let mut epoch = 0i64;
            let mut parties: Vec<i64> = vec![1];
            let mut approvals: Vec<Approval> = Vec::new();
            let mut history: Vec<Event> = Vec::new();
            let steps = 1 + rng.next(25);
            for _ in 0..steps {
                let org = 1 + rng.next(5) as i64;
                let event = match rng.next(10) {
                    0 | 1 => Event::Edit,
                    2 => Event::Join(org),
                    3 => Event::Leave(org),
                    _ => Event::Approve(org),
                };
                match event {
                    Event::Edit => version += 1,
                    Event::Join(o) => {
                        if parties.contains(&o) {
                            continue;
                        }
                        parties.push(o);
                        epoch += 1;
                    }
                    Event::Leave(o) => {
                        if !parties.contains(&o) {
                            continue;
                        }
                        parties.retain(|p| *p != o);
                        epoch += 1;
                    }
                    Event::Approve(o) => {
                        // Only a current party may approve; it approves
                        // what it sees now.
                        if !parties.contains(&o) {
                            continue;
                        }
                        approvals.push(Approval {
                            organisation_id: o,
                            version,
                            parties_epoch: epoch,
                        });
                    }
                }
                history.push(event);
                let state = approval_state(version, epoch, &parties, &approvals);
                // The oracle: since the last edit, join or leave, has every
                // current party approved?
                let last_change = history
                    .iter()
                    .rposition(|e| !matches!(e, Event::Approve(_)))
                    .map(|i| i as i64)
                    .unwrap_or(-1);
                let oracle = !parties.is_empty()
                    && parties.iter().all(|p| {
                        history.iter().enumerate().any(|(i, e)| {
                            matches!(e, Event::Approve(o) if o == p) && i as i64 > last_change
                        })
                    });
                assert_eq!(
                    state.agreed, oracle,
                    "history {history:?} parties {parties:?} state {state:?}"
                );
                // Everyone is either approved or waiting, never both.
                assert_eq!(state.approved.len() + state.waiting.len(), parties.len());
                if state.agreed {
                    agreed_seen += 1;
                } else {
                    open_seen += 1;
                }
            }
        }
        // Both outcomes were reached many times, so the check means something.
        assert!(
            agreed_seen > 1000 && open_seen > 1000,
            "{agreed_seen} {open_seen}"
        );
    }
}
