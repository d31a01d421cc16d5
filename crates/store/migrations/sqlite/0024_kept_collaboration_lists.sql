-- A page of a person's collaborations (the home page, "Collaborations",
-- the API's list) is kept per server and served again while nothing it
-- shows has changed. Two things tell a server that:
--
-- 1. The page's own entries, read first: each collaboration's id, when it
--    last changed and its revision (raised by every audit entry, so by
--    every change to its title, stage or partners). The index that gives
--    the most recent entries now carries the revision too (copied to
--    participants by 0023), so that read still needs no visit to the
--    table.
-- 2. A counter of organisation renames. A page shows each partner's name
--    and identifier, and a partner may be any organisation. A trigger
--    raises the counter, in the same transaction, whenever an
--    organisation's name or identifier changes. Renames are rare; other
--    profile changes leave it alone.

CREATE INDEX participants_org_recent_revision
    ON participants(organisation_id, collab_updated_at, collaboration_id, collab_revision);
DROP INDEX participants_org_recent;

CREATE TABLE organisation_renames (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    revision BIGINT NOT NULL
);
INSERT INTO organisation_renames (id, revision) VALUES (1, 0);

CREATE TRIGGER organisations_renamed AFTER UPDATE OF name, org_identifier ON organisations
WHEN NEW.name IS NOT OLD.name OR NEW.org_identifier IS NOT OLD.org_identifier
BEGIN
    UPDATE organisation_renames SET revision = revision + 1 WHERE id = 1;
END;
