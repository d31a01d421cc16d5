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

CREATE TRIGGER participants_start_current AFTER INSERT ON participants
BEGIN
    UPDATE participants SET collab_updated_at =
        (SELECT c.updated_at FROM collaborations c WHERE c.id = NEW.collaboration_id)
    WHERE collaboration_id = NEW.collaboration_id AND organisation_id = NEW.organisation_id;
END;

CREATE TRIGGER participants_follow_collaboration AFTER UPDATE OF updated_at ON collaborations
WHEN NEW.updated_at <> OLD.updated_at
BEGIN
    UPDATE participants SET collab_updated_at = NEW.updated_at WHERE collaboration_id = NEW.id;
END;

-- A collaboration's participants, read from the index alone (no visit to
-- the table for each one): every collaboration page and list shows them.
CREATE INDEX participants_card ON participants(collaboration_id, organisation_id, role, joined_at);
