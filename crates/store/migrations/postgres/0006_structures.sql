-- The Plan stage's structures: governance bodies with their members, and
-- the responsibilities matrix.

-- A steering group, working group or other body of a collaboration.
-- version goes up by one on every change, so a stale edit can be refused.
CREATE TABLE governance_bodies (
    id BIGSERIAL PRIMARY KEY,
    collaboration_id BIGINT NOT NULL REFERENCES collaborations(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    purpose TEXT NOT NULL,
    decision_rule TEXT NOT NULL,
    quorum BIGINT NOT NULL,
    meets TEXT NOT NULL,
    chair_user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    version BIGINT NOT NULL,
    created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX governance_bodies_collaboration ON governance_bodies(collaboration_id, id);

-- Who sits on a body, each for one of their organisations taking part.
CREATE TABLE governance_members (
    body_id BIGINT NOT NULL REFERENCES governance_bodies(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    PRIMARY KEY (body_id, user_id)
);

-- Functions the partners add to the matrix beside the standard ones.
CREATE TABLE responsibility_functions (
    id BIGSERIAL PRIMARY KEY,
    collaboration_id BIGINT NOT NULL REFERENCES collaborations(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX responsibility_functions_collaboration ON responsibility_functions(collaboration_id, id);

-- One cell of the matrix: function_key is a standard function's code or
-- custom_<id>; role is responsible, accountable, consulted or informed.
-- A blank cell has no row.
CREATE TABLE responsibility_cells (
    collaboration_id BIGINT NOT NULL REFERENCES collaborations(id) ON DELETE CASCADE,
    function_key TEXT NOT NULL,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    PRIMARY KEY (collaboration_id, function_key, organisation_id)
);

-- The matrix's version, raised by every save, so a stale save is refused.
CREATE TABLE responsibility_matrices (
    collaboration_id BIGINT PRIMARY KEY REFERENCES collaborations(id) ON DELETE CASCADE,
    version BIGINT NOT NULL,
    updated_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    updated_at BIGINT NOT NULL
);
