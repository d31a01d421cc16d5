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
