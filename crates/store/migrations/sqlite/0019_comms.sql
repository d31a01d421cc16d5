-- The Implement stage's communications plan: who needs to hear what, why,
-- through which channel, from which partner and when; and a log of what
-- actually went out, each entry linked to one item of the plan.
-- timing is 'once' (on_date is the date) or 'weekly', 'monthly' or
-- 'quarterly' (on_date is the first date). next_due_on is the next date
-- due (YYYY-MM-DD as text), worked out from the timing, the status and the
-- last thing sent, and kept up to date with each change of the item or
-- its log, so the list sorts by it through an index. NULL: nothing due.
-- version counts the changes, so a change based on an older one is refused.
CREATE TABLE comms_items (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    collaboration_id BIGINT NOT NULL REFERENCES collaborations(id) ON DELETE CASCADE,
    audience TEXT NOT NULL,
    purpose TEXT NOT NULL,
    key_message TEXT NOT NULL,
    channel TEXT NOT NULL,
    owner_organisation_id BIGINT REFERENCES organisations(id) ON DELETE SET NULL,
    owner_person_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    timing TEXT NOT NULL,
    on_date TEXT NOT NULL,
    next_due_on TEXT,
    status TEXT NOT NULL,
    version BIGINT NOT NULL,
    updated_by_name TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX comms_items_collab_due ON comms_items(collaboration_id, next_due_on, id);
CREATE INDEX comms_items_collab_status ON comms_items(collaboration_id, status, next_due_on);
CREATE INDEX comms_items_collab_channel ON comms_items(collaboration_id, channel, next_due_on);
CREATE INDEX comms_items_collab_owner ON comms_items(collaboration_id, owner_organisation_id, next_due_on);

-- What went out, for one item of the plan.
CREATE TABLE comms_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    item_id BIGINT NOT NULL REFERENCES comms_items(id) ON DELETE CASCADE,
    collaboration_id BIGINT NOT NULL REFERENCES collaborations(id) ON DELETE CASCADE,
    sent_on TEXT NOT NULL,
    what TEXT NOT NULL,
    channel TEXT NOT NULL,
    link TEXT,
    notes TEXT NOT NULL,
    recorded_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    recorded_by_name TEXT NOT NULL,
    recorded_at BIGINT NOT NULL
);
CREATE INDEX comms_log_item ON comms_log(item_id, sent_on);
CREATE INDEX comms_log_collab ON comms_log(collaboration_id);
