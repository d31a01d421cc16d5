-- Notifications: what a person is told in the app and by email, with
-- their choice per kind, and the daily digests already sent.
--
-- dedupe_key names the event a notification is about (for a reminder:
-- the task and its due date), unique per person, so that creating one
-- twice (two servers running the reminder job at once, or a job catching
-- up) makes it once: INSERT ... ON CONFLICT DO NOTHING.
--
-- email_state: 'pending' waits to be emailed at once, 'digest' waits for
-- the person's daily digest, 'sent' was emailed (claimed by the one
-- server whose UPDATE ... WHERE email_state = 'pending' changed the row),
-- 'none' is shown in the app only.
CREATE TABLE notifications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    collaboration_id BIGINT REFERENCES collaborations(id) ON DELETE CASCADE,
    sentence TEXT NOT NULL,
    link TEXT NOT NULL,
    dedupe_key TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    read_at BIGINT,
    email_state TEXT NOT NULL,
    emailed_at BIGINT
);
CREATE UNIQUE INDEX notifications_dedupe ON notifications(user_id, dedupe_key);
-- The unread count in every signed-in page's header.
CREATE INDEX notifications_unread ON notifications(user_id, read_at);
-- The list, newest first.
CREATE INDEX notifications_user ON notifications(user_id, id);
-- The mail job's queue: only rows still waiting are in it.
CREATE INDEX notifications_waiting ON notifications(email_state, user_id, id)
    WHERE email_state IN ('pending', 'digest');

-- A person's choice for one kind; no row means the kind's default.
CREATE TABLE notification_settings (
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    delivery TEXT NOT NULL,
    PRIMARY KEY (user_id, kind)
);

-- One row per person and day whose digest was claimed by a server.
CREATE TABLE notification_digests (
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    day TEXT NOT NULL,
    sent_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, day)
);

-- The reminder job's scan: open, assigned tasks by due date.
CREATE INDEX tasks_open_due ON tasks(due_on, id)
    WHERE assignee_id IS NOT NULL AND status IN ('not_started', 'in_progress', 'blocked');
