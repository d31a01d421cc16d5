-- Recurring tasks. A series holds what each of its tasks will be (title,
-- description, owner, assignee, workstream, aim) and how it repeats
-- (repeats: weekly, monthly, quarterly, yearly, monthly_weekday or
-- monthly_last_weekday), counted from first_on and never after ends_on.
-- Its tasks are ordinary tasks with series_id set; a change to the series
-- or its end never touches the tasks already made.
-- last_made_on is the date of the newest task made, and last_task_id that
-- task (NULL once deleted). next_on is the date after it, NULL when the
-- series has no more dates (past its end date), so the job skips it. The next task is made when that task is done
-- or cancelled, or when its date comes; setting last_made_on only where it
-- still holds the date read makes sure two servers make it once.
-- version counts the changes, so a change based on an older one is refused.
CREATE TABLE task_series (
    id BIGSERIAL PRIMARY KEY,
    collaboration_id BIGINT NOT NULL REFERENCES collaborations(id) ON DELETE CASCADE,
    workstream_id BIGINT REFERENCES workstreams(id) ON DELETE SET NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    owner_organisation_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    assignee_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    aim_id BIGINT REFERENCES aims(id) ON DELETE SET NULL,
    repeats TEXT NOT NULL,
    first_on TEXT NOT NULL,
    ends_on TEXT,
    last_made_on TEXT NOT NULL,
    last_task_id BIGINT REFERENCES tasks(id) ON DELETE SET NULL,
    next_on TEXT,
    ended_at BIGINT,
    ended_by_name TEXT NOT NULL,
    version BIGINT NOT NULL,
    updated_by_name TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX task_series_collab ON task_series(collaboration_id, id);
-- The job looks for series whose newest task's date has come.
CREATE INDEX task_series_due ON task_series(last_made_on) WHERE ended_at IS NULL AND next_on IS NOT NULL;
CREATE INDEX task_series_last_task ON task_series(last_task_id);

ALTER TABLE tasks ADD COLUMN series_id BIGINT REFERENCES task_series(id) ON DELETE SET NULL;
CREATE INDEX tasks_series ON tasks(series_id, due_on);
