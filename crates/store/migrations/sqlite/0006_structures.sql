-- The Plan stage's structures and relationships: governance bodies with
-- their members, the responsibilities matrix, each partner's contacts, and
-- the meeting log with its follow-ups.

-- A steering group, working group or other body of a collaboration.
-- version goes up by one on every change, so a stale edit can be refused.
CREATE TABLE governance_bodies (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    collaboration_id BIGINT NOT NULL REFERENCES collaborations(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    purpose TEXT NOT NULL,
    decision_rule TEXT NOT NULL,
    quorum INTEGER NOT NULL,
    meets TEXT NOT NULL,
    chair_user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    version INTEGER NOT NULL,
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
    id INTEGER PRIMARY KEY AUTOINCREMENT,
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
    version INTEGER NOT NULL,
    updated_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    updated_at BIGINT NOT NULL
);

-- A partner's named representatives and contacts.
CREATE TABLE partner_contacts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    collaboration_id BIGINT NOT NULL REFERENCES collaborations(id) ON DELETE CASCADE,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    title TEXT NOT NULL,
    email TEXT,
    phone TEXT,
    created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX partner_contacts_collaboration ON partner_contacts(collaboration_id, organisation_id, id);

-- The meeting log. body_id is the governance body that met, if any.
CREATE TABLE meetings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    collaboration_id BIGINT NOT NULL REFERENCES collaborations(id) ON DELETE CASCADE,
    held_on TEXT NOT NULL,
    body_id BIGINT REFERENCES governance_bodies(id) ON DELETE SET NULL,
    notes TEXT NOT NULL,
    created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX meetings_collaboration ON meetings(collaboration_id, held_on, id);

CREATE TABLE meeting_attendees (
    meeting_id BIGINT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    PRIMARY KEY (meeting_id, user_id)
);

-- Follow-ups agreed at a meeting, kept as rows of their own so the
-- Implement stage can turn each into a task.
CREATE TABLE meeting_follow_ups (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id BIGINT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    collaboration_id BIGINT NOT NULL REFERENCES collaborations(id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    owner_organisation_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    due_on TEXT NOT NULL,
    created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX meeting_follow_ups_meeting ON meeting_follow_ups(meeting_id, id);
CREATE INDEX meeting_follow_ups_collaboration ON meeting_follow_ups(collaboration_id, due_on);
