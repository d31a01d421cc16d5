-- The Implement stage's action plan: workstreams, tasks and the
-- dependencies between tasks of one collaboration. Dates are ISO
-- calendar dates (YYYY-MM-DD) kept as text, so they sort and compare
-- the same on both databases.

CREATE TABLE workstreams (
    id BIGSERIAL PRIMARY KEY,
    collaboration_id BIGINT NOT NULL REFERENCES collaborations(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX workstreams_collab ON workstreams(collaboration_id, id);

-- version counts the changes, so a change based on an older one is
-- refused. done_reason is why a task was marked done while something it
-- depends on was still open (empty otherwise).
CREATE TABLE tasks (
    id BIGSERIAL PRIMARY KEY,
    collaboration_id BIGINT NOT NULL REFERENCES collaborations(id) ON DELETE CASCADE,
    workstream_id BIGINT REFERENCES workstreams(id) ON DELETE SET NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    owner_organisation_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    assignee_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    start_on TEXT,
    due_on TEXT,
    status TEXT NOT NULL,
    milestone BOOLEAN NOT NULL DEFAULT FALSE,
    done_reason TEXT NOT NULL,
    version BIGINT NOT NULL,
    updated_by_name TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
-- One index per filter of the task list, each led by the collaboration,
-- and two for "my tasks" across collaborations.
CREATE INDEX tasks_collab_due ON tasks(collaboration_id, due_on, id);
CREATE INDEX tasks_collab_status ON tasks(collaboration_id, status, due_on);
CREATE INDEX tasks_collab_owner ON tasks(collaboration_id, owner_organisation_id, due_on);
CREATE INDEX tasks_collab_assignee ON tasks(collaboration_id, assignee_id, due_on);
CREATE INDEX tasks_collab_workstream ON tasks(collaboration_id, workstream_id, due_on);
CREATE INDEX tasks_assignee ON tasks(assignee_id, status);
CREATE INDEX tasks_owner_unassigned ON tasks(owner_organisation_id, status) WHERE assignee_id IS NULL;

-- task_id depends on depends_on_id; both in collaboration_id.
CREATE TABLE task_dependencies (
    task_id BIGINT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    depends_on_id BIGINT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    collaboration_id BIGINT NOT NULL REFERENCES collaborations(id) ON DELETE CASCADE,
    PRIMARY KEY (task_id, depends_on_id)
);
CREATE INDEX task_dependencies_on ON task_dependencies(depends_on_id);
CREATE INDEX task_dependencies_collab ON task_dependencies(collaboration_id);
