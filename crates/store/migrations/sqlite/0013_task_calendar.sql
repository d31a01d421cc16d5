-- The action plan, continued: the aim a task serves.
ALTER TABLE tasks ADD COLUMN aim_id BIGINT REFERENCES aims(id) ON DELETE SET NULL;
-- Deleting an aim clears it from its tasks through this index.
CREATE INDEX tasks_aim ON tasks(aim_id);

-- Calendar feeds: a secret address per person, for one collaboration's
-- tasks (collaboration_id) or for their own tasks across collaborations
-- (collaboration_id NULL). Calendar apps cannot sign in, so the address
-- is the key; only its SHA-256 is kept. Making a new one replaces the old.
CREATE TABLE calendar_feeds (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    collaboration_id BIGINT REFERENCES collaborations(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX calendar_feeds_token ON calendar_feeds(token_hash);
CREATE UNIQUE INDEX calendar_feeds_collab ON calendar_feeds(user_id, collaboration_id) WHERE collaboration_id IS NOT NULL;
CREATE UNIQUE INDEX calendar_feeds_mine ON calendar_feeds(user_id) WHERE collaboration_id IS NULL;
CREATE INDEX calendar_feeds_collaboration ON calendar_feeds(collaboration_id);
