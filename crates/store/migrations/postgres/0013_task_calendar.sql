-- The action plan, continued: the aim a task serves.
ALTER TABLE tasks ADD COLUMN aim_id BIGINT REFERENCES aims(id) ON DELETE SET NULL;
-- Deleting an aim clears it from its tasks through this index.
CREATE INDEX tasks_aim ON tasks(aim_id);
