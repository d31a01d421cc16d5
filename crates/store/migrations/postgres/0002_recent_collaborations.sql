-- "My collaborations", most recently changed first, read from an index
-- instead of sorting every collaboration a person can see.
--
-- Each participant row carries its collaboration's updated_at, so the
-- latest collaborations of one organisation are the first entries of
-- participants_org_recent. Two triggers keep the copy exact: a new
-- participant starts with the collaboration's time, and every change of a
-- collaboration's updated_at is copied to its participants, whichever
-- statement makes it.

ALTER TABLE participants ADD COLUMN collab_updated_at BIGINT NOT NULL DEFAULT 0;

UPDATE participants SET collab_updated_at =
    (SELECT c.updated_at FROM collaborations c WHERE c.id = participants.collaboration_id);

CREATE INDEX participants_org_recent
    ON participants(organisation_id, collab_updated_at, collaboration_id);

CREATE FUNCTION participants_start_current() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.collab_updated_at := (SELECT c.updated_at FROM collaborations c WHERE c.id = NEW.collaboration_id);
    RETURN NEW;
END;
$$;

CREATE TRIGGER participants_start_current BEFORE INSERT ON participants
FOR EACH ROW EXECUTE FUNCTION participants_start_current();

CREATE FUNCTION participants_follow_collaboration() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE participants SET collab_updated_at = NEW.updated_at WHERE collaboration_id = NEW.id;
    RETURN NULL;
END;
$$;

CREATE TRIGGER participants_follow_collaboration AFTER UPDATE OF updated_at ON collaborations
FOR EACH ROW WHEN (NEW.updated_at IS DISTINCT FROM OLD.updated_at)
EXECUTE FUNCTION participants_follow_collaboration();

-- A collaboration's participants, read from the index alone (no visit to
-- the table for each one): every collaboration page and list shows them.
CREATE INDEX participants_card ON participants(collaboration_id, organisation_id, role, joined_at);
