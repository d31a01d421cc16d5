-- The Plan stage's "who is who" and the Implement stage's meetings.
-- Dates are ISO calendar dates (YYYY-MM-DD) and times are HH:MM, kept as
-- text so they sort and compare the same on both databases.

-- A partner's named representatives and contacts in a collaboration.
-- user_id links a contact who is a member of the app. version counts the
-- changes, so a change based on an older one is refused.
CREATE TABLE partner_contacts (
    id BIGSERIAL PRIMARY KEY,
    collaboration_id BIGINT NOT NULL REFERENCES collaborations(id) ON DELETE CASCADE,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    email TEXT NOT NULL,
    phone TEXT NOT NULL,
    user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX partner_contacts_collab ON partner_contacts(collaboration_id, organisation_id, id);

-- A meeting of the collaboration, or of one of its governance bodies.
CREATE TABLE meetings (
    id BIGSERIAL PRIMARY KEY,
    collaboration_id BIGINT NOT NULL REFERENCES collaborations(id) ON DELETE CASCADE,
    body_id BIGINT REFERENCES governance_bodies(id) ON DELETE SET NULL,
    title TEXT NOT NULL,
    held_on TEXT NOT NULL,
    starts_at TEXT NOT NULL,
    duration_minutes BIGINT NOT NULL,
    place TEXT NOT NULL,
    minutes TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX meetings_collab ON meetings(collaboration_id, held_on, starts_at, id);

-- Agenda items and decisions taken, each kind in its own order.
CREATE TABLE meeting_items (
    meeting_id BIGINT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    position BIGINT NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (meeting_id, kind, position)
);

-- Who was there, sent apologies or was absent: a person for an
-- organisation taking part, or a guest by name (user_id and
-- organisation_id null).
CREATE TABLE meeting_attendance (
    id BIGSERIAL PRIMARY KEY,
    meeting_id BIGINT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    user_id BIGINT REFERENCES users(id) ON DELETE CASCADE,
    organisation_id BIGINT REFERENCES organisations(id) ON DELETE CASCADE,
    guest_name TEXT NOT NULL,
    status TEXT NOT NULL
);
CREATE INDEX meeting_attendance_meeting ON meeting_attendance(meeting_id, id);

-- Actions agreed at a meeting: each is a task of the action plan.
CREATE TABLE meeting_actions (
    meeting_id BIGINT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    task_id BIGINT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    PRIMARY KEY (meeting_id, task_id)
);
CREATE INDEX meeting_actions_task ON meeting_actions(task_id);
