-- The Implement stage's problems and decisions logs.
--
-- A problem keeps the escalation ladder it was raised under (one rung a
-- line, from the agreement's disputes section or the default), so a later
-- change to the agreement never moves a problem to a rung it did not
-- reach. rung counts from 0, the bottom of the ladder.
CREATE TABLE problems (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    collaboration_id BIGINT NOT NULL REFERENCES collaborations(id) ON DELETE CASCADE,
    description TEXT NOT NULL,
    severity TEXT NOT NULL,
    raised_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    raised_by_name TEXT NOT NULL,
    owner_organisation_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    owner_person_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    status TEXT NOT NULL,
    resolution TEXT NOT NULL,
    ladder TEXT NOT NULL,
    rung BIGINT NOT NULL,
    version BIGINT NOT NULL,
    updated_by_name TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
-- One index per filter of the problem list, each led by the collaboration.
CREATE INDEX problems_collab ON problems(collaboration_id, id);
CREATE INDEX problems_collab_status ON problems(collaboration_id, status, id);
CREATE INDEX problems_collab_severity ON problems(collaboration_id, severity, id);
CREATE INDEX problems_collab_owner ON problems(collaboration_id, owner_organisation_id, id);

-- Every move up the ladder: who, when, why, from which rung to which.
-- notified_at stays NULL until a notifications part has told the people
-- at the new rung; the partial index finds the ones still to tell.
CREATE TABLE problem_escalations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    problem_id BIGINT NOT NULL REFERENCES problems(id) ON DELETE CASCADE,
    collaboration_id BIGINT NOT NULL REFERENCES collaborations(id) ON DELETE CASCADE,
    from_rung BIGINT NOT NULL,
    to_rung BIGINT NOT NULL,
    from_name TEXT NOT NULL,
    to_name TEXT NOT NULL,
    reason TEXT NOT NULL,
    escalated_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    escalated_by_name TEXT NOT NULL,
    escalated_at BIGINT NOT NULL,
    notified_at BIGINT
);
CREATE INDEX problem_escalations_problem ON problem_escalations(problem_id, id);
CREATE INDEX problem_escalations_unnotified ON problem_escalations(escalated_at) WHERE notified_at IS NULL;

-- A decision and how it was taken: how is meeting, vote, lead or
-- governance_body; governance_body_id names the body when there is one.
-- decided_on is an ISO date (YYYY-MM-DD) kept as text.
CREATE TABLE decisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    collaboration_id BIGINT NOT NULL REFERENCES collaborations(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    decided TEXT NOT NULL,
    decided_on TEXT NOT NULL,
    how TEXT NOT NULL,
    governance_body_id BIGINT REFERENCES governance_bodies(id) ON DELETE SET NULL,
    recorded_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    recorded_by_name TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX decisions_collab ON decisions(collaboration_id, decided_on, id);
CREATE INDEX decisions_collab_how ON decisions(collaboration_id, how, decided_on, id);

-- What a decision affects: target_kind is task, problem or aim (risk
-- later), target_id that row's id, always in the decision's collaboration.
-- Reads join the target's table, so a deleted target drops out.
CREATE TABLE decision_links (
    decision_id BIGINT NOT NULL REFERENCES decisions(id) ON DELETE CASCADE,
    collaboration_id BIGINT NOT NULL REFERENCES collaborations(id) ON DELETE CASCADE,
    target_kind TEXT NOT NULL,
    target_id BIGINT NOT NULL,
    PRIMARY KEY (decision_id, target_kind, target_id)
);
CREATE INDEX decision_links_target ON decision_links(collaboration_id, target_kind, target_id);
