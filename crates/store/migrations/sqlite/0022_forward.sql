-- The way forward and the next cycle (Review stage).
--
-- A collaboration started as the next cycle of another names it in
-- previous_id. Unique, so a collaboration has at most one next cycle even
-- when two servers start it at once: the second insert fails and is
-- answered as a conflict.
ALTER TABLE collaborations ADD COLUMN previous_id BIGINT REFERENCES collaborations(id) ON DELETE SET NULL;
CREATE UNIQUE INDEX collaborations_previous ON collaborations(previous_id);

-- Lessons copied from the previous cycle are marked (1), so the new cycle
-- reads them as what was learned before.
ALTER TABLE lessons ADD COLUMN from_previous_cycle BIGINT NOT NULL DEFAULT 0;

-- Each lead and partner organisation's position on the way forward: one
-- option (continue, deepen, widen, change_model, merge, wind_down), the
-- reasons and the next steps it proposes (Markdown). One per organisation;
-- version counts the saves, so a change based on an older one is refused.
CREATE TABLE forward_positions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    collaboration_id BIGINT NOT NULL REFERENCES collaborations(id) ON DELETE CASCADE,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    option TEXT NOT NULL,
    reasons TEXT NOT NULL,
    next_steps TEXT NOT NULL,
    version BIGINT NOT NULL,
    recorded_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    recorded_by_name TEXT NOT NULL,
    recorded_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX forward_positions_one_per_organisation ON forward_positions(collaboration_id, organisation_id);

-- A way forward put to the partners: the proposal that decides it, and the
-- option, reasons and next steps it puts. It is agreed when the proposal's
-- outcome is written with the result passed; open while no outcome is
-- written.
CREATE TABLE forward_ways (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    collaboration_id BIGINT NOT NULL REFERENCES collaborations(id) ON DELETE CASCADE,
    proposal_id BIGINT NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    option TEXT NOT NULL,
    reasons TEXT NOT NULL,
    next_steps TEXT NOT NULL,
    proposed_by_name TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX forward_ways_proposal ON forward_ways(proposal_id);
CREATE INDEX forward_ways_collaboration ON forward_ways(collaboration_id, id);
