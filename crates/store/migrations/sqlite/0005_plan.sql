-- The Plan stage: the collaboration model the partners chose, and due
-- diligence for the deeper models. Shared aims, governance,
-- responsibilities and the agreement come in migrations of their own.

-- The model chosen, one row per collaboration. version counts the choices
-- made, so a change based on an older choice is refused; each change is
-- also in the audit trail.
CREATE TABLE collaboration_models (
    collaboration_id BIGINT PRIMARY KEY REFERENCES collaborations(id) ON DELETE CASCADE,
    model TEXT NOT NULL,
    reason TEXT NOT NULL,
    version BIGINT NOT NULL,
    chosen_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    chosen_by_name TEXT NOT NULL,
    organisation_id BIGINT REFERENCES organisations(id) ON DELETE SET NULL,
    organisation_name TEXT NOT NULL,
    chosen_at BIGINT NOT NULL
);

-- One row per area of the due diligence checklist, made when a deeper
-- model is first chosen and kept if the choice changes.
CREATE TABLE due_diligence_items (
    collaboration_id BIGINT NOT NULL REFERENCES collaborations(id) ON DELETE CASCADE,
    area TEXT NOT NULL,
    status TEXT NOT NULL,
    owner_organisation_id BIGINT REFERENCES organisations(id) ON DELETE SET NULL,
    note TEXT NOT NULL,
    version BIGINT NOT NULL,
    updated_by_name TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (collaboration_id, area)
);
