-- Decisions by vote: proposals put to a governance body, and one vote per
-- organisation. The body's decision rule and quorum are copied onto the
-- proposal when it is made, so a change to the body does not change a
-- vote already running, and the proposal keeps its rule if the body is
-- removed. closes_on is an ISO date (YYYY-MM-DD): voting ends at the end
-- of that day (UTC). closed_at is set when the proposer or the lead closes
-- it early, or when the outcome is written. The result (passed,
-- not_passed or blocked) and its reasoning are kept with the outcome, so
-- the partners that left later do not change a decision written down.

CREATE TABLE proposals (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    collaboration_id BIGINT NOT NULL REFERENCES collaborations(id) ON DELETE CASCADE,
    body_id BIGINT REFERENCES governance_bodies(id) ON DELETE SET NULL,
    body_name TEXT NOT NULL,
    decision_rule TEXT NOT NULL,
    quorum BIGINT NOT NULL,
    title TEXT NOT NULL,
    proposal TEXT NOT NULL,
    closes_on TEXT NOT NULL,
    proposer_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    proposer_name TEXT NOT NULL,
    proposer_organisation_id BIGINT NOT NULL,
    closed_at BIGINT,
    closed_by_name TEXT NOT NULL,
    outcome TEXT NOT NULL,
    result TEXT NOT NULL,
    result_reasoning TEXT NOT NULL,
    outcome_by_name TEXT NOT NULL,
    outcome_at BIGINT,
    -- The entry in the decisions log made when the outcome was written.
    decision_id BIGINT REFERENCES decisions(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX proposals_collab ON proposals(collaboration_id, id);

-- One vote per organisation per proposal: two people voting for one
-- organisation at once end with one row (the writes are upserts).
CREATE TABLE proposal_votes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    proposal_id BIGINT NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    choice TEXT NOT NULL,
    reason TEXT NOT NULL,
    voter_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    voter_name TEXT NOT NULL,
    cast_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX proposal_votes_one_per_organisation ON proposal_votes(proposal_id, organisation_id);
