-- The Review stage's aims review: for each shared aim from Plan, whether it
-- was achieved, partly achieved or not achieved, the indicator's actual
-- value, the evidence (Markdown) and links to it (http and https only, one
-- a line). One review per aim, so the aim's id is the key. version counts
-- the saves, so a change based on an older one is refused. Who recorded it
-- and for which organisation are kept by name too, so the record reads the
-- same after an account or organisation goes.
CREATE TABLE aim_reviews (
    aim_id BIGINT PRIMARY KEY REFERENCES aims(id) ON DELETE CASCADE,
    collaboration_id BIGINT NOT NULL REFERENCES collaborations(id) ON DELETE CASCADE,
    outcome TEXT NOT NULL,
    actual TEXT NOT NULL,
    evidence TEXT NOT NULL,
    links TEXT NOT NULL,
    version BIGINT NOT NULL,
    recorded_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    recorded_by_name TEXT NOT NULL,
    organisation_id BIGINT REFERENCES organisations(id) ON DELETE SET NULL,
    organisation_name TEXT NOT NULL,
    recorded_at BIGINT NOT NULL
);
CREATE INDEX aim_reviews_collaboration ON aim_reviews(collaboration_id, aim_id);

-- Lessons learned, each from one stage (identify, plan, implement, review)
-- and of one kind (worked, did_not_work, do_differently). Any participant
-- who may contribute can change or remove one; version counts the saves.
CREATE TABLE lessons (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    collaboration_id BIGINT NOT NULL REFERENCES collaborations(id) ON DELETE CASCADE,
    stage TEXT NOT NULL,
    stage_position BIGINT NOT NULL,
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    version BIGINT NOT NULL,
    recorded_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    recorded_by_name TEXT NOT NULL,
    organisation_id BIGINT REFERENCES organisations(id) ON DELETE SET NULL,
    organisation_name TEXT NOT NULL,
    recorded_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
-- Listed by stage, oldest first within it, a page at a time.
CREATE INDEX lessons_collaboration ON lessons(collaboration_id, stage_position, id);
